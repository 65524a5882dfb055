/*
 * Tables, status marks and keys of the HTML report (html_parts.h).
 *
 * A table sits in a region of its own that scrolls sideways when it is
 * wider than the screen (WCAG 1.4.10 allows that for data tables), so
 * the page itself reflows at 320 px.  A cell the PDF leaves empty
 * because the one above runs down into it (`continues`) is merged into
 * that cell with rowspan, so the table reads as the PDF shows it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/html/html_parts.h"

/* One SVG element of a shape. */
static xmlNodePtr shape_el(csp_html *h, xmlNodePtr g, const char *name,
                           const char *colour, bool filled)
{
    xmlNodePtr n = csp_html_el(h, g, name, NULL);
    csp_html_attr(h, n, "fill", filled ? colour : "none");
    if (!filled) {
        csp_html_attr(h, n, "stroke", colour);
        csp_html_attr(h, n, "stroke-width", "2");
    }
    return n;
}

/* A path shape. */
static void path(csp_html *h, xmlNodePtr g, const char *d, const char *colour,
                 bool filled)
{
    xmlNodePtr n = shape_el(h, g, "path", colour, filled);
    csp_html_attr(h, n, "d", d);
    if (!filled)
        csp_html_attr(h, n, "stroke-linejoin", "round");
}

/* A circle shape. */
static void circle(csp_html *h, xmlNodePtr g, const char *r, const char *colour,
                   bool filled)
{
    xmlNodePtr n = shape_el(h, g, "circle", colour, filled);
    csp_html_attr(h, n, "cx", "6");
    csp_html_attr(h, n, "cy", "6");
    csp_html_attr(h, n, "r", r);
}

/* The shape of a mark in a 12 by 12 box, as the PDF draws it. */
void csp_html_shape(csp_html *h, xmlNodePtr g, csp_mark m, const char *colour)
{
    switch (m) {
    case CSP_MARK_DOT:
        circle(h, g, "5", colour, true);
        break;
    case CSP_MARK_RING:
        circle(h, g, "4.5", colour, false);
        break;
    case CSP_MARK_TRIANGLE:
        path(h, g, "M6 1L11.5 11H0.5Z", colour, true);
        break;
    case CSP_MARK_CROSS:
        path(h, g, "M2 2L10 10M10 2L2 10", colour, false);
        break;
    case CSP_MARK_TICK:
        path(h, g, "M1.5 6.5L4.5 9.5L10.5 2.5", colour, false);
        break;
    case CSP_MARK_DASH:
        path(h, g, "M2 5H10V7H2Z", colour, true);
        break;
    case CSP_MARK_DIAMOND:
        path(h, g, "M6 1.5L10.5 6L6 10.5L1.5 6Z", colour, false);
        break;
    case CSP_MARK_SQUARE:
        path(h, g, "M1 1H11V11H1Z", colour, true);
        break;
    case CSP_MARK_DOWN:
        path(h, g, "M0.5 1H11.5L6 11Z", colour, true);
        break;
    case CSP_MARK_BAR:
        path(h, g, "M1 4H11V8H1Z", colour, true);
        break;
    case CSP_MARK_DIAMOND_FILL:
        path(h, g, "M6 0.5L11.5 6L6 11.5L0.5 6Z", colour, true);
        break;
    case CSP_MARK_NONE:
        break;
    }
}

/* A mark before its word, hidden from assistive technology. */
void csp_html_mark(csp_html *h, xmlNodePtr parent, csp_mark m, csp_rgb colour)
{
    if (m == CSP_MARK_NONE)
        return;
    char col[8];
    csp_html_colour(colour, col);
    xmlNodePtr svg = csp_html_el(h, parent, "svg", NULL);
    csp_html_attr(h, svg, "class", "mark");
    csp_html_attr(h, svg, "viewBox", "0 0 12 12");
    csp_html_attr(h, svg, "width", "12");
    csp_html_attr(h, svg, "height", "12");
    csp_html_attr(h, svg, "aria-hidden", "true");
    csp_html_attr(h, svg, "focusable", "false");
    csp_html_shape(h, svg, m, col);
}

/* Whether a cell's note is a note mark ("†", "*"): at most two
 * characters, none of them a letter of the alphabet. */
static bool note_mark(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            return false;
        n += (c & 0xC0) != 0x80;
    }
    return n <= 2;
}

/* The class of a column's alignment; NULL for left. */
static const char *align_class(csp_align a)
{
    return a == CSP_ALIGN_RIGHT    ? "num"
           : a == CSP_ALIGN_CENTRE ? "centre"
                                   : NULL;
}

/* What a cell shows: its mark, its text (bold if so), the word of its
 * mark when the text does not say it, its note. */
static void cell_content(csp_html *h, xmlNodePtr c, const csp_doc_cell *cell)
{
    csp_html_mark(h, c, cell->mark, cell->mark_colour);
    bool text = cell->text && *cell->text;
    if (text) {
        if (cell->bold)
            csp_html_el(h, c, "strong", cell->text);
        else
            csp_html_text(h, c, cell->text);
    }
    if (cell->mark != CSP_MARK_NONE && cell->mark_word && *cell->mark_word) {
        if (text)
            csp_html_text(h, c, " ");
        csp_html_text(h, c, cell->mark_word);
    }
    if (cell->note && *cell->note) {
        /* A note mark ("†") is raised after the text; longer words under
         * it (the period of a figure, who sent it) go on a line of their
         * own in small type, as the PDF prints them. */
        if (note_mark(cell->note)) {
            csp_html_el(h, c, "sup", cell->note);
        } else {
            xmlNodePtr n = csp_html_el(h, c, "span", cell->note);
            csp_html_attr(h, n, "class", "cell-note");
        }
    }
}

/* How many rows cell (r, c) spans: itself and the `continues` cells
 * under it. */
static size_t row_span(const csp_doc_table *t, size_t r, size_t c)
{
    size_t n = 1;
    while (r + n < t->nrows && t->cells[(r + n) * t->ncols + c].continues)
        n++;
    return n;
}

/* The body rows of a table. */
static void table_rows(csp_html *h, xmlNodePtr tbody, const csp_doc_table *t)
{
    for (size_t r = 0; r < t->nrows && !h->err; r++) {
        xmlNodePtr tr = csp_html_el(h, tbody, "tr", NULL);
        for (size_t c = 0; c < t->ncols; c++) {
            const csp_doc_cell *cell = &t->cells[r * t->ncols + c];
            if (cell->continues && r > 0)
                continue; /* merged into the cell above */
            bool head = t->row_headers && c == 0;
            xmlNodePtr td = csp_html_el(h, tr, head ? "th" : "td", NULL);
            if (head)
                csp_html_attr(h, td, "scope", "row");
            const char *cls = align_class(t->cols[c].align);
            if (cls)
                csp_html_class(h, td, cls);
            size_t span = row_span(t, r, c);
            if (span > 1) {
                char s[24];
                snprintf(s, sizeof s, "%zu", span);
                csp_html_attr(h, td, "rowspan", s);
            }
            cell_content(h, td, cell);
        }
        csp_html_nl(h, tbody);
    }
}

/* A table's region that scrolls by itself, labelled by the table's
 * caption; returns the table. */
xmlNodePtr csp_html_table_open(csp_html *h, xmlNodePtr parent, bool block,
                               const char *caption)
{
    char id[32];
    snprintf(id, sizeof id, "t%u", ++h->ntables);
    xmlNodePtr wrap = block ? csp_html_block(h, parent, "div", NULL)
                            : csp_html_el(h, parent, "div", NULL);
    csp_html_attr(h, wrap, "class", "table-wrap");
    csp_html_attr(h, wrap, "role", "region");
    csp_html_attr(h, wrap, "aria-labelledby", id);
    csp_html_attr(h, wrap, "tabindex", "0");
    csp_html_nl(h, wrap);
    xmlNodePtr table = csp_html_el(h, wrap, "table", NULL);
    csp_html_nl(h, table);
    xmlNodePtr cap = csp_html_el(h, table, "caption", caption);
    csp_html_attr(h, cap, "id", id);
    csp_html_nl(h, table);
    return table;
}

/* A table in its scrolling region, labelled by its caption. */
void csp_html_table(csp_html *h, xmlNodePtr parent, const csp_doc_table *t,
                    const char *fallback, const char *heading_before)
{
    if (!t || h->err)
        return;
    const char *cap = t->caption && *t->caption ? t->caption
                      : fallback && *fallback   ? fallback
                                                : "Table";
    xmlNodePtr table = csp_html_table_open(h, parent, true, cap);
    if (table && heading_before && strcmp(heading_before, cap) == 0)
        for (xmlNodePtr n = table->children; n; n = n->next)
            if (n->type == XML_ELEMENT_NODE &&
                xmlStrEqual(n->name, BAD_CAST "caption"))
                csp_html_class(h, n, "echo");
    xmlNodePtr thead = csp_html_el(h, table, "thead", NULL);
    xmlNodePtr tr = csp_html_el(h, thead, "tr", NULL);
    for (size_t c = 0; c < t->ncols; c++) {
        xmlNodePtr th = csp_html_el(h, tr, "th", t->cols[c].title);
        csp_html_attr(h, th, "scope", "col");
        const char *cls = align_class(t->cols[c].align);
        if (cls)
            csp_html_class(h, th, cls);
    }
    csp_html_nl(h, table);
    xmlNodePtr tbody = csp_html_el(h, table, "tbody", NULL);
    csp_html_nl(h, tbody);
    table_rows(h, tbody, t);
    csp_html_nl(h, table);
    csp_html_nl(h, table ? table->parent : NULL);
    csp_html_nl(h, parent);
}

/* A key: its label, then each mark's shape and word. */
void csp_html_keys(csp_html *h, xmlNodePtr parent, const csp_doc_block *b)
{
    if (!b->nkeys)
        return;
    if (b->text && *b->text) {
        xmlNodePtr p = csp_html_block(h, parent, "p", b->text);
        csp_html_class(h, p, "key-label");
        csp_html_nl(h, parent);
    }
    xmlNodePtr ul = csp_html_block(h, parent, "ul", NULL);
    csp_html_class(h, ul, "key");
    csp_html_nl(h, ul);
    for (size_t i = 0; i < b->nkeys; i++) {
        xmlNodePtr li = csp_html_el(h, ul, "li", NULL);
        csp_html_mark(h, li, b->keys[i].mark, b->keys[i].colour);
        csp_html_text(h, li, b->keys[i].word);
        csp_html_nl(h, ul);
    }
    csp_html_nl(h, parent);
}
