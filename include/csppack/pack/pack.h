/*
 * The pack: every output of a run, written into one folder all or
 * nothing (outdir.h).  `csppack reconcile` writes the data part; `csppack
 * build` writes it all.
 *
 *     DIR/dataset.xml, dataset.xsd     the reconciled dataset and its schema
 *     DIR/observations.csv, discrepancies.csv, actions.csv
 *     DIR/receipts/<agency>.txt        one per agency that sent a file or
 *                                      owes something for the period
 *                                      (unknown.txt for files refused
 *                                      before their agency was known)
 *     DIR/receipts/<agency>.eml        each agency's receipt as a reply
 *                                      draft (not for unknown.txt)
 *     DIR/workbook.xlsx                the Excel workbook
 *     DIR/board-report.pdf             the quarterly board pack
 *     DIR/strategy-report.pdf          the yearly strategy document
 */
#ifndef CSPPACK_PACK_H
#define CSPPACK_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/pdf/report.h"
#include "csppack/write/workbook/workbook.h"

#ifdef __cplusplus
extern "C" {
#endif

/** File names inside the pack. */
#define CSP_PACK_DATASET "dataset.xml"
#define CSP_PACK_DATASET_XSD "dataset.xsd"
#define CSP_PACK_WORKBOOK "workbook.xlsx"
#define CSP_PACK_BOARD "board-report.pdf"
#define CSP_PACK_STRATEGY "strategy-report.pdf"
/** Their accessible HTML versions (write/html/html.h), written with them. */
#define CSP_PACK_BOARD_HTML "board-report.html"
#define CSP_PACK_STRATEGY_HTML "strategy-report.html"
#define CSP_PACK_RECEIPTS "receipts"

/** Parts of the pack, to combine with |. */
enum csp_pack_part {
    CSP_PACK_PART_DATA = 1,       /**< dataset, its XSD, CSVs, receipts */
    CSP_PACK_PART_WORKBOOK = 2,
    CSP_PACK_PART_BOARD = 4,
    CSP_PACK_PART_STRATEGY = 8,
    CSP_PACK_PART_ALL = 15
};

/** What to write and how. */
typedef struct csp_pack_options {
    unsigned parts;                        /**< csp_pack_part bits */
    bool catch_signals;                    /**< see csp_outdir_catch_signals */
    const csp_report_options *report;      /**< NULL: defaults */
    const csp_workbook_options *workbook;  /**< NULL: defaults */
    /** The chase list each agency's receipt ends with (returns.h), for
     *  the board pack's period; NULL: worked out here for report->period
     *  (with has_period) or the default period, when that is a quarter. */
    const csp_returns *returns;
    /** Threads: with more than one (0: one per processor), the workbook
     *  is written on a thread of its own beside the other parts; with 1
     *  everything is written in turn on the calling thread. */
    unsigned threads;
    /** Called before each output is written (its name), and with NULL
     *  before the commit; may be NULL. */
    void (*progress)(void *ctx, const char *name);
    void *progress_ctx;
    /** Called, with the pack folder, when another run holds the lock and
     *  this one waits for it (csp_outdir_on_wait); may be NULL. */
    void (*waiting)(void *ctx, const char *dir);
    void *waiting_ctx;
} csp_pack_options;

/** What was written, or why not. */
typedef struct csp_pack_result {
    size_t files;          /**< files written (receipts included) */
    size_t receipts;
    bool touched;          /**< DIR was reached (so "left as it was" applies) */
    size_t excerpted;      /**< progress statements the workbook's Action
                                history shows as an excerpt, past its
                                budget (csp_workbook_result.excerpted) */
    csp_why why;           /**< on failure: one sentence */
} csp_pack_result;

/**
 * Write the parts of the pack of @p ds (reconciled) into @p dir, all or
 * nothing: on any failure @p dir is left exactly as it was and res->why
 * says what failed.  CSP_ERR_IO, CSP_ERR_NOMEM,
 * CSP_ERR_INTERNAL.
 */
csp_error csp_pack_write(const csp_dataset *ds, const char *dir,
                         const csp_pack_options *opt, csp_pack_result *res)
    CSP_MUST_CHECK;

/**
 * The chase list (returns.h) of the board pack's period: @p report's
 * period when it has one (--period), else the dataset's default period;
 * worked out into @p out only when that period is a quarter (*has true),
 * else *has is false and @p out empty.  Free @p out with
 * csp_returns_free either way.  CSP_ERR_NOMEM.
 */
csp_error csp_pack_returns(const csp_dataset *ds,
                           const csp_report_options *report,
                           csp_returns *out, bool *has) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
