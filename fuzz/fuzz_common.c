/* What the fuzz targets share (fuzz_common.h). */
#include <stdlib.h>

#include "csppack/read/submission.h"
#include "csppack/read/template.h"
#include "fuzz_common.h"

/* The writers' sink. */
FILE *csp_fuzz_sink(void)
{
    FILE *f = fopen("/dev/null", "w");
    if (!f)
        abort();
    return f;
}

/* The built-in template. */
csp_template *csp_fuzz_template(const csp_read_options *opt)
{
    csp_template *tpl = NULL;
    csp_diag_list d;
    csp_diag_list_init(&d);
    if (csp_template_read(NULL, opt, &tpl, &d) != CSP_OK || !tpl)
        abort();
    csp_diag_list_free(&d);
    return tpl;
}

/* Options, template and sink for a target reading submissions. */
csp_template *csp_fuzz_start(csp_read_options *opt, FILE **sink)
{
    csp_read_options_init(opt);
    csp_template *tpl = csp_fuzz_template(opt);
    *sink = csp_fuzz_sink();
    return tpl;
}

/* Bytes read as a submission file and added. */
void csp_fuzz_add(csp_dataset *ds, const csp_template *tpl,
                  const csp_read_options *opt, const char *name,
                  const void *data, size_t size)
{
    csp_input in;
    csp_submission *sub = NULL;
    csp_diag_list d;
    csp_diag_list_init(&d);
    if (csp_input_from_memory(name, data, size, opt, &in, &d) == CSP_OK) {
        (void)csp_submission_parse(&in, tpl, opt, &sub, &d);
        csp_input_free(&in);
    }
    if (sub)
        (void)csp_dataset_add_submission(ds, sub, &d);
    else
        (void)csp_dataset_add_diags(ds, &d);
    csp_diag_list_free(&d);
}
