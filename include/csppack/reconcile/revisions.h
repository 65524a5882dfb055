/*
 * What changed since the previous pack: the figures revised and the
 * action-plan items whose status changed (doc/reconciliation.md, "What
 * changed since the last pack").
 */
#ifndef CSPPACK_RECONCILE_REVISIONS_H
#define CSPPACK_RECONCILE_REVISIONS_H

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Fill ds->revisions and ds->status_changes from ds->previous (nothing
 * when it is NULL); csp_dataset_reconcile calls it last.  CSP_ERR_NOMEM.
 */
csp_error csp_revisions_compute(csp_dataset *ds) CSP_MUST_CHECK;

/** Does @p fig (NULL: nothing stands for the key) differ from what stood
 *  in the previous pack, @p old: its value (exactly, 652 is 652.0) or its
 *  status (disputed included), or it stands no more? */
bool csp_revisions_differ(const csp_figure *fig, const csp_prev_figure *old);

#ifdef __cplusplus
}
#endif

#endif
