/*
 * The csppack command line: option parsing and output only; every
 * decision is the library's.
 */
#ifndef CSPPACK_CLI_H
#define CSPPACK_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "csppack/model/date.h"
#include "csppack/model/diag.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"

/** Exit codes, the same for every command. */
enum csp_exit {
    CSP_EXIT_OK = 0,        /**< everything valid / written */
    CSP_EXIT_REFUSED = 1,   /**< some input or item refused, or errors found */
    CSP_EXIT_USAGE = 2,     /**< bad command line */
    CSP_EXIT_IO = 3,        /**< a file could not be read or written */
    CSP_EXIT_NOTHING = 4    /**< nothing to read in what was named */
};

/** Options every command accepts. */
typedef struct cli_common {
    const char *template_path;   /**< --template FILE; NULL: the one
                                      found among the inputs, else the
                                      one CSPPACK_TEMPLATE names, else
                                      the built-in one */
    bool template_builtin;       /**< with no --template: the built-in
                                      template, whatever the inputs and
                                      the environment */
    csp_read_options read;
    int verbosity;               /**< -1 quiet, 0 normal, 1 verbose */
    bool progress;               /**< progress lines on stderr */
    bool help;                   /**< --help was answered: end, exit 0 */
    const char **operands;       /**< the FILE|DIR arguments, in order;
                                      owned, freed by cli_common_free */
    size_t noperands;
    /** Where the command writes, set before cli_load_dataset: a pack
     *  folder (replaced whole) or a file.  Neither may be, or hold, an
     *  input (cli_read_dataset refuses: exit 2).  NULL: none. */
    const char *out_dir;
    const char *out_file;
    /** --since DIR (commands with CLI_SINCE): the pack to compare with;
     *  one that cannot be read is a usage error. */
    const char *since_dir;
    /** build: its output folder, compared with when it holds a pack and
     *  --since is not given; one that cannot be read is only warned
     *  about. */
    const char *previous_dir;
} cli_common;

/** One option of a command's own, besides the common ones. */
typedef struct cli_option {
    const char *name;   /**< "--out"; NULL ends a table */
    const char *alias;  /**< "-o", or NULL */
    bool *flag;         /**< set: an option without a value, set true */
    const char **value; /**< where the value goes (NULL: check keeps it) */
    /** Set: an empty value is refused as "COMMAND: NAME needs <needs>",
     *  e.g. "a file name". */
    const char *needs;
    /** Set: parse or check the value as soon as it is seen; reports its
     *  own error and returns false to refuse it. */
    bool (*check)(void *ctx, const char *value);
    void *ctx;          /**< passed to check */
} cli_option;

/** The command's own options also take "--name=VALUE"; a missing value is
 *  then reported as for the common options ("NAME needs a value"), else as
 *  "COMMAND: NAME needs a value". */
#define CLI_VALUE_ATTACHED 0x1u
/** The command takes no FILE|DIR: any other argument, "--" too, is
 *  "COMMAND: unexpected argument", and an error in its own options is
 *  followed by the usage. */
#define CLI_NO_OPERANDS 0x2u

/** The command takes --since DIR (the previous pack to compare with). */
#define CLI_SINCE 0x4u

/** A command's command line. */
typedef struct cli_command {
    const char *name;            /**< "reconcile", for messages */
    void (*usage)(FILE *out);    /**< the command's help text */
    const cli_option *options;   /**< its own options, or NULL */
    unsigned flags;              /**< CLI_VALUE_ATTACHED, CLI_NO_OPERANDS */
    /** Set: FILE|DIR operands are required, and none is the error
     *  "COMMAND: <no_operands>" with the usage. */
    const char *no_operands;
} cli_command;

/** The help lines of --template, the --max-* bounds, --jobs and
 *  --strict-senders, for a command's usage text. */
#define CLI_HELP_COMMON_OPTIONS                                                \
    "  --template FILE   the strategy template (default: the one found\n"      \
    "                    among the inputs, else the one CSPPACK_TEMPLATE\n"    \
    "                    names, else the built-in one)\n"                     \
    "  --max-size SIZE   refuse files larger than SIZE (default 64M)\n"        \
    "  --max-items N     refuse files with more than N figures and\n"          \
    "                    updates (default 1000000)\n"                          \
    "  --max-text SIZE   refuse texts longer than SIZE (default 4M)\n"         \
    "  --max-files N     read nothing when more than N files are named\n"     \
    "                    (default 100000)\n"                                  \
    "  --jobs N          read N files at once (default: one per\n"           \
    "                    processor, at most 8); the output is the same\n"   \
    "  --strict-senders  refuse a submission that came by mail from\n"      \
    "                    outside its agency's email domains (default:\n"    \
    "                    a warning)\n"

/** The help lines of --since, for the usage text of the commands that
 *  take it. */
#define CLI_HELP_SINCE                                                         \
    "  --since DIR       compare with the pack in DIR (its dataset.xml):\n"   \
    "                    the figures revised and the action statuses\n"      \
    "                    changed since it\n"

/** The help lines of --marking, for the commands that write reports or
 *  workbooks. */
#define CLI_HELP_MARKING                                                       \
    "  --marking TEXT    the protective marking (e.g. OFFICIAL-SENSITIVE)\n"  \
    "                    at the top and foot of every page (default: the\n"  \
    "                    template's, if any)\n"

/** csp_pack_options.waiting for the commands that write a pack: a line on
 *  stderr saying that the run waits for another (ctx: unused). */
void cli_say_waiting(void *ctx, const char *dir);

/** "csppack: error: ..." on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Initialise common options with defaults. */
void cli_common_init(cli_common *c);

/** Free the operands cli_parse_args collected; accepts NULL. */
void cli_common_free(cli_common *c);

/**
 * Read a command's arguments (argv[0] is the command's name) into @p c and
 * @p cmd's option table, in order: the common options, the command's own,
 * --help/-h (usage on stdout, c->help set), "--" (the rest are operands),
 * an unknown option (its error and the usage on stderr), an operand.
 * Returns an exit code, every error already reported: CSP_EXIT_OK to go on
 * (or end, when c->help is set), CSP_EXIT_USAGE, or CSP_EXIT_IO when out of
 * memory.  Unless the command has CLI_NO_OPERANDS, the caller frees c with
 * cli_common_free, whatever the result.
 *
 *     if ((code = cli_parse_args(&cmd, &c, argc, argv)) != CSP_EXIT_OK ||
 *         c.help)
 *         goto out;
 */
int cli_parse_args(const cli_command *cmd, cli_common *c, int argc,
                   char **argv) __attribute__((warn_unused_result));

/**
 * Parse @p text as --period START/END into *out; a refusal is reported as
 * "csppack: error: COMMAND: --period ..." (without "COMMAND: " when
 * @p command is NULL).
 */
bool cli_parse_period(const char *command, const char *text,
                      csp_period *out) __attribute__((warn_unused_result));

/** The environment variable that names the default template. */
#define CLI_TEMPLATE_ENV "CSPPACK_TEMPLATE"

/**
 * Load the run's template, printing its diagnostics: the one --template
 * names; else the template found in the folders among c->operands
 * (csp_template_find; two different ones are a usage error, "COMMAND:
 * two different strategy templates among the inputs, A and B; ..."); else
 * the one $CSPPACK_TEMPLATE names; else the built-in one.  Unless quiet,
 * one line on stderr names a template that is not the built-in one and
 * where it came from.  Returns an exit code; *out set on CSP_EXIT_OK, and
 * *named (may be NULL) to its path as named or found (tpl->path), NULL
 * for the built-in one.
 */
int cli_load_template(const cli_common *c, const char *command,
                      csp_template **out, const char **named);

/** Print diagnostics to @p out, in canonical order. */
void cli_print_diags(FILE *out, csp_diag_list *diags);

/**
 * Read every file named by @p paths (folders stand for their .xml files,
 * csp_paths_expand) against @p tpl into a new dataset and reconcile it.
 * Problems with the inputs are diagnostics in (*out)->diags, not
 * failures; the entries skipped (I116) are printed on stderr as they are
 * found.  Returns an exit code: CSP_EXIT_OK with *out set (caller frees
 * with csp_dataset_free); CSP_EXIT_REFUSED for E115; CSP_EXIT_USAGE,
 * nothing read, when c->out_dir is or holds an input (a folder named, or
 * a folder above an input file, compared by device and inode) or
 * c->out_file is an input file; when no file's bytes could be read, the
 * diagnostics are printed and CSP_EXIT_IO (something named could not be
 * read) or CSP_EXIT_NOTHING (nothing to read), and nothing may be
 * written; CSP_EXIT_IO when the run failed (all reported
 * as "csppack: error: COMMAND: ...").
 */
int cli_read_dataset(const cli_common *c, const csp_template *tpl,
                     const char *const *paths, size_t npaths,
                     const char *command, csp_dataset **out);

/**
 * The start of every command that writes outputs: load the template
 * (cli_load_template), read and reconcile what c->operands name
 * (cli_read_dataset), print the run's diagnostics on stdout
 * (cli_print_dataset_diags).  Returns an exit code, CSP_EXIT_OK with *tpl
 * and *ds set; the caller frees both whatever the result
 * (csp_template_free, csp_dataset_free).
 */
int cli_load_dataset(const cli_common *c, const char *command,
                     csp_template **tpl, csp_dataset **ds)
    __attribute__((warn_unused_result));

/** Print a dataset's diagnostics to @p out: errors and warnings; also
 *  information with -v (but I116, which cli_read_dataset printed on
 *  stderr); nothing with -q. */
void cli_print_dataset_diags(FILE *out, const cli_common *c,
                             const csp_dataset *ds);

/**
 * One line on stderr, unless quiet: the period the board pack is about
 * (@p given, from --period, or NULL: the default) and why ("csppack:
 * board pack period: Q2 2016/17 (...), the latest quarter with figures
 * from most of the partners expected (7 of 7)").
 */
void cli_print_pack_period(const cli_common *c, const csp_dataset *ds,
                           const csp_period *given);

/**
 * Read the previous pack (c->since_dir, else c->previous_dir; none: do
 * nothing) and give it to @p ds, not reconciled yet.  Returns an exit
 * code: CSP_EXIT_USAGE, printed as "DIR/dataset.xml: error: ...", when
 * --since names a pack that cannot be read; a pack in build's folder
 * that cannot be read is a warning on stderr and CSP_EXIT_OK.
 */
int cli_since_load(const cli_common *c, const csp_template *tpl,
                   const char *command, csp_dataset *ds);

/** On stderr after the summary, unless quiet, when the run compared with
 *  a previous pack: "csppack: revised since the last pack (PERIOD): N
 *  figures, M action statuses", then one line per figure and per item. */
void cli_print_revisions(const cli_common *c, const csp_dataset *ds);

/** Four summary lines: files, figures, action plan, discrepancies. */
void cli_print_dataset_summary(FILE *out, const csp_dataset *ds);

/**
 * The chase list @p r on @p out: "returns outstanding for Q2 2016/17: 2
 * agencies" (or ": none"), then per agency with something outstanding
 * one line naming, by the template's names, the figures (indicator, area)
 * and action updates (refs) not received, or that it sent nothing and
 * what it owes in all.
 */
void cli_print_returns(FILE *out, const csp_dataset *ds,
                       const csp_returns *r);

int cmd_validate(int argc, char **argv);
int cmd_blank(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_workbook(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
