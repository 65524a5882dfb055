/* csppack: the previous pack, as read back for what changed since it
 * (model/previous.h). */
#include "csppack/model/previous.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

int csp_prev_figure_cmp(const void *pa, const void *pb)
{
    const csp_prev_figure *a = pa, *b = pb;
    int c = strcmp(a->indicator, b->indicator);
    if (!c)
        c = strcmp(a->area, b->area);
    return c ? c : csp_period_cmp(a->period, b->period);
}

/* Put each of the pack's revised figures back as it was before it:
 * in place where the key stood in it, appended where it stood no more. */
static csp_error rewind_figures(csp_previous *p)
{
    size_t extra = 0;
    for (size_t i = 0; i < p->nwas; i++) {
        csp_prev_figure *w = &p->was[i];
        csp_prev_figure *f =
            p->nfigures ? bsearch(w, p->figures, p->nfigures,
                                  sizeof *p->figures, csp_prev_figure_cmp)
                        : NULL;
        if (f) {
            free(f->agency);
            *f = *w;
            w->agency = NULL;
            w->indicator = NULL;   /* moved */
        } else {
            extra++;
        }
    }
    if (extra) {
        csp_prev_figure *q = csp_realloc(
            p->figures, (p->nfigures + extra) * sizeof *q);
        if (!q)
            return CSP_ERR_NOMEM;
        p->figures = q;
        for (size_t i = 0; i < p->nwas; i++)
            if (p->was[i].indicator) {
                p->figures[p->nfigures++] = p->was[i];
                p->was[i].agency = NULL;
            }
        qsort(p->figures, p->nfigures, sizeof *p->figures,
              csp_prev_figure_cmp);
    }
    return CSP_OK;
}

/* Put each changed status back as it was before the pack. */
static void rewind_actions(csp_previous *p)
{
    for (size_t i = 0; i < p->nwas_actions; i++)
        for (size_t k = 0; k < p->nactions; k++)
            if (p->actions[k].ref == p->was_actions[i].ref) {
                p->actions[k] = p->was_actions[i];
                break;
            }
}

csp_error csp_previous_rewind(csp_previous *p, bool *compared)
{
    *compared = p->compared;
    if (!p->compared)
        return CSP_OK;
    csp_error err = rewind_figures(p);
    if (err != CSP_OK)
        return err;
    rewind_actions(p);
    p->has_period = p->compared_has_period;
    p->period = p->compared_period;
    p->has_latest = false;
    /* Rewound once: what it was compared with is now what it is. */
    p->compared = false;
    p->nwas = 0;
    p->nwas_actions = 0;
    return CSP_OK;
}

void csp_previous_clear(csp_previous *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfigures; i++)
        free(p->figures[i].agency);
    for (size_t i = 0; i < p->nwas; i++)
        free(p->was[i].agency);
    for (size_t i = 0; i < p->ninputs; i++)
        free(p->inputs[i]);
    free(p->figures);
    free(p->actions);
    free(p->was);
    free(p->was_actions);
    free(p->inputs);
    free(p->path);
    memset(p, 0, sizeof *p);
}

/* Free the previous pack and what it owns; its ids are the template's. */
void csp_previous_free(csp_previous *p)
{
    csp_previous_clear(p);
    free(p);
}
