/* csppack: the PDF layout's diagrams (write/pdf/diagram.h). */
#include "csppack/write/pdf/diagram.h"

#include <hpdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/pdf/engine.h"

#define PAD_X 6.0     /* a label's space from its box's sides */
#define PAD_Y 4.5     /* and from its top and bottom */
#define GAP 8.0       /* between boxes side by side */
#define STACK_GAP 6.0 /* between boxes one above the other */
#define ROW_GAP 22.0  /* between the rows of a tree (its connectors) */
#define LEAD 11.5     /* a label's leading */
#define ARROW 5.5     /* an arrowhead's length */
#define AFTER 12.0    /* space below a diagram */

/* A box: its place (x from the diagram's left, top as a depth below
 * the diagram's top), size and wrapped label. */
typedef struct box {
    double x, top, w, h;
    csp_face face;
    char *clean; /* the label, cleaned */
    csp_wrap wrap;
    bool solid; /* filled with its colour, white label */
} box;

/* A laid-out diagram. */
typedef struct plan {
    box *b;
    size_t n;
    double h; /* height */
    bool column; /* a cycle too tall for a circle: one column, the way
                    back along its right */
} plan;

/* The label style of a box. */
static csp_text_style label_style(const box *b)
{
    csp_text_style st = {b->face, CSP_DIAGRAM_LABEL_SIZE, LEAD, ink};
    if (b->solid)
        st.colour = white;
    return st;
}

/* A label's width on one line, with its padding. */
static double natural_width(csp_layout *L, const box *b)
{
    return csp_pdf_width_n(L, b->face, CSP_DIAGRAM_LABEL_SIZE, b->clean,
                           strlen(b->clean)) +
           2 * PAD_X + 1;
}

/* Wrap box b's label to width w and size the box to it. */
static void box_fit(csp_layout *L, box *b, double w)
{
    csp_text_style st = label_style(b);
    b->w = w;
    if (!csp_pdf_wrap(L, &st, b->clean, w - 2 * PAD_X, &b->wrap))
        return;
    b->h = 2 * PAD_Y + (double)(b->wrap.count ? b->wrap.count : 1) * LEAD;
}

/* Free a plan. */
static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->b[i].clean);
        csp_wrap_free(&p->b[i].wrap);
    }
    free(p->b);
    p->b = NULL;
    p->n = 0;
}

/* Spread the boxes of one column (those with group g) over height h
 * from the top, in order. */
static void spread_column(plan *p, const csp_doc_diagram *g, unsigned col,
                          double h)
{
    size_t n = 0;
    double sum = 0;
    for (size_t i = 0; i < p->n; i++)
        if (g->groups[i] == col) {
            n++;
            sum += p->b[i].h;
        }
    double gap = n > 1 ? (h - sum) / (double)(n - 1) : 0;
    double y = n > 1 ? 0 : (h - sum) / 2;
    for (size_t i = 0; i < p->n; i++)
        if (g->groups[i] == col) {
            p->b[i].top = y;
            y += p->b[i].h + gap;
        }
}

/* Two columns: the left one's boxes stacked, the right one's spread
 * over the same height, room for the connectors between. */
static void plan_links(csp_layout *L, const csp_doc_diagram *g, double W,
                       plan *p)
{
    double lw = W * 0.40, rw = W * 0.36;
    double hl = 0, hr = 0;
    size_t nl = 0, nr = 0;
    for (size_t i = 0; i < p->n; i++) {
        box *b = &p->b[i];
        bool right = g->groups[i] != 0;
        b->solid = right;
        b->face = right ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
        box_fit(L, b, right ? rw : lw);
        b->x = right ? W - rw : 0;
        if (right) {
            hr += b->h;
            nr++;
        } else {
            hl += b->h;
            nl++;
        }
    }
    hl += nl > 1 ? STACK_GAP * (double)(nl - 1) : 0;
    hr += nr > 1 ? 3 * STACK_GAP * (double)(nr - 1) : 0;
    p->h = hl > hr ? hl : hr;
    spread_column(p, g, 0, p->h);
    spread_column(p, g, 1, p->h);
}

/* Rows: each row's boxes side by side, centred, one height; a lone box
 * at most 70% of the width. */
static void plan_tree(csp_layout *L, const csp_doc_diagram *g, double W,
                      plan *p)
{
    unsigned rows = 0;
    for (size_t i = 0; i < p->n; i++)
        if (g->groups[i] + 1 > rows)
            rows = g->groups[i] + 1;
    double depth = 0;
    for (unsigned r = 0; r < rows; r++) {
        size_t n = 0;
        for (size_t i = 0; i < p->n; i++)
            n += g->groups[i] == r;
        if (n == 0)
            continue;
        double cap = (W - GAP * (double)(n - 1)) / (double)n;
        if (n == 1)
            cap = W * 0.70;
        double bw = 0, rh = 0;
        for (size_t i = 0; i < p->n; i++) {
            box *b = &p->b[i];
            if (g->groups[i] != r)
                continue;
            bool parent = false, child = false;
            for (size_t k = 0; k < g->nlinks; k++) {
                parent |= g->from[k] == i;
                child |= g->to[k] == i;
            }
            b->solid = parent && !child;
            b->face = b->solid ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
            double nw = natural_width(L, b);
            if (nw > bw)
                bw = nw;
        }
        if (bw > cap)
            bw = cap;
        double x = (W - bw * (double)n - GAP * (double)(n - 1)) / 2;
        for (size_t i = 0; i < p->n; i++) {
            box *b = &p->b[i];
            if (g->groups[i] != r)
                continue;
            box_fit(L, b, bw);
            b->x = x;
            b->top = depth;
            x += bw + GAP;
            if (b->h > rh)
                rh = b->h;
        }
        for (size_t i = 0; i < p->n; i++)
            if (g->groups[i] == r)
                p->b[i].h = rh; /* one height a row; labels centred */
        depth += rh + ROW_GAP;
    }
    p->h = depth > ROW_GAP ? depth - ROW_GAP : 0;
}

/* Whether any two boxes of p come closer than @p margin. */
static bool boxes_overlap(const plan *p, double margin)
{
    for (size_t i = 0; i < p->n; i++)
        for (size_t k = i + 1; k < p->n; k++) {
            const box *a = &p->b[i], *b = &p->b[k];
            if (a->x < b->x + b->w + margin && b->x < a->x + a->w + margin &&
                a->top < b->top + b->h + margin &&
                b->top < a->top + a->h + margin)
                return true;
        }
    return false;
}

/* Round a circle (an ellipse as wide as the page allows), clockwise
 * from the top, as flat as the boxes allow without touching. */
static void plan_cycle(csp_layout *L, const csp_doc_diagram *g, double W,
                       plan *p)
{
    (void)g;
    double bw = W * 0.34 < 165 ? W * 0.34 : 165;
    double maxh = 0;
    for (size_t i = 0; i < p->n; i++) {
        p->b[i].face = CSP_FACE_REGULAR;
        box_fit(L, &p->b[i], bw);
        if (p->b[i].h > maxh)
            maxh = p->b[i].h;
    }
    double rx = (W - bw) / 2, ry = rx * 0.42;
    const double pi = 3.14159265358979323846;
    for (int tries = 0; tries < 400; tries++, ry += 2) {
        for (size_t i = 0; i < p->n; i++) {
            double a = pi / 2 - 2 * pi * (double)i / (double)p->n;
            box *b = &p->b[i];
            b->x = W / 2 + rx * cos(a) - bw / 2;
            b->top = ry - ry * sin(a) + maxh / 2 - b->h / 2;
        }
        if (!boxes_overlap(p, 14))
            break;
    }
    p->h = 2 * ry + maxh;
    double room = csp_layout_top(L) - csp_layout_bottom(L) - 24;
    if (p->h <= room)
        return;
    /* Too tall for the page round a circle: the steps one below the
     * other, wider so that they take fewer lines, the arrow back to the
     * first along their right. */
    p->column = true;
    double y = 0;
    bw = W * 0.62;
    for (size_t i = 0; i < p->n; i++) {
        box *b = &p->b[i];
        box_fit(L, b, bw);
        b->x = (W - bw) / 2;
        b->top = y;
        y += b->h + STACK_GAP * 3;
    }
    p->h = y - STACK_GAP * 3;
}

/* Lay out g at width W; false, with nothing left to free, when memory
 * ran out. */
static bool plan_make(csp_layout *L, const csp_doc_diagram *g, double W,
                      plan *p)
{
    p->n = g->nlabels;
    p->h = 0;
    p->column = false;
    p->b = csp_calloc(p->n ? p->n : 1, sizeof *p->b);
    if (!p->b) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        p->n = 0;
        return false;
    }
    for (size_t i = 0; i < p->n; i++) {
        p->b[i].clean = csp_pdf_dup_clean(L, g->labels[i] ? g->labels[i] : "");
        if (!p->b[i].clean) {
            plan_free(p);
            return false;
        }
    }
    if (g->kind == CSP_DOC_TREE)
        plan_tree(L, g, W, p);
    else if (g->kind == CSP_DOC_CYCLE)
        plan_cycle(L, g, W, p);
    else
        plan_links(L, g, W, p);
    if (L->err) { /* wrapping a label ran out of memory */
        plan_free(p);
        return false;
    }
    return true;
}

/* The height g takes in the flow. */
double csp_layout_diagram_height(csp_layout *L, const csp_doc_diagram *g)
{
    plan p;
    if (!plan_make(L, g, csp_layout_width(L), &p))
        return 0;
    double h = p.h + AFTER + 4;
    plan_free(&p);
    return h;
}

/* A filled arrowhead with its point at (x, y), pointing along (dx, dy). */
static void arrowhead(HPDF_Page pg, const csp_rgb *c, double x, double y,
                      double dx, double dy)
{
    double len = sqrt(dx * dx + dy * dy);
    if (len <= 0)
        return;
    dx /= len;
    dy /= len;
    double bx = x - dx * ARROW, by = y - dy * ARROW;
    double hw = ARROW * 0.45;
    HPDF_Page_SetRGBFill(pg, c->r, c->g, c->b);
    HPDF_Page_MoveTo(pg, (HPDF_REAL)x, (HPDF_REAL)y);
    HPDF_Page_LineTo(pg, (HPDF_REAL)(bx - dy * hw), (HPDF_REAL)(by + dx * hw));
    HPDF_Page_LineTo(pg, (HPDF_REAL)(bx + dy * hw), (HPDF_REAL)(by - dx * hw));
    HPDF_Page_ClosePath(pg);
    HPDF_Page_Fill(pg);
}

/* A polyline of n points (xs, ys) in colour c. */
static void polyline(HPDF_Page pg, const csp_rgb *c, double width,
                     const double *xs, const double *ys, size_t n)
{
    HPDF_Page_SetRGBStroke(pg, c->r, c->g, c->b);
    HPDF_Page_SetLineWidth(pg, (HPDF_REAL)width);
    HPDF_Page_MoveTo(pg, (HPDF_REAL)xs[0], (HPDF_REAL)ys[0]);
    for (size_t i = 1; i < n; i++)
        HPDF_Page_LineTo(pg, (HPDF_REAL)xs[i], (HPDF_REAL)ys[i]);
    HPDF_Page_Stroke(pg);
}

/* The y (page) of slot k of m along box b's height. */
static double slot_y(const box *b, double top, size_t k, size_t m)
{
    double span = b->h * 0.6;
    double y0 = top - b->top - b->h / 2 + span / 2;
    return m > 1 ? y0 - span * (double)k / (double)(m - 1)
                 : top - b->top - b->h / 2;
}

/* The slot of link l at box e (its from or its to): the links at e
 * ordered by the height of their other end. */
static void link_slot(const csp_doc_diagram *g, const plan *p, size_t l,
                      bool at_from, size_t *k, size_t *m)
{
    size_t e = at_from ? g->from[l] : g->to[l];
    size_t o = at_from ? g->to[l] : g->from[l];
    *k = 0;
    *m = 0;
    for (size_t j = 0; j < g->nlinks; j++) {
        size_t ej = at_from ? g->from[j] : g->to[j];
        size_t oj = at_from ? g->to[j] : g->from[j];
        if (ej != e)
            continue;
        (*m)++;
        if (p->b[oj].top < p->b[o].top ||
            (p->b[oj].top == p->b[o].top && j < l))
            (*k)++;
    }
}

/* The connectors of a links diagram: left box to right box, arrowed. */
static void draw_links(csp_layout *L, HPDF_Page pg, const csp_doc_diagram *g,
                       const plan *p, double x0, double top,
                       const csp_rgb *colours)
{
    for (size_t l = 0; l < g->nlinks; l++) {
        size_t f = g->from[l], t = g->to[l];
        if (g->groups[f] != 0) { /* draw left to right */
            size_t s = f;
            f = t;
            t = s;
        }
        size_t kf, mf, kt, mt;
        link_slot(g, p, l, g->from[l] == f, &kf, &mf);
        link_slot(g, p, l, g->from[l] == t, &kt, &mt);
        const box *a = &p->b[f], *b = &p->b[t];
        double xs[4], ys[4];
        xs[0] = x0 + a->x + a->w;
        ys[0] = slot_y(a, top, kf, mf);
        xs[3] = x0 + b->x - 1;
        ys[3] = slot_y(b, top, kt, mt);
        xs[1] = xs[0] + 10;
        ys[1] = ys[0];
        xs[2] = xs[3] - ARROW - 8;
        ys[2] = ys[3];
        const csp_rgb *c = colours ? &colours[t] : &L->accent;
        polyline(pg, c, 1.0, xs, ys, 4);
        arrowhead(pg, c, xs[3], ys[3], 1, 0);
    }
}

/* The connectors of a tree: down from the parent, across, down to the
 * child. */
static void draw_tree(HPDF_Page pg, const csp_doc_diagram *g, const plan *p,
                      double x0, double top)
{
    const csp_rgb line = {0.35f, 0.35f, 0.35f};
    for (size_t l = 0; l < g->nlinks; l++) {
        const box *a = &p->b[g->from[l]], *b = &p->b[g->to[l]];
        double xs[4], ys[4];
        xs[0] = x0 + a->x + a->w / 2;
        ys[0] = top - a->top - a->h;
        xs[3] = x0 + b->x + b->w / 2;
        ys[3] = top - b->top;
        xs[1] = xs[0];
        ys[1] = ys[3] + ROW_GAP / 2;
        xs[2] = xs[3];
        ys[2] = ys[1];
        polyline(pg, &line, 0.9, xs, ys, 4);
    }
}

/* Where the ray from box b's centre along (dx, dy) leaves the box, as
 * a fraction of (dx, dy). */
static double box_exit(const box *b, double dx, double dy)
{
    double tx = dx != 0 ? (b->w / 2) / fabs(dx) : HUGE_VAL;
    double ty = dy != 0 ? (b->h / 2) / fabs(dy) : HUGE_VAL;
    return tx < ty ? tx : ty;
}

/* The way back from the last box of a cycle in one column to the
 * first: out of its right side, up, and into the first's. */
static void draw_return(HPDF_Page pg, const plan *p, double x0, double top,
                        const csp_rgb *c)
{
    const box *a = &p->b[p->n - 1], *b = &p->b[0];
    double xs[4], ys[4];
    xs[0] = x0 + a->x + a->w;
    ys[0] = top - a->top - a->h / 2;
    xs[1] = x0 + a->x + a->w + 18;
    ys[1] = ys[0];
    xs[2] = xs[1];
    ys[2] = top - b->top - b->h / 2;
    xs[3] = x0 + b->x + b->w + 1;
    ys[3] = ys[2];
    polyline(pg, c, 1.2, xs, ys, 4);
    arrowhead(pg, c, xs[3], ys[3], -1, 0);
}

/* The arrows of a cycle: each box to the next, the last to the first. */
static void draw_cycle(csp_layout *L, HPDF_Page pg, const plan *p, double x0,
                       double top, const csp_rgb *colours)
{
    if (p->column && p->n > 1)
        draw_return(pg, p, x0, top,
                    colours ? &colours[p->n - 1] : &L->accent);
    for (size_t i = 0; i < p->n && p->n > 1; i++) {
        if (p->column && i + 1 == p->n)
            break;
        const box *a = &p->b[i], *b = &p->b[(i + 1) % p->n];
        double ax = x0 + a->x + a->w / 2, ay = top - a->top - a->h / 2;
        double bx = x0 + b->x + b->w / 2, by = top - b->top - b->h / 2;
        double dx = bx - ax, dy = by - ay;
        double len = sqrt(dx * dx + dy * dy);
        if (len <= 0)
            continue;
        double t0 = box_exit(a, dx, dy) + 4 / len;
        double t1 = 1 - box_exit(b, dx, dy) - 4 / len;
        if (t1 <= t0)
            continue;
        double xs[2] = {ax + dx * t0, ax + dx * t1};
        double ys[2] = {ay + dy * t0, ay + dy * t1};
        const csp_rgb *c = colours ? &colours[i] : &L->accent;
        polyline(pg, c, 1.2, xs, ys, 2);
        arrowhead(pg, c, xs[1], ys[1], dx, dy);
    }
}

/* A box and its label, centred. */
static void draw_box(csp_layout *L, HPDF_Page pg, const box *b, double x0,
                     double top, const csp_rgb *c)
{
    double x = x0 + b->x, y = top - b->top - b->h;
    csp_rgb fill = b->solid ? *c : csp_rgb_tint(*c, 0.88f);
    HPDF_Page_SetRGBFill(pg, fill.r, fill.g, fill.b);
    HPDF_Page_SetRGBStroke(pg, c->r, c->g, c->b);
    HPDF_Page_SetLineWidth(pg, 0.8f);
    HPDF_Page_Rectangle(pg, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)b->w,
                        (HPDF_REAL)b->h);
    HPDF_Page_FillStroke(pg);
    csp_text_style st = label_style(b);
    size_t n = b->wrap.count;
    double th = (double)n * LEAD;
    /* The first baseline: the lines centred in the box. */
    double base = top - b->top - (b->h - th) / 2 - LEAD +
                  (LEAD - st.size) / 2 + st.size * 0.22;
    for (size_t k = 0; k < n; k++) {
        const csp_wrap_line *ln = &b->wrap.lines[k];
        double lw = csp_pdf_width_n(L, st.face, st.size, b->clean + ln->start,
                                    ln->len);
        csp_pdf_draw_on(L, pg, &st, x + (b->w - lw) / 2,
                        base - LEAD * (double)k, b->clean + ln->start,
                        ln->len);
    }
}

/* Draw g in the flow and record it. */
void csp_layout_diagram(csp_layout *L, const csp_doc_diagram *g,
                        const csp_rgb *colours)
{
    plan p;
    if (L->err || !plan_make(L, g, csp_layout_width(L), &p))
        return;
    /* No caption: the text introduces the diagram, as in a published
     * strategy; the title captions the HTML's figure. */
    csp_layout_need(L, p.h + AFTER + 4);
    HPDF_Page pg = csp_pdf_current(L);
    double x0 = csp_layout_left(L), top = csp_layout_y(L) - 4;
    if (pg) {
        if (g->kind == CSP_DOC_TREE)
            draw_tree(pg, g, &p, x0, top);
        else if (g->kind == CSP_DOC_CYCLE)
            draw_cycle(L, pg, &p, x0, top, colours);
        else
            draw_links(L, pg, g, &p, x0, top, colours);
        for (size_t i = 0; i < p.n; i++)
            draw_box(L, pg, &p.b[i], x0, top,
                     colours ? &colours[i] : &L->accent);
    }
    csp_layout_set_y(L, top - p.h - AFTER);
    csp_doc_diagram_add(L->doc, g);
    plan_free(&p);
}
