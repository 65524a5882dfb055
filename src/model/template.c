/*
 * csppack: the strategy template in memory: freeing it, and its lookups
 * by id (binary searches and hashes over the ids the reader declared:
 * reading a submission looks up every figure's indicator and area and
 * every update's action).
 */
#include "csppack/model/template.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/model/template_index.h"

/* Free an array of strings. */
static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Free a diagram and its nodes and links. */
static void free_diagram(csp_diagram *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->title);
    free(d->alt);
    for (size_t i = 0; i < d->nnodes; i++) {
        free(d->nodes[i].id);
        free(d->nodes[i].label);
        free(d->nodes[i].colour);
    }
    free(d->nodes);
    free(d->links);
    free(d);
}

/* Free an array of blocks and everything under them. */
static void free_blocks(csp_block *b, size_t n)
{
    if (!b)
        return;
    for (size_t i = 0; i < n; i++) {
        free(b[i].text);
        free_blocks(b[i].children, b[i].nchildren);
        free_diagram(b[i].diagram);
        free(b[i].cites);
        for (size_t k = 0; k < b[i].nnotes; k++) {
            free(b[i].notes[k].text);
            free(b[i].notes[k].cites);
        }
        free(b[i].notes);
    }
    free(b);
}

/* Free what a section holds (not the section itself). */
static void free_section(csp_section *s)
{
    free(s->id);
    free(s->title);
    free(s->short_title);
    free_blocks(s->blocks, s->nblocks);
    if (s->subsections) {
        for (size_t i = 0; i < s->nsubsections; i++)
            free_section(&s->subsections[i]);
        free(s->subsections);
    }
}

/* Free what an indicator holds. */
static void free_indicator(csp_indicator *ind)
{
    free(ind->id);
    free(ind->name);
    if (ind->owners) {
        for (size_t i = 0; i < ind->nowners; i++) {
            free(ind->owners[i].area);
            free(ind->owners[i].agency);
        }
        free(ind->owners);
    }
    free_strv(ind->inputs, ind->ninputs);
    if (ind->targets) {
        for (size_t i = 0; i < ind->ntargets; i++)
            free(ind->targets[i].area);
        free(ind->targets);
    }
    free(ind->theme);
    free(ind->note);
    free(ind->input_index);
}

/* Free what a theme holds. */
static void free_theme(csp_theme *th)
{
    free(th->id);
    free(th->title);
    free(th->short_title);
    free(th->colour);
    free_strv(th->priorities, th->npriorities);
    free_section(&th->why);
    free_section(&th->challenges);
    free_strv(th->measures, th->nmeasures);
    free_strv(th->groups, th->ngroups);
    free_strv(th->measure_labels, th->nmeasures);
    free_strv(th->group_labels, th->ngroups);
    if (th->actions) {
        for (size_t i = 0; i < th->nactions; i++) {
            csp_action *a = &th->actions[i];
            free(a->ref);
            free(a->text);
            free_strv(a->groups, a->ngroups);
            free(a->groups_label);
            free_strv(a->priorities, a->npriorities);
            free(a->priorities_label);
        }
        free(th->actions);
    }
}

/* Free a template and everything it owns (NULL is fine). */
void csp_template_free(csp_template *tpl)
{
    size_t i;

    if (!tpl)
        return;
    csp_template_index_free(tpl->index);
    free(tpl->path);
    free(tpl->id);
    free(tpl->title);
    free(tpl->subtitle);
    free(tpl->partnership);
    free(tpl->partnership_short);
    free(tpl->language);
    free(tpl->marking);
    free(tpl->currency);
    free(tpl->action_refs);
    free(tpl->order);
    for (i = 0; i < CSP_LABEL_COUNT; i++)
        free(tpl->labels[i]);
    if (tpl->areas) {
        for (i = 0; i < tpl->nareas; i++) {
            free(tpl->areas[i].id);
            free(tpl->areas[i].name);
            free(tpl->areas[i].population);
            free(tpl->areas[i].households);
            free(tpl->areas[i].parent);
        }
        free(tpl->areas);
    }
    if (tpl->agencies) {
        for (i = 0; i < tpl->nagencies; i++) {
            csp_agency *a = &tpl->agencies[i];
            free(a->id);
            free(a->name);
            free(a->short_name);
            free_strv(a->contact.lines, a->contact.nlines);
            free(a->contact.phone);
            free(a->contact.web);
            free(a->contact.email);
            free(a->contact_name);
            free_strv(a->email_domains, a->nemail_domains);
        }
        free(tpl->agencies);
    }
    if (tpl->groups) {
        for (i = 0; i < tpl->ngroups; i++) {
            free(tpl->groups[i].id);
            free(tpl->groups[i].name);
            free(tpl->groups[i].short_name);
            free_strv(tpl->groups[i].agencies, tpl->groups[i].nagencies);
        }
        free(tpl->groups);
    }
    if (tpl->priorities) {
        for (i = 0; i < tpl->npriorities; i++) {
            free(tpl->priorities[i].id);
            free(tpl->priorities[i].name);
            free(tpl->priorities[i].note);
        }
        free(tpl->priorities);
    }
    if (tpl->indicators) {
        for (i = 0; i < tpl->nindicators; i++)
            free_indicator(&tpl->indicators[i]);
        free(tpl->indicators);
    }
    if (tpl->themes) {
        for (i = 0; i < tpl->nthemes; i++)
            free_theme(&tpl->themes[i]);
        free(tpl->themes);
    }
    free(tpl->key_findings.title);
    free(tpl->key_findings.short_title);
    free_blocks(tpl->key_findings.intro, tpl->key_findings.nintro);
    if (tpl->key_findings.rows) {
        for (i = 0; i < tpl->key_findings.nrows; i++) {
            free(tpl->key_findings.rows[i].label);
            free(tpl->key_findings.rows[i].indicator);
            free(tpl->key_findings.rows[i].rate);
        }
        free(tpl->key_findings.rows);
    }
    free_blocks(tpl->key_findings.outro, tpl->key_findings.noutro);
    free_section(&tpl->foreword);
    if (tpl->signatories) {
        for (i = 0; i < tpl->nsignatories; i++) {
            free(tpl->signatories[i].name);
            free(tpl->signatories[i].role);
        }
        free(tpl->signatories);
    }
    if (tpl->sections) {
        for (i = 0; i < tpl->nsections; i++)
            free_section(&tpl->sections[i]);
        free(tpl->sections);
    }
    free_strv(tpl->contacts, tpl->ncontacts);
    free(tpl);
}

/* The area declared as @p id, or NULL. */
const csp_area *csp_template_area(const csp_template *tpl, const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_AREA, id);
        return d ? &tpl->areas[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->nareas; i++)
        if (strcmp(tpl->areas[i].id, id) == 0)
            return &tpl->areas[i];
    return NULL;
}

/* The agency declared as @p id, or NULL. */
const csp_agency *csp_template_agency(const csp_template *tpl, const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_AGENCY, id);
        return d ? &tpl->agencies[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->nagencies; i++)
        if (strcmp(tpl->agencies[i].id, id) == 0)
            return &tpl->agencies[i];
    return NULL;
}

/* The delivery group declared as @p id, or NULL. */
const csp_group *csp_template_group(const csp_template *tpl, const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_GROUP, id);
        return d ? &tpl->groups[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->ngroups; i++)
        if (strcmp(tpl->groups[i].id, id) == 0)
            return &tpl->groups[i];
    return NULL;
}

/* Measure m of a theme as the strategy words it. */
const char *csp_template_measure_label(const csp_template *tpl,
                                       const csp_theme *th, size_t m)
{
    if (!th || m >= th->nmeasures)
        return NULL;
    if (th->measure_labels && th->measure_labels[m])
        return th->measure_labels[m];
    const csp_indicator *ind = csp_template_indicator(tpl, th->measures[m]);
    return ind ? ind->name : th->measures[m];
}

/* Key delivery group g of a theme as the theme lists it. */
const char *csp_template_group_label(const csp_template *tpl,
                                     const csp_theme *th, size_t g)
{
    if (!th || g >= th->ngroups)
        return NULL;
    if (th->group_labels && th->group_labels[g])
        return th->group_labels[g];
    const csp_group *gr = csp_template_group(tpl, th->groups[g]);
    return gr ? gr->name : th->groups[g];
}

/* The indicator declared as @p id, or NULL. */
const csp_indicator *csp_template_indicator(const csp_template *tpl,
                                            const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_INDICATOR, id);
        return d ? &tpl->indicators[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->nindicators; i++)
        if (strcmp(tpl->indicators[i].id, id) == 0)
            return &tpl->indicators[i];
    return NULL;
}

/* The action-plan item with reference @p ref, or NULL. */
const csp_action *csp_template_action(const csp_template *tpl, const char *ref)
{
    if (!tpl || !ref)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_ACTION, ref);
        if (!d)
            return NULL;
        size_t pos = d->pos; /* counts the actions of every theme */
        for (size_t i = 0; i < tpl->nthemes; i++) {
            if (pos < tpl->themes[i].nactions)
                return &tpl->themes[i].actions[pos];
            pos -= tpl->themes[i].nactions;
        }
        return NULL;
    }
    for (size_t i = 0; i < tpl->nthemes; i++)
        for (size_t j = 0; j < tpl->themes[i].nactions; j++)
            if (strcmp(tpl->themes[i].actions[j].ref, ref) == 0)
                return &tpl->themes[i].actions[j];
    return NULL;
}

/* The top-level narrative section @p id, or NULL. */
const csp_section *csp_template_section(const csp_template *tpl, const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const csp_tpl_decl *d =
            csp_template_index_find(tpl->index, CSP_TPL_SECTION, id);
        return d ? &tpl->sections[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->nsections; i++)
        if (tpl->sections[i].id && strcmp(tpl->sections[i].id, id) == 0)
            return &tpl->sections[i];
    return NULL;
}

/* The agency that owns @p ind in @p area, or NULL. */
const char *csp_indicator_owner(const csp_indicator *ind, const char *area)
{
    const char *everywhere = NULL;

    if (!ind || !area)
        return NULL;
    for (size_t i = 0; i < ind->nowners; i++) {
        if (!ind->owners[i].area)
            everywhere = ind->owners[i].agency;
        else if (strcmp(ind->owners[i].area, area) == 0)
            return ind->owners[i].agency;
    }
    return everywhere;
}

bool csp_action_coordinated_by(const csp_template *tpl, const csp_action *act,
                               const char *agency)
{
    for (size_t g = 0; g < act->ngroups; g++) {
        const csp_group *grp = csp_template_group(tpl, act->groups[g]);
        for (size_t k = 0; grp && k < grp->nagencies; k++)
            if (strcmp(grp->agencies[k], agency) == 0)
                return true;
    }
    return false;
}

/* The estimate of a list for the latest year not after @p year. */
static bool latest_estimate(const csp_population *v, size_t n, int year,
                            int64_t *out)
{
    bool found = false;

    /* Estimates are sorted by year, ascending. */
    for (size_t i = 0; i < n && v[i].year <= year; i++) {
        *out = v[i].value;
        found = true;
    }
    return found;
}

/* The base (population or households) of area index @p ai for @p year:
 * its own estimate, else the sum over its children (each with its own
 * latest year); false when neither is there. */
static bool area_base(const csp_template *tpl, size_t ai, csp_rate_base base,
                      int year, int depth, int64_t *out)
{
    const csp_area *a = &tpl->areas[ai];
    if (base == CSP_BASE_HOUSEHOLDS
            ? latest_estimate(a->households, a->nhouseholds, year, out)
            : latest_estimate(a->population, a->npopulation, year, out))
        return true;
    if (depth > 64)
        return false;
    int64_t total = 0, v = 0;
    bool any = false;
    for (size_t i = 0; i < tpl->nareas; i++) {
        if (!tpl->areas[i].parent || strcmp(tpl->areas[i].parent, a->id) != 0)
            continue;
        if (!area_base(tpl, i, base, year, depth + 1, &v) ||
            v > INT64_MAX - total)
            return false;
        total += v;
        any = true;
    }
    if (any)
        *out = total;
    return any;
}

/* The base of @p area (or the sum over the top-level areas for "all"). */
static bool template_base(const csp_template *tpl, const char *area,
                          csp_rate_base base, csp_date end, int64_t *out)
{
    int year, month, day;
    int64_t value = 0, total = 0;

    if (!tpl || !area || !out)
        return false;
    csp_date_to_ymd(end, &year, &month, &day);
    if (strcmp(area, CSP_AREA_ALL) != 0) {
        const csp_area *a = csp_template_area(tpl, area);
        if (!a || !area_base(tpl, (size_t)(a - tpl->areas), base, year, 0,
                             &value))
            return false;
        *out = value;
        return true;
    }
    if (tpl->nareas == 0)
        return false;
    for (size_t i = 0; i < tpl->nareas; i++) {
        if (tpl->areas[i].parent)
            continue;
        if (!area_base(tpl, i, base, year, 0, &value))
            return false;
        if (value > INT64_MAX - total)
            return false;
        total += value;
    }
    *out = total;
    return true;
}

/* Population of @p area (or the sum over all areas) for a period ending @p end.
 */
bool csp_template_population(const csp_template *tpl, const char *area,
                             csp_date end, int64_t *out)
{
    return template_base(tpl, area, CSP_BASE_POPULATION, end, out);
}

bool csp_template_households(const csp_template *tpl, const char *area,
                             csp_date end, int64_t *out)
{
    return template_base(tpl, area, CSP_BASE_HOUSEHOLDS, end, out);
}

bool csp_template_rate_base(const csp_template *tpl, const csp_indicator *ind,
                            const char *area, csp_date end, int64_t *out)
{
    return template_base(tpl, area, ind ? ind->base : CSP_BASE_POPULATION,
                         end, out);
}

bool csp_template_area_within(const csp_template *tpl, const char *a,
                              const char *ancestor)
{
    if (!a || !ancestor)
        return false;
    if (strcmp(ancestor, CSP_AREA_ALL) == 0 || strcmp(a, ancestor) == 0)
        return true;
    const csp_area *ar = csp_template_area(tpl, a);
    for (int guard = 0; ar && ar->parent && guard < 64; guard++) {
        if (strcmp(ar->parent, ancestor) == 0)
            return true;
        ar = csp_template_area(tpl, ar->parent);
    }
    return false;
}

csp_period csp_template_period(const csp_template *tpl)
{
    csp_period p = {0, 0};
    if (tpl->financial_years) {
        csp_date_from_ymd(tpl->first_year, 4, 1, &p.start);
        csp_date_from_ymd(tpl->last_year + 1, 3, 31, &p.end);
    } else {
        csp_date_from_ymd(tpl->first_year, 1, 1, &p.start);
        csp_date_from_ymd(tpl->last_year, 12, 31, &p.end);
    }
    return p;
}

void csp_template_year_label(const csp_template *tpl, int year, char buf[16])
{
    if (tpl && tpl->financial_years)
        snprintf(buf, 16, "%d/%02d", year, (year + 1) % 100);
    else
        snprintf(buf, 16, "%d", year);
}

const char *csp_template_label(const csp_template *tpl, csp_label key)
{
    if ((unsigned)key >= CSP_LABEL_COUNT)
        return "";
    if (tpl && tpl->labels[key])
        return tpl->labels[key];
    return csp_label_default(key);
}

/* Digits at *s into *out (at most 9); false when there are none. */
static bool ref_number(const char **s, unsigned *out)
{
    unsigned v = 0, n = 0;
    while (**s >= '0' && **s <= '9') {
        if (++n > 9)
            return false;
        v = v * 10 + (unsigned)(**s - '0');
        (*s)++;
    }
    *out = v;
    return n > 0;
}

bool csp_action_ref_parse(const char *pattern, const char *ref,
                          csp_action_ref *out)
{
    csp_action_ref r = {0, 0, '\0'};
    const char *p = pattern ? pattern : "{theme}.{item}";
    const char *s = ref;

    if (!ref)
        return false;
    while (*p) {
        if (strncmp(p, "{theme}", 7) == 0) {
            if (!ref_number(&s, &r.theme))
                return false;
            p += 7;
        } else if (strncmp(p, "{item}", 6) == 0) {
            if (!ref_number(&s, &r.item))
                return false;
            p += 6;
        } else if (strncmp(p, "{letter}", 8) == 0) {
            if (*s >= 'a' && *s <= 'z')
                r.letter = *s++;
            p += 8;
        } else if (*p++ != *s++) {
            return false;
        }
    }
    if (*s)
        return false;
    if (out)
        *out = r;
    return true;
}

int csp_action_ref_cmp(const char *pattern, const char *a, const char *b)
{
    csp_action_ref ra, rb;
    bool pa = csp_action_ref_parse(pattern, a, &ra);
    bool pb = csp_action_ref_parse(pattern, b, &rb);
    if (pa != pb)
        return pa ? -1 : 1;
    if (pa) {
        if (ra.theme != rb.theme)
            return ra.theme < rb.theme ? -1 : 1;
        if (ra.item != rb.item)
            return ra.item < rb.item ? -1 : 1;
        if (ra.letter != rb.letter)
            return ra.letter < rb.letter ? -1 : 1;
    }
    return strcmp(a, b);
}

/* The name of a unit as the template writes it. */
const char *csp_unit_str(csp_unit unit)
{
    switch (unit) {
    case CSP_UNIT_COUNT:
        return "count";
    case CSP_UNIT_RATE:
        return "rate";
    case CSP_UNIT_PERCENT:
        return "percent";
    case CSP_UNIT_MONEY:
        return "money";
    case CSP_UNIT_AVERAGE:
        return "average";
    }
    return "unknown";
}
