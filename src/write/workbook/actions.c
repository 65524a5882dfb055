/* csppack: the workbook's Action plan and Action history sheets
 * (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* The Status column of the Action plan: the five statuses as a list, and
 * each coloured by a conditional format (so that a status chosen by hand
 * is coloured too). */
static void action_plan_finish(csp_wb_tab *t, lxw_row_t first, lxw_row_t last)
{
    enum { STATUS_COL = 4 };
    static const csp_action_status order[N_STATUS] = {
        CSP_ACT_ON_TRACK, CSP_ACT_AT_RISK, CSP_ACT_OFF_TRACK, CSP_ACT_COMPLETE,
        CSP_ACT_NOT_STARTED};
    static const char *const words[N_STATUS] = {
        [CSP_ACT_COMPLETE] = "Complete",
        [CSP_ACT_NOT_STARTED] = "Not started",
        [CSP_ACT_ON_TRACK] = "On track",
        [CSP_ACT_AT_RISK] = "At risk",
        [CSP_ACT_OFF_TRACK] = "Off track"};
    csp_wb_ctx *c = t->c;
    char *list[N_STATUS + 1];
    for (int i = 0; i < N_STATUS; i++)
        list[i] = csp_wb_mut(csp_workbook_status_label(order[i]));
    list[N_STATUS] = NULL;
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .value_list = list,
        .input_title = csp_wb_mut("Status"),
        .input_message = csp_wb_mut("Choose one of the five statuses."),
        .error_type = LXW_VALIDATION_ERROR_TYPE_WARNING,
        .error_title = csp_wb_mut("Status"),
        .error_message = csp_wb_mut("The status is not one of the five in the "
                                    "list.")};
    csp_wb_fail(c,
                worksheet_data_validation_range(t->ws, first, STATUS_COL, last,
                                                STATUS_COL, &dv),
                "adding the status list");
    for (int i = 0; i < N_STATUS && !c->err; i++) {
        lxw_conditional_format cf = {
            .type = LXW_CONDITIONAL_TYPE_TEXT,
            .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING,
            .value_string = csp_wb_mut(words[order[i]]),
            .format = c->cond[order[i]]};
        csp_wb_fail(c,
                    worksheet_conditional_format_range(t->ws, first, STATUS_COL,
                                                       last, STATUS_COL, &cf),
                    "adding a status colour");
    }
}

/* The Action plan: every item of the template with its current status. */
void csp_wb_sheet_action_plan(csp_wb_ctx *c)
{
    /* At most 199 characters across, with the columns' padding: the
     * sheet a board member prints fits the width of the page at 8-point
     * text or larger (csp_wb_page_fit); long text wraps instead. */
    const csp_dataset *ds = c->ds;
    const csp_template *tpl = c->tpl;
    const csp_wb_col cols[] = {
        {csp_template_label(tpl, CSP_LABEL_ACTION_REF), 5, 8, false},
        {"Action", 30, 40, false},
        {csp_template_label(tpl, CSP_LABEL_SHEET_ACTION_GROUP), 14, 18, false},
        {csp_template_label(tpl, CSP_LABEL_SHEET_PRIORITY), 14, 18, false},
        {"Status", 14, 16, false},
        {"As of", 11, 12, false},
        {"Latest progress", 30, 50, false},
        {"Updated by", 14, 18, false},
        {csp_template_label(tpl, CSP_LABEL_THEME_KICKER), 12, 12, false},
    };
    csp_wb_tab t = {.c = c,
                    .sheet = "Action plan",
                    .table_name = "ActionPlan",
                    .title = "Action plan: progress by item",
                    .intro = "The current status of every item: the latest "
                             "update; where several agencies updated an item "
                             "for its latest date, a row for each, the one "
                             "that gives the item its status first (see "
                             "Action history for every update). "
                             "Status: \xe2\x97\x8f on track, \xe2\x96\xb2 at "
                             "risk, \xe2\x9c\x96 off track, \xe2\x9c\x94 "
                             "complete, \xe2\x97\x8b not started.",
                    .finish = action_plan_finish};
    if (!csp_wb_tab_columns(&t, cols, sizeof cols / sizeof *cols))
        return;
    for (size_t i = 0; i < ds->nactions && !c->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        const csp_action *act = a->action;
        /* A row per current update (a joint action has one per agency),
         * each a whole row, so that sorting and filtering keep it. */
        size_t n = a->ncurrent ? a->ncurrent : 1;
        for (size_t k = 0; k < n && !c->err; k++) {
            const csp_dataset_update *u = csp_dataset_action_current(a, k);
            if (!csp_wb_tab_row(&t))
                break;
            csp_wb_tab_text(&t, 0, a->ref, c->text);
            csp_wb_tab_text(&t, 1, act ? act->text : "", c->wrap);
            csp_wb_tab_text(&t, 2, act ? act->groups_label : "", c->wrap);
            csp_wb_tab_text(&t, 3, act ? act->priorities_label : "", c->wrap);
            if (u) {
                csp_wb_tab_text(&t, 4, csp_workbook_status_label(u->status),
                                c->text);
                csp_wb_tab_width(&t, 5,
                                 csp_wb_put_date(c, t.ws, t.row, 5, u->as_of));
                csp_wb_tab_progress(&t, 6, u, false);
                csp_wb_tab_text(&t, 7, csp_wb_agency_name(c, u->agency),
                                c->wrap);
            } else {
                csp_wb_tab_text(&t, 6, "(no update received)", c->note);
            }
            if (a->theme < tpl->nthemes)
                csp_wb_tab_text(&t, 8, tpl->themes[a->theme].title, c->wrap);
        }
    }
    csp_wb_tab_end(&t);
    csp_wb_tab_free(&t);
}

/* The Action history's progress budget: statements are shown whole, in
 * the sheet's order, while they fit in it; from the first that does not,
 * every statement longer than an excerpt is an excerpt. */
typedef struct history_budget {
    size_t limit;              /* options.progress_budget */
    size_t used;               /* bytes shown whole so far */
    bool spent;                /* a statement did not fit */
} history_budget;

/* Whether @p u's statement is shown as an excerpt; counts it in. */
static bool history_excerpt(history_budget *b, const csp_dataset_update *u)
{
    size_t len = u->progress_len;
    if (!b->spent && len <= b->limit - b->used) {
        b->used += len;
        return false;
    }
    b->spent = true;
    return len > CSP_WORKBOOK_EXCERPT;
}

/* The Action history's explanation, saying how many statements are
 * excerpts when the budget is spent (a new string, or NULL for want of
 * memory). */
static char *history_intro(csp_wb_ctx *c, size_t *excerpts)
{
    static const char every[] =
        "Every progress update of every item, oldest first; Current is yes "
        "on the updates shown on the Action plan (each agency's latest at "
        "the item's latest date).";
    const csp_dataset *ds = c->ds;
    history_budget b = {.limit = c->progress_budget};
    size_t n = 0, updates = 0;
    for (size_t i = 0; i < ds->nactions; i++)
        for (size_t k = 0; k < ds->actions[i].nupdates; k++) {
            n += history_excerpt(&b, &ds->actions[i].updates[k]);
            updates++;
        }
    *excerpts = n;
    if (n == 0)
        return csp_strdup(every);
    char budget[64];
    if (c->progress_budget % ((size_t)1 << 20) == 0)
        snprintf(budget, sizeof budget, "%zu MiB",
                 c->progress_budget >> 20);
    else
        snprintf(budget, sizeof budget, "%zu bytes", c->progress_budget);
    char text[1024];
    snprintf(text, sizeof text,
             "%s Progress text past the sheet's first %s: %zu of the %zu "
             "statements show their first %zu bytes, marked \"[excerpt: "
             "...]\"; the full text is in actions.csv and dataset.xml, and "
             "each item's current progress is whole on the Action plan.",
             every, budget, n, updates, CSP_WORKBOOK_EXCERPT);
    return csp_strdup(text);
}

/* Action history: every update of every item; past the progress budget
 * a long statement shows an excerpt, and the explanation says how many
 * (doc/workbook.md, "Action history"). */
void csp_wb_sheet_action_history(csp_wb_ctx *c)
{
    const csp_wb_col cols[] = {
        {csp_template_label(c->tpl, CSP_LABEL_ACTION_REF), 5, 8, false},
        {"As of", 11, 12, false},
        {"Status", 14, 16, false},
        {"Agency", 14, 30, false},
        {"Submitted (UTC)", 20, 20, false},
        {"Progress", 30, 80, false},
        {"Current", 8, 9, false},
        {"File", 12, 40, true},
    };
    const csp_dataset *ds = c->ds;
    size_t excerpts = 0;
    char *intro = history_intro(c, &excerpts);
    csp_wb_tab t = {.c = c,
                    .sheet = "Action history",
                    .table_name = "ActionHistory",
                    .stream = true,
                    .title = "Action history: every update",
                    .intro = intro};
    history_budget b = {.limit = c->progress_budget};
    if (!intro) {
        csp_wb_nomem(c);
        return;
    }
    if (!csp_wb_tab_columns(&t, cols, sizeof cols / sizeof *cols))
        goto out;
    for (size_t i = 0; i < ds->nactions && !c->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        for (size_t k = 0; k < a->nupdates && !c->err; k++) {
            const csp_dataset_update *u = &a->updates[k];
            if (!csp_wb_tab_row(&t))
                break;
            csp_wb_tab_text(&t, 0, u->ref ? u->ref : a->ref, c->text);
            csp_wb_tab_width(&t, 1,
                             csp_wb_put_date(c, t.ws, t.row, 1, u->as_of));
            csp_wb_tab_text(&t, 2, csp_workbook_status_label(u->status),
                            c->status[u->status < N_STATUS ? u->status : 0]);
            csp_wb_tab_text(&t, 3, csp_wb_agency_name(c, u->agency), c->wrap);
            csp_wb_tab_width(
                &t, 4, csp_wb_put_instant(c, t.ws, t.row, 4, u->submitted));
            bool excerpt = history_excerpt(&b, u);
            csp_wb_tab_progress(&t, 5, u, excerpt);
            c->res->excerpted += excerpt;
            csp_wb_tab_text(&t, 6, u->current ? "yes" : "no", c->center);
            csp_wb_tab_text(&t, 7, csp_wb_file_name(c, u->file), c->wrap);
        }
    }
    csp_wb_tab_end(&t);
out:
    csp_wb_tab_free(&t);
    free(intro);
}
