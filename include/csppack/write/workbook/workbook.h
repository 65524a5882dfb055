/*
 * The Excel workbook of a reconciled dataset (spec/outputs.md, "The
 * workbook"), written with libxlsxwriter.
 *
 * Sheets, in order: Key findings, Indicators, Action plan, Action history,
 * Submissions, Discrepancies, Trends.  Every data sheet has a title row, a
 * one-line explanation, a frozen header row with filters and A4
 * landscape print setup.  The sheets bounded by the template (Key
 * findings, Indicators, Action plan) are Excel tables; those that grow
 * with the inbox (Action history, Submissions, Discrepancies) are
 * streamed in libxlsxwriter's constant-memory mode, a row at a time
 * through a temporary file beside @p path, with an autofilter instead of
 * a table (the mode cannot make tables), so that memory does not grow
 * with them.  A sheet that would pass Excel's
 * 1,048,576 rows (or a smaller limit the caller sets) continues on
 * "Name (2)", "Name (3)"...; a text longer than a cell holds (32,767
 * characters) is cut at a character boundary and ends with
 * CSP_WORKBOOK_TRUNCATION_MARK.  Nothing is dropped silently.
 *
 * Usage:
 *
 *     csp_workbook_options opt;
 *     csp_workbook_options_init(&opt);
 *     csp_workbook_result res;
 *     csp_why why;
 *     csp_error err = csp_workbook_write(ds, "pack.xlsx.tmp-1234", &opt, &res,
 *                                        &why);
 *     if (err != CSP_OK) ... why.text says why ...
 *
 * Determinism: the bytes depend only on the dataset (csp_pack_timestamp
 * dates the document; never the clock), not on the process locale (the
 * writer switches its own thread to the C locale while it works).
 *
 * The file is written exactly at the path given: writing beside the final
 * name and renaming into place is the caller's job, so that a command
 * writing several outputs can rename them together.
 */
#ifndef CSPPACK_WORKBOOK_H
#define CSPPACK_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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
 *  figures (the default of csp_workbook_options.max_comments).  Past it the sheet is streamed (libxlsxwriter's constant
 *  memory mode: no Excel table, an autofilter) and has no comments: a
 *  comment costs memory until the workbook is closed, and libxlsxwriter
 *  places each one in time that grows with its column.  The sources are
 *  then in the pack's observations.csv and dataset.xml. */
/** Deflate level the workbook's parts are written at, with ISA-L's igzip
 *  (libxlsxwriter's own choice is zlib's 6): five times faster than zlib's
 *  fastest level on long progress statements, for a file about as small
 *  (src/workbook.c, "Compression"). */
#define CSP_WORKBOOK_DEFLATE_LEVEL 1
/** A large part is deflated in pieces of this many bytes of its XML, each
 *  from the previous piece's last 32 KiB (src/workbook.c, "Compression"). */
#define CSP_WORKBOOK_DEFLATE_PIECE ((size_t)1 << 20)
#define CSP_WORKBOOK_COMMENTS_MAX ((size_t)20000)
/** Ends a text that was cut to fit a cell. */
#define CSP_WORKBOOK_TRUNCATION_MARK \
    "\xe2\x80\xa6 [truncated: full text in dataset.xml]"
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
    /** Threads that may deflate the workbook's large parts: 0 for one per
     *  processor, 1 for the caller's alone; more than two are not used.
     *  The workbook's bytes are the same whatever the number. */
    unsigned threads;
} csp_workbook_options;

/** Fill @p opt with the defaults. */
void csp_workbook_options_init(csp_workbook_options *opt);

/** What a write did, for the caller to report. */
typedef struct csp_workbook_result {
    size_t sheets;        /**< worksheets written */
    size_t continued;     /**< continuation sheets among them */
    size_t truncated;     /**< texts cut to fit a cell (marked) */
    int lxw_error;        /**< libxlsxwriter's error number, 0 when none */
} csp_workbook_result;

/**
 * Write the workbook of @p ds (reconciled) to @p path.  @p opt may be NULL
 * for the defaults; @p res may be NULL.  CSP_ERR_USAGE when @p ds is not
 * reconciled or an option is out of range; CSP_ERR_NOMEM; CSP_ERR_IO when
 * the file could not be written (libxlsxwriter reports that only when it
 * closes the workbook); CSP_ERR_INTERNAL when libxlsxwriter refused
 * something else; @p why (may be NULL) names what failed.  On failure @p path may hold a
 * partial file: the caller removes it.
 */
csp_error csp_workbook_write(const csp_dataset *ds, const char *path,
                             const csp_workbook_options *opt,
                             csp_workbook_result *res,
                             csp_why *why) CSP_MUST_CHECK;

/**
 * libxlsxwriter's own lines on stderr ("[ERROR] ..."), held back while a
 * workbook is written, so that a failure gives one error line of ours
 * with the library's reason folded in.  Where the C library lets stderr be
 * assigned (glibc) the stream points at memory meanwhile; elsewhere the
 * lines go through.
 *
 *     csp_workbook_hold h;
 *     if ((err = csp_workbook_hold_begin(&h)) == CSP_OK) {
 *         err = csp_workbook_write(ds, path, opt, &res, &why);
 *         err = csp_workbook_hold_end(&h, err, lib, sizeof lib);
 *     }
 *
 * stderr is one variable of the process: begin before any thread that
 * writes a workbook starts, end after every one has ended.  What other
 * code prints on stderr meanwhile is held back too, and passed on after a
 * success.
 */
typedef struct csp_workbook_hold {
    char *printed;       /**< what was printed meanwhile */
    size_t printed_len;
    FILE *held;          /**< the stream stderr points at meanwhile */
    FILE *saved;         /**< stderr before */
} csp_workbook_hold;

/** Hold stderr back.  CSP_ERR_NOMEM. */
csp_error csp_workbook_hold_begin(csp_workbook_hold *h) CSP_MUST_CHECK;

/**
 * Give stderr back once csp_workbook_write has returned @p err, and say how
 * the write went.  The last "[ERROR]" line libxlsxwriter printed, without
 * its tag, source location and function name (it gives the system's
 * reason, e.g. "No space left on device"), goes to @p lib ("" when none).
 * Such a line is a failure whatever the write returned: libxlsxwriter 1.1
 * prints "Memory allocation failed." where it leaves out a part it could
 * not allocate, and still reports success (CSP_ERR_NOMEM then, else
 * CSP_ERR_INTERNAL); so is being unable to hold the lines back.  After a
 * success what was printed is passed on to stderr.
 */
csp_error csp_workbook_hold_end(csp_workbook_hold *h, csp_error err,
                                char *lib, size_t size) CSP_MUST_CHECK;

/*
 * Helpers, public for the unit tests and for other writers that put the
 * same words in other places.
 */

/** Whether the parts of a workbook closed on this thread may be deflated
 *  on two threads (a helper deflates every other piece).  The bytes are
 *  the same either way.  csp_workbook_write sets it from
 *  csp_workbook_options.threads while it closes the workbook, and resets
 *  it; the tests of the zip layer set it themselves. */
void csp_workbook_deflate_on_two(bool on);

/**
 * The text to give libxlsxwriter for a cell that must show @p text exactly:
 * "_xHHHH_" sequences, which Excel would decode, are escaped as
 * "_x005F_xHHHH_"; when the result would pass @p limit characters (counted
 * as UTF-16 code units, the stricter of Excel's and libxlsxwriter's
 * counts), the text is cut at a character boundary and @p mark appended
 * so that the whole is within @p limit.  @p text must be valid UTF-8.
 * Returns a new string (caller frees) or NULL when memory ran out; sets
 * *truncated when it cut.
 */
char *csp_workbook_cell_text(const char *text, size_t limit, const char *mark,
                             bool *truncated);

/**
 * True when @p path holds a whole zip file: it ends with an
 * end-of-central-directory record (no comment) whose directory ends
 * where the record begins.  A workbook cut short by a full disk fails.
 */
bool csp_workbook_file_complete(const char *path);

/** Characters a text occupies on its longest line (UTF-8 aware), for
 *  column widths. */
size_t csp_workbook_text_width(const char *text);

/**
 * The name of part @p part (1-based) of a sheet: @p base for part 1,
 * "base (2)" after; always a valid sheet name of at most 31 characters.
 * @p buf must hold 128 bytes.
 */
void csp_workbook_sheet_name(const char *base, unsigned part, char buf[128]);

/**
 * An action status as the workbook shows it: a shape that survives
 * black-and-white printing, and the words: "● On track", "▲ At risk",
 * "✖ Off track", "✔ Complete", "○ Not started".
 */
const char *csp_workbook_status_label(csp_action_status st);

/**
 * The % change column's header for the two latest periods: "% change
 * (15 to 16)" from the 2-digit years of their ends; "% change" when
 * there are fewer than two.  @p buf must hold 64 bytes.
 */
void csp_workbook_change_header(const csp_period *periods, size_t nperiods,
                                char buf[64]);

#ifdef __cplusplus
}
#endif
#endif
