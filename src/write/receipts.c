/* csppack: receipts, one per agency (receipts.h, doc/receipts.md). */
#include "csppack/write/receipts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/common.h"
#include "csppack/base/strbuf.h"
#include "csppack/write/receipts/say.h"

/* Prose is wrapped at this many characters; quoted diagnostics are not. */
#define WRAP_COLUMN 72

/* strcmp treating NULL as "". */
static int nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* "s" when n is not 1. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* An id that is safe as a file name: [a-z0-9-], not empty, not dotted. */
static bool safe_id(const char *id)
{
    if (!id || !*id || strlen(id) + 5 > CSP_RECEIPT_NAME_MAX)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '-'))
            return false;
    return true;
}

/* The agency whose receipt lists file @p f, or NULL for "unknown". */
static const char *receipt_agency(const csp_dataset *ds,
                                  const csp_dataset_file *f)
{
    const char *id = f->agency;
    /* A file refused whole still belongs to the partner it names, when the
     * template declares it. */
    if (!id && f->sub && f->sub->agency &&
        csp_template_agency(ds->tpl, f->sub->agency))
        id = f->sub->agency;
    return safe_id(id) ? id : NULL;
}

/* The receipt of file @p i (receipts.h). */
const char *csp_receipt_agency_of(const csp_dataset *ds, size_t i)
{
    return receipt_agency(ds, &ds->files[i]);
}

/* Compare two borrowed strings for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Add @p id to @p out's agencies unless it is there already. */
static void list_add(csp_receipt_list *out, const char *id)
{
    for (size_t k = 0; k < out->count; k++)
        if (strcmp(out->agencies[k], id) == 0)
            return;
    out->agencies[out->count++] = id;
}

/* The receipts needed. */
csp_error csp_receipts_list(const csp_dataset *ds, const csp_returns *returns,
                            csp_receipt_list *out)
{
    memset(out, 0, sizeof *out);
    size_t nret = returns ? returns->nagencies : 0;
    if (!ds->nfiles && !nret)
        return CSP_OK;
    out->agencies = csp_malloc((ds->nfiles + nret) * sizeof *out->agencies);
    if (!out->agencies)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const char *id = receipt_agency(ds, &ds->files[i]);
        if (id)
            list_add(out, id);
        else
            out->unknown = true;
    }
    /* An agency that owes something and sent nothing is told so. */
    for (size_t i = 0; i < nret; i++) {
        const csp_agency_returns *a = &returns->agencies[i];
        if (a->sent_nothing && (a->nfigures || a->nactions) &&
            safe_id(a->agency->id))
            list_add(out, a->agency->id);
    }
    if (out->count > 1)
        qsort(out->agencies, out->count, sizeof *out->agencies, cmp_str);
    return CSP_OK;
}

/* Free the list. */
void csp_receipt_list_free(csp_receipt_list *list)
{
    if (!list)
        return;
    free(list->agencies);
    memset(list, 0, sizeof *list);
}

/* "kcc.txt", "unknown.txt". */
void csp_receipt_file_name(const csp_dataset *ds, const char *agency,
                           char buf[CSP_RECEIPT_NAME_MAX])
{
    if (agency) {
        snprintf(buf, CSP_RECEIPT_NAME_MAX, "%s.txt", agency);
        return;
    }
    /* Agency ids never start with '_', so this cannot collide. */
    bool taken = ds && ds->tpl && csp_template_agency(ds->tpl,
                                                      CSP_RECEIPT_UNKNOWN);
    snprintf(buf, CSP_RECEIPT_NAME_MAX, "%s%s.txt", taken ? "_" : "",
             CSP_RECEIPT_UNKNOWN);
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

/* What one receipt needs. */
typedef struct receipt {
    const csp_dataset *ds;
    const char *agency;       /* NULL: the unknown receipt */
    const csp_returns *returns; /* the chase list, or NULL */
    csp_outbuf *ob;           /* the output */
    size_t *files;            /* this receipt's files, canonical order */
    size_t nfiles;
    /* Indexes built once, so that a receipt costs files + diagnostics,
     * not files x diagnostics x files (issue 7: a 20 MiB inbox of 300
     * files took 55 s here, a 100 MiB one over 17 minutes). */
    size_t *diag_file;        /* the file of each of ds->diags */
    bool *mine;               /* by file index: one of this receipt's */
    size_t *by_file;          /* diagnostic indexes grouped by file, each
                                 group in the dataset's order */
    size_t *by_file_start;    /* file i's group is by_file[start[i]..
                                 start[i + 1]) */
    size_t *upd_first;        /* by action: its first update's number in
                                 a count over every action's updates */
    size_t *upd_by_file;      /* update numbers grouped by file, each
                                 group in action and history order */
    size_t *upd_start;        /* file i's: upd_by_file[upd_start[i]..
                                 upd_start[i + 1]) */
    bool *picked;             /* scratch of diag_section, by diagnostic */
    csp_strbuf para;          /* paragraph being built */
    csp_error err;
} receipt;

/* Record the first error. */
static void fail(receipt *r, csp_error e)
{
    if (e != CSP_OK && r->err == CSP_OK)
        r->err = e;
}

/* Write raw text. */
static void put(receipt *r, const char *s)
{
    if (r->err == CSP_OK)
        csp_outbuf_puts(r->ob, s);
}

/* @p fmt formatted into @p small (@p size bytes), or into a new string
 * when it does not fit (the caller frees a result that is not @p small);
 * NULL after recording a failure. */
static char *vformat(receipt *r, char *small, size_t size, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));
static char *vformat(receipt *r, char *small, size_t size, const char *fmt,
                     va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, size, fmt, ap);
    char *big = NULL;
    if (n < 0)
        fail(r, CSP_ERR_INTERNAL);
    else if ((size_t)n < size)
        big = small;
    else if (!(big = csp_malloc((size_t)n + 1)))
        fail(r, CSP_ERR_NOMEM);
    else
        vsnprintf(big, (size_t)n + 1, fmt, again);
    va_end(again);
    return big;
}

/* Write formatted text. */
__attribute__((format(printf, 2, 3))) static void putf(receipt *r,
                                                       const char *fmt, ...)
{
    char small[1024];
    if (r->err != CSP_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(r, small, sizeof small, fmt, ap);
    va_end(ap);
    if (s)
        csp_outbuf_puts(r->ob, s);
    if (s != small)
        free(s);
}

/* Write the paragraph built in r->para, wrapped at WRAP_COLUMN, its first
 * line starting with @p first and the others with @p indent (a list item
 * hangs), then an empty line when @p blank. */
static void flush_hanging(receipt *r, const char *first, const char *indent,
                          bool blank)
{
    const char *p = csp_strbuf_str(&r->para), *lead = first;
    for (; *p && r->err == CSP_OK; lead = indent) {
        size_t ind = csp_utf8_count(lead, strlen(lead));
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        /* Take words while they fit. */
        const char *end = p, *q = p;
        size_t col = ind;
        while (*q) {
            const char *w = q;
            while (*w && *w != ' ')
                w++;
            size_t ww = csp_utf8_count(q, (size_t)(w - q));
            size_t need = (end == p ? 0 : 1) + ww;
            if (end != p && col + need > WRAP_COLUMN)
                break;
            col += need;
            end = w;
            q = w;
            while (*q == ' ')
                q++;
        }
        put(r, lead);
        if (r->err == CSP_OK)
            csp_outbuf_add(r->ob, p, (size_t)(end - p));
        put(r, "\n");
        p = end;
    }
    if (blank)
        put(r, "\n");
    csp_strbuf_reset(&r->para);
}

/* Write the paragraph built in r->para, wrapped at WRAP_COLUMN, each line
 * starting with @p indent, then an empty line when @p blank. */
static void flush_para(receipt *r, const char *indent, bool blank)
{
    flush_hanging(r, indent, indent, blank);
}

/* Append formatted text to the paragraph being built. */
__attribute__((format(printf, 2, 3))) static void para(receipt *r,
                                                       const char *fmt, ...)
{
    char small[1024];
    if (r->err != CSP_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(r, small, sizeof small, fmt, ap);
    va_end(ap);
    if (s)
        fail(r, csp_strbuf_puts(&r->para, s));
    if (s != small)
        free(s);
}

/* The display name of an agency. */
static const char *agency_name(const csp_dataset *ds, const char *id)
{
    const csp_agency *a = id ? csp_template_agency(ds->tpl, id) : NULL;
    return a && a->name ? a->name : id ? id : "(unknown agency)";
}

/* The file of diagnostic @p d (one of ds->diags), or CSP_NO_INDEX. */
static size_t file_of(const receipt *r, const csp_diag *d)
{
    return r->diag_file[d - r->ds->diags.items];
}

/* Is diagnostic @p d about one of this receipt's files? */
static bool names_my_file(const receipt *r, const csp_diag *d)
{
    size_t f = file_of(r, d);
    return f != CSP_NO_INDEX && r->mine[f];
}

/* Build the indexes of struct receipt over r->files: the diagnostics and
 * the updates grouped by file. */
static csp_error index_receipt(receipt *r)
{
    const csp_dataset *ds = r->ds;
    size_t nd = ds->diags.count, nf = ds->nfiles, nu = 0;
    size_t *upd_file = NULL;
    csp_error err = csp_out_diag_files(ds, &r->diag_file);
    if (err)
        return err;
    r->mine = csp_calloc(nf ? nf : 1, sizeof *r->mine);
    r->upd_first = csp_calloc(ds->nactions + 1, sizeof *r->upd_first);
    r->picked = csp_malloc(nd ? nd : 1);
    if (!r->mine || !r->upd_first || !r->picked)
        return CSP_ERR_NOMEM;
    for (size_t k = 0; k < r->nfiles; k++)
        r->mine[r->files[k]] = true;
    for (size_t a = 0; a < ds->nactions; a++) {
        r->upd_first[a] = nu;
        nu += ds->actions[a].nupdates;
    }
    if (!(upd_file = csp_malloc((nu ? nu : 1) * sizeof *upd_file)))
        return CSP_ERR_NOMEM;
    for (size_t a = 0, g = 0; a < ds->nactions; a++)
        for (size_t k = 0; k < ds->actions[a].nupdates; k++, g++) {
            size_t f = ds->actions[a].updates[k].file;
            upd_file[g] = f < nf && r->mine[f] ? f : CSP_NO_INDEX;
        }
    err = csp_out_group_by_file(r->diag_file, nd, nf, &r->by_file,
                                &r->by_file_start);
    if (!err)
        err = csp_out_group_by_file(upd_file, nu, nf, &r->upd_by_file,
                                    &r->upd_start);
    free(upd_file);
    return err;
}

/* Does the agency have a claim on the key of @p d, or an update of its
 * action, or is it the agency @p d names? */
static bool involves_agency(const receipt *r, const csp_diag *d)
{
    const csp_dataset *ds = r->ds;
    if (!r->agency)
        return false;
    if (d->agency && strcmp(d->agency, r->agency) == 0)
        return true;
    if (d->indicator && d->area && d->has_period) {
        const csp_figure *fig =
            csp_dataset_figure(ds, d->indicator, d->area, d->period);
        const csp_claim *cl = csp_dataset_claims(ds, fig);
        for (size_t c = 0; fig && c < fig->nclaims; c++)
            if (nstrcmp(cl[c].agency, r->agency) == 0)
                return true;
    }
    if (d->ref) {
        const csp_dataset_action *a = csp_dataset_action_item(ds, d->ref);
        for (size_t u = 0; a && u < a->nupdates; u++)
            if (nstrcmp(a->updates[u].agency, r->agency) == 0)
                return true;
    }
    return false;
}

/* Superseded, withdrawn or refused: the reading refusals (E1xx, E2xx), and
 * I402, I403, E404. */
static bool is_loss(csp_diag_code code)
{
    return csp_diag_refuses_file(code) || csp_diag_refuses_item(code) ||
           code == CSP_D_SUPERSEDED || code == CSP_D_WITHDRAWN ||
           code == CSP_D_CONFLICT;
}

/* One diagnostic in the partner's words (receipts/say.h), a hanging
 * paragraph under its section's title. */
static void put_diag(receipt *r, const csp_diag *d)
{
    if (r->err != CSP_OK)
        return;
    fail(r, csp_say_diag(r->ds, r->agency, d, &r->para));
    /* A sentence starts with a capital ("you sent" leads some). */
    char *c = r->para.data;
    if (c && *c >= 'a' && *c <= 'z')
        *c = (char)(*c - 'a' + 'A');
    flush_hanging(r, "    - ", "      ", false);
}

/* The k-th diagnostic diag_section looks at: of file @p file when it is
 * not CSP_NO_INDEX, else of the whole dataset. */
static const csp_diag *section_diag(const receipt *r, size_t file, size_t k)
{
    return &r->ds->diags.items[file != CSP_NO_INDEX ? r->by_file[k] : k];
}

/* A list of the diagnostics that @p pick selects, in the dataset's order,
 * under @p title; "none" when there is none and @p say_none.  Only the
 * diagnostics of file @p file are looked at, unless it is CSP_NO_INDEX.
 * Returns how many were listed. */
static size_t diag_section(receipt *r, const char *indent, const char *title,
                         bool (*pick)(const receipt *, const csp_diag *,
                                      const void *),
                         const void *arg, size_t file, bool say_none)
{
    size_t first = 0, end = r->ds->diags.count, n = 0;
    if (file != CSP_NO_INDEX) {
        first = r->by_file_start[file];
        end = r->by_file_start[file + 1];
    }
    /* Each pick is made once (looking for the figure of a diagnostic is
     * what a receipt spends most of its time on). */
    for (size_t k = first; k < end; k++)
        n += r->picked[k - first] = pick(r, section_diag(r, file, k), arg);
    if (!n) {
        if (say_none)
            putf(r, "%s%s: none\n", indent, title);
        return 0;
    }
    putf(r, "%s%s (%zu):\n", indent, title, n);
    for (size_t k = first; k < end; k++)
        if (r->picked[k - first])
            put_diag(r, section_diag(r, file, k));
    return n;
}

/* Pickers for diag_section; @p arg is the file index (size_t *). */
static bool pick_file_loss(const receipt *r, const csp_diag *d,
                           const void *arg)
{
    size_t f = *(const size_t *)arg;
    return file_of(r, d) == f && is_loss(d->code);
}

static bool pick_file_other(const receipt *r, const csp_diag *d,
                            const void *arg)
{
    size_t f = *(const size_t *)arg;
    return file_of(r, d) == f && !is_loss(d->code);
}

static bool pick_involving(const receipt *r, const csp_diag *d,
                           const void *arg)
{
    (void)arg;
    return !names_my_file(r, d) && involves_agency(r, d);
}

/* Continuation lines of a "  Label:     value" line. */
#define HANG "             "

/* Where a file that came by mail came from: "by email from Ann Lee
 * <ann@x> on 21 October 2016, subject "Q2", attachment a.xml". */
static void received(receipt *r, const csp_mail_origin *m)
{
    char *from = csp_text_shown(m->from ? m->from : "", 200);
    char *subject = csp_text_shown(m->subject ? m->subject : "", 200);
    char *att = csp_text_shown(m->attachment ? m->attachment : "", 200);
    if (!from || !subject || !att) {
        fail(r, CSP_ERR_NOMEM);
        goto out;
    }
    para(r, "by email");
    if (*from)
        para(r, " from %s", from);
    if (m->has_sent) {
        char d[CSP_SAY_INSTANT_BUFSZ];
        csp_say_instant(m->sent, d);
        /* The day is enough: the message's own time is in its Date. */
        char *at = strstr(d, " at ");
        if (at)
            *at = '\0';
        para(r, " on %s", d);
    }
    if (*subject)
        para(r, ", subject \"%s\"", subject);
    if (*att)
        para(r, ", attachment %s", att);
    flush_hanging(r, "  Received:  ", HANG, false);
out:
    free(from);
    free(subject);
    free(att);
}

/* What became of a file's accepted figures, in words. */
static void roles_text(receipt *r, const csp_dataset_file *f)
{
    /* A verb takes "s" in the singular ("1 stands", "2 stand"); a
     * participle takes nothing ("1 withdrawn"). */
    static const struct {
        const char *word, *rest;
        bool verb;
    } words[CSP_CLAIM_ROLE_COUNT_] = {
        [CSP_CLAIM_STANDS] = {"stand", "", true},
        [CSP_CLAIM_AGREES] = {"agree", " with the figure that stands", true},
        [CSP_CLAIM_SUPERSEDED] = {"superseded", " by a later submission",
                                  false},
        [CSP_CLAIM_WITHDRAWN] = {"withdrawn", "", false},
        [CSP_CLAIM_CONFLICT] = {"refused", " as conflicting", false},
        [CSP_CLAIM_DIFFERS] = {"differ", " from the owner's figure", true},
        [CSP_CLAIM_DISPUTED] = {"disputed", "", false},
        [CSP_CLAIM_CHECK_FAILED] =
            {"differ", " from the partnership's calculation, which is used",
             true},
    };
    bool any = false;
    for (int k = 0; k < CSP_CLAIM_ROLE_COUNT_; k++) {
        size_t n = f->roles[k];
        if (!n)
            continue;
        para(r, "%s%zu %s%s%s", any ? ", " : "", n, words[k].word,
             words[k].verb && n == 1 ? "s" : "", words[k].rest);
        any = true;
    }
    if (!any)
        para(r, "none");
    flush_hanging(r, "  Figures:   ", HANG, false);
}

/* The action-plan updates a file brought (one of this receipt's). */
static void updates_text(receipt *r, size_t fi)
{
    const csp_dataset *ds = r->ds;
    size_t first = r->upd_start[fi], end = r->upd_start[fi + 1];
    if (first == end)
        return;
    put(r, "  Action-plan updates:\n");
    for (size_t i = first, a = 0; i < end; i++) {
        size_t g = r->upd_by_file[i];
        while (a + 1 < ds->nactions && r->upd_first[a + 1] <= g)
            a++;
        const csp_dataset_action *act = &ds->actions[a];
        const csp_dataset_update *u = &act->updates[g - r->upd_first[a]];
        char d[CSP_DATE_WORDS_BUFSZ];
        csp_date_words(u->as_of, false, d);
        /* "REF STATUS as of DATE", and which update stands when this
         * one does not. */
        para(r, "%s %s as of %s", u->ref, csp_say_action_status(u->status),
             d);
        if (!u->current && act->current < act->nupdates) {
            /* " (your update as of DATE stands)", or AGENCY's: the
             * agency's own current update, else the one that decides. */
            const csp_dataset_update *c = &act->updates[act->current];
            for (size_t k = 1; k < act->ncurrent; k++) {
                const csp_dataset_update *o =
                    csp_dataset_action_current(act, k);
                if (o && nstrcmp(o->agency, r->agency) == 0)
                    c = o;
            }
            char cd[CSP_DATE_WORDS_BUFSZ];
            csp_date_words(c->as_of, false, cd);
            if (nstrcmp(c->agency, r->agency) == 0)
                para(r, " (your");
            else
                para(r, " (%s's", agency_name(ds, c->agency));
            para(r, " update as of %s stands)", cd);
        }
        flush_hanging(r, "    ", "      ", false);
    }
}

/* One file's section. */
static void file_section(receipt *r, size_t k)
{
    const csp_dataset *ds = r->ds;
    size_t fi = r->files[k];
    const csp_dataset_file *f = &ds->files[fi];
    para(r, "File %zu of %zu: %s", k + 1, r->nfiles,
         f->path ? csp_say_file(ds, f->path) : "(unnamed)");
    flush_hanging(r, "", "  ", false);
    if (f->sub && f->sub->mail)
        received(r, f->sub->mail);
    if (f->has_submitted) {
        char buf[CSP_SAY_INSTANT_BUFSZ];
        csp_say_instant(f->submitted, buf);
        putf(r, "  Submitted: %s\n", buf);
    }
    putf(r, "  Size:      %zu byte%s\n", f->size, plural(f->size));
    if (f->duplicate_of != CSP_NO_INDEX) {
        const char *other = csp_out_file_name(ds, f->duplicate_of);
        para(r, "the same bytes as %s, which is counted instead; nothing "
                "more in this file was used",
             other ? csp_say_file(ds, other) : "another file");
        flush_hanging(r, "  Duplicate: ", HANG, false);
    } else if (f->refused) {
        put(r, "  Refused:   the whole file; nothing in it was used\n");
    } else {
        putf(r, "  Accepted:  %zu figure%s, %zu action-plan update%s\n",
             f->obs_accepted, plural(f->obs_accepted), f->updates_accepted,
             plural(f->updates_accepted));
        if (f->items_refused)
            putf(r, "  Refused:   %zu item%s (below)\n", f->items_refused,
                 plural(f->items_refused));
        else
            put(r, "  Refused:   nothing\n");
        if (f->obs_accepted)
            roles_text(r, f);
        updates_text(r, fi);
    }
    diag_section(r, "  ", "Superseded, withdrawn or refused", pick_file_loss,
                 &fi, fi, f->duplicate_of == CSP_NO_INDEX);
    diag_section(r, "  ", "Other discrepancies in this file", pick_file_other,
                 &fi, fi, false);
    put(r, "\n");
}

/* The period this receipt's figures cover and the latest as-of. */
static void coverage(const receipt *r, bool *has_period, csp_period *span,
                     bool *has_as_of, csp_date *as_of, size_t *nupdates)
{
    const csp_dataset *ds = r->ds;
    *has_period = *has_as_of = false;
    *nupdates = 0;
    for (size_t k = 0; k < r->nfiles; k++) {
        const csp_dataset_file *f = &ds->files[r->files[k]];
        if (f->refused || f->duplicate_of != CSP_NO_INDEX)
            continue;
        if (f->has_span) {
            if (!*has_period)
                *span = f->span;
            *has_period = true;
            if (f->span.start < span->start)
                span->start = f->span.start;
            if (f->span.end > span->end)
                span->end = f->span.end;
        }
        if (f->has_as_of) {
            if (!*has_as_of || f->latest_as_of > *as_of)
                *as_of = f->latest_as_of;
            *has_as_of = true;
        }
        *nupdates += f->updates_accepted;
    }
}

/* An action's text shortened to about SHORT_TEXT characters at a word,
 * with "…" when cut, its white space made single spaces, into r->para. */
#define SHORT_TEXT 60
static void para_short(receipt *r, const char *text)
{
    size_t col = 0;
    const char *p = text ? text : "";
    while (r->err == CSP_OK) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            return;
        const char *w = p;
        while (*w && *w != ' ' && *w != '\t' && *w != '\n' && *w != '\r')
            w++;
        size_t len = (size_t)(w - p), ww = csp_utf8_count(p, len);
        if (col && col + 1 + ww > SHORT_TEXT) {
            fail(r, csp_strbuf_puts(&r->para, "\xE2\x80\xA6"));
            return;
        }
        if (!col && ww > SHORT_TEXT) {
            /* One long word: cut it at a character. */
            len = csp_utf8_floor(p, SHORT_TEXT);
            fail(r, csp_strbuf_add(&r->para, p, len));
            fail(r, csp_strbuf_puts(&r->para, "\xE2\x80\xA6"));
            return;
        }
        if (col)
            fail(r, csp_strbuf_putc(&r->para, ' '));
        fail(r, csp_strbuf_add(&r->para, p, len));
        col += (col ? 1 : 0) + ww;
        p = w;
    }
}

/* An area's name ("all areas" for the partnership as a whole). */
static const char *area_name(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "all areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a && a->name ? a->name : id;
}

/* The end of the receipt of an agency: what is still needed from it for
 * the chase list's period, each figure and action update on its own
 * hanging line, or that nothing more is. */
static void still_needed(receipt *r)
{
    const csp_template *tpl = r->ds->tpl;
    const csp_agency_returns *a = csp_returns_agency(r->returns, r->agency);
    char when[CSP_PERIOD_WORDS_BUFSZ], owed[CSP_PERIOD_WORDS_BUFSZ];
    csp_period_words(r->returns->period, when);
    if (!a || (!a->nfigures && !a->nactions)) {
        putf(r, "Nothing more is needed for %s.\n\n", when);
        return;
    }
    putf(r, "Still needed from you for %s (%zu):\n", when,
         a->nfigures + a->nactions);
    for (size_t i = 0; i < a->nfigures; i++) {
        const csp_owed_figure *f = &a->figures[i];
        csp_period_words(f->period, owed);
        para(r, "%s, %s, %s%s",
             f->indicator->name ? f->indicator->name : f->indicator->id,
             area_name(tpl, f->area), owed,
             f->sent_missing ? ": you sent it as not yet available" : "");
        flush_hanging(r, "  ", "    ", false);
    }
    for (size_t i = 0; i < a->nactions; i++) {
        const csp_action *act = a->actions[i].action;
        para(r, "An update on action %s: ", act->ref);
        para_short(r, act->text);
        flush_hanging(r, "  ", "    ", false);
    }
    put(r, "\n");
}

/* The opening paragraphs. */
static void greeting(receipt *r)
{
    const csp_template *tpl = r->ds->tpl;
    const char *partnership =
        tpl->partnership ? tpl->partnership : "the partnership";
    if (!r->agency) {
        put(r, "To the coordinator: files whose sender is not known\n\n");
        bool one = r->nfiles == 1;
        para(r, "%s refused before the sending agency could be read from "
                "%s, so %s cannot be matched to a partner. Find out who "
                "sent %s and ask for a corrected file.",
             one ? "This file was" : "These files were", one ? "it" : "them",
             one ? "it" : "they", one ? "it" : "them");
        flush_para(r, "", true);
        return;
    }
    para(r, "Dear colleagues at %s,", agency_name(r->ds, r->agency));
    flush_para(r, "", true);
    if (!r->nfiles) {
        /* Only an agency that owes something and sent nothing has a
         * receipt without files (csp_receipts_list). */
        para(r, "We have received no submission from you to the %s",
             partnership);
        if (tpl->title)
            para(r, " for the %s", tpl->title);
        if (r->returns) {
            char when[CSP_PERIOD_WORDS_BUFSZ];
            csp_period_words(r->returns->period, when);
            para(r, " for %s. This receipt lists what is still needed from "
                    "you.", when);
        } else {
            para(r, ".");
        }
        flush_para(r, "", true);
        return;
    }
    bool has_period, has_as_of;
    csp_period span = {0, 0};
    csp_date as_of = 0;
    size_t nupdates;
    coverage(r, &has_period, &span, &has_as_of, &as_of, &nupdates);
    para(r, "Thank you for your submission%s to the %s", plural(r->nfiles),
         partnership);
    if (tpl->title)
        para(r, " for the %s", tpl->title);
    para(r, ". This receipt covers %zu file%s", r->nfiles, plural(r->nfiles));
    if (has_period) {
        char a[CSP_DATE_WORDS_BUFSZ], b[CSP_DATE_WORDS_BUFSZ];
        csp_date_words(span.start, false, a);
        csp_date_words(span.end, false, b);
        para(r, ", with figures for %s to %s", a, b);
    }
    if (has_as_of) {
        char d[CSP_DATE_WORDS_BUFSZ];
        csp_date_words(as_of, false, d);
        para(r, "%s progress on the action plan as of %s",
             has_period ? " and" : ", with", d);
    }
    para(r, ". It lists what we accepted and anything that needs your "
            "attention.");
    flush_para(r, "", true);
}

/* The closing paragraphs. */
static void closing(receipt *r)
{
    const csp_template *tpl = r->ds->tpl;
    if (r->agency && !r->nfiles) {
        if (r->returns) {
            para(r, "Please send them in one submission as soon as you "
                    "can.");
            flush_para(r, "", true);
        }
    } else if (r->agency) {
        para(r, "To correct a figure, send a new submission with a later "
                "submitted time: it replaces the figures it repeats and "
                "leaves the others as they are. To retract a figure, send "
                "it with status \"withdrawn\".");
        flush_para(r, "", true);
    }
    putf(r, "%s\n", tpl->partnership ? tpl->partnership : "The partnership");
}

/* Write one receipt. */
csp_error csp_receipt_write(const csp_dataset *ds, const char *agency,
                            const csp_returns *returns, FILE *out)
{
    receipt r = {.ds = ds, .agency = agency, .returns = returns};
    size_t *order = NULL;
    csp_strbuf_init(&r.para, CSP_OUT_TEXT_MAX);
    if (!ds || !out || !ds->reconciled)
        return CSP_ERR_USAGE;
    if (!(r.ob = csp_malloc(sizeof *r.ob))) {
        r.err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_outbuf_init(r.ob, out);
    if ((r.err = csp_out_file_order(ds, NULL, &order)))
        goto out;
    if (ds->nfiles && !(r.files = csp_malloc(ds->nfiles * sizeof *r.files))) {
        r.err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < ds->nfiles; k++) {
        const char *id = receipt_agency(ds, &ds->files[order[k]]);
        if (nstrcmp(id, agency) == 0 && (id != NULL) == (agency != NULL))
            r.files[r.nfiles++] = order[k];
    }
    if ((r.err = index_receipt(&r)))
        goto out;
    greeting(&r);
    for (size_t k = 0; k < r.nfiles && r.err == CSP_OK; k++)
        file_section(&r, k);
    if (agency) {
        /* Without a file of its own, only when there is something. */
        if (diag_section(&r, "",
                         "Discrepancies in other files that involve your "
                         "figures",
                         pick_involving, NULL, CSP_NO_INDEX, r.nfiles > 0) ||
            r.nfiles > 0)
            put(&r, "\n");
    }
    if (agency && returns)
        still_needed(&r);
    closing(&r);
    fail(&r, csp_outbuf_flush(r.ob));
    if (r.err == CSP_OK && ferror(out))
        r.err = CSP_ERR_IO;
out:
    free(r.ob);
    free(order);
    free(r.files);
    free(r.diag_file);
    free(r.mine);
    free(r.picked);
    free(r.by_file);
    free(r.by_file_start);
    free(r.upd_first);
    free(r.upd_by_file);
    free(r.upd_start);
    csp_strbuf_free(&r.para);
    return r.err;
}
