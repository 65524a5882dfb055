/*
 * The reconciled dataset as XML (namespace urn:csppack:dataset:1): the
 * archival and interchange form of a run, every figure with its
 * provenance.  The format is doc/dataset-format.md; its XSD is
 * templates/dataset.xsd (compiled into csppack, so `csppack validate
 * pack/dataset.xml` checks a written dataset).
 *
 * The output is deterministic: it depends only on the set of input files
 * (their bytes, and their base names where a file is named), never on the
 * clock, the host, the locale or the order of the inputs.  There is no
 * creation timestamp; the dataset carries the latest `submitted` instant
 * of the files that count instead.
 */
#ifndef CSPPACK_DATASET_H
#define CSPPACK_DATASET_H

#include <stdio.h>

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the dataset format written (the `version` attribute). */
#define CSP_DATASET_FORMAT_VERSION "3"

/**
 * Write reconciled dataset @p ds (borrowed) as XML to @p out (not closed).
 * CSP_ERR_USAGE when @p ds is not reconciled, CSP_ERR_IO when writing
 * failed (or a progress statement could not be read back), CSP_ERR_NOMEM.
 */
csp_error csp_dataset_write_xml(const csp_dataset *ds, FILE *out)
    CSP_MUST_CHECK;

#ifdef __cplusplus
}
#endif
#endif
