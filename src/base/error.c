/* csppack: error descriptions. */
#include "csppack/base/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "csppack/base/utf8.h"

/* A static English description of err. */
const char *csp_strerror(csp_error err)
{
    switch (err) {
    case CSP_OK: return "success";
    case CSP_ERR_NOMEM: return "out of memory";
    case CSP_ERR_IO: return "input/output error";
    case CSP_ERR_INVALID: return "input refused";
    case CSP_ERR_LIMIT: return "a limit was exceeded";
    case CSP_ERR_USAGE: return "invalid arguments";
    case CSP_ERR_INTERNAL: return "internal library failure";
    }
    return "unknown error";
}

void csp_why_clear(csp_why *why)
{
    if (why)
        why->text[0] = '\0';
}

void csp_why_set(csp_why *why, const char *fmt, ...)
{
    if (!why || why->text[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(why->text, sizeof why->text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        why->text[0] = '\0';
        return;
    }
    if ((size_t)n >= sizeof why->text)
        why->text[csp_utf8_floor(why->text, sizeof why->text - 1)] = '\0';
}

const char *csp_why_text(const csp_why *why, csp_error err)
{
    return why && why->text[0] ? why->text : csp_strerror(err);
}
