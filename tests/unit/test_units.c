/* Unit tests: template format 2's units and areas (issue 16) on
 * tests/data/template/tpl-units.xml: nested areas with populations and
 * households, rates per 100,000 and per household, money, averages,
 * additivity over quarters and areas, and derived totals. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/reconcile/reconcile.h"
#include "periods.h"
#include "testutil.h"

/* Read tpl-units.xml into tu_tpl, for tu_parse. */
static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("TEST_DATA_DIR");
    char path[4096];
    csp_diag_list d;

    snprintf(path, sizeof path, "%s/template/tpl-units.xml",
             dir && *dir ? dir : "tests/data");
    csp_diag_list_init(&d);
    csp_read_options_init(&tu_opt);
    csp_error err = csp_template_read(path, &tu_opt, &tu_tpl, &d);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(stderr, &d.items[i]);
    csp_diag_list_free(&d);
    return err == CSP_OK ? 0 : -1;
}

/* One submission of the police's, with @p body in <observations>;
 * reading it must give @p ndiags diagnostics into *d. */
static csp_submission *parse_obs(const char *body, csp_diag_list *d)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<submission xmlns=\"urn:csppack:submission:1\" "
        "strategy=\"units-test\" agency=\"police\" submitted=\"" T1 "\">\n"
        "<submitter name=\"Data Officer\" email=\"d@example.org\"/>\n"
        "<observations>\n";
    static const char tail[] = "</observations>\n</submission>\n";
    size_t n = strlen(head) + strlen(body) + strlen(tail) + 1;
    char *xml = malloc(n);
    assert_non_null(xml);
    snprintf(xml, n, "%s%s%s", head, body, tail);
    csp_submission *sub = tu_parse("police.xml", xml, strlen(xml), d);
    free(xml);
    return sub;
}

/* A dataset of one clean submission, reconciled. */
static csp_dataset *reconciled(const char *body)
{
    csp_diag_list d;
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    csp_diag_list_init(&d);
    csp_submission *sub = parse_obs(body, &d);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(stderr, &d.items[i]);
    assert_int_equal(d.count, 0);
    assert_false(sub->refused);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    csp_diag_list_free(&d);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    return ds;
}

/* The figure for a key, or NULL. */
static const csp_figure *figure(const csp_dataset *ds, const char *ind,
                                const char *area, const char *period)
{
    csp_period p;
    assert_int_equal(csp_period_parse(period, strlen(period), &p),
                     CSP_PERIOD_OK);
    return csp_dataset_figure(ds, ind, area, p);
}

/* The value of the figure standing for a key, as text ("" for none). */
static const char *value(const csp_dataset *ds, const char *ind,
                         const char *area, const char *period)
{
    static char buf[CSP_DECIMAL_BUFSZ];
    const csp_figure *f = figure(ds, ind, area, period);
    if (!f || f->state != CSP_FIGURE_STANDS || !f->has_value)
        return "";
    csp_decimal_format(f->value, buf);
    return buf;
}

/* The W409 diagnostics of a dataset. */
static size_t count_w409(const csp_dataset *ds)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->diags.count; i++)
        n += ds->diags.items[i].code == CSP_D_CHECK_FAILED;
    return n;
}

/* Nested areas: flat in document order with parent and depth; an area
 * without its own estimate has its children's sum, "all" the top-level
 * areas' sum; households likewise. */
static void test_units_areas(void **state)
{
    (void)state;
    const csp_template *t = tu_tpl;
    static const char *const ids[] = {"north", "n1",    "n2", "south",
                                      "east",  "e1",    "e2"};
    static const char *const parents[] = {NULL,   "north", "north", NULL,
                                          NULL,   "east",  "east"};
    static const unsigned depths[] = {0, 1, 1, 0, 0, 1, 1};
    csp_date d16, d18;
    int64_t v = 0;

    assert_int_equal(t->nareas, 7);
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(t->areas[i].id, ids[i]);
        if (parents[i])
            assert_string_equal(t->areas[i].parent, parents[i]);
        else
            assert_null(t->areas[i].parent);
        assert_int_equal(t->areas[i].depth, depths[i]);
    }
    assert_true(csp_date_from_ymd(2016, 9, 30, &d16));
    assert_true(csp_date_from_ymd(2018, 12, 31, &d18));
    assert_true(csp_template_population(t, "north", d16, &v));
    assert_int_equal(v, 1000);
    assert_true(csp_template_population(t, "east", d16, &v));
    assert_int_equal(v, 500);
    assert_true(csp_template_population(t, "east", d18, &v));
    assert_int_equal(v, 550);
    assert_true(csp_template_population(t, "all", d16, &v));
    assert_int_equal(v, 3500);
    assert_true(csp_template_households(t, "east", d16, &v));
    assert_int_equal(v, 190);
    assert_true(csp_template_households(t, "all", d16, &v));
    assert_int_equal(v, 1390);
}

/* per=, of=, additive= and totals= as the reader fills them. */
static void test_units_indicators(void **state)
{
    (void)state;
    const csp_template *t = tu_tpl;
    const csp_indicator *rate = csp_template_indicator(t, "theft-rate");
    const csp_indicator *hh = csp_template_indicator(t, "burglary-rate");
    const csp_indicator *thefts = csp_template_indicator(t, "thefts");
    const csp_indicator *treat = csp_template_indicator(t, "in-treatment");
    const csp_indicator *spend = csp_template_indicator(t, "spend");
    const csp_indicator *wait = csp_template_indicator(t, "wait");

    assert_int_equal(rate->rule, CSP_RULE_RATE);
    assert_int_equal(rate->per, 100000);
    assert_int_equal(rate->base, CSP_BASE_POPULATION);
    assert_int_equal(rate->additive, 0);
    assert_int_equal(hh->per, 1000);
    assert_int_equal(hh->base, CSP_BASE_HOUSEHOLDS);
    assert_int_equal(thefts->additive, CSP_ADD_AREAS | CSP_ADD_QUARTERS);
    assert_true(thefts->derive_totals);
    assert_int_equal(treat->additive, CSP_ADD_AREAS);
    assert_false(treat->derive_totals);
    assert_int_equal(spend->unit, CSP_UNIT_MONEY);
    assert_int_equal(spend->additive, CSP_ADD_AREAS | CSP_ADD_QUARTERS);
    assert_int_equal(wait->unit, CSP_UNIT_AVERAGE);
    assert_int_equal(wait->additive, 0);
    /* Without decimals=: pounds and pence, one place for an average. */
    assert_int_equal(csp_template_indicator(t, "grants")->decimals, 2);
    assert_int_equal(wait->decimals, 1);
}

/* Money and averages are decimals >= 0; a negative amount is refused
 * with its own words. */
static void test_units_money_average(void **state)
{
    (void)state;
    csp_dataset *ds = reconciled(OBS("spend", "all", Q1, "12345.5")
                                 OBS("grants", "all", Q1, "100.25")
                                 OBS("wait", "all", Q1, "12.25"));
    assert_string_equal(value(ds, "spend", "all", Q1), "12345.5");
    assert_string_equal(value(ds, "wait", "all", Q1), "12.25");
    /* A <sum> of money. */
    assert_string_equal(value(ds, "funding", "all", Q1), "12445.75");
    assert_true(figure(ds, "funding", "all", Q1)->computed);
    csp_dataset_free(ds);

    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = parse_obs(OBS("spend", "all", Q1, "-5"), &d);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].message,
                        "value \"-5\" is negative; an amount of money is "
                        "never below zero, so check the sign");
    csp_submission_free(sub);
    csp_diag_list_free(&d);
}

/* Rates per 100,000 of population and per 1,000 households. */
static void test_units_rates(void **state)
{
    (void)state;
    csp_dataset *ds = reconciled(OBS("thefts", "n1", Q1, "3")
                                 OBS("burglaries", "north", Q1, "8")
                                 OBS("burglaries", "e2", Q1, "1"));
    /* 3 / 600 * 100000 */
    assert_string_equal(value(ds, "theft-rate", "n1", Q1), "500.0");
    /* 8 / 400 * 1000; 1 / 90 * 1000 = 11.11... */
    assert_string_equal(value(ds, "burglary-rate", "north", Q1), "20.00");
    assert_string_equal(value(ds, "burglary-rate", "e2", Q1), "11.11");
    const csp_figure *f = figure(ds, "burglary-rate", "e2", Q1);
    const csp_figure_rule *r = csp_dataset_figure_rule(ds, f);
    assert_non_null(r);
    assert_int_equal(r->population, 90);
    csp_dataset_free(ds);
}

/* People in treatment do not add up over quarters (additive="areas"):
 * the year's 1231 against the quarters' 2892 is no W409; a count that
 * does add up over quarters still gets one. */
static void test_units_additive_quarters(void **state)
{
    (void)state;
    csp_dataset *ds = reconciled(OBS("in-treatment", "all", Y16, "1231")
                                 OBS("in-treatment", "all", Q1, "700")
                                 OBS("in-treatment", "all", Q2, "720")
                                 OBS("in-treatment", "all", Q3, "731")
                                 OBS("in-treatment", "all", Q4, "741"));
    assert_int_equal(count_w409(ds), 0);
    csp_dataset_free(ds);

    ds = reconciled(OBS("burglaries", "all", Y16, "100")
                    OBS("burglaries", "all", Q1, "20")
                    OBS("burglaries", "all", Q2, "20")
                    OBS("burglaries", "all", Q3, "20")
                    OBS("burglaries", "all", Q4, "20"));
    assert_int_equal(count_w409(ds), 1);
    csp_dataset_free(ds);
}

/* Nested areas add up to their parent: wards to their district, the
 * top-level areas to "all". */
static void test_units_additive_areas(void **state)
{
    (void)state;
    csp_dataset *ds = reconciled(OBS("burglaries", "n1", Q4, "4")
                                 OBS("burglaries", "n2", Q4, "5")
                                 OBS("burglaries", "north", Q4, "10")
                                 OBS("burglaries", "n1", Q3, "4")
                                 OBS("burglaries", "n2", Q3, "5")
                                 OBS("burglaries", "north", Q3, "9")
                                 OBS("burglaries", "south", Q3, "1")
                                 OBS("burglaries", "east", Q3, "1")
                                 OBS("burglaries", "all", Q3, "12"));
    assert_int_equal(count_w409(ds), 2);
    size_t found = 0;
    for (size_t i = 0; i < ds->diags.count; i++) {
        const csp_diag *g = &ds->diags.items[i];
        if (g->code != CSP_D_CHECK_FAILED || strcmp(g->area, "north") != 0)
            continue;
        found++;
        assert_string_equal(g->values, "csppack=9;police=10");
        assert_non_null(strstr(g->message, "the areas (n1 4, n2 5) add up "
                                           "to 9 (rule: areas)"));
    }
    assert_int_equal(found, 1);
    csp_dataset_free(ds);
}

/* Derived totals: a district and the partnership are worked out from
 * their areas when nobody sends them, as csppack's figures with the
 * areas as inputs; none when one area's figure is missing. */
static void test_units_derived_totals(void **state)
{
    (void)state;
    csp_dataset *ds = reconciled(OBS("thefts", "n1", Q1, "3")
                                 OBS("thefts", "n2", Q1, "4")
                                 OBS("thefts", "south", Q1, "10")
                                 OBS("thefts", "e1", Q1, "1")
                                 OBS("thefts", "e2", Q1, "2")
                                 OBS("thefts", "n1", Q2, "5")
                                 OBS("thefts", "n2", Q2, "6")
                                 OBS("thefts", "south", Q2, "8")
                                 OBS("thefts", "e1", Q2, "1")
                                 OBS("thefts", "south", Q3, "7")
                                 OBS("thefts", "north", Q3, "6")
                                 OBS("thefts", "east", Q3, "2")
                                 OBS("thefts", "all", Q3, "15"));
    assert_int_equal(count_w409(ds), 0);
    assert_string_equal(value(ds, "thefts", "north", Q1), "7");
    assert_string_equal(value(ds, "thefts", "east", Q1), "3");
    assert_string_equal(value(ds, "thefts", "all", Q1), "20");
    const csp_figure *f = figure(ds, "thefts", "all", Q1);
    assert_true(f->computed);
    assert_string_equal(f->agency, CSP_AGENCY_CSPPACK);
    const csp_figure_rule *r = csp_dataset_figure_rule(ds, f);
    assert_non_null(r);
    assert_int_equal(r->kind, CSP_RULE_AREAS);
    assert_int_equal(r->ninputs, 3);
    assert_string_equal(ds->figures[r->inputs[0]].area, "north");
    assert_string_equal(ds->figures[r->inputs[1]].area, "south");
    assert_string_equal(ds->figures[r->inputs[2]].area, "east");
    /* The rate of the derived total: 20 / 3500 * 100000 = 571.43 */
    assert_string_equal(value(ds, "theft-rate", "all", Q1), "571.4");
    /* Q2: East Two sent nothing, so neither East nor the partnership. */
    assert_string_equal(value(ds, "thefts", "north", Q2), "11");
    assert_null(figure(ds, "thefts", "east", Q2));
    assert_null(figure(ds, "thefts", "all", Q2));
    /* Q3: what partners sent stands. */
    assert_false(figure(ds, "thefts", "all", Q3)->computed);
    /* Burglaries do not say totals="derived". */
    csp_dataset_free(ds);
    ds = reconciled(OBS("burglaries", "south", Q1, "1")
                    OBS("burglaries", "north", Q1, "1")
                    OBS("burglaries", "east", Q1, "1"));
    assert_null(figure(ds, "burglaries", "all", Q1));
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_areas),
        cmocka_unit_test(test_units_indicators),
        cmocka_unit_test(test_units_money_average),
        cmocka_unit_test(test_units_rates),
        cmocka_unit_test(test_units_additive_quarters),
        cmocka_unit_test(test_units_additive_areas),
        cmocka_unit_test(test_units_derived_totals),
    };
    return cmocka_run_group_tests(tests, setup, tu_teardown);
}
