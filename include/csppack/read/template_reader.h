/*
 * Internal to the template reader (src/read/template*.c): the state of
 * one csp_template_read and the helpers its parts share.
 *
 * A read turns the validated DOM into the model (template_parse.c and
 * template_decls.c), recording on the way every declared id with its
 * line (csp_tpl_decl, model/template_index.h) and every reference to an
 * id with its line and the slot that receives the resolved index
 * (csp_tpl_ref); template_check.c then makes the whole-template checks.
 */
#ifndef CSPPACK_READ_TEMPLATE_READER_H
#define CSPPACK_READ_TEMPLATE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/template.h"
#include "csppack/model/template_index.h"

/* What a reference is, which decides its kind, message and unit check. */
typedef enum csp_tpl_role {
    CSP_TPL_R_SUM_INPUT,
    CSP_TPL_R_RATE_COUNT,
    CSP_TPL_R_RATE_OF, /* <rate count>: per the indicator's per= and of= */
    CSP_TPL_R_SHARE_PART,
    CSP_TPL_R_SHARE_WHOLE,
    CSP_TPL_R_OWNER_AGENCY,
    CSP_TPL_R_OWNER_AREA,
    CSP_TPL_R_INDICATOR_THEME,
    CSP_TPL_R_GROUP_AGENCY,
    CSP_TPL_R_THEME_PRIORITY,
    CSP_TPL_R_MEASURE,
    CSP_TPL_R_KEY_GROUP,
    CSP_TPL_R_ACTION_GROUP,
    CSP_TPL_R_ACTION_PRIORITY,
    CSP_TPL_R_KF_INDICATOR,
    CSP_TPL_R_KF_RATE,
    CSP_TPL_R_CONTACT,
    CSP_TPL_R_TARGET_AREA,
    CSP_TPL_ROLES
} csp_tpl_role;

/* One reference to an id, resolved after the whole template is read. */
typedef struct csp_tpl_ref {
    csp_tpl_role role;
    const char *subject; /* the referring thing's id or label; borrowed */
    const char *target;  /* the id referred to; borrowed */
    unsigned long line;
    size_t *slot; /* receives the target's index; may be NULL */
} csp_tpl_ref;

/* Everything one csp_template_read works with. */
typedef struct csp_tpl_reader {
    const char *file; /* the input's name, for diagnostics */
    csp_diag_list *diags;
    csp_template *tpl;
    size_t errors;   /* error diagnostics added by this read */
    size_t text_cap; /* cap of messages built from input */
    csp_tpl_decls decls[CSP_TPL_KINDS];
    csp_tpl_ref *refs;
    size_t nrefs;
    size_t cap_refs;
    unsigned long *theme_lines; /* per theme, for E305 */
    char **theme_numbers;       /* per theme, number= as written */
    size_t nthemes;             /* length of the two arrays above */
    unsigned long *ind_lines;   /* per indicator, for E303/E304 */
    unsigned long themes_line;  /* of <themes>, for its action-refs */
} csp_tpl_reader;

/** The line of @p node (0 when libxml2 does not know it). */
unsigned long csp_tpl_node_line(xmlNodePtr node);

/** Append a diagnostic @p code about line @p line of the template, with
 *  the keys of @p keys (may be NULL); counts the errors. */
csp_error csp_tpl_report(csp_tpl_reader *r, csp_diag_code code,
                         unsigned long line, const csp_diag *keys,
                         const char *fmt, ...)
    __attribute__((format(printf, 5, 6))) CSP_MUST_CHECK;

/** A unit as a message names a thing of it: "a count", "a rate", "a
 *  percent", "money", "an average". */
const char *csp_tpl_unit_phrase(csp_unit unit);

/** Keys for a diagnostic about indicator @p id. */
csp_diag csp_tpl_keys_indicator(const char *id);

/** Keys for a diagnostic about area @p id. */
csp_diag csp_tpl_keys_area(const char *id);

/** Number of element children of @p node named @p name. */
size_t csp_tpl_count_children(xmlNodePtr node, const char *name);

/** calloc for @p n items; NULL for none (so check n before blaming
 *  memory). */
void *csp_tpl_calloc_n(size_t n, size_t size);

/**
 * Attribute @p name of @p node, whitespace collapsed, in malloc'd memory;
 * *out is NULL when the attribute is absent.  A @p required attribute
 * that is absent cannot pass the XSD, so it is an internal error.
 */
csp_error csp_tpl_get_attr(xmlNodePtr node, const char *name, bool required,
                           char **out) CSP_MUST_CHECK;

/** Text content of @p node, whitespace collapsed, in malloc'd memory. */
csp_error csp_tpl_get_text(xmlNodePtr node, char **out) CSP_MUST_CHECK;

/** The text directly inside @p node (not in child elements), collapsed,
 *  at most @p cap bytes. */
csp_error csp_tpl_get_own_text(xmlNodePtr node, size_t cap,
                               char **out) CSP_MUST_CHECK;

/** Parse plain digits; false when empty, not digits or over @p max. */
bool csp_tpl_parse_whole(const char *s, unsigned long long max,
                         unsigned long long *out);

/** Parse an optionally signed whole number that fits an int64_t. */
bool csp_tpl_parse_int64(const char *s, int64_t *out);

/** Read year attribute @p name (four digits by the XSD); 0 when
 *  absent. */
csp_error csp_tpl_get_year(xmlNodePtr node, const char *name, bool required,
                           int *out) CSP_MUST_CHECK;

/** How a strategy year (<strategy first-year last-year refresh-year>)
 *  is written. */
typedef enum csp_tpl_year_form {
    CSP_TPL_YEAR_ABSENT = 0,
    CSP_TPL_YEAR_CALENDAR,  /**< "2016" */
    CSP_TPL_YEAR_FINANCIAL, /**< "2019/20": April 2019 to March 2020 */
    CSP_TPL_YEAR_BAD        /**< "2019/21": refused (E305, reported) */
} csp_tpl_year_form;

/** Read strategy-year attribute @p name ("2016" or "2019/20" by the
 *  XSD) into *year (the year it starts; 0 when absent or bad) and
 *  *form; a financial year whose two digits are not the next year's is
 *  reported (E305).  *text: the attribute as written (NULL when absent),
 *  for the caller's messages; the caller frees it. */
csp_error csp_tpl_get_strategy_year(csp_tpl_reader *r, xmlNodePtr node,
                                    const char *name, bool required,
                                    int *year, csp_tpl_year_form *form,
                                    char **text) CSP_MUST_CHECK;

/** Read the space-separated id-list attribute @p name of @p node. */
csp_error csp_tpl_get_ids(xmlNodePtr node, const char *name, char ***out,
                          size_t *n) CSP_MUST_CHECK;

/** Record that @p id of @p kind is declared at @p line as item @p pos. */
csp_error csp_tpl_declare(csp_tpl_reader *r, csp_tpl_kind kind, const char *id,
                          size_t pos, unsigned long line) CSP_MUST_CHECK;

/** Record a reference to check once everything is declared. */
csp_error csp_tpl_refer(csp_tpl_reader *r, csp_tpl_role role,
                        const char *subject, const char *target,
                        unsigned long line, size_t *slot) CSP_MUST_CHECK;

/** Release the reader's bookkeeping (not the template). */
void csp_tpl_reader_free(csp_tpl_reader *r);

#endif
