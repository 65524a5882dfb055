/*
 * Internal: what the writers of a pack (dataset, CSV, receipts, and later
 * the workbook and report) share so that they name and order things the
 * same way.  Not installed.
 *
 * Names.  A file is named in outputs by csp_dataset_name: its path
 * relative to the folder named that holds it, else its base name, so that
 * the same inbox given as `inbox`, `./inbox` or `/abs/inbox` gives the
 * same bytes.  Diagnostics name files by the path the user gave; the
 * writers print that name instead.
 *
 * Order.  Nothing an output sorts on may depend on the names of the input
 * files where anything else can decide.  Files sort by their identity:
 * agency (refused files, whose agency is not known, after the others),
 * submitted instant, SHA-256; only then by name and path.
 */
#ifndef CSPPACK_OUTCOMMON_H
#define CSPPACK_OUTCOMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "csppack/model/diag.h"
#include "csppack/base/error.h"
#include "csppack/model/dataset.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/base/strbuf.h"

/** Cap on one line of text an output builds (csp_out_diag_line). */
#define CSP_OUT_TEXT_MAX ((size_t)16 * 1024 * 1024)

/*
 * The names and order of the files are the model's (model/dataset.h):
 * the reconciler orders by them too.  The writers call them by these
 * names.
 */

/** csp_dataset_file_name. */
static inline const char *csp_out_file_name(const csp_dataset *ds, size_t i)
{
    return csp_dataset_file_name(ds, i);
}

/** csp_dataset_diag_files. */
static inline csp_error csp_out_diag_files(const csp_dataset *ds,
                                           size_t **out)
{
    return csp_dataset_diag_files(ds, out);
}

/** csp_dataset_file_identity_cmp. */
static inline int csp_out_file_identity_cmp(const csp_dataset_file *a,
                                            const csp_dataset_file *b)
{
    return csp_dataset_file_identity_cmp(a, b);
}

/** csp_dataset_file_order. */
static inline csp_error csp_out_file_order(const csp_dataset *ds,
                                           size_t **rank_out,
                                           size_t **order_out)
{
    return csp_dataset_file_order(ds, rank_out, order_out);
}

/** csp_dataset_diag_skipped. */
static inline bool csp_out_is_skipped(const csp_diag *d)
{
    return csp_dataset_diag_skipped(d);
}

/** csp_dataset_skipped. */
static inline csp_error csp_out_skipped(const csp_dataset *ds, size_t **out,
                                        size_t *n)
{
    return csp_dataset_skipped(ds, out, n);
}

/**
 * Group the items 0..n) by file: file_of[i] is item i's file index (below
 * @p nfiles) or CSP_NO_INDEX (left out).  *start_out has nfiles + 2
 * entries; file f's items are (*by_out)[start[f]..start[f + 1]), in
 * increasing order.  A counting sort: n + nfiles.  Caller frees both.
 */
csp_error csp_out_group_by_file(const size_t *file_of, size_t n,
                                size_t nfiles, size_t **by_out,
                                size_t **start_out) CSP_MUST_CHECK;

/**
 * True when @p s is valid UTF-8 holding only characters XML 1.0 allows
 * (tab, LF, CR, U+0020 and above, no surrogates, no U+FFFE/U+FFFF).
 */
bool csp_out_text_ok(const char *s);

/**
 * @p s with every byte sequence csp_out_text_ok refuses replaced by
 * U+FFFD, into @p sb (reset first).  Text from submissions has been
 * checked on reading; this guards messages that quote raw input.
 */
csp_error csp_out_text_clean(const char *s, csp_strbuf *sb) CSP_MUST_CHECK;

/**
 * A value as every report prints it (PDF, HTML): a comma between each
 * group of three whole digits ("7,795", "-1,000", "1,000,000"), the
 * decimals exactly as they stand ("12,345.6", "80.70"), "%" after a
 * percent, money after @p currency (NULL: "£") with two decimals when
 * it has any ("£12,345.50").  Truncated to @p n bytes (NUL included).
 */
void csp_out_value_text(csp_decimal d, csp_unit unit, const char *currency,
                        char *buf, size_t n);

/** A count as the reports print it: "7,795" (csp_out_value_text);
 *  returns @p buf, so that it can be an argument of a printf. */
const char *csp_out_count_text(uint64_t count,
                               char buf[CSP_DECIMAL_GROUPED_BUFSZ]);

/** The size of a csp_outbuf's block. */
#define CSP_OUTBUF_SIZE ((size_t)64 * 1024)

/**
 * A buffered writer for the pack's large text outputs.  The writers put
 * markup, numbers and escaped text straight into one block and hand the
 * stream whole blocks with fwrite, rather than make a stdio call (or a
 * libxml2 one) for every piece: at 200 MiB of submissions they write over
 * 300 MB, and the calls cost more than the bytes.
 *
 * The first failure sticks in @c err (CSP_ERR_IO: the stream's error
 * indicator is set and errno says why, which csp_outdir_close reports);
 * what is put after it is dropped, so a writer need only look at @c err
 * where it would otherwise go on working for nothing.  The block lives in
 * the struct.
 */
typedef struct csp_outbuf {
    FILE *out;
    size_t len;               /* bytes held in data */
    csp_error err;
    char data[CSP_OUTBUF_SIZE];
} csp_outbuf;

/** Start writing to @p out (not closed). */
void csp_outbuf_init(csp_outbuf *ob, FILE *out);

/** Hand what is held to the stream (fwrite, no fflush); ob->err. */
csp_error csp_outbuf_flush(csp_outbuf *ob);

/** Put @p n bytes that do not fit in the block (csp_outbuf_add). */
void csp_outbuf_add_slow(csp_outbuf *ob, const char *s, size_t n);

/** Put @p n bytes. */
static inline void csp_outbuf_add(csp_outbuf *ob, const char *s, size_t n)
{
    if (n <= CSP_OUTBUF_SIZE - ob->len) {
        memcpy(ob->data + ob->len, s, n);
        ob->len += n;
    } else {
        csp_outbuf_add_slow(ob, s, n);
    }
}

/** Put a string (a literal's length is known when this is inlined). */
static inline void csp_outbuf_puts(csp_outbuf *ob, const char *s)
{
    csp_outbuf_add(ob, s, strlen(s));
}

/** Put one byte. */
static inline void csp_outbuf_putc(csp_outbuf *ob, char c)
{
    if (ob->len == CSP_OUTBUF_SIZE)
        csp_outbuf_flush(ob);
    ob->data[ob->len++] = c;
}

/** Put @p v in decimal. */
void csp_outbuf_uint(csp_outbuf *ob, unsigned long long v);

/**
 * Text content of an XML element, as libxml2's xmlTextWriter wrote it
 * after csp_out_text_clean: <, >, &, " and CR as &lt; &gt; &amp; &quot;
 * &#13;, what csp_out_text_ok refuses as U+FFFD, everything else as it
 * stands.  @p s ends at its first NUL; s[n] is NUL.  One pass: runs with
 * nothing to escape are copied whole.
 */
void csp_out_xml_text(csp_outbuf *ob, const char *s, size_t n);

/** An XML attribute value (without the quotes), the same way but with tab
 *  and LF as &#9; and &#10; too. */
void csp_out_xml_attr(csp_outbuf *ob, const char *s);

/**
 * The first byte from @p p, before @p end, whose entry in @p table has any
 * of @p bits set; @p end when there is none.  The escapers look for a few
 * bytes in long texts: a table says which, byte by byte.
 */
const unsigned char *csp_out_scan(const unsigned char *p,
                                  const unsigned char *end,
                                  const unsigned char table[256],
                                  unsigned bits);

/** Would csp_out_xml_attr write @p s (@p n bytes, s[n] NUL) as it stands?
 *  For a value written many times: looked at once, then copied. */
bool csp_out_xml_attr_plain(const char *s, size_t n);

/**
 * Update @p u's progress statement into @p sb (whatever it held is
 * replaced), read back from the dataset's spool: the writers read every
 * statement in turn into one buffer, not a new allocation each.
 */
csp_error csp_out_progress(const csp_dataset *ds, const csp_dataset_update *u,
                           csp_strbuf *sb) CSP_MUST_CHECK;

/**
 * A diagnostic as one line, like csp_diag_print but with the file's name
 * in @p ds's outputs: "FILE:LINE: severity: CODE: message" (no newline).
 */
void csp_out_diag_line(const csp_dataset *ds, const csp_diag *d,
                       csp_outbuf *ob);

/** Slots of a csp_out_dates. */
#define CSP_OUT_DATES 256

/**
 * The text of dates a writer prints again and again (periods, as-of
 * dates): a date is formatted once, then copied.  Direct-mapped by the
 * day; start zeroed.
 */
typedef struct csp_out_dates {
    struct {
        bool used;
        csp_date date;
        char text[CSP_DATE_BUFSZ];
    } slot[CSP_OUT_DATES];
} csp_out_dates;

/** @p d as YYYY-MM-DD into @p buf, as csp_date_format. */
void csp_out_date(csp_out_dates *c, csp_date d, char buf[CSP_DATE_BUFSZ]);

/** Print a 128-bit integer in decimal into @p sb. */
csp_error csp_out_int128(csp_strbuf *sb, csp_int128 v) CSP_MUST_CHECK;

/** Print an exact ratio reduced to lowest terms: "839/10", "9007". */
csp_error csp_out_ratio(csp_strbuf *sb, csp_ratio r) CSP_MUST_CHECK;

#endif
