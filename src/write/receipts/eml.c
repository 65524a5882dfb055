/* csppack: reply drafts, the receipts as messages (receipts/eml.h). */
#include "csppack/write/receipts/eml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "csppack/base/mime.h"
#include "csppack/write/common.h"
#include "csppack/write/receipts/say.h"

/* "kcc.eml". */
void csp_receipt_eml_name(const char *agency, char buf[CSP_RECEIPT_NAME_MAX])
{
    snprintf(buf, CSP_RECEIPT_NAME_MAX, "%s.eml", agency ? agency : "");
}

/* Whether mail origin @p a was sent after @p b: by the Date read, then by
 * Message-ID (a message with no readable Date is the earlier). */
static bool mail_later(const csp_mail_origin *a, const csp_mail_origin *b)
{
    if (a->has_sent != b->has_sent)
        return a->has_sent;
    if (a->has_sent && a->sent.seconds != b->sent.seconds)
        return a->sent.seconds > b->sent.seconds;
    if (a->has_sent && a->sent.nanos != b->sent.nanos)
        return a->sent.nanos > b->sent.nanos;
    return strcmp(a->message_id ? a->message_id : "",
                  b->message_id ? b->message_id : "") > 0;
}

/* Who and what the draft answers. */
typedef struct draft {
    const csp_mail_origin *mail;  /* the message replied to, or NULL */
    const char *to;               /* a bare file's submitter, or NULL */
} draft;

/* The latest of the agency's files (the receipt lists them in order of
 * submission: its last); when it came by mail, the latest message of the
 * agency's, else its submitter. */
static csp_error pick(const csp_dataset *ds, const char *agency, draft *dr)
{
    size_t *order = NULL, last = CSP_NO_INDEX;
    csp_error err = csp_out_file_order(ds, NULL, &order);
    memset(dr, 0, sizeof *dr);
    if (err)
        return err;
    for (size_t k = 0; k < ds->nfiles; k++) {
        const char *id = csp_receipt_agency_of(ds, order[k]);
        if (!id || strcmp(id, agency) != 0)
            continue;
        last = order[k];
        const csp_submission *sub = ds->files[last].sub;
        if (sub && sub->mail && (!dr->mail || mail_later(sub->mail,
                                                        dr->mail)))
            dr->mail = sub->mail;
        /* A refused file may name no submitter: keep the last that did. */
        if (sub && sub->submitter_email && *sub->submitter_email)
            dr->to = sub->submitter_email;
    }
    if (last != CSP_NO_INDEX) {
        const csp_submission *sub = ds->files[last].sub;
        if (!sub || !sub->mail)
            dr->mail = NULL;
    }
    free(order);
    return CSP_OK;
}

/* Add the addresses of @p text to the message's To. */
static void add_to(GMimeMessage *msg, const char *text)
{
    InternetAddressList *parsed = internet_address_list_parse(NULL, text);
    if (!parsed)
        return;
    internet_address_list_append(
        g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), parsed);
    g_object_unref(parsed);
}

/* The headers of a reply to @p m. */
static csp_error reply_headers(GMimeMessage *msg, const csp_mail_origin *m)
{
    const char *subject = m->subject ? m->subject : "";
    char *s = NULL, *refs = NULL;
    csp_error err = CSP_OK;
    add_to(msg, m->reply_to && *m->reply_to ? m->reply_to
                : m->from ? m->from : "");
    /* One "Re:" however many the partner's client already added. */
    bool re = strncasecmp(subject, "re:", 3) == 0;
    if (!(s = g_strdup_printf("%s%s", re ? "" : "Re: ", subject))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    g_mime_message_set_subject(msg, s, "utf-8");
    if (m->message_id && *m->message_id) {
        char *id = g_strdup_printf("<%s>", m->message_id);
        refs = g_strdup_printf("%s%s%s", m->references ? m->references : "",
                               m->references && *m->references ? " " : "",
                               id);
        g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", id, NULL);
        g_mime_object_set_header(GMIME_OBJECT(msg), "References", refs, NULL);
        g_free(id);
    }
out:
    g_free(s);
    g_free(refs);
    return err;
}

/* The subject of a draft that answers no message. */
static void fresh_subject(GMimeMessage *msg, const csp_dataset *ds,
                          const csp_returns *returns, bool nothing)
{
    const char *name = ds->tpl->partnership ? ds->tpl->partnership
                                            : "the partnership";
    char when[CSP_PERIOD_WORDS_BUFSZ] = "";
    if (returns)
        csp_period_words(returns->period, when);
    char *s = g_strdup_printf("%s: %s%s%s", name,
                              nothing ? "still needed from you"
                                      : "receipt of your submission",
                              *when ? nothing ? " for " : ", " : "", when);
    g_mime_message_set_subject(msg, s, "utf-8");
    g_free(s);
}

/* The receipt's text, into *text (free()). */
static csp_error receipt_text(const csp_dataset *ds, const char *agency,
                              const csp_returns *returns, char **text)
{
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    if (!f)
        return CSP_ERR_NOMEM;
    csp_error err = csp_receipt_write(ds, agency, returns, f);
    if (fclose(f) != 0 && err == CSP_OK)
        err = CSP_ERR_NOMEM;
    return err;
}

/* Write the reply draft. */
csp_error csp_receipt_eml_write(const csp_dataset *ds, const char *agency,
                                const csp_returns *returns, FILE *out)
{
    csp_error err = CSP_OK;
    char *text = NULL;
    GMimeMessage *msg = NULL;
    GMimeTextPart *part = NULL;
    GMimeStream *mem = NULL;
    draft dr;

    if (!ds || !agency || !out)
        return CSP_ERR_USAGE;
    if ((err = receipt_text(ds, agency, returns, &text)) ||
        (err = pick(ds, agency, &dr)))
        goto out;
    csp_mime_init();
    msg = g_mime_message_new(FALSE);
    if (dr.mail) {
        if ((err = reply_headers(msg, dr.mail)))
            goto out;
    } else {
        if (dr.to)
            add_to(msg, dr.to);
        fresh_subject(msg, ds, returns, !dr.to);
    }
    g_mime_object_set_header(GMIME_OBJECT(msg), "X-Unsent", "1", NULL);
    part = g_mime_text_part_new_with_subtype("plain");
    g_mime_text_part_set_text(part, text);
    g_mime_text_part_set_charset(part, "utf-8");
    g_mime_part_set_content_encoding(
        GMIME_PART(part),
        g_mime_part_get_best_content_encoding(GMIME_PART(part),
                                              GMIME_ENCODING_CONSTRAINT_7BIT));
    g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
    mem = g_mime_stream_mem_new();
    if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, mem) < 0) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    if (fwrite(bytes->data, 1, bytes->len, out) != bytes->len)
        err = CSP_ERR_IO;
out:
    if (mem)
        g_object_unref(mem);
    if (part)
        g_object_unref(part);
    if (msg)
        g_object_unref(msg);
    free(text);
    return err;
}
