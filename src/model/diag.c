/* csppack: diagnostics. */
#include "csppack/model/diag.h"

#include <stdlib.h>
#include <string.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"

/* The catalogue: code, kind, severity.  Order matches csp_diag_code. */
static const struct {
    const char *code;
    const char *kind;
    csp_severity sev;
} catalogue[CSP_D_COUNT_] = {
    [CSP_D_READ] = {"E101", "unreadable", CSP_SEV_ERROR},
    [CSP_D_TOO_LARGE] = {"E102", "too-large", CSP_SEV_ERROR},
    [CSP_D_COMPRESSED] = {"E103", "compressed", CSP_SEV_ERROR},
    [CSP_D_EMPTY] = {"E104", "empty", CSP_SEV_ERROR},
    [CSP_D_NOT_XML] = {"E105", "not-well-formed", CSP_SEV_ERROR},
    [CSP_D_ENCODING] = {"E106", "bad-encoding", CSP_SEV_ERROR},
    [CSP_D_DOCTYPE] = {"E107", "doctype", CSP_SEV_ERROR},
    [CSP_D_ROOT] = {"E108", "wrong-root", CSP_SEV_ERROR},
    [CSP_D_SCHEMA] = {"E109", "schema-invalid", CSP_SEV_ERROR},
    [CSP_D_STRATEGY] = {"E110", "wrong-strategy", CSP_SEV_ERROR},
    [CSP_D_AGENCY] = {"E111", "unknown-agency", CSP_SEV_ERROR},
    [CSP_D_SUBMITTED] = {"E112", "bad-submitted", CSP_SEV_ERROR},
    [CSP_D_TOO_MANY] = {"E113", "too-many-items", CSP_SEV_ERROR},
    [CSP_D_TEXT_TOO_LONG] = {"E114", "text-too-long", CSP_SEV_ERROR},
    [CSP_D_TOO_MANY_FILES] = {"E115", "too-many-files", CSP_SEV_ERROR},
    [CSP_D_NOT_A_FILE] = {"E116", "not-a-file", CSP_SEV_ERROR},
    [CSP_D_BROKEN_LINK] = {"E117", "broken-link", CSP_SEV_ERROR},
    [CSP_D_TOO_DEEP] = {"E118", "folder-too-deep", CSP_SEV_ERROR},
    [CSP_D_NOTHING_TO_READ] = {"E119", "nothing-to-read", CSP_SEV_ERROR},
    [CSP_D_SKIPPED] = {"I116", "skipped", CSP_SEV_INFO},
    [CSP_D_TOO_MANY_ATTRS] = {"E120", "too-many-attributes", CSP_SEV_ERROR},
    [CSP_D_TEXT_PIECES] = {"E121", "text-in-pieces", CSP_SEV_ERROR},
    [CSP_D_TOO_MANY_MISC] = {"E122", "too-many-comments", CSP_SEV_ERROR},
    [CSP_D_UNKNOWN_INDICATOR] = {"E201", "unknown-indicator", CSP_SEV_ERROR},
    [CSP_D_UNKNOWN_AREA] = {"E202", "unknown-area", CSP_SEV_ERROR},
    [CSP_D_UNKNOWN_ACTION] = {"E203", "unknown-action", CSP_SEV_ERROR},
    [CSP_D_NOT_A_NUMBER] = {"E210", "not-a-number", CSP_SEV_ERROR},
    [CSP_D_NOT_WHOLE] = {"E211", "not-whole", CSP_SEV_ERROR},
    [CSP_D_NEGATIVE] = {"E212", "negative", CSP_SEV_ERROR},
    [CSP_D_OVER_100] = {"E213", "over-100-percent", CSP_SEV_ERROR},
    [CSP_D_TOO_PRECISE] = {"E214", "too-many-digits", CSP_SEV_ERROR},
    [CSP_D_VALUE_MISSING] = {"E215", "value-missing", CSP_SEV_ERROR},
    [CSP_D_VALUE_UNEXPECTED] = {"E216", "value-unexpected", CSP_SEV_ERROR},
    [CSP_D_BAD_PERIOD] = {"E220", "bad-period", CSP_SEV_ERROR},
    [CSP_D_PERIOD_REVERSED] = {"E221", "period-reversed", CSP_SEV_ERROR},
    [CSP_D_BAD_STATUS] = {"E230", "bad-status", CSP_SEV_ERROR},
    [CSP_D_BAD_ACTION_STATUS] = {"E231", "bad-action-status", CSP_SEV_ERROR},
    [CSP_D_BAD_AS_OF] = {"E232", "bad-as-of", CSP_SEV_ERROR},
    [CSP_D_EMPTY_PROGRESS] = {"E233", "empty-progress", CSP_SEV_ERROR},
    [CSP_D_REPEATED_KEY] = {"E240", "repeated-key", CSP_SEV_ERROR},
    [CSP_D_TPL_DUPLICATE_ID] = {"E301", "template-duplicate-id", CSP_SEV_ERROR},
    [CSP_D_TPL_DANGLING] = {"E302", "template-dangling-reference", CSP_SEV_ERROR},
    [CSP_D_TPL_CYCLE] = {"E303", "template-rule-cycle", CSP_SEV_ERROR},
    [CSP_D_TPL_RULE_UNIT] = {"E304", "template-rule-unit", CSP_SEV_ERROR},
    [CSP_D_TPL_VALUE] = {"E305", "template-bad-value", CSP_SEV_ERROR},
    [CSP_D_DUPLICATE_FILE] = {"I401", "duplicate-file", CSP_SEV_INFO},
    [CSP_D_SUPERSEDED] = {"I402", "superseded", CSP_SEV_INFO},
    [CSP_D_WITHDRAWN] = {"I403", "withdrawn", CSP_SEV_INFO},
    [CSP_D_CONFLICT] = {"E404", "conflict", CSP_SEV_ERROR},
    [CSP_D_NON_OWNER_DIFFERS] = {"W405", "non-owner-differs", CSP_SEV_WARNING},
    [CSP_D_NOT_FROM_OWNER] = {"W406", "not-from-owner", CSP_SEV_WARNING},
    [CSP_D_DISPUTED] = {"E407", "disputed", CSP_SEV_ERROR},
    [CSP_D_STATUS_TIE] = {"W408", "status-tie", CSP_SEV_WARNING},
    [CSP_D_CHECK_FAILED] = {"W409", "check-failed", CSP_SEV_WARNING},
    [CSP_D_AFTER_PACK] = {"W410", "after-pack-period", CSP_SEV_WARNING},
    [CSP_D_OUTSIDE_YEARS] = {"W411", "outside-strategy-years",
                             CSP_SEV_WARNING},
    [CSP_D_NOT_ENDED] = {"W412", "period-not-over", CSP_SEV_WARNING},
    [CSP_D_FAR_AHEAD] = {"W413", "submitted-far-ahead", CSP_SEV_WARNING},
    [CSP_D_NO_ATTACHMENT] = {"W501", "no-submission-attached",
                             CSP_SEV_WARNING},
    [CSP_D_NOT_SUBMISSION] = {"I502", "attachment-not-submission",
                              CSP_SEV_INFO},
    [CSP_D_MAIL_UNREADABLE] = {"E503", "mail-unreadable", CSP_SEV_ERROR},
    [CSP_D_OUTLOOK_MSG] = {"E504", "outlook-msg", CSP_SEV_ERROR},
    [CSP_D_SENDER_DOMAIN] = {"W505", "sender-domain", CSP_SEV_WARNING},
    [CSP_D_SENDER_REFUSED] = {"E506", "sender-refused", CSP_SEV_ERROR},
    [CSP_D_AUTH_FAILED] = {"W507", "authentication-failed",
                           CSP_SEV_WARNING},
    [CSP_D_PLACEHOLDER] = {"W601", "placeholder-left", CSP_SEV_WARNING},
};

/* The printed code. */
const char *csp_diag_code_str(csp_diag_code code)
{
    return code < CSP_D_COUNT_ ? catalogue[code].code : "E000";
}

/* The class name. */
const char *csp_diag_kind(csp_diag_code code)
{
    return code < CSP_D_COUNT_ ? catalogue[code].kind : "unknown";
}

/* The severity. */
csp_severity csp_diag_severity(csp_diag_code code)
{
    return code < CSP_D_COUNT_ ? catalogue[code].sev : CSP_SEV_ERROR;
}

/* "error", "warning" or "info". */
const char *csp_severity_str(csp_severity sev)
{
    switch (sev) {
    case CSP_SEV_ERROR: return "error";
    case CSP_SEV_WARNING: return "warning";
    case CSP_SEV_INFO: return "info";
    }
    return "error";
}

/* Codes E1xx refuse a whole file (E118 and E119 a folder's files); I116
 * refuses nothing (it comes after them).  So do E503 and E504 (a mail
 * file that cannot be read) and E506 (a sender refused). */
bool csp_diag_refuses_file(csp_diag_code code)
{
    return code <= CSP_D_TOO_MANY_MISC || code == CSP_D_MAIL_UNREADABLE ||
           code == CSP_D_OUTLOOK_MSG || code == CSP_D_SENDER_REFUSED;
}

/* Codes E2xx refuse one item. */
bool csp_diag_refuses_item(csp_diag_code code)
{
    return code >= CSP_D_UNKNOWN_INDICATOR && code <= CSP_D_REPEATED_KEY;
}

/* An empty list. */
void csp_diag_list_init(csp_diag_list *list)
{
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

/* Is code point @p v shown as \uHHHH: a C1 control, a bidirectional
 * control (LRM, RLM, ALM, embeddings, overrides, isolates) or a line or
 * paragraph separator? */
static bool shown_escaped(uint32_t v)
{
    return (v >= 0x80 && v <= 0x9F) || v == 0x061C || v == 0x200E ||
           v == 0x200F || (v >= 0x2028 && v <= 0x202E) ||
           (v >= 0x2066 && v <= 0x2069);
}

/* The display form of untrusted text (see diag.h). */
size_t csp_text_show(const char *s, size_t n, size_t max_chars, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0, chars = 0;
    char esc[8];
    for (size_t i = 0; i < n;) {
        uint32_t v = 0;
        size_t len = csp_utf8_decode(s + i, n - i, &v), elen = 0;
        if (max_chars && chars == max_chars) {
            if (out)
                memcpy(out + w, "\xE2\x80\xA6", 3); /* "…" */
            return w + 3;
        }
        if (len == 0 || v < 0x20 || v == 0x7F) {
            unsigned char b = p[i];
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[b >> 4];
            esc[3] = hex[b & 15];
            elen = 4;
            len = 1;
        } else if (v == '\\') {
            esc[0] = esc[1] = '\\';
            elen = 2;
        } else if (shown_escaped(v)) {
            esc[0] = '\\';
            esc[1] = 'u';
            for (int k = 0; k < 4; k++)
                esc[2 + k] = hex[(v >> (12 - 4 * k)) & 15];
            elen = 6;
        }
        if (out) {
            if (elen)
                memcpy(out + w, esc, elen);
            else
                memcpy(out + w, p + i, len);
        }
        w += elen ? elen : len;
        i += len;
        chars++;
    }
    return w;
}

/* csp_text_show of a string, malloc'd. */
char *csp_text_shown(const char *s, size_t max_chars)
{
    size_t n = strlen(s), len = csp_text_show(s, n, max_chars, NULL);
    char *out = csp_malloc(len + 1);
    if (!out)
        return NULL;
    csp_text_show(s, n, max_chars, out);
    out[len] = '\0';
    return out;
}

/* Free one diagnostic's strings: one allocation, at its message. */
void csp_diag_free_strings(csp_diag *d)
{
    free(d->message);
}

/* Free the list and everything in it. */
void csp_diag_list_free(csp_diag_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        csp_diag_free_strings(&list->items[i]);
    free(list->items);
    csp_diag_list_init(list);
}

/* Append a diagnostic with a va_list message. */
csp_diag *csp_diag_addv(csp_diag_list *list, const csp_diag *proto,
                        const char *fmt, va_list ap)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        csp_diag *p = csp_realloc(list->items, cap * sizeof *p);
        if (!p)
            return NULL;
        list->items = p;
        list->capacity = cap;
    }
    /* The message, then the key strings of proto, in one allocation: a
     * diagnostic has up to seven strings, and a malloc'ed block costs 8
     * to 24 bytes beyond its string. */
    const char *const keys[] = {proto->file, proto->agency, proto->indicator,
                                proto->area, proto->ref,   proto->values};
    csp_diag d = *proto;
    char **fields[] = {&d.file, &d.agency, &d.indicator,
                       &d.area, &d.ref,    &d.values};
    char small[512];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n < 0)
        return NULL;
    size_t total = (size_t)n + 1;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (keys[k])
            total += strlen(keys[k]) + 1;
    char *block = csp_malloc(total), *at;
    if (!block)
        return NULL;
    if ((size_t)n < sizeof small)
        memcpy(block, small, (size_t)n + 1);
    else
        vsnprintf(block, (size_t)n + 1, fmt, ap);
    d.message = block;
    at = block + n + 1;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        *fields[k] = NULL;
        if (keys[k]) {
            size_t len = strlen(keys[k]) + 1;
            memcpy(at, keys[k], len);
            *fields[k] = at;
            at += len;
        }
    }
    list->items[list->count] = d;
    return &list->items[list->count++];
}

/* Append a diagnostic. */
csp_diag *csp_diag_add(csp_diag_list *list, const csp_diag *proto,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    csp_diag *d = csp_diag_addv(list, proto, fmt, ap);
    va_end(ap);
    return d;
}

/* Move all of from into to. */
csp_error csp_diag_list_take(csp_diag_list *to, csp_diag_list *from)
{
    if (from->count == 0)
        return CSP_OK;
    if (to->count + from->count > to->capacity) {
        size_t cap = to->count + from->count;
        csp_diag *p = csp_realloc(to->items, cap * sizeof *p);
        if (!p)
            return CSP_ERR_NOMEM;
        to->items = p;
        to->capacity = cap;
    }
    memcpy(to->items + to->count, from->items, from->count * sizeof *from->items);
    to->count += from->count;
    free(from->items);
    csp_diag_list_init(from);
    return CSP_OK;
}

/* How many of a severity. */
size_t csp_diag_list_count(const csp_diag_list *list, csp_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        n += csp_diag_severity(list->items[i].code) == sev;
    return n;
}

/* strcmp treating NULL as "". */
static int nstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* Canonical order of two diagnostics after their file. */
int csp_diag_cmp_in_file(const csp_diag *a, const csp_diag *b)
{
    int c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if ((c = strcmp(csp_diag_code_str(a->code), csp_diag_code_str(b->code))))
        return c;
    if ((c = nstrcmp(a->indicator, b->indicator)) ||
        (c = nstrcmp(a->area, b->area)))
        return c;
    if (a->has_period != b->has_period)
        return a->has_period ? 1 : -1;
    if (a->has_period && (c = csp_period_cmp(a->period, b->period)))
        return c;
    if ((c = nstrcmp(a->ref, b->ref)) || (c = nstrcmp(a->agency, b->agency)) ||
        (c = nstrcmp(a->values, b->values)))
        return c;
    return nstrcmp(a->message, b->message);
}

/* Canonical order of two diagnostics. */
static int diag_cmp(const void *pa, const void *pb)
{
    const csp_diag *a = pa, *b = pb;
    int c = nstrcmp(a->file, b->file);
    return c ? c : csp_diag_cmp_in_file(a, b);
}

/* Sort into canonical order. */
void csp_diag_list_sort(csp_diag_list *list)
{
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, diag_cmp);
}

/* FILE:LINE: severity: CODE: message */
void csp_diag_print(FILE *out, const csp_diag *d)
{
    const char *sev = csp_severity_str(csp_diag_severity(d->code));
    if (d->file && d->line)
        fprintf(out, "%s:%lu: ", d->file, d->line);
    else if (d->file)
        fprintf(out, "%s: ", d->file);
    else
        fputs("csppack: ", out);
    fprintf(out, "%s: %s: %s\n", sev, csp_diag_code_str(d->code),
            d->message ? d->message : "");
}
