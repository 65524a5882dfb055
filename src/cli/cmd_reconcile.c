/* csppack reconcile: every submission into one dataset, written as a pack
 * folder (dataset.xml, the CSV files, receipts), all or nothing. */
#include "csppack/cli/cli.h"
#include "csppack/pack/pack.h"
#include "csppack/reconcile/reconcile.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack reconcile [--template FILE] [--out DIR] [--strict] "
          "[--since DIR]\n"
          "                         FILE|DIR...\n"
          "\n"
          "Reconcile every submission into one dataset and write, in DIR:\n"
          "  dataset.xml         the reconciled figures with their provenance\n"
          "  observations.csv    one row per figure (or disputed key)\n"
          "  discrepancies.csv   every diagnostic of the run\n"
          "  actions.csv         every update of every action-plan item\n"
          "  receipts/AGENCY.txt what was accepted and refused, and what is\n"
          "                      still needed, per agency\n"
          "  receipts/AGENCY.eml the same as a reply draft to open and send\n"
          "All of them are written, or none: a run that fails leaves DIR as\n"
          "it was.  Other files in DIR are left alone.  Folders stand for the\n"
          ".xml files in them.  Errors and warnings are printed, then a\n"
          "summary and the returns outstanding for the board pack's quarter.\n"
          "\n"
          "Options:\n"
          "  --out DIR         where to write (default: pack; created if\n"
          "                    missing, its parent must exist)\n"
          "  --strict          exit 1 on warnings too\n"
          CLI_HELP_SINCE
          CLI_HELP_COMMON_OPTIONS
          "  -q, --quiet       print nothing but errors of the run itself\n"
          "  -v, --verbose     print information diagnostics too\n"
          "\n"
          "Exit status: 0 nothing refused and no error-severity discrepancy\n"
          "(with --strict, no warning either), 1 otherwise, 2 usage error,\n"
          "3 the outputs could not be written (or the run failed, or no\n"
          "file could be read), 4 nothing to read: nothing is written.\n",
          out);
}

/* Write the data part of the pack, all or nothing, the receipts ending
 * with the chase list @p ret (NULL: none).  Exit code. */
static int write_pack(const char *dir, const csp_dataset *ds,
                      const csp_returns *ret, bool quiet, size_t *nreceipts)
{
    csp_pack_options opt = {.parts = CSP_PACK_PART_DATA,
                            .catch_signals = true,
                            .returns = ret,
                            .waiting = quiet ? NULL : cli_say_waiting};
    csp_pack_result res;
    csp_error err = csp_pack_write(ds, dir, &opt, &res);
    *nreceipts = res.receipts;
    if (err == CSP_OK)
        return CSP_EXIT_OK;
    if (res.touched)
        cli_error("%s; %s was left as it was", res.why.text, dir);
    else
        cli_error("%s", res.why.text);
    return CSP_EXIT_IO;
}

/* The summary on stdout, then the chase list @p ret (NULL: none). */
static void summary(const csp_dataset *ds, const char *dir, size_t nreceipts,
                    const csp_returns *ret)
{
    cli_print_dataset_summary(stdout, ds);
    printf("wrote %s: dataset.xml, dataset.xsd, observations.csv, "
           "discrepancies.csv, actions.csv, receipts/ (%zu file%s)\n",
           dir, nreceipts, nreceipts == 1 ? "" : "s");
    if (ret)
        cli_print_returns(stdout, ds, ret);
}

int cmd_reconcile(int argc, char **argv)
{
    const char *dir = "pack";
    bool strict = false;
    const cli_option options[] = {
        {.name = "--strict", .flag = &strict},
        {.name = "--out", .value = &dir, .needs = "a folder name"},
        {0},
    };
    const cli_command cmd = {
        .name = "reconcile",
        .usage = usage,
        .options = options,
        .flags = CLI_VALUE_ATTACHED | CLI_SINCE,
        .no_operands = "name the submission files or folders"};
    cli_common c;
    cli_common_init(&c);
    size_t nreceipts = 0;
    int code = CSP_EXIT_OK;
    csp_template *tpl = NULL;
    csp_dataset *ds = NULL;
    csp_returns ret = {0};
    bool has_ret = false;
    if ((code = cli_parse_args(&cmd, &c, argc, argv)) != CSP_EXIT_OK ||
        c.help)
        goto out;
    c.out_dir = dir;
    if ((code = cli_load_dataset(&c, "reconcile", &tpl, &ds)) != CSP_EXIT_OK)
        goto out;
    /* The chase list of the default period, for the receipts and the
     * terminal. */
    csp_error rerr = csp_pack_returns(ds, NULL, &ret, &has_ret);
    if (rerr != CSP_OK) {
        cli_error("reconcile: %s", csp_strerror(rerr));
        code = CSP_EXIT_IO;
        goto out;
    }
    if ((code = write_pack(dir, ds, has_ret ? &ret : NULL, c.verbosity < 0,
                           &nreceipts)) != CSP_EXIT_OK)
        goto out;
    if (c.verbosity >= 0) {
        summary(ds, dir, nreceipts, has_ret ? &ret : NULL);
        fflush(stdout);
    }
    cli_print_revisions(&c, ds);
    if (csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0 ||
        (strict && csp_diag_list_count(&ds->diags, CSP_SEV_WARNING) > 0))
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("reconcile: cannot write the report");
        code = CSP_EXIT_IO;
    }
out:
    csp_returns_free(&ret);
    csp_dataset_free(ds);
    csp_template_free(tpl);
    cli_common_free(&c);
    return code;
}
