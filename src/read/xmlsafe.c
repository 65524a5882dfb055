/* csppack: safe XML parsing (no network, no entities, no DOCTYPE). */
#include "csppack/read/xmlsafe.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemastypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

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

/* E114 for a text longer than libxml2 takes (XML_MAX_TEXT_LENGTH). */
static const char huge_text_message[] =
    "a text or attribute value here is longer than 10,000,000 bytes, the "
    "most the XML parser takes in one piece; shorten it";
_Static_assert(XML_MAX_TEXT_LENGTH == 10000000,
               "the E114 message names libxml2's limit");

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
            char hint[320];
            namespace_hint(s, e->message ? e->message : "", hint,
                           sizeof hint);
            sink_add(s, CSP_D_SCHEMA, line,
                     "the file does not follow the %s format: %s%s",
                     s->id == CSP_SCHEMA_SUBMISSION ? "submission"
                     : s->id == CSP_SCHEMA_STRATEGY ? "strategy template"
                                                    : "dataset",
                     msg, hint);
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
            sink_add(s, CSP_D_TEXT_TOO_LONG, line, "%s", huge_text_message);
            free(msg);
            return;
        }
        switch (e->code) {
        case XML_ERR_DOCUMENT_EMPTY:
            sink_add(s, CSP_D_EMPTY, line,
                     "the file holds no XML document; send the submission "
                     "again");
            break;
        case XML_ERR_INVALID_CHAR:
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
            else
                sink_add(s, CSP_D_NOT_XML, line,
                         "the file is not well-formed XML (%s); check that "
                         "every tag is closed and every & is written &amp;",
                         msg);
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
    if (!csp_diag_add(s->diags, &proto,
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

/*
 * Bounds on what libxml2 2.9.14 spends quadratic time or much memory on,
 * checked on the bytes before a parser sees them: its parser compares
 * each attribute and namespace declaration of an element with every
 * earlier one (100,000 attributes took 38 s, 300,000 minutes), its schema
 * validator copies an element's text again for every piece of it (a
 * progress statement of 3.2 million "&amp;" took 65 s, 4.2 million CDATA
 * sections 106 s), and the reader keeps every comment and processing
 * instruction it passes (8 million comments in 60 MB took 1.6 GB).  No
 * real file comes near them (doc/submission-format.md, "Text, encoding
 * and size").
 */
#define MAX_ELEMENT_ATTRS 256
#define MAX_TEXT_PIECES 10000
#define MAX_COMMENTS 100000
#define MAX_SCAN_DEPTH 256  /* libxml2 refuses deeper documents itself */

/* The bytes as code units: UTF-8 and other ASCII-based encodings are
 * one byte a unit, UTF-16 two; markup is ASCII in either. */
typedef struct scan {
    const unsigned char *p;
    size_t n;         /* units */
    int width;        /* 1 or 2 */
    bool big_endian;  /* for width 2 */
    bool single_byte; /* Latin-1, Windows-1252...: see prescan */
    size_t max_text;  /* longest text or attribute value, bytes of UTF-8 */
    size_t long_texts_max; /* the most all texts over LONG_TEXT add up to */
    /* Where a bound was passed, and the element or attribute name there
     * (for a text or value too long). */
    size_t where, name_at, name_len;
    bool in_attribute;
} scan;

/* What scan_markup found beyond a bound; SCAN_OK otherwise (which
 * includes markup it does not understand: the parser reports that). */
typedef enum scan_result {
    SCAN_OK, SCAN_ATTRS, SCAN_PIECES, SCAN_COMMENTS, SCAN_LONG,
    SCAN_LONG_TEXTS
} scan_result;

/* libxml2's longest text or attribute value (without XML_PARSE_HUGE),
 * which it reports only once it has read that much, as memory it could
 * not allocate; and its schema validator takes time that grows with the
 * square of a text's length (a text of 9.9 MB took 8.5 s to be refused
 * for --max-text).  So texts and values are measured here: a lower
 * bound, each unit at least a byte of the UTF-8 libxml2 measures and
 * each reference one character; libxml2 refuses the rest, and sink_error
 * names its limit. */
#define MAX_SCAN_TEXT ((size_t)XML_MAX_TEXT_LENGTH)

/*
 * The streaming validator copies an element's text again for each piece
 * the parser hands it (a few hundred bytes), so a text of 2 MB takes
 * 0.7 s, of 4 MB (--max-text) 2.6 s, and sixteen of them in one file
 * would take 40 s.  Texts longer than LONG_TEXT bytes may together
 * be at most twice --max-text in a file (doc/submission-format.md).
 */
#define LONG_TEXT ((size_t)64 * 1024)

/* Unit @p i. */
static unsigned scan_unit(const scan *s, size_t i)
{
    if (s->width == 1)
        return s->p[i];
    const unsigned char *q = s->p + 2 * i;
    return s->big_endian ? (unsigned)q[0] << 8 | q[1]
                         : (unsigned)q[1] << 8 | q[0];
}

/* The first unit @p c in [i, end), or end. */
static size_t scan_find(const scan *s, size_t i, size_t end, unsigned c)
{
    if (s->width == 1) {
        const unsigned char *q = i < end ? memchr(s->p + i, (int)c, end - i)
                                         : NULL;
        return q ? (size_t)(q - s->p) : end;
    }
    while (i < end && scan_unit(s, i) != c)
        i++;
    return i;
}

/* Does the ASCII text @p t start at unit @p i? */
static bool scan_at(const scan *s, size_t i, const char *t)
{
    for (; *t; t++, i++)
        if (i >= s->n || scan_unit(s, i) != (unsigned char)*t)
            return false;
    return true;
}

/* Just past the first @p t (ASCII) at or after @p i, or the end. */
static size_t scan_past(const scan *s, size_t i, const char *t)
{
    size_t len = strlen(t);
    for (;; i++) {
        i = scan_find(s, i, s->n, (unsigned char)t[0]);
        if (i >= s->n)
            return s->n;
        if (scan_at(s, i, t))
            return i + len;
    }
}

/* XML's white space. */
static bool scan_blank(unsigned c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* At most the bytes of UTF-8 that the units [i, end) become: one a unit
 * of UTF-8; in another encoding, one for ASCII, two for other units of
 * a single-byte encoding or below U+0800 in UTF-16, three above (a
 * surrogate pair, four). */
static size_t utf8_bytes(const scan *s, size_t i, size_t end)
{
    if (s->width == 1 && !s->single_byte)
        return end - i;
    size_t n = 0;
    for (; i < end; i++) {
        unsigned u = scan_unit(s, i);
        n += u < 0x80 ? 1 : u < 0x800 || s->width == 1 ? 2
             : u >= 0xd800 && u <= 0xdfff ? 2 : 3;
    }
    return n;
}

/* Count the pieces of the text in [i, end): each run of characters (not
 * white space alone) and each reference; *chars is at most its length in
 * bytes of UTF-8 (a reference counts one). */
static size_t text_pieces(const scan *s, size_t i, size_t end, size_t *chars)
{
    size_t pieces = 0;
    *chars = 0;
    while (i < end) {
        size_t amp = scan_find(s, i, end, '&');
        size_t k = i;
        while (k < amp && scan_blank(scan_unit(s, k)))
            k++;
        pieces += k < amp;
        *chars += utf8_bytes(s, i, amp);
        if (amp == end)
            break;
        pieces++;
        (*chars)++;
        i = scan_find(s, amp, end, ';');
        if (i < end)
            i++;
    }
    return pieces;
}

/* What the text of element @p name (in @p buf, of @p size bytes) is
 * called in messages: the words the submission reader uses for its texts
 * (submission.c), else "text of <name>". */
static const char *text_what(csp_schema_id id, char *name, size_t size)
{
    static const char *const words[][2] = {
        {"update", "progress statement"},
        {"obs", "note on this figure"},
        {"comment", "comment"},
    };
    const char *local = strchr(name, ':') ? strchr(name, ':') + 1 : name;
    for (size_t i = 0; id == CSP_SCHEMA_SUBMISSION &&
                       i < sizeof words / sizeof words[0]; i++)
        if (strcmp(local, words[i][0]) == 0)
            return words[i][1];
    char copy[41];
    snprintf(copy, sizeof copy, "%.40s", name);
    snprintf(name, size, "text of <%s>", copy);
    return name;
}

/* The unit in [i, end) at which the text there passes @p max bytes (as
 * text_pieces counts them), or end. */
static size_t passed_at(const scan *s, size_t i, size_t end, size_t max)
{
    size_t chars = 0;
    while (i < end && chars <= max) {
        if (scan_unit(s, i) == '&') {
            size_t semi = scan_find(s, i, end, ';');
            i = semi < end ? semi : end - 1;
            chars++;
        } else {
            chars += utf8_bytes(s, i, i + 1);
        }
        i++;
    }
    return i - 1;
}

/* One start tag from just past its "<" at *i: its attributes (and
 * namespace declarations) counted, and its name at s->name_at; *i is
 * moved past it and *empty says whether it was "/>".  -1 when the tag is
 * not one scan_markup understands.  An attribute value longer than
 * s->max_text: SCAN_LONG, with s->where and the name set. */
static long start_tag(scan *s, size_t *i, bool *empty, scan_result *r)
{
    size_t k = *i;
    long attrs = 0;
    while (k < s->n && !scan_blank(scan_unit(s, k)) &&
           scan_unit(s, k) != '>' && scan_unit(s, k) != '/')
        k++;
    s->name_at = *i;
    s->name_len = k - *i;
    for (;;) {
        while (k < s->n && scan_blank(scan_unit(s, k)))
            k++;
        if (k >= s->n)
            return -1;
        unsigned c = scan_unit(s, k);
        if (c == '>' || c == '/') {
            *empty = c == '/';
            *i = scan_past(s, k, ">");
            return attrs;
        }
        size_t name = k;
        while (k < s->n && !scan_blank(c = scan_unit(s, k)) && c != '=' &&
               c != '>' && c != '/')
            k++;
        size_t name_len = k - name;
        while (k < s->n && scan_blank(scan_unit(s, k)))
            k++;
        if (k >= s->n || scan_unit(s, k) != '=')
            return -1;
        k++;
        while (k < s->n && scan_blank(scan_unit(s, k)))
            k++;
        if (k >= s->n || ((c = scan_unit(s, k)) != '"' && c != '\''))
            return -1;
        size_t open = k + 1, chars;
        k = scan_find(s, open, s->n, c);
        if (k >= s->n)
            return -1;
        if ((k - open) * 3 > s->max_text) {
            (void)text_pieces(s, open, k, &chars);
            if (chars > s->max_text) {
                s->where = passed_at(s, open, k, s->max_text);
                s->name_at = name;
                s->name_len = name_len;
                s->in_attribute = true;
                *r = SCAN_LONG;
                return attrs;
            }
        }
        k++;
        if (++attrs > MAX_ELEMENT_ATTRS) {
            s->where = k;
            *r = SCAN_ATTRS;
            return attrs;
        }
    }
}

/*
 * Walk the markup of the whole document (or, with @p root_only, up to the
 * root's start tag) and check the bounds; s->where is the unit at which
 * one was passed.  Linear in the size; markup it does not understand (a
 * DOCTYPE, a tag cut short) ends the walk, and the parser reports it.
 */
static scan_result scan_markup(scan *s, bool root_only)
{
    /* The open elements: the pieces and length of each one's text. */
    struct open_element {
        size_t pieces, text, name_at, name_len;
    } el[MAX_SCAN_DEPTH + 1];
    size_t depth = 0, comments = 0, i = 0, chars, long_texts = 0;
    scan_result r = SCAN_OK;
    el[0] = (struct open_element){0, 0, 0, 0};
    while (i < s->n) {
        size_t lt = scan_find(s, i, s->n, '<');
        struct open_element *e = &el[depth];
        if (depth > 0) {
            size_t run = text_pieces(s, i, lt, &chars);
            e->pieces += run;
            /* A run of white space alone is not read as a text. */
            if (run && (e->text += chars) > s->max_text) {
                s->where = passed_at(s, i, lt, s->max_text - (e->text - chars));
                s->name_at = e->name_at;
                s->name_len = e->name_len;
                return SCAN_LONG;
            }
            if (e->pieces > MAX_TEXT_PIECES) {
                s->where = lt;
                return SCAN_PIECES;
            }
        }
        if (lt >= s->n)
            break;
        i = lt + 1;
        if (scan_at(s, i, "?")) {
            comments += lt > 0;  /* not the XML declaration */
            i = scan_past(s, i + 1, "?>");
        } else if (scan_at(s, i, "!--")) {
            comments++;
            i = scan_past(s, i + 3, "-->");
        } else if (scan_at(s, i, "![CDATA[")) {
            size_t open = i + 8;
            i = scan_past(s, open, "]]>");
            e->text += i - open >= 3 ? i - open - 3 : 0;
            if (depth > 0 && ++e->pieces > MAX_TEXT_PIECES) {
                s->where = i;
                return SCAN_PIECES;
            }
        } else if (scan_at(s, i, "!")) {
            break;
        } else if (scan_at(s, i, "/")) {
            /* The validator's time on one element's text grows with the
             * square of its length: long ones share a budget. */
            if (depth > 0 && e->text > LONG_TEXT &&
                (long_texts += e->text) > s->long_texts_max) {
                s->where = lt;
                return SCAN_LONG_TEXTS;
            }
            depth -= depth > 0;
            i = scan_past(s, i, ">");
        } else {
            bool empty = false;
            long attrs = start_tag(s, &i, &empty, &r);
            if (r != SCAN_OK)
                return r;
            if (attrs < 0 || root_only)
                break;
            if (!empty) {
                if (depth == MAX_SCAN_DEPTH)
                    break;
                el[++depth] = (struct open_element){0, 0, s->name_at,
                                                    s->name_len};
            }
        }
        if (comments > MAX_COMMENTS) {
            s->where = i;
            return SCAN_COMMENTS;
        }
    }
    return SCAN_OK;
}

/* The name s->name_at as ASCII in @p buf (at most 40 characters). */
static const char *scan_name(const scan *s, char *buf, size_t size)
{
    size_t n = 0;
    for (size_t k = 0; k < s->name_len && n + 1 < size && n < 40; k++) {
        unsigned c = scan_unit(s, s->name_at + k);
        buf[n++] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[n] = '\0';
    return buf;
}

/* The line of unit @p where. */
static unsigned long scan_line(const scan *s, size_t where)
{
    unsigned long line = 1;
    for (size_t i = 0; (i = scan_find(s, i, where, '\n')) < where; i++)
        line++;
    return line;
}

/* Set @p sc over @p in.  False when there is nothing to walk: the bytes
 * are UTF-32 (*utf32 is set) or EBCDIC.  *bom8: a UTF-8 byte-order mark. */
static bool scan_init(scan *sc, const csp_input *in, bool *utf32, bool *bom8)
{
    const unsigned char *p = in->data;
    size_t n = in->size;
    *utf32 = *bom8 = false;
    *sc = (scan){.p = p, .n = n, .width = 1};
    if (n >= 4 && (memcmp(p, "\0\0\xfe\xff", 4) == 0 ||
                   memcmp(p, "\xff\xfe\0\0", 4) == 0 ||
                   memcmp(p, "\0\0\0<", 4) == 0 ||
                   memcmp(p, "<\0\0\0", 4) == 0)) {
        *utf32 = true;
        return false;
    }
    if (n >= 4 && memcmp(p, "\x4c\x6f\xa7\x94", 4) == 0)
        return false;
    if (n >= 2 && ((p[0] == 0xfe && p[1] == 0xff) ||
                   (p[0] == 0xff && p[1] == 0xfe))) {
        *sc = (scan){.p = p + 2, .n = (n - 2) / 2, .width = 2,
                     .big_endian = p[0] == 0xfe};
    } else if (n >= 4 && (memcmp(p, "\0<\0?", 4) == 0 ||
                          memcmp(p, "<\0?\0", 4) == 0)) {
        *sc = (scan){.p = p, .n = n / 2, .width = 2,
                     .big_endian = p[0] == 0};
    } else if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        *bom8 = true;
        *sc = (scan){.p = p + 3, .n = n - 3, .width = 1};
    }
    return true;
}

/* The encoding the XML declaration names, in @p buf (at most @p size - 1
 * bytes of it); "" when it names none. */
static void scan_declared(const scan *s, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!scan_at(s, 0, "<?xml"))
        return;
    size_t end = scan_past(s, 0, "?>"), k = 5;
    while (k < end && !scan_at(s, k, "encoding"))
        k++;
    k += strlen("encoding");
    while (k < end && (scan_blank(scan_unit(s, k)) || scan_unit(s, k) == '='))
        k++;
    unsigned q = k < end ? scan_unit(s, k) : 0;
    if (q != '"' && q != '\'')
        return;
    size_t w = 0;
    for (k++; k < end && scan_unit(s, k) != q && w + 1 < size; k++) {
        unsigned c = scan_unit(s, k);
        buf[w++] = c > 0x20 && c < 0x7f ? (char)c : '?';
    }
    buf[w] = '\0';
}

/* The first unpaired UTF-16 surrogate, or s->n (libxml2 2.9 reads one as
 * the end of the document, and then reports a misleading E105). */
static size_t lone_surrogate(const scan *s)
{
    for (size_t i = 0; i < s->n; i++) {
        unsigned u = scan_unit(s, i);
        if (u < 0xd800 || u > 0xdfff)
            continue;
        if (u > 0xdbff || i + 1 == s->n)
            return i;
        unsigned v = scan_unit(s, ++i);
        if (v < 0xdc00 || v > 0xdfff)
            return i - 1;
    }
    return s->n;
}

/*
 * Check @p s's document before a parser sees it: its encoding (UTF-32, a
 * byte-order mark that contradicts the declaration, a broken UTF-16
 * character) and the bounds of scan_markup (up to the root's start tag
 * with @p root_only), texts and values at most @p max_text bytes (0:
 * libxml2's limit).  False when the file is refused: diagnosed.
 */
static bool prescan(err_sink *s, bool root_only, size_t max_text)
{
    scan sc;
    bool utf32, bom8;
    size_t where = 0;
    char declared[48], name[64];
    if (!scan_init(&sc, s->in, &utf32, &bom8)) {
        if (utf32)
            sink_add(s, CSP_D_ENCODING, 1,
                     "the file is in UTF-32, which csppack does not read; "
                     "save it as UTF-8 and send it again");
        return !utf32;
    }
    scan_declared(&sc, declared, sizeof declared);
    /* Encodings of one byte a character, each byte above 0x7F two bytes
     * of UTF-8 (in others, such as Shift_JIS, a byte counts one). */
    sc.single_byte = sc.width == 1 &&
                     (strncasecmp(declared, "ISO-8859", 8) == 0 ||
                      strncasecmp(declared, "ISO8859", 7) == 0 ||
                      strncasecmp(declared, "LATIN", 5) == 0 ||
                      strncasecmp(declared, "WINDOWS-125", 11) == 0 ||
                      strncasecmp(declared, "CP125", 5) == 0);
    if (bom8 && declared[0] && strcasecmp(declared, "UTF-8") != 0 &&
        strcasecmp(declared, "UTF8") != 0) {
        sink_add(s, CSP_D_ENCODING, 1,
                 "the file starts with a UTF-8 byte order mark but declares "
                 "encoding=\"%s\"; save it as UTF-8, write "
                 "encoding=\"UTF-8\", and send it again",
                 declared);
        return false;
    }
    if (strcasecmp(declared, "UTF-7") == 0 ||
        strcasecmp(declared, "UTF7") == 0) {
        sink_add(s, CSP_D_ENCODING, 1,
                 "the file declares encoding=\"%s\", which csppack does not "
                 "read; save it as UTF-8 and send it again",
                 declared);
        return false;
    }
    if (sc.width == 2 && (where = lone_surrogate(&sc)) < sc.n) {
        sink_add(s, CSP_D_ENCODING, scan_line(&sc, where),
                 "the file is not valid UTF-16 (a lone surrogate, 0x%04X); "
                 "save it as UTF-8 and send it again",
                 scan_unit(&sc, where));
        return false;
    }
    bool own_limit = max_text && max_text < MAX_SCAN_TEXT;
    sc.max_text = own_limit ? max_text : MAX_SCAN_TEXT;
    /* Only the streaming reader (which has max_text) validates so. */
    sc.long_texts_max = max_text ? 2 * sc.max_text : SIZE_MAX;
    scan_result found = scan_markup(&sc, root_only);
    where = sc.where;
    switch (found) {
    case SCAN_OK:
        return true;
    case SCAN_ATTRS:
        sink_add(s, CSP_D_TOO_MANY_ATTRS, scan_line(&sc, where),
                 "an element here has more than %d attributes and namespace "
                 "declarations; no %s element has more than a few: correct "
                 "the export that made the file",
                 MAX_ELEMENT_ATTRS, what(s->id));
        break;
    case SCAN_PIECES:
        sink_add(s, CSP_D_TEXT_PIECES, scan_line(&sc, where),
                 "the text of an element here is in more than %d pieces "
                 "(references such as &amp;, CDATA sections, text between "
                 "comments); write the characters themselves, in UTF-8",
                 MAX_TEXT_PIECES);
        break;
    case SCAN_LONG:
        scan_name(&sc, name, sizeof name);
        if (!own_limit)
            sink_add(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where), "%s",
                     huge_text_message);
        else if (sc.in_attribute)
            sink_add(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                     "the %s attribute here is longer than %zu bytes; "
                     "shorten it or raise --max-text",
                     name, max_text);
        else
            sink_add(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                     "the %s here is longer than %zu bytes; shorten it or "
                     "raise --max-text",
                     text_what(s->id, name, sizeof name), max_text);
        break;
    case SCAN_LONG_TEXTS:
        sink_add(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                 "the texts of this file longer than %zu bytes add up to "
                 "more than %zu bytes (twice --max-text) by here; shorten "
                 "them, split the file, or raise --max-text",
                 LONG_TEXT, sc.long_texts_max);
        break;
    case SCAN_COMMENTS:
        sink_add(s, CSP_D_TOO_MANY_MISC, scan_line(&sc, where),
                 "the file holds more than %d comments and processing "
                 "instructions (the limit was passed here); remove them: a "
                 "%s needs none",
                 MAX_COMMENTS, what(s->id));
        break;
    }
    return false;
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
