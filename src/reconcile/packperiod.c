/* csppack: the board pack's period, and the periods and submitted times
 * that do not fit it or each other (W410 to W413). */
#include "csppack/reconcile/packperiod.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/keyfindings.h"

/* Is a later than b: it ends later, or ends the same day and is shorter. */
static bool later(csp_period a, csp_period b)
{
    return a.end != b.end ? a.end > b.end : a.start > b.start;
}

/* Ascending order of periods, for qsort and bsearch. */
static int period_qcmp(const void *a, const void *b)
{
    return csp_period_cmp(*(const csp_period *)a, *(const csp_period *)b);
}

/* Can period p, with figures from n expected agencies, be the pack's
 * (only quarters when some quarter has figures)? */
static bool eligible(csp_period p, size_t n, bool quarters)
{
    return n > 0 && (!quarters || csp_period_is_quarter(p));
}

/* The template index of a claim's agency, or (size_t)-1; *last caches
 * the previous answer (a run's claims share one string per agency). */
static size_t agency_index(const csp_template *tpl, const char *id,
                           const char **last_id, size_t *last)
{
    if (id && id == *last_id)
        return *last;
    const csp_agency *a = id ? csp_template_agency(tpl, id) : NULL;
    *last_id = id;
    *last = a ? (size_t)(a - tpl->agencies) : (size_t)-1;
    return *last;
}

/* Mark the agencies the template expects figures from: the owners of its
 * indicators, or all its agencies when it names no owner. */
static void mark_expected(const csp_template *tpl, bool *expected)
{
    bool any = false;
    for (size_t i = 0; i < tpl->nindicators; i++)
        for (size_t k = 0; k < tpl->indicators[i].nowners; k++) {
            const csp_agency *a =
                csp_template_agency(tpl, tpl->indicators[i].owners[k].agency);
            if (a) {
                expected[a - tpl->agencies] = true;
                any = true;
            }
        }
    for (size_t i = 0; i < tpl->nagencies && !any; i++)
        expected[i] = true;
}

/* Choose the default period of the board pack (csp_pack_period). */
static csp_error choose_period(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    size_t na = tpl->nagencies, np = 0, nexp = 0;
    csp_period *per =
        csp_malloc((ds->nfigures ? ds->nfigures : 1) * sizeof *per);
    bool *expected = csp_calloc(na ? na : 1, sizeof *expected);
    bool *sent = NULL;
    size_t *count = NULL;

    if (!per || !expected) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        per[i] = ds->figures[i].period;
    if (ds->nfigures)
        qsort(per, ds->nfigures, sizeof *per, period_qcmp);
    for (size_t i = 0; i < ds->nfigures; i++)
        if (np == 0 || csp_period_cmp(per[np - 1], per[i]) != 0)
            per[np++] = per[i];
    sent = csp_calloc(np && na ? np * na : 1, sizeof *sent);
    count = csp_calloc(np ? np : 1, sizeof *count);
    if (!sent || !count) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* Which agencies sent a figure for each period. */
    const char *last_id = NULL;
    size_t last = (size_t)-1;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        const csp_claim *cl = csp_dataset_claims(ds, f);
        const csp_period *p =
            bsearch(&f->period, per, np, sizeof *per, period_qcmp);
        for (size_t k = 0; p && k < f->nclaims; k++) {
            size_t a = agency_index(tpl, cl[k].agency, &last_id, &last);
            if (a < na && cl[k].status != CSP_OBS_WITHDRAWN)
                sent[(size_t)(p - per) * na + a] = true;
        }
    }
    mark_expected(tpl, expected);
    for (size_t a = 0; a < na; a++)
        nexp += expected[a];
    bool quarters = false;
    for (size_t p = 0; p < np; p++) {
        for (size_t a = 0; a < na; a++)
            count[p] += expected[a] && sent[p * na + a];
        quarters |= count[p] > 0 && csp_period_is_quarter(per[p]);
    }
    /* The latest quarter with most expected agencies in; else the latest
     * of those with the most; periods of any length when no quarter. */
    csp_pack_period *pp = &ds->pack_period;
    size_t best = (size_t)-1;
    for (size_t p = 0; p < np; p++)
        if (eligible(per[p], count[p], quarters) && 2 * count[p] > nexp &&
            (best == (size_t)-1 || later(per[p], per[best])))
            best = p;
    bool most = best != (size_t)-1;
    for (size_t p = 0; p < np && !most; p++)
        if (eligible(per[p], count[p], quarters) &&
            (best == (size_t)-1 || count[p] > count[best] ||
             (count[p] == count[best] && later(per[p], per[best]))))
            best = p;
    if (best != (size_t)-1) {
        pp->basis = most ? CSP_PERIOD_MOST : CSP_PERIOD_BEST;
        pp->period = per[best];
        pp->agencies = count[best];
        pp->expected = nexp;
    }
out:
    free(per);
    free(expected);
    free(sent);
    free(count);
    return err;
}

/* What W410, W411 or W412 counted in one file: how many figures, and the
 * first of them (by line). */
typedef struct tally {
    size_t n;
    unsigned long line;
    csp_period period;
} tally;

enum { T_AFTER, T_OUTSIDE, T_NOT_ENDED, T_COUNT };

/* Count figure period p at line into t. */
static void count_in(tally *t, unsigned long line, csp_period p)
{
    if (t->n++ == 0 || line < t->line) {
        t->line = line;
        t->period = p;
    }
}

/* The date of an instant where it was written (its own offset). */
static csp_date local_date(csp_instant t)
{
    int64_t s = t.seconds + (int64_t)t.offset_min * 60;
    int64_t d = s / 86400 - (s % 86400 < 0);
    return (csp_date)d;
}

/* @p one when n is 1, else @p more. */
static const char *many(size_t n, const char *one, const char *more)
{
    return n == 1 ? one : more;
}

/* One file's W410, W411 or W412: "N figures in FILE are for periods
 * <where>, the first at line L for P<advice>". */
static csp_error report_tally(csp_dataset *ds, size_t i, csp_diag_code code,
                              const tally *t, const char *where,
                              const char *advice)
{
    char p[CSP_PERIOD_BUFSZ];
    csp_diag proto = {0};

    csp_period_format(t->period, p);
    proto.code = code;
    proto.file = (char *)ds->files[i].path;
    proto.line = t->line;
    proto.agency = (char *)ds->files[i].agency;
    return csp_diag_add(
               &ds->diags, &proto, "%zu %s in %s %s %s, %s %lu for %s%s", t->n,
               many(t->n, "figure", "figures"), csp_dataset_file_name(ds, i),
               many(t->n, "is for a period", "are for periods"), where,
               many(t->n, "at line", "the first at line"), t->line, p, advice)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* Report one file's tallies (W410, W411, W412). */
static csp_error report_tallies(csp_dataset *ds, size_t i, const tally *t,
                                csp_period lo_hi)
{
    csp_error err = CSP_OK;
    const csp_pack_period *pp = &ds->pack_period;
    const csp_template *tpl = ds->tpl;
    char q[CSP_PERIOD_BUFSZ], when[CSP_INSTANT_BUFSZ], label[CSP_LABEL_BUFSZ];
    char lo[CSP_DATE_BUFSZ], hi[CSP_DATE_BUFSZ], where[320], advice[160];
    char y1[16], y2[16];
    const char *unit = csp_period_is_quarter(pp->period) ? "quarter" : "period";

    if (t[T_AFTER].n) {
        csp_period_format(pp->period, q);
        csp_period_label(pp->period, label);
        snprintf(where, sizeof where,
                 "after %s (%s), the %s%s %s sent figures "
                 "for",
                 label, q, pp->basis == CSP_PERIOD_MOST ? "latest " : "", unit,
                 pp->basis == CSP_PERIOD_MOST ? "most partners"
                                              : "the most partners");
        snprintf(advice, sizeof advice,
                 "; the board pack for that %s leaves "
                 "%s out: if a period is wrong, send a corrected submission",
                 unit, many(t[T_AFTER].n, "it", "them"));
        err = report_tally(ds, i, CSP_D_AFTER_PACK, &t[T_AFTER], where, advice);
    }
    if (!err && t[T_OUTSIDE].n) {
        csp_date_format(lo_hi.start, lo);
        csp_date_format(lo_hi.end, hi);
        csp_template_year_label(tpl, tpl->first_year, y1);
        csp_template_year_label(tpl, tpl->last_year, y2);
        snprintf(where, sizeof where,
                 "outside %s to %s (the strategy's years, "
                 "%s to %s, and the %u before them that its key findings look "
                 "back on)",
                 lo, hi, y1, y2,
                 tpl->key_findings.years ? tpl->key_findings.years : 3);
        err = report_tally(ds, i, CSP_D_OUTSIDE_YEARS, &t[T_OUTSIDE], where,
                           ": check the year");
    }
    if (!err && t[T_NOT_ENDED].n) {
        csp_instant_format(ds->files[i].submitted, when);
        snprintf(where, sizeof where,
                 "that had not ended when it was "
                 "submitted at %s",
                 when);
        err = report_tally(ds, i, CSP_D_NOT_ENDED, &t[T_NOT_ENDED], where,
                           ": check the period and the submitted time");
    }
    return err;
}

/* The period of the strategy's years (csp_template_period: calendar or
 * financial) and the key-findings years before them. */
static csp_period strategy_span(const csp_template *tpl)
{
    csp_period s = csp_template_period(tpl);
    unsigned back = tpl->key_findings.years ? tpl->key_findings.years : 3;
    int y, m, d;
    csp_date_to_ymd(s.start, &y, &m, &d);
    /* A period of a year or more; {0, 0} when the years are out of
     * csp_date's range. */
    if (s.end <= s.start ||
        !csp_date_from_ymd(y - (int)back, m, d, &s.start)) {
        s.start = INT32_MIN;
        s.end = INT32_MAX;
    }
    return s;
}

/* W410, W411 and W412: per file, over the figures not superseded. */
static csp_error check_periods(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    csp_period span = strategy_span(ds->tpl);
    const csp_pack_period *pp = &ds->pack_period;
    tally *t = csp_calloc(ds->nfiles ? ds->nfiles * T_COUNT : 1, sizeof *t);
    csp_date *day = csp_calloc(ds->nfiles ? ds->nfiles : 1, sizeof *day);

    if (!t || !day) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ds->nfiles; i++)
        day[i] = local_date(ds->files[i].submitted);
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        const csp_claim *cl = csp_dataset_claims(ds, f);
        bool after =
            pp->basis != CSP_PERIOD_NONE && f->period.end > pp->period.end;
        bool outside = f->period.start < span.start || f->period.end > span.end;
        for (size_t k = 0; k < f->nclaims; k++) {
            const csp_claim *c = &cl[k];
            tally *ft = &t[(size_t)c->file * T_COUNT];
            if (c->status == CSP_OBS_WITHDRAWN)
                continue;
            if (after)
                count_in(&ft[T_AFTER], c->line, f->period);
            if (outside)
                count_in(&ft[T_OUTSIDE], c->line, f->period);
            /* A file still dated by the blank's placeholder (W601) has
             * no time to judge by. */
            if (day[c->file] <= f->period.end &&
                ds->files[c->file].submitted.seconds !=
                    CSP_PH_SUBMITTED_SECONDS)
                count_in(&ft[T_NOT_ENDED], c->line, f->period);
        }
    }
    for (size_t i = 0; i < ds->nfiles && !err; i++)
        err = report_tallies(ds, i, &t[i * T_COUNT], span);
out:
    free(t);
    free(day);
    return err;
}

/* Does file i count (read, not a copy)? */
static bool counts(const csp_dataset *ds, size_t i)
{
    const csp_dataset_file *f = &ds->files[i];
    return !f->refused && f->has_submitted && f->duplicate_of == CSP_NO_INDEX;
}

/* W413: a submitted time far after every other file's. */
static csp_error check_far_ahead(csp_dataset *ds)
{
    size_t top = CSP_NO_INDEX, next = CSP_NO_INDEX;
    for (size_t i = 0; i < ds->nfiles; i++) {
        /* A file dated by the blank's placeholder (W601) is no yardstick. */
        if (!counts(ds, i) ||
            ds->files[i].submitted.seconds == CSP_PH_SUBMITTED_SECONDS)
            continue;
        if (top == CSP_NO_INDEX ||
            csp_instant_cmp(ds->files[i].submitted, ds->files[top].submitted) >
                0) {
            next = top;
            top = i;
        } else if (next == CSP_NO_INDEX ||
                   csp_instant_cmp(ds->files[i].submitted,
                                   ds->files[next].submitted) > 0) {
            next = i;
        }
    }
    if (next == CSP_NO_INDEX)
        return CSP_OK;
    const csp_dataset_file *f = &ds->files[top], *g = &ds->files[next];
    int64_t days = (f->submitted.seconds - g->submitted.seconds) / 86400;
    if (days <= CSP_FAR_AHEAD_DAYS)
        return CSP_OK;
    const csp_agency *a = csp_template_agency(ds->tpl, f->agency);
    char when[CSP_INSTANT_BUFSZ], other[CSP_INSTANT_BUFSZ];
    csp_instant_format(f->submitted, when);
    csp_instant_format(g->submitted, other);
    csp_diag proto = {0};
    proto.code = CSP_D_FAR_AHEAD;
    proto.file = (char *)f->path;
    proto.line = f->sub->header_line;
    proto.agency = (char *)f->agency;
    return csp_diag_add(
               &ds->diags, &proto,
               "%s was submitted at %s, %lld days after the latest of the "
               "other files (%s, submitted at %s); it still counts as the "
               "latest, so its figures replace those of every other "
               "submission of %s, corrections included: if the time is "
               "wrong, remove the file and send it again with the right time",
               csp_dataset_file_name(ds, top), when, (long long)days,
               csp_dataset_file_name(ds, next), other, a ? a->name : f->agency)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* The board pack's period, then the checks against it. */
csp_error csp_packperiod_decide(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    if ((err = choose_period(ds)) != CSP_OK)
        return err;
    if ((err = check_periods(ds)) != CSP_OK)
        return err;
    return check_far_ahead(ds);
}
