/* csppack: mail files (read/mail.h): which they are, and their messages. */
#include "csppack/read/mail.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "csppack/base/alloc.h"
#include "csppack/base/mime.h"
#include "csppack/read/mail_part.h"

/* Header lines looked at to judge a file a message. */
#define SNIFF_LINES 200

/* Header field names that only a message starts with. */
static bool mail_field(const unsigned char *p, size_t n)
{
    static const char *const names[] = {
        "from", "date", "mime-version", "received", "message-id",
        "return-path", "subject", "to", "delivered-to", "reply-to"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n &&
            strncasecmp((const char *)p, names[i], n) == 0)
            return true;
    return false;
}

/* Does @p p start with RFC 5322 header lines up to a blank line (or the
 * first SNIFF_LINES), one of them a field only mail has? */
static bool looks_like_headers(const unsigned char *p, size_t n)
{
    size_t at = 0, lines = 0;
    bool known = false;
    while (at < n && lines < SNIFF_LINES) {
        size_t end = at;
        while (end < n && p[end] != '\n')
            end++;
        size_t len = end - at;
        if (len > 0 && p[end - 1] == '\r')
            len--;
        if (len == 0)
            break; /* the blank line that ends the headers */
        if (p[at] == ' ' || p[at] == '\t') {
            if (lines == 0)
                return false; /* a continuation first */
        } else {
            size_t k = 0;
            while (k < len && p[at + k] > ' ' && p[at + k] < 127 &&
                   p[at + k] != ':')
                k++;
            if (k == 0 || k == len || p[at + k] != ':')
                return false;
            known |= mail_field(p + at, k);
        }
        lines++;
        at = end + 1;
    }
    return known;
}

/* Judge a loaded file. */
csp_mail_kind csp_mail_sniff(const csp_input *in)
{
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0,
                                          0xA1, 0xB1, 0x1A, 0xE1};
    const unsigned char *p = in->data;
    size_t n = in->size;
    if (n >= sizeof ole2 && memcmp(p, ole2, sizeof ole2) == 0)
        return CSP_MAIL_OUTLOOK;
    size_t ws = 0;
    if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        ws = 3;
    while (ws < n && (p[ws] == ' ' || p[ws] == '\t' || p[ws] == '\r' ||
                      p[ws] == '\n'))
        ws++;
    bool xml = ws < n && p[ws] == '<';
    if (xml)
        return CSP_MAIL_NONE;
    if (n >= 5 && memcmp(p, "From ", 5) == 0)
        return CSP_MAIL_MBOX;
    if (looks_like_headers(p, n))
        return CSP_MAIL_MESSAGE;
    if (csp_name_ends(in->path, ".msg"))
        return CSP_MAIL_OUTLOOK;
    if (csp_name_ends(in->path, ".mbox"))
        return CSP_MAIL_MBOX;
    if (csp_name_ends(in->path, ".eml"))
        return CSP_MAIL_MESSAGE;
    return CSP_MAIL_NONE;
}

/* What GMime's parser reported about the message being read. */
typedef struct parse_notes {
    bool truncated;
    bool too_deep;
} parse_notes;

/* GMime's parser warns: keep what makes a message unreadable. */
static void parser_warning(gint64 offset, GMimeParserWarning code,
                           const gchar *item, gpointer data)
{
    parse_notes *notes = data;
    (void)offset;
    (void)item;
    if (code == GMIME_WARN_TRUNCATED_MESSAGE)
        notes->truncated = true;
    else if (code == GMIME_CRIT_NESTING_OVERFLOW)
        notes->too_deep = true;
}

/* E503 on the file at @p line; @p what says why and what to do. */
static csp_error unreadable(csp_mail_msg *m, const char *what)
{
    csp_diag proto = {.code = CSP_D_MAIL_UNREADABLE, .file = (char *)m->shown,
                      .line = m->line};
    char num[48] = "";
    if (m->message)
        snprintf(num, sizeof num, "message %zu of the mbox: ", m->message);
    return csp_diag_add(m->pending, &proto, "%s%s", num, what)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* Where line counting has got to in a file: its lines are counted once,
 * from one message's start to the next, never again from the top (an
 * mbox of hundreds of messages would cost the square of its size). */
typedef struct line_cursor {
    size_t at;            /* bytes counted */
    unsigned long line;   /* the line of byte at (1-based) */
} line_cursor;

/* The line of byte @p offset of @p in (1-based), counting on from @p c
 * (offsets only grow; one behind the cursor counts from the top). */
static unsigned long line_at(const csp_input *in, gint64 offset,
                             line_cursor *c)
{
    size_t end = offset < 0 ? 0 : (size_t)offset;
    if (end > in->size)
        end = in->size;
    if (end < c->at) {
        c->at = 0;
        c->line = 1;
    }
    for (; c->at < end; c->at++)
        c->line += in->data[c->at] == '\n';
    return c->line;
}

/* Read one parsed message, or say why it cannot be read. */
static csp_error one_message(csp_mail_msg *m, GMimeMessage *msg,
                             const parse_notes *notes)
{
    if (notes->too_deep)
        return unreadable(m, "the message has parts nested deeper than "
                             "GMime reads (multiparts or forwarded "
                             "messages); nothing in it was read: forward "
                             "the submission's .xml file attached to a new "
                             "message");
    if (notes->truncated)
        return unreadable(m, "the message is cut short (a part has no "
                             "end); nothing in it was read: save the "
                             "message again from the mail program, whole");
    return csp_mail_message_read(m, msg);
}

/* Read every message of the file (one, or an mbox's). */
static csp_error read_messages(csp_mail_msg *m, const csp_input *in,
                               bool mbox)
{
    csp_error err = CSP_OK;
    parse_notes notes = {0};
    /* The stream reads the loaded bytes where they are: with_buffer
     * would copy them (a second 64 MiB at the size bound).  The array is
     * only lent to the stream, which does not own it, and taken back
     * below, unchanged (nothing writes to it). */
    GByteArray *bytes = g_byte_array_new_take(in->data, in->size);
    GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(bytes);
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeParserOptions *popt = g_mime_parser_options_new();
    g_mime_parser_options_set_warning_callback(popt, parser_warning, &notes);
    g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX
                                          : GMIME_FORMAT_MESSAGE);
    size_t count = 0;
    line_cursor cursor = {.at = 0, .line = 1};
    while (err == CSP_OK && !g_mime_parser_eos(parser)) {
        memset(&notes, 0, sizeof notes);
        GMimeMessage *msg = g_mime_parser_construct_message(parser, popt);
        if (!msg)
            break;
        count++;
        m->message = mbox ? count : 0;
        m->line = mbox ? line_at(in,
                                 g_mime_parser_get_mbox_marker_offset(parser),
                                 &cursor)
                       : 1;
        m->too_deep = false;
        m->xml = 0;
        err = one_message(m, msg, &notes);
        g_object_unref(msg);
        if (!mbox)
            break;
    }
    if (err == CSP_OK && count == 0) {
        m->message = 0;
        m->line = 1;
        err = unreadable(m, mbox ? "no message could be read in the mbox: "
                                   "save the mailbox again from the mail "
                                   "program"
                                 : "no message could be read in the file: "
                                   "save the message again from the mail "
                                   "program as .eml");
    }
    g_mime_parser_options_free(popt);
    g_object_unref(parser);
    g_object_unref(stream);
    guint8 *data = g_byte_array_free(bytes, FALSE);
    (void)data; /* in->data, still the caller's */
    return err;
}

/* Read a mail file. */
csp_error csp_mail_read(const char *path, const csp_input *in,
                        csp_mail_kind kind, const csp_template *tpl,
                        const csp_read_options *opt, csp_mail_items *out)
{
    csp_error err = CSP_OK;
    csp_diag_list pending;
    csp_diag_list_init(&pending);
    csp_mail_msg m = {.path = path, .shown = in->path, .line = 1,
                      .tpl = tpl, .opt = opt, .out = out,
                      .pending = &pending};
    size_t first = out->count;
    if (kind == CSP_MAIL_OUTLOOK) {
        csp_diag proto = {.code = CSP_D_OUTLOOK_MSG, .file = in->path,
                          .line = 1};
        if (!csp_diag_add(
                &pending, &proto,
                "the file is an Outlook message (.msg), which csppack "
                "cannot read: save the submission's .xml attachment itself "
                "(in Outlook, right-click the attachment, Save As) and give "
                "that file; or convert the message to .eml with msgconvert "
                "(Debian package libemail-outlook-message-perl): "
                "\"msgconvert FILE.msg\" writes FILE.eml"))
            err = CSP_ERR_NOMEM;
    } else if (kind == CSP_MAIL_MESSAGE && !looks_like_headers(in->data,
                                                               in->size)) {
        err = unreadable(&m, "the file is named as a mail message but does "
                             "not start with mail header lines (From:, "
                             "Date:, Subject:...): save the message again "
                             "from the mail program as .eml");
    } else {
        csp_mime_init();
        err = read_messages(&m, in, kind == CSP_MAIL_MBOX);
    }
    /* What is left goes with the last item, or is the file's only one. */
    if (err == CSP_OK && pending.count && out->count > first)
        err = csp_diag_list_take(&out->items[out->count - 1].diags, &pending);
    else if (err == CSP_OK && out->count == first)
        err = csp_mail_item_add(&m, NULL, NULL);
    csp_diag_list_free(&pending);
    return err;
}
