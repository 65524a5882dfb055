/* csppack: the PDF board pack and its measures dashboard. */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/strbuf.h"
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

/* The claims of a disputed figure, "Kent Police 652; KCC 640". */
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
        char v[CSP_DECIMAL_BUFSZ] = "missing";
        if (c->has_value)
            csp_decimal_format(c->value, v);
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

/* The measures of a theme: latest figure per area, change, status. */
void csp_rep_measures_table(csp_rep *r, size_t ti, const char *title)
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
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Notes", 2.3, false, CSP_ALIGN_LEFT),
    };
    if (th->nmeasures == 0) {
        if (!title)
            csp_layout_heading(r->L, 1, "How will we measure our impact?",
                               accent, CSP_TOC_YES);
        csp_layout_paragraph(r->L, "The strategy sets no measures for this "
                                   "theme.");
        return;
    }
    csp_table *t = csp_table_begin(r->L, title, cols, 7, accent);
    if (!title) {
        /* The strategy's own heading, kept with the table. */
        char *tt = csp_rep_theme_title(r, ti);
        if (tt)
            csp_table_continued_title(t, tt);
        free(tt);
        csp_table_heading(t, 1, "How will we measure our impact?", accent,
                          CSP_TOC_YES);
        csp_table_intro(t, "The latest figure received for each measure, by "
                           "area, with the change on the previous comparable "
                           "period where there is one.");
    }
    size_t nareas = tpl->nareas + 1;
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    for (size_t m = 0; m < th->nmeasures && t && !r->err; m++) {
        const char *id = th->measures[m];
        const csp_indicator *ind = csp_template_indicator(tpl, id);
        /* The rows of this measure: one per area with figures. */
        size_t latest[64];
        size_t firsts[64];
        const char *areas[64];
        size_t nrows = 0;
        for (size_t a = 0; a < nareas && nrows < 64; a++) {
            const char *area =
                a < tpl->nareas ? tpl->areas[a].id : CSP_AREA_ALL;
            size_t first = 0, count = 0, li = 0;
            csp_dataset_series(ds, id, area, &first, &count);
            if (count && latest_figure(r, first, count, &li)) {
                latest[nrows] = li;
                firsts[nrows] = first;
                areas[nrows] = area;
                nrows++;
            }
        }
        csp_table_cell cells[7];
        if (nrows == 0) {
            memset(cells, 0, sizeof cells);
            cells[0].text = ind ? ind->name : id;
            for (size_t c = 1; c <= 4; c++) {
                cells[c].text = "\xE2\x80\x93";
                cells[c].colour = &grey_text;
            }
            cells[5].text = "No data";
            cells[5].mark = csp_rep_no_update_look.mark;
            cells[5].mark_colour = &csp_rep_no_update_look.colour;
            cells[5].colour = &grey_text;
            cells[6].text = "No figures received.";
            cells[6].colour = &grey_text;
            csp_table_row(t, cells, false);
            continue;
        }
        for (size_t k = 0; k < nrows && !r->err; k++) {
            const csp_figure *f = &ds->figures[latest[k]];
            memset(cells, 0, sizeof cells);
            cells[0].text = k == 0 ? (ind ? ind->name : id) : NULL;
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
            char *notes = NULL;
            if (f->state == CSP_FIGURE_DISPUTED)
                notes = claims_text(r, f);
            else if (f->note)
                notes = csp_rep_fmt(r, "%s", f->note);
            cells[6].text = notes;
            if (f->state == CSP_FIGURE_STANDS && !f->computed && f->agency)
                cells[6].note = csp_rep_agency_name(tpl, f->agency);
            csp_table_row(t, cells, k + 1 < nrows);
            free(chg);
            free(vs);
            free(notes);
        }
    }
    csp_table_end(t);
    csp_rep_origin_legend_draw(r, &lg);
    csp_kf_legend_free(&lg);
}

/* ---- The document ------------------------------------------------------ */

/* The board pack. */
void csp_rep_board_doc(csp_rep *r)
{
    csp_layout *L = r->L;
    csp_rep_cover(r); /* ends on a fresh page after the contents */
    csp_rep_key_findings(r, false, false);
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "Measures dashboard", NULL, CSP_TOC_YES);
    csp_layout_text_block(L, &csp_style_small, 0,
                          "The latest figure received for each measure of "
                          "the strategy, by area, with the change on the "
                          "previous comparable period where there is one, "
                          "and its status.");
    csp_layout_skip(L, 6);
    for (size_t i = 0; i < r->tpl->nthemes && !r->err; i++) {
        char *title = csp_rep_theme_title(r, i);
        if (!title)
            break;
        csp_layout_need(L, 90);
        csp_layout_mark(L, 1, title, CSP_TOC_YES);
        csp_rep_measures_table(r, i, title);
        free(title);
    }
    csp_rep_action_plan(r, true);
    csp_rep_data_quality(r);
}
