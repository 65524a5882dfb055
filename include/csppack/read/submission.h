/*
 * Partner submissions (namespace urn:csppack:submission:1), as
 * spec/submission-format.md defines them, read into memory.
 *
 * Ownership: a csp_submission owns all its strings and arrays, except
 * the ids of its figures and updates (indicator, area, ref): those are
 * the template's own strings, of the template the file was read against,
 * which must outlive the items.
 */
#ifndef CSPPACK_SUBMISSION_H
#define CSPPACK_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/model/diag.h"
#include "csppack/base/error.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The status of one figure. */
typedef enum csp_obs_status {
    CSP_OBS_FINAL,
    CSP_OBS_PROVISIONAL,
    CSP_OBS_ESTIMATED,
    CSP_OBS_MISSING,
    CSP_OBS_WITHDRAWN
} csp_obs_status;

/** The status of an action-plan item, in order of severity (least first). */
typedef enum csp_action_status {
    CSP_ACT_COMPLETE,
    CSP_ACT_NOT_STARTED,
    CSP_ACT_ON_TRACK,
    CSP_ACT_AT_RISK,
    CSP_ACT_OFF_TRACK
} csp_action_status;

/** csp_obs.area_index of a figure for the partnership as a whole. */
#define CSP_OBS_AREA_ALL UINT32_MAX

/** One accepted figure. */
typedef struct csp_obs {
    const char *indicator;      /**< the template's own id string */
    const char *area;           /**< the template's area id, or CSP_AREA_ALL */
    csp_period period;
    bool has_value;             /**< false for missing and withdrawn */
    csp_decimal value;
    csp_obs_status status;
    uint32_t indicator_index;   /**< of indicator in the template */
    uint32_t area_index;        /**< of area there, or CSP_OBS_AREA_ALL */
    char *note;                 /**< may be NULL; whitespace collapsed */
    unsigned long line;
} csp_obs;

/** One accepted progress update. */
typedef struct csp_update {
    const char *ref;            /**< the template action's own ref string */
    csp_action_status status;
    csp_date as_of;
    char *progress;             /**< paragraphs separated by "\n\n" */
    unsigned long line;
} csp_update;

/** A submission file that was read. */
typedef struct csp_submission {
    char *path;                 /**< as the user named it */
    char sha256[CSP_SHA256_HEX];
    size_t size;
    bool refused;               /**< the whole file was refused */
    /** When refused by csp_submission_read: what its root element says
     *  it is (CSP_DOC_DATASET for a pack's dataset.xml, CSP_DOC_STRATEGY
     *  for a template; CSP_DOC_SUBMISSION otherwise). */
    csp_doc_kind kind;
    /* The rest is meaningful only when !refused. */
    char *strategy;
    char *agency;
    csp_instant submitted;
    unsigned long header_line;  /**< of the <submission> element, which
                                     holds submitted= (where its start tag
                                     ends) */
    char *submitter_name;
    char *submitter_email;
    char *submitter_phone;      /**< may be NULL */
    char *comment;              /**< may be NULL */
    csp_obs *obs;               size_t nobs;
    csp_update *updates;        size_t nupdates;
    size_t refused_items;       /**< obs + updates refused */
} csp_submission;

/**
 * Read @p path against @p tpl.  Every problem is appended to @p diags.
 * A whole-file refusal still yields a submission with refused set (so it
 * is never lost); *out is NULL only on CSP_ERR_NOMEM.  Caller owns *out.
 */
csp_error csp_submission_read(const char *path, const csp_template *tpl,
                              const csp_read_options *opt,
                              csp_submission **out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/** The same from an input already loaded. */
csp_error csp_submission_parse(const csp_input *in, const csp_template *tpl,
                               const csp_read_options *opt,
                               csp_submission **out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/** Free every obs and update (and what they own), keeping the rest:
 *  nobs and nupdates become 0.  Strings taken out of an item beforehand
 *  (set to NULL there) are not freed.  NULL is fine. */
void csp_submission_release_items(csp_submission *sub);

/** Free a submission (NULL is fine). */
void csp_submission_free(csp_submission *sub);

/** What csp_submission_read_all does with each file it has read. */
typedef struct csp_submission_sink {
    /**
     * Optional: file @p index (of @p path) is the next to be handed over;
     * it may be being read already.  For progress lines.
     */
    void (*next)(void *ctx, size_t index, const char *path);
    /**
     * File @p index, read: takes @p sub (never NULL) whatever it returns.
     * @p diags holds the diagnostics of reading that file; move the ones
     * to keep (what is left is freed).  A result other than CSP_OK stops
     * the run, and csp_submission_read_all returns it.
     */
    csp_error (*take)(void *ctx, size_t index, csp_submission *sub,
                      csp_diag_list *diags);
    void *ctx;
} csp_submission_sink;

/**
 * Read the @p n files @p paths with csp_submission_read on opt->threads
 * threads, and hand each to @p sink on the calling thread, one at a time
 * and in the order of @p paths, so that the calls are the same whatever
 * the number of threads.  At most twice as many files as threads are read
 * ahead of the one handed over.  @p tpl is only read, by every thread.
 *
 * Returns CSP_OK; the first error of sink->take; CSP_ERR_NOMEM when
 * reading a file ran out of memory; or CSP_ERR_INTERNAL when a compiled-in
 * schema does not compile.  Then no more files are handed over and every
 * one read ahead is freed.
 */
csp_error csp_submission_read_all(const char *const *paths, size_t n,
                                  const csp_template *tpl,
                                  const csp_read_options *opt,
                                  const csp_submission_sink *sink)
    CSP_MUST_CHECK;

/** Names as written in the format ("provisional", "at-risk"...). */
const char *csp_obs_status_str(csp_obs_status st);
const char *csp_action_status_str(csp_action_status st);
/** Parse a status name; false when unknown. */
bool csp_obs_status_parse(const char *s, csp_obs_status *out);
bool csp_action_status_parse(const char *s, csp_action_status *out);

#ifdef __cplusplus
}
#endif
#endif
