/* csppack: text safe to draw, line wrapping and colours for the PDF. */
#include "csppack/write/pdf/wrap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"

/* ---- UTF-8 ------------------------------------------------------------ */

/* A copy that is safe to draw. */
char *csp_utf8_clean(const char *s, size_t n)
{
    static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
    /* Each input byte becomes at most 3 output bytes. */
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = csp_malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c == '\n') {
            out[o++] = '\n';
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            out[o++] = ' ';
            i++;
            continue;
        }
        size_t len = csp_utf8_seq_len(s + i, n - i);
        if (len == 0) {
            memcpy(out + o, repl, 3);
            o += 3;
            i++;
            continue;
        }
        if (len == 4) {
            /* libharu draws characters beyond the BMP as spaces. */
            memcpy(out + o, repl, 3);
            o += 3;
        } else if (len == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
            out[o++] = ' '; /* C1 controls */
        } else if (len == 2 && c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            /* A no-break space stays (it does not break lines). */
            memcpy(out + o, s + i, len);
            o += len;
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

/* ---- Wrapping --------------------------------------------------------- */

/* Append a line. */
static csp_error wrap_push(csp_wrap *w, size_t start, size_t len)
{
    if (w->count == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        csp_wrap_line *p = csp_realloc(w->lines, nc * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        w->lines = p;
        w->cap = nc;
    }
    w->lines[w->count].start = start;
    w->lines[w->count].len = len;
    w->count++;
    return CSP_OK;
}

/*
 * How many bytes of the word s[0..n) fit in width (at least one whole
 * character), and their width in *used: prefer to end just after a '-'
 * or '/' in the part that fits (not after its first character).  Widths
 * add up character by character (no kerning), so this is one pass over
 * the part that fits, however long the word.
 */
static size_t word_prefix(const char *s, size_t n, double width,
                          csp_measure_fn measure, void *ctx, double *used)
{
    size_t fit = 0;
    double w = 0;
    while (fit < n) {
        size_t len = csp_utf8_seq_len(s + fit, n - fit);
        if (len == 0)
            len = 1; /* not reached with clean text */
        double cw = measure(s + fit, len, ctx);
        if (w + cw > width)
            break;
        w += cw;
        fit += len;
    }
    if (fit == 0) {
        size_t len = csp_utf8_seq_len(s, n);
        fit = len ? len : 1;
        *used = measure(s, fit, ctx);
        return fit;
    }
    if (fit < n) {
        for (size_t i = fit; i >= 2; i--)
            if (s[i - 1] == '-' || s[i - 1] == '/') {
                *used = measure(s, i, ctx);
                return i;
            }
    }
    *used = w;
    return fit;
}

/* Wrap one hard line text[a..b) into w. */
static csp_error wrap_hard_line(const char *text, size_t a, size_t b,
                                double width, csp_measure_fn measure, void *ctx,
                                csp_wrap *w)
{
    double space = measure(" ", 1, ctx);
    size_t i = a;
    bool open = false;     /* a line is being filled */
    size_t ls = 0, le = 0; /* its byte range */
    double lw = 0;
    bool any = false;
    while (i < b) {
        /* Skip spaces, remembering how many stood before the word. */
        size_t gap_start = i;
        while (i < b && text[i] == ' ')
            i++;
        if (i >= b)
            break;
        size_t ws = i;
        while (i < b && text[i] != ' ')
            i++;
        size_t wl = i - ws;
        double ww = measure(text + ws, wl, ctx);
        double gw = open ? space * (double)(ws - gap_start) : 0;
        if (open && lw + gw + ww <= width) {
            le = ws + wl;
            lw += gw + ww;
            continue;
        }
        if (open) {
            csp_error err = wrap_push(w, ls, le - ls);
            if (err)
                return err;
            any = true;
            open = false;
        }
        /* The word starts a line; break it while it is too wide.  What
         * is left is measured again exactly once it is near a line. */
        size_t p = ws, rest = wl;
        double rest_w = ww;
        while (rest > 0 && rest_w > width) {
            double kw;
            size_t k = word_prefix(text + p, rest, width, measure, ctx, &kw);
            csp_error err = wrap_push(w, p, k);
            if (err)
                return err;
            any = true;
            p += k;
            rest -= k;
            rest_w -= kw;
            if (rest_w <= 2 * width)
                rest_w = measure(text + p, rest, ctx);
        }
        if (rest > 0) {
            open = true;
            ls = p;
            le = p + rest;
            lw = measure(text + p, rest, ctx);
        }
    }
    if (open || !any)
        return wrap_push(w, open ? ls : a, open ? le - ls : 0);
    return CSP_OK;
}

/* Break text into lines. */
csp_error csp_wrap_text(const char *text, double width, csp_measure_fn measure,
                        void *ctx, csp_wrap *out)
{
    out->count = 0;
    size_t n = strlen(text);
    size_t a = 0;
    for (;;) {
        const char *nl = memchr(text + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - text) : n;
        csp_error err = wrap_hard_line(text, a, b, width, measure, ctx, out);
        if (err)
            return err;
        if (!nl)
            break;
        a = b + 1;
    }
    return CSP_OK;
}

/* Free the lines. */
void csp_wrap_free(csp_wrap *w)
{
    if (!w)
        return;
    free(w->lines);
    w->lines = NULL;
    w->count = w->cap = 0;
}

/* ---- Colours ---------------------------------------------------------- */

/* One hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse "#RRGGBB". */
bool csp_rgb_parse(const char *hex, csp_rgb *out)
{
    if (!hex || hex[0] != '#' || strlen(hex) != 7)
        return false;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(hex[i + 1])) < 0)
            return false;
    out->r = (float)(v[0] * 16 + v[1]) / 255.0f;
    out->g = (float)(v[2] * 16 + v[3]) / 255.0f;
    out->b = (float)(v[4] * 16 + v[5]) / 255.0f;
    return true;
}

/* Mix with white. */
csp_rgb csp_rgb_tint(csp_rgb c, float t)
{
    csp_rgb o = {c.r + (1 - c.r) * t, c.g + (1 - c.g) * t, c.b + (1 - c.b) * t};
    return o;
}
