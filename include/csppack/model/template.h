/*
 * The strategy template as csppack holds it: everything a partnership's
 * published strategy holds that csppack needs (ids partners write into
 * submissions, the rules that tie indicators together, and the narrative
 * the report reprints), and the lookups by id.
 *
 * The format it is read from is documented in doc/template-format.md;
 * read/template.h reads it.
 *
 * Ownership: a csp_template owns every string and array reachable from
 * it; csp_template_free releases them all.  Lookups return borrowed
 * pointers valid until the template is freed.
 */
#ifndef CSPPACK_MODEL_TEMPLATE_H
#define CSPPACK_MODEL_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csppack/model/date.h"
#include "csppack/model/decimal.h"
#include "csppack/model/labels.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The id submissions use for the partnership as a whole. */
#define CSP_AREA_ALL "all"

/** The newest template format version csppack reads (doc/template-format.md,
 *  "Versions"): 1 and 2.  A version 1 template is read exactly as before;
 *  every addition of version 2 is optional and defaults to version 1's
 *  meaning. */
#define CSP_TEMPLATE_VERSION_MAX 2

/** Most years a key-findings table shows (template <key-findings years>;
 *  more is refused, E305). */
#define CSP_TEMPLATE_MAX_KF_YEARS 12

/** A block of narrative text. */
typedef enum csp_block_kind {
    CSP_BLOCK_PARAGRAPH, /**< text is the paragraph */
    CSP_BLOCK_HEADING,   /**< text is a sub-heading */
    CSP_BLOCK_LIST       /**< children are the items (CSP_BLOCK_ITEM) */
    ,
    CSP_BLOCK_ITEM /**< text, and optionally a nested list in children */
    ,
    CSP_BLOCK_DIAGRAM /**< diagram: a figure drawn where the text puts it */
} csp_block_kind;

/** What a diagram draws (template <diagram kind=>). */
typedef enum csp_diagram_kind {
    CSP_DIAGRAM_LINKS = 0, /**< two columns of boxes, a connector a link */
    CSP_DIAGRAM_TREE,      /**< rows of boxes, a connector from each
                                parent down to its child */
    CSP_DIAGRAM_CYCLE      /**< boxes round a circle, an arrow from each
                                to the next and from the last to the first */
} csp_diagram_kind;

/** A box of a diagram (<node>). */
typedef struct csp_diagram_node {
    char *id;       /**< unique within its diagram */
    char *label;    /**< what the box says */
    unsigned column; /**< links: 0 left, 1 right */
    unsigned row;    /**< tree: 0 the top row (the reader works it out) */
    char *colour;    /**< "#RRGGBB" or NULL: the accent */
} csp_diagram_node;

/** A connector of a diagram, by node index: a <link>, or a tree node's
 *  parent= (from the parent to the child). */
typedef struct csp_diagram_link {
    size_t from, to;
} csp_diagram_link;

/** A diagram (template format 2: <diagram> among a section's blocks). */
typedef struct csp_diagram {
    char *id;
    csp_diagram_kind kind;
    char *title;  /**< its caption */
    char *alt;    /**< a sentence saying what it shows */
    bool of_priorities; /**< of="priorities": the boxes are the template's
                             priorities and themes, the links the themes'
                             priorities= (no nodes of its own) */
    csp_diagram_node *nodes;
    size_t nnodes;
    csp_diagram_link *links;
    size_t nlinks;
} csp_diagram;
/** A run of a text, by byte offsets: [start, end). */
typedef struct csp_span {
    size_t start, end;
} csp_span;
/** A footnote of a paragraph (template <fn>). */
typedef struct csp_note {
    size_t at;       /**< where its mark goes in the paragraph's text: a
                          byte offset, right after the text before it */
    char *text;      /**< the note, whitespace collapsed */
    csp_span *cites; /**< titles in the note's text (<cite>), in order */
    size_t ncites;
} csp_note;

/** Narrative: paragraphs, headings and (nested) bullet lists. */
typedef struct csp_block {
    csp_block_kind kind;
    char *text; /**< UTF-8, whitespace collapsed; NULL for lists */
    struct csp_block *children;
    size_t nchildren;
    csp_diagram *diagram; /**< CSP_BLOCK_DIAGRAM only */
    unsigned number; /**< ITEM of a numbered list (<ol>): 1, 2, 3 ...;
                          0: a bullet */
    csp_span *cites; /**< PARAGRAPH: titles in text (<cite>), in order */
    size_t ncites;
    csp_note *notes; /**< PARAGRAPH: its footnotes (<fn>), in order; the
                          text holds none of their words */
    size_t nnotes;
} csp_block;

/** A titled piece of narrative (foreword, introduction, a policy driver...). */
typedef struct csp_section {
    char *id; /**< may be NULL for sub-sections */
    char *title;
    csp_block *blocks;
    size_t nblocks;
    struct csp_section *subsections;
    size_t nsubsections;
    char *short_title; /**< short-title=, the running header's; NULL:
                            the title */
} csp_section;

/** A person who signs the foreword. */
typedef struct csp_signatory {
    char *name;
    char *role;
} csp_signatory;

/** A population estimate for one year. */
typedef struct csp_population {
    int year;
    int64_t value;
} csp_population;

/** An area (a borough, a district, a ward in a district) of the
 *  partnership.  Areas nest (template format 2): tpl->areas is flat, in
 *  document order, so a parent comes before its children. */
typedef struct csp_area {
    char *id;
    char *name;
    csp_population *population; /**< sorted by year, ascending */
    size_t npopulation;
    csp_population *households; /**< <households>, sorted by year; the
                                     base of rates per household */
    size_t nhouseholds;
    char *parent;   /**< the id of the area it lies in; NULL: top level */
    unsigned depth; /**< 0 for a top-level area, 1 for its children... */
} csp_area;

/** How to reach an agency (key contacts). */
typedef struct csp_contact {
    char **lines; /**< address lines as printed */
    size_t nlines;
    char *phone; /**< may be NULL */
    char *web;   /**< may be NULL */
    char *email; /**< may be NULL */
} csp_contact;

/** A partner agency. */
typedef struct csp_agency {
    char *id;
    char *name;
    char *short_name; /**< may be NULL */
    bool statutory;   /**< a specified authority under the 1998 Act */
    csp_contact contact;
    char *contact_name; /**< heading of its key-contact block; may be NULL */
    /** The domains its staff send mail from (email-domains=), lower-case;
     *  none when the template lists none, and then senders are not
     *  checked (doc/senders.md). */
    char **email_domains;
    size_t nemail_domains;
} csp_agency;

/** A delivery group (sub-group of the partnership). */
typedef struct csp_group {
    char *id;
    char *name;
    char *short_name; /**< as the action plan abbreviates it; may be NULL */
    char **agencies;  /**< agencies that report progress for it */
    size_t nagencies;
} csp_group;

/** A strategic-assessment priority. */
typedef struct csp_priority {
    char *id;
    char *name;
    int since;  /**< first strategy year it applies to */
    char *note; /**< e.g. the 2017 refresh text; may be NULL */
} csp_priority;

/** An indicator's unit. */
typedef enum csp_unit {
    CSP_UNIT_COUNT,   /**< whole, >= 0, additive by default */
    CSP_UNIT_RATE,    /**< >= 0, per csp_indicator.per of its base */
    CSP_UNIT_PERCENT, /**< 0..100, not additive */
    CSP_UNIT_MONEY,   /**< an amount of money, >= 0, additive by default;
                           printed with the template's currency */
    CSP_UNIT_AVERAGE  /**< a mean or other figure, >= 0, not additive */
} csp_unit;

/** What a rate is per (template format 2: <indicator per= of=>). */
typedef enum csp_rate_base {
    CSP_BASE_POPULATION = 0, /**< the areas' <population> (default) */
    CSP_BASE_HOUSEHOLDS      /**< the areas' <households> */
} csp_rate_base;

/** Over what an indicator's figures add up (csp_indicator.additive). */
enum {
    CSP_ADD_AREAS = 1u,   /**< areas add up to their parent and to "all" */
    CSP_ADD_QUARTERS = 2u /**< quarters add up to a year */
};

/** The derived-figure rule of an indicator. */
typedef enum csp_rule_kind {
    CSP_RULE_NONE,
    CSP_RULE_SUM,  /**< inputs[0] + inputs[1] + ... */
    CSP_RULE_RATE, /**< inputs[0] / base * per (1000 of the population
                        unless the indicator says otherwise) */
    CSP_RULE_SHARE, /**< inputs[0] / inputs[1] * 100 */
    CSP_RULE_AREAS  /**< never an indicator's rule: a derived total, the
                         sum of the figures of the areas inside an area
                         (csp_figure_rule.kind; totals="derived") */
} csp_rule_kind;

/** Which way a measure should go (doc/template-format.md, "Judgement"). */
typedef enum csp_polarity {
    CSP_POLARITY_NEITHER = 0, /**< neither way is better (default) */
    CSP_POLARITY_LOWER,       /**< lower is better ("reduce") */
    CSP_POLARITY_HIGHER       /**< higher is better ("increase") */
} csp_polarity;

/** What a measure's figure is compared with for its direction of travel. */
typedef enum csp_comparator {
    CSP_COMPARE_YEAR_AGO = 0, /**< the same period a year earlier (default) */
    CSP_COMPARE_PREVIOUS,     /**< the period of the same length just before */
    CSP_COMPARE_BASELINE      /**< the indicator's baseline period */
} csp_comparator;

/** How often the owner of an indicator owes a figure (the chase list). */
typedef enum csp_frequency {
    CSP_FREQ_QUARTERLY = 0,   /**< one for the pack's quarter (default) */
    CSP_FREQ_YEAR_ENDING,     /**< one for the 12 months ending with the
                                   pack's quarter */
    CSP_FREQ_NONE             /**< not chased */
} csp_frequency;

/** A target for one period of an indicator: a value, or a change in per
 *  cent on the figure it is compared with (its baseline). */
typedef struct csp_target {
    csp_period period;
    char *area;               /**< NULL: every area and "all" */
    bool is_change;           /**< value is a change in per cent */
    csp_decimal value;
} csp_target;

/** RAG and direction thresholds, in per cent (doc/template-format.md). */
typedef struct csp_thresholds {
    csp_decimal amber_within;    /**< worse than target by at most this
                                      share of the target: amber; beyond:
                                      red.  Default 5 */
    csp_decimal no_change_within;/**< a change of at most this share of
                                      the comparator is "no real change".
                                      Default 0 */
} csp_thresholds;

/** Who owns (is the source of record for) an indicator in an area. */
typedef struct csp_owner {
    char *area; /**< NULL: every area and "all" */
    char *agency;
} csp_owner;

/** An indicator partners report. */
typedef struct csp_indicator {
    char *id;
    char *name;
    csp_unit unit;
    unsigned decimals; /**< decimals of a computed figure */
    csp_owner *owners; /**< none: no owner (multi-agency) */
    size_t nowners;
    csp_rule_kind rule;
    char **inputs; /**< indicator ids the rule reads */
    size_t ninputs;
    char *theme; /**< theme id whose measure it is; may be NULL */
    char *note;  /**< may be NULL */
    /* Judgement (doc/template-format.md, "Judgement"): */
    csp_polarity polarity;
    csp_comparator comparator;
    bool has_baseline;         /**< then baseline is the period compared
                                    with (CSP_COMPARE_BASELINE) and the
                                    base of targets given as a change */
    csp_period baseline;
    csp_target *targets;       /**< by period, then area (NULL first) */
    size_t ntargets;
    csp_thresholds thresholds; /**< the template's unless it says its own */
    csp_frequency frequency;
    /* Units and sums (template format 2; doc/template-format.md): */
    int64_t per;            /**< a rate's multiplier: 1000 by default */
    csp_rate_base base;     /**< what a rate is per */
    unsigned additive;      /**< CSP_ADD_*: by default both for counts and
                                 money, none for the other units */
    bool derive_totals;     /**< work out a parent area's and the
                                 partnership's figure as the sum of its
                                 areas' when nobody sends it (needs
                                 CSP_ADD_AREAS); default false */
    /* Filled in by csp_template_read for speed: */
    size_t *input_index; /**< indices into the template's indicators */
} csp_indicator;

/** An action-plan item. */
typedef struct csp_action {
    char *ref; /**< "1.1", "SP1.2", "A3": matches tpl->action_refs */
    char *text;
    char **groups; /**< coordinating delivery group ids */
    size_t ngroups;
    char *groups_label; /**< the column as printed */
    char **priorities;  /**< strategic-assessment priority ids */
    size_t npriorities;
    char *priorities_label; /**< the column as printed */
    size_t theme;           /**< index into the template's themes */
} csp_action;

/** One of the overarching themes. */
typedef struct csp_theme {
    char *id;
    unsigned number; /**< 1, 2, 3 */
    char *title;
    char *colour;      /**< accent, "#RRGGBB" */
    char **priorities; /**< SA priorities it assimilates */
    size_t npriorities;
    csp_section why;        /**< "Why is this objective a priority?" */
    csp_section challenges; /**< nblocks == 0 when the strategy has none */
    char **measures; /**< "How will we measure our impact?": indicator ids, in
                        order */
    size_t nmeasures;
    char **groups; /**< key delivery groups, in order */
    size_t ngroups;
    char **measure_labels; /**< nmeasures: each measure as the strategy
                                words it; NULL entries: the indicator's
                                name (csp_template_measure_label) */
    char **group_labels;   /**< ngroups: each group as listed here; NULL
                                entries: its name; consecutive equal
                                labels are one item */
    csp_action *actions;
    size_t nactions;
    char *short_title; /**< short-title=, the running header's; NULL:
                            the title */
} csp_theme;

/** One row of a key-findings table. */
typedef struct csp_kf_row {
    char *label;
    char *indicator; /**< a count */
    char *rate;      /**< its per-1,000 indicator; may be NULL */
} csp_kf_row;

/** The strategic-assessment key-findings table (one block per area). */
typedef struct csp_key_findings {
    char *title;
    csp_block *intro;
    size_t nintro;
    csp_kf_row *rows;
    size_t nrows;
    unsigned years; /**< how many years to show, 1..CSP_TEMPLATE_MAX_KF_YEARS */
    unsigned year_end_month; /**< the month its years end: 3 for
                                  financial years, 12 for calendar years,
                                  9 for years ending September...; 0: the
                                  month that ends most of the twelve-
                                  month figures */
    csp_block *outro;
    size_t noutro;
    char *short_title; /**< short-title=, the running header's; NULL:
                            the title */
} csp_key_findings;

/** A part of the strategy report that the template places among its
 *  sections (template format 2: <place part="..."/>). */
typedef enum csp_part {
    CSP_PART_SECTION = 0,     /**< tpl->sections[place.section] */
    CSP_PART_FOREWORD,
    CSP_PART_KEY_FINDINGS,
    CSP_PART_PRIORITY_MATRIX, /**< the priorities-to-themes table */
    CSP_PART_THEMES,          /**< every theme's chapter */
    CSP_PART_ACTION_PLAN,     /**< the action plan, with progress */
    CSP_PART_DATA_QUALITY,
    CSP_PART_KEY_CONTACTS
} csp_part;

/** One entry of the strategy report's order. */
typedef struct csp_place {
    csp_part part;
    size_t section; /**< for CSP_PART_SECTION */
} csp_place;

/** A whole strategy template. */
typedef struct csp_template {
    char *path; /**< where it was read from, or "(built-in)" */
    char *id;   /**< "dg-csp-2016-19" */
    char *title;
    char *subtitle;          /**< may be NULL */
    unsigned version;        /**< the format it is written in: 1 or 2 */
    int first_year;          /**< 2016; for financial years, the year
                                  the first one starts (2019 for 2019/20) */
    int last_year;           /**< 2019; likewise (2021 for 2021/22) */
    int refresh_year;        /**< 0 when not refreshed */
    bool financial_years;    /**< first-year="2019/20": the strategy's
                                  years run April to March */
    char *partnership;       /**< its full name */
    char *partnership_short; /**< "CSP"; may be NULL */
    char *language;          /**< "en-GB" */
    char *currency;          /**< money's symbol, "£" by default */
    char *labels[CSP_LABEL_COUNT]; /**< the template's wording of each
                                      label; NULL: the default
                                      (csp_template_label) */
    char *action_refs;       /**< the pattern of action refs,
                                  "{theme}.{item}" by default
                                  (csp_action_ref_parse) */

    csp_area *areas;
    size_t nareas;
    csp_agency *agencies;
    size_t nagencies;
    csp_group *groups;
    size_t ngroups;
    csp_priority *priorities;
    size_t npriorities;
    csp_indicator *indicators;
    size_t nindicators;
    csp_theme *themes;
    size_t nthemes;
    csp_key_findings key_findings;

    csp_section foreword;
    csp_signatory *signatories;
    size_t nsignatories;
    csp_section *sections; /**< introduction, partnership, policy
                                drivers, delivering the strategy,
                                partnership structure, action plan
                                introduction...: by id */
    size_t nsections;
    csp_thresholds thresholds; /**< the default for every indicator */
    char *marking;   /**< protective marking for every page ("OFFICIAL-
                          SENSITIVE"); NULL: none */
    char **contacts; /**< agency ids in key-contacts order */
    size_t ncontacts;
    csp_place *order; /**< the strategy report's parts, in order: always
                           filled by the reader (the template's <place>
                           and <section> order, with the parts it does
                           not place where format 1 put them) */
    size_t norder;
    /** Internal: the declared ids, sorted, for the lookups below
     *  (template_index.h; kept by csp_template_read from its checks).
     *  NULL until then: the lookups search the arrays in order. */
    struct csp_template_index *index;
} csp_template;

/** Free a template (NULL is fine). */
void csp_template_free(csp_template *tpl);

/** Lookups by id; NULL (or (size_t)-1 for indexes) when not declared.
 *  Binary searches: reading a submission looks up every figure's
 *  indicator and area and every update's action. */
const csp_area *csp_template_area(const csp_template *tpl, const char *id);
const csp_agency *csp_template_agency(const csp_template *tpl, const char *id);
const csp_group *csp_template_group(const csp_template *tpl, const char *id);

/** Measure @p m of theme @p th as the strategy words it: its label,
 *  else its indicator's name, else the indicator id. */
const char *csp_template_measure_label(const csp_template *tpl,
                                       const csp_theme *th, size_t m);

/** Key delivery group @p g of theme @p th as the theme lists it: its
 *  label, else the group's name, else the id. */
const char *csp_template_group_label(const csp_template *tpl,
                                     const csp_theme *th, size_t g);
const csp_indicator *csp_template_indicator(const csp_template *tpl,
                                            const char *id);
const csp_action *csp_template_action(const csp_template *tpl, const char *ref);
const csp_section *csp_template_section(const csp_template *tpl,
                                        const char *id);

/**
 * The owner of @p ind for @p area ("all" included): the agency id, or NULL
 * when the indicator has no owner there.
 */
const char *csp_indicator_owner(const csp_indicator *ind, const char *area);

/** Whether @p agency reports for one of the coordinating groups of
 *  @p act (is listed on the group): it owes the action's updates. */
bool csp_action_coordinated_by(const csp_template *tpl, const csp_action *act,
                               const char *agency);

/**
 * The population used for a rate in @p area for a period ending on
 * @p end: the estimate for the latest year not after end's year; for
 * "all" the sum over the areas.  False when there is none.
 */
bool csp_template_population(const csp_template *tpl, const char *area,
                             csp_date end, int64_t *out);

/** "count", "rate", "percent", "money", "average". */
const char *csp_unit_str(csp_unit unit);

/** Like csp_template_population, for households (rates per household). */
bool csp_template_households(const csp_template *tpl, const char *area,
                             csp_date end, int64_t *out);

/** The base of a rate of @p ind in @p area for a period ending @p end
 *  (population or households, per ind->base). */
bool csp_template_rate_base(const csp_template *tpl, const csp_indicator *ind,
                            const char *area, csp_date end, int64_t *out);

/** The strategy's own period: 1 January first_year to 31 December
 *  last_year, or 1 April first_year to 31 March last_year + 1 for
 *  financial years. */
csp_period csp_template_period(const csp_template *tpl);

/** A strategy year as the template writes it: "2019" or "2019/20". */
void csp_template_year_label(const csp_template *tpl, int year,
                             char buf[16]);

/** The template's wording of @p key, or its default. */
const char *csp_template_label(const csp_template *tpl, csp_label key);

/** A parsed action ref: the theme number ({theme}; 0 when the pattern
 *  has none), the item number ({item}) and a letter suffix ({letter};
 *  '\0' when none). */
typedef struct csp_action_ref {
    unsigned theme;
    unsigned item;
    char letter;
} csp_action_ref;

/**
 * Parse @p ref against @p pattern, literal text with the placeholders
 * {theme} and {item} (one or more digits) and {letter} (one optional
 * lower-case letter); NULL pattern: "{theme}.{item}".  False when it
 * does not match.
 */
bool csp_action_ref_parse(const char *pattern, const char *ref,
                          csp_action_ref *out);

/** Order of two refs of one pattern: theme, item, letter; refs that do
 *  not match sort after, by strcmp. */
int csp_action_ref_cmp(const char *pattern, const char *a, const char *b);

/** Whether area @p a is @p ancestor or inside it (nested areas); "all"
 *  contains every area. */
bool csp_template_area_within(const csp_template *tpl, const char *a,
                              const char *ancestor);

#ifdef __cplusplus
}
#endif
#endif
