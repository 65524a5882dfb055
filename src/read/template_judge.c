/*
 * csppack: reading what a template says about judging an indicator and
 * about what its owner owes (read/template_judge.h): thresholds,
 * polarity, comparator, baseline, targets and frequency.
 */
#include "csppack/read/template_judge.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/read/xmlsafe.h"

/* A threshold the template does not state: amber within 5 per cent of the
 * target, and any change at all is a change. */
#define TPL_AMBER_WITHIN 5
#define TPL_NO_CHANGE_WITHIN 0

/* A target as read, with where it is (for E301 and the sort). */
typedef struct tpl_target_seen {
    csp_target target;
    unsigned long line;
} tpl_target_seen;

/*
 * Exact decimal attribute @p name of @p node into @p out; *present false
 * when absent.  @p id is the indicator's (NULL: <indicators>), @p has
 * how a message goes on ("has", "has a target with").  More digits than
 * csppack holds is E305.
 */
static csp_error read_amount(csp_tpl_reader *r, xmlNodePtr node,
                             const char *name, const char *id,
                             const char *has, bool *present, csp_decimal *out)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    csp_diag keys = csp_tpl_keys_indicator(id);

    *present = false;
    err = csp_tpl_get_attr(node, name, false, &s);
    if (err || !s)
        goto out;
    switch (csp_decimal_parse(s, strlen(s), out)) {
    case CSP_DEC_OK:
        *present = true;
        break;
    case CSP_DEC_TOO_LONG:
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, csp_tpl_node_line(node),
                             &keys,
                             "%s%s%s %s %s=\"%s\", which has more digits "
                             "than csppack holds (18 digits, 9 decimals); "
                             "round it",
                             id ? "indicator \"" : "<indicators>",
                             id ? id : "", id ? "\"" : "", has, name, s);
        break;
    case CSP_DEC_EMPTY:
    case CSP_DEC_SYNTAX:
        err = CSP_ERR_INTERNAL; /* the XSD allows digits only */
        break;
    }
out:
    free(s);
    return err;
}

/* The thresholds of <indicators> or of one <indicator>. */
csp_error csp_tpl_read_thresholds(csp_tpl_reader *r, xmlNodePtr node,
                                  const csp_thresholds *dflt,
                                  const char *indicator, csp_thresholds *out)
{
    csp_error err = CSP_OK;
    bool present = false;
    csp_decimal v;

    if (dflt) {
        *out = *dflt;
    } else {
        out->amber_within = (csp_decimal){TPL_AMBER_WITHIN, 0};
        out->no_change_within = (csp_decimal){TPL_NO_CHANGE_WITHIN, 0};
    }
    err = read_amount(r, node, "amber-within", indicator, "has", &present,
                      &v);
    if (err)
        goto out;
    if (present)
        out->amber_within = v;
    err = read_amount(r, node, "no-change-within", indicator, "has",
                      &present, &v);
    if (err)
        goto out;
    if (present)
        out->no_change_within = v;
out:
    return err;
}

/* Why csp_period_parse refused @p text, as the end of a sentence. */
static const char *period_problem(csp_period_status st)
{
    switch (st) {
    case CSP_PERIOD_BAD_DATE:
        return "one of its dates does not exist";
    case CSP_PERIOD_REVERSED:
        return "it starts after it ends";
    case CSP_PERIOD_SYNTAX:
    case CSP_PERIOD_OK:
        break;
    }
    return "it is not two dates YYYY-MM-DD/YYYY-MM-DD";
}

/*
 * Period attribute @p name of @p node (a baseline or a target's period)
 * into @p out; *ok false when it is absent or refused (E305, said to be
 * @p what's).
 */
static csp_error read_period(csp_tpl_reader *r, xmlNodePtr node,
                             const char *name, const char *id,
                             const char *what, bool *ok, csp_period *out)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    csp_diag keys = csp_tpl_keys_indicator(id);
    csp_period_status st;

    *ok = false;
    err = csp_tpl_get_attr(node, name, false, &s);
    if (err || !s)
        goto out;
    st = csp_period_parse(s, strlen(s), out);
    if (st == CSP_PERIOD_OK) {
        *ok = true;
        goto out;
    }
    err = csp_tpl_report(r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), &keys,
                         "indicator \"%s\" has %s \"%s\", which is not a "
                         "period: %s; write it as YYYY-MM-DD/YYYY-MM-DD, "
                         "first day to last day",
                         id, what, s, period_problem(st));
out:
    free(s);
    return err;
}

/* The polarity named by the XSD enumeration @p s (NULL: the default). */
static csp_polarity polarity_from_str(const char *s)
{
    if (s && strcmp(s, "lower") == 0)
        return CSP_POLARITY_LOWER;
    if (s && strcmp(s, "higher") == 0)
        return CSP_POLARITY_HIGHER;
    return CSP_POLARITY_NEITHER;
}

/* The comparator named by the XSD enumeration @p s (NULL: the default). */
static csp_comparator comparator_from_str(const char *s)
{
    if (s && strcmp(s, "previous") == 0)
        return CSP_COMPARE_PREVIOUS;
    if (s && strcmp(s, "baseline") == 0)
        return CSP_COMPARE_BASELINE;
    return CSP_COMPARE_YEAR_AGO;
}

/* The frequency named by the XSD enumeration @p s (NULL: the default). */
static csp_frequency frequency_from_str(const char *s)
{
    if (s && strcmp(s, "year-ending") == 0)
        return CSP_FREQ_YEAR_ENDING;
    if (s && strcmp(s, "none") == 0)
        return CSP_FREQ_NONE;
    return CSP_FREQ_QUARTERLY;
}

/* Order targets by period, then area (every area first), then line. */
static int target_cmp(const void *pa, const void *pb)
{
    const tpl_target_seen *a = pa, *b = pb;
    int c = csp_period_cmp(a->target.period, b->target.period);

    if (c)
        return c;
    if (!a->target.area != !b->target.area)
        return a->target.area ? 1 : -1;
    if (a->target.area) {
        c = strcmp(a->target.area, b->target.area);
        if (c)
            return c;
    }
    return (a->line > b->line) - (a->line < b->line);
}

/* True when @p a and @p b are targets for one period and area. */
static bool same_target(const csp_target *a, const csp_target *b)
{
    if (csp_period_cmp(a->period, b->period) != 0 || !a->area != !b->area)
        return false;
    return !a->area || strcmp(a->area, b->area) == 0;
}

/*
 * One <target> of indicator @p ind into @p t; *ok false when it is
 * refused (E305: a period that is not one, value= and change= both or
 * neither, a value with too many digits).  Its area is recorded for
 * E302.
 */
static csp_error read_target(csp_tpl_reader *r, xmlNodePtr node,
                             csp_indicator *ind, csp_target *t, bool *ok)
{
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);
    csp_diag keys = csp_tpl_keys_indicator(ind->id);
    bool has_period = false, has_value = false, has_change = false;
    bool value_attr, change_attr;
    csp_decimal value = {0, 0}, change = {0, 0};
    char buf[CSP_PERIOD_BUFSZ];

    *ok = false;
    err = read_period(r, node, "period", ind->id, "a target for", &has_period,
                      &t->period);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "area", false, &t->area);
    if (err)
        goto out;
    if (t->area) {
        err = csp_tpl_refer(r, CSP_TPL_R_TARGET_AREA, ind->id, t->area, line,
                            NULL);
        if (err)
            goto out;
    }
    err = read_amount(r, node, "value", ind->id, "has a target with",
                      &has_value, &value);
    if (!err)
        err = read_amount(r, node, "change", ind->id, "has a target with",
                          &has_change, &change);
    if (err || !has_period)
        goto out;
    csp_period_format(t->period, buf);
    keys.period = t->period;
    keys.has_period = true;
    value_attr = xmlHasNsProp(node, BAD_CAST "value", NULL) != NULL;
    change_attr = xmlHasNsProp(node, BAD_CAST "change", NULL) != NULL;
    if (value_attr == change_attr) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" has a target for %s with %s; give "
            "either value= (the figure to reach) or change= (a change "
            "in per cent on the baseline or the comparator)",
            ind->id, buf,
            value_attr ? "both value= and change=" : "neither value= nor change=");
        goto out;
    }
    if (!has_value && !has_change)
        goto out; /* a value refused above (E305) */
    t->is_change = has_change;
    t->value = has_change ? change : value;
    *ok = true;
out:
    return err;
}

/* E301: report every target for a period and area already given. */
static csp_error check_repeats(csp_tpl_reader *r, const csp_indicator *ind,
                               const tpl_target_seen *seen, size_t n)
{
    csp_error err = CSP_OK;
    char buf[CSP_PERIOD_BUFSZ];

    for (size_t i = 1; i < n; i++) {
        size_t first = i - 1;
        const csp_target *t = &seen[i].target;
        csp_diag keys = csp_tpl_keys_indicator(ind->id);
        if (!same_target(t, &seen[first].target))
            continue;
        while (first > 0 && same_target(t, &seen[first - 1].target))
            first--;
        csp_period_format(t->period, buf);
        keys.area = t->area;
        keys.period = t->period;
        keys.has_period = true;
        if (t->area)
            err = csp_tpl_report(
                r, CSP_D_TPL_DUPLICATE_ID, seen[i].line, &keys,
                "indicator \"%s\" has a second target for %s in area "
                "\"%s\" (the first is on line %lu); keep one",
                ind->id, buf, t->area, seen[first].line);
        else
            err = csp_tpl_report(
                r, CSP_D_TPL_DUPLICATE_ID, seen[i].line, &keys,
                "indicator \"%s\" has a second target for %s for every "
                "area (the first is on line %lu); keep one",
                ind->id, buf, seen[first].line);
        if (err)
            goto out;
    }
out:
    return err;
}

/* The <target> children of @p node, sorted into ind->targets. */
static csp_error read_targets(csp_tpl_reader *r, xmlNodePtr node,
                              csp_indicator *ind)
{
    csp_error err = CSP_OK;
    size_t n = csp_tpl_count_children(node, "target"), kept = 0;
    tpl_target_seen *seen = csp_tpl_calloc_n(n, sizeof *seen);
    csp_diag keys = csp_tpl_keys_indicator(ind->id);

    if (n && !seen) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        bool ok = false;
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "target"))
            continue;
        tpl_target_seen *cur = &seen[kept];
        cur->line = csp_tpl_node_line(c);
        err = read_target(r, c, ind, &cur->target, &ok);
        if (ok) {
            kept++;
        } else {
            free(cur->target.area); /* a refused target is left out */
            memset(cur, 0, sizeof *cur);
        }
        if (err)
            goto out;
    }
    if (n && ind->polarity == CSP_POLARITY_NEITHER) {
        /* A target says which way is better; without a polarity it could
         * only be rated by guessing.  Refused rather than ignored, so
         * that the board never reads a target that is not rated. */
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), &keys,
            "indicator \"%s\" has targets, but neither way is better "
            "(better=\"neither\"), so they cannot be rated; say "
            "better=\"lower\" or better=\"higher\", or remove the targets",
            ind->id);
        if (err)
            goto out;
    }
    if (kept > 1)
        qsort(seen, kept, sizeof *seen, target_cmp);
    err = check_repeats(r, ind, seen, kept);
    if (err || kept == 0)
        goto out;
    ind->targets = csp_calloc(kept, sizeof *ind->targets);
    if (!ind->targets) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < kept; i++) {
        ind->targets[i] = seen[i].target;
        seen[i].target.area = NULL;
    }
    ind->ntargets = kept;
out:
    if (seen) {
        for (size_t i = 0; i < kept; i++)
            free(seen[i].target.area);
        free(seen);
    }
    return err;
}

/* The judgement of one <indicator>. */
csp_error csp_tpl_read_judgement(csp_tpl_reader *r, xmlNodePtr node,
                                 csp_indicator *ind)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long line = csp_tpl_node_line(node);
    csp_diag keys = csp_tpl_keys_indicator(ind->id);

    err = csp_tpl_get_attr(node, "better", false, &s);
    if (err)
        goto out;
    ind->polarity = polarity_from_str(s);
    free(s);
    err = csp_tpl_get_attr(node, "compare", false, &s);
    if (err)
        goto out;
    ind->comparator = comparator_from_str(s);
    free(s);
    err = csp_tpl_get_attr(node, "frequency", false, &s);
    if (err)
        goto out;
    ind->frequency = frequency_from_str(s);
    free(s);
    s = NULL;
    err = csp_tpl_read_thresholds(r, node, &r->tpl->thresholds, ind->id,
                                  &ind->thresholds);
    if (err)
        goto out;
    err = read_period(r, node, "baseline", ind->id, "baseline",
                      &ind->has_baseline, &ind->baseline);
    if (err)
        goto out;
    if (ind->comparator == CSP_COMPARE_BASELINE && !ind->has_baseline &&
        !xmlHasNsProp(node, BAD_CAST "baseline", NULL)) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" is compared with its baseline "
            "(compare=\"baseline\") but has no baseline=; add "
            "baseline=\"YYYY-MM-DD/YYYY-MM-DD\" or compare with "
            "\"year-ago\" or \"previous\"",
            ind->id);
        if (err)
            goto out;
    }
    err = read_targets(r, node, ind);
out:
    free(s);
    return err;
}
