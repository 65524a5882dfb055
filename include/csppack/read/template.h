/*
 * Reading a strategy template (namespace urn:csppack:strategy:1) into
 * the model's csp_template (model/template.h), with its consistency
 * checks.
 *
 * The format is documented in doc/template-format.md; its XSD is
 * templates/strategy.xsd.
 */
#ifndef CSPPACK_READ_TEMPLATE_H
#define CSPPACK_READ_TEMPLATE_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Read and check a template.  @p path NULL reads the template built
 * into the program.  Problems are appended to @p diags;
 * *out is set only when the template is usable (no error diagnostic).
 * Returns CSP_ERR_INVALID when it is not.  Caller owns *out.
 */
csp_error csp_template_read(const char *path, const csp_read_options *opt,
                            csp_template **out,
                            csp_diag_list *diags) CSP_MUST_CHECK;

/**
 * The same as csp_template_read for a template already in memory: the
 * @p size bytes at @p data (copied; the caller keeps them) go through the
 * same byte-level checks, limits and validation as a file.  @p name
 * stands for the file in diagnostics and becomes tpl->path.  Caller owns
 * *out.
 */
csp_error csp_template_read_memory(const char *name, const void *data,
                                   size_t size, const csp_read_options *opt,
                                   csp_template **out,
                                   csp_diag_list *diags) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
