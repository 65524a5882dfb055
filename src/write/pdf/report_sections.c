/* csppack: the PDF reports' cover, key findings and action plan. */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/write/pdf/chart.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/table.h"

/* ---- Cover --------------------------------------------------------------- */

/* The range of submitted dates of the files that count. */
static size_t submissions_span(const csp_dataset *ds, csp_date *first,
                               csp_date *last)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused || !f->has_submitted || f->duplicate_of != CSP_NO_INDEX)
            continue;
        csp_date d = csp_rep_instant_date(f->submitted, NULL, NULL);
        if (n == 0 || d < *first)
            *first = d;
        if (n == 0 || d > *last)
            *last = d;
        n++;
    }
    return n;
}

/* Wrap and draw text with its top at (x, y) in a width; the height. */
double csp_rep_text_box(csp_rep *r, const csp_text_style *st, double x,
                        double y, double w, const char *text)
{
    return csp_layout_text_box(r->L, st, x, y, w, text);
}

/* "Prepared from 7 partner submissions received between ..."; malloc'd. */
char *csp_rep_prepared_from(csp_rep *r)
{
    csp_date first = 0, last = 0;
    size_t nsub = submissions_span(r->ds, &first, &last);
    char d1[CSP_DATE_WORDS_BUFSZ], d2[CSP_DATE_WORDS_BUFSZ];
    csp_date_words(first, false, d1);
    csp_date_words(last, false, d2);
    csp_rep_nbsp_dates(d1);
    csp_rep_nbsp_dates(d2);
    if (nsub == 0)
        return csp_rep_fmt(r, "No partner submission could be used.");
    if (first == last)
        return csp_rep_fmt(
            r, "Prepared from %zu partner submission%s received on %s.", nsub,
            nsub == 1 ? "" : "s", d1);
    return csp_rep_fmt(r,
                       "Prepared from %zu partner submissions received "
                       "between %s and %s.",
                       nsub, d1, d2);
}

/* The cover page. */
void csp_rep_cover(csp_rep *r)
{
    csp_layout *L = r->L;
    const csp_template *tpl = r->tpl;
    double pw = csp_layout_page_width(L), ph = csp_layout_page_height(L);
    double x = csp_layout_left(L), w = csp_layout_width(L);
    csp_layout_page(L, CSP_PAGE_COVER);
    csp_layout_mark(L, 0, "Cover", CSP_TOC_NO);
    /* The coloured block, and a stripe per theme under it. */
    double block = 318;
    csp_layout_fill_rect(L, &r->accent, 0, ph - block, pw, block);
    csp_rep_theme_stripes(r, ph - block - 9, 9);
    csp_text_style small_white = {CSP_FACE_BOLD, 9.5, 13, white};
    csp_text_style title = {CSP_FACE_BOLD, 27, 33, white};
    csp_text_style sub = {CSP_FACE_REGULAR, 13, 17, white};
    /* A long title is set smaller, to stay within the block. */
    while (title.size > 14 &&
           csp_layout_text_height(L, &title, w * 0.92, tpl->title) > 140) {
        title.size -= 2;
        title.leading = title.size * 1.22;
    }
    csp_rep_text_box(r, &small_white, x, ph - 60, w, tpl->partnership);
    /* Recorded as it reads: the title first, then what it is. */
    csp_rep_rec_para(r, CSP_DOC_TITLE, tpl->title);
    csp_rep_rec_para(r, CSP_DOC_SUBTITLE, tpl->subtitle);
    csp_rep_rec_para(r, CSP_DOC_LEAD, tpl->partnership);
    csp_rep_rec_para(r, CSP_DOC_LEAD,
                     csp_template_label(tpl, CSP_LABEL_ANNUAL_REPORT));
    double y = ph - 126;
    y -= csp_rep_text_box(r, &title, x, y, w * 0.92, tpl->title);
    if (tpl->subtitle)
        csp_rep_text_box(r, &sub, x, y - 8, w * 0.92, tpl->subtitle);

    /* What this document is, and for when. */
    char phrase[CSP_LABEL_BUFSZ] = "";
    if (r->has_period)
        csp_kf_phrase(&r->kf, r->period, phrase);
    y = ph - block - 58;
    csp_text_style kind = {CSP_FACE_BOLD, 12, 16, r->accent};
    csp_text_style big = {CSP_FACE_BOLD, 24, 29, {0.13f, 0.13f, 0.13f}};
    csp_text_style body = csp_style_body;
    body.size = 10.5;
    body.leading = 15;
    csp_layout_text_at(L, &kind, x, y,
                       csp_template_label(tpl, CSP_LABEL_ANNUAL_REPORT));
    y -= 31;
    /* The year, in words ("Year ending 30 September 2016"), or as the
     * strategy writes its financial or calendar years ("2016/17"). */
    if (r->has_period) {
        char cap[CSP_LABEL_BUFSZ];
        snprintf(cap, sizeof cap, "%s", csp_rep_no_article(phrase));
        if (cap[0] >= 'a' && cap[0] <= 'z')
            cap[0] = (char)(cap[0] - 'a' + 'A');
        y -= csp_rep_text_box(r, &big, x, y + big.size, w, cap) - big.leading;
        y -= 22;
        csp_rep_rec_para(r, CSP_DOC_SUBTITLE, cap);
    } else {
        csp_layout_text_at(L, &big, x, y, "No figures received yet");
        y -= 22;
        csp_rep_rec_para(r, CSP_DOC_STRONG, "No figures received yet");
    }
    char *s = csp_rep_prepared_from(r);
    if (s) {
        y -= csp_rep_text_box(r, &body, x, y + body.size, w, s);
        csp_rep_rec_para(r, CSP_DOC_BODY, s);
        free(s);
    }
    y -= 6;
    csp_text_style note = csp_style_small;
    note.leading = 11;
    static const char cover_note[] =
        "Figures are those that stand after reconciling every "
        "submission; provisional, estimated, missing and disputed "
        "figures are marked wherever they appear, and so are "
        "figures the partnership calculated (" CSP_KF_ORIGIN_MARK "). The "
        "data quality "
        "section lists every submission received and every "
        "discrepancy found.";
    y -= csp_rep_text_box(r, &note, x, y + note.size, w, cover_note);
    csp_rep_rec_para(r, CSP_DOC_NOTE, cover_note);
    /* Where the accessible version is (not recorded: it is that one). */
    csp_rep_html_line(r, x, y + note.size - 6, w);
    csp_text_style pn = {CSP_FACE_BOLD, 10, 13, r->accent};
    double ph2 = csp_layout_text_height(L, &pn, w, tpl->partnership);
    csp_rep_text_box(r, &pn, x, csp_layout_bottom(L) + 10 + ph2, w,
                     tpl->partnership);
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, csp_template_label(tpl, CSP_LABEL_CONTENTS), NULL,
                       CSP_TOC_NO);
    csp_layout_contents_here(L);
}

/* ---- Key findings -------------------------------------------------------- */

/* The % change column's header ("% change 2015/16 to 2016/17"). */
static char *change_header(csp_rep *r)
{
    char *s = csp_kf_change_header(r->tpl, &r->kf);
    if (!s)
        r->err = CSP_ERR_NOMEM;
    return s;
}

/* A key-findings cell: the value and a mark for anything not final, and
 * for a figure csppack worked out (noted in @p lg). */
static char *kf_value(csp_rep *r, const csp_figure *f, bool *marked,
                      csp_kf_legend *lg)
{
    if (!f || f->state == CSP_FIGURE_NONE)
        return csp_rep_fmt(r, "\xE2\x80\x93");
    if (f->state == CSP_FIGURE_DISPUTED) {
        *marked = true;
        return csp_rep_fmt(r, "disputed");
    }
    if (!f->has_value) {
        *marked = true;
        return csp_rep_fmt(r, "missing");
    }
    char v[64];
    csp_rep_value_text(r->tpl, f, v, sizeof v);
    const char *mine = csp_rep_origin_note(r, lg, f);
    if (f->status == CSP_OBS_PROVISIONAL) {
        *marked = true;
        return csp_rep_fmt(r, "%s p%s", v, mine);
    }
    if (f->status == CSP_OBS_ESTIMATED) {
        *marked = true;
        return csp_rep_fmt(r, "%s e%s", v, mine);
    }
    return csp_rep_fmt(r, "%s%s", v, mine);
}

/* Series colours for areas in charts (colour-blind safe, distinct in
 * grey). */
static const csp_rgb area_colours[] = {
    {0.00f, 0.35f, 0.55f}, {0.90f, 0.60f, 0.00f}, {0.55f, 0.75f, 0.90f},
    {0.35f, 0.20f, 0.45f}, {0.00f, 0.60f, 0.50f}, {0.80f, 0.40f, 0.00f}};
#define NAREA_COLOURS (sizeof area_colours / sizeof *area_colours)

/* Charts of the key-findings rows: one per row, each with its own scale
 * (crimes against society, about 500, beside totals of about 8,000),
 * a line per area, broken where no figure stands. */
static void kf_charts(csp_rep *r)
{
    csp_layout *L = r->L;
    const csp_kf *kf = &r->kf;
    const csp_key_findings *k = &r->tpl->key_findings;
    if (kf->nperiods == 0 || k->nrows == 0 || kf->nareas == 0)
        return;
    size_t per_row = k->nrows < 3 ? k->nrows : 3;
    double gap = 14, w = csp_layout_width(L);
    double cw = (w - gap * (double)(per_row - 1)) / (double)per_row;
    double ch = 150;
    size_t nrowsc = (k->nrows + per_row - 1) / per_row;
    csp_layout_need(L, 36 + (double)nrowsc * (ch + 8) + 20);
    /* A section of the key findings beside the areas' tables, not one
     * of the last area's: its bookmark sits under the key findings. */
    csp_layout_heading(L, 1, csp_template_label(r->tpl, CSP_LABEL_TRENDS),
                       NULL, CSP_TOC_YES);
    char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ];
    const char *cats[CSP_KF_MAX_YEARS];
    for (size_t p = 0; p < kf->nperiods; p++) {
        csp_kf_label(kf, kf->periods[p], labels[p]);
        cats[p] = labels[p];
    }
    /* The reports show the top-level areas (not the wards inside them). */
    size_t ns = 0;
    size_t *top = csp_calloc(kf->nareas, sizeof *top);
    const char **series = csp_calloc(kf->nareas, sizeof *series);
    csp_rgb *colours = csp_calloc(kf->nareas, sizeof *colours);
    double *values = csp_calloc(kf->nareas * kf->nperiods, sizeof *values);
    /* The figures as the tables print them, for the HTML's table. */
    char(*vbuf)[64] = csp_calloc(kf->nareas * kf->nperiods, sizeof *vbuf);
    const char **vtext =
        csp_calloc(kf->nareas * kf->nperiods, sizeof *vtext);
    if (!top || !series || !colours || !values || !vbuf || !vtext) {
        r->err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t a = 0; a < kf->nareas; a++)
        if (kf->areas[a].area->depth == 0)
            top[ns++] = a;
    for (size_t a = 0; a < ns; a++) {
        series[a] = kf->areas[top[a]].area->name;
        colours[a] = area_colours[a % NAREA_COLOURS];
    }
    bool holes = false;
    for (size_t row = 0; row < k->nrows; row++) {
        size_t col = row % per_row;
        if (col == 0 && row > 0)
            csp_layout_skip(L, ch + 8);
        for (size_t p = 0; p < kf->nperiods; p++)
            for (size_t a = 0; a < ns; a++) {
                const csp_figure *f =
                    kf->areas[top[a]].lines[row].values[p];
                double v = -1;
                vtext[p * ns + a] = NULL;
                if (f && f->state == CSP_FIGURE_STANDS && f->has_value) {
                    csp_rep_value_text(r->tpl, f, vbuf[p * ns + a],
                                       sizeof *vbuf);
                    vtext[p * ns + a] = vbuf[p * ns + a];
                    v = (double)f->value.units;
                    for (unsigned s = 0; s < f->value.scale; s++)
                        v /= 10;
                }
                values[p * ns + a] = v;
                holes |= v < 0;
            }
        char *desc = csp_rep_fmt(r,
                                 "Line chart of %s by year for each area; "
                                 "the figures are in the tables above.",
                                 k->rows[row].label);
        csp_chart c = {k->rows[row].label,
                       cats,
                       kf->nperiods,
                       series,
                       ns,
                       values,
                       colours,
                       false,
                       true,
                       vtext,
                       desc};
        csp_layout_chart(L, &c, csp_layout_left(L) + (cw + gap) * (double)col,
                         csp_layout_y(L), cw, ch);
        free(desc);
    }
    csp_layout_skip(L, ch + 6);
    /* One legend for all the charts. */
    double lx = csp_layout_left(L), ly = csp_layout_y(L) - 8;
    csp_text_style ls = csp_style_label;
    ls.colour = (csp_rgb){0.13f, 0.13f, 0.13f};
    double right = csp_layout_left(L) + csp_layout_width(L);
    for (size_t a = 0; a < ns && !r->err; a++) {
        double lw = 10 + csp_layout_text_width(L, ls.face, ls.size, series[a]);
        char *cut = NULL;
        if (lw + 12 > right - csp_layout_left(L)) {
            /* A name longer than the line: shortened, not off the page. */
            cut = csp_layout_fit_text(L, &ls, series[a],
                                      right - csp_layout_left(L) - 12);
            if (!cut) {
                r->err = CSP_ERR_NOMEM;
                break;
            }
            lw = 10 + csp_layout_text_width(L, ls.face, ls.size, cut);
        }
        if (a > 0 && lx + lw > right) {
            lx = csp_layout_left(L);
            ly -= 12;
            csp_layout_skip(L, 12);
        }
        csp_layout_line(L, &colours[a], 1.6, lx - 2, ly + 2.6, lx + 9,
                        ly + 2.6);
        csp_layout_draw_mark(L, csp_chart_series_mark(a), &colours[a], lx + 3.5,
                             ly + 2.6, 6);
        csp_layout_text_at(L, &ls, lx + 12, ly, cut ? cut : series[a]);
        free(cut);
        lx += lw + 16;
    }
    csp_layout_skip(L, 20);
    if (holes)
        csp_layout_text_block(L, &csp_style_small, 0,
                              "A break in a line: no figure stands for that "
                              "year (missing, disputed or not received; see "
                              "the tables above).");
out:
    free(top);
    free(series);
    free(colours);
    free(values);
    free(vbuf);
    free(vtext);
}

/* Most years a key-findings table shows across the page. */
#define KF_YEARS_ACROSS 8

/* One area's key-findings table, or a part of it: the category, the
 * years @p from to @p to (exclusive), and, with @p chg (the change
 * column's header), the change and the rate.  The area's name heads the
 * first part only. */
static void kf_table(csp_rep *r, const csp_kf_area *ka, size_t from,
                     size_t to, const char *chg, bool *marked,
                     csp_kf_legend *lg)
{
    const csp_kf *kf = &r->kf;
    size_t ny = to - from, ncols = ny + 1 + (chg ? 2 : 0);
    csp_table_col cols[CSP_KF_MAX_YEARS + 3];
    char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ], rate[CSP_LABEL_BUFSZ];
    csp_kf_rate_header(r->tpl, rate);
    cols[0] = (csp_table_col)COL(
        csp_template_label(r->tpl, CSP_LABEL_KF_CATEGORY), 2.2, false,
        CSP_ALIGN_LEFT);
    for (size_t p = 0; p < ny; p++) {
        csp_kf_label(kf, kf->periods[from + p], labels[p]);
        cols[p + 1] = (csp_table_col)COL(labels[p], 1, false, CSP_ALIGN_RIGHT);
    }
    if (chg) {
        cols[ny + 1] = (csp_table_col)COL(chg, 1.15, false, CSP_ALIGN_RIGHT);
        cols[ny + 2] = (csp_table_col)COL(rate, 1, false, CSP_ALIGN_RIGHT);
    }
    csp_table *t =
        csp_table_begin(r->L, from == 0 ? ka->area->name : NULL, cols, ncols,
                        NULL);
    csp_table_row_headers(t, true);
    for (size_t li = 0; li < ka->nlines && t; li++) {
        const csp_kf_line *ln = &ka->lines[li];
        csp_table_cell cells[CSP_KF_MAX_YEARS + 3];
        char *owned[CSP_KF_MAX_YEARS + 3] = {0};
        memset(cells, 0, sizeof cells);
        cells[0].text = ln->row->label;
        for (size_t p = 0; p < ny; p++)
            cells[p + 1].text = owned[p + 1] =
                kf_value(r, ln->values[from + p], marked, lg);
        char chbuf[CSP_DECIMAL_BUFSZ + 1] = "\xE2\x80\x93";
        if (chg && ln->has_change)
            csp_kf_format_change(ln->change, chbuf);
        if (chg) {
            cells[ny + 1].text = chbuf;
            cells[ny + 2].text = owned[ny + 2] =
                kf_value(r, ln->rate, marked, lg);
        }
        csp_table_row(t, cells, false);
        for (size_t c = 0; c < ncols; c++)
            free(owned[c]);
    }
    csp_table_end(t);
}

/* The key findings: per-area tables, charts; the narrative in the
 * strategy. */
void csp_rep_key_findings(csp_rep *r, bool narrative, bool new_page)
{
    csp_layout *L = r->L;
    const csp_key_findings *k = &r->tpl->key_findings;
    const csp_kf *kf = &r->kf;
    if (new_page)
        csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_header_name(L, k->short_title);
    csp_layout_heading(
        L, 0, k->title ? k->title : "Key findings of the strategic assessment",
        NULL, CSP_TOC_YES);
    if (narrative)
        csp_rep_blocks(r, k->intro, k->nintro, 0, NULL);
    if (kf->nperiods == 0 || k->nrows == 0) {
        csp_layout_paragraph(L, "No year-ending figures for the key findings "
                                "were received.");
    } else {
        char *chg = change_header(r);
        if (!chg)
            return;
        /* Up to 8 years fit across the page beside the category, the
         * change and the rate; more are printed in two parts, the
         * earlier years first. */
        size_t split = kf->nperiods > KF_YEARS_ACROSS
                           ? (kf->nperiods + 1) / 2
                           : 0;
        bool marked = false;
        csp_kf_legend lg;
        csp_kf_legend_init(&lg);
        lg.plain = true; /* both documents are read outside the team */
        for (size_t a = 0; a < kf->nareas && !r->err; a++) {
            const csp_kf_area *ka = &kf->areas[a];
            if (ka->area->depth > 0)
                continue; /* the reports show top-level areas */
            csp_layout_need(L, 26 + (split ? 2 : 1) *
                                       (24 + 18 * (double)ka->nlines));
            csp_layout_mark(L, 1, ka->area->name, CSP_TOC_YES);
            if (split)
                kf_table(r, ka, 0, split, NULL, &marked, &lg);
            kf_table(r, ka, split, kf->nperiods, chg, &marked, &lg);
            csp_rep_origin_legend_draw(r, &lg);
        }
        csp_kf_legend_free(&lg);
        free(chg);
        if (marked)
            csp_layout_text_block(L, &csp_style_small, 0,
                                  "p provisional; e estimated; missing: "
                                  "the partner reported the figure as not "
                                  "available; disputed: partners' figures "
                                  "disagree and none stands (see Data "
                                  "quality); \xE2\x80\x93 no figure.");
        csp_layout_skip(L, 4);
        kf_charts(r);
    }
    if (narrative)
        csp_rep_blocks(r, k->outro, k->noutro, 0, NULL);
}

/* ---- Action plan -----------------------------------------------------------
 */

/* A legend of the action statuses. */
static void status_legend(csp_rep *r)
{
    csp_layout *L = r->L;
    csp_layout_need(L, 24);
    double x = csp_layout_left(L), y = csp_layout_y(L) - 12;
    csp_text_style ls = csp_style_table; /* the key reads as the table */
    csp_text_style lb = ls;
    lb.face = CSP_FACE_BOLD;
    csp_layout_text_at(L, &lb, x, y, "Status:");
    x += csp_layout_text_width(L, lb.face, lb.size, "Status:") + 10;
    for (size_t i = 0; i < sizeof csp_rep_act_order / sizeof *csp_rep_act_order;
         i++) {
        const csp_rep_look *lk = &csp_rep_act_look[csp_rep_act_order[i]];
        csp_layout_draw_mark(L, lk->mark, &lk->colour, x + 3.5, y + 2.7, 7);
        csp_layout_text_at(L, &ls, x + 10, y, lk->label);
        x += 10 + csp_layout_text_width(L, ls.face, ls.size, lk->label) + 14;
    }
    csp_layout_draw_mark(L, csp_rep_no_update_look.mark,
                         &csp_rep_no_update_look.colour, x + 3.5, y + 2.7, 7);
    csp_layout_text_at(L, &ls, x + 10, y, csp_rep_no_update_look.label);
    csp_layout_set_y(L, y - 12);
    /* The same key in the recorded document. */
    csp_doc_key keys[CSP_REP_NSTATUS + 1];
    for (size_t i = 0; i <= CSP_REP_NSTATUS; i++) {
        const csp_rep_look *lk = i < CSP_REP_NSTATUS
                                     ? &csp_rep_act_look[csp_rep_act_order[i]]
                                     : &csp_rep_no_update_look;
        keys[i] = (csp_doc_key){lk->mark, lk->colour, (char *)lk->label};
    }
    csp_doc_keys(csp_layout_doc(L), "Status:", keys, CSP_REP_NSTATUS + 1);
}

/* One current update of an item (u NULL: none): status, text and "as
 * of" note (both malloc'd, the caller frees them after the row); the
 * W408 remark goes with the update that decides (first). */
static void progress_cells(csp_rep *r, const csp_dataset_action *a,
                           const csp_dataset_update *u, csp_table_cell *status,
                           csp_table_cell *progress, char **note, char **text)
{
    *note = NULL;
    *text = NULL;
    if (!u) {
        status->text = csp_rep_no_update_look.label;
        status->mark = csp_rep_no_update_look.mark;
        status->mark_colour = &csp_rep_no_update_look.colour;
        status->colour = &grey_text;
        progress->text = "No progress reported.";
        progress->colour = &grey_text;
        return;
    }
    const csp_rep_look *lk = &csp_rep_act_look[u->status];
    status->text = lk->label;
    status->mark = lk->mark;
    status->mark_colour = &lk->colour;
    csp_error e = csp_dataset_update_progress(r->ds, u, text);
    if (e != CSP_OK) {
        r->err = e;
        return;
    }
    if (r->kind == CSP_REPORT_BOARD &&
        strlen(*text) > CSP_REP_BOARD_PROGRESS_MAX) {
        /* The board reads the gist; a 4 KB update would fill a page. */
        char *cut =
            csp_rep_short_text(r, *text, CSP_REP_BOARD_PROGRESS_MAX, true);
        if (!cut)
            return;
        free(*text);
        *text = cut;
    }
    progress->text = *text;
    char d[CSP_DATE_WORDS_BUFSZ];
    bool decides = u == &a->updates[a->current];
    csp_date_words(u->as_of, true, d);
    *note = csp_rep_fmt(
        r, "As of %s \xC2\xB7 %s%s", d, csp_rep_agency_name(r->tpl, u->agency),
        a->tie && decides ? " \xC2\xB7 conflicting statuses reported (W408)"
                          : "");
    progress->note = *note;
}

/* The coordinating groups as printed, or their names joined. */
char *csp_rep_groups_label(csp_rep *r, const csp_action *a)
{
    if (a->groups_label)
        return csp_rep_fmt(r, "%s", a->groups_label);
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    for (size_t i = 0; i < a->ngroups && !err; i++) {
        const csp_group *g = csp_template_group(r->tpl, a->groups[i]);
        err = csp_strbuf_printf(&sb, "%s%s", i ? ", " : "",
                                g ? (g->short_name ? g->short_name : g->name)
                                  : a->groups[i]);
    }
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* The strategic-assessment priorities as printed, or their names. */
static char *priorities_label(csp_rep *r, const csp_action *a)
{
    if (a->priorities_label)
        return csp_rep_fmt(r, "%s", a->priorities_label);
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    for (size_t i = 0; i < a->npriorities && !err; i++) {
        const char *name = a->priorities[i];
        for (size_t k = 0; k < r->tpl->npriorities; k++)
            if (strcmp(r->tpl->priorities[k].id, a->priorities[i]) == 0)
                name = r->tpl->priorities[k].name;
        err = csp_strbuf_printf(&sb, "%s%s", i ? ", " : "", name);
    }
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* The strategy's action plan table of one theme. */
static void action_table(csp_rep *r, size_t ti, bool board)
{
    const csp_dataset *ds = r->ds;
    const csp_rgb *accent = csp_rep_theme_colour(r, ti);
    /* A joint action has a row per agency's current update, kept
     * together: the item's own cells run down beside them (the ref too,
     * so that it is read first). */
    const csp_template *tpl = r->tpl;
    const char *ref = csp_template_label(tpl, CSP_LABEL_ACTION_REF);
    const char *plan = csp_template_label(tpl, CSP_LABEL_ACTION_PLAN);
    /* On a landscape page: the action text gets the most room, the
     * group and priority columns what their header needs on two lines. */
    const csp_table_col full[] = {
        SPAN_FIT_COL(ref),
        SPAN_COL(plan, 3.2),
        SPAN_COL(csp_template_label(tpl, CSP_LABEL_ACTION_GROUP), 1.15),
        SPAN_COL(csp_template_label(tpl, CSP_LABEL_PRIORITY), 1.15),
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Latest progress", 3.0, false, CSP_ALIGN_LEFT),
    };
    const csp_table_col brief[] = {
        SPAN_FIT_COL(ref),
        SPAN_COL(plan, 2.4),
        SPAN_COL(csp_template_label(tpl, CSP_LABEL_DELIVERY_GROUP), 1.1),
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Latest progress", 3.4, false, CSP_ALIGN_LEFT),
    };
    char *title = csp_rep_theme_title(r, ti);
    if (!title)
        return;
    csp_table *t = csp_table_begin(r->L, title, board ? brief : full,
                                   board ? 5 : 6, accent);
    csp_table_mark(t, 1, title, CSP_TOC_YES);
    csp_table_two_line_header(t, !board);
    /* The board's progress runs to half a page: a long one splits
     * rather than leave a page short. */
    csp_table_split_on_short_page(t, board);
    size_t rows = 0;
    for (size_t i = 0; i < ds->nactions && t && !r->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        if (a->theme != ti)
            continue;
        size_t n = a->ncurrent ? a->ncurrent : 1;
        /* The yearly document shows the progress that stood at the
         * year's end (the update that decided the status then): later
         * updates belong to the next year's. */
        size_t stood = CSP_NO_INDEX;
        bool later = r->kind == CSP_REPORT_STRATEGY && r->has_period &&
                     a->current < a->nupdates &&
                     a->updates[a->current].as_of > r->period.end;
        if (later) {
            bool tie;
            stood = csp_dataset_action_current_by(a, r->period.end, &tie);
            n = 1;
        }
        for (size_t k = 0; k < n && !r->err; k++) {
            csp_table_cell cells[6];
            memset(cells, 0, sizeof cells);
            char *note = NULL, *text = NULL, *glabel = NULL, *plabel = NULL;
            const csp_dataset_update *u =
                !later                  ? csp_dataset_action_current(a, k)
                : stood == CSP_NO_INDEX ? NULL
                                        : &a->updates[stood];
            size_t sc = board ? 3 : 4;
            if (k == 0) {
                cells[0].text = a->ref;
                cells[0].face = CSP_FACE_BOLD;
                cells[1].text = a->action->text;
                cells[2].text = glabel = csp_rep_groups_label(r, a->action);
                if (!board)
                    cells[3].text = plabel = priorities_label(r, a->action);
            }
            progress_cells(r, a, u, &cells[sc], &cells[sc + 1], &note, &text);
            if (!r->err)
                csp_table_row(t, cells, k + 1 < n);
            free(note);
            free(text);
            free(glabel);
            free(plabel);
        }
        rows++;
    }
    if (rows == 0 && t) {
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        cells[1].text = "No actions in the plan for this theme.";
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
    free(title);
}

/* Counts of items per status and theme (board pack). */
static void status_summary(csp_rep *r)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset *ds = r->ds;
    enum { NS = 5 };
    const csp_table_col cols[] = {
        COL(csp_template_label(tpl, CSP_LABEL_THEME_KICKER), 3.0, false,
            CSP_ALIGN_LEFT),
        COL("Complete", 1, false, CSP_ALIGN_LEFT),
        COL("On track", 1, false, CSP_ALIGN_LEFT),
        COL("At risk", 1, false, CSP_ALIGN_LEFT),
        COL("Off track", 1, false, CSP_ALIGN_LEFT),
        COL("Not started", 1, false, CSP_ALIGN_LEFT),
        COL("No update", 1, false, CSP_ALIGN_LEFT),
        COL("Items", 0.7, false, CSP_ALIGN_RIGHT),
    };
    csp_table *t = csp_table_begin(r->L, "Items by status", cols, 8, NULL);
    csp_table_row_headers(t, true);
    size_t tot[NS + 2] = {0};
    for (size_t ti = 0; ti <= tpl->nthemes && t && !r->err; ti++) {
        size_t n[NS + 2] = {0};
        if (ti < tpl->nthemes) {
            for (size_t i = 0; i < ds->nactions; i++) {
                const csp_dataset_action *a = &ds->actions[i];
                if (a->theme != ti)
                    continue;
                size_t k = NS;
                if (a->current != CSP_NO_INDEX && a->current < a->nupdates)
                    for (size_t s = 0; s < NS; s++)
                        if (csp_rep_act_order[s] ==
                            a->updates[a->current].status)
                            k = s;
                n[k]++;
                n[NS + 1]++;
            }
            for (size_t s = 0; s < NS + 2; s++)
                tot[s] += n[s];
        } else {
            memcpy(n, tot, sizeof n);
        }
        csp_table_cell cells[8];
        char num[NS + 2][24];
        char *title =
            ti < tpl->nthemes
                ? csp_rep_theme_title(r, ti)
                : csp_rep_fmt(r, "%s",
                              csp_template_label(tpl, CSP_LABEL_ALL_THEMES));
        memset(cells, 0, sizeof cells);
        cells[0].text = title;
        cells[0].face = ti < tpl->nthemes ? CSP_FACE_REGULAR : CSP_FACE_BOLD;
        for (size_t s = 0; s < NS + 2; s++) {
            snprintf(num[s], sizeof num[s], "%zu", n[s]);
            cells[s + 1].text = num[s];
            cells[s + 1].face =
                ti < tpl->nthemes ? CSP_FACE_REGULAR : CSP_FACE_BOLD;
            if (s < NS + 1 && n[s] > 0) {
                const csp_rep_look *lk =
                    s < NS ? &csp_rep_act_look[csp_rep_act_order[s]]
                           : &csp_rep_no_update_look;
                cells[s + 1].mark = lk->mark;
                cells[s + 1].mark_colour = &lk->colour;
                cells[s + 1].mark_word = lk->label;
            }
        }
        csp_table_row(t, cells, false);
        free(title);
    }
    csp_table_end(t);
}

/* The action plan section. */
void csp_rep_action_plan(csp_rep *r, bool board)
{
    csp_layout *L = r->L;
    if (board)
        csp_layout_page(L, CSP_PAGE_BODY); /* r->page_actions counts on it */
    else
        csp_layout_page(L, CSP_PAGE_LANDSCAPE); /* a wide table, as the
                                                   published plan */
    const csp_section *intro =
        csp_template_section(r->tpl, "action-plan-intro");
    if (board) {
        csp_layout_heading(L, 0,
                           csp_template_label(r->tpl, CSP_LABEL_ACTION_STATUS),
                           NULL, CSP_TOC_YES);
        status_summary(r);
    } else {
        csp_layout_heading(
            L, 0,
            intro && intro->title
                ? intro->title
                : csp_template_label(r->tpl, CSP_LABEL_ACTION_PLAN),
            NULL, CSP_TOC_YES);
        if (intro)
            csp_rep_blocks(r, intro->blocks, intro->nblocks, 0, NULL);
    }
    status_legend(r);
    for (size_t ti = 0; ti < r->tpl->nthemes && !r->err; ti++)
        action_table(r, ti, board);
    csp_layout_end_landscape(L); /* what follows is portrait */
}
