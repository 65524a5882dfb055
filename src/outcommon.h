/*
 * Internal: what the writers of a pack (dataset, CSV, receipts, and later
 * the workbook and report) share so that they name and order things the
 * same way.  Not installed.
 *
 * Names.  A file is named in outputs by its base name, so that the same
 * inbox given as `inbox`, `./inbox` or `/abs/inbox` gives the same bytes.
 * Diagnostic messages name files by the path the user gave; the writers
 * print them with every input path replaced by its base name.
 *
 * Order.  Nothing an output sorts on may depend on the names of the input
 * files where anything else can decide.  Files sort by their identity:
 * agency (refused files, whose agency is not known, after the others),
 * submitted instant, SHA-256; only then by base name and path.
 */
#ifndef CSPPACK_OUTCOMMON_H
#define CSPPACK_OUTCOMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/diag.h"
#include "csppack/error.h"
#include "csppack/reconcile.h"
#include "strbuf.h"

/** Cap on one line of text an output builds (csp_out_diag_line). */
#define CSP_OUT_TEXT_MAX ((size_t)16 * 1024 * 1024)

/** The last component of @p path ("inbox/kcc.xml" -> "kcc.xml"); NULL
 *  gives NULL; a path ending in '/' is returned whole (borrowed). */
const char *csp_path_base(const char *path);

/** The base name of file @p i of @p ds, or NULL for CSP_NO_INDEX. */
const char *csp_out_file_name(const csp_dataset *ds, size_t i);

/**
 * The file of every diagnostic of @p ds: *out[i] is the index of the file
 * whose path is ds->diags.items[i].file (or CSP_NO_INDEX), found in
 * O((files + diags) log files).  Caller frees *out (NULL when there are no
 * diagnostics).
 */
csp_error csp_out_diag_files(const csp_dataset *ds, size_t **out)
    CSP_MUST_CHECK;

/**
 * Order two files by what they are, never by their names: agency id
 * (refused files, whose agency is not known, after the others), submitted
 * instant (then the written offset, so that one instant written two ways
 * still orders), SHA-256.  0 only for files with the same bytes (or, for
 * files refused before they could be read, no SHA-256 at all).  The
 * reconciler orders files and diagnostics by it too.
 */
int csp_out_file_identity_cmp(const csp_dataset_file *a,
                              const csp_dataset_file *b);

/**
 * The canonical order of the files: *rank_out[i] is file i's position
 * (0-based); *order_out[k] is the file at position k.  Either out pointer
 * may be NULL.  Caller frees both arrays.
 */
csp_error csp_out_file_order(const csp_dataset *ds, size_t **rank_out,
                             size_t **order_out) CSP_MUST_CHECK;

/**
 * Group the items 0..n) by file: file_of[i] is item i's file index (below
 * @p nfiles) or CSP_NO_INDEX (left out).  *start_out has nfiles + 2
 * entries; file f's items are (*by_out)[start[f]..start[f + 1]), in
 * increasing order.  A counting sort: n + nfiles.  Caller frees both.
 */
csp_error csp_out_group_by_file(const size_t *file_of, size_t n,
                                size_t nfiles, size_t **by_out,
                                size_t **start_out) CSP_MUST_CHECK;

/**
 * A diagnostic as one line, like csp_diag_print but with base names:
 * "FILE:LINE: severity: CODE: message" (no newline), into @p sb.
 */
csp_error csp_out_diag_line(const csp_diag *d, csp_strbuf *sb)
    CSP_MUST_CHECK;

/**
 * True when @p s is valid UTF-8 holding only characters XML 1.0 allows
 * (tab, LF, CR, U+0020 and above, no surrogates, no U+FFFE/U+FFFF).
 */
bool csp_out_text_ok(const char *s);

/**
 * @p s with every byte sequence csp_out_text_ok refuses replaced by
 * U+FFFD, into @p sb (reset first).  Text from submissions has been
 * checked on reading; this guards messages that quote raw input.
 */
csp_error csp_out_text_clean(const char *s, csp_strbuf *sb) CSP_MUST_CHECK;

/** Print a 128-bit integer in decimal into @p sb. */
csp_error csp_out_int128(csp_strbuf *sb, csp_int128 v) CSP_MUST_CHECK;

/** Print an exact ratio reduced to lowest terms: "839/10", "9007". */
csp_error csp_out_ratio(csp_strbuf *sb, csp_ratio r) CSP_MUST_CHECK;

#endif
