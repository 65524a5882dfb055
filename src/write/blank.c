/* csppack: submission skeletons for partners to fill in. */
#include "csppack/write/blank.h"

#include <string.h>

#include "csppack/model/submission.h"

#include "csppack/reconcile/returns.h"
#include "csppack/reconcile/totals.h"

/* Write s with XML's five special characters escaped. */
static void put_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default: fputc(*s, out); break;
        }
    }
}

/* Write s inside an XML comment: "--" may not appear there. */
static void put_comment_text(FILE *out, const char *s)
{
    char last = '\0';
    for (; *s; s++) {
        fputc(*s, out);
        if (*s == '-' && s[1] == '-')
            fputc(' ', out);
        last = *s;
    }
    if (last == '-')
        fputc(' ', out);
}

/* Write wrapped text as comment lines with an indent. */
static void put_wrapped_comment(FILE *out, const char *indent,
                                const char *text, size_t width)
{
    const char *p = text;
    while (*p) {
        size_t n = strlen(p);
        if (n > width) {
            n = width;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = width;
        }
        fputs(indent, out);
        char line[256];
        size_t m = n < sizeof line - 1 ? n : sizeof line - 1;
        memcpy(line, p, m);
        line[m] = '\0';
        put_comment_text(out, line);
        fputc('\n', out);
        p += n;
        while (*p == ' ')
            p++;
    }
}

/* Whether @p c needs no quoting in a POSIX shell word. */
static bool shell_plain(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("_@%+=:,./-", c) != NULL;
}

/* Write @p word as one shell word, in single quotes when it needs them,
 * inside the processing instruction that holds the validate command (a
 * comment may not hold its "--"): the command is copied into a terminal
 * as written. */
static void put_shell_word(FILE *out, const char *word)
{
    bool plain = *word != '\0' && *word != '-';
    for (const char *p = word; *p && plain; p++)
        plain = shell_plain(*p);
    if (plain) {
        fputs(word, out);
        return;
    }
    /* 'it'\''s': a quote ends the quoted part, is escaped, and reopens;
     * "?>" would end the instruction: '?''>' is the same word. */
    fputc('\'', out);
    for (const char *p = word; *p; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else if (*p == '?' && p[1] == '>')
            fputs("?''", out);
        else
            fputc(*p, out);
    }
    fputc('\'', out);
}

/* The name of area @p id as a comment shows it. */
static const char *area_name(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas (the whole partnership)";
    const csp_area *a = csp_template_area(tpl, id);
    return a ? a->name : id;
}

/* One figure's placeholder: its name in a comment, then the <obs>; a
 * figure it need not send is a real <obs> too, with the text that says
 * so: filled in or deleted whole, never uncommented. */
static void put_obs(FILE *out, const csp_template *tpl,
                    const csp_indicator *ind, const char *area,
                    const char *pbuf, bool optional)
{
    fputs("    <!-- ", out);
    put_comment_text(out, ind->name);
    fprintf(out, " (%s), ", csp_unit_str(ind->unit));
    put_comment_text(out, area_name(tpl, area));
    fputs(optional ? " (optional) -->\n" : " -->\n", out);
    fputs("    <obs indicator=\"", out);
    put_escaped(out, ind->id);
    fputs("\" area=\"", out);
    put_escaped(out, area);
    fprintf(out, "\" period=\"%s\"\n         status=\"missing\">", pbuf);
    put_escaped(out, optional ? CSP_PH_OPTIONAL : CSP_PH_NOTE);
    fputs("</obs>\n", out);
}

/* The areas of the template, then "all": every place a figure is for. */
static const char *area_at(const csp_template *tpl, size_t i)
{
    return i < tpl->nareas ? tpl->areas[i].id : CSP_AREA_ALL;
}

/* Whether @p agency may send @p ind for @p area ("all" included), and
 * (*owed) whether it must, as the chase list counts it
 * (csp_returns_owes).  An owner= of every area may also send the
 * partnership's figure, unless csppack works it out from the areas. */
static bool offered(const csp_template *tpl, const csp_indicator *ind,
                    const char *area, const char *agency, bool *owed)
{
    if (ind->rule != CSP_RULE_NONE)
        return false;
    *owed = csp_returns_owes(tpl, ind, area, agency);
    if (*owed)
        return true;
    const char *owner = csp_indicator_owner(ind, area);
    return strcmp(area, CSP_AREA_ALL) == 0 && owner &&
           strcmp(owner, agency) == 0 &&
           !(ind->derive_totals && csp_totals_children(tpl, area, NULL, 0));
}

/* The figures @p agency owes: each reported indicator in each area it
 * owns, and "all" where the template names it the owner of "all"; not
 * the totals csppack works out from the areas inside (totals="derived"),
 * which nobody owes.  Returns how many. */
static size_t put_owned(FILE *out, const csp_template *tpl,
                        const char *agency, const char *pbuf)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        for (size_t a = 0; a <= tpl->nareas; a++) {
            bool owed = false;
            if (offered(tpl, ind, area_at(tpl, a), agency, &owed) && owed) {
                put_obs(out, tpl, ind, area_at(tpl, a), pbuf, false);
                n++;
            }
        }
    }
    return n;
}

/* The partnership-wide figures @p agency owns but does not owe (an
 * owner= of every area), as optional figures.  Returns how many. */
static size_t put_own_all(FILE *out, const csp_template *tpl,
                          const char *agency, const char *pbuf)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        bool owed = true;
        if (!offered(tpl, ind, CSP_AREA_ALL, agency, &owed) || owed)
            continue;
        if (n++ == 0)
            fputs("    <!-- Optional: your figures for the whole "
                  "partnership.  Fill in those you\n"
                  "         hold as above; delete the others whole. -->\n",
                  out);
        put_obs(out, tpl, ind, CSP_AREA_ALL, pbuf, true);
    }
    return n;
}

/* The figures of the reported indicators nobody owns, as optional: any
 * partner may send them (a college, a charity owns none of its own).
 * Returns how many. */
static size_t put_unowned(FILE *out, const csp_template *tpl,
                          const char *pbuf)
{
    size_t n = 0;
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        if (ind->rule != CSP_RULE_NONE || ind->nowners > 0)
            continue;
        if (n == 0)
            fputs("    <!-- Optional: figures no partner owns.  Fill in "
                  "those you hold as\n"
                  "         above; delete the others whole. -->\n",
                  out);
        for (size_t a = 0; a <= tpl->nareas; a++, n++)
            put_obs(out, tpl, ind, area_at(tpl, a), pbuf, true);
    }
    return n;
}

/* The action updates @p agency owes, each a real <update> to fill in or
 * delete whole.  Returns how many. */
static size_t put_updates(FILE *out, const csp_template *tpl,
                          const char *agency, const char *asof)
{
    size_t n = 0;
    for (size_t t = 0; t < tpl->nthemes; t++) {
        const csp_theme *th = &tpl->themes[t];
        for (size_t k = 0; k < th->nactions; k++) {
            const csp_action *a = &th->actions[k];
            if (!csp_action_coordinated_by(tpl, a, agency))
                continue;
            fputs("    <!-- ", out);
            put_comment_text(out, a->ref);
            fputs(" (", out);
            put_comment_text(out, a->groups_label ? a->groups_label : "");
            fputs("):\n", out);
            put_wrapped_comment(out, "         ", a->text, 68);
            fputs("    -->\n    <update ref=\"", out);
            put_escaped(out, a->ref);
            fputs("\" status=\"" CSP_PH_ACTION_STATUS "\" as-of=\"", out);
            fputs(asof, out);
            fputs("\">", out);
            put_escaped(out, CSP_PH_PROGRESS);
            fputs("</update>\n", out);
            n++;
        }
    }
    return n;
}

/* Write the skeleton. */
csp_error csp_blank_write(const csp_template *tpl, const char *agency,
                          csp_period period, const char *template_shown,
                          const char *file, FILE *out,
                          csp_blank_counts *counts)
{
    const csp_agency *ag = csp_template_agency(tpl, agency);
    csp_blank_counts n = {0};
    if (!ag)
        return CSP_ERR_USAGE;
    char pbuf[CSP_PERIOD_BUFSZ], asof[CSP_DATE_BUFSZ], sub[CSP_DATE_BUFSZ];
    csp_period_format(period, pbuf);
    csp_date_format(period.end, asof);
    csp_date_format(period.end + 1, sub);

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fputs("<!-- Submission for ", out);
    put_comment_text(out, ag->name);
    fprintf(out, ", period %s.\n", pbuf);
    fprintf(out,
        "     Fill it in by changing only the text between quotes and between\n"
        "     tags; these comments need no change.\n"
        "     1. In submitter, replace \"%s\" and \"%s\"\n"
        "        with your name and e-mail address.\n"
        "     2. In submitted, replace \"%s\" with the date and\n"
        "        time you send the file and its offset from UTC, e.g.\n"
        "        \"%sT14:30:00+01:00\".\n"
        "     3. In each obs, replace status=\"missing\" with value=\"...\"\n"
        "        (an exact number: no commas, no %% sign) and its text with a\n"
        "        note on the figure, or with nothing; or keep \"missing\" and\n"
        "        say why in its text.  An optional obs you do not send:\n"
        "        delete it whole, from <obs to </obs>.\n"
        "     4. In each update, replace status=\"%s\" with one of\n"
        "        \"not-started\", \"on-track\", \"at-risk\", \"off-track\" or\n"
        "        \"complete\", and \"%s\" with what has been\n"
        "        done; or delete it whole, from <update to </update>.\n"
        "     5. Replace the text of comment with what the coordinator should\n"
        "        know, or delete it whole, from <comment> to </comment>.\n"
        "     Whatever is left as written here is a warning (W601) and is not\n"
        "     used.  A later submission replaces the figures it repeats.\n"
        "     Check the file before sending with the command on the next line.\n"
        "-->\n"
        "<?command csppack validate ",
        CSP_PH_SUBMITTER_NAME, CSP_PH_SUBMITTER_EMAIL, CSP_PH_SUBMITTED, sub,
        CSP_PH_ACTION_STATUS, CSP_PH_PROGRESS);
    if (template_shown) {
        fputs("--template ", out);
        put_shell_word(out, template_shown);
        fputc(' ', out);
    }
    if (file)
        put_shell_word(out, file);
    else
        fputs("FILE", out);
    fputs("?>\n", out);
    fputs("<submission xmlns=\"urn:csppack:submission:1\"\n            strategy=\"",
          out);
    put_escaped(out, tpl->id);
    fputs("\"\n            agency=\"", out);
    put_escaped(out, ag->id);
    fputs("\"\n            submitted=\"" CSP_PH_SUBMITTED "\">\n", out);
    fputs("  <submitter name=\"" CSP_PH_SUBMITTER_NAME "\" email=\""
          CSP_PH_SUBMITTER_EMAIL "\"/>\n", out);

    fputs("  <observations>\n", out);
    n.figures = put_owned(out, tpl, agency, pbuf);
    if (n.figures == 0)
        fputs("    <!-- The template names this agency as the owner of no "
              "indicator. -->\n",
              out);
    n.optional = put_own_all(out, tpl, agency, pbuf);
    n.optional += put_unowned(out, tpl, pbuf);
    fputs("  </observations>\n", out);

    fputs("  <actions>\n", out);
    n.updates = put_updates(out, tpl, agency, asof);
    if (n.updates == 0)
        fputs("    <!-- No delivery group of this agency coordinates an "
              "action. -->\n",
              out);
    fputs("  </actions>\n", out);
    fputs("  <comment>" CSP_PH_COMMENT "</comment>\n", out);
    fputs("</submission>\n", out);
    if (counts)
        *counts = n;
    return ferror(out) ? CSP_ERR_IO : CSP_OK;
}

/* The calendar quarter containing @p d. */
static csp_period quarter_of(csp_date d)
{
    int y, m, day;
    csp_period q = {0, 0};
    csp_date_to_ymd(d, &y, &m, &day);
    int qm = (m - 1) / 3 * 3 + 1;
    (void)csp_date_from_ymd(y, qm, 1, &q.start);
    (void)csp_date_from_ymd(qm == 10 ? y + 1 : y, qm == 10 ? 1 : qm + 3, 1,
                            &q.end);
    q.end--;
    return q;
}

/* The latest quarter ending by today, within the strategy's years. */
csp_period csp_blank_default_period(const csp_template *tpl, csp_date today)
{
    csp_period q = quarter_of(today);
    if (q.end > today)
        q = quarter_of(q.start - 1);
    csp_period s = csp_template_period(tpl);
    /* The strategy's period starts and ends on quarter boundaries. */
    if (q.end > s.end)
        q = quarter_of(s.end);
    if (q.start < s.start)
        q = quarter_of(s.start);
    return q;
}

/* AGENCY-START-END.xml. */
bool csp_blank_file_name(const char *agency, csp_period period, char *buf,
                         size_t size)
{
    char a[CSP_DATE_BUFSZ], b[CSP_DATE_BUFSZ];
    csp_date_format(period.start, a);
    csp_date_format(period.end, b);
    int n = snprintf(buf, size, "%s-%s-%s.xml", agency, a, b);
    return n > 0 && (size_t)n < size;
}
