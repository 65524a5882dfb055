/* csppack report: the PDF board pack or strategy document (or its HTML
 * version), all or nothing. */
#include "csppack/cli/cli.h"
#include "csppack/pack/single.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/pdf/report.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack report [--template FILE] [-o FILE] "
          "[--kind strategy|board]\n"
          "                      [--period START/END] [--since DIR]\n"
          "                      [--marking TEXT] [--archive] FILE|DIR...\n"
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
          "files in them.  Errors and warnings are printed.  With -o\n"
          "FILE.html (a name ending in .html) the accessible HTML version\n"
          "of the same report is written instead: one self-contained page\n"
          "(doc/accessibility.md).\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE the PDF to write, or HTML when FILE ends in\n"
          "                    .html (default: csppack-report.pdf)\n"
          "  --kind KIND       board or strategy (default: board)\n"
          "  --period START/END  the period the report is about, e.g.\n"
          "                    2016-07-01/2016-09-30 (default: the latest\n"
          "                    quarter with figures from most partners,\n"
          "                    printed on stderr; for the strategy, the\n"
          "                    latest year of the key findings by its end)\n"
          CLI_HELP_SINCE
          CLI_HELP_MARKING
          "  --archive         write PDF/A-2b, for archiving (build always\n"
          "                    writes the strategy report so)\n"
          CLI_HELP_COMMON_OPTIONS
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
          "could not be written (or the run failed, or no file could be\n"
          "read); 4 nothing to read: nothing is written.\n",
          out);
}

/* Parse --period into the report options *ctx, reporting a refusal. */
static bool check_period(void *ctx, const char *value)
{
    csp_report_options *ropt = ctx;
    if (!cli_parse_period(NULL, value, &ropt->period))
        return false;
    ropt->has_period = true;
    return true;
}

/* Parse --kind into *ctx, reporting a refusal. */
static bool check_kind(void *ctx, const char *value)
{
    if (csp_report_kind_parse(value, ctx))
        return true;
    cli_error("--kind wants board or strategy, not \"%s\"", value);
    return false;
}

int cmd_report(int argc, char **argv)
{
    const char *output = "csppack-report.pdf";
    csp_report_kind kind = CSP_REPORT_BOARD;
    csp_report_options ropt = {0};
    const cli_option options[] = {
        {.name = "--output", .alias = "-o", .value = &output,
         .needs = "a file name"},
        {.name = "--kind", .check = check_kind, .ctx = &kind},
        {.name = "--period", .check = check_period, .ctx = &ropt},
        {.name = "--marking", .value = &ropt.marking, .needs = "a value"},
        {.name = "--archive", .flag = &ropt.archive},
        {0},
    };
    const cli_command cmd = {
        .name = "report",
        .usage = usage,
        .options = options,
        .flags = CLI_VALUE_ATTACHED | CLI_SINCE,
        .no_operands = "name the submission files or folders"};
    cli_common c;
    cli_common_init(&c);
    int code = CSP_EXIT_OK;
    csp_template *tpl = NULL;
    csp_dataset *ds = NULL;
    if ((code = cli_parse_args(&cmd, &c, argc, argv)) != CSP_EXIT_OK ||
        c.help)
        goto out;
    c.out_file = output;
    if ((code = cli_load_dataset(&c, "report", &tpl, &ds)) != CSP_EXIT_OK)
        goto out;
    csp_why why;
    csp_error err = csp_pack_write_report(ds, kind, &ropt, output,
                                          CSP_PACK_CATCH_SIGNALS, &why);
    if (err != CSP_OK) {
        cli_error("report: cannot write %s: %s", output,
                  csp_why_text(&why, err));
        code = CSP_EXIT_IO;
        goto out;
    }
    if (kind == CSP_REPORT_BOARD)
        cli_print_pack_period(&c, ds, ropt.has_period ? &ropt.period : NULL);
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
    fflush(stdout);
    cli_print_revisions(&c, ds);
    if (csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0)
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("report: cannot write the summary");
        code = CSP_EXIT_IO;
    }
out:
    csp_dataset_free(ds);
    csp_template_free(tpl);
    cli_common_free(&c);
    return code;
}
