/* csppack: key findings tables and period labels. */
#include "csppack/reconcile/keyfindings.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* Month abbreviations as the strategy writes them ("YE Sept 14"). */
static const char *const month_short[] = {"Jan",  "Feb", "Mar",  "Apr",
                                          "May",  "June", "July", "Aug",
                                          "Sept", "Oct", "Nov",  "Dec"};
static const char *const month_long[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

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
        snprintf(buf, CSP_LABEL_BUFSZ, "YE %s %02d", month_short[me - 1],
                 ye % 100);
    } else if (whole && months == 3 && (ms - 4 + 12) % 3 == 0) {
        int q = (ms - 4 + 12) % 12 / 3 + 1;
        int fy = ms >= 4 ? ys : ys - 1;
        snprintf(buf, CSP_LABEL_BUFSZ, "Q%d %d/%02d", q, fy, (fy + 1) % 100);
    } else if (whole && months == 1) {
        snprintf(buf, CSP_LABEL_BUFSZ, "%s %d", month_short[ms - 1], ys);
    } else {
        snprintf(buf, CSP_LABEL_BUFSZ, "%d %s %d \xe2\x80\x93 %d %s %d", ds,
                 month_short[ms - 1], ys, de, month_short[me - 1], ye);
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
                 month_long[me - 1], ye);
    else if (whole && months == 3)
        snprintf(buf, CSP_LABEL_BUFSZ, "the quarter %d %s to %d %s %d", ds,
                 month_long[ms - 1], de, month_long[me - 1], ye);
    else
        snprintf(buf, CSP_LABEL_BUFSZ, "%d %s %d to %d %s %d", ds,
                 month_long[ms - 1], ys, de, month_long[me - 1], ye);
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

    /* Every year-ending period any row has a figure for. */
    csp_period *all = NULL;
    size_t nall = 0, cap = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        if (!csp_period_is_year(f->period) || f->period.end > until)
            continue;
        bool row = false;
        for (size_t r = 0; r < k->nrows && !row; r++)
            row = strcmp(f->indicator, k->rows[r].indicator) == 0;
        if (!row || have_period(all, nall, f->period))
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
    char v[CSP_DECIMAL_BUFSZ], label[CSP_LABEL_BUFSZ];
    csp_decimal_format(cl->value, v);
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

/* "+11.5", "-3.0", "0.0". */
void csp_kf_format_change(csp_decimal change, char buf[CSP_DECIMAL_BUFSZ + 1])
{
    char tmp[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(change, tmp);
    snprintf(buf, CSP_DECIMAL_BUFSZ + 1, "%s%s", change.units > 0 ? "+" : "",
             tmp);
}
