/*
 * Receipts in the partner's words (doc/receipts.md): dates and periods in
 * words, and each diagnostic told from its structured fields (agency,
 * indicator, area, period, ref, values) with the template's names for
 * them, where it is ("line 16 of kent-police-2016q2.xml"), why, and what
 * to send instead; a diagnostic with no structured form has its message
 * reworded (ids made names, periods words, FILE:LINE made "line LINE of
 * FILE").  No codes, hashes or ids; the program is "the partnership's
 * calculation".
 */
#ifndef CSPPACK_WRITE_RECEIPTS_SAY_H
#define CSPPACK_WRITE_RECEIPTS_SAY_H

#include "csppack/base/error.h"
#include "csppack/base/strbuf.h"
#include "csppack/model/dataset.h"
#include "csppack/model/date.h"
#include "csppack/model/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Room for csp_say_instant: a date, " at HH:MM (UTC+HH:MM)". */
#define CSP_SAY_INSTANT_BUFSZ (CSP_DATE_WORDS_BUFSZ + 32)

/* Dates and periods in words are model/date.h's csp_date_words and
 * csp_period_words. */

/** "21 October 2016 at 11:40 (UTC+01:00)", in the offset it was written
 *  with ("(UTC)" for Z). */
void csp_say_instant(csp_instant t, char buf[CSP_SAY_INSTANT_BUFSZ]);

/** An action status in words: "on track", "not started"... */
const char *csp_say_action_status(csp_action_status st);

/** A file as the partner knows it: the base name of its name in outputs
 *  (csp_dataset_name), so a mail attachment's own name. */
const char *csp_say_file(const csp_dataset *ds, const char *path);

/** The name of agency @p id in the template, "you" when it is @p me. */
const char *csp_say_agency(const csp_dataset *ds, const char *id,
                           const char *me);

/**
 * Append diagnostic @p d, as the receipt of agency @p me (NULL: the
 * coordinator's) tells it, to @p sb: one paragraph, no newline.
 */
csp_error csp_say_diag(const csp_dataset *ds, const char *me,
                       const csp_diag *d, csp_strbuf *sb) CSP_MUST_CHECK;

/**
 * Append @p text to @p sb in the partner's words: each template indicator
 * or area id made its name, each ISO period or date made words, each
 * FILE:LINE made "line LINE of FILE" and the program's name made "the
 * partnership's calculation".
 */
csp_error csp_say_reword(const csp_dataset *ds, const char *text,
                         csp_strbuf *sb) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
