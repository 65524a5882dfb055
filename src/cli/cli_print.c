/* csppack: what every command prints: error lines, diagnostics, waiting. */
#include <stdarg.h>
#include <string.h>

#include "csppack/cli/cli.h"

/* The longest message cli_error prints whole; a longer one is cut. */
#define CLI_ERROR_MAX 2048

/* Print @p s on @p out in its display form (csp_text_show), without
 * allocating: the paths in a message may come from a folder's entries
 * (or be typed), and must not forge a line or move the cursor. */
static void print_shown(FILE *out, const char *s)
{
    char shown[CSP_TEXT_SHOWN_BUFSZ(CLI_ERROR_MAX)];
    size_t n = strlen(s);
    size_t len = csp_text_show(s, n, CLI_ERROR_MAX, shown);
    fwrite(shown, 1, len, out);
}

/* csppack: error: ... (one line: every name in it in its display form) */
void cli_error(const char *fmt, ...)
{
    char msg[CLI_ERROR_MAX + 1];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("csppack: error: ", stderr);
    print_shown(stderr, msg);
    fputc('\n', stderr);
}

/* Another run holds the lock on the pack's folder: say why nothing moves. */
void cli_say_waiting(void *ctx, const char *dir)
{
    (void)ctx;
    fputs("csppack: waiting for another csppack run writing into or "
          "beside ",
          stderr);
    print_shown(stderr, dir);
    fputs(" to finish\n", stderr);
}

/* Print diagnostics in canonical order. */
void cli_print_diags(FILE *out, csp_diag_list *diags)
{
    csp_diag_list_sort(diags);
    for (size_t i = 0; i < diags->count; i++)
        csp_diag_print(out, &diags->items[i]);
}
