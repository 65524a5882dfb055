/* csppack: libxml2's errors in plain words for a data officer. */
#include "csppack/read/xmlplain.h"

#include <stdio.h>
#include <string.h>

/* Room for a name quoted from a message. */
#define NAME_MAX_SHOWN 80

static bool holds(const unsigned char *data, size_t size, const char *s);

/* Where the comments of a document stand, up to a line. */
typedef struct comment_scan {
    unsigned long open_line;  /* start of a comment still open; 0: none */
    unsigned long stray_line; /* first "-->" outside any comment; 0: none */
} comment_scan;

/* Walk @p data up to the start of line @p stop (0: to the end) and say
 * which comment is open there, and where a "-->" closes none: the byte
 * pattern is enough, as no "<!--" stands in a value of a submission. */
static comment_scan scan_comments(const unsigned char *data, size_t size,
                                  unsigned long stop)
{
    comment_scan c = {0, 0};
    unsigned long line = 1;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n') {
            line++;
            if (stop && line >= stop)
                break;
            continue;
        }
        if (!c.open_line && size - i >= 4 && memcmp(data + i, "<!--", 4) == 0) {
            c.open_line = line;
            i += 3;
        } else if (size - i >= 3 && memcmp(data + i, "-->", 3) == 0) {
            if (c.open_line)
                c.open_line = 0;
            else if (!c.stray_line)
                c.stray_line = line;
            i += 2;
        }
    }
    return c;
}

/* Whether the document's first element, its name in @p name, has an end
 * tag anywhere (a "</NAME" after it): if not, the file ends before it is
 * closed. */
static bool root_closed(const unsigned char *data, size_t size,
                        char name[NAME_MAX_SHOWN + 1])
{
    size_t i = 0;
    /* Past "<?...?>", "<!...>" to the first start tag. */
    while (i + 1 < size &&
           !(data[i] == '<' && data[i + 1] != '?' && data[i + 1] != '!'))
        i++;
    size_t start = ++i;
    while (i < size && !strchr(" \t\r\n/>", data[i]))
        i++;
    size_t len = i - start;
    if (len == 0 || len > NAME_MAX_SHOWN)
        return true;
    char end[NAME_MAX_SHOWN + 3] = "</";
    memcpy(end + 2, data + start, len);
    end[len + 2] = '\0';
    memcpy(name, end + 2, len + 1);
    return holds(data + i, size - i, end);
}

/* The name between quotes after @p key in @p msg, into @p out; false
 * when there is none. */
static bool quoted_after(const char *msg, const char *key, char *out,
                         size_t n)
{
    const char *p = strstr(msg, key);
    if (!p)
        return false;
    p += strlen(key);
    const char *end = strchr(p, '\'');
    if (!end)
        return false;
    size_t len = (size_t)(end - p);
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return len > 0;
}

/* A name libxml2 gave, as a message shows it (bounded). */
static const char *shown(const char *s)
{
    return s && strlen(s) < NAME_MAX_SHOWN ? s : NULL;
}

/* Plain words for libxml2's well-formedness errors. */
bool csp_xmlplain_not_well_formed(const unsigned char *data, size_t size,
                                  const xmlError *e, const char *msg,
                                  char *buf, size_t n, unsigned long *line)
{
    const char *s1 = shown(e->str1), *s2 = shown(e->str2);
    comment_scan c;
    switch (e->code) {
    case XML_ERR_HYPHEN_IN_COMMENT:
        c = scan_comments(data, size, *line);
        if (c.open_line && c.open_line < *line)
            snprintf(buf, n,
                     "the comment that starts on line %lu has no closing "
                     "\"-->\": it runs on to the \"--\" on this line, most "
                     "likely the next comment's \"<!--\"; end it with "
                     "\"-->\" where it should end",
                     c.open_line);
        else
            snprintf(buf, n,
                     "this comment holds \"--\", which a comment may not: "
                     "write it as \"- -\" or reword it, and end the comment "
                     "with \"-->\"");
        return true;
    case XML_ERR_COMMENT_NOT_FINISHED:
        c = scan_comments(data, size, 0);
        if (c.open_line)
            *line = c.open_line;
        snprintf(buf, n,
                 "the comment that starts on this line is never closed: add "
                 "\"-->\" where it should end");
        return true;
    case XML_ERR_TAG_NAME_MISMATCH:
        if (!s1 || !s2)
            return false;
        snprintf(buf, n,
                 "the end tag </%s> here does not match the start tag <%s> "
                 "on line %d: correct the end tag's name, or close <%s> "
                 "before it",
                 s2, s1, e->int1, s1);
        return true;
    case XML_ERR_TAG_NOT_FINISHED:
        if (!s1)
            return false;
        snprintf(buf, n,
                 "the element <%s> that starts on line %d is never closed: "
                 "add </%s> where it ends (or the file was cut short: send "
                 "it whole)",
                 s1, e->int1, s1);
        return true;
    case XML_ERR_NAME_REQUIRED:
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        if (strstr(msg, "EntityRef")) {
            snprintf(buf, n,
                     "a \"&\" on this line starts no entity: write each & in "
                     "a text or a value as &amp; (R&amp;D for R&D)");
            return true;
        }
        if (strstr(msg, "StartTag")) {
            snprintf(buf, n,
                     "a \"<\" on this line starts no tag: write each < in a "
                     "text as &lt; (&lt; 5 for < 5)");
            return true;
        }
        return false;
    case XML_ERR_LT_IN_ATTRIBUTE:
        snprintf(buf, n,
                 "a value on this line holds \"<\": write it as &lt;");
        return true;
    case XML_ERR_UNDECLARED_ENTITY:
        if (!s1)
            return false;
        snprintf(buf, n,
                 "&%s; is not known in XML, which has only &amp; &lt; &gt; "
                 "&quot; &apos;: write the character itself, or the & as "
                 "&amp;",
                 s1);
        return true;
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        snprintf(buf, n,
                 "an attribute on this line has no value in quotes: write "
                 "it name=\"value\"");
        return true;
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
        snprintf(buf, n,
                 "a value on this line has no closing quote: end it with the "
                 "quote it starts with");
        return true;
    case XML_ERR_ATTRIBUTE_REDEFINED:
        if (!s1)
            return false;
        snprintf(buf, n,
                 "an element on this line has the attribute %s twice: keep "
                 "one",
                 s1);
        return true;
    case XML_ERR_DOCUMENT_END: {
        /* The streaming parser says so of a root never closed too. */
        char root[NAME_MAX_SHOWN + 1] = "";
        if (!root_closed(data, size, root) && root[0])
            snprintf(buf, n,
                     "the file ends before <%s> is closed: add </%s> at its "
                     "end (or the file was cut short: send it whole)",
                     root, root);
        else
            snprintf(buf, n,
                     "there is more after the end of the file's first "
                     "element, here: delete it, or move it inside that "
                     "element");
        return true;
    }
    default:
        return false;
    }
}

/* libxml2's "( a, b, c )" (or "one of ( ... )") as "a>, <b> or <c", to
 * stand between < and >. */
static void expected_list(const char *exp, char *out, size_t n)
{
    const char *p = strchr(exp, '(');
    const char *end = p ? strchr(p, ')') : NULL;
    size_t w = 0;
    out[0] = '\0';
    if (!p || !end)
        return;
    p++;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ','))
            p++;
        const char *q = p;
        while (q < end && *q != ',' && *q != ' ')
            q++;
        if (q == p)
            break;
        const char *rest = q;
        while (rest < end && (*rest == ' ' || *rest == ','))
            rest++;
        const char *sep = w == 0 ? "" : rest < end ? ">, <" : "> or <";
        int k = snprintf(out + w, n - w, "%s%.*s", sep, (int)(q - p), p);
        if (k < 0 || (size_t)k >= n - w)
            break;
        w += (size_t)k;
        p = q;
    }
}

/* Plain words for libxml2's schema-validity errors. */
bool csp_xmlplain_schema(const unsigned char *data, size_t size,
                         const char *msg, unsigned long line, char *buf,
                         size_t n)
{
    char el[NAME_MAX_SHOWN], at[NAME_MAX_SHOWN];
    if (!quoted_after(msg, "Element '", el, sizeof el))
        return false;
    if (strstr(msg, "Character content other than whitespace")) {
        comment_scan c = scan_comments(data, size, line + 1);
        if (c.stray_line)
            snprintf(buf, n,
                     "there is text directly inside <%s>, where only "
                     "elements may stand: the \"-->\" on line %lu closes no "
                     "comment, so most likely its \"<!--\" was deleted; put "
                     "\"<!--\" back where the comment starts",
                     el, c.stray_line);
        else
            snprintf(buf, n,
                     "there is text directly inside <%s>, where only "
                     "elements may stand: put it inside an element or a "
                     "comment, or delete it",
                     el);
        return true;
    }
    if (strstr(msg, "is required but missing") &&
        quoted_after(msg, "The attribute '", at, sizeof at)) {
        snprintf(buf, n, "<%s> has no %s=\"...\", which the format requires: "
                 "add it", el, at);
        return true;
    }
    if (strstr(msg, "is not allowed") &&
        quoted_after(msg, "attribute '", at, sizeof at)) {
        snprintf(buf, n,
                 "<%s> has an attribute %s=\"...\", which the format does "
                 "not have: correct its spelling, or delete it",
                 el, at);
        return true;
    }
    const char *set = strstr(msg, "is not an element of the set {");
    char val[NAME_MAX_SHOWN];
    if (set && quoted_after(msg, "attribute '", at, sizeof at) &&
        quoted_after(msg, "The value '", val, sizeof val)) {
        set += strlen("is not an element of the set {");
        const char *end = strchr(set, '}');
        int len = end ? (int)(end - set) : 0;
        snprintf(buf, n, "%s=\"%s\" on <%s> is not one of %.*s: write one "
                 "of those", at, val, el, len < 200 ? len : 200, set);
        return true;
    }
    if (strstr(msg, "This element is not expected")) {
        const char *exp = strstr(msg, "Expected is ");
        if (!exp) {
            snprintf(buf, n, "<%s> is not expected here: check its name and "
                     "its place", el);
            return true;
        }
        exp += strlen("Expected is ");
        char list[200];
        expected_list(exp, list, sizeof list);
        snprintf(buf, n,
                 "<%s> is not expected here, where the format expects <%s>: "
                 "check its name, its place, and that the element before it "
                 "is closed",
                 el, list);
        return true;
    }
    return false;
}

/* What a root element says the file is, when it is no csppack document. */
bool csp_xmlplain_foreign_root(const char *local, const char *ns,
                               const char *what, char *buf, size_t n)
{
    if (local && ns && strcmp(local, "Workbook") == 0 &&
        strcmp(ns, "urn:schemas-microsoft-com:office:spreadsheet") == 0) {
        snprintf(buf, n,
                 "the file is an Excel spreadsheet saved as XML (\"XML "
                 "Spreadsheet 2003\"), not %s: csppack cannot read a "
                 "spreadsheet; fill in the blank submission the coordinator "
                 "sent (csppack blank makes one) with the figures, and send "
                 "that file",
                 what);
        return true;
    }
    return false;
}

/* Whether @p size bytes at @p data hold @p s. */
static bool holds(const unsigned char *data, size_t size, const char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i + len <= size; i++)
        if (data[i] == (unsigned char)s[0] && memcmp(data + i, s, len) == 0)
            return true;
    return false;
}

/* A zip that is an Excel workbook: its names are stored uncompressed. */
bool csp_xmlplain_is_xlsx(const unsigned char *data, size_t size)
{
    return holds(data, size, "[Content_Types].xml") &&
           holds(data, size, "xl/");
}
