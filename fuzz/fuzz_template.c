/*
 * libFuzzer target: the strategy template reader.
 *
 * Each input is one template file's bytes, read with
 * csp_template_read_memory (the same byte-level checks, parse, schema
 * validation and model checks as csppack --template FILE).  A template
 * that reads cleanly is then used the way the commands use one: every
 * lookup by id and the population of every area for the strategy's
 * years.
 *
 * Built by `make fuzz` (see Makefile.am); run with fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csppack/model/date.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink;

/* Where diagnostics are printed (to exercise the formatting). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sink = csp_fuzz_sink();
    return 0;
}

/* Reconcile the fixed samples under @p tpl: rules, owners, populations. */
static void reconcile(const csp_template *tpl)
{
    csp_dataset *ds = csp_dataset_new(tpl);
    if (!ds)
        return;
    csp_read_options opt;
    csp_read_options_init(&opt);
    csp_fuzz_add(ds, tpl, &opt, "fixed-a.xml", csp_fuzz_fixed_a,
                 csp_fuzz_fixed_a_len);
    csp_fuzz_add(ds, tpl, &opt, "fixed-b.xml", csp_fuzz_fixed_b,
                 csp_fuzz_fixed_b_len);
    if (csp_dataset_reconcile(ds) == CSP_OK)
        (void)csp_dataset_dump(ds, sink);
    csp_dataset_free(ds);
}

/* Exercise the lookups a command makes on a usable template. */
static void use(const csp_template *tpl)
{
    for (size_t i = 0; i < tpl->nindicators; i++) {
        const csp_indicator *ind =
            csp_template_indicator(tpl, tpl->indicators[i].id);
        (void)csp_indicator_owner(ind, CSP_AREA_ALL);
        for (size_t a = 0; a < tpl->nareas; a++)
            (void)csp_indicator_owner(ind, tpl->areas[a].id);
    }
    for (size_t i = 0; i < tpl->nthemes; i++)
        for (size_t j = 0; j < tpl->themes[i].nactions; j++)
            (void)csp_template_action(tpl, tpl->themes[i].actions[j].ref);
    for (size_t i = 0; i < tpl->ngroups; i++)
        (void)csp_template_group(tpl, tpl->groups[i].id);
    for (size_t i = 0; i < tpl->nagencies; i++)
        (void)csp_template_agency(tpl, tpl->agencies[i].id);
    for (size_t i = 0; i < tpl->nsections; i++)
        (void)csp_template_section(tpl, tpl->sections[i].id);
    for (int y = tpl->first_year - 1; y <= tpl->last_year + 1; y++) {
        csp_date end;
        int64_t pop;
        if (!csp_date_from_ymd(y, 3, 31, &end))
            continue;
        (void)csp_template_population(tpl, CSP_AREA_ALL, end, &pop);
        for (size_t a = 0; a < tpl->nareas; a++)
            (void)csp_template_population(tpl, tpl->areas[a].id, end, &pop);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csp_diag_list d;
    csp_template *tpl = NULL;
    csp_read_options opt;
    csp_diag_list_init(&d);
    csp_read_options_init(&opt);
    if (csp_template_read_memory("fuzz.xml", data, size, &opt, &tpl, &d) ==
            CSP_OK &&
        tpl) {
        use(tpl);
        reconcile(tpl);
    }
    csp_diag_list_sort(&d);
    for (size_t i = 0; i < d.count; i++)
        csp_diag_print(sink, &d.items[i]);
    csp_template_free(tpl);
    csp_diag_list_free(&d);
    return 0;
}
