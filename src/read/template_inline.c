/* A template paragraph's inline markup: titles and footnotes. */
#include "csppack/read/template_inline.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/xmlsafe.h"
#include "csppack/read/xmlread.h"

/* Text being collapsed as it is put: runs of XML whitespace become one
 * space, held back until a word follows, so that none leads or
 * trails. */
typedef struct inline_text {
    csp_strbuf sb;
    bool space; /* a space is owed before the next word */
} inline_text;

/* Put @p s, collapsing its whitespace. */
static csp_error put_text(inline_text *it, const char *s)
{
    csp_error err = CSP_OK;
    for (; *s && !err; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            it->space = it->sb.len > 0;
            continue;
        }
        if (it->space) {
            err = csp_strbuf_putc(&it->sb, ' ');
            it->space = false;
        }
        if (!err)
            err = csp_strbuf_putc(&it->sb, *s);
    }
    return err;
}

/* Put every text node under @p node. */
static csp_error put_all(inline_text *it, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    for (xmlNodePtr c = node->children; c && !err; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content)
            err = put_text(it, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE)
            err = put_all(it, c);
    }
    return err;
}

/* Append a span to a growing array. */
static csp_error add_span(csp_span **v, size_t *n, csp_span s)
{
    csp_span *nv = csp_realloc(*v, (*n + 1) * sizeof **v);
    if (!nv)
        return CSP_ERR_NOMEM;
    *v = nv;
    nv[(*n)++] = s;
    return CSP_OK;
}

/* A <cite>: its words, kept as a span. */
static csp_error put_cite(inline_text *it, xmlNodePtr node, csp_span **cites,
                          size_t *ncites)
{
    csp_error err = CSP_OK;
    /* The space before a title is not part of it. */
    if (it->space) {
        err = csp_strbuf_putc(&it->sb, ' ');
        it->space = false;
    }
    size_t start = it->sb.len;
    if (!err)
        err = put_all(it, node);
    if (!err && it->sb.len > start)
        err = add_span(cites, ncites, (csp_span){start, it->sb.len});
    return err;
}

/* The text and titles of @p node into *text, *cites. */
static csp_error read_runs(xmlNodePtr node, size_t cap, char **text,
                           csp_span **cites, size_t *ncites, csp_note **notes,
                           size_t *nnotes)
{
    csp_error err = CSP_OK;
    inline_text it = {.space = false};
    csp_strbuf_init(&it.sb, cap);
    for (xmlNodePtr c = node->children; c && !err; c = c->next) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content) {
            err = put_text(&it, (const char *)c->content);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "cite")) {
            err = put_cite(&it, c, cites, ncites);
        } else if (notes && csp_xml_is(c, CSP_SCHEMA_STRATEGY, "fn")) {
            /* The mark follows the text before it: a space before <fn>
             * stays owed to the words after. */
            csp_note *nv = csp_realloc(*notes, (*nnotes + 1) * sizeof **notes);
            if (!nv) {
                err = CSP_ERR_NOMEM;
                break;
            }
            *notes = nv;
            csp_note *n = &nv[(*nnotes)++];
            memset(n, 0, sizeof *n);
            n->at = it.sb.len;
            err = read_runs(c, cap, &n->text, &n->cites, &n->ncites, NULL,
                            NULL);
        } else if (c->type == XML_ELEMENT_NODE) {
            err = put_all(&it, c);
        }
    }
    if (!err) {
        *text = csp_strbuf_take(&it.sb);
        if (!*text)
            err = CSP_ERR_NOMEM;
    }
    csp_strbuf_free(&it.sb);
    return err;
}

/* A <p>: its words, titles and notes. */
csp_error csp_tpl_read_para(xmlNodePtr node, size_t cap, csp_block *b)
{
    b->kind = CSP_BLOCK_PARAGRAPH;
    return read_runs(node, cap, &b->text, &b->cites, &b->ncites, &b->notes,
                     &b->nnotes);
}
