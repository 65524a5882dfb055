/*
 * The accessible HTML version of a report: one self-contained file
 * (styles inline, charts as inline SVG, nothing fetched, no script) from
 * the content the PDF writer recorded (write/doc.h), built as a libxml2
 * tree and written with libxml2's HTML serialiser.
 *
 * What it promises (doc/accessibility.md): lang en-GB, a skip link and
 * linked contents, headings in order, tables with captions and header
 * scopes, status by word and shape as well as colour, text contrast of
 * at least 4.5:1, reflow at 320 px without sideways scrolling, a print
 * stylesheet for A4.  The same document gives the same bytes.
 */
#ifndef CSPPACK_WRITE_HTML_H
#define CSPPACK_WRITE_HTML_H

#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/write/doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Write @p doc as an HTML document to @p out.  CSP_ERR_NOMEM when memory
 * ran out, CSP_ERR_IO when writing failed (@p why says which).
 */
csp_error csp_html_write(const csp_doc *doc, FILE *out,
                         csp_why *why) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
