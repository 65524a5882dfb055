/*
 * libFuzzer target: the submission reader with reconciliation and the
 * writers that quote what partners wrote.
 *
 * Each input is the bytes of up to four submission files, separated by
 * the marker SPLIT below (in fuzz/xml.dict, so the fuzzer joins files).
 * Each goes through the same path as a file named on the command line
 * (csp_input_from_memory does the byte-level checks csp_input_load
 * does), is read against the built-in template, then reconciled together
 * with two fixed valid samples (so that resubmissions, conflicts,
 * non-owner figures and rule checks against real figures are reachable)
 * and with a byte-identical copy of the first file under another name
 * (duplicates, and which copy counts, as reconcile folds files in), and
 * the dataset is written as dataset.xml, the three CSV files and every
 * receipt to /dev/null.
 *
 * Built by `make fuzz` (see Makefile.am); run with fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csppack/write/csv.h"
#include "csppack/write/dataset_xml.h"
#include "csppack/write/receipts.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static csp_template *tpl;
static csp_read_options opt;
static FILE *sink;

/* Read the built-in template once; abort when it is not usable. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tpl = csp_fuzz_start(&opt, &sink);
    return 0;
}

/* Read bytes as a submission named @p name and add it to @p ds. */
static void add(csp_dataset *ds, const char *name, const void *data,
                size_t size)
{
    csp_fuzz_add(ds, tpl, &opt, name, data, size);
}

/* Write every output of the pack to /dev/null. */
static void write_all(const csp_dataset *ds)
{
    csp_receipt_list rl = {0};
    csp_returns ret = {0};
    const csp_returns *rp = NULL;
    csp_period period;
    (void)csp_dataset_write_xml(ds, sink);
    (void)csp_csv_write_observations(ds, sink);
    (void)csp_csv_write_discrepancies(ds, sink);
    (void)csp_csv_write_actions(ds, sink);
    /* The receipts end with the chase list of the default period. */
    if (csp_pack_default_period(ds, &period) &&
        csp_period_is_quarter(period) &&
        csp_returns_compute(ds, period, &ret) == CSP_OK)
        rp = &ret;
    if (csp_receipts_list(ds, rp, &rl) == CSP_OK) {
        for (size_t i = 0; i < rl.count; i++)
            (void)csp_receipt_write(ds, rl.agencies[i], rp, sink);
        if (rl.unknown)
            (void)csp_receipt_write(ds, NULL, rp, sink);
    }
    csp_receipt_list_free(&rl);
    csp_returns_free(&ret);
}

/* Between the files of one input. */
#define SPLIT "<!--next-file-->"
#define MAX_PARTS 4

/* Where the next part starts after data[0..size), or NULL. */
static const uint8_t *next_split(const uint8_t *data, size_t size)
{
    size_t n = sizeof SPLIT - 1;
    for (size_t i = 0; i + n <= size; i++)
        if (data[i] == '<' && memcmp(data + i, SPLIT, n) == 0)
            return data + i;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csp_dataset *ds = csp_dataset_new(tpl);
    if (!ds)
        return 0;
    add(ds, "fixed-a.xml", csp_fuzz_fixed_a, csp_fuzz_fixed_a_len);
    add(ds, "fixed-b.xml", csp_fuzz_fixed_b, csp_fuzz_fixed_b_len);
    const uint8_t *p = data, *end = data + size;
    for (int part = 0; part < MAX_PARTS; part++) {
        const uint8_t *q = part + 1 < MAX_PARTS ? next_split(p, end - p) : NULL;
        size_t n = (size_t)((q ? q : end) - p);
        char name[32];
        snprintf(name, sizeof name, "fuzz-%d.xml", part);
        add(ds, name, p, n);
        if (part == 0)
            add(ds, "copy/fuzz-0.xml", p, n);
        if (!q)
            break;
        p = q + sizeof SPLIT - 1;
    }
    if (csp_dataset_reconcile(ds) == CSP_OK)
        write_all(ds);
    csp_dataset_free(ds);
    return 0;
}
