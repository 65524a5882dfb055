/*
 * Read the previous pack's dataset.xml back (doc/dataset-format.md), for
 * what changed since it.  Read as safely as a submission: no network, no
 * entities, bounded; validated against the dataset schema.
 */
#ifndef CSPPACK_READ_PREVIOUS_H
#define CSPPACK_READ_PREVIOUS_H

#include "csppack/base/error.h"
#include "csppack/model/previous.h"
#include "csppack/model/template.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Read @p path, a dataset.xml csppack wrote for the strategy of @p tpl,
 * into @p out (free with csp_previous_free).  CSP_ERR_IO when it cannot
 * be read, CSP_ERR_INVALID when it is not such a dataset (another strategy,
 * not valid): @p why says which, as one sentence a coordinator can act
 * on; CSP_ERR_NOMEM.
 */
csp_error csp_previous_read(const char *path, const csp_template *tpl,
                            csp_previous *out, csp_why *why) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif
