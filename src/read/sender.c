/* csppack: who sent a submission by mail (read/sender.h).
 * Placeholder until the sender checks land: checks nothing. */
#include "csppack/read/sender.h"

csp_error csp_sender_check(const csp_template *tpl,
                           const csp_read_options *opt,
                           csp_submission *sub, csp_diag_list *diags)
{
    (void)tpl;
    (void)opt;
    (void)sub;
    (void)diags;
    return CSP_OK;
}
