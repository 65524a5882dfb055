/* csppack: capped growable strings. */
#include "csppack/base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* Start empty with a cap. */
void csp_strbuf_init(csp_strbuf *sb, size_t max)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    /* The buffer holds max bytes and a NUL: max + 1 must not wrap. */
    sb->max = max < SIZE_MAX ? max : SIZE_MAX - 1;
}

/* Release the storage. */
void csp_strbuf_free(csp_strbuf *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
}

/* Empty the buffer, keeping its storage. */
void csp_strbuf_reset(csp_strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

/* Room for n more bytes, growing geometrically up to the cap. */
csp_error csp_strbuf_reserve(csp_strbuf *sb, size_t n)
{
    if (n > sb->max - sb->len)
        return CSP_ERR_LIMIT;
    if (sb->len + n + 1 > sb->cap) {
        size_t want = sb->cap ? sb->cap : 64;
        while (want < sb->len + n + 1)
            want *= 2;
        if (want > sb->max + 1)
            want = sb->max + 1;
        char *p = csp_realloc(sb->data, want);
        if (!p)
            return CSP_ERR_NOMEM;
        sb->data = p;
        sb->cap = want;
    }
    return CSP_OK;
}

/* Append n bytes. */
csp_error csp_strbuf_add(csp_strbuf *sb, const char *s, size_t n)
{
    csp_error err = csp_strbuf_reserve(sb, n);
    if (err != CSP_OK)
        return err;
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return CSP_OK;
}

/* Append a C string. */
csp_error csp_strbuf_puts(csp_strbuf *sb, const char *s)
{
    return csp_strbuf_add(sb, s, strlen(s));
}

/* Append one byte. */
csp_error csp_strbuf_putc(csp_strbuf *sb, char c)
{
    return csp_strbuf_add(sb, &c, 1);
}

/* Append formatted text. */
csp_error csp_strbuf_printf(csp_strbuf *sb, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CSP_ERR_INTERNAL;
    if ((size_t)n < sizeof small)
        return csp_strbuf_add(sb, small, (size_t)n);
    char *big = csp_malloc((size_t)n + 1);
    if (!big)
        return CSP_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    csp_error err = csp_strbuf_add(sb, big, (size_t)n);
    free(big);
    return err;
}

/* The text so far. */
const char *csp_strbuf_str(const csp_strbuf *sb)
{
    return sb->data ? sb->data : "";
}

/* Hand the text to the caller. */
char *csp_strbuf_take(csp_strbuf *sb)
{
    char *s = sb->data;
    if (!s)
        s = csp_calloc(1, 1);
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    return s;
}
