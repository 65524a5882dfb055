/* csppack: validating files of every kind. */
#include "csppack/read/validate.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/read/submission.h"
#include "csppack/base/workers.h"
#include "csppack/read/xmlsafe.h"

/* Count error diagnostics about path added since index from. */
static size_t errors_since(const csp_diag_list *diags, size_t from)
{
    size_t n = 0;
    for (size_t i = from; i < diags->count; i++)
        n += csp_diag_severity(diags->items[i].code) == CSP_SEV_ERROR;
    return n;
}

/* Validate one file. */
static csp_error validate_one(const char *path, const csp_template *tpl,
                              const csp_read_options *opt, csp_validated *f,
                              csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    size_t before = diags->count;
    csp_input in;
    memset(f, 0, sizeof *f);
    if (!(f->path = csp_text_shown(path, 0)))
        return CSP_ERR_NOMEM;
    err = csp_input_load(path, opt, &in, diags);
    if (err == CSP_ERR_INVALID) {
        f->refused = true;
        f->problems = errors_since(diags, before);
        return CSP_OK;
    }
    if (err != CSP_OK)
        return err;
    f->kind = csp_input_sniff(&in);
    switch (f->kind) {
    case CSP_DOC_STRATEGY: {
        csp_template *t = NULL;
        err = csp_template_read(path, opt, &t, diags);
        f->refused = err == CSP_ERR_INVALID || !t;
        if (err == CSP_ERR_INVALID)
            err = CSP_OK;
        csp_template_free(t);
        break;
    }
    case CSP_DOC_DATASET: {
        xmlDocPtr doc = NULL;
        err = csp_xml_parse_validated(&in, CSP_SCHEMA_DATASET, &doc, diags);
        f->refused = err == CSP_ERR_INVALID;
        if (err == CSP_ERR_INVALID)
            err = CSP_OK;
        xmlFreeDoc(doc);
        break;
    }
    case CSP_DOC_SUBMISSION: {
        csp_submission *sub = NULL;
        err = csp_submission_parse(&in, tpl, opt, &sub, diags);
        if (sub) {
            f->refused = sub->refused;
            f->figures = sub->nobs;
            f->updates = sub->nupdates;
            f->refused_items = sub->refused_items;
        }
        csp_submission_free(sub);
        break;
    }
    }
    f->problems = errors_since(diags, before);
    csp_input_free(&in);
    return err;
}

/* csp_validate_paths's run, shared by its threads. */
typedef struct validate_run {
    const csp_path_list *files;
    const csp_template *tpl;
    const csp_read_options *opt;
    csp_validation *out;    /* a worker fills files[i] of its own i */
    csp_diag_list *diags;
} validate_run;

/* On a worker: validate file i; its diagnostics are the result. */
static csp_error validate_work(void *ctx, size_t i, void **result)
{
    const validate_run *v = ctx;
    csp_diag_list *d = csp_malloc(sizeof *d);
    if (!d)
        return CSP_ERR_NOMEM;
    csp_diag_list_init(d);
    *result = d;
    return validate_one(v->files->paths[i], v->tpl, v->opt, &v->out->files[i],
                        d);
}

/* On the calling thread, in order: file i's diagnostics join the rest. */
static csp_error validate_take(void *ctx, size_t i, void *result)
{
    const validate_run *v = ctx;
    csp_diag_list *d = result;
    csp_error err = csp_diag_list_take(v->diags, d);
    csp_diag_list_free(d);
    free(d);
    v->out->count = i + 1;
    return err;
}

/* File i will not be taken (the run stopped). */
static void validate_discard(void *ctx, size_t i, void *result)
{
    const validate_run *v = ctx;
    csp_diag_list_free(result);
    free(result);
    free(v->out->files[i].path);
    v->out->files[i].path = NULL;
}

/* Validate every named file. */
csp_error csp_validate_paths(const char *const *paths, size_t n,
                             const csp_template *tpl,
                             const csp_read_options *opt,
                             csp_validation *out, csp_diag_list *diags)
{
    csp_path_list files;
    validate_run v = {.files = &files, .tpl = tpl, .opt = opt, .out = out,
                      .diags = diags};
    csp_workers_job job = {.work = validate_work, .take = validate_take,
                           .discard = validate_discard, .ctx = &v};
    memset(out, 0, sizeof *out);
    csp_error err = csp_paths_expand(paths, n, opt->max_files, &files, diags);
    if (err != CSP_OK)
        return err;
    if (files.count &&
        !(out->files = csp_calloc(files.count, sizeof *out->files)))
        err = CSP_ERR_NOMEM;
    if (err == CSP_OK)
        err = csp_xml_prepare();
    if (err == CSP_OK)
        err = csp_workers_run(files.count, opt->threads, &job);
    csp_path_list_free(&files);
    if (err != CSP_OK)
        csp_validation_free(out);
    return err;
}

/* Was everything accepted? */
bool csp_validation_ok(const csp_validation *v)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->files[i].refused || v->files[i].refused_items ||
            v->files[i].problems)
            return false;
    return true;
}

/* "s" when n is not 1. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* One summary line per file. */
void csp_validated_print(FILE *out, const csp_validated *f)
{
    const char *what = f->kind == CSP_DOC_STRATEGY  ? "strategy template"
                       : f->kind == CSP_DOC_DATASET ? "dataset"
                                                    : "submission";
    if (f->refused) {
        fprintf(out, "%s: refused: %s with %zu problem%s; nothing in it was used\n",
                f->path, what, f->problems, plural(f->problems));
    } else if (f->kind != CSP_DOC_SUBMISSION) {
        fprintf(out, "%s: valid %s\n", f->path, what);
    } else if (f->refused_items) {
        fprintf(out,
                "%s: partly refused: %zu figure%s and %zu update%s accepted, "
                "%zu item%s refused\n",
                f->path, f->figures, plural(f->figures), f->updates,
                plural(f->updates), f->refused_items, plural(f->refused_items));
    } else {
        fprintf(out, "%s: valid: %zu figure%s and %zu update%s\n", f->path,
                f->figures, plural(f->figures), f->updates, plural(f->updates));
    }
}

/* Free the results. */
void csp_validation_free(csp_validation *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++)
        free(v->files[i].path);
    free(v->files);
    v->files = NULL;
    v->count = 0;
}
