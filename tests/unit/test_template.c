/*
 * Unit tests for the strategy template reader (src/read/template*.c)
 * and the template's lookups (src/model/template.c).
 *
 * The bad templates live in tests/data/template/: each tpl-*.xml has one
 * defect, and tpl-*.expected beside it holds the diagnostics exactly as
 * csp_diag_print prints them, with the file named by its base name so the
 * expectation does not depend on where the tree is.
 */
/* cmocka.h needs these four first. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/model/date.h"
#include "csppack/model/diag.h"
#include "csppack/model/template.h"
#include "csppack/read/template.h"

/* The bad templates, each with its .expected file. */
static const char *const bad_templates[] = {
    "tpl-e301-duplicate-id",    "tpl-e301-area-all", "tpl-e302-dangling",
    "tpl-e302-every-reference", "tpl-e303-cycle",    "tpl-e304-rule-unit",
    "tpl-e305-population",      "tpl-e305-years",    "tpl-e305-theme-number",
    /* Judgement: targets, baselines and thresholds. */
    "tpl-e301-target-twice",    "tpl-e302-target-area",
    "tpl-e305-baseline-missing", "tpl-e305-target-period",
    "tpl-e305-target-neither",  "tpl-e305-target-value",
    /* Labels: a key csppack does not print, a key twice. */
    "tpl-e302-label-key",       "tpl-e301-label-twice",
    /* Kinds of year: strategy years, key findings. */
    "tpl-e305-year-form", "tpl-e305-financial-year", "tpl-e305-kf-years",
    /* Format 2: nested areas, units, additivity and totals. */
    "tpl-e305-households",      "tpl-e301-nested-area",
    "tpl-e305-area-depth",      "tpl-e305-per-not-rate",
    "tpl-e305-per-range",       "tpl-e305-rate-per-1000",
    "tpl-e305-totals-derived",  "tpl-e304-sum-units",
    "tpl-e304-rate-of",
    /* The strategy report's order. */
    "tpl-e301-place-twice",
    /* Action refs and their pattern. */
    "tpl-e305-action-ref-theme", "tpl-e305-action-ref-pattern",
    "tpl-e305-action-refs-placeholder", "tpl-e305-email-domain",
    /* Diagrams: their nodes, parents, links and rows. */
    "tpl-e302-diagram-link", "tpl-e302-diagram-parent",
    "tpl-e301-diagram-node", "tpl-e305-diagram-of", "tpl-e305-diagram-row",
};

/* A directory from the environment: @p var, else $srcdir/@p sub. */
static char *test_dir(const char *var, const char *sub)
{
    const char *dir = getenv(var);
    const char *srcdir = getenv("srcdir");
    char *out;
    size_t n;

    if (dir && *dir)
        return strdup(dir);
    if (!srcdir || !*srcdir)
        srcdir = ".";
    n = strlen(srcdir) + strlen(sub) + 2;
    out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", srcdir, sub);
    return out;
}

/* @p dir/@p name@p ext in malloc'd memory. */
static char *join(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%s/%s%s", dir, name, ext);
    return out;
}

/* A whole file in malloc'd memory, NUL-terminated. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;

    assert_non_null(f);
    for (;;) {
        if (cap - len < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    assert_int_equal(ferror(f), 0);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* The diagnostics of @p list as csp_diag_print prints them, with every
 * file name cut to its base name. */
static char *print_diags(const csp_diag_list *list)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    for (size_t i = 0; i < list->count; i++) {
        csp_diag d = list->items[i];
        if (d.file && strrchr(d.file, '/'))
            d.file = strrchr(d.file, '/') + 1;
        csp_diag_print(f, &d);
    }
    assert_int_equal(fclose(f), 0);
    return text;
}

/* Read the built-in template, asserting it is clean. */
static csp_template *read_builtin(void)
{
    csp_diag_list diags;
    csp_template *tpl = NULL;

    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(NULL, NULL, &tpl, &diags), CSP_OK);
    if (diags.count) {
        char *text = print_diags(&diags);
        fprintf(stderr, "%s", text);
        free(text);
    }
    assert_int_equal(diags.count, 0);
    assert_non_null(tpl);
    csp_diag_list_free(&diags);
    return tpl;
}

/* A date from its parts. */
static csp_date ymd(int y, int m, int d)
{
    csp_date out;
    assert_true(csp_date_from_ymd(y, m, d, &out));
    return out;
}

/* The built-in template reads without diagnostics and has the strategy's
 * shape. */
static void test_template_builtin_reads_clean(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();
    size_t nactions = 0;

    assert_string_equal(tpl->path, "(built-in)");
    assert_string_equal(tpl->id, "dg-csp-2016-19");
    assert_int_equal(tpl->first_year, 2016);
    assert_int_equal(tpl->last_year, 2019);
    assert_int_equal(tpl->refresh_year, 2017);
    assert_string_equal(tpl->language, "en-GB");
    assert_int_equal(tpl->nareas, 2);
    assert_string_equal(tpl->areas[0].id, "dartford");
    assert_string_equal(tpl->areas[1].id, "gravesham");
    assert_int_equal(tpl->nagencies, 8);
    assert_int_equal(tpl->nthemes, 3);
    for (size_t i = 0; i < tpl->nthemes; i++) {
        assert_int_equal(tpl->themes[i].number, i + 1);
        assert_non_null(tpl->themes[i].why.title);
        assert_true(tpl->themes[i].why.nblocks > 0);
        for (size_t j = 0; j < tpl->themes[i].nactions; j++) {
            assert_int_equal(tpl->themes[i].actions[j].theme, i);
            assert_non_null(tpl->themes[i].actions[j].groups_label);
            assert_non_null(tpl->themes[i].actions[j].priorities_label);
        }
        nactions += tpl->themes[i].nactions;
    }
    /* Refs 1.1-1.17, 2.1-2.10, 3.1-3.10, in the action plan's order. */
    for (size_t i = 0; i < tpl->nthemes; i++) {
        for (size_t j = 0; j < tpl->themes[i].nactions; j++) {
            char ref[48];
            snprintf(ref, sizeof ref, "%zu.%zu", i + 1, j + 1);
            assert_string_equal(tpl->themes[i].actions[j].ref, ref);
        }
    }
    assert_int_equal(tpl->themes[0].nactions, 17);
    assert_int_equal(tpl->themes[1].nactions, 10);
    assert_int_equal(tpl->themes[2].nactions, 10);
    assert_int_equal(nactions, 37);
    assert_true(tpl->key_findings.nrows >= 3);
    assert_int_equal(tpl->key_findings.years, 3);
    csp_template_free(tpl);
}

/* One indicator of the built-in template, with the ids
 * doc/template-format.md describes. */
typedef struct fixed_indicator {
    const char *id;
    csp_unit unit;
    const char *owner_dartford; /* NULL: no owner */
    const char *owner_gravesham;
    const char *owner_all;
    csp_rule_kind rule;
    const char *in0, *in1; /* the rule's inputs */
} fixed_indicator;

static const fixed_indicator fixed[] = {
    {"victim-based-crime", CSP_UNIT_COUNT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_NONE, NULL, NULL},
    {"crimes-against-society", CSP_UNIT_COUNT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_NONE, NULL, NULL},
    {"total-crime", CSP_UNIT_COUNT, "kent-police", "kent-police", "kent-police",
     CSP_RULE_SUM, "victim-based-crime", "crimes-against-society"},
    {"victim-based-crime-rate", CSP_UNIT_RATE, "kent-police", "kent-police",
     "kent-police", CSP_RULE_RATE, "victim-based-crime", NULL},
    {"crimes-against-society-rate", CSP_UNIT_RATE, "kent-police", "kent-police",
     "kent-police", CSP_RULE_RATE, "crimes-against-society", NULL},
    {"total-crime-rate", CSP_UNIT_RATE, "kent-police", "kent-police",
     "kent-police", CSP_RULE_RATE, "total-crime", NULL},
    {"criminal-damage", CSP_UNIT_COUNT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_NONE, NULL, NULL},
    {"criminal-damage-share", CSP_UNIT_PERCENT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_SHARE, "criminal-damage", "total-crime"},
    {"violent-crime", CSP_UNIT_COUNT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_NONE, NULL, NULL},
    {"hate-crimes", CSP_UNIT_COUNT, "kent-police", "kent-police", "kent-police",
     CSP_RULE_NONE, NULL, NULL},
    {"asb-incidents", CSP_UNIT_COUNT, "kent-police", "kent-police",
     "kent-police", CSP_RULE_NONE, NULL, NULL},
    {"asb-rate", CSP_UNIT_RATE, "kent-police", "kent-police", "kent-police",
     CSP_RULE_RATE, "asb-incidents", NULL},
    {"deliberate-fires-primary", CSP_UNIT_COUNT, "kfrs", "kfrs", "kfrs",
     CSP_RULE_NONE, NULL, NULL},
    {"deliberate-fires-secondary", CSP_UNIT_COUNT, "kfrs", "kfrs", "kfrs",
     CSP_RULE_NONE, NULL, NULL},
    {"deliberate-fires", CSP_UNIT_COUNT, "kfrs", "kfrs", "kfrs", CSP_RULE_SUM,
     "deliberate-fires-primary", "deliberate-fires-secondary"},
    {"dvpo-issued", CSP_UNIT_COUNT, "kent-police", "kent-police", "kent-police",
     CSP_RULE_NONE, NULL, NULL},
    {"ae-violence", CSP_UNIT_COUNT, "dgs-ccg", "dgs-ccg", "dgs-ccg",
     CSP_RULE_NONE, NULL, NULL},
    {"iom-reoffending", CSP_UNIT_COUNT, "kss-crc", "kss-crc", "kss-crc",
     CSP_RULE_NONE, NULL, NULL},
    {"early-help-da-cases", CSP_UNIT_COUNT, "kcc", "kcc", "kcc", CSP_RULE_NONE,
     NULL, NULL},
    {"noise-complaints", CSP_UNIT_COUNT, "dartford-bc", "gravesham-bc", NULL,
     CSP_RULE_NONE, NULL, NULL},
    {"meam-referrals", CSP_UNIT_COUNT, NULL, NULL, NULL, CSP_RULE_NONE, NULL,
     NULL},
};

/* An owner as expected: both NULL or the same id. */
static void assert_owner(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else
        assert_string_equal(got, want);
}

/* The fixed indicators have their units, owners and rules. */
static void test_template_builtin_indicators(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();

    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        const fixed_indicator *f = &fixed[i];
        const csp_indicator *ind = csp_template_indicator(tpl, f->id);
        assert_non_null(ind);
        assert_string_equal(ind->id, f->id);
        assert_int_equal(ind->unit, f->unit);
        assert_int_equal(ind->decimals, f->unit == CSP_UNIT_COUNT ? 0 : 1);
        assert_owner(csp_indicator_owner(ind, "dartford"), f->owner_dartford);
        assert_owner(csp_indicator_owner(ind, "gravesham"), f->owner_gravesham);
        assert_owner(csp_indicator_owner(ind, CSP_AREA_ALL), f->owner_all);
        assert_int_equal(ind->rule, f->rule);
        size_t want = f->in1 ? 2 : f->in0 ? 1 : 0;
        assert_int_equal(ind->ninputs, want);
        for (size_t k = 0; k < want; k++) {
            const char *in = k == 0 ? f->in0 : f->in1;
            assert_string_equal(ind->inputs[k], in);
            assert_true(ind->input_index[k] < tpl->nindicators);
            assert_string_equal(tpl->indicators[ind->input_index[k]].id, in);
        }
    }
    csp_template_free(tpl);
}

/* The lookups find what is declared and nothing else. */
static void test_template_lookups(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();
    const csp_action *a;

    assert_non_null(csp_template_area(tpl, "dartford"));
    assert_null(csp_template_area(tpl, CSP_AREA_ALL));
    assert_null(csp_template_area(tpl, "sevenoaks"));
    assert_string_equal(csp_template_agency(tpl, "kent-pcc")->id, "kent-pcc");
    assert_true(csp_template_agency(tpl, "kent-police")->statutory);
    assert_false(csp_template_agency(tpl, "kent-pcc")->statutory);
    assert_null(csp_template_agency(tpl, "met-police"));
    assert_null(csp_template_indicator(tpl, "no-such-indicator"));
    assert_null(csp_template_group(tpl, "no-such-group"));
    if (tpl->ngroups)
        assert_ptr_equal(csp_template_group(tpl, tpl->groups[0].id),
                         &tpl->groups[0]);

    a = csp_template_action(tpl, "1.1");
    assert_non_null(a);
    assert_int_equal(a->theme, 0);
    a = csp_template_action(tpl, "2.10");
    assert_non_null(a);
    assert_int_equal(a->theme, 1);
    a = csp_template_action(tpl, "3.10");
    assert_non_null(a);
    assert_int_equal(a->theme, 2);
    assert_null(csp_template_action(tpl, "3.11"));
    assert_null(csp_template_action(tpl, "1.18"));

    static const char *const report_sections[] = {
        "introduction", "partnership", "priorities",       "policy-drivers",
        "delivering",   "structure",   "action-plan-intro"};
    for (size_t i = 0; i < 7; i++)
        assert_non_null(csp_template_section(tpl, report_sections[i]));
    assert_null(csp_template_section(tpl, "no-such-section"));
    assert_null(csp_template_area(NULL, "dartford"));
    assert_null(csp_indicator_owner(NULL, "dartford"));
    csp_template_free(tpl);
}

/* The lookups find every declared id, in both templates, at its own
 * declaration; and nothing around the ids. */
static void test_template_lookups_every_id(void **state)
{
    (void)state;
    csp_template *tpls[2] = {read_builtin(), NULL};
    char *dir = test_dir("TEMPLATES_DIR", "templates");
    char *path = join(dir, "example-minimal", ".xml");
    csp_diag_list diags;
    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(path, NULL, &tpls[1], &diags), CSP_OK);
    for (size_t k = 0; k < 2; k++) {
        const csp_template *tpl = tpls[k];
        assert_non_null(tpl->index);
        for (size_t i = 0; i < tpl->nareas; i++)
            assert_ptr_equal(csp_template_area(tpl, tpl->areas[i].id),
                             &tpl->areas[i]);
        for (size_t i = 0; i < tpl->nagencies; i++)
            assert_ptr_equal(csp_template_agency(tpl, tpl->agencies[i].id),
                             &tpl->agencies[i]);
        for (size_t i = 0; i < tpl->ngroups; i++)
            assert_ptr_equal(csp_template_group(tpl, tpl->groups[i].id),
                             &tpl->groups[i]);
        for (size_t i = 0; i < tpl->nindicators; i++) {
            const char *id = tpl->indicators[i].id;
            char around[256];
            assert_ptr_equal(csp_template_indicator(tpl, id),
                             &tpl->indicators[i]);
            /* Ids that sort just after or just before it. */
            snprintf(around, sizeof around, "%s~", id);
            assert_null(csp_template_indicator(tpl, around));
            snprintf(around, sizeof around, "%s", id);
            around[strlen(around) - 1]--;
            for (size_t j = 0; j < tpl->nindicators; j++)
                if (strcmp(tpl->indicators[j].id, around) == 0)
                    around[0] = '\0';
            if (around[0])
                assert_null(csp_template_indicator(tpl, around));
        }
        for (size_t t = 0; t < tpl->nthemes; t++)
            for (size_t a = 0; a < tpl->themes[t].nactions; a++)
                assert_ptr_equal(
                    csp_template_action(tpl, tpl->themes[t].actions[a].ref),
                    &tpl->themes[t].actions[a]);
        for (size_t i = 0; i < tpl->nsections; i++)
            assert_ptr_equal(csp_template_section(tpl, tpl->sections[i].id),
                             &tpl->sections[i]);
        assert_null(csp_template_indicator(tpl, ""));
        assert_null(csp_template_indicator(tpl, "~"));
        assert_null(csp_template_action(tpl, ""));
        assert_null(csp_template_area(tpl, "~"));
    }
    csp_diag_list_free(&diags);
    free(path);
    free(dir);
    csp_template_free(tpls[0]);
    csp_template_free(tpls[1]);
}

/* Populations: the latest year not after the period's end; "all" sums. */
static void test_template_population(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();
    int64_t pop = 0;

    assert_true(
        csp_template_population(tpl, "dartford", ymd(2016, 9, 30), &pop));
    assert_int_equal(pop, 103900);
    assert_true(
        csp_template_population(tpl, "gravesham", ymd(2016, 9, 30), &pop));
    assert_int_equal(pop, 106300);
    assert_true(
        csp_template_population(tpl, CSP_AREA_ALL, ymd(2016, 9, 30), &pop));
    assert_int_equal(pop, 210200);
    assert_true(
        csp_template_population(tpl, "dartford", ymd(2015, 12, 31), &pop));
    assert_int_equal(pop, 102900);
    assert_true(
        csp_template_population(tpl, "dartford", ymd(2014, 1, 1), &pop));
    assert_int_equal(pop, 101900);
    /* After the last estimate, the last estimate stands. */
    assert_true(
        csp_template_population(tpl, CSP_AREA_ALL, ymd(2019, 3, 31), &pop));
    assert_int_equal(pop, 210200);

    pop = -1;
    assert_false(
        csp_template_population(tpl, "dartford", ymd(2013, 12, 31), &pop));
    assert_false(
        csp_template_population(tpl, CSP_AREA_ALL, ymd(2013, 9, 30), &pop));
    assert_false(
        csp_template_population(tpl, "sevenoaks", ymd(2016, 9, 30), &pop));
    assert_int_equal(pop, -1);
    csp_template_free(tpl);
}

/* Unit names as the template writes them; freeing NULL is fine. */
static void test_template_unit_str_and_free_null(void **state)
{
    (void)state;
    assert_string_equal(csp_unit_str(CSP_UNIT_COUNT), "count");
    assert_string_equal(csp_unit_str(CSP_UNIT_RATE), "rate");
    assert_string_equal(csp_unit_str(CSP_UNIT_PERCENT), "percent");
    csp_template_free(NULL);
}

/*
 * The model stands without the reader: a template built in memory (no
 * index, as while the reader checks one) answers its lookups by
 * searching its arrays in order, sums its populations, and is freed
 * whole by csp_template_free.
 */
static void test_template_model_without_reader(void **state)
{
    (void)state;
    csp_template *tpl = calloc(1, sizeof *tpl);
    assert_non_null(tpl);
    tpl->nareas = 2;
    tpl->areas = calloc(2, sizeof *tpl->areas);
    assert_non_null(tpl->areas);
    const char *ids[] = {"north", "south"};
    for (size_t i = 0; i < 2; i++) {
        csp_area *a = &tpl->areas[i];
        a->id = strdup(ids[i]);
        a->name = strdup(ids[i]);
        a->npopulation = 1;
        a->population = calloc(1, sizeof *a->population);
        assert_non_null(a->id);
        assert_non_null(a->name);
        assert_non_null(a->population);
        a->population[0].year = 2015;
        a->population[0].value = 1000 * (int64_t)(i + 1);
    }
    tpl->nindicators = 1;
    tpl->indicators = calloc(1, sizeof *tpl->indicators);
    assert_non_null(tpl->indicators);
    tpl->indicators[0].id = strdup("crime");
    tpl->indicators[0].name = strdup("Crime");
    assert_non_null(tpl->indicators[0].id);
    assert_non_null(tpl->indicators[0].name);
    assert_null(tpl->index);

    assert_ptr_equal(csp_template_area(tpl, "south"), &tpl->areas[1]);
    assert_null(csp_template_area(tpl, "east"));
    assert_ptr_equal(csp_template_indicator(tpl, "crime"),
                     &tpl->indicators[0]);
    assert_null(csp_template_action(tpl, "1.1"));
    assert_null(csp_template_section(tpl, "foreword"));
    int64_t pop = 0;
    assert_true(
        csp_template_population(tpl, CSP_AREA_ALL, ymd(2016, 3, 31), &pop));
    assert_int_equal(pop, 3000);
    assert_false(
        csp_template_population(tpl, "north", ymd(2014, 3, 31), &pop));
    csp_template_free(tpl);
}

/* The documented example reads cleanly, with its narrative and defaults. */
static void test_template_example_minimal(void **state)
{
    (void)state;
    char *dir = test_dir("TEMPLATES_DIR", "templates");
    char *path = join(dir, "example-minimal", ".xml");
    csp_diag_list diags;
    csp_template *tpl = NULL;
    const csp_section *intro;
    const csp_action *a;
    const csp_indicator *ind;

    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(path, NULL, &tpl, &diags), CSP_OK);
    assert_int_equal(diags.count, 0);
    assert_non_null(tpl);
    assert_string_equal(tpl->path, path);
    assert_int_equal(tpl->nareas, 2);
    assert_int_equal(tpl->refresh_year, 0);
    assert_null(tpl->subtitle);

    /* Whitespace in text is collapsed. */
    a = csp_template_action(tpl, "1.1");
    assert_non_null(a);
    assert_string_equal(a->text, "Run a winter burglary-prevention campaign "
                                 "in both districts.");
    /* Labels the template leaves out are made from the names. */
    assert_string_equal(a->groups_label, "ASB Group");
    assert_string_equal(a->priorities_label, "Acquisitive Crime");
    a = csp_template_action(tpl, "1.2");
    assert_string_equal(a->priorities_label, "ASB");

    intro = csp_template_section(tpl, "introduction");
    assert_non_null(intro);
    assert_int_equal(intro->nblocks, 2);
    assert_int_equal(intro->blocks[0].kind, CSP_BLOCK_PARAGRAPH);
    assert_string_equal(intro->blocks[0].text,
                        "The Partnership brings together the agencies named "
                        "by the Crime and Disorder Act 1998.");
    assert_int_equal(intro->blocks[1].kind, CSP_BLOCK_LIST);
    assert_int_equal(intro->blocks[1].nchildren, 3);
    assert_int_equal(intro->blocks[1].children[2].kind, CSP_BLOCK_ITEM);
    assert_string_equal(intro->blocks[1].children[2].text,
                        "Hillford District Council.");

    ind = csp_template_indicator(tpl, "asb-complaints");
    assert_non_null(ind);
    assert_string_equal(csp_indicator_owner(ind, "hillford"), "hillford-dc");
    assert_null(csp_indicator_owner(ind, CSP_AREA_ALL));
    assert_string_equal(ind->note,
                        "Each council counts the complaints made to it.");
    ind = csp_template_indicator(tpl, "burglary-share");
    assert_int_equal(ind->rule, CSP_RULE_SHARE);
    assert_string_equal(tpl->indicators[ind->input_index[1]].id,
                        "acquisitive-crime");
    assert_int_equal(tpl->key_findings.years, 2);
    assert_string_equal(tpl->themes[0].challenges.title,
                        "What are our challenges?");
    assert_int_equal(tpl->themes[0].challenges.nblocks, 0);
    assert_string_equal(tpl->agencies[0].contact.lines[1], "Riverside RV1 2AB");

    csp_template_free(tpl);
    csp_diag_list_free(&diags);
    free(path);
    free(dir);
}

/* @p d as csp_decimal_format prints it, for comparing with text. */
static void assert_decimal(csp_decimal d, const char *want)
{
    char buf[CSP_DECIMAL_BUFSZ];
    csp_decimal_format(d, buf);
    assert_string_equal(buf, want);
}

/* @p p as csp_period_format prints it, for comparing with text. */
static void assert_period(csp_period p, const char *want)
{
    char buf[CSP_PERIOD_BUFSZ];
    csp_period_format(p, buf);
    assert_string_equal(buf, want);
}

/* Read @p name.xml from the folder test_dir(@p var, @p sub), asserting it
 * reads without a diagnostic. */
static csp_template *read_clean(const char *var, const char *sub,
                                const char *name)
{
    char *dir = test_dir(var, sub);
    char *path = join(dir, name, ".xml");
    csp_diag_list diags;
    csp_template *tpl = NULL;

    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(path, NULL, &tpl, &diags), CSP_OK);
    assert_int_equal(diags.count, 0);
    assert_non_null(tpl);
    csp_diag_list_free(&diags);
    free(path);
    free(dir);
    return tpl;
}

/* The judgement attributes are read as written, targets sorted by period
 * then area (every area first), and what is not written takes the
 * template's or csppack's default. */
static void test_template_judgement(void **state)
{
    (void)state;
    csp_template *tpl =
        read_clean("TEST_DATA_DIR", "tests/data", "template/tpl-judgement");
    const csp_indicator *ind;

    assert_string_equal(tpl->marking, "OFFICIAL-SENSITIVE");
    assert_decimal(tpl->thresholds.amber_within, "7.5");
    assert_decimal(tpl->thresholds.no_change_within, "2");

    ind = csp_template_indicator(tpl, "thefts");
    assert_int_equal(ind->polarity, CSP_POLARITY_LOWER);
    assert_int_equal(ind->comparator, CSP_COMPARE_BASELINE);
    assert_true(ind->has_baseline);
    assert_period(ind->baseline, "2015-04-01/2016-03-31");
    assert_int_equal(ind->frequency, CSP_FREQ_YEAR_ENDING);
    /* Its own no-change threshold, the template's amber one. */
    assert_decimal(ind->thresholds.amber_within, "7.5");
    assert_decimal(ind->thresholds.no_change_within, "0.5");
    assert_int_equal(ind->ntargets, 4);
    assert_period(ind->targets[0].period, "2016-04-01/2017-03-31");
    assert_string_equal(ind->targets[0].area, "north");
    assert_true(ind->targets[0].is_change);
    assert_decimal(ind->targets[0].value, "2.5");
    assert_period(ind->targets[1].period, "2017-04-01/2018-03-31");
    assert_null(ind->targets[1].area);
    assert_true(ind->targets[1].is_change);
    assert_decimal(ind->targets[1].value, "-5");
    assert_string_equal(ind->targets[2].area, "north");
    assert_false(ind->targets[2].is_change);
    assert_decimal(ind->targets[2].value, "400");
    assert_string_equal(ind->targets[3].area, "south");
    assert_decimal(ind->targets[3].value, "900");

    ind = csp_template_indicator(tpl, "frauds");
    assert_int_equal(ind->polarity, CSP_POLARITY_HIGHER);
    assert_int_equal(ind->comparator, CSP_COMPARE_PREVIOUS);
    assert_false(ind->has_baseline);
    assert_int_equal(ind->frequency, CSP_FREQ_NONE);
    assert_decimal(ind->thresholds.amber_within, "10");
    assert_decimal(ind->thresholds.no_change_within, "2");
    assert_int_equal(ind->ntargets, 0);
    assert_null(ind->targets);

    /* Nothing written: the defaults. */
    ind = csp_template_indicator(tpl, "total");
    assert_int_equal(ind->polarity, CSP_POLARITY_NEITHER);
    assert_int_equal(ind->comparator, CSP_COMPARE_YEAR_AGO);
    assert_int_equal(ind->frequency, CSP_FREQ_QUARTERLY);
    assert_decimal(ind->thresholds.amber_within, "7.5");
    assert_decimal(ind->thresholds.no_change_within, "2");
    csp_template_free(tpl);
}

/* A template that says nothing of judgement: no marking, amber within 5
 * per cent, any change a change, every indicator quarterly and neither
 * way better, compared with a year ago. */
static void test_template_judgement_defaults(void **state)
{
    (void)state;
    csp_template *tpl =
        read_clean("TEMPLATES_DIR", "templates", "example-minimal");

    assert_null(tpl->marking);
    assert_decimal(tpl->thresholds.amber_within, "5");
    assert_decimal(tpl->thresholds.no_change_within, "0");
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        assert_int_equal(ind->polarity, CSP_POLARITY_NEITHER);
        assert_int_equal(ind->comparator, CSP_COMPARE_YEAR_AGO);
        assert_int_equal(ind->frequency, CSP_FREQ_QUARTERLY);
        assert_false(ind->has_baseline);
        assert_int_equal(ind->ntargets, 0);
        assert_decimal(ind->thresholds.amber_within, "5");
        assert_decimal(ind->thresholds.no_change_within, "0");
    }
    csp_template_free(tpl);
}

/* The built-in template's judgement: polarity from the strategy's words,
 * no targets, the partnership's thresholds, the key-findings counts owed
 * for the year ending with the quarter. */
static void test_template_builtin_judgement(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        csp_polarity polarity;
        csp_frequency frequency;
    } want[] = {
        {"victim-based-crime", CSP_POLARITY_LOWER, CSP_FREQ_YEAR_ENDING},
        {"total-crime-rate", CSP_POLARITY_LOWER, CSP_FREQ_YEAR_ENDING},
        {"criminal-damage-share", CSP_POLARITY_NEITHER, CSP_FREQ_YEAR_ENDING},
        {"asb-rate", CSP_POLARITY_LOWER, CSP_FREQ_QUARTERLY},
        {"da-repeat-victimisation", CSP_POLARITY_LOWER, CSP_FREQ_QUARTERLY},
        {"iom-reoffending", CSP_POLARITY_LOWER, CSP_FREQ_QUARTERLY},
        {"one-stop-shop-victims", CSP_POLARITY_HIGHER, CSP_FREQ_QUARTERLY},
        {"sanctuary-scheme-victims", CSP_POLARITY_HIGHER, CSP_FREQ_QUARTERLY},
        {"hate-crimes", CSP_POLARITY_NEITHER, CSP_FREQ_QUARTERLY},
        {"noise-complaints", CSP_POLARITY_NEITHER, CSP_FREQ_QUARTERLY},
    };
    csp_template *tpl = read_builtin();

    assert_null(tpl->marking);
    assert_decimal(tpl->thresholds.amber_within, "5");
    assert_decimal(tpl->thresholds.no_change_within, "2");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const csp_indicator *ind = csp_template_indicator(tpl, want[i].id);
        assert_non_null(ind);
        assert_int_equal(ind->polarity, want[i].polarity);
        assert_int_equal(ind->frequency, want[i].frequency);
    }
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind = &tpl->indicators[i];
        assert_int_equal(ind->comparator, CSP_COMPARE_YEAR_AGO);
        assert_int_equal(ind->ntargets, 0);
        assert_decimal(ind->thresholds.no_change_within, "2");
    }
    csp_template_free(tpl);
}

/* Each bad template is refused with exactly its expected diagnostics. */
static void test_template_bad_templates(void **state)
{
    (void)state;
    char *dir = test_dir("TEST_DATA_DIR", "tests/data");
    char *tdir = join(dir, "template", "");

    for (size_t i = 0; i < sizeof bad_templates / sizeof bad_templates[0];
         i++) {
        char *path = join(tdir, bad_templates[i], ".xml");
        char *exp_path = join(tdir, bad_templates[i], ".expected");
        char *expected = slurp(exp_path);
        csp_diag_list diags;
        csp_template *tpl = (csp_template *)1;

        csp_diag_list_init(&diags);
        assert_int_equal(csp_template_read(path, NULL, &tpl, &diags),
                         CSP_ERR_INVALID);
        assert_null(tpl);
        csp_diag_list_sort(&diags);
        char *got = print_diags(&diags);
        if (strcmp(got, expected) != 0)
            fprintf(stderr, "%s: expected:\n%sgot:\n%s", bad_templates[i],
                    expected, got);
        assert_string_equal(got, expected);
        for (size_t k = 0; k < diags.count; k++)
            assert_string_equal(diags.items[k].file, path);

        free(got);
        csp_diag_list_free(&diags);
        free(expected);
        free(exp_path);
        free(path);
    }
    free(tdir);
    free(dir);
}

/* Every label's key leads back to it, and an unknown key to none. */
static void test_template_label_keys(void **state)
{
    (void)state;
    for (int i = 0; i < CSP_LABEL_COUNT; i++) {
        assert_int_equal(csp_label_from_key(csp_label_key((csp_label)i)), i);
        assert_true(strlen(csp_label_default((csp_label)i)) > 0);
    }
    assert_int_equal(csp_label_from_key("measure"), CSP_LABEL_COUNT);
    assert_int_equal(csp_label_from_key(NULL), CSP_LABEL_COUNT);
}

/* A template's <labels> replace the defaults, a theme's untitled <why>
 * takes the "why" label, and a template without them has the defaults. */
static void test_template_labels(void **state)
{
    (void)state;
    csp_template *tpl =
        read_clean("TEST_DATA_DIR", "tests/data", "labels/template");

    assert_string_equal(csp_template_label(tpl, CSP_LABEL_MEASURES),
                        "Zlabel04");
    assert_string_equal(csp_template_label(tpl, CSP_LABEL_CATEGORY),
                        "Zlabel27");
    assert_string_equal(tpl->themes[0].why.title, "Zlabel02");
    assert_string_equal(tpl->themes[0].challenges.title, "Zlabel03");
    for (int i = 0; i < CSP_LABEL_COUNT; i++)
        assert_non_null(tpl->labels[i]);
    csp_template_free(tpl);

    tpl = read_builtin();
    assert_null(tpl->labels[CSP_LABEL_MEASURES]);
    assert_string_equal(csp_template_label(tpl, CSP_LABEL_MEASURES),
                        "How will we measure our impact?");
    assert_string_equal(csp_template_label(tpl, CSP_LABEL_PRIORITY_MATRIX),
                        "How the Strategic Assessment priorities feed the "
                        "three themes");
    assert_string_equal(csp_template_label(NULL, CSP_LABEL_PRIORITY_MATRIX),
                        "How the Strategic Assessment priorities feed the "
                        "themes");
    csp_template_free(tpl);
}

/* tests/data/template/tpl-e305-years.xml with its years replaced by
 * @p years and its <key-findings> start tag by @p kf, read from memory;
 * the diagnostics as printed into *printed (caller frees). */
static csp_template *read_years(const char *years, const char *kf,
                                char **printed)
{
    char *dir = test_dir("TEST_DATA_DIR", "tests/data");
    char *path = join(dir, "template/tpl-e305-years", ".xml");
    char *text = slurp(path);
    static const char y[] = "first-year=\"2020\" last-year=\"2019\"";
    static const char k[] = "<key-findings title=\"Key findings\">";
    char *py = strstr(text, y), *pk = strstr(text, k);
    assert_non_null(py);
    assert_non_null(pk);
    size_t n = strlen(text) + strlen(years) + strlen(kf) + 1;
    char *xml = malloc(n);
    assert_non_null(xml);
    snprintf(xml, n, "%.*s%s%.*s%s%s", (int)(py - text), text, years,
             (int)(pk - py - (ptrdiff_t)strlen(y)), py + strlen(y), kf,
             pk + strlen(k));
    csp_diag_list diags;
    csp_template *tpl = NULL;
    csp_diag_list_init(&diags);
    csp_error err = csp_template_read_memory("years.xml", xml, strlen(xml),
                                             NULL, &tpl, &diags);
    *printed = print_diags(&diags);
    assert_true(err == CSP_OK || err == CSP_ERR_INVALID);
    csp_diag_list_free(&diags);
    free(xml);
    free(text);
    free(path);
    free(dir);
    return tpl;
}

/* Strategy years as financial years ("2019/20") and the kind of year of
 * the key findings (<key-findings year= years=>). */
static void test_template_years(void **state)
{
    (void)state;
    char *got = NULL, a[16], b[16];
    csp_template *tpl = read_years(
        "first-year=\"2019/20\" last-year=\"2021/22\" refresh-year=\"2020/21\"",
        "<key-findings title=\"Key findings\" year=\"financial\" years=\"10\">",
        &got);
    assert_string_equal(got, "");
    free(got);
    assert_non_null(tpl);
    assert_true(tpl->financial_years);
    assert_int_equal(tpl->first_year, 2019);
    assert_int_equal(tpl->last_year, 2021);
    assert_int_equal(tpl->refresh_year, 2020);
    assert_int_equal(tpl->key_findings.year_end_month, 3);
    assert_int_equal(tpl->key_findings.years, 10);
    csp_period p = csp_template_period(tpl);
    csp_date_format(p.start, a);
    csp_date_format(p.end, b);
    assert_string_equal(a, "2019-04-01");
    assert_string_equal(b, "2022-03-31");
    csp_template_year_label(tpl, tpl->last_year, a);
    assert_string_equal(a, "2021/22");
    csp_template_free(tpl);

    /* Calendar years; years ending a named month; none: 0. */
    tpl = read_years("first-year=\"2016\" last-year=\"2019\"",
                     "<key-findings title=\"Key findings\" year=\"september\">",
                     &got);
    assert_string_equal(got, "");
    free(got);
    assert_false(tpl->financial_years);
    assert_int_equal(tpl->key_findings.year_end_month, 9);
    assert_int_equal(tpl->key_findings.years, 3);
    csp_template_free(tpl);
    tpl = read_years("first-year=\"2016\" last-year=\"2019\"",
                     "<key-findings title=\"Key findings\" year=\"calendar\" "
                     "years=\"12\">",
                     &got);
    assert_string_equal(got, "");
    free(got);
    assert_int_equal(tpl->key_findings.year_end_month, 12);
    assert_int_equal(tpl->key_findings.years, 12);
    csp_template_free(tpl);

    /* The refresh written the other way; financial years out of order. */
    tpl = read_years(
        "first-year=\"2019/20\" last-year=\"2021/22\" refresh-year=\"2020\"",
        "<key-findings title=\"Key findings\">", &got);
    assert_null(tpl);
    assert_string_equal(
        got, "years.xml:4: error: E305: refresh-year \"2020\" is a calendar "
             "year but first-year \"2019/20\" is a financial year; write all "
             "the strategy's years one way, as 2019 or as 2019/20\n");
    free(got);
    tpl = read_years("first-year=\"2021/22\" last-year=\"2019/20\"",
                     "<key-findings title=\"Key findings\">", &got);
    assert_null(tpl);
    assert_string_equal(got, "years.xml:4: error: E305: first-year 2021/22 is "
                             "after last-year 2019/20; a strategy's first "
                             "year cannot follow its last\n");
    free(got);
}

/* tpl->order as "F S:introduction K ..." (one letter a part, S:id for a
 * section), for comparing whole orders at once. */
static char *order_str(const csp_template *tpl)
{
    static const char letters[] = {
        [CSP_PART_FOREWORD] = 'F',     [CSP_PART_KEY_FINDINGS] = 'K',
        [CSP_PART_PRIORITY_MATRIX] = 'M', [CSP_PART_THEMES] = 'T',
        [CSP_PART_ACTION_PLAN] = 'A',  [CSP_PART_DATA_QUALITY] = 'Q',
        [CSP_PART_KEY_CONTACTS] = 'C'};
    char *out = calloc(1, 1024);
    assert_non_null(out);
    for (size_t i = 0; i < tpl->norder; i++) {
        size_t n = strlen(out);
        const csp_place *p = &tpl->order[i];
        if (p->part == CSP_PART_SECTION) {
            assert_true(p->section < tpl->nsections);
            snprintf(out + n, 1024 - n, "%sS:%s", n ? " " : "",
                     tpl->sections[p->section].id);
        } else {
            snprintf(out + n, 1024 - n, "%s%c", n ? " " : "",
                     letters[p->part]);
        }
    }
    return out;
}

/* The strategy report's order: format 1's for the built-in template (the
 * parts where it printed them, action-plan-intro as the action plan's
 * introduction; no priority matrix, as section "priorities" draws the
 * priorities diagram); a template's own <section> and <place> order, the parts
 * it does not place where format 1 put them. */
static void test_template_order(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();
    char *got = order_str(tpl);
    assert_string_equal(got, "F S:introduction S:partnership K S:priorities "
                             "S:policy-drivers S:delivering S:structure "
                             "T A Q C");
    free(got);
    csp_template_free(tpl);

    char *dir = test_dir("TEST_DATA_DIR", "tests/data");
    char *path = join(dir, "template/tpl-order", ".xml");
    csp_diag_list diags;
    csp_diag_list_init(&diags);
    tpl = NULL;
    assert_int_equal(csp_template_read(path, NULL, &tpl, &diags), CSP_OK);
    assert_int_equal(diags.count, 0);
    got = order_str(tpl);
    /* No "priorities" section: no matrix, as in format 1. */
    assert_string_equal(got, "F S:local S:introduction C S:partnership K T "
                             "S:closing A Q");
    free(got);
    csp_template_free(tpl);
    csp_diag_list_free(&diags);
    free(path);
    free(dir);
}

/* <themes action-refs>: read into tpl->action_refs (NULL when absent);
 * refs like "SP1.2", "SP1.10" and "SP1.2a" with their pattern; and each
 * way a pattern cannot be read, with its exact E305. */
static void test_template_action_refs(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *message;
    } bad[] = {
        {"{theme}.{item}.{item}",
         "action-refs \"{theme}.{item}.{item}\" has {item} twice; write each "
         "placeholder once"},
        {"{theme}{item}",
         "action-refs \"{theme}{item}\" puts two numbers side by side; put "
         "text between them, as in \"{theme}.{item}\""},
        {"SP{letter}",
         "action-refs \"SP{letter}\" has neither {theme} nor {item}; write "
         "at least one, as in \"SP{theme}.{item}\""},
        {"A{Item}",
         "action-refs \"A{Item}\" has \"{Item}\", which is not a placeholder; "
         "use {theme}, {item} and {letter}"},
    };
    char *dir = test_dir("TEST_DATA_DIR", "tests/data");
    char *path = join(dir, "template/tpl-action-refs", ".xml");
    csp_diag_list diags;
    csp_template *tpl = NULL;

    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read(path, NULL, &tpl, &diags), CSP_OK);
    assert_int_equal(diags.count, 0);
    assert_string_equal(tpl->action_refs, "SP{theme}.{item}{letter}");
    assert_non_null(csp_template_action(tpl, "SP1.2a"));
    assert_true(csp_action_ref_cmp(tpl->action_refs, "SP1.9", "SP1.10") < 0);
    csp_template_free(tpl);
    tpl = read_builtin();
    assert_null(tpl->action_refs);
    csp_template_free(tpl);

    char *bytes = slurp(path);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *from = "action-refs=\"SP{theme}.{item}{letter}\"";
        char *at = strstr(bytes, from);
        assert_non_null(at);
        size_t n = strlen(bytes) + strlen(bad[i].pattern) + 16;
        char *doc = malloc(n);
        assert_non_null(doc);
        snprintf(doc, n, "%.*saction-refs=\"%s\"%s", (int)(at - bytes), bytes,
                 bad[i].pattern, at + strlen(from));
        tpl = (csp_template *)1;
        csp_diag_list_init(&diags);
        assert_int_equal(csp_template_read_memory("bad.xml", doc, strlen(doc),
                                                  NULL, &tpl, &diags),
                         CSP_ERR_INVALID);
        assert_null(tpl);
        assert_int_equal(diags.count, 1);
        assert_string_equal(csp_diag_code_str(diags.items[0].code), "E305");
        assert_string_equal(diags.items[0].message, bad[i].message);
        csp_diag_list_free(&diags);
        free(doc);
    }
    free(bytes);
    free(path);
    free(dir);
}

/* A file that is not there is refused with a diagnostic, and no template. */
static void test_template_missing_file(void **state)
{
    (void)state;
    csp_diag_list diags;
    csp_template *tpl = (csp_template *)1;

    csp_diag_list_init(&diags);
    assert_int_not_equal(
        csp_template_read("/nonexistent/tpl.xml", NULL, &tpl, &diags), CSP_OK);
    assert_null(tpl);
    assert_true(diags.count >= 1);
    csp_diag_list_free(&diags);
}

/* A template in memory reads as the same file does; its name stands for
 * the file in the model and in diagnostics, and bad bytes are refused the
 * same way. */
static void test_template_read_memory(void **state)
{
    (void)state;
    char *dir = test_dir("TEMPLATES_DIR", "templates");
    char *path = join(dir, "example-minimal", ".xml");
    char *bytes = slurp(path);
    size_t size = strlen(bytes);
    csp_diag_list diags;
    csp_template *tpl = NULL;

    csp_diag_list_init(&diags);
    assert_int_equal(csp_template_read_memory("mem.xml", bytes, size, NULL,
                                              &tpl, &diags),
                     CSP_OK);
    assert_int_equal(diags.count, 0);
    assert_non_null(tpl);
    assert_string_equal(tpl->path, "mem.xml");
    assert_int_equal(tpl->nareas, 2);
    assert_non_null(csp_template_indicator(tpl, "burglary-share"));
    csp_template_free(tpl);

    /* Cut short: not well-formed, named as given. */
    tpl = (csp_template *)1;
    assert_int_equal(csp_template_read_memory("cut.xml", bytes, size / 2,
                                              NULL, &tpl, &diags),
                     CSP_ERR_INVALID);
    assert_null(tpl);
    assert_int_equal(diags.count, 1);
    assert_string_equal(csp_diag_code_str(diags.items[0].code), "E105");
    assert_string_equal(diags.items[0].file, "cut.xml");
    csp_diag_list_free(&diags);

    /* No bytes at all: empty. */
    csp_diag_list_init(&diags);
    assert_int_equal(
        csp_template_read_memory("none.xml", NULL, 0, NULL, &tpl, &diags),
        CSP_ERR_INVALID);
    assert_null(tpl);
    assert_int_equal(diags.count, 1);
    assert_string_equal(csp_diag_code_str(diags.items[0].code), "E104");

    /* Over the size limit: E102, before any parsing. */
    csp_read_options opt;
    csp_read_options_init(&opt);
    opt.max_file_size = 100;
    assert_int_equal(csp_template_read_memory("big.xml", bytes, size, &opt,
                                              &tpl, &diags),
                     CSP_ERR_INVALID);
    assert_null(tpl);
    assert_int_equal(diags.count, 2);
    assert_string_equal(csp_diag_code_str(diags.items[1].code), "E102");

    csp_diag_list_free(&diags);
    free(bytes);
    free(path);
    free(dir);
}

/* The section @p id's sub-section titled @p title (NULL: the section). */
static const csp_section *find_section(const csp_template *tpl,
                                       const char *id, const char *title)
{
    for (size_t i = 0; i < tpl->nsections; i++) {
        const csp_section *s = &tpl->sections[i];
        if (!s->id || strcmp(s->id, id) != 0)
            continue;
        if (!title)
            return s;
        for (size_t k = 0; k < s->nsubsections; k++)
            if (strcmp(s->subsections[k].title, title) == 0)
                return &s->subsections[k];
    }
    return NULL;
}

/* The bundled template's inline markup, numbered list and published
 * wording: a footnote read with the offset of its mark and its title's
 * span, the three themes numbered, measure and group labels. */
static void test_template_inline_markup(void **state)
{
    (void)state;
    csp_template *tpl = read_builtin();
    const csp_section *s =
        find_section(tpl, "structure", "Cross Border Intelligence Sharing");
    assert_non_null(s);
    if (!s)
        return; /* not reached: for the compiler */
    const csp_block *fn = NULL;
    for (size_t i = 0; i < s->nblocks; i++)
        if (s->blocks[i].nnotes)
            fn = &s->blocks[i];
    assert_non_null(fn);
    if (!fn)
        return; /* not reached: for the compiler */
    assert_int_equal(fn->nnotes, 1);
    assert_int_equal(fn->ncites, 0);
    /* The mark follows "gangs.’", the paragraph's last words. */
    const char *end = "similar gangs.\xE2\x80\x99";
    assert_int_equal(fn->notes[0].at, strlen(fn->text));
    assert_true(strlen(fn->text) >= strlen(end));
    assert_string_equal(fn->text + strlen(fn->text) - strlen(end), end);
    assert_null(strstr(fn->text, "Definition"));
    const csp_note *n = &fn->notes[0];
    assert_string_equal(n->text, "Definition adopted by HM Government, as "
                                 "taken from the Centre for Social "
                                 "Justice\xE2\x80\x99s 2009 report, Dying "
                                 "to Belong");
    assert_int_equal(n->ncites, 1);
    assert_int_equal(n->cites[0].end, strlen(n->text));
    assert_int_equal(n->cites[0].end - n->cites[0].start,
                     strlen("Dying to Belong"));
    /* No paragraph is the note any more. */
    for (size_t i = 0; i < s->nblocks; i++)
        assert_true(!s->blocks[i].text ||
                    strncmp(s->blocks[i].text, "1 Definition", 12) != 0);

    /* The three themes, numbered. */
    const csp_section *pr = find_section(tpl, "priorities", NULL);
    assert_non_null(pr);
    if (!pr)
        return; /* not reached: for the compiler */
    const csp_block *ol = NULL;
    for (size_t i = 0; i < pr->nblocks && !ol; i++)
        if (pr->blocks[i].kind == CSP_BLOCK_LIST &&
            pr->blocks[i].children[0].number)
            ol = &pr->blocks[i];
    assert_non_null(ol);
    if (!ol)
        return; /* not reached: for the compiler */
    assert_int_equal(ol->nchildren, 3);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(ol->children[i].number, i + 1);
    assert_string_equal(ol->children[0].text,
                        "Protecting vulnerable people from harm;");
    /* A bulleted list's items have no number. */
    assert_int_equal(pr->blocks[1].kind, CSP_BLOCK_LIST);
    assert_int_equal(pr->blocks[1].children[0].number, 0);

    /* Measures and groups as published; indicator ids and names kept. */
    const csp_theme *t1 = &tpl->themes[0];
    bool ae = false;
    for (size_t m = 0; m < t1->nmeasures; m++)
        if (strcmp(t1->measures[m], "ae-violence") == 0) {
            ae = true;
            assert_string_equal(csp_template_measure_label(tpl, t1, m),
                                "Number of Accident and Emergency "
                                "attendances as a result of violence");
        }
    assert_true(ae);
    const csp_indicator *ind = csp_template_indicator(tpl, "ae-violence");
    assert_non_null(ind);
    if (!ind)
        return; /* not reached: for the compiler */
    assert_string_equal(ind->name,
                        "Number of A&E attendances as a result of violence");
    assert_string_equal(csp_template_measure_label(tpl, t1, 0),
                        "Number of Domestic Violence Protection Orders "
                        "issued");
    const csp_theme *t2 = &tpl->themes[1];
    assert_string_equal(csp_template_group_label(tpl, t2, 1),
                        "Integrated Offender Management (IOM) Group");
    assert_string_equal(csp_template_group_label(tpl, t2, 0),
                        "Reducing Re-offending Group");
    csp_template_free(tpl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_builtin_reads_clean),
        cmocka_unit_test(test_template_builtin_indicators),
        cmocka_unit_test(test_template_lookups),
        cmocka_unit_test(test_template_lookups_every_id),
        cmocka_unit_test(test_template_population),
        cmocka_unit_test(test_template_unit_str_and_free_null),
        cmocka_unit_test(test_template_model_without_reader),
        cmocka_unit_test(test_template_example_minimal),
        cmocka_unit_test(test_template_judgement),
        cmocka_unit_test(test_template_judgement_defaults),
        cmocka_unit_test(test_template_builtin_judgement),
        cmocka_unit_test(test_template_bad_templates),
        cmocka_unit_test(test_template_missing_file),
        cmocka_unit_test(test_template_read_memory),
        cmocka_unit_test(test_template_label_keys),
        cmocka_unit_test(test_template_labels),
        cmocka_unit_test(test_template_years),
        cmocka_unit_test(test_template_order),
        cmocka_unit_test(test_template_action_refs),
        cmocka_unit_test(test_template_inline_markup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
