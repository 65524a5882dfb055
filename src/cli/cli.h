/*
 * The csppack command line: option parsing and output only; every
 * decision is the library's.
 */
#ifndef CSPPACK_CLI_H
#define CSPPACK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "csppack/diag.h"
#include "csppack/reconcile.h"
#include "csppack/template.h"
#include "csppack/xmlread.h"

/** Exit codes, the same for every command. */
enum csp_exit {
    CSP_EXIT_OK = 0,        /**< everything valid / written */
    CSP_EXIT_REFUSED = 1,   /**< some input or item refused, or errors found */
    CSP_EXIT_USAGE = 2,     /**< bad command line */
    CSP_EXIT_IO = 3         /**< a file could not be read or written */
};

/** Options every command accepts. */
typedef struct cli_common {
    const char *template_path;   /**< NULL: the built-in template */
    csp_read_options read;
    int verbosity;               /**< -1 quiet, 0 normal, 1 verbose */
    bool progress;               /**< progress lines on stderr */
} cli_common;

/** "csppack: error: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * Try to consume a common option at argv[*i] (advancing *i past its
 * argument).  Returns 1 when consumed, 0 when not a common option, -1 on a
 * usage error (already reported).
 */
int cli_common_option(cli_common *c, int argc, char **argv, int *i);

/** Initialise common options with defaults. */
void cli_common_init(cli_common *c);

/**
 * Load the template named by the options (or the built-in one), printing
 * its diagnostics.  Returns an exit code; *out set on CSP_EXIT_OK.
 */
int cli_load_template(const cli_common *c, csp_template **out);

/** Print diagnostics to @p out, in canonical order. */
void cli_print_diags(FILE *out, csp_diag_list *diags);

/**
 * Read every file named by @p paths (folders stand for their .xml files)
 * against @p tpl into a new dataset and reconcile it.  Problems with the
 * inputs are diagnostics in (*out)->diags, not failures.  Returns an exit
 * code: CSP_EXIT_OK with *out set (caller frees with csp_dataset_free);
 * CSP_EXIT_REFUSED when the folders hold no .xml file; CSP_EXIT_IO when the
 * run failed (reported as "csppack: error: COMMAND: ...").
 */
int cli_read_dataset(const cli_common *c, const csp_template *tpl,
                     const char *const *paths, size_t npaths,
                     const char *command, csp_dataset **out);

/** Print a dataset's diagnostics to @p out: errors and warnings; also
 *  information with -v; nothing with -q. */
void cli_print_dataset_diags(FILE *out, const cli_common *c,
                             const csp_dataset *ds);

/** Four summary lines: files, figures, action plan, discrepancies. */
void cli_print_dataset_summary(FILE *out, const csp_dataset *ds);

int cmd_validate(int argc, char **argv);
int cmd_blank(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_workbook(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
