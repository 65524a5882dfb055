/*
 * What csppack's PDFs carry beyond libharu's top-level API, written with
 * libharu 2.3.0's object API (hpdf_objects.h, hpdf_doc.h, hpdf_font.h):
 * the one place in csppack that reaches below hpdf.h's functions, used
 * only by the layout engine's finishing (finish.c).
 *
 *   - a ToUnicode CMap for each Type0 font that maps its codes (Unicode
 *     code points, through libharu's UTF-8 encoder and Identity-H) to
 *     themselves, in place of the encoding CMap libharu writes there;
 *   - /Lang, /ViewerPreferences << /DisplayDocTitle true >> and an XMP
 *     metadata stream equal to the document information, in the catalog;
 *   - for PDF/A-2b: pdfaid in the XMP and an sRGB output intent with the
 *     ICC profile embedded at build time;
 *   - a trailer /ID derived from the file's bytes (csp_pdfobj_set_id).
 *
 *     err = csp_pdfobj_prepare(pdf, fonts, 2, &meta, &why);
 *     HPDF_SaveToStream(pdf);  ... read the bytes ...
 *     csp_pdfobj_set_id(bytes, n);
 *
 * doc/pdf.md says what each entry is for and what is checked.
 */
#ifndef CSPPACK_WRITE_PDF_PDFOBJ_H
#define CSPPACK_WRITE_PDF_PDFOBJ_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"

/** The catalog's /Lang: csppack's documents are in British English. */
#define CSP_PDF_LANG "en-GB"

/** The output intent's condition, the ICC profile's colour space. */
#define CSP_PDF_OUTPUT_CONDITION "sRGB IEC61966-2.1"

/** What the finishing adds to a document. */
typedef struct csp_pdfobj_meta {
    const char *lang; /**< the catalog's /Lang */
    bool archive;     /**< PDF/A-2b: output intent, pdfaid */
} csp_pdfobj_meta;

/**
 * Add everything above but the ID's value to @p pdf, just before it is
 * saved: the document information must be complete (the XMP copies it).
 * @p fonts are the Type0 fonts made with the UTF-8 encoder.  The trailer
 * gets a placeholder ID, which csp_pdfobj_set_id replaces.  With @p why:
 * CSP_ERR_NOMEM when memory ran out here, CSP_ERR_INTERNAL when libharu
 * failed (its error handler has been called too, with its own reason).
 */
csp_error csp_pdfobj_prepare(HPDF_Doc pdf, const HPDF_Font *fonts,
                             size_t nfonts, const csp_pdfobj_meta *meta,
                             csp_why *why) CSP_MUST_CHECK;

/**
 * Replace the placeholder ID in the saved bytes @p buf of @p len with the
 * first 16 bytes of the SHA-256 of the bytes as they are (both entries
 * of /ID the same, as for a new file).  False when no placeholder is in
 * the trailer.
 */
bool csp_pdfobj_set_id(unsigned char *buf, size_t len);

/**
 * Write the XMP packet for the document information @p info_* (UTF-8,
 * any may be NULL), the dates as the Info dictionary holds them
 * ("D:YYYYMMDDHHmmSS" and a zone), into malloc'd memory (*out, *outlen).
 * With @p archive it names PDF/A-2b.  CSP_ERR_NOMEM when memory ran out,
 * CSP_ERR_INTERNAL when a date is not in that form.  Exposed for the unit
 * test.
 */
csp_error csp_pdfobj_xmp(const char *title, const char *author,
                         const char *subject, const char *keywords,
                         const char *creator, const char *producer,
                         const char *created, const char *modified,
                         bool archive, char **out,
                         size_t *outlen) CSP_MUST_CHECK;

#endif
