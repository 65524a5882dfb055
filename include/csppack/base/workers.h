/*
 * Internal: do one piece of work per item on several threads and hand the
 * results back on the calling thread, one at a time and in item order, so
 * that what the caller does with them (and prints) is the same whatever
 * the number of threads.  Not installed.
 *
 *     csp_workers_job job = {.work = read_one, .take = add_one,
 *                            .discard = free_one, .ctx = &run};
 *     err = csp_workers_run(nfiles, threads, &job);
 *
 * At most 2 x threads results wait to be taken, so memory stays bounded
 * whatever the number of items.  With one thread nothing is started:
 * work and take alternate on the calling thread.
 */
#ifndef CSPPACK_WORKERS_H
#define CSPPACK_WORKERS_H

#include <stddef.h>

#include "csppack/base/error.h"

/** Most threads csp_workers_run starts, and most a user may ask for. */
#define CSP_WORKERS_MAX 64

/** The work, and what to do with each result. */
typedef struct csp_workers_job {
    /**
     * Do item @p i and set *result (NULL is a result too).  Runs on a
     * worker thread, at the same time as other items' work and as take:
     * it may only read what they share.  An error is reported when item
     * @p i's turn to be taken comes, and stops the run.
     */
    csp_error (*work)(void *ctx, size_t i, void **result);
    /**
     * On the calling thread, in item order: item @p i's result, which it
     * now owns.  An error stops the run and is returned.
     */
    csp_error (*take)(void *ctx, size_t i, void *result);
    /** Free a result that will not be taken (the run stopped). */
    void (*discard)(void *ctx, size_t i, void *result);
    /** Optional, on the calling thread: item @p i is the next to be taken
     *  (it may be being worked on already).  For progress lines. */
    void (*next)(void *ctx, size_t i);
    void *ctx;
} csp_workers_job;

/**
 * The threads to use for @p n items: @p threads when not 0, else one per
 * online processor up to 8; at most CSP_WORKERS_MAX, at most @p n, at
 * least 1.
 */
unsigned csp_workers_count(unsigned threads, size_t n);

/**
 * Work on items 0 to @p n - 1 with csp_workers_count(@p threads, @p n)
 * threads and take each result in order.  Returns CSP_OK when every item
 * was taken; else the error of the first item (in order) whose work or
 * take failed, after every thread has ended and every result not taken
 * has been discarded.
 */
csp_error csp_workers_run(size_t n, unsigned threads,
                          const csp_workers_job *job) CSP_MUST_CHECK;

#endif
