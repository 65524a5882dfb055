/*
 * Internal to the template reader: one <diagram> of a section's blocks
 * read into the model, with its own checks (doc/template-format.md,
 * "Diagrams").
 */
#ifndef CSPPACK_READ_TEMPLATE_DIAGRAM_H
#define CSPPACK_READ_TEMPLATE_DIAGRAM_H

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/model/template.h"
#include "csppack/read/template_reader.h"

/**
 * Read <diagram> @p node into *out (allocated; NULL on failure).  Its
 * node ids must be unique within it (E301); every parent= and <link>
 * must name a node declared before (parent) or anywhere in it (link)
 * (E302); a row= must be below every parent's row, and of="priorities"
 * takes no nodes (E305).  Reported errors are not failures: the
 * diagram is kept, without the connectors that name no node.
 */
csp_error csp_tpl_read_diagram(csp_tpl_reader *r, xmlNodePtr node,
                               csp_diagram **out) CSP_MUST_CHECK;

#endif
