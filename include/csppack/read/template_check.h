/*
 * Internal to the template reader: the whole-template checks, made once
 * every id is declared (src/read/template_check.c), and the labels they
 * let the reader fill in.
 */
#ifndef CSPPACK_READ_TEMPLATE_CHECK_H
#define CSPPACK_READ_TEMPLATE_CHECK_H

#include "csppack/base/error.h"
#include "csppack/read/template_reader.h"

/**
 * Duplicate ids (E301; each kind's declarations end sorted), references
 * to undeclared ids (E302; the others are resolved into their slots),
 * rule units (E304), rule cycles (E303) and theme numbering (E305).
 * Every problem is diagnosed, not just the first; the result is for
 * failures of the run (memory).
 */
csp_error csp_tpl_check(csp_tpl_reader *r) CSP_MUST_CHECK;

/** Fill in the action-plan labels the template did not print itself
 *  (after a check that found no error). */
csp_error csp_tpl_fill_labels(csp_tpl_reader *r) CSP_MUST_CHECK;

#endif
