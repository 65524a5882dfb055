/* Unit tests: reading submissions against the built-in template. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/read/inbox.h"
#include "csppack/read/submission.h"
#include "testutil.h"

/* Parse text as a submission named "t.xml". */
static csp_submission *parse(const char *text, size_t len, csp_diag_list *d)
{
    return tu_parse("t.xml", text, len, d);
}

#define HEAD                                                                   \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<submission xmlns=\"urn:csppack:submission:1\" "                          \
    "strategy=\"dg-csp-2016-19\" agency=\"kent-police\" "                      \
    "submitted=\"2016-10-14T09:30:00+01:00\">\n"                               \
    "  <submitter name=\"Crime Analyst\" email=\"a@example.org\"/>\n"

static const char valid[] =
    HEAD
    "  <observations>\n"
    "    <obs indicator=\"victim-based-crime\" area=\"dartford\"\n"
    "         period=\"2015-10-01/2016-09-30\" value=\"8388\"/>\n"
    "    <obs indicator=\"victim-based-crime-rate\" area=\"dartford\" "
    "period=\"2015-10-01/2016-09-30\" value=\"80.70\"/>\n"
    "    <obs indicator=\"dvpo-issued\" area=\"gravesham\" "
    "period=\"2016-07-01/2016-09-30\" value=\"4\" status=\"provisional\"/>\n"
    "    <obs indicator=\"ae-violence\" area=\"dartford\" "
    "period=\"2016-07-01/2016-09-30\" status=\"missing\">Hospital\n"
    "         figures   not yet released.</obs>\n"
    "  </observations>\n"
    "  <actions>\n"
    "    <update ref=\"2.1\" status=\"on-track\" as-of=\"2016-09-30\">First\n"
    "      paragraph.\n\n      Second   paragraph.</update>\n"
    "  </actions>\n"
    "  <comment>Q2 figures are provisional.</comment>\n"
    "</submission>\n";

static void test_submission_reads_model(void **state)
{
    (void)state;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *s = parse(valid, sizeof valid - 1, &d);
    assert_int_equal(d.count, 0);
    assert_false(s->refused);
    assert_string_equal(s->agency, "kent-police");
    assert_string_equal(s->submitter_name, "Crime Analyst");
    assert_int_equal(s->nobs, 4);
    assert_string_equal(s->obs[0].indicator, "victim-based-crime");
    assert_int_equal(s->obs[0].line, 6);
    assert_int_equal(s->obs[0].value.units, 8388);
    assert_int_equal(s->obs[1].value.units, 8070);
    assert_int_equal(s->obs[1].value.scale, 2);
    assert_int_equal(s->obs[2].status, CSP_OBS_PROVISIONAL);
    assert_false(s->obs[3].has_value);
    assert_string_equal(s->obs[3].note, "Hospital figures not yet released.");
    assert_int_equal(s->nupdates, 1);
    assert_string_equal(s->updates[0].progress,
                        "First paragraph.\n\nSecond paragraph.");
    assert_int_equal(s->updates[0].status, CSP_ACT_ON_TRACK);
    assert_string_equal(s->comment, "Q2 figures are provisional.");
    assert_int_equal(strlen(s->sha256), 64);
    csp_submission_free(s);
    csp_diag_list_free(&d);
}

static void test_submission_bad_item_keeps_rest(void **state)
{
    (void)state;
    static const char text[] =
        HEAD
        "  <observations>\n"
        "    <obs indicator=\"victim-based-crime\" area=\"dartford\" "
        "period=\"2015-10-01/2016-09-30\" value=\"1,385\"/>\n"
        "    <obs indicator=\"victim-based-crime\" area=\"gravesham\" "
        "period=\"2015-10-01/2016-09-30\" value=\"7697\"/>\n"
        "  </observations>\n"
        "</submission>\n";
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *s = parse(text, sizeof text - 1, &d);
    assert_false(s->refused);
    assert_int_equal(s->nobs, 1);
    assert_int_equal(s->refused_items, 1);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].code, CSP_D_NOT_A_NUMBER);
    assert_int_equal(d.items[0].line, 5);
    assert_string_equal(d.items[0].message,
                        "value \"1,385\" is not a number; write 1385");
    csp_submission_free(s);
    csp_diag_list_free(&d);
}

/*
 * A submission of @p n figures of victim-based crime, each for its own
 * month, the figure at index @p again repeating the key of the first
 * (none when @p again >= n); one figure a line, or all on one line.
 * Caller frees.
 */
static char *many_obs(size_t n, size_t again, bool one_line, size_t *len)
{
    static const char *const areas[] = {"dartford", "gravesham", "all"};
    size_t cap = 512 + n * 160, w = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    w += (size_t)snprintf(t + w, cap - w, "%s  <observations>", HEAD);
    for (size_t i = 0; i < n; i++) {
        size_t k = i == again ? 0 : i;
        int year = 2000 + (int)(k / 36), month = 1 + (int)(k / 3 % 12);
        w += (size_t)snprintf(t + w, cap - w,
                              "%s<obs indicator=\"victim-based-crime\" "
                              "area=\"%s\" period=\"%d-%02d-01/%d-%02d-28\" "
                              "value=\"%zu\"/>",
                              one_line ? " " : "\n    ", areas[k % 3], year,
                              month, year, month, i);
    }
    w += (size_t)snprintf(t + w, cap - w, "\n  </observations>\n</submission>\n");
    assert_true(w < cap);
    *len = w;
    return t;
}

/* A key given twice is refused both times, however far apart; every other
 * figure is kept, in line order.  Without repeats nothing is refused. */
static void test_submission_repeated_key_far_apart(void **state)
{
    (void)state;
    static const struct {
        size_t n, again; /* again >= n: no repeat */
    } cases[] = {{500, 431}, {2000, 2000}};
    for (size_t c = 0; c < 4; c++) {
        size_t n = cases[c / 2].n, again = cases[c / 2].again, len;
        bool one_line = c % 2, repeat = again < n;
        char *text = many_obs(n, again, one_line, &len);
        csp_diag_list d;
        csp_diag_list_init(&d);
        csp_submission *s = parse(text, len, &d);
        assert_false(s->refused);
        assert_int_equal(s->nobs, repeat ? n - 2 : n);
        assert_int_equal(s->refused_items, repeat ? 2 : 0);
        assert_int_equal(d.count, repeat ? 2 : 0);
        int64_t sum = 0;
        for (size_t i = 0; i < s->nobs; i++) {
            size_t was = repeat ? i + 1 + (i + 1 >= again) : i;
            sum += s->obs[i].value.units;
            /* On one line, figures of one line are in key order. */
            if (!one_line)
                assert_int_equal(s->obs[i].value.units, (int64_t)was);
        }
        assert_int_equal(sum, (int64_t)(n * (n - 1) / 2 - (repeat ? again : 0)));
        for (size_t i = 0; i < d.count; i++) {
            assert_int_equal(d.items[i].code, CSP_D_REPEATED_KEY);
            if (!one_line)
                assert_int_equal(d.items[i].line, 5 + (i ? again : 0));
        }
        csp_submission_free(s);
        csp_diag_list_free(&d);
        free(text);
    }
}

/* What csp_submission_read_all handed over, file by file. */
typedef struct handed {
    size_t count, next_seen, fail_at;
    char lines[64][160];
} handed;

/* A sink's next: announced in order, before its turn. */
static void note_next(void *ctx, size_t index, const char *path)
{
    handed *h = ctx;
    (void)path;
    assert_int_equal(index, h->next_seen);
    assert_int_equal(index, h->count);
    h->next_seen++;
}

/* A sink's take: one line of what the file gave; fails at fail_at. */
static csp_error note_take(void *ctx, size_t index, csp_submission *sub,
                           csp_diag_list *diags)
{
    handed *h = ctx;
    assert_int_equal(index, h->count);
    assert_true(index < 64);
    snprintf(h->lines[index], sizeof h->lines[index], "%s %d %zu %zu %s %zu",
             sub->path, sub->refused, sub->nobs, sub->nupdates, sub->sha256,
             diags->count);
    h->count++;
    csp_submission_free(sub);
    return index == h->fail_at ? CSP_ERR_IO : CSP_OK;
}

/* Many files read on several threads are handed over as on one: in the
 * order named, the same; a sink that fails stops the run. */
static void test_submission_read_all_threads(void **state)
{
    (void)state;
    static const char *const names[] = {
        "dartford-bc-2016q2.xml", "dgs-ccg-2016q2.xml",
        "gravesham-bc-2016q2.xml", "kcc-2016q2.xml",
        "kent-police-2016q2.xml", "kfrs-2016q2.xml", "kss-crc-2016q2.xml",
        "no-such-file.xml"};
    const char *dir = getenv("SAMPLES_DIR"), *srcdir = getenv("srcdir");
    char paths[40][512];
    const char *list[40];
    for (size_t i = 0; i < 40; i++) {
        if (dir)
            snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i % 8]);
        else
            snprintf(paths[i], sizeof paths[i], "%s/samples/dartford-gravesham/%s",
                     srcdir ? srcdir : ".", names[i % 8]);
        list[i] = paths[i];
    }
    static handed one, many;
    csp_read_options opt = tu_opt;
    one = (handed){.fail_at = SIZE_MAX};
    many = one;
    csp_submission_sink sink = {.next = note_next, .take = note_take};
    opt.threads = 1;
    sink.ctx = &one;
    assert_int_equal(csp_submission_read_all(list, 40, tu_tpl, &opt, &sink),
                     CSP_OK);
    opt.threads = 4;
    sink.ctx = &many;
    assert_int_equal(csp_submission_read_all(list, 40, tu_tpl, &opt, &sink),
                     CSP_OK);
    assert_int_equal(one.count, 40);
    assert_int_equal(many.count, 40);
    for (size_t i = 0; i < 40; i++)
        assert_string_equal(one.lines[i], many.lines[i]);
    assert_int_equal(one.lines[7][strlen(one.lines[7]) - 1], '1'); /* E101 */

    for (unsigned t = 1; t <= 4; t += 3) {
        handed stop = {.fail_at = 9};
        opt.threads = t;
        sink.ctx = &stop;
        assert_int_equal(csp_submission_read_all(list, 40, tu_tpl, &opt,
                                                 &sink),
                         CSP_ERR_IO);
        assert_int_equal(stop.count, 10);
    }
}

static void test_submission_utf16_bom_accepted(void **state)
{
    (void)state;
    /* Convert the valid document to UTF-16LE with a BOM by hand (ASCII). */
    const char *src = valid;
    size_t n = sizeof valid - 1;
    const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    assert_memory_equal(src, decl, strlen(decl));
    char *u = malloc(2 * n + 2);
    assert_non_null(u);
    size_t w = 0;
    u[w++] = (char)0xFF;
    u[w++] = (char)0xFE;
    for (size_t i = strlen(decl); i < n; i++) {
        u[w++] = src[i];
        u[w++] = 0;
    }
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *s = parse(u, w, &d);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(stderr, &d.items[i]);
    assert_int_equal(d.count, 0);
    assert_false(s->refused);
    assert_int_equal(s->nobs, 4);
    csp_submission_free(s);
    csp_diag_list_free(&d);
    free(u);
}

static void test_submission_doctype_refused(void **state)
{
    (void)state;
    static const char text[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE submission [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<submission xmlns=\"urn:csppack:submission:1\" strategy=\"&x;\" "
        "agency=\"kent-police\" submitted=\"2016-10-14T09:30:00Z\">"
        "<submitter name=\"a\" email=\"b\"/></submission>\n";
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *s = parse(text, sizeof text - 1, &d);
    assert_true(s->refused);
    assert_int_equal(s->nobs, 0);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.items[0].code, CSP_D_DOCTYPE);
    assert_int_equal(d.items[0].line, 2);
    assert_null(strstr(d.items[0].message, "root:"));
    csp_submission_free(s);
    csp_diag_list_free(&d);
}

static void test_submission_wrong_template_refuses_file(void **state)
{
    (void)state;
    static const char text[] =
        "<submission xmlns=\"urn:csppack:submission:1\" strategy=\"other\" "
        "agency=\"kent-polise\" submitted=\"2016-10-14\">\n"
        "<submitter name=\"a\" email=\"b\"/></submission>\n";
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *s = parse(text, sizeof text - 1, &d);
    assert_true(s->refused);
    assert_int_equal(d.count, 3);
    assert_int_equal(d.items[0].code, CSP_D_STRATEGY);
    assert_int_equal(d.items[1].code, CSP_D_AGENCY);
    assert_non_null(strstr(d.items[1].message, "did you mean \"kent-police\""));
    assert_int_equal(d.items[2].code, CSP_D_SUBMITTED);
    csp_submission_free(s);
    csp_diag_list_free(&d);
}

static void test_submission_status_names(void **state)
{
    (void)state;
    csp_action_status a;
    csp_obs_status o;
    assert_true(csp_action_status_parse("off-track", &a));
    assert_int_equal(a, CSP_ACT_OFF_TRACK);
    assert_false(csp_action_status_parse("late", &a));
    assert_true(csp_obs_status_parse("withdrawn", &o));
    assert_string_equal(csp_obs_status_str(CSP_OBS_ESTIMATED), "estimated");
    assert_string_equal(csp_action_status_str(CSP_ACT_NOT_STARTED),
                        "not-started");
    /* Severity order used by reconciliation. */
    assert_true(CSP_ACT_OFF_TRACK > CSP_ACT_AT_RISK);
    assert_true(CSP_ACT_AT_RISK > CSP_ACT_ON_TRACK);
    assert_true(CSP_ACT_ON_TRACK > CSP_ACT_NOT_STARTED);
    assert_true(CSP_ACT_NOT_STARTED > CSP_ACT_COMPLETE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_submission_reads_model),
        cmocka_unit_test(test_submission_bad_item_keeps_rest),
        cmocka_unit_test(test_submission_repeated_key_far_apart),
        cmocka_unit_test(test_submission_read_all_threads),
        cmocka_unit_test(test_submission_utf16_bom_accepted),
        cmocka_unit_test(test_submission_doctype_refused),
        cmocka_unit_test(test_submission_wrong_template_refuses_file),
        cmocka_unit_test(test_submission_status_names),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
