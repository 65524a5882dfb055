/* csppack: the workbook's sheets and data tables, continued on
 * "Name (2)"... when full (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"

/*
 * Add a worksheet named for part @p part of @p base; with @p stream, in
 * libxlsxwriter's constant-memory mode: each row goes to a temporary file
 * as soon as the next one starts, so the sheet costs one row of memory
 * whatever its length.  Rows must then come in order, and the sheet
 * cannot hold an Excel table (libxlsxwriter refuses them there).
 *
 * libxlsxwriter takes the mode of each sheet from the workbook's
 * options.constant_memory when the sheet is added, so the bounded sheets
 * (key findings, indicators, action plan) keep their tables while those
 * that grow with the inbox stream.  ws->optimize says which mode a sheet
 * got, and the writer follows it (tab_open), so a library that ignored
 * the switch would still give a correct workbook.
 */
lxw_worksheet *csp_wb_add_sheet(csp_wb_ctx *c, const char *base, unsigned part,
                                bool stream)
{
    if (c->err)
        return NULL;
    char name[128];
    csp_workbook_sheet_name(base, part, name);
    c->wb->options.constant_memory = stream ? LXW_TRUE : LXW_FALSE;
    errno = 0;
    lxw_worksheet *ws = workbook_add_worksheet(c->wb, name);
    int sys = errno;
    c->wb->options.constant_memory = LXW_FALSE;
    if (!ws) {
        /* A streamed sheet opens its temporary file now: a full or
         * unwritable disk fails here. */
        c->err = stream ? CSP_ERR_IO : CSP_ERR_INTERNAL;
        if (stream)
            csp_why_set(c->why,
                        "cannot add the sheet \"%s\": cannot create its "
                        "temporary file%s%s",
                        name, sys ? ": " : "", sys ? strerror(sys) : "");
        else
            csp_why_set(c->why, "cannot add the sheet \"%s\"%s%s", name,
                        sys ? ": " : "", sys ? strerror(sys) : "");
        return NULL;
    }
    c->res->sheets++;
    if (part > 1)
        c->res->continued++;
    return ws;
}

/* A4 landscape, page numbers, the title and marking in the page header;
 * and the header row repeated on every page when @p repeat. */
void csp_wb_page_setup(csp_wb_ctx *c, lxw_worksheet *ws, bool repeat)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    worksheet_set_comments_author(ws, "csppack");
    csp_wb_fail(c, worksheet_set_header(ws, c->header),
                "setting the page header");
    csp_wb_fail(c, worksheet_set_footer(ws, "&CPage &P of &N"),
                "setting the page footer");
    if (repeat)
        csp_wb_fail(c, worksheet_repeat_rows(ws, HDR, HDR),
                    "setting the rows to repeat");
}

/* Points an A4 page holds across between 0.5-inch margins: landscape
 * 10.69 inches, portrait 7.27. */
#define PAGE_POINTS_LANDSCAPE 769.7
#define PAGE_POINTS_PORTRAIT 523.4

/* Fit to the page width when the body text (11 points) stays at 8 points
 * or more, that is at a scale of CSP_WB_MIN_SCALE per cent or more; else
 * print at that scale over pages across.  A column w characters wide is
 * 7 * w + 5 pixels of 0.75 points (Excel's measure for its default
 * font): @p width is the sum of w + 5/7 over the printed columns. */
void csp_wb_page_fit(csp_wb_ctx *c, lxw_worksheet *ws, double width,
                     bool portrait)
{
    if (c->err)
        return;
    double page = portrait ? PAGE_POINTS_PORTRAIT : PAGE_POINTS_LANDSCAPE;
    double points = width * 7.0 * 0.75;
    if (points * CSP_WB_MIN_SCALE <= page * 100.0)
        worksheet_fit_to_pages(ws, 1, 0);
    else
        worksheet_set_print_scale(ws, CSP_WB_MIN_SCALE);
}

/* Points of one line of the default font (Calibri 11), and Excel's
 * tallest row. */
#define LINE_POINTS 15.0
#define MAX_ROW_POINTS 409.0

/* Lines a text needs wrapped in a column @p width characters wide (see
 * csp_workbook_text_extent). */
static size_t wrapped_lines(const char *s, size_t width)
{
    size_t n;
    csp_workbook_text_extent(s, width, &n, NULL);
    return n;
}

/* Give row @p r the height of @p lines lines (nothing for one line). */
static void set_row_lines(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                          size_t lines)
{
    if (lines <= 1 || c->err)
        return;
    double h = LINE_POINTS * (double)lines;
    csp_wb_fail(
        c,
        worksheet_set_row(ws, r, h > MAX_ROW_POINTS ? MAX_ROW_POINTS : h, NULL),
        "setting a row height");
}

/* Data rows one part holds. */
static size_t rows_per_part(const csp_wb_ctx *c)
{
    return c->max_rows - (HDR + 1);
}

/* Set up @p t over @p cols (kept until csp_wb_tab_end). */
bool csp_wb_tab_columns(csp_wb_tab *t, const csp_wb_col *cols, size_t ncols)
{
    free(t->width);
    t->cols = cols;
    t->ncols = ncols;
    t->opened = false;
    t->width = csp_calloc(ncols ? ncols : 1, sizeof *t->width);
    if (!t->width) {
        csp_wb_nomem(t->c);
        return false;
    }
    return true;
}

/* Open the next part. */
static bool tab_open(csp_wb_tab *t)
{
    csp_wb_ctx *c = t->c;
    t->ws = csp_wb_add_sheet(c, t->sheet, t->part + 1, t->stream);
    if (!t->ws)
        return false;
    t->part++;
    t->opened = true;
    t->rows = 0;
    t->table = !t->ws->optimize;
    csp_wb_page_setup(c, t->ws, true);
    char title[512];
    snprintf(title, sizeof title, "%s%s", t->title,
             t->part > 1 ? " (continued)" : "");
    csp_wb_put_text(c, t->ws, 0, 0, title, c->title);
    if (t->intro)
        csp_wb_put_text(c, t->ws, 1, 0, t->intro, c->intro);
    worksheet_freeze_panes(t->ws, HDR + 1, 0);
    /* The header row and its height.  tab_close makes a column as wide
     * as its header and the filter button, or wider, unless its maximum
     * is narrower, and then the column is at its maximum whatever the
     * rows hold: so how the header wraps, and the row's height, follow
     * from the header and the bounds alone, and are known before any
     * row, as a streamed sheet needs. */
    size_t header_lines = 1;
    for (size_t i = 0; i < t->ncols; i++) {
        const csp_wb_col *col = &t->cols[i];
        t->width[i] = csp_workbook_text_width(col->header) + 3;
        size_t w = t->width[i] + 1;
        if (w < col->min)
            w = col->min;
        if (w > col->max)
            w = col->max;
        /* The filter button takes about two characters. */
        size_t hl = wrapped_lines(col->header, w > 3 ? w - 2 : 1);
        if (hl > header_lines)
            header_lines = hl;
        if (!t->table)
            csp_wb_put_text(c, t->ws, HDR, (lxw_col_t)i, col->header, c->thead);
    }
    set_row_lines(c, t->ws, HDR, header_lines);
    return c->err == CSP_OK;
}

/* The Excel table of the open part, over its header and rows. */
static void tab_table(csp_wb_tab *t, lxw_worksheet *ws)
{
    csp_wb_ctx *c = t->c;
    lxw_table_column *colv = csp_calloc(t->ncols, sizeof *colv);
    lxw_table_column **colp = csp_calloc(t->ncols + 1, sizeof *colp);
    if (!colv || !colp) {
        free(colv);
        free(colp);
        csp_wb_nomem(c);
        return;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        colv[i].header = csp_wb_mut(t->cols[i].header);
        colv[i].header_format = c->thead;
        colp[i] = &colv[i];
    }
    char name[128];
    snprintf(name, sizeof name, "%s_%u", t->table_name, t->part);
    lxw_table_options o = {.name = name,
                           .style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
                           .style_type_number = 2,
                           .columns = colp};
    /* A table needs a data row: an empty one stands for "none". */
    lxw_row_t last = HDR + (lxw_row_t)(t->rows ? t->rows : 1);
    csp_wb_fail(
        c, worksheet_add_table(ws, HDR, 0, last, (lxw_col_t)(t->ncols - 1), &o),
        "adding a table");
    free(colv);
    free(colp);
}

/* Finish the open part: its table or filter, column widths and the
 * hook. */
static void tab_close(csp_wb_tab *t)
{
    csp_wb_ctx *c = t->c;
    if (!t->ws)
        return;
    lxw_worksheet *ws = t->ws;
    t->ws = NULL;
    if (c->err)
        return;
    /* The last row's height, while it is still the current row. */
    if (t->rows)
        set_row_lines(c, ws, t->row, t->lines);
    if (t->table)
        tab_table(t, ws);
    else
        csp_wb_fail(c,
                    worksheet_autofilter(ws, HDR, 0, HDR + (lxw_row_t)t->rows,
                                         (lxw_col_t)(t->ncols - 1)),
                    "adding the filter");
    /* Widths as the content needs, within bounds: libxlsxwriter keeps
     * them apart from the rows, so they can come last.  The printed
     * columns stop at the first audit column. */
    size_t printed = t->ncols;
    double printed_width = 0;
    for (size_t i = 0; i < t->ncols; i++) {
        size_t w = t->width[i] + 1;
        if (w < t->cols[i].min)
            w = t->cols[i].min;
        if (w > t->cols[i].max)
            w = t->cols[i].max;
        if (t->cols[i].audit && printed == t->ncols)
            printed = i;
        if (printed == t->ncols)
            printed_width += (double)w + 5.0 / 7.0;
        csp_wb_fail(c,
                    worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         (double)w, NULL),
                    "setting a column width");
    }
    if (printed && !c->err)
        csp_wb_fail(c,
                    worksheet_print_area(ws, 0, 0,
                                         HDR + (lxw_row_t)(t->rows ? t->rows
                                                                   : 1),
                                         (lxw_col_t)(printed - 1)),
                    "setting the print area");
    csp_wb_page_fit(c, ws, printed_width, false);
    if (t->finish && t->rows) {
        t->ws = ws;
        t->finish(t, HDR + 1, HDR + (lxw_row_t)t->rows);
        t->ws = NULL;
    }
}

/* Start a data row (opening a part, or the next one when full). */
bool csp_wb_tab_row(csp_wb_tab *t)
{
    if (t->c->err)
        return false;
    /* The row just finished gets its height. */
    if (t->ws && t->rows)
        set_row_lines(t->c, t->ws, t->row, t->lines);
    t->lines = 0;
    if (t->ws && t->rows >= rows_per_part(t->c))
        tab_close(t);
    if (!t->ws && !tab_open(t))
        return false;
    t->row = HDR + 1 + (lxw_row_t)t->rows++;
    t->lines = 1;
    return true;
}

/* Finish the columns' last part (an empty table when there were no rows). */
void csp_wb_tab_end(csp_wb_tab *t)
{
    if (!t->ws && !t->opened && !tab_open(t))
        return;
    tab_close(t);
}

/* Free what the tab holds. */
void csp_wb_tab_free(csp_wb_tab *t)
{
    free(t->width);
    t->width = NULL;
}

/* Note a width in column @p col. */
void csp_wb_tab_width(csp_wb_tab *t, lxw_col_t col, size_t w)
{
    if (w > t->width[col])
        t->width[col] = w;
}

/* Text cell in the current row; wrapped text makes the row taller. */
void csp_wb_tab_text(csp_wb_tab *t, lxw_col_t col, const char *s, lxw_format *f)
{
    bool wrap = f && f == t->c->wrap;
    size_t n = 0;
    csp_wb_tab_width(t, col,
                     csp_wb_put_text_lines(t->c, t->ws, t->row, col, s, f,
                                           t->cols[col].max, wrap ? &n : NULL));
    if (n > t->lines)
        t->lines = n;
}

/* Update u's progress statement as wrapped text in the current row. */
void csp_wb_tab_progress(csp_wb_tab *t, lxw_col_t col,
                         const csp_dataset_update *u, bool excerpt)
{
    char *text = NULL, *shown = NULL;
    csp_error e = csp_dataset_update_progress(t->c->ds, u, &text);
    if (e != CSP_OK) {
        t->c->err = e;
        goto out;
    }
    size_t len = strlen(text);
    if (excerpt && len > CSP_WORKBOOK_EXCERPT) {
        static const char mark[] = " " CSP_WORKBOOK_EXCERPT_MARK;
        size_t n = csp_utf8_floor(text, CSP_WORKBOOK_EXCERPT);
        if (!(shown = csp_malloc(n + sizeof mark))) {
            csp_wb_nomem(t->c);
            goto out;
        }
        memcpy(shown, text, n);
        memcpy(shown + n, mark, sizeof mark);
    }
    csp_wb_tab_text(t, col, shown ? shown : text, t->c->wrap);
out:
    free(shown);
    free(text);
}

/* Whole-number cell in the current row. */
void csp_wb_tab_count(csp_wb_tab *t, lxw_col_t col, uint64_t v)
{
    csp_wb_tab_width(t, col, csp_wb_put_count(t->c, t->ws, t->row, col, v));
}

/* A whole number that is not a count (a line number): "1234". */
void csp_wb_tab_whole(csp_wb_tab *t, lxw_col_t col, uint64_t v)
{
    char b[24];
    csp_wb_put_num(t->c, t->ws, t->row, col, (double)v, t->c->integer);
    csp_wb_tab_width(t, col,
                     (size_t)snprintf(b, sizeof b, "%llu",
                                      (unsigned long long)v));
}

/* A number cell in the current row: @p v shown with @p decimals, or its
 * own, whichever are more (so "6.0" stays 6.0). */
void csp_wb_tab_decimal(csp_wb_tab *t, lxw_col_t col, csp_decimal v,
                        unsigned decimals)
{
    char b[CSP_DECIMAL_BUFSZ];
    unsigned dec = decimals > v.scale ? decimals : v.scale;
    csp_decimal_format(v, b);
    csp_wb_put_num(t->c, t->ws, t->row, col, csp_wb_double(v),
                   csp_wb_fig_format(t->c, FIG_FINAL, false, dec));
    csp_wb_tab_width(t, col, strlen(b) + (dec - v.scale) +
                                 (dec > 0 && v.scale == 0) + 2);
}
