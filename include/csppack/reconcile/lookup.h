/*
 * Looking up a reconciled dataset: the figure for a key, and the exact
 * percentage change every output shows.  Part of what reconcile.h offers
 * (it includes this header); src/reconcile/lookup.c.
 */
#ifndef CSPPACK_RECONCILE_LOOKUP_H
#define CSPPACK_RECONCILE_LOOKUP_H

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"
#include "csppack/model/decimal.h"

/** The figure for a key, or NULL.  Any state; check fig->state. */
const csp_figure *csp_dataset_figure(const csp_dataset *ds,
                                     const char *indicator, const char *area,
                                     csp_period period);

/**
 * Percentage change from @p from to @p to, (to - from) / from × 100,
 * computed exactly and rounded half away from zero to @p decimals.
 * 7522 -> 8388 gives 11.5.
 * CSP_ERR_USAGE when @p from is zero, CSP_ERR_LIMIT on overflow.
 */
csp_error csp_dataset_percent_change(csp_decimal from, csp_decimal to,
                                     unsigned decimals,
                                     csp_decimal *out) CSP_MUST_CHECK;

#endif
