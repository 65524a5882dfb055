/*
 * csppack: the submission reader's state and helpers: attributes and
 * texts read off the streaming reader within the bounds, and its
 * diagnostics (read/submission_reader.h).
 */
#include "csppack/read/submission_reader.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

/*
 * Most problems with single figures and updates (E2xx) listed for one
 * file.  Each refused item costs a few hundred bytes of diagnostics, and
 * an item can draw several, so without a bound a 59 MB file of 700,000
 * bad <obs> made 3.5 million of them (1.2 GB, 21 s; found by review for
 * issue 7).  A file with more problems than this was made by a broken
 * export: it is refused whole (E113), with the first ones listed.
 */
#define MAX_ITEM_PROBLEMS 10000

/* The names the reader looks for, as the document spells them. */
const char *const csp_sub_names[CSP_SUB_NAMES] = {
    [CSP_SUB_SUBMISSION] = "submission", [CSP_SUB_SUBMITTER] = "submitter",
    [CSP_SUB_COMMENT] = "comment",       [CSP_SUB_OBS] = "obs",
    [CSP_SUB_UPDATE] = "update",         [CSP_SUB_INDICATOR] = "indicator",
    [CSP_SUB_AREA] = "area",             [CSP_SUB_PERIOD] = "period",
    [CSP_SUB_VALUE] = "value",           [CSP_SUB_STATUS] = "status",
    [CSP_SUB_REF] = "ref",               [CSP_SUB_AS_OF] = "as-of",
};

/* @p v, @p len bytes, in @p buf as messages show it; NULL for NULL. */
char *csp_sub_show(csp_sub_shown *buf, const char *v, size_t len)
{
    if (!v)
        return NULL;
    buf->s[csp_text_show(v, len, CSP_SUB_SHOWN_CHARS, buf->s)] = '\0';
    return buf->s;
}

/* Add a diagnostic at line for the current file. */
void csp_sub_say(csp_sub_reader *r, const csp_diag *proto, const char *fmt, ...)
{
    va_list ap;
    if (csp_diag_refuses_item(proto->code) &&
        ++r->item_problems > MAX_ITEM_PROBLEMS) {
        if (!r->too_many_problems) {
            csp_diag p = {.code = CSP_D_TOO_MANY, .file = r->sub->path,
                          .line = proto->line};
            if (!csp_diag_add(r->diags, &p,
                              "the file has more than %d problems with its "
                              "figures and updates (the first %d are "
                              "listed); correct the export that made it and "
                              "send the whole file again",
                              MAX_ITEM_PROBLEMS, MAX_ITEM_PROBLEMS))
                r->nomem = true;
            r->too_many_problems = true;
        }
        return;
    }
    va_start(ap, fmt);
    if (!csp_diag_addv(r->diags, proto, fmt, ap))
        r->nomem = true;
    va_end(ap);
}

/* E114 once per file: the @p what here is longer than max_text.  The
 * file is then refused. */
void csp_sub_text_too_long(csp_sub_reader *r, const char *what)
{
    if (r->text_too_long)
        return;
    csp_diag proto = {.code = CSP_D_TEXT_TOO_LONG, .file = r->sub->path,
                      .line = csp_xml_line(r->x)};
    csp_sub_say(r, &proto,
        "the %s here is longer than %zu bytes; shorten it or raise "
        "--max-text",
        what, r->opt->max_text);
    r->text_too_long = true;
}

/* Is attribute @p name's value, @p len bytes, within max_text?  Else
 * E114. */
static bool attr_len_fits(csp_sub_reader *r, const char *name, size_t len)
{
    if (len <= r->opt->max_text)
        return true;
    char what[64];
    snprintf(what, sizeof what, "%s attribute", name);
    csp_sub_text_too_long(r, what);
    return false;
}

/* Is attribute @p name's value @p v within max_text?  Else E114. */
static bool attr_fits(csp_sub_reader *r, const char *name, const char *v)
{
    return !v || attr_len_fits(r, name, strlen(v));
}

/* An attribute of the current element, or NULL (caller frees); NULL too
 * when it is longer than max_text (E114, the file is refused). */
char *csp_sub_attr(csp_sub_reader *r, const char *name)
{
    xmlTextReaderPtr xr = csp_xml_reader(r->x);
    char *v = (char *)xmlTextReaderGetAttribute(xr, (const xmlChar *)name);
    /* libxml2 also returns NULL when it cannot copy the value. */
    xmlNodePtr node = v ? NULL : xmlTextReaderCurrentNode(xr);
    if (node && xmlHasNsProp(node, (const xmlChar *)name, NULL))
        r->nomem = true;
    if (!attr_fits(r, name, v)) {
        xmlFree(v);
        return NULL;
    }
    return v;
}

/* csp_sub_attr(), in the form every output shows it (csp_text_show): the
 * submitter's name, e-mail and phone are printed in receipts and on the
 * terminal, where a line feed or an escape sequence would forge lines. */
char *csp_sub_attr_shown(csp_sub_reader *r, const char *name)
{
    char *v = csp_sub_attr(r, name);
    if (!v)
        return NULL;
    char *s = csp_text_shown(v, 0);
    xmlFree(v);
    if (!s)
        r->nomem = true;
    return s;
}

/* Most attributes csp_sub_attrs() reads at once. */
#define CSP_SUB_MAX_ATTRS 8

/* Is @p name (of the document) csp_sub_names[@p id]? */
bool csp_sub_is_name(const csp_sub_reader *r, const xmlChar *name, int id)
{
    return name == r->names[id] ||
           (name[0] == (xmlChar)csp_sub_names[id][0] &&
            strcmp((const char *)name, csp_sub_names[id]) == 0);
}

/*
 * The attributes @p ids (names in csp_sub_names, without namespace; @p n at
 * most CSP_SUB_MAX_ATTRS) of the current element, in one pass over them:
 * values[i] is the value of ids[i] and lens[i] its length, or NULL and 0
 * when the element has none.  The values are the element's own (or, for
 * a value libxml2 keeps in pieces, joined in r->attrs), valid until the
 * reader moves past the element: reading on to its end leaves them
 * alone.  False when memory ran out (r->nomem is set).
 *
 * xmlTextReaderGetAttribute would search the attributes once per name
 * and allocate each value; reading a figure cost five of each.
 */
bool csp_sub_attrs(csp_sub_reader *r, const int *ids, const char **values,
                  size_t *lens, size_t n)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(csp_xml_reader(r->x));
    size_t offset[CSP_SUB_MAX_ATTRS];
    bool found[CSP_SUB_MAX_ATTRS] = {false}, joined_any = false;
    csp_error e = CSP_OK;
    for (size_t i = 0; i < n; i++) {
        values[i] = NULL;
        lens[i] = 0;
    }
    for (xmlAttrPtr a = node ? node->properties : NULL; a && e == CSP_OK;
         a = a->next) {
        size_t i = 0;
        if (a->ns)
            continue;
        while (i < n && !csp_sub_is_name(r, a->name, ids[i]))
            i++;
        if (i == n || found[i])
            continue;
        /* As xmlGetNoNsProp: one text node is the value, else the
         * children's text.  (In practice there is one: character
         * references and the predefined entities are written into the
         * text, and other entities are refused.) */
        xmlNodePtr c = a->children;
        xmlChar *joined = NULL;
        const xmlChar *v;
        if (c && !c->next &&
            (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
            v = c->content;
        else if (!(v = joined = xmlNodeListGetString(a->doc, c, 1)) && c) {
            e = CSP_ERR_NOMEM;  /* libxml2 could not copy the value */
            break;
        }
        size_t len = v ? strlen((const char *)v) : 0;
        if (!attr_len_fits(r, csp_sub_names[ids[i]], len)) {
            xmlFree(joined);
            continue;  /* as if absent; the file is refused */
        }
        found[i] = true;
        lens[i] = len;
        if (v && !joined) {
            values[i] = (const char *)v;
            continue;
        }
        /* Joined (or no children at all: ""): kept in r->attrs. */
        if (!joined_any)
            csp_strbuf_reset(&r->attrs);
        joined_any = true;
        offset[i] = r->attrs.len;
        e = csp_strbuf_add(&r->attrs, v ? (const char *)v : "", lens[i] + 1);
        xmlFree(joined);
    }
    if (e != CSP_OK) {
        r->nomem = true;
        return false;
    }
    /* r->attrs may have moved as it grew: point into it at the end. */
    for (size_t i = 0; i < n; i++)
        if (found[i] && !values[i])
            values[i] = r->attrs.data + offset[i];
    return true;
}

/*
 * Read the text content of the current element up to its end tag,
 * bounded by max_text, into r->text.  Returns it (valid until the next
 * call; the caller may change it in place), or NULL on refusal or memory
 * failure.
 */
char *csp_sub_element_text(csp_sub_reader *r, const char *what)
{
    xmlTextReaderPtr xr = csp_xml_reader(r->x);
    csp_strbuf *sb = &r->text;
    csp_strbuf_reset(sb);
    if (csp_strbuf_add(sb, "", 0) != CSP_OK) { /* storage for "" */
        r->nomem = true;
        return NULL;
    }
    if (xmlTextReaderIsEmptyElement(xr))
        return sb->data;
    int depth = xmlTextReaderDepth(xr);
    int rc;
    while ((rc = csp_xml_next(r->x)) == 1) {
        int type = csp_xml_type(r->x);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(xr) == depth)
            return sb->data;
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            type == XML_READER_TYPE_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            csp_error e = csp_strbuf_puts(sb, v ? v : "");
            if (e == CSP_ERR_LIMIT)
                csp_sub_text_too_long(r, what);
            if (e != CSP_OK) {
                r->nomem |= e == CSP_ERR_NOMEM;
                return NULL;
            }
        }
    }
    return NULL;
}

/* XML's white space, the only characters collapsed. */
static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Normalise a progress statement in place: paragraphs (separated by a
 * blank line) with whitespace collapsed inside each, joined by "\n\n".
 *
 * A blank line is a run of white space holding two newlines or more, so
 * each run becomes "\n\n" when it holds a blank line and " " otherwise,
 * and runs at either end go: "a \n\n b\n c" becomes "a\n\nb c".  The
 * text between runs that need changing (up to a tab, newline or CR, or
 * two spaces) is found with strcspn and strstr and moved as a whole:
 * testing each byte costs a mispredicted branch at every word, and was
 * 10 % of reading (doc/performance.md).
 */
void csp_sub_normalise_paragraphs(char *s)
{
    char *w = s;
    const char *r = s;
    const char *twice = strstr(s, "  "); /* the next two spaces after r */
    while (*r) {
        if (!is_space((unsigned char)*r)) {
            /* What follows r is unchanged so far: only bytes before r
             * have been written. */
            if (twice && twice < r)
                twice = strstr(r, "  ");
            size_t n = strcspn(r, "\t\n\r");
            if (twice && twice < r + n)
                n = (size_t)(twice - r);
            else if (r[n - 1] == ' ')
                n--; /* it starts the run that follows */
            if (w != r)
                memmove(w, r, n);
            w += n;
            r += n;
            continue;
        }
        unsigned newlines = 0;
        do
            newlines += *r == '\n';
        while (is_space((unsigned char)*++r));
        if (w == s || !*r)
            continue; /* leading or trailing */
        /* The run is at least as long as what replaces it. */
        if (newlines >= 2) {
            *w++ = '\n';
            *w++ = '\n';
        } else {
            *w++ = ' ';
        }
    }
    *w = '\0';
}
