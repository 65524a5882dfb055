#!/usr/bin/python3
"""The strategy report's action plan on landscape pages (issue 19, item 2).

    check_action_plan.py REPORT.pdf TITLE NREFS HEADER...
    check_action_plan.py --portrait REPORT.pdf

REPORT.pdf's action-plan pages run from the page of its top-level
bookmark TITLE to the page before the next top-level bookmark.  Checks:

  - every action-plan page is A4 landscape (841.89 x 595.28 pt, its own
    size as pdfinfo -f N -l N prints it) and every other page A4
    portrait;
  - on each action-plan page the header row (HEADER..., the first word
    of each column's title) stands on one line above every item of the
    table, takes two lines at most, and on the pages the table
    continues on is near the top;
  - every action ref (a word like 1.12 in the first column) is on one
    page only: no item is split between pages; NREFS refs in all.

With --portrait: every page is A4 portrait (the board pack).
Prints ok/FAIL lines; needs pdfinfo, pdftotext and qpdf.
"""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser

A4 = (595.276, 841.89)
REF = re.compile(r"^\d+\.\d+$")
failed = 0


def ok(name):
    print("ok - " + name)


def fail(name, why):
    global failed
    failed += 1
    print("FAIL - %s: %s" % (name, why))


def page_sizes(pdf):
    """Each page's (width, height) from pdfinfo, 1-based."""
    n = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", pdf], capture_output=True, text=True,
        check=True).stdout, re.M).group(1))
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", str(n), pdf],
                         capture_output=True, text=True, check=True).stdout
    sizes = {}
    for m in re.finditer(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts",
                         out, re.M):
        sizes[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
    return n, sizes


def is_size(wh, w, h):
    return abs(wh[0] - w) < 0.01 and abs(wh[1] - h) < 0.01


class Words(HTMLParser):
    """pdftotext -bbox's words, per page: (text, xMin, yMin)."""

    def __init__(self):
        super().__init__()
        self.pages = []
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "page":
            self.pages.append([])
        elif tag == "word":
            self.cur = [float(a["xmin"]), float(a["ymin"])]

    def handle_data(self, data):
        if self.cur is not None:
            self.pages[-1].append((data.strip(), self.cur[0], self.cur[1]))
            self.cur = None


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                         capture_output=True, text=True, check=True).stdout
    w = Words()
    w.feed(out)
    return w.pages


def top_bookmarks(pdf):
    """The top-level bookmarks: (title, page number)."""
    d = json.loads(subprocess.run(["qpdf", "--json", pdf],
                                  capture_output=True, text=True,
                                  check=True).stdout)
    return [(o["title"], o["destpageposfrom1"]) for o in d["outlines"]]


def main(argv):
    if argv[1] == "--portrait":
        pdf = argv[2]
        n, sizes = page_sizes(pdf)
        bad = [p for p in range(1, n + 1) if not is_size(sizes[p], *A4)]
        if bad:
            fail("%s: every page portrait" % pdf, "pages %s" % bad)
        else:
            ok("%s: all %d pages A4 portrait" % (pdf, n))
        return
    pdf, title, nrefs, header = argv[1], argv[2], int(argv[3]), argv[4:]
    n, sizes = page_sizes(pdf)
    marks = top_bookmarks(pdf)
    at = [i for i, (t, _) in enumerate(marks) if t == title]
    if not at:
        fail("bookmark %s" % title, "not found in %s" % marks)
        return
    first = marks[at[0]][1]
    last = marks[at[0] + 1][1] - 1 if at[0] + 1 < len(marks) else n
    plan = range(first, last + 1)
    if len(plan) < 2:
        fail("action plan pages", "only %s" % list(plan))
    for p in range(1, n + 1):
        want = (A4[1], A4[0]) if p in plan else A4
        kind = "landscape" if p in plan else "portrait"
        if is_size(sizes[p], *want):
            ok("page %d is A4 %s" % (p, kind))
        else:
            fail("page %d is A4 %s" % (p, kind), "%s x %s pt" % sizes[p])
    pages = words(pdf)
    seen = {}
    for p in plan:
        ws = pages[p - 1]
        refs = [w for w in ws if REF.match(w[0]) and w[1] < 62]
        # The header: its first words on one line, in column order.
        rows = {}
        for w in ws:
            rows.setdefault(round(w[2]), []).append(w)
        head_y = None
        for y, line in sorted(rows.items()):
            texts = [w[0] for w in sorted(line, key=lambda w: w[1])]
            it = iter(texts)
            if all(h in it for h in header):
                head_y = y
                break
        if head_y is None:
            fail("page %d: header row" % p, "no line with %s" % header)
        elif refs and min(r[2] for r in refs) <= head_y:
            fail("page %d: header row above the items" % p,
                 "header at %s, ref %s above it" % (head_y, min(refs)))
        elif refs and len({y for y in rows if head_y < y <
                           min(r[2] for r in refs) - 1}) > 1:
            fail("page %d: header on two lines at most" % p,
                 "lines at %s" % sorted(y for y in rows if head_y <= y <
                                        min(r[2] for r in refs) - 1))
        elif p != first and head_y > 130:
            fail("page %d: header row at the top" % p, "at y %s" % head_y)
        else:
            ok("page %d: header row (%s) at y %d, above its %d items"
               % (p, " ".join(header), head_y, len(refs)))
        for r in refs:
            seen.setdefault(r[0], set()).add(p)
    split = {r: sorted(ps) for r, ps in seen.items() if len(ps) > 1}
    if split:
        fail("no item split across pages", "%s" % split)
    else:
        ok("no item split across pages (%d refs)" % len(seen))
    if len(seen) != nrefs:
        fail("every action ref found", "%d, not %d: %s"
             % (len(seen), nrefs, sorted(seen)))
    else:
        ok("all %d action refs found" % nrefs)


if __name__ == "__main__":
    main(sys.argv)
    sys.exit(1 if failed else 0)
