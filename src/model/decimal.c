/* csppack: exact decimals (no floating point anywhere). */
#include "csppack/model/decimal.h"

#include <string.h>

typedef csp_int128 i128;

static const int64_t pow10_64[] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

/* 10^n as a 128-bit integer (n <= 36). */
static i128 pow10_128(unsigned n)
{
    i128 r = 1;
    while (n--)
        r *= 10;
    return r;
}

/* Parse an exact decimal: [+-]digits[.digits]. */
csp_decimal_status csp_decimal_parse(const char *text, size_t len,
                                     csp_decimal *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0)
        return CSP_DEC_EMPTY;
    if (text[0] == '+' || text[0] == '-') {
        neg = text[0] == '-';
        i = 1;
    }
    size_t int_start = i;
    while (i < len && text[i] >= '0' && text[i] <= '9')
        i++;
    size_t int_digits = i - int_start;
    size_t frac_start = i, frac_digits = 0;
    if (i < len && text[i] == '.') {
        frac_start = ++i;
        while (i < len && text[i] >= '0' && text[i] <= '9')
            i++;
        frac_digits = i - frac_start;
        if (frac_digits == 0)
            return CSP_DEC_SYNTAX;
    }
    if (i != len || int_digits == 0)
        return CSP_DEC_SYNTAX;
    /* Leading zeros of the whole part carry no precision. */
    size_t sig_start = int_start;
    while (sig_start < int_start + int_digits - 1 && text[sig_start] == '0')
        sig_start++;
    size_t sig_int = int_start + int_digits - sig_start;
    if (frac_digits > CSP_DECIMAL_MAX_SCALE ||
        sig_int + frac_digits > CSP_DECIMAL_MAX_DIGITS)
        return CSP_DEC_TOO_LONG;
    int64_t units = 0;
    for (size_t k = sig_start; k < int_start + int_digits; k++)
        units = units * 10 + (text[k] - '0');
    for (size_t k = frac_start; k < frac_start + frac_digits; k++)
        units = units * 10 + (text[k] - '0');
    out->units = neg ? -units : units;
    out->scale = (uint8_t)frac_digits;
    return CSP_DEC_OK;
}

/* Print exactly, keeping trailing zeros. */
void csp_decimal_format(csp_decimal d, char buf[CSP_DECIMAL_BUFSZ])
{
    uint64_t mag = d.units < 0 ? (uint64_t)0 - (uint64_t)d.units
                               : (uint64_t)d.units;
    /* The digits of mag, without snprintf (a value or two per row). */
    char digits[CSP_DECIMAL_BUFSZ], rev[CSP_DECIMAL_BUFSZ];
    int n = 0;
    do {
        rev[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    for (int k = 0; k < n; k++)
        digits[k] = rev[n - 1 - k];
    digits[n] = '\0';
    char *p = buf;
    if (d.units < 0)
        *p++ = '-';
    if (d.scale == 0) {
        memcpy(p, digits, (size_t)n + 1);
        return;
    }
    int whole = n - d.scale;
    if (whole <= 0) {
        *p++ = '0';
        *p++ = '.';
        for (int k = whole; k < 0; k++)
            *p++ = '0';
        memcpy(p, digits, (size_t)n + 1);
        return;
    }
    memcpy(p, digits, (size_t)whole);
    p += whole;
    *p++ = '.';
    memcpy(p, digits + whole, (size_t)(n - whole) + 1);
}

/* Both values scaled to a common number of decimals. */
static void common_scale(csp_decimal a, csp_decimal b, i128 *ra, i128 *rb,
                         unsigned *scale)
{
    unsigned s = a.scale > b.scale ? a.scale : b.scale;
    *ra = (i128)a.units * pow10_64[s - a.scale];
    *rb = (i128)b.units * pow10_64[s - b.scale];
    *scale = s;
}

/* Compare by value. */
int csp_decimal_cmp(csp_decimal a, csp_decimal b)
{
    i128 x, y;
    unsigned s;
    common_scale(a, b, &x, &y, &s);
    return (x > y) - (x < y);
}

/* A whole number? */
bool csp_decimal_is_whole(csp_decimal d)
{
    return d.units % pow10_64[d.scale] == 0;
}

/* Do value ± half a unit of the last decimal overlap? */
bool csp_decimal_consistent(csp_decimal a, csp_decimal b)
{
    /* Work at one more decimal than either, where half a unit is whole. */
    unsigned s = (a.scale > b.scale ? a.scale : b.scale) + 1u;
    i128 x = (i128)a.units * pow10_64[s - a.scale];
    i128 y = (i128)b.units * pow10_64[s - b.scale];
    i128 ha = 5 * (i128)pow10_64[s - a.scale - 1];
    i128 hb = 5 * (i128)pow10_64[s - b.scale - 1];
    i128 diff = x > y ? x - y : y - x;
    return diff <= ha + hb;
}

/* The rational value of a decimal. */
csp_ratio csp_ratio_from_decimal(csp_decimal d)
{
    csp_ratio r = {d.units, pow10_64[d.scale]};
    return r;
}

/* |v| for 128-bit values. */
static i128 abs128(i128 v)
{
    return v < 0 ? -v : v;
}

/* Greatest common divisor of non-negative values. */
static i128 gcd128(i128 a, i128 b)
{
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Is d within half a unit of its last decimal of the exact value r? */
bool csp_decimal_matches_ratio(csp_decimal d, csp_ratio r)
{
    if (r.den <= 0)
        return false;
    i128 g = gcd128(abs128(r.num), r.den);
    if (g > 1) {
        r.num /= g;
        r.den /= g;
    }
    /* 2 * |u*q - p*10^s| <= q */
    i128 uq, ps, diff;
    if (__builtin_mul_overflow((i128)d.units, r.den, &uq) ||
        __builtin_mul_overflow(r.num, (i128)pow10_64[d.scale], &ps) ||
        __builtin_sub_overflow(uq, ps, &diff))
        return false;
    diff = abs128(diff);
    if (diff > r.den)
        return false;
    return 2 * diff <= r.den;
}

/* Round half away from zero to scale decimals. */
csp_error csp_ratio_round(csp_ratio r, unsigned scale, csp_decimal *out)
{
    if (r.den <= 0 || scale > CSP_DECIMAL_MAX_SCALE)
        return CSP_ERR_USAGE;
    i128 n;
    if (__builtin_mul_overflow(abs128(r.num), pow10_128(scale), &n))
        return CSP_ERR_LIMIT;
    i128 q = n / r.den;
    i128 rem = n % r.den;
    if (2 * rem >= r.den)
        q++;
    if (q > (i128)INT64_MAX)
        return CSP_ERR_LIMIT;
    out->units = (int64_t)(r.num < 0 ? -q : q);
    out->scale = (uint8_t)scale;
    return CSP_OK;
}

/* a + b exactly. */
csp_error csp_decimal_add(csp_decimal a, csp_decimal b, csp_decimal *out)
{
    i128 x, y;
    unsigned s;
    common_scale(a, b, &x, &y, &s);
    i128 sum = x + y;
    if (sum > (i128)INT64_MAX || sum < (i128)INT64_MIN)
        return CSP_ERR_LIMIT;
    out->units = (int64_t)sum;
    out->scale = (uint8_t)s;
    return CSP_OK;
}

/* The decimal with its whole digits grouped by three. */
void csp_decimal_format_grouped(csp_decimal d, unsigned min_decimals,
                                char buf[CSP_DECIMAL_GROUPED_BUFSZ])
{
    char v[CSP_DECIMAL_BUFSZ];
    const char *p = v, *dot;
    size_t o = 0, whole;

    csp_decimal_format(d, v);
    if (*p == '-')
        buf[o++] = *p++;
    dot = strchr(p, '.');
    whole = dot ? (size_t)(dot - p) : strlen(p);
    for (size_t i = 0; i < whole; i++) {
        if (i && (whole - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = p[i];
    }
    if (dot) {
        size_t nd = strlen(dot + 1);
        memcpy(buf + o, dot, nd + 1);
        o += nd + 1;
        for (; nd < min_decimals && o + 1 < CSP_DECIMAL_GROUPED_BUFSZ; nd++)
            buf[o++] = '0';
    }
    buf[o] = '\0';
}
