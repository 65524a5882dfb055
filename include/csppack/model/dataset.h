/*
 * The dataset: what many partner submissions become once reconciled (the
 * model every writer reads).  The reconcile layer fills it
 * (csppack/reconcile/reconcile.h); the functions here only read it, name
 * and order its files, and free it.
 *
 * Determinism: after csp_dataset_reconcile the dataset (every array, every
 * field, the diagnostics and their order) depends only on the set of
 * distinct files added, never on the order in which they were added or on
 * how often one file (same path, same bytes) was added.  Nor does it
 * depend on the names of the files beyond the names themselves: renaming
 * the files, or moving them to other folders, changes only the path
 * fields (files[].path, csp_diag.file) and the base names in messages.
 * The one exception is which of two byte-identical files counts (the one
 * whose path sorts first; see duplicate_of) and, among such copies only,
 * the order of ds->files.
 *
 * Identity of a file: its agency id (files whose agency is not known,
 * because they were refused, after the others), its submitted instant
 * (then the offset it was written with), its SHA-256.  Wherever files or
 * the things they contain must be ordered and nothing else decides, this
 * identity decides, then the base name, then the path as given
 * (csp_dataset_file_identity_cmp, csp_dataset_file_order).
 *
 * Messages name files by their base name ("kcc.xml:12"), never by the
 * path given, so that `inbox`, `./inbox/` and `/abs/inbox` give the same
 * text.
 *
 * Ownership: a csp_dataset owns everything reachable from it (the
 * submissions added, files, figures, claims, updates, diagnostics) except
 * the template, which it borrows and which must outlive it.  Every pointer
 * the dataset hands out is borrowed and valid until csp_dataset_free.
 * String fields of figures, claims and updates point into the template or
 * into the owned submissions; never free them.
 *
 * No floating point: every value is an exact csp_decimal or csp_ratio.
 */
#ifndef CSPPACK_MODEL_DATASET_H
#define CSPPACK_MODEL_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/base/spool.h"
#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/model/diag.h"
#include "csppack/model/previous.h"
/* The template's and the submissions' types (csp_template, csp_obs_status,
 * csp_action_status, csp_rule_kind) until they move into the model. */
#include "csppack/model/submission.h"
#include "csppack/model/template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The agency id a figure computed under a template rule is attributed to. */
#define CSP_AGENCY_CSPPACK "csppack"

/** "No index": a file, figure or update index that does not apply. */
#define CSP_NO_INDEX ((size_t)-1)

/**
 * "No index" in the 32-bit index fields of figures (file, claim,
 * rule_index).  Files, claims and rule evaluations are counted in 32 bits,
 * so that millions of figures and claims are smaller, and a dataset
 * refuses one more than fits (CSP_ERR_LIMIT) rather than wrap.  Never
 * compare those fields with CSP_NO_INDEX.
 */
#define CSP_NO_INDEX32 UINT32_MAX

/** What became of one claim (one accepted obs of one file) for its key. */
typedef enum csp_claim_role {
    CSP_CLAIM_STANDS = 0,     /**< this claim is the figure that stands */
    CSP_CLAIM_AGREES,         /**< consistent with the standing figure, which
                                   is another claim (merged into it) or the
                                   computed figure; also a same-agency,
                                   same-instant repeat of the standing value */
    CSP_CLAIM_SUPERSEDED,     /**< a later submission of the same agency
                                   replaced it (I402) */
    CSP_CLAIM_WITHDRAWN,      /**< the withdrawal itself (I403): nothing from
                                   this agency stands for the key */
    CSP_CLAIM_CONFLICT,       /**< same agency, same instant, disagreeing
                                   (E404): refused for this key.  The E404
                                   lists the claims in claim order and
                                   prints the instant as the first of them
                                   wrote it: both follow the files'
                                   identity, not their names */
    CSP_CLAIM_DIFFERS,        /**< a non-owner not consistent with the owner's
                                   standing figure (W405) */
    CSP_CLAIM_DISPUTED,       /**< one of the claims of a disputed key (E407) */
    CSP_CLAIM_CHECK_FAILED,   /**< fails the template rule (W409); the
                                   computed figure stands instead */
    CSP_CLAIM_ROLE_COUNT_
} csp_claim_role;

/** "stands", "agrees", "superseded", "withdrawn", "conflict", "differs",
 *  "disputed", "check-failed". */
const char *csp_claim_role_str(csp_claim_role role);

/** One claim made for a key: an accepted obs of a (non-duplicate) file. */
typedef struct csp_claim {
    const char *agency;        /**< the submitting agency id */
    const char *note;          /**< the obs's note; may be NULL */
    csp_instant submitted;     /**< the file's submitted instant */
    csp_decimal value;         /**< as written (keeps its precision) */
    uint32_t file;             /**< index into csp_dataset.files */
    uint32_t line;             /**< line of the obs in that file */
    csp_obs_status status;     /**< as written, including CSP_OBS_WITHDRAWN */
    csp_claim_role role;
    bool has_value;            /**< false for missing and withdrawn */
} csp_claim;   /* 72 bytes on LP64, fields ordered for size: there are
                  millions at scale */

/** Whether anything stands for a key. */
typedef enum csp_figure_state {
    CSP_FIGURE_STANDS = 0,     /**< a figure stands: a value, or status
                                    missing with no value */
    CSP_FIGURE_DISPUTED,       /**< E407: no value stands; see the claims */
    CSP_FIGURE_NONE            /**< nothing stands: every claim was withdrawn
                                    or refused as a conflict.  Not a row of
                                    observations.csv; kept for the claims. */
} csp_figure_state;

/**
 * The template rule of one figure, evaluated: kept, in a table beside the
 * figures, only for the figures whose rule could be evaluated (every
 * input stands with a value); see csp_dataset_figure_rule.
 */
typedef struct csp_figure_rule {
    csp_ratio exact;           /**< the rule's exact value */
    int64_t population;        /**< rate rule: the population used, else 0 */
    const size_t *inputs;      /**< indices into csp_dataset.figures of the
                                    rule's inputs, in the rule's order */
    size_t ninputs;
    csp_rule_kind kind;        /**< the indicator's rule */
} csp_figure_rule;

/**
 * One key (indicator, area, period) and what stands for it.
 *
 * A computed figure (computed == true) stands under the indicator's
 * template rule: agency is "csppack", file is CSP_NO_INDEX32, line 0,
 * has_submitted false, value rounded half away from zero to the
 * indicator's decimals.  The rule's evaluation, for a computed figure and
 * for a submitted one it was checked against, is csp_dataset_figure_rule.
 */
typedef struct csp_figure {
    /* The key. */
    const char *indicator;     /**< the template's id string */
    const char *area;          /**< an area id or "all" (template string) */
    csp_period period;
    uint32_t indicator_index;  /**< index into tpl->indicators (whose
                                    rule is the figure's) */

    /* What stands (meaningful when state == CSP_FIGURE_STANDS). */
    csp_figure_state state;
    csp_decimal value;
    const char *agency;        /**< standing agency, "csppack" when computed;
                                    NULL unless state is STANDS */
    const char *note;          /**< the standing claim's note; may be NULL */
    csp_instant submitted;
    uint32_t file;             /**< file of the standing claim, or
                                    CSP_NO_INDEX32 (exactly when
                                    has_submitted is false) */
    uint32_t line;             /**< 0 when computed */
    uint32_t claim;            /**< the standing claim: index into the
                                    figure's claims (csp_dataset_claims),
                                    or CSP_NO_INDEX32 */
    csp_obs_status status;     /**< final, provisional, estimated or missing */
    bool has_value;            /**< false when status is missing */
    bool computed;             /**< computed under the template rule */
    bool has_submitted;        /**< false when computed or not standing */

    uint32_t rule_index;       /**< internal: its csp_figure_rule, or
                                    CSP_NO_INDEX32; use
                                    csp_dataset_figure_rule */

    /* Every claim made for the key that was not superseded (for each
     * agency, the claims of its latest submitted instant; the superseded
     * ones are kept apart, in csp_dataset.superseded, and counted per
     * file: roles[CSP_CLAIM_SUPERSEDED] and one I402 per file), sorted
     * by submitted instant, agency,
     * file (index into csp_dataset.files, so by the file's identity: for
     * one agency and instant, the written offset, then SHA-256), line.
     * They are csp_dataset.claims[first_claim .. first_claim + nclaims);
     * csp_dataset_claims gives them. */
    uint32_t first_claim;      /**< index into csp_dataset.claims (of
                                    where its empty run falls, when it
                                    has none) */
    uint32_t nclaims;
} csp_figure;   /* 112 bytes on LP64, fields ordered for size: a figure
                   per key held */

/** A claim's value as text into @p buf: the decimal as written, or its
 *  status ("missing", "withdrawn"). */
void csp_claim_value_text(const csp_claim *c, char buf[CSP_DECIMAL_BUFSZ]);

/** "final", "provisional", "estimated", "missing" or "disputed" (also for
 *  CSP_FIGURE_NONE: "none"): the status column of the outputs. */
const char *csp_figure_status_str(const csp_figure *fig);

/** One progress update of an action-plan item. */
typedef struct csp_dataset_update {
    const char *ref;           /**< the template's ref string */
    csp_action_status status;
    csp_date as_of;
    const char *agency;
    csp_instant submitted;
    /* The progress statement is not held in memory: read it with
     * csp_dataset_update_progress. */
    uint64_t progress_at;      /**< internal: offset in the dataset's spool */
    size_t progress_len;       /**< its length in bytes */
    uint32_t file;             /**< index into csp_dataset.files */
    uint32_t line;
    bool current;              /**< at its item's latest as-of, the
                                    latest update of its agency: shown as
                                    the item's progress (see
                                    csp_dataset_action) */
    bool decides;              /**< it decides its item's status at its
                                    as-of, by the rule that chooses
                                    csp_dataset_action.current applied
                                    to the updates as of then or earlier
                                    (csp_dataset_action_current_by) */
    bool tie;                  /**< when it decides: the statuses of the
                                    updates that could decide differ */
} csp_dataset_update;   /* 72 bytes on LP64 */

/**
 * An action-plan item and its history.  Items are in template order
 * (theme by theme, as the strategy prints them), one per template action,
 * including items nobody updated (nupdates == 0, current CSP_NO_INDEX).
 *
 * Several agencies may update one item for the same quarter (a joint
 * action).  At the latest as-of, each agency's latest update is current
 * (one per agency: of one agency's updates submitted at one instant, the
 * most severe, then file, line); the item's status is that of one of
 * them, `current`: the most severe, then the one submitted last, then the
 * agency id that sorts first.  Outputs show every current update, that
 * one first: csp_dataset_action_current.
 */
typedef struct csp_dataset_action {
    const csp_action *action;  /**< the template's action (borrowed) */
    const char *ref;           /**< action->ref */
    size_t theme;              /**< index into tpl->themes */
    csp_dataset_update *updates; /**< sorted by as-of, submitted, agency,
                                      file (its index: identity, never
                                      its name), line (oldest first) */
    size_t nupdates;
    size_t current;            /**< the update that decides the item's
                                    status: index into updates, or
                                    CSP_NO_INDEX */
    size_t ncurrent;           /**< updates with current set: one per
                                    agency at the latest as-of; 0 when
                                    nobody updated the item */
    bool tie;                  /**< W408 was reported for this item */
} csp_dataset_action;

/**
 * One input file.  Files are sorted by identity (agency id, refused files
 * last; submitted instant, then its written offset; SHA-256), then base
 * name, then path: the names decide only between byte-identical copies
 * (and between files refused on loading, which have no SHA-256).  A file
 * added more than once (same path and same bytes) appears once.
 */
typedef struct csp_dataset_file {
    const csp_submission *sub; /**< the submission's header as read (owned
                                    by the dataset): submitter, comment...
                                    Its obs and updates are folded into
                                    the dataset when it is added and then
                                    released: sub->nobs and sub->nupdates
                                    are 0 (see obs_accepted) */
    const char *path;          /**< sub->path */
    const char *agency;        /**< sub->agency; NULL when refused */
    bool refused;              /**< the whole file was refused on reading */
    bool has_submitted;        /**< false when refused */
    csp_instant submitted;
    const char *sha256;        /**< lower-case hex; "" for a file refused
                                    on loading (unreadable, too large,
                                    compressed or empty), which is never a
                                    duplicate */
    size_t size;               /**< bytes */
    size_t duplicate_of;       /**< index of the byte-identical file that
                                    counts (the one whose path sorts first,
                                    in byte order; it may come before or
                                    after this one in files), or
                                    CSP_NO_INDEX.  A duplicate contributes
                                    nothing: its counts below are 0. */
    size_t obs_accepted;       /**< obs accepted on reading */
    size_t updates_accepted;   /**< updates accepted on reading */
    size_t items_refused;      /**< obs and updates refused on reading */
    size_t roles[CSP_CLAIM_ROLE_COUNT_]; /**< of its obs, how many ended in
                                    each role (sums to obs_accepted) */
    bool has_span;             /**< it has an accepted obs; then: */
    csp_period span;           /**< the earliest start and latest end of
                                    its accepted obs */
    bool has_as_of;            /**< it has an accepted update; then: */
    csp_date latest_as_of;     /**< the latest as-of of its updates */
    size_t seq;                /**< internal: the order it was added in */
    csp_diag_list read_diags;  /**< internal: the reading diagnostics until
                                    reconcile moves them to ds->diags */
} csp_dataset_file;

/** How the board pack's period was chosen (csp_pack_period). */
typedef enum csp_period_basis {
    CSP_PERIOD_NONE = 0,      /**< no figure at all: no period */
    CSP_PERIOD_MOST,          /**< the latest with figures from more than
                                   half of the expected agencies */
    CSP_PERIOD_BEST           /**< none has that many: the latest of those
                                   with figures from the most of them */
} csp_period_basis;

/**
 * The period the quarterly board pack is about unless --period names
 * another (csp_report_options.period): the latest quarter (three whole calendar
 * months) for which more than half of the expected agencies sent a
 * figure; failing that, the latest of the quarters with figures from the
 * most of them.  The expected agencies are those the template names as
 * owner of an indicator (all its agencies when it names none); a figure
 * is any accepted obs that is not a withdrawal, of a file that counts.
 * When no figure is for a quarter, the same rule over every period.  So
 * one early or mistyped file cannot move it (doc/reconciliation-decisions.md,
 * "The board pack's period").
 */
typedef struct csp_pack_period {
    csp_period_basis basis;   /**< CSP_PERIOD_NONE: no period */
    csp_period period;
    size_t agencies;          /**< expected agencies with figures for it */
    size_t expected;          /**< expected agencies */
} csp_pack_period;

/**
 * A figure revised since the previous pack: its key stood there with
 * another value or status, or stood there and stands no more.  Figures
 * new since then (keys the previous pack did not have) are not revisions.
 */
typedef struct csp_revision {
    const char *indicator;     /**< the key (template strings) */
    const char *area;
    csp_period period;
    const csp_figure *figure;  /**< what stands now; NULL when the key
                                    has no figure any more */
    const csp_prev_figure *old; /**< what stood in the previous pack */
} csp_revision;

/** An action-plan item whose status changed since the previous pack. */
typedef struct csp_status_change {
    const csp_dataset_action *item;
    const csp_prev_action *old; /**< old->has_status false: not updated
                                     then */
} csp_status_change;

/**
 * A claim a later submission of the same agency replaced (role
 * CSP_CLAIM_SUPERSEDED, I402), kept for the record: the figure of its
 * key is ds->figures[figure] (a key always has a figure: the claim that
 * replaced it is there).
 */
typedef struct csp_old_claim {
    csp_claim claim;           /**< its note is owned by the dataset */
    const char *indicator;     /**< its key (template strings) */
    const char *area;
    csp_period period;
    size_t figure;             /**< index into csp_dataset.figures */
} csp_old_claim;

/** The reconciled dataset. */
typedef struct csp_dataset {
    const csp_template *tpl;   /**< borrowed */
    csp_dataset_file *files;   size_t nfiles;
    csp_figure *figures;       /**< sorted by indicator id, area id (both
                                    byte order), period */
    size_t nfigures;
    csp_claim *claims;         /**< the claims of every figure, one run per
                                    figure (see csp_figure.first_claim),
                                    the runs in the order of figures */
    size_t nclaims;
    csp_dataset_action *actions; size_t nactions;
    /** Every claim that was superseded, sorted by figure, then as the
     *  figure's claims are (submitted, agency, file, line).  Not among
     *  the figures' claims: nothing is decided by them. */
    csp_old_claim *superseded; size_t nsuperseded;
    /**
     * Every diagnostic of the run: the reading diagnostics of each file
     * that counts (a duplicate's are replaced by its I401), those given to
     * csp_dataset_add_diags, and the reconciliation diagnostics (4xx).
     * Filled by reconcile, in the dataset's order, which does not depend
     * on names (unlike csp_diag_list_sort, which orders by path):
     *   1. diagnostics about no file (file NULL);
     *   2. diagnostics naming a path that is no file of the dataset (for
     *      example a folder given on the command line);
     *   3. diagnostics about a file, by the file's identity (see
     *      csp_dataset_file);
     * each group then by line, code, indicator, area, period, ref,
     * agency, values and message, and last by the file's name (see
     * csp_dataset_name) and path (which decide only between
     * byte-identical copies).
     * csp_diag.file is the path as given; a diagnostic belongs to the
     * (first) file of that path.
     */
    csp_diag_list diags;
    /** The board pack's default period, chosen by csp_dataset_reconcile
     *  from what the partners sent; W410 is about figures after it. */
    csp_pack_period pack_period;
    /** The previous pack (csp_dataset_set_previous), or NULL; then
     *  reconcile fills the revisions since it, in the figures' order
     *  (keys gone since at their place in that order), and the status
     *  changes, in the items' order. */
    csp_previous *previous;
    csp_revision *revisions;   size_t nrevisions;
    csp_status_change *status_changes; size_t nstatus_changes;
    char **roots;              /**< the folders named (csp_path_list.roots),
                                    sorted: see csp_dataset_name */
    size_t nroots;
    bool reconciled;
    csp_figure_rule *rules;    /**< internal: by csp_figure.rule_index,
                                    the rules evaluated (a minority of the
                                    figures); see csp_dataset_figure_rule */
    size_t nrules, rules_cap;
    size_t *rule_inputs;       /**< internal: every rule's inputs, one run
                                    each */
    uint32_t *ind_rank;        /**< internal: by indicator index, its
                                    place in the order of the ids (the
                                    figures' order), for lookups */
    csp_spool spool;           /**< internal: the progress statements */
    struct csp_dataset_state *state; /**< internal: what reconcile folds in
                                     while files are added */
    void (*state_free)(struct csp_dataset_state *); /**< internal: frees
                                     state (set by the reconcile layer) */
} csp_dataset;

/**
 * The name outputs give @p path: its path relative to the longest of
 * @p roots (sorted, as csp_path_list.roots) that holds it, else its base
 * name (a path ending in '/' whole), so that an inbox named "inbox" or
 * "/abs/inbox/" gives the same names.  Borrowed from @p path; NULL
 * gives NULL.
 */
const char *csp_path_name(const char *const *roots, size_t nroots,
                          const char *path);

/**
 * Give @p ds (not reconciled yet) the previous pack to compare with; the
 * dataset takes @p prev and frees it (also when it refuses it).
 * CSP_ERR_USAGE after reconcile.
 */
csp_error csp_dataset_set_previous(csp_dataset *ds, csp_previous *prev)
    CSP_MUST_CHECK;

/** Free a dataset and everything it owns (NULL is fine). */
void csp_dataset_free(csp_dataset *ds);

/**
 * Record the folders the files were found in (csp_path_list.roots:
 * sorted, without trailing '/'), copied, so that outputs name each file by
 * its path relative to the folder named (csp_dataset_name).  CSP_ERR_USAGE
 * after csp_dataset_reconcile, CSP_ERR_NOMEM.
 */
csp_error csp_dataset_set_roots(csp_dataset *ds, const char *const *roots,
                                size_t n) CSP_MUST_CHECK;

/**
 * The name every output gives @p path (a file's, or a diagnostic's):
 * relative to the folder named that holds it ("police/north.xml" for
 * "inbox/police/north.xml" read from "inbox"), else its base name; so the
 * same inbox named "inbox" or "/abs/inbox/" gives the same names.  NULL
 * gives NULL.
 */
const char *csp_dataset_name(const csp_dataset *ds, const char *path);

/**
 * The claims of @p fig, a figure of @p ds: fig->nclaims of them, in the
 * order csp_figure documents; fig->claim indexes them.  NULL when there
 * are none.  Borrowed, as everything the dataset hands out.
 */
const csp_claim *csp_dataset_claims(const csp_dataset *ds,
                                    const csp_figure *fig);

/**
 * The evaluation of the template rule of @p fig, a figure of @p ds: for a
 * computed figure, and for a submitted one that was checked against its
 * rule; NULL when the figure's indicator has no rule or some input of the
 * rule did not stand with a value.  Borrowed.
 */
const csp_figure_rule *csp_dataset_figure_rule(const csp_dataset *ds,
                                               const csp_figure *fig);


/** Where the value of a figure that stands came from: what every output
 *  marks (doc/report.md, "Figures csppack worked out"). */
typedef enum csp_figure_origin {
    CSP_ORIGIN_NONE = 0,       /**< nothing stands (disputed, or none) */
    CSP_ORIGIN_PARTNER,        /**< a partner's figure stands */
    CSP_ORIGIN_COMPUTED,       /**< computed by csppack under the template
                                    rule; no partner sent a value for it */
    CSP_ORIGIN_REPLACED        /**< computed by csppack and used in place of
                                    a partner's value that fails the rule
                                    (W409) */
} csp_figure_origin;

/**
 * The origin of @p fig of @p ds.  When it is CSP_ORIGIN_REPLACED and
 * @p replaced is not NULL, *replaced is the first claim it replaced (a
 * check-failed claim with a value); otherwise NULL.
 */
csp_figure_origin csp_dataset_figure_origin(const csp_dataset *ds,
                                            const csp_figure *fig,
                                            const csp_claim **replaced);

/** "", "partner", "computed" or "replaced": the origin column of
 *  observations.csv and the origin attribute of dataset.xml. */
const char *csp_figure_origin_str(csp_figure_origin origin);

/**
 * The figures of one indicator in one area, every period: sets *first
 * and *count (a run of ds->figures in period order; count 0 when none).
 */
void csp_dataset_series(const csp_dataset *ds, const char *indicator,
                        const char *area, size_t *first, size_t *count);

/**
 * The progress statement of update @p u of @p ds (paragraphs separated by
 * "\n\n"), read back from where the dataset keeps it.  *out is a new
 * string the caller frees.  CSP_ERR_IO when it cannot be read back,
 * CSP_ERR_NOMEM.
 */
csp_error csp_dataset_update_progress(const csp_dataset *ds,
                                      const csp_dataset_update *u, char **out)
    CSP_MUST_CHECK;

/**
 * The same into @p buf, which has room for u->progress_len + 1 bytes
 * (NUL-terminated there), for a writer that reads every statement in turn
 * into one buffer.  CSP_ERR_IO when it cannot be read back.
 */
csp_error csp_dataset_update_progress_read(const csp_dataset *ds,
                                           const csp_dataset_update *u,
                                           char *buf) CSP_MUST_CHECK;

/**
 * The @p k th current update of item @p a (from 0): the one that decides
 * its status (a->current) first, then the other agencies' in history
 * order; NULL when k >= a->ncurrent.  Borrowed.
 */
const csp_dataset_update *csp_dataset_action_current(
    const csp_dataset_action *a, size_t k);


/**
 * The update of @p it that stood on @p end: the current one among the
 * updates as of @p end or earlier, chosen by the same rule as
 * csp_dataset_action.current (the latest as-of; each agency's latest
 * submission; the most severe status, *tie set when statuses differ),
 * which csp_dataset_reconcile applies to every as-of of the item.
 * An index into it->updates, or CSP_NO_INDEX when none is that early.
 * (The one that decides; a joint item's other agencies are not given.)
 */
size_t csp_dataset_action_current_by(const csp_dataset_action *it,
                                     csp_date end, bool *tie);

/** The dataset action for @p ref, or NULL. */
const csp_dataset_action *csp_dataset_action_item(const csp_dataset *ds,
                                                  const char *ref);

/**
 * Write a canonical text dump of the whole reconciled dataset (files,
 * figures with claims, actions with history, diagnostics) to @p out: one
 * line per item, for tests and debugging.  Equal datasets give equal
 * bytes.  CSP_ERR_IO when writing failed.
 */
csp_error csp_dataset_dump(const csp_dataset *ds, FILE *out) CSP_MUST_CHECK;

/**
 * The instant documents made from @p ds say they were created: the
 * environment's SOURCE_DATE_EPOCH when set to a valid number of seconds,
 * else the latest submitted instant of the files that count, else
 * 1980-01-01T00:00:00Z.  Never the clock, so output is reproducible.
 */
csp_instant csp_pack_timestamp(const csp_dataset *ds);

/**
 * The period the board pack is about by default: ds->pack_period, as
 * csp_dataset_reconcile chose it (the latest quarter with figures from
 * most of the agencies that own indicators; see csp_pack_period).  False
 * when there is none (no figure).
 */
bool csp_pack_default_period(const csp_dataset *ds, csp_period *out);

/** The name of file @p i of @p ds (csp_dataset_name), or NULL for
 *  CSP_NO_INDEX. */
const char *csp_dataset_file_name(const csp_dataset *ds, size_t i);

/**
 * The file of every diagnostic of @p ds: *out[i] is the index of the file
 * whose path is ds->diags.items[i].file (or CSP_NO_INDEX), found in
 * O((files + diags) log files).  Caller frees *out (NULL when there are no
 * diagnostics).
 */
csp_error csp_dataset_diag_files(const csp_dataset *ds, size_t **out)
    CSP_MUST_CHECK;

/**
 * Order two files by what they are, never by their names: agency id
 * (refused files, whose agency is not known, after the others), submitted
 * instant (then the written offset, so that one instant written two ways
 * still orders), SHA-256.  0 only for files with the same bytes (or, for
 * files refused before they could be read, no SHA-256 at all).  The
 * reconciler orders files and diagnostics by it, and the writers too.
 */
int csp_dataset_file_identity_cmp(const csp_dataset_file *a,
                                  const csp_dataset_file *b);

/**
 * The canonical order of the files: by identity, then name, then path.
 * *rank_out[i] is file i's position (0-based); *order_out[k] is the file
 * at position k.  Either out pointer may be NULL.  Caller frees both
 * arrays.
 */
csp_error csp_dataset_file_order(const csp_dataset *ds, size_t **rank_out,
                                 size_t **order_out) CSP_MUST_CHECK;

/** Is diagnostic @p d about an entry of a folder that was not read (I116
 *  skipped, E118 too deep)? */
bool csp_dataset_diag_skipped(const csp_diag *d);

/**
 * The entries of the folders named that were not read: *out[k] is the
 * index in ds->diags of the k-th (csp_dataset_diag_skipped), in byte
 * order of their names (csp_dataset_name), *n how many.  Caller frees
 * *out (NULL when there are none).
 */
csp_error csp_dataset_skipped(const csp_dataset *ds, size_t **out, size_t *n)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
