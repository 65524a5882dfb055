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
    /* Rolling years ending September, as format 1 printed them. */
    assert_int_equal(kf.month, 9);
    char *chg = csp_kf_change_header(tu_tpl, &kf);
    assert_non_null(chg);
    assert_string_equal(chg, "% change (15 to 16)");
    free(chg);
    assert_string_equal(csp_kf_axis_title(tu_tpl, &kf), "Year ending");
    csp_kf_phrase(&kf, kf.periods[2], lab);
    assert_string_equal(lab, "the year ending 30 September 2016");
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

/* A Kent Police submission of victim-based crime in Dartford for each
 * period of @p periods (NULL-terminated), the value 1000 + its index. */
static csp_dataset *years_dataset(const char *const *periods,
                                  csp_diag_list *d)
{
    char xml[8192];
    int n = snprintf(xml, sizeof xml,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<submission xmlns=\"urn:csppack:submission:1\" "
                     "strategy=\"dg-csp-2016-19\" agency=\"kent-police\" "
                     "submitted=\"2021-10-21T11:40:00+01:00\">\n"
                     "<submitter name=\"P\" email=\"p@x.example\"/>\n"
                     "<observations>\n");
    for (size_t i = 0; periods[i]; i++)
        n += snprintf(xml + n, sizeof xml - (size_t)n,
                      "<obs indicator=\"victim-based-crime\" "
                      "area=\"dartford\" period=\"%s\" value=\"%zu\"/>\n",
                      periods[i], 1000 + i);
    n += snprintf(xml + n, sizeof xml - (size_t)n,
                  "</observations>\n</submission>\n");
    assert_true(n > 0 && (size_t)n < sizeof xml);
    csp_submission *sub = tu_parse("kp.xml", xml, (size_t)n, d);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    assert_int_equal(csp_dataset_add_submission(ds, sub, d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    return ds;
}

/* Build @p ds's key findings with the template's year_end_month @p month
 * and @p years years, and check their column labels (joined by "|"),
 * the change column's heading and the chart axis's title. */
static void check_years(csp_dataset *ds, unsigned month, unsigned years,
                        const char *want_labels, const char *want_change,
                        const char *want_axis)
{
    csp_key_findings *k = &tu_tpl->key_findings;
    unsigned old_month = k->year_end_month, old_years = k->years;
    k->year_end_month = month;
    k->years = years;
    csp_kf kf;
    assert_int_equal(csp_kf_build_until(ds, INT32_MAX, &kf), CSP_OK);
    char got[1024] = "", lab[CSP_LABEL_BUFSZ];
    for (size_t p = 0; p < kf.nperiods; p++) {
        csp_kf_label(&kf, kf.periods[p], lab);
        strcat(got, p ? "|" : "");
        strcat(got, lab);
    }
    assert_string_equal(got, want_labels);
    char *chg = csp_kf_change_header(tu_tpl, &kf);
    assert_non_null(chg);
    assert_string_equal(chg, want_change);
    free(chg);
    assert_string_equal(csp_kf_axis_title(tu_tpl, &kf), want_axis);
    /* Dartford's figures follow their periods, 1000 + the index sent. */
    if (kf.nperiods)
        assert_non_null(kf.areas[0].lines[0].values[kf.nperiods - 1]);
    csp_kf_free(&kf);
    k->year_end_month = old_month;
    k->years = old_years;
}

/* Financial years: labelled "2019/20", the change "2019/20 to 2020/21";
 * a rolling year among them is not a column, whether the template says
 * financial or the latest figure is a financial year's. */
static void test_keyfindings_financial(void **state)
{
    (void)state;
    static const char *const periods[] = {
        "2017-04-01/2018-03-31", "2018-04-01/2019-03-31",
        "2019-04-01/2020-03-31", "2019-10-01/2020-09-30",
        "2020-04-01/2021-03-31", NULL};
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = years_dataset(periods, &d);
    check_years(ds, 3, 3, "2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    check_years(ds, 0, 3, "2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    /* Format 1 took every twelve-month period it found. */
    check_years(ds, 0, 4, "2017/18|2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    /* The strategy report's year in words, as the template's years. */
    csp_kf kf;
    char buf[CSP_LABEL_BUFSZ];
    tu_tpl->key_findings.year_end_month = 3;
    assert_int_equal(csp_kf_build_until(ds, INT32_MAX, &kf), CSP_OK);
    csp_kf_phrase(&kf, kf.periods[kf.nperiods - 1], buf);
    assert_string_equal(buf, "2020/21");
    csp_period q;
    assert_int_equal(csp_period_parse("2020-07-01/2020-09-30", 21, &q),
                     CSP_PERIOD_OK);
    csp_kf_phrase(&kf, q, buf);
    assert_string_equal(buf, "the quarter 1 July to 30 September 2020");
    csp_kf_free(&kf);
    tu_tpl->key_findings.year_end_month = 0;
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

/* A stray rolling year that is the latest figure: the template's
 * year="financial" keeps it out, and so does the default, the month
 * that ends most of the years; a tie goes to the later year. */
static void test_keyfindings_stray_rolling(void **state)
{
    (void)state;
    static const char *const periods[] = {
        "2018-04-01/2019-03-31", "2019-04-01/2020-03-31",
        "2020-04-01/2021-03-31", "2020-10-01/2021-09-30", NULL};
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = years_dataset(periods, &d);
    check_years(ds, 3, 3, "2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    check_years(ds, 0, 3, "2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    csp_dataset_free(ds);
    csp_diag_list_free(&d);

    /* One year each: the later one's month. */
    static const char *const tie[] = {"2019-04-01/2020-03-31",
                                      "2019-10-01/2020-09-30", NULL};
    csp_diag_list_init(&d);
    ds = years_dataset(tie, &d);
    check_years(ds, 0, 3, "YE Sept 20", "% change", "Year ending");
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

/* Calendar years: "2019", the change "2019 to 2020"; rolling years ending
 * another month: "YE Sept 20" and "% change (19 to 20)" as before. */
static void test_keyfindings_calendar_rolling(void **state)
{
    (void)state;
    static const char *const periods[] = {
        "2018-01-01/2018-12-31", "2019-01-01/2019-12-31",
        "2020-01-01/2020-12-31", "2018-10-01/2019-09-30",
        "2019-10-01/2020-09-30", "2019-04-01/2020-03-31", NULL};
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = years_dataset(periods, &d);
    check_years(ds, 12, 3, "2018|2019|2020", "% change 2019 to 2020",
                "Year");
    check_years(ds, 0, 3, "2018|2019|2020", "% change 2019 to 2020",
                "Year");
    check_years(ds, 9, 3, "YE Sept 19|YE Sept 20", "% change (19 to 20)",
                "Year ending");
    check_years(ds, 3, 3, "2019/20", "% change", "Financial year");
    /* The template's wording of the change column and the axis. */
    static char change[] = "Change (%)", axis[] = "Calendar year";
    csp_template *t = tu_tpl;
    t->labels[CSP_LABEL_KF_CHANGE] = change;
    t->labels[CSP_LABEL_CHART_CALENDAR_YEARS] = axis;
    check_years(ds, 12, 2, "2019|2020", "Change (%) 2019 to 2020",
                "Calendar year");
    t->labels[CSP_LABEL_KF_CHANGE] = NULL;
    t->labels[CSP_LABEL_CHART_CALENDAR_YEARS] = NULL;
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

/* Up to 12 years: 10 shown of 11 sent when the template asks for 10
 * (format 1 cut any table to 8). */
static void test_keyfindings_ten_years(void **state)
{
    (void)state;
    static char text[11][24];
    const char *periods[12];
    for (int i = 0; i < 11; i++) {
        snprintf(text[i], sizeof text[i], "%d-04-01/%d-03-31", 2010 + i,
                 2011 + i);
        periods[i] = text[i];
    }
    periods[11] = NULL;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = years_dataset(periods, &d);
    check_years(ds, 3, 10,
                "2011/12|2012/13|2013/14|2014/15|2015/16|2016/17|2017/18|"
                "2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    check_years(ds, 3, 12,
                "2010/11|2011/12|2012/13|2013/14|2014/15|2015/16|2016/17|"
                "2017/18|2018/19|2019/20|2020/21",
                "% change 2019/20 to 2020/21", "Financial year");
    csp_dataset_free(ds);
    csp_diag_list_free(&d);
}

/* The rate column says what its rates are per: the label's default for
 * rates per 1,000 population, else per and of in the same style; the
 * template's own label wins. */
static void test_keyfindings_rate_header(void **state)
{
    (void)state;
    char head[CSP_LABEL_BUFSZ], basis[CSP_LABEL_BUFSZ];
    csp_kf_rate_header(tu_tpl, head);
    csp_kf_rate_basis(tu_tpl, basis);
    assert_string_equal(head, "Per 1,000 pop.");
    assert_string_equal(basis, "per 1,000 population");

    csp_indicator *ind = (csp_indicator *)csp_template_indicator(
        tu_tpl, tu_tpl->key_findings.rows[0].rate);
    assert_non_null(ind);
    int64_t per = ind->per;
    ind->per = 100000;
    csp_kf_rate_header(tu_tpl, head);
    csp_kf_rate_basis(tu_tpl, basis);
    assert_string_equal(head, "Per 100,000 pop.");
    assert_string_equal(basis, "per 100,000 population");
    ind->per = 1000;
    ind->base = CSP_BASE_HOUSEHOLDS;
    csp_kf_rate_header(tu_tpl, head);
    csp_kf_rate_basis(tu_tpl, basis);
    assert_string_equal(head, "Per 1,000 households");
    assert_string_equal(basis, "per 1,000 households");
    char *own = strdup("Rate");
    assert_non_null(own);
    tu_tpl->labels[CSP_LABEL_KF_RATE] = own;
    csp_kf_rate_header(tu_tpl, head);
    assert_string_equal(head, "Rate");
    tu_tpl->labels[CSP_LABEL_KF_RATE] = NULL;
    free(own);
    ind->per = per;
    ind->base = CSP_BASE_POPULATION;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyfindings_labels),
        cmocka_unit_test(test_keyfindings_change_format),
        cmocka_unit_test(test_keyfindings_strategy_tables),
        cmocka_unit_test(test_keyfindings_legend),
        cmocka_unit_test(test_keyfindings_financial),
        cmocka_unit_test(test_keyfindings_stray_rolling),
        cmocka_unit_test(test_keyfindings_calendar_rolling),
        cmocka_unit_test(test_keyfindings_ten_years),
        cmocka_unit_test(test_keyfindings_rate_header),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
