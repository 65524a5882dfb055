/* csppack: the workbook's Indicators sheet (sheets.h). */
#include "csppack/write/workbook/sheets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"

/* One row of the Indicators sheet. */
typedef struct ind_row {
    size_t theme;              /* index, or SIZE_MAX: "Other indicators" */
    size_t ind;                /* index into tpl->indicators */
    const char *area;          /* area id or "all" */
} ind_row;

/* Periods in ascending order, for qsort. */
static int period_qcmp(const void *a, const void *b)
{
    return csp_period_cmp(*(const csp_period *)a, *(const csp_period *)b);
}

/* Every distinct period of the dataset's figures, ascending. */
static csp_period *all_periods(csp_wb_ctx *c, size_t *n)
{
    const csp_dataset *ds = c->ds;
    csp_period *p = csp_malloc((ds->nfigures ? ds->nfigures : 1) * sizeof *p);
    if (!p) {
        csp_wb_nomem(c);
        return NULL;
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        p[i] = ds->figures[i].period;
    qsort(p, ds->nfigures, sizeof *p, period_qcmp);
    size_t k = 0;
    for (size_t i = 0; i < ds->nfigures; i++)
        if (k == 0 || csp_period_cmp(p[k - 1], p[i]) != 0)
            p[k++] = p[i];
    *n = k;
    return p;
}

/* The rows: each theme's measures, then the other indicators that have
 * figures; each in every top-level area of the template, in each area
 * inside one where it has figures, and "all" where it has figures. */
static ind_row *indicator_rows(csp_wb_ctx *c, size_t *nrows)
{
    const csp_template *tpl = c->tpl;
    const csp_dataset *ds = c->ds;
    size_t ni = tpl->nindicators;
    bool *has = csp_calloc(ni ? ni : 1, sizeof *has);
    bool *has_all = csp_calloc(ni ? ni : 1, sizeof *has_all);
    bool *measure = csp_calloc(ni ? ni : 1, sizeof *measure);
    size_t cap = 0;
    for (size_t t = 0; t < tpl->nthemes; t++)
        cap += tpl->themes[t].nmeasures;
    cap = (cap + ni) * (tpl->nareas + 1) + 1;
    ind_row *rows = csp_malloc(cap * sizeof *rows);
    size_t n = 0;
    if (!has || !has_all || !measure || !rows) {
        free(rows);
        rows = NULL;
        csp_wb_nomem(c);
        goto out;
    }
    for (size_t i = 0; i < ds->nfigures; i++) {
        size_t k = ds->figures[i].indicator_index;
        if (k >= ni)
            continue;
        has[k] = true;
        if (strcmp(ds->figures[i].area, CSP_AREA_ALL) == 0)
            has_all[k] = true;
    }
    for (size_t t = 0; t <= tpl->nthemes; t++) {
        size_t count = t < tpl->nthemes ? tpl->themes[t].nmeasures : ni;
        for (size_t m = 0; m < count; m++) {
            size_t k;
            if (t < tpl->nthemes) {
                const csp_indicator *ind =
                    csp_template_indicator(tpl, tpl->themes[t].measures[m]);
                if (!ind)
                    continue;
                k = (size_t)(ind - tpl->indicators);
                measure[k] = true;
            } else {
                k = m;
                if (measure[k] || !has[k])
                    continue;
            }
            for (size_t a = 0; a < tpl->nareas; a++) {
                /* A ward (an area inside another) only where it has
                 * figures: most measures are sent by district. */
                size_t first = 0, nf = 0;
                if (tpl->areas[a].depth > 0)
                    csp_dataset_series(ds, tpl->indicators[k].id,
                                       tpl->areas[a].id, &first, &nf);
                if (tpl->areas[a].depth > 0 && nf == 0)
                    continue;
                rows[n++] = (ind_row){t < tpl->nthemes ? t : SIZE_MAX, k,
                                      tpl->areas[a].id};
            }
            if (has_all[k])
                rows[n++] = (ind_row){t < tpl->nthemes ? t : SIZE_MAX, k,
                                      CSP_AREA_ALL};
        }
    }
out:
    free(has);
    free(has_all);
    free(measure);
    *nrows = n;
    return rows;
}

/* What "†" means, where a sheet lists too many figures for one line
 * per figure csppack worked out. */
#define ORIGIN_LEGEND                                                          \
    CSP_KF_ORIGIN_MARK " worked out by csppack from the partnership's "       \
                       "figures under the strategy's rule (where it "         \
                       "replaced a partner's figure, the Discrepancies "      \
                       "sheet says what the partner sent)"

/* What the mark columns are about. */
#define MARKS_INTRO                                                            \
    "Rating, Direction and Comparator judge the latest figure up to the "     \
    "board pack's period (see About); Revised: a figure of the row "          \
    "changed since the previous board pack."

/* The Indicators sheet(s): a column per period; when there are more
 * periods than Excel has columns, the later ones continue on the next
 * sheet, with the same rows. */
void csp_wb_sheet_indicators(csp_wb_ctx *c)
{
    char unit[CSP_WB_UNIT_BUFSZ];
    /* Theme, Indicator, Area, Unit, then the marks (Rating, Direction,
     * Comparator, Comparator period, Revised); the periods; Indicator
     * id. */
    enum { MARKS = 4, FIXED_LEFT = 9, FIXED = 10 };
    const csp_template *tpl = c->tpl;
    size_t nper = 0, nrows = 0;
    csp_period *per = all_periods(c, &nper);
    ind_row *rows = per ? indicator_rows(c, &nrows) : NULL;
    char (*labels)[CSP_LABEL_BUFSZ] =
        rows ? csp_malloc((nper ? nper : 1) * sizeof *labels) : NULL;
    size_t chunk = (size_t)LXW_COL_MAX - FIXED;
    csp_wb_col *cols =
        labels ? csp_malloc((chunk + FIXED) * sizeof *cols) : NULL;
    char **themes = cols ? csp_calloc(tpl->nthemes + 1, sizeof *themes) : NULL;
    csp_wb_tab t = {.c = c,
                    .sheet = "Indicators",
                    .table_name = "Indicators",
                    .title = csp_template_label(tpl, CSP_LABEL_SHEET_MEASURES),
                    /* Bounded by the template's measures, but a column per
                     * period: a long history streams, without comments. */
                    .stream = c->ds->nfigures > c->max_comments};
    c->no_figure_comments = t.stream;
    if (!themes) {
        if (rows)
            csp_wb_nomem(c);
        goto out;
    }
    for (size_t p = 0; p < nper; p++)
        csp_period_label(per[p], labels[p]);
    for (size_t i = 0; i < tpl->nthemes; i++) {
        size_t len = strlen(tpl->themes[i].title) + 16;
        if (!(themes[i] = csp_malloc(len))) {
            csp_wb_nomem(c);
            goto out;
        }
        snprintf(themes[i], len, "%u. %s", tpl->themes[i].number,
                 tpl->themes[i].title);
    }
    size_t nchunks = nper ? (nper + chunk - 1) / chunk : 1;
    for (size_t ch = 0; ch < nchunks && !c->err; ch++) {
        size_t p0 = ch * chunk;
        size_t pn = nper - p0 < chunk ? nper - p0 : chunk;
        if (nper == 0)
            pn = 0;
        cols[0] = (csp_wb_col){csp_template_label(tpl, CSP_LABEL_THEME_KICKER),
                               10, 40, false};
        cols[1] = (csp_wb_col){"Indicator", 20, 60, false};
        cols[2] = (csp_wb_col){"Area", 8, 24, false};
        cols[3] = (csp_wb_col){"Unit", 6, 14, false};
        cols[MARKS] = (csp_wb_col){"Rating", 8, 8, false};
        cols[MARKS + 1] = (csp_wb_col){"Direction", 10, 16, false};
        cols[MARKS + 2] = (csp_wb_col){"Comparator", 10, 12, false};
        cols[MARKS + 3] = (csp_wb_col){"Comparator period", 10, 16, false};
        cols[MARKS + 4] = (csp_wb_col){"Revised", 8, 9, false};
        for (size_t p = 0; p < pn; p++)
            cols[FIXED_LEFT + p] = (csp_wb_col){labels[p0 + p], 6, 40, false};
        cols[FIXED_LEFT + pn] = (csp_wb_col){"Indicator id", 10, 40, true};
        if (c->no_figure_comments)
            t.intro =
                ch == 0 ? "One row per measure and area, a column per "
                          "period. " MARKS_INTRO " Marks: p provisional, e estimated, "
                          "\xe2\x80\x93 missing, disputed: partners' "
                          "figures disagree (see Discrepancies), " ORIGIN_LEGEND
                          "; blank: "
                          "nothing stands. There are too many figures "
                          "for a comment on each: their sources and notes "
                          "are in the pack's observations.csv and "
                          "dataset.xml."
                        : "Later periods, continued from the previous "
                          "sheet; the same rows.";
        else
            t.intro = ch == 0
                          ? "One row per measure and area, a column per "
                            "period. " MARKS_INTRO " Marks: p provisional, e estimated, "
                            "\xe2\x80\x93 missing, disputed: partners' "
                            "figures disagree (see Discrepancies), "
                            ORIGIN_LEGEND "; blank "
                            "with a comment: nothing stands. Point at a "
                            "figure (its comment) for its note and source."
                          : "Later periods, continued from the previous "
                            "sheet; the same rows. Point at a figure for its "
                            "source.";
        if (!csp_wb_tab_columns(&t, cols, FIXED + pn))
            break;
        for (size_t i = 0; i < nrows && !c->err; i++) {
            const ind_row *ir = &rows[i];
            const csp_indicator *ind = &tpl->indicators[ir->ind];
            if (!csp_wb_tab_row(&t))
                break;
            csp_wb_tab_text(&t, 0,
                            ir->theme == SIZE_MAX ? "Other indicators"
                                                  : themes[ir->theme],
                            c->wrap);
            csp_wb_tab_text(&t, 1, ind->name, c->wrap);
            csp_wb_tab_text(&t, 2, csp_wb_area_name(c, ir->area), c->text);
            csp_wb_tab_text(&t, 3, csp_wb_unit_words(ind, unit), c->wrap);
            csp_wb_tab_text(&t, (lxw_col_t)(FIXED_LEFT + pn), ind->id, c->text);
            size_t first, count;
            csp_dataset_series(c->ds, ind->id, ir->area, &first, &count);
            csp_wb_tab_marks(&t, MARKS, csp_wb_marked_figure(c, first, count),
                             false);
            /* By key, not by figure: a key whose figure is gone (every
             * claim withdrawn) was revised too. */
            bool revised = false;
            for (size_t k = 0; k < c->ds->nrevisions && !revised; k++) {
                const csp_revision *rv = &c->ds->revisions[k];
                revised = strcmp(rv->indicator, ind->id) == 0 &&
                          strcmp(rv->area, ir->area) == 0;
            }
            csp_wb_tab_text(&t, MARKS + 4, revised ? "yes" : "no", c->center);
            for (size_t k = 0; k < count && !c->err; k++) {
                const csp_figure *f = &c->ds->figures[first + k];
                const csp_period *hit =
                    pn ? bsearch(&f->period, per + p0, pn, sizeof *per,
                                 period_qcmp)
                       : NULL;
                if (!hit)
                    continue;
                lxw_col_t col = (lxw_col_t)(FIXED_LEFT + (hit - (per + p0)));
                csp_wb_tab_width(
                    &t, col, csp_wb_put_figure(c, t.ws, t.row, col, f, NULL));
            }
        }
        csp_wb_tab_end(&t);
    }
out:
    c->no_figure_comments = false;
    csp_wb_tab_free(&t);
    if (themes)
        for (size_t i = 0; i < tpl->nthemes; i++)
            free(themes[i]);
    free(themes);
    free(cols);
    free(labels);
    free(rows);
    free(per);
}
