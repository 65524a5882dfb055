/*
 * csppack: the template's DOM turned into the model: narrative, themes
 * and actions, key findings, foreword, key contacts, and the root
 * (read/template_parse.h).
 */
#include "csppack/read/template_parse.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/read/template_decls.h"
#include "csppack/read/template_diagram.h"
#include "csppack/read/template_inline.h"
#include "csppack/read/template_judge.h"
#include "csppack/read/template_labels.h"
#include "csppack/read/xmlsafe.h"

static csp_error read_list(csp_tpl_reader *r, xmlNodePtr node, csp_block *b);

/* True for the elements that are narrative blocks. */
static bool is_block(xmlNodePtr node)
{
    return csp_xml_is(node, CSP_SCHEMA_STRATEGY, "p") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "h") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ul") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ol") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "diagram");
}

/* True for a list, bulleted (<ul>) or numbered (<ol>). */
static bool is_list(xmlNodePtr node)
{
    return csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ul") ||
           csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ol");
}

/* A list item: its own text, and its nested list as the only child. */
static csp_error read_item(csp_tpl_reader *r, xmlNodePtr node, csp_block *b)
{
    csp_error err = CSP_OK;

    b->kind = CSP_BLOCK_ITEM;
    err = csp_tpl_get_own_text(node, r->text_cap, &b->text);
    if (err)
        goto out;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!is_list(c))
            continue;
        /* The XSD allows one nested list per item. */
        b->children = csp_tpl_calloc_n(1, sizeof *b->children);
        if (!b->children) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
        b->nchildren = 1;
        err = read_list(r, c, &b->children[0]);
        goto out;
    }
out:
    return err;
}

/* A bullet list: its items are the children. */
static csp_error read_list(csp_tpl_reader *r, xmlNodePtr node, csp_block *b)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    b->kind = CSP_BLOCK_LIST;
    b->text = NULL;
    b->nchildren = csp_tpl_count_children(node, "li");
    b->children = csp_tpl_calloc_n(b->nchildren, sizeof *b->children);
    if (b->nchildren && !b->children) {
        b->nchildren = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "li"))
            continue;
        err = read_item(r, c, &b->children[i]);
        if (err)
            goto out;
        /* An <ol>'s items carry their numbers. */
        if (csp_xml_is(node, CSP_SCHEMA_STRATEGY, "ol"))
            b->children[i].number = (unsigned)(i + 1);
        i++;
    }
out:
    return err;
}

/* The p, h and ul children of @p node, in order. */
static csp_error read_blocks(csp_tpl_reader *r, xmlNodePtr node,
                             csp_block **out, size_t *n)
{
    csp_error err = CSP_OK;
    size_t count = 0, i = 0;

    for (xmlNodePtr c = node->children; c; c = c->next)
        if (is_block(c))
            count++;
    *out = csp_tpl_calloc_n(count, sizeof **out);
    if (count && !*out) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    *n = count;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!is_block(c))
            continue;
        csp_block *b = &(*out)[i++];
        if (is_list(c)) {
            err = read_list(r, c, b);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "diagram")) {
            b->kind = CSP_BLOCK_DIAGRAM;
            err = csp_tpl_read_diagram(r, c, &b->diagram);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "p")) {
            err = csp_tpl_read_para(c, r->text_cap, b);
        } else {
            b->kind = CSP_BLOCK_HEADING;
            err = csp_tpl_get_text(c, &b->text);
        }
        if (err)
            goto out;
    }
out:
    return err;
}

/* A narrative section: id (top level only), title, blocks, sub-sections. */
static csp_error read_section(csp_tpl_reader *r, xmlNodePtr node,
                              csp_section *s, bool top, size_t pos)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    if (top) {
        err = csp_tpl_get_attr(node, "id", true, &s->id);
        if (err)
            goto out;
        err = csp_tpl_declare(r, CSP_TPL_SECTION, s->id, pos,
                              csp_tpl_node_line(node));
        if (err)
            goto out;
    }
    err = csp_tpl_get_attr(node, "title", true, &s->title);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "short-title", false, &s->short_title);
    if (err)
        goto out;
    err = read_blocks(r, node, &s->blocks, &s->nblocks);
    if (err)
        goto out;
    s->nsubsections = csp_tpl_count_children(node, "section");
    s->subsections = csp_tpl_calloc_n(s->nsubsections, sizeof *s->subsections);
    if (s->nsubsections && !s->subsections) {
        s->nsubsections = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "section"))
            continue;
        err = read_section(r, c, &s->subsections[i++], false, 0);
        if (err)
            goto out;
    }
out:
    return err;
}

/* A theme's why or challenges: blocks under a heading (a default one). */
static csp_error read_titled(csp_tpl_reader *r, xmlNodePtr node,
                             const char *default_title, csp_section *s)
{
    csp_error err = CSP_OK;

    if (node) {
        err = csp_tpl_get_attr(node, "title", false, &s->title);
        if (err)
            goto out;
        err = read_blocks(r, node, &s->blocks, &s->nblocks);
        if (err)
            goto out;
    }
    if (!s->title) {
        s->title = csp_strdup(default_title);
        if (!s->title)
            err = CSP_ERR_NOMEM;
    }
out:
    return err;
}

/* One <action> of theme @p theme; @p pos counts actions over all themes. */
static csp_error read_action(csp_tpl_reader *r, xmlNodePtr node, csp_action *a,
                             size_t theme, size_t pos)
{
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);
    size_t i;

    a->theme = theme;
    err = csp_tpl_get_attr(node, "ref", true, &a->ref);
    if (err)
        goto out;
    err = csp_tpl_declare(r, CSP_TPL_ACTION, a->ref, pos, line);
    if (err)
        goto out;
    err = csp_tpl_get_text(node, &a->text);
    if (err)
        goto out;
    err = csp_tpl_get_ids(node, "groups", &a->groups, &a->ngroups);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "groups-label", false, &a->groups_label);
    if (err)
        goto out;
    err = csp_tpl_get_ids(node, "priorities", &a->priorities, &a->npriorities);
    if (err)
        goto out;
    err =
        csp_tpl_get_attr(node, "priorities-label", false, &a->priorities_label);
    if (err)
        goto out;
    for (i = 0; i < a->ngroups; i++) {
        err = csp_tpl_refer(r, CSP_TPL_R_ACTION_GROUP, a->ref, a->groups[i],
                            line, NULL);
        if (err)
            goto out;
    }
    for (i = 0; i < a->npriorities; i++) {
        err = csp_tpl_refer(r, CSP_TPL_R_ACTION_PRIORITY, a->ref,
                            a->priorities[i], line, NULL);
        if (err)
            goto out;
    }
out:
    return err;
}

/* Read the id references of <measures> or <key-delivery-groups>. */
static csp_error read_id_children(csp_tpl_reader *r, xmlNodePtr node,
                                  const char *child, const char *attr,
                                  csp_tpl_role role, const char *subject,
                                  char ***out, size_t *n)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    *n = csp_tpl_count_children(node, child);
    *out = csp_tpl_calloc_n(*n, sizeof **out);
    if (*n && !*out) {
        *n = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, child))
            continue;
        err = csp_tpl_get_attr(c, attr, true, &(*out)[i]);
        if (err)
            goto out;
        err = csp_tpl_refer(r, role, subject, (*out)[i], csp_tpl_node_line(c),
                            NULL);
        if (err)
            goto out;
        i++;
    }
out:
    return err;
}

/* The optional label="" of each @p child of @p node (n of them): NULL
 * entries where there is none, *out NULL when none has one. */
static csp_error read_child_labels(xmlNodePtr node, const char *child,
                                   size_t n, char ***out)
{
    csp_error err = CSP_OK;
    size_t i = 0;

    *out = NULL;
    for (xmlNodePtr c = node->children; c && i < n; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, child))
            continue;
        char *label = NULL;
        err = csp_tpl_get_attr(c, "label", false, &label);
        if (err)
            goto out;
        if (label && !*out) {
            *out = csp_tpl_calloc_n(n, sizeof **out);
            if (!*out) {
                free(label);
                err = CSP_ERR_NOMEM;
                goto out;
            }
        }
        if (label)
            (*out)[i] = label;
        i++;
    }
out:
    return err;
}

/* One <theme>; @p first_action is the global index of its first action. */
static csp_error read_theme(csp_tpl_reader *r, xmlNodePtr node, csp_theme *th,
                            size_t pos, size_t first_action)
{
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);
    unsigned long long number = 0;
    xmlNodePtr why = NULL, challenges = NULL;
    size_t i;

    r->theme_lines[pos] = line;
    err = csp_tpl_get_attr(node, "id", true, &th->id);
    if (err)
        goto out;
    err = csp_tpl_declare(r, CSP_TPL_THEME, th->id, pos, line);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "number", true, &r->theme_numbers[pos]);
    if (err)
        goto out;
    /* A number too large for unsigned becomes 0 here; either way it is
     * reported with the rest of the numbering in check_theme_numbers. */
    th->number = csp_tpl_parse_whole(r->theme_numbers[pos], UINT_MAX, &number)
                     ? (unsigned)number
                     : 0;
    err = csp_tpl_get_attr(node, "title", true, &th->title);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "short-title", false, &th->short_title);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "colour", true, &th->colour);
    if (err)
        goto out;
    err =
        csp_tpl_get_ids(node, "priorities", &th->priorities, &th->npriorities);
    if (err)
        goto out;
    for (i = 0; i < th->npriorities; i++) {
        err = csp_tpl_refer(r, CSP_TPL_R_THEME_PRIORITY, th->id,
                            th->priorities[i], line, NULL);
        if (err)
            goto out;
    }

    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "why")) {
            why = c;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "challenges")) {
            challenges = c;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "measures")) {
            err = read_id_children(r, c, "measure", "indicator",
                                   CSP_TPL_R_MEASURE, th->id, &th->measures,
                                   &th->nmeasures);
            if (!err)
                err = read_child_labels(c, "measure", th->nmeasures,
                                        &th->measure_labels);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-delivery-groups")) {
            err = read_id_children(r, c, "group", "ref", CSP_TPL_R_KEY_GROUP,
                                   th->id, &th->groups, &th->ngroups);
            if (!err)
                err = read_child_labels(c, "group", th->ngroups,
                                        &th->group_labels);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "actions")) {
            th->nactions = csp_tpl_count_children(c, "action");
            th->actions = csp_tpl_calloc_n(th->nactions, sizeof *th->actions);
            if (th->nactions && !th->actions) {
                th->nactions = 0;
                err = CSP_ERR_NOMEM;
                goto out;
            }
            i = 0;
            for (xmlNodePtr a = c->children; a && !err; a = a->next) {
                if (!csp_xml_is(a, CSP_SCHEMA_STRATEGY, "action"))
                    continue;
                err = read_action(r, a, &th->actions[i], pos, first_action + i);
                i++;
            }
        }
        if (err)
            goto out;
    }
    err = read_titled(r, why, csp_template_label(r->tpl, CSP_LABEL_WHY),
                      &th->why);
    if (err)
        goto out;
    err = read_titled(r, challenges,
                      csp_template_label(r->tpl, CSP_LABEL_CHALLENGES),
                      &th->challenges);
out:
    return err;
}

/* <key-findings year=>: the month its years end (3 financial, 12
 * calendar, 1..12 by name); 0 when absent (the month of the latest
 * twelve-month figure). */
static csp_error read_kf_year(xmlNodePtr node, unsigned *month)
{
    static const char *const months[12] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    csp_error err = CSP_OK;
    char *s = NULL;

    *month = 0;
    err = csp_tpl_get_attr(node, "year", false, &s);
    if (err || !s)
        goto out;
    if (strcmp(s, "financial") == 0)
        *month = 3;
    else if (strcmp(s, "calendar") == 0)
        *month = 12;
    for (unsigned m = 0; m < 12 && !*month; m++)
        if (strcmp(s, months[m]) == 0)
            *month = m + 1;
    if (!*month)
        err = CSP_ERR_INTERNAL; /* the XSD allows those words only */
out:
    free(s);
    return err;
}

/* The <key-findings> table. */
static csp_error read_key_findings(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_key_findings *kf = &r->tpl->key_findings;
    char *s = NULL;
    unsigned long long years = 0;
    size_t i = 0;

    err = csp_tpl_get_attr(node, "title", true, &kf->title);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "short-title", false, &kf->short_title);
    if (err)
        goto out;
    err = csp_tpl_get_attr(node, "years", false, &s);
    if (err)
        goto out;
    if (!s) {
        kf->years = 3;
    } else if (csp_tpl_parse_whole(s, UINT_MAX, &years) && years >= 1 &&
               years <= CSP_TEMPLATE_MAX_KF_YEARS) {
        kf->years = (unsigned)years;
    } else if (csp_tpl_parse_whole(s, ULLONG_MAX, &years) && years >= 1) {
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), NULL,
                             "<key-findings> has years=\"%s\"; key-findings "
                             "shows at most %d years",
                             s, CSP_TEMPLATE_MAX_KF_YEARS);
    } else {
        err = csp_tpl_report(r, CSP_D_TPL_VALUE, csp_tpl_node_line(node), NULL,
                             "<key-findings> has years=\"%s\"; write how many "
                             "year-ending periods the table shows, at least 1",
                             s);
    }
    if (!err)
        err = read_kf_year(node, &kf->year_end_month);
    if (err)
        goto out;
    kf->nrows = csp_tpl_count_children(node, "row");
    kf->rows = csp_tpl_calloc_n(kf->nrows, sizeof *kf->rows);
    if (kf->nrows && !kf->rows) {
        kf->nrows = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "intro")) {
            err = read_blocks(r, c, &kf->intro, &kf->nintro);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "outro")) {
            err = read_blocks(r, c, &kf->outro, &kf->noutro);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "row")) {
            csp_kf_row *row = &kf->rows[i++];
            unsigned long line = csp_tpl_node_line(c);
            err = csp_tpl_get_attr(c, "label", true, &row->label);
            if (!err)
                err = csp_tpl_get_attr(c, "indicator", true, &row->indicator);
            if (!err)
                err = csp_tpl_get_attr(c, "rate", false, &row->rate);
            if (!err)
                err = csp_tpl_refer(r, CSP_TPL_R_KF_INDICATOR, row->label,
                                    row->indicator, line, NULL);
            if (!err && row->rate)
                err = csp_tpl_refer(r, CSP_TPL_R_KF_RATE, row->label, row->rate,
                                    line, NULL);
        }
        if (err)
            goto out;
    }
out:
    free(s);
    return err;
}

/* The <foreword>: its blocks and signatories. */
static csp_error read_foreword(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;

    err = csp_tpl_get_attr(node, "title", true, &t->foreword.title);
    if (err)
        goto out;
    err = read_blocks(r, node, &t->foreword.blocks, &t->foreword.nblocks);
    if (err)
        goto out;
    t->nsignatories = csp_tpl_count_children(node, "signatory");
    t->signatories = csp_tpl_calloc_n(t->nsignatories, sizeof *t->signatories);
    if (t->nsignatories && !t->signatories) {
        t->nsignatories = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "signatory"))
            continue;
        err = csp_tpl_get_attr(c, "name", true, &t->signatories[i].name);
        if (!err)
            err = csp_tpl_get_attr(c, "role", false, &t->signatories[i].role);
        i++;
        if (err)
            goto out;
    }
out:
    return err;
}

/* The <key-contacts> list. */
static csp_error read_key_contacts(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;

    t->ncontacts = csp_tpl_count_children(node, "contact");
    t->contacts = csp_tpl_calloc_n(t->ncontacts, sizeof *t->contacts);
    if (t->ncontacts && !t->contacts) {
        t->ncontacts = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "contact"))
            continue;
        err = csp_tpl_get_attr(c, "agency", true, &t->contacts[i]);
        if (err)
            goto out;
        err = csp_tpl_refer(r, CSP_TPL_R_CONTACT, NULL, t->contacts[i],
                            csp_tpl_node_line(c), NULL);
        if (err)
            goto out;
        i++;
    }
out:
    return err;
}

/* Reads one declaration element into @p item, the @p pos'th of its kind. */
typedef csp_error (*tpl_item_reader)(csp_tpl_reader *r, xmlNodePtr node,
                                     void *item, size_t pos);

/*
 * Read every @p child element of @p parent with @p fn into a new array of
 * items of @p size bytes, returned with its length in *n.  The length is
 * set before reading, so when *err is set the half-filled array is
 * returned all the same for csp_template_free to release.
 */
static void *read_all(csp_tpl_reader *r, xmlNodePtr parent, const char *child,
                      size_t size, size_t *n, tpl_item_reader fn,
                      csp_error *err)
{
    size_t count = csp_tpl_count_children(parent, child), i = 0;
    unsigned char *items = csp_tpl_calloc_n(count, size);

    *n = 0;
    *err = CSP_OK;
    if (count && !items) {
        *err = CSP_ERR_NOMEM;
        goto out;
    }
    *n = count;
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, child))
            continue;
        *err = fn(r, c, items + i * size, i);
        i++;
        if (*err)
            goto out;
    }
out:
    return items;
}

/* The <themes>; actions are numbered over all themes for E301. */
static csp_error read_themes(csp_tpl_reader *r, xmlNodePtr node)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t n = csp_tpl_count_children(node, "theme"), i = 0, naction = 0;

    r->theme_lines = csp_tpl_calloc_n(n, sizeof *r->theme_lines);
    r->theme_numbers = csp_tpl_calloc_n(n, sizeof *r->theme_numbers);
    t->themes = csp_tpl_calloc_n(n, sizeof *t->themes);
    if (n && (!r->theme_lines || !r->theme_numbers || !t->themes)) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    r->nthemes = n;
    t->nthemes = n;
    err = csp_tpl_get_attr(node, "action-refs", false, &t->action_refs);
    if (err)
        goto out;
    r->themes_line = csp_tpl_node_line(node);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!csp_xml_is(c, CSP_SCHEMA_STRATEGY, "theme"))
            continue;
        err = read_theme(r, c, &t->themes[i], i, naction);
        if (err)
            goto out;
        naction += t->themes[i].nactions;
        i++;
    }
out:
    return err;
}

/* The words for a strategy year's form, in E305 messages. */
static const char *year_form_words(csp_tpl_year_form form)
{
    return form == CSP_TPL_YEAR_FINANCIAL ? "a financial year"
                                          : "a calendar year";
}

/* The strategy's own attributes and the E305 checks on its years: all
 * written one way ("2016" or "2019/20"), first before last, the refresh
 * between them. */
static csp_error read_root_attrs(csp_tpl_reader *r, xmlNodePtr root)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    unsigned long line = csp_tpl_node_line(root);
    static const char *const names[3] = {"first-year", "last-year",
                                         "refresh-year"};
    int *years[3] = {&t->first_year, &t->last_year, &t->refresh_year};
    csp_tpl_year_form form[3] = {CSP_TPL_YEAR_ABSENT};
    char *text[3] = {NULL, NULL, NULL};
    char a[16], b[16], c[16];
    bool bad = false;

    t->version = 1;
    err = csp_tpl_get_attr(root, "id", true, &t->id);
    for (int i = 0; i < 3 && !err; i++) {
        err = csp_tpl_get_strategy_year(r, root, names[i], i < 2, years[i],
                                        &form[i], &text[i]);
        bad |= form[i] == CSP_TPL_YEAR_BAD;
    }
    if (!err)
        err = csp_tpl_get_attr(root, "lang", false, &t->language);
    if (!err)
        err = csp_tpl_get_attr(root, "marking", false, &t->marking);
    if (!err)
        err = csp_tpl_get_attr(root, "currency", false, &t->currency);
    if (err)
        goto out;
    if (!t->language) {
        t->language = csp_strdup("en-GB");
        if (!t->language) {
            err = CSP_ERR_NOMEM;
            goto out;
        }
    }
    if (bad)
        goto out; /* reported; the checks below would only repeat it */
    t->financial_years = form[0] == CSP_TPL_YEAR_FINANCIAL;
    for (int i = 1; i < 3 && !err; i++) {
        if (form[i] == CSP_TPL_YEAR_ABSENT || form[i] == form[0])
            continue;
        bad = true;
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, NULL,
            "%s \"%s\" is %s but first-year \"%s\" is %s; write all the "
            "strategy's years one way, as 2019 or as 2019/20",
            names[i], text[i], year_form_words(form[i]), text[0],
            year_form_words(form[0]));
    }
    if (err || bad)
        goto out;
    csp_template_year_label(t, t->first_year, a);
    csp_template_year_label(t, t->last_year, b);
    if (t->first_year > t->last_year) {
        err =
            csp_tpl_report(r, CSP_D_TPL_VALUE, line, NULL,
                           "first-year %s is after last-year %s; a strategy's "
                           "first year cannot follow its last",
                           a, b);
    } else if (t->refresh_year && (t->refresh_year < t->first_year ||
                                   t->refresh_year > t->last_year)) {
        csp_template_year_label(t, t->refresh_year, c);
        err = csp_tpl_report(
            r, CSP_D_TPL_VALUE, line, NULL,
            "refresh-year %s is outside the strategy's years %s to "
            "%s; correct it or leave refresh-year out",
            c, a, b);
    }
out:
    for (int i = 0; i < 3; i++)
        free(text[i]);
    return err;
}

/* The generated parts a <place> may position, by csp_part. */
static const char *const part_names[CSP_PART_KEY_CONTACTS + 1] = {
    [CSP_PART_FOREWORD] = "foreword",
    [CSP_PART_KEY_FINDINGS] = "key-findings",
    [CSP_PART_PRIORITY_MATRIX] = "priority-matrix",
    [CSP_PART_THEMES] = "themes",
    [CSP_PART_ACTION_PLAN] = "action-plan",
    [CSP_PART_DATA_QUALITY] = "data-quality",
    [CSP_PART_KEY_CONTACTS] = "key-contacts",
};

/* The <section> and <place> elements in document order, while reading. */
typedef struct tpl_order {
    csp_place *items; /* sections and placed parts */
    size_t n;
    unsigned long line[CSP_PART_KEY_CONTACTS + 1]; /* of each part's first
                                                       <place>; 0: none */
    bool placed[CSP_PART_KEY_CONTACTS + 1];
    bool put[CSP_PART_KEY_CONTACTS + 1]; /* already in tpl->order */
} tpl_order;

/* One <place part="..."/>: appended to the order; a part placed twice is
 * E301, and only its first place counts. */
static csp_error read_place(csp_tpl_reader *r, xmlNodePtr node, tpl_order *o)
{
    csp_error err = CSP_OK;
    unsigned long line = csp_tpl_node_line(node);
    char *name = NULL;
    csp_part part = CSP_PART_SECTION;

    err = csp_tpl_get_attr(node, "part", true, &name);
    if (err)
        goto out;
    for (size_t k = CSP_PART_FOREWORD; k <= CSP_PART_KEY_CONTACTS; k++)
        if (strcmp(name, part_names[k]) == 0)
            part = (csp_part)k;
    if (part == CSP_PART_SECTION) {
        /* The XSD's enumeration lets no other value through. */
        err = CSP_ERR_INTERNAL;
        goto out;
    }
    if (o->placed[part]) {
        err = csp_tpl_report(r, CSP_D_TPL_DUPLICATE_ID, line, NULL,
                             "part \"%s\" is placed twice (first on line "
                             "%lu); remove one <place>",
                             name, o->line[part]);
        goto out;
    }
    o->placed[part] = true;
    o->line[part] = line;
    o->items[o->n++] = (csp_place){part, 0};
out:
    free(name);
    return err;
}

/* The id of top-level section @p i, or "". */
static const char *section_id(const csp_template *t, size_t i)
{
    return t->sections[i].id ? t->sections[i].id : "";
}

/* Whether section @p s (or one inside it) draws the priorities-to-
 * themes diagram, which then stands for the priority matrix. */
static bool draws_priorities(const csp_section *s)
{
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].kind == CSP_BLOCK_DIAGRAM && s->blocks[i].diagram &&
            s->blocks[i].diagram->of_priorities)
            return true;
    for (size_t i = 0; i < s->nsubsections; i++)
        if (draws_priorities(&s->subsections[i]))
            return true;
    return false;
}

/* Append part @p part to tpl->order, and after it the parts format 1
 * printed right after it that the template does not place. */
static void order_put(csp_template *t, tpl_order *o, csp_place p,
                      bool kf_after_foreword)
{
    bool kf = false, pm = false;

    if (p.part != CSP_PART_SECTION) {
        /* Each part once, even if an anchor section is declared twice. */
        if (o->put[p.part])
            return;
        o->put[p.part] = true;
    }
    t->order[t->norder++] = p;
    if (p.part == CSP_PART_FOREWORD)
        kf = kf_after_foreword;
    if (p.part == CSP_PART_SECTION) {
        const char *id = section_id(t, p.section);
        kf = !kf_after_foreword &&
             strcmp(id, csp_template_section(t, "partnership")
                            ? "partnership"
                            : "introduction") == 0;
        pm = strcmp(id, "priorities") == 0 &&
             !draws_priorities(&t->sections[p.section]);
    }
    if (kf && !o->placed[CSP_PART_KEY_FINDINGS])
        order_put(t, o, (csp_place){CSP_PART_KEY_FINDINGS, 0}, false);
    if (pm && !o->placed[CSP_PART_PRIORITY_MATRIX])
        order_put(t, o, (csp_place){CSP_PART_PRIORITY_MATRIX, 0}, false);
}

/*
 * tpl->order: the sections and placed parts in document order, with the
 * parts not placed where format 1 put them: the foreword first; key
 * findings after section "partnership" (else "introduction", else the
 * foreword); the priority matrix after section "priorities" (none
 * without it, nor when it draws the priorities diagram); then the themes, the action plan, data quality and key
 * contacts at the end.  Section "action-plan-intro" is not printed in
 * its place: it is the action plan's heading and introduction.
 */
static csp_error build_order(csp_template *t, tpl_order *o)
{
    csp_error err = CSP_OK;
    bool kf_after_foreword = !o->placed[CSP_PART_KEY_FINDINGS] &&
                             !csp_template_section(t, "partnership") &&
                             !csp_template_section(t, "introduction");

    t->norder = 0;
    t->order = csp_tpl_calloc_n(o->n + CSP_PART_KEY_CONTACTS + 1,
                                sizeof *t->order);
    if (!t->order) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (!o->placed[CSP_PART_FOREWORD])
        order_put(t, o, (csp_place){CSP_PART_FOREWORD, 0}, kf_after_foreword);
    for (size_t i = 0; i < o->n; i++) {
        if (o->items[i].part == CSP_PART_SECTION &&
            strcmp(section_id(t, o->items[i].section), "action-plan-intro") ==
                0)
            continue;
        order_put(t, o, o->items[i], kf_after_foreword);
    }
    for (size_t k = CSP_PART_THEMES; k <= CSP_PART_KEY_CONTACTS; k++)
        if (!o->placed[k])
            order_put(t, o, (csp_place){(csp_part)k, 0}, false);
out:
    return err;
}

/* The root <strategy> element and everything under it. */
csp_error csp_tpl_read_strategy(csp_tpl_reader *r, xmlNodePtr root)
{
    csp_error err = CSP_OK;
    csp_template *t = r->tpl;
    size_t i = 0;
    tpl_order order = {0};

    err = read_root_attrs(r, root);
    if (err)
        goto out;
    t->nsections = csp_tpl_count_children(root, "section");
    t->sections = csp_tpl_calloc_n(t->nsections, sizeof *t->sections);
    if (t->nsections && !t->sections) {
        t->nsections = 0;
        err = CSP_ERR_NOMEM;
        goto out;
    }
    order.items = csp_tpl_calloc_n(
        t->nsections + csp_tpl_count_children(root, "place"),
        sizeof *order.items);
    if (!order.items && t->nsections + csp_tpl_count_children(root, "place")) {
        err = CSP_ERR_NOMEM;
        goto out;
    }

    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "title")) {
            err = csp_tpl_get_text(c, &t->title);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "subtitle")) {
            err = csp_tpl_get_text(c, &t->subtitle);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "partnership")) {
            err = csp_tpl_get_attr(c, "name", true, &t->partnership);
            if (!err)
                err = csp_tpl_get_attr(c, "short-name", false,
                                       &t->partnership_short);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "labels")) {
            err = csp_tpl_read_labels(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "areas")) {
            err = csp_tpl_read_areas(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "agencies")) {
            t->agencies = read_all(r, c, "agency", sizeof *t->agencies,
                                   &t->nagencies, csp_tpl_read_agency, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "delivery-groups")) {
            t->groups = read_all(r, c, "group", sizeof *t->groups, &t->ngroups,
                                 csp_tpl_read_group, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "priorities")) {
            t->priorities =
                read_all(r, c, "priority", sizeof *t->priorities,
                         &t->npriorities, csp_tpl_read_priority, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "indicators")) {
            size_t n = csp_tpl_count_children(c, "indicator");
            /* Before the indicators: each one's default. */
            err = csp_tpl_read_thresholds(r, c, NULL, NULL, &t->thresholds);
            if (err)
                goto out;
            r->ind_lines = csp_tpl_calloc_n(n, sizeof *r->ind_lines);
            if (n && !r->ind_lines) {
                err = CSP_ERR_NOMEM;
                goto out;
            }
            t->indicators =
                read_all(r, c, "indicator", sizeof *t->indicators,
                         &t->nindicators, csp_tpl_read_indicator, &err);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-findings")) {
            err = read_key_findings(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "foreword")) {
            err = read_foreword(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "section")) {
            err = read_section(r, c, &t->sections[i], true, i);
            order.items[order.n++] = (csp_place){CSP_PART_SECTION, i};
            i++;
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "place")) {
            err = read_place(r, c, &order);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "themes")) {
            err = read_themes(r, c);
        } else if (csp_xml_is(c, CSP_SCHEMA_STRATEGY, "key-contacts")) {
            err = read_key_contacts(r, c);
        }
        if (err)
            goto out;
    }
    err = build_order(t, &order);
out:
    free(order.items);
    return err;
}
