/*
 * Building the HTML report's tree (html_parts.h): elements, attributes
 * and text over libxml2's tree API, with a sticky error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "csppack/base/alloc.h"
#include "csppack/write/html/html_parts.h"

/* A failure of a libxml2 call that allocates: memory ran out. */
static void *fail_null(csp_html *h, void *p)
{
    if (!p && !h->err)
        h->err = CSP_ERR_NOMEM;
    return p;
}

/* A new element, with text, appended to parent. */
xmlNodePtr csp_html_el(csp_html *h, xmlNodePtr parent, const char *name,
                       const char *text)
{
    if (h->err)
        return NULL;
    xmlNodePtr n =
        fail_null(h, xmlNewDocNode(h->doc, NULL, BAD_CAST name, NULL));
    if (!n)
        return NULL;
    if (parent)
        xmlAddChild(parent, n);
    csp_html_text(h, n, text);
    return n;
}

/* A block element of the flow, starting a printed page after a break. */
xmlNodePtr csp_html_block(csp_html *h, xmlNodePtr parent, const char *name,
                          const char *text)
{
    xmlNodePtr n = csp_html_el(h, parent, name, text);
    if (n && h->page_break) {
        csp_html_class(h, n, "page-break");
        h->page_break = false;
    }
    return n;
}

/* Set an attribute (the value is kept as given; the serialiser escapes
 * it). */
void csp_html_attr(csp_html *h, xmlNodePtr n, const char *name,
                   const char *value)
{
    if (h->err || !n)
        return;
    fail_null(h, xmlSetProp(n, BAD_CAST name, BAD_CAST value));
}

/* Add a class to an element's class attribute. */
void csp_html_class(csp_html *h, xmlNodePtr n, const char *cls)
{
    if (h->err || !n)
        return;
    xmlChar *old = xmlGetProp(n, BAD_CAST "class");
    if (!old) {
        csp_html_attr(h, n, "class", cls);
        return;
    }
    size_t len = strlen((const char *)old) + 1 + strlen(cls) + 1;
    char *both = csp_malloc(len);
    if (fail_null(h, both)) {
        snprintf(both, len, "%s %s", (const char *)old, cls);
        csp_html_attr(h, n, "class", both);
    }
    free(both);
    xmlFree(old);
}

/* Append text to an element. */
void csp_html_text(csp_html *h, xmlNodePtr parent, const char *text)
{
    if (h->err || !parent || !text || !*text)
        return;
    xmlNodePtr t = fail_null(h, xmlNewDocText(h->doc, BAD_CAST text));
    if (t)
        xmlAddChild(parent, t);
}

/* A newline between blocks: the serialiser writes no whitespace of its
 * own with formatting off, and formatting would add some inside inline
 * content. */
void csp_html_nl(csp_html *h, xmlNodePtr parent)
{
    csp_html_text(h, parent, "\n");
}
