/*
 * Internal to the template reader: what a template says about judging
 * its indicators and about what their owners owe (src/read/
 * template_judge.c): thresholds, polarity, comparator, baseline, targets
 * and frequency (doc/template-format.md, "Judgement").
 */
#ifndef CSPPACK_READ_TEMPLATE_JUDGE_H
#define CSPPACK_READ_TEMPLATE_JUDGE_H

#include <libxml/tree.h>

#include "csppack/base/error.h"
#include "csppack/model/template.h"
#include "csppack/read/template_reader.h"

/**
 * The amber-within= and no-change-within= attributes of @p node (an
 * <indicators> or <indicator> element) into @p out, each one absent
 * taken from @p dflt.  @p indicator is the indicator's id, NULL for
 * <indicators>.  A value with more digits than csppack holds is
 * diagnosed (E305).
 */
csp_error csp_tpl_read_thresholds(csp_tpl_reader *r, xmlNodePtr node,
                                  const csp_thresholds *dflt,
                                  const char *indicator,
                                  csp_thresholds *out) CSP_MUST_CHECK;

/**
 * The judgement of the <indicator> @p node into @p ind (whose id is
 * read): better=, compare=, baseline=, frequency=, its thresholds (the
 * template's unless it says its own) and its <target> children, sorted
 * by period then area.  Diagnoses what needs this element only (E305,
 * E301 for a repeated target) and records target areas for E302.
 */
csp_error csp_tpl_read_judgement(csp_tpl_reader *r, xmlNodePtr node,
                                 csp_indicator *ind) CSP_MUST_CHECK;

#endif
