/* csppack: all-or-nothing output folders (see outdir.h for the contract). */

/* renameat2 and RENAME_EXCHANGE (glibc 2.28 and later) are GNU extensions;
 * everything else here is POSIX.  Where they are missing, the portable
 * fallback in replace_entry is used. */
#define _GNU_SOURCE 1

#include "csppack/outdir.h"

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

#include "alloc.h"

/* The prefix of the private folder's name inside DIR. */
#define TMP_PREFIX ".csppack-tmp-"
/* Old entries kept aside during a commit carry this prefix. */
#define OLD_PREFIX ".old-"
/* How deep csp_outdir_free looks into an old folder it removes. */
#define REMOVE_MAX_DEPTH 16

/* What the commit did with one top-level entry, to undo it. */
typedef enum step_kind {
    STEP_NONE = 0,
    STEP_CREATED,      /* nothing was there: new renamed in */
    STEP_EXCHANGED,    /* swapped with the old one (old now at src) */
    STEP_BACKED_UP     /* old moved or linked to backup, new renamed in */
} step_kind;

/* One top-level entry written into the private folder. */
typedef struct entry {
    char *name;        /* "dataset.xml", "receipts" */
    bool is_dir;
    step_kind step;
} entry;

struct csp_outdir {
    char *dir;         /* DIR as given */
    char *tmp;         /* DIR/.csppack-tmp-XXXXXX, NULL before begin */
    int lock_fd;       /* DIR, locked shared while tmp exists; or -1 */
    bool created_dir;  /* this run created DIR */
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
    /* Signals. */
    bool catching;
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

/* A new writer. */
csp_outdir *csp_outdir_new(const char *dir)
{
    csp_outdir *od = csp_calloc(1, sizeof *od);
    if (!od)
        return NULL;
    if (!(od->dir = csp_strdup(dir && *dir ? dir : "."))) {
        free(od);
        return NULL;
    }
    od->lock_fd = -1;
    return od;
}

/*
 * Private folders left behind.  A run holds a shared lock (flock) on DIR
 * from before it creates its private folder until it has removed it, so
 * a run that gets the exclusive lock knows that no private folder in DIR
 * belongs to a live run: those are left by runs that were killed
 * (SIGKILL, a crash, a power cut) and can go.  Where DIR cannot be
 * opened or locked, nothing is removed.
 */

/* Take the shared lock on DIR (best effort: od->lock_fd stays -1). */
static void lock_shared(csp_outdir *od)
{
    int fd = open(od->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    while (flock(fd, LOCK_SH) != 0) {
        if (errno != EINTR) {
            close(fd);
            return;
        }
    }
    od->lock_fd = fd;
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

/* Create DIR when needed, then the private folder. */
csp_error csp_outdir_begin(csp_outdir *od)
{
    csp_error err = CSP_OK;
    struct stat st;
    sigset_t old;
    if (od->tmp)
        return CSP_ERR_USAGE;
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
    char *tmpl = join(od->dir, TMP_PREFIX "XXXXXX");
    if (!tmpl) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    lock_shared(od);
    block_signals(&old);
    if (mkdtemp(tmpl))
        od->tmp = tmpl;
    int e = errno;
    unblock_signals(&old);
    if (!od->tmp) {
        set_msg(od, "cannot write into the output folder %s: %s", od->dir,
                strerror(e));
        free(tmpl);
        err = CSP_ERR_IO;
        goto out;
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

/* Swap two paths atomically.  -1 with errno when not possible. */
static int exchange(const char *a, const char *b)
{
#if defined(RENAME_EXCHANGE)
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
#endif
}

/* The paths of entry @p e: new (in tmp), target (in DIR), backup. */
typedef struct entry_paths {
    char *src, *target, *backup;
} entry_paths;

static void entry_paths_free(entry_paths *p)
{
    free(p->src);
    free(p->target);
    free(p->backup);
}

static csp_error entry_paths_make(const csp_outdir *od, const entry *e,
                                  entry_paths *p)
{
    size_t n = strlen(OLD_PREFIX) + strlen(e->name) + 1;
    char *old = csp_malloc(n);
    memset(p, 0, sizeof *p);
    if (old)
        snprintf(old, n, "%s%s", OLD_PREFIX, e->name);
    p->src = join(od->tmp, e->name);
    p->target = join(od->dir, e->name);
    p->backup = old ? join(od->tmp, old) : NULL;
    free(old);
    if (!p->src || !p->target || !p->backup) {
        entry_paths_free(p);
        return CSP_ERR_NOMEM;
    }
    return CSP_OK;
}

/* Move entry @p e into place, recording what was done in e->step. */
static csp_error replace_entry(csp_outdir *od, entry *e, const entry_paths *p)
{
    struct stat st;
    if (lstat(p->target, &st) != 0) {
        if (errno != ENOENT) {
            set_msg(od, "cannot replace %s: %s", p->target, strerror(errno));
            return CSP_ERR_IO;
        }
        if (rename(p->src, p->target) != 0) {
            set_msg(od, "cannot move %s into place: %s", p->target,
                    strerror(errno));
            return CSP_ERR_IO;
        }
        e->step = STEP_CREATED;
        return CSP_OK;
    }
    if (exchange(p->src, p->target) == 0) {
        e->step = STEP_EXCHANGED;
        return CSP_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
        set_msg(od, "cannot replace %s: %s", p->target, strerror(errno));
        return CSP_ERR_IO;
    }
    /* Portable way: keep the old one aside, then move the new one in.  A
     * file is hard-linked aside so that it never goes missing. */
    if ((e->is_dir || link(p->target, p->backup) != 0) &&
        rename(p->target, p->backup) != 0) {
        set_msg(od, "cannot move the old %s aside: %s", p->target,
                strerror(errno));
        return CSP_ERR_IO;
    }
    if (rename(p->src, p->target) != 0) {
        int saved = errno;
        if (e->is_dir || lstat(p->target, &st) != 0)
            rename(p->backup, p->target);
        else
            unlink(p->backup);
        set_msg(od, "cannot move %s into place: %s", p->target,
                strerror(saved));
        return CSP_ERR_IO;
    }
    e->step = STEP_BACKED_UP;
    return CSP_OK;
}

/* Undo what replace_entry did for @p e (best effort). */
static void undo_entry(entry *e, const entry_paths *p)
{
    switch (e->step) {
    case STEP_NONE:
        break;
    case STEP_CREATED:
        rename(p->target, p->src);
        break;
    case STEP_EXCHANGED:
        exchange(p->src, p->target);
        break;
    case STEP_BACKED_UP:
        if (e->is_dir) {
            rename(p->target, p->src);
            rename(p->backup, p->target);
        } else {
            /* rename over the new file restores the old atomically. */
            rename(p->backup, p->target);
        }
        break;
    }
    e->step = STEP_NONE;
}

/* Before any rename: refuse to replace a folder by a file or the reverse. */
static csp_error preflight(csp_outdir *od, const entry_paths *paths)
{
    for (size_t i = 0; i < od->nentries; i++) {
        struct stat st;
        if (lstat(paths[i].target, &st) != 0) {
            if (errno == ENOENT)
                continue;
            set_msg(od, "cannot replace %s: %s", paths[i].target,
                    strerror(errno));
            return CSP_ERR_IO;
        }
        bool is_dir = S_ISDIR(st.st_mode);
        if (is_dir != od->entries[i].is_dir) {
            set_msg(od, "cannot replace %s: it is %s, and csppack writes %s "
                        "there; move it away first",
                    paths[i].target, is_dir ? "a folder" : "not a folder",
                    od->entries[i].is_dir ? "a folder" : "a file");
            return CSP_ERR_IO;
        }
    }
    return CSP_OK;
}

/* Make the directory entries of DIR durable (errors ignored: some file
 * systems cannot sync a folder, and the renames are already visible). */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
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
    if (depth < REMOVE_MAX_DEPTH) {
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

/* After a commit: when no other run is writing into DIR, remove the
 * private folders that killed runs left there; then drop the lock. */
static void remove_stale(csp_outdir *od)
{
    if (od->lock_fd < 0)
        return;
    /* Upgrading may drop the shared lock first: harmless, this run's
     * private folder is gone already. */
    if (flock(od->lock_fd, LOCK_EX | LOCK_NB) == 0) {
        DIR *d = opendir(od->dir);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            struct stat st;
            if (!is_private_name(de->d_name))
                continue;
            char *path = join(od->dir, de->d_name);
            if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(path, 0);
            free(path);
        }
        if (d)
            closedir(d);
    }
    close(od->lock_fd);
    od->lock_fd = -1;
}

/* Move everything into place. */
csp_error csp_outdir_commit(csp_outdir *od)
{
    csp_error err = CSP_OK;
    entry_paths *paths = NULL;
    size_t made = 0, done = 0;
    sigset_t old;
    bool blocked = false;
    if (!od->tmp || od->committed)
        return CSP_ERR_USAGE;
    if (od->nentries &&
        !(paths = csp_calloc(od->nentries, sizeof *paths))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (made = 0; made < od->nentries; made++)
        if ((err = entry_paths_make(od, &od->entries[made], &paths[made])))
            goto out;
    if ((err = sync_closed(od)) != CSP_OK ||
        (err = preflight(od, paths)) != CSP_OK)
        goto out;
    /* Hold off SIGINT and friends: the commit completes or is undone. */
    block_signals(&old);
    blocked = true;
    for (done = 0; done < od->nentries; done++)
        if ((err = replace_entry(od, &od->entries[done], &paths[done])))
            break;
    if (err != CSP_OK) {
        while (done-- > 0)
            undo_entry(&od->entries[done], &paths[done]);
        goto out;
    }
    od->committed = true;
    sync_dir(od->dir);
    /* What is left in the private folder is the old entries: remove it. */
    remove_tree(od->tmp, 0);
    remove_stale(od);
out:
    if (blocked)
        unblock_signals(&old);
    for (size_t i = 0; i < made; i++)
        entry_paths_free(&paths[i]);
    free(paths);
    return err;
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

/* Clean up on SIGINT, SIGTERM, SIGHUP. */
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
        if (sigaction(caught_signals[i], &sa, &od->old_action[i]) != 0) {
            while (i-- > 0)
                sigaction(caught_signals[i], &od->old_action[i], NULL);
            signal_od = NULL;
            return CSP_ERR_INTERNAL;
        }
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
