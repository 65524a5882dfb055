/*
 * Internal to the submission reader: the checks of the <submission>
 * header and of each figure and update against the template, and of
 * keys given twice in one file (src/read/submission_items.c).  Problems
 * are diagnosed; r->nomem says when memory ran out.
 */
#ifndef CSPPACK_READ_SUBMISSION_ITEMS_H
#define CSPPACK_READ_SUBMISSION_ITEMS_H

#include "csppack/read/submission_reader.h"

/** Check the <submission> element's attributes against the template. */
void csp_sub_read_header(csp_sub_reader *r);

/** W601 for the blank's submitter name and e-mail left in (at the
 *  current <submitter>): they are dropped, never shown as a name. */
void csp_sub_submitter_placeholders(csp_sub_reader *r);

/** Read the current <comment>: W601 and dropped when it is still the
 *  blank's. */
void csp_sub_read_comment(csp_sub_reader *r);

/** Read and check one <obs>; keep it when it passes. */
void csp_sub_read_obs(csp_sub_reader *r);

/** Read and check one <update>; keep it when it passes. */
void csp_sub_read_update(csp_sub_reader *r);

/** Refuse every figure whose key the file gives more than once (E240);
 *  the figures end in line order. */
void csp_sub_refuse_repeated_obs(csp_sub_reader *r);

/** The same for updates: one ref with one as-of date twice. */
void csp_sub_refuse_repeated_updates(csp_sub_reader *r);

#endif
