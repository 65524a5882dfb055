/* Unit tests: a report's content as a document (write/doc.h): the
 * recorder's own behaviour, and what the PDF writer records of the
 * samples' board pack and strategy report.  The bookmarks are read back
 * with mupdf's mutool; those checks are skipped without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/doc.h"
#include "csppack/write/pdf/report.h"
#include "testutil.h"

/* ---- The recorder ------------------------------------------------------ */

/* Blocks are appended in the order of the calls; two page breaks in a
 * row are one. */
static void test_doc_order(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    csp_doc_para(d, CSP_DOC_TITLE, "Title");
    csp_doc_heading(d, 0, "One", true);
    csp_doc_heading(d, 7, "Deep", false);
    csp_doc_para(d, CSP_DOC_NOTE, "Small print");
    csp_doc_item(d, 1, "Item");
    csp_doc_contents(d);
    csp_doc_page(d);
    csp_doc_page(d);
    assert_int_equal(csp_doc_error(d), CSP_OK);
    assert_int_equal(d->nblocks, 7);
    assert_int_equal(d->blocks[0].kind, CSP_DOC_PARA);
    assert_int_equal(d->blocks[0].role, CSP_DOC_TITLE);
    assert_int_equal(d->blocks[1].kind, CSP_DOC_HEADING);
    assert_true(d->blocks[1].toc);
    assert_int_equal(d->blocks[2].level, 3); /* levels stop at 3 */
    assert_false(d->blocks[2].toc);
    assert_int_equal(d->blocks[3].role, CSP_DOC_NOTE);
    assert_string_equal(d->blocks[3].text, "Small print");
    assert_int_equal(d->blocks[4].kind, CSP_DOC_ITEM);
    assert_int_equal(d->blocks[4].level, 1);
    assert_int_equal(d->blocks[5].kind, CSP_DOC_CONTENTS);
    assert_int_equal(d->blocks[6].kind, CSP_DOC_PAGE);
    csp_doc_free(d);
}

/* Blocks recorded after csp_doc_insert_at go in at the position
 * remembered, each after the one before, and SIZE_MAX appends again;
 * a table open across the insertion keeps its rows. */
static void test_doc_insert_at(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    csp_doc_heading(d, 0, "Summary", true);
    size_t at = csp_doc_here(d);
    assert_int_equal(at, 1);
    csp_doc_heading(d, 0, "After", true);
    csp_doc_insert_at(d, at);
    csp_doc_para(d, CSP_DOC_BODY, "first");
    assert_int_equal(csp_doc_here(d), 2);
    csp_doc_col col = {(char *)"Col", CSP_ALIGN_RIGHT};
    csp_doc_table_begin(d, "T", &col, 1, false);
    csp_doc_para(d, CSP_DOC_BODY, "second");
    csp_doc_cell cell = {.text = (char *)"9"};
    csp_doc_table_row(d, &cell);
    csp_doc_table_end(d);
    csp_doc_insert_at(d, SIZE_MAX);
    csp_doc_para(d, CSP_DOC_BODY, "last");
    assert_int_equal(csp_doc_error(d), CSP_OK);
    assert_int_equal(d->nblocks, 6);
    assert_string_equal(d->blocks[0].text, "Summary");
    assert_string_equal(d->blocks[1].text, "first");
    assert_int_equal(d->blocks[2].kind, CSP_DOC_TABLE);
    assert_int_equal(d->blocks[2].table->nrows, 1);
    assert_string_equal(d->blocks[2].table->cells[0].text, "9");
    assert_string_equal(d->blocks[3].text, "second");
    assert_string_equal(d->blocks[4].text, "After");
    assert_string_equal(d->blocks[5].text, "last");
    csp_doc_free(d);
}

/* A table that got no row is dropped, and the insertion point stays
 * where it was in what remains. */
static void test_doc_empty_table(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    csp_doc_para(d, CSP_DOC_BODY, "a");
    csp_doc_para(d, CSP_DOC_BODY, "z");
    csp_doc_insert_at(d, 1);
    csp_doc_col col = {(char *)"Col", CSP_ALIGN_LEFT};
    csp_doc_table_begin(d, NULL, &col, 1, true);
    csp_doc_table_end(d);
    csp_doc_para(d, CSP_DOC_BODY, "m");
    assert_int_equal(d->nblocks, 3);
    assert_string_equal(d->blocks[1].text, "m");
    assert_string_equal(d->blocks[2].text, "z");
    csp_doc_free(d);
}

/* Everything is copied: the caller's strings may change after. */
static void test_doc_copies(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    char text[] = "heading", word[] = "Complete", cat[] = "2016",
         ser[] = "North", vt[] = "7,795", key[] = "On track";
    csp_doc_heading(d, 1, text, false);
    csp_doc_col col = {text, CSP_ALIGN_LEFT};
    csp_doc_table_begin(d, text, &col, 1, false);
    csp_doc_cell cell = {
        .text = text, .mark = CSP_MARK_TICK, .mark_word = word, .note = word};
    csp_doc_table_row(d, &cell);
    csp_doc_table_end(d);
    char *cats[] = {cat}, *series[] = {ser}, *vts[] = {vt};
    double values[] = {7795};
    csp_rgb colours[] = {{0, 0, 1}};
    csp_doc_chart c = {.title = text,
                       .desc = word,
                       .categories = cats,
                       .ncategories = 1,
                       .series = series,
                       .nseries = 1,
                       .values = values,
                       .value_text = vts,
                       .colours = colours,
                       .lines = true};
    csp_doc_chart_add(d, &c);
    csp_doc_key k = {CSP_MARK_DOT, {0, 1, 0}, key};
    csp_doc_keys(d, "Status:", &k, 1);
    csp_doc_set_meta(d, &(csp_doc_meta){.title = text});
    memset(text, 'x', sizeof text - 1);
    memset(word, 'x', sizeof word - 1);
    memset(cat, 'x', sizeof cat - 1);
    memset(ser, 'x', sizeof ser - 1);
    memset(vt, 'x', sizeof vt - 1);
    memset(key, 'x', sizeof key - 1);
    values[0] = 0;
    assert_int_equal(csp_doc_error(d), CSP_OK);
    assert_string_equal(d->meta.title, "heading");
    assert_string_equal(d->meta.lang, "en-GB");
    assert_string_equal(d->blocks[0].text, "heading");
    const csp_doc_table *t = d->blocks[1].table;
    assert_string_equal(t->caption, "heading");
    assert_string_equal(t->cols[0].title, "heading");
    assert_string_equal(t->cells[0].text, "heading");
    assert_string_equal(t->cells[0].mark_word, "Complete");
    assert_string_equal(t->cells[0].note, "Complete");
    const csp_doc_chart *k2 = d->blocks[2].chart;
    assert_string_equal(k2->title, "heading");
    assert_string_equal(k2->desc, "Complete");
    assert_string_equal(k2->categories[0], "2016");
    assert_string_equal(k2->series[0], "North");
    assert_string_equal(k2->value_text[0], "7,795");
    assert_true(k2->values[0] == 7795);
    assert_string_equal(d->blocks[3].keys[0].word, "On track");
    assert_string_equal(d->blocks[3].text, "Status:");
    csp_doc_free(d);
}

/* After a failure every call does nothing and the failure stays. */
static void test_doc_sticky(void **state)
{
    (void)state;
    csp_doc *d = csp_doc_new();
    assert_non_null(d);
    csp_doc_para(d, CSP_DOC_BODY, "before");
    d->err = CSP_ERR_NOMEM; /* as a failed allocation leaves it */
    csp_doc_para(d, CSP_DOC_BODY, "after");
    csp_doc_heading(d, 0, "after", true);
    csp_doc_page(d);
    csp_doc_col col = {(char *)"Col", CSP_ALIGN_LEFT};
    csp_doc_table_begin(d, NULL, &col, 1, false);
    csp_doc_cell cell = {.text = (char *)"x"};
    csp_doc_table_row(d, &cell);
    csp_doc_table_end(d);
    assert_int_equal(d->nblocks, 1);
    assert_int_equal(csp_doc_error(d), CSP_ERR_NOMEM);
    assert_int_equal(csp_doc_error(NULL), CSP_ERR_NOMEM);
    csp_doc_free(d);
}

/* ---- What the reports record ------------------------------------------- */

/* Render into a temporary file (kept at path), its bytes returned. */
static char *render(const csp_dataset *ds, csp_report_kind kind,
                    const csp_report_options *opt, char path[64], size_t *len)
{
    tu_render_report(ds, kind, opt, path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *b = tu_read_stream(f, len);
    assert_int_equal(fclose(f), 0);
    return b;
}

/* The bookmarks' titles, in order (mutool show PATH outline), as one
 * malloc'd string of lines; NULL without mutool. */
static char *bookmarks(const char *path)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "mutool show %s outline 2>/dev/null", path);
    char *out = tu_command_output(cmd);
    if (!out)
        return NULL;
    /* Each line |<tabs>"Title"<tab>#page=... becomes Title, in place. */
    size_t len = 0;
    for (char *line = out, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = line + strlen(line) - 1;
        char *a = strchr(line, '"'), *b = strstr(line, "\"\t#");
        if (!a || !b || b <= a || b > end)
            continue;
        size_t n = (size_t)(b - a - 1);
        memmove(out + len, a + 1, n);
        len += n;
        out[len++] = '\n';
    }
    out[len] = '\0';
    if (len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Every bookmark of the PDF (but the cover's) is a heading of the
 * document, in the same order. */
static void check_bookmarks(const csp_doc *d, const char *path)
{
    char *marks = bookmarks(path);
    if (!marks) {
        print_message("mutool not available: bookmarks not checked\n");
        return;
    }
    size_t at = 0, n = 0;
    for (char *s = marks, *e; *s; s = e + 1) {
        e = strchr(s, '\n');
        *e = '\0';
        if (strcmp(s, "Cover") == 0)
            continue;
        while (at < d->nblocks && (d->blocks[at].kind != CSP_DOC_HEADING ||
                                   strcmp(d->blocks[at].text, s) != 0))
            at++;
        if (at == d->nblocks)
            fail_msg("bookmark \"%s\" is not a heading after the one "
                     "before",
                     s);
        at++;
        n++;
    }
    assert_true(n > 10);
    free(marks);
}

/* What every recorded document has: one title, first; tables with
 * columns and rows; every mark a word too; charts' values printed. */
static void check_common(const csp_doc *d, size_t *ncharts)
{
    size_t titles = 0;
    *ncharts = 0;
    for (size_t i = 0; i < d->nblocks; i++) {
        const csp_doc_block *b = &d->blocks[i];
        titles += b->kind == CSP_DOC_PARA && b->role == CSP_DOC_TITLE;
        if (b->text && strstr(b->text, "accessible version"))
            fail_msg("the HTML line is recorded: %s", b->text);
        if (b->kind == CSP_DOC_TABLE) {
            const csp_doc_table *t = b->table;
            assert_true(t->ncols > 0);
            assert_true(t->nrows > 0);
            for (size_t c = 0; c < t->nrows * t->ncols; c++)
                if (t->cells[c].mark != CSP_MARK_NONE &&
                    !t->cells[c].mark_word && !t->cells[c].text)
                    fail_msg("a mark without a word in table %zu", i);
        }
        if (b->kind == CSP_DOC_KEY)
            for (size_t k = 0; k < b->nkeys; k++)
                assert_true(b->keys[k].word && b->keys[k].word[0]);
        if (b->kind == CSP_DOC_CHART) {
            const csp_doc_chart *c = b->chart;
            (*ncharts)++;
            assert_non_null(c->desc);
            assert_non_null(c->value_text);
            for (size_t v = 0; v < c->ncategories * c->nseries; v++)
                if (c->values[v] >= 0)
                    assert_non_null(c->value_text[v]);
                else
                    assert_null(c->value_text[v]);
        }
    }
    assert_int_equal(titles, 1);
}

/* The index of the first heading with this text, or nblocks. */
static size_t heading_at(const csp_doc *d, const char *text)
{
    size_t i = 0;
    while (i < d->nblocks && !(d->blocks[i].kind == CSP_DOC_HEADING &&
                               strcmp(d->blocks[i].text, text) == 0))
        i++;
    return i;
}

/* The document recorded while rendering @p kind of @p ds, after
 * checking that recording leaves the PDF's bytes as they were, what
 * every document has (check_common) and the bookmarks. */
static csp_doc *recorded(const csp_dataset *ds, csp_report_kind kind)
{
    char plain_path[64], path[64];
    size_t plain_len, len;
    char *plain = render(ds, kind, NULL, plain_path, &plain_len);
    csp_doc *d = NULL;
    csp_report_options opt = {.doc = &d};
    char *bytes = render(ds, kind, &opt, path, &len);
    assert_non_null(d);
    assert_int_equal(len, plain_len);
    assert_memory_equal(bytes, plain, len);
    size_t ncharts;
    check_common(d, &ncharts);
    assert_true(ncharts >= 3);
    check_bookmarks(d, path);
    unlink(plain_path);
    unlink(path);
    free(plain);
    free(bytes);
    return d;
}

/* Whether page 1 of @p kind, rendered naming the HTML version
 * "report.html", says where that version is. */
static void check_html_line(const csp_dataset *ds, csp_report_kind kind)
{
    char path[64], cmd[256];
    size_t len;
    csp_report_options opt = {.html_name = "report.html"};
    char *bytes = render(ds, kind, &opt, path, &len);
    snprintf(cmd, sizeof cmd,
             "pdftotext -f 1 -l 1 %s - 2>/dev/null | tr '\\n' ' ' | "
             "grep -q 'published as HTML: report.html\\.'",
             path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    free(bytes);
}

/* The board pack: the title block, then the summary (drawn last onto
 * page 1) under its heading before the next page, with its counts as
 * keys. */
static void test_doc_board(void **state)
{
    (void)state;
    csp_dataset *ds = tu_samples_dataset();
    csp_doc *d = recorded(ds, CSP_REPORT_BOARD);
    assert_int_equal(d->blocks[1].role, CSP_DOC_SUBTITLE);
    size_t s = heading_at(d, "Summary");
    assert_true(s < 6);
    for (size_t i = 1; i < s; i++)
        assert_int_equal(d->blocks[i].kind, CSP_DOC_PARA);
    /* The summary's parts, in the order they read, before page 2. */
    size_t page = s;
    while (page < d->nblocks && d->blocks[page].kind != CSP_DOC_PAGE)
        page++;
    size_t keys = 0, subs = 0;
    for (size_t i = s + 1; i < page; i++) {
        keys += d->blocks[i].kind == CSP_DOC_KEY;
        subs += d->blocks[i].kind == CSP_DOC_HEADING;
    }
    assert_int_equal(d->blocks[s + 1].kind, CSP_DOC_HEADING);
    assert_int_equal(d->blocks[s + 1].level, 1);
    assert_true(subs >= 4);
    assert_true(keys >= 2);
    assert_true(heading_at(d, "Measures") < page);
    assert_true(heading_at(d, "In this pack") > page);
    csp_doc_free(d);
    check_html_line(ds, CSP_REPORT_BOARD);
    csp_dataset_free(ds);
}

/* The strategy report: its cover's title first; the contents after
 * their heading; the HTML line on the cover when asked. */
static void test_doc_strategy(void **state)
{
    (void)state;
    csp_dataset *ds = tu_samples_dataset();
    csp_doc *d = recorded(ds, CSP_REPORT_STRATEGY);
    assert_string_equal(d->blocks[0].text, tu_tpl->title);
    size_t contents = 0;
    while (contents < d->nblocks &&
           d->blocks[contents].kind != CSP_DOC_CONTENTS)
        contents++;
    assert_true(contents < 12);
    assert_int_equal(d->blocks[contents - 1].kind, CSP_DOC_HEADING);
    csp_doc_free(d);
    check_html_line(ds, CSP_REPORT_STRATEGY);
    csp_dataset_free(ds);
}

/* A refused render hands back no document. */
static void test_doc_failure(void **state)
{
    (void)state;
    csp_dataset *ds = csp_dataset_new(tu_tpl);
    assert_non_null(ds);
    csp_doc *d = (csp_doc *)&d; /* anything: it must be cleared */
    csp_report_options opt = {.doc = &d};
    csp_why why;
    assert_int_equal(
        csp_report_render(ds, CSP_REPORT_BOARD, &opt, stdout, &why),
        CSP_ERR_USAGE);
    assert_null(d);
    csp_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doc_order),
        cmocka_unit_test(test_doc_insert_at),
        cmocka_unit_test(test_doc_empty_table),
        cmocka_unit_test(test_doc_copies),
        cmocka_unit_test(test_doc_sticky),
        cmocka_unit_test(test_doc_board),
        cmocka_unit_test(test_doc_strategy),
        cmocka_unit_test(test_doc_failure),
    };
    return cmocka_run_group_tests(tests, tu_setup, tu_teardown);
}
