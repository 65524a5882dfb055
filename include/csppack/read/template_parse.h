/*
 * Internal to the template reader: the validated DOM of a template turned
 * into the model (src/read/template_parse.c): narrative, themes and their
 * actions, key findings, foreword and key contacts, and through
 * template_decls.h the declarations.
 */
#ifndef CSPPACK_READ_TEMPLATE_PARSE_H
#define CSPPACK_READ_TEMPLATE_PARSE_H

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/read/template_reader.h"

/**
 * Read the root <strategy> element @p root and everything under it into
 * r->tpl, declaring every id and recording every reference on the way,
 * with the checks that need one element only (E305 values).  Problems
 * are diagnosed; the result is for failures of the run (memory).
 */
csp_error csp_tpl_read_strategy(csp_tpl_reader *r,
                                xmlNodePtr root) CSP_MUST_CHECK;

#endif
