/* csppack: safe XML parsing (no network, no entities, no DOCTYPE). */
#include "csppack/read/xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemastypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/xmlplain.h"
#include "csppack/read/xmlscan.h"

extern const unsigned char csp_embedded_submission_xsd[];
extern const size_t csp_embedded_submission_xsd_len;
extern const unsigned char csp_embedded_strategy_xsd[];
extern const size_t csp_embedded_strategy_xsd_len;
extern const unsigned char csp_embedded_dataset_xsd[];
extern const size_t csp_embedded_dataset_xsd_len;

static const struct {
    const char *ns;
    const char *root;
    const char *name;
} schema_info[CSP_SCHEMA_COUNT_] = {
    [CSP_SCHEMA_SUBMISSION] = {"urn:csppack:submission:1", "submission",
                               "submission"},
    [CSP_SCHEMA_STRATEGY] = {"urn:csppack:strategy:1", "strategy",
                             "strategy template"},
    [CSP_SCHEMA_DATASET] = {"urn:csppack:dataset:1", "dataset", "dataset"},
};

/* Compiled once, then shared read-only by every thread's validators. */
static xmlSchemaPtr schemas[CSP_SCHEMA_COUNT_];
static pthread_mutex_t schemas_lock = PTHREAD_MUTEX_INITIALIZER;

/* Namespace of a schema's documents. */
const char *csp_schema_namespace(csp_schema_id id)
{
    return schema_info[id].ns;
}

/* Root element of a schema's documents. */
const char *csp_schema_root(csp_schema_id id)
{
    return schema_info[id].root;
}

/* Refuse every external entity, DTD or schema location: nothing is fetched,
 * from the network or from disk.  All our parsing is from memory. */
static xmlParserInputPtr deny_loader(const char *url, const char *id,
                                     xmlParserCtxtPtr ctxt)
{
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

/* Swallow libxml2's own messages where we have no better sink. */
static void quiet_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    (void)e;
}

/* The same for libxml2's unstructured messages ("Memory allocation
 * failed"), which it would otherwise print on stderr: a run prints one
 * "csppack: error:" line, and says itself why it failed. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/*
 * libxml2's allocations that failed, counted by the allocators below.
 * libxml2 2.9 does not report every one, and carries on with a part
 * missing: a schema without a content model (which then refuses good
 * files), a text it could not escape (left out of the dataset).  So a
 * reader or writer that sees the count move fails for want of memory.
 * Atomic: files are read on several threads; a failure on any of them
 * fails the run, which is what a moved count then does.
 */
static atomic_ulong alloc_failures;

/* libxml2's allocations are its own, not csppack's: they pass outside
 * the test build's count (alloc.h). */
static void *counted_malloc(size_t n)
{
    void *p = csp_alloc_lib_malloc(n);
    if (!p)
        atomic_fetch_add_explicit(&alloc_failures, 1, memory_order_relaxed);
    return p;
}

static void *counted_realloc(void *p, size_t n)
{
    void *q = csp_alloc_lib_realloc(p, n);
    if (!q)
        atomic_fetch_add_explicit(&alloc_failures, 1, memory_order_relaxed);
    return q;
}

static char *counted_strdup(const char *s)
{
    char *p = csp_alloc_lib_strdup(s);
    if (!p)
        atomic_fetch_add_explicit(&alloc_failures, 1, memory_order_relaxed);
    return p;
}

/* Lock libxml2 down: its allocators and loader are the whole process's. */
static void harden_once(void)
{
    /* Before libxml2 allocates anything (these wrap the same malloc, so
     * what it allocated earlier can still be freed). */
    xmlGcMemSetup(free, counted_malloc, counted_malloc, counted_realloc,
                  counted_strdup);
    xmlInitParser();
    xmlSetExternalEntityLoader(deny_loader);
}

/* Once per process (csp_xml_prepare does it before threads start, as
 * libxml2 wants xmlInitParser called on the main thread); and on every
 * thread that reads, libxml2's error handlers, which are per thread:
 * otherwise a worker's "xmlNewTextReader : malloc failed" reaches
 * stderr beside csppack's one error line. */
static void harden(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, harden_once);
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
}

/*
 * Are libxml2's built-in schema types all there?  libxml2 2.9 marks them
 * initialised even when allocating one of them failed, and then crashes
 * in xmlSchemaParse on the missing one: check before parsing a schema.
 */
static bool schema_types_ok(void)
{
    xmlSchemaInitTypes();
    for (int t = XML_SCHEMAS_STRING; t <= XML_SCHEMAS_ANYSIMPLETYPE; t++)
        if (!xmlSchemaGetBuiltInType((xmlSchemaValType)t))
            return false;
    return true;
}

/* Compile a compiled-in schema (with schemas_lock held). */
static xmlSchemaPtr schema_compile(csp_schema_id id)
{
    const unsigned char *data = NULL;
    size_t len = 0;
    switch (id) {
    case CSP_SCHEMA_SUBMISSION:
        data = csp_embedded_submission_xsd;
        len = csp_embedded_submission_xsd_len;
        break;
    case CSP_SCHEMA_STRATEGY:
        data = csp_embedded_strategy_xsd;
        len = csp_embedded_strategy_xsd_len;
        break;
    case CSP_SCHEMA_DATASET:
        data = csp_embedded_dataset_xsd;
        len = csp_embedded_dataset_xsd_len;
        break;
    default:
        return NULL;
    }
    if (!schema_types_ok())
        return NULL;
    unsigned long before = atomic_load(&alloc_failures);
    xmlSchemaParserCtxtPtr pc =
        xmlSchemaNewMemParserCtxt((const char *)data, (int)len);
    if (!pc)
        return NULL;
    xmlSchemaSetParserStructuredErrors(pc, quiet_structured, NULL);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    /* A schema that lacks a part would refuse good files. */
    if (schema && atomic_load(&alloc_failures) != before) {
        xmlSchemaFree(schema);
        schema = NULL;
    }
    return schema;
}

/* The compiled-in schema, parsed once.  Under a lock: xmlSchemaParse
 * also sets up libxml2's built-in types, without a lock of its own. */
xmlSchemaPtr csp_schema_get(csp_schema_id id)
{
    harden();
    if (id >= CSP_SCHEMA_COUNT_)
        return NULL;
    pthread_mutex_lock(&schemas_lock);
    if (!schemas[id])
        schemas[id] = schema_compile(id);
    xmlSchemaPtr schema = schemas[id];
    pthread_mutex_unlock(&schemas_lock);
    return schema;
}

/* libxml2 set up and every schema compiled, before reading on threads. */
csp_error csp_xml_prepare(void)
{
    for (int i = 0; i < CSP_SCHEMA_COUNT_; i++)
        if (!csp_schema_get((csp_schema_id)i))
            return CSP_ERR_INTERNAL;
    return CSP_OK;
}

/* libxml2's failed allocations so far (and from now on). */
unsigned long csp_xml_alloc_failures(void)
{
    harden();
    return atomic_load(&alloc_failures);
}

/* Free the cached schemas. */
void csp_schema_cleanup(void)
{
    pthread_mutex_lock(&schemas_lock);
    for (int i = 0; i < CSP_SCHEMA_COUNT_; i++) {
        xmlSchemaFree(schemas[i]);
        schemas[i] = NULL;
    }
    pthread_mutex_unlock(&schemas_lock);
}

/* Collapse whitespace in place. */
void csp_text_collapse(char *s)
{
    char *w = s;
    bool space = false;
    for (char *r = s; *r; r++) {
        unsigned char c = (unsigned char)*r;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

/*
 * Most schema diagnostics (E109) listed for one document.  Each error
 * libxml2 reports becomes one, so without a bound a 13 MB file of
 * <obs x="1"/> made four million of them (1.3 GB, found by review for
 * issue 7); the file is refused whatever the count, and the first
 * hundred show what is wrong.  The reader stops at the bound.
 */
#define MAX_SCHEMA_DIAGS 100

/* Where parse and validation errors go while one document is read. */
typedef struct err_sink {
    const csp_input *in;
    csp_schema_id id;
    csp_diag_list *diags;
    bool failed;        /* a whole-file problem was diagnosed */
    bool fatal_seen;    /* a well-formedness error: later ones are echoes */
    bool nomem;         /* memory ran out (see sink_nomem) */
    unsigned long failures; /* alloc_failures when the document began */
    size_t first;       /* index of this document's first diagnostic */
    size_t schema_errors; /* E109 reported (or not, past the bound) */
} err_sink;

/* Has memory run out while this document was read, whether libxml2 said
 * so or not? */
static bool sink_nomem(err_sink *s)
{
    if (alloc_failures != s->failures)
        s->nomem = true;
    return s->nomem;
}

/* Copy a libxml2 message, without its newline and namespace braces. */
static char *clean_message(const char *msg)
{
    size_t n = strlen(msg);
    char *out = csp_malloc(n + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t r = 0; r < n; r++) {
        if (msg[r] == '{') {
            const char *close = strchr(msg + r, '}');
            if (close) {
                r = (size_t)(close - msg);
                continue;
            }
        }
        out[w++] = msg[r];
    }
    while (w && (out[w - 1] == '\n' || out[w - 1] == ' ' || out[w - 1] == '.'))
        w--;
    out[w] = '\0';
    for (size_t i = 0; i < w; i++)
        if (out[i] == '\n')
            out[i] = ' ';
    csp_text_collapse(out);
    return out;
}

/*
 * The end of an E109 about an element outside the format's namespace, in
 * @p buf ("" otherwise): the message names elements without their
 * namespace ("Element 'obs': ... Expected is ( obs )").  libxml2's own
 * message @p raw starts "Element '{NS}name'" or, with no namespace,
 * "Element 'name'".
 */
static void namespace_hint(const err_sink *s, const char *raw, char *buf,
                           size_t n)
{
    const char *own = schema_info[s->id].ns, *ns = "";
    size_t len = 0;
    buf[0] = '\0';
    if (strncmp(raw, "Element '", 9) != 0)
        return;
    raw += 9;
    if (*raw == '{') {
        const char *close = strchr(raw, '}');
        if (!close)
            return;
        ns = raw + 1;
        len = (size_t)(close - ns);
    }
    if (len == strlen(own) && strncmp(ns, own, len) == 0)
        return;
    if (len == 0)
        snprintf(buf, n,
                 "; this element is in no namespace, not in \"%s\": check "
                 "the xmlns of the file's elements", own);
    else
        snprintf(buf, n,
                 "; this element is in the namespace \"%.*s\", not in "
                 "\"%s\": check its prefix and xmlns",
                 (int)(len < 200 ? len : 200), ns, own);
}

/* Add a whole-file diagnostic. */
static void sink_add(err_sink *s, csp_diag_code code, unsigned long line,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void sink_add(err_sink *s, csp_diag_code code, unsigned long line,
                     const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = s->in->path,
                      .line = line ? line : 1};
    va_list ap;
    va_start(ap, fmt);
    if (!csp_diag_addv(s->diags, &proto, fmt, ap))
        s->nomem = true;
    va_end(ap);
    s->failed = true;
}

/* A string such as "strategy template" for messages. */
static const char *what(csp_schema_id id)
{
    return schema_info[id].name;
}

/* Drop the schema diagnostics of this document: after a well-formedness
 * error they only echo it. */
static void drop_schema_echoes(err_sink *s)
{
    csp_diag_list *l = s->diags;
    size_t w = s->first;
    for (size_t r = s->first; r < l->count; r++) {
        if (l->items[r].code == CSP_D_SCHEMA) {
            csp_diag_free_strings(&l->items[r]);
            continue;
        }
        l->items[w++] = l->items[r];
    }
    l->count = w;
}

static void sink_error(void *ctx, xmlErrorPtr e);

/* What a byte that is not UTF-8 most likely is, for the data officer:
 * files saved by Word or Excel in Windows-1252 (or Latin-1) put one byte
 * where UTF-8 needs two or three.  @p bytes is libxml2's "0x92 0x76 ...";
 * false when its first byte says nothing (below 0x80). */
static bool byte_hint(const char *bytes, char *out, size_t n)
{
    /* Windows-1252's characters at 0x80-0x9F that partners type. */
    static const struct {
        unsigned char byte;
        const char *what;
    } cp1252[] = {
        {0x80, "the euro sign \xE2\x82\xAC"},
        {0x85, "an ellipsis \xE2\x80\xA6"},
        {0x91, "a Windows opening quote \xE2\x80\x98"},
        {0x92, "a Windows curly apostrophe \xE2\x80\x99"},
        {0x93, "a Windows opening double quote \xE2\x80\x9C"},
        {0x94, "a Windows closing double quote \xE2\x80\x9D"},
        {0x96, "a Windows en dash \xE2\x80\x93"},
        {0x97, "a Windows em dash \xE2\x80\x94"},
    };
    unsigned b;
    if (!bytes || sscanf(bytes, "0x%2X", &b) != 1 || b < 0x80 || b > 0xFF)
        return false;
    const char *what = NULL;
    for (size_t i = 0; i < sizeof cp1252 / sizeof *cp1252; i++)
        if (cp1252[i].byte == b)
            what = cp1252[i].what;
    if (what)
        snprintf(out, n, "byte 0x%02X is %s, as Word and Excel save it",
                 b, what);
    else if (b < 0xA0)
        snprintf(out, n, "byte 0x%02X is a Windows-1252 character, as "
                 "Word and Excel save it", b);
    else if (b == 0xA0)
        snprintf(out, n, "byte 0xA0 is a Latin-1 no-break space");
    else
        /* Latin-1's byte is the character's code point: two bytes of
         * UTF-8 show it. */
        snprintf(out, n, "byte 0x%02X is %c%c in Latin-1 or Windows-1252",
                 b, (char)(0xC0 | (b >> 6)), (char)(0x80 | (b & 0x3F)));
    return true;
}

/* SAX structured-error hook: libxml2 passes the parser context there. */
static void sink_error_sax(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr pctxt = ctx;
    sink_error(pctxt->_private, e);
}

/* Route one libxml2 error into the diagnostics. */
static void sink_error(void *ctx, xmlErrorPtr e)
{
    err_sink *s = ctx;
    if (!e || e->level == XML_ERR_WARNING)
        return;
    /* libxml2 reports a text node over its limit as out of memory. */
    bool huge = e->message && (strstr(e->message, "huge text node") ||
                               strstr(e->message, "Huge input lookup") ||
                               strstr(e->message, "AttValue length too long"));
    if (e->code == XML_ERR_NO_MEMORY && !huge) {
        /* Not a problem with the file: the run fails, out of memory. */
        s->nomem = true;
        return;
    }
    char *msg = clean_message(e->message ? e->message : "unknown error");
    if (!msg) {
        s->nomem = true;
        return;
    }
    unsigned long line = e->line > 0 ? (unsigned long)e->line : 1;
    if (e->domain == XML_FROM_SCHEMASV) {
        if (!s->fatal_seen && s->schema_errors < MAX_SCHEMA_DIAGS)
        {
            char hint[320], plain[640];
            namespace_hint(s, e->message ? e->message : "", hint,
                           sizeof hint);
            bool said = csp_xmlplain_schema(s->in->data, s->in->size, msg,
                                            line, plain, sizeof plain);
            /* An element of another namespace: the hint says it all. */
            if (hint[0] && strstr(msg, "This element is not expected")) {
                snprintf(plain, sizeof plain,
                         "the element here is not one of the format's own");
                said = true;
            }
            sink_add(s, CSP_D_SCHEMA, line,
                     "the file does not follow the %s format: %s%s",
                     s->id == CSP_SCHEMA_SUBMISSION ? "submission"
                     : s->id == CSP_SCHEMA_STRATEGY ? "strategy template"
                                                    : "dataset",
                     said ? plain : msg, hint);
        }
        else if (!s->fatal_seen && s->schema_errors == MAX_SCHEMA_DIAGS)
            sink_add(s, CSP_D_SCHEMA, line,
                     "the file has more than %d problems with the %s "
                     "format; only the first %d are listed: correct them "
                     "and check the file again",
                     MAX_SCHEMA_DIAGS, what(s->id), MAX_SCHEMA_DIAGS);
        s->schema_errors++;
    } else if (!s->fatal_seen) {
        s->fatal_seen = true;
        drop_schema_echoes(s);
        const char *bytes = strstr(msg, "Bytes: ");
        if (huge) {
            sink_add(s, CSP_D_TEXT_TOO_LONG, line, "%s", CSP_XMLSCAN_HUGE_TEXT);
            free(msg);
            return;
        }
        switch (e->code) {
        case XML_ERR_DOCUMENT_EMPTY:
            sink_add(s, CSP_D_EMPTY, line,
                     "the file holds no XML document; send the submission "
                     "again");
            break;
        case XML_ERR_INVALID_CHAR: {
            char hint[160];
            if (bytes && byte_hint(bytes + strlen("Bytes: "), hint,
                                   sizeof hint)) {
                sink_add(s, CSP_D_ENCODING, line,
                         "the file is not valid UTF-8: %s; save the file "
                         "as UTF-8 (in Notepad: Save As, Encoding UTF-8) "
                         "and send it again (bytes %s)",
                         hint, bytes + strlen("Bytes: "));
                break;
            }
            if (bytes) {
                sink_add(s, CSP_D_ENCODING, line,
                         "the file is not valid text in its declared encoding "
                         "(bytes %s); save it as UTF-8 and send it again",
                         bytes + strlen("Bytes: "));
                break;
            }
            sink_add(s, CSP_D_ENCODING, line,
                     "the file contains a character that XML does not allow "
                     "(%s); remove it and send the file again",
                     msg);
            break;
        }
        case XML_I18N_CONV_FAILED:
            /* "input conversion failed due to input error, bytes 0x.." */
            if (!bytes && (bytes = strstr(msg, "bytes ")))
                bytes += strlen("bytes ") - strlen("Bytes: ");
            /* fall through */
        case XML_ERR_INVALID_ENCODING:
        case XML_ERR_UNKNOWN_ENCODING:
        case XML_ERR_UNSUPPORTED_ENCODING:
        case XML_ERR_ENCODING_NAME:
            if (bytes)
                sink_add(s, CSP_D_ENCODING, line,
                         "the file is not valid text in its declared encoding "
                         "(bytes %s); save it as UTF-8 and send it again",
                         bytes + strlen("Bytes: "));
            else
                sink_add(s, CSP_D_ENCODING, line,
                         "the file is not valid text in its declared encoding "
                         "(%s); save it as UTF-8 and send it again",
                         msg);
            break;
        default:
            if (strncmp(msg, "Excessive depth", 15) == 0)
                sink_add(s, CSP_D_NOT_XML, line,
                         "elements are nested more than 256 deep; no %s is "
                         "that deep, so the file is refused",
                         what(s->id));
            else {
                char plain[640];
                if (csp_xmlplain_not_well_formed(s->in->data, s->in->size, e,
                                                 msg, plain, sizeof plain,
                                                 &line))
                    sink_add(s, CSP_D_NOT_XML, line,
                             "the file is not well-formed XML: %s", plain);
                else
                    sink_add(s, CSP_D_NOT_XML, line,
                             "the file is not well-formed XML (%s); check "
                             "that every tag is closed and every & is "
                             "written &amp;",
                             msg);
            }
            break;
        }
    }
    free(msg);
}

/* Check the root element's name and namespace. */
static bool check_root(err_sink *s, const xmlChar *local, const xmlChar *ns,
                       unsigned long line)
{
    const char *want_ns = schema_info[s->id].ns;
    const char *want_root = schema_info[s->id].root;
    if (local && strcmp((const char *)local, want_root) == 0 && ns &&
        strcmp((const char *)ns, want_ns) == 0)
        return true;
    drop_schema_echoes(s);
    csp_diag proto = {.code = CSP_D_ROOT, .file = s->in->path, .line = line};
    char a_what[64], foreign[480];
    snprintf(a_what, sizeof a_what, "a csppack %s", what(s->id));
    if (csp_xmlplain_foreign_root((const char *)local, (const char *)ns,
                                  a_what, foreign, sizeof foreign)) {
        if (!csp_diag_add(s->diags, &proto, "%s", foreign))
            s->nomem = true;
    } else if (!csp_diag_add(s->diags, &proto,
                      "the root element is <%s> in namespace \"%s\"; a %s "
                      "starts with <%s xmlns=\"%s\">",
                      local ? (const char *)local : "?",
                      ns ? (const char *)ns : "", what(s->id), want_root,
                      want_ns))
        s->nomem = true;
    s->failed = true;
    s->fatal_seen = true;
    return false;
}

/* --- the bytes, before any parser ---------------------------------------- */

/* The byte pre-pass (xmlscan.c) over the document @p s reads: false when
 * the file is refused (diagnosed). */
static bool prescan(err_sink *s, bool root_only, size_t max_text)
{
    bool ok = csp_xmlscan_check(s->in, what(s->id),
                                s->id == CSP_SCHEMA_SUBMISSION, root_only,
                                max_text, s->diags, &s->nomem);
    if (!ok)
        s->failed = true;
    return ok;
}

/* --- DOM parsing (templates) -------------------------------------------- */

/* SAX hook: any DOCTYPE stops the parser. */
static void refuse_internal_subset(void *ctx, const xmlChar *name,
                                   const xmlChar *eid, const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    xmlParserCtxtPtr pctxt = ctx;
    err_sink *s = pctxt->_private;
    if (!s->fatal_seen) {
        sink_add(s, CSP_D_DOCTYPE, (unsigned long)xmlSAX2GetLineNumber(pctxt),
                 "the file has a DOCTYPE declaration%s; csppack refuses DTDs "
                 "and entities: remove the <!DOCTYPE ...> line",
                 "");
        s->fatal_seen = true;
    }
    xmlStopParser(pctxt);
}

/* Parse and validate a whole document held in memory. */
csp_error csp_xml_parse_validated(const csp_input *in, csp_schema_id id,
                                  xmlDocPtr *out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    xmlDocPtr doc = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    err_sink s = {.in = in, .id = id, .diags = diags, .first = diags->count};
    *out = NULL;
    harden();
    xmlSchemaPtr schema = csp_schema_get(id);
    if (!schema)
        return CSP_ERR_NOMEM;
    s.failures = alloc_failures;
    if (!prescan(&s, false, 0))
        return s.nomem ? CSP_ERR_NOMEM : CSP_ERR_INVALID;
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    if (!pctxt)
        return CSP_ERR_NOMEM;
    pctxt->_private = &s;
    pctxt->sax->internalSubset = refuse_internal_subset;
    xmlSetStructuredErrorFunc(&s, sink_error);
    pctxt->sax->serror = sink_error_sax;
    pctxt->sax->initialized = XML_SAX2_MAGIC;
    doc = xmlCtxtReadMemory(pctxt, (const char *)in->data, (int)in->size,
                            in->path, NULL,
                            XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (sink_nomem(&s)) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (!doc || s.failed || !pctxt->wellFormed) {
        if (!s.failed)
            sink_add(&s, CSP_D_NOT_XML, 1,
                     "the file is not well-formed XML");
        err = CSP_ERR_INVALID;
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !check_root(&s, root->name, root->ns ? root->ns->href : NULL,
                             root ? (unsigned long)xmlGetLineNo(root) : 1)) {
        err = s.nomem ? CSP_ERR_NOMEM : CSP_ERR_INVALID;
        goto out;
    }
    vc = xmlSchemaNewValidCtxt(schema);
    if (!vc) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    xmlSchemaSetValidStructuredErrors(vc, sink_error, &s);
    int rc = xmlSchemaValidateDoc(vc, doc);
    if (sink_nomem(&s))
        err = CSP_ERR_NOMEM;
    else if (rc != 0 || s.failed) {
        if (!s.failed)
            sink_add(&s, CSP_D_SCHEMA, 1,
                     "the file does not follow the %s format", what(id));
        err = CSP_ERR_INVALID;
    }
out:
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlSchemaFreeValidCtxt(vc);
    xmlFreeParserCtxt(pctxt);
    if (err == CSP_OK)
        *out = doc;
    else
        xmlFreeDoc(doc);
    return err;
}

/* --- streaming ----------------------------------------------------------- */

/* SAX hooks of the prolog scan: note a DOCTYPE, stop at the root. */
static void prolog_doctype(void *ctx, const xmlChar *name, const xmlChar *eid,
                           const xmlChar *sid)
{
    (void)name;
    (void)eid;
    (void)sid;
    xmlParserCtxtPtr pctxt = ctx;
    unsigned long *line = pctxt->_private;
    *line = (unsigned long)xmlSAX2GetLineNumber(pctxt);
    if (*line == 0)
        *line = 1;
    xmlStopParser(pctxt);
}

/* SAX hook of the prolog scan: the root element ends the scan. */
static void prolog_root(void *ctx, const xmlChar *localname,
                        const xmlChar *prefix, const xmlChar *uri,
                        int nb_namespaces, const xmlChar **namespaces,
                        int nb_attributes, int nb_defaulted,
                        const xmlChar **attributes)
{
    (void)localname;
    (void)prefix;
    (void)uri;
    (void)nb_namespaces;
    (void)namespaces;
    (void)nb_attributes;
    (void)nb_defaulted;
    (void)attributes;
    xmlStopParser((xmlParserCtxtPtr)ctx);
}

/*
 * The line of a DOCTYPE in the prolog, or 0.  Parses only up to the root
 * element's start tag, so it is cheap, and it sees the DOCTYPE before any
 * entity in it can be used (the streaming reader parses ahead, so an error
 * caused by an entity could otherwise be reported first).
 */
static unsigned long doctype_line(const csp_input *in)
{
    /* A push parser, fed a chunk at a time, copies only what it reads;
     * xmlCreateMemoryParserCtxt copied the whole file (3 % of reading).
     * Its first four bytes give it the encoding. */
    enum { CHUNK = 4096 };
    const char *data = (const char *)in->data;
    size_t done = in->size < 4 ? in->size : 4;
    unsigned long line = 0;
    xmlParserCtxtPtr pctxt =
        xmlCreatePushParserCtxt(NULL, NULL, data, (int)done, NULL);
    if (!pctxt)
        return 0;
    xmlCtxtUseOptions(pctxt, XML_PARSE_NONET | XML_PARSE_NOWARNING |
                                 XML_PARSE_NOERROR);
    pctxt->_private = &line;
    pctxt->sax->internalSubset = prolog_doctype;
    pctxt->sax->startElementNs = prolog_root;
    pctxt->sax->serror = quiet_structured;
    pctxt->sax->error = NULL;
    pctxt->sax->warning = NULL;
    pctxt->sax->fatalError = NULL;
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    /* Until the root's start tag or the DOCTYPE stops it, or an error
     * makes it deaf (it would call no hook again). */
    while (!pctxt->disableSAX) {
        size_t n = in->size - done < CHUNK ? in->size - done : CHUNK;
        int last = done + n == in->size;
        xmlParseChunk(pctxt, data + done, (int)n, last);
        done += n;
        if (last)
            break;
    }
    xmlFreeDoc(pctxt->myDoc);
    pctxt->myDoc = NULL;
    xmlFreeParserCtxt(pctxt);
    return line;
}

struct csp_xml {
    xmlTextReaderPtr reader;
    err_sink sink;
    int type;           /* the current node's type (see csp_xml_type) */
    bool root_checked;
    bool done;
};

/* Open a validating reader over bytes in memory. */
csp_error csp_xml_open(const csp_input *in, csp_schema_id id,
                       size_t max_text, csp_diag_list *diags, csp_xml **out)
{
    *out = NULL;
    harden();
    xmlSchemaPtr schema = csp_schema_get(id);
    if (!schema)
        return CSP_ERR_NOMEM;
    csp_xml *x = csp_calloc(1, sizeof *x);
    if (!x)
        return CSP_ERR_NOMEM;
    x->sink.in = in;
    x->sink.id = id;
    x->sink.diags = diags;
    x->sink.first = diags->count;
    x->sink.failures = alloc_failures;
    x->reader = xmlReaderForMemory((const char *)in->data, (int)in->size,
                                   in->path, NULL,
                                   XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                       XML_PARSE_NOWARNING |
                                       XML_PARSE_NOERROR);
    if (!x->reader) {
        free(x);
        return CSP_ERR_NOMEM;
    }
    /* The handler must be in place before validation is switched on. */
    xmlTextReaderSetStructuredErrorHandler(x->reader, sink_error, &x->sink);
    xmlSetStructuredErrorFunc(&x->sink, sink_error);
    if (xmlTextReaderSetSchema(x->reader, schema) != 0) {
        /* A new reader and a good schema: only memory can be missing. */
        xmlSetStructuredErrorFunc(NULL, quiet_structured);
        xmlFreeTextReader(x->reader);
        free(x);
        return CSP_ERR_NOMEM;
    }
    if (!prescan(&x->sink, false, max_text)) {
        x->sink.fatal_seen = true;
        x->done = true;
        *out = x;
        return CSP_OK;
    }
    unsigned long dt = doctype_line(in);
    xmlSetStructuredErrorFunc(&x->sink, sink_error);
    if (dt) {
        sink_add(&x->sink, CSP_D_DOCTYPE, dt,
                 "the file has a DOCTYPE declaration%s; csppack refuses DTDs "
                 "and entities: remove the <!DOCTYPE ...> line",
                 "");
        x->sink.fatal_seen = true;
        x->done = true;
    }
    *out = x;
    return CSP_OK;
}

/* The underlying reader. */
xmlTextReaderPtr csp_xml_reader(csp_xml *x)
{
    return x->reader;
}

/* The current line. */
unsigned long csp_xml_line(csp_xml *x)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(x->reader);
    long l = n ? xmlGetLineNo(n) : -1;
    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(x->reader);
    return l > 0 ? (unsigned long)l : 1;
}

/* Advance; refuse DOCTYPE; check the root. */
int csp_xml_next(csp_xml *x)
{
    if (x->done || x->sink.fatal_seen)
        return x->sink.failed ? -1 : 0;
    int rc = xmlTextReaderRead(x->reader);
    if (sink_nomem(&x->sink)) {
        x->done = true;
        return -1;
    }
    if (x->sink.schema_errors > MAX_SCHEMA_DIAGS) {
        /* Refused already, and what follows would not be listed. */
        x->done = true;
        return -1;
    }
    if (rc < 0 || x->sink.fatal_seen) {
        if (!x->sink.failed)
            sink_add(&x->sink, CSP_D_NOT_XML, csp_xml_line(x),
                     "the file is not well-formed XML");
        x->done = true;
        return -1;
    }
    if (rc == 0) {
        x->done = true;
        return 0;
    }
    /* A text node is text whatever xmlTextReaderNodeType would call it
     * (it tells white space from other text by looking for xml:space on
     * every ancestor, for each node); nothing here tells them apart. */
    xmlNodePtr node = xmlTextReaderCurrentNode(x->reader);
    int type = node && node->type == XML_TEXT_NODE
                   ? XML_READER_TYPE_TEXT
                   : xmlTextReaderNodeType(x->reader);
    x->type = type;
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
        sink_add(&x->sink, CSP_D_DOCTYPE, csp_xml_line(x),
                 "the file has a DOCTYPE declaration%s; csppack refuses DTDs "
                 "and entities: remove the <!DOCTYPE ...> line",
                 "");
        x->sink.fatal_seen = true;
        x->done = true;
        return -1;
    }
    if (type == XML_READER_TYPE_ELEMENT && !x->root_checked) {
        x->root_checked = true;
        if (!check_root(&x->sink, xmlTextReaderConstLocalName(x->reader),
                        xmlTextReaderConstNamespaceUri(x->reader),
                        csp_xml_line(x))) {
            x->done = true;
            return -1;
        }
    }
    if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
        sink_add(&x->sink, CSP_D_NOT_XML, csp_xml_line(x),
                 "the file uses an entity reference%s; write the text itself "
                 "(only &amp; &lt; &gt; &quot; &apos; and &#...; are allowed)",
                 "");
        x->sink.fatal_seen = true;
        x->done = true;
        return -1;
    }
    return 1;
}

/* The type of the node csp_xml_next moved to last. */
int csp_xml_type(const csp_xml *x)
{
    return x->type;
}

/* Has a whole-file problem been diagnosed? */
bool csp_xml_failed(const csp_xml *x)
{
    return x->sink.failed || csp_xml_nomem(x);
}

/* Did memory run out? */
bool csp_xml_nomem(const csp_xml *x)
{
    return x->sink.nomem || alloc_failures != x->sink.failures;
}

/* Finish the document; false when it was refused. */
bool csp_xml_close(csp_xml *x)
{
    if (!x)
        return false;
    bool ok = !x->sink.failed && !sink_nomem(&x->sink);
    if (ok && x->done && xmlTextReaderIsValid(x->reader) != 1) {
        sink_add(&x->sink, CSP_D_SCHEMA, 1,
                 "the file does not follow the %s format", what(x->sink.id));
        ok = false;
    }
    if (ok && !x->done)
        ok = false;
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    xmlFreeTextReader(x->reader);
    free(x);
    return ok;
}

/* --- DOM helpers --------------------------------------------------------- */

/* An attribute without namespace, or NULL. */
char *csp_xml_attr(xmlNodePtr node, const char *name)
{
    return (char *)xmlGetNoNsProp(node, (const xmlChar *)name);
}

/* Text content, whitespace collapsed, malloc'd. */
char *csp_xml_text_collapsed(xmlNodePtr node)
{
    /* NULL for an element only when libxml2 cannot allocate the copy. */
    xmlChar *t = xmlNodeGetContent(node);
    if (!t)
        return NULL;
    char *s = csp_strdup((const char *)t);
    xmlFree(t);
    if (s)
        csp_text_collapse(s);
    return s;
}

/* Is node an element of this schema's namespace named name? */
bool csp_xml_is(xmlNodePtr node, csp_schema_id id, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns &&
           strcmp((const char *)node->ns->href, schema_info[id].ns) == 0 &&
           strcmp((const char *)node->name, name) == 0;
}

/* Which kind of csppack document: look at the root element only. */
csp_doc_kind csp_input_sniff(const csp_input *in)
{
    harden();
    csp_doc_kind kind = CSP_DOC_SUBMISSION;
    /* The root's start tag is parsed: bound it first.  A file refused
     * here is read as a submission, which refuses it. */
    csp_diag_list scratch;
    csp_diag_list_init(&scratch);
    err_sink s = {.in = in, .id = CSP_SCHEMA_SUBMISSION, .diags = &scratch};
    bool bounded = prescan(&s, true, 0);
    csp_diag_list_free(&scratch);
    if (!bounded)
        return kind;
    xmlTextReaderPtr r = xmlReaderForMemory(
        (const char *)in->data, (int)in->size, in->path, NULL,
        XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
    if (!r)
        return kind;
    xmlTextReaderSetStructuredErrorHandler(r, quiet_structured, NULL);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    while (xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            break;
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *ns = (const char *)xmlTextReaderConstNamespaceUri(r);
        if (ns && strcmp(ns, schema_info[CSP_SCHEMA_STRATEGY].ns) == 0)
            kind = CSP_DOC_STRATEGY;
        else if (ns && strcmp(ns, schema_info[CSP_SCHEMA_DATASET].ns) == 0)
            kind = CSP_DOC_DATASET;
        break;
    }
    xmlFreeTextReader(r);
    return kind;
}

