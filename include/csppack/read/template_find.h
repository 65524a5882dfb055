/*
 * Finding the strategy template among the inputs: a template file saved
 * in the inbox beside the submissions is the run's template, so that
 * the coordinator need not name it every time (doc/design.md, "Which
 * template").
 */
#ifndef CSPPACK_READ_TEMPLATE_FIND_H
#define CSPPACK_READ_TEMPLATE_FIND_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How much of a file is looked at for the template's namespace: the
 *  root element of a template found among the inputs starts in its
 *  first 64 KiB. */
#define CSP_TEMPLATE_FIND_PREFIX ((size_t)64 * 1024)

/** What csp_template_find found. */
typedef struct csp_found_template {
    char *path;  /**< the first template found, in the order the files
                      are read (csp_paths_expand); NULL: none */
    char *other; /**< the first one found after it with other bytes;
                      NULL: none (copies of one template are one) */
} csp_found_template;

/**
 * Look at the files of the folders among @p paths (not at files named,
 * which are read as what they are) for strategy templates: a regular
 * file whose first CSP_TEMPLATE_FIND_PREFIX bytes hold the strategy
 * namespace and whose root element is in it (csp_input_sniff).  A file
 * that cannot be read, or is over @p opt's limits, is passed over here
 * (reading it as a submission reports it).  The folders are expanded as
 * csp_paths_expand does, with @p opt's max_files: when that refuses the
 * run, nothing is found (the run reports E115).  CSP_ERR_NOMEM only;
 * free @p out with csp_found_template_free.
 */
csp_error csp_template_find(const char *const *paths, size_t n,
                            const csp_read_options *opt,
                            csp_found_template *out) CSP_MUST_CHECK;

/** Free what csp_template_find found (NULL or zeroed is fine). */
void csp_found_template_free(csp_found_template *found);

#ifdef __cplusplus
}
#endif
#endif
