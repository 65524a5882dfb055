/* csppack: the reconciled dataset as XML (dataset.h, dataset-format.md). */
#include "csppack/dataset.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "outcommon.h"
#include "strbuf.h"
#include "xmlsafe.h"

/* The dataset namespace (also in xmlsafe.c's schema table). */
#define DATASET_NS "urn:csppack:dataset:1"

/* Everything one write needs. */
typedef struct writer {
    const csp_dataset *ds;
    FILE *out;
    xmlTextWriterPtr w;
    csp_strbuf text;      /* scratch for cleaned text */
    csp_error err;        /* first failure */
} writer;

/* Record a libxml2 writer failure (rc < 0) once; true when all is well.
 * The writer fails when writing to the file fails (which leaves the
 * stream's error indicator set) or when memory runs out. */
static bool ok(writer *wr, int rc)
{
    if (rc < 0 && wr->err == CSP_OK)
        wr->err = ferror(wr->out) ? CSP_ERR_IO : CSP_ERR_NOMEM;
    return wr->err == CSP_OK;
}

/* Text as XML may hold it (scratch buffer; valid until the next call). */
static const char *clean(writer *wr, const char *s)
{
    if (csp_out_text_ok(s))
        return s;
    csp_error e = csp_out_text_clean(s, &wr->text);
    if (e != CSP_OK) {
        if (wr->err == CSP_OK)
            wr->err = e;
        return "";
    }
    return csp_strbuf_str(&wr->text);
}

/* <name ...: start an element. */
static void start(writer *wr, const char *name)
{
    if (wr->err == CSP_OK)
        ok(wr, xmlTextWriterStartElement(wr->w, BAD_CAST name));
}

/* ...>: end the element. */
static void end(writer *wr)
{
    if (wr->err == CSP_OK)
        ok(wr, xmlTextWriterEndElement(wr->w));
}

/* An attribute; skipped when @p value is NULL. */
static void attr(writer *wr, const char *name, const char *value)
{
    if (wr->err != CSP_OK || !value)
        return;
    value = clean(wr, value);
    ok(wr, xmlTextWriterWriteAttribute(wr->w, BAD_CAST name, BAD_CAST value));
}

/* A numeric attribute. */
static void attr_num(writer *wr, const char *name, unsigned long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", v);
    attr(wr, name, buf);
}

/* A date attribute. */
static void attr_date(writer *wr, const char *name, csp_date d)
{
    char buf[CSP_DATE_BUFSZ];
    csp_date_format(d, buf);
    attr(wr, name, buf);
}

/* An instant attribute, as written. */
static void attr_instant(writer *wr, const char *name, csp_instant t)
{
    char buf[CSP_INSTANT_BUFSZ];
    csp_instant_format(t, buf);
    attr(wr, name, buf);
}

/* value="..." decimals="..." */
static void attr_value(writer *wr, csp_decimal v)
{
    char buf[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(v, buf);
    attr(wr, "value", buf);
    attr_num(wr, "decimals", v.scale);
}

/* The four attributes of a key. */
static void attr_key(writer *wr, const char *indicator, const char *area,
                     csp_period p)
{
    attr(wr, "indicator", indicator);
    attr(wr, "area", area);
    attr_date(wr, "start", p.start);
    attr_date(wr, "end", p.end);
}

/* file, sha256 and line of a source in the dataset's files. */
static void attr_source(writer *wr, size_t file, unsigned long line)
{
    const csp_dataset *ds = wr->ds;
    if (file != CSP_NO_INDEX && file < ds->nfiles) {
        attr(wr, "file", csp_out_file_name(ds, file));
        if (ds->files[file].sha256 && *ds->files[file].sha256)
            attr(wr, "sha256", ds->files[file].sha256);
    }
    if (line)
        attr_num(wr, "line", line);
}

/* Text content.  xmlTextWriterWriteString escapes <, >, &, " and CR into
 * a copy and writes the copy raw; a text with none of them (most progress
 * statements) is written raw at once, the same bytes without the copy. */
static void text(writer *wr, const char *s)
{
    if (wr->err != CSP_OK || !s || !*s)
        return;
    s = clean(wr, s);
    size_t n = strlen(s);
    if (n <= INT_MAX && s[strcspn(s, "<>&\"\r")] == '\0')
        ok(wr, xmlTextWriterWriteRawLen(wr->w, BAD_CAST s, (int)n));
    else
        ok(wr, xmlTextWriterWriteString(wr->w, BAD_CAST s));
}

/* <name>text</name>; skipped when @p s is NULL. */
static void element(writer *wr, const char *name, const char *s)
{
    if (!s)
        return;
    start(wr, name);
    text(wr, s);
    end(wr);
}

/* The latest submitted instant of the files that count, or NULL. */
static const csp_dataset_file *latest_file(const csp_dataset *ds)
{
    const csp_dataset_file *best = NULL;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused || !f->has_submitted ||
            f->duplicate_of != CSP_NO_INDEX)
            continue;
        int c = best ? csp_instant_cmp(f->submitted, best->submitted) : 1;
        /* Equal instants: the smaller offset, so the choice never depends
         * on the order of the files. */
        if (c > 0 ||
            (c == 0 && f->submitted.offset_min < best->submitted.offset_min))
            best = f;
    }
    return best;
}

/* <files> */
static void write_files(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    size_t *order = NULL;
    csp_error e = csp_out_file_order(ds, NULL, &order);
    if (e != CSP_OK) {
        wr->err = e;
        return;
    }
    start(wr, "files");
    attr_num(wr, "count", ds->nfiles);
    for (size_t k = 0; k < ds->nfiles && wr->err == CSP_OK; k++) {
        const csp_dataset_file *f = &ds->files[order[k]];
        const csp_submission *s = f->sub;
        start(wr, "file");
        attr(wr, "path", csp_path_base(f->path ? f->path : "(unnamed)"));
        if (f->sha256 && *f->sha256)
            attr(wr, "sha256", f->sha256);
        attr_num(wr, "size", f->size);
        attr(wr, "agency", f->agency);
        if (f->has_submitted)
            attr_instant(wr, "submitted", f->submitted);
        attr(wr, "refused", f->refused ? "true" : "false");
        if (f->duplicate_of != CSP_NO_INDEX)
            attr(wr, "duplicate-of", csp_out_file_name(ds, f->duplicate_of));
        start(wr, "counts");
        attr_num(wr, "figures", f->obs_accepted);
        attr_num(wr, "updates", f->updates_accepted);
        attr_num(wr, "refused-items", f->items_refused);
        for (int r = 0; r < CSP_CLAIM_ROLE_COUNT_; r++)
            attr_num(wr, csp_claim_role_str((csp_claim_role)r), f->roles[r]);
        end(wr);
        if (s && !s->refused && s->submitter_name && s->submitter_email) {
            start(wr, "submitter");
            attr(wr, "name", s->submitter_name);
            attr(wr, "email", s->submitter_email);
            attr(wr, "phone", s->submitter_phone);
            end(wr);
        }
        if (s && !s->refused)
            element(wr, "comment", s->comment);
        end(wr);
    }
    end(wr);
    free(order);
}

/* The name of a rule kind in the format. */
static const char *rule_name(csp_rule_kind k)
{
    switch (k) {
    case CSP_RULE_SUM: return "sum";
    case CSP_RULE_RATE: return "rate";
    case CSP_RULE_SHARE: return "share";
    case CSP_RULE_NONE: break;
    }
    return NULL;
}

/* <rule> of a figure whose rule was evaluated. */
static void write_rule(writer *wr, const csp_figure *f)
{
    const csp_dataset *ds = wr->ds;
    const csp_figure_rule *rule = csp_dataset_figure_rule(ds, f);
    const char *kind = rule ? rule_name(rule->kind) : NULL;
    if (!kind)
        return;
    csp_strbuf r;
    csp_strbuf_init(&r, 128);
    csp_error e = csp_out_ratio(&r, rule->exact);
    if (e != CSP_OK) {
        if (wr->err == CSP_OK)
            wr->err = e;
        csp_strbuf_free(&r);
        return;
    }
    start(wr, "rule");
    attr(wr, "kind", kind);
    attr(wr, "exact", csp_strbuf_str(&r));
    if (rule->kind == CSP_RULE_RATE && rule->population > 0)
        attr_num(wr, "population", (unsigned long long)rule->population);
    for (size_t i = 0; i < rule->ninputs; i++) {
        if (rule->inputs[i] >= ds->nfigures)
            continue;
        const csp_figure *in = &ds->figures[rule->inputs[i]];
        start(wr, "input");
        attr_key(wr, in->indicator, in->area, in->period);
        attr_value(wr, in->value);
        end(wr);
    }
    end(wr);
    csp_strbuf_free(&r);
}

/* <claim> */
static void write_claim(writer *wr, const csp_claim *c)
{
    start(wr, "claim");
    attr(wr, "agency", c->agency);
    if (c->has_value)
        attr_value(wr, c->value);
    attr(wr, "status", csp_obs_status_str(c->status));
    attr_instant(wr, "submitted", c->submitted);
    attr_source(wr, c->file, c->line);
    attr(wr, "role", csp_claim_role_str(c->role));
    element(wr, "note", c->note);
    end(wr);
}

/* <figures> */
static void write_figures(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    start(wr, "figures");
    attr_num(wr, "count", ds->nfigures);
    for (size_t i = 0; i < ds->nfigures && wr->err == CSP_OK; i++) {
        const csp_figure *f = &ds->figures[i];
        bool stands = f->state == CSP_FIGURE_STANDS;
        start(wr, "figure");
        attr_key(wr, f->indicator, f->area, f->period);
        attr(wr, "state", stands                                ? "stands"
                          : f->state == CSP_FIGURE_DISPUTED ? "disputed"
                                                            : "none");
        attr(wr, "status", csp_figure_status_str(f));
        if (stands) {
            if (f->has_value)
                attr_value(wr, f->value);
            if (f->computed)
                attr(wr, "computed", "true");
            attr(wr, "agency", f->agency);
            if (f->has_submitted)
                attr_instant(wr, "submitted", f->submitted);
            attr_source(wr, f->has_submitted ? f->file : CSP_NO_INDEX,
                        f->line);
            element(wr, "note", f->note);
        }
        write_rule(wr, f);
        const csp_claim *cl = csp_dataset_claims(ds, f);
        for (size_t c = 0; c < f->nclaims; c++)
            write_claim(wr, &cl[c]);
        end(wr);
    }
    end(wr);
}

/* <actions> */
static void write_actions(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    const csp_template *tpl = ds->tpl;
    start(wr, "actions");
    attr_num(wr, "count", ds->nactions);
    for (size_t i = 0; i < ds->nactions && wr->err == CSP_OK; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        start(wr, "action");
        attr(wr, "ref", a->ref);
        attr(wr, "theme",
             a->theme < tpl->nthemes ? tpl->themes[a->theme].id : "?");
        if (a->current != CSP_NO_INDEX && a->current < a->nupdates) {
            const csp_dataset_update *u = &a->updates[a->current];
            attr(wr, "status", csp_action_status_str(u->status));
            attr_date(wr, "as-of", u->as_of);
        }
        if (a->tie)
            attr(wr, "tie", "true");
        for (size_t k = 0; k < a->nupdates; k++) {
            const csp_dataset_update *u = &a->updates[k];
            start(wr, "update");
            attr_date(wr, "as-of", u->as_of);
            attr(wr, "status", csp_action_status_str(u->status));
            attr(wr, "agency", u->agency);
            attr_instant(wr, "submitted", u->submitted);
            attr_source(wr, u->file, u->line);
            attr(wr, "current", u->current ? "true" : "false");
            char *progress = NULL;
            csp_error e = csp_dataset_update_progress(ds, u, &progress);
            if (e != CSP_OK && wr->err == CSP_OK)
                wr->err = e;
            text(wr, progress);
            free(progress);
            end(wr);
        }
        end(wr);
    }
    end(wr);
}

/* <diagnostics>, in the dataset's order. */
static void write_diags(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    const csp_diag_list *l = &ds->diags;
    start(wr, "diagnostics");
    attr_num(wr, "count", l->count);
    attr_num(wr, "errors", csp_diag_list_count(l, CSP_SEV_ERROR));
    attr_num(wr, "warnings", csp_diag_list_count(l, CSP_SEV_WARNING));
    attr_num(wr, "infos", csp_diag_list_count(l, CSP_SEV_INFO));
    size_t *diag_file = NULL;
    csp_error ferr = csp_out_diag_files(ds, &diag_file);
    if (ferr != CSP_OK && wr->err == CSP_OK)
        wr->err = ferr;
    for (size_t i = 0; i < l->count && wr->err == CSP_OK; i++) {
        const csp_diag *d = &l->items[i];
        start(wr, "diagnostic");
        attr(wr, "code", csp_diag_code_str(d->code));
        attr(wr, "severity", csp_severity_str(csp_diag_severity(d->code)));
        attr(wr, "kind", csp_diag_kind(d->code));
        if (d->file && *d->file) {
            size_t f = diag_file[i];
            attr(wr, "file", csp_path_base(d->file));
            if (f != CSP_NO_INDEX && ds->files[f].sha256 &&
                *ds->files[f].sha256)
                attr(wr, "sha256", ds->files[f].sha256);
        }
        if (d->line)
            attr_num(wr, "line", d->line);
        attr(wr, "agency", d->agency);
        attr(wr, "indicator", d->indicator);
        attr(wr, "area", d->area);
        if (d->has_period) {
            attr_date(wr, "start", d->period.start);
            attr_date(wr, "end", d->period.end);
        }
        attr(wr, "ref", d->ref);
        attr(wr, "values", d->values);
        text(wr, d->message ? d->message : "");
        end(wr);
    }
    free(diag_file);
    end(wr);
}

/* Write the whole dataset. */
csp_error csp_dataset_write_xml(const csp_dataset *ds, FILE *out)
{
    writer wr = {.ds = ds, .out = out, .err = CSP_OK};
    xmlOutputBufferPtr buf = NULL;
    /* libxml2's writer leaves out a text it cannot escape for want of
     * memory, and says nothing: count its failed allocations. */
    unsigned long failures = csp_xml_alloc_failures();
    csp_strbuf_init(&wr.text, CSP_OUT_TEXT_MAX);
    if (!ds || !out || !ds->reconciled || !ds->tpl)
        return CSP_ERR_USAGE;
    /* No encoder: libxml2 writes UTF-8 as given.  The buffer does not
     * close @p out. */
    if (!(buf = xmlOutputBufferCreateFile(out, NULL)))
        return CSP_ERR_NOMEM;
    if (!(wr.w = xmlNewTextWriter(buf))) {
        xmlOutputBufferClose(buf);
        return CSP_ERR_NOMEM;
    }
    ok(&wr, xmlTextWriterSetIndent(wr.w, 1));
    ok(&wr, xmlTextWriterSetIndentString(wr.w, BAD_CAST "  "));
    ok(&wr, xmlTextWriterStartDocument(wr.w, "1.0", "UTF-8", NULL));
    start(&wr, "dataset");
    if (wr.err == CSP_OK)
        ok(&wr, xmlTextWriterWriteAttribute(wr.w, BAD_CAST "xmlns",
                                            BAD_CAST DATASET_NS));
    attr(&wr, "version", CSP_DATASET_FORMAT_VERSION);
    attr(&wr, "strategy", ds->tpl->id);
    const csp_dataset_file *latest = latest_file(ds);
    if (latest)
        attr_instant(&wr, "latest-submitted", latest->submitted);
    element(&wr, "title", ds->tpl->title ? ds->tpl->title : "");
    element(&wr, "partnership", ds->tpl->partnership);
    write_files(&wr);
    write_figures(&wr);
    write_actions(&wr);
    write_diags(&wr);
    end(&wr);
    if (wr.err == CSP_OK)
        ok(&wr, xmlTextWriterEndDocument(wr.w));
    if (wr.err == CSP_OK)
        ok(&wr, xmlTextWriterFlush(wr.w));
    /* Frees the writer and its output buffer (flushing it). */
    xmlFreeTextWriter(wr.w);
    csp_strbuf_free(&wr.text);
    if (wr.err == CSP_OK && csp_xml_alloc_failures() != failures)
        wr.err = CSP_ERR_NOMEM;
    if (wr.err == CSP_OK && (fflush(out) != 0 || ferror(out)))
        wr.err = CSP_ERR_IO;
    return wr.err;
}
