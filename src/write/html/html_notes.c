/*
 * Footnotes and titles in the HTML version (html_parts.h): a paragraph's
 * titles as <cite>, each note's mark as <sup><a href="#fnN"
 * id="fnrefN">N</a></sup>, and the notes as a list after the section,
 * each with a link back to its mark.
 */
#include "csppack/write/html/html_parts.h"

#include <stdio.h>
#include <string.h>

/* Bytes [a, b) of @p text into @p parent: as text, or as a <cite>. */
static void piece(csp_html *h, xmlNodePtr parent, const char *text, size_t a,
                  size_t b, bool title)
{
    if (b <= a || h->err)
        return;
    xmlChar *s = xmlStrndup(BAD_CAST(text + a), (int)(b - a));
    if (!s) {
        h->err = CSP_ERR_NOMEM;
        return;
    }
    if (title)
        csp_html_el(h, parent, "cite", (const char *)s);
    else
        csp_html_text(h, parent, (const char *)s);
    xmlFree(s);
}

/* Text [s, e) of @p text into @p parent, its titles (sorted spans) as
 * <cite>. */
static void runs(csp_html *h, xmlNodePtr parent, const char *text, size_t s,
                 size_t e, const csp_doc_span *cites, size_t ncites)
{
    size_t p = s;
    for (size_t i = 0; i < ncites && p < e; i++) {
        size_t cs = cites[i].start, ce = cites[i].end;
        if (ce <= p || cs >= e || cs >= ce)
            continue;
        if (cs < p)
            cs = p;
        if (ce > e)
            ce = e;
        piece(h, parent, text, p, cs, false);
        piece(h, parent, text, cs, ce, true);
        p = ce;
    }
    piece(h, parent, text, p, e, false);
}

/* A paragraph's text with its titles and note marks into @p p. */
void csp_html_marked_para(csp_html *h, xmlNodePtr p, const csp_doc_block *b)
{
    const char *text = b->text ? b->text : "";
    size_t len = strlen(text), at = 0;
    for (size_t k = 0; k <= b->nnotes && !h->err; k++) {
        size_t next = k < b->nnotes && b->notes[k].at < len ? b->notes[k].at
                                                              : len;
        if (next < at)
            next = at;
        runs(h, p, text, at, next, b->cites, b->ncites);
        at = next;
        if (k == b->nnotes)
            break;
        char num[16], href[24], id[24];
        snprintf(num, sizeof num, "%u", b->notes[k].number);
        snprintf(href, sizeof href, "#fn%u", b->notes[k].number);
        snprintf(id, sizeof id, "fnref%u", b->notes[k].number);
        xmlNodePtr sup = csp_html_el(h, p, "sup", NULL);
        xmlNodePtr a = csp_html_el(h, sup, "a", num);
        csp_html_attr(h, a, "href", href);
        csp_html_attr(h, a, "id", id);
        csp_html_class(h, a, "footnote-ref");
    }
}

/* The notes of the paragraphs among blocks [from, to), as a list. */
void csp_html_notes(csp_html *h, xmlNodePtr main, const csp_doc *d,
                    size_t from, size_t to)
{
    xmlNodePtr list = NULL;
    for (size_t i = from; i < to && i < d->nblocks && !h->err; i++) {
        const csp_doc_block *b = &d->blocks[i];
        if (b->kind != CSP_DOC_PARA)
            continue;
        for (size_t k = 0; k < b->nnotes && !h->err; k++) {
            const csp_doc_note *n = &b->notes[k];
            char num[16], id[24], back[24], label[64];
            snprintf(num, sizeof num, "%u", n->number);
            if (!list) {
                xmlNodePtr box = csp_html_block(h, main, "div", NULL);
                csp_html_class(h, box, "footnotes");
                csp_html_attr(h, box, "role", "doc-endnotes");
                list = csp_html_el(h, box, "ol", NULL);
                /* Numbered through the document, as the marks are. */
                csp_html_attr(h, list, "start", num);
                csp_html_nl(h, main);
            }
            snprintf(id, sizeof id, "fn%u", n->number);
            snprintf(back, sizeof back, "#fnref%u", n->number);
            snprintf(label, sizeof label, "Back to the text of note %u",
                     n->number);
            xmlNodePtr li = csp_html_el(h, list, "li", NULL);
            csp_html_attr(h, li, "id", id);
            runs(h, li, n->text ? n->text : "", 0,
                 n->text ? strlen(n->text) : 0, n->cites, n->ncites);
            csp_html_text(h, li, " ");
            xmlNodePtr a = csp_html_el(h, li, "a", "\xE2\x86\xA9");
            csp_html_attr(h, a, "href", back);
            csp_html_attr(h, a, "aria-label", label);
            csp_html_class(h, a, "footnote-back");
        }
    }
}
