/*
 * Charts of the HTML report (html_parts.h): a figure holding an SVG
 * image (role="img", named by its <title> and <desc>) drawn like the
 * PDF's (a y axis from zero with round ticks, bars or lines with a
 * marker shape per series, a legend as text), then the same figures in
 * a table, exactly as printed; the figure's caption comes first.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/html/html_parts.h"

/* The drawing's width; its height follows from the legend. */
#define W 640.0
#define LEFT 56.0
#define RIGHT 12.0
#define TOP 12.0
#define PLOT_H 200.0
#define LEGEND_ROW 20.0

/* The marker of series s on a line chart: the PDF's order, so the
 * series differ in shape as well as colour. */
static csp_mark series_mark(size_t s)
{
    static const csp_mark marks[] = {CSP_MARK_DOT,      CSP_MARK_SQUARE,
                                     CSP_MARK_TRIANGLE, CSP_MARK_DIAMOND,
                                     CSP_MARK_RING,     CSP_MARK_CROSS};
    return marks[s % (sizeof marks / sizeof *marks)];
}

/* Characters (not bytes) in UTF-8 text, for estimating its width. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A number for an SVG attribute, one decimal place. */
static void num(char out[32], double v)
{
    snprintf(out, 32, "%.1f", v);
}

/* Set a numeric attribute. */
static void nattr(csp_html *h, xmlNodePtr n, const char *name, double v)
{
    char s[32];
    num(s, v);
    csp_html_attr(h, n, name, s);
}

/* Text in the drawing at (x, y). */
static xmlNodePtr svg_text(csp_html *h, xmlNodePtr svg, double x, double y,
                           const char *anchor, double size, const char *text)
{
    xmlNodePtr t = csp_html_el(h, svg, "text", text);
    nattr(h, t, "x", x);
    nattr(h, t, "y", y);
    if (anchor)
        csp_html_attr(h, t, "text-anchor", anchor);
    nattr(h, t, "font-size", size);
    return t;
}

/* A straight line. */
static void svg_line(csp_html *h, xmlNodePtr svg, double x1, double y1,
                     double x2, double y2, const char *colour, double width)
{
    xmlNodePtr l = csp_html_el(h, svg, "line", NULL);
    nattr(h, l, "x1", x1);
    nattr(h, l, "y1", y1);
    nattr(h, l, "x2", x2);
    nattr(h, l, "y2", y2);
    csp_html_attr(h, l, "stroke", colour);
    nattr(h, l, "stroke-width", width);
}

/* A marker shape centred at (x, y). */
static void marker(csp_html *h, xmlNodePtr svg, csp_mark m, double x, double y,
                   const char *colour)
{
    char tr[96];
    snprintf(tr, sizeof tr, "translate(%.1f %.1f)", x - 6, y - 6);
    xmlNodePtr g = csp_html_el(h, svg, "g", NULL);
    csp_html_attr(h, g, "transform", tr);
    csp_html_shape(h, g, m, colour);
}

/* The axis: the top value and the step between round ticks. */
static void axis(const csp_doc_chart *c, double *top, double *step)
{
    double vmax = 0;
    for (size_t i = 0; i < c->ncategories * c->nseries; i++)
        if (c->values[i] > vmax)
            vmax = c->values[i];
    if (!(vmax > 0))
        vmax = 1;
    double raw = vmax / 5, mag = pow(10, floor(log10(raw)));
    double n = raw / mag;
    *step = (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
    *top = ceil(vmax / *step - 1e-9) * *step;
}

/* A tick's label: as many decimal places as the step needs. */
static void tick_label(char out[32], double v, double step)
{
    int places = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(out, 32, "%.*f", places, v);
}

/* The legend's rows in width w; the x of each entry in x[], its row in
 * row[]. */
static size_t legend_layout(const csp_doc_chart *c, double *x, size_t *row)
{
    double at = LEFT;
    size_t r = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        double w = 22 + 6.2 * (double)chars(c->series[s]) + 18;
        if (s > 0 && at + w > W - RIGHT) {
            at = LEFT;
            r++;
        }
        x[s] = at;
        row[s] = r;
        at += w;
    }
    return c->nseries ? r + 1 : 0;
}

/* Bars or lines in the plot. */
static void plot(csp_html *h, xmlNodePtr svg, const csp_doc_chart *c,
                 double top, char (*col)[8])
{
    double pw = W - LEFT - RIGHT, gw = pw / (double)c->ncategories;
    double base = TOP + PLOT_H;
    for (size_t s = 0; s < c->nseries; s++) {
        double bw = gw * 0.8 / (double)c->nseries;
        double px = 0, py = 0;
        bool have = false;
        for (size_t k = 0; k < c->ncategories; k++) {
            double v = c->values[k * c->nseries + s];
            if (v < 0) {
                have = false; /* a gap, never a drop to zero */
                continue;
            }
            double y = base - v / top * PLOT_H;
            if (c->lines) {
                double x = LEFT + gw * ((double)k + 0.5);
                if (have)
                    svg_line(h, svg, px, py, x, y, col[s], 2);
                px = x;
                py = y;
                have = true;
            } else {
                xmlNodePtr r = csp_html_el(h, svg, "rect", NULL);
                nattr(h, r, "x",
                      LEFT + gw * ((double)k + 0.1) + bw * (double)s);
                nattr(h, r, "y", y);
                nattr(h, r, "width", bw);
                nattr(h, r, "height", base - y);
                csp_html_attr(h, r, "fill", col[s]);
            }
        }
        if (c->lines)
            for (size_t k = 0; k < c->ncategories; k++) {
                double v = c->values[k * c->nseries + s];
                if (v >= 0)
                    marker(h, svg, series_mark(s),
                           LEFT + gw * ((double)k + 0.5),
                           base - v / top * PLOT_H, col[s]);
            }
    }
}

/* The axes, ticks, gridlines and category labels; the height the
 * labels take below the plot. */
static double axes(csp_html *h, xmlNodePtr svg, const csp_doc_chart *c,
                   double top, double step)
{
    double pw = W - LEFT - RIGHT, gw = pw / (double)c->ncategories;
    double base = TOP + PLOT_H;
    char s[32];
    for (double v = 0; v <= top + step / 2; v += step) {
        double y = base - v / top * PLOT_H;
        svg_line(h, svg, LEFT, y, W - RIGHT, y, v == 0 ? "#1a1a1a" : "#d0d0d0",
                 v == 0 ? 1.2 : 0.6);
        tick_label(s, v, step);
        svg_text(h, svg, LEFT - 6, y + 4, "end", 11, s);
    }
    size_t longest = 1;
    for (size_t k = 0; k < c->ncategories; k++)
        if (chars(c->categories[k]) > longest)
            longest = chars(c->categories[k]);
    /* Labels too wide for their column turn, rather than overlap. */
    bool turn = 6.6 * (double)longest > gw - 4;
    for (size_t k = 0; k < c->ncategories; k++) {
        double x = LEFT + gw * ((double)k + 0.5);
        xmlNodePtr t = svg_text(h, svg, x, base + 16, turn ? "end" : "middle",
                                11, c->categories[k]);
        if (turn) {
            char tr[64];
            snprintf(tr, sizeof tr, "rotate(-40 %.1f %.1f)", x, base + 16);
            csp_html_attr(h, t, "transform", tr);
        }
    }
    return turn ? 16 + 6.6 * (double)longest * 0.65 : 24;
}

/* The drawing, labelled by its title and description. */
static void drawing(csp_html *h, xmlNodePtr fig, const csp_doc_chart *c,
                    const char *tid, const char *did)
{
    char(*col)[8] = csp_calloc(c->nseries ? c->nseries : 1, sizeof *col);
    double *lx = csp_calloc(c->nseries ? c->nseries : 1, sizeof *lx);
    size_t *lrow = csp_calloc(c->nseries ? c->nseries : 1, sizeof *lrow);
    if (!col || !lx || !lrow) {
        h->err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t s = 0; s < c->nseries; s++)
        csp_html_colour(c->colours[s], col[s]);
    double top, step;
    axis(c, &top, &step);
    xmlNodePtr svg = csp_html_el(h, fig, "svg", NULL);
    csp_html_attr(h, svg, "class", "chart");
    csp_html_attr(h, svg, "role", "img");
    char by[80];
    snprintf(by, sizeof by, "%s %s", tid, did);
    csp_html_attr(h, svg, "aria-labelledby", c->desc ? by : tid);
    csp_html_attr(h, svg, "font-family", "system-ui, sans-serif");
    csp_html_attr(h, svg, "fill", "#1a1a1a");
    xmlNodePtr t = csp_html_el(h, svg, "title", c->title ? c->title : "Chart");
    csp_html_attr(h, t, "id", tid);
    if (c->desc) {
        xmlNodePtr d = csp_html_el(h, svg, "desc", c->desc);
        csp_html_attr(h, d, "id", did);
    }
    double below = c->ncategories ? axes(h, svg, c, top, step) : 24;
    if (c->ncategories)
        plot(h, svg, c, top, col);
    size_t rows = legend_layout(c, lx, lrow);
    double ly = TOP + PLOT_H + below + 8;
    for (size_t s = 0; s < c->nseries; s++) {
        double y = ly + LEGEND_ROW * (double)lrow[s];
        if (c->lines)
            svg_line(h, svg, lx[s], y + 6, lx[s] + 16, y + 6, col[s], 2);
        marker(h, svg, c->lines ? series_mark(s) : CSP_MARK_SQUARE, lx[s] + 8,
               y + 6, col[s]);
        svg_text(h, svg, lx[s] + 22, y + 10, NULL, 11, c->series[s]);
    }
    char vb[64];
    snprintf(vb, sizeof vb, "0 0 %.0f %.0f", W,
             ly + LEGEND_ROW * (double)rows + 4);
    csp_html_attr(h, svg, "viewBox", vb);
out:
    free(col);
    free(lx);
    free(lrow);
}

/* The figures of the chart as a table: a row per category, a column per
 * series, each value as printed. */
static void figures(csp_html *h, xmlNodePtr fig, const csp_doc_chart *c)
{
    size_t len = strlen(c->title ? c->title : "") + 32;
    char *cap = csp_malloc(len);
    if (!cap) {
        h->err = CSP_ERR_NOMEM;
        return;
    }
    snprintf(cap, len, "Figures: %s", c->title ? c->title : "chart");
    xmlNodePtr table = csp_html_table_open(h, fig, false, cap);
    free(cap);
    xmlNodePtr tr =
        csp_html_el(h, csp_html_el(h, table, "thead", NULL), "tr", NULL);
    csp_html_el(h, tr, "td", NULL);
    for (size_t s = 0; s < c->nseries; s++) {
        xmlNodePtr th = csp_html_el(h, tr, "th", c->series[s]);
        csp_html_attr(h, th, "scope", "col");
        csp_html_attr(h, th, "class", "num");
    }
    csp_html_nl(h, table);
    xmlNodePtr tbody = csp_html_el(h, table, "tbody", NULL);
    csp_html_nl(h, tbody);
    for (size_t k = 0; k < c->ncategories && !h->err; k++) {
        tr = csp_html_el(h, tbody, "tr", NULL);
        xmlNodePtr th = csp_html_el(h, tr, "th", c->categories[k]);
        csp_html_attr(h, th, "scope", "row");
        for (size_t s = 0; s < c->nseries; s++) {
            const char *v =
                c->value_text ? c->value_text[k * c->nseries + s] : NULL;
            xmlNodePtr td = csp_html_el(h, tr, "td", v ? v : "–");
            csp_html_attr(h, td, "class", "num");
        }
        csp_html_nl(h, tbody);
    }
    csp_html_nl(h, table);
    csp_html_nl(h, table ? table->parent : NULL);
}

/* A chart as a figure: caption, drawing, table. */
void csp_html_chart(csp_html *h, xmlNodePtr parent, const csp_doc_chart *c)
{
    if (!c || h->err)
        return;
    char tid[32], did[32];
    unsigned n = ++h->ncharts;
    snprintf(tid, sizeof tid, "c%u-title", n);
    snprintf(did, sizeof did, "c%u-desc", n);
    xmlNodePtr fig = csp_html_block(h, parent, "figure", NULL);
    csp_html_nl(h, fig);
    csp_html_el(h, fig, "figcaption", c->title ? c->title : "Chart");
    csp_html_nl(h, fig);
    drawing(h, fig, c, tid, did);
    csp_html_nl(h, fig);
    figures(h, fig, c);
    csp_html_nl(h, fig);
    csp_html_nl(h, parent);
}
