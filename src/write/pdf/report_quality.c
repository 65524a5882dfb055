/* csppack: the PDF reports' data-quality section. */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/write/common.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/table.h"

/* ---- Data quality
 * ------------------------------------------------------------ */

/* Submissions received. */
static void submissions_table(csp_rep *r)
{
    const csp_dataset *ds = r->ds;
    static const csp_table_col cols[] = {
        COL("File", 1.6, false, CSP_ALIGN_LEFT),
        COL("Agency", 1.3, false, CSP_ALIGN_LEFT),
        COL("Submitted", 0, true, CSP_ALIGN_LEFT),
        COL("Accepted", 1.1, false, CSP_ALIGN_LEFT),
        COL("Refused", 0, true, CSP_ALIGN_RIGHT),
        COL("SHA-256", 1.9, false, CSP_ALIGN_LEFT),
    };
    csp_table *t = csp_table_begin(r->L, NULL, cols, 6, NULL);
    csp_table_heading(t, 1, "Submissions received", NULL, CSP_TOC_YES);
    csp_table_continued_title(t, "Submissions received");
    size_t listed[2] = {0, 0}, unlisted[2] = {0, 0}; /* [problem] */
    for (size_t i = 0; i < ds->nfiles && t && !r->err; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (!csp_rep_file_listed(f, listed, unlisted))
            continue;
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        char date[CSP_DATE_WORDS_BUFSZ] = "\xE2\x80\x93", time[32] = "";
        char *acc = NULL, *ref = NULL;
        char g1[CSP_DECIMAL_GROUPED_BUFSZ], g2[CSP_DECIMAL_GROUPED_BUFSZ];
        cells[0].text = csp_dataset_name(ds, f->path);
        cells[1].text = f->refused ? "(refused whole)"
                                   : csp_rep_agency_name(r->tpl, f->agency);
        if (f->has_submitted) {
            int hh, mm;
            csp_date d = csp_rep_instant_date(f->submitted, &hh, &mm);
            csp_date_words(d, true, date);
            int off = f->submitted.offset_min;
            if (off == 0)
                snprintf(time, sizeof time, "%02d:%02d UTC", hh, mm);
            else
                snprintf(time, sizeof time, "%02d:%02d %c%02d:%02d", hh, mm,
                         off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
            cells[2].note = time;
        }
        cells[2].text = date;
        if (f->duplicate_of != CSP_NO_INDEX && f->duplicate_of < ds->nfiles)
            acc = csp_rep_fmt(
                r, "none: a copy of %s",
                csp_dataset_name(ds, ds->files[f->duplicate_of].path));
        else if (f->refused)
            acc = csp_rep_fmt(r, "none");
        else
            acc = csp_rep_fmt(r, "%s figure%s, %s update%s",
                              csp_out_count_text(f->obs_accepted, g1),
                              f->obs_accepted == 1 ? "" : "s",
                              csp_out_count_text(f->updates_accepted, g2),
                              f->updates_accepted == 1 ? "" : "s");
        cells[3].text = acc;
        ref = f->refused ? csp_rep_fmt(r, "whole file")
                         : csp_rep_fmt(r, "%s", csp_out_count_text(
                                                   f->items_refused, g1));
        cells[4].text = ref;
        if (f->refused || f->items_refused) {
            cells[4].colour = &csp_rep_act_look[CSP_ACT_OFF_TRACK].colour;
            cells[4].face = CSP_FACE_BOLD;
        }
        cells[5].text = f->sha256;
        cells[5].colour = &grey_text;
        csp_table_row(t, cells, false);
        free(acc);
        free(ref);
    }
    if (ds->nfiles == 0 && t) {
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        cells[0].text = "No files were read.";
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
    if (unlisted[0] + unlisted[1] && !r->err) {
        char *s =
            csp_rep_fmt(r,
                        "%zu more file%s %s not listed here (%zu accepted "
                        "whole, %zu with a problem): every file, with its "
                        "SHA-256, is on the Submissions sheet of the workbook "
                        "and in dataset.xml.",
                        unlisted[0] + unlisted[1],
                        unlisted[0] + unlisted[1] == 1 ? "" : "s",
                        unlisted[0] + unlisted[1] == 1 ? "is" : "are",
                        unlisted[0], unlisted[1]);
        if (s) {
            csp_layout_skip(r->L, 4);
            csp_layout_paragraph(r->L, s);
        }
        free(s);
    }
}

/* The entries of the folders named that were not read, with why, in one
 * paragraph: nothing is skipped in silence. */
static void skipped_paragraph(csp_rep *r)
{
    const csp_dataset *ds = r->ds;
    size_t *skipped = NULL, n = 0;
    csp_strbuf sb;
    csp_strbuf_init(&sb, CSP_OUT_TEXT_MAX);
    csp_error err = csp_out_skipped(ds, &skipped, &n);
    if (err == CSP_OK && n)
        err = csp_strbuf_printf(&sb,
                                "Not read from the folders named (%zu "
                                "entr%s): ",
                                n, n == 1 ? "y" : "ies");
    size_t shown =
        n < CSP_REPORT_SKIPPED_LISTED_MAX ? n : CSP_REPORT_SKIPPED_LISTED_MAX;
    for (size_t k = 0; k < shown && err == CSP_OK; k++) {
        const csp_diag *d = &ds->diags.items[skipped[k]];
        const char *why = d->message ? d->message : "";
        if (strncmp(why, "skipped: ", 9) == 0)
            why += 9;
        err = csp_strbuf_printf(&sb, "%s%s (%s)", k ? "; " : "",
                                csp_dataset_name(ds, d->file), why);
    }
    if (err == CSP_OK && shown < n)
        err = csp_strbuf_printf(&sb,
                                "; and %zu more, listed on the "
                                "Submissions sheet of the workbook",
                                n - shown);
    if (err == CSP_OK && n)
        err = csp_strbuf_puts(&sb, ".");
    if (err != CSP_OK)
        r->err = err;
    else if (n) {
        csp_layout_skip(r->L, 4);
        csp_layout_paragraph(r->L, csp_strbuf_str(&sb));
    }
    csp_strbuf_free(&sb);
    free(skipped);
}

/* The key a diagnostic is about, in words. */
static char *diag_key(csp_rep *r, const csp_diag *d)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    if (d->indicator)
        err =
            csp_strbuf_puts(&sb, csp_rep_indicator_name(r->tpl, d->indicator));
    if (!err && d->area)
        err = csp_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "",
                                csp_rep_area_name(r->tpl, d->area));
    if (!err && d->has_period) {
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(d->period, label);
        err = csp_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", label);
    }
    if (!err && d->ref)
        err = csp_strbuf_printf(&sb, "%saction %s", sb.len ? ", " : "", d->ref);
    if (!err && sb.len == 0 && d->agency)
        err = csp_strbuf_puts(&sb, csp_rep_agency_name(r->tpl, d->agency));
    if (!err && sb.len == 0)
        err = csp_strbuf_puts(&sb, "the whole file");
    if (err) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    return csp_strbuf_take(&sb);
}

/* How each severity looks in the tables: a shape and a colour, so that it
 * survives black-and-white printing. */
static const csp_rgb sev_colour[] = {[CSP_SEV_ERROR] = {0.78f, 0.14f, 0.14f},
                                     [CSP_SEV_WARNING] = {0.86f, 0.52f, 0.0f},
                                     [CSP_SEV_INFO] = {0.42f, 0.42f, 0.42f}};
static const csp_mark sev_mark[] = {[CSP_SEV_ERROR] = CSP_MARK_CROSS,
                                    [CSP_SEV_WARNING] = CSP_MARK_TRIANGLE,
                                    [CSP_SEV_INFO] = CSP_MARK_RING};
/* The word each mark stands for (the HTML version prints it). */
static const char *const sev_word[] = {[CSP_SEV_ERROR] = "Error",
                                       [CSP_SEV_WARNING] = "Warning",
                                       [CSP_SEV_INFO] = "Note"};

/* What each code means, in a few words for the board (doc/diagnostics.md
 * says it in full). */
static const char *const code_meaning[CSP_D_COUNT_] = {
    [CSP_D_READ] = "A file could not be read.",
    [CSP_D_TOO_LARGE] = "A file is larger than the size limit.",
    [CSP_D_COMPRESSED] = "A file is compressed, not plain XML.",
    [CSP_D_EMPTY] = "A file is empty.",
    [CSP_D_NOT_XML] = "A file is not well-formed XML.",
    [CSP_D_ENCODING] = "A file has bytes not valid in its encoding.",
    [CSP_D_DOCTYPE] = "A file has a DOCTYPE, which is not allowed.",
    [CSP_D_ROOT] = "A file is not a submission.",
    [CSP_D_SCHEMA] = "A file does not follow the submission format.",
    [CSP_D_STRATEGY] = "A file is for another strategy.",
    [CSP_D_AGENCY] = "A file is from an agency the strategy does not "
                     "name.",
    [CSP_D_SUBMITTED] = "A file's submitted time is not valid.",
    [CSP_D_TOO_MANY] = "A file has more items than allowed.",
    [CSP_D_TEXT_TOO_LONG] = "A file has a text longer than allowed.",
    [CSP_D_NOT_A_FILE] = "A path is not a regular file.",
    [CSP_D_BROKEN_LINK] = "A link leads to no file.",
    [CSP_D_TOO_DEEP] = "A folder is too deep to be read.",
    [CSP_D_NOTHING_TO_READ] = "A folder holds nothing to read.",
    [CSP_D_SKIPPED] = "An entry of a folder is not a submission.",
    [CSP_D_TOO_MANY_ATTRS] = "A file has an element with too many "
                             "attributes.",
    [CSP_D_TEXT_PIECES] = "A file has a text in too many pieces.",
    [CSP_D_TOO_MANY_MISC] = "A file has too many comments.",
    [CSP_D_UNKNOWN_INDICATOR] = "A figure for an indicator the strategy "
                                "does not have.",
    [CSP_D_UNKNOWN_AREA] = "A figure for an area the strategy does not "
                           "have.",
    [CSP_D_UNKNOWN_ACTION] = "An update for an action not in the plan.",
    [CSP_D_NOT_A_NUMBER] = "A value that is not a number.",
    [CSP_D_NOT_WHOLE] = "A count with a fraction.",
    [CSP_D_NEGATIVE] = "A value below zero.",
    [CSP_D_OVER_100] = "A percentage above 100.",
    [CSP_D_TOO_PRECISE] = "A value with too many digits.",
    [CSP_D_VALUE_MISSING] = "A figure without the value its status needs.",
    [CSP_D_VALUE_UNEXPECTED] = "A missing or withdrawn figure with a "
                               "value.",
    [CSP_D_BAD_PERIOD] = "A period that is not two valid dates.",
    [CSP_D_PERIOD_REVERSED] = "A period that starts after it ends.",
    [CSP_D_BAD_STATUS] = "An unknown figure status.",
    [CSP_D_BAD_ACTION_STATUS] = "An unknown action status.",
    [CSP_D_BAD_AS_OF] = "An as-of date that is not a date.",
    [CSP_D_EMPTY_PROGRESS] = "An empty progress statement.",
    [CSP_D_REPEATED_KEY] = "The same figure or update twice in one file.",
    [CSP_D_TPL_DUPLICATE_ID] = "The template declares an id twice.",
    [CSP_D_TPL_DANGLING] = "The template refers to an undeclared id.",
    [CSP_D_TPL_CYCLE] = "A template rule depends on itself.",
    [CSP_D_TPL_RULE_UNIT] = "A template rule's inputs have the wrong unit.",
    [CSP_D_TPL_VALUE] = "A value in the template is not valid.",
    [CSP_D_DUPLICATE_FILE] = "A file received twice; it counts once.",
    [CSP_D_SUPERSEDED] = "Figures replaced by the same agency's later "
                         "submission.",
    [CSP_D_WITHDRAWN] = "A figure withdrawn by its agency.",
    [CSP_D_CONFLICT] = "One agency sent different figures at the same "
                       "time; none is used.",
    [CSP_D_NON_OWNER_DIFFERS] = "A partner's figure differs from the "
                                "owner's; the owner's is used.",
    [CSP_D_NOT_FROM_OWNER] = "The figure used is not from its owner.",
    [CSP_D_DISPUTED] = "Partners' figures disagree and none is used.",
    [CSP_D_STATUS_TIE] = "Different statuses for an action on one date.",
    [CSP_D_CHECK_FAILED] = "A figure breaks a rule of the template.",
    [CSP_D_AFTER_PACK] = "Figures for periods after the board pack's.",
    [CSP_D_OUTSIDE_YEARS] = "Figures for periods outside the strategy's "
                            "years.",
    [CSP_D_NOT_ENDED] = "Figures for a period not over when sent.",
    [CSP_D_FAR_AHEAD] = "A submitted time far after every other file's.",
};

/* The discrepancies counted: by code, and by agency (the template's, in
 * its order, then one row for every other) and severity. */
typedef struct dq_counts {
    size_t by_code[CSP_D_COUNT_];
    size_t (*by_agency)[3]; /* tpl->nagencies + 1 rows */
    size_t sev[3];
    size_t listable; /* errors and warnings */
} dq_counts;

/* Count every diagnostic once; false when memory ran out. */
static bool dq_count(csp_rep *r, dq_counts *n)
{
    const csp_diag_list *dl = &r->ds->diags;
    const csp_template *tpl = r->tpl;
    memset(n, 0, sizeof *n);
    n->by_agency = csp_calloc(tpl->nagencies + 1, sizeof *n->by_agency);
    if (!n->by_agency) {
        r->err = CSP_ERR_NOMEM;
        return false;
    }
    for (size_t k = 0; k < dl->count; k++) {
        const csp_diag *d = &dl->items[k];
        csp_severity sev = csp_diag_severity(d->code);
        const csp_agency *a =
            d->agency ? csp_template_agency(tpl, d->agency) : NULL;
        size_t row = a ? (size_t)(a - tpl->agencies) : tpl->nagencies;
        if (d->code < CSP_D_COUNT_)
            n->by_code[d->code]++;
        n->by_agency[row][sev]++;
        n->sev[sev]++;
    }
    n->listable = n->sev[CSP_SEV_ERROR] + n->sev[CSP_SEV_WARNING];
    return true;
}

/* A count for a table cell. */
static void count_cell(csp_table_cell *c, char buf[24], size_t v, bool bold)
{
    char g[CSP_DECIMAL_GROUPED_BUFSZ];
    snprintf(buf, 24, "%s", csp_out_count_text(v, g));
    c->text = buf;
    c->face = bold ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
    if (v == 0)
        c->colour = &grey_text;
}

/* Discrepancies by code: one row per code that occurred, errors first. */
static void codes_table(csp_rep *r, const dq_counts *n)
{
    static const csp_table_col cols[] = {
        COL("Code", 0, true, CSP_ALIGN_LEFT),
        COL("Kind", 0, true, CSP_ALIGN_LEFT),
        COL("What it means", 3.0, false, CSP_ALIGN_LEFT),
        COL("Count", 0, true, CSP_ALIGN_RIGHT),
    };
    csp_table *t = csp_table_begin(r->L, NULL, cols, 4, NULL);
    csp_table_heading(t, 2, "By code", NULL, CSP_TOC_NO);
    csp_table_continued_title(t, "Discrepancies by code");
    for (int sev = CSP_SEV_ERROR; sev <= CSP_SEV_INFO && t; sev++) {
        for (size_t code = 0; code < CSP_D_COUNT_; code++) {
            if (!n->by_code[code] ||
                csp_diag_severity((csp_diag_code)code) != (csp_severity)sev)
                continue;
            csp_table_cell cells[4];
            char num[24];
            memset(cells, 0, sizeof cells);
            cells[0].text = csp_diag_code_str((csp_diag_code)code);
            cells[0].face = CSP_FACE_BOLD;
            cells[0].mark = sev_mark[sev];
        cells[0].mark_word = sev_word[sev];
            cells[0].mark_word = sev_word[sev];
            cells[0].mark_colour = &sev_colour[sev];
            cells[0].note = csp_severity_str((csp_severity)sev);
            cells[1].text = csp_diag_kind((csp_diag_code)code);
            cells[2].text = code_meaning[code];
            count_cell(&cells[3], num, n->by_code[code], false);
            csp_table_row(t, cells, false);
        }
    }
    if (t) {
        csp_table_cell cells[4];
        char num[24];
        memset(cells, 0, sizeof cells);
        cells[0].text = "All";
        cells[0].face = CSP_FACE_BOLD;
        count_cell(&cells[3], num, r->ds->diags.count, true);
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
}

/* Discrepancies by agency and severity. */
static void agencies_table(csp_rep *r, const dq_counts *n)
{
    static const csp_table_col cols[] = {
        COL("Agency", 3.0, false, CSP_ALIGN_LEFT),
        COL("Errors", 1, false, CSP_ALIGN_RIGHT),
        COL("Warnings", 1, false, CSP_ALIGN_RIGHT),
        COL("Information", 1, false, CSP_ALIGN_RIGHT),
        COL("All", 1, false, CSP_ALIGN_RIGHT),
    };
    const csp_template *tpl = r->tpl;
    csp_table *t = csp_table_begin(r->L, NULL, cols, 5, NULL);
    csp_table_heading(t, 2, "By agency", NULL, CSP_TOC_NO);
    csp_table_continued_title(t, "Discrepancies by agency");
    for (size_t a = 0; a <= tpl->nagencies + 1 && t; a++) {
        const size_t *v = a <= tpl->nagencies ? n->by_agency[a] : n->sev;
        size_t all = v[0] + v[1] + v[2];
        if (a <= tpl->nagencies && all == 0)
            continue;
        bool total = a > tpl->nagencies;
        csp_table_cell cells[5];
        char num[4][24];
        memset(cells, 0, sizeof cells);
        cells[0].text = a < tpl->nagencies ? tpl->agencies[a].name
                        : !total ? "No agency, or one the strategy does not "
                                   "name"
                                 : "All agencies";
        cells[0].face = total ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
        for (int s = 0; s < 3; s++) {
            count_cell(&cells[1 + s], num[s], v[s], total);
            if (v[s] && s != CSP_SEV_INFO) {
                cells[1 + s].mark = sev_mark[s];
                cells[1 + s].mark_word = sev_word[s];
                cells[1 + s].mark_colour = &sev_colour[s];
            }
        }
        count_cell(&cells[4], num[3], all, true);
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
}

/* The errors and warnings, one row each, the first CSP_REPORT_LISTED_MAX
 * of them in the dataset's order. */
static void listed_table(csp_rep *r, const dq_counts *n)
{
    const csp_diag_list *dl = &r->ds->diags;
    static const csp_table_col cols[] = {
        COL("Code", 0, true, CSP_ALIGN_LEFT),
        COL("File and line", 1.5, false, CSP_ALIGN_LEFT),
        COL("About", 1.5, false, CSP_ALIGN_LEFT),
        COL("What was found", 4.2, false, CSP_ALIGN_LEFT),
    };
    size_t shown = n->listable < CSP_REPORT_LISTED_MAX ? n->listable
                                                       : CSP_REPORT_LISTED_MAX;
    csp_table *t = csp_table_begin(r->L, NULL, cols, 4, NULL);
    /* A section of its own beside Discrepancies, listed in the
     * contents: the one a reader looks a problem up in. */
    csp_table_heading(t, 1, "Errors and warnings", NULL, CSP_TOC_YES);
    csp_table_continued_title(t, "Errors and warnings");
    char *s =
        shown == n->listable
            ? csp_rep_fmt(r, "Every error and warning, by file and line.")
            : csp_rep_fmt(r,
                          "The first %zu of the %zu errors and warnings, by "
                          "file and line (as on the Discrepancies sheet of "
                          "the workbook).",
                          shown, n->listable);
    if (s && t) {
        csp_table_intro(t, s);
    }
    free(s);
    size_t listed = 0;
    for (size_t k = 0; k < dl->count && listed < shown && t && !r->err; k++) {
        const csp_diag *d = &dl->items[k];
        csp_severity sev = csp_diag_severity(d->code);
        if (sev == CSP_SEV_INFO)
            continue;
        listed++;
        csp_table_cell cells[4];
        memset(cells, 0, sizeof cells);
        char *where = NULL, *key = NULL, *vals = NULL;
        cells[0].text = csp_diag_code_str(d->code);
        cells[0].face = CSP_FACE_BOLD;
        cells[0].mark = sev_mark[sev];
        cells[0].mark_word = sev_word[sev];
        cells[0].mark_colour = &sev_colour[sev];
        cells[0].note = csp_severity_str(sev);
        if (d->file && d->line)
            where = csp_rep_fmt(r, "%s:%lu", csp_dataset_name(r->ds, d->file),
                                d->line);
        else
            where = csp_rep_fmt(r, "%s",
                                d->file ? csp_dataset_name(r->ds, d->file)
                                        : "(the run)");
        cells[1].text = where;
        key = diag_key(r, d);
        cells[2].text = key;
        cells[3].text = d->message;
        if (d->values) {
            vals = csp_rep_fmt(r, "Values: %s", d->values);
            cells[3].note = vals;
        }
        csp_table_row(t, cells, false);
        free(where);
        free(key);
        free(vals);
    }
    csp_table_end(t);
}

/*
 * The discrepancies: counts by code and by agency, then the errors and
 * warnings one by one up to CSP_REPORT_LISTED_MAX, then one sentence on
 * what is not listed.  Information (superseded, withdrawn, duplicate
 * files) is only counted: at county scale it is hundreds of thousands of
 * lines, which no board reads and which would pass libharu's limit of
 * 32,767 pages (doc/report.md).  Every diagnostic is in discrepancies.csv,
 * the workbook's Discrepancies sheet and dataset.xml.
 */
static void discrepancies(csp_rep *r)
{
    const csp_diag_list *dl = &r->ds->diags;
    if (dl->count == 0) {
        csp_layout_heading(r->L, 1, "Discrepancies", NULL, CSP_TOC_YES);
        csp_layout_paragraph(r->L, "No discrepancies: every file, figure and "
                                   "update was accepted and consistent.");
        return;
    }
    dq_counts n;
    if (!dq_count(r, &n))
        return;
    size_t e = n.sev[CSP_SEV_ERROR], w = n.sev[CSP_SEV_WARNING],
           i = n.sev[CSP_SEV_INFO];
    char g[4][CSP_DECIMAL_GROUPED_BUFSZ];
    csp_layout_heading(r->L, 1, "Discrepancies", NULL, CSP_TOC_YES);
    char *s =
        csp_rep_fmt(r,
                    "%s discrepanc%s: %s error%s (a file, figure or update "
                    "refused, or a figure disputed), %s warning%s (a figure "
                    "corrected or not from its owner), %s for information.",
                    csp_out_count_text(dl->count, g[0]),
                    dl->count == 1 ? "y" : "ies", csp_out_count_text(e, g[1]),
                    e == 1 ? "" : "s", csp_out_count_text(w, g[2]),
                    w == 1 ? "" : "s", csp_out_count_text(i, g[3]));
    if (s)
        csp_layout_paragraph(r->L, s);
    free(s);
    codes_table(r, &n);
    agencies_table(r, &n);
    if (n.listable)
        listed_table(r, &n);
    size_t more = n.listable > CSP_REPORT_LISTED_MAX
                      ? n.listable - CSP_REPORT_LISTED_MAX
                      : 0;
    if (more && i)
        s = csp_rep_fmt(
            r,
            "%zu more error%s and warning%s, and the %zu diagnostic%s for "
            "information, are not listed here: every diagnostic is in "
            "discrepancies.csv and on the Discrepancies sheet of the "
            "workbook.",
            more, more == 1 ? "" : "s", more == 1 ? "" : "s", i,
            i == 1 ? "" : "s");
    else if (more)
        s = csp_rep_fmt(
            r,
            "%zu more error%s and warning%s are not listed here: every "
            "diagnostic is in discrepancies.csv and on the Discrepancies "
            "sheet of the workbook.",
            more, more == 1 ? "" : "s", more == 1 ? "" : "s");
    else if (i)
        s = csp_rep_fmt(
            r,
            "The %zu diagnostic%s for information %s counted above, not "
            "listed: every diagnostic is in discrepancies.csv and on the "
            "Discrepancies sheet of the workbook.",
            i, i == 1 ? "" : "s", i == 1 ? "is" : "are");
    else
        s = NULL;
    if (s) {
        csp_layout_skip(r->L, 4);
        csp_layout_paragraph(r->L, s);
    }
    free(s);
    free(n.by_agency);
}

/* The data quality section. */
void csp_rep_data_quality(csp_rep *r)
{
    const csp_dataset *ds = r->ds;
    csp_layout *L = r->L;
    csp_rep_chapter_page(r, 120);
    csp_layout_heading(L, 0, "Data quality", NULL, CSP_TOC_YES);
    csp_rep_files n;
    csp_rep_count_files(ds, &n);
    char g[7][CSP_DECIMAL_GROUPED_BUFSZ];
    char *s =
        csp_rep_fmt(r,
                    "%s file%s received: %s used, %s refused whole, %s "
                    "duplicate%s. %s figure%s and %s progress update%s "
                    "accepted; %s item%s refused. Each file is identified by "
                    "its SHA-256 checksum, so that it can be matched with the "
                    "partner's copy.",
                    csp_out_count_text(ds->nfiles, g[0]),
                    ds->nfiles == 1 ? "" : "s", csp_out_count_text(n.used, g[1]),
                    csp_out_count_text(n.refused, g[2]),
                    csp_out_count_text(n.dups, g[3]), n.dups == 1 ? "" : "s",
                    csp_out_count_text(n.obs, g[4]), n.obs == 1 ? "" : "s",
                    csp_out_count_text(n.upd, g[5]), n.upd == 1 ? "" : "s",
                    csp_out_count_text(n.items, g[6]),
                    n.items == 1 ? "" : "s");
    if (s) {
        csp_layout_paragraph(L, s);
        free(s);
    }
    submissions_table(r);
    skipped_paragraph(r);
    discrepancies(r);
}
