/*
 * Returns outstanding (the chase list): for a period, what each agency
 * owes under the template (the figures of the indicators and areas it
 * owns, by each indicator's frequency, and an update for each action its
 * delivery groups coordinate) and has not sent.  The rules are in
 * doc/reconciliation.md, "Returns outstanding".
 */
#ifndef CSPPACK_RECONCILE_RETURNS_H
#define CSPPACK_RECONCILE_RETURNS_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One figure owed and not received. */
typedef struct csp_owed_figure {
    const csp_indicator *indicator; /**< borrowed from the template */
    const char *area;               /**< an area id or "all" (template's) */
    csp_period period;              /**< the period owed */
    bool sent_missing;              /**< the agency sent it as "missing" */
} csp_owed_figure;

/** One action owed an update and not updated for the period. */
typedef struct csp_owed_action {
    const csp_action *action;       /**< borrowed from the template */
} csp_owed_action;

/** What one agency owes for the period. */
typedef struct csp_agency_returns {
    const csp_agency *agency;       /**< borrowed from the template */
    bool sent_nothing;              /**< no file of the dataset names
                                         this agency (a file refused whole
                                         but naming it counts as sent) */
    size_t figures_due;             /**< figures owed in all */
    size_t actions_due;             /**< action updates owed in all */
    csp_owed_figure *figures;       /**< owed and not received: in
                                         template order of indicators,
                                         then area order */
    size_t nfigures;
    csp_owed_action *actions;       /**< in template order */
    size_t nactions;
} csp_agency_returns;

/** The chase list of a period. */
typedef struct csp_returns {
    csp_period period;
    csp_agency_returns *agencies;   /**< every agency that owes anything,
                                         in template order */
    size_t nagencies;
    size_t outstanding;             /**< agencies with something not
                                         received */
} csp_returns;

/**
 * Work out the chase list of @p ds (reconciled) for @p period (a
 * quarter: the board pack's).  Free with csp_returns_free.
 * CSP_ERR_NOMEM.
 */
csp_error csp_returns_compute(const csp_dataset *ds, csp_period period,
                              csp_returns *out) CSP_MUST_CHECK;

/**
 * Whether @p agency owes a figure of @p ind for @p area ("all"
 * included), whatever the indicator's rule and frequency: it is the
 * owner there; the partnership's figure only where an <owner
 * area="all"> names it; never a total worked out from the areas inside
 * (totals="derived").  The chase list and the blank both ask this.
 */
bool csp_returns_owes(const csp_template *tpl, const csp_indicator *ind,
                      const char *area, const char *agency);

/** The agency's entry of @p r, or NULL when it owes nothing. */
const csp_agency_returns *csp_returns_agency(const csp_returns *r,
                                             const char *agency);

/** Free what @p r holds (NULL is fine). */
void csp_returns_free(csp_returns *r);

#ifdef __cplusplus
}
#endif

#endif
