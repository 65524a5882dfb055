/*
 * Internal: a growable string with a cap, in the manner of curl's dynbuf.
 * Every buffer that grows from input has a cap; appending past it fails
 * with CSP_ERR_LIMIT and leaves the buffer as it was.
 */
#ifndef CSPPACK_STRBUF_H
#define CSPPACK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "csppack/base/error.h"

typedef struct csp_strbuf {
    char *data;        /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;        /* allocated bytes */
    size_t max;        /* the cap: len never exceeds it */
} csp_strbuf;

/** Start empty with a cap of @p max bytes (SIZE_MAX: no cap). */
void csp_strbuf_init(csp_strbuf *sb, size_t max);
/** Free the storage; the buffer is empty again. */
void csp_strbuf_free(csp_strbuf *sb);
/** Empty it, keeping storage. */
void csp_strbuf_reset(csp_strbuf *sb);
/** Room for @p n more bytes and a NUL, for a caller that fills
 *  data[len..len + n) itself and then adds n to len. */
csp_error csp_strbuf_reserve(csp_strbuf *sb, size_t n) CSP_MUST_CHECK;
/** Append @p n bytes. */
csp_error csp_strbuf_add(csp_strbuf *sb, const char *s, size_t n) CSP_MUST_CHECK;
/** Append a NUL-terminated string. */
csp_error csp_strbuf_puts(csp_strbuf *sb, const char *s) CSP_MUST_CHECK;
/** Append one byte. */
csp_error csp_strbuf_putc(csp_strbuf *sb, char c) CSP_MUST_CHECK;
/** Append formatted text. */
csp_error csp_strbuf_printf(csp_strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3))) CSP_MUST_CHECK;
/** The text so far ("" when empty); borrowed. */
const char *csp_strbuf_str(const csp_strbuf *sb);
/** Hand the text to the caller (free() it); the buffer is empty again.
 *  Never NULL unless memory ran out. */
char *csp_strbuf_take(csp_strbuf *sb);

#endif
