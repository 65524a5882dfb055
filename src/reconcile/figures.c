/*
 * csppack: which figure stands for each key (reconcile/figures.h):
 * supersession, withdrawal and conflict within each agency, then owner,
 * non-owner and dispute across agencies (I403, E404, W405, E407), and the
 * owners' gaps (W406); and finding a figure by its key.
 */
#include "csppack/reconcile/figures.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/explain.h"

/* The claims of fig, for reconcile to change; NULL when it has none. */
csp_claim *csp_figures_claims(const csp_dataset *ds, const csp_figure *fig)
{
    return fig->nclaims ? ds->claims + fig->first_claim : NULL;
}

/* Order keys: indicator id, area id, period.  (One string is one id: the
 * figures' ids are the template's strings.) */
int csp_figures_cmp_key(const char *ia, const char *aa, csp_period pa,
                   const char *ib, const char *ab, csp_period pb)
{
    int c;
    if (ia != ib && (c = strcmp(ia, ib)))
        return c;
    if (aa != ab && (c = strcmp(aa, ab)))
        return c;
    return csp_period_cmp(pa, pb);
}

/* qsort comparator for figures. */
int csp_figures_cmp(const void *pa, const void *pb)
{
    const csp_figure *a = pa, *b = pb;
    return csp_figures_cmp_key(a->indicator, a->area, a->period, b->indicator,
                            b->area, b->period);
}

/* A figure with its key set and nothing standing. */
void csp_figures_init(csp_figure *fig, const csp_template *tpl,
                        size_t indicator_index, const char *area,
                        csp_period period)
{
    memset(fig, 0, sizeof *fig);
    fig->indicator = tpl->indicators[indicator_index].id;
    /* A template's indicators are far fewer than 2^32: each is an element
     * of a file read whole. */
    fig->indicator_index = (uint32_t)indicator_index;
    fig->area = area;
    fig->period = period;
    fig->state = CSP_FIGURE_NONE;
    fig->file = CSP_NO_INDEX32;
    fig->claim = CSP_NO_INDEX32;
    fig->rule_index = CSP_NO_INDEX32;
}

/* An indicator id and its index, to rank them. */
typedef struct id_at {
    const char *id;
    size_t at;
} id_at;

/* By id. */
static int cmp_id_at(const void *pa, const void *pb)
{
    return strcmp(((const id_at *)pa)->id, ((const id_at *)pb)->id);
}

/* ds->ind_rank: the template's indicators in the order of their ids, the
 * order of the figures, so that a search compares numbers, not ids. */
csp_error csp_figures_rank(csp_dataset *ds)
{
    const csp_template *tpl = ds->tpl;
    size_t n = tpl->nindicators;
    id_at *order = csp_malloc((n ? n : 1) * sizeof *order);
    uint32_t *rank = csp_malloc((n ? n : 1) * sizeof *rank);

    if (!order || !rank) {
        free(order);
        free(rank);
        return CSP_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (id_at){tpl->indicators[i].id, i};
    if (n > 1)
        qsort(order, n, sizeof *order, cmp_id_at);
    for (size_t i = 0; i < n; i++)
        rank[order[i].at] = (uint32_t)i;
    free(order);
    free(ds->ind_rank);
    ds->ind_rank = rank;
    return CSP_OK;
}

/* Make claim ci of fig the standing figure. */
static void stand(csp_dataset *ds, csp_figure *fig, size_t ci)
{
    csp_claim *cl = csp_figures_claims(ds, fig);
    const csp_claim *c = &cl[ci];

    cl[ci].role = CSP_CLAIM_STANDS;
    fig->state = CSP_FIGURE_STANDS;
    fig->has_value = c->has_value;
    fig->value = c->value;
    fig->status = c->status;
    fig->computed = false;
    fig->agency = c->agency;
    fig->file = c->file;
    fig->line = c->line;
    fig->has_submitted = true;
    fig->submitted = c->submitted;
    fig->note = c->note;
    fig->claim = (uint32_t)ci;
}

/* Two claims of one agency and instant say the same thing. */
static bool claims_agree(const csp_claim *a, const csp_claim *b)
{
    if (a->status != b->status || a->has_value != b->has_value)
        return false;
    return !a->has_value || csp_decimal_cmp(a->value, b->value) == 0;
}

/* Is b a better pick than a among claims that agree: more precise, later,
 * agency first, file first, line first.  Claims without a value lose. */
static bool better_claim(const csp_claim *b, const csp_claim *a)
{
    int c;

    if (a->has_value != b->has_value)
        return b->has_value;
    if (a->has_value && a->value.scale != b->value.scale)
        return b->value.scale > a->value.scale;
    if ((c = csp_instant_cmp(a->submitted, b->submitted)))
        return c < 0;
    if ((c = csp_nstrcmp(a->agency, b->agency)))
        return c > 0;
    if (a->file != b->file)
        return b->file < a->file;
    return b->line < a->line;
}

/* A claim index with its agency, for grouping a key's claims by agency. */
typedef struct agency_claim {
    const char *agency;
    size_t index;
} agency_claim;

/* Order by agency, then by the (chronological) claim index. */
static int cmp_agency_claim(const void *pa, const void *pb)
{
    const agency_claim *a = pa, *b = pb;
    int c = csp_nstrcmp(a->agency, b->agency);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Report a withdrawal (I403). */
static csp_error report_withdrawn(csp_dataset *ds, csp_figure *fig, size_t ci)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = csp_figures_claims(ds, fig);
    const csp_claim *c = &cl[ci];
    char *values = NULL;
    char key[512], w[512], msg[2048];

    csp_explain_key(fig, key, sizeof key);
    csp_explain_where(ds, c, w, sizeof w);
    snprintf(msg, sizeof msg,
             "%s withdrew its %s in %s; no figure from %s is used for it",
             csp_explain_agency(ds, c->agency), key, w,
             csp_explain_agency(ds, c->agency));
    if ((err = csp_explain_claims_values(cl, &ci, 1, &values)))
        goto out;
    csp_diag proto = csp_explain_proto(ds, fig, c, CSP_D_WITHDRAWN);
    err = csp_explain_add(&ds->diags, &proto, values, msg);
out:
    free(values);
    return err;
}

/* Give the claims idx[0..n) of fig @p role and the diagnostic @p code,
 * with the message built in @p sb (taken) and their values: each claim
 * its own, or with @p once the first claim one for them all. */
static csp_error flag_claims(csp_dataset *ds, csp_figure *fig,
                             const size_t *idx, size_t n, csp_claim_role role,
                             csp_diag_code code, bool once, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    csp_claim *cl = csp_figures_claims(ds, fig);
    char *values = NULL, *msg = NULL;

    if (!(msg = csp_strbuf_take(sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_explain_claims_values(cl, idx, n, &values)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        csp_claim *c = &cl[idx[i]];
        c->role = role;
        if (once && i > 0)
            continue;
        csp_diag proto = csp_explain_proto(ds, fig, c, code);
        if ((err = csp_explain_add(&ds->diags, &proto, values, msg)))
            goto out;
    }
out:
    free(values);
    free(msg);
    return err;
}

/* Report the claims idx[0..n) of one agency and instant as a conflict. */
static csp_error report_conflict(csp_dataset *ds, csp_figure *fig,
                                 const size_t *idx, size_t n)
{
    csp_error err = CSP_OK;
    char key[512], when[CSP_INSTANT_BUFSZ];
    csp_strbuf sb;
    const csp_claim *first = &csp_figures_claims(ds, fig)[idx[0]];

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    csp_explain_key(fig, key, sizeof key);
    csp_instant_format(first->submitted, when);
    if ((err = csp_strbuf_printf(&sb,
                                 "%s sent different figures for %s "
                                 "with the same submitted time %s: ",
                                 csp_explain_agency(ds, first->agency), key,
                                 when)) ||
        (err = csp_explain_claims_list(ds, fig, idx, n, &sb)) ||
        (err = csp_strbuf_printf(&sb, "; none of them is used; please send "
                                      "one corrected submission with a later "
                                      "submitted time")))
        goto out;
    err = flag_claims(ds, fig, idx, n, CSP_CLAIM_CONFLICT, CSP_D_CONFLICT, true,
                      &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Report non-owner claim ci as differing from the owner's claim oi (W405). */
static csp_error report_differs(csp_dataset *ds, csp_figure *fig, size_t ci,
                                size_t oi)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = csp_figures_claims(ds, fig);
    const csp_claim *c = &cl[ci], *o = &cl[oi];
    char *values = NULL;
    char key[512], wc[512], wo[512], msg[2048];
    char vc[CSP_DECIMAL_BUFSZ + 32], vo[CSP_DECIMAL_BUFSZ + 32];
    size_t pair[2] = {ci, oi};

    csp_explain_key(fig, key, sizeof key);
    csp_explain_where(ds, c, wc, sizeof wc);
    csp_explain_where(ds, o, wo, sizeof wo);
    csp_explain_claim_value(c, vc, sizeof vc);
    csp_explain_claim_value(o, vo, sizeof vo);
    snprintf(msg, sizeof msg,
             "%s's %s is %s (%s), but %s, which owns this figure, reports "
             "%s (%s); %s's figure is used",
             csp_explain_agency(ds, c->agency), key, vc, wc,
             csp_explain_agency(ds, o->agency), vo, wo,
             csp_explain_agency(ds, o->agency));
    if ((err = csp_explain_claims_values(cl, pair, 2, &values)))
        goto out;
    csp_diag proto = csp_explain_proto(ds, fig, c, CSP_D_NON_OWNER_DIFFERS);
    err = csp_explain_add(&ds->diags, &proto, values, msg);
out:
    free(values);
    return err;
}

/* Report the key as disputed among claims eff[0..n) (E407 on each). */
static csp_error report_disputed(csp_dataset *ds, csp_figure *fig,
                                 const size_t *eff, size_t n,
                                 const char *owner)
{
    csp_error err = CSP_OK;
    char key[512];
    csp_strbuf sb;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    csp_explain_key(fig, key, sizeof key);
    if (owner)
        err = csp_strbuf_printf(&sb, "%s is disputed: %s, which owns it, sent "
                                     "no figure, and the figures sent do not "
                                     "agree: ",
                                key, csp_explain_agency(ds, owner));
    else
        err = csp_strbuf_printf(&sb, "%s is disputed: it has no owner and the "
                                     "figures sent do not agree: ",
                                key);
    if (err || (err = csp_explain_claims_list(ds, fig, eff, n, &sb)) ||
        (err = csp_strbuf_printf(&sb, "; no value is used until the partners "
                                      "agree one")))
        goto out;
    err = flag_claims(ds, fig, eff, n, CSP_CLAIM_DISPUTED, CSP_D_DISPUTED,
                      false, &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/*
 * Rule 1 for one agency's claims idx[0..n): withdrawal and conflict.  They
 * share one submitted instant (the earlier ones were superseded as the
 * files were added).  Sets *eff to the claim the agency stands by, or
 * CSP_NO_INDEX.
 */
static csp_error resolve_agency(csp_dataset *ds, csp_figure *fig,
                                const size_t *idx, size_t n, size_t *eff)
{
    csp_error err = CSP_OK;
    csp_claim *cl = csp_figures_claims(ds, fig);
    size_t best = idx[0];
    bool agree = true;

    *eff = CSP_NO_INDEX;
    for (size_t i = 1; i < n; i++) {
        if (!claims_agree(&cl[idx[0]], &cl[idx[i]]))
            agree = false;
        if (better_claim(&cl[idx[i]], &cl[best]))
            best = idx[i];
    }
    if (!agree) {
        err = report_conflict(ds, fig, idx, n);
        goto out;
    }
    if (cl[best].status == CSP_OBS_WITHDRAWN) {
        for (size_t i = 0; i < n; i++) {
            cl[idx[i]].role = CSP_CLAIM_WITHDRAWN;
            if ((err = report_withdrawn(ds, fig, idx[i])))
                goto out;
        }
        goto out;
    }
    /* Same-agency, same-instant repeats of the same figure stay AGREES. */
    *eff = best;
out:
    return err;
}

/* True when every valued claim of cl[eff[0..n)] is consistent with every
 * other. */
static bool all_consistent(const csp_claim *cl, const size_t *eff, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const csp_claim *a = &cl[eff[i]];
        if (!a->has_value)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            const csp_claim *b = &cl[eff[j]];
            if (b->has_value && !csp_decimal_consistent(a->value, b->value))
                return false;
        }
    }
    return true;
}

/* A same-agency, same-instant repeat of an effective claim shares its fate
 * when that is "differs" or "disputed". */
static void propagate_repeats(const csp_dataset *ds, const csp_figure *fig,
                              const size_t *eff, size_t neff)
{
    csp_claim *cl = csp_figures_claims(ds, fig);

    for (size_t i = 0; i < neff; i++) {
        const csp_claim *e = &cl[eff[i]];
        if (e->role != CSP_CLAIM_DIFFERS && e->role != CSP_CLAIM_DISPUTED)
            continue;
        for (size_t k = 0; k < fig->nclaims; k++) {
            csp_claim *c = &cl[k];
            if (k != eff[i] && c->role == CSP_CLAIM_AGREES &&
                csp_nstreq(c->agency, e->agency) &&
                csp_instant_cmp(c->submitted, e->submitted) == 0)
                c->role = e->role;
        }
    }
}

/* Rules 1-4 for one key. */
csp_error csp_figures_resolve(csp_dataset *ds, csp_figure *fig)
{
    csp_error err = CSP_OK;
    size_t n = fig->nclaims, neff = 0;
    agency_claim *ac = NULL;
    size_t *order = NULL, *eff = NULL;
    const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
    const char *owner = csp_indicator_owner(ind, fig->area);
    size_t owner_claim = CSP_NO_INDEX;
    csp_claim *cl = csp_figures_claims(ds, fig);

    ac = csp_malloc(n * sizeof *ac);
    order = csp_malloc(n * sizeof *order);
    eff = csp_malloc(n * sizeof *eff);
    if (!ac || !order || !eff) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ac[i].agency = cl[i].agency;
        ac[i].index = i;
    }
    qsort(ac, n, sizeof *ac, cmp_agency_claim);
    for (size_t i = 0; i < n; i++)
        order[i] = ac[i].index;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, e;
        while (j < n && csp_nstreq(cl[order[i]].agency,
                               cl[order[j]].agency))
            j++;
        if ((err = resolve_agency(ds, fig, order + i, j - i, &e)))
            goto out;
        if (e != CSP_NO_INDEX) {
            eff[neff++] = e;
            if (owner && csp_nstreq(cl[e].agency, owner))
                owner_claim = e;
        }
        i = j;
    }
    if (neff == 0)
        goto out;  /* nothing stands: CSP_FIGURE_NONE */
    if (owner_claim != CSP_NO_INDEX) {
        /* Rule 3: the owner's figure stands. */
        const csp_claim *o = &cl[owner_claim];
        stand(ds, fig, owner_claim);
        for (size_t i = 0; i < neff; i++) {
            const csp_claim *c = &cl[eff[i]];
            if (eff[i] == owner_claim)
                continue;
            bool differs = c->has_value &&
                           (!o->has_value ||
                            !csp_decimal_consistent(c->value, o->value));
            if (differs) {
                cl[eff[i]].role = CSP_CLAIM_DIFFERS;
                if ((err = report_differs(ds, fig, eff[i], owner_claim)))
                    goto out;
            }
        }
        goto out;
    }
    if (!all_consistent(cl, eff, neff)) {
        /* Rule 4: disputed; no value stands. */
        fig->state = CSP_FIGURE_DISPUTED;
        err = report_disputed(ds, fig, eff, neff, owner);
        goto out;
    }
    /* Consistent: the most precise stands (then latest, then agency). */
    size_t best = eff[0];
    for (size_t i = 1; i < neff; i++)
        if (better_claim(&cl[eff[i]], &cl[best]))
            best = eff[i];
    /* W406 is reported after the template rules, once it is known that
     * this claim still stands (csp_figures_owner_gaps). */
    stand(ds, fig, best);
out:
    if (!err && eff)
        propagate_repeats(ds, fig, eff, neff);
    free(ac);
    free(order);
    free(eff);
    return err;
}


/* csp_figures_find_at, when the figure can only be in @p in. */
size_t csp_figures_find_in(const csp_dataset *ds, csp_fig_range in, size_t ind,
                             const char *area, csp_period period)
{
    const uint32_t *rank = ds->ind_rank;
    size_t lo = in.lo, hi = in.hi;

    if (ind >= ds->tpl->nindicators)
        return CSP_NO_INDEX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const csp_figure *f = &ds->figures[mid];
        uint32_t r = rank[f->indicator_index];
        int c = r != rank[ind]
                    ? (r < rank[ind] ? -1 : 1)
                    : csp_figures_cmp_key(f->indicator, f->area, f->period,
                                       f->indicator, area, period);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return CSP_NO_INDEX;
}

/* Index of the figure for a key, the indicator given by its index in the
 * template, in ds->figures, or CSP_NO_INDEX (as csp_figures_find). */
size_t csp_figures_find_at(const csp_dataset *ds, size_t ind,
                             const char *area, csp_period period)
{
    return csp_figures_find_in(ds, (csp_fig_range){0, ds->nfigures}, ind, area,
                          period);
}

/* Index of the figure for a key in ds->figures, or CSP_NO_INDEX. */
size_t csp_figures_find(const csp_dataset *ds, const char *indicator,
                          const char *area, csp_period period)
{
    const csp_indicator *in = csp_template_indicator(ds->tpl, indicator);

    /* Every figure's indicator is one of the template's. */
    if (!in || !ds->nfigures)
        return CSP_NO_INDEX;
    return csp_figures_find_at(ds, (size_t)(in - ds->tpl->indicators), area,
                          period);
}

/* The figure for a key (the indicator by its index), which can only be
 * in @p in, if it stands with a value, else NULL. */
const csp_figure *csp_figures_standing(const csp_dataset *ds, csp_fig_range in,
                                        size_t ind, const char *area,
                                        csp_period period)
{
    size_t i = csp_figures_find_in(ds, in, ind, area, period);

    if (i == CSP_NO_INDEX)
        return NULL;
    const csp_figure *f = &ds->figures[i];
    return f->state == CSP_FIGURE_STANDS && f->has_value ? f : NULL;
}


/* Report that fig's standing claim is not the owner's (W406). */
static csp_error report_not_from_owner(csp_dataset *ds, const csp_figure *fig,
                                       const char *owner)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &csp_figures_claims(ds, fig)[fig->claim];
    char *values = NULL;
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ + 32], msg[2048];
    csp_strvec sv = {0};

    csp_explain_key(fig, key, sizeof key);
    csp_explain_where(ds, c, w, sizeof w);
    csp_explain_claim_value(c, v, sizeof v);
    snprintf(msg, sizeof msg,
             "%s's %s (%s, %s) is used, but %s, which owns this figure, sent "
             "none; please ask %s to confirm it",
             csp_explain_agency(ds, c->agency), key, v, w,
             csp_explain_agency(ds, owner), csp_explain_agency(ds, owner));
    /* The values: every claim that agreed into the standing figure. */
    for (size_t i = 0; i < fig->nclaims; i++) {
        const csp_claim *o = &csp_figures_claims(ds, fig)[i];
        if ((o->role == CSP_CLAIM_STANDS || o->role == CSP_CLAIM_AGREES) &&
            (err = csp_strvec_push_claim(&sv, o)))
            goto out;
    }
    if ((err = csp_strvec_join(&sv, &values)))
        goto out;
    csp_diag proto = csp_explain_proto(ds, fig, c, CSP_D_NOT_FROM_OWNER);
    err = csp_explain_add(&ds->diags, &proto, values, msg);
out:
    csp_strvec_free(&sv);
    free(values);
    return err;
}

/* W406 for every submitted figure that stands although not the owner's. */
csp_error csp_figures_owner_gaps(csp_dataset *ds)
{
    csp_error err = CSP_OK;

    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *fig = &ds->figures[i];
        const char *owner = csp_indicator_owner(
            &ds->tpl->indicators[fig->indicator_index], fig->area);
        if (fig->state != CSP_FIGURE_STANDS || fig->computed ||
            fig->claim == CSP_NO_INDEX32 || !owner ||
            csp_nstreq(fig->agency, owner))
            continue;
        if ((err = report_not_from_owner(ds, fig, owner)))
            goto out;
    }
out:
    return err;
}

/* Give each figure with no claims (computed under a rule) its empty run
 * where it falls among the figures (after the last re-sort), so that the
 * runs of claims follow the figures' order without a gap. */
void csp_figures_place_runs(csp_dataset *ds)
{
    uint32_t next = 0;

    for (size_t i = 0; i < ds->nfigures; i++) {
        csp_figure *fig = &ds->figures[i];
        if (fig->nclaims == 0)
            fig->first_claim = next;
        next = fig->first_claim + fig->nclaims;
    }
}
