/*
 * csppack: the one seam for csppack's own allocations (alloc.h).
 *
 * Compiled twice.  Into the program, each function is the C library's.
 * With CSP_ALLOC_TORTURE, into tests/csppack-torture only (never
 * installed), the environment makes chosen allocations fail, as curl's
 * torture tests do:
 *
 *     CSP_TORTURE=count      fail none; at exit, print
 *                            "csppack-torture: N allocations" on stderr
 *     CSP_TORTURE=N          the Nth allocation returns NULL (from 1)
 *     CSP_TORTURE=N:every    the Nth and every later one return NULL
 *     CSP_TORTURE_LOG=FILE   with count: each allocation's site, one a
 *                            line ("src/file.c:123"), line N for the Nth;
 *                            otherwise "N src/file.c:123" for each one
 *                            made to fail
 *
 * Only the calls through this seam are counted, so allocation N is the
 * same call on every host as long as csppack is given the same inputs,
 * the same relative paths and one thread (`--jobs 1`): what the
 * libraries allocate (fonts, hash seeds, their versions) never moves it.
 */
#include "csppack/base/alloc.h"

#include <stdlib.h>
#include <string.h>

#ifdef CSP_ALLOC_TORTURE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

/* What the environment asked for. */
enum torture_mode { T_OFF, T_COUNT, T_ONE, T_EVERY };
static enum torture_mode t_mode;
static unsigned long t_target;
static FILE *t_log;
static atomic_ulong t_calls;
static pthread_once_t t_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t t_log_lock = PTHREAD_MUTEX_INITIALIZER;

/* At exit in count mode: the total, on stderr, and the log flushed. */
static void torture_report(void)
{
    fprintf(stderr, "csppack-torture: %lu allocations\n",
            atomic_load(&t_calls));
    if (t_log)
        fclose(t_log);
    t_log = NULL;
}

/* Read CSP_TORTURE and CSP_TORTURE_LOG, once; a value that means nothing
 * stops the run, so that a mistyped test cannot pass by failing nothing. */
static void torture_setup(void)
{
    const char *env = getenv("CSP_TORTURE");
    const char *log = getenv("CSP_TORTURE_LOG");
    if (!env || !*env)
        return;
    if (strcmp(env, "count") == 0) {
        t_mode = T_COUNT;
    } else {
        char *end;
        errno = 0;
        t_target = strtoul(env, &end, 10);
        if (errno || t_target == 0 || end == env ||
            (*end && strcmp(end, ":every") != 0)) {
            static const char msg[] = "csppack-torture: CSP_TORTURE is "
                                      "not count, N or N:every\n";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
            _exit(99);
        }
        t_mode = *end ? T_EVERY : T_ONE;
    }
    if (log && *log) {
        t_log = fopen(log, "w");
        if (!t_log) {
            static const char msg[] = "csppack-torture: cannot write "
                                      "CSP_TORTURE_LOG\n";
            (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
            _exit(99);
        }
        /* A failed run may crash: what it logged must be on disk. */
        if (t_mode != T_COUNT)
            setvbuf(t_log, NULL, _IONBF, 0);
    }
    if (t_mode == T_COUNT)
        atexit(torture_report);
}

/* Count one allocation made at @p site; true when it is to fail. */
static bool torture_fails(const char *site)
{
    pthread_once(&t_once, torture_setup);
    if (t_mode == T_OFF)
        return false;
    unsigned long n = atomic_fetch_add(&t_calls, 1) + 1;
    bool fails = (t_mode == T_ONE && n == t_target) ||
                 (t_mode == T_EVERY && n >= t_target);
    if (t_log && (t_mode == T_COUNT || fails)) {
        pthread_mutex_lock(&t_log_lock);
        if (t_mode == T_COUNT)
            fprintf(t_log, "%s\n", site);
        else
            fprintf(t_log, "%lu %s\n", n, site);
        pthread_mutex_unlock(&t_log_lock);
    }
    if (fails)
        errno = ENOMEM;
    return fails;
}
#define FAILS(site) torture_fails(site)
#else
#define FAILS(site) ((void)(site), 0)
#endif

/* malloc, through the seam. */
void *csp_alloc_malloc(size_t n, const char *site)
{
    return FAILS(site) ? NULL : malloc(n);
}

/* calloc, through the seam. */
void *csp_alloc_calloc(size_t k, size_t n, const char *site)
{
    return FAILS(site) ? NULL : calloc(k, n);
}

/* realloc, through the seam. */
void *csp_alloc_realloc(void *p, size_t n, const char *site)
{
    return FAILS(site) ? NULL : realloc(p, n);
}

/* strdup, through the seam. */
char *csp_alloc_strdup(const char *s, const char *site)
{
    return FAILS(site) ? NULL : strdup(s);
}

/* strndup, through the seam. */
char *csp_alloc_strndup(const char *s, size_t n, const char *site)
{
    return FAILS(site) ? NULL : strndup(s, n);
}

/* malloc for a library: not csppack's own, never failed on purpose. */
void *csp_alloc_lib_malloc(size_t n)
{
    return malloc(n);
}

/* realloc for a library. */
void *csp_alloc_lib_realloc(void *p, size_t n)
{
    return realloc(p, n);
}

/* strdup for a library. */
char *csp_alloc_lib_strdup(const char *s)
{
    return strdup(s);
}
