/* csppack: page layout on libharu (paragraphs, lists, tables, charts). */
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

/* ---- UTF-8 ------------------------------------------------------------ */

/* A copy that is safe to draw. */
char *csp_utf8_clean(const char *s, size_t n)
{
    static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
    /* Each input byte becomes at most 3 output bytes. */
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = csp_malloc(n * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c == '\n') {
            out[o++] = '\n';
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            out[o++] = ' ';
            i++;
            continue;
        }
        size_t len = csp_utf8_seq_len(s + i, n - i);
        if (len == 0) {
            memcpy(out + o, repl, 3);
            o += 3;
            i++;
            continue;
        }
        if (len == 4) {
            /* libharu draws characters beyond the BMP as spaces. */
            memcpy(out + o, repl, 3);
            o += 3;
        } else if (len == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
            out[o++] = ' '; /* C1 controls */
        } else if (len == 2 && c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            /* A no-break space stays (it does not break lines). */
            memcpy(out + o, s + i, len);
            o += len;
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
    }
    out[o] = '\0';
    return out;
}

/* ---- Wrapping --------------------------------------------------------- */

/* Append a line. */
static csp_error wrap_push(csp_wrap *w, size_t start, size_t len)
{
    if (w->count == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 16;
        csp_wrap_line *p = csp_realloc(w->lines, nc * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        w->lines = p;
        w->cap = nc;
    }
    w->lines[w->count].start = start;
    w->lines[w->count].len = len;
    w->count++;
    return CSP_OK;
}

/*
 * How many bytes of the word s[0..n) fit in width (at least one whole
 * character), and their width in *used: prefer to end just after a '-'
 * or '/' in the part that fits (not after its first character).  Widths
 * add up character by character (no kerning), so this is one pass over
 * the part that fits, however long the word.
 */
static size_t word_prefix(const char *s, size_t n, double width,
                          csp_measure_fn measure, void *ctx, double *used)
{
    size_t fit = 0;
    double w = 0;
    while (fit < n) {
        size_t len = csp_utf8_seq_len(s + fit, n - fit);
        if (len == 0)
            len = 1; /* not reached with clean text */
        double cw = measure(s + fit, len, ctx);
        if (w + cw > width)
            break;
        w += cw;
        fit += len;
    }
    if (fit == 0) {
        size_t len = csp_utf8_seq_len(s, n);
        fit = len ? len : 1;
        *used = measure(s, fit, ctx);
        return fit;
    }
    if (fit < n) {
        for (size_t i = fit; i >= 2; i--)
            if (s[i - 1] == '-' || s[i - 1] == '/') {
                *used = measure(s, i, ctx);
                return i;
            }
    }
    *used = w;
    return fit;
}

/* Wrap one hard line text[a..b) into w. */
static csp_error wrap_hard_line(const char *text, size_t a, size_t b,
                                double width, csp_measure_fn measure, void *ctx,
                                csp_wrap *w)
{
    double space = measure(" ", 1, ctx);
    size_t i = a;
    bool open = false;     /* a line is being filled */
    size_t ls = 0, le = 0; /* its byte range */
    double lw = 0;
    bool any = false;
    while (i < b) {
        /* Skip spaces, remembering how many stood before the word. */
        size_t gap_start = i;
        while (i < b && text[i] == ' ')
            i++;
        if (i >= b)
            break;
        size_t ws = i;
        while (i < b && text[i] != ' ')
            i++;
        size_t wl = i - ws;
        double ww = measure(text + ws, wl, ctx);
        double gw = open ? space * (double)(ws - gap_start) : 0;
        if (open && lw + gw + ww <= width) {
            le = ws + wl;
            lw += gw + ww;
            continue;
        }
        if (open) {
            csp_error err = wrap_push(w, ls, le - ls);
            if (err)
                return err;
            any = true;
            open = false;
        }
        /* The word starts a line; break it while it is too wide.  What
         * is left is measured again exactly once it is near a line. */
        size_t p = ws, rest = wl;
        double rest_w = ww;
        while (rest > 0 && rest_w > width) {
            double kw;
            size_t k = word_prefix(text + p, rest, width, measure, ctx, &kw);
            csp_error err = wrap_push(w, p, k);
            if (err)
                return err;
            any = true;
            p += k;
            rest -= k;
            rest_w -= kw;
            if (rest_w <= 2 * width)
                rest_w = measure(text + p, rest, ctx);
        }
        if (rest > 0) {
            open = true;
            ls = p;
            le = p + rest;
            lw = measure(text + p, rest, ctx);
        }
    }
    if (open || !any)
        return wrap_push(w, open ? ls : a, open ? le - ls : 0);
    return CSP_OK;
}

/* Break text into lines. */
csp_error csp_wrap_text(const char *text, double width, csp_measure_fn measure,
                        void *ctx, csp_wrap *out)
{
    out->count = 0;
    size_t n = strlen(text);
    size_t a = 0;
    for (;;) {
        const char *nl = memchr(text + a, '\n', n - a);
        size_t b = nl ? (size_t)(nl - text) : n;
        csp_error err = wrap_hard_line(text, a, b, width, measure, ctx, out);
        if (err)
            return err;
        if (!nl)
            break;
        a = b + 1;
    }
    return CSP_OK;
}

/* Free the lines. */
void csp_wrap_free(csp_wrap *w)
{
    if (!w)
        return;
    free(w->lines);
    w->lines = NULL;
    w->count = w->cap = 0;
}

/* ---- Colours ---------------------------------------------------------- */

/* One hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parse "#RRGGBB". */
bool csp_rgb_parse(const char *hex, csp_rgb *out)
{
    if (!hex || hex[0] != '#' || strlen(hex) != 7)
        return false;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(hex[i + 1])) < 0)
            return false;
    out->r = (float)(v[0] * 16 + v[1]) / 255.0f;
    out->g = (float)(v[2] * 16 + v[3]) / 255.0f;
    out->b = (float)(v[4] * 16 + v[5]) / 255.0f;
    return true;
}

/* Mix with white. */
csp_rgb csp_rgb_tint(csp_rgb c, float t)
{
    csp_rgb o = {c.r + (1 - c.r) * t, c.g + (1 - c.g) * t, c.b + (1 - c.b) * t};
    return o;
}

/* ---- The document ----------------------------------------------------- */

#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 51.0
#define FLOW_TOP (PAGE_H - 64.0)
#define FLOW_BOTTOM 60.0
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

const csp_text_style csp_style_body = {
    CSP_FACE_REGULAR, 9.5, 13.5, {0.13f, 0.13f, 0.13f}};
const csp_text_style csp_style_small = {
    CSP_FACE_REGULAR, 7.5, 10.0, {0.40f, 0.40f, 0.40f}};
const csp_text_style csp_style_table = {
    CSP_FACE_REGULAR, 8.0, 10.5, {0.13f, 0.13f, 0.13f}};

/* A page and what its header says. */
typedef struct page_rec {
    HPDF_Page page;
    csp_page_kind kind;
    char *section; /* owned; NULL: none */
} page_rec;

/* A contents entry. */
typedef struct toc_entry {
    unsigned level;
    char *text;  /* owned, clean */
    size_t page; /* index into pages */
} toc_entry;

struct csp_layout {
    HPDF_Doc pdf;
    HPDF_Font font[2];
    HPDF_Encoder utf8;
    csp_error err;
    char why[CSP_LAYOUT_WHY_BUFSZ];

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
    csp_rgb accent;

    char *scratch; /* NUL-terminated copies of lines */
    size_t scratchcap;
};

/* Record the first failure. */
static void fail(csp_layout *L, csp_error err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail(csp_layout *L, csp_error err, const char *fmt, ...)
{
    if (L->err)
        return;
    L->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->why, sizeof L->why, fmt, ap);
    va_end(ap);
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
        fail(L, CSP_ERR_NOMEM, "out of memory while making the PDF");
    else
        fail(L, CSP_ERR_INTERNAL, "libharu error 0x%04X (detail %u)",
             (unsigned)status, (unsigned)detail);
}

/* Does path name a readable TrueType file? */
static bool ttf_ok(const char *path)
{
    if (!path)
        return false;
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".ttf") == 0 &&
           access(path, R_OK) == 0;
}

/*
 * Find "DejaVu Sans" (bold or not) through fontconfig.  fontconfig always
 * answers with its best match, which may be another family or a format
 * libharu cannot embed: accept only DejaVu Sans in a .ttf file.  The
 * result is malloc'd; NULL when there is none, or (*nomem set) when
 * memory ran out copying its path.
 */
static char *fc_find(bool bold, bool *nomem)
{
    char *found = NULL;
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    if (!cfg)
        return NULL;
    FcPattern *pat = FcPatternCreate();
    if (!pat) {
        FcConfigDestroy(cfg);
        return NULL;
    }
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"DejaVu Sans");
    FcPatternAddInteger(pat, FC_WEIGHT,
                        bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(cfg, pat, &res);
    if (m && res == FcResultMatch) {
        FcChar8 *family = NULL, *file = NULL;
        int weight = 0;
        if (FcPatternGetString(m, FC_FAMILY, 0, &family) == FcResultMatch &&
            FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
            FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
            strcasecmp((const char *)family, "DejaVu Sans") == 0 &&
            (bold ? weight >= FC_WEIGHT_BOLD : weight < FC_WEIGHT_DEMIBOLD) &&
            ttf_ok((const char *)file) &&
            !(found = csp_strdup((const char *)file)))
            *nomem = true;
    }
    if (m)
        FcPatternDestroy(m);
    FcPatternDestroy(pat);
    FcConfigDestroy(cfg);
    return found;
}

/* Load one face. */
static bool load_face(csp_layout *L, csp_face face, const char *given)
{
    bool bold = face == CSP_FACE_BOLD;
    bool nomem = false;
    char *path = given ? csp_strdup(given) : fc_find(bold, &nomem);
    if (!path && !given && !nomem) {
        const char *fb =
            bold ? CSP_FONT_FALLBACK_BOLD : CSP_FONT_FALLBACK_REGULAR;
        if (ttf_ok(fb) && !(path = csp_strdup(fb)))
            nomem = true;
    }
    if (!path) {
        nomem = nomem || given;
        fail(L, nomem ? CSP_ERR_NOMEM : CSP_ERR_IO,
             nomem ? "out of memory"
                   : "no DejaVu Sans %s font found (install the Debian "
                     "package fonts-dejavu-core)",
             bold ? "Bold" : "");
        return false;
    }
    if (!ttf_ok(path)) {
        fail(L, CSP_ERR_IO, "the font %s cannot be read as a TrueType file",
             path);
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
        fail(L, CSP_ERR_IO, "the font %s cannot be loaded", path);
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
static void clip(char *c, size_t max)
{
    size_t n = strlen(c);
    if (n <= max)
        return;
    n = csp_utf8_floor(c, max - 3);
    memcpy(c + n, "\xE2\x80\xA6", 4);
}

#define INFO_MAX 2000

/* Set one information entry (cleaned). */
static void set_info(csp_layout *L, HPDF_InfoType type, const char *value)
{
    if (!value || L->err)
        return;
    char *c = csp_utf8_clean(value, strlen(value));
    if (!c) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    clip(c, INFO_MAX);
    HPDF_SetInfoAttr(L->pdf, type, c);
    free(c);
}

/* Duplicate cleaned text, recording a failure. */
static char *dup_clean(csp_layout *L, const char *s)
{
    if (!s)
        return NULL;
    char *c = csp_utf8_clean(s, strlen(s));
    if (!c)
        fail(L, CSP_ERR_NOMEM, "out of memory");
    return c;
}

/* Start a document. */
csp_error csp_layout_new(const csp_layout_setup *setup, csp_layout **out,
                         char *why, size_t whylen)
{
    *out = NULL;
    csp_layout *L = csp_calloc(1, sizeof *L);
    if (!L) {
        if (why && whylen)
            snprintf(why, whylen, "out of memory");
        return CSP_ERR_NOMEM;
    }
    L->accent = setup->accent;
    L->pdf = HPDF_New(hpdf_error, L);
    if (!L->pdf) {
        fail(L, CSP_ERR_NOMEM, "libharu could not start a document");
        goto out;
    }
    HPDF_SetCompressionMode(L->pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(L->pdf);
    HPDF_SetCurrentEncoder(L->pdf, "UTF-8");
    L->utf8 = HPDF_GetEncoder(L->pdf, "UTF-8");
    if (L->err)
        goto out;
    if (!load_face(L, CSP_FACE_REGULAR, setup->font_regular) ||
        !load_face(L, CSP_FACE_BOLD, setup->font_bold))
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
    L->running_title = dup_clean(L, setup->running_title);
    L->footer_left = dup_clean(L, setup->footer_left);
out:
    if (L->err) {
        if (why && whylen)
            snprintf(why, whylen, "%s", L->why);
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
    free(L->scratch);
    free(L);
}

/* The first failure. */
csp_error csp_layout_error(const csp_layout *L)
{
    return L->err;
}

/* The current page, or NULL (after a failure, or before the first). */
static HPDF_Page cur(const csp_layout *L)
{
    if (L->err || L->npages == 0)
        return NULL;
    return L->pages[L->npages - 1].page;
}

/* Geometry. */
double csp_layout_page_width(const csp_layout *L)
{
    (void)L;
    return PAGE_W;
}
double csp_layout_page_height(const csp_layout *L)
{
    (void)L;
    return PAGE_H;
}
double csp_layout_left(const csp_layout *L)
{
    (void)L;
    return MARGIN_X;
}
double csp_layout_width(const csp_layout *L)
{
    (void)L;
    return PAGE_W - 2 * MARGIN_X;
}
double csp_layout_top(const csp_layout *L)
{
    (void)L;
    return FLOW_TOP;
}
double csp_layout_bottom(const csp_layout *L)
{
    (void)L;
    return FLOW_BOTTOM;
}
double csp_layout_y(const csp_layout *L)
{
    return L->y;
}
void csp_layout_set_y(csp_layout *L, double y)
{
    L->y = y;
}
double csp_layout_room(const csp_layout *L)
{
    return L->y - FLOW_BOTTOM;
}
size_t csp_layout_page_count(const csp_layout *L)
{
    return L->npages;
}

/* Is the flow at the top of a page? */
static bool at_top(const csp_layout *L)
{
    return L->npages == 0 || L->y >= FLOW_TOP - EPS;
}

/* Insert a page record at index at (the page object is given). */
static bool page_insert(csp_layout *L, size_t at, HPDF_Page page,
                        csp_page_kind kind, const char *section)
{
    if (L->npages == L->cappages) {
        size_t nc = L->cappages ? L->cappages * 2 : 32;
        page_rec *p = csp_realloc(L->pages, nc * sizeof *p);
        if (!p) {
            fail(L, CSP_ERR_NOMEM, "out of memory");
            return false;
        }
        L->pages = p;
        L->cappages = nc;
    }
    char *sec = NULL;
    if (section && !(sec = csp_strdup(section))) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
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

/* Start a new page. */
void csp_layout_page(csp_layout *L, csp_page_kind kind)
{
    if (L->err)
        return;
    HPDF_Page p = HPDF_AddPage(L->pdf);
    if (!p || L->err) {
        fail(L, CSP_ERR_INTERNAL, "libharu could not add a page");
        return;
    }
    HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    if (!page_insert(L, L->npages, p, kind, L->section))
        return;
    L->y = FLOW_TOP;
}

/* New page unless height fits. */
void csp_layout_need(csp_layout *L, double height)
{
    if (L->npages == 0 || (L->y - height < FLOW_BOTTOM - EPS && !at_top(L)))
        csp_layout_page(L, CSP_PAGE_BODY);
}

/* Move down. */
void csp_layout_skip(csp_layout *L, double height)
{
    L->y -= height;
    if (L->y < FLOW_BOTTOM)
        L->y = FLOW_BOTTOM;
}

/* ---- Text ------------------------------------------------------------- */

/* libharu refuses longer strings (HPDF_LIMIT_MAX_STRING_LEN is 65535):
 * longer texts are measured in pieces; nothing that long fits on a line,
 * so drawing never needs more. */
#define HPDF_CHUNK 32768

/* Width of n bytes at a size. */
static double width_n(const csp_layout *L, csp_face face, double size,
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

static double measure_cb(const char *s, size_t n, void *ctx)
{
    const measure_ctx *m = ctx;
    return width_n(m->L, m->face, m->size, s, n);
}

double csp_layout_text_width(const csp_layout *L, csp_face face, double size,
                             const char *s)
{
    return width_n(L, face, size, s, strlen(s));
}

/* Wrap cleaned text in a style. */
static bool wrap(csp_layout *L, const csp_text_style *st, const char *clean,
                 double width, csp_wrap *w)
{
    measure_ctx m = {L, st->face, st->size};
    if (width < 1)
        width = 1;
    if (csp_wrap_text(clean, width, measure_cb, &m, w) != CSP_OK) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
        return false;
    }
    return true;
}

/* Draw n bytes of clean text with the baseline at (x, y) on page p. */
static void draw_on(csp_layout *L, HPDF_Page p, const csp_text_style *st,
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
            fail(L, CSP_ERR_NOMEM, "out of memory");
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
static void draw_n(csp_layout *L, const csp_text_style *st, double x, double y,
                   const char *s, size_t n)
{
    draw_on(L, cur(L), st, x, y, s, n);
}

void csp_layout_text_at(csp_layout *L, const csp_text_style *st, double x,
                        double y, const char *s)
{
    char *c = dup_clean(L, s);
    if (c)
        draw_n(L, st, x, y, c, strlen(c));
    free(c);
}

void csp_layout_text_right(csp_layout *L, const csp_text_style *st,
                           double x_right, double y, const char *s)
{
    char *c = dup_clean(L, s);
    if (c) {
        size_t n = strlen(c);
        draw_n(L, st, x_right - width_n(L, st->face, st->size, c, n), y, c, n);
    }
    free(c);
}

/* The baseline of a line whose box (leading tall) starts at top. */
static double baseline(const csp_text_style *st, double top)
{
    return top - st->leading / 2 - st->size * 0.35;
}

/* Outline and contents entry at the flow position of the current page. */
static void mark_here(csp_layout *L, unsigned level, const char *clean,
                      csp_toc toc, double top);

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
    char *c = dup_clean(L, text);
    if (!c)
        return 0;
    csp_wrap w = {0};
    double used = 0;
    if (!wrap(L, st, c, PAGE_W - 2 * MARGIN_X - indent, &w))
        goto out;
    size_t n = w.count, i = 0;
    size_t per_page = (size_t)((FLOW_TOP - FLOW_BOTTOM) / st->leading);
    if (per_page < 1)
        per_page = 1;
    if (L->npages == 0)
        csp_layout_page(L, CSP_PAGE_BODY);
    while (i < n && !L->err) {
        size_t left = n - i;
        size_t fit = (size_t)((L->y - FLOW_BOTTOM + EPS) / st->leading);
        size_t k = left <= fit ? left : fit;
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
            if (at_top(L))
                k = left < per_page ? left : per_page; /* cannot do better */
            else {
                csp_layout_page(L, CSP_PAGE_BODY);
                continue;
            }
        }
        if (i == 0 && mark_level >= 0)
            mark_here(L, (unsigned)mark_level, mark_text, toc, L->y);
        for (size_t j = 0; j < k; j++) {
            const csp_wrap_line *ln = &w.lines[i + j];
            double base = baseline(st, L->y);
            if (i + j == 0 && bullet)
                draw_n(L, st, MARGIN_X + bullet_x, base, bullet,
                       strlen(bullet));
            draw_n(L, st, MARGIN_X + indent, base, c + ln->start, ln->len);
            L->y -= st->leading;
        }
        used = (double)k * st->leading;
        i += k;
        if (i < n)
            csp_layout_page(L, CSP_PAGE_BODY);
    }
out:
    csp_wrap_free(&w);
    free(c);
    return used;
}

/* Wrapped text in a box; draw false only measures. */
static double box(csp_layout *L, const csp_text_style *st, double x,
                  double y_top, double width, const char *text, bool draw)
{
    if (L->err || !text)
        return 0;
    char *c = dup_clean(L, text);
    if (!c)
        return 0;
    csp_wrap w = {0};
    double h = 0;
    if (wrap(L, st, c, width, &w)) {
        for (size_t i = 0; i < w.count && draw; i++)
            draw_n(L, st, x, baseline(st, y_top - (double)i * st->leading),
                   c + w.lines[i].start, w.lines[i].len);
        h = (double)w.count * st->leading;
    }
    csp_wrap_free(&w);
    free(c);
    return h;
}

double csp_layout_text_box(csp_layout *L, const csp_text_style *st, double x,
                           double y_top, double width, const char *text)
{
    return box(L, st, x, y_top, width, text, true);
}

double csp_layout_text_height(csp_layout *L, const csp_text_style *st,
                              double width, const char *text)
{
    return box(L, st, 0, 0, width, text, false);
}

double csp_layout_text_block(csp_layout *L, const csp_text_style *st,
                             double indent, const char *text)
{
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

double csp_layout_paragraph_height(csp_layout *L, const char *text)
{
    if (!text || !*text)
        return 0;
    return csp_layout_text_height(L, &csp_style_body, PAGE_W - 2 * MARGIN_X,
                                  text) +
           PARA_AFTER;
}

double csp_layout_bullet_height(csp_layout *L, unsigned level, const char *text)
{
    if (level > 6)
        level = 6;
    return csp_layout_text_height(L, &csp_style_body,
                                  PAGE_W - 2 * MARGIN_X - bullet_indent(level),
                                  text ? text : "") +
           BULLET_AFTER;
}

void csp_layout_paragraph(csp_layout *L, const char *text)
{
    if (!text || !*text)
        return;
    flow_text(L, &csp_style_body, 0, text, NULL, 0, -1, CSP_TOC_NO, NULL);
    csp_layout_skip(L, PARA_AFTER);
}

void csp_layout_bullet(csp_layout *L, unsigned level, const char *text)
{
    static const char *const glyph[] = {"\xE2\x80\xA2", "\xE2\x80\x93",
                                        "\xE2\x97\xA6"};
    if (level > 6)
        level = 6;
    double bx = 4.0 + BULLET_STEP * level;
    flow_text(L, &csp_style_body, bullet_indent(level), text ? text : "",
              glyph[level % 3], bx, -1, CSP_TOC_NO, NULL);
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
            fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        L->toc = t;
        L->captoc = nc;
    }
    char *d = csp_strdup(clean);
    if (!d) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
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
        fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    free(L->section);
    L->section = d;
    /* The header names the section in force at the top of the page: a
     * section that starts lower down names the pages after. */
    if (L->npages && (at_top(L) || !L->pages[L->npages - 1].section)) {
        char *e = csp_strdup(clean);
        if (!e) {
            fail(L, CSP_ERR_NOMEM, "out of memory");
            return;
        }
        free(L->pages[L->npages - 1].section);
        L->pages[L->npages - 1].section = e;
    }
}

static void mark_here(csp_layout *L, unsigned level, const char *clean,
                      csp_toc toc, double top)
{
    HPDF_Page p = cur(L);
    if (!p || !clean)
        return;
    if (level > 2)
        level = 2;
    HPDF_Outline parent = NULL;
    for (unsigned l = level; l > 0 && !parent; l--)
        parent = L->outline[l - 1];
    char *title = csp_strdup(clean);
    if (!title) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    clip(title, INFO_MAX);
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
    if (level == 0)
        set_section(L, clean);
    if (toc == CSP_TOC_YES)
        toc_add(L, level, clean);
}

void csp_layout_mark(csp_layout *L, unsigned level, const char *text,
                     csp_toc toc)
{
    char *c = dup_clean(L, text);
    if (c) {
        if (L->npages == 0)
            csp_layout_page(L, CSP_PAGE_BODY);
        mark_here(L, level, c, toc, L->y);
    }
    free(c);
}

void csp_layout_set_section(csp_layout *L, const char *name)
{
    char *c = dup_clean(L, name);
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
static double heading_height(csp_layout *L, unsigned level, const char *text)
{
    csp_text_style st = heading_text_style(L, level, NULL);
    double h = csp_layout_text_height(L, &st, PAGE_W - 2 * MARGIN_X, text);
    return (at_top(L) ? 0 : heading_style[level].before) + h +
           (level == 0 ? 4 : 0) + heading_style[level].after;
}

double csp_layout_heading_height(csp_layout *L, unsigned level,
                                 const char *text)
{
    return text ? heading_height(L, level > 2 ? 2 : level, text) : 0;
}

void csp_layout_heading(csp_layout *L, unsigned level, const char *text,
                        const csp_rgb *colour, csp_toc toc)
{
    if (L->err || !text)
        return;
    if (level > 2)
        level = 2;
    csp_text_style st = heading_text_style(L, level, colour);
    char *c = dup_clean(L, text);
    if (!c)
        return;
    if (L->npages == 0)
        csp_layout_page(L, CSP_PAGE_BODY);
    /* Keep with the two lines that follow. */
    double keep = heading_height(L, level, c) + 2 * csp_style_body.leading;
    if (L->y - keep < FLOW_BOTTOM - EPS && !at_top(L))
        csp_layout_page(L, CSP_PAGE_BODY);
    L->y -= at_top(L) ? 0 : heading_style[level].before;
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

void csp_layout_contents_here(csp_layout *L)
{
    if (L->err || L->contents)
        return;
    if (L->npages == 0)
        csp_layout_page(L, CSP_PAGE_BODY);
    L->contents = true;
    L->contents_page = L->npages - 1;
    L->contents_top = L->y;
    csp_layout_page(L, CSP_PAGE_BODY);
}

/* ---- Shapes ----------------------------------------------------------- */

/* Fill a rectangle on page p. */
static void rect_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour, double x,
                    double y, double w, double h)
{
    if (!p || L->err)
        return;
    HPDF_Page_SetRGBFill(p, colour->r, colour->g, colour->b);
    HPDF_Page_Rectangle(p, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w,
                        (HPDF_REAL)h);
    HPDF_Page_Fill(p);
}

/* Stroke a line on page p. */
static void line_on(csp_layout *L, HPDF_Page p, const csp_rgb *colour,
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

void csp_layout_fill_rect(csp_layout *L, const csp_rgb *colour, double x,
                          double y, double w, double h)
{
    rect_on(L, cur(L), colour, x, y, w, h);
}

void csp_layout_line(csp_layout *L, const csp_rgb *colour, double width,
                     double x1, double y1, double x2, double y2)
{
    line_on(L, cur(L), colour, width, x1, y1, x2, y2);
}

void csp_layout_draw_mark(csp_layout *L, csp_mark mark, const csp_rgb *colour,
                          double cx, double cy, double size)
{
    HPDF_Page p = cur(L);
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
    case CSP_MARK_NONE:
        break;
    }
    HPDF_Page_GRestore(p);
}

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
    csp_table_col *cols;
    char **col_titles;
    size_t ncols;
    csp_rgb accent;
    trow *rows;
    size_t nrows, caprows;
    double *w;      /* column widths */
    csp_wrap *head; /* wrapped header titles */
    double head_h;
};

/* Free a row's storage. */
static void row_free(trow *r, size_t ncols)
{
    if (!r->cells)
        return;
    for (size_t c = 0; c < ncols; c++) {
        free(r->cells[c].text);
        free(r->cells[c].note);
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
    free(t->cols);
    free(t->w);
    free(t->title);
    free(t->ctitle);
    free(t->heading);
    free(t->intro);
    free(t->mark);
    free(t);
}

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
                  dup_clean(L, cols[c].title ? cols[c].title : "")))
            goto nomem;
        t->cols[c].title = t->col_titles[c];
    }
    if (title && !(t->title = dup_clean(L, title)))
        goto nomem;
    return t;
nomem:
    fail(L, CSP_ERR_NOMEM, "out of memory");
    table_free(t);
    return NULL;
}

void csp_table_heading(csp_table *t, unsigned level, const char *text,
                       const csp_rgb *colour, csp_toc toc)
{
    if (!t || t->L->err)
        return;
    free(t->heading);
    t->heading = dup_clean(t->L, text);
    t->heading_level = level > 2 ? 2 : level;
    t->has_heading_colour = colour != NULL;
    if (colour)
        t->heading_colour = *colour;
    t->heading_toc = toc;
}

void csp_table_intro(csp_table *t, const char *text)
{
    if (!t || t->L->err)
        return;
    free(t->intro);
    t->intro = dup_clean(t->L, text);
}

void csp_table_mark(csp_table *t, unsigned level, const char *text,
                    csp_toc toc)
{
    if (!t || t->L->err)
        return;
    free(t->mark);
    t->mark = dup_clean(t->L, text);
    t->mark_level = level;
    t->mark_toc = toc;
}

void csp_table_continued_title(csp_table *t, const char *title)
{
    if (!t || t->L->err)
        return;
    free(t->ctitle);
    t->ctitle = dup_clean(t->L, title);
}

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
            fail(L, CSP_ERR_NOMEM, "out of memory");
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
        fail(L, CSP_ERR_NOMEM, "out of memory");
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
        if (in->text && !(tc->text = dup_clean(L, in->text)))
            return;
        if (in->note && !(tc->note = dup_clean(L, in->note)))
            return;
    }
}

/* Widest "\n"-separated line of s (unwrapped). */
static double widest_line(const csp_layout *L, csp_face face, double size,
                          const char *s)
{
    double best = 0;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        double w = width_n(L, face, size, s, n);
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
        double w = width_n(L, face, size, s, n);
        if (w > best)
            best = w;
        s += n;
    }
    return best;
}

/* The narrowest a column can be without breaking a word: its widest
 * header word, cell word or note word. */
static double min_width(const csp_table *t, size_t c)
{
    const csp_layout *L = t->L;
    double w =
        widest_word(L, CSP_FACE_BOLD, csp_style_table.size, t->cols[c].title);
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
        double w = widest_word(L, CSP_FACE_BOLD, csp_style_table.size,
                               t->cols[c].title);
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
        fail(L, CSP_ERR_NOMEM, "out of memory");
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
}

/* Wrap one cell into placed lines. */
static void cell_layout(csp_layout *L, tcell *tc, double width)
{
    csp_text_style st = csp_style_table;
    st.face = tc->face;
    csp_wrap wt = {0}, wn = {0};
    double tw = width - 2 * CELL_PAD_X - (tc->mark ? MARK_ROOM : 0);
    double nw = width - 2 * CELL_PAD_X;
    if (tc->text && !wrap(L, &st, tc->text, tw, &wt))
        goto out;
    if (tc->note && !wrap(L, &csp_style_small, tc->note, nw, &wn))
        goto out;
    size_t n = wt.count + wn.count;
    tc->lines = csp_calloc(n ? n : 1, sizeof *tc->lines);
    if (!tc->lines) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
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

static double title_h(const csp_table *t, bool continued)
{
    return title_of(t, continued) ? 21.0 : 0;
}

static void draw_title(csp_table *t, bool continued)
{
    csp_layout *L = t->L;
    const char *title = title_of(t, continued);
    if (!title)
        return;
    csp_text_style st = {CSP_FACE_BOLD, 10.0, 14.0, t->accent};
    double base = L->y - 12.0;
    draw_n(L, &st, MARGIN_X, base, title, strlen(title));
    if (continued) {
        csp_text_style cs = csp_style_small;
        double x =
            MARGIN_X + width_n(L, st.face, st.size, title, strlen(title)) + 5;
        draw_n(L, &cs, x, base, "(continued)", 11);
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
            double lw = width_n(L, st.face, st.size, s, n);
            double tx = x + CELL_PAD_X;
            if (t->cols[c].align == CSP_ALIGN_RIGHT)
                tx = x + t->w[c] - CELL_PAD_X - lw;
            else if (t->cols[c].align == CSP_ALIGN_CENTRE)
                tx = x + (t->w[c] - lw) / 2;
            draw_n(L, &st, tx,
                   baseline(&st, top - CELL_PAD_Y - (double)i * st.leading), s,
                   n);
        }
        x += t->w[c];
    }
    L->y = top - t->head_h;
}

/* Break to a new page and repeat the title and header. */
static void table_break(csp_table *t)
{
    csp_layout_page(t->L, CSP_PAGE_BODY);
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
        double by = baseline(&st, ltop);
        double lw = width_n(L, st.face, st.size, cl->src + cl->start, cl->len);
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
        draw_n(L, &st, tx, by, cl->src + cl->start, cl->len);
    }
    if (tc->nlines == 0 && tc->mark && from == 0) {
        /* A mark alone. */
        double by = baseline(&csp_style_table, top - CELL_PAD_Y);
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
    double top = t->L->y;
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
        fail(L, CSP_ERR_NOMEM, "out of memory");
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
            draw_n(L, &g, x + CELL_PAD_X, baseline(&g, top - CELL_PAD_Y),
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

void csp_table_end(csp_table *t)
{
    if (!t)
        return;
    csp_layout *L = t->L;
    if (L->err)
        goto out;
    if (L->npages == 0)
        csp_layout_page(L, CSP_PAGE_BODY);
    table_widths(t);
    /* The header. */
    csp_text_style hs = csp_style_table;
    hs.face = CSP_FACE_BOLD;
    size_t hl = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (!wrap(L, &hs, t->cols[c].title, t->w[c] - 2 * CELL_PAD_X,
                  &t->head[c]))
            goto out;
        if (t->head[c].count > hl)
            hl = t->head[c].count;
    }
    t->head_h = (double)hl * hs.leading + 2 * CELL_PAD_Y;
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
    double space = at_top(L) || t->heading ? 0 : 4;
    double lead = 0;
    if (t->heading)
        lead += heading_height(L, t->heading_level, t->heading);
    if (t->intro)
        lead += csp_layout_text_height(L, &csp_style_small,
                                       PAGE_W - 2 * MARGIN_X, t->intro) +
                5;
    csp_layout_need(L, space + lead + title_h(t, false) + t->head_h + first);
    if (t->mark)
        mark_here(L, t->mark_level, t->mark, t->mark_toc, L->y);
    if (!at_top(L))
        L->y -= space;
    if (t->heading)
        csp_layout_heading(L, t->heading_level, t->heading,
                           t->has_heading_colour ? &t->heading_colour : NULL,
                           t->heading_toc);
    if (t->intro) {
        csp_layout_text_block(L, &csp_style_small, 0, t->intro);
        L->y -= 5;
    }
    draw_title(t, false);
    draw_header(t);
    bool fresh = true; /* nothing drawn under this header yet */
    for (size_t r = 0; r < t->nrows && !L->err; r++) {
        trow *row = &t->rows[r];
        double room = L->y - FLOW_BOTTOM;
        /* A group that fits on a page is not split, and the last row
         * does not go alone onto a new page. */
        size_t end;
        double group = group_h(t, r, page_room, &end);
        if (group > room + EPS && group <= page_room && !fresh) {
            table_break(t);
            room = L->y - FLOW_BOTTOM;
        }
        fresh = false;
        if (row->h <= room + EPS) {
            begin_span_group(t, r);
            draw_row_part(t, r, row->h);
            continue;
        }
        if (row->h <= page_room) {
            table_break(t);
            begin_span_group(t, r);
            draw_row_part(t, r, row->h);
            continue;
        }
        /* Taller than a page: split between lines. */
        if (room < min_split)
            table_break(t);
        while (!draw_row_part(t, r, L->y - FLOW_BOTTOM) && !L->err)
            table_break(t);
    }
    L->y -= 6;
out:
    table_free(t);
}

/* ---- Charts ----------------------------------------------------------- */

/* A round step for about five ticks up to max. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 4;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    double s = nf * p;
    return s < 1 ? 1 : s;
}

/* "12,000" */
static void format_tick(double v, char *buf, size_t n)
{
    long long x = llround(v);
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", x < 0 ? -x : x);
    size_t len = strlen(tmp), o = 0;
    if (x < 0 && o + 1 < n)
        buf[o++] = '-';
    for (size_t i = 0; i < len && o + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && o + 1 < n)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
}

/* Shapes that tell series apart without colour. */
csp_mark csp_chart_series_mark(size_t s)
{
    static const csp_mark marks[] = {CSP_MARK_DOT, CSP_MARK_SQUARE,
                                     CSP_MARK_TRIANGLE, CSP_MARK_DIAMOND,
                                     CSP_MARK_RING, CSP_MARK_CROSS};
    return marks[s % (sizeof marks / sizeof *marks)];
}

/* The point of category k with value v in plot p. */
static void chart_point(const csp_chart *c, const csp_chart_plot *p,
                        size_t k, double v, double *x, double *y)
{
    double gw = p->w / (double)c->ncategories;
    *x = p->x + gw * (double)k + gw / 2;
    *y = p->y + p->h * v / p->vmax;
}

/* Pieces join only categories that both have a value: that is the gap. */
size_t csp_chart_line_pieces(const csp_chart *c, size_t s,
                             const csp_chart_plot *plot, csp_chart_piece *out)
{
    size_t n = 0;
    if (s >= c->nseries || plot->vmax <= 0)
        return 0;
    for (size_t k = 0; k + 1 < c->ncategories; k++) {
        double a = c->values[k * c->nseries + s];
        double b = c->values[(k + 1) * c->nseries + s];
        if (a < 0 || b < 0)
            continue;
        csp_chart_piece *pc = &out[n++];
        pc->from = k;
        chart_point(c, plot, k, a, &pc->x1, &pc->y1);
        chart_point(c, plot, k + 1, b, &pc->x2, &pc->y2);
    }
    return n;
}

/* The lines of a line chart, then a marker at every value (over the
 * lines, so that a value between two gaps shows too). */
static void chart_lines(csp_layout *L, const csp_chart *c,
                        const csp_chart_plot *plot)
{
    csp_chart_piece *pc =
        csp_malloc(c->ncategories * sizeof *pc); /* ncategories > 0 */
    if (!pc) {
        fail(L, CSP_ERR_NOMEM, "out of memory");
        return;
    }
    for (size_t s = 0; s < c->nseries; s++) {
        size_t n = csp_chart_line_pieces(c, s, plot, pc);
        for (size_t i = 0; i < n; i++)
            csp_layout_line(L, &c->colours[s], 1.6, pc[i].x1, pc[i].y1,
                            pc[i].x2, pc[i].y2);
    }
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t k = 0; k < c->ncategories; k++) {
            double v = c->values[k * c->nseries + s], px, py;
            if (v < 0)
                continue;
            chart_point(c, plot, k, v, &px, &py);
            csp_layout_draw_mark(L, csp_chart_series_mark(s), &c->colours[s],
                                 px, py, 6);
        }
    free(pc);
}

void csp_layout_chart(csp_layout *L, const csp_chart *c, double x, double y,
                      double w, double h)
{
    if (!cur(L) || c->ncategories == 0 || c->nseries == 0)
        return;
    csp_text_style tst = {CSP_FACE_BOLD, 8.5, 11, ink};
    csp_text_style lab = {CSP_FACE_REGULAR, 6.5, 8, grey};
    double top = y;
    if (c->title) {
        csp_layout_text_at(L, &tst, x, top - 9, c->title);
        top -= 18;
    }
    double bottom = y - h + 12; /* room for the x labels */
    if (c->legend)
        bottom += 14;
    double max = 0;
    for (size_t i = 0; i < c->ncategories * c->nseries; i++)
        if (c->values[i] > max)
            max = c->values[i];
    double step = nice_step(max);
    double vmax = ceil(max / step) * step;
    if (vmax <= 0)
        vmax = step;
    /* The y axis labels decide where the plot starts. */
    char buf[32];
    format_tick(vmax, buf, sizeof buf);
    double axis_w = csp_layout_text_width(L, lab.face, lab.size, buf) + 5;
    double px = x + axis_w, pw = w - axis_w;
    double ph = top - bottom - 4;
    if (ph < 10 || pw < 10)
        return;
    for (double v = 0; v <= vmax + step / 2; v += step) {
        double yy = bottom + ph * v / vmax;
        csp_rgb gl = {0.86f, 0.86f, 0.86f};
        csp_layout_line(L, v == 0 ? &grey : &gl, v == 0 ? 0.6 : 0.35, px, yy,
                        px + pw, yy);
        format_tick(v, buf, sizeof buf);
        csp_layout_text_right(L, &lab, px - 3, yy - 2.2, buf);
    }
    double gw = pw / (double)c->ncategories;
    double bw = gw * 0.72 / (double)c->nseries;
    if (c->lines) {
        csp_chart_plot plot = {px, bottom, pw, ph, vmax};
        chart_lines(L, c, &plot);
    }
    double widest = 0;
    for (size_t k = 0; k < c->ncategories; k++) {
        double cw =
            csp_layout_text_width(L, lab.face, lab.size, c->categories[k]);
        if (cw > widest)
            widest = cw;
    }
    size_t label_step = 1;
    while (label_step < c->ncategories && widest + 3 > gw * (double)label_step)
        label_step++;
    for (size_t k = 0; k < c->ncategories; k++) {
        double gx = px + gw * (double)k + gw * 0.14;
        for (size_t s = 0; s < c->nseries && !c->lines; s++) {
            double v = c->values[k * c->nseries + s];
            if (v < 0)
                continue;
            double bh = ph * v / vmax;
            csp_layout_fill_rect(L, &c->colours[s], gx + bw * (double)s, bottom,
                                 bw * 0.92, bh);
        }
        /* Labels too wide for their group are thinned out (every
         * step-th, the latest always shown). */
        const char *cat = c->categories[k];
        double cw = csp_layout_text_width(L, lab.face, lab.size, cat);
        if ((c->ncategories - 1 - k) % label_step == 0)
            csp_layout_text_at(L, &lab, px + gw * (double)k + (gw - cw) / 2,
                               bottom - 9, cat);
    }
    if (c->legend) {
        double lx = px;
        double ly = y - h + 4;
        for (size_t s = 0; s < c->nseries; s++) {
            csp_layout_draw_mark(L,
                                 c->lines ? csp_chart_series_mark(s)
                                          : CSP_MARK_SQUARE,
                                 &c->colours[s], lx + 3, ly + 2.3, 6.5);
            csp_text_style ls = lab;
            ls.colour = ink;
            ls.size = 7;
            csp_layout_text_at(L, &ls, lx + 9, ly, c->series[s]);
            lx += 9 + csp_layout_text_width(L, ls.face, ls.size, c->series[s]) +
                  12;
        }
    }
}

/* ---- Finishing ---------------------------------------------------------- */

/* s cut to fit width, with an ellipsis; malloc'd.  One pass over the
 * part that fits (widths add up character by character). */
static char *fit_text(csp_layout *L, const csp_text_style *st, const char *s,
                      double width)
{
    static const char ell[] = "\xE2\x80\xA6";
    size_t len = strlen(s);
    double ew = width_n(L, st->face, st->size, ell, 3);
    size_t n = 0, cut = 0;
    double w = 0;
    while (n < len) {
        size_t k = csp_utf8_seq_len(s + n, len - n);
        if (k == 0)
            k = 1;
        w += width_n(L, st->face, st->size, s + n, k);
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

/* Contents entry styles. */
static const csp_text_style toc_style[2] = {
    {CSP_FACE_BOLD, 10.0, 15.0, {0.13f, 0.13f, 0.13f}},
    {CSP_FACE_REGULAR, 9.0, 12.5, {0.13f, 0.13f, 0.13f}},
};
#define TOC_BEFORE0 6.0
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
    for (size_t i = 0; i < L->ntoc && !L->err; i++) {
        const toc_entry *e = &L->toc[i];
        unsigned lv = e->level > 0 ? 1 : 0;
        const csp_text_style *st = &toc_style[lv];
        double indent = lv ? 16.0 : 0;
        double tw = PAGE_W - 2 * MARGIN_X - indent - TOC_NUM_W;
        csp_wrap w = {0};
        if (!wrap(L, st, e->text, tw, &w))
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
                double by = baseline(st, y - (double)j * st->leading);
                const char *s = e->text + w.lines[j].start;
                size_t n = w.lines[j].len;
                draw_on(L, pg, st, MARGIN_X + indent, by, s, n);
                if (j + 1 < w.count)
                    continue;
                double nw = width_n(L, st->face, st->size, nb, strlen(nb));
                draw_on(L, pg, st, PAGE_W - MARGIN_X - nw, by, nb, strlen(nb));
                leader_on(L, pg,
                          MARGIN_X + indent +
                              width_n(L, st->face, st->size, s, n) + 4,
                          PAGE_W - MARGIN_X - nw - 4, by + 0.5);
            }
        }
        y -= (double)w.count * st->leading;
        csp_wrap_free(&w);
    }
    return added;
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
            fail(L, CSP_ERR_INTERNAL, "libharu could not add a page");
            return;
        }
        HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        if (!page_insert(L, at, p, CSP_PAGE_BODY, "Contents"))
            return;
    }
    contents_pass(L, true, extra);
}

/* Running headers and footers on every page. */
static void draw_furniture(csp_layout *L)
{
    const csp_text_style hs = {CSP_FACE_REGULAR, 7.5, 10, grey};
    const csp_text_style hb = {CSP_FACE_BOLD, 7.5, 10, grey};
    size_t n = L->npages;
    double right = PAGE_W - MARGIN_X;
    for (size_t i = 0; i < n && !L->err; i++) {
        const page_rec *pr = &L->pages[i];
        HPDF_Page pg = pr->page;
        if (pr->kind == CSP_PAGE_BODY) {
            double tw = 0;
            if (L->running_title) {
                char *rt = fit_text(L, &hs, L->running_title,
                                    (PAGE_W - 2 * MARGIN_X) * 0.55);
                if (!rt) {
                    fail(L, CSP_ERR_NOMEM, "out of memory");
                    return;
                }
                draw_on(L, pg, &hs, MARGIN_X, HEADER_BASE, rt, strlen(rt));
                tw = width_n(L, hs.face, hs.size, rt, strlen(rt));
                free(rt);
            }
            if (pr->section) {
                double room = PAGE_W - 2 * MARGIN_X - tw - 18;
                char *s = fit_text(L, &hb, pr->section, room);
                if (!s) {
                    fail(L, CSP_ERR_NOMEM, "out of memory");
                    return;
                }
                double sw = width_n(L, hb.face, hb.size, s, strlen(s));
                draw_on(L, pg, &hb, right - sw, HEADER_BASE, s, strlen(s));
                free(s);
            }
            line_on(L, pg, &rule_grey, 0.5, MARGIN_X, HEADER_RULE, right,
                    HEADER_RULE);
            rect_on(L, pg, &L->accent, MARGIN_X, HEADER_RULE - 0.8, 36, 1.6);
        }
        line_on(L, pg, &rule_grey, 0.5, MARGIN_X, FOOTER_RULE, right,
                FOOTER_RULE);
        if (L->footer_left) {
            char *fl =
                fit_text(L, &hs, L->footer_left, (PAGE_W - 2 * MARGIN_X) * 0.7);
            if (!fl) {
                fail(L, CSP_ERR_NOMEM, "out of memory");
                return;
            }
            draw_on(L, pg, &hs, MARGIN_X, FOOTER_BASE, fl, strlen(fl));
            free(fl);
        }
        char num[64];
        snprintf(num, sizeof num, "Page %zu of %zu", i + 1, n);
        draw_on(L, pg, &hb,
                right - width_n(L, hb.face, hb.size, num, strlen(num)),
                FOOTER_BASE, num, strlen(num));
    }
}

/* Write the PDF. */
csp_error csp_layout_finish(csp_layout *L, FILE *out, char *why, size_t whylen)
{
    if (!L->err && L->npages == 0)
        csp_layout_page(L, CSP_PAGE_BODY);
    draw_contents(L);
    draw_furniture(L);
    if (!L->err && HPDF_GetError(L->pdf) != HPDF_OK)
        fail(L, CSP_ERR_INTERNAL, "libharu error 0x%04X",
             (unsigned)HPDF_GetError(L->pdf));
    if (!L->err && HPDF_SaveToStream(L->pdf) != HPDF_OK)
        fail(L, CSP_ERR_INTERNAL, "libharu could not write the PDF");
    if (!L->err) {
        HPDF_ResetStream(L->pdf);
        unsigned char buf[65536];
        for (;;) {
            HPDF_UINT32 n = sizeof buf;
            HPDF_STATUS st = HPDF_ReadFromStream(L->pdf, buf, &n);
            if (n > 0 && fwrite(buf, 1, n, out) != n) {
                fail(L, CSP_ERR_IO, "writing the PDF failed");
                break;
            }
            if (st == HPDF_STREAM_EOF)
                break;
            if (st != HPDF_OK) {
                fail(L, CSP_ERR_INTERNAL,
                     "libharu could not read back the "
                     "PDF");
                break;
            }
        }
    }
    if (L->err && why && whylen)
        snprintf(why, whylen, "%s", L->why);
    return L->err;
}
