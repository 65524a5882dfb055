/* csppack: the Excel workbook, written with libxlsxwriter (workbook.h):
 * the document's header and properties, and the sheets in order.  The
 * sheets are in keyfindings.c, indicators.c, actions.c and inbox.c, the
 * cells and tables they are made of in core.c, tabs.c and figures.c. */
#include "csppack/write/workbook/workbook.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/write/workbook/sheets.h"

/* Defaults: Excel's own limits. */
void csp_workbook_options_init(csp_workbook_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_rows = CSP_WORKBOOK_MAX_ROWS;
    opt->max_comments = CSP_WORKBOOK_COMMENTS_MAX;
    opt->progress_budget = CSP_WORKBOOK_PROGRESS_BUDGET;
}

/* Append @p text to the page header at *o, '&' doubled (libxlsxwriter
 * would read it as a code), while it stays within @p room characters. */
static void header_add(csp_wb_ctx *c, size_t *o, size_t *chars, size_t room,
                       const char *text)
{
    for (const char *p = text; *p && *chars + 2 <= room;) {
        size_t k = csp_workbook_char_len(p);
        if (*p == '&')
            c->header[(*o)++] = '&', (*chars)++;
        memcpy(c->header + *o, p, k);
        *o += k;
        (*chars)++;
        p += k;
    }
}

/* "&L<title>&C<marking>&R<sheet>": '&' doubled, cut to the 255
 * characters allowed, the marking first (it must show in full). */
static void make_page_header(csp_wb_ctx *c)
{
    const char *title = c->tpl->title ? c->tpl->title : "";
    const char *marking = c->marking ? c->marking : "";
    size_t o = 0, chars = 0;
    const size_t room = LXW_HEADER_FOOTER_MAX - 8;
    char *mark = NULL;
    if (*marking) {
        /* The marking in bold, before the title is cut to what is left. */
        static const char centre[] = "&C&\"-,Bold\"";
        memcpy(c->header, centre, sizeof centre - 1);
        o = chars = sizeof centre - 1;
        header_add(c, &o, &chars, room - 4, marking);
        mark = csp_strndup(c->header, o);
        if (!mark) {
            csp_wb_nomem(c);
            return;
        }
    }
    size_t mark_len = o, mark_chars = chars;
    o = 2;
    chars = 2 + mark_chars;
    memcpy(c->header, "&L", 2);
    header_add(c, &o, &chars, room, title);
    if (mark) {
        memcpy(c->header + o, mark, mark_len);
        o += mark_len;
        free(mark);
    }
    memcpy(c->header + o, "&R&A", 5);
}

/* Which figures were revised since the previous pack: c->revised[i] for
 * ds->figures[i]; NULL when none were. */
static void mark_revised(csp_wb_ctx *c)
{
    const csp_dataset *ds = c->ds;
    if (!ds->nrevisions || !ds->nfigures)
        return;
    if (!(c->revised = csp_calloc(ds->nfigures, sizeof *c->revised))) {
        csp_wb_nomem(c);
        return;
    }
    for (size_t i = 0; i < ds->nrevisions; i++) {
        const csp_figure *f = ds->revisions[i].figure;
        if (f && f >= ds->figures && f < ds->figures + ds->nfigures)
            c->revised[f - ds->figures] = true;
    }
}

/* Document properties from the template; dated by the data. */
static void set_properties(csp_wb_ctx *c)
{
    const csp_template *tpl = c->tpl;
    char subject[256], comments[256], keywords[256];
    csp_period p;
    if (csp_pack_default_period(c->ds, &p)) {
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(p, label);
        snprintf(subject, sizeof subject,
                 "Board pack workbook: figures and action plan progress to "
                 "%s",
                 label);
    } else {
        snprintf(subject, sizeof subject, "Board pack workbook");
    }
    size_t counted = 0;
    for (size_t i = 0; i < c->ds->nfiles; i++)
        counted += c->ds->files[i].duplicate_of == CSP_NO_INDEX;
    /* Keywords are lower case ("community safety partnership, ..."). */
    snprintf(keywords, sizeof keywords,
             "%s partnership, board pack, performance, action plan",
             csp_template_label(tpl, CSP_LABEL_CATEGORY));
    if (keywords[0] >= 'A' && keywords[0] <= 'Z')
        keywords[0] = (char)(keywords[0] - 'A' + 'a');
    snprintf(comments, sizeof comments,
             "Made by csppack from %zu partner submission%s.", counted,
             counted == 1 ? "" : "s");
    csp_instant when = csp_pack_timestamp(c->ds);
    lxw_doc_properties props = {
        .title = csp_wb_mut(tpl->title),
        .subject = subject,
        .author = csp_wb_mut(tpl->partnership),
        .company = csp_wb_mut(tpl->partnership),
        .category = csp_wb_mut(csp_template_label(tpl, CSP_LABEL_CATEGORY)),
        .keywords = keywords,
        .comments = comments,
        /* 0 would mean "now" to libxlsxwriter: never the clock. */
        .created = when.seconds > 0 ? (time_t)when.seconds : (time_t)1,
    };
    csp_wb_fail(c, workbook_set_properties(c->wb, &props),
                "setting the document properties");
}

/* Write the workbook: every sheet, in order, then the zip. */
csp_error csp_workbook_write(const csp_dataset *ds, const char *path,
                             const csp_workbook_options *opt,
                             csp_workbook_result *res, csp_why *why)
{
    csp_workbook_result dummy;
    csp_workbook_options defaults;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    if (!opt) {
        csp_workbook_options_init(&defaults);
        opt = &defaults;
    }
    if (!ds || !path || !ds->reconciled || !ds->tpl) {
        csp_why_set(why, "the dataset is not reconciled");
        return CSP_ERR_USAGE;
    }
    if (opt->max_rows < HDR + 2 || opt->max_rows > CSP_WORKBOOK_MAX_ROWS) {
        csp_why_set(why, "rows per sheet must be from %d to %zu",
                    (int)HDR + 2, CSP_WORKBOOK_MAX_ROWS);
        return CSP_ERR_USAGE;
    }

    /* libxlsxwriter prints numbers with the C library: in a comma-decimal
     * locale the XML would say 1,5 and the file be corrupt.  Work in the
     * C locale, for this thread only, whatever the process uses. */
    locale_t cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!cloc) {
        csp_why_set(why, "out of memory");
        return CSP_ERR_NOMEM;
    }
    locale_t saved = uselocale(cloc);

    csp_wb_ctx c = {.ds = ds,
                    .tpl = ds->tpl,
                    .max_rows = opt->max_rows,
                    .progress_budget = opt->progress_budget,
                    .max_comments = opt->max_comments,
                    .res = res,
                    .why = why};
    c.has_period = opt->has_period;
    c.period = opt->period;
    if (!c.has_period)
        c.has_period = csp_pack_default_period(ds, &c.period);
    c.marking = opt->marking && *opt->marking ? opt->marking
                                              : ds->tpl->marking;
    csp_kf kf;
    memset(&kf, 0, sizeof kf);
    char *tmpdir = NULL;
    csp_error kerr = csp_kf_build(ds, &kf);
    if (kerr != CSP_OK) {
        c.err = kerr;
        csp_why_set(why, "building the key findings: %s", csp_strerror(kerr));
        goto out;
    }
    /* libxlsxwriter's temporary files (a streamed sheet's rows, and each
     * part as the workbook is closed) go beside the workbook: the caller
     * chose that folder for it, it has room for the workbook, and unlike
     * /tmp it is not memory on some systems.  libxlsxwriter removes each
     * file as soon as it has opened it, so none is left behind whatever
     * happens; it falls back to TMPDIR, then /tmp, if it cannot create
     * one there. */
    const char *slash = strrchr(path, '/');
    tmpdir = slash ? csp_strndup(path, (size_t)(slash - path) + (slash == path))
                   : csp_strdup(".");
    if (!tmpdir) {
        csp_wb_nomem(&c);
        goto out;
    }
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = tmpdir};
    c.wb = workbook_new_opt(path, &wo);
    if (!c.wb) {
        csp_wb_nomem(&c);
        goto out;
    }
    make_page_header(&c);
    mark_revised(&c);
    set_properties(&c);
    csp_wb_make_formats(&c);
    csp_wb_sheet_about(&c);
    csp_wb_sheet_key_findings(&c, &kf);
    csp_wb_sheet_indicators(&c);
    csp_wb_sheet_data(&c);
    csp_wb_sheet_action_plan(&c);
    csp_wb_sheet_action_history(&c);
    csp_wb_sheet_returns(&c);
    csp_wb_sheet_revisions(&c);
    csp_wb_sheet_submissions(&c);
    csp_wb_sheet_discrepancies(&c);
    csp_wb_sheet_trends(&c, &kf);
    /* After a failure, free the workbook without writing it: assembling
     * a workbook that is missing a part is where libxlsxwriter crashes
     * (the caller removes the file). */
    if (c.err != CSP_OK) {
        lxw_workbook_free(c.wb);
        c.wb = NULL;
        goto out;
    }
    lxw_error e = workbook_close(c.wb);
    c.wb = NULL;
    csp_wb_fail(&c, e, "writing the workbook");
    /* libxlsxwriter ignores what fclose says: a disk that fills up during
     * the last flush would go unnoticed.  A complete zip ends with its
     * end-of-central-directory record; check that it is there. */
    if (c.err == CSP_OK && !csp_workbook_file_complete(path)) {
        c.err = CSP_ERR_IO;
        csp_why_set(why, "writing the workbook: the file is incomplete");
    }

out:
    free(c.revised);
    free(tmpdir);
    csp_kf_free(&kf);
    uselocale(saved);
    freelocale(cloc);
    return c.err;
}

