/* csppack: returns outstanding, the chase list of a period: what each
 * agency owes under the template and has not sent
 * (doc/reconciliation.md, "Returns outstanding"). */
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/lookup.h"
#include "csppack/reconcile/returns.h"
#include "csppack/reconcile/totals.h"

/* The period @p ind is owed for in the pack of @p period; false when it is
 * not chased (worked out under a rule, or frequency none). */
static bool owed_period(const csp_indicator *ind, csp_period period,
                        csp_period *out)
{
    if (ind->rule != CSP_RULE_NONE || ind->frequency == CSP_FREQ_NONE)
        return false;
    *out = period;
    if (ind->frequency == CSP_FREQ_YEAR_ENDING) {
        int y, m, d;
        csp_date_to_ymd(period.end, &y, &m, &d);
        /* The 12 whole months ending with the period's last month. */
        int first = y * 12 + (m - 1) - 11;
        if (!csp_date_from_ymd(first / 12, first % 12 + 1, 1, &out->start))
            return false;
    }
    return true;
}

/* Whether @p agency owes @p ind in @p area (returns.h). */
bool csp_returns_owes(const csp_template *tpl, const csp_indicator *ind,
                      const char *area, const char *agency)
{
    /* A derived total is worked out from the areas inside it. */
    if (ind->derive_totals && csp_totals_children(tpl, area, NULL, 0) > 0)
        return false;
    if (strcmp(area, CSP_AREA_ALL) != 0) {
        const char *owner = csp_indicator_owner(ind, area);
        return owner && strcmp(owner, agency) == 0;
    }
    for (size_t i = 0; i < ind->nowners; i++)
        if (ind->owners[i].area &&
            strcmp(ind->owners[i].area, CSP_AREA_ALL) == 0 &&
            strcmp(ind->owners[i].agency, agency) == 0)
            return true;
    return false;
}

/* Whether @p agency sent a value for the key; *missing when its latest
 * claim for it says the figure is missing. */
static bool received(const csp_dataset *ds, const csp_indicator *ind,
                     const char *area, csp_period period, const char *agency,
                     bool *missing)
{
    *missing = false;
    const csp_figure *f = csp_dataset_figure(ds, ind->id, area, period);
    if (!f)
        return false;
    const csp_claim *c = csp_dataset_claims(ds, f);
    bool got = false;
    for (uint32_t i = 0; i < f->nclaims; i++) {
        if (strcmp(c[i].agency, agency) != 0)
            continue;
        if (c[i].has_value)
            got = true;
        else if (c[i].status == CSP_OBS_MISSING)
            *missing = true;
    }
    if (got)
        *missing = false;
    return got;
}

/* Add one figure owed to @p a; CSP_ERR_NOMEM. */
static csp_error add_figure(csp_agency_returns *a, csp_owed_figure owed,
                            size_t *cap)
{
    if (a->nfigures == *cap) {
        size_t n = *cap ? *cap * 2 : 8;
        csp_owed_figure *p = csp_realloc(a->figures, n * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        a->figures = p;
        *cap = n;
    }
    a->figures[a->nfigures++] = owed;
    return CSP_OK;
}

/* The figures @p a's agency owes for @p period and has not sent. */
static csp_error chase_figures(const csp_dataset *ds, csp_period period,
                               csp_agency_returns *a)
{
    const csp_template *tpl = ds->tpl;
    const char *agency = a->agency->id;
    size_t cap = 0;
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        csp_period p;
        if (!owed_period(ind, period, &p))
            continue;
        for (size_t k = 0; k <= tpl->nareas; k++) {
            const char *area =
                k < tpl->nareas ? tpl->areas[k].id : CSP_AREA_ALL;
            bool missing;
            if (!csp_returns_owes(tpl, ind, area, agency))
                continue;
            a->figures_due++;
            if (received(ds, ind, area, p, agency, &missing))
                continue;
            csp_owed_figure owed = {.indicator = ind, .area = area,
                                    .period = p, .sent_missing = missing};
            if (add_figure(a, owed, &cap) != CSP_OK)
                return CSP_ERR_NOMEM;
        }
    }
    return CSP_OK;
}

/* Whether item @p it has an update as of @p period's start or later. */
static bool updated(const csp_dataset_action *it, csp_period period)
{
    for (size_t u = 0; u < it->nupdates; u++)
        if (it->updates[u].as_of >= period.start)
            return true;
    return false;
}

/* The action updates @p a's agency owes for @p period and nobody sent. */
static csp_error chase_actions(const csp_dataset *ds, csp_period period,
                               csp_agency_returns *a)
{
    for (size_t i = 0; i < ds->nactions; i++) {
        const csp_dataset_action *it = &ds->actions[i];
        if (!csp_action_coordinated_by(ds->tpl, it->action, a->agency->id))
            continue;
        a->actions_due++;
        if (updated(it, period))
            continue;
        if (!a->actions) {
            a->actions = csp_calloc(ds->nactions, sizeof *a->actions);
            if (!a->actions)
                return CSP_ERR_NOMEM;
        }
        a->actions[a->nactions++].action = it->action;
    }
    return CSP_OK;
}

/* Whether some file of @p ds names @p agency. */
static bool sent_any(const csp_dataset *ds, const char *agency)
{
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].agency && strcmp(ds->files[i].agency, agency) == 0)
            return true;
    return false;
}

csp_error csp_returns_compute(const csp_dataset *ds, csp_period period,
                              csp_returns *out)
{
    const csp_template *tpl = ds->tpl;
    memset(out, 0, sizeof *out);
    out->period = period;
    if (tpl->nagencies == 0)
        return CSP_OK;
    out->agencies = csp_calloc(tpl->nagencies, sizeof *out->agencies);
    if (!out->agencies)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < tpl->nagencies; i++) {
        csp_agency_returns *a = &out->agencies[out->nagencies];
        a->agency = &tpl->agencies[i];
        if (chase_figures(ds, period, a) != CSP_OK ||
            chase_actions(ds, period, a) != CSP_OK) {
            out->nagencies++;
            csp_returns_free(out);
            return CSP_ERR_NOMEM;
        }
        if (a->figures_due == 0 && a->actions_due == 0)
            continue;
        a->sent_nothing = !sent_any(ds, a->agency->id);
        if (a->nfigures || a->nactions)
            out->outstanding++;
        out->nagencies++;
    }
    return CSP_OK;
}

const csp_agency_returns *csp_returns_agency(const csp_returns *r,
                                             const char *agency)
{
    for (size_t i = 0; r && agency && i < r->nagencies; i++)
        if (strcmp(r->agencies[i].agency->id, agency) == 0)
            return &r->agencies[i];
    return NULL;
}

void csp_returns_free(csp_returns *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nagencies; i++) {
        free(r->agencies[i].figures);
        free(r->agencies[i].actions);
    }
    free(r->agencies);
    memset(r, 0, sizeof *r);
}
