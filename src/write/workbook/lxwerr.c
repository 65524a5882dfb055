/* csppack: libxlsxwriter's "[ERROR]" lines, held back from stderr while a
 * workbook is written (lxwerr.h). */
#include "csppack/write/workbook/lxwerr.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Point stderr at memory (glibc lets it be assigned). */
csp_error csp_workbook_hold_begin(csp_workbook_hold *h)
{
    memset(h, 0, sizeof *h);
#ifdef __GLIBC__
    if (!(h->held = open_memstream(&h->printed, &h->printed_len)))
        return CSP_ERR_NOMEM;
    h->saved = stderr;
    stderr = h->held;
#endif
    return CSP_OK;
}

/* The last line of @p printed that says "[ERROR] ...", without the tag,
 * the source location ("[./src/worksheet.c:200]: ") and the function name
 * ("workbook_close(): "), into @p lib (left empty when there is none). */
static void library_error(const char *printed, csp_why *lib)
{
    const char *p = NULL;
    for (const char *q = printed; q && (q = strstr(q, "[ERROR]")); q++)
        p = q;
    if (!p)
        return;
    p += strlen("[ERROR]");
    const char *loc = *p == '[' ? strstr(p, "]: ") : NULL;
    if (loc && loc < p + strcspn(p, "\n"))
        p = loc + 1;
    while (*p == ' ' || *p == ':')
        p++;
    const char *call = strstr(p, "(): ");
    if (call && call < p + strcspn(p, " \n"))
        p = call + strlen("(): ");
    int n = (int)strcspn(p, "\n");
    csp_why_set(lib, "%.*s", n, p);
}

/* Give stderr back; the library's last reason, and the verdict. */
csp_error csp_workbook_hold_end(csp_workbook_hold *h, csp_error err,
                                csp_why *why)
{
#ifdef __GLIBC__
    if (h->held) {
        stderr = h->saved;
        if ((fflush(h->held) != 0 || ferror(h->held)) && err == CSP_OK)
            err = CSP_ERR_NOMEM; /* its lines did not fit in memory */
        fclose(h->held);
        h->held = NULL;
    }
#endif
    csp_why line;
    csp_why_clear(&line);
    library_error(h->printed, &line);
    bool said = line.text[0] != '\0';
    if (err == CSP_OK && said)
        err = strstr(line.text, "Memory allocation failed") ? CSP_ERR_NOMEM
                                                            : CSP_ERR_INTERNAL;
    if (said && why) {
        csp_why folded;
        csp_why_clear(&folded);
        csp_why_set(&folded, "%s (libxlsxwriter: %s)", csp_why_text(why, err),
                    line.text);
        *why = folded;
    }
    if (err == CSP_OK && h->printed && h->printed_len)
        fputs(h->printed, stderr);
    free(h->printed);
    h->printed = NULL;
    return err;
}
