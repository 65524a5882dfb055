/*
 * One parsed message of a mail file (read/mail.h): its parts walked, its
 * XML attachments read as submissions, the rest listed with why.
 */
#ifndef CSPPACK_READ_MAIL_PART_H
#define CSPPACK_READ_MAIL_PART_H

#include <stdbool.h>
#include <stddef.h>

#include <gmime/gmime.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/template.h"
#include "csppack/read/mail_items.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The message being read, and where its results go. */
typedef struct csp_mail_msg {
    const char *path;        /**< the mail file as the user named it */
    const char *shown;       /**< its display form (diagnostics' file) */
    size_t message;          /**< 1-based in an mbox; 0 for one message */
    unsigned long line;      /**< where the message starts in the file */
    const csp_template *tpl;
    const csp_read_options *opt;
    csp_mail_items *out;
    csp_diag_list *pending;  /**< diagnostics waiting for the next item */
    /* Set while reading: */
    bool too_deep;           /**< a part deeper than CSP_MAIL_MAX_DEPTH */
    size_t xml;              /**< XML attachments found */
    char **names;            /**< attachment names given in this message */
    size_t nnames;
} csp_mail_msg;

/** Read message @p msg into m->out (and m->pending).  CSP_ERR_NOMEM only
 *  when memory ran out. */
csp_error csp_mail_message_read(csp_mail_msg *m, GMimeMessage *msg)
    CSP_MUST_CHECK;

/** Add an item (takes @p sub, which may be NULL; moves m->pending and
 *  then @p diags into it). */
csp_error csp_mail_item_add(csp_mail_msg *m, csp_submission *sub,
                            csp_diag_list *diags) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
