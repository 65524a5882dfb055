/*
 * Validation of what the user names: submissions, templates and datasets,
 * each judged by its root element, every problem as a diagnostic.
 */
#ifndef CSPPACK_VALIDATE_H
#define CSPPACK_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/model/diag.h"
#include "csppack/base/error.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What validation found in one file. */
typedef struct csp_validated {
    char *path;
    csp_doc_kind kind;
    bool refused;           /**< the whole file was refused */
    size_t figures;         /**< accepted obs */
    size_t updates;         /**< accepted updates */
    size_t refused_items;   /**< obs and updates refused */
    size_t problems;        /**< error diagnostics about this file */
    char *container;        /**< the mail file it came in (display form),
                                 or NULL for a bare file */
    bool none;              /**< a mail file that held no submission
                                 (path is the mail file; its diagnostics,
                                 W501, I502, E503, E504, say why) */
} csp_validated;

/** Results for every file, in the order read: one per submission (a
 *  mail file gives one per XML attachment, or one with none set). */
typedef struct csp_validation {
    csp_validated *files;
    size_t count;
} csp_validation;

/**
 * A further check of each submission that validation accepts (not
 * refused, with figures), such as the checks build makes of one file
 * alone (cmd_validate.c).  Called on the thread that read it: it takes
 * @p sub (and frees it, whatever it returns) and appends what it finds to
 * @p diags, the diagnostics of that file.  A result other than CSP_OK
 * stops the run.
 */
typedef struct csp_validate_check {
    csp_error (*check)(void *ctx, csp_submission *sub, csp_diag_list *diags);
    void *ctx;              /**< shared by every thread: read only */
} csp_validate_check;

/**
 * Validate every file named by @p paths (folders expand to their .xml
 * and mail files) against @p tpl, on opt->threads threads, with the
 * further @p check of each submission (NULL: none).  Diagnostics go to
 * @p diags, file by file in the order of out->files, whatever the number
 * of threads.  Caller frees @p out with csp_validation_free.
 */
csp_error csp_validate_paths(const char *const *paths, size_t n,
                             const csp_template *tpl,
                             const csp_read_options *opt,
                             const csp_validate_check *check,
                             csp_validation *out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/** True when every file and item was accepted. */
bool csp_validation_ok(const csp_validation *v);

/** One summary line for @p f, e.g. "x.xml: valid: 24 figures, 6 updates". */
void csp_validated_print(FILE *out, const csp_validated *f);

/** Free the results. */
void csp_validation_free(csp_validation *v);

#ifdef __cplusplus
}
#endif
#endif
