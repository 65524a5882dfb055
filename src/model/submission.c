/*
 * csppack: a submission in memory: the names of its statuses, and
 * freeing it and its items.
 */
#include "csppack/model/submission.h"

#include <stdlib.h>
#include <string.h>

static const char *const obs_status_names[] = {
    [CSP_OBS_FINAL] = "final",         [CSP_OBS_PROVISIONAL] = "provisional",
    [CSP_OBS_ESTIMATED] = "estimated", [CSP_OBS_MISSING] = "missing",
    [CSP_OBS_WITHDRAWN] = "withdrawn",
};

static const char *const action_status_names[] = {
    [CSP_ACT_COMPLETE] = "complete",   [CSP_ACT_NOT_STARTED] = "not-started",
    [CSP_ACT_ON_TRACK] = "on-track",   [CSP_ACT_AT_RISK] = "at-risk",
    [CSP_ACT_OFF_TRACK] = "off-track",
};

/* Name of a figure status. */
const char *csp_obs_status_str(csp_obs_status st)
{
    return st <= CSP_OBS_WITHDRAWN ? obs_status_names[st] : "final";
}

/* Name of an action status. */
const char *csp_action_status_str(csp_action_status st)
{
    return st <= CSP_ACT_OFF_TRACK ? action_status_names[st] : "not-started";
}

/* Parse a figure status. */
bool csp_obs_status_parse(const char *s, csp_obs_status *out)
{
    for (int i = 0; i <= CSP_OBS_WITHDRAWN; i++)
        if (strcmp(s, obs_status_names[i]) == 0) {
            *out = (csp_obs_status)i;
            return true;
        }
    return false;
}

/* Parse an action status. */
bool csp_action_status_parse(const char *s, csp_action_status *out)
{
    for (int i = 0; i <= CSP_ACT_OFF_TRACK; i++)
        if (strcmp(s, action_status_names[i]) == 0) {
            *out = (csp_action_status)i;
            return true;
        }
    return false;
}

/* Free what one figure owns (its ids are the template's). */
void csp_obs_clear(csp_obs *o)
{
    free(o->note);
}

/* Free what one update owns (its ref is the template's). */
void csp_update_clear(csp_update *u)
{
    free(u->progress);
}

/* Drop every item: a refused file's, or a freed submission's. */
void csp_submission_drop_items(csp_submission *sub)
{
    for (size_t i = 0; i < sub->nobs; i++)
        csp_obs_clear(&sub->obs[i]);
    for (size_t i = 0; i < sub->nupdates; i++)
        csp_update_clear(&sub->updates[i]);
    sub->nobs = sub->nupdates = 0;
}

/* Release the items once they have been taken. */
void csp_submission_release_items(csp_submission *sub)
{
    if (!sub)
        return;
    csp_submission_drop_items(sub);
    free(sub->obs);
    free(sub->updates);
    sub->obs = NULL;
    sub->updates = NULL;
}

/* Free a submission. */
void csp_mail_origin_free(csp_mail_origin *m)
{
    if (!m)
        return;
    free(m->container);
    free(m->from);
    free(m->from_address);
    free(m->reply_to);
    free(m->date);
    free(m->message_id);
    free(m->references);
    free(m->subject);
    free(m->attachment);
    free(m->forwarded_from);
    free(m->auth_results);
    free(m);
}

void csp_submission_free(csp_submission *sub)
{
    if (!sub)
        return;
    csp_submission_release_items(sub);
    csp_mail_origin_free(sub->mail);
    free(sub->path);
    free(sub->strategy);
    free(sub->agency);
    free(sub->submitter_name);
    free(sub->submitter_email);
    free(sub->submitter_phone);
    free(sub->comment);
    free(sub);
}
