/* csppack: the reconciled dataset as XML (dataset.h, dataset-format.md). */
#include "csppack/write/dataset_xml.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/common.h"
#include "csppack/base/strbuf.h"

/* The dataset namespace (also in xmlsafe.c's schema table). */
#define DATASET_NS "urn:csppack:dataset:1"

/* How deep elements nest: dataset, figures, figure, rule, input. */
#define MAX_DEPTH 8

/* What a source names of a file, looked at once rather than at every
 * claim, update and diagnostic that names the file. */
typedef struct file_attrs {
    const char *name;     /* base name, or NULL */
    const char *sha256;   /* NULL when there is none */
    size_t name_len, sha256_len;
    bool plain;           /* both are written as they stand */
} file_attrs;

/*
 * Everything one write needs.  The markup is formatted here, into a
 * csp_outbuf, the way libxml2's xmlTextWriter wrote it with an indent of
 * two spaces (the dataset's bytes have not changed): a start tag on a line
 * of its own, indented by its depth; ">" and a newline when the first
 * child starts; "/>" for an element with neither children nor text; text
 * right after ">" and the end tag right after the text.  At 200 MiB of
 * submissions xmlTextWriter's stack, list and buffer calls for every
 * attribute took half the time of writing the dataset.
 */
typedef struct writer {
    const csp_dataset *ds;
    csp_outbuf ob;
    const char *open[MAX_DEPTH]; /* the elements open, outermost first */
    size_t depth;
    bool in_tag;          /* the innermost start tag is not closed yet */
    bool after_text;      /* text was the last thing written */
    file_attrs *files;    /* by file index */
    csp_out_dates dates;
    csp_strbuf progress;  /* scratch for a progress statement */
    csp_error err;        /* first failure other than writing */
} writer;

/* The first failure: the writer's own, else the output's. */
static csp_error failed(const writer *wr)
{
    return wr->err != CSP_OK ? wr->err : wr->ob.err;
}

/* Record a failure once. */
static void fail(writer *wr, csp_error e)
{
    if (e != CSP_OK && wr->err == CSP_OK)
        wr->err = e;
}

/* Close the innermost start tag, if open: ">". */
static void close_tag(writer *wr)
{
    if (wr->in_tag) {
        csp_outbuf_putc(&wr->ob, '>');
        wr->in_tag = false;
    }
}

/* Two spaces per level. */
static void indent(writer *wr, size_t level)
{
    static const char spaces[2 * MAX_DEPTH] = "                ";
    csp_outbuf_add(&wr->ob, spaces, 2 * level);
}

/* <name ...: start an element. */
static void start(writer *wr, const char *name)
{
    if (wr->depth == MAX_DEPTH) {
        fail(wr, CSP_ERR_INTERNAL);
        return;
    }
    if (wr->in_tag) {
        csp_outbuf_add(&wr->ob, ">\n", 2);
        wr->in_tag = false;
    }
    indent(wr, wr->depth);
    csp_outbuf_putc(&wr->ob, '<');
    csp_outbuf_puts(&wr->ob, name);
    wr->open[wr->depth++] = name;
    wr->in_tag = true;
}

/* ...>: end the element: "/>" when empty, else its end tag, indented
 * unless it follows text. */
static void end(writer *wr)
{
    if (!wr->depth)
        return;
    const char *name = wr->open[--wr->depth];
    if (wr->in_tag) {
        csp_outbuf_add(&wr->ob, "/>\n", 3);
        wr->in_tag = false;
    } else {
        if (!wr->after_text)
            indent(wr, wr->depth);
        csp_outbuf_add(&wr->ob, "</", 2);
        csp_outbuf_puts(&wr->ob, name);
        csp_outbuf_add(&wr->ob, ">\n", 2);
    }
    /* The parent holds an element now: its end tag is indented. */
    wr->after_text = false;
}

/* name=": the start of an attribute.  These four are inline: every name
 * is a literal, whose length the compiler then knows. */
static inline void attr_name(writer *wr, const char *name)
{
    csp_outbuf_putc(&wr->ob, ' ');
    csp_outbuf_puts(&wr->ob, name);
    csp_outbuf_add(&wr->ob, "=\"", 2);
}

/* An attribute; skipped when @p value is NULL. */
static inline void attr(writer *wr, const char *name, const char *value)
{
    if (!value)
        return;
    attr_name(wr, name);
    csp_out_xml_attr(&wr->ob, value);
    csp_outbuf_putc(&wr->ob, '"');
}

/* An attribute whose value needs no escaping (numbers, dates). */
static inline void attr_plain(writer *wr, const char *name,
                              const char *value, size_t len)
{
    attr_name(wr, name);
    csp_outbuf_add(&wr->ob, value, len);
    csp_outbuf_putc(&wr->ob, '"');
}

/* A numeric attribute. */
static inline void attr_num(writer *wr, const char *name, unsigned long long v)
{
    attr_name(wr, name);
    csp_outbuf_uint(&wr->ob, v);
    csp_outbuf_putc(&wr->ob, '"');
}

/* A date attribute. */
static void attr_date(writer *wr, const char *name, csp_date d)
{
    char buf[CSP_DATE_BUFSZ];
    csp_out_date(&wr->dates, d, buf);
    attr_plain(wr, name, buf, CSP_DATE_BUFSZ - 1);
}

/* An instant attribute, as written. */
static void attr_instant(writer *wr, const char *name, csp_instant t)
{
    char buf[CSP_INSTANT_BUFSZ];
    csp_instant_format(t, buf);
    attr_plain(wr, name, buf, strlen(buf));
}

/* value="..." decimals="..." */
static void attr_value(writer *wr, csp_decimal v)
{
    char buf[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(v, buf);
    attr_plain(wr, "value", buf, strlen(buf));
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

/* Look at the file name and SHA-256 of every file once (wr->files). */
static csp_error index_files(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    if (!(wr->files =
              csp_calloc(ds->nfiles ? ds->nfiles : 1, sizeof *wr->files)))
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nfiles; i++) {
        file_attrs *fa = &wr->files[i];
        const char *sha = ds->files[i].sha256;
        fa->name = csp_out_file_name(ds, i);
        fa->sha256 = sha && *sha ? sha : NULL;
        fa->name_len = fa->name ? strlen(fa->name) : 0;
        fa->sha256_len = fa->sha256 ? strlen(fa->sha256) : 0;
        fa->plain = fa->name &&
                    csp_out_xml_attr_plain(fa->name, fa->name_len) &&
                    csp_out_xml_attr_plain(fa->sha256 ? fa->sha256 : "",
                                           fa->sha256_len);
    }
    return CSP_OK;
}

/* file, sha256 and line of a source in the dataset's files. */
static void attr_source(writer *wr, size_t file, unsigned long line)
{
    if (file != CSP_NO_INDEX && file < wr->ds->nfiles) {
        const file_attrs *fa = &wr->files[file];
        if (fa->plain) {
            attr_plain(wr, "file", fa->name, fa->name_len);
            if (fa->sha256)
                attr_plain(wr, "sha256", fa->sha256, fa->sha256_len);
        } else {
            attr(wr, "file", fa->name);
            attr(wr, "sha256", fa->sha256);
        }
    }
    if (line)
        attr_num(wr, "line", line);
}

/* Text content of @p n bytes (s[n] is NUL); nothing at all for an empty
 * text (the element stays empty: "/>"). */
static void text_len(writer *wr, const char *s, size_t n)
{
    if (!n || !*s)
        return;
    close_tag(wr);
    csp_out_xml_text(&wr->ob, s, n);
    wr->after_text = true;
}

/* Text content; skipped when @p s is NULL. */
static void text(writer *wr, const char *s)
{
    if (s)
        text_len(wr, s, strlen(s));
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

/* <mail>: the message a submission came in (doc/dataset-format.md). */
static void write_mail(writer *wr, const csp_mail_origin *m)
{
    start(wr, "mail");
    attr(wr, "container", csp_dataset_name(wr->ds, m->container));
    if (m->message)
        attr_num(wr, "message", m->message);
    attr(wr, "from", m->from);
    attr(wr, "from-address", m->from_address);
    attr(wr, "forwarded-from", m->forwarded_from);
    attr(wr, "reply-to", m->reply_to);
    attr(wr, "date", m->date);
    if (m->has_sent)
        attr_instant(wr, "sent", m->sent);
    attr(wr, "message-id", m->message_id);
    attr(wr, "subject", m->subject);
    attr(wr, "attachment", m->attachment);
    end(wr);
}

/* <files> */
static void write_files(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    size_t *order = NULL;
    csp_error e = csp_out_file_order(ds, NULL, &order);
    if (e != CSP_OK) {
        fail(wr, e);
        return;
    }
    start(wr, "files");
    attr_num(wr, "count", ds->nfiles);
    for (size_t k = 0; k < ds->nfiles && failed(wr) == CSP_OK; k++) {
        const csp_dataset_file *f = &ds->files[order[k]];
        const csp_submission *s = f->sub;
        start(wr, "file");
        attr(wr, "path", f->path ? csp_dataset_name(ds, f->path) : "(unnamed)");
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
        /* Refused or not: where it came from is known either way. */
        if (s && s->mail)
            write_mail(wr, s->mail);
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
    case CSP_RULE_AREAS: return "areas";
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
        fail(wr, e);
        csp_strbuf_free(&r);
        return;
    }
    start(wr, "rule");
    attr(wr, "kind", kind);
    attr(wr, "exact", csp_strbuf_str(&r));
    if (rule->kind == CSP_RULE_RATE && rule->population > 0)
        attr_num(wr,
                 ds->tpl->indicators[f->indicator_index].base ==
                         CSP_BASE_HOUSEHOLDS
                     ? "households"
                     : "population",
                 (unsigned long long)rule->population);
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
    size_t old = 0;  /* the next superseded claim (ds->superseded) */
    start(wr, "figures");
    attr_num(wr, "count", ds->nfigures);
    for (size_t i = 0; i < ds->nfigures && failed(wr) == CSP_OK; i++) {
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
            attr(wr, "origin", csp_figure_origin_str(
                                   csp_dataset_figure_origin(ds, f, NULL)));
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
        /* Then the claims later submissions replaced, kept for the record. */
        for (; old < ds->nsuperseded && ds->superseded[old].figure <= i; old++)
            if (ds->superseded[old].figure == i)
                write_claim(wr, &ds->superseded[old].claim);
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
    for (size_t i = 0; i < ds->nactions && failed(wr) == CSP_OK; i++) {
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
            csp_error e = csp_out_progress(ds, u, &wr->progress);
            fail(wr, e);
            if (e == CSP_OK)
                text_len(wr, csp_strbuf_str(&wr->progress), wr->progress.len);
            end(wr);
        }
        end(wr);
    }
    end(wr);
}

/* A period attribute: START/END. */
static void attr_period(writer *wr, const char *name, csp_period p)
{
    char buf[CSP_PERIOD_BUFSZ];
    csp_period_format(p, buf);
    attr_plain(wr, name, buf, strlen(buf));
}

/* <revision>: what stood in the previous pack, and what stands now. */
static void write_revision(writer *wr, const csp_revision *r)
{
    const csp_prev_figure *o = r->old;
    const csp_figure *f = r->figure;
    char buf[CSP_DECIMAL_BUFSZ];
    start(wr, "revision");
    attr_key(wr, r->indicator, r->area, r->period);
    attr(wr, "old-status",
         o->disputed ? "disputed" : csp_obs_status_str(o->status));
    if (!o->disputed && o->has_value) {
        csp_decimal_format(o->value, buf);
        attr_plain(wr, "old-value", buf, strlen(buf));
        attr_num(wr, "old-decimals", o->value.scale);
    }
    if (!o->disputed)
        attr(wr, "old-agency", o->agency);
    attr(wr, "status", f ? csp_figure_status_str(f) : "none");
    if (f && f->state == CSP_FIGURE_STANDS) {
        if (f->has_value)
            attr_value(wr, f->value);
        attr(wr, "agency", f->agency);
        if (f->has_submitted)
            attr_instant(wr, "submitted", f->submitted);
        element(wr, "note", f->note);
    }
    end(wr);
}

/* <status-change>: an item's status in the previous pack, and now. */
static void write_status_change(writer *wr, const csp_status_change *c)
{
    const csp_dataset_action *it = c->item;
    start(wr, "status-change");
    attr(wr, "ref", it->ref);
    if (c->old->has_status) {
        attr(wr, "old-status", csp_action_status_str(c->old->status));
        attr_date(wr, "old-as-of", c->old->as_of);
    }
    if (it->current != CSP_NO_INDEX && it->current < it->nupdates) {
        const csp_dataset_update *u = &it->updates[it->current];
        attr(wr, "status", csp_action_status_str(u->status));
        attr_date(wr, "as-of", u->as_of);
    }
    end(wr);
}

/* <revisions>, when the run compared with a previous pack. */
static void write_revisions(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    if (!ds->previous)
        return;
    start(wr, "revisions");
    if (ds->previous->has_period)
        attr_period(wr, "previous-period", ds->previous->period);
    attr_num(wr, "figures", ds->nrevisions);
    attr_num(wr, "statuses", ds->nstatus_changes);
    for (size_t i = 0; i < ds->nrevisions && failed(wr) == CSP_OK; i++)
        write_revision(wr, &ds->revisions[i]);
    for (size_t i = 0; i < ds->nstatus_changes && failed(wr) == CSP_OK; i++)
        write_status_change(wr, &ds->status_changes[i]);
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
    fail(wr, ferr);
    for (size_t i = 0; i < l->count && failed(wr) == CSP_OK; i++) {
        const csp_diag *d = &l->items[i];
        start(wr, "diagnostic");
        attr(wr, "code", csp_diag_code_str(d->code));
        attr(wr, "severity", csp_severity_str(csp_diag_severity(d->code)));
        attr(wr, "kind", csp_diag_kind(d->code));
        if (d->file && *d->file) {
            size_t f = diag_file[i];
            attr(wr, "file", csp_dataset_name(ds, d->file));
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

/* The document, from the declaration on. */
static void write_document(writer *wr)
{
    const csp_dataset *ds = wr->ds;
    csp_outbuf_puts(&wr->ob, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    start(wr, "dataset");
    attr(wr, "xmlns", DATASET_NS);
    attr(wr, "version", CSP_DATASET_FORMAT_VERSION);
    attr(wr, "strategy", ds->tpl->id);
    const csp_dataset_file *latest = latest_file(ds);
    if (latest)
        attr_instant(wr, "latest-submitted", latest->submitted);
    if (ds->pack_period.basis != CSP_PERIOD_NONE)
        attr_period(wr, "pack-period", ds->pack_period.period);
    element(wr, "title", ds->tpl->title ? ds->tpl->title : "");
    element(wr, "partnership", ds->tpl->partnership);
    write_files(wr);
    write_figures(wr);
    write_actions(wr);
    write_revisions(wr);
    write_diags(wr);
    end(wr);
    csp_outbuf_flush(&wr->ob);
}

/* Write the whole dataset. */
csp_error csp_dataset_write_xml(const csp_dataset *ds, FILE *out)
{
    if (!ds || !out || !ds->reconciled || !ds->tpl)
        return CSP_ERR_USAGE;
    /* The block is 64 KiB: on the heap, not the caller's stack. */
    writer *wr = csp_calloc(1, sizeof *wr);
    if (!wr)
        return CSP_ERR_NOMEM;
    wr->ds = ds;
    csp_outbuf_init(&wr->ob, out);
    /* Progress statements have no cap of their own here: they were
     * checked against --max-text on reading. */
    csp_strbuf_init(&wr->progress, SIZE_MAX / 4);
    csp_error err = index_files(wr);
    if (err == CSP_OK) {
        write_document(wr);
        err = failed(wr);
    }
    csp_strbuf_free(&wr->progress);
    free(wr->files);
    free(wr);
    if (err == CSP_OK && (fflush(out) != 0 || ferror(out)))
        err = CSP_ERR_IO;
    return err;
}
