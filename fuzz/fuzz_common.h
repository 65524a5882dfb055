/*
 * What the fuzz targets share (fuzz/README.md): the fixed samples
 * `make fuzz` embeds, the built-in template, a sink for the writers, and
 * reading bytes as a submission the way a named file is read.
 */
#ifndef CSPPACK_FUZZ_COMMON_H
#define CSPPACK_FUZZ_COMMON_H

#include <stddef.h>
#include <stdio.h>

#include "csppack/read/xmlread.h"
#include "csppack/reconcile/reconcile.h"

/* Two valid samples, embedded by `make fuzz` (fuzz/fixed.c). */
extern const unsigned char csp_fuzz_fixed_a[];
extern const size_t csp_fuzz_fixed_a_len;
extern const unsigned char csp_fuzz_fixed_b[];
extern const size_t csp_fuzz_fixed_b_len;

/* /dev/null, opened for writing; aborts when it cannot be. */
FILE *csp_fuzz_sink(void);

/* The built-in template, read with @p opt; aborts when it is not usable. */
csp_template *csp_fuzz_template(const csp_read_options *opt);

/* What a target reading submissions does first: @p opt set to the
 * defaults, the built-in template read with it (returned) and the sink
 * opened into @p sink; aborts when one cannot be. */
csp_template *csp_fuzz_start(csp_read_options *opt, FILE **sink);

/* Read @p size bytes at @p data as the submission file @p name against
 * @p tpl, as a named file is, and add it to @p ds (its diagnostics
 * alone when it yields none). */
void csp_fuzz_add(csp_dataset *ds, const csp_template *tpl,
                  const csp_read_options *opt, const char *name,
                  const void *data, size_t size);

#endif
