/* csppack blank: print a submission skeleton for one agency, or write one
 * for every agency into a folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csppack/base/alloc.h"
#include "csppack/cli/cli.h"
#include "csppack/write/blank.h"

/* Help text. */
static void usage(FILE *out)
{
    fputs("Usage: csppack blank --agency ID [--period START/END] "
          "[--template FILE]\n"
          "       csppack blank --all --out DIR [--period START/END] "
          "[--template FILE]\n"
          "\n"
          "Print a valid submission skeleton for one partner agency: every\n"
          "figure it owns (the whole partnership's too) as a\n"
          "status=\"missing\" placeholder (its name in a comment); as\n"
          "optional figures, to fill in or delete, those no partner owns; an\n"
          "update to fill in or delete for every action item its delivery\n"
          "groups coordinate; and the command that checks it.  The partner\n"
          "fills it in by editing values and text only (placeholders left in\n"
          "are W601 warnings) and emails it back.  With --all, write one skeleton per agency into DIR, named\n"
          "AGENCY-START-END.xml, and list them; a file there already is\n"
          "refused, never written over.\n"
          "\n"
          "Options:\n"
          "  --agency ID          the agency, as the template declares it\n"
          "  --all                every agency the template declares\n"
          "  --out DIR            write the skeletons into DIR (made if it\n"
          "                       does not exist) instead of printing one\n"
          "  --period START/END   the reporting period, e.g.\n"
          "                       2016-07-01/2016-09-30 (default: the latest\n"
          "                       calendar quarter ended by today, within the\n"
          "                       strategy's years)\n"
          "  --template FILE      the strategy template (default: the one\n"
          "                       " CLI_TEMPLATE_ENV " names, else the built-in\n"
          "                       one)\n",
          out);
}

/* The last second of 9999-12-31: a later SOURCE_DATE_EPOCH is no date. */
#define LAST_EPOCH 253402300799LL

/* Today, as the default period sees it: SOURCE_DATE_EPOCH when set (a
 * reproducible build or test pins the clock so), else the clock. */
static csp_date today(void)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        if (!errno && !*end && v >= 0 && v <= LAST_EPOCH)
            return (csp_date)(v / 86400);
    }
    return (csp_date)(time(NULL) / 86400);
}

/* DIR/NAME, allocated; NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir), m = strlen(name);
    bool slash = n > 0 && dir[n - 1] == '/';
    char *p = csp_malloc(n + m + 2);
    if (p) {
        memcpy(p, dir, n);
        if (!slash)
            p[n++] = '/';
        memcpy(p + n, name, m + 1);
    }
    return p;
}

/* The file of agency @p i's skeleton in @p dir (owned by the caller).
 * NULL when out of memory or the name does not fit. */
static char *skeleton_path(const csp_template *tpl, size_t i,
                           csp_period period, const char *dir)
{
    char name[256];
    if (!csp_blank_file_name(tpl->agencies[i].id, period, name, sizeof name))
        return NULL;
    return join(dir, name);
}

/* Write one skeleton into a new file @p path: never over a file there.
 * Exit code, reported. */
static int write_new(const csp_template *tpl, size_t i, csp_period period,
                     const char *shown, const char *path)
{
    csp_blank_counts n;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        cli_error("blank: cannot write %s: %s", path, strerror(errno));
        return errno == EEXIST ? CSP_EXIT_USAGE : CSP_EXIT_IO;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        cli_error("blank: cannot write %s: %s", path, strerror(errno));
        return CSP_EXIT_IO;
    }
    csp_error err = csp_blank_write(tpl, tpl->agencies[i].id, period, shown,
                                    path, f, &n);
    if (fclose(f) != 0 && err == CSP_OK)
        err = CSP_ERR_IO;
    if (err != CSP_OK) {
        cli_error("blank: cannot write %s: %s", path, csp_strerror(err));
        return CSP_EXIT_IO;
    }
    printf("%s: %s, %zu figure%s to send, %zu optional, %zu action "
           "update%s\n",
           path, tpl->agencies[i].name, n.figures, n.figures == 1 ? "" : "s",
           n.optional, n.updates, n.updates == 1 ? "" : "s");
    return CSP_EXIT_OK;
}

/* --out DIR: the skeleton of @p agency, or of every agency (NULL), each
 * in a new file.  A file there already stops the run before anything is
 * written.  Exit code. */
static int write_files(const csp_template *tpl, const char *agency,
                       csp_period period, const char *shown, const char *dir)
{
    int code = CSP_EXIT_OK;
    size_t n = tpl->nagencies;
    char **paths = csp_calloc(n ? n : 1, sizeof *paths);
    if (!paths) {
        cli_error("blank: out of memory");
        return CSP_EXIT_IO;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error("blank: cannot make the folder %s: %s", dir,
                  strerror(errno));
        code = CSP_EXIT_IO;
        goto out;
    }
    for (size_t i = 0; i < n && code == CSP_EXIT_OK; i++) {
        struct stat st;
        if (agency && strcmp(tpl->agencies[i].id, agency) != 0)
            continue;
        if (!(paths[i] = skeleton_path(tpl, i, period, dir))) {
            cli_error("blank: out of memory");
            code = CSP_EXIT_IO;
        } else if (lstat(paths[i], &st) == 0) {
            cli_error("blank: %s exists already; csppack does not write "
                      "over it: move it away or name another folder with "
                      "--out; nothing was written",
                      paths[i]);
            code = CSP_EXIT_USAGE;
        }
    }
    for (size_t i = 0; i < n && code == CSP_EXIT_OK; i++)
        if (paths[i])
            code = write_new(tpl, i, period, shown, paths[i]);
    if (code == CSP_EXIT_OK && (fflush(stdout) != 0 || ferror(stdout))) {
        cli_error("blank: cannot write the list of skeletons");
        code = CSP_EXIT_IO;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return code;
}

/* The agency named is declared; else say which are.  Exit code. */
static int check_agency(const csp_template *tpl, const char *agency)
{
    if (csp_template_agency(tpl, agency))
        return CSP_EXIT_OK;
    cli_error("blank: the template declares no agency \"%s\"; it declares:",
              agency);
    for (size_t i = 0; i < tpl->nagencies; i++)
        fprintf(stderr, "  %-14s %s\n", tpl->agencies[i].id,
                tpl->agencies[i].name);
    return CSP_EXIT_USAGE;
}

int cmd_blank(int argc, char **argv)
{
    const char *agency = NULL, *period_text = NULL, *out_dir = NULL;
    bool all = false;
    const cli_option options[] = {
        {.name = "--agency", .value = &agency},
        {.name = "--period", .value = &period_text},
        {.name = "--out", .value = &out_dir, .needs = "a folder name"},
        {.name = "--all", .flag = &all},
        {0},
    };
    const cli_command cmd = {.name = "blank",
                             .usage = usage,
                             .options = options,
                             .flags = CLI_NO_OPERANDS};
    cli_common c;
    cli_common_init(&c);
    csp_template *tpl = NULL;
    const char *shown = NULL;
    int code = cli_parse_args(&cmd, &c, argc, argv);
    if (code != CSP_EXIT_OK || c.help)
        return code;
    if (!agency && !all) {
        cli_error("blank: say which agency with --agency ID, or --all");
        usage(stderr);
        return CSP_EXIT_USAGE;
    }
    if (agency && all) {
        cli_error("blank: --agency and --all: give one of them");
        return CSP_EXIT_USAGE;
    }
    if (all && !out_dir) {
        cli_error("blank: --all writes one file per agency: name the folder "
                  "with --out DIR");
        return CSP_EXIT_USAGE;
    }
    csp_period period;
    if (period_text && !cli_parse_period("blank", period_text, &period))
        return CSP_EXIT_USAGE;
    code = cli_load_template(&c, "blank", &tpl, &shown);
    if (code != CSP_EXIT_OK)
        return code;
    if (agency && (code = check_agency(tpl, agency)) != CSP_EXIT_OK)
        goto out;
    if (!period_text)
        period = csp_blank_default_period(tpl, today());
    if (out_dir) {
        code = write_files(tpl, agency, period, shown, out_dir);
        goto out;
    }
    csp_error err = csp_blank_write(tpl, agency, period, shown, NULL, stdout,
                                    NULL);
    if (err == CSP_OK && (fflush(stdout) != 0 || ferror(stdout)))
        err = CSP_ERR_IO;
    if (err != CSP_OK) {
        cli_error("blank: cannot write the skeleton: %s", csp_strerror(err));
        code = CSP_EXIT_IO;
    }
out:
    csp_template_free(tpl);
    return code;
}
