/* csppack: the PDF reports' shared helpers and template narrative. */
#include "csppack/write/pdf/report_parts.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/common.h"
#include "csppack/write/pdf/layout.h"

/* A malloc'd formatted string; NULL (and r->err) when memory ran out. */
char *csp_rep_fmt(csp_rep *r, const char *f, ...)
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
const csp_rgb *csp_rep_theme_colour(const csp_rep *r, size_t i)
{
    return i < r->tpl->nthemes ? &r->theme_rgb[i] : &r->accent;
}

/* The title of theme i with its number, "1. Protecting ...". */
char *csp_rep_theme_title(csp_rep *r, size_t i)
{
    const csp_theme *th = &r->tpl->themes[i];
    return csp_rep_fmt(r, "%u. %s", th->number, th->title);
}

/* An agency's name, or its id. */
const char *csp_rep_agency_name(const csp_template *tpl, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "The partnership's calculation";
    const csp_agency *a = csp_template_agency(tpl, id);
    return a ? a->name : id;
}

/* An area's name ("All areas" for the partnership as a whole). */
const char *csp_rep_area_name(const csp_template *tpl, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a ? a->name : id;
}

/* An indicator's name, or its id. */
const char *csp_rep_indicator_name(const csp_template *tpl, const char *id)
{
    const csp_indicator *ind = id ? csp_template_indicator(tpl, id) : NULL;
    return ind ? ind->name : id ? id : "";
}

/* Count the files of a dataset: used, refused whole, duplicates, and the
 * figures, updates and items accepted or refused. */
void csp_rep_count_files(const csp_dataset *ds, csp_rep_files *n)
{
    memset(n, 0, sizeof *n);
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (f->refused)
            n->refused++;
        else if (f->duplicate_of != CSP_NO_INDEX)
            n->dups++;
        else
            n->used++;
        n->obs += f->obs_accepted;
        n->upd += f->updates_accepted;
        n->items += f->items_refused;
    }
}

/* Whether a file is listed in a table of submissions: every file with a
 * problem (refused, partly refused, a duplicate) up to
 * CSP_REPORT_FILES_LISTED_MAX, and as many accepted whole; counted in
 * listed or unlisted, by [problem]. */
bool csp_rep_file_listed(const csp_dataset_file *f, size_t listed[2],
                         size_t unlisted[2])
{
    int problem =
        f->refused || f->items_refused || f->duplicate_of != CSP_NO_INDEX;
    if (listed[problem] == CSP_REPORT_FILES_LISTED_MAX) {
        unlisted[problem]++;
        return false;
    }
    listed[problem]++;
    return true;
}

/* A stripe per theme, in its colour, across the page from y up h. */
void csp_rep_theme_stripes(csp_rep *r, double y, double h)
{
    const csp_template *tpl = r->tpl;
    double pw = csp_layout_page_width(r->L);
    size_t nt = tpl->nthemes ? tpl->nthemes : 1;
    for (size_t i = 0; i < nt; i++)
        csp_layout_fill_rect(
            r->L, tpl->nthemes ? csp_rep_theme_colour(r, i) : &r->accent,
            pw * (double)i / (double)nt, y, pw / (double)nt, h);
}

/* A period's words without their leading article. */
const char *csp_rep_no_article(const char *phrase)
{
    return strncmp(phrase, "the ", 4) == 0 ? phrase + 4 : phrase;
}

/* A period in words for the board: "the year ending September 2016",
 * "July to September 2016", "July 2015 to June 2016", or its dates. */
void csp_rep_period_words(csp_period p, char buf[CSP_LABEL_BUFSZ])
{
    int ys, ms, ds, ye, me, de, yn, mn, dn;
    csp_date_to_ymd(p.start, &ys, &ms, &ds);
    csp_date_to_ymd(p.end, &ye, &me, &de);
    csp_date_to_ymd(p.end + 1, &yn, &mn, &dn);
    int months = (ye - ys) * 12 + (me - ms) + 1;
    if (ds == 1 && dn == 1 && months == 12) {
        snprintf(buf, CSP_LABEL_BUFSZ, "the year ending %s %d",
                 csp_month_name(me, false), ye);
        return;
    }
    /* The longest period in words, two dates of years 1 to 9999, has 42
     * bytes; the cut is the compiler's worst case, never taken. */
    char words[CSP_PERIOD_WORDS_BUFSZ];
    csp_period_words(p, words);
    size_t n = strlen(words);
    if (n >= CSP_LABEL_BUFSZ)
        n = CSP_LABEL_BUFSZ - 1;
    memcpy(buf, words, n);
    buf[n] = '\0';
}

/* Cut text to about max bytes (report_parts.h). */
char *csp_rep_short_text(csp_rep *r, const char *text, size_t max,
                         bool sentence)
{
    size_t len = strlen(text);
    if (len <= max)
        return csp_rep_fmt(r, "%s", text);
    if (sentence) {
        /* The last full stop followed by a space in the second half. */
        for (size_t cut = max; cut > max / 2; cut--)
            if (text[cut - 1] == '.' && text[cut] == ' ')
                return csp_rep_fmt(r, "%.*s \xE2\x80\xA6", (int)cut, text);
    }
    size_t cut = max;
    while (cut > max / 2 && text[cut] != ' ')
        cut--;
    while (cut > 0 && (text[cut - 1] == ' ' || text[cut - 1] == ',' ||
                       text[cut - 1] == ';'))
        cut--;
    /* Never inside a UTF-8 sequence. */
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    return csp_rep_fmt(r, "%.*s\xE2\x80\xA6", (int)cut, text);
}

/* A name as it reads inside a sentence: its first letter lower-case when
 * the second is too ("Number of ..." but not "MEAM ..."); malloc'd. */
char *csp_rep_lower_first(csp_rep *r, const char *s)
{
    char *o = csp_rep_fmt(r, "%s", s ? s : "");
    if (o && o[0] >= 'A' && o[0] <= 'Z' && o[1] >= 'a' && o[1] <= 'z')
        o[0] = (char)(o[0] - 'A' + 'a');
    return o;
}

/* Join a date's words with no-break spaces, so that a line never ends
 * inside "18 November 2016" (buf has room: each space grows by one). */
void csp_rep_nbsp_dates(char buf[48])
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
csp_date csp_rep_instant_date(csp_instant t, int *hh, int *mm)
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

/* A value of @p ind as printed (csp_out_value_text: thousands
 * separated, "%" for percents, money with the template's currency). */
void csp_rep_decimal_text(const csp_template *tpl, const csp_indicator *ind,
                          csp_decimal d, char *buf, size_t n)
{
    csp_out_value_text(d, ind ? ind->unit : CSP_UNIT_COUNT,
                       tpl ? tpl->currency : NULL, buf, n);
}

/* A figure's value as printed (csp_rep_decimal_text). */
void csp_rep_value_text(const csp_template *tpl, const csp_figure *f, char *buf,
                        size_t n)
{
    csp_rep_decimal_text(tpl, csp_template_indicator(tpl, f->indicator),
                         f->value, buf, n);
}

/* The "†" of a figure csppack worked out (noted in @p lg for the legend
 * under its table), or "". */
const char *csp_rep_origin_note(csp_rep *r, csp_kf_legend *lg,
                                const csp_figure *f)
{
    return csp_kf_legend_note(lg, r->ds, f) ? " " CSP_KF_ORIGIN_MARK : "";
}

/* Draw the legend of the table @p lg noted, if it marked any figure. */
void csp_rep_origin_legend_draw(csp_rep *r, csp_kf_legend *lg)
{
    char *s = csp_kf_legend_take(lg);
    if (lg->err)
        r->err = lg->err;
    if (s && !r->err)
        csp_layout_text_block(r->L, &csp_style_small, 0, s);
    free(s);
}

const csp_rep_look csp_rep_act_look[] = {
    [CSP_ACT_COMPLETE] = {"Complete", CSP_MARK_TICK, {0.08f, 0.40f, 0.72f}},
    [CSP_ACT_NOT_STARTED] = {"Not started",
                             CSP_MARK_RING,
                             {0.42f, 0.42f, 0.42f}},
    [CSP_ACT_ON_TRACK] = {"On track", CSP_MARK_DOT, {0.15f, 0.50f, 0.20f}},
    [CSP_ACT_AT_RISK] = {"At risk", CSP_MARK_TRIANGLE, {0.86f, 0.52f, 0.0f}},
    [CSP_ACT_OFF_TRACK] = {"Off track", CSP_MARK_CROSS, {0.78f, 0.14f, 0.14f}},
};
const csp_rep_look csp_rep_no_update_look = {
    "No update", CSP_MARK_DASH, {0.55f, 0.55f, 0.55f}};

const csp_action_status csp_rep_act_order[CSP_REP_NSTATUS] = {
    CSP_ACT_COMPLETE, CSP_ACT_ON_TRACK, CSP_ACT_AT_RISK, CSP_ACT_OFF_TRACK,
    CSP_ACT_NOT_STARTED};

/* How a figure's status looks. */
csp_rep_look csp_rep_figure_look(const csp_figure *f)
{
    static const csp_rep_look final_look = {
        "Final", CSP_MARK_NONE, {0.35f, 0.35f, 0.35f}};
    static const csp_rep_look prov = {
        "Provisional", CSP_MARK_DIAMOND, {0.70f, 0.42f, 0.0f}};
    static const csp_rep_look est = {
        "Estimated", CSP_MARK_DIAMOND, {0.30f, 0.33f, 0.62f}};
    static const csp_rep_look miss = {
        "Missing", CSP_MARK_RING, {0.42f, 0.42f, 0.42f}};
    static const csp_rep_look disp = {
        "Disputed", CSP_MARK_CROSS, {0.78f, 0.14f, 0.14f}};
    static const csp_rep_look none = {
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

/* Colours of judgement: better and worse as the action statuses' on
 * track and off track, neither way in grey. */
#define JUDGE_GREEN {0.15f, 0.50f, 0.20f}
#define JUDGE_AMBER {0.86f, 0.52f, 0.0f}
#define JUDGE_RED {0.78f, 0.14f, 0.14f}
#define JUDGE_GREY {0.45f, 0.45f, 0.45f}
static const csp_rgb judge_green = JUDGE_GREEN;
static const csp_rgb judge_red = JUDGE_RED;
static const csp_rgb judge_grey = JUDGE_GREY;

/* How a direction of travel looks on the dashboard: the shape says which
 * way the figure moved (sign: <0 down, >0 up, 0 no real change), the
 * word and the colour whether that is better. */
csp_rep_look csp_rep_direction_look(csp_direction d, int sign)
{
    csp_rep_look lk = {"", CSP_MARK_NONE, judge_grey};
    lk.mark = d == CSP_DIR_SAME || (d != CSP_DIR_NONE && sign == 0)
                  ? CSP_MARK_BAR
              : sign > 0 ? CSP_MARK_TRIANGLE
              : sign < 0 ? CSP_MARK_DOWN
                         : CSP_MARK_NONE;
    switch (d) {
    case CSP_DIR_BETTER:
        lk.label = "Better";
        lk.colour = judge_green;
        break;
    case CSP_DIR_WORSE:
        lk.label = "Worse";
        lk.colour = judge_red;
        break;
    case CSP_DIR_SAME:
        lk.label = "No real change";
        break;
    case CSP_DIR_UP:
        lk.label = "Up";
        break;
    case CSP_DIR_DOWN:
        lk.label = "Down";
        break;
    case CSP_DIR_NONE:
        lk.label = "";
        break;
    }
    return lk;
}

/* How a rating looks: a word and a shape of its own (greyscale). */
csp_rep_look csp_rep_rating_look(csp_rating rating)
{
    static const csp_rep_look looks[] = {
        /* Initialisers, not the objects above: C11 takes only constant
         * expressions here. */
        [CSP_RATING_GREY] = {"No target", CSP_MARK_RING, JUDGE_GREY},
        [CSP_RATING_GREEN] = {"Green", CSP_MARK_DOT, JUDGE_GREEN},
        [CSP_RATING_AMBER] = {"Amber", CSP_MARK_DIAMOND_FILL, JUDGE_AMBER},
        [CSP_RATING_RED] = {"Red", CSP_MARK_SQUARE, JUDGE_RED},
    };
    return looks[rating <= CSP_RATING_RED ? rating : CSP_RATING_GREY];
}

/* ---- Narrative ---------------------------------------------------------- */

/* The height blocks will take (an estimate: page breaks add nothing). */
static double blocks_height(csp_rep *r, const csp_block *b, size_t n,
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
        case CSP_BLOCK_DIAGRAM:
            h += csp_rep_diagram_height(r, b[i].diagram);
            break;
        }
    }
    return h;
}

/* The height of a section with its sub-sections (an estimate). */
static double section_height(csp_rep *r, const csp_section *s, unsigned level)
{
    double h = s->title ? csp_layout_heading_height(r->L, level, s->title) : 0;
    h += blocks_height(r, s->blocks, s->nblocks, 0);
    for (size_t i = 0; i < s->nsubsections; i++)
        h += section_height(r, &s->subsections[i], level < 2 ? level + 1 : 2);
    return h;
}

/* A third of a page: lists shorter than this are kept whole. */
static double short_block(const csp_rep *r)
{
    return (csp_layout_top(r->L) - csp_layout_bottom(r->L)) / 3;
}

/* The most items of a list kept whole and with what introduces it. */
#define SHORT_LIST_ITEMS 8

/* Whether list block b is short: kept whole, and with its introduction. */
static bool short_list(csp_rep *r, const csp_block *b)
{
    return b->kind == CSP_BLOCK_LIST && b->nchildren <= SHORT_LIST_ITEMS &&
           blocks_height(r, b, 1, 0) <= short_block(r);
}

/* Whether moving what does not fit to the next page leaves this one at
 * least CSP_LAYOUT_MIN_FILL full: a block is kept whole only then. */
static bool may_move(const csp_rep *r)
{
    return csp_layout_fill(r->L) >= CSP_LAYOUT_MIN_FILL;
}

/* Keep @p h points together: on the next page when they do not fit here
 * and this page stays full enough; else they flow, breaking as lines
 * do (doc/report.md, "Pagination"). */
static void keep_together(csp_rep *r, double h)
{
    if (h > csp_layout_room(r->L) && may_move(r))
        csp_layout_need(r->L, h);
}

/* What must follow a heading on its page: a short list whole (unless
 * that would leave this page short), else three lines of the first
 * paragraph. */
static double first_block_height(csp_rep *r, const csp_block *b, size_t n)
{
    if (n == 0)
        return 0;
    if (b[0].kind == CSP_BLOCK_LIST) {
        double h = blocks_height(r, b, 1, 0);
        return short_list(r, b) && (h <= csp_layout_room(r->L) || may_move(r))
                   ? h
                   : 3 * csp_style_body.leading;
    }
    double h = blocks_height(r, b, 1, 0);
    return h < 3 * csp_style_body.leading ? h : 3 * csp_style_body.leading;
}

/* The model's spans as the document's; NULL for none (r->err when
 * memory ran out). */
static csp_doc_span *doc_spans(csp_rep *r, const csp_span *s, size_t n)
{
    csp_doc_span *d = n ? csp_calloc(n, sizeof *d) : NULL;
    if (n && !d)
        r->err = CSP_ERR_NOMEM;
    for (size_t i = 0; d && i < n; i++)
        d[i] = (csp_doc_span){s[i].start, s[i].end};
    return d;
}

/* A paragraph with titles or footnotes (template <cite>, <fn>). */
static void marked_paragraph(csp_rep *r, const csp_block *b)
{
    csp_doc_note *notes =
        b->nnotes ? csp_calloc(b->nnotes, sizeof *notes) : NULL;
    csp_doc_span *cites = doc_spans(r, b->cites, b->ncites);
    if (b->nnotes && !notes)
        r->err = CSP_ERR_NOMEM;
    for (size_t k = 0; notes && k < b->nnotes && !r->err; k++)
        notes[k] = (csp_doc_note){0, b->notes[k].at, b->notes[k].text,
                                  doc_spans(r, b->notes[k].cites,
                                            b->notes[k].ncites),
                                  b->notes[k].ncites};
    if (!r->err)
        csp_layout_paragraph_notes(r->L, b->text, cites, b->ncites, notes,
                                   b->nnotes);
    for (size_t k = 0; notes && k < b->nnotes; k++)
        free(notes[k].cites);
    free(notes);
    free(cites);
}

/* Blocks of a section: paragraphs, sub-headings, nested lists. */
void csp_rep_blocks(csp_rep *r, const csp_block *b, size_t n, unsigned level,
                    const csp_rgb *colour)
{
    for (size_t i = 0; i < n; i++) {
        switch (b[i].kind) {
        case CSP_BLOCK_PARAGRAPH:
            /* A short list goes over with the end of the paragraph that
             * introduces it, unless this page would be left short. */
            if (level == 0 && i + 1 < n && short_list(r, b + i + 1) &&
                may_move(r))
                csp_layout_keep_with_next(r->L,
                                          blocks_height(r, b + i + 1, 1, 0));
            if (b[i].nnotes || b[i].ncites)
                marked_paragraph(r, &b[i]);
            else
                csp_layout_paragraph(r->L, b[i].text);
            break;
        case CSP_BLOCK_HEADING:
            csp_layout_need(r->L,
                            csp_layout_heading_height(r->L, 2, b[i].text) +
                                first_block_height(r, b + i + 1, n - i - 1));
            csp_layout_heading(r->L, 2, b[i].text, colour, CSP_TOC_NO);
            break;
        case CSP_BLOCK_LIST:
            /* A short list is not split across pages (unless that
             * would leave this one short). */
            if (level == 0 && short_list(r, b + i))
                keep_together(r, blocks_height(r, b + i, 1, 0));
            csp_rep_blocks(r, b[i].children, b[i].nchildren, level, colour);
            if (level == 0)
                csp_layout_skip(r->L, 4);
            break;
        case CSP_BLOCK_ITEM:
            if (b[i].number)
                csp_layout_numbered(r->L, level, b[i].number,
                                    b[i].text ? b[i].text : "");
            else
                csp_layout_bullet(r->L, level, b[i].text ? b[i].text : "");
            for (size_t k = 0; k < b[i].nchildren; k++)
                if (b[i].children[k].kind == CSP_BLOCK_LIST)
                    csp_rep_blocks(r, b[i].children[k].children,
                                   b[i].children[k].nchildren, level + 1,
                                   colour);
            break;
        case CSP_BLOCK_DIAGRAM:
            csp_rep_diagram(r, b[i].diagram);
            break;
        }
    }
}

/* A heading kept with what starts its section. */
void csp_rep_heading_kept(csp_rep *r, unsigned level, const char *title,
                          const csp_block *b, size_t n, const csp_rgb *colour,
                          csp_toc toc)
{
    csp_layout_need(r->L, csp_layout_heading_height(r->L, level, title) +
                              first_block_height(r, b, n));
    csp_layout_heading(r->L, level, title, colour, toc);
}

/* A titled section and its sub-sections. */
void csp_rep_section(csp_rep *r, const csp_section *s, unsigned level,
                     csp_toc toc, const csp_rgb *colour)
{
    if (level > 0) {
        /* A short sub-section is not split across pages, unless that
         * would leave this one short. */
        double h = section_height(r, s, level);
        if (h <= short_block(r))
            keep_together(r, h);
    }
    if (level == 0 && s->title)
        csp_layout_header_name(r->L, s->short_title);
    if (s->title)
        csp_rep_heading_kept(r, level, s->title, s->blocks, s->nblocks, colour,
                             toc);
    csp_rep_blocks(r, s->blocks, s->nblocks, 0, colour);
    /* Every section is in the contents: the sub-sections of a chapter
     * too (deeper ones are bookmarked only). */
    for (size_t i = 0; i < s->nsubsections; i++)
        csp_rep_section(r, &s->subsections[i], level < 2 ? level + 1 : 2,
                        level == 0 ? CSP_TOC_YES : CSP_TOC_NO, colour);
}

/* Whether nothing has flowed onto the current page yet. */
bool csp_rep_page_empty(const csp_rep *r)
{
    return csp_layout_y(r->L) >= csp_layout_top(r->L) - 1;
}

/* A new page for a part of the report, unless the current one is still
 * empty (the page after the cover, for the first part). */
void csp_rep_part_page(csp_rep *r)
{
    if (!csp_rep_page_empty(r))
        csp_layout_page(r->L, CSP_PAGE_BODY);
}

/* The gap above a chapter that follows on the page before. */
#define CHAPTER_GAP 18.0

/* Start a chapter (a level-0 section or part): on a new page, unless
 * the page the one before ended on is short and has room for @p keep
 * points (its heading and what must follow it): then it follows on
 * that page after a gap, rather than leave it mostly empty. */
void csp_rep_chapter_page(csp_rep *r, double keep)
{
    if (csp_rep_page_empty(r))
        return;
    if (!may_move(r) && csp_layout_room(r->L) >= CHAPTER_GAP + keep) {
        csp_layout_skip(r->L, CHAPTER_GAP);
        return;
    }
    csp_layout_page(r->L, CSP_PAGE_BODY);
}

/* The height that must follow a chapter's start on its page: its heading
 * and its first block (csp_rep_chapter_page). */
double csp_rep_section_keep(csp_rep *r, const csp_section *s)
{
    double h = s->title ? csp_layout_heading_height(r->L, 0, s->title) : 0;
    if (s->nblocks)
        return h + first_block_height(r, s->blocks, s->nblocks);
    return h + 3 * csp_style_body.leading;
}

/* The template section with this id, on a new page (or after a gap). */
bool csp_rep_named_section(csp_rep *r, const char *id, bool new_page)
{
    const csp_section *s = csp_template_section(r->tpl, id);
    if (!s)
        return false;
    /* A section that would fit on a page of its own but not in what is
     * left of this one starts a page. */
    double h = section_height(r, s, 0);
    if (new_page || (h > csp_layout_room(r->L) &&
                     h <= csp_layout_top(r->L) - csp_layout_bottom(r->L) &&
                     may_move(r)))
        csp_layout_page(r->L, CSP_PAGE_BODY);
    else
        csp_layout_skip(r->L, 10);
    csp_rep_section(r, s, 0, CSP_TOC_YES, NULL);
    return true;
}
