/* Unit tests: dates, periods and instants. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "csppack/model/date.h"

static void test_date_parse_and_format(void **state)
{
    (void)state;
    csp_date d;
    char buf[CSP_DATE_BUFSZ];
    assert_true(csp_date_parse("1970-01-01", 10, &d));
    assert_int_equal(d, 0);
    assert_true(csp_date_parse("2016-02-29", 10, &d));
    csp_date_format(d, buf);
    assert_string_equal(buf, "2016-02-29");
    assert_false(csp_date_parse("2015-02-29", 10, &d));
    assert_false(csp_date_parse("2016-13-01", 10, &d));
    assert_false(csp_date_parse("2016-9-30", 9, &d));
    assert_false(csp_date_parse("2016/09/30", 10, &d));
    /* Round trip across a range of days. */
    for (csp_date x = -719000; x < 2900000; x += 997) {
        int y, m, dd;
        csp_date back;
        csp_date_to_ymd(x, &y, &m, &dd);
        assert_true(csp_date_from_ymd(y, m, dd, &back));
        assert_int_equal(back, x);
    }
}

static void test_date_period(void **state)
{
    (void)state;
    csp_period p;
    char buf[CSP_PERIOD_BUFSZ];
    const char *s = "2015-10-01/2016-09-30";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_OK);
    csp_period_format(p, buf);
    assert_string_equal(buf, s);
    s = "2016-09-30/2015-10-01";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_REVERSED);
    s = "2016-02-30/2016-03-31";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_BAD_DATE);
    s = "2016-07-01 2016-09-30";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_SYNTAX);
    s = "Q2 2016/17";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_SYNTAX);
    s = "2016-07-01/2016-07-01";
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_OK);
}

static void test_date_instant(void **state)
{
    (void)state;
    csp_instant a, b;
    char buf[CSP_INSTANT_BUFSZ];
    const char *s = "2016-10-14T09:30:00+01:00";
    assert_true(csp_instant_parse(s, strlen(s), &a));
    csp_instant_format(a, buf);
    assert_string_equal(buf, s);
    s = "2016-10-14T08:30:00Z";
    assert_true(csp_instant_parse(s, strlen(s), &b));
    assert_int_equal(csp_instant_cmp(a, b), 0);
    s = "2016-10-14T08:30:00.5Z";
    assert_true(csp_instant_parse(s, strlen(s), &b));
    assert_int_equal(csp_instant_cmp(a, b), -1);
    csp_instant_format(b, buf);
    assert_string_equal(buf, s);
    s = "2016-10-14T09:30:00";
    assert_false(csp_instant_parse(s, strlen(s), &a));
    s = "2016-10-14";
    assert_false(csp_instant_parse(s, strlen(s), &a));
    s = "2016-10-14T25:00:00Z";
    assert_false(csp_instant_parse(s, strlen(s), &a));
    s = "2016-10-14T09:30:00+1:00";
    assert_false(csp_instant_parse(s, strlen(s), &a));
    s = "2016-10-14T09:30:00-05:00";
    assert_true(csp_instant_parse(s, strlen(s), &a));
    csp_instant_format(a, buf);
    assert_string_equal(buf, s);
}

/* Every part of an instant is printed with its digits as written: the
 * fraction without trailing zeros, the offset as hours and minutes, the
 * first and last years the format allows. */
static void test_date_instant_digits(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"2016-10-14T09:30:00.120Z", "2016-10-14T09:30:00.12Z"},
        {"2016-10-14T09:30:00.000000001+00:30",
         "2016-10-14T09:30:00.000000001+00:30"},
        {"2016-10-14T09:30:00.999999999-09:45",
         "2016-10-14T09:30:00.999999999-09:45"},
        {"2016-12-31T23:59:59+14:00", "2016-12-31T23:59:59+14:00"},
        {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
        {"9999-12-31T23:59:59+12:00", "9999-12-31T23:59:59+12:00"},
        {"9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        csp_instant t;
        char buf[CSP_INSTANT_BUFSZ];
        assert_true(csp_instant_parse(cases[i].in, strlen(cases[i].in), &t));
        csp_instant_format(t, buf);
        assert_string_equal(buf, cases[i].out);
    }
    /* Beyond those years in UTC or as written: refused, never written as
     * "10000-01-0T00:00:00Z" (which no reader takes back). */
    static const char *const beyond[] = {
        "9999-12-31T24:00:00Z", "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:30:00+01:00", "0001-01-01T00:00:00.5+00:01",
    };
    for (size_t i = 0; i < sizeof beyond / sizeof *beyond; i++) {
        csp_instant t;
        size_t n = strlen(beyond[i]);
        assert_false(csp_instant_parse(beyond[i], n, &t));
        assert_true(csp_instant_out_of_range(beyond[i], n));
    }
    assert_false(csp_instant_out_of_range("2016-10-14T09:30:00", 19));
    assert_false(csp_instant_out_of_range("2016-10-14T09:30:00Z", 20));
    char d[CSP_DATE_BUFSZ];
    csp_date y1, y9999;
    assert_true(csp_date_from_ymd(1, 1, 1, &y1));
    assert_true(csp_date_from_ymd(9999, 12, 31, &y9999));
    csp_date_format(y1, d);
    assert_string_equal(d, "0001-01-01");
    csp_date_format(y9999, d);
    assert_string_equal(d, "9999-12-31");
}

/* Months, dates and periods in words: one spelling for every output. */
static void test_date_words(void **state)
{
    (void)state;
    assert_string_equal(csp_month_name(1, false), "January");
    assert_string_equal(csp_month_name(9, true), "Sept");
    assert_string_equal(csp_month_name(6, true), "June");
    assert_string_equal(csp_month_name(0, false), "?");
    assert_string_equal(csp_month_name(13, true), "?");
    csp_date a;
    char d[CSP_DATE_WORDS_BUFSZ];
    assert_true(csp_date_from_ymd(2016, 9, 30, &a));
    csp_date_words(a, false, d);
    assert_string_equal(d, "30 September 2016");
    csp_date_words(a, true, d);
    assert_string_equal(d, "30 Sept 2016");
    static const struct {
        const char *iso, *words;
    } cases[] = {
        {"2016-07-01/2016-07-31", "July 2016"},
        {"2016-07-01/2016-09-30", "July to September 2016"},
        {"2015-10-01/2016-09-30", "October 2015 to September 2016"},
        {"2016-02-01/2016-02-29", "February 2016"},
        {"2016-07-04/2016-07-10", "4 July 2016 to 10 July 2016"},
        {"2016-07-01/2016-07-30", "1 July 2016 to 30 July 2016"},
        {"2016-07-04/2016-07-04", "4 July 2016"},
        {"9999-12-01/9999-12-31", "December 9999"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        csp_period p;
        char w[CSP_PERIOD_WORDS_BUFSZ];
        assert_int_equal(csp_period_parse(cases[i].iso, strlen(cases[i].iso),
                                          &p),
                         CSP_PERIOD_OK);
        csp_period_words(p, w);
        assert_string_equal(w, cases[i].words);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse_and_format),
        cmocka_unit_test(test_date_period),
        cmocka_unit_test(test_date_instant),
        cmocka_unit_test(test_date_instant_digits),
        cmocka_unit_test(test_date_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
