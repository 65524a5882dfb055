/* csppack: the dataset's accessors, the names and order of its files,
 * its dump, and freeing it (model/dataset.h). */
#include "csppack/model/dataset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* strcmp treating NULL as "". */
static int nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
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

/* A claim's value as text: the decimal as written, or its status. */
void csp_claim_value_text(const csp_claim *c, char buf[CSP_DECIMAL_BUFSZ])
{
    if (c->has_value)
        csp_decimal_format(c->value, buf);
    else
        snprintf(buf, CSP_DECIMAL_BUFSZ, "%s", csp_obs_status_str(c->status));
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
    for (size_t i = 0; i < ds->nsuperseded; i++)
        free((char *)ds->superseded[i].claim.note);
    free(ds->superseded);
    free(ds->revisions);
    free(ds->status_changes);
    csp_previous_free(ds->previous);
    for (size_t i = 0; i < ds->nactions; i++)
        free(ds->actions[i].updates);
    free(ds->actions);
    csp_diag_list_free(&ds->diags);
    for (size_t i = 0; i < ds->nroots; i++)
        free(ds->roots[i]);
    free(ds->roots);
    free(ds->rules);
    free(ds->rule_inputs);
    free(ds->ind_rank);
    csp_spool_close(&ds->spool);
    if (ds->state && ds->state_free)
        ds->state_free(ds->state);
    free(ds);
}

/* Take the previous pack to compare with, before reconciling. */
csp_error csp_dataset_set_previous(csp_dataset *ds, csp_previous *prev)
{
    if (!ds || ds->reconciled) {
        csp_previous_free(prev);
        return CSP_ERR_USAGE;
    }
    csp_previous_free(ds->previous);
    ds->previous = prev;
    return CSP_OK;
}

/* An update's progress statement, read back from the spool. */
csp_error csp_dataset_update_progress(const csp_dataset *ds,
                                      const csp_dataset_update *u, char **out)
{
    if (!ds || !u || !out)
        return CSP_ERR_USAGE;
    if (u->progress_len == 0) {
        *out = csp_strdup("");
        return *out ? CSP_OK : CSP_ERR_NOMEM;
    }
    return csp_spool_get(&ds->spool, u->progress_at, u->progress_len,
                         out);
}

/* The same into the caller's buffer. */
csp_error csp_dataset_update_progress_read(const csp_dataset *ds,
                                           const csp_dataset_update *u,
                                           char *buf)
{
    if (!ds || !u || !buf)
        return CSP_ERR_USAGE;
    buf[u->progress_len] = '\0';
    if (u->progress_len == 0)
        return CSP_OK;
    return csp_spool_read(&ds->spool, u->progress_at, u->progress_len,
                          buf);
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

/* Compare a prefix of a path (key, len) with a root, as strcmp would. */
static int prefix_cmp(const char *key, size_t len, const char *root)
{
    int c = strncmp(key, root, len);
    if (c)
        return c;
    return root[len] ? -1 : 0;
}

/* A path's name in outputs: relative to the longest root holding it. */
const char *csp_path_name(const char *const *roots, size_t nroots,
                          const char *path)
{
    if (!path)
        return NULL;
    /* Each '/' from the right ends a candidate root; binary search. */
    for (const char *s = strrchr(path, '/'); s && s[1]; ) {
        size_t len = (size_t)(s - path), lo = 0, hi = nroots;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int c = prefix_cmp(path, len, roots[mid]);
            if (c == 0)
                return s + 1;
            if (c < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (s == path)
            break;
        const char *p = s - 1;
        while (p > path && *p != '/')
            p--;
        s = *p == '/' ? p : NULL;
    }
    const char *slash = strrchr(path, '/');
    /* "inbox/" names a folder: keep it whole rather than print "". */
    return slash && slash[1] ? slash + 1 : path;
}

/* A path's name in outputs. */
const char *csp_dataset_name(const csp_dataset *ds, const char *path)
{
    return csp_path_name((const char *const *)ds->roots, ds->nroots, path);
}
/* The claims of a figure. */
const csp_claim *csp_dataset_claims(const csp_dataset *ds,
                                    const csp_figure *fig)
{
    return ds && fig && fig->nclaims ? ds->claims + fig->first_claim : NULL;
}

/* The evaluated rule of a figure. */
const csp_figure_rule *csp_dataset_figure_rule(const csp_dataset *ds,
                                               const csp_figure *fig)
{
    if (!ds || !fig || fig->rule_index == CSP_NO_INDEX32 ||
        fig->rule_index >= ds->nrules)
        return NULL;
    return &ds->rules[fig->rule_index];
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

/* The update that stood on a date: the one that decides at the latest
 * as-of by then (reconcile marked it). */
size_t csp_dataset_action_current_by(const csp_dataset_action *it,
                                     csp_date end, bool *tie)
{
    size_t n = 0;

    *tie = false;
    /* Updates are in as-of order: those by @p end come first. */
    while (n < it->nupdates && it->updates[n].as_of <= end)
        n++;
    for (size_t i = n; i > 0 && it->updates[i - 1].as_of ==
                                    it->updates[n - 1].as_of; i--)
        if (it->updates[i - 1].decides) {
            *tie = it->updates[i - 1].tie;
            return i - 1;
        }
    return CSP_NO_INDEX;
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

/* When documents made from ds say they were created. */
csp_instant csp_pack_timestamp(const csp_dataset *ds)
{
    csp_instant t = {.seconds = 315532800, .nanos = 0, .offset_min = 0};
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (!*end && v >= 0) {
            t.seconds = v;
            return t;
        }
    }
    bool any = false;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused || !f->has_submitted ||
            f->duplicate_of != CSP_NO_INDEX)
            continue;
        if (!any || csp_instant_cmp(f->submitted, t) > 0)
            t = f->submitted;
        any = true;
    }
    return t;
}

/* The board pack's default period, as reconciliation chose it. */
bool csp_pack_default_period(const csp_dataset *ds, csp_period *out)
{
    if (ds->pack_period.basis == CSP_PERIOD_NONE)
        return false;
    *out = ds->pack_period.period;
    return true;
}

/* A file's name in outputs. */
const char *csp_dataset_file_name(const csp_dataset *ds, size_t i)
{
    if (i == CSP_NO_INDEX || i >= ds->nfiles)
        return NULL;
    return csp_dataset_name(ds, ds->files[i].path);
}

/* A file's path and index, for csp_dataset_diag_files. */
typedef struct path_entry {
    const char *path;
    size_t index;
} path_entry;

/* By path, then index (so the first of equal paths is the lowest index). */
static int cmp_path_entry(const void *pa, const void *pb)
{
    const path_entry *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    if (c)
        return c;
    return (a->index > b->index) - (a->index < b->index);
}

/* The file of every diagnostic, through a sorted path table. */
csp_error csp_dataset_diag_files(const csp_dataset *ds, size_t **out)
{
    const csp_diag_list *l = &ds->diags;
    path_entry *pe = NULL;
    size_t np = 0, *files = NULL;
    *out = NULL;
    if (!l->count)
        return CSP_OK;
    files = csp_malloc(l->count * sizeof *files);
    pe = csp_malloc((ds->nfiles ? ds->nfiles : 1) * sizeof *pe);
    if (!files || !pe) {
        free(files);
        free(pe);
        return CSP_ERR_NOMEM;
    }
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].path) {
            pe[np].path = ds->files[i].path;
            pe[np].index = i;
            np++;
        }
    if (np > 1)
        qsort(pe, np, sizeof *pe, cmp_path_entry);
    for (size_t i = 0; i < l->count; i++) {
        const char *path = l->items[i].file;
        size_t lo = 0, hi = np;
        files[i] = CSP_NO_INDEX;
        if (!path)
            continue;
        /* A file's diagnostics come together: most name the path the one
         * before named. */
        if (i && l->items[i - 1].file &&
            strcmp(l->items[i - 1].file, path) == 0) {
            files[i] = files[i - 1];
            continue;
        }
        while (lo < hi) { /* the first entry not below path */
            size_t mid = lo + (hi - lo) / 2;
            if (strcmp(pe[mid].path, path) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < np && strcmp(pe[lo].path, path) == 0)
            files[i] = pe[lo].index;
    }
    free(pe);
    *out = files;
    return CSP_OK;
}

/* The dataset being ordered, for the qsort comparator (one per thread: the
 * workbook is written beside the other parts). */
static _Thread_local const csp_dataset *order_ds;

/* Compare two files by identity. */
int csp_dataset_file_identity_cmp(const csp_dataset_file *a,
                                  const csp_dataset_file *b)
{
    int c;
    bool ka = a->agency != NULL, kb = b->agency != NULL;
    if (ka != kb)
        return ka ? -1 : 1;
    if ((c = nstrcmp(a->agency, b->agency)))
        return c;
    if (a->has_submitted != b->has_submitted)
        return a->has_submitted ? -1 : 1;
    if (a->has_submitted) {
        if ((c = csp_instant_cmp(a->submitted, b->submitted)))
            return c;
        /* Same instant written with another offset: order by the offset. */
        if (a->submitted.offset_min != b->submitted.offset_min)
            return a->submitted.offset_min < b->submitted.offset_min ? -1
                                                                     : 1;
    }
    return nstrcmp(a->sha256, b->sha256);
}

/* Compare two files by identity, then name. */
static int cmp_file_identity(const void *pa, const void *pb)
{
    const csp_dataset_file *a = &order_ds->files[*(const size_t *)pa];
    const csp_dataset_file *b = &order_ds->files[*(const size_t *)pb];
    int c;
    if ((c = csp_dataset_file_identity_cmp(a, b)))
        return c;
    if ((c = nstrcmp(csp_dataset_name(order_ds, a->path),
                     csp_dataset_name(order_ds, b->path))))
        return c;
    return nstrcmp(a->path, b->path);
}

/* The canonical order of files. */
csp_error csp_dataset_file_order(const csp_dataset *ds, size_t **rank_out,
                                 size_t **order_out)
{
    size_t n = ds->nfiles ? ds->nfiles : 1;
    size_t *order = csp_malloc(n * sizeof *order);
    size_t *rank = csp_malloc(n * sizeof *rank);
    if (rank_out)
        *rank_out = NULL;
    if (order_out)
        *order_out = NULL;
    if (!order || !rank) {
        free(order);
        free(rank);
        return CSP_ERR_NOMEM;
    }
    for (size_t i = 0; i < ds->nfiles; i++)
        order[i] = i;
    order_ds = ds;
    if (ds->nfiles > 1)
        qsort(order, ds->nfiles, sizeof *order, cmp_file_identity);
    order_ds = NULL;
    for (size_t k = 0; k < ds->nfiles; k++)
        rank[order[k]] = k;
    if (rank_out)
        *rank_out = rank;
    else
        free(rank);
    if (order_out)
        *order_out = order;
    else
        free(order);
    return CSP_OK;
}

/* An entry not read: I116, E118. */
bool csp_dataset_diag_skipped(const csp_diag *d)
{
    return d->file && (d->code == CSP_D_SKIPPED || d->code == CSP_D_TOO_DEEP);
}

/* By name, then position (names are unique but for a run's summary). */
static int cmp_skipped(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const csp_diag *da = &order_ds->diags.items[a];
    const csp_diag *db = &order_ds->diags.items[b];
    int c = strcmp(csp_dataset_name(order_ds, da->file),
                   csp_dataset_name(order_ds, db->file));
    return c ? c : (a > b) - (a < b);
}

/* The entries not read, by name. */
csp_error csp_dataset_skipped(const csp_dataset *ds, size_t **out, size_t *n)
{
    size_t k = 0;
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < ds->diags.count; i++)
        k += csp_dataset_diag_skipped(&ds->diags.items[i]);
    if (!k)
        return CSP_OK;
    if (!(*out = csp_malloc(k * sizeof **out)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->diags.count; i++)
        if (csp_dataset_diag_skipped(&ds->diags.items[i]))
            (*out)[(*n)++] = i;
    order_ds = ds;
    qsort(*out, *n, sizeof **out, cmp_skipped);
    order_ds = NULL;
    return CSP_OK;
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
        csp_claim_value_text(c, v);
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
