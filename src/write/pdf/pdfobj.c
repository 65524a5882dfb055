/* csppack: what a PDF carries beyond libharu's top-level API (pdfobj.h). */
#include "csppack/write/pdf/pdfobj.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

/* The sRGB profile, embedded at build time (Makefile.am). */
extern const unsigned char csp_embedded_srgb_icc[];
extern const size_t csp_embedded_srgb_icc_len;

/* The placeholder ID: 16 bytes libharu writes as 32 hex digits, which no
 * digest of csppack's bytes is taken to be (it is replaced at once). */
#define ID_LEN 16
static const HPDF_BYTE id_placeholder[ID_LEN] = {
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11};

/*
 * The ToUnicode CMap: every code in the Basic Multilingual Plane but the
 * surrogates maps to itself.  libharu's UTF-8 encoder draws each
 * character as its code point (Identity-H, and the CIDToGIDMap takes
 * code points to glyphs), so identity is the truth.  One bfrange per
 * high byte (a range must not cross one), at most 100 per block.
 */
static csp_error tounicode_cmap(csp_strbuf *sb)
{
    csp_error err = csp_strbuf_puts(
        sb, "/CIDInit /ProcSet findresource begin\n"
            "12 dict begin\n"
            "begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
            "/Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n"
            "1 begincodespacerange\n"
            "<0000> <FFFF>\n"
            "endcodespacerange\n");
    unsigned highs[256], n = 0;
    for (unsigned h = 0; h < 256; h++)
        if (h < 0xD8 || h > 0xDF)
            highs[n++] = h;
    for (unsigned i = 0; i < n && !err; i += 100) {
        unsigned k = n - i < 100 ? n - i : 100;
        err = csp_strbuf_printf(sb, "%u beginbfrange\n", k);
        for (unsigned j = 0; j < k && !err; j++)
            err = csp_strbuf_printf(sb, "<%02X00> <%02XFF> <%02X00>\n",
                                    highs[i + j], highs[i + j], highs[i + j]);
        if (!err)
            err = csp_strbuf_puts(sb, "endbfrange\n");
    }
    if (!err)
        err = csp_strbuf_puts(sb, "endcmap\n"
                                  "CMapName currentdict /CMap defineresource "
                                  "pop\n"
                                  "end\n"
                                  "end\n");
    return err;
}

/*
 * Put the identity ToUnicode map into each font's ToUnicode stream.
 * libharu makes that stream when the font is made (HPDF_Type0Font_New
 * keeps it as the font's cmap_stream) and writes it as it is at saving,
 * so its bytes are replaced here, before saving; the entries libharu gave
 * its dictionary for an encoding CMap are dropped.
 */
static bool set_tounicode(const HPDF_Font *fonts, size_t nfonts,
                          const csp_strbuf *cmap)
{
    for (size_t i = 0; i < nfonts; i++) {
        HPDF_Dict font = fonts[i];
        HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
        if (!attr || attr->type != HPDF_FONT_TYPE0_TT || !attr->cmap_stream)
            return false;
        HPDF_Dict cm = attr->cmap_stream;
        if (HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) != cm)
            return false;
        static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo",
                                           "WMode"};
        for (size_t k = 0; k < sizeof drop / sizeof *drop; k++)
            if (HPDF_Dict_RemoveElement(cm, drop[k]) != HPDF_OK)
                return false;
        HPDF_MemStream_FreeData(cm->stream);
        if (HPDF_Stream_Write(cm->stream, (const HPDF_BYTE *)cmap->data,
                              (HPDF_UINT)cmap->len) != HPDF_OK)
            return false;
    }
    return true;
}

/* Append s (UTF-8, from the document information: XML text already, as
 * csppack's inputs are XML) escaped for XML text and attributes. */
static csp_error xml_text(csp_strbuf *sb, const char *s)
{
    csp_error err = CSP_OK;
    for (; s && *s && !err; s++) {
        const char *e = *s == '&'    ? "&amp;"
                        : *s == '<'  ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\'' ? "&apos;"
                                     : NULL;
        err = e ? csp_strbuf_puts(sb, e) : csp_strbuf_putc(sb, *s);
    }
    return err;
}

/* A PDF date "D:YYYYMMDDHHmmSS" + "Z", "Z00'00'" or "+HH'mm'" as XMP's
 * "YYYY-MM-DDTHH:mm:SS" + "Z" or "+HH:mm"; false when it is not one. */
static bool xmp_date(const char *d, char out[32])
{
    if (!d || strncmp(d, "D:", 2) != 0)
        return false;
    d += 2;
    for (int i = 0; i < 14; i++)
        if (d[i] < '0' || d[i] > '9')
            return false;
    const char *z = d + 14;
    char zone[8];
    if (z[0] == 'Z' && (z[1] == '\0' || strcmp(z + 1, "00'00'") == 0)) {
        strcpy(zone, "Z");
    } else if ((z[0] == '+' || z[0] == '-') && z[1] >= '0' && z[1] <= '9' &&
               z[2] >= '0' && z[2] <= '9' && z[3] == '\'' && z[4] >= '0' &&
               z[4] <= '9' && z[5] >= '0' && z[5] <= '9' &&
               (z[6] == '\0' || (z[6] == '\'' && z[7] == '\0'))) {
        snprintf(zone, sizeof zone, "%c%.2s:%.2s", z[0], z + 1, z + 4);
    } else {
        return false;
    }
    snprintf(out, 32, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s%s", d, d + 4, d + 6, d + 8,
             d + 10, d + 12, zone);
    return true;
}

/* One simple property, when there is a value. */
static csp_error xmp_prop(csp_strbuf *sb, const char *name, const char *v)
{
    if (!v)
        return CSP_OK;
    csp_error err = csp_strbuf_printf(sb, "   <%s>", name);
    if (!err)
        err = xml_text(sb, v);
    if (!err)
        err = csp_strbuf_printf(sb, "</%s>\n", name);
    return err;
}

/* A language alternative (dc:title, dc:description) or a sequence
 * (dc:creator) of one value, when there is one. */
static csp_error xmp_list(csp_strbuf *sb, const char *name, bool alt,
                          const char *v)
{
    if (!v)
        return CSP_OK;
    csp_error err = csp_strbuf_printf(
        sb, "   <%s>\n    <rdf:%s>\n     <rdf:li%s>", name, alt ? "Alt" : "Seq",
        alt ? " xml:lang=\"x-default\"" : "");
    if (!err)
        err = xml_text(sb, v);
    if (!err)
        err = csp_strbuf_printf(sb, "</rdf:li>\n    </rdf:%s>\n   </%s>\n",
                                alt ? "Alt" : "Seq", name);
    return err;
}

/* The XMP packet (pdfobj.h). */
csp_error csp_pdfobj_xmp(const char *title, const char *author,
                         const char *subject, const char *keywords,
                         const char *creator, const char *producer,
                         const char *created, const char *modified,
                         bool archive, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    char cd[32], md[32];
    if ((created && !xmp_date(created, cd)) ||
        (modified && !xmp_date(modified, md)))
        return CSP_ERR_INTERNAL;
    csp_strbuf sb;
    csp_strbuf_init(&sb, SIZE_MAX);
    csp_error err = csp_strbuf_puts(
        &sb,
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "  <rdf:Description rdf:about=\"\"\n"
        "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
        "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
        "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"");
    if (!err && archive)
        err = csp_strbuf_puts(
            &sb, "\n    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"");
    if (!err)
        err =
            csp_strbuf_puts(&sb, ">\n"
                                 "   <dc:format>application/pdf</dc:format>\n");
    if (!err)
        err = xmp_list(&sb, "dc:title", true, title);
    if (!err)
        err = xmp_list(&sb, "dc:creator", false, author);
    if (!err)
        err = xmp_list(&sb, "dc:description", true, subject);
    if (!err)
        err = xmp_prop(&sb, "pdf:Keywords", keywords);
    if (!err)
        err = xmp_prop(&sb, "pdf:Producer", producer);
    if (!err)
        err = xmp_prop(&sb, "xmp:CreatorTool", creator);
    if (!err)
        err = xmp_prop(&sb, "xmp:CreateDate", created ? cd : NULL);
    if (!err)
        err = xmp_prop(&sb, "xmp:ModifyDate", modified ? md : NULL);
    if (!err && archive)
        err = csp_strbuf_puts(
            &sb, "   <pdfaid:part>2</pdfaid:part>\n"
                 "   <pdfaid:conformance>B</pdfaid:conformance>\n");
    if (!err)
        err = csp_strbuf_puts(&sb, "  </rdf:Description>\n"
                                   " </rdf:RDF>\n"
                                   "</x:xmpmeta>\n"
                                   "<?xpacket end=\"w\"?>");
    if (err) {
        csp_strbuf_free(&sb);
        return CSP_ERR_NOMEM;
    }
    *outlen = sb.len;
    *out = csp_strbuf_take(&sb);
    return *out ? CSP_OK : CSP_ERR_NOMEM;
}

/* The XMP metadata stream in the catalog, uncompressed, from the
 * document information as libharu holds it. */
static csp_error add_metadata(HPDF_Doc pdf, bool archive)
{
    char *xmp = NULL;
    size_t n = 0;
    csp_error err = csp_pdfobj_xmp(
        HPDF_GetInfoAttr(pdf, HPDF_INFO_TITLE),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_AUTHOR),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_SUBJECT),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_KEYWORDS),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_CREATOR),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_CREATION_DATE),
        HPDF_GetInfoAttr(pdf, HPDF_INFO_MOD_DATE), archive, &xmp, &n);
    if (err)
        return err;
    HPDF_Dict md = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    bool ok = md && HPDF_Dict_AddName(md, "Type", "Metadata") == HPDF_OK &&
              HPDF_Dict_AddName(md, "Subtype", "XML") == HPDF_OK &&
              HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp,
                                (HPDF_UINT)n) == HPDF_OK &&
              HPDF_Dict_Add(pdf->catalog, "Metadata", md) == HPDF_OK;
    free(xmp);
    return ok ? CSP_OK : CSP_ERR_INTERNAL;
}

/* The PDF/A output intent: sRGB, with its ICC profile (compressed). */
static bool add_output_intent(HPDF_Doc pdf)
{
    HPDF_Dict icc = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!icc || HPDF_Dict_AddNumber(icc, "N", 3) != HPDF_OK ||
        HPDF_Stream_Write(icc->stream, csp_embedded_srgb_icc,
                          (HPDF_UINT)csp_embedded_srgb_icc_len) != HPDF_OK)
        return false;
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict oi = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array arr = HPDF_Array_New(pdf->mmgr);
    if (!oi || !arr) {
        if (oi)
            HPDF_Dict_Free(oi);
        if (arr)
            HPDF_Array_Free(arr);
        return false;
    }
    /* Once added, the catalog owns them (freed with it on failure). */
    if (HPDF_Dict_Add(pdf->catalog, "OutputIntents", arr) != HPDF_OK ||
        HPDF_Array_Add(arr, oi) != HPDF_OK)
        return false;
    return HPDF_Dict_AddName(oi, "Type", "OutputIntent") == HPDF_OK &&
           HPDF_Dict_AddName(oi, "S", "GTS_PDFA1") == HPDF_OK &&
           HPDF_Dict_Add(oi, "OutputConditionIdentifier",
                         HPDF_String_New(pdf->mmgr, CSP_PDF_OUTPUT_CONDITION,
                                         NULL)) == HPDF_OK &&
           HPDF_Dict_Add(oi, "Info",
                         HPDF_String_New(pdf->mmgr, CSP_PDF_OUTPUT_CONDITION,
                                         NULL)) == HPDF_OK &&
           HPDF_Dict_Add(oi, "DestOutputProfile", icc) == HPDF_OK;
}

/* The trailer's placeholder /ID: two equal 16-byte strings. */
static bool add_id(HPDF_Doc pdf)
{
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id)
        return false;
    if (HPDF_Dict_Add(pdf->trailer, "ID", id) != HPDF_OK)
        return false;
    return HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr,
                                              (HPDF_BYTE *)id_placeholder,
                                              ID_LEN)) == HPDF_OK &&
           HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr,
                                              (HPDF_BYTE *)id_placeholder,
                                              ID_LEN)) == HPDF_OK;
}

/* Everything but the ID's value (pdfobj.h). */
csp_error csp_pdfobj_prepare(HPDF_Doc pdf, const HPDF_Font *fonts,
                             size_t nfonts, const csp_pdfobj_meta *meta,
                             csp_why *why)
{
    csp_strbuf cmap;
    csp_strbuf_init(&cmap, SIZE_MAX);
    csp_error err = tounicode_cmap(&cmap);
    if (err) {
        csp_why_set(why, "out of memory");
        goto out;
    }
    if (!set_tounicode(fonts, nfonts, &cmap)) {
        csp_why_set(why, "libharu's fonts are not the Type0 fonts expected: "
                         "their ToUnicode maps cannot be written");
        err = CSP_ERR_INTERNAL;
        goto out;
    }
    /* A metadata stream is PDF 1.4's. */
    if (pdf->pdf_version < HPDF_VER_14)
        pdf->pdf_version = HPDF_VER_14;
    /* HPDF_Dict_Add takes what it is given, even when it fails. */
    HPDF_Dict vp = NULL;
    bool ok = HPDF_Dict_Add(pdf->catalog, "Lang",
                            HPDF_String_New(pdf->mmgr, meta->lang, NULL)) ==
                  HPDF_OK &&
              (vp = HPDF_Dict_New(pdf->mmgr)) != NULL &&
              HPDF_Dict_Add(pdf->catalog, "ViewerPreferences", vp) == HPDF_OK &&
              HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE) == HPDF_OK;
    if (ok && (err = add_metadata(pdf, meta->archive)) == CSP_ERR_NOMEM) {
        csp_why_set(why, "out of memory");
        goto out;
    }
    ok =
        ok && !err && (!meta->archive || add_output_intent(pdf)) && add_id(pdf);
    if (!ok) {
        err = CSP_ERR_INTERNAL;
        csp_why_set(why, "libharu could not add the document's metadata");
    }
out:
    csp_strbuf_free(&cmap);
    return err;
}

/* The content-derived ID (pdfobj.h). */
bool csp_pdfobj_set_id(unsigned char *buf, size_t len)
{
    static const char hexd[] = "0123456789ABCDEF";
    char ph[2 * ID_LEN + 3];
    ph[0] = '<';
    for (size_t i = 0; i < ID_LEN; i++) {
        ph[1 + 2 * i] = hexd[id_placeholder[i] >> 4];
        ph[2 + 2 * i] = hexd[id_placeholder[i] & 15];
    }
    ph[2 * ID_LEN + 1] = '>';
    ph[2 * ID_LEN + 2] = '\0';
    size_t plen = strlen(ph);
    /* The trailer is the last "trailer" keyword's dictionary. */
    size_t t = SIZE_MAX;
    for (size_t i = len >= 7 ? len - 7 : 0; i-- > 0;)
        if (memcmp(buf + i, "trailer", 7) == 0) {
            t = i;
            break;
        }
    if (t == SIZE_MAX)
        return false;
    size_t at[2], found = 0;
    for (size_t i = t; i + plen <= len && found < 2; i++)
        if (memcmp(buf + i, ph, plen) == 0) {
            at[found++] = i;
            i += plen - 1;
        }
    if (found != 2)
        return false;
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, buf);
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < ID_LEN; i++) {
            buf[at[k] + 1 + 2 * i] = (unsigned char)hexd[digest[i] >> 4];
            buf[at[k] + 2 + 2 * i] = (unsigned char)hexd[digest[i] & 15];
        }
    return true;
}
