/*
 * All-or-nothing output folders.
 *
 * A run writes several files that must stay consistent with each other
 * (dataset.xml, the CSV files, the receipts).  They are first written into
 * a private folder created beside them, DIR/.csppack-tmp-XXXXXX; every
 * file is flushed and closed with its errors checked, and fsync'ed at the
 * start of csp_outdir_commit; only then does the commit move them into
 * place.  Until the commit nothing
 * in DIR changes; a failure or an interruption before it leaves DIR
 * exactly as it was (csp_outdir_free removes the private folder).
 *
 *     csp_outdir *od = csp_outdir_new("pack");
 *     if (!od) ... out of memory
 *     err = csp_outdir_begin(od);              // DIR/.csppack-tmp-XXXXXX
 *     FILE *f = csp_outdir_create(od, "dataset.xml", &err);
 *     ... write to f ...
 *     err = csp_outdir_close(od, f);           // fflush, fclose; synced at the commit
 *     f = csp_outdir_create(od, "receipts/kcc.txt", &err);
 *     ...
 *     err = csp_outdir_commit(od);             // rename into place
 *     if (err) fprintf(stderr, "%s\n", csp_outdir_message(od));
 *     csp_outdir_free(od);                     // removes what is left over
 *
 * The commit.  Each top-level entry written (a file such as "dataset.xml",
 * or a folder such as "receipts") replaces the entry of the same name in
 * DIR.  Where the system can, the new entry and the old one are swapped
 * atomically (Linux renameat2 RENAME_EXCHANGE), so a reader never finds
 * either missing; the old one ends up in the private folder and is removed
 * last.  Elsewhere a file is renamed over the old one (atomic too) after
 * the old one is hard-linked aside, and a folder is replaced by renaming
 * the old one aside and the new one in (a short window in which the
 * folder is absent).  When any step fails, every step already taken is
 * undone in reverse order, so DIR is left as it was.  Before the first
 * step, the commit checks that no entry would replace one of another kind
 * (a folder where a file is expected, or the reverse) and refuses if so.
 *
 * What is not atomic: the entries are replaced one after the other, so a
 * reader that looks at DIR during the commit (a few renames) can see
 * some new and some old entries; and a process killed by SIGKILL or a
 * power cut during the commit leaves such a mix, with the old entries in
 * DIR/.csppack-tmp-XXXXXX.  csp_outdir_catch_signals makes SIGINT, SIGTERM
 * and SIGHUP before the commit remove the private folder, and holds them
 * off during the commit.  Files in DIR that a run does not write are never
 * touched.
 *
 * Private folders left behind (by a run killed with SIGKILL, a crash or a
 * power cut) are removed by the next successful commit into DIR.  A run
 * holds a shared flock(2) on DIR from before it creates its private
 * folder until it has removed it; after its commit, a run that gets the
 * lock exclusively (so no other run is writing into DIR) removes every
 * folder named .csppack-tmp-XXXXXX in DIR.  A failed run removes nothing
 * (DIR stays as it was), nor does a run that cannot lock DIR.
 *
 * Error messages (csp_outdir_message) are one sentence naming the path
 * and the system's reason, for "csppack: error: ...".
 */
#ifndef CSPPACK_OUTDIR_H
#define CSPPACK_OUTDIR_H

#include <stdbool.h>
#include <stdio.h>

#include "csppack/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An output folder being written. */
typedef struct csp_outdir csp_outdir;

/**
 * A new writer for folder @p dir (copied).  Nothing is touched yet.
 * NULL when memory ran out.  Free with csp_outdir_free.
 */
csp_outdir *csp_outdir_new(const char *dir);

/**
 * Create the private folder.  @p dir itself is created when it does not
 * exist (its parent must), and removed again by csp_outdir_free unless the
 * commit succeeded.  CSP_ERR_IO with a message when that fails.
 */
csp_error csp_outdir_begin(csp_outdir *od) CSP_MUST_CHECK;

/**
 * Open @p name (a relative path of at most two components, such as
 * "dataset.xml" or "receipts/kcc.txt"; no "..", no leading '/') for
 * writing inside the private folder, creating its sub-folder.  The FILE
 * is the caller's until csp_outdir_close, and its thread's: the stream's
 * lock is held for it (flockfile) until then, so that putc costs no
 * atomic operation once the process has threads.  NULL with *err set (and
 * a message) on failure.
 */
FILE *csp_outdir_create(csp_outdir *od, const char *name, csp_error *err);

/**
 * Finish a file from csp_outdir_create: fflush, check ferror, start
 * writing its data to the disk, fclose.  csp_outdir_commit syncs it
 * before anything is renamed (and fails, naming it, when that fails);
 * where a descriptor cannot be kept for that, it is synced here.  The FILE
 * is closed in every case.  CSP_ERR_IO when any step failed (the message
 * names the file).
 */
csp_error csp_outdir_close(csp_outdir *od, FILE *f) CSP_MUST_CHECK;

/**
 * Create an empty sub-folder @p name (one component) in the private
 * folder, so that it replaces the old one at commit even when no file is
 * written into it.
 */
csp_error csp_outdir_mkdir(csp_outdir *od, const char *name) CSP_MUST_CHECK;

/**
 * fsync every file closed with csp_outdir_close, move every entry written
 * into place (see above), then fsync DIR and remove the private folder.  On CSP_ERR_IO, DIR is as it was before the
 * commit.  Call once.
 */
csp_error csp_outdir_commit(csp_outdir *od) CSP_MUST_CHECK;

/**
 * For writers that take a path rather than a FILE (libxlsxwriter):
 * reserve @p name as csp_outdir_create does (the file is created empty)
 * and return its path inside the private folder (caller frees).  After
 * the writer has finished, call csp_outdir_sync.  NULL with *err set.
 */
char *csp_outdir_reserve(csp_outdir *od, const char *name, csp_error *err);

/** Flush a reserved file to disk (fsync); CSP_ERR_IO with a message. */
csp_error csp_outdir_sync(csp_outdir *od, const char *name) CSP_MUST_CHECK;

/** The last error as one sentence ("" when none).  Borrowed. */
const char *csp_outdir_message(const csp_outdir *od);

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
 * and DIR when this run created it and it is empty, restore the signal
 * handlers, free @p od.  NULL is fine.
 */
void csp_outdir_free(csp_outdir *od);

#ifdef __cplusplus
}
#endif
#endif
