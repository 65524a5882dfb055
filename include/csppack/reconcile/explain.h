/*
 * Internal to the reconcile layer: the words of its diagnostics.  Files
 * are named by csp_dataset_name, never by the path given; agencies by
 * their template name; values lists are "agency=value;..." sorted.
 */
#ifndef CSPPACK_RECONCILE_EXPLAIN_H
#define CSPPACK_RECONCILE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "csppack/base/error.h"
#include "csppack/base/strbuf.h"
#include "csppack/model/dataset.h"
#include "csppack/model/diag.h"

/** Cap on one message or values string built here. */
#define CSP_EXPLAIN_MAX ((size_t)1 << 20)

/**
 * Most claims a diagnostic lists (E404, E407), in its message and its
 * values; the message counts the rest.  4,000 conflicting files each
 * listed in every diagnostic made a 2.1 GB pack of 1.3 MB of input.
 */
#define CSP_CLAIMS_LISTED 5

/** strcmp treating NULL as "". */
static inline int csp_nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/** True when two (possibly NULL) strings are equal. */
static inline bool csp_nstreq(const char *a, const char *b)
{
    return csp_nstrcmp(a, b) == 0;
}

/** A list of owned strings: the entries of a values string. */
typedef struct csp_strvec {
    char **items;
    size_t count;
    size_t capacity;
} csp_strvec;

/** Free a csp_strvec's strings and storage. */
void csp_strvec_free(csp_strvec *v);

/** Append "agency=value". */
csp_error csp_strvec_push_pair(csp_strvec *v, const char *agency,
                               const char *value);

/** Sort the entries and join them with ';' into a new string (*out). */
csp_error csp_strvec_join(csp_strvec *v, char **out);

/** Append a claim's "agency=value" to v. */
csp_error csp_strvec_push_claim(csp_strvec *v, const csp_claim *c);

/** The display name of an agency id ("csppack" for computed figures). */
const char *csp_explain_agency(const csp_dataset *ds, const char *id);

/** A claim's value with its status when that is not final ("4 provisional"). */
void csp_explain_claim_value(const csp_claim *c, char *buf, size_t size);

/** A path's name in messages and orders (csp_dataset_name), never the path
 * as given. */
const char *csp_explain_path(const csp_dataset *ds, const char *path);

/** A file's name for messages. */
const char *csp_explain_file(const csp_dataset *ds, size_t i);

/** The key fields of a diagnostic about `fig`, at claim `c` (may be NULL). */
csp_diag csp_explain_proto(const csp_dataset *ds, const csp_figure *fig,
                           const csp_claim *c, csp_diag_code code);

/** "total-crime for north, 2015-10-01/2016-09-30". */
void csp_explain_key(const csp_figure *fig, char *buf, size_t size);

/** "a.xml:12": the file's base name, never the folder it was found in. */
void csp_explain_where(const csp_dataset *ds, const csp_claim *c, char *buf,
                       size_t size);

/** Add a diagnostic with a ready message; NOMEM when it cannot. */
csp_error csp_explain_add(csp_diag_list *list, csp_diag *proto,
                          const char *values, const char *msg);

/** Values string of the claims `cl[idx[0..n)]` (*out owned). */
csp_error csp_explain_claims_values(const csp_claim *cl, const size_t *idx,
                                    size_t n, char **out);

/** "The Police 8388 (a.xml:12), ..." for the claims idx[0..n): the first
 * CSP_CLAIMS_LISTED of them, and how many more. */
csp_error csp_explain_claims_list(const csp_dataset *ds, const csp_figure *fig,
                                  const size_t *idx, size_t n, csp_strbuf *sb);

#endif
