/* csppack: reading a command's arguments, the same way for every command. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/cli/cli.h"

/* Defaults. */
void cli_common_init(cli_common *c)
{
    memset(c, 0, sizeof *c);
    csp_read_options_init(&c->read);
}

/* Free what cli_parse_args collected. */
void cli_common_free(cli_common *c)
{
    if (!c)
        return;
    free(c->operands);
    c->operands = NULL;
    c->noperands = 0;
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

/*
 * Try to consume a common option at argv[*i] (advancing *i past its
 * argument).  Returns 1 when consumed, 0 when not a common option, -1 on a
 * usage error (already reported).
 */
static int common_option(const cli_command *cmd, cli_common *c, int argc,
                         char **argv, int *i)
{
    static const struct {
        const char *name;
        size_t offset;
    } sizes[] = {
        {"--max-size", offsetof(csp_read_options, max_file_size)},
        {"--max-items", offsetof(csp_read_options, max_items)},
        {"--max-text", offsetof(csp_read_options, max_text)},
        {"--max-files", offsetof(csp_read_options, max_files)},
    };
    bool m;
    const char *v = option_value("--template", argc, argv, i, &m);
    if (m) {
        if (!v)
            return -1;
        c->template_path = v;
        return 1;
    }
    if (cmd->flags & CLI_SINCE) {
        v = option_value("--since", argc, argv, i, &m);
        if (m) {
            if (!v)
                return -1;
            if (!*v) {
                cli_error("%s: --since needs a folder name", cmd->name);
                return -1;
            }
            c->since_dir = v;
            return 1;
        }
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
    v = option_value("--jobs", argc, argv, i, &m);
    if (m) {
        char *end;
        unsigned long n;
        if (!v)
            return -1;
        errno = 0;
        n = strtoul(v, &end, 10);
        if (errno || end == v || *end || *v == '-' || n < 1 ||
            n > CSP_WORKERS_MAX) {
            cli_error("--jobs wants a number of threads from 1 to %d, not "
                      "\"%s\"",
                      CSP_WORKERS_MAX, v);
            return -1;
        }
        c->read.threads = (unsigned)n;
        return 1;
    }
    /* Only commands that read submissions read mail (doc/senders.md). */
    if (!(cmd->flags & CLI_NO_OPERANDS) &&
        strcmp(argv[*i], "--strict-senders") == 0) {
        c->read.strict_senders = true;
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

/*
 * Try the command's own options on argv[*i], advancing *i past a value
 * written as the next argument.  Returns 1 when consumed, 0 when argv[*i]
 * is none of them, -1 on a usage error (already reported).
 *
 * The name in messages is the option as written ("-o", "--output"), or
 * its long name when written "--output=VALUE".
 */
static int own_option(const cli_command *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = NULL;
    const cli_option *o = cmd->options;
    for (; o && o->name; o++) {
        if (strcmp(a, o->name) == 0 || (o->alias && strcmp(a, o->alias) == 0))
            break;
        size_t n = strlen(o->name);
        if (!o->flag && (cmd->flags & CLI_VALUE_ATTACHED) &&
            strncmp(a, o->name, n) == 0 && a[n] == '=') {
            v = a + n + 1;
            a = o->name;
            break;
        }
    }
    if (!o || !o->name)
        return 0;
    if (o->flag) {
        *o->flag = true;
        return 1;
    }
    if (!v) {
        if (*i + 1 >= argc) {
            if (cmd->flags & CLI_VALUE_ATTACHED)
                cli_error("%s needs a value", a); /* as the common ones */
            else
                cli_error("%s: %s needs a value", cmd->name, a);
            if (cmd->flags & CLI_NO_OPERANDS)
                cmd->usage(stderr);
            return -1;
        }
        v = argv[++*i];
    }
    if (o->needs && !*v) {
        cli_error("%s: %s needs %s", cmd->name, a, o->needs);
        return -1;
    }
    if (o->check && !o->check(o->ctx, v))
        return -1;
    if (o->value)
        *o->value = v;
    return 1;
}

/* Read the command line: the common options, the command's own, --help,
 * "--" and the FILE|DIR operands. */
int cli_parse_args(const cli_command *cmd, cli_common *c, int argc,
                   char **argv)
{
    bool operands = !(cmd->flags & CLI_NO_OPERANDS);
    if (operands) {
        /* Room for every argument, and one more (validate adds one). */
        c->operands = csp_calloc((size_t)argc + 1, sizeof *c->operands);
        if (!c->operands) {
            cli_error("out of memory");
            return CSP_EXIT_IO;
        }
    }
    for (int i = 1; i < argc; i++) {
        int r = common_option(cmd, c, argc, argv, &i);
        if (r == 0)
            r = own_option(cmd, argc, argv, &i);
        if (r < 0)
            return CSP_EXIT_USAGE;
        if (r > 0)
            continue;
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cmd->usage(stdout);
            c->help = true;
            return CSP_EXIT_OK;
        }
        if (!operands) {
            cli_error("%s: unexpected argument \"%s\"", cmd->name, a);
            cmd->usage(stderr);
            return CSP_EXIT_USAGE;
        }
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                c->operands[c->noperands++] = argv[i];
            break;
        }
        if (a[0] == '-' && a[1]) {
            cli_error("%s: unknown option \"%s\"", cmd->name, a);
            cmd->usage(stderr);
            return CSP_EXIT_USAGE;
        }
        c->operands[c->noperands++] = a;
    }
    if (cmd->no_operands && c->noperands == 0) {
        cli_error("%s: %s", cmd->name, cmd->no_operands);
        cmd->usage(stderr);
        return CSP_EXIT_USAGE;
    }
    return CSP_EXIT_OK;
}

/* Parse --period START/END, reporting a refusal. */
bool cli_parse_period(const char *command, const char *text,
                      csp_period *out)
{
    if (csp_period_parse(text, strlen(text), out) == CSP_PERIOD_OK)
        return true;
    cli_error("%s%s--period \"%s\" is not START/END with real dates, start "
              "first (e.g. 2016-07-01/2016-09-30)",
              command ? command : "", command ? ": " : "", text);
    return false;
}
