/*
 * The accessible HTML version of a report (html.h): the recorded
 * document (write/doc.h) as a libxml2 HTML tree, written with libxml2's
 * HTML serialiser.  The page: a skip link, the protective marking in a
 * header, the content in <main>, the footer; headings h1..h5 in order
 * with ids from their order, so the same document gives the same bytes.
 */
#include "csppack/write/html/html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>

#include "csppack/base/alloc.h"
#include "csppack/write/html/html_parts.h"

/* A failure of a libxml2 call that allocates: memory ran out. */
static void *fail_null(csp_html *h, void *p)
{
    if (!p && !h->err)
        h->err = CSP_ERR_NOMEM;
    return p;
}

/* What the walk over the blocks knows. */
typedef struct walk {
    const csp_doc *d;
    unsigned *hlevel; /* per block: the heading's h level (1..5); 0 none */
    size_t title;     /* the block that is the h1; SIZE_MAX: meta's title */
    const char *last_heading; /* a table's caption when it has none */
} walk;

/* The level of each heading, h1..h5, never more than one below the one
 * before: the document's levels 0..3 are h2..h5, its title the h1. */
static void plan_headings(walk *w)
{
    const csp_doc *d = w->d;
    unsigned prev = 1;
    w->title = SIZE_MAX;
    for (size_t i = 0; i < d->nblocks; i++) {
        const csp_doc_block *b = &d->blocks[i];
        if (b->kind == CSP_DOC_PARA && b->role == CSP_DOC_TITLE &&
            w->title == SIZE_MAX) {
            w->title = i;
            w->hlevel[i] = 1;
        } else if (b->kind == CSP_DOC_HEADING) {
            unsigned want = (b->level > 3 ? 3 : b->level) + 2;
            w->hlevel[i] = want > prev + 1 ? prev + 1 : want;
            prev = w->hlevel[i];
        } else if (b->kind == CSP_DOC_CONTENTS &&
                   !(i > 0 && d->blocks[i - 1].kind == CSP_DOC_HEADING)) {
            prev = 2; /* the contents' own heading */
        }
    }
}

/* The id of the heading of block i: "s" and the heading's number. */
static void heading_id(const walk *w, size_t i, char out[32])
{
    unsigned n = 0;
    for (size_t j = 0; j <= i; j++)
        if (w->d->blocks[j].kind == CSP_DOC_HEADING)
            n++;
    snprintf(out, 32, "s%u", n);
}

/* The heading of block i (HEADING). */
static void heading(csp_html *h, xmlNodePtr parent, walk *w, size_t i)
{
    const csp_doc_block *b = &w->d->blocks[i];
    char name[4] = {'h', (char)('0' + w->hlevel[i]), 0}, id[32];
    xmlNodePtr n = csp_html_block(h, parent, name, b->text);
    heading_id(w, i, id);
    csp_html_attr(h, n, "id", id);
    csp_html_nl(h, parent);
    w->last_heading = b->text;
}

/* The contents: a heading (block @p label when the document gives one
 * just before; SIZE_MAX: "Contents") and a nested list of links to the
 * headings listed in the contents, nested by their levels. */
static void contents(csp_html *h, xmlNodePtr main, walk *w, size_t label)
{
    xmlNodePtr nav = csp_html_block(h, main, "nav", NULL);
    csp_html_nl(h, nav);
    if (label != SIZE_MAX) {
        char id[32];
        heading_id(w, label, id);
        csp_html_attr(h, nav, "aria-labelledby", id);
        heading(h, nav, w, label);
    } else {
        csp_html_attr(h, nav, "aria-labelledby", "contents");
        xmlNodePtr hd = csp_html_el(h, nav, "h2", "Contents");
        csp_html_attr(h, hd, "id", "contents");
        csp_html_nl(h, nav);
    }
    xmlNodePtr lists[8] = {0}, items[8] = {0};
    int depth = -1;
    unsigned base = 0, prev = 0;
    for (size_t i = 0; i < w->d->nblocks && !h->err; i++) {
        const csp_doc_block *b = &w->d->blocks[i];
        if (b->kind != CSP_DOC_HEADING || !b->toc || i == label)
            continue;
        if (!base)
            base = prev = w->hlevel[i];
        unsigned lv = w->hlevel[i] < base ? base : w->hlevel[i];
        if (lv > prev + 1)
            lv = prev + 1;
        prev = lv;
        int want = (int)(lv - base);
        if (want > 7)
            want = 7;
        while (depth > want)
            depth--;
        while (depth < want) {
            xmlNodePtr in = depth < 0 ? nav : items[depth];
            lists[depth + 1] = csp_html_el(h, in, "ul", NULL);
            csp_html_nl(h, lists[depth + 1]);
            depth++;
        }
        char id[32], href[40];
        heading_id(w, i, id);
        snprintf(href, sizeof href, "#%s", id);
        items[depth] = csp_html_el(h, lists[depth], "li", NULL);
        xmlNodePtr a = csp_html_el(h, items[depth], "a", b->text);
        csp_html_attr(h, a, "href", href);
        csp_html_nl(h, lists[depth]);
    }
    csp_html_nl(h, main);
}

/* A paragraph by its role. */
static void para(csp_html *h, xmlNodePtr main, const walk *w, size_t i)
{
    const csp_doc_block *b = &w->d->blocks[i];
    if (i == w->title) {
        csp_html_block(h, main, "h1", b->text);
        csp_html_nl(h, main);
        return;
    }
    static const char *const cls[] = {[CSP_DOC_NOTE] = "note",
                                      [CSP_DOC_TITLE] = "lead",
                                      [CSP_DOC_SUBTITLE] = "subtitle",
                                      [CSP_DOC_LEAD] = "lead"};
    xmlNodePtr p;
    if (b->role == CSP_DOC_STRONG) {
        p = csp_html_block(h, main, "p", NULL);
        csp_html_el(h, p, "strong", b->text);
    } else {
        p = csp_html_block(h, main, "p",
                           b->nnotes || b->ncites ? NULL : b->text);
        if (b->nnotes || b->ncites)
            csp_html_marked_para(h, p, b);
        if ((size_t)b->role < sizeof cls / sizeof *cls && cls[b->role])
            csp_html_class(h, p, cls[b->role]);
    }
    csp_html_nl(h, main);
}

/* A run of list items from block i: nested lists by their levels, each
 * at most one deeper than the one before.  Returns the block after the
 * run. */
static size_t items(csp_html *h, xmlNodePtr main, const walk *w, size_t i)
{
    xmlNodePtr lists[8] = {0}, last[8] = {0};
    bool ordered[8] = {0};
    int depth = -1;
    for (; i < w->d->nblocks && w->d->blocks[i].kind == CSP_DOC_ITEM; i++) {
        const csp_doc_block *b = &w->d->blocks[i];
        int want = b->level > 7 ? 7 : (int)b->level;
        if (want > depth + 1)
            want = depth + 1;
        while (depth > want)
            depth--;
        /* A numbered item 1, or a change between bullets and numbers,
         * starts a list of its own at this depth. */
        if (depth == want && (b->number == 1 || ordered[want] != (b->number > 0)))
            depth--;
        if (depth < want) {
            xmlNodePtr in = depth < 0 ? main : last[depth];
            const char *tag = b->number ? "ol" : "ul";
            ordered[want] = b->number > 0;
            lists[want] = depth < 0 ? csp_html_block(h, in, tag, NULL)
                                    : csp_html_el(h, in, tag, NULL);
            csp_html_nl(h, lists[want]);
            depth = want;
        }
        last[depth] = csp_html_el(h, lists[depth], "li", b->text);
        csp_html_nl(h, lists[depth]);
    }
    csp_html_nl(h, main);
    return i;
}

/* The content of the document, block by block, into main. */
static void blocks(csp_html *h, xmlNodePtr main, walk *w)
{
    const csp_doc *d = w->d;
    if (w->title == SIZE_MAX) {
        csp_html_el(h, main, "h1", d->meta.title ? d->meta.title : "Report");
        csp_html_nl(h, main);
    }
    /* The notes of a section follow it: listed before the next heading
     * or page, and at the end. */
    size_t notes_from = 0;
    for (size_t i = 0; i < d->nblocks && !h->err;) {
        const csp_doc_block *b = &d->blocks[i];
        if (b->kind == CSP_DOC_HEADING || b->kind == CSP_DOC_PAGE) {
            csp_html_notes(h, main, d, notes_from, i);
            notes_from = i;
        }
        switch (b->kind) {
        case CSP_DOC_HEADING:
            if (i + 1 < d->nblocks &&
                d->blocks[i + 1].kind == CSP_DOC_CONTENTS) {
                /* the contents' own heading */
                contents(h, main, w, i);
                i++;
            } else {
                heading(h, main, w, i);
            }
            break;
        case CSP_DOC_PARA:
            para(h, main, w, i);
            break;
        case CSP_DOC_ITEM:
            i = items(h, main, w, i);
            continue;
        case CSP_DOC_TABLE:
            csp_html_table(h, main, b->table,
                           w->last_heading ? w->last_heading : d->meta.title,
                           i > 0 && d->blocks[i - 1].kind == CSP_DOC_HEADING
                               ? d->blocks[i - 1].text
                               : NULL);
            break;
        case CSP_DOC_CHART:
            csp_html_chart(h, main, b->chart);
            break;
        case CSP_DOC_KEY:
            csp_html_keys(h, main, b);
            break;
        case CSP_DOC_CONTENTS:
            contents(h, main, w, SIZE_MAX);
            break;
        case CSP_DOC_PAGE:
            h->page_break = true;
            break;
        case CSP_DOC_DIAGRAM:
            csp_html_diagram(h, main, b->diagram);
            break;
        }
        i++;
    }
    csp_html_notes(h, main, d, notes_from, d->nblocks);
}

/* <head>: language, character set, viewport, title, style sheet. */
static void head(csp_html *h, xmlNodePtr html, const csp_doc *d)
{
    xmlNodePtr hd = csp_html_el(h, html, "head", NULL);
    csp_html_nl(h, hd);
    xmlNodePtr m = csp_html_el(h, hd, "meta", NULL);
    csp_html_attr(h, m, "charset", "utf-8");
    csp_html_nl(h, hd);
    m = csp_html_el(h, hd, "meta", NULL);
    csp_html_attr(h, m, "name", "viewport");
    csp_html_attr(h, m, "content", "width=device-width, initial-scale=1");
    csp_html_nl(h, hd);
    csp_html_el(h, hd, "title", d->meta.title ? d->meta.title : "Report");
    csp_html_nl(h, hd);
    if (d->meta.author) {
        m = csp_html_el(h, hd, "meta", NULL);
        csp_html_attr(h, m, "name", "author");
        csp_html_attr(h, m, "content", d->meta.author);
        csp_html_nl(h, hd);
    }
    if (d->meta.subject) {
        m = csp_html_el(h, hd, "meta", NULL);
        csp_html_attr(h, m, "name", "description");
        csp_html_attr(h, m, "content", d->meta.subject);
        csp_html_nl(h, hd);
    }
    char *css = h->err ? NULL : csp_html_css(d->meta.accent);
    if (!css && !h->err)
        h->err = CSP_ERR_NOMEM;
    csp_html_el(h, hd, "style", css);
    free(css);
    csp_html_nl(h, hd);
    csp_html_nl(h, html);
}

/* <body>: skip link, marking, main content, footer. */
static void body(csp_html *h, xmlNodePtr html, walk *w)
{
    const csp_doc *d = w->d;
    xmlNodePtr bd = csp_html_el(h, html, "body", NULL);
    csp_html_nl(h, bd);
    xmlNodePtr a = csp_html_el(h, bd, "a", "Skip to main content");
    csp_html_attr(h, a, "href", "#main");
    csp_html_attr(h, a, "class", "skip");
    csp_html_nl(h, bd);
    if (d->meta.marking && *d->meta.marking) {
        xmlNodePtr hdr = csp_html_el(h, bd, "header", NULL);
        csp_html_attr(h, hdr, "class", "marking");
        csp_html_el(h, hdr, "p", d->meta.marking);
        csp_html_nl(h, bd);
    }
    xmlNodePtr main = csp_html_el(h, bd, "main", NULL);
    csp_html_attr(h, main, "id", "main");
    csp_html_nl(h, main);
    blocks(h, main, w);
    csp_html_nl(h, bd);
    if (d->meta.footer && *d->meta.footer) {
        xmlNodePtr ft = csp_html_el(h, bd, "footer", NULL);
        csp_html_el(h, ft, "p", d->meta.footer);
        csp_html_nl(h, bd);
    }
    csp_html_nl(h, html);
}

/* The page as a tree. */
static xmlDocPtr build(csp_html *h, const csp_doc *d)
{
    walk w = {.d = d, .title = SIZE_MAX};
    w.hlevel = csp_calloc(d->nblocks ? d->nblocks : 1, sizeof *w.hlevel);
    if (!fail_null(h, w.hlevel))
        return NULL;
    plan_headings(&w);
    h->doc = fail_null(h, htmlNewDocNoDtD(NULL, NULL));
    if (h->doc) {
        /* <!DOCTYPE html>: no public or system identifier. */
        fail_null(h, xmlCreateIntSubset(h->doc, BAD_CAST "html", NULL, NULL));
        xmlNodePtr html = csp_html_el(h, NULL, "html", NULL);
        if (html)
            xmlDocSetRootElement(h->doc, html);
        csp_html_attr(h, html, "lang", d->meta.lang ? d->meta.lang : "en-GB");
        csp_html_nl(h, html);
        head(h, html, d);
        body(h, html, &w);
    }
    free(w.hlevel);
    return h->doc;
}

/* Write the document as HTML. */
csp_error csp_html_write(const csp_doc *doc, FILE *out, csp_why *why)
{
    csp_html h = {0};
    xmlOutputBufferPtr buf = NULL;
    csp_error err = doc ? csp_doc_error(doc) : CSP_ERR_USAGE;
    if (err != CSP_OK) {
        csp_why_set(why, "the report's content could not be recorded");
        goto out;
    }
    build(&h, doc);
    /* No encoder: the tree's UTF-8 goes out as it is (the serialiser
     * escapes only markup), as <meta charset="utf-8"> says. */
    if (!h.err && !(buf = xmlAllocOutputBuffer(NULL)))
        h.err = CSP_ERR_NOMEM;
    if ((err = h.err) != CSP_OK) {
        csp_why_set(why, "out of memory building the HTML report");
        goto out;
    }
    htmlDocContentDumpFormatOutput(buf, h.doc, NULL, 0);
    xmlOutputBufferFlush(buf);
    const xmlChar *bytes = xmlOutputBufferGetContent(buf);
    size_t n = xmlOutputBufferGetSize(buf);
    if (buf->error || !bytes) {
        err = CSP_ERR_NOMEM;
        csp_why_set(why, "libxml2 could not serialise the HTML report");
        goto out;
    }
    if (fwrite(bytes, 1, n, out) != n) {
        err = CSP_ERR_IO;
        csp_why_set(why, "writing the HTML report failed");
    }
out:
    if (buf)
        xmlOutputBufferClose(buf);
    if (h.doc)
        xmlFreeDoc(h.doc);
    return err;
}
