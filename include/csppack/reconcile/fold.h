/*
 * Internal to the reconcile layer: the fold engine.  While files are
 * added, each file's obs are folded into their keys (the state below);
 * csp_dataset_reconcile then sorts the files (csp_fold_files) and turns
 * the keys into the figures (csp_fold_figures).
 */
#ifndef CSPPACK_RECONCILE_FOLD_H
#define CSPPACK_RECONCILE_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

typedef struct csp_dataset_state csp_dataset_state;

/* What is known of a file by its adding order. */
typedef struct pend_file {
    size_t holder;              /* seq of the first added byte-identical
                                   copy (itself when it is the first) */
    size_t next_copy;           /* seq of the next copy, or CSP_NO_INDEX */
    size_t superseded;          /* of its claims (holder only) */
    unsigned long superseded_line;  /* the first of them */
} pend_file;

/* A key while files are folded: what becomes a figure, in a third of its
 * size, so that the keys a run of figures looks up share cache lines. */
typedef struct pend_key {
    const char *area;           /* the template's string */
    csp_period period;
    uint32_t ind;               /* index of the indicator */
    uint32_t first_claim;       /* its claims: a chain of nclaims slots of */
    uint32_t nclaims;           /* `claims`, from slot first_claim */
} pend_key;

struct csp_dataset_state {
    pend_key *keys;             /* the figures to be (csp_fold_figures) */
    size_t nkeys, keys_cap;
    csp_claim *claims;          /* the claims kept so far (claim.file is
                                   the adding order, seq), each key's
                                   chained; a superseded claim's slot is
                                   reused.  They become ds->claims */
    uint32_t *claim_next;       /* by slot: the next slot of its chain, or
                                   of the free slots */
    size_t nslots, slots_cap, next_cap;
    uint32_t free_slot;         /* the first free slot, or NO_SLOT */
    uint64_t *key_slots;        /* open addressing: key index + 1, 0 free,
                                   under the key's hash tag (SLOT_TAG) */
    size_t key_slots_n;         /* a power of two */
    uint64_t *sha_slots;        /* the same, seq + 1 of a holder by SHA-256
                                   (no tag) */
    size_t sha_slots_n;
    size_t nholders;
    pend_file *files;           /* by seq */
    size_t files_cap, pend_cap; /* of ds->files and of files */
    size_t *update_caps;        /* of each ds->actions[].updates */
    const csp_dataset *ds;      /* whose files the SHA-256 slots index */
    uint32_t *ind_rank;         /* by indicator index: its place in the
                                   order of the ids (the figures' order) */
    const char **agencies;      /* agency ids not in the template, each
                                   once (see agency_key) */
    size_t nagencies, agencies_cap;
    size_t rules_cap;           /* of ds->rules */
};

/* "No slot": the end of the free slots' chain.  Slots are counted in 32
 * bits (claim_next); the dataset refuses to hold more claims than that. */
#define NO_SLOT UINT32_MAX


/** Make room for one more element in *arr (@p n used of *cap, each
 *  @p size bytes), doubling from @p first.  CSP_ERR_NOMEM. */
csp_error csp_fold_grow(void *arr, size_t *cap, size_t n, size_t size,
                        size_t first) CSP_MUST_CHECK;

/** Give a new dataset its folding state and its action items (one per
 *  template action, in template order).  CSP_ERR_NOMEM. */
csp_error csp_fold_start(csp_dataset *ds) CSP_MUST_CHECK;

/** csp_dataset_add_submission once its arguments are checked: takes
 *  @p sub in every case and empties @p read_diags (may be NULL). */
csp_error csp_fold_add(csp_dataset *ds, csp_submission *sub,
                       csp_diag_list *read_diags) CSP_MUST_CHECK;

/**
 * Stage 1: fill the files' fields, sort them, mark duplicates and report
 * them (I401), report what each file lost to later ones (I402), move the
 * reading diagnostics of the files that count to ds->diags.  *where_out
 * is set to: by adding order, the sorted index of the copy that counts
 * (the caller frees it).
 */
csp_error csp_fold_files(csp_dataset *ds, size_t **where_out) CSP_MUST_CHECK;

/** Stage 2: the folded keys become ds->figures (sorted by key) and their
 *  claims ds->claims, one sorted run per figure; @p where is
 *  csp_fold_files's. */
csp_error csp_fold_figures(csp_dataset *ds, const size_t *where)
    CSP_MUST_CHECK;

/** Order keys: indicator id, area id, period. */
int csp_fold_cmp_key(const char *ia, const char *aa, csp_period pa,
                     const char *ib, const char *ab, csp_period pb);

/** qsort comparator for figures, by key. */
int csp_fold_cmp_figure(const void *pa, const void *pb);

/** A figure with its key set and nothing standing. */
void csp_fold_figure_init(csp_figure *fig, const csp_template *tpl,
                          size_t indicator_index, const char *area,
                          csp_period period);

#endif
