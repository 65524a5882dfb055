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
  (--progress) written as partners write them: paragraphs of sentences
  about what was done where and when, counts, sums in pounds, meetings,
  quotes and risks, with names and words that carry non-ASCII characters
  (the ' of "council's" is U+2019, and there are en dashes, pound signs,
  accented letters and curly quotes), and now and then an & or a <.

With --years Y the months stop after Y years, and every month of them is
sent again, round after round, until --size is reached: an inbox that
grows without the dataset growing (resubmissions supersede the claims
before them), as for a partnership resending its strategy's three years.

File names are AGENCY-YYYY-MM[-sK][-rN].xml (sK: round K of --years).
With the defaults about half the bytes are progress statements and half
figures; a file averages about 57 KB once the back series is full, so
200 MiB is about 3,700 files.
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

# Progress statements are made of sentences in the shapes partners write:
# who did what where and when, counts and rates, money, meetings, quotes
# and risks.  Each shape is a format whose {slots} are filled from the
# lists below; {n}, {m}, {pct}, {money}, {date} and {month} are numbers,
# sums and dates.  Some words carry the non-ASCII characters that real
# statements hold (’ – £ é “ ”), and a few an & or a <, which XML escapes.
PROSE = {
    "team": (
        "The community safety unit", "The neighbourhood policing team",
        "Our outreach workers", "The Housing & Communities team",
        "The licensing team", "The youth service", "The victim support hub",
        "The early help team", "The ASB case review panel",
        "Street pastors", "The night-time economy patrol",
        "The domestic abuse advocates", "The probation service’s local team",
        "The fire service’s safeguarding lead", "The substance misuse service",
        "The troubled families coordinator", "Partners at the hub",
        "The integrated offender management team",
        "The council’s enforcement officers", "The schools liaison officer",
    ),
    "did": (
        "completed", "carried out", "reviewed", "started", "extended",
        "delivered", "refreshed", "piloted", "agreed", "mapped",
        "consulted on", "rolled out", "evaluated", "re-launched",
    ),
    "object": (
        "joint patrols", "a week of action", "the referral pathway",
        "home safety visits", "the problem-solving plan",
        "test purchase operations", "the premises risk assessments",
        "a training programme for front-line staff",
        "the information-sharing agreement", "the hotspot analysis",
        "weekly case conferences", "the safe-space scheme",
        "targeted leaflet drops", "the CCTV upgrade",
        "the diversionary activity sessions", "restorative justice conferences",
        "the street lighting survey", "the tenancy sustainment project",
        "the cuckooing protocol", "the online safety workshops",
        "the repeat-victim tracker", "the dispersal order review",
    ),
    "where": (
        "in the town centre", "along the high street", "around the railway station",
        "on the riverside estate", "at the retail park", "in the market square",
        "in St Mary’s ward", "across the Northfields estate",
        "in the café quarter", "near the bus station", "in three rural parishes",
        "at the leisure centre", "in the evening economy area",
        "across both boroughs", "in the priority wards",
    ),
    "when": (
        "during {month}", "in the first half of {month}", "over the quarter",
        "since the last update", "between {month} and {month2}",
        "ahead of the summer holidays", "over the Christmas period",
        "in the run-up to Bonfire Night", "for the whole of {month}",
        "as planned", "a fortnight later than planned",
    ),
    "people": (
        "victims", "young people", "households", "referrals",
        "repeat callers", "licensed premises", "residents", "offenders",
        "families", "front-line staff", "pupils", "volunteers",
    ),
    "were_done": (
        "were contacted", "were offered support", "were visited",
        "were referred to the hub", "were trained", "were reviewed",
        "were seen within five working days", "were signposted",
        "were assessed", "completed the course",
    ),
    "compare": (
        "up from {m} in the same period last year",
        "against a target of {m}", "down {pct} % on the previous quarter",
        "about the same as last month",
        "which is {pct} % of those eligible",
        "the highest figure since the action started",
        "with numbers under 10 shown as <10 in the partner return",
    ),
    "funding": (
        "has been confirmed for next year",
        "was secured from the Police and Crime Commissioner’s fund",
        "is still awaited from the national programme",
        "was spent on equipment and training",
        "has been committed to the café’s safe-space scheme",
        "will be reviewed at the March board",
        "was carried forward – the underspend is explained below",
    ),
    "person": (
        "Zoë Whitfield", "Renée Okafor", "José Martins", "Chloé Barnes",
        "Siobhán Kelly", "André Novak", "Anaïs Clarke", "Beatriz Gómez",
        "Tom Hughes", "Priya Shah", "Daniel O’Connor", "Hélène Dubois",
        "Mark Ellis", "Fatima Rahman", "Gareth Price",
    ),
    "role": (
        "the hub manager", "the lead officer", "the DA coordinator",
        "the licensing manager", "the analyst", "the team leader",
        "the chair of the delivery group", "the project officer",
    ),
    "reported": (
        "reported", "noted", "confirmed", "told the group",
        "raised a concern", "explained",
    ),
    "finding": (
        "calls about street drinking had fallen since the patrols began",
        "two premises had been referred for a licence review",
        "the waiting list for the perpetrator programme had grown",
        "the new referral form was working well",
        "data from the hospital’s A&E department is now shared monthly",
        "staff turnover has slowed the rollout",
        "feedback from residents’ meetings was broadly positive",
        "the pilot will need a further three months",
        "most cases were closed within the agreed time",
        "several victims declined support at first contact",
    ),
    "meeting": (
        "delivery group", "tasking & coordination meeting",
        "partnership board", "case review panel", "problem-solving meeting",
        "performance sub-group", "joint action group",
    ),
    "plan": (
        "extend the scheme to two more wards",
        "bring the review forward to {month}",
        "ask the analyst for a fresh hotspot map",
        "invite the housing association to future meetings",
        "escalate the funding gap to the board",
        "run a further week of action in {month}",
        "close the action once the evaluation is signed off",
        "share the lessons learnt with neighbouring partnerships",
    ),
    "outcome": (
        "all milestones were met", "one milestone slipped",
        "the evaluation report is in draft",
        "recruitment to the vacant post is under way",
        "the work continues as business as usual",
        "delivery paused while the service was re-tendered",
        "the new café-based drop-in opened",
    ),
    "audience": (
        "residents", "shop owners", "pupils and parents", "front-line staff",
        "victims who used the service", "licensees", "ward councillors",
    ),
    "adj": ("positive", "mixed", "very positive", "encouraging", "critical"),
    "quote": (
        "I feel safer walking home now",
        "the officers were there when we needed them",
        "we didn’t know this help existed",
        "it’s made a real difference to the street",
        "more of this, please – and more often",
        "the café is calmer on a Friday night",
    ),
    "risk": (
        "The main risk is staff capacity over the summer",
        "Funding beyond March is not yet secured",
        "Data sharing with one provider is still delayed",
        "Demand is higher than the service was commissioned for",
        "The venue is no longer available from {month}",
    ),
    "mitigation": (
        "the group has agreed a contingency plan",
        "cover has been arranged from a neighbouring team",
        "this has been escalated to the board",
        "a bid has gone to the commissioner’s fund",
        "the action lead will report back next month",
    ),
}

SHAPES = (
    "{team} {did} {object} {where} {when}.",
    "{team} {did} {object} {when}.",
    "{n} {people} {were_done} {when}, {compare}.",
    "Funding of £{money} {funding}.",
    "{person} ({role}) {reported} that {finding}.",
    "The {meeting} on {date} agreed to {plan}.",
    "{Month} – {outcome}.",
    "Feedback from {audience} was {adj}: “{quote}”.",
    "{risk}; {mitigation}.",
    "Referrals: {n} received, {m} closed – {pct} % within {k} working days.",
    "{person} {reported} that {finding}, and the {meeting} agreed to {plan}.",
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")


def prose_sentence(rng):
    """One sentence of a progress statement, in one of the SHAPES."""
    shape = rng.choice(SHAPES)
    month = rng.randrange(12)
    slots = {
        "n": str(rng.randint(3, 480)),
        "m": str(rng.randint(2, 400)),
        "k": str(rng.randint(2, 10)),
        "pct": str(rng.randint(3, 97)),
        "money": "{:,}".format(rng.randint(2, 600) * 250),
        "date": "%d %s" % (rng.randint(1, 28), MONTHS[month]),
        "month": MONTHS[month],
        "Month": MONTHS[month],
        "month2": MONTHS[(month + rng.randint(1, 3)) % 12],
    }
    for key in PROSE:
        if "{" + key + "}" in shape:
            slots[key] = rng.choice(PROSE[key]).format(**slots)
    s = shape.format(**slots)
    return s[0].upper() + s[1:]


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
