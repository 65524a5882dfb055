/* csppack: the PDF layout's charts. */
#include "csppack/write/pdf/chart.h"

#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/pdf/engine.h"

/* ---- Charts ----------------------------------------------------------- */

/* A round step for about five ticks up to max. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 4;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    double s = nf * p;
    return s < 1 ? 1 : s;
}

/* "12,000" */
static void format_tick(double v, char *buf, size_t n)
{
    long long x = llround(v);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", x < 0 ? -x : x);
    size_t len = strlen(tmp), o = 0;
    if (x < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
}

/* Shapes that tell series apart without colour. */
csp_mark csp_chart_series_mark(size_t s)
{
    static const csp_mark marks[] = {CSP_MARK_DOT,      CSP_MARK_SQUARE,
                                     CSP_MARK_TRIANGLE, CSP_MARK_DIAMOND,
                                     CSP_MARK_RING,     CSP_MARK_CROSS};
    return marks[s % (sizeof marks / sizeof *marks)];
}

/* The point of category k with value v in plot p. */
static void chart_point(const csp_chart *c, const csp_chart_plot *p, size_t k,
                        double v, double *x, double *y)
{
    double gw = p->w / (double)c->ncategories;
    *x = p->x + gw * (double)k + gw / 2;
    *y = p->y + p->h * v / p->vmax;
}

/* Pieces join only categories that both have a value: that is the gap. */
size_t csp_chart_line_pieces(const csp_chart *c, size_t s,
                             const csp_chart_plot *plot, csp_chart_piece *out)
{
    size_t n = 0;
    if (s >= c->nseries || plot->vmax <= 0)
        return 0;
    for (size_t k = 0; k + 1 < c->ncategories; k++) {
        double a = c->values[k * c->nseries + s];
        double b = c->values[(k + 1) * c->nseries + s];
        if (a < 0 || b < 0)
            continue;
        csp_chart_piece *pc = &out[n++];
        pc->from = k;
        chart_point(c, plot, k, a, &pc->x1, &pc->y1);
        chart_point(c, plot, k + 1, b, &pc->x2, &pc->y2);
    }
    return n;
}

/* The lines of a line chart, then a marker at every value (over the
 * lines, so that a value between two gaps shows too). */
static void chart_lines(csp_layout *L, const csp_chart *c,
                        const csp_chart_plot *plot)
{
    csp_chart_piece *pc =
        csp_malloc(c->ncategories * sizeof *pc); /* ncategories > 0 */
    if (!pc) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    for (size_t s = 0; s < c->nseries; s++) {
        size_t n = csp_chart_line_pieces(c, s, plot, pc);
        for (size_t i = 0; i < n; i++)
            csp_layout_line(L, &c->colours[s], 1.6, pc[i].x1, pc[i].y1,
                            pc[i].x2, pc[i].y2);
    }
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t k = 0; k < c->ncategories; k++) {
            double v = c->values[k * c->nseries + s], px, py;
            if (v < 0)
                continue;
            chart_point(c, plot, k, v, &px, &py);
            csp_layout_draw_mark(L, csp_chart_series_mark(s), &c->colours[s],
                                 px, py, 6);
        }
    free(pc);
}

/* The chart's title at the top of its box, wrapped to the box's width on
 * at most two lines (the second cut with an ellipsis when the title is
 * longer still): a long one does not run into its neighbour.  Returns
 * the height it takes. */
static double chart_title(csp_layout *L, const csp_text_style *st, double x,
                          double top, double w, const char *title)
{
    double h = 18;
    char *clean = NULL, *cut = NULL;
    csp_wrap wr = {0};
    if (csp_layout_text_width(L, st->face, st->size, title) <= w) {
        csp_layout_text_at(L, st, x, top - 9, title);
        goto out;
    }
    clean = csp_pdf_dup_clean(L, title);
    if (!clean || !csp_pdf_wrap(L, st, clean, w, &wr))
        goto out;
    for (size_t i = 0; i < wr.count && i < 2; i++) {
        const char *s = clean + wr.lines[i].start;
        size_t n = wr.lines[i].len;
        if (i == 1 && wr.count > 2) {
            cut = csp_layout_fit_text(L, st, s, w);
            if (!cut) {
                csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
                goto out;
            }
            s = cut;
            n = strlen(cut);
        }
        csp_pdf_draw_n(L, st, x, top - 9 - st->leading * (double)i, s, n);
        if (i)
            h += st->leading;
    }
out:
    csp_wrap_free(&wr);
    free(cut);
    free(clean);
    return h;
}

/* Record the chart into the document: its words cleaned as drawn, its
 * figures as the report prints them. */
static void chart_record(csp_layout *L, const csp_chart *c)
{
    if (!L->doc || L->err)
        return;
    size_t nv = c->ncategories * c->nseries,
           ns = nv + c->ncategories + c->nseries + 2;
    char **all = csp_calloc(ns, sizeof *all);
    if (!all) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    char **cats = all, **series = cats + c->ncategories,
         **vt = series + c->nseries, **title = vt + nv, **desc = title + 1;
    bool ok = true;
    for (size_t i = 0; i < c->ncategories && ok; i++)
        ok = (cats[i] = csp_pdf_dup_clean(L, c->categories[i])) != NULL;
    for (size_t i = 0; i < c->nseries && ok; i++)
        ok = (series[i] = csp_pdf_dup_clean(L, c->series[i])) != NULL;
    for (size_t i = 0; i < nv && ok && c->value_text; i++)
        ok = !c->value_text[i] ||
             (vt[i] = csp_pdf_dup_clean(L, c->value_text[i])) != NULL;
    ok = ok && (!c->title || (*title = csp_pdf_dup_clean(L, c->title)));
    ok = ok && (!c->desc || (*desc = csp_pdf_dup_clean(L, c->desc)));
    if (ok) {
        csp_doc_chart dc = {
            .title = *title,
            .desc = *desc,
            .categories = cats,
            .ncategories = c->ncategories,
            .series = series,
            .nseries = c->nseries,
            .values = (double *)c->values,
            .value_text = c->value_text ? vt : NULL,
            .colours = (csp_rgb *)c->colours,
            .lines = c->lines,
        };
        csp_doc_chart_add(L->doc, &dc);
    }
    for (size_t i = 0; i < ns; i++)
        free(all[i]);
    free(all);
}

/* An x label centred in its group [gx, gx + gw) on baseline y. */
static void chart_label(csp_layout *L, const csp_text_style *lab, double gx,
                        double gw, double y, const char *text)
{
    double cw = csp_layout_text_width(L, lab->face, lab->size, text);
    csp_layout_text_at(L, lab, gx + (gw - cw) / 2, y, text);
}

/* Draw a chart in a box on the current page. */
void csp_layout_chart(csp_layout *L, const csp_chart *c, double x, double y,
                      double w, double h)
{
    if (!csp_pdf_current(L) || c->ncategories == 0 || c->nseries == 0)
        return;
    chart_record(L, c);
    csp_text_style tst = {CSP_FACE_BOLD, 8.5, 11, ink};
    csp_text_style lab = csp_style_label;
    double top = y;
    if (c->title)
        top -= chart_title(L, &tst, x, top, w, c->title);
    double max = 0;
    for (size_t i = 0; i < c->ncategories * c->nseries; i++)
        if (c->values[i] > max)
            max = c->values[i];
    double step = nice_step(max);
    double vmax = ceil(max / step) * step;
    if (vmax <= 0)
        vmax = step;
    /* The y axis labels decide where the plot starts. */
    char buf[32];
    format_tick(vmax, buf, sizeof buf);
    double axis_w = csp_layout_text_width(L, lab.face, lab.size, buf) + 5;
    double px = x + axis_w, pw = w - axis_w;
    double gw = pw / (double)c->ncategories;
    /* The x labels: on one line; else, when each fits its group so,
     * on two ("YE Sept" over "15"); else thinned out (every step-th,
     * the latest always shown). */
    double widest = 0, widest2 = 0;
    bool breakable = true;
    for (size_t k = 0; k < c->ncategories; k++) {
        const char *cat = c->categories[k];
        double cw = csp_layout_text_width(L, lab.face, lab.size, cat);
        if (cw > widest)
            widest = cw;
        const char *sp = strrchr(cat, ' ');
        if (!sp || (size_t)(sp - cat) >= sizeof buf) {
            breakable = false;
            continue;
        }
        memcpy(buf, cat, (size_t)(sp - cat));
        buf[sp - cat] = '\0';
        double w1 = csp_layout_text_width(L, lab.face, lab.size, buf);
        double w2 = csp_layout_text_width(L, lab.face, lab.size, sp + 1);
        if (w1 > widest2)
            widest2 = w1;
        if (w2 > widest2)
            widest2 = w2;
    }
    bool two_lines = widest + 3 > gw && breakable && widest2 + 3 <= gw;
    size_t label_step = 1;
    while (!two_lines && label_step < c->ncategories &&
           widest + 3 > gw * (double)label_step)
        label_step++;
    double bottom = y - h + 12; /* room for the x labels */
    if (two_lines)
        bottom += lab.leading;
    if (c->legend)
        bottom += 14;
    double ph = top - bottom - 4;
    if (ph < 10 || pw < 10)
        return;
    for (double v = 0; v <= vmax + step / 2; v += step) {
        double yy = bottom + ph * v / vmax;
        csp_rgb gl = {0.86f, 0.86f, 0.86f};
        csp_layout_line(L, v == 0 ? &grey : &gl, v == 0 ? 0.6 : 0.35, px, yy,
                        px + pw, yy);
        format_tick(v, buf, sizeof buf);
        csp_layout_text_right(L, &lab, px - 3, yy - 2.2, buf);
    }
    double bw = gw * 0.72 / (double)c->nseries;
    if (c->lines) {
        csp_chart_plot plot = {px, bottom, pw, ph, vmax};
        chart_lines(L, c, &plot);
    }
    for (size_t k = 0; k < c->ncategories; k++) {
        double gx = px + gw * (double)k + gw * 0.14;
        for (size_t s = 0; s < c->nseries && !c->lines; s++) {
            double v = c->values[k * c->nseries + s];
            if (v < 0)
                continue;
            double bh = ph * v / vmax;
            csp_layout_fill_rect(L, &c->colours[s], gx + bw * (double)s, bottom,
                                 bw * 0.92, bh);
        }
        const char *cat = c->categories[k];
        if ((c->ncategories - 1 - k) % label_step != 0)
            continue;
        const char *sp = two_lines ? strrchr(cat, ' ') : NULL;
        if (sp) {
            memcpy(buf, cat, (size_t)(sp - cat));
            buf[sp - cat] = '\0';
            chart_label(L, &lab, px + gw * (double)k, gw, bottom - 9, buf);
            chart_label(L, &lab, px + gw * (double)k, gw,
                        bottom - 9 - lab.leading, sp + 1);
        } else {
            chart_label(L, &lab, px + gw * (double)k, gw, bottom - 9, cat);
        }
    }
    if (c->legend) {
        double lx = px;
        double ly = y - h + 4;
        for (size_t s = 0; s < c->nseries; s++) {
            csp_layout_draw_mark(
                L, c->lines ? csp_chart_series_mark(s) : CSP_MARK_SQUARE,
                &c->colours[s], lx + 3, ly + 2.3, 6.5);
            csp_text_style ls = lab;
            ls.colour = ink;
            csp_layout_text_at(L, &ls, lx + 9, ly, c->series[s]);
            lx += 9 + csp_layout_text_width(L, ls.face, ls.size, c->series[s]) +
                  12;
        }
    }
}
