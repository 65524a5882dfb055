/* csppack validate: check files and say exactly what is wrong. */
#include <string.h>

#include "csppack/cli/cli.h"
#include "csppack/read/submission.h"
#include "csppack/read/validate.h"
#include "csppack/reconcile/reconcile.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack validate [--template FILE] FILE|DIR...\n"
          "       csppack validate --template FILE\n"
          "\n"
          "Check partner submissions against the strategy template and print\n"
          "every problem as FILE:LINE: error: CODE: message, then one summary\n"
          "line per file.  Each valid submission also gets the checks build\n"
          "makes of a file on its own (W409, W411, W412).  Folders stand for\n"
          "the .xml files in them.  Strategy\n"
          "templates and datasets are recognised and checked too.  With only\n"
          "--template, check that template.\n"
          "\n"
          "Options:\n"
          CLI_HELP_COMMON_OPTIONS
          "  -q, --quiet       print problems only, no summaries\n"
          "\n"
          "Exit status: 0 all valid, 1 something refused, 2 usage error,\n"
          "3 a file could not be read, 4 nothing to read.\n",
          out);
}

/* Whether @p code is a check build makes of one file alone, whatever the
 * others: a rule of the template its own figures break (W409), figures
 * outside the strategy's years (W411) or for a period not over (W412). */
static bool own_check(csp_diag_code code)
{
    return code == CSP_D_CHECK_FAILED || code == CSP_D_OUTSIDE_YEARS ||
           code == CSP_D_NOT_ENDED;
}

/* The checks build will make of submission @p sub on its own (a
 * csp_validate_check, ctx the template): reconciled alone, its W409,
 * W411 and W412 added to @p diags, so that a partner sees them before
 * sending.  Takes @p sub. */
static csp_error build_checks(void *ctx, csp_submission *sub,
                              csp_diag_list *diags)
{
    csp_dataset *ds = csp_dataset_new(ctx);
    if (!ds) {
        csp_submission_free(sub);
        return CSP_ERR_NOMEM;
    }
    csp_error err = csp_dataset_add_submission(ds, sub, NULL);
    if (err == CSP_OK)
        err = csp_dataset_reconcile(ds);
    for (size_t i = 0; err == CSP_OK && i < ds->diags.count; i++) {
        const csp_diag *d = &ds->diags.items[i];
        if (own_check(d->code) && !csp_diag_add(diags, d, "%s", d->message))
            err = CSP_ERR_NOMEM;
    }
    csp_dataset_free(ds);
    return err;
}

int cmd_validate(int argc, char **argv)
{
    static const cli_command cmd = {.name = "validate", .usage = usage};
    cli_common c;
    cli_common_init(&c);
    int code = CSP_EXIT_OK;
    csp_template *tpl = NULL;
    csp_diag_list diags;
    csp_validation v = {0};
    csp_diag_list_init(&diags);
    if ((code = cli_parse_args(&cmd, &c, argc, argv)) != CSP_EXIT_OK ||
        c.help)
        goto out;
    const char **files = c.operands;
    size_t nfiles = c.noperands;
    if (nfiles == 0 && !c.template_path) {
        cli_error("validate: name the files or folders to check");
        usage(stderr);
        code = CSP_EXIT_USAGE;
        goto out;
    }
    if (nfiles == 0) {
        /* Check the template alone, as any other file. */
        files[nfiles++] = c.template_path;
        c.template_path = NULL;
        c.template_builtin = true;
    }
    code = cli_load_template(&c, "validate", &tpl, NULL);
    if (code != CSP_EXIT_OK)
        goto out;
    csp_validate_check check = {.check = build_checks, .ctx = tpl};
    csp_error err = csp_validate_paths(files, nfiles, tpl, &c.read, &check,
                                       &v, &diags);
    if (err == CSP_ERR_LIMIT) {
        /* E115: nothing was read. */
        for (size_t i = 0; i < diags.count; i++)
            if (diags.items[i].code != CSP_D_SKIPPED)
                csp_diag_print(stdout, &diags.items[i]);
        cli_error("validate: too many files: nothing was read");
        code = CSP_EXIT_REFUSED;
        goto out;
    }
    if (err != CSP_OK) {
        cli_error("validate: %s", csp_strerror(err));
        code = CSP_EXIT_IO;
        goto out;
    }
    csp_diag_list_sort(&diags);
    /* What was skipped in the folders, on stderr (as every command). */
    for (size_t i = 0; i < diags.count && c.verbosity >= 0; i++)
        if (diags.items[i].code == CSP_D_SKIPPED)
            csp_diag_print(stderr, &diags.items[i]);
    /* Problems with what was named (an empty folder) come first. */
    for (size_t i = 0; i < diags.count; i++) {
        bool listed = diags.items[i].code == CSP_D_SKIPPED;
        for (size_t f = 0; f < v.count && !listed; f++)
            listed = diags.items[i].file &&
                     (strcmp(diags.items[i].file, v.files[f].path) == 0 ||
                      (v.files[f].container &&
                       strcmp(diags.items[i].file, v.files[f].container) ==
                           0));
        if (!listed)
            csp_diag_print(stdout, &diags.items[i]);
    }
    for (size_t f = 0; f < v.count; f++) {
        /* A mail file's own diagnostics (W501, I502, E503...) come
         * before the first of its submissions. */
        const char *mail = v.files[f].container;
        bool first = mail && (f == 0 || !v.files[f - 1].container ||
                              strcmp(v.files[f - 1].container, mail) != 0);
        for (size_t i = 0; i < diags.count && first; i++)
            if (diags.items[i].file && strcmp(diags.items[i].file, mail) == 0)
                csp_diag_print(stdout, &diags.items[i]);
        for (size_t i = 0; i < diags.count; i++)
            if (diags.items[i].file &&
                strcmp(diags.items[i].file, v.files[f].path) == 0 &&
                !(mail && strcmp(mail, v.files[f].path) == 0))
                csp_diag_print(stdout, &diags.items[i]);
        if (c.verbosity >= 0)
            csp_validated_print(stdout, &v.files[f]);
    }
    code = csp_validation_ok(&v) ? CSP_EXIT_OK : CSP_EXIT_REFUSED;
    bool unreadable = false, nothing = false;
    for (size_t i = 0; i < diags.count; i++) {
        csp_diag_code dc = diags.items[i].code;
        unreadable |= dc == CSP_D_READ || dc == CSP_D_NOT_A_FILE ||
                      dc == CSP_D_BROKEN_LINK || dc == CSP_D_TOO_DEEP;
        nothing |= dc == CSP_D_NOTHING_TO_READ;
    }
    if (unreadable)
        code = CSP_EXIT_IO;
    else if (nothing && v.count == 0)
        code = CSP_EXIT_NOTHING;
    else if (nothing)
        code = CSP_EXIT_REFUSED;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("validate: cannot write the report");
        code = CSP_EXIT_IO;
    }
out:
    csp_validation_free(&v);
    csp_diag_list_free(&diags);
    csp_template_free(tpl);
    cli_common_free(&c);
    return code;
}
