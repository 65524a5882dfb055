/* csppack: the PDF layout's tables. */
#include "csppack/write/pdf/table.h"

#include <hpdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/pdf/engine.h"

/* ---- Tables ----------------------------------------------------------- */

#define CELL_PAD_X 4.0
#define CELL_PAD_Y 3.5
#define MARK_SIZE 6.5
#define MARK_ROOM 10.0
#define NOTE_GAP 2.0

/* A line of a cell, placed from the cell's top. */
typedef struct cell_line {
    const char *src; /* the cell's text or note */
    size_t start, len;
    bool note;
    double off; /* top of the line box, from the content top */
} cell_line;

typedef struct tcell {
    char *text; /* clean; NULL: empty */
    char *note;
    char *mark_word; /* the status a lone mark stands for; NULL: none */
    csp_face face;
    bool has_colour;
    csp_rgb colour;
    csp_mark mark;
    bool has_mark_colour;
    csp_rgb mark_colour;
    cell_line *lines;
    size_t nlines;
    double h;   /* content height */
    bool spans; /* drawn with its group of rows, running down
                   into the empty cells below it */
    /* while drawing */
    size_t next; /* first line not yet drawn */
} tcell;

typedef struct trow {
    tcell *cells;
    bool keep;
    bool stripe;    /* shaded (groups of rows alternate) */
    bool prefilled; /* its shading was drawn with its group's */
    double h;       /* full height with padding */
} trow;

struct csp_table {
    csp_layout *L;
    char *title;
    char *ctitle;  /* shown only after a page break */
    char *heading; /* a heading kept with the table's start */
    unsigned heading_level;
    bool has_heading_colour;
    csp_rgb heading_colour;
    csp_toc heading_toc;
    char *intro; /* a note between heading and table */
    char *mark;  /* a bookmark at the table's start */
    unsigned mark_level;
    csp_toc mark_toc;
    bool row_headers; /* the first column names each row */
    bool two_line_header; /* no header set on more than two lines */
    double tail; /* csp_table_keep_tail: 0 none */
    bool split_short; /* csp_table_split_on_short_page */
    csp_table_col *cols;
    char **col_titles;
    size_t ncols;
    csp_rgb accent;
    trow *rows;
    size_t nrows, caprows;
    double *w;      /* column widths */
    csp_wrap *head; /* wrapped header titles */
    double head_h;
    csp_wrap title_lines[2]; /* the title wrapped: first, continued */
};

/* Free a row's storage. */
static void row_free(trow *r, size_t ncols)
{
    if (!r->cells)
        return;
    for (size_t c = 0; c < ncols; c++) {
        free(r->cells[c].text);
        free(r->cells[c].note);
        free(r->cells[c].mark_word);
        free(r->cells[c].lines);
    }
    free(r->cells);
    r->cells = NULL;
}

/* Free a table. */
static void table_free(csp_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows; i++)
        row_free(&t->rows[i], t->ncols);
    free(t->rows);
    if (t->col_titles)
        for (size_t c = 0; c < t->ncols; c++)
            free(t->col_titles[c]);
    free(t->col_titles);
    if (t->head)
        for (size_t c = 0; c < t->ncols; c++)
            csp_wrap_free(&t->head[c]);
    free(t->head);
    csp_wrap_free(&t->title_lines[0]);
    csp_wrap_free(&t->title_lines[1]);
    free(t->cols);
    free(t->w);
    free(t->title);
    free(t->ctitle);
    free(t->heading);
    free(t->intro);
    free(t->mark);
    free(t);
}

/* Start a table; its rows are laid out by csp_table_end. */
csp_table *csp_table_begin(csp_layout *L, const char *title,
                           const csp_table_col *cols, size_t ncols,
                           const csp_rgb *accent)
{
    if (L->err || ncols == 0)
        return NULL;
    csp_table *t = csp_calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    t->L = L;
    t->ncols = ncols;
    t->accent = accent ? *accent : L->accent;
    t->cols = csp_calloc(ncols, sizeof *t->cols);
    t->col_titles = csp_calloc(ncols, sizeof *t->col_titles);
    t->w = csp_calloc(ncols, sizeof *t->w);
    t->head = csp_calloc(ncols, sizeof *t->head);
    if (!t->cols || !t->col_titles || !t->w || !t->head)
        goto nomem;
    memcpy(t->cols, cols, ncols * sizeof *cols);
    for (size_t c = 0; c < ncols; c++) {
        if (!(t->col_titles[c] =
                  csp_pdf_dup_clean(L, cols[c].title ? cols[c].title : "")))
            goto nomem;
        t->cols[c].title = t->col_titles[c];
    }
    if (title && !(t->title = csp_pdf_dup_clean(L, title)))
        goto nomem;
    return t;
nomem:
    csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
    table_free(t);
    return NULL;
}

/* A heading to draw before the table, kept with its first rows. */
void csp_table_heading(csp_table *t, unsigned level, const char *text,
                       const csp_rgb *colour, csp_toc toc)
{
    if (!t || t->L->err)
        return;
    free(t->heading);
    t->heading = csp_pdf_dup_clean(t->L, text);
    t->heading_level = level > 2 ? 2 : level;
    t->has_heading_colour = colour != NULL;
    if (colour)
        t->heading_colour = *colour;
    t->heading_toc = toc;
}

/* A note to draw before the table, kept with its first rows. */
void csp_table_intro(csp_table *t, const char *text)
{
    if (!t || t->L->err)
        return;
    free(t->intro);
    t->intro = csp_pdf_dup_clean(t->L, text);
}

/* A bookmark where the table starts. */
void csp_table_mark(csp_table *t, unsigned level, const char *text, csp_toc toc)
{
    if (!t || t->L->err)
        return;
    free(t->mark);
    t->mark = csp_pdf_dup_clean(t->L, text);
    t->mark_level = level;
    t->mark_toc = toc;
}

/* The title of the pages after a break. */
void csp_table_continued_title(csp_table *t, const char *title)
{
    if (!t || t->L->err)
        return;
    free(t->ctitle);
    t->ctitle = csp_pdf_dup_clean(t->L, title);
}

/* Add a row, its cells copied and wrapped to be laid out later. */
void csp_table_row(csp_table *t, const csp_table_cell *cells,
                   bool keep_with_next)
{
    if (!t || t->L->err)
        return;
    csp_layout *L = t->L;
    if (t->nrows == t->caprows) {
        size_t nc = t->caprows ? t->caprows * 2 : 16;
        trow *r = csp_realloc(t->rows, nc * sizeof *r);
        if (!r) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        t->rows = r;
        t->caprows = nc;
    }
    trow *r = &t->rows[t->nrows];
    memset(r, 0, sizeof *r);
    r->keep = keep_with_next;
    r->cells = csp_calloc(t->ncols, sizeof *r->cells);
    if (!r->cells) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    t->nrows++;
    for (size_t c = 0; c < t->ncols; c++) {
        tcell *tc = &r->cells[c];
        const csp_table_cell *in = &cells[c];
        tc->face = in->face;
        tc->mark = in->mark;
        if (in->colour) {
            tc->has_colour = true;
            tc->colour = *in->colour;
        }
        if (in->mark_colour) {
            tc->has_mark_colour = true;
            tc->mark_colour = *in->mark_colour;
        }
        if (in->text && !(tc->text = csp_pdf_dup_clean(L, in->text)))
            return;
        if (in->note && !(tc->note = csp_pdf_dup_clean(L, in->note)))
            return;
        if (in->mark_word && L->doc &&
            !(tc->mark_word = csp_pdf_dup_clean(L, in->mark_word)))
            return;
    }
}

/* Whether no column is made narrower than its header on two lines. */
void csp_table_two_line_header(csp_table *t, bool on)
{
    if (t)
        t->two_line_header = on;
}

/* Whether a row splits rather than leave a page short. */
void csp_table_split_on_short_page(csp_table *t, bool on)
{
    if (t)
        t->split_short = on;
}

/* The height of what ends the chapter after the table. */
void csp_table_keep_tail(csp_table *t, double height)
{
    if (t)
        t->tail = height > 0 ? height : 0;
}

/* Whether the first column names each row (a row header). */
void csp_table_row_headers(csp_table *t, bool on)
{
    if (t)
        t->row_headers = on;
}

/* Widest "\n"-separated line of s (unwrapped). */
static double widest_line(const csp_layout *L, csp_face face, double size,
                          const char *s)
{
    double best = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        double w = csp_pdf_width_n(L, face, size, s, n);
        if (w > best)
            best = w;
        s = nl ? nl + 1 : NULL;
    }
    return best;
}

/* Widest word of s. */
static double widest_word(const csp_layout *L, csp_face face, double size,
                          const char *s)
{
    double best = 0;
    while (*s) {
        while (*s == ' ' || *s == '\n')
            s++;
        size_t n = strcspn(s, " \n");
        double w = csp_pdf_width_n(L, face, size, s, n);
        if (w > best)
            best = w;
        s += n;
    }
    return best;
}

/*
 * The narrowest a header can be: its widest word, or with
 * csp_table_two_line_header, set in at most two lines: the best place
 * to break it between words (greedy wrapping at that width then needs
 * two lines at most, its first line being no shorter).  A header that
 * breaks its own lines ("\n") keeps them.
 */
static double header_width(const csp_table *t, const char *s)
{
    const csp_layout *L = t->L;
    csp_face face = CSP_FACE_BOLD;
    double size = csp_style_table.size;
    if (!t->two_line_header)
        return widest_word(L, face, size, s);
    if (strchr(s, '\n'))
        return widest_line(L, face, size, s);
    size_t n = strlen(s);
    double best = csp_pdf_width_n(L, face, size, s, n);
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ')
            continue;
        size_t j = i;
        while (j < n && s[j] == ' ')
            j++;
        double a = csp_pdf_width_n(L, face, size, s, i);
        double b = csp_pdf_width_n(L, face, size, s + j, n - j);
        double w = a > b ? a : b;
        if (w < best)
            best = w;
    }
    return best + 0.01;
}

/* The narrowest a column can be without breaking a word (nor setting
 * its header in more than two lines, when asked): its header, widest
 * cell word or note word. */
static double min_width(const csp_table *t, size_t c)
{
    const csp_layout *L = t->L;
    double w = header_width(t, t->cols[c].title);
    for (size_t r = 0; r < t->nrows; r++) {
        const tcell *tc = &t->rows[r].cells[c];
        double cw = tc->text ? widest_word(L, tc->face, csp_style_table.size,
                                           tc->text) +
                                   (tc->mark ? MARK_ROOM : 0)
                             : 0;
        double nw = tc->note ? widest_word(L, CSP_FACE_REGULAR,
                                           csp_style_small.size, tc->note)
                             : 0;
        if (cw > w)
            w = cw;
        if (nw > w)
            w = nw;
    }
    return w + 2 * CELL_PAD_X + 0.5;
}

/* qsort order of doubles, ascending. */
static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/*
 * The columns still too wide together (a word wider than its share: a
 * long place name): cap the widest at one width, so that they add up to
 * the table's.  Narrower columns keep their width, and their words stay
 * whole; only the words wider than the cap are broken.
 */
static void cap_widest(csp_table *t, double total)
{
    double *w = csp_calloc(t->ncols, sizeof *w);
    if (!w) {
        csp_pdf_fail(t->L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    memcpy(w, t->w, t->ncols * sizeof *w);
    qsort(w, t->ncols, sizeof *w, cmp_double);
    /* Water level: the narrowest columns keep their widths while the
     * rest, at the level, still fill what is left. */
    double used = 0, cap = -1;
    for (size_t i = 0; i < t->ncols; i++) {
        double level = (total - used) / (double)(t->ncols - i);
        if (w[i] >= level) {
            cap = level;
            break;
        }
        used += w[i];
    }
    if (cap >= 0)
        for (size_t c = 0; c < t->ncols; c++)
            if (t->w[c] > cap)
                t->w[c] = cap;
    free(w);
}

/*
 * Keep the columns within the table's width: when fitted columns and the
 * others' widest words add up to more, the fitted ones give up what they
 * have beyond their own widest word, in proportion, then every column
 * shrinks alike (a word may then be broken between characters).
 */
static void fit_within(csp_table *t, double total)
{
    double sum = 0, give = 0;
    for (size_t c = 0; c < t->ncols; c++)
        sum += t->w[c];
    if (sum <= total + EPS)
        return;
    double *floor_w = csp_calloc(t->ncols, sizeof *floor_w);
    if (!floor_w) {
        csp_pdf_fail(t->L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].fit) {
            floor_w[c] = min_width(t, c);
            if (floor_w[c] < t->w[c])
                give += t->w[c] - floor_w[c];
        }
    double excess = sum - total;
    if (give > EPS) {
        double share = excess < give ? excess / give : 1;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].fit && floor_w[c] < t->w[c]) {
                double d = (t->w[c] - floor_w[c]) * share;
                t->w[c] -= d;
                sum -= d;
            }
    }
    if (sum > total + EPS)
        cap_widest(t, total);
    free(floor_w);
}

/*
 * Column widths: fitted columns take their widest line (at most a third
 * of the table); the others share the rest by weight, but none is made
 * narrower than its widest word (up to a quarter of the table) while
 * another has room to give.
 */
static void table_widths(csp_table *t)
{
    csp_layout *L = t->L;
    double total = PAGE_W - 2 * MARGIN_X;
    double fixed = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!t->cols[c].fit)
            continue;
        double w = header_width(t, t->cols[c].title);
        for (size_t r = 0; r < t->nrows; r++) {
            const tcell *tc = &t->rows[r].cells[c];
            double cw =
                widest_line(L, tc->face, csp_style_table.size, tc->text) +
                (tc->mark ? MARK_ROOM : 0);
            double nw = widest_line(L, CSP_FACE_REGULAR, csp_style_small.size,
                                    tc->note);
            if (cw > w)
                w = cw;
            if (nw > w)
                w = nw;
        }
        w += 2 * CELL_PAD_X + 0.5;
        if (w > total / 3)
            w = total / 3;
        t->w[c] = w;
        fixed += w;
    }
    double rest = total - fixed;
    if (rest < 0)
        rest = 0;
    /* Weighted shares, raising columns below their minimum. */
    bool *pinned = csp_calloc(t->ncols, sizeof *pinned);
    double *minw = csp_calloc(t->ncols, sizeof *minw);
    if (!pinned || !minw) {
        free(pinned);
        free(minw);
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (!t->cols[c].fit) {
            minw[c] = min_width(t, c);
            if (minw[c] > total / 4)
                minw[c] = total / 4;
        }
    for (size_t round = 0; round <= t->ncols; round++) {
        double free_w = rest, weights = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            if (t->cols[c].fit)
                continue;
            if (pinned[c])
                free_w -= minw[c];
            else
                weights += t->cols[c].weight > 0 ? t->cols[c].weight : 1;
        }
        bool changed = false;
        for (size_t c = 0; c < t->ncols; c++) {
            if (t->cols[c].fit)
                continue;
            if (pinned[c]) {
                t->w[c] = minw[c];
                continue;
            }
            double wt = t->cols[c].weight > 0 ? t->cols[c].weight : 1;
            t->w[c] = free_w > 0 && weights > 0 ? free_w * wt / weights : 0;
        }
        for (size_t c = 0; c < t->ncols; c++)
            if (!t->cols[c].fit && !pinned[c] && t->w[c] < minw[c] - EPS) {
                pinned[c] = true;
                changed = true;
            }
        if (!changed)
            break;
    }
    free(pinned);
    free(minw);
    fit_within(t, total);
}

/* Wrap one cell into placed lines. */
static void cell_layout(csp_layout *L, tcell *tc, double width)
{
    csp_text_style st = csp_style_table;
    st.face = tc->face;
    csp_wrap wt = {0}, wn = {0};
    double tw = width - 2 * CELL_PAD_X - (tc->mark ? MARK_ROOM : 0);
    double nw = width - 2 * CELL_PAD_X;
    if (tc->text && !csp_pdf_wrap(L, &st, tc->text, tw, &wt))
        goto out;
    if (tc->note && !csp_pdf_wrap(L, &csp_style_small, tc->note, nw, &wn))
        goto out;
    size_t n = wt.count + wn.count;
    tc->lines = csp_calloc(n ? n : 1, sizeof *tc->lines);
    if (!tc->lines) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        goto out;
    }
    double off = 0;
    for (size_t i = 0; i < wt.count; i++) {
        cell_line *cl = &tc->lines[tc->nlines++];
        cl->src = tc->text;
        cl->start = wt.lines[i].start;
        cl->len = wt.lines[i].len;
        cl->off = off;
        off += st.leading;
    }
    if (wn.count && wt.count)
        off += NOTE_GAP;
    for (size_t i = 0; i < wn.count; i++) {
        cell_line *cl = &tc->lines[tc->nlines++];
        cl->src = tc->note;
        cl->start = wn.lines[i].start;
        cl->len = wn.lines[i].len;
        cl->note = true;
        cl->off = off;
        off += csp_style_small.leading;
    }
    tc->h = off;
out:
    csp_wrap_free(&wt);
    csp_wrap_free(&wn);
}

/* Height of a placed line. */
static double line_h(const cell_line *cl)
{
    return cl->note ? csp_style_small.leading : csp_style_table.leading;
}

/* The table's title line, "(continued)" after a break. */
static const char *title_of(const csp_table *t, bool continued)
{
    return t->title ? t->title : continued ? t->ctitle : NULL;
}

/* The title's style. */
static csp_text_style title_style(const csp_table *t)
{
    csp_text_style st = {CSP_FACE_BOLD, 10.0, 14.0, t->accent};
    return st;
}

/* Wrap the title to the table's width (less "(continued)" after a page
 * break), so that a long one does not run off the page. */
static bool wrap_title(csp_table *t)
{
    csp_layout *L = t->L;
    csp_text_style st = title_style(t);
    for (int k = 0; k < 2; k++) {
        const char *title = title_of(t, k);
        double width = PAGE_W - 2 * MARGIN_X;
        if (!title)
            continue;
        if (k)
            width -= csp_pdf_width_n(L, csp_style_small.face,
                                     csp_style_small.size, "(continued)", 11) +
                     5;
        if (!csp_pdf_wrap(L, &st, title, width, &t->title_lines[k]))
            return false;
    }
    return true;
}

/* The height of the title: 21 points for one line, a line more for
 * each line it wraps onto. */
static double title_h(const csp_table *t, bool continued)
{
    size_t n = t->title_lines[continued].count;
    if (!title_of(t, continued))
        return 0;
    return 21.0 + (n > 1 ? (double)(n - 1) * title_style(t).leading : 0);
}

/* Draw the title at the flow position. */
static void draw_title(csp_table *t, bool continued)
{
    csp_layout *L = t->L;
    const char *title = title_of(t, continued);
    const csp_wrap *w = &t->title_lines[continued];
    if (!title)
        return;
    csp_text_style st = title_style(t);
    double base = L->y - 12.0, end = MARGIN_X;
    for (size_t i = 0; i < w->count; i++) {
        const char *s = title + w->lines[i].start;
        size_t n = w->lines[i].len;
        if (i)
            base -= st.leading;
        csp_pdf_draw_n(L, &st, MARGIN_X, base, s, n);
        end = MARGIN_X + csp_pdf_width_n(L, st.face, st.size, s, n);
    }
    if (continued) {
        csp_text_style cs = csp_style_small;
        csp_pdf_draw_n(L, &cs, end + 5, base, "(continued)", 11);
    }
    L->y -= title_h(t, continued);
}

/* The header row. */
static void draw_header(csp_table *t)
{
    csp_layout *L = t->L;
    csp_text_style st = csp_style_table;
    st.face = CSP_FACE_BOLD;
    st.colour = white;
    double x = MARGIN_X;
    double top = L->y;
    csp_layout_fill_rect(L, &t->accent, MARGIN_X, top - t->head_h,
                         PAGE_W - 2 * MARGIN_X, t->head_h);
    for (size_t c = 0; c < t->ncols; c++) {
        const csp_wrap *w = &t->head[c];
        for (size_t i = 0; i < w->count; i++) {
            const char *s = t->cols[c].title + w->lines[i].start;
            size_t n = w->lines[i].len;
            double lw = csp_pdf_width_n(L, st.face, st.size, s, n);
            double tx = x + CELL_PAD_X;
            if (t->cols[c].align == CSP_ALIGN_RIGHT)
                tx = x + t->w[c] - CELL_PAD_X - lw;
            else if (t->cols[c].align == CSP_ALIGN_CENTRE)
                tx = x + (t->w[c] - lw) / 2;
            csp_pdf_draw_n(L, &st, tx,
                           csp_pdf_baseline(&st, top - CELL_PAD_Y -
                                                     (double)i * st.leading),
                           s, n);
        }
        x += t->w[c];
    }
    L->y = top - t->head_h;
}

/* Break to a new page and repeat the title and header. */
static void table_break(csp_table *t)
{
    csp_pdf_page_add(t->L, CSP_PAGE_BODY);
    draw_title(t, true);
    draw_header(t);
}

/* Draw lines [from, to) of cell c of row r, the first of them at top. */
static void draw_cell(csp_table *t, trow *row, size_t c, double x, double top,
                      size_t from, size_t to)
{
    csp_layout *L = t->L;
    tcell *tc = &row->cells[c];
    double base = from < tc->nlines ? tc->lines[from].off : 0;
    double indent = tc->mark ? MARK_ROOM : 0;
    for (size_t k = from; k < to; k++) {
        const cell_line *cl = &tc->lines[k];
        csp_text_style st = cl->note ? csp_style_small : csp_style_table;
        if (!cl->note) {
            st.face = tc->face;
            if (tc->has_colour)
                st.colour = tc->colour;
        }
        double ltop = top - CELL_PAD_Y - (cl->off - base);
        double by = csp_pdf_baseline(&st, ltop);
        double lw =
            csp_pdf_width_n(L, st.face, st.size, cl->src + cl->start, cl->len);
        double ind = cl->note ? 0 : indent;
        double tx = x + CELL_PAD_X + ind;
        if (t->cols[c].align == CSP_ALIGN_RIGHT)
            tx = x + t->w[c] - CELL_PAD_X - lw;
        else if (t->cols[c].align == CSP_ALIGN_CENTRE)
            tx = x + (t->w[c] - lw - ind) / 2 + ind;
        if (k == 0 && tc->mark)
            csp_layout_draw_mark(
                L, tc->mark, tc->has_mark_colour ? &tc->mark_colour : NULL,
                tx - MARK_ROOM + MARK_SIZE / 2, by + st.size * 0.33, MARK_SIZE);
        csp_pdf_draw_n(L, &st, tx, by, cl->src + cl->start, cl->len);
    }
    if (tc->nlines == 0 && tc->mark && from == 0) {
        /* A mark alone. */
        double by = csp_pdf_baseline(&csp_style_table, top - CELL_PAD_Y);
        csp_layout_draw_mark(L, tc->mark,
                             tc->has_mark_colour ? &tc->mark_colour : NULL,
                             x + CELL_PAD_X + MARK_SIZE / 2,
                             by + csp_style_table.size * 0.33, MARK_SIZE);
    }
}

/* The x of column c. */
static double col_x(const csp_table *t, size_t c)
{
    double x = MARGIN_X;
    for (size_t i = 0; i < c; i++)
        x += t->w[i];
    return x;
}

/*
 * Start a group of rows whose first row has spanning cells, at the flow
 * position: shade the whole group (its rows then skip their own shading)
 * and draw the spanning cells, so that they come first in reading order.
 */
static void begin_span_group(csp_table *t, size_t r)
{
    trow *row = &t->rows[r];
    bool any = false;
    for (size_t c = 0; c < t->ncols; c++)
        any |= row->cells[c].spans;
    if (!any)
        return;
    double h = 0;
    size_t k = r;
    for (;;) {
        h += t->rows[k].h;
        if (!t->rows[k].keep || k + 1 >= t->nrows)
            break;
        k++;
    }
    csp_layout *L = t->L;
    double top = L->y;
    if (row->stripe) {
        csp_layout_fill_rect(t->L, &zebra, MARGIN_X, top - h,
                             PAGE_W - 2 * MARGIN_X, h);
        for (size_t i = r; i <= k; i++)
            t->rows[i].prefilled = true;
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (row->cells[c].spans)
            draw_cell(t, row, c, col_x(t, c), top, 0, row->cells[c].nlines);
}

/*
 * Draw what fits of row r in at most avail points (all of it when it
 * fits).  Returns true when the row is finished.  Spanning cells are
 * drawn by begin_span_group.
 */
static bool draw_row_part(csp_table *t, size_t r, double avail)
{
    csp_layout *L = t->L;
    trow *row = &t->rows[r];
    double top = L->y;
    double content = avail - 2 * CELL_PAD_Y;
    /* What each cell can draw: lines whose box ends within content. */
    size_t stop[64];
    size_t *stops = t->ncols <= 64 ? stop : csp_calloc(t->ncols, sizeof *stops);
    if (!stops) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return true;
    }
    double used = 0;
    bool done = true, started = false;
    for (size_t c = 0; c < t->ncols; c++)
        started |= row->cells[c].next > 0 && !row->cells[c].spans;
    for (size_t c = 0; c < t->ncols; c++) {
        tcell *tc = &row->cells[c];
        if (tc->spans) {
            stops[c] = tc->nlines;
            continue;
        }
        size_t k = tc->next;
        double base = k < tc->nlines ? tc->lines[k].off : 0;
        while (k < tc->nlines &&
               tc->lines[k].off + line_h(&tc->lines[k]) - base <= content + EPS)
            k++;
        if (k == tc->next && k < tc->nlines)
            k++; /* always make progress */
        stops[c] = k;
        if (k > tc->next) {
            double h = tc->lines[k - 1].off + line_h(&tc->lines[k - 1]) - base;
            if (h > used)
                used = h;
        }
        if (k < tc->nlines)
            done = false;
    }
    double h = used + 2 * CELL_PAD_Y;
    if (done && !started && row->h > h)
        h = row->h; /* room left for a spanning cell above */
    if (row->stripe && !row->prefilled)
        csp_layout_fill_rect(L, &zebra, MARGIN_X, top - h,
                             PAGE_W - 2 * MARGIN_X, h);
    double x = MARGIN_X;
    for (size_t c = 0; c < t->ncols; c++) {
        tcell *tc = &row->cells[c];
        if (!tc->spans)
            draw_cell(t, row, c, x, top, tc->next, stops[c]);
        if (c == 0 && started && tc->next == tc->nlines && tc->nlines &&
            !tc->lines[0].note && tc->lines[0].len) {
            /* A row continued from the last page: its first cell's first
             * line again, in grey, to say which row this is. */
            csp_text_style g = csp_style_table;
            g.colour = grey;
            csp_pdf_draw_n(
                L, &g, x + CELL_PAD_X, csp_pdf_baseline(&g, top - CELL_PAD_Y),
                tc->lines[0].src + tc->lines[0].start, tc->lines[0].len);
        }
        tc->next = stops[c];
        x += t->w[c];
    }
    if (!row->keep || r + 1 == t->nrows || !done)
        csp_layout_line(L, &rule_grey, 0.4, MARGIN_X, top - h,
                        PAGE_W - MARGIN_X, top - h);
    L->y = top - h;
    if (stops != stop)
        free(stops);
    return done;
}

/*
 * Let cells of spanning columns run down into the empty cells below them
 * in their group (rows kept together that fit on a page): the first row
 * is then only as tall as its other cells, and the group's last row grows
 * if the spanning text needs more room than the group has.
 */
static void table_spans(csp_table *t, double page_room)
{
    for (size_t r = 0; r < t->nrows;) {
        size_t k = r;
        while (k + 1 < t->nrows && t->rows[k].keep)
            k++;
        double total = 0;
        for (size_t i = r; i <= k; i++)
            total += t->rows[i].h;
        if (k > r && total <= page_room) {
            trow *first = &t->rows[r];
            double rest = 0, own = csp_style_table.leading;
            bool any = false;
            for (size_t c = 0; c < t->ncols; c++) {
                tcell *tc = &first->cells[c];
                bool empty_below = t->cols[c].span;
                for (size_t i = r + 1; i <= k && empty_below; i++) {
                    const tcell *b = &t->rows[i].cells[c];
                    empty_below = !b->text && !b->note && !b->mark;
                }
                if (empty_below && tc->nlines) {
                    tc->spans = true;
                    any = true;
                } else if (tc->h > own) {
                    own = tc->h;
                }
            }
            if (any) {
                first->h = own + 2 * CELL_PAD_Y;
                for (size_t i = r + 1; i <= k; i++)
                    rest += t->rows[i].h;
                double need = 0;
                for (size_t c = 0; c < t->ncols; c++)
                    if (first->cells[c].spans &&
                        first->cells[c].h + 2 * CELL_PAD_Y > need)
                        need = first->cells[c].h + 2 * CELL_PAD_Y;
                if (need > first->h + rest)
                    t->rows[k].h += need - first->h - rest;
            }
        }
        r = k + 1;
    }
}

/*
 * The height of the rows from r that must stay on one page: r and the
 * rows kept with it, and the last row when it would otherwise follow
 * alone; never more than a page (room).  *end is the first row after.
 */
static double group_h(const csp_table *t, size_t r, double room, size_t *end)
{
    double g = t->rows[r].h;
    size_t k = r;
    while (k + 1 < t->nrows && t->rows[k].keep &&
           g + t->rows[k + 1].h <= room) {
        g += t->rows[k + 1].h;
        k++;
    }
    if (k + 2 == t->nrows && g + t->rows[k + 1].h <= room) {
        g += t->rows[k + 1].h;
        k++;
    }
    *end = k + 1;
    return g;
}

/* Record the table into the document: its columns, and each row's cells
 * as written (a spanning column's empty cells below a kept row continue
 * the cell above: what the drawing shows, whatever the page size). */
static void table_record(csp_table *t)
{
    csp_doc *d = t->L->doc;
    if (!d || t->L->err)
        return;
    csp_doc_col *cols = csp_calloc(t->ncols, sizeof *cols);
    csp_doc_cell *cells = csp_calloc(t->ncols, sizeof *cells);
    bool *above = csp_calloc(t->ncols, sizeof *above);
    if (!cols || !cells || !above) {
        csp_pdf_fail(t->L, CSP_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        cols[c].title = t->col_titles[c];
        cols[c].align = t->cols[c].align;
    }
    csp_doc_table_begin(d, t->title, cols, t->ncols, t->row_headers);
    for (size_t r = 0; r < t->nrows; r++) {
        const trow *row = &t->rows[r];
        bool kept = r > 0 && t->rows[r - 1].keep;
        for (size_t c = 0; c < t->ncols; c++) {
            const tcell *tc = &row->cells[c];
            bool empty = !tc->text && !tc->note && !tc->mark;
            csp_doc_cell *o = &cells[c];
            memset(o, 0, sizeof *o);
            o->text = tc->text;
            o->bold = tc->face == CSP_FACE_BOLD;
            o->mark = tc->mark;
            o->mark_colour = tc->has_mark_colour ? tc->mark_colour : ink;
            o->mark_word = tc->mark_word;
            o->note = tc->note;
            o->continues = t->cols[c].span && empty && kept && above[c];
            above[c] = !empty || o->continues;
        }
        csp_doc_table_row(d, cells);
    }
    csp_doc_table_end(d);
out:
    free(cols);
    free(cells);
    free(above);
}

/*
 * Whether to break before group-starting row r so that the table's last
 * rows go over with its tail: when the rows from r and the tail do not
 * fit in the room left but fit on a page of their own, leaving r here
 * would leave the last page under half full, and this page is full
 * enough to leave.
 */
static bool break_for_tail(csp_table *t, size_t r, double room,
                           double page_room)
{
    csp_layout *L = t->L;
    if (t->tail <= 0 || csp_layout_fill(L) < CSP_LAYOUT_MIN_FILL)
        return false;
    double rest = t->tail;
    for (size_t k = r; k < t->nrows; k++)
        rest += t->rows[k].h;
    if (rest <= room + EPS || rest > page_room)
        return false;
    size_t end;
    double group = group_h(t, r, page_room, &end);
    double flow = FLOW_TOP - FLOW_BOTTOM;
    return title_h(t, true) + t->head_h + rest - group <
           CSP_LAYOUT_MIN_FILL * flow;
}

/* Lay the table out in the flow, breaking between rows, and free it. */
void csp_table_end(csp_table *t)
{
    if (!t)
        return;
    csp_layout *L = t->L;
    if (L->err)
        goto out;
    if (L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    table_widths(t);
    /* The header. */
    csp_text_style hs = csp_style_table;
    hs.face = CSP_FACE_BOLD;
    size_t hl = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!csp_pdf_wrap(L, &hs, t->cols[c].title, t->w[c] - 2 * CELL_PAD_X,
                          &t->head[c]))
            goto out;
        if (t->head[c].count > hl)
            hl = t->head[c].count;
    }
    t->head_h = (double)hl * hs.leading + 2 * CELL_PAD_Y;
    if (!wrap_title(t))
        goto out;
    /* The rows. */
    for (size_t r = 0; r < t->nrows && !L->err; r++) {
        trow *row = &t->rows[r];
        double h = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            cell_layout(L, &row->cells[c], t->w[c]);
            if (row->cells[c].h > h)
                h = row->cells[c].h;
        }
        if (h < csp_style_table.leading)
            h = csp_style_table.leading;
        row->h = h + 2 * CELL_PAD_Y;
    }
    if (L->err)
        goto out;
    /* Groups of rows alternate shading. */
    bool stripe = true;
    for (size_t r = 0; r < t->nrows; r++) {
        if (r == 0 || !t->rows[r - 1].keep)
            stripe = !stripe;
        t->rows[r].stripe = stripe;
    }
    double page_room = FLOW_TOP - FLOW_BOTTOM - title_h(t, true) - t->head_h;
    double min_split = 3 * csp_style_table.leading + 2 * CELL_PAD_Y;
    table_spans(t, page_room);
    /* Title, header and the first two rows (or group) together. */
    double first = 0;
    for (size_t r = 0; r < t->nrows;) {
        size_t end;
        double g = group_h(t, r, page_room, &end);
        if (first + g > page_room)
            break;
        first += g;
        r = end;
        if (r >= 2)
            break;
    }
    if (first <= 0)
        first =
            t->nrows && t->rows[0].h <= page_room ? t->rows[0].h : min_split;
    /* On a page less than half full, the header and the first row (or
     * group) are enough: moving two would leave the page short. */
    if (t->nrows && csp_layout_fill(L) < CSP_LAYOUT_MIN_FILL) {
        size_t end;
        double g = group_h(t, 0, page_room, &end);
        if (g > 0 && g < first)
            first = g;
    }
    double space = csp_pdf_at_top(L) || t->heading ? 0 : 4;
    double lead = 0;
    if (t->heading)
        lead += csp_pdf_heading_height(L, t->heading_level, t->heading);
    if (t->intro)
        lead += csp_layout_text_height(L, &csp_style_small,
                                       PAGE_W - 2 * MARGIN_X, t->intro) +
                5;
    csp_layout_need(L, space + lead + title_h(t, false) + t->head_h + first);
    if (t->mark) {
        csp_pdf_mark_here(L, t->mark_level, t->mark, t->mark_toc, L->y);
        csp_pdf_record_mark(L, t->mark_level, t->mark, t->mark_toc);
    }
    if (!csp_pdf_at_top(L))
        L->y -= space;
    if (t->heading)
        csp_layout_heading(L, t->heading_level, t->heading,
                           t->has_heading_colour ? &t->heading_colour : NULL,
                           t->heading_toc);
    if (t->intro) {
        csp_layout_text_block(L, &csp_style_small, 0, t->intro);
        L->y -= 5;
    }
    table_record(t);
    draw_title(t, false);
    draw_header(t);
    bool fresh = true; /* nothing drawn under this header yet */
    for (size_t r = 0; r < t->nrows && !L->err; r++) {
        trow *row = &t->rows[r];
        double room = L->y - FLOW_BOTTOM;
        /* A group that fits on a page is not split, and the last row
         * does not go alone onto a new page. */
        size_t end, whole = r;
        double group = group_h(t, r, page_room, &end);
        while (whole + 1 < t->nrows && t->rows[whole].keep)
            whole++;
        /* Only where a group starts, and only a group that fits on a
         * page whole: a longer one flows, a row at a time. */
        bool starts = r == 0 || !t->rows[r - 1].keep;
        /* Rows that would leave this page short flow on, splitting
         * between lines, rather than move whole. */
        bool split = t->split_short && room >= min_split &&
                     csp_layout_fill(L) < CSP_LAYOUT_MIN_FILL;
        if (starts && !fresh && !split &&
            ((end > whole && group > room + EPS && group <= page_room) ||
             break_for_tail(t, r, room, page_room))) {
            table_break(t);
            room = L->y - FLOW_BOTTOM;
        }
        fresh = false;
        if (row->h <= room + EPS) {
            begin_span_group(t, r);
            draw_row_part(t, r, row->h);
            continue;
        }
        if (row->h <= page_room && !split) {
            table_break(t);
            begin_span_group(t, r);
            draw_row_part(t, r, row->h);
            continue;
        }
        /* Taller than a page, or a row that splits rather than leave
         * this page short: split between lines. */
        if (room < min_split)
            table_break(t);
        while (!draw_row_part(t, r, L->y - FLOW_BOTTOM) && !L->err)
            table_break(t);
    }
    L->y -= 6;
out:
    table_free(t);
}
