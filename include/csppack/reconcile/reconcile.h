/*
 * Reconciliation: many partner submissions become one dataset
 * (csppack/model/dataset.h, which says what the dataset holds and
 * guarantees).
 *
 * The rules are doc/reconciliation.md (version 1); the decisions it
 * leaves open are in doc/reconciliation-decisions.md.  Usage:
 *
 *     csp_dataset *ds = csp_dataset_new(tpl);
 *     for each file:
 *         csp_diag_list d; csp_diag_list_init(&d);
 *         csp_submission_read(path, tpl, opt, &sub, &d);
 *         csp_dataset_add_submission(ds, sub, &d);   // takes sub and d's items
 *     csp_dataset_reconcile(ds);
 *     ... read ds->figures (each one's claims: csp_dataset_claims; its
 *         evaluated rule: csp_dataset_figure_rule), ds->actions,
 *         ds->files, ds->diags ...
 *     csp_dataset_free(ds);
 */
#ifndef CSPPACK_RECONCILE_H
#define CSPPACK_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"
#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/model/diag.h"
#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/reconcile/lookup.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A new, empty dataset over @p tpl (borrowed).  NULL when memory ran out.
 *  Caller owns the result; free with csp_dataset_free. */
csp_dataset *csp_dataset_new(const csp_template *tpl);

/**
 * Add a submission read against ds->tpl, refused or not.  Takes ownership
 * of @p sub in every case (it is freed on failure, or at once when the
 * same file, same path and SHA-256, was added before).  @p read_diags (may
 * be NULL) holds the diagnostics of reading this one file: they are moved
 * into the dataset and the list is left empty.
 * CSP_ERR_USAGE after csp_dataset_reconcile or when @p sub is NULL,
 * CSP_ERR_LIMIT when the dataset would hold more than 2^32 - 1 files or
 * claims, or an obs or update is on a line past 2^32 - 1 (they are
 * counted in 32 bits; see CSP_NO_INDEX32), CSP_ERR_NOMEM.
 */
csp_error csp_dataset_add_submission(csp_dataset *ds, csp_submission *sub,
                                     csp_diag_list *read_diags)
    CSP_MUST_CHECK;

/**
 * Add diagnostics about the run that belong to no submission (for example
 * from csp_paths_expand).  They are moved; @p diags is left empty.
 */
csp_error csp_dataset_add_diags(csp_dataset *ds, csp_diag_list *diags)
    CSP_MUST_CHECK;


/**
 * Apply every rule of reconciliation.md: fills files' roles, figures,
 * actions and ds->diags (sorted).  Call once, after every add.
 * Content problems are diagnostics, not errors: this returns CSP_OK for
 * any inputs, CSP_ERR_NOMEM when memory ran out, CSP_ERR_LIMIT when an
 * exact computation overflows or more than 2^32 - 1 figures have a rule
 * evaluated, CSP_ERR_USAGE when called twice.
 */
csp_error csp_dataset_reconcile(csp_dataset *ds) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
