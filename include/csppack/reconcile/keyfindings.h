/*
 * The strategic-assessment key findings, as the strategy prints them:
 * per area, one row per template key-findings row, the year-ending
 * periods the dataset holds, the % change between the latest two, and
 * the per-1,000 rate of the latest.  Shared by the workbook and the report
 * so that both show the same numbers.  Also the period labels in the
 * strategy's style ("YE Sept 16", "Q2 2016/17").
 */
#ifndef CSPPACK_KEYFINDINGS_H
#define CSPPACK_KEYFINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/read/template.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for any period label. */
#define CSP_LABEL_BUFSZ 64

/**
 * A short label for a period in the strategy's style:
 * a 12-month period ending on a month's last day: "YE Sept 16";
 * a quarter of the April–March year: "Q2 2016/17";
 * a whole April–March year: "2016/17"; a calendar month: "Sept 2016";
 * anything else: "1 Jul 2016 – 30 Sept 2016".
 */
void csp_period_label(csp_period p, char buf[CSP_LABEL_BUFSZ]);

/**
 * The long form for sentences: "the year ending 30 September 2016",
 * "the quarter 1 July to 30 September 2016", or "1 July 2016 to
 * 30 September 2016".
 */
void csp_period_phrase(csp_period p, char buf[CSP_LABEL_BUFSZ]);

/** True when @p p is exactly twelve months ending on a month's last day. */
bool csp_period_is_year(csp_period p);

/** True when @p p is three whole calendar months (a quarter of any year). */
bool csp_period_is_quarter(csp_period p);

/** Maximum number of year-ending columns a table shows (the template's
 *  <key-findings years> is at most this). */
#define CSP_KF_MAX_YEARS CSP_TEMPLATE_MAX_KF_YEARS

/** One row of one area's table. */
typedef struct csp_kf_line {
    const csp_kf_row *row;                       /**< the template's row */
    const csp_figure *values[CSP_KF_MAX_YEARS];  /**< per period; NULL: none */
    bool has_change;                             /**< both latest values stand */
    csp_decimal change;                          /**< % change, 1 decimal */
    const csp_figure *rate;                      /**< latest period's rate, or NULL */
} csp_kf_line;

/** One area's table. */
typedef struct csp_kf_area {
    const csp_area *area;
    csp_kf_line *lines;
    size_t nlines;
} csp_kf_area;

/** The key findings of a dataset. */
typedef struct csp_kf {
    csp_period periods[CSP_KF_MAX_YEARS];  /**< ascending */
    size_t nperiods;
    unsigned month;                        /**< the month they end, 1..12:
                                                the template's year_end_month,
                                                or the month that ends most
                                                twelve-month figures; 0 when
                                                there is none */
    csp_kf_area *areas;                    /**< template order */
    size_t nareas;
} csp_kf;

/**
 * Build the key findings of @p ds: the latest tpl->key_findings.years
 * twelve-month periods (at most CSP_KF_MAX_YEARS) that end on the last
 * day of the key findings' month (csp_kf.month), by the end of the board
 * pack's period (csp_pack_default_period; any, when it has none), and
 * for which any row has a figure in any area.  So a year typed wrong, one
 * not over, or a stray rolling year among financial years moves neither
 * table nor the strategy document's year.  Caller frees with csp_kf_free.
 */
csp_error csp_kf_build(const csp_dataset *ds, csp_kf *out) CSP_MUST_CHECK;

/** The same with the years that end by @p until. */
csp_error csp_kf_build_until(const csp_dataset *ds, csp_date until,
                             csp_kf *out) CSP_MUST_CHECK;

/** Free what csp_kf_build allocated. */
void csp_kf_free(csp_kf *kf);

/** True when the key findings' years are financial years (April to
 *  March: csp_kf.month 3), false otherwise. */
bool csp_kf_financial(const csp_kf *kf);

/** True when they are calendar years (csp_kf.month 12). */
bool csp_kf_calendar(const csp_kf *kf);

/**
 * The column label of key-findings period @p p: "2019/20" for financial
 * years, "2019" for calendar years, else csp_period_label ("YE Sept 19").
 * A period that is not one of the kind's years: csp_period_label.
 */
void csp_kf_label(const csp_kf *kf, csp_period p, char buf[CSP_LABEL_BUFSZ]);

/**
 * The words for period @p p in sentences, by the key findings' kind of
 * year: "2020/21" for a financial year, "2021" for a calendar year, else
 * csp_period_phrase ("the year ending 30 September 2021").
 */
void csp_kf_phrase(const csp_kf *kf, csp_period p, char buf[CSP_LABEL_BUFSZ]);

/**
 * The heading of the % change column: the template's label
 * key-findings-change ("% change") and the two latest periods, "% change
 * 2019/20 to 2020/21" for financial or calendar years; "% change (20 to
 * 21)" for years ending another month; the label alone for fewer than
 * two periods.  malloc'd; NULL when memory ran out.
 */
char *csp_kf_change_header(const csp_template *tpl, const csp_kf *kf);

/** The title of a chart's axis of years: the template's label chart-years
 *  ("Year ending"), chart-financial-years ("Financial year") or
 *  chart-calendar-years ("Year"), by the kind of year. */
const char *csp_kf_axis_title(const csp_template *tpl, const csp_kf *kf);

/**
 * What the rate column is per, from the first row's rate indicator:
 * "per 1,000 population" (also when no row has a rate), "per 100,000
 * population", "per 1,000 households".
 */
void csp_kf_rate_basis(const csp_template *tpl, char buf[CSP_LABEL_BUFSZ]);

/**
 * The heading of the rate column: the template's label key-findings-rate
 * when it gives one; else "Per 1,000 pop." (the label's default) for
 * rates per 1,000 population, or the basis in the same style ("Per
 * 100,000 pop.", "Per 1,000 households").
 */
void csp_kf_rate_header(const csp_template *tpl, char buf[CSP_LABEL_BUFSZ]);

/** The mark after a figure csppack worked out ("†", UTF-8). */
#define CSP_KF_ORIGIN_MARK "\xE2\x80\xA0"

/**
 * The legend of one table's figures that csppack worked out, shared by
 * the report and the workbook so that both say the same: start it with
 * csp_kf_legend_init, pass every figure the table shows to
 * csp_kf_legend_note, then take its text.
 */
typedef struct csp_kf_legend {
    bool marked;               /**< some figure of the table is csppack's */
    size_t nreplaced;          /**< of them, how many replaced a partner's */
    char *replaced;            /**< "The police sent 5.9 for ...; ..." */
    size_t len;
    csp_error err;             /**< CSP_ERR_NOMEM once memory ran out */
    bool plain;                /**< for the board: no diagnostic code in
                                    the sentence (set after init; kept by
                                    csp_kf_legend_take) */
} csp_kf_legend;

/** Start an empty legend. */
void csp_kf_legend_init(csp_kf_legend *lg);

/**
 * True when figure @p f of @p ds is csppack's (csp_dataset_figure_origin
 * says computed or replaced), so that it carries CSP_KF_ORIGIN_MARK; the
 * legend notes what it must say of it (the partner and the value it sent,
 * when csppack's figure replaced it).
 */
bool csp_kf_legend_note(csp_kf_legend *lg, const csp_dataset *ds,
                        const csp_figure *f);

/**
 * The legend line, "† worked out by csppack from the partnership's
 * figures under the strategy's rule. The police sent 5.9 for ...", or
 * NULL when no figure noted is marked (or memory ran out: lg->err).
 * The caller frees it.  The legend is emptied for the next table.
 */
char *csp_kf_legend_take(csp_kf_legend *lg);

/** Free what the legend holds. */
void csp_kf_legend_free(csp_kf_legend *lg);

/** Format a % change with its sign: "+11.5", "-3.0", "0.0". */
void csp_kf_format_change(csp_decimal change, char buf[CSP_DECIMAL_BUFSZ + 1]);

#ifdef __cplusplus
}
#endif
#endif
