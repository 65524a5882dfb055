/*
 * Judgement of a measure's figure: its direction of travel against the
 * comparator the template names, and its RAG rating against the
 * template's target, with the template's thresholds.  The rules are in
 * doc/reconciliation.md, "Judgement"; the template's words for them in
 * doc/template-format.md, "Judgement".
 *
 * Exact: every comparison is made on exact ratios; only the figures
 * handed out for printing (change, percent, target) are rounded.
 */
#ifndef CSPPACK_RECONCILE_JUDGE_H
#define CSPPACK_RECONCILE_JUDGE_H

#include <stdbool.h>

#include "csppack/model/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Direction of travel of a figure against its comparator. */
typedef enum csp_direction {
    CSP_DIR_NONE = 0,  /**< no comparator figure (or no figure) */
    CSP_DIR_BETTER,    /**< moved the way the template says is better */
    CSP_DIR_WORSE,     /**< moved the other way */
    CSP_DIR_SAME,      /**< no real change (within the threshold) */
    CSP_DIR_UP,        /**< polarity neither: went up */
    CSP_DIR_DOWN       /**< polarity neither: went down */
} csp_direction;

/** RAG rating of a figure against its target. */
typedef enum csp_rating {
    CSP_RATING_GREY = 0, /**< no target, no figure, or polarity neither */
    CSP_RATING_GREEN,    /**< on or better than target */
    CSP_RATING_AMBER,    /**< worse, within amber_within per cent of it */
    CSP_RATING_RED       /**< worse beyond that */
} csp_rating;

/** The judgement of one figure. */
typedef struct csp_judgement {
    csp_period comparator_period;   /**< the period compared with (set
                                         even when no figure stands) */
    const csp_figure *comparator;   /**< the comparator's figure when one
                                         stands with a value; else NULL */
    bool has_change;                /**< figure and comparator have values */
    csp_decimal change;             /**< value minus comparator, exact */
    bool has_percent;               /**< comparator is not zero */
    csp_decimal percent;            /**< change in per cent of the
                                         comparator, rounded half away
                                         from zero to 1 decimal */
    csp_direction direction;
    bool has_target;                /**< a target applies and is known */
    csp_decimal target;             /**< rounded to the indicator's
                                         decimals (a change target is
                                         worked out on its base) */
    csp_rating rating;
} csp_judgement;

/**
 * Judge @p fig, a figure of @p ds (reconciled), by its indicator's rules.
 * Never fails: what cannot be judged is CSP_DIR_NONE / CSP_RATING_GREY.
 */
void csp_judge_figure(const csp_dataset *ds, const csp_figure *fig,
                      csp_judgement *out);

/** The comparator period of @p period for @p ind (year-ago, previous or
 *  baseline); false when there is none (a baseline comparator without a
 *  baseline). */
bool csp_judge_comparator_period(const csp_indicator *ind, csp_period period,
                                 csp_period *out);

/** "better", "worse", "no real change", "up", "down"; "" for NONE. */
const char *csp_direction_str(csp_direction d);
/** "green", "amber", "red", "grey". */
const char *csp_rating_str(csp_rating r);

#ifdef __cplusplus
}
#endif

#endif
