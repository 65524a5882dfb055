/*
 * All-or-nothing output folders.
 *
 * A run writes several files that must stay consistent with each other
 * (dataset.xml, the CSV files, the receipts).  They are first written into
 * a private folder, .csppack-tmp-XXXXXX, made in "home": beside the pack
 * folder DIR (in its parent) for a whole pack (csp_outdir_new), or inside
 * DIR for files put into a folder that stays (csp_outdir_new_files, for
 * one file: single.h).  Every file is flushed and closed with its errors
 * checked, and fsync'ed at the start of csp_outdir_commit; only then does
 * the commit move anything.  Until the commit nothing in DIR changes; a
 * failure or an interruption before it leaves DIR exactly as it was
 * (csp_outdir_free removes the private folder).
 *
 *     csp_why why = {""};
 *     csp_outdir *od = csp_outdir_new("pack");
 *     if (!od) ... out of memory
 *     err = csp_outdir_begin(od, &why);        // lock; ./.csppack-tmp-XXXXXX
 *     FILE *f = csp_outdir_create(od, "dataset.xml", &err, &why);
 *     ... write to f ...
 *     err = csp_outdir_close(od, f, &why);     // fflush, fclose; synced at the commit
 *     f = csp_outdir_create(od, "receipts/kcc.txt", &err, &why);
 *     ...
 *     err = csp_outdir_commit(od, &why);       // one swap
 *     if (err) fprintf(stderr, "%s\n", csp_why_text(&why, err));
 *     csp_outdir_free(od);                     // removes what is left, unlocks
 *
 * The commit of a whole pack is one step.  The private folder becomes the
 * complete new pack: what this run wrote; .csppack-files, the list of
 * those files (the manifest); and every entry of the old DIR that the old
 * pack's manifest does not list and the new pack does not replace - the
 * coordinator's notes, in receipts/ or anywhere, and their folders - as
 * hard links to the same files (folders are made again, with their mode).
 * Then renameat2(RENAME_EXCHANGE) swaps the private folder and DIR (or,
 * when DIR does not exist, RENAME_NOREPLACE renames the private folder to
 * DIR), so that DIR is the old pack or the new one, never a mix, at every
 * moment and after a SIGKILL or a power cut at any point.  Anything the
 * user put into the old DIR while this happened is then moved into the
 * new one, and the old pack, now at the private folder's name, is
 * removed.  An old file the old manifest lists and the new pack does not
 * write (the receipt of an agency that sent nothing this time) goes with
 * it.  Before the swap, the commit refuses, changing nothing, when an
 * entry cannot be kept (a hard link across file systems, folders more
 * than 32 deep) or a folder of the user's stands where csppack writes a
 * file, or the reverse; and where the file system cannot swap two
 * folders (no RENAME_EXCHANGE), or DIR is a mount point, it refuses too:
 * csppack never replaces a pack in several steps.  DIR keeps its mode; it is a new folder, so a
 * shell whose current folder was DIR must cd into it again.  DIR "/" is
 * refused.
 *
 * The commit of files (csp_outdir_new_files) renames each file over its
 * namesake in DIR, which is atomic for each file; single.h writes one
 * file so, for `report` and `workbook`.
 *
 * The lock.  A run holds an exclusive flock(2) on home from csp_outdir_begin
 * until csp_outdir_free, so two runs into one pack folder (or into two
 * folders beside each other) take turns: the second waits in
 * csp_outdir_begin until the first has finished, then replaces the
 * first's pack whole.  Holding the lock, a run removes the private
 * folders in home that runs killed by SIGKILL, a crash or a power cut
 * left behind (each holds an unfinished new pack or a finished-with old
 * one; every file of the user's in them is also in DIR).  Where home
 * cannot be locked (some network file systems), the run goes on without
 * the lock and removes nothing.
 *
 * csp_outdir_catch_signals makes SIGINT, SIGTERM and SIGHUP before the
 * commit remove the private folder, and holds them off during the commit;
 * a signal that was ignored when the program started (nohup) stays
 * ignored.
 *
 * Every call that can fail takes a csp_why (error.h; NULL when the caller
 * does not want it) and says there, in one sentence naming the path and
 * the system's reason, why it failed, for "csppack: error: ...".  The
 * code is in outdir.c, outdir_commit.c, outdir_lock.c and
 * outdir_signal.c (outdir_internal.h).
 */
#ifndef CSPPACK_OUTDIR_H
#define CSPPACK_OUTDIR_H

#include <stdbool.h>
#include <stdio.h>

#include "csppack/base/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An output folder being written. */
typedef struct csp_outdir csp_outdir;

/**
 * A new writer of the whole pack folder @p dir (copied), replaced whole
 * at the commit; it need not exist, its parent must.  Nothing is touched
 * yet.  NULL when memory ran out.  Free with csp_outdir_free.
 */
csp_outdir *csp_outdir_new(const char *dir);

/**
 * A new writer of files into the folder @p dir (copied), which stays:
 * each file replaces its namesake at the commit, other entries are left
 * alone.  @p dir is created when it does not exist (its parent must), and
 * removed again by csp_outdir_free unless the commit succeeded.
 */
csp_outdir *csp_outdir_new_files(const char *dir);

/**
 * Take the lock (waiting for another run), remove private folders killed
 * runs left, create the private folder.  CSP_ERR_IO, and @p why, when
 * that fails.
 */
csp_error csp_outdir_begin(csp_outdir *od, csp_why *why) CSP_MUST_CHECK;

/**
 * Open @p name (a relative path of at most two components, such as
 * "dataset.xml" or "receipts/kcc.txt"; no "..", no leading '/') for
 * writing inside the private folder, creating its sub-folder.  The FILE
 * is the caller's until csp_outdir_close, and its thread's: the stream's
 * lock is held for it (flockfile) until then, so that putc costs no
 * atomic operation once the process has threads.  NULL with *err set (and
 * @p why) on failure.
 */
FILE *csp_outdir_create(csp_outdir *od, const char *name, csp_error *err,
                        csp_why *why);

/**
 * Finish a file from csp_outdir_create: fflush, check ferror, start
 * writing its data to the disk, fclose.  csp_outdir_commit syncs it
 * before anything is renamed (and fails, naming it, when that fails);
 * where a descriptor cannot be kept for that, it is synced here.  The FILE
 * is closed in every case.  CSP_ERR_IO when any step failed (@p why
 * names the file).
 */
csp_error csp_outdir_close(csp_outdir *od, FILE *f, csp_why *why)
    CSP_MUST_CHECK;

/**
 * Create an empty sub-folder @p name (one component) in the private
 * folder of a whole pack, so that the new pack has it even when no file
 * is written into it.
 */
csp_error csp_outdir_mkdir(csp_outdir *od, const char *name, csp_why *why)
    CSP_MUST_CHECK;

/**
 * fsync every file closed with csp_outdir_close, put the new pack (or the
 * files) in place (see above), fsync home and remove the private folder,
 * which holds the old pack by then.  On CSP_ERR_IO, DIR is as it was
 * before the commit.  Call once.
 */
csp_error csp_outdir_commit(csp_outdir *od, csp_why *why) CSP_MUST_CHECK;

/**
 * For writers that take a path rather than a FILE (libxlsxwriter):
 * reserve @p name as csp_outdir_create does (the file is created empty)
 * and return its path inside the private folder (caller frees).  After
 * the writer has finished, call csp_outdir_sync.  NULL with *err set.
 */
char *csp_outdir_reserve(csp_outdir *od, const char *name, csp_error *err,
                         csp_why *why);

/** Flush a reserved file to disk (fsync); CSP_ERR_IO, and @p why. */
csp_error csp_outdir_sync(csp_outdir *od, const char *name, csp_why *why)
    CSP_MUST_CHECK;

/**
 * Have csp_outdir_begin call @p fn(@p ctx, DIR as given) when another run
 * holds the lock, before it waits for it (to say so).  Call before
 * csp_outdir_begin.
 */
void csp_outdir_on_wait(csp_outdir *od, void (*fn)(void *ctx, const char *dir),
                        void *ctx);

/** The private folder's path (NULL before csp_outdir_begin).  Borrowed. */
const char *csp_outdir_tmpdir(const csp_outdir *od);

/**
 * Until this writer is committed or freed, let SIGINT, SIGTERM and
 * SIGHUP remove the private folder (and DIR, when this run created it)
 * before the process dies of the signal as usual.  At most one writer at
 * a time uses this.  Call before csp_outdir_begin, so that a signal while
 * the private folder is being created removes it too (csp_outdir_begin
 * records what it creates with the signals held off).
 */
csp_error csp_outdir_catch_signals(csp_outdir *od) CSP_MUST_CHECK;

/**
 * Remove the private folder and whatever is in it (unless committed),
 * and DIR when this run created it (files) and it is empty, restore the
 * signal handlers, drop the lock, free @p od.  NULL is fine.
 */
void csp_outdir_free(csp_outdir *od);

#ifdef __cplusplus
}
#endif
#endif
