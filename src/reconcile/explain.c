/* csppack: the text of the reconciliation diagnostics: names, values,
 * keys and the "agency=value" lists (reconcile/explain.h). */
#include "csppack/reconcile/explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* The display name of an agency id ("csppack" for computed figures). */
const char *csp_explain_agency(const csp_dataset *ds, const char *id)
{
    const csp_agency *a;

    if (!id)
        return "(unknown agency)";
    a = csp_template_agency(ds->tpl, id);
    return a && a->name ? a->name : id;
}


/* A claim's value with its status when that is not final ("4 provisional"). */
void csp_explain_claim_value(const csp_claim *c, char *buf, size_t size)
{
    char v[CSP_DECIMAL_BUFSZ];

    csp_claim_value_text(c, v);
    if (c->has_value && c->status != CSP_OBS_FINAL)
        snprintf(buf, size, "%s (%s)", v, csp_obs_status_str(c->status));
    else
        snprintf(buf, size, "%s", v);
}

/* ------------------------------------------------------------------------ */
/* Values strings: "agency=value;agency=value", entries sorted               */
/* ------------------------------------------------------------------------ */

/* Free a csp_strvec's strings and storage. */
void csp_strvec_free(csp_strvec *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->capacity = 0;
}

/* Append "agency=value". */
csp_error csp_strvec_push_pair(csp_strvec *v, const char *agency,
                                  const char *value)
{
    csp_error err = CSP_OK;
    csp_strbuf sb;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
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
csp_error csp_strvec_join(csp_strvec *v, char **out)
{
    csp_error err = CSP_OK;
    csp_strbuf sb;

    csp_strbuf_init(&sb, CSP_EXPLAIN_MAX);
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
csp_error csp_strvec_push_claim(csp_strvec *v, const csp_claim *c)
{
    char buf[CSP_DECIMAL_BUFSZ];

    csp_claim_value_text(c, buf);
    return csp_strvec_push_pair(v, c->agency, buf);
}

/* A path's name in messages and orders (csp_dataset_name), never the path
 * as given. */
const char *csp_explain_path(const csp_dataset *ds, const char *path)
{
    return path ? csp_dataset_name(ds, path) : "(unnamed)";
}

/* A file's name for messages. */
const char *csp_explain_file(const csp_dataset *ds, size_t i)
{
    return csp_explain_path(ds, ds->files[i].path);
}


/* The key fields of a diagnostic about `fig`, at claim `c` (may be NULL). */
csp_diag csp_explain_proto(const csp_dataset *ds, const csp_figure *fig,
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

/* "total-crime for north, 2015-10-01/2016-09-30". */
void csp_explain_key(const csp_figure *fig, char *buf, size_t size)
{
    char p[CSP_PERIOD_BUFSZ];

    csp_period_format(fig->period, p);
    snprintf(buf, size, "%s for %s, %s", fig->indicator, fig->area, p);
}

/* "a.xml:12": the file's base name, never the folder it was found in. */
void csp_explain_where(const csp_dataset *ds, const csp_claim *c, char *buf,
                       size_t size)
{
    snprintf(buf, size, "%s:%lu", csp_explain_file(ds, c->file),
             (unsigned long)c->line);
}

/* Add a diagnostic with a ready message; NOMEM when it cannot. */
csp_error csp_explain_add(csp_diag_list *list, csp_diag *proto,
                          const char *values, const char *msg)
{
    proto->values = (char *)values;
    return csp_diag_add(list, proto, "%s", msg) ? CSP_OK : CSP_ERR_NOMEM;
}

/* Values string of the claims `cl[idx[0..n)]` (*out owned). */
csp_error csp_explain_claims_values(const csp_claim *cl, const size_t *idx,
                               size_t n, char **out)
{
    csp_error err = CSP_OK;
    csp_strvec v = {0};

    for (size_t i = 0; i < n && i < CSP_CLAIMS_LISTED; i++)
        if ((err = csp_strvec_push_claim(&v, &cl[idx[i]])))
            goto out;
    err = csp_strvec_join(&v, out);
out:
    csp_strvec_free(&v);
    return err;
}

/* "The Police 8388 (a.xml:12), ..." for the claims idx[0..n): the first
 * CSP_CLAIMS_LISTED of them, and how many more. */
csp_error csp_explain_claims_list(const csp_dataset *ds, const csp_figure *fig,
                                  const size_t *idx, size_t n, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    const csp_claim *cl = csp_dataset_claims(ds, fig);
    size_t listed = n < CSP_CLAIMS_LISTED ? n : CSP_CLAIMS_LISTED;

    for (size_t i = 0; i < listed; i++) {
        const csp_claim *c = &cl[idx[i]];
        char v[CSP_DECIMAL_BUFSZ + 32], w[512];
        csp_explain_claim_value(c, v, sizeof v);
        csp_explain_where(ds, c, w, sizeof w);
        if ((err = csp_strbuf_printf(sb, "%s%s %s (%s)",
                                     i == 0 ? ""
                                     : (i + 1 == n ? " and " : ", "),
                                     csp_explain_agency(ds, c->agency), v, w)))
            goto out;
    }
    if (listed < n)
        err = csp_strbuf_printf(sb, " and %zu more", n - listed);
out:
    return err;
}

