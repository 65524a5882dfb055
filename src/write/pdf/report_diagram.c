/* csppack: the template's diagrams in the PDF reports, where the text
 * puts them (write/pdf/report_parts.h). */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/pdf/diagram.h"
#include "csppack/write/pdf/layout.h"

/* A diagram as drawn: the boxes, connectors and colours (owned). */
typedef struct rep_diagram {
    csp_doc_diagram g;
    csp_rgb *colours;
    char **owned; /* labels made here (themes' numbered titles) */
} rep_diagram;

/* prefix, text and suffix joined in malloc'd memory (NULL, noted in r,
 * when memory ran out).  Not csp_rep_fmt: report_util.c draws the
 * diagrams through this file, so this file calls nothing of it. */
static char *join3(csp_rep *r, const char *prefix, const char *text,
                   const char *suffix)
{
    size_t a = strlen(prefix), b = strlen(text), c = strlen(suffix);
    char *s = csp_malloc(a + b + c + 1);
    if (!s) {
        r->err = CSP_ERR_NOMEM;
        return NULL;
    }
    memcpy(s, prefix, a);
    memcpy(s + a, text, b);
    memcpy(s + a + b, suffix, c + 1);
    return s;
}

/* Free what rd owns. */
static void rep_diagram_free(rep_diagram *rd)
{
    for (size_t i = 0; i < rd->g.nlabels; i++)
        free(rd->owned ? rd->owned[i] : NULL);
    free(rd->owned);
    free(rd->g.labels);
    free(rd->g.groups);
    free(rd->g.from);
    free(rd->g.to);
    free(rd->colours);
}

/* Room for n boxes and m connectors; false when memory ran out. */
static bool rep_diagram_alloc(csp_rep *r, rep_diagram *rd, size_t n, size_t m)
{
    rd->g.labels = csp_calloc(n ? n : 1, sizeof *rd->g.labels);
    rd->g.groups = csp_calloc(n ? n : 1, sizeof *rd->g.groups);
    rd->owned = csp_calloc(n ? n : 1, sizeof *rd->owned);
    rd->colours = csp_calloc(n ? n : 1, sizeof *rd->colours);
    rd->g.from = csp_calloc(m ? m : 1, sizeof *rd->g.from);
    rd->g.to = csp_calloc(m ? m : 1, sizeof *rd->g.to);
    if (!rd->g.labels || !rd->g.groups || !rd->owned || !rd->colours ||
        !rd->g.from || !rd->g.to) {
        r->err = CSP_ERR_NOMEM;
        return false;
    }
    rd->g.nlabels = n;
    return true;
}

/* of="priorities": the priorities on the left, the numbered themes on
 * the right in their colours, a connector for each priority a theme
 * lists. */
static bool from_priorities(csp_rep *r, rep_diagram *rd)
{
    const csp_template *tpl = r->tpl;
    size_t np = tpl->npriorities, m = 0;
    for (size_t t = 0; t < tpl->nthemes; t++)
        m += tpl->themes[t].npriorities;
    if (!rep_diagram_alloc(r, rd, np + tpl->nthemes, m))
        return false;
    for (size_t p = 0; p < np; p++) {
        const csp_priority *pr = &tpl->priorities[p];
        rd->g.labels[p] = pr->name;
        rd->colours[p] = r->accent;
        if (pr->since > tpl->first_year) {
            char y[16];
            char from[32];
            csp_template_year_label(tpl, pr->since, y);
            snprintf(from, sizeof from, " (from %s)", y);
            rd->owned[p] = join3(r, "", pr->name, from);
            if (!rd->owned[p])
                return false;
            rd->g.labels[p] = rd->owned[p];
        }
    }
    for (size_t t = 0; t < tpl->nthemes; t++) {
        const csp_theme *th = &tpl->themes[t];
        size_t k = np + t;
        char num[24];
        snprintf(num, sizeof num, "%u. ", th->number);
        rd->owned[k] = join3(r, num, th->title, "");
        if (!rd->owned[k])
            return false;
        rd->g.labels[k] = rd->owned[k];
        rd->g.groups[k] = 1;
        rd->colours[k] = r->theme_rgb[t];
        for (size_t i = 0; i < th->npriorities; i++)
            for (size_t p = 0; p < np; p++)
                if (strcmp(th->priorities[i], tpl->priorities[p].id) == 0) {
                    rd->g.from[rd->g.nlinks] = p;
                    rd->g.to[rd->g.nlinks++] = k;
                }
    }
    return true;
}

/* The diagram's own nodes and links. */
static bool from_nodes(csp_rep *r, const csp_diagram *d, rep_diagram *rd)
{
    if (!rep_diagram_alloc(r, rd, d->nnodes, d->nlinks))
        return false;
    for (size_t i = 0; i < d->nnodes; i++) {
        const csp_diagram_node *n = &d->nodes[i];
        rd->g.labels[i] = n->label;
        rd->g.groups[i] = d->kind == CSP_DIAGRAM_TREE ? n->row : n->column;
        if (!n->colour || !csp_rgb_parse(n->colour, &rd->colours[i]))
            rd->colours[i] = r->accent;
    }
    for (size_t l = 0; l < d->nlinks; l++) {
        rd->g.from[l] = d->links[l].from;
        rd->g.to[l] = d->links[l].to;
    }
    rd->g.nlinks = d->nlinks;
    return true;
}

/* Build the drawing of d; false when memory ran out. */
static bool rep_diagram_make(csp_rep *r, const csp_diagram *d,
                             rep_diagram *rd)
{
    memset(rd, 0, sizeof *rd);
    rd->g.kind = d->kind == CSP_DIAGRAM_TREE    ? CSP_DOC_TREE
                 : d->kind == CSP_DIAGRAM_CYCLE ? CSP_DOC_CYCLE
                                                : CSP_DOC_LINKS;
    rd->g.id = d->id;
    rd->g.title = d->title;
    rd->g.alt = d->alt;
    return d->of_priorities ? from_priorities(r, rd) : from_nodes(r, d, rd);
}

/* The height a diagram takes in the flow. */
double csp_rep_diagram_height(csp_rep *r, const csp_diagram *d)
{
    rep_diagram rd;
    double h = 0;
    if (rep_diagram_make(r, d, &rd))
        h = csp_layout_diagram_height(r->L, &rd.g);
    rep_diagram_free(&rd);
    return h;
}

/* Draw a diagram of the template in the flow, and record it. */
void csp_rep_diagram(csp_rep *r, const csp_diagram *d)
{
    rep_diagram rd;
    if (rep_diagram_make(r, d, &rd))
        csp_layout_diagram(r->L, &rd.g, rd.colours);
    rep_diagram_free(&rd);
}
