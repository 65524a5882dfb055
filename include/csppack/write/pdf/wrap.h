/*
 * The parts of csppack's PDF layout that need no libharu, unit-tested on
 * their own: text made safe to draw, line wrapping with any measure, and
 * colours.
 *
 *     csp_wrap w = {0};
 *     err = csp_wrap_text("To raise public awareness", 12, count_chars,
 *                         NULL, &w);
 *     ...
 *     csp_wrap_free(&w);
 */
#ifndef CSPPACK_WRITE_PDF_WRAP_H
#define CSPPACK_WRITE_PDF_WRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/write/doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- UTF-8 ------------------------------------------------------------ */

/**
 * A copy of @p n bytes of @p s that is safe to draw: every ill-formed
 * byte and every character outside the Basic Multilingual Plane (which
 * libharu would turn into a space) becomes U+FFFD, tabs and other
 * control characters become spaces, "\r\n" and "\r" become "\n".
 * NULL when memory ran out.  Caller frees.
 */
char *csp_utf8_clean(const char *s, size_t n);

/* ---- Wrapping --------------------------------------------------------- */

/** Width of @p n bytes of @p s, in points (any unit works). */
typedef double (*csp_measure_fn)(const char *s, size_t n, void *ctx);

/** One line of wrapped text: a byte range of the source. */
typedef struct csp_wrap_line {
    size_t start;
    size_t len; /**< 0 for an empty line (a blank line in the text) */
} csp_wrap_line;

/** The lines of a wrapped text. */
typedef struct csp_wrap {
    csp_wrap_line *lines;
    size_t count;
    size_t cap;
} csp_wrap;

/**
 * Break @p text (valid UTF-8, NUL-terminated) into lines no wider than
 * @p width.  Lines break at spaces (runs of spaces at a break vanish);
 * "\n" forces a break, so "\n\n" leaves an empty line between
 * paragraphs.  A word wider than a whole line is broken between
 * characters, preferably just after a '-' or '/', with at least one
 * character per line, so that wrapping always ends.  Every non-space
 * byte of @p text lands in exactly one line, in order.
 *
 *     "To raise public awareness" at width 12 chars gives
 *     "To raise", "public", "awareness".
 *
 * @p out must be zeroed or reused (its lines are replaced).
 * CSP_ERR_NOMEM when memory ran out.  Free with csp_wrap_free.
 */
csp_error csp_wrap_text(const char *text, double width, csp_measure_fn measure,
                        void *ctx, csp_wrap *out) CSP_MUST_CHECK;

/** Free the lines (the struct itself is the caller's; NULL is fine). */
void csp_wrap_free(csp_wrap *w);

/* ---- Colours ---------------------------------------------------------- */

/* csp_rgb is write/doc.h's: the HTML writer uses the same colours. */

/** Parse "#RRGGBB"; false (and *out untouched) when it is not one. */
bool csp_rgb_parse(const char *hex, csp_rgb *out);

/** Mix @p c with white: @p t = 0 gives c, 1 gives white. */
csp_rgb csp_rgb_tint(csp_rgb c, float t);

#ifdef __cplusplus
}
#endif
#endif
