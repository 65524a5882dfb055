/*
 * The inside of an output folder writer (outdir.h), shared by the files
 * that implement it and by no one else:
 *
 *   src/pack/outdir.c         the writer, its private folder and files
 *   src/pack/outdir_commit.c  the commit: the swap of a whole pack, with
 *                             its manifest and the files it keeps; the
 *                             renames of files
 *   src/pack/outdir_lock.c    the lock on home and the private folders
 *                             killed runs left
 *   src/pack/outdir_signal.c  SIGINT, SIGTERM and SIGHUP: held off, or
 *                             caught to remove the private folder
 */
#ifndef CSPPACK_OUTDIR_INTERNAL_H
#define CSPPACK_OUTDIR_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/pack/outdir.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The prefix of a private folder's name (followed by mkdtemp's six). */
#define CSP_OUTDIR_TMP_PREFIX ".csppack-tmp-"
/* How deep folders are followed (kept, or removed). */
#define CSP_OUTDIR_TREE_MAX_DEPTH 32

/* One top-level entry written into the private folder. */
typedef struct csp_outdir_entry {
    char *name; /* "dataset.xml", "receipts" */
    bool is_dir;
} csp_outdir_entry;

struct csp_outdir {
    char *dir;    /* DIR as given, for messages */
    bool whole;   /* DIR is a pack, replaced whole (csp_outdir_new) */
    char *home;   /* where tmp is made, locked: DIR's parent (whole)
                     or DIR (csp_outdir_new_files); NULL before begin */
    char *target; /* whole: home + "/" + DIR's own name */
    char *tmp;    /* home/.csppack-tmp-XXXXXX, NULL before begin */
    int lock_fd;  /* home, locked exclusively until freed; or -1 */
    void (*on_wait)(void *ctx, const char *dir); /* the lock is busy */
    void *wait_ctx;
    bool created_dir; /* files: this run created DIR */
    bool committed;
    /* Everything created inside tmp, in creation order, for removal
     * (also from a signal handler: appended with signals blocked). */
    char **paths;
    bool *path_is_dir;
    size_t npaths, cappaths;
    csp_outdir_entry *entries;
    size_t nentries, capentries;
    /* Files open for writing and their final paths, for messages. */
    struct csp_outdir_open {
        FILE *f;
        char *target;
    } * open;
    size_t nopen, capopen;
    /* Files closed and not yet synced: their data is on its way to the
     * disk (csp_outdir_close), and the commit syncs them all first. */
    struct csp_outdir_unsynced {
        int fd;
        char *target;
    } * unsynced;
    size_t nunsynced, capunsynced;
    /* Signals: caught[i] when this writer installed its handler for the
     * i-th caught signal (one ignored at startup stays ignored). */
    bool catching;
    bool caught[3];
    struct sigaction old_action[3];
};

/* a + "/" + b, freshly allocated; NULL when memory ran out (outdir.c). */
char *csp_outdir_join(const char *a, const char *b);

/* Remember a path created in the private folder (takes @p path), with
 * the signals held off (outdir.c). */
csp_error csp_outdir_remember(csp_outdir *od, char *path, bool is_dir);

/* Sync every file closed since the last call, in the order they were
 * closed; the first failure names its file (outdir.c). */
csp_error csp_outdir_sync_closed(csp_outdir *od, csp_why *why);

/* Is @p name what mkdtemp makes of CSP_OUTDIR_TMP_PREFIX "XXXXXX"?
 * (outdir_lock.c) */
bool csp_outdir_is_private_name(const char *name);

/* Remove @p path and everything below it, without following links
 * (outdir_lock.c). */
void csp_outdir_remove_tree(const char *path, int depth);

/* Lock home, waiting for another run, and remove the private folders
 * killed runs left there; unlocked, and nothing removed, where home
 * cannot be locked (outdir_lock.c). */
void csp_outdir_lock_home(csp_outdir *od);

/* Hold off the caught signals, saving the old mask in @p old
 * (outdir_signal.c). */
void csp_outdir_block_signals(sigset_t *old);

/* Restore the mask csp_outdir_block_signals saved (outdir_signal.c). */
void csp_outdir_unblock_signals(const sigset_t *old);

/* Remove what the run created in the private folder, and DIR when this
 * run created it (async-signal-safe); @p patient: while another thread
 * may still be writing there (outdir_signal.c). */
void csp_outdir_remove_created(csp_outdir *od, bool patient);

/* Give back the signal handlers csp_outdir_catch_signals installed, with
 * the signals held off (outdir_signal.c). */
void csp_outdir_release_signals(csp_outdir *od);

#ifdef __cplusplus
}
#endif
#endif
