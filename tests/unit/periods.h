/*
 * Periods, an instant and an <obs> line for the submissions the unit
 * tests build as text (test_reconcile.c, test_units.c): the years and
 * quarters of the samples' strategy, years ending September.
 */
#ifndef CSPPACK_TEST_PERIODS_H
#define CSPPACK_TEST_PERIODS_H

#define Y14 "2013-10-01/2014-09-30"
#define Y15 "2014-10-01/2015-09-30"
#define Y16 "2015-10-01/2016-09-30"
#define Q1 "2015-10-01/2015-12-31"
#define Q2 "2016-01-01/2016-03-31"
#define Q3 "2016-04-01/2016-06-30"
#define Q4 "2016-07-01/2016-09-30"
#define T1 "2016-10-14T09:30:00+01:00"

/* One obs per line, so that obs k of a body is on line 4 + k. */
#define OBS(ind, area, per, val)                                               \
    "<obs indicator=\"" ind "\" area=\"" area "\" period=\"" per               \
    "\" value=\"" val "\"/>\n"

#endif
