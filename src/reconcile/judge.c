/* csppack: the judgement of a measure's figure, its direction of travel
 * against its comparator and its RAG rating against its target
 * (doc/reconciliation.md, "Judgement").  Exact: every comparison is made
 * on exact ratios with overflow checked; what overflows is not judged. */
#include <string.h>

#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/lookup.h"

typedef csp_int128 i128;

/* |x|. */
static i128 abs128(i128 x)
{
    return x < 0 ? -x : x;
}

/* a.num * b.den compared with b.num * a.den: -1, 0, 1 in *out; false on
 * overflow.  Denominators are positive. */
static bool ratio_cmp(csp_ratio a, csp_ratio b, int *out)
{
    i128 l, r;
    if (__builtin_mul_overflow(a.num, b.den, &l) ||
        __builtin_mul_overflow(b.num, a.den, &r))
        return false;
    *out = (l > r) - (l < r);
    return true;
}

/* a - b, exactly; false on overflow. */
static bool ratio_sub(csp_ratio a, csp_ratio b, csp_ratio *out)
{
    i128 l, r, d;
    if (__builtin_mul_overflow(a.num, b.den, &l) ||
        __builtin_mul_overflow(b.num, a.den, &r) ||
        __builtin_sub_overflow(l, r, &out->num) ||
        __builtin_mul_overflow(a.den, b.den, &d))
        return false;
    out->den = d;
    return true;
}

/* Whether |gap| is at most @p pct per cent of |base|: |gap| * 100 <=
 * pct * |base|, exactly; false in *out on overflow too (then *ok false). */
static bool within(csp_ratio gap, csp_ratio base, csp_decimal pct, bool *ok)
{
    csp_ratio p = csp_ratio_from_decimal(pct);
    i128 l, r, t;
    /* |g.num| / g.den * 100 <= p.num / p.den * |b.num| / b.den
     * <=> |g.num| * 100 * p.den * b.den <= p.num * |b.num| * g.den */
    *ok = !(__builtin_mul_overflow(abs128(gap.num), (i128)100, &l) ||
            __builtin_mul_overflow(l, p.den, &t) ||
            __builtin_mul_overflow(t, base.den, &l) ||
            __builtin_mul_overflow(p.num, abs128(base.num), &t) ||
            __builtin_mul_overflow(t, gap.den, &r));
    return *ok && l <= r;
}

/* @p d moved by @p years years, 29 February becoming 28 February. */
static csp_date shift_years(csp_date d, int years)
{
    int y, m, day;
    csp_date_to_ymd(d, &y, &m, &day);
    csp_date out;
    if (!csp_date_from_ymd(y + years, m, day, &out))
        (void)csp_date_from_ymd(y + years, m, day - 1, &out);
    return out;
}

/* Whether @p d is the last day of its month. */
static bool month_end(csp_date d)
{
    int y, m, day;
    csp_date_to_ymd(d + 1, &y, &m, &day);
    return day == 1;
}

/* The period of the same length that ends the day before @p p starts:
 * whole months when p is whole months, else the same number of days. */
static csp_period previous_period(csp_period p)
{
    int y, m, day, ey, em, ed;
    csp_date_to_ymd(p.start, &y, &m, &day);
    csp_date_to_ymd(p.end, &ey, &em, &ed);
    csp_period out = {.start = p.start - (p.end - p.start + 1),
                      .end = p.start - 1};
    if (day == 1 && month_end(p.end)) {
        int months = (ey - y) * 12 + (em - m) + 1;
        int start = y * 12 + (m - 1) - months;
        csp_date s;
        if (csp_date_from_ymd(start / 12, start % 12 + 1, 1, &s))
            out.start = s;
    }
    return out;
}

bool csp_judge_comparator_period(const csp_indicator *ind, csp_period period,
                                 csp_period *out)
{
    switch (ind->comparator) {
    case CSP_COMPARE_PREVIOUS:
        *out = previous_period(period);
        return true;
    case CSP_COMPARE_BASELINE:
        *out = ind->baseline;
        return ind->has_baseline;
    case CSP_COMPARE_YEAR_AGO:
    default:
        out->start = shift_years(period.start, -1);
        out->end = shift_years(period.end, -1);
        return true;
    }
}

/* The figure of @p ind's key in @p area for @p period when it stands with
 * a value; else NULL. */
static const csp_figure *value_figure(const csp_dataset *ds,
                                      const csp_indicator *ind,
                                      const char *area, csp_period period)
{
    const csp_figure *f = csp_dataset_figure(ds, ind->id, area, period);
    return f && f->state == CSP_FIGURE_STANDS && f->has_value ? f : NULL;
}

/* The target of @p ind for @p area and @p period: the area's own, else
 * the one for every area; NULL when none. */
static const csp_target *find_target(const csp_indicator *ind,
                                     const char *area, csp_period period)
{
    const csp_target *any = NULL;
    for (size_t i = 0; i < ind->ntargets; i++) {
        const csp_target *t = &ind->targets[i];
        if (csp_period_cmp(t->period, period) != 0)
            continue;
        if (!t->area)
            any = t;
        else if (strcmp(t->area, area) == 0)
            return t;
    }
    return any;
}

/* The direction of travel from @p c to @p v under @p ind's rules. */
static csp_direction direction_of(const csp_indicator *ind, csp_decimal v,
                                  csp_decimal c)
{
    csp_ratio rv = csp_ratio_from_decimal(v), rc = csp_ratio_from_decimal(c);
    csp_ratio gap;
    int cmp;
    bool ok = true;
    if (!ratio_cmp(rv, rc, &cmp) || !ratio_sub(rv, rc, &gap))
        return CSP_DIR_NONE;
    if (cmp == 0)
        return CSP_DIR_SAME;
    if (rc.num != 0 && within(gap, rc, ind->thresholds.no_change_within, &ok))
        return CSP_DIR_SAME;
    bool up = cmp > 0;
    switch (ind->polarity) {
    case CSP_POLARITY_LOWER:
        return up ? CSP_DIR_WORSE : CSP_DIR_BETTER;
    case CSP_POLARITY_HIGHER:
        return up ? CSP_DIR_BETTER : CSP_DIR_WORSE;
    case CSP_POLARITY_NEITHER:
    default:
        return up ? CSP_DIR_UP : CSP_DIR_DOWN;
    }
}

/* The target value of @p t, exactly: its value, or its change in per cent
 * on @p base (NULL: no base figure, then false). */
static bool target_value(const csp_target *t, const csp_figure *base,
                         csp_ratio *out)
{
    if (!t->is_change) {
        *out = csp_ratio_from_decimal(t->value);
        return true;
    }
    if (!base)
        return false;
    csp_ratio b = csp_ratio_from_decimal(base->value);
    csp_ratio c = csp_ratio_from_decimal(t->value);
    i128 hundred, factor, n, d;
    /* base * (100 + c) / 100 = b.num * (100 c.den + c.num) /
     * (b.den * c.den * 100) */
    if (__builtin_mul_overflow((i128)100, c.den, &hundred) ||
        __builtin_add_overflow(hundred, c.num, &factor) ||
        __builtin_mul_overflow(b.num, factor, &n) ||
        __builtin_mul_overflow(b.den, c.den, &d) ||
        __builtin_mul_overflow(d, (i128)100, &d))
        return false;
    out->num = n;
    out->den = d;
    return true;
}

/* The rating of @p v against target @p t under @p ind's rules. */
static csp_rating rating_of(const csp_indicator *ind, csp_decimal v,
                            csp_ratio t)
{
    csp_ratio rv = csp_ratio_from_decimal(v), gap;
    int cmp;
    bool ok = true;
    if (!ratio_cmp(rv, t, &cmp) || !ratio_sub(rv, t, &gap))
        return CSP_RATING_GREY;
    if (cmp == 0 || (ind->polarity == CSP_POLARITY_LOWER && cmp < 0) ||
        (ind->polarity == CSP_POLARITY_HIGHER && cmp > 0))
        return CSP_RATING_GREEN;
    if (t.num != 0 && within(gap, t, ind->thresholds.amber_within, &ok))
        return CSP_RATING_AMBER;
    return ok || t.num == 0 ? CSP_RATING_RED : CSP_RATING_GREY;
}

/* Judge against the target, filling out->has_target, target, rating. */
static void judge_target(const csp_dataset *ds, const csp_indicator *ind,
                         const csp_figure *fig, csp_judgement *out)
{
    const csp_target *t = find_target(ind, fig->area, fig->period);
    if (!t)
        return;
    const csp_figure *base = out->comparator;
    if (ind->has_baseline)
        base = value_figure(ds, ind, fig->area, ind->baseline);
    csp_ratio tv;
    if (!target_value(t, base, &tv) ||
        csp_ratio_round(tv, ind->decimals, &out->target) != CSP_OK)
        return;
    out->has_target = true;
    if (fig->state == CSP_FIGURE_STANDS && fig->has_value &&
        ind->polarity != CSP_POLARITY_NEITHER)
        out->rating = rating_of(ind, fig->value, tv);
}

void csp_judge_figure(const csp_dataset *ds, const csp_figure *fig,
                      csp_judgement *out)
{
    memset(out, 0, sizeof *out);
    const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
    if (!csp_judge_comparator_period(ind, fig->period,
                                     &out->comparator_period))
        out->comparator_period = fig->period;
    else
        out->comparator =
            value_figure(ds, ind, fig->area, out->comparator_period);
    bool has_value = fig->state == CSP_FIGURE_STANDS && fig->has_value;
    if (has_value && out->comparator) {
        csp_decimal neg = out->comparator->value;
        neg.units = -neg.units;
        out->has_change =
            csp_decimal_add(fig->value, neg, &out->change) == CSP_OK;
        out->has_percent =
            out->comparator->value.units != 0 &&
            csp_dataset_percent_change(out->comparator->value, fig->value, 1,
                                       &out->percent) == CSP_OK;
        out->direction =
            direction_of(ind, fig->value, out->comparator->value);
    }
    judge_target(ds, ind, fig, out);
}

const char *csp_direction_str(csp_direction d)
{
    switch (d) {
    case CSP_DIR_BETTER: return "better";
    case CSP_DIR_WORSE: return "worse";
    case CSP_DIR_SAME: return "no real change";
    case CSP_DIR_UP: return "up";
    case CSP_DIR_DOWN: return "down";
    case CSP_DIR_NONE:
    default: return "";
    }
}

const char *csp_rating_str(csp_rating r)
{
    switch (r) {
    case CSP_RATING_GREEN: return "green";
    case CSP_RATING_AMBER: return "amber";
    case CSP_RATING_RED: return "red";
    case CSP_RATING_GREY:
    default: return "grey";
    }
}
