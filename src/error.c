/* csppack: error descriptions. */
#include "csppack/error.h"

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
