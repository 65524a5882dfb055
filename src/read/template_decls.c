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

/* Deepest nesting of areas csppack reads (a district's wards are 1). */
#define TPL_MAX_AREA_DEPTH 16

/* How the estimates of one kind are named in messages. */
typedef struct tpl_estimate_words {
    const char *element; /* "population", "households" */
    const char *rule;    /* what must be more than 0 */
    const char *advice;  /* what to write */
} tpl_estimate_words;

static const tpl_estimate_words tpl_population_words = {
    "population", "a population", "write the mid-year estimate"};
static const tpl_estimate_words tpl_households_words = {
    "households", "the number of households", "write the estimate"};

/* The <population> or <households> children of area @p a's @p node, by
 * year: each more than 0, one per year. */
static csp_error read_estimates(csp_tpl_reader *r, xmlNodePtr node,
                                const csp_area *a,
                                const tpl_estimate_words *words,
                                csp_population **out, size_t *nout)
{
    csp_error err = CSP_OK;
    char *value = NULL;
    tpl_year_seen *seen = NULL;
    size_t i = 0, n = csp_tpl_count_children(node, words->element);
    csp_diag keys = csp_tpl_keys_area(a->id);
    csp_population *v = csp_tpl_calloc_n(n, sizeof *v);

    *out = v;
    *nout = v ? n : 0;
    seen = csp_tpl_calloc_n(n, sizeof *seen);
    if (n && (!v || !seen)) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, words->element))
            continue;
        csp_population *p = &v[i++];
        unsigned long line = csp_tpl_node_line(c);
        err = csp_tpl_get_year(c, "year", true, &p->year);
        if (err)
            goto out;
        err = csp_tpl_get_attr(c, "value", true, &value);
        if (err)
            goto out;
        if (!csp_tpl_parse_int64(value, &p->value)) {
            err = csp_tpl_report(r, CSP_D_TPL_VALUE, line, &keys,
                                 "area \"%s\" has %s %s for %d, which is "
                                 "too large; %s",
                                 a->id, words->element, value, p->year,
                                 words->advice);
        } else if (p->value <= 0) {
            err = csp_tpl_report(r, CSP_D_TPL_VALUE, line, &keys,
                                 "area \"%s\" has %s %s for %d; %s must be "
                                 "more than 0: %s",
                                 a->id, words->element, value, p->year,
                                 words->rule, words->advice);
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
    if (n > 1)
        qsort(seen, n, sizeof *seen, seen_year_cmp);
    for (i = 1; i < n; i++) {
        size_t first = i - 1;
        if (seen[i].year != seen[first].year)
            continue;
        while (first > 0 && seen[first - 1].year == seen[i].year)
            first--;
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, seen[i].line, &keys,
                             "area \"%s\" has a second %s estimate for %d "
                             "(the first is on line %lu); keep one",
                             a->id, words->element, seen[i].year,
                             seen[first].line);
        if (err)
            goto out;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, population_cmp);
out:
    free(seen);
    free(value);
    return err;
}

/* Number of <area> elements in @p node, at any depth (a district's wards
 * included), up to one level past the deepest csppack reads. */
static size_t count_areas(xmlNodePtr node, unsigned depth)
{
    size_t n = 0;

    if (depth > TPL_MAX_AREA_DEPTH)
        return 0;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "area"))
            n += 1 + count_areas(c, depth + 1);
    return n;
}

/* One <area> with its estimates, as tpl->areas[*pos], then the areas
 * inside it after it (document order: a parent before its children). */
static csp_error read_area(csp_tpl_reader *r, xmlNodePtr node,
                           const char *parent, unsigned depth, size_t *pos)
{
    size_t me = (*pos)++; /* taken now: freed with the template */
    csp_area *a = &r->tpl->areas[me];
    csp_error err = CSP_OK;
    csp_diag keys;
    unsigned long line = csp_tpl_node_line(node);

    err = csp_tpl_get_attr(node, "id", true, &a->id);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "name", true, &a->name);
    if (err)
        goto out;
    a->depth = depth;
    if (parent && !(a->parent = csp_strdup(parent))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    keys = csp_tpl_keys_area(a->id);
    if (strcmp(a->id, CSP_AREA_ALL) == 0) {
        err = csp_tpl_report(
            r, CSP_D_TPL_DUPLICATE_ID, line, &keys,
            "area id \"%s\" is reserved for the partnership as a "
            "whole and cannot be declared; give this area another id",
            a->id);
        if (err)
            goto out;
    }
    err = csp_tpl_declare(r, CSP_TPL_AREA, a->id, me, line);
    if (err)
        goto out;
    err = read_estimates(r, node, a, &tpl_population_words, &a->population,
                         &a->npopulation);
    if (err)
        goto out;
    err = read_estimates(r, node, a, &tpl_households_words, &a->households,
                         &a->nhouseholds);
    if (err)
        goto out;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "area"))
            continue;
        if (depth + 1 >= TPL_MAX_AREA_DEPTH) {
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, csp_tpl_node_line(c), &keys,
                "the areas inside area \"%s\" are nested %u deep; "
                "csppack reads areas nested at most %u deep (a ward in a "
                "district is 1 deep), so move them up",
                a->id, depth + 1, TPL_MAX_AREA_DEPTH - 1);
            goto out;
        }
        /* a->id stays valid: tpl->areas is allocated once. */
        err = read_area(r, c, a->id, depth + 1, pos);
        if (err)
            goto out;
    }
out:
    return err;
}

/* The <areas>: every <area> at any depth into one flat tpl->areas. */
csp_error csp_tpl_read_areas(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_template *t = r->tpl;
    csp_error err = CSP_OK;
    size_t n = count_areas(node, 0), pos = 0;

    t->areas = csp_tpl_calloc_n(n, sizeof *t->areas);
    if (n && !t->areas) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    t->nareas = n;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "area"))
            continue;
        err = read_area(r, c, NULL, 0, &pos);
        if (err)
            goto out;
    }
out:
    /* Past a refused nesting the rest were not read. */
    if (t->areas && pos < t->nareas)
        t->nareas = pos;
    return err;
}

/* Longest domain name and label the DNS allows (RFC 1035). */
#define TPL_DOMAIN_MAX 253
#define TPL_LABEL_MAX 63

/* Why @p d is not a domain name a mail address can end in, or NULL when
 * it is one: dot-separated labels of letters, digits and inner hyphens,
 * at least two of them. */
static const char *domain_fault(const char *d)
{
    size_t len = strlen(d), label = 0, labels = 1;

    if (strchr(d, '@'))
        return "it has an @";
    if (len > TPL_DOMAIN_MAX)
        return "it is longer than 253 characters";
    for (size_t i = 0; i <= len; i++) {
        char c = d[i];
        if (c == '.' || c == '\0') {
            if (label == 0)
                return "it has an empty part between dots";
            if (d[i - 1] == '-' || d[i - label] == '-')
                return "a part of it begins or ends with a hyphen";
            if (label > TPL_LABEL_MAX)
                return "a part of it is longer than 63 characters";
            labels += c == '.';
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '-') {
            label++;
        } else {
            return "it has a character other than letters, digits, "
                   "hyphens and dots";
        }
    }
    if (labels < 2)
        return "it has no dot";
    return NULL;
}

/* Agency @p a's email-domains=, lower-cased, each a domain name (E305
 * names the one that is not and why). */
static csp_error read_email_domains(csp_tpl_reader *r, xmlNodePtr node,
                                    csp_agency *a)
{
    csp_error err = CSP_OK;
    csp_diag keys;

    memset(&keys, 0, sizeof keys);
    keys.agency = a->id;
    err = csp_tpl_get_ids(node, "email-domains", &a->email_domains,
                          &a->nemail_domains);
    if (err)
        goto out;
    for (size_t i = 0; i < a->nemail_domains; i++) {
        char *d = a->email_domains[i];
        const char *why = domain_fault(d);
        if (why) {
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), &keys,
                "agency \"%s\" lists email domain \"%s\", which is not a "
                "domain name (%s); write the part of its staff's addresses "
                "after the @, like \"example.gov.uk\"",
                a->id, d, why);
            if (err)
                goto out;
        }
        for (char *p = d; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    }
out:
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
    err = read_email_domains(r, node, a);
    if (err)
        goto out;

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

/* The rule of an indicator (<sum>, <rate-per-1000>, <rate> or <share>),
 * if any; *per_1000 tells a <rate-per-1000>. */
static csp_error read_rule(csp_tpl_reader *r, xmlNodePtr node,
                           csp_indicator *ind, bool *per_1000)
{
    csp_error err = CSP_OK;
    xmlNodePtr rule = NULL;
    size_t i = 0;

    for (xmlNodePtr c = node->children; c && !rule; c = c->next)
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "sum") ||
            csp_xml_is(c, CSP_SCHEMA_STRATEGY, "rate-per-1000") ||
            csp_xml_is(c, CSP_SCHEMA_STRATEGY, "rate") ||
            csp_xml_is(c, CSP_SCHEMA_STRATEGY, "share"))
            rule = c;
    if (!rule) {
        ind->rule = CSP_RULE_NONE;
        goto out;
    }
    if (csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "sum")) {
        ind->rule = CSP_RULE_SUM;
        ind->ninputs = csp_tpl_count_children(rule, "input");
    } else if (csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "rate-per-1000") ||
               csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "rate")) {
        ind->rule = CSP_RULE_RATE;
        ind->ninputs = 1;
        *per_1000 = csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "rate-per-1000");
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
        err = csp_tpl_refer(r,
                            *per_1000 ? CSP_TPL_R_RATE_COUNT
                                      : CSP_TPL_R_RATE_OF,
                            ind->id, ind->inputs[0], csp_tpl_node_line(rule),
                            &ind->input_index[0]);
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

/* Most a rate can be per (per="..."). */
#define TPL_MAX_PER 1000000000ULL

/* The additive= tokens as CSP_ADD_* flags ("none" adds none). */
static unsigned additive_from_str(const char *s)
{
    unsigned flags = 0;

    while (*s) {
        size_t n = strcspn(s, " ");
        if (n == 5 && strncmp(s, "areas", 5) == 0)
            flags |= CSP_ADD_AREAS;
        else if (n == 8 && strncmp(s, "quarters", 8) == 0)
            flags |= CSP_ADD_QUARTERS;
        s += n;
        s += strspn(s, " ");
    }
    return flags;
}

/* per= and of= (rates only), additive= and totals= (its own, else the
 * <indicators totals=> default) of indicator @p ind, whose rule was read
 * (@p per_1000: it is a <rate-per-1000>). */
static csp_error read_units(csp_tpl_reader *r, xmlNodePtr node,
                            csp_indicator *ind, bool per_1000)
{
    csp_error err = CSP_OK;
    char *per = NULL, *of = NULL, *additive = NULL, *totals = NULL;
    unsigned long line = csp_tpl_node_line(node);
    unsigned long long v = 0;
    csp_diag keys = csp_tpl_keys_indicator(ind->id);
    bool rate = ind->unit == CSP_UNIT_RATE;

    if ((err = csp_tpl_get_attr(node, "per", false, &per)) ||
        (err = csp_tpl_get_attr(node, "of", false, &of)) ||
        (err = csp_tpl_get_attr(node, "additive", false, &additive)) ||
        (err = csp_tpl_get_attr(node, "totals", false, &totals)))
        goto out;
    if ((per || of) && !rate) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" is %s, so %s=\"%s\" does not apply; per= and "
            "of= are for rates: remove it or set unit=\"rate\"",
            ind->id, csp_tpl_unit_phrase(ind->unit), per ? "per" : "of",
            per ? per : of);
        if (err)
            goto out;
    } else if (per && (!csp_tpl_parse_whole(per, TPL_MAX_PER, &v) || v < 1)) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" has per=\"%s\"; a rate is per a whole number "
            "from 1 to 1000000000 (per=\"100000\" is per 100,000)",
            ind->id, per);
        if (err)
            goto out;
    } else if (per) {
        ind->per = (int64_t)v;
    }
    if (of && rate)
        ind->base = strcmp(of, "households") == 0 ? CSP_BASE_HOUSEHOLDS
                                                   : CSP_BASE_POPULATION;
    if (per_1000 && ind->per != 1000) {
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, &keys,
            "indicator \"%s\" has per=\"%s\", but its rule is "
            "<rate-per-1000>; write <rate count=\"%s\"/> for a rate per "
            "%s, or remove per=",
            ind->id, per, ind->ninputs ? ind->inputs[0] : "", per);
        if (err)
            goto out;
    }
    if (additive)
        ind->additive = additive_from_str(additive);
    if (totals) {
        ind->derive_totals = strcmp(totals, "derived") == 0;
        if (ind->derive_totals && !(ind->additive & CSP_ADD_AREAS)) {
            ind->derive_totals = false;
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, line, &keys,
                "indicator \"%s\" has totals=\"derived\", but its figures "
                "do not add up over areas; set additive=\"areas\" (or "
                "\"areas quarters\") if they do, or remove totals=",
                ind->id);
            if (err)
                goto out;
        }
    } else if (node->parent) {
        /* The <indicators> default applies where it can: to indicators
         * whose figures add up over areas. */
        err = csp_tpl_get_attr(node->parent, "totals", false, &totals);
        if (err)
            goto out;
        ind->derive_totals = totals && strcmp(totals, "derived") == 0 &&
                             (ind->additive & CSP_ADD_AREAS);
    }
out:
    free(per);
    free(of);
    free(additive);
    free(totals);
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
    bool per_1000 = false;
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
        /* Whole counts, pounds and pence, one place for the rest. */
        ind->decimals = ind->unit == CSP_UNIT_COUNT   ? 0
                        : ind->unit == CSP_UNIT_MONEY ? 2
                                                      : 1;
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
    err = read_rule(r, node, ind, &per_1000);
    if (err)
        goto out;
    err = read_units(r, node, ind, per_1000);
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
