/* Unit tests: values and counts as every report prints them
 * (write/common.h, csp_out_value_text and csp_out_count_text). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "csppack/write/common.h"

/* The value @p text (a decimal as submitted) of @p unit as printed. */
static const char *shown(const char *text, csp_unit unit, const char *cur)
{
    static char buf[64];
    csp_decimal d;
    assert_int_equal(csp_decimal_parse(text, strlen(text), &d), CSP_DEC_OK);
    csp_out_value_text(d, unit, cur, buf, sizeof buf);
    return buf;
}

/* Thousands separated by commas, decimals as they stand, signs kept. */
static void test_values_grouped(void **state)
{
    (void)state;
    assert_string_equal(shown("0", CSP_UNIT_COUNT, NULL), "0");
    assert_string_equal(shown("999", CSP_UNIT_COUNT, NULL), "999");
    assert_string_equal(shown("1000", CSP_UNIT_COUNT, NULL), "1,000");
    assert_string_equal(shown("7795", CSP_UNIT_COUNT, NULL), "7,795");
    assert_string_equal(shown("1000000", CSP_UNIT_COUNT, NULL), "1,000,000");
    assert_string_equal(shown("-1000", CSP_UNIT_COUNT, NULL), "-1,000");
    assert_string_equal(shown("-999", CSP_UNIT_COUNT, NULL), "-999");
    assert_string_equal(shown("-1234567.25", CSP_UNIT_AVERAGE, NULL),
                        "-1,234,567.25");
    /* A rate keeps its decimals, trailing zeros included. */
    assert_string_equal(shown("12345.6", CSP_UNIT_RATE, NULL), "12,345.6");
    assert_string_equal(shown("80.70", CSP_UNIT_RATE, NULL), "80.70");
    assert_string_equal(shown("0.5", CSP_UNIT_RATE, NULL), "0.5");
    assert_string_equal(shown("1234.5", CSP_UNIT_PERCENT, NULL), "1,234.5%");
    /* Money: the template's symbol (else £), pence with two digits. */
    assert_string_equal(shown("12345.5", CSP_UNIT_MONEY, NULL),
                        "\xC2\xA3" "12,345.50");
    assert_string_equal(shown("1000", CSP_UNIT_MONEY, "\xE2\x82\xAC"),
                        "\xE2\x82\xAC" "1,000");
}

/* A buffer too small gets a terminated prefix, never an overrun. */
static void test_values_truncated(void **state)
{
    (void)state;
    char buf[4] = "xxx";
    csp_decimal d = {1234567, 0};
    csp_out_value_text(d, CSP_UNIT_COUNT, NULL, buf, sizeof buf);
    assert_string_equal(buf, "1,2");
}

/* Counts (files, figures, measures) as printed. */
static void test_values_counts(void **state)
{
    (void)state;
    char g[CSP_DECIMAL_GROUPED_BUFSZ];
    assert_string_equal(csp_out_count_text(0, g), "0");
    assert_string_equal(csp_out_count_text(999, g), "999");
    assert_string_equal(csp_out_count_text(1000, g), "1,000");
    assert_string_equal(csp_out_count_text(1000000, g), "1,000,000");
    assert_string_equal(csp_out_count_text(UINT64_MAX, g),
                        "18446744073709551615");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_grouped),
        cmocka_unit_test(test_values_truncated),
        cmocka_unit_test(test_values_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
