/*
 * The workbook's text helpers: private to src/write/workbook/ and its
 * unit tests (tests/unit/test_workbook.c).  Pure functions: no workbook,
 * no libxlsxwriter state.
 */
#ifndef CSPPACK_WRITE_WORKBOOK_CELLS_H
#define CSPPACK_WRITE_WORKBOOK_CELLS_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/model/date.h"
#include "csppack/write/workbook/workbook.h"

/**
 * The text to give libxlsxwriter for a cell that must show @p text exactly:
 * "_xHHHH_" sequences, which Excel would decode, are escaped as
 * "_x005F_xHHHH_"; when the result would pass @p limit characters (counted
 * as UTF-16 code units, the stricter of Excel's and libxlsxwriter's
 * counts), the text is cut at a character boundary and @p mark appended
 * so that the whole is within @p limit.  @p text must be valid UTF-8.
 * Returns a new string (caller frees) or NULL when memory ran out; sets
 * *truncated when it cut.
 */
char *csp_workbook_cell_text(const char *text, size_t limit, const char *mark,
                             bool *truncated);

/**
 * Characters on the longest line of @p s (NULL is "") and, when @p lines
 * is not NULL, the lines it needs wrapped in a column @p width characters
 * wide: every line of it, at a character less than the width for the
 * ragged right edge.  An estimate (the font is proportional), on the
 * generous side: Excel and LibreOffice do not size rows to wrapped text
 * on opening a file, so the writer sets each row's height.  When @p units
 * is not NULL the same pass counts the text's UTF-16 code units (what
 * Excel's limit counts) into it, and returns SIZE_MAX if the text holds an
 * "_xHHHH_" (csp_workbook_cell_text would escape it).
 */
size_t csp_workbook_text_extent(const char *s, size_t width, size_t *lines,
                                size_t *units);

/** Characters a text occupies on its longest line (UTF-8 aware), for
 *  column widths. */
size_t csp_workbook_text_width(const char *text);

/** Bytes of the UTF-8 character at @p s (csp_utf8_decode), 1 for a byte
 *  that starts none; never past the text's NUL. */
size_t csp_workbook_char_len(const char *s);

/**
 * The name of part @p part (1-based) of a sheet: @p base for part 1,
 * "base (2)" after; always a valid sheet name of at most 31 characters.
 * @p buf must hold 128 bytes.
 */
void csp_workbook_sheet_name(const char *base, unsigned part, char buf[128]);

/**
 * An action status as the workbook shows it: a shape that survives
 * black-and-white printing, and the words: "● On track", "▲ At risk",
 * "✖ Off track", "✔ Complete", "○ Not started".
 */
const char *csp_workbook_status_label(csp_action_status st);

/**
 * True when @p path holds a whole zip file: it ends with an
 * end-of-central-directory record (no comment) whose directory ends
 * where the record begins.  A workbook cut short by a full disk fails.
 */
bool csp_workbook_file_complete(const char *path);

#endif
