/*
 * Internal to the reconcile layer: derived totals (template format 2,
 * <indicator totals="derived">): a parent area's or the partnership's
 * figure worked out as the sum of its areas' when nobody sends it, and
 * the record of a computed figure's rule that they share with the
 * template's rules (src/reconcile/totals.c).
 */
#ifndef CSPPACK_RECONCILE_TOTALS_H
#define CSPPACK_RECONCILE_TOTALS_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

/** Record on @p fig the evaluation of its rule: @p kind, the exact value
 *  and the rate's base (0 for other rules).  CSP_ERR_NOMEM,
 *  CSP_ERR_LIMIT. */
csp_error csp_totals_keep_rule(csp_dataset *ds, csp_figure *fig,
                               csp_rule_kind kind, csp_ratio exact,
                               int64_t population) CSP_MUST_CHECK;

/** Make @p fig stand as a figure csppack worked out (computed, agency
 *  "csppack", no file) with @p value and @p status. */
void csp_totals_stand(csp_figure *fig, csp_decimal value,
                      csp_obs_status status);

/** The areas directly inside @p area (the top-level areas for "all"):
 *  their indexes into tpl->areas into @p out (at most @p max; @p out may
 *  be NULL to count them); returns how many there are. */
size_t csp_totals_children(const csp_template *tpl, const char *area,
                           size_t *out, size_t max);

/** Derived totals of indicator @p ind_index (nothing unless it says
 *  totals="derived"): for every parent area, deepest first, then "all",
 *  and every period one of its child areas has a figure for, when no
 *  figure stands for the parent (nothing or "missing" was sent; a
 *  disputed one stays disputed) and every child's stands with a value,
 *  the exact sum stands as a computed figure (rule kind CSP_RULE_AREAS).
 *  Re-sorts ds->figures. */
csp_error csp_totals_derive(csp_dataset *ds, size_t ind_index) CSP_MUST_CHECK;

#endif
