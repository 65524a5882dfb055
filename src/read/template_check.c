/*
 * csppack: a strategy template's consistency checks, made once every id
 * is declared (read/template_check.h): duplicate ids (E301), references
 * to undeclared ids (E302), rule cycles (E303), rule units (E304),
 * theme numbering and action refs (E305).
 */
#include "csppack/read/template_check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

/* How each kind is named in messages. */
static const struct {
    const char *word;      /* "delivery group" */
    const char *container; /* where it is declared */
    const char *key;       /* the attribute that names it */
} tpl_kinds[CSP_TPL_KINDS] = {
    [CSP_TPL_AREA] = {"area", "<areas>", "id"},
    [CSP_TPL_AGENCY] = {"agency", "<agencies>", "id"},
    [CSP_TPL_GROUP] = {"delivery group", "<delivery-groups>", "id"},
    [CSP_TPL_PRIORITY] = {"priority", "<priorities>", "id"},
    [CSP_TPL_INDICATOR] = {"indicator", "<indicators>", "id"},
    [CSP_TPL_THEME] = {"theme", "<themes>", "id"},
    [CSP_TPL_ACTION] = {"action", "<actions>", "ref"},
    [CSP_TPL_SECTION] = {"section", "<strategy>", "id"},
};

/* How each role reads in a message ("indicator "x" sums "y", which...").
 * want is the unit the referenced indicator must have, or -1. */
static const struct {
    csp_tpl_kind kind;
    const char *subject;
    const char *verb;
    int want;
    const char *hint; /* E304 advice */
} tpl_roles[CSP_TPL_ROLES] = {
    [CSP_TPL_R_SUM_INPUT] = {CSP_TPL_INDICATOR, "indicator", "sums",
                             CSP_UNIT_COUNT, "only counts can be summed"},
    [CSP_TPL_R_RATE_COUNT] = {CSP_TPL_INDICATOR, "indicator",
                              "is a rate per 1,000 of", CSP_UNIT_COUNT,
                              "a rate per 1,000 is worked out from a count"},
    [CSP_TPL_R_RATE_OF] = {CSP_TPL_INDICATOR, "indicator", "is a rate of",
                           CSP_UNIT_COUNT,
                           "a rate is worked out from a count"},
    [CSP_TPL_R_SHARE_PART] = {CSP_TPL_INDICATOR, "indicator",
                              "takes its part from", CSP_UNIT_COUNT,
                              "a share divides one count by another"},
    [CSP_TPL_R_SHARE_WHOLE] = {CSP_TPL_INDICATOR, "indicator",
                               "takes its whole from", CSP_UNIT_COUNT,
                               "a share divides one count by another"},
    [CSP_TPL_R_OWNER_AGENCY] = {CSP_TPL_AGENCY, "indicator",
                                "is owned by agency", -1, NULL},
    [CSP_TPL_R_OWNER_AREA] = {CSP_TPL_AREA, "indicator",
                              "names an owner for area", -1, NULL},
    [CSP_TPL_R_INDICATOR_THEME] = {CSP_TPL_THEME, "indicator",
                                   "belongs to theme", -1, NULL},
    [CSP_TPL_R_GROUP_AGENCY] = {CSP_TPL_AGENCY, "delivery group",
                                "lists agency", -1, NULL},
    [CSP_TPL_R_THEME_PRIORITY] = {CSP_TPL_PRIORITY, "theme", "lists priority",
                                  -1, NULL},
    [CSP_TPL_R_MEASURE] = {CSP_TPL_INDICATOR, "theme", "measures indicator", -1,
                           NULL},
    [CSP_TPL_R_KEY_GROUP] = {CSP_TPL_GROUP, "theme", "lists key delivery group",
                             -1, NULL},
    [CSP_TPL_R_ACTION_GROUP] = {CSP_TPL_GROUP, "action",
                                "is coordinated by delivery group", -1, NULL},
    [CSP_TPL_R_ACTION_PRIORITY] = {CSP_TPL_PRIORITY, "action",
                                   "serves priority", -1, NULL},
    [CSP_TPL_R_KF_INDICATOR] = {CSP_TPL_INDICATOR, "key-findings row",
                                "shows indicator", CSP_UNIT_COUNT,
                                "point indicator= at a count"},
    [CSP_TPL_R_KF_RATE] = {CSP_TPL_INDICATOR, "key-findings row", "shows rate",
                           CSP_UNIT_RATE, "point rate= at a rate per 1,000"},
    [CSP_TPL_R_CONTACT] = {CSP_TPL_AGENCY, NULL, "lists agency", -1, NULL},
    [CSP_TPL_R_TARGET_AREA] = {CSP_TPL_AREA, "indicator",
                               "has a target for area", -1, NULL},
};

/* E301: sort each kind's declarations and report every repeat. */
static csp_error check_duplicates(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;

    for (int k = 0; k < CSP_TPL_KINDS; k++) {
        csp_tpl_decls *d = &r->decls[k];
        csp_template_index_sort(d);
        for (size_t i = 1; i < d->count; i++) {
            size_t first = i - 1;
            if (strcmp(d->items[i].id, d->items[first].id) != 0)
                continue;
            while (first > 0 &&
                   strcmp(d->items[first - 1].id, d->items[i].id) == 0)
                first--;
            csp_diag keys;
            memset(&keys, 0, sizeof keys);
            if (k == CSP_TPL_AREA)
                keys.area = (char *)d->items[i].id;
            else if (k == CSP_TPL_AGENCY)
                keys.agency = (char *)d->items[i].id;
            else if (k == CSP_TPL_INDICATOR)
                keys.indicator = (char *)d->items[i].id;
            else if (k == CSP_TPL_ACTION)
                keys.ref = (char *)d->items[i].id;
            err = csp_tpl_report(
                r, CSP_D_TPL_DUPLICATE_ID, d->items[i].line, &keys,
                "%s \"%s\" is declared twice (first on line %lu); "
                "remove one or give it another %s",
                tpl_kinds[k].word, d->items[i].id, d->items[first].line,
                tpl_kinds[k].key);
            if (err)
                goto out;
        }
    }
out:
    return err;
}

/* Keys for a diagnostic about reference @p ref: the ids it involves. */
static csp_diag ref_keys(const csp_tpl_ref *ref)
{
    csp_diag keys;
    char *subject = (char *)ref->subject, *target = (char *)ref->target;

    memset(&keys, 0, sizeof keys);
    switch (ref->role) {
    case CSP_TPL_R_SUM_INPUT:
    case CSP_TPL_R_RATE_COUNT:
    case CSP_TPL_R_RATE_OF:
    case CSP_TPL_R_SHARE_PART:
    case CSP_TPL_R_SHARE_WHOLE:
    case CSP_TPL_R_INDICATOR_THEME:
        keys.indicator = subject;
        break;
    case CSP_TPL_R_OWNER_AGENCY:
        keys.indicator = subject;
        keys.agency = target;
        break;
    case CSP_TPL_R_OWNER_AREA:
    case CSP_TPL_R_TARGET_AREA:
        keys.indicator = subject;
        keys.area = target;
        break;
    case CSP_TPL_R_GROUP_AGENCY:
    case CSP_TPL_R_CONTACT:
        keys.agency = target;
        break;
    case CSP_TPL_R_MEASURE:
    case CSP_TPL_R_KF_INDICATOR:
    case CSP_TPL_R_KF_RATE:
        keys.indicator = target;
        break;
    case CSP_TPL_R_ACTION_GROUP:
    case CSP_TPL_R_ACTION_PRIORITY:
        keys.ref = subject;
        break;
    case CSP_TPL_R_THEME_PRIORITY:
    case CSP_TPL_R_KEY_GROUP:
    case CSP_TPL_ROLES:
        break;
    }
    return keys;
}

/* E304: an input of a <sum> adds up: counts into a count, money into
 * money (the sum's own unit is checked by check_rule_results). */
static csp_error check_sum_input(csp_tpl_reader *r, const csp_tpl_ref *ref,
                                 const csp_diag *keys, csp_unit unit)
{
    const csp_tpl_decl *s =
        csp_template_index_search(&r->decls[CSP_TPL_INDICATOR], ref->subject);
    bool money = s && r->tpl->indicators[s->pos].unit == CSP_UNIT_MONEY;
    csp_unit want = money ? CSP_UNIT_MONEY : CSP_UNIT_COUNT;
    bool mixed = unit == CSP_UNIT_COUNT || unit == CSP_UNIT_MONEY;

    if (unit == want)
        return CSP_OK;
    return csp_tpl_report(
        r, CSP_D_TPL_RULE_UNIT, ref->line, keys,
        "indicator \"%s\" sums \"%s\", which is %s, not %s; %s",
        ref->subject, ref->target, csp_tpl_unit_phrase(unit),
        csp_tpl_unit_phrase(want),
        mixed   ? "a sum adds counts or money, not both"
        : money ? "only counts or money can be summed"
                : "only counts can be summed");
}

/* E302 and E304: resolve every reference and check rule input units. */
static csp_error check_refs(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;

    for (size_t i = 0; i < r->nrefs; i++) {
        const csp_tpl_ref *ref = &r->refs[i];
        csp_tpl_kind kind = tpl_roles[ref->role].kind;
        const csp_tpl_decl *d;
        csp_diag keys = ref_keys(ref);

        /* "all" is the partnership as a whole, never declared. */
        if ((ref->role == CSP_TPL_R_OWNER_AREA ||
             ref->role == CSP_TPL_R_TARGET_AREA) &&
            strcmp(ref->target, CSP_AREA_ALL) == 0)
            continue;
        d = csp_template_index_search(&r->decls[kind], ref->target);
        if (!d && ref->role == CSP_TPL_R_CONTACT) {
            err = csp_tpl_report(
                r, CSP_D_TPL_DANGLING, ref->line, &keys,
                "<key-contacts> lists agency \"%s\", which is not "
                "declared; declare it under <agencies> or fix the id",
                ref->target);
        } else if (!d) {
            err = csp_tpl_report(
                r, CSP_D_TPL_DANGLING, ref->line, &keys,
                "%s \"%s\" %s \"%s\", which is not declared; declare "
                "it under %s or fix the id",
                tpl_roles[ref->role].subject, ref->subject,
                tpl_roles[ref->role].verb, ref->target,
                tpl_kinds[kind].container);
        } else {
            int want = tpl_roles[ref->role].want;
            csp_unit unit =
                want >= 0 ? t->indicators[d->pos].unit : CSP_UNIT_COUNT;
            if (ref->slot)
                *ref->slot = d->pos;
            if (ref->role == CSP_TPL_R_SUM_INPUT)
                err = check_sum_input(r, ref, &keys, unit);
            else if (want >= 0 && unit != (csp_unit)want)
                err = csp_tpl_report(
                    r, CSP_D_TPL_RULE_UNIT, ref->line, &keys,
                    "%s \"%s\" %s \"%s\", which is %s, not %s; %s",
                    tpl_roles[ref->role].subject, ref->subject,
                    tpl_roles[ref->role].verb, ref->target,
                    csp_tpl_unit_phrase(unit),
                    csp_tpl_unit_phrase((csp_unit)want),
                    tpl_roles[ref->role].hint);
        }
        if (err)
            goto out;
    }
out:
    return err;
}

/* E304: the unit of a derived indicator must be the unit its rule makes. */
static csp_error check_rule_results(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;

    for (size_t i = 0; i < t->nindicators; i++) {
        const csp_indicator *ind = &t->indicators[i];
        csp_diag keys = csp_tpl_keys_indicator(ind->id);
        csp_unit want;
        const char *what;

        if (ind->rule == CSP_RULE_SUM && ind->unit == CSP_UNIT_MONEY) {
            continue; /* a sum of money: its inputs are checked */
        } else if (ind->rule == CSP_RULE_SUM) {
            want = CSP_UNIT_COUNT;
            what = "a sum of counts";
        } else if (ind->rule == CSP_RULE_RATE) {
            want = CSP_UNIT_RATE;
            what = ind->per == 1000 && ind->base == CSP_BASE_POPULATION
                       ? "a rate per 1,000"
                       : "a rate";
        } else if (ind->rule == CSP_RULE_SHARE) {
            want = CSP_UNIT_PERCENT;
            what = "a share";
        } else {
            continue;
        }
        if (ind->unit == want)
            continue;
        err = csp_tpl_report(
            r, CSP_D_TPL_RULE_UNIT, r->ind_lines[i], &keys,
            "indicator \"%s\" is %s, so its unit must be %s, not %s; "
            "set unit=\"%s\"",
            ind->id, what, csp_unit_str(want), csp_unit_str(ind->unit),
            csp_unit_str(want));
        if (err)
            goto out;
    }
out:
    return err;
}

/* Report the cycle stack[from..top] that leads back to stack[from]. */
static csp_error report_cycle(csp_tpl_reader *r, const size_t *stack,
                              size_t from, size_t top)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    const csp_indicator *first = &t->indicators[stack[from]];
    csp_diag keys = csp_tpl_keys_indicator(first->id);
    csp_strbuf sb;

    csp_strbuf_init(&sb, r->text_cap);
    for (size_t i = from; i <= top; i++) {
        err = csp_strbuf_puts(&sb, t->indicators[stack[i]].id);
        if (!err)
            err = csp_strbuf_puts(&sb, " -> ");
        if (err)
            goto out;
    }
    err = csp_strbuf_puts(&sb, first->id);
    if (err)
        goto out;
    err = csp_tpl_report(
        r, CSP_D_TPL_CYCLE, r->ind_lines[stack[from]], &keys,
        "indicator \"%s\" depends on itself through its rule: %s; "
        "remove one of these inputs to break the cycle",
        first->id, csp_strbuf_str(&sb));
out:
    csp_strbuf_free(&sb);
    return err;
}

/*
 * E303: every cycle among rules, found by depth-first search over the
 * resolved inputs.  Iterative, so a long chain of rules cannot overflow
 * the C stack; each back edge is one cycle, reported once.
 */
static csp_error check_cycles(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    size_t n = t->nindicators;
    unsigned char *colour = NULL; /* 0 new, 1 on the path, 2 done */
    size_t *stack = NULL, *next = NULL, *depth = NULL;

    if (n == 0)
        goto out;
    colour = csp_calloc(n, sizeof *colour);
    stack = csp_calloc(n, sizeof *stack);
    next = csp_calloc(n, sizeof *next);
    depth = csp_calloc(n, sizeof *depth);
    if (!colour || !stack || !next || !depth) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t root = 0; root < n; root++) {
        size_t top = 0;
        if (colour[root])
            continue;
        stack[0] = root;
        next[0] = 0;
        depth[root] = 0;
        colour[root] = 1;
        for (;;) {
            size_t v = stack[top];
            const csp_indicator *ind = &t->indicators[v];
            if (next[top] < ind->ninputs) {
                size_t w = ind->input_index[next[top]++];
                if (w >= n)
                    continue; /* dangling: reported as E302 */
                if (colour[w] == 1) {
                    err = report_cycle(r, stack, depth[w], top);
                    if (err)
                        goto out;
                } else if (colour[w] == 0) {
                    colour[w] = 1;
                    top++;
                    stack[top] = w;
                    next[top] = 0;
                    depth[w] = top;
                }
                continue;
            }
            colour[v] = 2;
            if (top == 0)
                break;
            top--;
        }
    }
out:
    free(colour);
    free(stack);
    free(next);
    free(depth);
    return err;
}

/* E305: the themes are numbered 1 to n, each number once. */
static csp_error check_theme_numbers(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    size_t n = t->nthemes;
    size_t *holder = NULL; /* holder[k-1]: theme numbered k, +1 */

    if (n == 0)
        goto out;
    holder = csp_calloc(n, sizeof *holder);
    if (!holder) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const csp_theme *th = &t->themes[i];
        unsigned num = th->number;
        if ((num < 1 || num > n) && n == 1) {
            err =
                csp_tpl_report(r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                               "theme \"%s\" has number %s, but it is the only "
                               "theme; number it 1",
                               th->id, r->theme_numbers[i]);
        } else if (num < 1 || num > n) {
            err =
                csp_tpl_report(r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                               "theme \"%s\" has number %s, but there are %zu "
                               "themes; number them 1 to %zu, each number once",
                               th->id, r->theme_numbers[i], n, n);
        } else if (holder[num - 1]) {
            size_t other = holder[num - 1] - 1;
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                "theme \"%s\" has number %u, which theme \"%s\" (line "
                "%lu) already has; number the themes 1 to %zu, each "
                "number once",
                th->id, num, t->themes[other].id, r->theme_lines[other], n);
        } else {
            holder[num - 1] = i + 1;
        }
        if (err)
            goto out;
    }
out:
    free(holder);
    return err;
}

/* The placeholders of an action-refs pattern (csp_action_ref_parse). */
static const char *const ref_holders[] = {"{theme}", "{item}", "{letter}"};

/* Why action-refs @p pat cannot be read, in @p why; false when it can:
 * each "{" opens a known placeholder, each at most once, with {theme} or
 * {item}, and no two numbers side by side (where would one end?). */
static bool ref_pattern_bad(const char *pat, char *why, size_t n)
{
    unsigned seen[3] = {0, 0, 0};
    bool number_before = false;

    for (const char *p = pat; *p;) {
        size_t k = 0, len = 0;
        if (*p != '{') {
            number_before = false;
            p++;
            continue;
        }
        for (k = 0; k < 3; k++) {
            len = strlen(ref_holders[k]);
            if (strncmp(p, ref_holders[k], len) == 0)
                break;
        }
        if (k == 3) {
            const char *end = strchr(p, '}');
            int w = end ? (int)(end - p + 1) : (int)strlen(p);
            snprintf(why, n,
                     "has \"%.*s\", which is not a placeholder; use {theme}, "
                     "{item} and {letter}",
                     w > 40 ? 40 : w, p);
            return true;
        }
        if (seen[k]++) {
            snprintf(why, n, "has %s twice; write each placeholder once",
                     ref_holders[k]);
            return true;
        }
        if (k < 2 && number_before) {
            snprintf(why, n,
                     "puts two numbers side by side; put text between them, "
                     "as in \"{theme}.{item}\"");
            return true;
        }
        number_before = k < 2;
        p += len;
    }
    if (!seen[0] && !seen[1]) {
        snprintf(why, n,
                 "has neither {theme} nor {item}; write at least one, as in "
                 "\"SP{theme}.{item}\"");
        return true;
    }
    return false;
}

/* The refs pattern with {theme} as @p theme, {item} as @p item and no
 * letter: how a ref of that theme is written. */
static char *ref_example(const char *pat, unsigned theme, const char *item)
{
    csp_strbuf sb;
    csp_error err = CSP_OK;

    csp_strbuf_init(&sb, SIZE_MAX / 4);
    for (const char *p = pat; *p && !err;) {
        if (strncmp(p, "{theme}", 7) == 0) {
            err = csp_strbuf_printf(&sb, "%u", theme);
            p += 7;
        } else if (strncmp(p, "{item}", 6) == 0) {
            err = csp_strbuf_puts(&sb, item);
            p += 6;
        } else if (strncmp(p, "{letter}", 8) == 0) {
            p += 8;
        } else {
            err = csp_strbuf_putc(&sb, *p++);
        }
    }
    char *out = err ? NULL : csp_strbuf_take(&sb);
    csp_strbuf_free(&sb);
    return out;
}

/* E305 for one action whose ref does not match the pattern, or names
 * another theme than the one it is under. */
static csp_error check_action_ref(csp_tpl_reader *r, const csp_theme *th,
                                  const csp_action *a, unsigned long line)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    const char *pat = t->action_refs ? t->action_refs : "{theme}.{item}";
    unsigned num = th->number >= 1 && th->number <= t->nthemes ? th->number
                                                                 : 0;
    csp_action_ref ar;
    char *like = NULL;

    if (!csp_action_ref_parse(pat, a->ref, &ar)) {
        like = ref_example(pat, num ? num : 1, "1");
        if (!like) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, line, NULL,
                             "action \"%s\" does not match the action refs "
                             "pattern \"%s\"; write it like \"%s\"",
                             a->ref, pat, like);
    } else if (num && strstr(pat, "{theme}") && ar.theme != num) {
        like = ref_example(pat, num, "n");
        if (!like) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, line, NULL,
                             "action \"%s\" is under theme %u, but its ref "
                             "says theme %u; renumber it %s or move it",
                             a->ref, num, ar.theme, like);
    }
out:
    free(like);
    return err;
}

/* E305: <themes action-refs> is a pattern csppack reads, and every
 * action's ref matches it (with its own theme's number). */
static csp_error check_action_refs(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    const csp_tpl_decls *d = &r->decls[CSP_TPL_ACTION];
    unsigned long *lines = NULL; /* by action, counted over every theme */
    char why[160];
    size_t k = 0;

    if (t->action_refs &&
        ref_pattern_bad(t->action_refs, why, sizeof why)) {
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, r->themes_line, NULL,
                             "action-refs \"%s\" %s", t->action_refs, why);
        goto out;
    }
    lines = csp_calloc(d->count ? d->count : 1, sizeof *lines);
    if (!lines) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].pos < d->count)
            lines[d->items[i].pos] = d->items[i].line;
    for (size_t i = 0; i < t->nthemes && !err; i++)
        for (size_t j = 0; j < t->themes[i].nactions && !err; j++, k++)
            err = check_action_ref(r, &t->themes[i], &t->themes[i].actions[j],
                                   k < d->count ? lines[k] : 0);
out:
    free(lines);
    return err;
}

/* Join the names of @p n ids with ", " for a label the template left out. */
static csp_error default_label(const csp_tpl_reader *r, csp_tpl_kind kind,
                               char *const *ids, size_t n, char **out)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    csp_strbuf sb;

    csp_strbuf_init(&sb, r->text_cap);
    for (size_t i = 0; i < n; i++) {
        const csp_tpl_decl *d =
            csp_template_index_search(&r->decls[kind], ids[i]);
        const char *name = ids[i];
        if (d && kind == CSP_TPL_GROUP)
            name = t->groups[d->pos].short_name ? t->groups[d->pos].short_name
                                                : t->groups[d->pos].name;
        else if (d && kind == CSP_TPL_PRIORITY)
            name = t->priorities[d->pos].name;
        if (i)
            err = csp_strbuf_puts(&sb, ", ");
        if (!err)
            err = csp_strbuf_puts(&sb, name);
        if (err)
            goto out;
    }
    *out = csp_strbuf_take(&sb);
    if (!*out)
        err = CSP_ERR_NOMEM;
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Fill in the action-plan labels the template did not print itself. */
csp_error csp_tpl_fill_labels(csp_tpl_reader *r)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;

    for (size_t i = 0; i < t->nthemes; i++) {
        for (size_t j = 0; j < t->themes[i].nactions; j++) {
            csp_action *a = &t->themes[i].actions[j];
            if (!a->groups_label) {
                err = default_label(r, CSP_TPL_GROUP, a->groups, a->ngroups,
                                    &a->groups_label);
                if (err)
                    goto out;
            }
            if (!a->priorities_label) {
                err = default_label(r, CSP_TPL_PRIORITY, a->priorities,
                                    a->npriorities, &a->priorities_label);
                if (err)
                    goto out;
            }
        }
    }
out:
    return err;
}

/* Every whole-template check, in the order their diagnostics come. */
csp_error csp_tpl_check(csp_tpl_reader *r)
{
    csp_error err = check_duplicates(r);

    if (!err)
        err = check_refs(r);
    if (!err)
        err = check_rule_results(r);
    if (!err)
        err = check_cycles(r);
    if (!err)
        err = check_theme_numbers(r);
    if (!err)
        err = check_action_refs(r);
    return err;
}
