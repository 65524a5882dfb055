/*
 * Unit tests of diagrams: the template reader's <diagram> (nodes, rows,
 * links, the priorities diagram of the bundled template), and the HTML
 * figure with its text alternative.  The refusals (E301, E302, E305)
 * are among test_template.c's bad templates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/model/diag.h"
#include "csppack/model/template.h"
#include "csppack/read/template.h"
#include "csppack/write/doc.h"
#include "csppack/write/html/html.h"
#include "testutil.h"

/* A string literal where the document's structs take char *. */
#define S(x) ((char *)(uintptr_t)(x))

/* Read template @p path (NULL: the built-in one), asserting it is
 * clean. */
static csp_template *read_clean(const char *path)
{
    csp_diag_list diags;
    csp_template *tpl = NULL;
    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(path, NULL, &tpl, &diags), CSP_OK);
    for (size_t i = 0; i < diags.count; i++)
        csp_diag_print(stderr, &diags.items[i]);
    assert_int_equal(diags.count, 0);
    csp_diag_list_free(&diags);
    assert_non_null(tpl);
    return tpl;
}

/* The path of a test template. */
static char *data_path(const char *name)
{
    const char *dir = getenv("TEST_DATA_DIR");
    const char *srcdir = getenv("srcdir");
    char buf[1024];
    if (dir && *dir)
        snprintf(buf, sizeof buf, "%s/template/%s", dir, name);
    else
        snprintf(buf, sizeof buf, "%s/tests/data/template/%s",
                 srcdir && *srcdir ? srcdir : ".", name);
    char *out = strdup(buf);
    assert_non_null(out);
    return out;
}

/* The k'th diagram block of @p s and its sub-sections, with the block
 * before it in *before (NULL: none). */
static const csp_diagram *find_diagram(const csp_section *s, size_t *k,
                                       const csp_block **before)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].kind == CSP_BLOCK_DIAGRAM && (*k)-- == 0) {
            *before = i ? &s->blocks[i - 1] : NULL;
            return s->blocks[i].diagram;
        }
    for (size_t i = 0; i < s->nsubsections; i++) {
        const csp_diagram *d = find_diagram(&s->subsections[i], k, before);
        if (d)
            return d;
    }
    return NULL;
}

/* Diagram @p k of section @p id. */
static const csp_diagram *diagram_of(const csp_template *tpl, const char *id,
                                     size_t k, const csp_block **before)
{
    const csp_section *s = csp_template_section(tpl, id);
    assert_non_null(s);
    return find_diagram(s, &k, before);
}

/* Whether d has a link from node id a to node id b. */
static bool linked(const csp_diagram *d, const char *a, const char *b)
{
    for (size_t l = 0; l < d->nlinks; l++)
        if (strcmp(d->nodes[d->links[l].from].id, a) == 0 &&
            strcmp(d->nodes[d->links[l].to].id, b) == 0)
            return true;
    return false;
}

/* Whether theme @p t lists priority @p p. */
static bool theme_lists(const csp_theme *t, const char *p)
{
    for (size_t i = 0; i < t->npriorities; i++)
        if (strcmp(t->priorities[i], p) == 0)
            return true;
    return false;
}

/* Two columns, a tree with a box under two parents and a row of its
 * own, and a cycle read as written. */
static void test_diagram_reads_kinds(void **state)
{
    (void)state;
    char *path = data_path("tpl-diagrams.xml");
    csp_template *tpl = read_clean(path);
    const csp_block *before = NULL;

    const csp_diagram *d = diagram_of(tpl, "structure", 0, &before);
    assert_non_null(d);
    assert_int_equal(d->kind, CSP_DIAGRAM_LINKS);
    assert_string_equal(d->id, "alignment");
    assert_string_equal(d->alt, "Two boxes.");
    assert_false(d->of_priorities);
    assert_int_equal(d->nnodes, 2);
    assert_int_equal(d->nodes[0].column, 0);
    assert_int_equal(d->nodes[1].column, 1);
    assert_int_equal(d->nlinks, 1);
    assert_true(linked(d, "theft", "safety"));
    assert_non_null(before);
    assert_string_equal(before->text,
                        "The following diagram shows the structure.");

    d = diagram_of(tpl, "structure", 1, &before);
    assert_non_null(d);
    assert_int_equal(d->kind, CSP_DIAGRAM_TREE);
    assert_int_equal(d->nnodes, 5);
    assert_int_equal(d->nodes[0].row, 0);
    assert_string_equal(d->nodes[0].colour, "#1F4E79");
    assert_int_equal(d->nodes[1].row, 1);
    assert_int_equal(d->nodes[2].row, 1);
    assert_int_equal(d->nodes[3].row, 2); /* below both parents */
    assert_int_equal(d->nodes[4].row, 4); /* row="4", under none */
    assert_int_equal(d->nlinks, 4);
    assert_true(linked(d, "north-unit", "group"));
    assert_true(linked(d, "south-unit", "group"));
    assert_true(linked(d, "board", "south-unit"));

    d = diagram_of(tpl, "structure", 2, &before);
    assert_non_null(d);
    assert_int_equal(d->kind, CSP_DIAGRAM_CYCLE);
    assert_int_equal(d->nnodes, 3);
    assert_string_equal(d->nodes[2].label, "Review");
    assert_null(diagram_of(tpl, "structure", 3, &before));
    csp_template_free(tpl);
    free(path);
}

/* The bundled template draws the three diagrams where the text
 * introduces them, and its priorities diagram replaces the matrix. */
static void test_diagram_bundled(void **state)
{
    (void)state;
    csp_template *tpl = read_clean(NULL);
    const csp_block *before = NULL;

    const csp_diagram *d = diagram_of(tpl, "priorities", 0, &before);
    assert_non_null(d);
    assert_true(d->of_priorities);
    assert_non_null(before);
    assert_non_null(strstr(before->text, "The following diagram "
                                         "demonstrates how the priorities"));
    for (size_t k = 0; k < tpl->norder; k++)
        assert_int_not_equal(tpl->order[k].part, CSP_PART_PRIORITY_MATRIX);
    /* "Substance Misuse ... would fall under the Protecting Vulnerable
     * People, and Protecting and Strengthening Communities priorities." */
    assert_true(theme_lists(&tpl->themes[0], "substance-misuse"));
    assert_false(theme_lists(&tpl->themes[1], "substance-misuse"));
    assert_true(theme_lists(&tpl->themes[2], "substance-misuse"));

    d = diagram_of(tpl, "structure", 0, &before);
    assert_non_null(d);
    assert_int_equal(d->kind, CSP_DIAGRAM_TREE);
    size_t per_row[8] = {0};
    for (size_t i = 0; i < d->nnodes; i++) {
        assert_true(d->nodes[i].row < 8);
        per_row[d->nodes[i].row]++;
    }
    /* The partnership, its Management Group, the two units side by
     * side, the Key Delivery Groups, its five groups in a row. */
    assert_int_equal(per_row[0], 1);
    assert_int_equal(per_row[1], 1);
    assert_int_equal(per_row[2], 2);
    assert_int_equal(per_row[3], 1);
    assert_int_equal(per_row[4], 5);
    assert_int_equal(per_row[6], 1);

    d = diagram_of(tpl, "delivering", 0, &before);
    assert_non_null(d);
    assert_int_equal(d->kind, CSP_DIAGRAM_CYCLE);
    assert_int_equal(d->nnodes, 5);
    assert_non_null(strstr(d->nodes[0].label, "December"));
    csp_template_free(tpl);
}

/* The HTML figure: caption, description, and each box with its links
 * as text; a tree nests; a cycle numbers its steps. */
static void test_diagram_html(void **state)
{
    (void)state;
    csp_doc *doc = csp_doc_new();
    assert_non_null(doc);
    char *labels[] = {S("Theft"), S("Drugs"), S("1. Safety"),
                      S("2. Health")};
    unsigned groups[] = {0, 0, 1, 1};
    size_t from[] = {0, 1, 1}, to[] = {2, 2, 3};
    csp_doc_diagram g = {CSP_DOC_LINKS, S("align"), S("How they align"),
                         S("Two priorities, two themes."), labels, groups,
                         4, from, to, 3};
    csp_doc_diagram_add(doc, &g);
    unsigned rows[] = {0, 1, 1, 2};
    size_t tf[] = {0, 0, 1, 2}, tt[] = {1, 2, 3, 3};
    csp_doc_diagram t = {CSP_DOC_TREE, S("tree"), S("Structure"), NULL,
                         labels, rows, 4, tf, tt, 4};
    csp_doc_diagram_add(doc, &t);
    csp_doc_diagram c = {CSP_DOC_CYCLE, NULL, S("Cycle"), NULL, labels,
                         groups, 3, NULL, NULL, 0};
    csp_doc_diagram_add(doc, &c);
    char *html = tu_render_html(doc);
    assert_non_null(strstr(
        html, "<figure class=\"diagram\" id=\"diagram-align\">\n"
              "<figcaption>How they align</figcaption>\n"
              "<p>Two priorities, two themes.</p>\n<ul>\n"
              "<li><strong>Theft</strong>: linked to 1. Safety.</li>\n"
              "<li><strong>Drugs</strong>: linked to 1. Safety; 2. "
              "Health.</li>\n</ul>\n</figure>"));
    /* A box under two sits under the later one and names the other. */
    assert_non_null(strstr(html, "<li>Theft<ul>\n<li>Drugs</li>\n"
                                 "<li>1. Safety<ul>\n"
                                 "<li>2. Health (also under Drugs)</li>"));
    assert_non_null(strstr(html, "<ol>\n<li>Theft</li>\n<li>Drugs</li>\n"
                                 "<li>1. Safety</li>\n</ol>"));
    assert_non_null(strstr(html, "Then back to the first: Theft."));
    free(html);
    csp_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diagram_reads_kinds),
        cmocka_unit_test(test_diagram_bundled),
        cmocka_unit_test(test_diagram_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
