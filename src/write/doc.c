/*
 * A report's content as a document (doc.h): blocks appended in reading
 * order, or inserted at a remembered position.
 */
#include "csppack/write/doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* A new empty document. */
csp_doc *csp_doc_new(void)
{
    csp_doc *d = csp_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->insert = SIZE_MAX;
    d->open_table = SIZE_MAX;
    return d;
}

/* Free a table's cells and columns. */
static void table_free(csp_doc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        free(t->cells[i].text);
        free(t->cells[i].mark_word);
        free(t->cells[i].note);
    }
    for (size_t c = 0; c < t->ncols; c++)
        free(t->cols[c].title);
    free(t->cells);
    free(t->cols);
    free(t->caption);
    free(t);
}

/* Free a list of n strings. */
static void strings_free(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

/* Free a chart. */
static void chart_free(csp_doc_chart *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->desc);
    strings_free(c->categories, c->ncategories);
    strings_free(c->series, c->nseries);
    strings_free(c->value_text, c->ncategories * c->nseries);
    free(c->values);
    free(c->colours);
    free(c);
}

/* Free a diagram. */
static void diagram_free(csp_doc_diagram *g)
{
    if (!g)
        return;
    free(g->id);
    free(g->title);
    free(g->alt);
    strings_free(g->labels, g->nlabels);
    free(g->groups);
    free(g->from);
    free(g->to);
    free(g);
}

/* Free what a block owns. */
static void block_free(csp_doc_block *b)
{
    diagram_free(b->diagram);
    free(b->text);
    table_free(b->table);
    chart_free(b->chart);
    for (size_t i = 0; i < b->nkeys; i++)
        free(b->keys[i].word);
    free(b->keys);
    free(b->cites);
    for (size_t i = 0; i < b->nnotes; i++) {
        free(b->notes[i].text);
        free(b->notes[i].cites);
    }
    free(b->notes);
}

/* Free the document's information. */
static void meta_free(csp_doc_meta *m)
{
    free(m->title);
    free(m->author);
    free(m->subject);
    free(m->keywords);
    free(m->lang);
    free(m->marking);
    free(m->footer);
    memset(m, 0, sizeof *m);
}

/* Free a document. */
void csp_doc_free(csp_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nblocks; i++)
        block_free(&d->blocks[i]);
    free(d->blocks);
    meta_free(&d->meta);
    free(d);
}

/* The first failure. */
csp_error csp_doc_error(const csp_doc *d)
{
    return d ? d->err : CSP_ERR_NOMEM;
}

/* A copy of s, recording a failure; NULL for NULL. */
static char *dup(csp_doc *d, const char *s)
{
    if (!s || d->err)
        return NULL;
    char *c = csp_strdup(s);
    if (!c)
        d->err = CSP_ERR_NOMEM;
    return c;
}

/* Set what the document says about itself. */
void csp_doc_set_meta(csp_doc *d, const csp_doc_meta *m)
{
    if (!d || d->err)
        return;
    meta_free(&d->meta);
    d->meta.title = dup(d, m->title);
    d->meta.author = dup(d, m->author);
    d->meta.subject = dup(d, m->subject);
    d->meta.keywords = dup(d, m->keywords);
    d->meta.lang = dup(d, m->lang ? m->lang : "en-GB");
    d->meta.marking = dup(d, m->marking);
    d->meta.footer = dup(d, m->footer);
    d->meta.accent = m->accent;
    d->meta.created = m->created;
}

/* A new zeroed block at the insertion point; NULL after a failure. */
static csp_doc_block *block_add(csp_doc *d, csp_doc_block_kind kind)
{
    if (!d || d->err)
        return NULL;
    if (d->nblocks == d->capblocks) {
        size_t cap = d->capblocks ? d->capblocks * 2 : 64;
        csp_doc_block *nb = csp_realloc(d->blocks, cap * sizeof *nb);
        if (!nb) {
            d->err = CSP_ERR_NOMEM;
            return NULL;
        }
        d->blocks = nb;
        d->capblocks = cap;
    }
    size_t at = d->nblocks;
    if (d->insert != SIZE_MAX && d->insert < d->nblocks) {
        at = d->insert++;
        memmove(&d->blocks[at + 1], &d->blocks[at],
                (d->nblocks - at) * sizeof *d->blocks);
        if (d->open_table != SIZE_MAX && d->open_table >= at)
            d->open_table++;
    }
    d->nblocks++;
    csp_doc_block *b = &d->blocks[at];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

/* Append a block of text. */
static csp_doc_block *text_add(csp_doc *d, csp_doc_block_kind kind,
                               const char *text)
{
    csp_doc_block *b = block_add(d, kind);
    if (!b)
        return NULL;
    b->text = dup(d, text ? text : "");
    return b;
}

/* Append a heading. */
void csp_doc_heading(csp_doc *d, unsigned level, const char *text, bool toc)
{
    csp_doc_block *b = text_add(d, CSP_DOC_HEADING, text);
    if (b) {
        b->level = level > 3 ? 3 : level;
        b->toc = toc;
    }
}

/* Append a paragraph. */
void csp_doc_para(csp_doc *d, csp_doc_role role, const char *text)
{
    csp_doc_block *b = text_add(d, CSP_DOC_PARA, text);
    if (b)
        b->role = role;
}

/* A copy of n spans; NULL for none (or when memory ran out: d->err). */
static csp_doc_span *spans_dup(csp_doc *d, const csp_doc_span *s, size_t n)
{
    if (!s || n == 0 || d->err)
        return NULL;
    csp_doc_span *c = csp_calloc(n, sizeof *c);
    if (!c) {
        d->err = CSP_ERR_NOMEM;
        return NULL;
    }
    memcpy(c, s, n * sizeof *c);
    return c;
}

/* Append a paragraph with titles and footnotes. */
void csp_doc_para_marked(csp_doc *d, csp_doc_role role, const char *text,
                         const csp_doc_span *cites, size_t ncites,
                         const csp_doc_note *notes, size_t nnotes)
{
    csp_doc_block *b = text_add(d, CSP_DOC_PARA, text);
    if (!b)
        return;
    b->role = role;
    b->cites = spans_dup(d, cites, ncites);
    b->ncites = b->cites ? ncites : 0;
    if (nnotes == 0 || d->err)
        return;
    b->notes = csp_calloc(nnotes, sizeof *b->notes);
    if (!b->notes) {
        d->err = CSP_ERR_NOMEM;
        return;
    }
    b->nnotes = nnotes;
    for (size_t i = 0; i < nnotes && !d->err; i++) {
        csp_doc_note *n = &b->notes[i];
        n->number = notes[i].number;
        n->at = notes[i].at;
        n->text = dup(d, notes[i].text ? notes[i].text : "");
        n->cites = spans_dup(d, notes[i].cites, notes[i].ncites);
        n->ncites = n->cites ? notes[i].ncites : 0;
    }
}

/* Append a list item. */
void csp_doc_item(csp_doc *d, unsigned level, const char *text)
{
    csp_doc_block *b = text_add(d, CSP_DOC_ITEM, text);
    if (b)
        b->level = level;
}

/* Append an item of a numbered list. */
void csp_doc_numbered(csp_doc *d, unsigned level, unsigned number,
                      const char *text)
{
    csp_doc_block *b = text_add(d, CSP_DOC_ITEM, text);
    if (b) {
        b->level = level;
        b->number = number;
    }
}

/* The contents list goes here. */
void csp_doc_contents(csp_doc *d)
{
    (void)block_add(d, CSP_DOC_CONTENTS);
}

/* A new page starts here. */
void csp_doc_page(csp_doc *d)
{
    /* Two page breaks in a row are one. */
    if (d && !d->err && d->insert == SIZE_MAX && d->nblocks &&
        d->blocks[d->nblocks - 1].kind == CSP_DOC_PAGE)
        return;
    (void)block_add(d, CSP_DOC_PAGE);
}

/* Append a key to status marks. */
void csp_doc_keys(csp_doc *d, const char *label, const csp_doc_key *keys,
                 size_t n)
{
    csp_doc_block *b = block_add(d, CSP_DOC_KEY);
    if (!b)
        return;
    b->text = dup(d, label);
    if (n == 0)
        return;
    if (!(b->keys = csp_calloc(n, sizeof *b->keys))) {
        d->err = CSP_ERR_NOMEM;
        return;
    }
    b->nkeys = n;
    for (size_t i = 0; i < n; i++) {
        b->keys[i].mark = keys[i].mark;
        b->keys[i].colour = keys[i].colour;
        b->keys[i].word = dup(d, keys[i].word);
    }
}

/* Start a table. */
void csp_doc_table_begin(csp_doc *d, const char *caption,
                         const csp_doc_col *cols, size_t ncols,
                         bool row_headers)
{
    csp_doc_table_end(d);
    if (!d || d->err)
        return;
    csp_doc_table *t = csp_calloc(1, sizeof *t);
    if (!t || !(t->cols = csp_calloc(ncols ? ncols : 1, sizeof *t->cols))) {
        free(t);
        d->err = CSP_ERR_NOMEM;
        return;
    }
    t->ncols = ncols;
    t->row_headers = row_headers;
    t->caption = dup(d, caption);
    for (size_t c = 0; c < ncols; c++) {
        t->cols[c].title = dup(d, cols[c].title);
        t->cols[c].align = cols[c].align;
    }
    csp_doc_block *b = block_add(d, CSP_DOC_TABLE);
    if (!b) {
        table_free(t);
        return;
    }
    b->table = t;
    d->open_table = (size_t)(b - d->blocks);
}

/* Append a row to the open table. */
void csp_doc_table_row(csp_doc *d, const csp_doc_cell *cells)
{
    if (!d || d->err || d->open_table == SIZE_MAX)
        return;
    csp_doc_table *t = d->blocks[d->open_table].table;
    if (t->ncols == 0)
        return;
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? t->caprows * 2 : 16;
        csp_doc_cell *nc =
            csp_realloc(t->cells, cap * t->ncols * sizeof *nc);
        if (!nc) {
            d->err = CSP_ERR_NOMEM;
            return;
        }
        t->cells = nc;
        t->caprows = cap;
    }
    csp_doc_cell *row = &t->cells[t->nrows * t->ncols];
    memset(row, 0, t->ncols * sizeof *row);
    t->nrows++;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = cells[c];
        row[c].text = dup(d, cells[c].text);
        row[c].mark_word = dup(d, cells[c].mark_word);
        row[c].note = dup(d, cells[c].note);
    }
}

/* End the open table; one with no rows is dropped. */
void csp_doc_table_end(csp_doc *d)
{
    if (!d || d->open_table == SIZE_MAX)
        return;
    size_t at = d->open_table;
    d->open_table = SIZE_MAX;
    if (d->err || d->blocks[at].table->nrows > 0)
        return;
    block_free(&d->blocks[at]);
    memmove(&d->blocks[at], &d->blocks[at + 1],
            (d->nblocks - at - 1) * sizeof *d->blocks);
    d->nblocks--;
    if (d->insert != SIZE_MAX && d->insert > at)
        d->insert--;
}

/* Copies of n strings (NULL entries stay NULL). */
static char **strings_dup(csp_doc *d, const char *const *s, size_t n)
{
    if (!s || n == 0 || d->err)
        return NULL;
    char **c = csp_calloc(n, sizeof *c);
    if (!c) {
        d->err = CSP_ERR_NOMEM;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        c[i] = dup(d, s[i]);
    return c;
}

/* Append a chart. */
void csp_doc_chart_add(csp_doc *d, const csp_doc_chart *c)
{
    if (!d || d->err)
        return;
    csp_doc_chart *k = csp_calloc(1, sizeof *k);
    size_t nv = c->ncategories * c->nseries;
    if (!k) {
        d->err = CSP_ERR_NOMEM;
        return;
    }
    k->title = dup(d, c->title);
    k->desc = dup(d, c->desc);
    k->ncategories = c->ncategories;
    k->nseries = c->nseries;
    k->lines = c->lines;
    k->categories =
        strings_dup(d, (const char *const *)c->categories, c->ncategories);
    k->series = strings_dup(d, (const char *const *)c->series, c->nseries);
    k->value_text = strings_dup(d, (const char *const *)c->value_text, nv);
    if (nv && !d->err) {
        k->values = csp_calloc(nv, sizeof *k->values);
        if (k->values)
            memcpy(k->values, c->values, nv * sizeof *k->values);
        else
            d->err = CSP_ERR_NOMEM;
    }
    if (c->nseries && !d->err) {
        k->colours = csp_calloc(c->nseries, sizeof *k->colours);
        if (k->colours)
            memcpy(k->colours, c->colours, c->nseries * sizeof *k->colours);
        else
            d->err = CSP_ERR_NOMEM;
    }
    csp_doc_block *b = d->err ? NULL : block_add(d, CSP_DOC_CHART);
    if (!b) {
        chart_free(k);
        return;
    }
    b->chart = k;
}

/* A copy of n items of size bytes at src, noting failure in d. */
static void *mem_dup(csp_doc *d, const void *src, size_t n, size_t size)
{
    if (n == 0 || d->err)
        return NULL;
    void *p = csp_calloc(n, size);
    if (!p)
        d->err = CSP_ERR_NOMEM;
    else
        memcpy(p, src, n * size);
    return p;
}

/* Append a diagram. */
void csp_doc_diagram_add(csp_doc *d, const csp_doc_diagram *g)
{
    if (!d || d->err)
        return;
    csp_doc_diagram *k = csp_calloc(1, sizeof *k);
    if (!k) {
        d->err = CSP_ERR_NOMEM;
        return;
    }
    k->kind = g->kind;
    k->id = dup(d, g->id);
    k->title = dup(d, g->title);
    k->alt = dup(d, g->alt);
    k->nlabels = g->nlabels;
    k->labels = strings_dup(d, (const char *const *)g->labels, g->nlabels);
    k->groups = mem_dup(d, g->groups, g->nlabels, sizeof *g->groups);
    k->nlinks = g->nlinks;
    k->from = mem_dup(d, g->from, g->nlinks, sizeof *g->from);
    k->to = mem_dup(d, g->to, g->nlinks, sizeof *g->to);
    csp_doc_block *b = d->err ? NULL : block_add(d, CSP_DOC_DIAGRAM);
    if (!b) {
        diagram_free(k);
        return;
    }
    b->diagram = k;
}

/* The position the next block would take. */
size_t csp_doc_here(const csp_doc *d)
{
    if (!d)
        return 0;
    return d->insert != SIZE_MAX && d->insert < d->nblocks ? d->insert
                                                           : d->nblocks;
}

/* Insert the following blocks at pos. */
void csp_doc_insert_at(csp_doc *d, size_t pos)
{
    if (d)
        d->insert = pos;
}
