/*
 * Unit tests: the judgement of measures (src/reconcile/judge.c) on the
 * test partnership of tests/data/judge/: its template with targets and
 * thresholds and its three returns, reconciled.  Every expectation is
 * the hand arithmetic of tests/data/judge/EXPECTED.md, row by row.
 */
/* cmocka.h needs these four first. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/reconcile.h"

/* The test partnership's returns, in tests/data/judge/. */
static const char *const returns[] = {"police.xml", "northmoor-bc.xml",
                                      "eastwick-dc.xml"};

/* The quarters and year judged. */
#define Q_NOW "2017-07-01/2017-09-30"
#define Q_FIRST "2015-10-01/2015-12-31"
#define YE_NOW "2016-10-01/2017-09-30"

/* The reconciled dataset and its template, read once for the group. */
typedef struct judge_fixture {
    csp_template *tpl;
    csp_dataset *ds;
} judge_fixture;

/* tests/data/judge/@p name, from $TEST_DATA_DIR, else $srcdir. */
static void data_path(const char *name, char *out, size_t size)
{
    const char *dir = getenv("TEST_DATA_DIR");
    const char *srcdir = getenv("srcdir");

    if (dir && *dir)
        snprintf(out, size, "%s/judge/%s", dir, name);
    else
        snprintf(out, size, "%s/tests/data/judge/%s",
                 srcdir && *srcdir ? srcdir : ".", name);
}

/* Read the template and the returns, asserting that nothing is said
 * about any of them, and reconcile. */
static int setup(void **state)
{
    judge_fixture *fx = calloc(1, sizeof *fx);
    csp_read_options opt;
    csp_diag_list d;
    char path[4096];

    assert_non_null(fx);
    csp_read_options_init(&opt);
    csp_diag_list_init(&d);
    data_path("template.xml", path, sizeof path);
    assert_int_equal(csp_template_read(path, &opt, &fx->tpl, &d), CSP_OK);
    assert_int_equal(d.count, 0);
    fx->ds = csp_dataset_new(fx->tpl);
    assert_non_null(fx->ds);
    for (size_t i = 0; i < sizeof returns / sizeof returns[0]; i++) {
        csp_submission *sub = NULL;
        data_path(returns[i], path, sizeof path);
        assert_int_equal(csp_submission_read(path, fx->tpl, &opt, &sub, &d),
                         CSP_OK);
        assert_false(sub->refused);
        assert_int_equal(d.count, 0);
        assert_int_equal(csp_dataset_add_submission(fx->ds, sub, &d), CSP_OK);
    }
    assert_int_equal(csp_dataset_reconcile(fx->ds), CSP_OK);
    assert_int_equal(fx->ds->diags.count, 0);
    csp_diag_list_free(&d);
    *state = fx;
    return 0;
}

/* Free the dataset and the template. */
static int teardown(void **state)
{
    judge_fixture *fx = *state;
    csp_dataset_free(fx->ds);
    csp_template_free(fx->tpl);
    free(fx);
    return 0;
}

/* A period from its text. */
static csp_period per(const char *s)
{
    csp_period p;
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_OK);
    return p;
}

/* @p d as printed, or "-" when @p has is false. */
static const char *shown(bool has, csp_decimal d, char buf[CSP_DECIMAL_BUFSZ])
{
    if (!has)
        return "-";
    csp_decimal_format(d, buf);
    return buf;
}

/* One row of EXPECTED.md's summary: "-" where there is none. */
typedef struct expected_row {
    const char *indicator;
    const char *area;
    const char *period;
    const char *comparator_period;
    const char *comparator; /* its value */
    const char *change;
    const char *percent;
    csp_direction direction;
    const char *target;
    csp_rating rating;
} expected_row;

static const expected_row expected[] = {
    {"violent-crime", "northmoor", Q_NOW, "2016-07-01/2016-09-30", "120", "-6",
     "-5.0", CSP_DIR_BETTER, "120", CSP_RATING_GREEN},
    {"violent-crime", "eastwick", Q_NOW, "2016-07-01/2016-09-30", "180", "30",
     "16.7", CSP_DIR_WORSE, "200", CSP_RATING_AMBER},
    {"burglary", "northmoor", YE_NOW, "2015-10-01/2016-09-30", "400", "-24",
     "-6.0", CSP_DIR_BETTER, "380", CSP_RATING_GREEN},
    {"burglary", "eastwick", YE_NOW, "2015-10-01/2016-09-30", "300", "-3",
     "-1.0", CSP_DIR_SAME, "285", CSP_RATING_AMBER},
    {"asb-reports", "northmoor", Q_NOW, "2017-04-01/2017-06-30", "240", "12",
     "5.0", CSP_DIR_SAME, "216", CSP_RATING_RED},
    {"asb-reports", "eastwick", Q_NOW, "2017-04-01/2017-06-30", "150", "-15",
     "-10.0", CSP_DIR_BETTER, "135", CSP_RATING_GREEN},
    {"victims-supported", "northmoor", Q_NOW, "2016-07-01/2016-09-30", "40",
     "6", "15.0", CSP_DIR_BETTER, "50", CSP_RATING_AMBER},
    {"victims-supported", "eastwick", Q_NOW, "2016-07-01/2016-09-30", "32",
     "-2", "-6.3", CSP_DIR_WORSE, "50", CSP_RATING_RED},
    {"noise-complaints", "northmoor", Q_NOW, "2016-07-01/2016-09-30", "80",
     "-8", "-10.0", CSP_DIR_DOWN, "-", CSP_RATING_GREY},
    {"noise-complaints", "eastwick", Q_NOW, "2016-07-01/2016-09-30", "0", "5",
     "-", CSP_DIR_UP, "-", CSP_RATING_GREY},
    {"repeat-victims", "northmoor", Q_NOW, "2016-07-01/2016-09-30", "30.0",
     "0.5", "1.7", CSP_DIR_SAME, "-", CSP_RATING_GREY},
    {"repeat-victims", "eastwick", Q_NOW, "2016-07-01/2016-09-30", "28.0",
     "-1.4", "-5.0", CSP_DIR_BETTER, "25.0", CSP_RATING_RED},
    {"violent-crime", "northmoor", Q_FIRST, "2014-10-01/2014-12-31", "-", "-",
     "-", CSP_DIR_NONE, "-", CSP_RATING_GREY},
    {"asb-reports", "northmoor", Q_FIRST, "2015-07-01/2015-09-30", "-", "-",
     "-", CSP_DIR_NONE, "-", CSP_RATING_GREY},
};

/* Every row of EXPECTED.md: comparator, change, per cent, direction,
 * target and rating as worked out by hand. */
static void test_judge_expected(void **state)
{
    const judge_fixture *fx = *state;

    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const expected_row *e = &expected[i];
        const csp_figure *fig =
            csp_dataset_figure(fx->ds, e->indicator, e->area, per(e->period));
        csp_judgement j;
        char buf[CSP_DECIMAL_BUFSZ], pbuf[CSP_PERIOD_BUFSZ];

        fprintf(stderr, "# %s %s %s\n", e->indicator, e->area, e->period);
        assert_non_null(fig);
        memset(&j, 0xA5, sizeof j); /* every field must be set */
        csp_judge_figure(fx->ds, fig, &j);
        csp_period_format(j.comparator_period, pbuf);
        assert_string_equal(pbuf, e->comparator_period);
        assert_string_equal(
            shown(j.comparator != NULL,
                  j.comparator ? j.comparator->value : (csp_decimal){0, 0},
                  buf),
            e->comparator);
        assert_string_equal(shown(j.has_change, j.change, buf), e->change);
        assert_string_equal(shown(j.has_percent, j.percent, buf), e->percent);
        assert_string_equal(csp_direction_str(j.direction),
                            csp_direction_str(e->direction));
        assert_string_equal(shown(j.has_target, j.target, buf), e->target);
        assert_string_equal(csp_rating_str(j.rating),
                            csp_rating_str(e->rating));
    }
}

/* The tallies EXPECTED.md ends with, over the same rows. */
static void test_judge_tallies(void **state)
{
    const judge_fixture *fx = *state;
    size_t ratings[4] = {0}, directions[6] = {0};

    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const expected_row *e = &expected[i];
        csp_judgement j;
        csp_judge_figure(fx->ds,
                         csp_dataset_figure(fx->ds, e->indicator, e->area,
                                            per(e->period)),
                         &j);
        ratings[j.rating]++;
        directions[j.direction]++;
    }
    assert_int_equal(ratings[CSP_RATING_GREEN], 3);
    assert_int_equal(ratings[CSP_RATING_AMBER], 3);
    assert_int_equal(ratings[CSP_RATING_RED], 3);
    assert_int_equal(ratings[CSP_RATING_GREY], 5);
    assert_int_equal(directions[CSP_DIR_BETTER], 5);
    assert_int_equal(directions[CSP_DIR_WORSE], 2);
    assert_int_equal(directions[CSP_DIR_SAME], 3);
    assert_int_equal(directions[CSP_DIR_UP], 1);
    assert_int_equal(directions[CSP_DIR_DOWN], 1);
    assert_int_equal(directions[CSP_DIR_NONE], 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge_expected),
        cmocka_unit_test(test_judge_tallies),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
