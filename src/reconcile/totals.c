/*
 * csppack: derived totals (reconcile/totals.h).  A template may ask for
 * a parent area's and the partnership's figures to be worked out from
 * the areas when no partner sends them (<indicator totals="derived">,
 * doc/reconciliation.md "Derived totals"); the sum is exact.
 */
#include "csppack/reconcile/totals.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/figures.h"
#include "csppack/reconcile/fold.h"

/* Record the evaluation of a computed figure's rule. */
csp_error csp_totals_keep_rule(csp_dataset *ds, csp_figure *fig,
                               csp_rule_kind kind, csp_ratio exact,
                               int64_t population)
{
    csp_error err;

    if (fig->rule_index == CSP_NO_INDEX32) {
        if (ds->nrules >= CSP_NO_INDEX32)
            return CSP_ERR_LIMIT;
        if ((err = csp_fold_grow(&ds->rules, &ds->rules_cap, ds->nrules,
                                 sizeof *ds->rules, 64)))
            return err;
        fig->rule_index = (uint32_t)ds->nrules++;
    }
    csp_figure_rule *r = &ds->rules[fig->rule_index];
    memset(r, 0, sizeof *r);
    r->exact = exact;
    r->population = population;
    r->kind = kind;
    return CSP_OK;
}

/* Make @p fig a figure csppack worked out. */
void csp_totals_stand(csp_figure *fig, csp_decimal value,
                      csp_obs_status status)
{
    fig->state = CSP_FIGURE_STANDS;
    fig->has_value = true;
    fig->value = value;
    fig->status = status;
    fig->computed = true;
    fig->agency = CSP_AGENCY_CSPPACK;
    fig->file = CSP_NO_INDEX32;
    fig->line = 0;
    fig->has_submitted = false;
    fig->note = NULL;
    fig->claim = CSP_NO_INDEX32;
}

/* The areas directly inside @p area, or the top-level ones for "all". */
size_t csp_totals_children(const csp_template *tpl, const char *area,
                           size_t *out, size_t max)
{
    bool all = strcmp(area, CSP_AREA_ALL) == 0;
    size_t n = 0;

    for (size_t i = 0; i < tpl->nareas; i++) {
        const char *p = tpl->areas[i].parent;
        if (all ? p != NULL : !p || strcmp(p, area) != 0)
            continue;
        if (out && n < max)
            out[n] = i;
        n++;
    }
    return n;
}

/* The sum of the standing figures of @p ind_index in @p kids for
 * @p period into *sum, with the status they give it; false when one
 * has none or the sum does not fit. */
static bool sum_children(const csp_dataset *ds, size_t ind_index,
                         const size_t *kids, size_t nkids, csp_period period,
                         csp_decimal *sum, csp_obs_status *status)
{
    csp_fig_range all = {0, ds->nfigures};

    *sum = (csp_decimal){0, 0};
    *status = CSP_OBS_FINAL;
    for (size_t k = 0; k < nkids; k++) {
        const csp_figure *f = csp_figures_standing(
            ds, all, ind_index, ds->tpl->areas[kids[k]].id, period);
        if (!f || csp_decimal_add(*sum, f->value, sum) != CSP_OK)
            return false;
        if (f->status == CSP_OBS_ESTIMATED)
            *status = CSP_OBS_ESTIMATED;
        else if (f->status == CSP_OBS_PROVISIONAL &&
                 *status == CSP_OBS_FINAL)
            *status = CSP_OBS_PROVISIONAL;
    }
    return nkids > 0;
}

/* Make @p fig the derived total @p sum (a "missing" claim agrees). */
static csp_error stand_total(csp_dataset *ds, csp_figure *fig, csp_decimal sum,
                             csp_obs_status status)
{
    csp_ratio exact = {sum.units, 1};

    for (unsigned i = 0; i < sum.scale; i++)
        exact.den *= 10;
    if (fig->claim != CSP_NO_INDEX32)
        csp_figures_claims(ds, fig)[fig->claim].role = CSP_CLAIM_AGREES;
    csp_totals_stand(fig, sum, status);
    return csp_totals_keep_rule(ds, fig, CSP_RULE_AREAS, exact, 0);
}

/* Growing list of the new figures of one level. */
typedef struct added_figs {
    csp_figure *items;
    size_t n, cap;
} added_figs;

/* Derive the totals of one parent (@p area: an area id or "all") into
 * @p added or in place. */
static csp_error derive_parent(csp_dataset *ds, size_t ind_index,
                               const char *area, added_figs *added)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    size_t nkids = csp_totals_children(tpl, area, NULL, 0), first, count;
    size_t *kids = NULL;

    if (nkids == 0)
        goto out;
    if (!(kids = csp_calloc(nkids, sizeof *kids))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_totals_children(tpl, area, kids, nkids);
    /* The periods: every one the first child has a figure for. */
    csp_dataset_series(ds, tpl->indicators[ind_index].id,
                       tpl->areas[kids[0]].id, &first, &count);
    for (size_t i = first; i < first + count; i++) {
        csp_period period = ds->figures[i].period;
        csp_decimal sum;
        csp_obs_status status;
        size_t at = csp_figures_find_at(ds, ind_index, area, period);
        if (at != CSP_NO_INDEX) {
            csp_figure *f = &ds->figures[at];
            if (f->state == CSP_FIGURE_DISPUTED ||
                (f->state == CSP_FIGURE_STANDS && f->has_value))
                continue;
        }
        if (!sum_children(ds, ind_index, kids, nkids, period, &sum, &status))
            continue;
        if (at != CSP_NO_INDEX) {
            if ((err = stand_total(ds, &ds->figures[at], sum, status)))
                goto out;
            continue;
        }
        if ((err = csp_fold_grow(&added->items, &added->cap, added->n,
                                 sizeof *added->items, 16)))
            goto out;
        csp_figure *nf = &added->items[added->n++];
        /* area is the template's string, or the constant "all", as
         * folding makes the keys. */
        csp_figures_init(nf, tpl, ind_index, area, period);
        if ((err = stand_total(ds, nf, sum, status)))
            goto out;
    }
out:
    free(kids);
    return err;
}

/* Append the new figures of one level and put the figures back in order. */
static csp_error append(csp_dataset *ds, added_figs *added)
{
    if (added->n == 0)
        return CSP_OK;
    csp_figure *p =
        csp_realloc(ds->figures, (ds->nfigures + added->n) * sizeof *p);
    if (!p)
        return CSP_ERR_NOMEM;
    ds->figures = p;
    memcpy(ds->figures + ds->nfigures, added->items,
           added->n * sizeof *added->items);
    ds->nfigures += added->n;
    added->n = 0;
    qsort(ds->figures, ds->nfigures, sizeof *ds->figures, csp_figures_cmp);
    return CSP_OK;
}

/* Derived totals of one indicator: the deepest parents first, so that a
 * district worked out from its wards counts towards "all". */
csp_error csp_totals_derive(csp_dataset *ds, size_t ind_index)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    const csp_indicator *ind = &tpl->indicators[ind_index];
    added_figs added = {NULL, 0, 0};
    unsigned deepest = 0;

    if (!ind->derive_totals || tpl->nareas == 0)
        goto out;
    for (size_t i = 0; i < tpl->nareas; i++)
        if (tpl->areas[i].depth > deepest)
            deepest = tpl->areas[i].depth;
    /* Parents at depth d have children at d + 1; "all" comes last. */
    for (unsigned d = deepest; d-- > 0;) {
        for (size_t i = 0; i < tpl->nareas; i++) {
            if (tpl->areas[i].depth != d)
                continue;
            if ((err = derive_parent(ds, ind_index, tpl->areas[i].id,
                                     &added)))
                goto out;
        }
        if ((err = append(ds, &added)))
            goto out;
    }
    if ((err = derive_parent(ds, ind_index, CSP_AREA_ALL, &added)) ||
        (err = append(ds, &added)))
        goto out;
out:
    free(added.items);
    return err;
}
