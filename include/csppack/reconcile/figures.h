/*
 * Internal to the reconcile layer: which figure stands for each key, and
 * finding the figure of a key among ds->figures (sorted by key).
 */
#ifndef CSPPACK_RECONCILE_FIGURES_H
#define CSPPACK_RECONCILE_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

/** A run of ds->figures: [lo, hi). */
typedef struct csp_fig_range {
    size_t lo, hi;
} csp_fig_range;

/** Order keys: indicator id, area id, period (one string is one id: the
 *  figures' ids are the template's strings). */
int csp_figures_cmp_key(const char *ia, const char *aa, csp_period pa,
                        const char *ib, const char *ab, csp_period pb);

/** qsort comparator for figures, by key. */
int csp_figures_cmp(const void *pa, const void *pb);

/** A figure with its key set and nothing standing. */
void csp_figures_init(csp_figure *fig, const csp_template *tpl,
                      size_t indicator_index, const char *area,
                      csp_period period);

/** Set ds->ind_rank: the template's indicators in the order of their ids,
 *  the order of the figures, so that a search compares numbers, not ids.
 *  CSP_ERR_NOMEM. */
csp_error csp_figures_rank(csp_dataset *ds);

/** The claims of @p fig, for reconcile to change; NULL when it has
 *  none. */
csp_claim *csp_figures_claims(const csp_dataset *ds, const csp_figure *fig);

/** Rules 1-4 for one key. */
csp_error csp_figures_resolve(csp_dataset *ds, csp_figure *fig);

/** csp_figures_find_at, when the figure can only be in @p in. */
size_t csp_figures_find_in(const csp_dataset *ds, csp_fig_range in, size_t ind,
                           const char *area, csp_period period);

/** Index of the figure for a key, the indicator given by its index in the
 * template, in ds->figures, or CSP_NO_INDEX (as csp_figures_find). */
size_t csp_figures_find_at(const csp_dataset *ds, size_t ind, const char *area,
                           csp_period period);

/** Index of the figure for a key in ds->figures, or CSP_NO_INDEX. */
size_t csp_figures_find(const csp_dataset *ds, const char *indicator,
                        const char *area, csp_period period);

/** The figure for a key (the indicator by its index), which can only be
 * in @p in, if it stands with a value, else NULL. */
const csp_figure *csp_figures_standing(const csp_dataset *ds, csp_fig_range in,
                                       size_t ind, const char *area,
                                       csp_period period);

/** W406 for every submitted figure that stands although not the owner's. */
csp_error csp_figures_owner_gaps(csp_dataset *ds);

/** Give each figure with no claims (computed under a rule) its empty run
 * where it falls among the figures (after the last re-sort), so that the
 * runs of claims follow the figures' order without a gap. */
void csp_figures_place_runs(csp_dataset *ds);

#endif
