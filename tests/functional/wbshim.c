/*
 * wbshim.so: an LD_PRELOAD library that makes libxlsxwriter's temporary
 * files fail with ENOSPC, as on a full disk, when CSP_WBSHIM=tmpfile.
 * libxlsxwriter builds each part of a workbook in a temporary file while
 * it closes the workbook: with its bundled tmpfileplus (open, then
 * fdopen) or, in some builds, with tmpfile().  Nothing else in csppack
 * calls fdopen.  For tests/functional/workbook.sh.
 */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Is the failure switched on? */
static int failing(void)
{
    const char *env = getenv("CSP_WBSHIM");
    return env && strcmp(env, "tmpfile") == 0;
}

FILE *fdopen(int fd, const char *mode)
{
    if (failing()) {
        errno = ENOSPC;
        return NULL;
    }
    FILE *(*real)(int, const char *) =
        (FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
    return real ? real(fd, mode) : NULL;
}

FILE *tmpfile(void)
{
    if (failing()) {
        errno = ENOSPC;
        return NULL;
    }
    FILE *(*real)(void) = (FILE * (*)(void)) dlsym(RTLD_NEXT, "tmpfile");
    return real ? real() : NULL;
}
