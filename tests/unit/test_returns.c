/* Unit tests: the judgement of a figure (comparator periods, direction,
 * rating) and the chase list, against the built-in template with
 * submissions written here.  Worked by hand in the comments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/lookup.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "testutil.h"

/* A period written as text. */
static csp_period period(const char *text)
{
    csp_period p;
    assert_int_equal(csp_period_parse(text, strlen(text), &p), CSP_PERIOD_OK);
    return p;
}

/* The comparator period of @p text for an indicator comparing so. */
static const char *compared(csp_comparator how, const char *text)
{
    static char buf[CSP_PERIOD_BUFSZ];
    csp_indicator ind = {.comparator = how};
    csp_period out;
    assert_true(csp_judge_comparator_period(&ind, period(text), &out));
    csp_period_format(out, buf);
    return buf;
}

static void test_judge_comparator_periods(void **state)
{
    (void)state;
    assert_string_equal(compared(CSP_COMPARE_YEAR_AGO, "2016-07-01/2016-09-30"),
                        "2015-07-01/2015-09-30");
    assert_string_equal(compared(CSP_COMPARE_PREVIOUS, "2016-07-01/2016-09-30"),
                        "2016-04-01/2016-06-30");
    assert_string_equal(compared(CSP_COMPARE_PREVIOUS, "2016-01-01/2016-03-31"),
                        "2015-10-01/2015-12-31");
    assert_string_equal(compared(CSP_COMPARE_PREVIOUS, "2015-10-01/2016-09-30"),
                        "2014-10-01/2015-09-30");
    /* Not whole months: the same number of days just before. */
    assert_string_equal(compared(CSP_COMPARE_PREVIOUS, "2016-07-03/2016-07-09"),
                        "2016-06-26/2016-07-02");
    /* 29 February a year earlier is 28 February. */
    assert_string_equal(compared(CSP_COMPARE_YEAR_AGO, "2015-03-01/2016-02-29"),
                        "2014-03-01/2015-02-28");
    csp_indicator ind = {.comparator = CSP_COMPARE_BASELINE};
    csp_period out;
    assert_false(csp_judge_comparator_period(&ind, period("2016-07-01/2016-09-30"),
                                             &out));
    ind.has_baseline = true;
    ind.baseline = period("2014-04-01/2015-03-31");
    assert_true(csp_judge_comparator_period(&ind, period("2016-07-01/2016-09-30"),
                                            &out));
    assert_int_equal(csp_period_cmp(out, ind.baseline), 0);
}

/* Gravesham's return: noise complaints this quarter and a year earlier,
 * the Sanctuary Scheme figure sent as missing, one action updated. */
static const char gbc[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<submission xmlns=\"urn:csppack:submission:1\" strategy=\"dg-csp-2016-19\"\n"
    "  agency=\"gravesham-bc\" submitted=\"2016-10-31T14:20:00+00:00\">\n"
    "  <submitter name=\"A Officer\" email=\"a@gbc.example\"/>\n"
    "  <observations>\n"
    "    <obs indicator=\"noise-complaints\" area=\"gravesham\"\n"
    "         period=\"2016-07-01/2016-09-30\" value=\"187\"/>\n"
    "    <obs indicator=\"noise-complaints\" area=\"gravesham\"\n"
    "         period=\"2015-07-01/2015-09-30\" value=\"200\"/>\n"
    "    <obs indicator=\"sanctuary-scheme-victims\" area=\"gravesham\"\n"
    "         period=\"2016-07-01/2016-09-30\" status=\"missing\"/>\n"
    "  </observations>\n"
    "  <actions>\n"
    "    <update ref=\"1.10\" status=\"on-track\" as-of=\"2016-09-30\">Done.</update>\n"
    "  </actions>\n"
    "</submission>\n";

/* The dataset of gbc[], reconciled. */
static csp_dataset *gbc_dataset(void)
{
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = tu_parse("gbc.xml", gbc, sizeof gbc - 1, &d);
    assert_false(sub->refused);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    csp_diag_list_free(&d);
    return ds;
}

/* The indicator @p id of the built-in template, to set its rules. */
static csp_indicator *indicator(const char *id)
{
    csp_indicator *ind = (csp_indicator *)csp_template_indicator(tu_tpl, id);
    assert_non_null(ind);
    return ind;
}

/* The judgement of noise complaints in Gravesham this quarter. */
static csp_judgement judge_noise(const csp_dataset *ds)
{
    const csp_figure *f = csp_dataset_figure(ds, "noise-complaints", "gravesham",
                                             period("2016-07-01/2016-09-30"));
    assert_non_null(f);
    csp_judgement j;
    csp_judge_figure(ds, f, &j);
    return j;
}

static void test_judge_direction_and_rating(void **state)
{
    (void)state;
    csp_indicator *ind = indicator("noise-complaints");
    csp_indicator saved = *ind;
    csp_target target = {.period = period("2016-07-01/2016-09-30")};
    ind->polarity = CSP_POLARITY_LOWER;
    ind->comparator = CSP_COMPARE_YEAR_AGO;
    ind->thresholds.amber_within = (csp_decimal){5, 0};
    ind->thresholds.no_change_within = (csp_decimal){2, 0};
    ind->targets = &target;
    ind->ntargets = 1;
    ind->has_baseline = false;
    csp_dataset *ds = gbc_dataset();
    char buf[CSP_DECIMAL_BUFSZ];

    /* 200 -> 187: -13, -6.5%: more than 2%, down, and lower is better. */
    target.value = (csp_decimal){190, 0};
    csp_judgement j = judge_noise(ds);
    assert_non_null(j.comparator);
    csp_period_format(j.comparator_period, buf);
    assert_string_equal(buf, "2015-07-01/2015-09-30");
    assert_true(j.has_change && j.has_percent);
    csp_decimal_format(j.change, buf);
    assert_string_equal(buf, "-13");
    csp_decimal_format(j.percent, buf);
    assert_string_equal(buf, "-6.5");
    assert_int_equal(j.direction, CSP_DIR_BETTER);
    /* 187 <= 190: on target. */
    assert_true(j.has_target);
    assert_int_equal(j.rating, CSP_RATING_GREEN);
    /* Target 180: 7 worse, 3.9% of 180: within 5%. */
    target.value = (csp_decimal){180, 0};
    assert_int_equal(judge_noise(ds).rating, CSP_RATING_AMBER);
    /* Target 178: 9 worse, 5.06%: beyond. */
    target.value = (csp_decimal){178, 0};
    assert_int_equal(judge_noise(ds).rating, CSP_RATING_RED);
    /* Target 180 with amber within 3.8%: 7 / 180 = 3.89% is beyond. */
    target.value = (csp_decimal){180, 0};
    ind->thresholds.amber_within = (csp_decimal){38, 1};
    assert_int_equal(judge_noise(ds).rating, CSP_RATING_RED);
    ind->thresholds.amber_within = (csp_decimal){5, 0};
    /* A change target: 10% down on the comparator, 200 -> 180. */
    target.is_change = true;
    target.value = (csp_decimal){-10, 0};
    j = judge_noise(ds);
    csp_decimal_format(j.target, buf);
    assert_string_equal(buf, "180");
    assert_int_equal(j.rating, CSP_RATING_AMBER);
    /* Higher is better: worse, and 187 < 180 is not: 187 >= 180 green. */
    ind->polarity = CSP_POLARITY_HIGHER;
    j = judge_noise(ds);
    assert_int_equal(j.direction, CSP_DIR_WORSE);
    assert_int_equal(j.rating, CSP_RATING_GREEN);
    /* Neither: down, and never rated. */
    ind->polarity = CSP_POLARITY_NEITHER;
    j = judge_noise(ds);
    assert_int_equal(j.direction, CSP_DIR_DOWN);
    assert_int_equal(j.rating, CSP_RATING_GREY);
    /* A 6.5% fall is no real change within 10%. */
    ind->thresholds.no_change_within = (csp_decimal){10, 0};
    assert_int_equal(judge_noise(ds).direction, CSP_DIR_SAME);
    /* The previous quarter was not sent: no direction. */
    ind->comparator = CSP_COMPARE_PREVIOUS;
    j = judge_noise(ds);
    assert_null(j.comparator);
    assert_int_equal(j.direction, CSP_DIR_NONE);
    assert_false(j.has_change);

    csp_dataset_free(ds);
    *ind = saved;
}

/* Whether @p a owes @p indicator in @p area; *missing as it says. */
static bool owed(const csp_agency_returns *a, const char *indicator,
                 const char *area, bool *missing)
{
    for (size_t i = 0; i < a->nfigures; i++)
        if (strcmp(a->figures[i].indicator->id, indicator) == 0 &&
            strcmp(a->figures[i].area, area) == 0) {
            *missing = a->figures[i].sent_missing;
            return true;
        }
    return false;
}

static void test_returns_chase_list(void **state)
{
    (void)state;
    csp_dataset *ds = gbc_dataset();
    csp_returns r;
    assert_int_equal(csp_returns_compute(ds, period("2016-07-01/2016-09-30"), &r),
                     CSP_OK);
    const csp_agency_returns *g = csp_returns_agency(&r, "gravesham-bc");
    assert_non_null(g);
    assert_false(g->sent_nothing);
    bool missing = false;
    /* Sent: not owed.  Sent as missing: owed, and said so. */
    assert_false(owed(g, "noise-complaints", "gravesham", &missing));
    assert_true(owed(g, "sanctuary-scheme-victims", "gravesham", &missing));
    assert_true(missing);
    assert_true(owed(g, "licensing-reviews", "gravesham", &missing));
    assert_false(missing);
    /* Dartford's figures are Dartford's, not Gravesham's. */
    assert_false(owed(g, "noise-complaints", "dartford", &missing));
    /* Nothing partnership-wide is owed: no owner names "all". */
    for (size_t i = 0; i < g->nfigures; i++)
        assert_string_not_equal(g->figures[i].area, "all");
    assert_int_equal(g->figures_due, g->nfigures + 1);
    /* 1.10 was updated; every other action of its groups is owed. */
    assert_true(g->actions_due > 1);
    assert_int_equal(g->nactions, g->actions_due - 1);
    for (size_t i = 0; i < g->nactions; i++)
        assert_string_not_equal(g->actions[i].action->ref, "1.10");
    /* Dartford sent nothing, and owes its own figures. */
    const csp_agency_returns *dbc = csp_returns_agency(&r, "dartford-bc");
    assert_non_null(dbc);
    assert_true(dbc->sent_nothing);
    assert_true(owed(dbc, "noise-complaints", "dartford", &missing));
    assert_false(missing);
    /* An agency that owes nothing is not listed. */
    assert_null(csp_returns_agency(&r, "kent-pcc"));
    assert_true(r.outstanding >= 2);
    csp_returns_free(&r);
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge_comparator_periods),
        cmocka_unit_test(test_judge_direction_and_rating),
        cmocka_unit_test(test_returns_chase_list),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
