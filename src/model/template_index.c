/*
 * csppack: a strategy template's declared ids, sorted and hashed for the
 * template's lookups by id.
 */
#include "csppack/model/template_index.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/*
 * The template's lookups by id: the reader's declarations, sorted and
 * checked (no id repeats).
 */
struct csp_template_index {
    csp_tpl_decls decls[CSP_TPL_KINDS];
    /* By kind, open addressing over decls: index + 1 of the first
     * declaration of an id, 0 free; a power of two, at most half full. */
    uint32_t *slots[CSP_TPL_KINDS];
    size_t nslots[CSP_TPL_KINDS];
};

/* Order declarations by id, then by position (document order). */
static int decl_cmp(const void *pa, const void *pb)
{
    const csp_tpl_decl *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c)
        return c;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Sort one kind's declarations by id, then position. */
void csp_template_index_sort(csp_tpl_decls *d)
{
    if (d->count > 1)
        qsort(d->items, d->count, sizeof *d->items, decl_cmp);
}

/* The first declaration of @p id in @p d (sorted), or NULL. */
const csp_tpl_decl *csp_template_index_search(const csp_tpl_decls *d,
                                              const char *id)
{
    size_t lo = 0, hi = d->count;

    /* Lower bound: the first entry whose id is not below @p id. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(d->items[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->count && strcmp(d->items[lo].id, id) == 0)
        return &d->items[lo];
    return NULL;
}

/* A hash of an id, eight bytes at a time. */
static uint64_t id_hash(const char *id)
{
    size_t n = strlen(id);
    uint64_t h = n * 0x9e3779b97f4a7c15u, w;
    for (; n >= 8; n -= 8, id += 8) {
        memcpy(&w, id, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9u;
        h ^= h >> 31;
    }
    w = 0;
    memcpy(&w, id, n);
    h = (h ^ w) * 0x94d049bb133111ebu;
    return h ^ (h >> 29);
}

/* Hash the checked declarations of every kind (sorted by id, then
 * position: an id's first declaration is the one the search finds). */
static csp_error index_hash(csp_template_index *ix)
{
    for (int k = 0; k < CSP_TPL_KINDS; k++) {
        const csp_tpl_decls *d = &ix->decls[k];
        size_t n = 16;
        if (d->count >= UINT32_MAX / 2)
            continue; /* csp_template_index_search serves */
        while (n < 2 * d->count)
            n *= 2;
        if (!(ix->slots[k] = csp_calloc(n, sizeof *ix->slots[k])))
            return CSP_ERR_NOMEM;
        ix->nslots[k] = n;
        for (size_t i = 0; i < d->count; i++) {
            if (i > 0 && strcmp(d->items[i].id, d->items[i - 1].id) == 0)
                continue;
            size_t j = (size_t)id_hash(d->items[i].id) & (n - 1);
            while (ix->slots[k][j])
                j = (j + 1) & (n - 1);
            ix->slots[k][j] = (uint32_t)i + 1;
        }
    }
    return CSP_OK;
}

/* Take the sorted declarations of every kind and hash them. */
csp_error csp_template_index_new(csp_tpl_decls decls[CSP_TPL_KINDS],
                                 csp_template_index **out)
{
    csp_error err = CSP_OK;
    csp_template_index *ix = csp_calloc(1, sizeof *ix);

    *out = NULL;
    if (!ix) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    memcpy(ix->decls, decls, sizeof ix->decls);
    memset(decls, 0, sizeof ix->decls);
    if ((err = index_hash(ix)))
        goto out;
    *out = ix;
    ix = NULL;
out:
    csp_template_index_free(ix);
    return err;
}

/* The first declaration of @p id of @p kind in the index, or NULL. */
const csp_tpl_decl *csp_template_index_find(const csp_template_index *ix,
                                            csp_tpl_kind kind, const char *id)
{
    const csp_tpl_decls *d = &ix->decls[kind];
    const uint32_t *slots = ix->slots[kind];
    size_t mask = ix->nslots[kind] - 1;

    if (!slots)
        return csp_template_index_search(d, id);
    for (size_t j = (size_t)id_hash(id) & mask; slots[j]; j = (j + 1) & mask)
        if (strcmp(d->items[slots[j] - 1].id, id) == 0)
            return &d->items[slots[j] - 1];
    return NULL;
}

/* Free an index and the declarations it holds. */
void csp_template_index_free(csp_template_index *ix)
{
    if (!ix)
        return;
    for (int k = 0; k < CSP_TPL_KINDS; k++) {
        free(ix->decls[k].items);
        free(ix->slots[k]);
    }
    free(ix);
}
