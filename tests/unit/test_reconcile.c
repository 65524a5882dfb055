/* Unit tests: reconciliation (doc/reconciliation.md) on the built-in
 * template, with submissions built in memory and the Kent Police sample. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/reconcile/reconcile.h"
#include "periods.h"
#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* Building submissions                                                      */
/* ------------------------------------------------------------------------ */

/* The periods, T1 and OBS are periods.h's. */
#define T2 "2016-10-21T11:40:00+01:00"
#define T3 "2016-10-28T08:00:00Z"

#define OBS_ST(ind, area, per, val, st)                                        \
    "<obs indicator=\"" ind "\" area=\"" area "\" period=\"" per               \
    "\" value=\"" val "\" status=\"" st "\"/>\n"
#define OBS_NOVAL(ind, area, per, st)                                          \
    "<obs indicator=\"" ind "\" area=\"" area "\" period=\"" per               \
    "\" status=\"" st "\">Not available.</obs>\n"
#define UPD(ref, st, asof)                                                     \
    "<update ref=\"" ref "\" status=\"" st "\" as-of=\"" asof                  \
    "\">Progress on " ref ".</update>\n"
#define OBSERVATIONS(x) "<observations>\n" x "</observations>\n"
#define ACTIONS(x) "<actions>\n" x "</actions>\n"

/* The whole document for one submission. */
static char *make_xml(const char *agency, const char *submitted,
                      const char *body)
{
    static const char *const parts[] = {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<submission xmlns=\"urn:csppack:submission:1\" "
        "strategy=\"dg-csp-2016-19\" agency=\"",
        "\" submitted=\"",
        "\">\n<submitter name=\"Data Officer\" email=\"d@example.org\"/>\n",
        "</submission>\n"};
    size_t n = strlen(parts[0]) + strlen(parts[1]) + strlen(parts[2]) +
               strlen(parts[3]) + strlen(agency) + strlen(submitted) +
               strlen(body) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    s[0] = '\0';
    strcat(s, parts[0]);
    strcat(s, agency);
    strcat(s, parts[1]);
    strcat(s, submitted);
    strcat(s, parts[2]);
    strcat(s, body);
    strcat(s, parts[3]);
    return s;
}

/* Parse a document named `name`; its reading diagnostics go to *d. */
static csp_submission *parse_xml(const char *name, const char *xml,
                                 csp_diag_list *d)
{
    return tu_parse(name, xml, strlen(xml), d);
}

/* Add a document to the dataset. */
static void add_doc(csp_dataset *ds, const char *name, const char *xml)
{
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = parse_xml(name, xml, &d);
    assert_false(sub->refused);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    assert_int_equal(d.count, 0);
    csp_diag_list_free(&d);
}

/* Build and add a submission. */
static void add(csp_dataset *ds, const char *name, const char *agency,
                const char *submitted, const char *body)
{
    char *xml = make_xml(agency, submitted, body);
    add_doc(ds, name, xml);
    free(xml);
}

/* A new dataset over the built-in template. */
static csp_dataset *new_ds(void)
{
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    return ds;
}

/* Reconcile, asserting success. */
static void reconcile(csp_dataset *ds)
{
    assert_int_equal(csp_dataset_reconcile(ds), CSP_OK);
}

/* A period from its text. */
static csp_period per(const char *s)
{
    csp_period p;
    assert_int_equal(csp_period_parse(s, strlen(s), &p), CSP_PERIOD_OK);
    return p;
}

/* The figure for a key, which must exist. */
static const csp_figure *fig(const csp_dataset *ds, const char *ind,
                             const char *area, const char *period)
{
    const csp_figure *f = csp_dataset_figure(ds, ind, area, per(period));
    assert_non_null(f);
    return f;
}

/* Assert a figure stands with value text `val` from `agency`. */
static void assert_stands(const csp_figure *f, const char *val,
                          const char *agency)
{
    char buf[CSP_DECIMAL_BUFSZ];
    assert_int_equal(f->state, CSP_FIGURE_STANDS);
    assert_true(f->has_value);
    csp_decimal_format(f->value, buf);
    assert_string_equal(buf, val);
    assert_string_equal(f->agency, agency);
}

/* How many diagnostics with this code. */
static size_t count_code(const csp_dataset *ds, csp_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->diags.count; i++)
        if (ds->diags.items[i].code == code)
            n++;
    return n;
}

/* The first diagnostic with this code about file `file` (NULL: any). */
static const csp_diag *find_diag(const csp_dataset *ds, csp_diag_code code,
                                 const char *file)
{
    for (size_t i = 0; i < ds->diags.count; i++) {
        const csp_diag *g = &ds->diags.items[i];
        if (g->code == code && (!file || (g->file && !strcmp(g->file, file))))
            return g;
    }
    fail_msg("no %s about %s", csp_diag_code_str(code), file ? file : "-");
    static const csp_diag none;
    return &none;  /* not reached */
}

/* The role of the claim of `agency` from file `path` in f. */
static csp_claim_role role_of(const csp_dataset *ds, const csp_figure *f,
                              const char *path)
{
    const csp_claim *cl = csp_dataset_claims(ds, f);
    for (size_t i = 0; i < f->nclaims; i++)
        if (!strcmp(ds->files[cl[i].file].path, path))
            return cl[i].role;
    fail_msg("no claim from %s", path);
    return CSP_CLAIM_ROLE_COUNT_;
}

/* True when f has a claim from file `path` (superseded ones are dropped). */
static bool has_claim_from(const csp_dataset *ds, const csp_figure *f,
                           const char *path)
{
    const csp_claim *cl = csp_dataset_claims(ds, f);
    for (size_t i = 0; i < f->nclaims; i++)
        if (!strcmp(ds->files[cl[i].file].path, path))
            return true;
    return false;
}

/* The file with this path, which must exist. */
static const csp_dataset_file *file_named(const csp_dataset *ds,
                                          const char *path)
{
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].path && !strcmp(ds->files[i].path, path))
            return &ds->files[i];
    fail_msg("no file %s", path);
    return NULL;
}

/* The canonical dump as a string (caller frees). */
static char *dump(const csp_dataset *ds)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(csp_dataset_dump(ds, f), CSP_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* ------------------------------------------------------------------------ */
/* Which figure stands                                                       */
/* ------------------------------------------------------------------------ */

/* A lone owner figure stands; provisional and missing travel with it. */
static void test_reconcile_single_owner_figure(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS_ST("dvpo-issued", "gravesham", Q4, "4",
                            "provisional")));
    add(ds, "ccg.xml", "dgs-ccg", T1,
        OBSERVATIONS(OBS_NOVAL("ae-violence", "dartford", Q4, "missing")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_stands(f, "8388", "kent-police");
    assert_int_equal(f->status, CSP_OBS_FINAL);
    assert_string_equal(ds->files[f->file].path, "kp.xml");
    assert_int_equal(f->line, 5);
    assert_false(f->computed);

    f = fig(ds, "dvpo-issued", "gravesham", Q4);
    assert_stands(f, "4", "kent-police");
    assert_string_equal(csp_figure_status_str(f), "provisional");

    f = fig(ds, "ae-violence", "dartford", Q4);
    assert_int_equal(f->state, CSP_FIGURE_STANDS);
    assert_false(f->has_value);
    assert_string_equal(csp_figure_status_str(f), "missing");
    assert_string_equal(f->note, "Not available.");
    assert_int_equal(ds->diags.count, 0);
    csp_dataset_free(ds);
}

/* A restatement (a later claim of the agency saying the same) is counted
 * but not kept, whatever the order the files come in: 5, then 6, then 5
 * again keeps only the 6 (the 5 is what stands). */
static void test_reconcile_restatement(void **state)
{
    (void)state;
    static const char *const when[3] = {T1, T2, T3};
    static const char *const value[3] = {"5", "6", "5.0"};
    static const size_t orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                        {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (size_t o = 0; o < 6; o++) {
        csp_dataset *ds = new_ds();
        for (size_t k = 0; k < 3; k++) {
            size_t i = orders[o][k];
            char name[16], body[512];
            snprintf(name, sizeof name, "kp%zu.xml", i + 1);
            snprintf(body, sizeof body,
                     OBSERVATIONS(OBS("hate-crimes", "dartford", Q4, "%s")),
                     value[i]);
            add(ds, name, "kent-police", when[i], body);
        }
        reconcile(ds);
        const csp_figure *f = fig(ds, "hate-crimes", "dartford", Q4);
        assert_stands(f, "5.0", "kent-police");
        assert_int_equal(ds->nsuperseded, 1);
        char buf[CSP_DECIMAL_BUFSZ];
        csp_decimal_format(ds->superseded[0].claim.value, buf);
        assert_string_equal(buf, "6");
        /* Both earlier claims are still counted as superseded. */
        size_t counted = 0;
        for (size_t i = 0; i < ds->nfiles; i++)
            counted += ds->files[i].roles[CSP_CLAIM_SUPERSEDED];
        assert_int_equal(counted, 2);
        csp_dataset_free(ds);
    }
}

/* A later submission supersedes per key; keys it omits keep their figure. */
static void test_reconcile_supersession(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "b-late.xml", "kent-police", T2,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")));
    add(ds, "a-early.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8300")
                     OBS("hate-crimes", "dartford", Q4, "41")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_stands(f, "8388", "kent-police");
    assert_string_equal(ds->files[f->file].path, "b-late.xml");
    /* The superseded claim is only counted, not kept. */
    assert_false(has_claim_from(ds, f, "a-early.xml"));
    assert_int_equal(f->nclaims, 1);
    assert_stands(fig(ds, "hate-crimes", "dartford", Q4), "41", "kent-police");

    /* One I402 for the file, at its first superseded figure. */
    assert_int_equal(count_code(ds, CSP_D_SUPERSEDED), 1);
    const csp_diag *g = find_diag(ds, CSP_D_SUPERSEDED, "a-early.xml");
    assert_non_null(g);
    assert_int_equal(g->line, 5);
    assert_null(g->values);
    assert_null(g->indicator);
    assert_string_equal(g->agency, "kent-police");
    assert_string_equal(g->message,
                        "1 of the 2 figures in a-early.xml was replaced by "
                        "later submissions from Kent Police (the first at "
                        "line 5; its latest submission is b-late.xml, "
                        "submitted 2016-10-21T11:40:00+01:00)");
    assert_int_equal(csp_diag_severity(g->code), CSP_SEV_INFO);
    assert_int_equal(ds->diags.count, 1);

    /* File counts by role. */
    assert_string_equal(ds->files[0].path, "a-early.xml");
    assert_int_equal(ds->files[0].roles[CSP_CLAIM_SUPERSEDED], 1);
    assert_int_equal(ds->files[0].roles[CSP_CLAIM_STANDS], 1);
    assert_int_equal(ds->files[1].roles[CSP_CLAIM_STANDS], 1);
    csp_dataset_free(ds);
}

/* The claims are one array: a run per figure, in the figures' order (a
 * computed figure's empty), each run in claim order; superseded claims
 * leave no gap, even when a later claim took the place of a dropped one
 * while folding. */
static void test_reconcile_claims_pool(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp1.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8300")
                     OBS("hate-crimes", "dartford", Q4, "41")));
    add(ds, "kcc.xml", "kcc", T2,
        OBSERVATIONS(OBS("hate-crimes", "dartford", Q4, "41")
                     OBS("meam-referrals", "dartford", Q4, "12")));
    add(ds, "kp3.xml", "kent-police", T3,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")));
    add(ds, "kp2.xml", "kent-police", T2,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8350")
                     OBS("meam-referrals", "dartford", Q4, "12")));
    reconcile(ds);

    size_t next = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        const csp_claim *cl = csp_dataset_claims(ds, f);
        assert_int_equal(f->first_claim, next);
        if (f->nclaims == 0)
            assert_null(cl);  /* a figure computed under a rule */
        else
            assert_ptr_equal(cl, ds->claims + next);
        for (size_t k = 1; k < f->nclaims; k++)
            assert_true(csp_instant_cmp(cl[k - 1].submitted,
                                        cl[k].submitted) <= 0);
        next += f->nclaims;
    }
    assert_int_equal(next, ds->nclaims);
    assert_int_equal(ds->nclaims, 5);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_int_equal(f->nclaims, 1);
    assert_string_equal(ds->files[csp_dataset_claims(ds, f)[0].file].path,
                        "kp3.xml");
    f = fig(ds, "hate-crimes", "dartford", Q4);
    assert_int_equal(f->nclaims, 2);
    assert_string_equal(csp_dataset_claims(ds, f)[0].agency, "kent-police");
    assert_string_equal(csp_dataset_claims(ds, f)[1].agency, "kcc");
    f = fig(ds, "meam-referrals", "dartford", Q4);
    assert_int_equal(f->nclaims, 2);
    assert_string_equal(csp_dataset_claims(ds, f)[0].agency, "kcc");
    assert_string_equal(csp_dataset_claims(ds, f)[1].agency, "kent-police");
    assert_int_equal(file_named(ds, "kp1.xml")->roles[CSP_CLAIM_SUPERSEDED],
                     1);
    assert_int_equal(file_named(ds, "kp2.xml")->roles[CSP_CLAIM_SUPERSEDED],
                     1);
    csp_dataset_free(ds);
}

/* The dataset holds a figure per key and a claim per obs that counts,
 * half a million of each at 1 GiB of submissions: keep them small
 * (doc/performance.md).  On LP64 they are exactly these sizes. */
static void test_reconcile_sizes(void **state)
{
    (void)state;
    assert_true(sizeof(csp_figure) <= 112);
    assert_true(sizeof(csp_claim) <= 72);
    assert_true(sizeof(csp_dataset_update) <= 72);
}

/* `withdrawn` removes the agency's figure; another agency's may then stand. */
static void test_reconcile_withdrawn(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp1.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("hate-crimes", "dartford", Q4, "41")));
    add(ds, "kp2.xml", "kent-police", T2,
        OBSERVATIONS(OBS_NOVAL("victim-based-crime", "dartford", Y16,
                               "withdrawn")
                     OBS_NOVAL("hate-crimes", "dartford", Q4, "withdrawn")));
    add(ds, "kcc.xml", "kcc", T1,
        OBSERVATIONS(OBS("hate-crimes", "dartford", Q4, "40")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_int_equal(f->state, CSP_FIGURE_NONE);
    assert_null(f->agency);
    assert_false(has_claim_from(ds, f, "kp1.xml"));
    assert_int_equal(role_of(ds, f, "kp2.xml"), CSP_CLAIM_WITHDRAWN);

    /* The owner withdrew: the non-owner's figure stands, marked. */
    f = fig(ds, "hate-crimes", "dartford", Q4);
    assert_stands(f, "40", "kcc");
    assert_int_equal(count_code(ds, CSP_D_WITHDRAWN), 2);
    /* Both of kp1.xml's figures were superseded: one I402 for the file. */
    assert_int_equal(count_code(ds, CSP_D_SUPERSEDED), 1);
    assert_int_equal(file_named(ds, "kp1.xml")->roles[CSP_CLAIM_SUPERSEDED],
                     2);
    assert_non_null(strstr(find_diag(ds, CSP_D_SUPERSEDED, "kp1.xml")->message,
                           "2 of the 2 figures in kp1.xml were replaced"));
    assert_int_equal(count_code(ds, CSP_D_NOT_FROM_OWNER), 1);
    const csp_diag *g = find_diag(ds, CSP_D_WITHDRAWN, "kp2.xml");
    assert_non_null(g);
    assert_string_equal(g->values, "kent-police=withdrawn");
    assert_non_null(strstr(g->message, "Kent Police withdrew"));
    csp_dataset_free(ds);
}

/* Same agency, same instant, different figures: nothing stands from it. */
static void test_reconcile_conflict(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp-a.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("hate-crimes", "dartford", Q4, "41")));
    add(ds, "kp-b.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8390")
                     OBS("hate-crimes", "dartford", Q4, "41")));
    add(ds, "kcc.xml", "kcc", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8389")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_int_equal(role_of(ds, f, "kp-a.xml"), CSP_CLAIM_CONFLICT);
    assert_int_equal(role_of(ds, f, "kp-b.xml"), CSP_CLAIM_CONFLICT);
    /* Nothing from Kent Police: the non-owner's stands. */
    assert_stands(f, "8389", "kcc");
    /* One E404 for the key, not one per claim. */
    assert_int_equal(count_code(ds, CSP_D_CONFLICT), 1);
    const csp_diag *g = find_diag(ds, CSP_D_CONFLICT, NULL);
    assert_non_null(g);
    assert_int_equal(csp_diag_severity(g->code), CSP_SEV_ERROR);
    assert_string_equal(g->values, "kent-police=8388;kent-police=8390");
    assert_string_equal(g->indicator, "victim-based-crime");
    assert_string_equal(g->area, "dartford");

    /* Agreeing figures at one instant are no conflict: the file that sorts
     * first by identity (here: by SHA-256, never by name) stands, the
     * repeat agrees. */
    f = fig(ds, "hate-crimes", "dartford", Q4);
    assert_stands(f, "41", "kent-police");
    const csp_dataset_file *fa = file_named(ds, "kp-a.xml");
    const csp_dataset_file *fb = file_named(ds, "kp-b.xml");
    bool a_first = strcmp(fa->sha256, fb->sha256) < 0;
    assert_string_equal(ds->files[f->file].path,
                        a_first ? "kp-a.xml" : "kp-b.xml");
    assert_int_equal(role_of(ds, f, a_first ? "kp-b.xml" : "kp-a.xml"),
                     CSP_CLAIM_AGREES);
    /* The E404 lists the claims in that order too. */
    const char *listed =
        a_first ? "8388 (kp-a.xml:5) and Kent Police 8390 (kp-b.xml:5)"
                : "8390 (kp-b.xml:5) and Kent Police 8388 (kp-a.xml:5)";
    assert_non_null(strstr(g->message, listed));
    assert_int_equal(ds->diags.count, 2); /* E404, W406 */
    csp_dataset_free(ds);
}

/* A byte-identical file counts once; the one whose path sorts first.
 * Files are listed by identity, then base name ("copy.xml" before
 * "orig.xml"), so the copy that counts may come after its duplicate.
 * Messages name files by base name only. */
static void test_reconcile_duplicate_file(void **state)
{
    (void)state;
    char *xml = make_xml("kent-police", T1,
                         OBSERVATIONS(OBS("victim-based-crime", "dartford",
                                          Y16, "8388")));
    char *dumps[2];
    for (int order = 0; order < 2; order++) {
        csp_dataset *ds = new_ds();
        add_doc(ds, order ? "z/copy.xml" : "a/orig.xml", xml);
        add_doc(ds, order ? "a/orig.xml" : "z/copy.xml", xml);
        add_doc(ds, "z/copy.xml", xml); /* the same file named again */
        reconcile(ds);
        assert_int_equal(ds->nfiles, 2);
        assert_string_equal(ds->files[0].path, "z/copy.xml");
        assert_string_equal(ds->files[1].path, "a/orig.xml");
        assert_int_equal(ds->files[0].duplicate_of, 1);
        assert_int_equal(ds->files[1].duplicate_of, CSP_NO_INDEX);
        const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
        assert_int_equal(f->nclaims, 1);
        assert_string_equal(ds->files[f->file].path, "a/orig.xml");
        assert_int_equal(ds->diags.count, 1);
        const csp_diag *g = find_diag(ds, CSP_D_DUPLICATE_FILE, "z/copy.xml");
        assert_non_null(g);
        assert_int_equal(g->line, 0);
        assert_int_equal(csp_diag_severity(g->code), CSP_SEV_INFO);
        assert_true(strncmp(g->message, "copy.xml is byte-identical to "
                                        "orig.xml (SHA-256 ", 48) == 0);
        assert_non_null(strstr(g->message, "counted once, as orig.xml"));
        assert_null(strchr(g->message, '/'));
        assert_int_equal(ds->files[0].obs_accepted, 0);
        assert_int_equal(ds->files[1].obs_accepted, 1);
        dumps[order] = dump(ds);
        csp_dataset_free(ds);
    }
    assert_string_equal(dumps[0], dumps[1]);
    free(dumps[0]);
    free(dumps[1]);
    free(xml);
}

/* The owner's figure stands; an inconsistent non-owner is reported. */
static void test_reconcile_non_owner_differs(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("asb-rate", "dartford", Y16, "9.9")));
    add(ds, "kcc.xml", "kcc", T2,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8400")
                     OBS("asb-rate", "dartford", Y16, "9.94")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime", "dartford", Y16);
    assert_stands(f, "8388", "kent-police");
    assert_int_equal(role_of(ds, f, "kcc.xml"), CSP_CLAIM_DIFFERS);
    /* A consistent, more precise non-owner figure does not displace the
     * owner's, and is not reported. */
    f = fig(ds, "asb-rate", "dartford", Y16);
    assert_stands(f, "9.9", "kent-police");
    assert_int_equal(role_of(ds, f, "kcc.xml"), CSP_CLAIM_AGREES);

    assert_int_equal(ds->diags.count, 1);
    const csp_diag *g = find_diag(ds, CSP_D_NON_OWNER_DIFFERS, "kcc.xml");
    assert_non_null(g);
    assert_int_equal(g->line, 5);
    assert_string_equal(g->agency, "kcc");
    assert_string_equal(g->values, "kcc=8400;kent-police=8388");
    assert_int_equal(csp_diag_severity(g->code), CSP_SEV_WARNING);
    assert_non_null(strstr(g->message, "Kent Police, which owns this figure"));
    csp_dataset_free(ds);
}

/* No owner figure: a non-owner's stands, marked; per-area owners. */
static void test_reconcile_not_from_owner(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "gbc.xml", "gravesham-bc", T1,
        OBSERVATIONS(OBS("noise-complaints", "dartford", Q4, "120")
                     OBS("noise-complaints", "gravesham", Q4, "95")
                     OBS("noise-complaints", "all", Q4, "215")));
    reconcile(ds);

    /* Dartford's noise complaints are Dartford BC's. */
    const csp_figure *f = fig(ds, "noise-complaints", "dartford", Q4);
    assert_stands(f, "120", "gravesham-bc");
    /* Gravesham's are Gravesham BC's own; "all" has no owner. */
    assert_stands(fig(ds, "noise-complaints", "gravesham", Q4), "95",
                  "gravesham-bc");
    assert_stands(fig(ds, "noise-complaints", "all", Q4), "215",
                  "gravesham-bc");
    assert_int_equal(ds->diags.count, 1);
    const csp_diag *g = find_diag(ds, CSP_D_NOT_FROM_OWNER, "gbc.xml");
    assert_non_null(g);
    assert_string_equal(g->area, "dartford");
    assert_int_equal(g->line, 5);
    assert_string_equal(g->values, "gravesham-bc=120");
    assert_non_null(strstr(g->message, "Dartford Borough Council"));
    csp_dataset_free(ds);
}

/* No owner and inconsistent figures: disputed, every claim kept. */
static void test_reconcile_disputed(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "dbc.xml", "dartford-bc", T1,
        OBSERVATIONS(OBS("meam-referrals", "dartford", Q4, "12")
                     OBS("hate-crimes", "gravesham", Q4, "47")));
    add(ds, "kcc.xml", "kcc", T2,
        OBSERVATIONS(OBS("meam-referrals", "dartford", Q4, "15")
                     OBS("hate-crimes", "gravesham", Q4, "44")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "meam-referrals", "dartford", Q4);
    assert_int_equal(f->state, CSP_FIGURE_DISPUTED);
    assert_string_equal(csp_figure_status_str(f), "disputed");
    assert_null(f->agency);
    assert_int_equal(f->nclaims, 2);
    assert_int_equal(csp_dataset_claims(ds, f)[0].role, CSP_CLAIM_DISPUTED);
    assert_int_equal(csp_dataset_claims(ds, f)[1].role, CSP_CLAIM_DISPUTED);
    /* Two non-owners of an owned figure that disagree: disputed too. */
    f = fig(ds, "hate-crimes", "gravesham", Q4);
    assert_int_equal(f->state, CSP_FIGURE_DISPUTED);

    assert_int_equal(count_code(ds, CSP_D_DISPUTED), 4);
    const csp_diag *g = find_diag(ds, CSP_D_DISPUTED, "kcc.xml");
    assert_non_null(g);
    assert_string_equal(g->values, "dartford-bc=12;kcc=15");
    assert_int_equal(csp_diag_severity(g->code), CSP_SEV_ERROR);
    assert_non_null(strstr(g->message, "has no owner"));
    assert_int_equal(ds->diags.count, 4);
    csp_dataset_free(ds);
}

/* Consistent figures merge into the most precise; ties: latest, agency. */
static void test_reconcile_merge_most_precise(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    /* Owner absent: two consistent non-owner rates. */
    add(ds, "kfrs.xml", "kfrs", T2,
        OBSERVATIONS(OBS("victim-based-crime-rate", "dartford", Y16, "80.7")
                     OBS("meam-referrals", "all", Q4, "30")
                     OBS("meam-referrals", "gravesham", Q4, "9")));
    add(ds, "kcc.xml", "kcc", T1,
        OBSERVATIONS(OBS("victim-based-crime-rate", "dartford", Y16, "80.73")
                     OBS("meam-referrals", "all", Q4, "30")
                     OBS("meam-referrals", "gravesham", Q4, "9")));
    add(ds, "dbc.xml", "dartford-bc", T2,
        OBSERVATIONS(OBS("meam-referrals", "gravesham", Q4, "9")));
    reconcile(ds);

    const csp_figure *f = fig(ds, "victim-based-crime-rate", "dartford", Y16);
    assert_stands(f, "80.73", "kcc");
    assert_int_equal(role_of(ds, f, "kfrs.xml"), CSP_CLAIM_AGREES);
    /* Equally precise: the one submitted last. */
    assert_stands(fig(ds, "meam-referrals", "all", Q4), "30", "kfrs");
    /* Equally precise and as late: the agency id sorting first. */
    assert_stands(fig(ds, "meam-referrals", "gravesham", Q4), "9",
                  "dartford-bc");
    /* meam-referrals has no owner: only the rate is marked W406. */
    assert_int_equal(ds->diags.count, 1);
    assert_int_equal(count_code(ds, CSP_D_NOT_FROM_OWNER), 1);
    csp_dataset_free(ds);
}

/* Decisions of doc/reconciliation-decisions.md: missing against values,
 * a conflict cured by a later submission, a missing derived figure, a
 * disputed derived figure. */
static void test_reconcile_decided_cases(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp-a.xml", "kent-police", T1,
        OBSERVATIONS(OBS_NOVAL("violent-crime", "dartford", Q4, "missing")
                     OBS("asb-incidents", "dartford", Q4, "1036")
                     OBS_NOVAL("asb-rate", "dartford", Q4, "missing")
                     OBS("victim-based-crime", "gravesham", Y16, "7697")));
    add(ds, "kp-b.xml", "kent-police", T1,
        OBSERVATIONS(OBS("asb-incidents", "dartford", Q4, "1040")));
    add(ds, "kp-c.xml", "kent-police", T2,
        OBSERVATIONS(OBS("asb-incidents", "dartford", Q4, "1036")));
    add(ds, "kcc.xml", "kcc", T1,
        OBSERVATIONS(OBS("violent-crime", "dartford", Q4, "650")
                     OBS("victim-based-crime-rate", "gravesham", Y16, "72.4")));
    add(ds, "kfrs.xml", "kfrs", T1,
        OBSERVATIONS(OBS("victim-based-crime-rate", "gravesham", Y16, "75")));
    reconcile(ds);

    /* The owner's "missing" stands; a non-owner's value is W405. */
    const csp_figure *f = fig(ds, "violent-crime", "dartford", Q4);
    assert_int_equal(f->state, CSP_FIGURE_STANDS);
    assert_false(f->has_value);
    assert_string_equal(f->agency, "kent-police");
    assert_int_equal(role_of(ds, f, "kcc.xml"), CSP_CLAIM_DIFFERS);
    assert_non_null(find_diag(ds, CSP_D_NON_OWNER_DIFFERS, "kcc.xml"));

    /* The conflict at T1 is cured by the T2 submission: no E404. */
    f = fig(ds, "asb-incidents", "dartford", Q4);
    assert_stands(f, "1036", "kent-police");
    assert_string_equal(ds->files[f->file].path, "kp-c.xml");
    assert_false(has_claim_from(ds, f, "kp-a.xml"));
    assert_false(has_claim_from(ds, f, "kp-b.xml"));
    assert_int_equal(count_code(ds, CSP_D_CONFLICT), 0);

    /* A "missing" derived figure whose inputs stand is computed. */
    f = fig(ds, "asb-rate", "dartford", Q4);
    assert_stands(f, "10.0", "csppack");
    assert_int_equal(role_of(ds, f, "kp-a.xml"), CSP_CLAIM_AGREES);

    /* A disputed derived figure stays disputed; the exact value is kept. */
    f = fig(ds, "victim-based-crime-rate", "gravesham", Y16);
    assert_int_equal(f->state, CSP_FIGURE_DISPUTED);
    assert_non_null(csp_dataset_figure_rule(ds, f));
    assert_int_equal(count_code(ds, CSP_D_DISPUTED), 2);
    assert_int_equal(count_code(ds, CSP_D_CHECK_FAILED), 0);
    assert_int_equal(count_code(ds, CSP_D_SUPERSEDED), 2);
    assert_int_equal(ds->diags.count, 5);
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* Actions                                                                   */
/* ------------------------------------------------------------------------ */

/* Current = latest as-of; a tie on it goes to the most severe (W408). */
static void test_reconcile_action_status(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        ACTIONS(UPD("1.1", "on-track", "2016-09-30")
                UPD("2.1", "off-track", "2016-06-30")));
    add(ds, "kcc.xml", "kcc", T2,
        ACTIONS(UPD("1.1", "at-risk", "2016-09-30")
                UPD("2.1", "complete", "2016-09-30")));
    reconcile(ds);

    const csp_dataset_action *a = csp_dataset_action_item(ds, "1.1");
    assert_non_null(a);
    assert_int_equal(a->nupdates, 2);
    assert_true(a->tie);
    assert_int_not_equal(a->current, CSP_NO_INDEX);
    assert_int_equal(a->updates[a->current].status, CSP_ACT_AT_RISK);
    assert_string_equal(a->updates[a->current].agency, "kcc");
    assert_true(a->updates[a->current].current);
    assert_int_equal(count_code(ds, CSP_D_STATUS_TIE), 2);
    const csp_diag *g = find_diag(ds, CSP_D_STATUS_TIE, "kp.xml");
    assert_non_null(g);
    assert_string_equal(g->ref, "1.1");
    assert_string_equal(g->values, "kcc=at-risk;kent-police=on-track");
    assert_non_null(strstr(g->message, "the most severe, at-risk"));

    /* The latest as-of stands whatever its severity; history is kept in
     * as-of order. */
    a = csp_dataset_action_item(ds, "2.1");
    assert_false(a->tie);
    assert_int_equal(a->nupdates, 2);
    assert_int_equal(a->current, 1);
    assert_int_equal(a->updates[1].status, CSP_ACT_COMPLETE);
    assert_false(a->updates[0].current);

    /* Items nobody updated are there, with no current update. */
    a = csp_dataset_action_item(ds, "3.10");
    assert_non_null(a);
    assert_int_equal(a->nupdates, 0);
    assert_int_equal(a->current, CSP_NO_INDEX);
    assert_int_equal(ds->diags.count, 2);

    /* The update that stood on a date: the same rules over the updates
     * as of then or earlier (the yearly report's progress at its end). */
    bool tie = true;
    a = csp_dataset_action_item(ds, "2.1");
    assert_int_equal(csp_dataset_action_current_by(a, per(Q3).end, &tie), 0);
    assert_false(tie);
    assert_int_equal(csp_dataset_action_current_by(a, per(Q4).end, &tie),
                     a->current);
    assert_int_equal(csp_dataset_action_current_by(a, per(Q2).end, &tie),
                     CSP_NO_INDEX);
    a = csp_dataset_action_item(ds, "1.1");
    assert_int_equal(csp_dataset_action_current_by(a, per(Q4).end, &tie),
                     a->current);
    assert_true(tie);
    /* Both agencies' updates of 1.1 at its as-of are current: the most
     * severe decides the status, the other is shown beside it. */
    a = csp_dataset_action_item(ds, "1.1");
    assert_true(a->updates[0].current);
    assert_true(a->updates[1].current);
    csp_dataset_free(ds);
}

/* The update of item a read from file `path`, which must exist. */
static const csp_dataset_update *update_from(const csp_dataset *ds,
                                             const csp_dataset_action *a,
                                             const char *path)
{
    for (size_t i = 0; i < a->nupdates; i++)
        if (!strcmp(ds->files[a->updates[i].file].path, path))
            return &a->updates[i];
    fail_msg("no update of %s from %s", a->ref, path);
    return NULL;
}

/*
 * Joint actions: every agency's latest update at the item's latest as-of
 * is current, and shown; the status is decided among them as before
 * (the most severe, then the latest submitted).  Earlier as-of dates and
 * an agency's earlier submissions are history only.
 */
static void test_reconcile_action_joint(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "dbc-1.xml", "dartford-bc", T1,
        ACTIONS(UPD("3.4", "at-risk", "2016-09-30")
                UPD("3.6", "on-track", "2016-06-30")));
    add(ds, "dbc-2.xml", "dartford-bc", T3,
        ACTIONS(UPD("3.4", "on-track", "2016-09-30")
                UPD("3.6", "on-track", "2016-09-30")));
    add(ds, "gbc.xml", "gravesham-bc", T2,
        ACTIONS(UPD("3.4", "on-track", "2016-09-30")
                UPD("3.6", "at-risk", "2016-06-30")));
    /* Two files of one agency at one instant: one of them is current. */
    add(ds, "kp-a.xml", "kent-police", T1,
        ACTIONS(UPD("3.8", "on-track", "2016-09-30")));
    add(ds, "kp-b.xml", "kent-police", T1,
        ACTIONS(UPD("3.8", "off-track", "2016-09-30")));
    add(ds, "kcc.xml", "kcc", T2,
        ACTIONS(UPD("3.8", "on-track", "2016-09-30")));
    reconcile(ds);

    /* 3.4: Dartford's later submission and Gravesham's, same status: no
     * tie; Dartford's decides (submitted last), both are current. */
    const csp_dataset_action *a = csp_dataset_action_item(ds, "3.4");
    assert_int_equal(a->nupdates, 3);
    assert_false(a->tie);
    assert_ptr_equal(&a->updates[a->current],
                     update_from(ds, a, "dbc-2.xml"));
    assert_false(update_from(ds, a, "dbc-1.xml")->current);
    assert_true(update_from(ds, a, "dbc-2.xml")->current);
    assert_true(update_from(ds, a, "gbc.xml")->current);
    assert_int_equal(a->ncurrent, 2);
    assert_ptr_equal(csp_dataset_action_current(a, 0),
                     update_from(ds, a, "dbc-2.xml"));
    assert_ptr_equal(csp_dataset_action_current(a, 1),
                     update_from(ds, a, "gbc.xml"));
    assert_null(csp_dataset_action_current(a, 2));

    /* 3.6: Gravesham's update is of an earlier quarter: history only. */
    a = csp_dataset_action_item(ds, "3.6");
    assert_int_equal(a->ncurrent, 1);
    assert_true(update_from(ds, a, "dbc-2.xml")->current);
    assert_false(update_from(ds, a, "gbc.xml")->current);
    assert_ptr_equal(csp_dataset_action_current(a, 0),
                     update_from(ds, a, "dbc-2.xml"));
    assert_null(csp_dataset_action_current(a, 1));

    /* 3.8: Kent Police's two files at one instant disagree (W408): its
     * most severe is current and decides; KCC's is current beside it. */
    a = csp_dataset_action_item(ds, "3.8");
    assert_true(a->tie);
    assert_int_equal(a->ncurrent, 2);
    assert_int_equal(a->updates[a->current].status, CSP_ACT_OFF_TRACK);
    assert_true(update_from(ds, a, "kp-b.xml")->current);
    assert_false(update_from(ds, a, "kp-a.xml")->current);
    assert_true(update_from(ds, a, "kcc.xml")->current);
    assert_ptr_equal(csp_dataset_action_current(a, 0),
                     update_from(ds, a, "kp-b.xml"));
    assert_ptr_equal(csp_dataset_action_current(a, 1),
                     update_from(ds, a, "kcc.xml"));
    assert_int_equal(count_code(ds, CSP_D_STATUS_TIE), 3);

    /* Nobody updated 1.1: nothing is current. */
    a = csp_dataset_action_item(ds, "1.1");
    assert_int_equal(a->ncurrent, 0);
    assert_null(csp_dataset_action_current(a, 0));
    csp_dataset_free(ds);
}

/* One rule decides an item's status at each of its as-of dates, earlier
 * ones too: at each, every agency's latest submission is a candidate and
 * the most severe decides; csp_dataset_action_current_by gives that
 * update for a date, and each as-of has exactly one. */
static void test_reconcile_action_decides(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "dbc-1.xml", "dartford-bc", T1,
        ACTIONS(UPD("3.4", "off-track", "2016-06-30")));
    add(ds, "dbc-2.xml", "dartford-bc", T3,
        ACTIONS(UPD("3.4", "on-track", "2016-06-30")
                UPD("3.4", "complete", "2016-09-30")));
    add(ds, "gbc.xml", "gravesham-bc", T2,
        ACTIONS(UPD("3.4", "at-risk", "2016-06-30")));
    reconcile(ds);

    const csp_dataset_action *a = csp_dataset_action_item(ds, "3.4");
    assert_int_equal(a->nupdates, 4);
    size_t ndecide = 0;
    for (size_t i = 0; i < a->nupdates; i++)
        ndecide += a->updates[i].decides;
    assert_int_equal(ndecide, 2);

    /* 30 June: Dartford's resubmission replaced its off-track, so
     * Gravesham's at-risk is the most severe candidate: a tie. */
    bool tie = false;
    size_t k = csp_dataset_action_current_by(a, per(Q3).end, &tie);
    assert_int_not_equal(k, CSP_NO_INDEX);
    assert_ptr_equal(&a->updates[k], update_from(ds, a, "gbc.xml"));
    assert_true(tie);
    assert_true(a->updates[k].decides);
    assert_true(a->updates[k].tie);
    assert_false(a->updates[k].current);

    /* 30 September: Dartford's alone decides, and is the item's current
     * update; the earlier tie is no W408. */
    k = csp_dataset_action_current_by(a, per(Q4).end, &tie);
    assert_int_equal(k, a->current);
    assert_false(tie);
    assert_false(a->tie);
    assert_int_equal(a->updates[k].status, CSP_ACT_COMPLETE);
    assert_int_equal(a->ncurrent, 1);
    assert_int_equal(count_code(ds, CSP_D_STATUS_TIE), 0);
    csp_dataset_free(ds);
}

/* The board pack's period: the latest quarter most expected agencies sent
 * figures for, else the one the most sent; W410 and W412 per file, at the
 * first figure concerned. */
static void test_reconcile_pack_period(void **state)
{
    (void)state;
    for (int most = 0; most < 2; most++) {
        csp_dataset *ds = new_ds();
        add(ds, "kp.xml", "kent-police", T1,
            OBSERVATIONS(OBS("asb-incidents", "dartford", Q4, "10")));
        add(ds, "kcc.xml", "kcc", T2,
            OBSERVATIONS(OBS("early-help-da-cases", "dartford", Q4, "3")));
        add(ds, "kfrs.xml", "kfrs", T3,
            OBSERVATIONS(OBS("deliberate-fires", "dartford", Q4, "7")
                         OBS("deliberate-fires", "dartford",
                             "2016-10-01/2016-12-31", "2")));
        if (most)
            add(ds, "crc.xml", "kss-crc", T3,
                OBSERVATIONS(OBS("iom-reoffending", "dartford", Q4, "4")));
        reconcile(ds);
        /* Three (then four) of the seven owners sent Q4 (July to
         * September), one the quarter after. */
        const csp_pack_period *pp = &ds->pack_period;
        assert_int_equal(pp->basis, most ? CSP_PERIOD_MOST : CSP_PERIOD_BEST);
        assert_int_equal(csp_period_cmp(pp->period, per(Q4)), 0);
        assert_int_equal(pp->agencies, most ? 4 : 3);
        assert_int_equal(pp->expected, 7);
        assert_int_equal(count_code(ds, CSP_D_AFTER_PACK), 1);
        const csp_diag *g = find_diag(ds, CSP_D_AFTER_PACK, "kfrs.xml");
        assert_int_equal(g->line, 6);
        assert_string_equal(g->agency, "kfrs");
        assert_non_null(strstr(g->message, most ? "the latest quarter most "
                                                  "partners sent figures for"
                                                : "the quarter the most "
                                                  "partners sent figures for"));
        /* Submitted on 28 October: October to December was not over. */
        assert_int_equal(count_code(ds, CSP_D_NOT_ENDED), 1);
        assert_int_equal(find_diag(ds, CSP_D_NOT_ENDED, "kfrs.xml")->line, 6);
        assert_int_equal(count_code(ds, CSP_D_OUTSIDE_YEARS), 0);
        assert_int_equal(count_code(ds, CSP_D_FAR_AHEAD), 0);
        csp_dataset_free(ds);
    }
}

/* ------------------------------------------------------------------------ */
/* Template rules and checks                                                 */
/* ------------------------------------------------------------------------ */

/* Nothing submitted: the sum and the rates on it are computed, in
 * dependency order, attributed to csppack; statuses are inherited. */
static void test_reconcile_rule_computed(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS_ST("crimes-against-society", "dartford", Y16, "619",
                            "provisional")));
    reconcile(ds);

    const csp_figure *t = fig(ds, "total-crime", "dartford", Y16);
    assert_stands(t, "9007", "csppack");
    assert_true(t->computed);
    assert_int_equal(t->file, CSP_NO_INDEX32);
    assert_int_equal(t->claim, CSP_NO_INDEX32);
    assert_int_equal(t->status, CSP_OBS_PROVISIONAL);
    const csp_figure_rule *rule = csp_dataset_figure_rule(ds, t);
    assert_non_null(rule);
    assert_int_equal(rule->kind, CSP_RULE_SUM);
    assert_int_equal(rule->population, 0);
    assert_int_equal(rule->ninputs, 2);
    assert_string_equal(ds->figures[rule->inputs[0]].indicator,
                        "victim-based-crime");
    assert_string_equal(ds->figures[rule->inputs[1]].indicator,
                        "crimes-against-society");

    /* total-crime-rate depends on the computed total-crime. */
    const csp_figure *r = fig(ds, "total-crime-rate", "dartford", Y16);
    assert_stands(r, "86.7", "csppack");
    rule = csp_dataset_figure_rule(ds, r);
    assert_non_null(rule);
    assert_int_equal(rule->kind, CSP_RULE_RATE);
    assert_int_equal(rule->population, 103900);
    assert_int_equal(r->value.scale, 1);
    assert_string_equal(csp_figure_status_str(r), "provisional");
    assert_string_equal(ds->figures[rule->inputs[0]].indicator,
                        "total-crime");
    /* Only figures whose rule was evaluated have one: not the inputs,
     * whose indicators have no rule. */
    assert_null(csp_dataset_figure_rule(
        ds, fig(ds, "victim-based-crime", "dartford", Y16)));
    assert_stands(fig(ds, "victim-based-crime-rate", "dartford", Y16), "80.7",
                  "csppack");
    /* 619 / 103900 * 1000 = 5.9576..., half away from zero: 6.0 */
    assert_stands(fig(ds, "crimes-against-society-rate", "dartford", Y16),
                  "6.0", "csppack");
    assert_int_equal(ds->diags.count, 0);
    csp_dataset_free(ds);
}

/* A submitted figure inconsistent with its rule: W409, computed stands. */
static void test_reconcile_rule_check_failed(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("crimes-against-society", "dartford", Y16, "619")
                     OBS("total-crime", "dartford", Y16, "9000")
                     OBS("victim-based-crime-rate", "dartford", Y16, "80.7")
                     OBS("total-crime-rate", "dartford", Y16, "86.6")));
    reconcile(ds);

    const csp_figure *t = fig(ds, "total-crime", "dartford", Y16);
    assert_stands(t, "9007", "csppack");
    assert_int_equal(csp_dataset_claims(ds, t)[0].role,
                     CSP_CLAIM_CHECK_FAILED);
    /* The rate is checked against the computed total, 9007. */
    const csp_figure *r = fig(ds, "total-crime-rate", "dartford", Y16);
    assert_stands(r, "86.7", "csppack");
    /* Consistent (80.7 against 80.73...): the submitted figure stands. */
    const csp_figure *v = fig(ds, "victim-based-crime-rate", "dartford", Y16);
    assert_stands(v, "80.7", "kent-police");
    assert_non_null(csp_dataset_figure_rule(ds, v));
    assert_int_equal(csp_dataset_claims(ds, v)[0].role, CSP_CLAIM_STANDS);

    assert_int_equal(count_code(ds, CSP_D_CHECK_FAILED), 2);
    const csp_diag *g = &ds->diags.items[0];
    assert_int_equal(g->code, CSP_D_CHECK_FAILED);
    assert_int_equal(g->line, 7);
    assert_string_equal(g->indicator, "total-crime");
    assert_string_equal(g->values, "csppack=9007;kent-police=9000");
    assert_string_equal(g->message,
                        "Kent Police's total-crime for dartford, "
                        "2015-10-01/2016-09-30 is 9000 (kp.xml:7), but "
                        "victim-based-crime 8388 + crimes-against-society 619 "
                        "is 9007 (rule: sum); 9000 is not within rounding of "
                        "it, so csppack's 9007 is used");
    g = &ds->diags.items[1];
    assert_int_equal(g->line, 9);
    assert_string_equal(g->values, "csppack=86.7;kent-police=86.6");
    assert_string_equal(g->message,
                        "Kent Police's total-crime-rate for dartford, "
                        "2015-10-01/2016-09-30 is 86.6 (kp.xml:9), but "
                        "total-crime 9007 per 1,000 of 103900 population is "
                        "about 86.6891 (rule: rate per 1,000); 86.6 is not "
                        "within rounding of it, so csppack's 86.7 is used");
    csp_dataset_free(ds);
}

/* Rates for "all" use the sum of the areas' populations. */
static void test_reconcile_rate_all_population(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "all", Y16, "16085")
                     OBS("victim-based-crime", "dartford", Y15, "7522")));
    reconcile(ds);
    /* 16085 / 210200 * 1000 = 76.522... */
    const csp_figure *f = fig(ds, "victim-based-crime-rate", "all", Y16);
    assert_stands(f, "76.5", "csppack");
    assert_int_equal(csp_dataset_figure_rule(ds, f)->population,
                     103900 + 106300);
    /* A period ending in 2015 uses the 2015 estimate: 7522/102900 -> 73.1 */
    f = fig(ds, "victim-based-crime-rate", "dartford", Y15);
    assert_int_equal(csp_dataset_figure_rule(ds, f)->population, 102900);
    assert_stands(f, "73.1", "csppack");
    csp_dataset_free(ds);
}

/* Share: part / whole x 100, of total crime in the bundled template. */
static void test_reconcile_rule_share(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("crimes-against-society", "dartford", Y16, "619")
                     OBS("criminal-damage", "dartford", Y16, "1385")
                     OBS("victim-based-crime", "gravesham", Y16, "7697")
                     OBS("crimes-against-society", "gravesham", Y16, "612")
                     OBS("criminal-damage", "gravesham", Y16, "1404")
                     OBS("criminal-damage-share", "gravesham", Y16, "16.90")));
    reconcile(ds);
    /* 1385 / (8388 + 619) * 100 = 15.3769...: the whole is itself computed */
    assert_stands(fig(ds, "criminal-damage-share", "dartford", Y16), "15.4",
                  "csppack");
    /* 1404 / 8309 * 100 = 16.8973...: 16.90 is consistent and stands. */
    assert_stands(fig(ds, "criminal-damage-share", "gravesham", Y16), "16.90",
                  "kent-police");
    assert_int_equal(count_code(ds, CSP_D_CHECK_FAILED), 0);
    csp_dataset_free(ds);
}

/* Four quarters covering a reported year must add up to it. */
static void test_reconcile_quarters_check(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("victim-based-crime", "dartford", Q1, "2000")
                     OBS("victim-based-crime", "dartford", Q2, "2100")
                     OBS("victim-based-crime", "dartford", Q3, "2100")
                     OBS("victim-based-crime", "dartford", Q4, "2180")
                     OBS("hate-crimes", "dartford", Y16, "160")
                     OBS("hate-crimes", "dartford", Q1, "40")
                     OBS("hate-crimes", "dartford", Q2, "40")
                     OBS("hate-crimes", "dartford", Q3, "39")
                     OBS("hate-crimes", "dartford", Q4, "41")
                     OBS("violent-crime", "dartford", Y16, "2000")
                     OBS("violent-crime", "dartford", Q1, "500")));
    reconcile(ds);
    /* victim-based-crime: 8380 != 8388; hate-crimes add up; violent-crime
     * has only one quarter: no check.  No figure is created. */
    assert_int_equal(ds->diags.count, 1);
    const csp_diag *g = &ds->diags.items[0];
    assert_int_equal(g->code, CSP_D_CHECK_FAILED);
    assert_int_equal(g->line, 5);
    assert_string_equal(g->values, "csppack=8380;kent-police=8388");
    assert_non_null(strstr(g->message, "its four quarters"));
    assert_non_null(strstr(g->message, "add up to 8380 (rule: quarters)"));
    assert_stands(fig(ds, "victim-based-crime", "dartford", Y16), "8388",
                  "kent-police");
    csp_dataset_free(ds);
}

/* The "all" figure of a count must be the sum over the areas. */
static void test_reconcile_areas_check(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add(ds, "kp.xml", "kent-police", T1,
        OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                     OBS("victim-based-crime", "gravesham", Y16, "7697")
                     OBS("victim-based-crime", "all", Y16, "16000")
                     OBS("hate-crimes", "dartford", Q4, "41")
                     OBS("hate-crimes", "gravesham", Q4, "47")
                     OBS("hate-crimes", "all", Q4, "88")
                     OBS("violent-crime", "all", Q4, "1000")
                     OBS("violent-crime", "dartford", Q4, "652")));
    reconcile(ds);
    assert_int_equal(count_code(ds, CSP_D_CHECK_FAILED), 1);
    const csp_diag *g = find_diag(ds, CSP_D_CHECK_FAILED, "kp.xml");
    assert_string_equal(g->area, "all");
    assert_string_equal(g->indicator, "victim-based-crime");
    assert_string_equal(g->values, "csppack=16085;kent-police=16000");
    assert_non_null(strstr(g->message, "dartford 8388, gravesham 7697"));
    assert_non_null(strstr(g->message, "(rule: areas)"));
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* The Kent Police sample                                                    */
/* ------------------------------------------------------------------------ */

/* Read a sample file into a dataset. */
static void add_sample(csp_dataset *ds, const char *name)
{
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *sub = tu_read_sample(name, &d);
    assert_false(sub->refused);
    assert_int_equal(d.count, 0);
    assert_int_equal(csp_dataset_add_submission(ds, sub, &d), CSP_OK);
    csp_diag_list_free(&d);
}

/* Percentage change of standing figures between two periods. */
static void assert_change(const csp_dataset *ds, const char *ind,
                          const char *area, const char *expect)
{
    const csp_figure *a = fig(ds, ind, area, Y15);
    const csp_figure *b = fig(ds, ind, area, Y16);
    csp_decimal pc;
    char buf[CSP_DECIMAL_BUFSZ];
    assert_true(a->has_value && b->has_value);
    assert_int_equal(csp_dataset_percent_change(a->value, b->value, 1, &pc),
                     CSP_OK);
    csp_decimal_format(pc, buf);
    assert_string_equal(buf, expect);
}

/* The key findings' % change, from the sample's counts. */
static void test_reconcile_key_findings_change(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add_sample(ds, "kent-police-2016q2.xml");
    reconcile(ds);
    assert_change(ds, "victim-based-crime", "dartford", "11.5");
    assert_change(ds, "crimes-against-society", "dartford", "33.4");
    assert_change(ds, "total-crime", "dartford", "12.8");
    assert_change(ds, "victim-based-crime", "gravesham", "13.5");
    assert_change(ds, "crimes-against-society", "gravesham", "33.0");
    assert_change(ds, "total-crime", "gravesham", "14.7");
    csp_dataset_free(ds);
}

/* Percentage change: exact, half away from zero, negative, zero base. */
static void test_reconcile_percent_change(void **state)
{
    (void)state;
    csp_decimal from = {8, 0}, to = {7, 0}, out;
    char buf[CSP_DECIMAL_BUFSZ];
    /* -12.5 exactly: half away from zero gives -13 at 0 decimals. */
    assert_int_equal(csp_dataset_percent_change(from, to, 0, &out), CSP_OK);
    csp_decimal_format(out, buf);
    assert_string_equal(buf, "-13");
    assert_int_equal(csp_dataset_percent_change(from, to, 1, &out), CSP_OK);
    csp_decimal_format(out, buf);
    assert_string_equal(buf, "-12.5");
    /* 80.7 -> 86.73: mixed scales. (86.73-80.7)/80.7 = 7.4721... */
    csp_decimal a = {807, 1}, b = {8673, 2};
    assert_int_equal(csp_dataset_percent_change(a, b, 2, &out), CSP_OK);
    csp_decimal_format(out, buf);
    assert_string_equal(buf, "7.47");
    csp_decimal zero = {0, 0};
    assert_int_equal(csp_dataset_percent_change(zero, to, 1, &out),
                     CSP_ERR_USAGE);
}

/* Every printed rate or share in the sample that does not reconcile with
 * its counts (and population) is W409: only Dartford's crimes-against-society
 * rate; the partner's shares of total crime and the sums all hold. */
static void test_reconcile_sample_checks(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    add_sample(ds, "kent-police-2016q2.xml");
    reconcile(ds);

    static const struct {
        const char *ind, *area, *stands, *agency;
    } expect[] = {
        /* 8388/103900*1000 = 80.731...: 80.7 holds */
        {"victim-based-crime-rate", "dartford", "80.7", "kent-police"},
        /* 619/103900*1000 = 5.9576...: 5.9 does not; 6.0 stands */
        {"crimes-against-society-rate", "dartford", "6.0", "csppack"},
        /* 9007/103900*1000 = 86.689...: 86.7 holds */
        {"total-crime-rate", "dartford", "86.7", "kent-police"},
        /* 7697/106300*1000 = 72.408...: 72.4 holds */
        {"victim-based-crime-rate", "gravesham", "72.4", "kent-police"},
        /* 612/106300*1000 = 5.7572...: 5.8 holds */
        {"crimes-against-society-rate", "gravesham", "5.8", "kent-police"},
        /* 8309/106300*1000 = 78.165...: 78.2 holds */
        {"total-crime-rate", "gravesham", "78.2", "kent-police"},
        /* a share of total crime: 1385/9007*100 = 15.376...: 15.4 holds */
        {"criminal-damage-share", "dartford", "15.4", "kent-police"},
        /* 1404/8309*100 = 16.897...: 16.9 holds */
        {"criminal-damage-share", "gravesham", "16.9", "kent-police"},
        /* the sums all hold */
        {"total-crime", "dartford", "9007", "kent-police"},
        {"total-crime", "gravesham", "8309", "kent-police"},
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        assert_stands(fig(ds, expect[i].ind, expect[i].area, Y16),
                      expect[i].stands, expect[i].agency);
    for (const char *const *p = (const char *const[]){Y14, Y15, NULL}; *p;
         p++) {
        assert_stands(fig(ds, "total-crime", "dartford", *p),
                      !strcmp(*p, Y14) ? "8318" : "7986", "kent-police");
    }

    assert_int_equal(ds->diags.count, 1);
    assert_int_equal(count_code(ds, CSP_D_CHECK_FAILED), 1);
    const csp_diag *g = &ds->diags.items[0];
    assert_string_equal(g->indicator, "crimes-against-society-rate");
    assert_string_equal(g->area, "dartford");
    assert_string_equal(g->values, "csppack=6.0;kent-police=5.9");
    assert_non_null(strstr(g->message, "crimes-against-society 619 per 1,000 "
                                       "of 103900 population is about "
                                       "5.9577"));

    /* Where each figure came from: 6.0 in place of Kent Police's 5.9. */
    const csp_claim *cl = NULL;
    const csp_figure *f =
        fig(ds, "crimes-against-society-rate", "dartford", Y16);
    assert_int_equal(csp_dataset_figure_origin(ds, f, &cl),
                     CSP_ORIGIN_REPLACED);
    assert_non_null(cl);
    assert_string_equal(cl->agency, "kent-police");
    char v[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(cl->value, v);
    assert_string_equal(v, "5.9");
    f = fig(ds, "crimes-against-society-rate", "dartford", Y15);
    assert_int_equal(csp_dataset_figure_origin(ds, f, &cl),
                     CSP_ORIGIN_COMPUTED);
    assert_null(cl);
    f = fig(ds, "criminal-damage-share", "dartford", Y16);
    assert_int_equal(csp_dataset_figure_origin(ds, f, &cl), CSP_ORIGIN_PARTNER);
    assert_string_equal(csp_figure_origin_str(CSP_ORIGIN_REPLACED), "replaced");
    assert_string_equal(csp_figure_origin_str(CSP_ORIGIN_NONE), "");
    csp_dataset_free(ds);
}

/* ------------------------------------------------------------------------ */
/* Determinism                                                               */
/* ------------------------------------------------------------------------ */

/* A mixed inbox: resubmissions, duplicates, non-owners, disputes,
 * conflicts, withdrawals, rule failures and ties. */
static const struct {
    const char *name, *agency, *submitted, *body;
} inbox[] = {
    {"in/kp-1.xml", "kent-police", T1,
     OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8300")
                  OBS("crimes-against-society", "dartford", Y16, "619")
                  OBS("hate-crimes", "dartford", Q4, "41")
                  OBS("victim-based-crime-rate", "dartford", Y16, "80.7"))
     ACTIONS(UPD("1.1", "on-track", "2016-09-30"))},
    {"in/kp-2.xml", "kent-police", T2,
     OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                  OBS_NOVAL("hate-crimes", "dartford", Q4, "withdrawn")
                  OBS("total-crime", "dartford", Y16, "9000"))},
    {"in/kp-2-copy.xml", "kent-police", T2,
     OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8388")
                  OBS_NOVAL("hate-crimes", "dartford", Q4, "withdrawn")
                  OBS("total-crime", "dartford", Y16, "9000"))},
    {"in/kp-3a.xml", "kent-police", T3,
     OBSERVATIONS(OBS("asb-incidents", "gravesham", Q4, "1187"))},
    {"in/kp-3b.xml", "kent-police", T3,
     OBSERVATIONS(OBS("asb-incidents", "gravesham", Q4, "1190"))},
    /* T3 written with another offset: the same instant. */
    {"in/kp-3c.xml", "kent-police", "2016-10-28T09:00:00+01:00",
     OBSERVATIONS(OBS("asb-incidents", "gravesham", Q4, "1200"))},
    {"in/kcc.xml", "kcc", T2,
     OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16, "8400")
                  OBS("meam-referrals", "dartford", Q4, "12")
                  OBS("asb-incidents", "gravesham", Q4, "1187")
                  OBS("hate-crimes", "dartford", Q4, "40"))
     ACTIONS(UPD("1.1", "at-risk", "2016-09-30"))},
    {"in/dbc.xml", "dartford-bc", T1,
     OBSERVATIONS(OBS("meam-referrals", "dartford", Q4, "15")
                  OBS("noise-complaints", "dartford", Q4, "120"))},
    {"in/gbc.xml", "gravesham-bc", T2,
     OBSERVATIONS(OBS("noise-complaints", "dartford", Q4, "125")
                  OBS("meam-referrals", "dartford", Q4, "15"))
     ACTIONS(UPD("1.1", "off-track", "2016-06-30"))},
    {"in/kfrs.xml", "kfrs", T1,
     OBSERVATIONS(OBS("deliberate-fires-primary", "all", Q4, "20")
                  OBS("deliberate-fires-secondary", "all", Q4, "35")
                  OBS("deliberate-fires", "all", Q4, "55"))},
    {"in/ccg.xml", "dgs-ccg", T1,
     OBSERVATIONS(OBS_NOVAL("ae-violence", "dartford", Q4, "missing")
                  OBS("ae-violence", "gravesham", Q4, "61"))},
};
#define NINBOX (sizeof inbox / sizeof inbox[0])

/* A small fixed-seed generator (xorshift64*), independent of libc. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Build the dataset from the inbox in the given order of entries. */
static char *build_in_order(char **docs, const size_t *order, size_t n)
{
    csp_dataset *ds = new_ds();
    for (size_t i = 0; i < n; i++)
        add_doc(ds, inbox[order[i]].name, docs[order[i]]);
    reconcile(ds);
    char *s = dump(ds);
    csp_dataset_free(ds);
    return s;
}

/* 200 random orders with random repeats give the same dataset. */
static void test_reconcile_order_independence(void **state)
{
    (void)state;
    char *docs[NINBOX];
    size_t order[3 * NINBOX];

    for (size_t i = 0; i < NINBOX; i++)
        docs[i] = make_xml(inbox[i].agency, inbox[i].submitted, inbox[i].body);
    for (size_t i = 0; i < NINBOX; i++)
        order[i] = i;
    char *ref = build_in_order(docs, order, NINBOX);

    /* The reference itself exercises every kind of reconciliation
     * diagnostic. */
    static const char *const codes[] = {"I401", "I402", "I403", "E404",
                                        "W405", "W406", "E407", "W408",
                                        "W409"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (!strstr(ref, codes[i]))
            fail_msg("no %s in the reference dump:\n%s", codes[i], ref);
    /* The claims later submissions replaced are kept, in every order. */
    if (!strstr(ref, " role=superseded\n"))
        fail_msg("no superseded claim in the reference dump:\n%s", ref);

    for (int trial = 0; trial < 200; trial++) {
        size_t n = NINBOX;
        for (size_t i = 0; i < NINBOX; i++)
            order[i] = i;
        /* Fisher-Yates, then some entries repeated at random places. */
        for (size_t i = NINBOX - 1; i > 0; i--) {
            size_t j = (size_t)(rng() % (i + 1));
            size_t t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        size_t repeats = (size_t)(rng() % (NINBOX + 1));
        for (size_t r = 0; r < repeats; r++) {
            size_t pos = (size_t)(rng() % (n + 1));
            memmove(&order[pos + 1], &order[pos], (n - pos) * sizeof *order);
            order[pos] = (size_t)(rng() % NINBOX);
            n++;
        }
        char *got = build_in_order(docs, order, n);
        if (strcmp(got, ref) != 0)
            fail_msg("trial %d differs:\n--- reference\n%s--- got\n%s", trial,
                     ref, got);
        free(got);
    }
    free(ref);
    for (size_t i = 0; i < NINBOX; i++)
        free(docs[i]);
}

/* ------------------------------------------------------------------------ */
/* Names                                                                     */
/* ------------------------------------------------------------------------ */

/* The last component of a path. */
static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* The dataset of the inbox under the names `names` (added in a shuffled
 * order, some twice).  No diagnostic message names a folder. */
static csp_dataset *build_named(char **docs, const char *const *names)
{
    size_t order[2 * NINBOX], n = NINBOX;

    for (size_t i = 0; i < NINBOX; i++)
        order[i] = i;
    for (size_t i = NINBOX - 1; i > 0; i--) {
        size_t j = (size_t)(rng() % (i + 1));
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t r = 0; r < 3; r++)
        order[n++] = (size_t)(rng() % NINBOX);
    csp_dataset *ds = new_ds();
    for (size_t i = 0; i < n; i++)
        add_doc(ds, names[order[i]], docs[order[i]]);
    reconcile(ds);
    for (size_t i = 0; i < ds->diags.count; i++) {
        const char *msg = ds->diags.items[i].message;
        for (size_t k = 0; k < NINBOX; k++)
            if (strchr(names[k], '/') && strstr(msg, names[k]))
                fail_msg("message names %s: %s", names[k], msg);
    }
    return ds;
}

/* `text` with, at each place, the longest of from[0..n) replaced by the
 * matching to[] (caller frees). */
static char *map_names(const char *text, const char *const *from,
                       const char *const *to, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    for (const char *p = text; *p;) {
        size_t best = n, blen = 0;
        for (size_t k = 0; k < n; k++) {
            size_t l = strlen(from[k]);
            if (l > blen && strncmp(p, from[k], l) == 0) {
                best = k;
                blen = l;
            }
        }
        if (best < n) {
            fputs(to[best], f);
            p += blen;
        } else {
            fputc(*p++, f);
        }
    }
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Compare two names through an index array (qsort with a context). */
static const char *const *sort_names;
static int cmp_named(const void *pa, const void *pb)
{
    return strcmp(sort_names[*(const size_t *)pa],
                  sort_names[*(const size_t *)pb]);
}

/*
 * The inbox under the names `renamed` gives the dataset of the inbox under
 * its own names, once each new name (path and base name) is mapped back to
 * the old one.  Byte-identical files are interchangeable: the k-th of a
 * group by new path maps to the k-th by old path (the one whose path sorts
 * first counts, whatever it is called).
 */
static void check_renamed(char **docs, const char *const *renamed,
                          bool map_base)
{
    const char *orig[NINBOX];
    const char *from[2 * NINBOX], *to[2 * NINBOX];
    size_t npairs = 0;

    for (size_t i = 0; i < NINBOX; i++)
        orig[i] = inbox[i].name;
    for (size_t i = 0; i < NINBOX; i++) {
        size_t grp[NINBOX], ga[NINBOX], gb[NINBOX], ng = 0;
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            if (strcmp(docs[j], docs[i]) == 0)
                seen = true;
        if (seen)
            continue;
        for (size_t j = i; j < NINBOX; j++)
            if (strcmp(docs[j], docs[i]) == 0)
                grp[ng++] = j;
        memcpy(ga, grp, ng * sizeof *grp);
        memcpy(gb, grp, ng * sizeof *grp);
        sort_names = orig;
        qsort(ga, ng, sizeof *ga, cmp_named);
        sort_names = renamed;
        qsort(gb, ng, sizeof *gb, cmp_named);
        for (size_t k = 0; k < ng; k++) {
            from[npairs] = renamed[gb[k]];
            to[npairs++] = orig[ga[k]];
            if (map_base) {
                from[npairs] = base_of(renamed[gb[k]]);
                to[npairs++] = base_of(orig[ga[k]]);
            }
        }
    }

    csp_dataset *a = build_named(docs, orig);
    csp_dataset *b = build_named(docs, renamed);
    char *da = dump(a), *db = dump(b);
    char *mapped = map_names(db, from, to, npairs);
    if (strcmp(da, mapped) != 0)
        fail_msg("renamed inbox differs:\n--- original\n%s--- renamed, "
                 "mapped back\n%s", da, mapped);
    /* The same diagnostics in the same order, file by file. */
    assert_int_equal(a->diags.count, b->diags.count);
    for (size_t i = 0; i < a->diags.count; i++) {
        const csp_diag *x = &a->diags.items[i], *y = &b->diags.items[i];
        assert_int_equal(x->code, y->code);
        assert_int_equal(x->line, y->line);
        assert_true((x->file == NULL) == (y->file == NULL));
    }
    free(mapped);
    free(da);
    free(db);
    csp_dataset_free(a);
    csp_dataset_free(b);
}

/*
 * Names do not matter: the inbox renamed so that the names sort in another
 * order, scattered over folders ("a/x.xml" against "zz/y.xml"), or split
 * over two folders under its own base names, gives the same dataset once
 * the names are mapped back.  Byte-identical files stay in one folder, so
 * that their base names and paths sort alike.
 */
static void test_reconcile_names_independence(void **state)
{
    (void)state;
    static const char *const folders[] = {"zz/", "a/", "m/n/", "./q/",
                                          "/abs/inbox/"};
    char *docs[NINBOX];
    char names[3][NINBOX][64];
    const char *renamed[NINBOX];

    for (size_t i = 0; i < NINBOX; i++)
        docs[i] = make_xml(inbox[i].agency, inbox[i].submitted, inbox[i].body);
    for (size_t i = 0; i < NINBOX; i++) {
        size_t g = 0;  /* the first byte-identical entry */
        while (strcmp(docs[g], docs[i]) != 0)
            g++;
        /* Names in the entries' order, and in reverse order. */
        snprintf(names[0][i], sizeof names[0][i], "%sy%02zu-renamed.xml",
                 folders[g % 5], 10 + i);
        snprintf(names[1][i], sizeof names[1][i], "%sx%02zu-renamed.xml",
                 folders[(g + 2) % 5], 99 - i);
        /* The same base names, split over two folders. */
        snprintf(names[2][i], sizeof names[2][i], "%s/%s",
                 g % 2 ? "one" : "two", base_of(inbox[i].name));
    }
    for (int v = 0; v < 3; v++) {
        for (size_t i = 0; i < NINBOX; i++)
            renamed[i] = names[v][i];
        check_renamed(docs, renamed, v < 2);
    }
    for (size_t i = 0; i < NINBOX; i++)
        free(docs[i]);
}

/* Seven files of one agency and instant, each with another figure: one
 * E404, which lists five claims (and their values) and counts the rest. */
static void test_reconcile_conflict_many(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    for (size_t i = 0; i < 7; i++) {
        char name[16], obs[256];
        snprintf(name, sizeof name, "kp-%zu.xml", i);
        snprintf(obs, sizeof obs,
                 OBSERVATIONS(OBS("victim-based-crime", "dartford", Y16,
                                  "%zu")),
                 i + 1);
        add(ds, name, "kent-police", T1, obs);
    }
    reconcile(ds);
    assert_int_equal(count_code(ds, CSP_D_CONFLICT), 1);
    const csp_diag *g = find_diag(ds, CSP_D_CONFLICT, NULL);
    size_t listed = 0;
    for (const char *p = g->message; (p = strstr(p, "Kent Police ")); p++)
        listed++;
    assert_int_equal(listed, 1 + 5); /* "Kent Police sent", five claims */
    assert_non_null(strstr(g->message, ") and 2 more; none of them"));
    size_t pairs = 1;
    for (const char *p = g->values; (p = strchr(p, ';')); p++)
        pairs++;
    assert_int_equal(pairs, 5);
    csp_dataset_free(ds);
}

/* Same instant, one agency, different figures: the E404 lists the claims
 * and prints the instant the same way whatever the files are called. */
static void test_reconcile_conflict_names(void **state)
{
    (void)state;
    char *xa = make_xml("kent-police", T1,
                        OBSERVATIONS(OBS("victim-based-crime", "dartford",
                                         Y16, "8388")));
    char *xb = make_xml("kent-police", "2016-10-14T08:30:00Z",
                        OBSERVATIONS(OBS("victim-based-crime", "dartford",
                                         Y16, "8390")));
    static const char *const pairs[][2] = {
        {"a/x.xml", "zz/y.xml"}, {"zz/x.xml", "a/y.xml"},
        {"b.xml", "a.xml"}, {"inbox/p.xml", "/abs/inbox/q.xml"}};
    char *first = NULL;
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        csp_dataset *ds = new_ds();
        add_doc(ds, pairs[k][0], xa);
        add_doc(ds, pairs[k][1], xb);
        reconcile(ds);
        assert_int_equal(count_code(ds, CSP_D_CONFLICT), 1);
        /* The file written with "Z" sorts first (the smaller offset): the
         * one E404 is about it. */
        assert_string_equal(ds->diags.items[0].file, pairs[k][1]);
        const char *msg = ds->diags.items[0].message;
        assert_non_null(strstr(msg, "the same submitted time "
                                    "2016-10-14T08:30:00Z: "
                                    "Kent Police 8390 ("));
        for (int j = 0; j < 2; j++)
            if (strchr(pairs[k][j], '/'))
                assert_null(strstr(msg, pairs[k][j]));
        /* Apart from the two base names, every run gives the same text. */
        const char *from[2] = {base_of(pairs[k][0]), base_of(pairs[k][1])};
        const char *to[2] = {"A.xml", "B.xml"};
        char *m = map_names(msg, from, to, 2);
        if (!first)
            first = m;
        else {
            assert_string_equal(m, first);
            free(m);
        }
        csp_dataset_free(ds);
    }
    free(first);
    free(xa);
    free(xb);
}

/* ------------------------------------------------------------------------ */
/* Lifetime                                                                  */
/* ------------------------------------------------------------------------ */

/* Free accepts NULL; no add or reconcile after reconcile; refused files
 * are kept and contribute nothing. */
static void test_reconcile_lifetime(void **state)
{
    (void)state;
    csp_dataset_free(NULL);
    assert_null(csp_dataset_new(NULL));

    csp_dataset *ds = new_ds();
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_submission *bad = parse_xml("bad.xml", "<not-a-submission/>", &d);
    assert_true(bad->refused);
    size_t nread = d.count;
    assert_true(nread > 0);
    assert_int_equal(csp_dataset_add_submission(ds, bad, &d), CSP_OK);
    assert_int_equal(d.count, 0);
    reconcile(ds);
    assert_int_equal(ds->nfiles, 1);
    assert_true(ds->files[0].refused);
    assert_null(ds->files[0].agency);
    assert_int_equal(ds->nfigures, 0);
    assert_int_equal(ds->diags.count, nread);
    assert_int_equal(csp_dataset_reconcile(ds), CSP_ERR_USAGE);

    csp_submission *late = parse_xml("late.xml", "<x/>", &d);
    assert_int_equal(csp_dataset_add_submission(ds, late, &d), CSP_ERR_USAGE);
    assert_int_equal(d.count, 0);
    csp_dataset_free(ds);
}

/* The previous pack is given before reconciling: after, it is refused
 * (and freed: the dataset takes it in every case). */
static void test_reconcile_previous_after(void **state)
{
    (void)state;
    csp_dataset *ds = new_ds();
    csp_previous *early = calloc(1, sizeof *early);
    assert_non_null(early);
    assert_int_equal(csp_dataset_set_previous(ds, early), CSP_OK);
    reconcile(ds);
    /* An empty previous pack: nothing stood, nothing changed. */
    assert_int_equal(ds->nrevisions, 0);
    assert_int_equal(ds->nstatus_changes, 0);
    csp_previous *late = calloc(1, sizeof *late);
    assert_non_null(late);
    assert_int_equal(csp_dataset_set_previous(ds, late), CSP_ERR_USAGE);
    assert_ptr_equal(ds->previous, early);
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reconcile_single_owner_figure),
        cmocka_unit_test(test_reconcile_supersession),
        cmocka_unit_test(test_reconcile_restatement),
        cmocka_unit_test(test_reconcile_claims_pool),
        cmocka_unit_test(test_reconcile_sizes),
        cmocka_unit_test(test_reconcile_withdrawn),
        cmocka_unit_test(test_reconcile_conflict),
        cmocka_unit_test(test_reconcile_conflict_many),
        cmocka_unit_test(test_reconcile_duplicate_file),
        cmocka_unit_test(test_reconcile_non_owner_differs),
        cmocka_unit_test(test_reconcile_not_from_owner),
        cmocka_unit_test(test_reconcile_disputed),
        cmocka_unit_test(test_reconcile_merge_most_precise),
        cmocka_unit_test(test_reconcile_decided_cases),
        cmocka_unit_test(test_reconcile_action_status),
        cmocka_unit_test(test_reconcile_action_joint),
        cmocka_unit_test(test_reconcile_action_decides),
        cmocka_unit_test(test_reconcile_pack_period),
        cmocka_unit_test(test_reconcile_rule_computed),
        cmocka_unit_test(test_reconcile_rule_check_failed),
        cmocka_unit_test(test_reconcile_rate_all_population),
        cmocka_unit_test(test_reconcile_rule_share),
        cmocka_unit_test(test_reconcile_quarters_check),
        cmocka_unit_test(test_reconcile_areas_check),
        cmocka_unit_test(test_reconcile_key_findings_change),
        cmocka_unit_test(test_reconcile_percent_change),
        cmocka_unit_test(test_reconcile_sample_checks),
        cmocka_unit_test(test_reconcile_order_independence),
        cmocka_unit_test(test_reconcile_previous_after),
        cmocka_unit_test(test_reconcile_names_independence),
        cmocka_unit_test(test_reconcile_conflict_names),
        cmocka_unit_test(test_reconcile_lifetime),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
