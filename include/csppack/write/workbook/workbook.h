/*
 * The Excel workbook of a reconciled dataset (doc/workbook.md), written
 * with libxlsxwriter through its documented API only.
 *
 * Sheets, in order: About, Key findings, Indicators, Data, Action plan,
 * Action history, Returns, Revisions, Submissions, Discrepancies, Trends.
 * Every data sheet has a title row, a one-line explanation, a frozen
 * header row with filters and A4 print setup (the protective marking in
 * the page header; ids, paths and hashes outside the print area; text
 * never printed below 8 points).  The sheets bounded by the template
 * (Key findings, Indicators, Action plan, Returns) are Excel tables;
 * those that grow with the inbox (Data, Action history, Revisions,
 * Submissions, Discrepancies) are
 * streamed in libxlsxwriter's constant-memory mode, a row at a time
 * through a temporary file beside @p path, with an autofilter instead of
 * a table (the mode cannot make tables), so that memory does not grow
 * with them.  A sheet that would pass Excel's 1,048,576 rows (or a
 * smaller limit the caller sets) continues on "Name (2)", "Name (3)"...;
 * a text longer than a cell holds (32,767 characters) is cut at a
 * character boundary and ends with CSP_WORKBOOK_TRUNCATION_MARK; past
 * the Action history's progress budget each further statement shows an
 * excerpt ending with CSP_WORKBOOK_EXCERPT_MARK, and the sheet's
 * explanation says how many.  Nothing is dropped silently.
 *
 * Usage:
 *
 *     csp_workbook_options opt;
 *     csp_workbook_options_init(&opt);
 *     csp_workbook_result res;
 *     csp_why why = {{0}};
 *     csp_error err = csp_workbook_write(ds, "pack.xlsx.tmp-1234", &opt,
 *                                        &res, &why);
 *     if (err != CSP_OK) ... csp_why_text(&why, err) says why ...
 *
 * libxlsxwriter prints its own reasons on stderr: hold them back around
 * the write with csp_workbook_hold_begin/end (lxwerr.h).
 *
 * Determinism: the bytes depend only on the dataset (csp_pack_timestamp
 * dates the document; never the clock), not on the process locale (the
 * writer switches its own thread to the C locale while it works) nor on
 * the processor (libxlsxwriter deflates every part with zlib at its own
 * fixed level).
 *
 * The file is written exactly at the path given: writing beside the final
 * name and renaming into place is the caller's job, so that a command
 * writing several outputs can rename them together.
 */
#ifndef CSPPACK_WORKBOOK_H
#define CSPPACK_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/read/submission.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Excel's rows per sheet. */
#define CSP_WORKBOOK_MAX_ROWS ((size_t)1048576)
/** Excel's characters (UTF-16 code units) per cell. */
#define CSP_WORKBOOK_MAX_CELL 32767
/** The Indicators sheet gives each figure a comment (its source, note
 *  and the other claims) while the dataset holds at most this many
 *  figures (the default of csp_workbook_options.max_comments).  Past it
 *  the sheet is streamed (libxlsxwriter's constant memory mode: no Excel
 *  table, an autofilter) and has no comments: a comment costs memory
 *  until the workbook is closed, and libxlsxwriter places each one in
 *  time that grows with its column.  The sources are then in the pack's
 *  observations.csv and dataset.xml. */
#define CSP_WORKBOOK_COMMENTS_MAX ((size_t)20000)
/** Ends a text that was cut to fit a cell. */
#define CSP_WORKBOOK_TRUNCATION_MARK \
    "\xe2\x80\xa6 [truncated: full text in dataset.xml]"
/** Bytes of progress statements the Action history shows in full (the
 *  default of csp_workbook_options.progress_budget): 16 MiB, more than
 *  three times a partnership's year (a few hundred updates of at most
 *  4 KB each).  A sheet of hundreds of megabytes is of no use in a
 *  spreadsheet and takes most of a build to deflate. */
#define CSP_WORKBOOK_PROGRESS_BUDGET ((size_t)16 << 20)
/** Bytes of a statement's start that the Action history shows once the
 *  budget is spent (cut back to a character boundary). */
#define CSP_WORKBOOK_EXCERPT ((size_t)200)
/** Ends such an excerpt. */
#define CSP_WORKBOOK_EXCERPT_MARK \
    "\xe2\x80\xa6 [excerpt: full text in actions.csv and dataset.xml]"
/** Rows above a data sheet's table: a title and an explanation. */
#define CSP_WORKBOOK_HEADER_ROW 2

/** What the caller may change. */
typedef struct csp_workbook_options {
    /** Rows per sheet before a continuation sheet, header rows included.
     *  Default and maximum CSP_WORKBOOK_MAX_ROWS; at least 4. */
    size_t max_rows;
    /** Figures in the dataset up to which the Indicators sheet gives each
     *  a comment; default CSP_WORKBOOK_COMMENTS_MAX (see there). */
    size_t max_comments;
    /** Bytes of progress statements the Action history shows in full, in
     *  its order; each later statement longer than CSP_WORKBOOK_EXCERPT
     *  shows an excerpt.  Default CSP_WORKBOOK_PROGRESS_BUDGET; SIZE_MAX
     *  for no limit. */
    size_t progress_budget;
    /** The board pack's period the Returns sheet and the marks are about;
     *  has_period false: the dataset's pack period. */
    bool has_period;
    csp_period period;
    /** Protective marking for the print header (--marking); NULL: the
     *  template's (tpl->marking), if any. */
    const char *marking;
} csp_workbook_options;

/** Fill @p opt with the defaults. */
void csp_workbook_options_init(csp_workbook_options *opt);

/** What a write did, for the caller to report. */
typedef struct csp_workbook_result {
    size_t sheets;        /**< worksheets written */
    size_t continued;     /**< continuation sheets among them */
    size_t truncated;     /**< texts cut to fit a cell (marked) */
    size_t excerpted;     /**< Action history statements past the progress
                               budget shown as an excerpt (marked) */
    int lxw_error;        /**< libxlsxwriter's error number, 0 when none */
} csp_workbook_result;

/**
 * Write the workbook of @p ds (reconciled) to @p path.  @p opt may be NULL
 * for the defaults; @p res and @p why may be NULL.  CSP_ERR_USAGE when
 * @p ds is not reconciled or an option is out of range; CSP_ERR_NOMEM;
 * CSP_ERR_IO when the file could not be written (libxlsxwriter reports
 * that only when it closes the workbook); CSP_ERR_INTERNAL when
 * libxlsxwriter refused something else.  On failure @p why says what
 * failed and @p path may hold a partial file: the caller removes it.
 */
csp_error csp_workbook_write(const csp_dataset *ds, const char *path,
                             const csp_workbook_options *opt,
                             csp_workbook_result *res,
                             csp_why *why) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
