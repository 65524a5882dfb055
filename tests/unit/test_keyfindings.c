/* Unit tests: period labels and the key-findings tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/keyfindings.h"
#include "testutil.h"

/* The label of a period written as text. */
static const char *label(const char *text)
{
    static char buf[CSP_LABEL_BUFSZ];
    csp_period p;
    assert_int_equal(csp_period_parse(text, strlen(text), &p), CSP_PERIOD_OK);
    csp_period_label(p, buf);
    return buf;
}

/* The phrase of a period written as text. */
static const char *phrase(const char *text)
{
    static char buf[CSP_LABEL_BUFSZ];
    csp_period p;
    assert_int_equal(csp_period_parse(text, strlen(text), &p), CSP_PERIOD_OK);
    csp_period_phrase(p, buf);
    return buf;
}

static void test_keyfindings_labels(void **state)
{
    (void)state;
    assert_string_equal(label("2015-10-01/2016-09-30"), "YE Sept 16");
    assert_string_equal(label("2013-10-01/2014-09-30"), "YE Sept 14");
    assert_string_equal(label("2016-07-01/2016-09-30"), "Q2 2016/17");
    assert_string_equal(label("2017-01-01/2017-03-31"), "Q4 2016/17");
    assert_string_equal(label("2016-04-01/2017-03-31"), "2016/17");
    assert_string_equal(label("2016-09-01/2016-09-30"), "Sept 2016");
    assert_string_equal(label("2016-01-01/2016-12-31"), "YE Dec 16");
    assert_string_equal(label("2016-07-03/2016-09-30"),
                        "3 July 2016 \xe2\x80\x93 30 Sept 2016");
    assert_string_equal(phrase("2015-10-01/2016-09-30"),
                        "the year ending 30 September 2016");
    assert_string_equal(phrase("2016-07-01/2016-09-30"),
                        "the quarter 1 July to 30 September 2016");
}

static void test_keyfindings_change_format(void **state)
{
    (void)state;
    char buf[CSP_DECIMAL_BUFSZ + 1];
    csp_decimal d = {115, 1};
    csp_kf_format_change(d, buf);
    assert_string_equal(buf, "+11.5");
    d.units = -30;
    csp_kf_format_change(d, buf);
    assert_string_equal(buf, "-3.0");
    d.units = 0;
    csp_kf_format_change(d, buf);
    assert_string_equal(buf, "0.0");
}

/* Format a figure's value, or "-" when none stands. */
static const char *val(const csp_figure *f)
{
    static char buf[CSP_DECIMAL_BUFSZ];
    if (!f || f->state != CSP_FIGURE_STANDS || !f->has_value)
        return "-";
    csp_decimal_format(f->value, buf);
    return buf;
}

static void test_keyfindings_strategy_tables(void **state)
{
    (void)state;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = tu_read_sample("kent-police-2016q2.xml", &d);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);

    csp_kf kf;
    assert_int_equal(csp_kf_build(ds, &kf), CSP_OK);
    assert_int_equal(kf.nperiods, 3);
    char lab[CSP_LABEL_BUFSZ];
    csp_period_label(kf.periods[0], lab);
    assert_string_equal(lab, "YE Sept 14");
    assert_int_equal(kf.nareas, 2);
    /* As the strategy prints them (with the tool's own rounding). */
    static const char *const want[2][3][6] = {
        {{"7795", "7522", "8388", "+11.5", "80.7"},
         {"523", "464", "619", "+33.4", "6.0"},
         {"8318", "7986", "9007", "+12.8", "86.7"}},
        {{"7180", "6783", "7697", "+13.5", "72.4"},
         {"521", "460", "612", "+33.0", "5.8"},
         {"7701", "7243", "8309", "+14.7", "78.2"}},
    };
    for (size_t a = 0; a < 2; a++) {
        assert_int_equal(kf.areas[a].nlines, 3);
        for (size_t r = 0; r < 3; r++) {
            const csp_kf_line *l = &kf.areas[a].lines[r];
            for (size_t p = 0; p < 3; p++)
                assert_string_equal(val(l->values[p]), want[a][r][p]);
            char ch[CSP_DECIMAL_BUFSZ + 1];
            assert_true(l->has_change);
            csp_kf_format_change(l->change, ch);
            assert_string_equal(ch, want[a][r][3]);
            assert_string_equal(val(l->rate), want[a][r][4]);
        }
    }
    csp_period q;
    assert_true(csp_pack_default_period(ds, &q));
    csp_period_label(q, lab);
    assert_string_equal(lab, "Q2 2016/17");
    assert_true(csp_period_is_quarter(q));
    assert_false(csp_period_is_quarter(kf.periods[0]));
    /* The years that end by a date: a pack for an earlier quarter shows
     * no later year. */
    csp_kf early;
    assert_int_equal(csp_kf_build_until(ds, kf.periods[1].end, &early),
                     CSP_OK);
    assert_int_equal(early.nperiods, 2);
    assert_int_equal(csp_period_cmp(early.periods[1], kf.periods[1]), 0);
    assert_string_equal(val(early.areas[0].lines[0].values[1]), "7522");
    csp_kf_free(&early);
    setenv("SOURCE_DATE_EPOCH", "1480000000", 1);
    assert_int_equal(csp_pack_timestamp(ds).seconds, 1480000000);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(csp_instant_cmp(csp_pack_timestamp(ds), sub->submitted),
                     0);
    csp_kf_free(&kf);
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfindings_labels),
        cmocka_unit_test(test_keyfindings_change_format),
        cmocka_unit_test(test_keyfindings_strategy_tables),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
