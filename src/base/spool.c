/* csppack: a scratch file for text kept out of memory (see spool.h). */
#define _GNU_SOURCE 1
#include "csppack/base/spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* Where scratch files go: $TMPDIR when set, else /tmp. */
static const char *scratch_dir(void)
{
    const char *d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

/* An unlinked read-write file in the scratch folder, or -1 (errno says
 * why: ENOMEM when memory ran out). */
static int open_scratch(void)
{
    const char *dir = scratch_dir();
    int fd = -1;
    /* The fallback's name is made whether O_TMPFILE works or not, so
     * that the allocations are the same on every file system (the test
     * build counts them: alloc.h). */
    size_t n = strlen(dir) + sizeof "/csppack-spool-XXXXXX";
    char *name = csp_malloc(n);
    if (!name) {
        errno = ENOMEM;
        return -1;
    }

#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0) {
        free(name);
        return fd;
    }
#endif
    snprintf(name, n, "%s/csppack-spool-XXXXXX", dir);
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0)
        unlink(name);
    free(name);
    return fd;
}

void csp_spool_init(csp_spool *sp)
{
    memset(sp, 0, sizeof *sp);
    sp->fd = -1;
}

void csp_spool_close(csp_spool *sp)
{
    if (sp->fd >= 0)
        close(sp->fd);
    csp_spool_init(sp);
}

csp_error csp_spool_put(csp_spool *sp, const char *text, size_t len,
                        uint64_t *at)
{
    size_t done = 0;

    if (sp->fd < 0 && (sp->fd = open_scratch()) < 0)
        return errno == ENOMEM ? CSP_ERR_NOMEM : CSP_ERR_IO;
    while (done < len) {
        ssize_t w = write(sp->fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return CSP_ERR_IO;
        done += (size_t)w;
    }
    *at = sp->size;
    sp->size += len;
    return CSP_OK;
}

csp_error csp_spool_read(const csp_spool *sp, uint64_t at, size_t len,
                         char *buf)
{
    size_t got = 0;

    if (len && (sp->fd < 0 || at > sp->size || len > sp->size - at))
        return CSP_ERR_USAGE;
    while (got < len) {
        ssize_t r = pread(sp->fd, buf + got, len - got, (off_t)(at + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return CSP_ERR_IO;
        got += (size_t)r;
    }
    return CSP_OK;
}

csp_error csp_spool_get(const csp_spool *sp, uint64_t at, size_t len,
                        char **out)
{
    csp_error err;
    char *buf;

    *out = NULL;
    if (len && (sp->fd < 0 || at > sp->size || len > sp->size - at))
        return CSP_ERR_USAGE;
    if (!(buf = csp_malloc(len + 1)))
        return CSP_ERR_NOMEM;
    if ((err = csp_spool_read(sp, at, len, buf)) != CSP_OK) {
        free(buf);
        return err;
    }
    buf[len] = '\0';
    *out = buf;
    return CSP_OK;
}
