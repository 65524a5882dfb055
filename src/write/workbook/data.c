/* csppack: the workbook's Data sheet, every figure in long format for
 * filters and pivot tables (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <string.h>

/* An indicator's unit in words. */
const char *csp_wb_unit_words(csp_unit unit)
{
    switch (unit) {
    case CSP_UNIT_COUNT:
        return "count";
    case CSP_UNIT_RATE:
        return "rate per 1,000 population";
    case CSP_UNIT_PERCENT:
        return "per cent";
    }
    return "";
}

/* The figure of a series the marks are about: the latest whose period
 * ends by the end of the board pack's period. */
const csp_figure *csp_wb_marked_figure(csp_wb_ctx *c, size_t first,
                                       size_t count)
{
    const csp_figure *best = NULL;
    for (size_t k = 0; k < count; k++) {
        const csp_figure *f = &c->ds->figures[first + k];
        if (c->has_period && f->period.end > c->period.end)
            continue;
        if (!best || csp_period_cmp(f->period, best->period) > 0)
            best = f;
    }
    return best;
}

/* Data: one row per figure that stands or is disputed (the rows of
 * observations.csv), in the dataset's order. */
void csp_wb_sheet_data(csp_wb_ctx *c)
{
    enum { C_IND, C_AREA, C_START, C_END, C_PERIOD, C_VALUE, C_UNIT,
           C_STATUS, C_OWNER, C_SOURCE, C_ORIGIN, C_NOTE, C_IND_ID,
           C_AREA_ID, C_COLS };
    static const csp_wb_col cols[C_COLS] = {
        [C_IND] = {"Indicator", 20, 50, false},
        [C_AREA] = {"Area", 8, 24, false},
        [C_START] = {"Period start", 11, 12, false},
        [C_END] = {"Period end", 11, 12, false},
        [C_PERIOD] = {"Period", 10, 28, false},
        [C_VALUE] = {"Value", 8, 14, false},
        [C_UNIT] = {"Unit", 6, 26, false},
        [C_STATUS] = {"Data status", 10, 12, false},
        [C_OWNER] = {"Owner", 12, 30, false},
        [C_SOURCE] = {"Source agency", 12, 30, false},
        [C_ORIGIN] = {"Origin", 9, 10, false},
        [C_NOTE] = {"Note", 20, 60, false},
        [C_IND_ID] = {"Indicator id", 10, 40, true},
        [C_AREA_ID] = {"Area id", 8, 20, true},
    };
    const csp_dataset *ds = c->ds;
    csp_wb_tab t = {.c = c,
                    .sheet = "Data",
                    .table_name = "Data",
                    /* A row per figure: grows with the history. */
                    .stream = true,
                    .title = "Data: every figure, one per row",
                    .intro = "For filters and pivot tables. Value is the "
                             "number that stands (blank when missing or "
                             "disputed); Data status says how firm it is; "
                             "Origin: partner, computed or replaced by "
                             "csppack (see About)."};
    if (!csp_wb_tab_columns(&t, cols, C_COLS))
        return;
    for (size_t i = 0; i < ds->nfigures && !c->err; i++) {
        const csp_figure *f = &ds->figures[i];
        if (f->state == CSP_FIGURE_NONE)
            continue;
        const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
        if (!csp_wb_tab_row(&t))
            break;
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(f->period, label);
        csp_wb_tab_text(&t, C_IND, ind->name, c->text);
        csp_wb_tab_text(&t, C_AREA, csp_wb_area_name(c, f->area), c->text);
        csp_wb_tab_width(&t, C_START, csp_wb_put_date(c, t.ws, t.row, C_START,
                                                      f->period.start));
        csp_wb_tab_width(&t, C_END, csp_wb_put_date(c, t.ws, t.row, C_END,
                                                    f->period.end));
        csp_wb_tab_text(&t, C_PERIOD, label, c->text);
        if (f->state == CSP_FIGURE_STANDS && f->has_value) {
            char b[CSP_DECIMAL_BUFSZ];
            csp_decimal_format(f->value, b);
            csp_wb_put_num(c, t.ws, t.row, C_VALUE, csp_wb_double(f->value),
                           c->value);
            csp_wb_tab_width(&t, C_VALUE, strlen(b));
        }
        csp_wb_tab_text(&t, C_UNIT, csp_wb_unit_words(ind->unit), c->text);
        csp_wb_tab_text(&t, C_STATUS, csp_figure_status_str(f), c->text);
        const char *owner = csp_indicator_owner(ind, f->area);
        if (owner)
            csp_wb_tab_text(&t, C_OWNER, csp_wb_agency_name(c, owner),
                            c->text);
        if (f->state == CSP_FIGURE_STANDS)
            csp_wb_tab_text(&t, C_SOURCE, csp_wb_agency_name(c, f->agency),
                            c->text);
        csp_wb_tab_text(
            &t, C_ORIGIN,
            csp_figure_origin_str(csp_dataset_figure_origin(ds, f, NULL)),
            c->text);
        csp_wb_tab_text(&t, C_NOTE, f->note, c->wrap);
        csp_wb_tab_text(&t, C_IND_ID, f->indicator, c->text);
        csp_wb_tab_text(&t, C_AREA_ID, f->area, c->text);
    }
    csp_wb_tab_end(&t);
    csp_wb_tab_free(&t);
}
