/*
 * csppack: reading and checking strategy templates
 * (namespace urn:csppack:strategy:1, doc/template-format.md).
 *
 * A read has three steps:
 *
 *   1. the bytes are loaded (size limit, no compression) and parsed and
 *      validated against templates/strategy.xsd by xmlsafe.c, so element
 *      order, required attributes and id syntax are already right here;
 *   2. the DOM is turned into the model (template_parse.c and
 *      template_decls.c).  On the way every declared id is recorded with
 *      its line (csp_tpl_decl) and every reference to an id with its line
 *      and the slot that receives the resolved index (csp_tpl_ref), and
 *      the checks that need one element only are made (E305 values);
 *   3. the whole-template checks (template_check.c): duplicate ids
 *      (E301), references to undeclared ids (E302), rule units (E304),
 *      rule cycles (E303) and theme numbering (E305).
 *
 * The checked declarations become the template's lookups
 * (model/template_index.h).
 *
 * Every problem found is reported, not just the first, so a template
 * author can fix them all in one go.  The template is handed out only
 * when no error was found.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "csppack/read/template.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "csppack/base/alloc.h"
#include "csppack/model/template_index.h"
#include "csppack/read/template_check.h"
#include "csppack/read/template_parse.h"
#include "csppack/read/template_reader.h"
#include "csppack/read/xmlsafe.h"

/* The template built into the program, embedded by the build. */
extern const unsigned char csp_embedded_dg_csp_2016_19_xml[];
extern const size_t csp_embedded_dg_csp_2016_19_xml_len;

/* The name the built-in template has in diagnostics and in the model. */
#define TPL_BUILTIN_INPUT "(built-in dg-csp-2016-19)"
#define TPL_BUILTIN_PATH "(built-in)"

/*
 * Parse, validate and check the template whose bytes @p in holds; the
 * model's path is @p model_path.  The common part of both public readers.
 */
static csp_error read_input(const csp_input *in, const char *model_path,
                            csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    xmlDocPtr doc = NULL;
    csp_template *tpl = NULL;
    csp_tpl_reader r;

    memset(&r, 0, sizeof r);
    err = csp_xml_parse_validated(in, CSP_SCHEMA_STRATEGY, &doc, diags);
    if (err)
        goto out;

    tpl = csp_calloc(1, sizeof *tpl);
    if (!tpl) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    tpl->path = csp_strdup(model_path);
    if (!tpl->path) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    r.file = in->path;
    r.diags = diags;
    r.tpl = tpl;
    /* Messages quote ids from the template, so they are bounded by it. */
    r.text_cap = in->size * 4 + 4096;

    err = csp_tpl_read_strategy(&r, xmlDocGetRootElement(doc));
    if (!err)
        err = csp_tpl_check(&r);
    if (err)
        goto out;
    if (r.errors) {
        err = CSP_ERR_INVALID;
        goto out;
    }
    err = csp_tpl_fill_labels(&r);
    if (err)
        goto out;
    /* The checked declarations become the template's lookups. */
    if ((err = csp_template_index_new(r.decls, &tpl->index)))
        goto out;
    *out = tpl;
    tpl = NULL;
out:
    csp_tpl_reader_free(&r);
    csp_template_free(tpl);
    if (doc)
        xmlFreeDoc(doc);
    return err;
}

/* Read, validate and check a template; the built-in one when path is NULL. */
csp_error csp_template_read(const char *path, const csp_read_options *opt,
                            csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    csp_read_options defaults;
    csp_input in;

    memset(&in, 0, sizeof in);
    if (!out || !diags)
        return CSP_ERR_USAGE;
    *out = NULL;
    if (!opt) {
        csp_read_options_init(&defaults);
        opt = &defaults;
    }
    if (path)
        err = csp_input_load(path, opt, &in, diags);
    else
        err = csp_input_from_memory(
            TPL_BUILTIN_INPUT, csp_embedded_dg_csp_2016_19_xml,
            csp_embedded_dg_csp_2016_19_xml_len, opt, &in, diags);
    if (!err)
        err = read_input(&in, path ? path : TPL_BUILTIN_PATH, out, diags);
    csp_input_free(&in);
    return err;
}

/* The same from bytes in memory, named @p name. */
csp_error csp_template_read_memory(const char *name, const void *data,
                                   size_t size, const csp_read_options *opt,
                                   csp_template **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    csp_read_options defaults;
    csp_input in;

    memset(&in, 0, sizeof in);
    if (!out || !diags || !name || (!data && size))
        return CSP_ERR_USAGE;
    *out = NULL;
    if (!opt) {
        csp_read_options_init(&defaults);
        opt = &defaults;
    }
    err = csp_input_from_memory(name, data ? data : "", size, opt, &in, diags);
    if (!err)
        err = read_input(&in, name, out, diags);
    csp_input_free(&in);
    return err;
}
