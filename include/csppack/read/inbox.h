/*
 * Reading the files of a run: each a bare submission (read/submission.h)
 * or a mail file holding any number of them (read/mail.h), on several
 * threads, handed over in the order of the files.
 */
#ifndef CSPPACK_READ_INBOX_H
#define CSPPACK_READ_INBOX_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"
#include "csppack/model/template.h"
#include "csppack/read/xmlread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What csp_submission_read_all does with each file it has read. */
typedef struct csp_submission_sink {
    /**
     * Optional: file @p index (of @p path) is the next to be handed over;
     * it may be being read already.  For progress lines.
     */
    void (*next)(void *ctx, size_t index, const char *path);
    /**
     * A submission read from file @p index: takes @p sub whatever it
     * returns.  A bare file yields one submission; a mail file (doc/
     * mail.md) one per XML attachment, in the order of its messages and
     * their parts, so take is called as often, all with the same @p index,
     * before the next file's; a mail file that yields no submission is
     * handed over once with @p sub NULL, its diagnostics (W501, I502,
     * E503, E504) saying why.  @p diags holds the diagnostics of reading
     * that submission; move the ones to keep (what is left is freed).  A
     * result other than CSP_OK stops the run, and csp_submission_read_all
     * returns it.
     */
    csp_error (*take)(void *ctx, size_t index, csp_submission *sub,
                      csp_diag_list *diags);
    void *ctx;
} csp_submission_sink;

/**
 * Read the @p n files @p paths with csp_submission_read on opt->threads
 * threads, and hand each to @p sink on the calling thread, one at a time
 * and in the order of @p paths, so that the calls are the same whatever
 * the number of threads.  At most twice as many files as threads are read
 * ahead of the one handed over.  @p tpl is only read, by every thread.
 *
 * Returns CSP_OK; the first error of sink->take; CSP_ERR_NOMEM when
 * reading a file ran out of memory; or CSP_ERR_INTERNAL when a compiled-in
 * schema does not compile.  Then no more files are handed over and every
 * one read ahead is freed.
 */
csp_error csp_submission_read_all(const char *const *paths, size_t n,
                                  const csp_template *tpl,
                                  const csp_read_options *opt,
                                  const csp_submission_sink *sink)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
