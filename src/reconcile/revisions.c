/*
 * csppack: what changed since the previous pack (reconcile/revisions.h,
 * doc/reconciliation.md, "What changed since the last pack").
 *
 * The previous pack's figures and the dataset's are both sorted by key
 * (indicator id, area id, period), so one merge walk finds every key
 * that stood then and its figure now, in the figures' order.
 */
#include "csppack/reconcile/revisions.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/figures.h"

/* Does a figure now differ from what stood then (see the header)? */
bool csp_revisions_differ(const csp_figure *fig, const csp_prev_figure *old)
{
    if (!fig || fig->state == CSP_FIGURE_NONE)
        return true;
    bool disputed = fig->state == CSP_FIGURE_DISPUTED;
    if (disputed || old->disputed)
        return disputed != old->disputed;
    if (fig->status != old->status || fig->has_value != old->has_value)
        return true;
    return fig->has_value && csp_decimal_cmp(fig->value, old->value) != 0;
}

/* The key order of a previous figure against a figure now. */
static int cmp_prev(const csp_prev_figure *p, const csp_figure *f)
{
    return csp_figures_cmp_key(p->indicator, p->area, p->period,
                               f->indicator, f->area, f->period);
}

/* Every key that stood in the previous pack and is revised now. */
static csp_error find_revisions(csp_dataset *ds)
{
    const csp_previous *prev = ds->previous;
    size_t n = 0, f = 0;

    if (!prev->nfigures)
        return CSP_OK;
    if (!(ds->revisions = csp_calloc(prev->nfigures, sizeof *ds->revisions)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < prev->nfigures; i++) {
        const csp_prev_figure *old = &prev->figures[i];
        int c = 1;
        while (f < ds->nfigures && (c = cmp_prev(old, &ds->figures[f])) > 0)
            f++;
        const csp_figure *now = c == 0 ? &ds->figures[f] : NULL;
        if (!csp_revisions_differ(now, old))
            continue;
        if (now && now->state == CSP_FIGURE_NONE)
            now = NULL;
        ds->revisions[n++] = (csp_revision){.indicator = old->indicator,
                                            .area = old->area,
                                            .period = old->period,
                                            .figure = now,
                                            .old = old};
    }
    ds->nrevisions = n;
    if (n == 0) {
        free(ds->revisions);
        ds->revisions = NULL;
    }
    return CSP_OK;
}

/* Every item whose status is not what it was in the previous pack. */
static csp_error find_status_changes(csp_dataset *ds)
{
    const csp_previous *prev = ds->previous;
    size_t n = 0, p = 0;

    if (!ds->nactions || !prev->nactions)
        return CSP_OK;
    if (!(ds->status_changes =
              csp_calloc(ds->nactions, sizeof *ds->status_changes)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nactions; i++) {
        const csp_dataset_action *it = &ds->actions[i];
        /* Both are in template order: look on from the last one found,
         * then from the start (an item the previous pack did not have is
         * no change). */
        const csp_prev_action *old = NULL;
        for (size_t k = 0; k < prev->nactions && !old; k++) {
            size_t j = (p + k) % prev->nactions;
            if (prev->actions[j].ref == it->ref) {
                old = &prev->actions[j];
                p = j + 1;
            }
        }
        if (!old)
            continue;
        bool has = it->current != CSP_NO_INDEX && it->current < it->nupdates;
        if (has == old->has_status &&
            (!has || it->updates[it->current].status == old->status))
            continue;
        ds->status_changes[n++] = (csp_status_change){.item = it, .old = old};
    }
    ds->nstatus_changes = n;
    if (n == 0) {
        free(ds->status_changes);
        ds->status_changes = NULL;
    }
    return CSP_OK;
}

/* qsort order of strings. */
static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether the run reads exactly the files the previous pack was built
 * from (by SHA-256, each once): then it is that pack built again. */
static csp_error same_inputs(const csp_dataset *ds, const csp_previous *p,
                             bool *same)
{
    *same = false;
    const char **sha = csp_calloc(ds->nfiles ? ds->nfiles : 1, sizeof *sha);
    size_t n = 0;
    if (!sha)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].sha256 && *ds->files[i].sha256)
            sha[n++] = ds->files[i].sha256;
    qsort(sha, n, sizeof *sha, cmp_text);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || strcmp(sha[u - 1], sha[i]) != 0)
            sha[u++] = sha[i];
    /* A pack built from no file at all is no pack to build again. */
    *same = u > 0 && u == p->ninputs;
    for (size_t i = 0; *same && i < u; i++)
        *same = strcmp(sha[i], p->inputs[i]) == 0;
    free(sha);
    return CSP_OK;
}

/* The revisions and status changes since the previous pack. */
csp_error csp_revisions_compute(csp_dataset *ds)
{
    csp_error err;
    bool same, compared;

    if (!ds || !ds->previous)
        return CSP_OK;
    /* Built again from the same files: compare with what that pack was
     * compared with, so that it lists the same revisions, not none. */
    if ((err = same_inputs(ds, ds->previous, &same)))
        return err;
    if (same) {
        if ((err = csp_previous_rewind(ds->previous, &compared)))
            return err;
        if (!compared) {
            csp_previous_free(ds->previous);
            ds->previous = NULL;
            return CSP_OK;
        }
    }
    if ((err = find_revisions(ds)))
        return err;
    return find_status_changes(ds);
}
