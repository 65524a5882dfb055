/*
 * csppack: the fold engine (reconcile/fold.h).  Each file's obs become
 * claims on their keys as the file is added (a resubmission supersedes
 * as it goes; a byte-identical copy is not folded at all); then the files
 * are sorted by identity, duplicates and superseded claims reported (I401,
 * I402), and the keys become the figures with their runs of claims.
 */
#include "csppack/reconcile/fold.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/explain.h"
#include "csppack/reconcile/figures.h"

/*
 * Memory grows with what stands, not with the inbox.  Each file's obs are
 * folded into their keys when the file is added, and then released:
 *
 *   - for each key and agency only the claims of the latest submitted
 *     instant seen so far take part; an earlier claim is superseded
 *     (rule 1) whatever comes later, so it is counted, for its file, and
 *     set apart for the record (ds->superseded), never looked at again;
 *   - a file byte-identical to one added before is not folded at all: it
 *     says exactly what that one says.  Which of the copies counts (the
 *     path that sorts first) is decided in csp_fold_files, and the claims
 *     are then given that copy's index;
 *   - progress statements go to a scratch file (spool.h) and are read
 *     back one at a time by the writers.
 *
 * All of it is independent of the order in which files are added: the
 * claims kept for a key are those of each agency's latest instant, and a
 * file's count of superseded claims is how many of its claims some later
 * claim of the same agency and key exists for.
 */

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
    const char **agencies;      /* agency ids not in the template, each
                                   once (see agency_key) */
    size_t nagencies, agencies_cap;
    csp_old_claim *old;         /* the superseded claims, .figure the key
                                   index until csp_fold_figures */
    size_t nold, old_cap;
};

/* "No slot": the end of the free slots' chain.  Slots are counted in 32
 * bits (claim_next); the dataset refuses to hold more claims than that. */
#define NO_SLOT UINT32_MAX

/* Make room for one more element in *arr (n used of *cap, each @p size
 * bytes), doubling from @p first. */
csp_error csp_fold_grow(void *arr, size_t *cap, size_t n, size_t size,
                        size_t first)
{
    void **p = arr;
    if (n < *cap)
        return CSP_OK;
    size_t want = *cap ? 2 * *cap : first;
    void *q = csp_realloc(*p, want * size);
    if (!q)
        return CSP_ERR_NOMEM;
    *p = q;
    *cap = want;
    return CSP_OK;
}

/* FNV-1a over bytes, continued from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211u;
    }
    return h;
}

#define FNV_START 14695981039346656037u

/* A 64-bit mix (splitmix64's finaliser). */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/* The hash of a key.  Its area is the template's string (template_area_id
 * gives every key its area), one string per area: hashed by address. */
static uint64_t key_hash(size_t ind, const char *area, csp_period p)
{
    uint64_t h = mix64((uint64_t)ind ^
                       ((uint64_t)(uintptr_t)area * 0x9e3779b97f4a7c15u));
    return mix64(h ^ ((uint64_t)(uint32_t)p.start << 32 |
                      (uint32_t)p.end));
}

/* A slot of the open-addressing tables holds the index + 1 of its entry
 * in its low 32 bits (0: free), and may hold the high 32 bits of the
 * entry's hash above them: a probe then reads only the entry it finds. */
#define SLOT_INDEX(s) ((size_t)((s) & 0xffffffffu) - 1)
#define SLOT_TAG(h) ((h) & ~(uint64_t)0xffffffffu)

/* Grow an open-addressing table of n slots so that it stays at most half
 * full with @p count entries; rehash with @p hash. */
static csp_error slots_reserve(uint64_t **slots, size_t *n, size_t count,
                               uint64_t (*hash)(const csp_dataset_state *,
                                                size_t),
                               const csp_dataset_state *st)
{
    size_t want = *n ? *n : 64;
    while (want < 2 * (count + 1))
        want *= 2;
    if (want == *n)
        return CSP_OK;
    uint64_t *ns = csp_calloc(want, sizeof *ns);
    if (!ns)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < *n; i++) {
        if (!(*slots)[i])
            continue;
        size_t j = (size_t)hash(st, SLOT_INDEX((*slots)[i])) & (want - 1);
        while (ns[j])
            j = (j + 1) & (want - 1);
        ns[j] = (*slots)[i];
    }
    free(*slots);
    *slots = ns;
    *n = want;
    return CSP_OK;
}

/* The hash of folded key k, to rehash the key table. */
static uint64_t pend_key_hash(const csp_dataset_state *st, size_t k)
{
    const pend_key *p = &st->keys[k];
    return key_hash(p->ind, p->area, p->period);
}

/* The hash of a SHA-256 in hex. */
static uint64_t sha_hash_of(const char *sha)
{
    return fnv(FNV_START, sha, strlen(sha));
}

/* The hash of the file added as seq, to rehash the holders' table. */
static uint64_t holder_hash(const csp_dataset_state *st, size_t seq)
{
    return sha_hash_of(st->ds->files[seq].sub->sha256);
}

/* The key (indicator, area: a template string, period), added when new.
 * *out is its index. */
static csp_error find_key(csp_dataset *ds, size_t ind, const char *area,
                          csp_period period, size_t *out)
{
    csp_dataset_state *st = ds->state;
    csp_error err;
    uint64_t h, tag, slot;
    size_t j, mask;

    if (2 * (st->nkeys + 1) > st->key_slots_n &&
        (err = slots_reserve(&st->key_slots, &st->key_slots_n, st->nkeys,
                             pend_key_hash, st)))
        return err;
    h = key_hash(ind, area, period);
    tag = SLOT_TAG(h);
    mask = st->key_slots_n - 1;
    for (j = (size_t)h & mask; (slot = st->key_slots[j]); j = (j + 1) & mask) {
        const pend_key *p = &st->keys[SLOT_INDEX(slot)];
        if (SLOT_TAG(slot) == tag && p->ind == ind &&
            p->period.start == period.start && p->period.end == period.end &&
            (p->area == area || strcmp(p->area, area) == 0)) {
            *out = SLOT_INDEX(slot);
            return CSP_OK;
        }
    }
    if (st->nkeys >= UINT32_MAX - 1)
        return CSP_ERR_LIMIT;  /* key indexes are 32 bits in the slots */
    if ((err = csp_fold_grow(&st->keys, &st->keys_cap, st->nkeys,
                             sizeof *st->keys, 256)))
        return err;
    st->keys[st->nkeys] = (pend_key){.area = area, .period = period,
                                     .ind = (uint32_t)ind};
    st->key_slots[j] = tag | ++st->nkeys;
    *out = st->nkeys - 1;
    return CSP_OK;
}

/* Whether two claims say the same: the same status and value (compared
 * as numbers: 618 and 618.0 are the same). */
static bool same_claim(const csp_claim *a, const csp_claim *b)
{
    return a->status == b->status && a->has_value == b->has_value &&
           (!a->has_value || csp_decimal_cmp(a->value, b->value) == 0);
}

/* Count claim c (of the holder c->file, on key @p key) as superseded by
 * the later claim @p by, and set it apart (taking its note), unless it is
 * a restatement: @p by says the same (doc/reconciliation.md, "Within one
 * agency").  Restatements are only counted, so that an inbox that sends
 * each figure again month after month does not keep every copy. */
static csp_error supersede(csp_dataset_state *st, size_t key, csp_claim *c,
                           const csp_claim *by)
{
    pend_file *pf = &st->files[c->file];
    csp_error err;

    if (pf->superseded == 0 || c->line < pf->superseded_line)
        pf->superseded_line = c->line;
    pf->superseded++;
    if (same_claim(c, by)) {
        free((char *)c->note);
        c->note = NULL;
        return CSP_OK;
    }
    if ((err = csp_fold_grow(&st->old, &st->old_cap, st->nold,
                             sizeof *st->old, 64))) {
        free((char *)c->note);
        c->note = NULL;
        return err;
    }
    st->old[st->nold].claim = *c;
    st->old[st->nold].claim.role = CSP_CLAIM_SUPERSEDED;
    st->old[st->nold++].figure = key;
    c->note = NULL;  /* taken */
    return CSP_OK;
}

/* A slot for one more claim in st->claims: a free one, or a new one. */
static csp_error take_slot(csp_dataset_state *st, uint32_t *out)
{
    csp_error err;

    if (st->free_slot != NO_SLOT) {
        *out = st->free_slot;
        st->free_slot = st->claim_next[*out];
        return CSP_OK;
    }
    if (st->nslots >= NO_SLOT)
        return CSP_ERR_LIMIT;
    if ((err = csp_fold_grow(&st->claims, &st->slots_cap, st->nslots,
                    sizeof *st->claims, 1024)) ||
        (err = csp_fold_grow(&st->claim_next, &st->next_cap, st->nslots,
                    sizeof *st->claim_next, 1024)))
        return err;
    *out = (uint32_t)st->nslots++;
    return CSP_OK;
}

/* Are claim agencies a and b the same (as csp_nstreq)?  Each is agency_key's
 * string, one per agency, or NULL. */
static bool same_agency(const char *a, const char *b)
{
    if (a == b)
        return true;
    if (!a || !b)
        return !*(a ? a : b);
    return false;
}

/* Fold one claim into its key (rule 1's supersession as it goes).  A key's
 * chain is in no particular order: csp_fold_figures sorts the claims. */
static csp_error fold_claim(csp_dataset_state *st, pend_key *k,
                            csp_claim *c)
{
    csp_error err;
    bool later = false;
    uint32_t s = k->first_claim, slot;
    size_t key = (size_t)(k - st->keys);

    for (size_t i = 0; i < k->nclaims; i++, s = st->claim_next[s]) {
        const csp_claim *o = &st->claims[s];
        if (!same_agency(o->agency, c->agency))
            continue;
        int cmp = csp_instant_cmp(c->submitted, o->submitted);
        if (cmp < 0)
            return supersede(st, key, c, o);
        later = cmp > 0;
        break;  /* one agency's claims share one instant */
    }
    if (later) {
        /* The agency's earlier claims leave the chain; their slots are
         * free for the next claims. */
        size_t n = k->nclaims, keep = 0;
        uint32_t last = 0;
        s = k->first_claim;
        for (size_t i = 0; i < n; i++) {
            uint32_t next = st->claim_next[s];
            if (same_agency(st->claims[s].agency, c->agency)) {
                if ((err = supersede(st, key, &st->claims[s], c)))
                    return err;
                st->claim_next[s] = st->free_slot;
                st->free_slot = s;
            } else {
                if (keep++ == 0)
                    k->first_claim = s;
                else
                    st->claim_next[last] = s;
                last = s;
            }
            s = next;
        }
        k->nclaims = keep;
    }
    if ((err = take_slot(st, &slot)))
        return err;
    st->claims[slot] = *c;
    c->note = NULL;  /* taken */
    st->claim_next[slot] = k->first_claim;
    k->first_claim = slot;
    k->nclaims++;
    return CSP_OK;
}

/* The template's string for an area id ("all" included), or NULL. */
static const char *template_area_id(const csp_template *tpl, const char *id)
{
    const csp_area *a;

    if (strcmp(id, CSP_AREA_ALL) == 0)
        return CSP_AREA_ALL;
    a = csp_template_area(tpl, id);
    return a ? a->id : NULL;
}

/* The item of the template action @p ref, or NULL.  An update's ref is
 * the template's own string: found by address, else compared. */
static csp_dataset_action *action_of(csp_dataset *ds, const char *ref)
{
    for (size_t k = 0; k < ds->nactions; k++)
        if (ds->actions[k].ref == ref)
            return &ds->actions[k];
    for (size_t k = 0; k < ds->nactions; k++)
        if (strcmp(ds->actions[k].ref, ref) == 0)
            return &ds->actions[k];
    return NULL;
}

/*
 * The string claims of @p agency carry: the template's id, or (for an id
 * the template does not declare, which the reader refuses) the first one
 * added with that text; so that one agency is one string, and claims
 * are matched by address (same_agency).  NULL stays NULL.
 */
static csp_error agency_key(csp_dataset *ds, const char *agency,
                            const char **out)
{
    csp_dataset_state *st = ds->state;
    const csp_agency *a;
    csp_error err;

    *out = agency;
    if (!agency)
        return CSP_OK;
    if ((a = csp_template_agency(ds->tpl, agency))) {
        *out = a->id;
        return CSP_OK;
    }
    for (size_t i = 0; i < st->nagencies; i++)
        if (strcmp(st->agencies[i], agency) == 0) {
            *out = st->agencies[i];
            return CSP_OK;
        }
    if ((err = csp_fold_grow(&st->agencies, &st->agencies_cap, st->nagencies,
                    sizeof *st->agencies, 4)))
        return err;
    st->agencies[st->nagencies++] = agency;
    return CSP_OK;
}

/* The key of figure @p o: its indicator's index, and its area as
 * template_area_id gives it; false when the template has either not. */
static bool obs_key(const csp_template *tpl, const csp_obs *o, size_t *ind,
                    const char **area)
{
    const csp_indicator *in;

    /* The reader's indexes, when they are this template's. */
    if (o->indicator_index < tpl->nindicators &&
        tpl->indicators[o->indicator_index].id == o->indicator)
        in = &tpl->indicators[o->indicator_index];
    else if (!(in = csp_template_indicator(tpl, o->indicator)))
        return false;
    *ind = (size_t)(in - tpl->indicators);
    if (o->area_index < tpl->nareas &&
        tpl->areas[o->area_index].id == o->area)
        *area = o->area;
    else
        *area = template_area_id(tpl, o->area);
    return *area != NULL;
}

/* Lines are kept in 32 bits (libxml2 counts them in an int). */
static bool fits_line(unsigned long line)
{
    return (uint64_t)line <= UINT32_MAX;
}

/* Fold the obs and updates of the file added as @p seq, and note what
 * receipts need of them; then release them. */
static csp_error fold_file(csp_dataset *ds, size_t seq)
{
    csp_error err = CSP_OK;
    csp_dataset_file *f = &ds->files[seq];
    csp_submission *s = (csp_submission *)f->sub;

    f->obs_accepted = s->nobs;
    f->updates_accepted = s->nupdates;
    for (size_t j = 0; j < s->nobs; j++) {
        csp_obs *o = &s->obs[j];
        if (!fits_line(o->line)) {
            err = CSP_ERR_LIMIT;
            goto out;
        }
        if (!f->has_span) {
            f->span = o->period;
            f->has_span = true;
        }
        if (o->period.start < f->span.start)
            f->span.start = o->period.start;
        if (o->period.end > f->span.end)
            f->span.end = o->period.end;
    }
    for (size_t j = 0; j < s->nupdates; j++) {
        if (!fits_line(s->updates[j].line)) {
            err = CSP_ERR_LIMIT;
            goto out;
        }
        if (!f->has_as_of || s->updates[j].as_of > f->latest_as_of)
            f->latest_as_of = s->updates[j].as_of;
        f->has_as_of = true;
    }
    if (ds->state->files[seq].holder != seq)
        goto out;  /* a copy: the holder's claims speak for it */
    const char *agency;
    if ((err = agency_key(ds, s->agency, &agency)))
        goto out;
    for (size_t j = 0; j < s->nobs; j++) {
        csp_obs *o = &s->obs[j];
        const char *area;
        size_t ind, k;
        if (!obs_key(ds->tpl, o, &ind, &area))
            continue;  /* the reader refuses these; be safe */
        if ((err = find_key(ds, ind, area, o->period, &k)))
            goto out;
        csp_claim c = {
            .agency = agency, .file = (uint32_t)seq,
            .line = (uint32_t)o->line,
            .submitted = s->submitted, .has_value = o->has_value,
            .value = o->value, .status = o->status, .note = o->note,
            .role = CSP_CLAIM_AGREES,
        };
        o->note = NULL;  /* the claim owns it now */
        if ((err = fold_claim(ds->state, &ds->state->keys[k], &c)))
            goto out;
    }
    for (size_t j = 0; j < s->nupdates; j++) {
        const csp_update *u = &s->updates[j];
        csp_dataset_action *it = action_of(ds, u->ref);
        if (!it)
            continue;  /* the reader refuses unknown refs */
        size_t *cap = &ds->state->update_caps[it - ds->actions];
        if ((err = csp_fold_grow(&it->updates, cap, it->nupdates,
                                 sizeof *it->updates, 16)))
            goto out;
        csp_dataset_update *p = &it->updates[it->nupdates];
        memset(p, 0, sizeof *p);
        p->ref = it->ref;
        p->status = u->status;
        p->as_of = u->as_of;
        p->agency = s->agency;
        p->file = (uint32_t)seq;
        p->line = (uint32_t)u->line;
        p->submitted = s->submitted;
        p->progress_len = strlen(u->progress);
        if ((err = csp_spool_put(&ds->spool, u->progress,
                                 p->progress_len, &p->progress_at)))
            goto out;
        it->nupdates++;
    }
out:
    csp_submission_release_items(s);
    return err;
}

/* One item per template action, in template order, with no updates yet. */
static csp_error make_actions(csp_dataset *ds)
{
    const csp_template *tpl = ds->tpl;
    size_t total = 0;

    for (size_t t = 0; t < tpl->nthemes; t++)
        total += tpl->themes[t].nactions;
    if (total == 0)
        return CSP_OK;
    if (!(ds->actions = csp_calloc(total, sizeof *ds->actions)))
        return CSP_ERR_NOMEM;
    for (size_t t = 0; t < tpl->nthemes; t++) {
        for (size_t a = 0; a < tpl->themes[t].nactions; a++) {
            csp_dataset_action *it = &ds->actions[ds->nactions++];
            it->action = &tpl->themes[t].actions[a];
            it->ref = it->action->ref;
            it->theme = t;
            it->current = CSP_NO_INDEX;
        }
    }
    return CSP_OK;
}

/* Free the folding state (csp_dataset_free calls it). */
static void state_free(csp_dataset_state *st)
{
    if (!st)
        return;
    /* A free slot's note is NULL (supersede). */
    for (size_t i = 0; i < st->nslots; i++)
        free((char *)st->claims[i].note);
    free(st->claims);
    for (size_t i = 0; i < st->nold; i++)
        free((char *)st->old[i].claim.note);
    free(st->old);
    free(st->claim_next);
    free(st->keys);
    free(st->key_slots);
    free(st->sha_slots);
    free(st->files);
    free(st->update_caps);
    free(st->agencies);
    free(st);
}

/* The state of a new dataset, and its items. */
csp_error csp_fold_start(csp_dataset *ds)
{
    if (!(ds->state = csp_calloc(1, sizeof *ds->state)))
        return CSP_ERR_NOMEM;
    ds->state_free = state_free;
    ds->state->ds = ds;
    ds->state->free_slot = NO_SLOT;
    if (make_actions(ds) ||
        !(ds->state->update_caps = csp_calloc(ds->nactions + 1,
                                              sizeof *ds->state->update_caps)))
        return CSP_ERR_NOMEM;
    return CSP_OK;
}

/* The holder (first added copy) of the bytes @p sha, or CSP_NO_INDEX;
 * *slot is where it is, or where a new holder goes. */
static size_t find_holder(const csp_dataset *ds, const char *sha, size_t *slot)
{
    const csp_dataset_state *st = ds->state;
    size_t j = (size_t)sha_hash_of(sha) & (st->sha_slots_n - 1);

    for (; st->sha_slots[j]; j = (j + 1) & (st->sha_slots_n - 1)) {
        size_t h = SLOT_INDEX(st->sha_slots[j]);
        if (strcmp(ds->files[h].sub->sha256, sha) == 0) {
            *slot = j;
            return h;
        }
    }
    *slot = j;
    return CSP_NO_INDEX;
}

/* Add one submission (taking it) and its reading diagnostics. */
csp_error csp_fold_add(csp_dataset *ds, csp_submission *sub,
                       csp_diag_list *read_diags)
{
    csp_error err = CSP_OK;
    csp_dataset_state *st = ds->state;
    csp_dataset_file *f;
    size_t holder, slot, seq;

    if (2 * (st->nholders + 1) > st->sha_slots_n &&
        (err = slots_reserve(&st->sha_slots, &st->sha_slots_n, st->nholders,
                             holder_hash, st)))
        goto out;
    /* The same file named again (same path, same bytes) is one file. */
    holder = find_holder(ds, sub->sha256, &slot);
    for (size_t c = holder; c != CSP_NO_INDEX; c = st->files[c].next_copy)
        if (csp_nstreq(ds->files[c].sub->path, sub->path))
            goto out;
    seq = ds->nfiles;
    if (seq >= CSP_NO_INDEX32) {
        err = CSP_ERR_LIMIT;  /* file indexes are 32 bits in claims */
        goto out;
    }
    if ((err = csp_fold_grow(&ds->files, &st->files_cap, seq,
                             sizeof *ds->files, 16)) ||
        (err = csp_fold_grow(&st->files, &st->pend_cap, seq,
                             sizeof *st->files, 16)))
        goto out;
    f = &ds->files[seq];
    memset(f, 0, sizeof *f);
    csp_diag_list_init(&f->read_diags);
    if (read_diags && (err = csp_diag_list_take(&f->read_diags, read_diags)))
        goto out;
    f->sub = sub;
    f->seq = seq;
    sub = NULL;
    ds->nfiles++;
    pend_file *pf = &st->files[seq];
    memset(pf, 0, sizeof *pf);
    pf->next_copy = CSP_NO_INDEX;
    if (holder == CSP_NO_INDEX) {
        pf->holder = seq;
        st->sha_slots[slot] = seq + 1;
        st->nholders++;
    } else {
        size_t c = holder;
        while (st->files[c].next_copy != CSP_NO_INDEX)
            c = st->files[c].next_copy;
        st->files[c].next_copy = seq;
        pf->holder = holder;
    }
    err = fold_file(ds, seq);
out:
    csp_submission_free(sub);
    if (read_diags)
        csp_diag_list_free(read_diags);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Stage 1: files                                                            */
/* ------------------------------------------------------------------------ */

/* The dataset whose files cmp_file sorts (qsort has no context; per
 * thread, as the writers' contexts are). */
static _Thread_local const csp_dataset *sort_ds;

/* Identity (csp_dataset_file_identity_cmp, the writers' order too), then
 * name, then the path as given (the last resort). */
static int cmp_file(const void *pa, const void *pb)
{
    const csp_dataset_file *a = pa, *b = pb;
    int c = csp_dataset_file_identity_cmp(a, b);

    if (c)
        return c;
    if ((c = csp_nstrcmp(csp_explain_path(sort_ds, a->path),
                     csp_explain_path(sort_ds, b->path))))
        return c;
    return csp_nstrcmp(a->path, b->path);
}

/* Report file i as a byte-identical copy of file k (I401). */
static csp_error report_duplicate(csp_dataset *ds, size_t i, size_t k)
{
    const csp_dataset_file *f = &ds->files[i];
    const char *name = csp_explain_file(ds, i),
               *kname = csp_explain_file(ds, k);
    csp_diag proto = {0};
    csp_diag *d;

    proto.code = CSP_D_DUPLICATE_FILE;
    proto.file = (char *)f->path;
    proto.agency = (char *)f->agency;
    if (strcmp(name, kname) == 0)
        d = csp_diag_add(&ds->diags, &proto,
                         "%s is given twice, in two folders, with the same "
                         "bytes (SHA-256 %.12s...); it is counted once",
                         name, f->sha256);
    else
        d = csp_diag_add(&ds->diags, &proto,
                         "%s is byte-identical to %s (SHA-256 %.12s...); "
                         "it is counted once, as %s",
                         name, kname, f->sha256, kname);
    return d ? CSP_OK : CSP_ERR_NOMEM;
}

/* Report the superseded claims of counting file i, if any (I402), naming
 * the latest submission of its agency, counting file @p latest. */
static csp_error report_superseded(csp_dataset *ds, size_t i, size_t latest)
{
    const csp_dataset_file *f = &ds->files[i], *l = &ds->files[latest];
    const pend_file *pf = &ds->state->files[ds->state->files[f->seq].holder];
    size_t n = f->roles[CSP_CLAIM_SUPERSEDED];
    char when[CSP_INSTANT_BUFSZ];
    csp_diag proto = {0};

    if (n == 0)
        return CSP_OK;
    csp_instant_format(l->submitted, when);
    proto.code = CSP_D_SUPERSEDED;
    proto.file = (char *)f->path;
    proto.line = pf->superseded_line;
    proto.agency = (char *)f->agency;
    return csp_diag_add(&ds->diags, &proto,
                        "%zu of the %zu figures in %s %s replaced by later "
                        "submissions from %s (the first at line %lu; its "
                        "latest submission is %s, submitted %s)",
                        n, f->obs_accepted, csp_explain_file(ds, i),
                        n == 1 ? "was" : "were",
                        csp_explain_agency(ds, f->agency), pf->superseded_line,
                        csp_explain_file(ds, latest), when)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* The last counting file (not refused, not a duplicate) of the run of
 * files of file i's agency, which starts at i (files are sorted by agency,
 * then submitted instant). */
static size_t latest_of_agency(const csp_dataset *ds, size_t i)
{
    size_t latest = i;
    for (size_t j = i; j < ds->nfiles && csp_nstreq(ds->files[j].agency,
                                                ds->files[i].agency); j++)
        if (!ds->files[j].refused &&
            ds->files[j].duplicate_of == CSP_NO_INDEX)
            latest = j;
    return latest;
}

/* Fill the files' fields, sort them, mark duplicates and report them (I401),
 * report what each file lost to later ones (I402), move the reading
 * diagnostics of the files that count to ds->diags, and give the folded
 * claims and updates the sorted index of the copy that counts.  *where is
 * set to: by adding order, the sorted index of the copy that counts. */
csp_error csp_fold_files(csp_dataset *ds, size_t **where_out)
{
    csp_error err = CSP_OK;
    csp_dataset_state *st = ds->state;
    size_t *where = NULL;

    *where_out = NULL;
    for (size_t i = 0; i < ds->nfiles; i++) {
        csp_dataset_file *f = &ds->files[i];
        const csp_submission *s = f->sub;
        f->path = s->path;
        f->refused = s->refused;
        f->agency = s->refused ? NULL : s->agency;
        f->has_submitted = !s->refused;
        f->submitted = s->submitted;
        f->sha256 = s->sha256;
        f->size = s->size;
        f->duplicate_of = CSP_NO_INDEX;
    }
    if (ds->nfiles > 1) {
        sort_ds = ds;
        qsort(ds->files, ds->nfiles, sizeof *ds->files, cmp_file);
        sort_ds = NULL;
    }
    if (ds->nfiles && !(where = csp_malloc(ds->nfiles * sizeof *where))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < ds->nfiles; i++)
        where[ds->files[i].seq] = i;
    /* Of byte-identical files, the one whose path sorts first counts.  A
     * file refused before it was read has no SHA-256 and no duplicate. */
    for (size_t i = 0; i < ds->nfiles; i++) {
        csp_dataset_file *f = &ds->files[i];
        size_t k = i;
        if (!f->sha256[0])
            continue;
        for (size_t c = st->files[f->seq].holder; c != CSP_NO_INDEX;
             c = st->files[c].next_copy)
            if (csp_nstrcmp(ds->files[where[c]].path, ds->files[k].path) < 0)
                k = where[c];
        if (k != i)
            f->duplicate_of = k;
    }
    for (size_t i = 0, latest = 0; i < ds->nfiles; i++) {
        csp_dataset_file *f = &ds->files[i];
        const csp_submission *s = f->sub;
        if (i == 0 || !csp_nstreq(f->agency, ds->files[i - 1].agency))
            latest = latest_of_agency(ds, i);
        if (f->duplicate_of != CSP_NO_INDEX) {
            if ((err = report_duplicate(ds, i, f->duplicate_of)))
                goto out;
            /* A duplicate's reading diagnostics repeat the counted file's;
             * it contributes nothing. */
            csp_diag_list_free(&f->read_diags);
            f->obs_accepted = f->updates_accepted = 0;
            continue;
        }
        where[st->files[f->seq].holder] = i;
        f->items_refused = s->refused_items;
        f->roles[CSP_CLAIM_SUPERSEDED] =
            st->files[st->files[f->seq].holder].superseded;
        if ((err = report_superseded(ds, i, latest)) ||
            (err = csp_diag_list_take(&ds->diags, &f->read_diags)))
            goto out;
    }
    *where_out = where;
    where = NULL;
out:
    free(where);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Stage 2: claims grouped into figures                                     */
/* ------------------------------------------------------------------------ */

/* Order claims of one key: submitted, agency, file, line. */
static int cmp_claim(const csp_claim *a, const csp_claim *b)
{
    int c = csp_instant_cmp(a->submitted, b->submitted);
    if (c)
        return c;
    if (a->agency != b->agency && (c = csp_nstrcmp(a->agency, b->agency)))
        return c;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* qsort comparator for the claims of one key. */
static int cmp_claim_qsort(const void *pa, const void *pb)
{
    return cmp_claim(pa, pb);
}

/* qsort comparator for the superseded claims: figure, then as claims. */
static int cmp_old_qsort(const void *pa, const void *pb)
{
    const csp_old_claim *a = pa, *b = pb;
    if (a->figure != b->figure)
        return a->figure < b->figure ? -1 : 1;
    return cmp_claim(&a->claim, &b->claim);
}

/* The superseded claims become ds->superseded: each given its key (from
 * @p fig_of, the figure of each folded key, in key order) and its file's
 * sorted index. */
static void move_superseded(csp_dataset *ds, const size_t *where,
                            const size_t *fig_of)
{
    csp_dataset_state *st = ds->state;
    for (size_t i = 0; i < st->nold; i++) {
        csp_old_claim *o = &st->old[i];
        const csp_figure *f = &ds->figures[fig_of[o->figure]];
        o->figure = fig_of[o->figure];
        o->indicator = f->indicator;
        o->area = f->area;
        o->period = f->period;
        o->claim.file = (uint32_t)where[o->claim.file];
    }
    if (st->nold > 1)
        qsort(st->old, st->nold, sizeof *st->old, cmp_old_qsort);
    ds->superseded = st->old;
    ds->nsuperseded = st->nold;
    st->old = NULL;
    st->nold = st->old_cap = 0;
}

/* Whether superseded claim @p i of @p ds is a restatement: a later claim
 * of its agency for its key, kept or counting, says the same.  The
 * superseded claims are sorted by figure, then as claims (oldest first);
 * the figure's own claims are later than its agency's superseded ones. */
static bool restated(const csp_dataset *ds, size_t i)
{
    const csp_old_claim *o = &ds->superseded[i];
    for (size_t j = i + 1;
         j < ds->nsuperseded && ds->superseded[j].figure == o->figure; j++)
        if (same_agency(ds->superseded[j].claim.agency, o->claim.agency) &&
            same_claim(&ds->superseded[j].claim, &o->claim))
            return true;
    const csp_figure *f = &ds->figures[o->figure];
    const csp_claim *c = csp_dataset_claims(ds, f);
    for (uint32_t k = 0; c && k < f->nclaims; k++)
        if (same_agency(c[k].agency, o->claim.agency) &&
            same_claim(&c[k], &o->claim))
            return true;
    return false;
}

/* Computed figures were added among the figures since csp_fold_figures:
 * find each superseded claim's figure again.  Both are in key order.
 * Then drop the restatements that folding could not see as such (a later
 * claim saying the same arrived after the claim that superseded it), so
 * that which are kept does not depend on the order files were added. */
void csp_fold_place_superseded(csp_dataset *ds)
{
    size_t f = 0;
    for (size_t i = 0; i < ds->nsuperseded; i++) {
        csp_old_claim *o = &ds->superseded[i];
        while (f + 1 < ds->nfigures &&
               csp_figures_cmp_key(ds->figures[f].indicator,
                                   ds->figures[f].area,
                                   ds->figures[f].period, o->indicator,
                                   o->area, o->period) < 0)
            f++;
        o->figure = f;
    }
    size_t n = 0;
    for (size_t i = 0; i < ds->nsuperseded; i++) {
        if (restated(ds, i)) {
            free((char *)ds->superseded[i].claim.note);
            continue;
        }
        ds->superseded[n++] = ds->superseded[i];
    }
    ds->nsuperseded = n;
}

/*
 * The folded keys become the figures (sorted by key) and the chained
 * claims ds->claims, one run per figure in the figures' order, each run
 * sorted, each claim given its file's sorted index (where, by holder).
 *
 * The claims are moved into their runs in place, so that no second copy
 * of them is ever held: each chain link becomes the place its claim goes
 * to (the free slots' NO_SLOT), and the pool is then permuted by swaps,
 * each of which puts one claim in its place; the free slots end up last
 * and are cut off.
 */
csp_error csp_fold_figures(csp_dataset *ds, const size_t *where)
{
    csp_dataset_state *st = ds->state;
    csp_claim *claims = st->claims;
    uint32_t *place = st->claim_next;
    uint32_t n = 0;

    /* Figures are looked up by their indicator's rank (csp_figures_find_at). */
    if (csp_figures_rank(ds) ||
        (st->nkeys &&
         !(ds->figures = csp_malloc(st->nkeys * sizeof *ds->figures))))
        return CSP_ERR_NOMEM;
    ds->nfigures = st->nkeys;
    for (size_t k = 0; k < st->nkeys; k++) {
        const pend_key *p = &st->keys[k];
        csp_figures_init(&ds->figures[k], ds->tpl, p->ind, p->area,
                             p->period);
        ds->figures[k].first_claim = p->first_claim;
        ds->figures[k].nclaims = p->nclaims;
        /* Its key, for the superseded claims, until they know it. */
        ds->figures[k].claim = (uint32_t)k;
    }
    free(st->keys);
    st->keys = NULL;
    st->nkeys = st->keys_cap = 0;
    if (ds->nfigures > 1)
        qsort(ds->figures, ds->nfigures, sizeof *ds->figures,
              csp_figures_cmp);
    size_t *fig_of = NULL;
    if (st->nold &&
        !(fig_of = csp_malloc(ds->nfigures * sizeof *fig_of)))
        return CSP_ERR_NOMEM;
    for (size_t k = 0; k < ds->nfigures; k++) {
        if (fig_of)
            fig_of[ds->figures[k].claim] = k;
        ds->figures[k].claim = CSP_NO_INDEX32;
    }
    if (fig_of)
        move_superseded(ds, where, fig_of);
    free(fig_of);
    for (uint32_t s = st->free_slot; s != NO_SLOT;) {
        uint32_t next = place[s];
        place[s] = NO_SLOT;
        s = next;
    }
    for (size_t k = 0; k < ds->nfigures; k++) {
        csp_figure *fig = &ds->figures[k];
        uint32_t s = fig->first_claim;
        fig->first_claim = n;
        for (size_t i = 0; i < fig->nclaims; i++) {
            uint32_t next = place[s];
            place[s] = n++;
            claims[s].file = (uint32_t)where[claims[s].file];
            s = next;
        }
    }
    for (size_t i = 0; i < st->nslots; i++) {
        while (place[i] != NO_SLOT && place[i] != i) {
            uint32_t to = place[i];
            csp_claim c = claims[to];
            claims[to] = claims[i];
            claims[i] = c;
            place[i] = place[to];
            place[to] = to;
        }
    }
    for (size_t k = 0; k < ds->nfigures; k++) {
        const csp_figure *fig = &ds->figures[k];
        if (fig->nclaims > 1)
            qsort(claims + fig->first_claim, fig->nclaims, sizeof *claims,
                  cmp_claim_qsort);
    }
    /* Cut off the free slots (their notes are NULL), keep the claims. */
    if (n == 0) {
        free(claims);
        claims = NULL;
    } else if (n < st->slots_cap) {
        csp_claim *p = csp_realloc(claims, n * sizeof *claims);
        if (p)
            claims = p;
    }
    ds->claims = claims;
    ds->nclaims = n;
    st->claims = NULL;
    st->nslots = st->slots_cap = 0;
    st->free_slot = NO_SLOT;
    /* The folding tables are done with: free them before the writers run. */
    free(st->claim_next);
    free(st->key_slots);
    free(st->sha_slots);
    st->claim_next = NULL;
    st->key_slots = st->sha_slots = NULL;
    st->next_cap = st->key_slots_n = st->sha_slots_n = 0;
    return CSP_OK;
}
