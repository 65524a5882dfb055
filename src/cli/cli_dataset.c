/* csppack: read what the user named into one reconciled dataset, for every
 * command that writes outputs (workbook, and later build). */
#include <stdlib.h>

#include "cli.h"
#include "csppack/reconcile.h"
#include "csppack/submission.h"

/* Read, add and reconcile.  Exit code; *out set on CSP_EXIT_OK. */
int cli_read_dataset(const cli_common *c, const csp_template *tpl,
                     const char *const *paths, size_t npaths,
                     const char *command, csp_dataset **out)
{
    int code = CSP_EXIT_OK;
    csp_error err;
    csp_path_list files = {0};
    csp_diag_list diags;
    csp_diag_list_init(&diags);
    csp_dataset *ds = csp_dataset_new(tpl);
    *out = NULL;
    if (!ds) {
        err = CSP_ERR_NOMEM;
        goto fail;
    }
    if ((err = csp_paths_expand(paths, npaths, &files, &diags)) != CSP_OK)
        goto fail;
    if (files.count == 0 && diags.count == 0) {
        cli_error("%s: no .xml files in the folders given", command);
        code = CSP_EXIT_REFUSED;
        goto out;
    }
    if ((err = csp_dataset_add_diags(ds, &diags)) != CSP_OK)
        goto fail;
    for (size_t i = 0; i < files.count; i++) {
        csp_submission *sub = NULL;
        err = csp_submission_read(files.paths[i], tpl, &c->read, &sub, &diags);
        if (!sub) {
            if (err == CSP_OK)
                err = CSP_ERR_INTERNAL;
            goto fail;
        }
        /* Takes sub, and moves the file's diagnostics into the dataset. */
        if ((err = csp_dataset_add_submission(ds, sub, &diags)) != CSP_OK)
            goto fail;
    }
    if ((err = csp_dataset_reconcile(ds)) != CSP_OK)
        goto fail;
    *out = ds;
    ds = NULL;
    goto out;
fail:
    cli_error("%s: %s", command, csp_strerror(err));
    code = CSP_EXIT_IO;
out:
    csp_dataset_free(ds);
    csp_diag_list_free(&diags);
    csp_path_list_free(&files);
    return code;
}

/* Print the run's diagnostics: errors and warnings, information too when
 * verbose, nothing when quiet. */
void cli_print_dataset_diags(FILE *out, const cli_common *c,
                             const csp_dataset *ds)
{
    if (c->verbosity < 0)
        return;
    for (size_t i = 0; i < ds->diags.count; i++) {
        const csp_diag *d = &ds->diags.items[i];
        if (c->verbosity > 0 || csp_diag_severity(d->code) != CSP_SEV_INFO)
            csp_diag_print(out, d);
    }
}
