/* csppack: the commit of an output folder (outdir.h): a whole pack swapped
 * with the old one in one step, keeping the files csppack did not write;
 * files renamed over their namesakes. */

/* renameat2, RENAME_EXCHANGE and RENAME_NOREPLACE (glibc 2.28 and later)
 * are GNU extensions; everything else here is POSIX.  Without
 * RENAME_EXCHANGE a pack cannot replace its folder in one step, and the
 * commit refuses (see outdir.h). */
#define _GNU_SOURCE 1

#include "csppack/pack/outdir_internal.h"
#include "csppack/read/xmlread.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* The list of the files csppack wrote, kept in a pack (outdir.h). */
#define MANIFEST CSP_PACK_FILES_LIST
/* The most of a manifest that is read (a pack lists a few hundred). */
#define MANIFEST_MAX ((size_t)4 << 20)

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
    int fd =
        openat(dirfd, MANIFEST, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
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
static csp_error write_manifest(csp_outdir *od, csp_why *why)
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
    if (!(path = csp_outdir_join(od->tmp, MANIFEST)) ||
        !(copy = csp_strdup(path))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if ((err = csp_outdir_remember(od, copy, false)) != CSP_OK)
        goto out;
    if (!(f = fopen(path, "wbx"))) {
        csp_why_set(why, "cannot create %s: %s", path, strerror(errno));
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
        csp_why_set(why, "writing %s/%s failed: %s", od->dir, MANIFEST,
                    strerror(e));
        err = CSP_ERR_IO;
    }
out:
    if (f && fclose(f) != 0 && err == CSP_OK) {
        csp_why_set(why, "closing %s/%s failed: %s", od->dir, MANIFEST,
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
    const name_list *mine; /* the old pack's manifest */
    csp_why *why;          /* before the swap: why it refuses */
    bool move;             /* after the swap: move, best effort */
    char rel[4096];        /* the entry's path inside the pack */
} carry_ctx;

static csp_error carry(carry_ctx *c, int from, int to, size_t rlen, int depth);

/* Refuse to go on: @p what about c->rel. */
static csp_error cannot_keep(carry_ctx *c, const char *what)
{
    csp_why_set(c->why,
                "cannot keep %s/%s in the new pack: %s; move it out of "
                "%s first",
                c->od->dir, c->rel, what, c->od->dir);
    return CSP_ERR_IO;
}

/* Carry the folder c->rel (named @p name in @p from and @p to). */
static csp_error carry_into(carry_ctx *c, int from, int to, const char *name,
                            size_t rlen, int depth)
{
    csp_error err = CSP_OK;
    if (depth + 1 >= CSP_OUTDIR_TREE_MAX_DEPTH)
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
             (csp_outdir_is_private_name(name) || strcmp(name, MANIFEST) == 0)))
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
                csp_why_set(c->why,
                            "cannot replace %s/%s: it is %s, and csppack "
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
        char *path = csp_outdir_join(c->od->tmp, c->rel);
        if (!path || (err = csp_outdir_remember(
                          c->od, path, S_ISDIR(os.st_mode))) != CSP_OK) {
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
static csp_error commit_whole(csp_outdir *od, csp_why *why)
{
    csp_error err = CSP_OK;
    name_list mine = {0};
    struct stat st;
    int from = -1, to = -1;
    bool exists;
    if ((err = write_manifest(od, why)) != CSP_OK)
        goto out;
    if ((to = open(od->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
        csp_why_set(why, "cannot open %s: %s", od->tmp, strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    exists = lstat(od->target, &st) == 0;
    if (!exists && errno != ENOENT) {
        csp_why_set(why, "cannot replace %s: %s", od->dir, strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    if (exists) {
        from =
            open(od->target, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (from < 0) {
            csp_why_set(why, "cannot replace %s: %s", od->dir,
                        errno == ENOTDIR || errno == ELOOP
                            ? "it is not a folder"
                            : strerror(errno));
            err = CSP_ERR_IO;
            goto out;
        }
        carry_ctx c = {.od = od, .mine = &mine, .why = why};
        if ((err = read_manifest(from, &mine)) != CSP_OK ||
            (err = carry(&c, from, to, 0, 0)) != CSP_OK)
            goto out;
    }
    for (size_t i = 0; i < od->npaths; i++)
        if (od->path_is_dir[i])
            sync_dir(od->paths[i]);
    sync_dir(od->tmp);
    if (exists && renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->target,
                            RENAME_EXCHANGE) != 0) {
        int e = errno;
        if (e == EINVAL || e == ENOSYS || e == ENOTSUP)
            csp_why_set(why,
                        "cannot replace %s in one step: the file system "
                        "cannot swap two folders (%s)",
                        od->dir, strerror(e));
        else if (e == EXDEV || e == EBUSY)
            csp_why_set(why,
                        "cannot replace %s in one step: it is a mount point, "
                        "or on another file system than the folder that "
                        "holds it (%s); name a folder inside it",
                        od->dir, strerror(e));
        else
            csp_why_set(why, "cannot replace %s: %s", od->dir, strerror(e));
        err = CSP_ERR_IO;
        goto out;
    }
    /* A folder that is not there yet: never over one that appeared
     * (RENAME_NOREPLACE; where it is missing, the lock must do). */
    if (!exists &&
        renameat2(AT_FDCWD, od->tmp, AT_FDCWD, od->target, RENAME_NOREPLACE) !=
            0 &&
        !((errno == EINVAL || errno == ENOSYS) && lstat(od->target, &st) != 0 &&
          errno == ENOENT && rename(od->tmp, od->target) == 0)) {
        csp_why_set(why, "cannot move %s into place: %s", od->dir,
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
    csp_outdir_remove_tree(od->tmp, 0);
out:
    if (from >= 0)
        close(from);
    if (to >= 0)
        close(to);
    name_list_free(&mine);
    return err;
}

/* Files: rename each file over its namesake in DIR. */
static csp_error commit_files(csp_outdir *od, csp_why *why)
{
    csp_error err = CSP_OK;
    for (size_t pass = 0; pass < 2 && err == CSP_OK; pass++) {
        for (size_t i = 0; i < od->nentries && err == CSP_OK; i++) {
            const csp_outdir_entry *e = &od->entries[i];
            char *src = csp_outdir_join(od->tmp, e->name),
                 *dst = csp_outdir_join(od->dir, e->name);
            struct stat st;
            if (!src || !dst)
                err = CSP_ERR_NOMEM;
            else if (e->is_dir)
                err = CSP_ERR_USAGE; /* only a whole pack has folders */
            else if (pass == 0 && lstat(dst, &st) == 0 && S_ISDIR(st.st_mode)) {
                /* First pass: nothing moves while one would fail. */
                csp_why_set(why,
                            "cannot replace %s: it is a folder, and csppack "
                            "writes a file there; move it away first",
                            dst);
                err = CSP_ERR_IO;
            } else if (pass == 1 && rename(src, dst) != 0) {
                csp_why_set(why, "cannot move %s into place: %s", dst,
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
    csp_outdir_remove_tree(od->tmp, 0);
    return CSP_OK;
}

/* Move everything into place. */
csp_error csp_outdir_commit(csp_outdir *od, csp_why *why)
{
    sigset_t old;
    if (!od->tmp || od->committed)
        return CSP_ERR_USAGE;
    csp_error err = csp_outdir_sync_closed(od, why);
    if (err != CSP_OK)
        return err;
    /* Hold off SIGINT and friends: the commit completes or is undone. */
    csp_outdir_block_signals(&old);
    err = od->whole ? commit_whole(od, why) : commit_files(od, why);
    csp_outdir_unblock_signals(&old);
    return err;
}
