/*
 * Internal to the template reader: a template's <labels>, its own
 * wording for the headings and phrases the reports print
 * (src/read/template_labels.c; the keys are model/labels.h's).
 */
#ifndef CSPPACK_READ_TEMPLATE_LABELS_H
#define CSPPACK_READ_TEMPLATE_LABELS_H

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/read/template_reader.h"

/**
 * Read <labels> @p node into r->tpl->labels: each <label key> replaces
 * that key's default wording.  A key csppack does not print is E302, a
 * key given twice E301 (the first one stands).  The result is for
 * failures of the run (memory).
 */
csp_error csp_tpl_read_labels(csp_tpl_reader *r,
                              xmlNodePtr node) CSP_MUST_CHECK;

#endif
