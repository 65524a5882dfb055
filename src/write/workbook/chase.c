/* csppack: the workbook's Returns sheet (what each partner owes for the
 * board pack's period and has not sent) and Revisions sheet (what
 * changed since the previous pack) (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/reconcile/returns.h"

/* The Returns sheet's explanation: the period, how many agencies owe
 * something, and those that sent nothing at all, by name.  NULL when
 * memory ran out. */
static char *returns_intro(csp_wb_ctx *c, const csp_returns *r)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, (size_t)1 << 16);
    char label[CSP_LABEL_BUFSZ];
    bool ok = true;
    if (!c->has_period) {
        ok = csp_strbuf_puts(&sb, "No board pack period (no figure was "
                                  "submitted): nothing is due.") == CSP_OK;
        goto out;
    }
    csp_period_label(r->period, label);
    if (r->outstanding == 0)
        ok = csp_strbuf_printf(&sb,
                               "Everything due for %s has been received: "
                               "one row per agency that owes a return.",
                               label) == CSP_OK;
    else
        ok = csp_strbuf_printf(
                 &sb,
                 "What each agency owes for %s and has not sent: %zu "
                 "agenc%s with returns outstanding. One row per figure or "
                 "action update due and not received; an agency with "
                 "nothing outstanding has one row.",
                 label, r->outstanding,
                 r->outstanding == 1 ? "y" : "ies") == CSP_OK;
    size_t none = 0;
    for (size_t i = 0; i < r->nagencies && ok; i++) {
        const csp_agency_returns *a = &r->agencies[i];
        if (!a->sent_nothing)
            continue;
        ok = csp_strbuf_puts(&sb, none++ ? ", " : " Sent nothing at all: ") ==
                 CSP_OK &&
             csp_strbuf_puts(&sb, a->agency->name) == CSP_OK;
    }
    if (ok && none)
        ok = csp_strbuf_puts(&sb, ".") == CSP_OK;
out:
    if (!ok) {
        csp_strbuf_free(&sb);
        return NULL;
    }
    return csp_strbuf_take(&sb);
}

/* One row of the Returns sheet: the agency's columns. */
static void returns_agency(csp_wb_tab *t, const csp_agency_returns *a)
{
    csp_wb_tab_text(t, 0, a->agency->name, t->c->wrap);
    csp_wb_tab_text(t, 1, a->sent_nothing ? "yes" : "no",
                    a->sent_nothing ? t->c->refused : t->c->center);
}

/* Returns: the chase list of the board pack's period
 * (csp_returns_compute). */
void csp_wb_sheet_returns(csp_wb_ctx *c)
{
    static const csp_wb_col cols[] = {
        {"Agency", 14, 30, false},   {"Sent nothing", 8, 9, false},
        {"Due", 10, 14, false},      {"Item", 30, 60, false},
        {"Area", 8, 16, false},      {"Period", 10, 16, false},
        {"Status", 14, 18, false},   {"Indicator or ref", 8, 30, true},
    };
    csp_returns r;
    memset(&r, 0, sizeof r);
    char *intro = NULL;
    csp_wb_tab t = {.c = c,
                    .sheet = "Returns",
                    .table_name = "Returns",
                    .title = "Returns outstanding"};
    if (c->err)
        return;
    if (c->has_period) {
        csp_error e = csp_returns_compute(c->ds, c->period, &r);
        if (e != CSP_OK) {
            csp_wb_nomem(c);
            return;
        }
    }
    if (!(t.intro = intro = returns_intro(c, &r))) {
        csp_wb_nomem(c);
        goto out;
    }
    if (!csp_wb_tab_columns(&t, cols, sizeof cols / sizeof *cols))
        goto out;
    for (size_t i = 0; i < r.nagencies && !c->err; i++) {
        const csp_agency_returns *a = &r.agencies[i];
        char label[CSP_LABEL_BUFSZ], text[96];
        if (a->nfigures == 0 && a->nactions == 0) {
            if (!csp_wb_tab_row(&t))
                break;
            returns_agency(&t, a);
            csp_wb_tab_text(&t, 2, "all", c->text);
            snprintf(text, sizeof text,
                     "%zu figure%s and %zu action update%s due: all received",
                     a->figures_due, a->figures_due == 1 ? "" : "s",
                     a->actions_due, a->actions_due == 1 ? "" : "s");
            csp_wb_tab_text(&t, 3, text, c->wrap);
            csp_period_label(r.period, label);
            csp_wb_tab_text(&t, 5, label, c->text);
            csp_wb_tab_text(&t, 6, "nothing outstanding", c->text);
            continue;
        }
        for (size_t k = 0; k < a->nfigures && !c->err; k++) {
            const csp_owed_figure *o = &a->figures[k];
            if (!csp_wb_tab_row(&t))
                break;
            returns_agency(&t, a);
            csp_wb_tab_text(&t, 2, "figure", c->text);
            csp_wb_tab_text(&t, 3, o->indicator->name, c->wrap);
            csp_wb_tab_text(&t, 4, csp_wb_area_name(c, o->area), c->text);
            csp_period_label(o->period, label);
            csp_wb_tab_text(&t, 5, label, c->text);
            csp_wb_tab_text(&t, 6,
                            o->sent_missing ? "sent as missing"
                                            : "not received",
                            c->text);
            csp_wb_tab_text(&t, 7, o->indicator->id, c->text);
        }
        for (size_t k = 0; k < a->nactions && !c->err; k++) {
            const csp_action *act = a->actions[k].action;
            if (!csp_wb_tab_row(&t))
                break;
            returns_agency(&t, a);
            csp_wb_tab_text(&t, 2, "action update", c->text);
            size_t n = strlen(act->ref) + strlen(act->text) + 16;
            char *item = csp_malloc(n);
            if (!item) {
                csp_wb_nomem(c);
                break;
            }
            snprintf(item, n, "Action %s: %s", act->ref, act->text);
            csp_wb_tab_text(&t, 3, item, c->wrap);
            free(item);
            csp_period_label(r.period, label);
            csp_wb_tab_text(&t, 5, label, c->text);
            csp_wb_tab_text(&t, 6, "not received", c->text);
            csp_wb_tab_text(&t, 7, act->ref, c->text);
        }
    }
    csp_wb_tab_end(&t);
out:
    csp_wb_tab_free(&t);
    free(intro);
    csp_returns_free(&r);
}

/* A previous figure's value, or what stood instead. */
static void old_value(csp_wb_tab *t, lxw_col_t col, const csp_prev_figure *o,
                      unsigned decimals)
{
    if (o->has_value && !o->disputed) {
        csp_wb_tab_decimal(t, col, o->value, decimals);
    } else {
        csp_wb_tab_text(t, col,
                        o->disputed ? "disputed"
                                    : csp_obs_status_str(o->status),
                        t->c->text);
    }
}

/* The figure that stands now, or what stands instead. */
static void new_value(csp_wb_tab *t, lxw_col_t col, const csp_figure *f,
                      unsigned decimals)
{
    if (f && f->state == CSP_FIGURE_STANDS && f->has_value) {
        csp_wb_tab_decimal(t, col, f->value, decimals);
    } else {
        csp_wb_tab_text(t, col, f ? csp_figure_status_str(f) : "no figure",
                        t->c->text);
    }
}

/* The Revisions sheet's explanation: what it compares with, or that
 * there is nothing to compare with. */
static void revisions_intro(csp_wb_ctx *c, char *buf, size_t n)
{
    const csp_dataset *ds = c->ds;
    const csp_previous *p = ds->previous;
    char label[CSP_LABEL_BUFSZ] = "";
    if (!p) {
        snprintf(buf, n,
                 "No previous board pack to compare with: nothing is "
                 "marked as revised.");
        return;
    }
    if (p->has_period)
        csp_period_label(p->period, label);
    if (!ds->nrevisions && !ds->nstatus_changes)
        snprintf(buf, n,
                 "Nothing changed since the previous board pack%s%s%s: no "
                 "figure was revised and no action's status changed.",
                 *label ? " (" : "", label, *label ? ")" : "");
    else
        snprintf(buf, n,
                 "Changed since the previous board pack%s%s%s: %zu figure%s "
                 "revised (old and new value, who sent each, when and why) "
                 "and %zu action%s whose status changed.",
                 *label ? " (" : "", label, *label ? ")" : "",
                 ds->nrevisions, ds->nrevisions == 1 ? "" : "s",
                 ds->nstatus_changes, ds->nstatus_changes == 1 ? "" : "s");
}

/* Revisions: every figure revised and every action whose status changed
 * since the previous pack (ds->revisions, ds->status_changes). */
void csp_wb_sheet_revisions(csp_wb_ctx *c)
{
    enum { R_KIND, R_ITEM, R_AREA, R_PERIOD, R_OLD, R_NEW, R_OLD_BY,
           R_NEW_BY, R_SUBMITTED, R_NOTE, R_ID, R_COLS };
    static const csp_wb_col cols[R_COLS] = {
        [R_KIND] = {"Kind", 8, 14, false},
        [R_ITEM] = {"Indicator or action", 24, 60, false},
        [R_AREA] = {"Area", 8, 16, false},
        [R_PERIOD] = {"Period", 10, 16, false},
        [R_OLD] = {"Old", 8, 16, false},
        [R_NEW] = {"New", 8, 16, false},
        [R_OLD_BY] = {"Old from", 12, 30, false},
        [R_NEW_BY] = {"New from", 12, 30, false},
        [R_SUBMITTED] = {"Submitted (UTC)", 20, 20, false},
        [R_NOTE] = {"Note", 20, 60, false},
        [R_ID] = {"Indicator id or ref", 8, 30, true},
    };
    const csp_dataset *ds = c->ds;
    char intro[512];
    revisions_intro(c, intro, sizeof intro);
    csp_wb_tab t = {.c = c,
                    .sheet = "Revisions",
                    .table_name = "Revisions",
                    /* Grows with the history. */
                    .stream = true,
                    .title = "Revisions since the previous board pack",
                    .intro = intro};
    if (!csp_wb_tab_columns(&t, cols, R_COLS))
        return;
    for (size_t i = 0; i < ds->nrevisions && !c->err; i++) {
        const csp_revision *rv = &ds->revisions[i];
        const csp_indicator *ind = csp_template_indicator(c->tpl,
                                                          rv->indicator);
        unsigned dec = ind ? ind->decimals : 0;
        char label[CSP_LABEL_BUFSZ];
        if (!csp_wb_tab_row(&t))
            break;
        csp_wb_tab_text(&t, R_KIND, "figure", c->text);
        csp_wb_tab_text(&t, R_ITEM, ind ? ind->name : rv->indicator, c->wrap);
        csp_wb_tab_text(&t, R_AREA, csp_wb_area_name(c, rv->area), c->text);
        csp_period_label(rv->period, label);
        csp_wb_tab_text(&t, R_PERIOD, label, c->text);
        if (rv->old) {
            old_value(&t, R_OLD, rv->old, dec);
            if (rv->old->agency)
                csp_wb_tab_text(&t, R_OLD_BY,
                                csp_wb_agency_name(c, rv->old->agency),
                                c->wrap);
        }
        new_value(&t, R_NEW, rv->figure, dec);
        const csp_figure *f = rv->figure;
        if (f && f->state == CSP_FIGURE_STANDS) {
            csp_wb_tab_text(&t, R_NEW_BY, csp_wb_agency_name(c, f->agency),
                            c->wrap);
            if (f->has_submitted)
                csp_wb_tab_width(&t, R_SUBMITTED,
                                 csp_wb_put_instant(c, t.ws, t.row,
                                                    R_SUBMITTED,
                                                    f->submitted));
            csp_wb_tab_text(&t, R_NOTE, f->note, c->wrap);
        }
        csp_wb_tab_text(&t, R_ID, rv->indicator, c->text);
    }
    for (size_t i = 0; i < ds->nstatus_changes && !c->err; i++) {
        const csp_status_change *sc = &ds->status_changes[i];
        const csp_dataset_action *it = sc->item;
        if (!csp_wb_tab_row(&t))
            break;
        csp_wb_tab_text(&t, R_KIND, "action status", c->text);
        size_t n = strlen(it->ref) + strlen(it->action->text) + 16;
        char *item = csp_malloc(n);
        if (!item) {
            csp_wb_nomem(c);
            break;
        }
        snprintf(item, n, "Action %s: %s", it->ref, it->action->text);
        csp_wb_tab_text(&t, R_ITEM, item, c->wrap);
        free(item);
        if (sc->old && sc->old->has_status)
            csp_wb_tab_text(&t, R_OLD,
                            csp_workbook_status_label(sc->old->status),
                            c->status[sc->old->status < N_STATUS
                                          ? sc->old->status
                                          : 0]);
        else
            csp_wb_tab_text(&t, R_OLD, "no update", c->text);
        const csp_dataset_update *u = csp_dataset_action_current(it, 0);
        if (u) {
            csp_wb_tab_text(&t, R_NEW, csp_workbook_status_label(u->status),
                            c->status[u->status < N_STATUS ? u->status : 0]);
            csp_wb_tab_text(&t, R_NEW_BY, csp_wb_agency_name(c, u->agency),
                            c->wrap);
            csp_wb_tab_width(&t, R_SUBMITTED,
                             csp_wb_put_instant(c, t.ws, t.row, R_SUBMITTED,
                                                u->submitted));
        } else {
            csp_wb_tab_text(&t, R_NEW, "no update", c->text);
        }
        csp_wb_tab_text(&t, R_ID, it->ref, c->text);
    }
    csp_wb_tab_end(&t);
    csp_wb_tab_free(&t);
}
