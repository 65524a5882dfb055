/* csppack: the workbook's Submissions and Discrepancies sheets
 * (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/common.h"

/* The Submissions sheet's columns: the fixed ones, then those of the
 * mail a file came in (only when one did), then the audit columns. */
enum {
    SUB_FILE,
    SUB_AGENCY,
    SUB_SUBMITTED,
    SUB_SUBMITTER,
    SUB_FIGURES,
    SUB_STANDING,
    SUB_SUPERSEDED,
    SUB_ITEMS_REFUSED,
    SUB_UPDATES,
    SUB_REFUSED,
    SUB_DUPLICATE,
    SUB_BYTES,
    SUB_COMMENT,
    SUB_FIXED_ /* the number of fixed columns */
};

/* The mail columns, from SUB_FIXED_, and the audit ones after them. */
enum { MAIL_FROM, MAIL_SENT, MAIL_SUBJECT, MAIL_ATTACHMENT, MAIL_COLS_ };

/* Whether any file of @p ds came by mail: then the sheet says where from. */
static bool any_mail(const csp_dataset *ds)
{
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].sub && ds->files[i].sub->mail)
            return true;
    return false;
}

/* The mail columns of one file's row, from column @p at, and its
 * Message-ID in audit column @p id_col; empty for a bare file. */
static void mail_cells(csp_wb_tab *t, const csp_mail_origin *m, lxw_col_t at,
                       lxw_col_t id_col)
{
    csp_wb_ctx *c = t->c;
    if (!m)
        return;
    csp_wb_tab_text(t, at + MAIL_FROM, m->from ? m->from : m->from_address,
                    c->wrap);
    if (m->has_sent)
        csp_wb_tab_width(
            t, at + MAIL_SENT,
            csp_wb_put_instant(c, t->ws, t->row, at + MAIL_SENT, m->sent));
    else
        csp_wb_tab_text(t, at + MAIL_SENT, m->date, c->wrap);
    csp_wb_tab_text(t, at + MAIL_SUBJECT, m->subject, c->wrap);
    csp_wb_tab_text(t, at + MAIL_ATTACHMENT, m->attachment, c->wrap);
    csp_wb_tab_text(t, id_col, m->message_id, c->code);
}

/* Submissions: every file read, what was accepted, where it came from
 * when it came by mail, and its SHA-256. */
void csp_wb_sheet_submissions(csp_wb_ctx *c)
{
    static const csp_wb_col fixed[SUB_FIXED_] = {
        {"File", 12, 40, false},
        {"Agency", 14, 30, false},
        {"Submitted (UTC)", 20, 20, false},
        {"Submitter", 14, 30, false},
        {"Figures accepted", 10, 12, false},
        {"Figures standing", 10, 12, false},
        {"Figures superseded", 10, 12, false},
        {"Items refused", 10, 12, false},
        {"Updates accepted", 10, 12, false},
        {"Refused", 9, 10, false},
        {"Duplicate of", 12, 40, false},
        {"Bytes", 8, 14, false},
        {"Comment", 30, 60, false},
    };
    static const csp_wb_col mail_cols[MAIL_COLS_] = {
        {"Received from", 16, 40, false},
        {"Sent (UTC)", 20, 30, false},
        {"Subject", 16, 50, false},
        {"Attachment", 12, 40, false},
    };
    static const csp_wb_col message_id = {"Message-ID", 16, 60, true};
    static const csp_wb_col sha256 = {"SHA-256", 66, 66, true};
    csp_wb_col cols[SUB_FIXED_ + MAIL_COLS_ + 2];
    const csp_dataset *ds = c->ds;
    bool mail = any_mail(ds);
    size_t ncols = SUB_FIXED_;
    csp_wb_tab t = {.c = c,
                    .sheet = "Submissions",
                    .table_name = "Submissions",
                    .stream = true,
                    .title = "Submissions received",
                    .intro =
                        mail ? "Every file read, by agency. Figures standing "
                               "are those used; items refused are figures "
                               "and updates refused on reading (see "
                               "Discrepancies). Received from, Sent, Subject "
                               "and Attachment: the message a file came in, "
                               "for files that came by mail. Last, every "
                               "entry of the folders named that was not read "
                               "(Refused: not read), with why."
                             : "Every file read, by agency. Figures standing "
                               "are those used; items refused are figures "
                               "and updates refused on reading (see "
                               "Discrepancies). Last, every entry of the "
                               "folders named that was not read (Refused: "
                               "not read), with why."};
    size_t *order = NULL, *skipped = NULL, nskipped = 0;
    csp_error err = csp_out_file_order(ds, NULL, &order);
    if (err == CSP_OK)
        err = csp_out_skipped(ds, &skipped, &nskipped);
    if (err != CSP_OK) {
        csp_wb_nomem(c);
        return;
    }
    memcpy(cols, fixed, sizeof fixed);
    if (mail) {
        memcpy(cols + ncols, mail_cols, sizeof mail_cols);
        ncols += MAIL_COLS_;
        cols[ncols++] = message_id;
    }
    cols[ncols++] = sha256;
    if (!csp_wb_tab_columns(&t, cols, ncols))
        goto out;
    for (size_t k = 0; k < ds->nfiles && !c->err; k++) {
        size_t i = order[k];
        const csp_dataset_file *f = &ds->files[i];
        const csp_submission *sub = f->sub;
        if (!csp_wb_tab_row(&t))
            break;
        csp_wb_tab_text(&t, SUB_FILE, csp_wb_file_name(c, i), c->text);
        const char *agency = f->agency ? f->agency : sub ? sub->agency : NULL;
        csp_wb_tab_text(&t, SUB_AGENCY, csp_wb_agency_name(c, agency), c->wrap);
        if (f->has_submitted)
            csp_wb_tab_width(&t, SUB_SUBMITTED,
                             csp_wb_put_instant(c, t.ws, t.row, SUB_SUBMITTED,
                                                f->submitted));
        csp_wb_tab_text(&t, SUB_SUBMITTER,
                        sub && sub->submitter_name ? sub->submitter_name : "",
                        c->wrap);
        csp_wb_tab_count(&t, SUB_FIGURES, f->obs_accepted);
        csp_wb_tab_count(&t, SUB_STANDING, f->roles[CSP_CLAIM_STANDS]);
        csp_wb_tab_count(&t, SUB_SUPERSEDED, f->roles[CSP_CLAIM_SUPERSEDED]);
        csp_wb_tab_count(&t, SUB_ITEMS_REFUSED, f->items_refused);
        csp_wb_tab_count(&t, SUB_UPDATES, f->updates_accepted);
        csp_wb_tab_text(&t, SUB_REFUSED, f->refused ? "yes" : "no",
                        f->refused ? c->refused : c->center);
        if (f->duplicate_of < ds->nfiles)
            csp_wb_tab_text(&t, SUB_DUPLICATE,
                            csp_wb_file_name(c, f->duplicate_of), c->wrap);
        csp_wb_tab_count(&t, SUB_BYTES, f->size);
        csp_wb_tab_text(&t, SUB_COMMENT,
                        sub && sub->comment ? sub->comment : "", c->wrap);
        if (mail)
            mail_cells(&t, sub ? sub->mail : NULL, SUB_FIXED_,
                       (lxw_col_t)(ncols - 2));
        csp_wb_tab_text(&t, (lxw_col_t)(ncols - 1), f->sha256, c->code);
    }
    for (size_t k = 0; k < nskipped && !c->err; k++) {
        const csp_diag *d = &ds->diags.items[skipped[k]];
        if (!csp_wb_tab_row(&t))
            break;
        csp_wb_tab_text(&t, SUB_FILE, csp_dataset_name(ds, d->file), c->text);
        csp_wb_tab_text(&t, SUB_REFUSED, "not read", c->center);
        csp_wb_tab_text(&t, SUB_COMMENT, d->message, c->wrap);
    }
    csp_wb_tab_end(&t);
out:
    csp_wb_tab_free(&t);
    free(order);
    free(skipped);
}

/* Discrepancies: every diagnostic of the run, in canonical order. */
void csp_wb_sheet_discrepancies(csp_wb_ctx *c)
{
    const csp_wb_col cols[] = {
        {"Code", 7, 8, false},
        {"Severity", 10, 10, false},
        {"Kind", 10, 28, false},
        {"Agency", 10, 20, false},
        {"Indicator", 10, 30, false},
        {"Area", 8, 14, false},
        {"Period", 10, 28, false},
        {csp_template_label(c->tpl, CSP_LABEL_ACTION_REF), 5, 8, false},
        {"Values", 10, 40, false},
        {"Message", 40, 80, false},
        {"File", 12, 40, true},
        {"Line", 6, 9, true},
    };
    const csp_diag_list *dl = &c->ds->diags;
    csp_wb_tab t = {.c = c,
                    .sheet = "Discrepancies",
                    .table_name = "Discrepancies",
                    .stream = true,
                    .title = "Discrepancies",
                    .intro = dl->count
                                 ? "Every problem found in reading and "
                                   "reconciling the submissions. Values: "
                                   "agency=value for each figure involved."
                                 : "None: every file and figure was accepted "
                                   "and agreed."};
    if (!csp_wb_tab_columns(&t, cols, sizeof cols / sizeof *cols))
        return;
    for (size_t i = 0; i < dl->count && !c->err; i++) {
        const csp_diag *d = &dl->items[i];
        csp_severity sev = csp_diag_severity(d->code);
        if (!csp_wb_tab_row(&t))
            break;
        csp_wb_tab_text(&t, 0, csp_diag_code_str(d->code), c->text);
        csp_wb_tab_text(&t, 1, csp_severity_str(sev), c->severity[sev]);
        csp_wb_tab_text(&t, 2, csp_diag_kind(d->code), c->text);
        csp_wb_tab_text(&t, 3, d->agency, c->text);
        csp_wb_tab_text(&t, 4, d->indicator, c->wrap);
        csp_wb_tab_text(&t, 5, d->area, c->text);
        if (d->has_period) {
            char label[CSP_LABEL_BUFSZ];
            csp_period_label(d->period, label);
            csp_wb_tab_text(&t, 6, label, c->text);
        }
        csp_wb_tab_text(&t, 7, d->ref, c->text);
        csp_wb_tab_text(&t, 8, d->values, c->wrap);
        csp_wb_tab_text(&t, 9, d->message, c->wrap);
        if (d->file)
            csp_wb_tab_text(&t, 10, csp_dataset_name(c->ds, d->file), c->wrap);
        if (d->line)
            csp_wb_tab_whole(&t, 11, d->line);
    }
    csp_wb_tab_end(&t);
    csp_wb_tab_free(&t);
}
