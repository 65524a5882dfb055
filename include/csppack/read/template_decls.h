/*
 * Internal to the template reader: the declarations of a template's
 * areas, agencies, delivery groups, priorities and indicators, one
 * element at a time (src/read/template_decls.c).
 *
 * Each reads one element @p node into @p item (a csp_area, csp_agency,
 * csp_group, csp_priority or csp_indicator), the @p pos'th of its kind,
 * declares its id and records its references, and makes the checks that
 * need that element only.
 */
#ifndef CSPPACK_READ_TEMPLATE_DECLS_H
#define CSPPACK_READ_TEMPLATE_DECLS_H

#include <stddef.h>

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/read/template_reader.h"

/** The <areas> element @p node: every <area> at any depth, with its
 *  population and household estimates, into the flat tpl->areas in
 *  document order (parent id and depth set). */
csp_error csp_tpl_read_areas(csp_tpl_reader *r, xmlNodePtr node) CSP_MUST_CHECK;
/** One <agency> with its optional contact block. */
csp_error csp_tpl_read_agency(csp_tpl_reader *r, xmlNodePtr node, void *item,
                              size_t pos) CSP_MUST_CHECK;
/** One delivery <group>. */
csp_error csp_tpl_read_group(csp_tpl_reader *r, xmlNodePtr node, void *item,
                             size_t pos) CSP_MUST_CHECK;
/** One strategic-assessment <priority>. */
csp_error csp_tpl_read_priority(csp_tpl_reader *r, xmlNodePtr node, void *item,
                                size_t pos) CSP_MUST_CHECK;
/** One <indicator>: unit, decimals, owners, rule, judgement
 *  (template_judge.h), theme, note. */
csp_error csp_tpl_read_indicator(csp_tpl_reader *r, xmlNodePtr node, void *item,
                                 size_t pos) CSP_MUST_CHECK;

#endif
