#!/usr/bin/env python3
"""Generate synthetic, schema-valid partner submissions for benchmarks.

    bench/gen.py --out DIR --size 200M [--template FILE] [--seed N]
                 [--back N] [--years Y] [--progress LO-HI]

writes submissions for the strategy template into DIR until their total
size reaches --size, and prints one summary line.  Standard library
only; the same arguments always give the same bytes (every random choice
comes from a random.Random seeded with --seed and what is being made).

Options:
  --out DIR         the folder to write into (made if missing)
  --size SIZE       the total size to reach: bytes, or 512K, 20M, 1G
  --template FILE   the strategy template (default: the bundled
                    templates/dg-csp-2016-19.xml)
  --seed N          another seed gives other values and texts (default 1)
  --back N          previous months each file sends again (default 12)
  --years Y         keep to Y years from April 2016 and send them again,
                    round after round (default 0: a month more for every
                    month sent)
  --progress LO-HI  the length of each progress statement in bytes of
                    UTF-8 before XML escaping, drawn evenly from LO to HI
                    (default 1K-4K)

What the inbox holds, month after month from April 2016 (agencies x
periods), so that every reconciliation rule has work to do:

- every agency sends one file a month with the figures it owns (the
  template's owner= and <owner> elements) for each area and for "all":
  the month (provisional), the previous --back months again (final, the
  same values: later claims of one agency supersede earlier ones), the
  quarter at quarter ends and the rolling year ending that month; figures
  under a template rule are computed from their inputs as the rule says
  (a few deliberately not, for W409);
- indicators with no owner are reported by two agencies, which now and
  then disagree (E407 disputes);
- some figures are also sent by an agency that does not own them,
  mostly agreeing with the owner (W405 when not);
- about one file in ten is sent again a few days later (a later
  submitted instant) with some values changed, and now and then a
  figure withdrawn; about one in three hundred again at the same instant
  with a different value (E404);
- a few figures are "missing" or "estimated", with a one-sentence note;
- an update for about six in ten of the action-plan items of the
  agency's delivery groups, each with a progress statement of 1 to 4 KB
  (--progress): paragraphs of sentences made a word at a time from a
  few hundred words (who did what, where, when, for what, with counts,
  sums in pounds, case references, names and quotes), which deflate
  about 4 to 1 (English prose: about 3 to 1), with the non-ASCII
  characters such statements carry (the apostrophe of "council's" is
  U+2019; en dashes, pound signs, accented names, curly quotes), and now
  and then an & or a <.

With --years Y the months stop after Y years, and every month of them is
sent again, round after round, until --size is reached: an inbox that
grows without the dataset growing (resubmissions supersede the claims
before them), as for a partnership resending its strategy's three years.

File names are AGENCY-YYYY-MM[-sK][-rN].xml (sK: round K of --years).
With the defaults about half the bytes are progress statements and half
figures; a file averages about 60 KB once the back series is full, so
200 MiB is about 3,500 files and spans 38 years of months.
"""

import argparse
import calendar
import datetime
import decimal
import os
import random
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

STRATEGY_NS = "{urn:csppack:strategy:1}"
FIRST_YEAR, FIRST_MONTH = 2016, 4

# Progress statements are generated a word at a time, so that they
# compress as prose does (deflate makes about 3 bytes of one, as of any
# English text; phrases drawn whole would repeat in long runs and
# compress three times better, which would flatter the workbook's
# deflate).  A sentence is an optional opener, a subject, a verb and its
# object, one or two phrases of place, time or purpose, and now and then
# a clause, a figure, a sum, a quote or a name.  Words are drawn from
# the lists below, the frequent ones more often (as in prose), and some
# carry the non-ASCII characters real statements hold: the apostrophe
# U+2019, en dashes, pound signs, accented letters and curly quotes.
def _words(text):
    return tuple(text.split())


NOUNS = _words("""
partnership officer patrol referral victim offender household resident
tenant landlord school pupil parent carer family youth worker volunteer
councillor manager analyst coordinator advocate mentor caseworker nurse
paramedic warden pastor trader licensee premises venue shop pub bar club
takeaway café market station park estate street alley underpass car park
playground garden library hostel refuge shelter hub clinic surgery ward
hospital prison court hearing warrant order injunction notice closure
dispersal curfew tag licence review inspection audit survey assessment
plan strategy policy protocol pathway procedure framework agreement
contract budget grant bid fund allowance invoice payment saving cost
meeting workshop briefing seminar conference session course module
training exercise campaign leaflet poster newsletter website app
helpline hotline report return dataset dashboard spreadsheet map
hotspot trend pattern increase decrease rise fall spike peak backlog
delay gap risk issue concern complaint incident offence crime theft
burglary robbery assault harassment stalking vandalism graffiti
littering fly-tipping begging drinking dealing drugs knife weapon
scooter motorbike bicycle vehicle camera lighting fence gate lock
alarm doorbell patrol-car van tasking deployment operation enforcement
prevention diversion intervention support advice counselling treatment
recovery rehabilitation housing tenancy eviction homelessness debt
benefit employment skills apprenticeship mentoring outreach engagement
consultation feedback evidence outcome milestone target measure
indicator figure baseline quarter month week weekend evening night
summer winter holiday term festival fireworks match carnival
""")

ADJECTIVES = _words("""
joint local new existing revised interim final initial further regular
weekly monthly quarterly annual targeted multi-agency cross-border
vulnerable repeat high-risk low-level persistent serious minor young
elderly rural urban central northern southern eastern western busy
quiet positive negative mixed encouraging disappointing significant
modest steady sharp gradual sustained temporary permanent voluntary
statutory informal formal specialist dedicated additional reduced
extended shortened delayed overdue completed outstanding agreed proposed
successful unsuccessful effective limited wider detailed brief thorough
independent confidential secure safe unsafe anonymous online face-to-face
""")

VERBS = _words("""
completed reviewed started delivered extended refreshed piloted agreed
mapped updated launched relaunched evaluated audited inspected visited
contacted supported referred signposted assessed trained recruited
appointed commissioned funded secured approved submitted published
circulated shared analysed identified targeted reduced increased
improved strengthened expanded merged replaced redesigned simplified
monitored tracked escalated resolved closed reopened paused resumed
postponed cancelled arranged hosted attended chaired coordinated
promoted advertised installed repaired upgraded removed cleared
""")

ADVERBS = _words("""
successfully quickly promptly jointly regularly closely carefully fully
partly mostly largely again already recently currently initially finally
""")

PREPS = _words("""
in across around near along at within beyond behind outside
""")

PURPOSES = (
    "to reduce", "to prevent", "to tackle", "to address", "to improve",
    "to support", "to protect", "to identify", "to understand", "to cut",
)

OPENERS = (
    "In addition,", "However,", "As a result,", "Since the last update,",
    "Following the review,", "At the request of the board,",
    "Despite the delay,", "Overall,", "In particular,", "Meanwhile,",
    "Once again,", "Looking ahead,", "With partners’ agreement,",
    "As agreed in the plan,", "For the first time,",
)

CLAUSES = (
    "because", "although", "while", "after", "before", "so that",
    "once", "until", "since", "as",
)

FIRST = _words("""
Zoë Renée José Chloé Siobhán André Anaïs Beatriz Tom Priya Daniel Hélène
Mark Fatima Gareth Amelia Oliver Grace Samuel Aisha Liam Naomi Ravi Ellie
Joséphine Noël Bronwen Kwame Mateusz Agnieszka Chidi Emre Ioana Sinéad
""")

LAST = _words("""
Whitfield Okafor Martins Barnes Kelly Novak Clarke Gómez Hughes Shah
O’Connor Dubois Ellis Rahman Price Ferreira Lewandowski Adeyemi Murphy
Patel Nowak Evans Brennan Schäfer Müller Ahmed Osei Doyle Kaur Jenkins
""")

SYLLABLES = _words("""
ash brook wood ham ford ley ton field well mere burn stead cot wick
hurst dale gate bridge worth by thorpe den holm shaw croft
""")

STREETS = _words("Road Street Lane Close Avenue Way Drive Parade Walk Rise")

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def _zipf(rng, seq):
    """An item of @p seq, the first ones more often (as words in prose)."""
    i = int(len(seq) * rng.random() ** 2)
    return seq[i]


def _place(rng):
    name = (rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES))
    r = rng.random()
    if r < 0.5:
        return "%s %s" % (name, rng.choice(STREETS))
    if r < 0.8:
        return "the %s estate" % name
    return "%s ward" % name


def _person(rng):
    return "%s %s" % (rng.choice(FIRST), rng.choice(LAST))


def _np(rng):
    """A noun phrase: a determiner, now and then an adjective, a noun."""
    det = _zipf(rng, ("the", "the", "a", "our", "each", "every", "two",
                      "three", "several", "the council’s", "the police’s",
                      "partners’"))
    words = []
    if rng.random() < 0.5:
        words.append(_zipf(rng, ADJECTIVES))
    noun = _zipf(rng, NOUNS)
    if det in ("two", "three", "several"):
        noun += "es" if noun.endswith(("s", "sh", "ch", "x")) else "s"
    words.append(noun)
    if det == "a" and words[0][0] in "aeiou":
        det = "an"
    words.insert(0, det)
    if rng.random() < 0.2:
        words += ["of", _zipf(rng, NOUNS)]
    return " ".join(words)


def _tail(rng):
    """A phrase of place, time, purpose or figures."""
    r = rng.random()
    if r < 0.25:
        return "%s %s" % (rng.choice(PREPS), _place(rng))
    if r < 0.4:
        return "on %d %s" % (rng.randint(1, 28), rng.choice(MONTHS))
    if r < 0.5:
        m = rng.randrange(12)
        return "from %s – %s" % (MONTHS[m], MONTHS[(m + rng.randint(1, 5))
                                                     % 12])
    if r < 0.65:
        return "%s %s" % (rng.choice(PURPOSES), _np(rng))
    if r < 0.75:
        return "(%d cases, %d%% within %d days)" % (
            rng.randint(3, 900), rng.randint(5, 99), rng.randint(2, 28))
    if r < 0.83:
        return "at a cost of £{:,}".format(rng.randint(4, 4000) * 25)
    if r < 0.9:
        return "with %s (%s)" % (_person(rng), _zipf(rng, NOUNS))
    if r < 0.99:
        return "– case ref. %02d/%04d" % (rng.randint(16, 24),
                                          rng.randint(1, 9999))
    return "with <%d still open" % rng.randint(5, 20)


def prose_sentence(rng):
    """One sentence of a progress statement, under 256 bytes of UTF-8."""
    while True:
        s = _sentence(rng)
        if len(s.encode("utf-8")) < 256:
            return s


def _sentence(rng):
    """One sentence of a progress statement, of any length."""
    words = []
    if rng.random() < 0.3:
        words.append(rng.choice(OPENERS))
    words.append(_np(rng))
    if rng.random() < 0.25:
        words.append(_zipf(rng, ADVERBS))
    words.append(_zipf(rng, VERBS))
    words.append(_np(rng))
    for _ in range(rng.randint(0, 2)):
        words.append(_tail(rng))
    if rng.random() < 0.3:
        words += [rng.choice(CLAUSES), _np(rng), _zipf(rng, VERBS),
                  _np(rng)]
    s = " ".join(words)
    if rng.random() < 0.05:
        s += ": “%s %s %s”" % (_np(rng), _zipf(rng, VERBS), _np(rng))
    s = s[0].upper() + s[1:] + "."
    return s


def parse_size(text):
    """'200M', '1G', '512K' or bytes -> bytes."""
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("IB")
    if text and text[-1] in mult:
        return int(float(text[:-1]) * mult[text[-1]])
    return int(text)


def parse_range(text):
    """'1K-4K' or '1024-4096' -> (1024, 4096).  LO is at least 256 and HI
    at least LO + 256: a sentence is under 256 bytes, so one always fits."""
    lo, sep, hi = text.partition("-")
    if not sep:
        raise argparse.ArgumentTypeError("expected LO-HI, e.g. 1K-4K")
    lo, hi = parse_size(lo), parse_size(hi)
    if lo < 256 or hi < lo + 256:
        raise argparse.ArgumentTypeError("expected 256 <= LO and "
                                         "LO + 256 <= HI")
    return lo, hi


class Template:
    """What the generator needs from a strategy template."""

    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.id = root.get("id")
        self.areas = []
        self.population = {}  # area -> sorted [(year, value)]
        for a in root.iter(STRATEGY_NS + "area"):
            self.areas.append(a.get("id"))
            self.population[a.get("id")] = sorted(
                (int(p.get("year")), int(p.get("value")))
                for p in a.iter(STRATEGY_NS + "population"))
        self.agencies = [a.get("id") for a in root.iter(STRATEGY_NS + "agency")]
        groups = {g.get("id"): (g.get("agencies") or "").split()
                  for g in root.iter(STRATEGY_NS + "group")}
        self.indicators = []
        for ind in root.iter(STRATEGY_NS + "indicator"):
            owners = {}
            if ind.get("owner"):
                for area in self.areas + ["all"]:
                    owners[area] = ind.get("owner")
            for o in ind.iter(STRATEGY_NS + "owner"):
                owners[o.get("area")] = o.get("agency")
            rule, inputs = None, []
            for kind in ("sum", "rate-per-1000", "share"):
                r = ind.find(STRATEGY_NS + kind)
                if r is None:
                    continue
                rule = kind
                if kind == "sum":
                    inputs = [i.get("indicator")
                              for i in r.iter(STRATEGY_NS + "input")]
                elif kind == "rate-per-1000":
                    inputs = [r.get("count")]
                else:
                    inputs = [r.get("part"), r.get("whole")]
            self.indicators.append({
                "id": ind.get("id"),
                "unit": ind.get("unit"),
                "decimals": int(ind.get("decimals") or 0),
                "owners": owners,
                "rule": rule,
                "inputs": inputs,
            })
        self.by_id = {i["id"]: i for i in self.indicators}
        # Which agencies update which action: the agencies of its groups.
        self.actions = []
        for a in root.iter(STRATEGY_NS + "action"):
            who = []
            for g in (a.get("groups") or "").split():
                who += groups.get(g, [])
            self.actions.append((a.get("ref"), sorted(set(who))))

    def pop(self, area, year):
        """Population for a period ending in @year (sum over areas for all)."""
        if area == "all":
            vals = [self.pop(a, year) for a in self.areas]
            return None if None in vals else sum(vals)
        best = None
        for y, v in self.population.get(area, []):
            if y <= year:
                best = v
        return best


def month_bounds(mi):
    """Month index (0 = April 2016) -> (first day, last day)."""
    y, m = divmod(FIRST_MONTH - 1 + mi, 12)
    y += FIRST_YEAR
    m += 1
    return (datetime.date(y, m, 1),
            datetime.date(y, m, calendar.monthrange(y, m)[1]))


def period(start_mi, end_mi):
    """'YYYY-MM-DD/YYYY-MM-DD' from the first of one month to the end of another."""
    return "%s/%s" % (month_bounds(start_mi)[0].isoformat(),
                      month_bounds(end_mi)[1].isoformat())


def fmt(value, decimals):
    q = decimal.Decimal(1).scaleb(-decimals)
    return str(value.quantize(q, rounding=decimal.ROUND_HALF_UP))


class Values:
    """Deterministic figures: the same key always has the same base value."""

    def __init__(self, tpl, seed):
        self.tpl = tpl
        self.seed = seed
        self.cache = {}

    def month(self, ind_id, area, mi):
        """A count for one month (areas add up to all)."""
        if area == "all":
            return sum(self.month(ind_id, a, mi) for a in self.tpl.areas)
        key = (ind_id, area, mi)
        v = self.cache.get(key)
        if v is None:
            r = random.Random("%d/%s/%s/%d" % (self.seed, ind_id, area, mi))
            v = r.randint(5, 900)
            if len(self.cache) > 200000:
                self.cache.clear()
            self.cache[key] = v
        return v

    def value(self, ind_id, area, first_mi, last_mi):
        """The exact value (a Decimal) of an indicator over months, or None."""
        ind = self.tpl.by_id[ind_id]
        rule = ind["rule"]
        if rule == "sum":
            return sum(self.value(i, area, first_mi, last_mi)
                       for i in ind["inputs"])
        if rule == "rate-per-1000":
            year = month_bounds(last_mi)[1].year
            p = self.tpl.pop(area, year)
            if not p:
                return None
            c = self.value(ind["inputs"][0], area, first_mi, last_mi)
            return decimal.Decimal(c) * 1000 / p
        if rule == "share":
            part = self.value(ind["inputs"][0], area, first_mi, last_mi)
            whole = self.value(ind["inputs"][1], area, first_mi, last_mi)
            if not whole or part > whole:
                return None
            return decimal.Decimal(part) * 100 / whole
        if ind["unit"] == "count":
            return decimal.Decimal(sum(self.month(ind_id, area, m)
                                       for m in range(first_mi, last_mi + 1)))
        # A rate or percent with no rule: a plausible level.
        r = random.Random("%d/%s/%s/%d/%d" % (self.seed, ind_id, area,
                                              first_mi, last_mi))
        hi = 100 if ind["unit"] == "percent" else 250
        return decimal.Decimal(r.randint(0, hi * 10)) / 10


class Generator:
    def __init__(self, tpl, args):
        self.tpl = tpl
        self.args = args
        self.rng = random.Random(args.seed)
        self.values = Values(tpl, args.seed)
        self.stats = {"files": 0, "bytes": 0, "obs": 0, "updates": 0}
        # What each agency reports: (indicator, area) it owns, the
        # un-owned indicators shared out to two agencies each, and a few
        # figures of others' (non-owner).
        self.reports = {a: [] for a in tpl.agencies}
        self.non_owner = {a: [] for a in tpl.agencies}
        reporters = [a for a in tpl.agencies
                     if any(a in i["owners"].values() for i in tpl.indicators)]
        for n, ind in enumerate(tpl.indicators):
            for area in tpl.areas + ["all"]:
                owner = ind["owners"].get(area)
                if owner in self.reports:
                    self.reports[owner].append((ind["id"], area, False))
                    other = reporters[(n + len(area)) % len(reporters)]
                    if other != owner and n % 4 == 0:
                        self.non_owner[other].append((ind["id"], area))
                elif not ind["owners"] and reporters:
                    a = reporters[n % len(reporters)]
                    b = reporters[(n + 3) % len(reporters)]
                    self.reports[a].append((ind["id"], area, False))
                    if b != a:
                        self.reports[b].append((ind["id"], area, True))
        self.actions = {a: [ref for ref, who in tpl.actions if a in who]
                        for a in tpl.agencies}
        os.makedirs(args.out, exist_ok=True)

    def progress(self, rng):
        """A statement of --progress bytes of UTF-8 (before XML escaping):
        paragraphs of two to five sentences separated by blank lines."""
        lo, hi = self.args.progress
        target = rng.randint(lo, hi)
        paras, para, size = [], [], 0
        length = rng.randint(2, 5)
        while True:
            s = prose_sentence(rng)
            # With the space or the blank line before it.
            n = len(s.encode("utf-8")) + (1 if para else 2 if paras else 0)
            if size + n > target:
                if size >= lo:
                    break
                if size + n > hi:
                    continue        # too long for what is left: another
            para.append(s)
            size += n
            if len(para) == length:
                paras.append(" ".join(para))
                para, length = [], rng.randint(2, 5)
        if para:
            paras.append(" ".join(para))
        return "\n\n".join(paras)

    def obs(self, out, rng, ind_id, area, first, last, status, alter,
            dispute):
        ind = self.tpl.by_id[ind_id]
        v = self.values.value(ind_id, area, first, last)
        if v is None:
            return
        if ind["rule"] and rng.random() < 0.01:
            v += decimal.Decimal(1)          # a rule that does not hold
        if dispute and rng.random() < 0.3:
            v += decimal.Decimal(rng.randint(1, 9))
        if alter:
            v += decimal.Decimal(rng.randint(1, 5))
        if ind["unit"] == "percent" and v > 100:
            v = decimal.Decimal(100)
        per = period(first, last)
        self.stats["obs"] += 1
        r = rng.random()
        if status == "withdrawn":
            out.append('    <obs indicator="%s" area="%s" period="%s" '
                       'status="withdrawn">Figure withdrawn pending a data '
                       'quality review.</obs>\n' % (ind_id, area, per))
        elif r < 0.01:
            out.append('    <obs indicator="%s" area="%s" period="%s" '
                       'status="missing">%s</obs>\n'
                       % (ind_id, area, per, escape(prose_sentence(rng))))
        elif r < 0.03:
            out.append('    <obs indicator="%s" area="%s" period="%s" '
                       'value="%s" status="estimated">%s</obs>\n'
                       % (ind_id, area, per, fmt(v, ind["decimals"]),
                          escape(prose_sentence(rng))))
        else:
            st = '' if status == "final" else ' status="%s"' % status
            out.append('    <obs indicator="%s" area="%s" period="%s" '
                       'value="%s"%s/>\n'
                       % (ind_id, area, per, fmt(v, ind["decimals"]), st))

    def submission(self, agency, mi, revision, submitted):
        rng = random.Random("%d/%s/%d/%d" % (self.args.seed, agency, mi,
                                             revision))
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
               '<submission xmlns="urn:csppack:submission:1" strategy=%s '
               'agency=%s submitted="%s">\n'
               % (quoteattr(self.tpl.id), quoteattr(agency), submitted),
               '  <submitter name="Performance Analyst %d" '
               'email="performance@%s.example" phone="01632 %06d"/>\n'
               % (mi % 7 + 1, agency, rng.randint(0, 999999)),
               '  <observations>\n']
        series = self.reports[agency]
        for ind_id, area, dispute in series:
            alter = revision > 0 and rng.random() < 0.05
            withdraw = revision > 0 and rng.random() < 0.003
            # The month, then the previous months again (final).
            self.obs(out, rng, ind_id, area, mi, mi,
                     "withdrawn" if withdraw else "provisional", alter,
                     dispute)
            for b in range(1, self.args.back + 1):
                if mi - b >= 0:
                    self.obs(out, rng, ind_id, area, mi - b, mi - b, "final",
                             False, dispute)
            if (FIRST_MONTH - 1 + mi) % 3 == 2 and mi >= 2:   # quarter end
                self.obs(out, rng, ind_id, area, mi - 2, mi, "provisional",
                         alter, dispute)
            if mi >= 11:
                self.obs(out, rng, ind_id, area, mi - 11, mi, "provisional",
                         alter, dispute)
        for ind_id, area in self.non_owner[agency]:
            if rng.random() < 0.5:
                self.obs(out, rng, ind_id, area, mi, mi, "provisional",
                         rng.random() < 0.3, False)
        out.append('  </observations>\n')
        refs = [r for r in self.actions[agency] if rng.random() < 0.6]
        if refs:
            out.append('  <actions>\n')
            as_of = month_bounds(mi)[1].isoformat()
            for ref in refs:
                st = rng.choice(("on-track", "on-track", "on-track", "at-risk",
                                 "off-track", "not-started", "complete"))
                out.append('    <update ref="%s" status="%s" as-of="%s">%s'
                           '</update>\n'
                           % (ref, st, as_of, escape(self.progress(rng))))
                self.stats["updates"] += 1
            out.append('  </actions>\n')
        if rng.random() < 0.3:
            out.append('  <comment>%s</comment>\n'
                       % escape(" ".join(prose_sentence(rng)
                                         for _ in range(3))))
        out.append('</submission>\n')
        return "".join(out).encode("utf-8")

    def write(self, name, data):
        with open(os.path.join(self.args.out, name), "wb") as f:
            f.write(data)
        self.stats["files"] += 1
        self.stats["bytes"] += len(data)

    def run(self):
        target = self.args.size
        span = self.args.years * 12
        step = 0
        while self.stats["bytes"] < target:
            # With --years, every month of the span is sent again, round
            # after round, each round's files later than the last's.
            rnd, mi = divmod(step, span) if span else (0, step)
            last = month_bounds(mi)[1]
            for agency in self.tpl.agencies:
                if not self.reports[agency] and not self.actions[agency]:
                    continue
                if self.stats["bytes"] >= target:
                    break
                rng = random.Random("%d/when/%s/%d/%d" % (self.args.seed,
                                                          agency, mi, rnd)
                                    if rnd else
                                    "%d/when/%s/%d" % (self.args.seed,
                                                       agency, mi))
                when = datetime.datetime(last.year, last.month, last.day,
                                         9, 0) + datetime.timedelta(
                    days=rng.randint(5, 25) + 40 * rnd,
                    minutes=rng.randint(0, 480))
                zone = "+01:00" if 4 <= when.month <= 10 else "Z"
                stem = "%s-%04d-%02d" % (agency, last.year, last.month)
                if rnd:
                    stem += "-s%d" % rnd
                sub = when.strftime("%Y-%m-%dT%H:%M:%S") + zone
                self.write(stem + ".xml",
                           self.submission(agency, mi, 3 * rnd, sub))
                if rng.random() < 0.1:
                    later = when + datetime.timedelta(days=rng.randint(1, 10))
                    sub2 = later.strftime("%Y-%m-%dT%H:%M:%S") + zone
                    self.write(stem + "-r1.xml",
                               self.submission(agency, mi, 3 * rnd + 1, sub2))
                elif rng.random() < 0.004:
                    # Sent again at the same instant, differing: E404.
                    self.write(stem + "-r2.xml",
                               self.submission(agency, mi, 3 * rnd + 2, sub))
            step += 1
        return step


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(
        description="Generate synthetic partner submissions for benchmarks.")
    ap.add_argument("--out", required=True, help="folder to write into")
    ap.add_argument("--size", required=True, type=parse_size,
                    help="total size to reach, e.g. 20M, 200M, 1G")
    ap.add_argument("--template",
                    default=os.path.join(here, "..", "templates",
                                         "dg-csp-2016-19.xml"),
                    help="the strategy template (default: the bundled "
                    "templates/dg-csp-2016-19.xml)")
    ap.add_argument("--seed", type=int, default=1,
                    help="another seed gives other values and texts "
                    "(default 1)")
    ap.add_argument("--back", type=int, default=12,
                    help="previous months each file repeats (default 12)")
    ap.add_argument("--years", type=int, default=0,
                    help="keep to this many years from April 2016 and send "
                    "them again, round after round, until --size is reached "
                    "(default 0: a month more for every month sent)")
    ap.add_argument("--progress", type=parse_range, default=(1024, 4096),
                    metavar="LO-HI",
                    help="length of a progress statement in bytes of UTF-8 "
                    "before XML escaping, drawn evenly from LO to HI "
                    "(default 1K-4K: 1,024 to 4,096)")
    args = ap.parse_args()
    tpl = Template(args.template)
    gen = Generator(tpl, args)
    months = gen.run()
    s = gen.stats
    print("gen: %d files, %d bytes (%.1f MiB), %d months, %d obs, %d updates "
          "in %s" % (s["files"], s["bytes"], s["bytes"] / 1048576.0, months,
                     s["obs"], s["updates"], args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
