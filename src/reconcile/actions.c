/*
 * csppack: the action plan's items (reconcile/actions.h): each item's
 * history in order, the update that decides its status at each as-of,
 * and its current updates (one per agency at the latest as-of; W408 when
 * their statuses differ).
 */
#include "csppack/reconcile/actions.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/reconcile/explain.h"

/* Order updates: as-of, submitted, agency, file, line. */
static int cmp_update(const void *pa, const void *pb)
{
    const csp_dataset_update *a = pa, *b = pb;
    int c;

    if (a->as_of != b->as_of)
        return a->as_of < b->as_of ? -1 : 1;
    if ((c = csp_instant_cmp(a->submitted, b->submitted)))
        return c;
    if ((c = csp_nstrcmp(a->agency, b->agency)))
        return c;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* Is update b a better pick than a (same as-of, same status)? */
static bool better_update(const csp_dataset_update *b,
                          const csp_dataset_update *a)
{
    int c = csp_instant_cmp(a->submitted, b->submitted);
    if (c)
        return c < 0;
    if ((c = csp_nstrcmp(a->agency, b->agency)))
        return c > 0;
    if (a->file != b->file)
        return b->file < a->file;
    return b->line < a->line;
}

/* Report a status tie on item it among candidate updates cand[0..n). */
static csp_error report_tie(csp_dataset *ds, csp_dataset_action *it,
                            const size_t *cand, size_t n)
{
    csp_error err = CSP_OK;
    char *values = NULL, *msg = NULL;
    char d[CSP_DATE_BUFSZ];
    csp_strvec sv = {0};
    csp_strbuf sb;
    const csp_dataset_update *cur = &it->updates[it->current];

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    csp_date_format(cur->as_of, d);
    if ((err = csp_strbuf_printf(&sb, "action %s has updates as of %s with "
                                      "different statuses: ",
                                 it->ref, d)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        if ((err = csp_strbuf_printf(
                 &sb, "%s%s %s (%s:%lu)",
                 i == 0 ? "" : (i + 1 == n ? " and " : ", "),
                 csp_explain_agency(ds, u->agency),
                 csp_action_status_str(u->status),
                 csp_explain_file(ds, u->file), (unsigned long)u->line)) ||
            (err = csp_strvec_push_pair(&sv, u->agency,
                                        csp_action_status_str(u->status))))
            goto out;
    }
    if ((err = csp_strbuf_printf(&sb, "; the most severe, %s, is shown",
                                 csp_action_status_str(cur->status))))
        goto out;
    if (!(msg = csp_strbuf_take(&sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_strvec_join(&sv, &values)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        csp_diag proto = {0};
        proto.code = CSP_D_STATUS_TIE;
        proto.file = (char *)ds->files[u->file].path;
        proto.line = u->line;
        proto.agency = (char *)u->agency;
        proto.ref = (char *)it->ref;
        if ((err = csp_explain_add(&ds->diags, &proto, values, msg)))
            goto out;
    }
out:
    csp_strbuf_free(&sb);
    csp_strvec_free(&sv);
    free(values);
    free(msg);
    return err;
}

/* Order the updates at one as-of so that each agency's current one
 * leads its run: agency, latest submitted, most severe,
 * file, line. */
static int cmp_agency_update(const void *pa, const void *pb)
{
    const csp_dataset_update *a = *(const csp_dataset_update *const *)pa;
    const csp_dataset_update *b = *(const csp_dataset_update *const *)pb;
    int c;

    if ((c = csp_nstrcmp(a->agency, b->agency)))
        return c;
    if ((c = csp_instant_cmp(b->submitted, a->submitted)))
        return c;
    if (a->status != b->status)
        return a->status > b->status ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/*
 * The one rule that decides an item's status at one as-of, applied to
 * the updates [first, end) of @p it, which share it: each agency's
 * latest submission there is a candidate (and, of one agency's updates
 * submitted at that instant, the most severe, then file, line, is that
 * agency's current one); the most severe candidate decides, then the one
 * submitted last, then the agency id that sorts first; candidates with
 * different statuses are a tie.  Marks the update that decides (decides,
 * tie), which csp_dataset_action_current_by reads for a date.  At the
 * item's latest as-of (@p latest) also marks each agency's current
 * update, sets it->current, ncurrent and tie, and reports W408.
 *
 * Sorted, not compared pairwise: one agency may have sent thousands of
 * files.  @p pick, @p is_cand and @p cand have room for end - first.
 */
static csp_error decide_run(csp_dataset *ds, csp_dataset_action *it,
                            size_t first, size_t end, bool latest,
                            csp_dataset_update **pick, bool *is_cand,
                            size_t *cand)
{
    size_t m = end - first, ncand = 0;
    bool tie = false;

    for (size_t i = 0; i < m; i++) {
        pick[i] = &it->updates[first + i];
        is_cand[i] = false;
    }
    qsort(pick, m, sizeof *pick, cmp_agency_update);
    for (size_t i = 0, lead = 0; i < m; i++) {
        if (i == 0 || !csp_nstreq(pick[i - 1]->agency, pick[i]->agency)) {
            lead = i;
            if (latest) {
                pick[i]->current = true;
                it->ncurrent++;
            }
        }
        if (csp_instant_cmp(pick[i]->submitted, pick[lead]->submitted) == 0)
            is_cand[pick[i] - it->updates - first] = true;
    }
    /* The candidates in history order, as W408 lists them. */
    for (size_t i = 0; i < m; i++)
        if (is_cand[i])
            cand[ncand++] = first + i;
    size_t best = cand[0];
    for (size_t i = 1; i < ncand; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        const csp_dataset_update *b = &it->updates[best];
        if (u->status != b->status)
            tie = true;
        if (u->status > b->status ||
            (u->status == b->status && better_update(u, b)))
            best = cand[i];
    }
    it->updates[best].decides = true;
    it->updates[best].tie = tie;
    if (!latest)
        return CSP_OK;
    /* best leads its agency's run (same order within one agency), so it
     * is current already. */
    it->current = best;
    it->tie = tie;
    return tie ? report_tie(ds, it, cand, ncand) : CSP_OK;
}

/* The updates that decide the item's status at each of its as-of dates,
 * and its current ones (decide_run). */
static csp_error choose_current(csp_dataset *ds, csp_dataset_action *it)
{
    csp_error err = CSP_OK;
    size_t n = it->nupdates;
    size_t *cand = NULL;
    csp_dataset_update **pick = NULL;
    bool *is_cand = NULL;

    it->current = CSP_NO_INDEX;
    it->ncurrent = 0;
    if (n == 0)
        goto out;
    cand = csp_malloc(n * sizeof *cand);
    pick = csp_malloc(n * sizeof *pick);
    is_cand = csp_malloc(n * sizeof *is_cand);
    if (!cand || !pick || !is_cand) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t first = 0, end; first < n; first = end) {
        end = first + 1;
        while (end < n && it->updates[end].as_of == it->updates[first].as_of)
            end++;
        if ((err = decide_run(ds, it, first, end, end == n, pick, is_cand,
                              cand)))
            goto out;
    }
out:
    free(cand);
    free(pick);
    free(is_cand);
    return err;
}

/* Give each item's updates the files' sorted indexes (where, by holder),
 * sort them into history order and choose the current one. */
csp_error csp_actions_finish(csp_dataset *ds, const size_t *where)
{
    csp_error err = CSP_OK;

    for (size_t k = 0; k < ds->nactions; k++) {
        csp_dataset_action *it = &ds->actions[k];
        for (size_t i = 0; i < it->nupdates; i++)
            it->updates[i].file = (uint32_t)where[it->updates[i].file];
        if (it->nupdates > 1)
            qsort(it->updates, it->nupdates, sizeof *it->updates, cmp_update);
        if ((err = choose_current(ds, it)))
            goto out;
    }
out:
    return err;
}
