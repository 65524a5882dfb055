/*
 * Submission skeletons: what a partner fills in and emails back.
 */
#ifndef CSPPACK_BLANK_H
#define CSPPACK_BLANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/model/date.h"
#include "csppack/base/error.h"
#include "csppack/read/template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What a skeleton offers, for the listing of blank --all. */
typedef struct csp_blank_counts {
    size_t figures;  /**< status="missing" placeholders it owes */
    size_t optional; /**< optional figures, to fill in or delete */
    size_t updates;  /**< action updates, to fill in or delete */
} csp_blank_counts;

/**
 * Write a valid submission skeleton for @p agency and @p period to @p out:
 * every (indicator, area) the agency owns, "all" included, for the
 * indicators partners report (not those the template computes), as a
 * status="missing" placeholder with the indicator's name in a comment;
 * then, as optional figures (CSP_PH_OPTIONAL), every area and "all" of
 * each indicator nobody owns; and an update for every action item
 * coordinated by a delivery group the agency belongs to, its status and
 * text placeholders (CSP_PH_ACTION_STATUS, CSP_PH_PROGRESS) that the
 * reader does not take as an update (W601), so that nothing untrue is
 * submitted by accident.  Everything is filled in by editing attribute
 * values and text, never comment marks.  Its instructions show the
 * command that checks it: "csppack validate FILE", or with
 * @p template_shown (the template's path as the coordinator named or
 * found it; NULL for the built-in template) "csppack validate --template
 * PATH FILE", each quoted for the shell when it needs to be; @p file is
 * FILE (NULL: the word FILE).  @p counts (may be NULL) gets what it
 * offers.  CSP_ERR_USAGE when the agency is not declared; CSP_ERR_IO when
 * writing failed.
 */
csp_error csp_blank_write(const csp_template *tpl, const char *agency,
                          csp_period period, const char *template_shown,
                          const char *file, FILE *out,
                          csp_blank_counts *counts) CSP_MUST_CHECK;

/**
 * The default period of a skeleton: the latest calendar quarter
 * (January-March, April-June...) ending on or before @p today, but not
 * after the strategy's last quarter nor before its first
 * (csp_template_period).
 */
csp_period csp_blank_default_period(const csp_template *tpl, csp_date today);

/**
 * The name blank --all gives @p agency's skeleton for @p period:
 * "AGENCY-START-END.xml" (dates as YYYY-MM-DD), written into @p buf of
 * @p size bytes; false when it does not fit.
 */
bool csp_blank_file_name(const char *agency, csp_period period, char *buf,
                         size_t size);

#ifdef __cplusplus
}
#endif
#endif
