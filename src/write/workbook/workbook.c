/* csppack: the Excel workbook, written with libxlsxwriter. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "csppack/write/workbook/workbook.h"

#include <dlfcn.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <minizip/zip.h>
#include <pthread.h>
#include <signal.h>
#include <xlsxwriter.h>

#include "csppack/base/alloc.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/write/common.h"
#include "csppack/base/strbuf.h"
#include "csppack/base/workers.h"

/* Whether the workbook being closed on this thread may deflate its large
 * parts on two ("Compression", at the end). */
static _Thread_local bool deflate_two;

/* A part failed for want of memory: libxlsxwriter reports any failure
 * of the zip layer as ZIP_INTERNALERROR and "System error = ...", and
 * csp_workbook_write says "out of memory" instead.  Set on the thread
 * that closes the workbook. */
static _Thread_local bool zip_nomem;

/* ------------------------------------------------------------------------
 * Helpers on text
 * ------------------------------------------------------------------------ */

/* Bytes of the UTF-8 character at s (1 for a byte that starts none, and
 * never past a NUL, so that invalid input cannot make us overrun). */
static size_t u8_step(const char *s)
{
    unsigned char b = (unsigned char)s[0];
    size_t n = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
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
        size_t k = u8_step(s);
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
        size_t k = u8_step(p);
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
        size_t k = u8_step(p);
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

/* Characters on the longest line of @p s and, when @p lines is not NULL,
 * the lines it needs wrapped in a column @p width characters wide: every
 * line of it, at a character less than the width for the ragged right
 * edge.  An estimate (the font is proportional), on the generous side:
 * Excel and LibreOffice do not size rows to wrapped text on opening a
 * file, so the writer sets each row's height.  When @p units is not NULL
 * the same pass counts the text's UTF-16 code units (what Excel's limit
 * counts) into it, and returns SIZE_MAX if the text holds an "_xHHHH_"
 * (csp_workbook_cell_text would escape it).  One pass: the Action history
 * measures every progress statement. */
/* What the workbook's measures and text helpers look for, by byte
 * (csp_out_scan): PLAIN ends a run of plain ASCII (a newline, "_", NUL,
 * any byte above 0x7F); CONTROL is a control character other than tab and
 * newline (lxw_escape_control_characters); DATA is &, < or >
 * (lxw_escape_data). */
enum { WB_PLAIN = 1, WB_CONTROL = 2, WB_DATA = 4 };
#define P WB_PLAIN
#define C WB_CONTROL
#define D WB_DATA
static const unsigned char wb_scan[256] = {
    P, C, C, C, C, C, C, C, C, 0, P, C, C, C, C, C, /* 0x00: NUL, tab, LF */
    C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, C, /* 0x10 */
    0, 0, 0, 0, 0, 0, D, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: & */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, D, 0, D, 0, /* 0x30: < > */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, P, /* 0x50: _ */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, /* 0x80... */
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
    P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
};
#undef P
#undef C
#undef D

/* Bytes from @p p, before @p end, that are none of @p bits in wb_scan. */
static size_t wb_run(const char *p, const char *end, unsigned bits)
{
    const unsigned char *q = (const unsigned char *)p;
    return (size_t)(csp_out_scan(q, (const unsigned char *)end, wb_scan,
                                 bits) -
                    q);
}

static size_t text_extent_units(const char *s, size_t width, size_t *lines,
                                size_t *units)
{
    size_t per = width > 2 ? width - 1 : 1, best = 0, cur = 0, n = 0, u = 0;
    s = s ? s : "";
    const char *end = s + strlen(s);
    for (const char *p = s;;) {
        size_t run = wb_run(p, end, WB_PLAIN); /* a character, a unit each */
        cur += run;
        u += run;
        p += run;
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
        size_t k = b < 0x80 ? 1 : u8_step(p);
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

static size_t text_extent(const char *s, size_t width, size_t *lines)
{
    return text_extent_units(s, width, lines, NULL);
}

/* Characters on the longest line. */
size_t csp_workbook_text_width(const char *text)
{
    return text_extent(text, 0, NULL);
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
        size_t k = u8_step(p);
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

/* "% change (15 to 16)". */
void csp_workbook_change_header(const csp_period *periods, size_t nperiods,
                                char buf[64])
{
    if (nperiods < 2) {
        snprintf(buf, 64, "%% change");
        return;
    }
    int y1, y2, m, d;
    csp_date_to_ymd(periods[nperiods - 2].end, &y1, &m, &d);
    csp_date_to_ymd(periods[nperiods - 1].end, &y2, &m, &d);
    snprintf(buf, 64, "%% change (%02d to %02d)", (y1 % 100 + 100) % 100,
             (y2 % 100 + 100) % 100);
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

/* Defaults: Excel's own limits. */
void csp_workbook_options_init(csp_workbook_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_rows = CSP_WORKBOOK_MAX_ROWS;
    opt->max_comments = CSP_WORKBOOK_COMMENTS_MAX;
}

/* ------------------------------------------------------------------------
 * The writer's state
 * ------------------------------------------------------------------------ */

/* How a figure cell is marked. */
enum { FIG_FINAL, FIG_PROVISIONAL, FIG_ESTIMATED, FIG_MISSING, FIG_DISPUTED,
       FIG_KINDS };
#define FIG_DECIMALS (CSP_DECIMAL_MAX_SCALE + 1)
#define N_STATUS 5
#define HDR ((lxw_row_t)CSP_WORKBOOK_HEADER_ROW)
/* A comment is built up to this many bytes: enough for more than a
 * cell's worth of characters, so that cutting it is always marked. */
#define COMMENT_CAP (4 * (size_t)CSP_WORKBOOK_MAX_CELL + 64)

typedef struct wb_ctx {
    const csp_dataset *ds;
    const csp_template *tpl;
    lxw_workbook *wb;
    size_t max_rows;
    csp_workbook_result *res;
    csp_why *why;                     /* on failure: what failed */
    csp_error err;
    size_t max_comments;              /* options.max_comments */
    bool no_figure_comments;          /* past it: on Indicators */
    char header[LXW_HEADER_FOOTER_MAX * 4 + 1];

    lxw_format *title, *intro, *heading, *thead, *text, *wrap, *note,
        *integer, *date, *datetime, *change, *refused, *code, *center;
    lxw_format *fig[FIG_KINDS][2][FIG_DECIMALS]; /* [kind][csppack's][dec] */
    lxw_format *status[N_STATUS];     /* by csp_action_status */
    lxw_format *severity[3];          /* by csp_severity */
    lxw_format *cond[N_STATUS];       /* conditional: by csp_action_status */
} wb_ctx;

/* A pointer libxlsxwriter's structures want as char * (it copies). */
static char *mut(const char *s)
{
    return (char *)(uintptr_t)s;
}

/* Record the first failure of libxlsxwriter. */
static void lxw_fail(wb_ctx *c, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || c->err != CSP_OK)
        return;
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        c->err = CSP_ERR_NOMEM;
        break;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_PARAMETER_ERROR:
    case LXW_ERROR_ZIP_BAD_ZIP_FILE:
    case LXW_ERROR_ZIP_INTERNAL_ERROR:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        c->err = CSP_ERR_IO;
        break;
    default:
        c->err = CSP_ERR_INTERNAL;
        break;
    }
    c->res->lxw_error = (int)e;
    csp_why_set(c->why, "%s: %s", what,
             lxw_strerror(e));
}

/* Record that memory ran out. */
static void nomem(wb_ctx *c)
{
    if (c->err != CSP_OK)
        return;
    c->err = CSP_ERR_NOMEM;
    csp_why_set(c->why, "out of memory");
}

/* A decimal as a double: exact integers divided by an exact power of
 * ten, so correctly rounded for every value below 2^53 units. */
static double dec_to_double(csp_decimal d)
{
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                 1e5, 1e6, 1e7, 1e8, 1e9};
    unsigned s = d.scale < 10 ? d.scale : 9;
    return (double)d.units / p10[s];
}

/* ------------------------------------------------------------------------
 * Cells
 * ------------------------------------------------------------------------ */

/* Write @p s as text, never as a formula; returns its width. */
/* Write a text (cut to fit a cell, visibly); returns its width and, when
 * @p lines is not NULL, sets the lines it needs wrapped @p wrap characters
 * wide (text_extent). */
static size_t put_text_lines(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                             lxw_col_t col, const char *s, lxw_format *f,
                             size_t wrap, size_t *lines)
{
    if (lines)
        *lines = 0;
    if (c->err)
        return 0;
    if (!s || !*s) {
        if (f)
            lxw_fail(c, worksheet_write_blank(ws, r, col, f),
                     "writing a cell");
        return 0;
    }
    /* Most texts go in as they are: measured, and checked for what
     * csp_workbook_cell_text would change, in one pass. */
    size_t units = 0;
    size_t w = text_extent_units(s, wrap, lines, &units);
    if (w != SIZE_MAX && units <= CSP_WORKBOOK_MAX_CELL) {
        lxw_fail(c, worksheet_write_string(ws, r, col, s, f),
                 "writing a text");
        return w;
    }
    bool cut = false;
    char *t = csp_workbook_cell_text(s, CSP_WORKBOOK_MAX_CELL,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    if (!t) {
        nomem(c);
        return 0;
    }
    if (cut)
        c->res->truncated++;
    lxw_fail(c, worksheet_write_string(ws, r, col, t, f), "writing a text");
    w = text_extent(t, wrap, lines);
    free(t);
    return w;
}

static size_t put_text(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, const char *s, lxw_format *f)
{
    return put_text_lines(c, ws, r, col, s, f, 0, NULL);
}

/* Write a number. */
static void put_num(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r, lxw_col_t col,
                    double v, lxw_format *f)
{
    if (c->err)
        return;
    lxw_fail(c, worksheet_write_number(ws, r, col, v, f), "writing a number");
}

/* Write a whole number; returns its width. */
static size_t put_count(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                        lxw_col_t col, uint64_t v)
{
    char b[24];
    put_num(c, ws, r, col, (double)v, c->integer);
    return (size_t)snprintf(b, sizeof b, "%llu", (unsigned long long)v);
}

/* Write a date as an Excel date (as text outside Excel's years). */
static size_t put_date(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                       lxw_col_t col, csp_date d)
{
    int y, m, dd;
    csp_date_to_ymd(d, &y, &m, &dd);
    if (y < 1900 || y > 9999) {
        char b[CSP_DATE_BUFSZ];
        csp_date_format(d, b);
        return put_text(c, ws, r, col, b, c->text);
    }
    if (c->err)
        return 0;
    lxw_datetime dt = {.year = y, .month = m, .day = dd};
    lxw_fail(c, worksheet_write_datetime(ws, r, col, &dt, c->date),
             "writing a date");
    return 10;
}

/* Write an instant as an Excel date and time in UTC, to the second. */
static size_t put_instant(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                          lxw_col_t col, csp_instant t)
{
    int64_t days = t.seconds / 86400, rem = t.seconds % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int y = 0, m, d;
    if (days >= INT32_MIN && days <= INT32_MAX)
        csp_date_to_ymd((csp_date)days, &y, &m, &d);
    if (y < 1900 || y > 9999) {
        char b[CSP_INSTANT_BUFSZ];
        csp_instant_format(t, b);
        return put_text(c, ws, r, col, b, c->text);
    }
    if (c->err)
        return 0;
    lxw_datetime dt = {.year = y, .month = m, .day = d,
                       .hour = (int)(rem / 3600),
                       .min = (int)(rem / 60 % 60),
                       .sec = (double)(rem % 60)};
    lxw_fail(c, worksheet_write_datetime(ws, r, col, &dt, c->datetime),
             "writing a date");
    return 19;
}

/* ------------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------------ */

/* A new format (NULL, recorded, when memory ran out). */
static lxw_format *new_format(wb_ctx *c)
{
    lxw_format *f = c->err ? NULL : workbook_add_format(c->wb);
    if (!f)
        nomem(c);
    return f;
}

/* Colours: fill and font of each kind of mark. */
static const struct {
    lxw_color_t fill, font;
} fig_colour[FIG_KINDS] = {
    [FIG_FINAL] = {0, 0},
    [FIG_PROVISIONAL] = {0xFFF2CC, 0x7F6000},
    [FIG_ESTIMATED] = {0xDDEBF7, 0x1F4E78},
    [FIG_MISSING] = {0xEDEDED, 0x595959},
    [FIG_DISPUTED] = {0xFFC7CE, 0x9C0006},
};
static const struct {
    lxw_color_t fill, font;
} status_colour[N_STATUS] = {
    [CSP_ACT_COMPLETE] = {0xDDEBF7, 0x1F4E78},
    [CSP_ACT_NOT_STARTED] = {0xEDEDED, 0x404040},
    [CSP_ACT_ON_TRACK] = {0xC6EFCE, 0x006100},
    [CSP_ACT_AT_RISK] = {0xFFEB9C, 0x9C5700},
    [CSP_ACT_OFF_TRACK] = {0xFFC7CE, 0x9C0006},
};

/* The format of a figure cell: number format with its marks (p, e, and
 * "†" when @p mine, a figure csppack worked out), and colour.  The marks
 * are in the number format so that the cell stays a number. */
static lxw_format *fig_format(wb_ctx *c, int kind, bool mine,
                              unsigned decimals)
{
    if (decimals >= FIG_DECIMALS)
        decimals = FIG_DECIMALS - 1;
    if (kind == FIG_MISSING || kind == FIG_DISPUTED) {
        decimals = 0;
        mine = false;
    }
    lxw_format **slot = &c->fig[kind][mine][decimals];
    if (*slot || c->err)
        return *slot;
    lxw_format *f = new_format(c);
    if (!f)
        return NULL;
    char num[64] = "0";
    if (decimals) {
        num[1] = '.';
        memset(num + 2, '0', decimals);
        num[2 + decimals] = '\0';
    }
    if (kind == FIG_PROVISIONAL)
        strcat(num, mine ? "\" p " CSP_KF_ORIGIN_MARK "\"" : "\" p\"");
    else if (kind == FIG_ESTIMATED)
        strcat(num, mine ? "\" e " CSP_KF_ORIGIN_MARK "\"" : "\" e\"");
    else if (mine)
        strcat(num, "\" " CSP_KF_ORIGIN_MARK "\"");
    if (kind != FIG_MISSING && kind != FIG_DISPUTED)
        format_set_num_format(f, num);
    format_set_align(f, LXW_ALIGN_RIGHT);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    format_set_indent(f, 1); /* clear of a text column to the right */
    if (fig_colour[kind].fill) {
        format_set_bg_color(f, fig_colour[kind].fill);
        format_set_font_color(f, fig_colour[kind].font);
    }
    *slot = f;
    return f;
}

/* Every fixed format. */
static void make_formats(wb_ctx *c)
{
    if ((c->title = new_format(c))) {
        format_set_bold(c->title);
        format_set_font_size(c->title, 14);
    }
    if ((c->intro = new_format(c))) {
        format_set_italic(c->intro);
        format_set_font_color(c->intro, 0x595959);
    }
    if ((c->heading = new_format(c))) {
        format_set_bold(c->heading);
        format_set_font_size(c->heading, 12);
    }
    /* Table headers: shaded and ruled by the format itself, not only by
     * the table style, so that they print and show the same everywhere
     * (LibreOffice ignores table styles). */
    if ((c->thead = new_format(c))) {
        format_set_bold(c->thead);
        format_set_bg_color(c->thead, 0xD9E1F2);
        format_set_bottom(c->thead, LXW_BORDER_THIN);
        format_set_text_wrap(c->thead);
        format_set_align(c->thead, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->text = new_format(c)))
        format_set_align(c->text, LXW_ALIGN_VERTICAL_TOP);
    if ((c->wrap = new_format(c))) {
        format_set_text_wrap(c->wrap);
        format_set_align(c->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->note = new_format(c))) {
        format_set_italic(c->note);
        format_set_font_color(c->note, 0x595959);
        format_set_align(c->note, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->integer = new_format(c))) {
        format_set_num_format(c->integer, "0");
        format_set_align(c->integer, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->date = new_format(c))) {
        format_set_num_format(c->date, "yyyy-mm-dd");
        format_set_align(c->date, LXW_ALIGN_LEFT);
        format_set_align(c->date, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->datetime = new_format(c))) {
        format_set_num_format(c->datetime, "yyyy-mm-dd hh:mm:ss");
        format_set_align(c->datetime, LXW_ALIGN_LEFT);
        format_set_align(c->datetime, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->change = new_format(c))) {
        format_set_num_format(c->change, "+0.0;-0.0;0.0");
        format_set_align(c->change, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->refused = new_format(c))) {
        format_set_bg_color(c->refused, fig_colour[FIG_DISPUTED].fill);
        format_set_font_color(c->refused, fig_colour[FIG_DISPUTED].font);
        format_set_bold(c->refused);
        format_set_align(c->refused, LXW_ALIGN_CENTER);
        format_set_align(c->refused, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->center = new_format(c))) {
        format_set_align(c->center, LXW_ALIGN_CENTER);
        format_set_align(c->center, LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->code = new_format(c))) {
        format_set_font_name(c->code, "Consolas");
        format_set_align(c->code, LXW_ALIGN_VERTICAL_TOP);
    }
    for (int s = 0; s < N_STATUS; s++) {
        if ((c->status[s] = new_format(c))) {
            format_set_bg_color(c->status[s], status_colour[s].fill);
            format_set_font_color(c->status[s], status_colour[s].font);
            format_set_align(c->status[s], LXW_ALIGN_VERTICAL_TOP);
            if (s == CSP_ACT_OFF_TRACK)
                format_set_bold(c->status[s]);
        }
        if ((c->cond[s] = new_format(c))) {
            format_set_bg_color(c->cond[s], status_colour[s].fill);
            format_set_font_color(c->cond[s], status_colour[s].font);
            if (s == CSP_ACT_OFF_TRACK)
                format_set_bold(c->cond[s]);
        }
    }
    if ((c->severity[CSP_SEV_ERROR] = new_format(c))) {
        format_set_bg_color(c->severity[CSP_SEV_ERROR], 0xFFC7CE);
        format_set_font_color(c->severity[CSP_SEV_ERROR], 0x9C0006);
        format_set_bold(c->severity[CSP_SEV_ERROR]);
        format_set_align(c->severity[CSP_SEV_ERROR], LXW_ALIGN_VERTICAL_TOP);
    }
    if ((c->severity[CSP_SEV_WARNING] = new_format(c))) {
        format_set_bg_color(c->severity[CSP_SEV_WARNING], 0xFFEB9C);
        format_set_font_color(c->severity[CSP_SEV_WARNING], 0x9C5700);
        format_set_align(c->severity[CSP_SEV_WARNING],
                         LXW_ALIGN_VERTICAL_TOP);
    }
    c->severity[CSP_SEV_INFO] = c->text;
}

/* ------------------------------------------------------------------------
 * Names of things
 * ------------------------------------------------------------------------ */

/* An agency's name as the strategy writes it. */
static const char *agency_name(wb_ctx *c, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AGENCY_CSPPACK) == 0)
        return "csppack (computed)";
    const csp_agency *a = csp_template_agency(c->tpl, id);
    return a ? a->name : id;
}

/* An area's name ("All areas" for the partnership as a whole). */
static const char *area_name(wb_ctx *c, const char *id)
{
    if (!id)
        return "";
    if (strcmp(id, CSP_AREA_ALL) == 0)
        return "All areas";
    const csp_area *a = csp_template_area(c->tpl, id);
    return a ? a->name : id;
}

/* A file's name in every output: its base name ("" for none). */
static const char *file_name(wb_ctx *c, size_t file)
{
    const char *s = csp_out_file_name(c->ds, file);
    return s ? s : "";
}

/* ------------------------------------------------------------------------
 * Sheets and tables
 * ------------------------------------------------------------------------ */

/*
 * Add a worksheet named for part @p part of @p base; with @p stream, in
 * libxlsxwriter's constant-memory mode: each row goes to a temporary file
 * as soon as the next one starts, so the sheet costs one row of memory
 * whatever its length.  Rows must then come in order, and the sheet
 * cannot hold an Excel table (libxlsxwriter refuses them there).
 *
 * libxlsxwriter takes the mode of each sheet from the workbook's
 * options.constant_memory when the sheet is added, so the bounded sheets
 * (key findings, indicators, action plan) keep their tables while those
 * that grow with the inbox stream.  ws->optimize says which mode a sheet
 * got, and the writer follows it (tab_open), so a library that ignored
 * the switch would still give a correct workbook.
 */
static lxw_worksheet *add_sheet(wb_ctx *c, const char *base, unsigned part,
                                bool stream)
{
    if (c->err)
        return NULL;
    char name[128];
    csp_workbook_sheet_name(base, part, name);
    c->wb->options.constant_memory = stream ? LXW_TRUE : LXW_FALSE;
    errno = 0;
    lxw_worksheet *ws = workbook_add_worksheet(c->wb, name);
    int why = errno;
    c->wb->options.constant_memory = LXW_FALSE;
    if (!ws) {
        /* A streamed sheet opens its temporary file now: a full or
         * unwritable disk fails here. */
        c->err = stream ? CSP_ERR_IO : CSP_ERR_INTERNAL;
        csp_why_set(c->why, stream ? "cannot add the sheet \"%s\": cannot create its "
                          "temporary file%s%s"
                        : "cannot add the sheet \"%s\"%s%s",
                 name, why ? ": " : "", why ? strerror(why) : "");
        return NULL;
    }
    c->res->sheets++;
    if (part > 1)
        c->res->continued++;
    return ws;
}

/* A4 landscape, fitted to the page width, page numbers; and the header
 * row repeated on every page when @p repeat. */
static void page_setup(wb_ctx *c, lxw_worksheet *ws, bool repeat)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    worksheet_set_comments_author(ws, "csppack");
    lxw_fail(c, worksheet_set_header(ws, c->header), "setting the page header");
    lxw_fail(c, worksheet_set_footer(ws, "&CPage &P of &N"),
             "setting the page footer");
    if (repeat)
        lxw_fail(c, worksheet_repeat_rows(ws, HDR, HDR),
                 "setting the rows to repeat");
}

/* A column of a data table. */
typedef struct wb_col {
    const char *header;
    unsigned min, max;        /* width bounds, in characters */
} wb_col;

typedef struct wb_tab wb_tab;
/* Called when a part is finished, with its data rows (first <= last). */
typedef void (*wb_tab_hook)(wb_tab *t, lxw_row_t first, lxw_row_t last);

/*
 * A data sheet: a title, an explanation, and from row HDR an Excel table
 * or, for a streamed sheet, a header row with an autofilter; continued
 * on "Name (2)"... when a sheet is full.  Rows are written in order, and
 * everything written after them (column widths, the table or filter,
 * the Status list) is kept outside the rows, so a streamed sheet is the
 * same sheet, bar the table.
 */
struct wb_tab {
    wb_ctx *c;
    const char *sheet;         /* base sheet name */
    const char *table_name;    /* base table name */
    const char *title;
    const char *intro;
    const wb_col *cols;
    size_t ncols;
    wb_tab_hook finish;
    /* Stream the sheet (add_sheet): a header row and an autofilter
     * instead of an Excel table.  For sheets that grow with the inbox. */
    bool stream;
    /* State. */
    lxw_worksheet *ws;
    bool table;                /* the open part gets an Excel table */
    unsigned part;             /* parts opened so far */
    bool opened;               /* a part was opened for these columns */
    lxw_row_t row;             /* the data row being written */
    size_t rows;               /* data rows in the open part */
    size_t *width;             /* widest cell per column, open part */
    size_t lines;              /* lines the current row's wrapped text needs */
};

/* Points of one line of the default font (Calibri 11), and Excel's
 * tallest row. */
#define LINE_POINTS 15.0
#define MAX_ROW_POINTS 409.0

/* Lines a text needs wrapped in a column @p width characters wide (see
 * text_extent). */
static size_t wrapped_lines(const char *s, size_t width)
{
    size_t n;
    text_extent(s, width, &n);
    return n;
}

/* Give row @p r the height of @p lines lines (nothing for one line). */
static void set_row_lines(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                          size_t lines)
{
    if (lines <= 1 || c->err)
        return;
    double h = LINE_POINTS * (double)lines;
    lxw_fail(c, worksheet_set_row(ws, r, h > MAX_ROW_POINTS ? MAX_ROW_POINTS
                                                           : h,
                                  NULL),
             "setting a row height");
}

/* Data rows one part holds. */
static size_t rows_per_part(const wb_ctx *c)
{
    return c->max_rows - (HDR + 1);
}

/* Set up @p t over @p cols (kept until tab_end). */
static bool tab_columns(wb_tab *t, const wb_col *cols, size_t ncols)
{
    free(t->width);
    t->cols = cols;
    t->ncols = ncols;
    t->opened = false;
    t->width = csp_calloc(ncols ? ncols : 1, sizeof *t->width);
    if (!t->width) {
        nomem(t->c);
        return false;
    }
    return true;
}

/* Open the next part. */
static bool tab_open(wb_tab *t)
{
    wb_ctx *c = t->c;
    t->ws = add_sheet(c, t->sheet, t->part + 1, t->stream);
    if (!t->ws)
        return false;
    t->part++;
    t->opened = true;
    t->rows = 0;
    t->table = !t->ws->optimize;
    page_setup(c, t->ws, true);
    char title[512];
    snprintf(title, sizeof title, "%s%s", t->title,
             t->part > 1 ? " (continued)" : "");
    put_text(c, t->ws, 0, 0, title, c->title);
    if (t->intro)
        put_text(c, t->ws, 1, 0, t->intro, c->intro);
    worksheet_freeze_panes(t->ws, HDR + 1, 0);
    /* The header row and its height.  tab_close makes a column as wide
     * as its header and the filter button, or wider, unless its maximum
     * is narrower, and then the column is at its maximum whatever the
     * rows hold: so how the header wraps, and the row's height, follow
     * from the header and the bounds alone, and are known before any
     * row, as a streamed sheet needs. */
    size_t header_lines = 1;
    for (size_t i = 0; i < t->ncols; i++) {
        const wb_col *col = &t->cols[i];
        t->width[i] = csp_workbook_text_width(col->header) + 3;
        size_t w = t->width[i] + 1;
        if (w < col->min)
            w = col->min;
        if (w > col->max)
            w = col->max;
        /* The filter button takes about two characters. */
        size_t hl = wrapped_lines(col->header, w > 3 ? w - 2 : 1);
        if (hl > header_lines)
            header_lines = hl;
        if (!t->table)
            put_text(c, t->ws, HDR, (lxw_col_t)i, col->header, c->thead);
    }
    set_row_lines(c, t->ws, HDR, header_lines);
    return c->err == CSP_OK;
}

/* The Excel table of the open part, over its header and rows. */
static void tab_table(wb_tab *t, lxw_worksheet *ws)
{
    wb_ctx *c = t->c;
    lxw_table_column *colv = csp_calloc(t->ncols, sizeof *colv);
    lxw_table_column **colp = csp_calloc(t->ncols + 1, sizeof *colp);
    if (!colv || !colp) {
        free(colv);
        free(colp);
        nomem(c);
        return;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        colv[i].header = mut(t->cols[i].header);
        colv[i].header_format = c->thead;
        colp[i] = &colv[i];
    }
    char name[128];
    snprintf(name, sizeof name, "%s_%u", t->table_name, t->part);
    lxw_table_options o = {.name = name,
                           .style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
                           .style_type_number = 2,
                           .columns = colp};
    /* A table needs a data row: an empty one stands for "none". */
    lxw_row_t last = HDR + (lxw_row_t)(t->rows ? t->rows : 1);
    lxw_fail(c,
             worksheet_add_table(ws, HDR, 0, last, (lxw_col_t)(t->ncols - 1),
                                 &o),
             "adding a table");
    free(colv);
    free(colp);
}

/* Finish the open part: its table or filter, column widths and the
 * hook. */
static void tab_close(wb_tab *t)
{
    wb_ctx *c = t->c;
    if (!t->ws)
        return;
    lxw_worksheet *ws = t->ws;
    t->ws = NULL;
    if (c->err)
        return;
    /* The last row's height, while it is still the current row. */
    if (t->rows)
        set_row_lines(c, ws, t->row, t->lines);
    if (t->table)
        tab_table(t, ws);
    else
        lxw_fail(c,
                 worksheet_autofilter(ws, HDR, 0, HDR + (lxw_row_t)t->rows,
                                      (lxw_col_t)(t->ncols - 1)),
                 "adding the filter");
    /* Widths as the content needs, within bounds: libxlsxwriter keeps
     * them apart from the rows, so they can come last. */
    for (size_t i = 0; i < t->ncols; i++) {
        size_t w = t->width[i] + 1;
        if (w < t->cols[i].min)
            w = t->cols[i].min;
        if (w > t->cols[i].max)
            w = t->cols[i].max;
        lxw_fail(c, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         (double)w, NULL),
                 "setting a column width");
    }
    if (t->finish && t->rows) {
        t->ws = ws;
        t->finish(t, HDR + 1, HDR + (lxw_row_t)t->rows);
        t->ws = NULL;
    }
}

/* Start a data row (opening a part, or the next one when full). */
static bool tab_row(wb_tab *t)
{
    if (t->c->err)
        return false;
    /* The row just finished gets its height. */
    if (t->ws && t->rows)
        set_row_lines(t->c, t->ws, t->row, t->lines);
    t->lines = 0;
    if (t->ws && t->rows >= rows_per_part(t->c))
        tab_close(t);
    if (!t->ws && !tab_open(t))
        return false;
    t->row = HDR + 1 + (lxw_row_t)t->rows++;
    t->lines = 1;
    return true;
}

/* Finish the columns' last part (an empty table when there were no rows). */
static void tab_end(wb_tab *t)
{
    if (!t->ws && !t->opened && !tab_open(t))
        return;
    tab_close(t);
}

/* Free what the tab holds. */
static void tab_free(wb_tab *t)
{
    free(t->width);
    t->width = NULL;
}

/* Note a width in column @p col. */
static void tab_width(wb_tab *t, lxw_col_t col, size_t w)
{
    if (w > t->width[col])
        t->width[col] = w;
}

/* Text cell in the current row; wrapped text makes the row taller. */
static void tab_text(wb_tab *t, lxw_col_t col, const char *s, lxw_format *f)
{
    bool wrap = f && f == t->c->wrap;
    size_t n = 0;
    tab_width(t, col, put_text_lines(t->c, t->ws, t->row, col, s, f,
                                     t->cols[col].max, wrap ? &n : NULL));
    if (n > t->lines)
        t->lines = n;
}

/* Update u's progress statement as wrapped text in the current row. */
static void tab_progress(wb_tab *t, lxw_col_t col, const csp_dataset_update *u)
{
    char *text = NULL;
    csp_error e = csp_dataset_update_progress(t->c->ds, u, &text);
    if (e != CSP_OK)
        t->c->err = e;
    else
        tab_text(t, col, text, t->c->wrap);
    free(text);
}

/* Whole-number cell in the current row. */
static void tab_count(wb_tab *t, lxw_col_t col, uint64_t v)
{
    tab_width(t, col, put_count(t->c, t->ws, t->row, col, v));
}

/* ------------------------------------------------------------------------
 * Figures and their provenance
 * ------------------------------------------------------------------------ */

/* Append as much of @p s as fits under the comment cap, at a character
 * boundary.  False when memory ran out. */
static bool cb_add(csp_strbuf *sb, const char *s)
{
    size_t n = strlen(s), room = sb->max > sb->len ? sb->max - sb->len : 0;
    if (n > room) {
        n = room;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    return n == 0 || csp_strbuf_add(sb, s, n) == CSP_OK;
}

/* Formatted, for our own short texts. */
__attribute__((format(printf, 2, 3))) static bool
cb_printf(csp_strbuf *sb, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    return cb_add(sb, b);
}

/* Where a claim or figure came from: "Kent Police, x.xml line 12,
 * submitted 2016-10-21T11:40:00+01:00". */
static bool cb_source(wb_ctx *c, csp_strbuf *sb, const char *agency,
                      size_t file, unsigned long line, bool has_submitted,
                      csp_instant submitted)
{
    char when[CSP_INSTANT_BUFSZ] = "";
    if (has_submitted)
        csp_instant_format(submitted, when);
    bool ok = cb_add(sb, agency_name(c, agency));
    if (file < c->ds->nfiles) {
        ok = ok && cb_add(sb, ", ") && cb_add(sb, file_name(c, file));
        if (line)
            ok = ok && cb_printf(sb, " line %lu", line);
    }
    if (has_submitted)
        ok = ok && cb_printf(sb, ", submitted %s", when);
    return ok;
}

/* A value or, without one, the status ("missing", "withdrawn"). */
static void value_text(bool has_value, csp_decimal v, csp_obs_status st,
                       char b[CSP_DECIMAL_BUFSZ + 16])
{
    if (has_value)
        csp_decimal_format(v, b);
    else
        snprintf(b, CSP_DECIMAL_BUFSZ + 16, "%s", csp_obs_status_str(st));
}

/* What a template rule computes, in words. */
static bool cb_rule(wb_ctx *c, csp_strbuf *sb, const csp_figure *f)
{
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    const char *in0 = ind->ninputs > 0 ? ind->inputs[0] : "?";
    const char *in1 = ind->ninputs > 1 ? ind->inputs[1] : "?";
    const csp_figure_rule *rule = csp_dataset_figure_rule(c->ds, f);
    switch (ind->rule) {
    case CSP_RULE_SUM: {
        bool ok = cb_add(sb, "the sum of ");
        for (size_t i = 0; i < ind->ninputs && ok; i++)
            ok = cb_add(sb, i ? " + " : "") && cb_add(sb, ind->inputs[i]);
        return ok;
    }
    case CSP_RULE_RATE:
        return cb_printf(sb, "%s per 1,000 of a population of %lld", in0,
                         rule ? (long long)rule->population : 0LL);
    case CSP_RULE_SHARE:
        return cb_printf(sb, "%s as a percentage of %s", in0, in1);
    case CSP_RULE_NONE:
        break;
    }
    return cb_add(sb, "the template's rule");
}

/* The comment of a figure cell: what stands, its note, where it came
 * from, and every other claim for the key. */
static char *figure_comment(wb_ctx *c, const csp_figure *f, size_t *lines)
{
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    char label[CSP_LABEL_BUFSZ], v[CSP_DECIMAL_BUFSZ + 16];
    csp_strbuf sb;
    csp_strbuf_init(&sb, COMMENT_CAP);
    csp_period_label(f->period, label);
    bool ok = cb_add(&sb, ind->name) && cb_add(&sb, " \xe2\x80\x93 ") &&
              cb_add(&sb, area_name(c, f->area)) &&
              cb_printf(&sb, ", %s\n", label);
    size_t others = 0;
    if (f->state == CSP_FIGURE_STANDS) {
        value_text(f->has_value, f->value, f->status, v);
        if (f->computed) {
            ok = ok && cb_printf(&sb, "%s, computed by csppack as ", v) &&
                 cb_rule(c, &sb, f) && cb_add(&sb, "\n");
        } else {
            if (f->has_value)
                ok = ok && cb_printf(&sb, "%s (%s) from ", v,
                                     csp_figure_status_str(f));
            else
                ok = ok && cb_add(&sb, "No figure: reported missing by ");
            ok = ok &&
                 cb_source(c, &sb, f->agency, f->file, f->line,
                           f->has_submitted, f->submitted) &&
                 cb_add(&sb, "\n");
            const char *owner = csp_indicator_owner(ind, f->area);
            if (owner && f->agency && strcmp(owner, f->agency) != 0)
                ok = ok && cb_add(&sb, "Not from the source of record, ") &&
                     cb_add(&sb, agency_name(c, owner)) &&
                     cb_add(&sb, " (see Discrepancies).\n");
        }
        if (f->note && *f->note)
            ok = ok && cb_add(&sb, "Note: ") && cb_add(&sb, f->note) &&
                 cb_add(&sb, "\n");
        for (size_t i = 0; i < f->nclaims; i++)
            others += i != f->claim;
    } else if (f->state == CSP_FIGURE_DISPUTED) {
        ok = ok && cb_add(&sb, "Disputed: the partners' figures are not "
                               "consistent, so none stands (see "
                               "Discrepancies).\n");
        others = f->nclaims;
    } else {
        ok = ok && cb_add(&sb, "No figure stands: every claim was withdrawn "
                               "or refused as a conflict.\n");
        others = f->nclaims;
    }
    if (others) {
        ok = ok && cb_add(&sb, f->state == CSP_FIGURE_STANDS ? "Other claims:\n"
                                                             : "Claims:\n");
        const csp_claim *claims = csp_dataset_claims(c->ds, f);
        for (size_t i = 0; i < f->nclaims && ok; i++) {
            const csp_claim *cl = &claims[i];
            if (f->state == CSP_FIGURE_STANDS && i == f->claim)
                continue;
            value_text(cl->has_value, cl->value, cl->status, v);
            ok = cb_printf(&sb, "\xe2\x80\xa2 %s (%s) from ", v,
                           csp_claim_role_str(cl->role)) &&
                 cb_source(c, &sb, cl->agency, cl->file, cl->line, true,
                           cl->submitted) &&
                 cb_add(&sb, "\n");
        }
    }
    if (!ok) {
        csp_strbuf_free(&sb);
        nomem(c);
        return NULL;
    }
    /* Drop the last newline; count lines (wrapped at ~50 characters) for
     * the comment box's height. */
    if (sb.len && sb.data[sb.len - 1] == '\n')
        sb.data[--sb.len] = '\0';
    size_t n = 1, col = 0;
    for (const char *p = csp_strbuf_str(&sb); *p; p += u8_step(p)) {
        if (*p == '\n' || ++col == 50) {
            n++;
            col = 0;
        }
    }
    *lines = n;
    char *s = csp_strbuf_take(&sb);
    if (!s)
        nomem(c);
    return s;
}

/* Write the comment of figure @p f at (r, col). */
static void put_figure_comment(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                               lxw_col_t col, const csp_figure *f)
{
    size_t lines = 1;
    if (c->no_figure_comments)
        return;
    char *s = c->err ? NULL : figure_comment(c, f, &lines);
    if (!s)
        return;
    bool cut = false;
    char *t = csp_workbook_cell_text(s, CSP_WORKBOOK_MAX_CELL,
                                     CSP_WORKBOOK_TRUNCATION_MARK, &cut);
    free(s);
    if (!t) {
        nomem(c);
        return;
    }
    if (cut)
        c->res->truncated++;
    double h = (double)lines * 15.0 / 74.0;
    lxw_comment_options o = {.x_scale = 2.8,
                             .y_scale = h < 1.0 ? 1.0 : h > 12.0 ? 12.0 : h};
    lxw_fail(c, worksheet_write_comment_opt(ws, r, col, t, &o),
             "writing a comment");
    free(t);
}

/*
 * A figure cell: the value (with "p"/"e", and "†" for a figure csppack
 * worked out, in its number format, and a colour) when one stands; "–"
 * when it stands as missing; "disputed" when disputed; empty when
 * nothing stands.  Its provenance is in the cell's comment.  NULL:
 * nothing at all.  A figure csppack worked out is noted in @p lg, the
 * legend of its table, when there is one.  Returns the width.
 */
static size_t put_figure(wb_ctx *c, lxw_worksheet *ws, lxw_row_t r,
                         lxw_col_t col, const csp_figure *f, csp_kf_legend *lg)
{
    if (!f || c->err)
        return 0;
    const csp_indicator *ind = &c->tpl->indicators[f->indicator_index];
    size_t w = 0;
    if (f->state == CSP_FIGURE_STANDS && f->has_value) {
        int kind = f->status == CSP_OBS_PROVISIONAL  ? FIG_PROVISIONAL
                   : f->status == CSP_OBS_ESTIMATED ? FIG_ESTIMATED
                                                    : FIG_FINAL;
        csp_figure_origin o = csp_dataset_figure_origin(c->ds, f, NULL);
        bool mine = o == CSP_ORIGIN_COMPUTED || o == CSP_ORIGIN_REPLACED;
        if (mine && lg)
            csp_kf_legend_note(lg, c->ds, f);
        unsigned dec = ind->decimals > f->value.scale ? ind->decimals
                                                      : f->value.scale;
        put_num(c, ws, r, col, dec_to_double(f->value),
                fig_format(c, kind, mine, dec));
        char b[CSP_DECIMAL_BUFSZ];
        csp_decimal_format(f->value, b);
        w = strlen(b) + (dec - f->value.scale) +
            (dec > 0 && f->value.scale == 0) + (kind != FIG_FINAL ? 2 : 0) +
            (mine ? 2 : 0);
    } else if (f->state == CSP_FIGURE_STANDS) {
        w = put_text(c, ws, r, col, "\xe2\x80\x93",
                     fig_format(c, FIG_MISSING, false, 0));
    } else if (f->state == CSP_FIGURE_DISPUTED) {
        w = put_text(c, ws, r, col, "disputed",
                     fig_format(c, FIG_DISPUTED, false, 0));
    }
    put_figure_comment(c, ws, r, col, f);
    return w;
}

/* ------------------------------------------------------------------------
 * Key findings and Trends
 * ------------------------------------------------------------------------ */

static const char KF_SHEET[] = "Key findings";

/* The Key findings sheet: one block per area, like the strategy's. */
static void sheet_key_findings(wb_ctx *c, const csp_kf *kf)
{
    const csp_key_findings *k = &c->tpl->key_findings;
    lxw_worksheet *ws = add_sheet(c, KF_SHEET, 1, false);
    if (!ws)
        return;
    page_setup(c, ws, false);
    size_t np = kf->nperiods;
    char labels[CSP_KF_MAX_YEARS][CSP_LABEL_BUFSZ], change[64];
    for (size_t p = 0; p < np; p++)
        csp_period_label(kf->periods[p], labels[p]);
    csp_workbook_change_header(kf->periods, np, change);

    put_text(c, ws, 0, 0, k->title && *k->title ? k->title : "Key findings",
             c->title);
    /* Two short lines, so that they fit above the tables in print. */
    char intro[512];
    if (np == 0)
        snprintf(intro, sizeof intro,
                 "No year-ending figures for the key findings were "
                 "submitted.");
    else if (np == 1)
        snprintf(intro, sizeof intro,
                 "Per 1,000 population is for %s.", labels[0]);
    else
        snprintf(intro, sizeof intro,
                 "%% change compares %s with %s; per 1,000 population is "
                 "for %s.",
                 labels[np - 2], labels[np - 1], labels[np - 1]);
    put_text(c, ws, 1, 0, intro, c->intro);
    if (np)
        put_text(c, ws, 2, 0,
                 "Marks: p provisional, e estimated, \xe2\x80\x93 missing, "
                 CSP_KF_ORIGIN_MARK " worked out by csppack (the line under "
                 "the table says how). Point at a figure for its source.",
                 c->intro);

    size_t ncols = np + 3;
    size_t width[CSP_KF_MAX_YEARS + 3];
    width[0] = strlen("Category") + 3;
    for (size_t p = 0; p < np; p++)
        width[1 + p] = strlen(labels[p]) + 3;
    width[np + 1] = strlen(change) + 3;
    width[np + 2] = strlen("Per 1,000 pop.") + 3;

    lxw_row_t r = 4;
    csp_kf_legend lg;
    csp_kf_legend_init(&lg);
    for (size_t a = 0; a < kf->nareas && np && !c->err; a++) {
        const csp_kf_area *ka = &kf->areas[a];
        if (ka->nlines == 0)
            continue;
        put_text(c, ws, r, 0, ka->area->name, c->heading);
        lxw_row_t hdr = r + 1;
        for (size_t i = 0; i < ka->nlines; i++) {
            const csp_kf_line *l = &ka->lines[i];
            lxw_row_t row = hdr + 1 + (lxw_row_t)i;
            size_t w = put_text(c, ws, row, 0, l->row->label, c->text);
            if (w > width[0])
                width[0] = w;
            for (size_t p = 0; p < np; p++) {
                w = put_figure(c, ws, row, (lxw_col_t)(1 + p), l->values[p],
                               &lg);
                if (w > width[1 + p])
                    width[1 + p] = w;
            }
            if (l->has_change && np >= 2 && !c->err) {
                /* A live formula, with the exact value we computed stored
                 * as its result. */
                char from[16], to[16], formula[96];
                lxw_rowcol_to_cell(from, row, (lxw_col_t)(np - 1));
                lxw_rowcol_to_cell(to, row, (lxw_col_t)np);
                snprintf(formula, sizeof formula,
                         "=ROUND((%s-%s)/%s*100,1)", to, from, from);
                lxw_fail(c,
                         worksheet_write_formula_num(
                             ws, row, (lxw_col_t)(np + 1), formula, c->change,
                             dec_to_double(l->change)),
                         "writing a formula");
            }
            w = put_figure(c, ws, row, (lxw_col_t)(np + 2), l->rate, &lg);
            if (w > width[np + 2])
                width[np + 2] = w;
        }
        lxw_table_column colv[CSP_KF_MAX_YEARS + 3];
        lxw_table_column *colp[CSP_KF_MAX_YEARS + 4];
        memset(colv, 0, sizeof colv);
        colv[0].header = mut("Category");
        for (size_t p = 0; p < np; p++)
            colv[1 + p].header = labels[p];
        colv[np + 1].header = change;
        colv[np + 2].header = mut("Per 1,000 pop.");
        for (size_t i = 0; i < ncols; i++) {
            colv[i].header_format = c->thead;
            colp[i] = &colv[i];
        }
        colp[ncols] = NULL;
        char name[64];
        snprintf(name, sizeof name, "KeyFindings_%zu", a + 1);
        lxw_table_options o = {.name = name,
                               .style_type = LXW_TABLE_STYLE_TYPE_MEDIUM,
                               .style_type_number = 2,
                               .no_autofilter = LXW_TRUE,
                               .columns = colp};
        if (!c->err)
            lxw_fail(c,
                     worksheet_add_table(ws, hdr, 0,
                                         hdr + (lxw_row_t)ka->nlines,
                                         (lxw_col_t)(ncols - 1), &o),
                     "adding a table");
        r = hdr + (lxw_row_t)ka->nlines + 2;
        /* The legend of the marks csppack's figures carry, under the
         * table, as in the report. */
        char *legend = csp_kf_legend_take(&lg);
        if (lg.err)
            nomem(c);
        if (legend) {
            put_text(c, ws, r - 1, 0, legend, c->intro);
            r++;
        }
        free(legend);
    }
    csp_kf_legend_free(&lg);
    for (size_t i = 0; i < ncols && !c->err; i++)
        lxw_fail(c, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         (double)(width[i] + 1), NULL),
                 "setting a column width");
}

/* The chart data of key-findings row @p row at row @p r of @p ws: a
 * header (the row's label, then the periods) and a row per area with the
 * figures that stand with a value.  Any other cell is left empty, which
 * the chart shows as a break in the line: never a zero. */
static void trends_data(wb_ctx *c, lxw_worksheet *ws, const csp_kf *kf,
                        size_t row, lxw_row_t r, size_t *width)
{
    const csp_kf_row *kr = &c->tpl->key_findings.rows[row];
    char label[CSP_LABEL_BUFSZ];
    put_text(c, ws, r, 0, kr->label, c->thead);
    for (size_t p = 0; p < kf->nperiods; p++) {
        csp_period_label(kf->periods[p], label);
        put_text(c, ws, r, (lxw_col_t)(1 + p), label, c->thead);
    }
    for (size_t a = 0; a < kf->nareas && !c->err; a++) {
        const csp_kf_area *ka = &kf->areas[a];
        lxw_row_t ar = r + 1 + (lxw_row_t)a;
        size_t w = put_text(c, ws, ar, 0, ka->area->name, c->text);
        if (w > width[0])
            width[0] = w;
        for (size_t p = 0; row < ka->nlines && p < kf->nperiods; p++) {
            const csp_figure *f = ka->lines[row].values[p];
            if (!f || f->state != CSP_FIGURE_STANDS || !f->has_value)
                continue;
            const csp_indicator *ind =
                &c->tpl->indicators[f->indicator_index];
            put_num(c, ws, ar, (lxw_col_t)(1 + p), dec_to_double(f->value),
                    fig_format(c, FIG_FINAL, false, ind->decimals));
        }
    }
}

/* The Trends sheet: a line chart per key-findings row, each with its own
 * scale (crimes against society, about 500, would be flat on the axis of
 * totals of about 8,000), a line per area, reading the chart data below
 * the charts. */
static void sheet_trends(wb_ctx *c, const csp_kf *kf)
{
    static const uint8_t markers[] = {
        LXW_CHART_MARKER_CIRCLE, LXW_CHART_MARKER_SQUARE,
        LXW_CHART_MARKER_TRIANGLE, LXW_CHART_MARKER_DIAMOND,
        LXW_CHART_MARKER_X, LXW_CHART_MARKER_STAR};
    static const uint8_t dashes[] = {
        LXW_CHART_LINE_DASH_SOLID, LXW_CHART_LINE_DASH_DASH,
        LXW_CHART_LINE_DASH_ROUND_DOT, LXW_CHART_LINE_DASH_LONG_DASH,
        LXW_CHART_LINE_DASH_DASH_DOT, LXW_CHART_LINE_DASH_SQUARE_DOT};
    enum { CHART_ROWS = 17 };
    const csp_key_findings *k = &c->tpl->key_findings;
    lxw_worksheet *ws = add_sheet(c, "Trends", 1, false);
    if (!ws)
        return;
    page_setup(c, ws, false);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_portrait(ws);
    put_text(c, ws, 0, 0, "Trends in the key findings", c->title);
    size_t np = kf->nperiods, nrows = k->nrows, na = kf->nareas;
    if (np == 0 || nrows == 0 || na == 0) {
        put_text(c, ws, 1, 0, "No key-findings figures to chart.", c->intro);
        return;
    }
    put_text(c, ws, 1, 0,
             "One chart per key finding, each with its own scale, a line "
             "per area. A break in a line: no figure stands for that year "
             "(missing, disputed or not received; see the Key findings "
             "sheet). The charts read the chart data under them, where "
             "such a year is an empty cell.",
             c->intro);
    /* The data first, so that the charts can refer to it. */
    lxw_row_t d0 = 3 + (lxw_row_t)(nrows * CHART_ROWS);
    put_text(c, ws, d0, 0, "Chart data", c->heading);
    size_t width[CSP_KF_MAX_YEARS + 1] = {0};
    width[0] = 12;
    for (size_t row = 0; row < nrows && !c->err; row++) {
        lxw_row_t r = d0 + 1 + (lxw_row_t)(row * (na + 2));
        size_t w = strlen(k->rows[row].label);
        if (w > width[0])
            width[0] = w;
        trends_data(c, ws, kf, row, r, width);
    }
    for (size_t row = 0; row < nrows && !c->err; row++) {
        lxw_row_t r = d0 + 1 + (lxw_row_t)(row * (na + 2));
        lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_LINE);
        if (!ch) {
            nomem(c);
            return;
        }
        for (size_t a = 0; a < na; a++) {
            lxw_row_t ar = r + 1 + (lxw_row_t)a;
            lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
            if (!s) {
                nomem(c);
                return;
            }
            chart_series_set_categories(s, "Trends", r, 1, r, (lxw_col_t)np);
            chart_series_set_values(s, "Trends", ar, 1, ar, (lxw_col_t)np);
            chart_series_set_name_range(s, "Trends", ar, 0);
            chart_series_set_marker_type(s, markers[a % sizeof markers]);
            chart_series_set_marker_size(s, 7);
            lxw_chart_line line = {.width = 2.25f,
                                   .dash_type = dashes[a % sizeof dashes]};
            chart_series_set_line(s, &line);
        }
        char title[256], desc[512];
        snprintf(title, sizeof title, "%s", k->rows[row].label);
        chart_title_set_name(ch, title);
        chart_axis_set_num_format(ch->y_axis, "#,##0");
        chart_axis_set_min(ch->y_axis, 0);
        chart_axis_set_name(ch->x_axis, "Year ending");
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
        snprintf(desc, sizeof desc,
                 "Line chart of %s by year, a line per area, from the chart "
                 "data on this sheet.",
                 k->rows[row].label);
        lxw_chart_options o = {.x_scale = 1.6, .y_scale = 1.15,
                               .description = desc};
        lxw_fail(c,
                 worksheet_insert_chart_opt(
                     ws, 3 + (lxw_row_t)(row * CHART_ROWS), 0, ch, &o),
                 "inserting a chart");
    }
    for (size_t i = 0; i <= np && !c->err; i++)
        lxw_fail(c, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         (double)(width[i] + 2 > 12
                                                      ? width[i] + 2
                                                      : 12),
                                         NULL),
                 "setting a column width");
}

/* ------------------------------------------------------------------------
 * Indicators
 * ------------------------------------------------------------------------ */

/* One row of the Indicators sheet. */
typedef struct ind_row {
    size_t theme;              /* index, or SIZE_MAX: "Other indicators" */
    size_t ind;                /* index into tpl->indicators */
    const char *area;          /* area id or "all" */
} ind_row;

/* Periods in ascending order, for qsort. */
static int period_qcmp(const void *a, const void *b)
{
    return csp_period_cmp(*(const csp_period *)a, *(const csp_period *)b);
}

/* Every distinct period of the dataset's figures, ascending. */
static csp_period *all_periods(wb_ctx *c, size_t *n)
{
    const csp_dataset *ds = c->ds;
    csp_period *p = csp_malloc((ds->nfigures ? ds->nfigures : 1) * sizeof *p);
    if (!p) {
        nomem(c);
        return NULL;
    }
    for (size_t i = 0; i < ds->nfigures; i++)
        p[i] = ds->figures[i].period;
    qsort(p, ds->nfigures, sizeof *p, period_qcmp);
    size_t k = 0;
    for (size_t i = 0; i < ds->nfigures; i++)
        if (k == 0 || csp_period_cmp(p[k - 1], p[i]) != 0)
            p[k++] = p[i];
    *n = k;
    return p;
}

/* The rows: each theme's measures, then the other indicators that have
 * figures; each in every area of the template, and "all" where it has
 * figures. */
static ind_row *indicator_rows(wb_ctx *c, size_t *nrows)
{
    const csp_template *tpl = c->tpl;
    const csp_dataset *ds = c->ds;
    size_t ni = tpl->nindicators;
    bool *has = csp_calloc(ni ? ni : 1, sizeof *has);
    bool *has_all = csp_calloc(ni ? ni : 1, sizeof *has_all);
    bool *measure = csp_calloc(ni ? ni : 1, sizeof *measure);
    size_t cap = 0;
    for (size_t t = 0; t < tpl->nthemes; t++)
        cap += tpl->themes[t].nmeasures;
    cap = (cap + ni) * (tpl->nareas + 1) + 1;
    ind_row *rows = csp_malloc(cap * sizeof *rows);
    size_t n = 0;
    if (!has || !has_all || !measure || !rows) {
        free(rows);
        rows = NULL;
        nomem(c);
        goto out;
    }
    for (size_t i = 0; i < ds->nfigures; i++) {
        size_t k = ds->figures[i].indicator_index;
        if (k >= ni)
            continue;
        has[k] = true;
        if (strcmp(ds->figures[i].area, CSP_AREA_ALL) == 0)
            has_all[k] = true;
    }
    for (size_t t = 0; t <= tpl->nthemes; t++) {
        size_t count = t < tpl->nthemes ? tpl->themes[t].nmeasures : ni;
        for (size_t m = 0; m < count; m++) {
            size_t k;
            if (t < tpl->nthemes) {
                const csp_indicator *ind =
                    csp_template_indicator(tpl, tpl->themes[t].measures[m]);
                if (!ind)
                    continue;
                k = (size_t)(ind - tpl->indicators);
                measure[k] = true;
            } else {
                k = m;
                if (measure[k] || !has[k])
                    continue;
            }
            for (size_t a = 0; a < tpl->nareas; a++)
                rows[n++] = (ind_row){t < tpl->nthemes ? t : SIZE_MAX, k,
                                      tpl->areas[a].id};
            if (has_all[k])
                rows[n++] = (ind_row){t < tpl->nthemes ? t : SIZE_MAX, k,
                                      CSP_AREA_ALL};
        }
    }
out:
    free(has);
    free(has_all);
    free(measure);
    *nrows = n;
    return rows;
}

/* What "†" means, where a sheet lists too many figures for one line
 * per figure csppack worked out. */
#define ORIGIN_LEGEND                                                          \
    CSP_KF_ORIGIN_MARK " worked out by csppack from the partnership's "       \
                       "figures under the strategy's rule (where it "         \
                       "replaced a partner's figure, the Discrepancies "      \
                       "sheet says what the partner sent)"

/* The Indicators sheet(s): a column per period; when there are more
 * periods than Excel has columns, the later ones continue on the next
 * sheet, with the same rows. */
static void sheet_indicators(wb_ctx *c)
{
    enum { FIXED_LEFT = 4, FIXED = 5 };
    const csp_template *tpl = c->tpl;
    size_t nper = 0, nrows = 0;
    csp_period *per = all_periods(c, &nper);
    ind_row *rows = per ? indicator_rows(c, &nrows) : NULL;
    char (*labels)[CSP_LABEL_BUFSZ] =
        rows ? csp_malloc((nper ? nper : 1) * sizeof *labels) : NULL;
    size_t chunk = (size_t)LXW_COL_MAX - FIXED;
    wb_col *cols = labels ? csp_malloc((chunk + FIXED) * sizeof *cols) : NULL;
    char **themes = cols ? csp_calloc(tpl->nthemes + 1, sizeof *themes) : NULL;
    wb_tab t = {.c = c,
                .sheet = "Indicators",
                .table_name = "Indicators",
                .title = "Indicators: how we measure our impact",
                /* Bounded by the template's measures, but a column per
                 * period: a long history streams, without comments. */
                .stream = c->ds->nfigures > c->max_comments};
    c->no_figure_comments = t.stream;
    if (!themes) {
        if (rows)
            nomem(c);
        goto out;
    }
    for (size_t p = 0; p < nper; p++)
        csp_period_label(per[p], labels[p]);
    for (size_t i = 0; i < tpl->nthemes; i++) {
        size_t len = strlen(tpl->themes[i].title) + 16;
        if (!(themes[i] = csp_malloc(len))) {
            nomem(c);
            goto out;
        }
        snprintf(themes[i], len, "%u. %s", tpl->themes[i].number,
                 tpl->themes[i].title);
    }
    size_t nchunks = nper ? (nper + chunk - 1) / chunk : 1;
    for (size_t ch = 0; ch < nchunks && !c->err; ch++) {
        size_t p0 = ch * chunk;
        size_t pn = nper - p0 < chunk ? nper - p0 : chunk;
        if (nper == 0)
            pn = 0;
        cols[0] = (wb_col){"Theme", 10, 40};
        cols[1] = (wb_col){"Indicator", 20, 60};
        cols[2] = (wb_col){"Area", 8, 24};
        cols[3] = (wb_col){"Unit", 6, 10};
        for (size_t p = 0; p < pn; p++)
            cols[FIXED_LEFT + p] = (wb_col){labels[p0 + p], 6, 40};
        cols[FIXED_LEFT + pn] = (wb_col){"Indicator id", 10, 40};
        if (c->no_figure_comments)
            t.intro = ch == 0
                          ? "One row per measure and area, a column per "
                            "period. Marks: p provisional, e estimated, "
                            "\xe2\x80\x93 missing, disputed: partners' "
                            "figures disagree (see Discrepancies), "
                            ORIGIN_LEGEND "; blank: "
                            "nothing stands. There are too many figures "
                            "for a comment on each: their sources and notes "
                            "are in the pack's observations.csv and "
                            "dataset.xml."
                          : "Later periods, continued from the previous "
                            "sheet; the same rows.";
        else
            t.intro = ch == 0
                          ? "One row per measure and area, a column per "
                            "period. Marks: p provisional, e estimated, "
                            "\xe2\x80\x93 missing, disputed: partners' "
                            "figures disagree (see Discrepancies), "
                            ORIGIN_LEGEND "; blank "
                            "with a comment: nothing stands. Point at a "
                            "figure (its comment) for its note and source."
                          : "Later periods, continued from the previous "
                            "sheet; the same rows. Point at a figure for its "
                            "source.";
        if (!tab_columns(&t, cols, FIXED + pn))
            break;
        for (size_t i = 0; i < nrows && !c->err; i++) {
            const ind_row *ir = &rows[i];
            const csp_indicator *ind = &tpl->indicators[ir->ind];
            if (!tab_row(&t))
                break;
            tab_text(&t, 0,
                     ir->theme == SIZE_MAX ? "Other indicators"
                                           : themes[ir->theme],
                     c->wrap);
            tab_text(&t, 1, ind->name, c->wrap);
            tab_text(&t, 2, area_name(c, ir->area), c->text);
            tab_text(&t, 3, csp_unit_str(ind->unit), c->text);
            tab_text(&t, (lxw_col_t)(FIXED_LEFT + pn), ind->id, c->text);
            size_t first, count;
            csp_dataset_series(c->ds, ind->id, ir->area, &first, &count);
            for (size_t k = 0; k < count && !c->err; k++) {
                const csp_figure *f = &c->ds->figures[first + k];
                const csp_period *hit =
                    pn ? bsearch(&f->period, per + p0, pn, sizeof *per,
                                 period_qcmp)
                       : NULL;
                if (!hit)
                    continue;
                lxw_col_t col = (lxw_col_t)(FIXED_LEFT + (hit - (per + p0)));
                tab_width(&t, col, put_figure(c, t.ws, t.row, col, f, NULL));
            }
        }
        tab_end(&t);
    }
out:
    c->no_figure_comments = false;
    tab_free(&t);
    if (themes)
        for (size_t i = 0; i < tpl->nthemes; i++)
            free(themes[i]);
    free(themes);
    free(cols);
    free(labels);
    free(rows);
    free(per);
}

/* ------------------------------------------------------------------------
 * Action plan and history
 * ------------------------------------------------------------------------ */

/* The Status column of the Action plan: the five statuses as a list, and
 * each coloured by a conditional format (so that a status chosen by hand
 * is coloured too). */
static void action_plan_finish(wb_tab *t, lxw_row_t first, lxw_row_t last)
{
    enum { STATUS_COL = 4 };
    static const csp_action_status order[N_STATUS] = {
        CSP_ACT_ON_TRACK, CSP_ACT_AT_RISK, CSP_ACT_OFF_TRACK,
        CSP_ACT_COMPLETE, CSP_ACT_NOT_STARTED};
    static const char *const words[N_STATUS] = {
        [CSP_ACT_COMPLETE] = "Complete",
        [CSP_ACT_NOT_STARTED] = "Not started",
        [CSP_ACT_ON_TRACK] = "On track",
        [CSP_ACT_AT_RISK] = "At risk",
        [CSP_ACT_OFF_TRACK] = "Off track"};
    wb_ctx *c = t->c;
    char *list[N_STATUS + 1];
    for (int i = 0; i < N_STATUS; i++)
        list[i] = mut(csp_workbook_status_label(order[i]));
    list[N_STATUS] = NULL;
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .value_list = list,
        .input_title = mut("Status"),
        .input_message = mut("Choose one of the five statuses."),
        .error_type = LXW_VALIDATION_ERROR_TYPE_WARNING,
        .error_title = mut("Status"),
        .error_message = mut("The status is not one of the five in the "
                             "list.")};
    lxw_fail(c,
             worksheet_data_validation_range(t->ws, first, STATUS_COL, last,
                                             STATUS_COL, &dv),
             "adding the status list");
    for (int i = 0; i < N_STATUS && !c->err; i++) {
        lxw_conditional_format cf = {
            .type = LXW_CONDITIONAL_TYPE_TEXT,
            .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING,
            .value_string = mut(words[order[i]]),
            .format = c->cond[order[i]]};
        lxw_fail(c,
                 worksheet_conditional_format_range(
                     t->ws, first, STATUS_COL, last, STATUS_COL, &cf),
                 "adding a status colour");
    }
}

/* The Action plan: every item of the template with its current status. */
static void sheet_action_plan(wb_ctx *c)
{
    static const wb_col cols[] = {
        {"Ref", 5, 8},
        {"Action", 30, 60},
        {"Coordinating delivery group", 14, 28},
        {"Strategic assessment priority", 14, 28},
        {"Status", 14, 16},
        {"As of", 11, 12},
        {"Latest progress", 30, 80},
        {"Updated by", 14, 30},
        {"Theme", 14, 40},
    };
    const csp_dataset *ds = c->ds;
    const csp_template *tpl = c->tpl;
    wb_tab t = {.c = c,
                .sheet = "Action plan",
                .table_name = "ActionPlan",
                .title = "Action plan: progress by item",
                .intro = "The current status of every item: the latest "
                         "update; where several agencies updated an item "
                         "for its latest date, a row for each, the one "
                         "that gives the item its status first (see "
                         "Action history for every update). "
                         "Status: \xe2\x97\x8f on track, \xe2\x96\xb2 at "
                         "risk, \xe2\x9c\x96 off track, \xe2\x9c\x94 "
                         "complete, \xe2\x97\x8b not started.",
                .finish = action_plan_finish};
    if (!tab_columns(&t, cols, sizeof cols / sizeof *cols))
        return;
    for (size_t i = 0; i < ds->nactions && !c->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        const csp_action *act = a->action;
        /* A row per current update (a joint action has one per agency),
         * each a whole row, so that sorting and filtering keep it. */
        size_t n = a->ncurrent ? a->ncurrent : 1;
        for (size_t k = 0; k < n && !c->err; k++) {
            const csp_dataset_update *u = csp_dataset_action_current(a, k);
            if (!tab_row(&t))
                break;
            tab_text(&t, 0, a->ref, c->text);
            tab_text(&t, 1, act ? act->text : "", c->wrap);
            tab_text(&t, 2, act ? act->groups_label : "", c->wrap);
            tab_text(&t, 3, act ? act->priorities_label : "", c->wrap);
            if (u) {
                tab_text(&t, 4, csp_workbook_status_label(u->status),
                         c->text);
                tab_width(&t, 5, put_date(c, t.ws, t.row, 5, u->as_of));
                tab_progress(&t, 6, u);
                tab_text(&t, 7, agency_name(c, u->agency), c->wrap);
            } else {
                tab_text(&t, 6, "(no update received)", c->note);
            }
            if (a->theme < tpl->nthemes)
                tab_text(&t, 8, tpl->themes[a->theme].title, c->wrap);
        }
    }
    tab_end(&t);
    tab_free(&t);
}

/* Action history: every update of every item. */
static void sheet_action_history(wb_ctx *c)
{
    static const wb_col cols[] = {
        {"Ref", 5, 8},          {"As of", 11, 12},
        {"Status", 14, 16},     {"Agency", 14, 30},
        {"Submitted (UTC)", 20, 20}, {"File", 12, 40},
        {"Progress", 30, 80},   {"Current", 8, 9},
    };
    const csp_dataset *ds = c->ds;
    wb_tab t = {.c = c,
                .sheet = "Action history",
                .table_name = "ActionHistory",
                .stream = true,
                .title = "Action history: every update",
                .intro = "Every progress update of every item, oldest "
                         "first; Current is yes on the updates shown on "
                         "the Action plan (each agency's latest at the "
                         "item's latest date)."};
    if (!tab_columns(&t, cols, sizeof cols / sizeof *cols))
        return;
    for (size_t i = 0; i < ds->nactions && !c->err; i++) {
        const csp_dataset_action *a = &ds->actions[i];
        for (size_t k = 0; k < a->nupdates && !c->err; k++) {
            const csp_dataset_update *u = &a->updates[k];
            if (!tab_row(&t))
                break;
            tab_text(&t, 0, u->ref ? u->ref : a->ref, c->text);
            tab_width(&t, 1, put_date(c, t.ws, t.row, 1, u->as_of));
            tab_text(&t, 2, csp_workbook_status_label(u->status),
                     c->status[u->status < N_STATUS ? u->status : 0]);
            tab_text(&t, 3, agency_name(c, u->agency), c->wrap);
            tab_width(&t, 4, put_instant(c, t.ws, t.row, 4, u->submitted));
            tab_text(&t, 5, file_name(c, u->file), c->wrap);
            tab_progress(&t, 6, u);
            tab_text(&t, 7, u->current ? "yes" : "no", c->center);
        }
    }
    tab_end(&t);
    tab_free(&t);
}

/* ------------------------------------------------------------------------
 * Submissions and Discrepancies
 * ------------------------------------------------------------------------ */

/* Submissions: every file read, what was accepted, and its SHA-256. */
static void sheet_submissions(wb_ctx *c)
{
    static const wb_col cols[] = {
        {"File", 12, 40},
        {"Agency", 14, 30},
        {"Submitted (UTC)", 20, 20},
        {"Submitter", 14, 30},
        {"Figures accepted", 10, 12},
        {"Figures standing", 10, 12},
        {"Figures superseded", 10, 12},
        {"Items refused", 10, 12},
        {"Updates accepted", 10, 12},
        {"Refused", 9, 10},
        {"Duplicate of", 12, 40},
        {"Bytes", 8, 14},
        {"SHA-256", 66, 66},
        {"Comment", 30, 60},
    };
    const csp_dataset *ds = c->ds;
    wb_tab t = {.c = c,
                .sheet = "Submissions",
                .table_name = "Submissions",
                .stream = true,
                .title = "Submissions received",
                .intro = "Every file read, by agency. Figures standing are "
                         "those used; items refused are figures and updates "
                         "refused on reading (see Discrepancies). Last, "
                         "every entry of the folders named that was not "
                         "read (Refused: not read), with why."};
    size_t *order = NULL, *skipped = NULL, nskipped = 0;
    csp_error err = csp_out_file_order(ds, NULL, &order);
    if (err == CSP_OK)
        err = csp_out_skipped(ds, &skipped, &nskipped);
    if (err != CSP_OK) {
        nomem(c);
        return;
    }
    if (!tab_columns(&t, cols, sizeof cols / sizeof *cols))
        goto out;
    for (size_t k = 0; k < ds->nfiles && !c->err; k++) {
        size_t i = order[k];
        const csp_dataset_file *f = &ds->files[i];
        const csp_submission *sub = f->sub;
        if (!tab_row(&t))
            break;
        tab_text(&t, 0, file_name(c, i), c->text);
        const char *agency = f->agency ? f->agency : sub ? sub->agency : NULL;
        tab_text(&t, 1, agency_name(c, agency), c->wrap);
        if (f->has_submitted)
            tab_width(&t, 2, put_instant(c, t.ws, t.row, 2, f->submitted));
        tab_text(&t, 3, sub && sub->submitter_name ? sub->submitter_name : "",
                 c->wrap);
        tab_count(&t, 4, f->obs_accepted);
        tab_count(&t, 5, f->roles[CSP_CLAIM_STANDS]);
        tab_count(&t, 6, f->roles[CSP_CLAIM_SUPERSEDED]);
        tab_count(&t, 7, f->items_refused);
        tab_count(&t, 8, f->updates_accepted);
        tab_text(&t, 9, f->refused ? "yes" : "no",
                 f->refused ? c->refused : c->center);
        if (f->duplicate_of < ds->nfiles)
            tab_text(&t, 10, file_name(c, f->duplicate_of), c->wrap);
        tab_count(&t, 11, f->size);
        tab_text(&t, 12, f->sha256, c->code);
        tab_text(&t, 13, sub && sub->comment ? sub->comment : "", c->wrap);
    }
    for (size_t k = 0; k < nskipped && !c->err; k++) {
        const csp_diag *d = &ds->diags.items[skipped[k]];
        if (!tab_row(&t))
            break;
        tab_text(&t, 0, csp_dataset_name(ds, d->file), c->text);
        tab_text(&t, 9, "not read", c->center);
        tab_text(&t, 13, d->message, c->wrap);
    }
    tab_end(&t);
out:
    tab_free(&t);
    free(order);
    free(skipped);
}

/* Discrepancies: every diagnostic of the run, in canonical order. */
static void sheet_discrepancies(wb_ctx *c)
{
    static const wb_col cols[] = {
        {"Code", 7, 8},       {"Severity", 10, 10}, {"Kind", 10, 28},
        {"File", 12, 40},     {"Line", 6, 9},       {"Agency", 10, 20},
        {"Indicator", 10, 30}, {"Area", 8, 14},     {"Period", 10, 28},
        {"Ref", 5, 8},        {"Values", 10, 40},   {"Message", 40, 80},
    };
    const csp_diag_list *dl = &c->ds->diags;
    wb_tab t = {.c = c,
                .sheet = "Discrepancies",
                .table_name = "Discrepancies",
                .stream = true,
                .title = "Discrepancies",
                .intro = dl->count
                             ? "Every problem found in reading and "
                               "reconciling the submissions. Values: "
                               "agency=value for each figure involved."
                             : "None: every file and figure was accepted "
                               "and agreed."};
    if (!tab_columns(&t, cols, sizeof cols / sizeof *cols))
        return;
    for (size_t i = 0; i < dl->count && !c->err; i++) {
        const csp_diag *d = &dl->items[i];
        csp_severity sev = csp_diag_severity(d->code);
        if (!tab_row(&t))
            break;
        tab_text(&t, 0, csp_diag_code_str(d->code), c->text);
        tab_text(&t, 1, csp_severity_str(sev), c->severity[sev]);
        tab_text(&t, 2, csp_diag_kind(d->code), c->text);
        if (d->file)
            tab_text(&t, 3, csp_dataset_name(c->ds, d->file), c->wrap);
        if (d->line)
            tab_count(&t, 4, d->line);
        tab_text(&t, 5, d->agency, c->text);
        tab_text(&t, 6, d->indicator, c->wrap);
        tab_text(&t, 7, d->area, c->text);
        if (d->has_period) {
            char label[CSP_LABEL_BUFSZ];
            csp_period_label(d->period, label);
            tab_text(&t, 8, label, c->text);
        }
        tab_text(&t, 9, d->ref, c->text);
        tab_text(&t, 10, d->values, c->wrap);
        tab_text(&t, 11, d->message, c->wrap);
    }
    tab_end(&t);
    tab_free(&t);
}

/* ------------------------------------------------------------------------
 * The workbook
 * ------------------------------------------------------------------------ */

/* "&L<title>&R<sheet>": '&' doubled, cut to the 255 characters allowed. */
static void make_page_header(wb_ctx *c)
{
    const char *title = c->tpl->title ? c->tpl->title : "";
    size_t o = 0, chars = 0;
    const size_t room = LXW_HEADER_FOOTER_MAX - 8;
    memcpy(c->header, "&L", 2);
    o = 2;
    chars = 2;
    for (const char *p = title; *p && chars + 2 <= room;) {
        size_t k = u8_step(p);
        if (*p == '&')
            c->header[o++] = '&', chars++;
        memcpy(c->header + o, p, k);
        o += k;
        chars++;
        p += k;
    }
    memcpy(c->header + o, "&R&A", 5);
}

/* Document properties from the template; dated by the data. */
static void set_properties(wb_ctx *c)
{
    const csp_template *tpl = c->tpl;
    char subject[256], comments[256];
    csp_period p;
    if (csp_pack_default_period(c->ds, &p)) {
        char label[CSP_LABEL_BUFSZ];
        csp_period_label(p, label);
        snprintf(subject, sizeof subject,
                 "Board pack workbook: figures and action plan progress to "
                 "%s",
                 label);
    } else {
        snprintf(subject, sizeof subject, "Board pack workbook");
    }
    size_t counted = 0;
    for (size_t i = 0; i < c->ds->nfiles; i++)
        counted += c->ds->files[i].duplicate_of == CSP_NO_INDEX;
    snprintf(comments, sizeof comments,
             "Made by csppack from %zu partner submission%s.", counted,
             counted == 1 ? "" : "s");
    csp_instant when = csp_pack_timestamp(c->ds);
    lxw_doc_properties props = {
        .title = mut(tpl->title),
        .subject = subject,
        .author = mut(tpl->partnership),
        .company = mut(tpl->partnership),
        .category = mut("Community safety"),
        .keywords = mut("community safety partnership, board pack, "
                        "performance, action plan"),
        .comments = comments,
        /* 0 would mean "now" to libxlsxwriter: never the clock. */
        .created = when.seconds > 0 ? (time_t)when.seconds : (time_t)1,
    };
    lxw_fail(c, workbook_set_properties(c->wb, &props),
             "setting the document properties");
}

/* Write the workbook. */
csp_error csp_workbook_write(const csp_dataset *ds, const char *path,
                             const csp_workbook_options *opt,
                             csp_workbook_result *res, csp_why *why)
{
    csp_workbook_result dummy;
    csp_workbook_options defaults;
    if (!res)
        res = &dummy;
    memset(res, 0, sizeof *res);
    csp_why_clear(why);
    if (!opt) {
        csp_workbook_options_init(&defaults);
        opt = &defaults;
    }
    if (!ds || !path || !ds->reconciled || !ds->tpl) {
        csp_why_set(why, "the dataset is not reconciled");
        return CSP_ERR_USAGE;
    }
    if (opt->max_rows < HDR + 2 || opt->max_rows > CSP_WORKBOOK_MAX_ROWS) {
        csp_why_set(why, "rows per sheet must be from %d to %zu", (int)HDR + 2,
                 CSP_WORKBOOK_MAX_ROWS);
        return CSP_ERR_USAGE;
    }

    /* libxlsxwriter prints numbers with the C library: in a comma-decimal
     * locale the XML would say 1,5 and the file be corrupt.  Work in the
     * C locale, for this thread only, whatever the process uses. */
    locale_t cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!cloc) {
        csp_why_set(why, "out of memory");
        return CSP_ERR_NOMEM;
    }
    locale_t saved = uselocale(cloc);

    wb_ctx c = {.ds = ds, .tpl = ds->tpl, .max_rows = opt->max_rows,
                .max_comments = opt->max_comments,
                .res = res, .why = why};
    csp_kf kf;
    memset(&kf, 0, sizeof kf);
    char *tmpdir = NULL;
    csp_error kerr = csp_kf_build(ds, &kf);
    if (kerr != CSP_OK) {
        c.err = kerr;
        csp_why_set(why, "building the key findings: %s", csp_strerror(kerr));
        goto out;
    }
    /* libxlsxwriter's temporary files (a streamed sheet's rows, and each
     * part as the workbook is closed) go beside the workbook: the caller
     * chose that folder for it, it has room for the workbook, and unlike
     * /tmp it is not memory on some systems.  libxlsxwriter removes each
     * file as soon as it has opened it, so none is left behind whatever
     * happens; it falls back to TMPDIR, then /tmp, if it cannot create
     * one there. */
    const char *slash = strrchr(path, '/');
    tmpdir = slash ? csp_strndup(path, (size_t)(slash - path) + (slash == path))
                   : csp_strdup(".");
    if (!tmpdir) {
        nomem(&c);
        goto out;
    }
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE,
                               .tmpdir = tmpdir};
    c.wb = workbook_new_opt(path, &wo);
    if (!c.wb) {
        nomem(&c);
        goto out;
    }
    make_page_header(&c);
    set_properties(&c);
    make_formats(&c);
    sheet_key_findings(&c, &kf);
    sheet_indicators(&c);
    sheet_action_plan(&c);
    sheet_action_history(&c);
    sheet_submissions(&c);
    sheet_discrepancies(&c);
    sheet_trends(&c, &kf);
    /* After a failure, free the workbook without writing it: assembling
     * a workbook that is missing a part is where libxlsxwriter crashes
     * (the caller removes the file). */
    if (c.err != CSP_OK) {
        lxw_workbook_free(c.wb);
        c.wb = NULL;
        goto out;
    }
    csp_workbook_deflate_on_two(csp_workers_count(opt->threads, 2) > 1);
    zip_nomem = false;
    lxw_error e = workbook_close(c.wb);
    csp_workbook_deflate_on_two(false);
    c.wb = NULL;
    if (e != LXW_NO_ERROR && zip_nomem)
        nomem(&c);
    else
        lxw_fail(&c, e, "writing the workbook");
    /* libxlsxwriter ignores what fclose says: a disk that fills up during
     * the last flush would go unnoticed.  A complete zip ends with its
     * end-of-central-directory record; check that it is there. */
    if (c.err == CSP_OK && !csp_workbook_file_complete(path)) {
        c.err = CSP_ERR_IO;
        csp_why_set(why, "writing the workbook: the file is incomplete");
    }

out:
    free(tmpdir);
    csp_kf_free(&kf);
    uselocale(saved);
    freelocale(cloc);
    return c.err;
}

/* ------------------------------------------------------------------------
 * libxlsxwriter's own lines
 * ------------------------------------------------------------------------ */

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
 * ("workbook_close(): "), into @p buf ("" when none). */
static void library_error(const char *printed, char *buf, size_t size)
{
    buf[0] = '\0';
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
    size_t n = strcspn(p, "\n");
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

csp_error csp_workbook_hold_end(csp_workbook_hold *h, csp_error err,
                                char *lib, size_t size)
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
    library_error(h->printed, lib, size);
    if (err == CSP_OK && lib[0])
        err = strstr(lib, "Memory allocation failed") ? CSP_ERR_NOMEM
                                                     : CSP_ERR_INTERNAL;
    if (err == CSP_OK && h->printed && h->printed_len)
        fputs(h->printed, stderr);
    free(h->printed);
    h->printed = NULL;
    return err;
}

/* ------------------------------------------------------------------------
 * Compression
 * ------------------------------------------------------------------------ */

/* libxlsxwriter 1.1 deflates every part of the workbook with zlib at its
 * default level (6) and gives no way to choose another.  On the Action
 * history sheet, which holds every progress statement, that took 7.3 s at
 * 200 MiB of submissions; zlib's fastest level still took 1.4 s, most of
 * a build's time on its thread.  ISA-L's deflate (igzip, level 1) takes
 * 0.33 s for a slightly smaller file (doc/workbook.md, "Compression").
 *
 * So csppack defines the four minizip functions libxlsxwriter calls to
 * write a part: the dynamic linker binds libxlsxwriter's calls to these
 * definitions.  Opening a part asks minizip for a raw entry (minizip then
 * stores the bytes it is given as they are, and records the level in the
 * header's flags); each write deflates with igzip and hands minizip the
 * compressed bytes; closing ends the deflate stream and gives minizip the
 * part's CRC-32 and size.  Anything else (a stored or raw part, another
 * zip, a second part open at once) goes straight to minizip.  Where
 * libxlsxwriter carries a minizip of its own that does not call through
 * here, the workbook is the same, only smaller and slower to write.
 * tests/functional/check_workbook.py checks the level in each part's
 * header and every part's CRC; tests/unit/test_workbook.c writes parts of
 * every size around the pieces' edges (below) and reads them back. */

typedef int (*zip_open_fn)(zipFile, const char *, const zip_fileinfo *,
                           const void *, uInt, const void *, uInt,
                           const char *, int, int, int, int, int, int,
                           const char *, uLong, uLong, uLong, int);
typedef int (*zip_write_fn)(zipFile, const void *, unsigned int);
typedef int (*zip_file_fn)(zipFile);
typedef int (*zip_close_fn)(zipFile, const char *);

/* minizip's own definitions, found once. */
static struct {
    zip_open_fn open;
    zip_write_fn write;
    zip_file_fn close_file;
    zip_close_fn close;
} minizip;
static pthread_once_t minizip_once = PTHREAD_ONCE_INIT;

/* dlsym returns an object pointer; POSIX guarantees it converts. */
static void minizip_find(void)
{
    void *sym;
    if ((sym = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64")))
        memcpy(&minizip.open, &sym, sizeof minizip.open);
    if ((sym = dlsym(RTLD_NEXT, "zipWriteInFileInZip")))
        memcpy(&minizip.write, &sym, sizeof minizip.write);
    if ((sym = dlsym(RTLD_NEXT, "zipCloseFileInZip")))
        memcpy(&minizip.close_file, &sym, sizeof minizip.close_file);
    if ((sym = dlsym(RTLD_NEXT, "zipClose")))
        memcpy(&minizip.close, &sym, sizeof minizip.close);
}

static bool minizip_found(void)
{
    pthread_once(&minizip_once, minizip_find);
    return minizip.open && minizip.write && minizip.close_file &&
           minizip.close;
}

/*
 * A part is deflated in pieces of CHUNK bytes of its XML, each a deflate
 * stream of its own that starts from the previous piece's last 32 KiB as
 * its dictionary and ends in a sync flush, the last one in the end of the
 * stream: together one deflate stream (as pigz makes them).  The pieces
 * fall at the same places whoever deflates them, so the bytes are the
 * same with a helper thread or without.  When the workbook may use two
 * processors (csp_workbook_options.threads), a helper deflates every
 * other piece of a large part while this thread deflates the next: the
 * Action history is written last, when the rest of the pack is done and
 * its thread would wait.
 */
enum { CHUNK = CSP_WORKBOOK_DEFLATE_PIECE, WINDOW = 1 << 15 };

typedef struct chunk {
    uint8_t *in;          /* up to WINDOW bytes of dictionary, then input */
    size_t dict, n;       /* dictionary bytes, input bytes */
    bool last;            /* ends the stream */
    uint8_t *out;
    size_t out_n, out_cap;
    bool failed;
    bool nomem;           /* failed for want of memory */
    struct isal_zstream z;
    uint8_t level_buf[ISAL_DEF_LVL1_DEFAULT];
} chunk;

/* The part being deflated here: libxlsxwriter writes a workbook's parts
 * one after another on the thread that closes the workbook, so one per
 * thread. */
typedef struct {
    zipFile file;
    uint32_t crc;
    uint64_t size;
    chunk *fill;          /* being filled */
    chunk *away;          /* with the helper, written after it is done */
    bool may_help;        /* a helper may be started */
    bool helping;         /* the helper runs */
    pthread_t helper;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    chunk *job;           /* for the helper; NULL once it is deflated */
    bool quit;
} deflating;

static _Thread_local deflating *part;

void csp_workbook_deflate_on_two(bool on)
{
    deflate_two = on;
}

static chunk *chunk_new(void)
{
    chunk *c = csp_malloc(sizeof *c);
    if (!c)
        return NULL;
    c->in = csp_malloc(WINDOW + CHUNK);
    c->out_cap = CHUNK / 2;
    c->out = csp_malloc(c->out_cap);
    if (!c->in || !c->out) {
        free(c->in);
        free(c->out);
        free(c);
        return NULL;
    }
    c->dict = c->n = c->out_n = 0;
    c->last = c->failed = c->nomem = false;
    return c;
}

/* Hand a deflated piece to minizip; on the thread that closes the
 * workbook, so a piece that ran out of memory sets zip_nomem there. */
static int chunk_write(deflating *d, const chunk *c)
{
    if (c->nomem)
        zip_nomem = true;
    return c->failed ? ZIP_INTERNALERROR
                     : minizip.write(d->file, c->out, (unsigned)c->out_n);
}

static void chunk_free(chunk *c)
{
    if (c) {
        free(c->in);
        free(c->out);
        free(c);
    }
}

/* Deflate one piece into c->out (c->failed on an error). */
static void chunk_deflate(chunk *c)
{
    struct isal_zstream *z = &c->z;
    isal_deflate_init(z);
    z->level = CSP_WORKBOOK_DEFLATE_LEVEL;
    z->level_buf = c->level_buf;
    z->level_buf_size = sizeof c->level_buf;
    z->gzip_flag = IGZIP_DEFLATE;
    if (c->dict && isal_deflate_set_dict(z, c->in, (uint32_t)c->dict) !=
                       COMP_OK) {
        c->failed = true;
        return;
    }
    z->flush = c->last ? NO_FLUSH : SYNC_FLUSH;
    z->end_of_stream = c->last;
    z->next_in = c->in + c->dict;
    z->avail_in = (uint32_t)c->n;
    c->out_n = 0;
    for (;;) {
        if (c->out_n == c->out_cap) {
            uint8_t *more = csp_realloc(c->out, 2 * c->out_cap);
            if (!more) {
                c->failed = c->nomem = true;
                return;
            }
            c->out = more;
            c->out_cap *= 2;
        }
        z->next_out = c->out + c->out_n;
        z->avail_out = (uint32_t)(c->out_cap - c->out_n);
        if (isal_deflate(z) != COMP_OK) {
            c->failed = true;
            return;
        }
        c->out_n = c->out_cap - z->avail_out;
        if (c->last ? z->internal_state.state == ZSTATE_END
                    : z->avail_in == 0 && z->avail_out != 0)
            return;
    }
}

static void *helper_run(void *arg)
{
    deflating *d = arg;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->job && !d->quit)
            pthread_cond_wait(&d->changed, &d->lock);
        if (!d->job)
            break;
        chunk *c = d->job;
        pthread_mutex_unlock(&d->lock);
        chunk_deflate(c);
        pthread_mutex_lock(&d->lock);
        d->job = NULL;
        pthread_cond_broadcast(&d->changed);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* Start the helper; false when it cannot be (the part goes on alone). */
static bool helper_start(deflating *d)
{
    if (pthread_mutex_init(&d->lock, NULL) != 0)
        return false;
    if (pthread_cond_init(&d->changed, NULL) != 0) {
        pthread_mutex_destroy(&d->lock);
        return false;
    }
    /* It takes no signals, as the workbook thread (src/pack.c). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    d->helping = pthread_create(&d->helper, NULL, helper_run, d) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!d->helping) {
        pthread_cond_destroy(&d->changed);
        pthread_mutex_destroy(&d->lock);
    }
    return d->helping;
}

/* Wait for the piece with the helper and hand minizip what it made. */
static int away_write(deflating *d)
{
    chunk *c = d->away;
    if (!c)
        return ZIP_OK;
    pthread_mutex_lock(&d->lock);
    while (d->job)
        pthread_cond_wait(&d->changed, &d->lock);
    pthread_mutex_unlock(&d->lock);
    d->away = NULL;
    int rc = chunk_write(d, c);
    chunk_free(c);
    return rc;
}

/* The piece being filled is full, or the last: deflate it (or give it to
 * the helper), write what is done in order, and start the next piece with
 * its last WINDOW bytes as the dictionary. */
static int piece_done(deflating *d, bool last)
{
    chunk *c = d->fill;
    c->last = last;
    int rc = ZIP_OK;
    chunk *next = NULL;
    if (!last) {
        if (!(next = chunk_new())) {
            zip_nomem = true;
            return ZIP_INTERNALERROR;
        }
        size_t have = c->dict + c->n, keep = have < WINDOW ? have : WINDOW;
        memcpy(next->in, c->in + have - keep, keep);
        next->dict = keep;
    }
    if (!last && !d->away && d->may_help && (d->helping || helper_start(d))) {
        pthread_mutex_lock(&d->lock);
        d->job = c;
        pthread_cond_broadcast(&d->changed);
        pthread_mutex_unlock(&d->lock);
        d->away = c;
    } else {
        chunk_deflate(c);
        rc = away_write(d);
        if (rc == ZIP_OK)
            rc = chunk_write(d, c);
        chunk_free(c);
    }
    d->fill = next;
    if (rc != ZIP_OK) {
        chunk_free(next);
        d->fill = NULL;
    }
    return rc;
}

/* Take n bytes of the part's XML. */
static int part_take(deflating *d, const uint8_t *buf, size_t n)
{
    while (n) {
        if (!d->fill)
            return ZIP_INTERNALERROR; /* an earlier piece failed */
        chunk *c = d->fill;
        size_t room = CHUNK - c->n, k = n < room ? n : room;
        memcpy(c->in + c->dict + c->n, buf, k);
        c->n += k;
        buf += k;
        n -= k;
        if (c->n == CHUNK) {
            int rc = piece_done(d, false);
            if (rc != ZIP_OK)
                return rc;
        }
    }
    return ZIP_OK;
}

/* End the part's stream, close its entry, stop the helper, forget it. */
static int part_end(deflating *d)
{
    part = NULL;
    int rc = d->fill ? piece_done(d, true) : ZIP_INTERNALERROR;
    int away = away_write(d); /* after a failure: wait for it still */
    if (rc == ZIP_OK)
        rc = away;
    int closed = zipCloseFileInZipRaw64(d->file, d->size, d->crc);
    if (d->helping) {
        pthread_mutex_lock(&d->lock);
        d->quit = true;
        pthread_cond_broadcast(&d->changed);
        pthread_mutex_unlock(&d->lock);
        pthread_join(d->helper, NULL);
        pthread_cond_destroy(&d->changed);
        pthread_mutex_destroy(&d->lock);
    }
    chunk_free(d->fill);
    free(d);
    return rc != ZIP_OK ? rc : closed;
}

int zipOpenNewFileInZip4_64(zipFile file, const char *filename,
                            const zip_fileinfo *zipfi,
                            const void *extrafield_local,
                            uInt size_extrafield_local,
                            const void *extrafield_global,
                            uInt size_extrafield_global, const char *comment,
                            int method, int level, int raw, int windowBits,
                            int memLevel, int strategy, const char *password,
                            uLong crcForCrypting, uLong versionMadeBy,
                            uLong flagBase, int zip64)
{
    if (!minizip_found())
        return ZIP_INTERNALERROR;
    deflating *d = NULL;
    if (method == Z_DEFLATED && !raw && level == Z_DEFAULT_COMPRESSION &&
        !password && !part) {
        d = csp_calloc(1, sizeof *d);
        if (!d || !(d->fill = chunk_new())) {
            free(d);
            zip_nomem = true;
            return ZIP_INTERNALERROR;
        }
        level = CSP_WORKBOOK_DEFLATE_LEVEL;
        raw = 1;
    }
    int rc = minizip.open(file, filename, zipfi, extrafield_local,
                          size_extrafield_local, extrafield_global,
                          size_extrafield_global, comment, method, level, raw,
                          windowBits, memLevel, strategy, password,
                          crcForCrypting, versionMadeBy, flagBase, zip64);
    if (!d)
        return rc;
    if (rc != ZIP_OK) {
        chunk_free(d->fill);
        free(d);
        return rc;
    }
    d->file = file;
    d->may_help = deflate_two;
    part = d;
    return ZIP_OK;
}

int zipWriteInFileInZip(zipFile file, const void *buf, unsigned int len)
{
    if (!minizip_found())
        return ZIP_INTERNALERROR;
    deflating *d = part;
    if (!d || d->file != file)
        return minizip.write(file, buf, len);
    d->crc = crc32_gzip_refl(d->crc, buf, len);
    d->size += len;
    return part_take(d, buf, len);
}

int zipCloseFileInZip(zipFile file)
{
    if (!minizip_found())
        return ZIP_INTERNALERROR;
    deflating *d = part;
    if (!d || d->file != file)
        return minizip.close_file(file);
    return part_end(d);
}

/* A zip closed with a part still open (minizip closes it first): end the
 * part here, so that it is complete and its memory is not lost. */
int zipClose(zipFile file, const char *global_comment)
{
    if (!minizip_found())
        return ZIP_INTERNALERROR;
    deflating *d = part;
    int rc = d && d->file == file ? part_end(d) : ZIP_OK;
    int closed = minizip.close(file, global_comment);
    return rc != ZIP_OK ? rc : closed;
}

/* ------------------------------------------------------------------------
 * libxlsxwriter's text helpers
 * ------------------------------------------------------------------------ */

/* libxlsxwriter 1.1 passes every text cell through three helpers of its
 * own: lxw_utf8_strlen (Excel's length limit), lxw_escape_control_characters
 * (a control character other than tab and newline becomes "_xHHHH_") and,
 * when the row is written out, lxw_escape_data (&, < and > become
 * entities).  Each walks the text a byte at a time, and the two escapers
 * first clear a buffer seven and five times the text's size.  On the Action
 * history, every progress statement, that was a fifth of the workbook
 * thread's time at 200 MiB of submissions (0.33 s of 1.55 s), and the
 * workbook thread is the one the pack waits for.  So csppack defines the
 * three, with the same results: a text with nothing to change is measured
 * or copied sixteen bytes at a time, and one that has goes through the
 * same byte-by-byte rules.  The dynamic linker binds libxlsxwriter's calls
 * to these definitions, as it does for minizip's above.
 * tests/unit/test_workbook.c compares each with libxlsxwriter's own (found
 * with dlsym(RTLD_NEXT)) on texts with every character that matters at
 * every position, so a libxlsxwriter whose rules change fails the tests
 * rather than the workbook. */

/* A copy of @p s with @p control (else data) escaping; NULL for want of
 * memory, as libxlsxwriter's own (its callers free it).  These stand in
 * for libxlsxwriter's functions, so they allocate as a library does
 * (alloc.h): libxlsxwriter 1.1 does not check their result, and a NULL
 * crashes it (in _write_inline_string_cell), which is libxlsxwriter's
 * to fix; `make check-alloc-libs` reports it. */
static char *escape_text(const char *s, bool control)
{
    size_t n = strlen(s), grow = control ? 7 : 5;
    const char *end = s + n;
    unsigned bits = control ? WB_CONTROL : WB_DATA;
    size_t run = wb_run(s, end, bits);
    if (run == n) {
        char *copy = csp_alloc_lib_malloc(n + 1);
        if (copy)
            memcpy(copy, s, n + 1);
        return copy;
    }
    char *out = csp_alloc_lib_malloc(n * grow + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; p < end;) {
        memcpy(o, p, run);
        o += run;
        p += run;
        if (p == end)
            break;
        unsigned char c = (unsigned char)*p++;
        if (control) {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(o, "_x00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o[6] = '_';
            o += 7;
        } else {
            const char *e = c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
            size_t k = strlen(e);
            memcpy(o, e, k);
            o += k;
        }
        run = wb_run(p, end, bits);
    }
    *o = '\0';
    return out;
}

char *lxw_escape_control_characters(const char *string)
{
    return escape_text(string, true);
}

char *lxw_escape_data(const char *data)
{
    return escape_text(data, false);
}

/* Characters of a UTF-8 text: its bytes less its continuation bytes. */
size_t lxw_utf8_strlen(const char *str)
{
    size_t n = strlen(str), cont = 0, i = 0;
#ifdef __SSE2__
    const __m128i top2 = _mm_set1_epi8((char)0xC0);
    const __m128i follow = _mm_set1_epi8((char)0x80);
    for (; n - i >= 16; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(str + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_and_si128(x, top2), follow));
        m -= (m >> 1) & 0x5555u; /* the bits of m, without a call */
        m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
        m = (m + (m >> 4)) & 0x0F0Fu;
        cont += (m + (m >> 8)) & 0x1Fu;
    }
#endif
    for (; i < n; i++)
        cont += ((unsigned char)str[i] & 0xC0) == 0x80;
    return n - cont;
}
