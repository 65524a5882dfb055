/* Unit tests: a receipt's reply draft (write/receipts/eml.h) for a
 * submission that came by mail, read back with GMime. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmime/gmime.h>

#include "csppack/base/alloc.h"
#include "csppack/base/mime.h"
#include "csppack/write/receipts/eml.h"
#include "testutil.h"

/* A mail origin as the mail reader fills it, made by hand. */
static csp_mail_origin *origin(const char *subject, const char *reply_to)
{
    csp_mail_origin *m = csp_calloc(1, sizeof *m);
    assert_non_null(m);
    m->container = csp_strdup("inbox/q2.eml");
    m->from = csp_strdup("Ann Lee <ann@kent.police.uk>");
    m->from_address = csp_strdup("ann@kent.police.uk");
    m->reply_to = reply_to ? csp_strdup(reply_to) : NULL;
    m->date = csp_strdup("Fri, 21 Oct 2016 11:45:00 +0100");
    m->has_sent = true;
    m->sent.seconds = 1477046700; /* 2016-10-21T10:45:00Z */
    m->sent.offset_min = 60;
    m->message_id = csp_strdup("q2.1@kent.police.uk");
    m->references = csp_strdup("<ask.7@dartford.gov.uk>");
    m->subject = csp_strdup(subject);
    m->attachment = csp_strdup("kent-police-2016q2.xml");
    return m;
}

/* The samples with Kent Police's file as if mailed, reconciled. */
static csp_dataset *mailed(const char *subject, const char *reply_to)
{
    static const char *const others[] = {
        "dartford-bc-2016q2.xml", "dgs-ccg-2016q2.xml",
        "gravesham-bc-2016q2.xml", "kcc-2016q2.xml", "kfrs-2016q2.xml",
        "kss-crc-2016q2.xml"};
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    csp_submission *sub = tu_read_sample("kent-police-2016q2.xml", &d);
    sub->mail = origin(subject, reply_to);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        assert_int_equal(csp_dataset_add_submission(
                             ds, tu_read_sample(others[i], &d), &d),
                         CSP_OK);
    assert_int_equal(csp_dataset_add_diags(ds, &d), CSP_OK);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
    csp_diag_list_free(&d);
    return ds;
}

/* Write @p agency's draft and parse it back. */
static GMimeMessage *draft_of(const csp_dataset *ds, const char *agency)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(csp_receipt_eml_write(ds, agency, NULL, f), CSP_OK);
    assert_int_equal(fclose(f), 0);
    csp_mime_init();
    GMimeStream *st = g_mime_stream_mem_new_with_buffer(buf, len);
    GMimeParser *p = g_mime_parser_new_with_stream(st);
    GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
    assert_non_null(msg);
    g_object_unref(p);
    g_object_unref(st);
    free(buf);
    return msg;
}

/* A header's value, or "" when the message has none. */
static const char *header(GMimeMessage *msg, const char *name)
{
    const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);
    return v ? v : "";
}

/* A reply to the partner's message: To, Re: Subject, threading, draft. */
static void test_eml_reply(void **state)
{
    (void)state;
    csp_dataset *ds = mailed("Q2 return", NULL);
    GMimeMessage *msg = draft_of(ds, "kent-police");
    char *to = internet_address_list_to_string(
        g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), NULL,
        FALSE);
    assert_string_equal(to, "Ann Lee <ann@kent.police.uk>");
    g_free(to);
    assert_string_equal(g_mime_message_get_subject(msg), "Re: Q2 return");
    assert_string_equal(header(msg, "In-Reply-To"), "<q2.1@kent.police.uk>");
    assert_string_equal(header(msg, "References"),
                        "<ask.7@dartford.gov.uk> <q2.1@kent.police.uk>");
    assert_string_equal(header(msg, "X-Unsent"), "1");
    assert_string_equal(header(msg, "Date"), "");
    assert_string_equal(header(msg, "Message-ID"), "");
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    assert_true(GMIME_IS_TEXT_PART(body));
    char *type =
        g_mime_content_type_get_mime_type(g_mime_object_get_content_type(body));
    assert_string_equal(type, "text/plain");
    g_free(type);
    char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(body));
    assert_string_equal(
        g_mime_object_get_content_type_parameter(body, "charset"), "utf-8");
    /* The receipt says where the file came from, not its hash. */
    assert_non_null(strstr(text, "  Received:  by email from Ann Lee "
                                 "<ann@kent.police.uk> on 21 October\n"
                                 "             2016, subject \"Q2 return\", "
                                 "attachment\n"
                                 "             kent-police-2016q2.xml\n"));
    assert_null(strstr(text, "SHA-256"));
    g_free(text);
    g_object_unref(msg);
    csp_dataset_free(ds);
}

/* Reply-To wins over From, and "RE:" is not doubled. */
static void test_eml_reply_to(void **state)
{
    (void)state;
    csp_dataset *ds = mailed("RE: Q2 return", "data@kent.police.uk");
    GMimeMessage *msg = draft_of(ds, "kent-police");
    char *to = internet_address_list_to_string(
        g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), NULL,
        FALSE);
    assert_string_equal(to, "data@kent.police.uk");
    g_free(to);
    assert_string_equal(g_mime_message_get_subject(msg), "RE: Q2 return");
    g_object_unref(msg);
    /* Another agency's file was bare: a fresh subject, no threading. */
    msg = draft_of(ds, "kcc");
    assert_string_equal(header(msg, "In-Reply-To"), "");
    assert_non_null(strstr(g_mime_message_get_subject(msg),
                           "receipt of your submission"));
    g_object_unref(msg);
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eml_reply),
        cmocka_unit_test(test_eml_reply_to),
    };
    int rc = cmocka_run_group_tests(tests, tu_setup, tu_teardown);
    csp_mime_shutdown();
    return rc;
}
