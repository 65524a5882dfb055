/* Unit tests: the writers of a pack (CSV, dataset XML, receipts) and the
 * all-or-nothing output folder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "csppack/write/csv.h"
#include "csppack/write/dataset_xml.h"
#include "csppack/pack/outdir.h"
#include "csppack/write/receipts.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/common.h"
#include "testutil.h"
#include "csppack/read/xmlsafe.h"

/* The template's, and the schemas the writers cached. */
static int teardown(void **state)
{
    tu_teardown(state);
    csp_schema_cleanup();
    return 0;
}

/* ------------------------------------------------------------------------ */
/* A small inbox that exercises every kind of row                           */
/* ------------------------------------------------------------------------ */

#define SUB(agency, when)                                                      \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                             \
    "<submission xmlns=\"urn:csppack:submission:1\" "                          \
    "strategy=\"dg-csp-2016-19\" agency=\"" agency "\" "                       \
    "submitted=\"" when "\">\n"                                                \
    "  <submitter name=\"Analyst\" email=\"a@example.org\"/>\n"

#define Q2 "period=\"2016-07-01/2016-09-30\""
#define YE16 "period=\"2015-10-01/2016-09-30\""

/* Kent Police, first: a refused item, a quote-laden progress statement. */
static const char police1[] =
    SUB("kent-police", "2016-10-14T09:30:00+01:00")
    "  <observations>\n"
    "    <obs indicator=\"victim-based-crime\" area=\"dartford\" " YE16
    " value=\"8388\"/>\n"
    "    <obs indicator=\"crimes-against-society\" area=\"dartford\" " YE16
    " value=\"619\"/>\n"
    "    <obs indicator=\"hate-crimes\" area=\"dartford\" " Q2
    " value=\"41\"/>\n"
    "    <obs indicator=\"dvpo-issued\" area=\"gravesham\" " Q2
    " value=\"4\" status=\"provisional\">Awaiting, one \"court\" result."
    "</obs>\n"
    "    <obs indicator=\"criminal-damage\" area=\"dartford\" " YE16
    " value=\"1,385\"/>\n"
    "  </observations>\n"
    "  <actions>\n"
    "    <update ref=\"2.1\" status=\"on-track\" as-of=\"2016-09-30\">He "
    "said \"done\", then left.\n\n   A second, shorter paragraph.</update>\n"
    "  </actions>\n"
    "</submission>\n";

/* Kent Police, later: supersedes one figure. */
static const char police2[] =
    SUB("kent-police", "2016-10-20T12:00:00+01:00")
    "  <observations>\n"
    "    <obs indicator=\"hate-crimes\" area=\"dartford\" " Q2
    " value=\"43\"/>\n"
    "  </observations>\n"
    "</submission>\n";

/* KCC and the CCG disagree on an indicator nobody owns: disputed. */
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
    "  </observations>\n"
    "</submission>\n";

/* Refused whole: an agency the template does not declare. */
static const char stranger[] =
    SUB("nobody", "2016-11-01T00:00:00Z")
    "</submission>\n";

/* Refused whole: not XML. */
static const char junk[] = "this is not XML, \"at all\"\n";

typedef struct named {
    const char *name;
    const char *text;
} named;

static const named inbox[] = {
    {"in/police-1.xml", police1}, {"in/police-2.xml", police2},
    {"in/kcc.xml", kcc},          {"in/ccg.xml", ccg},
    {"in/stranger.xml", stranger}, {"in/junk.xml", junk},
};
#define NINBOX (sizeof inbox / sizeof *inbox)

/* Reconcile the inbox, adding its files in the order @p order gives
 * (indices into inbox; a repeated index adds a file twice). */
static csp_dataset *reconcile_inbox(const size_t *order, size_t n)
{
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    for (size_t k = 0; k < n; k++) {
        const named *f = &inbox[order[k]];
        csp_diag_list d;
        csp_diag_list_init(&d);
        csp_submission *sub = tu_parse(f->name, f->text, strlen(f->text), &d);
        assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
        csp_diag_list_free(&d);
    }
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    return ds;
}

static csp_dataset *reconcile_all(void)
{
    static const size_t order[] = {0, 1, 2, 3, 4, 5};
    return reconcile_inbox(order, NINBOX);
}

/* What a writer produced. */
typedef struct output {
    char *data;
    size_t size;
} output;

typedef csp_error (*writer_fn)(const csp_dataset *, FILE *);

/* Run a writer into memory. */
static output run(writer_fn fn, const csp_dataset *ds)
{
    output o = {0};
    FILE *f = open_memstream(&o.data, &o.size);
    assert_non_null(f);
    assert_int_equal(fn(ds, f), CSP_OK);
    assert_int_equal(fclose(f), 0);
    return o;
}

/* Run a receipt into memory, with the chase list @p ret (or NULL). */
static output run_receipt_with(const csp_dataset *ds, const char *agency,
                               const csp_returns *ret)
{
    output o = {0};
    FILE *f = open_memstream(&o.data, &o.size);
    assert_non_null(f);
    assert_int_equal(csp_receipt_write(ds, agency, ret, f), CSP_OK);
    assert_int_equal(fclose(f), 0);
    return o;
}

/* Run a receipt into memory, without a chase list. */
static output run_receipt(const csp_dataset *ds, const char *agency)
{
    return run_receipt_with(ds, agency, NULL);
}

/* ------------------------------------------------------------------------ */
/* An independent RFC 4180 reader                                           */
/* ------------------------------------------------------------------------ */

#define MAX_FIELDS 16
#define MAX_ROWS 64

typedef struct csv_table {
    size_t nrows;
    size_t nfields[MAX_ROWS];
    char *field[MAX_ROWS][MAX_FIELDS];
} csv_table;

/* Parse strictly: every record ends in CRLF, quotes only around whole
 * fields, "" inside quotes.  Fails the test on any deviation. */
static void csv_parse(const char *s, size_t n, csv_table *t)
{
    memset(t, 0, sizeof *t);
    size_t i = 0;
    assert_true(n > 0);
    while (i < n) {
        assert_true(t->nrows < MAX_ROWS);
        size_t row = t->nrows++;
        for (;;) {
            char *buf = malloc(n + 1);
            size_t len = 0;
            assert_non_null(buf);
            if (s[i] == '"') {
                i++;
                for (;;) {
                    assert_true(i < n);
                    if (s[i] == '"') {
                        if (i + 1 < n && s[i + 1] == '"') {
                            buf[len++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    buf[len++] = s[i++];
                }
            } else {
                while (i < n && s[i] != ',' && s[i] != '\r') {
                    assert_true(s[i] != '"' && s[i] != '\n');
                    buf[len++] = s[i++];
                }
            }
            buf[len] = '\0';
            assert_true(t->nfields[row] < MAX_FIELDS);
            t->field[row][t->nfields[row]++] = buf;
            assert_true(i < n);
            if (s[i] == ',') {
                i++;
                continue;
            }
            assert_int_equal(s[i], '\r');
            assert_true(i + 1 < n);
            assert_int_equal(s[i + 1], '\n');
            i += 2;
            break;
        }
    }
}

static void csv_free(csv_table *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t f = 0; f < t->nfields[r]; f++)
            free(t->field[r][f]);
}

/* The row whose first fields are @p a (and @p b when not NULL). */
static size_t csv_find(const csv_table *t, size_t col, const char *a,
                       size_t col2, const char *b)
{
    for (size_t r = 1; r < t->nrows; r++)
        if (strcmp(t->field[r][col], a) == 0 &&
            (!b || strcmp(t->field[r][col2], b) == 0))
            return r;
    fail_msg("no row with %s / %s", a, b ? b : "");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                      */
/* ------------------------------------------------------------------------ */

/* Quoting exactly as RFC 4180 needs; text that a spreadsheet would run
 * as a formula starts with "'" (OWASP, CSV injection); figures and dates
 * as they stand. */
static void test_outputs_csv_field_quoting(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        bool text;
    } cases[] = {
        {NULL, "", true},
        {"", "", true},
        {"plain", "plain", true},
        {"a,b", "\"a,b\"", true},
        {"say \"hi\"", "\"say \"\"hi\"\"\"", true},
        {"two\n\nlines", "\"two\n\nlines\"", true},
        {"cr\r\nlf", "\"cr\r\nlf\"", true},
        {" lead", "\" lead\"", true},
        {"trail ", "\"trail \"", true},
        {"in side", "in side", true},
        {"£ – ’ é", "£ – ’ é", true},
        /* Formula payloads in text. */
        {"=1+1", "'=1+1", true},
        {"=HYPERLINK(\"http://x\",\"y\")",
         "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", true},
        {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0", true},
        {"-2+3", "'-2+3", true},
        {"@SUM(1+1)", "'@SUM(1+1)", true},
        {"\tTAB", "'\tTAB", true},
        {"\rCR", "\"'\rCR\"", true},
        {"=a, b ", "\"'=a, b \"", true},
        {"a=1", "a=1", true},
        {"'=1", "'=1", true},
        /* Figures and dates: never touched, a negative one neither. */
        {"-3", "-3", false},
        {"-12.50", "-12.50", false},
        {"2016-09-30", "2016-09-30", false},
        {"2016-10-21T11:40:00+01:00", "2016-10-21T11:40:00+01:00", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        assert_non_null(f);
        assert_int_equal(csp_csv_field(f, cases[i].in, cases[i].text),
                         CSP_OK);
        fclose(f);
        assert_string_equal(buf, cases[i].out);
        free(buf);
    }
}

/* observations.csv: header, CRLF, one row per key, sorted, statuses. */
static void test_outputs_csv_observations(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run(csp_csv_write_observations, ds);
    csv_table t;
    csv_parse(o.data, o.size, &t);
    assert_true(t.nrows >= 2);
    const char *head[] = {"indicator", "area",      "start", "end",
                          "value",     "status",    "agency", "submitted",
                          "file",      "origin"};
    assert_int_equal(t.nfields[0], 10);
    for (size_t c = 0; c < 10; c++)
        assert_string_equal(t.field[0][c], head[c]);
    for (size_t r = 1; r < t.nrows; r++) {
        assert_int_equal(t.nfields[r], 10);
        if (r > 1) {
            /* Sorted by indicator, area, start, end (the key). */
            int c = strcmp(t.field[r - 1][0], t.field[r][0]);
            if (!c)
                c = strcmp(t.field[r - 1][1], t.field[r][1]);
            if (!c)
                c = strcmp(t.field[r - 1][2], t.field[r][2]);
            if (!c)
                c = strcmp(t.field[r - 1][3], t.field[r][3]);
            assert_true(c < 0);
        }
    }
    /* The superseding figure stands, from the later file, by base name. */
    size_t r = csv_find(&t, 0, "hate-crimes", 1, "dartford");
    assert_string_equal(t.field[r][4], "43");
    assert_string_equal(t.field[r][5], "final");
    assert_string_equal(t.field[r][6], "kent-police");
    assert_string_equal(t.field[r][7], "2016-10-20T12:00:00+01:00");
    assert_string_equal(t.field[r][8], "police-2.xml");
    assert_string_equal(t.field[r][9], "partner");
    /* Provisional travels with the figure. */
    r = csv_find(&t, 0, "dvpo-issued", 1, "gravesham");
    assert_string_equal(t.field[r][5], "provisional");
    /* Computed: total-crime = 8388 + 619, agency csppack, no file. */
    r = csv_find(&t, 0, "total-crime", 1, "dartford");
    assert_string_equal(t.field[r][2], "2015-10-01");
    assert_string_equal(t.field[r][3], "2016-09-30");
    assert_string_equal(t.field[r][4], "9007");
    assert_string_equal(t.field[r][6], "csppack");
    assert_string_equal(t.field[r][7], "");
    assert_string_equal(t.field[r][8], "");
    assert_string_equal(t.field[r][9], "computed");
    /* Disputed: empty value, agency and origin. */
    r = csv_find(&t, 0, "meam-referrals", 1, "all");
    assert_string_equal(t.field[r][4], "");
    assert_string_equal(t.field[r][5], "disputed");
    assert_string_equal(t.field[r][6], "");
    assert_string_equal(t.field[r][9], "");
    /* The refused item has no row. */
    for (size_t k = 1; k < t.nrows; k++)
        assert_string_not_equal(t.field[k][0], "criminal-damage");
    csv_free(&t);
    free(o.data);
    csp_dataset_free(ds);
}

/* discrepancies.csv: every diagnostic, 13 columns, sorted by code. */
static void test_outputs_csv_discrepancies(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run(csp_csv_write_discrepancies, ds);
    csv_table t;
    csv_parse(o.data, o.size, &t);
    assert_int_equal(t.nrows, ds->diags.count + 1);
    assert_int_equal(t.nfields[0], 13);
    assert_string_equal(t.field[0][0], "code");
    assert_string_equal(t.field[0][11], "values");
    assert_string_equal(t.field[0][12], "message");
    bool e104 = false, e111 = false, e210 = false, e407 = false, i402 = false;
    for (size_t r = 1; r < t.nrows; r++) {
        assert_int_equal(t.nfields[r], 13);
        if (r > 1)
            assert_true(strcmp(t.field[r - 1][0], t.field[r][0]) <= 0);
        /* Files by base name, never a folder. */
        assert_null(strchr(t.field[r][3], '/'));
        assert_null(strstr(t.field[r][12], "in/"));
        const char *code = t.field[r][0];
        if (strcmp(code, "E104") == 0) {
            e104 = true;
            assert_string_equal(t.field[r][1], "error");
            assert_string_equal(t.field[r][3], "junk.xml");
        } else if (strcmp(code, "E111") == 0) {
            e111 = true;
            assert_string_equal(t.field[r][2], "unknown-agency");
        } else if (strcmp(code, "E210") == 0) {
            e210 = true;
            assert_string_equal(t.field[r][2], "not-a-number");
            assert_string_equal(t.field[r][3], "police-1.xml");
            assert_true(atoi(t.field[r][4]) > 0);
        } else if (strcmp(code, "E407") == 0) {
            e407 = true;
            assert_string_equal(t.field[r][2], "disputed");
            assert_string_equal(t.field[r][6], "meam-referrals");
            assert_string_equal(t.field[r][8], "2016-07-01");
            assert_string_equal(t.field[r][9], "2016-09-30");
            assert_non_null(strstr(t.field[r][11], "dgs-ccg=15"));
            assert_non_null(strstr(t.field[r][11], "kcc=6"));
        } else if (strcmp(code, "I402") == 0) {
            i402 = true;
            assert_string_equal(t.field[r][1], "info");
            assert_string_equal(t.field[r][2], "superseded");
        }
    }
    assert_true(e104 && e111 && e210 && e407 && i402);
    csv_free(&t);
    free(o.data);
    csp_dataset_free(ds);
}

/* actions.csv: every update, current yes/no, text as it stands. */
static void test_outputs_csv_actions(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run(csp_csv_write_actions, ds);
    csv_table t;
    csv_parse(o.data, o.size, &t);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(t.nfields[0], 7);
    assert_string_equal(t.field[0][0], "ref");
    assert_string_equal(t.field[0][6], "progress");
    size_t r = csv_find(&t, 0, "2.1", 0, NULL);
    assert_string_equal(t.field[r][1], "yes");
    assert_string_equal(t.field[r][2], "2016-09-30");
    assert_string_equal(t.field[r][3], "on-track");
    assert_string_equal(t.field[r][4], "kent-police");
    assert_string_equal(t.field[r][5], "2016-10-14T09:30:00+01:00");
    assert_string_equal(t.field[r][6], "He said \"done\", then left.\n\n"
                                       "A second, shorter paragraph.");
    r = csv_find(&t, 0, "1.1", 0, NULL);
    assert_string_equal(t.field[r][3], "at-risk");
    assert_int_equal(r, 1); /* "1.1" sorts before "2.1" */
    csv_free(&t);
    free(o.data);
    csp_dataset_free(ds);
}

/* The same files in another order, one given twice: the same bytes. */
static void test_outputs_order_independent(void **state)
{
    (void)state;
    static const size_t order2[] = {5, 3, 1, 4, 0, 2, 3};
    csp_dataset *a = reconcile_all();
    csp_dataset *b = reconcile_inbox(order2, sizeof order2 / sizeof *order2);
    writer_fn fns[] = {csp_csv_write_observations,
                       csp_csv_write_discrepancies, csp_csv_write_actions,
                       csp_dataset_write_xml};
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        output x = run(fns[i], a), y = run(fns[i], b);
        assert_int_equal(x.size, y.size);
        assert_memory_equal(x.data, y.data, x.size);
        free(x.data);
        free(y.data);
    }
    const char *agencies[] = {"kcc", "dgs-ccg", "kent-police", NULL};
    for (size_t i = 0; i < 4; i++) {
        output x = run_receipt(a, agencies[i]), y = run_receipt(b, agencies[i]);
        assert_int_equal(x.size, y.size);
        assert_memory_equal(x.data, y.data, x.size);
        free(x.data);
        free(y.data);
    }
    csp_dataset_free(a);
    csp_dataset_free(b);
}

/* ------------------------------------------------------------------------ */
/* Dataset XML                                                              */
/* ------------------------------------------------------------------------ */

/* Validate @p o against a schema; true when valid. */
static bool valid_against(xmlSchemaPtr schema, const output *o)
{
    xmlDocPtr doc = xmlReadMemory(o->data, (int)o->size, "dataset.xml", NULL,
                                  XML_PARSE_NONET);
    assert_non_null(doc);
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
    assert_non_null(v);
    int rc = xmlSchemaValidateDoc(v, doc);
    xmlSchemaFreeValidCtxt(v);
    xmlFreeDoc(doc);
    return rc == 0;
}

static char *read_file(const char *path);

/* The dataset validates against dataset.xsd, embedded and on disk. */
static void test_outputs_dataset_valid(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run(csp_dataset_write_xml, ds);
    xmlSchemaPtr embedded = csp_schema_get(CSP_SCHEMA_DATASET);
    assert_non_null(embedded);
    assert_true(valid_against(embedded, &o));
    xmlSchemaPtr file = tu_dataset_schema_file();
    assert_true(valid_against(file, &o));
    xmlSchemaFree(file);
    /* Deterministic: a second write gives the same bytes. */
    output again = run(csp_dataset_write_xml, ds);
    assert_int_equal(o.size, again.size);
    assert_memory_equal(o.data, again.data, o.size);
    free(again.data);
    free(o.data);
    csp_dataset_free(ds);
}

/* What the dataset says, read back with XPath. */
static void test_outputs_dataset_content(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run(csp_dataset_write_xml, ds);
    xmlDocPtr doc = xmlReadMemory(o.data, (int)o.size, "dataset.xml", NULL,
                                  XML_PARSE_NONET);
    assert_non_null(doc);
    assert_int_equal(
        tu_xpath_count(doc, "/d:dataset[@strategy='dg-csp-2016-19' and "
                         "@latest-submitted='2016-11-18T12:00:00Z']"),
        1);
    assert_int_equal(tu_xpath_count(doc, "//d:files/d:file"), 6);
    assert_int_equal(tu_xpath_count(doc, "//d:file[@path='junk.xml' and "
                                      "@refused='true' and not(@agency)]"),
                     1);
    assert_int_equal(tu_xpath_count(doc, "//d:file[contains(@path,'/')]"), 0);
    /* A computed total with its rule and inputs. */
    assert_int_equal(
        tu_xpath_count(doc, "//d:figure[@indicator='total-crime' and "
                         "@area='dartford' and @computed='true' and "
                         "@agency='csppack' and @value='9007' and "
                         "@decimals='0' and not(@file)]/d:rule[@kind='sum' "
                         "and @exact='9007' and count(d:input)=2]"),
        1);
    /* A disputed key with both claims. */
    assert_int_equal(
        tu_xpath_count(doc, "//d:figure[@indicator='meam-referrals' and "
                         "@state='disputed' and not(@value)]/"
                         "d:claim[@role='disputed']"),
        2);
    /* The superseded claim is kept, after the claims that count, with
     * its value, agency, file and submitted instant; its file counts it,
     * and one I402 names the file. */
    assert_int_equal(
        tu_xpath_count(doc, "//d:figure[@indicator='hate-crimes' and "
                         "@value='43']/d:claim[@file='police-1.xml']"),
        1);
    assert_int_equal(
        tu_xpath_count(doc, "//d:figure[@indicator='hate-crimes' and "
                         "@value='43']/d:claim[last() and "
                         "@role='superseded' and @agency='kent-police' and "
                         "@value='41' and @status='final' and "
                         "@submitted='2016-10-14T09:30:00+01:00' and "
                         "@file='police-1.xml' and @line]"),
        1);
    assert_int_equal(
        tu_xpath_count(doc, "//d:diagnostic[@code='I402' and "
                         "@file='police-1.xml' and not(@indicator)]"),
        1);
    /* Precision kept: the provisional figure and its note. */
    assert_int_equal(
        tu_xpath_count(doc, "//d:figure[@indicator='dvpo-issued' and "
                         "@status='provisional' and @value='4']/d:note"),
        1);
    /* Every action of the template, the updated one with its history. */
    assert_int_equal(tu_xpath_count(doc, "//d:action"), (int)tu_tpl->themes[0].nactions +
                                                        (int)tu_tpl->themes[1].nactions +
                                                        (int)tu_tpl->themes[2].nactions);
    assert_int_equal(
        tu_xpath_count(doc, "//d:action[@ref='2.1' and @status='on-track']/"
                         "d:update[@current='true' and @agency='kent-police']"),
        1);
    /* Every diagnostic, in the dataset's order. */
    assert_int_equal(tu_xpath_count(doc, "//d:diagnostic"),
                     (int)ds->diags.count);
    for (size_t i = 0; i < ds->diags.count; i++) {
        char expr[128];
        snprintf(expr, sizeof expr, "//d:diagnostic[%zu][@code='%s']", i + 1,
                 csp_diag_code_str(ds->diags.items[i].code));
        assert_int_equal(tu_xpath_count(doc, expr), 1);
    }
    xmlFreeDoc(doc);
    free(o.data);
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* Receipts                                                                 */
/* ------------------------------------------------------------------------ */

static void test_outputs_receipts_list(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    csp_receipt_list l;
    assert_int_equal(csp_receipts_list(ds, NULL, &l), CSP_OK);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.agencies[0], "dgs-ccg");
    assert_string_equal(l.agencies[1], "kcc");
    assert_string_equal(l.agencies[2], "kent-police");
    assert_true(l.unknown);
    char name[CSP_RECEIPT_NAME_MAX];
    csp_receipt_file_name(ds, "kcc", name);
    assert_string_equal(name, "kcc.txt");
    csp_receipt_file_name(ds, NULL, name);
    assert_string_equal(name, "unknown.txt");
    csp_receipt_list_free(&l);
    csp_dataset_free(ds);
}

/* With the chase list of Q2: a receipt for every agency that owes and
 * sent nothing, saying so; every agency's receipt ends with what it still
 * owes; without the chase list, neither. */
static void test_outputs_receipts_returns(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    csp_returns ret;
    csp_period q2;
    assert_int_equal(csp_period_parse("2016-07-01/2016-09-30", 21, &q2),
                     CSP_PERIOD_OK);
    assert_int_equal(csp_returns_compute(ds, q2, &ret), CSP_OK);
    csp_receipt_list l;
    assert_int_equal(csp_receipts_list(ds, &ret, &l), CSP_OK);
    static const char *const want[] = {"dartford-bc", "dgs-ccg",
                                       "gravesham-bc", "kcc", "kent-police",
                                       "kfrs", "kss-crc"};
    assert_int_equal(l.count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(l.agencies[i], want[i]);
    assert_true(l.unknown);
    csp_receipt_list_free(&l);

    output o = run_receipt_with(ds, "kfrs", &ret);
    assert_non_null(o.data);
    assert_non_null(strstr(
        o.data, "Dear colleagues at Kent Fire and Rescue Service,\n\n"
                "We have received no submission from you to the Dartford "
                "and Gravesham\n"));
    assert_non_null(strstr(o.data, "Still needed from you for July to "
                                   "September 2016 ("));
    assert_non_null(strstr(o.data, "\n  Deliberate primary fires, Dartford, "
                                   "July to September 2016\n"));
    assert_non_null(strstr(o.data, "\nPlease send them in one submission as "
                                   "soon as you can.\n"));
    assert_null(strstr(o.data, "File 1"));
    free(o.data);

    o = run_receipt_with(ds, "kcc", &ret);
    assert_non_null(strstr(o.data, "\nStill needed from you for July to "
                                   "September 2016 ("));
    assert_non_null(strstr(o.data, "\nTo correct a figure"));
    free(o.data);
    o = run_receipt_with(ds, "kcc", NULL);
    assert_null(strstr(o.data, "Still needed"));
    assert_null(strstr(o.data, "Nothing more is needed"));
    free(o.data);
    /* Without a chase list, a receipt without files names no period and
     * asks for nothing. */
    o = run_receipt_with(ds, "kfrs", NULL);
    assert_non_null(strstr(o.data, "2016-19.\n\nDartford and Gravesham "
                                   "Community Safety Partnership\n"));
    assert_null(strstr(o.data, "Please send"));
    assert_null(strstr(o.data, "1970"));
    free(o.data);
    csp_returns_free(&ret);
    csp_dataset_free(ds);
}

/* The agency's receipt: greeting, period, each file, each problem. */
/* A receipt's text on one line: each line break and the indent after it
 * made one space (prose and list items are wrapped); free() it. */
static char *flatten(const char *s)
{
    char *flat = strdup(s), *q = flat;
    assert_non_null(flat);
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            while (p[1] == ' ')
                p++;
            *q++ = ' ';
        } else {
            *q++ = *p;
        }
    }
    *q = '\0';
    return flat;
}

static void test_outputs_receipt_agency(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run_receipt(ds, "kent-police");
    const char *s = o.data;
    char *flat = flatten(s);
    /* Prose is wrapped: look for sentences in the text on one line. */
    assert_non_null(strstr(flat, "This receipt covers 2 files, with figures "
                                 "for 1 October 2015 to 30 September 2016 "
                                 "and progress on the action plan as of 30 "
                                 "September 2016."));
    /* The refusal and the supersession in words, with base names and
     * lines, no codes. */
    assert_non_null(strstr(flat, "of police-1.xml) was refused: value "));
    assert_non_null(strstr(flat, "Please send it again, corrected, in a "
                                 "new submission with a later submitted "
                                 "time."));
    assert_non_null(strstr(flat, "About line "));
    assert_non_null(strstr(flat, "was replaced by later submissions from "
                                 "Kent Police"));
    free(flat);
    assert_true(strncmp(s, "Dear colleagues at Kent Police,\n\n", 33) == 0);
    assert_non_null(strstr(s, "File 1 of 2: police-1.xml\n"));
    assert_non_null(strstr(s, "File 2 of 2: police-2.xml\n"));
    assert_true(strstr(s, "police-1.xml") < strstr(s, "police-2.xml"));
    assert_non_null(strstr(s, "  Accepted:  4 figures, 1 action-plan "
                              "update\n"));
    assert_non_null(strstr(s, "  Refused:   1 item (below)\n"));
    assert_non_null(strstr(s, "1 superseded by a later submission"));
    assert_null(strstr(s, "E210"));
    assert_null(strstr(s, "I402"));
    /* No FILE:LINE: "line 9 of police-1.xml" instead. */
    for (const char *p = strstr(s, ".xml:"); p; p = strstr(p + 1, ".xml:"))
        assert_false(p[5] >= '0' && p[5] <= '9');
    assert_null(strstr(s, "in/"));
    assert_non_null(strstr(s, "2.1 on track as of 30 September 2016\n"));
    free(o.data);

    /* KCC's figure is disputed by the CCG's: that shows in KCC's receipt. */
    o = run_receipt(ds, "kcc");
    s = o.data;
    assert_true(strncmp(s, "Dear colleagues at Kent County Council,", 39) == 0);
    assert_non_null(strstr(s, "1 disputed"));
    assert_null(strstr(s, "E407"));
    assert_non_null(strstr(s, "Discrepancies in other files that involve "
                              "your figures (1):\n    - "));
    flat = flatten(s);
    assert_non_null(strstr(flat, "of ccg.xml): the "
                                 "figures sent do not agree"));
    free(flat);
    free(o.data);
    csp_dataset_free(ds);
}

/* A joint action: each council's latest update is current, and an
 * earlier one of its own names its own as the update that stands. */
static void test_outputs_receipt_joint(void **state)
{
    (void)state;
    static const char dbc[] =
        SUB("dartford-bc", "2016-10-14T09:30:00+01:00")
        "  <actions>\n"
        "    <update ref=\"3.4\" status=\"on-track\" as-of=\"2016-06-30\">"
        "Q1.</update>\n"
        "    <update ref=\"3.4\" status=\"on-track\" as-of=\"2016-09-30\">"
        "Q2.</update>\n"
        "  </actions>\n"
        "</submission>\n";
    static const char gbc[] =
        SUB("gravesham-bc", "2016-10-31T14:20:00Z")
        "  <actions>\n"
        "    <update ref=\"3.4\" status=\"on-track\" as-of=\"2016-09-30\">"
        "Q2 too.</update>\n"
        "  </actions>\n"
        "</submission>\n";
    static const named files[] = {{"dbc.xml", dbc}, {"gbc.xml", gbc}};
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    for (size_t k = 0; k < 2; k++) {
        csp_diag_list d;
        csp_diag_list_init(&d);
        csp_submission *sub = tu_parse(files[k].name, files[k].text,
                                       strlen(files[k].text), &d);
        assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
        csp_diag_list_free(&d);
    }
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    output o = run_receipt(ds, "dartford-bc");
    assert_non_null(strstr(o.data,
                           "  Action-plan updates:\n"
                           "    3.4 on track as of 30 June 2016 (your update "
                           "as of 30 September 2016\n"
                           "      stands)\n"
                           "    3.4 on track as of 30 September 2016\n"));
    free(o.data);
    o = run_receipt(ds, "gravesham-bc");
    assert_non_null(strstr(o.data,
                           "  Action-plan updates:\n"
                           "    3.4 on track as of 30 September 2016\n"));
    free(o.data);
    csp_dataset_free(ds);
}

/* The unknown receipt lists the files refused before their agency. */
static void test_outputs_receipt_unknown(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    output o = run_receipt(ds, NULL);
    const char *s = o.data;
    assert_non_null(strstr(s, "These files were refused"));
    assert_non_null(strstr(s, "junk.xml\n"));
    assert_non_null(strstr(s, "stranger.xml\n"));
    assert_non_null(strstr(s, "  Refused:   the whole file"));
    char *flat = flatten(s);
    assert_non_null(strstr(flat, "The whole file was refused (line 1 of "
                                 "junk.xml): the file holds no XML "
                                 "document"));
    assert_null(strstr(s, ": error: "));
    free(flat);
    assert_null(strstr(s, "Dear colleagues"));
    free(o.data);
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                           */
/* ------------------------------------------------------------------------ */

/* Names relative to the folder named, else base names. */
static void test_outputs_path_base(void **state)
{
    (void)state;
    static const char *const roots[] = {"", "/abs/in", "in", "in/police"};
    assert_null(csp_path_name(NULL, 0, NULL));
    assert_string_equal(csp_path_name(NULL, 0, "kcc.xml"), "kcc.xml");
    assert_string_equal(csp_path_name(NULL, 0, "in/kcc.xml"), "kcc.xml");
    assert_string_equal(csp_path_name(NULL, 0, "/abs/in/kcc.xml"),
                        "kcc.xml");
    assert_string_equal(csp_path_name(NULL, 0, "in/"), "in/");
    assert_string_equal(csp_path_name(roots + 1, 3, "in/kfrs/k.xml"),
                        "kfrs/k.xml");
    assert_string_equal(csp_path_name(roots + 1, 3, "/abs/in/kfrs/k.xml"),
                        "kfrs/k.xml");
    /* The longest folder named that holds it. */
    assert_string_equal(csp_path_name(roots + 1, 3, "in/police/a/k.xml"),
                        "a/k.xml");
    /* Not under a folder named: the base name. */
    assert_string_equal(csp_path_name(roots + 1, 3, "inbox/k/k.xml"),
                        "k.xml");
    assert_string_equal(csp_path_name(roots + 1, 3, "other/in/k.xml"),
                        "k.xml");
    /* "/" named. */
    assert_string_equal(csp_path_name(roots, 1, "/x/k.xml"), "x/k.xml");
}

static void test_outputs_ratio_text(void **state)
{
    (void)state;
    static const struct {
        int64_t num, den;
        const char *text;
    } cases[] = {{8388000, 103900, "83880/1039"}, {9007, 1, "9007"},
                 {-10, 4, "-5/2"},               {0, 7, "0"},
                 {10, -4, "-5/2"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        csp_strbuf sb;
        csp_strbuf_init(&sb, 256);
        csp_ratio r = {cases[i].num, cases[i].den};
        assert_int_equal(csp_out_ratio(&sb, r), CSP_OK);
        assert_string_equal(csp_strbuf_str(&sb), cases[i].text);
        csp_strbuf_free(&sb);
    }
    csp_strbuf sb;
    csp_strbuf_init(&sb, 256);
    csp_int128 big = (csp_int128)INT64_MAX * 1000;
    assert_int_equal(csp_out_int128(&sb, -big), CSP_OK);
    assert_string_equal(csp_strbuf_str(&sb), "-9223372036854775807000");
    csp_strbuf_free(&sb);
}

static void test_outputs_text_clean(void **state)
{
    (void)state;
    assert_true(csp_out_text_ok("plain £ – ’\n\ttab"));
    assert_false(csp_out_text_ok("bell\a"));
    assert_false(csp_out_text_ok("bad \xC3"));
    assert_false(csp_out_text_ok("overlong \xC0\xAF"));
    assert_false(csp_out_text_ok("surrogate \xED\xA0\x80"));
    csp_strbuf sb;
    csp_strbuf_init(&sb, 256);
    assert_int_equal(csp_out_text_clean("a\x01" "b\xFF" "c", &sb), CSP_OK);
    assert_string_equal(csp_strbuf_str(&sb), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
    csp_strbuf_free(&sb);
}

/* <e a="S">S</e> (or <e a=""/>) as libxml2's xmlTextWriter writes it in a
 * UTF-8 document, S cleaned first: what dataset.xml was written with
 * before csp_outbuf.  (The declaration, which tells libxml2 to leave
 * characters above U+007F in attributes as they are, is left out.) */
static char *escaped_by_libxml2(const char *s)
{
    xmlBufferPtr b = xmlBufferCreate();
    assert_non_null(b);
    xmlTextWriterPtr w = xmlNewTextWriterMemory(b, 0);
    assert_non_null(w);
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 20);
    assert_int_equal(csp_out_text_clean(s, &sb), CSP_OK);
    const char *c = csp_strbuf_str(&sb);
    assert_true(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0);
    assert_true(xmlTextWriterStartElement(w, BAD_CAST "e") >= 0);
    assert_true(xmlTextWriterWriteAttribute(w, BAD_CAST "a", BAD_CAST c) >= 0);
    if (*c)
        assert_true(xmlTextWriterWriteString(w, BAD_CAST c) >= 0);
    assert_true(xmlTextWriterEndElement(w) >= 0);
    assert_true(xmlTextWriterFlush(w) >= 0);
    xmlFreeTextWriter(w);
    csp_strbuf_free(&sb);
    const char *body = strchr((const char *)xmlBufferContent(b), '\n');
    assert_non_null(body);
    char *r = strdup(body + 1);
    assert_non_null(r);
    xmlBufferFree(b);
    return r;
}

/* The same through csp_out_xml_attr and csp_out_xml_text. */
static char *escaped_by_outbuf(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    csp_outbuf *ob = malloc(sizeof *ob);
    assert_non_null(ob);
    csp_outbuf_init(ob, f);
    csp_outbuf_puts(ob, "<e a=\"");
    csp_out_xml_attr(ob, s);
    csp_outbuf_putc(ob, '"');
    if (*s) {
        csp_outbuf_putc(ob, '>');
        csp_out_xml_text(ob, s, strlen(s));
        csp_outbuf_puts(ob, "</e>");
    } else {
        csp_outbuf_puts(ob, "/>");
    }
    assert_int_equal(csp_outbuf_flush(ob), CSP_OK);
    free(ob);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* The escapers write what xmlTextWriter wrote: entities for <, >, &, "
 * and CR (tab and LF too in attributes), U+FFFD for what XML refuses, the
 * rest as it stands; in short texts and long ones (where they look at
 * many bytes at a time), at every position. */
static void test_outputs_xml_escape(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "", "plain", "a<b>c&d\"e'f", "tab\tlf\ncr\r", "bell\a nul-less",
        "caf\xC3\xA9 \xE2\x80\x99 \xF0\x9F\x98\x80", "bad \xC3", "\xFF\x80",
        "surrogate \xED\xA0\x80", "\xEF\xBF\xBE", "overlong \xC0\xAF",
        "]]> &amp; &#13;",
    };
    static const char *const odd[] = {"<", ">", "&", "\"", "\r", "\n", "\t",
                                      "\x01", "\x7F", "\xC3\xA9", "\xC3",
                                      "\xE2\x80\x99", "\xF4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *want = escaped_by_libxml2(cases[i]);
        char *got = escaped_by_outbuf(cases[i]);
        assert_string_equal(got, want);
        free(want);
        free(got);
    }
    for (size_t k = 0; k < sizeof odd / sizeof *odd; k++)
        for (size_t at = 0; at < 40; at++) {
            char s[64];
            memset(s, 'x', sizeof s);
            size_t n = strlen(odd[k]);
            memcpy(s + at, odd[k], n);
            s[at + n + 7] = '\0';
            char *want = escaped_by_libxml2(s);
            char *got = escaped_by_outbuf(s);
            assert_string_equal(got, want);
            free(want);
            free(got);
        }
}

/* Every output names files by base name: the inbox's folder ("in/")
 * reaches no message, column or receipt. */
static void test_outputs_message_basenames(void **state)
{
    (void)state;
    csp_dataset *ds = reconcile_all();
    assert_true(ds->diags.count > 0);
    const writer_fn writers[] = {csp_csv_write_discrepancies,
                                 csp_csv_write_observations,
                                 csp_csv_write_actions,
                                 csp_dataset_write_xml};
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++) {
        output o = run(writers[i], ds);
        assert_null(strstr(o.data, "in/"));
        free(o.data);
    }
    output csv = run(csp_csv_write_discrepancies, ds);
    assert_non_null(strstr(csv.data, "police-1.xml"));
    free(csv.data);
    output r = run_receipt(ds, "kent-police");
    assert_null(strstr(r.data, "in/"));
    assert_non_null(strstr(r.data, "police-1.xml"));
    free(r.data);
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* The output folder                                                        */
/* ------------------------------------------------------------------------ */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 20) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Names in a folder, sorted, joined with spaces. */
static void list_dir(const char *dir, char *out, size_t size)
{
    char *names[64];
    size_t n = 0;
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) && n < 64)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[n++] = strdup(e->d_name);
    closedir(d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(names[j], names[i]) < 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strncat(out, " ", size - strlen(out) - 1);
        strncat(out, names[i], size - strlen(out) - 1);
        free(names[i]);
    }
}

/* Remove a small test tree. */
static void rm_tree(const char *path)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

/* Write two files and a receipt folder into a fresh temp folder. */
static void write_some(csp_outdir *od, const char *tag)
{
    csp_error err;
    const char *names[] = {"dataset.xml", "observations.csv",
                           "receipts/kcc.txt"};
    for (size_t i = 0; i < 3; i++) {
        FILE *f = csp_outdir_create(od, names[i], &err, NULL);
        assert_non_null(f);
        fprintf(f, "%s %s\n", tag, names[i]);
        assert_int_equal(csp_outdir_close(od, f, NULL), CSP_OK);
    }
}

/* Commit replaces the pack whole, keeps the user's files, lists its own
 * in the manifest, removes its private folder (beside DIR). */
static void test_outputs_outdir_commit(void **state)
{
    (void)state;
    char base[] = "/tmp/csppack-outdir-XXXXXX";
    assert_non_null(mkdtemp(base));
    char dir[4096], path[4200], names[1024];
    snprintf(dir, sizeof dir, "%s/pack", base);
    /* First run creates DIR, with a receipt the second will not write. */
    csp_outdir *od = csp_outdir_new(dir);
    assert_int_equal(csp_outdir_begin(od, NULL), CSP_OK);
    write_some(od, "one");
    csp_error err;
    FILE *f = csp_outdir_create(od, "receipts/gone.txt", &err, NULL);
    assert_non_null(f);
    assert_int_equal(csp_outdir_close(od, f, NULL), CSP_OK);
    assert_int_equal(csp_outdir_commit(od, NULL), CSP_OK);
    csp_outdir_free(od);
    list_dir(dir, names, sizeof names);
    assert_string_equal(names,
                        ".csppack-files dataset.xml observations.csv receipts");
    snprintf(path, sizeof path, "%s/.csppack-files", dir);
    char *text = read_file(path);
    assert_non_null(strstr(text, "\ndataset.xml\nobservations.csv\n"
                                 "receipts/gone.txt\nreceipts/kcc.txt\n"));
    free(text);
    /* The user's own files stay, in receipts/ too; the receipt csppack
     * wrote and does not write again goes. */
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    write_text(path, "mine\n");
    snprintf(path, sizeof path, "%s/receipts/mine.txt", dir);
    write_text(path, "mine too\n");
    od = csp_outdir_new(dir);
    assert_int_equal(csp_outdir_begin(od, NULL), CSP_OK);
    write_some(od, "two");
    assert_int_equal(csp_outdir_commit(od, NULL), CSP_OK);
    csp_outdir_free(od);
    list_dir(dir, names, sizeof names);
    assert_string_equal(
        names, ".csppack-files dataset.xml notes.txt observations.csv receipts");
    snprintf(path, sizeof path, "%s/receipts", dir);
    list_dir(path, names, sizeof names);
    assert_string_equal(names, "kcc.txt mine.txt");
    snprintf(path, sizeof path, "%s/dataset.xml", dir);
    text = read_file(path);
    assert_string_equal(text, "two dataset.xml\n");
    free(text);
    list_dir(base, names, sizeof names);
    assert_string_equal(names, "pack");
    rm_tree(base);
}

/* Abandoned or refused: DIR exactly as before, no temp folder left. */
static void test_outputs_outdir_failure_leaves_dir(void **state)
{
    (void)state;
    char base[] = "/tmp/csppack-outdir-XXXXXX";
    assert_non_null(mkdtemp(base));
    char path[4200], names[1024];
    snprintf(path, sizeof path, "%s/dataset.xml", base);
    write_text(path, "old\n");
    /* Freed before commit: nothing changes. */
    csp_outdir *od = csp_outdir_new(base);
    assert_int_equal(csp_outdir_begin(od, NULL), CSP_OK);
    assert_non_null(csp_outdir_tmpdir(od));
    write_some(od, "new");
    csp_outdir_free(od);
    list_dir(base, names, sizeof names);
    assert_string_equal(names, "dataset.xml");
    /* A folder where a file goes: refused before any rename. */
    snprintf(path, sizeof path, "%s/observations.csv", base);
    assert_int_equal(mkdir(path, 0777), 0);
    csp_why why;
    csp_why_clear(&why);
    od = csp_outdir_new(base);
    assert_int_equal(csp_outdir_begin(od, &why), CSP_OK);
    write_some(od, "new");
    assert_int_equal(csp_outdir_commit(od, &why), CSP_ERR_IO);
    assert_non_null(strstr(why.text, "observations.csv"));
    csp_outdir_free(od);
    list_dir(base, names, sizeof names);
    assert_string_equal(names, "dataset.xml observations.csv");
    snprintf(path, sizeof path, "%s/dataset.xml", base);
    char *text = read_file(path);
    assert_string_equal(text, "old\n");
    free(text);
    /* A DIR that cannot be: its parent is a regular file. */
    snprintf(path, sizeof path, "%s/dataset.xml/pack", base);
    csp_why_clear(&why);
    od = csp_outdir_new(path);
    assert_int_equal(csp_outdir_begin(od, &why), CSP_ERR_IO);
    assert_non_null(strstr(why.text, "dataset.xml/pack"));
    csp_outdir_free(od);
    /* A DIR created by a run that then fails is removed again. */
    snprintf(path, sizeof path, "%s/fresh", base);
    od = csp_outdir_new(path);
    assert_int_equal(csp_outdir_begin(od, NULL), CSP_OK);
    write_some(od, "new");
    csp_outdir_free(od);
    assert_int_equal(access(path, F_OK), -1);
    /* Names that would escape the private folder are refused. */
    od = csp_outdir_new(base);
    assert_int_equal(csp_outdir_begin(od, NULL), CSP_OK);
    csp_error err;
    assert_null(csp_outdir_create(od, "../x", &err, NULL));
    assert_int_equal(err, CSP_ERR_USAGE);
    assert_null(csp_outdir_create(od, "/etc/x", &err, NULL));
    assert_null(csp_outdir_create(od, "a/b/c", &err, NULL));
    assert_null(csp_outdir_create(od, ".hidden", &err, NULL));
    csp_outdir_free(od);
    list_dir(base, names, sizeof names);
    assert_string_equal(names, "dataset.xml observations.csv");
    rm_tree(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_csv_field_quoting),
        cmocka_unit_test(test_outputs_csv_observations),
        cmocka_unit_test(test_outputs_csv_discrepancies),
        cmocka_unit_test(test_outputs_csv_actions),
        cmocka_unit_test(test_outputs_order_independent),
        cmocka_unit_test(test_outputs_dataset_valid),
        cmocka_unit_test(test_outputs_dataset_content),
        cmocka_unit_test(test_outputs_receipts_list),
        cmocka_unit_test(test_outputs_receipts_returns),
        cmocka_unit_test(test_outputs_receipt_agency),
        cmocka_unit_test(test_outputs_receipt_joint),
        cmocka_unit_test(test_outputs_receipt_unknown),
        cmocka_unit_test(test_outputs_path_base),
        cmocka_unit_test(test_outputs_ratio_text),
        cmocka_unit_test(test_outputs_text_clean),
        cmocka_unit_test(test_outputs_xml_escape),
        cmocka_unit_test(test_outputs_message_basenames),
        cmocka_unit_test(test_outputs_outdir_commit),
        cmocka_unit_test(test_outputs_outdir_failure_leaves_dir),
    };
    return cmocka_run_group_tests(tests, tu_setup, teardown);
}
