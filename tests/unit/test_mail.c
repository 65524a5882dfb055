/* Unit tests: submissions read from mail (read/mail.h), every field of
 * their csp_mail_origin, and the sink called once per attachment. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/base/mime.h"
#include "csppack/read/inbox.h"
#include "csppack/read/mail.h"
#include "testutil.h"

static char tmpdir[64];

/* A submission the built-in template refuses nothing of but its header:
 * what matters here is where it came from. */
#define XML "<?xml version=\"1.0\"?>\n<submission/>\n"

/* A message as a partner sends it, every header the origin keeps. */
static const char message[] =
    "Return-Path: <zoe@kent-cc.example>\n"
    "Authentication-Results: mx.partnership.example; dkim=pass "
    "header.d=kent-cc.example\n"
    "Authentication-Results: mx.partnership.example; spf=pass\n"
    "From: =?UTF-8?Q?Zo=C3=AB_Pemberton?= <Zoe.Pemberton@Kent-CC.Example>\n"
    "Reply-To: returns@kent-cc.example\n"
    "To: csp@partnership.example\n"
    "Subject: =?UTF-8?Q?Q2_return_=E2=80=93_KCC?=\n"
    "Date: Fri, 18 Nov 2016 12:00:00 +0100\n"
    "Message-ID: <q2-return@kent-cc.example>\n"
    "References: <ask-1@partnership.example> <ask-2@partnership.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain\n"
    "\n"
    "Our return is attached.\n"
    "--b1\n"
    "Content-Type: application/xml; name=\"kcc.xml\"\n"
    "Content-Disposition: attachment; filename=\"kcc.xml\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "PD94bWwgdmVyc2lvbj0iMS4wIj8+CjxzdWJtaXNzaW9uLz4K\n"
    "--b1--\n";

/* A colleague forwards the partner's message whole. */
static const char forwarded[] =
    "From: Desk Officer <desk@partnership.example>\n"
    "Date: Mon, 21 Nov 2016 09:30:00 +0000\n"
    "Subject: Fwd: return\n"
    "Message-ID: <fwd-1@partnership.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"o\"\n"
    "\n"
    "--o\n"
    "Content-Type: text/plain\n"
    "\n"
    "Below.\n"
    "--o\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: Partner <Ann@Police.Example>\n"
    "Date: Fri, 18 Nov 2016 12:00:00 +0000\n"
    "Subject: return\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"i\"\n"
    "\n"
    "--i\n"
    "Content-Type: text/xml; charset=utf-8\n"
    "Content-Disposition: attachment\n"
    "\n"
    XML
    "--i--\n"
    "\n"
    "--o--\n";

/* Two messages in an mbox, the second with the attachment. */
static const char mbox[] =
    "From a@x Fri Nov 18 12:00:00 2016\n"
    "From: a@x.example\n"
    "Date: Fri, 18 Nov 2016 12:00:00 +0000\n"
    "Subject: nothing\n"
    "\n"
    "Figures to follow.\n"
    "\n"
    "From b@x Fri Nov 18 12:01:00 2016\n"
    "From: b@y.example\n"
    "Date: not a date\n"
    "Subject: return\n"
    "MIME-Version: 1.0\n"
    "Content-Type: application/xml; name=\"r.xml\"\n"
    "\n"
    XML;

/* Write @p name in the temp folder; its path (static). */
static const char *put(const char *name, const char *data)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Read mail file @p path into @p items, asserting it is mail. */
static void read_mail(const char *path, csp_mail_items *items)
{
    csp_input in;
    csp_diag_list d;
    csp_diag_list_init(&d);
    assert_int_equal(csp_input_load(path, &tu_opt, &in, &d), CSP_OK);
    csp_mail_kind kind = csp_mail_sniff(&in);
    assert_int_not_equal(kind, CSP_MAIL_NONE);
    assert_int_equal(
        csp_mail_read(path, &in, kind, tu_tpl, &tu_opt, items), CSP_OK);
    csp_input_free(&in);
    csp_diag_list_free(&d);
}

/* Every field of the origin of a message's attachment. */
static void test_origin_fields(void **state)
{
    (void)state;
    csp_mail_items items = {0};
    const char *path = put("return.eml", message);
    read_mail(path, &items);
    assert_int_equal(items.count, 1);
    const csp_submission *sub = items.items[0].sub;
    assert_non_null(sub);
    char want[300];
    snprintf(want, sizeof want, "%s/kcc.xml", path);
    assert_string_equal(sub->path, want);
    /* The SHA-256 is of the decoded attachment. */
    char sha[CSP_SHA256_HEX];
    csp_sha256_hex(XML, strlen(XML), sha);
    assert_string_equal(sub->sha256, sha);
    const csp_mail_origin *m = sub->mail;
    assert_non_null(m);
    assert_string_equal(m->container, path);
    assert_int_equal(m->message, 0);
    assert_string_equal(m->from,
                        "Zoë Pemberton <Zoe.Pemberton@Kent-CC.Example>");
    assert_string_equal(m->from_address, "Zoe.Pemberton@kent-cc.example");
    assert_string_equal(m->reply_to, "returns@kent-cc.example");
    assert_string_equal(m->date, "Fri, 18 Nov 2016 12:00:00 +0100");
    assert_true(m->has_sent);
    assert_int_equal(m->sent.seconds, 1479466800);
    assert_int_equal(m->sent.nanos, 0);
    assert_int_equal(m->sent.offset_min, 60);
    assert_string_equal(m->message_id, "q2-return@kent-cc.example");
    assert_string_equal(m->references,
                        "<ask-1@partnership.example> "
                        "<ask-2@partnership.example>");
    assert_string_equal(m->subject, "Q2 return – KCC");
    assert_string_equal(m->attachment, "kcc.xml");
    assert_null(m->forwarded_from);
    assert_string_equal(m->auth_results,
                        "mx.partnership.example; dkim=pass "
                        "header.d=kent-cc.example\n"
                        "mx.partnership.example; spf=pass");
    csp_mail_items_free(&items);
}

/* Inside a forwarded message: forwarded_from is the inner From, the rest
 * the received message's; an unnamed XML attachment has name "". */
static void test_forwarded(void **state)
{
    (void)state;
    csp_mail_items items = {0};
    const char *path = put("fwd.eml", forwarded);
    read_mail(path, &items);
    assert_int_equal(items.count, 1);
    const csp_mail_origin *m = items.items[0].sub->mail;
    assert_string_equal(m->from_address, "desk@partnership.example");
    assert_string_equal(m->forwarded_from, "Ann@police.example");
    assert_string_equal(m->subject, "Fwd: return");
    assert_string_equal(m->message_id, "fwd-1@partnership.example");
    assert_string_equal(m->attachment, "");
    assert_null(m->reply_to);
    assert_null(m->references);
    assert_null(m->auth_results);
    char want[300];
    snprintf(want, sizeof want, "%s/attachment.xml", path);
    assert_string_equal(items.items[0].sub->path, want);
    csp_mail_items_free(&items);
}

/* An mbox: the message number in the path and the origin; a message
 * without XML is W501 at the line where it starts, handed over with the
 * next submission; a Date that cannot be read leaves has_sent false. */
static void test_mbox(void **state)
{
    (void)state;
    csp_mail_items items = {0};
    const char *path = put("in.mbox", mbox);
    read_mail(path, &items);
    assert_int_equal(items.count, 1);
    const csp_submission *sub = items.items[0].sub;
    char want[300];
    snprintf(want, sizeof want, "%s#2/r.xml", path);
    assert_string_equal(sub->path, want);
    assert_int_equal(sub->mail->message, 2);
    assert_string_equal(sub->mail->date, "not a date");
    assert_false(sub->mail->has_sent);
    const csp_diag_list *d = &items.items[0].diags;
    assert_true(d->count >= 1);
    assert_int_equal(d->items[0].code, CSP_D_NO_ATTACHMENT);
    assert_int_equal(d->items[0].line, 1);
    assert_string_equal(d->items[0].file, path);
    csp_mail_items_free(&items);
}

/* What the sink was handed. */
typedef struct seen {
    size_t calls[3];
    size_t nulls;
} seen;

/* A sink that counts its calls per file. */
static csp_error count_take(void *ctx, size_t index, csp_submission *sub,
                            csp_diag_list *diags)
{
    seen *s = ctx;
    (void)diags;
    assert_true(index < 3);
    s->calls[index]++;
    s->nulls += sub == NULL;
    csp_submission_free(sub);
    return CSP_OK;
}

/* take is called once per attachment, or once with NULL. */
static void test_sink(void **state)
{
    (void)state;
    char *paths[3];
    paths[0] = strdup(put("two.mbox", mbox));
    paths[1] = strdup(put("none.eml", "From: a@x\nSubject: s\n\nhi\n"));
    paths[2] = strdup(put("one.eml", message));
    for (unsigned threads = 1; threads <= 4; threads += 3) {
        seen s = {0};
        csp_read_options opt = tu_opt;
        opt.threads = threads;
        csp_submission_sink sink = {.take = count_take, .ctx = &s};
        assert_int_equal(csp_submission_read_all((const char *const *)paths,
                                                 3, tu_tpl, &opt, &sink),
                         CSP_OK);
        assert_int_equal(s.calls[0], 1);
        assert_int_equal(s.calls[1], 1);
        assert_int_equal(s.calls[2], 1);
        assert_int_equal(s.nulls, 1);
    }
    for (int i = 0; i < 3; i++)
        free(paths[i]);
}

static int setup(void **state)
{
    strcpy(tmpdir, "/tmp/csppack-mail-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return tu_setup(state);
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    int rc = system(cmd);
    (void)rc;
    tu_teardown(state);
    /* GMime's one-time allocations, so that the leak checker is quiet. */
    csp_mime_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin_fields),
        cmocka_unit_test(test_forwarded),
        cmocka_unit_test(test_mbox),
        cmocka_unit_test(test_sink),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
