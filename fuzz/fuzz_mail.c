/*
 * libFuzzer target: the mail reader, and what the pack makes of what a
 * message says about itself.
 *
 * Each input is the bytes of one mail file, named "fuzz.eml" (so that a
 * file of any bytes is read as mail, as a saved message named so is):
 * a message or an mbox, judged by csp_mail_sniff as a named file is.
 * Every submission it yields is reconciled with a fixed valid sample,
 * and the dataset's receipts and their reply drafts, which quote the
 * messages' From, Subject, Message-ID and References, are written to
 * /dev/null, with dataset.xml, which records them.
 *
 * Built by `make fuzz` (see Makefile.am); run with fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csppack/base/mime.h"
#include "csppack/read/mail.h"
#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "csppack/read/xmlread.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/reconcile/returns.h"
#include "csppack/write/dataset_xml.h"
#include "csppack/write/receipts.h"
#include "csppack/write/receipts/eml.h"
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
    csp_mime_init();
    return 0;
}

/* Every receipt and reply draft, and dataset.xml, to /dev/null. */
static void write_all(const csp_dataset *ds)
{
    csp_receipt_list rl = {0};
    csp_returns ret = {0};
    const csp_returns *rp = NULL;
    csp_period period;
    (void)csp_dataset_write_xml(ds, sink);
    if (csp_pack_default_period(ds, &period) &&
        csp_period_is_quarter(period) &&
        csp_returns_compute(ds, period, &ret) == CSP_OK)
        rp = &ret;
    if (csp_receipts_list(ds, rp, &rl) == CSP_OK)
        for (size_t i = 0; i < rl.count; i++) {
            (void)csp_receipt_write(ds, rl.agencies[i], rp, sink);
            (void)csp_receipt_eml_write(ds, rl.agencies[i], rp, sink);
        }
    csp_receipt_list_free(&rl);
    csp_returns_free(&ret);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csp_dataset *ds = csp_dataset_new(tpl);
    csp_input in;
    csp_mail_items items = {0};
    csp_diag_list d;
    csp_diag_list_init(&d);
    if (!ds)
        return 0;
    csp_fuzz_add(ds, tpl, &opt, "fixed-a.xml", csp_fuzz_fixed_a,
                 csp_fuzz_fixed_a_len);
    if (csp_input_from_memory("fuzz.eml", data, size, &opt, &in, &d) ==
        CSP_OK) {
        csp_mail_kind kind = csp_mail_sniff(&in);
        if (kind != CSP_MAIL_NONE &&
            csp_mail_read("fuzz.eml", &in, kind, tpl, &opt, &items) ==
                CSP_OK)
            for (size_t i = 0; i < items.count; i++) {
                csp_mail_item *it = &items.items[i];
                if (it->sub)
                    (void)csp_dataset_add_submission(ds, it->sub,
                                                     &it->diags);
                else
                    (void)csp_dataset_add_diags(ds, &it->diags);
                it->sub = NULL;
            }
        csp_mail_items_free(&items);
        csp_input_free(&in);
    }
    csp_diag_list_free(&d);
    if (csp_dataset_reconcile(ds) == CSP_OK)
        write_all(ds);
    csp_dataset_free(ds);
    return 0;
}
