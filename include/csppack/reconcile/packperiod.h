/*
 * Internal: the board pack's period and the checks of the periods and
 * submitted times of the files against it and against each other (W410
 * to W413), a stage of csp_dataset_reconcile.  The rules are in
 * doc/reconciliation-decisions.md, "The board pack's period".
 */
#ifndef CSPPACK_PACKPERIOD_H
#define CSPPACK_PACKPERIOD_H

#include "csppack/base/error.h"
#include "csppack/reconcile/reconcile.h"

/** Days a file's submitted time must be after every other file's to be
 *  reported as far ahead of them (W413): about half a year, twice the
 *  quarterly cycle, so that a year typed wrong is caught and a quarter's
 *  returns arriving late is not. */
#define CSP_FAR_AHEAD_DAYS 183

/**
 * Choose ds->pack_period and report, per file that
 * counts, its figures after that period (W410), outside the strategy's
 * years (W411), not over when the file was submitted (W412), and a
 * submitted time far after every other file's (W413).  Needs the files,
 * figures and claims in their final order; the diagnostics are sorted
 * afterwards with the others.  CSP_ERR_NOMEM.
 */
csp_error csp_packperiod_decide(csp_dataset *ds) CSP_MUST_CHECK;

#endif
