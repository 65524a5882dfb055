/*
 * The PDF report, laid out like the published strategy.
 *
 * Two kinds from the same reconciled dataset:
 *
 *   CSP_REPORT_STRATEGY  the yearly archival document: cover, contents,
 *                        foreword, introduction, Our Partnership, key
 *                        findings, priorities, policy drivers, delivering
 *                        the strategy, partnership structure, one section
 *                        per theme, the action plan, data quality and key
 *                        contacts;
 *   CSP_REPORT_BOARD     the quarterly board pack: cover with contents,
 *                        key findings, a measures dashboard per theme,
 *                        action-plan status, data quality; no long
 *                        narrative.
 *
 * A4 portrait, DejaVu Sans embedded (see layout.h), bookmarks for every
 * section, "Page N of M", document information (author = the
 * partnership, creator "csppack", creation date csp_pack_timestamp).
 * The same dataset gives the same bytes.  doc/report.md describes both.
 *
 *     csp_why why;
 *     err = csp_report_render(ds, CSP_REPORT_BOARD, NULL, f, &why);
 *
 * Writing the file all or nothing is the caller's (src/pack).
 */
#ifndef CSPPACK_REPORT_H
#define CSPPACK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/model/date.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which document. */
typedef enum csp_report_kind {
    CSP_REPORT_BOARD = 0, /**< the quarterly board pack (default) */
    CSP_REPORT_STRATEGY   /**< the yearly archival strategy document */
} csp_report_kind;

/** "board", "strategy". */
const char *csp_report_kind_str(csp_report_kind kind);

/** Parse "board" or "strategy"; false when it is neither. */
bool csp_report_kind_parse(const char *s, csp_report_kind *out);

/**
 * Errors and warnings the Data quality section lists one by one, in the
 * dataset's order; beyond them it gives their number.  Every diagnostic
 * is counted there by code and by agency, and listed in full in
 * discrepancies.csv, the workbook and dataset.xml.  A bound, because at
 * county scale there are hundreds of thousands of diagnostics: a board
 * cannot read them, and libharu cannot write a document of more than
 * 32,767 pages (doc/report.md, "Data quality").
 */
#define CSP_REPORT_LISTED_MAX 200

/**
 * Files "Submissions received" lists one by one: every file with a
 * problem (refused, partly refused, a duplicate) up to this many, and
 * the files accepted whole up to this many, in the dataset's order; the
 * rest are counted in one sentence.  Every file, with its SHA-256, is on
 * the workbook's Submissions sheet and in dataset.xml.  At 1 GiB of
 * submissions (14,322 files) the full list was 950 pages, and the largest
 * part of the report's memory (doc/report.md, "Data quality").
 */
#define CSP_REPORT_FILES_LISTED_MAX 500

/** Data quality names the entries of the folders named that were not
 *  read (skipped, with why) up to this many, in one paragraph after the
 *  submissions; the rest are counted (every one is on the workbook's
 *  Submissions sheet and in discrepancies.csv). */
#define CSP_REPORT_SKIPPED_LISTED_MAX 50

/** Choices a caller may make; NULL options mean all defaults. */
typedef struct csp_report_options {
    /** TrueType fonts; NULL: found through fontconfig (layout.h). */
    const char *font_regular;
    const char *font_bold;
    /** The period the document is about, instead of the default (the
     *  latest quarter with a standing figure for the board pack, the
     *  latest key-findings year for the strategy document): the cover and
     *  the title name it, and each measure shows its latest figure for a
     *  period that ends by the end of it. */
    bool has_period;
    csp_period period;
    /** Protective marking for the header and footer of every page
     *  (--marking); NULL: the template's (tpl->marking), if any. */
    const char *marking;
    /** When non-NULL, *doc receives the report's content as a document
     *  (write/doc.h) for its HTML version, recorded while it is laid
     *  out; the caller frees it with csp_doc_free.  NULL on failure. */
    csp_doc **doc;
    /** Write the PDF as PDF/A-2b, for archiving (report --archive; build
     *  always archives the strategy report). */
    bool archive;
    /** The file name of the accessible HTML version, which the PDF names
     *  (e.g. "strategy-report.html"); NULL: none is mentioned. */
    const char *html_name;
} csp_report_options;

/**
 * Lay out the report of @p ds (reconciled) and write the PDF bytes to
 * @p out (not closed; the caller checks fflush/fclose).  On failure
 * @p why (may be NULL) gets one sentence.  CSP_ERR_USAGE when @p ds is
 * not reconciled; CSP_ERR_IO when no font can be loaded or writing fails;
 * CSP_ERR_NOMEM; CSP_ERR_INTERNAL when libharu fails.
 */
csp_error csp_report_render(const csp_dataset *ds, csp_report_kind kind,
                            const csp_report_options *opt, FILE *out,
                            csp_why *why) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
