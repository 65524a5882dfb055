/* csppack: an all-or-nothing output folder writer (see outdir.h for the
 * contract): the writer, its private folder and the files written into
 * it.  The commit is in outdir_commit.c, the lock in outdir_lock.c, the
 * signals in outdir_signal.c. */
/* realpath and sync_file_range (which starts writing a closed file's
 * data to the disk where the system has it) are outside strict POSIX. */
#define _GNU_SOURCE 1

#include "csppack/pack/outdir_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* Remember a path created in the private folder (takes @p path). */
csp_error csp_outdir_remember(csp_outdir *od, char *path, bool is_dir)
{
    csp_error err = CSP_OK;
    sigset_t old;
    csp_outdir_block_signals(&old);
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
    csp_outdir_unblock_signals(&old);
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
        csp_outdir_entry *e = csp_realloc(od->entries, cap * sizeof *e);
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
    od->entries[od->nentries++] =
        (csp_outdir_entry){.name = n, .is_dir = is_dir};
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

/* Whole: find DIR's parent (home) and DIR's absolute path (target),
 * through any link, DIR itself needing not exist. */
static csp_error resolve_whole(csp_outdir *od, csp_why *why)
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
            csp_why_set(why, "cannot write into %s: it is not a folder",
                        od->dir);
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
            od->target =
                csp_outdir_join(strcmp(real, "/") == 0 ? "" : real, base);
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
        csp_why_set(why, "cannot create the output folder %s: %s", od->dir,
                    strerror(errno));
        err = errno == ENOMEM ? CSP_ERR_NOMEM : CSP_ERR_IO;
        goto out;
    }
    /* An existing folder, /a/b: home /a, target /a/b. */
    char *last = strrchr(real, '/');
    if (!last || last[1] == '\0') {
        csp_why_set(why,
                    "cannot write a pack into %s: the pack replaces its "
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
        csp_why_set(why,
                    "cannot replace %s in one step: it is a mount point, or "
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
static csp_error resolve_files(csp_outdir *od, csp_why *why)
{
    struct stat st;
    sigset_t old;
    /* What is created is recorded before a signal can make the handler
     * (csp_outdir_catch_signals, which may come first) look. */
    if (stat(od->dir, &st) != 0) {
        csp_outdir_block_signals(&old);
        bool made = errno == ENOENT && mkdir(od->dir, 0777) == 0;
        int e = errno;
        od->created_dir = made;
        csp_outdir_unblock_signals(&old);
        if (!made) {
            csp_why_set(why, "cannot create the output folder %s: %s", od->dir,
                        strerror(e));
            return CSP_ERR_IO;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        csp_why_set(why, "cannot write into %s: it is not a folder", od->dir);
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
csp_error csp_outdir_begin(csp_outdir *od, csp_why *why)
{
    csp_error err = CSP_OK;
    sigset_t old;
    char *tmpl = NULL;
    if (od->tmp || od->home)
        return CSP_ERR_USAGE;
    if ((err = od->whole ? resolve_whole(od, why) : resolve_files(od, why)) !=
        CSP_OK)
        goto out;
    if (!(tmpl = csp_outdir_join(od->home, CSP_OUTDIR_TMP_PREFIX "XXXXXX"))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    csp_outdir_lock_home(od);
    csp_outdir_block_signals(&old);
    if (mkdtemp(tmpl))
        od->tmp = tmpl;
    int e = errno;
    csp_outdir_unblock_signals(&old);
    if (!od->tmp && od->whole) {
        /* Say where: the folder that cannot be written is DIR's parent. */
        csp_why_set(why,
                    "cannot write the pack beside %s, in %s, where it is made "
                    "before it replaces the old one whole: %s",
                    od->dir, od->home, strerror(e));
        free(tmpl);
        err = CSP_ERR_IO;
        goto out;
    }
    if (!od->tmp) {
        csp_why_set(why, "cannot write into the output folder %s: %s", od->dir,
                    strerror(e));
        free(tmpl);
        err = CSP_ERR_IO;
        goto out;
    }
    /* mkdtemp makes it private; a pack gets its folder's mode. */
    if (od->whole && chmod(od->tmp, pack_mode(od)) != 0) {
        csp_why_set(why, "cannot write into the output folder %s: %s", od->dir,
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
static csp_error make_subdir(csp_outdir *od, const char *name, size_t len,
                             csp_why *why)
{
    char *sub = csp_malloc(len + 1);
    if (!sub)
        return CSP_ERR_NOMEM;
    memcpy(sub, name, len);
    sub[len] = '\0';
    char *path = csp_outdir_join(od->tmp, sub);
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
    csp_outdir_block_signals(&old);
    if (mkdir(path, 0777) != 0) {
        int e = errno;
        csp_outdir_unblock_signals(&old);
        csp_why_set(why, "cannot create %s: %s", path, strerror(e));
        free(path);
        return CSP_ERR_IO;
    }
    err = csp_outdir_remember(od, path, true);
    csp_outdir_unblock_signals(&old);
    return err;
}

/* Create an empty sub-folder. */
csp_error csp_outdir_mkdir(csp_outdir *od, const char *name, csp_why *why)
{
    bool two;
    if (!od->tmp || od->committed)
        return CSP_ERR_USAGE;
    size_t first = check_name(name, &two);
    if (!first || two)
        return CSP_ERR_USAGE;
    return make_subdir(od, name, first, why);
}

/* Remember an open file and the path it will have in DIR. */
static csp_error track_open(csp_outdir *od, FILE *f, const char *name)
{
    if (od->nopen == od->capopen) {
        size_t cap = od->capopen ? od->capopen * 2 : 4;
        struct csp_outdir_open *p = csp_realloc(od->open, cap * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        od->open = p;
        od->capopen = cap;
    }
    char *target = csp_outdir_join(od->dir, name);
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
FILE *csp_outdir_create(csp_outdir *od, const char *name, csp_error *err,
                        csp_why *why)
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
        *err = make_subdir(od, name, first, why);
    else
        *err = add_entry(od, name, first, false);
    if (*err != CSP_OK)
        return NULL;
    char *path = csp_outdir_join(od->tmp, name);
    if (!path) {
        *err = CSP_ERR_NOMEM;
        return NULL;
    }
    /* Remember first, so that a signal arriving just after the file is
     * created still finds it. */
    char *copy = csp_strdup(path);
    if (!copy || (*err = csp_outdir_remember(od, copy, false)) != CSP_OK) {
        if (!copy)
            *err = CSP_ERR_NOMEM;
        free(path);
        return NULL;
    }
    f = fopen(path, "wbx");
    if (!f) {
        csp_why_set(why, "cannot create %s: %s", path, strerror(errno));
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
        struct csp_outdir_unsynced *more =
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
csp_error csp_outdir_sync_closed(csp_outdir *od, csp_why *why)
{
    csp_error err = CSP_OK;
    for (size_t i = 0; i < od->nunsynced; i++) {
        struct csp_outdir_unsynced *u = &od->unsynced[i];
        if (err == CSP_OK && fsync(u->fd) != 0) {
            csp_why_set(why, "syncing %s failed: %s",
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
csp_error csp_outdir_close(csp_outdir *od, FILE *f, csp_why *why)
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
        csp_why_set(why, "%s %s failed: %s", what,
                    target ? target : "an output file", strerror(e ? e : EIO));
        free(target);
        return CSP_ERR_IO;
    }
    free(target);
    return CSP_OK;
}

/* Say so when waiting for the lock. */
void csp_outdir_on_wait(csp_outdir *od, void (*fn)(void *ctx, const char *dir),
                        void *ctx)
{
    od->on_wait = fn;
    od->wait_ctx = ctx;
}

/* The private folder. */
const char *csp_outdir_tmpdir(const csp_outdir *od)
{
    return od ? od->tmp : NULL;
}

/* Clean up and free. */
void csp_outdir_free(csp_outdir *od)
{
    if (!od)
        return;
    sigset_t old;
    csp_outdir_block_signals(&old);
    if (!od->committed)
        csp_outdir_remove_created(od, false);
    if (od->tmp)
        csp_outdir_remove_tree(od->tmp,
                               0); /* what is left: all of it, once committed */
    if (!od->committed && od->created_dir)
        rmdir(od->dir);
    csp_outdir_release_signals(od);
    csp_outdir_unblock_signals(&old);
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
    free(od->tmp);
    free(od->home);
    free(od->target);
    free(od->dir);
    free(od);
}

/* Reserve a file for a writer that takes a path. */
char *csp_outdir_reserve(csp_outdir *od, const char *name, csp_error *err,
                         csp_why *why)
{
    FILE *f = csp_outdir_create(od, name, err, why);
    if (!f)
        return NULL;
    if ((*err = csp_outdir_close(od, f, why)) != CSP_OK)
        return NULL;
    char *path = csp_outdir_join(od->tmp, name);
    if (!path)
        *err = CSP_ERR_NOMEM;
    return path;
}

/* fsync a reserved file. */
csp_error csp_outdir_sync(csp_outdir *od, const char *name, csp_why *why)
{
    char *path = csp_outdir_join(od->tmp, name);
    if (!path)
        return CSP_ERR_NOMEM;
    csp_error err = CSP_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        /* Name the file as it will be in DIR, as csp_outdir_close does. */
        int e = errno;
        char *target = csp_outdir_join(od->dir, name);
        csp_why_set(why, "syncing %s failed: %s", target ? target : path,
                    strerror(e));
        free(target);
        err = CSP_ERR_IO;
    }
    if (fd >= 0)
        close(fd);
    free(path);
    return err;
}
