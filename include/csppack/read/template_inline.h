/*
 * Internal to the template reader: a paragraph's inline markup.  A
 * template's <p> holds text, titles (<cite>, set in italics) and
 * footnotes (<fn>, which may hold titles of their own).  The reader
 * keeps the paragraph's own words as its text, the titles as byte spans
 * of it, and each note with the offset of its mark
 * (doc/template-format.md, "Footnotes and titles").
 */
#ifndef CSPPACK_READ_TEMPLATE_INLINE_H
#define CSPPACK_READ_TEMPLATE_INLINE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/model/template.h"

/**
 * Read the <p> @p node into @p b (kind, text, cites, notes): whitespace
 * collapsed as in every template text, a note's mark right after the
 * text before it.  Text longer than @p cap bytes is refused (NOMEM, as
 * the strbuf cap).  On failure @p b may hold part of it (freed with the
 * template).
 */
csp_error csp_tpl_read_para(xmlNodePtr node, size_t cap,
                            csp_block *b) CSP_MUST_CHECK;

#endif
