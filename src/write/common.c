/* csppack: names and orders shared by the pack writers (outcommon.h). */
#include "csppack/write/common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"

/* "FILE:LINE: severity: CODE: message" with the names of outputs. */
void csp_out_diag_line(const csp_dataset *ds, const csp_diag *d,
                       csp_outbuf *ob)
{
    if (d->file) {
        csp_outbuf_puts(ob, csp_dataset_name(ds, d->file));
        if (d->line) {
            csp_outbuf_putc(ob, ':');
            csp_outbuf_uint(ob, d->line);
        }
        csp_outbuf_add(ob, ": ", 2);
    } else {
        csp_outbuf_puts(ob, "csppack: ");
    }
    csp_outbuf_puts(ob, csp_severity_str(csp_diag_severity(d->code)));
    csp_outbuf_add(ob, ": ", 2);
    csp_outbuf_puts(ob, csp_diag_code_str(d->code));
    csp_outbuf_add(ob, ": ", 2);
    csp_outbuf_puts(ob, d->message ? d->message : "");
}

/* A date's text, formatted once per slot. */
void csp_out_date(csp_out_dates *c, csp_date d, char buf[CSP_DATE_BUFSZ])
{
    size_t i = (uint32_t)d % CSP_OUT_DATES;
    if (!c->slot[i].used || c->slot[i].date != d) {
        csp_date_format(d, c->slot[i].text);
        c->slot[i].date = d;
        c->slot[i].used = true;
    }
    memcpy(buf, c->slot[i].text, CSP_DATE_BUFSZ);
}

/* Decimal digits of a 128-bit integer. */
csp_error csp_out_int128(csp_strbuf *sb, csp_int128 v)
{
    char buf[48];
    size_t n = sizeof buf;
    bool neg = v < 0;
    /* Work with negative numbers so that the most negative value fits. */
    csp_int128 x = neg ? v : -v;
    buf[--n] = '\0';
    do {
        int digit = (int)(x % 10);
        buf[--n] = (char)('0' - digit);
        x /= 10;
    } while (x != 0);
    if (neg)
        buf[--n] = '-';
    return csp_strbuf_puts(sb, buf + n);
}

/* Greatest common divisor of two non-negative numbers. */
static csp_int128 gcd128(csp_int128 a, csp_int128 b)
{
    while (b != 0) {
        csp_int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* A ratio in lowest terms. */
csp_error csp_out_ratio(csp_strbuf *sb, csp_ratio r)
{
    csp_error err;
    csp_int128 num = r.num, den = r.den;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    if (den == 0)
        return csp_strbuf_puts(sb, "undefined");
    csp_int128 g = gcd128(num < 0 ? -num : num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    if ((err = csp_out_int128(sb, num)))
        return err;
    if (den == 1)
        return CSP_OK;
    if ((err = csp_strbuf_putc(sb, '/')))
        return err;
    return csp_out_int128(sb, den);
}

/* Length of the valid, XML-allowed UTF-8 character at @p s (ended by a
 * NUL), or 0: well-formed UTF-8 (csp_utf8_decode), and neither a control
 * but tab, LF and CR nor U+FFFE or U+FFFF. */
static size_t good_char(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
    const char *t = (const char *)s;
    uint32_t cp;
    size_t n = csp_utf8_decode(t, strnlen(t, 4), &cp);
    if (n == 0 || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

/* Valid UTF-8 that XML allows? */
bool csp_out_text_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        if (*p >= 0x20 && *p < 0x80) {  /* the common case, quickly */
            p++;
            continue;
        }
        size_t n = good_char(p);
        if (!n)
            return false;
        p += n;
    }
    return true;
}

/* Replace what XML refuses by U+FFFD. */
csp_error csp_out_text_clean(const char *s, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    csp_strbuf_reset(sb);
    if ((err = csp_strbuf_puts(sb, "")))
        return err;
    while (*p && err == CSP_OK) {
        size_t n = good_char(p);
        if (n) {
            err = csp_strbuf_add(sb, (const char *)p, n);
            p += n;
        } else {
            err = csp_strbuf_puts(sb, "\xEF\xBF\xBD");
            p++;
        }
    }
    return err;
}

csp_error csp_out_group_by_file(const size_t *file_of, size_t n,
                                size_t nfiles, size_t **by_out,
                                size_t **start_out)
{
    size_t *by = csp_malloc((n ? n : 1) * sizeof *by);
    size_t *start = csp_calloc(nfiles + 2, sizeof *start);
    *by_out = *start_out = NULL;
    if (!by || !start) {
        free(by);
        free(start);
        return CSP_ERR_NOMEM;
    }
    /* Count (file f's at start[f + 2]), prefix sums (then file f's group
     * begins at start[f + 1]), place (each start[f + 1] moves to the end
     * of group f, the beginning of group f + 1: group f is
     * by[start[f]..start[f + 1])). */
    for (size_t i = 0; i < n; i++)
        if (file_of[i] < nfiles)
            start[file_of[i] + 2]++;
    for (size_t f = 2; f < nfiles + 2; f++)
        start[f] += start[f - 1];
    for (size_t i = 0; i < n; i++)
        if (file_of[i] < nfiles)
            by[start[file_of[i] + 1]++] = i;
    *by_out = by;
    *start_out = start;
    return CSP_OK;
}

/* ------------------------------------------------------------------------ */
/* Buffered output                                                          */
/* ------------------------------------------------------------------------ */

void csp_outbuf_init(csp_outbuf *ob, FILE *out)
{
    ob->out = out;
    ob->len = 0;
    ob->err = CSP_OK;
}

csp_error csp_outbuf_flush(csp_outbuf *ob)
{
    /* After a failure the stream is not written again: errno, which
     * csp_outdir_close reports, still says why the first write failed. */
    if (ob->len && ob->err == CSP_OK &&
        fwrite(ob->data, 1, ob->len, ob->out) != ob->len)
        ob->err = CSP_ERR_IO;
    ob->len = 0;
    return ob->err;
}

void csp_outbuf_add_slow(csp_outbuf *ob, const char *s, size_t n)
{
    /* Fill the block, and write what is left straight through when it is
     * a block or more (a long progress statement). */
    size_t room = CSP_OUTBUF_SIZE - ob->len;
    memcpy(ob->data + ob->len, s, room);
    ob->len += room;
    s += room;
    n -= room;
    csp_outbuf_flush(ob);
    if (n >= CSP_OUTBUF_SIZE) {
        if (ob->err == CSP_OK && fwrite(s, 1, n, ob->out) != n)
            ob->err = CSP_ERR_IO;
        return;
    }
    memcpy(ob->data, s, n);
    ob->len = n;
}

void csp_outbuf_uint(csp_outbuf *ob, unsigned long long v)
{
    char buf[24];
    size_t n = sizeof buf;
    do {
        buf[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    csp_outbuf_add(ob, buf + n, sizeof buf - n);
}

/* What the XML escapers stop at, by byte: XML_STOP_TEXT in text content,
 * XML_STOP_ATTR in an attribute value.  Both stop at NUL (the end), at the
 * other controls and at every byte above 0x7F (checked as UTF-8), and at
 * ", &, < and >; an attribute stops at tab, LF and CR too, text at CR. */
enum { XML_STOP_TEXT = 1, XML_STOP_ATTR = 2, XML_STOP_BOTH = 3 };
#define B XML_STOP_BOTH
#define A XML_STOP_ATTR
static const unsigned char xml_stop[256] = {
    B, B, B, B, B, B, B, B, B, A, A, B, B, B, B, B, /* 0x00: tab, LF */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, /* 0x10 */
    0, 0, B, 0, 0, 0, B, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: " & */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, B, 0, B, 0, /* 0x30: < > */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, /* 0x80... */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,
};
#undef A
#undef B

/* The entity of a byte the escapers stop at, or NULL for a character
 * they check as UTF-8. */
static const char *xml_entity(unsigned char c)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '"': return "&quot;";
    case '\t': return "&#9;";   /* attributes only */
    case '\n': return "&#10;";  /* attributes only */
    case '\r': return "&#13;";
    default: return NULL;
    }
}

/* The first byte from @p p named by @p bits in @p table (common.h). */
const unsigned char *csp_out_scan(const unsigned char *p,
                                  const unsigned char *end,
                                  const unsigned char table[256],
                                  unsigned bits)
{
    while (p < end && !(table[*p] & bits))
        p++;
    return p;
}

/* Escape @p s, whose NUL is at @p end, for text (XML_STOP_TEXT) or an
 * attribute (XML_STOP_ATTR). */
static void xml_escape(csp_outbuf *ob, const char *s, const char *end,
                       unsigned stop)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (;;) {
        p = csp_out_scan(p, (const unsigned char *)end, xml_stop, stop);
        const char *e = xml_entity(*p);
        if (!e && *p) {
            /* A good character stays in the run; what XML refuses is
             * U+FFFD, a byte at a time, as csp_out_text_clean has it. */
            size_t n = good_char(p);
            if (n) {
                p += n;
                continue;
            }
            e = "\xEF\xBF\xBD";
        }
        csp_outbuf_add(ob, (const char *)run, (size_t)(p - run));
        if (!*p)
            return;
        csp_outbuf_puts(ob, e);
        run = ++p;
    }
}

void csp_out_xml_text(csp_outbuf *ob, const char *s, size_t n)
{
    xml_escape(ob, s, s + n, XML_STOP_TEXT);
}

void csp_out_xml_attr(csp_outbuf *ob, const char *s)
{
    xml_escape(ob, s, s + strlen(s), XML_STOP_ATTR);
}

bool csp_out_xml_attr_plain(const char *s, size_t n)
{
    const unsigned char *end = (const unsigned char *)s + n;
    return csp_out_scan((const unsigned char *)s, end, xml_stop,
                        XML_STOP_ATTR) == end;
}

csp_error csp_out_progress(const csp_dataset *ds, const csp_dataset_update *u,
                           csp_strbuf *sb)
{
    csp_strbuf_reset(sb);
    csp_error err = csp_strbuf_reserve(sb, u->progress_len);
    if (err == CSP_OK)
        err = csp_dataset_update_progress_read(ds, u, sb->data);
    sb->len = err == CSP_OK ? u->progress_len : 0;
    if (sb->data)
        sb->data[sb->len] = '\0';
    return err;
}

/* A value as the reports print it: grouped, exact, with its unit. */
void csp_out_value_text(csp_decimal d, csp_unit unit, const char *currency,
                        char *buf, size_t n)
{
    char v[CSP_DECIMAL_GROUPED_BUFSZ];
    if (!buf || n == 0)
        return;
    if (unit == CSP_UNIT_MONEY) {
        /* "£12,345.50": pence are written with two digits. */
        csp_decimal_format_grouped(d, 2, v);
        snprintf(buf, n, "%s%s", currency ? currency : "\xC2\xA3", v);
        return;
    }
    csp_decimal_format_grouped(d, 0, v);
    snprintf(buf, n, "%s%s", v, unit == CSP_UNIT_PERCENT ? "%" : "");
}

/* A count as the reports print it, "7,795". */
const char *csp_out_count_text(uint64_t count,
                               char buf[CSP_DECIMAL_GROUPED_BUFSZ])
{
    csp_decimal d = {0, 0};
    if (count > (uint64_t)INT64_MAX) {
        /* Beyond any count a pack holds; printed plainly. */
        snprintf(buf, CSP_DECIMAL_GROUPED_BUFSZ, "%llu",
                 (unsigned long long)count);
        return buf;
    }
    d.units = (int64_t)count;
    csp_decimal_format_grouped(d, 0, buf);
    return buf;
}
