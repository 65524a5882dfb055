/*
 * Shared by the unit tests that need the built-in template: read it once
 * per group (tu_setup and tu_teardown as cmocka's group fixtures), and
 * parse submissions against it, from memory or from the samples folder.
 * Include after <cmocka.h>.
 */
#ifndef CSPPACK_TESTUTIL_H
#define CSPPACK_TESTUTIL_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>

#include "csppack/model/diag.h"
#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/doc.h"
#include "csppack/write/pdf/report.h"

/* The built-in template (set by tu_setup) and the default read options. */
extern csp_template *tu_tpl;
extern csp_read_options tu_opt;

/* Group setup: read the built-in template into tu_tpl, printing its
 * diagnostics on stderr; 0, or -1 when it cannot be read. */
int tu_setup(void **state);

/* Group teardown: free tu_tpl. */
int tu_teardown(void **state);

/* Parse @p len bytes at @p text as a submission named @p name against
 * tu_tpl, its reading diagnostics into *d.  Asserts that reading succeeds
 * and gives a submission (refused or not); the caller owns it. */
csp_submission *tu_parse(const char *name, const char *text, size_t len,
                         csp_diag_list *d);

/* Read the sample @p name ("kent-police-2016q2.xml") from $SAMPLES_DIR,
 * else $srcdir/samples, else ./samples, as tu_parse does. */
csp_submission *tu_read_sample(const char *name, csp_diag_list *d);

/* The seven samples read and reconciled against tu_tpl (asserts that
 * each step succeeds); the caller frees it with csp_dataset_free. */
csp_dataset *tu_samples_dataset(void);

/* The rest of stream @p f, malloc'd and NUL-terminated; *len (when not
 * NULL) is its length.  Asserts that memory and reading hold. */
char *tu_read_stream(FILE *f, size_t *len);

/* What shell command @p cmd prints on its standard output, malloc'd; NULL
 * when it fails or prints nothing (a tool that is not installed). */
char *tu_command_output(const char *cmd);

/* The HTML version of @p d, NUL-terminated (malloc'd); asserts that
 * writing it succeeds. */
char *tu_render_html(const csp_doc *d);

/* Render report @p kind of @p ds (with @p opt, which may be NULL) into a
 * new temporary file, whose name is left in @p path; the caller removes
 * it.  Asserts that rendering succeeds. */
void tu_render_report(const csp_dataset *ds, csp_report_kind kind,
                      const csp_report_options *opt, char path[64]);

/* templates/dataset.xsd (TEMPLATES_DIR, else ./templates) parsed on its
 * own, from memory (csppack's entity loader refuses to open files);
 * asserts that it can be read.  Free it with xmlSchemaFree. */
xmlSchemaPtr tu_dataset_schema_file(void);

/* The number of nodes XPath @p expr selects in @p doc; prefix d: is the
 * dataset's namespace. */
int tu_xpath_count(xmlDocPtr doc, const char *expr);

#endif
