/* csppack: reading partner submissions (streaming, checked per item). */
#include "csppack/read/submission.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/submission_items.h"
#include "csppack/read/submission_reader.h"
#include "csppack/read/xmlsafe.h"

/* Read a submission from bytes already loaded. */
csp_error csp_submission_parse(const csp_input *in, const csp_template *tpl,
                               const csp_read_options *opt,
                               csp_submission **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    csp_sub_reader r = {.tpl = tpl, .opt = opt, .diags = diags};
    /* libxml2 refuses longer attribute values (we never set HUGE). */
    csp_strbuf_init(&r.attrs,
                    CSP_SUB_MAX_ATTRS * ((size_t)XML_MAX_TEXT_LENGTH + 1));
    csp_strbuf_init(&r.text, opt->max_text);
    *out = NULL;
    csp_submission *sub = csp_calloc(1, sizeof *sub);
    if (!sub)
        return CSP_ERR_NOMEM;
    r.sub = sub;
    sub->path = csp_strdup(in->path);
    if (!sub->path) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    memcpy(sub->sha256, in->sha256, sizeof sub->sha256);
    sub->size = in->size;
    err = csp_xml_open(in, CSP_SCHEMA_SUBMISSION, opt->max_text, diags,
                       &r.x);
    if (err != CSP_OK)
        goto out;
    xmlTextReaderPtr xr = csp_xml_reader(r.x);
    for (int i = 0; i < CSP_SUB_NAMES; i++)
        r.names[i] =
            xmlTextReaderConstString(xr, (const xmlChar *)csp_sub_names[i]);
    int rc;
    while (!r.nomem && (rc = csp_xml_next(r.x)) == 1) {
        if (csp_xml_type(r.x) != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *name = xmlTextReaderConstLocalName(xr);
        int depth = xmlTextReaderDepth(xr);
        if (!name)
            continue;
        if (depth == 0 && csp_sub_is_name(&r, name, CSP_SUB_SUBMISSION)) {
            csp_sub_read_header(&r);
        } else if (depth == 1 && csp_sub_is_name(&r, name, CSP_SUB_SUBMITTER)) {
            /* The schema allows one, but the reader goes on past a
             * second (the file is refused): keep the last, leak none. */
            free(sub->submitter_name);
            free(sub->submitter_email);
            free(sub->submitter_phone);
            sub->submitter_name = csp_sub_attr_shown(&r, "name");
            sub->submitter_email = csp_sub_attr_shown(&r, "email");
            sub->submitter_phone = csp_sub_attr_shown(&r, "phone");
            csp_sub_submitter_placeholders(&r);
        } else if (depth == 1 && csp_sub_is_name(&r, name, CSP_SUB_COMMENT)) {
            csp_sub_read_comment(&r);
        } else if (depth == 2 && csp_sub_is_name(&r, name, CSP_SUB_OBS)) {
            csp_sub_read_obs(&r);
        } else if (depth == 2 && csp_sub_is_name(&r, name, CSP_SUB_UPDATE)) {
            csp_sub_read_update(&r);
        }
    }
    r.nomem |= csp_xml_nomem(r.x);
    bool valid = csp_xml_close(r.x);
    r.x = NULL;
    if (r.nomem) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (!valid || !r.header_ok || r.too_many || r.text_too_long ||
        r.too_many_problems) {
        sub->refused = true;
        csp_submission_drop_items(sub);
    } else {
        csp_sub_refuse_repeated_obs(&r);
        csp_sub_refuse_repeated_updates(&r);
        if (r.nomem)
            err = CSP_ERR_NOMEM;
        else if (r.too_many_problems) {
            sub->refused = true;
            csp_submission_drop_items(sub);
        }
    }
    /* The arrays grew by doubling; the dataset keeps them to the end. */
    if (sub->nobs && sub->nobs < r.cap_obs) {
        csp_obs *p = csp_realloc(sub->obs, sub->nobs * sizeof *p);
        if (p)
            sub->obs = p;
    }
    if (sub->nupdates && sub->nupdates < r.cap_updates) {
        csp_update *p = csp_realloc(sub->updates, sub->nupdates * sizeof *p);
        if (p)
            sub->updates = p;
    }
out:
    if (r.x)
        (void)csp_xml_close(r.x);
    csp_strbuf_free(&r.attrs);
    csp_strbuf_free(&r.text);
    if (err != CSP_OK) {
        csp_submission_free(sub);
        return err;
    }
    *out = sub;
    return CSP_OK;
}

/* Load and read a submission file. */
csp_error csp_submission_read(const char *path, const csp_template *tpl,
                              const csp_read_options *opt,
                              csp_submission **out, csp_diag_list *diags)
{
    csp_input in;
    *out = NULL;
    csp_error err = csp_input_load(path, opt, &in, diags);
    if (err == CSP_ERR_INVALID) {
        /* Refused before parsing: still a submission, listed as refused. */
        csp_submission *sub = csp_calloc(1, sizeof *sub);
        if (!sub || !(sub->path = csp_text_shown(path, 0))) {
            free(sub);
            return CSP_ERR_NOMEM;
        }
        sub->refused = true;
        *out = sub;
        return CSP_OK;
    }
    if (err != CSP_OK)
        return err;
    err = csp_submission_parse(&in, tpl, opt, out, diags);
    /* A pack's own file in an inbox: the caller may skip it (only refused
     * files are looked at again, so a submission costs nothing more). */
    if (err == CSP_OK && (*out)->refused)
        (*out)->kind = csp_input_sniff(&in);
    csp_input_free(&in);
    return err;
}
