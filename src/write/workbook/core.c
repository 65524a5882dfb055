/* csppack: the workbook writer's failures, cells, formats and names
 * (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/common.h"

/* A pointer libxlsxwriter's structures want as char * (it copies). */
char *csp_wb_mut(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* Record the first failure of libxlsxwriter. */
void csp_wb_fail(csp_wb_ctx *c, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || c->err != CSP_OK)
        return;
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        c->err = CSP_ERR_NOMEM;
        break;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        c->err = CSP_ERR_IO;
        break;
    default:
        c->err = CSP_ERR_INTERNAL;
        break;
    }
    c->res->lxw_error = (int)e;
    csp_why_set(c->why, "%s: %s", what, lxw_strerror(e));
}

/* Record that memory ran out. */
void csp_wb_nomem(csp_wb_ctx *c)
{
    if (c->err != CSP_OK)
        return;
    c->err = CSP_ERR_NOMEM;
    csp_why_set(c->why, "out of memory");
}

/* A decimal as a double: exact integers divided by an exact power of
 * ten, so correctly rounded for every value below 2^53 units. */
double csp_wb_double(csp_decimal d)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                 1e5, 1e6, 1e7, 1e8, 1e9};
    unsigned s = d.scale < 10 ? d.scale : 9;
    return (double)d.units / p10[s];
}

/* ------------------------------------------------------------------------
 * Cells
 * ------------------------------------------------------------------------ */

/* Write a text, never as a formula (cut to fit a cell, visibly); returns
 * its width and, when @p lines is not NULL, sets the lines it needs
 * wrapped @p wrap characters wide (csp_workbook_text_extent). */
size_t csp_wb_put_text_lines(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                             lxw_col_t col, const char *s, lxw_format *f,
                             size_t wrap, size_t *lines)
{
    if (lines)
        *lines = 0;
    if (c->err)
        return 0;
    if (!s || !*s) {
        if (f)
            csp_wb_fail(c, worksheet_write_blank(ws, r, col, f),
                        "writing a cell");
        return 0;
    }
    /* Most texts go in as they are: measured, and checked for what
     * csp_workbook_cell_text would change, in one pass. */
    size_t units = 0;
    size_t w = csp_workbook_text_extent(s, wrap, lines, &units);
    if (w != SIZE_MAX && units <= CSP_WORKBOOK_MAX_CELL) {
        csp_wb_fail(c, worksheet_write_string(ws, r, col, s, f),
                    "writing a text");
        return w;
    }
    bool cut = false;
    char *t = csp_workbook_cell_text(s, CSP_WORKBOOK_MAX_CELL,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    if (!t) {
        csp_wb_nomem(c);
        return 0;
    }
    if (cut)
        c->res->truncated++;
    csp_wb_fail(c, worksheet_write_string(ws, r, col, t, f), "writing a text");
    w = csp_workbook_text_extent(t, wrap, lines, NULL);
    free(t);
    return w;
}

/* A text cell, without its lines. */
size_t csp_wb_put_text(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, const char *s, lxw_format *f)
{
    return csp_wb_put_text_lines(c, ws, r, col, s, f, 0, NULL);
}

/* Write a number. */
void csp_wb_put_num(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                    lxw_col_t col, double v, lxw_format *f)
{
    if (c->err)
        return;
    csp_wb_fail(c, worksheet_write_number(ws, r, col, v, f),
                "writing a number");
}

/* Write a count, "7,795" as shown; returns its width as shown. */
size_t csp_wb_put_count(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                        lxw_col_t col, uint64_t v)
{
    char b[24];
    csp_wb_put_num(c, ws, r, col, (double)v, c->count);
    size_t n = (size_t)snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    return n + (n - 1) / 3; /* the separators */
}

/* Write a date as an Excel date (as text outside Excel's years). */
size_t csp_wb_put_date(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, csp_date d)
{
    int y, m, dd;
    csp_date_to_ymd(d, &y, &m, &dd);
    if (y < 1900 || y > 9999) {
        char b[CSP_DATE_BUFSZ];
        csp_date_format(d, b);
        return csp_wb_put_text(c, ws, r, col, b, c->text);
    }
    if (c->err)
        return 0;
    lxw_datetime dt = {.year = y, .month = m, .day = dd};
    csp_wb_fail(c, worksheet_write_datetime(ws, r, col, &dt, c->date),
                "writing a date");
    return 10;
}

/* Write an instant as an Excel date and time in UTC, to the second. */
size_t csp_wb_put_instant(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                          lxw_col_t col, csp_instant t)
{
    int64_t days = t.seconds / 86400, rem = t.seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y = 0, m, d;
    if (days >= INT32_MIN && days <= INT32_MAX)
        csp_date_to_ymd((csp_date)days, &y, &m, &d);
    if (y < 1900 || y > 9999) {
        char b[CSP_INSTANT_BUFSZ];
        csp_instant_format(t, b);
        return csp_wb_put_text(c, ws, r, col, b, c->text);
    }
    if (c->err)
        return 0;
    lxw_datetime dt = {.year = y,
                       .month = m,
                       .day = d,
                       .hour = (int)(rem / 3600),
                       .min = (int)(rem / 60 % 60),
                       .sec = (double)(rem % 60)};
    csp_wb_fail(c, worksheet_write_datetime(ws, r, col, &dt, c->datetime),
                "writing a date");
    return 19;
}

/* ------------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------------ */

/* A new format (NULL, recorded, when memory ran out). */
static lxw_format *new_format(csp_wb_ctx *c)
{
    lxw_format *f = c->err ? NULL : workbook_add_format(c->wb);
    if (!f)
        csp_wb_nomem(c);
    return f;
}

/* Colours: fill and font of each kind of mark. */
static const struct {
    lxw_color_t fill, font;
} fig_colour[FIG_KINDS] = {
    [FIG_FINAL] = {0, 0},
    [FIG_PROVISIONAL] = {0xFFF2CC, 0x7F6000},
    [FIG_ESTIMATED] = {0xDDEBF7, 0x1F4E78},
    [FIG_MISSING] = {0xEDEDED, 0x595959},
    [FIG_DISPUTED] = {0xFFC7CE, 0x9C0006},
};
static const struct {
    lxw_color_t fill, font;
} status_colour[N_STATUS] = {
    [CSP_ACT_COMPLETE] = {0xDDEBF7, 0x1F4E78},
    [CSP_ACT_NOT_STARTED] = {0xEDEDED, 0x404040},
    [CSP_ACT_ON_TRACK] = {0xC6EFCE, 0x006100},
    [CSP_ACT_AT_RISK] = {0xFFEB9C, 0x9C5700},
    [CSP_ACT_OFF_TRACK] = {0xFFC7CE, 0x9C0006},
};

/* The format of a figure cell: number format with its marks (p, e, and
 * "†" when @p mine, a figure csppack worked out), and colour.  The marks
 * are in the number format so that the cell stays a number. */
lxw_format *csp_wb_fig_format(csp_wb_ctx *c, int kind, bool mine,
                              unsigned decimals)
{
    if (decimals >= FIG_DECIMALS)
        decimals = FIG_DECIMALS - 1;
    if (kind == FIG_MISSING || kind == FIG_DISPUTED) {
        decimals = 0;
        mine = false;
    }
    lxw_format **slot = &c->fig[kind][mine][decimals];
    if (*slot || c->err)
        return *slot;
    lxw_format *f = new_format(c);
    if (!f)
        return NULL;
    /* Thousands separated, as the reports print figures: "#,##0.0". */
    char num[64] = "#,##0";
    if (decimals) {
        num[5] = '.';
        memset(num + 6, '0', decimals);
        num[6 + decimals] = '\0';
    }
    if (kind == FIG_PROVISIONAL)
        strcat(num, mine ? "\" p " CSP_KF_ORIGIN_MARK "\"" : "\" p\"");
    else if (kind == FIG_ESTIMATED)
        strcat(num, mine ? "\" e " CSP_KF_ORIGIN_MARK "\"" : "\" e\"");
    else if (mine)
        strcat(num, "\" " CSP_KF_ORIGIN_MARK "\"");
    if (kind != FIG_MISSING && kind != FIG_DISPUTED)
        format_set_num_format(f, num);
    format_set_align(f, LXW_ALIGN_RIGHT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_indent(f, 1); /* clear of a text column to the right */
    if (fig_colour[kind].fill) {
        format_set_bg_color(f, fig_colour[kind].fill);
        format_set_font_color(f, fig_colour[kind].font);
    }
    *slot = f;
    return f;
}

/* Every fixed format. */
void csp_wb_make_formats(csp_wb_ctx *c)
{
    if ((c->title = new_format(c))) {
        format_set_bold(c->title);
        format_set_font_size(c->title, 14);
    }
    if ((c->intro = new_format(c))) {
        format_set_italic(c->intro);
        format_set_font_color(c->intro, 0x595959);
    }
    if ((c->heading = new_format(c))) {
        format_set_bold(c->heading);
        format_set_font_size(c->heading, 12);
    }
    /* Table headers: shaded and ruled by the format itself, not only by
     * the table style, so that they print and show the same everywhere
     * (LibreOffice ignores table styles). */
    if ((c->thead = new_format(c))) {
        format_set_bold(c->thead);
        format_set_bg_color(c->thead, 0xD9E1F2);
        format_set_bottom(c->thead, LXW_BORDER_THIN);
        format_set_text_wrap(c->thead);
        format_set_align(c->thead, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->text = new_format(c)))
        format_set_align(c->text, LXW_ALIGN_VERTICAL_TOP);
    if ((c->wrap = new_format(c))) {
        format_set_text_wrap(c->wrap);
        format_set_align(c->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->note = new_format(c))) {
        format_set_italic(c->note);
        format_set_font_color(c->note, 0x595959);
        format_set_align(c->note, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->integer = new_format(c))) {
        format_set_num_format(c->integer, "0");
        format_set_align(c->integer, LXW_ALIGN_VERTICAL_TOP);
    }
    /* Counts read as the reports print them: "7,795". */
    if ((c->count = new_format(c))) {
        format_set_num_format(c->count, "#,##0");
        format_set_align(c->count, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->date = new_format(c))) {
        format_set_num_format(c->date, "yyyy-mm-dd");
        format_set_align(c->date, LXW_ALIGN_LEFT);
        format_set_align(c->date, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->datetime = new_format(c))) {
        format_set_num_format(c->datetime, "yyyy-mm-dd hh:mm:ss");
        format_set_align(c->datetime, LXW_ALIGN_LEFT);
        format_set_align(c->datetime, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->label = new_format(c))) {
        format_set_bold(c->label);
        format_set_align(c->label, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->longdate = new_format(c))) {
        format_set_num_format(c->longdate, "d mmmm yyyy");
        format_set_align(c->longdate, LXW_ALIGN_LEFT);
        format_set_align(c->longdate, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->change = new_format(c))) {
        format_set_num_format(c->change, "+0.0;-0.0;0.0");
        format_set_align(c->change, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->refused = new_format(c))) {
        format_set_bg_color(c->refused, fig_colour[FIG_DISPUTED].fill);
        format_set_font_color(c->refused, fig_colour[FIG_DISPUTED].font);
        format_set_bold(c->refused);
        format_set_align(c->refused, LXW_ALIGN_CENTER);
        format_set_align(c->refused, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->center = new_format(c))) {
        format_set_align(c->center, LXW_ALIGN_CENTER);
        format_set_align(c->center, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->code = new_format(c))) {
        format_set_font_name(c->code, "Consolas");
        format_set_align(c->code, LXW_ALIGN_VERTICAL_TOP);
    }
    for (int s = 0; s < N_STATUS; s++) {
        if ((c->status[s] = new_format(c))) {
            format_set_bg_color(c->status[s], status_colour[s].fill);
            format_set_font_color(c->status[s], status_colour[s].font);
            format_set_align(c->status[s], LXW_ALIGN_VERTICAL_TOP);
            if (s == CSP_ACT_OFF_TRACK)
                format_set_bold(c->status[s]);
        }
        if ((c->cond[s] = new_format(c))) {
            format_set_bg_color(c->cond[s], status_colour[s].fill);
            format_set_font_color(c->cond[s], status_colour[s].font);
            if (s == CSP_ACT_OFF_TRACK)
                format_set_bold(c->cond[s]);
        }
    }
    if ((c->severity[CSP_SEV_ERROR] = new_format(c))) {
        format_set_bg_color(c->severity[CSP_SEV_ERROR], 0xFFC7CE);
        format_set_font_color(c->severity[CSP_SEV_ERROR], 0x9C0006);
        format_set_bold(c->severity[CSP_SEV_ERROR]);
        format_set_align(c->severity[CSP_SEV_ERROR], LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->severity[CSP_SEV_WARNING] = new_format(c))) {
        format_set_bg_color(c->severity[CSP_SEV_WARNING], 0xFFEB9C);
        format_set_font_color(c->severity[CSP_SEV_WARNING], 0x9C5700);
        format_set_align(c->severity[CSP_SEV_WARNING],
                         LXW_ALIGN_VERTICAL_TOP);
    }
    c->severity[CSP_SEV_INFO] = c->text;
    /* Ratings: grey, green, amber, red (csp_rating's order), coloured as
     * the statuses that mean the same, the word saying it in print. */
    static const int rating_status[4] = {CSP_ACT_NOT_STARTED, CSP_ACT_ON_TRACK,
                                         CSP_ACT_AT_RISK, CSP_ACT_OFF_TRACK};
    for (int r = 0; r < 4; r++)
        if ((c->rating[r] = new_format(c))) {
            format_set_bg_color(c->rating[r],
                                status_colour[rating_status[r]].fill);
            format_set_font_color(c->rating[r],
                                  status_colour[rating_status[r]].font);
            format_set_align(c->rating[r], LXW_ALIGN_VERTICAL_TOP);
        }
}

/* ------------------------------------------------------------------------
 * Names of things
 * ------------------------------------------------------------------------ */

/* An agency's name as the strategy writes it. */
const char *csp_wb_agency_name(csp_wb_ctx *c, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "csppack (computed)";
    const csp_agency *a = csp_template_agency(c->tpl, id);
    return a ? a->name : id;
}

/* An area's name ("All areas" for the partnership as a whole). */
const char *csp_wb_area_name(csp_wb_ctx *c, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(c->tpl, id);
    return a ? a->name : id;
}

/* A file's name in every output: its base name ("" for none). */
const char *csp_wb_file_name(csp_wb_ctx *c, size_t file)
{
    const char *s = csp_out_file_name(c->ds, file);
    return s ? s : "";
}
