/* csppack: which strategy template a command uses, and loading it: the
 * one --template names; else one found among the inputs; else the one
 * CSPPACK_TEMPLATE names; else the built-in one (doc/design.md, "Which
 * template"). */
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/cli/cli.h"
#include "csppack/read/template_find.h"

/* Where the template came from. */
typedef enum source {
    FROM_BUILTIN,
    FROM_OPTION,
    FROM_INPUTS,
    FROM_ENV
} source;

/* How the line that names the template says where it came from. */
static const char *const source_words[] = {
    [FROM_BUILTIN] = "",
    [FROM_OPTION] = ", as --template names it",
    [FROM_INPUTS] = ", found among the inputs",
    [FROM_ENV] = ", as " CLI_TEMPLATE_ENV " names it",
};

/* The one line on stderr that says which template the run uses, unless
 * it is the built-in one or the run is quiet. */
static void say_template(const cli_common *c, source from, const char *path)
{
    if (from == FROM_BUILTIN || c->verbosity < 0)
        return;
    char *shown = csp_text_shown(path, 0);
    fprintf(stderr, "csppack: template: %s%s\n", shown ? shown : path,
            source_words[from]);
    free(shown);
}

/* Choose the template: *path (NULL: the built-in one; owned by *found or
 * the environment) and where it came from.  Exit code: CSP_EXIT_USAGE,
 * reported, when the inputs hold two different templates. */
static int choose(const cli_common *c, const char *command,
                  csp_found_template *found, const char **path,
                  source *from)
{
    *path = NULL;
    *from = FROM_BUILTIN;
    if (c->template_path) {
        *path = c->template_path;
        *from = FROM_OPTION;
        return CSP_EXIT_OK;
    }
    if (c->template_builtin)
        return CSP_EXIT_OK;
    if (c->noperands > 0) {
        csp_error err = csp_template_find(c->operands, c->noperands,
                                          &c->read, found);
        if (err != CSP_OK) {
            cli_error("%s: %s", command, csp_strerror(err));
            return CSP_EXIT_IO;
        }
        if (found->other) {
            cli_error("%s: two different strategy templates among the "
                      "inputs, %s and %s; keep one of them, or name the "
                      "one to use with --template",
                      command, found->path, found->other);
            return CSP_EXIT_USAGE;
        }
        if (found->path) {
            *path = found->path;
            *from = FROM_INPUTS;
            return CSP_EXIT_OK;
        }
    }
    const char *env = getenv(CLI_TEMPLATE_ENV);
    if (env && *env) {
        *path = env;
        *from = FROM_ENV;
    }
    return CSP_EXIT_OK;
}

/* Load the template, reporting problems.  The partner-input limits
 * (--max-size...) do not apply to the template, which the coordinator
 * chose. */
int cli_load_template(const cli_common *c, const char *command,
                      csp_template **out, const char **named)
{
    csp_diag_list diags;
    csp_read_options topt;
    csp_found_template found = {0};
    const char *path;
    source from;
    csp_diag_list_init(&diags);
    csp_read_options_init(&topt);
    *out = NULL;
    if (named)
        *named = NULL;
    int code = choose(c, command, &found, &path, &from);
    if (code != CSP_EXIT_OK)
        goto out;
    const char *why = from == FROM_ENV ? " (as " CLI_TEMPLATE_ENV " names it)"
                                       : "";
    csp_error err = csp_template_read(path, &topt, out, &diags);
    if (err == CSP_OK) {
        say_template(c, from, path);
        /* tpl->path is path, and outlives found and the environment. */
        if (named && from != FROM_BUILTIN)
            *named = (*out)->path;
    } else if (err == CSP_ERR_INVALID) {
        if (diags.count == 1 && diags.items[0].code == CSP_D_READ) {
            cli_error("cannot read the template %s%s: %s", path, why,
                      diags.items[0].message);
            code = CSP_EXIT_IO;
        } else {
            cli_print_diags(stderr, &diags);
            cli_error("the strategy template %s%s cannot be used; run "
                      "'csppack validate --template %s' for details",
                      path ? path : "(built-in)", why, path ? path : "FILE");
            code = CSP_EXIT_REFUSED;
        }
    } else {
        cli_error("reading the template: %s", csp_strerror(err));
        code = CSP_EXIT_IO;
    }
out:
    csp_found_template_free(&found);
    csp_diag_list_free(&diags);
    return code;
}
