/* csppack: reading the files of a run, bare or mail (read/inbox.h). */
#include "csppack/read/inbox.h"

#include <stdlib.h>

#include "csppack/base/alloc.h"
#include "csppack/base/workers.h"
#include "csppack/read/mail.h"
#include "csppack/read/submission.h"
#include "csppack/read/xmlsafe.h"

/* csp_submission_read_all's arguments, shared (read-only) by its threads. */
typedef struct read_all {
    const char *const *paths;
    const csp_template *tpl;
    const csp_read_options *opt;
    const csp_submission_sink *sink;
} read_all;

/* Free what read_file made (NULL is fine). */
static void read_one_free(csp_mail_items *one)
{
    if (!one)
        return;
    csp_mail_items_free(one);
    free(one);
}

/* Read a bare file as csp_submission_read does, into @p one. */
static csp_error read_bare(const csp_input *in, const read_all *ra,
                           csp_mail_items *one)
{
    csp_submission *sub = NULL;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_error err = csp_submission_parse(in, ra->tpl, ra->opt, &sub, &d);
    if (err == CSP_OK && sub->refused)
        sub->kind = csp_input_sniff(in);
    if (err == CSP_OK) {
        csp_mail_item *it = csp_malloc(sizeof *it);
        if (!it) {
            err = CSP_ERR_NOMEM;
        } else {
            it->sub = sub;
            it->diags = d;
            csp_diag_list_init(&d);
            sub = NULL;
            one->items = it;
            one->count = one->capacity = 1;
        }
    }
    csp_submission_free(sub);
    csp_diag_list_free(&d);
    return err;
}

/* A file refused before parsing: one refused submission, named @p path. */
static csp_error read_refused(const char *path, csp_diag_list *d,
                              csp_mail_items *one)
{
    csp_mail_item *it = csp_malloc(sizeof *it);
    csp_submission *sub = csp_calloc(1, sizeof *sub);
    if (!it || !sub || !(sub->path = csp_text_shown(path, 0))) {
        free(it);
        free(sub);
        return CSP_ERR_NOMEM;
    }
    sub->refused = true;
    it->sub = sub;
    it->diags = *d;
    csp_diag_list_init(d);
    one->items = it;
    one->count = one->capacity = 1;
    return CSP_OK;
}

/* On a worker: read file i, a bare file or a mail file (read/mail.h). */
static csp_error read_file(void *ctx, size_t i, void **result)
{
    const read_all *ra = ctx;
    const char *path = ra->paths[i];
    csp_input in;
    csp_diag_list d;
    csp_diag_list_init(&d);
    csp_mail_items *one = csp_calloc(1, sizeof *one);
    if (!one)
        return CSP_ERR_NOMEM;
    csp_error err = csp_input_load(path, ra->opt, &in, &d);
    if (err == CSP_ERR_INVALID) {
        err = read_refused(path, &d, one);
    } else if (err == CSP_OK) {
        csp_mail_kind kind = csp_mail_sniff(&in);
        if (kind == CSP_MAIL_NONE)
            err = read_bare(&in, ra, one);
        else
            err = csp_mail_read(path, &in, kind, ra->tpl, ra->opt, one);
        csp_input_free(&in);
    }
    csp_diag_list_free(&d);
    if (err != CSP_OK || one->count == 0) {
        read_one_free(one);
        return err == CSP_OK ? CSP_ERR_INTERNAL : err;
    }
    *result = one;
    return CSP_OK;
}

/* On the calling thread, in order: hand file i over, each of its
 * submissions (or its diagnostics alone) in turn. */
static csp_error hand_over(void *ctx, size_t i, void *result)
{
    const read_all *ra = ctx;
    csp_mail_items *one = result;
    csp_error err = CSP_OK;
    for (size_t k = 0; k < one->count && err == CSP_OK; k++) {
        csp_submission *sub = one->items[k].sub;
        one->items[k].sub = NULL; /* the sink takes it in every case */
        err = ra->sink->take(ra->sink->ctx, i, sub, &one->items[k].diags);
    }
    read_one_free(one);
    return err;
}

/* A file read ahead of a failure. */
static void drop_file(void *ctx, size_t i, void *result)
{
    (void)ctx;
    (void)i;
    read_one_free(result);
}

/* File i is next. */
static void announce(void *ctx, size_t i)
{
    const read_all *ra = ctx;
    if (ra->sink->next)
        ra->sink->next(ra->sink->ctx, i, ra->paths[i]);
}

/* Read many files on several threads, hand them over in order. */
csp_error csp_submission_read_all(const char *const *paths, size_t n,
                                  const csp_template *tpl,
                                  const csp_read_options *opt,
                                  const csp_submission_sink *sink)
{
    read_all ra = {.paths = paths, .tpl = tpl, .opt = opt, .sink = sink};
    csp_workers_job job = {.work = read_file, .take = hand_over,
                           .discard = drop_file, .next = announce,
                           .ctx = &ra};
    csp_error err = csp_xml_prepare();
    if (err != CSP_OK)
        return err;
    return csp_workers_run(n, opt->threads, &job);
}
