/* Unit tests: period labels and the key-findings tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/reconcile/keyfindings.h"
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

/* The legend of csppack's figures in a table: nothing when none is
 * marked; the mark alone for a computed figure; what each partner sent
 * where csppack's figure replaced it. */
static void test_keyfindings_legend(void **state)
{
    (void)state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<submission xmlns=\"urn:csppack:submission:1\" "
        "strategy=\"dg-csp-2016-19\" agency=\"kent-police\" "
        "submitted=\"2016-10-21T11:40:00+01:00\">\n"
        "<submitter name=\"P\" email=\"p@x.example\"/>\n"
        "<observations>\n"
        "<obs indicator=\"victim-based-crime\" area=\"dartford\" "
        "period=\"2015-10-01/2016-09-30\" value=\"8388\"/>\n"
        "<obs indicator=\"crimes-against-society\" area=\"dartford\" "
        "period=\"2015-10-01/2016-09-30\" value=\"619\"/>\n"
        "<obs indicator=\"crimes-against-society-rate\" area=\"dartford\" "
        "period=\"2015-10-01/2016-09-30\" value=\"5.9\"/>\n"
        "<obs indicator=\"total-crime-rate\" area=\"dartford\" "
        "period=\"2015-10-01/2016-09-30\" value=\"86.6\"/>\n"
        "</observations>\n</submission>\n";
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = tu_parse("kp.xml", xml, sizeof xml - 1, &d);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    csp_period y16;
    static const char y16s[] = "2015-10-01/2016-09-30";
    assert_int_equal(csp_period_parse(y16s, sizeof y16s - 1, &y16),
                     CSP_PERIOD_OK);
    const csp_figure *vbc =
        csp_dataset_figure(ds, "victim-based-crime", "dartford", y16);
    const csp_figure *total =
        csp_dataset_figure(ds, "total-crime", "dartford", y16);
    const csp_figure *cas =
        csp_dataset_figure(ds, "crimes-against-society-rate", "dartford", y16);
    const csp_figure *tcr =
        csp_dataset_figure(ds, "total-crime-rate", "dartford", y16);

    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    /* A partner's figure: no mark, no legend. */
    assert_false(csp_kf_legend_note(&lg, ds, vbc));
    assert_null(csp_kf_legend_take(&lg));
    assert_int_equal(lg.err, CSP_OK);
    /* 9007, computed where nobody sent a total: the mark alone. */
    assert_true(csp_kf_legend_note(&lg, ds, total));
    char *s = csp_kf_legend_take(&lg);
    assert_string_equal(s, CSP_KF_ORIGIN_MARK " worked out by csppack from "
                           "the partnership's figures under the strategy's "
                           "rule.");
    free(s);
    /* Two replaced in one table: both named, "do not agree". */
    assert_true(csp_kf_legend_note(&lg, ds, cas));
    assert_true(csp_kf_legend_note(&lg, ds, tcr));
    assert_true(csp_kf_legend_note(&lg, ds, total));
    s = csp_kf_legend_take(&lg);
    assert_string_equal(
        s, CSP_KF_ORIGIN_MARK " worked out by csppack from the partnership's "
           "figures under the strategy's rule. Kent Police sent 5.9 for "
           "Crimes against society per 1,000 population, Dartford, YE Sept "
           "16; Kent Police sent 86.6 for Total crime per 1,000 population, "
           "Dartford, YE Sept 16, which do not agree with them (W409; see "
           "Data quality).");
    free(s);
    /* Taken: the legend is empty for the next table. */
    assert_null(csp_kf_legend_take(&lg));
    csp_kf_legend_free(&lg);
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfindings_labels),
        cmocka_unit_test(test_keyfindings_change_format),
        cmocka_unit_test(test_keyfindings_strategy_tables),
        cmocka_unit_test(test_keyfindings_legend),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
