/*
 * Charts for csppack's PDF layout (layout.h): bars or lines over
 * categories, a y axis from zero with round ticks, a legend, and markers
 * that tell series apart without colour.
 *
 *     csp_chart c = {.title = "Crimes", .categories = years, ...};
 *     csp_layout_chart(L, &c, x, y, w, h);
 */
#ifndef CSPPACK_WRITE_PDF_CHART_H
#define CSPPACK_WRITE_PDF_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/write/pdf/layout.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Charts ------------------------------------------------------------ */

/**
 * A chart: one category per point of the x axis, one series per area.
 * Bars: a group per category, a bar per series.  Lines: a line per
 * series with a marker (csp_chart_series_mark) at each value; a category
 * without a value breaks the line (a gap, never a drop to zero).
 */
typedef struct csp_chart {
    const char *title;
    const char *const *categories; /**< x-axis labels */
    size_t ncategories;
    const char *const *series; /**< legend labels */
    size_t nseries;
    const double *values;   /**< [category * nseries + series];
                                 negative: no value */
    const csp_rgb *colours; /**< one per series */
    bool legend;            /**< draw the legend under the chart */
    bool lines;             /**< a line chart, not bars */
    /** Each value as the report prints it in its tables ("7,795"),
     *  [category * nseries + series], for the HTML version's table of
     *  the chart's figures; NULL, or a NULL entry: none. */
    const char *const *value_text;
    /** What the chart shows, in one sentence (its text alternative);
     *  NULL: none. */
    const char *desc;
} csp_chart;

/**
 * Draw @p c in the box whose top left corner is (x, y), @p w by @p h
 * points, on the current page: title, y axis from zero with round ticks
 * and gridlines, x labels, bars or lines, and (when asked) a legend.
 */
void csp_layout_chart(csp_layout *L, const csp_chart *c, double x, double y,
                      double w, double h);

/** The marker of series @p s of a line chart, so that the series differ
 *  in shape as well as colour (black-and-white printing). */
csp_mark csp_chart_series_mark(size_t s);

/** The plot area of a chart: where its values are drawn. */
typedef struct csp_chart_plot {
    double x, y; /**< the left end of the zero line */
    double w, h; /**< width; height from zero to vmax */
    double vmax; /**< the value at the top of the axis (> 0) */
} csp_chart_plot;

/** One straight piece of a line: from category @p from to from + 1. */
typedef struct csp_chart_piece {
    size_t from;
    double x1, y1, x2, y2; /**< in points */
} csp_chart_piece;

/**
 * The pieces series @p s of @p c is drawn with in @p plot: one for each
 * two neighbouring categories that both have a value, each point in the
 * middle of its category.  A category without a value (negative) has no
 * piece to or from it, so a missing figure is a gap in the line.  Writes
 * at most c->ncategories - 1 pieces to @p out; returns how many.
 */
size_t csp_chart_line_pieces(const csp_chart *c, size_t s,
                             const csp_chart_plot *plot, csp_chart_piece *out);

#ifdef __cplusplus
}
#endif
#endif
