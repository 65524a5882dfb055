/*
 * Internal: the one seam through which csppack's own code allocates
 * memory, in the manner of curl's memdebug.  Not installed.
 *
 * Every allocation csppack's code makes is csp_malloc, csp_calloc,
 * csp_realloc, csp_strdup or csp_strndup; the memory is the C library's
 * and is released with free().  build-aux/alloc-seam.sh converts plain
 * calls and, run by tests/functional/alloc-seam.sh, fails when one is
 * left in src/.  The macros name the calling file and line, so that
 * the test build can say where it made an allocation fail.
 *
 * In the program that is installed these are the C library's functions.
 * In tests/csppack-torture, the same objects linked with this module
 * compiled with CSP_ALLOC_TORTURE, the environment can make the Nth of
 * them fail (doc/design.md, "Running out of memory"; the variables are
 * described in src/alloc.c).
 *
 * What libraries allocate is theirs, and does not pass here: their
 * number depends on the library's version and the host (fonts, hash
 * seeds).  What csppack allocates on a library's behalf, under that
 * library's rules, uses csp_alloc_lib_malloc and its kin, which the
 * test build never fails: libxml2's allocators (xmlsafe.c counts their
 * failures).
 */
#ifndef CSPPACK_ALLOC_H
#define CSPPACK_ALLOC_H

#include <stddef.h>

/* "src/file.c:123", the call's site. */
#define CSP_ALLOC_STR_(x) #x
#define CSP_ALLOC_STR(x) CSP_ALLOC_STR_(x)
#define CSP_ALLOC_SITE __FILE__ ":" CSP_ALLOC_STR(__LINE__)

#define csp_malloc(n) csp_alloc_malloc((n), CSP_ALLOC_SITE)
#define csp_calloc(k, n) csp_alloc_calloc((k), (n), CSP_ALLOC_SITE)
#define csp_realloc(p, n) csp_alloc_realloc((p), (n), CSP_ALLOC_SITE)
#define csp_strdup(s) csp_alloc_strdup((s), CSP_ALLOC_SITE)
#define csp_strndup(s, n) csp_alloc_strndup((s), (n), CSP_ALLOC_SITE)

/** malloc(@p n), made at @p site. */
void *csp_alloc_malloc(size_t n, const char *site);
/** calloc(@p k, @p n), made at @p site. */
void *csp_alloc_calloc(size_t k, size_t n, const char *site);
/** realloc(@p p, @p n), made at @p site; @p p is left alone on failure. */
void *csp_alloc_realloc(void *p, size_t n, const char *site);
/** strdup(@p s), made at @p site. */
char *csp_alloc_strdup(const char *s, const char *site);
/** strndup(@p s, @p n), made at @p site. */
char *csp_alloc_strndup(const char *s, size_t n, const char *site);

/** malloc for a library's own allocations (libxml2's): never counted
 *  or failed by the test build. */
void *csp_alloc_lib_malloc(size_t n);
/** realloc for a library's own allocations. */
void *csp_alloc_lib_realloc(void *p, size_t n);
/** strdup for a library's own allocations. */
char *csp_alloc_lib_strdup(const char *s);

#endif
