/*
 * One output file, written all or nothing: `csppack report` writes the
 * PDF (or its HTML version) so, `csppack workbook` the workbook.
 *
 * The file is written into a private folder, .csppack-tmp-XXXXXX, made
 * inside the folder of PATH (csp_outdir_new_files, outdir.h), flushed,
 * synced, and renamed over PATH only when it is complete.  A failure, or
 * SIGINT, SIGTERM or SIGHUP before the rename (with
 * CSP_PACK_CATCH_SIGNALS), leaves PATH as it was and removes the private
 * folder; the rename itself is one step.  Nothing else in the folder is
 * touched.  Runs that write into the same folder take turns (the lock of
 * outdir.h), and a run removes the private folders killed runs left
 * there.
 *
 *     csp_why why;
 *     err = csp_pack_write_report(ds, CSP_REPORT_BOARD, NULL, "board.pdf",
 *                                 CSP_PACK_CATCH_SIGNALS, &why);
 *     if (err) fprintf(stderr, "cannot write board.pdf: %s\n",
 *                      csp_why_text(&why, err));
 */
#ifndef CSPPACK_SINGLE_H
#define CSPPACK_SINGLE_H

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/pdf/report.h"
#include "csppack/write/workbook/workbook.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How a single file is written, to combine with |. */
enum csp_pack_file_flag {
    /** Let SIGINT, SIGTERM and SIGHUP remove the unfinished file
     *  (csp_outdir_catch_signals); for programs, not libraries, to ask
     *  for. */
    CSP_PACK_CATCH_SIGNALS = 1
};

/**
 * Write the PDF report of @p ds (reconciled) of @p kind (csp_report_render
 * with @p ropt, which may be NULL) to @p path, all or nothing; when
 * @p path ends in ".html", its accessible HTML version instead
 * (write/html/html.h), from the content the PDF records as it is laid
 * out (the PDF itself is discarded).  The folder
 * of @p path is created when it does not exist (its parent must).  On
 * failure @p why (may be NULL) says why in one sentence.  CSP_ERR_USAGE
 * when @p path names no file; CSP_ERR_IO, CSP_ERR_NOMEM, CSP_ERR_INTERNAL.
 */
csp_error csp_pack_write_report(const csp_dataset *ds, csp_report_kind kind,
                                const csp_report_options *ropt,
                                const char *path, unsigned flags,
                                csp_why *why) CSP_MUST_CHECK;

/**
 * Write the workbook of @p ds (reconciled) to @p path, all or nothing
 * (csp_workbook_write with @p wopt, which may be NULL; @p res, which may
 * be NULL, says what was written).  libxlsxwriter's own "[ERROR]" lines
 * are held back while it works (csp_workbook_hold) and folded into @p why
 * as "... (libxlsxwriter: REASON)".  Refused before anything is written,
 * with @p why the system's reason or "it is a folder", when the folder of
 * @p path does not exist or @p path is a folder.  CSP_ERR_USAGE when
 * @p path names no file; CSP_ERR_IO, CSP_ERR_NOMEM, CSP_ERR_INTERNAL.
 */
csp_error csp_pack_write_workbook(const csp_dataset *ds, const char *path,
                                  const csp_workbook_options *wopt,
                                  csp_workbook_result *res, unsigned flags,
                                  csp_why *why) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
