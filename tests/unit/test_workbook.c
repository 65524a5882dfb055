/* Unit tests: the workbook's pure helpers, and properties of whole writes
 * (limits, continuation sheets, determinism, the locale) that need no
 * spreadsheet reader.  The contents are checked with openpyxl by
 * tests/functional/workbook.sh. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/lookup.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/workbook/cells.h"
#include "csppack/write/workbook/lxwerr.h"
#include "csppack/write/workbook/workbook.h"
#include "testutil.h"
#include "csppack/read/xmlsafe.h"

static char tmpdir[] = "/tmp/csppack-wb-unit.XXXXXX";

/* The template, and a folder to write in. */
static int setup(void **state)
{
    int r = tu_setup(state);
    if (!mkdtemp(tmpdir))
        return -1;
    return r;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    tu_teardown(state);
    csp_schema_cleanup();
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/* UTF-16 code units of a UTF-8 text. */
static size_t units(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80)
            n++;
        if ((*p & 0xF8) == 0xF0)
            n++;
    }
    return n;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && memcmp(s + a - b, tail, b) == 0;
}

static void test_workbook_cell_text_unchanged(void **state)
{
    (void)state;
    bool cut = true;
    char *t = csp_workbook_cell_text("=1+1 \xe2\x80\x93 caf\xc3\xa9", 100,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    assert_non_null(t);
    assert_string_equal(t, "=1+1 \xe2\x80\x93 caf\xc3\xa9");
    assert_false(cut);
    free(t);
    t = csp_workbook_cell_text("", 10, "!", &cut);
    assert_string_equal(t, "");
    assert_false(cut);
    free(t);
    /* ASCII exactly at the limit stays whole; one more is cut. */
    t = csp_workbook_cell_text("abc de", 6, "!", &cut);
    assert_string_equal(t, "abc de");
    assert_false(cut);
    free(t);
    t = csp_workbook_cell_text("abc def", 6, "!", &cut);
    assert_string_equal(t, "abc d!");
    assert_true(cut);
    free(t);
}

static void test_workbook_cell_text_escapes_excel_escapes(void **state)
{
    (void)state;
    char *t = csp_workbook_cell_text("a_x0041_b _x00e9_ _x004_ _X0041_ "
                                     "_x00G1_",
                                     1000, "", NULL);
    assert_string_equal(t, "a_x005F_x0041_b _x005F_x00e9_ _x004_ _X0041_ "
                           "_x00G1_");
    free(t);
}

static void test_workbook_cell_text_truncates_visibly(void **state)
{
    (void)state;
    size_t n = 40000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    bool cut = false;
    char *t = csp_workbook_cell_text(big, CSP_WORKBOOK_MAX_CELL,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    assert_true(cut);
    assert_int_equal(units(t), CSP_WORKBOOK_MAX_CELL);
    assert_true(ends_with(t, CSP_WORKBOOK_TRUNCATION_MARK));
    assert_int_equal(strspn(t, "a"),
                     CSP_WORKBOOK_MAX_CELL - units(CSP_WORKBOOK_TRUNCATION_MARK));
    free(t);

    /* Exactly at the limit: kept whole. */
    big[CSP_WORKBOOK_MAX_CELL] = '\0';
    t = csp_workbook_cell_text(big, CSP_WORKBOOK_MAX_CELL,
                               CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    assert_false(cut);
    assert_int_equal(strlen(t), CSP_WORKBOOK_MAX_CELL);
    free(t);
    free(big);
}

static void test_workbook_cell_text_cuts_on_characters(void **state)
{
    (void)state;
    /* 4-byte characters count two units each; never split. */
    const char *emoji = "\xf0\x9f\x98\x80";
    char buf[64] = "";
    for (int i = 0; i < 6; i++)
        strcat(buf, emoji);
    bool cut = false;
    char *t = csp_workbook_cell_text(buf, 7, "!", &cut);
    assert_true(cut);
    /* 6 units of budget: three characters, then the mark. */
    assert_int_equal(strlen(t), 3 * 4 + 1);
    assert_true(ends_with(t, "!"));
    free(t);
    /* An escape is never left half-counted: its six extra units count. */
    t = csp_workbook_cell_text("_x0041_", 8, "!", &cut);
    assert_true(cut);
    assert_true(units(t) <= 8);
    free(t);
}

static void test_workbook_text_width(void **state)
{
    (void)state;
    assert_int_equal(csp_workbook_text_width(""), 0);
    assert_int_equal(csp_workbook_text_width("caf\xc3\xa9"), 4);
    assert_int_equal(csp_workbook_text_width("ab\n\nabcdef\nabc"), 6);

    /* Long lines are measured sixteen bytes at a time while they are plain
     * ASCII: a newline, "_" or a multi-byte character at every position
     * of a 40-byte line must count as one character each. */
    static const char *odd[] = {"\n", "_", "\xc3\xa9", "\xf0\x9f\x98\x80"};
    for (size_t k = 0; k < sizeof odd / sizeof *odd; k++)
        for (size_t at = 0; at < 40; at++) {
            char line[64];
            memset(line, 'a', at);
            size_t o = at, n = strlen(odd[k]);
            memcpy(line + o, odd[k], n);
            o += n;
            memset(line + o, 'b', 39 - at);
            line[o + 39 - at] = '\0';
            size_t want = k == 0 ? (at > 39 - at ? at : 39 - at) : 40;
            assert_int_equal(csp_workbook_text_width(line), want);
        }
}

static void test_workbook_sheet_name(void **state)
{
    (void)state;
    char b[128];
    csp_workbook_sheet_name("Action history", 1, b);
    assert_string_equal(b, "Action history");
    csp_workbook_sheet_name("Action history", 2, b);
    assert_string_equal(b, "Action history (2)");
    csp_workbook_sheet_name("A name that is far too long for Excel", 12, b);
    assert_string_equal(b, "A name that is far too lon (12)");
    assert_int_equal(strlen(b), 31);
    csp_workbook_sheet_name("A name that is far too long for Excel", 1, b);
    assert_int_equal(strlen(b), 31);
    csp_workbook_sheet_name("'a/b:c*?[d]'", 1, b);
    assert_string_equal(b, "_a_b_c___d__");
    csp_workbook_sheet_name("", 1, b);
    assert_string_equal(b, "Sheet");
}

static void test_workbook_status_label(void **state)
{
    (void)state;
    assert_string_equal(csp_workbook_status_label(CSP_ACT_ON_TRACK),
                        "\xe2\x97\x8f On track");
    assert_string_equal(csp_workbook_status_label(CSP_ACT_AT_RISK),
                        "\xe2\x96\xb2 At risk");
    assert_string_equal(csp_workbook_status_label(CSP_ACT_OFF_TRACK),
                        "\xe2\x9c\x96 Off track");
    assert_string_equal(csp_workbook_status_label(CSP_ACT_COMPLETE),
                        "\xe2\x9c\x94 Complete");
    assert_string_equal(csp_workbook_status_label(CSP_ACT_NOT_STARTED),
                        "\xe2\x97\x8b Not started");
}

/* ------------------------------------------------------------------------ */
/* Whole writes                                                             */
/* ------------------------------------------------------------------------ */

#define SUB(agency, when)                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<submission xmlns=\"urn:csppack:submission:1\" "                          \
    "strategy=\"dg-csp-2016-19\" agency=\"" agency "\" "                       \
    "submitted=\"" when "\">\n"                                                \
    "  <submitter name=\"Analyst\" email=\"a@example.org\"/>\n"
#define Q2 "period=\"2016-07-01/2016-09-30\""
#define YE15 "period=\"2014-10-01/2015-09-30\""
#define YE16 "period=\"2015-10-01/2016-09-30\""

static const char police[] =
    SUB("kent-police", "2016-10-14T09:30:00+01:00")
    "  <observations>\n"
    "    <obs indicator=\"victim-based-crime\" area=\"dartford\" " YE15
    " value=\"7522\"/>\n"
    "    <obs indicator=\"victim-based-crime\" area=\"dartford\" " YE16
    " value=\"8388\" status=\"estimated\"/>\n"
    "    <obs indicator=\"hate-crimes\" area=\"dartford\" " Q2
    " value=\"41\">=HYPERLINK(\"http://example.org\")</obs>\n"
    "  </observations>\n"
    "  <actions>\n"
    "    <update ref=\"2.1\" status=\"on-track\" as-of=\"2016-09-30\">"
    "=1+1 and _x0041_ stay as written.</update>\n"
    "  </actions>\n"
    "</submission>\n";

static const char kcc[] =
    SUB("kcc", "2016-10-28T16:05:00+01:00")
    "  <observations>\n"
    "    <obs indicator=\"meam-referrals\" area=\"all\" " Q2
    " value=\"6\"/>\n"
    "  </observations>\n"
    "  <actions>\n"
    "    <update ref=\"1.1\" status=\"at-risk\" as-of=\"2016-09-30\">Plain."
    "</update>\n"
    "  </actions>\n"
    "</submission>\n";

static const char ccg[] =
    SUB("dgs-ccg", "2016-11-18T12:00:00+00:00")
    "  <observations>\n"
    "    <obs indicator=\"meam-referrals\" area=\"all\" " Q2
    " value=\"15\"/>\n"
    "    <obs indicator=\"ae-violence\" area=\"gravesham\" " Q2
    " status=\"missing\">Not available.</obs>\n"
    "  </observations>\n"
    "</submission>\n";

/* A progress statement of 40,000 characters: more than a cell holds. */
static char *long_update(void)
{
    static const char head[] =
        SUB("kfrs", "2016-10-12T08:55:00+01:00")
        "  <actions>\n"
        "    <update ref=\"3.9\" status=\"not-started\" "
        "as-of=\"2016-09-30\">";
    static const char tail[] = "</update>\n  </actions>\n</submission>\n";
    size_t n = 40000;
    char *s = malloc(sizeof head + n + sizeof tail);
    assert_non_null(s);
    memcpy(s, head, sizeof head - 1);
    for (size_t i = 0; i < n; i++)
        s[sizeof head - 1 + i] = "abcdefghij"[i % 10];
    memcpy(s + sizeof head - 1 + n, tail, sizeof tail);
    return s;
}

/* The inbox, added in the order @p order gives. */
static csp_dataset *reconcile_inbox(const int *order, size_t n)
{
    char *big = long_update();
    const struct {
        const char *name;
        const char *text;
    } inbox[] = {{"in/police.xml", police},
                 {"in/kcc.xml", kcc},
                 {"in/ccg.xml", ccg},
                 {"in/kfrs.xml", big}};
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    for (size_t k = 0; k < n; k++) {
        csp_diag_list d;
        csp_diag_list_init(&d);
        const char *text = inbox[order[k]].text;
        csp_submission *sub =
            tu_parse(inbox[order[k]].name, text, strlen(text), &d);
        assert_false(sub->refused);
        assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
        csp_diag_list_free(&d);
    }
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    free(big);
    return ds;
}

/* The bytes of a file (caller frees). */
static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    fclose(f);
    *size = n;
    return buf;
}

/* Write @p ds to @p name in the temporary folder; returns the path. */
static const char *write_to(const csp_dataset *ds, const char *name,
                            const csp_workbook_options *o,
                            csp_workbook_result *res)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    csp_why why;
    csp_why_clear(&why);
    csp_error err = csp_workbook_write(ds, path, o, res, &why);
    if (err != CSP_OK)
        fprintf(stderr, "%s\n", csp_why_text(&why, err));
    assert_int_equal(err, CSP_OK);
    return path;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(x, y, na);
    free(x);
    free(y);
}

static void test_workbook_write_counts_truncation(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2, 3};
    csp_dataset *ds = reconcile_inbox(order, 4);
    csp_workbook_result res;
    write_to(ds, "one.xlsx", NULL, &res);
    /* The 40,000-character statement: in the Action plan and the history. */
    assert_int_equal(res.truncated, 2);
    assert_int_equal(res.sheets, 11);
    assert_int_equal(res.continued, 0);
    assert_int_equal(res.lxw_error, 0);
    csp_dataset_free(ds);
}

/* Past the progress budget the Action history shows a long statement as
 * an excerpt, counted; the Action plan keeps it (cut only to fit a cell).
 * The contents are read back by tests/functional/workbook.sh. */
static void test_workbook_write_progress_budget(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2, 3};
    csp_dataset *ds = reconcile_inbox(order, 4);
    csp_workbook_options o;
    csp_workbook_options_init(&o);
    assert_int_equal(o.progress_budget, CSP_WORKBOOK_PROGRESS_BUDGET);
    csp_workbook_result res;
    write_to(ds, "budget-default.xlsx", &o, &res);
    assert_int_equal(res.excerpted, 0);
    /* 1.1's 6 bytes fit in 10; 2.1's do not, but are shorter than an
     * excerpt; 3.9's 40,000 are an excerpt. */
    o.progress_budget = 10;
    write_to(ds, "budget-10.xlsx", &o, &res);
    assert_int_equal(res.excerpted, 1);
    assert_int_equal(res.truncated, 1);
    o.progress_budget = 0;
    write_to(ds, "budget-0.xlsx", &o, &res);
    assert_int_equal(res.excerpted, 1);
    o.progress_budget = 6;
    write_to(ds, "budget-6.xlsx", &o, &res);
    assert_int_equal(res.excerpted, 1);
    o.progress_budget = SIZE_MAX;
    write_to(ds, "budget-max.xlsx", &o, &res);
    assert_int_equal(res.excerpted, 0);
    assert_int_equal(res.truncated, 2);
    csp_dataset_free(ds);
}

static void test_workbook_write_is_deterministic(void **state)
{
    (void)state;
    static const int order1[] = {0, 1, 2, 3}, order2[] = {3, 2, 1, 0};
    csp_dataset *a = reconcile_inbox(order1, 4);
    csp_dataset *b = reconcile_inbox(order2, 4);
    csp_workbook_result res;
    char pa[256];
    snprintf(pa, sizeof pa, "%s", write_to(a, "a.xlsx", NULL, &res));
    assert_same_file(pa, write_to(b, "b.xlsx", NULL, &res));
    /* Again: nothing from the clock. */
    assert_same_file(pa, write_to(a, "c.xlsx", NULL, &res));
    csp_dataset_free(a);
    csp_dataset_free(b);
}

/* Make a comma-decimal locale usable: the system's, or one generated into
 * the temporary folder with localedef.  False when neither works. */
static bool comma_locale(void)
{
    if (setlocale(LC_ALL, "de_DE.UTF-8"))
        return true;
    if (access("/usr/bin/localedef", X_OK) != 0)
        return false;
    char cmd[1024], dir[300];
    snprintf(dir, sizeof dir, "%s/loc", tmpdir);
    /* localedef exits 1 after mere warnings: judge by setlocale. */
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && localedef -i de_DE -f UTF-8 "
             "'%s/de_DE.UTF-8' >/dev/null 2>&1",
             dir, dir);
    if (system(cmd) == -1)
        return false;
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
}

static void test_workbook_write_ignores_the_locale(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2, 3};
    csp_dataset *ds = reconcile_inbox(order, 4);
    csp_workbook_result res;
    char pc[256];
    snprintf(pc, sizeof pc, "%s", write_to(ds, "c-locale.xlsx", NULL, &res));
    if (!comma_locale()) {
        csp_dataset_free(ds);
        skip(); /* no de_DE locale and no localedef: nothing to compare */
    }
    struct lconv *lc = localeconv();
    assert_string_equal(lc->decimal_point, ",");
    const char *pd = write_to(ds, "de-locale.xlsx", NULL, &res);
    setlocale(LC_ALL, "C");
    assert_same_file(pc, pd);
    csp_dataset_free(ds);
}

static void test_workbook_write_continues_sheets(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2, 3};
    csp_dataset *ds = reconcile_inbox(order, 4);
    csp_workbook_options o;
    csp_workbook_options_init(&o);
    o.max_rows = 10; /* 7 data rows a sheet */
    csp_workbook_result res;
    write_to(ds, "small.xlsx", &o, &res);
    /* Action plan: 40 items, 6 sheets; Indicators: 60+ rows. */
    assert_true(res.continued >= 5 + 8);
    assert_int_equal(res.sheets, 11 + res.continued);
    o.max_rows = 3;
    assert_int_equal(csp_workbook_write(ds, "/nonexistent", &o, &res, NULL),
                     CSP_ERR_USAGE);
    o.max_rows = CSP_WORKBOOK_MAX_ROWS + 1;
    assert_int_equal(csp_workbook_write(ds, "/nonexistent", &o, &res, NULL),
                     CSP_ERR_USAGE);
    csp_dataset_free(ds);
}

/* The XML of part @p name of the workbook at @p path (caller frees). */
static char *part_of(const char *path, const char *name)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
    char *xml = tu_command_output(cmd);
    assert_non_null(xml);
    return xml;
}

/* Whether every sheet of the workbook at @p path (@p sheets of them) has
 * @p text in its XML. */
static bool every_sheet_has(const char *path, size_t sheets, const char *text)
{
    bool all = true;
    for (size_t i = 1; i <= sheets; i++) {
        char name[64];
        snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml", i);
        char *xml = part_of(path, name);
        all = all && strstr(xml, text) != NULL;
        free(xml);
    }
    return all;
}

/* The protective marking is in the print header of every sheet, in the
 * middle, '&' doubled (libxlsxwriter would read "& R" as a code): the
 * option's, else the template's, else none. */
static void test_workbook_write_marking(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2};
    csp_dataset *ds = reconcile_inbox(order, 3);
    csp_workbook_options o;
    csp_workbook_options_init(&o);
    csp_workbook_result res;
    const char *path = write_to(ds, "plain.xlsx", &o, &res);
    assert_int_equal(res.sheets, 11);
    assert_true(every_sheet_has(path, res.sheets, "<oddHeader>&amp;L"));
    assert_false(every_sheet_has(path, 1, "&amp;C&amp;\"-,Bold\""));
    o.marking = "OFFICIAL-SENSITIVE & R&D";
    path = write_to(ds, "marked.xlsx", &o, &res);
    assert_true(every_sheet_has(path, res.sheets,
                                "&amp;C&amp;\"-,Bold\"OFFICIAL-SENSITIVE "
                                "&amp;&amp; R&amp;&amp;D&amp;R&amp;A"
                                "</oddHeader>"));
    char *about = part_of(path, "xl/sharedStrings.xml");
    assert_non_null(strstr(about, "OFFICIAL-SENSITIVE &amp; R&amp;D"));
    free(about);
    /* The template's marking when the option gives none. */
    o.marking = NULL;
    char official[] = "OFFICIAL";
    tu_tpl->marking = official;
    path = write_to(ds, "template-marked.xlsx", &o, &res);
    tu_tpl->marking = NULL;
    assert_true(every_sheet_has(path, res.sheets,
                                "&amp;C&amp;\"-,Bold\"OFFICIAL&amp;R"));
    csp_dataset_free(ds);
}

/* The Revisions sheet (sheet 8, streamed: its strings are inline) lists
 * ds->revisions and ds->status_changes with their old and new values, and
 * the Data sheet (sheet 4) marks the revised figure. */
static void test_workbook_write_revisions(void **state)
{
    (void)state;
    static const int order[] = {0, 1, 2};
    csp_dataset *ds = reconcile_inbox(order, 3);
    csp_workbook_result res;
    const char *path = write_to(ds, "no-previous.xlsx", NULL, &res);
    char *xml = part_of(path, "xl/worksheets/sheet8.xml");
    assert_non_null(strstr(xml, "<t>No previous board pack to compare "
                                "with: nothing is marked as revised.</t>"));
    free(xml);
    xml = part_of(path, "xl/worksheets/sheet4.xml");
    assert_null(strstr(xml, "<t>yes</t>"));
    free(xml);

    csp_period ye16, q1;
    assert_int_equal(csp_period_parse("2015-10-01/2016-09-30", 21, &ye16), 0);
    assert_int_equal(csp_period_parse("2016-04-01/2016-06-30", 21, &q1), 0);
    const csp_figure *f =
        csp_dataset_figure(ds, "victim-based-crime", "dartford", ye16);
    assert_non_null(f);
    char agency[] = "kent-police";
    csp_prev_figure old = {.indicator = f->indicator,
                           .area = f->area,
                           .period = ye16,
                           .has_value = true,
                           .value = {.units = 8300, .scale = 0},
                           .status = CSP_OBS_FINAL,
                           .agency = agency};
    csp_prev_action was = {.ref = "1.1",
                           .has_status = true,
                           .status = CSP_ACT_ON_TRACK};
    csp_previous prev = {.has_period = true, .period = q1};
    csp_revision rv = {.indicator = f->indicator,
                       .area = f->area,
                       .period = ye16,
                       .figure = f,
                       .old = &old};
    csp_status_change sc = {.item = csp_dataset_action_item(ds, "1.1"),
                            .old = &was};
    assert_non_null(sc.item);
    ds->previous = &prev;
    ds->revisions = &rv;
    ds->nrevisions = 1;
    ds->status_changes = &sc;
    ds->nstatus_changes = 1;
    path = write_to(ds, "revised.xlsx", NULL, &res);
    ds->previous = NULL;
    ds->revisions = NULL;
    ds->nrevisions = 0;
    ds->status_changes = NULL;
    ds->nstatus_changes = 0;
    xml = part_of(path, "xl/worksheets/sheet8.xml");
    static const char *const want[] = {
        "<t>Changed since the previous board pack (Q1 2016/17): 1 figure "
        "revised (old and new value, who sent each, when and why) and 1 "
        "action whose status changed.</t>",
        "<t>figure</t>", "<t>Victim-based crime</t>", "<t>Dartford</t>",
        "<t>YE Sept 16</t>", "<v>8300</v>", "<v>8388</v>",
        "<t>Kent Police</t>", "<t>victim-based-crime</t>",
        "<t>action status</t>", "<t>\xe2\x97\x8f On track</t>",
        "<t>\xe2\x96\xb2 At risk</t>", "<t>Kent County Council</t>",
        "<t>1.1</t>"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(xml, want[i]))
            fail_msg("Revisions lacks %s", want[i]);
    free(xml);
    xml = part_of(path, "xl/worksheets/sheet4.xml");
    assert_non_null(strstr(xml, "<t>yes</t>"));
    free(xml);
    csp_dataset_free(ds);
}

static void test_workbook_write_failures(void **state)
{
    (void)state;
    static const int order[] = {0, 1};
    csp_dataset *ds = reconcile_inbox(order, 2);
    csp_workbook_result res;
    csp_why why;
    csp_why_clear(&why);
    /* libxlsxwriter finds out only when it closes the workbook; its own
     * message goes to stderr. */
    assert_int_equal(csp_workbook_write(ds, "/nonexistent/dir/x.xlsx", NULL,
                                        &res, &why),
                     CSP_ERR_IO);
    assert_true(res.lxw_error != 0);
    assert_non_null(strstr(why.text, "writing the workbook"));
    csp_dataset_free(ds);

    csp_why_clear(&why);
    csp_dataset *fresh = csp_dataset_new(tu_tpl);
    assert_int_equal(csp_workbook_write(fresh, "/tmp/x.xlsx", NULL, &res,
                                        &why),
                     CSP_ERR_USAGE);
    assert_string_equal(why.text, "the dataset is not reconciled");
    csp_dataset_free(fresh);
}

static void test_workbook_file_complete(void **state)
{
    (void)state;
    static const int order[] = {0, 1};
    csp_dataset *ds = reconcile_inbox(order, 2);
    csp_workbook_result res;
    char path[256], cut[300];
    snprintf(path, sizeof path, "%s", write_to(ds, "whole.xlsx", NULL, &res));
    assert_true(csp_workbook_file_complete(path));
    /* Cut short, as a full disk would leave it. */
    size_t n;
    char *bytes = slurp(path, &n);
    snprintf(cut, sizeof cut, "%s/cut.xlsx", tmpdir);
    FILE *f = fopen(cut, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n - 10, f), n - 10);
    assert_int_equal(fclose(f), 0);
    assert_false(csp_workbook_file_complete(cut));
    f = fopen(cut, "wb");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_false(csp_workbook_file_complete(cut));
    assert_false(csp_workbook_file_complete("/nonexistent/x.xlsx"));
    /* A device that is always full: refused, never reported written. */
    if (access("/dev/full", W_OK) == 0)
        assert_int_equal(csp_workbook_write(ds, "/dev/full", NULL, &res,
                                            NULL),
                         CSP_ERR_IO);
    free(bytes);
    csp_dataset_free(ds);
}

/* What csp_workbook_hold passes on to stderr, and what it makes of
 * libxlsxwriter's lines: run @p print between begin and end with @p err as
 * the write's outcome; returns the outcome, the reason with the library's
 * folded in, in @p lib, and what reached stderr in @p passed. */
static csp_error held(void (*print)(void), csp_error err, char *lib,
                      size_t size, char *passed, size_t psize)
{
    FILE *real = stderr, *sink = tmpfile();
    assert_non_null(sink);
    stderr = sink;
    csp_workbook_hold h;
    assert_int_equal(csp_workbook_hold_begin(&h), CSP_OK);
    print();
    csp_why why;
    csp_why_clear(&why);
    err = csp_workbook_hold_end(&h, err, &why);
    snprintf(lib, size, "%.200s", why.text);
    assert_ptr_equal(stderr, sink);
    stderr = real;
    rewind(sink);
    size_t n = fread(passed, 1, psize - 1, sink);
    passed[n] = '\0';
    fclose(sink);
    return err;
}

static void print_nomem(void)
{
    fputs("[WARNING] worksheet_set_column(): a warning\n", stderr);
    fputs("[ERROR][./src/worksheet.c:200]: Memory allocation failed.\n",
          stderr);
}

static void print_nospace(void)
{
    fputs("[ERROR] workbook_close(): Error creating 'w.xlsx'. System "
          "error = No space left on device\n",
          stderr);
}

static void print_warning(void)
{
    fputs("[WARNING] a warning of a write that succeeded\n", stderr);
}

static void test_workbook_hold(void **state)
{
    (void)state;
    char lib[256], passed[256];
    /* An "[ERROR]" line fails a write that reported success. */
    assert_int_equal(held(print_nomem, CSP_OK, lib, sizeof lib, passed,
                          sizeof passed),
                     CSP_ERR_NOMEM);
    assert_string_equal(lib, "out of memory (libxlsxwriter: Memory "
                             "allocation failed.)");
    assert_string_equal(passed, "");
    assert_int_equal(held(print_nospace, CSP_OK, lib, sizeof lib, passed,
                          sizeof passed),
                     CSP_ERR_INTERNAL);
    assert_string_equal(lib, "internal library failure (libxlsxwriter: "
                             "Error creating 'w.xlsx'. System error = No "
                             "space left on device)");
    /* A failed write keeps its own error, with the library's reason. */
    assert_int_equal(held(print_nospace, CSP_ERR_IO, lib, sizeof lib, passed,
                          sizeof passed),
                     CSP_ERR_IO);
    assert_string_equal(lib, "input/output error (libxlsxwriter: Error "
                             "creating 'w.xlsx'. System error = No space "
                             "left on device)");
    assert_string_equal(passed, "");
    /* A success passes on what was printed. */
    assert_int_equal(held(print_warning, CSP_OK, lib, sizeof lib, passed,
                          sizeof passed),
                     CSP_OK);
    assert_string_equal(lib, "");
    assert_string_equal(passed,
                        "[WARNING] a warning of a write that succeeded\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_cell_text_unchanged),
        cmocka_unit_test(test_workbook_cell_text_escapes_excel_escapes),
        cmocka_unit_test(test_workbook_cell_text_truncates_visibly),
        cmocka_unit_test(test_workbook_cell_text_cuts_on_characters),
        cmocka_unit_test(test_workbook_text_width),
        cmocka_unit_test(test_workbook_sheet_name),
        cmocka_unit_test(test_workbook_status_label),
        cmocka_unit_test(test_workbook_write_counts_truncation),
        cmocka_unit_test(test_workbook_write_progress_budget),
        cmocka_unit_test(test_workbook_write_is_deterministic),
        cmocka_unit_test(test_workbook_write_ignores_the_locale),
        cmocka_unit_test(test_workbook_write_continues_sheets),
        cmocka_unit_test(test_workbook_write_marking),
        cmocka_unit_test(test_workbook_write_revisions),
        cmocka_unit_test(test_workbook_write_failures),
        cmocka_unit_test(test_workbook_file_complete),
        cmocka_unit_test(test_workbook_hold),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
