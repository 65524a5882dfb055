/* csppack: the workbook's About sheet, first: what the workbook is
 * about, when it was produced, and what its marks and units mean
 * (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <string.h>

/* Column B's width in characters: the text wraps within it. */
#define ABOUT_WIDTH 70

/* Write @p label in column A and @p text, wrapped, in column B of row
 * *r, giving the row the height its lines need; then the next row. */
static void about_line(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r,
                       const char *label, const char *text)
{
    size_t lines = 1;
    csp_wb_put_text(c, ws, *r, 0, label, c->label);
    csp_wb_put_text_lines(c, ws, *r, 1, text, c->wrap, ABOUT_WIDTH, &lines);
    if (lines > 1 && !c->err)
        csp_wb_fail(c, worksheet_set_row(ws, *r, 15.0 * (double)lines, NULL),
                    "setting a row height");
    (*r)++;
}

/* A heading row, after a blank one. */
static void about_heading(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r,
                          const char *text)
{
    (*r)++;
    csp_wb_put_text(c, ws, (*r)++, 0, text, c->heading);
}

/* The latest submitted instant of the files that count: the date the
 * workbook is produced on, whatever the clock says (and, unlike the
 * document's properties, whatever SOURCE_DATE_EPOCH says: it dates the
 * file, not the figures).  False when no file counts. */
static bool latest_submission(const csp_dataset *ds, csp_instant *out)
{
    bool any = false;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused || !f->has_submitted || f->duplicate_of != CSP_NO_INDEX)
            continue;
        if (!any || csp_instant_cmp(f->submitted, *out) > 0)
            *out = f->submitted;
        any = true;
    }
    return any;
}

/* The partnership, strategy, period, date and marking. */
static void about_pack(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r)
{
    const csp_template *tpl = c->tpl;
    char text[512];
    about_line(c, ws, r, "Partnership", tpl->partnership);
    if (tpl->subtitle && *tpl->subtitle)
        snprintf(text, sizeof text, "%s: %s", tpl->title, tpl->subtitle);
    else
        snprintf(text, sizeof text, "%s", tpl->title);
    about_line(c, ws, r, "Strategy", text);
    if (c->has_period) {
        char phrase[CSP_LABEL_BUFSZ], label[CSP_LABEL_BUFSZ];
        csp_period_phrase(c->period, phrase);
        csp_period_label(c->period, label);
        if (phrase[0] >= 'a' && phrase[0] <= 'z')
            phrase[0] = (char)(phrase[0] - 'a' + 'A');
        snprintf(text, sizeof text, "%s (%s)", phrase, label);
    } else {
        snprintf(text, sizeof text, "None: no figure was submitted.");
    }
    about_line(c, ws, r, "Board pack period", text);
    csp_instant t;
    csp_wb_put_text(c, ws, *r, 0, "Produced", c->label);
    if (latest_submission(c->ds, &t)) {
        /* The partner's own date, as it wrote the instant. */
        int64_t local = t.seconds + (int64_t)t.offset_min * 60;
        int64_t days = local / 86400 - (local % 86400 < 0);
        int y = 0, m = 1, d = 1;
        if (days >= INT32_MIN && days <= INT32_MAX)
            csp_date_to_ymd((csp_date)days, &y, &m, &d);
        if (y >= 1900 && y <= 9999 && !c->err) {
            lxw_datetime dt = {.year = y, .month = m, .day = d};
            csp_wb_fail(c,
                        worksheet_write_datetime(ws, *r, 1, &dt, c->longdate),
                        "writing a date");
        }
        csp_wb_put_text(c, ws, *r + 1, 1,
                        "The date of the latest submission read, not the "
                        "day the workbook was made: the same submissions "
                        "give the same workbook.",
                        c->note);
        *r += 2;
    } else {
        csp_wb_put_text(c, ws, (*r)++, 1, "No submission was read.", c->wrap);
    }
    size_t counted = 0;
    for (size_t i = 0; i < c->ds->nfiles; i++)
        counted += !c->ds->files[i].refused &&
                   c->ds->files[i].duplicate_of == CSP_NO_INDEX;
    snprintf(text, sizeof text, "%zu partner submission%s (see Submissions).",
             counted, counted == 1 ? "" : "s");
    about_line(c, ws, r, "Read", text);
    about_line(c, ws, r, "Protective marking",
               c->marking && *c->marking
                   ? c->marking
                   : "None. A marking, when the template or --marking gives "
                     "one, is printed at the top of every page.");
}

/* What each mark means, the thresholds from the template. */
static void about_marks(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r)
{
    char amber[CSP_DECIMAL_BUFSZ], same[CSP_DECIMAL_BUFSZ], text[768];
    csp_decimal_format(c->tpl->thresholds.amber_within, amber);
    csp_decimal_format(c->tpl->thresholds.no_change_within, same);
    about_heading(c, ws, r, "What the marks on a figure mean");
    about_line(c, ws, r, "final",
               "Data status: the partner's figure is final. Data status "
               "says how firm a figure is, not how well the measure is "
               "doing.");
    about_line(c, ws, r, "p  provisional", "The partner may still revise it.");
    about_line(c, ws, r, "e  estimated", "The partner estimated it.");
    about_line(c, ws, r, "\xe2\x80\x93  missing",
               "The partner said it has no figure for the period (its note "
               "says why).");
    about_line(c, ws, r, "disputed",
               "Partners sent figures that do not agree, so none is used "
               "(see Discrepancies).");
    about_line(c, ws, r, CSP_KF_ORIGIN_MARK "  computed",
               "Worked out by csppack from the partnership's own figures "
               "under the strategy's rule (a total, a rate or a share); "
               "no partner sent it.");
    about_line(c, ws, r, CSP_KF_ORIGIN_MARK "  replaced",
               "Worked out by csppack and used in place of a partner's "
               "figure that does not agree with the figures it is made "
               "from (the Discrepancies sheet says what the partner "
               "sent).");
    about_line(c, ws, r, "Revised",
               "The figure differs from the one the previous board pack "
               "used (see Revisions).");

    about_heading(c, ws, r, "Direction of travel");
    about_line(c, ws, r, "Compared with",
               "Each measure's figure is compared with the figure its "
               "template names: by default the same period a year "
               "earlier; or the period before; or a baseline year.");
    about_line(c, ws, r, "Better",
               "It moved the way the strategy wants (down for a measure "
               "to reduce, up for one to increase).");
    about_line(c, ws, r, "Worse", "It moved the other way.");
    snprintf(text, sizeof text,
             "It changed by %s%% of the comparator's figure or less.", same);
    about_line(c, ws, r, "No real change", text);
    about_line(c, ws, r, "Up, Down",
               "For a measure the strategy wants neither up nor down: "
               "which way it went.");
    about_line(c, ws, r, "(blank)", "No figure to compare with.");

    about_heading(c, ws, r, "Ratings");
    about_line(c, ws, r, "Green", "On target or better.");
    snprintf(text, sizeof text,
             "Worse than target by %s%% of the target or less.", amber);
    about_line(c, ws, r, "Amber", text);
    snprintf(text, sizeof text, "Worse than target by more than %s%%.", amber);
    about_line(c, ws, r, "Red", text);
    about_line(c, ws, r, "Grey",
               "Not rated: no target for the period, no figure, or a "
               "measure the strategy wants neither up nor down.");
}

/* Whether an indicator before @p i has the unit of indicator @p i (with
 * its per= and of=), or it is one of the three every workbook explains. */
static bool unit_said(const csp_template *tpl, size_t i)
{
    const csp_indicator *a = &tpl->indicators[i];
    if (a->unit == CSP_UNIT_COUNT || a->unit == CSP_UNIT_PERCENT ||
        (a->unit == CSP_UNIT_RATE && a->per == 1000 &&
         a->base == CSP_BASE_POPULATION))
        return true;
    for (size_t k = 0; k < i; k++) {
        const csp_indicator *b = &tpl->indicators[k];
        if (b->unit == a->unit &&
            (a->unit != CSP_UNIT_RATE ||
             (b->per == a->per && b->base == a->base)))
            return true;
    }
    return false;
}

/* The other units the template's indicators have (template format 2):
 * rates per another multiplier or per household, money, averages. */
static void about_other_units(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r)
{
    char buf[CSP_WB_UNIT_BUFSZ], text[160], per[CSP_DECIMAL_GROUPED_BUFSZ];

    for (size_t i = 0; i < c->tpl->nindicators; i++) {
        const csp_indicator *ind = &c->tpl->indicators[i];
        if (unit_said(c->tpl, i))
            continue;
        if (ind->unit == CSP_UNIT_RATE) {
            csp_decimal_format_grouped((csp_decimal){ind->per, 0}, 0, per);
            snprintf(text, sizeof text, "A count for every %s %s.", per,
                     ind->base == CSP_BASE_HOUSEHOLDS
                         ? "households in the area"
                         : "people living in the area");
        } else if (ind->unit == CSP_UNIT_MONEY) {
            snprintf(text, sizeof text, "An amount of money, in %s.",
                     c->tpl->currency ? c->tpl->currency : "\xC2\xA3");
        } else {
            snprintf(text, sizeof text,
                     "An average: a mean or a score, as the indicator's "
                     "name says.");
        }
        about_line(c, ws, r, csp_wb_unit_words(ind, buf), text);
    }
}

/* Units in words, and the sheets. */
static void about_units(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t *r)
{
    char buf[CSP_WB_UNIT_BUFSZ];
    csp_indicator count = {.unit = CSP_UNIT_COUNT};
    csp_indicator rate = {.unit = CSP_UNIT_RATE, .per = 1000};
    csp_indicator percent = {.unit = CSP_UNIT_PERCENT};

    about_heading(c, ws, r, "Units");
    about_line(c, ws, r, csp_wb_unit_words(&count, buf),
               "A number of crimes, incidents, people or referrals in the "
               "period.");
    about_line(c, ws, r, csp_wb_unit_words(&rate, buf),
               "A count for every 1,000 people living in the area.");
    about_line(c, ws, r, csp_wb_unit_words(&percent, buf),
               "A share, out of 100.");
    about_other_units(c, ws, r);
    about_line(c, ws, r, "Periods",
               "\"Q2 2016/17\" is the second quarter (July to September) "
               "of the April to March year 2016/17; \"YE Sept 16\" the 12 "
               "months ending 30 September 2016.");

    about_heading(c, ws, r, "Sheets");
    about_line(c, ws, r, "Key findings",
               csp_template_label(c->tpl, CSP_LABEL_SHEET_KEY_FINDINGS));
    about_line(c, ws, r, "Indicators",
               "A row per measure and area, a column per period, with "
               "its rating and direction of travel.");
    about_line(c, ws, r, "Data",
               "Every figure, one per row, for filters and pivot tables.");
    about_line(c, ws, r, "Action plan, Action history",
               "Each action's status and every update.");
    about_line(c, ws, r, "Returns",
               "What each partner owes for the board pack's period and "
               "has not sent.");
    about_line(c, ws, r, "Revisions",
               "Figures and action statuses changed since the previous "
               "board pack.");
    about_line(c, ws, r, "Submissions, Discrepancies",
               "Every file read, and every problem found in them.");
    about_line(c, ws, r, "Trends", "The key findings as charts.");
}

/* The About sheet. */
void csp_wb_sheet_about(csp_wb_ctx *c)
{
    lxw_worksheet *ws = csp_wb_add_sheet(c, "About", 1, false);
    if (!ws)
        return;
    csp_wb_page_setup(c, ws, false);
    worksheet_set_portrait(ws);
    lxw_row_t r = 0;
    csp_wb_put_text(c, ws, r++, 0, "About this workbook", c->title);
    csp_wb_put_text(c, ws, r++, 0,
                    "The partnership's figures and action plan as the "
                    "partners sent them, reconciled by csppack.",
                    c->intro);
    r++;
    about_pack(c, ws, &r);
    about_marks(c, ws, &r);
    about_units(c, ws, &r);
    if (c->err)
        return;
    csp_wb_fail(c, worksheet_set_column(ws, 0, 0, 24, NULL),
                "setting a column width");
    csp_wb_fail(c, worksheet_set_column(ws, 1, 1, ABOUT_WIDTH, NULL),
                "setting a column width");
    csp_wb_page_fit(c, ws, 24 + ABOUT_WIDTH + 10.0 / 7.0, true);
}
