/* csppack: the PDF layout's text: paragraphs, lists, headings, bookmarks. */
#include "csppack/write/pdf/layout.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/pdf/engine.h"

/* The type scale: nothing under CSP_TYPE_MIN, and small print in a grey
 * dark enough to read on paper (RGB 0.28; it was a lighter 0.40). */
const csp_text_style csp_style_body = {
    CSP_FACE_REGULAR, 9.5, 13.5, {0.13f, 0.13f, 0.13f}};
const csp_text_style csp_style_small = {
    CSP_FACE_REGULAR, 8.0, 10.5, {0.28f, 0.28f, 0.28f}};
const csp_text_style csp_style_table = {
    CSP_FACE_REGULAR, 9.0, 11.5, {0.13f, 0.13f, 0.13f}};
const csp_text_style csp_style_label = {
    CSP_FACE_REGULAR, 8.0, 10.0, {0.28f, 0.28f, 0.28f}};
const csp_text_style csp_style_furniture = {
    CSP_FACE_REGULAR, 8.0, 9.5, {0.30f, 0.30f, 0.30f}};

/* ---- Text ------------------------------------------------------------- */

/* s cut to fit width, with an ellipsis; malloc'd.  One pass over the
 * part that fits (widths add up character by character). */
char *csp_layout_fit_text(csp_layout *L, const csp_text_style *st,
                          const char *s, double width)
{
    static const char ell[] = "\xE2\x80\xA6";
    size_t len = strlen(s);
    double ew = csp_pdf_width_n(L, st->face, st->size, ell, 3);
    size_t n = 0, cut = 0;
    double w = 0;
    while (n < len) {
        size_t k = csp_utf8_seq_len(s + n, len - n);
        if (k == 0)
            k = 1;
        w += csp_pdf_width_n(L, st->face, st->size, s + n, k);
        if (w > width)
            break;
        n += k;
        if (w + ew <= width)
            cut = n;
    }
    if (n == len)
        return csp_strdup(s);
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    char *o = csp_malloc(cut + 4);
    if (!o)
        return NULL;
    memcpy(o, s, cut);
    memcpy(o + cut, ell, 4);
    return o;
}


/* libharu refuses longer strings (HPDF_LIMIT_MAX_STRING_LEN is 65535):
 * longer texts are measured in pieces; nothing that long fits on a line,
 * so drawing never needs more. */
#define HPDF_CHUNK 32768

/* Width of n bytes at a size. */
double csp_pdf_width_n(const csp_layout *L, csp_face face, double size,
                       const char *s, size_t n)
{
    if (n == 0 || !L->font[face])
        return 0;
    double units = 0;
    while (n > 0) {
        size_t k = n;
        if (k > HPDF_CHUNK) {
            k = csp_utf8_floor(s, HPDF_CHUNK);
            if (k == 0)
                k = HPDF_CHUNK;
        }
        HPDF_TextWidth tw = HPDF_Font_TextWidth(
            L->font[face], (const HPDF_BYTE *)s, (HPDF_UINT)k);
        units += (double)tw.width;
        s += k;
        n -= k;
    }
    return units * size / 1000.0;
}

/* The measure callback for wrapping. */
typedef struct measure_ctx {
    const csp_layout *L;
    csp_face face;
    double size;
} measure_ctx;

/* A width in a face and size, for csp_wrap_text. */
static double measure_cb(const char *s, size_t n, void *ctx)
{
    const measure_ctx *m = ctx;
    return csp_pdf_width_n(m->L, m->face, m->size, s, n);
}

/* The width of a whole text. */
double csp_layout_text_width(const csp_layout *L, csp_face face, double size,
                             const char *s)
{
    return csp_pdf_width_n(L, face, size, s, strlen(s));
}

/* Wrap cleaned text in a style. */
bool csp_pdf_wrap(csp_layout *L, const csp_text_style *st, const char *clean,
                  double width, csp_wrap *w)
{
    measure_ctx m = {L, st->face, st->size};
    if (width < 1)
        width = 1;
    if (csp_wrap_text(clean, width, measure_cb, &m, w) != CSP_OK) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return false;
    }
    return true;
}

/* Draw n bytes of clean text with the baseline at (x, y) on page p. */
void csp_pdf_draw_on(csp_layout *L, HPDF_Page p, const csp_text_style *st,
                     double x, double y, const char *s, size_t n)
{
    if (!p || L->err || n == 0)
        return;
    if (n > HPDF_CHUNK)
        n = csp_utf8_floor(s, HPDF_CHUNK); /* far wider than any page */
    if (n + 1 > L->scratchcap) {
        size_t nc = n + 1 < 256 ? 256 : n + 1;
        char *b = csp_realloc(L->scratch, nc);
        if (!b) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        L->scratch = b;
        L->scratchcap = nc;
    }
    memcpy(L->scratch, s, n);
    L->scratch[n] = '\0';
    HPDF_Page_BeginText(p);
    HPDF_Page_SetFontAndSize(p, L->font[st->face], (HPDF_REAL)st->size);
    HPDF_Page_SetRGBFill(p, st->colour.r, st->colour.g, st->colour.b);
    HPDF_Page_TextOut(p, (HPDF_REAL)x, (HPDF_REAL)y, L->scratch);
    HPDF_Page_EndText(p);
}

/* The same on the current page. */
void csp_pdf_draw_n(csp_layout *L, const csp_text_style *st, double x, double y,
                    const char *s, size_t n)
{
    csp_pdf_draw_on(L, csp_pdf_current(L), st, x, y, s, n);
}

/* One line of text at a point. */
void csp_layout_text_at(csp_layout *L, const csp_text_style *st, double x,
                        double y, const char *s)
{
    char *c = csp_pdf_dup_clean(L, s);
    if (c)
        csp_pdf_draw_n(L, st, x, y, c, strlen(c));
    free(c);
}

/* One line of text ending at a point. */
void csp_layout_text_right(csp_layout *L, const csp_text_style *st,
                           double x_right, double y, const char *s)
{
    char *c = csp_pdf_dup_clean(L, s);
    if (c) {
        size_t n = strlen(c);
        csp_pdf_draw_n(L, st,
                       x_right - csp_pdf_width_n(L, st->face, st->size, c, n),
                       y, c, n);
    }
    free(c);
}

/* The baseline of a line whose box (leading tall) starts at top. */
double csp_pdf_baseline(const csp_text_style *st, double top)
{
    return top - st->leading / 2 - st->size * 0.35;
}

/*
 * The paragraph engine: text wrapped at x = left + indent, across pages,
 * keeping at least two lines together at a page break (for four lines or
 * more).  The optional bullet is drawn at bullet_x beside the first line.
 * A heading passes its bookmark, made on the first line's page.
 */
static double flow_text(csp_layout *L, const csp_text_style *st, double indent,
                        const char *text, const char *bullet, double bullet_x,
                        int mark_level, csp_toc toc, const char *mark_text)
{
    if (L->err || !text)
        return 0;
    char *c = csp_pdf_dup_clean(L, text);
    if (!c)
        return 0;
    csp_wrap w = {0};
    double used = 0;
    if (!csp_pdf_wrap(L, st, c, PAGE_W - 2 * MARGIN_X - indent, &w))
        goto out;
    size_t n = w.count, i = 0;
    size_t per_page = (size_t)((FLOW_TOP - FLOW_BOTTOM) / st->leading);
    if (per_page < 1)
        per_page = 1;
    if (L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    double keep = L->keep_next;
    L->keep_next = 0;
    while (i < n && !L->err) {
        size_t left = n - i;
        size_t fit = (size_t)((L->y - FLOW_BOTTOM + EPS) / st->leading);
        size_t k = left <= fit ? left : fit;
        if (k == left && keep > 0 &&
            L->y - (double)k * st->leading - keep < FLOW_BOTTOM - EPS) {
            /* What follows must not start a page alone: the last two
             * lines go over with it (three lines or fewer go whole). */
            k = (i == 0 && n < 4) || left < 2 ? 0 : left - 2;
            if (i == 0 && k < 2)
                k = 0;
            keep = 0;
        }
        if (k < left) {
            /* Breaking: a paragraph of three lines or fewer moves whole;
             * longer ones leave no orphan (one line at the foot) and no
             * widow (one line at the head). */
            if (i == 0 && (n < 4 || k < 2))
                k = 0;
            if (k > 0 && left - k < 2) {
                k = left - 2;
                if (i == 0 && k < 2)
                    k = 0;
            }
        }
        if (k == 0) {
            if (csp_pdf_at_top(L))
                k = left < per_page ? left : per_page; /* cannot do better */
            else {
                csp_pdf_page_add(L, CSP_PAGE_BODY);
                continue;
            }
        }
        if (i == 0 && mark_level >= 0)
            csp_pdf_mark_here(L, (unsigned)mark_level, mark_text, toc, L->y);
        for (size_t j = 0; j < k; j++) {
            const csp_wrap_line *ln = &w.lines[i + j];
            double base = csp_pdf_baseline(st, L->y);
            if (i + j == 0 && bullet)
                csp_pdf_draw_n(L, st, MARGIN_X + bullet_x, base, bullet,
                               strlen(bullet));
            csp_pdf_draw_n(L, st, MARGIN_X + indent, base, c + ln->start,
                           ln->len);
            L->y -= st->leading;
        }
        used = (double)k * st->leading;
        i += k;
        if (i < n)
            csp_pdf_page_add(L, CSP_PAGE_BODY);
    }
out:
    csp_wrap_free(&w);
    free(c);
    return used;
}

/* Record text laid out in the flow (cleaned, as drawn) into the
 * document, when one is kept. */
static void record(csp_layout *L, csp_doc_block_kind kind, csp_doc_role role,
                   unsigned level, const char *text)
{
    if (!L->doc || L->err || !text)
        return;
    char *c = csp_pdf_dup_clean(L, text);
    if (!c)
        return;
    if (kind == CSP_DOC_PARA)
        csp_doc_para(L->doc, role, c);
    else if (kind == CSP_DOC_ITEM)
        csp_doc_item(L->doc, level, c);
    free(c);
}

/* Wrapped text in a box; draw false only measures. */
static double box(csp_layout *L, const csp_text_style *st, double x,
                  double y_top, double width, const char *text, bool draw)
{
    if (L->err || !text)
        return 0;
    char *c = csp_pdf_dup_clean(L, text);
    if (!c)
        return 0;
    csp_wrap w = {0};
    double h = 0;
    if (csp_pdf_wrap(L, st, c, width, &w)) {
        for (size_t i = 0; i < w.count && draw; i++)
            csp_pdf_draw_n(
                L, st, x, csp_pdf_baseline(st, y_top - (double)i * st->leading),
                c + w.lines[i].start, w.lines[i].len);
        h = (double)w.count * st->leading;
    }
    csp_wrap_free(&w);
    free(c);
    return h;
}

/* Wrapped text in a box outside the flow. */
double csp_layout_text_box(csp_layout *L, const csp_text_style *st, double x,
                           double y_top, double width, const char *text)
{
    return box(L, st, x, y_top, width, text, true);
}

/* The height of wrapped text in a box. */
double csp_layout_text_height(csp_layout *L, const csp_text_style *st,
                              double width, const char *text)
{
    return box(L, st, 0, 0, width, text, false);
}

/* Wrapped text in the flow, across pages. */
double csp_layout_text_block(csp_layout *L, const csp_text_style *st,
                             double indent, const char *text)
{
    /* Small print (the small style or smaller) is a note. */
    record(L, CSP_DOC_PARA,
           st->size <= csp_style_small.size ? CSP_DOC_NOTE : CSP_DOC_BODY, 0,
           text);
    return flow_text(L, st, indent, text, NULL, 0, -1, CSP_TOC_NO, NULL);
}

#define PARA_AFTER 6.5
#define BULLET_STEP 15.0
#define BULLET_AFTER 2.5

/* Where a list item's text starts, at nesting level. */
static double bullet_indent(unsigned level)
{
    return 4.0 + BULLET_STEP * level + 11.0;
}

/* The height of a body paragraph and the space after it. */
double csp_layout_paragraph_height(csp_layout *L, const char *text)
{
    if (!text || !*text)
        return 0;
    return csp_layout_text_height(L, &csp_style_body, PAGE_W - 2 * MARGIN_X,
                                  text) +
           PARA_AFTER;
}

/* The height of a list item and the space after it. */
double csp_layout_bullet_height(csp_layout *L, unsigned level, const char *text)
{
    if (level > 6)
        level = 6;
    return csp_layout_text_height(L, &csp_style_body,
                                  PAGE_W - 2 * MARGIN_X - bullet_indent(level),
                                  text ? text : "") +
           BULLET_AFTER;
}

/* A body paragraph in the flow. */
void csp_layout_paragraph(csp_layout *L, const char *text)
{
    if (!text || !*text)
        return;
    record(L, CSP_DOC_PARA, CSP_DOC_BODY, 0, text);
    flow_text(L, &csp_style_body, 0, text, NULL, 0, -1, CSP_TOC_NO, NULL);
    csp_layout_skip(L, PARA_AFTER);
}

/* A list item in the flow, its bullet by nesting level. */
void csp_layout_bullet(csp_layout *L, unsigned level, const char *text)
{
    static const char *const glyph[] = {"\xE2\x80\xA2", "\xE2\x80\x93",
                                        "\xE2\x97\xA6"};
    if (level > 6)
        level = 6;
    double bx = 4.0 + BULLET_STEP * level;
    record(L, CSP_DOC_ITEM, CSP_DOC_BODY, level, text ? text : "");
    flow_text(L, &csp_style_body, bullet_indent(level), text ? text : "",
              glyph[level % 3], bx, -1, CSP_TOC_NO, NULL);
    csp_layout_skip(L, BULLET_AFTER);
}

/* An item of a numbered list: "1." hanging where the bullet would be. */
void csp_layout_numbered(csp_layout *L, unsigned level, unsigned number,
                         const char *text)
{
    char num[16];
    if (level > 6)
        level = 6;
    snprintf(num, sizeof num, "%u.", number);
    double bx = 4.0 + BULLET_STEP * level;
    /* A wide number ("10.") ends a little before the text instead. */
    double w = csp_pdf_width_n(L, csp_style_body.face, csp_style_body.size,
                               num, strlen(num));
    if (bx + w > bullet_indent(level) - 3)
        bx = bullet_indent(level) - 3 - w;
    if (L->doc && !L->err && text) {
        char *c = csp_pdf_dup_clean(L, text);
        if (c)
            csp_doc_numbered(L->doc, level, number, c);
        free(c);
    }
    flow_text(L, &csp_style_body, bullet_indent(level), text ? text : "", num,
              bx, -1, CSP_TOC_NO, NULL);
    csp_layout_skip(L, BULLET_AFTER);
}

/* ---- Headings, bookmarks, contents ----------------------------------- */

/* Heading styles per level. */
static const struct {
    double size, leading, before, after;
} heading_style[3] = {
    {18.0, 22.0, 14.0, 9.0},
    {12.5, 16.0, 11.0, 4.0},
    {10.0, 13.5, 7.0, 2.0},
};

/* Record a contents entry for the current page. */
static void toc_add(csp_layout *L, unsigned level, const char *clean)
{
    if (L->ntoc == L->captoc) {
        size_t nc = L->captoc ? L->captoc * 2 : 32;
        toc_entry *t = csp_realloc(L->toc, nc * sizeof *t);
        if (!t) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        L->toc = t;
        L->captoc = nc;
    }
    char *d = csp_strdup(clean);
    if (!d) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    L->toc[L->ntoc].level = level;
    L->toc[L->ntoc].text = d;
    L->toc[L->ntoc].page = L->npages - 1;
    L->ntoc++;
}

/* Set the section name of the current page and the next. */
static void set_section(csp_layout *L, const char *clean)
{
    char *d = csp_strdup(clean);
    if (!d) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    free(L->section);
    L->section = d;
    /* The header names the section in force at the top of the page: a
     * section that starts lower down names the pages after. */
    if (L->npages && (csp_pdf_at_top(L) || !L->pages[L->npages - 1].section)) {
        char *e = csp_strdup(clean);
        if (!e) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        free(L->pages[L->npages - 1].section);
        L->pages[L->npages - 1].section = e;
    }
}

/* Outline and contents entry at the flow position of the current page. */
void csp_pdf_mark_here(csp_layout *L, unsigned level, const char *clean,
                       csp_toc toc, double top)
{
    HPDF_Page p = csp_pdf_current(L);
    if (!p || !clean)
        return;
    if (level > 2)
        level = 2;
    HPDF_Outline parent = NULL;
    for (unsigned l = level; l > 0 && !parent; l--)
        parent = L->outline[l - 1];
    char *title = csp_strdup(clean);
    if (!title) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    csp_pdf_clip(title, INFO_MAX);
    HPDF_Outline o = HPDF_CreateOutline(L->pdf, parent, title, L->utf8);
    free(title);
    if (!o)
        return;
    HPDF_Outline_SetOpened(o, HPDF_FALSE);
    HPDF_Destination d = HPDF_Page_CreateDestination(p);
    if (!d)
        return;
    double t = top + 6 > PAGE_H ? PAGE_H : top + 6;
    HPDF_Destination_SetFitH(d, (HPDF_REAL)t);
    HPDF_Outline_SetDestination(o, d);
    L->outline[level] = o;
    for (unsigned l = level + 1; l < 3; l++)
        L->outline[l] = NULL;
    if (level == 0) {
        /* A short title, when the report gave one, names the pages. */
        set_section(L, L->header_name ? L->header_name : clean);
        free(L->header_name);
        L->header_name = NULL;
    }
    if (toc == CSP_TOC_YES)
        toc_add(L, level, clean);
}

/* A bookmark (and contents entry) at the flow position. */
void csp_layout_mark(csp_layout *L, unsigned level, const char *text,
                     csp_toc toc)
{
    char *c = csp_pdf_dup_clean(L, text);
    if (c) {
        if (L->npages == 0)
            csp_pdf_page_add(L, CSP_PAGE_BODY);
        csp_pdf_mark_here(L, level, c, toc, L->y);
        csp_pdf_record_mark(L, level, c, toc);
    }
    free(c);
}

/* A bookmark names a part of the document: a heading in the recorded
 * one, except the cover's (the title stands for the cover). */
void csp_pdf_record_mark(csp_layout *L, unsigned level, const char *clean,
                         csp_toc toc)
{
    if (!L->doc || L->err || !clean || L->npages == 0 ||
        L->pages[L->npages - 1].kind == CSP_PAGE_COVER)
        return;
    csp_doc_heading(L->doc, level, clean, toc == CSP_TOC_YES);
}

/* Keep the next paragraph's last lines with what follows it. */
void csp_layout_keep_with_next(csp_layout *L, double height)
{
    L->keep_next = height > 0 ? height : 0;
}

/* The running header's name for the next level-0 heading. */
void csp_layout_header_name(csp_layout *L, const char *name)
{
    free(L->header_name);
    L->header_name = name && *name ? csp_pdf_dup_clean(L, name) : NULL;
}

/* The running header's section name from this page on. */
void csp_layout_set_section(csp_layout *L, const char *name)
{
    char *c = csp_pdf_dup_clean(L, name);
    if (c)
        set_section(L, c);
    free(c);
}

/* The style of a heading. */
static csp_text_style heading_text_style(const csp_layout *L, unsigned level,
                                         const csp_rgb *colour)
{
    csp_text_style st = {CSP_FACE_BOLD, heading_style[level].size,
                         heading_style[level].leading,
                         colour ? *colour : L->accent};
    if (level == 2 && !colour)
        st.colour = ink;
    return st;
}

/* The height a heading takes here: space before (none at the top of a
 * page), its lines, its rule and the space after. */
double csp_pdf_heading_height(csp_layout *L, unsigned level, const char *text)
{
    csp_text_style st = heading_text_style(L, level, NULL);
    double h = csp_layout_text_height(L, &st, PAGE_W - 2 * MARGIN_X, text);
    return (csp_pdf_at_top(L) ? 0 : heading_style[level].before) + h +
           (level == 0 ? 4 : 0) + heading_style[level].after;
}

/* The height a heading would take here. */
double csp_layout_heading_height(csp_layout *L, unsigned level,
                                 const char *text)
{
    return text ? csp_pdf_heading_height(L, level > 2 ? 2 : level, text) : 0;
}

/* A heading in the flow, kept with the two lines after it. */
void csp_layout_heading(csp_layout *L, unsigned level, const char *text,
                        const csp_rgb *colour, csp_toc toc)
{
    if (L->err || !text)
        return;
    if (level > 2)
        level = 2;
    csp_text_style st = heading_text_style(L, level, colour);
    char *c = csp_pdf_dup_clean(L, text);
    if (!c)
        return;
    if (L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    if (L->doc)
        csp_doc_heading(L->doc, level, c, toc == CSP_TOC_YES);
    /* Keep with the two lines that follow. */
    double keep =
        csp_pdf_heading_height(L, level, c) + 2 * csp_style_body.leading;
    if (L->y - keep < FLOW_BOTTOM - EPS && !csp_pdf_at_top(L))
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    L->y -= csp_pdf_at_top(L) ? 0 : heading_style[level].before;
    flow_text(L, &st, 0, c, NULL, 0, (int)level, toc, c);
    if (level == 0) {
        /* A short accent rule under a section title. */
        csp_rgb a = colour ? *colour : L->accent;
        csp_layout_fill_rect(L, &a, MARGIN_X, L->y - 3, 42, 2.2);
        L->y -= 4;
    }
    csp_layout_skip(L, heading_style[level].after);
    free(c);
}

/* Reserve the rest of the page for the contents. */
void csp_layout_contents_here(csp_layout *L)
{
    if (L->err || L->contents)
        return;
    if (L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    L->contents = true;
    L->contents_page = L->npages - 1;
    L->contents_top = L->y;
    csp_doc_contents(L->doc);
    csp_layout_page(L, CSP_PAGE_BODY);
}
