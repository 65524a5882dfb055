/* csppack: all-or-nothing output folders (see outdir.h for the contract). */

/* renameat2, RENAME_EXCHANGE and RENAME_NOREPLACE (glibc 2.28 and later)
 * are GNU extensions; everything else here is POSIX.  Without
 * RENAME_EXCHANGE a pack cannot replace its folder in one step, and the
 * commit refuses (see outdir.h). */
#define _GNU_SOURCE 1

#include "csppack/pack/outdir.h"
#include "csppack/read/xmlread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* The prefix of a private folder's name (followed by mkdtemp's six). */
#define TMP_PREFIX ".csppack-tmp-"
/* The list of the files csppack wrote, kept in a pack (outdir.h). */
#define MANIFEST CSP_PACK_FILES_LIST
/* The most of a manifest that is read (a pack lists a few hundred). */
#define MANIFEST_MAX ((size_t)4 << 20)
/* How deep folders are followed (kept, or removed). */
#define TREE_MAX_DEPTH 32

/* One top-level entry written into the private folder. */
typedef struct entry {
    char *name;        /* "dataset.xml", "receipts" */
    bool is_dir;
} entry;

struct csp_outdir {
    char *dir;         /* DIR as given, for messages */
    bool whole;        /* DIR is a pack, replaced whole (csp_outdir_new) */
    char *home;        /* where tmp is made, locked: DIR's parent (whole)
                          or DIR (csp_outdir_new_files); NULL before begin */
    char *target;      /* whole: home + "/" + DIR's own name */
    char *tmp;         /* home/.csppack-tmp-XXXXXX, NULL before begin */
    int lock_fd;       /* home, locked exclusively until freed; or -1 */
    void (*on_wait)(void *ctx, const char *dir); /* the lock is busy */
    void *wait_ctx;
    bool created_dir;  /* files: this run created DIR */
    bool committed;
    char *msg;         /* the last error, or NULL */
    /* Everything created inside tmp, in creation order, for removal
     * (also from a signal handler: appended with signals blocked). */
    char **paths;
    bool *path_is_dir;
    size_t npaths, cappaths;
    entry *entries;
    size_t nentries, capentries;
    /* Files open for writing and their final paths, for messages. */
    struct open_file {
        FILE *f;
        char *target;
    } *open;
    size_t nopen, capopen;
    /* Files closed and not yet synced: their data is on its way to the
     * disk (csp_outdir_close), and the commit syncs them all first. */
    struct unsynced {
        int fd;
        char *target;
    } *unsynced;
    size_t nunsynced, capunsynced;
    /* Signals: caught[i] when this writer installed its handler for
     * caught_signals[i] (one ignored at startup stays ignored). */
    bool catching;
    bool caught[3];
    struct sigaction old_action[3];
};

static const int caught_signals[3] = {SIGINT, SIGTERM, SIGHUP};

/* The writer the signal handler cleans up after (at most one). */
static csp_outdir *volatile signal_od;

/* Record the last error as a formatted sentence. */
__attribute__((format(printf, 2, 3))) static void
set_msg(csp_outdir *od, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *m = csp_malloc((size_t)n + 1);
    if (!m)
        return;
    va_start(ap, fmt);
    vsnprintf(m, (size_t)n + 1, fmt, ap);
    va_end(ap);
    free(od->msg);
    od->msg = m;
}

/* a + "/" + b, freshly allocated; NULL when memory ran out. */
static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = csp_malloc(la + lb + 2);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

/* Block the caught signals, saving the old mask in @p old. */
static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&set, caught_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Restore the signal mask saved by block_signals. */
static void unblock_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}

/* Remember a path created in the private folder (takes @p path). */
static csp_error remember(csp_outdir *od, char *path, bool is_dir)
{
    csp_error err = CSP_OK;
    sigset_t old;
    block_signals(&old);
    if (od->npaths == od->cappaths) {
        size_t cap = od->cappaths ? od->cappaths * 2 : 16;
        char **p = csp_malloc(cap * sizeof *p);
        bool *d = csp_malloc(cap * sizeof *d);
        if (!p || !d) {
            free(p);
            free(d);
            free(path);
            err = CSP_ERR_NOMEM;
            goto out;
        }
        if (od->npaths) {
            memcpy(p, od->paths, od->npaths * sizeof *p);
            memcpy(d, od->path_is_dir, od->npaths * sizeof *d);
        }
        free(od->paths);
        free(od->path_is_dir);
        od->paths = p;
        od->path_is_dir = d;
        od->cappaths = cap;
    }
    od->paths[od->npaths] = path;
    od->path_is_dir[od->npaths] = is_dir;
    od->npaths++;
out:
    unblock_signals(&old);
    return err;
}

/* Record a top-level entry once. */
static csp_error add_entry(csp_outdir *od, const char *name, size_t len,
                           bool is_dir)
{
    for (size_t i = 0; i < od->nentries; i++)
        if (strlen(od->entries[i].name) == len &&
            memcmp(od->entries[i].name, name, len) == 0)
            return CSP_OK;
    if (od->nentries == od->capentries) {
        size_t cap = od->capentries ? od->capentries * 2 : 8;
        entry *e = csp_realloc(od->entries, cap * sizeof *e);
        if (!e)
            return CSP_ERR_NOMEM;
        od->entries = e;
        od->capentries = cap;
    }
    char *n = csp_malloc(len + 1);
    if (!n)
        return CSP_ERR_NOMEM;
    memcpy(n, name, len);
    n[len] = '\0';
    od->entries[od->nentries++] = (entry){.name = n, .is_dir = is_dir};
    return CSP_OK;
}

/* A new writer of either kind. */
static csp_outdir *outdir_new(const char *dir, bool whole)
{
    csp_outdir *od = csp_calloc(1, sizeof *od);
    if (!od)
        return NULL;
    if (!(od->dir = csp_strdup(dir && *dir ? dir : "."))) {
        free(od);
        return NULL;
    }
    od->whole = whole;
    od->lock_fd = -1;
    return od;
}

/* A writer of a whole pack folder. */
csp_outdir *csp_outdir_new(const char *dir)
{
    return outdir_new(dir, true);
}

/* A writer of files into a folder that stays. */
csp_outdir *csp_outdir_new_files(const char *dir)
{
    return outdir_new(dir, false);
}

/* Is @p name what mkdtemp makes of TMP_PREFIX "XXXXXX"? */
static bool is_private_name(const char *name)
{
    size_t n = strlen(TMP_PREFIX);
    if (strncmp(name, TMP_PREFIX, n) != 0 || strlen(name + n) != 6)
        return false;
    for (const char *p = name + n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* Remove @p path and everything below it, without following links. */
static void remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    if (depth < TREE_MAX_DEPTH) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 ||
                    strcmp(de->d_name, "..") == 0)
                    continue;
                char *child = join(path, de->d_name);
                if (child) {
                    remove_tree(child, depth + 1);
                    free(child);
                }
            }
            closedir(d);
        }
    }
    rmdir(path);
}

/*
 * The lock.  A run holds an exclusive flock(2) on home, the folder in
 * which it makes its private folder and renames, from before it makes
 * that folder until it is freed; a second run waits for it.  Holding it,
 * a run knows that every private folder in home was left by a run that
 * died (SIGKILL, a crash, a power cut), and removes them.  Where home
 * cannot be opened or locked (some network file systems), the run goes
 * on unlocked and removes nothing.
 */
static void lock_home(csp_outdir *od)
{
    int fd = open(od->home, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        goto locked;
    if (errno == EWOULDBLOCK && od->on_wait)
        od->on_wait(od->wait_ctx, od->dir);
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(fd);
            return;
        }
    }
locked:
    od->lock_fd = fd;
    DIR *d = opendir(od->home);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        struct stat st;
        if (!is_private_name(de->d_name))
            continue;
        char *path = join(od->home, de->d_name);
        if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path, 0);
        free(path);
    }
    if (d)
        closedir(d);
}

/* Whole: find DIR's parent (home) and DIR's absolute path (target),
 * through any link, DIR itself needing not exist. */
static csp_error resolve_whole(csp_outdir *od)
{
    csp_error err = CSP_OK;
    char *copy = csp_strdup(od->dir), *real = NULL, *base;
    struct stat st;
    if (!copy)
        return CSP_ERR_NOMEM;
    /* "pack/" is "pack"; "/" stays. */
    for (size_t n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
        copy[n - 1] = '\0';
    if (stat(copy, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            set_msg(od, "cannot write into %s: it is not a folder", od->dir);
            err = CSP_ERR_IO;
            goto out;
        }
        real = realpath(copy, NULL);
    } else if (errno == ENOENT) {
        /* The parent must exist: resolve it, then add DIR's name. */
        char *slash = strrchr(copy, '/');
        base = slash ? slash + 1 : copy;
        if (slash == copy)
            real = csp_strdup("/");
        else {
            if (slash)
                *slash = '\0';
            real = realpath(slash ? copy : ".", NULL);
        }
        if (real && strcmp(base, ".") && strcmp(base, "..")) {
            od->home = real;
            od->target = join(strcmp(real, "/") == 0 ? "" : real, base);
            real = NULL;
            if (!od->target)
                err = CSP_ERR_NOMEM;
            goto out;
        }
        errno = real ? ENOENT : errno;
        free(real);
        real = NULL;
    }
    if (!real) {
        set_msg(od, "cannot create the output folder %s: %s", od->dir,
                strerror(errno));
        err = errno == ENOMEM ? CSP_ERR_NOMEM : CSP_ERR_IO;
        goto out;
    }
    /* An existing folder, /a/b: home /a, target /a/b. */
    char *last = strrchr(real, '/');
    if (!last || last[1] == '\0') {
        set_msg(od, "cannot write a pack into %s: the pack replaces its "
                    "folder whole; name a folder of its own",
                od->dir);
        err = CSP_ERR_IO;
        goto out;
    }
    od->target = real;
    od->home = last == real ? csp_strdup("/")
                            : csp_strndup(real, (size_t)(last - real));
    real = NULL;
    if (!od->home) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* A mount point cannot be swapped with a folder beside it: say so
     * before anything is written. */
    struct stat up;
    if (stat(od->home, &up) == 0 && up.st_dev != st.st_dev) {
        set_msg(od, "cannot replace %s in one step: it is a mount point, or "
                    "on another file system than the folder that holds it; "
                    "name a folder inside it",
                od->dir);
        err = CSP_ERR_IO;
    }
out:
    free(real);
    free(copy);
    return err;
}

/* Files: create DIR when needed; it is home. */
static csp_error resolve_files(csp_outdir *od)
{
    struct stat st;
    sigset_t old;
    /* What is created is recorded before a signal can make the handler
     * (csp_outdir_catch_signals, which may come first) look. */
    if (stat(od->dir, &st) != 0) {
        block_signals(&old);
        bool made = errno == ENOENT && mkdir(od->dir, 0777) == 0;
        int e = errno;
        od->created_dir = made;
        unblock_signals(&old);
        if (!made) {
            set_msg(od, "cannot create the output folder %s: %s", od->dir,
                    strerror(e));
            return CSP_ERR_IO;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        set_msg(od, "cannot write into %s: it is not a folder", od->dir);
        return CSP_ERR_IO;
    }
    return (od->home = csp_strdup(od->dir)) ? CSP_OK : CSP_ERR_NOMEM;
}

/* The mode a new pack folder gets: the old one's, or what mkdir gives. */
static mode_t pack_mode(const csp_outdir *od)
{
    struct stat st;
    if (stat(od->target, &st) == 0)
        return st.st_mode & 07777;
    mode_t mask = umask(0);
    umask(mask);
    return 0777 & ~mask;
}

/* Lock, clean up, create the private folder. */
csp_error csp_outdir_begin(csp_outdir *od)
{
    csp_error err = CSP_OK;
    sigset_t old;
    char *tmpl = NULL;
    if (od->tmp || od->home)
        return CSP_ERR_USAGE;
    if ((err = od->whole ? resolve_whole(od) : resolve_files(od)) != CSP_OK)
        goto out;
    if (!(tmpl = join(od->home, TMP_PREFIX "XXXXXX"))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    lock_home(od);
    block_signals(&old);
    if (mkdtemp(tmpl))
        od->tmp = tmpl;
    int e = errno;
    unblock_signals(&old);
    if (!od->tmp && od->whole) {
        /* Say where: the folder that cannot be written is DIR's parent. */
        set_msg(od, "cannot write the pack beside %s, in %s, where it is made "
                    "before it replaces the old one whole: %s",
                od->dir, od->home, strerror(e));
        free(tmpl);
        err = CSP_ERR_IO;
        goto out;
    }
    if (!od->tmp) {
        set_msg(od, "cannot write into the output folder %s: %s", od->dir,
                strerror(e));
        free(tmpl);
        err = CSP_ERR_IO;
        goto out;
    }
    /* mkdtemp makes it private; a pack gets its folder's mode. */
    if (od->whole && chmod(od->tmp, pack_mode(od)) != 0) {
        set_msg(od, "cannot write into the output folder %s: %s", od->dir,
                strerror(errno));
        err = CSP_ERR_IO;
    }
out:
    if (err != CSP_OK && od->lock_fd >= 0) {
        close(od->lock_fd);
        od->lock_fd = -1;
    }
    if (err != CSP_OK && od->created_dir) {
        rmdir(od->dir);
        od->created_dir = false;
    }
    return err;
}

/* Check a relative output name: 1 or 2 components, none empty or dotted.
 * Returns the length of the first component, or 0 when invalid. */
static size_t check_name(const char *name, bool *two)
{
    const char *slash = strchr(name, '/');
    *two = slash != NULL;
    size_t first = slash ? (size_t)(slash - name) : strlen(name);
    if (first == 0 || name[0] == '.')
        return 0;
    if (slash) {
        const char *second = slash + 1;
        if (!*second || *second == '.' || strchr(second, '/'))
            return 0;
    }
    return first;
}

/* Create a sub-folder of the private folder (idempotent). */
static csp_error make_subdir(csp_outdir *od, const char *name, size_t len)
{
    char *sub = csp_malloc(len + 1);
    if (!sub)
        return CSP_ERR_NOMEM;
    memcpy(sub, name, len);
    sub[len] = '\0';
    char *path = join(od->tmp, sub);
    free(sub);
    if (!path)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < od->npaths; i++)
        if (od->path_is_dir[i] && strcmp(od->paths[i], path) == 0) {
            free(path);
            return CSP_OK;
        }
    csp_error err = add_entry(od, name, len, true);
    if (err != CSP_OK) {
        free(path);
        return err;
    }
    /* Made and remembered with the signals held off, so that the handler
     * never finds a folder it does not know of (and cannot remove the
     * private folder around it). */
    sigset_t old;
    block_signals(&old);
    if (mkdir(path, 0777) != 0) {
        int e = errno;
        unblock_signals(&old);
        set_msg(od, "cannot create %s: %s", path, strerror(e));
        free(path);
        return CSP_ERR_IO;
    }
    err = remember(od, path, true);
    unblock_signals(&old);
    return err;
}

/* Create an empty sub-folder. */
csp_error csp_outdir_mkdir(csp_outdir *od, const char *name)
{
    bool two;
    if (!od->tmp || od->committed)
        return CSP_ERR_USAGE;
    size_t first = check_name(name, &two);
    if (!first || two)
        return CSP_ERR_USAGE;
    return make_subdir(od, name, first);
}

/* Remember an open file and the path it will have in DIR. */
static csp_error track_open(csp_outdir *od, FILE *f, const char *name)
{
    if (od->nopen == od->capopen) {
        size_t cap = od->capopen ? od->capopen * 2 : 4;
        struct open_file *p = csp_realloc(od->open, cap * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        od->open = p;
        od->capopen = cap;
    }
    char *target = join(od->dir, name);
    if (!target)
        return CSP_ERR_NOMEM;
    od->open[od->nopen].f = f;
    od->open[od->nopen].target = target;
    od->nopen++;
    return CSP_OK;
}

/* Forget an open file; returns its final path (caller frees) or NULL. */
static char *untrack_open(csp_outdir *od, FILE *f)
{
    for (size_t i = 0; i < od->nopen; i++) {
        if (od->open[i].f != f)
            continue;
        char *t = od->open[i].target;
        od->open[i] = od->open[--od->nopen];
        return t;
    }
    return NULL;
}

/* Open a file in the private folder. */
FILE *csp_outdir_create(csp_outdir *od, const char *name, csp_error *err)
{
    bool two;
    FILE *f = NULL;
    *err = CSP_OK;
    if (!od->tmp || od->committed) {
        *err = CSP_ERR_USAGE;
        return NULL;
    }
    size_t first = check_name(name, &two);
    if (!first) {
        *err = CSP_ERR_USAGE;
        return NULL;
    }
    if (two)
        *err = make_subdir(od, name, first);
    else
        *err = add_entry(od, name, first, false);
    if (*err != CSP_OK)
        return NULL;
    char *path = join(od->tmp, name);
    if (!path) {
        *err = CSP_ERR_NOMEM;
        return NULL;
    }
    /* Remember first, so that a signal arriving just after the file is
     * created still finds it. */
    char *copy = csp_strdup(path);
    if (!copy || (*err = remember(od, copy, false)) != CSP_OK) {
        if (!copy)
            *err = CSP_ERR_NOMEM;
        free(path);
        return NULL;
    }
    f = fopen(path, "wbx");
    if (!f) {
        set_msg(od, "cannot create %s: %s", path, strerror(errno));
        *err = CSP_ERR_IO;
        free(path);
        return NULL;
    }
    free(path);
    if ((*err = track_open(od, f, name)) != CSP_OK) {
        fclose(f);
        return NULL;
    }
    /* Held until csp_outdir_close.  Once a process has started a thread
     * (the readers do), glibc locks a stream for every putc, and writers
     * that write a character at a time spent a fifth of their time in
     * those locks; a lock already held by the caller costs little. */
    flockfile(f);
    return f;
}

/* Is @p e what a failed write of a regular file says (rather than a stale
 * errno of something else)? */
static bool write_errno(int e)
{
#ifdef EDQUOT
    if (e == EDQUOT)
        return true;
#endif
    return e == ENOSPC || e == EFBIG || e == EIO;
}

/*
 * Start writing a closed file's data to the disk and keep a descriptor to
 * sync it at the commit, named @p target; false when it cannot be kept,
 * and the caller syncs now.  A build writes hundreds of
 * megabytes at county scale: syncing each file as it is closed made the
 * writer wait for the disk (0.2 s at 200 MiB of submissions) while the
 * disk could write it beside the next files.
 */
static bool sync_later(csp_outdir *od, int fd, const char *target)
{
    if (od->nunsynced == od->capunsynced) {
        size_t cap = od->capunsynced ? 2 * od->capunsynced : 16;
        struct unsynced *more =
            csp_realloc(od->unsynced, cap * sizeof *od->unsynced);
        if (!more)
            return false;
        od->unsynced = more;
        od->capunsynced = cap;
    }
    char *name = target ? csp_strdup(target) : NULL;
    int kept = target && !name ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (kept < 0) {
        free(name);
        return false;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    (void)sync_file_range(kept, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    od->unsynced[od->nunsynced].fd = kept;
    od->unsynced[od->nunsynced].target = name;
    od->nunsynced++;
    return true;
}

/* Sync every file closed since the last call, in the order they were
 * closed; the first failure names its file. */
static csp_error sync_closed(csp_outdir *od)
{
    csp_error err = CSP_OK;
    for (size_t i = 0; i < od->nunsynced; i++) {
        struct unsynced *u = &od->unsynced[i];
        if (err == CSP_OK && fsync(u->fd) != 0) {
            set_msg(od, "syncing %s failed: %s",
                    u->target ? u->target : "an output file",
                    strerror(errno));
            err = CSP_ERR_IO;
        }
        close(u->fd);
        free(u->target);
    }
    od->nunsynced = 0;
    return err;
}

/* Flush and close one file, its data on its way to the disk: the commit
 * syncs it (sync_later). */
csp_error csp_outdir_close(csp_outdir *od, FILE *f)
{
    /* A writer that saw its fwrite fail comes here with the stream's error
     * flag set and, usually, errno still saying why (ENOSPC on a full
     * disk): keep that reason rather than a vague EIO. */
    int saved = errno;
    if (!f)
        return CSP_ERR_USAGE;
    int e = 0;
    const char *what = NULL;
    char *target = untrack_open(od, f);
    if (fflush(f) != 0) {
        e = errno;
        what = "writing";
    } else if (ferror(f)) {
        e = write_errno(saved) ? saved : EIO;
        what = "writing";
    } else if (!sync_later(od, fileno(f), target) && fsync(fileno(f)) != 0) {
        e = errno;
        what = "syncing";
    }
    funlockfile(f);
    if (fclose(f) != 0 && !what) {
        e = errno;
        what = "closing";
    }
    if (what) {
        set_msg(od, "%s %s failed: %s", what,
                target ? target : "an output file", strerror(e ? e : EIO));
        free(target);
        return CSP_ERR_IO;
    }
    free(target);
    return CSP_OK;
}
/* Make the entries of folder @p dir durable (errors ignored: some file
 * systems cannot sync a folder, and the renames are already visible). */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Byte order of two strings, for qsort and bsearch. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The relative paths of the files a pack's manifest lists, sorted. */
typedef struct name_list {
    char **names;
    size_t count;
} name_list;

static void name_list_free(name_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->count = 0;
}

/* Read the old pack's manifest from folder @p dirfd.  None (a pack of an
 * older csppack, or not a pack) is an empty list: then every old file the
 * new pack does not replace is kept. */
static csp_error read_manifest(int dirfd, name_list *out)
{
    csp_error err = CSP_OK;
    char *buf = NULL;
    size_t n = 0;
    struct stat st;
    int fd = openat(dirfd, MANIFEST,
                    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return CSP_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        goto out;
    size_t cap = (uintmax_t)st.st_size < MANIFEST_MAX ? (size_t)st.st_size
                                                       : MANIFEST_MAX;
    if (!(buf = csp_malloc(cap + 1))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    while (n < cap) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < n; i++)
        lines += buf[i] == '\n';
    if (!(out->names = csp_calloc(lines, sizeof *out->names))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (char *line = buf, *end; line < buf + n; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = buf + n;
        *end = '\0';
        if (!*line || *line == '#')
            continue;
        if (!(out->names[out->count] = csp_strdup(line))) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        out->count++;
    }
    qsort(out->names, out->count, sizeof *out->names, cmp_str);
out:
    close(fd);
    free(buf);
    return err;
}

/* Did the old pack's csppack write @p rel? */
static bool manifest_has(const name_list *l, const char *rel)
{
    return l->count &&
           bsearch(&rel, l->names, l->count, sizeof *l->names, cmp_str);
}

/* Write the manifest of the new pack: every file this run wrote. */
static csp_error write_manifest(csp_outdir *od)
{
    csp_error err = CSP_OK;
    size_t skip = strlen(od->tmp) + 1, n = 0;
    FILE *f = NULL;
    char *path = NULL, *copy = NULL;
    const char **names = csp_malloc((od->npaths + 1) * sizeof *names);
    if (!names)
        return CSP_ERR_NOMEM;
    for (size_t i = 0; i < od->npaths; i++)
        if (!od->path_is_dir[i] && !strchr(od->paths[i] + skip, '\n'))
            names[n++] = od->paths[i] + skip;
    qsort(names, n, sizeof *names, cmp_str);
    if (!(path = join(od->tmp, MANIFEST)) || !(copy = csp_strdup(path))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = remember(od, copy, false)) != CSP_OK)
        goto out;
    if (!(f = fopen(path, "wbx"))) {
        set_msg(od, "cannot create %s: %s", path, strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    fputs("# The files csppack wrote in this folder.  The next run replaces "
          "them;\n# it keeps every other file in the folder.\n",
          f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", names[i]);
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
        int e = errno ? errno : EIO;
        set_msg(od, "writing %s/%s failed: %s", od->dir, MANIFEST,
                strerror(e));
        err = CSP_ERR_IO;
    }
out:
    if (f && fclose(f) != 0 && err == CSP_OK) {
        set_msg(od, "closing %s/%s failed: %s", od->dir, MANIFEST,
                strerror(errno));
        err = CSP_ERR_IO;
    }
    free(path);
    free(names);
    return err;
}

/* Walking the old pack to keep what csppack did not write. */
typedef struct carry_ctx {
    csp_outdir *od;
    const name_list *mine;  /* the old pack's manifest */
    bool move;              /* after the swap: move, best effort */
    char rel[4096];         /* the entry's path inside the pack */
} carry_ctx;

static csp_error carry(carry_ctx *c, int from, int to, size_t rlen,
                       int depth);

/* Refuse to go on: @p what about c->rel. */
static csp_error cannot_keep(carry_ctx *c, const char *what)
{
    set_msg(c->od, "cannot keep %s/%s in the new pack: %s; move it out of "
                   "%s first",
            c->od->dir, c->rel, what, c->od->dir);
    return CSP_ERR_IO;
}

/* Carry the folder c->rel (named @p name in @p from and @p to). */
static csp_error carry_into(carry_ctx *c, int from, int to, const char *name,
                            size_t rlen, int depth)
{
    csp_error err = CSP_OK;
    if (depth + 1 >= TREE_MAX_DEPTH)
        return c->move ? CSP_OK : cannot_keep(c, "folders nested too deep");
    int f = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int t = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (f < 0 || t < 0)
        err = c->move ? CSP_OK : cannot_keep(c, strerror(errno));
    else
        err = carry(c, f, t, rlen, depth + 1);
    if (f >= 0)
        close(f);
    if (t >= 0)
        close(t);
    return err;
}

/*
 * Before the swap (c->move false): give the new pack (@p to) every entry
 * of the old one (@p from) that csppack did not write, files by hard
 * links (the same file, untouched, under a second name until the old pack
 * is removed), folders made again with their mode; refuse when one cannot
 * be kept, or a folder of the user's is where csppack writes a file (or
 * the reverse).  After the swap (c->move true): move into the new pack
 * whatever the user put into the old one meanwhile.  @p rlen: the length
 * of the folder's own path in c->rel.
 */
static csp_error carry(carry_ctx *c, int from, int to, size_t rlen, int depth)
{
    csp_error err = CSP_OK;
    int dfd = fcntl(from, F_DUPFD_CLOEXEC, 0);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return c->move ? CSP_OK : cannot_keep(c, strerror(errno));
    }
    struct dirent *de;
    while (err == CSP_OK && (de = readdir(d))) {
        const char *name = de->d_name;
        struct stat os, ns;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            (depth == 0 &&
             (is_private_name(name) || strcmp(name, MANIFEST) == 0)))
            continue;
        size_t nlen = strlen(name), len = rlen + (rlen > 0) + nlen;
        if (len >= sizeof c->rel) {
            err = c->move ? CSP_OK : cannot_keep(c, "its path is too long");
            break;
        }
        if (rlen)
            c->rel[rlen] = '/';
        memcpy(c->rel + rlen + (rlen > 0), name, nlen + 1);
        if (fstatat(from, name, &os, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* gone meanwhile */
        /* The manifest lists files: a folder there is the user's. */
        bool mine = !S_ISDIR(os.st_mode) && manifest_has(c->mine, c->rel);
        if (fstatat(to, name, &ns, AT_SYMLINK_NOFOLLOW) == 0) {
            bool was_dir = S_ISDIR(os.st_mode), is_dir = S_ISDIR(ns.st_mode);
            if (was_dir && is_dir)
                err = carry_into(c, from, to, name, len, depth);
            else if (was_dir != is_dir && !mine && !c->move) {
                set_msg(c->od, "cannot replace %s/%s: it is %s, and csppack "
                               "writes %s there; move it away first",
                        c->od->dir, c->rel,
                        was_dir ? "a folder" : "not a folder",
                        is_dir ? "a folder" : "a file");
                err = CSP_ERR_IO;
            }
            continue; /* else the new pack's replaces it */
        }
        if (mine)
            continue; /* csppack wrote it last time, and not now */
        if (c->move) {
            (void)renameat2(from, name, to, name, RENAME_NOREPLACE);
            continue;
        }
        /* Noted before it is made, as everything in the private folder,
         * so that a failed run removes it without listing the folder
         * (which needs memory that may have run out). */
        char *path = join(c->od->tmp, c->rel);
        if (!path ||
            (err = remember(c->od, path, S_ISDIR(os.st_mode))) != CSP_OK) {
            err = CSP_ERR_NOMEM;
            break;
        }
        if (!S_ISDIR(os.st_mode)) {
            if (linkat(from, name, to, name, 0) != 0)
                err = cannot_keep(c, strerror(errno));
        } else if (mkdirat(to, name, 0700) != 0 ||
                   fchmodat(to, name, os.st_mode & 07777, 0) != 0)
            err = cannot_keep(c, strerror(errno));
        else
            err = carry_into(c, from, to, name, len, depth);
    }
    closedir(d);
    c->rel[rlen] = '\0';
    return err;
}

/* Whole: put the new pack in the place of the old one in one step. */
static csp_error commit_whole(csp_outdir *od)
{
    csp_error err = CSP_OK;
    name_list mine = {0};
    struct stat st;
    int from = -1, to = -1;
    bool exists;
    if ((err = write_manifest(od)) != CSP_OK)
        goto out;
    if ((to = open(od->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        set_msg(od, "cannot open %s: %s", od->tmp, strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    exists = lstat(od->target, &st) == 0;
    if (!exists && errno != ENOENT) {
        set_msg(od, "cannot replace %s: %s", od->dir, strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    if (exists) {
        from = open(od->target,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (from < 0) {
            set_msg(od, "cannot replace %s: %s", od->dir,
                    errno == ENOTDIR || errno == ELOOP ? "it is not a folder"
                                                       : strerror(errno));
            err = CSP_ERR_IO;
            goto out;
        }
        carry_ctx c = {.od = od, .mine = &mine};
        if ((err = read_manifest(from, &mine)) != CSP_OK ||
            (err = carry(&c, from, to, 0, 0)) != CSP_OK)
            goto out;
    }
    for (size_t i = 0; i < od->npaths; i++)
        if (od->path_is_dir[i])
            sync_dir(od->paths[i]);
    sync_dir(od->tmp);
    if (exists &&
        renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->target,
                  RENAME_EXCHANGE) != 0) {
        int e = errno;
        if (e == EINVAL || e == ENOSYS || e == ENOTSUP)
            set_msg(od, "cannot replace %s in one step: the file system "
                        "cannot swap two folders (%s)",
                    od->dir, strerror(e));
        else if (e == EXDEV || e == EBUSY)
            set_msg(od, "cannot replace %s in one step: it is a mount point, "
                        "or on another file system than the folder that "
                        "holds it (%s); name a folder inside it",
                    od->dir, strerror(e));
        else
            set_msg(od, "cannot replace %s: %s", od->dir, strerror(e));
        err = CSP_ERR_IO;
        goto out;
    }
    /* A folder that is not there yet: never over one that appeared
     * (RENAME_NOREPLACE; where it is missing, the lock must do). */
    if (!exists &&
        renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->target,
                  RENAME_NOREPLACE) != 0 &&
        !((errno == EINVAL || errno == ENOSYS) &&
          lstat(od->target, &st) != 0 && errno == ENOENT &&
          rename(od->tmp, od->target) == 0)) {
        set_msg(od, "cannot move %s into place: %s", od->dir,
                strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    od->committed = true;
    if (exists) {
        carry_ctx c = {.od = od, .mine = &mine, .move = true};
        (void)carry(&c, from, to, 0, 0);
    }
    sync_dir(od->home);
    /* The old pack, now in the private folder's place. */
    remove_tree(od->tmp, 0);
out:
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    name_list_free(&mine);
    return err;
}

/* Files: rename each file over its namesake in DIR. */
static csp_error commit_files(csp_outdir *od)
{
    csp_error err = CSP_OK;
    for (size_t pass = 0; pass < 2 && err == CSP_OK; pass++) {
        for (size_t i = 0; i < od->nentries && err == CSP_OK; i++) {
            const entry *e = &od->entries[i];
            char *src = join(od->tmp, e->name), *dst = join(od->dir, e->name);
            struct stat st;
            if (!src || !dst)
                err = CSP_ERR_NOMEM;
            else if (e->is_dir)
                err = CSP_ERR_USAGE; /* only a whole pack has folders */
            else if (pass == 0 && lstat(dst, &st) == 0 &&
                     S_ISDIR(st.st_mode)) {
                /* First pass: nothing moves while one would fail. */
                set_msg(od, "cannot replace %s: it is a folder, and csppack "
                            "writes a file there; move it away first",
                        dst);
                err = CSP_ERR_IO;
            } else if (pass == 1 && rename(src, dst) != 0) {
                set_msg(od, "cannot move %s into place: %s", dst,
                        strerror(errno));
                err = CSP_ERR_IO;
            }
            free(src);
            free(dst);
        }
    }
    if (err != CSP_OK)
        return err;
    od->committed = true;
    sync_dir(od->home);
    remove_tree(od->tmp, 0);
    return CSP_OK;
}

/* Move everything into place. */
csp_error csp_outdir_commit(csp_outdir *od)
{
    sigset_t old;
    if (!od->tmp || od->committed)
        return CSP_ERR_USAGE;
    csp_error err = sync_closed(od);
    if (err != CSP_OK)
        return err;
    /* Hold off SIGINT and friends: the commit completes or is undone. */
    block_signals(&old);
    err = od->whole ? commit_whole(od) : commit_files(od);
    unblock_signals(&old);
    return err;
}


/* Say so when waiting for the lock. */
void csp_outdir_on_wait(csp_outdir *od, void (*fn)(void *ctx, const char *dir),
                        void *ctx)
{
    od->on_wait = fn;
    od->wait_ctx = ctx;
}

/* The last error. */
const char *csp_outdir_message(const csp_outdir *od)
{
    return od && od->msg ? od->msg : "";
}

/* The private folder. */
const char *csp_outdir_tmpdir(const csp_outdir *od)
{
    return od ? od->tmp : NULL;
}

/* Remove what the run created (async-signal-safe: unlink, rmdir and
 * nanosleep only).  The workbook's thread may be writing meanwhile: it
 * can make the workbook again after it was removed here (libxlsxwriter
 * opens it when it closes the workbook), and libxlsxwriter makes its
 * temporary files in the private folder and removes each at once, so for
 * an instant the folder holds a file no one noted.  While the private
 * folder is not empty, remove what was noted again, for up to a second
 * when @p patient (the signal handler; otherwise every thread has ended
 * and the caller removes what is left). */
static void remove_created(csp_outdir *od, bool patient)
{
    const struct timespec ms = {0, 1000000};
    for (int tries = 0;; tries++) {
        for (size_t i = od->npaths; i-- > 0;) {
            if (od->path_is_dir[i])
                rmdir(od->paths[i]);
            else
                unlink(od->paths[i]);
        }
        if (!od->tmp || rmdir(od->tmp) == 0 || errno != ENOTEMPTY ||
            !patient || tries == 1000)
            break;
        nanosleep(&ms, NULL);
    }
    if (od->created_dir)
        rmdir(od->dir);
}

/* The handler: clean up, then die of the signal as usual. */
static void on_signal(int sig)
{
    csp_outdir *od = signal_od;
    if (od && !od->committed)
        remove_created(od, true);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Clean up on SIGINT, SIGTERM, SIGHUP, unless ignored. */
csp_error csp_outdir_catch_signals(csp_outdir *od)
{
    if (od->catching || signal_od)
        return CSP_ERR_USAGE;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, caught_signals[i]);
    signal_od = od;
    for (size_t i = 0; i < 3; i++) {
        /* A signal ignored when the program started (nohup ignores
         * SIGHUP) is meant to be ignored: leave it so. */
        if (sigaction(caught_signals[i], NULL, &od->old_action[i]) == 0 &&
            od->old_action[i].sa_handler == SIG_IGN)
            continue;
        if (sigaction(caught_signals[i], &sa, &od->old_action[i]) != 0) {
            while (i-- > 0)
                if (od->caught[i])
                    sigaction(caught_signals[i], &od->old_action[i], NULL);
            signal_od = NULL;
            return CSP_ERR_INTERNAL;
        }
        od->caught[i] = true;
    }
    od->catching = true;
    return CSP_OK;
}

/* Clean up and free. */
void csp_outdir_free(csp_outdir *od)
{
    if (!od)
        return;
    sigset_t old;
    block_signals(&old);
    if (!od->committed)
        remove_created(od, false);
    if (od->tmp)
        remove_tree(od->tmp, 0); /* what is left: all of it, once committed */
    if (!od->committed && od->created_dir)
        rmdir(od->dir);
    if (od->catching) {
        for (size_t i = 0; i < 3; i++)
            if (od->caught[i])
                sigaction(caught_signals[i], &od->old_action[i], NULL);
        signal_od = NULL;
    }
    unblock_signals(&old);
    for (size_t i = 0; i < od->npaths; i++)
        free(od->paths[i]);
    free(od->paths);
    free(od->path_is_dir);
    for (size_t i = 0; i < od->nentries; i++)
        free(od->entries[i].name);
    free(od->entries);
    for (size_t i = 0; i < od->nopen; i++)
        free(od->open[i].target);
    free(od->open);
    for (size_t i = 0; i < od->nunsynced; i++) {
        close(od->unsynced[i].fd);
        free(od->unsynced[i].target);
    }
    free(od->unsynced);
    if (od->lock_fd >= 0)
        close(od->lock_fd);
    free(od->msg);
    free(od->tmp);
    free(od->home);
    free(od->target);
    free(od->dir);
    free(od);
}

/* Reserve a file for a writer that takes a path. */
char *csp_outdir_reserve(csp_outdir *od, const char *name, csp_error *err)
{
    FILE *f = csp_outdir_create(od, name, err);
    if (!f)
        return NULL;
    if ((*err = csp_outdir_close(od, f)) != CSP_OK)
        return NULL;
    char *path = join(od->tmp, name);
    if (!path)
        *err = CSP_ERR_NOMEM;
    return path;
}

/* fsync a reserved file. */
csp_error csp_outdir_sync(csp_outdir *od, const char *name)
{
    char *path = join(od->tmp, name);
    if (!path)
        return CSP_ERR_NOMEM;
    csp_error err = CSP_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        /* Name the file as it will be in DIR, as csp_outdir_close does. */
        int e = errno;
        char *target = join(od->dir, name);
        set_msg(od, "syncing %s failed: %s", target ? target : path,
                strerror(e));
        free(target);
        err = CSP_ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    free(path);
    return err;
}
