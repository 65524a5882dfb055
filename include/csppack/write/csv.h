/*
 * The CSV files of a pack: observations.csv, discrepancies.csv and
 * actions.csv, for analysts' own tools and scripted checks.
 *
 * The format is doc/csv-format.md (doc/outputs.md lists the pack):
 *
 * - RFC 4180: fields separated by ',', records ended by CRLF (the last
 *   one too), a header row; a field is quoted with '"' when it contains
 *   ',', '"', CR or LF, or starts or ends with a space, and a '"' inside
 *   is doubled.  Text inside a field is kept as it stands: a progress
 *   statement's paragraphs stay separated by "\n\n" (LF, inside quotes).
 * - UTF-8 without a byte-order mark.
 * - Rows sorted by the columns in the order the header gives them: text
 *   in byte order, line numbers as numbers, `submitted` by the instant.
 *   The `file` column sorts by the file's identity (agency, submitted
 *   instant, SHA-256), never by its name, so renaming inputs never
 *   reorders rows.
 * - A file is named by its base name (the last component of the path as
 *   the user gave it), so that `inbox`, `./inbox` and `/abs/inbox` give
 *   the same bytes.
 * - Dates YYYY-MM-DD; `submitted` as the partner wrote it
 *   (2016-10-21T11:40:00+01:00); values exactly as they stand.
 * - Text (every field but figures, line numbers and dates) that starts
 *   with = + - @, a tab or a carriage return starts with "'" (OWASP's
 *   CSV-injection guidance), so that a spreadsheet never runs it.
 *
 * Every writer takes a reconciled dataset (borrowed) and returns
 * CSP_ERR_IO when writing to @p out failed (it does not close @p out).
 */
#ifndef CSPPACK_CSV_H
#define CSPPACK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * observations.csv: one row per key that has a figure or a dispute.
 * indicator,area,start,end,value,status,agency,submitted,file
 */
csp_error csp_csv_write_observations(const csp_dataset *ds, FILE *out)
    CSP_MUST_CHECK;

/**
 * discrepancies.csv: every diagnostic of the run.
 * code,severity,kind,file,line,agency,indicator,area,start,end,ref,values,
 * message
 */
csp_error csp_csv_write_discrepancies(const csp_dataset *ds, FILE *out)
    CSP_MUST_CHECK;

/**
 * actions.csv: every update of every action-plan item.
 * ref,current,as_of,status,agency,submitted,progress
 */
csp_error csp_csv_write_actions(const csp_dataset *ds, FILE *out)
    CSP_MUST_CHECK;

/**
 * Write one field (@p s may be NULL: empty), quoted when RFC 4180 needs
 * it.  With @p text (free text: progress, messages, names, file names;
 * not a figure or a date), a field that starts with = + - @, a tab or a
 * carriage return starts with "'", so that a spreadsheet shows it as
 * text instead of running it as a formula.  No separator.  Exposed for
 * tests.
 */
csp_error csp_csv_field(FILE *out, const char *s, bool text) CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
