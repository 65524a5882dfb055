/*
 * The workbook writer's insides, shared by the files of
 * src/write/workbook/ and by nothing else: the writer's state
 * (csp_wb_ctx), the cell writers and formats (core.c), the data tables
 * that continue on "Name (2)" (tabs.c), the figure cells with their
 * provenance (figures.c), and one function per group of sheets
 * (keyfindings.c, indicators.c, actions.c, inbox.c), called in sheet
 * order by csp_workbook_write (workbook.c).
 *
 * Every function here records the first failure in the context
 * (csp_wb_fail, csp_wb_nomem) and does nothing once one is recorded, so
 * a sheet is written as straight-line code and the caller checks c->err
 * once.
 */
#ifndef CSPPACK_WRITE_WORKBOOK_SHEETS_H
#define CSPPACK_WRITE_WORKBOOK_SHEETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/write/workbook/cells.h"
#include "csppack/write/workbook/workbook.h"

/* How a figure cell is marked. */
enum { FIG_FINAL, FIG_PROVISIONAL, FIG_ESTIMATED, FIG_MISSING, FIG_DISPUTED,
       FIG_KINDS };
#define FIG_DECIMALS (CSP_DECIMAL_MAX_SCALE + 1)
#define N_STATUS 5
#define HDR ((lxw_row_t)CSP_WORKBOOK_HEADER_ROW)

/* The writer's state, for one workbook. */
typedef struct csp_wb_ctx {
    const csp_dataset *ds;
    const csp_template *tpl;
    lxw_workbook *wb;
    size_t max_rows;
    size_t progress_budget;           /* options.progress_budget */
    csp_workbook_result *res;
    csp_why *why;                     /* the caller's, or NULL */
    csp_error err;
    size_t max_comments;              /* options.max_comments */
    bool no_figure_comments;          /* past it: on Indicators */
    char header[LXW_HEADER_FOOTER_MAX * 4 + 1];
    /* The board pack's period (options, else the dataset's), which the
     * marks, the About and the Returns sheets are about. */
    bool has_period;
    csp_period period;
    const char *marking;              /* options', else the template's */
    bool *revised;                    /* by figure index: in
                                         ds->revisions (NULL: none) */

    lxw_format *title, *intro, *heading, *thead, *text, *wrap, *note,
        *integer, *count, *date, *datetime, *change, *refused, *code, *center,
        *longdate, *label;
    lxw_format *fig[FIG_KINDS][2][FIG_DECIMALS]; /* [kind][csppack's][dec] */
    lxw_format *status[N_STATUS];     /* by csp_action_status */
    lxw_format *severity[3];          /* by csp_severity */
    lxw_format *cond[N_STATUS];       /* conditional: by csp_action_status */
    lxw_format *rating[4];            /* by csp_rating */
} csp_wb_ctx;

/* ---- core.c: failures, cells, formats, names ---- */

/** A pointer libxlsxwriter's structures want as char * (it copies). */
char *csp_wb_mut(const char *s);

/** Record libxlsxwriter's error @p e (none: nothing) while doing @p what,
 *  unless a failure is recorded already. */
void csp_wb_fail(csp_wb_ctx *c, lxw_error e, const char *what);

/** Record that memory ran out. */
void csp_wb_nomem(csp_wb_ctx *c);

/** A decimal as a double: exact integers divided by an exact power of
 *  ten, so correctly rounded for every value below 2^53 units. */
double csp_wb_double(csp_decimal d);

/** Write a text, never as a formula (cut to fit a cell, visibly); returns
 *  its width and, when @p lines is not NULL, sets the lines it needs
 *  wrapped @p wrap characters wide (csp_workbook_text_extent). */
size_t csp_wb_put_text_lines(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                             lxw_col_t col, const char *s, lxw_format *f,
                             size_t wrap, size_t *lines);

/** csp_wb_put_text_lines without the lines. */
size_t csp_wb_put_text(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, const char *s, lxw_format *f);

/** Write a number. */
void csp_wb_put_num(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                    lxw_col_t col, double v, lxw_format *f);

/** Write a count, shown with thousands separators ("#,##0"); returns
 *  its width. */
size_t csp_wb_put_count(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                        lxw_col_t col, uint64_t v);

/** Write a date as an Excel date (as text outside Excel's years); returns
 *  its width. */
size_t csp_wb_put_date(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, csp_date d);

/** Write an instant as an Excel date and time in UTC, to the second;
 *  returns its width. */
size_t csp_wb_put_instant(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                          lxw_col_t col, csp_instant t);

/** The format of a figure cell of @p kind (FIG_...): number format with
 *  its marks (p, e, and "†" when @p mine, a figure csppack worked out),
 *  and colour.  Made once per kind, mark and decimals. */
lxw_format *csp_wb_fig_format(csp_wb_ctx *c, int kind, bool mine,
                              unsigned decimals);

/** Make every fixed format of @p c. */
void csp_wb_make_formats(csp_wb_ctx *c);

/** An agency's name as the strategy writes it. */
const char *csp_wb_agency_name(csp_wb_ctx *c, const char *id);

/** An area's name ("All areas" for the partnership as a whole). */
const char *csp_wb_area_name(csp_wb_ctx *c, const char *id);

/** A file's name in every output: its base name ("" for none). */
const char *csp_wb_file_name(csp_wb_ctx *c, size_t file);

/* ---- tabs.c: sheets and data tables ---- */

/**
 * Add a worksheet named for part @p part of @p base; with @p stream, in
 * libxlsxwriter's constant-memory mode: each row goes to a temporary file
 * as soon as the next one starts, so the sheet costs one row of memory
 * whatever its length.  Rows must then come in order, and the sheet
 * cannot hold an Excel table (libxlsxwriter refuses them there).
 */
lxw_worksheet *csp_wb_add_sheet(csp_wb_ctx *c, const char *base,
                                unsigned part, bool stream);

/** A4 landscape, page numbers, the title and protective marking in the
 *  page header; and the header row repeated on every page when
 *  @p repeat.  csp_wb_page_fit then sets the scale. */
void csp_wb_page_setup(csp_wb_ctx *c, lxw_worksheet *ws, bool repeat);

/** Characters of column width a landscape page prints at the smallest
 *  scale that keeps the body text at 8 points (CSP_WB_MIN_SCALE). */
#define CSP_WB_MIN_SCALE 73

/**
 * Fit a sheet whose printed columns are @p width characters wide in all
 * (Excel's column widths; 0 for a sheet known to be narrow) to the page
 * width when that keeps 11-point text at 8 points or more; otherwise
 * print at CSP_WB_MIN_SCALE per cent, over as many pages across as it
 * takes.  @p portrait: the page is A4 portrait.
 */
void csp_wb_page_fit(csp_wb_ctx *c, lxw_worksheet *ws, double width,
                     bool portrait);

/** A column of a data table. */
typedef struct csp_wb_col {
    const char *header;
    unsigned min, max;        /* width bounds, in characters */
    bool audit;               /* ids, paths, hashes: for the analyst,
                                 outside the print area (audit columns
                                 come last) */
} csp_wb_col;

typedef struct csp_wb_tab csp_wb_tab;
/** Called when a part is finished, with its data rows (first <= last). */
typedef void (*csp_wb_tab_hook)(csp_wb_tab *t, lxw_row_t first,
                                lxw_row_t last);

/*
 * A data sheet: a title, an explanation, and from row HDR an Excel table
 * or, for a streamed sheet, a header row with an autofilter; continued
 * on "Name (2)"... when a sheet is full.  Rows are written in order, and
 * everything written after them (column widths, the table or filter,
 * the Status list) is kept outside the rows, so a streamed sheet is the
 * same sheet, bar the table.
 */
struct csp_wb_tab {
    csp_wb_ctx *c;
    const char *sheet;         /* base sheet name */
    const char *table_name;    /* base table name */
    const char *title;
    const char *intro;
    const csp_wb_col *cols;
    size_t ncols;
    csp_wb_tab_hook finish;
    /* Stream the sheet (csp_wb_add_sheet): a header row and an autofilter
     * instead of an Excel table.  For sheets that grow with the inbox. */
    bool stream;
    /* State. */
    lxw_worksheet *ws;
    bool table;                /* the open part gets an Excel table */
    unsigned part;             /* parts opened so far */
    bool opened;               /* a part was opened for these columns */
    lxw_row_t row;             /* the data row being written */
    size_t rows;               /* data rows in the open part */
    size_t *width;             /* widest cell per column, open part */
    size_t lines;              /* lines the current row's wrapped text needs */
};

/** Set up @p t over @p cols (kept until csp_wb_tab_end). */
bool csp_wb_tab_columns(csp_wb_tab *t, const csp_wb_col *cols, size_t ncols);

/** Start a data row (opening a part, or the next one when full). */
bool csp_wb_tab_row(csp_wb_tab *t);

/** Finish the columns' last part (an empty table when there were no
 *  rows). */
void csp_wb_tab_end(csp_wb_tab *t);

/** Free what the tab holds. */
void csp_wb_tab_free(csp_wb_tab *t);

/** Note a width in column @p col. */
void csp_wb_tab_width(csp_wb_tab *t, lxw_col_t col, size_t w);

/** Text cell in the current row; wrapped text makes the row taller. */
void csp_wb_tab_text(csp_wb_tab *t, lxw_col_t col, const char *s,
                     lxw_format *f);

/** Update @p u's progress statement as wrapped text in the current row;
 *  when @p excerpt, only its first CSP_WORKBOOK_EXCERPT bytes (cut back
 *  to a character boundary) and CSP_WORKBOOK_EXCERPT_MARK. */
void csp_wb_tab_progress(csp_wb_tab *t, lxw_col_t col,
                         const csp_dataset_update *u, bool excerpt);

/** A number cell in the current row: @p v with @p decimals or its own,
 *  whichever are more. */
void csp_wb_tab_decimal(csp_wb_tab *t, lxw_col_t col, csp_decimal v,
                        unsigned decimals);

/** A count in the current row, shown with thousands separators. */
void csp_wb_tab_count(csp_wb_tab *t, lxw_col_t col, uint64_t v);

/** A whole number that is not a count (a line number) in the current
 *  row: shown without separators. */
void csp_wb_tab_whole(csp_wb_tab *t, lxw_col_t col, uint64_t v);

/* ---- figures.c ---- */

/**
 * A figure cell: the value (with "p"/"e", and "†" for a figure csppack
 * worked out, in its number format, and a colour) when one stands; "–"
 * when it stands as missing; "disputed" when disputed; empty when
 * nothing stands.  Its provenance is in the cell's comment.  NULL:
 * nothing at all.  A figure csppack worked out is noted in @p lg, the
 * legend of its table, when there is one.  Returns the width.
 */
size_t csp_wb_put_figure(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                         lxw_col_t col, const csp_figure *f,
                         csp_kf_legend *lg);

/* ---- data.c ---- */

/** Room for csp_wb_unit_words's text. */
#define CSP_WB_UNIT_BUFSZ 64

/** An indicator's unit in words: "count", "rate per 1,000 population",
 *  "rate per 100,000 households", "per cent", "money", "average" (in
 *  @p buf or a constant). */
const char *csp_wb_unit_words(const csp_indicator *ind,
                              char buf[CSP_WB_UNIT_BUFSZ]);

/** The figure of the series @p first, @p count (csp_dataset_series) the
 *  marks are about: the latest whose period ends by the end of the
 *  board pack's period; NULL when none. */
const csp_figure *csp_wb_marked_figure(csp_wb_ctx *c, size_t first,
                                       size_t count);

/** A direction of travel (csp_direction) as the workbook shows it:
 *  "Better", "Worse", "No real change", "Up", "Down"; "" for none. */
const char *csp_wb_direction_words(csp_direction d);

/**
 * The marks of figure @p f (csp_judge_figure) in the current row of
 * @p t from column @p col: Rating (coloured), Direction, Comparator (its
 * value), Comparator period; and Target when @p target.  @p f NULL:
 * empty cells.  Returns the column after them.
 */
lxw_col_t csp_wb_tab_marks(csp_wb_tab *t, lxw_col_t col, const csp_figure *f,
                           bool target);

/* ---- the sheets, in the workbook's order ---- */

/** About: the partnership, the period, what the marks and units mean
 *  (about.c). */
void csp_wb_sheet_about(csp_wb_ctx *c);

/** Key findings: one block per area, like the strategy's (keyfindings.c). */
void csp_wb_sheet_key_findings(csp_wb_ctx *c, const csp_kf *kf);

/** Indicators: a row per measure and area, a column per period
 *  (indicators.c). */
void csp_wb_sheet_indicators(csp_wb_ctx *c);

/** Data: one row per figure, long format, for pivoting (data.c). */
void csp_wb_sheet_data(csp_wb_ctx *c);

/** Action plan: every item with its current status (actions.c). */
void csp_wb_sheet_action_plan(csp_wb_ctx *c);

/** Action history: every update of every item, within the progress
 *  budget (actions.c). */
void csp_wb_sheet_action_history(csp_wb_ctx *c);

/** Returns: what each agency owes for the board pack's period and has
 *  not sent (chase.c). */
void csp_wb_sheet_returns(csp_wb_ctx *c);

/** Revisions: figures and action statuses changed since the previous
 *  pack (chase.c). */
void csp_wb_sheet_revisions(csp_wb_ctx *c);

/** Submissions: every file read (inbox.c). */
void csp_wb_sheet_submissions(csp_wb_ctx *c);

/** Discrepancies: every diagnostic of the run (inbox.c). */
void csp_wb_sheet_discrepancies(csp_wb_ctx *c);

/** Trends: a line chart per key-findings row (keyfindings.c). */
void csp_wb_sheet_trends(csp_wb_ctx *c, const csp_kf *kf);

#endif
