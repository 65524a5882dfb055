/*
 * The insides of csppack's PDF reports (report.h), shared by their files:
 * report.c (the entry: options, document information, which document),
 * report_util.c (names, dates, values, how statuses look, the template's
 * narrative), report_sections.c (the cover, the key findings and the
 * action plan, in both documents), report_board.c (the board pack and its
 * measures dashboard), report_strategy.c (the strategy document's own
 * sections) and report_quality.c (the data-quality section of both).
 *
 * Failures: memory failures of the report's own are kept in r->err;
 * the layout's are sticky in r->L (layout.h); both are checked once, at
 * the end (csp_report_render).
 */
#ifndef CSPPACK_WRITE_PDF_REPORT_PARTS_H
#define CSPPACK_WRITE_PDF_REPORT_PARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "csppack/base/error.h"
#include "csppack/model/date.h"
#include "csppack/reconcile/judge.h"
#include "csppack/reconcile/keyfindings.h"
#include "csppack/reconcile/reconcile.h"
#include "csppack/write/pdf/layout.h"
#include "csppack/write/pdf/report.h"
#include "csppack/write/pdf/table.h"

/* Everything one run of the writer needs. */
typedef struct csp_rep {
    const csp_dataset *ds;
    const csp_template *tpl;
    csp_report_kind kind;
    csp_layout *L;
    csp_kf kf;
    bool has_period;
    csp_period period; /* the period the document is about */
    bool cutoff;       /* measures: figures ending by its end */
    csp_rgb accent;
    csp_rgb *theme_rgb; /* one per theme */
    csp_error err;      /* our own failures (memory) */
    /* The board pack: where its summary goes (page 0, from this y) and
     * the pages its sections start on (indices), for "see page N". */
    double summary_y;
    size_t page_dashboard, page_actions, page_quality;
    /* Where the summary's blocks go in the recorded document (after the
     * title block and its heading), and the accessible HTML version's
     * file name the PDF names (NULL: none). */
    size_t summary_at;
    const char *html_name;
} csp_rep;

/* A table column; SPAN_COL's cells run down into empty cells below
 * (SPAN_FIT_COL's too, as wide as its widest line). */
#define COL(title, weight, fit, align)                                         \
    {                                                                          \
        (title), (weight), (fit), (align), false                               \
    }
#define SPAN_COL(title, weight)                                                \
    {                                                                          \
        (title), (weight), false, CSP_ALIGN_LEFT, true                         \
    }
#define SPAN_FIT_COL(title)                                                    \
    {                                                                          \
        (title), 0, true, CSP_ALIGN_LEFT, true                                 \
    }

/* Grey text (no figure, not applicable): dark enough to read in print. */
static const csp_rgb grey_text = {0.33f, 0.33f, 0.33f};
static const csp_rgb white = {1, 1, 1};

/* How a status looks: its word, its mark and the mark's colour. */
typedef struct csp_rep_look {
    const char *label;
    csp_mark mark;
    csp_rgb colour;
} csp_rep_look;

/* How each action status looks, by csp_action_status. */
extern const csp_rep_look csp_rep_act_look[];

/* How an action without an update looks. */
extern const csp_rep_look csp_rep_no_update_look;

/* The action statuses, in the order they are summarised in. */
#define CSP_REP_NSTATUS 5
extern const csp_action_status csp_rep_act_order[CSP_REP_NSTATUS];

/* A malloc'd formatted string; NULL (and r->err) when memory ran out. */
char *csp_rep_fmt(csp_rep *r, const char *f, ...) CSP_PRINTF(2, 3);

/* The accent of theme i. */
const csp_rgb *csp_rep_theme_colour(const csp_rep *r, size_t i);

/* The title of theme i with its number, "1. Protecting ..."; malloc'd. */
char *csp_rep_theme_title(csp_rep *r, size_t i);

/* An agency's name, or its id. */
const char *csp_rep_agency_name(const csp_template *tpl, const char *id);

/* An area's name ("All areas" for the partnership as a whole). */
const char *csp_rep_area_name(const csp_template *tpl, const char *id);

/* An indicator's name, or its id. */
const char *csp_rep_indicator_name(const csp_template *tpl, const char *id);

/* The files of a dataset counted. */
typedef struct csp_rep_files {
    size_t used, refused, dups; /* files */
    size_t obs, upd, items;     /* figures, updates accepted; refused */
} csp_rep_files;
void csp_rep_count_files(const csp_dataset *ds, csp_rep_files *n);

/* Whether a submissions table lists a file: every file with a problem
 * and every file accepted whole, each up to CSP_REPORT_FILES_LISTED_MAX
 * (counted in listed or unlisted, by [problem]). */
bool csp_rep_file_listed(const csp_dataset_file *f, size_t listed[2],
                         size_t unlisted[2]);

/* A stripe per theme, in its colour, across the page from y up h. */
void csp_rep_theme_stripes(csp_rep *r, double y, double h);

/* @p phrase (csp_kf_phrase) without its leading "the ", for a title or
 * a line of its own: "year ending 30 September 2016", "2020/21". */
const char *csp_rep_no_article(const char *phrase);

/* A period in words for the board: "the year ending September 2016",
 * "July to September 2016", "July 2015 to June 2016", or its dates. */
void csp_rep_period_words(csp_period p, char buf[CSP_LABEL_BUFSZ]);

/* @p text cut to about @p max bytes, with "…": at the end of a sentence
 * in its second half when @p sentence and there is one, else at a word;
 * whole when it is short enough; malloc'd. */
char *csp_rep_short_text(csp_rep *r, const char *text, size_t max,
                         bool sentence);

/* The most of an update's progress the board pack prints (about a
 * third of a page in the Latest progress column); the whole text is in
 * the workbook and the strategy report. */
#define CSP_REP_BOARD_PROGRESS_MAX 700

/* A name as it reads inside a sentence: its first letter lower-case when
 * the second is too ("Number of ..." but not "MEAM ..."); malloc'd. */
char *csp_rep_lower_first(csp_rep *r, const char *s);

/* Join a date's words with no-break spaces, so that a line never ends
 * inside "18 November 2016" (buf has room: each space grows by one). */
void csp_rep_nbsp_dates(char buf[48]);

/* The local date (and time in *hh, *mm, which may be NULL) of an
 * instant, as the partner wrote it. */
csp_date csp_rep_instant_date(csp_instant t, int *hh, int *mm);

/* A value of @p ind as printed: exactly as it stands, "%" for percents,
 * money with the template's currency and thousands separators
 * ("£12,345.50"). */
void csp_rep_decimal_text(const csp_template *tpl, const csp_indicator *ind,
                          csp_decimal d, char *buf, size_t n);

/* A figure's value as printed (csp_rep_decimal_text). */
void csp_rep_value_text(const csp_template *tpl, const csp_figure *f, char *buf,
                        size_t n);

/* The "†" of a figure csppack worked out (noted in lg for the legend
 * under its table), or "". */
const char *csp_rep_origin_note(csp_rep *r, csp_kf_legend *lg,
                                const csp_figure *f);

/* Draw the legend of the table lg noted, if it marked any figure. */
void csp_rep_origin_legend_draw(csp_rep *r, csp_kf_legend *lg);

/* How a figure's status looks. */
csp_rep_look csp_rep_figure_look(const csp_figure *f);

/* How a direction of travel looks on the dashboard: the shape by which
 * way the figure moved (sign <0, 0, >0), the word and colour by whether
 * that is better. */
csp_rep_look csp_rep_direction_look(csp_direction d, int sign);

/* How a rating looks: Green, Amber, Red or No target, each a shape. */
csp_rep_look csp_rep_rating_look(csp_rating rating);

/* "Prepared from 7 partner submissions received between ..."; malloc'd. */
char *csp_rep_prepared_from(csp_rep *r);

/* The board pack's first page: its title block and "Summary" heading. */
void csp_rep_board_title(csp_rep *r);

/* Blocks of a template section: paragraphs, sub-headings, nested lists. */
void csp_rep_blocks(csp_rep *r, const csp_block *b, size_t n, unsigned level,
                    const csp_rgb *colour);

/* A heading kept with what starts its section. */
void csp_rep_heading_kept(csp_rep *r, unsigned level, const char *title,
                          const csp_block *b, size_t n, const csp_rgb *colour,
                          csp_toc toc);

/* A titled template section and its sub-sections. */
void csp_rep_section(csp_rep *r, const csp_section *s, unsigned level,
                     csp_toc toc, const csp_rgb *colour);

/* The template section with this id, on a new page (or after a gap);
 * false when the template has none. */
bool csp_rep_named_section(csp_rep *r, const char *id, bool new_page);

/** Start a chapter (a level-0 section or part) on a new page, unless
 *  the current page is short (CSP_LAYOUT_MIN_FILL) and has room for
 *  @p keep points: then after a gap on it (doc/report.md,
 *  "Pagination"). */
void csp_rep_chapter_page(csp_rep *r, double keep);

/** The height a template section needs at its start: its heading and
 *  what must follow it, for csp_rep_chapter_page. */
double csp_rep_section_keep(csp_rep *r, const csp_section *s);

/** Whether nothing has flowed onto the current page yet. */
bool csp_rep_page_empty(const csp_rep *r);

/** A new page for a part of the report, unless the current one is still
 *  empty (the page after the cover). */
void csp_rep_part_page(csp_rep *r);

/* Wrap and draw text with its top at (x, y) in a width; the height. */
double csp_rep_text_box(csp_rep *r, const csp_text_style *st, double x,
                        double y, double w, const char *text);

/* Record content a report places by hand (outside the flow) into the
 * layout's document, cleaned as drawn; nothing when none is kept. */
void csp_rep_rec_para(csp_rep *r, csp_doc_role role, const char *text);
void csp_rep_rec_heading(csp_rep *r, unsigned level, const char *text,
                         bool toc);
void csp_rep_rec_item(csp_rep *r, unsigned level, const char *text);

/* The line that says where the accessible HTML version is, in small
 * type from (x, y) down in width w; the height used (0: none).  Not in
 * the recorded document: the HTML is that version. */
double csp_rep_html_line(csp_rep *r, double x, double y, double w);

/* The strategy document's cover page, then its contents page. */
void csp_rep_cover(csp_rep *r);

/* The key findings: per-area tables and charts; with narrative, the
 * template's text about them; on a new page if asked. */
void csp_rep_key_findings(csp_rep *r, bool narrative, bool new_page);

/* An action's coordinating delivery groups as the plan prints them, or
 * their names joined; malloc'd (NULL and r->err when memory ran out). */
char *csp_rep_groups_label(csp_rep *r, const csp_action *a);

/* The action plan section (the board's shorter form with board). */
void csp_rep_action_plan(csp_rep *r, bool board);

/* The measures of theme ti: latest figure per area, change, status;
 * @p tail, the height of what ends the chapter after it (0: none;
 * csp_table_keep_tail). */
void csp_rep_measures_table(csp_rep *r, size_t ti, const char *title,
                            double tail);

/* The data quality section (the strategy document's, for analysts). */
void csp_rep_data_quality(csp_rep *r);

/* The board pack's data quality section, in plain words. */
void csp_rep_board_quality(csp_rep *r);

/* One problem for the board: what is wrong, in a sentence with no
 * codes, file lines or ids, who must act ("The Police") and what they
 * must do ("check it and send it again"). */
typedef void (*csp_rep_problem_fn)(csp_rep *r, csp_severity sev,
                                   const char *what, const char *who,
                                   const char *todo, void *ctx);

/* Each error and warning of the dataset as a problem to fn, errors
 * first, a sentence that repeats the one before once; their number. */
size_t csp_rep_problems(csp_rep *r, csp_rep_problem_fn fn, void *ctx);

/* The board pack's summary, drawn on its first page once every other
 * page exists (it names their numbers). */
void csp_rep_summary(csp_rep *r);

/* The board pack, the strategy document: every section in order. */
void csp_rep_board_doc(csp_rep *r);
void csp_rep_strategy_doc(csp_rep *r);

/* A diagram of the template drawn in the flow and recorded
 * (report_diagram.c); the height it takes. */
void csp_rep_diagram(csp_rep *r, const csp_diagram *d);
double csp_rep_diagram_height(csp_rep *r, const csp_diagram *d);

#endif
