/*
 * Diagrams of the HTML report (html_parts.h): a figure whose caption is
 * the diagram's title, its sentence of description, and its boxes and
 * connectors as text a screen reader reads in order: the links of each
 * box of a two-column diagram, a tree as nested lists, a cycle as
 * numbered steps.
 */
#include "csppack/write/html/html_parts.h"

#include <stdio.h>


/* "A: linked to B; C" for each box of the first column. */
static void links_text(csp_html *h, xmlNodePtr fig, const csp_doc_diagram *g)
{
    xmlNodePtr ul = csp_html_el(h, fig, "ul", NULL);
    csp_html_nl(h, ul);
    for (size_t i = 0; i < g->nlabels && !h->err; i++) {
        if (g->groups[i] != 0)
            continue;
        xmlNodePtr li = csp_html_el(h, ul, "li", NULL);
        csp_html_el(h, li, "strong", g->labels[i]);
        size_t n = 0;
        for (size_t l = 0; l < g->nlinks; l++) {
            size_t o = g->from[l] == i ? g->to[l]
                       : g->to[l] == i ? g->from[l]
                                       : SIZE_MAX;
            if (o == SIZE_MAX)
                continue;
            csp_html_text(h, li, n++ ? "; " : ": linked to ");
            csp_html_text(h, li, g->labels[o]);
        }
        csp_html_text(h, li, n ? "." : ": no link shown.");
        csp_html_nl(h, ul);
    }
}

/* The connector that nests box k in the text: the one from its last
 * parent (a box under two sits under the later, beside its siblings),
 * or SIZE_MAX for a box under none. */
static size_t home_link(const csp_doc_diagram *g, size_t k)
{
    size_t home = SIZE_MAX;
    for (size_t l = 0; l < g->nlinks; l++)
        if (g->to[l] == k)
            home = l;
    return home;
}

/* Box i of a tree and, nested, the boxes that sit under it; a box with
 * more parents names the others. */
static void tree_item(csp_html *h, xmlNodePtr ul, const csp_doc_diagram *g,
                      size_t i, unsigned depth)
{
    xmlNodePtr li = csp_html_el(h, ul, "li", g->labels[i]);
    size_t home = home_link(g, i), n = 0;
    for (size_t l = 0; l < g->nlinks; l++)
        if (g->to[l] == i && l != home) {
            csp_html_text(h, li, n++ ? " and " : " (also under ");
            csp_html_text(h, li, g->labels[g->from[l]]);
        }
    if (n)
        csp_html_text(h, li, ")");
    xmlNodePtr sub = NULL;
    for (size_t k = 0; k < g->nlabels && depth < 32 && !h->err; k++) {
        size_t hl = home_link(g, k);
        if (hl == SIZE_MAX || g->from[hl] != i)
            continue;
        if (!sub) {
            sub = csp_html_el(h, li, "ul", NULL);
            csp_html_nl(h, sub);
        }
        tree_item(h, sub, g, k, depth + 1);
    }
    csp_html_nl(h, ul);
}

/* A tree as nested lists, from the boxes under no other. */
static void tree_text(csp_html *h, xmlNodePtr fig, const csp_doc_diagram *g)
{
    xmlNodePtr ul = csp_html_el(h, fig, "ul", NULL);
    csp_html_nl(h, ul);
    for (size_t i = 0; i < g->nlabels && !h->err; i++) {
        bool child = false;
        for (size_t l = 0; l < g->nlinks; l++)
            child |= g->to[l] == i;
        if (!child)
            tree_item(h, ul, g, i, 0);
    }
}

/* A cycle as numbered steps, and the way back to the first. */
static void cycle_text(csp_html *h, xmlNodePtr fig, const csp_doc_diagram *g)
{
    xmlNodePtr ol = csp_html_el(h, fig, "ol", NULL);
    csp_html_nl(h, ol);
    for (size_t i = 0; i < g->nlabels && !h->err; i++) {
        csp_html_el(h, ol, "li", g->labels[i]);
        csp_html_nl(h, ol);
    }
    if (g->nlabels > 1) {
        xmlNodePtr p = csp_html_el(h, fig, "p", "Then back to the first: ");
        csp_html_text(h, p, g->labels[0]);
        csp_html_text(h, p, ".");
    }
}

/* A diagram as a figure with its caption and its text alternative. */
void csp_html_diagram(csp_html *h, xmlNodePtr parent, const csp_doc_diagram *g)
{
    xmlNodePtr fig = csp_html_block(h, parent, "figure", NULL);
    csp_html_class(h, fig, "diagram");
    if (g->id) {
        char id[160];
        snprintf(id, sizeof id, "diagram-%s", g->id);
        csp_html_attr(h, fig, "id", id);
    }
    csp_html_nl(h, fig);
    csp_html_el(h, fig, "figcaption", g->title ? g->title : "Diagram");
    csp_html_nl(h, fig);
    if (g->alt) {
        csp_html_el(h, fig, "p", g->alt);
        csp_html_nl(h, fig);
    }
    if (g->kind == CSP_DOC_TREE)
        tree_text(h, fig, g);
    else if (g->kind == CSP_DOC_CYCLE)
        cycle_text(h, fig, g);
    else
        links_text(h, fig, g);
    csp_html_nl(h, fig);
    csp_html_nl(h, parent);
}
