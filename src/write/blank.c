/* csppack: submission skeletons for partners to fill in. */
#include "csppack/write/blank.h"

#include <string.h>

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

/* Write the skeleton. */
csp_error csp_blank_write(const csp_template *tpl, const char *agency,
                          csp_period period, FILE *out)
{
    const csp_agency *ag = csp_template_agency(tpl, agency);
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
    fputs("     Replace each status=\"missing\" with value=\"...\" (an exact "
          "number: no\n"
          "     commas, no % sign), or keep \"missing\" and say why in the "
          "text.\n"
          "     Set submitted to the date and time you send the file; a "
          "later\n"
          "     submission replaces the figures it repeats.\n"
          "     Check it before sending: csppack validate FILE -->\n",
          out);
    fputs("<submission xmlns=\"urn:csppack:submission:1\"\n            strategy=\"",
          out);
    put_escaped(out, tpl->id);
    fputs("\"\n            agency=\"", out);
    put_escaped(out, ag->id);
    fprintf(out, "\"\n            submitted=\"%sT09:00:00Z\">\n", sub);
    fputs("  <submitter name=\"Your name\" email=\"you@example.org\"/>\n", out);

    fputs("  <observations>\n", out);
    size_t nobs = 0;
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        if (ind->rule != CSP_RULE_NONE)
            continue;
        for (size_t a = 0; a < tpl->nareas; a++) {
            const char *owner = csp_indicator_owner(ind, tpl->areas[a].id);
            if (!owner || strcmp(owner, agency) != 0)
                continue;
            fputs("    <!-- ", out);
            put_comment_text(out, ind->name);
            fprintf(out, " (%s), ", csp_unit_str(ind->unit));
            put_comment_text(out, tpl->areas[a].name);
            fputs(" -->\n    <obs indicator=\"", out);
            put_escaped(out, ind->id);
            fputs("\" area=\"", out);
            put_escaped(out, tpl->areas[a].id);
            fprintf(out, "\" period=\"%s\"\n         status=\"missing\">Not "
                         "yet available.</obs>\n",
                    pbuf);
            nobs++;
        }
    }
    if (nobs == 0)
        fputs("    <!-- The template names this agency as the owner of no "
              "indicator. -->\n",
              out);
    fputs("  </observations>\n", out);

    fputs("  <actions>\n", out);
    size_t nact = 0;
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
            fputs("         Status: not-started, on-track, at-risk, "
                  "off-track or complete.\n",
                  out);
            fputs("    <update ref=\"", out);
            put_escaped(out, a->ref);
            fprintf(out, "\" status=\"on-track\" as-of=\"%s\">What has been "
                         "done.</update>\n    -->\n",
                    asof);
            nact++;
        }
    }
    if (nact == 0)
        fputs("    <!-- No delivery group of this agency coordinates an "
              "action. -->\n",
              out);
    fputs("  </actions>\n", out);
    fputs("  <comment>Anything the coordinator should know.</comment>\n", out);
    fputs("</submission>\n", out);
    return ferror(out) ? CSP_ERR_IO : CSP_OK;
}

/* The quarter (April–March year) that ended last before today. */
csp_period csp_blank_default_period(csp_date today)
{
    int y, m, d;
    csp_date_to_ymd(today, &y, &m, &d);
    /* Quarter starts: Apr, Jul, Oct, Jan.  Find the current quarter's start. */
    int qm = m >= 10 ? 10 : m >= 7 ? 7 : m >= 4 ? 4 : 1;
    csp_date cur_start;
    (void)csp_date_from_ymd(y, qm, 1, &cur_start);
    int py = qm == 1 ? y - 1 : y;
    int pm = qm == 1 ? 10 : qm - 3;
    csp_period p;
    (void)csp_date_from_ymd(py, pm, 1, &p.start);
    p.end = cur_start - 1;
    return p;
}
