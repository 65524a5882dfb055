/* csppack: what the reports place by hand, recorded into the document
 * their HTML version is written from (write/doc.h), and the line that
 * names that version. */
#include "csppack/write/pdf/report_parts.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/write/doc.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/wrap.h"

/* Text cleaned as the PDF draws it (csp_utf8_clean); NULL for NULL, and
 * NULL with r->err when memory ran out. */
static char *clean(csp_rep *r, const char *text)
{
    if (!text)
        return NULL;
    char *c = csp_utf8_clean(text, strlen(text));
    if (!c)
        r->err = CSP_ERR_NOMEM;
    return c;
}

/* Record a block of text placed by hand: a paragraph (n its role), a
 * heading (n its level) or a list item (n its level). */
static void rec(csp_rep *r, csp_doc_block_kind kind, unsigned n, bool toc,
                const char *text)
{
    csp_doc *d = csp_layout_doc(r->L);
    char *c = d ? clean(r, text) : NULL;
    if (!c)
        return;
    if (kind == CSP_DOC_PARA)
        csp_doc_para(d, (csp_doc_role)n, c);
    else if (kind == CSP_DOC_HEADING)
        csp_doc_heading(d, n, c, toc);
    else
        csp_doc_item(d, n, c);
    free(c);
}

/* Record a paragraph placed by hand. */
void csp_rep_rec_para(csp_rep *r, csp_doc_role role, const char *text)
{
    rec(r, CSP_DOC_PARA, (unsigned)role, false, text);
}

/* Record a heading placed by hand. */
void csp_rep_rec_heading(csp_rep *r, unsigned level, const char *text, bool toc)
{
    rec(r, CSP_DOC_HEADING, level, toc, text);
}

/* Record a list item placed by hand. */
void csp_rep_rec_item(csp_rep *r, unsigned level, const char *text)
{
    rec(r, CSP_DOC_ITEM, level, false, text);
}

/* The line naming the accessible HTML version, in small type. */
double csp_rep_html_line(csp_rep *r, double x, double y, double w)
{
    if (!r->html_name)
        return 0;
    char *s = csp_rep_fmt(r, "%s %s.",
                          csp_template_label(r->tpl, CSP_LABEL_HTML_VERSION),
                          r->html_name);
    double h = s ? csp_layout_text_box(r->L, &csp_style_small, x, y, w, s) : 0;
    free(s);
    return h;
}
