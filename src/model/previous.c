/* csppack: the previous pack, as read back for what changed since it
 * (model/previous.h). */
#include "csppack/model/previous.h"

#include <stdlib.h>

/* Free the previous pack and what it owns; its ids are the template's. */
void csp_previous_free(csp_previous *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfigures; i++)
        free(p->figures[i].agency);
    free(p->figures);
    free(p->actions);
    free(p->path);
    free(p);
}
