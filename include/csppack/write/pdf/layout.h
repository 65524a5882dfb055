/*
 * Page layout for csppack's PDF documents, on libharu.
 *
 * libharu draws text at a point and nothing more: it has no paragraphs,
 * no tables and no page flow.  This engine adds them: an embedded Unicode
 * TrueType font found through fontconfig, a type scale, paragraphs
 * wrapped at spaces (wrap.h), bulleted and nested lists, status marks
 * drawn as vector shapes, a contents page, bookmarks, a running header
 * and a "Page N of M" footer.  Tables (table.h) and charts (chart.h) are
 * drawn on the same document.  layout.c holds the document, its pages,
 * shapes and the finishing; text.c the text, lists and headings.
 *
 *     csp_layout *L = NULL;
 *     csp_why why;
 *     err = csp_layout_new(&setup, &L, &why);
 *     csp_layout_page(L, CSP_PAGE_BODY);
 *     csp_layout_heading(L, 0, "Introduction", NULL, CSP_TOC_YES);
 *     csp_layout_paragraph(L, "The partnership ...");
 *     ...
 *     err = csp_layout_finish(L, stdout, &why);
 *     csp_layout_free(L);
 *
 * Errors are sticky, as libharu's and cairo's are: after the first
 * failure every drawing call does nothing, and csp_layout_finish (or
 * csp_layout_error) reports it.  So a writer can lay out a whole document
 * and check once.
 *
 * Output is reproducible: the same calls give the same bytes (the ID is
 * a digest of the file, and the creation date is the caller's).
 */
#ifndef CSPPACK_LAYOUT_H
#define CSPPACK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/model/date.h"
#include "csppack/write/pdf/wrap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Documents -------------------------------------------------------- */

/** A document being laid out. */
typedef struct csp_layout csp_layout;

/** Where the fonts come from and what the document says about itself. */
typedef struct csp_layout_setup {
    /** TrueType files; NULL: fontconfig's "DejaVu Sans" (regular, bold),
     *  else /usr/share/fonts/truetype/dejavu/DejaVuSans[-Bold].ttf. */
    const char *font_regular;
    const char *font_bold;
    /** Document information (UTF-8; any may be NULL). */
    const char *title;
    const char *author;
    const char *subject;
    const char *keywords;
    const char *creator;
    csp_instant created; /**< creation and modification date */
    /** The running header's left text (usually the document title). */
    const char *running_title;
    /** The footer's left text (usually the publisher); may be NULL. */
    const char *footer_left;
    /** A protective marking ("OFFICIAL-SENSITIVE") centred in the header
     *  and the footer of every page, the cover's too; NULL: none. */
    const char *marking;
    /** Accent of the running header, headings and tables. */
    csp_rgb accent;
    /** Where to record the content laid out in the flow (headings,
     *  paragraphs, lists, tables, charts), for the HTML version; NULL:
     *  nothing is recorded.  Borrowed: the caller frees it. */
    csp_doc *doc;
    /** Write PDF/A-2b (an sRGB output intent, pdfaid in the XMP) for
     *  archiving; every document gets /Lang, the XMP metadata and a
     *  content-derived ID either way (pdfobj.h). */
    bool archive;
} csp_layout_setup;

/** The default locations of the fallback fonts. */
#define CSP_FONT_FALLBACK_REGULAR                                              \
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define CSP_FONT_FALLBACK_BOLD                                                 \
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

/**
 * Start a document (no page yet).  On failure *out is NULL and @p why
 * (may be NULL) says what went wrong, e.g. no usable font.
 * Caller frees with csp_layout_free.
 */
csp_error csp_layout_new(const csp_layout_setup *setup, csp_layout **out,
                         csp_why *why) CSP_MUST_CHECK;

/** Free a document (NULL is fine). */
void csp_layout_free(csp_layout *L);

/** The first failure so far (CSP_OK when none). */
csp_error csp_layout_error(const csp_layout *L);

/** The document the layout records into (setup.doc), for content a
 *  report places by hand; NULL when nothing is recorded.  csp_doc's
 *  calls do nothing on NULL. */
csp_doc *csp_layout_doc(const csp_layout *L);

/**
 * Draw the contents, the running headers and footers, and write the PDF
 * to @p out.  CSP_ERR_IO when writing failed; any earlier failure is
 * returned as it was.  Call once.
 */
csp_error csp_layout_finish(csp_layout *L, FILE *out,
                            csp_why *why) CSP_MUST_CHECK;

/* ---- Pages and the flow ---------------------------------------------- */

/** What a new page carries. */
typedef enum csp_page_kind {
    CSP_PAGE_BODY, /**< running header and footer */
    CSP_PAGE_COVER, /**< footer only; the caller draws the rest */
    /** running header and footer, on an A4 page turned on its side
     *  (841.89 x 595.28 pt), for a wide table; the pages the flow runs
     *  onto from it are landscape too, until csp_layout_end_landscape */
    CSP_PAGE_LANDSCAPE
} csp_page_kind;

/** Start a new page; the flow continues at its top. */
void csp_layout_page(csp_layout *L, csp_page_kind kind);

/**
 * End the landscape pages: when the current page is landscape, nothing
 * more flows onto it, and the next page (the flow's or a
 * csp_layout_page(L, CSP_PAGE_BODY)) is portrait.  Nothing on a portrait
 * page.
 */
void csp_layout_end_landscape(csp_layout *L);

/** Whether the current page is landscape. */
bool csp_layout_landscape(const csp_layout *L);

/** Page geometry of the current page, in points (origin bottom left). */
double csp_layout_page_width(const csp_layout *L);
double csp_layout_page_height(const csp_layout *L);
double csp_layout_left(const csp_layout *L);   /**< left margin */
double csp_layout_width(const csp_layout *L);  /**< text width */
double csp_layout_top(const csp_layout *L);    /**< top of the flow */
double csp_layout_bottom(const csp_layout *L); /**< bottom of the flow */

/** The flow's position on the current page (y of the next line's top). */
double csp_layout_y(const csp_layout *L);
void csp_layout_set_y(csp_layout *L, double y);

/** Room left on the current page. */
double csp_layout_room(const csp_layout *L);

/** Start a new body page unless @p height fits on this one. */
void csp_layout_need(csp_layout *L, double height);

/** Below this share of its flow used, a page is short: a report moves a
 *  block whole to the next page (a short list, a short sub-section) only
 *  when that leaves the page at least this full, and lets a new chapter
 *  follow on a short page (doc/report.md, "Pagination").  A little over
 *  a half, as a typesetter's "about half full" is measured by the last
 *  line's foot, not by the flow's. */
#define CSP_LAYOUT_MIN_FILL 0.55

/** The share (0 to 1) of the current page's flow used so far. */
double csp_layout_fill(const csp_layout *L);

/**
 * Keep the end of the next paragraph or list item with @p height points
 * of what follows it (a short list it introduces): when they do not fit
 * together, its last two lines go over with them (a paragraph of three
 * lines or fewer goes whole).  Used once, by the next one.
 */
void csp_layout_keep_with_next(csp_layout *L, double height);

/** Move down @p height (never past the page's bottom). */
void csp_layout_skip(csp_layout *L, double height);

/** The number of pages so far (the current page is the last). */
size_t csp_layout_page_count(const csp_layout *L);

/**
 * Draw on the earlier page @p index (0 first) again, with the flow at
 * @p y, for a page whose text depends on what comes after it (a
 * summary that names page numbers).  Only drawing at positions
 * (csp_layout_text_box, marks, lines) belongs there: nothing that may
 * start a page.  csp_layout_page returns to the last page.
 */
void csp_layout_revisit(csp_layout *L, size_t index, double y);

/**
 * The number page @p index (0 first) will carry in the finished
 * document: the contents may run over pages inserted after its own
 * (csp_layout_contents_here), which the numbers of the pages after it
 * count.  Exact once every contents entry is made.
 */
size_t csp_layout_page_number(csp_layout *L, size_t index);

/* ---- Text -------------------------------------------------------------- */

/** A face of the font. */
typedef enum csp_face {
    CSP_FACE_REGULAR,
    CSP_FACE_BOLD,
    CSP_FACE_ITALIC /**< titles; loaded when first set (footnote.c) */
} csp_face;

/** How a run of text looks. */
typedef struct csp_text_style {
    csp_face face;
    double size;    /**< points */
    double leading; /**< baseline to baseline */
    csp_rgb colour;
} csp_text_style;

/** The smallest type set anywhere (points): print stays readable.
 *  Every style below, and every size a report derives from one, is at
 *  least this; body and table text are at least CSP_TYPE_BODY_MIN. */
#define CSP_TYPE_MIN 8.0
#define CSP_TYPE_BODY_MIN 9.0

/** The type scale, in one place (doc/report.md, "Type").  Body text is
 *  9.5/13.5pt, table text 9/12pt, small print 8pt in a dark grey. */
extern const csp_text_style csp_style_body;
extern const csp_text_style csp_style_small; /**< notes, captions */
extern const csp_text_style csp_style_table; /**< table cells */
extern const csp_text_style csp_style_label; /**< chart axes, legends,
                                                  status keys */
extern const csp_text_style csp_style_furniture; /**< running header,
                                                      footer */

/** Width of @p s (UTF-8) in @p face at @p size. */
double csp_layout_text_width(const csp_layout *L, csp_face face, double size,
                             const char *s);

/**
 * Draw one line of text with its baseline at (x, y) on the current page.
 * Nothing is wrapped; @p s is cleaned first.
 */
void csp_layout_text_at(csp_layout *L, const csp_text_style *st, double x,
                        double y, const char *s);

/** @p s (clean text) cut to fit @p width with an ellipsis, in malloc'd
 *  memory (a copy when it fits); NULL when memory ran out. */
char *csp_layout_fit_text(csp_layout *L, const csp_text_style *st,
                          const char *s, double width);

/** The same, right-aligned so that it ends at @p x_right. */
void csp_layout_text_right(csp_layout *L, const csp_text_style *st,
                           double x_right, double y, const char *s);

/**
 * Draw @p text wrapped to @p width with the top of its first line at
 * (x, y_top) on the current page, outside the flow (for covers, banners,
 * blocks side by side).  Returns the height used.
 */
double csp_layout_text_box(csp_layout *L, const csp_text_style *st, double x,
                           double y_top, double width, const char *text);

/** The height csp_layout_text_box would use, drawing nothing. */
double csp_layout_text_height(csp_layout *L, const csp_text_style *st,
                              double width, const char *text);

/**
 * Lay out @p text wrapped to the width between the left margin +
 * @p indent and the right margin, in the flow, breaking across pages
 * between lines.  A paragraph of four lines or more never leaves a single
 * line alone at the foot or the head of a page.  Moves the flow to just
 * below the last line.  Returns the height used on the last page.
 */
double csp_layout_text_block(csp_layout *L, const csp_text_style *st,
                             double indent, const char *text);

/** A body paragraph followed by the paragraph space. */
void csp_layout_paragraph(csp_layout *L, const char *text);

/**
 * A list item at nesting @p level (0 outermost): its bullet, then the
 * text with a hanging indent.  Lists at deeper levels are indented
 * further and use "–" and "◦".
 */
void csp_layout_bullet(csp_layout *L, unsigned level, const char *text);

/**
 * An item of a numbered list at nesting @p level: "1." where the bullet
 * would be, hanging like it, then the text as csp_layout_bullet sets it
 * (csp_layout_bullet_height measures it).  Recorded with its number.
 */
void csp_layout_numbered(csp_layout *L, unsigned level, unsigned number,
                         const char *text);

/**
 * A body paragraph with titles and footnotes (template <cite>, <fn>):
 * the titles (@p cites, byte spans of @p text) in italics; each note's
 * mark, numbered through the document, set as a superscript right after
 * text[notes[i].at - 1]; the notes, smaller, at the foot of the same
 * page under a short rule (the paragraph moves to the next page whole
 * when it and its notes do not fit).  The notes' numbers are ignored
 * and assigned.  Recorded with its notes (csp_doc_para_marked).
 */
void csp_layout_paragraph_notes(csp_layout *L, const char *text,
                                const csp_doc_span *cites, size_t ncites,
                                const csp_doc_note *notes, size_t nnotes);

/** The heights csp_layout_paragraph and csp_layout_bullet would use
 *  (spacing after included), for keeping blocks together. */
double csp_layout_paragraph_height(csp_layout *L, const char *text);
double csp_layout_bullet_height(csp_layout *L, unsigned level,
                                const char *text);

/* ---- Headings, bookmarks and the contents ----------------------------- */

/** Whether a heading is listed in the contents (bookmarks list all). */
typedef enum csp_toc { CSP_TOC_NO, CSP_TOC_YES } csp_toc;

/**
 * A heading in the flow: level 0 (a section, 18pt), 1 (13pt) or 2
 * (10.5pt), in @p colour (NULL: the accent).  It is kept with the two
 * lines that follow it, and gets a bookmark nested under the last
 * heading of the level above.  Level 0 also names the section in the
 * running header of this page and the next ones.
 */
void csp_layout_heading(csp_layout *L, unsigned level, const char *text,
                        const csp_rgb *colour, csp_toc toc);

/** The height csp_layout_heading would use at the flow position. */
double csp_layout_heading_height(csp_layout *L, unsigned level,
                                 const char *text);

/**
 * Bookmark (and, with CSP_TOC_YES, contents entry) at the current flow
 * position without drawing a heading.
 */
void csp_layout_mark(csp_layout *L, unsigned level, const char *text,
                     csp_toc toc);

/** Set the running header's section name from this page on. */
void csp_layout_set_section(csp_layout *L, const char *name);

/**
 * The next level-0 heading or bookmark names its pages in the running
 * header as @p name (a template's short title) instead of by its own
 * text; NULL: by its text.  Used once, by the next one.
 */
void csp_layout_header_name(csp_layout *L, const char *name);

/**
 * Reserve the rest of the current page, from the flow position down, for
 * the contents: csp_layout_finish writes it there with dotted leaders
 * and page numbers, adding pages after this one when it is too long.
 * Then a new body page starts.  Call at most once.
 */
void csp_layout_contents_here(csp_layout *L);

/* ---- Status marks ----------------------------------------------------- */

/* csp_mark is write/doc.h's: the HTML writer draws the same shapes. */

/** Draw @p mark in @p colour centred at (cx, cy), @p size points across. */
void csp_layout_draw_mark(csp_layout *L, csp_mark mark, const csp_rgb *colour,
                          double cx, double cy, double size);

/** Fill a rectangle (x, y bottom left) on the current page. */
void csp_layout_fill_rect(csp_layout *L, const csp_rgb *colour, double x,
                          double y, double w, double h);

/** Stroke a line on the current page. */
void csp_layout_line(csp_layout *L, const csp_rgb *colour, double width,
                     double x1, double y1, double x2, double y2);

#ifdef __cplusplus
}
#endif
#endif
