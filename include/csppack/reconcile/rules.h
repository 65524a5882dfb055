/*
 * Internal to the reconcile layer: the template's rules (sum, rate per
 * 1,000, share) and the checks of the totals (quarters, areas): the part
 * that changes with a new strategy.
 */
#ifndef CSPPACK_RECONCILE_RULES_H
#define CSPPACK_RECONCILE_RULES_H

#include <stdint.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"
#include "csppack/model/decimal.h"

/** Template rules in dependency order (the template has no cycles). */
csp_error csp_rules_apply(csp_dataset *ds);

/** Quarters and areas checks over every submitted count that stands. */
csp_error csp_rules_check_totals(csp_dataset *ds);

/** Fill each evaluated rule's input indexes, once the figures are in
 *  their last order.  CSP_ERR_NOMEM. */
csp_error csp_rules_link_inputs(csp_dataset *ds);

/** A rate's multiplier as messages print it: "1,000", "100,000". */
void csp_rules_per_text(int64_t per, char buf[32]);

/** csp_dataset_percent_change. */
csp_error csp_rules_percent_change(csp_decimal from, csp_decimal to,
                                   unsigned decimals, csp_decimal *out);

#endif
