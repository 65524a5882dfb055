#!/usr/bin/python3
"""Checks that the files of one pack of `csppack build` say the same thing,
and compare packs.  Used by build.sh and blank.sh.  Run with
/usr/bin/python3: the workbook is read with Debian's python3-openpyxl.

    check_pack.py workbook-figures PACK TEMPLATE
        every figure of PACK/observations.csv is the same number on the
        Indicators sheet of PACK/workbook.xlsx (its row: indicator id and
        area; its column: the period's label), and the Key findings sheet
        shows the template's key-findings rows: each year's figure, the
        % change (the formula's cached value) and the rate per 1,000
    check_pack.py pdf-figures TEXT PACK TEMPLATE
        TEXT (pdftotext -raw of the board pack) shows, in the template's
        order, every measure's latest figure per area from
        PACK/observations.csv as "Area Figure Period" (with "%" for
        percents, "†" for a figure csppack worked out)
    check_pack.py same-cells A.xlsx B.xlsx [OLD=NEW...]
        the two workbooks have the same sheets and cell values, once each
        OLD in B's texts is replaced by NEW
    check_pack.py rows-added A.xlsx B.xlsx SHEET=N...
        B has A's sheets and values, except that each SHEET named has
        exactly N rows more, and none fewer

Each check prints "ok - WHAT" or "FAIL - WHAT: WHY"; the exit status is 1
when any failed.
"""

import collections
import csv
import datetime
import os
import re
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

NS = {"s": "urn:csppack:strategy:1"}
FAILED = 0
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept",
          "Oct", "Nov", "Dec"]


def check(what, cond, why=""):
    global FAILED
    if cond:
        print("ok - %s" % what)
    else:
        FAILED += 1
        print("FAIL - %s%s" % (what, ": " + str(why) if why != "" else ""))
    return cond


def day(s):
    return datetime.date.fromisoformat(s)


def label(start, end):
    """A period's label in the strategy's style: "Q2 2016/17" for a
    quarter of the April-March year, "YE Sept 16" for a year."""
    s, e = day(start), day(end)
    nxt = e + datetime.timedelta(days=1)
    months = (nxt.year - s.year) * 12 + nxt.month - s.month
    if s.day == 1 and nxt.day == 1 and months == 3 and s.month % 3 == 1:
        fy = s.year if s.month >= 4 else s.year - 1
        q = (s.month - 4) % 12 // 3 + 1
        return "Q%d %d/%02d" % (q, fy, (fy + 1) % 100)
    if s.day == 1 and nxt.day == 1 and months == 12:
        return "YE %s %02d" % (MONTHS[e.month - 1], e.year % 100)
    raise ValueError("no label for %s/%s" % (start, end))


def template(path):
    root = ET.parse(path).getroot()
    areas = {a.get("id"): a.get("name")
             for a in root.iter("{%s}area" % NS["s"])}
    areas["all"] = "All areas"
    units = {i.get("id"): i.get("unit")
             for i in root.iter("{%s}indicator" % NS["s"])}
    measures = [m.get("indicator")
                for m in root.iter("{%s}measure" % NS["s"])]
    kf = [(r.get("label"), r.get("indicator"), r.get("rate"))
          for r in root.iter("{%s}row" % NS["s"])]
    return root, areas, units, measures, kf


def observations(pack):
    with open(os.path.join(pack, "observations.csv"), newline="",
              encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(path, data_only=True):
    import openpyxl
    return openpyxl.load_workbook(path, data_only=data_only)


def num(v):
    return None if v is None or v == "" else Decimal(str(v))


def mode_workbook_figures(pack, tpl_path):
    _, areas, _, _, kf = template(tpl_path)
    obs = observations(pack)
    wb = load(os.path.join(pack, "workbook.xlsx"))
    ws = wb["Indicators"]
    hdr = [c.value for c in ws[3]]
    iid, iarea = hdr.index("Indicator id"), hdr.index("Area")
    cells = {}
    for r in ws.iter_rows(min_row=4, values_only=True):
        if all(v is None for v in r):
            break
        for k in range(4, iid):
            cells.setdefault((r[iid], r[iarea], hdr[k]), r[k])
    bad, n = [], 0
    for o in obs:
        if not o["value"]:
            continue
        n += 1
        key = (o["indicator"], areas[o["area"]], label(o["start"], o["end"]))
        if num(cells.get(key)) != Decimal(o["value"]):
            bad.append((key, o["value"], cells.get(key)))
    check("the %d figures of observations.csv are the same on the "
          "Indicators sheet" % n, n > 0 and not bad, bad[:5])

    # The key findings: figures, % change (cached), rate per 1,000.
    fig = {(o["indicator"], o["area"], label(o["start"], o["end"])):
           Decimal(o["value"]) for o in obs if o["value"]}
    ws = wb["Key findings"]
    kf_ids = set(ind for (_, ind, _) in kf)
    if not any(i in kf_ids and lab.startswith("YE ") for (i, _, lab) in fig):
        check("Key findings: no year-ending figures, and it says so",
              any("No year-ending figures" in str(c.value)
                  for row in ws.iter_rows() for c in row), "")
        return
    for area, name in areas.items():
        if area == "all":
            continue
        start = None
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == name:
                start = r
                break
        if not check("Key findings: a table for %s" % name, start is not None):
            continue
        head = [c.value for c in ws[start + 1]]
        years = [h for h in head if h and str(h).startswith("YE ")]
        rows = {ws.cell(r, 1).value: [c.value for c in ws[r]]
                for r in range(start + 2, start + 2 + len(kf))}
        for lab, ind, rate in kf:
            row = rows.get(lab)
            if not check("Key findings: %s, %s" % (name, lab), row is not None):
                continue
            want = [fig.get((ind, area, y)) for y in years]
            got = [num(row[head.index(y)]) for y in years]
            check("Key findings: %s, %s: %s as in observations.csv" %
                  (name, lab, " ".join(str(v) for v in want)),
                  got == want, got)
            ch = [h for h in head if h and str(h).startswith("% change")]
            if len(want) >= 2 and None not in want[-2:] and ch:
                a, b = want[-2], want[-1]
                pct = ((b - a) / a * 100).quantize(Decimal("0.1"))
                gotc = num(row[head.index(ch[0])])
                check("Key findings: %s, %s: %% change %s" % (name, lab, pct),
                      gotc is not None and abs(gotc - pct) <= Decimal("0.05"),
                      gotc)
            per = [h for h in head if h and str(h).startswith("Per 1,000")]
            if rate and per and years:
                wantr = fig.get((rate, area, years[-1]))
                check("Key findings: %s, %s: %s per 1,000" % (name, lab, wantr),
                      num(row[head.index(per[0])]) == wantr,
                      row[head.index(per[0])])


def mode_pdf_figures(text, pack, tpl_path):
    _, areas, units, measures, _ = template(tpl_path)
    with open(text, encoding="utf-8") as f:
        words = " ".join(f.read().split())
    start = words.find("Measures dashboard The latest figure")
    if not check("the measures dashboard is there", start >= 0):
        return
    latest = {}
    # The latest figure says anything: one sent as missing shows "–".
    for o in observations(pack):
        key = (o["indicator"], o["area"])
        if key not in latest or (o["end"], o["start"]) > (
                latest[key]["end"], latest[key]["start"]):
            latest[key] = o
    order = list(areas)
    pos, n, bad = start, 0, []
    for m in measures:
        for area in sorted((a for (i, a) in latest if i == m),
                           key=order.index):
            o = latest[(m, area)]
            value = o["value"] + ("%" if o["value"] and
                                  units.get(m) == "percent" else "")
            shown = "%s %s %s" % (areas[area], value or "\u2013",
                                  label(o["start"], o["end"]))
            hit = re.compile(
                re.escape("%s %s" % (areas[area], value or "\u2013")) +
                r"(?: \u2020)? " + re.escape(label(o["start"], o["end"])) +
                r"(?= |$)").search(words, pos)
            n += 1
            if hit:
                pos = hit.end()
            else:
                bad.append("%s: %s" % (m, shown))
    check("the board pack shows the latest of each of %d measure figures, "
          "in order" % n, n > 0 and not bad, bad[:5])


def sheets(path):
    wb = load(path)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}, wb.sheetnames


def mode_same_cells(a, b, maps):
    pairs = [m.split("=", 1) for m in maps]

    def mapped(v):
        if isinstance(v, str):
            for old, new in pairs:
                v = v.replace(old, new)
        return v

    sa, na = sheets(a)
    sb, nb = sheets(b)
    check("same sheets", na == nb, (na, nb))
    for name in na:
        rb = [[mapped(v) for v in r] for r in sb.get(name, [])]
        diff = [i + 1 for i, (x, y) in enumerate(zip(sa[name], rb)) if x != y]
        check("%s: the same cells%s" % (name, " (names mapped)" if pairs else ""),
              sa[name] == rb,
              "rows %s differ" % diff[:5] if diff else
              "%d rows, %d rows" % (len(sa[name]), len(rb)))


def mode_rows_added(a, b, specs):
    added = {s.split("=", 1)[0]: int(s.split("=", 1)[1]) for s in specs}
    sa, na = sheets(a)
    sb, nb = sheets(b)
    check("same sheets", na == nb, (na, nb))
    for name in na:
        ra = collections.Counter(tuple(r) for r in sa[name])
        rb = collections.Counter(tuple(r) for r in sb.get(name, []))
        more = sum((rb - ra).values())
        fewer = sum((ra - rb).values())
        want = added.get(name, 0)
        check("%s: %d row%s more, none fewer" % (name, want,
                                                "" if want == 1 else "s"),
              more == want and fewer == 0, "%d more, %d fewer" % (more, fewer))


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode == "workbook-figures":
        mode_workbook_figures(argv[2], argv[3])
    elif mode == "pdf-figures":
        mode_pdf_figures(argv[2], argv[3], argv[4])
    elif mode == "same-cells":
        mode_same_cells(argv[2], argv[3], argv[4:])
    elif mode == "rows-added":
        mode_rows_added(argv[2], argv[3], argv[4:])
    else:
        print("FAIL - unknown mode %s" % mode)
        return 1
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
