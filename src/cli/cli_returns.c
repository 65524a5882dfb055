/* csppack: the chase list on the terminal, after a run's summary. */
#include <stdio.h>
#include <string.h>

#include "csppack/cli/cli.h"
#include "csppack/reconcile/keyfindings.h"

/* "s" when n is not 1. */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* An area's name ("All areas" for the partnership as a whole). */
static const char *area_name(const csp_template *tpl, const char *id)
{
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(tpl, id);
    return a && a->name ? a->name : id;
}

/* What one agency owes and has not sent, on one line. */
static void print_agency(FILE *out, const csp_template *tpl,
                         const csp_returns *r, const csp_agency_returns *a)
{
    const char *name = a->agency->name ? a->agency->name : a->agency->id;
    if (a->sent_nothing) {
        /* Nothing of it arrived: the counts say enough.  An action
         * another agency of its groups updated is not owed. */
        fprintf(out, "  %s: sent nothing (owes ", name);
        if (a->nfigures)
            fprintf(out, "%zu figure%s", a->nfigures, plural(a->nfigures));
        if (a->nactions)
            fprintf(out, "%s%zu action update%s", a->nfigures ? ", " : "",
                    a->nactions, plural(a->nactions));
        fputs(")\n", out);
        return;
    }
    fprintf(out, "  %s: ", name);
    if (a->nfigures) {
        fprintf(out, "%zu figure%s (", a->nfigures, plural(a->nfigures));
        for (size_t i = 0; i < a->nfigures; i++) {
            const csp_owed_figure *f = &a->figures[i];
            fprintf(out, "%s%s, %s", i ? "; " : "",
                    f->indicator->name ? f->indicator->name
                                       : f->indicator->id,
                    area_name(tpl, f->area));
            /* A year-ending figure is owed for another period. */
            if (csp_period_cmp(f->period, r->period) != 0) {
                char label[CSP_LABEL_BUFSZ];
                csp_period_label(f->period, label);
                fprintf(out, ", %s", label);
            }
            if (f->sent_missing)
                fputs(", sent as not yet available", out);
        }
        fputc(')', out);
    }
    if (a->nactions) {
        fprintf(out, "%s%zu action update%s (", a->nfigures ? ", " : "",
                a->nactions, plural(a->nactions));
        for (size_t i = 0; i < a->nactions; i++)
            fprintf(out, "%s%s", i ? ", " : "", a->actions[i].action->ref);
        fputc(')', out);
    }
    fputc('\n', out);
}

/* The chase list: a count line, then one line per agency. */
void cli_print_returns(FILE *out, const csp_dataset *ds, const csp_returns *r)
{
    char label[CSP_LABEL_BUFSZ];
    csp_period_label(r->period, label);
    if (!r->outstanding) {
        fprintf(out, "returns outstanding for %s: none\n", label);
        return;
    }
    fprintf(out, "returns outstanding for %s: %zu agenc%s\n", label,
            r->outstanding, r->outstanding == 1 ? "y" : "ies");
    for (size_t i = 0; i < r->nagencies; i++) {
        const csp_agency_returns *a = &r->agencies[i];
        if (a->nfigures || a->nactions)
            print_agency(out, ds->tpl, r, a);
    }
}
