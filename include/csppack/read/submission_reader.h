/*
 * Internal to the submission reader (src/read/submission*.c): the state
 * while one file is read, and the helpers that read attributes and texts
 * off the streaming reader within the bounds and say what is wrong.
 */
#ifndef CSPPACK_READ_SUBMISSION_READER_H
#define CSPPACK_READ_SUBMISSION_READER_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlstring.h>

#include "csppack/base/strbuf.h"
#include "csppack/model/date.h"
#include "csppack/model/diag.h"
#include "csppack/model/submission.h"
#include "csppack/model/template.h"
#include "csppack/read/xmlread.h"
#include "csppack/read/xmlsafe.h"

/** The element and attribute names the reader looks for. */
enum {
    CSP_SUB_SUBMISSION, CSP_SUB_SUBMITTER, CSP_SUB_COMMENT, CSP_SUB_OBS,
    CSP_SUB_UPDATE, CSP_SUB_INDICATOR, CSP_SUB_AREA, CSP_SUB_PERIOD,
    CSP_SUB_VALUE, CSP_SUB_STATUS, CSP_SUB_REF, CSP_SUB_AS_OF,
    CSP_SUB_NAMES
};
/** Each name's text ("as-of"). */
extern const char *const csp_sub_names[CSP_SUB_NAMES];

/** Most attributes csp_sub_attrs reads at once. */
#define CSP_SUB_MAX_ATTRS 8

/** Periods parsed in this file, by their text (START/END, 21 bytes): the
 *  figures of one file name a few periods many times over. */
#define CSP_SUB_PERIOD_TEXT 21
#define CSP_SUB_PERIOD_CACHE 64
typedef struct csp_sub_period_memo {
    char text[CSP_SUB_PERIOD_TEXT];
    bool used;
    csp_period_status status;
    csp_period period;   /* when status is CSP_PERIOD_OK */
} csp_sub_period_memo;

/** State while one file is read. */
typedef struct csp_sub_reader {
    const csp_template *tpl;
    const csp_read_options *opt;
    csp_submission *sub;
    csp_diag_list *diags;
    csp_xml *x;
    size_t items;
    size_t cap_obs, cap_updates;
    bool header_ok;    /* strategy/agency/submitted were accepted */
    bool check_items;  /* the strategy is the template's: items can be
                          checked against it even if the file is refused */
    bool nomem;
    bool too_many;
    bool text_too_long;
    size_t item_problems;   /* E2xx diagnostics so far */
    bool too_many_problems; /* past the bound of csp_sub_say: refused */
    /* Reused from item to item, so that reading one costs no malloc: */
    csp_strbuf attrs;       /* the values csp_sub_attrs() joined last */
    csp_strbuf text;        /* the text csp_sub_element_text() returned
                               last */
    /* Names as the reader's dictionary holds them (NULL when it could not
     * add one): a name of the document is the same pointer.  Only a
     * shortcut: a name that is not is still compared byte by byte. */
    const xmlChar *names[CSP_SUB_NAMES];
    csp_sub_period_memo periods[CSP_SUB_PERIOD_CACHE];
    /* The indicator and area found last: a file gives one indicator and
     * area to many figures in a row. */
    const csp_indicator *last_ind;
    const csp_area *last_area;
} csp_sub_reader;

/*
 * Most characters of a partner's value that a message quotes, and that a
 * diagnostic keeps as its indicator, area or ref: an unknown indicator id
 * of 65,536 bytes made the board pack fail.  The rest becomes "…".
 */
#define CSP_SUB_SHOWN_CHARS 40

/** A value as a message shows it (csp_text_show): escaped and
 *  shortened. */
typedef struct csp_sub_shown {
    char s[CSP_TEXT_SHOWN_BUFSZ(CSP_SUB_SHOWN_CHARS)];
} csp_sub_shown;

/** @p v, @p len bytes, in @p buf as messages show it; NULL for NULL. */
char *csp_sub_show(csp_sub_shown *buf, const char *v, size_t len);

/** Add a diagnostic at proto's line for the current file; past a bound
 *  of problems with items, E113 once and the file is refused. */
void csp_sub_say(csp_sub_reader *r, const csp_diag *proto, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));

/** E114 once per file: the @p what here is longer than max_text.  The
 *  file is then refused. */
void csp_sub_text_too_long(csp_sub_reader *r, const char *what);

/** An attribute of the current element, or NULL (caller frees); NULL too
 *  when it is longer than max_text (E114, the file is refused). */
char *csp_sub_attr(csp_sub_reader *r, const char *name);

/** csp_sub_attr(), in the form every output shows it (csp_text_show). */
char *csp_sub_attr_shown(csp_sub_reader *r, const char *name);

/** Is @p name (of the document) csp_sub_names[@p id]? */
bool csp_sub_is_name(const csp_sub_reader *r, const xmlChar *name, int id);

/**
 * The attributes @p ids (at most CSP_SUB_MAX_ATTRS) of the current
 * element, in one pass: values[i] is the value of ids[i] and lens[i] its
 * length, or NULL and 0 when the element has none; valid until the reader
 * moves past the element.  False when memory ran out (r->nomem is set).
 */
bool csp_sub_attrs(csp_sub_reader *r, const int *ids, const char **values,
                   size_t *lens, size_t n);

/** The text content of the current element up to its end tag, bounded by
 *  max_text, in r->text (valid until the next call; may be changed in
 *  place), or NULL on refusal or memory failure. */
char *csp_sub_element_text(csp_sub_reader *r, const char *what);

/** Normalise a progress statement in place: paragraphs (separated by a
 *  blank line) with whitespace collapsed inside each, joined by
 *  "\n\n". */
void csp_sub_normalise_paragraphs(char *s);

#endif
