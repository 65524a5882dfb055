/* csppack: the CSV files of a pack (csv.h; doc/csv-format.md). */
#include "csppack/write/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/model/template.h"
#include "csppack/write/common.h"

/* RFC 4180 ends every record, the last one too, with CRLF. */
#define CSV_EOL "\r\n"

/* Bit i of a record's mask of figure and date fields (write_record). */
#define BIT(i) (1u << (i))

/* strcmp treating NULL as "". */
static int nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Does a field of @p n bytes need quotes? */
static bool needs_quotes(const char *s, size_t n)
{
    if (!n)
        return false;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return true;
    return strpbrk(s, ",\"\r\n") != NULL;
}

/*
 * Does text starting with @p c make a spreadsheet read a formula?  = + -
 * @, a tab and a carriage return (OWASP, "CSV Injection"): LibreOffice's
 * default import runs =HYPERLINK(...) as one.
 */
static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
           c == '\r';
}

/* One field, quoted when needed; @p text (free text, not a figure or a
 * date) that a spreadsheet would run as a formula starts with "'". */
static void put_field(csp_outbuf *ob, const char *s, bool text)
{
    size_t n;
    if (!s || !(n = strlen(s)))
        return;
    bool guard = text && formula_start(s[0]);
    bool quote = needs_quotes(s, n);
    if (quote)
        csp_outbuf_putc(ob, '"');
    if (guard)
        csp_outbuf_putc(ob, '\'');
    if (!quote) {
        csp_outbuf_add(ob, s, n);
        return;
    }
    for (const char *p = s, *end = s + n, *q; p < end; p = q + 1) {
        /* Up to and including the next quote, which is then doubled. */
        if (!(q = memchr(p, '"', (size_t)(end - p)))) {
            csp_outbuf_add(ob, p, (size_t)(end - p));
            break;
        }
        csp_outbuf_add(ob, p, (size_t)(q - p) + 1);
        csp_outbuf_putc(ob, '"');
    }
    csp_outbuf_putc(ob, '"');
}

/* A new csp_outbuf over @p out (64 KiB: on the heap), or NULL. */
static csp_outbuf *outbuf_new(FILE *out)
{
    csp_outbuf *ob = csp_malloc(sizeof *ob);
    if (ob)
        csp_outbuf_init(ob, out);
    return ob;
}

/* Flush and free @p ob; @p err, else the output's error. */
static csp_error outbuf_free(csp_outbuf *ob, csp_error err)
{
    if (!ob)
        return err;
    csp_error werr = csp_outbuf_flush(ob);
    free(ob);
    return err != CSP_OK ? err : werr;
}

/* One field, quoted when needed, text guarded against formulas. */
csp_error csp_csv_field(FILE *out, const char *s, bool text)
{
    csp_outbuf *ob = outbuf_new(out);
    if (!ob)
        return CSP_ERR_NOMEM;
    put_field(ob, s, text);
    csp_error err = outbuf_free(ob, CSP_OK);
    return err != CSP_OK || ferror(out) ? CSP_ERR_IO : CSP_OK;
}

/* A record: @p n fields separated by commas, then CRLF.  Field i is a
 * figure or a date, written as it stands, when bit i of @p figures is
 * set; every other field is text. */
static csp_error write_record(csp_outbuf *ob, const char *const *fields,
                              size_t n, unsigned figures)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            csp_outbuf_putc(ob, ',');
        put_field(ob, fields[i], !(figures >> i & 1u));
    }
    csp_outbuf_add(ob, CSV_EOL, 2);
    return ob->err;
}

/* A header row from a comma-separated list of column names. */
static csp_error write_header(csp_outbuf *ob, const char *columns)
{
    csp_outbuf_puts(ob, columns);
    csp_outbuf_add(ob, CSV_EOL, 2);
    return ob->err;
}

/* ------------------------------------------------------------------------ */
/* observations.csv                                                          */
/* ------------------------------------------------------------------------ */

/* The dataset whose figures are being sorted (one per thread). */
static _Thread_local const csp_dataset *sort_ds;

/* Figures by indicator, area, start, end (the key: unique). */
static int cmp_figure_index(const void *pa, const void *pb)
{
    const csp_figure *a = &sort_ds->figures[*(const size_t *)pa];
    const csp_figure *b = &sort_ds->figures[*(const size_t *)pb];
    int c;
    if ((c = nstrcmp(a->indicator, b->indicator)) ||
        (c = nstrcmp(a->area, b->area)))
        return c;
    if (a->period.start != b->period.start)
        return a->period.start < b->period.start ? -1 : 1;
    if (a->period.end != b->period.end)
        return a->period.end < b->period.end ? -1 : 1;
    return 0;
}

/* observations.csv */
csp_error csp_csv_write_observations(const csp_dataset *ds, FILE *out)
{
    csp_error err = CSP_OK;
    size_t *order =
        csp_malloc((ds->nfigures ? ds->nfigures : 1) * sizeof *order);
    csp_outbuf *ob = outbuf_new(out);
    csp_out_dates dates = {0};
    if (!order || !ob) {
        free(order);
        free(ob);
        return CSP_ERR_NOMEM;
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        order[i] = i;
    sort_ds = ds;
    /* The dataset holds its figures in this order already (reconcile.h):
     * sort only should it not. */
    for (size_t i = 1; i < ds->nfigures; i++)
        if (cmp_figure_index(&order[i - 1], &order[i]) > 0) {
            qsort(order, ds->nfigures, sizeof *order, cmp_figure_index);
            break;
        }
    sort_ds = NULL;
    if ((err = write_header(ob, "indicator,area,start,end,value,status,"
                                "agency,submitted,file,origin")))
        goto out;
    for (size_t k = 0; k < ds->nfigures; k++) {
        const csp_figure *f = &ds->figures[order[k]];
        if (f->state == CSP_FIGURE_NONE)
            continue;
        bool stands = f->state == CSP_FIGURE_STANDS;
        char start[CSP_DATE_BUFSZ], end[CSP_DATE_BUFSZ];
        char value[CSP_DECIMAL_BUFSZ] = "";
        char submitted[CSP_INSTANT_BUFSZ] = "";
        csp_out_date(&dates, f->period.start, start);
        csp_out_date(&dates, f->period.end, end);
        if (stands && f->has_value)
            csp_decimal_format(f->value, value);
        if (stands && f->has_submitted)
            csp_instant_format(f->submitted, submitted);
        const char *fields[] = {
            f->indicator,
            f->area,
            start,
            end,
            value,
            csp_figure_status_str(f),
            stands ? f->agency : NULL,
            submitted,
            stands && f->has_submitted ? csp_out_file_name(ds, f->file)
                                       : NULL,
            csp_figure_origin_str(csp_dataset_figure_origin(ds, f, NULL)),
        };
        if ((err = write_record(ob, fields, sizeof fields / sizeof *fields,
                                BIT(2) | BIT(3) | BIT(4) | BIT(7))))
            goto out;
    }
out:
    free(order);
    return outbuf_free(ob, err);
}

/* ------------------------------------------------------------------------ */
/* discrepancies.csv                                                         */
/* ------------------------------------------------------------------------ */

/* Action refs in plan order (theme, item, letter of the template's
 * pattern: "1.10" after "1.9"); none first, as nstrcmp puts "". */
static int ref_cmp(const char *refs, const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return csp_action_ref_cmp(refs, a, b);
}

/* One diagnostic as its row, with what it sorts on. */
typedef struct diag_row {
    const csp_diag *d;
    size_t file_rank;          /* SIZE_MAX: names no file of the dataset */
    const char *file;          /* base name */
    char start[CSP_DATE_BUFSZ];
    char end[CSP_DATE_BUFSZ];
    const char *message;       /* borrowed from d */
    const char *refs;          /* the template's action-refs pattern */
} diag_row;

/* Rows by the columns in order; `file` by the file's identity. */
static int cmp_diag_row(const void *pa, const void *pb)
{
    const diag_row *a = pa, *b = pb;
    int c;
    if ((c = strcmp(csp_diag_code_str(a->d->code),
                    csp_diag_code_str(b->d->code))) ||
        (c = strcmp(csp_severity_str(csp_diag_severity(a->d->code)),
                    csp_severity_str(csp_diag_severity(b->d->code)))) ||
        (c = strcmp(csp_diag_kind(a->d->code), csp_diag_kind(b->d->code))))
        return c;
    /* No file first, then files of the dataset by identity, then files the
     * dataset does not hold (a folder that could not be opened) by name. */
    bool fa = a->d->file != NULL, fb = b->d->file != NULL;
    if (fa != fb)
        return fa ? 1 : -1;
    if (a->file_rank != b->file_rank)
        return a->file_rank < b->file_rank ? -1 : 1;
    if ((c = nstrcmp(a->file, b->file)))
        return c;
    if (a->d->line != b->d->line)
        return a->d->line < b->d->line ? -1 : 1;
    if ((c = nstrcmp(a->d->agency, b->d->agency)) ||
        (c = nstrcmp(a->d->indicator, b->d->indicator)) ||
        (c = nstrcmp(a->d->area, b->d->area)) ||
        (c = strcmp(a->start, b->start)) || (c = strcmp(a->end, b->end)) ||
        (c = ref_cmp(a->refs, a->d->ref, b->d->ref)) ||
        (c = nstrcmp(a->d->values, b->d->values)) ||
        (c = nstrcmp(a->message, b->message)))
        return c;
    /* Rows equal in every column: print the same; any order will do, but
     * keep it total by the full path. */
    return nstrcmp(a->d->file, b->d->file);
}

/* discrepancies.csv */
csp_error csp_csv_write_discrepancies(const csp_dataset *ds, FILE *out)
{
    csp_error err = CSP_OK;
    size_t n = ds->diags.count;
    size_t *rank = NULL, *diag_file = NULL;
    diag_row *rows = csp_calloc(n ? n : 1, sizeof *rows);
    csp_outbuf *ob = outbuf_new(out);
    if (!rows || !ob) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_out_file_order(ds, &rank, NULL)) ||
        (err = csp_out_diag_files(ds, &diag_file)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        diag_row *r = &rows[i];
        r->d = &ds->diags.items[i];
        size_t f = diag_file[i];
        r->file_rank = f == CSP_NO_INDEX ? SIZE_MAX : rank[f];
        r->refs = ds->tpl ? ds->tpl->action_refs : NULL;
        r->file = csp_dataset_name(ds, r->d->file);
        if (r->d->has_period) {
            csp_date_format(r->d->period.start, r->start);
            csp_date_format(r->d->period.end, r->end);
        }
        r->message = r->d->message ? r->d->message : "";
    }
    if (n > 1)
        qsort(rows, n, sizeof *rows, cmp_diag_row);
    if ((err = write_header(ob, "code,severity,kind,file,line,agency,"
                                "indicator,area,start,end,ref,values,"
                                "message")))
        goto out;
    for (size_t i = 0; i < n; i++) {
        const diag_row *r = &rows[i];
        char line[24] = "";
        if (r->d->line)
            snprintf(line, sizeof line, "%lu", r->d->line);
        const char *fields[] = {
            csp_diag_code_str(r->d->code),
            csp_severity_str(csp_diag_severity(r->d->code)),
            csp_diag_kind(r->d->code),
            r->file,
            line,
            r->d->agency,
            r->d->indicator,
            r->d->area,
            r->start,
            r->end,
            r->d->ref,
            r->d->values,
            r->message,
        };
        if ((err = write_record(ob, fields, sizeof fields / sizeof *fields,
                                BIT(4) | BIT(8) | BIT(9))))
            goto out;
    }
out:
    free(rows);
    free(rank);
    free(diag_file);
    return outbuf_free(ob, err);
}

/* ------------------------------------------------------------------------ */
/* actions.csv                                                               */
/* ------------------------------------------------------------------------ */

/* One update as its row. */
typedef struct update_row {
    const csp_dataset_update *u;
    const char *refs;          /* the template's action-refs pattern */
    size_t file_rank;
    char *progress;            /* read back only where it decides the order */
} update_row;                  /* small: one per update of the inbox */

/* Rows by the columns in order, up to `submitted` (by the instant). */
static int cmp_update_head(const update_row *a, const update_row *b)
{
    int c;
    if ((c = ref_cmp(a->refs, a->u->ref, b->u->ref)))
        return c;
    /* current: "no" sorts before "yes". */
    if (a->u->current != b->u->current)
        return a->u->current ? 1 : -1;
    /* YYYY-MM-DD text sorts as the date does. */
    if (a->u->as_of != b->u->as_of)
        return a->u->as_of < b->u->as_of ? -1 : 1;
    if ((c = strcmp(csp_action_status_str(a->u->status),
                    csp_action_status_str(b->u->status))) ||
        (c = nstrcmp(a->u->agency, b->u->agency)))
        return c;
    if ((c = csp_instant_cmp(a->u->submitted, b->u->submitted)))
        return c;
    /* The same instant written with another offset: by the text. */
    char ta[CSP_INSTANT_BUFSZ], tb[CSP_INSTANT_BUFSZ];
    csp_instant_format(a->u->submitted, ta);
    csp_instant_format(b->u->submitted, tb);
    return strcmp(ta, tb);
}

/* Then the progress (when read back), then the file's identity and line. */
static int cmp_update_row(const void *pa, const void *pb)
{
    const update_row *a = pa, *b = pb;
    int c;
    if ((c = cmp_update_head(a, b)))
        return c;
    if (a->progress && b->progress && (c = strcmp(a->progress, b->progress)))
        return c;
    if (a->file_rank != b->file_rank)
        return a->file_rank < b->file_rank ? -1 : 1;
    if (a->u->line != b->u->line)
        return a->u->line < b->u->line ? -1 : 1;
    return 0;
}

/* Sort rows[0..n).  Progress statements stay out of memory: only rows
 * that tie on every column before it are read back and ordered by it. */
static csp_error sort_update_rows(const csp_dataset *ds, update_row *rows,
                                  size_t n)
{
    csp_error err = CSP_OK;

    if (n > 1)
        qsort(rows, n, sizeof *rows, cmp_update_row);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && cmp_update_head(&rows[i], &rows[j]) == 0)
            j++;
        if (j - i > 1) {
            for (size_t k = i; k < j; k++)
                if ((err = csp_dataset_update_progress(ds, rows[k].u,
                                                       &rows[k].progress)))
                    goto out;
            qsort(rows + i, j - i, sizeof *rows, cmp_update_row);
        }
        i = j;
    }
out:
    return err;
}

/* actions.csv */
csp_error csp_csv_write_actions(const csp_dataset *ds, FILE *out)
{
    csp_error err = CSP_OK;
    size_t n = 0, k = 0;
    size_t *rank = NULL;
    update_row *rows = NULL;
    csp_outbuf *ob = NULL;
    csp_out_dates dates = {0};
    csp_strbuf progress;  /* a statement read back for its row */
    csp_strbuf_init(&progress, SIZE_MAX / 4);
    for (size_t a = 0; a < ds->nactions; a++)
        n += ds->actions[a].nupdates;
    if (!(rows = csp_calloc(n ? n : 1, sizeof *rows)) ||
        !(ob = outbuf_new(out))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_out_file_order(ds, &rank, NULL)))
        goto out;
    for (size_t a = 0; a < ds->nactions; a++) {
        for (size_t i = 0; i < ds->actions[a].nupdates; i++) {
            update_row *r = &rows[k++];
            r->u = &ds->actions[a].updates[i];
            r->refs = ds->tpl ? ds->tpl->action_refs : NULL;
            r->file_rank = r->u->file < ds->nfiles ? rank[r->u->file]
                                                   : SIZE_MAX;
        }
    }
    if ((err = sort_update_rows(ds, rows, n)))
        goto out;
    if ((err = write_header(ob, "ref,current,as_of,status,agency,submitted,"
                                "progress")))
        goto out;
    for (size_t i = 0; i < n; i++) {
        update_row *r = &rows[i];
        if (!r->progress &&
            (err = csp_out_progress(ds, r->u, &progress)))
            goto out;
        char as_of[CSP_DATE_BUFSZ], submitted[CSP_INSTANT_BUFSZ];
        csp_out_date(&dates, r->u->as_of, as_of);
        csp_instant_format(r->u->submitted, submitted);
        const char *fields[] = {
            r->u->ref,
            r->u->current ? "yes" : "no",
            as_of,
            csp_action_status_str(r->u->status),
            r->u->agency,
            submitted,
            r->progress ? r->progress : csp_strbuf_str(&progress),
        };
        err = write_record(ob, fields, sizeof fields / sizeof *fields,
                           BIT(2) | BIT(5));
        free(r->progress);
        r->progress = NULL;
        if (err)
            goto out;
    }
out:
    for (size_t i = 0; rows && i < n; i++)
        free(rows[i].progress);
    free(rows);
    free(rank);
    csp_strbuf_free(&progress);
    return outbuf_free(ob, err);
}
