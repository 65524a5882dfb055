/*
 * Who sent a submission that came by mail (doc/mail.md, "Who sent it"):
 * the sender's domain against its agency's email domains in the template,
 * and what the receiving server wrote in Authentication-Results.  Nothing
 * is verified cryptographically: csppack works offline.
 */
#ifndef CSPPACK_READ_SENDER_H
#define CSPPACK_READ_SENDER_H

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"
#include "csppack/model/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check the sender of @p sub, just read against @p tpl.  Nothing to do
 * for a bare file (sub->mail NULL) or one refused whole.  When the
 * agency lists email domains and neither the From address nor a
 * forwarded message's From is in one of them: W505 naming both, or with
 * opt->strict_senders E506, and then @p sub is refused whole (its items
 * dropped).  An Authentication-Results header reporting dkim=fail or
 * spf=fail (or softfail, permerror) gives W507.  Diagnostics are
 * appended to @p diags, on sub->path at the <submission> line.
 * CSP_ERR_NOMEM only when memory ran out.
 */
csp_error csp_sender_check(const csp_template *tpl,
                           const csp_read_options *opt,
                           csp_submission *sub, csp_diag_list *diags)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
