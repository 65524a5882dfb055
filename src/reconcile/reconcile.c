/*
 * csppack: reconciliation (doc/reconciliation.md, version 1).
 *
 * The public entry points; the work is in stages, each deterministic on
 * its own, each in its own file:
 *   0. as files are added, their obs are folded into keys (fold.c);
 *   1. files are sorted by identity (agency, submitted, SHA-256; names
 *      only as the last tie-break); of byte-identical files the one whose
 *      path sorts first counts, the others are duplicates (I401) and
 *      contribute nothing (fold.c);
 *   2. every obs of every counting file becomes a claim on its key; the
 *      claims are grouped per key (figures sorted by key, claims by
 *      submitted, agency, file (so: SHA-256), line) (fold.c);
 *   3. per key: supersession, withdrawal and conflict within each agency,
 *      then owner / non-owner / dispute across agencies (figures.c);
 *   4. template rules (sum, rate, share) in dependency order, then the
 *      quarters and areas checks (rules.c); then the owners' gaps
 *      (figures.c);
 *   5. action items: history and current status (actions.c);
 *   6. the board pack's period (packperiod.c);
 *   7. every diagnostic sorted into the dataset's order (sort_diags, here);
 *   8. what changed since the previous pack, when there is one
 *      (revisions.c).
 * Messages are worded in explain.c.
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
#include "csppack/reconcile/actions.h"
#include "csppack/reconcile/explain.h"
#include "csppack/reconcile/figures.h"
#include "csppack/reconcile/fold.h"
#include "csppack/reconcile/packperiod.h"
#include "csppack/reconcile/revisions.h"
#include "csppack/reconcile/rules.h"

/* The dataset whose diagnostics cmp_diag_entry sorts (qsort has no
 * context; per thread, as the writers' contexts are). */
static _Thread_local const csp_dataset *sort_ds;

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
    csp_spool_init(&ds->spool);
    if (csp_fold_start(ds)) {
        csp_dataset_free(ds);
        return NULL;
    }
    return ds;
}

/* Add one submission (taking it) and its reading diagnostics. */
csp_error csp_dataset_add_submission(csp_dataset *ds, csp_submission *sub,
                                     csp_diag_list *read_diags)
{
    if (!ds || !sub || ds->reconciled) {
        csp_submission_free(sub);
        if (read_diags)
            csp_diag_list_free(read_diags);
        return CSP_ERR_USAGE;
    }
    return csp_fold_add(ds, sub, read_diags);
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
 * the file (csp_dataset_file_identity_cmp), then as within a file
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
    if (ga == 2 && (c = csp_dataset_file_identity_cmp(ea->f, eb->f)))
        return c;
    if ((c = csp_diag_cmp_in_file(a, b)))
        return c;
    if (ga == 0)
        return 0;
    if ((c = strcmp(csp_explain_path(sort_ds, a->file),
                    csp_explain_path(sort_ds, b->file))))
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
    if ((err = csp_dataset_diag_files(ds, &diag_file)) != CSP_OK)
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
    if ((err = csp_fold_files(ds, &where)) ||
        (err = csp_fold_figures(ds, where)))
        goto out;
    for (size_t i = 0; i < ds->nfigures; i++)
        if ((err = csp_figures_resolve(ds, &ds->figures[i])))
            goto out;
    if ((err = csp_rules_apply(ds)) || (err = csp_rules_check_totals(ds)) ||
        (err = csp_figures_owner_gaps(ds)) ||
        (err = csp_rules_link_inputs(ds)) ||
        (err = csp_actions_finish(ds, where)))
        goto out;
    csp_figures_place_runs(ds);
    csp_fold_place_superseded(ds);
    count_roles(ds);
    if ((err = csp_packperiod_decide(ds)))
        goto out;
    if ((err = sort_diags(ds)))
        goto out;
    err = csp_revisions_compute(ds);
out:
    free(where);
    return err;
}
