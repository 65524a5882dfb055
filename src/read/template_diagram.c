/*
 * csppack: a template <diagram> read into the model, and its checks
 * (read/template_diagram.h).
 */
#include "csppack/read/template_diagram.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/read/xmlsafe.h"

/* The most rows a tree may have: deeper ones would not fit a page. */
#define DIAGRAM_MAX_ROW 12

/* The index of node @p id among the first @p n nodes of @p d, or
 * SIZE_MAX. */
static size_t node_index(const csp_diagram *d, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(d->nodes[i].id, id) == 0)
            return i;
    return SIZE_MAX;
}

/* Append a link; false when memory ran out. */
static bool link_add(csp_diagram *d, size_t *cap, size_t from, size_t to)
{
    if (d->nlinks == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        csp_diagram_link *l = csp_realloc(d->links, nc * sizeof *l);
        if (!l)
            return false;
        d->links = l;
        *cap = nc;
    }
    d->links[d->nlinks++] = (csp_diagram_link){from, to};
    return true;
}

/* One <node>: its attributes; a tree node's parents become links and
 * set its row. */
static csp_error read_node(csp_tpl_reader *r, xmlNodePtr c, csp_diagram *d,
                           size_t *cap)
{
    csp_error err = CSP_OK;
    csp_diagram_node *n = &d->nodes[d->nnodes];
    char *column = NULL, *parent = NULL, *row = NULL;
    unsigned long line = csp_tpl_node_line(c);
    unsigned lowest = 0; /* the first row below every parent */

    /* Counted at once, so that csp_template_free frees what it holds
     * whatever fails below. */
    d->nnodes++;
    err = csp_tpl_get_attr(c, "id", true, &n->id);
    if (!err)
        err = csp_tpl_get_attr(c, "label", true, &n->label);
    if (!err)
        err = csp_tpl_get_attr(c, "colour", false, &n->colour);
    if (!err)
        err = csp_tpl_get_attr(c, "column", false, &column);
    if (!err)
        err = csp_tpl_get_attr(c, "parent", false, &parent);
    if (!err)
        err = csp_tpl_get_attr(c, "row", false, &row);
    if (err)
        goto out;
    n->column = column && strcmp(column, "right") == 0 ? 1 : 0;
    if (node_index(d, d->nnodes - 1, n->id) != SIZE_MAX) {
        err = csp_tpl_report(r, CSP_D_TPL_DUPLICATE_ID, line, NULL,
                             "diagram \"%s\" declares node \"%s\" twice; "
                             "give each box its own id",
                             d->id, n->id);
        if (err)
            goto out;
    }
    /* parent= is collapsed: ids separated by single spaces. */
    for (char *p = parent, *next = NULL; p && *p; p = next) {
        next = strchr(p, ' ');
        if (next)
            *next++ = '\0';
        size_t k = node_index(d, d->nnodes - 1, p);
        if (k == SIZE_MAX) {
            err = csp_tpl_report(r, CSP_D_TPL_DANGLING, line, NULL,
                                 "diagram \"%s\": node \"%s\" has parent "
                                 "\"%s\", which is not a node declared "
                                 "before it; declare the parent first or "
                                 "fix the id",
                                 d->id, n->id, p);
            if (err)
                goto out;
            continue;
        }
        if (!link_add(d, cap, k, d->nnodes - 1)) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        if (d->nodes[k].row + 1 > lowest)
            lowest = d->nodes[k].row + 1;
    }
    n->row = lowest;
    if (row) {
        unsigned long long v = 0;
        if (!csp_tpl_parse_whole(row, DIAGRAM_MAX_ROW, &v) || v < lowest)
            err = csp_tpl_report(r, CSP_D_TPL_VALUE, line, NULL,
                                 "diagram \"%s\": node \"%s\" has row "
                                 "\"%s\"; give a row from %u (below its "
                                 "parents) to %u",
                                 d->id, n->id, row, lowest, DIAGRAM_MAX_ROW);
        else
            n->row = (unsigned)v;
    }
out:
    free(column);
    free(parent);
    free(row);
    return err;
}

/* One <link>: both ends must be nodes of the diagram. */
static csp_error read_link(csp_tpl_reader *r, xmlNodePtr c, csp_diagram *d,
                           size_t *cap)
{
    csp_error err = CSP_OK;
    char *from = NULL, *to = NULL;

    err = csp_tpl_get_attr(c, "from", true, &from);
    if (!err)
        err = csp_tpl_get_attr(c, "to", true, &to);
    if (err)
        goto out;
    size_t f = node_index(d, d->nnodes, from);
    size_t t = node_index(d, d->nnodes, to);
    const char *bad = f == SIZE_MAX ? from : t == SIZE_MAX ? to : NULL;
    if (bad) {
        err = csp_tpl_report(r, CSP_D_TPL_DANGLING, csp_tpl_node_line(c),
                             NULL,
                             "diagram \"%s\" links \"%s\" to \"%s\", but "
                             "\"%s\" is not one of its nodes; declare it "
                             "as a <node> or fix the id",
                             d->id, from, to, bad);
    } else if (!link_add(d, cap, f, t)) {
        err = CSP_ERR_NOMEM;
    }
out:
    free(from);
    free(to);
    return err;
}

/* The diagram's attributes. */
static csp_error read_attrs(csp_tpl_reader *r, xmlNodePtr node,
                            csp_diagram *d)
{
    csp_error err = CSP_OK;
    char *kind = NULL, *of = NULL;

    err = csp_tpl_get_attr(node, "id", true, &d->id);
    if (!err)
        err = csp_tpl_get_attr(node, "title", true, &d->title);
    if (!err)
        err = csp_tpl_get_attr(node, "alt", true, &d->alt);
    if (!err)
        err = csp_tpl_get_attr(node, "kind", true, &kind);
    if (!err)
        err = csp_tpl_get_attr(node, "of", false, &of);
    if (err)
        goto out;
    d->kind = strcmp(kind, "tree") == 0    ? CSP_DIAGRAM_TREE
              : strcmp(kind, "cycle") == 0 ? CSP_DIAGRAM_CYCLE
                                           : CSP_DIAGRAM_LINKS;
    d->of_priorities = of != NULL;
    if (of && (d->kind != CSP_DIAGRAM_LINKS ||
               csp_tpl_count_children(node, "node") > 0 ||
               csp_tpl_count_children(node, "link") > 0))
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, csp_tpl_node_line(node),
                             NULL,
                             "diagram \"%s\" takes its boxes from the "
                             "priorities and themes (of=\"priorities\"); "
                             "make it kind=\"links\" without <node> or "
                             "<link>",
                             d->id);
out:
    free(kind);
    free(of);
    return err;
}

/* Read a <diagram>. */
csp_error csp_tpl_read_diagram(csp_tpl_reader *r, xmlNodePtr node,
                               csp_diagram **out)
{
    csp_error err = CSP_OK;
    csp_diagram *d = csp_calloc(1, sizeof *d);
    size_t cap = 0;

    *out = d;
    if (!d)
        return CSP_ERR_NOMEM;
    err = read_attrs(r, node, d);
    if (err)
        goto out;
    size_t n = csp_tpl_count_children(node, "node");
    d->nodes = csp_tpl_calloc_n(n, sizeof *d->nodes);
    if (n && !d->nodes) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c && !err; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "node"))
            err = read_node(r, c, d, &cap);
        else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "link"))
            err = read_link(r, c, d, &cap);
    }
out:
    return err;
}
