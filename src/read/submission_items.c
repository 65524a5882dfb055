/*
 * csppack: the checks of a submission's header and of each figure and
 * update against the template, and of keys given twice in one file
 * (read/submission_items.h).
 */
#include "csppack/read/submission_items.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"

/* --- suggestions for mistyped ids --------------------------------------- */

/* Edit distance between a and b, giving up above limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = diag + (a[i - 1] != b[j - 1]);
            size_t v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = cost < v ? cost : v;
            diag = up;
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

/* Tracks the closest candidate id to a mistyped one. */
typedef struct suggestion {
    const char *typed;
    const char *best;
    size_t dist;
    bool tie;          /* two candidates equally close: suggest neither */
} suggestion;

/* Offer one candidate. */
static void suggest(suggestion *s, const char *candidate)
{
    size_t limit = strlen(s->typed) / 3 + 1;
    size_t d = edit_distance(s->typed, candidate, limit);
    if (d > limit)
        return;
    if (!s->best || d < s->dist) {
        s->best = candidate;
        s->dist = d;
        s->tie = false;
    } else if (d == s->dist && strcmp(candidate, s->best) != 0) {
        s->tie = true;
    }
}

/* " (did you mean \"x\"?)" or "". */
static void suggestion_text(const suggestion *s, char *buf, size_t n)
{
    if (s->best && !s->tie)
        snprintf(buf, n, "; did you mean \"%s\"?", s->best);
    else
        buf[0] = '\0';
}

/* Check the <submission> element's attributes against the template. */
void csp_sub_read_header(csp_sub_reader *r)
{
    csp_submission *sub = r->sub;
    unsigned long line = csp_xml_line(r->x);
    csp_diag proto = {.file = sub->path, .line = line};
    char hint[160];
    /* Once per file: a second root element is not well-formed. */
    free(sub->strategy);
    free(sub->agency);
    sub->strategy = csp_sub_attr(r, "strategy");
    sub->agency = csp_sub_attr(r, "agency");
    sub->header_line = line;
    char *submitted = csp_sub_attr(r, "submitted");
    csp_sub_shown shown_buf[3];
    const char *q_strategy = csp_sub_show(&shown_buf[0], sub->strategy,
                                  sub->strategy ? strlen(sub->strategy) : 0),
               *q_agency = csp_sub_show(&shown_buf[1], sub->agency,
                                sub->agency ? strlen(sub->agency) : 0),
               *q_submitted = csp_sub_show(&shown_buf[2], submitted,
                                   submitted ? strlen(submitted) : 0);
    bool ok = true;
    r->check_items = sub->strategy && strcmp(sub->strategy, r->tpl->id) == 0;
    if (sub->strategy && strcmp(sub->strategy, r->tpl->id) != 0) {
        proto.code = CSP_D_STRATEGY;
        csp_sub_say(r, &proto,
            "strategy \"%s\" is not the strategy these figures are collected "
            "for; write strategy=\"%s\"",
            q_strategy, r->tpl->id);
        ok = false;
        char *st = csp_strdup(q_strategy);
        if (!st)
            r->nomem = true;
        free(sub->strategy);
        sub->strategy = st;
    }
    if (sub->agency && !csp_template_agency(r->tpl, sub->agency)) {
        suggestion sg = {.typed = sub->agency};
        for (size_t i = 0; i < r->tpl->nagencies; i++)
            suggest(&sg, r->tpl->agencies[i].id);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_AGENCY;
        csp_sub_say(r, &proto,
            "agency \"%s\" is not a partner declared in the strategy template%s",
            q_agency, hint);
        ok = false;
        /* The outputs list the refused file under the agency it gave. */
        char *a = csp_strdup(q_agency);
        if (!a)
            r->nomem = true;
        free(sub->agency);
        sub->agency = a;
    }
    if (submitted && strcmp(submitted, CSP_PH_SUBMITTED) == 0) {
        /* Read, but as sent before any other file: a dated file replaces
         * whatever it repeats. */
        static const char earliest[] = "0001-01-01T00:00:00Z";
        sub->submitted = (csp_instant){CSP_PH_SUBMITTED_SECONDS, 0, 0};
        proto.code = CSP_D_PLACEHOLDER;
        csp_sub_say(r, &proto,
            "submitted is still the blank's \"%s\"; write the date and "
            "time you send the file with its offset from UTC, e.g. "
            "2016-10-21T14:30:00+01:00 (until then the file counts as sent "
            "on %s, before every other file)",
            CSP_PH_SUBMITTED, earliest);
    } else if (submitted && !csp_instant_parse(submitted, strlen(submitted),
                                               &sub->submitted)) {
        proto.code = CSP_D_SUBMITTED;
        if (csp_instant_out_of_range(submitted, strlen(submitted)))
            csp_sub_say(r, &proto,
                "submitted=\"%s\" is outside the years 0001 to 9999 (in "
                "UTC or as written); check the date",
                q_submitted);
        else
            csp_sub_say(r, &proto,
                "submitted=\"%s\" is not a date and time with a time zone; "
                "write it like 2016-10-14T09:30:00+01:00 or "
                "2016-11-02T10:00:00Z",
                q_submitted);
        ok = false;
    }
    free(submitted);
    r->header_ok = ok && sub->strategy && sub->agency;
}

/* Append to a growing array; false on memory failure. */
static bool grow(void **arr, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 32;
    void *p = csp_realloc(*arr, n * size);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

/* Count one item against the bound; false when over it. */
static bool count_item(csp_sub_reader *r)
{
    if (++r->items <= r->opt->max_items)
        return true;
    if (!r->too_many) {
        csp_diag proto = {.code = CSP_D_TOO_MANY, .file = r->sub->path,
                          .line = csp_xml_line(r->x)};
        csp_sub_say(r, &proto,
            "the file holds more than %zu figures and updates; split it "
            "into several submissions or raise --max-items",
            r->opt->max_items);
        r->too_many = true;
    }
    return false;
}

/* Explain why a value is not a number, with a fix where one is obvious. */
static void say_not_a_number(csp_sub_reader *r, const csp_diag *proto,
                             const char *v)
{
    size_t n = strlen(v);
    bool digits_commas = n > 0, has_comma = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ',')
            has_comma = true;
        else if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.' ||
                   (i == 0 && v[i] == '-')))
            digits_commas = false;
    }
    if (has_comma && digits_commas) {
        char fixed[64];
        size_t w = 0;
        for (size_t i = 0; i < n && w < sizeof fixed - 1; i++)
            if (v[i] != ',')
                fixed[w++] = v[i];
        fixed[w] = '\0';
        csp_sub_say(r, proto, "value \"%s\" is not a number; write %s", v,
                    fixed);
    } else if (n > 1 && v[n - 1] == '%') {
        csp_sub_say(r, proto,
            "value \"%s\" is not a number; write the figure without the %% "
            "sign (%.*s)",
            v, (int)(n - 1), v);
    } else if (strpbrk(v, "eE") && strspn(v, "0123456789.eE+-") == n) {
        csp_sub_say(r, proto,
            "value \"%s\" is not a number; write it in full without an "
            "exponent",
            v);
    } else if (n == 0) {
        csp_sub_say(r, proto,
            "value is empty; write the figure, or use status=\"missing\" and "
            "say why");
    } else {
        csp_sub_say(r, proto,
            "value \"%s\" is not a number; write digits with an optional "
            "sign and decimal point, such as 1385 or 80.7",
            v);
    }
}

/* Is @p id, @p len bytes, the string @p known? */
static bool same_id(const char *id, size_t len, const char *known)
{
    return strncmp(known, id, len) == 0 && known[len] == '\0';
}

/* csp_template_indicator, for the indicator found last without looking. */
static const csp_indicator *find_indicator(csp_sub_reader *r, const char *id,
                                           size_t len)
{
    if (!r->last_ind || !same_id(id, len, r->last_ind->id))
        r->last_ind = csp_template_indicator(r->tpl, id);
    return r->last_ind;
}

/* csp_template_area, for the area found last without looking. */
static const csp_area *find_area(csp_sub_reader *r, const char *id, size_t len)
{
    if (!r->last_area || !same_id(id, len, r->last_area->id))
        r->last_area = csp_template_area(r->tpl, id);
    return r->last_area;
}

/* csp_period_parse, remembered for the texts of this file. */
static csp_period_status parse_period(csp_sub_reader *r, const char *text,
                                      size_t len, csp_period *out)
{
    if (len != CSP_SUB_PERIOD_TEXT)
        return csp_period_parse(text, len, out);
    uint64_t a, b;
    memcpy(&a, text + 2, 8);   /* the start's year to its day */
    memcpy(&b, text + 13, 8);  /* the end's */
    uint64_t h = (a * 0x9e3779b97f4a7c15u) ^ (b * 0xc2b2ae3d27d4eb4fu);
    csp_sub_period_memo *m = &r->periods[(h >> 40) % CSP_SUB_PERIOD_CACHE];
    if (!m->used || memcmp(m->text, text, CSP_SUB_PERIOD_TEXT) != 0) {
        memcpy(m->text, text, CSP_SUB_PERIOD_TEXT);
        m->used = true;
        m->status = csp_period_parse(text, len, &m->period);
    }
    if (m->status == CSP_PERIOD_OK)
        *out = m->period;
    return m->status;
}

/* W601 for the blank's submitter name and e-mail left in. */
void csp_sub_submitter_placeholders(csp_sub_reader *r)
{
    csp_submission *sub = r->sub;
    csp_diag proto = {.code = CSP_D_PLACEHOLDER, .file = sub->path,
                      .line = csp_xml_line(r->x)};
    if (sub->submitter_name &&
        strcmp(sub->submitter_name, CSP_PH_SUBMITTER_NAME) == 0) {
        csp_sub_say(r, &proto,
            "the submitter's name is still the blank's \"%s\"; write the "
            "name of the person who sends the file (until then no name is "
            "shown)",
            CSP_PH_SUBMITTER_NAME);
        free(sub->submitter_name);
        sub->submitter_name = NULL;
    }
    if (sub->submitter_email &&
        strcmp(sub->submitter_email, CSP_PH_SUBMITTER_EMAIL) == 0) {
        csp_sub_say(r, &proto,
            "the submitter's e-mail is still the blank's \"%s\"; write the "
            "address that answers questions about the file (until then no "
            "address is shown)",
            CSP_PH_SUBMITTER_EMAIL);
        free(sub->submitter_email);
        sub->submitter_email = NULL;
    }
}

/* Read the <comment>, dropping the blank's own. */
void csp_sub_read_comment(csp_sub_reader *r)
{
    csp_submission *sub = r->sub;
    csp_diag proto = {.code = CSP_D_PLACEHOLDER, .file = sub->path,
                      .line = csp_xml_line(r->x)};
    char *c = csp_sub_element_text(r, "comment");
    if (!c)
        return;
    csp_sub_normalise_paragraphs(c);
    free(sub->comment);
    sub->comment = NULL;
    if (strcmp(c, CSP_PH_COMMENT) == 0) {
        csp_sub_say(r, &proto,
            "the comment is still the blank's \"%s\"; write what the "
            "coordinator should know, or delete the comment whole (it is "
            "not used)",
            CSP_PH_COMMENT);
        return;
    }
    if (!(sub->comment = csp_strdup(c)))
        r->nomem = true;
}

/* Read and check one <obs>. */
void csp_sub_read_obs(csp_sub_reader *r)
{
    static const int names[] = {CSP_SUB_INDICATOR, CSP_SUB_AREA,
                                CSP_SUB_PERIOD, CSP_SUB_VALUE, CSP_SUB_STATUS};
    const char *val[5];
    size_t len[5];
    unsigned long line = csp_xml_line(r->x);
    if (!csp_sub_attrs(r, names, val, len, 5))
        return;
    const char *ind_id = val[0], *area = val[1], *period = val[2],
               *value = val[3], *status = val[4];
    /* As messages quote them: no control character, at most
     * CSP_SUB_SHOWN_CHARS. */
    csp_sub_shown shown_buf[5];
    const char *q_ind = csp_sub_show(&shown_buf[0], ind_id, len[0]),
               *q_area = csp_sub_show(&shown_buf[1], area, len[1]),
               *q_period = csp_sub_show(&shown_buf[2], period, len[2]),
               *q_value = csp_sub_show(&shown_buf[3], value, len[3]),
               *q_status = csp_sub_show(&shown_buf[4], status, len[4]);
    char *note = csp_sub_element_text(r, "note on this figure");
    bool counted = count_item(r);
    csp_obs o = {.line = line, .status = CSP_OBS_FINAL};
    const csp_indicator *ind = NULL;
    const csp_area *in_area = NULL;
    bool ok = counted && note != NULL && r->check_items &&
              !r->too_many_problems;
    char hint[160];
    csp_diag proto = {.file = r->sub->path, .line = line,
                      .agency = r->sub->agency, .indicator = (char *)q_ind,
                      .area = (char *)q_area};

    if (!ok || !ind_id || !area || !period)
        goto out;
    csp_period_status pr = parse_period(r, period, len[2], &o.period);
    if (pr == CSP_PERIOD_OK) {
        proto.has_period = true;
        proto.period = o.period;
    }
    if (!(ind = find_indicator(r, ind_id, len[0]))) {
        suggestion sg = {.typed = ind_id};
        for (size_t i = 0; i < r->tpl->nindicators; i++)
            suggest(&sg, r->tpl->indicators[i].id);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_INDICATOR;
        csp_sub_say(r, &proto,
            "indicator \"%s\" is not in the strategy template%s", q_ind, hint);
        ok = false;
    }
    if (strcmp(area, CSP_AREA_ALL) != 0 &&
        !(in_area = find_area(r, area, len[1]))) {
        suggestion sg = {.typed = area};
        for (size_t i = 0; i < r->tpl->nareas; i++)
            suggest(&sg, r->tpl->areas[i].id);
        suggest(&sg, CSP_AREA_ALL);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_AREA;
        csp_sub_say(r, &proto,
            "area \"%s\" is not in the strategy template%s (use \"all\" for "
            "the partnership as a whole)",
            q_area, hint);
        ok = false;
    }
    switch (pr) {
    case CSP_PERIOD_OK:
        break;
    case CSP_PERIOD_SYNTAX:
        proto.code = CSP_D_BAD_PERIOD;
        csp_sub_say(r, &proto,
            "period \"%s\" is not two dates; write it as START/END, e.g. "
            "2016-07-01/2016-09-30",
            q_period);
        ok = false;
        break;
    case CSP_PERIOD_BAD_DATE:
        proto.code = CSP_D_BAD_PERIOD;
        csp_sub_say(r, &proto,
            "period \"%s\" names a date that does not exist; check the day "
            "and month",
            q_period);
        ok = false;
        break;
    case CSP_PERIOD_REVERSED:
        proto.code = CSP_D_PERIOD_REVERSED;
        csp_sub_say(r, &proto,
            "period \"%s\" starts after it ends; write the earlier date first",
            q_period);
        ok = false;
        break;
    }
    if (status && !csp_obs_status_parse(status, &o.status)) {
        proto.code = CSP_D_BAD_STATUS;
        csp_sub_say(r, &proto,
            "status \"%s\" is not one of final, provisional, estimated, "
            "missing, withdrawn",
            q_status);
        ok = false;
    }
    bool needs_value = o.status != CSP_OBS_MISSING && o.status != CSP_OBS_WITHDRAWN;
    if (value && !needs_value) {
        proto.code = CSP_D_VALUE_UNEXPECTED;
        csp_sub_say(r, &proto,
            "a figure with status \"%s\" must not have a value; remove "
            "value=\"%s\" or change the status",
            csp_obs_status_str(o.status), q_value);
        ok = false;
    } else if (!value && needs_value) {
        proto.code = CSP_D_VALUE_MISSING;
        csp_sub_say(r, &proto,
            "the figure has no value; add value=\"...\", or use "
            "status=\"missing\" and say why in the text");
        ok = false;
    } else if (value) {
        switch (csp_decimal_parse(value, len[3], &o.value)) {
        case CSP_DEC_OK:
            o.has_value = true;
            break;
        case CSP_DEC_TOO_LONG:
            proto.code = CSP_D_TOO_PRECISE;
            csp_sub_say(r, &proto,
                "value \"%s\" has more digits than csppack holds (18 digits, "
                "9 decimals); round it",
                q_value);
            ok = false;
            break;
        case CSP_DEC_EMPTY:
        case CSP_DEC_SYNTAX:
            proto.code = CSP_D_NOT_A_NUMBER;
            say_not_a_number(r, &proto, q_value);
            ok = false;
            break;
        }
    }
    if (o.has_value && ind) {
        csp_decimal zero = {0, 0}, hundred = {100, 0};
        if (ind->unit == CSP_UNIT_COUNT && !csp_decimal_is_whole(o.value)) {
            proto.code = CSP_D_NOT_WHOLE;
            csp_sub_say(r, &proto,
                "value \"%s\" is not a whole number, but \"%s\" is a count; "
                "write a whole number",
                q_value, q_ind);
            ok = false;
        }
        if (csp_decimal_cmp(o.value, zero) < 0) {
            proto.code = CSP_D_NEGATIVE;
            /* Money and averages are decimals >= 0, like rates. */
            csp_sub_say(r, &proto,
                "value \"%s\" is negative; %s%s is never below zero, so "
                "check the sign",
                q_value,
                ind->unit == CSP_UNIT_MONEY     ? "an amount of "
                : ind->unit == CSP_UNIT_AVERAGE ? "an "
                                                : "a ",
                ind->unit == CSP_UNIT_MONEY ? "money"
                                            : csp_unit_str(ind->unit));
            ok = false;
        }
        if (ind->unit == CSP_UNIT_PERCENT &&
            csp_decimal_cmp(o.value, hundred) > 0) {
            proto.code = CSP_D_OVER_100;
            csp_sub_say(r, &proto,
                "value \"%s\" is above 100, but \"%s\" is a percentage; a "
                "percentage is at most 100",
                q_value, q_ind);
            ok = false;
        }
    }
    if (!ok)
        goto out;
    if (!grow((void **)&r->sub->obs, &r->cap_obs, r->sub->nobs, sizeof o)) {
        r->nomem = true;
        goto out;
    }
    csp_text_collapse(note);
    if (strcmp(note, CSP_PH_OPTIONAL) == 0 && !o.has_value) {
        /* An optional figure left as the blank wrote it: not sent. */
        proto.code = CSP_D_PLACEHOLDER;
        csp_sub_say(r, &proto,
            "this optional figure is still the blank's \"%s\"; give its "
            "value in value=\"...\" or delete the figure whole (it is not "
            "used)",
            CSP_PH_OPTIONAL);
        goto out;
    }
    if (o.has_value &&
        (strcmp(note, CSP_PH_NOTE) == 0 || strcmp(note, CSP_PH_OPTIONAL) == 0)) {
        /* The blank's text beside a real value: the value is used, the
         * text is not. */
        proto.code = CSP_D_PLACEHOLDER;
        csp_sub_say(r, &proto,
            "the figure has a value but its text is still the blank's "
            "\"%s\"; replace it with a note on the figure, or with "
            "nothing (the value is used, the text is not)",
            note);
        *note = '\0';
    }
    o.indicator = ind->id;
    o.indicator_index = (uint32_t)(ind - r->tpl->indicators);
    o.area = in_area ? in_area->id : CSP_AREA_ALL;
    o.area_index = in_area ? (uint32_t)(in_area - r->tpl->areas)
                           : CSP_OBS_AREA_ALL;
    o.note = *note ? csp_strdup(note) : NULL;
    if (*note && !o.note) {
        r->nomem = true;
        goto out;
    }
    r->sub->obs[r->sub->nobs++] = o;
out:
    if (!ok && counted && note)
        r->sub->refused_items++;
}

/* Read and check one <update>. */
void csp_sub_read_update(csp_sub_reader *r)
{
    static const int names[] = {CSP_SUB_REF, CSP_SUB_STATUS, CSP_SUB_AS_OF};
    const char *val[3];
    size_t len[3];
    unsigned long line = csp_xml_line(r->x);
    if (!csp_sub_attrs(r, names, val, len, 3))
        return;
    const char *ref = val[0], *status = val[1], *as_of = val[2];
    csp_sub_shown shown_buf[3];
    const char *q_ref = csp_sub_show(&shown_buf[0], ref, len[0]),
               *q_status = csp_sub_show(&shown_buf[1], status, len[1]),
               *q_as_of = csp_sub_show(&shown_buf[2], as_of, len[2]);
    char *text = csp_sub_element_text(r, "progress statement");
    bool counted = count_item(r);
    bool ok = counted && text != NULL && r->check_items &&
              !r->too_many_problems;
    csp_update u = {.line = line};
    csp_diag proto = {.file = r->sub->path, .line = line,
                      .agency = r->sub->agency, .ref = (char *)q_ref};
    const csp_action *action;
    char hint[160];

    if (!ok || !ref || !status || !as_of)
        goto out;
    if (!(action = csp_template_action(r->tpl, ref))) {
        suggestion sg = {.typed = ref};
        for (size_t t = 0; t < r->tpl->nthemes; t++)
            for (size_t a = 0; a < r->tpl->themes[t].nactions; a++)
                suggest(&sg, r->tpl->themes[t].actions[a].ref);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_ACTION;
        csp_sub_say(r, &proto,
                    "action \"%s\" is not in the strategy's action plan%s",
                    q_ref, hint);
        ok = false;
    }
    bool ph_status = strcmp(status, CSP_PH_ACTION_STATUS) == 0;
    if (!ph_status && !csp_action_status_parse(status, &u.status)) {
        proto.code = CSP_D_BAD_ACTION_STATUS;
        csp_sub_say(r, &proto,
            "status \"%s\" is not one of not-started, on-track, at-risk, "
            "off-track, complete",
            q_status);
        ok = false;
    }
    if (!csp_date_parse(as_of, len[2], &u.as_of)) {
        proto.code = CSP_D_BAD_AS_OF;
        int y, m, d;
        if (len[2] == 10 &&
            sscanf(as_of, "%4d-%2d-%2d", &y, &m, &d) == 3 && as_of[4] == '-' &&
            as_of[7] == '-')
            csp_sub_say(r, &proto,
                "as-of \"%s\" names a date that does not exist; check the "
                "day and month",
                q_as_of);
        else
            csp_sub_say(r, &proto,
                "as-of \"%s\" is not a date; write it as YYYY-MM-DD, e.g. "
                "2016-09-30",
                q_as_of);
        ok = false;
    }
    csp_sub_normalise_paragraphs(text);
    if (!*text) {
        proto.code = CSP_D_EMPTY_PROGRESS;
        csp_sub_say(r, &proto,
            "the progress statement for action %s is empty; say what has "
            "been done",
            q_ref);
        ok = false;
    }
    bool ph_text = strcmp(text, CSP_PH_PROGRESS) == 0;
    if (ok && (ph_status || ph_text)) {
        /* Half filled in, it would put the blank's words or no status
         * before the board: not taken, and said so. */
        proto.code = CSP_D_PLACEHOLDER;
        if (ph_status)
            csp_sub_say(r, &proto,
                "the status of action %s is still the blank's \"%s\"; write "
                "not-started, on-track, at-risk, off-track or complete, or "
                "delete the update whole (it is not used)",
                q_ref, CSP_PH_ACTION_STATUS);
        if (ph_text)
            csp_sub_say(r, &proto,
                "the progress statement for action %s is still the blank's "
                "\"%s\"; say what has been done, or delete the update "
                "whole (it is not used)",
                q_ref, CSP_PH_PROGRESS);
        goto out;
    }
    if (!ok)
        goto out;
    if (!grow((void **)&r->sub->updates, &r->cap_updates, r->sub->nupdates,
              sizeof u)) {
        r->nomem = true;
        goto out;
    }
    u.ref = action->ref;
    if (!(u.progress = csp_strdup(text))) {
        r->nomem = true;
        goto out;
    }
    r->sub->updates[r->sub->nupdates++] = u;
out:
    if (!ok && counted && text)
        r->sub->refused_items++;
}

/* Order of obs by key, then line. */
static int obs_key_cmp(const void *pa, const void *pb)
{
    const csp_obs *a = pa, *b = pb;
    int c = strcmp(a->indicator, b->indicator);
    if (!c)
        c = strcmp(a->area, b->area);
    if (!c)
        c = csp_period_cmp(a->period, b->period);
    if (!c)
        c = (a->line > b->line) - (a->line < b->line);
    return c;
}

/* Same key?  (The ids are the template's strings: one string each.) */
static bool obs_same_key(const csp_obs *a, const csp_obs *b)
{
    return csp_period_cmp(a->period, b->period) == 0 &&
           (a->indicator == b->indicator ||
            strcmp(a->indicator, b->indicator) == 0) &&
           (a->area == b->area || strcmp(a->area, b->area) == 0);
}

/* Order of updates by ref, as-of, line. */
static int update_key_cmp(const void *pa, const void *pb)
{
    const csp_update *a = pa, *b = pb;
    int c = strcmp(a->ref, b->ref);
    if (!c)
        c = (a->as_of > b->as_of) - (a->as_of < b->as_of);
    if (!c)
        c = (a->line > b->line) - (a->line < b->line);
    return c;
}

/* Order by line (document order). */
static int obs_line_cmp(const void *pa, const void *pb)
{
    const csp_obs *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/* Order by line (document order). */
static int update_line_cmp(const void *pa, const void *pb)
{
    const csp_update *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/*
 * True when refuse_repeated_obs would change nothing: every
 * line is later than the one before (document order is line order) and
 * no key is given twice.  One pass with a hash table instead of two sorts
 * that compare strings; false when in doubt (memory ran out).
 */
static bool obs_unique_in_order(const csp_submission *sub)
{
    size_t n = sub->nobs, cap = 16;
    for (size_t i = 1; i < n; i++)
        if (sub->obs[i].line <= sub->obs[i - 1].line)
            return false;
    if (n < 2)
        return true;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slots = csp_calloc(cap, sizeof *slots); /* index + 1; 0: empty */
    if (!slots)
        return false;
    bool unique = true;
    for (size_t i = 0; i < n && unique; i++) {
        const csp_obs *o = &sub->obs[i];
        /* The same key is the same template indicator and area. */
        uint64_t h = ((uint64_t)o->indicator_index << 32) ^ o->area_index;
        h *= 0x9e3779b97f4a7c15u;
        h = (h ^ (uint32_t)o->period.start) * 0x9e3779b97f4a7c15u;
        h = (h ^ (uint32_t)o->period.end) * 0x9e3779b97f4a7c15u;
        size_t j = (size_t)(h >> 32) & (cap - 1);
        for (; slots[j] && unique; j = (j + 1) & (cap - 1))
            unique = !obs_same_key(&sub->obs[slots[j] - 1], o);
        slots[j] = i + 1;
    }
    free(slots);
    return unique;
}

/*
 * A key given twice in one file cannot be reconciled (which did the
 * partner mean?): every occurrence is refused, each naming the others.
 * The figures and the updates end in line order.
 */
void csp_sub_refuse_repeated_obs(csp_sub_reader *r)
{
    csp_submission *sub = r->sub;
    if (obs_unique_in_order(sub))
        return;
    if (sub->nobs > 1)
        qsort(sub->obs, sub->nobs, sizeof *sub->obs, obs_key_cmp);
    size_t w = 0;
    for (size_t i = 0; i < sub->nobs;) {
        size_t j = i + 1;
        while (j < sub->nobs && obs_same_key(&sub->obs[i], &sub->obs[j]))
            j++;
        if (j - i == 1) {
            sub->obs[w++] = sub->obs[i++];
            continue;
        }
        for (size_t k = i; k < j; k++) {
            csp_obs *o = &sub->obs[k];
            char pbuf[CSP_PERIOD_BUFSZ];
            csp_period_format(o->period, pbuf);
            csp_diag proto = {.code = CSP_D_REPEATED_KEY, .file = sub->path,
                              .line = o->line, .agency = sub->agency,
                              .indicator = (char *)o->indicator,
                              .area = (char *)o->area,
                              .has_period = true, .period = o->period};
            unsigned long other = sub->obs[k == i ? i + 1 : i].line;
            csp_sub_say(r, &proto,
                "the figure for %s in %s for %s is given %zu times in this "
                "file (also at line %lu); give it once",
                o->indicator, o->area, pbuf, j - i, other);
            csp_obs_clear(o);
            sub->refused_items++;
        }
        i = j;
    }
    sub->nobs = w;
    if (sub->nobs > 1)
        qsort(sub->obs, sub->nobs, sizeof *sub->obs, obs_line_cmp);
}

/* The same for updates: one ref with one as-of date twice. */
void csp_sub_refuse_repeated_updates(csp_sub_reader *r)
{
    csp_submission *sub = r->sub;
    if (sub->nupdates > 1)
        qsort(sub->updates, sub->nupdates, sizeof *sub->updates,
              update_key_cmp);
    size_t w = 0;
    for (size_t i = 0; i < sub->nupdates;) {
        size_t j = i + 1;
        while (j < sub->nupdates &&
               strcmp(sub->updates[i].ref, sub->updates[j].ref) == 0 &&
               sub->updates[i].as_of == sub->updates[j].as_of)
            j++;
        if (j - i == 1) {
            sub->updates[w++] = sub->updates[i++];
            continue;
        }
        for (size_t k = i; k < j; k++) {
            csp_update *u = &sub->updates[k];
            char dbuf[CSP_DATE_BUFSZ];
            csp_date_format(u->as_of, dbuf);
            csp_diag proto = {.code = CSP_D_REPEATED_KEY, .file = sub->path,
                              .line = u->line, .agency = sub->agency,
                              .ref = (char *)u->ref};
            unsigned long other = sub->updates[k == i ? i + 1 : i].line;
            csp_sub_say(r, &proto,
                "action %s has %zu updates as of %s in this file (also at "
                "line %lu); give one",
                u->ref, j - i, dbuf, other);
            csp_update_clear(u);
            sub->refused_items++;
        }
        i = j;
    }
    sub->nupdates = w;
    if (sub->nupdates > 1)
        qsort(sub->updates, sub->nupdates, sizeof *sub->updates,
              update_line_cmp);
}

