/* csppack: the workbook's figure cells, with their provenance in a
 * comment (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/strbuf.h"
#include "csppack/base/utf8.h"

/* A comment is built up to this many bytes: enough for more than a
 * cell's worth of characters, so that cutting it is always marked. */
#define COMMENT_CAP (4 * (size_t)CSP_WORKBOOK_MAX_CELL + 64)

/* Append as much of @p s as fits under the comment cap, at a character
 * boundary.  False when memory ran out. */
static bool cb_add(csp_strbuf *sb, const char *s)
{
    size_t n = strlen(s), room = sb->max > sb->len ? sb->max - sb->len : 0;
    if (n > room)
        n = csp_utf8_floor(s, room);
    return n == 0 || csp_strbuf_add(sb, s, n) == CSP_OK;
}

/* Formatted, for our own short texts. */
__attribute__((format(printf, 2, 3))) static bool
cb_printf(csp_strbuf *sb, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    return cb_add(sb, b);
}

/* Where a claim or figure came from: "The Police, x.xml line 12,
 * submitted 2016-10-21T11:40:00+01:00". */
static bool cb_source(csp_wb_ctx *c, csp_strbuf *sb, const char *agency,
                      size_t file, unsigned long line, bool has_submitted,
                      csp_instant submitted)
{
    char when[CSP_INSTANT_BUFSZ] = "";
    if (has_submitted)
        csp_instant_format(submitted, when);
    bool ok = cb_add(sb, csp_wb_agency_name(c, agency));
    if (file < c->ds->nfiles) {
        ok = ok && cb_add(sb, ", ") && cb_add(sb, csp_wb_file_name(c, file));
        if (line)
            ok = ok && cb_printf(sb, " line %lu", line);
    }
    if (has_submitted)
        ok = ok && cb_printf(sb, ", submitted %s", when);
    return ok;
}

/* A value or, without one, the status ("missing", "withdrawn"). */
static void value_text(bool has_value, csp_decimal v, csp_obs_status st,
                       char b[CSP_DECIMAL_BUFSZ + 16])
{
    if (has_value)
        csp_decimal_format(v, b);
    else
        snprintf(b, CSP_DECIMAL_BUFSZ + 16, "%s", csp_obs_status_str(st));
}

/* What a template rule computes, in words. */
static bool cb_rule(csp_wb_ctx *c, csp_strbuf *sb, const csp_figure *f)
{
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    const char *in0 = ind->ninputs > 0 ? ind->inputs[0] : "?";
    const char *in1 = ind->ninputs > 1 ? ind->inputs[1] : "?";
    const csp_figure_rule *rule = csp_dataset_figure_rule(c->ds, f);
    switch (ind->rule) {
    case CSP_RULE_SUM: {
        bool ok = cb_add(sb, "the sum of ");
        for (size_t i = 0; i < ind->ninputs && ok; i++)
            ok = cb_add(sb, i ? " + " : "") && cb_add(sb, ind->inputs[i]);
        return ok;
    }
    case CSP_RULE_RATE:
        return cb_printf(sb, "%s per 1,000 of a population of %lld", in0,
                         rule ? (long long)rule->population : 0LL);
    case CSP_RULE_SHARE:
        return cb_printf(sb, "%s as a percentage of %s", in0, in1);
    case CSP_RULE_NONE:
        break;
    }
    return cb_add(sb, "the template's rule");
}

/* The comment of a figure cell: what stands, its note, where it came
 * from, and every other claim for the key. */
static char *figure_comment(csp_wb_ctx *c, const csp_figure *f, size_t *lines)
{
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    char label[CSP_LABEL_BUFSZ], v[CSP_DECIMAL_BUFSZ + 16];
    csp_strbuf sb;
    csp_strbuf_init(&sb, COMMENT_CAP);
    csp_period_label(f->period, label);
    bool ok = cb_add(&sb, ind->name) && cb_add(&sb, " \xe2\x80\x93 ") &&
              cb_add(&sb, csp_wb_area_name(c, f->area)) &&
              cb_printf(&sb, ", %s\n", label);
    size_t others = 0;
    if (f->state == CSP_FIGURE_STANDS) {
        value_text(f->has_value, f->value, f->status, v);
        if (f->computed) {
            ok = ok && cb_printf(&sb, "%s, computed by csppack as ", v) &&
                 cb_rule(c, &sb, f) && cb_add(&sb, "\n");
        } else {
            if (f->has_value)
                ok = ok && cb_printf(&sb, "%s (%s) from ", v,
                                     csp_figure_status_str(f));
            else
                ok = ok && cb_add(&sb, "No figure: reported missing by ");
            ok = ok &&
                 cb_source(c, &sb, f->agency, f->file, f->line,
                           f->has_submitted, f->submitted) &&
                 cb_add(&sb, "\n");
            const char *owner = csp_indicator_owner(ind, f->area);
            if (owner && f->agency && strcmp(owner, f->agency) != 0)
                ok = ok && cb_add(&sb, "Not from the source of record, ") &&
                     cb_add(&sb, csp_wb_agency_name(c, owner)) &&
                     cb_add(&sb, " (see Discrepancies).\n");
        }
        if (f->note && *f->note)
            ok = ok && cb_add(&sb, "Note: ") && cb_add(&sb, f->note) &&
                 cb_add(&sb, "\n");
        for (size_t i = 0; i < f->nclaims; i++)
            others += i != f->claim;
    } else if (f->state == CSP_FIGURE_DISPUTED) {
        ok = ok && cb_add(&sb, "Disputed: the partners' figures are not "
                               "consistent, so none stands (see "
                               "Discrepancies).\n");
        others = f->nclaims;
    } else {
        ok = ok && cb_add(&sb, "No figure stands: every claim was withdrawn "
                               "or refused as a conflict.\n");
        others = f->nclaims;
    }
    if (others) {
        ok = ok && cb_add(&sb, f->state == CSP_FIGURE_STANDS ? "Other claims:\n"
                                                             : "Claims:\n");
        const csp_claim *claims = csp_dataset_claims(c->ds, f);
        for (size_t i = 0; i < f->nclaims && ok; i++) {
            const csp_claim *cl = &claims[i];
            if (f->state == CSP_FIGURE_STANDS && i == f->claim)
                continue;
            value_text(cl->has_value, cl->value, cl->status, v);
            ok = cb_printf(&sb, "\xe2\x80\xa2 %s (%s) from ", v,
                           csp_claim_role_str(cl->role)) &&
                 cb_source(c, &sb, cl->agency, cl->file, cl->line, true,
                           cl->submitted) &&
                 cb_add(&sb, "\n");
        }
    }
    if (!ok) {
        csp_strbuf_free(&sb);
        csp_wb_nomem(c);
        return NULL;
    }
    /* Drop the last newline; count lines (wrapped at ~50 characters) for
     * the comment box's height. */
    if (sb.len && sb.data[sb.len - 1] == '\n')
        sb.data[--sb.len] = '\0';
    size_t n = 1, col = 0;
    for (const char *p = csp_strbuf_str(&sb); *p;
         p += csp_workbook_char_len(p)) {
        if (*p == '\n' || ++col == 50) {
            n++;
            col = 0;
        }
    }
    *lines = n;
    char *s = csp_strbuf_take(&sb);
    if (!s)
        csp_wb_nomem(c);
    return s;
}

/* Write the comment of figure @p f at (r, col). */
static void put_figure_comment(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                               lxw_col_t col, const csp_figure *f)
{
    size_t lines = 1;
    if (c->no_figure_comments)
        return;
    char *s = c->err ? NULL : figure_comment(c, f, &lines);
    if (!s)
        return;
    bool cut = false;
    char *t = csp_workbook_cell_text(s, CSP_WORKBOOK_MAX_CELL,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    free(s);
    if (!t) {
        csp_wb_nomem(c);
        return;
    }
    if (cut)
        c->res->truncated++;
    double h = (double)lines * 15.0 / 74.0;
    lxw_comment_options o = {.x_scale = 2.8,
                             .y_scale = h < 1.0 ? 1.0 : h > 12.0 ? 12.0 : h};
    csp_wb_fail(c, worksheet_write_comment_opt(ws, r, col, t, &o),
                "writing a comment");
    free(t);
}

/*
 * A figure cell: the value (with "p"/"e", and "†" for a figure csppack
 * worked out, in its number format, and a colour) when one stands; "–"
 * when it stands as missing; "disputed" when disputed; empty when
 * nothing stands.  Its provenance is in the cell's comment.  NULL:
 * nothing at all.  A figure csppack worked out is noted in @p lg, the
 * legend of its table, when there is one.  Returns the width.
 */
size_t csp_wb_put_figure(csp_wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                         lxw_col_t col, const csp_figure *f, csp_kf_legend *lg)
{
    if (!f || c->err)
        return 0;
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    size_t w = 0;
    if (f->state == CSP_FIGURE_STANDS && f->has_value) {
        int kind = f->status == CSP_OBS_PROVISIONAL  ? FIG_PROVISIONAL
                   : f->status == CSP_OBS_ESTIMATED ? FIG_ESTIMATED
                                                    : FIG_FINAL;
        csp_figure_origin o = csp_dataset_figure_origin(c->ds, f, NULL);
        bool mine = o == CSP_ORIGIN_COMPUTED || o == CSP_ORIGIN_REPLACED;
        if (mine && lg)
            csp_kf_legend_note(lg, c->ds, f);
        unsigned dec = ind->decimals > f->value.scale ? ind->decimals
                                                      : f->value.scale;
        csp_wb_put_num(c, ws, r, col, csp_wb_double(f->value),
                       csp_wb_fig_format(c, kind, mine, dec));
        char b[CSP_DECIMAL_BUFSZ];
        csp_decimal_format(f->value, b);
        w = strlen(b) + (dec - f->value.scale) +
            (dec > 0 && f->value.scale == 0) + (kind != FIG_FINAL ? 2 : 0) +
            (mine ? 2 : 0);
    } else if (f->state == CSP_FIGURE_STANDS) {
        w = csp_wb_put_text(c, ws, r, col, "\xe2\x80\x93",
                            csp_wb_fig_format(c, FIG_MISSING, false, 0));
    } else if (f->state == CSP_FIGURE_DISPUTED) {
        w = csp_wb_put_text(c, ws, r, col, "disputed",
                            csp_wb_fig_format(c, FIG_DISPUTED, false, 0));
    }
    put_figure_comment(c, ws, r, col, f);
    return w;
}
