/*
 * csppack: error codes shared by every module.
 *
 * Functions that can fail return csp_error; CSP_OK is zero.  Diagnostics
 * about the *content* of an input (a bad figure, a refused file) are not
 * errors in this sense: they are collected in a csp_diag_list (diag.h) and
 * the function still returns CSP_OK.  csp_error is for failures of the run
 * itself: memory, I/O, an unusable template.
 */
#ifndef CSPPACK_ERROR_H
#define CSPPACK_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CSP_MUST_CHECK __attribute__((warn_unused_result))
#else
#define CSP_MUST_CHECK
#endif

/** Result of a csppack library call. */
typedef enum csp_error {
    CSP_OK = 0,         /**< success */
    CSP_ERR_NOMEM,      /**< an allocation failed */
    CSP_ERR_IO,         /**< a file could not be read or written */
    CSP_ERR_INVALID,    /**< the input was refused (see the diagnostics) */
    CSP_ERR_LIMIT,      /**< an input exceeded a configured bound */
    CSP_ERR_USAGE,      /**< the caller passed something meaningless */
    CSP_ERR_INTERNAL    /**< a library (libxml2, libharu...) failed */
} csp_error;

/** A static English description of @p err. */
const char *csp_strerror(csp_error err);

/** Bytes in a csp_why, its terminating NUL included. */
#define CSP_WHY_MAX 768

/**
 * Why a call failed, in words: the one way every module carries more
 * than its csp_error (the path and what the system said, which library
 * call failed, what to do about it).  One sentence, no trailing full
 * stop, no newline, fit for one error line; empty when nothing more is
 * known, and then csp_strerror() is the message.
 *
 * A function that can say why takes a `csp_why *why` (NULL when the
 * caller does not want it) and fills it with csp_why_set on the path
 * that fails.  The first reason set is kept: it is the one nearest the
 * cause, and the callers above only return.
 */
typedef struct csp_why {
    char text[CSP_WHY_MAX];
} csp_why;

#if defined(__GNUC__)
#define CSP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CSP_PRINTF(f, a)
#endif

/** Empty @p why (which may be NULL). */
void csp_why_clear(csp_why *why);

/** Set @p why (which may be NULL) from a printf format unless it already
 *  says something; text that does not fit is cut at a character
 *  boundary. */
void csp_why_set(csp_why *why, const char *fmt, ...) CSP_PRINTF(2, 3);

/** The reason @p why holds, or csp_strerror(@p err) when it is empty or
 *  NULL. */
const char *csp_why_text(const csp_why *why, csp_error err);

#ifdef __cplusplus
}
#endif
#endif
