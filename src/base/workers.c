/* csppack: work on several threads, results taken in order (workers.h). */
#include "csppack/base/workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "csppack/base/alloc.h"

/* Threads used when none are asked for: one per processor, up to this.
 * Each in flight holds a file (up to --max-size) and what is read of it. */
#define DEFAULT_MAX 8

/* One item's place in the window. */
typedef struct slot {
    bool done;        /* the work has finished: err and result are set */
    csp_error err;
    void *result;
} slot;

/* What the threads share.  Every field from lock on is guarded by it. */
typedef struct pool {
    const csp_workers_job *job;
    size_t n;
    size_t window;    /* items claimed and not yet taken, at most */
    slot *slots;      /* item i is in slots[i % window] */
    pthread_mutex_t lock;
    pthread_cond_t changed; /* an item was done or taken, or the run
                               stopped: a few times a file, for at most
                               nine threads, so all are woken each time */
    size_t claimed;   /* items below this have been given to a worker */
    size_t taken;     /* items below this have been taken */
    bool stop;        /* give no more items out */
} pool;

/* Threads for n items. */
unsigned csp_workers_count(unsigned threads, size_t n)
{
    if (threads == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        threads = online < 1 ? 1 : online > DEFAULT_MAX ? DEFAULT_MAX
                                                        : (unsigned)online;
    }
    if (threads > CSP_WORKERS_MAX)
        threads = CSP_WORKERS_MAX;
    if (threads > n)
        threads = (unsigned)n;
    return threads ? threads : 1;
}

/* A worker thread: claim the next item while the window has room, work on
 * it, leave the result in its slot. */
static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->claimed < p->n &&
               p->claimed - p->taken >= p->window)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop || p->claimed == p->n)
            break;
        size_t i = p->claimed++;
        pthread_mutex_unlock(&p->lock);
        void *result = NULL;
        csp_error err = p->job->work(p->job->ctx, i, &result);
        pthread_mutex_lock(&p->lock);
        slot *s = &p->slots[i % p->window];
        s->err = err;
        s->result = result;
        s->done = true;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Free a result that will not be taken. */
static void discard(const csp_workers_job *job, size_t i, void *result)
{
    if (job->discard)
        job->discard(job->ctx, i, result);
}

/* Everything on the calling thread, item by item. */
static csp_error run_here(size_t n, const csp_workers_job *job)
{
    csp_error err = CSP_OK;
    for (size_t i = 0; i < n && err == CSP_OK; i++) {
        void *result = NULL;
        if (job->next)
            job->next(job->ctx, i);
        err = job->work(job->ctx, i, &result);
        if (err == CSP_OK)
            err = job->take(job->ctx, i, result);
        else
            discard(job, i, result);
    }
    return err;
}

/* Take every item in order from the workers, until one fails. */
static csp_error take_all(pool *p)
{
    const csp_workers_job *job = p->job;
    csp_error err = CSP_OK;
    for (size_t i = 0; i < p->n && err == CSP_OK; i++) {
        if (job->next)
            job->next(job->ctx, i);
        pthread_mutex_lock(&p->lock);
        slot *s = &p->slots[i % p->window];
        while (!s->done)
            pthread_cond_wait(&p->changed, &p->lock);
        void *result = s->result;
        err = s->err;
        *s = (slot){.done = false};
        p->taken = i + 1;
        p->stop = err != CSP_OK; /* then give nothing more out */
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        if (err == CSP_OK)
            err = job->take(job->ctx, i, result);
        else
            discard(job, i, result);
    }
    return err;
}

/* Work on n items with threads, take the results in order. */
csp_error csp_workers_run(size_t n, unsigned threads,
                          const csp_workers_job *job)
{
    unsigned want = csp_workers_count(threads, n), started = 0;
    pthread_t tids[CSP_WORKERS_MAX];
    pool p = {.job = job, .n = n, .window = 2 * (size_t)want};
    /* Threads are a speed-up: without them, do the work here. */
    if (want < 2 || !(p.slots = csp_calloc(p.window, sizeof *p.slots)))
        return run_here(n, job);
    if (pthread_mutex_init(&p.lock, NULL) != 0) {
        free(p.slots);
        return run_here(n, job);
    }
    if (pthread_cond_init(&p.changed, NULL) != 0) {
        pthread_mutex_destroy(&p.lock);
        free(p.slots);
        return run_here(n, job);
    }
    while (started < want &&
           pthread_create(&tids[started], NULL, worker, &p) == 0)
        started++;
    csp_error err = started ? take_all(&p) : run_here(n, job);

    pthread_mutex_lock(&p.lock);
    p.stop = true;
    pthread_cond_broadcast(&p.changed);
    pthread_mutex_unlock(&p.lock);
    for (unsigned k = 0; k < started; k++)
        pthread_join(tids[k], NULL);
    /* After a failure: what was worked on ahead of it. */
    for (size_t i = p.taken; i < p.claimed; i++)
        discard(job, i, p.slots[i % p.window].result);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.lock);
    free(p.slots);
    return err;
}
