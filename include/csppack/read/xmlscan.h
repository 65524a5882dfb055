/*
 * Internal to the safe XML reading (read/xmlsafe.h): the byte pre-pass
 * over a document before any parser sees it (src/read/xmlscan.c).
 *
 * It walks the markup once, linear in the size, and refuses what libxml2
 * would spend quadratic time or much memory on (E120 too many attributes
 * on an element, E121 a text in too many pieces, E122 too many comments),
 * a text or value longer than the bound (E114), and the encodings
 * csppack does not read or that contradict themselves (E106).  Markup it
 * does not understand it leaves to the parser.
 */
#ifndef CSPPACK_READ_XMLSCAN_H
#define CSPPACK_READ_XMLSCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/model/diag.h"
#include "csppack/read/xmlread.h"

/** E114 for a text longer than libxml2 takes (XML_MAX_TEXT_LENGTH). */
#define CSP_XMLSCAN_HUGE_TEXT                                                \
    "a text or attribute value here is longer than 10,000,000 bytes, the "  \
    "most the XML parser takes in one piece; shorten it"

/**
 * Check the document @p in before a parser sees it: its encoding (UTF-32,
 * a byte-order mark that contradicts the declaration, a broken UTF-16
 * character) and the bounds on its markup (up to the root's start tag
 * with @p root_only), texts and values at most @p max_text bytes (0:
 * libxml2's limit).  @p what names the kind of document in messages
 * ("submission"); with @p submission, texts are named as the submission
 * reader names them ("progress statement").  False when the file is
 * refused: diagnosed in @p diags; *nomem is set when memory ran out
 * while saying so.
 */
bool csp_xmlscan_check(const csp_input *in, const char *what, bool submission,
                       bool root_only, size_t max_text, csp_diag_list *diags,
                       bool *nomem);

#endif
