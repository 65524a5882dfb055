/*
 * Reading partner submissions (namespace urn:csppack:submission:1), as
 * doc/submission-format.md defines them, into the model's csp_submission
 * (model/submission.h): streaming, each figure and update checked against
 * the template.
 */
#ifndef CSPPACK_READ_SUBMISSION_H
#define CSPPACK_READ_SUBMISSION_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"
#include "csppack/model/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Read @p path against @p tpl.  Every problem is appended to @p diags.
 * A whole-file refusal still yields a submission with refused set (so it
 * is never lost); *out is NULL only on CSP_ERR_NOMEM.  Caller owns *out.
 */
csp_error csp_submission_read(const char *path, const csp_template *tpl,
                              const csp_read_options *opt,
                              csp_submission **out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/** The same from an input already loaded. */
csp_error csp_submission_parse(const csp_input *in, const csp_template *tpl,
                               const csp_read_options *opt,
                               csp_submission **out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/* Reading many files at once, bare or mail: read/inbox.h. */

#ifdef __cplusplus
}
#endif
#endif
