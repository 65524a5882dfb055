/* csppack: the PDF strategy document and its own sections. */
#include "csppack/write/pdf/report_parts.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/table.h"

/* The foreword and its signatories. */
static void foreword(csp_rep *r)
{
    const csp_template *tpl = r->tpl;
    csp_layout *L = r->L;
    if (!tpl->foreword.title && tpl->foreword.nblocks == 0)
        return;
    csp_rep_part_page(r);
    csp_rep_section(r, &tpl->foreword, 0, CSP_TOC_YES, NULL);
    if (tpl->nsignatories == 0)
        return;
    csp_text_style name = {CSP_FACE_BOLD, 9.5, 13, {0.13f, 0.13f, 0.13f}};
    csp_text_style role = csp_style_body;
    role.colour = grey_text;
    double x = csp_layout_left(L), w = csp_layout_width(L);
    double colw = w / 2;
    for (size_t i = 0; i < tpl->nsignatories; i += 2) {
        csp_layout_need(L, 58);
        double y = csp_layout_y(L) - 22;
        for (size_t k = 0; k < 2 && i + k < tpl->nsignatories; k++) {
            const csp_signatory *s = &tpl->signatories[i + k];
            double cx = x + colw * (double)k;
            csp_layout_line(L, &grey_text, 0.5, cx, y + 12, cx + colw - 24,
                            y + 12);
            double nh =
                csp_rep_text_box(r, &name, cx, y + 9.5, colw - 24, s->name);
            if (s->role)
                csp_rep_text_box(r, &role, cx, y + 9.5 - nh, colw - 24,
                                 s->role);
            csp_rep_rec_para(r, CSP_DOC_STRONG, s->name);
            csp_rep_rec_para(r, CSP_DOC_BODY, s->role);
        }
        csp_layout_set_y(L, y - 36);
    }
}

/* ---- Priorities -----------------------------------------------------------
 */

/* How the strategic-assessment priorities feed the themes. */
static void priority_matrix(csp_rep *r)
{
    const csp_template *tpl = r->tpl;
    if (tpl->npriorities == 0 || tpl->nthemes == 0)
        return;
    size_t ncols = tpl->nthemes + 1;
    csp_table_col *cols = csp_calloc(ncols, sizeof *cols);
    char **titles = csp_calloc(ncols, sizeof *titles);
    csp_table_cell *cells = csp_calloc(ncols, sizeof *cells);
    if (!cols || !titles || !cells) {
        r->err = CSP_ERR_NOMEM;
        goto out;
    }
    cols[0] = (csp_table_col)COL(csp_template_label(tpl, CSP_LABEL_PRIORITY),
                                 1.5, false, CSP_ALIGN_LEFT);
    for (size_t t = 0; t < tpl->nthemes; t++) {
        titles[t] = csp_rep_fmt(r, "%u. %s", tpl->themes[t].number,
                                tpl->themes[t].title);
        if (!titles[t])
            goto out;
        cols[t + 1] = (csp_table_col)COL(titles[t], 1, false, CSP_ALIGN_CENTRE);
    }
    csp_layout_skip(r->L, 4);
    csp_table *tb = csp_table_begin(
        r->L, csp_template_label(tpl, CSP_LABEL_PRIORITY_MATRIX), cols, ncols,
        NULL);
    csp_table_row_headers(tb, true);
    for (size_t p = 0; p < tpl->npriorities && tb; p++) {
        const csp_priority *pr = &tpl->priorities[p];
        memset(cells, 0, ncols * sizeof *cells);
        char *since = NULL;
        cells[0].text = pr->name;
        if (pr->since > tpl->first_year) {
            char y[16];
            csp_template_year_label(tpl, pr->since, y);
            since = csp_rep_fmt(r, "from %s", y);
            cells[0].note = since;
        }
        for (size_t t = 0; t < tpl->nthemes; t++) {
            const csp_theme *th = &tpl->themes[t];
            for (size_t i = 0; i < th->npriorities; i++)
                if (strcmp(th->priorities[i], pr->id) == 0) {
                    cells[t + 1].mark = CSP_MARK_TICK;
                    cells[t + 1].mark_colour = csp_rep_theme_colour(r, t);
                    cells[t + 1].text = "Yes";
                    cells[t + 1].colour = csp_rep_theme_colour(r, t);
                }
        }
        csp_table_row(tb, cells, false);
        free(since);
    }
    csp_table_end(tb);
out:
    if (titles)
        for (size_t t = 0; t < ncols; t++)
            free(titles[t]);
    free(titles);
    free(cols);
    free(cells);
}

/* ---- Themes ---------------------------------------------------------------
 */

/* A coloured band that opens a theme section. */
static void theme_banner(csp_rep *r, size_t i, const char *kicker)
{
    csp_layout *L = r->L;
    const csp_theme *th = &r->tpl->themes[i];
    const csp_rgb *c = csp_rep_theme_colour(r, i);
    char *title = csp_rep_theme_title(r, i);
    if (!title)
        return;
    /* The running header names the theme by its short title, numbered
     * as its title is. */
    char *hname = th->short_title
                      ? csp_rep_fmt(r, "%u. %s", th->number, th->short_title)
                      : NULL;
    csp_layout_header_name(L, hname);
    free(hname);
    csp_layout_mark(L, 0, title, CSP_TOC_YES);
    csp_text_style big = {CSP_FACE_BOLD, 17, 21, white};
    csp_text_style k = {CSP_FACE_BOLD, 8.5, 11, csp_rgb_tint(*c, 0.7f)};
    double x = csp_layout_left(L), w = csp_layout_width(L);
    /* Measure the title's lines to size the band. */
    double top = csp_layout_y(L);
    double h = 30 + csp_layout_text_height(L, &big, w - 28, th->title) + 8;
    csp_layout_fill_rect(L, c, x, top - h, w, h);
    char *kick = csp_rep_fmt(r, "%s %u", kicker, th->number);
    if (kick) {
        csp_layout_text_at(L, &k, x + 14, top - 20, kick);
        /* The bookmark's heading says the title; the kicker leads it. */
        csp_rep_rec_para(r, CSP_DOC_LEAD, kick);
        free(kick);
    }
    csp_rep_text_box(r, &big, x + 14, top - 26, w - 28, th->title);
    csp_layout_set_y(L, top - h - 14);
    free(title);
}

/* The height a theme chapter needs at its start: its banner (two lines
 * of title), its first heading and three lines. */
#define THEME_BANNER_KEEP (30 + 2 * 21 + 8 + 14 + 30 + 3 * 13.5)
/* True when key delivery group g is listed with the one before it: the
 * strategy names both in one item, which their common label says. */
static bool same_group_item(const csp_template *tpl, const csp_theme *th,
                            size_t g)
{
    return g > 0 && th->group_labels && th->group_labels[g] &&
           th->group_labels[g - 1] &&
           strcmp(csp_template_group_label(tpl, th, g),
                  csp_template_group_label(tpl, th, g - 1)) == 0;
}

/* One theme's section of the strategy. */
static void theme_section(csp_rep *r, size_t i)
{
    csp_layout *L = r->L;
    const csp_theme *th = &r->tpl->themes[i];
    const csp_rgb *c = csp_rep_theme_colour(r, i);
    /* The banner, the first heading and three lines of its text. */
    csp_rep_chapter_page(r, THEME_BANNER_KEEP);
    theme_banner(r, i, csp_template_label(r->tpl, CSP_LABEL_THEME_KICKER));
    csp_rep_heading_kept(r, 1,
                         th->why.title
                             ? th->why.title
                             : csp_template_label(r->tpl, CSP_LABEL_WHY),
                         th->why.blocks, th->why.nblocks, c, CSP_TOC_YES);
    csp_rep_blocks(r, th->why.blocks, th->why.nblocks, 0, c);
    if (th->challenges.nblocks > 0) {
        csp_rep_heading_kept(
            r, 1,
            th->challenges.title
                ? th->challenges.title
                : csp_template_label(r->tpl, CSP_LABEL_CHALLENGES),
            th->challenges.blocks, th->challenges.nblocks, c, CSP_TOC_YES);
        csp_rep_blocks(r, th->challenges.blocks, th->challenges.nblocks, 0, c);
    }
    /* The delivery groups end the chapter, kept with their heading and
     * with the measures' last rows. */
    const char *groups = csp_template_label(r->tpl, CSP_LABEL_DELIVERY_GROUPS);
    double gh = csp_layout_heading_height(L, 1, groups);
    for (size_t g = 0; g < th->ngroups; g++)
        if (!same_group_item(r->tpl, th, g))
            gh += csp_layout_bullet_height(
                L, 0, csp_template_group_label(r->tpl, th, g));
    csp_rep_measures_table(r, i, NULL, gh);
    csp_layout_need(L, gh - 2.5); /* the last item's space may go */
    csp_layout_heading(L, 1, groups, c, CSP_TOC_YES);
    for (size_t g = 0; g < th->ngroups; g++)
        if (!same_group_item(r->tpl, th, g))
            csp_layout_bullet(L, 0, csp_template_group_label(r->tpl, th, g));
}

/* ---- Key contacts
 * --------------------------------------------------------------- */

/* One contact block's lines (borrowed or owned in *owned). */
static size_t contact_lines(csp_rep *r, const csp_agency *a, const char **lines,
                            size_t max, char **owned)
{
    size_t n = 0;
    *owned = NULL;
    for (size_t i = 0; i < a->contact.nlines && n < max; i++)
        lines[n++] = a->contact.lines[i];
    if (a->contact.phone && n < max) {
        *owned = csp_rep_fmt(r, "Tel. %s", a->contact.phone);
        if (*owned)
            lines[n++] = *owned;
    }
    if (a->contact.web && n < max)
        lines[n++] = a->contact.web;
    if (a->contact.email && n < max)
        lines[n++] = a->contact.email;
    return n;
}

/* Key contacts, two blocks a row. */
static void key_contacts(csp_rep *r)
{
    const csp_template *tpl = r->tpl;
    csp_layout *L = r->L;
    if (tpl->ncontacts == 0)
        return;
    csp_rep_chapter_page(r, 120);
    csp_layout_heading(L, 0, csp_template_label(tpl, CSP_LABEL_KEY_CONTACTS),
                       NULL, CSP_TOC_YES);
    csp_text_style head = {CSP_FACE_BOLD, 9.5, 13, r->accent};
    csp_text_style body = csp_style_body;
    body.leading = 12.5;
    double x = csp_layout_left(L), w = csp_layout_width(L);
    double gap = 24, colw = (w - gap) / 2, tw = colw - 10;
    for (size_t i = 0; i < tpl->ncontacts && !r->err; i += 2) {
        const csp_agency *ag[2] = {NULL, NULL};
        const char *lines[2][24];
        char *owned[2] = {NULL, NULL};
        size_t nl[2] = {0, 0};
        double bh[2] = {0, 0};
        for (size_t k = 0; k < 2 && i + k < tpl->ncontacts; k++) {
            ag[k] = csp_template_agency(tpl, tpl->contacts[i + k]);
            if (!ag[k])
                continue;
            nl[k] = contact_lines(r, ag[k], lines[k], 24, &owned[k]);
            const char *h =
                ag[k]->contact_name ? ag[k]->contact_name : ag[k]->name;
            bh[k] = csp_layout_text_height(L, &head, tw, h);
            for (size_t j = 0; j < nl[k]; j++)
                bh[k] += csp_layout_text_height(L, &body, tw, lines[k][j]);
        }
        double row = (bh[0] > bh[1] ? bh[0] : bh[1]) + 18;
        csp_layout_need(L, row);
        double top = csp_layout_y(L);
        for (size_t k = 0; k < 2; k++) {
            if (!ag[k])
                continue;
            double cx = x + (colw + gap) * (double)k;
            csp_layout_fill_rect(L, &r->accent, cx, top - bh[k] - 2, 2.2,
                                 bh[k]);
            const char *h =
                ag[k]->contact_name ? ag[k]->contact_name : ag[k]->name;
            double y = top - 2;
            y -= csp_rep_text_box(r, &head, cx + 10, y, tw, h);
            csp_rep_rec_heading(r, 1, h, false);
            for (size_t j = 0; j < nl[k]; j++) {
                y -= csp_rep_text_box(r, &body, cx + 10, y, tw, lines[k][j]);
                csp_rep_rec_para(r, CSP_DOC_BODY, lines[k][j]);
            }
        }
        free(owned[0]);
        free(owned[1]);
        csp_layout_set_y(L, top - row);
    }
}

/* ---- The document ------------------------------------------------------ */

/* Top-level section @p i: "partnership" and "delivering" follow the
 * part before them after a gap (a page of their own only if they do not
 * fit), as format 1 printed them; every other section starts a page. */
static void section_part(csp_rep *r, size_t i)
{
    const csp_section *s = &r->tpl->sections[i];
    bool follows = s->id && (strcmp(s->id, "partnership") == 0 ||
                             strcmp(s->id, "delivering") == 0);
    if (follows)
        csp_rep_named_section(r, s->id, false);
    else {
        csp_rep_chapter_page(r, csp_rep_section_keep(r, s));
        csp_rep_section(r, s, 0, CSP_TOC_YES, NULL);
    }
}

/* The strategy document: the cover, then the template's order
 * (tpl->order: its sections and the generated parts). */
void csp_rep_strategy_doc(csp_rep *r)
{
    const csp_template *tpl = r->tpl;
    csp_rep_cover(r);
    for (size_t k = 0; k < tpl->norder && !r->err; k++) {
        const csp_place *p = &tpl->order[k];
        switch (p->part) {
        case CSP_PART_SECTION:
            if (p->section < tpl->nsections)
                section_part(r, p->section);
            break;
        case CSP_PART_FOREWORD:
            foreword(r);
            break;
        case CSP_PART_KEY_FINDINGS:
            /* Its heading, intro and the first area's table. */
            csp_rep_chapter_page(r, 200);
            csp_rep_key_findings(r, true, false);
            break;
        case CSP_PART_PRIORITY_MATRIX:
            priority_matrix(r);
            break;
        case CSP_PART_THEMES:
            for (size_t i = 0; i < tpl->nthemes && !r->err; i++)
                theme_section(r, i);
            break;
        case CSP_PART_ACTION_PLAN:
            csp_rep_action_plan(r, false);
            break;
        case CSP_PART_DATA_QUALITY:
            csp_rep_data_quality(r);
            break;
        case CSP_PART_KEY_CONTACTS:
            key_contacts(r);
            break;
        }
    }
}
