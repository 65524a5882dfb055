/* csppack: the PDF board pack and its measures dashboard. */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/strbuf.h"
#include "csppack/reconcile/judge.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/table.h"

/* ---- Measures ------------------------------------------------------------ */

/* Months in a period of whole months, or 0. */
static int whole_months(csp_period p)
{
    int ys, ms, ds, ye, me, de, yn, mn, dn;
    csp_date_to_ymd(p.start, &ys, &ms, &ds);
    csp_date_to_ymd(p.end, &ye, &me, &de);
    csp_date_to_ymd(p.end + 1, &yn, &mn, &dn);
    if (ds != 1 || dn != 1)
        return 0;
    return (ye - ys) * 12 + (me - ms) + 1;
}

/* Are two periods of the same kind (a quarter and a quarter...)? */
static bool comparable(csp_period a, csp_period b)
{
    int ma = whole_months(a), mb = whole_months(b);
    if (ma || mb)
        return ma == mb;
    return a.end - a.start == b.end - b.start;
}

/*
 * The change from the previous comparable period: "+3.1%" (or "+1.2 pts"
 * for a percentage) and, in *vs, "on Q1 2016/17".  NULL when there is no
 * comparable earlier figure.
 */
static char *measure_change(csp_rep *r, const csp_indicator *ind, size_t first,
                            size_t latest, char **vs)
{
    const csp_dataset *ds = r->ds;
    const csp_figure *f = &ds->figures[latest];
    *vs = NULL;
    if (f->state != CSP_FIGURE_STANDS || !f->has_value)
        return NULL;
    for (size_t j = latest; j-- > first;) {
        const csp_figure *g = &ds->figures[j];
        if (g->state != CSP_FIGURE_STANDS || !g->has_value ||
            !comparable(g->period, f->period) ||
            g->period.end >= f->period.start)
            continue;
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(g->period, label);
        char buf[CSP_DECIMAL_BUFSZ + 1];
        csp_decimal d;
        char *out;
        if (ind && ind->unit == CSP_UNIT_PERCENT) {
            csp_decimal neg = {-g->value.units, g->value.scale};
            if (csp_decimal_add(f->value, neg, &d) != CSP_OK)
                return NULL;
            csp_kf_format_change(d, buf);
            out = csp_rep_fmt(r, "%s pts", buf);
        } else {
            if (g->value.units == 0 ||
                csp_dataset_percent_change(g->value, f->value, 1, &d) != CSP_OK)
                return NULL;
            csp_kf_format_change(d, buf);
            out = csp_rep_fmt(r, "%s%%", buf);
        }
        if (out && !(*vs = csp_rep_fmt(r, "on %s", label))) {
            free(out);
            return NULL;
        }
        return out;
    }
    return NULL;
}

/* The latest figure of a series that says anything (stands or disputed),
 * ending by the document's period when one was asked for. */
static bool latest_figure(const csp_rep *r, size_t first, size_t count,
                          size_t *out)
{
    const csp_dataset *ds = r->ds;
    for (size_t j = first + count; j-- > first;)
        if (ds->figures[j].state != CSP_FIGURE_NONE &&
            (!r->cutoff || ds->figures[j].period.end <= r->period.end)) {
            *out = j;
            return true;
        }
    return false;
}

/* Rows a measure has at most: one per area and one for all areas. */
#define MAX_ROWS 64

/* The rows of a measure: per area with a figure (the partnership as a
 * whole last), the index of its latest figure, the first of its series
 * and the area; their number. */
static size_t measure_rows(const csp_rep *r, const char *id, size_t *latest,
                           size_t *firsts, const char **areas)
{
    const csp_template *tpl = r->tpl;
    size_t nrows = 0;
    for (size_t a = 0; a <= tpl->nareas && nrows < MAX_ROWS; a++) {
        if (a < tpl->nareas && tpl->areas[a].depth > 0)
            continue; /* the reports show top-level areas */
        const char *area = a < tpl->nareas ? tpl->areas[a].id : CSP_AREA_ALL;
        size_t first = 0, count = 0, li = 0;
        csp_dataset_series(r->ds, id, area, &first, &count);
        if (count && latest_figure(r, first, count, &li)) {
            latest[nrows] = li;
            firsts[nrows] = first;
            areas[nrows] = area;
            nrows++;
        }
    }
    return nrows;
}

/* The one row of a measure without figures: its name, dashes, "No
 * data" in the status column (the last but one) and why in the last. */
static void no_data_row(csp_table *t, const char *name, csp_table_cell *cells,
                        size_t ncols)
{
    memset(cells, 0, ncols * sizeof *cells);
    cells[0].text = name;
    for (size_t c = 1; c + 2 < ncols; c++) {
        cells[c].text = "\xE2\x80\x93";
        cells[c].colour = &grey_text;
    }
    cells[ncols - 2].text = "No data";
    cells[ncols - 2].mark = csp_rep_no_update_look.mark;
    cells[ncols - 2].mark_colour = &csp_rep_no_update_look.colour;
    cells[ncols - 2].colour = &grey_text;
    cells[ncols - 1].text = "No figures received.";
    cells[ncols - 1].colour = &grey_text;
    csp_table_row(t, cells, false);
}

/* The claims of a disputed figure, "The Police 652; NC 640". */
static char *claims_text(csp_rep *r, const csp_figure *f)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 20);
    csp_error err = csp_strbuf_puts(&sb, "Disputed: ");
    const csp_claim *cl = csp_dataset_claims(r->ds, f);
    for (size_t i = 0; i < f->nclaims && !err; i++) {
        const csp_claim *c = &cl[i];
        if (c->role != CSP_CLAIM_DISPUTED)
            continue;
        char v[CSP_DECIMAL_GROUPED_BUFSZ + 8] = "missing";
        if (c->has_value)
            csp_rep_decimal_text(
                r->tpl, csp_template_indicator(r->tpl, f->indicator),
                c->value, v, sizeof v);
        err = csp_strbuf_printf(&sb, "%s%s %s", i && sb.len > 10 ? "; " : "",
                                csp_rep_agency_name(r->tpl, c->agency), v);
    }
    if (!err)
        err = csp_strbuf_puts(&sb, ".");
    if (err) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    return csp_strbuf_take(&sb);
}

/* A measure row's notes: the claims of a disputed figure or the
 * partner's note, with the agency whose figure stands under it; the
 * text is malloc'd (the caller frees it after the row). */
static char *notes_cell(csp_rep *r, const csp_figure *f, csp_table_cell *c)
{
    char *notes = NULL;
    if (f->state == CSP_FIGURE_DISPUTED)
        notes = claims_text(r, f);
    else if (f->note)
        notes = csp_rep_fmt(r, "%s", f->note);
    c->text = notes;
    if (f->state == CSP_FIGURE_STANDS && !f->computed && f->agency)
        c->note = csp_rep_agency_name(r->tpl, f->agency);
    return notes;
}

/* The measures of a theme: latest figure per area, change, status. */
void csp_rep_measures_table(csp_rep *r, size_t ti, const char *title,
                            double tail)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset *ds = r->ds;
    const csp_theme *th = &tpl->themes[ti];
    const csp_rgb *accent = csp_rep_theme_colour(r, ti);
    static const csp_table_col cols[] = {
        SPAN_COL("Measure", 2.5),
        COL("Area", 0, true, CSP_ALIGN_LEFT),
        COL("Period", 0, true, CSP_ALIGN_LEFT),
        COL("Figure", 0, true, CSP_ALIGN_RIGHT),
        COL("Change", 0, true, CSP_ALIGN_RIGHT),
        COL("Data status", 0, true, CSP_ALIGN_LEFT),
        COL("Notes", 2.3, false, CSP_ALIGN_LEFT),
    };
    if (th->nmeasures == 0) {
        if (!title)
            csp_layout_heading(r->L, 1,
                               csp_template_label(tpl, CSP_LABEL_MEASURES),
                               accent, CSP_TOC_YES);
        csp_layout_paragraph(r->L, "The strategy sets no measures for this "
                                   "theme.");
        return;
    }
    csp_table *t = csp_table_begin(r->L, title, cols, 7, accent);
    csp_table_row_headers(t, true);
    if (!title) {
        /* The strategy's own heading, kept with the table. */
        char *tt = csp_rep_theme_title(r, ti);
        if (tt)
            csp_table_continued_title(t, tt);
        free(tt);
        csp_table_heading(t, 1, csp_template_label(tpl, CSP_LABEL_MEASURES),
                          accent, CSP_TOC_YES);
        csp_table_intro(t, "The latest figure received for each measure, by "
                           "area, with the change on the previous comparable "
                           "period where there is one.");
    }
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    lg.plain = true; /* the strategy report is published */
    for (size_t m = 0; m < th->nmeasures && t && !r->err; m++) {
        const char *id = th->measures[m];
        const csp_indicator *ind = csp_template_indicator(tpl, id);
        const char *name = csp_template_measure_label(tpl, th, m);
        /* The rows of this measure: one per area with figures. */
        size_t latest[MAX_ROWS], firsts[MAX_ROWS];
        const char *areas[MAX_ROWS];
        size_t nrows = measure_rows(r, id, latest, firsts, areas);
        csp_table_cell cells[7];
        if (nrows == 0) {
            no_data_row(t, name, cells, 7);
            continue;
        }
        for (size_t k = 0; k < nrows && !r->err; k++) {
            const csp_figure *f = &ds->figures[latest[k]];
            memset(cells, 0, sizeof cells);
            cells[0].text = k == 0 ? name : NULL;
            cells[1].text = csp_rep_area_name(tpl, areas[k]);
            char v[64] = "\xE2\x80\x93", label[CSP_LABEL_BUFSZ];
            if (f->state == CSP_FIGURE_STANDS && f->has_value) {
                csp_rep_value_text(tpl, f, v, sizeof v);
                strcat(v, csp_rep_origin_note(r, &lg, f));
            }
            csp_period_label(f->period, label);
            cells[2].text = label;
            cells[3].text = v;
            cells[3].face = CSP_FACE_BOLD;
            char *vs = NULL;
            char *chg = measure_change(r, ind, firsts[k], latest[k], &vs);
            cells[4].text = chg ? chg : "\xE2\x80\x93";
            cells[4].note = vs;
            csp_rep_look lk = csp_rep_figure_look(f);
            cells[5].text = lk.label;
            cells[5].mark = lk.mark;
            cells[5].mark_colour = &lk.colour;
            cells[5].note = f->state == CSP_FIGURE_STANDS && f->computed
                                ? "calculated"
                                : NULL;
            char *notes = notes_cell(r, f, &cells[6]);
            csp_table_row(t, cells, k + 1 < nrows);
            free(chg);
            free(vs);
            free(notes);
        }
    }
    /* What ends the chapter goes over with the last rows, and so does
     * the legend under them (and the space between). */
    char *legend = csp_kf_legend_take(&lg);
    if (lg.err)
        r->err = lg.err;
    if (tail > 0)
        csp_table_keep_tail(
            t, tail + 12 +
                   (legend ? csp_layout_text_height(
                                 r->L, &csp_style_small,
                                 csp_layout_width(r->L), legend)
                           : 0));
    csp_table_end(t);
    if (legend && !r->err)
        csp_layout_text_block(r->L, &csp_style_small, 0, legend);
    free(legend);
    csp_kf_legend_free(&lg);
}

/* ---- The board's dashboard ---------------------------------------------- */

/* A change as printed: "+3.1%" (of the comparator), "+1.3 pts" for a
 * percentage, or the difference when the comparator is zero; and its
 * sign. */
static char *change_text(csp_rep *r, const csp_indicator *ind,
                         const csp_judgement *j, int *sign)
{
    char buf[CSP_DECIMAL_BUFSZ + 1];
    *sign = j->change.units > 0 ? 1 : j->change.units < 0 ? -1 : 0;
    if (ind && ind->unit == CSP_UNIT_PERCENT) {
        csp_kf_format_change(j->change, buf);
        return csp_rep_fmt(r, "%s pts", buf);
    }
    if (j->has_percent) {
        csp_kf_format_change(j->percent, buf);
        return csp_rep_fmt(r, "%s%%", buf);
    }
    csp_kf_format_change(j->change, buf);
    return csp_rep_fmt(r, "%s", buf);
}

/* The revision of a figure since the last pack, or NULL. */
static const csp_revision *revision_of(const csp_dataset *ds,
                                       const csp_figure *f)
{
    for (size_t i = 0; i < ds->nrevisions; i++)
        if (ds->revisions[i].figure == f)
            return &ds->revisions[i];
    return NULL;
}

/* A decimal of the template's thresholds as printed, "5". */
static void pct_text(csp_decimal d, char buf[CSP_DECIMAL_BUFSZ])
{
    csp_decimal_format(d, buf);
}

/* A row of the legend: a bold label, then marks with their words,
 * wrapped within the text width. */
static void legend_row(csp_rep *r, const char *label, const csp_rep_look *lk,
                       const char *const *words, size_t n)
{
    csp_layout *L = r->L;
    csp_text_style ls = csp_style_label;
    ls.colour = (csp_rgb){0.13f, 0.13f, 0.13f};
    csp_text_style lb = ls;
    lb.face = CSP_FACE_BOLD;
    double x0 = csp_layout_left(L), right = x0 + csp_layout_width(L);
    double y = csp_layout_y(L) - 10;
    csp_layout_text_at(L, &lb, x0, y, label);
    double x = x0 + 92;
    for (size_t i = 0; i < n; i++) {
        double tw = csp_layout_text_width(L, ls.face, ls.size, words[i]);
        if (x > x0 + 92 && x + 10 + tw > right) {
            x = x0 + 92;
            y -= 11;
        }
        if (lk[i].mark != CSP_MARK_NONE)
            csp_layout_draw_mark(L, lk[i].mark, &lk[i].colour, x + 3.5,
                                 y + 2.7, 7);
        double tx = lk[i].mark != CSP_MARK_NONE ? x + 10 : x;
        csp_layout_text_at(L, &ls, tx, y, words[i]);
        x = tx + tw + 12;
    }
    csp_layout_set_y(L, y - 4);
    /* The same key in the recorded document (at most 5 entries). */
    csp_doc_key keys[5];
    for (size_t i = 0; i < n && i < 5; i++)
        keys[i] = (csp_doc_key){lk[i].mark, lk[i].colour, (char *)words[i]};
    csp_doc_keys(csp_layout_doc(L), label, keys, n < 5 ? n : 5);
}

/* The dashboard's legend: the shapes, the ratings and the thresholds
 * (the template's), and what "Compared with" and "Revised" mean. */
static void dashboard_legend(csp_rep *r)
{
    csp_layout *L = r->L;
    const csp_thresholds *th = &r->tpl->thresholds;
    char amber[CSP_DECIMAL_BUFSZ], same[CSP_DECIMAL_BUFSZ];
    pct_text(th->amber_within, amber);
    pct_text(th->no_change_within, same);
    csp_layout_need(L, 100);
    csp_rep_look dir[5] = {
        csp_rep_direction_look(CSP_DIR_BETTER, 1),
        csp_rep_direction_look(CSP_DIR_WORSE, -1),
        csp_rep_direction_look(CSP_DIR_SAME, 0),
        csp_rep_direction_look(CSP_DIR_UP, 1),
        csp_rep_direction_look(CSP_DIR_NONE, 0),
    };
    const char *dw[5] = {"went up", "went down", "no real change",
                         "green: better; red: worse;",
                         "grey: neither way is better"};
    dir[0].colour = dir[1].colour = dir[2].colour = grey_text;
    dir[1].mark = CSP_MARK_DOWN;
    dir[3].mark = dir[4].mark = CSP_MARK_NONE;
    legend_row(r, "Change", dir, dw, 5);
    csp_rep_look rt[4] = {csp_rep_rating_look(CSP_RATING_GREEN),
                          csp_rep_rating_look(CSP_RATING_AMBER),
                          csp_rep_rating_look(CSP_RATING_RED),
                          csp_rep_rating_look(CSP_RATING_GREY)};
    const char *rw[4] = {"Green", "Amber", "Red", "No target"};
    legend_row(r, "Rating", rt, rw, 4);
    char *s = csp_rep_fmt(
        r,
        "Each figure is compared with the same period a year earlier, "
        "unless the strategy names another comparator; \"None\" under "
        "Compared with: no figure for that period, so no change can be "
        "shown. A change within %s%% of the comparator is no real "
        "change. Against a target: Green on or better than it, Amber "
        "worse by at most %s%% of it, Red worse by more (a measure may set "
        "its own thresholds); No target: the "
        "strategy sets none for the measure (or no figure stands). "
        "Revised: the figure changed since the last pack. Data status "
        "says whether the partner's figure is final, provisional or "
        "estimated, not how the measure is doing.",
        same, amber);
    if (s) {
        csp_layout_skip(L, 2);
        csp_layout_text_block(L, &csp_style_small, 0, s);
    }
    free(s);
    csp_layout_skip(L, 8);
}

/* The board's measures of a theme: per area the latest figure, what it
 * is compared with, the change with its direction, the rating, the
 * data status and the partner's note. */
static void dashboard_table(csp_rep *r, size_t ti, const char *title)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset *ds = r->ds;
    const csp_theme *th = &tpl->themes[ti];
    static const csp_table_col cols[] = {
        SPAN_COL("Measure", 1.55),
        COL("Area", 0, true, CSP_ALIGN_LEFT),
        COL("Figure", 0, true, CSP_ALIGN_RIGHT),
        COL("Compared with", 0, true, CSP_ALIGN_RIGHT),
        /* These two wrap at their words ("No real change"), so that
         * the table keeps within the page; a data status is one short
         * phrase ("No data"), as wide as it is: at 9 pt a share of the
         * line broke it. */
        COL("Change", 0.72, false, CSP_ALIGN_LEFT),
        COL("Rating", 0.62, false, CSP_ALIGN_LEFT),
        COL("Data status", 0, true, CSP_ALIGN_LEFT),
        COL("Notes", 1.75, false, CSP_ALIGN_LEFT),
    };
    if (th->nmeasures == 0) {
        csp_layout_paragraph(r->L, "The strategy sets no measures for this "
                                   "theme.");
        return;
    }
    csp_table *t = csp_table_begin(r->L, title, cols, 8,
                                   csp_rep_theme_colour(r, ti));
    csp_table_row_headers(t, true);
    csp_table_mark(t, 1, title, CSP_TOC_YES);
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    lg.plain = true;
    for (size_t m = 0; m < th->nmeasures && t && !r->err; m++) {
        const char *id = th->measures[m];
        const csp_indicator *ind = csp_template_indicator(tpl, id);
        const char *name = csp_template_measure_label(tpl, th, m);
        size_t latest[MAX_ROWS], firsts[MAX_ROWS];
        const char *areas[MAX_ROWS];
        size_t nrows = measure_rows(r, id, latest, firsts, areas);
        csp_table_cell cells[8];
        if (nrows == 0) {
            no_data_row(t, name, cells, 8);
            continue;
        }
        for (size_t k = 0; k < nrows && !r->err; k++) {
            const csp_figure *f = &ds->figures[latest[k]];
            csp_judgement j;
            csp_judge_figure(ds, f, &j);
            memset(cells, 0, sizeof cells);
            cells[0].text = k == 0 ? name : NULL;
            cells[1].text = csp_rep_area_name(tpl, areas[k]);
            char v[64] = "\xE2\x80\x93", label[CSP_LABEL_BUFSZ];
            if (f->state == CSP_FIGURE_STANDS && f->has_value) {
                csp_rep_value_text(tpl, f, v, sizeof v);
                strcat(v, csp_rep_origin_note(r, &lg, f));
            }
            csp_period_label(f->period, label);
            cells[2].text = v;
            cells[2].face = CSP_FACE_BOLD;
            cells[2].note = label;
            /* What it is compared with, and the period, beside it. */
            char cv[64] = "None", cl[CSP_LABEL_BUFSZ] = "";
            bool has_cmp = j.comparator_period.end != 0 ||
                           j.comparator_period.start != 0;
            if (j.comparator)
                csp_rep_value_text(tpl, j.comparator, cv, sizeof cv);
            if (has_cmp)
                csp_period_label(j.comparator_period, cl);
            cells[3].text = cv;
            cells[3].note = cl[0] ? cl : NULL;
            if (!j.comparator)
                cells[3].colour = &grey_text;
            int sign = 0;
            char *chg = j.has_change ? change_text(r, ind, &j, &sign) : NULL;
            csp_rep_look dl = csp_rep_direction_look(j.direction, sign);
            cells[4].text = chg ? chg : "\xE2\x80\x93";
            if (!chg)
                cells[4].colour = &grey_text;
            cells[4].mark = chg ? dl.mark : CSP_MARK_NONE;
            cells[4].mark_colour = &dl.colour;
            cells[4].note = chg && dl.label[0] ? dl.label : NULL;
            csp_rep_look rl = csp_rep_rating_look(j.rating);
            char target[64] = "";
            if (j.has_target) {
                char tv[48];
                csp_rep_decimal_text(tpl, ind, j.target, tv, sizeof tv);
                snprintf(target, sizeof target, "target %s", tv);
            }
            cells[5].text = rl.label;
            cells[5].mark = rl.mark;
            cells[5].mark_colour = &rl.colour;
            cells[5].note = target[0] ? target : NULL;
            csp_rep_look lk = csp_rep_figure_look(f);
            cells[6].text = lk.label;
            cells[6].mark = lk.mark;
            cells[6].mark_colour = &lk.colour;
            const csp_revision *rev = revision_of(ds, f);
            char *revised = NULL;
            if (rev) {
                char was[64] = "no figure";
                if (rev->old && rev->old->disputed)
                    snprintf(was, sizeof was, "disputed");
                else if (rev->old && rev->old->has_value)
                    csp_rep_decimal_text(tpl, ind, rev->old->value, was,
                                         sizeof was);
                else if (rev->old)
                    snprintf(was, sizeof was, "missing");
                revised = csp_rep_fmt(r, "Revised (was %s)%s", was,
                                      f->computed ? "; calculated" : "");
            }
            cells[6].note = revised ? revised
                            : f->state == CSP_FIGURE_STANDS && f->computed
                                ? "calculated"
                                : NULL;
            char *notes = notes_cell(r, f, &cells[7]);
            csp_table_row(t, cells, k + 1 < nrows);
            free(chg);
            free(revised);
            free(notes);
        }
    }
    csp_table_end(t);
    csp_rep_origin_legend_draw(r, &lg);
    csp_kf_legend_free(&lg);
}

/* ---- The document ------------------------------------------------------ */

/* The board pack: the summary first (drawn last, on page 1, since it
 * names the pages of what follows), the contents, the key findings, the
 * measures dashboard, the action plan and data quality. */
void csp_rep_board_doc(csp_rep *r)
{
    csp_layout *L = r->L;
    csp_rep_board_title(r);
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "In this pack", NULL, CSP_TOC_NO);
    csp_layout_text_block(
        L, &csp_style_small, 0,
        "Figures are those that stand after reconciling every partner's "
        "return; provisional, estimated, missing and disputed figures are "
        "marked wherever they appear, and so are figures the partnership "
        "calculated (" CSP_KF_ORIGIN_MARK "). The data quality section says what "
        "was received, what is wrong and who must act.");
    csp_layout_skip(L, 10);
    csp_layout_contents_here(L); /* and a fresh page after it */
    csp_rep_key_findings(r, false, false);
    csp_layout_page(L, CSP_PAGE_BODY);
    r->page_dashboard = csp_layout_page_count(L) - 1;
    csp_layout_heading(L, 0, "Measures dashboard", NULL, CSP_TOC_YES);
    csp_layout_text_block(L, &csp_style_small, 0,
                          "The latest figure received for each measure of "
                          "the strategy, by area: what it is compared "
                          "with, the change and its direction of travel, "
                          "its rating against any target, and its data "
                          "status.");
    dashboard_legend(r);
    for (size_t i = 0; i < r->tpl->nthemes && !r->err; i++) {
        char *title = csp_rep_theme_title(r, i);
        if (!title)
            break;
        dashboard_table(r, i, title);
        free(title);
    }
    r->page_actions = csp_layout_page_count(L);
    csp_rep_action_plan(r, true);
    r->page_quality = csp_layout_page_count(L);
    csp_rep_board_quality(r);
    csp_rep_summary(r);
}
