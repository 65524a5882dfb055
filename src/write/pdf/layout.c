/* csppack: the PDF layout's document: fonts, pages, shapes. */
#include "csppack/write/pdf/layout.h"

#include <fontconfig/fontconfig.h>
#include <hpdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"
#include "csppack/write/pdf/engine.h"

/* Record the first failure. */
void csp_pdf_fail(csp_layout *L, csp_error err, const char *fmt, ...)
{
    if (L->err)
        return;
    L->err = err;
    /* Room past a csp_why, so that csp_why_set cuts at a character. */
    char buf[CSP_WHY_MAX + 8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    csp_why_clear(&L->why); /* a font's reason replaces libharu's */
    csp_why_set(&L->why, "%s", buf);
}

/* libharu reports errors here; we keep the first and carry on (every
 * later call does nothing, as the errors are sticky). */
static void hpdf_error(HPDF_STATUS status, HPDF_STATUS detail, void *user)
{
    csp_layout *L = user;
    if (status == HPDF_STREAM_EOF)
        return; /* the end of reading the finished PDF back */
    /* zlib's Z_MEM_ERROR (-4) comes as a zlib error with that detail. */
    if (status == HPDF_FAILD_TO_ALLOC_MEM ||
        (status == HPDF_ZLIB_ERROR && detail == (HPDF_STATUS)-4))
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory while making the PDF");
    else
        csp_pdf_fail(L, CSP_ERR_INTERNAL, "libharu error 0x%04X (detail %u)",
                     (unsigned)status, (unsigned)detail);
}

/* Does @p path name a readable TrueType file (engine.h)? */
bool csp_pdf_ttf_ok(const char *path)
{
    if (!path)
        return false;
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".ttf") == 0 &&
           access(path, R_OK) == 0;
}

/*
 * Find DejaVu Sans in @p face (engine.h).  fontconfig always answers
 * with its best match, which may be another family, weight or slant, or
 * a format libharu cannot embed: accept only DejaVu Sans of that weight
 * (and, for the italic, a slanted one) in a .ttf file.
 */
char *csp_pdf_font_find(FcConfig *cfg, csp_face face, bool *nomem)
{
    bool bold = face == CSP_FACE_BOLD, italic = face == CSP_FACE_ITALIC;
    char *found = NULL;
    FcPattern *pat = cfg ? FcPatternCreate() : NULL;
    if (!pat)
        return NULL;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"DejaVu Sans");
    FcPatternAddInteger(pat, FC_WEIGHT,
                        bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT,
                        italic ? FC_SLANT_OBLIQUE : FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(cfg, pat, &res);
    if (m && res == FcResultMatch) {
        FcChar8 *family = NULL, *file = NULL;
        int weight = 0, slant = FC_SLANT_ROMAN;
        if (FcPatternGetString(m, FC_FAMILY, 0, &family) == FcResultMatch &&
            FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
            (!italic ||
             FcPatternGetInteger(m, FC_SLANT, 0, &slant) == FcResultMatch) &&
            strcasecmp((const char *)family, "DejaVu Sans") == 0 &&
            (bold ? weight >= FC_WEIGHT_BOLD : weight < FC_WEIGHT_DEMIBOLD) &&
            (!italic || slant != FC_SLANT_ROMAN) &&
            csp_pdf_ttf_ok((const char *)file) &&
            !(found = csp_strdup((const char *)file)))
            *nomem = true;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    return found;
}

/* Load one face, looked up in @p cfg (NULL: none) unless @p given. */
static bool load_face(csp_layout *L, FcConfig *cfg, csp_face face,
                      const char *given)
{
    bool bold = face == CSP_FACE_BOLD;
    bool nomem = false;
    char *path = given ? csp_strdup(given) : csp_pdf_font_find(cfg, face, &nomem);
    if (!path && !given && !nomem) {
        const char *fb =
            bold ? CSP_FONT_FALLBACK_BOLD : CSP_FONT_FALLBACK_REGULAR;
        if (csp_pdf_ttf_ok(fb) && !(path = csp_strdup(fb)))
            nomem = true;
    }
    if (!path) {
        nomem = nomem || given;
        csp_pdf_fail(L, nomem ? CSP_ERR_NOMEM : CSP_ERR_IO,
                     nomem ? "out of memory"
                           : "no DejaVu Sans %s font found (install the Debian "
                             "package fonts-dejavu-core)",
                     bold ? "Bold" : "");
        return false;
    }
    if (!csp_pdf_ttf_ok(path)) {
        csp_pdf_fail(L, CSP_ERR_IO,
                     "the font %s cannot be read as a TrueType file", path);
        free(path);
        return false;
    }
    const char *name = HPDF_LoadTTFontFromFile(L->pdf, path, HPDF_TRUE);
    if (name)
        L->font[face] = HPDF_GetFont(L->pdf, name, "UTF-8");
    if (!name || !L->font[face]) {
        /* Say which font, unless libharu ran out of memory loading it. */
        if (L->err != CSP_ERR_NOMEM)
            L->err = CSP_OK;
        csp_pdf_fail(L, CSP_ERR_IO, "the font %s cannot be loaded", path);
        free(path);
        return false;
    }
    free(path);
    return true;
}

/* Set a date from an instant, in its own offset. */
static HPDF_Date pdf_date(csp_instant t)
{
    HPDF_Date d;
    memset(&d, 0, sizeof d);
    int64_t local = t.seconds + (int64_t)t.offset_min * 60;
    int64_t days = local / 86400, secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    int y, m, dd;
    csp_date_to_ymd((csp_date)days, &y, &m, &dd);
    d.year = y;
    d.month = m;
    d.day = dd;
    d.hour = (HPDF_INT)(secs / 3600);
    d.minutes = (HPDF_INT)(secs / 60 % 60);
    d.seconds = (HPDF_INT)(secs % 60);
    int off = t.offset_min;
    if (off == 0) {
        d.ind = 'Z';
    } else {
        d.ind = off > 0 ? '+' : '-';
        off = abs(off);
        d.off_hour = off / 60;
        d.off_minutes = off % 60;
    }
    return d;
}

/* Cut clean text to at most max bytes on a character boundary, with an
 * ellipsis: libharu refuses strings over 65535 bytes, and no viewer
 * shows a bookmark or a title that long. */
void csp_pdf_clip(char *c, size_t max)
{
    size_t n = strlen(c);
    if (n <= max)
        return;
    n = csp_utf8_floor(c, max - 3);
    memcpy(c + n, "\xE2\x80\xA6", 4);
}

/* Set one information entry (cleaned). */
static void set_info(csp_layout *L, HPDF_InfoType type, const char *value)
{
    if (!value || L->err)
        return;
    char *c = csp_utf8_clean(value, strlen(value));
    if (!c) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    csp_pdf_clip(c, INFO_MAX);
    HPDF_SetInfoAttr(L->pdf, type, c);
    free(c);
}

/* Duplicate cleaned text, recording a failure. */
char *csp_pdf_dup_clean(csp_layout *L, const char *s)
{
    if (!s)
        return NULL;
    char *c = csp_utf8_clean(s, strlen(s));
    if (!c)
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
    return c;
}

/* Start a document. */
csp_error csp_layout_new(const csp_layout_setup *setup, csp_layout **out,
                         csp_why *why)
{
    *out = NULL;
    csp_layout *L = csp_calloc(1, sizeof *L);
    if (!L) {
        csp_why_set(why, "out of memory");
        return CSP_ERR_NOMEM;
    }
    L->accent = setup->accent;
    L->doc = setup->doc;
    L->archive = setup->archive;
    L->pdf = HPDF_New(hpdf_error, L);
    if (!L->pdf) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "libharu could not start a document");
        goto out;
    }
    HPDF_SetCompressionMode(L->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(L->pdf);
    HPDF_SetCurrentEncoder(L->pdf, "UTF-8");
    L->utf8 = HPDF_GetEncoder(L->pdf, "UTF-8");
    if (L->err)
        goto out;
    /* fontconfig's configuration, loaded once for both faces: loading it
     * is a tenth of the samples' pack.  Destroyed here, so that nothing of
     * fontconfig's stays allocated. */
    FcConfig *cfg = setup->font_regular && setup->font_bold
                        ? NULL
                        : FcInitLoadConfigAndFonts();
    bool faces = load_face(L, cfg, CSP_FACE_REGULAR, setup->font_regular) &&
                 load_face(L, cfg, CSP_FACE_BOLD, setup->font_bold);
    if (cfg)
        FcConfigDestroy(cfg);
    if (!faces)
        goto out;
    set_info(L, HPDF_INFO_TITLE, setup->title);
    set_info(L, HPDF_INFO_AUTHOR, setup->author);
    set_info(L, HPDF_INFO_SUBJECT, setup->subject);
    set_info(L, HPDF_INFO_KEYWORDS, setup->keywords);
    set_info(L, HPDF_INFO_CREATOR, setup->creator);
    HPDF_Date d = pdf_date(setup->created);
    HPDF_SetInfoDateAttr(L->pdf, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(L->pdf, HPDF_INFO_MOD_DATE, d);
    HPDF_SetPageMode(L->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    L->running_title = csp_pdf_dup_clean(L, setup->running_title);
    L->footer_left = csp_pdf_dup_clean(L, setup->footer_left);
    L->marking = setup->marking && setup->marking[0]
                     ? csp_pdf_dup_clean(L, setup->marking)
                     : NULL;
out:
    if (L->err) {
        csp_why_set(why, "%s", L->why.text);
        csp_error err = L->err;
        csp_layout_free(L);
        return err;
    }
    *out = L;
    return CSP_OK;
}

/* Free everything. */
void csp_layout_free(csp_layout *L)
{
    if (!L)
        return;
    if (L->pdf)
        HPDF_Free(L->pdf);
    for (size_t i = 0; i < L->npages; i++)
        free(L->pages[i].section);
    free(L->pages);
    for (size_t i = 0; i < L->ntoc; i++)
        free(L->toc[i].text);
    free(L->toc);
    free(L->section);
    free(L->running_title);
    free(L->footer_left);
    free(L->marking);
    free(L->scratch);
    free(L->header_name);
    for (size_t i = 0; i < L->nnotes; i++) { /* not set: a failure */
        free(L->notes[i].text);
        free(L->notes[i].cites);
    }
    free(L->notes);
    free(L);
}

/* The first failure. */
csp_error csp_layout_error(const csp_layout *L)
{
    return L->err;
}

/* The document the layout records into. */
csp_doc *csp_layout_doc(const csp_layout *L)
{
    return L ? L->doc : NULL;
}

/* The current page, or NULL (after a failure, or before the first). */
HPDF_Page csp_pdf_current(const csp_layout *L)
{
    if (L->err || L->npages == 0)
        return NULL;
    if (L->visit > 0 && L->visit <= L->npages)
        return L->pages[L->visit - 1].page;
    return L->pages[L->npages - 1].page;
}

/* Draw on an earlier page again. */
void csp_layout_revisit(csp_layout *L, size_t index, double y)
{
    if (L->err || index >= L->npages)
        return;
    L->visit = index + 1;
    L->y = y;
}


/* Is the current page landscape?  The geometry macros ask. */
bool csp_pdf_landscape(const csp_layout *L)
{
    if (L->npages == 0)
        return false;
    size_t i = L->visit > 0 && L->visit <= L->npages ? L->visit - 1
                                                     : L->npages - 1;
    return L->pages[i].kind == CSP_PAGE_LANDSCAPE;
}

/* Whether the current page is landscape. */
bool csp_layout_landscape(const csp_layout *L)
{
    return csp_pdf_landscape(L);
}

/* The current page's width. */
double csp_layout_page_width(const csp_layout *L)
{
    return PAGE_W;
}

/* The current page's height. */
double csp_layout_page_height(const csp_layout *L)
{
    return PAGE_H;
}

/* The left margin. */
double csp_layout_left(const csp_layout *L)
{
    (void)L;
    return MARGIN_X;
}

/* The width of the text between the margins. */
double csp_layout_width(const csp_layout *L)
{
    return PAGE_W - 2 * MARGIN_X;
}

/* The top of the flow on the current page. */
double csp_layout_top(const csp_layout *L)
{
    return FLOW_TOP;
}

/* The bottom of the flow on every body page. */
double csp_layout_bottom(const csp_layout *L)
{
    (void)L;
    return FLOW_BOTTOM;
}

/* The flow position on the current page. */
double csp_layout_y(const csp_layout *L)
{
    return L->y;
}

/* Move the flow position on the current page. */
void csp_layout_set_y(csp_layout *L, double y)
{
    L->y = y;
}

/* The height left above the bottom of the flow. */
double csp_layout_room(const csp_layout *L)
{
    return L->y - FLOW_BOTTOM;
}

/* The pages so far. */
size_t csp_layout_page_count(const csp_layout *L)
{
    return L->npages;
}

/* Is the flow at the top of a page? */
bool csp_pdf_at_top(const csp_layout *L)
{
    return L->npages == 0 || L->y >= FLOW_TOP - EPS;
}

/* Insert a page record at index at (the page object is given). */
bool csp_pdf_page_insert(csp_layout *L, size_t at, HPDF_Page page,
                         csp_page_kind kind, const char *section)
{
    if (L->npages == L->cappages) {
        size_t nc = L->cappages ? L->cappages * 2 : 32;
        page_rec *p = csp_realloc(L->pages, nc * sizeof *p);
        if (!p) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return false;
        }
        L->pages = p;
        L->cappages = nc;
    }
    char *sec = NULL;
    if (section && !(sec = csp_strdup(section))) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return false;
    }
    memmove(L->pages + at + 1, L->pages + at,
            (L->npages - at) * sizeof *L->pages);
    L->pages[at].page = page;
    L->pages[at].kind = kind;
    L->pages[at].section = sec;
    L->npages++;
    return true;
}

/* Add a page of this kind, landscape ones with the page's own size
 * turned (the MediaBox, not a /Rotate), and the flow at its top. */
static void page_new(csp_layout *L, csp_page_kind kind)
{
    if (L->err)
        return;
    if (L->notes_flush)
        L->notes_flush(L); /* the page left gets its footnotes */
    HPDF_Page p = HPDF_AddPage(L->pdf);
    if (!p || L->err) {
        csp_pdf_fail(L, CSP_ERR_INTERNAL, "libharu could not add a page");
        return;
    }
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4,
                      kind == CSP_PAGE_LANDSCAPE ? HPDF_PAGE_LANDSCAPE
                                                 : HPDF_PAGE_PORTRAIT);
    if (!csp_pdf_page_insert(L, L->npages, p, kind, L->section))
        return;
    L->portrait_next = false;
    L->visit = 0;
    L->y = FLOW_TOP;
}

/* A page the report asked for: a break the HTML's print keeps too
 * (none before the first page; the engine's own breaks are not
 * recorded: they depend on the page's size, not on the content). */
void csp_layout_page(csp_layout *L, csp_page_kind kind)
{
    if (L->err)
        return;
    if (L->doc && L->doc->nblocks > 0)
        csp_doc_page(L->doc);
    page_new(L, kind);
}

/* End the landscape pages: no room left on this one, and the next is
 * portrait (a part that follows on the same page when it fits then
 * starts one). */
void csp_layout_end_landscape(csp_layout *L)
{
    if (L->err || !csp_pdf_landscape(L))
        return;
    L->visit = 0;
    L->y = FLOW_BOTTOM;
    L->portrait_next = true;
}

/* Start a new page: a body page the engine breaks to keeps the
 * orientation of the page it continues. */
void csp_pdf_page_add(csp_layout *L, csp_page_kind kind)
{
    if (kind == CSP_PAGE_BODY && !L->portrait_next && L->npages > 0 &&
        L->pages[L->npages - 1].kind == CSP_PAGE_LANDSCAPE)
        kind = CSP_PAGE_LANDSCAPE;
    page_new(L, kind);
}

/* New page unless height fits. */
void csp_layout_need(csp_layout *L, double height)
{
    if (L->npages == 0 ||
        (L->y - height < FLOW_BOTTOM - EPS && !csp_pdf_at_top(L)))
        csp_pdf_page_add(L, CSP_PAGE_BODY);
}

/* The share of the flow used on the current page. */
double csp_layout_fill(const csp_layout *L)
{
    if (L->npages == 0)
        return 0;
    double f = (FLOW_TOP - L->y) / (FLOW_TOP - FLOW_BOTTOM);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* Move down. */
void csp_layout_skip(csp_layout *L, double height)
{
    L->y -= height;
    if (L->y < FLOW_BOTTOM)
        L->y = FLOW_BOTTOM;
}

/* ---- Shapes ----------------------------------------------------------- */

/* Fill a rectangle on page p. */
void csp_pdf_rect_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour,
                     double x, double y, double w, double h)
{
    if (!p || L->err)
        return;
    HPDF_Page_SetRGBFill(p, colour->r, colour->g, colour->b);
    HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Fill(p);
}

/* Stroke a line on page p. */
void csp_pdf_line_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour,
                     double width, double x1, double y1, double x2, double y2)
{
    if (!p || L->err)
        return;
    HPDF_Page_SetRGBStroke(p, colour->r, colour->g, colour->b);
    HPDF_Page_SetLineWidth(p, (HPDF_REAL)width);
    HPDF_Page_MoveTo(p, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_LineTo(p, (HPDF_REAL)x2, (HPDF_REAL)y2);
    HPDF_Page_Stroke(p);
}

/* Fill a rectangle on the current page. */
void csp_layout_fill_rect(csp_layout *L, const csp_rgb *colour, double x,
                          double y, double w, double h)
{
    csp_pdf_rect_on(L, csp_pdf_current(L), colour, x, y, w, h);
}

/* Stroke a line on the current page. */
void csp_layout_line(csp_layout *L, const csp_rgb *colour, double width,
                     double x1, double y1, double x2, double y2)
{
    csp_pdf_line_on(L, csp_pdf_current(L), colour, width, x1, y1, x2, y2);
}

/* Draw a status mark, a vector shape, centred at (cx, cy). */
void csp_layout_draw_mark(csp_layout *L, csp_mark mark, const csp_rgb *colour,
                          double cx, double cy, double size)
{
    HPDF_Page p = csp_pdf_current(L);
    if (!p || mark == CSP_MARK_NONE)
        return;
    const csp_rgb *c = colour ? colour : &ink;
    HPDF_REAL r = (HPDF_REAL)(size / 2);
    HPDF_REAL x = (HPDF_REAL)cx, y = (HPDF_REAL)cy;
    HPDF_Page_GSave(p);
    HPDF_Page_SetRGBFill(p, c->r, c->g, c->b);
    HPDF_Page_SetRGBStroke(p, c->r, c->g, c->b);
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
    switch (mark) {
    case CSP_MARK_DOT:
        HPDF_Page_Circle(p, x, y, r);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_RING:
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(size * 0.16));
        HPDF_Page_Circle(p, x, y, r * 0.84f);
        HPDF_Page_Stroke(p);
        break;
    case CSP_MARK_TRIANGLE:
        HPDF_Page_MoveTo(p, x, y + r * 1.05f);
        HPDF_Page_LineTo(p, x + r * 1.1f, y - r * 0.85f);
        HPDF_Page_LineTo(p, x - r * 1.1f, y - r * 0.85f);
        HPDF_Page_ClosePath(p);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_CROSS:
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(size * 0.24));
        HPDF_Page_MoveTo(p, x - r * 0.8f, y - r * 0.8f);
        HPDF_Page_LineTo(p, x + r * 0.8f, y + r * 0.8f);
        HPDF_Page_MoveTo(p, x - r * 0.8f, y + r * 0.8f);
        HPDF_Page_LineTo(p, x + r * 0.8f, y - r * 0.8f);
        HPDF_Page_Stroke(p);
        break;
    case CSP_MARK_TICK:
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(size * 0.24));
        HPDF_Page_MoveTo(p, x - r * 0.85f, y + r * 0.05f);
        HPDF_Page_LineTo(p, x - r * 0.25f, y - r * 0.65f);
        HPDF_Page_LineTo(p, x + r * 0.9f, y + r * 0.8f);
        HPDF_Page_Stroke(p);
        break;
    case CSP_MARK_DASH:
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(size * 0.2));
        HPDF_Page_MoveTo(p, x - r * 0.8f, y);
        HPDF_Page_LineTo(p, x + r * 0.8f, y);
        HPDF_Page_Stroke(p);
        break;
    case CSP_MARK_DIAMOND:
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)(size * 0.14));
        HPDF_Page_MoveTo(p, x, y + r * 0.95f);
        HPDF_Page_LineTo(p, x + r * 0.8f, y);
        HPDF_Page_LineTo(p, x, y - r * 0.95f);
        HPDF_Page_LineTo(p, x - r * 0.8f, y);
        HPDF_Page_ClosePath(p);
        HPDF_Page_Stroke(p);
        break;
    case CSP_MARK_SQUARE:
        HPDF_Page_Rectangle(p, x - r * 0.85f, y - r * 0.85f, r * 1.7f,
                            r * 1.7f);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_DOWN:
        HPDF_Page_MoveTo(p, x, y - r * 1.05f);
        HPDF_Page_LineTo(p, x + r * 1.1f, y + r * 0.85f);
        HPDF_Page_LineTo(p, x - r * 1.1f, y + r * 0.85f);
        HPDF_Page_ClosePath(p);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_BAR:
        HPDF_Page_Rectangle(p, x - r, y - r * 0.3f, r * 2, r * 0.6f);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_DIAMOND_FILL:
        HPDF_Page_MoveTo(p, x, y + r);
        HPDF_Page_LineTo(p, x + r * 0.9f, y);
        HPDF_Page_LineTo(p, x, y - r);
        HPDF_Page_LineTo(p, x - r * 0.9f, y);
        HPDF_Page_ClosePath(p);
        HPDF_Page_Fill(p);
        break;
    case CSP_MARK_NONE:
        break;
    }
    HPDF_Page_GRestore(p);
}
