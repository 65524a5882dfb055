/*
 * Submission skeletons: what a partner fills in and emails back.
 */
#ifndef CSPPACK_BLANK_H
#define CSPPACK_BLANK_H

#include <stdio.h>

#include "csppack/model/date.h"
#include "csppack/base/error.h"
#include "csppack/read/template.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write a valid submission skeleton for @p agency and @p period to @p out:
 * every indicator the agency owns that partners report (not those the
 * template computes), for each area it owns, as a status="missing"
 * placeholder with the indicator's name in a comment; and, commented out
 * so that nothing untrue is submitted by accident, an update for every
 * action item coordinated by a delivery group the agency belongs to.
 * CSP_ERR_USAGE when the agency is not declared; CSP_ERR_IO when writing
 * failed.
 */
csp_error csp_blank_write(const csp_template *tpl, const char *agency,
                          csp_period period, FILE *out) CSP_MUST_CHECK;

/**
 * The reporting quarter (April–March year) that ended last before
 * @p today: the default period of a skeleton.
 */
csp_period csp_blank_default_period(csp_date today);

#ifdef __cplusplus
}
#endif
#endif
