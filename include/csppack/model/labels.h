/*
 * The wording the reports, the workbook, the receipts and the blank print
 * that is not data: headings, column titles, fixed phrases.  Each label
 * has a key (what a template writes in <labels><label key="...">) and a
 * default, today's wording, used when the template does not say its own
 * (doc/template-format.md, "Labels").  csp_template_label
 * (model/template.h) gives the template's wording or the default.
 *
 * To add a label: add one CSP_LABEL_X line to CSP_LABELS below (key in
 * the template's spelling, default wording), use csp_template_label in
 * the writer, and list it in doc/template-format.md.
 */
#ifndef CSPPACK_MODEL_LABELS_H
#define CSPPACK_MODEL_LABELS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(ENUM, "key", "default wording") */
#define CSP_LABELS(X)                                                          \
    X(THEME_KICKER, "theme", "Theme")                                          \
    X(WHY, "why", "Why is this objective a priority?")                         \
    X(CHALLENGES, "challenges", "What are our challenges?")                    \
    X(MEASURES, "measures", "How will we measure our impact?")                 \
    X(DELIVERY_GROUPS, "delivery-groups", "Key Delivery Groups")               \
    X(KEY_CONTACTS, "key-contacts", "Key Contacts")                            \
    X(PRIORITY_MATRIX, "priority-matrix",                                      \
      "How the Strategic Assessment priorities feed the themes")               \
    X(PRIORITY, "priority", "Strategic Assessment priority")                   \
    X(ACTION_PLAN, "action-plan", "Action Plan")                               \
    X(ACTION_REF, "action-ref", "Ref")                                         \
    X(ACTION_GROUP, "action-group", "Coordinating Delivery Group")             \
    X(KF_CATEGORY, "key-findings-category", "Category")                        \
    X(KF_CHANGE, "key-findings-change", "% change")                            \
    X(KF_RATE, "key-findings-rate", "Per 1,000 pop.")                          \
    X(CHART_YEARS, "chart-years", "Year ending")                               \
    X(CHART_FINANCIAL_YEARS, "chart-financial-years", "Financial year")        \
    X(CHART_CALENDAR_YEARS, "chart-calendar-years", "Year")                    \
    X(TRENDS, "trends", "Trends by area")                                      \
    X(ANNUAL_REPORT, "annual-report", "Annual report on the strategy")         \
    X(BOARD_PACK, "board-pack", "Quarterly board pack")                        \
    X(CONTENTS, "contents", "Contents")                                        \
    X(ACTION_STATUS, "action-status", "Action plan status")                    \
    X(DELIVERY_GROUP, "delivery-group", "Delivery group")                      \
    X(ALL_THEMES, "all-themes", "All themes")                                  \
    X(SHEET_ACTION_GROUP, "sheet-action-group", "Coordinating delivery group") \
    X(SHEET_PRIORITY, "sheet-priority", "Strategic assessment priority")       \
    X(SHEET_MEASURES, "sheet-measures",                                        \
      "Indicators: how we measure our impact")                                 \
    X(SHEET_KEY_FINDINGS, "sheet-key-findings",                                \
      "The strategic assessment's crime figures, by area.")                    \
    X(CATEGORY, "category", "Community safety")                                \
    X(HTML_VERSION, "html-version",                                            \
      "An accessible version of this document is published as HTML:")

/** A label's key. */
typedef enum csp_label {
#define CSP_LABEL_ENUM_(e, key, def) CSP_LABEL_##e,
    CSP_LABELS(CSP_LABEL_ENUM_)
#undef CSP_LABEL_ENUM_
        CSP_LABEL_COUNT
} csp_label;

/** The label's key as a template writes it ("measures"). */
const char *csp_label_key(csp_label label);

/** The label's default wording. */
const char *csp_label_default(csp_label label);

/** The label whose key is @p key; CSP_LABEL_COUNT when none is. */
csp_label csp_label_from_key(const char *key);

#ifdef __cplusplus
}
#endif
#endif
