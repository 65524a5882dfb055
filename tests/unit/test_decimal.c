/* Unit tests: exact decimals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "csppack/model/decimal.h"

/* Parse s, asserting success. */
static csp_decimal dec(const char *s)
{
    csp_decimal d;
    assert_int_equal(csp_decimal_parse(s, strlen(s), &d), CSP_DEC_OK);
    return d;
}

/* Format d into a static buffer. */
static const char *fmt(csp_decimal d)
{
    static char buf[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(d, buf);
    return buf;
}

static void test_decimal_parse_keeps_precision(void **state)
{
    (void)state;
    csp_decimal d = dec("80.70");
    assert_int_equal(d.units, 8070);
    assert_int_equal(d.scale, 2);
    assert_string_equal(fmt(d), "80.70");
    assert_string_equal(fmt(dec("8388")), "8388");
    assert_string_equal(fmt(dec("-0.05")), "-0.05");
    assert_string_equal(fmt(dec("+7")), "7");
    assert_string_equal(fmt(dec("007.5")), "7.5");
    assert_string_equal(fmt(dec("0.000000001")), "0.000000001");
}

static void test_decimal_parse_refuses(void **state)
{
    (void)state;
    static const char *const bad[] = {"1,385", "12%", "1e3", "", " 7", "7 ",
                                      "7.", ".5", "--1", "+", "0x10", "1.2.3",
                                      "NaN", "inf", "١٢"};
    csp_decimal d;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_not_equal(csp_decimal_parse(bad[i], strlen(bad[i]), &d),
                             CSP_DEC_OK);
    assert_int_equal(csp_decimal_parse("1234567890123456789", 19, &d),
                     CSP_DEC_TOO_LONG);
    assert_int_equal(csp_decimal_parse("0.1234567890", 12, &d),
                     CSP_DEC_TOO_LONG);
    assert_int_equal(csp_decimal_parse("123456789012345678", 18, &d),
                     CSP_DEC_OK);
}

static void test_decimal_compare_and_whole(void **state)
{
    (void)state;
    assert_int_equal(csp_decimal_cmp(dec("80.7"), dec("80.70")), 0);
    assert_int_equal(csp_decimal_cmp(dec("80.69"), dec("80.7")), -1);
    assert_int_equal(csp_decimal_cmp(dec("-1"), dec("-2")), 1);
    assert_true(csp_decimal_is_whole(dec("7")));
    assert_true(csp_decimal_is_whole(dec("7.0")));
    assert_false(csp_decimal_is_whole(dec("7.5")));
}

static void test_decimal_consistency_intervals(void **state)
{
    (void)state;
    /* 80.7 is 80.65..80.75; 80.73 is 80.725..80.735. */
    assert_true(csp_decimal_consistent(dec("80.7"), dec("80.73")));
    assert_true(csp_decimal_consistent(dec("80.7"), dec("80.75")));
    assert_true(csp_decimal_consistent(dec("80.7"), dec("80.8")));
    assert_false(csp_decimal_consistent(dec("80.7"), dec("80.9")));
    assert_false(csp_decimal_consistent(dec("8388"), dec("8390")));
    assert_true(csp_decimal_consistent(dec("8388"), dec("8388.4")));
}

static void test_decimal_ratio_match_and_round(void **state)
{
    (void)state;
    /* 8388 / 103900 * 1000 = 80.73147... */
    csp_ratio r = {(csp_int128)8388 * 1000, 103900};
    assert_true(csp_decimal_matches_ratio(dec("80.7"), r));
    assert_false(csp_decimal_matches_ratio(dec("80.8"), r));
    assert_false(csp_decimal_matches_ratio(dec("80.70"), r));
    assert_true(csp_decimal_matches_ratio(dec("80.73"), r));
    csp_decimal out;
    assert_int_equal(csp_ratio_round(r, 1, &out), CSP_OK);
    assert_string_equal(fmt(out), "80.7");
    /* Half away from zero, both signs. */
    csp_ratio half = {25, 10};
    assert_int_equal(csp_ratio_round(half, 0, &out), CSP_OK);
    assert_string_equal(fmt(out), "3");
    csp_ratio neg = {-25, 10};
    assert_int_equal(csp_ratio_round(neg, 0, &out), CSP_OK);
    assert_string_equal(fmt(out), "-3");
    csp_ratio third = {1, 3};
    assert_int_equal(csp_ratio_round(third, 2, &out), CSP_OK);
    assert_string_equal(fmt(out), "0.33");
}

static void test_decimal_add(void **state)
{
    (void)state;
    csp_decimal out;
    assert_int_equal(csp_decimal_add(dec("7795"), dec("523"), &out), CSP_OK);
    assert_string_equal(fmt(out), "8318");
    assert_int_equal(csp_decimal_add(dec("1.5"), dec("2.25"), &out), CSP_OK);
    assert_string_equal(fmt(out), "3.75");
    assert_int_equal(csp_decimal_add(dec("900000000000000000"),
                                     dec("900000000000000000"), &out),
                     CSP_OK);
    assert_int_equal(csp_decimal_add(dec("900000000000000000"),
                                     dec("0.900000000"), &out),
                     CSP_ERR_LIMIT);
}

/* Whole digits grouped by three, decimals padded, never rounded. */
static void test_decimal_format_grouped(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        unsigned min;
        const char *out;
    } cases[] = {
        {"0", 2, "0"},           {"999", 0, "999"},
        {"1000", 0, "1,000"},    {"100000", 0, "100,000"},
        {"12345.5", 2, "12,345.50"}, {"12345.125", 2, "12,345.125"},
        {"-1234567.5", 0, "-1,234,567.5"},
        {"999999999999999999", 0, "999,999,999,999,999,999"},
        {"0.000000001", 2, "0.000000001"},
    };
    char buf[CSP_DECIMAL_GROUPED_BUFSZ];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        csp_decimal d;
        assert_int_equal(
            csp_decimal_parse(cases[i].in, strlen(cases[i].in), &d),
            CSP_DEC_OK);
        csp_decimal_format_grouped(d, cases[i].min, buf);
        assert_string_equal(buf, cases[i].out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_parse_keeps_precision),
        cmocka_unit_test(test_decimal_parse_refuses),
        cmocka_unit_test(test_decimal_compare_and_whole),
        cmocka_unit_test(test_decimal_consistency_intervals),
        cmocka_unit_test(test_decimal_ratio_match_and_round),
        cmocka_unit_test(test_decimal_add),
        cmocka_unit_test(test_decimal_format_grouped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
