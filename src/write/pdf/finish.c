/* csppack: finishing a PDF layout: the contents page, the running headers
 * and footers, and the document's bytes. */
#include "csppack/write/pdf/layout.h"

#include <hpdf.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/pdf/engine.h"
#include "csppack/write/pdf/pdfobj.h"

/* Contents entry styles: set close, as the contents lists every section
 * and its sub-sections and should fit one page. */
static const csp_text_style toc_style[2] = {
    {CSP_FACE_BOLD, 10.0, 14.0, {0.13f, 0.13f, 0.13f}},
    {CSP_FACE_REGULAR, 9.0, 11.2, {0.13f, 0.13f, 0.13f}},
};
#define TOC_BEFORE0 4.0
#define TOC_NUM_W 36.0

/* A dotted leader on page p. */
static void leader_on(csp_layout *L, HPDF_Page p, double x1, double x2,
                      double y)
{
    if (!p || L->err || x2 <= x1)
        return;
    HPDF_UINT16 dash[] = {1, 3};
    HPDF_Page_GSave(p);
    HPDF_Page_SetRGBStroke(p, 0.55f, 0.55f, 0.55f);
    HPDF_Page_SetLineWidth(p, 0.8f);
    HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
    HPDF_Page_SetDash(p, dash, 2, 0);
    HPDF_Page_MoveTo(p, (HPDF_REAL)x1, (HPDF_REAL)y);
    HPDF_Page_LineTo(p, (HPDF_REAL)x2, (HPDF_REAL)y);
    HPDF_Page_Stroke(p);
    HPDF_Page_GRestore(p);
}

/*
 * Lay out the contents from the reserved position; with draw false only
 * count the pages it runs over.  Page numbers count the extra pages.
 */
static size_t contents_pass(csp_layout *L, bool draw, size_t extra)
{
    size_t page = L->contents_page, added = 0;
    double y = L->contents_top;
    /* The geometry is the contents page's (portrait), whatever the page
     * being laid out now. */
    size_t visit = L->visit;
    L->visit = L->contents_page + 1;
    for (size_t i = 0; i < L->ntoc && !L->err; i++) {
        const toc_entry *e = &L->toc[i];
        unsigned lv = e->level > 0 ? 1 : 0;
        const csp_text_style *st = &toc_style[lv];
        double indent = lv ? 16.0 : 0;
        double tw = PAGE_W - 2 * MARGIN_X - indent - TOC_NUM_W;
        csp_wrap w = {0};
        if (!csp_pdf_wrap(L, st, e->text, tw, &w))
            break;
        double before = lv == 0 && i > 0 ? TOC_BEFORE0 : 0;
        /* Keep a section entry with its first sub-entry. */
        double h = before + (double)w.count * st->leading;
        double keep = h;
        if (lv == 0 && i + 1 < L->ntoc && L->toc[i + 1].level > 0)
            keep += toc_style[1].leading;
        if (y - keep < FLOW_BOTTOM) {
            page++;
            added++;
            y = FLOW_TOP;
            before = 0;
        }
        y -= before;
        if (draw) {
            HPDF_Page pg = L->pages[page].page;
            size_t num = e->page + 1 + (e->page > L->contents_page ? extra : 0);
            char nb[32];
            snprintf(nb, sizeof nb, "%zu", num);
            for (size_t j = 0; j < w.count; j++) {
                double by = csp_pdf_baseline(st, y - (double)j * st->leading);
                const char *s = e->text + w.lines[j].start;
                size_t n = w.lines[j].len;
                csp_pdf_draw_on(L, pg, st, MARGIN_X + indent, by, s, n);
                if (j + 1 < w.count)
                    continue;
                double nw =
                    csp_pdf_width_n(L, st->face, st->size, nb, strlen(nb));
                csp_pdf_draw_on(L, pg, st, PAGE_W - MARGIN_X - nw, by, nb,
                                strlen(nb));
                leader_on(L, pg,
                          MARGIN_X + indent +
                              csp_pdf_width_n(L, st->face, st->size, s, n) + 4,
                          PAGE_W - MARGIN_X - nw - 4, by + 0.5);
            }
        }
        y -= (double)w.count * st->leading;
        csp_wrap_free(&w);
    }
    L->visit = visit;
    return added;
}

/* The number a page will carry, counting the pages the contents adds
 * after its own. */
size_t csp_layout_page_number(csp_layout *L, size_t index)
{
    size_t extra = L->contents && !L->err && index > L->contents_page
                       ? contents_pass(L, false, 0)
                       : 0;
    return index + 1 + extra;
}

/* Draw the contents; extra pages are inserted after the reserved one. */
static void draw_contents(csp_layout *L)
{
    if (!L->contents || L->err)
        return;
    size_t extra = contents_pass(L, false, 0);
    for (size_t k = 0; k < extra && !L->err; k++) {
        size_t at = L->contents_page + 1 + k;
        HPDF_Page p = at < L->npages
                          ? HPDF_InsertPage(L->pdf, L->pages[at].page)
                          : HPDF_AddPage(L->pdf);
        if (!p || L->err) {
            csp_pdf_fail(L, CSP_ERR_INTERNAL, "libharu could not add a page");
            return;
        }
        HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        /* The contents' own heading (the template's wording) names
         * its further pages. */
        if (!csp_pdf_page_insert(L, at, p, CSP_PAGE_BODY,
                                 L->pages[L->contents_page].section))
            return;
    }
    contents_pass(L, true, extra);
}

/* Draw s at the left (x) or ending at x (right), cut to width; its
 * width, or -1 when memory ran out. */
static double furniture_text(csp_layout *L, HPDF_Page pg,
                             const csp_text_style *st, const char *s, double x,
                             double y, double width, bool right)
{
    if (width <= 0)
        return 0;
    char *t = csp_layout_fit_text(L, st, s, width);
    if (!t) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return -1;
    }
    double w = csp_pdf_width_n(L, st->face, st->size, t, strlen(t));
    csp_pdf_draw_on(L, pg, st, right ? x - w : x, y, t, strlen(t));
    free(t);
    return w;
}

/* The running header's leading when it takes two lines or more. */
#define HEADER_LEAD 9.5

/* Draw clean text wrapped to width, its last line's baseline at y and
 * the others above it, at x (or ending at x when right); false when
 * memory ran out. */
static bool header_block(csp_layout *L, HPDF_Page pg, const csp_text_style *st,
                         const char *s, double x, double y, double width,
                         size_t nlines, bool right)
{
    csp_wrap w = {0};
    if (!csp_pdf_wrap(L, st, s, width, &w))
        return false;
    for (size_t j = 0; j < w.count; j++) {
        const char *t = s + w.lines[j].start;
        size_t n = w.lines[j].len;
        double lw = csp_pdf_width_n(L, st->face, st->size, t, n);
        double by = y + (double)(nlines - 1 - j) * HEADER_LEAD;
        csp_pdf_draw_on(L, pg, st, right ? x - lw : x, by, t, n);
    }
    csp_wrap_free(&w);
    return true;
}

/* The number of lines s takes wrapped to width (1 for none). */
static size_t header_lines(csp_layout *L, const csp_text_style *st,
                           const char *s, double width)
{
    csp_wrap w = {0};
    if (!s || !csp_pdf_wrap(L, st, s, width, &w))
        return 1;
    size_t n = w.count ? w.count : 1;
    csp_wrap_free(&w);
    return n;
}

/*
 * The running header of a body page: the document's title at the left,
 * the section at the right, both whole.  On one line when they fit side
 * by side; else each wraps in its share of the line (the title at most
 * half), their first lines level, the lowest line on the usual baseline,
 * never a word cut.  Returns the lines used (the marking goes above).
 */
static size_t running_header(csp_layout *L, HPDF_Page pg, const char *section,
                             const csp_text_style *hs,
                             const csp_text_style *hb)
{
    double full = PAGE_W - 2 * MARGIN_X, gap = 18;
    const char *title = L->running_title;
    double tw = title ? csp_pdf_width_n(L, hs->face, hs->size, title,
                                        strlen(title))
                      : 0;
    double sw = section ? csp_pdf_width_n(L, hb->face, hb->size, section,
                                          strlen(section))
                        : 0;
    double wl = tw, wr = full - (tw > 0 ? tw + gap : 0);
    if (tw + gap + sw > full) {
        wl = tw <= full * 0.55 ? tw : full / 2;
        if (full - wl - gap < sw && sw < full / 2)
            wl = full - gap - sw; /* the section whole, the title wraps */
        wr = full - wl - gap;
    }
    size_t nl = title ? header_lines(L, hs, title, wl) : 1;
    size_t nr = section ? header_lines(L, hb, section, wr) : 1;
    size_t n = nl > nr ? nl : nr;
    if ((title && !header_block(L, pg, hs, title, MARGIN_X,
                                HEADER_BASE + (double)(n - nl) * HEADER_LEAD,
                                wl + 0.01, nl, false)) ||
        (section &&
         !header_block(L, pg, hb, section, PAGE_W - MARGIN_X,
                       HEADER_BASE + (double)(n - nr) * HEADER_LEAD, wr + 0.01,
                       nr, true)))
        return 0;
    return n;
}

/* Running headers and footers on every page; the marking, if any,
 * centred on a line of its own above the header and below the footer of
 * every page, the cover's too. */
static void draw_furniture(csp_layout *L)
{
    const csp_text_style hs = csp_style_furniture;
    csp_text_style hb = csp_style_furniture;
    hb.face = CSP_FACE_BOLD;
    const csp_text_style ms = {CSP_FACE_BOLD, 8.5, 10, ink};
    size_t n = L->npages;
    for (size_t i = 0; i < n && !L->err; i++) {
        const page_rec *pr = &L->pages[i];
        HPDF_Page pg = pr->page;
        /* Each page's own width: landscape ones are wider. */
        L->visit = i + 1;
        double right = PAGE_W - MARGIN_X, full = PAGE_W - 2 * MARGIN_X;
        double mw = 0;
        if (L->marking) {
            mw = csp_pdf_width_n(L, ms.face, ms.size, L->marking,
                                 strlen(L->marking));
            if (mw > full)
                mw = full;
        }
        size_t hl = 1;
        if (pr->kind != CSP_PAGE_COVER &&
            (hl = running_header(L, pg, pr->section, &hs, &hb)) == 0) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        if (L->marking)
            for (int k = 0; k < 2; k++)
                if (furniture_text(L, pg, &ms, L->marking, PAGE_W / 2 - mw / 2,
                                   k ? FOOTER_BASE - 12
                                     : HEADER_BASE + 12 +
                                           (double)(hl - 1) * HEADER_LEAD,
                                   full, false) < 0)
                    return;
        if (pr->kind != CSP_PAGE_COVER) {
            csp_pdf_line_on(L, pg, &rule_grey, 0.5, MARGIN_X, HEADER_RULE,
                            right, HEADER_RULE);
            csp_pdf_rect_on(L, pg, &L->accent, MARGIN_X, HEADER_RULE - 0.8, 36,
                            1.6);
        }
        csp_pdf_line_on(L, pg, &rule_grey, 0.5, MARGIN_X, FOOTER_RULE, right,
                        FOOTER_RULE);
        if (L->footer_left &&
            furniture_text(L, pg, &hs, L->footer_left, MARGIN_X, FOOTER_BASE,
                           full * 0.7, false) < 0)
            return;
        char num[64];
        snprintf(num, sizeof num, "Page %zu of %zu", i + 1, n);
        csp_pdf_draw_on(
            L, pg, &hb,
            right - csp_pdf_width_n(L, hb.face, hb.size, num, strlen(num)),
            FOOTER_BASE, num, strlen(num));
    }
    L->visit = 0;
}

/* libharu's saved bytes, read back whole into malloc'd memory (the ID
 * is a digest of them); NULL, with the failure recorded, on failure. */
static unsigned char *saved_bytes(csp_layout *L, size_t *len)
{
    *len = 0;
    HPDF_UINT32 size = HPDF_GetStreamSize(L->pdf);
    unsigned char *buf = csp_malloc(size ? size : 1);
    if (!buf) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    HPDF_ResetStream(L->pdf);
    size_t got = 0;
    while (got < size) {
        HPDF_UINT32 n = size - (HPDF_UINT32)got;
        HPDF_STATUS st = HPDF_ReadFromStream(L->pdf, buf + got, &n);
        got += n;
        if (st == HPDF_STREAM_EOF)
            break;
        if (st != HPDF_OK || n == 0) {
            csp_pdf_fail(L, CSP_ERR_INTERNAL,
                         "libharu could not read back the PDF");
            free(buf);
            return NULL;
        }
    }
    *len = got;
    return buf;
}

/* Write the PDF. */
csp_error csp_layout_finish(csp_layout *L, FILE *out, csp_why *why)
{
    if (!L->err && L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    if (L->notes_flush)
        L->notes_flush(L); /* the last page's footnotes */
    draw_contents(L);
    draw_furniture(L);
    if (!L->err && HPDF_GetError(L->pdf) != HPDF_OK)
        csp_pdf_fail(L, CSP_ERR_INTERNAL, "libharu error 0x%04X",
                     (unsigned)HPDF_GetError(L->pdf));
    if (!L->err) {
        csp_pdfobj_meta meta = {.lang = CSP_PDF_LANG, .archive = L->archive};
        csp_why pw = {0};
        csp_error perr = csp_pdfobj_prepare(
            L->pdf, L->font, L->font[CSP_FACE_ITALIC] ? 3 : 2, &meta, &pw);
        if (perr)
            csp_pdf_fail(L, perr, "%s", pw.text);
    }
    if (!L->err && HPDF_SaveToStream(L->pdf) != HPDF_OK)
        csp_pdf_fail(L, CSP_ERR_INTERNAL, "libharu could not write the PDF");
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (!L->err && (bytes = saved_bytes(L, &len)) != NULL) {
        if (!csp_pdfobj_set_id(bytes, len))
            csp_pdf_fail(L, CSP_ERR_INTERNAL,
                         "the PDF's trailer has no ID to fill in");
        else
            /* In pieces, as any large file: a signal or a full disk
             * may come between them, and the caller's cleanup sees it. */
            for (size_t at = 0; at < len; at += 65536) {
                size_t n = len - at < 65536 ? len - at : 65536;
                if (fwrite(bytes + at, 1, n, out) != n) {
                    csp_pdf_fail(L, CSP_ERR_IO, "writing the PDF failed");
                    break;
                }
            }
    }
    free(bytes);
    if (L->err)
        csp_why_set(why, "%s", L->why.text);
    return L->err;
}
