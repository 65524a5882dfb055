/*
 * allocshim.so: an LD_PRELOAD library that makes the Nth memory
 * allocation fail with ENOMEM, to test that `csppack build` survives
 * running out of memory anywhere (tests/functional/build-faults.sh).
 *
 *     CSP_ALLOCSHIM="count"     fail nothing; at exit, print
 *                               "allocshim: N allocations" on stderr
 *     CSP_ALLOCSHIM="N"         the Nth allocation returns NULL
 *     CSP_ALLOCSHIM="N:every"   the Nth and every later one return NULL
 *     CSP_ALLOCSHIM_LOG=FILE    append to FILE where the first failed
 *                               allocation was made and, should the
 *                               process crash, where it crashed:
 *
 *         failed 4242 in libxlsxwriter.so.4 lxw_new_attribute_str
 *         crashed (signal 11) in libxlsxwriter.so.4 lxw_new_attribute_str
 *
 *       naming the first caller outside this library, the C library and
 *       the sanitizer runtimes, and its nearest exported symbol ("?" for
 *       the program's own functions, which are not exported).  The test
 *       uses it to tell a crash inside a library that was handed NULL
 *       from a crash of ours.
 *
 * Counted, from the moment main is called (the program cannot handle a
 * failure in the dynamic loader or in a library's constructor): malloc,
 * calloc, realloc, reallocarray, posix_memalign, aligned_alloc, memalign,
 * valloc and pvalloc, whoever calls them (glibc's own strdup, fopen,
 * open_memstream... call malloc through the symbol this library
 * replaces; under AddressSanitizer, whose runtime serves strdup itself,
 * fewer calls are counted).  Counting starts at 1.
 *
 * Each call is passed on to the next definition (glibc's, or the
 * AddressSanitizer runtime's when it follows this library in the library
 * list), found with dlsym.  dlsym may itself allocate: while it runs,
 * allocations are served from a small static arena, never freed.
 *
 * While a mode is set, time() returns a fixed instant: libxml2 seeds its
 * hash tables with it, and how often they grow (so the count) depends on
 * the seed.  csppack itself never reads the clock (doc/design.md).
 */
#define _GNU_SOURCE 1

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The next definitions of the allocation functions. */
static void *(*next_malloc)(size_t);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);
static void (*next_free)(void *);
static int (*next_posix_memalign)(void **, size_t, size_t);
static void *(*next_aligned_alloc)(size_t, size_t);
static void *(*next_memalign)(size_t, size_t);
static void *(*next_valloc)(size_t);
static void *(*next_pvalloc)(size_t);

/* Served while dlsym runs; a 16-byte header before each block holds its
 * size, for realloc. */
static _Alignas(16) unsigned char arena[64 * 1024];
static size_t arena_used;
static int resolving;

/* What to do, and how many allocations main has made. */
enum mode { M_OFF, M_COUNT, M_ONE, M_EVERY };
static enum mode mode;
static unsigned long target, calls;
static int in_main;
static const char *log_path;

/* Is @p p a block of the arena? */
static int in_arena(const void *p)
{
    return (const unsigned char *)p >= arena &&
           (const unsigned char *)p < arena + sizeof arena;
}

/* A zeroed block of the arena, or NULL when it is used up. */
static void *arena_alloc(size_t n)
{
    size_t need = 16 + ((n + 15) & ~(size_t)15);
    if (n > sizeof arena || need > sizeof arena - arena_used)
        return NULL;
    unsigned char *p = arena + arena_used;
    arena_used += need;
    memcpy(p, &n, sizeof n);
    return p + 16;
}

/* Find the next definitions once. */
static void resolve(void)
{
    if (next_malloc || resolving)
        return;
    resolving = 1;
    next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    next_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    next_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(
        RTLD_NEXT, "posix_memalign");
    next_aligned_alloc =
        (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    next_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    next_valloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "valloc");
    next_pvalloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "pvalloc");
    void *(*m)(size_t) = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    if (!m || !next_calloc || !next_realloc || !next_free)
        abort();
    next_malloc = m;
    resolving = 0;
}

/* Is @p file (a shared object's path) one to look through for the
 * caller: this library, the C library, the loader, a sanitizer runtime? */
static int pass_through(const char *file, const void *self_base,
                        const void *base)
{
    if (base == self_base)
        return 1;
    const char *b = strrchr(file, '/');
    b = b ? b + 1 : file;
    return strncmp(b, "libc.so", 7) == 0 || strncmp(b, "ld-linux", 8) == 0 ||
           strncmp(b, "libasan.so", 10) == 0 ||
           strncmp(b, "libubsan.so", 11) == 0;
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

/* The base name of a shared object's path. */
static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/*
 * Append "WHAT in MODULE SYMBOL" to the log, naming the first frame of
 * the stack outside the pass-through objects; when that frame is the
 * program's own, add " via MODULE SYMBOL", the first library further up
 * the stack (the program's code called back by a library, or an
 * allocator it gave the library).  Uses no allocation.
 */
static void log_where(const char *what)
{
    if (!log_path)
        return;
    void *frames[64];
    int n = backtrace(frames, 64);
    Dl_info self, prog, info;
    const char *module = "?", *symbol = "?", *via = NULL, *via_symbol = "?";
    if (!dladdr((void *)log_where, &self))
        self.dli_fbase = NULL;
    if (!real_main || !dladdr((void *)real_main, &prog))
        prog.dli_fbase = NULL;
    int first = -1;
    for (int i = 0; i < n; i++) {
        if (!dladdr(frames[i], &info) || !info.dli_fname)
            continue;
        if (pass_through(info.dli_fname, self.dli_fbase, info.dli_fbase))
            continue;
        if (first < 0) {
            first = i;
            module = base_name(info.dli_fname);
            if (info.dli_sname)
                symbol = info.dli_sname;
            if (info.dli_fbase != prog.dli_fbase)
                break;
        } else if (info.dli_fbase != prog.dli_fbase) {
            via = base_name(info.dli_fname);
            if (info.dli_sname)
                via_symbol = info.dli_sname;
            break;
        }
    }
    char line[512];
    int len = snprintf(line, sizeof line, "%s in %s %s%s%s%s%s\n", what,
                       module, symbol, via ? " via " : "", via ? via : "",
                       via ? " " : "", via ? via_symbol : "");
    int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0 || len <= 0)
        return;
    (void)!write(fd, line, (size_t)len < sizeof line ? (size_t)len
                                                    : sizeof line - 1);
    close(fd);
}

/* Should this allocation fail?  Counts it. */
static int failing(void)
{
    if (!in_main || mode == M_OFF)
        return 0;
    unsigned long n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    if ((mode == M_ONE && n == target) || (mode == M_EVERY && n >= target)) {
        if (n == target) {
            char what[64];
            snprintf(what, sizeof what, "failed %lu", n);
            log_where(what);
        }
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    resolve();
    if (resolving)
        return arena_alloc(n);
    return failing() ? NULL : next_malloc(n);
}

void *calloc(size_t k, size_t n)
{
    resolve();
    if (resolving)
        return n && k > SIZE_MAX / n ? NULL : arena_alloc(k * n);
    return failing() ? NULL : next_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    resolve();
    if (resolving || in_arena(p)) {
        /* Out of the arena: copy into a block of the next allocator. */
        void *q = resolving ? arena_alloc(n) : malloc(n);
        if (q && p) {
            size_t old;
            memcpy(&old, (unsigned char *)p - 16, sizeof old);
            memcpy(q, p, old < n ? old : n);
        }
        return q;
    }
    return failing() ? NULL : next_realloc(p, n);
}

void *reallocarray(void *p, size_t k, size_t n)
{
    if (n && k > SIZE_MAX / n) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, k * n);
}

void free(void *p)
{
    if (!p || in_arena(p))
        return;
    resolve();
    next_free(p);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    resolve();
    if (failing())
        return ENOMEM;
    return next_posix_memalign(out, align, n);
}

void *aligned_alloc(size_t align, size_t n)
{
    resolve();
    return failing() ? NULL : next_aligned_alloc(align, n);
}

void *memalign(size_t align, size_t n)
{
    resolve();
    return failing() ? NULL : next_memalign(align, n);
}

void *valloc(size_t n)
{
    resolve();
    return failing() ? NULL : next_valloc(n);
}

void *pvalloc(size_t n)
{
    resolve();
    return failing() ? NULL : next_pvalloc(n);
}

/* Print the count at exit (write(2): stdio may be gone). */
static void report(void)
{
    char line[64];
    int len = snprintf(line, sizeof line, "allocshim: %lu allocations\n",
                       calls);
    if (len > 0)
        (void)!write(STDERR_FILENO, line, (size_t)len);
}

/* A fatal signal: say where, then die of it as usual (SA_RESETHAND). */
static void on_crash(int sig)
{
    char what[64];
    snprintf(what, sizeof what, "crashed (signal %d)", sig);
    log_where(what);
    raise(sig);
}

/* Read CSP_ALLOCSHIM, once. */
static void configure(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    const char *env = getenv("CSP_ALLOCSHIM");
    if (!env || !*env)
        return;
    if (strcmp(env, "count") == 0) {
        mode = M_COUNT;
        atexit(report);
        return;
    }
    char *end;
    target = strtoul(env, &end, 10);
    if (target == 0)
        return;
    mode = strcmp(end, ":every") == 0 ? M_EVERY : M_ONE;
    log_path = getenv("CSP_ALLOCSHIM_LOG");
    if (log_path && !*log_path)
        log_path = NULL;
}

time_t time(time_t *t)
{
    time_t now = 1000000000;
    configure();
    if (mode == M_OFF) {
        time_t (*next)(time_t *) =
            (time_t(*)(time_t *))dlsym(RTLD_NEXT, "time");
        now = next ? next(NULL) : (time_t)-1;
    }
    if (t)
        *t = now;
    return now;
}

/* main, with counting switched on. */
static int counted_main(int argc, char **argv, char **envp)
{
    configure();
    if (log_path) {
        /* backtrace loads the unwinder (allocating) on its first use. */
        void *warm[2];
        (void)backtrace(warm, 2);
        static const int fatal[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
                                    SIGILL};
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = (int)SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < sizeof fatal / sizeof *fatal; i++)
            sigaction(fatal[i], &sa, NULL);
    }
    in_main = 1;
    return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main_, int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end);

/* glibc calls main from here: wrap it. */
int __libc_start_main(main_fn main_, int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    int (*next)(main_fn, int, char **, void (*)(void), void (*)(void),
                void (*)(void), void *) =
        (int (*)(main_fn, int, char **, void (*)(void), void (*)(void),
                 void (*)(void), void *))dlsym(RTLD_NEXT,
                                               "__libc_start_main");
    if (!next)
        abort();
    real_main = main_;
    return next(counted_main, argc, argv, init, fini, rtld_fini, stack_end);
}
