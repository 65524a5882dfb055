/*
 * failshim.so: an LD_PRELOAD library that makes the Nth call of a chosen
 * system call fail, or sends the process a signal there, to test that a
 * failed or interrupted `csppack reconcile` leaves its output folder as it
 * was (tests/functional/reconcile-atomic.sh).
 *
 *     CSP_FAILSHIM="fsync:2:eio"        the 2nd fsync fails with EIO
 *     CSP_FAILSHIM="renameat2:3:eio"    the 3rd renameat2 fails
 *     CSP_FAILSHIM="rename:2:exdev"     the 2nd rename fails with EXDEV
 *     CSP_FAILSHIM="fclose:1:enospc"    the 1st fclose of a stream open
 *                                       for writing closes, then fails
 *     CSP_FAILSHIM="fsync:3:sigint"     SIGINT arrives during the 3rd fsync
 *     CSP_FAILSHIM="renameat2:*:einval" every renameat2 fails with EINVAL
 *                                       (as on a file system without
 *                                       RENAME_EXCHANGE)
 *     CSP_FAILSHIM="fwrite:2:enospc"    the 2nd fwrite writes nothing and
 *                                       fails with ENOSPC (setting the
 *                                       stream's error indicator, as a
 *                                       real failure does)
 *     CSP_FAILSHIM="rename:3:sigkill"   the process is killed (SIGKILL)
 *                                       at the 3rd rename, before it
 *                                       happens
 *     CSP_FAILSHIM="count"              at exit, print "failshim: fsync N,
 *                                       rename N, ..." on stderr (with
 *                                       other rules too: "rename:*:einval,
 *                                       count")
 *
 *     CSP_FAILSHIM="renameat2:*:sleep"  every renameat2 waits
 *                                       CSP_FAILSHIM_SLEEP_MS (default
 *                                       100) milliseconds, then goes
 *                                       ahead: two runs overlap there
 *     CSP_FAILSHIM="fsync:2:sighup"     SIGHUP arrives at the 2nd fsync
 *                                       (ignored under nohup)
 *
 * Several rules are separated by commas.  Functions: fsync, rename,
 * renameat, renameat2, link, linkat, unlink, unlinkat, rmdir, mkdirat,
 * fclose, fwrite, mkdir (for mkdir a signal comes just after the folder is made,
 * to hit the moment before the program has noted it: "mkdir:1:sigterm").
 * Actions: eio, enospc, exdev, einval, sigint, sigterm, sighup, sigkill,
 * sleep.  Counting is per function and starts at 1; "*" is every call.
 *
 * CSP_FAILSHIM_FILE=NAME counts only the fwrite calls on streams that
 * fopen opened on a path whose last component is NAME (such as
 * "strategy-report.pdf"), and the fsync calls on a descriptor open on
 * such a path, so that a failure can be aimed at one file whatever the
 * libraries write elsewhere, and whichever thread gets there first
 * (tests/functional/build.sh).  The counting is locked: csppack writes
 * the workbook on a thread of its own.
 */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    F_FSYNC,
    F_RENAME,
    F_RENAMEAT2,
    F_FCLOSE,
    F_FWRITE,
    F_MKDIR,
    F_RENAMEAT,
    F_LINK,
    F_LINKAT,
    F_UNLINK,
    F_UNLINKAT,
    F_RMDIR,
    F_MKDIRAT,
    F_COUNT
};

static const char *const names[F_COUNT] = {
    "fsync", "rename", "renameat2", "fclose", "fwrite",   "mkdir",
    "renameat", "link", "linkat",  "unlink", "unlinkat", "rmdir",
    "mkdirat"};

/* For each function: the call to act on (0: none) and the action. */
static long target[F_COUNT];
static char action[F_COUNT][16];
static long calls[F_COUNT];
static int parsed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Print how often each function was called (write(2) at exit). */
static void report(void)
{
    char line[256];
    int len = snprintf(line, sizeof line, "failshim:");
    for (int i = 0; i < F_COUNT && len > 0 && (size_t)len < sizeof line; i++)
        len += snprintf(line + len, sizeof line - (size_t)len, "%s %s %ld",
                        i ? "," : "", names[i], calls[i]);
    if (len > 0 && (size_t)len < sizeof line - 1) {
        line[len++] = '\n';
        (void)!write(STDERR_FILENO, line, (size_t)len);
    }
}

/* Parse CSP_FAILSHIM once. */
static void parse(void)
{
    if (parsed)
        return;
    parsed = 1;
    const char *env = getenv("CSP_FAILSHIM");
    if (!env)
        return;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", env);
    for (char *rule = strtok(buf, ","); rule; rule = strtok(NULL, ",")) {
        if (strcmp(rule, "count") == 0) {
            atexit(report);
            continue;
        }
        char fn[32] = "", count[16] = "", act[16] = "eio";
        if (sscanf(rule, "%31[a-z0-9]:%15[0-9*]:%15[a-z]", fn, count, act) < 2)
            continue;
        long n = strcmp(count, "*") == 0 ? -1 : atol(count);
        for (int i = 0; i < F_COUNT; i++) {
            if (strcmp(fn, names[i]) == 0) {
                target[i] = n;
                snprintf(action[i], sizeof action[i], "%s", act);
            }
        }
    }
}

/* 0: go ahead; otherwise the errno to fail with (after any signal). */
static int decide(int f)
{
    pthread_mutex_lock(&lock);
    parse();
    long n = ++calls[f];
    pthread_mutex_unlock(&lock);
    if (!target[f] || (target[f] > 0 && n != target[f]))
        return 0;
    const char *a = action[f];
    if (strcmp(a, "sigint") == 0) {
        raise(SIGINT);
        return 0;
    }
    if (strcmp(a, "sigterm") == 0) {
        raise(SIGTERM);
        return 0;
    }
    if (strcmp(a, "sighup") == 0) {
        raise(SIGHUP);
        return 0;
    }
    if (strcmp(a, "sleep") == 0) {
        const char *ms = getenv("CSP_FAILSHIM_SLEEP_MS");
        long m = ms ? atol(ms) : 100;
        struct timespec ts = {m / 1000, (m % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        return 0;
    }
    if (strcmp(a, "sigkill") == 0)
        raise(SIGKILL);
    if (strcmp(a, "enospc") == 0)
        return ENOSPC;
    if (strcmp(a, "exdev") == 0)
        return EXDEV;
    if (strcmp(a, "einval") == 0)
        return EINVAL;
    return EIO;
}

/* The next definition of a symbol. */
static void *next(const char *name)
{
    void *p = dlsym(RTLD_NEXT, name);
    if (!p)
        abort();
    return p;
}

/* Is @p path's last component CSP_FAILSHIM_FILE (or is none set)? */
static int named(const char *path)
{
    const char *want = getenv("CSP_FAILSHIM_FILE");
    if (!want)
        return 1;
    if (!path)
        return 0;
    const char *base = strrchr(path, '/');
    return strcmp(base ? base + 1 : path, want) == 0;
}

/* Is descriptor @p fd open on CSP_FAILSHIM_FILE (or is none set)? */
static int fd_named(int fd)
{
    char link[64], path[PATH_MAX];
    if (!getenv("CSP_FAILSHIM_FILE"))
        return 1;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    return named(path);
}

int fsync(int fd)
{
    int (*real)(int) = (int (*)(int))next("fsync");
    int e = fd_named(fd) ? decide(F_FSYNC) : 0;
    if (e) {
        errno = e;
        return -1;
    }
    return real(fd);
}

int mkdir(const char *path, mode_t mode)
{
    int (*real)(const char *, mode_t) =
        (int (*)(const char *, mode_t))next("mkdir");
    int rc = real(path, mode), saved = errno;
    int e = decide(F_MKDIR); /* a signal is raised here, after the mkdir */
    if (e && rc == 0) {
        ((int (*)(const char *))next("rmdir"))(path);
        errno = e;
        return -1;
    }
    errno = saved;
    return rc;
}

int rename(const char *a, const char *b)
{
    int (*real)(const char *, const char *) =
        (int (*)(const char *, const char *))next("rename");
    int e = decide(F_RENAME);
    if (e) {
        errno = e;
        return -1;
    }
    return real(a, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
    int (*real)(int, const char *, int, const char *, unsigned) =
        (int (*)(int, const char *, int, const char *, unsigned))next(
            "renameat2");
    int e = decide(F_RENAMEAT2);
    if (e) {
        errno = e;
        return -1;
    }
    return real(da, a, db, b, flags);
}

int renameat(int da, const char *a, int db, const char *b)
{
    int (*real)(int, const char *, int, const char *) =
        (int (*)(int, const char *, int, const char *))next("renameat");
    int e = decide(F_RENAMEAT);
    if (e) {
        errno = e;
        return -1;
    }
    return real(da, a, db, b);
}

int link(const char *a, const char *b)
{
    int (*real)(const char *, const char *) =
        (int (*)(const char *, const char *))next("link");
    int e = decide(F_LINK);
    if (e) {
        errno = e;
        return -1;
    }
    return real(a, b);
}

int linkat(int da, const char *a, int db, const char *b, int flags)
{
    int (*real)(int, const char *, int, const char *, int) =
        (int (*)(int, const char *, int, const char *, int))next("linkat");
    int e = decide(F_LINKAT);
    if (e) {
        errno = e;
        return -1;
    }
    return real(da, a, db, b, flags);
}

int unlink(const char *a)
{
    int (*real)(const char *) = (int (*)(const char *))next("unlink");
    int e = decide(F_UNLINK);
    if (e) {
        errno = e;
        return -1;
    }
    return real(a);
}

int unlinkat(int d, const char *a, int flags)
{
    int (*real)(int, const char *, int) =
        (int (*)(int, const char *, int))next("unlinkat");
    int e = decide(F_UNLINKAT);
    if (e) {
        errno = e;
        return -1;
    }
    return real(d, a, flags);
}

int mkdirat(int d, const char *a, mode_t mode)
{
    int (*real)(int, const char *, mode_t) =
        (int (*)(int, const char *, mode_t))next("mkdirat");
    int e = decide(F_MKDIRAT);
    if (e) {
        errno = e;
        return -1;
    }
    return real(d, a, mode);
}

int rmdir(const char *a)
{
    int (*real)(const char *) = (int (*)(const char *))next("rmdir");
    int e = decide(F_RMDIR);
    if (e) {
        errno = e;
        return -1;
    }
    return real(a);
}

/* The streams opened on CSP_FAILSHIM_FILE (a few at a time at most). */
static FILE *aimed[8];

/* Remember @p f when @p path names CSP_FAILSHIM_FILE. */
static void aim(FILE *f, const char *path)
{
    if (!f || !getenv("CSP_FAILSHIM_FILE") || !named(path))
        return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < sizeof aimed / sizeof *aimed; i++) {
        if (!aimed[i]) {
            aimed[i] = f;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

/* Is @p f a stream whose fwrite calls count?  Forget it when @p forget. */
static int aimed_at(FILE *f, int forget)
{
    int found = 0;
    if (!getenv("CSP_FAILSHIM_FILE"))
        return 1;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < sizeof aimed / sizeof *aimed; i++) {
        if (f && aimed[i] == f) {
            if (forget)
                aimed[i] = NULL;
            found = 1;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
    return found;
}

FILE *fopen(const char *path, const char *mode)
{
    FILE *(*real)(const char *, const char *) =
        (FILE * (*)(const char *, const char *)) next("fopen");
    FILE *f = real(path, mode);
    aim(f, path);
    return f;
}

FILE *fopen64(const char *path, const char *mode)
{
    FILE *(*real)(const char *, const char *) =
        (FILE * (*)(const char *, const char *)) next("fopen64");
    FILE *f = real(path, mode);
    aim(f, path);
    return f;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    size_t (*real)(const void *, size_t, size_t, FILE *) =
        (size_t(*)(const void *, size_t, size_t, FILE *))next("fwrite");
    int e = aimed_at(f, 0) ? decide(F_FWRITE) : 0;
    if (e) {
#ifdef _IO_ERR_SEEN
        f->_flags |= _IO_ERR_SEEN; /* ferror(f), as after a real failure */
#endif
        errno = e;
        return 0;
    }
    return real(p, size, n, f);
}

/* Whether @p f was opened for reading only.  Libraries read files of
 * their own before main (libselinux, which GMime's GIO pulls in, reads
 * /proc/mounts), so only closes of streams csppack writes are counted:
 * "fclose:1" is csppack's first output file whatever the libraries. */
static int read_only(FILE *f)
{
    int fl = f ? fcntl(fileno(f), F_GETFL) : -1;
    return fl >= 0 && (fl & O_ACCMODE) == O_RDONLY;
}

int fclose(FILE *f)
{
    int (*real)(FILE *) = (int (*)(FILE *))next("fclose");
    if (read_only(f))
        return real(f);
    aimed_at(f, 1);
    int e = decide(F_FCLOSE);
    int r = real(f);
    if (e) {
        errno = e;
        return EOF;
    }
    return r;
}
