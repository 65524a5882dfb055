/*
 * Receipts: one plain-text file per agency that sent anything or owes
 * something for the pack's period, for its data officer (and, as
 * receipts/eml.h writes it, a reply draft).  Each says, file by file, what
 * was accepted, what was superseded, withdrawn or refused, which
 * discrepancies involve the agency's figures, and what is still needed
 * from it for the period (the chase list, returns.h), every diagnostic
 * told in the partner's words (receipts/say.h).  Files that were refused
 * before their agency could be known go into one more receipt, "unknown".
 *
 * Format (doc/receipts.md): UTF-8, LF line endings, every line wrapped at
 * 72 columns; no codes, hashes or template ids; deterministic (the same
 * inputs give the same bytes whatever their order or folder; files are
 * named by base name).
 */
#ifndef CSPPACK_RECEIPTS_H
#define CSPPACK_RECEIPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The receipt name of files whose agency is not known. */
#define CSP_RECEIPT_UNKNOWN "unknown"
/** Room for a receipt's file name ("<agency id>.txt"). */
#define CSP_RECEIPT_NAME_MAX 256

/** The receipts a reconciled dataset needs. */
typedef struct csp_receipt_list {
    const char **agencies;  /**< agency ids (borrowed), in byte order */
    size_t count;
    bool unknown;           /**< some file's agency is not known */
} csp_receipt_list;

/**
 * Which receipts @p ds needs: one per agency that sent any file (a file
 * refused whole still counts for its agency when its agency attribute
 * names a partner of the template), one per agency of @p returns (the
 * chase list of the pack's period, or NULL: none) that sent nothing and
 * owes something, and "unknown" for files of no known agency.
 * Free with csp_receipt_list_free.
 */
csp_error csp_receipts_list(const csp_dataset *ds, const csp_returns *returns,
                            csp_receipt_list *out) CSP_MUST_CHECK;

/** Free the list's storage (NULL is fine). */
void csp_receipt_list_free(csp_receipt_list *list);

/** The agency whose receipt lists file @p i of @p ds, or NULL for the
 *  unknown receipt. */
const char *csp_receipt_agency_of(const csp_dataset *ds, size_t i);

/**
 * The file name of the receipt of @p agency (NULL: the unknown receipt):
 * "kcc.txt", "unknown.txt" (or "_unknown.txt" should the template declare
 * an agency called "unknown").
 */
void csp_receipt_file_name(const csp_dataset *ds, const char *agency,
                           char buf[CSP_RECEIPT_NAME_MAX]);

/**
 * Write the receipt of @p agency (an id from csp_receipts_list, or NULL
 * for the unknown receipt) to @p out (not closed).  With @p returns (the
 * chase list of the pack's period; NULL: none), an agency's receipt ends
 * with what is still needed from it for that period, or says that
 * nothing more is.  CSP_ERR_IO when writing failed.
 */
csp_error csp_receipt_write(const csp_dataset *ds, const char *agency,
                            const csp_returns *returns,
                            FILE *out) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
