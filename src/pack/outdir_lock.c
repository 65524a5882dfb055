/* csppack: paths in an output folder's home, the lock on it, and the
 * private folders killed runs left there (outdir.h, "The lock"). */
/* flock(2) is BSD's, outside strict POSIX. */
#define _GNU_SOURCE 1

#include "csppack/pack/outdir_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* a + "/" + b, freshly allocated; NULL when memory ran out. */
char *csp_outdir_join(const char *a, const char *b)
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

/* Is @p name what mkdtemp makes of CSP_OUTDIR_TMP_PREFIX "XXXXXX"? */
bool csp_outdir_is_private_name(const char *name)
{
    size_t n = strlen(CSP_OUTDIR_TMP_PREFIX);
    if (strncmp(name, CSP_OUTDIR_TMP_PREFIX, n) != 0 || strlen(name + n) != 6)
        return false;
    for (const char *p = name + n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* Remove @p path and everything below it, without following links. */
void csp_outdir_remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    if (depth < CSP_OUTDIR_TREE_MAX_DEPTH) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d))) {
                if (strcmp(de->d_name, ".") == 0 ||
                    strcmp(de->d_name, "..") == 0)
                    continue;
                char *child = csp_outdir_join(path, de->d_name);
                if (child) {
                    csp_outdir_remove_tree(child, depth + 1);
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
void csp_outdir_lock_home(csp_outdir *od)
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
        if (!csp_outdir_is_private_name(de->d_name))
            continue;
        char *path = csp_outdir_join(od->home, de->d_name);
        if (path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            csp_outdir_remove_tree(path, 0);
        free(path);
    }
    if (d)
        closedir(d);
}