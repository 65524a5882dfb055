/* csppack: what a mail file yields (read/mail_items.h). */
#include "csppack/read/mail_items.h"

#include <stdlib.h>
#include <string.h>

/* Free the items. */
void csp_mail_items_free(csp_mail_items *items)
{
    if (!items)
        return;
    for (size_t i = 0; i < items->count; i++) {
        csp_submission_free(items->items[i].sub);
        csp_diag_list_free(&items->items[i].diags);
    }
    free(items->items);
    memset(items, 0, sizeof *items);
}
