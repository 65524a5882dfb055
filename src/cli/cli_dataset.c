/* csppack: read what the user named into one reconciled dataset, for every
 * command that writes outputs (reconcile, workbook, report, build). */
/* realpath is XSI. */
#define _XOPEN_SOURCE 700
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csppack/base/alloc.h"
#include "csppack/cli/cli.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/read/inbox.h"
#include "csppack/read/submission.h"

/* Where csp_submission_read_all hands each file over. */
typedef struct dataset_sink {
    const cli_common *c;
    csp_dataset *ds;
    const csp_path_list *files;
    const char *template_path; /**< the template's, when found among the
                                    inputs; else NULL */
} dataset_sink;

/* A progress line per file, in the order of the files (the file may be
 * being read already, on another thread). */
static void show_reading(void *ctx, size_t index, const char *path)
{
    const dataset_sink *d = ctx;
    (void)index;
    if (d->c->progress && d->c->verbosity > 0) {
        char *shown = csp_text_shown(path, 0);
        fprintf(stderr, "csppack: reading %s\n", shown ? shown : "a file");
        free(shown);
    }
}

/* The I116 lines of @p diags on stderr as they are found (information the
 * run does not otherwise print unless -v): nothing is skipped in silence. */
static void show_skipped(const cli_common *c, const csp_diag_list *diags)
{
    for (size_t i = 0; i < diags->count && c->verbosity >= 0; i++)
        if (diags->items[i].code == CSP_D_SKIPPED)
            csp_diag_print(stderr, &diags->items[i]);
}

/* Why a strategy template found in a folder is skipped: the run's own
 * (found among the inputs), a copy of it (two different ones stop the
 * run before reading), or one beside the template --template names. */
static const char *template_skipped(const dataset_sink *d, const char *path)
{
    if (d->template_path && strcmp(d->template_path, path) == 0)
        return "the strategy template this run uses, not a submission";
    if (d->template_path)
        return "a copy of the strategy template this run uses, not a "
               "submission";
    if (d->c->template_path)
        return "a strategy template, not a submission (--template names "
               "the one this run uses)";
    return "a strategy template, not a submission (give it with "
           "--template)";
}

/* A csppack dataset or template found in a folder is no submission:
 * skipped (I116), not refused.  Named on the command line, it is read. */
static csp_error skip_own_file(const dataset_sink *d, csp_submission *sub,
                               csp_diag_list *diags)
{
    csp_diag_list skipped;
    csp_diag_list_init(&skipped);
    csp_diag proto = {.code = CSP_D_SKIPPED, .file = sub->path};
    csp_error err = CSP_ERR_NOMEM;
    if (csp_diag_add(&skipped, &proto, "skipped: %s",
                     sub->kind == CSP_DOC_DATASET
                         ? "a dataset written by csppack, not a submission"
                         : template_skipped(d, sub->path))) {
        show_skipped(d->c, &skipped);
        err = csp_dataset_add_diags(d->ds, &skipped);
    }
    csp_diag_list_free(&skipped);
    csp_diag_list_free(diags);
    csp_submission_free(sub);
    return err;
}

/* Add a submission read to the dataset, on this thread and in order (a
 * mail file hands over one per XML attachment, or none: read/mail.h). */
static csp_error add_file(void *ctx, size_t index, csp_submission *sub,
                          csp_diag_list *diags)
{
    const dataset_sink *d = ctx;
    /* A mail file with no submission: its diagnostics say why. */
    if (!sub)
        return csp_dataset_add_diags(d->ds, diags);
    if (sub->refused && sub->kind != CSP_DOC_SUBMISSION &&
        d->files->found[index])
        return skip_own_file(d, sub, diags);
    /* Takes sub, and moves the file's diagnostics into the dataset. */
    return csp_dataset_add_submission(d->ds, sub, diags);
}

/* With no file's bytes read, the run writes nothing: exit 3 when a path
 * or file could not be read, 4 when there was nothing to read.  Else
 * CSP_EXIT_OK. */
static int nothing_read(const cli_common *c, const csp_dataset *ds,
                        const char *command)
{
    for (size_t i = 0; i < ds->nfiles; i++)
        if (ds->files[i].sha256 && *ds->files[i].sha256)
            return CSP_EXIT_OK;
    bool unreadable = ds->nfiles > 0;
    for (size_t i = 0; i < ds->diags.count; i++) {
        csp_diag_code code = ds->diags.items[i].code;
        unreadable |= code == CSP_D_READ || code == CSP_D_NOT_A_FILE ||
                      code == CSP_D_BROKEN_LINK || code == CSP_D_TOO_DEEP;
    }
    cli_print_dataset_diags(stdout, c, ds);
    fflush(stdout);
    if (unreadable) {
        cli_error("%s: no file could be read; nothing was written", command);
        return CSP_EXIT_IO;
    }
    cli_error("%s: nothing to read in the folders named; nothing was "
              "written", command);
    return CSP_EXIT_NOTHING;
}

/* Is @p path (when @p self) or a folder above it the folder @p dir?  The
 * path is followed through links to where it really is. */
static bool within(const struct stat *dir, const char *path, bool self)
{
    char *real = realpath(path, NULL);
    bool found = false;
    for (bool first = true; real && !found; first = false) {
        struct stat st;
        found = (self || !first) && stat(real, &st) == 0 &&
                st.st_dev == dir->st_dev && st.st_ino == dir->st_ino;
        char *slash = strrchr(real, '/');
        if (!slash || strcmp(real, "/") == 0)
            break;
        slash[slash == real] = '\0'; /* "/a" gives "/" */
    }
    free(real);
    return found;
}

/* The folder part of @p path ("." for none); NULL when out of memory. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return csp_strdup(".");
    return csp_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* Folders found not to be, nor to lie in, the output folder, sorted, so
 * that each distinct folder of the inputs is checked once: at county
 * scale there are thousands of files in a few folders. */
typedef struct folder_set {
    char **names;
    size_t count, cap;
} folder_set;

/* Is @p name in @p s?  *at: where it is, or would go. */
static bool folder_set_find(const folder_set *s, const char *name, size_t *at)
{
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->names[mid], name);
        if (c == 0) {
            *at = mid;
            return true;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return false;
}

/* Add @p name at @p at (best effort: out of memory, it is checked again
 * next time). */
static void folder_set_add(folder_set *s, const char *name, size_t at)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        char **more = csp_realloc(s->names, cap * sizeof *more);
        if (!more)
            return;
        s->names = more;
        s->cap = cap;
    }
    char *copy = csp_strdup(name);
    if (!copy)
        return;
    memmove(s->names + at + 1, s->names + at,
            (s->count - at) * sizeof *s->names);
    s->names[at] = copy;
    s->count++;
}

/* Free the folders of @p s. */
static void folder_set_free(folder_set *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->names[i]);
    free(s->names);
}

/* Is the folder @p folder, or one above it, @p out?  Folders in @p seen
 * are known not to be. */
static bool folder_held(const struct stat *out, const char *folder,
                        folder_set *seen)
{
    size_t at;
    if (folder_set_find(seen, folder, &at))
        return false;
    if (within(out, folder, true))
        return true;
    folder_set_add(seen, folder, at);
    return false;
}

/* Is the input file @p path in @p out, or in a folder below it: its own
 * folder, or where it really is when it is a link? */
static bool file_held(const struct stat *out, const char *path,
                      folder_set *seen)
{
    struct stat st;
    char *folder = folder_of(path);
    if (!folder)
        return within(out, path, false);
    bool held = folder_held(out, folder, seen);
    free(folder);
    if (held || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return held;
    char *real = realpath(path, NULL);
    if (!real)
        return false;
    folder = folder_of(real);
    held = folder ? folder_held(out, folder, seen) : within(out, real, false);
    free(folder);
    free(real);
    return held;
}

/* Refuse an output that is, or holds, an input: a pack folder is replaced
 * whole, a file is renamed over.  Exit code (CSP_EXIT_USAGE, reported). */
static int check_output(const cli_common *c, const char *command,
                        const char *const *paths, size_t npaths,
                        const csp_path_list *files)
{
    static const char folder_tail[] =
        "; csppack never writes where it reads: name another folder with "
        "--out";
    struct stat out, st;
    if (c->out_dir && stat(c->out_dir, &out) == 0 && S_ISDIR(out.st_mode)) {
        for (size_t i = 0; i < npaths; i++) {
            const char *p = paths[i];
            if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode) ||
                !within(&out, p, true))
                continue;
            bool same = st.st_dev == out.st_dev && st.st_ino == out.st_ino;
            cli_error("%s: the output folder %s %s the input folder %s%s",
                      command, c->out_dir, same ? "is" : "holds", p,
                      folder_tail);
            return CSP_EXIT_USAGE;
        }
        folder_set seen = {0};
        for (size_t i = 0; i < files->count; i++) {
            const char *p = files->paths[i];
            if (file_held(&out, p, &seen)) {
                cli_error("%s: the output folder %s holds the input %s%s",
                          command, c->out_dir, p, folder_tail);
                folder_set_free(&seen);
                return CSP_EXIT_USAGE;
            }
        }
        folder_set_free(&seen);
    }
    if (c->out_file && stat(c->out_file, &out) == 0) {
        for (size_t i = 0; i < files->count; i++) {
            if (files->file_ids[2 * i + 1] == 0 ||
                files->file_ids[2 * i] != (uint64_t)out.st_dev ||
                files->file_ids[2 * i + 1] != (uint64_t)out.st_ino)
                continue;
            cli_error("%s: the output file %s is the input %s; csppack "
                      "never writes over what it reads: name another file "
                      "with -o",
                      command, c->out_file, files->paths[i]);
            return CSP_EXIT_USAGE;
        }
    }
    return CSP_EXIT_OK;
}

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
    err = csp_paths_expand(paths, npaths, c->read.max_files, &files, &diags);
    if (err == CSP_ERR_LIMIT) {
        /* E115: nothing is read, nothing is written. */
        show_skipped(c, &diags);
        for (size_t i = 0; i < diags.count && c->verbosity >= 0; i++)
            if (diags.items[i].code != CSP_D_SKIPPED)
                csp_diag_print(stdout, &diags.items[i]);
        cli_error("%s: too many files: nothing was read or written", command);
        code = CSP_EXIT_REFUSED;
        goto out;
    }
    if (err != CSP_OK)
        goto fail;
    if ((code = check_output(c, command, paths, npaths, &files)) != CSP_EXIT_OK)
        goto out;
    /* The previous pack is read before anything else: a --since that
     * cannot be read stops the run at once, and build reads the pack in
     * its folder before the new one replaces it. */
    if ((code = cli_since_load(c, tpl, command, ds)) != CSP_EXIT_OK)
        goto out;
    show_skipped(c, &diags);
    if ((err = csp_dataset_set_roots(ds, (const char *const *)files.roots,
                                     files.nroots)) != CSP_OK ||
        (err = csp_dataset_add_diags(ds, &diags)) != CSP_OK)
        goto fail;
    if (c->progress)
        fprintf(stderr, "csppack: reading %zu file%s\n", files.count,
                files.count == 1 ? "" : "s");
    dataset_sink d = {.c = c, .ds = ds, .files = &files};
    for (size_t i = 0; i < files.count && !d.template_path; i++)
        if (files.found[i] && strcmp(files.paths[i], tpl->path) == 0)
            d.template_path = tpl->path;
    csp_submission_sink sink = {.next = show_reading, .take = add_file,
                                .ctx = &d};
    err = csp_submission_read_all((const char *const *)files.paths,
                                  files.count, tpl, &c->read, &sink);
    if (err != CSP_OK)
        goto fail;
    if (c->progress)
        fputs("csppack: reconciling\n", stderr);
    if ((err = csp_dataset_reconcile(ds)) != CSP_OK)
        goto fail;
    if ((code = nothing_read(c, ds, command)) != CSP_EXIT_OK)
        goto out;
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

/* Template, dataset, diagnostics.  Exit code. */
int cli_load_dataset(const cli_common *c, const char *command,
                     csp_template **tpl, csp_dataset **ds)
{
    int code = cli_load_template(c, command, tpl, NULL);
    if (code != CSP_EXIT_OK)
        return code;
    code = cli_read_dataset(c, *tpl, c->operands, c->noperands, command, ds);
    if (code != CSP_EXIT_OK)
        return code;
    cli_print_dataset_diags(stdout, c, *ds);
    return CSP_EXIT_OK;
}

/* Print the run's diagnostics: errors and warnings, information too when
 * verbose (but I116, printed on stderr as found), nothing when quiet. */
void cli_print_dataset_diags(FILE *out, const cli_common *c,
                             const csp_dataset *ds)
{
    if (c->verbosity < 0)
        return;
    for (size_t i = 0; i < ds->diags.count; i++) {
        const csp_diag *d = &ds->diags.items[i];
        if (d->code == CSP_D_SKIPPED)
            continue;
        if (c->verbosity > 0 || csp_diag_severity(d->code) != CSP_SEV_INFO)
            csp_diag_print(out, d);
    }
}

/* The board pack's period and why, on stderr. */
void cli_print_pack_period(const cli_common *c, const csp_dataset *ds,
                           const csp_period *given)
{
    const csp_pack_period *pp = &ds->pack_period;
    char label[CSP_LABEL_BUFSZ], phrase[CSP_LABEL_BUFSZ];
    if (c->verbosity < 0)
        return;
    if (given) {
        csp_period_label(*given, label);
        csp_period_phrase(*given, phrase);
        fprintf(stderr,
                "csppack: board pack period: %s (%s), as --period names it\n",
                label, phrase);
        return;
    }
    if (pp->basis == CSP_PERIOD_NONE) {
        fputs("csppack: board pack period: none, as no figure was "
              "received\n",
              stderr);
        return;
    }
    csp_period_label(pp->period, label);
    csp_period_phrase(pp->period, phrase);
    const char *what = csp_period_is_quarter(pp->period) ? "quarter" : "period";
    fprintf(stderr, "csppack: board pack period: %s (%s), ", label, phrase);
    if (pp->basis == CSP_PERIOD_MOST)
        fprintf(stderr, "the latest %s with figures from most of the "
                        "partners expected (%zu of %zu)\n",
                what, pp->agencies, pp->expected);
    else
        fprintf(stderr, "the latest %s with figures from the most partners "
                        "(%zu of the %zu expected; no %s has figures from "
                        "more than half)\n",
                what, pp->agencies, pp->expected, what);
}

/* "s" when n is not 1. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* What a run read and found, four lines. */
void cli_print_dataset_summary(FILE *out, const csp_dataset *ds)
{
    size_t refused = 0, partly = 0, dups = 0;
    for (size_t i = 0; i < ds->nfiles; i++) {
        const csp_dataset_file *f = &ds->files[i];
        refused += f->refused;
        dups += f->duplicate_of != CSP_NO_INDEX;
        partly += !f->refused && f->duplicate_of == CSP_NO_INDEX &&
                  f->items_refused > 0;
    }
    size_t stand = 0, computed = 0, disputed = 0;
    for (size_t i = 0; i < ds->nfigures; i++) {
        const csp_figure *f = &ds->figures[i];
        stand += f->state == CSP_FIGURE_STANDS;
        computed += f->state == CSP_FIGURE_STANDS && f->computed;
        disputed += f->state == CSP_FIGURE_DISPUTED;
    }
    size_t updated = 0, updates = 0;
    for (size_t i = 0; i < ds->nactions; i++) {
        updated += ds->actions[i].nupdates > 0;
        updates += ds->actions[i].nupdates;
    }
    size_t e = csp_diag_list_count(&ds->diags, CSP_SEV_ERROR);
    size_t w = csp_diag_list_count(&ds->diags, CSP_SEV_WARNING);
    size_t n = csp_diag_list_count(&ds->diags, CSP_SEV_INFO);
    fprintf(out, "files: %zu read, %zu refused, %zu partly refused, %zu "
           "duplicate%s\n",
           ds->nfiles, refused, partly, dups, plural(dups));
    fprintf(out, "figures: %zu stand (%zu computed), %zu disputed\n", stand,
           computed, disputed);
    fprintf(out, "action plan: %zu of %zu item%s updated, %zu update%s\n", updated,
           ds->nactions, plural(ds->nactions), updates, plural(updates));
    fprintf(out, "discrepancies: %zu error%s, %zu warning%s, %zu info\n", e,
           plural(e), w, plural(w), n);
}
