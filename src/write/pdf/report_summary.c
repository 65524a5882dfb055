/* csppack: the board pack's first page: a title block and the one-page
 * summary (doc/report.md, "The summary"). */
#include "csppack/write/pdf/report_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/common.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/wrap.h"

/* Items a list of the summary shows at most before "and N more". */
#define LIST_MAX 8
#define RETURNS_MAX 5
#define PROBLEMS_MAX 4
#define REVISIONS_MAX 4

/* The summary's compact type, at the layout's floors (layout.h): body
 * and table text CSP_TYPE_BODY_MIN, column heads CSP_TYPE_MIN. */
static const csp_text_style sum_body = {
    CSP_FACE_REGULAR, CSP_TYPE_BODY_MIN, 11.6, {0.13f, 0.13f, 0.13f}};
static const csp_text_style sum_cell = {
    CSP_FACE_REGULAR, CSP_TYPE_BODY_MIN, 10.6, {0.13f, 0.13f, 0.13f}};
static const csp_text_style sum_head = {
    CSP_FACE_BOLD, CSP_TYPE_MIN, 10, {0.28f, 0.28f, 0.28f}};

/* Where the summary is drawn: a column from y down to bottom. */
typedef struct sum {
    csp_rep *r;
    double x, w, y, bottom;
} sum;

/* ---- The title block ----------------------------------------------------- */

/* Page 1's title block and the "Summary" heading; the summary itself is
 * drawn last (csp_rep_summary), when the pages it refers to exist. */
void csp_rep_board_title(csp_rep *r)
{
    csp_layout *L = r->L;
    const csp_template *tpl = r->tpl;
    double ph = csp_layout_page_height(L);
    double x = csp_layout_left(L), w = csp_layout_width(L);
    csp_layout_page(L, CSP_PAGE_COVER);
    /* A stripe per theme across the top, as on the strategy's cover. */
    csp_rep_theme_stripes(r, ph - 8, 8);
    csp_text_style partner = {CSP_FACE_BOLD, 9.5, 13, r->accent};
    csp_text_style kind = {CSP_FACE_BOLD, 21, 25, {0.13f, 0.13f, 0.13f}};
    csp_text_style when = {CSP_FACE_REGULAR, 11, 15, {0.13f, 0.13f, 0.13f}};
    double y = ph - 40;
    y -= csp_rep_text_box(r, &partner, x, y, w, tpl->partnership) + 2;
    char label[CSP_LABEL_BUFSZ] = "", words[CSP_LABEL_BUFSZ] = "";
    if (r->has_period) {
        csp_period_label(r->period, label);
        csp_rep_period_words(r->period, words);
    }
    const char *pack = csp_template_label(tpl, CSP_LABEL_BOARD_PACK);
    char *head = r->has_period
                     ? csp_rep_fmt(r, "%s \xE2\x80\x93 %s", pack, label)
                     : csp_rep_fmt(r, "%s", pack);
    if (head)
        y -= csp_rep_text_box(r, &kind, x, y, w, head);
    /* Recorded as it reads: the title first (the partnership after it,
     * as the strategy report's cover has it). */
    csp_rep_rec_para(r, CSP_DOC_TITLE, head);
    free(head);
    char *sub = r->has_period
                    ? csp_rep_fmt(r, "%c%s. %s", words[0] >= 'a' &&
                                                         words[0] <= 'z'
                                                     ? words[0] - 'a' + 'A'
                                                     : words[0],
                                  words + 1, tpl->title)
                    : csp_rep_fmt(r, "No figures received yet. %s",
                                  tpl->title);
    if (sub)
        y -= csp_rep_text_box(r, &when, x, y - 2, w, sub) + 2;
    csp_rep_rec_para(r, CSP_DOC_SUBTITLE, sub);
    csp_rep_rec_para(r, CSP_DOC_LEAD, tpl->partnership);
    free(sub);
    char *prep = csp_rep_prepared_from(r);
    if (prep)
        y -= csp_rep_text_box(r, &csp_style_small, x, y - 2, w, prep) + 2;
    csp_rep_rec_para(r, CSP_DOC_NOTE, prep);
    free(prep);
    /* Where the accessible version is (not recorded: it is that one). */
    if (r->html_name)
        y -= csp_rep_html_line(r, x, y - 2, w) + 2;
    csp_layout_line(L, &r->accent, 0.8, x, y - 4, x + w, y - 4);
    csp_layout_set_y(L, y - 4);
    csp_layout_heading(L, 0, "Summary", NULL, CSP_TOC_YES);
    r->summary_y = csp_layout_y(L);
    r->summary_at = csp_doc_here(csp_layout_doc(L));
}

/* ---- Drawing ------------------------------------------------------------- */

/* Is there room for h more? */
static bool room(const sum *s, double h)
{
    return s->y - h >= s->bottom;
}

/* A sub-heading of the summary, kept with @p keep points after it. */
static bool sub_heading(sum *s, const char *title, double keep)
{
    csp_text_style st = {CSP_FACE_BOLD, 10.5, 14, s->r->accent};
    if (!room(s, 19 + keep))
        return false;
    s->y -= 5;
    csp_rep_text_box(s->r, &st, s->x, s->y, s->w, title);
    csp_rep_rec_heading(s->r, 1, title, false);
    s->y -= 14;
    return true;
}

/* Draw text of the summary at an indent, recording nothing (the caller
 * records what it stands for); its height, 0 when it did not fit
 * (nothing drawn). */
static double draw_text(sum *s, const csp_text_style *st, double indent,
                        const char *text)
{
    if (!text)
        return 0;
    double h = csp_layout_text_height(s->r->L, st, s->w - indent, text);
    if (!room(s, h))
        return 0;
    csp_rep_text_box(s->r, st, s->x + indent, s->y, s->w - indent, text);
    s->y -= h;
    return h;
}

/* A paragraph of the summary at an indent, drawn and recorded; its
 * height, 0 when it did not fit (nothing drawn). */
static double para(sum *s, const csp_text_style *st, double indent,
                   const char *text)
{
    double h = draw_text(s, st, indent, text);
    if (h > 0)
        csp_rep_rec_para(s->r, CSP_DOC_BODY, text);
    return h;
}

/* A list item with a mark (CSP_MARK_NONE: a bullet dot). */
static bool item(sum *s, csp_mark mark, const csp_rgb *colour,
                 const char *text)
{
    static const csp_rgb ink = {0.13f, 0.13f, 0.13f};
    double h = csp_layout_text_height(s->r->L, &sum_body, s->w - 14, text);
    /* Room for it and for an "and N more" line after it. */
    if (!room(s, h + sum_body.leading))
        return false;
    double cy = s->y - sum_body.leading / 2 + 0.5;
    if (mark == CSP_MARK_NONE)
        csp_layout_draw_mark(s->r->L, CSP_MARK_DOT, &ink, s->x + 4, cy, 3);
    else
        csp_layout_draw_mark(s->r->L, mark, colour, s->x + 4, cy, 7);
    bool drawn = draw_text(s, &sum_body, 14, text) > 0;
    if (drawn)
        csp_rep_rec_item(s->r, 0, text);
    return drawn;
}

/* "and N more (see page P)" after a list cut short. */
static void more(sum *s, size_t n, size_t page_index)
{
    if (n == 0)
        return;
    char *t = csp_rep_fmt(s->r, "and %zu more (see page %zu).", n,
                          csp_layout_page_number(s->r->L, page_index));
    /* A page number means nothing in the HTML version, which has no
     * pages: it says only how many more there are. */
    bool drawn = draw_text(s, &sum_body, 14, t) > 0;
    free(t);
    if (drawn) {
        t = csp_rep_fmt(s->r, "and %zu more.", n);
        csp_rep_rec_para(s->r, CSP_DOC_BODY, t);
        free(t);
    }
}

/* A count with its mark, "● 25 on track". */
typedef struct chip {
    csp_mark mark;
    const csp_rgb *colour;
    char text[64];
} chip;

/* A row of counts with their marks, wrapped within the column. */
static void chips(sum *s, const chip *c, size_t n)
{
    csp_layout *L = s->r->L;
    double x = s->x, right = s->x + s->w;
    if (!room(s, sum_body.leading + 2))
        return;
    /* The counts are a key of marks and words in the document; a row
     * cut short at the page's foot is recorded as drawn. */
    csp_doc_key keys[8];
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        double tw =
            csp_layout_text_width(L, sum_body.face, sum_body.size, c[i].text);
        if (x > s->x && x + 11 + tw > right) {
            x = s->x;
            s->y -= sum_body.leading;
            if (!room(s, sum_body.leading)) {
                csp_doc_keys(csp_layout_doc(L), NULL, keys, nk);
                return;
            }
        }
        double base = s->y - sum_body.size;
        csp_layout_draw_mark(L, c[i].mark, c[i].colour, x + 3.5, base + 3,
                             7.5);
        csp_layout_text_at(L, &sum_body, x + 10, base, c[i].text);
        if (nk < sizeof keys / sizeof *keys)
            keys[nk++] = (csp_doc_key){c[i].mark, *c[i].colour,
                                       (char *)c[i].text};
        x += 10 + tw + 14;
    }
    s->y -= sum_body.leading + 3;
    csp_doc_keys(csp_layout_doc(L), NULL, keys, nk);
}

/* ---- Crime --------------------------------------------------------------- */

/* The headline: the change of the key findings' last row (the strategy's
 * total) in each area, "Total crime rose 12.8% in North and 14.7% in
 * South in the year ending September 2016". */
static void crime(sum *s)
{
    csp_rep *r = s->r;
    const csp_kf *kf = &r->kf;
    const csp_key_findings *k = &r->tpl->key_findings;
    if (kf->nperiods == 0 || k->nrows == 0)
        return;
    if (!sub_heading(s, k->rows[k->nrows - 1].label, sum_body.leading))
        return;
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = csp_strbuf_puts(&sb, k->rows[k->nrows - 1].label);
    size_t n = 0, nchg = 0;
    /* The reports speak of the top-level areas, not of wards. */
    for (size_t a = 0; a < kf->nareas; a++)
        nchg += kf->areas[a].area->depth == 0 &&
                kf->areas[a].lines[k->nrows - 1].has_change;
    const char *last_verb = NULL;
    for (size_t a = 0; a < kf->nareas && !err; a++) {
        const csp_kf_line *ln = &kf->areas[a].lines[k->nrows - 1];
        if (!ln->has_change || kf->areas[a].area->depth > 0)
            continue;
        char v[CSP_DECIMAL_BUFSZ + 2];
        csp_decimal c = ln->change;
        bool down = c.units < 0;
        if (down)
            c.units = -c.units;
        csp_kf_format_change(c, v);
        const char *num = v[0] == '+' ? v + 1 : v;
        /* "rose 12.8% in North and 14.7% in South": the verb once
         * while it stays the same. */
        const char *verb = c.units == 0 ? "was unchanged"
                           : down       ? "fell"
                                        : "rose";
        err = csp_strbuf_printf(
            &sb, "%s%s%s%s%s%s in %s",
            n == 0 ? "" : n + 1 == nchg ? " and" : ",",
            last_verb && strcmp(last_verb, verb) == 0 ? "" : " ",
            last_verb && strcmp(last_verb, verb) == 0 ? "" : verb,
            c.units == 0 ? "" : " ", c.units == 0 ? "" : num,
            c.units == 0 ? "" : "%", kf->areas[a].area->name);
        last_verb = verb;
        n++;
    }
    char words[CSP_LABEL_BUFSZ];
    /* "in 2020/21" for financial and calendar years, as the tables head
     * them; "in the year ending September 2016" for rolling years. */
    if (csp_kf_financial(kf) || csp_kf_calendar(kf))
        csp_kf_label(kf, kf->periods[kf->nperiods - 1], words);
    else
        csp_rep_period_words(kf->periods[kf->nperiods - 1], words);
    if (!err && n)
        err = csp_strbuf_printf(&sb, " in %s, compared with the year before.",
                                words);
    if (!err && n == 0) {
        csp_strbuf_free(&sb);
        csp_strbuf_init(&sb, 1 << 16);
        err = csp_strbuf_printf(&sb,
                                "No change can be worked out for %s: the "
                                "key findings lack a year to compare.",
                                words);
    }
    if (err)
        r->err = CSP_ERR_NOMEM;
    else
        para(s, &sum_body, 0, csp_strbuf_str(&sb));
    csp_strbuf_free(&sb);
}

/* ---- Measures ------------------------------------------------------------ */

/* The latest figure of a series ending by the pack's period. */
static const csp_figure *latest_of(const csp_rep *r, const char *ind,
                                   const char *area)
{
    size_t first = 0, count = 0;
    csp_dataset_series(r->ds, ind, area, &first, &count);
    for (size_t j = first + count; j-- > first;) {
        const csp_figure *f = &r->ds->figures[j];
        if (f->state != CSP_FIGURE_NONE &&
            (!r->cutoff || f->period.end <= r->period.end))
            return f;
    }
    return NULL;
}

static const csp_rgb better = {0.15f, 0.50f, 0.20f};
static const csp_rgb worse = {0.78f, 0.14f, 0.14f};

/* The dashboard's figures by direction of travel. */
static void measures(sum *s)
{
    csp_rep *r = s->r;
    const csp_template *tpl = r->tpl;
    size_t n[CSP_DIR_DOWN + 1] = {0}, rows = 0, nodata = 0, measures = 0;
    size_t nr[CSP_RATING_RED + 1] = {0};
    for (size_t t = 0; t < tpl->nthemes; t++)
        for (size_t m = 0; m < tpl->themes[t].nmeasures; m++) {
            const char *id = tpl->themes[t].measures[m];
            size_t had = 0;
            measures++;
            for (size_t a = 0; a <= tpl->nareas; a++) {
                if (a < tpl->nareas && tpl->areas[a].depth > 0)
                    continue; /* the reports show top-level areas */
                const csp_figure *f = latest_of(
                    r, id, a < tpl->nareas ? tpl->areas[a].id : CSP_AREA_ALL);
                if (!f)
                    continue;
                csp_judgement j;
                csp_judge_figure(r->ds, f, &j);
                n[j.direction]++;
                nr[j.rating]++;
                rows++;
                had++;
            }
            nodata += had == 0;
        }
    if (!sub_heading(s, "Measures", 2 * sum_body.leading))
        return;
    char g[2][CSP_DECIMAL_GROUPED_BUFSZ];
    char *t = csp_rep_fmt(
        r,
        "The %s latest figures of the %s measures, by area, against "
        "their comparator (the same period a year earlier unless the "
        "strategy names another):",
        csp_out_count_text(rows, g[0]), csp_out_count_text(measures, g[1]));
    para(s, &sum_body, 0, t);
    free(t);
    s->y -= 3;
    chip c[6];
    size_t k = 0;
    static const csp_direction order[] = {CSP_DIR_BETTER, CSP_DIR_WORSE,
                                          CSP_DIR_SAME, CSP_DIR_UP,
                                          CSP_DIR_DOWN, CSP_DIR_NONE};
    static const char *const words[] = {
        [CSP_DIR_NONE] = "without a comparator figure",
        [CSP_DIR_BETTER] = "improving",
        [CSP_DIR_WORSE] = "worsening",
        [CSP_DIR_SAME] = "no real change",
        [CSP_DIR_UP] = "up (neither way is better)",
        [CSP_DIR_DOWN] = "down (neither way is better)"};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        csp_direction d = order[i];
        if ((d == CSP_DIR_UP || d == CSP_DIR_DOWN) && n[d] == 0)
            continue;
        /* The dashboard's colours; a shape of its own for each count. */
        static const csp_mark marks[] = {
            [CSP_DIR_NONE] = CSP_MARK_DASH, [CSP_DIR_BETTER] = CSP_MARK_DOT,
            [CSP_DIR_WORSE] = CSP_MARK_CROSS, [CSP_DIR_SAME] = CSP_MARK_BAR,
            [CSP_DIR_UP] = CSP_MARK_TRIANGLE, [CSP_DIR_DOWN] = CSP_MARK_DOWN};
        c[k].mark = marks[d];
        c[k].colour = d == CSP_DIR_BETTER  ? &better
                      : d == CSP_DIR_WORSE ? &worse
                                           : &grey_text;
        snprintf(c[k].text, sizeof c[k].text, "%s %s",
                 csp_out_count_text(n[d], g[0]), words[d]);
        k++;
    }
    chips(s, c, k);
    /* The ratings against target, with the dashboard's shapes. */
    if (nr[CSP_RATING_GREEN] + nr[CSP_RATING_AMBER] + nr[CSP_RATING_RED]) {
        para(s, &sum_body, 0, "Against their targets:");
        s->y -= 2;
        static const csp_rating ro[] = {CSP_RATING_GREEN, CSP_RATING_AMBER,
                                        CSP_RATING_RED, CSP_RATING_GREY};
        static const char *const rw[] = {
            [CSP_RATING_GREY] = "no target", [CSP_RATING_GREEN] = "green",
            [CSP_RATING_AMBER] = "amber", [CSP_RATING_RED] = "red"};
        csp_rep_look rl[4];
        for (k = 0; k < 4; k++) {
            rl[k] = csp_rep_rating_look(ro[k]);
            c[k].mark = rl[k].mark;
            c[k].colour = &rl[k].colour;
            snprintf(c[k].text, sizeof c[k].text, "%s %s",
                     csp_out_count_text(nr[ro[k]], g[0]), rw[ro[k]]);
        }
        chips(s, c, 4);
    } else {
        para(s, &sum_body, 0,
             "No measure has a target, so none is rated green, amber or "
             "red.");
    }
    if (nodata) {
        t = csp_rep_fmt(r, "%s measure%s no figure at all.",
                        csp_out_count_text(nodata, g[0]),
                        nodata == 1 ? " has" : "s have");
        para(s, &sum_body, 0, t);
        free(t);
    }
}

/* ---- Actions ------------------------------------------------------------- */

/* The status that decides an item, or -1 with no update. */
static int item_status(const csp_dataset_action *a)
{
    if (a->current == CSP_NO_INDEX || a->current >= a->nupdates)
        return -1;
    return (int)a->updates[a->current].status;
}

/* Record a row of the exceptions table as drawn (its text cleaned). */
static void exception_record(csp_rep *r, const csp_rep_look *lk,
                             const char *const cells[5])
{
    csp_doc *d = csp_layout_doc(r->L);
    if (!d)
        return;
    csp_doc_cell dc[5];
    memset(dc, 0, sizeof dc);
    for (size_t c = 0; c < 5 && !r->err; c++)
        if (cells[c] && !(dc[c].text = csp_utf8_clean(cells[c],
                                                      strlen(cells[c]))))
            r->err = CSP_ERR_NOMEM;
    dc[0].mark = lk->mark;
    dc[0].mark_colour = lk->colour;
    dc[1].bold = true;
    if (!r->err)
        csp_doc_table_row(d, dc);
    for (size_t c = 0; c < 5; c++)
        free(dc[c].text);
}

/* One row of the exceptions table; false when it did not fit. */
static bool exception_row(sum *s, const csp_dataset_action *a,
                          const double *cx, const double *cw)
{
    csp_rep *r = s->r;
    csp_layout *L = r->L;
    const csp_rep_look *lk = &csp_rep_act_look[a->updates[a->current].status];
    char *txt = csp_rep_short_text(r, a->action->text, 60, false);
    char *grp = csp_rep_groups_label(r, a->action);
    const char *who =
        csp_rep_agency_name(r->tpl, a->updates[a->current].agency);
    const char *cells[5] = {lk->label, a->ref, txt, grp, who};
    /* The ref is bold: measured as drawn, so it is never broken. */
    csp_text_style ref = sum_cell;
    ref.face = CSP_FACE_BOLD;
    double h = 0;
    for (size_t c = 0; c < 5; c++) {
        double ch = csp_layout_text_height(L, c == 1 ? &ref : &sum_cell,
                                           cw[c] - (c == 0 ? 10 : 0),
                                           cells[c]);
        if (ch > h)
            h = ch;
    }
    bool fits = txt && grp && room(s, h + 4);
    if (fits) {
        s->y -= 2;
        csp_layout_draw_mark(L, lk->mark, &lk->colour, cx[0] + 3.5,
                             s->y - sum_cell.size + 3, 7);
        for (size_t c = 0; c < 5; c++)
            csp_rep_text_box(r, c == 1 ? &ref : &sum_cell,
                             cx[c] + (c == 0 ? 10 : 0), s->y,
                             cw[c] - (c == 0 ? 10 : 0), cells[c]);
        exception_record(r, lk, cells);
        s->y -= h + 2;
        csp_layout_line(L, &(csp_rgb){0.85f, 0.85f, 0.85f}, 0.4, s->x, s->y,
                        s->x + s->w, s->y);
    }
    free(txt);
    free(grp);
    return fits;
}

/* Actions by status, and every off-track and at-risk one. */
static void actions(sum *s)
{
    csp_rep *r = s->r;
    const csp_dataset *ds = r->ds;
    size_t n[CSP_REP_NSTATUS + 1] = {0}, nexc = 0;
    for (size_t i = 0; i < ds->nactions; i++) {
        int st = item_status(&ds->actions[i]);
        size_t k = CSP_REP_NSTATUS;
        for (size_t o = 0; o < CSP_REP_NSTATUS; o++)
            if ((int)csp_rep_act_order[o] == st)
                k = o;
        n[k]++;
        nexc += st == CSP_ACT_OFF_TRACK || st == CSP_ACT_AT_RISK;
    }
    if (!sub_heading(s, "Action plan", 2 * sum_body.leading))
        return;
    size_t good = 0;
    char g[2][CSP_DECIMAL_GROUPED_BUFSZ];
    for (size_t o = 0; o < CSP_REP_NSTATUS; o++)
        if (csp_rep_act_order[o] == CSP_ACT_COMPLETE ||
            csp_rep_act_order[o] == CSP_ACT_ON_TRACK)
            good += n[o];
    char *t = ds->nactions
                  ? csp_rep_fmt(r,
                                "%s of the %s items (%zu%%) are on track "
                                "or complete.",
                                csp_out_count_text(good, g[0]),
                                csp_out_count_text(ds->nactions, g[1]),
                                (good * 200 + ds->nactions) /
                                    (2 * ds->nactions))
                  : csp_rep_fmt(r, "The plan has no items.");
    para(s, &sum_body, 0, t);
    free(t);
    s->y -= 3;
    chip c[CSP_REP_NSTATUS + 1];
    for (size_t o = 0; o <= CSP_REP_NSTATUS; o++) {
        const csp_rep_look *lk = o < CSP_REP_NSTATUS
                                     ? &csp_rep_act_look[csp_rep_act_order[o]]
                                     : &csp_rep_no_update_look;
        c[o].mark = lk->mark;
        c[o].colour = &lk->colour;
        snprintf(c[o].text, sizeof c[o].text, "%s %s",
                 csp_out_count_text(n[o], g[0]), lk->label);
        /* "On track" reads "25 on track" in a sentence. */
        char *p = c[o].text + strcspn(c[o].text, " ") + 1;
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    chips(s, c, CSP_REP_NSTATUS + 1);
    if (nexc == 0) {
        para(s, &sum_body, 0, "No item is off track or at risk.");
        return;
    }
    /* The exceptions: off track first, then at risk, in plan order. */
    double cw[5] = {54, 22, 0, 108, 108};
    /* The ref column is as wide as its heading (the template's word)
     * and the widest ref of the plan ("SP1.2a"), up to a limit. */
    const char *ref_head = csp_template_label(r->tpl, CSP_LABEL_ACTION_REF);
    double rw =
        csp_layout_text_width(r->L, sum_head.face, sum_head.size, ref_head);
    for (size_t i = 0; i < ds->nactions; i++) {
        double w = csp_layout_text_width(r->L, CSP_FACE_BOLD, sum_cell.size,
                                         ds->actions[i].ref);
        rw = w > rw ? w : rw;
    }
    cw[1] = rw + 1 > cw[1] ? (rw + 1 < 72 ? rw + 1 : 72) : cw[1];
    cw[2] = s->w - cw[0] - cw[1] - cw[3] - cw[4] - 4 * 8;
    double cx[5];
    cx[0] = s->x;
    for (size_t i = 1; i < 5; i++)
        cx[i] = cx[i - 1] + cw[i - 1] + 8;
    if (!room(s, 3 * sum_cell.leading + 14))
        return;
    const char *const head[5] = {
        "Status", ref_head, "Action",
        csp_template_label(r->tpl, CSP_LABEL_DELIVERY_GROUP), "Reported by"};
    s->y -= 4;
    for (size_t i = 0; i < 5; i++)
        csp_rep_text_box(r, &sum_head, cx[i], s->y, cw[i], head[i]);
    /* The same table in the document: it ends after its last row. */
    csp_doc_col dcols[5];
    for (size_t i = 0; i < 5; i++)
        dcols[i] = (csp_doc_col){(char *)head[i], CSP_ALIGN_LEFT};
    csp_doc_table_begin(csp_layout_doc(r->L), NULL, dcols, 5, false);
    s->y -= sum_head.leading + 1;
    csp_layout_line(r->L, &r->accent, 0.6, s->x, s->y, s->x + s->w, s->y);
    size_t shown = 0;
    bool full = false;
    for (int pass = 0; pass < 2 && !full; pass++) {
        csp_action_status want = pass ? CSP_ACT_AT_RISK : CSP_ACT_OFF_TRACK;
        for (size_t i = 0; i < ds->nactions && !r->err; i++) {
            const csp_dataset_action *a = &ds->actions[i];
            if (item_status(a) != (int)want)
                continue;
            if (shown == LIST_MAX + 2 ||
                !room(s, 4 * sum_cell.leading + sum_body.leading) ||
                !exception_row(s, a, cx, cw)) {
                full = true;
                break;
            }
            shown++;
        }
    }
    csp_doc_table_end(csp_layout_doc(r->L));
    s->y -= 3;
    more(s, nexc - shown, r->page_actions);
}

/* ---- Returns outstanding ------------------------------------------------- */

/* One agency's line of the chase list. */
static char *returns_line(csp_rep *r, const csp_agency_returns *a)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err;
    if (a->sent_nothing)
        err = csp_strbuf_printf(&sb, "%s sent nothing: ", a->agency->name);
    else
        err = csp_strbuf_printf(&sb, "%s: ", a->agency->name);
    /* "8 of the 24 figures due not received"; for an agency that sent
     * nothing, what was due. */
    bool all = a->sent_nothing;
    if (!err && a->nfigures)
        err = all ? csp_strbuf_printf(&sb, "%zu figure%s", a->nfigures,
                                      a->nfigures == 1 ? "" : "s")
                  : csp_strbuf_printf(&sb, "%zu of the %zu figure%s",
                                      a->nfigures, a->figures_due,
                                      a->figures_due == 1 ? "" : "s");
    if (!err && a->nactions)
        err = all ? csp_strbuf_printf(&sb, "%s%zu action update%s",
                                      a->nfigures ? " and " : "", a->nactions,
                                      a->nactions == 1 ? "" : "s")
                  : csp_strbuf_printf(&sb, "%s%zu of the %zu action update%s",
                                      a->nfigures ? " and " : "", a->nactions,
                                      a->actions_due,
                                      a->actions_due == 1 ? "" : "s");
    if (!err)
        err = csp_strbuf_puts(&sb, all ? " were due" : " due not received");
    for (size_t i = 0; i < a->nfigures && i < 3 && !err; i++) {
        const csp_owed_figure *o = &a->figures[i];
        char *nm = csp_rep_lower_first(r, o->indicator->name);
        err = !nm ? CSP_ERR_NOMEM
                  : csp_strbuf_printf(
                        &sb, "%s%s, %s%s", i ? "; " : ": ", nm,
                        csp_rep_area_name(r->tpl, o->area),
                        o->sent_missing ? " (sent as not available)" : "");
        free(nm);
    }
    if (!err && a->nfigures > 3)
        err = csp_strbuf_printf(&sb, "; and %zu more", a->nfigures - 3);
    for (size_t i = 0; i < a->nactions && i < 5 && !err; i++)
        err = csp_strbuf_printf(&sb, "%s%s", i ? ", " : a->nfigures ? "; actions " : ": actions ",
                                a->actions[i].action->ref);
    if (!err && a->nactions > 5)
        err = csp_strbuf_printf(&sb, " and %zu more", a->nactions - 5);
    if (!err)
        err = csp_strbuf_puts(&sb, ".");
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* What each agency owes for the pack's quarter and has not sent. */
static void returns(sum *s)
{
    csp_rep *r = s->r;
    if (!r->has_period)
        return;
    csp_returns rt;
    if (csp_returns_compute(r->ds, r->period, &rt) != CSP_OK) {
        r->err = CSP_ERR_NOMEM;
        return;
    }
    char words[CSP_LABEL_BUFSZ];
    csp_rep_period_words(r->period, words);
    if (sub_heading(s, "Returns outstanding", sum_body.leading)) {
        if (rt.outstanding == 0) {
            char *t = csp_rep_fmt(r, "All returns received for %s.", words);
            para(s, &sum_body, 0, t);
            free(t);
        }
        /* Those that sent nothing first: they are the ones to chase. */
        size_t shown = 0;
        for (size_t i = 0; i < 2 * rt.nagencies && !r->err; i++) {
            const csp_agency_returns *a = &rt.agencies[i % rt.nagencies];
            if ((a->nfigures == 0 && a->nactions == 0) ||
                a->sent_nothing != (i < rt.nagencies))
                continue;
            char *t = shown < RETURNS_MAX ? returns_line(r, a) : NULL;
            if (t && item(s, a->sent_nothing ? CSP_MARK_CROSS
                                             : CSP_MARK_RING,
                          &csp_rep_act_look[CSP_ACT_OFF_TRACK].colour, t))
                shown++;
            free(t);
            if (shown < RETURNS_MAX && !t)
                break;
        }
        if (rt.outstanding > shown) {
            char *t = csp_rep_fmt(r,
                                  "and %zu more agencies: see the Returns "
                                  "sheet of the workbook.",
                                  rt.outstanding - shown);
            para(s, &sum_body, 14, t);
            free(t);
        }
    }
    csp_returns_free(&rt);
}

/* ---- Changed since the last pack ---------------------------------------- */

/* A previous figure's value as printed. */
static void prev_value(const csp_rep *r, const csp_prev_figure *p, char *buf,
                       size_t n)
{
    const csp_indicator *ind = csp_template_indicator(r->tpl, p->indicator);
    if (p->disputed) {
        snprintf(buf, n, "disputed");
        return;
    }
    if (!p->has_value) {
        snprintf(buf, n, "not available");
        return;
    }
    csp_rep_decimal_text(r->tpl, ind, p->value, buf, n);
}

/* Figures revised and statuses changed since the previous pack. */
static void changes(sum *s)
{
    csp_rep *r = s->r;
    const csp_dataset *ds = r->ds;
    if (!sub_heading(s, "Changed since the last pack", sum_body.leading))
        return;
    if (!ds->previous) {
        para(s, &sum_body, 0, "No earlier pack to compare with.");
        return;
    }
    if (ds->nrevisions == 0 && ds->nstatus_changes == 0) {
        para(s, &sum_body, 0,
             "No figure has been revised and no action's status has "
             "changed since the last pack.");
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < ds->nrevisions && shown < REVISIONS_MAX; i++) {
        const csp_revision *v = &ds->revisions[i];
        char was[64], now[64] = "none", when[CSP_LABEL_BUFSZ];
        prev_value(r, v->old, was, sizeof was);
        if (v->figure && v->figure->state == CSP_FIGURE_DISPUTED)
            snprintf(now, sizeof now, "disputed");
        else if (v->figure && v->figure->has_value)
            csp_rep_value_text(r->tpl, v->figure, now, sizeof now);
        else if (v->figure)
            snprintf(now, sizeof now, "not available");
        csp_rep_period_words(v->period, when);
        const char *by = v->figure && v->figure->agency
                             ? csp_rep_agency_name(r->tpl, v->figure->agency)
                             : NULL;
        char *t = csp_rep_fmt(r, "%s, %s, %s: %s to %s%s%s%s.",
                              csp_rep_indicator_name(r->tpl, v->indicator),
                              csp_rep_area_name(r->tpl, v->area), when, was,
                              now, by ? " (" : "", by ? by : "",
                              by ? ")" : "");
        bool ok = t && item(s, CSP_MARK_NONE, NULL, t);
        free(t);
        if (!ok)
            break;
        shown++;
    }
    size_t shown_st = 0;
    for (size_t i = 0;
         i < ds->nstatus_changes && shown + shown_st < 2 * REVISIONS_MAX;
         i++) {
        const csp_status_change *c = &ds->status_changes[i];
        int st = item_status(c->item);
        const char *now = st < 0 ? csp_rep_no_update_look.label
                                 : csp_rep_act_look[st].label;
        const char *was = c->old && c->old->has_status
                              ? csp_rep_act_look[c->old->status].label
                              : "no update";
        char *w = csp_rep_lower_first(r, was), *n = csp_rep_lower_first(r, now);
        char *t = w && n ? csp_rep_fmt(r, "Action %s: was %s, now %s.",
                                       c->item->ref, w, n)
                         : NULL;
        bool ok = t && item(s, CSP_MARK_NONE, NULL, t);
        free(w);
        free(n);
        free(t);
        if (!ok)
            break;
        shown_st++;
    }
    if (shown + shown_st < ds->nrevisions + ds->nstatus_changes) {
        char *t = csp_rep_fmt(
            r,
            "and %zu more: revised figures are marked on the dashboard "
            "(page %zu); every change is on the Revisions sheet of the "
            "workbook.",
            ds->nrevisions + ds->nstatus_changes - shown - shown_st,
            csp_layout_page_number(r->L, r->page_dashboard));
        para(s, &sum_body, 14, t);
        free(t);
    }
}

/* ---- Data problems ------------------------------------------------------- */

/* The summary's problems: how many are shown, and whether the page is
 * full. */
typedef struct problems_ctx {
    sum *s;
    size_t shown;
    bool full;
} problems_ctx;

/* One problem of the summary, while there is room. */
static void problem_item(csp_rep *r, csp_severity sev, const char *what,
                         const char *who, const char *todo, void *ctx)
{
    problems_ctx *pc = ctx;
    if (pc->full || pc->shown == PROBLEMS_MAX)
        return;
    char *t = csp_rep_fmt(r, "%s %s to %s.", what, who, todo);
    if (t && item(pc->s, sev == CSP_SEV_ERROR ? CSP_MARK_CROSS
                                              : CSP_MARK_TRIANGLE,
                  &csp_rep_act_look[sev == CSP_SEV_ERROR ? CSP_ACT_OFF_TRACK
                                                         : CSP_ACT_AT_RISK]
                       .colour,
                  t))
        pc->shown++;
    else
        pc->full = true;
    free(t);
}

/* The errors and warnings in plain words, errors first. */
static void problems(sum *s)
{
    csp_rep *r = s->r;
    if (!sub_heading(s, "Data problems", sum_body.leading))
        return;
    problems_ctx pc = {s, 0, false};
    size_t total = csp_rep_problems(r, problem_item, &pc);
    if (total == 0)
        para(s, &sum_body, 0,
             "None: every figure and update received was accepted and "
             "consistent.");
    more(s, total - pc.shown, r->page_quality);
}

/* ---- The summary --------------------------------------------------------- */

/* Draw the summary on page 1, below its heading, within that page. */
void csp_rep_summary(csp_rep *r)
{
    csp_layout *L = r->L;
    if (r->err || csp_layout_error(L))
        return;
    csp_layout_revisit(L, 0, r->summary_y);
    sum s = {r, csp_layout_left(L), csp_layout_width(L), r->summary_y,
             csp_layout_bottom(L)};
    /* Drawn last, read first: its blocks go after its heading. */
    csp_doc *d = csp_layout_doc(L);
    csp_doc_insert_at(d, r->summary_at);
    crime(&s);
    measures(&s);
    actions(&s);
    returns(&s);
    changes(&s);
    problems(&s);
    csp_doc_insert_at(d, SIZE_MAX);
}
