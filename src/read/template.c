/*
 * csppack: reading and checking strategy templates
 * (namespace urn:csppack:strategy:1, doc/template-format.md).
 *
 * A read has three steps:
 *
 *   1. the bytes are loaded (size limit, no compression) and parsed and
 *      validated against templates/strategy.xsd by xmlsafe.c, so element
 *      order, required attributes and id syntax are already right here;
 *   2. the DOM is turned into the model.  On the way every declared id is
 *      recorded with its line (tpl_decl) and every reference to an id
 *      with its line and the slot that receives the resolved index
 *      (tpl_ref), and the checks that need one element only are made
 *      (E305 values);
 *   3. the whole-template checks: duplicate ids (E301), references to
 *      undeclared ids (E302), rule units (E304), rule cycles (E303) and
 *      theme numbering (E305).
 *
 * Every problem found is reported, not just the first, so a template
 * author can fix them all in one go.  The template is handed out only
 * when no error was found.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "csppack/read/template.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/xmlsafe.h"

/* The bundled Dartford and Gravesham template, embedded by the build. */
extern const unsigned char csp_embedded_dg_csp_2016_19_xml[];
extern const size_t csp_embedded_dg_csp_2016_19_xml_len;

/* The name the built-in template has in diagnostics and in the model. */
#define TPL_BUILTIN_INPUT "(built-in dg-csp-2016-19)"
#define TPL_BUILTIN_PATH "(built-in)"

/* Headings of a theme's narrative when the template gives none. */
#define TPL_WHY_TITLE "Why is this objective a priority?"
#define TPL_CHALLENGES_TITLE "What are our challenges?"

/* Most decimals a computed figure can have: what csp_decimal holds. */
#define TPL_MAX_DECIMALS ((unsigned)CSP_DECIMAL_MAX_SCALE)

/* ------------------------------------------------------------------ */
/* Reader state                                                        */
/* ------------------------------------------------------------------ */

/* The kinds of declared ids; each kind is its own namespace. */
typedef enum tpl_kind {
    K_AREA,
    K_AGENCY,
    K_GROUP,
    K_PRIORITY,
    K_INDICATOR,
    K_THEME,
    K_ACTION,
    K_SECTION,
    K_COUNT_
} tpl_kind;

/* How each kind is named in messages. */
static const struct {
    const char *word;      /* "delivery group" */
    const char *container; /* where it is declared */
    const char *key;       /* the attribute that names it */
} tpl_kinds[K_COUNT_] = {
    [K_AREA] = {"area", "<areas>", "id"},
    [K_AGENCY] = {"agency", "<agencies>", "id"},
    [K_GROUP] = {"delivery group", "<delivery-groups>", "id"},
    [K_PRIORITY] = {"priority", "<priorities>", "id"},
    [K_INDICATOR] = {"indicator", "<indicators>", "id"},
    [K_THEME] = {"theme", "<themes>", "id"},
    [K_ACTION] = {"action", "<actions>", "ref"},
    [K_SECTION] = {"section", "<strategy>", "id"},
};

/* One declaration of an id. */
typedef struct tpl_decl {
    const char *id; /* borrowed from the model */
    size_t pos;     /* index in the model's array (actions: global) */
    unsigned long line;
} tpl_decl;

/* All declarations of one kind; sorted by (id, pos) before lookups. */
typedef struct tpl_decls {
    tpl_decl *items;
    size_t count;
    size_t capacity;
} tpl_decls;

/*
 * The template's lookups by id: the reader's declarations, sorted and
 * checked (no id repeats), handed to the template when it is read.  Until
 * then (while csp_template_read checks the template) the lookups search
 * the arrays in order.
 */
struct csp_template_index {
    tpl_decls decls[K_COUNT_];
    /* By kind, open addressing over decls: index + 1 of the first
     * declaration of an id, 0 free; a power of two, at most half full. */
    uint32_t *slots[K_COUNT_];
    size_t nslots[K_COUNT_];
};

/* What a reference is, which decides its kind, message and unit check. */
typedef enum tpl_role {
    R_SUM_INPUT,
    R_RATE_COUNT,
    R_SHARE_PART,
    R_SHARE_WHOLE,
    R_OWNER_AGENCY,
    R_OWNER_AREA,
    R_INDICATOR_THEME,
    R_GROUP_AGENCY,
    R_THEME_PRIORITY,
    R_MEASURE,
    R_KEY_GROUP,
    R_ACTION_GROUP,
    R_ACTION_PRIORITY,
    R_KF_INDICATOR,
    R_KF_RATE,
    R_CONTACT,
    R_COUNT_
} tpl_role;

/* How each role reads in a message ("indicator "x" sums "y", which...").
 * want is the unit the referenced indicator must have, or -1. */
static const struct {
    tpl_kind kind;
    const char *subject;
    const char *verb;
    int want;
    const char *hint; /* E304 advice */
} tpl_roles[R_COUNT_] = {
    [R_SUM_INPUT] = {K_INDICATOR, "indicator", "sums", CSP_UNIT_COUNT,
                     "only counts can be summed"},
    [R_RATE_COUNT] = {K_INDICATOR, "indicator", "is a rate per 1,000 of",
                      CSP_UNIT_COUNT,
                      "a rate per 1,000 is worked out from a count"},
    [R_SHARE_PART] = {K_INDICATOR, "indicator", "takes its part from",
                      CSP_UNIT_COUNT, "a share divides one count by another"},
    [R_SHARE_WHOLE] = {K_INDICATOR, "indicator", "takes its whole from",
                       CSP_UNIT_COUNT, "a share divides one count by another"},
    [R_OWNER_AGENCY] = {K_AGENCY, "indicator", "is owned by agency", -1, NULL},
    [R_OWNER_AREA] = {K_AREA, "indicator", "names an owner for area", -1, NULL},
    [R_INDICATOR_THEME] = {K_THEME, "indicator", "belongs to theme", -1, NULL},
    [R_GROUP_AGENCY] = {K_AGENCY, "delivery group", "lists agency", -1, NULL},
    [R_THEME_PRIORITY] = {K_PRIORITY, "theme", "lists priority", -1, NULL},
    [R_MEASURE] = {K_INDICATOR, "theme", "measures indicator", -1, NULL},
    [R_KEY_GROUP] = {K_GROUP, "theme", "lists key delivery group", -1, NULL},
    [R_ACTION_GROUP] = {K_GROUP, "action", "is coordinated by delivery group",
                        -1, NULL},
    [R_ACTION_PRIORITY] = {K_PRIORITY, "action", "serves priority", -1, NULL},
    [R_KF_INDICATOR] = {K_INDICATOR, "key-findings row", "shows indicator",
                        CSP_UNIT_COUNT, "point indicator= at a count"},
    [R_KF_RATE] = {K_INDICATOR, "key-findings row", "shows rate", CSP_UNIT_RATE,
                   "point rate= at a rate per 1,000"},
    [R_CONTACT] = {K_AGENCY, NULL, "lists agency", -1, NULL},
};

/* One reference to an id, resolved after the whole template is read. */
typedef struct tpl_ref {
    tpl_role role;
    const char *subject; /* the referring thing's id or label; borrowed */
    const char *target;  /* the id referred to; borrowed */
    unsigned long line;
    size_t *slot; /* receives the target's index; may be NULL */
} tpl_ref;

/* Everything one csp_template_read works with. */
typedef struct tpl_reader {
    const char *file; /* the input's name, for diagnostics */
    csp_diag_list *diags;
    csp_template *tpl;
    size_t errors;   /* error diagnostics added by this read */
    size_t text_cap; /* cap of messages built from input */
    tpl_decls decls[K_COUNT_];
    tpl_ref *refs;
    size_t nrefs;
    size_t cap_refs;
    unsigned long *theme_lines; /* per theme, for E305 */
    char **theme_numbers;       /* per theme, number= as written */
    size_t nthemes;             /* length of the two arrays above */
    unsigned long *ind_lines;   /* per indicator, for E303/E304 */
} tpl_reader;

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

/* The line of @p node (0 when libxml2 does not know it). */
static unsigned long node_line(xmlNodePtr node)
{
    long line = xmlGetLineNo(node);
    return line > 0 ? (unsigned long)line : 0;
}

/* Append an error diagnostic about line @p line of the template. */
static csp_error report(tpl_reader *r, csp_diag_code code, unsigned long line,
                        const csp_diag *keys, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static csp_error report(tpl_reader *r, csp_diag_code code, unsigned long line,
                        const csp_diag *keys, const char *fmt, ...)
{
    csp_error err = CSP_OK;
    csp_diag proto;
    va_list ap;

    if (keys)
        proto = *keys;
    else
        memset(&proto, 0, sizeof proto);
    proto.code = code;
    proto.file = (char *)r->file;
    proto.line = line;
    proto.message = NULL;
    va_start(ap, fmt);
    if (!csp_diag_addv(r->diags, &proto, fmt, ap))
        err = CSP_ERR_NOMEM;
    va_end(ap);
    if (err)
        goto out;
    if (csp_diag_severity(code) == CSP_SEV_ERROR)
        r->errors++;
out:
    return err;
}

/* Keys for a diagnostic about indicator @p id. */
static csp_diag keys_indicator(const char *id)
{
    csp_diag d;
    memset(&d, 0, sizeof d);
    d.indicator = (char *)id;
    return d;
}

/* Keys for a diagnostic about area @p id. */
static csp_diag keys_area(const char *id)
{
    csp_diag d;
    memset(&d, 0, sizeof d);
    d.area = (char *)id;
    return d;
}

/* Number of element children of @p node named @p name. */
static size_t count_children(xmlNodePtr node, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, name))
            n++;
    return n;
}

/* calloc for @p n items; NULL for none (so check n before blaming memory). */
static void *calloc_n(size_t n, size_t size)
{
    if (n == 0 || size == 0 || n > PTRDIFF_MAX / size)
        return NULL;
    return csp_calloc(n, size);
}

/*
 * Attribute @p name of @p node, whitespace collapsed, in malloc'd memory;
 * *out is NULL when the attribute is absent.  A @p required attribute that
 * is absent cannot pass the XSD, so it is an internal error.
 */
static csp_error get_attr(xmlNodePtr node, const char *name, bool required,
                          char **out)
{
    csp_error err = CSP_OK;
    char *raw = csp_xml_attr(node, name);

    *out = NULL;
    if (!raw) {
        /* libxml2 also returns NULL when it cannot copy the value. */
        if (xmlHasNsProp(node, (const xmlChar *)name, NULL))
            err = CSP_ERR_NOMEM;
        else if (required)
            err = CSP_ERR_INTERNAL;
        goto out;
    }
    *out = csp_strdup(raw);
    if (!*out) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_text_collapse(*out);
out:
    if (raw)
        xmlFree(raw);
    return err;
}

/* Text content of @p node, whitespace collapsed, in malloc'd memory. */
static csp_error get_text(xmlNodePtr node, char **out)
{
    csp_error err = CSP_OK;
    *out = csp_xml_text_collapsed(node);
    if (!*out)
        err = CSP_ERR_NOMEM;
    return err;
}

/* The text directly inside @p node (not in child elements), collapsed. */
static csp_error get_own_text(xmlNodePtr node, size_t cap, char **out)
{
    csp_error err = CSP_OK;
    csp_strbuf sb;

    csp_strbuf_init(&sb, cap);
    *out = NULL;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        bool text =
            c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
        if (text && c->content)
            err = csp_strbuf_puts(&sb, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            err = csp_strbuf_putc(&sb, ' '); /* "a<ul/>b" is not "ab" */
        if (err)
            goto out;
    }
    *out = csp_strbuf_take(&sb);
    if (!*out) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_text_collapse(*out);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Parse plain digits; false when empty, not digits or over @p max. */
static bool parse_whole(const char *s, unsigned long long max,
                        unsigned long long *out)
{
    unsigned long long v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Parse an optionally signed whole number that fits an int64_t. */
static bool parse_int64(const char *s, int64_t *out)
{
    unsigned long long v;
    bool neg = false;
    if (s && *s == '-') {
        neg = true;
        s++;
    }
    if (!parse_whole(s, (unsigned long long)INT64_MAX, &v))
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

/* Read year attribute @p name (four digits by the XSD); 0 when absent. */
static csp_error get_year(xmlNodePtr node, const char *name, bool required,
                          int *out)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long long v = 0;

    *out = 0;
    err = get_attr(node, name, required, &s);
    if (err || !s)
        goto out;
    if (!parse_whole(s, 9999, &v)) {
        err = CSP_ERR_INTERNAL; /* the XSD allows four digits only */
        goto out;
    }
    *out = (int)v;
out:
    free(s);
    return err;
}

/* Split a space-separated id list (already collapsed) into an array. */
static csp_error split_ids(const char *s, char ***out, size_t *n)
{
    csp_error err = CSP_OK;
    size_t count = 0, i = 0;
    char **v = NULL;
    const char *p;

    *out = NULL;
    *n = 0;
    if (!s || !*s)
        goto out;
    count = 1;
    for (p = s; *p; p++)
        if (*p == ' ')
            count++;
    v = calloc_n(count, sizeof *v);
    if (!v) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (p = s; i < count; i++) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        v[i] = csp_strndup(p, len);
        if (!v[i]) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        p = end ? end + 1 : p + len;
    }
out:
    if (err && v) {
        for (size_t k = 0; k < count; k++)
            free(v[k]);
        free(v);
        v = NULL;
        count = 0;
    }
    *out = v;
    *n = count;
    return err;
}

/* Read the id-list attribute @p name of @p node. */
static csp_error get_ids(xmlNodePtr node, const char *name, char ***out,
                         size_t *n)
{
    csp_error err = CSP_OK;
    char *s = NULL;

    *out = NULL;
    *n = 0;
    err = get_attr(node, name, false, &s);
    if (err)
        goto out;
    err = split_ids(s, out, n);
out:
    free(s);
    return err;
}

/* Order declarations by id, then by position (document order). */
static int decl_cmp(const void *pa, const void *pb)
{
    const tpl_decl *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c)
        return c;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Record that @p id of @p kind is declared at @p line as item @p pos. */
static csp_error declare(tpl_reader *r, tpl_kind kind, const char *id,
                         size_t pos, unsigned long line)
{
    csp_error err = CSP_OK;
    tpl_decls *d = &r->decls[kind];

    if (d->count == d->capacity) {
        size_t cap = d->capacity ? d->capacity * 2 : 16;
        tpl_decl *p = csp_realloc(d->items, cap * sizeof *p);
        if (!p) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        d->items = p;
        d->capacity = cap;
    }
    d->items[d->count].id = id;
    d->items[d->count].pos = pos;
    d->items[d->count].line = line;
    d->count++;
out:
    return err;
}

/* Record a reference to check once everything is declared. */
static csp_error refer(tpl_reader *r, tpl_role role, const char *subject,
                       const char *target, unsigned long line, size_t *slot)
{
    csp_error err = CSP_OK;

    if (r->nrefs == r->cap_refs) {
        size_t cap = r->cap_refs ? r->cap_refs * 2 : 64;
        tpl_ref *p = csp_realloc(r->refs, cap * sizeof *p);
        if (!p) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        r->refs = p;
        r->cap_refs = cap;
    }
    r->refs[r->nrefs].role = role;
    r->refs[r->nrefs].subject = subject;
    r->refs[r->nrefs].target = target;
    r->refs[r->nrefs].line = line;
    r->refs[r->nrefs].slot = slot;
    r->nrefs++;
out:
    return err;
}

/* ------------------------------------------------------------------ */
/* Freeing the model                                                   */
/* ------------------------------------------------------------------ */

/* Free an array of strings. */
static void free_strv(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Free an array of blocks and everything under them. */
static void free_blocks(csp_block *b, size_t n)
{
    if (!b)
        return;
    for (size_t i = 0; i < n; i++) {
        free(b[i].text);
        free_blocks(b[i].children, b[i].nchildren);
    }
    free(b);
}

/* Free what a section holds (not the section itself). */
static void free_section(csp_section *s)
{
    free(s->id);
    free(s->title);
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
    free(ind->theme);
    free(ind->note);
    free(ind->input_index);
}

/* Free what a theme holds. */
static void free_theme(csp_theme *th)
{
    free(th->id);
    free(th->title);
    free(th->colour);
    free_strv(th->priorities, th->npriorities);
    free_section(&th->why);
    free_section(&th->challenges);
    free_strv(th->measures, th->nmeasures);
    free_strv(th->groups, th->ngroups);
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
    if (tpl->index) {
        for (int k = 0; k < K_COUNT_; k++) {
            free(tpl->index->decls[k].items);
            free(tpl->index->slots[k]);
        }
        free(tpl->index);
    }
    free(tpl->path);
    free(tpl->id);
    free(tpl->title);
    free(tpl->subtitle);
    free(tpl->partnership);
    free(tpl->partnership_short);
    free(tpl->language);
    if (tpl->areas) {
        for (i = 0; i < tpl->nareas; i++) {
            free(tpl->areas[i].id);
            free(tpl->areas[i].name);
            free(tpl->areas[i].population);
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

/* ------------------------------------------------------------------ */
/* Narrative                                                           */
/* ------------------------------------------------------------------ */

static csp_error read_list(tpl_reader *r, xmlNodePtr node, csp_block *b);

/* True for the elements that are narrative blocks. */
static bool is_block(xmlNodePtr node)
{
    return csp_xml_is(node, CSP_SCHEMA_STRATEGY, "p") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "h") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ul");
}

/* A list item: its own text, and its nested list as the only child. */
static csp_error read_item(tpl_reader *r, xmlNodePtr node, csp_block *b)
{
    csp_error err = CSP_OK;

    b->kind = CSP_BLOCK_ITEM;
    err = get_own_text(node, r->text_cap, &b->text);
    if (err)
        goto out;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "ul"))
            continue;
        /* The XSD allows one nested list per item. */
        b->children = calloc_n(1, sizeof *b->children);
        if (!b->children) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        b->nchildren = 1;
        err = read_list(r, c, &b->children[0]);
        goto out;
    }
out:
    return err;
}

/* A bullet list: its items are the children. */
static csp_error read_list(tpl_reader *r, xmlNodePtr node, csp_block *b)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    b->kind = CSP_BLOCK_LIST;
    b->text = NULL;
    b->nchildren = count_children(node, "li");
    b->children = calloc_n(b->nchildren, sizeof *b->children);
    if (b->nchildren && !b->children) {
        b->nchildren = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "li"))
            continue;
        err = read_item(r, c, &b->children[i++]);
        if (err)
            goto out;
    }
out:
    return err;
}

/* The p, h and ul children of @p node, in order. */
static csp_error read_blocks(tpl_reader *r, xmlNodePtr node, csp_block **out,
                             size_t *n)
{
    csp_error err = CSP_OK;
    size_t count = 0, i = 0;

    for (xmlNodePtr c = node->children; c; c = c->next)
        if (is_block(c))
            count++;
    *out = calloc_n(count, sizeof **out);
    if (count && !*out) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    *n = count;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!is_block(c))
            continue;
        csp_block *b = &(*out)[i++];
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "ul")) {
            err = read_list(r, c, b);
        } else {
            b->kind = csp_xml_is(c, CSP_SCHEMA_STRATEGY, "p")
                          ? CSP_BLOCK_PARAGRAPH
                          : CSP_BLOCK_HEADING;
            err = get_text(c, &b->text);
        }
        if (err)
            goto out;
    }
out:
    return err;
}

/* A narrative section: id (top level only), title, blocks, sub-sections. */
static csp_error read_section(tpl_reader *r, xmlNodePtr node, csp_section *s,
                              bool top, size_t pos)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    if (top) {
        err = get_attr(node, "id", true, &s->id);
        if (err)
            goto out;
        err = declare(r, K_SECTION, s->id, pos, node_line(node));
        if (err)
            goto out;
    }
    err = get_attr(node, "title", true, &s->title);
    if (err)
        goto out;
    err = read_blocks(r, node, &s->blocks, &s->nblocks);
    if (err)
        goto out;
    s->nsubsections = count_children(node, "section");
    s->subsections = calloc_n(s->nsubsections, sizeof *s->subsections);
    if (s->nsubsections && !s->subsections) {
        s->nsubsections = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "section"))
            continue;
        err = read_section(r, c, &s->subsections[i++], false, 0);
        if (err)
            goto out;
    }
out:
    return err;
}

/* A theme's why or challenges: blocks under a heading (a default one). */
static csp_error read_titled(tpl_reader *r, xmlNodePtr node,
                             const char *default_title, csp_section *s)
{
    csp_error err = CSP_OK;

    if (node) {
        err = get_attr(node, "title", false, &s->title);
        if (err)
            goto out;
        err = read_blocks(r, node, &s->blocks, &s->nblocks);
        if (err)
            goto out;
    }
    if (!s->title) {
        s->title = csp_strdup(default_title);
        if (!s->title)
            err = CSP_ERR_NOMEM;
    }
out:
    return err;
}

/* ------------------------------------------------------------------ */
/* Declarations                                                        */
/* ------------------------------------------------------------------ */

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
static csp_error read_area(tpl_reader *r, xmlNodePtr node, void *item,
                           size_t pos)
{
    csp_area *a = item;
    csp_error err = CSP_OK;
    char *value = NULL;
    tpl_year_seen *seen = NULL;
    size_t i = 0;
    csp_diag keys;

    err = get_attr(node, "id", true, &a->id);
    if (err)
        goto out;
    err = get_attr(node, "name", true, &a->name);
    if (err)
        goto out;
    keys = keys_area(a->id);
    if (strcmp(a->id, CSP_AREA_ALL) == 0) {
        err = report(r, CSP_D_TPL_DUPLICATE_ID, node_line(node), &keys,
                     "area id \"%s\" is reserved for the partnership as a "
                     "whole and cannot be declared; give this area another id",
                     a->id);
        if (err)
            goto out;
    }
    err = declare(r, K_AREA, a->id, pos, node_line(node));
    if (err)
        goto out;

    a->npopulation = count_children(node, "population");
    a->population = calloc_n(a->npopulation, sizeof *a->population);
    seen = calloc_n(a->npopulation, sizeof *seen);
    if (a->npopulation && (!a->population || !seen)) {
        a->npopulation = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "population"))
            continue;
        csp_population *p = &a->population[i++];
        unsigned long line = node_line(c);
        err = get_year(c, "year", true, &p->year);
        if (err)
            goto out;
        err = get_attr(c, "value", true, &value);
        if (err)
            goto out;
        if (!parse_int64(value, &p->value)) {
            err = report(r, CSP_D_TPL_VALUE, line, &keys,
                         "area \"%s\" has population %s for %d, which is "
                         "too large; write the mid-year estimate",
                         a->id, value, p->year);
        } else if (p->value <= 0) {
            err = report(r, CSP_D_TPL_VALUE, line, &keys,
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
        err = report(r, CSP_D_TPL_VALUE, seen[i].line, &keys,
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
static csp_error read_agency(tpl_reader *r, xmlNodePtr node, void *item,
                             size_t pos)
{
    csp_agency *a = item;
    csp_error err = CSP_OK;
    char *s = NULL;
    size_t i = 0;

    err = get_attr(node, "id", true, &a->id);
    if (err)
        goto out;
    err = declare(r, K_AGENCY, a->id, pos, node_line(node));
    if (err)
        goto out;
    err = get_attr(node, "name", true, &a->name);
    if (err)
        goto out;
    err = get_attr(node, "short-name", false, &a->short_name);
    if (err)
        goto out;
    err = get_attr(node, "statutory", false, &s);
    if (err)
        goto out;
    a->statutory = s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "contact"))
            continue;
        err = get_attr(c, "heading", false, &a->contact_name);
        if (err)
            goto out;
        a->contact.nlines = count_children(c, "line");
        a->contact.lines =
            calloc_n(a->contact.nlines, sizeof *a->contact.lines);
        if (a->contact.nlines && !a->contact.lines) {
            a->contact.nlines = 0;
            err = CSP_ERR_NOMEM;
            goto out;
        }
        for (xmlNodePtr e = c->children; e; e = e->next) {
            if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "line"))
                err = get_text(e, &a->contact.lines[i++]);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "phone"))
                err = get_text(e, &a->contact.phone);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "web"))
                err = get_text(e, &a->contact.web);
            else if (csp_xml_is(e, CSP_SCHEMA_STRATEGY, "email"))
                err = get_text(e, &a->contact.email);
            if (err)
                goto out;
        }
    }
out:
    free(s);
    return err;
}

/* One delivery <group>. */
static csp_error read_group(tpl_reader *r, xmlNodePtr node, void *item,
                            size_t pos)
{
    csp_group *g = item;
    csp_error err = CSP_OK;
    unsigned long line = node_line(node);

    err = get_attr(node, "id", true, &g->id);
    if (err)
        goto out;
    err = declare(r, K_GROUP, g->id, pos, line);
    if (err)
        goto out;
    err = get_attr(node, "name", true, &g->name);
    if (err)
        goto out;
    err = get_attr(node, "short-name", false, &g->short_name);
    if (err)
        goto out;
    err = get_ids(node, "agencies", &g->agencies, &g->nagencies);
    if (err)
        goto out;
    for (size_t i = 0; i < g->nagencies; i++) {
        err = refer(r, R_GROUP_AGENCY, g->id, g->agencies[i], line, NULL);
        if (err)
            goto out;
    }
out:
    return err;
}

/* One strategic-assessment <priority>. */
static csp_error read_priority(tpl_reader *r, xmlNodePtr node, void *item,
                               size_t pos)
{
    csp_priority *p = item;
    csp_error err = CSP_OK;

    err = get_attr(node, "id", true, &p->id);
    if (err)
        goto out;
    err = declare(r, K_PRIORITY, p->id, pos, node_line(node));
    if (err)
        goto out;
    err = get_attr(node, "name", true, &p->name);
    if (err)
        goto out;
    err = get_year(node, "since", false, &p->since);
    if (err)
        goto out;
    if (p->since == 0)
        p->since = r->tpl->first_year;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "note")) {
            err = get_text(c, &p->note);
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
    return CSP_UNIT_COUNT;
}

/* The owners of an indicator: an owner= attribute or <owner> children. */
static csp_error read_owners(tpl_reader *r, xmlNodePtr node, csp_indicator *ind)
{
    csp_error err = CSP_OK;
    char *owner = NULL;
    unsigned long line = node_line(node);
    size_t nchildren = count_children(node, "owner"), i = 0, nseen = 0;
    csp_diag keys = keys_indicator(ind->id);
    tpl_decl *seen = NULL; /* the <owner> areas, for E301 */

    err = get_attr(node, "owner", false, &owner);
    if (err)
        goto out;
    if (owner && nchildren) {
        err = report(r, CSP_D_TPL_VALUE, line, &keys,
                     "indicator \"%s\" has both an owner= attribute and "
                     "<owner> elements; use owner= when one agency owns "
                     "every area, <owner> elements when owners differ by area",
                     ind->id);
        if (err)
            goto out;
    }
    ind->nowners = (owner ? 1 : 0) + nchildren;
    ind->owners = calloc_n(ind->nowners, sizeof *ind->owners);
    seen = calloc_n(nchildren, sizeof *seen);
    if ((ind->nowners && !ind->owners) || (nchildren && !seen)) {
        ind->nowners = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (owner && ind->owners) {
        ind->owners[i].agency = owner;
        owner = NULL;
        err = refer(r, R_OWNER_AGENCY, ind->id, ind->owners[i].agency, line,
                    NULL);
        if (err)
            goto out;
        i++;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "owner"))
            continue;
        csp_owner *o = &ind->owners[i];
        unsigned long cline = node_line(c);
        err = get_attr(c, "area", true, &o->area);
        if (err)
            goto out;
        err = get_attr(c, "agency", true, &o->agency);
        if (err)
            goto out;
        seen[nseen].id = o->area;
        seen[nseen].line = cline;
        seen[nseen].pos = nseen;
        nseen++;
        i++;
        err = refer(r, R_OWNER_AREA, ind->id, o->area, cline, NULL);
        if (err)
            goto out;
        err = refer(r, R_OWNER_AGENCY, ind->id, o->agency, cline, NULL);
        if (err)
            goto out;
    }
    /* Sorted by area, a repeated area is next to its first <owner>.
     * (Not with none: seen is NULL then, and qsort's base must not be.) */
    if (nseen > 1)
        qsort(seen, nseen, sizeof *seen, decl_cmp);
    for (i = 1; i < nseen; i++) {
        size_t first = i - 1;
        if (strcmp(seen[i].id, seen[first].id) != 0)
            continue;
        while (first > 0 && strcmp(seen[first - 1].id, seen[i].id) == 0)
            first--;
        keys.area = (char *)seen[i].id;
        err = report(r, CSP_D_TPL_DUPLICATE_ID, seen[i].line, &keys,
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
static csp_error read_rule(tpl_reader *r, xmlNodePtr node, csp_indicator *ind)
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
        ind->ninputs = count_children(rule, "input");
    } else if (csp_xml_is(rule, CSP_SCHEMA_STRATEGY, "rate-per-1000")) {
        ind->rule = CSP_RULE_RATE;
        ind->ninputs = 1;
    } else {
        ind->rule = CSP_RULE_SHARE;
        ind->ninputs = 2;
    }
    ind->inputs = calloc_n(ind->ninputs, sizeof *ind->inputs);
    ind->input_index = calloc_n(ind->ninputs, sizeof *ind->input_index);
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
            err = get_attr(c, "indicator", true, &ind->inputs[i]);
            if (err)
                goto out;
            err = refer(r, R_SUM_INPUT, ind->id, ind->inputs[i], node_line(c),
                        &ind->input_index[i]);
            if (err)
                goto out;
            i++;
        }
    } else if (ind->rule == CSP_RULE_RATE) {
        err = get_attr(rule, "count", true, &ind->inputs[0]);
        if (err)
            goto out;
        err = refer(r, R_RATE_COUNT, ind->id, ind->inputs[0], node_line(rule),
                    &ind->input_index[0]);
    } else {
        err = get_attr(rule, "part", true, &ind->inputs[0]);
        if (err)
            goto out;
        err = get_attr(rule, "whole", true, &ind->inputs[1]);
        if (err)
            goto out;
        err = refer(r, R_SHARE_PART, ind->id, ind->inputs[0], node_line(rule),
                    &ind->input_index[0]);
        if (err)
            goto out;
        err = refer(r, R_SHARE_WHOLE, ind->id, ind->inputs[1], node_line(rule),
                    &ind->input_index[1]);
    }
out:
    return err;
}

/* One <indicator>: unit, decimals, owners, rule, theme, note. */
static csp_error read_indicator(tpl_reader *r, xmlNodePtr node, void *item,
                                size_t pos)
{
    csp_indicator *ind = item;
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long line = node_line(node);
    unsigned long long decimals = 0;
    csp_diag keys;

    r->ind_lines[pos] = line;
    err = get_attr(node, "id", true, &ind->id);
    if (err)
        goto out;
    keys = keys_indicator(ind->id);
    err = declare(r, K_INDICATOR, ind->id, pos, line);
    if (err)
        goto out;
    err = get_attr(node, "name", true, &ind->name);
    if (err)
        goto out;
    err = get_attr(node, "unit", true, &s);
    if (err)
        goto out;
    ind->unit = unit_from_str(s);
    free(s);
    s = NULL;

    err = get_attr(node, "decimals", false, &s);
    if (err)
        goto out;
    if (!s) {
        ind->decimals = ind->unit == CSP_UNIT_COUNT ? 0 : 1;
    } else if (parse_whole(s, TPL_MAX_DECIMALS, &decimals)) {
        ind->decimals = (unsigned)decimals;
    } else {
        err = report(r, CSP_D_TPL_VALUE, line, &keys,
                     "indicator \"%s\" has decimals=\"%s\", but csppack holds "
                     "at most %u decimals; write a number from 0 to %u",
                     ind->id, s, TPL_MAX_DECIMALS, TPL_MAX_DECIMALS);
        if (err)
            goto out;
    }

    err = get_attr(node, "theme", false, &ind->theme);
    if (err)
        goto out;
    if (ind->theme) {
        err = refer(r, R_INDICATOR_THEME, ind->id, ind->theme, line, NULL);
        if (err)
            goto out;
    }
    err = read_owners(r, node, ind);
    if (err)
        goto out;
    err = read_rule(r, node, ind);
    if (err)
        goto out;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "note")) {
            err = get_text(c, &ind->note);
            if (err)
                goto out;
        }
    }
out:
    free(s);
    return err;
}

/* One <action> of theme @p theme; @p pos counts actions over all themes. */
static csp_error read_action(tpl_reader *r, xmlNodePtr node, csp_action *a,
                             size_t theme, size_t pos)
{
    csp_error err = CSP_OK;
    unsigned long line = node_line(node);
    size_t i;

    a->theme = theme;
    err = get_attr(node, "ref", true, &a->ref);
    if (err)
        goto out;
    err = declare(r, K_ACTION, a->ref, pos, line);
    if (err)
        goto out;
    err = get_text(node, &a->text);
    if (err)
        goto out;
    err = get_ids(node, "groups", &a->groups, &a->ngroups);
    if (err)
        goto out;
    err = get_attr(node, "groups-label", false, &a->groups_label);
    if (err)
        goto out;
    err = get_ids(node, "priorities", &a->priorities, &a->npriorities);
    if (err)
        goto out;
    err = get_attr(node, "priorities-label", false, &a->priorities_label);
    if (err)
        goto out;
    for (i = 0; i < a->ngroups; i++) {
        err = refer(r, R_ACTION_GROUP, a->ref, a->groups[i], line, NULL);
        if (err)
            goto out;
    }
    for (i = 0; i < a->npriorities; i++) {
        err = refer(r, R_ACTION_PRIORITY, a->ref, a->priorities[i], line, NULL);
        if (err)
            goto out;
    }
out:
    return err;
}

/* Read the id references of <measures> or <key-delivery-groups>. */
static csp_error read_id_children(tpl_reader *r, xmlNodePtr node,
                                  const char *child, const char *attr,
                                  tpl_role role, const char *subject,
                                  char ***out, size_t *n)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    *n = count_children(node, child);
    *out = calloc_n(*n, sizeof **out);
    if (*n && !*out) {
        *n = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, child))
            continue;
        err = get_attr(c, attr, true, &(*out)[i]);
        if (err)
            goto out;
        err = refer(r, role, subject, (*out)[i], node_line(c), NULL);
        if (err)
            goto out;
        i++;
    }
out:
    return err;
}

/* One <theme>; @p first_action is the global index of its first action. */
static csp_error read_theme(tpl_reader *r, xmlNodePtr node, csp_theme *th,
                            size_t pos, size_t first_action)
{
    csp_error err = CSP_OK;
    unsigned long line = node_line(node);
    unsigned long long number = 0;
    xmlNodePtr why = NULL, challenges = NULL;
    size_t i;

    r->theme_lines[pos] = line;
    err = get_attr(node, "id", true, &th->id);
    if (err)
        goto out;
    err = declare(r, K_THEME, th->id, pos, line);
    if (err)
        goto out;
    err = get_attr(node, "number", true, &r->theme_numbers[pos]);
    if (err)
        goto out;
    /* A number too large for unsigned becomes 0 here; either way it is
     * reported with the rest of the numbering in check_theme_numbers. */
    th->number = parse_whole(r->theme_numbers[pos], UINT_MAX, &number)
                     ? (unsigned)number
                     : 0;
    err = get_attr(node, "title", true, &th->title);
    if (err)
        goto out;
    err = get_attr(node, "colour", true, &th->colour);
    if (err)
        goto out;
    err = get_ids(node, "priorities", &th->priorities, &th->npriorities);
    if (err)
        goto out;
    for (i = 0; i < th->npriorities; i++) {
        err = refer(r, R_THEME_PRIORITY, th->id, th->priorities[i], line, NULL);
        if (err)
            goto out;
    }

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "why")) {
            why = c;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "challenges")) {
            challenges = c;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "measures")) {
            err = read_id_children(r, c, "measure", "indicator", R_MEASURE,
                                   th->id, &th->measures, &th->nmeasures);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-delivery-groups")) {
            err = read_id_children(r, c, "group", "ref", R_KEY_GROUP, th->id,
                                   &th->groups, &th->ngroups);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "actions")) {
            th->nactions = count_children(c, "action");
            th->actions = calloc_n(th->nactions, sizeof *th->actions);
            if (th->nactions && !th->actions) {
                th->nactions = 0;
                err = CSP_ERR_NOMEM;
                goto out;
            }
            i = 0;
            for (xmlNodePtr a = c->children; a && !err; a = a->next) {
                if (!csp_xml_is(a, CSP_SCHEMA_STRATEGY, "action"))
                    continue;
                err = read_action(r, a, &th->actions[i], pos, first_action + i);
                i++;
            }
        }
        if (err)
            goto out;
    }
    err = read_titled(r, why, TPL_WHY_TITLE, &th->why);
    if (err)
        goto out;
    err = read_titled(r, challenges, TPL_CHALLENGES_TITLE, &th->challenges);
out:
    return err;
}

/* The <key-findings> table. */
static csp_error read_key_findings(tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_key_findings *kf = &r->tpl->key_findings;
    char *s = NULL;
    unsigned long long years = 0;
    size_t i = 0;

    err = get_attr(node, "title", true, &kf->title);
    if (err)
        goto out;
    err = get_attr(node, "years", false, &s);
    if (err)
        goto out;
    if (!s) {
        kf->years = 3;
    } else if (parse_whole(s, UINT_MAX, &years) && years >= 1) {
        kf->years = (unsigned)years;
    } else {
        err = report(r, CSP_D_TPL_VALUE, node_line(node), NULL,
                     "<key-findings> has years=\"%s\"; write how many "
                     "year-ending periods the table shows, at least 1",
                     s);
        if (err)
            goto out;
    }
    kf->nrows = count_children(node, "row");
    kf->rows = calloc_n(kf->nrows, sizeof *kf->rows);
    if (kf->nrows && !kf->rows) {
        kf->nrows = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "intro")) {
            err = read_blocks(r, c, &kf->intro, &kf->nintro);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "outro")) {
            err = read_blocks(r, c, &kf->outro, &kf->noutro);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "row")) {
            csp_kf_row *row = &kf->rows[i++];
            unsigned long line = node_line(c);
            err = get_attr(c, "label", true, &row->label);
            if (!err)
                err = get_attr(c, "indicator", true, &row->indicator);
            if (!err)
                err = get_attr(c, "rate", false, &row->rate);
            if (!err)
                err = refer(r, R_KF_INDICATOR, row->label, row->indicator, line,
                            NULL);
            if (!err && row->rate)
                err = refer(r, R_KF_RATE, row->label, row->rate, line, NULL);
        }
        if (err)
            goto out;
    }
out:
    free(s);
    return err;
}

/* The <foreword>: its blocks and signatories. */
static csp_error read_foreword(tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;

    err = get_attr(node, "title", true, &t->foreword.title);
    if (err)
        goto out;
    err = read_blocks(r, node, &t->foreword.blocks, &t->foreword.nblocks);
    if (err)
        goto out;
    t->nsignatories = count_children(node, "signatory");
    t->signatories = calloc_n(t->nsignatories, sizeof *t->signatories);
    if (t->nsignatories && !t->signatories) {
        t->nsignatories = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "signatory"))
            continue;
        err = get_attr(c, "name", true, &t->signatories[i].name);
        if (!err)
            err = get_attr(c, "role", false, &t->signatories[i].role);
        i++;
        if (err)
            goto out;
    }
out:
    return err;
}

/* The <key-contacts> list. */
static csp_error read_key_contacts(tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;

    t->ncontacts = count_children(node, "contact");
    t->contacts = calloc_n(t->ncontacts, sizeof *t->contacts);
    if (t->ncontacts && !t->contacts) {
        t->ncontacts = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "contact"))
            continue;
        err = get_attr(c, "agency", true, &t->contacts[i]);
        if (err)
            goto out;
        err = refer(r, R_CONTACT, NULL, t->contacts[i], node_line(c), NULL);
        if (err)
            goto out;
        i++;
    }
out:
    return err;
}

/* Reads one declaration element into @p item, the @p pos'th of its kind. */
typedef csp_error (*tpl_item_reader)(tpl_reader *r, xmlNodePtr node, void *item,
                                     size_t pos);

/*
 * Read every @p child element of @p parent with @p fn into a new array of
 * items of @p size bytes, returned with its length in *n.  The length is
 * set before reading, so when *err is set the half-filled array is
 * returned all the same for csp_template_free to release.
 */
static void *read_all(tpl_reader *r, xmlNodePtr parent, const char *child,
                      size_t size, size_t *n, tpl_item_reader fn,
                      csp_error *err)
{
    size_t count = count_children(parent, child), i = 0;
    unsigned char *items = calloc_n(count, size);

    *n = 0;
    *err = CSP_OK;
    if (count && !items) {
        *err = CSP_ERR_NOMEM;
        goto out;
    }
    *n = count;
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, child))
            continue;
        *err = fn(r, c, items + i * size, i);
        i++;
        if (*err)
            goto out;
    }
out:
    return items;
}

/* The <themes>; actions are numbered over all themes for E301. */
static csp_error read_themes(tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t n = count_children(node, "theme"), i = 0, naction = 0;

    r->theme_lines = calloc_n(n, sizeof *r->theme_lines);
    r->theme_numbers = calloc_n(n, sizeof *r->theme_numbers);
    t->themes = calloc_n(n, sizeof *t->themes);
    if (n && (!r->theme_lines || !r->theme_numbers || !t->themes)) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    r->nthemes = n;
    t->nthemes = n;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "theme"))
            continue;
        err = read_theme(r, c, &t->themes[i], i, naction);
        if (err)
            goto out;
        naction += t->themes[i].nactions;
        i++;
    }
out:
    return err;
}

/* The strategy's own attributes and the E305 checks on its years. */
static csp_error read_root_attrs(tpl_reader *r, xmlNodePtr root)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    unsigned long line = node_line(root);

    err = get_attr(root, "id", true, &t->id);
    if (!err)
        err = get_year(root, "first-year", true, &t->first_year);
    if (!err)
        err = get_year(root, "last-year", true, &t->last_year);
    if (!err)
        err = get_year(root, "refresh-year", false, &t->refresh_year);
    if (!err)
        err = get_attr(root, "lang", false, &t->language);
    if (err)
        goto out;
    if (!t->language) {
        t->language = csp_strdup("en-GB");
        if (!t->language) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
    }
    if (t->first_year > t->last_year) {
        err = report(r, CSP_D_TPL_VALUE, line, NULL,
                     "first-year %d is after last-year %d; a strategy's "
                     "first year cannot follow its last",
                     t->first_year, t->last_year);
    } else if (t->refresh_year && (t->refresh_year < t->first_year ||
                                   t->refresh_year > t->last_year)) {
        err = report(r, CSP_D_TPL_VALUE, line, NULL,
                     "refresh-year %d is outside the strategy's years %d to "
                     "%d; correct it or leave refresh-year out",
                     t->refresh_year, t->first_year, t->last_year);
    }
out:
    return err;
}

/* The root <strategy> element and everything under it. */
static csp_error read_strategy(tpl_reader *r, xmlNodePtr root)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;

    err = read_root_attrs(r, root);
    if (err)
        goto out;
    t->nsections = count_children(root, "section");
    t->sections = calloc_n(t->nsections, sizeof *t->sections);
    if (t->nsections && !t->sections) {
        t->nsections = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }

    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "title")) {
            err = get_text(c, &t->title);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "subtitle")) {
            err = get_text(c, &t->subtitle);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "partnership")) {
            err = get_attr(c, "name", true, &t->partnership);
            if (!err)
                err = get_attr(c, "short-name", false, &t->partnership_short);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "areas")) {
            t->areas = read_all(r, c, "area", sizeof *t->areas, &t->nareas,
                                read_area, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "agencies")) {
            t->agencies = read_all(r, c, "agency", sizeof *t->agencies,
                                   &t->nagencies, read_agency, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "delivery-groups")) {
            t->groups = read_all(r, c, "group", sizeof *t->groups, &t->ngroups,
                                 read_group, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "priorities")) {
            t->priorities = read_all(r, c, "priority", sizeof *t->priorities,
                                     &t->npriorities, read_priority, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "indicators")) {
            size_t n = count_children(c, "indicator");
            r->ind_lines = calloc_n(n, sizeof *r->ind_lines);
            if (n && !r->ind_lines) {
                err = CSP_ERR_NOMEM;
                goto out;
            }
            t->indicators = read_all(r, c, "indicator", sizeof *t->indicators,
                                     &t->nindicators, read_indicator, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-findings")) {
            err = read_key_findings(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "foreword")) {
            err = read_foreword(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "section")) {
            err = read_section(r, c, &t->sections[i], true, i);
            i++;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "themes")) {
            err = read_themes(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-contacts")) {
            err = read_key_contacts(r, c);
        }
        if (err)
            goto out;
    }
out:
    return err;
}

/* ------------------------------------------------------------------ */
/* Whole-template checks                                               */
/* ------------------------------------------------------------------ */

/* E301: sort each kind's declarations and report every repeat. */
static csp_error check_duplicates(tpl_reader *r)
{
    csp_error err = CSP_OK;

    for (int k = 0; k < K_COUNT_; k++) {
        tpl_decls *d = &r->decls[k];
        if (d->count > 1)
            qsort(d->items, d->count, sizeof *d->items, decl_cmp);
        for (size_t i = 1; i < d->count; i++) {
            size_t first = i - 1;
            if (strcmp(d->items[i].id, d->items[first].id) != 0)
                continue;
            while (first > 0 &&
                   strcmp(d->items[first - 1].id, d->items[i].id) == 0)
                first--;
            csp_diag keys;
            memset(&keys, 0, sizeof keys);
            if (k == K_AREA)
                keys.area = (char *)d->items[i].id;
            else if (k == K_AGENCY)
                keys.agency = (char *)d->items[i].id;
            else if (k == K_INDICATOR)
                keys.indicator = (char *)d->items[i].id;
            else if (k == K_ACTION)
                keys.ref = (char *)d->items[i].id;
            err = report(r, CSP_D_TPL_DUPLICATE_ID, d->items[i].line, &keys,
                         "%s \"%s\" is declared twice (first on line %lu); "
                         "remove one or give it another %s",
                         tpl_kinds[k].word, d->items[i].id,
                         d->items[first].line, tpl_kinds[k].key);
            if (err)
                goto out;
        }
    }
out:
    return err;
}

/* The first declaration of @p id in @p d (sorted), or NULL. */
static const tpl_decl *find_decl(const tpl_decls *d, const char *id)
{
    size_t lo = 0, hi = d->count;

    /* Lower bound: the first entry whose id is not below @p id. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->items[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->count && strcmp(d->items[lo].id, id) == 0)
        return &d->items[lo];
    return NULL;
}

/* A hash of an id, eight bytes at a time. */
static uint64_t id_hash(const char *id)
{
    size_t n = strlen(id);
    uint64_t h = n * 0x9e3779b97f4a7c15u, w;
    for (; n >= 8; n -= 8, id += 8) {
        memcpy(&w, id, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9u;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, id, n);
    h = (h ^ w) * 0x94d049bb133111ebu;
    return h ^ (h >> 29);
}

/* Hash the checked declarations of every kind (sorted by id, then
 * position: an id's first declaration is the one find_decl finds). */
static csp_error index_hash(struct csp_template_index *ix)
{
    for (int k = 0; k < K_COUNT_; k++) {
        const tpl_decls *d = &ix->decls[k];
        size_t n = 16;
        if (d->count >= UINT32_MAX / 2)
            continue;  /* find_decl serves */
        while (n < 2 * d->count)
            n *= 2;
        if (!(ix->slots[k] = csp_calloc(n, sizeof *ix->slots[k])))
            return CSP_ERR_NOMEM;
        ix->nslots[k] = n;
        for (size_t i = 0; i < d->count; i++) {
            if (i > 0 && strcmp(d->items[i].id, d->items[i - 1].id) == 0)
                continue;
            size_t j = (size_t)id_hash(d->items[i].id) & (n - 1);
            while (ix->slots[k][j])
                j = (j + 1) & (n - 1);
            ix->slots[k][j] = (uint32_t)i + 1;
        }
    }
    return CSP_OK;
}

/* The first declaration of @p id of @p kind in the template's index, or
 * NULL. */
static const tpl_decl *index_find(const struct csp_template_index *ix,
                                  tpl_kind kind, const char *id)
{
    const tpl_decls *d = &ix->decls[kind];
    const uint32_t *slots = ix->slots[kind];
    size_t mask = ix->nslots[kind] - 1;

    if (!slots)
        return find_decl(d, id);
    for (size_t j = (size_t)id_hash(id) & mask; slots[j]; j = (j + 1) & mask)
        if (strcmp(d->items[slots[j] - 1].id, id) == 0)
            return &d->items[slots[j] - 1];
    return NULL;
}

/* Keys for a diagnostic about reference @p ref: the ids it involves. */
static csp_diag ref_keys(const tpl_ref *ref)
{
    csp_diag keys;
    char *subject = (char *)ref->subject, *target = (char *)ref->target;

    memset(&keys, 0, sizeof keys);
    switch (ref->role) {
    case R_SUM_INPUT:
    case R_RATE_COUNT:
    case R_SHARE_PART:
    case R_SHARE_WHOLE:
    case R_INDICATOR_THEME:
        keys.indicator = subject;
        break;
    case R_OWNER_AGENCY:
        keys.indicator = subject;
        keys.agency = target;
        break;
    case R_OWNER_AREA:
        keys.indicator = subject;
        keys.area = target;
        break;
    case R_GROUP_AGENCY:
    case R_CONTACT:
        keys.agency = target;
        break;
    case R_MEASURE:
    case R_KF_INDICATOR:
    case R_KF_RATE:
        keys.indicator = target;
        break;
    case R_ACTION_GROUP:
    case R_ACTION_PRIORITY:
        keys.ref = subject;
        break;
    case R_THEME_PRIORITY:
    case R_KEY_GROUP:
    case R_COUNT_:
        break;
    }
    return keys;
}

/* E302 and E304: resolve every reference and check rule input units. */
static csp_error check_refs(tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;

    for (size_t i = 0; i < r->nrefs; i++) {
        const tpl_ref *ref = &r->refs[i];
        tpl_kind kind = tpl_roles[ref->role].kind;
        const tpl_decl *d;
        csp_diag keys = ref_keys(ref);

        if (ref->role == R_OWNER_AREA && strcmp(ref->target, CSP_AREA_ALL) == 0)
            continue;
        d = find_decl(&r->decls[kind], ref->target);
        if (!d && ref->role == R_CONTACT) {
            err = report(r, CSP_D_TPL_DANGLING, ref->line, &keys,
                         "<key-contacts> lists agency \"%s\", which is not "
                         "declared; declare it under <agencies> or fix the id",
                         ref->target);
        } else if (!d) {
            err = report(r, CSP_D_TPL_DANGLING, ref->line, &keys,
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
            if (want >= 0 && unit != (csp_unit)want)
                err = report(r, CSP_D_TPL_RULE_UNIT, ref->line, &keys,
                             "%s \"%s\" %s \"%s\", which is a %s, not a %s; "
                             "%s",
                             tpl_roles[ref->role].subject, ref->subject,
                             tpl_roles[ref->role].verb, ref->target,
                             csp_unit_str(unit), csp_unit_str((csp_unit)want),
                             tpl_roles[ref->role].hint);
        }
        if (err)
            goto out;
    }
out:
    return err;
}

/* E304: the unit of a derived indicator must be the unit its rule makes. */
static csp_error check_rule_results(tpl_reader *r)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;

    for (size_t i = 0; i < t->nindicators; i++) {
        const csp_indicator *ind = &t->indicators[i];
        csp_diag keys = keys_indicator(ind->id);
        csp_unit want;
        const char *what;

        if (ind->rule == CSP_RULE_SUM) {
            want = CSP_UNIT_COUNT;
            what = "a sum of counts";
        } else if (ind->rule == CSP_RULE_RATE) {
            want = CSP_UNIT_RATE;
            what = "a rate per 1,000";
        } else if (ind->rule == CSP_RULE_SHARE) {
            want = CSP_UNIT_PERCENT;
            what = "a share";
        } else {
            continue;
        }
        if (ind->unit == want)
            continue;
        err = report(r, CSP_D_TPL_RULE_UNIT, r->ind_lines[i], &keys,
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
static csp_error report_cycle(tpl_reader *r, const size_t *stack, size_t from,
                              size_t top)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    const csp_indicator *first = &t->indicators[stack[from]];
    csp_diag keys = keys_indicator(first->id);
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
    err = report(r, CSP_D_TPL_CYCLE, r->ind_lines[stack[from]], &keys,
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
static csp_error check_cycles(tpl_reader *r)
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
static csp_error check_theme_numbers(tpl_reader *r)
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
            err = report(r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                         "theme \"%s\" has number %s, but it is the only "
                         "theme; number it 1",
                         th->id, r->theme_numbers[i]);
        } else if (num < 1 || num > n) {
            err = report(r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                         "theme \"%s\" has number %s, but there are %zu "
                         "themes; number them 1 to %zu, each number once",
                         th->id, r->theme_numbers[i], n, n);
        } else if (holder[num - 1]) {
            size_t other = holder[num - 1] - 1;
            err = report(r, CSP_D_TPL_VALUE, r->theme_lines[i], NULL,
                         "theme \"%s\" has number %u, which theme \"%s\" (line "
                         "%lu) already has; number the themes 1 to %zu, each "
                         "number once",
                         th->id, num, t->themes[other].id,
                         r->theme_lines[other], n);
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

/* Join the names of @p n ids with ", " for a label the template left out. */
static csp_error default_label(const tpl_reader *r, tpl_kind kind,
                               char *const *ids, size_t n, char **out)
{
    csp_error err = CSP_OK;
    const csp_template *t = r->tpl;
    csp_strbuf sb;

    csp_strbuf_init(&sb, r->text_cap);
    for (size_t i = 0; i < n; i++) {
        const tpl_decl *d = find_decl(&r->decls[kind], ids[i]);
        const char *name = ids[i];
        if (d && kind == K_GROUP)
            name = t->groups[d->pos].short_name ? t->groups[d->pos].short_name
                                                : t->groups[d->pos].name;
        else if (d && kind == K_PRIORITY)
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
static csp_error fill_labels(tpl_reader *r)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;

    for (size_t i = 0; i < t->nthemes; i++) {
        for (size_t j = 0; j < t->themes[i].nactions; j++) {
            csp_action *a = &t->themes[i].actions[j];
            if (!a->groups_label) {
                err = default_label(r, K_GROUP, a->groups, a->ngroups,
                                    &a->groups_label);
                if (err)
                    goto out;
            }
            if (!a->priorities_label) {
                err = default_label(r, K_PRIORITY, a->priorities,
                                    a->npriorities, &a->priorities_label);
                if (err)
                    goto out;
            }
        }
    }
out:
    return err;
}

/* Release the reader's bookkeeping (not the template). */
static void reader_free(tpl_reader *r)
{
    for (int k = 0; k < K_COUNT_; k++)
        free(r->decls[k].items);
    free(r->refs);
    free(r->theme_lines);
    free_strv(r->theme_numbers, r->nthemes);
    free(r->ind_lines);
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

/*
 * Parse, validate and check the template whose bytes @p in holds; the
 * model's path is @p model_path.  The common part of both public readers.
 */
static csp_error read_input(const csp_input *in, const char *model_path,
                            csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    xmlDocPtr doc = NULL;
    csp_template *tpl = NULL;
    tpl_reader r;

    memset(&r, 0, sizeof r);
    err = csp_xml_parse_validated(in, CSP_SCHEMA_STRATEGY, &doc, diags);
    if (err)
        goto out;

    tpl = csp_calloc(1, sizeof *tpl);
    if (!tpl) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    tpl->path = csp_strdup(model_path);
    if (!tpl->path) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    r.file = in->path;
    r.diags = diags;
    r.tpl = tpl;
    /* Messages quote ids from the template, so they are bounded by it. */
    r.text_cap = in->size * 4 + 4096;

    err = read_strategy(&r, xmlDocGetRootElement(doc));
    if (!err)
        err = check_duplicates(&r);
    if (!err)
        err = check_refs(&r);
    if (!err)
        err = check_rule_results(&r);
    if (!err)
        err = check_cycles(&r);
    if (!err)
        err = check_theme_numbers(&r);
    if (err)
        goto out;
    if (r.errors) {
        err = CSP_ERR_INVALID;
        goto out;
    }
    err = fill_labels(&r);
    if (err)
        goto out;
    /* The checked declarations become the template's lookups. */
    tpl->index = csp_calloc(1, sizeof *tpl->index);
    if (!tpl->index) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    memcpy(tpl->index->decls, r.decls, sizeof r.decls);
    memset(r.decls, 0, sizeof r.decls);
    if ((err = index_hash(tpl->index)))
        goto out;
    *out = tpl;
    tpl = NULL;
out:
    reader_free(&r);
    csp_template_free(tpl);
    if (doc)
        xmlFreeDoc(doc);
    return err;
}

/* Read, validate and check a template; the built-in one when path is NULL. */
csp_error csp_template_read(const char *path, const csp_read_options *opt,
                            csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    csp_read_options defaults;
    csp_input in;

    memset(&in, 0, sizeof in);
    if (!out || !diags)
        return CSP_ERR_USAGE;
    *out = NULL;
    if (!opt) {
        csp_read_options_init(&defaults);
        opt = &defaults;
    }
    if (path)
        err = csp_input_load(path, opt, &in, diags);
    else
        err = csp_input_from_memory(
            TPL_BUILTIN_INPUT, csp_embedded_dg_csp_2016_19_xml,
            csp_embedded_dg_csp_2016_19_xml_len, opt, &in, diags);
    if (!err)
        err = read_input(&in, path ? path : TPL_BUILTIN_PATH, out, diags);
    csp_input_free(&in);
    return err;
}

/* The same from bytes in memory, named @p name. */
csp_error csp_template_read_memory(const char *name, const void *data,
                                   size_t size, const csp_read_options *opt,
                                   csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    csp_read_options defaults;
    csp_input in;

    memset(&in, 0, sizeof in);
    if (!out || !diags || !name || (!data && size))
        return CSP_ERR_USAGE;
    *out = NULL;
    if (!opt) {
        csp_read_options_init(&defaults);
        opt = &defaults;
    }
    err = csp_input_from_memory(name, data ? data : "", size, opt, &in, diags);
    if (!err)
        err = read_input(&in, name, out, diags);
    csp_input_free(&in);
    return err;
}

/* The area declared as @p id, or NULL. */
const csp_area *csp_template_area(const csp_template *tpl, const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const tpl_decl *d = index_find(tpl->index, K_AREA, id);
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
        const tpl_decl *d = index_find(tpl->index, K_AGENCY, id);
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
        const tpl_decl *d = index_find(tpl->index, K_GROUP, id);
        return d ? &tpl->groups[d->pos] : NULL;
    }
    for (size_t i = 0; i < tpl->ngroups; i++)
        if (strcmp(tpl->groups[i].id, id) == 0)
            return &tpl->groups[i];
    return NULL;
}

/* The indicator declared as @p id, or NULL. */
const csp_indicator *csp_template_indicator(const csp_template *tpl,
                                            const char *id)
{
    if (!tpl || !id)
        return NULL;
    if (tpl->index) {
        const tpl_decl *d = index_find(tpl->index, K_INDICATOR, id);
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
        const tpl_decl *d = index_find(tpl->index, K_ACTION, ref);
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
        const tpl_decl *d = index_find(tpl->index, K_SECTION, id);
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

/* The estimate of @p a for the latest year not after @p year. */
static bool area_population(const csp_area *a, int year, int64_t *out)
{
    bool found = false;

    /* population is sorted by year, ascending. */
    for (size_t i = 0; i < a->npopulation && a->population[i].year <= year;
         i++) {
        *out = a->population[i].value;
        found = true;
    }
    return found;
}

/* Population of @p area (or the sum over all areas) for a period ending @p end.
 */
bool csp_template_population(const csp_template *tpl, const char *area,
                             csp_date end, int64_t *out)
{
    int year, month, day;
    int64_t value = 0, total = 0;

    if (!tpl || !area || !out)
        return false;
    csp_date_to_ymd(end, &year, &month, &day);
    if (strcmp(area, CSP_AREA_ALL) != 0) {
        const csp_area *a = csp_template_area(tpl, area);
        if (!a || !area_population(a, year, &value))
            return false;
        *out = value;
        return true;
    }
    if (tpl->nareas == 0)
        return false;
    for (size_t i = 0; i < tpl->nareas; i++) {
        if (!area_population(&tpl->areas[i], year, &value))
            return false;
        if (value > INT64_MAX - total)
            return false;
        total += value;
    }
    *out = total;
    return true;
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
    }
    return "unknown";
}
