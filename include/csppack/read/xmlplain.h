/*
 * Internal to the safe XML reading (read/xmlsafe.h): libxml2's error
 * messages turned into plain sentences a partner's data officer can act
 * on (src/read/xmlplain.c): what is wrong, where, and how to fix it.
 * doc/diagnostics.md, E105 and E109, lists them.
 */
#ifndef CSPPACK_READ_XMLPLAIN_H
#define CSPPACK_READ_XMLPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlerror.h>

/**
 * The E105 message for libxml2's well-formedness error @p e (its message
 * cleaned, @p msg) in the document @p data (@p size bytes), in @p buf: false when csppack has
 * no plain words for it (the caller says it its own way).  *@p line is
 * libxml2's line; it moves to where the fix is when that is elsewhere
 * (the start of a comment never closed).
 */
bool csp_xmlplain_not_well_formed(const unsigned char *data, size_t size,
                                  const xmlError *e,
                                  const char *msg, char *buf, size_t n,
                                  unsigned long *line);

/**
 * The E109 message body for libxml2's schema-validity error, its message
 * cleaned in @p msg, at @p line of the document @p data (@p size bytes),
 * in @p buf (what follows "the file does not follow the ... format: "):
 * false when csppack has no plain words for it.
 */
bool csp_xmlplain_schema(const unsigned char *data, size_t size,
                         const char *msg, unsigned long line, char *buf,
                         size_t n);

/**
 * What a file whose root is @p local in namespace @p ns is, when it is a
 * known kind that is no csppack document (an Excel spreadsheet saved as
 * XML): the E108 message in @p buf, naming @p what csppack expected ("a
 * submission"); false otherwise.
 */
bool csp_xmlplain_foreign_root(const char *local, const char *ns,
                               const char *what, char *buf, size_t n);

/** Whether @p data (@p size bytes, a zip archive) is an Excel workbook
 *  (.xlsx): it holds [Content_Types].xml and files under xl/. */
bool csp_xmlplain_is_xlsx(const unsigned char *data, size_t size);

#endif
