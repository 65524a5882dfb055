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

#include "csppack/base/error.h"
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
    /* What the previous pack was itself compared with (its <revisions>),
     * so that a pack built again from the same files says what it said
     * (csp_previous_rewind): */
    char **inputs;             /**< the SHA-256 of every file it read,
                                    sorted, without repeats */
    size_t ninputs;
    bool compared;             /**< it was compared with a pack before it */
    bool compared_has_period;  /**< and that pack named its period: */
    csp_period compared_period;
    csp_prev_figure *was;      /**< its revisions: what stood before it */
    size_t nwas;
    csp_prev_action *was_actions; /**< its status changes: the statuses
                                       before it */
    size_t nwas_actions;
} csp_previous;

/** qsort order of previous figures: indicator id, area id (byte order),
 *  period, as csp_dataset's figures. */
int csp_prev_figure_cmp(const void *a, const void *b);

/**
 * Turn @p p, a pack built from the same files as the run now, into the
 * pack it was compared with: its revised figures and changed statuses
 * back to what they were before it, and that pack's period.  So building
 * a pack again lists the same revisions instead of none.  Sets
 * *compared false when @p p was compared with nothing (then the run is
 * compared with nothing either).  CSP_ERR_NOMEM.
 */
csp_error csp_previous_rewind(csp_previous *p, bool *compared) CSP_MUST_CHECK;

/** Free what @p p owns and empty it, keeping @p p (NULL is fine). */
void csp_previous_clear(csp_previous *p);

/** Free @p p and what it owns (NULL is fine). */
void csp_previous_free(csp_previous *p);

#ifdef __cplusplus
}
#endif

#endif
