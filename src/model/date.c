/* csppack: dates, periods and instants. */
#include "csppack/model/date.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Is y a leap year? */
static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y. */
static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Build a date; false when it is not a real date. */
bool csp_date_from_ymd(int year, int month, int day, csp_date *out)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > month_days(year, month))
        return false;
    *out = (csp_date)days_from_civil(year, (unsigned)month, (unsigned)day);
    return true;
}

/* Split a date into its parts. */
void csp_date_to_ymd(csp_date d, int *year, int *month, int *day)
{
    int64_t z = (int64_t)d + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (mm <= 2));
    *month = (int)mm;
    *day = (int)dd;
}

/* n decimal digits at s into *v; false if any is not a digit. */
static bool digits(const char *s, size_t n, int *v)
{
    int r = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        r = r * 10 + (s[i] - '0');
    }
    *v = r;
    return true;
}

/* Parse exactly YYYY-MM-DD. */
bool csp_date_parse(const char *text, size_t len, csp_date *out)
{
    int y, m, d;
    if (len != 10 || text[4] != '-' || text[7] != '-' ||
        !digits(text, 4, &y) || !digits(text + 5, 2, &m) ||
        !digits(text + 8, 2, &d))
        return false;
    return csp_date_from_ymd(y, m, d, out);
}

/* Two digits of 0..99 at p. */
static void two_digits(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* Print as YYYY-MM-DD.  The writers print a date or two per row of a
 * file that can hold millions: years 0 to 9999 without snprintf. */
void csp_date_format(csp_date d, char buf[CSP_DATE_BUFSZ])
{
    int y, m, dd;
    char tmp[48];
    csp_date_to_ymd(d, &y, &m, &dd);
    if (y >= 0 && y <= 9999) {
        two_digits(buf, y / 100);
        two_digits(buf + 2, y % 100);
        buf[4] = '-';
        two_digits(buf + 5, m);
        buf[7] = '-';
        two_digits(buf + 8, dd);
        buf[10] = '\0';
        return;
    }
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, dd);
    memcpy(buf, tmp, CSP_DATE_BUFSZ - 1);
    buf[CSP_DATE_BUFSZ - 1] = '\0';
}

/* Parse START/END. */
csp_period_status csp_period_parse(const char *text, size_t len,
                                   csp_period *out)
{
    const char *slash = memchr(text, '/', len);
    if (!slash || slash - text != 10 || len != 21)
        return CSP_PERIOD_SYNTAX;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        bool ok = (c >= '0' && c <= '9') ||
                  ((i == 4 || i == 7 || i == 15 || i == 18) && c == '-') ||
                  (i == 10 && c == '/');
        if (!ok)
            return CSP_PERIOD_SYNTAX;
    }
    csp_period p;
    if (!csp_date_parse(text, 10, &p.start) ||
        !csp_date_parse(text + 11, 10, &p.end))
        return CSP_PERIOD_BAD_DATE;
    if (p.start > p.end)
        return CSP_PERIOD_REVERSED;
    *out = p;
    return CSP_PERIOD_OK;
}

/* Print START/END. */
void csp_period_format(csp_period p, char buf[CSP_PERIOD_BUFSZ])
{
    csp_date_format(p.start, buf);
    buf[10] = '/';
    csp_date_format(p.end, buf + 11);
}

static const char *const month_long[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
/* As the published strategy's tables abbreviate ("YE Sept 14"). */
static const char *const month_short[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "June",
    "July", "Aug", "Sept", "Oct", "Nov", "Dec"};

/* A month's name in words (date.h). */
const char *csp_month_name(int month, bool abbrev)
{
    if (month < 1 || month > 12)
        return "?";
    return abbrev ? month_short[month - 1] : month_long[month - 1];
}

/* "30 September 2016" (date.h). */
void csp_date_words(csp_date d, bool abbrev, char buf[CSP_DATE_WORDS_BUFSZ])
{
    int y, m, day;
    csp_date_to_ymd(d, &y, &m, &day);
    snprintf(buf, CSP_DATE_WORDS_BUFSZ, "%d %s %d", day,
             csp_month_name(m, abbrev), y);
}

/* A period in words (date.h). */
void csp_period_words(csp_period p, char buf[CSP_PERIOD_WORDS_BUFSZ])
{
    int y1, m1, d1, y2, m2, d2, yn, mn, dn;
    csp_date_to_ymd(p.start, &y1, &m1, &d1);
    csp_date_to_ymd(p.end, &y2, &m2, &d2);
    csp_date_to_ymd(p.end + 1, &yn, &mn, &dn);
    const char *from = csp_month_name(m1, false);
    const char *to = csp_month_name(m2, false);
    if (d1 != 1 || dn != 1) {
        char a[CSP_DATE_WORDS_BUFSZ], b[CSP_DATE_WORDS_BUFSZ];
        csp_date_words(p.start, false, a);
        csp_date_words(p.end, false, b);
        if (p.start == p.end)
            snprintf(buf, CSP_PERIOD_WORDS_BUFSZ, "%s", a);
        else
            snprintf(buf, CSP_PERIOD_WORDS_BUFSZ, "%s to %s", a, b);
    } else if (y1 == y2 && m1 == m2) {
        snprintf(buf, CSP_PERIOD_WORDS_BUFSZ, "%s %d", to, y2);
    } else if (y1 == y2) {
        snprintf(buf, CSP_PERIOD_WORDS_BUFSZ, "%s to %s %d", from, to, y2);
    } else {
        snprintf(buf, CSP_PERIOD_WORDS_BUFSZ, "%s %d to %s %d", from, y1, to,
                 y2);
    }
}

/* Order by start, then end. */
int csp_period_cmp(csp_period a, csp_period b)
{
    if (a.start != b.start)
        return a.start < b.start ? -1 : 1;
    return (a.end > b.end) - (a.end < b.end);
}

/* Parse an xs:dateTime with a mandatory time zone. */
static bool instant_parse(const char *text, size_t len, csp_instant *out,
                          bool *in_range)
{
    csp_date date;
    int hh, mi, ss;
    if (len < 20 || !csp_date_parse(text, 10, &date) || text[10] != 'T' ||
        !digits(text + 11, 2, &hh) || text[13] != ':' ||
        !digits(text + 14, 2, &mi) || text[16] != ':' ||
        !digits(text + 17, 2, &ss))
        return false;
    if (hh > 24 || mi > 59 || ss > 59 || (hh == 24 && (mi || ss)))
        return false;
    size_t i = 19;
    int32_t nanos = 0;
    if (text[i] == '.') {
        size_t start = ++i;
        while (i < len && text[i] >= '0' && text[i] <= '9')
            i++;
        size_t n = i - start;
        if (n == 0)
            return false;
        for (size_t k = 0; k < 9; k++)
            nanos = nanos * 10 + (k < n ? text[start + k] - '0' : 0);
        if (hh == 24 && nanos)
            return false;
    }
    int offset;
    if (i + 1 == len && text[i] == 'Z') {
        offset = 0;
    } else if (i + 6 == len && (text[i] == '+' || text[i] == '-') &&
               text[i + 3] == ':') {
        int oh, om;
        if (!digits(text + i + 1, 2, &oh) || !digits(text + i + 4, 2, &om) ||
            oh > 14 || om > 59 || (oh == 14 && om))
            return false;
        offset = (oh * 60 + om) * (text[i] == '-' ? -1 : 1);
    } else {
        return false;
    }
    int64_t local = (int64_t)date * 86400 + hh * 3600 + mi * 60 + ss;
    out->seconds = local - (int64_t)offset * 60;
    out->nanos = nanos;
    out->offset_min = (int16_t)offset;
    /* Both forms within 0001-01-01T00:00:00 .. 9999-12-31T23:59:59, the
     * years csp_date_format writes (24:00 is the next day's 00:00). */
    csp_date first = 0, last = 0;
    (void)csp_date_from_ymd(1, 1, 1, &first);
    (void)csp_date_from_ymd(9999, 12, 31, &last);
    int64_t lo = (int64_t)first * 86400, hi = ((int64_t)last + 1) * 86400;
    *in_range = out->seconds >= lo && out->seconds < hi && local >= lo &&
                local < hi;
    return true;
}

/* Parse a dateTime with a time zone, within the years dates hold. */
bool csp_instant_parse(const char *text, size_t len, csp_instant *out)
{
    bool in_range = false;
    return instant_parse(text, len, out, &in_range) && in_range;
}

/* A dateTime refused only for its years. */
bool csp_instant_out_of_range(const char *text, size_t len)
{
    csp_instant t;
    bool in_range = true;
    return instant_parse(text, len, &t, &in_range) && !in_range;
}

/* The day and second of the day, at the offset written. */
void csp_instant_local(csp_instant t, csp_date *day, int *second)
{
    int64_t local = t.seconds + (int64_t)t.offset_min * 60;
    int64_t days = local / 86400, secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    *day = (csp_date)days;
    *second = (int)secs;
}

/* Print in the offset it was written with. */
void csp_instant_format(csp_instant t, char buf[CSP_INSTANT_BUFSZ])
{
    csp_date day;
    int secs;
    csp_instant_local(t, &day, &secs);
    char date[CSP_DATE_BUFSZ];
    csp_date_format(day, date);
    if (t.nanos >= 0 && t.nanos <= 999999999) {
        /* As below, without snprintf. */
        char *p = buf;
        memcpy(p, date, CSP_DATE_BUFSZ - 1);
        p += CSP_DATE_BUFSZ - 1;
        *p++ = 'T';
        two_digits(p, (int)(secs / 3600));
        p[2] = ':';
        two_digits(p + 3, (int)(secs / 60 % 60));
        p[5] = ':';
        two_digits(p + 6, (int)(secs % 60));
        p += 8;
        if (t.nanos) {
            int32_t f = t.nanos;
            int n = 9;
            while (f % 10 == 0) {
                f /= 10;
                n--;
            }
            *p++ = '.';
            for (int k = n - 1; k >= 0; k--, f /= 10)
                p[k] = (char)('0' + f % 10);
            p += n;
        }
        if (t.offset_min == 0) {
            *p++ = 'Z';
        } else {
            int o = t.offset_min < 0 ? -t.offset_min : t.offset_min;
            *p++ = t.offset_min < 0 ? '-' : '+';
            two_digits(p, (o / 60) % 100);
            p[2] = ':';
            two_digits(p + 3, o % 60);
            p += 5;
        }
        *p = '\0';
        return;
    }
    char frac[12] = "";
    if (t.nanos) {
        snprintf(frac, sizeof frac, ".%09d", (int)t.nanos);
        size_t n = strlen(frac);
        while (n > 2 && frac[n - 1] == '0')
            frac[--n] = '\0';
    }
    char zone[8];
    if (t.offset_min == 0) {
        strcpy(zone, "Z");
    } else {
        int o = t.offset_min < 0 ? -t.offset_min : t.offset_min;
        snprintf(zone, sizeof zone, "%c%02d:%02d", t.offset_min < 0 ? '-' : '+',
                 (o / 60) % 100, o % 60);
    }
    snprintf(buf, CSP_INSTANT_BUFSZ, "%sT%02d:%02d:%02d%s%s", date,
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60), frac,
             zone);
}

/* Order by the absolute instant. */
int csp_instant_cmp(csp_instant a, csp_instant b)
{
    if (a.seconds != b.seconds)
        return a.seconds < b.seconds ? -1 : 1;
    return (a.nanos > b.nanos) - (a.nanos < b.nanos);
}
