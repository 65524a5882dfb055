/* Unit tests: the HTML writer (write/html/html.h) over documents built
 * by hand. */
/* cmocka.h needs these four before it. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/doc.h"
#include "csppack/write/html/html.h"
#include "csppack/write/html/html_parts.h"
#include "testutil.h"

/* Text with every character HTML escapes and some that it must not. */
#define NASTY                                                                  \
    "A < B & C > D \"q\" 'a' \xE2\x80\x99 \xE2\x80\x93 \xC2\xA3 \xC3\xA9"
/* NASTY as escaped in text. */
#define NASTY_TEXT                                                             \
    "A &lt; B &amp; C &gt; D \"q\" 'a' \xE2\x80\x99 \xE2\x80\x93 \xC2\xA3 "    \
    "\xC3\xA9"

/* A string literal where the document's structs take char * (they are
 * only read). */
#define S(x) ((char *)(uintptr_t)(x))

/* How many times needle occurs in s. */
static size_t occurs(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* A table of two columns: a name (row headers) and a right-aligned
 * figure. */
static void add_table(csp_doc *d, const char *caption)
{
    csp_doc_col cols[] = {{S("Area"), CSP_ALIGN_LEFT},
                          {S("Crimes"), CSP_ALIGN_RIGHT},
                          {S("Status"), CSP_ALIGN_LEFT}};
    csp_doc_table_begin(d, caption, cols, 3, true);
    csp_doc_cell r1[] = {{.text = S("North")},
                         {.text = S("1,204"), .note = S("Q2 2016/17")},
                         {.mark = CSP_MARK_DOT,
                          .mark_colour = {0, 0.5f, 0},
                          .mark_word = S("On track"),
                          .note = S("Up")}};
    csp_doc_cell r2[] = {{.continues = true},
                         {.text = S("7"), .note = S("\xE2\x80\xA0")},
                         {.text = S("Off track"),
                          .mark = CSP_MARK_CROSS,
                          .mark_colour = {0.8f, 0, 0}}};
    csp_doc_table_row(d, r1);
    csp_doc_table_row(d, r2);
    csp_doc_table_end(d);
}

/* A document with one of each kind of block. */
static csp_doc *sample(void)
{
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    csp_doc_meta m = {.title = S("Board pack"),
                      .author = S(NASTY),
                      .marking = S("OFFICIAL"),
                      .footer = S("Published by us"),
                      .accent = {0.1f, 0.3f, 0.6f}};
    csp_doc_set_meta(d, &m);
    csp_doc_para(d, CSP_DOC_LEAD, "Quarterly board pack");
    csp_doc_para(d, CSP_DOC_TITLE, "Board pack");
    csp_doc_para(d, CSP_DOC_SUBTITLE, "April to June 2024");
    csp_doc_contents(d);
    csp_doc_page(d);
    csp_doc_heading(d, 0, "Key findings", true);
    csp_doc_para(d, CSP_DOC_BODY, NASTY);
    csp_doc_item(d, 0, "One");
    csp_doc_item(d, 1, "One and a half");
    csp_doc_item(d, 0, "Two");
    csp_doc_heading(d, 1, "Crime", true);
    add_table(d, NULL);
    csp_doc_para(d, CSP_DOC_NOTE, "A note");
    csp_doc_para(d, CSP_DOC_STRONG, "No figures received yet");
    csp_doc_key k[] = {{CSP_MARK_TRIANGLE, {0.9f, 0.6f, 0}, S("At risk")},
                       {CSP_MARK_TICK, {0, 0.4f, 0}, S("Complete")}};
    csp_doc_keys(d, "Status:", k, 2);
    char *cats[] = {S("2022/23"), S(NASTY)};
    char *series[] = {S("North"), S("South")};
    double values[] = {10, 12.5, -1, 7};
    char *text[] = {S("10"), S("12.5"), NULL, S("7")};
    csp_rgb colours[] = {{0, 0.3f, 0.6f}, {0.8f, 0.4f, 0}};
    csp_doc_chart c = {.title = S(NASTY),
                       .desc = S("Crimes fell in the north."),
                       .categories = cats,
                       .ncategories = 2,
                       .series = series,
                       .nseries = 2,
                       .values = values,
                       .value_text = text,
                       .colours = colours,
                       .lines = true};
    csp_doc_chart_add(d, &c);
    csp_doc_heading(d, 2, "Deep", false);
    assert_int_equal(csp_doc_error(d), CSP_OK);
    return d;
}

/* < > & are escaped in text, attributes and SVG text; ’ – £ é go out as
 * UTF-8, as the page's charset says. */
static void test_escaping(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *s = tu_render_html(d);
    /* body text, SVG <title> and category label, table caption */
    assert_true(occurs(s, "<p>" NASTY_TEXT "</p>") == 1);
    assert_true(occurs(s, ">" NASTY_TEXT "</title>") == 1);
    assert_true(occurs(s, ">" NASTY_TEXT "</text>") == 1);
    assert_true(
        occurs(s, "<caption id=\"t2\">Figures: " NASTY_TEXT "</caption>") == 1);
    assert_true(occurs(s, "<th scope=\"row\">" NASTY_TEXT "</th>") == 1);
    /* an attribute holding both quotes: " becomes &quot; */
    assert_non_null(strstr(s,
                           "<meta name=\"author\" content=\"A &lt; B "
                           "&amp; C &gt; D &quot;q&quot; 'a' "
                           "\xE2\x80\x99 \xE2\x80\x93 \xC2\xA3 \xC3\xA9\">"));
    assert_null(strstr(s, "&rsquo;"));
    assert_null(strstr(s, "A < B"));
    free(s);
    csp_doc_free(d);
}

/* The h levels of s in order, as digits. */
static void levels(const char *s, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = s; (p = strstr(p, "<h")) && k + 1 < n; p += 2)
        if (p[2] >= '1' && p[2] <= '6' && (p[3] == '>' || p[3] == ' '))
            out[k++] = p[2];
    out[k] = 0;
}

/* The title is the one h1; levels 0..3 are h2..h5 but never more than
 * one below the heading before; the contents have an h2. */
static void test_headings(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    csp_doc_para(d, CSP_DOC_TITLE, "Title");
    csp_doc_heading(d, 2, "Skips to h4", false);
    csp_doc_heading(d, 3, "Then h5", false);
    csp_doc_heading(d, 0, "Section", false);
    csp_doc_heading(d, 3, "Deep", false);
    csp_doc_para(d, CSP_DOC_TITLE, "A second title");
    char *s = tu_render_html(d);
    char lv[16];
    levels(s, lv, sizeof lv);
    assert_string_equal(lv, "12323");
    assert_non_null(strstr(s, "<h2 id=\"s1\">Skips to h4</h2>"));
    assert_non_null(strstr(s, "<h3 id=\"s4\">Deep</h3>"));
    assert_non_null(strstr(s, "<p class=\"lead\">A second title</p>"));
    free(s);
    csp_doc_free(d);

    d = sample();
    s = tu_render_html(d);
    levels(s, lv, sizeof lv);
    assert_string_equal(lv, "12234"); /* h1, Contents, h2, h3, h4 */
    free(s);
    csp_doc_free(d);
}

/* Every id is unique; every link of the contents (and the skip link)
 * goes to one. */
static void test_ids_and_links(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *s = tu_render_html(d);
    char ids[64][32];
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, " id=\"")); p += 5) {
        const char *e = strchr(p + 5, '"');
        assert_true(n < 64 && (size_t)(e - p - 5) < 32);
        snprintf(ids[n], 32, "%.*s", (int)(e - p - 5), p + 5);
        for (size_t i = 0; i < n; i++)
            assert_string_not_equal(ids[i], ids[n]);
        n++;
    }
    size_t links = 0;
    for (const char *p = s; (p = strstr(p, "href=\"")); p += 6) {
        assert_int_equal(p[6], '#');
        const char *e = strchr(p + 7, '"');
        bool found = false;
        for (size_t i = 0; i < n; i++)
            found |= strlen(ids[i]) == (size_t)(e - p - 7) &&
                     !strncmp(ids[i], p + 7, (size_t)(e - p - 7));
        assert_true(found);
        links++;
    }
    assert_int_equal(links, 3); /* skip link, two contents entries */
    assert_non_null(strstr(s, "<nav aria-labelledby=\"contents\">\n"
                              "<h2 id=\"contents\">Contents</h2>\n<ul>\n"
                              "<li><a href=\"#s1\">Key findings</a><ul>\n"
                              "<li><a href=\"#s2\">Crime</a></li>\n"
                              "</ul></li>\n</ul></nav>"));
    /* the skip link is the first link of the body */
    assert_non_null(strstr(s, "<body>\n<a href=\"#main\" class=\"skip\">"
                              "Skip to main content</a>\n<header"));
    assert_non_null(strstr(s, "<main id=\"main\">"));
    free(s);
    csp_doc_free(d);
}

/* A heading just before the contents is their heading: inside the nav,
 * naming it, and not listed in it. */
static void test_contents_heading(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    csp_doc_para(d, CSP_DOC_TITLE, "Title");
    csp_doc_page(d);
    csp_doc_heading(d, 0, "In this report", true);
    csp_doc_contents(d);
    csp_doc_heading(d, 0, "Foreword", true);
    char *s = tu_render_html(d);
    assert_non_null(strstr(s, "<nav class=\"page-break\" "
                              "aria-labelledby=\"s1\">\n"
                              "<h2 id=\"s1\">In this report</h2>\n<ul>\n"
                              "<li><a href=\"#s2\">Foreword</a></li>\n"
                              "</ul></nav>\n<h2 id=\"s2\">Foreword</h2>"));
    assert_int_equal(occurs(s, "Contents"), 0);
    free(s);
    csp_doc_free(d);
}

/* A table's caption that repeats the heading just above it is hidden
 * from sight (class echo) but kept for screen readers; one that says
 * something else, or follows other text, is shown. */
static void test_caption_echo(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    csp_doc_para(d, CSP_DOC_TITLE, "Title");
    csp_doc_heading(d, 0, "Dartmoor", true);
    add_table(d, "Dartmoor");
    csp_doc_heading(d, 0, "Exmoor", true);
    add_table(d, "Crime in Exmoor");
    csp_doc_heading(d, 0, "Lundy", true);
    csp_doc_para(d, CSP_DOC_BODY, "Figures for the island.");
    add_table(d, "Lundy");
    char *s = tu_render_html(d);
    assert_non_null(strstr(s, "<caption id=\"t1\" class=\"echo\">"
                              "Dartmoor</caption>"));
    assert_non_null(strstr(s, "<caption id=\"t2\">Crime in Exmoor</caption>"));
    assert_non_null(strstr(s, "<caption id=\"t3\">Lundy</caption>"));
    assert_non_null(strstr(s, "caption.echo{position:absolute;"));
    free(s);
    csp_doc_free(d);
}

/* A table has a caption (the nearest heading when it has none), column
 * and row headers with scopes, merged continuing cells, right-aligned
 * figures, marks with words, a note mark raised and a longer note on a
 * line of its own. */
static void test_tables(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *s = tu_render_html(d);
    assert_non_null(strstr(
        s, "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"t1\" "
           "tabindex=\"0\">\n<table>\n<caption id=\"t1\" class=\"echo\">"
           "Crime</caption>\n"
           "<thead><tr><th scope=\"col\">Area</th><th scope=\"col\" "
           "class=\"num\">Crimes</th><th scope=\"col\">Status</th></tr>"
           "</thead>\n<tbody>\n<tr><th scope=\"row\" rowspan=\"2\">North</th>"
           "<td class=\"num\">1,204<span class=\"cell-note\">Q2 2016/17"
           "</span></td><td><svg class=\"mark\""));
    /* the mark's word follows its shape; the cross says its word in text */
    assert_non_null(strstr(s, "</svg>On track<span class=\"cell-note\">Up"
                              "</span></td>"));
    assert_non_null(strstr(s, "</svg>Off track</td>"));
    assert_non_null(strstr(s, "<td class=\"num\">7<sup>\xE2\x80\xA0</sup>"));
    assert_int_equal(occurs(s, "<th>"), 0);
    assert_int_equal(occurs(s, "<th scope="), occurs(s, "<th "));
    assert_int_equal(occurs(s, "<table>"), occurs(s, "<caption id="));
    /* a caption of its own wins over the heading */
    csp_doc *e = csp_doc_new();
    csp_doc_heading(e, 0, "Heading", false);
    add_table(e, "Its own");
    char *t = tu_render_html(e);
    assert_non_null(strstr(t, "<caption id=\"t1\">Its own</caption>"));
    free(t);
    csp_doc_free(e);
    free(s);
    csp_doc_free(d);
}

/* Marks are shapes hidden from assistive technology, with their words;
 * a key lists shape and word; a chart is an image with title and
 * description and a table of the same figures as printed. */
static void test_marks_keys_charts(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *s = tu_render_html(d);
    assert_int_equal(occurs(s, "<svg class=\"mark\""),
                     occurs(s, "aria-hidden=\"true\" focusable=\"false\""));
    assert_non_null(strstr(s, "<p class=\"key-label\">Status:</p>\n"
                              "<ul class=\"key\">\n<li><svg class=\"mark\""));
    assert_non_null(strstr(s, "</svg>At risk</li>"));
    assert_non_null(strstr(s, "</svg>Complete</li>"));
    assert_non_null(strstr(s, "<svg class=\"chart\" role=\"img\" "
                              "aria-labelledby=\"c1-title c1-desc\""));
    assert_non_null(strstr(s, "<desc id=\"c1-desc\">Crimes fell in the "
                              "north.</desc>"));
    assert_non_null(strstr(s, "<tr><th scope=\"row\">2022/23</th>"
                              "<td class=\"num\">10</td>"
                              "<td class=\"num\">12.5</td></tr>"));
    /* a missing value is a dash in the table, a gap in the line */
    assert_non_null(strstr(s, "<td class=\"num\">\xE2\x80\x93</td>"
                              "<td class=\"num\">7</td></tr>"));
    assert_int_equal(occurs(s, "<line x1=\"84.0\""), 0);
    assert_non_null(strstr(s, "<figure>\n<figcaption>" NASTY_TEXT
                              "</figcaption>\n<svg class=\"chart\""));
    free(s);
    csp_doc_free(d);
}

/* Paragraph roles, lists, the page break, marking and footer. */
static void test_flow(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *s = tu_render_html(d);
    assert_non_null(strstr(s, "<p class=\"lead\">Quarterly board pack</p>\n"
                              "<h1>Board pack</h1>\n"
                              "<p class=\"subtitle\">April to June 2024</p>"));
    assert_non_null(strstr(s, "<h2 class=\"page-break\" id=\"s1\">"
                              "Key findings</h2>"));
    assert_int_equal(occurs(s, "page-break\""), 1);
    assert_non_null(strstr(s, "<ul>\n<li>One<ul>\n<li>One and a half</li>\n"
                              "</ul></li>\n<li>Two</li>\n</ul>"));
    assert_non_null(strstr(s, "<p class=\"note\">A note</p>"));
    assert_non_null(strstr(s, "<p><strong>No figures received yet</strong>"));
    assert_non_null(strstr(s, "<header class=\"marking\"><p>OFFICIAL</p>"
                              "</header>"));
    assert_non_null(strstr(s, "<footer><p>Published by us</p></footer>"));
    free(s);
    csp_doc_free(d);
}

/* The same document gives the same bytes. */
static void test_same_bytes(void **state)
{
    (void)state;
    csp_doc *d = sample();
    char *a = tu_render_html(d), *b = tu_render_html(d);
    assert_string_equal(a, b);
    free(a);
    free(b);
    csp_doc_free(d);
}

/* An empty document is still a whole page with an h1. */
static void test_empty(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    char *s = tu_render_html(d);
    assert_true(!strncmp(s,
                         "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
                         "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                         "content=\"width=device-width, initial-scale=1\">\n"
                         "<title>Report</title>\n<style>",
                         strlen("<!DOCTYPE html>\n<html lang=\"en-GB\">\n"
                                "<head>\n<meta charset=\"utf-8\">\n")));
    assert_non_null(strstr(s, "<main id=\"main\">\n<h1>Report</h1>\n"));
    assert_non_null(strstr(s, "</html>\n"));
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<header"));
    free(s);
    csp_doc_free(d);
}

/* The accent colours headings only at 4.5:1 on white: a light one is
 * darkened, a dark one kept; text greys reach it too. */
static void test_contrast(void **state)
{
    (void)state;
    const csp_rgb white = {1, 1, 1};
    csp_rgb light = {1, 0.8f, 0};
    assert_true(csp_html_contrast(light, white) < 4.5);
    csp_rgb dark = csp_html_readable(light);
    assert_true(csp_html_contrast(dark, white) >= 4.5);
    char c[8];
    csp_html_colour(dark, c);
    char *css = csp_html_css(light);
    assert_non_null(css);
    char want[64];
    snprintf(want, sizeof want, "h1,h2,h3,h4,h5{color:%s;", c);
    assert_non_null(strstr(css, want));
    free(css);
    csp_rgb navy = {0.1f, 0.2f, 0.5f};
    csp_html_colour(csp_html_readable(navy), c);
    char navy_hex[8];
    csp_html_colour(navy, navy_hex);
    assert_string_equal(c, navy_hex);
    csp_rgb grey = {0x59 / 255.0f, 0x59 / 255.0f, 0x59 / 255.0f};
    assert_true(csp_html_contrast(grey, white) >= 4.5);
    csp_rgb rule = {0x76 / 255.0f, 0x76 / 255.0f, 0x76 / 255.0f};
    assert_true(csp_html_contrast(rule, white) >= 4.5);
}

/* A document whose recording failed, and a stream that cannot be
 * written, are refused with why. */
static void test_refusals(void **state)
{
    (void)state;
    csp_why why = {{0}};
    csp_doc *d = csp_doc_new();
    FILE *ro = fopen("/dev/null", "r");
    assert_non_null(ro);
    assert_int_equal(csp_html_write(d, ro, &why), CSP_ERR_IO);
    assert_string_equal(why.text, "writing the HTML report failed");
    fclose(ro);
    d->err = CSP_ERR_NOMEM;
    csp_why_clear(&why);
    assert_int_equal(csp_html_write(d, stdout, &why), CSP_ERR_NOMEM);
    assert_string_equal(why.text, "the report's content could not be recorded");
    csp_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_headings),
        cmocka_unit_test(test_ids_and_links),
        cmocka_unit_test(test_contents_heading),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_caption_echo),
        cmocka_unit_test(test_marks_keys_charts),
        cmocka_unit_test(test_flow),
        cmocka_unit_test(test_same_bytes),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_contrast),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
