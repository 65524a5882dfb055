/*
 * The insides of csppack's PDF layout engine (layout.h), shared by its
 * files: layout.c (the document, pages, shapes, finishing), text.c
 * (text, lists, headings, bookmarks), table.c and chart.c.  Not for the
 * reports: they use layout.h, table.h and chart.h.
 *
 * Every function here does nothing once the document has failed (the
 * errors are sticky); csp_pdf_fail records the first failure.
 */
#ifndef CSPPACK_WRITE_PDF_ENGINE_H
#define CSPPACK_WRITE_PDF_ENGINE_H

#include <fontconfig/fontconfig.h>
#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/wrap.h"

/* A4, in points, and the flow's box.  The page is the current one's
 * (csp_pdf_landscape): portrait, or turned on its side for a wide table,
 * its margins and furniture laid out alike.  Every function of the
 * engine names its document L, so the geometry follows the page. */
#define A4_SHORT 595.276
#define A4_LONG 841.89
#define PAGE_W (csp_pdf_landscape(L) ? A4_LONG : A4_SHORT)
#define PAGE_H (csp_pdf_landscape(L) ? A4_SHORT : A4_LONG)
#define MARGIN_X 51.0
#define FLOW_TOP (PAGE_H - 64.0)
/* The flow stops above the footnotes kept at the foot of the page
 * (L->foot; footnote.c); every use has its layout at hand as L. */
#define FLOW_BOTTOM_BASE 60.0
#define FLOW_BOTTOM (FLOW_BOTTOM_BASE + (L)->foot)
#define HEADER_BASE (PAGE_H - 34.0)
#define HEADER_RULE (PAGE_H - 41.0)
#define FOOTER_RULE 44.0
#define FOOTER_BASE 30.0
#define EPS 0.01

static const csp_rgb ink = {0.13f, 0.13f, 0.13f};
static const csp_rgb grey = {0.40f, 0.40f, 0.40f};
static const csp_rgb rule_grey = {0.75f, 0.75f, 0.75f};
static const csp_rgb zebra = {0.955f, 0.958f, 0.965f};
static const csp_rgb white = {1, 1, 1};

/* A page and what its header says. */
typedef struct page_rec {
    HPDF_Page page;
    csp_page_kind kind;
    char *section; /* owned; NULL: none */
} page_rec;

/* A footnote waiting to be set at the foot of the current page. */
typedef struct csp_pdf_note {
    unsigned number;
    char *text;          /* owned, clean */
    csp_doc_span *cites; /* owned: titles, set in italics */
    size_t ncites;
    double h;            /* its height as set */
} csp_pdf_note;

/* A contents entry. */
typedef struct toc_entry {
    unsigned level;
    char *text;  /* owned, clean */
    size_t page; /* index into pages */
} toc_entry;

struct csp_layout {
    HPDF_Doc pdf;
    HPDF_Font font[3]; /* by csp_face; italic loaded when first used */
    HPDF_Encoder utf8;
    csp_error err;
    csp_why why; /* the first failure's reason */

    page_rec *pages;
    size_t npages, cappages;
    double y;
    char *section; /* owned; the running header's section */

    toc_entry *toc;
    size_t ntoc, captoc;
    HPDF_Outline outline[3];

    bool contents; /* a contents region was reserved */
    size_t contents_page;
    double contents_top;

    char *running_title;
    char *footer_left;
    char *marking; /* owned; NULL: none */
    size_t visit;  /* 1 + the page revisited; 0: the last page */
    csp_rgb accent;
    csp_doc *doc; /* borrowed; NULL: nothing recorded */
    bool archive; /* PDF/A-2b */

    char *scratch; /* NUL-terminated copies of lines */
    size_t scratchcap;
    /* The landscape pages ended (csp_layout_end_landscape): the engine's
     * next page is portrait. */
    bool portrait_next;

    double keep_next;   /* csp_layout_keep_with_next: 0 none */
    char *header_name;  /* owned; csp_layout_header_name: NULL none */
    /* Footnotes (footnote.c): the current page's, set at its foot when
     * the page is left; the height they keep there; the last number. */
    csp_pdf_note *notes;
    size_t nnotes;
    /* csp_pdf_notes_flush, set with the first note: the page code calls
     * it through here, as footnote.c itself starts pages. */
    void (*notes_flush)(csp_layout *L);
    double foot;
    unsigned note_number;
    bool italic_tried; /* the italic face is loaded when a title is set */
};

/* Does @p path name a readable TrueType (.ttf) file? */
bool csp_pdf_ttf_ok(const char *path);

/* The file of DejaVu Sans in @p face (regular, bold or italic) that
 * fontconfig's configuration @p cfg finds (malloc'd); NULL when there is
 * none, or (*nomem set) when memory ran out copying its path. */
char *csp_pdf_font_find(FcConfig *cfg, csp_face face, bool *nomem);

/* The longest document information entry or bookmark title, in bytes. */
#define INFO_MAX 2000

/* Record the first failure (later ones are dropped). */
void csp_pdf_fail(csp_layout *L, csp_error err, const char *fmt, ...)
    CSP_PRINTF(3, 4);

/* Cut clean text to at most max bytes on a character boundary, with an
 * ellipsis: libharu refuses strings over 65535 bytes, and no viewer
 * shows a bookmark or a title that long. */
void csp_pdf_clip(char *c, size_t max);

/* Duplicate cleaned text (csp_utf8_clean), recording a failure; NULL
 * for NULL. */
char *csp_pdf_dup_clean(csp_layout *L, const char *s);

/* The current page, or NULL (after a failure, or before the first). */
HPDF_Page csp_pdf_current(const csp_layout *L);

/* Is the current page (the one revisited, else the last) landscape? */
bool csp_pdf_landscape(const csp_layout *L);

/* Is the flow at the top of a page? */
bool csp_pdf_at_top(const csp_layout *L);

/* Put @p page into the page list at @p at (the contents page goes in
 * after the pages it lists); false, with the failure recorded, when
 * memory ran out. */
bool csp_pdf_page_insert(csp_layout *L, size_t at, HPDF_Page page,
                         csp_page_kind kind, const char *section);

/* Set the current page's footnotes at its foot and forget them (the
 * page is being left, or the document finished). */
void csp_pdf_notes_flush(csp_layout *L);


/* Start a new page without recording a break in the document (the
 * engine's own breaks: a paragraph or a table running over). */
void csp_pdf_page_add(csp_layout *L, csp_page_kind kind);

/* Fill a rectangle on page @p p (nothing after a failure). */
void csp_pdf_rect_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour,
                     double x, double y, double w, double h);

/* Stroke a line on page @p p (nothing after a failure). */
void csp_pdf_line_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour,
                     double width, double x1, double y1, double x2, double y2);

/* Width of n bytes of s in a face at a size. */
double csp_pdf_width_n(const csp_layout *L, csp_face face, double size,
                       const char *s, size_t n);

/* Wrap cleaned text in a style to width; false (recorded) when memory
 * ran out. */
bool csp_pdf_wrap(csp_layout *L, const csp_text_style *st, const char *clean,
                  double width, csp_wrap *w);

/* Draw n bytes of clean text with the baseline at (x, y) on page p. */
void csp_pdf_draw_on(csp_layout *L, HPDF_Page p, const csp_text_style *st,
                     double x, double y, const char *s, size_t n);

/* The same on the current page. */
void csp_pdf_draw_n(csp_layout *L, const csp_text_style *st, double x, double y,
                    const char *s, size_t n);

/* The baseline of a line whose box (leading tall) starts at top. */
double csp_pdf_baseline(const csp_text_style *st, double top);

/* Outline and contents entry for clean text at the flow position of the
 * current page, the top of the line at top. */
void csp_pdf_mark_here(csp_layout *L, unsigned level, const char *clean,
                       csp_toc toc, double top);

/* Record a bookmark made without a drawn heading as a heading of the
 * document (none for the cover's). */
void csp_pdf_record_mark(csp_layout *L, unsigned level, const char *clean,
                         csp_toc toc);

/* The height a heading takes at the flow position: space before (none at
 * the top of a page), its lines, its rule and the space after. */
double csp_pdf_heading_height(csp_layout *L, unsigned level, const char *text);

#endif
