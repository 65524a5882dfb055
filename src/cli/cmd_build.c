/* csppack build: the coordinator's one command, inbox to board pack. */
#include <string.h>
#include <unistd.h>

#include "csppack/cli/cli.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/pack/pack.h"
#include "csppack/reconcile/reconcile.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack build [--template FILE] [--out DIR] "
          "[--period START/END]\n"
          "                     [--since DIR] [--marking TEXT] INBOX...\n"
          "\n"
          "Read every submission in the inbox folders (or files), check\n"
          "them, reconcile them, and write the whole pack into DIR:\n"
          "  workbook.xlsx        the Excel workbook\n"
          "  board-report.pdf     the quarterly board pack\n"
          "  strategy-report.pdf  the yearly strategy document\n"
          "  board-report.html, strategy-report.html\n"
          "                       their accessible HTML versions\n"
          "  dataset.xml          the reconciled figures with provenance\n"
          "  dataset.xsd          its schema\n"
          "  observations.csv, discrepancies.csv, actions.csv\n"
          "  receipts/AGENCY.txt  what was accepted and refused, and what is\n"
          "                       still needed, per agency\n"
          "  receipts/AGENCY.eml  the same as a reply draft to open and send\n"
          "Either the pack is complete and consistent, or DIR is left as it\n"
          "was.  Other files in DIR are left alone.  When DIR already holds\n"
          "a pack, the new one says what changed since it (figures revised,\n"
          "action statuses changed), and so does the terminal.  After the\n"
          "summary, the returns outstanding for the board pack's quarter:\n"
          "who has not sent what it owes.\n"
          "\n"
          "Options:\n"
          "  --out DIR           where to write (default: ./pack; created\n"
          "                      if missing, its parent must exist)\n"
          "  --period START/END  the quarter or year the board pack is about\n"
          "                      (default: the latest quarter with figures\n"
          "                      from most partners; printed on stderr)\n"
          "  --since DIR         compare with the pack in DIR instead of the\n"
          "                      one in the output folder\n"
          "  --marking TEXT      the protective marking (e.g.\n"
          "                      OFFICIAL-SENSITIVE) on every page of the\n"
          "                      board pack and in the workbook's print\n"
          "                      header (default: the template's, if any)\n"
          "  --template FILE     the strategy template (default: one found\n"
          "                      in the inbox, else the one CSPPACK_TEMPLATE\n"
          "                      names, else the built-in one)\n"
          "  --strict            exit 1 on warnings too\n"
          "  --strict-senders    refuse a submission that came by mail from\n"
          "                      outside its agency's email domains\n"
          "                      (default: a warning)\n"
          "  --max-size SIZE, --max-items N, --max-text SIZE\n"
          "                      bounds on each submission (64M, 1000000, 4M)\n"
          "  --max-files N       bound on the files of one run (100000)\n"
          "  --jobs N            read N files at once, and from 2 write the\n"
          "                      workbook beside the rest (default: one per\n"
          "                      processor, at most 8)\n"
          "  -q, --quiet         print nothing but errors\n"
          "  -v, --verbose       show progress and every diagnostic\n"
          "\n"
          "Progress goes to standard error when it is a terminal.\n"
          "Exit status: 0 pack written, nothing refused, no error-severity\n"
          "discrepancy (with --strict, no warning); 1 pack written but\n"
          "something was refused or disputed; 2 usage error; 3 the pack\n"
          "could not be written, or no file could be read (DIR is as it\n"
          "was); 4 nothing to read in the folders named (DIR is as it was).\n",
          out);
}

/* Progress lines on standard error (ctx: the stream, taken before the
 * pack holds stderr back while libxlsxwriter works). */
static void progress(void *ctx, const char *name)
{
    FILE *err = ctx;
    if (name)
        fprintf(err, "csppack: writing %s\n", name);
    else
        fputs("csppack: moving the pack into place\n", err);
}

int cmd_build(int argc, char **argv)
{
    const char *dir = "pack", *period_text = NULL, *marking = NULL;
    bool strict = false;
    const cli_option options[] = {
        {.name = "--strict", .flag = &strict},
        {.name = "--out", .value = &dir, .needs = "a value"},
        {.name = "--period", .value = &period_text, .needs = "a value"},
        {.name = "--marking", .value = &marking, .needs = "a value"},
        {0},
    };
    const cli_command cmd = {
        .name = "build",
        .usage = usage,
        .options = options,
        .flags = CLI_SINCE,
        .no_operands = "name the inbox folders or submission files"};
    cli_common c;
    cli_common_init(&c);
    int code = CSP_EXIT_OK;
    csp_template *tpl = NULL;
    csp_dataset *ds = NULL;
    csp_returns ret = {0};
    bool has_ret = false;
    if ((code = cli_parse_args(&cmd, &c, argc, argv)) != CSP_EXIT_OK ||
        c.help)
        goto out;
    csp_report_options ropt;
    memset(&ropt, 0, sizeof ropt);
    ropt.marking = marking;
    csp_workbook_options wopt;
    csp_workbook_options_init(&wopt);
    wopt.marking = marking;
    if (period_text) {
        if (!cli_parse_period("build", period_text, &ropt.period)) {
            code = CSP_EXIT_USAGE;
            goto out;
        }
        ropt.has_period = true;
    }
    bool show_progress = c.verbosity > 0 ||
                         (c.verbosity == 0 && isatty(STDERR_FILENO));
    c.progress = show_progress;
    c.out_dir = dir;
    c.previous_dir = dir;
    if ((code = cli_load_dataset(&c, "build", &tpl, &ds)) != CSP_EXIT_OK)
        goto out;
    /* The chase list, once: for the receipts and the terminal. */
    csp_error rerr = csp_pack_returns(ds, &ropt, &ret, &has_ret);
    if (rerr != CSP_OK) {
        cli_error("build: %s", csp_strerror(rerr));
        code = CSP_EXIT_IO;
        goto out;
    }
    csp_pack_options opt = {.parts = CSP_PACK_PART_ALL,
                            .catch_signals = true,
                            .report = &ropt,
                            .workbook = &wopt,
                            .returns = has_ret ? &ret : NULL,
                            .threads = c.read.threads,
                            .progress = show_progress ? progress : NULL,
                            .progress_ctx = stderr,
                            .waiting = c.verbosity >= 0 ? cli_say_waiting
                                                        : NULL};
    csp_pack_result res;
    csp_error err = csp_pack_write(ds, dir, &opt, &res);
    if (err != CSP_OK) {
        if (res.touched)
            cli_error("build: %s; %s was left as it was", res.why.text, dir);
        else
            cli_error("build: %s", res.why.text);
        code = CSP_EXIT_IO;
        goto out;
    }
    cli_print_pack_period(&c, ds, ropt.has_period ? &ropt.period : NULL);
    if (c.verbosity >= 0) {
        cli_print_dataset_summary(stdout, ds);
        printf("wrote %s: %s, %s, %s, %s, %s, %s, %s, 3 CSV files, %s/ "
               "(%zu file%s)\n",
               dir, CSP_PACK_WORKBOOK, CSP_PACK_BOARD, CSP_PACK_STRATEGY,
               CSP_PACK_BOARD_HTML, CSP_PACK_STRATEGY_HTML, CSP_PACK_DATASET, CSP_PACK_DATASET_XSD, CSP_PACK_RECEIPTS,
               res.receipts, res.receipts == 1 ? "" : "s");
        if (res.excerpted)
            printf("note: the workbook's Action history passed its budget "
                   "of progress text: %zu statement%s shown as an "
                   "excerpt, marked \"[excerpt: ...]\"; the full text is "
                   "in actions.csv and dataset.xml\n",
                   res.excerpted, res.excerpted == 1 ? " is" : "s are");
        if (has_ret)
            cli_print_returns(stdout, ds, &ret);
        fflush(stdout);
    }
    cli_print_revisions(&c, ds);
    bool refused = false;
    for (size_t i = 0; i < ds->nfiles; i++)
        refused |= ds->files[i].refused || ds->files[i].items_refused > 0;
    if (refused || csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0 ||
        (strict && csp_diag_list_count(&ds->diags, CSP_SEV_WARNING) > 0))
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("build: cannot write the summary");
        code = CSP_EXIT_IO;
    }
out:
    csp_returns_free(&ret);
    csp_dataset_free(ds);
    csp_template_free(tpl);
    cli_common_free(&c);
    return code;
}
