/*
 * Internal to the reconcile layer: the fold engine.  While files are
 * added, each file's obs are folded into their keys (the state, private
 * to fold.c);
 * csp_dataset_reconcile then sorts the files (csp_fold_files) and turns
 * the keys into the figures (csp_fold_figures).
 */
#ifndef CSPPACK_RECONCILE_FOLD_H
#define CSPPACK_RECONCILE_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

/** The folding state a dataset holds while files are added (fold.c). */
typedef struct csp_dataset_state csp_dataset_state;


/** Make room for one more element in *arr (@p n used of *cap, each
 *  @p size bytes), doubling from @p first.  CSP_ERR_NOMEM. */
csp_error csp_fold_grow(void *arr, size_t *cap, size_t n, size_t size,
                        size_t first) CSP_MUST_CHECK;

/** Give a new dataset its folding state and its action items (one per
 *  template action, in template order).  CSP_ERR_NOMEM. */
csp_error csp_fold_start(csp_dataset *ds) CSP_MUST_CHECK;

/** csp_dataset_add_submission once its arguments are checked: takes
 *  @p sub in every case and empties @p read_diags (may be NULL). */
csp_error csp_fold_add(csp_dataset *ds, csp_submission *sub,
                       csp_diag_list *read_diags) CSP_MUST_CHECK;

/**
 * Stage 1: fill the files' fields, sort them, mark duplicates and report
 * them (I401), report what each file lost to later ones (I402), move the
 * reading diagnostics of the files that count to ds->diags.  *where_out
 * is set to: by adding order, the sorted index of the copy that counts
 * (the caller frees it).
 */
csp_error csp_fold_files(csp_dataset *ds, size_t **where_out) CSP_MUST_CHECK;

/** Once every figure is in place (the computed ones too): give each
 *  superseded claim the index of its key's figure. */
void csp_fold_place_superseded(csp_dataset *ds);

/** Stage 2: the folded keys become ds->figures (sorted by key) and their
 *  claims ds->claims, one sorted run per figure; @p where is
 *  csp_fold_files's. */
csp_error csp_fold_figures(csp_dataset *ds, const size_t *where)
    CSP_MUST_CHECK;

#endif
