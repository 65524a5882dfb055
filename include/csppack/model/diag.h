/*
 * Diagnostics: everything a run has to say about its inputs.
 *
 * Each diagnostic has a stable code (documented in doc/diagnostics.md and
 * never reused), a severity, the class name ("kind") used by the specs, the
 * file and line it is about, the key it concerns, the values involved and a
 * sentence for people.  A diagnostic is printed as
 *
 *     FILE:LINE: error: E210: value "1,385" is not a number; write 1385
 */
#ifndef CSPPACK_DIAG_H
#define CSPPACK_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/model/date.h"
#include "csppack/base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How much a diagnostic matters. */
typedef enum csp_severity {
    CSP_SEV_ERROR = 0,
    CSP_SEV_WARNING,
    CSP_SEV_INFO
} csp_severity;

/**
 * Every diagnostic csppack can emit.  The printed code (E101...) is in the
 * table in diag.c; codes are stable: add new ones at the end of a group.
 */
typedef enum csp_diag_code {
    /* Whole-file refusals (E1xx). */
    CSP_D_READ,            /**< E101 the file cannot be read */
    CSP_D_TOO_LARGE,       /**< E102 larger than the size limit */
    CSP_D_COMPRESSED,      /**< E103 gzip/zip/bzip2/xz data */
    CSP_D_EMPTY,           /**< E104 no content */
    CSP_D_NOT_XML,         /**< E105 not well-formed XML */
    CSP_D_ENCODING,        /**< E106 bytes not valid in the encoding */
    CSP_D_DOCTYPE,         /**< E107 a DOCTYPE of any kind */
    CSP_D_ROOT,            /**< E108 wrong root element or namespace */
    CSP_D_SCHEMA,          /**< E109 not valid against the XSD */
    CSP_D_STRATEGY,        /**< E110 strategy id is not the template's */
    CSP_D_AGENCY,          /**< E111 agency not declared in the template */
    CSP_D_SUBMITTED,       /**< E112 submitted is not a dateTime with zone */
    CSP_D_TOO_MANY,        /**< E113 more items than the configured bound */
    CSP_D_TEXT_TOO_LONG,   /**< E114 a text longer than the bound */
    CSP_D_TOO_MANY_FILES,  /**< E115 more files named than the bound */
    CSP_D_NOT_A_FILE,      /**< E116 a FIFO, socket, device or folder */
    CSP_D_BROKEN_LINK,     /**< E117 a link to nothing, or a link loop */
    CSP_D_TOO_DEEP,        /**< E118 a folder too far below the one named */
    CSP_D_NOTHING_TO_READ, /**< E119 a folder named holds no file to read */
    CSP_D_TOO_MANY_ATTRS,  /**< E120 an element with too many attributes */
    CSP_D_TEXT_PIECES,     /**< E121 an element's text in too many pieces */
    CSP_D_TOO_MANY_MISC,   /**< E122 too many comments and PIs in a file */
    CSP_D_SKIPPED,         /**< I116 an entry of a folder, not read */

    /* Refusals of one obs or update (E2xx). */
    CSP_D_UNKNOWN_INDICATOR, /**< E201 */
    CSP_D_UNKNOWN_AREA,      /**< E202 */
    CSP_D_UNKNOWN_ACTION,    /**< E203 */
    CSP_D_NOT_A_NUMBER,      /**< E210 value is not an exact decimal */
    CSP_D_NOT_WHOLE,         /**< E211 a count with a fraction */
    CSP_D_NEGATIVE,          /**< E212 below zero */
    CSP_D_OVER_100,          /**< E213 a percent above 100 */
    CSP_D_TOO_PRECISE,       /**< E214 more digits than we hold */
    CSP_D_VALUE_MISSING,     /**< E215 no value, status needs one */
    CSP_D_VALUE_UNEXPECTED,  /**< E216 a value with missing/withdrawn */
    CSP_D_BAD_PERIOD,        /**< E220 not two valid dates */
    CSP_D_PERIOD_REVERSED,   /**< E221 start after end */
    CSP_D_BAD_STATUS,        /**< E230 unknown figure status */
    CSP_D_BAD_ACTION_STATUS, /**< E231 unknown action status */
    CSP_D_BAD_AS_OF,         /**< E232 as-of is not a date */
    CSP_D_EMPTY_PROGRESS,    /**< E233 progress statement empty */
    CSP_D_REPEATED_KEY,      /**< E240 same key twice in one file */

    /* Template problems (E3xx). */
    CSP_D_TPL_DUPLICATE_ID,  /**< E301 an id declared twice */
    CSP_D_TPL_DANGLING,      /**< E302 a reference to no declared id */
    CSP_D_TPL_CYCLE,         /**< E303 a rule depends on itself */
    CSP_D_TPL_RULE_UNIT,     /**< E304 a rule's inputs have the wrong unit */
    CSP_D_TPL_VALUE,         /**< E305 a value in the template is invalid */

    /* Reconciliation (4xx). */
    CSP_D_DUPLICATE_FILE,    /**< I401 byte-identical file given again */
    CSP_D_SUPERSEDED,        /**< I402 replaced by a later submission */
    CSP_D_WITHDRAWN,         /**< I403 an agency withdrew its figure */
    CSP_D_CONFLICT,          /**< E404 same agency, same instant, differ */
    CSP_D_NON_OWNER_DIFFERS, /**< W405 non-owner not consistent with owner */
    CSP_D_NOT_FROM_OWNER,    /**< W406 standing figure is not the owner's */
    CSP_D_DISPUTED,          /**< E407 no owner and inconsistent claims */
    CSP_D_STATUS_TIE,        /**< W408 same as-of, different statuses */
    CSP_D_CHECK_FAILED,      /**< W409 a template rule does not hold */
    CSP_D_AFTER_PACK,        /**< W410 figures after the board pack's period */
    CSP_D_OUTSIDE_YEARS,     /**< W411 figures outside the strategy's years */
    CSP_D_NOT_ENDED,         /**< W412 a period not over when submitted */
    CSP_D_FAR_AHEAD,         /**< W413 submitted far after every other file */

    /* Mail and senders (5xx): doc/mail.md. */
    CSP_D_NO_ATTACHMENT,     /**< W501 a message with no XML attachment */
    CSP_D_NOT_SUBMISSION,    /**< I502 an attachment that is no submission */
    CSP_D_MAIL_UNREADABLE,   /**< E503 a message or mbox that cannot be read */
    CSP_D_OUTLOOK_MSG,       /**< E504 an Outlook .msg: save it as .eml */
    CSP_D_SENDER_DOMAIN,     /**< W505 sender's domain not the agency's */
    CSP_D_SENDER_REFUSED,    /**< E506 the same, refused (--strict-senders) */
    CSP_D_AUTH_FAILED,       /**< W507 Authentication-Results: DKIM/SPF fail */

    /* The blank's placeholders (6xx): doc/submission-format.md. */
    CSP_D_PLACEHOLDER,       /**< W601 a placeholder of the blank left in */

    CSP_D_COUNT_
} csp_diag_code;

/**
 * One diagnostic.  Every string is owned by the diagnostic; any may be
 * NULL but the message.  csp_diag_add makes them one allocation, which
 * starts with the message (tens of thousands of diagnostics at county
 * scale, each of up to seven strings): do not free or replace one of
 * them, free them all with csp_diag_free_strings.
 */
typedef struct csp_diag {
    char *file;          /**< the file as the user named it */
    unsigned long line;  /**< 0 when the diagnostic is about a whole file */
    char *agency;
    char *indicator;
    char *area;
    csp_period period;
    char *ref;           /**< action reference */
    char *values;        /**< "agency=value;agency=value" */
    char *message;       /**< a sentence for people, no trailing newline */
    csp_diag_code code;
    bool has_period;
} csp_diag;   /* fields ordered for size */

/** A growing list of diagnostics. */
typedef struct csp_diag_list {
    csp_diag *items;
    size_t count;
    size_t capacity;
} csp_diag_list;

/** The printed code, e.g. "E210". */
const char *csp_diag_code_str(csp_diag_code code);
/** The class name used in the specs and the CSV "kind" column. */
const char *csp_diag_kind(csp_diag_code code);
/** The severity of a code. */
csp_severity csp_diag_severity(csp_diag_code code);
/** "error", "warning" or "info". */
const char *csp_severity_str(csp_severity sev);
/** True when the code refuses a whole file. */
bool csp_diag_refuses_file(csp_diag_code code);
/** True when the code refuses one item of a file. */
bool csp_diag_refuses_item(csp_diag_code code);

/** Free the strings one diagnostic owns (not the diagnostic itself): the
 *  one allocation csp_diag_add made, at d->message. */
void csp_diag_free_strings(csp_diag *d);

/** Initialise an empty list. */
void csp_diag_list_init(csp_diag_list *list);
/** Free every diagnostic and the list's storage (NULL is fine). */
void csp_diag_list_free(csp_diag_list *list);

/**
 * Append a diagnostic.  @p proto supplies the key fields (copied; its
 * message is ignored); the message is formatted from @p fmt.  Returns the
 * new diagnostic or NULL when memory ran out.
 */
csp_diag *csp_diag_add(csp_diag_list *list, const csp_diag *proto,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Same, with a va_list. */
csp_diag *csp_diag_addv(csp_diag_list *list, const csp_diag *proto,
                        const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/**
 * The display form of text csppack did not write (file names, attribute
 * values), the same in every output (doc/diagnostics.md, "How names and
 * values are shown"): valid UTF-8 is kept, except that a backslash is
 * written `\\`, a control character or a byte that is not UTF-8 `\xHH`
 * (`\x0A`, `\xE9`), and a C1 control, bidirectional control or line
 * separator `\uHHHH` (`\u202E`); so no name can start a new line, move
 * the terminal's cursor or reverse the text after it, and the form is
 * valid UTF-8.  With @p max_chars above 0, at most that many characters
 * of @p s are shown, then "…".  Writes the form into @p out (when not
 * NULL; no NUL is added) and returns its length in bytes.
 */
size_t csp_text_show(const char *s, size_t n, size_t max_chars, char *out);

/** csp_text_show of the string @p s into a malloc'd string (NULL when
 *  memory ran out). */
char *csp_text_shown(const char *s, size_t max_chars);

/** Bytes csp_text_show may write for @p max_chars characters, and a NUL. */
#define CSP_TEXT_SHOWN_BUFSZ(max_chars) ((max_chars) * 6 + 4)

/** Move every diagnostic of @p from to the end of @p to; @p from is left empty. */
csp_error csp_diag_list_take(csp_diag_list *to, csp_diag_list *from)
    CSP_MUST_CHECK;

/** Number of diagnostics of severity @p sev. */
size_t csp_diag_list_count(const csp_diag_list *list, csp_severity sev);

/**
 * Sort into the canonical order: file, line, code, then the key fields,
 * values and message.  Stable and total, so output is deterministic.
 */
void csp_diag_list_sort(csp_diag_list *list);

/**
 * The canonical order of two diagnostics after their file: line, code,
 * indicator, area, period, ref, agency, values, message.  <0, 0 or >0, as
 * strcmp.  csp_diag_list_sort and the reconciled dataset's order both end
 * with it.
 */
int csp_diag_cmp_in_file(const csp_diag *a, const csp_diag *b);

/** Print one diagnostic as "FILE:LINE: severity: CODE: message\n". */
void csp_diag_print(FILE *out, const csp_diag *d);

#ifdef __cplusplus
}
#endif
#endif
