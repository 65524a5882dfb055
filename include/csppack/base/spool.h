/*
 * Internal: an anonymous scratch file for text that is written once, kept
 * out of memory, and read back a piece at a time (the progress statements
 * of every update, which grow with the inbox).
 *
 * The file is created unlinked (O_TMPFILE, else mkstemp and unlink at
 * once) in $TMPDIR, or /tmp; nothing is left behind whatever happens to
 * the process.  Nothing is created until the first put.  Plain write(2)
 * and pread(2): no stdio buffer to flush.
 */
#ifndef CSPPACK_SPOOL_H
#define CSPPACK_SPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "csppack/base/error.h"

typedef struct csp_spool {
    int fd;            /* -1 until the first put */
    uint64_t size;     /* bytes put so far */
} csp_spool;

/** An empty spool (nothing is opened). */
void csp_spool_init(csp_spool *sp);
/** Close and forget it (the file goes with it). */
void csp_spool_close(csp_spool *sp);
/** Append @p len bytes; *at is where they start.  CSP_ERR_IO when the
 *  scratch file cannot be created or written. */
csp_error csp_spool_put(csp_spool *sp, const char *text, size_t len,
                        uint64_t *at) CSP_MUST_CHECK;
/** The @p len bytes at @p at into @p buf (room for @p len), for a reader
 *  that reads piece after piece into one buffer. */
csp_error csp_spool_read(const csp_spool *sp, uint64_t at, size_t len,
                         char *buf) CSP_MUST_CHECK;
/** A new NUL-terminated copy of the @p len bytes at @p at. */
csp_error csp_spool_get(const csp_spool *sp, uint64_t at, size_t len,
                        char **out) CSP_MUST_CHECK;

#endif
