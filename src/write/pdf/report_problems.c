/* csppack: the board pack's data problems in plain words, and its data
 * quality section (the strategy document's is report_quality.c). */
#include "csppack/write/pdf/report_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/reconcile/lookup.h"
#include "csppack/write/common.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/table.h"

/* ---- One problem in plain words ------------------------------------------ */

/* The file of the dataset named by a diagnostic, or NULL. */
static const csp_dataset_file *diag_file(const csp_dataset *ds,
                                         const csp_diag *d)
{
    for (size_t i = 0; d->file && i < ds->nfiles; i++)
        if (ds->files[i].path && strcmp(ds->files[i].path, d->file) == 0)
            return &ds->files[i];
    return NULL;
}

/* "The Police's figure for the number of thefts in North
 * (July to September 2016)" without the owner's part: "the figure for
 * ..." when whose is NULL. */
static char *figure_phrase(csp_rep *r, const csp_diag *d, const char *whose)
{
    char when[CSP_LABEL_BUFSZ] = "";
    if (d->has_period)
        csp_rep_period_words(d->period, when);
    char *ind = csp_rep_lower_first(
        r, csp_rep_indicator_name(r->tpl, d->indicator));
    char *s = NULL;
    if (ind)
        s = csp_rep_fmt(r, "%s%s figure for %s%s%s%s%s%s", whose ? whose : "the",
                        whose ? "'s" : "", ind, d->area ? " in " : "",
                        d->area ? csp_rep_area_name(r->tpl, d->area) : "",
                        when[0] ? " (" : "", when, when[0] ? ")" : "");
    free(ind);
    return s;
}

/* The value an agency (or csppack) claimed in a diagnostic's values
 * "agency=value;agency=value", copied into buf; false when absent. */
static bool value_of(const csp_diag *d, const char *agency, char *buf,
                     size_t n)
{
    size_t al = strlen(agency);
    for (const char *p = d->values; p && *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > al && strncmp(p, agency, al) == 0 && p[al] == '=') {
            size_t vl = len - al - 1 < n - 1 ? len - al - 1 : n - 1;
            memcpy(buf, p + al + 1, vl);
            buf[vl] = '\0';
            return true;
        }
        p = end ? end + 1 : p + len;
    }
    return false;
}

/* The claims of a diagnostic's values in words, "North Council 6
 * and the Safety Group 11"; malloc'd. */
static char *claims_words(csp_rep *r, const csp_diag *d)
{
    csp_strbuf sb;
    csp_strbuf_init(&sb, 1 << 16);
    csp_error err = CSP_OK;
    size_t k = 0;
    for (const char *p = d->values; p && *p && !err; k++) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            char id[128];
            size_t il = (size_t)(eq - p) < sizeof id - 1 ? (size_t)(eq - p)
                                                         : sizeof id - 1;
            memcpy(id, p, il);
            id[il] = '\0';
            err = csp_strbuf_printf(&sb, "%s%s %.*s", k ? " and " : "",
                                    csp_rep_agency_name(r->tpl, id),
                                    (int)(len - (size_t)(eq - p) - 1), eq + 1);
        }
        p = end ? end + 1 : p + len;
    }
    char *s = err ? NULL : csp_strbuf_take(&sb);
    if (!s) {
        csp_strbuf_free(&sb);
        r->err = CSP_ERR_NOMEM;
    }
    return s;
}

/* What a code that refuses an item or a file says is wrong, in words. */
static const char *refusal_words(csp_diag_code c)
{
    switch (c) {
    case CSP_D_UNKNOWN_INDICATOR:
        return "it is for a measure the strategy does not have";
    case CSP_D_UNKNOWN_AREA:
        return "it is for an area the strategy does not have";
    case CSP_D_UNKNOWN_ACTION:
        return "it is for an action that is not in the plan";
    case CSP_D_NOT_A_NUMBER:
        return "its value is not a number";
    case CSP_D_NOT_WHOLE:
        return "a count has a fraction";
    case CSP_D_NEGATIVE:
        return "its value is below zero";
    case CSP_D_OVER_100:
        return "a percentage is above 100";
    case CSP_D_TOO_PRECISE:
        return "its value has too many digits";
    case CSP_D_VALUE_MISSING:
        return "it has no value";
    case CSP_D_VALUE_UNEXPECTED:
        return "it is marked missing but has a value";
    case CSP_D_BAD_PERIOD:
    case CSP_D_PERIOD_REVERSED:
        return "its period is not a valid pair of dates";
    case CSP_D_BAD_STATUS:
    case CSP_D_BAD_ACTION_STATUS:
        return "its status is not one the strategy knows";
    case CSP_D_BAD_AS_OF:
        return "its date is not valid";
    case CSP_D_EMPTY_PROGRESS:
        return "its progress statement is empty";
    case CSP_D_REPEATED_KEY:
        return "the same item is in the file twice";
    case CSP_D_TOO_LARGE:
        return "it is larger than the size limit";
    case CSP_D_COMPRESSED:
        return "it is compressed, not a plain submission";
    case CSP_D_EMPTY:
        return "it holds no submission";
    case CSP_D_STRATEGY:
        return "it is for another strategy";
    case CSP_D_NOT_XML:
    case CSP_D_ENCODING:
        return "it is damaged (not readable as a submission)";
    case CSP_D_DOCTYPE:
    case CSP_D_ROOT:
    case CSP_D_SCHEMA:
        return "it does not follow the submission format";
    case CSP_D_AGENCY:
        return "it is from an agency the strategy does not name";
    case CSP_D_SUBMITTED:
        return "its date of submission is not valid";
    case CSP_D_TOO_MANY:
    case CSP_D_TOO_MANY_ATTRS:
    case CSP_D_TEXT_PIECES:
    case CSP_D_TOO_MANY_MISC:
        return "it holds more than a submission may";
    case CSP_D_TEXT_TOO_LONG:
        return "a text in it is longer than allowed";
    case CSP_D_NOT_A_FILE:
    case CSP_D_BROKEN_LINK:
    case CSP_D_TOO_DEEP:
    case CSP_D_NOTHING_TO_READ:
    case CSP_D_READ:
        return "it could not be read";
    default:
        return "it is not a valid submission";
    }
}

/* Whether the figure a rule check is about stands as the partnership's
 * calculation (a rate or sum csppack worked out), rather than as sent
 * (a total checked against its quarters or areas). */
static bool calculation_stands(csp_rep *r, const csp_diag *d)
{
    if (!d->indicator || !d->area || !d->has_period)
        return true;
    const csp_figure *f =
        csp_dataset_figure(r->ds, d->indicator, d->area, d->period);
    return !f || csp_dataset_figure_origin(r->ds, f, NULL) != CSP_ORIGIN_PARTNER;
}

/*
 * One error or warning for the board: what is wrong, in a sentence with
 * no codes, file lines or ids (*what, malloc'd), who must act (*who: an
 * agency's name, or "The coordinator") and what they must do (*todo).
 * False for what the board need not see (information).
 */
static bool problem(csp_rep *r, const csp_diag *d, char **what,
                    const char **who, const char **todo)
{
    const csp_template *tpl = r->tpl;
    const csp_dataset_file *f = diag_file(r->ds, d);
    const char *agency_id = d->agency ? d->agency : f ? f->agency : NULL;
    const char *agency =
        agency_id ? csp_rep_agency_name(tpl, agency_id) : NULL;
    *what = NULL;
    *who = agency ? agency : "The coordinator";
    *todo = "correct it and send it again";
    if (csp_diag_severity(d->code) == CSP_SEV_INFO)
        return false;
    char when[CSP_DATE_WORDS_BUFSZ] = "";
    if (f && f->has_submitted) {
        csp_date_words(csp_rep_instant_date(f->submitted, NULL, NULL), false, when);
        csp_rep_nbsp_dates(when);
    }
    char *fig = NULL, *s = NULL;
    const char *owner_id =
        d->indicator && d->area
            ? csp_indicator_owner(csp_template_indicator(tpl, d->indicator),
                                  d->area)
            : NULL;
    const char *owner = owner_id ? csp_rep_agency_name(tpl, owner_id) : NULL;
    char v[64];
    switch (d->code) {
    case CSP_D_CHECK_FAILED:
        fig = figure_phrase(r, d, agency);
        if (fig && value_of(d, CSP_AGENCY_CSPPACK, v, sizeof v) &&
            !calculation_stands(r, d))
            /* A total checked against its parts (quarters, areas): the
             * figure sent stands. */
            s = csp_rep_fmt(r,
                            "%s does not agree with its parts, which add up "
                            "to %s; the figure sent is used.",
                            fig, v);
        else if (fig && value_of(d, CSP_AGENCY_CSPPACK, v, sizeof v))
            s = csp_rep_fmt(r,
                            "%s does not agree with the counts it is worked "
                            "out from; the partnership's calculation, %s, is "
                            "used.",
                            fig, v);
        else if (fig)
            s = csp_rep_fmt(r,
                            "%s does not agree with the counts it is worked "
                            "out from.",
                            fig);
        *todo = "check it and send it again";
        break;
    case CSP_D_NON_OWNER_DIFFERS:
        fig = figure_phrase(r, d, agency);
        if (fig)
            s = csp_rep_fmt(r, "%s differs from %s's, whose figure is used.",
                            fig, owner ? owner : "the owner");
        *todo = "agree the figure with its owner";
        break;
    case CSP_D_NOT_FROM_OWNER:
        fig = figure_phrase(r, d, NULL);
        if (fig)
            s = csp_rep_fmt(r, "%s%s is %s's: %s, who is responsible for it, "
                               "sent none.",
                            fig[0] == 't' ? "T" : "", fig[0] == 't' ? fig + 1
                                                                      : fig,
                            agency ? agency : "another partner",
                            owner ? owner : "the owner");
        *who = owner ? owner : *who;
        *todo = "send its figure";
        break;
    case CSP_D_DISPUTED:
    case CSP_D_CONFLICT: {
        fig = figure_phrase(r, d, NULL);
        char *cl = claims_words(r, d);
        if (fig && cl && d->code == CSP_D_DISPUTED)
            s = csp_rep_fmt(r,
                            "Partners disagree on %s (%s), so no figure is "
                            "shown.",
                            fig, cl);
        else if (fig && cl)
            s = csp_rep_fmt(r,
                            "%s sent different values for %s at the same "
                            "time (%s), so none is used.",
                            agency ? agency : "A partner", fig, cl);
        free(cl);
        *who = d->code == CSP_D_DISPUTED ? "The partners" : *who;
        *todo = d->code == CSP_D_DISPUTED ? "agree the figure"
                                          : "say which value is right";
        break;
    }
    case CSP_D_STATUS_TIE:
        s = csp_rep_fmt(r,
                        "Different statuses were reported for action %s "
                        "on the same date.",
                        d->ref ? d->ref : "");
        *who = "The delivery group";
        *todo = "agree the status";
        break;
    case CSP_D_AFTER_PACK:
        s = csp_rep_fmt(r,
                        "%s sent figures for periods after this pack's; "
                        "they will be in a later pack.",
                        agency ? agency : "A partner");
        *todo = "check the periods if they are wrong";
        break;
    case CSP_D_OUTSIDE_YEARS:
        s = csp_rep_fmt(r,
                        "%s sent figures for periods outside the strategy's "
                        "years; they are not used.",
                        agency ? agency : "A partner");
        *todo = "check the years";
        break;
    case CSP_D_NOT_ENDED:
        s = csp_rep_fmt(r,
                        "%s sent figures for a period that had not ended "
                        "when it sent them.",
                        agency ? agency : "A partner");
        *todo = "check the period and the date of sending";
        break;
    case CSP_D_FAR_AHEAD:
        s = csp_rep_fmt(r,
                        "A file from %s is dated long after every other, "
                        "so its figures replace that partner's others.",
                        agency ? agency : "a partner");
        *todo = "check the date and send it again";
        break;
    default:
        if (d->code >= CSP_D_TPL_DUPLICATE_ID &&
            d->code <= CSP_D_TPL_VALUE) {
            s = csp_rep_fmt(r, "The strategy's template has a mistake that "
                               "csppack cannot work around.");
            *who = "The coordinator";
            *todo = "correct the template";
        } else if (csp_diag_refuses_file(d->code) ||
                   d->code == CSP_D_NOT_XML || d->code == CSP_D_ENCODING ||
                   d->code == CSP_D_DOCTYPE || d->code == CSP_D_ROOT ||
                   d->code == CSP_D_SCHEMA) {
            if (agency)
                s = csp_rep_fmt(r, "A file from %s%s%s could not be used: %s.",
                                agency, when[0] ? " sent on " : "", when,
                                refusal_words(d->code));
            else
                s = csp_rep_fmt(r, "The file %s could not be used: %s.",
                                d->file ? csp_dataset_name(r->ds, d->file)
                                        : "named",
                                refusal_words(d->code));
            if (!agency)
                *todo = "find out who sent it";
        } else if (d->ref) {
            s = csp_rep_fmt(r, "%s's update on action %s was refused: %s.",
                            agency ? agency : "A partner", d->ref,
                            refusal_words(d->code));
        } else {
            fig = figure_phrase(r, d, agency);
            if (fig) {
                fig[0] = fig[0] >= 'a' && fig[0] <= 'z'
                             ? (char)(fig[0] - 'a' + 'A')
                             : fig[0];
                s = csp_rep_fmt(r, "%s was refused: %s.", fig,
                                refusal_words(d->code));
            }
        }
        break;
    }
    free(fig);
    *what = s;
    return s != NULL;
}

/* The sentences already given: a set of strings, open addressing. */
typedef struct seen_set {
    char **slot;
    size_t cap, n;
} seen_set;

/* FNV-1a of a string. */
static size_t seen_hash(const char *s)
{
    size_t h = (size_t)14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
    return h;
}

/* Add s (taken) unless it is there; true when it was new.  On memory
 * failure r->err and false. */
static bool seen_add(csp_rep *r, seen_set *set, char *s)
{
    if (set->n * 2 >= set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slot = csp_calloc(cap, sizeof *slot);
        if (!slot) {
            r->err = CSP_ERR_NOMEM;
            free(s);
            return false;
        }
        for (size_t i = 0; i < set->cap; i++)
            if (set->slot[i]) {
                size_t j = seen_hash(set->slot[i]) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = set->slot[i];
            }
        free(set->slot);
        set->slot = slot;
        set->cap = cap;
    }
    size_t j = seen_hash(s) & (set->cap - 1);
    for (; set->slot[j]; j = (j + 1) & (set->cap - 1))
        if (strcmp(set->slot[j], s) == 0) {
            free(s);
            return false;
        }
    set->slot[j] = s;
    set->n++;
    return true;
}

/* Free the set and its strings. */
static void seen_free(seen_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slot[i]);
    free(set->slot);
}

/* Each error and warning in plain words to fn, errors first, in the
 * dataset's order; a sentence given already (the claims of one dispute
 * are one error each) only once.  The number of problems. */
size_t csp_rep_problems(csp_rep *r, csp_rep_problem_fn fn, void *ctx)
{
    const csp_diag_list *dl = &r->ds->diags;
    size_t n = 0;
    seen_set seen = {NULL, 0, 0};
    for (int sev = CSP_SEV_ERROR; sev <= CSP_SEV_WARNING; sev++)
        for (size_t k = 0; k < dl->count && !r->err; k++) {
            const csp_diag *d = &dl->items[k];
            char *what = NULL;
            const char *who, *todo;
            if (csp_diag_severity(d->code) != (csp_severity)sev ||
                !problem(r, d, &what, &who, &todo))
                continue;
            if (!seen_add(r, &seen, what))
                continue;
            fn(r, (csp_severity)sev, what, who, todo, ctx);
            n++;
        }
    seen_free(&seen);
    return n;
}

/* ---- The board pack's data quality ---------------------------------------- */

/* What a file held and what became of it, in words; malloc'd. */
static char *file_outcome(csp_rep *r, const csp_dataset_file *f,
                          char **held)
{
    *held = NULL;
    if (f->duplicate_of != CSP_NO_INDEX)
        return csp_rep_fmt(r, "A copy of a file already received; counted "
                              "once.");
    if (f->refused) {
        /* Why, in words: the diagnostic that refused it. */
        const csp_diag_list *dl = &r->ds->diags;
        for (size_t k = 0; k < dl->count; k++)
            if (dl->items[k].file && f->path &&
                csp_diag_refuses_file(dl->items[k].code) &&
                strcmp(dl->items[k].file, f->path) == 0)
                return csp_rep_fmt(r, "Not used: %s.",
                                   refusal_words(dl->items[k].code));
        return csp_rep_fmt(r, "Not used: it could not be read as a "
                              "submission.");
    }
    *held = csp_rep_fmt(r, "%zu figure%s, %zu action update%s",
                        f->obs_accepted, f->obs_accepted == 1 ? "" : "s",
                        f->updates_accepted,
                        f->updates_accepted == 1 ? "" : "s");
    if (f->items_refused)
        return csp_rep_fmt(r, "Used; %zu item%s refused (see below).",
                           f->items_refused, f->items_refused == 1 ? "" : "s");
    return csp_rep_fmt(r, "Used in full.");
}

/* Submissions received, for the board: agency, date in words, what it
 * held, outcome. */
static void board_submissions(csp_rep *r)
{
    const csp_dataset *ds = r->ds;
    static const csp_table_col cols[] = {
        COL("Agency", 2.0, false, CSP_ALIGN_LEFT),
        COL("Received", 0, true, CSP_ALIGN_LEFT),
        COL("What it held", 1.6, false, CSP_ALIGN_LEFT),
        COL("Outcome", 2.0, false, CSP_ALIGN_LEFT),
    };
    csp_table *t = csp_table_begin(r->L, NULL, cols, 4, NULL);
    csp_table_heading(t, 1, "Submissions received", NULL, CSP_TOC_YES);
    csp_table_continued_title(t, "Submissions received");
    /* Every file with a problem up to the limit, and the files used in
     * full up to it, so that no problem hides behind many good files. */
    size_t listed[2] = {0, 0}, unlisted[2] = {0, 0}; /* [problem] */
    for (size_t i = 0; i < ds->nfiles && t && !r->err; i++) {
        const csp_dataset_file *f = &ds->files[i];
        if (!csp_rep_file_listed(f, listed, unlisted))
            continue;
        csp_table_cell cells[4];
        memset(cells, 0, sizeof cells);
        char date[CSP_DATE_WORDS_BUFSZ] = "\xE2\x80\x93";
        if (f->has_submitted) {
            csp_date_words(csp_rep_instant_date(f->submitted, NULL, NULL), false, date);
            csp_rep_nbsp_dates(date);
        }
        char *held = NULL;
        char *out = file_outcome(r, f, &held);
        cells[0].text = f->agency ? csp_rep_agency_name(r->tpl, f->agency)
                                  : "Not known";
        if (!f->agency)
            cells[0].note = csp_dataset_name(ds, f->path);
        cells[1].text = date;
        cells[2].text = held ? held : "\xE2\x80\x93";
        cells[3].text = out;
        if (f->refused || f->items_refused) {
            cells[3].mark = CSP_MARK_CROSS;
            cells[3].mark_word = f->refused ? "Refused" : "Partly refused";
            cells[3].mark_colour = &csp_rep_act_look[CSP_ACT_OFF_TRACK].colour;
        }
        csp_table_row(t, cells, false);
        free(held);
        free(out);
    }
    if (ds->nfiles == 0 && t) {
        csp_table_cell cells[4];
        memset(cells, 0, sizeof cells);
        cells[0].text = "No files were received.";
        csp_table_row(t, cells, false);
    }
    csp_table_end(t);
    size_t rest = unlisted[0] + unlisted[1];
    if (rest && !r->err) {
        char *s = csp_rep_fmt(r,
                              "%zu more file%s (%zu used in full, %zu with a "
                              "problem) %s listed on the Submissions sheet of "
                              "the workbook.",
                              rest, rest == 1 ? "" : "s", unlisted[0],
                              unlisted[1], rest == 1 ? "is" : "are");
        if (s)
            csp_layout_paragraph(r->L, s);
        free(s);
    }
}

/* The problems table being filled. */
typedef struct problems_ctx {
    csp_table *t;
    size_t shown;
} problems_ctx;

/* One row of the problems table, up to CSP_REPORT_LISTED_MAX. */
static void problem_row(csp_rep *r, csp_severity sev, const char *what,
                        const char *who, const char *todo, void *ctx)
{
    problems_ctx *pc = ctx;
    if (!pc->t || pc->shown == CSP_REPORT_LISTED_MAX)
        return;
    char *act = csp_rep_fmt(r, "%s to %s.", who, todo);
    csp_table_cell cells[2];
    memset(cells, 0, sizeof cells);
    cells[0].text = what;
    cells[0].mark = sev == CSP_SEV_ERROR ? CSP_MARK_CROSS : CSP_MARK_TRIANGLE;
    cells[0].mark_word = sev == CSP_SEV_ERROR ? "Error" : "Warning";
    cells[0].mark_colour =
        &csp_rep_act_look[sev == CSP_SEV_ERROR ? CSP_ACT_OFF_TRACK
                                               : CSP_ACT_AT_RISK]
             .colour;
    cells[1].text = act;
    csp_table_row(pc->t, cells, false);
    pc->shown++;
    free(act);
}

/* The problems to resolve, in plain words, with who must act; the first
 * CSP_REPORT_LISTED_MAX, errors first. */
static void board_problems(csp_rep *r)
{
    const csp_diag_list *dl = &r->ds->diags;
    static const csp_table_col cols[] = {
        COL("What is wrong", 3.2, false, CSP_ALIGN_LEFT),
        COL("Who must act", 1.6, false, CSP_ALIGN_LEFT),
    };
    size_t info = 0, skipped = 0;
    for (size_t k = 0; k < dl->count; k++) {
        if (dl->items[k].code == CSP_D_SKIPPED)
            skipped++; /* a file that is no submission (a template...) */
        else
            info += csp_diag_severity(dl->items[k].code) == CSP_SEV_INFO;
    }
    problems_ctx pc = {csp_table_begin(r->L, NULL, cols, 2, NULL), 0};
    csp_table_heading(pc.t, 1, "Problems to resolve", NULL, CSP_TOC_YES);
    csp_table_continued_title(pc.t, "Problems to resolve");
    size_t total = csp_rep_problems(r, problem_row, &pc);
    if (total == 0 && pc.t) {
        csp_table_cell cells[2];
        memset(cells, 0, sizeof cells);
        cells[0].text = "None: every figure and update received was "
                        "accepted and consistent.";
        csp_table_row(pc.t, cells, false);
    }
    csp_table_end(pc.t);
    if (pc.shown < total) {
        char *s = csp_rep_fmt(r,
                              "%zu more problem%s %s not listed here: every "
                              "one is on the Discrepancies sheet of the "
                              "workbook.",
                              total - pc.shown, total - pc.shown == 1 ? "" : "s",
                              total - pc.shown == 1 ? "is" : "are");
        if (s) {
            csp_layout_skip(r->L, 4);
            csp_layout_paragraph(r->L, s);
        }
        free(s);
    }
    if (info) {
        char *s = csp_rep_fmt(
            r,
            "Also, for information: %zu figure%s or file%s replaced by a "
            "later return of the same partner, withdrawn, or received "
            "twice; nothing to act on.",
            info, info == 1 ? "" : "s", info == 1 ? "" : "s");
        if (s)
            csp_layout_paragraph(r->L, s);
        free(s);
    }
    if (skipped) {
        char *s = csp_rep_fmt(
            r,
            "Also, for information: %zu file%s among the submissions %s "
            "not a submission (such as the strategy's template, or a "
            "note) and %s left aside; nothing to act on.",
            skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are",
            skipped == 1 ? "was" : "were");
        if (s)
            csp_layout_paragraph(r->L, s);
        free(s);
    }
}

/* The board pack's data quality: what was received, what is wrong and
 * who must act, in plain words (the codes, checksums and lines are in
 * the workbook and discrepancies.csv). */
void csp_rep_board_quality(csp_rep *r)
{
    const csp_dataset *ds = r->ds;
    csp_layout *L = r->L;
    csp_layout_page(L, CSP_PAGE_BODY);
    csp_layout_heading(L, 0, "Data quality", NULL, CSP_TOC_YES);
    csp_rep_files n;
    csp_rep_count_files(ds, &n);
    char *s = csp_rep_fmt(
        r,
        "%zu return%s received from the partners: %zu used, %zu that could "
        "not be read, %zu received twice. %zu figure%s and %zu action "
        "update%s accepted; %zu item%s refused. The workbook and the files "
        "beside this pack give every detail an analyst needs.",
        ds->nfiles, ds->nfiles == 1 ? "" : "s", n.used, n.refused, n.dups,
        n.obs, n.obs == 1 ? "" : "s", n.upd, n.upd == 1 ? "" : "s", n.items,
        n.items == 1 ? "" : "s");
    if (s)
        csp_layout_paragraph(L, s);
    free(s);
    board_submissions(r);
    size_t *skipped = NULL, ns = 0;
    csp_error err = csp_out_skipped(ds, &skipped, &ns);
    free(skipped);
    if (err)
        r->err = err;
    else if (ns) {
        s = csp_rep_fmt(r,
                        "%zu other entr%s of the folders named %s not a "
                        "submission and %s not read; the Submissions sheet "
                        "of the workbook names %s.",
                        ns, ns == 1 ? "y" : "ies", ns == 1 ? "is" : "are",
                        ns == 1 ? "was" : "were", ns == 1 ? "it" : "them");
        if (s)
            csp_layout_paragraph(L, s);
        free(s);
    }
    board_problems(r);
}
