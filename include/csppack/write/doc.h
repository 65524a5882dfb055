/*
 * A report's content as a document: headings, paragraphs, lists, tables,
 * charts and status keys in reading order, with no page geometry.
 *
 * The PDF writer lays a report out on pages; while it does, it records
 * here what it draws (layout.h's csp_layout_setup.doc), so the HTML
 * writer can publish the same content from the same run: same words,
 * same figures, same order.  Flow content (headings, paragraphs, lists,
 * tables, charts) is recorded by the layout engine itself; content a
 * report places by hand (a cover, a summary in columns, a legend) is
 * recorded by the report with the calls below.
 *
 *     csp_doc *d = csp_doc_new();
 *     csp_doc_heading(d, 0, "Introduction", true);
 *     csp_doc_para(d, CSP_DOC_BODY, "The partnership ...");
 *     if (csp_doc_error(d)) ...   (memory ran out at some call)
 *     csp_doc_free(d);
 *
 * Errors are sticky, like the layout's: after a failure every call does
 * nothing and csp_doc_error says so.  Text is copied; it must be valid
 * UTF-8 (the recorder keeps it as given; writers escape it).
 *
 * Shared by the writers (like common.h): the PDF writer records into it,
 * the HTML writer reads it.  Readers walk d->blocks directly.
 */
#ifndef CSPPACK_WRITE_DOC_H
#define CSPPACK_WRITE_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/date.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Shared visual vocabulary ------------------------------------------ */

/** An RGB colour, each channel 0..1. */
typedef struct csp_rgb {
    float r, g, b;
} csp_rgb;

/** The shapes of status marks: every status is a word and a shape as
 *  well as a colour. */
typedef enum csp_mark {
    CSP_MARK_NONE = 0,
    CSP_MARK_DOT,      /**< filled circle (on track) */
    CSP_MARK_TRIANGLE, /**< filled triangle (at risk) */
    CSP_MARK_CROSS,    /**< heavy cross (off track) */
    CSP_MARK_TICK,     /**< heavy tick (complete) */
    CSP_MARK_RING,     /**< hollow circle (not started) */
    CSP_MARK_DASH,     /**< short bar (nothing reported) */
    CSP_MARK_DIAMOND,  /**< hollow diamond (provisional, estimated) */
    CSP_MARK_SQUARE,   /**< filled square (legend key; rated red) */
    CSP_MARK_DOWN,     /**< filled triangle pointing down (went down) */
    CSP_MARK_BAR,      /**< thick bar (no real change) */
    CSP_MARK_DIAMOND_FILL /**< filled diamond (rated amber) */
} csp_mark;

/** How a table column's cells are aligned. */
typedef enum csp_align {
    CSP_ALIGN_LEFT,
    CSP_ALIGN_RIGHT,
    CSP_ALIGN_CENTRE
} csp_align;

/* ---- The document ------------------------------------------------------ */

/** What a paragraph is. */
typedef enum csp_doc_role {
    CSP_DOC_BODY = 0, /**< body text */
    CSP_DOC_NOTE,     /**< a note or caption (small print in the PDF) */
    CSP_DOC_TITLE,    /**< the document's title (one, first): h1 */
    CSP_DOC_SUBTITLE, /**< under the title: subtitle, period */
    CSP_DOC_LEAD,     /**< a line that introduces: "Quarterly board
                           pack", the partnership's name on a cover */
    CSP_DOC_STRONG    /**< a short emphasised line ("No figures received
                           yet") */
} csp_doc_role;

/** What a block is. */
typedef enum csp_doc_block_kind {
    CSP_DOC_HEADING,  /**< text, level 0 (section) .. 3, toc */
    CSP_DOC_PARA,     /**< text, role */
    CSP_DOC_ITEM,     /**< a list item: text, level (0 outermost);
                           consecutive items form one list */
    CSP_DOC_TABLE,    /**< table */
    CSP_DOC_CHART,    /**< chart */
    CSP_DOC_KEY,      /**< a key to status marks: keys, nkeys, text (its
                           label, e.g. "Status:"; may be NULL) */
    CSP_DOC_CONTENTS, /**< the contents list goes here */
    CSP_DOC_PAGE      /**< a new page starts here (for print) */
    ,
    CSP_DOC_DIAGRAM   /**< diagram: boxes and connectors */
} csp_doc_block_kind;

/** How a diagram's boxes are arranged (model/template.h's
 *  csp_diagram_kind, in the same order). */
typedef enum csp_doc_diagram_kind {
    CSP_DOC_LINKS = 0, /**< two columns; group is the column (0, 1) */
    CSP_DOC_TREE,      /**< rows; group is the row, links run down */
    CSP_DOC_CYCLE      /**< in order round a circle, back to the first */
} csp_doc_diagram_kind;

/** A diagram as drawn: its boxes and connectors, for a text
 *  alternative. */
typedef struct csp_doc_diagram {
    csp_doc_diagram_kind kind;
    char *id;           /**< the template's id (an HTML id); may be NULL */
    char *title;        /**< the caption */
    char *alt;          /**< what it shows, in a sentence; may be NULL */
    char **labels;      /**< the boxes' labels, nlabels */
    unsigned *groups;   /**< per box: its column or row */
    size_t nlabels;
    size_t *from, *to;  /**< the connectors, by box, nlinks */
    size_t nlinks;
} csp_doc_diagram;

/** A table column. */
typedef struct csp_doc_col {
    char *title;
    csp_align align;
} csp_doc_col;

/** A table cell. */
typedef struct csp_doc_cell {
    char *text;           /**< NULL: empty */
    bool bold;
    csp_mark mark;        /**< CSP_MARK_NONE: none */
    csp_rgb mark_colour;
    char *mark_word;      /**< the status the mark stands for, when the
                               text does not say it; NULL: text says it */
    char *note;           /**< a note mark ("†"); NULL: none */
    bool continues;       /**< empty because the cell above runs down
                               into it (the PDF's spanning column) */
} csp_doc_cell;

/** A table: nrows rows of ncols cells, row-major. */
typedef struct csp_doc_table {
    char *caption;     /**< NULL: none */
    csp_doc_col *cols;
    size_t ncols;
    csp_doc_cell *cells; /**< [row * ncols + col] */
    size_t nrows, caprows;
    bool row_headers;  /**< the first column names each row */
} csp_doc_table;

/** A chart: one value per category and series, with the same figures
 *  as printed text so a table can show them exactly. */
typedef struct csp_doc_chart {
    char *title;
    char *desc;           /**< what it shows, in a sentence; NULL: none */
    char **categories;    /**< x-axis labels, ncategories */
    size_t ncategories;
    char **series;        /**< legend labels, nseries */
    size_t nseries;
    double *values;       /**< [category * nseries + series]; drawing
                               only; negative: no value */
    char **value_text;    /**< the same, as printed; NULL entries: none */
    csp_rgb *colours;     /**< one per series */
    bool lines;           /**< a line chart, not bars */
} csp_doc_chart;

/** One entry of a key to status marks. */
typedef struct csp_doc_key {
    csp_mark mark;
    csp_rgb colour;
    char *word;
} csp_doc_key;

/** A run of a text, by byte offsets [start, end): a title. */
typedef struct csp_doc_span {
    size_t start, end;
} csp_doc_span;

/** A footnote of a paragraph. */
typedef struct csp_doc_note {
    unsigned number;       /**< through the document, 1 up */
    size_t at;             /**< its mark goes after text[at - 1] */
    char *text;
    csp_doc_span *cites;   /**< titles in its text (italics) */
    size_t ncites;
} csp_doc_note;

/** A block of the document. */
typedef struct csp_doc_block {
    csp_doc_block_kind kind;
    unsigned level;     /**< HEADING, ITEM */
    bool toc;           /**< HEADING: listed in the contents */
    csp_doc_role role;  /**< PARA */
    char *text;         /**< HEADING, PARA, ITEM, KEY (label) */
    csp_doc_table *table;
    csp_doc_chart *chart;
    csp_doc_key *keys;
    size_t nkeys;
    csp_doc_diagram *diagram; /**< DIAGRAM */
    unsigned number;    /**< ITEM of a numbered list: 1, 2 ...; 0: a
                             bullet.  An item numbered 1 starts a list */
    csp_doc_span *cites; /**< PARA: titles in text (italics) */
    size_t ncites;
    csp_doc_note *notes; /**< PARA: its footnotes; the HTML version
                              lists them after the section */
    size_t nnotes;
} csp_doc_block;

/** What the document says about itself. */
typedef struct csp_doc_meta {
    char *title;        /**< the document's title (<title>) */
    char *author;       /**< the partnership */
    char *subject;
    char *keywords;
    char *lang;         /**< "en-GB" */
    char *marking;      /**< protective marking; NULL: none */
    char *footer;       /**< what the PDF's footer says (the publisher) */
    csp_rgb accent;
    csp_instant created;
} csp_doc_meta;

/** A recorded document. */
typedef struct csp_doc {
    csp_doc_meta meta;
    csp_doc_block *blocks;
    size_t nblocks, capblocks;
    csp_error err;
    size_t insert;      /**< where the next block goes; SIZE_MAX: end */
    size_t open_table;  /**< block of the table being filled; SIZE_MAX:
                             none */
} csp_doc;

/** A new empty document; NULL when memory ran out. */
csp_doc *csp_doc_new(void);

/** Free a document (NULL is fine). */
void csp_doc_free(csp_doc *d);

/** The first failure (CSP_OK when none). */
csp_error csp_doc_error(const csp_doc *d);

/** Set what the document says about itself (strings copied; NULL
 *  fields stay NULL; lang NULL means "en-GB"). */
void csp_doc_set_meta(csp_doc *d, const csp_doc_meta *m);

/** Append a heading at @p level (0 a section .. 3). */
void csp_doc_heading(csp_doc *d, unsigned level, const char *text, bool toc);

/** Append a paragraph. */
void csp_doc_para(csp_doc *d, csp_doc_role role, const char *text);

/** Append a paragraph with titles (spans of @p text) and footnotes
 *  (all copied). */
void csp_doc_para_marked(csp_doc *d, csp_doc_role role, const char *text,
                         const csp_doc_span *cites, size_t ncites,
                         const csp_doc_note *notes, size_t nnotes);

/** Append a list item at nesting @p level. */
void csp_doc_item(csp_doc *d, unsigned level, const char *text);

/** Append an item of a numbered list: @p number (1 up) at nesting
 *  @p level; an item numbered 1 starts a new list. */
void csp_doc_numbered(csp_doc *d, unsigned level, unsigned number,
                      const char *text);

/** The contents list goes here. */
void csp_doc_contents(csp_doc *d);

/** A new page starts here (print only). */
void csp_doc_page(csp_doc *d);

/** Append a key to status marks (entries copied). */
void csp_doc_keys(csp_doc *d, const char *label, const csp_doc_key *keys,
                 size_t n);

/** Start a table (columns copied); rows go to it until csp_doc_table_end.
 *  A table begun while another is open ends the other. */
void csp_doc_table_begin(csp_doc *d, const char *caption,
                         const csp_doc_col *cols, size_t ncols,
                         bool row_headers);

/** Append a row of ncols cells (copied) to the open table. */
void csp_doc_table_row(csp_doc *d, const csp_doc_cell *cells);

/** End the open table (a table with no rows is dropped). */
void csp_doc_table_end(csp_doc *d);

/** Append a chart (deep copy). */
void csp_doc_chart_add(csp_doc *d, const csp_doc_chart *c);

/** Append a diagram (copied). */
void csp_doc_diagram_add(csp_doc *d, const csp_doc_diagram *g);

/** The position the next appended block would take. */
size_t csp_doc_here(const csp_doc *d);

/**
 * Insert the following blocks at @p pos (from csp_doc_here) instead of
 * at the end, each after the one before; SIZE_MAX appends again.  For
 * content a report draws last but reads first (a summary of what
 * follows).
 */
void csp_doc_insert_at(csp_doc *d, size_t pos);

#ifdef __cplusplus
}
#endif
#endif
