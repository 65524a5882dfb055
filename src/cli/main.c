/* csppack: the command line. */
#include <string.h>

#include "csppack/base/mime.h"
#include "csppack/cli/cli.h"
#include "config.h"

/* Top-level usage. */
static void usage(FILE *out)
{
    fputs("Usage: csppack COMMAND [OPTIONS] FILE|DIR...\n"
          "\n"
          "Turn partner agencies' XML submissions into a Community Safety\n"
          "Partnership's board pack.\n"
          "\n"
          "Commands:\n"
          "  build      the whole pack from an inbox: workbook, board and\n"
          "             strategy reports, dataset, CSV files, receipts\n"
          "             (--out DIR, --period START/END)\n"
          "  validate   check submissions (and templates, datasets) and say\n"
          "             exactly what is wrong with each\n"
          "  reconcile  reconcile every submission into one dataset and write\n"
          "             it with the CSV files and receipts (--out DIR)\n"
          "  workbook   write the Excel workbook of the reconciled dataset\n"
          "             (-o FILE.xlsx)\n"
          "  report     write the PDF board pack or strategy document\n"
          "             (-o FILE.pdf, --kind board|strategy)\n"
          "  blank      print a submission skeleton for one agency to fill in\n"
          "             (--agency ID, --period START/END)\n"
          "\n"
          "Run 'csppack COMMAND --help' for a command's options.\n"
          "Options: --help, --version\n",
          out);
}

/* The command named, run: its exit code. */
static int run(const char *cmd, int argc, char **argv)
{
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc, argv);
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc, argv);
    if (strcmp(cmd, "blank") == 0)
        return cmd_blank(argc, argv);
    if (strcmp(cmd, "reconcile") == 0)
        return cmd_reconcile(argc, argv);
    if (strcmp(cmd, "workbook") == 0)
        return cmd_workbook(argc, argv);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc, argv);
    cli_error("unknown command \"%s\"; run 'csppack --help'", cmd);
    return CSP_EXIT_USAGE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CSP_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return CSP_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("csppack %s\n", PACKAGE_VERSION);
        return CSP_EXIT_OK;
    }
    int code = run(cmd, argc - 1, argv + 1);
    /* GMime, when a command read or wrote mail (base/mime.h). */
    csp_mime_shutdown();
    return code;
}
