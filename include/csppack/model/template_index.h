/*
 * A strategy template's declared ids, for its lookups by id
 * (model/template.h): every declaration of each kind of id with its
 * place and line, sorted by id, then by place, and hashed.
 *
 * The template reader (read/template.c) records the declarations, checks
 * them (no id declared twice) and hands them to the template with
 * csp_template_index_new.  Internal to csppack: the model's lookups and
 * the template reader use it.
 */
#ifndef CSPPACK_MODEL_TEMPLATE_INDEX_H
#define CSPPACK_MODEL_TEMPLATE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kinds of declared ids; each kind is its own namespace. */
typedef enum csp_tpl_kind {
    CSP_TPL_AREA,
    CSP_TPL_AGENCY,
    CSP_TPL_GROUP,
    CSP_TPL_PRIORITY,
    CSP_TPL_INDICATOR,
    CSP_TPL_THEME,
    CSP_TPL_ACTION,
    CSP_TPL_SECTION,
    CSP_TPL_KINDS
} csp_tpl_kind;

/** One declaration of an id. */
typedef struct csp_tpl_decl {
    const char *id;     /**< borrowed from the template */
    size_t pos;         /**< index in the template's array (actions:
                             counted over every theme) */
    unsigned long line; /**< where the template declares it */
} csp_tpl_decl;

/** All declarations of one kind. */
typedef struct csp_tpl_decls {
    csp_tpl_decl *items;
    size_t count;
    size_t capacity;
} csp_tpl_decls;

/** The lookups of a checked template (opaque). */
typedef struct csp_template_index csp_template_index;

/** Sort @p d by id, then by position (document order): the order
 *  csp_template_index_search and the index rely on. */
void csp_template_index_sort(csp_tpl_decls *d);

/** The first declaration of @p id in @p d (sorted), or NULL. */
const csp_tpl_decl *csp_template_index_search(const csp_tpl_decls *d,
                                              const char *id);

/**
 * The index of the declarations @p decls (each sorted; one per kind),
 * which it takes: on success each decls[k] is left empty.  On
 * CSP_ERR_NOMEM *out is NULL, and @p decls are the caller's still when
 * the index itself could not be allocated, or freed with it otherwise.
 */
csp_error csp_template_index_new(csp_tpl_decls decls[CSP_TPL_KINDS],
                                 csp_template_index **out) CSP_MUST_CHECK;

/** The first declaration of @p id of @p kind in @p ix, or NULL. */
const csp_tpl_decl *csp_template_index_find(const csp_template_index *ix,
                                            csp_tpl_kind kind, const char *id);

/** Free an index (NULL is fine). */
void csp_template_index_free(csp_template_index *ix);

#ifdef __cplusplus
}
#endif
#endif
