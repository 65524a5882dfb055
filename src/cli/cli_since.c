/* csppack: the previous pack a run compares with (--since DIR, or the
 * pack already in build's output folder), and what changed since it on
 * the terminal (doc/reconciliation.md, "What changed since the last
 * pack"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/cli/cli.h"
#include "csppack/read/previous.h"

/* The name of the dataset in a pack folder. */
#define SINCE_DATASET "dataset.xml"

/* DIR/dataset.xml, as the user named DIR (NULL when out of memory). */
static char *dataset_path(const char *dir)
{
    csp_strbuf b;
    csp_strbuf_init(&b, strlen(dir) + sizeof SINCE_DATASET + 1);
    size_t n = strlen(dir);
    bool slash = n > 0 && dir[n - 1] == '/';
    if (csp_strbuf_printf(&b, "%s%s%s", dir, slash ? "" : "/",
                          SINCE_DATASET) != CSP_OK) {
        csp_strbuf_free(&b);
        return NULL;
    }
    return csp_strbuf_take(&b);
}

/* Read the previous pack and give it to @p ds.  Exit code: a --since that
 * cannot be read is a usage error; the pack found in build's folder that
 * cannot be read is only a warning. */
int cli_since_load(const cli_common *c, const csp_template *tpl,
                   const char *command, csp_dataset *ds)
{
    const char *dir = c->since_dir ? c->since_dir : c->previous_dir;
    struct stat st;
    csp_why why;
    int code = CSP_EXIT_OK;

    if (!dir)
        return CSP_EXIT_OK;
    char *path = dataset_path(dir);
    csp_previous *prev = csp_calloc(1, sizeof *prev);
    if (!path || !prev) {
        cli_error("%s: out of memory", command);
        code = CSP_EXIT_IO;
        goto out;
    }
    /* No pack in build's folder yet: nothing to compare with. */
    if (!c->since_dir && stat(path, &st) != 0 &&
        (errno == ENOENT || errno == ENOTDIR))
        goto out;
    csp_why_clear(&why);
    csp_error err = csp_previous_read(path, tpl, prev, &why);
    if (err == CSP_ERR_NOMEM) {
        cli_error("%s: out of memory", command);
        code = CSP_EXIT_IO;
        goto out;
    }
    if (err != CSP_OK) {
        if (c->since_dir) {
            fprintf(stderr, "%s: error: %s\n", path, csp_why_text(&why, err));
            code = CSP_EXIT_USAGE;
        } else if (c->verbosity >= 0) {
            fprintf(stderr, "%s: warning: %s; the new pack is not "
                    "compared with it\n", path, csp_why_text(&why, err));
        }
        goto out;
    }
    if (csp_dataset_set_previous(ds, prev) != CSP_OK) {
        prev = NULL;
        cli_error("%s: the previous pack came too late", command);
        code = CSP_EXIT_IO;
        goto out;
    }
    prev = NULL;
out:
    csp_previous_free(prev);
    free(path);
    return code;
}

/* The day an instant fell on where it was written. */
static csp_date instant_day(csp_instant t)
{
    int64_t s = t.seconds + (int64_t)t.offset_min * 60;
    int64_t d = s / 86400 - (s % 86400 < 0);
    return (csp_date)d;
}

/* An agency's name, or its id. */
static const char *agency_name(const csp_template *tpl, const char *id)
{
    if (id && strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "calculated by csppack";
    const csp_agency *a = id ? csp_template_agency(tpl, id) : NULL;
    return a && a->name ? a->name : id ? id : "nobody";
}

/* An area's name ("all areas" for the partnership as a whole). */
static const char *area_name(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "all areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a && a->name ? a->name : id;
}

/* A figure in words: its value, with its status when not final
 * ("4 (provisional)"); the status alone without a value. */
static void value_words(bool has_value, csp_decimal value,
                        csp_obs_status status, char *buf, size_t size)
{
    char v[CSP_DECIMAL_BUFSZ];
    const char *st = csp_obs_status_str(status);
    if (!has_value)
        snprintf(buf, size, "%s", st);
    else if (status == CSP_OBS_FINAL)
        csp_decimal_format(value, buf);
    else {
        csp_decimal_format(value, v);
        snprintf(buf, size, "%s (%s)", v, st);
    }
}

/* What stood in the previous pack, in words. */
static void old_words(const csp_prev_figure *o, char *buf, size_t size)
{
    if (o->disputed)
        snprintf(buf, size, "disputed");
    else
        value_words(o->has_value, o->value, o->status, buf, size);
}

/* What stands now, in words. */
static void new_words(const csp_figure *f, char *buf, size_t size)
{
    if (!f)
        snprintf(buf, size, "nothing stands");
    else if (f->state == CSP_FIGURE_DISPUTED)
        snprintf(buf, size, "disputed");
    else
        value_words(f->has_value, f->value, f->status, buf, size);
}

/* One revised figure. */
static void print_revision(FILE *out, const csp_dataset *ds,
                           const csp_revision *r)
{
    const csp_template *tpl = ds->tpl;
    const csp_indicator *in = csp_template_indicator(tpl, r->indicator);
    const csp_figure *f = r->figure;
    char period[CSP_PERIOD_WORDS_BUFSZ], was[64], now[64],
        day[CSP_DATE_WORDS_BUFSZ];
    csp_period_words(r->period, period);
    old_words(r->old, was, sizeof was);
    new_words(f, now, sizeof now);
    fprintf(out, "  %s, %s, %s: %s -> %s", in && in->name ? in->name
            : r->indicator, area_name(tpl, r->area), period, was, now);
    if (f && f->state == CSP_FIGURE_STANDS) {
        fprintf(out, " (%s", agency_name(tpl, f->agency));
        if (f->has_submitted) {
            csp_date_words(instant_day(f->submitted), false, day);
            fprintf(out, ", submitted %s", day);
        }
        if (f->note) {
            /* A partner's words: shown so that they cannot forge lines. */
            char note[CSP_TEXT_SHOWN_BUFSZ(200)];
            note[csp_text_show(f->note, strlen(f->note), 200, note)] = '\0';
            fprintf(out, "; %s", note);
        }
        fputc(')', out);
    }
    fputc('\n', out);
}

/* An action status in words ("on track"). */
static const char *status_words(csp_action_status s)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "%s", csp_action_status_str(s));
    for (char *p = buf; *p; p++)
        if (*p == '-')
            *p = ' ';
    return buf;
}

/* One action whose status changed. */
static void print_status_change(FILE *out, const csp_dataset *ds,
                                const csp_status_change *s)
{
    const csp_dataset_action *it = s->item;
    const csp_dataset_update *u =
        it->current != CSP_NO_INDEX && it->current < it->nupdates
            ? &it->updates[it->current]
            : NULL;
    char day[CSP_DATE_WORDS_BUFSZ];
    fprintf(out, "  action %s: ", it->ref);
    fputs(s->old->has_status ? status_words(s->old->status) : "not updated",
          out);
    fputs(" -> ", out);
    fputs(u ? status_words(u->status) : "not updated", out);
    if (u) {
        csp_date_words(u->as_of, false, day);
        fprintf(out, " (%s, as of %s)", agency_name(ds->tpl, u->agency), day);
    }
    fputc('\n', out);
}

/* What changed since the previous pack, on the terminal. */
void cli_print_revisions(const cli_common *c, const csp_dataset *ds)
{
    FILE *out = stderr;
    char period[CSP_PERIOD_WORDS_BUFSZ] = "";
    if (c->verbosity < 0 || !ds->previous)
        return;
    if (ds->previous->has_period)
        csp_period_words(ds->previous->period, period);
    fprintf(out, "csppack: revised since the last pack%s%s%s: %zu figure%s, "
            "%zu action status%s\n",
            *period ? " (" : "", period, *period ? ")" : "", ds->nrevisions,
            ds->nrevisions == 1 ? "" : "s", ds->nstatus_changes,
            ds->nstatus_changes == 1 ? "" : "es");
    for (size_t i = 0; i < ds->nrevisions; i++)
        print_revision(out, ds, &ds->revisions[i]);
    for (size_t i = 0; i < ds->nstatus_changes; i++)
        print_status_change(out, ds, &ds->status_changes[i]);
}
