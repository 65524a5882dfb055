/*
 * Unit tests for the worker threads (src/workers.c): results are taken in
 * item order whatever the threads, no more than twice the threads wait,
 * and a failure in the work or in the taking stops the run with every
 * result freed once.
 *
 * The work runs on other threads, where cmocka's assertions must not be
 * used: it only counts, and the test thread checks the counts.
 */
/* cmocka.h needs these four first. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <pthread.h>
#include <stdlib.h>

#include "csppack/base/workers.h"

/* What one run counts. */
typedef struct run {
    size_t fail_work;   /* item whose work fails, or (size_t)-1 */
    size_t fail_take;   /* item whose take fails, or (size_t)-1 */
    pthread_mutex_t lock;
    size_t live, most_live; /* results made and not yet freed */
    size_t made, freed;
    size_t next_seen;   /* items announced by next, in order */
    size_t taken;       /* items taken, in order */
    size_t discarded;
} run;

/* A result: the item's number, squared. */
static csp_error work(void *ctx, size_t i, void **result)
{
    run *r = ctx;
    /* Uneven work, so that items finish out of order. */
    volatile unsigned spin = 0;
    for (unsigned k = 0; k < (unsigned)(i * 7919 % 13) * 2000; k++)
        spin++;
    size_t *v = malloc(sizeof *v);
    if (!v)
        return CSP_ERR_NOMEM;
    *v = i * i;
    pthread_mutex_lock(&r->lock);
    r->made++;
    if (++r->live > r->most_live)
        r->most_live = r->live;
    pthread_mutex_unlock(&r->lock);
    *result = v;
    return i == r->fail_work ? CSP_ERR_NOMEM : CSP_OK;
}

/* Free a result and count it. */
static void release(run *r, size_t *v)
{
    pthread_mutex_lock(&r->lock);
    r->freed++;
    r->live--;
    pthread_mutex_unlock(&r->lock);
    free(v);
}

/* On the test thread, in order. */
static csp_error take(void *ctx, size_t i, void *result)
{
    run *r = ctx;
    size_t *v = result;
    assert_int_equal(i, r->taken);
    assert_int_equal(r->next_seen, i + 1);
    assert_int_equal(*v, i * i);
    r->taken++;
    release(r, v);
    return i == r->fail_take ? CSP_ERR_IO : CSP_OK;
}

/* Results not taken. */
static void discard(void *ctx, size_t i, void *result)
{
    run *r = ctx;
    (void)i;
    pthread_mutex_lock(&r->lock);
    r->discarded++;
    pthread_mutex_unlock(&r->lock);
    release(r, result);
}

/* Announced before its turn, in order. */
static void next(void *ctx, size_t i)
{
    run *r = ctx;
    assert_int_equal(i, r->next_seen);
    assert_int_equal(r->taken, i);
    r->next_seen++;
}

/* Run @p n items on @p threads threads; returns the result. */
static csp_error go(run *r, size_t n, unsigned threads, size_t fail_work,
                    size_t fail_take)
{
    *r = (run){.fail_work = fail_work, .fail_take = fail_take};
    assert_int_equal(pthread_mutex_init(&r->lock, NULL), 0);
    csp_workers_job job = {.work = work, .take = take, .discard = discard,
                           .next = next, .ctx = r};
    csp_error err = csp_workers_run(n, threads, &job);
    pthread_mutex_destroy(&r->lock);
    /* Every result made was freed once, and no more than twice the
     * threads were made ahead of the one being taken. */
    assert_int_equal(r->live, 0);
    assert_int_equal(r->made, r->freed);
    assert_true(r->most_live <=
                2 * (size_t)csp_workers_count(threads, n) + 1);
    return err;
}

static const unsigned thread_counts[] = {1, 2, 3, 8};

/* Every item taken once, in order. */
static void test_workers_in_order(void **state)
{
    (void)state;
    for (size_t t = 0; t < 4; t++) {
        run r;
        assert_int_equal(go(&r, 2000, thread_counts[t], SIZE_MAX, SIZE_MAX),
                         CSP_OK);
        assert_int_equal(r.taken, 2000);
        assert_int_equal(r.discarded, 0);
    }
    run r;
    assert_int_equal(go(&r, 0, 4, SIZE_MAX, SIZE_MAX), CSP_OK);
    assert_int_equal(r.taken, 0);
}

/* Work that fails stops the run at its turn: what comes before is
 * taken, it and what was read ahead are discarded. */
static void test_workers_work_fails(void **state)
{
    (void)state;
    for (size_t t = 0; t < 4; t++) {
        run r;
        assert_int_equal(go(&r, 1000, thread_counts[t], 600, SIZE_MAX),
                         CSP_ERR_NOMEM);
        assert_int_equal(r.taken, 600);
        assert_true(r.discarded >= 1);
        assert_true(r.discarded <= 2 * thread_counts[t]);
    }
}

/* A take that fails stops the run; it owned its result. */
static void test_workers_take_fails(void **state)
{
    (void)state;
    for (size_t t = 0; t < 4; t++) {
        run r;
        assert_int_equal(go(&r, 1000, thread_counts[t], SIZE_MAX, 300),
                         CSP_ERR_IO);
        assert_int_equal(r.taken, 301);
        assert_true(r.discarded <= 2 * thread_counts[t]);
    }
}

/* How many threads. */
static void test_workers_count(void **state)
{
    (void)state;
    unsigned d = csp_workers_count(0, 1000);
    assert_true(d >= 1 && d <= 8);
    assert_int_equal(csp_workers_count(5, 3), 3);
    assert_int_equal(csp_workers_count(1000, 1000), CSP_WORKERS_MAX);
    assert_int_equal(csp_workers_count(0, 0), 1);
    assert_int_equal(csp_workers_count(2, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workers_in_order),
        cmocka_unit_test(test_workers_work_fails),
        cmocka_unit_test(test_workers_take_fails),
        cmocka_unit_test(test_workers_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
