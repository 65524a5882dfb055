/*
 * csppack: reconciliation (spec/reconciliation.md, version 1).
 *
 * The run is in stages, each deterministic on its own:
 *   1. files are sorted by identity (agency, submitted, SHA-256; names
 *      only as the last tie-break); of byte-identical files the one whose
 *      path sorts first counts, the others are duplicates (I401) and
 *      contribute nothing;
 *   2. every obs of every counting file becomes a claim on its key; the
 *      claims are grouped per key (figures sorted by key, claims by
 *      submitted, agency, file (so: SHA-256), line);
 *   3. per key: supersession, withdrawal and conflict within each agency,
 *      then owner / non-owner / dispute across agencies;
 *   4. template rules (sum, rate, share) in dependency order, then the
 *      quarters and areas checks;
 *   5. action items: history and current status;
 *   6. every diagnostic sorted into the dataset's order (sort_diags).
 *
 * Names: the same set of files gives the same dataset whatever the files
 * are called or where they are.  Nothing is ordered by a name where the
 * content can decide, and messages name files by base name ("kcc.xml:12"),
 * never by the folder they were found in; csp_diag.file keeps the path as
 * given.
 *
 * There is no floating point here: values are csp_decimal, derived values
 * csp_ratio in 128 bits.
 */
#include "csppack/reconcile/reconcile.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/common.h"
#include "csppack/reconcile/packperiod.h"
#include "csppack/base/spool.h"
#include "csppack/base/strbuf.h"

/* Cap on one message or values string built here. */
#define MSG_MAX ((size_t)1 << 20)

/*
 * Most claims a diagnostic lists (E404, E407), in its message and its
 * values; the message counts the rest.  4,000 conflicting files each
 * listed in every diagnostic made a 2.1 GB pack of 1.3 MB of input.
 */
#define CLAIMS_LISTED 5

/* How the ratio of a check is shown in a message: this many decimals more
 * than the submitted figure has. */
#define SHOW_EXTRA_DECIMALS 3

/* Powers of ten that fit in 64 bits. */
static const int64_t pow10_tab[19] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                             */
/* ------------------------------------------------------------------------ */

/* strcmp treating NULL as "". */
static int nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* True when two (possibly NULL) strings are equal. */
static bool nstreq(const char *a, const char *b)
{
    return nstrcmp(a, b) == 0;
}

/* Names of the claim roles, in enum order. */
static const char *const role_names[CSP_CLAIM_ROLE_COUNT_] = {
    "stands", "agrees", "superseded", "withdrawn",
    "conflict", "differs", "disputed", "check-failed"};

/* The name of a claim role. */
const char *csp_claim_role_str(csp_claim_role role)
{
    if ((unsigned)role >= CSP_CLAIM_ROLE_COUNT_)
        return "?";
    return role_names[role];
}

/* The status column of a figure. */
const char *csp_figure_status_str(const csp_figure *fig)
{
    if (!fig)
        return "?";
    if (fig->state == CSP_FIGURE_DISPUTED)
        return "disputed";
    if (fig->state == CSP_FIGURE_NONE)
        return "none";
    return csp_obs_status_str(fig->status);
}

/* Computed and partner figures are told apart by the claims: a computed
 * figure replaced a partner's exactly when one of them failed the rule. */
csp_figure_origin csp_dataset_figure_origin(const csp_dataset *ds,
                                            const csp_figure *fig,
                                            const csp_claim **replaced)
{
    if (replaced)
        *replaced = NULL;
    if (!fig || fig->state != CSP_FIGURE_STANDS)
        return CSP_ORIGIN_NONE;
    if (!fig->computed)
        return CSP_ORIGIN_PARTNER;
    const csp_claim *cl = csp_dataset_claims(ds, fig);
    for (size_t i = 0; i < fig->nclaims; i++)
        if (cl[i].role == CSP_CLAIM_CHECK_FAILED && cl[i].has_value) {
            if (replaced)
                *replaced = &cl[i];
            return CSP_ORIGIN_REPLACED;
        }
    return CSP_ORIGIN_COMPUTED;
}

/* The origin's word in the CSV and the dataset. */
const char *csp_figure_origin_str(csp_figure_origin origin)
{
    switch (origin) {
    case CSP_ORIGIN_PARTNER:
        return "partner";
    case CSP_ORIGIN_COMPUTED:
        return "computed";
    case CSP_ORIGIN_REPLACED:
        return "replaced";
    case CSP_ORIGIN_NONE:
        break;
    }
    return "";
}

/* The display name of an agency id ("csppack" for computed figures). */
static const char *agency_name(const csp_dataset *ds, const char *id)
{
    const csp_agency *a;

    if (!id)
        return "(unknown agency)";
    a = csp_template_agency(ds->tpl, id);
    return a && a->name ? a->name : id;
}

/* A claim's value as text: the decimal as written, or its status. */
static void claim_value_text(const csp_claim *c, char buf[CSP_DECIMAL_BUFSZ])
{
    if (c->has_value)
        csp_decimal_format(c->value, buf);
    else
        snprintf(buf, CSP_DECIMAL_BUFSZ, "%s", csp_obs_status_str(c->status));
}

/* A claim's value with its status when that is not final ("4 provisional"). */
static void claim_value_long(const csp_claim *c, char *buf, size_t size)
{
    char v[CSP_DECIMAL_BUFSZ];

    claim_value_text(c, v);
    if (c->has_value && c->status != CSP_OBS_FINAL)
        snprintf(buf, size, "%s (%s)", v, csp_obs_status_str(c->status));
    else
        snprintf(buf, size, "%s", v);
}

/* ------------------------------------------------------------------------ */
/* Values strings: "agency=value;agency=value", entries sorted               */
/* ------------------------------------------------------------------------ */

/* A list of owned strings. */
typedef struct strvec {
    char **items;
    size_t count;
    size_t capacity;
} strvec;

/* Free a strvec's strings and storage. */
static void strvec_free(strvec *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->capacity = 0;
}

/* Append "agency=value". */
static csp_error strvec_push_pair(strvec *v, const char *agency,
                                  const char *value)
{
    csp_error err = CSP_OK;
    csp_strbuf sb;

    csp_strbuf_init(&sb, MSG_MAX);
    if (v->count == v->capacity) {
        size_t cap = v->capacity ? v->capacity * 2 : 8;
        char **p = csp_realloc(v->items, cap * sizeof *p);
        if (!p) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        v->items = p;
        v->capacity = cap;
    }
    if ((err = csp_strbuf_printf(&sb, "%s=%s", agency ? agency : "", value)))
        goto out;
    v->items[v->count] = csp_strbuf_take(&sb);
    if (!v->items[v->count]) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    v->count++;
out:
    csp_strbuf_free(&sb);
    return err;
}

/* qsort comparator for strings. */
static int cmp_str_ptr(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* Sort the entries and join them with ';' into a new string (*out). */
static csp_error strvec_join(strvec *v, char **out)
{
    csp_error err = CSP_OK;
    csp_strbuf sb;

    csp_strbuf_init(&sb, MSG_MAX);
    *out = NULL;
    if (v->count > 1)
        qsort(v->items, v->count, sizeof *v->items, cmp_str_ptr);
    if ((err = csp_strbuf_puts(&sb, "")))
        goto out;
    for (size_t i = 0; i < v->count; i++) {
        if (i && (err = csp_strbuf_putc(&sb, ';')))
            goto out;
        if ((err = csp_strbuf_puts(&sb, v->items[i])))
            goto out;
    }
    *out = csp_strbuf_take(&sb);
    if (!*out)
        err = CSP_ERR_NOMEM;
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Append a claim's "agency=value" to v. */
static csp_error strvec_push_claim(strvec *v, const csp_claim *c)
{
    char buf[CSP_DECIMAL_BUFSZ];

    claim_value_text(c, buf);
    return strvec_push_pair(v, c->agency, buf);
}

/* ------------------------------------------------------------------------ */
/* Exact arithmetic                                                          */
/* ------------------------------------------------------------------------ */

/* A decimal as num / 10^scale in 128 bits, at a common larger scale. */
static csp_int128 at_scale(csp_decimal d, unsigned scale)
{
    return (csp_int128)d.units * pow10_tab[scale - d.scale];
}

/* Print r rounded to `decimals` places, prefixed by "about " when that is
 * not its exact value; falls back to "num/den" on overflow. */
static void ratio_text(csp_ratio r, unsigned decimals, char *buf, size_t size)
{
    csp_decimal d;
    char v[CSP_DECIMAL_BUFSZ];
    unsigned k;

    if (decimals > CSP_DECIMAL_MAX_SCALE)
        decimals = CSP_DECIMAL_MAX_SCALE;
    /* The shortest exact form, if there is one within `decimals`. */
    for (k = 0; k <= decimals; k++) {
        csp_int128 n;
        if (__builtin_mul_overflow(r.num, (csp_int128)pow10_tab[k], &n))
            break;
        if (n % r.den == 0 && csp_ratio_round(r, k, &d) == CSP_OK) {
            csp_decimal_format(d, v);
            snprintf(buf, size, "%s", v);
            return;
        }
    }
    if (csp_ratio_round(r, decimals, &d) == CSP_OK) {
        csp_decimal_format(d, v);
        snprintf(buf, size, "about %s", v);
        return;
    }
    snprintf(buf, size, "(too large to show)");
}

/* Percentage change from `from` to `to`, exact, rounded half away from 0. */
csp_error csp_dataset_percent_change(csp_decimal from, csp_decimal to,
                                     unsigned decimals, csp_decimal *out)
{
    csp_error err = CSP_OK;
    unsigned s = from.scale > to.scale ? from.scale : to.scale;
    csp_ratio r;

    if (!out || from.units == 0 || s > CSP_DECIMAL_MAX_SCALE) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    /* (to - from) / from * 100 at the common scale; 64-bit values times
     * 10^9 times 100 fit easily in 128 bits. */
    r.num = (at_scale(to, s) - at_scale(from, s)) * 100;
    r.den = at_scale(from, s);
    if (r.den < 0) {
        r.num = -r.num;
        r.den = -r.den;
    }
    err = csp_ratio_round(r, decimals, out);
out:
    return err;
}

/* ------------------------------------------------------------------------ */
/* Dataset lifetime and input: folding each file in as it is added           */
/* ------------------------------------------------------------------------ */

/*
 * Memory grows with what stands, not with the inbox.  Each file's obs are
 * folded into their keys when the file is added, and then released:
 *
 *   - for each key and agency only the claims of the latest submitted
 *     instant seen so far are kept; an earlier claim is superseded (rule 1)
 *     whatever comes later, so it is only counted, for its file;
 *   - a file byte-identical to one added before is not folded at all: it
 *     says exactly what that one says.  Which of the copies counts (the
 *     path that sorts first) is decided in prepare_files, and the claims
 *     are then given that copy's index;
 *   - progress statements go to a scratch file (spool.h) and are read
 *     back one at a time by the writers.
 *
 * All of it is independent of the order in which files are added: the
 * claims kept for a key are those of each agency's latest instant, and a
 * file's count of superseded claims is how many of its claims some later
 * claim of the same agency and key exists for.
 */

typedef struct csp_dataset_state csp_dataset_state;

static void figure_init(csp_figure *fig, const csp_template *tpl,
                        size_t indicator_index, const char *area,
                        csp_period period);

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
    pend_key *keys;             /* the figures to be (build_figures) */
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
    csp_spool spool;
    uint32_t *ind_rank;         /* by indicator index: its place in the
                                   order of the ids (the figures' order) */
    const char **agencies;      /* agency ids not in the template, each
                                   once (see agency_key) */
    size_t nagencies, agencies_cap;
    csp_figure_rule *rules;     /* by figure.rule_index: the rules
                                   evaluated, a minority of the figures */
    size_t nrules, rules_cap;
    size_t *rule_inputs;        /* every rule's inputs, one run each */
};

/* "No slot": the end of the free slots' chain.  Slots are counted in 32
 * bits (claim_next); the dataset refuses to hold more claims than that. */
#define NO_SLOT UINT32_MAX

/* Make room for one more element in *arr (n used of *cap, each @p size
 * bytes), doubling from @p first. */
static csp_error grow(void *arr, size_t *cap, size_t n, size_t size,
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

static uint64_t pend_key_hash(const csp_dataset_state *st, size_t k)
{
    const pend_key *p = &st->keys[k];
    return key_hash(p->ind, p->area, p->period);
}

static uint64_t sha_hash_of(const char *sha)
{
    return fnv(FNV_START, sha, strlen(sha));
}

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
    if ((err = grow(&st->keys, &st->keys_cap, st->nkeys, sizeof *st->keys,
                    256)))
        return err;
    st->keys[st->nkeys] = (pend_key){.area = area, .period = period,
                                     .ind = (uint32_t)ind};
    st->key_slots[j] = tag | ++st->nkeys;
    *out = st->nkeys - 1;
    return CSP_OK;
}

/* Count claim c (of the holder c->file) as superseded, and drop it. */
static void supersede(csp_dataset_state *st, csp_claim *c)
{
    pend_file *pf = &st->files[c->file];
    if (pf->superseded == 0 || c->line < pf->superseded_line)
        pf->superseded_line = c->line;
    pf->superseded++;
    free((char *)c->note);
    c->note = NULL;
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
    if ((err = grow(&st->claims, &st->slots_cap, st->nslots,
                    sizeof *st->claims, 1024)) ||
        (err = grow(&st->claim_next, &st->next_cap, st->nslots,
                    sizeof *st->claim_next, 1024)))
        return err;
    *out = (uint32_t)st->nslots++;
    return CSP_OK;
}

/* Are claim agencies a and b the same (as nstreq)?  Each is agency_key's
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
 * chain is in no particular order: build_figures sorts the claims. */
static csp_error fold_claim(csp_dataset_state *st, pend_key *k,
                            csp_claim *c)
{
    csp_error err;
    bool later = false;
    uint32_t s = k->first_claim, slot;

    for (size_t i = 0; i < k->nclaims; i++, s = st->claim_next[s]) {
        const csp_claim *o = &st->claims[s];
        if (!same_agency(o->agency, c->agency))
            continue;
        int cmp = csp_instant_cmp(c->submitted, o->submitted);
        if (cmp < 0) {
            supersede(st, c);
            return CSP_OK;
        }
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
                supersede(st, &st->claims[s]);
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
    if ((err = grow(&st->agencies, &st->agencies_cap, st->nagencies,
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
        if ((err = grow(&it->updates, cap, it->nupdates, sizeof *it->updates,
                        16)))
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
        if ((err = csp_spool_put(&ds->state->spool, u->progress,
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

/* Free the folding state (the spool too). */
static void state_free(csp_dataset_state *st)
{
    if (!st)
        return;
    /* A free slot's note is NULL (supersede). */
    for (size_t i = 0; i < st->nslots; i++)
        free((char *)st->claims[i].note);
    free(st->claims);
    free(st->claim_next);
    free(st->keys);
    free(st->key_slots);
    free(st->sha_slots);
    free(st->files);
    free(st->update_caps);
    free(st->agencies);
    free(st->ind_rank);
    csp_spool_close(&st->spool);
    free(st->rules);
    free(st->rule_inputs);
    free(st);
}

/* A new empty dataset. */
csp_dataset *csp_dataset_new(const csp_template *tpl)
{
    csp_dataset *ds;

    if (!tpl)
        return NULL;
    ds = csp_calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->tpl = tpl;
    csp_diag_list_init(&ds->diags);
    if (!(ds->state = csp_calloc(1, sizeof *ds->state))) {
        free(ds);
        return NULL;
    }
    csp_spool_init(&ds->state->spool);
    ds->state->ds = ds;
    ds->state->free_slot = NO_SLOT;
    if (make_actions(ds) ||
        !(ds->state->update_caps = csp_calloc(ds->nactions + 1,
                                          sizeof *ds->state->update_caps))) {
        csp_dataset_free(ds);
        return NULL;
    }
    return ds;
}

/* Free a dataset and all it owns. */
void csp_dataset_free(csp_dataset *ds)
{
    if (!ds)
        return;
    for (size_t i = 0; i < ds->nfiles; i++) {
        csp_submission_free((csp_submission *)ds->files[i].sub);
        csp_diag_list_free(&ds->files[i].read_diags);
    }
    free(ds->files);
    free(ds->figures);
    for (size_t i = 0; i < ds->nclaims; i++)
        free((char *)ds->claims[i].note);
    free(ds->claims);
    for (size_t i = 0; i < ds->nactions; i++)
        free(ds->actions[i].updates);
    free(ds->actions);
    csp_diag_list_free(&ds->diags);
    for (size_t i = 0; i < ds->nroots; i++)
        free(ds->roots[i]);
    free(ds->roots);
    state_free(ds->state);
    free(ds);
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
csp_error csp_dataset_add_submission(csp_dataset *ds, csp_submission *sub,
                                     csp_diag_list *read_diags)
{
    csp_error err = CSP_OK;
    csp_dataset_state *st;
    csp_dataset_file *f;
    size_t holder, slot, seq;

    if (!ds || !sub || ds->reconciled) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    st = ds->state;
    if (2 * (st->nholders + 1) > st->sha_slots_n &&
        (err = slots_reserve(&st->sha_slots, &st->sha_slots_n, st->nholders,
                             holder_hash, st)))
        goto out;
    /* The same file named again (same path, same bytes) is one file. */
    holder = find_holder(ds, sub->sha256, &slot);
    for (size_t c = holder; c != CSP_NO_INDEX; c = st->files[c].next_copy)
        if (nstreq(ds->files[c].sub->path, sub->path))
            goto out;
    seq = ds->nfiles;
    if (seq >= CSP_NO_INDEX32) {
        err = CSP_ERR_LIMIT;  /* file indexes are 32 bits in claims */
        goto out;
    }
    if ((err = grow(&ds->files, &st->files_cap, seq, sizeof *ds->files, 16)) ||
        (err = grow(&st->files, &st->pend_cap, seq, sizeof *st->files, 16)))
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

csp_error csp_dataset_update_progress(const csp_dataset *ds,
                                      const csp_dataset_update *u, char **out)
{
    if (!ds || !u || !out)
        return CSP_ERR_USAGE;
    if (u->progress_len == 0) {
        *out = csp_strdup("");
        return *out ? CSP_OK : CSP_ERR_NOMEM;
    }
    return csp_spool_get(&ds->state->spool, u->progress_at, u->progress_len,
                         out);
}

csp_error csp_dataset_update_progress_read(const csp_dataset *ds,
                                           const csp_dataset_update *u,
                                           char *buf)
{
    if (!ds || !u || !buf)
        return CSP_ERR_USAGE;
    buf[u->progress_len] = '\0';
    if (u->progress_len == 0)
        return CSP_OK;
    return csp_spool_read(&ds->state->spool, u->progress_at, u->progress_len,
                          buf);
}

/* Add run-level diagnostics. */
csp_error csp_dataset_add_diags(csp_dataset *ds, csp_diag_list *diags)
{
    csp_error err = CSP_OK;

    if (!ds || !diags || ds->reconciled) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    err = csp_diag_list_take(&ds->diags, diags);
out:
    return err;
}

/* Copy the folders named. */
csp_error csp_dataset_set_roots(csp_dataset *ds, const char *const *roots,
                                size_t n)
{
    if (!ds || ds->reconciled || ds->nroots)
        return CSP_ERR_USAGE;
    if (!n)
        return CSP_OK;
    if (!(ds->roots = csp_calloc(n, sizeof *ds->roots)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(ds->roots[i] = csp_strdup(roots[i])))
            return CSP_ERR_NOMEM; /* freed with the dataset */
        ds->nroots++;
    }
    return CSP_OK;
}

/* A path's name in outputs. */
const char *csp_dataset_name(const csp_dataset *ds, const char *path)
{
    return csp_path_name((const char *const *)ds->roots, ds->nroots, path);
}

/* ------------------------------------------------------------------------ */
/* Stage 1: files                                                            */
/* ------------------------------------------------------------------------ */

/* The dataset whose files cmp_file and cmp_diag_entry sort (qsort has no
 * context; per thread, as the writers' contexts are). */
static _Thread_local const csp_dataset *sort_ds;

/* A path's name in messages and orders (csp_dataset_name), never the path
 * as given. */
static const char *path_name(const csp_dataset *ds, const char *path)
{
    return path ? csp_dataset_name(ds, path) : "(unnamed)";
}

/* A file's name for messages. */
static const char *file_name(const csp_dataset *ds, size_t i)
{
    return path_name(ds, ds->files[i].path);
}

/* Identity (csp_out_file_identity_cmp, the writers' order too), then
 * name, then the path as given (the last resort). */
static int cmp_file(const void *pa, const void *pb)
{
    const csp_dataset_file *a = pa, *b = pb;
    int c = csp_out_file_identity_cmp(a, b);

    if (c)
        return c;
    if ((c = nstrcmp(path_name(sort_ds, a->path),
                     path_name(sort_ds, b->path))))
        return c;
    return nstrcmp(a->path, b->path);
}

/* Report file i as a byte-identical copy of file k (I401). */
static csp_error report_duplicate(csp_dataset *ds, size_t i, size_t k)
{
    const csp_dataset_file *f = &ds->files[i];
    const char *name = file_name(ds, i), *kname = file_name(ds, k);
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
                        n, f->obs_accepted, file_name(ds, i),
                        n == 1 ? "was" : "were", agency_name(ds, f->agency),
                        pf->superseded_line, file_name(ds, latest), when)
               ? CSP_OK
               : CSP_ERR_NOMEM;
}

/* The last counting file (not refused, not a duplicate) of the run of
 * files of file i's agency, which starts at i (files are sorted by agency,
 * then submitted instant). */
static size_t latest_of_agency(const csp_dataset *ds, size_t i)
{
    size_t latest = i;
    for (size_t j = i; j < ds->nfiles && nstreq(ds->files[j].agency,
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
static csp_error prepare_files(csp_dataset *ds, size_t **where_out)
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
            if (nstrcmp(ds->files[where[c]].path, ds->files[k].path) < 0)
                k = where[c];
        if (k != i)
            f->duplicate_of = k;
    }
    for (size_t i = 0, latest = 0; i < ds->nfiles; i++) {
        csp_dataset_file *f = &ds->files[i];
        const csp_submission *s = f->sub;
        if (i == 0 || !nstreq(f->agency, ds->files[i - 1].agency))
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

/* Order keys: indicator id, area id, period.  (One string is one id: the
 * figures' ids are the template's strings.) */
static int cmp_key(const char *ia, const char *aa, csp_period pa,
                   const char *ib, const char *ab, csp_period pb)
{
    int c;
    if (ia != ib && (c = strcmp(ia, ib)))
        return c;
    if (aa != ab && (c = strcmp(aa, ab)))
        return c;
    return csp_period_cmp(pa, pb);
}

/* Order claims of one key: submitted, agency, file, line. */
static int cmp_claim(const csp_claim *a, const csp_claim *b)
{
    int c = csp_instant_cmp(a->submitted, b->submitted);
    if (c)
        return c;
    if (a->agency != b->agency && (c = nstrcmp(a->agency, b->agency)))
        return c;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* qsort comparator for figures. */
static int cmp_figure(const void *pa, const void *pb)
{
    const csp_figure *a = pa, *b = pb;
    return cmp_key(a->indicator, a->area, a->period, b->indicator, b->area,
                   b->period);
}

/* A figure with its key set and nothing standing. */
static void figure_init(csp_figure *fig, const csp_template *tpl,
                        size_t indicator_index, const char *area,
                        csp_period period)
{
    memset(fig, 0, sizeof *fig);
    fig->indicator = tpl->indicators[indicator_index].id;
    /* A template's indicators are far fewer than 2^32: each is an element
     * of a file read whole. */
    fig->indicator_index = (uint32_t)indicator_index;
    fig->area = area;
    fig->period = period;
    fig->state = CSP_FIGURE_NONE;
    fig->file = CSP_NO_INDEX32;
    fig->claim = CSP_NO_INDEX32;
    fig->rule_index = CSP_NO_INDEX32;
}

/* An indicator id and its index, to rank them. */
typedef struct id_at {
    const char *id;
    size_t at;
} id_at;

/* By id. */
static int cmp_id_at(const void *pa, const void *pb)
{
    return strcmp(((const id_at *)pa)->id, ((const id_at *)pb)->id);
}

/* st->ind_rank: the template's indicators in the order of their ids, the
 * order of the figures, so that a search compares numbers, not ids. */
static csp_error rank_indicators(csp_dataset *ds)
{
    const csp_template *tpl = ds->tpl;
    size_t n = tpl->nindicators;
    id_at *order = csp_malloc((n ? n : 1) * sizeof *order);
    uint32_t *rank = csp_malloc((n ? n : 1) * sizeof *rank);

    if (!order || !rank) {
        free(order);
        free(rank);
        return CSP_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = (id_at){tpl->indicators[i].id, i};
    if (n > 1)
        qsort(order, n, sizeof *order, cmp_id_at);
    for (size_t i = 0; i < n; i++)
        rank[order[i].at] = (uint32_t)i;
    free(order);
    ds->state->ind_rank = rank;
    return CSP_OK;
}

/* qsort comparator for the claims of one key. */
static int cmp_claim_qsort(const void *pa, const void *pb)
{
    return cmp_claim(pa, pb);
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
static csp_error build_figures(csp_dataset *ds, const size_t *where)
{
    csp_dataset_state *st = ds->state;
    csp_claim *claims = st->claims;
    uint32_t *place = st->claim_next;
    uint32_t n = 0;

    /* Figures are looked up by their indicator's rank (find_figure_at). */
    if (rank_indicators(ds) ||
        (st->nkeys &&
         !(ds->figures = csp_malloc(st->nkeys * sizeof *ds->figures))))
        return CSP_ERR_NOMEM;
    ds->nfigures = st->nkeys;
    for (size_t k = 0; k < st->nkeys; k++) {
        const pend_key *p = &st->keys[k];
        figure_init(&ds->figures[k], ds->tpl, p->ind, p->area, p->period);
        ds->figures[k].first_claim = p->first_claim;
        ds->figures[k].nclaims = p->nclaims;
    }
    free(st->keys);
    st->keys = NULL;
    st->nkeys = st->keys_cap = 0;
    if (ds->nfigures > 1)
        qsort(ds->figures, ds->nfigures, sizeof *ds->figures, cmp_figure);
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

/* ------------------------------------------------------------------------ */
/* Stage 3: which figure stands                                              */
/* ------------------------------------------------------------------------ */

/* The claims of fig, for reconcile to change; NULL when it has none. */
static csp_claim *claims_of(const csp_dataset *ds, const csp_figure *fig)
{
    return fig->nclaims ? ds->claims + fig->first_claim : NULL;
}

/* The claims of a figure. */
const csp_claim *csp_dataset_claims(const csp_dataset *ds,
                                    const csp_figure *fig)
{
    return ds && fig ? claims_of(ds, fig) : NULL;
}

/* The key fields of a diagnostic about `fig`, at claim `c` (may be NULL). */
static csp_diag figure_proto(const csp_dataset *ds, const csp_figure *fig,
                             const csp_claim *c, csp_diag_code code)
{
    csp_diag proto = {0};

    proto.code = code;
    proto.indicator = (char *)fig->indicator;
    proto.area = (char *)fig->area;
    proto.has_period = true;
    proto.period = fig->period;
    if (c) {
        proto.file = (char *)ds->files[c->file].path;
        proto.line = c->line;
        proto.agency = (char *)c->agency;
    }
    return proto;
}

/* "victim-based-crime for dartford, 2015-10-01/2016-09-30". */
static void key_text(const csp_figure *fig, char *buf, size_t size)
{
    char p[CSP_PERIOD_BUFSZ];

    csp_period_format(fig->period, p);
    snprintf(buf, size, "%s for %s, %s", fig->indicator, fig->area, p);
}

/* "a.xml:12": the file's base name, never the folder it was found in. */
static void where_text(const csp_dataset *ds, const csp_claim *c, char *buf,
                       size_t size)
{
    snprintf(buf, size, "%s:%lu", file_name(ds, c->file),
             (unsigned long)c->line);
}

/* Add a diagnostic with a ready message; NOMEM when it cannot. */
static csp_error add_diag(csp_diag_list *list, csp_diag *proto,
                          const char *values, const char *msg)
{
    proto->values = (char *)values;
    return csp_diag_add(list, proto, "%s", msg) ? CSP_OK : CSP_ERR_NOMEM;
}

/* Values string of the claims `cl[idx[0..n)]` (*out owned). */
static csp_error claims_values(const csp_claim *cl, const size_t *idx,
                               size_t n, char **out)
{
    csp_error err = CSP_OK;
    strvec v = {0};

    for (size_t i = 0; i < n && i < CLAIMS_LISTED; i++)
        if ((err = strvec_push_claim(&v, &cl[idx[i]])))
            goto out;
    err = strvec_join(&v, out);
out:
    strvec_free(&v);
    return err;
}

/* "Kent Police 8388 (a.xml:12), ..." for the claims idx[0..n): the first
 * CLAIMS_LISTED of them, and how many more. */
static csp_error claims_list_text(const csp_dataset *ds, const csp_figure *fig,
                                  const size_t *idx, size_t n, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = claims_of(ds, fig);
    size_t listed = n < CLAIMS_LISTED ? n : CLAIMS_LISTED;

    for (size_t i = 0; i < listed; i++) {
        const csp_claim *c = &cl[idx[i]];
        char v[CSP_DECIMAL_BUFSZ + 32], w[512];
        claim_value_long(c, v, sizeof v);
        where_text(ds, c, w, sizeof w);
        if ((err = csp_strbuf_printf(sb, "%s%s %s (%s)",
                                     i == 0 ? ""
                                     : (i + 1 == n ? " and " : ", "),
                                     agency_name(ds, c->agency), v, w)))
            goto out;
    }
    if (listed < n)
        err = csp_strbuf_printf(sb, " and %zu more", n - listed);
out:
    return err;
}

/* Make claim ci of fig the standing figure. */
static void stand(csp_dataset *ds, csp_figure *fig, size_t ci)
{
    csp_claim *cl = claims_of(ds, fig);
    const csp_claim *c = &cl[ci];

    cl[ci].role = CSP_CLAIM_STANDS;
    fig->state = CSP_FIGURE_STANDS;
    fig->has_value = c->has_value;
    fig->value = c->value;
    fig->status = c->status;
    fig->computed = false;
    fig->agency = c->agency;
    fig->file = c->file;
    fig->line = c->line;
    fig->has_submitted = true;
    fig->submitted = c->submitted;
    fig->note = c->note;
    fig->claim = (uint32_t)ci;
}

/* Two claims of one agency and instant say the same thing. */
static bool claims_agree(const csp_claim *a, const csp_claim *b)
{
    if (a->status != b->status || a->has_value != b->has_value)
        return false;
    return !a->has_value || csp_decimal_cmp(a->value, b->value) == 0;
}

/* Is b a better pick than a among claims that agree: more precise, later,
 * agency first, file first, line first.  Claims without a value lose. */
static bool better_claim(const csp_claim *b, const csp_claim *a)
{
    int c;

    if (a->has_value != b->has_value)
        return b->has_value;
    if (a->has_value && a->value.scale != b->value.scale)
        return b->value.scale > a->value.scale;
    if ((c = csp_instant_cmp(a->submitted, b->submitted)))
        return c < 0;
    if ((c = nstrcmp(a->agency, b->agency)))
        return c > 0;
    if (a->file != b->file)
        return b->file < a->file;
    return b->line < a->line;
}

/* A claim index with its agency, for grouping a key's claims by agency. */
typedef struct agency_claim {
    const char *agency;
    size_t index;
} agency_claim;

/* Order by agency, then by the (chronological) claim index. */
static int cmp_agency_claim(const void *pa, const void *pb)
{
    const agency_claim *a = pa, *b = pb;
    int c = nstrcmp(a->agency, b->agency);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Report a withdrawal (I403). */
static csp_error report_withdrawn(csp_dataset *ds, csp_figure *fig, size_t ci)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = claims_of(ds, fig);
    const csp_claim *c = &cl[ci];
    char *values = NULL;
    char key[512], w[512], msg[2048];

    key_text(fig, key, sizeof key);
    where_text(ds, c, w, sizeof w);
    snprintf(msg, sizeof msg,
             "%s withdrew its %s in %s; no figure from %s is used for it",
             agency_name(ds, c->agency), key, w, agency_name(ds, c->agency));
    if ((err = claims_values(cl, &ci, 1, &values)))
        goto out;
    csp_diag proto = figure_proto(ds, fig, c, CSP_D_WITHDRAWN);
    err = add_diag(&ds->diags, &proto, values, msg);
out:
    free(values);
    return err;
}

/* Give the claims idx[0..n) of fig @p role and the diagnostic @p code,
 * with the message built in @p sb (taken) and their values: each claim
 * its own, or with @p once the first claim one for them all. */
static csp_error flag_claims(csp_dataset *ds, csp_figure *fig,
                             const size_t *idx, size_t n, csp_claim_role role,
                             csp_diag_code code, bool once, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    csp_claim *cl = claims_of(ds, fig);
    char *values = NULL, *msg = NULL;

    if (!(msg = csp_strbuf_take(sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = claims_values(cl, idx, n, &values)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        csp_claim *c = &cl[idx[i]];
        c->role = role;
        if (once && i > 0)
            continue;
        csp_diag proto = figure_proto(ds, fig, c, code);
        if ((err = add_diag(&ds->diags, &proto, values, msg)))
            goto out;
    }
out:
    free(values);
    free(msg);
    return err;
}

/* Report the claims idx[0..n) of one agency and instant as a conflict. */
static csp_error report_conflict(csp_dataset *ds, csp_figure *fig,
                                 const size_t *idx, size_t n)
{
    csp_error err = CSP_OK;
    char key[512], when[CSP_INSTANT_BUFSZ];
    csp_strbuf sb;
    const csp_claim *first = &claims_of(ds, fig)[idx[0]];

    csp_strbuf_init(&sb, MSG_MAX);
    key_text(fig, key, sizeof key);
    csp_instant_format(first->submitted, when);
    if ((err = csp_strbuf_printf(&sb, "%s sent different figures for %s "
                                      "with the same submitted time %s: ",
                                 agency_name(ds, first->agency), key, when)) ||
        (err = claims_list_text(ds, fig, idx, n, &sb)) ||
        (err = csp_strbuf_printf(&sb, "; none of them is used; please send "
                                      "one corrected submission with a later "
                                      "submitted time")))
        goto out;
    err = flag_claims(ds, fig, idx, n, CSP_CLAIM_CONFLICT, CSP_D_CONFLICT, true,
                      &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Report non-owner claim ci as differing from the owner's claim oi (W405). */
static csp_error report_differs(csp_dataset *ds, csp_figure *fig, size_t ci,
                                size_t oi)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = claims_of(ds, fig);
    const csp_claim *c = &cl[ci], *o = &cl[oi];
    char *values = NULL;
    char key[512], wc[512], wo[512], msg[2048];
    char vc[CSP_DECIMAL_BUFSZ + 32], vo[CSP_DECIMAL_BUFSZ + 32];
    size_t pair[2] = {ci, oi};

    key_text(fig, key, sizeof key);
    where_text(ds, c, wc, sizeof wc);
    where_text(ds, o, wo, sizeof wo);
    claim_value_long(c, vc, sizeof vc);
    claim_value_long(o, vo, sizeof vo);
    snprintf(msg, sizeof msg,
             "%s's %s is %s (%s), but %s, which owns this figure, reports "
             "%s (%s); %s's figure is used",
             agency_name(ds, c->agency), key, vc, wc,
             agency_name(ds, o->agency), vo, wo, agency_name(ds, o->agency));
    if ((err = claims_values(cl, pair, 2, &values)))
        goto out;
    csp_diag proto = figure_proto(ds, fig, c, CSP_D_NON_OWNER_DIFFERS);
    err = add_diag(&ds->diags, &proto, values, msg);
out:
    free(values);
    return err;
}

/* Report the key as disputed among claims eff[0..n) (E407 on each). */
static csp_error report_disputed(csp_dataset *ds, csp_figure *fig,
                                 const size_t *eff, size_t n,
                                 const char *owner)
{
    csp_error err = CSP_OK;
    char key[512];
    csp_strbuf sb;

    csp_strbuf_init(&sb, MSG_MAX);
    key_text(fig, key, sizeof key);
    if (owner)
        err = csp_strbuf_printf(&sb, "%s is disputed: %s, which owns it, sent "
                                     "no figure, and the figures sent do not "
                                     "agree: ",
                                key, agency_name(ds, owner));
    else
        err = csp_strbuf_printf(&sb, "%s is disputed: it has no owner and the "
                                     "figures sent do not agree: ",
                                key);
    if (err || (err = claims_list_text(ds, fig, eff, n, &sb)) ||
        (err = csp_strbuf_printf(&sb, "; no value is used until the partners "
                                      "agree one")))
        goto out;
    err = flag_claims(ds, fig, eff, n, CSP_CLAIM_DISPUTED, CSP_D_DISPUTED, false,
                      &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/*
 * Rule 1 for one agency's claims idx[0..n): withdrawal and conflict.  They
 * share one submitted instant (the earlier ones were superseded as the
 * files were added).  Sets *eff to the claim the agency stands by, or
 * CSP_NO_INDEX.
 */
static csp_error resolve_agency(csp_dataset *ds, csp_figure *fig,
                                const size_t *idx, size_t n, size_t *eff)
{
    csp_error err = CSP_OK;
    csp_claim *cl = claims_of(ds, fig);
    size_t best = idx[0];
    bool agree = true;

    *eff = CSP_NO_INDEX;
    for (size_t i = 1; i < n; i++) {
        if (!claims_agree(&cl[idx[0]], &cl[idx[i]]))
            agree = false;
        if (better_claim(&cl[idx[i]], &cl[best]))
            best = idx[i];
    }
    if (!agree) {
        err = report_conflict(ds, fig, idx, n);
        goto out;
    }
    if (cl[best].status == CSP_OBS_WITHDRAWN) {
        for (size_t i = 0; i < n; i++) {
            cl[idx[i]].role = CSP_CLAIM_WITHDRAWN;
            if ((err = report_withdrawn(ds, fig, idx[i])))
                goto out;
        }
        goto out;
    }
    /* Same-agency, same-instant repeats of the same figure stay AGREES. */
    *eff = best;
out:
    return err;
}

/* True when every valued claim of cl[eff[0..n)] is consistent with every
 * other. */
static bool all_consistent(const csp_claim *cl, const size_t *eff, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const csp_claim *a = &cl[eff[i]];
        if (!a->has_value)
            continue;
        for (size_t j = i + 1; j < n; j++) {
            const csp_claim *b = &cl[eff[j]];
            if (b->has_value && !csp_decimal_consistent(a->value, b->value))
                return false;
        }
    }
    return true;
}

/* A same-agency, same-instant repeat of an effective claim shares its fate
 * when that is "differs" or "disputed". */
static void propagate_repeats(const csp_dataset *ds, const csp_figure *fig,
                              const size_t *eff, size_t neff)
{
    csp_claim *cl = claims_of(ds, fig);

    for (size_t i = 0; i < neff; i++) {
        const csp_claim *e = &cl[eff[i]];
        if (e->role != CSP_CLAIM_DIFFERS && e->role != CSP_CLAIM_DISPUTED)
            continue;
        for (size_t k = 0; k < fig->nclaims; k++) {
            csp_claim *c = &cl[k];
            if (k != eff[i] && c->role == CSP_CLAIM_AGREES &&
                nstreq(c->agency, e->agency) &&
                csp_instant_cmp(c->submitted, e->submitted) == 0)
                c->role = e->role;
        }
    }
}

/* Rules 1-4 for one key. */
static csp_error resolve_figure(csp_dataset *ds, csp_figure *fig)
{
    csp_error err = CSP_OK;
    size_t n = fig->nclaims, neff = 0;
    agency_claim *ac = NULL;
    size_t *order = NULL, *eff = NULL;
    const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
    const char *owner = csp_indicator_owner(ind, fig->area);
    size_t owner_claim = CSP_NO_INDEX;
    csp_claim *cl = claims_of(ds, fig);

    ac = csp_malloc(n * sizeof *ac);
    order = csp_malloc(n * sizeof *order);
    eff = csp_malloc(n * sizeof *eff);
    if (!ac || !order || !eff) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ac[i].agency = cl[i].agency;
        ac[i].index = i;
    }
    qsort(ac, n, sizeof *ac, cmp_agency_claim);
    for (size_t i = 0; i < n; i++)
        order[i] = ac[i].index;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, e;
        while (j < n && nstreq(cl[order[i]].agency,
                               cl[order[j]].agency))
            j++;
        if ((err = resolve_agency(ds, fig, order + i, j - i, &e)))
            goto out;
        if (e != CSP_NO_INDEX) {
            eff[neff++] = e;
            if (owner && nstreq(cl[e].agency, owner))
                owner_claim = e;
        }
        i = j;
    }
    if (neff == 0)
        goto out;  /* nothing stands: CSP_FIGURE_NONE */
    if (owner_claim != CSP_NO_INDEX) {
        /* Rule 3: the owner's figure stands. */
        const csp_claim *o = &cl[owner_claim];
        stand(ds, fig, owner_claim);
        for (size_t i = 0; i < neff; i++) {
            const csp_claim *c = &cl[eff[i]];
            if (eff[i] == owner_claim)
                continue;
            bool differs = c->has_value &&
                           (!o->has_value ||
                            !csp_decimal_consistent(c->value, o->value));
            if (differs) {
                cl[eff[i]].role = CSP_CLAIM_DIFFERS;
                if ((err = report_differs(ds, fig, eff[i], owner_claim)))
                    goto out;
            }
        }
        goto out;
    }
    if (!all_consistent(cl, eff, neff)) {
        /* Rule 4: disputed; no value stands. */
        fig->state = CSP_FIGURE_DISPUTED;
        err = report_disputed(ds, fig, eff, neff, owner);
        goto out;
    }
    /* Consistent: the most precise stands (then latest, then agency). */
    size_t best = eff[0];
    for (size_t i = 1; i < neff; i++)
        if (better_claim(&cl[eff[i]], &cl[best]))
            best = eff[i];
    /* W406 is reported after the template rules, once it is known that
     * this claim still stands (report_owner_gaps). */
    stand(ds, fig, best);
out:
    if (!err && eff)
        propagate_repeats(ds, fig, eff, neff);
    free(ac);
    free(order);
    free(eff);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Stage 4: template rules and checks                                        */
/* ------------------------------------------------------------------------ */

/* A run of ds->figures: [lo, hi). */
typedef struct fig_range {
    size_t lo, hi;
} fig_range;

/* find_figure_at, when the figure can only be in @p in. */
static size_t find_figure_in(const csp_dataset *ds, fig_range in, size_t ind,
                             const char *area, csp_period period)
{
    const uint32_t *rank = ds->state->ind_rank;
    size_t lo = in.lo, hi = in.hi;

    if (ind >= ds->tpl->nindicators)
        return CSP_NO_INDEX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const csp_figure *f = &ds->figures[mid];
        uint32_t r = rank[f->indicator_index];
        int c = r != rank[ind] ? (r < rank[ind] ? -1 : 1)
                               : cmp_key(f->indicator, f->area, f->period,
                                         f->indicator, area, period);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return CSP_NO_INDEX;
}

/* Index of the figure for a key, the indicator given by its index in the
 * template, in ds->figures, or CSP_NO_INDEX (as find_figure). */
static size_t find_figure_at(const csp_dataset *ds, size_t ind,
                             const char *area, csp_period period)
{
    return find_figure_in(ds, (fig_range){0, ds->nfigures}, ind, area,
                          period);
}

/* Index of the figure for a key in ds->figures, or CSP_NO_INDEX. */
static size_t find_figure(const csp_dataset *ds, const char *indicator,
                          const char *area, csp_period period)
{
    const csp_indicator *in = csp_template_indicator(ds->tpl, indicator);

    /* Every figure's indicator is one of the template's. */
    if (!in || !ds->nfigures)
        return CSP_NO_INDEX;
    return find_figure_at(ds, (size_t)(in - ds->tpl->indicators), area,
                          period);
}

/* The index of input @p i of @p ind's rule in the template's indicators
 * (nindicators when there is none). */
static size_t input_at(const csp_template *tpl, const csp_indicator *ind,
                       size_t i)
{
    const csp_indicator *in;

    if (ind->input_index && ind->input_index[i] < tpl->nindicators)
        return ind->input_index[i];
    in = csp_template_indicator(tpl, ind->inputs[i]);
    return in ? (size_t)(in - tpl->indicators) : tpl->nindicators;
}

/* The figure for a key (the indicator by its index), which can only be
 * in @p in, if it stands with a value, else NULL. */
static const csp_figure *standing_value(const csp_dataset *ds, fig_range in,
                                        size_t ind, const char *area,
                                        csp_period period)
{
    size_t i = find_figure_in(ds, in, ind, area, period);

    if (i == CSP_NO_INDEX)
        return NULL;
    const csp_figure *f = &ds->figures[i];
    return f->state == CSP_FIGURE_STANDS && f->has_value ? f : NULL;
}

/* The status a computed figure inherits from its inputs. */
static csp_obs_status inherited_status(const csp_figure *const *in, size_t n)
{
    csp_obs_status st = CSP_OBS_FINAL;

    for (size_t i = 0; i < n; i++) {
        if (in[i]->status == CSP_OBS_ESTIMATED)
            st = CSP_OBS_ESTIMATED;
        else if (in[i]->status == CSP_OBS_PROVISIONAL && st == CSP_OBS_FINAL)
            st = CSP_OBS_PROVISIONAL;
    }
    return st;
}

/* One evaluation of a rule for one (area, period). */
typedef struct rule_eval {
    const csp_figure *in[16];    /* standing inputs (pointers into figures) */
    size_t nin;
    int64_t population;
    csp_ratio exact;
    csp_decimal rounded;
} rule_eval;

/*
 * Evaluate indicator `ind`'s rule for (area, period): false when some input
 * does not stand with a value, the population is unknown, a denominator is
 * zero or the result does not fit.
 */
static bool evaluate_rule(const csp_dataset *ds, const csp_indicator *ind,
                          const char *area, csp_period period, rule_eval *ev)
{
    memset(ev, 0, sizeof *ev);
    if (ind->ninputs == 0 || ind->ninputs > sizeof ev->in / sizeof ev->in[0])
        return false;
    for (size_t i = 0; i < ind->ninputs; i++) {
        ev->in[i] = standing_value(ds, (fig_range){0, ds->nfigures},
                                   input_at(ds->tpl, ind, i), area, period);
        if (!ev->in[i])
            return false;
    }
    ev->nin = ind->ninputs;
    switch (ind->rule) {
    case CSP_RULE_SUM: {
        unsigned s = 0;
        csp_int128 sum = 0;
        for (size_t i = 0; i < ev->nin; i++)
            if (ev->in[i]->value.scale > s)
                s = ev->in[i]->value.scale;
        for (size_t i = 0; i < ev->nin; i++)
            sum += at_scale(ev->in[i]->value, s);
        ev->exact.num = sum;
        ev->exact.den = pow10_tab[s];
        break;
    }
    case CSP_RULE_RATE: {
        csp_decimal c = ev->in[0]->value;
        if (!csp_template_population(ds->tpl, area, period.end,
                                     &ev->population) ||
            ev->population <= 0)
            return false;
        ev->exact.num = (csp_int128)c.units * 1000;
        ev->exact.den = (csp_int128)ev->population * pow10_tab[c.scale];
        break;
    }
    case CSP_RULE_SHARE: {
        csp_decimal part, whole;
        if (ev->nin < 2)
            return false;
        part = ev->in[0]->value;
        whole = ev->in[1]->value;
        if (whole.units == 0)
            return false;
        ev->exact.num = (csp_int128)part.units * pow10_tab[whole.scale] * 100;
        ev->exact.den = (csp_int128)whole.units * pow10_tab[part.scale];
        if (ev->exact.den < 0) {
            ev->exact.num = -ev->exact.num;
            ev->exact.den = -ev->exact.den;
        }
        break;
    }
    default:
        return false;
    }
    return csp_ratio_round(ev->exact, ind->decimals, &ev->rounded) == CSP_OK;
}

/* The rule in words, with the input values, e.g.
 * "619 per 1,000 of 103900 population". */
static csp_error rule_text(const csp_indicator *ind, const rule_eval *ev,
                           csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    char v[CSP_DECIMAL_BUFSZ], w[CSP_DECIMAL_BUFSZ];

    switch (ind->rule) {
    case CSP_RULE_SUM:
        for (size_t i = 0; i < ev->nin; i++) {
            csp_decimal_format(ev->in[i]->value, v);
            if ((err = csp_strbuf_printf(sb, "%s%s %s", i ? " + " : "",
                                         ev->in[i]->indicator, v)))
                goto out;
        }
        break;
    case CSP_RULE_RATE:
        csp_decimal_format(ev->in[0]->value, v);
        err = csp_strbuf_printf(sb, "%s %s per 1,000 of %lld population",
                                ev->in[0]->indicator, v,
                                (long long)ev->population);
        break;
    case CSP_RULE_SHARE:
        csp_decimal_format(ev->in[0]->value, v);
        csp_decimal_format(ev->in[1]->value, w);
        err = csp_strbuf_printf(sb, "%s %s as a share of %s %s",
                                ev->in[0]->indicator, v, ev->in[1]->indicator,
                                w);
        break;
    default:
        break;
    }
out:
    return err;
}

/* The rule's name for messages. */
static const char *rule_name(csp_rule_kind k)
{
    switch (k) {
    case CSP_RULE_SUM: return "sum";
    case CSP_RULE_RATE: return "rate per 1,000";
    case CSP_RULE_SHARE: return "share";
    default: return "none";
    }
}

/* W409 on claim c of fig: the message built in @p sb (taken), the values
 * csppack's @p computed figure and the claim's. */
static csp_error add_check_failed(csp_dataset *ds, const csp_figure *fig,
                                  const csp_claim *c, const char *computed,
                                  csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    char *values = NULL, *msg = NULL;
    strvec sv = {0};

    if (!(msg = csp_strbuf_take(sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = strvec_push_pair(&sv, CSP_AGENCY_CSPPACK, computed)) ||
        (err = strvec_push_claim(&sv, c)) || (err = strvec_join(&sv, &values)))
        goto out;
    csp_diag proto = figure_proto(ds, fig, c, CSP_D_CHECK_FAILED);
    err = add_diag(&ds->diags, &proto, values, msg);
out:
    strvec_free(&sv);
    free(values);
    free(msg);
    return err;
}

/* Report submitted claim ci of fig as failing the rule (W409). */
static csp_error report_rule_failed(csp_dataset *ds, csp_figure *fig,
                                    size_t ci, const csp_indicator *ind,
                                    const rule_eval *ev)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &claims_of(ds, fig)[ci];
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ], r[CSP_DECIMAL_BUFSZ];
    char exact[64];
    unsigned show = c->value.scale > ind->decimals ? c->value.scale
                                                   : ind->decimals;
    csp_strbuf sb;

    csp_strbuf_init(&sb, MSG_MAX);
    key_text(fig, key, sizeof key);
    where_text(ds, c, w, sizeof w);
    csp_decimal_format(c->value, v);
    csp_decimal_format(ev->rounded, r);
    ratio_text(ev->exact, show + SHOW_EXTRA_DECIMALS, exact, sizeof exact);
    if ((err = csp_strbuf_printf(&sb, "%s's %s is %s (%s), but ",
                                 agency_name(ds, c->agency), key, v, w)) ||
        (err = rule_text(ind, ev, &sb)) ||
        (err = csp_strbuf_printf(&sb, " is %s%s (rule: %s); %s is not within "
                                      "rounding of it, so csppack's %s is "
                                      "used",
                                 exact, ind->rule == CSP_RULE_SHARE ? "%" : "",
                                 rule_name(ind->rule), v, r)))
        goto out;
    err = add_check_failed(ds, fig, c, r, &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Make fig the computed figure of evaluation ev. */
static void stand_computed(csp_figure *fig, const rule_eval *ev)
{
    fig->state = CSP_FIGURE_STANDS;
    fig->has_value = true;
    fig->value = ev->rounded;
    fig->status = inherited_status(ev->in, ev->nin);
    fig->computed = true;
    fig->agency = CSP_AGENCY_CSPPACK;
    fig->file = CSP_NO_INDEX32;
    fig->line = 0;
    fig->has_submitted = false;
    fig->note = NULL;
    fig->claim = CSP_NO_INDEX32;
}

/* Keep fig's evaluation ev of the rule of ind (its inputs are linked
 * once the figures are in their last order: link_inputs). */
static csp_error keep_rule(csp_dataset *ds, csp_figure *fig,
                           const csp_indicator *ind, const rule_eval *ev)
{
    csp_dataset_state *st = ds->state;
    csp_error err;

    if (fig->rule_index == CSP_NO_INDEX32) {
        if (st->nrules >= CSP_NO_INDEX32)
            return CSP_ERR_LIMIT;
        if ((err = grow(&st->rules, &st->rules_cap, st->nrules,
                        sizeof *st->rules, 64)))
            return err;
        fig->rule_index = (uint32_t)st->nrules++;
    }
    csp_figure_rule *r = &st->rules[fig->rule_index];
    memset(r, 0, sizeof *r);
    r->exact = ev->exact;
    r->population = ev->population;
    r->kind = ind->rule;
    return CSP_OK;
}

/* The evaluated rule of a figure. */
const csp_figure_rule *csp_dataset_figure_rule(const csp_dataset *ds,
                                               const csp_figure *fig)
{
    if (!ds || !fig || fig->rule_index == CSP_NO_INDEX32 ||
        fig->rule_index >= ds->state->nrules)
        return NULL;
    return &ds->state->rules[fig->rule_index];
}

/* Apply the rule to an existing figure whose inputs all stand. */
static csp_error check_existing(csp_dataset *ds, csp_figure *fig,
                                const csp_indicator *ind, const rule_eval *ev)
{
    csp_error err = CSP_OK;
    csp_claim *cl = claims_of(ds, fig);

    if ((err = keep_rule(ds, fig, ind, ev)))
        goto out;
    if (fig->state == CSP_FIGURE_DISPUTED)
        goto out;  /* stays disputed; see doc/reconciliation-decisions.md */
    if (fig->state == CSP_FIGURE_NONE ||
        (fig->state == CSP_FIGURE_STANDS && !fig->has_value)) {
        /* Nothing (or "missing") was reported: the computed figure stands;
         * a "missing" claim agrees with it. */
        if (fig->claim != CSP_NO_INDEX32)
            cl[fig->claim].role = CSP_CLAIM_AGREES;
        stand_computed(fig, ev);
        goto out;
    }
    if (csp_decimal_matches_ratio(fig->value, ev->exact))
        goto out;  /* the submitted figure stands */
    /* The standing claim, and any that merged into it, fail unless they
     * themselves match the exact value. */
    for (size_t i = 0; i < fig->nclaims; i++) {
        csp_claim *c = &cl[i];
        if (c->role != CSP_CLAIM_STANDS && c->role != CSP_CLAIM_AGREES)
            continue;
        if (c->has_value && !csp_decimal_matches_ratio(c->value, ev->exact)) {
            c->role = CSP_CLAIM_CHECK_FAILED;
            if ((err = report_rule_failed(ds, fig, i, ind, ev)))
                goto out;
        } else {
            c->role = CSP_CLAIM_AGREES;
        }
    }
    stand_computed(fig, ev);
out:
    return err;
}

/* Evaluate one derived indicator over every (area, period) its first input
 * stands for; new computed figures are appended and the array re-sorted. */
static csp_error apply_rule(csp_dataset *ds, size_t ind_index)
{
    csp_error err = CSP_OK;
    const csp_indicator *ind = &ds->tpl->indicators[ind_index];
    csp_figure *added = NULL;
    size_t nadded = 0, first, count;
    rule_eval ev;

    if (ind->ninputs == 0)
        goto out;
    csp_dataset_series(ds, ind->inputs[0], NULL, &first, &count);
    added = csp_calloc(count ? count : 1, sizeof *added);
    if (!added) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = first; i < first + count; i++) {
        const csp_figure *base = &ds->figures[i];
        if (!evaluate_rule(ds, ind, base->area, base->period, &ev))
            continue;
        size_t fi = find_figure_at(ds, ind_index, base->area, base->period);
        if (fi != CSP_NO_INDEX) {
            if ((err = check_existing(ds, &ds->figures[fi], ind, &ev)))
                goto out;
            continue;
        }
        csp_figure *nf = &added[nadded++];
        figure_init(nf, ds->tpl, ind_index, base->area, base->period);
        if ((err = keep_rule(ds, nf, ind, &ev)))
            goto out;
        stand_computed(nf, &ev);
    }
    if (nadded) {
        csp_figure *p = csp_realloc(ds->figures,
                                (ds->nfigures + nadded) * sizeof *p);
        if (!p) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        ds->figures = p;
        memcpy(ds->figures + ds->nfigures, added, nadded * sizeof *added);
        ds->nfigures += nadded;
        qsort(ds->figures, ds->nfigures, sizeof *ds->figures, cmp_figure);
    }
out:
    free(added);
    return err;
}

/* Template rules in dependency order (the template has no cycles). */
static csp_error apply_rules(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    bool *done = NULL;
    bool progress = true;

    done = csp_calloc(tpl->nindicators ? tpl->nindicators : 1, sizeof *done);
    if (!done) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < tpl->nindicators; i++)
        done[i] = tpl->indicators[i].rule == CSP_RULE_NONE;
    /* Repeated passes in template order: an indicator is evaluated once
     * every input it reads has been. */
    while (progress) {
        progress = false;
        for (size_t i = 0; i < tpl->nindicators; i++) {
            const csp_indicator *ind = &tpl->indicators[i];
            bool ready = !done[i];
            for (size_t k = 0; ready && k < ind->ninputs; k++) {
                const csp_indicator *in = csp_template_indicator(
                    tpl, ind->inputs[k]);
                if (in && !done[in - tpl->indicators])
                    ready = false;
            }
            if (!ready)
                continue;
            if ((err = apply_rule(ds, i)))
                goto out;
            done[i] = true;
            progress = true;
        }
    }
out:
    free(done);
    return err;
}

/* Add `months` calendar months to a first-of-month date. */
static bool add_months(csp_date d, int months, csp_date *out)
{
    int y, m, day;

    csp_date_to_ymd(d, &y, &m, &day);
    m += months;
    y += (m - 1) / 12;
    m = (m - 1) % 12 + 1;
    return csp_date_from_ymd(y, m, day, out);
}

/* The four quarters of a 12-month period starting on the 1st of a month. */
static bool quarters_of(csp_period p, csp_period q[4])
{
    int y, m, d;
    csp_date end;

    csp_date_to_ymd(p.start, &y, &m, &d);
    if (d != 1 || !add_months(p.start, 12, &end) || end - 1 != p.end)
        return false;
    for (int i = 0; i < 4; i++) {
        csp_date s, e;
        if (!add_months(p.start, 3 * i, &s) ||
            !add_months(p.start, 3 * (i + 1), &e))
            return false;
        q[i].start = s;
        q[i].end = e - 1;
    }
    return true;
}

/* Report a quarters/areas check failure against total figure fig (W409). */
static csp_error report_total_failed(csp_dataset *ds, const csp_figure *fig,
                                     csp_decimal sum, const char *rule,
                                     const char *parts)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &claims_of(ds, fig)[fig->claim];
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ], s[CSP_DECIMAL_BUFSZ];
    csp_strbuf sb;

    csp_strbuf_init(&sb, MSG_MAX);
    key_text(fig, key, sizeof key);
    where_text(ds, c, w, sizeof w);
    csp_decimal_format(fig->value, v);
    csp_decimal_format(sum, s);
    if ((err = csp_strbuf_printf(&sb, "%s's %s is %s (%s), but %s add up to "
                                      "%s (rule: %s); please check which is "
                                      "right",
                                 agency_name(ds, c->agency), key, v, w, parts,
                                 s, rule)))
        goto out;
    err = add_check_failed(ds, fig, c, s, &sb);
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Quarters and areas checks for one submitted count figure, which is in
 * the run @p series of its indicator and area, and @p indicator of its
 * indicator.  The sum is taken first; the parts are written out only when
 * it does not match. */
static csp_error check_totals(csp_dataset *ds, const csp_figure *fig,
                              fig_range series, fig_range indicator)
{
    csp_error err = CSP_OK;
    const csp_template *tpl = ds->tpl;
    csp_period q[4];
    const csp_figure *part[4];
    csp_decimal sum;
    csp_strbuf sb;
    bool all_there;

    csp_strbuf_init(&sb, MSG_MAX);
    /* Quarters: four consecutive quarters covering a 12-month period. */
    if (quarters_of(fig->period, q)) {
        all_there = true;
        sum.units = 0;
        sum.scale = 0;
        for (int i = 0; all_there && i < 4; i++) {
            part[i] = standing_value(ds, series, fig->indicator_index,
                                     fig->area, q[i]);
            all_there = part[i] &&
                        csp_decimal_add(sum, part[i]->value, &sum) == CSP_OK;
        }
        if (all_there && csp_decimal_cmp(sum, fig->value) != 0) {
            if ((err = csp_strbuf_puts(&sb, "its four quarters (")))
                goto out;
            for (int i = 0; i < 4; i++) {
                char v[CSP_DECIMAL_BUFSZ], ps[CSP_PERIOD_BUFSZ];
                csp_decimal_format(part[i]->value, v);
                csp_period_format(q[i], ps);
                if ((err = csp_strbuf_printf(&sb, "%s%s %s", i ? ", " : "",
                                             ps, v)))
                    goto out;
            }
            if ((err = csp_strbuf_puts(&sb, ")")) ||
                (err = report_total_failed(ds, fig, sum, "quarters",
                                           csp_strbuf_str(&sb))))
                goto out;
        }
    }
    /* Areas: the "all" figure is the sum over the template's areas. */
    csp_strbuf_reset(&sb);
    if (strcmp(fig->area, CSP_AREA_ALL) == 0 && tpl->nareas > 0) {
        all_there = true;
        sum.units = 0;
        sum.scale = 0;
        for (size_t i = 0; all_there && i < tpl->nareas; i++) {
            const csp_figure *p =
                standing_value(ds, indicator, fig->indicator_index,
                               tpl->areas[i].id, fig->period);
            all_there = p && csp_decimal_add(sum, p->value, &sum) == CSP_OK;
        }
        if (all_there && csp_decimal_cmp(sum, fig->value) != 0) {
            if ((err = csp_strbuf_puts(&sb, "the areas (")))
                goto out;
            for (size_t i = 0; i < tpl->nareas; i++) {
                /* Found again: every one stands (all_there). */
                const csp_figure *p =
                    standing_value(ds, indicator, fig->indicator_index,
                                   tpl->areas[i].id, fig->period);
                char v[CSP_DECIMAL_BUFSZ];
                if (!p)
                    break;
                csp_decimal_format(p->value, v);
                if ((err = csp_strbuf_printf(&sb, "%s%s %s", i ? ", " : "",
                                             tpl->areas[i].id, v)))
                    goto out;
            }
            if ((err = csp_strbuf_puts(&sb, ")")) ||
                (err = report_total_failed(ds, fig, sum, "areas",
                                           csp_strbuf_str(&sb))))
                goto out;
        }
    }
out:
    csp_strbuf_free(&sb);
    return err;
}

/* Quarters and areas checks over every submitted count that stands. */
static csp_error apply_checks(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    const csp_figure *f = ds->figures;
    size_t n = ds->nfigures;
    fig_range indicator = {0, 0}, series = {0, 0};

    for (size_t i = 0; i < n; i++) {
        const csp_figure *fig = &f[i];
        const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
        /* The runs (figures are sorted by key) fig is the first of. */
        if (i >= indicator.hi) {
            indicator = (fig_range){i, i + 1};
            while (indicator.hi < n &&
                   f[indicator.hi].indicator_index == fig->indicator_index)
                indicator.hi++;
        }
        if (i >= series.hi) {
            series = (fig_range){i, i + 1};
            while (series.hi < indicator.hi &&
                   (f[series.hi].area == fig->area ||
                    strcmp(f[series.hi].area, fig->area) == 0))
                series.hi++;
        }
        /* A computed total's inputs carry any discrepancy themselves. */
        if (ind->unit != CSP_UNIT_COUNT || fig->state != CSP_FIGURE_STANDS ||
            !fig->has_value || fig->computed || fig->claim == CSP_NO_INDEX32)
            continue;
        if ((err = check_totals(ds, fig, series, indicator)))
            goto out;
    }
out:
    return err;
}

/* Report that fig's standing claim is not the owner's (W406). */
static csp_error report_not_from_owner(csp_dataset *ds, const csp_figure *fig,
                                       const char *owner)
{
    csp_error err = CSP_OK;
    const csp_claim *c = &claims_of(ds, fig)[fig->claim];
    char *values = NULL;
    char key[512], w[512], v[CSP_DECIMAL_BUFSZ + 32], msg[2048];
    strvec sv = {0};

    key_text(fig, key, sizeof key);
    where_text(ds, c, w, sizeof w);
    claim_value_long(c, v, sizeof v);
    snprintf(msg, sizeof msg,
             "%s's %s (%s, %s) is used, but %s, which owns this figure, sent "
             "none; please ask %s to confirm it",
             agency_name(ds, c->agency), key, v, w, agency_name(ds, owner),
             agency_name(ds, owner));
    /* The values: every claim that agreed into the standing figure. */
    for (size_t i = 0; i < fig->nclaims; i++) {
        const csp_claim *o = &claims_of(ds, fig)[i];
        if ((o->role == CSP_CLAIM_STANDS || o->role == CSP_CLAIM_AGREES) &&
            (err = strvec_push_claim(&sv, o)))
            goto out;
    }
    if ((err = strvec_join(&sv, &values)))
        goto out;
    csp_diag proto = figure_proto(ds, fig, c, CSP_D_NOT_FROM_OWNER);
    err = add_diag(&ds->diags, &proto, values, msg);
out:
    strvec_free(&sv);
    free(values);
    return err;
}

/* W406 for every submitted figure that stands although not the owner's. */
static csp_error report_owner_gaps(csp_dataset *ds)
{
    csp_error err = CSP_OK;

    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *fig = &ds->figures[i];
        const char *owner = csp_indicator_owner(
            &ds->tpl->indicators[fig->indicator_index], fig->area);
        if (fig->state != CSP_FIGURE_STANDS || fig->computed ||
            fig->claim == CSP_NO_INDEX32 || !owner ||
            nstreq(fig->agency, owner))
            continue;
        if ((err = report_not_from_owner(ds, fig, owner)))
            goto out;
    }
out:
    return err;
}

/* Give each figure with no claims (computed under a rule) its empty run
 * where it falls among the figures (after the last re-sort), so that the
 * runs of claims follow the figures' order without a gap. */
static void place_empty_runs(csp_dataset *ds)
{
    uint32_t next = 0;

    for (size_t i = 0; i < ds->nfigures; i++) {
        csp_figure *fig = &ds->figures[i];
        if (fig->nclaims == 0)
            fig->first_claim = next;
        next = fig->first_claim + fig->nclaims;
    }
}

/* Fill each evaluated rule's input indexes (after the last re-sort): one
 * array for all of them. */
static csp_error link_inputs(csp_dataset *ds)
{
    csp_dataset_state *st = ds->state;
    size_t total = 0, at = 0;

    if (st->nrules == 0)
        return CSP_OK;
    if (st->nrules < st->rules_cap) {
        csp_figure_rule *p = csp_realloc(st->rules, st->nrules * sizeof *p);
        if (p) {
            st->rules = p;
            st->rules_cap = st->nrules;
        }
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        if (ds->figures[i].rule_index != CSP_NO_INDEX32)
            total += ds->tpl->indicators[ds->figures[i].indicator_index]
                         .ninputs;
    if (total &&
        !(st->rule_inputs = csp_malloc(total * sizeof *st->rule_inputs)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *fig = &ds->figures[i];
        const csp_indicator *ind = &ds->tpl->indicators[fig->indicator_index];
        if (fig->rule_index == CSP_NO_INDEX32)
            continue;
        csp_figure_rule *r = &st->rules[fig->rule_index];
        r->ninputs = ind->ninputs;
        r->inputs = r->ninputs ? st->rule_inputs + at : NULL;
        for (size_t k = 0; k < ind->ninputs; k++)
            st->rule_inputs[at++] = find_figure_at(
                ds, input_at(ds->tpl, ind, k), fig->area, fig->period);
    }
    return CSP_OK;
}

/* ------------------------------------------------------------------------ */
/* Stage 5: actions                                                          */
/* ------------------------------------------------------------------------ */

/* Order updates: as-of, submitted, agency, file, line. */
static int cmp_update(const void *pa, const void *pb)
{
    const csp_dataset_update *a = pa, *b = pb;
    int c;

    if (a->as_of != b->as_of)
        return a->as_of < b->as_of ? -1 : 1;
    if ((c = csp_instant_cmp(a->submitted, b->submitted)))
        return c;
    if ((c = nstrcmp(a->agency, b->agency)))
        return c;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* Is update b a better pick than a (same as-of, same status)? */
static bool better_update(const csp_dataset_update *b,
                          const csp_dataset_update *a)
{
    int c = csp_instant_cmp(a->submitted, b->submitted);
    if (c)
        return c < 0;
    if ((c = nstrcmp(a->agency, b->agency)))
        return c > 0;
    if (a->file != b->file)
        return b->file < a->file;
    return b->line < a->line;
}

/* Report a status tie on item it among candidate updates cand[0..n). */
static csp_error report_tie(csp_dataset *ds, csp_dataset_action *it,
                            const size_t *cand, size_t n)
{
    csp_error err = CSP_OK;
    char *values = NULL, *msg = NULL;
    char d[CSP_DATE_BUFSZ];
    strvec sv = {0};
    csp_strbuf sb;
    const csp_dataset_update *cur = &it->updates[it->current];

    csp_strbuf_init(&sb, MSG_MAX);
    csp_date_format(cur->as_of, d);
    if ((err = csp_strbuf_printf(&sb, "action %s has updates as of %s with "
                                      "different statuses: ",
                                 it->ref, d)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        if ((err = csp_strbuf_printf(&sb, "%s%s %s (%s:%lu)",
                                     i == 0 ? "" : (i + 1 == n ? " and " : ", "),
                                     agency_name(ds, u->agency),
                                     csp_action_status_str(u->status),
                                     file_name(ds, u->file),
                                     (unsigned long)u->line)) ||
            (err = strvec_push_pair(&sv, u->agency,
                                    csp_action_status_str(u->status))))
            goto out;
    }
    if ((err = csp_strbuf_printf(&sb, "; the most severe, %s, is shown",
                                 csp_action_status_str(cur->status))))
        goto out;
    if (!(msg = csp_strbuf_take(&sb))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = strvec_join(&sv, &values)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        csp_diag proto = {0};
        proto.code = CSP_D_STATUS_TIE;
        proto.file = (char *)ds->files[u->file].path;
        proto.line = u->line;
        proto.agency = (char *)u->agency;
        proto.ref = (char *)it->ref;
        if ((err = add_diag(&ds->diags, &proto, values, msg)))
            goto out;
    }
out:
    csp_strbuf_free(&sb);
    strvec_free(&sv);
    free(values);
    free(msg);
    return err;
}

/* Order the updates at an item's latest as-of so that each agency's
 * current one leads its run: agency, latest submitted, most severe,
 * file, line. */
static int cmp_agency_update(const void *pa, const void *pb)
{
    const csp_dataset_update *a = *(const csp_dataset_update *const *)pa;
    const csp_dataset_update *b = *(const csp_dataset_update *const *)pb;
    int c;

    if ((c = nstrcmp(a->agency, b->agency)))
        return c;
    if ((c = csp_instant_cmp(b->submitted, a->submitted)))
        return c;
    if (a->status != b->status)
        return a->status > b->status ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return 0;
}

/* The first of the updates [0, n) of it that share the latest as-of. */
static size_t latest_as_of_start(const csp_dataset_action *it, size_t n)
{
    size_t first = n - 1;
    while (first > 0 && it->updates[first - 1].as_of == it->updates[n - 1].as_of)
        first--;
    return first;
}

/* Is update i, of the updates [first, n) with one as-of, of its agency's
 * latest submission among them?  Only those are candidates. */
static bool candidate(const csp_dataset_action *it, size_t first, size_t n,
                      size_t i)
{
    const csp_dataset_update *u = &it->updates[i];
    for (size_t j = first; j < n; j++)
        if (nstreq(it->updates[j].agency, u->agency) &&
            csp_instant_cmp(it->updates[j].submitted, u->submitted) > 0)
            return false;
    return true;
}

/*
 * The update that stands among the updates [0, n) of it (n > 0): the
 * latest as-of; at that as-of each agency's latest submission; different
 * statuses -> the most severe (*tie set).
 */
static size_t pick_current(const csp_dataset_action *it, size_t n, bool *tie)
{
    size_t first = latest_as_of_start(it, n), best = CSP_NO_INDEX;

    *tie = false;
    for (size_t i = first; i < n; i++) {
        if (!candidate(it, first, n, i))
            continue;
        const csp_dataset_update *u = &it->updates[i];
        if (best == CSP_NO_INDEX) {
            best = i;
            continue;
        }
        const csp_dataset_update *b = &it->updates[best];
        if (u->status != b->status)
            *tie = true;
        if (u->status > b->status ||
            (u->status == b->status && better_update(u, b)))
            best = i;
    }
    return best;
}

/* The update that stood on a date. */
size_t csp_dataset_action_current_by(const csp_dataset_action *it,
                                     csp_date end, bool *tie)
{
    size_t n = 0;

    *tie = false;
    /* Updates are in as-of order: those by @p end come first. */
    while (n < it->nupdates && it->updates[n].as_of <= end)
        n++;
    return n ? pick_current(it, n, tie) : CSP_NO_INDEX;
}

/*
 * The current updates of one item: at the latest as-of, each agency's
 * latest submission is a candidate and the most severe of its candidates
 * is current (a joint action shows every partner's update).  The item's
 * status is the most severe candidate's; different statuses: W408.
 */
static csp_error choose_current(csp_dataset *ds, csp_dataset_action *it)
{
    csp_error err = CSP_OK;
    size_t n = it->nupdates, first, m, ncand = 0;
    size_t *cand = NULL;
    csp_dataset_update **pick = NULL;
    bool *is_cand = NULL;
    bool tie = false;

    it->current = CSP_NO_INDEX;
    it->ncurrent = 0;
    if (n == 0)
        goto out;
    first = latest_as_of_start(it, n);
    m = n - first;
    cand = csp_malloc(m * sizeof *cand);
    pick = csp_malloc(m * sizeof *pick);
    is_cand = csp_calloc(m, sizeof *is_cand);
    if (!cand || !pick || !is_cand) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* Sorted, not compared pairwise: one agency may have sent thousands
     * of files. */
    for (size_t i = 0; i < m; i++)
        pick[i] = &it->updates[first + i];
    qsort(pick, m, sizeof *pick, cmp_agency_update);
    for (size_t i = 0, lead = 0; i < m; i++) {
        if (i == 0 || !nstreq(pick[i - 1]->agency, pick[i]->agency)) {
            lead = i;
            pick[i]->current = true;
            it->ncurrent++;
        }
        if (csp_instant_cmp(pick[i]->submitted, pick[lead]->submitted) == 0)
            is_cand[pick[i] - it->updates - first] = true;
    }
    /* The candidates in history order, as W408 lists them. */
    for (size_t i = 0; i < m; i++)
        if (is_cand[i])
            cand[ncand++] = first + i;
    size_t best = cand[0];
    for (size_t i = 1; i < ncand; i++) {
        const csp_dataset_update *u = &it->updates[cand[i]];
        const csp_dataset_update *b = &it->updates[best];
        if (u->status != b->status)
            tie = true;
        if (u->status > b->status ||
            (u->status == b->status && better_update(u, b)))
            best = cand[i];
    }
    /* best leads its agency's run (same order within one agency), so it
     * is current already. */
    it->current = best;
    it->tie = tie;
    if (tie)
        err = report_tie(ds, it, cand, ncand);
out:
    free(cand);
    free(pick);
    free(is_cand);
    return err;
}

/* Give each item's updates the files' sorted indexes (where, by holder),
 * sort them into history order and choose the current one. */
static csp_error finish_actions(csp_dataset *ds, const size_t *where)
{
    csp_error err = CSP_OK;

    for (size_t k = 0; k < ds->nactions; k++) {
        csp_dataset_action *it = &ds->actions[k];
        for (size_t i = 0; i < it->nupdates; i++)
            it->updates[i].file = (uint32_t)where[it->updates[i].file];
        if (it->nupdates > 1)
            qsort(it->updates, it->nupdates, sizeof *it->updates, cmp_update);
        if ((err = choose_current(ds, it)))
            goto out;
    }
out:
    return err;
}

/* ------------------------------------------------------------------------ */
/* Stage 6: the order of the diagnostics                                     */
/* ------------------------------------------------------------------------ */

/* A diagnostic with the dataset file it is about, while sorting. */
typedef struct diag_entry {
    csp_diag d;                  /* moved from ds->diags and back */
    const csp_dataset_file *f;   /* NULL: no file of the dataset */
} diag_entry;

/* 0: about no file; 1: about a path that is no file of the dataset (a
 * folder on the command line); 2: about a file of the dataset. */
static int diag_group(const diag_entry *e)
{
    return !e->d.file ? 0 : !e->f ? 1 : 2;
}

/*
 * The dataset's order of diagnostics.  Nothing before the last two keys
 * depends on a name: run-level diagnostics first, then by the identity of
 * the file (csp_out_file_identity_cmp), then as within a file
 * (csp_diag_cmp_in_file: line, code, key, ref, agency, values and message,
 * which name files by base name only); the base name and the path decide
 * only between diagnostics that are otherwise equal.
 */
static int cmp_diag_entry(const void *pa, const void *pb)
{
    const diag_entry *ea = pa, *eb = pb;
    const csp_diag *a = &ea->d, *b = &eb->d;
    int ga = diag_group(ea), gb = diag_group(eb), c;

    if (ga != gb)
        return ga < gb ? -1 : 1;
    if (ga == 2 && (c = csp_out_file_identity_cmp(ea->f, eb->f)))
        return c;
    if ((c = csp_diag_cmp_in_file(a, b)))
        return c;
    if (ga == 0)
        return 0;
    if ((c = strcmp(path_name(sort_ds, a->file),
                    path_name(sort_ds, b->file))))
        return c;
    return strcmp(a->file, b->file);
}

/* Sort ds->diags into the dataset's order (after files are sorted). */
static csp_error sort_diags(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    size_t n = ds->diags.count;
    diag_entry *de = NULL;
    size_t *diag_file = NULL;

    if (n < 2)
        goto out;
    if ((err = csp_out_diag_files(ds, &diag_file)) != CSP_OK)
        goto out;
    if (!(de = csp_malloc(n * sizeof *de))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        de[i].d = ds->diags.items[i];
        de[i].f = diag_file[i] == CSP_NO_INDEX ? NULL
                                               : &ds->files[diag_file[i]];
    }
    sort_ds = ds;
    qsort(de, n, sizeof *de, cmp_diag_entry);
    sort_ds = NULL;
    for (size_t i = 0; i < n; i++)
        ds->diags.items[i] = de[i].d;
out:
    free(de);
    free(diag_file);
    return err;
}

/* ------------------------------------------------------------------------ */
/* The whole run                                                             */
/* ------------------------------------------------------------------------ */

/* Count each file's claims by role. */
static void count_roles(csp_dataset *ds)
{
    for (size_t i = 0; i < ds->nclaims; i++)
        ds->files[ds->claims[i].file].roles[ds->claims[i].role]++;
}

/* Reconcile everything added. */
csp_error csp_dataset_reconcile(csp_dataset *ds)
{
    csp_error err = CSP_OK;
    size_t *where = NULL;

    if (!ds || ds->reconciled) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    ds->reconciled = true;
    if ((err = prepare_files(ds, &where)) || (err = build_figures(ds, where)))
        goto out;
    for (size_t i = 0; i < ds->nfigures; i++)
        if ((err = resolve_figure(ds, &ds->figures[i])))
            goto out;
    if ((err = apply_rules(ds)) || (err = apply_checks(ds)) ||
        (err = report_owner_gaps(ds)) || (err = link_inputs(ds)) ||
        (err = finish_actions(ds, where)))
        goto out;
    place_empty_runs(ds);
    count_roles(ds);
    if ((err = csp_packperiod_decide(ds)))
        goto out;
    err = sort_diags(ds);
out:
    free(where);
    return err;
}

/* ------------------------------------------------------------------------ */
/* Lookups                                                                   */
/* ------------------------------------------------------------------------ */

/* The figure for a key. */
const csp_figure *csp_dataset_figure(const csp_dataset *ds,
                                     const char *indicator, const char *area,
                                     csp_period period)
{
    size_t i;

    if (!ds || !indicator || !area)
        return NULL;
    i = find_figure(ds, indicator, area, period);
    return i == CSP_NO_INDEX ? NULL : &ds->figures[i];
}

/* Compare a figure's (indicator, area) with a prefix; area NULL: any. */
static int cmp_prefix(const csp_figure *f, const char *indicator,
                      const char *area)
{
    int c = strcmp(f->indicator, indicator);
    if (c || !area)
        return c;
    return strcmp(f->area, area);
}

/* The run of figures of one indicator (and area, unless NULL). */
void csp_dataset_series(const csp_dataset *ds, const char *indicator,
                        const char *area, size_t *first, size_t *count)
{
    size_t lo = 0, hi, end;

    *first = 0;
    *count = 0;
    if (!ds || !indicator)
        return;
    /* Lower bound. */
    hi = ds->nfigures;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_prefix(&ds->figures[mid], indicator, area) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    end = lo;
    while (end < ds->nfigures &&
           cmp_prefix(&ds->figures[end], indicator, area) == 0)
        end++;
    *first = lo;
    *count = end - lo;
}

/* The k-th current update of an item, the one that decides first. */
const csp_dataset_update *csp_dataset_action_current(
    const csp_dataset_action *a, size_t k)
{
    if (!a || a->current >= a->nupdates || k >= a->ncurrent)
        return NULL;
    if (k == 0)
        return &a->updates[a->current];
    /* The others are at the same as-of, the last run of the history. */
    size_t i = a->current;
    while (i > 0 && a->updates[i - 1].as_of == a->updates[a->current].as_of)
        i--;
    for (; i < a->nupdates; i++)
        if (a->updates[i].current && i != a->current && --k == 0)
            return &a->updates[i];
    return NULL;
}

/* The item of an action ref. */
const csp_dataset_action *csp_dataset_action_item(const csp_dataset *ds,
                                                  const char *ref)
{
    if (!ds || !ref)
        return NULL;
    for (size_t i = 0; i < ds->nactions; i++)
        if (strcmp(ds->actions[i].ref, ref) == 0)
            return &ds->actions[i];
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Dump                                                                      */
/* ------------------------------------------------------------------------ */

/* Print a 128-bit integer in decimal. */
static void print_i128(FILE *out, csp_int128 v)
{
    char buf[48];
    size_t n = sizeof buf;
    bool neg = v < 0;
    unsigned __int128 u = neg ? (unsigned __int128)0 - (unsigned __int128)v
                              : (unsigned __int128)v;

    buf[--n] = '\0';
    do {
        buf[--n] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u);
    if (neg)
        buf[--n] = '-';
    fputs(buf + n, out);
}

/* A path or "-" for a file index. */
static const char *file_path(const csp_dataset *ds, size_t i)
{
    if (i == CSP_NO_INDEX || i >= ds->nfiles || !ds->files[i].path)
        return "-";
    return ds->files[i].path;
}

/* A string or "-". */
static const char *dash(const char *s)
{
    return s ? s : "-";
}

/* Dump one figure and its claims. */
static void dump_figure(const csp_dataset *ds, const csp_figure *f, FILE *out)
{
    char p[CSP_PERIOD_BUFSZ], v[CSP_DECIMAL_BUFSZ], t[CSP_INSTANT_BUFSZ];
    const csp_figure_rule *r = csp_dataset_figure_rule(ds, f);

    csp_period_format(f->period, p);
    if (f->has_value)
        csp_decimal_format(f->value, v);
    else
        snprintf(v, sizeof v, "-");
    if (f->has_submitted)
        csp_instant_format(f->submitted, t);
    else
        snprintf(t, sizeof t, "-");
    fprintf(out, "figure %s %s %s state=%s value=%s agency=%s file=%s "
                 "line=%lu submitted=%s computed=%d note=%s",
            f->indicator, f->area, p, csp_figure_status_str(f), v,
            dash(f->agency),
            file_path(ds, f->has_submitted ? f->file : CSP_NO_INDEX),
            (unsigned long)f->line, t,
            (int)f->computed, dash(f->note));
    if (r) {
        fputs(" exact=", out);
        print_i128(out, r->exact.num);
        fputc('/', out);
        print_i128(out, r->exact.den);
        fprintf(out, " population=%lld inputs=", (long long)r->population);
        for (size_t k = 0; k < r->ninputs; k++)
            fprintf(out, "%s%zu", k ? "," : "", r->inputs[k]);
    }
    fputc('\n', out);
    for (size_t k = 0; k < f->nclaims; k++) {
        const csp_claim *c = &csp_dataset_claims(ds, f)[k];
        claim_value_text(c, v);
        csp_instant_format(c->submitted, t);
        fprintf(out, "  claim %s %s:%lu %s value=%s status=%s role=%s\n",
                dash(c->agency), file_path(ds, c->file),
                (unsigned long)c->line, t, v,
                csp_obs_status_str(c->status), csp_claim_role_str(c->role));
    }
}

/* Write the canonical dump. */
csp_error csp_dataset_dump(const csp_dataset *ds, FILE *out)
{
    csp_error err = CSP_OK;
    char t[CSP_INSTANT_BUFSZ], d[CSP_DATE_BUFSZ], p[CSP_PERIOD_BUFSZ];

    if (!ds || !out) {
        err = CSP_ERR_USAGE;
        goto out;
    }
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->has_submitted)
            csp_instant_format(f->submitted, t);
        else
            snprintf(t, sizeof t, "-");
        fprintf(out, "file %zu %s agency=%s submitted=%s sha256=%s size=%zu "
                     "refused=%d duplicate_of=%s obs=%zu updates=%zu "
                     "refused_items=%zu roles=",
                i, dash(f->path), dash(f->agency), t, f->sha256, f->size,
                (int)f->refused, file_path(ds, f->duplicate_of),
                f->obs_accepted, f->updates_accepted, f->items_refused);
        for (int r = 0; r < CSP_CLAIM_ROLE_COUNT_; r++)
            fprintf(out, "%s%zu", r ? "," : "", f->roles[r]);
        fputc('\n', out);
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        dump_figure(ds, &ds->figures[i], out);
    for (size_t i = 0; i < ds->nactions; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        if (a->current == CSP_NO_INDEX)
            fprintf(out, "action %s theme=%zu current=- tie=%d\n", a->ref,
                    a->theme, (int)a->tie);
        else
            fprintf(out, "action %s theme=%zu current=%zu of %zu tie=%d\n",
                    a->ref, a->theme, a->current, a->ncurrent, (int)a->tie);
        for (size_t k = 0; k < a->nupdates; k++) {
            const csp_dataset_update *u = &a->updates[k];
            csp_date_format(u->as_of, d);
            csp_instant_format(u->submitted, t);
            fprintf(out, "  update %s as_of=%s status=%s %s %s:%lu %s "
                         "current=%d\n",
                    u->ref, d, csp_action_status_str(u->status),
                    dash(u->agency), file_path(ds, u->file),
                    (unsigned long)u->line, t,
                    (int)u->current);
        }
    }
    for (size_t i = 0; i < ds->diags.count; i++) {
        const csp_diag *g = &ds->diags.items[i];
        if (g->has_period)
            csp_period_format(g->period, p);
        else
            snprintf(p, sizeof p, "-");
        fprintf(out, "diag %s %s:%lu agency=%s key=%s/%s/%s ref=%s "
                     "values=%s: %s\n",
                csp_diag_code_str(g->code), dash(g->file), g->line,
                dash(g->agency), dash(g->indicator), dash(g->area), p,
                dash(g->ref), dash(g->values), dash(g->message));
    }
    if (ferror(out))
        err = CSP_ERR_IO;
out:
    return err;
}
