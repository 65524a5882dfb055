/*
 * Unit tests: who sent a submission by mail (read/sender.h,
 * doc/senders.md).  Each test reads the Kent Police sample, gives it a
 * mail origin by hand, as the mail reader would, and checks the exact
 * diagnostics csp_sender_check adds.
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

#include "csppack/base/alloc.h"
#include "csppack/read/sender.h"
#include "testutil.h"

/* Where the attachment came from, as the mail reader names it. */
#define PATH "inbox/police.eml/kent-police-2016q2.xml"
/* The line of the sample's <submission> start tag's end. */
#define LINE "5"
/* What every W505 and E506 says of the agency. */
#define AGENCY                                                                 \
    "Kent Police's email domains in the template "                             \
    "(kent.police.uk and kent.police.example)"

/* A string the submission will own. */
static char *own(const char *s)
{
    char *d = s ? csp_strdup(s) : NULL;
    if (s)
        assert_non_null(d);
    return d;
}

/* The Kent Police sample as an attachment of a message from @p from,
 * forwarding one from @p fwd (may be NULL), with Authentication-Results
 * @p auth (may be NULL). */
static csp_submission *mailed(const char *from, const char *fwd,
                              const char *auth)
{
    csp_diag_list d;
    csp_submission *sub;

    csp_diag_list_init(&d);
    sub = tu_read_sample("kent-police-2016q2.xml", &d);
    assert_int_equal(d.count, 0);
    csp_diag_list_free(&d);
    assert_false(sub->refused);
    free(sub->path);
    sub->path = own(PATH);
    sub->mail = csp_calloc(1, sizeof *sub->mail);
    assert_non_null(sub->mail);
    sub->mail->container = own("inbox/police.eml");
    sub->mail->from_address = own(from);
    sub->mail->forwarded_from = own(fwd);
    sub->mail->auth_results = own(auth);
    sub->mail->attachment = own("kent-police-2016q2.xml");
    return sub;
}

/* The diagnostics of checking @p sub, one line each, paths as given;
 * "" for none. */
static char *check(csp_submission *sub, bool strict)
{
    csp_diag_list d;
    csp_read_options opt = tu_opt;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    opt.strict_senders = strict;
    csp_diag_list_init(&d);
    assert_int_equal(csp_sender_check(tu_tpl, &opt, sub, &d), CSP_OK);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(f, &d.items[i]);
    assert_int_equal(fclose(f), 0);
    csp_diag_list_free(&d);
    return text;
}

/* Check a submission from @p from (forwarding @p fwd) and expect @p want. */
static void expect(const char *from, const char *fwd, const char *auth,
                   bool strict, const char *want)
{
    csp_submission *sub = mailed(from, fwd, auth);
    char *got = check(sub, strict);
    assert_string_equal(got, want);
    free(got);
    csp_submission_free(sub);
}

/* A bare file, or one already refused, is not checked. */
static void test_sender_bare_and_refused(void **state)
{
    (void)state;
    csp_diag_list d;
    csp_submission *sub;
    char *got;

    csp_diag_list_init(&d);
    sub = tu_read_sample("kent-police-2016q2.xml", &d);
    got = check(sub, true);
    assert_string_equal(got, "");
    assert_false(sub->refused);
    assert_int_not_equal(sub->nobs, 0);
    free(got);
    csp_submission_free(sub);
    csp_diag_list_free(&d);

    sub = mailed("someone@elsewhere.example", NULL, "mx.example; dkim=fail");
    sub->refused = true;
    got = check(sub, true);
    assert_string_equal(got, "");
    free(got);
    csp_submission_free(sub);
}

/* The agency's domain itself, any subdomain of it, in any case. */
static void test_sender_domain_matches(void **state)
{
    (void)state;
    expect("p.nandakumar@kent.police.uk", NULL, NULL, true, "");
    expect("p.nandakumar@mail.kent.police.uk", NULL, NULL, true, "");
    expect("p.nandakumar@Mail.KENT.Police.UK", NULL, NULL, true, "");
    expect("p.nandakumar@kent.police.example", NULL, NULL, true, "");
    expect("p.nandakumar@kent.police.uk.", NULL, NULL, true, "");
}

/* A domain that only ends in the same letters is another domain. */
static void test_sender_domain_other(void **state)
{
    (void)state;
    expect("ann@notkent.police.uk", NULL, NULL, false,
           PATH ":" LINE ": warning: W505: the message came from "
                "ann@notkent.police.uk, not from " AGENCY
                "; check with Kent Police that the submission is theirs, "
                "and add the sender's domain to email-domains= in the "
                "template if it is\n");
    expect("ann@police.uk", NULL, NULL, false,
           PATH ":" LINE ": warning: W505: the message came from "
                "ann@police.uk, not from " AGENCY
                "; check with Kent Police that the submission is theirs, "
                "and add the sender's domain to email-domains= in the "
                "template if it is\n");
    expect(NULL, NULL, NULL, false,
           PATH ":" LINE ": warning: W505: the message came from an "
                "address csppack cannot read, not from " AGENCY
                "; check with Kent Police that the submission is theirs, "
                "and add the sender's domain to email-domains= in the "
                "template if it is\n");
}

/* A coordinator's colleague forwarding the partner's message: the
 * forwarded message's From counts. */
static void test_sender_forwarded(void **state)
{
    (void)state;
    expect("clerk@partnership.example", "p.nandakumar@kent.police.uk", NULL,
           false, "");
    expect("clerk@partnership.example", "x@gmail.example", NULL, false,
           PATH ":" LINE ": warning: W505: the message came from "
                "clerk@partnership.example, forwarding a message from "
                "x@gmail.example, not from " AGENCY
                "; check with Kent Police that the submission is theirs, "
                "and add the sender's domain to email-domains= in the "
                "template if it is\n");
}

/* --strict-senders refuses the submission whole: listed, items gone. */
static void test_sender_strict_refuses(void **state)
{
    (void)state;
    csp_submission *sub = mailed("ann@gmail.example", NULL, NULL);
    char *got = check(sub, true);

    assert_string_equal(
        got, PATH ":" LINE ": error: E506: the message came from "
                  "ann@gmail.example, not from " AGENCY
                  ", so it is refused (--strict-senders); ask Kent Police "
                  "to send it from their own address, or add the sender's "
                  "domain to email-domains= in the template if it is "
                  "theirs\n");
    assert_true(sub->refused);
    assert_int_equal(sub->nobs, 0);
    assert_int_equal(sub->nupdates, 0);
    assert_string_equal(sub->agency, "kent-police");
    free(got);
    csp_submission_free(sub);
}

/* An agency that lists no domains is not checked. */
static void test_sender_no_domains(void **state)
{
    (void)state;
    csp_agency *a = (csp_agency *)csp_template_agency(tu_tpl, "kent-police");
    size_t n;

    assert_non_null(a);
    n = a->nemail_domains;
    a->nemail_domains = 0;
    expect("ann@gmail.example", NULL, NULL, true, "");
    a->nemail_domains = n;
}

/* The W507 every failing result below gives, quoting @p res. */
#define W507(res)                                                              \
    PATH ":" LINE ": warning: W507: the mail server mx.partnership.example "   \
         "recorded \"" res "\" in the message's Authentication-Results: "      \
         "the message may not be from the address it shows; csppack cannot "   \
         "verify signatures offline, so check with Kent Police that they "     \
         "sent it\n"

/* Authentication-Results: DKIM and SPF fail, softfail and permerror are
 * reported, each quoted; pass, neutral, none, temperror and other
 * methods are not; a ';' or a result inside a comment is not one. */
static void test_sender_auth_results(void **state)
{
    (void)state;
    const char *from = "p.nandakumar@kent.police.uk";

    expect(
        from, NULL,
        "mx.partnership.example; dkim=fail (signature did not verify) "
        "header.d=kent.police.uk; spf=pass smtp.mailfrom=kent.police.uk",
        false,
        W507("dkim=fail (signature did not verify) header.d=kent.police.uk"));
    expect(from, NULL,
           "mx.partnership.example;\n\tSPF=SoftFail smtp.mailfrom=x.example;"
           "\n\tdkim=none",
           false, W507("SPF=SoftFail smtp.mailfrom=x.example"));
    expect(from, NULL, "mx.partnership.example 1; dkim/1 = permerror (bad key)",
           false, W507("dkim/1 = permerror (bad key)"));
    expect(from, NULL,
           "mx.partnership.example; spf=temperror; dkim=pass; "
           "dmarc=fail; arc=fail; spf=neutral (a; dkim=fail) x=y",
           false, "");
    expect(from, NULL,
           "mx.partnership.example; spf=pass\n"
           "mx.partnership.example; dkim=fail header.d=kent.police.uk",
           false, W507("dkim=fail header.d=kent.police.uk"));
    expect(from, NULL, "mx.partnership.example; none", false, "");
    expect(from, NULL, "", false, "");
}

/* A stranger's message with a failed signature, strictly: both said. */
static void test_sender_both(void **state)
{
    (void)state;
    expect("ann@gmail.example", NULL, "mx.partnership.example; spf=fail", true,
           PATH ":" LINE ": error: E506: the message came from "
                "ann@gmail.example, not from " AGENCY
                ", so it is refused (--strict-senders); ask Kent Police "
                "to send it from their own address, or add the sender's "
                "domain to email-domains= in the template if it is "
                "theirs\n" W507("spf=fail"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sender_bare_and_refused),
        cmocka_unit_test(test_sender_domain_matches),
        cmocka_unit_test(test_sender_domain_other),
        cmocka_unit_test(test_sender_forwarded),
        cmocka_unit_test(test_sender_strict_refuses),
        cmocka_unit_test(test_sender_no_domains),
        cmocka_unit_test(test_sender_auth_results),
        cmocka_unit_test(test_sender_both),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
