/*
 * csppack: the previous pack's dataset.xml read back (read/previous.h),
 * for what changed since it.  It is read as a submission is: the bytes
 * checked first (xmlscan), no network, no entities, no DOCTYPE, and
 * validated against the dataset schema as it streams by, so that a
 * dataset of hundreds of megabytes is never a tree in memory.  Only what
 * the comparison needs is kept: the figures that stood or were disputed,
 * and each action-plan item's status.
 */
#include "csppack/read/previous.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "csppack/base/alloc.h"
#include "csppack/read/xmlread.h"
#include "csppack/read/xmlsafe.h"

/* Longest text a dataset may hold in one node: progress statements were
 * bounded by --max-text when they were read, which a run may raise. */
#define PREV_MAX_TEXT ((size_t)64 * 1024 * 1024)

/* What one read holds. */
typedef struct prev_reader {
    const csp_template *tpl;
    xmlTextReaderPtr xr;
    csp_previous *p;
    size_t figures_cap, was_cap, inputs_cap, was_actions_cap;
    const csp_action **order;   /* the template's actions, in its order */
    csp_prev_action *by_order;  /* what was read of each, by that order */
    bool *seen;                 /* by that order */
    size_t nactions;
    bool nomem, foreign;
    char *strategy;             /* the root's, when foreign */
} prev_reader;

/* An attribute of the current element (caller frees with xmlFree). */
static char *attr(prev_reader *r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r->xr, (const xmlChar *)name);
}

/* A date attribute; false when absent or not a date. */
static bool attr_date(prev_reader *r, const char *name, csp_date *out)
{
    char *v = attr(r, name);
    bool ok = v && csp_date_parse(v, strlen(v), out);
    xmlFree(v);
    return ok;
}

/* The template's string for an area id ("all" included), or NULL. */
static const char *area_id(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return CSP_AREA_ALL;
    const csp_area *a = csp_template_area(tpl, id);
    return a ? a->id : NULL;
}

/* The root: the strategy must be the template's; its pack's period. */
static void read_root(prev_reader *r)
{
    char *s = attr(r, "strategy");
    if (!s || strcmp(s, r->tpl->id) != 0) {
        r->foreign = true;
        r->strategy = s ? csp_strdup(s) : NULL;
        if (s && !r->strategy)
            r->nomem = true;
        xmlFree(s);
        return;
    }
    xmlFree(s);
    char *v = attr(r, "pack-period");
    if (v && csp_period_parse(v, strlen(v), &r->p->period) == CSP_PERIOD_OK)
        r->p->has_period = true;
    xmlFree(v);
    v = attr(r, "latest-submitted");
    if (v && csp_instant_parse(v, strlen(v), &r->p->latest_submitted))
        r->p->has_latest = true;
    xmlFree(v);
}

/* A <figure>: kept when it stood or was disputed, for a key the template
 * declares. */
static void read_figure(prev_reader *r)
{
    char *state = attr(r, "state"), *ind = attr(r, "indicator"),
         *area = attr(r, "area"), *status = attr(r, "status"),
         *value = attr(r, "value"), *agency = attr(r, "agency");
    csp_prev_figure f = {0};
    const csp_indicator *in = ind ? csp_template_indicator(r->tpl, ind) : NULL;
    f.indicator = in ? in->id : NULL;
    f.area = area ? area_id(r->tpl, area) : NULL;
    f.disputed = state && strcmp(state, "disputed") == 0;
    bool stands = state && strcmp(state, "stands") == 0;
    if (!f.indicator || !f.area || !(stands || f.disputed) ||
        !attr_date(r, "start", &f.period.start) ||
        !attr_date(r, "end", &f.period.end))
        goto out;
    if (stands) {
        if (!status || !csp_obs_status_parse(status, &f.status))
            goto out;
        f.has_value = value && csp_decimal_parse(value, strlen(value),
                                                 &f.value) == CSP_DEC_OK;
        if (agency && !(f.agency = csp_strdup(agency))) {
            r->nomem = true;
            goto out;
        }
    }
    csp_previous *p = r->p;
    if (p->nfigures == r->figures_cap) {
        size_t want = r->figures_cap ? 2 * r->figures_cap : 256;
        csp_prev_figure *q = csp_realloc(p->figures, want * sizeof *q);
        if (!q) {
            free(f.agency);
            r->nomem = true;
            goto out;
        }
        p->figures = q;
        r->figures_cap = want;
    }
    p->figures[p->nfigures++] = f;
out:
    xmlFree(state);
    xmlFree(ind);
    xmlFree(area);
    xmlFree(status);
    xmlFree(value);
    xmlFree(agency);
}

/* An <action>: its status, for a ref the template declares. */
static void read_action(prev_reader *r)
{
    char *ref = attr(r, "ref"), *status = attr(r, "status");
    const csp_action *a = ref ? csp_template_action(r->tpl, ref) : NULL;
    size_t k = 0;
    while (a && k < r->nactions && r->order[k] != a)
        k++;
    if (a && k < r->nactions && !r->seen[k]) {
        csp_prev_action *pa = &r->by_order[k];
        pa->ref = a->ref;
        pa->has_status = status && csp_action_status_parse(status, &pa->status) &&
                         attr_date(r, "as-of", &pa->as_of);
        r->seen[k] = true;
    }
    xmlFree(ref);
    xmlFree(status);
}

/* Grow *arr (of *n items of @p size, room for *cap) for one more. */
static bool grow(prev_reader *r, void **arr, size_t n, size_t *cap,
                 size_t size)
{
    if (n < *cap)
        return true;
    size_t want = *cap ? 2 * *cap : 16;
    void *q = csp_realloc(*arr, want * size);
    if (!q) {
        r->nomem = true;
        return false;
    }
    *arr = q;
    *cap = want;
    return true;
}

/* A <file>: its SHA-256, to know a pack built again from the same
 * files. */
static void read_file_sha(prev_reader *r)
{
    char *sha = attr(r, "sha256");
    csp_previous *p = r->p;
    if (sha && *sha &&
        grow(r, (void **)&p->inputs, p->ninputs, &r->inputs_cap,
             sizeof *p->inputs) &&
        !(p->inputs[p->ninputs++] = csp_strdup(sha))) {
        p->ninputs--;
        r->nomem = true;
    }
    xmlFree(sha);
}

/* <revisions>: the pack was compared with one before it. */
static void read_revisions(prev_reader *r)
{
    char *v = attr(r, "previous-period");
    r->p->compared = true;
    if (v && csp_period_parse(v, strlen(v), &r->p->compared_period) ==
                 CSP_PERIOD_OK)
        r->p->compared_has_period = true;
    xmlFree(v);
}

/* A <revision>: what stood for its key before the pack. */
static void read_revision(prev_reader *r)
{
    char *ind = attr(r, "indicator"), *area = attr(r, "area"),
         *status = attr(r, "old-status"), *value = attr(r, "old-value"),
         *agency = attr(r, "old-agency");
    csp_prev_figure f = {0};
    const csp_indicator *in = ind ? csp_template_indicator(r->tpl, ind) : NULL;
    f.indicator = in ? in->id : NULL;
    f.area = area ? area_id(r->tpl, area) : NULL;
    f.disputed = status && strcmp(status, "disputed") == 0;
    csp_previous *p = r->p;
    if (!f.indicator || !f.area || !status ||
        (!f.disputed && !csp_obs_status_parse(status, &f.status)) ||
        !attr_date(r, "start", &f.period.start) ||
        !attr_date(r, "end", &f.period.end))
        goto out;
    f.has_value = !f.disputed && value &&
                  csp_decimal_parse(value, strlen(value), &f.value) ==
                      CSP_DEC_OK;
    if (agency && !(f.agency = csp_strdup(agency))) {
        r->nomem = true;
        goto out;
    }
    if (!grow(r, (void **)&p->was, p->nwas, &r->was_cap, sizeof *p->was)) {
        free(f.agency);
        goto out;
    }
    p->was[p->nwas++] = f;
out:
    xmlFree(ind);
    xmlFree(area);
    xmlFree(status);
    xmlFree(value);
    xmlFree(agency);
}

/* A <status-change>: the item's status before the pack. */
static void read_status_change(prev_reader *r)
{
    char *ref = attr(r, "ref"), *status = attr(r, "old-status");
    const csp_action *a = ref ? csp_template_action(r->tpl, ref) : NULL;
    csp_previous *p = r->p;
    if (a && grow(r, (void **)&p->was_actions, p->nwas_actions,
                  &r->was_actions_cap, sizeof *p->was_actions)) {
        csp_prev_action *pa = &p->was_actions[p->nwas_actions++];
        memset(pa, 0, sizeof *pa);
        pa->ref = a->ref;
        pa->has_status = status &&
                         csp_action_status_parse(status, &pa->status) &&
                         attr_date(r, "old-as-of", &pa->as_of);
    }
    xmlFree(ref);
    xmlFree(status);
}

/* The template's actions in its order (r->order). */
static csp_error list_actions(prev_reader *r)
{
    const csp_template *tpl = r->tpl;
    size_t n = 0;
    for (size_t t = 0; t < tpl->nthemes; t++)
        n += tpl->themes[t].nactions;
    r->order = csp_calloc(n ? n : 1, sizeof *r->order);
    r->by_order = csp_calloc(n ? n : 1, sizeof *r->by_order);
    r->seen = csp_calloc(n ? n : 1, sizeof *r->seen);
    if (!r->order || !r->by_order || !r->seen)
        return CSP_ERR_NOMEM;
    for (size_t t = 0; t < tpl->nthemes; t++)
        for (size_t a = 0; a < tpl->themes[t].nactions; a++)
            r->order[r->nactions++] = &tpl->themes[t].actions[a];
    return CSP_OK;
}

/* qsort order of strings. */
static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep the items read, in template order. */
static csp_error keep_actions(prev_reader *r)
{
    size_t n = 0;
    for (size_t k = 0; k < r->nactions; k++)
        n += r->seen[k];
    if (!n)
        return CSP_OK;
    if (!(r->p->actions = csp_calloc(n, sizeof *r->p->actions)))
        return CSP_ERR_NOMEM;
    for (size_t k = 0; k < r->nactions; k++)
        if (r->seen[k])
            r->p->actions[r->p->nactions++] = r->by_order[k];
    return CSP_OK;
}

/* The first diagnostic's words, for why. */
static void say_diag(csp_why *why, const csp_diag_list *diags,
                     const char *lead)
{
    const csp_diag *d = diags->count ? &diags->items[0] : NULL;
    if (d && d->line > 1)
        csp_why_set(why, "%sline %lu: %s", lead, d->line,
                    d->message ? d->message : "");
    else if (d)
        csp_why_set(why, "%s%s", lead, d->message ? d->message : "");
    else
        csp_why_set(why, "%sit is not a dataset.xml csppack wrote", lead);
}

/* Read the elements the comparison needs, validating the whole. */
static csp_error read_document(prev_reader *r, const csp_input *in,
                               csp_diag_list *diags, csp_why *why)
{
    csp_xml *x = NULL;
    csp_error err = csp_xml_open(in, CSP_SCHEMA_DATASET, PREV_MAX_TEXT,
                                 diags, &x);
    if (err != CSP_OK)
        return err;
    r->xr = csp_xml_reader(x);
    int rc;
    while (!r->nomem && !r->foreign && (rc = csp_xml_next(x)) == 1) {
        if (csp_xml_type(x) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *name = (const char *)xmlTextReaderConstLocalName(r->xr);
        int depth = xmlTextReaderDepth(r->xr);
        if (!name)
            continue;
        if (depth == 0)
            read_root(r);
        else if (depth == 2 && strcmp(name, "figure") == 0)
            read_figure(r);
        else if (depth == 2 && strcmp(name, "action") == 0)
            read_action(r);
        else if (depth == 2 && strcmp(name, "file") == 0)
            read_file_sha(r);
        else if (depth == 1 && strcmp(name, "revisions") == 0)
            read_revisions(r);
        else if (depth == 2 && strcmp(name, "revision") == 0)
            read_revision(r);
        else if (depth == 2 && strcmp(name, "status-change") == 0)
            read_status_change(r);
    }
    r->nomem |= csp_xml_nomem(x);
    bool valid = csp_xml_close(x);
    if (r->nomem)
        return CSP_ERR_NOMEM;
    if (r->foreign) {
        csp_why_set(why, "it is the pack of another strategy (%s%s%s), not "
                    "of %s",
                    r->strategy ? "\"" : "", r->strategy ? r->strategy
                    : "none named", r->strategy ? "\"" : "", r->tpl->id);
        return CSP_ERR_INVALID;
    }
    if (!valid) {
        say_diag(why, diags, "it is not a dataset csppack wrote: ");
        return CSP_ERR_INVALID;
    }
    return CSP_OK;
}

/* Read a previous pack's dataset.xml. */
csp_error csp_previous_read(const char *path, const csp_template *tpl,
                            csp_previous *out, csp_why *why)
{
    csp_error err = CSP_OK;
    prev_reader r = {.tpl = tpl, .p = out};
    csp_input in = {0};
    csp_diag_list diags;
    csp_read_options opt;

    csp_diag_list_init(&diags);
    if (!path || !tpl || !out)
        return CSP_ERR_USAGE;
    memset(out, 0, sizeof *out);
    csp_read_options_init(&opt);
    /* A pack's dataset may be far larger than a submission; libxml2
     * reads at most INT_MAX bytes from memory. */
    opt.max_file_size = INT_MAX;
    if ((err = csp_xml_prepare()) || (err = list_actions(&r)))
        goto out;
    if (!(out->path = csp_strdup(path))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_input_load(path, &opt, &in, &diags)) != CSP_OK) {
        if (err != CSP_ERR_NOMEM) {
            say_diag(why, &diags, "");
            err = CSP_ERR_IO;
        }
        goto out;
    }
    if ((err = read_document(&r, &in, &diags, why)) ||
        (err = keep_actions(&r)))
        goto out;
    if (out->nfigures > 1)
        qsort(out->figures, out->nfigures, sizeof *out->figures,
              csp_prev_figure_cmp);
    if (out->ninputs > 1)
        qsort(out->inputs, out->ninputs, sizeof *out->inputs, cmp_text);
out:
    csp_input_free(&in);
    csp_diag_list_free(&diags);
    free(r.order);
    free(r.by_order);
    free(r.seen);
    free(r.strategy);
    if (err != CSP_OK)
        csp_previous_clear(out);
    return err;
}
