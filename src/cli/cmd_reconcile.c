/* csppack reconcile: every submission into one dataset, written as a pack
 * folder (dataset.xml, the CSV files, receipts), all or nothing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csppack/pack.h"
#include "csppack/reconcile.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack reconcile [--template FILE] [--out DIR] [--strict] "
          "FILE|DIR...\n"
          "\n"
          "Reconcile every submission into one dataset and write, in DIR:\n"
          "  dataset.xml         the reconciled figures with their provenance\n"
          "  observations.csv    one row per figure (or disputed key)\n"
          "  discrepancies.csv   every diagnostic of the run\n"
          "  actions.csv         every update of every action-plan item\n"
          "  receipts/AGENCY.txt what was accepted and refused, per agency\n"
          "All of them are written, or none: a run that fails leaves DIR as\n"
          "it was.  Other files in DIR are left alone.  Folders stand for the\n"
          ".xml files in them.  Errors and warnings are printed, then a\n"
          "summary.\n"
          "\n"
          "Options:\n"
          "  --out DIR         where to write (default: the current folder;\n"
          "                    created if missing, its parent must exist)\n"
          "  --strict          exit 1 on warnings too\n"
          "  --template FILE   the strategy template (default: the built-in\n"
          "                    Dartford and Gravesham 2016-19 strategy)\n"
          "  --max-size SIZE   refuse files larger than SIZE (default 64M)\n"
          "  --max-items N     refuse files with more than N figures and\n"
          "                    updates (default 1000000)\n"
          "  --max-text SIZE   refuse texts longer than SIZE (default 4M)\n"
          "  -q, --quiet       print nothing but errors of the run itself\n"
          "  -v, --verbose     print information diagnostics too\n"
          "\n"
          "Exit status: 0 nothing refused and no error-severity discrepancy\n"
          "(with --strict, no warning either), 1 otherwise, 2 usage error,\n"
          "3 the outputs could not be written (or the run failed).\n",
          out);
}

/* Write the data part of the pack, all or nothing.  Exit code. */
static int write_pack(const char *dir, const csp_dataset *ds,
                      size_t *nreceipts)
{
    csp_pack_options opt = {.parts = CSP_PACK_PART_DATA,
                            .catch_signals = true};
    csp_pack_result res;
    csp_error err = csp_pack_write(ds, dir, &opt, &res);
    *nreceipts = res.receipts;
    if (err == CSP_OK)
        return CSP_EXIT_OK;
    if (res.touched)
        cli_error("%s; %s was left as it was", res.why, dir);
    else
        cli_error("%s", res.why);
    return CSP_EXIT_IO;
}

/* The summary on stdout. */
static void summary(const csp_dataset *ds, const char *dir, size_t nreceipts)
{
    cli_print_dataset_summary(stdout, ds);
    printf("wrote %s: dataset.xml, dataset.xsd, observations.csv, "
           "discrepancies.csv, actions.csv, receipts/ (%zu file%s)\n",
           dir, nreceipts, nreceipts == 1 ? "" : "s");
}

int cmd_reconcile(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    const char *dir = ".";
    bool strict = false;
    size_t npaths = 0, nreceipts = 0;
    int code = CSP_EXIT_OK;
    csp_template *tpl = NULL;
    csp_dataset *ds = NULL;
    if (!paths) {
        cli_error("out of memory");
        return CSP_EXIT_IO;
    }
    for (int i = 1; i < argc; i++) {
        int r = cli_common_option(&c, argc, argv, &i);
        if (r < 0) {
            code = CSP_EXIT_USAGE;
            goto out;
        }
        if (r > 0)
            continue;
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            goto out;
        }
        if (strcmp(a, "--strict") == 0) {
            strict = true;
            continue;
        }
        if (strcmp(a, "--out") == 0) {
            if (i + 1 >= argc) {
                cli_error("%s needs a value", a);
                code = CSP_EXIT_USAGE;
                goto out;
            }
            dir = argv[++i];
        } else if (strncmp(a, "--out=", 6) == 0) {
            dir = a + 6;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                paths[npaths++] = argv[i];
            break;
        } else if (a[0] == '-' && a[1]) {
            cli_error("reconcile: unknown option \"%s\"", a);
            usage(stderr);
            code = CSP_EXIT_USAGE;
            goto out;
        } else {
            paths[npaths++] = a;
            continue;
        }
        if (!*dir) {
            cli_error("reconcile: --out needs a folder name");
            code = CSP_EXIT_USAGE;
            goto out;
        }
    }
    if (npaths == 0) {
        cli_error("reconcile: name the submission files or folders");
        usage(stderr);
        code = CSP_EXIT_USAGE;
        goto out;
    }
    if ((code = cli_load_template(&c, &tpl)) != CSP_EXIT_OK)
        goto out;
    if ((code = cli_read_dataset(&c, tpl, paths, npaths, "reconcile", &ds)) !=
        CSP_EXIT_OK)
        goto out;
    cli_print_dataset_diags(stdout, &c, ds);
    if ((code = write_pack(dir, ds, &nreceipts)) != CSP_EXIT_OK)
        goto out;
    if (c.verbosity >= 0)
        summary(ds, dir, nreceipts);
    if (csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0 ||
        (strict && csp_diag_list_count(&ds->diags, CSP_SEV_WARNING) > 0))
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("reconcile: cannot write the report");
        code = CSP_EXIT_IO;
    }
out:
    csp_dataset_free(ds);
    csp_template_free(tpl);
    free(paths);
    return code;
}
