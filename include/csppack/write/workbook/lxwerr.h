/*
 * libxlsxwriter's own lines on stderr ("[ERROR] ..."), held back while a
 * workbook is written, so that a failure gives one error line of ours
 * with the library's reason folded in.  libxlsxwriter has no API that
 * returns its reasons (the system's errno text, a part it could not
 * allocate): it prints them.  Where the C library lets stderr be
 * assigned (glibc) the stream points at memory meanwhile; elsewhere the
 * lines go through.
 *
 *     csp_workbook_hold h;
 *     csp_why why = {{0}};
 *     if ((err = csp_workbook_hold_begin(&h)) == CSP_OK) {
 *         err = csp_workbook_write(ds, path, opt, &res, &why);
 *         err = csp_workbook_hold_end(&h, err, &why);
 *     }
 *     ... csp_why_text(&why, err): the reason, the library's folded in
 *
 * stderr is one variable of the process: begin before any thread that
 * writes a workbook starts, end after every one has ended.  What other
 * code prints on stderr meanwhile is held back too, and passed on after a
 * success.
 */
#ifndef CSPPACK_WRITE_WORKBOOK_LXWERR_H
#define CSPPACK_WRITE_WORKBOOK_LXWERR_H

#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"

/** stderr held back. */
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
 * reason, e.g. "No space left on device"), is folded into @p why, the
 * write's reason: it becomes "REASON (libxlsxwriter: LINE)", REASON
 * being csp_why_text(why, the outcome); @p why is left as it is when
 * there is no such line, and may be NULL.  Such a line is a failure
 * whatever the write returned: libxlsxwriter 1.1 prints "Memory
 * allocation failed." where it leaves out a part it could not allocate,
 * and still reports success (CSP_ERR_NOMEM then, else CSP_ERR_INTERNAL);
 * so is being unable to hold the lines back.  After a success what was
 * printed is passed on to stderr.
 */
csp_error csp_workbook_hold_end(csp_workbook_hold *h, csp_error err,
                                csp_why *why) CSP_MUST_CHECK;

#endif
