/* csppack: reading partner submissions (streaming, checked per item). */
#include "csppack/read/submission.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "csppack/base/alloc.h"
#include "csppack/base/strbuf.h"
#include "csppack/base/workers.h"
#include "csppack/read/xmlsafe.h"

static const char *const obs_status_names[] = {
    [CSP_OBS_FINAL] = "final",         [CSP_OBS_PROVISIONAL] = "provisional",
    [CSP_OBS_ESTIMATED] = "estimated", [CSP_OBS_MISSING] = "missing",
    [CSP_OBS_WITHDRAWN] = "withdrawn",
};

static const char *const action_status_names[] = {
    [CSP_ACT_COMPLETE] = "complete",   [CSP_ACT_NOT_STARTED] = "not-started",
    [CSP_ACT_ON_TRACK] = "on-track",   [CSP_ACT_AT_RISK] = "at-risk",
    [CSP_ACT_OFF_TRACK] = "off-track",
};

/* Name of a figure status. */
const char *csp_obs_status_str(csp_obs_status st)
{
    return st <= CSP_OBS_WITHDRAWN ? obs_status_names[st] : "final";
}

/* Name of an action status. */
const char *csp_action_status_str(csp_action_status st)
{
    return st <= CSP_ACT_OFF_TRACK ? action_status_names[st] : "not-started";
}

/* Parse a figure status. */
bool csp_obs_status_parse(const char *s, csp_obs_status *out)
{
    for (int i = 0; i <= CSP_OBS_WITHDRAWN; i++)
        if (strcmp(s, obs_status_names[i]) == 0) {
            *out = (csp_obs_status)i;
            return true;
        }
    return false;
}

/* Parse an action status. */
bool csp_action_status_parse(const char *s, csp_action_status *out)
{
    for (int i = 0; i <= CSP_ACT_OFF_TRACK; i++)
        if (strcmp(s, action_status_names[i]) == 0) {
            *out = (csp_action_status)i;
            return true;
        }
    return false;
}

/* Free what one figure owns (its ids are the template's). */
static void obs_clear(csp_obs *o)
{
    free(o->note);
}

/* Free what one update owns (its ref is the template's). */
static void update_clear(csp_update *u)
{
    free(u->progress);
}

/* Drop every item: a refused file's, or a freed submission's. */
static void drop_items(csp_submission *sub)
{
    for (size_t i = 0; i < sub->nobs; i++)
        obs_clear(&sub->obs[i]);
    for (size_t i = 0; i < sub->nupdates; i++)
        update_clear(&sub->updates[i]);
    sub->nobs = sub->nupdates = 0;
}

/* Release the items once they have been taken. */
void csp_submission_release_items(csp_submission *sub)
{
    if (!sub)
        return;
    drop_items(sub);
    free(sub->obs);
    free(sub->updates);
    sub->obs = NULL;
    sub->updates = NULL;
}

/* Free a submission. */
void csp_submission_free(csp_submission *sub)
{
    if (!sub)
        return;
    csp_submission_release_items(sub);
    free(sub->path);
    free(sub->strategy);
    free(sub->agency);
    free(sub->submitter_name);
    free(sub->submitter_email);
    free(sub->submitter_phone);
    free(sub->comment);
    free(sub);
}

/* --- suggestions for mistyped ids --------------------------------------- */

/* Edit distance between a and b, giving up above limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = diag + (a[i - 1] != b[j - 1]);
            size_t v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = cost < v ? cost : v;
            diag = up;
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

/* Tracks the closest candidate id to a mistyped one. */
typedef struct suggestion {
    const char *typed;
    const char *best;
    size_t dist;
    bool tie;          /* two candidates equally close: suggest neither */
} suggestion;

/* Offer one candidate. */
static void suggest(suggestion *s, const char *candidate)
{
    size_t limit = strlen(s->typed) / 3 + 1;
    size_t d = edit_distance(s->typed, candidate, limit);
    if (d > limit)
        return;
    if (!s->best || d < s->dist) {
        s->best = candidate;
        s->dist = d;
        s->tie = false;
    } else if (d == s->dist && strcmp(candidate, s->best) != 0) {
        s->tie = true;
    }
}

/* " (did you mean \"x\"?)" or "". */
static void suggestion_text(const suggestion *s, char *buf, size_t n)
{
    if (s->best && !s->tie)
        snprintf(buf, n, "; did you mean \"%s\"?", s->best);
    else
        buf[0] = '\0';
}

/*
 * Most characters of a partner's value that a message quotes, and that a
 * diagnostic keeps as its indicator, area or ref: an unknown indicator id
 * of 65,536 bytes made the board pack fail.  The rest becomes "…".
 */
#define SHOWN_CHARS 40

/* A value as a message shows it (csp_text_show): escaped and shortened. */
typedef struct shown {
    char s[CSP_TEXT_SHOWN_BUFSZ(SHOWN_CHARS)];
} shown;

/* @p v, @p len bytes, in @p buf as messages show it; NULL for NULL. */
static char *show(shown *buf, const char *v, size_t len)
{
    if (!v)
        return NULL;
    buf->s[csp_text_show(v, len, SHOWN_CHARS, buf->s)] = '\0';
    return buf->s;
}

/* --- the reader ---------------------------------------------------------- */

/*
 * Most problems with single figures and updates (E2xx) listed for one
 * file.  Each refused item costs a few hundred bytes of diagnostics, and
 * an item can draw several, so without a bound a 59 MB file of 700,000
 * bad <obs> made 3.5 million of them (1.2 GB, 21 s; found by review for
 * issue 7).  A file with more problems than this was made by a broken
 * export: it is refused whole (E113), with the first ones listed.
 */
#define MAX_ITEM_PROBLEMS 10000

/* The element and attribute names the reader looks for. */
enum {
    N_SUBMISSION, N_SUBMITTER, N_COMMENT, N_OBS, N_UPDATE,
    N_INDICATOR, N_AREA, N_PERIOD, N_VALUE, N_STATUS, N_REF, N_AS_OF,
    N_NAMES
};
static const char *const name_text[N_NAMES] = {
    [N_SUBMISSION] = "submission", [N_SUBMITTER] = "submitter",
    [N_COMMENT] = "comment",       [N_OBS] = "obs",
    [N_UPDATE] = "update",         [N_INDICATOR] = "indicator",
    [N_AREA] = "area",             [N_PERIOD] = "period",
    [N_VALUE] = "value",           [N_STATUS] = "status",
    [N_REF] = "ref",               [N_AS_OF] = "as-of",
};

/* Periods parsed in this file, by their text (START/END, 21 bytes): the
 * figures of one file name a few periods many times over. */
#define PERIOD_TEXT 21
#define PERIOD_CACHE 64
typedef struct period_memo {
    char text[PERIOD_TEXT];
    bool used;
    csp_period_status status;
    csp_period period;   /* when status is CSP_PERIOD_OK */
} period_memo;

/* State while one file is read. */
typedef struct reader {
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
    bool too_many_problems; /* past MAX_ITEM_PROBLEMS: refused */
    /* Reused from item to item, so that reading one costs no malloc: */
    csp_strbuf attrs;       /* the values attrs() joined last */
    csp_strbuf text;        /* the text element_text() returned last */
    /* Names as the reader's dictionary holds them (NULL when it could not
     * add one): a name of the document is the same pointer.  Only a
     * shortcut: a name that is not is still compared byte by byte. */
    const xmlChar *names[N_NAMES];
    period_memo periods[PERIOD_CACHE];
    /* The indicator and area found last: a file gives one indicator and
     * area to many figures in a row. */
    const csp_indicator *last_ind;
    const csp_area *last_area;
} reader;

/* Add a diagnostic at line for the current file. */
static void say(reader *r, const csp_diag *proto, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(reader *r, const csp_diag *proto, const char *fmt, ...)
{
    va_list ap;
    if (csp_diag_refuses_item(proto->code) &&
        ++r->item_problems > MAX_ITEM_PROBLEMS) {
        if (!r->too_many_problems) {
            csp_diag p = {.code = CSP_D_TOO_MANY, .file = r->sub->path,
                          .line = proto->line};
            if (!csp_diag_add(r->diags, &p,
                              "the file has more than %d problems with its "
                              "figures and updates (the first %d are "
                              "listed); correct the export that made it and "
                              "send the whole file again",
                              MAX_ITEM_PROBLEMS, MAX_ITEM_PROBLEMS))
                r->nomem = true;
            r->too_many_problems = true;
        }
        return;
    }
    va_start(ap, fmt);
    if (!csp_diag_addv(r->diags, proto, fmt, ap))
        r->nomem = true;
    va_end(ap);
}

/* E114 once per file: the @p what here is longer than max_text.  The
 * file is then refused. */
static void text_too_long(reader *r, const char *what)
{
    if (r->text_too_long)
        return;
    csp_diag proto = {.code = CSP_D_TEXT_TOO_LONG, .file = r->sub->path,
                      .line = csp_xml_line(r->x)};
    say(r, &proto,
        "the %s here is longer than %zu bytes; shorten it or raise "
        "--max-text",
        what, r->opt->max_text);
    r->text_too_long = true;
}

/* Is attribute @p name's value, @p len bytes, within max_text?  Else
 * E114. */
static bool attr_len_fits(reader *r, const char *name, size_t len)
{
    if (len <= r->opt->max_text)
        return true;
    char what[64];
    snprintf(what, sizeof what, "%s attribute", name);
    text_too_long(r, what);
    return false;
}

/* Is attribute @p name's value @p v within max_text?  Else E114. */
static bool attr_fits(reader *r, const char *name, const char *v)
{
    return !v || attr_len_fits(r, name, strlen(v));
}

/* An attribute of the current element, or NULL (caller frees); NULL too
 * when it is longer than max_text (E114, the file is refused). */
static char *attr(reader *r, const char *name)
{
    xmlTextReaderPtr xr = csp_xml_reader(r->x);
    char *v = (char *)xmlTextReaderGetAttribute(xr, (const xmlChar *)name);
    /* libxml2 also returns NULL when it cannot copy the value. */
    xmlNodePtr node = v ? NULL : xmlTextReaderCurrentNode(xr);
    if (node && xmlHasNsProp(node, (const xmlChar *)name, NULL))
        r->nomem = true;
    if (!attr_fits(r, name, v)) {
        xmlFree(v);
        return NULL;
    }
    return v;
}

/* attr(), in the form every output shows it (csp_text_show): the
 * submitter's name, e-mail and phone are printed in receipts and on the
 * terminal, where a line feed or an escape sequence would forge lines. */
static char *attr_shown(reader *r, const char *name)
{
    char *v = attr(r, name);
    if (!v)
        return NULL;
    char *s = csp_text_shown(v, 0);
    xmlFree(v);
    if (!s)
        r->nomem = true;
    return s;
}

/* Most attributes attrs() reads at once. */
#define MAX_ATTRS 8

/* Is @p name (of the document) name_text[@p id]? */
static bool is_name(const reader *r, const xmlChar *name, int id)
{
    return name == r->names[id] ||
           (name[0] == (xmlChar)name_text[id][0] &&
            strcmp((const char *)name, name_text[id]) == 0);
}

/*
 * The attributes @p ids (names in name_text, without namespace; @p n at
 * most MAX_ATTRS) of the current element, in one pass over them:
 * values[i] is the value of ids[i] and lens[i] its length, or NULL and 0
 * when the element has none.  The values are the element's own (or, for
 * a value libxml2 keeps in pieces, joined in r->attrs), valid until the
 * reader moves past the element: reading on to its end leaves them
 * alone.  False when memory ran out (r->nomem is set).
 *
 * xmlTextReaderGetAttribute would search the attributes once per name
 * and allocate each value; reading a figure cost five of each.
 */
static bool attrs(reader *r, const int *ids, const char **values,
                  size_t *lens, size_t n)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(csp_xml_reader(r->x));
    size_t offset[MAX_ATTRS];
    bool found[MAX_ATTRS] = {false}, joined_any = false;
    csp_error e = CSP_OK;
    for (size_t i = 0; i < n; i++) {
        values[i] = NULL;
        lens[i] = 0;
    }
    for (xmlAttrPtr a = node ? node->properties : NULL; a && e == CSP_OK;
         a = a->next) {
        size_t i = 0;
        if (a->ns)
            continue;
        while (i < n && !is_name(r, a->name, ids[i]))
            i++;
        if (i == n || found[i])
            continue;
        /* As xmlGetNoNsProp: one text node is the value, else the
         * children's text.  (In practice there is one: character
         * references and the predefined entities are written into the
         * text, and other entities are refused.) */
        xmlNodePtr c = a->children;
        xmlChar *joined = NULL;
        const xmlChar *v;
        if (c && !c->next &&
            (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
            v = c->content;
        else if (!(v = joined = xmlNodeListGetString(a->doc, c, 1)) && c) {
            e = CSP_ERR_NOMEM;  /* libxml2 could not copy the value */
            break;
        }
        size_t len = v ? strlen((const char *)v) : 0;
        if (!attr_len_fits(r, name_text[ids[i]], len)) {
            xmlFree(joined);
            continue;  /* as if absent; the file is refused */
        }
        found[i] = true;
        lens[i] = len;
        if (v && !joined) {
            values[i] = (const char *)v;
            continue;
        }
        /* Joined (or no children at all: ""): kept in r->attrs. */
        if (!joined_any)
            csp_strbuf_reset(&r->attrs);
        joined_any = true;
        offset[i] = r->attrs.len;
        e = csp_strbuf_add(&r->attrs, v ? (const char *)v : "", lens[i] + 1);
        xmlFree(joined);
    }
    if (e != CSP_OK) {
        r->nomem = true;
        return false;
    }
    /* r->attrs may have moved as it grew: point into it at the end. */
    for (size_t i = 0; i < n; i++)
        if (found[i] && !values[i])
            values[i] = r->attrs.data + offset[i];
    return true;
}

/*
 * Read the text content of the current element up to its end tag,
 * bounded by max_text, into r->text.  Returns it (valid until the next
 * call; the caller may change it in place), or NULL on refusal or memory
 * failure.
 */
static char *element_text(reader *r, const char *what)
{
    xmlTextReaderPtr xr = csp_xml_reader(r->x);
    csp_strbuf *sb = &r->text;
    csp_strbuf_reset(sb);
    if (csp_strbuf_add(sb, "", 0) != CSP_OK) { /* storage for "" */
        r->nomem = true;
        return NULL;
    }
    if (xmlTextReaderIsEmptyElement(xr))
        return sb->data;
    int depth = xmlTextReaderDepth(xr);
    int rc;
    while ((rc = csp_xml_next(r->x)) == 1) {
        int type = csp_xml_type(r->x);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(xr) == depth)
            return sb->data;
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
            type == XML_READER_TYPE_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            csp_error e = csp_strbuf_puts(sb, v ? v : "");
            if (e == CSP_ERR_LIMIT)
                text_too_long(r, what);
            if (e != CSP_OK) {
                r->nomem |= e == CSP_ERR_NOMEM;
                return NULL;
            }
        }
    }
    return NULL;
}

/* XML's white space, the only characters collapsed. */
static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Normalise a progress statement in place: paragraphs (separated by a
 * blank line) with whitespace collapsed inside each, joined by "\n\n".
 *
 * A blank line is a run of white space holding two newlines or more, so
 * each run becomes "\n\n" when it holds a blank line and " " otherwise,
 * and runs at either end go: "a \n\n b\n c" becomes "a\n\nb c".  The
 * text between runs that need changing (up to a tab, newline or CR, or
 * two spaces) is found with strcspn and strstr and moved as a whole:
 * testing each byte costs a mispredicted branch at every word, and was
 * 10 % of reading (doc/performance.md).
 */
static void normalise_paragraphs(char *s)
{
    char *w = s;
    const char *r = s;
    const char *twice = strstr(s, "  "); /* the next two spaces after r */
    while (*r) {
        if (!is_space((unsigned char)*r)) {
            /* What follows r is unchanged so far: only bytes before r
             * have been written. */
            if (twice && twice < r)
                twice = strstr(r, "  ");
            size_t n = strcspn(r, "\t\n\r");
            if (twice && twice < r + n)
                n = (size_t)(twice - r);
            else if (r[n - 1] == ' ')
                n--; /* it starts the run that follows */
            if (w != r)
                memmove(w, r, n);
            w += n;
            r += n;
            continue;
        }
        unsigned newlines = 0;
        do
            newlines += *r == '\n';
        while (is_space((unsigned char)*++r));
        if (w == s || !*r)
            continue; /* leading or trailing */
        /* The run is at least as long as what replaces it. */
        if (newlines >= 2) {
            *w++ = '\n';
            *w++ = '\n';
        } else {
            *w++ = ' ';
        }
    }
    *w = '\0';
}

/* Check the <submission> element's attributes against the template. */
static void read_header(reader *r)
{
    csp_submission *sub = r->sub;
    unsigned long line = csp_xml_line(r->x);
    csp_diag proto = {.file = sub->path, .line = line};
    char hint[160];
    /* Once per file: a second root element is not well-formed. */
    free(sub->strategy);
    free(sub->agency);
    sub->strategy = attr(r, "strategy");
    sub->agency = attr(r, "agency");
    sub->header_line = line;
    char *submitted = attr(r, "submitted");
    shown shown_buf[3];
    const char *q_strategy = show(&shown_buf[0], sub->strategy,
                                  sub->strategy ? strlen(sub->strategy) : 0),
               *q_agency = show(&shown_buf[1], sub->agency,
                                sub->agency ? strlen(sub->agency) : 0),
               *q_submitted = show(&shown_buf[2], submitted,
                                   submitted ? strlen(submitted) : 0);
    bool ok = true;
    r->check_items = sub->strategy && strcmp(sub->strategy, r->tpl->id) == 0;
    if (sub->strategy && strcmp(sub->strategy, r->tpl->id) != 0) {
        proto.code = CSP_D_STRATEGY;
        say(r, &proto,
            "strategy \"%s\" is not the strategy these figures are collected "
            "for; write strategy=\"%s\"",
            q_strategy, r->tpl->id);
        ok = false;
        char *st = csp_strdup(q_strategy);
        if (!st)
            r->nomem = true;
        free(sub->strategy);
        sub->strategy = st;
    }
    if (sub->agency && !csp_template_agency(r->tpl, sub->agency)) {
        suggestion sg = {.typed = sub->agency};
        for (size_t i = 0; i < r->tpl->nagencies; i++)
            suggest(&sg, r->tpl->agencies[i].id);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_AGENCY;
        say(r, &proto,
            "agency \"%s\" is not a partner declared in the strategy template%s",
            q_agency, hint);
        ok = false;
        /* The outputs list the refused file under the agency it gave. */
        char *a = csp_strdup(q_agency);
        if (!a)
            r->nomem = true;
        free(sub->agency);
        sub->agency = a;
    }
    if (submitted && !csp_instant_parse(submitted, strlen(submitted),
                                        &sub->submitted)) {
        proto.code = CSP_D_SUBMITTED;
        if (csp_instant_out_of_range(submitted, strlen(submitted)))
            say(r, &proto,
                "submitted=\"%s\" is outside the years 0001 to 9999 (in "
                "UTC or as written); check the date",
                q_submitted);
        else
            say(r, &proto,
                "submitted=\"%s\" is not a date and time with a time zone; "
                "write it like 2016-10-14T09:30:00+01:00 or "
                "2016-11-02T10:00:00Z",
                q_submitted);
        ok = false;
    }
    free(submitted);
    r->header_ok = ok && sub->strategy && sub->agency;
}

/* Append to a growing array; false on memory failure. */
static bool grow(void **arr, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 32;
    void *p = csp_realloc(*arr, n * size);
    if (!p)
        return false;
    *arr = p;
    *cap = n;
    return true;
}

/* Count one item against the bound; false when over it. */
static bool count_item(reader *r)
{
    if (++r->items <= r->opt->max_items)
        return true;
    if (!r->too_many) {
        csp_diag proto = {.code = CSP_D_TOO_MANY, .file = r->sub->path,
                          .line = csp_xml_line(r->x)};
        say(r, &proto,
            "the file holds more than %zu figures and updates; split it "
            "into several submissions or raise --max-items",
            r->opt->max_items);
        r->too_many = true;
    }
    return false;
}

/* Explain why a value is not a number, with a fix where one is obvious. */
static void say_not_a_number(reader *r, const csp_diag *proto, const char *v)
{
    size_t n = strlen(v);
    bool digits_commas = n > 0, has_comma = false;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == ',')
            has_comma = true;
        else if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.' ||
                   (i == 0 && v[i] == '-')))
            digits_commas = false;
    }
    if (has_comma && digits_commas) {
        char fixed[64];
        size_t w = 0;
        for (size_t i = 0; i < n && w < sizeof fixed - 1; i++)
            if (v[i] != ',')
                fixed[w++] = v[i];
        fixed[w] = '\0';
        say(r, proto, "value \"%s\" is not a number; write %s", v, fixed);
    } else if (n > 1 && v[n - 1] == '%') {
        say(r, proto,
            "value \"%s\" is not a number; write the figure without the %% "
            "sign (%.*s)",
            v, (int)(n - 1), v);
    } else if (strpbrk(v, "eE") && strspn(v, "0123456789.eE+-") == n) {
        say(r, proto,
            "value \"%s\" is not a number; write it in full without an "
            "exponent",
            v);
    } else if (n == 0) {
        say(r, proto,
            "value is empty; write the figure, or use status=\"missing\" and "
            "say why");
    } else {
        say(r, proto,
            "value \"%s\" is not a number; write digits with an optional "
            "sign and decimal point, such as 1385 or 80.7",
            v);
    }
}

/* Is @p id, @p len bytes, the string @p known? */
static bool same_id(const char *id, size_t len, const char *known)
{
    return strncmp(known, id, len) == 0 && known[len] == '\0';
}

/* csp_template_indicator, for the indicator found last without looking. */
static const csp_indicator *find_indicator(reader *r, const char *id,
                                           size_t len)
{
    if (!r->last_ind || !same_id(id, len, r->last_ind->id))
        r->last_ind = csp_template_indicator(r->tpl, id);
    return r->last_ind;
}

/* csp_template_area, for the area found last without looking. */
static const csp_area *find_area(reader *r, const char *id, size_t len)
{
    if (!r->last_area || !same_id(id, len, r->last_area->id))
        r->last_area = csp_template_area(r->tpl, id);
    return r->last_area;
}

/* csp_period_parse, remembered for the texts of this file. */
static csp_period_status parse_period(reader *r, const char *text, size_t len,
                                      csp_period *out)
{
    if (len != PERIOD_TEXT)
        return csp_period_parse(text, len, out);
    uint64_t a, b;
    memcpy(&a, text + 2, 8);   /* the start's year to its day */
    memcpy(&b, text + 13, 8);  /* the end's */
    uint64_t h = (a * 0x9e3779b97f4a7c15u) ^ (b * 0xc2b2ae3d27d4eb4fu);
    period_memo *m = &r->periods[(h >> 40) % PERIOD_CACHE];
    if (!m->used || memcmp(m->text, text, PERIOD_TEXT) != 0) {
        memcpy(m->text, text, PERIOD_TEXT);
        m->used = true;
        m->status = csp_period_parse(text, len, &m->period);
    }
    if (m->status == CSP_PERIOD_OK)
        *out = m->period;
    return m->status;
}

/* Read and check one <obs>. */
static void read_obs(reader *r)
{
    static const int names[] = {N_INDICATOR, N_AREA, N_PERIOD, N_VALUE,
                                N_STATUS};
    const char *val[5];
    size_t len[5];
    unsigned long line = csp_xml_line(r->x);
    if (!attrs(r, names, val, len, 5))
        return;
    const char *ind_id = val[0], *area = val[1], *period = val[2],
               *value = val[3], *status = val[4];
    /* As messages quote them: no control character, at most SHOWN_CHARS. */
    shown shown_buf[5];
    const char *q_ind = show(&shown_buf[0], ind_id, len[0]),
               *q_area = show(&shown_buf[1], area, len[1]),
               *q_period = show(&shown_buf[2], period, len[2]),
               *q_value = show(&shown_buf[3], value, len[3]),
               *q_status = show(&shown_buf[4], status, len[4]);
    char *note = element_text(r, "note on this figure");
    bool counted = count_item(r);
    csp_obs o = {.line = line, .status = CSP_OBS_FINAL};
    const csp_indicator *ind = NULL;
    const csp_area *in_area = NULL;
    bool ok = counted && note != NULL && r->check_items &&
              !r->too_many_problems;
    char hint[160];
    csp_diag proto = {.file = r->sub->path, .line = line,
                      .agency = r->sub->agency, .indicator = (char *)q_ind,
                      .area = (char *)q_area};

    if (!ok || !ind_id || !area || !period)
        goto out;
    csp_period_status pr = parse_period(r, period, len[2], &o.period);
    if (pr == CSP_PERIOD_OK) {
        proto.has_period = true;
        proto.period = o.period;
    }
    if (!(ind = find_indicator(r, ind_id, len[0]))) {
        suggestion sg = {.typed = ind_id};
        for (size_t i = 0; i < r->tpl->nindicators; i++)
            suggest(&sg, r->tpl->indicators[i].id);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_INDICATOR;
        say(r, &proto,
            "indicator \"%s\" is not in the strategy template%s", q_ind, hint);
        ok = false;
    }
    if (strcmp(area, CSP_AREA_ALL) != 0 &&
        !(in_area = find_area(r, area, len[1]))) {
        suggestion sg = {.typed = area};
        for (size_t i = 0; i < r->tpl->nareas; i++)
            suggest(&sg, r->tpl->areas[i].id);
        suggest(&sg, CSP_AREA_ALL);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_AREA;
        say(r, &proto,
            "area \"%s\" is not in the strategy template%s (use \"all\" for "
            "the partnership as a whole)",
            q_area, hint);
        ok = false;
    }
    switch (pr) {
    case CSP_PERIOD_OK:
        break;
    case CSP_PERIOD_SYNTAX:
        proto.code = CSP_D_BAD_PERIOD;
        say(r, &proto,
            "period \"%s\" is not two dates; write it as START/END, e.g. "
            "2016-07-01/2016-09-30",
            q_period);
        ok = false;
        break;
    case CSP_PERIOD_BAD_DATE:
        proto.code = CSP_D_BAD_PERIOD;
        say(r, &proto,
            "period \"%s\" names a date that does not exist; check the day "
            "and month",
            q_period);
        ok = false;
        break;
    case CSP_PERIOD_REVERSED:
        proto.code = CSP_D_PERIOD_REVERSED;
        say(r, &proto,
            "period \"%s\" starts after it ends; write the earlier date first",
            q_period);
        ok = false;
        break;
    }
    if (status && !csp_obs_status_parse(status, &o.status)) {
        proto.code = CSP_D_BAD_STATUS;
        say(r, &proto,
            "status \"%s\" is not one of final, provisional, estimated, "
            "missing, withdrawn",
            q_status);
        ok = false;
    }
    bool needs_value = o.status != CSP_OBS_MISSING && o.status != CSP_OBS_WITHDRAWN;
    if (value && !needs_value) {
        proto.code = CSP_D_VALUE_UNEXPECTED;
        say(r, &proto,
            "a figure with status \"%s\" must not have a value; remove "
            "value=\"%s\" or change the status",
            csp_obs_status_str(o.status), q_value);
        ok = false;
    } else if (!value && needs_value) {
        proto.code = CSP_D_VALUE_MISSING;
        say(r, &proto,
            "the figure has no value; add value=\"...\", or use "
            "status=\"missing\" and say why in the text");
        ok = false;
    } else if (value) {
        switch (csp_decimal_parse(value, len[3], &o.value)) {
        case CSP_DEC_OK:
            o.has_value = true;
            break;
        case CSP_DEC_TOO_LONG:
            proto.code = CSP_D_TOO_PRECISE;
            say(r, &proto,
                "value \"%s\" has more digits than csppack holds (18 digits, "
                "9 decimals); round it",
                q_value);
            ok = false;
            break;
        case CSP_DEC_EMPTY:
        case CSP_DEC_SYNTAX:
            proto.code = CSP_D_NOT_A_NUMBER;
            say_not_a_number(r, &proto, q_value);
            ok = false;
            break;
        }
    }
    if (o.has_value && ind) {
        csp_decimal zero = {0, 0}, hundred = {100, 0};
        if (ind->unit == CSP_UNIT_COUNT && !csp_decimal_is_whole(o.value)) {
            proto.code = CSP_D_NOT_WHOLE;
            say(r, &proto,
                "value \"%s\" is not a whole number, but \"%s\" is a count; "
                "write a whole number",
                q_value, q_ind);
            ok = false;
        }
        if (csp_decimal_cmp(o.value, zero) < 0) {
            proto.code = CSP_D_NEGATIVE;
            say(r, &proto,
                "value \"%s\" is negative; a %s is never below zero, so "
                "check the sign",
                q_value, csp_unit_str(ind->unit));
            ok = false;
        }
        if (ind->unit == CSP_UNIT_PERCENT &&
            csp_decimal_cmp(o.value, hundred) > 0) {
            proto.code = CSP_D_OVER_100;
            say(r, &proto,
                "value \"%s\" is above 100, but \"%s\" is a percentage; a "
                "percentage is at most 100",
                q_value, q_ind);
            ok = false;
        }
    }
    if (!ok)
        goto out;
    if (!grow((void **)&r->sub->obs, &r->cap_obs, r->sub->nobs, sizeof o)) {
        r->nomem = true;
        goto out;
    }
    csp_text_collapse(note);
    o.indicator = ind->id;
    o.indicator_index = (uint32_t)(ind - r->tpl->indicators);
    o.area = in_area ? in_area->id : CSP_AREA_ALL;
    o.area_index = in_area ? (uint32_t)(in_area - r->tpl->areas)
                           : CSP_OBS_AREA_ALL;
    o.note = *note ? csp_strdup(note) : NULL;
    if (*note && !o.note) {
        r->nomem = true;
        goto out;
    }
    r->sub->obs[r->sub->nobs++] = o;
out:
    if (!ok && counted && note)
        r->sub->refused_items++;
}

/* Read and check one <update>. */
static void read_update(reader *r)
{
    static const int names[] = {N_REF, N_STATUS, N_AS_OF};
    const char *val[3];
    size_t len[3];
    unsigned long line = csp_xml_line(r->x);
    if (!attrs(r, names, val, len, 3))
        return;
    const char *ref = val[0], *status = val[1], *as_of = val[2];
    shown shown_buf[3];
    const char *q_ref = show(&shown_buf[0], ref, len[0]),
               *q_status = show(&shown_buf[1], status, len[1]),
               *q_as_of = show(&shown_buf[2], as_of, len[2]);
    char *text = element_text(r, "progress statement");
    bool counted = count_item(r);
    bool ok = counted && text != NULL && r->check_items &&
              !r->too_many_problems;
    csp_update u = {.line = line};
    csp_diag proto = {.file = r->sub->path, .line = line,
                      .agency = r->sub->agency, .ref = (char *)q_ref};
    const csp_action *action;
    char hint[160];

    if (!ok || !ref || !status || !as_of)
        goto out;
    if (!(action = csp_template_action(r->tpl, ref))) {
        suggestion sg = {.typed = ref};
        for (size_t t = 0; t < r->tpl->nthemes; t++)
            for (size_t a = 0; a < r->tpl->themes[t].nactions; a++)
                suggest(&sg, r->tpl->themes[t].actions[a].ref);
        suggestion_text(&sg, hint, sizeof hint);
        proto.code = CSP_D_UNKNOWN_ACTION;
        say(r, &proto, "action \"%s\" is not in the strategy's action plan%s",
            q_ref, hint);
        ok = false;
    }
    if (!csp_action_status_parse(status, &u.status)) {
        proto.code = CSP_D_BAD_ACTION_STATUS;
        say(r, &proto,
            "status \"%s\" is not one of not-started, on-track, at-risk, "
            "off-track, complete",
            q_status);
        ok = false;
    }
    if (!csp_date_parse(as_of, len[2], &u.as_of)) {
        proto.code = CSP_D_BAD_AS_OF;
        int y, m, d;
        if (len[2] == 10 &&
            sscanf(as_of, "%4d-%2d-%2d", &y, &m, &d) == 3 && as_of[4] == '-' &&
            as_of[7] == '-')
            say(r, &proto,
                "as-of \"%s\" names a date that does not exist; check the "
                "day and month",
                q_as_of);
        else
            say(r, &proto,
                "as-of \"%s\" is not a date; write it as YYYY-MM-DD, e.g. "
                "2016-09-30",
                q_as_of);
        ok = false;
    }
    normalise_paragraphs(text);
    if (!*text) {
        proto.code = CSP_D_EMPTY_PROGRESS;
        say(r, &proto,
            "the progress statement for action %s is empty; say what has "
            "been done",
            q_ref);
        ok = false;
    }
    if (!ok)
        goto out;
    if (!grow((void **)&r->sub->updates, &r->cap_updates, r->sub->nupdates,
              sizeof u)) {
        r->nomem = true;
        goto out;
    }
    u.ref = action->ref;
    if (!(u.progress = csp_strdup(text))) {
        r->nomem = true;
        goto out;
    }
    r->sub->updates[r->sub->nupdates++] = u;
out:
    if (!ok && counted && text)
        r->sub->refused_items++;
}

/* Order of obs by key, then line. */
static int obs_key_cmp(const void *pa, const void *pb)
{
    const csp_obs *a = pa, *b = pb;
    int c = strcmp(a->indicator, b->indicator);
    if (!c)
        c = strcmp(a->area, b->area);
    if (!c)
        c = csp_period_cmp(a->period, b->period);
    if (!c)
        c = (a->line > b->line) - (a->line < b->line);
    return c;
}

/* Same key?  (The ids are the template's strings: one string each.) */
static bool obs_same_key(const csp_obs *a, const csp_obs *b)
{
    return csp_period_cmp(a->period, b->period) == 0 &&
           (a->indicator == b->indicator ||
            strcmp(a->indicator, b->indicator) == 0) &&
           (a->area == b->area || strcmp(a->area, b->area) == 0);
}

/* Order of updates by ref, as-of, line. */
static int update_key_cmp(const void *pa, const void *pb)
{
    const csp_update *a = pa, *b = pb;
    int c = strcmp(a->ref, b->ref);
    if (!c)
        c = (a->as_of > b->as_of) - (a->as_of < b->as_of);
    if (!c)
        c = (a->line > b->line) - (a->line < b->line);
    return c;
}

/* Order by line (document order). */
static int obs_line_cmp(const void *pa, const void *pb)
{
    const csp_obs *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/* Order by line (document order). */
static int update_line_cmp(const void *pa, const void *pb)
{
    const csp_update *a = pa, *b = pb;
    return (a->line > b->line) - (a->line < b->line);
}

/*
 * True when refuse_repeated_obs would change nothing: every
 * line is later than the one before (document order is line order) and
 * no key is given twice.  One pass with a hash table instead of two sorts
 * that compare strings; false when in doubt (memory ran out).
 */
static bool obs_unique_in_order(const csp_submission *sub)
{
    size_t n = sub->nobs, cap = 16;
    for (size_t i = 1; i < n; i++)
        if (sub->obs[i].line <= sub->obs[i - 1].line)
            return false;
    if (n < 2)
        return true;
    while (cap < 2 * n)
        cap *= 2;
    size_t *slots = csp_calloc(cap, sizeof *slots); /* index + 1; 0: empty */
    if (!slots)
        return false;
    bool unique = true;
    for (size_t i = 0; i < n && unique; i++) {
        const csp_obs *o = &sub->obs[i];
        /* The same key is the same template indicator and area. */
        uint64_t h = ((uint64_t)o->indicator_index << 32) ^ o->area_index;
        h *= 0x9e3779b97f4a7c15u;
        h = (h ^ (uint32_t)o->period.start) * 0x9e3779b97f4a7c15u;
        h = (h ^ (uint32_t)o->period.end) * 0x9e3779b97f4a7c15u;
        size_t j = (size_t)(h >> 32) & (cap - 1);
        for (; slots[j] && unique; j = (j + 1) & (cap - 1))
            unique = !obs_same_key(&sub->obs[slots[j] - 1], o);
        slots[j] = i + 1;
    }
    free(slots);
    return unique;
}

/*
 * A key given twice in one file cannot be reconciled (which did the
 * partner mean?): every occurrence is refused, each naming the others.
 * The figures and the updates end in line order.
 */
static void refuse_repeated_obs(reader *r)
{
    csp_submission *sub = r->sub;
    if (obs_unique_in_order(sub))
        return;
    if (sub->nobs > 1)
        qsort(sub->obs, sub->nobs, sizeof *sub->obs, obs_key_cmp);
    size_t w = 0;
    for (size_t i = 0; i < sub->nobs;) {
        size_t j = i + 1;
        while (j < sub->nobs && obs_same_key(&sub->obs[i], &sub->obs[j]))
            j++;
        if (j - i == 1) {
            sub->obs[w++] = sub->obs[i++];
            continue;
        }
        for (size_t k = i; k < j; k++) {
            csp_obs *o = &sub->obs[k];
            char pbuf[CSP_PERIOD_BUFSZ];
            csp_period_format(o->period, pbuf);
            csp_diag proto = {.code = CSP_D_REPEATED_KEY, .file = sub->path,
                              .line = o->line, .agency = sub->agency,
                              .indicator = (char *)o->indicator,
                              .area = (char *)o->area,
                              .has_period = true, .period = o->period};
            unsigned long other = sub->obs[k == i ? i + 1 : i].line;
            say(r, &proto,
                "the figure for %s in %s for %s is given %zu times in this "
                "file (also at line %lu); give it once",
                o->indicator, o->area, pbuf, j - i, other);
            obs_clear(o);
            sub->refused_items++;
        }
        i = j;
    }
    sub->nobs = w;
    if (sub->nobs > 1)
        qsort(sub->obs, sub->nobs, sizeof *sub->obs, obs_line_cmp);
}

/* The same for updates: one ref with one as-of date twice. */
static void refuse_repeated_updates(reader *r)
{
    csp_submission *sub = r->sub;
    if (sub->nupdates > 1)
        qsort(sub->updates, sub->nupdates, sizeof *sub->updates,
              update_key_cmp);
    size_t w = 0;
    for (size_t i = 0; i < sub->nupdates;) {
        size_t j = i + 1;
        while (j < sub->nupdates &&
               strcmp(sub->updates[i].ref, sub->updates[j].ref) == 0 &&
               sub->updates[i].as_of == sub->updates[j].as_of)
            j++;
        if (j - i == 1) {
            sub->updates[w++] = sub->updates[i++];
            continue;
        }
        for (size_t k = i; k < j; k++) {
            csp_update *u = &sub->updates[k];
            char dbuf[CSP_DATE_BUFSZ];
            csp_date_format(u->as_of, dbuf);
            csp_diag proto = {.code = CSP_D_REPEATED_KEY, .file = sub->path,
                              .line = u->line, .agency = sub->agency,
                              .ref = (char *)u->ref};
            unsigned long other = sub->updates[k == i ? i + 1 : i].line;
            say(r, &proto,
                "action %s has %zu updates as of %s in this file (also at "
                "line %lu); give one",
                u->ref, j - i, dbuf, other);
            update_clear(u);
            sub->refused_items++;
        }
        i = j;
    }
    sub->nupdates = w;
    if (sub->nupdates > 1)
        qsort(sub->updates, sub->nupdates, sizeof *sub->updates,
              update_line_cmp);
}

/* Read a submission from bytes already loaded. */
csp_error csp_submission_parse(const csp_input *in, const csp_template *tpl,
                               const csp_read_options *opt,
                               csp_submission **out, csp_diag_list *diags)
{
    csp_error err = CSP_OK;
    reader r = {.tpl = tpl, .opt = opt, .diags = diags};
    /* libxml2 refuses longer attribute values (we never set HUGE). */
    csp_strbuf_init(&r.attrs, MAX_ATTRS * ((size_t)XML_MAX_TEXT_LENGTH + 1));
    csp_strbuf_init(&r.text, opt->max_text);
    *out = NULL;
    csp_submission *sub = csp_calloc(1, sizeof *sub);
    if (!sub)
        return CSP_ERR_NOMEM;
    r.sub = sub;
    sub->path = csp_strdup(in->path);
    if (!sub->path) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    memcpy(sub->sha256, in->sha256, sizeof sub->sha256);
    sub->size = in->size;
    err = csp_xml_open(in, CSP_SCHEMA_SUBMISSION, opt->max_text, diags,
                       &r.x);
    if (err != CSP_OK)
        goto out;
    xmlTextReaderPtr xr = csp_xml_reader(r.x);
    for (int i = 0; i < N_NAMES; i++)
        r.names[i] = xmlTextReaderConstString(xr, (const xmlChar *)name_text[i]);
    int rc;
    while (!r.nomem && (rc = csp_xml_next(r.x)) == 1) {
        if (csp_xml_type(r.x) != XML_READER_TYPE_ELEMENT)
            continue;
        const xmlChar *name = xmlTextReaderConstLocalName(xr);
        int depth = xmlTextReaderDepth(xr);
        if (!name)
            continue;
        if (depth == 0 && is_name(&r, name, N_SUBMISSION)) {
            read_header(&r);
        } else if (depth == 1 && is_name(&r, name, N_SUBMITTER)) {
            /* The schema allows one, but the reader goes on past a
             * second (the file is refused): keep the last, leak none. */
            free(sub->submitter_name);
            free(sub->submitter_email);
            free(sub->submitter_phone);
            sub->submitter_name = attr_shown(&r, "name");
            sub->submitter_email = attr_shown(&r, "email");
            sub->submitter_phone = attr_shown(&r, "phone");
        } else if (depth == 1 && is_name(&r, name, N_COMMENT)) {
            char *c = element_text(&r, "comment");
            if (c) {
                normalise_paragraphs(c);
                free(sub->comment);
                if (!(sub->comment = csp_strdup(c)))
                    r.nomem = true;
            }
        } else if (depth == 2 && is_name(&r, name, N_OBS)) {
            read_obs(&r);
        } else if (depth == 2 && is_name(&r, name, N_UPDATE)) {
            read_update(&r);
        }
    }
    r.nomem |= csp_xml_nomem(r.x);
    bool valid = csp_xml_close(r.x);
    r.x = NULL;
    if (r.nomem) {
        err = CSP_ERR_NOMEM;
        goto out;
    }
    if (!valid || !r.header_ok || r.too_many || r.text_too_long ||
        r.too_many_problems) {
        sub->refused = true;
        drop_items(sub);
    } else {
        refuse_repeated_obs(&r);
        refuse_repeated_updates(&r);
        if (r.nomem)
            err = CSP_ERR_NOMEM;
        else if (r.too_many_problems) {
            sub->refused = true;
            drop_items(sub);
        }
    }
    /* The arrays grew by doubling; the dataset keeps them to the end. */
    if (sub->nobs && sub->nobs < r.cap_obs) {
        csp_obs *p = csp_realloc(sub->obs, sub->nobs * sizeof *p);
        if (p)
            sub->obs = p;
    }
    if (sub->nupdates && sub->nupdates < r.cap_updates) {
        csp_update *p = csp_realloc(sub->updates, sub->nupdates * sizeof *p);
        if (p)
            sub->updates = p;
    }
out:
    if (r.x)
        (void)csp_xml_close(r.x);
    csp_strbuf_free(&r.attrs);
    csp_strbuf_free(&r.text);
    if (err != CSP_OK) {
        csp_submission_free(sub);
        return err;
    }
    *out = sub;
    return CSP_OK;
}

/* Load and read a submission file. */
csp_error csp_submission_read(const char *path, const csp_template *tpl,
                              const csp_read_options *opt,
                              csp_submission **out, csp_diag_list *diags)
{
    csp_input in;
    *out = NULL;
    csp_error err = csp_input_load(path, opt, &in, diags);
    if (err == CSP_ERR_INVALID) {
        /* Refused before parsing: still a submission, listed as refused. */
        csp_submission *sub = csp_calloc(1, sizeof *sub);
        if (!sub || !(sub->path = csp_text_shown(path, 0))) {
            free(sub);
            return CSP_ERR_NOMEM;
        }
        sub->refused = true;
        *out = sub;
        return CSP_OK;
    }
    if (err != CSP_OK)
        return err;
    err = csp_submission_parse(&in, tpl, opt, out, diags);
    /* A pack's own file in an inbox: the caller may skip it (only refused
     * files are looked at again, so a submission costs nothing more). */
    if (err == CSP_OK && (*out)->refused)
        (*out)->kind = csp_input_sniff(&in);
    csp_input_free(&in);
    return err;
}

/* --- many files at once ------------------------------------------------- */

/* csp_submission_read_all's arguments, shared (read-only) by its threads. */
typedef struct read_all {
    const char *const *paths;
    const csp_template *tpl;
    const csp_read_options *opt;
    const csp_submission_sink *sink;
} read_all;

/* One file read, waiting to be handed over. */
typedef struct read_one {
    csp_submission *sub;
    csp_diag_list diags;
} read_one;

/* Free what read_file made (NULL is fine). */
static void read_one_free(read_one *one)
{
    if (!one)
        return;
    csp_submission_free(one->sub);
    csp_diag_list_free(&one->diags);
    free(one);
}

/* On a worker: read file i. */
static csp_error read_file(void *ctx, size_t i, void **result)
{
    const read_all *ra = ctx;
    read_one *one = csp_malloc(sizeof *one);
    if (!one)
        return CSP_ERR_NOMEM;
    csp_diag_list_init(&one->diags);
    csp_error err = csp_submission_read(ra->paths[i], ra->tpl, ra->opt,
                                        &one->sub, &one->diags);
    if (!one->sub) {
        read_one_free(one);
        return err == CSP_OK ? CSP_ERR_INTERNAL : err;
    }
    *result = one;
    return CSP_OK;
}

/* On the calling thread, in order: hand file i over. */
static csp_error hand_over(void *ctx, size_t i, void *result)
{
    const read_all *ra = ctx;
    read_one *one = result;
    csp_submission *sub = one->sub;
    one->sub = NULL; /* the sink takes it in every case */
    csp_error err = ra->sink->take(ra->sink->ctx, i, sub, &one->diags);
    read_one_free(one);
    return err;
}

/* A file read ahead of a failure. */
static void drop_file(void *ctx, size_t i, void *result)
{
    (void)ctx;
    (void)i;
    read_one_free(result);
}

/* File i is next. */
static void announce(void *ctx, size_t i)
{
    const read_all *ra = ctx;
    if (ra->sink->next)
        ra->sink->next(ra->sink->ctx, i, ra->paths[i]);
}

/* Read many files on several threads, hand them over in order. */
csp_error csp_submission_read_all(const char *const *paths, size_t n,
                                  const csp_template *tpl,
                                  const csp_read_options *opt,
                                  const csp_submission_sink *sink)
{
    read_all ra = {.paths = paths, .tpl = tpl, .opt = opt, .sink = sink};
    csp_workers_job job = {.work = read_file, .take = hand_over,
                           .discard = drop_file, .next = announce,
                           .ctx = &ra};
    csp_error err = csp_xml_prepare();
    if (err != CSP_OK)
        return err;
    return csp_workers_run(n, opt->threads, &job);
}
