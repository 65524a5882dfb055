/*
 * csppack: reading a template's declarations of areas, agencies,
 * delivery groups, priorities and indicators (read/template_decls.h).
 */
#include "csppack/read/template_decls.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/model/decimal.h"
#include "csppack/read/template_judge.h"
#include "csppack/read/xmlsafe.h"

/* Most decimals a computed figure can have: what csp_decimal holds. */
#define TPL_MAX_DECIMALS ((unsigned)CSP_DECIMAL_MAX_SCALE)

/* Order populations by year. */
static int population_cmp(const void *pa, const void *pb)
{
    const csp_population *a = pa, *b = pb;
    return (a->year > b->year) - (a->year < b->year);
}

/* A population estimate's year, where it is, and its place in the area. */
typedef struct tpl_year_seen {
    int year;
    unsigned long line;
    size_t pos;
} tpl_year_seen;

/* Order estimates by year, then document order. */
static int seen_year_cmp(const void *pa, const void *pb)
{
    const tpl_year_seen *a = pa, *b = pb;
    if (a->year != b->year)
        return (a->year > b->year) - (a->year < b->year);
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* One <area> with its population estimates. */
csp_error csp_tpl_read_area(csp_tpl_reader *r, xmlNodePtr node, void *item,
                            size_t pos)
{
    csp_area *a = item;
    csp_error err = CSP_OK;
    char *value = NULL;
    tpl_year_seen *seen = NULL;
    size_t i = 0;
    csp_diag keys;

    err = csp_tpl_get_attr(node, "id", true, &a->id);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &a->name);
    if (err)
        goto out;
    keys = csp_tpl_keys_area(a->id);
    if (strcmp(a->id, CSP_AREA_ALL) == 0) {
        err = csp_tpl_report(
            r, CSP_D_TPL_DUPLICATE_ID, csp_tpl_node_line(node), &keys,
            "area id \"%s\" is reserved for the partnership as a "
            "whole and cannot be declared; give this area another id",
            a->id);
        if (err)
            goto out;
    }
    err = csp_tpl_declare(r, CSP_TPL_AREA, a->id, pos, csp_tpl_node_line(node));
    if (err)
        goto out;

    a->npopulation = csp_tpl_count_children(node, "population");
    a->population = csp_tpl_calloc_n(a->npopulation, sizeof *a->population);
    seen = csp_tpl_calloc_n(a->npopulation, sizeof *seen);
    if (a->npopulation && (!a->population || !seen)) {
        a->npopulation = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "population"))
            continue;
        csp_population *p = &a->population[i++];
        unsigned long line = csp_tpl_node_line(c);
        err = csp_tpl_get_year(c, "year", true, &p->year);
        if (err)
            goto out;
        err = csp_tpl_get_attr(c, "value", true, &value);
        if (err)
            goto out;
        if (!csp_tpl_parse_int64(value, &p->value)) {
            err =
                csp_tpl_report(r, CSP_D_TPL_VALUE, line, &keys,
                               "area \"%s\" has population %s for %d, which is "
                               "too large; write the mid-year estimate",
                               a->id, value, p->year);
        } else if (p->value <= 0) {
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, line, &keys,
                "area \"%s\" has population %s for %d; a population "
                "must be more than 0: write the mid-year estimate",
                a->id, value, p->year);
        }
        if (err)
            goto out;
        seen[i - 1].year = p->year;
        seen[i - 1].line = line;
        seen[i - 1].pos = i - 1;
        free(value);
        value = NULL;
    }
    /* Sorted, a repeated year is next to its first estimate.  (qsort's
     * base must not be NULL, even for no elements: an area may have no
     * estimate.) */
    if (a->npopulation > 1)
        qsort(seen, a->npopulation, sizeof *seen, seen_year_cmp);
    for (i = 1; i < a->npopulation; i++) {
        size_t first = i - 1;
        if (seen[i].year != seen[first].year)
            continue;
        while (first > 0 && seen[first - 1].year == seen[i].year)
            first--;
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, seen[i].line, &keys,
            "area \"%s\" has a second population estimate for %d "
            "(the first is on line %lu); keep one",
            a->id, seen[i].year, seen[first].line);
        if (err)
            goto out;
    }
    if (a->npopulation > 1)
        qsort(a->population, a->npopulation, sizeof *a->population,
              population_cmp);
out:
    free(seen);
    free(value);
    return err;
}

/* One <agency> with its optional contact block. */
csp_error csp_tpl_read_agency(csp_tpl_reader *r, xmlNodePtr node, void *item,
                              size_t pos)
{
    csp_agency *a = item;
    csp_error err = CSP_OK;
    char *s = NULL;
    size_t i = 0;

    err = csp_tpl_get_attr(node, "id", true, &a->id);
    if (err)
        goto out;
    err =
        csp_tpl_declare(r, CSP_TPL_AGENCY, a->id, pos, csp_tpl_node_line(node));
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &a->name);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "short-name", false, &a->short_name);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "statutory", false, &s);
    if (err)
        goto out;
    a->statutory = s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "contact"))
            continue;
        err = csp_tpl_get_attr(c, "heading", false, &a->contact_name);
        if (err)
            goto out;
        a->contact.nlines = csp_tpl_count_children(c, "line");
        a->contact.lines =
            csp_tpl_calloc_n(a->contact.nlines, sizeof *a->contact.lines);
        if (a->contact.nlines && !a->contact.lines) {
            a->contact.nlines = 0;
            err = CSP_ERR_NOMEM;
            goto out;
        }
        for (xmlNodePtr e = c->children; e; e = e->next) {
            if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "line"))
                err = csp_tpl_get_text(e, &a->contact.lines[i++]);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "phone"))
                err = csp_tpl_get_text(e, &a->contact.phone);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "web"))
                err = csp_tpl_get_text(e, &a->contact.web);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "email"))
                err = csp_tpl_get_text(e, &a->contact.email);
            if (err)
                goto out;
        }
    }
out:
    free(s);
    return err;
}

/* One delivery <group>. */
csp_error csp_tpl_read_group(csp_tpl_reader *r, xmlNodePtr node, void *item,
                             size_t pos)
{
    csp_group *g = item;
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);

    err = csp_tpl_get_attr(node, "id", true, &g->id);
    if (err)
        goto out;
    err = csp_tpl_declare(r, CSP_TPL_GROUP, g->id, pos, line);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &g->name);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "short-name", false, &g->short_name);
    if (err)
        goto out;
    err = csp_tpl_get_ids(node, "agencies", &g->agencies, &g->nagencies);
    if (err)
        goto out;
    for (size_t i = 0; i < g->nagencies; i++) {
        err = csp_tpl_refer(r, CSP_TPL_R_GROUP_AGENCY, g->id, g->agencies[i],
                            line, NULL);
        if (err)
            goto out;
    }
out:
    return err;
}

/* One strategic-assessment <priority>. */
csp_error csp_tpl_read_priority(csp_tpl_reader *r, xmlNodePtr node, void *item,
                                size_t pos)
{
    csp_priority *p = item;
    csp_error err = CSP_OK;

    err = csp_tpl_get_attr(node, "id", true, &p->id);
    if (err)
        goto out;
    err = csp_tpl_declare(r, CSP_TPL_PRIORITY, p->id, pos,
                          csp_tpl_node_line(node));
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &p->name);
    if (err)
        goto out;
    err = csp_tpl_get_year(node, "since", false, &p->since);
    if (err)
        goto out;
    if (p->since == 0)
        p->since = r->tpl->first_year;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "note")) {
            err = csp_tpl_get_text(c, &p->note);
            if (err)
                goto out;
        }
    }
out:
    return err;
}

/* The unit named by the XSD enumeration @p s. */
static csp_unit unit_from_str(const char *s)
{
    if (strcmp(s, "rate") == 0)
        return CSP_UNIT_RATE;
    if (strcmp(s, "percent") == 0)
        return CSP_UNIT_PERCENT;
    if (strcmp(s, "money") == 0)
        return CSP_UNIT_MONEY;
    if (strcmp(s, "average") == 0)
        return CSP_UNIT_AVERAGE;
    return CSP_UNIT_COUNT;
}

/* The owners of an indicator: an owner= attribute or <owner> children. */
static csp_error read_owners(csp_tpl_reader *r, xmlNodePtr node,
                             csp_indicator *ind)
{
    csp_error err = CSP_OK;
    char *owner = NULL;
    unsigned long line = csp_tpl_node_line(node);
    size_t nchildren = csp_tpl_count_children(node, "owner"), i = 0, nseen = 0;
    csp_diag keys = csp_tpl_keys_indicator(ind->id);
    csp_tpl_decl *seen = NULL; /* the <owner> areas, for E301 */

    err = csp_tpl_get_attr(node, "owner", false, &owner);
    if (err)
        goto out;
    if (owner && nchildren) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" has both an owner= attribute and "
            "<owner> elements; use owner= when one agency owns "
            "every area, <owner> elements when owners differ by area",
            ind->id);
        if (err)
            goto out;
    }
    ind->nowners = (owner ? 1 : 0) + nchildren;
    ind->owners = csp_tpl_calloc_n(ind->nowners, sizeof *ind->owners);
    seen = csp_tpl_calloc_n(nchildren, sizeof *seen);
    if ((ind->nowners && !ind->owners) || (nchildren && !seen)) {
        ind->nowners = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (owner && ind->owners) {
        ind->owners[i].agency = owner;
        owner = NULL;
        err = csp_tpl_refer(r, CSP_TPL_R_OWNER_AGENCY, ind->id,
                            ind->owners[i].agency, line, NULL);
        if (err)
            goto out;
        i++;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "owner"))
            continue;
        csp_owner *o = &ind->owners[i];
        unsigned long cline = csp_tpl_node_line(c);
        err = csp_tpl_get_attr(c, "area", true, &o->area);
        if (err)
            goto out;
        err = csp_tpl_get_attr(c, "agency", true, &o->agency);
        if (err)
            goto out;
        seen[nseen].id = o->area;
        seen[nseen].line = cline;
        seen[nseen].pos = nseen;
        nseen++;
        i++;
        err = csp_tpl_refer(r, CSP_TPL_R_OWNER_AREA, ind->id, o->area, cline,
                            NULL);
        if (err)
            goto out;
        err = csp_tpl_refer(r, CSP_TPL_R_OWNER_AGENCY, ind->id, o->agency,
                            cline, NULL);
        if (err)
            goto out;
    }
    /* Sorted by area, a repeated area is next to its first <owner>.
     * (Not with none: seen is NULL then, and qsort's base must not be.) */
    csp_template_index_sort(&(csp_tpl_decls){.items = seen, .count = nseen});
    for (i = 1; i < nseen; i++) {
        size_t first = i - 1;
        if (strcmp(seen[i].id, seen[first].id) != 0)
            continue;
        while (first > 0 && strcmp(seen[first - 1].id, seen[i].id) == 0)
            first--;
        keys.area = (char *)seen[i].id;
        err = csp_tpl_report(
            r, CSP_D_TPL_DUPLICATE_ID, seen[i].line, &keys,
            "indicator \"%s\" names an owner for area \"%s\" "
            "twice (first on line %lu); keep one <owner> per area",
            ind->id, seen[i].id, seen[first].line);
        if (err)
            goto out;
    }
out:
    free(seen);
    free(owner);
    return err;
}

/* The rule of an indicator (<sum>, <rate-per-1000> or <share>), if any. */
static csp_error read_rule(csp_tpl_reader *r, xmlNodePtr node,
                           csp_indicator *ind)
{
    csp_error err = CSP_OK;
    xmlNodePtr rule = NULL;
    size_t i = 0;

    for (xmlNodePtr c = node->children; c && !rule; c = c->next)
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "sum") ||
            csp_xml_is(c, CSP_SCHEMA_STRATEGY, "rate-per-1000") ||
            csp_xml_is(c, CSP_SCHEMA_STRATEGY, "share"))
            rule = c;
    if (!rule) {
        ind->rule = CSP_RULE_NONE;
        goto out;
    }
    if (csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "sum")) {
        ind->rule = CSP_RULE_SUM;
        ind->ninputs = csp_tpl_count_children(rule, "input");
    } else if (csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "rate-per-1000")) {
        ind->rule = CSP_RULE_RATE;
        ind->ninputs = 1;
    } else {
        ind->rule = CSP_RULE_SHARE;
        ind->ninputs = 2;
    }
    ind->inputs = csp_tpl_calloc_n(ind->ninputs, sizeof *ind->inputs);
    ind->input_index = csp_tpl_calloc_n(ind->ninputs, sizeof *ind->input_index);
    if (!ind->inputs || !ind->input_index) {
        ind->ninputs = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (i = 0; i < ind->ninputs; i++)
        ind->input_index[i] = (size_t)-1;

    if (ind->rule == CSP_RULE_SUM) {
        i = 0;
        for (xmlNodePtr c = rule->children; c; c = c->next) {
            if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "input"))
                continue;
            err = csp_tpl_get_attr(c, "indicator", true, &ind->inputs[i]);
            if (err)
                goto out;
            err = csp_tpl_refer(r, CSP_TPL_R_SUM_INPUT, ind->id, ind->inputs[i],
                                csp_tpl_node_line(c), &ind->input_index[i]);
            if (err)
                goto out;
            i++;
        }
    } else if (ind->rule == CSP_RULE_RATE) {
        err = csp_tpl_get_attr(rule, "count", true, &ind->inputs[0]);
        if (err)
            goto out;
        err = csp_tpl_refer(r, CSP_TPL_R_RATE_COUNT, ind->id, ind->inputs[0],
                            csp_tpl_node_line(rule), &ind->input_index[0]);
    } else {
        err = csp_tpl_get_attr(rule, "part", true, &ind->inputs[0]);
        if (err)
            goto out;
        err = csp_tpl_get_attr(rule, "whole", true, &ind->inputs[1]);
        if (err)
            goto out;
        err = csp_tpl_refer(r, CSP_TPL_R_SHARE_PART, ind->id, ind->inputs[0],
                            csp_tpl_node_line(rule), &ind->input_index[0]);
        if (err)
            goto out;
        err = csp_tpl_refer(r, CSP_TPL_R_SHARE_WHOLE, ind->id, ind->inputs[1],
                            csp_tpl_node_line(rule), &ind->input_index[1]);
    }
out:
    return err;
}

/* One <indicator>: unit, decimals, owners, rule, judgement, theme, note. */
csp_error csp_tpl_read_indicator(csp_tpl_reader *r, xmlNodePtr node, void *item,
                                 size_t pos)
{
    csp_indicator *ind = item;
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long line = csp_tpl_node_line(node);
    unsigned long long decimals = 0;
    csp_diag keys;

    r->ind_lines[pos] = line;
    err = csp_tpl_get_attr(node, "id", true, &ind->id);
    if (err)
        goto out;
    keys = csp_tpl_keys_indicator(ind->id);
    err = csp_tpl_declare(r, CSP_TPL_INDICATOR, ind->id, pos, line);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &ind->name);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "unit", true, &s);
    if (err)
        goto out;
    ind->unit = unit_from_str(s);
    free(s);
    s = NULL;
    ind->per = 1000;
    ind->base = CSP_BASE_POPULATION;
    ind->additive = ind->unit == CSP_UNIT_COUNT || ind->unit == CSP_UNIT_MONEY
                        ? CSP_ADD_AREAS | CSP_ADD_QUARTERS
                        : 0;

    err = csp_tpl_get_attr(node, "decimals", false, &s);
    if (err)
        goto out;
    if (!s) {
        ind->decimals = ind->unit == CSP_UNIT_COUNT ? 0 : 1;
    } else if (csp_tpl_parse_whole(s, TPL_MAX_DECIMALS, &decimals)) {
        ind->decimals = (unsigned)decimals;
    } else {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" has decimals=\"%s\", but csppack holds "
            "at most %u decimals; write a number from 0 to %u",
            ind->id, s, TPL_MAX_DECIMALS, TPL_MAX_DECIMALS);
        if (err)
            goto out;
    }

    err = csp_tpl_get_attr(node, "theme", false, &ind->theme);
    if (err)
        goto out;
    if (ind->theme) {
        err = csp_tpl_refer(r, CSP_TPL_R_INDICATOR_THEME, ind->id, ind->theme,
                            line, NULL);
        if (err)
            goto out;
    }
    err = read_owners(r, node, ind);
    if (err)
        goto out;
    err = read_rule(r, node, ind);
    if (err)
        goto out;
    err = csp_tpl_read_judgement(r, node, ind);
    if (err)
        goto out;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "note")) {
            err = csp_tpl_get_text(c, &ind->note);
            if (err)
                goto out;
        }
    }
out:
    free(s);
    return err;
}
