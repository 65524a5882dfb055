/* csppack workbook: every submission into one dataset, written as the
 * Excel workbook, all or nothing. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/cli/cli.h"
#include "csppack/pack/single.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/workbook/workbook.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack workbook [--template FILE] [-o FILE.xlsx] "
          "[--since DIR]\n"
          "                        [--marking TEXT] FILE|DIR...\n"
          "\n"
          "Reconcile every submission into one dataset and write it as an\n"
          "Excel workbook: Key findings, Indicators, Action plan, Action\n"
          "history, Submissions, Discrepancies and Trends.  The workbook is\n"
          "written beside FILE and renamed into place only when complete, so\n"
          "a run that fails leaves FILE as it was.  Folders stand for the\n"
          ".xml files in them.  Errors and warnings are printed, then a\n"
          "summary.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE the workbook to write (default: csppack.xlsx)\n"
          "  --sheet-rows N    rows per sheet before it continues on\n"
          "                    \"Name (2)\" (default and most: 1048576, "
          "Excel's\n"
          "                    limit; at least 4)\n"
          "  --comments-max N  a comment on each figure of the Indicators\n"
          "                    sheet up to N figures; past it the sheet\n"
          "                    streams, without them (default 20000)\n"
          "  --progress-budget N bytes of progress statements the Action\n"
          "                    history shows in full; past them a long one\n"
          "                    shows an excerpt (default 16777216)\n"
          CLI_HELP_SINCE
          CLI_HELP_MARKING
          CLI_HELP_COMMON_OPTIONS
          "  -q, --quiet       print nothing but errors of the run itself\n"
          "  -v, --verbose     print information diagnostics too\n"
          "\n"
          "Exit status: 0 written, nothing refused and no error-severity\n"
          "discrepancy; 1 written, but something was refused or an\n"
          "error-severity discrepancy exists; 2 usage error; 3 the workbook\n"
          "could not be written (or the run failed, or no file could be\n"
          "read); 4 nothing to read: nothing is written.\n",
          out);
}

/* "s" when n is not 1. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* A whole number from @p min to @p max in @p s; false when it is not. */
static bool parse_count(const char *s, size_t min, size_t max, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v < min || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

/* Parse --sheet-rows into *(size_t *)ctx, reporting a refusal. */
static bool check_rows(void *ctx, const char *s)
{
    if (parse_count(s, 4, CSP_WORKBOOK_MAX_ROWS, ctx))
        return true;
    cli_error("--sheet-rows wants a number from 4 to %zu, not \"%s\"",
              CSP_WORKBOOK_MAX_ROWS, s);
    return false;
}

/* Parse --comments-max into *(size_t *)ctx, reporting a refusal. */
static bool check_comments(void *ctx, const char *s)
{
    if (parse_count(s, 0, SIZE_MAX, ctx))
        return true;
    cli_error("--comments-max wants a number, not \"%s\"", s);
    return false;
}

/* Parse --progress-budget into *(size_t *)ctx, reporting a refusal. */
static bool check_budget(void *ctx, const char *s)
{
    if (parse_count(s, 0, SIZE_MAX, ctx))
        return true;
    cli_error("--progress-budget wants a number of bytes, not \"%s\"", s);
    return false;
}

/* The summary on stdout. */
static void summary(const csp_dataset *ds, const char *path,
                    const csp_workbook_result *res)
{
    size_t stand = 0, disputed = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        stand += ds->figures[i].state == CSP_FIGURE_STANDS;
        disputed += ds->figures[i].state == CSP_FIGURE_DISPUTED;
    }
    printf("wrote %s: %zu sheet%s, %zu file%s, %zu figure%s (%zu "
           "disputed), %zu discrepanc%s\n",
           path, res->sheets, plural(res->sheets), ds->nfiles,
           plural(ds->nfiles), stand, plural(stand), disputed,
           ds->diags.count, ds->diags.count == 1 ? "y" : "ies");
    if (res->continued)
        printf("note: %zu sheet%s continued on further sheets "
               "(\"Name (2)\"...) to keep within the rows a sheet holds\n",
               res->continued, res->continued == 1 ? " was" : "s were");
    if (res->truncated)
        printf("note: %zu text%s longer than a cell holds (32,767 "
               "characters) and cut, marked \"[truncated: ...]\"; the full "
               "text is in the submission and the dataset\n",
               res->truncated, res->truncated == 1 ? " was" : "s were");
    if (res->excerpted)
        printf("note: the Action history's progress text passed its budget: "
               "%zu statement%s shown as an excerpt, marked \"[excerpt: "
               "...]\"; the full text is in actions.csv and dataset.xml\n",
               res->excerpted, res->excerpted == 1 ? " is" : "s are");
}

int cmd_workbook(int argc, char **argv)
{
    const char *output = "csppack.xlsx";
    csp_workbook_options opt;
    csp_workbook_result res;
    csp_workbook_options_init(&opt);
    memset(&res, 0, sizeof res);
    const cli_option options[] = {
        {.name = "--output", .alias = "-o", .value = &output,
         .needs = "a file name"},
        {.name = "--sheet-rows", .check = check_rows, .ctx = &opt.max_rows},
        {.name = "--comments-max", .check = check_comments,
         .ctx = &opt.max_comments},
        {.name = "--progress-budget", .check = check_budget,
         .ctx = &opt.progress_budget},
        {.name = "--marking", .value = &opt.marking, .needs = "a value"},
        {0},
    };
    const cli_command cmd = {
        .name = "workbook",
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
    if ((code = cli_load_dataset(&c, "workbook", &tpl, &ds)) != CSP_EXIT_OK)
        goto out;
    csp_why why;
    csp_error err = csp_pack_write_workbook(ds, output, &opt, &res,
                                            CSP_PACK_CATCH_SIGNALS, &why);
    if (err != CSP_OK) {
        cli_error("cannot write %s: %s", output, csp_why_text(&why, err));
        code = CSP_EXIT_IO;
        goto out;
    }
    if (c.verbosity >= 0) {
        summary(ds, output, &res);
        fflush(stdout);
    }
    cli_print_revisions(&c, ds);
    if (csp_diag_list_count(&ds->diags, CSP_SEV_ERROR) > 0)
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("workbook: cannot write the report");
        code = CSP_EXIT_IO;
    }
out:
    csp_dataset_free(ds);
    csp_template_free(tpl);
    cli_common_free(&c);
    return code;
}
