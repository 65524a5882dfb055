/*
 * The previous pack, as csppack holds it to say what changed since: the
 * figures that stood in it and the status of each action-plan item, read
 * back from its dataset.xml (read/previous.h reads it;
 * doc/reconciliation.md, "What changed since the last pack").
 *
 * Ownership: a csp_previous owns everything reachable from it except the
 * ids, which are the template's own strings (ids the template does not
 * declare are skipped on reading).
 */
#ifndef CSPPACK_MODEL_PREVIOUS_H
#define CSPPACK_MODEL_PREVIOUS_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/model/submission.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One figure that stood (or was disputed) in the previous pack. */
typedef struct csp_prev_figure {
    const char *indicator;     /**< the template's id string */
    const char *area;          /**< the template's area id or "all" */
    csp_period period;
    bool has_value;            /**< false: missing or disputed there */
    csp_decimal value;
    bool disputed;             /**< state="disputed" */
    csp_obs_status status;     /**< when not disputed */
    char *agency;              /**< the standing agency; may be NULL */
} csp_prev_figure;

/** One action-plan item's status in the previous pack. */
typedef struct csp_prev_action {
    const char *ref;           /**< the template's ref string */
    bool has_status;           /**< false: nobody had updated it */
    csp_action_status status;
    csp_date as_of;            /**< when has_status */
} csp_prev_action;

/** The previous pack. */
typedef struct csp_previous {
    char *path;                /**< the dataset.xml read */
    bool has_period;           /**< it names its board pack's period */
    csp_period period;
    bool has_latest;           /**< it names its latest submission */
    csp_instant latest_submitted;
    csp_prev_figure *figures;  /**< sorted by indicator id, area id (byte
                                    order), period: as csp_dataset */
    size_t nfigures;
    csp_prev_action *actions;  /**< in template order */
    size_t nactions;
} csp_previous;

/** Free @p p and what it owns (NULL is fine). */
void csp_previous_free(csp_previous *p);

#ifdef __cplusplus
}
#endif

#endif
