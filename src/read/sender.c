/*
 * csppack: who sent a submission that came by mail (read/sender.h,
 * doc/senders.md).  Two checks, both on what the message says of itself:
 * the sender's domain against the agency's email-domains= in the
 * template (W505, or E506 with --strict-senders), and what a receiving
 * server wrote in Authentication-Results (W507).  Nothing is verified
 * cryptographically: csppack works offline, so a DKIM signature or an SPF
 * record cannot be checked here, only the verdicts already recorded.
 */
#include "csppack/read/sender.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

/* Characters of a mail header value a message shows at most. */
#define SENDER_SHOWN_CHARS 200

/* ASCII lower case, whatever the locale. */
static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Whether @p a and @p b (of @p n bytes) match, ignoring ASCII case. */
static bool same_ci(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

/* The domain of address @p addr (after its last @), or NULL. */
static const char *domain_of(const char *addr)
{
    const char *at = addr ? strrchr(addr, '@') : NULL;
    return at && at[1] ? at + 1 : NULL;
}

/* Whether @p domain is @p listed or a subdomain of it, ignoring case:
 * mail.kent.police.uk is in kent.police.uk, notkent.police.uk is not. */
static bool domain_in(const char *domain, const char *listed)
{
    size_t n = strlen(domain), m = strlen(listed);

    /* A fully qualified name may end in a dot; it names the same domain. */
    if (n && domain[n - 1] == '.')
        n--;
    if (n == m)
        return same_ci(domain, listed, m);
    return n > m && domain[n - m - 1] == '.' &&
           same_ci(domain + n - m, listed, m);
}

/* Whether address @p addr is in one of agency @p a's domains. */
static bool address_ok(const char *addr, const csp_agency *a)
{
    const char *d = domain_of(addr);
    if (!d)
        return false;
    for (size_t i = 0; i < a->nemail_domains; i++)
        if (domain_in(d, a->email_domains[i]))
            return true;
    return false;
}

/* @p a's domains as a message lists them: "a.uk", "a.uk and b.uk",
 * "a.uk, b.uk and c.uk". */
static csp_error list_domains(const csp_agency *a, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    for (size_t i = 0; i < a->nemail_domains && !err; i++) {
        const char *sep = i == 0                       ? ""
                          : i + 1 == a->nemail_domains ? " and "
                                                       : ", ";
        err = csp_strbuf_printf(sb, "%s%s", sep, a->email_domains[i]);
    }
    return err;
}

/* The sender as a message names it: "ann@x.org", "ann@x.org, forwarding
 * a message from bob@y.org", or that the message had no From address. */
static char *sender_shown(const csp_mail_origin *m)
{
    csp_strbuf sb;
    char *from = NULL, *fwd = NULL, *out = NULL;

    /* Bounded: each part is shown at most SENDER_SHOWN_CHARS long. */
    csp_strbuf_init(&sb, SIZE_MAX);
    if (m->from_address &&
        !(from = csp_text_shown(m->from_address, SENDER_SHOWN_CHARS)))
        goto out;
    if (m->forwarded_from &&
        !(fwd = csp_text_shown(m->forwarded_from, SENDER_SHOWN_CHARS)))
        goto out;
    if (csp_strbuf_puts(&sb, from ? from : "an address csppack cannot read"))
        goto out;
    if (fwd && csp_strbuf_printf(&sb, ", forwarding a message from %s", fwd))
        goto out;
    out = csp_strbuf_take(&sb);
out:
    csp_strbuf_free(&sb);
    free(from);
    free(fwd);
    return out;
}

/* W505, or E506 refusing @p sub, when neither the From address nor a
 * forwarded message's From is in the agency's domains. */
static csp_error check_domain(const csp_template *tpl,
                              const csp_read_options *opt, csp_submission *sub,
                              csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    const csp_agency *a =
        sub->agency ? csp_template_agency(tpl, sub->agency) : NULL;
    const csp_mail_origin *m = sub->mail;
    csp_strbuf doms;
    char *who = NULL;
    bool strict = opt && opt->strict_senders;
    csp_diag p = {
        .file = sub->path, .line = sub->header_line, .agency = sub->agency};

    /* Bounded by the template, which csppack reads whole. */
    csp_strbuf_init(&doms, SIZE_MAX);
    if (!a || a->nemail_domains == 0 || address_ok(m->from_address, a) ||
        address_ok(m->forwarded_from, a))
        goto out;
    if ((err = list_domains(a, &doms)))
        goto out;
    if (!(who = sender_shown(m))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    p.code = strict ? CSP_D_SENDER_REFUSED : CSP_D_SENDER_DOMAIN;
    if (strict)
        err = csp_diag_add(diags, &p,
                           "the message came from %s, not from %s's email "
                           "domains in the template (%s), so it is refused "
                           "(--strict-senders); ask %s to send it from their "
                           "own address, or add the sender's domain to "
                           "email-domains= in the template if it is theirs",
                           who, a->name, csp_strbuf_str(&doms), a->name)
                  ? CSP_OK
                  : CSP_ERR_NOMEM;
    else
        err = csp_diag_add(diags, &p,
                           "the message came from %s, not from %s's email "
                           "domains in the template (%s); check with %s "
                           "that the submission is theirs, and add the "
                           "sender's domain to email-domains= in the "
                           "template if it is",
                           who, a->name, csp_strbuf_str(&doms), a->name)
                  ? CSP_OK
                  : CSP_ERR_NOMEM;
    if (err == CSP_OK && strict) {
        sub->refused = true;
        csp_submission_drop_items(sub);
    }
out:
    csp_strbuf_free(&doms);
    free(who);
    return err;
}

/* Skip a run of blanks and RFC 5322 comments "(...)" at @p s. */
static const char *skip_cfws(const char *s, const char *end)
{
    int depth = 0;
    for (; s < end; s++) {
        if (*s == '(')
            depth++;
        else if (*s == ')' && depth > 0)
            depth--;
        else if (*s == '\\' && depth > 0 && s + 1 < end)
            s++;
        else if (depth == 0 && *s != ' ' && *s != '\t' && *s != '\r' &&
                 *s != '\n')
            break;
    }
    return s;
}

/* The end of the ';'-separated part of a header value starting at @p s:
 * a ';' outside comments and quoted strings, or @p end. */
static const char *part_end(const char *s, const char *end)
{
    int depth = 0;
    bool quoted = false;
    for (; s < end; s++) {
        if (*s == '\\' && (quoted || depth) && s + 1 < end)
            s++;
        else if (quoted)
            quoted = *s != '"';
        else if (*s == '"' && depth == 0)
            quoted = true;
        else if (*s == '(')
            depth++;
        else if (*s == ')' && depth > 0)
            depth--;
        else if (*s == ';' && depth == 0)
            break;
    }
    return s;
}

/* The length of the token at @p s: letters, digits, '-', '_', '.'. */
static size_t token_len(const char *s, const char *end)
{
    size_t n = 0;
    while (s + n < end &&
           ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
            (s[n] >= '0' && s[n] <= '9') || s[n] == '-' || s[n] == '_' ||
            s[n] == '.'))
        n++;
    return n;
}

/* Whether token @p t of @p n bytes is @p word, ignoring case. */
static bool token_is(const char *t, size_t n, const char *word)
{
    return n == strlen(word) && same_ci(t, word, n);
}

/* Whether resinfo [s, end) reports a DKIM or SPF result that says the
 * message may not be from its sender: fail, softfail or permerror
 * (temperror says only that a lookup failed for a while). */
static bool resinfo_fails(const char *s, const char *end)
{
    size_t n = token_len(s, end);
    bool method = token_is(s, n, "dkim") || token_is(s, n, "spf");

    if (!method)
        return false;
    s += n;
    /* A method may carry a version: "dkim/1=fail". */
    if (s < end && *s == '/') {
        s = skip_cfws(s + 1, end);
        s += token_len(s, end);
    }
    s = skip_cfws(s, end);
    if (s >= end || *s != '=')
        return false;
    s = skip_cfws(s + 1, end);
    n = token_len(s, end);
    return token_is(s, n, "fail") || token_is(s, n, "softfail") ||
           token_is(s, n, "permerror");
}

/* One W507 for a failing result, quoting it and the server that wrote
 * it (the authserv-id, [@p id, @p id_end)). */
static csp_error say_auth(const csp_template *tpl, const csp_submission *sub,
                          const char *id, const char *id_end, const char *res,
                          const char *res_end, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    const csp_agency *a =
        sub->agency ? csp_template_agency(tpl, sub->agency) : NULL;
    char *server = NULL, *result = NULL;
    csp_diag p = {.code = CSP_D_AUTH_FAILED,
                  .file = sub->path,
                  .line = sub->header_line,
                  .agency = sub->agency};

    while (res_end > res && (res_end[-1] == ' ' || res_end[-1] == '\t' ||
                             res_end[-1] == '\r' || res_end[-1] == '\n'))
        res_end--;
    server = csp_calloc(1, CSP_TEXT_SHOWN_BUFSZ(SENDER_SHOWN_CHARS));
    result = csp_calloc(1, CSP_TEXT_SHOWN_BUFSZ(SENDER_SHOWN_CHARS));
    if (!server || !result) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    server[csp_text_show(id, (size_t)(id_end - id), SENDER_SHOWN_CHARS,
                         server)] = '\0';
    result[csp_text_show(res, (size_t)(res_end - res), SENDER_SHOWN_CHARS,
                         result)] = '\0';
    if (!csp_diag_add(diags, &p,
                      "the mail server %s recorded \"%s\" in the message's "
                      "Authentication-Results: the message may not be from "
                      "the address it shows; csppack cannot verify "
                      "signatures offline, so check with %s that they "
                      "sent it",
                      *server ? server : "that received it", result,
                      a ? a->name : "the sender"))
        err = CSP_ERR_NOMEM;
out:
    free(server);
    free(result);
    return err;
}

/* W507 for each failing DKIM or SPF result in one Authentication-Results
 * value [s, end): "authserv-id; method=result (comment) prop=value; ...". */
static csp_error check_header(const csp_template *tpl,
                              const csp_submission *sub, const char *s,
                              const char *end, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    const char *id = skip_cfws(s, end);
    const char *id_end = id + token_len(id, end);
    const char *p = part_end(s, end);

    while (p < end && !err) {
        const char *res = skip_cfws(p + 1, end);
        const char *res_end = part_end(res, end);
        if (resinfo_fails(res, res_end))
            err = say_auth(tpl, sub, id, id_end, res, res_end, diags);
        p = res_end;
    }
    return err;
}

/* W507 for every failing result in every Authentication-Results header
 * of the message (joined by "\n"). */
static csp_error check_auth(const csp_template *tpl, const csp_submission *sub,
                            csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    const char *s = sub->mail->auth_results;

    while (s && *s && !err) {
        /* A newline then a blank folds a header; it does not end one. */
        const char *end = s;
        while (*end && !(*end == '\n' && end[1] != ' ' && end[1] != '\t'))
            end++;
        err = check_header(tpl, sub, s, end, diags);
        s = *end ? end + 1 : end;
    }
    return err;
}

/* Check the sender of @p sub (read/sender.h). */
csp_error csp_sender_check(const csp_template *tpl, const csp_read_options *opt,
                           csp_submission *sub, csp_diag_list *diags)
{
    csp_error err = CSP_OK;

    if (!sub || !sub->mail || sub->refused)
        goto out;
    err = check_domain(tpl, opt, sub, diags);
    if (err)
        goto out;
    err = check_auth(tpl, sub, diags);
out:
    return err;
}
