/*
 * Internal to the reconcile layer: the action plan's items, their
 * history and the updates that decide their status.
 */
#ifndef CSPPACK_RECONCILE_ACTIONS_H
#define CSPPACK_RECONCILE_ACTIONS_H

#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/dataset.h"

/** Give each item's updates the files' sorted indexes (where, by holder),
 * sort them into history order and choose the current one. */
csp_error csp_actions_finish(csp_dataset *ds, const size_t *where);

#endif
