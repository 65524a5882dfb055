/* csppack: the workbook's Key findings and Trends sheets (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char KF_SHEET[] = "Key findings";

/* The Key findings sheet: one block per area, like the strategy's. */
void csp_wb_sheet_key_findings(csp_wb_ctx *c, const csp_kf *kf)
{
    const csp_key_findings *k = &c->tpl->key_findings;
    lxw_worksheet *ws = csp_wb_add_sheet(c, KF_SHEET, 1, false);
    if (!ws)
        return;
    csp_wb_page_setup(c, ws, false);
    size_t np = kf->nperiods;
    char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ];
    const char *category = csp_template_label(c->tpl, CSP_LABEL_KF_CATEGORY);
    char rate[CSP_LABEL_BUFSZ], basis[CSP_LABEL_BUFSZ];
    csp_kf_rate_header(c->tpl, rate);
    csp_kf_rate_basis(c->tpl, basis);
    for (size_t p = 0; p < np; p++)
        csp_kf_label(kf, kf->periods[p], labels[p]);
    char *change = csp_kf_change_header(c->tpl, kf);
    if (!change) {
        csp_wb_nomem(c);
        return;
    }

    csp_wb_put_text(c, ws, 0, 0,
                    k->title && *k->title ? k->title : "Key findings",
                    c->title);
    /* Two short lines, so that they fit above the tables in print. */
    char intro[512];
    if (np == 0)
        snprintf(intro, sizeof intro,
                 "No year-ending figures for the key findings were "
                 "submitted.");
    else if (np == 1)
        snprintf(intro, sizeof intro, "P%s is for %s.", basis + 1,
                 labels[0]);
    else
        snprintf(intro, sizeof intro, "%s compares %s with %s; %s is for %s.",
                 csp_template_label(c->tpl, CSP_LABEL_KF_CHANGE),
                 labels[np - 2], labels[np - 1], basis, labels[np - 1]);
    csp_wb_put_text(c, ws, 1, 0, intro, c->intro);
    if (np)
        csp_wb_put_text(
            c, ws, 2, 0,
            "Marks: p provisional, e estimated, \xe2\x80\x93 "
            "missing, " CSP_KF_ORIGIN_MARK
            " worked out by csppack (the line under "
            "the table says how). Point at a figure for its source.",
            c->intro);

    size_t ncols = np + 3;
    size_t width[CSP_KF_MAX_YEARS + 3];
    width[0] = strlen(category) + 3;
    for (size_t p = 0; p < np; p++)
        width[1 + p] = strlen(labels[p]) + 3;
    width[np + 1] = strlen(change) + 3;
    width[np + 2] = strlen(rate) + 3;

    lxw_row_t r = 4;
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    for (size_t a = 0; a < kf->nareas && np && !c->err; a++) {
        const csp_kf_area *ka = &kf->areas[a];
        if (ka->nlines == 0)
            continue;
        csp_wb_put_text(c, ws, r, 0, ka->area->name, c->heading);
        lxw_row_t hdr = r + 1;
        for (size_t i = 0; i < ka->nlines; i++) {
            const csp_kf_line *l = &ka->lines[i];
            lxw_row_t row = hdr + 1 + (lxw_row_t)i;
            size_t w = csp_wb_put_text(c, ws, row, 0, l->row->label, c->text);
            if (w > width[0])
                width[0] = w;
            for (size_t p = 0; p < np; p++) {
                w = csp_wb_put_figure(c, ws, row, (lxw_col_t)(1 + p),
                                      l->values[p], &lg);
                if (w > width[1 + p])
                    width[1 + p] = w;
            }
            if (l->has_change && np >= 2 && !c->err) {
                /* A live formula, with the exact value we computed stored
                 * as its result. */
                char from[16], to[16], formula[96];
                lxw_rowcol_to_cell(from, row, (lxw_col_t)(np - 1));
                lxw_rowcol_to_cell(to, row, (lxw_col_t)np);
                snprintf(formula, sizeof formula,
                         "=ROUND((%s-%s)/%s*100,1)", to, from, from);
                csp_wb_fail(c,
                            worksheet_write_formula_num(
                                ws, row, (lxw_col_t)(np + 1), formula,
                                c->change, csp_wb_double(l->change)),
                            "writing a formula");
            }
            w = csp_wb_put_figure(c, ws, row, (lxw_col_t)(np + 2), l->rate,
                                  &lg);
            if (w > width[np + 2])
                width[np + 2] = w;
        }
        lxw_table_column colv[CSP_KF_MAX_YEARS + 3];
        lxw_table_column *colp[CSP_KF_MAX_YEARS + 4];
        memset(colv, 0, sizeof colv);
        colv[0].header = csp_wb_mut(category);
        for (size_t p = 0; p < np; p++)
            colv[1 + p].header = labels[p];
        colv[np + 1].header = change;
        colv[np + 2].header = csp_wb_mut(rate);
        for (size_t i = 0; i < ncols; i++) {
            colv[i].header_format = c->thead;
            colp[i] = &colv[i];
        }
        colp[ncols] = NULL;
        char name[64];
        snprintf(name, sizeof name, "KeyFindings_%zu", a + 1);
        lxw_table_options o = {.name = name,
                               .style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
                               .style_type_number = 2,
                               .no_autofilter = LXW_TRUE,
                               .columns = colp};
        if (!c->err)
            csp_wb_fail(c,
                        worksheet_add_table(ws, hdr, 0,
                                            hdr + (lxw_row_t)ka->nlines,
                                            (lxw_col_t)(ncols - 1), &o),
                        "adding a table");
        r = hdr + (lxw_row_t)ka->nlines + 2;
        /* The legend of the marks csppack's figures carry, under the
         * table, as in the report. */
        char *legend = csp_kf_legend_take(&lg);
        if (lg.err)
            csp_wb_nomem(c);
        if (legend) {
            csp_wb_put_text(c, ws, r - 1, 0, legend, c->intro);
            r++;
        }
        free(legend);
    }
    csp_kf_legend_free(&lg);
    free(change);
    double printed = 0;
    for (size_t i = 0; i < ncols && !c->err; i++) {
        printed += (double)(width[i] + 1) + 5.0 / 7.0;
        csp_wb_fail(c,
                    worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         (double)(width[i] + 1), NULL),
                    "setting a column width");
    }
    csp_wb_page_fit(c, ws, printed, false);
}

/* The chart data of key-findings row @p row at row @p r of @p ws: a
 * header (the row's label, then the periods) and a row per area with the
 * figures that stand with a value.  Any other cell is left empty, which
 * the chart shows as a break in the line: never a zero. */
static void trends_data(csp_wb_ctx *c, lxw_worksheet *ws, const csp_kf *kf,
                        size_t row, lxw_row_t r, size_t *width)
{
    const csp_kf_row *kr = &c->tpl->key_findings.rows[row];
    char label[CSP_LABEL_BUFSZ];
    csp_wb_put_text(c, ws, r, 0, kr->label, c->thead);
    for (size_t p = 0; p < kf->nperiods; p++) {
        csp_kf_label(kf, kf->periods[p], label);
        csp_wb_put_text(c, ws, r, (lxw_col_t)(1 + p), label, c->thead);
    }
    for (size_t a = 0; a < kf->nareas && !c->err; a++) {
        const csp_kf_area *ka = &kf->areas[a];
        lxw_row_t ar = r + 1 + (lxw_row_t)a;
        size_t w = csp_wb_put_text(c, ws, ar, 0, ka->area->name, c->text);
        if (w > width[0])
            width[0] = w;
        for (size_t p = 0; row < ka->nlines && p < kf->nperiods; p++) {
            const csp_figure *f = ka->lines[row].values[p];
            if (!f || f->state != CSP_FIGURE_STANDS || !f->has_value)
                continue;
            const csp_indicator *ind =
                &c->tpl->indicators[f->indicator_index];
            csp_wb_put_num(
                c, ws, ar, (lxw_col_t)(1 + p), csp_wb_double(f->value),
                csp_wb_fig_format(c, FIG_FINAL, false, ind->decimals));
        }
    }
}

/* The Trends sheet: a line chart per key-findings row, each with its own
 * scale (crimes against society, about 500, would be flat on the axis of
 * totals of about 8,000), a line per area, reading the chart data below
 * the charts. */
void csp_wb_sheet_trends(csp_wb_ctx *c, const csp_kf *kf)
{
    static const uint8_t markers[] = {
        LXW_CHART_MARKER_CIRCLE,   LXW_CHART_MARKER_SQUARE,
        LXW_CHART_MARKER_TRIANGLE, LXW_CHART_MARKER_DIAMOND,
        LXW_CHART_MARKER_X,        LXW_CHART_MARKER_STAR};
    static const uint8_t dashes[] = {
        LXW_CHART_LINE_DASH_SOLID, LXW_CHART_LINE_DASH_DASH,
        LXW_CHART_LINE_DASH_ROUND_DOT, LXW_CHART_LINE_DASH_LONG_DASH,
        LXW_CHART_LINE_DASH_DASH_DOT, LXW_CHART_LINE_DASH_SQUARE_DOT};
    enum { CHART_ROWS = 17 };
    const csp_key_findings *k = &c->tpl->key_findings;
    lxw_worksheet *ws = csp_wb_add_sheet(c, "Trends", 1, false);
    if (!ws)
        return;
    csp_wb_page_setup(c, ws, false);
    worksheet_set_portrait(ws);
    /* The charts are 1.6 times the default chart's 480 pixels wide, the
     * widest thing on the sheet: 768 pixels, 768 / 7 characters. */
    csp_wb_page_fit(c, ws, 768.0 / 7.0, true);
    csp_wb_put_text(c, ws, 0, 0, "Trends in the key findings", c->title);
    size_t np = kf->nperiods, nrows = k->nrows, na = kf->nareas;
    if (np == 0 || nrows == 0 || na == 0) {
        csp_wb_put_text(c, ws, 1, 0, "No key-findings figures to chart.",
                        c->intro);
        return;
    }
    csp_wb_put_text(
        c, ws, 1, 0,
        "One chart per key finding, each with its own scale, a line "
        "per area. A break in a line: no figure stands for that year "
        "(missing, disputed or not received; see the Key findings "
        "sheet). The charts read the chart data under them, where "
        "such a year is an empty cell.",
        c->intro);
    /* The data first, so that the charts can refer to it. */
    lxw_row_t d0 = 3 + (lxw_row_t)(nrows * CHART_ROWS);
    csp_wb_put_text(c, ws, d0, 0, "Chart data", c->heading);
    size_t width[CSP_KF_MAX_YEARS + 1] = {0};
    width[0] = 12;
    for (size_t row = 0; row < nrows && !c->err; row++) {
        lxw_row_t r = d0 + 1 + (lxw_row_t)(row * (na + 2));
        size_t w = strlen(k->rows[row].label);
        if (w > width[0])
            width[0] = w;
        trends_data(c, ws, kf, row, r, width);
    }
    for (size_t row = 0; row < nrows && !c->err; row++) {
        lxw_row_t r = d0 + 1 + (lxw_row_t)(row * (na + 2));
        lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_LINE);
        if (!ch) {
            csp_wb_nomem(c);
            return;
        }
        for (size_t a = 0; a < na; a++) {
            lxw_row_t ar = r + 1 + (lxw_row_t)a;
            lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
            if (!s) {
                csp_wb_nomem(c);
                return;
            }
            chart_series_set_categories(s, "Trends", r, 1, r, (lxw_col_t)np);
            chart_series_set_values(s, "Trends", ar, 1, ar, (lxw_col_t)np);
            chart_series_set_name_range(s, "Trends", ar, 0);
            chart_series_set_marker_type(s, markers[a % sizeof markers]);
            chart_series_set_marker_size(s, 7);
            lxw_chart_line line = {.width = 2.25f,
                                   .dash_type = dashes[a % sizeof dashes]};
            chart_series_set_line(s, &line);
        }
        char title[256], desc[512];
        snprintf(title, sizeof title, "%s", k->rows[row].label);
        chart_title_set_name(ch, title);
        chart_axis_set_num_format(ch->y_axis, "#,##0");
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_name(ch->x_axis, csp_kf_axis_title(c->tpl, kf));
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
        snprintf(desc, sizeof desc,
                 "Line chart of %s by year, a line per area, from the chart "
                 "data on this sheet.",
                 k->rows[row].label);
        lxw_chart_options o = {.x_scale = 1.6, .y_scale = 1.15,
                               .description = desc};
        csp_wb_fail(c,
                    worksheet_insert_chart_opt(
                        ws, 3 + (lxw_row_t)(row * CHART_ROWS), 0, ch, &o),
                    "inserting a chart");
    }
    for (size_t i = 0; i <= np && !c->err; i++)
        csp_wb_fail(c,
                    worksheet_set_column(
                        ws, (lxw_col_t)i, (lxw_col_t)i,
                        (double)(width[i] + 2 > 12 ? width[i] + 2 : 12), NULL),
                    "setting a column width");
}
