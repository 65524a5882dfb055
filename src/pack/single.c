/* csppack: one output file written all or nothing (see single.h). */
#include "csppack/pack/single.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csppack/base/alloc.h"
#include "csppack/pack/outdir.h"
#include "csppack/write/html/html.h"
#include "csppack/write/workbook/lxwerr.h"

/* Writes the file @p name into the private folder of @p od. */
typedef csp_error (*fill_fn)(void *ctx, csp_outdir *od, const char *name,
                             csp_why *why);

/* Split @p path into its folder (*dir, caller frees) and its last
 * component (*name, inside @p path); CSP_ERR_USAGE when it names no
 * file. */
static csp_error split_path(const char *path, char **dir, const char **name,
                            csp_why *why)
{
    size_t n = path ? strlen(path) : 0;
    if (n == 0 || path[n - 1] == '/') {
        csp_why_set(why, "\"%s\" is not a file name", path ? path : "");
        return CSP_ERR_USAGE;
    }
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    if (strcmp(*name, ".") == 0 || strcmp(*name, "..") == 0) {
        csp_why_set(why, "\"%s\" is not a file name", path);
        return CSP_ERR_USAGE;
    }
    *dir = slash ? csp_strndup(path, (size_t)(slash - path) + (slash == path))
                 : csp_strdup(".");
    return *dir ? CSP_OK : CSP_ERR_NOMEM;
}

/*
 * Write @p path with @p fill, all or nothing.  With @p make_folder, the
 * folder of @p path is created when missing (outdir.h); without it, that
 * folder must exist and @p path must not be a folder, checked before
 * anything is written.
 */
static csp_error write_single(const char *path, unsigned flags,
                              bool make_folder, fill_fn fill, void *ctx,
                              csp_why *why)
{
    csp_error err = CSP_OK;
    char *dir = NULL;
    const char *name = NULL;
    csp_outdir *od = NULL;
    struct stat st;
    csp_why_clear(why);
    if (!make_folder && path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        csp_why_set(why, "it is a folder");
        err = CSP_ERR_IO;
        goto out;
    }
    if ((err = split_path(path, &dir, &name, why)) != CSP_OK)
        goto out;
    if (!make_folder && stat(dir, &st) != 0) {
        csp_why_set(why, "%s", strerror(errno));
        err = CSP_ERR_IO;
        goto out;
    }
    if (!(od = csp_outdir_new_files(dir))) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    /* Signals first: a run stopped while it creates its private folder
     * removes it too. */
    if ((flags & CSP_PACK_CATCH_SIGNALS) &&
        (err = csp_outdir_catch_signals(od)) != CSP_OK)
        goto out;
    if ((err = csp_outdir_begin(od, why)) != CSP_OK ||
        (err = fill(ctx, od, name, why)) != CSP_OK)
        goto out;
    err = csp_outdir_commit(od, why);
out:
    if (err != CSP_OK)
        csp_why_set(why, "%s", csp_strerror(err)); /* when unsaid */
    csp_outdir_free(od);
    free(dir);
    return err;
}

/* What csp_pack_write_report writes. */
typedef struct report_job {
    const csp_dataset *ds;
    csp_report_kind kind;
    const csp_report_options *ropt;
} report_job;

/* Whether @p name is an HTML file: one ending in ".html". */
static bool is_html(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".html") == 0;
}

/* The report's HTML version into @p f: the PDF is laid out (into
 * /dev/null) for the content it records, then written as HTML. */
static csp_error render_html(const report_job *j, FILE *f, csp_why *why)
{
    csp_report_options ropt = {0};
    if (j->ropt)
        ropt = *j->ropt;
    csp_doc *doc = NULL;
    ropt.doc = &doc;
    ropt.html_name = NULL;
    FILE *null = fopen("/dev/null", "wb");
    if (!null) {
        csp_why_set(why, "/dev/null: %s", strerror(errno));
        return CSP_ERR_IO;
    }
    csp_error err = csp_report_render(j->ds, j->kind, &ropt, null, why);
    fclose(null);
    if (err == CSP_OK)
        err = csp_html_write(doc, f, why);
    csp_doc_free(doc);
    return err;
}

/* Render the report (PDF, or HTML when @p name ends in ".html") into
 * the private folder. */
static csp_error fill_report(void *ctx, csp_outdir *od, const char *name,
                             csp_why *why)
{
    const report_job *j = ctx;
    csp_error err = CSP_OK;
    csp_why rwhy;
    csp_why_clear(&rwhy);
    FILE *f = csp_outdir_create(od, name, &err, why);
    if (!f)
        return err;
    err = is_html(name) ? render_html(j, f, &rwhy)
                        : csp_report_render(j->ds, j->kind, j->ropt, f, &rwhy);
    /* Closed in every case; a failure to render says why before the
     * close does. */
    if (err != CSP_OK)
        csp_why_set(why, "%s", csp_why_text(&rwhy, err));
    csp_error cerr = csp_outdir_close(od, f, why);
    return err != CSP_OK ? err : cerr;
}

/* The report into @p path, all or nothing. */
csp_error csp_pack_write_report(const csp_dataset *ds, csp_report_kind kind,
                                const csp_report_options *ropt,
                                const char *path, unsigned flags, csp_why *why)
{
    report_job j = {.ds = ds, .kind = kind, .ropt = ropt};
    return write_single(path, flags, true, fill_report, &j, why);
}

/* What csp_pack_write_workbook writes. */
typedef struct workbook_job {
    const csp_dataset *ds;
    const csp_workbook_options *wopt;
    csp_workbook_result *res;
} workbook_job;

/* Write the workbook into the private folder, libxlsxwriter's lines on
 * stderr held back and folded into @p why. */
static csp_error fill_workbook(void *ctx, csp_outdir *od, const char *name,
                               csp_why *why)
{
    workbook_job *j = ctx;
    csp_error err = CSP_OK;
    csp_why wwhy;
    csp_why_clear(&wwhy);
    /* libxlsxwriter takes a path: an empty file, reserved in the folder. */
    char *tmp = csp_outdir_reserve(od, name, &err, why);
    if (!tmp)
        return err;
    csp_workbook_hold hold;
    if ((err = csp_workbook_hold_begin(&hold)) == CSP_OK) {
        err = csp_workbook_write(j->ds, tmp, j->wopt, j->res, &wwhy);
        err = csp_workbook_hold_end(&hold, err, &wwhy);
    }
    free(tmp);
    if (err != CSP_OK) {
        csp_why_set(why, "%s", csp_why_text(&wwhy, err));
        return err;
    }
    return csp_outdir_sync(od, name, why);
}

/* The workbook into @p path, all or nothing. */
csp_error csp_pack_write_workbook(const csp_dataset *ds, const char *path,
                                  const csp_workbook_options *wopt,
                                  csp_workbook_result *res, unsigned flags,
                                  csp_why *why)
{
    workbook_job j = {.ds = ds, .wopt = wopt, .res = res};
    return write_single(path, flags, false, fill_workbook, &j, why);
}
