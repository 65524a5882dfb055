/* csppack blank: print a submission skeleton for one agency. */
#include <time.h>

#include "csppack/cli/cli.h"
#include "csppack/write/blank.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack blank --agency ID [--period START/END] "
          "[--template FILE]\n"
          "\n"
          "Print a valid submission skeleton for one partner agency: every\n"
          "indicator it owns as a status=\"missing\" placeholder (its name in a\n"
          "comment), and, commented out, an update for every action item its\n"
          "delivery groups coordinate.  The partner fills it in and emails it\n"
          "back.\n"
          "\n"
          "Options:\n"
          "  --agency ID          the agency, as the template declares it\n"
          "  --period START/END   the reporting period, e.g.\n"
          "                       2016-07-01/2016-09-30 (default: the last\n"
          "                       complete April-March quarter)\n"
          "  --template FILE      the strategy template (default: built in)\n",
          out);
}

int cmd_blank(int argc, char **argv)
{
    const char *agency = NULL, *period_text = NULL;
    const cli_option options[] = {
        {.name = "--agency", .value = &agency},
        {.name = "--period", .value = &period_text},
        {0},
    };
    const cli_command cmd = {.name = "blank",
                             .usage = usage,
                             .options = options,
                             .flags = CLI_NO_OPERANDS};
    cli_common c;
    cli_common_init(&c);
    csp_template *tpl = NULL;
    int code = cli_parse_args(&cmd, &c, argc, argv);
    if (code != CSP_EXIT_OK || c.help)
        return code;
    if (!agency) {
        cli_error("blank: say which agency with --agency ID");
        usage(stderr);
        return CSP_EXIT_USAGE;
    }
    csp_period period;
    if (period_text) {
        if (!cli_parse_period("blank", period_text, &period))
            return CSP_EXIT_USAGE;
    } else {
        time_t now = time(NULL);
        period = csp_blank_default_period((csp_date)(now / 86400));
    }
    code = cli_load_template(&c, &tpl);
    if (code != CSP_EXIT_OK)
        return code;
    if (!csp_template_agency(tpl, agency)) {
        cli_error("blank: the template declares no agency \"%s\"; it "
                  "declares:",
                  agency);
        for (size_t i = 0; i < tpl->nagencies; i++)
            fprintf(stderr, "  %-14s %s\n", tpl->agencies[i].id,
                    tpl->agencies[i].name);
        csp_template_free(tpl);
        return CSP_EXIT_USAGE;
    }
    csp_error err = csp_blank_write(tpl, agency, period, stdout);
    if (err == CSP_OK && (fflush(stdout) != 0 || ferror(stdout)))
        err = CSP_ERR_IO;
    if (err != CSP_OK) {
        cli_error("blank: cannot write the skeleton: %s", csp_strerror(err));
        code = CSP_EXIT_IO;
    }
    csp_template_free(tpl);
    return code;
}
