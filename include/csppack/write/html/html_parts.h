/*
 * The pieces of the HTML writer (html.h), shared between its files:
 * a sticky-error builder over a libxml2 HTML tree, status marks as
 * inline SVG, tables, keys, charts and the style sheet.
 *
 * Every call does nothing once h->err is set (memory ran out), like the
 * document's recorder; csp_html_write checks h->err once at the end.
 */
#ifndef CSPPACK_WRITE_HTML_PARTS_H
#define CSPPACK_WRITE_HTML_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/write/doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The page being built. */
typedef struct csp_html {
    xmlDocPtr doc;
    csp_error err;    /**< the first failure */
    unsigned ntables; /**< tables so far, for their caption ids */
    unsigned ncharts; /**< charts so far, for their title ids */
    bool page_break;  /**< the next block starts a printed page */
} csp_html;

/** A new element @p name appended to @p parent (NULL: not attached),
 *  holding @p text (NULL: none) as text. */
xmlNodePtr csp_html_el(csp_html *h, xmlNodePtr parent, const char *name,
                       const char *text);

/** A block element for the flow of the page: like csp_html_el, and the
 *  first after a page break carries the class that starts a printed
 *  page. */
xmlNodePtr csp_html_block(csp_html *h, xmlNodePtr parent, const char *name,
                          const char *text);

/** Set attribute @p name of @p n to @p value. */
void csp_html_attr(csp_html *h, xmlNodePtr n, const char *name,
                   const char *value);

/** Add @p cls to the class attribute of @p n. */
void csp_html_class(csp_html *h, xmlNodePtr n, const char *cls);

/** Append @p text (NULL: nothing) to @p parent as a text node. */
void csp_html_text(csp_html *h, xmlNodePtr parent, const char *text);

/** Append a newline to @p parent, so the source reads line by line. */
void csp_html_nl(csp_html *h, xmlNodePtr parent);

/** A paragraph's text into @p p with its titles as <cite> and its
 *  notes' marks as <sup><a href="#fnN" id="fnrefN">N</a></sup>
 *  (html_notes.c). */
void csp_html_marked_para(csp_html *h, xmlNodePtr p, const csp_doc_block *b);

/** The notes of the paragraphs among blocks [from, to) of @p d as a
 *  list (<div class="footnotes"><ol start="N">), each item id="fnN"
 *  with a link back to its mark; nothing when they have none. */
void csp_html_notes(csp_html *h, xmlNodePtr main, const csp_doc *d,
                    size_t from, size_t to);

/** "#rrggbb" of @p c. */
void csp_html_colour(csp_rgb c, char out[8]);

/** The contrast ratio of @p a against @p b (WCAG 2: 1 .. 21). */
double csp_html_contrast(csp_rgb a, csp_rgb b);

/** @p c, darkened step by step until it reaches 4.5:1 against white;
 *  @p c itself when it already does. */
csp_rgb csp_html_readable(csp_rgb c);

/** Draw the shape of @p m in the 12 by 12 box at the origin of @p g (an
 *  SVG element) in @p colour ("#rrggbb"). */
void csp_html_shape(csp_html *h, xmlNodePtr g, csp_mark m, const char *colour);

/** A status mark before a word: an inline SVG of @p m's shape in
 *  @p colour, hidden from assistive technology (the word says it). */
void csp_html_mark(csp_html *h, xmlNodePtr parent, csp_mark m, csp_rgb colour);

/** The style sheet, for a <style> element; accent the headings' colour. */
char *csp_html_css(csp_rgb accent);

/** A region that scrolls by itself when the table in it is wider than
 *  the screen, labelled by the table's @p caption; returns the table
 *  (NULL on failure).  @p block: the region is a block of the page's
 *  flow (csp_html_block). */
xmlNodePtr csp_html_table_open(csp_html *h, xmlNodePtr parent, bool block,
                               const char *caption);

/** A table in its scrolling region; @p fallback the caption when the
 *  table has none (the nearest heading).  A caption equal to
 *  @p heading_before (the heading just above; may be NULL) is hidden
 *  from sight but still read out. */
void csp_html_table(csp_html *h, xmlNodePtr parent, const csp_doc_table *t,
                    const char *fallback, const char *heading_before);

/** A key to status marks: shape and word per entry. */
void csp_html_keys(csp_html *h, xmlNodePtr parent, const csp_doc_block *b);

/** A chart as a figure: a caption, an SVG image with a title and a
 *  description, the same figures in a table. */
void csp_html_chart(csp_html *h, xmlNodePtr parent, const csp_doc_chart *c);

/** A diagram as a figure: its caption, its description and its boxes
 *  and connectors as text (html_diagram.c). */
void csp_html_diagram(csp_html *h, xmlNodePtr parent,
                      const csp_doc_diagram *g);

#ifdef __cplusplus
}
#endif
#endif
