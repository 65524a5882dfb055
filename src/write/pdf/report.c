/* csppack: the PDF report (strategy document and board pack). */
#include "csppack/write/pdf/report.h"
#include "csppack/write/common.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/base/strbuf.h"

/* ---- Small helpers ------------------------------------------------------ */

/* Everything one run of the writer needs. */
typedef struct rep {
    const csp_dataset *ds;
    const csp_template *tpl;
    csp_report_kind kind;
    csp_layout *L;
    csp_kf kf;
    bool has_period;
    csp_period period; /* the period the document is about */
    bool cutoff;       /* measures: figures ending by its end */
    csp_rgb accent;
    csp_rgb *theme_rgb; /* one per theme */
    csp_error err;      /* our own failures (memory) */
} rep;

/* A table column; SPAN_COL's cells run down into empty cells below
 * (SPAN_FIT_COL's too, as wide as its widest line). */
#define COL(title, weight, fit, align)                                         \
    {                                                                          \
        (title), (weight), (fit), (align), false                               \
    }
#define SPAN_COL(title, weight)                                                \
    {                                                                          \
        (title), (weight), false, CSP_ALIGN_LEFT, true                         \
    }
#define SPAN_FIT_COL(title)                                                    \
    {                                                                          \
        (title), 0, true, CSP_ALIGN_LEFT, true                                 \
    }

/* The neutral accent of sections that belong to no theme. */
static const csp_rgb accent_default = {0.16f, 0.23f, 0.30f};
static const csp_rgb grey_text = {0.40f, 0.40f, 0.40f};
static const csp_rgb white = {1, 1, 1};

/* A malloc'd formatted string; NULL (and r->err) when memory ran out. */
static char *fmt(rep *r, const char *f, ...)
    __attribute__((format(printf, 2, 3)));
static char *fmt(rep *r, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? csp_malloc((size_t)n + 1) : NULL;
    if (!s) {
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* The accent of theme i. */
static const csp_rgb *theme_colour(const rep *r, size_t i)
{
    return i < r->tpl->nthemes ? &r->theme_rgb[i] : &r->accent;
}

/* The title of theme i with its number, "1. Protecting ...". */
static char *theme_title(rep *r, size_t i)
{
    const csp_theme *th = &r->tpl->themes[i];
    return fmt(r, "%u. %s", th->number, th->title);
}

/* An agency's name, or its id. */
static const char *agency_name(const csp_template *tpl, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "csppack (calculated)";
    const csp_agency *a = csp_template_agency(tpl, id);
    return a ? a->name : id;
}

/* An area's name ("All areas" for the partnership as a whole). */
static const char *area_name(const csp_template *tpl, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a ? a->name : id;
}

/* An indicator's name, or its id. */
static const char *indicator_name(const csp_template *tpl, const char *id)
{
    const csp_indicator *ind = id ? csp_template_indicator(tpl, id) : NULL;
    return ind ? ind->name : id ? id : "";
}

static const char *const month_long[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
static const char *const month_short[] = {"Jan",  "Feb",  "Mar",  "Apr",
                                          "May",  "June", "July", "Aug",
                                          "Sept", "Oct",  "Nov",  "Dec"};

/* "4 November 2016" (long) or "4 Nov 2016". */
static void date_text(csp_date d, bool longform, char *buf, size_t n)
{
    int y, m, dd;
    csp_date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, n, "%d %s %d", dd,
             longform ? month_long[m - 1] : month_short[m - 1], y);
}

/* Join a date's words with no-break spaces, so that a line never ends
 * inside "18 November 2016" (buf has room: each space grows by one). */
static void nbsp_dates(char buf[48])
{
    char out[48];
    size_t o = 0;
    for (size_t i = 0; buf[i] && o + 3 < sizeof out; i++) {
        if (buf[i] == ' ') {
            out[o++] = '\xC2';
            out[o++] = '\xA0';
        } else {
            out[o++] = buf[i];
        }
    }
    out[o] = '\0';
    memcpy(buf, out, o + 1);
}

/* The local date and time of an instant, as the partner wrote it. */
static csp_date instant_date(csp_instant t, int *hh, int *mm)
{
    int64_t local = t.seconds + (int64_t)t.offset_min * 60;
    int64_t days = local / 86400, secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    if (hh)
        *hh = (int)(secs / 3600);
    if (mm)
        *mm = (int)(secs / 60 % 60);
    return (csp_date)days;
}

/* A figure's value as printed: exactly as it stands, "%" for percents. */
static void value_text(const csp_template *tpl, const csp_figure *f, char *buf,
                       size_t n)
{
    char v[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(f->value, v);
    const csp_indicator *ind = csp_template_indicator(tpl, f->indicator);
    snprintf(buf, n, "%s%s", v,
             ind && ind->unit == CSP_UNIT_PERCENT ? "%" : "");
}

/* The "†" of a figure csppack worked out (noted in @p lg for the legend
 * under its table), or "". */
static const char *origin_note(rep *r, csp_kf_legend *lg, const csp_figure *f)
{
    return csp_kf_legend_note(lg, r->ds, f) ? " " CSP_KF_ORIGIN_MARK : "";
}

/* Draw the legend of the table @p lg noted, if it marked any figure. */
static void origin_legend_draw(rep *r, csp_kf_legend *lg)
{
    char *s = csp_kf_legend_take(lg);
    if (lg->err)
        r->err = lg->err;
    if (s && !r->err)
        csp_layout_text_block(r->L, &csp_style_small, 0, s);
    free(s);
}

/* How an action status looks. */
typedef struct look {
    const char *label;
    csp_mark mark;
    csp_rgb colour;
} look;

static const look act_look[] = {
    [CSP_ACT_COMPLETE] = {"Complete", CSP_MARK_TICK, {0.08f, 0.40f, 0.72f}},
    [CSP_ACT_NOT_STARTED] = {"Not started",
                             CSP_MARK_RING,
                             {0.42f, 0.42f, 0.42f}},
    [CSP_ACT_ON_TRACK] = {"On track", CSP_MARK_DOT, {0.15f, 0.50f, 0.20f}},
    [CSP_ACT_AT_RISK] = {"At risk", CSP_MARK_TRIANGLE, {0.86f, 0.52f, 0.0f}},
    [CSP_ACT_OFF_TRACK] = {"Off track", CSP_MARK_CROSS, {0.78f, 0.14f, 0.14f}},
};
static const look no_update_look = {
    "No update", CSP_MARK_DASH, {0.55f, 0.55f, 0.55f}};

/* The order statuses are summarised in. */
static const csp_action_status act_order[] = {
    CSP_ACT_COMPLETE, CSP_ACT_ON_TRACK, CSP_ACT_AT_RISK, CSP_ACT_OFF_TRACK,
    CSP_ACT_NOT_STARTED};

/* How a figure's status looks. */
static look figure_look(const csp_figure *f)
{
    static const look final_look = {
        "Final", CSP_MARK_NONE, {0.35f, 0.35f, 0.35f}};
    static const look prov = {
        "Provisional", CSP_MARK_DIAMOND, {0.70f, 0.42f, 0.0f}};
    static const look est = {
        "Estimated", CSP_MARK_DIAMOND, {0.30f, 0.33f, 0.62f}};
    static const look miss = {"Missing", CSP_MARK_RING, {0.42f, 0.42f, 0.42f}};
    static const look disp = {
        "Disputed", CSP_MARK_CROSS, {0.78f, 0.14f, 0.14f}};
    static const look none = {
        "No figure", CSP_MARK_DASH, {0.55f, 0.55f, 0.55f}};
    if (!f || f->state == CSP_FIGURE_NONE)
        return none;
    if (f->state == CSP_FIGURE_DISPUTED)
        return disp;
    switch (f->status) {
    case CSP_OBS_PROVISIONAL:
        return prov;
    case CSP_OBS_ESTIMATED:
        return est;
    case CSP_OBS_MISSING:
        return miss;
    default:
        return final_look;
    }
}

/* ---- Narrative ---------------------------------------------------------- */

/* The height blocks will take (an estimate: page breaks add nothing). */
static double blocks_height(rep *r, const csp_block *b, size_t n,
                            unsigned level)
{
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        switch (b[i].kind) {
        case CSP_BLOCK_PARAGRAPH:
            h += csp_layout_paragraph_height(r->L, b[i].text);
            break;
        case CSP_BLOCK_HEADING:
            h += csp_layout_heading_height(r->L, 2, b[i].text);
            break;
        case CSP_BLOCK_LIST:
            h += blocks_height(r, b[i].children, b[i].nchildren, level) +
                 (level == 0 ? 4 : 0);
            break;
        case CSP_BLOCK_ITEM:
            h += csp_layout_bullet_height(r->L, level, b[i].text);
            for (size_t k = 0; k < b[i].nchildren; k++)
                if (b[i].children[k].kind == CSP_BLOCK_LIST)
                    h += blocks_height(r, b[i].children[k].children,
                                       b[i].children[k].nchildren, level + 1);
            break;
        }
    }
    return h;
}

/* The height of a section with its sub-sections (an estimate). */
static double section_height(rep *r, const csp_section *s, unsigned level)
{
    double h = s->title ? csp_layout_heading_height(r->L, level, s->title) : 0;
    h += blocks_height(r, s->blocks, s->nblocks, 0);
    for (size_t i = 0; i < s->nsubsections; i++)
        h += section_height(r, &s->subsections[i], level < 2 ? level + 1 : 2);
    return h;
}

/* A third of a page: lists shorter than this are kept whole. */
static double short_block(const rep *r)
{
    return (csp_layout_top(r->L) - csp_layout_bottom(r->L)) / 3;
}

/* What must follow a heading on its page: a short list whole, else three
 * lines of the first paragraph. */
static double first_block_height(rep *r, const csp_block *b, size_t n)
{
    if (n == 0)
        return 0;
    if (b[0].kind == CSP_BLOCK_LIST) {
        double h = blocks_height(r, b, 1, 0);
        return h <= short_block(r) ? h : 3 * csp_style_body.leading;
    }
    double h = blocks_height(r, b, 1, 0);
    return h < 3 * csp_style_body.leading ? h : 3 * csp_style_body.leading;
}

/* Blocks of a section: paragraphs, sub-headings, nested lists. */
static void blocks(rep *r, const csp_block *b, size_t n, unsigned level,
                   const csp_rgb *colour)
{
    for (size_t i = 0; i < n; i++) {
        switch (b[i].kind) {
        case CSP_BLOCK_PARAGRAPH:
            csp_layout_paragraph(r->L, b[i].text);
            break;
        case CSP_BLOCK_HEADING:
            csp_layout_need(r->L,
                            csp_layout_heading_height(r->L, 2, b[i].text) +
                                first_block_height(r, b + i + 1, n - i - 1));
            csp_layout_heading(r->L, 2, b[i].text, colour, CSP_TOC_NO);
            break;
        case CSP_BLOCK_LIST:
            if (level == 0) {
                /* A short list is not split across pages. */
                double h = blocks_height(r, b + i, 1, 0);
                if (h <= short_block(r))
                    csp_layout_need(r->L, h);
            }
            blocks(r, b[i].children, b[i].nchildren, level, colour);
            if (level == 0)
                csp_layout_skip(r->L, 4);
            break;
        case CSP_BLOCK_ITEM:
            csp_layout_bullet(r->L, level, b[i].text ? b[i].text : "");
            for (size_t k = 0; k < b[i].nchildren; k++)
                if (b[i].children[k].kind == CSP_BLOCK_LIST)
                    blocks(r, b[i].children[k].children,
                           b[i].children[k].nchildren, level + 1, colour);
            break;
        }
    }
}

/* A heading kept with what starts its section. */
static void heading_kept(rep *r, unsigned level, const char *title,
                         const csp_block *b, size_t n, const csp_rgb *colour,
                         csp_toc toc)
{
    csp_layout_need(r->L, csp_layout_heading_height(r->L, level, title) +
                              first_block_height(r, b, n));
    csp_layout_heading(r->L, level, title, colour, toc);
}

/* A titled section and its sub-sections. */
static void section(rep *r, const csp_section *s, unsigned level, csp_toc toc,
                    const csp_rgb *colour)
{
    if (level > 0) {
        /* A short sub-section is not split across pages. */
        double h = section_height(r, s, level);
        if (h <= short_block(r))
            csp_layout_need(r->L, h);
    }
    if (s->title)
        heading_kept(r, level, s->title, s->blocks, s->nblocks, colour, toc);
    blocks(r, s->blocks, s->nblocks, 0, colour);
    for (size_t i = 0; i < s->nsubsections; i++)
        section(r, &s->subsections[i], level < 2 ? level + 1 : 2, CSP_TOC_NO,
                colour);
}

/* The template section with this id, on a new page (or after a gap). */
static bool named_section(rep *r, const char *id, bool new_page)
{
    const csp_section *s = csp_template_section(r->tpl, id);
    if (!s)
        return false;
    /* A section that would fit on a page of its own but not in what is
     * left of this one starts a page. */
    double h = section_height(r, s, 0);
    if (new_page || (h > csp_layout_room(r->L) &&
                     h <= csp_layout_top(r->L) - csp_layout_bottom(r->L)))
        csp_layout_page(r->L, CSP_PAGE_BODY);
    else
        csp_layout_skip(r->L, 10);
    section(r, s, 0, CSP_TOC_YES, NULL);
    return true;
}

/* ---- Cover and foreword -------------------------------------------------- */

/* The range of submitted dates of the files that count. */
static size_t submissions_span(const csp_dataset *ds, csp_date *first,
                               csp_date *last)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused || !f->has_submitted || f->duplicate_of != CSP_NO_INDEX)
            continue;
        csp_date d = instant_date(f->submitted, NULL, NULL);
        if (n == 0 || d < *first)
            *first = d;
        if (n == 0 || d > *last)
            *last = d;
        n++;
    }
    return n;
}

/* Wrap and draw text with its top at (x, y) in a width; the height. */
static double text_box(rep *r, const csp_text_style *st, double x, double y,
                       double w, const char *text)
{
    return csp_layout_text_box(r->L, st, x, y, w, text);
}

/* The cover page. */
static void cover(rep *r)
{
    csp_layout *L = r->L;
    const csp_template *tpl = r->tpl;
    double pw = csp_layout_page_width(L), ph = csp_layout_page_height(L);
    double x = csp_layout_left(L), w = csp_layout_width(L);
    csp_layout_page(L, CSP_PAGE_COVER);
    csp_layout_mark(L, 0, "Cover", CSP_TOC_NO);
    /* The coloured block, and a stripe per theme under it. */
    double block = 318;
    csp_layout_fill_rect(L, &r->accent, 0, ph - block, pw, block);
    size_t nt = tpl->nthemes ? tpl->nthemes : 1;
    for (size_t i = 0; i < nt; i++) {
        const csp_rgb *c = tpl->nthemes ? theme_colour(r, i) : &r->accent;
        csp_layout_fill_rect(L, c, pw * (double)i / (double)nt, ph - block - 9,
                             pw / (double)nt, 9);
    }
    csp_text_style small_white = {CSP_FACE_BOLD, 9.5, 13, white};
    csp_text_style title = {CSP_FACE_BOLD, 27, 33, white};
    csp_text_style sub = {CSP_FACE_REGULAR, 13, 17, white};
    /* A long title is set smaller, to stay within the block. */
    while (title.size > 14 &&
           csp_layout_text_height(L, &title, w * 0.92, tpl->title) > 140) {
        title.size -= 2;
        title.leading = title.size * 1.22;
    }
    text_box(r, &small_white, x, ph - 60, w, tpl->partnership);
    double y = ph - 126;
    y -= text_box(r, &title, x, y, w * 0.92, tpl->title);
    if (tpl->subtitle)
        text_box(r, &sub, x, y - 8, w * 0.92, tpl->subtitle);

    /* What this document is, and for when. */
    char label[CSP_LABEL_BUFSZ] = "", phrase[CSP_LABEL_BUFSZ] = "";
    if (r->has_period) {
        csp_period_label(r->period, label);
        csp_period_phrase(r->period, phrase);
    }
    y = ph - block - 58;
    csp_text_style kind = {CSP_FACE_BOLD, 12, 16, r->accent};
    csp_text_style big = {CSP_FACE_BOLD, 24, 29, {0.13f, 0.13f, 0.13f}};
    csp_text_style body = csp_style_body;
    body.size = 10.5;
    body.leading = 15;
    csp_layout_text_at(L, &kind, x, y,
                       r->kind == CSP_REPORT_BOARD
                           ? "Quarterly board pack"
                           : "Annual report on the strategy");
    y -= 31;
    /* The board pack is about a quarter ("Q2 2016/17"); the annual
     * document about a year, in words ("Year ending 30 September 2016"). */
    if (r->kind == CSP_REPORT_STRATEGY && r->has_period) {
        char cap[CSP_LABEL_BUFSZ];
        const char *p = strncmp(phrase, "the ", 4) == 0 ? phrase + 4 : phrase;
        snprintf(cap, sizeof cap, "%s", p);
        if (cap[0] >= 'a' && cap[0] <= 'z')
            cap[0] = (char)(cap[0] - 'a' + 'A');
        y -= text_box(r, &big, x, y + big.size, w, cap) - big.leading;
        y -= 22;
    } else {
        csp_layout_text_at(L, &big, x, y,
                           r->has_period ? label : "No figures received yet");
        y -= 22;
        if (r->has_period) {
            char *s = fmt(r, "Reporting period: %s.", phrase);
            if (s) {
                y -= text_box(r, &body, x, y + body.size, w, s);
                free(s);
            }
        }
    }
    csp_date first = 0, last = 0;
    size_t nsub = submissions_span(r->ds, &first, &last);
    char d1[48], d2[48];
    date_text(first, true, d1, sizeof d1);
    date_text(last, true, d2, sizeof d2);
    nbsp_dates(d1);
    nbsp_dates(d2);
    char *s;
    if (nsub == 0)
        s = fmt(r, "No partner submission could be used.");
    else if (first == last)
        s = fmt(r, "Prepared from %zu partner submission%s received on %s.",
                nsub, nsub == 1 ? "" : "s", d1);
    else
        s = fmt(r,
                "Prepared from %zu partner submissions received between "
                "%s and %s.",
                nsub, d1, d2);
    if (s) {
        y -= text_box(r, &body, x, y + body.size, w, s);
        free(s);
    }
    y -= 6;
    csp_text_style note = csp_style_small;
    note.size = 8;
    note.leading = 11;
    y -= text_box(r, &note, x, y + note.size, w,
                  "Figures are those that stand after reconciling every "
                  "submission; provisional, estimated, missing and disputed "
                  "figures are marked wherever they appear, and so are "
                  "figures csppack worked out (" CSP_KF_ORIGIN_MARK
                  "). The data quality "
                  "section lists every submission received and every "
                  "discrepancy found.");
    if (r->kind == CSP_REPORT_BOARD) {
        y -= 26;
        csp_text_style inpack = {CSP_FACE_BOLD, 12, 16, r->accent};
        csp_layout_text_at(L, &inpack, x, y, "In this pack");
        csp_layout_line(L, &r->accent, 0.8, x, y - 6, x + w, y - 6);
        csp_layout_set_y(L, y - 12);
        csp_layout_contents_here(L);
    } else {
        csp_text_style pn = {CSP_FACE_BOLD, 10, 13, r->accent};
        double ph2 = csp_layout_text_height(L, &pn, w, tpl->partnership);
        text_box(r, &pn, x, csp_layout_bottom(L) + 10 + ph2, w,
                 tpl->partnership);
        csp_layout_page(L, CSP_PAGE_BODY);
        csp_layout_heading(L, 0, "Contents", NULL, CSP_TOC_NO);
        csp_layout_contents_here(L);
    }
}

/* The foreword and its signatories. */
static void foreword(rep *r)
{
    const csp_template *tpl = r->tpl;
    csp_layout *L = r->L;
    if (!tpl->foreword.title && tpl->foreword.nblocks == 0)
        return;
    csp_layout_set_y(L, csp_layout_top(L)); /* the page is fresh */
    section(r, &tpl->foreword, 0, CSP_TOC_YES, NULL);
    if (tpl->nsignatories == 0)
        return;
    csp_text_style name = {CSP_FACE_BOLD, 9.5, 13, {0.13f, 0.13f, 0.13f}};
    csp_text_style role = csp_style_body;
    role.colour = grey_text;
    double x = csp_layout_left(L), w = csp_layout_width(L);
    double colw = w / 2;
    for (size_t i = 0; i < tpl->nsignatories; i += 2) {
        csp_layout_need(L, 58);
        double y = csp_layout_y(L) - 22;
        for (size_t k = 0; k < 2 && i + k < tpl->nsignatories; k++) {
            const csp_signatory *s = &tpl->signatories[i + k];
            double cx = x + colw * (double)k;
            csp_layout_line(L, &grey_text, 0.5, cx, y + 12, cx + colw - 24,
                            y + 12);
            double nh = text_box(r, &name, cx, y + 9.5, colw - 24, s->name);
            if (s->role)
                text_box(r, &role, cx, y + 9.5 - nh, colw - 24, s->role);
        }
        csp_layout_set_y(L, y - 36);
    }
}

/* ---- Key findings -------------------------------------------------------- */

/* The "% change (15 to 16)" header. */
static char *change_header(rep *r)
{
    const csp_kf *kf = &r->kf;
    if (kf->nperiods < 2)
        return fmt(r, "%% change");
    int y1, y2, m, d;
    csp_date_to_ymd(kf->periods[kf->nperiods - 2].end, &y1, &m, &d);
    csp_date_to_ymd(kf->periods[kf->nperiods - 1].end, &y2, &m, &d);
    return fmt(r, "%% change (%02d to %02d)", y1 % 100, y2 % 100);
}

/* A key-findings cell: the value and a mark for anything not final, and
 * for a figure csppack worked out (noted in @p lg). */
static char *kf_value(rep *r, const csp_figure *f, bool *marked,
                      csp_kf_legend *lg)
{
    if (!f || f->state == CSP_FIGURE_NONE)
        return fmt(r, "\xE2\x80\x93");
    if (f->state == CSP_FIGURE_DISPUTED) {
        *marked = true;
        return fmt(r, "disputed");
    }
    if (!f->has_value) {
        *marked = true;
        return fmt(r, "missing");
    }
    char v[64];
    value_text(r->tpl, f, v, sizeof v);
    const char *mine = origin_note(r, lg, f);
    if (f->status == CSP_OBS_PROVISIONAL) {
        *marked = true;
        return fmt(r, "%s p%s", v, mine);
    }
    if (f->status == CSP_OBS_ESTIMATED) {
        *marked = true;
        return fmt(r, "%s e%s", v, mine);
    }
    return fmt(r, "%s%s", v, mine);
}

/* Series colours for areas in charts (colour-blind safe, distinct in
 * grey). */
static const csp_rgb area_colours[] = {
    {0.00f, 0.35f, 0.55f}, {0.90f, 0.60f, 0.00f}, {0.55f, 0.75f, 0.90f},
    {0.35f, 0.20f, 0.45f}, {0.00f, 0.60f, 0.50f}, {0.80f, 0.40f, 0.00f}};
#define NAREA_COLOURS (sizeof area_colours / sizeof *area_colours)

/* Charts of the key-findings rows: one per row, each with its own scale
 * (crimes against society, about 500, beside totals of about 8,000),
 * a line per area, broken where no figure stands. */
static void kf_charts(rep *r)
{
    csp_layout *L = r->L;
    const csp_kf *kf = &r->kf;
    const csp_key_findings *k = &r->tpl->key_findings;
    if (kf->nperiods == 0 || k->nrows == 0 || kf->nareas == 0)
        return;
    size_t per_row = k->nrows < 3 ? k->nrows : 3;
    double gap = 14, w = csp_layout_width(L);
    double cw = (w - gap * (double)(per_row - 1)) / (double)per_row;
    double ch = 150;
    size_t nrowsc = (k->nrows + per_row - 1) / per_row;
    csp_layout_need(L, 30 + (double)nrowsc * (ch + 8) + 20);
    csp_layout_heading(L, 2, "Trends by area", NULL, CSP_TOC_NO);
    char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ];
    const char *cats[CSP_KF_MAX_YEARS];
    for (size_t p = 0; p < kf->nperiods; p++) {
        csp_period_label(kf->periods[p], labels[p]);
        cats[p] = labels[p];
    }
    size_t ns = kf->nareas;
    const char **series = csp_calloc(ns, sizeof *series);
    csp_rgb *colours = csp_calloc(ns, sizeof *colours);
    double *values = csp_calloc(ns * kf->nperiods, sizeof *values);
    if (!series || !colours || !values) {
        r->err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t a = 0; a < ns; a++) {
        series[a] = kf->areas[a].area->name;
        colours[a] = area_colours[a % NAREA_COLOURS];
    }
    bool holes = false;
    for (size_t row = 0; row < k->nrows; row++) {
        size_t col = row % per_row;
        if (col == 0 && row > 0)
            csp_layout_skip(L, ch + 8);
        for (size_t p = 0; p < kf->nperiods; p++)
            for (size_t a = 0; a < ns; a++) {
                const csp_figure *f = kf->areas[a].lines[row].values[p];
                double v = -1;
                if (f && f->state == CSP_FIGURE_STANDS && f->has_value) {
                    v = (double)f->value.units;
                    for (unsigned s = 0; s < f->value.scale; s++)
                        v /= 10;
                }
                values[p * ns + a] = v;
                holes |= v < 0;
            }
        csp_chart c = {k->rows[row].label,
                       cats,
                       kf->nperiods,
                       series,
                       ns,
                       values,
                       colours,
                       false,
                       true};
        csp_layout_chart(L, &c, csp_layout_left(L) + (cw + gap) * (double)col,
                         csp_layout_y(L), cw, ch);
    }
    csp_layout_skip(L, ch + 6);
    /* One legend for all the charts. */
    double lx = csp_layout_left(L), ly = csp_layout_y(L) - 8;
    csp_text_style ls = {CSP_FACE_REGULAR, 7.5, 10, {0.13f, 0.13f, 0.13f}};
    double right = csp_layout_left(L) + csp_layout_width(L);
    for (size_t a = 0; a < ns; a++) {
        double lw = 10 + csp_layout_text_width(L, ls.face, ls.size, series[a]);
        if (a > 0 && lx + lw > right) {
            lx = csp_layout_left(L);
            ly -= 12;
            csp_layout_skip(L, 12);
        }
        csp_layout_line(L, &colours[a], 1.6, lx - 2, ly + 2.6, lx + 9,
                        ly + 2.6);
        csp_layout_draw_mark(L, csp_chart_series_mark(a), &colours[a],
                             lx + 3.5, ly + 2.6, 6);
        csp_layout_text_at(L, &ls, lx + 12, ly, series[a]);
        lx += lw + 16;
    }
    csp_layout_skip(L, 20);
    if (holes)
        csp_layout_text_block(L, &csp_style_small, 0,
                              "A break in a line: no figure stands for that "
                              "year (missing, disputed or not received; see "
                              "the tables above).");
out:
    free(series);
    free(colours);
    free(values);
}

/* The key findings: per-area tables, charts; the narrative in the
 * strategy. */
static void key_findings(rep *r, bool narrative, bool new_page)
{
    csp_layout *L = r->L;
    const csp_key_findings *k = &r->tpl->key_findings;
    const csp_kf *kf = &r->kf;
    if (new_page)
        csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(
        L, 0, k->title ? k->title : "Key findings of the strategic assessment",
        NULL, CSP_TOC_YES);
    if (narrative)
        blocks(r, k->intro, k->nintro, 0, NULL);
    if (kf->nperiods == 0 || k->nrows == 0) {
        csp_layout_paragraph(L, "No year-ending figures for the key findings "
                                "were received.");
    } else {
        size_t ncols = kf->nperiods + 3;
        csp_table_col cols[CSP_KF_MAX_YEARS + 3];
        char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ];
        char *chg = change_header(r);
        if (!chg)
            return;
        cols[0] = (csp_table_col)COL("Category", 2.2, false, CSP_ALIGN_LEFT);
        for (size_t p = 0; p < kf->nperiods; p++) {
            csp_period_label(kf->periods[p], labels[p]);
            cols[p + 1] =
                (csp_table_col)COL(labels[p], 1, false, CSP_ALIGN_RIGHT);
        }
        cols[kf->nperiods + 1] =
            (csp_table_col)COL(chg, 1.15, false, CSP_ALIGN_RIGHT);
        cols[kf->nperiods + 2] =
            (csp_table_col)COL("Per 1,000 pop.", 1, false, CSP_ALIGN_RIGHT);
        bool marked = false;
        csp_kf_legend lg;
        csp_kf_legend_init(&lg);
        for (size_t a = 0; a < kf->nareas && !r->err; a++) {
            const csp_kf_area *ka = &kf->areas[a];
            csp_layout_need(L, 26 + 24 + 18 * (double)ka->nlines);
            csp_layout_mark(L, 1, ka->area->name, CSP_TOC_YES);
            csp_table *t =
                csp_table_begin(L, ka->area->name, cols, ncols, NULL);
            for (size_t li = 0; li < ka->nlines && t; li++) {
                const csp_kf_line *ln = &ka->lines[li];
                csp_table_cell cells[CSP_KF_MAX_YEARS + 3];
                char *owned[CSP_KF_MAX_YEARS + 3] = {0};
                memset(cells, 0, sizeof cells);
                cells[0].text = ln->row->label;
                for (size_t p = 0; p < kf->nperiods; p++)
                    cells[p + 1].text = owned[p + 1] =
                        kf_value(r, ln->values[p], &marked, &lg);
                char chbuf[CSP_DECIMAL_BUFSZ + 1] = "\xE2\x80\x93";
                if (ln->has_change)
                    csp_kf_format_change(ln->change, chbuf);
                cells[kf->nperiods + 1].text = chbuf;
                cells[kf->nperiods + 2].text = owned[kf->nperiods + 2] =
                    kf_value(r, ln->rate, &marked, &lg);
                csp_table_row(t, cells, false);
                for (size_t c = 0; c < ncols; c++)
                    free(owned[c]);
            }
            csp_table_end(t);
            origin_legend_draw(r, &lg);
        }
        csp_kf_legend_free(&lg);
        free(chg);
        if (marked)
            csp_layout_text_block(L, &csp_style_small, 0,
                                  "p provisional; e estimated; missing: "
                                  "the partner reported the figure as not "
                                  "available; disputed: partners' figures "
                                  "disagree and none stands (see Data "
                                  "quality); \xE2\x80\x93 no figure.");
        csp_layout_skip(L, 4);
        kf_charts(r);
    }
    if (narrative)
        blocks(r, k->outro, k->noutro, 0, NULL);
}

/* ---- Priorities -----------------------------------------------------------
 */

/* How the strategic-assessment priorities feed the themes. */
static void priority_matrix(rep *r)
{
    const csp_template *tpl = r->tpl;
    if (tpl->npriorities == 0 || tpl->nthemes == 0)
        return;
    size_t ncols = tpl->nthemes + 1;
    csp_table_col *cols = csp_calloc(ncols, sizeof *cols);
    char **titles = csp_calloc(ncols, sizeof *titles);
    csp_table_cell *cells = csp_calloc(ncols, sizeof *cells);
    if (!cols || !titles || !cells) {
        r->err = CSP_ERR_NOMEM;
        goto out;
    }
    cols[0] = (csp_table_col)COL("Strategic Assessment priority", 1.5, false,
                                 CSP_ALIGN_LEFT);
    for (size_t t = 0; t < tpl->nthemes; t++) {
        titles[t] =
            fmt(r, "%u. %s", tpl->themes[t].number, tpl->themes[t].title);
        if (!titles[t])
            goto out;
        cols[t + 1] = (csp_table_col)COL(titles[t], 1, false, CSP_ALIGN_CENTRE);
    }
    csp_layout_skip(r->L, 4);
    csp_table *tb = csp_table_begin(
        r->L, "How the Strategic Assessment priorities feed the three themes",
        cols, ncols, NULL);
    for (size_t p = 0; p < tpl->npriorities && tb; p++) {
        const csp_priority *pr = &tpl->priorities[p];
        memset(cells, 0, ncols * sizeof *cells);
        char *since = NULL;
        cells[0].text = pr->name;
        if (pr->since > tpl->first_year) {
            since = fmt(r, "from %d", pr->since);
            cells[0].note = since;
        }
        for (size_t t = 0; t < tpl->nthemes; t++) {
            const csp_theme *th = &tpl->themes[t];
            for (size_t i = 0; i < th->npriorities; i++)
                if (strcmp(th->priorities[i], pr->id) == 0) {
                    cells[t + 1].mark = CSP_MARK_TICK;
                    cells[t + 1].mark_colour = theme_colour(r, t);
                    cells[t + 1].text = "Yes";
                    cells[t + 1].colour = theme_colour(r, t);
                }
        }
        csp_table_row(tb, cells, false);
        free(since);
    }
    csp_table_end(tb);
out:
    if (titles)
        for (size_t t = 0; t < ncols; t++)
            free(titles[t]);
    free(titles);
    free(cols);
    free(cells);
}

/* ---- Measures ------------------------------------------------------------ */

/* Months in a period of whole months, or 0. */
static int whole_months(csp_period p)
{
    int ys, ms, ds, ye, me, de, yn, mn, dn;
    csp_date_to_ymd(p.start, &ys, &ms, &ds);
    csp_date_to_ymd(p.end, &ye, &me, &de);
    csp_date_to_ymd(p.end + 1, &yn, &mn, &dn);
    if (ds != 1 || dn != 1)
        return 0;
    return (ye - ys) * 12 + (me - ms) + 1;
}

/* Are two periods of the same kind (a quarter and a quarter...)? */
static bool comparable(csp_period a, csp_period b)
{
    int ma = whole_months(a), mb = whole_months(b);
    if (ma || mb)
        return ma == mb;
    return a.end - a.start == b.end - b.start;
}

/*
 * The change from the previous comparable period: "+3.1%" (or "+1.2 pts"
 * for a percentage) and, in *vs, "on Q1 2016/17".  NULL when there is no
 * comparable earlier figure.
 */
static char *measure_change(rep *r, const csp_indicator *ind, size_t first,
                            size_t latest, char **vs)
{
    const csp_dataset *ds = r->ds;
    const csp_figure *f = &ds->figures[latest];
    *vs = NULL;
    if (f->state != CSP_FIGURE_STANDS || !f->has_value)
        return NULL;
    for (size_t j = latest; j-- > first;) {
        const csp_figure *g = &ds->figures[j];
        if (g->state != CSP_FIGURE_STANDS || !g->has_value ||
            !comparable(g->period, f->period) ||
            g->period.end >= f->period.start)
            continue;
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(g->period, label);
        char buf[CSP_DECIMAL_BUFSZ + 1];
        csp_decimal d;
        char *out;
        if (ind && ind->unit == CSP_UNIT_PERCENT) {
            csp_decimal neg = {-g->value.units, g->value.scale};
            if (csp_decimal_add(f->value, neg, &d) != CSP_OK)
                return NULL;
            csp_kf_format_change(d, buf);
            out = fmt(r, "%s pts", buf);
        } else {
            if (g->value.units == 0 ||
                csp_dataset_percent_change(g->value, f->value, 1, &d) != CSP_OK)
                return NULL;
            csp_kf_format_change(d, buf);
            out = fmt(r, "%s%%", buf);
        }
        if (out && !(*vs = fmt(r, "on %s", label))) {
            free(out);
            return NULL;
        }
        return out;
    }
    return NULL;
}

/* The latest figure of a series that says anything (stands or disputed),
 * ending by the document's period when one was asked for. */
static bool latest_figure(const rep *r, size_t first, size_t count, size_t *out)
{
    const csp_dataset *ds = r->ds;
    for (size_t j = first + count; j-- > first;)
        if (ds->figures[j].state != CSP_FIGURE_NONE &&
            (!r->cutoff || ds->figures[j].period.end <= r->period.end)) {
            *out = j;
            return true;
        }
    return false;
}

/* The claims of a disputed figure, "Kent Police 652; KCC 640". */
static char *claims_text(rep *r, const csp_figure *f)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 20);
    csp_error err = csp_strbuf_puts(&sb, "Disputed: ");
    const csp_claim *cl = csp_dataset_claims(r->ds, f);
    for (size_t i = 0; i < f->nclaims && !err; i++) {
        const csp_claim *c = &cl[i];
        if (c->role != CSP_CLAIM_DISPUTED)
            continue;
        char v[CSP_DECIMAL_BUFSZ] = "missing";
        if (c->has_value)
            csp_decimal_format(c->value, v);
        err = csp_strbuf_printf(&sb, "%s%s %s", i && sb.len > 10 ? "; " : "",
                                agency_name(r->tpl, c->agency), v);
    }
    if (!err)
        err = csp_strbuf_puts(&sb, ".");
    if (err) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    return csp_strbuf_take(&sb);
}

/* The measures of a theme: latest figure per area, change, status. */
static void measures_table(rep *r, size_t ti, const char *title)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset *ds = r->ds;
    const csp_theme *th = &tpl->themes[ti];
    const csp_rgb *accent = theme_colour(r, ti);
    static const csp_table_col cols[] = {
        SPAN_COL("Measure", 2.5),
        COL("Area", 0, true, CSP_ALIGN_LEFT),
        COL("Period", 0, true, CSP_ALIGN_LEFT),
        COL("Figure", 0, true, CSP_ALIGN_RIGHT),
        COL("Change", 0, true, CSP_ALIGN_RIGHT),
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Notes", 2.3, false, CSP_ALIGN_LEFT),
    };
    if (th->nmeasures == 0) {
        if (!title)
            csp_layout_heading(r->L, 1, "How will we measure our impact?",
                               accent, CSP_TOC_YES);
        csp_layout_paragraph(r->L, "The strategy sets no measures for this "
                                   "theme.");
        return;
    }
    csp_table *t = csp_table_begin(r->L, title, cols, 7, accent);
    if (!title) {
        /* The strategy's own heading, kept with the table. */
        char *tt = theme_title(r, ti);
        if (tt)
            csp_table_continued_title(t, tt);
        free(tt);
        csp_table_heading(t, 1, "How will we measure our impact?", accent,
                          CSP_TOC_YES);
        csp_table_intro(t, "The latest figure received for each measure, by "
                           "area, with the change on the previous comparable "
                           "period where there is one.");
    }
    size_t nareas = tpl->nareas + 1;
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    for (size_t m = 0; m < th->nmeasures && t && !r->err; m++) {
        const char *id = th->measures[m];
        const csp_indicator *ind = csp_template_indicator(tpl, id);
        /* The rows of this measure: one per area with figures. */
        size_t latest[64];
        size_t firsts[64];
        const char *areas[64];
        size_t nrows = 0;
        for (size_t a = 0; a < nareas && nrows < 64; a++) {
            const char *area =
                a < tpl->nareas ? tpl->areas[a].id : CSP_AREA_ALL;
            size_t first = 0, count = 0, li = 0;
            csp_dataset_series(ds, id, area, &first, &count);
            if (count && latest_figure(r, first, count, &li)) {
                latest[nrows] = li;
                firsts[nrows] = first;
                areas[nrows] = area;
                nrows++;
            }
        }
        csp_table_cell cells[7];
        if (nrows == 0) {
            memset(cells, 0, sizeof cells);
            cells[0].text = ind ? ind->name : id;
            for (size_t c = 1; c <= 4; c++) {
                cells[c].text = "\xE2\x80\x93";
                cells[c].colour = &grey_text;
            }
            cells[5].text = "No data";
            cells[5].mark = no_update_look.mark;
            cells[5].mark_colour = &no_update_look.colour;
            cells[5].colour = &grey_text;
            cells[6].text = "No figures received.";
            cells[6].colour = &grey_text;
            csp_table_row(t, cells, false);
            continue;
        }
        for (size_t k = 0; k < nrows && !r->err; k++) {
            const csp_figure *f = &ds->figures[latest[k]];
            memset(cells, 0, sizeof cells);
            cells[0].text = k == 0 ? (ind ? ind->name : id) : NULL;
            cells[1].text = area_name(tpl, areas[k]);
            char v[64] = "\xE2\x80\x93", label[CSP_LABEL_BUFSZ];
            if (f->state == CSP_FIGURE_STANDS && f->has_value) {
                value_text(tpl, f, v, sizeof v);
                strcat(v, origin_note(r, &lg, f));
            }
            csp_period_label(f->period, label);
            cells[2].text = label;
            cells[3].text = v;
            cells[3].face = CSP_FACE_BOLD;
            char *vs = NULL;
            char *chg = measure_change(r, ind, firsts[k], latest[k], &vs);
            cells[4].text = chg ? chg : "\xE2\x80\x93";
            cells[4].note = vs;
            look lk = figure_look(f);
            cells[5].text = lk.label;
            cells[5].mark = lk.mark;
            cells[5].mark_colour = &lk.colour;
            cells[5].note = f->state == CSP_FIGURE_STANDS && f->computed
                                ? "calculated"
                                : NULL;
            char *notes = NULL;
            if (f->state == CSP_FIGURE_DISPUTED)
                notes = claims_text(r, f);
            else if (f->note)
                notes = fmt(r, "%s", f->note);
            cells[6].text = notes;
            if (f->state == CSP_FIGURE_STANDS && !f->computed && f->agency)
                cells[6].note = agency_name(tpl, f->agency);
            csp_table_row(t, cells, k + 1 < nrows);
            free(chg);
            free(vs);
            free(notes);
        }
    }
    csp_table_end(t);
    origin_legend_draw(r, &lg);
    csp_kf_legend_free(&lg);
}

/* ---- Themes ---------------------------------------------------------------
 */

/* A coloured band that opens a theme section. */
static void theme_banner(rep *r, size_t i, const char *kicker)
{
    csp_layout *L = r->L;
    const csp_theme *th = &r->tpl->themes[i];
    const csp_rgb *c = theme_colour(r, i);
    char *title = theme_title(r, i);
    if (!title)
        return;
    csp_layout_mark(L, 0, title, CSP_TOC_YES);
    csp_text_style big = {CSP_FACE_BOLD, 17, 21, white};
    csp_text_style k = {CSP_FACE_BOLD, 8.5, 11, csp_rgb_tint(*c, 0.7f)};
    double x = csp_layout_left(L), w = csp_layout_width(L);
    /* Measure the title's lines to size the band. */
    double top = csp_layout_y(L);
    double h = 30 + csp_layout_text_height(L, &big, w - 28, th->title) + 8;
    csp_layout_fill_rect(L, c, x, top - h, w, h);
    char *kick = fmt(r, "%s %u", kicker, th->number);
    if (kick) {
        csp_layout_text_at(L, &k, x + 14, top - 20, kick);
        free(kick);
    }
    text_box(r, &big, x + 14, top - 26, w - 28, th->title);
    csp_layout_set_y(L, top - h - 14);
    free(title);
}

/* One theme's section of the strategy. */
static void theme_section(rep *r, size_t i)
{
    csp_layout *L = r->L;
    const csp_theme *th = &r->tpl->themes[i];
    const csp_rgb *c = theme_colour(r, i);
    csp_layout_page(L, CSP_PAGE_BODY);
    theme_banner(r, i, "Theme");
    heading_kept(r, 1,
                 th->why.title ? th->why.title
                               : "Why is this objective a priority?",
                 th->why.blocks, th->why.nblocks, c, CSP_TOC_YES);
    blocks(r, th->why.blocks, th->why.nblocks, 0, c);
    if (th->challenges.nblocks > 0) {
        heading_kept(r, 1,
                     th->challenges.title ? th->challenges.title
                                          : "What are our challenges?",
                     th->challenges.blocks, th->challenges.nblocks, c,
                     CSP_TOC_YES);
        blocks(r, th->challenges.blocks, th->challenges.nblocks, 0, c);
    }
    measures_table(r, i, NULL);
    /* The delivery groups, kept with their heading. */
    double gh = csp_layout_heading_height(L, 1, "Key Delivery Groups");
    for (size_t g = 0; g < th->ngroups; g++) {
        const csp_group *gr = csp_template_group(r->tpl, th->groups[g]);
        gh += csp_layout_bullet_height(L, 0, gr ? gr->name : th->groups[g]);
    }
    csp_layout_need(L, gh - 2.5); /* the last item's space may go */
    csp_layout_heading(L, 1, "Key Delivery Groups", c, CSP_TOC_YES);
    for (size_t g = 0; g < th->ngroups; g++) {
        const csp_group *gr = csp_template_group(r->tpl, th->groups[g]);
        csp_layout_bullet(L, 0, gr ? gr->name : th->groups[g]);
    }
}

/* ---- Action plan -----------------------------------------------------------
 */

/* A legend of the action statuses. */
static void status_legend(rep *r)
{
    csp_layout *L = r->L;
    csp_layout_need(L, 24);
    double x = csp_layout_left(L), y = csp_layout_y(L) - 12;
    csp_text_style ls = {CSP_FACE_REGULAR, 8, 10, {0.13f, 0.13f, 0.13f}};
    csp_text_style lb = ls;
    lb.face = CSP_FACE_BOLD;
    csp_layout_text_at(L, &lb, x, y, "Status:");
    x += csp_layout_text_width(L, lb.face, lb.size, "Status:") + 10;
    for (size_t i = 0; i < sizeof act_order / sizeof *act_order; i++) {
        const look *lk = &act_look[act_order[i]];
        csp_layout_draw_mark(L, lk->mark, &lk->colour, x + 3.5, y + 2.7, 7);
        csp_layout_text_at(L, &ls, x + 10, y, lk->label);
        x += 10 + csp_layout_text_width(L, ls.face, ls.size, lk->label) + 14;
    }
    csp_layout_draw_mark(L, no_update_look.mark, &no_update_look.colour,
                         x + 3.5, y + 2.7, 7);
    csp_layout_text_at(L, &ls, x + 10, y, no_update_look.label);
    csp_layout_set_y(L, y - 12);
}

/* One current update of an item (u NULL: none): status, text and "as
 * of" note (both malloc'd, the caller frees them after the row); the
 * W408 remark goes with the update that decides (first). */
static void progress_cells(rep *r, const csp_dataset_action *a,
                           const csp_dataset_update *u,
                           csp_table_cell *status, csp_table_cell *progress,
                           char **note, char **text)
{
    *note = NULL;
    *text = NULL;
    if (!u) {
        status->text = no_update_look.label;
        status->mark = no_update_look.mark;
        status->mark_colour = &no_update_look.colour;
        status->colour = &grey_text;
        progress->text = "No progress reported.";
        progress->colour = &grey_text;
        return;
    }
    const look *lk = &act_look[u->status];
    status->text = lk->label;
    status->mark = lk->mark;
    status->mark_colour = &lk->colour;
    csp_error e = csp_dataset_update_progress(r->ds, u, text);
    if (e != CSP_OK) {
        r->err = e;
        return;
    }
    progress->text = *text;
    char d[48];
    bool decides = u == &a->updates[a->current];
    date_text(u->as_of, false, d, sizeof d);
    *note = fmt(r, "As of %s \xC2\xB7 %s%s", d, agency_name(r->tpl, u->agency),
                a->tie && decides
                    ? " \xC2\xB7 conflicting statuses reported (W408)"
                    : "");
    progress->note = *note;
}

/* The coordinating groups as printed, or their names joined. */
static char *groups_label(rep *r, const csp_action *a)
{
    if (a->groups_label)
        return fmt(r, "%s", a->groups_label);
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    for (size_t i = 0; i < a->ngroups && !err; i++) {
        const csp_group *g = csp_template_group(r->tpl, a->groups[i]);
        err = csp_strbuf_printf(&sb, "%s%s", i ? ", " : "",
                                g ? (g->short_name ? g->short_name : g->name)
                                  : a->groups[i]);
    }
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* The strategic-assessment priorities as printed, or their names. */
static char *priorities_label(rep *r, const csp_action *a)
{
    if (a->priorities_label)
        return fmt(r, "%s", a->priorities_label);
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    for (size_t i = 0; i < a->npriorities && !err; i++) {
        const char *name = a->priorities[i];
        for (size_t k = 0; k < r->tpl->npriorities; k++)
            if (strcmp(r->tpl->priorities[k].id, a->priorities[i]) == 0)
                name = r->tpl->priorities[k].name;
        err = csp_strbuf_printf(&sb, "%s%s", i ? ", " : "", name);
    }
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* The strategy's action plan table of one theme. */
static void action_table(rep *r, size_t ti, bool board)
{
    const csp_dataset *ds = r->ds;
    const csp_rgb *accent = theme_colour(r, ti);
    /* A joint action has a row per agency's current update, kept
     * together: the item's own cells run down beside them (the ref too,
     * so that it is read first). */
    static const csp_table_col full[] = {
        SPAN_FIT_COL("Ref"),
        SPAN_COL("Action Plan", 3.0),
        SPAN_COL("Coordinating Delivery Group", 1.35),
        SPAN_COL("Strategic Assessment priority", 1.3),
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Latest progress", 3.3, false, CSP_ALIGN_LEFT),
    };
    static const csp_table_col brief[] = {
        SPAN_FIT_COL("Ref"),
        SPAN_COL("Action Plan", 2.6),
        COL("Status", 0, true, CSP_ALIGN_LEFT),
        COL("Latest progress", 3.8, false, CSP_ALIGN_LEFT),
    };
    char *title = theme_title(r, ti);
    if (!title)
        return;
    csp_table *t = csp_table_begin(r->L, title, board ? brief : full,
                                   board ? 4 : 6, accent);
    csp_table_mark(t, 1, title, CSP_TOC_YES);
    size_t rows = 0;
    for (size_t i = 0; i < ds->nactions && t && !r->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        if (a->theme != ti)
            continue;
        size_t n = a->ncurrent ? a->ncurrent : 1;
        /* The yearly document shows the progress that stood at the
         * year's end (the update that decided the status then): later
         * updates belong to the next year's. */
        size_t stood = CSP_NO_INDEX;
        bool later = r->kind == CSP_REPORT_STRATEGY && r->has_period &&
                     a->current < a->nupdates &&
                     a->updates[a->current].as_of > r->period.end;
        if (later) {
            bool tie;
            stood = csp_dataset_action_current_by(a, r->period.end, &tie);
            n = 1;
        }
        for (size_t k = 0; k < n && !r->err; k++) {
            csp_table_cell cells[6];
            memset(cells, 0, sizeof cells);
            char *note = NULL, *text = NULL, *glabel = NULL, *plabel = NULL;
            const csp_dataset_update *u =
                !later ? csp_dataset_action_current(a, k)
                : stood == CSP_NO_INDEX ? NULL
                                        : &a->updates[stood];
            size_t sc = board ? 2 : 4;
            if (k == 0) {
                cells[0].text = a->ref;
                cells[0].face = CSP_FACE_BOLD;
                cells[1].text = a->action->text;
                if (!board) {
                    cells[2].text = glabel = groups_label(r, a->action);
                    cells[3].text = plabel = priorities_label(r, a->action);
                }
            }
            progress_cells(r, a, u, &cells[sc], &cells[sc + 1], &note, &text);
            if (!r->err)
                csp_table_row(t, cells, k + 1 < n);
            free(note);
            free(text);
            free(glabel);
            free(plabel);
        }
        rows++;
    }
    if (rows == 0 && t) {
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        cells[1].text = "No actions in the plan for this theme.";
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
    free(title);
}

/* Counts of items per status and theme (board pack). */
static void status_summary(rep *r)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset *ds = r->ds;
    enum { NS = 5 };
    static const csp_table_col cols[] = {
        COL("Theme", 3.0, false, CSP_ALIGN_LEFT),
        COL("Complete", 1, false, CSP_ALIGN_LEFT),
        COL("On track", 1, false, CSP_ALIGN_LEFT),
        COL("At risk", 1, false, CSP_ALIGN_LEFT),
        COL("Off track", 1, false, CSP_ALIGN_LEFT),
        COL("Not started", 1, false, CSP_ALIGN_LEFT),
        COL("No update", 1, false, CSP_ALIGN_LEFT),
        COL("Items", 0.7, false, CSP_ALIGN_RIGHT),
    };
    csp_table *t = csp_table_begin(r->L, "Items by status", cols, 8, NULL);
    size_t tot[NS + 2] = {0};
    for (size_t ti = 0; ti <= tpl->nthemes && t && !r->err; ti++) {
        size_t n[NS + 2] = {0};
        if (ti < tpl->nthemes) {
            for (size_t i = 0; i < ds->nactions; i++) {
                const csp_dataset_action *a = &ds->actions[i];
                if (a->theme != ti)
                    continue;
                size_t k = NS;
                if (a->current != CSP_NO_INDEX && a->current < a->nupdates)
                    for (size_t s = 0; s < NS; s++)
                        if (act_order[s] == a->updates[a->current].status)
                            k = s;
                n[k]++;
                n[NS + 1]++;
            }
            for (size_t s = 0; s < NS + 2; s++)
                tot[s] += n[s];
        } else {
            memcpy(n, tot, sizeof n);
        }
        csp_table_cell cells[8];
        char num[NS + 2][24];
        char *title =
            ti < tpl->nthemes ? theme_title(r, ti) : fmt(r, "All themes");
        memset(cells, 0, sizeof cells);
        cells[0].text = title;
        cells[0].face = ti < tpl->nthemes ? CSP_FACE_REGULAR : CSP_FACE_BOLD;
        for (size_t s = 0; s < NS + 2; s++) {
            snprintf(num[s], sizeof num[s], "%zu", n[s]);
            cells[s + 1].text = num[s];
            cells[s + 1].face =
                ti < tpl->nthemes ? CSP_FACE_REGULAR : CSP_FACE_BOLD;
            if (s < NS + 1 && n[s] > 0) {
                const look *lk =
                    s < NS ? &act_look[act_order[s]] : &no_update_look;
                cells[s + 1].mark = lk->mark;
                cells[s + 1].mark_colour = &lk->colour;
            }
        }
        csp_table_row(t, cells, false);
        free(title);
    }
    csp_table_end(t);
}

/* The action plan section. */
static void action_plan(rep *r, bool board)
{
    csp_layout *L = r->L;
    csp_layout_page(L, CSP_PAGE_BODY);
    const csp_section *intro =
        csp_template_section(r->tpl, "action-plan-intro");
    if (board) {
        csp_layout_heading(L, 0, "Action plan status", NULL, CSP_TOC_YES);
        status_summary(r);
    } else {
        csp_layout_heading(L, 0,
                           intro && intro->title ? intro->title : "Action Plan",
                           NULL, CSP_TOC_YES);
        if (intro)
            blocks(r, intro->blocks, intro->nblocks, 0, NULL);
    }
    status_legend(r);
    for (size_t ti = 0; ti < r->tpl->nthemes && !r->err; ti++)
        action_table(r, ti, board);
}

/* ---- Data quality
 * ------------------------------------------------------------ */

/* Submissions received. */
static void submissions_table(rep *r)
{
    const csp_dataset *ds = r->ds;
    static const csp_table_col cols[] = {
        COL("File", 1.6, false, CSP_ALIGN_LEFT),
        COL("Agency", 1.3, false, CSP_ALIGN_LEFT),
        COL("Submitted", 0, true, CSP_ALIGN_LEFT),
        COL("Accepted", 1.1, false, CSP_ALIGN_LEFT),
        COL("Refused", 0, true, CSP_ALIGN_RIGHT),
        COL("SHA-256", 1.9, false, CSP_ALIGN_LEFT),
    };
    csp_table *t = csp_table_begin(r->L, NULL, cols, 6, NULL);
    csp_table_heading(t, 1, "Submissions received", NULL, CSP_TOC_YES);
    csp_table_continued_title(t, "Submissions received");
    size_t listed[2] = {0, 0}, unlisted[2] = {0, 0}; /* [problem] */
    for (size_t i = 0; i < ds->nfiles && t && !r->err; i++) {
        const csp_dataset_file *f = &ds->files[i];
        int problem = f->refused || f->items_refused ||
                      f->duplicate_of != CSP_NO_INDEX;
        if (listed[problem] == CSP_REPORT_FILES_LISTED_MAX) {
            unlisted[problem]++;
            continue;
        }
        listed[problem]++;
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        char date[48] = "\xE2\x80\x93", time[32] = "";
        char *acc = NULL, *ref = NULL;
        cells[0].text = csp_dataset_name(ds, f->path);
        cells[1].text =
            f->refused ? "(refused whole)" : agency_name(r->tpl, f->agency);
        if (f->has_submitted) {
            int hh, mm;
            csp_date d = instant_date(f->submitted, &hh, &mm);
            date_text(d, false, date, sizeof date);
            int off = f->submitted.offset_min;
            if (off == 0)
                snprintf(time, sizeof time, "%02d:%02d UTC", hh, mm);
            else
                snprintf(time, sizeof time, "%02d:%02d %c%02d:%02d", hh, mm,
                         off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
            cells[2].note = time;
        }
        cells[2].text = date;
        if (f->duplicate_of != CSP_NO_INDEX && f->duplicate_of < ds->nfiles)
            acc = fmt(r, "none: a copy of %s",
                      csp_dataset_name(ds, ds->files[f->duplicate_of].path));
        else if (f->refused)
            acc = fmt(r, "none");
        else
            acc = fmt(r, "%zu figure%s, %zu update%s", f->obs_accepted,
                      f->obs_accepted == 1 ? "" : "s", f->updates_accepted,
                      f->updates_accepted == 1 ? "" : "s");
        cells[3].text = acc;
        ref =
            f->refused ? fmt(r, "whole file") : fmt(r, "%zu", f->items_refused);
        cells[4].text = ref;
        if (f->refused || f->items_refused) {
            cells[4].colour = &act_look[CSP_ACT_OFF_TRACK].colour;
            cells[4].face = CSP_FACE_BOLD;
        }
        cells[5].text = f->sha256;
        cells[5].colour = &grey_text;
        csp_table_row(t, cells, false);
        free(acc);
        free(ref);
    }
    if (ds->nfiles == 0 && t) {
        csp_table_cell cells[6];
        memset(cells, 0, sizeof cells);
        cells[0].text = "No files were read.";
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
    if (unlisted[0] + unlisted[1] && !r->err) {
        char *s = fmt(r,
                      "%zu more file%s %s not listed here (%zu accepted "
                      "whole, %zu with a problem): every file, with its "
                      "SHA-256, is on the Submissions sheet of the workbook "
                      "and in dataset.xml.",
                      unlisted[0] + unlisted[1],
                      unlisted[0] + unlisted[1] == 1 ? "" : "s",
                      unlisted[0] + unlisted[1] == 1 ? "is" : "are",
                      unlisted[0], unlisted[1]);
        if (s) {
            csp_layout_skip(r->L, 4);
            csp_layout_paragraph(r->L, s);
        }
        free(s);
    }
}

/* The entries of the folders named that were not read, with why, in one
 * paragraph: nothing is skipped in silence. */
static void skipped_paragraph(rep *r)
{
    const csp_dataset *ds = r->ds;
    size_t *skipped = NULL, n = 0;
    csp_strbuf sb;
    csp_strbuf_init(&sb, CSP_OUT_TEXT_MAX);
    csp_error err = csp_out_skipped(ds, &skipped, &n);
    if (err == CSP_OK && n)
        err = csp_strbuf_printf(&sb, "Not read from the folders named (%zu "
                                     "entr%s): ",
                                n, n == 1 ? "y" : "ies");
    size_t shown = n < CSP_REPORT_SKIPPED_LISTED_MAX
                       ? n
                       : CSP_REPORT_SKIPPED_LISTED_MAX;
    for (size_t k = 0; k < shown && err == CSP_OK; k++) {
        const csp_diag *d = &ds->diags.items[skipped[k]];
        const char *why = d->message ? d->message : "";
        if (strncmp(why, "skipped: ", 9) == 0)
            why += 9;
        err = csp_strbuf_printf(&sb, "%s%s (%s)", k ? "; " : "",
                                csp_dataset_name(ds, d->file), why);
    }
    if (err == CSP_OK && shown < n)
        err = csp_strbuf_printf(&sb, "; and %zu more, listed on the "
                                     "Submissions sheet of the workbook",
                                n - shown);
    if (err == CSP_OK && n)
        err = csp_strbuf_puts(&sb, ".");
    if (err != CSP_OK)
        r->err = err;
    else if (n) {
        csp_layout_skip(r->L, 4);
        csp_layout_paragraph(r->L, csp_strbuf_str(&sb));
    }
    csp_strbuf_free(&sb);
    free(skipped);
}

/* The key a diagnostic is about, in words. */
static char *diag_key(rep *r, const csp_diag *d)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    if (d->indicator)
        err = csp_strbuf_puts(&sb, indicator_name(r->tpl, d->indicator));
    if (!err && d->area)
        err = csp_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "",
                                area_name(r->tpl, d->area));
    if (!err && d->has_period) {
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(d->period, label);
        err = csp_strbuf_printf(&sb, "%s%s", sb.len ? ", " : "", label);
    }
    if (!err && d->ref)
        err = csp_strbuf_printf(&sb, "%saction %s", sb.len ? ", " : "", d->ref);
    if (!err && sb.len == 0 && d->agency)
        err = csp_strbuf_puts(&sb, agency_name(r->tpl, d->agency));
    if (!err && sb.len == 0)
        err = csp_strbuf_puts(&sb, "the whole file");
    if (err) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    return csp_strbuf_take(&sb);
}

/* How each severity looks in the tables: a shape and a colour, so that it
 * survives black-and-white printing. */
static const csp_rgb sev_colour[] = {
    [CSP_SEV_ERROR] = {0.78f, 0.14f, 0.14f},
    [CSP_SEV_WARNING] = {0.86f, 0.52f, 0.0f},
    [CSP_SEV_INFO] = {0.42f, 0.42f, 0.42f}};
static const csp_mark sev_mark[] = {[CSP_SEV_ERROR] = CSP_MARK_CROSS,
                                    [CSP_SEV_WARNING] = CSP_MARK_TRIANGLE,
                                    [CSP_SEV_INFO] = CSP_MARK_RING};

/* What each code means, in a few words for the board (doc/diagnostics.md
 * says it in full). */
static const char *const code_meaning[CSP_D_COUNT_] = {
    [CSP_D_READ] = "A file could not be read.",
    [CSP_D_TOO_LARGE] = "A file is larger than the size limit.",
    [CSP_D_COMPRESSED] = "A file is compressed, not plain XML.",
    [CSP_D_EMPTY] = "A file is empty.",
    [CSP_D_NOT_XML] = "A file is not well-formed XML.",
    [CSP_D_ENCODING] = "A file has bytes not valid in its encoding.",
    [CSP_D_DOCTYPE] = "A file has a DOCTYPE, which is not allowed.",
    [CSP_D_ROOT] = "A file is not a submission.",
    [CSP_D_SCHEMA] = "A file does not follow the submission format.",
    [CSP_D_STRATEGY] = "A file is for another strategy.",
    [CSP_D_AGENCY] = "A file is from an agency the strategy does not "
                     "name.",
    [CSP_D_SUBMITTED] = "A file's submitted time is not valid.",
    [CSP_D_TOO_MANY] = "A file has more items than allowed.",
    [CSP_D_TEXT_TOO_LONG] = "A file has a text longer than allowed.",
    [CSP_D_NOT_A_FILE] = "A path is not a regular file.",
    [CSP_D_BROKEN_LINK] = "A link leads to no file.",
    [CSP_D_TOO_DEEP] = "A folder is too deep to be read.",
    [CSP_D_NOTHING_TO_READ] = "A folder holds nothing to read.",
    [CSP_D_SKIPPED] = "An entry of a folder is not a submission.",
    [CSP_D_TOO_MANY_ATTRS] = "A file has an element with too many "
                             "attributes.",
    [CSP_D_TEXT_PIECES] = "A file has a text in too many pieces.",
    [CSP_D_TOO_MANY_MISC] = "A file has too many comments.",
    [CSP_D_UNKNOWN_INDICATOR] = "A figure for an indicator the strategy "
                                "does not have.",
    [CSP_D_UNKNOWN_AREA] = "A figure for an area the strategy does not "
                           "have.",
    [CSP_D_UNKNOWN_ACTION] = "An update for an action not in the plan.",
    [CSP_D_NOT_A_NUMBER] = "A value that is not a number.",
    [CSP_D_NOT_WHOLE] = "A count with a fraction.",
    [CSP_D_NEGATIVE] = "A value below zero.",
    [CSP_D_OVER_100] = "A percentage above 100.",
    [CSP_D_TOO_PRECISE] = "A value with too many digits.",
    [CSP_D_VALUE_MISSING] = "A figure without the value its status needs.",
    [CSP_D_VALUE_UNEXPECTED] = "A missing or withdrawn figure with a "
                               "value.",
    [CSP_D_BAD_PERIOD] = "A period that is not two valid dates.",
    [CSP_D_PERIOD_REVERSED] = "A period that starts after it ends.",
    [CSP_D_BAD_STATUS] = "An unknown figure status.",
    [CSP_D_BAD_ACTION_STATUS] = "An unknown action status.",
    [CSP_D_BAD_AS_OF] = "An as-of date that is not a date.",
    [CSP_D_EMPTY_PROGRESS] = "An empty progress statement.",
    [CSP_D_REPEATED_KEY] = "The same figure or update twice in one file.",
    [CSP_D_TPL_DUPLICATE_ID] = "The template declares an id twice.",
    [CSP_D_TPL_DANGLING] = "The template refers to an undeclared id.",
    [CSP_D_TPL_CYCLE] = "A template rule depends on itself.",
    [CSP_D_TPL_RULE_UNIT] = "A template rule's inputs have the wrong unit.",
    [CSP_D_TPL_VALUE] = "A value in the template is not valid.",
    [CSP_D_DUPLICATE_FILE] = "A file received twice; it counts once.",
    [CSP_D_SUPERSEDED] = "Figures replaced by the same agency's later "
                         "submission.",
    [CSP_D_WITHDRAWN] = "A figure withdrawn by its agency.",
    [CSP_D_CONFLICT] = "One agency sent different figures at the same "
                       "time; none is used.",
    [CSP_D_NON_OWNER_DIFFERS] = "A partner's figure differs from the "
                                "owner's; the owner's is used.",
    [CSP_D_NOT_FROM_OWNER] = "The figure used is not from its owner.",
    [CSP_D_DISPUTED] = "Partners' figures disagree and none is used.",
    [CSP_D_STATUS_TIE] = "Different statuses for an action on one date.",
    [CSP_D_CHECK_FAILED] = "A figure breaks a rule of the template.",
    [CSP_D_AFTER_PACK] = "Figures for periods after the board pack's.",
    [CSP_D_OUTSIDE_YEARS] = "Figures for periods outside the strategy's "
                            "years.",
    [CSP_D_NOT_ENDED] = "Figures for a period not over when sent.",
    [CSP_D_FAR_AHEAD] = "A submitted time far after every other file's.",
};

/* The discrepancies counted: by code, and by agency (the template's, in
 * its order, then one row for every other) and severity. */
typedef struct dq_counts {
    size_t by_code[CSP_D_COUNT_];
    size_t (*by_agency)[3]; /* tpl->nagencies + 1 rows */
    size_t sev[3];
    size_t listable; /* errors and warnings */
} dq_counts;

/* Count every diagnostic once; false when memory ran out. */
static bool dq_count(rep *r, dq_counts *n)
{
    const csp_diag_list *dl = &r->ds->diags;
    const csp_template *tpl = r->tpl;
    memset(n, 0, sizeof *n);
    n->by_agency = csp_calloc(tpl->nagencies + 1, sizeof *n->by_agency);
    if (!n->by_agency) {
        r->err = CSP_ERR_NOMEM;
        return false;
    }
    for (size_t k = 0; k < dl->count; k++) {
        const csp_diag *d = &dl->items[k];
        csp_severity sev = csp_diag_severity(d->code);
        const csp_agency *a =
            d->agency ? csp_template_agency(tpl, d->agency) : NULL;
        size_t row = a ? (size_t)(a - tpl->agencies) : tpl->nagencies;
        if (d->code < CSP_D_COUNT_)
            n->by_code[d->code]++;
        n->by_agency[row][sev]++;
        n->sev[sev]++;
    }
    n->listable = n->sev[CSP_SEV_ERROR] + n->sev[CSP_SEV_WARNING];
    return true;
}

/* A count for a table cell. */
static void count_cell(csp_table_cell *c, char buf[24], size_t v, bool bold)
{
    snprintf(buf, 24, "%zu", v);
    c->text = buf;
    c->face = bold ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
    if (v == 0)
        c->colour = &grey_text;
}

/* Discrepancies by code: one row per code that occurred, errors first. */
static void codes_table(rep *r, const dq_counts *n)
{
    static const csp_table_col cols[] = {
        COL("Code", 0, true, CSP_ALIGN_LEFT),
        COL("Kind", 0, true, CSP_ALIGN_LEFT),
        COL("What it means", 3.0, false, CSP_ALIGN_LEFT),
        COL("Count", 0, true, CSP_ALIGN_RIGHT),
    };
    csp_table *t = csp_table_begin(r->L, NULL, cols, 4, NULL);
    csp_table_heading(t, 2, "By code", NULL, CSP_TOC_NO);
    csp_table_continued_title(t, "Discrepancies by code");
    for (int sev = CSP_SEV_ERROR; sev <= CSP_SEV_INFO && t; sev++) {
        for (size_t code = 0; code < CSP_D_COUNT_; code++) {
            if (!n->by_code[code] ||
                csp_diag_severity((csp_diag_code)code) != (csp_severity)sev)
                continue;
            csp_table_cell cells[4];
            char num[24];
            memset(cells, 0, sizeof cells);
            cells[0].text = csp_diag_code_str((csp_diag_code)code);
            cells[0].face = CSP_FACE_BOLD;
            cells[0].mark = sev_mark[sev];
            cells[0].mark_colour = &sev_colour[sev];
            cells[0].note = csp_severity_str((csp_severity)sev);
            cells[1].text = csp_diag_kind((csp_diag_code)code);
            cells[2].text = code_meaning[code];
            count_cell(&cells[3], num, n->by_code[code], false);
            csp_table_row(t, cells, false);
        }
    }
    if (t) {
        csp_table_cell cells[4];
        char num[24];
        memset(cells, 0, sizeof cells);
        cells[0].text = "All";
        cells[0].face = CSP_FACE_BOLD;
        count_cell(&cells[3], num, r->ds->diags.count, true);
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
}

/* Discrepancies by agency and severity. */
static void agencies_table(rep *r, const dq_counts *n)
{
    static const csp_table_col cols[] = {
        COL("Agency", 3.0, false, CSP_ALIGN_LEFT),
        COL("Errors", 1, false, CSP_ALIGN_RIGHT),
        COL("Warnings", 1, false, CSP_ALIGN_RIGHT),
        COL("Information", 1, false, CSP_ALIGN_RIGHT),
        COL("All", 1, false, CSP_ALIGN_RIGHT),
    };
    const csp_template *tpl = r->tpl;
    csp_table *t = csp_table_begin(r->L, NULL, cols, 5, NULL);
    csp_table_heading(t, 2, "By agency", NULL, CSP_TOC_NO);
    csp_table_continued_title(t, "Discrepancies by agency");
    for (size_t a = 0; a <= tpl->nagencies + 1 && t; a++) {
        const size_t *v = a <= tpl->nagencies ? n->by_agency[a] : n->sev;
        size_t all = v[0] + v[1] + v[2];
        if (a <= tpl->nagencies && all == 0)
            continue;
        bool total = a > tpl->nagencies;
        csp_table_cell cells[5];
        char num[4][24];
        memset(cells, 0, sizeof cells);
        cells[0].text = a < tpl->nagencies ? tpl->agencies[a].name
                        : !total ? "No agency, or one the strategy does not "
                                   "name"
                                 : "All agencies";
        cells[0].face = total ? CSP_FACE_BOLD : CSP_FACE_REGULAR;
        for (int s = 0; s < 3; s++) {
            count_cell(&cells[1 + s], num[s], v[s], total);
            if (v[s] && s != CSP_SEV_INFO) {
                cells[1 + s].mark = sev_mark[s];
                cells[1 + s].mark_colour = &sev_colour[s];
            }
        }
        count_cell(&cells[4], num[3], all, true);
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
}

/* The errors and warnings, one row each, the first CSP_REPORT_LISTED_MAX
 * of them in the dataset's order. */
static void listed_table(rep *r, const dq_counts *n)
{
    const csp_diag_list *dl = &r->ds->diags;
    static const csp_table_col cols[] = {
        COL("Code", 0, true, CSP_ALIGN_LEFT),
        COL("File and line", 1.5, false, CSP_ALIGN_LEFT),
        COL("About", 1.5, false, CSP_ALIGN_LEFT),
        COL("What was found", 4.2, false, CSP_ALIGN_LEFT),
    };
    size_t shown = n->listable < CSP_REPORT_LISTED_MAX ? n->listable
                                                       : CSP_REPORT_LISTED_MAX;
    csp_table *t = csp_table_begin(r->L, NULL, cols, 4, NULL);
    csp_table_heading(t, 2, "Errors and warnings", NULL, CSP_TOC_NO);
    csp_table_continued_title(t, "Errors and warnings");
    char *s = shown == n->listable
                  ? fmt(r, "Every error and warning, by file and line.")
                  : fmt(r, "The first %zu of the %zu errors and warnings, by "
                           "file and line (as on the Discrepancies sheet of "
                           "the workbook).",
                        shown, n->listable);
    if (s && t) {
        csp_table_intro(t, s);
    }
    free(s);
    size_t listed = 0;
    for (size_t k = 0; k < dl->count && listed < shown && t && !r->err; k++) {
        const csp_diag *d = &dl->items[k];
        csp_severity sev = csp_diag_severity(d->code);
        if (sev == CSP_SEV_INFO)
            continue;
        listed++;
        csp_table_cell cells[4];
        memset(cells, 0, sizeof cells);
        char *where = NULL, *key = NULL, *vals = NULL;
        cells[0].text = csp_diag_code_str(d->code);
        cells[0].face = CSP_FACE_BOLD;
        cells[0].mark = sev_mark[sev];
        cells[0].mark_colour = &sev_colour[sev];
        cells[0].note = csp_severity_str(sev);
        if (d->file && d->line)
            where = fmt(r, "%s:%lu", csp_dataset_name(r->ds, d->file),
                        d->line);
        else
            where = fmt(r, "%s",
                        d->file ? csp_dataset_name(r->ds, d->file)
                                : "(the run)");
        cells[1].text = where;
        key = diag_key(r, d);
        cells[2].text = key;
        cells[3].text = d->message;
        if (d->values) {
            vals = fmt(r, "Values: %s", d->values);
            cells[3].note = vals;
        }
        csp_table_row(t, cells, false);
        free(where);
        free(key);
        free(vals);
    }
    csp_table_end(t);
}

/*
 * The discrepancies: counts by code and by agency, then the errors and
 * warnings one by one up to CSP_REPORT_LISTED_MAX, then one sentence on
 * what is not listed.  Information (superseded, withdrawn, duplicate
 * files) is only counted: at county scale it is hundreds of thousands of
 * lines, which no board reads and which would pass libharu's limit of
 * 32,767 pages (doc/report.md).  Every diagnostic is in discrepancies.csv,
 * the workbook's Discrepancies sheet and dataset.xml.
 */
static void discrepancies(rep *r)
{
    const csp_diag_list *dl = &r->ds->diags;
    if (dl->count == 0) {
        csp_layout_heading(r->L, 1, "Discrepancies", NULL, CSP_TOC_YES);
        csp_layout_paragraph(r->L, "No discrepancies: every file, figure and "
                                   "update was accepted and consistent.");
        return;
    }
    dq_counts n;
    if (!dq_count(r, &n))
        return;
    size_t e = n.sev[CSP_SEV_ERROR], w = n.sev[CSP_SEV_WARNING],
           i = n.sev[CSP_SEV_INFO];
    csp_layout_heading(r->L, 1, "Discrepancies", NULL, CSP_TOC_YES);
    char *s = fmt(r,
                  "%zu discrepanc%s: %zu error%s (a file, figure or update "
                  "refused, or a figure disputed), %zu warning%s (a figure "
                  "corrected or not from its owner), %zu for information.",
                  dl->count, dl->count == 1 ? "y" : "ies", e, e == 1 ? "" : "s",
                  w, w == 1 ? "" : "s", i);
    if (s)
        csp_layout_paragraph(r->L, s);
    free(s);
    codes_table(r, &n);
    agencies_table(r, &n);
    if (n.listable)
        listed_table(r, &n);
    size_t more = n.listable > CSP_REPORT_LISTED_MAX
                      ? n.listable - CSP_REPORT_LISTED_MAX
                      : 0;
    if (more && i)
        s = fmt(r,
                "%zu more error%s and warning%s, and the %zu diagnostic%s for "
                "information, are not listed here: every diagnostic is in "
                "discrepancies.csv and on the Discrepancies sheet of the "
                "workbook.",
                more, more == 1 ? "" : "s", more == 1 ? "" : "s", i,
                i == 1 ? "" : "s");
    else if (more)
        s = fmt(r,
                "%zu more error%s and warning%s are not listed here: every "
                "diagnostic is in discrepancies.csv and on the Discrepancies "
                "sheet of the workbook.",
                more, more == 1 ? "" : "s", more == 1 ? "" : "s");
    else if (i)
        s = fmt(r,
                "The %zu diagnostic%s for information %s counted above, not "
                "listed: every diagnostic is in discrepancies.csv and on the "
                "Discrepancies sheet of the workbook.",
                i, i == 1 ? "" : "s", i == 1 ? "is" : "are");
    else
        s = NULL;
    if (s) {
        csp_layout_skip(r->L, 4);
        csp_layout_paragraph(r->L, s);
    }
    free(s);
    free(n.by_agency);
}

/* The data quality section. */
static void data_quality(rep *r)
{
    const csp_dataset *ds = r->ds;
    csp_layout *L = r->L;
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "Data quality", NULL, CSP_TOC_YES);
    size_t used = 0, refused = 0, dups = 0, obs = 0, upd = 0, items = 0;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused)
            refused++;
        else if (f->duplicate_of != CSP_NO_INDEX)
            dups++;
        else
            used++;
        obs += f->obs_accepted;
        upd += f->updates_accepted;
        items += f->items_refused;
    }
    char *s = fmt(r,
                  "%zu file%s received: %zu used, %zu refused whole, %zu "
                  "duplicate%s. %zu figure%s and %zu progress update%s "
                  "accepted; %zu item%s refused. Each file is identified by "
                  "its SHA-256 checksum, so that it can be matched with the "
                  "partner's copy.",
                  ds->nfiles, ds->nfiles == 1 ? "" : "s", used, refused, dups,
                  dups == 1 ? "" : "s", obs, obs == 1 ? "" : "s", upd,
                  upd == 1 ? "" : "s", items, items == 1 ? "" : "s");
    if (s) {
        csp_layout_paragraph(L, s);
        free(s);
    }
    submissions_table(r);
    skipped_paragraph(r);
    discrepancies(r);
}

/* ---- Key contacts
 * --------------------------------------------------------------- */

/* One contact block's lines (borrowed or owned in *owned). */
static size_t contact_lines(rep *r, const csp_agency *a, const char **lines,
                            size_t max, char **owned)
{
    size_t n = 0;
    *owned = NULL;
    for (size_t i = 0; i < a->contact.nlines && n < max; i++)
        lines[n++] = a->contact.lines[i];
    if (a->contact.phone && n < max) {
        *owned = fmt(r, "Tel. %s", a->contact.phone);
        if (*owned)
            lines[n++] = *owned;
    }
    if (a->contact.web && n < max)
        lines[n++] = a->contact.web;
    if (a->contact.email && n < max)
        lines[n++] = a->contact.email;
    return n;
}

/* Key contacts, two blocks a row. */
static void key_contacts(rep *r)
{
    const csp_template *tpl = r->tpl;
    csp_layout *L = r->L;
    if (tpl->ncontacts == 0)
        return;
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "Key Contacts", NULL, CSP_TOC_YES);
    csp_text_style head = {CSP_FACE_BOLD, 9.5, 13, r->accent};
    csp_text_style body = csp_style_body;
    body.leading = 12.5;
    double x = csp_layout_left(L), w = csp_layout_width(L);
    double gap = 24, colw = (w - gap) / 2, tw = colw - 10;
    for (size_t i = 0; i < tpl->ncontacts && !r->err; i += 2) {
        const csp_agency *ag[2] = {NULL, NULL};
        const char *lines[2][24];
        char *owned[2] = {NULL, NULL};
        size_t nl[2] = {0, 0};
        double bh[2] = {0, 0};
        for (size_t k = 0; k < 2 && i + k < tpl->ncontacts; k++) {
            ag[k] = csp_template_agency(tpl, tpl->contacts[i + k]);
            if (!ag[k])
                continue;
            nl[k] = contact_lines(r, ag[k], lines[k], 24, &owned[k]);
            const char *h =
                ag[k]->contact_name ? ag[k]->contact_name : ag[k]->name;
            bh[k] = csp_layout_text_height(L, &head, tw, h);
            for (size_t j = 0; j < nl[k]; j++)
                bh[k] += csp_layout_text_height(L, &body, tw, lines[k][j]);
        }
        double row = (bh[0] > bh[1] ? bh[0] : bh[1]) + 18;
        csp_layout_need(L, row);
        double top = csp_layout_y(L);
        for (size_t k = 0; k < 2; k++) {
            if (!ag[k])
                continue;
            double cx = x + (colw + gap) * (double)k;
            csp_layout_fill_rect(L, &r->accent, cx, top - bh[k] - 2, 2.2,
                                 bh[k]);
            const char *h =
                ag[k]->contact_name ? ag[k]->contact_name : ag[k]->name;
            double y = top - 2;
            y -= text_box(r, &head, cx + 10, y, tw, h);
            for (size_t j = 0; j < nl[k]; j++)
                y -= text_box(r, &body, cx + 10, y, tw, lines[k][j]);
        }
        free(owned[0]);
        free(owned[1]);
        csp_layout_set_y(L, top - row);
    }
}

/* ---- The documents
 * ------------------------------------------------------------ */

/* The strategy document. */
static void strategy_doc(rep *r)
{
    static const char *const known[] = {
        "introduction", "partnership", "priorities",       "policy-drivers",
        "delivering",   "structure",   "action-plan-intro"};
    const csp_template *tpl = r->tpl;
    cover(r);
    foreword(r);
    named_section(r, "introduction",
                  csp_layout_y(r->L) < csp_layout_top(r->L) - 1);
    named_section(r, "partnership", false);
    key_findings(r, true, true);
    if (named_section(r, "priorities", true))
        priority_matrix(r);
    named_section(r, "policy-drivers", true);
    named_section(r, "delivering", false);
    named_section(r, "structure", true);
    /* Sections this writer does not know, in template order. */
    for (size_t i = 0; i < tpl->nsections; i++) {
        const csp_section *s = &tpl->sections[i];
        bool k = false;
        for (size_t j = 0; j < sizeof known / sizeof *known && !k; j++)
            k = s->id && strcmp(s->id, known[j]) == 0;
        if (k)
            continue;
        csp_layout_page(r->L, CSP_PAGE_BODY);
        section(r, s, 0, CSP_TOC_YES, NULL);
    }
    for (size_t i = 0; i < tpl->nthemes && !r->err; i++)
        theme_section(r, i);
    action_plan(r, false);
    data_quality(r);
    key_contacts(r);
}

/* The board pack. */
static void board_doc(rep *r)
{
    csp_layout *L = r->L;
    cover(r); /* ends on a fresh page after the contents */
    key_findings(r, false, false);
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "Measures dashboard", NULL, CSP_TOC_YES);
    csp_layout_text_block(L, &csp_style_small, 0,
                          "The latest figure received for each measure of "
                          "the strategy, by area, with the change on the "
                          "previous comparable period where there is one, "
                          "and its status.");
    csp_layout_skip(L, 6);
    for (size_t i = 0; i < r->tpl->nthemes && !r->err; i++) {
        char *title = theme_title(r, i);
        if (!title)
            break;
        csp_layout_need(L, 90);
        csp_layout_mark(L, 1, title, CSP_TOC_YES);
        measures_table(r, i, title);
        free(title);
    }
    action_plan(r, true);
    data_quality(r);
}

const char *csp_report_kind_str(csp_report_kind kind)
{
    return kind == CSP_REPORT_STRATEGY ? "strategy" : "board";
}

bool csp_report_kind_parse(const char *s, csp_report_kind *out)
{
    if (strcmp(s, "board") == 0)
        *out = CSP_REPORT_BOARD;
    else if (strcmp(s, "strategy") == 0)
        *out = CSP_REPORT_STRATEGY;
    else
        return false;
    return true;
}

/* Lay out and write. */
csp_error csp_report_render(const csp_dataset *ds, csp_report_kind kind,
                            const csp_report_options *opt, FILE *out,
                            csp_why *why)
{
    char *whytext = why ? why->text : NULL;
    size_t whylen = why ? sizeof why->text : 0;
    csp_error err = CSP_OK;
    rep r;
    memset(&r, 0, sizeof r);
    csp_why_clear(why);
    if (!ds || !ds->reconciled || !out) {
        csp_why_set(why, "the dataset is not reconciled");
        return CSP_ERR_USAGE;
    }
    r.ds = ds;
    r.tpl = ds->tpl;
    r.kind = kind;
    r.accent = accent_default;
    r.theme_rgb =
        csp_calloc(r.tpl->nthemes ? r.tpl->nthemes : 1, sizeof *r.theme_rgb);
    if (!r.theme_rgb) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < r.tpl->nthemes; i++)
        if (!csp_rgb_parse(r.tpl->themes[i].colour, &r.theme_rgb[i]))
            r.theme_rgb[i] = r.accent;
    /* The board pack's period (given, or as reconciliation chose it);
     * the key findings are of the years ending by its end, and the yearly
     * document is about the latest of them.  Either document shows
     * nothing dated after its period. */
    if (opt && opt->has_period) {
        r.period = opt->period;
        r.has_period = true;
    } else {
        r.has_period = csp_pack_default_period(ds, &r.period);
    }
    if ((err = csp_kf_build_until(ds, r.has_period ? r.period.end : INT32_MAX,
                                  &r.kf)) != CSP_OK)
        goto out;
    if (kind == CSP_REPORT_STRATEGY && !(opt && opt->has_period) &&
        r.kf.nperiods > 0) {
        r.period = r.kf.periods[r.kf.nperiods - 1];
        r.has_period = true;
    }
    r.cutoff = r.has_period;
    char label[CSP_LABEL_BUFSZ] = "", phrase[CSP_LABEL_BUFSZ] = "";
    if (r.has_period) {
        csp_period_label(r.period, label);
        csp_period_phrase(r.period, phrase);
    }
    const char *what =
        kind == CSP_REPORT_BOARD ? "Board pack" : "Annual report";
    char *title = r.has_period
                      ? fmt(&r, "%s: %s, %s", r.tpl->title, what, label)
                      : fmt(&r, "%s: %s", r.tpl->title, what);
    char *subject =
        r.has_period
            ? fmt(&r, "%s of the %s for %s", what, r.tpl->partnership, phrase)
            : fmt(&r, "%s of the %s", what, r.tpl->partnership);
    char *keywords =
        fmt(&r, "community safety; %s; %s",
            kind == CSP_REPORT_BOARD ? "board pack" : "strategy", r.tpl->id);
    if (r.err) {
        err = r.err;
        free(title);
        free(subject);
        free(keywords);
        goto out;
    }
    csp_layout_setup setup = {
        .font_regular = opt ? opt->font_regular : NULL,
        .font_bold = opt ? opt->font_bold : NULL,
        .title = title,
        .author = r.tpl->partnership,
        .subject = subject,
        .keywords = keywords,
        .creator = "csppack",
        .created = csp_pack_timestamp(ds),
        .running_title = r.tpl->title,
        .footer_left = r.tpl->partnership,
        .accent = r.accent,
    };
    err = csp_layout_new(&setup, &r.L, whytext, whylen);
    free(title);
    free(subject);
    free(keywords);
    if (err)
        goto out;
    if (kind == CSP_REPORT_STRATEGY)
        strategy_doc(&r);
    else
        board_doc(&r);
    if (r.err) {
        err = r.err;
        goto out;
    }
    err = csp_layout_finish(r.L, out, whytext, whylen);
out:
    if (err)
        csp_why_set(why, "%s", csp_strerror(err));
    csp_layout_free(r.L);
    csp_kf_free(&r.kf);
    free(r.theme_rgb);
    return err;
}
