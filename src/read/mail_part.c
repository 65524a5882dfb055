/* csppack: one message of a mail file, its parts walked (read/mail_part.h). */
#include "csppack/read/mail_part.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/sender.h"
#include "csppack/read/submission.h"

/* Longest header value shown in a diagnostic, in characters. */
#define SHOWN_MAX 80

/* The display form of @p s (NULL stays NULL; *nomem set when memory ran
 * out): what the origin keeps, so that every writer can print it. */
static char *shown_or_null(const char *s, bool *nomem)
{
    if (!s)
        return NULL;
    char *t = csp_text_shown(s, 0);
    if (!t)
        *nomem = true;
    return t;
}

/* The first mailbox address of @p list, its domain lower-case (NULL when
 * there is none). */
static char *first_address(InternetAddressList *list, bool *nomem)
{
    if (!list)
        return NULL;
    int n = internet_address_list_length(list);
    for (int i = 0; i < n; i++) {
        InternetAddress *a = internet_address_list_get_address(list, i);
        if (!INTERNET_ADDRESS_IS_MAILBOX(a))
            continue;
        const char *addr =
            internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
        if (!addr || !*addr)
            continue;
        char *t = shown_or_null(addr, nomem);
        char *at = t ? strrchr(t, '@') : NULL;
        for (; at && *at; at++)
            *at = (char)tolower((unsigned char)*at);
        return t;
    }
    return NULL;
}

/* The From of @p msg as written (decoded), or NULL. */
static char *from_text(GMimeMessage *msg, bool *nomem)
{
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (!from || internet_address_list_length(from) == 0)
        return NULL;
    char *s = internet_address_list_to_string(from, NULL, FALSE);
    char *t = shown_or_null(s, nomem);
    g_free(s);
    return t;
}

/* Every Authentication-Results header of @p msg, joined by "\n". */
static char *auth_results(GMimeMessage *msg, bool *nomem)
{
    GMimeHeaderList *h = g_mime_object_get_header_list(GMIME_OBJECT(msg));
    int n = h ? g_mime_header_list_get_count(h) : 0;
    csp_strbuf b;
    csp_strbuf_init(&b, SIZE_MAX);
    bool any = false;
    for (int i = 0; i < n; i++) {
        GMimeHeader *hd = g_mime_header_list_get_header_at(h, i);
        const char *name = g_mime_header_get_name(hd);
        const char *value = g_mime_header_get_value(hd);
        if (!name || strcasecmp(name, "Authentication-Results") != 0)
            continue;
        char *v = shown_or_null(value ? value : "", nomem);
        if (!v)
            break;
        if ((any && csp_strbuf_putc(&b, '\n') != CSP_OK) ||
            csp_strbuf_puts(&b, v) != CSP_OK)
            *nomem = true;
        free(v);
        any = true;
    }
    char *out = NULL;
    if (any && !*nomem && !(out = csp_strbuf_take(&b)))
        *nomem = true;
    csp_strbuf_free(&b);
    return out;
}

/* The origin of an attachment named @p name of the received message
 * @p msg (forwarded from @p fwd, or NULL); NULL when memory ran out. */
static csp_mail_origin *origin_new(const csp_mail_msg *m, GMimeMessage *msg,
                                   const char *name, const char *fwd)
{
    bool nomem = false;
    csp_mail_origin *o = csp_calloc(1, sizeof *o);
    if (!o)
        return NULL;
    GMimeObject *obj = GMIME_OBJECT(msg);
    o->container = shown_or_null(m->path, &nomem);
    o->message = m->message;
    o->from = from_text(msg, &nomem);
    o->from_address = first_address(g_mime_message_get_from(msg), &nomem);
    o->reply_to = first_address(g_mime_message_get_reply_to(msg), &nomem);
    o->date = shown_or_null(g_mime_object_get_header(obj, "Date"), &nomem);
    GDateTime *dt = o->date ? g_mime_message_get_date(msg) : NULL;
    if (dt) {
        o->has_sent = true;
        o->sent.seconds = (int64_t)g_date_time_to_unix(dt);
        o->sent.nanos = 0;
        o->sent.offset_min =
            (int16_t)(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
    }
    o->message_id =
        shown_or_null(g_mime_message_get_message_id(msg), &nomem);
    o->references =
        shown_or_null(g_mime_object_get_header(obj, "References"), &nomem);
    o->subject = shown_or_null(g_mime_message_get_subject(msg), &nomem);
    o->attachment = shown_or_null(name ? name : "", &nomem);
    o->forwarded_from = shown_or_null(fwd, &nomem);
    o->auth_results = auth_results(msg, &nomem);
    if (nomem || !o->container || !o->attachment) {
        csp_mail_origin_free(o);
        return NULL;
    }
    return o;
}

/* Add a diagnostic about the message to m->pending. */
static csp_error pending_add(csp_mail_msg *m, csp_diag_code code,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static csp_error pending_add(csp_mail_msg *m, csp_diag_code code,
                             const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = (char *)m->shown,
                      .line = m->line};
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = csp_diag_addv(m->pending, &proto, fmt, ap);
    va_end(ap);
    return d ? CSP_OK : CSP_ERR_NOMEM;
}

/* "the message from FROM of DATE, "SUBJECT"" (or "message N from ..." in
 * an mbox), shown, into @p b; false when memory ran out. */
static bool describe(const csp_mail_msg *m, GMimeMessage *msg, csp_strbuf *b)
{
    bool nomem = false;
    char *from = from_text(msg, &nomem);
    const char *d = g_mime_object_get_header(GMIME_OBJECT(msg), "Date");
    char *date = csp_text_shown(d ? d : "no date", SHOWN_MAX);
    const char *s = g_mime_message_get_subject(msg);
    char *subject = csp_text_shown(s ? s : "", SHOWN_MAX);
    char num[32] = "";
    if (m->message)
        snprintf(num, sizeof num, " %zu", m->message);
    bool ok = !nomem && date && subject &&
              csp_strbuf_printf(b, "message%s from %s of %s, subject \"%s\"",
                                num, from ? from : "(no From)", date,
                                subject) == CSP_OK;
    free(from);
    free(date);
    free(subject);
    return ok;
}

/* Why a part named @p name of type @p type is no submission, for I502. */
static const char *not_submission(const char *name, GMimeContentType *ct)
{
    const char *n = name ? name : "";
    const char *type = ct ? g_mime_content_type_get_media_type(ct) : "";
    const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "";
    if (!type)
        type = "";
    if (!sub)
        sub = "";
    if (csp_name_ends(n, ".xlsx") || csp_name_ends(n, ".xlsm") ||
        csp_name_ends(n, ".xls") || strstr(sub, "spreadsheet") ||
        strstr(sub, "excel"))
        return "is an Excel workbook, not the XML submission: csppack "
               "reads the submission's .xml file (the agency's blank, "
               "filled in), never a workbook; ask the sender to attach "
               "that .xml file";
    if (csp_name_ends(n, ".pdf") || strcasecmp(sub, "pdf") == 0)
        return "is a PDF document, not a submission: ask the sender to "
               "attach the submission's .xml file";
    if (csp_name_ends(n, ".docx") || csp_name_ends(n, ".doc") ||
        csp_name_ends(n, ".odt") || strstr(sub, "word"))
        return "is a word-processor document, not a submission: ask the "
               "sender to attach the submission's .xml file";
    if (csp_name_ends(n, ".zip") || strcasecmp(sub, "zip") == 0)
        return "is a zip archive, which csppack does not open: ask the "
               "sender to attach the submission's .xml file on its own";
    if (csp_name_ends(n, ".csv") || strcasecmp(sub, "csv") == 0)
        return "is a CSV file, not a submission: ask the sender to attach "
               "the submission's .xml file";
    if (strcasecmp(type, "image") == 0)
        return "is an image, not a submission";
    if (strcasecmp(type, "text") == 0)
        return "is a text file, not a submission (a submission's name ends "
               "in .xml)";
    return "is not an XML file, so not a submission (a submission's name "
           "ends in .xml)";
}

/* I502 for part @p name of type @p ct. */
static csp_error list_other(csp_mail_msg *m, GMimeMessage *msg,
                            const char *name, GMimeContentType *ct)
{
    csp_strbuf b;
    csp_strbuf_init(&b, SIZE_MAX);
    char *shown = csp_text_shown(name ? name : "", SHOWN_MAX);
    char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
    csp_error err = CSP_ERR_NOMEM;
    if (shown && describe(m, msg, &b))
        err = pending_add(m, CSP_D_NOT_SUBMISSION,
                          "the attachment %s%s%s (%s) of the %s %s",
                          name ? "\"" : "", name ? shown : "unnamed",
                          name ? "\"" : "", type ? type : "unknown type",
                          csp_strbuf_str(&b), not_submission(name, ct));
    g_free(type);
    free(shown);
    csp_strbuf_free(&b);
    return err;
}

/* The name an attachment is given in its path: its own (the part after
 * the last slash or backslash), made distinct within the message by
 * " (2)", " (3)"... before its extension.  NULL when memory ran out. */
static char *unique_name(csp_mail_msg *m, const char *name)
{
    const char *base = name && *name ? name : "attachment.xml";
    for (const char *p = base; *p; p++)
        if ((*p == '/' || *p == '\\') && p[1])
            base = p + 1;
    char *out = csp_strdup(base);
    for (unsigned k = 2; out; k++) {
        bool taken = false;
        for (size_t i = 0; i < m->nnames && !taken; i++)
            taken = strcmp(m->names[i], out) == 0;
        if (!taken)
            break;
        free(out);
        const char *dot = strrchr(base, '.');
        size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
        size_t len = strlen(base) + 16;
        if ((out = csp_malloc(len)))
            snprintf(out, len, "%.*s (%u)%s", (int)stem, base, k,
                     base + stem);
    }
    char **more = out ? csp_realloc(m->names, (m->nnames + 1) * sizeof *more)
                      : NULL;
    if (!more) {
        free(out);
        return NULL;
    }
    m->names = more;
    m->names[m->nnames++] = out;
    return out;
}

/* A submission refused before parsing, named @p path (its bytes failed
 * the byte-level checks). */
static csp_submission *refused_sub(const char *path)
{
    csp_submission *sub = csp_calloc(1, sizeof *sub);
    if (!sub || !(sub->path = csp_text_shown(path, 0))) {
        free(sub);
        return NULL;
    }
    sub->refused = true;
    return sub;
}

/* Read XML attachment @p part (named @p name) of @p msg as a submission. */
static csp_error read_attachment(csp_mail_msg *m, GMimeMessage *msg,
                                 GMimePart *part, const char *name,
                                 const char *fwd)
{
    csp_error err = CSP_OK;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = NULL;
    csp_input in = {0};
    char *path = NULL;
    GMimeStream *mem = g_mime_stream_mem_new();
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    /* Decoded, the bytes are never more than the file's, which is within
     * opt->max_file_size already. */
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    /* A part that cannot be decoded is empty: E104 names it. */
    if (w && g_mime_data_wrapper_write_to_stream(w, mem) < 0)
        g_byte_array_set_size(bytes, 0);
    const char *uname = unique_name(m, name);
    char num[32] = "";
    if (m->message)
        snprintf(num, sizeof num, "#%zu", m->message);
    size_t len = uname ? strlen(m->path) + strlen(num) + strlen(uname) + 2 : 0;
    if (!uname || !(path = csp_malloc(len))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    snprintf(path, len, "%s%s/%s", m->path, num, uname);
    err = csp_input_from_memory(path, bytes->data, bytes->len, m->opt, &in,
                                &d);
    if (err == CSP_ERR_INVALID) {
        err = (sub = refused_sub(path)) ? CSP_OK : CSP_ERR_NOMEM;
    } else if (err == CSP_OK) {
        err = csp_submission_parse(&in, m->tpl, m->opt, &sub, &d);
        if (err == CSP_OK && sub->refused)
            sub->kind = csp_input_sniff(&in);
    }
    if (err != CSP_OK)
        goto out;
    if (!(sub->mail = origin_new(m, msg, name, fwd))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    m->xml++;
    if ((err = csp_sender_check(m->tpl, m->opt, sub, &d)) != CSP_OK)
        goto out;
    err = csp_mail_item_add(m, sub, &d);
    sub = NULL;
out:
    csp_submission_free(sub);
    csp_input_free(&in);
    csp_diag_list_free(&d);
    free(path);
    g_object_unref(mem);
    return err;
}

/* Is a leaf part an XML attachment (a name ending .xml, or an XML type
 * with a disposition or a name)? */
static bool is_xml_part(const char *name, const char *disp,
                        GMimeContentType *ct)
{
    if (name && csp_name_ends(name, ".xml"))
        return true;
    bool xml_type = ct && (g_mime_content_type_is_type(ct, "application",
                                                       "xml") ||
                           g_mime_content_type_is_type(ct, "text", "xml"));
    return xml_type && (disp || name);
}

/* Walk part @p obj of @p msg, @p depth levels down; @p fwd: the From
 * address of the forwarded message it is in, or NULL. */
static csp_error walk(csp_mail_msg *m, GMimeMessage *msg, GMimeObject *obj,
                      const char *fwd, unsigned depth)
{
    csp_error err = CSP_OK;
    if (!obj)
        return CSP_OK;
    if (depth > CSP_MAIL_MAX_DEPTH) {
        m->too_deep = true;
        return CSP_OK;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner =
            g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
        if (!inner)
            return CSP_OK;
        bool nomem = false;
        char *addr = first_address(g_mime_message_get_from(inner), &nomem);
        if (nomem)
            return CSP_ERR_NOMEM;
        err = walk(m, msg, g_mime_message_get_mime_part(inner),
                   addr ? addr : fwd, depth + 1);
        free(addr);
        return err;
    }
    if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n && err == CSP_OK && !m->too_deep; i++)
            err = walk(m, msg, g_mime_multipart_get_part(mp, i), fwd,
                       depth + 1);
        return err;
    }
    if (!GMIME_IS_PART(obj))
        return CSP_OK;
    GMimePart *part = GMIME_PART(obj);
    const char *name = g_mime_part_get_filename(part);
    const char *disp = g_mime_object_get_disposition(obj);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (is_xml_part(name, disp, ct))
        return read_attachment(m, msg, part, name, fwd);
    bool text = !ct || g_mime_content_type_is_type(ct, "text", "*");
    bool attached = disp && strcasecmp(disp, "attachment") == 0;
    /* The message's own text is no attachment and is not listed. */
    if (!name && !attached && text)
        return CSP_OK;
    return list_other(m, msg, name, ct);
}

/* Drop the items from @p first on: their submissions and diagnostics
 * about them; those about the mail file itself (of earlier messages)
 * wait again, before the ones waiting now. */
static csp_error drop_items(csp_mail_msg *m, size_t first)
{
    csp_error err = CSP_OK;
    csp_diag_list keep;
    csp_diag_list_init(&keep);
    for (size_t k = first; k < m->out->count; k++) {
        csp_mail_item *it = &m->out->items[k];
        csp_diag_list *d = &it->diags;
        size_t j = 0;
        for (size_t i = 0; i < d->count; i++) {
            if (d->items[i].file && strcmp(d->items[i].file, m->shown) == 0)
                d->items[j++] = d->items[i];
            else
                csp_diag_free_strings(&d->items[i]);
        }
        d->count = j;
        if (err == CSP_OK)
            err = csp_diag_list_take(&keep, d);
        csp_diag_list_free(d);
        csp_submission_free(it->sub);
    }
    m->out->count = first;
    if (err == CSP_OK && (err = csp_diag_list_take(&keep, m->pending)) ==
                             CSP_OK)
        err = csp_diag_list_take(m->pending, &keep);
    csp_diag_list_free(&keep);
    return err;
}

/* Read one message. */
csp_error csp_mail_message_read(csp_mail_msg *m, GMimeMessage *msg)
{
    size_t first = m->out->count;
    csp_error err = walk(m, msg, g_mime_message_get_mime_part(msg), NULL, 0);
    /* Too deep, nothing of the message counts (E503 refuses it whole). */
    if (err == CSP_OK && m->too_deep)
        err = drop_items(m, first);
    csp_strbuf b;
    csp_strbuf_init(&b, SIZE_MAX);
    if (err == CSP_OK && m->too_deep) {
        if (!describe(m, msg, &b))
            err = CSP_ERR_NOMEM;
        else
            err = pending_add(m, CSP_D_MAIL_UNREADABLE,
                              "the %s has parts nested more than %d deep "
                              "(multiparts or forwarded messages); nothing in "
                              "it was read: forward the submission's .xml "
                              "file attached to a new message",
                              csp_strbuf_str(&b), CSP_MAIL_MAX_DEPTH);
    } else if (err == CSP_OK && m->xml == 0) {
        if (!describe(m, msg, &b))
            err = CSP_ERR_NOMEM;
        else
            err = pending_add(m, CSP_D_NO_ATTACHMENT,
                              "the %s has no XML attachment, so no "
                              "submission: if it should carry one, ask the "
                              "sender to attach the submission's .xml file",
                              csp_strbuf_str(&b));
    }
    csp_strbuf_free(&b);
    for (size_t i = 0; i < m->nnames; i++)
        free(m->names[i]);
    free(m->names);
    m->names = NULL;
    m->nnames = 0;
    return err;
}

/* Add an item to m->out. */
csp_error csp_mail_item_add(csp_mail_msg *m, csp_submission *sub,
                            csp_diag_list *diags)
{
    csp_mail_items *out = m->out;
    csp_error err;
    if (out->count == out->capacity) {
        size_t cap = out->capacity ? 2 * out->capacity : 4;
        csp_mail_item *p = csp_realloc(out->items, cap * sizeof *p);
        if (!p) {
            csp_submission_free(sub);
            return CSP_ERR_NOMEM;
        }
        out->items = p;
        out->capacity = cap;
    }
    csp_mail_item *it = &out->items[out->count++];
    it->sub = sub;
    csp_diag_list_init(&it->diags);
    if ((err = csp_diag_list_take(&it->diags, m->pending)) != CSP_OK)
        return err;
    return diags ? csp_diag_list_take(&it->diags, diags) : CSP_OK;
}
