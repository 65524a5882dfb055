/*
 * Footnotes and titles (layout.h, csp_layout_paragraph_notes).  A
 * paragraph with a note is set with its mark as a superscript number
 * after the text before it; the note waits in L->notes, and the height
 * it needs is kept at the foot of the page (L->foot raises the flow's
 * bottom), until the page is left: csp_pdf_notes_flush sets the page's
 * notes there, in order, under a short rule.  Titles are set in the
 * italic face, loaded the first time one is set.
 */
#include "csppack/write/pdf/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/pdf/engine.h"

/* The notes' type: smaller than the body, never under 8 pt. */
static const csp_text_style note_style = {
    CSP_FACE_REGULAR, 8.0, 10.5, {0.13f, 0.13f, 0.13f}};
/* Space above the rule, and from the rule to the first note. */
#define NOTE_RULE_GAP 7.0
#define NOTE_AFTER_RULE 4.0
/* The notes end this far above the footer's rule: they take the space
 * between the flow's usual bottom and the footer first, and raise the
 * flow's bottom (L->foot) only by what they need beyond it. */
#define NOTE_BOTTOM (FOOTER_RULE + 6.0)
/* The short rule's length, and the notes' hanging indent. */
#define NOTE_RULE_W 100.0
#define NOTE_INDENT 11.0
/* A superscript mark: its size and how far it is raised, as a share of
 * the text's size; never under the smallest type (CSP_TYPE_MIN), as
 * nothing printed is. */
#define SUP_SIZE 0.65
#define SUP_RISE 0.38

/* The default location of the italic face (Debian's fonts-dejavu-extra). */
#define CSP_FONT_FALLBACK_ITALIC                                               \
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"

/* DejaVu Sans Oblique's file, from fontconfig, else the fallback; NULL
 * when there is none, or (*nomem set) when memory ran out.  Malloc'd.
 * Looked up only when a title is set: loading fontconfig's configuration
 * is a tenth of the samples' pack. */
static char *italic_path(bool *nomem)
{
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    char *found = csp_pdf_font_find(cfg, CSP_FACE_ITALIC, nomem);
    if (cfg)
        FcConfigDestroy(cfg);
    if (!found && !*nomem && csp_pdf_ttf_ok(CSP_FONT_FALLBACK_ITALIC) &&
        !(found = csp_strdup(CSP_FONT_FALLBACK_ITALIC)))
        *nomem = true;
    return found;
}

/* The face a title is set in: italic when it can be loaded, else the
 * regular face (the title is then only not slanted). */
static csp_face title_face(csp_layout *L)
{
    if (L->font[CSP_FACE_ITALIC])
        return CSP_FACE_ITALIC;
    if (L->italic_tried || L->err)
        return CSP_FACE_REGULAR;
    L->italic_tried = true;
    bool nomem = false;
    char *path = italic_path(&nomem);
    if (nomem) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return CSP_FACE_REGULAR;
    }
    if (path) {
        const char *name = HPDF_LoadTTFontFromFile(L->pdf, path, HPDF_TRUE);
        if (name)
            L->font[CSP_FACE_ITALIC] = HPDF_GetFont(L->pdf, name, "UTF-8");
    }
    free(path);
    return L->font[CSP_FACE_ITALIC] ? CSP_FACE_ITALIC : CSP_FACE_REGULAR;
}

/* What a run of a line is set as. */
typedef enum run_kind { RUN_TEXT, RUN_TITLE, RUN_MARK } run_kind;

/* A span of the text as set, with its kind. */
typedef struct run {
    size_t start, end;
    run_kind kind;
} run;

/* Draw bytes [s, e) of @p c from x on baseline y in @p st, titles (runs
 * of RUN_TITLE) in italics and marks (RUN_MARK) as superscripts.  Runs
 * are sorted and do not overlap. */
static void draw_runs(csp_layout *L, const csp_text_style *st, const char *c,
                      size_t s, size_t e, const run *runs, size_t nruns,
                      double x, double y)
{
    size_t p = s;
    csp_face italic = nruns ? title_face(L) : CSP_FACE_REGULAR;
    while (p < e && !L->err) {
        csp_text_style rs = *st;
        double rise = 0;
        size_t q = e;
        for (size_t i = 0; i < nruns; i++) {
            if (runs[i].end <= p)
                continue;
            if (runs[i].start > p) {
                q = runs[i].start < q ? runs[i].start : q;
                break;
            }
            q = runs[i].end < e ? runs[i].end : e;
            if (runs[i].kind == RUN_TITLE) {
                rs.face = italic;
            } else {
                rs.size = st->size * SUP_SIZE;
                if (rs.size < CSP_TYPE_MIN)
                    rs.size = CSP_TYPE_MIN;
                rise = st->size * SUP_RISE;
            }
            break;
        }
        csp_pdf_draw_n(L, &rs, x, y + rise, c + p, q - p);
        x += csp_pdf_width_n(L, rs.face, rs.size, c + p, q - p);
        p = q;
    }
}

/* Set wrapped @p c from y_top down at x within width, with runs; false
 * only measures.  Returns the height. */
static double set_text(csp_layout *L, const csp_text_style *st, const char *c,
                       const run *runs, size_t nruns, double x, double y_top,
                       double width, bool draw)
{
    csp_wrap w = {0};
    double h = 0;
    if (csp_pdf_wrap(L, st, c, width, &w)) {
        for (size_t i = 0; i < w.count && draw; i++)
            draw_runs(L, st, c, w.lines[i].start,
                      w.lines[i].start + w.lines[i].len, runs, nruns, x,
                      csp_pdf_baseline(st, y_top - (double)i * st->leading));
        h = (double)w.count * st->leading;
    }
    csp_wrap_free(&w);
    return h;
}

/* Titles as runs; NULL (none) when there are none or memory ran out. */
static run *title_runs(csp_layout *L, const csp_doc_span *cites, size_t n,
                       size_t len)
{
    run *r = n ? csp_calloc(n, sizeof *r) : NULL;
    if (n && !r) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t e = cites[i].end <= len ? cites[i].end : len;
        r[i] = (run){cites[i].start < e ? cites[i].start : e, e, RUN_TITLE};
    }
    return r;
}

static void notes_free(csp_layout *L);

/* The width a note's text is set in, beside its number, on the
 * current page (a landscape one is wider). */
static double note_width(const csp_layout *L)
{
    return PAGE_W - 2 * MARGIN_X - NOTE_INDENT;
}

/* The height of the current page's notes with their rule. */
static double notes_total(const csp_layout *L)
{
    double h = L->nnotes ? NOTE_RULE_GAP + NOTE_AFTER_RULE : 0;
    for (size_t i = 0; i < L->nnotes; i++)
        h += L->notes[i].h;
    return h;
}

/* How far notes of height @p total raise the flow's bottom. */
static double foot_for(double total)
{
    double spare = FLOW_BOTTOM_BASE - NOTE_BOTTOM;
    return total > spare ? total - spare : 0;
}

/* Set the current page's notes at its foot, in order. */
void csp_pdf_notes_flush(csp_layout *L)
{
    if (L->nnotes && !L->err && csp_pdf_current(L)) {
        double y = NOTE_BOTTOM + notes_total(L) - NOTE_RULE_GAP;
        csp_pdf_line_on(L, csp_pdf_current(L), &ink, 0.5, MARGIN_X, y,
                        MARGIN_X + NOTE_RULE_W, y);
        y -= NOTE_AFTER_RULE;
        for (size_t i = 0; i < L->nnotes && !L->err; i++) {
            csp_pdf_note *n = &L->notes[i];
            char num[16];
            snprintf(num, sizeof num, "%u", n->number);
            csp_pdf_draw_n(L, &note_style, MARGIN_X,
                           csp_pdf_baseline(&note_style, y), num, strlen(num));
            run *r = title_runs(L, n->cites, n->ncites, strlen(n->text));
            set_text(L, &note_style, n->text, r, r ? n->ncites : 0,
                     MARGIN_X + NOTE_INDENT, y, note_width(L), true);
            free(r);
            y -= n->h;
        }
    }
    notes_free(L);
    L->foot = 0;
}

/* Free the notes not set. */
static void notes_free(csp_layout *L)
{
    for (size_t i = 0; i < L->nnotes; i++) {
        free(L->notes[i].text);
        free(L->notes[i].cites);
    }
    free(L->notes);
    L->notes = NULL;
    L->nnotes = 0;
}

/* Keep a note for the current page's foot; its height. */
static double keep_note(csp_layout *L, unsigned number, const csp_doc_note *dn)
{
    char *c = csp_pdf_dup_clean(L, dn->text ? dn->text : "");
    csp_pdf_note *nv = c ? csp_realloc(L->notes, (L->nnotes + 1) * sizeof *nv)
                         : NULL;
    if (!nv) {
        free(c);
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return 0;
    }
    L->notes = nv;
    L->notes_flush = csp_pdf_notes_flush;
    csp_pdf_note *n = &nv[L->nnotes++];
    memset(n, 0, sizeof *n);
    n->number = number;
    n->text = c;
    /* Spans hold only for the text as given: cleaning changes nothing in
     * valid UTF-8, and drops the titles of text it changed. */
    if (dn->ncites && dn->text && strcmp(c, dn->text) == 0) {
        n->cites = csp_calloc(dn->ncites, sizeof *n->cites);
        if (!n->cites) {
            csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
            return 0;
        }
        memcpy(n->cites, dn->cites, dn->ncites * sizeof *n->cites);
        n->ncites = dn->ncites;
    }
    n->h = set_text(L, &note_style, c, NULL, 0, 0, 0, note_width(L), false);
    return n->h;
}

/* How much the notes of a paragraph raise the flow's bottom. */
static double notes_height(csp_layout *L, const csp_doc_note *notes, size_t n)
{
    double h = notes_total(L) + (L->nnotes ? 0 : NOTE_RULE_GAP + NOTE_AFTER_RULE);
    for (size_t i = 0; i < n; i++) {
        char *c = csp_pdf_dup_clean(L, notes[i].text ? notes[i].text : "");
        if (c)
            h += set_text(L, &note_style, c, NULL, 0, 0, 0, note_width(L),
                          false);
        free(c);
    }
    return foot_for(h) - L->foot;
}

/*
 * The paragraph as set: its text with each mark's number put in after
 * the text before it, and the runs of titles and marks over that text.
 * False when memory ran out (recorded).
 */
static bool marked_text(csp_layout *L, const char *text,
                        const csp_doc_span *cites, size_t ncites,
                        const unsigned *numbers, const csp_doc_note *notes,
                        size_t nnotes, char **out, run **runs, size_t *nruns)
{
    size_t len = strlen(text), extra = 0;
    char num[16];
    for (size_t i = 0; i < nnotes; i++)
        extra += (size_t)snprintf(num, sizeof num, "%u", numbers[i]);
    char *c = csp_malloc(len + extra + 1);
    run *r = csp_calloc(ncites + nnotes + 1, sizeof *r);
    if (!c || !r) {
        free(c);
        free(r);
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        return false;
    }
    /* The marks go in where their notes say (in order, as notes are). */
    size_t o = 0, k = 0, nr = 0;
    for (size_t p = 0;; p++) {
        while (k < nnotes && notes[k].at <= p) {
            size_t m = (size_t)snprintf(num, sizeof num, "%u", numbers[k]);
            memcpy(c + o, num, m);
            r[nr++] = (run){o, o + m, RUN_MARK};
            o += m;
            k++;
        }
        if (p == len)
            break;
        c[o++] = text[p];
    }
    c[o] = '\0';
    /* Titles: their offsets move by the marks put in before them. */
    for (size_t i = 0; i < ncites; i++) {
        size_t s = cites[i].start, e = cites[i].end, before_s = 0,
               before_e = 0;
        for (size_t j = 0; j < nnotes; j++) {
            size_t m = (size_t)snprintf(num, sizeof num, "%u", numbers[j]);
            if (notes[j].at <= s)
                before_s += m;
            if (notes[j].at < e)
                before_e += m;
        }
        if (s <= e && e <= len)
            r[nr++] = (run){s + before_s, e + before_e, RUN_TITLE};
    }
    /* Sorted by start: few runs, so an insertion sort. */
    for (size_t i = 1; i < nr; i++)
        for (size_t j = i; j > 0 && r[j - 1].start > r[j].start; j--) {
            run tmp = r[j];
            r[j] = r[j - 1];
            r[j - 1] = tmp;
        }
    *out = c;
    *runs = r;
    *nruns = nr;
    return true;
}

/* A body paragraph with titles and footnotes. */
void csp_layout_paragraph_notes(csp_layout *L, const char *text,
                                const csp_doc_span *cites, size_t ncites,
                                const csp_doc_note *notes, size_t nnotes)
{
    if (L->err || !text)
        return;
    char *clean = csp_pdf_dup_clean(L, text);
    if (!clean)
        return;
    /* Spans and marks hold for the text as given (see keep_note). */
    if (strcmp(clean, text) != 0) {
        ncites = 0;
        nnotes = 0;
    }
    unsigned *numbers = csp_calloc(nnotes + 1, sizeof *numbers);
    csp_doc_note *rec = csp_calloc(nnotes + 1, sizeof *rec);
    char *c = NULL;
    run *runs = NULL;
    size_t nruns = 0;
    if (!numbers || !rec) {
        csp_pdf_fail(L, CSP_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < nnotes; i++) {
        numbers[i] = L->note_number + 1 + (unsigned)i;
        rec[i] = notes[i];
        rec[i].number = numbers[i];
        if (rec[i].at > strlen(clean))
            rec[i].at = strlen(clean);
    }
    if (!marked_text(L, clean, cites, ncites, numbers, rec, nnotes, &c, &runs,
                     &nruns))
        goto out;
    double width = PAGE_W - 2 * MARGIN_X;
    double h = set_text(L, &csp_style_body, c, NULL, 0, 0, 0, width, false);
    /* The paragraph and its notes on one page: its last line is the
     * lowest a mark can be. */
    csp_layout_need(L, h + notes_height(L, rec, nnotes));
    if (L->npages == 0)
        csp_pdf_page_add(L, CSP_PAGE_BODY);
    if (L->err)
        goto out;
    L->note_number += (unsigned)nnotes;
    if (L->doc)
        csp_doc_para_marked(L->doc, CSP_DOC_BODY, clean, cites, ncites, rec,
                            nnotes);
    for (size_t i = 0; i < nnotes; i++)
        keep_note(L, numbers[i], &rec[i]);
    L->foot = foot_for(notes_total(L));
    set_text(L, &csp_style_body, c, runs, nruns, MARGIN_X, L->y, width, true);
    L->y -= h;
    csp_layout_skip(L, 6.5); /* as after any paragraph */
out:
    free(numbers);
    free(rec);
    free(c);
    free(runs);
    free(clean);
}
