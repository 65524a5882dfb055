/*
 * Calendar dates, reporting periods and submission instants.
 */
#ifndef CSPPACK_DATE_H
#define CSPPACK_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A proleptic Gregorian date as days since 1970-01-01. */
typedef int32_t csp_date;

/** Room for "YYYY-MM-DD" and its NUL. */
#define CSP_DATE_BUFSZ 11
/** Room for "YYYY-MM-DD/YYYY-MM-DD" and its NUL. */
#define CSP_PERIOD_BUFSZ 22
/** Room for an instant as written back (ISO 8601 with offset). */
#define CSP_INSTANT_BUFSZ 40

/** A reporting period: both dates inclusive, start <= end. */
typedef struct csp_period {
    csp_date start;
    csp_date end;
} csp_period;

/** When a submission was issued: an absolute instant and the offset it was
 *  written with (kept so that it can be printed as the partner wrote it). */
typedef struct csp_instant {
    int64_t seconds;      /**< seconds since 1970-01-01T00:00:00Z */
    int32_t nanos;        /**< fraction of a second, 0..999999999 */
    int16_t offset_min;   /**< the written offset from UTC, in minutes */
} csp_instant;

/** Parse exactly "YYYY-MM-DD" (len bytes) as a valid date. */
bool csp_date_parse(const char *text, size_t len, csp_date *out);

/** Build a date from its parts; false when it is not a real date. */
bool csp_date_from_ymd(int year, int month, int day, csp_date *out);

/** Split a date into its parts. */
void csp_date_to_ymd(csp_date d, int *year, int *month, int *day);

/** Print as "YYYY-MM-DD". */
void csp_date_format(csp_date d, char buf[CSP_DATE_BUFSZ]);

/** Room for a date in words ("30 September 2016") and its NUL. */
#define CSP_DATE_WORDS_BUFSZ 48
/** Room for a period in words: two dates in words, " to " and a NUL. */
#define CSP_PERIOD_WORDS_BUFSZ (2 * CSP_DATE_WORDS_BUFSZ + 4)

/** A month's English name, 1 "January" .. 12 "December", or as the
 *  reports abbreviate it ("Jan", "June", "Sept"); "?" out of range. */
const char *csp_month_name(int month, bool abbrev);

/** A date in words: "30 September 2016", or "30 Sept 2016". */
void csp_date_words(csp_date d, bool abbrev, char buf[CSP_DATE_WORDS_BUFSZ]);

/** Why csp_period_parse refused a text. */
typedef enum csp_period_status {
    CSP_PERIOD_OK = 0,
    CSP_PERIOD_SYNTAX,     /**< not two dates separated by '/' */
    CSP_PERIOD_BAD_DATE,   /**< one of the dates does not exist */
    CSP_PERIOD_REVERSED    /**< start after end */
} csp_period_status;

/** Parse "YYYY-MM-DD/YYYY-MM-DD". */
csp_period_status csp_period_parse(const char *text, size_t len,
                                   csp_period *out);

/** Print as "YYYY-MM-DD/YYYY-MM-DD". */
void csp_period_format(csp_period p, char buf[CSP_PERIOD_BUFSZ]);

/**
 * A period in words: "July 2016", "July to September 2016", "October
 * 2015 to September 2016" for whole months; any other period by its
 * days, "4 July 2016 to 10 July 2016", and a single day once, "4 July
 * 2016".
 */
void csp_period_words(csp_period p, char buf[CSP_PERIOD_WORDS_BUFSZ]);

/** -1, 0, 1 ordering by start, then end. */
int csp_period_cmp(csp_period a, csp_period b);

/**
 * Parse an xs:dateTime that carries a time zone ("Z" or "+hh:mm"):
 * "2016-10-14T09:30:00+01:00", optional fraction of a second.
 * False when it is not one, or has no time zone, or when the instant in
 * UTC or in its own zone falls outside the years 0001 to 9999 that dates
 * hold ("9999-12-31T24:00:00Z" is 10000-01-01).
 */
bool csp_instant_parse(const char *text, size_t len, csp_instant *out);

/** True when @p text is a dateTime with a time zone that
 *  csp_instant_parse refuses only for its year range. */
bool csp_instant_out_of_range(const char *text, size_t len);

/** The day and the second of that day (0..86399) of @p t at the offset
 *  it was written with. */
void csp_instant_local(csp_instant t, csp_date *day, int *second);

/** Print as the partner wrote it, e.g. "2016-10-14T09:30:00+01:00". */
void csp_instant_format(csp_instant t, char buf[CSP_INSTANT_BUFSZ]);

/** -1, 0, 1 by the absolute instant. */
int csp_instant_cmp(csp_instant a, csp_instant b);

#ifdef __cplusplus
}
#endif
#endif
