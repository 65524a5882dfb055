/*
 * Unit tests: where a submission that came by mail came from, in the
 * outputs (doc/dataset-format.md, doc/workbook.md): the <mail> element of
 * dataset.xml, valid against the schema and read back as a previous pack,
 * and the mail columns of the workbook's Submissions sheet, read back
 * with openpyxl.  The samples are read as bare files; the Kent Police one
 * is given a mail origin by hand, as the mail reader would.
 */
/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "csppack/base/alloc.h"
#include "csppack/read/previous.h"
#include "csppack/read/xmlsafe.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/dataset_xml.h"
#include "csppack/write/workbook/workbook.h"
#include "testutil.h"

/* The folder the mail file is named in, so outputs name it from there. */
#define INBOX "inbox"

static const char *const samples[] = {
    "dartford-bc-2016q2.xml",  "dgs-ccg-2016q2.xml",
    "gravesham-bc-2016q2.xml", "kcc-2016q2.xml",
    "kent-police-2016q2.xml",  "kfrs-2016q2.xml",
    "kss-crc-2016q2.xml"};

/* A string the mail origin will own. */
static char *own(const char *s)
{
    char *d = csp_strdup(s);
    assert_non_null(d);
    return d;
}

/* Kent Police's sample as the attachment of message 2 of an mbox. */
static void give_mail(csp_submission *sub)
{
    csp_mail_origin *m = csp_calloc(1, sizeof *m);
    static const char sent[] = "2016-10-21T11:52:07+01:00";

    assert_non_null(m);
    free(sub->path);
    sub->path = own(INBOX "/returns.mbox#2/kent-police-2016q2.xml");
    m->container = own(INBOX "/returns.mbox");
    m->message = 2;
    m->from = own("Priya Nandakumar <p.nandakumar@kent.police.uk>");
    m->from_address = own("p.nandakumar@kent.police.uk");
    m->date = own("Fri, 21 Oct 2016 11:52:07 +0100");
    m->has_sent = csp_instant_parse(sent, sizeof sent - 1, &m->sent);
    assert_true(m->has_sent);
    m->message_id = own("20161021105207.1234@mail.kent.police.uk");
    m->subject = own("Q2 return: Kent Police \"final\" & <checked>");
    m->attachment = own("kent-police-2016q2.xml");
    sub->mail = m;
}

/* The samples reconciled, Kent Police's by mail. */
static csp_dataset *mailed_dataset(void)
{
    static const char *const roots[] = {INBOX};
    csp_diag_list d;
    csp_dataset *ds = csp_dataset_new(tu_tpl);

    assert_non_null(ds);
    csp_diag_list_init(&d);
    assert_int_equal(csp_dataset_set_roots(ds, roots, 1), CSP_OK);
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        csp_submission *sub = tu_read_sample(samples[i], &d);
        if (strcmp(samples[i], "kent-police-2016q2.xml") == 0)
            give_mail(sub);
        assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    }
    assert_int_equal(csp_dataset_add_diags(ds, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    csp_diag_list_free(&d);
    return ds;
}

/* dataset.xml of @p ds in memory; *len its length. */
static char *dataset_xml(const csp_dataset *ds, size_t *len)
{
    char *data = NULL;
    FILE *f = open_memstream(&data, len);

    assert_non_null(f);
    assert_int_equal(csp_dataset_write_xml(ds, f), CSP_OK);
    assert_int_equal(fclose(f), 0);
    return data;
}

/* Whether @p doc is valid against @p schema. */
static bool valid(xmlSchemaPtr schema, xmlDocPtr doc)
{
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
    assert_non_null(v);
    int rc = xmlSchemaValidateDoc(v, doc);
    xmlSchemaFreeValidCtxt(v);
    return rc == 0;
}

/* The mailed file's <mail> carries every header, escaped; the bare
 * files have none; the schema (embedded and on disk) accepts it; the
 * bytes are the same each time. */
static void test_provenance_dataset(void **state)
{
    (void)state;
    csp_dataset *ds = mailed_dataset();
    size_t len = 0, len2 = 0;
    char *xml = dataset_xml(ds, &len);
    char *again = dataset_xml(ds, &len2);
    xmlDocPtr doc =
        xmlReadMemory(xml, (int)len, "dataset.xml", NULL, XML_PARSE_NONET);
    xmlSchemaPtr file = tu_dataset_schema_file();

    assert_non_null(doc);
    assert_true(valid(csp_schema_get(CSP_SCHEMA_DATASET), doc));
    assert_true(valid(file, doc));
    assert_int_equal(len, len2);
    assert_memory_equal(xml, again, len);
    assert_int_equal(tu_xpath_count(doc, "//d:file/d:mail"), 1);
    assert_int_equal(
        tu_xpath_count(
            doc, "//d:file[@path='returns.mbox#2/kent-police-2016q2.xml' and "
                 "@agency='kent-police']/d:mail[@container='returns.mbox' and "
                 "@message='2' and "
                 "@from='Priya Nandakumar <p.nandakumar@kent.police.uk>' and "
                 "@from-address='p.nandakumar@kent.police.uk' and "
                 "@date='Fri, 21 Oct 2016 11:52:07 +0100' and "
                 "@sent='2016-10-21T11:52:07+01:00' and "
                 "@message-id='20161021105207.1234@mail.kent.police.uk' and "
                 "@subject='Q2 return: Kent Police \"final\" & <checked>' and "
                 "@attachment='kent-police-2016q2.xml' and "
                 "not(@forwarded-from) and not(@reply-to)]"),
        1);
    /* The mail element comes last in its file, after the comment. */
    assert_int_equal(tu_xpath_count(doc, "//d:file/d:mail[following-sibling::*]"),
                     0);
    assert_int_equal(tu_xpath_count(doc, "//d:file[not(d:mail)]"), 6);
    /* Escaped as every attribute is: no raw '<' or '&' in a value. */
    assert_non_null(strstr(xml, "subject=\"Q2 return: Kent Police "
                                "&quot;final&quot; &amp; &lt;checked&gt;\""));
    xmlSchemaFree(file);
    xmlFreeDoc(doc);
    free(again);
    free(xml);
    csp_dataset_free(ds);
}

/* Whether dataset XML @p xml reads back as a previous pack (--since):
 * the streaming reader validates against the schema as it goes. */
static bool reads_as_previous(const char *xml, size_t len)
{
    char path[] = "/tmp/csppack-prov-XXXXXX";
    int fd = mkstemp(path);
    csp_previous prev;
    csp_why why;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    memset(&prev, 0, sizeof prev);
    csp_why_clear(&why);
    csp_error err = csp_previous_read(path, tu_tpl, &prev, &why);
    if (err != CSP_OK)
        fprintf(stderr, "%s\n", csp_why_text(&why, err));
    csp_previous_clear(&prev);
    unlink(path);
    return err == CSP_OK;
}

/* A version 3 pack with mail provenance reads back as a previous pack,
 * and so does a version 2 one (no <mail>), as an older csppack wrote. */
static void test_provenance_previous(void **state)
{
    (void)state;
    csp_dataset *ds = mailed_dataset();
    csp_dataset *bare = tu_samples_dataset();
    size_t len = 0, bare_len = 0;
    char *xml = dataset_xml(ds, &len);
    char *old = dataset_xml(bare, &bare_len);
    char *v = strstr(old, " version=\"3\"");

    assert_non_null(strstr(xml, " version=\"3\""));
    assert_true(reads_as_previous(xml, len));
    assert_non_null(v);
    assert_null(strstr(old, "<mail"));
    v[10] = '2';
    assert_true(reads_as_previous(old, bare_len));
    /* Version 4 is unknown: refused. */
    v[10] = '4';
    assert_false(reads_as_previous(old, bare_len));
    free(old);
    free(xml);
    csp_dataset_free(bare);
    csp_dataset_free(ds);
}

/* What the Submissions sheet of @p path holds, as openpyxl reads it: the
 * header row, then the Kent Police row and the Dartford one, each cell
 * "|"-separated (empty cells empty), then each column's width. */
static char *submissions_read_back(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c '\n"
             "import sys, openpyxl\n"
             "ws = openpyxl.load_workbook(sys.argv[1])[\"Submissions\"]\n"
             "rows = [[\"\" if c is None else str(c) for c in r]\n"
             "        for r in ws.iter_rows(values_only=True)]\n"
             "head = next(i for i, r in enumerate(rows) if r[0] == \"File\")\n"
             "print(\"|\".join(rows[head]))\n"
             "for r in rows[head + 1:]:\n"
             "    if r[0].startswith((\"returns.mbox\", \"dartford\")):\n"
             "        print(\"|\".join(r))\n"
             "for i in range(14, 20):\n"
             "    col = openpyxl.utils.get_column_letter(i)\n"
             "    print(col, ws.column_dimensions[col].width)\n"
             "' '%s' 2>&1",
             path);
    return tu_command_output(cmd);
}

/* The Submissions sheet's columns before the mail ones. */
#define FIXED_COLUMNS                                                          \
    "File|Agency|Submitted (UTC)|Submitter|Figures accepted|Figures "          \
    "standing|Figures superseded|Items refused|Updates accepted|Refused|"      \
    "Duplicate of|Bytes|Comment|"

/* The Submissions sheet: the mail columns after Comment, filled for the
 * mailed file and empty for a bare one, Message-ID among the audit
 * columns before SHA-256; none of them when no file came by mail. */
static void test_provenance_workbook(void **state)
{
    (void)state;
    char dir[] = "/tmp/csppack-prov-wb-XXXXXX";
    char path[128], bare_path[128], cmd[256];
    csp_workbook_result res;
    csp_why why;
    csp_dataset *ds = mailed_dataset();
    csp_dataset *bare = tu_samples_dataset();
    char *got, *line, *mail_row, *bare_row;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/mail.xlsx", dir);
    snprintf(bare_path, sizeof bare_path, "%s/bare.xlsx", dir);
    csp_why_clear(&why);
    memset(&res, 0, sizeof res);
    assert_int_equal(csp_workbook_write(ds, path, NULL, &res, &why), CSP_OK);
    assert_int_equal(csp_workbook_write(bare, bare_path, NULL, &res, &why),
                     CSP_OK);

    got = submissions_read_back(path);
    assert_non_null(got);
    line = strtok(got, "\n");
    assert_non_null(line);
    assert_string_equal(line, FIXED_COLUMNS "Received from|Sent (UTC)|Subject|"
                              "Attachment|Message-ID|SHA-256");
    mail_row = strtok(NULL, "\n");
    bare_row = strtok(NULL, "\n");
    assert_non_null(mail_row);
    assert_non_null(bare_row);
    /* The sheet's order is by agency: Dartford's comes first. */
    if (strncmp(mail_row, "dartford", 8) == 0) {
        line = mail_row;
        mail_row = bare_row;
        bare_row = line;
    }
    assert_true(
        strncmp(mail_row, "returns.mbox#2/kent-police-2016q2.xml|", 38) == 0);
    assert_non_null(strstr(mail_row, "|Priya Nandakumar "
                                     "<p.nandakumar@kent.police.uk>|"
                                     "2016-10-21 10:52:07|"
                                     "Q2 return: Kent Police \"final\" & "
                                     "<checked>|kent-police-2016q2.xml|"
                                     "20161021105207.1234@mail.kent.police."
                                     "uk|"));
    assert_true(strncmp(bare_row, "dartford-bc-2016q2.xml|", 23) == 0);
    /* Comment, four mail cells and Message-ID empty, then the SHA-256. */
    assert_non_null(strstr(bare_row, "||||||8e7d6dd0"));
    /* Widths: within the columns' bounds, the Sent column 20 wide. */
    for (int k = 0; k < 6 && (line = strtok(NULL, "\n")); k++) {
        char col[4];
        double w = 0;
        assert_int_equal(sscanf(line, "%3s %lf", col, &w), 2);
        assert_true(w >= 12 && w <= 67);
        if (strcmp(col, "O") == 0)
            assert_true(w >= 20 && w <= 21);
    }
    free(got);

    got = submissions_read_back(bare_path);
    assert_non_null(got);
    line = strtok(got, "\n");
    assert_non_null(line);
    assert_string_equal(line, FIXED_COLUMNS "SHA-256");
    free(got);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    csp_dataset_free(bare);
    csp_dataset_free(ds);
}

/* The template's, and the schemas the writers cached. */
static int teardown(void **state)
{
    tu_teardown(state);
    csp_schema_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provenance_dataset),
        cmocka_unit_test(test_provenance_previous),
        cmocka_unit_test(test_provenance_workbook),
    };
    return cmocka_run_group_tests(tests, tu_setup, teardown);
}
