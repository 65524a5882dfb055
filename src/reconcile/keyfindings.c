/* csppack: key findings tables and period labels. */
#include "csppack/reconcile/keyfindings.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* Month abbreviations as the strategy writes them ("YE Sept 14"). */
/* Is d the last day of its month? */
static bool month_end(csp_date d)
{
    int y, m, dd;
    csp_date_to_ymd(d + 1, &y, &m, &dd);
    return dd == 1;
}

/* Is d the first day of its month? */
static bool month_start(csp_date d)
{
    int y, m, dd;
    csp_date_to_ymd(d, &y, &m, &dd);
    return dd == 1;
}

/* Months from a's month to b's month, counting both. */
static int months_spanned(csp_date a, csp_date b)
{
    int ya, ma, da, yb, mb, db;
    csp_date_to_ymd(a, &ya, &ma, &da);
    csp_date_to_ymd(b, &yb, &mb, &db);
    return (yb - ya) * 12 + (mb - ma) + 1;
}

/* Twelve whole months ending on a month's last day. */
bool csp_period_is_year(csp_period p)
{
    return month_start(p.start) && month_end(p.end) &&
           months_spanned(p.start, p.end) == 12;
}

/* Three whole months. */
bool csp_period_is_quarter(csp_period p)
{
    return month_start(p.start) && month_end(p.end) &&
           months_spanned(p.start, p.end) == 3;
}

/* Short label in the strategy's style. */
void csp_period_label(csp_period p, char buf[CSP_LABEL_BUFSZ])
{
    int ys, ms, ds, ye, me, de;
    csp_date_to_ymd(p.start, &ys, &ms, &ds);
    csp_date_to_ymd(p.end, &ye, &me, &de);
    bool whole = month_start(p.start) && month_end(p.end);
    int months = months_spanned(p.start, p.end);
    if (whole && months == 12 && ms == 4) {
        snprintf(buf, CSP_LABEL_BUFSZ, "%d/%02d", ys, ye % 100);
    } else if (whole && months == 12) {
        snprintf(buf, CSP_LABEL_BUFSZ, "YE %s %02d", csp_month_name(me, true),
                 ye % 100);
    } else if (whole && months == 3 && (ms - 4 + 12) % 3 == 0) {
        int q = (ms - 4 + 12) % 12 / 3 + 1;
        int fy = ms >= 4 ? ys : ys - 1;
        snprintf(buf, CSP_LABEL_BUFSZ, "Q%d %d/%02d", q, fy, (fy + 1) % 100);
    } else if (whole && months == 1) {
        snprintf(buf, CSP_LABEL_BUFSZ, "%s %d", csp_month_name(ms, true), ys);
    } else {
        snprintf(buf, CSP_LABEL_BUFSZ, "%d %s %d \xe2\x80\x93 %d %s %d", ds,
                 csp_month_name(ms, true), ys, de, csp_month_name(me, true), ye);
    }
}

/* Long form for sentences. */
void csp_period_phrase(csp_period p, char buf[CSP_LABEL_BUFSZ])
{
    int ys, ms, ds, ye, me, de;
    csp_date_to_ymd(p.start, &ys, &ms, &ds);
    csp_date_to_ymd(p.end, &ye, &me, &de);
    int months = months_spanned(p.start, p.end);
    bool whole = month_start(p.start) && month_end(p.end);
    if (whole && months == 12)
        snprintf(buf, CSP_LABEL_BUFSZ, "the year ending %d %s %d", de,
                 csp_month_name(me, false), ye);
    else if (whole && months == 3)
        snprintf(buf, CSP_LABEL_BUFSZ, "the quarter %d %s to %d %s %d", ds,
                 csp_month_name(ms, false), de, csp_month_name(me, false), ye);
    else
        snprintf(buf, CSP_LABEL_BUFSZ, "%d %s %d to %d %s %d", ds,
                 csp_month_name(ms, false), ys, de, csp_month_name(me, false), ye);
}

/* The standing figure for a key with a value, or NULL. */
static const csp_figure *standing(const csp_dataset *ds, const char *ind,
                                  const char *area, csp_period p)
{
    if (!ind)
        return NULL;
    return csp_dataset_figure(ds, ind, area, p);
}

/* Has p been seen among the first n periods? */
static bool have_period(const csp_period *ps, size_t n, csp_period p)
{
    for (size_t i = 0; i < n; i++)
        if (csp_period_cmp(ps[i], p) == 0)
            return true;
    return false;
}

/* Ascending order of periods, for qsort. */
static int period_qcmp(const void *a, const void *b)
{
    return csp_period_cmp(*(const csp_period *)a, *(const csp_period *)b);
}

/* The month of date @p d, 1..12. */
static unsigned date_month(csp_date d)
{
    int y, m, dd;
    csp_date_to_ymd(d, &y, &m, &dd);
    return (unsigned)m;
}

/* Is @p f a twelve-month figure of a key-findings row, ending by
 * @p until? */
static bool kf_year(const csp_dataset *ds, const csp_figure *f,
                    csp_date until)
{
    const csp_key_findings *k = &ds->tpl->key_findings;
    if (!csp_period_is_year(f->period) || f->period.end > until)
        return false;
    for (size_t r = 0; r < k->nrows; r++)
        if (strcmp(f->indicator, k->rows[r].indicator) == 0)
            return true;
    return false;
}

/* The month the key findings' years end when the template does not say:
 * the month that ends the most distinct twelve-month periods of the
 * key-findings rows ending by @p until, the later such period on a tie;
 * 0 when there is none (into *out).  One stray rolling year among financial years
 * (or the other way round) so never decides the kind. */
static csp_error usual_month(const csp_dataset *ds, csp_date until,
                             unsigned *out)
{
    size_t count[13] = {0};
    csp_date latest[13] = {0};
    csp_date *seen = NULL;
    size_t nseen = 0, cap = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        if (!kf_year(ds, f, until))
            continue;
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = seen[k] == f->period.end;
        if (dup)
            continue;
        if (nseen == cap) {
            size_t nc = cap ? cap * 2 : 16;
            csp_date *g = csp_realloc(seen, nc * sizeof *g);
            if (!g) {
                free(seen);
                return CSP_ERR_NOMEM;
            }
            seen = g;
            cap = nc;
        }
        seen[nseen++] = f->period.end;
        unsigned m = date_month(f->period.end);
        count[m]++;
        if (f->period.end > latest[m])
            latest[m] = f->period.end;
    }
    free(seen);
    unsigned best = 0;
    for (unsigned m = 1; m <= 12; m++)
        if (count[m] && (best == 0 || count[m] > count[best] ||
                         (count[m] == count[best] && latest[m] > latest[best])))
            best = m;
    *out = best;
    return CSP_OK;
}

/* Build the key findings as of the board pack's period. */
csp_error csp_kf_build(const csp_dataset *ds, csp_kf *out)
{
    csp_period p;
    return csp_kf_build_until(ds, csp_pack_default_period(ds, &p)
                                      ? p.end
                                      : INT32_MAX,
                              out);
}

/* Build the key findings of the years ending by @p until. */
csp_error csp_kf_build_until(const csp_dataset *ds, csp_date until,
                             csp_kf *out)
{
    const csp_template *tpl = ds->tpl;
    const csp_key_findings *k = &tpl->key_findings;
    memset(out, 0, sizeof *out);
    size_t want = k->years ? k->years : 3;
    if (want > CSP_KF_MAX_YEARS)
        want = CSP_KF_MAX_YEARS;
    out->month = k->year_end_month <= 12 ? k->year_end_month : 0;
    if (out->month == 0) {
        csp_error err = usual_month(ds, until, &out->month);
        if (err)
            return err;
    }

    /* Every twelve-month period ending that month any row has a figure
     * for. */
    csp_period *all = NULL;
    size_t nall = 0, cap = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        if (!kf_year(ds, f, until) || date_month(f->period.end) != out->month)
            continue;
        if (have_period(all, nall, f->period))
            continue;
        if (nall == cap) {
            size_t nc = cap ? cap * 2 : 8;
            csp_period *p = csp_realloc(all, nc * sizeof *p);
            if (!p) {
                free(all);
                return CSP_ERR_NOMEM;
            }
            all = p;
            cap = nc;
        }
        all[nall++] = f->period;
    }
    if (nall)
        qsort(all, nall, sizeof *all, period_qcmp);
    size_t skip = nall > want ? nall - want : 0;
    for (size_t i = skip; i < nall; i++)
        out->periods[out->nperiods++] = all[i];
    free(all);

    out->areas = csp_calloc(tpl->nareas ? tpl->nareas : 1, sizeof *out->areas);
    if (!out->areas)
        return CSP_ERR_NOMEM;
    out->nareas = tpl->nareas;
    for (size_t a = 0; a < tpl->nareas; a++) {
        csp_kf_area *ka = &out->areas[a];
        ka->area = &tpl->areas[a];
        ka->lines = csp_calloc(k->nrows ? k->nrows : 1, sizeof *ka->lines);
        if (!ka->lines) {
            csp_kf_free(out);
            return CSP_ERR_NOMEM;
        }
        ka->nlines = k->nrows;
        for (size_t r = 0; r < k->nrows; r++) {
            csp_kf_line *l = &ka->lines[r];
            l->row = &k->rows[r];
            for (size_t p = 0; p < out->nperiods; p++)
                l->values[p] = standing(ds, l->row->indicator, ka->area->id,
                                        out->periods[p]);
            if (out->nperiods >= 2) {
                const csp_figure *x = l->values[out->nperiods - 2];
                const csp_figure *y = l->values[out->nperiods - 1];
                csp_decimal zero = {0, 0};
                if (x && y && x->state == CSP_FIGURE_STANDS && x->has_value &&
                    y->state == CSP_FIGURE_STANDS && y->has_value &&
                    csp_decimal_cmp(x->value, zero) != 0)
                    l->has_change = csp_dataset_percent_change(
                                        x->value, y->value, 1, &l->change) ==
                                    CSP_OK;
            }
            if (out->nperiods)
                l->rate = standing(ds, l->row->rate, ka->area->id,
                                   out->periods[out->nperiods - 1]);
        }
    }
    return CSP_OK;
}

/* Free the tables. */
/* Start an empty legend. */
void csp_kf_legend_init(csp_kf_legend *lg)
{
    memset(lg, 0, sizeof *lg);
}

/* Append formatted text to the legend's list of replaced figures. */
__attribute__((format(printf, 2, 3))) static void
legend_printf(csp_kf_legend *lg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || lg->err)
        return;
    char *p = csp_realloc(lg->replaced, lg->len + (size_t)n + 1);
    if (!p) {
        lg->err = CSP_ERR_NOMEM;
        return;
    }
    lg->replaced = p;
    va_start(ap, fmt);
    vsnprintf(p + lg->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    lg->len += (size_t)n;
}

/* The names the strategy uses: an agency's, an area's ("All areas"),
 * an indicator's; the id when the template has no name. */
static const char *agency_label(const csp_template *tpl, const char *id)
{
    const csp_agency *a = csp_template_agency(tpl, id);
    return a && a->name ? a->name : id;
}

/* An area's name ("All areas" for the partnership as a whole). */
static const char *area_label(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a && a->name ? a->name : id;
}

/* A figure is marked exactly when csppack's stands; what it replaced goes
 * into the legend by name, value, area and period. */
bool csp_kf_legend_note(csp_kf_legend *lg, const csp_dataset *ds,
                        const csp_figure *f)
{
    const csp_claim *cl = NULL;
    csp_figure_origin o = csp_dataset_figure_origin(ds, f, &cl);
    if (o != CSP_ORIGIN_COMPUTED && o != CSP_ORIGIN_REPLACED)
        return false;
    lg->marked = true;
    if (!cl)
        return true;
    char v[CSP_DECIMAL_GROUPED_BUFSZ], label[CSP_LABEL_BUFSZ];
    csp_decimal_format_grouped(cl->value, 0, v);
    csp_period_label(f->period, label);
    const csp_indicator *ind = csp_template_indicator(ds->tpl, f->indicator);
    legend_printf(lg, "%s%s sent %s%s for %s, %s, %s",
                  lg->nreplaced ? "; " : "", agency_label(ds->tpl, cl->agency),
                  v, ind && ind->unit == CSP_UNIT_PERCENT ? "%" : "",
                  ind && ind->name ? ind->name : f->indicator,
                  area_label(ds->tpl, f->area), label);
    lg->nreplaced++;
    return true;
}

/* The sentence for the table noted so far; empties the legend. */
char *csp_kf_legend_take(csp_kf_legend *lg)
{
    char *out = NULL;
    if (lg->marked && !lg->err) {
        /* The board reads the partnership's calculation; analysts the
         * tool that made it. */
        const char *head =
            lg->plain ? CSP_KF_ORIGIN_MARK " the partnership's calculation "
                                           "from its own figures, under the "
                                           "strategy's rule."
                      : CSP_KF_ORIGIN_MARK " worked out by csppack from the "
                                           "partnership's figures under the "
                                           "strategy's rule.";
        const char *tail = lg->nreplaced == 0 ? ""
                           : lg->nreplaced == 1
                               ? (lg->plain
                                      ? ", which does not agree with them "
                                        "(see Data quality)."
                                      : ", which does not agree with them "
                                        "(W409; see Data quality).")
                           : lg->plain ? ", which do not agree with them "
                                         "(see Data quality)."
                                       : ", which do not agree with them "
                                         "(W409; see Data quality).";
        size_t n = strlen(head) + 2 + lg->len + strlen(tail);
        out = csp_malloc(n);
        if (out)
            snprintf(out, n, "%s%s%s%s", head, lg->nreplaced ? " " : "",
                     lg->replaced ? lg->replaced : "", tail);
        else
            lg->err = CSP_ERR_NOMEM;
    }
    csp_error err = lg->err;
    bool plain = lg->plain;
    csp_kf_legend_free(lg);
    lg->err = err;
    lg->plain = plain;
    return out;
}

/* Free what the legend holds; it is empty again. */
void csp_kf_legend_free(csp_kf_legend *lg)
{
    free(lg->replaced);
    csp_kf_legend_init(lg);
}

void csp_kf_free(csp_kf *kf)
{
    if (!kf)
        return;
    for (size_t a = 0; a < kf->nareas; a++)
        free(kf->areas[a].lines);
    free(kf->areas);
    kf->areas = NULL;
    kf->nareas = 0;
}

/* Financial years: twelve months ending in March. */
bool csp_kf_financial(const csp_kf *kf)
{
    return kf->month == 3;
}

/* Calendar years: twelve months ending in December. */
bool csp_kf_calendar(const csp_kf *kf)
{
    return kf->month == 12;
}

/* Is @p p one of the key findings' years (twelve months ending on the
 * last day of their month)? */
static bool kind_year(const csp_kf *kf, csp_period p)
{
    return kf->month != 0 && csp_period_is_year(p) &&
           date_month(p.end) == kf->month;
}

/* "2019/20", "2019" or "YE Sept 19". */
void csp_kf_label(const csp_kf *kf, csp_period p, char buf[CSP_LABEL_BUFSZ])
{
    int y, m, d;
    csp_date_to_ymd(p.end, &y, &m, &d);
    if (kind_year(kf, p) && csp_kf_financial(kf))
        snprintf(buf, CSP_LABEL_BUFSZ, "%d/%02d", y - 1, y % 100);
    else if (kind_year(kf, p) && csp_kf_calendar(kf))
        snprintf(buf, CSP_LABEL_BUFSZ, "%d", y);
    else
        csp_period_label(p, buf);
}

/* "2020/21", "2021" or "the year ending 30 September 2021". */
void csp_kf_phrase(const csp_kf *kf, csp_period p, char buf[CSP_LABEL_BUFSZ])
{
    if (kind_year(kf, p) && (csp_kf_financial(kf) || csp_kf_calendar(kf)))
        csp_kf_label(kf, p, buf);
    else
        csp_period_phrase(p, buf);
}

/* "% change 2019/20 to 2020/21", or "% change (20 to 21)" for rolling
 * years, whose labels ("YE Sept 20") stand above it. */
char *csp_kf_change_header(const csp_template *tpl, const csp_kf *kf)
{
    const char *head = csp_template_label(tpl, CSP_LABEL_KF_CHANGE);
    char a[CSP_LABEL_BUFSZ], b[CSP_LABEL_BUFSZ];
    size_t n = strlen(head) + 2 * CSP_LABEL_BUFSZ + 16;
    char *out = csp_malloc(n);
    if (!out)
        return NULL;
    if (kf->nperiods < 2) {
        snprintf(out, n, "%s", head);
    } else if (csp_kf_financial(kf) || csp_kf_calendar(kf)) {
        csp_kf_label(kf, kf->periods[kf->nperiods - 2], a);
        csp_kf_label(kf, kf->periods[kf->nperiods - 1], b);
        snprintf(out, n, "%s %s to %s", head, a, b);
    } else {
        int y1, y2, m, d;
        csp_date_to_ymd(kf->periods[kf->nperiods - 2].end, &y1, &m, &d);
        csp_date_to_ymd(kf->periods[kf->nperiods - 1].end, &y2, &m, &d);
        snprintf(out, n, "%s (%02d to %02d)", head, (y1 % 100 + 100) % 100,
                 (y2 % 100 + 100) % 100);
    }
    return out;
}

/* "Year ending", "Financial year" or "Year", as the template words them. */
const char *csp_kf_axis_title(const csp_template *tpl, const csp_kf *kf)
{
    return csp_template_label(tpl, csp_kf_financial(kf)
                                       ? CSP_LABEL_CHART_FINANCIAL_YEARS
                                   : csp_kf_calendar(kf)
                                       ? CSP_LABEL_CHART_CALENDAR_YEARS
                                       : CSP_LABEL_CHART_YEARS);
}

/* "+11.5", "-3.0", "0.0". */
void csp_kf_format_change(csp_decimal change, char buf[CSP_DECIMAL_BUFSZ + 1])
{
    char tmp[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(change, tmp);
    snprintf(buf, CSP_DECIMAL_BUFSZ + 1, "%s%s", change.units > 0 ? "+" : "",
             tmp);
}

/* The first key-findings row's rate indicator; NULL when none has one. */
static const csp_indicator *kf_rate_indicator(const csp_template *tpl)
{
    const csp_key_findings *k = &tpl->key_findings;
    for (size_t r = 0; r < k->nrows; r++) {
        const csp_indicator *ind =
            k->rows[r].rate ? csp_template_indicator(tpl, k->rows[r].rate)
                            : NULL;
        if (ind)
            return ind;
    }
    return NULL;
}

/* @p v with thousands separators ("100,000"). */
static void grouped(int64_t v, char buf[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lld", (long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < 32; i++) {
        if (i > 0 && (n - i) % 3 == 0 && digits[0] != '-')
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

void csp_kf_rate_basis(const csp_template *tpl, char buf[CSP_LABEL_BUFSZ])
{
    const csp_indicator *ind = kf_rate_indicator(tpl);
    char per[32];
    grouped(ind ? ind->per : 1000, per);
    snprintf(buf, CSP_LABEL_BUFSZ, "per %s %s", per,
             ind && ind->base == CSP_BASE_HOUSEHOLDS ? "households"
                                                     : "population");
}

void csp_kf_rate_header(const csp_template *tpl, char buf[CSP_LABEL_BUFSZ])
{
    const csp_indicator *ind = kf_rate_indicator(tpl);
    if (tpl->labels[CSP_LABEL_KF_RATE] || !ind ||
        (ind->per == 1000 && ind->base == CSP_BASE_POPULATION)) {
        snprintf(buf, CSP_LABEL_BUFSZ, "%s",
                 csp_template_label(tpl, CSP_LABEL_KF_RATE));
        return;
    }
    char per[32];
    grouped(ind->per, per);
    snprintf(buf, CSP_LABEL_BUFSZ, "Per %s %s", per,
             ind->base == CSP_BASE_HOUSEHOLDS ? "households" : "pop.");
}
