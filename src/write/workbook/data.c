/* csppack: the workbook's Data sheet, every figure in long format for
 * filters and pivot tables (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <string.h>

/* An indicator's unit in words. */
const char *csp_wb_unit_words(const csp_indicator *ind,
                              char buf[CSP_WB_UNIT_BUFSZ])
{
    char per[CSP_DECIMAL_GROUPED_BUFSZ];

    switch (ind->unit) {
    case CSP_UNIT_COUNT:
        return "count";
    case CSP_UNIT_RATE:
        csp_decimal_format_grouped((csp_decimal){ind->per, 0}, 0, per);
        snprintf(buf, CSP_WB_UNIT_BUFSZ, "rate per %s %s", per,
                 ind->base == CSP_BASE_HOUSEHOLDS ? "households"
                                                   : "population");
        return buf;
    case CSP_UNIT_PERCENT:
        return "per cent";
    case CSP_UNIT_MONEY:
        return "money";
    case CSP_UNIT_AVERAGE:
        return "average";
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

/* A direction as the workbook shows it: "Better", "Worse", "No real
 * change", "Up", "Down"; "" when there is none. */
const char *csp_wb_direction_words(csp_direction d)
{
    switch (d) {
    case CSP_DIR_BETTER:
        return "Better";
    case CSP_DIR_WORSE:
        return "Worse";
    case CSP_DIR_SAME:
        return "No real change";
    case CSP_DIR_UP:
        return "Up";
    case CSP_DIR_DOWN:
        return "Down";
    case CSP_DIR_NONE:
        break;
    }
    return "";
}

/* A rating as the workbook shows it: "Green", "Amber", "Red", "Grey". */
static const char *rating_words(csp_rating r)
{
    switch (r) {
    case CSP_RATING_GREEN:
        return "Green";
    case CSP_RATING_AMBER:
        return "Amber";
    case CSP_RATING_RED:
        return "Red";
    case CSP_RATING_GREY:
        break;
    }
    return "Grey";
}

/* Write the marks of figure @p f in the current row of @p t from column
 * @p col: Rating, Direction, Comparator, Comparator period; then, when
 * @p target, Target.  Returns the next column. */
lxw_col_t csp_wb_tab_marks(csp_wb_tab *t, lxw_col_t col, const csp_figure *f,
                           bool target)
{
    csp_wb_ctx *c = t->c;
    if (!f)
        return (lxw_col_t)(col + 4 + target);
    csp_judgement j;
    csp_judge_figure(c->ds, f, &j);
    int r = j.rating >= CSP_RATING_GREY && j.rating <= CSP_RATING_RED
                ? (int)j.rating
                : CSP_RATING_GREY;
    csp_wb_tab_text(t, col, rating_words(j.rating), c->rating[r]);
    csp_wb_tab_text(t, (lxw_col_t)(col + 1),
                    csp_wb_direction_words(j.direction), c->text);
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    if (j.comparator && j.comparator->has_value)
        csp_wb_tab_decimal(t, (lxw_col_t)(col + 2), j.comparator->value,
                           ind->decimals);
    csp_period cp;
    if (csp_judge_comparator_period(ind, f->period, &cp)) {
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(cp, label);
        csp_wb_tab_text(t, (lxw_col_t)(col + 3), label, c->text);
    }
    if (!target)
        return (lxw_col_t)(col + 4);
    if (j.has_target)
        csp_wb_tab_decimal(t, (lxw_col_t)(col + 4), j.target, ind->decimals);
    return (lxw_col_t)(col + 5);
}

/* Data: one row per figure that stands or is disputed (the rows of
 * observations.csv), in the dataset's order. */
void csp_wb_sheet_data(csp_wb_ctx *c)
{
    char unit[CSP_WB_UNIT_BUFSZ];
    enum {
        C_IND,
        C_AREA,
        C_START,
        C_END,
        C_PERIOD,
        C_VALUE,
        C_UNIT,
        C_STATUS,
        C_RATING,
        C_DIRECTION,
        C_COMPARATOR,
        C_COMP_PERIOD,
        C_TARGET,
        C_REVISED,
        C_OWNER,
        C_SOURCE,
        C_ORIGIN,
        C_NOTE,
        C_IND_ID,
        C_AREA_ID,
        C_COLS
    };
    static const csp_wb_col cols[C_COLS] = {
        [C_IND] = {"Indicator", 20, 50, false},
        [C_AREA] = {"Area", 8, 24, false},
        [C_START] = {"Period start", 11, 12, false},
        [C_END] = {"Period end", 11, 12, false},
        [C_PERIOD] = {"Period", 10, 28, false},
        [C_VALUE] = {"Value", 8, 14, false},
        [C_UNIT] = {"Unit", 6, 26, false},
        [C_STATUS] = {"Data status", 10, 12, false},
        [C_RATING] = {"Rating", 8, 8, false},
        [C_DIRECTION] = {"Direction", 10, 16, false},
        [C_COMPARATOR] = {"Comparator", 10, 14, false},
        [C_COMP_PERIOD] = {"Comparator period", 10, 28, false},
        [C_TARGET] = {"Target", 8, 14, false},
        [C_REVISED] = {"Revised", 8, 9, false},
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
                             "Rating and Direction judge it against its "
                             "target and its comparator; Revised: changed "
                             "since the previous board pack; Origin: "
                             "partner, computed or replaced by csppack "
                             "(see About)."};
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
        csp_wb_tab_width(
            &t, C_START,
            csp_wb_put_date(c, t.ws, t.row, C_START, f->period.start));
        csp_wb_tab_width(&t, C_END,
                         csp_wb_put_date(c, t.ws, t.row, C_END, f->period.end));
        csp_wb_tab_text(&t, C_PERIOD, label, c->text);
        if (f->state == CSP_FIGURE_STANDS && f->has_value)
            csp_wb_tab_decimal(&t, C_VALUE, f->value, ind->decimals);
        csp_wb_tab_text(&t, C_UNIT, csp_wb_unit_words(ind, unit), c->text);
        csp_wb_tab_text(&t, C_STATUS, csp_figure_status_str(f), c->text);
        csp_wb_tab_marks(&t, C_RATING, f, true);
        csp_wb_tab_text(&t, C_REVISED,
                        c->revised && c->revised[i] ? "yes" : "no", c->center);
        const char *owner = csp_indicator_owner(ind, f->area);
        if (owner)
            csp_wb_tab_text(&t, C_OWNER, csp_wb_agency_name(c, owner), c->text);
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
