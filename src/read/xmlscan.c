/*
 * csppack: the byte pre-pass over an XML document, before any parser
 * sees it (read/xmlscan.h).
 */
#include "csppack/read/xmlscan.h"

#include <libxml/parserInternals.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

_Static_assert(XML_MAX_TEXT_LENGTH == 10000000,
               "the E114 message names libxml2's limit");

/* Where the pre-pass says what it refused. */
typedef struct scan_sink {
    const csp_input *in;
    csp_diag_list *diags;
    bool *nomem;        /* set when memory ran out */
} scan_sink;

/* Add a whole-file diagnostic. */
static void scan_say(scan_sink *s, csp_diag_code code, unsigned long line,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void scan_say(scan_sink *s, csp_diag_code code, unsigned long line,
                     const char *fmt, ...)
{
    csp_diag proto = {.code = code, .file = s->in->path,
                      .line = line ? line : 1};
    va_list ap;
    va_start(ap, fmt);
    if (!csp_diag_addv(s->diags, &proto, fmt, ap))
        *s->nomem = true;
    va_end(ap);
}

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
    bool single_byte; /* Latin-1, Windows-1252...: see csp_xmlscan_check */
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
 * each reference one character; libxml2 refuses the rest, and xmlsafe.c
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
 * (submission_items.c), else "text of <name>". */
static const char *text_what(bool submission, char *name, size_t size)
{
    static const char *const words[][2] = {
        {"update", "progress statement"},
        {"obs", "note on this figure"},
        {"comment", "comment"},
    };
    const char *local = strchr(name, ':') ? strchr(name, ':') + 1 : name;
    for (size_t i = 0; submission &&
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
 * Check @p in's document before a parser sees it: its encoding (UTF-32, a
 * byte-order mark that contradicts the declaration, a broken UTF-16
 * character) and the bounds of scan_markup (up to the root's start tag
 * with @p root_only), texts and values at most @p max_text bytes (0:
 * libxml2's limit).  False when the file is refused: diagnosed.
 */
bool csp_xmlscan_check(const csp_input *in, const char *what, bool submission,
                       bool root_only, size_t max_text, csp_diag_list *diags,
                       bool *nomem)
{
    scan_sink sink = {.in = in, .diags = diags, .nomem = nomem};
    scan_sink *s = &sink;
    scan sc;
    bool utf32, bom8;
    size_t where = 0;
    char declared[48], name[64];
    if (!scan_init(&sc, in, &utf32, &bom8)) {
        if (utf32)
            scan_say(s, CSP_D_ENCODING, 1,
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
        scan_say(s, CSP_D_ENCODING, 1,
                 "the file starts with a UTF-8 byte order mark but declares "
                 "encoding=\"%s\"; save it as UTF-8, write "
                 "encoding=\"UTF-8\", and send it again",
                 declared);
        return false;
    }
    if (strcasecmp(declared, "UTF-7") == 0 ||
        strcasecmp(declared, "UTF7") == 0) {
        scan_say(s, CSP_D_ENCODING, 1,
                 "the file declares encoding=\"%s\", which csppack does not "
                 "read; save it as UTF-8 and send it again",
                 declared);
        return false;
    }
    if (sc.width == 2 && (where = lone_surrogate(&sc)) < sc.n) {
        scan_say(s, CSP_D_ENCODING, scan_line(&sc, where),
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
        scan_say(s, CSP_D_TOO_MANY_ATTRS, scan_line(&sc, where),
                 "an element here has more than %d attributes and namespace "
                 "declarations; no %s element has more than a few: correct "
                 "the export that made the file",
                 MAX_ELEMENT_ATTRS, what);
        break;
    case SCAN_PIECES:
        scan_say(s, CSP_D_TEXT_PIECES, scan_line(&sc, where),
                 "the text of an element here is in more than %d pieces "
                 "(references such as &amp;, CDATA sections, text between "
                 "comments); write the characters themselves, in UTF-8",
                 MAX_TEXT_PIECES);
        break;
    case SCAN_LONG:
        scan_name(&sc, name, sizeof name);
        if (!own_limit)
            scan_say(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where), "%s",
                     CSP_XMLSCAN_HUGE_TEXT);
        else if (sc.in_attribute)
            scan_say(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                     "the %s attribute here is longer than %zu bytes; "
                     "shorten it or raise --max-text",
                     name, max_text);
        else
            scan_say(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                     "the %s here is longer than %zu bytes; shorten it or "
                     "raise --max-text",
                     text_what(submission, name, sizeof name), max_text);
        break;
    case SCAN_LONG_TEXTS:
        scan_say(s, CSP_D_TEXT_TOO_LONG, scan_line(&sc, where),
                 "the texts of this file longer than %zu bytes add up to "
                 "more than %zu bytes (twice --max-text) by here; shorten "
                 "them, split the file, or raise --max-text",
                 LONG_TEXT, sc.long_texts_max);
        break;
    case SCAN_COMMENTS:
        scan_say(s, CSP_D_TOO_MANY_MISC, scan_line(&sc, where),
                 "the file holds more than %d comments and processing "
                 "instructions (the limit was passed here); remove them: a "
                 "%s needs none",
                 MAX_COMMENTS, what);
        break;
    }
    return false;
}
