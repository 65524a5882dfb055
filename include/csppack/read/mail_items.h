/*
 * What a mail file yields (read/mail.h): one item per submission read
 * from it, each with its diagnostics, and the bound on nesting.  Apart
 * from mail.h so that the part walker (read/mail_part.h), which fills
 * the items, needs nothing of the reader above it.
 */
#ifndef CSPPACK_READ_MAIL_ITEMS_H
#define CSPPACK_READ_MAIL_ITEMS_H

#include <stddef.h>

#include "csppack/model/diag.h"
#include "csppack/model/submission.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most levels of multiparts and forwarded messages read in a message;
 *  a part deeper than that makes the message unreadable (E503). */
#define CSP_MAIL_MAX_DEPTH 16

/** One submission read from a mail file, with its diagnostics. */
typedef struct csp_mail_item {
    csp_submission *sub;    /**< NULL only for a file with none */
    csp_diag_list diags;
} csp_mail_item;

/** What a mail file yielded, in the order of its messages and parts. */
typedef struct csp_mail_items {
    csp_mail_item *items;
    size_t count;
    size_t capacity;
} csp_mail_items;

/** Free what csp_mail_read appended, and empty @p items. */
void csp_mail_items_free(csp_mail_items *items);

#ifdef __cplusplus
}
#endif
#endif
