/*
 * Internal: safe XML parsing shared by the template, submission and
 * dataset readers.  Not installed.
 *
 * Every entry point parses bytes already loaded by csp_input_load (so no
 * file-name reader, no silent gunzip), with XML_PARSE_NONET and
 * XML_PARSE_BIG_LINES, never NOENT/DTDLOAD/DTDATTR/XINCLUDE/HUGE, and
 * refuses any DOCTYPE.  Problems become diagnostics (E105 not well-formed,
 * E106 encoding, E107 DOCTYPE, E108 root/namespace, E109 schema).
 */
#ifndef CSPPACK_XMLSAFE_H
#define CSPPACK_XMLSAFE_H

#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "csppack/model/diag.h"
#include "csppack/base/error.h"
#include "csppack/read/xmlread.h"

/** The schemas compiled into the program. */
typedef enum csp_schema_id {
    CSP_SCHEMA_SUBMISSION,   /* templates/submission.xsd */
    CSP_SCHEMA_STRATEGY,     /* templates/strategy.xsd */
    CSP_SCHEMA_DATASET,      /* templates/dataset.xsd */
    CSP_SCHEMA_COUNT_
} csp_schema_id;

/** Namespace URI of each schema's documents. */
const char *csp_schema_namespace(csp_schema_id id);
/** Expected root element local name of each schema's documents. */
const char *csp_schema_root(csp_schema_id id);

/**
 * The compiled schema (parsed once per process, never from the network).
 * NULL when it could not be parsed: the schemas are built in and known
 * to be good, so that means libxml2 ran out of memory.
 */
xmlSchemaPtr csp_schema_get(csp_schema_id id);

/**
 * Set libxml2 up and compile every schema, on the main thread before
 * documents are read on others: libxml2 wants xmlInitParser called there
 * first, and compiling a schema also sets up its built-in types, which it
 * does without a lock.  The compiled schemas are then only read (each
 * reader validates with its own context), and libxml2's error handlers
 * are per thread.  CSP_ERR_INTERNAL when a schema does not compile.
 */
csp_error csp_xml_prepare(void) CSP_MUST_CHECK;

/**
 * How many of libxml2's allocations have failed in this process.  From
 * the first call on, every libxml2 allocation is counted: libxml2 does
 * not report each failure, and carries on with a part missing, so a
 * caller that sees the count move fails for want of memory.
 */
unsigned long csp_xml_alloc_failures(void);

/** Release the cached schemas (for leak checkers; optional).  Not while
 *  documents are being read. */
void csp_schema_cleanup(void);

/**
 * Parse @p in into a DOM and validate it against schema @p id.  Every
 * problem is appended to @p diags with in->path and the line.  On success
 * *out is the document (caller frees with xmlFreeDoc) and CSP_OK is
 * returned; when the file is refused, *out is NULL and CSP_ERR_INVALID is
 * returned.  For small trusted-ish files (templates); submissions stream.
 */
csp_error csp_xml_parse_validated(const csp_input *in, csp_schema_id id,
                                  xmlDocPtr *out, csp_diag_list *diags)
    CSP_MUST_CHECK;

/**
 * Streaming: open a reader on @p in with schema validation against @p id
 * switched on and every libxml2 error routed into @p diags.  Use
 * csp_xml_next() instead of xmlTextReaderRead(); it refuses a DOCTYPE,
 * and csp_xml_close() reports whether the whole document was valid.
 * Before any parser sees it, the document is refused with a text or an
 * attribute value of more than @p max_text characters (0: libxml2's own
 * limit), and past the fixed bounds of src/read/xmlscan.c (E120-E122).
 */
typedef struct csp_xml csp_xml;

csp_error csp_xml_open(const csp_input *in, csp_schema_id id,
                       size_t max_text, csp_diag_list *diags, csp_xml **out)
    CSP_MUST_CHECK;
/** The underlying reader (borrowed). */
xmlTextReaderPtr csp_xml_reader(csp_xml *x);
/** 1: a node is ready; 0: end of document; -1: refused (diagnosed). */
int csp_xml_next(csp_xml *x);
/** The XML_READER_TYPE_ of the node csp_xml_next() moved to (after it
 *  returned 1), as xmlTextReaderNodeType() gives it, except that every
 *  text node is XML_READER_TYPE_TEXT, white space too. */
int csp_xml_type(const csp_xml *x);
/** Current line (big lines). */
unsigned long csp_xml_line(csp_xml *x);
/** True once any whole-file problem has been diagnosed. */
bool csp_xml_failed(const csp_xml *x);
/** True when memory ran out while reading (csp_xml_close is false too):
 *  the run fails, the file is not refused. */
bool csp_xml_nomem(const csp_xml *x);
/** Finish: false when the document was refused.  Frees @p x. */
bool csp_xml_close(csp_xml *x);

/* DOM helpers for readers. */

/** Attribute value (no namespace) or NULL; caller frees with xmlFree. */
char *csp_xml_attr(xmlNodePtr node, const char *name);
/** Text content with runs of whitespace collapsed to one space and trimmed;
 *  caller frees with free().  NULL only on allocation failure. */
char *csp_xml_text_collapsed(xmlNodePtr node);
/** Collapse whitespace of @p s in place (trim, runs -> one space). */
void csp_text_collapse(char *s);
/** True when @p node is an element named @p name in the schema's namespace. */
bool csp_xml_is(xmlNodePtr node, csp_schema_id id, const char *name);

#endif
