/* csppack: the signals an output folder writer holds off or catches
 * (outdir.h, csp_outdir_catch_signals). */
#include "csppack/pack/outdir_internal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const int caught_signals[3] = {SIGINT, SIGTERM, SIGHUP};

/* The writer the signal handler cleans up after (at most one). */
static csp_outdir *volatile signal_od;

/* Block the caught signals, saving the old mask in @p old. */
void csp_outdir_block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&set, caught_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* Restore the signal mask saved by csp_outdir_block_signals. */
void csp_outdir_unblock_signals(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
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
void csp_outdir_remove_created(csp_outdir *od, bool patient)
{
    const struct timespec ms = {0, 1000000};
    for (int tries = 0;; tries++) {
        for (size_t i = od->npaths; i-- > 0;) {
            if (od->path_is_dir[i])
                rmdir(od->paths[i]);
            else
                unlink(od->paths[i]);
        }
        if (!od->tmp || rmdir(od->tmp) == 0 || errno != ENOTEMPTY || !patient ||
            tries == 1000)
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
        csp_outdir_remove_created(od, true);
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

/* Give the handlers back. */
void csp_outdir_release_signals(csp_outdir *od)
{
    if (!od->catching)
        return;
    sigset_t old;
    csp_outdir_block_signals(&old);
    for (size_t i = 0; i < 3; i++)
        if (od->caught[i])
            sigaction(caught_signals[i], &od->old_action[i], NULL);
    signal_od = NULL;
    od->catching = false;
    csp_outdir_unblock_signals(&old);
}
