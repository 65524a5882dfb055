/*
 * csppack: a template's <labels>, its wording for the fixed headings,
 * column titles and phrases of the reports (read/template_labels.h).
 */
#include "csppack/read/template_labels.h"

#include <stdlib.h>

#include "csppack/model/labels.h"
#include "csppack/read/xmlsafe.h"

/* One <label>: its key checked, its text kept unless the key came before
 * (lines[] holds where each key was first given, 0 for not yet). */
static csp_error read_label(csp_tpl_reader *r, xmlNodePtr node,
                            unsigned long lines[CSP_LABEL_COUNT])
{
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);
    char *key = NULL, *text = NULL;
    csp_label label;

    err = csp_tpl_get_attr(node, "key", true, &key);
    if (err)
        goto out;
    label = csp_label_from_key(key);
    if (label == CSP_LABEL_COUNT) {
        err = csp_tpl_report(r, CSP_D_TPL_DANGLING, line, NULL,
                             "label key \"%s\" is not one csppack prints; see "
                             "the keys in doc/template-format.md",
                             key);
        goto out;
    }
    if (lines[label]) {
        err = csp_tpl_report(r, CSP_D_TPL_DUPLICATE_ID, line, NULL,
                             "label key \"%s\" is given twice (first on line "
                             "%lu); remove one",
                             key, lines[label]);
        goto out;
    }
    /* A line of 0 (unknown to libxml2) still marks the key as given. */
    lines[label] = line ? line : 1;
    err = csp_tpl_get_text(node, &text);
    if (err)
        goto out;
    r->tpl->labels[label] = text;
    text = NULL;
out:
    free(text);
    free(key);
    return err;
}

/* The <labels>: each <label> in turn. */
csp_error csp_tpl_read_labels(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    unsigned long lines[CSP_LABEL_COUNT] = {0};

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "label"))
            continue;
        err = read_label(r, c, lines);
        if (err)
            goto out;
    }
out:
    return err;
}
