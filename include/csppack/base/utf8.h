/*
 * UTF-8: the one decoder every module uses.
 *
 * Well-formed means RFC 3629: no over-long forms, no surrogates, nothing
 * past U+10FFFF.  Nothing here allocates.
 */
#ifndef CSPPACK_BASE_UTF8_H
#define CSPPACK_BASE_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * The length (1 to 4) of the well-formed sequence at @p s, which has
 * @p n bytes left, or 0 when the bytes there are not UTF-8 (or @p n is
 * 0).  When @p cp is not NULL and the result is not 0, *cp is the code
 * point.
 */
size_t csp_utf8_decode(const char *s, size_t n, uint32_t *cp);

/** csp_utf8_decode without the code point. */
static inline size_t csp_utf8_seq_len(const char *s, size_t n)
{
    return csp_utf8_decode(s, n, NULL);
}

/** @p i, or the start of the character byte @p i is inside: moves back
 *  over continuation bytes, never before 0. */
size_t csp_utf8_floor(const char *s, size_t i);

/** The number of characters in the @p n bytes at @p s: code points,
 *  counting each ill-formed byte as one. */
size_t csp_utf8_count(const char *s, size_t n);

#endif
