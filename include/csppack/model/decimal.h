/*
 * Exact decimals.
 *
 * A figure is units / 10^scale, held in a 64-bit integer.  The scale is the
 * number of decimals the partner wrote, so "80.70" is {8070, 2} and keeps
 * its precision.  Every comparison and derived figure is exact: there is no
 * floating point anywhere in this module.
 */
#ifndef CSPPACK_DECIMAL_H
#define CSPPACK_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** At most this many digits (before and after the point together). */
#define CSP_DECIMAL_MAX_DIGITS 18
/** At most this many decimals. */
#define CSP_DECIMAL_MAX_SCALE 9
/** Room for any decimal printed by csp_decimal_format (sign, point, NUL). */
#define CSP_DECIMAL_BUFSZ 24

/** An exact decimal: units / 10^scale. */
typedef struct csp_decimal {
    int64_t units;
    uint8_t scale;
} csp_decimal;

/** Why csp_decimal_parse refused a text. */
typedef enum csp_decimal_status {
    CSP_DEC_OK = 0,
    CSP_DEC_EMPTY,        /**< nothing written */
    CSP_DEC_SYNTAX,       /**< not digits with an optional sign and point */
    CSP_DEC_TOO_LONG      /**< more digits or decimals than we hold */
} csp_decimal_status;

/**
 * Parse @p text (not NUL-terminated; @p len bytes) as an exact decimal:
 * optional sign, digits, optional '.' and digits.  No spaces, exponent,
 * thousands separator or unit.  "7.", ".5" are refused.
 */
csp_decimal_status csp_decimal_parse(const char *text, size_t len,
                                     csp_decimal *out);

/** Print @p d exactly as it stands, keeping trailing zeros ("80.70"). */
void csp_decimal_format(csp_decimal d, char buf[CSP_DECIMAL_BUFSZ]);

/** Room for csp_decimal_format_grouped's text and its terminator. */
#define CSP_DECIMAL_GROUPED_BUFSZ 32

/** As csp_decimal_format, with a comma between each group of three
 *  whole digits ("12,345.5", "100,000"); @p min_decimals pads the
 *  decimals with zeros up to that many when it has some ("12,345.50"
 *  with 2), never rounding. */
void csp_decimal_format_grouped(csp_decimal d, unsigned min_decimals,
                                char buf[CSP_DECIMAL_GROUPED_BUFSZ]);

/** -1, 0 or 1 as a < b, a == b, a > b by value (80.7 == 80.70). */
int csp_decimal_cmp(csp_decimal a, csp_decimal b);

/** True when @p d is a whole number (7 and 7.0 are; 7.5 is not). */
bool csp_decimal_is_whole(csp_decimal d);

/**
 * True when the intervals value ± half a unit in the last decimal of @p a
 * and of @p b overlap (80.7 and 80.73 are consistent).
 */
bool csp_decimal_consistent(csp_decimal a, csp_decimal b);

/** A 128-bit integer (GCC and Clang). */
__extension__ typedef __int128 csp_int128;

/**
 * An exact rational, num / den with den > 0, for derived figures
 * (rates, shares) before they are rounded.  Held in 128 bits.
 */
typedef struct csp_ratio {
    csp_int128 num;
    csp_int128 den;
} csp_ratio;

/** The rational value of @p d. */
csp_ratio csp_ratio_from_decimal(csp_decimal d);

/**
 * True when @p d lies within half a unit of its own last decimal of the
 * exact value @p r (the "submitted figure is consistent" test).
 */
bool csp_decimal_matches_ratio(csp_decimal d, csp_ratio r);

/**
 * Round @p r half away from zero to @p scale decimals.
 * Returns CSP_ERR_LIMIT when the result does not fit.
 */
csp_error csp_ratio_round(csp_ratio r, unsigned scale, csp_decimal *out)
    CSP_MUST_CHECK;

/** a + b exactly; CSP_ERR_LIMIT on overflow. */
csp_error csp_decimal_add(csp_decimal a, csp_decimal b, csp_decimal *out)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
