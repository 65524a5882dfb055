/* csppack: receipts in the partner's words (receipts/say.h). */
#include "csppack/write/receipts/say.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/model/template.h"

/* Cap on one diagnostic's text (a subject is a name and a period). */
#define SAY_TEXT_MAX ((size_t)1024 * 1024)

/* "21 October 2016 at 11:40 (UTC+01:00)". */
void csp_say_instant(csp_instant t, char buf[CSP_SAY_INSTANT_BUFSZ])
{
    csp_date day;
    int secs;
    csp_instant_local(t, &day, &secs);
    char d[CSP_DATE_WORDS_BUFSZ], zone[16] = "UTC";
    csp_date_words(day, false, d);
    int off = t.offset_min < 0 ? -t.offset_min : t.offset_min;
    if (t.offset_min)
        snprintf(zone, sizeof zone, "UTC%c%02d:%02d",
                 t.offset_min < 0 ? '-' : '+', off / 60 % 100, off % 60);
    snprintf(buf, CSP_SAY_INSTANT_BUFSZ, "%s at %02d:%02d (%s)", d,
             secs / 3600, secs / 60 % 60, zone);
}

/* An action status in words. */
const char *csp_say_action_status(csp_action_status st)
{
    switch (st) {
    case CSP_ACT_COMPLETE: return "complete";
    case CSP_ACT_NOT_STARTED: return "not started";
    case CSP_ACT_ON_TRACK: return "on track";
    case CSP_ACT_AT_RISK: return "at risk";
    case CSP_ACT_OFF_TRACK: return "off track";
    }
    return "unknown";
}

/* The template's name of an agency, "you" for the receipt's own. */
const char *csp_say_agency(const csp_dataset *ds, const char *id,
                           const char *me)
{
    if (id && me && strcmp(id, me) == 0)
        return "you";
    if (id && strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "the partnership's calculation";
    const csp_agency *a = id ? csp_template_agency(ds->tpl, id) : NULL;
    return a && a->name ? a->name : "an agency the template does not list";
}

/* The possessive of csp_say_agency: "your", "the Fire Service's". */
static csp_error say_whose(const csp_dataset *ds, const char *id,
                           const char *me, csp_strbuf *sb)
{
    const char *who = csp_say_agency(ds, id, me);
    if (strcmp(who, "you") == 0)
        return csp_strbuf_puts(sb, "your");
    return csp_strbuf_printf(sb, "%s's", who);
}

/* A file as the partner knows it (say.h). */
const char *csp_say_file(const csp_dataset *ds, const char *path)
{
    const char *name = csp_dataset_name(ds, path);
    const char *slash = strrchr(name, '/');
    return slash && slash[1] ? slash + 1 : name;
}

/* "line 16 of a.xml", "a.xml"; nothing without a file. */
static csp_error say_where(const csp_dataset *ds, const csp_diag *d,
                           csp_strbuf *sb)
{
    if (!d->file)
        return CSP_OK;
    if (d->line)
        return csp_strbuf_printf(sb, "line %lu of %s", d->line,
                                 csp_say_file(ds, d->file));
    return csp_strbuf_puts(sb, csp_say_file(ds, d->file));
}

/* "Number of ..., North, July to September 2016", or "action 1.11";
 * false (nothing written) when the diagnostic names neither. */
static bool say_subject(const csp_dataset *ds, const csp_diag *d,
                        csp_strbuf *sb, csp_error *err)
{
    const csp_template *tpl = ds->tpl;
    if (d->indicator) {
        const csp_indicator *ind = csp_template_indicator(tpl, d->indicator);
        if (!ind)
            return false;
        *err = csp_strbuf_puts(sb, ind->name ? ind->name : "an indicator");
        /* An area the template does not know is left to the message,
         * which names it as the partner wrote it. */
        const csp_area *a = d->area && strcmp(d->area, CSP_AREA_ALL) != 0
                                ? csp_template_area(tpl, d->area)
                                : NULL;
        if (!*err && d->area && (a || strcmp(d->area, CSP_AREA_ALL) == 0))
            *err = csp_strbuf_printf(sb, ", %s",
                                     a && a->name ? a->name : "all areas");
        if (!*err && d->has_period) {
            char p[CSP_PERIOD_WORDS_BUFSZ];
            csp_period_words(d->period, p);
            *err = csp_strbuf_printf(sb, ", %s", p);
        }
        return true;
    }
    if (d->ref && csp_template_action(tpl, d->ref)) {
        *err = csp_strbuf_printf(sb, "action %s", d->ref);
        return true;
    }
    return false;
}

/* The values of @p d ("agency=value;...") as "The Police: 8390 and The
 * Council: 6" (with @p same, of one agency: "8390 and 8388"); with
 * @p status, values are action statuses, said in words. */
static csp_error say_values(const csp_dataset *ds, const char *me,
                            const csp_diag *d, bool status, bool same,
                            csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    const char *p = d->values ? d->values : "";
    size_t n = 0, total = 0;
    for (const char *q = p; *q; q++)
        total += *q == '=';
    while (*p && !err) {
        const char *end = strchr(p, ';'), *eq;
        if (!end)
            end = p + strlen(p);
        eq = memchr(p, '=', (size_t)(end - p));
        if (eq) {
            char agency[128];
            size_t len = (size_t)(eq - p) < sizeof agency - 1
                             ? (size_t)(eq - p)
                             : sizeof agency - 1;
            memcpy(agency, p, len);
            agency[len] = '\0';
            const char *value = eq + 1;
            int vlen = (int)(end - value);
            csp_action_status st;
            char word[32];
            if (status && vlen < (int)sizeof word) {
                memcpy(word, value, (size_t)vlen);
                word[vlen] = '\0';
                if (csp_action_status_parse(word, &st)) {
                    value = csp_say_action_status(st);
                    vlen = (int)strlen(value);
                }
            }
            const char *sep = !n ? "" : n + 1 == total ? " and " : ", ";
            err = same ? csp_strbuf_printf(sb, "%s%.*s", sep, vlen, value)
                       : csp_strbuf_printf(sb, "%s%s: %.*s", sep,
                                           csp_say_agency(ds, agency, me),
                                           vlen, value);
            n++;
        }
        p = *end ? end + 1 : end;
    }
    return err;
}

/* The value agency @p id gave in @p d's values, into @p buf ("" when
 * none). */
static void value_of(const csp_diag *d, const char *id, char *buf,
                     size_t size)
{
    size_t idlen = id ? strlen(id) : 0;
    buf[0] = '\0';
    for (const char *p = d->values ? d->values : ""; *p && id;) {
        const char *end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        if ((size_t)(end - p) > idlen && strncmp(p, id, idlen) == 0 &&
            p[idlen] == '=') {
            snprintf(buf, size, "%.*s", (int)(end - p - (long)idlen - 1),
                     p + idlen + 1);
            return;
        }
        p = *end ? end + 1 : end;
    }
}

/* The first agency of @p d's values other than @p not. */
static void other_agency(const csp_diag *d, const char *not, char *buf,
                         size_t size)
{
    buf[0] = '\0';
    for (const char *p = d->values ? d->values : ""; *p;) {
        const char *end = strchr(p, ';'), *eq;
        if (!end)
            end = p + strlen(p);
        eq = memchr(p, '=', (size_t)(end - p));
        if (eq && (!not || strncmp(p, not, (size_t)(eq - p)) != 0 ||
                   strlen(not) != (size_t)(eq - p))) {
            snprintf(buf, size, "%.*s", (int)(eq - p), p);
            return;
        }
        p = *end ? end + 1 : end;
    }
}

/* " (line 16 of a.xml)". */
static csp_error say_paren_where(const csp_dataset *ds, const csp_diag *d,
                                 csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    if (!d->file)
        return CSP_OK;
    if (!(err = csp_strbuf_puts(sb, " (")) && !(err = say_where(ds, d, sb)))
        err = csp_strbuf_puts(sb, ")");
    return err;
}

/* The message of @p d reworded, then a full stop unless it ends with
 * one. */
static csp_error say_message(const csp_dataset *ds, const csp_diag *d,
                             csp_strbuf *sb)
{
    csp_error err = csp_say_reword(ds, d->message ? d->message : "", sb);
    size_t n = sb->len;
    if (!err && n && sb->data[n - 1] != '.')
        err = csp_strbuf_putc(sb, '.');
    return err;
}

/* A refusal of one item: what, where, why, and what to send instead. */
static csp_error say_item_refused(const csp_dataset *ds, const csp_diag *d,
                                  csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    size_t mark = sb->len;
    if (say_subject(ds, d, sb, &err)) {
        if (!err)
            err = say_paren_where(ds, d, sb);
    } else if (!err) {
        sb->len = mark;
        if (sb->data)
            sb->data[mark] = '\0';
        if (!(err = csp_strbuf_puts(sb, "The item at ")))
            err = say_where(ds, d, sb);
    }
    if (err || (err = csp_strbuf_puts(sb, " was refused: ")) ||
        (err = say_message(ds, d, sb)))
        return err;
    return csp_strbuf_puts(sb, " Please send it again, corrected, in a new "
                               "submission with a later submitted time.");
}

/* A refusal of the whole file. */
static csp_error say_file_refused(const csp_dataset *ds, const csp_diag *d,
                                  csp_strbuf *sb)
{
    csp_error err;
    if ((err = csp_strbuf_puts(sb, "The whole file was refused")) ||
        (err = say_paren_where(ds, d, sb)) ||
        (err = csp_strbuf_puts(sb, ": ")) || (err = say_message(ds, d, sb)))
        return err;
    if (d->message && strstr(d->message, "send"))
        return CSP_OK;
    return csp_strbuf_puts(sb, " Please correct it and send the file again.");
}

/* The figure's owner by the template, or NULL. */
static const char *owner_of(const csp_dataset *ds, const csp_diag *d)
{
    const csp_indicator *ind =
        d->indicator ? csp_template_indicator(ds->tpl, d->indicator) : NULL;
    return ind ? csp_indicator_owner(ind, d->area ? d->area : CSP_AREA_ALL)
               : NULL;
}

/* Diagnostics about a figure (d->indicator is a template id). */
static csp_error say_figure(const csp_dataset *ds, const char *me,
                            const csp_diag *d, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    char v[128], ov[128], other[128];
    csp_strbuf subj;
    csp_strbuf_init(&subj, SAY_TEXT_MAX);
    if (!say_subject(ds, d, &subj, &err) || err)
        goto out;
    const char *s = csp_strbuf_str(&subj);
    value_of(d, d->agency, v, sizeof v);
    switch (d->code) {
    case CSP_D_WITHDRAWN:
        if ((err = csp_strbuf_printf(sb, "%s withdrew ",
                                     csp_say_agency(ds, d->agency, me))) ||
            (err = say_whose(ds, d->agency, me, sb)) ||
            (err = csp_strbuf_printf(sb, " figure for %s", s)) ||
            (err = say_paren_where(ds, d, sb)))
            goto out;
        err = csp_strbuf_printf(sb, "; no figure from %s is used for it.",
                                csp_say_agency(ds, d->agency, me));
        break;
    case CSP_D_CONFLICT:
        if ((err = csp_strbuf_printf(sb, "%s sent different figures for %s "
                                         "with the same submitted time",
                                     csp_say_agency(ds, d->agency, me), s)) ||
            (err = say_paren_where(ds, d, sb)) ||
            (err = csp_strbuf_puts(sb, ": ")) ||
            (err = say_values(ds, me, d, false, true, sb)))
            goto out;
        err = csp_strbuf_puts(sb, "; none of them is used. Please send one "
                                  "corrected submission with a later "
                                  "submitted time.");
        break;
    case CSP_D_NON_OWNER_DIFFERS:
        other_agency(d, d->agency, other, sizeof other);
        value_of(d, other, ov, sizeof ov);
        if ((err = say_whose(ds, d->agency, me, sb)))
            goto out;
        if ((err = csp_strbuf_printf(sb, " figure for %s is %s", s, v)) ||
            (err = say_paren_where(ds, d, sb)))
            goto out;
        err = csp_strbuf_printf(sb, ", but %s, which owns this figure, "
                                    "reports %s; %s's figure is used.",
                                csp_say_agency(ds, other, me), ov,
                                csp_say_agency(ds, other, me));
        break;
    case CSP_D_NOT_FROM_OWNER: {
        const char *owner = owner_of(ds, d);
        if ((err = say_whose(ds, d->agency, me, sb)) ||
            (err = csp_strbuf_printf(sb, " figure for %s, %s", s, v)) ||
            (err = say_paren_where(ds, d, sb)))
            goto out;
        err = csp_strbuf_printf(sb, ", is used, but %s, which owns this "
                                    "figure, sent none; the partnership "
                                    "will ask %s to confirm it.",
                                owner ? csp_say_agency(ds, owner, me)
                                      : "the agency",
                                owner ? csp_say_agency(ds, owner, me)
                                      : "it");
        break;
    }
    case CSP_D_DISPUTED:
        if ((err = csp_strbuf_printf(sb, "%s is disputed", s)) ||
            (err = say_paren_where(ds, d, sb)) ||
            (err = csp_strbuf_puts(sb, ": the figures sent do not agree (")) ||
            (err = say_values(ds, me, d, false, false, sb)))
            goto out;
        err = csp_strbuf_puts(sb, "); no value is used until the partners "
                                  "agree one.");
        break;
    case CSP_D_CHECK_FAILED:
        value_of(d, CSP_AGENCY_CSPPACK, ov, sizeof ov);
        if ((err = say_whose(ds, d->agency, me, sb)) ||
            (err = csp_strbuf_printf(sb, " figure for %s is %s", s, v)) ||
            (err = say_paren_where(ds, d, sb)) ||
            (err = csp_strbuf_printf(sb, ", but the partnership's "
                                         "calculation from the figures it "
                                         "depends on gives %s, and %s is not "
                                         "within rounding of it",
                                     ov, v)))
            goto out;
        if (d->message && strstr(d->message, " is used"))
            err = csp_strbuf_printf(sb, "; %s is used. If your figure is "
                                        "right, please check the figures it "
                                        "is calculated from.",
                                    ov);
        else
            err = csp_strbuf_puts(sb, "; please check which is right.");
        break;
    default:
        if ((err = csp_strbuf_printf(sb, "%s", s)) ||
            (err = say_paren_where(ds, d, sb)) ||
            (err = csp_strbuf_puts(sb, ": ")))
            goto out;
        err = say_message(ds, d, sb);
        break;
    }
out:
    csp_strbuf_free(&subj);
    return err;
}

/* A status tie on an action (W408). */
static csp_error say_tie(const csp_dataset *ds, const char *me,
                         const csp_diag *d, csp_strbuf *sb)
{
    csp_error err;
    if ((err = csp_strbuf_printf(sb, "Action %s has updates with the same "
                                     "as-of date but different statuses",
                                 d->ref)) ||
        (err = say_paren_where(ds, d, sb)) ||
        (err = csp_strbuf_puts(sb, ": ")) ||
        (err = say_values(ds, me, d, true, false, sb)))
        return err;
    return csp_strbuf_puts(sb, "; the most severe is shown.");
}

/* One diagnostic in the partner's words. */
csp_error csp_say_diag(const csp_dataset *ds, const char *me,
                       const csp_diag *d, csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    if (csp_diag_refuses_item(d->code))
        return say_item_refused(ds, d, sb);
    if (csp_diag_refuses_file(d->code))
        return say_file_refused(ds, d, sb);
    if (d->code == CSP_D_STATUS_TIE && d->ref && d->values)
        return say_tie(ds, me, d, sb);
    if (d->indicator && csp_template_indicator(ds->tpl, d->indicator))
        return say_figure(ds, me, d, sb);
    /* No structured form: where, then the message reworded. */
    if (d->file && ((err = csp_strbuf_puts(sb, "About ")) ||
                    (err = say_where(ds, d, sb)) ||
                    (err = csp_strbuf_puts(sb, ": "))))
        return err;
    return say_message(ds, d, sb);
}

/* Whether @p c can be part of a template id. */
static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Whether @p c, next to a run of id characters, makes it part of a
 * longer word, a file name, an address or quoted text (left as is). */
static bool glued(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/' ||
           c == ':' || c == '@' || c == '"' || c == '\\' || c == '#';
}

/* An ISO date or period at @p s (a digit, not glued to what precedes
 * it), as words: the length taken, or 0. */
static size_t reword_date(const char *s, csp_strbuf *sb, csp_error *err)
{
    csp_period p;
    csp_instant t;
    size_t n = 0;
    if (strlen(s) > 19 && s[10] == 'T') {
        /* An instant runs to the next space, bracket or separator. */
        n = strcspn(s, " ),;");
        while (n && s[n - 1] == '.')
            n--;
        if (csp_instant_parse(s, n, &t)) {
            char buf[CSP_SAY_INSTANT_BUFSZ];
            csp_say_instant(t, buf);
            *err = csp_strbuf_puts(sb, buf);
            return n;
        }
    }
    if (strlen(s) >= 21 && s[10] == '/' && csp_date_parse(s, 10, &p.start) &&
        csp_date_parse(s + 11, 10, &p.end) && !glued(s[21])) {
        char buf[CSP_PERIOD_WORDS_BUFSZ];
        csp_period_words(p, buf);
        *err = csp_strbuf_puts(sb, buf);
        return 21;
    }
    if (strlen(s) >= 10 && csp_date_parse(s, 10, &p.start) &&
        !glued(s[10]) && s[10] != 'T') {
        char buf[CSP_DATE_WORDS_BUFSZ];
        csp_date_words(p.start, false, buf);
        *err = csp_strbuf_puts(sb, buf);
        return 10;
    }
    return 0;
}

/* A FILE:LINE token at @p s (starting a word) as "line LINE of FILE":
 * the length taken, or 0. */
static size_t reword_where(const char *s, csp_strbuf *sb, csp_error *err)
{
    size_t n = strcspn(s, " ),;");
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ':')
            colon = s + i;
    if (!colon || colon == s || (size_t)(colon - s) + 1 == n ||
        !memchr(s, '.', (size_t)(colon - s)))
        return 0;
    for (const char *q = colon + 1; q < s + n; q++)
        if (*q < '0' || *q > '9')
            return 0;
    const char *base = s;
    for (const char *q = s; q < colon; q++)
        if (*q == '/')
            base = q + 1;
    *err = csp_strbuf_printf(sb, "line %.*s of %.*s",
                             (int)(s + n - colon - 1), colon + 1,
                             (int)(colon - base), base);
    return n;
}

/* A template id at @p s (a run of id characters standing alone) as its
 * name: the length taken, or 0. */
static size_t reword_id(const csp_dataset *ds, const char *s, csp_strbuf *sb,
                        csp_error *err)
{
    size_t n = 0;
    char id[256];
    while (id_char(s[n]))
        n++;
    if (!n || n >= sizeof id || glued(s[n]) ||
        (s[n] == '.' && s[n + 1] && s[n + 1] != ' '))
        return 0;
    memcpy(id, s, n);
    id[n] = '\0';
    if (strcmp(id, "csppack") == 0) {
        *err = csp_strbuf_puts(sb, "the partnership");
        return n;
    }
    const csp_indicator *ind = csp_template_indicator(ds->tpl, id);
    const csp_area *a = strcmp(id, CSP_AREA_ALL) == 0
                            ? NULL
                            : csp_template_area(ds->tpl, id);
    const char *name = ind ? ind->name : a ? a->name : NULL;
    if (!name)
        return 0;
    *err = csp_strbuf_puts(sb, name);
    return n;
}

/* A message in the partner's words (say.h). */
csp_error csp_say_reword(const csp_dataset *ds, const char *text,
                         csp_strbuf *sb)
{
    csp_error err = CSP_OK;
    const char *s = text;
    while (*s && !err) {
        bool start = s == text || !glued(s[-1]);
        bool word = s == text || s[-1] == ' ' || s[-1] == '(';
        size_t n = 0;
        /* A hash, even shortened, means nothing to a partner. */
        if (strncmp(s, " (SHA-256 ", 10) == 0 && strchr(s, ')')) {
            s = strchr(s, ')') + 1;
            continue;
        }
        if (start && *s >= '0' && *s <= '9')
            n = reword_date(s, sb, &err);
        if (!n && !err && word)
            n = reword_where(s, sb, &err);
        if (!n && !err && start && s[-(s != text)] != '.' && id_char(*s))
            n = reword_id(ds, s, sb, &err);
        if (!n && !err) {
            /* Copy the rest of this word, or one separator. */
            n = 1;
            if (id_char(*s) || glued(*s))
                while (s[n] && (id_char(s[n]) || glued(s[n]) || s[n] == '.'))
                    n++;
            err = csp_strbuf_add(sb, s, n);
        }
        s += n;
    }
    return err;
}
