/* csppack report: the PDF board pack or strategy document, all or
 * nothing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csppack/keyfindings.h"
#include "csppack/reconcile.h"
#include "csppack/report.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack report [--template FILE] [-o FILE.pdf] "
          "[--kind strategy|board]\n"
          "                      [--period START/END] FILE|DIR...\n"
          "\n"
          "Reconcile every submission into one dataset and write the PDF\n"
          "report, laid out like the published strategy.  --kind board (the\n"
          "default) is the quarterly board pack: key findings, a measures\n"
          "dashboard per theme, action-plan status and data quality.\n"
          "--kind strategy is the yearly archival document: the whole\n"
          "strategy (foreword, narrative, themes, action plan, key contacts)\n"
          "with the reconciled figures and progress.  The PDF is written\n"
          "beside FILE and renamed into place only when complete, so a run\n"
          "that fails leaves FILE as it was.  Folders stand for the .xml\n"
          "files in them.  Errors and warnings are printed.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE the PDF to write (default: csppack-report.pdf)\n"
          "  --kind KIND       board or strategy (default: board)\n"
          "  --period START/END  the period the report is about, e.g.\n"
          "                    2016-07-01/2016-09-30 (default: the latest\n"
          "                    quarter with figures; for the strategy, the\n"
          "                    latest year of the key findings)\n"
          "  --template FILE   the strategy template (default: the built-in\n"
          "                    Dartford and Gravesham 2016-19 strategy)\n"
          "  --max-size SIZE   refuse files larger than SIZE (default 64M)\n"
          "  --max-items N     refuse files with more than N figures and\n"
          "                    updates (default 1000000)\n"
          "  --max-text SIZE   refuse texts longer than SIZE (default 4M)\n"
          "  -q, --quiet       print nothing but errors of the run itself\n"
          "  -v, --verbose     print information diagnostics too\n"
          "\n"
          "The font is DejaVu Sans, found through fontconfig (Debian package\n"
          "fonts-dejavu-core).  SOURCE_DATE_EPOCH, when set, is the creation\n"
          "date; otherwise the latest submission's.\n"
          "\n"
          "Exit status: 0 written, nothing refused and no error-severity\n"
          "discrepancy; 1 written, but something was refused or an\n"
          "error-severity discrepancy exists; 2 usage error; 3 the report\n"
          "could not be written (or the run failed).\n",
          out);
}

int cmd_report(int argc, char **argv)
{
    cli_common c;
    cli_common_init(&c);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    const char *output = "csppack-report.pdf";
    csp_report_kind kind = CSP_REPORT_BOARD;
    csp_report_options ropt = {.catch_signals = true};
    size_t npaths = 0;
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
        const char *value = NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            goto out;
        }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
            strcmp(a, "--kind") == 0 || strcmp(a, "--period") == 0) {
            if (i + 1 >= argc) {
                cli_error("%s needs a value", a);
                code = CSP_EXIT_USAGE;
                goto out;
            }
            value = argv[++i];
        } else if (strncmp(a, "--output=", 9) == 0) {
            a = "--output";
            value = argv[i] + 9;
        } else if (strncmp(a, "--kind=", 7) == 0) {
            a = "--kind";
            value = argv[i] + 7;
        } else if (strncmp(a, "--period=", 9) == 0) {
            a = "--period";
            value = argv[i] + 9;
        } else if (strcmp(a, "--") == 0) {
            while (++i < argc)
                paths[npaths++] = argv[i];
            break;
        } else if (a[0] == '-' && a[1]) {
            cli_error("report: unknown option \"%s\"", a);
            usage(stderr);
            code = CSP_EXIT_USAGE;
            goto out;
        } else {
            paths[npaths++] = a;
            continue;
        }
        if (strcmp(a, "--period") == 0) {
            if (csp_period_parse(value, strlen(value), &ropt.period) !=
                CSP_PERIOD_OK) {
                cli_error("--period \"%s\" is not START/END with real "
                          "dates, start first (e.g. 2016-07-01/2016-09-30)",
                          value);
                code = CSP_EXIT_USAGE;
                goto out;
            }
            ropt.has_period = true;
        } else if (strcmp(a, "--kind") == 0) {
            if (!csp_report_kind_parse(value, &kind)) {
                cli_error("--kind wants board or strategy, not \"%s\"", value);
                code = CSP_EXIT_USAGE;
                goto out;
            }
        } else if (!*value) {
            cli_error("report: %s needs a file name", a);
            code = CSP_EXIT_USAGE;
            goto out;
        } else {
            output = value;
        }
    }
    if (npaths == 0) {
        cli_error("report: name the submission files or folders");
        usage(stderr);
        code = CSP_EXIT_USAGE;
        goto out;
    }
    if ((code = cli_load_template(&c, &tpl)) != CSP_EXIT_OK)
        goto out;
    if ((code = cli_read_dataset(&c, tpl, paths, npaths, "report", &ds)) !=
        CSP_EXIT_OK)
        goto out;
    cli_print_dataset_diags(stdout, &c, ds);
    char why[CSP_REPORT_WHY_BUFSZ];
    csp_error err = csp_report_write(ds, kind, output, &ropt, why, sizeof why);
    if (err != CSP_OK) {
        cli_error("report: cannot write %s: %s", output, why);
        code = CSP_EXIT_IO;
        goto out;
    }
    if (c.verbosity >= 0) {
        csp_period p = ropt.period;
        char label[CSP_LABEL_BUFSZ] = "";
        if (ropt.has_period || csp_pack_default_period(ds, &p))
            csp_period_label(p, label);
        printf("wrote %s: the %s%s%s\n", output,
               kind == CSP_REPORT_BOARD ? "board pack" : "strategy document",
               *label && kind == CSP_REPORT_BOARD ? " for " : "",
               kind == CSP_REPORT_BOARD ? label : "");
    }
    if (csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0)
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("report: cannot write the summary");
        code = CSP_EXIT_IO;
    }
out:
    csp_dataset_free(ds);
    csp_template_free(tpl);
    free(paths);
    return code;
}
