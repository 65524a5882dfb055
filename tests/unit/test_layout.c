/* Unit tests: UTF-8 helpers, line wrapping, colours and a small document. */
/* cmocka.h needs these four before it. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */
#include <math.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/base/utf8.h"
#include "csppack/write/pdf/chart.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/pdfobj.h"
#include "csppack/write/pdf/table.h"
#include "csppack/write/pdf/wrap.h"

/* A measure for tests: every character is one unit wide. */
static double chars(const char *s, size_t n, void *ctx)
{
    (void)ctx;
    double w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/* Wrap s at width into a NULL-terminated array of malloc'd lines. */
static char **lines(const char *s, double width)
{
    csp_wrap w = {0};
    assert_int_equal(csp_wrap_text(s, width, chars, NULL, &w), CSP_OK);
    char **out = calloc(w.count + 1, sizeof *out);
    assert_non_null(out);
    for (size_t i = 0; i < w.count; i++) {
        out[i] = strndup(s + w.lines[i].start, w.lines[i].len);
        assert_non_null(out[i]);
    }
    csp_wrap_free(&w);
    return out;
}

static size_t count(char **l)
{
    size_t n = 0;
    while (l[n])
        n++;
    return n;
}

static void free_lines(char **l)
{
    for (size_t i = 0; l[i]; i++)
        free(l[i]);
    free(l);
}

static void test_layout_utf8_seq_len(void **state)
{
    (void)state;
    assert_int_equal(csp_utf8_seq_len("a", 1), 1);
    assert_int_equal(csp_utf8_seq_len("\xC3\xA9", 2), 2);         /* é */
    assert_int_equal(csp_utf8_seq_len("\xE2\x80\x99", 3), 3);     /* ’ */
    assert_int_equal(csp_utf8_seq_len("\xF0\x9F\x98\x80", 4), 4); /* 😀 */
    assert_int_equal(csp_utf8_seq_len("\x80", 1), 0);     /* continuation */
    assert_int_equal(csp_utf8_seq_len("\xC0\x80", 2), 0); /* overlong */
    assert_int_equal(csp_utf8_seq_len("\xE0\x80\x80", 3), 0);
    assert_int_equal(csp_utf8_seq_len("\xED\xA0\x80", 3), 0); /* surrogate */
    assert_int_equal(csp_utf8_seq_len("\xF4\x90\x80\x80", 4), 0);
    assert_int_equal(csp_utf8_seq_len("\xE2\x80", 2), 0); /* cut short */
    assert_int_equal(csp_utf8_seq_len("\xE2\x41\x41", 3), 0);
    assert_int_equal(csp_utf8_seq_len("", 0), 0);
}

static void test_layout_utf8_floor(void **state)
{
    (void)state;
    const char *s = "Zo\xC3\xAB \xE2\x80\x93 x"; /* Zoë – x */
    assert_int_equal(csp_utf8_floor(s, 0), 0);
    assert_int_equal(csp_utf8_floor(s, 2), 2);
    assert_int_equal(csp_utf8_floor(s, 3), 2); /* inside ë */
    assert_int_equal(csp_utf8_floor(s, 4), 4);
    assert_int_equal(csp_utf8_floor(s, 6), 5); /* inside – */
    assert_int_equal(csp_utf8_floor(s, 7), 5);
    assert_int_equal(csp_utf8_floor(s, 8), 8);
}

static void test_layout_utf8_clean(void **state)
{
    (void)state;
    const char in[] = "a\tb\r\nc\rd\x01"
                      "\xC3\xA9\xFF\xF0\x9F\x98\x80\xE2\x80\xC2\x85!";
    char *c = csp_utf8_clean(in, sizeof in - 1);
    assert_non_null(c);
    assert_string_equal(c, "a b\nc\nd \xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD"
                           "\xEF\xBF\xBD\xEF\xBF\xBD !");
    /* The result is always well-formed and within the BMP. */
    for (size_t i = 0; c[i];) {
        size_t n = csp_utf8_seq_len(c + i, strlen(c + i));
        assert_in_range(n, 1, 3);
        i += n;
    }
    free(c);
    /* Good text is unchanged. */
    const char *good = "Zo\xC3\xAB\xE2\x80\x99s \xC2\xA3"
                       "5 \xE2\x80\xA2";
    c = csp_utf8_clean(good, strlen(good));
    assert_string_equal(c, good);
    free(c);
}

static void test_layout_wrap_at_spaces(void **state)
{
    (void)state;
    char **l = lines("To raise public awareness", 12);
    assert_int_equal(count(l), 3);
    assert_string_equal(l[0], "To raise");
    assert_string_equal(l[1], "public");
    assert_string_equal(l[2], "awareness");
    free_lines(l);
    /* A line exactly as wide as the width fits. */
    l = lines("abc def ghi", 7);
    assert_int_equal(count(l), 2);
    assert_string_equal(l[0], "abc def");
    assert_string_equal(l[1], "ghi");
    free_lines(l);
    /* Runs of spaces vanish at a break but stay inside a line. */
    l = lines("  one   two     three  ", 9);
    assert_int_equal(count(l), 2);
    assert_string_equal(l[0], "one   two");
    assert_string_equal(l[1], "three");
    free_lines(l);
}

static void test_layout_wrap_hard_breaks(void **state)
{
    (void)state;
    char **l = lines("first paragraph\n\nsecond", 40);
    assert_int_equal(count(l), 3);
    assert_string_equal(l[0], "first paragraph");
    assert_string_equal(l[1], "");
    assert_string_equal(l[2], "second");
    free_lines(l);
    l = lines("", 10);
    assert_int_equal(count(l), 1);
    assert_string_equal(l[0], "");
    free_lines(l);
}

static void test_layout_wrap_breaks_long_words_safely(void **state)
{
    (void)state;
    /* Eight two-byte characters at width 3: never split inside one. */
    char **l = lines("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                     "\xC3\xA9\xC3\xA9",
                     3);
    assert_int_equal(count(l), 3);
    assert_string_equal(l[0], "\xC3\xA9\xC3\xA9\xC3\xA9");
    assert_string_equal(l[1], "\xC3\xA9\xC3\xA9\xC3\xA9");
    assert_string_equal(l[2], "\xC3\xA9\xC3\xA9");
    free_lines(l);
    /* A word starts a fresh line before it is broken. */
    l = lines("ab abcdefghij", 4);
    assert_int_equal(count(l), 4);
    assert_string_equal(l[0], "ab");
    assert_string_equal(l[1], "abcd");
    assert_string_equal(l[2], "efgh");
    assert_string_equal(l[3], "ij");
    free_lines(l);
    /* Prefer to break just after a hyphen or slash. */
    l = lines("Re-offending", 6);
    assert_string_equal(l[0], "Re-");
    assert_string_equal(l[1], "offend");
    free_lines(l);
    l = lines("ASB/substance", 8);
    assert_string_equal(l[0], "ASB/");
    assert_string_equal(l[1], "substanc");
    free_lines(l);
    /* Even at a width narrower than one character, wrapping ends. */
    l = lines("\xE2\x80\x93x\xE2\x80\x93", 0.5);
    assert_int_equal(count(l), 3);
    assert_string_equal(l[0], "\xE2\x80\x93");
    assert_string_equal(l[1], "x");
    free_lines(l);
}

/* A word of 300,000 characters wraps in linear time. */
static void test_layout_wrap_huge_word(void **state)
{
    (void)state;
    size_t n = 300000;
    char *s = malloc(n * 2 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 2 * i, "\xC3\xA9", 2); /* é */
    s[2 * n] = '\0';
    csp_wrap w = {0};
    assert_int_equal(csp_wrap_text(s, 70, chars, NULL, &w), CSP_OK);
    assert_int_equal(w.count, (n + 69) / 70);
    for (size_t i = 0; i + 1 < w.count; i++)
        assert_int_equal(w.lines[i].len, 140);
    csp_wrap_free(&w);
    free(s);
}

/* Every non-space byte lands in one line, in order. */
static void test_layout_wrap_loses_nothing(void **state)
{
    (void)state;
    static const char *const words[] = {"a",
                                        "bb",
                                        "Zo\xC3\xAB",
                                        "\xE2\x80\x93",
                                        "partnership",
                                        "supercalifragilisticexpialidocious",
                                        "re-offending",
                                        "\n",
                                        "\n\n",
                                        "\xE2\x80\x99",
                                        "  "};
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char text[2048] = "";
        size_t n = 0;
        int nw = (int)(seed % 60);
        for (int k = 0; k < nw; k++) {
            seed = seed * 1103515245u + 12345u;
            const char *w = words[(seed >> 8) % (sizeof words / sizeof *words)];
            n += (size_t)snprintf(text + n, sizeof text - n, "%s ", w);
        }
        seed = seed * 1103515245u + 12345u;
        double width = 1 + (double)((seed >> 8) % 30);
        csp_wrap w = {0};
        assert_int_equal(csp_wrap_text(text, width, chars, NULL, &w), CSP_OK);
        char joined[4096] = "", expect[4096] = "";
        size_t jn = 0, en = 0;
        for (size_t i = 0; i < w.count; i++) {
            const char *s = text + w.lines[i].start;
            assert_true(chars(s, w.lines[i].len, NULL) <= width ||
                        chars(s, w.lines[i].len, NULL) == 1);
            /* Lines start and end on character boundaries. */
            if (w.lines[i].len) {
                assert_int_equal(csp_utf8_floor(text, w.lines[i].start),
                                 w.lines[i].start);
                size_t end = w.lines[i].start + w.lines[i].len;
                assert_int_equal(csp_utf8_floor(text, end), end);
            }
            for (size_t k = 0; k < w.lines[i].len; k++)
                if (s[k] != ' ')
                    joined[jn++] = s[k];
        }
        for (size_t k = 0; text[k]; k++)
            if (text[k] != ' ' && text[k] != '\n')
                expect[en++] = text[k];
        joined[jn] = expect[en] = '\0';
        assert_string_equal(joined, expect);
        csp_wrap_free(&w);
        seed = seed * 1103515245u + 12345u;
    }
}

static void test_layout_rgb(void **state)
{
    (void)state;
    csp_rgb c = {0, 0, 0};
    assert_true(csp_rgb_parse("#7A1F5C", &c));
    assert_float_equal(c.r, 0x7A / 255.0, 1e-6);
    assert_float_equal(c.g, 0x1F / 255.0, 1e-6);
    assert_float_equal(c.b, 0x5C / 255.0, 1e-6);
    assert_false(csp_rgb_parse("7A1F5C", &c));
    assert_false(csp_rgb_parse("#7A1F5", &c));
    assert_false(csp_rgb_parse("#7A1G5C", &c));
    assert_false(csp_rgb_parse(NULL, &c));
    csp_rgb t = csp_rgb_tint(c, 1.0f);
    assert_float_equal(t.r, 1.0, 1e-6);
}

/* A document with every kind of block, through libharu, when the font is
 * installed (fonts-dejavu-core). */
static void test_layout_document(void **state)
{
    (void)state;
    if (access(CSP_FONT_FALLBACK_REGULAR, R_OK) != 0 ||
        access(CSP_FONT_FALLBACK_BOLD, R_OK) != 0)
        skip();
    csp_layout_setup setup = {
        .font_regular = CSP_FONT_FALLBACK_REGULAR,
        .font_bold = CSP_FONT_FALLBACK_BOLD,
        .title = "Zo\xC3\xAB\xE2\x80\x99s report",
        .author = "A partnership",
        .creator = "csppack",
        .created = {1478254500, 0, 60},
        .running_title = "Running \xE2\x80\x93 title",
        .footer_left = "Footer",
        .accent = {0.2f, 0.3f, 0.4f},
    };
    csp_why why = {""};
    csp_layout *L = NULL;
    assert_int_equal(csp_layout_new(&setup, &L, &why), CSP_OK);
    csp_layout_page(L, CSP_PAGE_COVER);
    csp_layout_contents_here(L);
    csp_layout_heading(L, 0, "Section \xC2\xA3 \xC3\xA9", NULL, CSP_TOC_YES);
    for (int i = 0; i < 40; i++)
        csp_layout_paragraph(L, "A paragraph long enough to wrap over more "
                                "than one line of the page, again and again "
                                "and again until it does.");
    csp_layout_bullet(L, 0, "Item");
    csp_layout_bullet(L, 1, "Nested item");
    static const csp_table_col cols[] = {
        {"Ref", 0, true, CSP_ALIGN_LEFT, false},
        {"Text", 1, false, CSP_ALIGN_LEFT, false},
        {"N", 0, true, CSP_ALIGN_RIGHT, false},
    };
    csp_table *t = csp_table_begin(L, "A table", cols, 3, NULL);
    assert_non_null(t);
    for (int i = 0; i < 120; i++) {
        csp_table_cell cells[3] = {{0}};
        cells[0].text = "1.1";
        cells[1].text = "Some text that wraps in the cell over lines.";
        cells[1].mark = CSP_MARK_TRIANGLE;
        cells[2].text = "42";
        cells[2].note = "note";
        csp_table_row(t, cells, i % 3 == 0);
    }
    csp_table_end(t);
    double v[] = {1, 2, 3, -1};
    const char *cats[] = {"a", "b"}, *series[] = {"x", "y"};
    csp_rgb cl[] = {{0, 0, 1}, {1, 0, 0}};
    csp_chart ch = {"Chart", cats, 2, series, 2, v, cl, true, false, NULL, NULL};
    csp_layout_need(L, 150);
    csp_layout_chart(L, &ch, csp_layout_left(L), csp_layout_y(L), 200, 140);
    /* The same as lines, a gap where a figure is missing. */
    ch.lines = true;
    csp_layout_need(L, 150);
    csp_layout_chart(L, &ch, csp_layout_left(L), csp_layout_y(L), 200, 140);
    assert_true(csp_layout_page_count(L) > 3);
    assert_int_equal(csp_layout_error(L), CSP_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(csp_layout_finish(L, f, &why), CSP_OK);
    fclose(f);
    assert_true(len > 1000);
    assert_memory_equal(buf, "%PDF-", 5);
    free(buf);
    csp_layout_free(L);
}

/* A document for the page and table tests (NULL: no font here). */
static csp_layout *test_doc(void)
{
    if (access(CSP_FONT_FALLBACK_REGULAR, R_OK) != 0 ||
        access(CSP_FONT_FALLBACK_BOLD, R_OK) != 0)
        return NULL;
    csp_layout_setup setup = {
        .font_regular = CSP_FONT_FALLBACK_REGULAR,
        .font_bold = CSP_FONT_FALLBACK_BOLD,
        .title = "Tables",
        .created = {1478254500, 0, 60},
        .running_title = "Running title",
        .accent = {0.2f, 0.3f, 0.4f},
    };
    csp_why why = {""};
    csp_layout *L = NULL;
    assert_int_equal(csp_layout_new(&setup, &L, &why), CSP_OK);
    return L;
}

/* Finish L into memory and free it; the PDF's bytes (caller frees). */
static char *test_finish(csp_layout *L, size_t *len)
{
    csp_why why = {""};
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    assert_non_null(f);
    assert_int_equal(csp_layout_finish(L, f, &why), CSP_OK);
    fclose(f);
    csp_layout_free(L);
    return buf;
}

/* Landscape pages: the page itself turned (its MediaBox), the flow's
 * own breaks staying landscape, and portrait again after
 * csp_layout_end_landscape. */
static void test_layout_landscape(void **state)
{
    (void)state;
    csp_layout *L = test_doc();
    if (!L)
        skip();
    csp_layout_page(L, CSP_PAGE_BODY);
    assert_false(csp_layout_landscape(L));
    assert_float_equal(csp_layout_page_width(L), 595.276, 1e-9);
    csp_layout_page(L, CSP_PAGE_LANDSCAPE);
    assert_true(csp_layout_landscape(L));
    assert_float_equal(csp_layout_page_width(L), 841.89, 1e-9);
    assert_float_equal(csp_layout_page_height(L), 595.276, 1e-9);
    assert_float_equal(csp_layout_width(L),
                       841.89 - 2 * csp_layout_left(L), 1e-9);
    assert_true(csp_layout_top(L) < 595.276);
    for (int i = 0; i < 100; i++)
        csp_layout_paragraph(L, "A paragraph long enough to wrap over more "
                                "than one line of the page, again and again "
                                "and again until it does, on a wide page.");
    size_t n = csp_layout_page_count(L);
    assert_true(n > 3);
    assert_true(csp_layout_landscape(L)); /* the flow's break kept it */
    csp_layout_end_landscape(L);
    assert_true(csp_layout_room(L) < 0.01);
    csp_layout_paragraph(L, "Back to portrait.");
    assert_int_equal(csp_layout_page_count(L), n + 1);
    assert_false(csp_layout_landscape(L));
    assert_float_equal(csp_layout_page_width(L), 595.276, 1e-9);
    assert_float_equal(csp_layout_top(L) - csp_layout_bottom(L),
                       841.89 - 64 - csp_layout_bottom(L), 1e-9);
    size_t len = 0;
    char *pdf = test_finish(L, &len);
    size_t wide = 0, tall = 0;
    for (size_t i = 0; i + 21 <= len; i++) {
        wide += memcmp(pdf + i, "/MediaBox [ 0 0 841.8", 21) == 0;
        tall += memcmp(pdf + i, "/MediaBox [ 0 0 595.2", 21) == 0;
    }
    assert_int_equal(wide, n - 1);
    assert_int_equal(tall, 2);
    free(pdf);
}

/* A table of two columns (short headers, so that its widths are the
 * same whatever its rows) with rows of these many lines; the flow's y
 * after it. */
static double test_table_opts(csp_layout *L, const int *lines, size_t nrows,
                              double tail, bool split)
{
    static const csp_table_col cols[] = {
        {"Head A", 1, false, CSP_ALIGN_LEFT, false},
        {"Head B", 1, false, CSP_ALIGN_LEFT, false},
    };
    csp_table *t = csp_table_begin(L, "T", cols, 2, NULL);
    assert_non_null(t);
    for (size_t r = 0; r < nrows; r++) {
        char text[2048] = "";
        for (int i = 0; i < lines[r]; i++)
            strcat(text, i ? "\nline" : "line");
        csp_table_cell cells[2] = {{0}};
        cells[0].text = text;
        cells[1].text = "x";
        csp_table_row(t, cells, false);
    }
    csp_table_keep_tail(t, tail);
    csp_table_split_on_short_page(t, split);
    csp_table_end(t);
    assert_int_equal(csp_layout_error(L), CSP_OK);
    return csp_layout_y(L);
}

/* The same, with @p tail kept after it. */
static double test_table_tail(csp_layout *L, const int *lines, size_t nrows,
                              double tail)
{
    return test_table_opts(L, lines, nrows, tail, false);
}

/* The same, with nothing kept after it. */
static double test_table(csp_layout *L, const int *lines, size_t nrows)
{
    return test_table_tail(L, lines, nrows, 0);
}

/* A row that does not fit in what is left of a page but fits on a page
 * moves whole to the next one, under the title "(continued)" and the
 * header row repeated: it ends where the same row alone ends on a fresh
 * page, under its title and header. */
static void test_table_keeps_row_whole(void **state)
{
    (void)state;
    csp_layout *A = test_doc();
    if (!A)
        skip();
    /* The last row goes with the one before it, never alone. */
    int tall[] = {30, 1};
    csp_layout_page(A, CSP_PAGE_BODY);
    double want = test_table(A, tall, 2);
    assert_int_equal(csp_layout_page_count(A), 1);
    size_t len;
    free(test_finish(A, &len));

    csp_layout *B = test_doc();
    csp_layout_page(B, CSP_PAGE_BODY);
    csp_layout_set_y(B, csp_layout_bottom(B) + 200);
    int rows[] = {1, 1, 1, 30, 1};
    double got = test_table(B, rows, 5);
    assert_int_equal(csp_layout_page_count(B), 2);
    assert_float_equal(got, want, 1e-6);
    free(test_finish(B, &len));
}

/* A table of @p rows set on a fresh page @p used (a share of the flow)
 * full; with @p tail, what follows it is as tall as the room left then
 * (it never fits after the rows); with @p split, rows split rather than
 * leave a page short.  Its pages; the flow's y after it, less the tail,
 * in *y (above the flow's bottom: there is room for the tail). */
static size_t table_on_page(double used, const int *rows, size_t n,
                            bool tail, bool split, double *y)
{
    csp_layout *L = test_doc();
    if (!L)
        skip();
    csp_layout_page(L, CSP_PAGE_BODY);
    double top = csp_layout_top(L), bottom = csp_layout_bottom(L);
    csp_layout_set_y(L, top - used * (top - bottom));
    double th = tail ? csp_layout_y(L) - bottom : 0;
    *y = test_table_opts(L, rows, n, th, split) - th;
    assert_true(*y >= bottom);
    size_t pages = csp_layout_page_count(L);
    size_t len;
    free(test_finish(L, &len));
    return pages;
}

/* What ends a chapter after a table (a short list) takes the table's
 * last rows with it to the next page rather than stand alone on it, when
 * the page they leave stays full enough; without it they stay. */
static void test_table_keeps_tail(void **state)
{
    (void)state;
    int rows[] = {3, 3, 3, 3};
    double y;
    assert_int_equal(table_on_page(0.6, rows, 4, false, false, &y), 1);
    assert_int_equal(table_on_page(0.6, rows, 4, true, false, &y), 2);
}

/* A row that does not fit moves whole to the next page; where the table
 * asks (csp_table_split_on_short_page) and moving it would leave the
 * page under half full, it splits between its lines instead. */
static void test_table_splits_on_short_page(void **state)
{
    (void)state;
    int rows[] = {1, 1, 40, 1};
    double whole, split;
    assert_int_equal(table_on_page(0.3, rows, 4, false, false, &whole), 2);
    assert_int_equal(table_on_page(0.3, rows, 4, false, true, &split), 2);
    /* Split, most of the row stayed on the first page. */
    assert_true(split > whole + 100);
}

/* A row taller than a whole page is split between its lines, over as
 * many pages as it needs (more of the shorter landscape ones). */
static void test_table_splits_row_taller_than_page(void **state)
{
    (void)state;
    int huge[] = {150};
    size_t pages[2];
    for (int k = 0; k < 2; k++) {
        csp_layout *L = test_doc();
        if (!L)
            skip();
        csp_layout_page(L, k ? CSP_PAGE_LANDSCAPE : CSP_PAGE_BODY);
        double y = test_table(L, huge, 1);
        pages[k] = csp_layout_page_count(L);
        assert_true(y > csp_layout_bottom(L));
        assert_true(csp_layout_landscape(L) == (k == 1));
        size_t len;
        free(test_finish(L, &len));
    }
    /* 150 lines of 10 pt or more: over 1,500 pt. */
    assert_true(pages[0] >= 3 && pages[0] <= 4);
    assert_true(pages[1] > pages[0]);
}

/* A line chart joins neighbouring figures only: a missing one (negative)
 * is a gap in the line, never a drop to zero; a real zero is drawn. */
static void test_layout_chart_line_gaps(void **state)
{
    (void)state;
    const char *cats[] = {"YE Sept 14", "YE Sept 15", "YE Sept 16",
                          "YE Sept 17", "YE Sept 18"};
    const char *series[] = {"Dartford", "Gravesham"};
    csp_rgb cl[] = {{0, 0, 1}, {1, 0, 0}};
    /* [category * nseries + series]: Dartford 7795, none, 8388, 8500,
     * 8600; Gravesham 7180, 6783, 0, none, 7000. */
    double v[] = {7795, 7180, -1, 6783, 8388, 0, 8500, -1, 8600, 7000};
    csp_chart ch = {"Victim-based crime", cats, 5, series, 2, v, cl, false,
                    true, NULL, NULL};
    csp_chart_plot plot = {.x = 100, .y = 50, .w = 500, .h = 200,
                           .vmax = 10000};
    csp_chart_piece pc[4];

    /* Dartford: 7795 | gap | 8388 - 8500 - 8600: two pieces, from the
     * third category on; nothing reaches the zero line. */
    assert_int_equal(csp_chart_line_pieces(&ch, 0, &plot, pc), 2);
    assert_int_equal(pc[0].from, 2);
    assert_int_equal(pc[1].from, 3);
    for (size_t i = 0; i < 2; i++) {
        assert_true(pc[i].y1 > plot.y + 1 && pc[i].y2 > plot.y + 1);
        assert_true(pc[i].x2 > pc[i].x1);
    }
    /* 8388 of 10000 on a 200-point axis from y = 50. */
    assert_true(fabs(pc[0].y1 - (50 + 200 * 0.8388)) < 1e-9);
    /* Evenly spaced, each in the middle of its category. */
    assert_true(fabs(pc[0].x1 - (100 + 100 * 2.5)) < 1e-9);
    assert_true(fabs(pc[1].x2 - (100 + 100 * 4.5)) < 1e-9);

    /* Gravesham: 7180 - 6783 - 0 | gap | 7000: a real zero is drawn. */
    assert_int_equal(csp_chart_line_pieces(&ch, 1, &plot, pc), 2);
    assert_int_equal(pc[0].from, 0);
    assert_int_equal(pc[1].from, 1);
    assert_true(fabs(pc[1].y2 - plot.y) < 1e-9);

    /* One figure between two gaps: no piece at all (a marker alone). */
    double lone[] = {-1, 619, -1};
    csp_chart one = {"Crimes against society", cats, 3, series, 1, lone, cl,
                     false, true, NULL, NULL};
    assert_int_equal(csp_chart_line_pieces(&one, 0, &plot, pc), 0);
}

/* A font that cannot be loaded is a clear error, not a crash. */
static void test_layout_bad_font(void **state)
{
    (void)state;
    csp_layout_setup setup = {.font_regular = "/nonexistent/font.ttf",
                              .font_bold = "/nonexistent/font.ttf"};
    csp_why why = {""};
    csp_layout *L = NULL;
    assert_int_equal(csp_layout_new(&setup, &L, &why), CSP_ERR_IO);
    assert_null(L);
    assert_string_equal(why.text, "the font /nonexistent/font.ttf cannot be "
                                  "read as a TrueType file");
}

/* The XMP copies the document information, XML-escaped, with the dates
 * of the Info dictionary in XMP's form and the same zone. */
static void test_layout_xmp(void **state)
{
    (void)state;
    char *x = NULL;
    size_t n = 0;
    assert_int_equal(CSP_OK,
                     csp_pdfobj_xmp("A <b> & \"c\" 'd' caf\xC3\xA9", "P&Q",
                                    NULL, "k", "csppack", "Haru",
                                    "D:20161014093000+01'00'",
                                    "D:20161118120000Z00'00'", true, &x, &n));
    assert_int_equal(strlen(x), n);
    assert_non_null(strstr(x, "<rdf:li xml:lang=\"x-default\">A &lt;b&gt; "
                              "&amp; &quot;c&quot; &apos;d&apos; "
                              "caf\xC3\xA9</rdf:li>"));
    assert_non_null(strstr(x, "<rdf:li>P&amp;Q</rdf:li>"));
    assert_null(strstr(x, "dc:description"));
    assert_non_null(strstr(
        x, "<xmp:CreateDate>2016-10-14T09:30:00+01:00</xmp:CreateDate>"));
    assert_non_null(
        strstr(x, "<xmp:ModifyDate>2016-11-18T12:00:00Z</xmp:ModifyDate>"));
    assert_non_null(strstr(x, "<pdfaid:part>2</pdfaid:part>"));
    assert_non_null(strstr(x, "<pdfaid:conformance>B</pdfaid:conformance>"));
    free(x);
    assert_int_equal(CSP_OK, csp_pdfobj_xmp("t", NULL, NULL, NULL, NULL, NULL,
                                            "D:20160101000000-05'30'", NULL,
                                            false, &x, &n));
    assert_non_null(strstr(x, "2016-01-01T00:00:00-05:30"));
    assert_null(strstr(x, "pdfaid"));
    free(x);
    /* A date not in the Info dictionary's form is refused. */
    assert_int_equal(CSP_ERR_INTERNAL,
                     csp_pdfobj_xmp("t", NULL, NULL, NULL, NULL, NULL,
                                    "2016-01-01", NULL, false, &x, &n));
    assert_null(x);
}

/* The ID is the first 16 bytes of the SHA-256 of the file as saved with
 * the placeholder, in both entries; without a placeholder, refused. */
static void test_layout_set_id(void **state)
{
    (void)state;
    char file[] = "%PDF-1.4\nstream <11111111111111111111111111111111>\n"
                  "trailer\n<< /ID [ <11111111111111111111111111111111> "
                  "<11111111111111111111111111111111> ] >>\n%%EOF\n";
    size_t len = strlen(file);
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)file);
    sha256_digest(&ctx, sizeof d, d);
    char want[33];
    for (int i = 0; i < 16; i++)
        snprintf(want + 2 * i, 3, "%02X", d[i]);
    assert_true(csp_pdfobj_set_id((unsigned char *)file, len));
    assert_int_equal(strlen(file), len);
    char *t = strstr(file, "trailer");
    /* Before the trailer, nothing changes. */
    assert_memory_equal(file + 16, "<11111111111111111111111111111111>", 34);
    char *a = strstr(t, "[ <") + 3, *b = strstr(a, "> <") + 3;
    assert_memory_equal(a, want, 32);
    assert_memory_equal(b, want, 32);
    char none[] = "%PDF-1.4\ntrailer\n<< /Size 1 >>\n";
    assert_false(csp_pdfobj_set_id((unsigned char *)none, strlen(none)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_utf8_seq_len),
        cmocka_unit_test(test_layout_utf8_floor),
        cmocka_unit_test(test_layout_utf8_clean),
        cmocka_unit_test(test_layout_wrap_at_spaces),
        cmocka_unit_test(test_layout_wrap_hard_breaks),
        cmocka_unit_test(test_layout_wrap_breaks_long_words_safely),
        cmocka_unit_test(test_layout_wrap_loses_nothing),
        cmocka_unit_test(test_layout_wrap_huge_word),
        cmocka_unit_test(test_layout_rgb),
        cmocka_unit_test(test_layout_document),
        cmocka_unit_test(test_layout_landscape),
        cmocka_unit_test(test_table_keeps_row_whole),
        cmocka_unit_test(test_table_splits_row_taller_than_page),
        cmocka_unit_test(test_table_keeps_tail),
        cmocka_unit_test(test_table_splits_on_short_page),
        cmocka_unit_test(test_layout_chart_line_gaps),
        cmocka_unit_test(test_layout_bad_font),
        cmocka_unit_test(test_layout_xmp),
        cmocka_unit_test(test_layout_set_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
