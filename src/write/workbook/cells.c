/* csppack: the workbook's text helpers (cells.h): cell texts within
 * Excel's limits, widths, sheet names and the words of a status. */
#include "csppack/write/workbook/cells.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "csppack/base/alloc.h"
#include "csppack/base/utf8.h"

/* Bytes of the character at @p s: 1 for a byte that starts none, so that
 * a text that is not UTF-8 is still walked a byte at a time, never past
 * its NUL. */
size_t csp_workbook_char_len(const char *s)
{
    size_t k = csp_utf8_seq_len(s, strnlen(s, 4));
    return k ? k : 1;
}

/* Does s start with "_xHHHH_", which Excel reads as an escaped character? */
static bool is_x_escape(const char *s)
{
    static const char hex[] = "0123456789abcdefABCDEF";
    if (s[0] != '_' || s[1] != 'x')
        return false;
    for (int i = 2; i < 6; i++)
        if (!s[i] || !strchr(hex, s[i]))
            return false;
    return s[6] == '_';
}

/* UTF-16 code units of a text. */
static size_t u16_units(const char *s)
{
    size_t n = 0;
    while (*s) {
        size_t k = csp_workbook_char_len(s);
        n += k == 4 ? 2 : 1;
        s += k;
    }
    return n;
}

/* The cell text: escaped, and cut with a mark when too long. */
char *csp_workbook_cell_text(const char *text, size_t limit, const char *mark,
                             bool *truncated)
{
    if (truncated)
        *truncated = false;
    if (!text)
        text = "";
    if (!mark)
        mark = "";
    size_t need = 0, bytes = 0, escapes = 0;
    for (const char *p = text; *p;) {
        unsigned char b = (unsigned char)*p;
        if (b < 0x80 && b != '_') { /* most of a text: one unit, one byte */
            need++, bytes++, p++;
            continue;
        }
        size_t k = csp_workbook_char_len(p);
        if (is_x_escape(p))
            need += 6, bytes += 6, escapes++;
        need += k == 4 ? 2 : 1;
        bytes += k;
        p += k;
    }
    bool cut = need > limit;
    size_t mark_units = u16_units(mark), mark_bytes = strlen(mark);
    size_t budget = !cut ? need : limit > mark_units ? limit - mark_units : 0;
    char *out = csp_malloc(bytes + mark_bytes + 1);
    if (!out)
        return NULL;
    if (!cut && !escapes) { /* the text as it is */
        memcpy(out, text, bytes + 1);
        return out;
    }
    size_t used = 0, o = 0;
    for (const char *p = text; *p;) {
        size_t k = csp_workbook_char_len(p);
        size_t esc = is_x_escape(p) ? 6 : 0;
        size_t u = esc + (k == 4 ? 2 : 1);
        if (used + u > budget)
            break;
        if (esc) {
            memcpy(out + o, "_x005F", 6);
            o += 6;
        }
        memcpy(out + o, p, k);
        o += k;
        used += u;
        p += k;
    }
    if (cut) {
        memcpy(out + o, mark, mark_bytes);
        o += mark_bytes;
        if (truncated)
            *truncated = true;
    }
    out[o] = '\0';
    return out;
}

/* Characters on the longest line of @p s, its wrapped lines and its
 * UTF-16 code units (cells.h).  One pass over the text: the Action
 * history measures every progress statement. */
size_t csp_workbook_text_extent(const char *s, size_t width, size_t *lines,
                                size_t *units)
{
    size_t per = width > 2 ? width - 1 : 1, best = 0, cur = 0, n = 0, u = 0;
    const char *p = s ? s : "";
    for (;;) {
        unsigned char b = (unsigned char)*p;
        if (b == '\n' || b == '\0') {
            n += cur ? (cur + per - 1) / per : 1;
            if (cur > best)
                best = cur;
            cur = 0;
            if (!b)
                break;
            u++;
            p++;
            continue;
        }
        if (b == '_' && units && is_x_escape(p))
            return SIZE_MAX;
        size_t k = b < 0x80 ? 1 : csp_workbook_char_len(p);
        u += k == 4 ? 2 : 1;
        cur++;
        p += k;
    }
    if (lines)
        *lines = n;
    if (units)
        *units = u;
    return best;
}

/* Characters on the longest line. */
size_t csp_workbook_text_width(const char *text)
{
    return csp_workbook_text_extent(text, 0, NULL, NULL);
}

/* "base", "base (2)"... within Excel's 31 characters. */
void csp_workbook_sheet_name(const char *base, unsigned part, char buf[128])
{
    char suffix[16] = "";
    if (part > 1)
        snprintf(suffix, sizeof suffix, " (%u)", part);
    size_t room = (size_t)LXW_SHEETNAME_MAX - strlen(suffix);
    size_t o = 0, chars = 0;
    for (const char *p = base ? base : ""; *p && chars < room;) {
        size_t k = csp_workbook_char_len(p);
        if (k == 1 && (strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20))
            buf[o++] = '_';
        else {
            memcpy(buf + o, p, k);
            o += k;
        }
        chars++;
        p += k;
    }
    if (o == 0) {
        memcpy(buf, "Sheet", 5);
        o = 5;
    }
    /* A name may not start or end with an apostrophe. */
    if (buf[0] == '\'')
        buf[0] = '_';
    if (!suffix[0] && buf[o - 1] == '\'')
        buf[o - 1] = '_';
    memcpy(buf + o, suffix, strlen(suffix) + 1);
}

/* Shape and words of a status. */
const char *csp_workbook_status_label(csp_action_status st)
{
    switch (st) {
    case CSP_ACT_ON_TRACK:
        return "\xe2\x97\x8f On track";      /* ● */
    case CSP_ACT_AT_RISK:
        return "\xe2\x96\xb2 At risk";       /* ▲ */
    case CSP_ACT_OFF_TRACK:
        return "\xe2\x9c\x96 Off track";     /* ✖ */
    case CSP_ACT_COMPLETE:
        return "\xe2\x9c\x94 Complete";      /* ✔ */
    case CSP_ACT_NOT_STARTED:
        return "\xe2\x97\x8b Not started";   /* ○ */
    }
    return "?";
}

/* Does the file end with a zip's end-of-central-directory record that
 * accounts for the whole file?  (A file descriptor, not a FILE: nothing
 * to allocate, so no "incomplete" for want of memory.) */
bool csp_workbook_file_complete(const char *path)
{
    unsigned char e[22];
    bool ok = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    off_t size = lseek(fd, 0, SEEK_END);
    if (size >= (off_t)sizeof e) {
        if (pread(fd, e, sizeof e, size - (off_t)sizeof e) ==
            (ssize_t)sizeof e) {
#define LE32(p) ((uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | \
                 (uint32_t)(p)[2] << 16 | (uint32_t)(p)[3] << 24)
            uint32_t sig = LE32(e), cd_size = LE32(e + 12),
                     cd_off = LE32(e + 16);
#undef LE32
            unsigned comment = (unsigned)e[20] | (unsigned)e[21] << 8;
            ok = sig == 0x06054b50u && comment == 0 &&
                 (cd_off == 0xFFFFFFFFu ||
                  (uint64_t)cd_off + cd_size + sizeof e == (uint64_t)size);
        }
    }
    close(fd);
    return ok;
}

