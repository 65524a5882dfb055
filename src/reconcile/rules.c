/*
 * csppack: the template's rules and the checks of the totals
 * (reconcile/rules.h): the part that changes with a new strategy.  Sums,
 * rates per 1,000 and shares are evaluated exactly, in dependency order;
 * a submitted figure not within rounding of its rule, or a total its
 * quarters or areas do not add up to, is W409.
 */
#include "csppack/reconcile/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/reconcile/explain.h"
#include "csppack/reconcile/figures.h"
#include "csppack/reconcile/fold.h"
#include "csppack/reconcile/totals.h"

/* How the ratio of a check is shown in a message: this many decimals more
 * than the submitted figure has. */
#define SHOW_EXTRA_DECIMALS 3

/* Powers of ten that fit in 64 bits. */
static const int64_t pow10_tab[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

/* ------------------------------------------------------------------------ */
/* Exact arithmetic                                                          */
/* ------------------------------------------------------------------------ */

/* A decimal as num / 10^scale in 128 bits, at a common larger scale. */
static csp_int128 at_scale(csp_decimal d, unsigned scale)
{
    return (csp_int128)d.units * pow10_tab[scale - d.scale];
}

/* Print r rounded to `decimals` places, prefixed by "about " when that is
 * not its exact value; falls back to "num/den" on overflow. */
static void ratio_text(csp_ratio r, unsigned decimals, char *buf, size_t size)
{
    csp_decimal d;
    char v[CSP_DECIMAL_BUFSZ];
    unsigned k;

    if (decimals > CSP_DECIMAL_MAX_SCALE)
        decimals = CSP_DECIMAL_MAX_SCALE;
    /* The shortest exact form, if there is one within `decimals`. */
    for (k = 0; k <= decimals; k++) {
        csp_int128 n;
        if (__builtin_mul_overflow(r.num, (csp_int128)pow10_tab[k], &n))
            break;
        if (n % r.den == 0 && csp_ratio_round(r, k, &d) == CSP_OK) {
            csp_decimal_format(d, v);
            snprintf(buf, size, "%s", v);
            return;
        }
    }
    if (csp_ratio_round(r, decimals, &d) == CSP_OK) {
        csp_decimal_format(d, v);
        snprintf(buf, size, "about %s", v);
        return;
    }
    snprintf(buf, size, "(too large to show)");
}

/* Percentage change from `from` to `to`, exact, rounded half away from 0. */
csp_error csp_rules_percent_change(csp_decimal from, csp_decimal to,
                                   unsigned decimals, csp_decimal *out)
{
    csp_error err = CSP_OK;
    unsigned s = from.scale > to.scale ? from.scale : to.scale;
    csp_ratio r;

    if (!out || from.units == 0 || s > CSP_DECIMAL_MAX_SCALE) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    /* (to - from) / from * 100 at the common scale; 64-bit values times
     * 10^9 times 100 fit easily in 128 bits. */
    r.num = (at_scale(to, s) - at_scale(from, s)) * 100;
    r.den = at_scale(from, s);
    if (r.den < 0) {
        r.num = -r.num;
        r.den = -r.den;
    }
    err = csp_ratio_round(r, decimals, out);
out:
    return err;
}

/* The index of input @p i of @p ind's rule in the template's indicators
 * (nindicators when there is none). */
static size_t input_at(const csp_template *tpl, const csp_indicator *ind,
                       size_t i)
{
    const csp_indicator *in;

    if (ind->input_index && ind->input_index[i] < tpl->nindicators)
        return ind->input_index[i];
    in = csp_template_indicator(tpl, ind->inputs[i]);
    return in ? (size_t)(in - tpl->indicators) : tpl->nindicators;
}

/* The status a computed figure inherits from its inputs. */
static csp_obs_status inherited_status(const csp_figure *const *in, size_t n)
{
    csp_obs_status st = CSP_OBS_FINAL;

    for (size_t i = 0; i < n; i++) {
        if (in[i]->status == CSP_OBS_ESTIMATED)
            st = CSP_OBS_ESTIMATED;
        else if (in[i]->status == CSP_OBS_PROVISIONAL && st == CSP_OBS_FINAL)
            st = CSP_OBS_PROVISIONAL;
    }
    return st;
}

/* One evaluation of a rule for one (area, period). */
typedef struct rule_eval {
    const csp_figure *in[16];    /* standing inputs (pointers into figures) */
    size_t nin;
    int64_t population;
    csp_ratio exact;
    csp_decimal rounded;
} rule_eval;

/*
 * Evaluate indicator `ind`'s rule for (area, period): false when some input
 * does not stand with a value, the population is unknown, a denominator is
 * zero or the result does not fit.
 */
static bool evaluate_rule(const csp_dataset *ds, const csp_indicator *ind,
                          const char *area, csp_period period, rule_eval *ev)
{
    memset(ev, 0, sizeof *ev);
    if (ind->ninputs == 0 || ind->ninputs > sizeof ev->in / sizeof ev->in[0])
        return false;
    for (size_t i = 0; i < ind->ninputs; i++) {
        ev->in[i] = csp_figures_standing(ds, (csp_fig_range){0, ds->nfigures},
                                   input_at(ds->tpl, ind, i), area, period);
        if (!ev->in[i])
            return false;
    }
    ev->nin = ind->ninputs;
    switch (ind->rule) {
    case CSP_RULE_SUM: {
        unsigned s = 0;
        csp_int128 sum = 0;
        for (size_t i = 0; i < ev->nin; i++)
            if (ev->in[i]->value.scale > s)
                s = ev->in[i]->value.scale;
        for (size_t i = 0; i < ev->nin; i++)
            sum += at_scale(ev->in[i]->value, s);
        ev->exact.num = sum;
        ev->exact.den = pow10_tab[s];
        break;
    }
    case CSP_RULE_RATE: {
        csp_decimal c = ev->in[0]->value;
        /* Per the indicator's per= of its population or households. */
        if (!csp_template_rate_base(ds->tpl, ind, area, period.end,
                                    &ev->population) ||
            ev->population <= 0)
            return false;
        ev->exact.num = (csp_int128)c.units * ind->per;
        ev->exact.den = (csp_int128)ev->population * pow10_tab[c.scale];
        break;
    }
    case CSP_RULE_SHARE: {
        csp_decimal part, whole;
        if (ev->nin < 2)
            return false;
        part = ev->in[0]->value;
        whole = ev->in[1]->value;
        if (whole.units == 0)
            return false;
        ev->exact.num = (csp_int128)part.units * pow10_tab[whole.scale] * 100;
        ev->exact.den = (csp_int128)whole.units * pow10_tab[part.scale];
        if (ev->exact.den < 0) {
            ev->exact.num = -ev->exact.num;
            ev->exact.den = -ev->exact.den;
        }
        break;
    }
    default:
        return false;
    }
    return csp_ratio_round(ev->exact, ind->decimals, &ev->rounded) == CSP_OK;
}

/* The rule in words, with the input values, e.g.
 * "619 per 1,000 of 103900 population". */
static csp_error rule_text(const csp_indicator *ind, const rule_eval *ev,
                           csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    char v[CSP_DECIMAL_BUFSZ], w[CSP_DECIMAL_BUFSZ], per[32];

    switch (ind->rule) {
    case CSP_RULE_SUM:
        for (size_t i = 0; i < ev->nin; i++) {
            csp_decimal_format(ev->in[i]->value, v);
            if ((err = csp_strbuf_printf(sb, "%s%s %s", i ? " + " : "",
                                         ev->in[i]->indicator, v)))
                goto out;
        }
        break;
    case CSP_RULE_RATE:
        csp_decimal_format(ev->in[0]->value, v);
        csp_rules_per_text(ind->per, per);
        err = csp_strbuf_printf(sb, "%s %s per %s of %lld %s",
                                ev->in[0]->indicator, v, per,
                                (long long)ev->population,
                                ind->base == CSP_BASE_HOUSEHOLDS
                                    ? "households"
                                    : "population");
        break;
    case CSP_RULE_SHARE:
        csp_decimal_format(ev->in[0]->value, v);
        csp_decimal_format(ev->in[1]->value, w);
        err = csp_strbuf_printf(sb, "%s %s as a share of %s %s",
                                ev->in[0]->indicator, v, ev->in[1]->indicator,
                                w);
        break;
    default:
        break;
    }
out:
    return err;
}

/* A rate's per= with thousands separators: "1,000", "100,000". */
void csp_rules_per_text(int64_t per, char buf[32])
{
    csp_decimal_format_grouped((csp_decimal){per, 0}, 0, buf);
}

/* The rule's name for messages ("rate per 1,000"). */
static const char *rule_name(const csp_indicator *ind, char buf[64])
{
    char per[32];

    switch (ind->rule) {
    case CSP_RULE_SUM: return "sum";
    case CSP_RULE_RATE:
        csp_rules_per_text(ind->per, per);
        snprintf(buf, 64, "rate per %s%s", per,
                 ind->base == CSP_BASE_HOUSEHOLDS ? " households" : "");
        return buf;
    case CSP_RULE_SHARE: return "share";
    default: return "none";
    }
}

/* W409 on claim c of fig: the message built in @p sb (taken), the values
 * csppack's @p computed figure and the claim's. */
static csp_error add_check_failed(csp_dataset *ds, const csp_figure *fig,
                                  const csp_claim *c, const char *computed,
                                  csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    char *values = NULL, *msg = NULL;
    csp_strvec sv = {0};

    if (!(msg = csp_strbuf_take(sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_strvec_push_pair(&sv, CSP_AGENCY_CSPPACK, computed)) ||
        (err = csp_strvec_push_claim(&sv, c)) ||
        (err = csp_strvec_join(&sv, &values)))
        goto out;
    csp_diag proto = csp_explain_proto(ds, fig, c, CSP_D_CHECK_FAILED);
    err = csp_explain_add(&ds->diags, &proto, values, msg);
out:
    csp_strvec_free(&sv);
    free(values);
    free(msg);
    return err;
}

/* Report submitted claim ci of fig as failing the rule (W409). */
static csp_error report_rule_failed(csp_dataset *ds, csp_figure *fig,
                                    size_t ci, const csp_indicator *ind,
                                    const rule_eval *ev)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &csp_figures_claims(ds, fig)[ci];
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ], r[CSP_DECIMAL_BUFSZ];
    char exact[64], name[64];
    unsigned show = c->value.scale > ind->decimals ? c->value.scale
                                                   : ind->decimals;
    csp_strbuf sb;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    csp_explain_key(fig, key, sizeof key);
    csp_explain_where(ds, c, w, sizeof w);
    csp_decimal_format(c->value, v);
    csp_decimal_format(ev->rounded, r);
    ratio_text(ev->exact, show + SHOW_EXTRA_DECIMALS, exact, sizeof exact);
    if ((err =
             csp_strbuf_printf(&sb, "%s's %s is %s (%s), but ",
                               csp_explain_agency(ds, c->agency), key, v, w)) ||
        (err = rule_text(ind, ev, &sb)) ||
        (err = csp_strbuf_printf(&sb,
                                 " is %s%s (rule: %s); %s is not within "
                                 "rounding of it, so csppack's %s is "
                                 "used",
                                 exact, ind->rule == CSP_RULE_SHARE ? "%" : "",
                                 rule_name(ind, name), v, r)))
        goto out;
    err = add_check_failed(ds, fig, c, r, &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Make fig the computed figure of evaluation ev. */
static void stand_computed(csp_figure *fig, const rule_eval *ev)
{
    csp_totals_stand(fig, ev->rounded, inherited_status(ev->in, ev->nin));
}

/* Keep fig's evaluation ev of the rule of ind (its inputs are linked
 * once the figures are in their last order: csp_rules_link_inputs). */
static csp_error keep_rule(csp_dataset *ds, csp_figure *fig,
                           const csp_indicator *ind, const rule_eval *ev)
{
    return csp_totals_keep_rule(ds, fig, ind->rule, ev->exact,
                                ev->population);
}

/* Apply the rule to an existing figure whose inputs all stand. */
static csp_error check_existing(csp_dataset *ds, csp_figure *fig,
                                const csp_indicator *ind, const rule_eval *ev)
{
    csp_error err = CSP_OK;
    csp_claim *cl = csp_figures_claims(ds, fig);

    if ((err = keep_rule(ds, fig, ind, ev)))
        goto out;
    if (fig->state == CSP_FIGURE_DISPUTED)
        goto out;  /* stays disputed; see doc/reconciliation-decisions.md */
    if (fig->state == CSP_FIGURE_NONE ||
        (fig->state == CSP_FIGURE_STANDS && !fig->has_value)) {
        /* Nothing (or "missing") was reported: the computed figure stands;
         * a "missing" claim agrees with it. */
        if (fig->claim != CSP_NO_INDEX32)
            cl[fig->claim].role = CSP_CLAIM_AGREES;
        stand_computed(fig, ev);
        goto out;
    }
    if (csp_decimal_matches_ratio(fig->value, ev->exact))
        goto out;  /* the submitted figure stands */
    /* The standing claim, and any that merged into it, fail unless they
     * themselves match the exact value. */
    for (size_t i = 0; i < fig->nclaims; i++) {
        csp_claim *c = &cl[i];
        if (c->role != CSP_CLAIM_STANDS && c->role != CSP_CLAIM_AGREES)
            continue;
        if (c->has_value && !csp_decimal_matches_ratio(c->value, ev->exact)) {
            c->role = CSP_CLAIM_CHECK_FAILED;
            if ((err = report_rule_failed(ds, fig, i, ind, ev)))
                goto out;
        } else {
            c->role = CSP_CLAIM_AGREES;
        }
    }
    stand_computed(fig, ev);
out:
    return err;
}

/* Evaluate one derived indicator over every (area, period) its first input
 * stands for; new computed figures are appended and the array re-sorted. */
static csp_error apply_rule(csp_dataset *ds, size_t ind_index)
{
    csp_error err = CSP_OK;
    const csp_indicator *ind = &ds->tpl->indicators[ind_index];
    csp_figure *added = NULL;
    size_t nadded = 0, first, count;
    rule_eval ev;

    if (ind->ninputs == 0)
        goto out;
    csp_dataset_series(ds, ind->inputs[0], NULL, &first, &count);
    added = csp_calloc(count ? count : 1, sizeof *added);
    if (!added) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = first; i < first + count; i++) {
        const csp_figure *base = &ds->figures[i];
        if (!evaluate_rule(ds, ind, base->area, base->period, &ev))
            continue;
        size_t fi =
            csp_figures_find_at(ds, ind_index, base->area, base->period);
        if (fi != CSP_NO_INDEX) {
            if ((err = check_existing(ds, &ds->figures[fi], ind, &ev)))
                goto out;
            continue;
        }
        csp_figure *nf = &added[nadded++];
        csp_figures_init(nf, ds->tpl, ind_index, base->area, base->period);
        if ((err = keep_rule(ds, nf, ind, &ev)))
            goto out;
        stand_computed(nf, &ev);
    }
    if (nadded) {
        csp_figure *p = csp_realloc(ds->figures,
                                (ds->nfigures + nadded) * sizeof *p);
        if (!p) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        ds->figures = p;
        memcpy(ds->figures + ds->nfigures, added, nadded * sizeof *added);
        ds->nfigures += nadded;
        qsort(ds->figures, ds->nfigures, sizeof *ds->figures,
              csp_figures_cmp);
    }
out:
    free(added);
    return err;
}

/* Template rules in dependency order (the template has no cycles). */
csp_error csp_rules_apply(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    bool *done = NULL;
    bool progress = true;

    done = csp_calloc(tpl->nindicators ? tpl->nindicators : 1, sizeof *done);
    if (!done) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* Figures partners send: their derived totals first, so that rules
     * read them. */
    for (size_t i = 0; i < tpl->nindicators; i++) {
        done[i] = tpl->indicators[i].rule == CSP_RULE_NONE;
        if (done[i] && (err = csp_totals_derive(ds, i)))
            goto out;
    }
    /* Repeated passes in template order: an indicator is evaluated once
     * every input it reads has been. */
    while (progress) {
        progress = false;
        for (size_t i = 0; i < tpl->nindicators; i++) {
            const csp_indicator *ind = &tpl->indicators[i];
            bool ready = !done[i];
            for (size_t k = 0; ready && k < ind->ninputs; k++) {
                const csp_indicator *in = csp_template_indicator(
                    tpl, ind->inputs[k]);
                if (in && !done[in - tpl->indicators])
                    ready = false;
            }
            if (!ready)
                continue;
            if ((err = apply_rule(ds, i)) || (err = csp_totals_derive(ds, i)))
                goto out;
            done[i] = true;
            progress = true;
        }
    }
out:
    free(done);
    return err;
}

/* Add `months` calendar months to a first-of-month date. */
static bool add_months(csp_date d, int months, csp_date *out)
{
    int y, m, day;

    csp_date_to_ymd(d, &y, &m, &day);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    return csp_date_from_ymd(y, m, day, out);
}

/* The four quarters of a 12-month period starting on the 1st of a month. */
static bool quarters_of(csp_period p, csp_period q[4])
{
    int y, m, d;
    csp_date end;

    csp_date_to_ymd(p.start, &y, &m, &d);
    if (d != 1 || !add_months(p.start, 12, &end) || end - 1 != p.end)
        return false;
    for (int i = 0; i < 4; i++) {
        csp_date s, e;
        if (!add_months(p.start, 3 * i, &s) ||
            !add_months(p.start, 3 * (i + 1), &e))
            return false;
        q[i].start = s;
        q[i].end = e - 1;
    }
    return true;
}

/* Report a quarters/areas check failure against total figure fig (W409). */
static csp_error report_total_failed(csp_dataset *ds, const csp_figure *fig,
                                     csp_decimal sum, const char *rule,
                                     const char *parts)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &csp_figures_claims(ds, fig)[fig->claim];
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ], s[CSP_DECIMAL_BUFSZ];
    csp_strbuf sb;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    csp_explain_key(fig, key, sizeof key);
    csp_explain_where(ds, c, w, sizeof w);
    csp_decimal_format(fig->value, v);
    csp_decimal_format(sum, s);
    if ((err = csp_strbuf_printf(&sb,
                                 "%s's %s is %s (%s), but %s add up to "
                                 "%s (rule: %s); please check which is "
                                 "right",
                                 csp_explain_agency(ds, c->agency), key, v, w,
                                 parts, s, rule)))
        goto out;
    err = add_check_failed(ds, fig, c, s, &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Quarters and areas checks for one submitted figure, which is in
 * the run @p series of its indicator and area, and @p indicator of its
 * indicator.  The sum is taken first; the parts are written out only when
 * it does not match. */
static csp_error check_totals(csp_dataset *ds, const csp_figure *fig,
                              csp_fig_range series, csp_fig_range indicator)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    csp_period q[4];
    const csp_figure *part[4];
    csp_decimal sum;
    csp_strbuf sb;
    bool all_there;
    const csp_indicator *ind = &tpl->indicators[fig->indicator_index];
    size_t nkids, *kids = NULL;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
    /* Quarters: four consecutive quarters covering a 12-month period,
     * for figures that add up over quarters (not people in treatment,
     * counted in every quarter they are in treatment). */
    if ((ind->additive & CSP_ADD_QUARTERS) && quarters_of(fig->period, q)) {
        all_there = true;
        sum.units = 0;
        sum.scale = 0;
        for (int i = 0; all_there && i < 4; i++) {
            part[i] = csp_figures_standing(ds, series, fig->indicator_index,
                                     fig->area, q[i]);
            all_there = part[i] &&
                        csp_decimal_add(sum, part[i]->value, &sum) == CSP_OK;
        }
        if (all_there && csp_decimal_cmp(sum, fig->value) != 0) {
            if ((err = csp_strbuf_puts(&sb, "its four quarters (")))
                goto out;
            for (int i = 0; i < 4; i++) {
                char v[CSP_DECIMAL_BUFSZ], ps[CSP_PERIOD_BUFSZ];
                csp_decimal_format(part[i]->value, v);
                csp_period_format(q[i], ps);
                if ((err = csp_strbuf_printf(&sb, "%s%s %s", i ? ", " : "",
                                             ps, v)))
                    goto out;
            }
            if ((err = csp_strbuf_puts(&sb, ")")) ||
                (err = report_total_failed(ds, fig, sum, "quarters",
                                           csp_strbuf_str(&sb))))
                goto out;
        }
    }
    /* Areas: an area's figure (the partnership's: "all") is the sum over
     * the areas directly inside it (the top-level areas). */
    csp_strbuf_reset(&sb);
    nkids = ind->additive & CSP_ADD_AREAS
                ? csp_totals_children(tpl, fig->area, NULL, 0)
                : 0;
    if (nkids == 0)
        goto out;
    if (!(kids = csp_calloc(nkids, sizeof *kids))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_totals_children(tpl, fig->area, kids, nkids);
    all_there = true;
    sum.units = 0;
    sum.scale = 0;
    for (size_t i = 0; all_there && i < nkids; i++) {
        const csp_figure *p =
            csp_figures_standing(ds, indicator, fig->indicator_index,
                                 tpl->areas[kids[i]].id, fig->period);
        all_there = p && csp_decimal_add(sum, p->value, &sum) == CSP_OK;
    }
    if (all_there && csp_decimal_cmp(sum, fig->value) != 0) {
        if ((err = csp_strbuf_puts(&sb, "the areas (")))
            goto out;
        for (size_t i = 0; i < nkids; i++) {
            /* Found again: every one stands (all_there). */
            const csp_figure *p =
                csp_figures_standing(ds, indicator, fig->indicator_index,
                                     tpl->areas[kids[i]].id, fig->period);
            char v[CSP_DECIMAL_BUFSZ];
            if (!p)
                break;
            csp_decimal_format(p->value, v);
            if ((err = csp_strbuf_printf(&sb, "%s%s %s", i ? ", " : "",
                                         tpl->areas[kids[i]].id, v)))
                goto out;
        }
        if ((err = csp_strbuf_puts(&sb, ")")) ||
            (err = report_total_failed(ds, fig, sum, "areas",
                                       csp_strbuf_str(&sb))))
            goto out;
    }
out:
    free(kids);
    csp_strbuf_free(&sb);
    return err;
}

/* Quarters and areas checks over every submitted figure that stands and
 * adds up (the indicator's additive=). */
csp_error csp_rules_check_totals(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    const csp_figure *f = ds->figures;
    size_t n = ds->nfigures;
    csp_fig_range indicator = {0, 0}, series = {0, 0};

    for (size_t i = 0; i < n; i++) {
        const csp_figure *fig = &f[i];
        const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
        /* The runs (figures are sorted by key) fig is the first of. */
        if (i >= indicator.hi) {
            indicator = (csp_fig_range){i, i + 1};
            while (indicator.hi < n &&
                   f[indicator.hi].indicator_index == fig->indicator_index)
                indicator.hi++;
        }
        if (i >= series.hi) {
            series = (csp_fig_range){i, i + 1};
            while (series.hi < indicator.hi &&
                   (f[series.hi].area == fig->area ||
                    strcmp(f[series.hi].area, fig->area) == 0))
                series.hi++;
        }
        /* A computed total's inputs carry any discrepancy themselves. */
        if (!ind->additive || fig->state != CSP_FIGURE_STANDS ||
            !fig->has_value || fig->computed || fig->claim == CSP_NO_INDEX32)
            continue;
        if ((err = check_totals(ds, fig, series, indicator)))
            goto out;
    }
out:
    return err;
}

/* How many inputs the rule evaluated for @p fig has: its indicator's, or
 * for a derived total its areas. */
static size_t rule_ninputs(const csp_dataset *ds, const csp_figure *fig)
{
    if (ds->rules[fig->rule_index].kind == CSP_RULE_AREAS)
        return csp_totals_children(ds->tpl, fig->area, NULL, 0);
    return ds->tpl->indicators[fig->indicator_index].ninputs;
}

/* Fill each evaluated rule's input indexes (after the last re-sort): one
 * array for all of them. */
csp_error csp_rules_link_inputs(csp_dataset *ds)
{
    size_t total = 0, at = 0;

    if (ds->nrules == 0)
        return CSP_OK;
    if (ds->nrules < ds->rules_cap) {
        csp_figure_rule *p = csp_realloc(ds->rules, ds->nrules * sizeof *p);
        if (p) {
            ds->rules = p;
            ds->rules_cap = ds->nrules;
        }
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        if (ds->figures[i].rule_index != CSP_NO_INDEX32)
            total += rule_ninputs(ds, &ds->figures[i]);
    if (total &&
        !(ds->rule_inputs = csp_malloc(total * sizeof *ds->rule_inputs)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *fig = &ds->figures[i];
        const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
        if (fig->rule_index == CSP_NO_INDEX32)
            continue;
        csp_figure_rule *r = &ds->rules[fig->rule_index];
        r->ninputs = rule_ninputs(ds, fig);
        r->inputs = r->ninputs ? ds->rule_inputs + at : NULL;
        if (r->kind == CSP_RULE_AREAS) {
            /* A derived total's inputs: its areas' figures, in order. */
            csp_totals_children(ds->tpl, fig->area, ds->rule_inputs + at,
                                r->ninputs);
            for (size_t k = 0; k < r->ninputs; k++, at++)
                ds->rule_inputs[at] = csp_figures_find_at(
                    ds, fig->indicator_index,
                    ds->tpl->areas[ds->rule_inputs[at]].id, fig->period);
            continue;
        }
        for (size_t k = 0; k < ind->ninputs; k++)
            ds->rule_inputs[at++] = csp_figures_find_at(
                ds, input_at(ds->tpl, ind, k), fig->area, fig->period);
    }
    return CSP_OK;
}
