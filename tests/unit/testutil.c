/* Shared set-up of the unit tests (testutil.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "csppack/base/alloc.h"
#include "csppack/write/html/html.h"
#include "testutil.h"

csp_template *tu_tpl;
csp_read_options tu_opt;

/* Read the built-in template once. */
int tu_setup(void **state)
{
    (void)state;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_read_options_init(&tu_opt);
    csp_error err = csp_template_read(NULL, &tu_opt, &tu_tpl, &d);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(stderr, &d.items[i]);
    csp_diag_list_free(&d);
    return err == CSP_OK ? 0 : -1;
}

/* Free the template. */
int tu_teardown(void **state)
{
    (void)state;
    csp_template_free(tu_tpl);
    tu_tpl = NULL;
    return 0;
}

/* Parse a document held in memory. */
csp_submission *tu_parse(const char *name, const char *text, size_t len,
                         csp_diag_list *d)
{
    csp_input in;
    csp_submission *sub = NULL;
    assert_int_equal(csp_input_from_memory(name, text, len, &tu_opt, &in, d),
                     CSP_OK);
    assert_int_equal(csp_submission_parse(&in, tu_tpl, &tu_opt, &sub, d),
                     CSP_OK);
    csp_input_free(&in);
    assert_non_null(sub);
    return sub;
}

/* Read a file of the samples folder. */
csp_submission *tu_read_sample(const char *name, csp_diag_list *d)
{
    const char *dir = getenv("SAMPLES_DIR");
    const char *srcdir = getenv("srcdir");
    char path[4096];
    csp_submission *sub = NULL;
    if (dir)
        snprintf(path, sizeof path, "%s/%s", dir, name);
    else
        snprintf(path, sizeof path, "%s/samples/dartford-gravesham/%s",
                 srcdir ? srcdir : ".", name);
    assert_int_equal(csp_submission_read(path, tu_tpl, &tu_opt, &sub, d),
                     CSP_OK);
    assert_non_null(sub);
    return sub;
}

static const char *const samples[] = {
    "dartford-bc-2016q2.xml",  "dgs-ccg-2016q2.xml",
    "gravesham-bc-2016q2.xml", "kcc-2016q2.xml",
    "kent-police-2016q2.xml",  "kfrs-2016q2.xml",
    "kss-crc-2016q2.xml"};

/* The samples, reconciled. */
csp_dataset *tu_samples_dataset(void)
{
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        csp_submission *sub = tu_read_sample(samples[i], &d);
        assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    }
    assert_int_equal(csp_dataset_add_diags(ds, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    csp_diag_list_free(&d);
    return ds;
}

/* Read a stream to its end. */
char *tu_read_stream(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0, got;
    char *b = csp_malloc(cap);
    assert_non_null(b);
    while ((got = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 4096) {
            cap *= 2;
            b = csp_realloc(b, cap);
            assert_non_null(b);
        }
    }
    assert_false(ferror(f));
    b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

/* A command's standard output. */
char *tu_command_output(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len;
    char *out = tu_read_stream(p, &len);
    int rc = pclose(p);
    if (rc != 0 || len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The HTML version of a document. */
char *tu_render_html(const csp_doc *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    csp_why why = {{0}};
    assert_int_equal(csp_html_write(d, f, &why), CSP_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* A report rendered into a temporary file. */
void tu_render_report(const csp_dataset *ds, csp_report_kind kind,
                      const csp_report_options *opt, char path[64])
{
    strcpy(path, "/tmp/csppack-test-report-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    csp_why why;
    assert_int_equal(csp_report_render(ds, kind, opt, f, &why), CSP_OK);
    assert_int_equal(fclose(f), 0);
}

/* The dataset schema file, parsed. */
xmlSchemaPtr tu_dataset_schema_file(void)
{
    const char *dir = getenv("TEMPLATES_DIR");
    char path[4096];
    size_t n = 0;
    snprintf(path, sizeof path, "%s/dataset.xsd", dir ? dir : "templates");
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot read %s", path);
    char *text = tu_read_stream(f, &n);
    fclose(f);
    xmlSchemaParserCtxtPtr p = xmlSchemaNewMemParserCtxt(text, (int)n);
    assert_non_null(p);
    xmlSchemaPtr s = xmlSchemaParse(p);
    xmlSchemaFreeParserCtxt(p);
    free(text);
    if (!s)
        fail_msg("cannot parse %s", path);
    return s;
}

/* Count the nodes an XPath expression selects. */
int tu_xpath_count(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    assert_non_null(ctx);
    xmlXPathRegisterNs(ctx, BAD_CAST "d", BAD_CAST "urn:csppack:dataset:1");
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
    assert_non_null(r);
    int n = r->nodesetval ? r->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return n;
}
