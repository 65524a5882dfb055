/* csppack: the PDF report (board pack and strategy document). */
#include "csppack/write/pdf/report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/report_parts.h"

/* The neutral accent of sections that belong to no theme. */
static const csp_rgb accent_default = {0.16f, 0.23f, 0.30f};

/* The word for a kind, as --kind takes it. */
const char *csp_report_kind_str(csp_report_kind kind)
{
    return kind == CSP_REPORT_STRATEGY ? "strategy" : "board";
}

/* The kind a word names. */
bool csp_report_kind_parse(const char *s, csp_report_kind *out)
{
    if (strcmp(s, "board") == 0)
        *out = CSP_REPORT_BOARD;
    else if (strcmp(s, "strategy") == 0)
        *out = CSP_REPORT_STRATEGY;
    else
        return false;
    return true;
}

/* Lay out and write. */
csp_error csp_report_render(const csp_dataset *ds, csp_report_kind kind,
                            const csp_report_options *opt, FILE *out,
                            csp_why *why)
{
    csp_error err = CSP_OK;
    csp_rep r;
    memset(&r, 0, sizeof r);
    csp_why_clear(why);
    if (opt && opt->doc)
        *opt->doc = NULL;
    if (!ds || !ds->reconciled || !out) {
        csp_why_set(why, "the dataset is not reconciled");
        return CSP_ERR_USAGE;
    }
    csp_doc *doc = NULL;
    r.ds = ds;
    r.tpl = ds->tpl;
    r.html_name =
        opt && opt->html_name && opt->html_name[0] ? opt->html_name : NULL;
    r.kind = kind;
    r.accent = accent_default;
    r.theme_rgb =
        csp_calloc(r.tpl->nthemes ? r.tpl->nthemes : 1, sizeof *r.theme_rgb);
    if (!r.theme_rgb) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < r.tpl->nthemes; i++)
        if (!csp_rgb_parse(r.tpl->themes[i].colour, &r.theme_rgb[i]))
            r.theme_rgb[i] = r.accent;
    /* The board pack's period (given, or as reconciliation chose it);
     * the key findings are of the years ending by its end, and the yearly
     * document is about the latest of them.  Either document shows
     * nothing dated after its period. */
    if (opt && opt->has_period) {
        r.period = opt->period;
        r.has_period = true;
    } else {
        r.has_period = csp_pack_default_period(ds, &r.period);
    }
    if ((err = csp_kf_build_until(ds, r.has_period ? r.period.end : INT32_MAX,
                                  &r.kf)) != CSP_OK)
        goto out;
    if (kind == CSP_REPORT_STRATEGY && !(opt && opt->has_period) &&
        r.kf.nperiods > 0) {
        r.period = r.kf.periods[r.kf.nperiods - 1];
        r.has_period = true;
    }
    r.cutoff = r.has_period;
    char label[CSP_LABEL_BUFSZ] = "", phrase[CSP_LABEL_BUFSZ] = "";
    if (r.has_period) {
        csp_kf_label(&r.kf, r.period, label);
        csp_kf_phrase(&r.kf, r.period, phrase);
    }
    const char *what =
        kind == CSP_REPORT_BOARD ? "Board pack" : "Annual report";
    /* The title is what a viewer's window and a browser's tab show: the
     * yearly document's period in words ("year ending 30 September
     * 2016", "2020/21"), not the tables' short label ("YE Sept 16"). */
    const char *when = label;
    if (kind == CSP_REPORT_STRATEGY)
        when = csp_rep_no_article(phrase);
    char *title = r.has_period
                      ? csp_rep_fmt(&r, "%s: %s, %s", r.tpl->title, what, when)
                      : csp_rep_fmt(&r, "%s: %s", r.tpl->title, what);
    char *subject = r.has_period ? csp_rep_fmt(&r, "%s of the %s for %s", what,
                                               r.tpl->partnership, phrase)
                                 : csp_rep_fmt(&r, "%s of the %s", what,
                                               r.tpl->partnership);
    char *keywords = csp_rep_fmt(
        &r, "%s; %s; %s", csp_template_label(r.tpl, CSP_LABEL_CATEGORY),
        kind == CSP_REPORT_BOARD ? "board pack" : "strategy", r.tpl->id);
    /* Keywords are lower case ("community safety; strategy; ..."). */
    if (keywords && keywords[0] >= 'A' && keywords[0] <= 'Z')
        keywords[0] = (char)(keywords[0] - 'A' + 'a');
    /* A loose page of the board pack says what it is from and when. */
    const char *pack = csp_template_label(r.tpl, CSP_LABEL_BOARD_PACK);
    char *running = kind == CSP_REPORT_BOARD && r.has_period
                        ? csp_rep_fmt(&r, "%s \xE2\x80\x93 %s", pack, label)
                        : NULL;
    if (r.err) {
        err = r.err;
        free(title);
        free(subject);
        free(keywords);
        free(running);
        goto out;
    }
    /* The content as a document, for the HTML version: the same
     * information as the PDF's. */
    if (opt && opt->doc) {
        doc = csp_doc_new();
        if (!doc) {
            err = CSP_ERR_NOMEM;
            goto meta_out;
        }
        csp_doc_set_meta(
            doc, &(csp_doc_meta){.title = title,
                                 .author = (char *)r.tpl->partnership,
                                 .subject = subject,
                                 .keywords = keywords,
                                 .lang = (char *)"en-GB",
                                 .marking =
                                     (char *)(kind != CSP_REPORT_BOARD ? NULL
                                              : opt->marking ? opt->marking
                                                             : r.tpl->marking),
                                 .footer = (char *)r.tpl->partnership,
                                 .accent = r.accent,
                                 .created = csp_pack_timestamp(ds)});
    }
    csp_layout_setup setup = {
        .font_regular = opt ? opt->font_regular : NULL,
        .font_bold = opt ? opt->font_bold : NULL,
        .title = title,
        .author = r.tpl->partnership,
        .subject = subject,
        .keywords = keywords,
        .creator = "csppack",
        .created = csp_pack_timestamp(ds),
        .running_title = running                    ? running
                         : kind == CSP_REPORT_BOARD ? pack
                                                    : r.tpl->title,
        .footer_left = r.tpl->partnership,
        /* The board's papers carry the marking; the strategy document
         * is the published one. */
        .marking = kind != CSP_REPORT_BOARD ? NULL
                   : opt && opt->marking    ? opt->marking
                                            : r.tpl->marking,
        .accent = r.accent,
        .doc = doc,
        .archive = opt && opt->archive,
    };
    err = csp_layout_new(&setup, &r.L, why);
    free(title);
    free(subject);
    free(keywords);
    free(running);
    if (err)
        goto out;
    if (kind == CSP_REPORT_STRATEGY)
        csp_rep_strategy_doc(&r);
    else
        csp_rep_board_doc(&r);
    if (r.err) {
        err = r.err;
        goto out;
    }
    err = csp_layout_finish(r.L, out, why);
    if (!err && doc && csp_doc_error(doc)) {
        csp_why_set(why, "out of memory");
        err = csp_doc_error(doc);
    }
    if (!err && doc) {
        *opt->doc = doc;
        doc = NULL;
    }
    goto out;
meta_out:
    free(title);
    free(subject);
    free(keywords);
    free(running);
out:
    csp_doc_free(doc);
    csp_layout_free(r.L);
    csp_kf_free(&r.kf);
    free(r.theme_rgb);
    return err;
}

/* Write into path, all or nothing. */
