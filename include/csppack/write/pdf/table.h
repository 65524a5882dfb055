/*
 * Tables for csppack's PDF layout (layout.h): columns that fit their
 * content or share the width, cells with a status mark and a note,
 * rows kept together, cells that span the empty cells below them, and a
 * header row repeated after a page break.
 *
 *     csp_table *t = csp_table_begin(L, "Measures", cols, 3, NULL);
 *     csp_table_row(t, cells, false);
 *     ...
 *     csp_table_end(t);
 *
 * Errors are the document's (csp_layout_error): a table after a failure
 * draws nothing.
 */
#ifndef CSPPACK_WRITE_PDF_TABLE_H
#define CSPPACK_WRITE_PDF_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/write/pdf/layout.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Tables ------------------------------------------------------------ */

/** Horizontal alignment of a column. */
/* csp_align is write/doc.h's. */

/** A column. */
typedef struct csp_table_col {
    const char *title; /**< header text (wrapped) */
    double weight;     /**< share of the width left after fitted
                            columns */
    bool fit;          /**< as wide as its widest unbroken content
                            (header words, cell lines), at most a
                            third of the table */
    csp_align align;
    bool span; /**< a cell may run down into the empty cells
                    below it, among rows kept together */
} csp_table_col;

/** One cell: text (may hold "\n"), with an optional mark before it and an
 *  optional second paragraph in the small grey style. */
typedef struct csp_table_cell {
    const char *text; /**< NULL: empty */
    csp_face face;
    const csp_rgb *colour; /**< NULL: body colour */
    csp_mark mark;
    const csp_rgb *mark_colour;
    const char *note; /**< NULL: none */
    /** The status a mark stands for when the text does not say it in
     *  words ("Complete" beside a tick): the HTML version prints it, so
     *  that every status is a word and a shape. NULL: the text says it. */
    const char *mark_word;
} csp_table_cell;

/** A table being filled in (rows are laid out by csp_table_end). */
typedef struct csp_table csp_table;

/**
 * Start a table titled @p title (may be NULL) with @p ncols columns
 * (copied), header and title in @p accent (NULL: the document accent).
 * NULL when memory ran out (the error is also recorded in @p L).
 */
csp_table *csp_table_begin(csp_layout *L, const char *title,
                           const csp_table_col *cols, size_t ncols,
                           const csp_rgb *accent);

/**
 * A heading (as csp_layout_heading) and a short note in the small style
 * to print before the table, kept with its first rows.
 */
void csp_table_heading(csp_table *t, unsigned level, const char *text,
                       const csp_rgb *colour, csp_toc toc);
void csp_table_intro(csp_table *t, const char *text);

/** A bookmark (as csp_layout_mark) where the table starts, which may be
 *  the next page when its first rows do not fit on this one. */
void csp_table_mark(csp_table *t, unsigned level, const char *text,
                    csp_toc toc);

/** Whether the first column names each row (its cells are row headers
 *  in the HTML version); off by default. */
void csp_table_row_headers(csp_table *t, bool on);

/** Whether no column is made narrower than its header set on two
 *  lines (the header row of a wide table then stays shallow); off by
 *  default: a column is at least as wide as its header's widest word. */
void csp_table_two_line_header(csp_table *t, bool on);

/** A title for the pages after a break, for a table begun without one
 *  (it follows a heading): "Title (continued)". */
void csp_table_continued_title(csp_table *t, const char *title);

/**
 * Whether a row that does not fit in what is left of a page splits
 * between its lines, rather than moving whole, when moving it would
 * leave the page under half full (CSP_LAYOUT_MIN_FILL); off by default:
 * a row that fits on a page is never split.  For tables of long text
 * whose rows may take half a page (the board's action-plan progress).
 */
void csp_table_split_on_short_page(csp_table *t, bool on);

/**
 * What follows the table and ends its chapter, @p height points of it (a
 * short list): the table's last rows go over with it rather than leave
 * it alone on a page under half full, when the page they leave stays
 * full enough (CSP_LAYOUT_MIN_FILL).  0, the default: nothing.
 */
void csp_table_keep_tail(csp_table *t, double height);

/**
 * Add a row (cells copied).  With @p keep_with_next, no page break falls
 * between this row and the next (for groups of rows that belong together,
 * as long as the group fits on a page).
 */
void csp_table_row(csp_table *t, const csp_table_cell *cells,
                   bool keep_with_next);

/**
 * Lay the table out in the flow and free it.  The title and header row
 * stay with the first row; after a page break the header row is repeated
 * under the title followed by "(continued)"; a row taller than a whole
 * page is split between lines.
 */
void csp_table_end(csp_table *t);

#ifdef __cplusplus
}
#endif
#endif
