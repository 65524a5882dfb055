/*
 * GMime 3, set up once per process for every module that reads or
 * writes mail (read/mail, write/receipts).  GMime's own allocations go
 * through GLib, which aborts when memory runs out: doc/mail.md.
 */
#ifndef CSPPACK_BASE_MIME_H
#define CSPPACK_BASE_MIME_H

#ifdef __cplusplus
extern "C" {
#endif

/** Initialise GMime, once, whatever the number of calls and threads. */
void csp_mime_init(void);

/** Release what GMime holds; call at most once, after the last use (the
 *  command line's main, a test's end).  Harmless when never initialised. */
void csp_mime_shutdown(void);

#ifdef __cplusplus
}
#endif
#endif
