/*
 * Partner submissions as csppack holds them once read: the figures
 * (csp_obs) and progress updates (csp_update) of one file, their
 * statuses, and what the file's header said.  The format they are read
 * from is doc/submission-format.md; read/submission.h reads it.
 *
 * Ownership: a csp_submission owns all its strings and arrays, except
 * the ids of its figures and updates (indicator, area, ref): those are
 * the template's own strings, of the template the file was read against,
 * which must outlive the items.
 */
#ifndef CSPPACK_MODEL_SUBMISSION_H
#define CSPPACK_MODEL_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csppack/model/date.h"
#include "csppack/model/decimal.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for a SHA-256 in hex and its NUL. */
#define CSP_SHA256_HEX 65

/*
 * The placeholders csppack blank writes for a partner to replace
 * (write/blank.c), and that the submission reader recognises when they
 * are left in (W601, read/submission_items.c): one copy for both.  What
 * happens to each is in doc/submission-format.md, "Placeholders".
 */
/** submitter name= and email=: never shown as a name. */
#define CSP_PH_SUBMITTER_NAME "Your name"
#define CSP_PH_SUBMITTER_EMAIL "you@example.org"
/** submission submitted=: read as the earliest instant there is,
 *  0001-01-01T00:00:00Z (CSP_PH_SUBMITTED_SECONDS since 1970), which no
 *  period is judged against (W412). */
#define CSP_PH_SUBMITTED "YYYY-MM-DDThh:mm:ss+hh:mm"
#define CSP_PH_SUBMITTED_SECONDS INT64_C(-62135596800)
/** update status= and its text: such an update is not taken. */
#define CSP_PH_ACTION_STATUS "choose"
#define CSP_PH_PROGRESS "What has been done."
/** An obs's text beside status="missing": kept there, dropped beside a
 *  value. */
#define CSP_PH_NOTE "Not yet available."
/** The text of an optional figure's obs: such a figure is not taken. */
#define CSP_PH_OPTIONAL "Optional: give its value, or delete this figure."
/** The <comment>: dropped. */
#define CSP_PH_COMMENT "Anything the coordinator should know."

/** The kind of csppack document an input holds, judged by its root. */
typedef enum csp_doc_kind {
    CSP_DOC_SUBMISSION,   /**< also: anything unrecognised */
    CSP_DOC_STRATEGY,
    CSP_DOC_DATASET
} csp_doc_kind;

/** The status of one figure. */
typedef enum csp_obs_status {
    CSP_OBS_FINAL,
    CSP_OBS_PROVISIONAL,
    CSP_OBS_ESTIMATED,
    CSP_OBS_MISSING,
    CSP_OBS_WITHDRAWN
} csp_obs_status;

/** The status of an action-plan item, in order of severity (least first). */
typedef enum csp_action_status {
    CSP_ACT_COMPLETE,
    CSP_ACT_NOT_STARTED,
    CSP_ACT_ON_TRACK,
    CSP_ACT_AT_RISK,
    CSP_ACT_OFF_TRACK
} csp_action_status;

/** csp_obs.area_index of a figure for the partnership as a whole. */
#define CSP_OBS_AREA_ALL UINT32_MAX

/** One accepted figure. */
typedef struct csp_obs {
    const char *indicator;      /**< the template's own id string */
    const char *area;           /**< the template's area id, or CSP_AREA_ALL */
    csp_period period;
    bool has_value;             /**< false for missing and withdrawn */
    csp_decimal value;
    csp_obs_status status;
    uint32_t indicator_index;   /**< of indicator in the template */
    uint32_t area_index;        /**< of area there, or CSP_OBS_AREA_ALL */
    char *note;                 /**< may be NULL; whitespace collapsed */
    unsigned long line;
} csp_obs;

/** One accepted progress update. */
typedef struct csp_update {
    const char *ref;            /**< the template action's own ref string */
    csp_action_status status;
    csp_date as_of;
    char *progress;             /**< paragraphs separated by "\n\n" */
    unsigned long line;
} csp_update;

/**
 * Where a submission that came by mail came from (doc/mail.md): the
 * message it was attached to, as the coordinator received it.  Every
 * string is owned, decoded to UTF-8 (RFC 2047 words decoded), and NULL
 * when the message did not have it.
 */
typedef struct csp_mail_origin {
    char *container;     /**< the file named that held the message (an
                              .eml, an mbox, a Maildir message file), as
                              the user named it; never NULL */
    size_t message;      /**< 1-based number of the message in an mbox;
                              0 for a file holding one message */
    char *from;          /**< From as written: "Ann Lee <ann@x.gov.uk>" */
    char *from_address;  /**< the From address alone, domain lower-case */
    char *reply_to;      /**< Reply-To address, when there is one */
    char *date;          /**< the Date header as written */
    bool has_sent;       /**< the Date header could be read; then: */
    csp_instant sent;    /**< the Date header's instant */
    char *message_id;    /**< Message-ID without its angle brackets */
    char *references;    /**< References as written (ids in <>) */
    char *subject;       /**< Subject, decoded */
    char *attachment;    /**< the attachment's file name; "" when none */
    char *forwarded_from; /**< the address of the forwarded message's
                              From, when the attachment was inside a
                              forwarded message (message/rfc822) */
    char *auth_results;  /**< every Authentication-Results header of the
                              received message, joined by "\n" */
} csp_mail_origin;

/** Free a mail origin (NULL is fine). */
void csp_mail_origin_free(csp_mail_origin *m);

/** A submission file that was read. */
typedef struct csp_submission {
    char *path;                 /**< as the user named it; for a mail
                                     attachment, CONTAINER "/" NAME, or
                                     CONTAINER "#" N "/" NAME for message
                                     N of an mbox (doc/mail.md) */
    csp_mail_origin *mail;      /**< NULL unless it came by mail */
    char sha256[CSP_SHA256_HEX];
    size_t size;
    bool refused;               /**< the whole file was refused */
    /** When refused by csp_submission_read: what its root element says
     *  it is (CSP_DOC_DATASET for a pack's dataset.xml, CSP_DOC_STRATEGY
     *  for a template; CSP_DOC_SUBMISSION otherwise). */
    csp_doc_kind kind;
    /* The rest is meaningful only when !refused. */
    char *strategy;
    char *agency;
    csp_instant submitted;
    unsigned long header_line;  /**< of the <submission> element, which
                                     holds submitted= (where its start tag
                                     ends) */
    char *submitter_name;
    char *submitter_email;
    char *submitter_phone;      /**< may be NULL */
    char *comment;              /**< may be NULL */
    csp_obs *obs;               size_t nobs;
    csp_update *updates;        size_t nupdates;
    size_t refused_items;       /**< obs + updates refused */
} csp_submission;

/** Free every obs and update (and what they own), keeping the rest:
 *  nobs and nupdates become 0.  Strings taken out of an item beforehand
 *  (set to NULL there) are not freed.  NULL is fine. */
void csp_submission_release_items(csp_submission *sub);

/** Free a submission (NULL is fine). */
void csp_submission_free(csp_submission *sub);

/** Free what figure @p o owns (its ids are the template's); the
 *  figure itself is the caller's. */
void csp_obs_clear(csp_obs *o);

/** Free what update @p u owns (its ref is the template's). */
void csp_update_clear(csp_update *u);

/** Free what every obs and update owns, keeping the arrays: nobs and
 *  nupdates become 0 (a refused file's items are dropped so). */
void csp_submission_drop_items(csp_submission *sub);

/** Names as written in the format ("provisional", "at-risk"...). */
const char *csp_obs_status_str(csp_obs_status st);
const char *csp_action_status_str(csp_action_status st);
/** Parse a status name; false when unknown. */
bool csp_obs_status_parse(const char *s, csp_obs_status *out);
bool csp_action_status_parse(const char *s, csp_action_status *out);

#ifdef __cplusplus
}
#endif
#endif
