/* Unit tests: the board pack's protective marking (csp_report_options
 * and the template's), read back from the PDF with poppler's pdftotext;
 * skipped when pdftotext is not installed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/lookup.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/pdf/report.h"
#include "testutil.h"

/* The report's text (pdftotext -raw), malloc'd; NULL without pdftotext. */
static char *render_text(const csp_dataset *ds, csp_report_kind kind,
                         const csp_report_options *opt)
{
    char path[64], cmd[128];
    tu_render_report(ds, kind, opt, path);
    snprintf(cmd, sizeof cmd, "pdftotext -raw %s - 2>/dev/null", path);
    char *text = tu_command_output(cmd);
    unlink(path);
    return text;
}

/* Occurrences of @p needle in @p hay. */
static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The number of pages, from the footers "Page N of M". */
static size_t pages(const char *text)
{
    const char *p = strstr(text, "Page 1 of ");
    assert_non_null(p);
    return (size_t)strtoul(p + 10, NULL, 10);
}

static void test_report_marking(void **state)
{
    (void)state;
    if (system("command -v pdftotext >/dev/null 2>&1") != 0)
        skip();
    csp_dataset *ds = tu_samples_dataset();
    /* None by default. */
    char *t = render_text(ds, CSP_REPORT_BOARD, NULL);
    assert_non_null(t);
    assert_int_equal(count(t, "OFFICIAL"), 0);
    /* The running header names the report and its period. */
    assert_true(count(t, "Quarterly board pack \xE2\x80\x93 Q2 2016/17") >=
                pages(t) - 1);
    free(t);
    /* The option: in the header and the footer of every page. */
    csp_report_options opt = {.marking = "OFFICIAL-SENSITIVE"};
    t = render_text(ds, CSP_REPORT_BOARD, &opt);
    assert_non_null(t);
    size_t np = pages(t);
    assert_true(np > 10);
    assert_int_equal(count(t, "OFFICIAL-SENSITIVE"), 2 * np);
    free(t);
    /* The template's, when no option names one; the option wins. */
    tu_tpl->marking = csp_strdup("OFFICIAL");
    assert_non_null(tu_tpl->marking);
    t = render_text(ds, CSP_REPORT_BOARD, NULL);
    assert_non_null(t);
    assert_int_equal(count(t, "OFFICIAL"), 2 * pages(t));
    free(t);
    t = render_text(ds, CSP_REPORT_BOARD, &opt);
    assert_non_null(t);
    assert_int_equal(count(t, "OFFICIAL-SENSITIVE"), 2 * pages(t));
    assert_int_equal(count(t, "OFFICIAL"), 2 * pages(t));
    free(t);
    /* The strategy document is the published one: never marked. */
    t = render_text(ds, CSP_REPORT_STRATEGY, &opt);
    assert_non_null(t);
    assert_int_equal(count(t, "OFFICIAL"), 0);
    free(t);
    free(tu_tpl->marking);
    tu_tpl->marking = NULL;
    csp_dataset_free(ds);
}

/* The text with its whitespace made single spaces, in place. */
static char *squeeze(char *t)
{
    char *o = t;
    bool space = false;
    for (const char *p = t; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\f') {
            space = true;
            continue;
        }
        if (space && o > t)
            *o++ = ' ';
        space = false;
        *o++ = *p;
    }
    *o = '\0';
    return t;
}

/* A revised figure and a changed status since the previous pack: the
 * summary says old to new and whose, the dashboard marks the row; with
 * no previous pack, the summary says so. */
static void test_report_revisions(void **state)
{
    (void)state;
    if (system("command -v pdftotext >/dev/null 2>&1") != 0)
        skip();
    csp_dataset *ds = tu_samples_dataset();
    char *t = render_text(ds, CSP_REPORT_BOARD, NULL);
    assert_non_null(t);
    assert_non_null(strstr(squeeze(t), "Changed since the last pack No "
                                       "earlier pack to compare with."));
    assert_null(strstr(t, "Revised (was"));
    free(t);
    /* The previous pack had Kent Police's 640 for violent crime in
     * Dartford, Q2 2016/17 (now 652), and action 1.3 on track (now at
     * risk).  Set by hand: the dataset's own are another module's. */
    csp_period q2;
    assert_int_equal(csp_period_parse("2016-07-01/2016-09-30", 21, &q2),
                     CSP_PERIOD_OK);
    csp_previous prev = {0};
    csp_prev_figure old = {.indicator = "violent-crime",
                           .area = "dartford",
                           .period = q2,
                           .has_value = true,
                           .value = {640, 0},
                           .status = CSP_OBS_FINAL,
                           .agency = (char *)"kent-police"};
    csp_revision rev = {.indicator = "violent-crime",
                        .area = "dartford",
                        .period = q2,
                        .figure = csp_dataset_figure(ds, "violent-crime",
                                                     "dartford", q2),
                        .old = &old};
    assert_non_null(rev.figure);
    csp_prev_action was = {.ref = "1.3",
                           .has_status = true,
                           .status = CSP_ACT_ON_TRACK};
    csp_status_change chg = {.item = csp_dataset_action_item(ds, "1.3"),
                             .old = &was};
    assert_non_null(chg.item);
    ds->previous = &prev;
    ds->revisions = &rev;
    ds->nrevisions = 1;
    ds->status_changes = &chg;
    ds->nstatus_changes = 1;
    t = render_text(ds, CSP_REPORT_BOARD, NULL);
    ds->previous = NULL;
    ds->revisions = NULL;
    ds->nrevisions = 0;
    ds->status_changes = NULL;
    ds->nstatus_changes = 0;
    assert_non_null(t);
    squeeze(t);
    assert_non_null(strstr(t, "Changed since the last pack Number of violent "
                              "crimes, Dartford, July to September 2016: 640 "
                              "to 652 (Kent Police). Action 1.3: was on "
                              "track, now at risk."));
    assert_non_null(strstr(t, "Final Revised (was 640) Kent Police"));
    assert_int_equal(count(t, "Revised (was"), 1);
    free(t);
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_marking),
        cmocka_unit_test(test_report_revisions),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
