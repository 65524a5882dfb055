/*
 * Submissions that arrive by mail (doc/mail.md): a saved message (.eml),
 * an mbox, or one message file of a Maildir folder, read with GMime 3.
 * Every XML attachment, in any transfer encoding, in nested multiparts or
 * inside forwarded messages, is read as a submission (read/submission.h)
 * with its csp_mail_origin; every other attachment, and a message with no
 * XML attachment, is listed with why (I502, W501).
 */
#ifndef CSPPACK_READ_MAIL_H
#define CSPPACK_READ_MAIL_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"
#include "csppack/model/template.h"
#include "csppack/read/mail_items.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a loaded file holds, judged by its bytes and name. */
typedef enum csp_mail_kind {
    CSP_MAIL_NONE,      /**< no mail: an XML file (or anything else) */
    CSP_MAIL_MESSAGE,   /**< one message (RFC 5322 header lines first) */
    CSP_MAIL_MBOX,      /**< an mbox: the first line starts "From " */
    CSP_MAIL_OUTLOOK    /**< an Outlook .msg (OLE2, or the name) */
} csp_mail_kind;

/** Judge the loaded file @p in: mail or not.  A file named *.eml or
 *  *.mbox (any case) that is not XML is mail, read or refused as such. */
csp_mail_kind csp_mail_sniff(const csp_input *in);

/**
 * Read the mail file @p in (@p kind not CSP_MAIL_NONE), loaded from
 * @p path as the user named it, against @p tpl.  Appends to @p out one
 * item per XML attachment (each read with csp_submission_parse, its
 * sub->path and sub->mail set, then csp_sender_check), or, when there is
 * none, one item with sub NULL whose diagnostics say why (W501, I502,
 * E503, E504).  Diagnostics about a message or a part that is no
 * submission go with the next item (or the last).  CSP_ERR_NOMEM only
 * when memory ran out (GLib's own allocations abort instead).
 */
csp_error csp_mail_read(const char *path, const csp_input *in,
                        csp_mail_kind kind, const csp_template *tpl,
                        const csp_read_options *opt, csp_mail_items *out)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
