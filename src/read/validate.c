/* csppack: validating files of every kind. */
#include "csppack/read/validate.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/read/mail.h"
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

/* What validating one named file found: one result per submission (a
 * mail file may hold several, or none), with their diagnostics. */
typedef struct validated_file {
    csp_validated *files;
    size_t count;
    csp_diag_list diags;
} validated_file;

/* Free a file's results (NULL is fine). */
static void validated_file_free(validated_file *vf)
{
    if (!vf)
        return;
    for (size_t i = 0; i < vf->count; i++) {
        free(vf->files[i].path);
        free(vf->files[i].container);
    }
    free(vf->files);
    csp_diag_list_free(&vf->diags);
    free(vf);
}

/* Room for one more result in @p vf, zeroed; NULL when out of memory. */
static csp_validated *validated_add(validated_file *vf)
{
    csp_validated *p = csp_realloc(vf->files, (vf->count + 1) * sizeof *p);
    if (!p)
        return NULL;
    vf->files = p;
    memset(&p[vf->count], 0, sizeof *p);
    return &p[vf->count++];
}

/* Hand @p sub to @p check when validation accepted it with figures;
 * else free it. */
static csp_error check_further(const csp_validate_check *check,
                               csp_submission *sub, csp_diag_list *diags)
{
    if (!check || !sub || sub->refused || sub->nobs == 0) {
        csp_submission_free(sub);
        return CSP_OK;
    }
    return check->check(check->ctx, sub, diags);
}

/* The results of the mail file @p path (@p items), into @p vf. */
static csp_error validate_mail(const char *shown, csp_mail_items *items,
                               const csp_validate_check *check,
                               validated_file *vf)
{
    csp_error err = CSP_OK;
    for (size_t k = 0; k < items->count && err == CSP_OK; k++) {
        csp_mail_item *it = &items->items[k];
        csp_validated *f = validated_add(vf);
        size_t before = vf->diags.count;
        if (!f || !(f->container = csp_strdup(shown)))
            return CSP_ERR_NOMEM;
        if ((err = csp_diag_list_take(&vf->diags, &it->diags)) != CSP_OK)
            return err;
        if (it->sub) {
            f->path = csp_strdup(it->sub->path);
            f->kind = it->sub->kind;
            f->refused = it->sub->refused;
            f->figures = it->sub->nobs;
            f->updates = it->sub->nupdates;
            f->refused_items = it->sub->refused_items;
            err = check_further(check, it->sub, &vf->diags);
            it->sub = NULL;
        } else {
            f->path = csp_strdup(shown);
            f->none = true;
            for (size_t i = before; i < vf->diags.count; i++) {
                csp_diag_code c = vf->diags.items[i].code;
                f->refused |= c == CSP_D_MAIL_UNREADABLE ||
                              c == CSP_D_OUTLOOK_MSG;
            }
        }
        if (!f->path)
            return CSP_ERR_NOMEM;
        f->problems = errors_since(&vf->diags, before);
    }
    return err;
}

/* Validate one bare file of kind f->kind, loaded as @p in. */
static csp_error validate_bare(const char *path, const csp_input *in,
                               const csp_template *tpl,
                               const csp_read_options *opt,
                               const csp_validate_check *check,
                               csp_validated *f, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    f->kind = csp_input_sniff(in);
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
        err = csp_xml_parse_validated(in, CSP_SCHEMA_DATASET, &doc, diags);
        f->refused = err == CSP_ERR_INVALID;
        if (err == CSP_ERR_INVALID)
            err = CSP_OK;
        xmlFreeDoc(doc);
        break;
    }
    case CSP_DOC_SUBMISSION: {
        csp_submission *sub = NULL;
        err = csp_submission_parse(in, tpl, opt, &sub, diags);
        if (sub) {
            f->refused = sub->refused;
            f->figures = sub->nobs;
            f->updates = sub->nupdates;
            f->refused_items = sub->refused_items;
        }
        if (err == CSP_OK)
            err = check_further(check, sub, diags);
        else
            csp_submission_free(sub);
        break;
    }
    }
    return err;
}

/* Validate one file named (or found), into @p vf. */
static csp_error validate_one(const char *path, const csp_template *tpl,
                              const csp_read_options *opt,
                              const csp_validate_check *check,
                              validated_file *vf)
{
    csp_error err = CSP_OK;
    csp_diag_list *diags = &vf->diags;
    csp_input in;
    csp_mail_items items = {0};
    err = csp_input_load(path, opt, &in, diags);
    if (err != CSP_OK && err != CSP_ERR_INVALID)
        return err;
    csp_mail_kind kind = err == CSP_OK ? csp_mail_sniff(&in) : CSP_MAIL_NONE;
    if (kind != CSP_MAIL_NONE) {
        err = csp_mail_read(path, &in, kind, tpl, opt, &items);
        if (err == CSP_OK)
            err = validate_mail(in.path, &items, check, vf);
        csp_mail_items_free(&items);
        csp_input_free(&in);
        return err;
    }
    csp_validated *f = validated_add(vf);
    if (!f || !(f->path = csp_text_shown(path, 0))) {
        if (err == CSP_OK)
            csp_input_free(&in);
        return CSP_ERR_NOMEM;
    }
    if (err == CSP_ERR_INVALID) {
        f->refused = true;
        f->problems = errors_since(diags, 0);
        return CSP_OK;
    }
    err = validate_bare(path, &in, tpl, opt, check, f, diags);
    f->problems = errors_since(diags, 0);
    csp_input_free(&in);
    return err;
}

/* csp_validate_paths's run, shared by its threads. */
typedef struct validate_run {
    const csp_path_list *files;
    const csp_template *tpl;
    const csp_read_options *opt;
    const csp_validate_check *check;
    csp_validation *out;
    size_t cap;             /* of out->files */
    csp_diag_list *diags;
} validate_run;

/* On a worker: validate file i; its results and diagnostics. */
static csp_error validate_work(void *ctx, size_t i, void **result)
{
    const validate_run *v = ctx;
    validated_file *vf = csp_calloc(1, sizeof *vf);
    if (!vf)
        return CSP_ERR_NOMEM;
    csp_diag_list_init(&vf->diags);
    csp_error err = validate_one(v->files->paths[i], v->tpl, v->opt,
                                 v->check, vf);
    if (err != CSP_OK) {
        validated_file_free(vf);
        return err;
    }
    *result = vf;
    return CSP_OK;
}

/* On the calling thread, in order: file i's results join the rest. */
static csp_error validate_take(void *ctx, size_t i, void *result)
{
    validate_run *v = ctx;
    validated_file *vf = result;
    csp_validation *out = v->out;
    csp_error err = CSP_OK;
    (void)i;
    if (out->count + vf->count > v->cap) {
        size_t cap = v->cap ? 2 * v->cap : 16;
        while (cap < out->count + vf->count)
            cap *= 2;
        csp_validated *p = csp_realloc(out->files, cap * sizeof *p);
        if (!p)
            err = CSP_ERR_NOMEM;
        else {
            out->files = p;
            v->cap = cap;
        }
    }
    if (err == CSP_OK) {
        memcpy(out->files + out->count, vf->files,
               vf->count * sizeof *vf->files);
        out->count += vf->count;
        vf->count = 0;
        err = csp_diag_list_take(v->diags, &vf->diags);
    }
    validated_file_free(vf);
    return err;
}

/* File i will not be taken (the run stopped). */
static void validate_discard(void *ctx, size_t i, void *result)
{
    (void)ctx;
    (void)i;
    validated_file_free(result);
}

/* Validate every named file. */
csp_error csp_validate_paths(const char *const *paths, size_t n,
                             const csp_template *tpl,
                             const csp_read_options *opt,
                             const csp_validate_check *check,
                             csp_validation *out, csp_diag_list *diags)
{
    csp_path_list files;
    validate_run v = {.files = &files, .tpl = tpl, .opt = opt,
                      .check = check, .out = out, .diags = diags};
    csp_workers_job job = {.work = validate_work, .take = validate_take,
                           .discard = validate_discard, .ctx = &v};
    memset(out, 0, sizeof *out);
    csp_error err = csp_paths_expand(paths, n, opt->max_files, &files, diags);
    if (err != CSP_OK)
        return err;
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
            v->files[i].problems || v->files[i].none)
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
    if (f->none) {
        fprintf(out, "%s: %s\n", f->path,
                f->refused ? "refused: the mail could not be read; no "
                             "submission was read from it"
                           : "no submission: the mail has no XML "
                             "attachment");
    } else if (f->refused) {
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
    for (size_t i = 0; i < v->count; i++) {
        free(v->files[i].path);
        free(v->files[i].container);
    }
    free(v->files);
    v->files = NULL;
    v->count = 0;
}
