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

#ifdef __cplusplus
}
#endif
#endif
