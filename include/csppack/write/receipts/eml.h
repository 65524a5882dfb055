/*
 * Reply drafts (doc/receipts.md, "Reply drafts"): each agency's receipt
 * as receipts/<agency>.eml, a plain-text UTF-8 message built with GMime,
 * for the coordinator to open in the mail client and send.  It replies to
 * the agency's latest message (To, "Re: " Subject, In-Reply-To,
 * References) when its latest file came by mail; is addressed to the
 * submitter of its latest file otherwise; and has no To when the agency
 * sent nothing.  No Date or Message-ID (the mail client sets them), so
 * the same inputs give the same bytes; "X-Unsent: 1" marks it a draft.
 */
#ifndef CSPPACK_WRITE_RECEIPTS_EML_H
#define CSPPACK_WRITE_RECEIPTS_EML_H

#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/receipts.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "kcc.eml": the draft of agency @p agency (never the unknown receipt,
 *  which is the coordinator's own). */
void csp_receipt_eml_name(const char *agency, char buf[CSP_RECEIPT_NAME_MAX]);

/**
 * Write the reply draft of @p agency (an id of csp_receipts_list) to
 * @p out (not closed): its body is csp_receipt_write's text.
 * CSP_ERR_IO when writing failed.
 */
csp_error csp_receipt_eml_write(const csp_dataset *ds, const char *agency,
                                const csp_returns *returns,
                                FILE *out) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
