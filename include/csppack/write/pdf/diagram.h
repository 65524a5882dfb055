/*
 * csppack: diagrams in the PDF layout's flow: boxes with wrapped,
 * centred labels, connectors and arrows, drawn as vector graphics.
 *
 * A diagram is described by a csp_doc_diagram (write/doc.h): its
 * boxes' labels and groups (a column of a links diagram, a row of a
 * tree) and its connectors; its title captions only the HTML figure.
 * Box sizes come from the labels:
 * a label wraps inside its box, never over its edge, and boxes never
 * overlap.  Drawing one also records it in the layout's document, for
 * the HTML's figure and text alternative.
 */
#ifndef CSPPACK_WRITE_PDF_DIAGRAM_H
#define CSPPACK_WRITE_PDF_DIAGRAM_H

#include "csppack/write/doc.h"
#include "csppack/write/pdf/layout.h"

/** The size of the labels in a diagram's boxes, in points. */
#define CSP_DIAGRAM_LABEL_SIZE 9.0

/** The height @p g takes in the flow. */
double csp_layout_diagram_height(csp_layout *L, const csp_doc_diagram *g);

/**
 * Draw @p g in the flow, on a new page when it does not fit in what is
 * left of this one, in @p colours (one per box; NULL: the accent), and
 * record it in the document.  Moves the flow below it.
 */
void csp_layout_diagram(csp_layout *L, const csp_doc_diagram *g,
                        const csp_rgb *colours);

#endif
