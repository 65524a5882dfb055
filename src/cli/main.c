/* csppack: the command line. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"

/* csppack: error: ... */
void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("csppack: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Defaults. */
void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    csp_read_options_init(&c->read);
}

/* Parse a size such as 64M, 1G, 4096. */
static bool parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return false;
    unsigned long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1024ULL, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1024ULL * 1024, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1024ULL * 1024 * 1024, end++;
    if (*end || v == 0 || v > (unsigned long long)SIZE_MAX / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

/* Take the value of an option written "--opt VALUE" or "--opt=VALUE". */
static const char *option_value(const char *name, int argc, char **argv,
                                int *i, bool *matched)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    *matched = false;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=') {
        *matched = true;
        return a + n + 1;
    }
    if (a[n] != '\0')
        return NULL;
    *matched = true;
    if (*i + 1 >= argc) {
        cli_error("%s needs a value", name);
        return NULL;
    }
    return argv[++*i];
}

/* Consume a common option. */
int cli_common_option(cli_common *c, int argc, char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t offset;
    } sizes[] = {
        {"--max-size", offsetof(csp_read_options, max_file_size)},
        {"--max-items", offsetof(csp_read_options, max_items)},
        {"--max-text", offsetof(csp_read_options, max_text)},
    };
    bool m;
    const char *v = option_value("--template", argc, argv, i, &m);
    if (m) {
        if (!v)
            return -1;
        c->template_path = v;
        return 1;
    }
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        v = option_value(sizes[k].name, argc, argv, i, &m);
        if (!m)
            continue;
        size_t *field = (size_t *)((char *)&c->read + sizes[k].offset);
        if (!v)
            return -1;
        if (!parse_size(v, field)) {
            cli_error("%s wants a positive number such as 64M, not \"%s\"",
                      sizes[k].name, v);
            return -1;
        }
        return 1;
    }
    if (strcmp(argv[*i], "-q") == 0 || strcmp(argv[*i], "--quiet") == 0) {
        c->verbosity = -1;
        return 1;
    }
    if (strcmp(argv[*i], "-v") == 0 || strcmp(argv[*i], "--verbose") == 0) {
        c->verbosity = 1;
        return 1;
    }
    return 0;
}

/* Print diagnostics in canonical order. */
void cli_print_diags(FILE *out, csp_diag_list *diags)
{
    csp_diag_list_sort(diags);
    for (size_t i = 0; i < diags->count; i++)
        csp_diag_print(out, &diags->items[i]);
}

/* Load the template, reporting problems.  The partner-input limits
 * (--max-size...) do not apply to the template, which the coordinator
 * chose. */
int cli_load_template(const cli_common *c, csp_template **out)
{
    csp_diag_list diags;
    csp_read_options topt;
    csp_diag_list_init(&diags);
    csp_read_options_init(&topt);
    *out = NULL;
    csp_error err = csp_template_read(c->template_path, &topt, out, &diags);
    int code = CSP_EXIT_OK;
    if (err == CSP_OK) {
        code = CSP_EXIT_OK;
    } else if (err == CSP_ERR_INVALID) {
        if (diags.count == 1 && diags.items[0].code == CSP_D_READ) {
            cli_error("cannot read the template %s: %s", c->template_path,
                      diags.items[0].message);
            code = CSP_EXIT_IO;
        } else {
            cli_print_diags(stderr, &diags);
            cli_error("the strategy template %s cannot be used; run "
                      "'csppack validate --template %s' for details",
                      c->template_path ? c->template_path : "(built-in)",
                      c->template_path ? c->template_path : "FILE");
            code = CSP_EXIT_REFUSED;
        }
    } else {
        cli_error("reading the template: %s", csp_strerror(err));
        code = CSP_EXIT_IO;
    }
    csp_diag_list_free(&diags);
    return code;
}

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
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "build") == 0)
        return cmd_build(argc - 1, argv + 1);
    if (strcmp(cmd, "blank") == 0)
        return cmd_blank(argc - 1, argv + 1);
    if (strcmp(cmd, "reconcile") == 0)
        return cmd_reconcile(argc - 1, argv + 1);
    if (strcmp(cmd, "workbook") == 0)
        return cmd_workbook(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    cli_error("unknown command \"%s\"; run 'csppack --help'", cmd);
    return CSP_EXIT_USAGE;
}
