/* csppack: the reports' fixed wording and its defaults (model/labels.h). */
#include "csppack/model/labels.h"

#include <string.h>

static const struct {
    const char *key;
    const char *def;
} labels[CSP_LABEL_COUNT] = {
#define CSP_LABEL_ROW_(e, key, def) {key, def},
    CSP_LABELS(CSP_LABEL_ROW_)
#undef CSP_LABEL_ROW_
};

const char *csp_label_key(csp_label label)
{
    return (unsigned)label < CSP_LABEL_COUNT ? labels[label].key : "";
}

const char *csp_label_default(csp_label label)
{
    return (unsigned)label < CSP_LABEL_COUNT ? labels[label].def : "";
}

csp_label csp_label_from_key(const char *key)
{
    for (size_t i = 0; key && i < CSP_LABEL_COUNT; i++)
        if (strcmp(labels[i].key, key) == 0)
            return (csp_label)i;
    return CSP_LABEL_COUNT;
}
