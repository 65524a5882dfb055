/* csppack: looking up a reconciled dataset (lookup.h). */
#include "csppack/reconcile/lookup.h"

#include <stddef.h>

#include "csppack/reconcile/figures.h"
#include "csppack/reconcile/rules.h"

/* The figure for a key. */
const csp_figure *csp_dataset_figure(const csp_dataset *ds,
                                     const char *indicator, const char *area,
                                     csp_period period)
{
    size_t i;

    if (!ds || !indicator || !area)
        return NULL;
    i = csp_figures_find(ds, indicator, area, period);
    return i == CSP_NO_INDEX ? NULL : &ds->figures[i];
}

/* Percentage change, exact, rounded half away from 0. */
csp_error csp_dataset_percent_change(csp_decimal from, csp_decimal to,
                                     unsigned decimals, csp_decimal *out)
{
    return csp_rules_percent_change(from, to, decimals, out);
}
