/*
 * csppack: the template reader's shared helpers: its diagnostics, the
 * values it reads off the DOM, and its records of declared and referred
 * ids (read/template_reader.h).
 */
#include "csppack/read/template_reader.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/xmlsafe.h"

/* The line of @p node (0 when libxml2 does not know it). */
unsigned long csp_tpl_node_line(xmlNodePtr node)
{
    long line = xmlGetLineNo(node);
    return line > 0 ? (unsigned long)line : 0;
}

/* Append an error diagnostic about line @p line of the template. */
csp_error csp_tpl_report(csp_tpl_reader *r, csp_diag_code code,
                         unsigned long line, const csp_diag *keys,
                         const char *fmt, ...)
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

/* A unit as messages name a thing of it. */
const char *csp_tpl_unit_phrase(csp_unit unit)
{
    switch (unit) {
    case CSP_UNIT_COUNT:
        return "a count";
    case CSP_UNIT_RATE:
        return "a rate";
    case CSP_UNIT_PERCENT:
        return "a percent";
    case CSP_UNIT_MONEY:
        return "money";
    case CSP_UNIT_AVERAGE:
        return "an average";
    }
    return "a figure";
}

/* Keys for a diagnostic about indicator @p id. */
csp_diag csp_tpl_keys_indicator(const char *id)
{
    csp_diag d;
    memset(&d, 0, sizeof d);
    d.indicator = (char *)id;
    return d;
}

/* Keys for a diagnostic about area @p id. */
csp_diag csp_tpl_keys_area(const char *id)
{
    csp_diag d;
    memset(&d, 0, sizeof d);
    d.area = (char *)id;
    return d;
}

/* Number of element children of @p node named @p name. */
size_t csp_tpl_count_children(xmlNodePtr node, const char *name)
{
    size_t n = 0;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, name))
            n++;
    return n;
}

/* calloc for @p n items; NULL for none (so check n before blaming memory). */
void *csp_tpl_calloc_n(size_t n, size_t size)
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
csp_error csp_tpl_get_attr(xmlNodePtr node, const char *name, bool required,
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
csp_error csp_tpl_get_text(xmlNodePtr node, char **out)
{
    csp_error err = CSP_OK;
    *out = csp_xml_text_collapsed(node);
    if (!*out)
        err = CSP_ERR_NOMEM;
    return err;
}

/* The text directly inside @p node (not in child elements), collapsed. */
csp_error csp_tpl_get_own_text(xmlNodePtr node, size_t cap, char **out)
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
bool csp_tpl_parse_whole(const char *s, unsigned long long max,
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
bool csp_tpl_parse_int64(const char *s, int64_t *out)
{
    unsigned long long v;
    bool neg = false;
    if (s && *s == '-') {
        neg = true;
        s++;
    }
    if (!csp_tpl_parse_whole(s, (unsigned long long)INT64_MAX, &v))
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

/* Read year attribute @p name (four digits by the XSD); 0 when absent. */
csp_error csp_tpl_get_year(xmlNodePtr node, const char *name, bool required,
                           int *out)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long long v = 0;

    *out = 0;
    err = csp_tpl_get_attr(node, name, required, &s);
    if (err || !s)
        goto out;
    if (!csp_tpl_parse_whole(s, 9999, &v)) {
        err = CSP_ERR_INTERNAL; /* the XSD allows four digits only */
        goto out;
    }
    *out = (int)v;
out:
    free(s);
    return err;
}

/* Read a strategy year, "2016" or "2019/20"; E305 for "2019/21". */
csp_error csp_tpl_get_strategy_year(csp_tpl_reader *r, xmlNodePtr node,
                                    const char *name, bool required,
                                    int *year, csp_tpl_year_form *form,
                                    char **text)
{
    csp_error err = CSP_OK;
    char *s = NULL;
    unsigned long long v = 0, next = 0;

    *year = 0;
    *form = CSP_TPL_YEAR_ABSENT;
    *text = NULL;
    err = csp_tpl_get_attr(node, name, required, &s);
    if (err || !s)
        goto out;
    /* The XSD allows "dddd" and "dddd/dd" only. */
    if (strlen(s) == 4 && csp_tpl_parse_whole(s, 9999, &v)) {
        *year = (int)v;
        *form = CSP_TPL_YEAR_CALENDAR;
    } else if (strlen(s) == 7 && s[4] == '/' &&
               csp_tpl_parse_whole(s + 5, 99, &next)) {
        s[4] = '\0';
        bool digits = csp_tpl_parse_whole(s, 9999, &v);
        s[4] = '/';
        if (!digits) {
            err = CSP_ERR_INTERNAL;
            goto out;
        }
        if (next != (v + 1) % 100) {
            *form = CSP_TPL_YEAR_BAD;
            err = csp_tpl_report(
                r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), NULL,
                "%s \"%s\" is not a financial year; write the year it starts "
                "and the next year's last two digits, %04llu/%02llu",
                name, s, v, (v + 1) % 100);
            goto out;
        }
        *year = (int)v;
        *form = CSP_TPL_YEAR_FINANCIAL;
    } else {
        err = CSP_ERR_INTERNAL;
        goto out;
    }
out:
    if (err)
        free(s);
    else
        *text = s;
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
    v = csp_tpl_calloc_n(count, sizeof *v);
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
csp_error csp_tpl_get_ids(xmlNodePtr node, const char *name, char ***out,
                          size_t *n)
{
    csp_error err = CSP_OK;
    char *s = NULL;

    *out = NULL;
    *n = 0;
    err = csp_tpl_get_attr(node, name, false, &s);
    if (err)
        goto out;
    err = split_ids(s, out, n);
out:
    free(s);
    return err;
}

/* Record that @p id of @p kind is declared at @p line as item @p pos. */
csp_error csp_tpl_declare(csp_tpl_reader *r, csp_tpl_kind kind, const char *id,
                          size_t pos, unsigned long line)
{
    csp_error err = CSP_OK;
    csp_tpl_decls *d = &r->decls[kind];

    if (d->count == d->capacity) {
        size_t cap = d->capacity ? d->capacity * 2 : 16;
        csp_tpl_decl *p = csp_realloc(d->items, cap * sizeof *p);
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
csp_error csp_tpl_refer(csp_tpl_reader *r, csp_tpl_role role,
                        const char *subject, const char *target,
                        unsigned long line, size_t *slot)
{
    csp_error err = CSP_OK;

    if (r->nrefs == r->cap_refs) {
        size_t cap = r->cap_refs ? r->cap_refs * 2 : 64;
        csp_tpl_ref *p = csp_realloc(r->refs, cap * sizeof *p);
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

/* Release the reader's bookkeeping (not the template). */
void csp_tpl_reader_free(csp_tpl_reader *r)
{
    for (int k = 0; k < CSP_TPL_KINDS; k++)
        free(r->decls[k].items);
    free(r->refs);
    free(r->theme_lines);
    if (r->theme_numbers) {
        for (size_t i = 0; i < r->nthemes; i++)
            free(r->theme_numbers[i]);
        free(r->theme_numbers);
    }
    free(r->ind_lines);
}
