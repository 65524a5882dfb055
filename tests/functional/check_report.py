#!/usr/bin/python3
"""Checks of csppack's PDF report, read back with poppler's pdftotext.

Used by report.sh.  Every check prints "ok - NAME" or "FAIL - NAME: why".

  order TEXT ITEM...        the items are lines of TEXT, in this order (an
                            item ending in "*" matches a line's start)
  contains TEXT STRING...   each string occurs in TEXT (whitespace
                            normalised; a string without spaces may be
                            broken over lines, as a checksum is)
  absent TEXT STRING...     no string occurs in TEXT (whitespace normalised)
  listed TEXT DATASET N     the data-quality section's "Errors and
                            warnings" table lists the first N errors and
                            warnings of dataset.xml DATASET, in its order
  actions TEMPLATE TEXT     every action of the template, "REF TEXT", occurs
                            in TEXT in template order (whitespace normalised)
  subseq WORDS TEXT NAME    the words of WORDS occur in TEXT in order
  pages TEXT N              "Page k of N" for every k from 1 to N
  bbox HTML                 on every page but the first, every word lies in
                            the header band, the text area or the footer
                            band, within the side margins (of the
                            page's own size: landscape pages too)
  outlines JSON TITLE...    the bookmarks (qpdf --json) include the titles
  toc PDF JSON FIRST LAST   the contents on pages FIRST..LAST: every entry
                            that is a bookmark (JSON: qpdf --json) has the
                            bookmark's page number, and that page shows
                            the title
  gen-template SRC DST N    the template with theme 3's plan grown to N
                            actions in all (refs 3.11 ...)
  gen-sections SRC DST N    the template with N more narrative sections
  gen-progress DST N        a submission whose progress for 1.1 has N words
  gen-word DST N            a submission whose progress for 1.1 is one word
                            of N letters "ж"
  gen-discrepancies DIR W D an inbox with W W405 warnings, D keys disputed
                            (2 x D E407 errors) and one I401 (a copy)
  count TEXT N              TEXT holds N letters "ж"
  exceptions TEXT CSV N     the summary (TEXT) lists every item that
                            actions.csv (CSV) says is off track or at risk
                            (the status that decides it), off track first,
                            each "Off track REF" / "At risk REF", N in all
  seepage TEXT JSON TITLE N TEXT says "and N more (see page P)." where P
                            is the page of the bookmark TITLE (qpdf --json)
"""
import datetime
import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = {"s": "urn:csppack:strategy:1"}


def ok(name):
    print("ok - " + name)


def fail(name, why):
    print("FAIL - %s: %s" % (name, why))


def norm(s):
    return " ".join(s.split())


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def cmd_order(text, items):
    lines = [norm(l) for l in read(text).splitlines()]
    pos = 0
    for item in items:
        prefix = item.endswith("*")
        want = item[:-1] if prefix else item
        found = None
        for i in range(pos, len(lines)):
            if (lines[i].startswith(want) if prefix else lines[i] == want):
                found = i
                break
        if found is None:
            fail("order: %s" % want, "not found as a line after line %d" % pos)
            return
        pos = found + 1
    ok("order: %d headings in order" % len(items))


def cmd_contains(text, strings):
    t = norm(read(text))
    packed = "".join(t.split())
    for s in strings:
        if norm(s) in t or (" " not in s and s in packed):
            ok("contains: %s" % s[:60])
        else:
            fail("contains: %s" % s[:60], "not in the text")


def listed_rows(text):
    """(code, "file:line") of each row of the data-quality section's
    "Errors and warnings" table, in order (pdftotext -raw: a code line,
    its severity on the next, then a line that starts with the file)."""
    lines = [norm(l) for l in read(text).splitlines()]
    try:
        start = lines.index("Errors and warnings")
    except ValueError:
        return None
    out = []
    for i in range(start, len(lines) - 2):
        if "are not listed here" in lines[i]:
            break
        if (re.fullmatch(r"[EWI]\d{3}", lines[i])
                and lines[i + 1] in ("error", "warning", "info")):
            out.append((lines[i], lines[i + 2].split(" ")[0]))
    return out


def cmd_listed(text, dataset, n):
    """The table lists the first N errors and warnings of dataset.xml
    (whose order is the dataset's, as the report's), in its order, and
    nothing for information."""
    n = int(n)
    want = []
    for d in ET.parse(dataset).getroot().iter():
        if d.tag.endswith("}diagnostic") and d.get("severity") != "info":
            f, line = d.get("file", "(the run)"), d.get("line")
            want.append((d.get("code"), "%s:%s" % (f, line) if line and
                         line != "0" else f))
    want = want[:n]
    got = listed_rows(text)
    if got is None:
        fail("listed", "no \"Errors and warnings\" table")
    elif got == want:
        ok("listed: the first %d errors and warnings of the dataset, in "
           "its order" % n)
    else:
        first = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                     min(len(got), len(want)))
        fail("listed", "%d rows, %d expected; first difference at row %d: "
             "%r, expected %r" % (len(got), len(want), first + 1,
                                  got[first:first + 1], want[first:first + 1]))

def cmd_exceptions(text, csvpath, n):
    import csv
    words = {"off-track": "Off track", "at-risk": "At risk"}
    # The status that decides an item: its first current row.
    decided = {}
    with open(csvpath, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["current"] == "yes" and row["ref"] not in decided:
                decided[row["ref"]] = row["status"]

    def plan_order(ref):
        return [int(x) for x in ref.split(".")]
    want = []
    for st in ("off-track", "at-risk"):
        want += ["%s %s" % (words[st], ref) for ref in
                 sorted((r for r, s in decided.items() if s == st),
                        key=plan_order)]
    t = norm(read(text))
    pos, missing = 0, []
    for w in want:
        i = t.find(w + " ", pos)
        if i < 0:
            missing.append(w)
        else:
            pos = i
    if len(want) != int(n):
        fail("exceptions", "%d items off track or at risk in actions.csv, "
             "%s expected" % (len(want), n))
    elif missing:
        fail("exceptions", "missing or out of order: %s" % missing)
    else:
        ok("exceptions: all %d off-track and at-risk items, in order" %
           len(want))


def cmd_seepage(text, js, title, n):
    data = json.loads(read(js))
    pages = []

    def walk(items):
        for it in items:
            if norm(it.get("title", "")) == norm(title):
                pages.append(it.get("destpageposfrom1"))
            walk(it.get("kids", []))
    walk(data.get("outlines", []))
    want = "and %s more (see page %s)." % (n, pages[0] if pages else "?")
    if pages and want in norm(read(text)):
        ok("seepage: %s" % want)
    else:
        fail("seepage", "no %r in the text" % want)


def cmd_absent(text, strings):
    t = norm(read(text))
    for s in strings:
        if norm(s) in t:
            fail("absent: %s" % s[:60], "in the text")
        else:
            ok("absent: %s" % s[:60])


def cmd_actions(template, text):
    root = ET.parse(template).getroot()
    t = norm(read(text))
    pos = 0
    n = 0
    for a in root.iter("{urn:csppack:strategy:1}action"):
        want = norm(a.get("ref") + " " + "".join(a.itertext()))
        i = t.find(want, pos)
        if i < 0:
            j = t.find(want)
            fail("action %s" % a.get("ref"),
                 "missing" if j < 0 else "out of order")
            return
        pos = i + len(want)
        n += 1
    ok("actions: all %d refs with their text, in order" % n)


def cmd_subseq(words, text, name):
    want = read(words).split()
    have = read(text).split()
    i = 0
    for w in have:
        if i < len(want) and w == want[i]:
            i += 1
    if i == len(want):
        ok("%s: all %d words in order" % (name, len(want)))
    else:
        fail(name, "word %d of %d (%r) not found in order" %
             (i + 1, len(want), want[i]))


def cmd_pages(text, n):
    t = read(text)
    n = int(n)
    missing = [k for k in range(1, n + 1) if "Page %d of %d" % (k, n) not in t]
    if missing:
        fail("page numbers", "no \"Page k of %d\" for k in %s" % (n, missing[:10]))
    else:
        ok("page numbers: Page 1 of %d ... Page %d of %d" % (n, n, n))
    if re.search(r"Page \d+ of (?!%d\b)\d+" % n, t):
        fail("page totals", "a footer names another total")
    else:
        ok("page totals all %d" % n)


def cmd_bbox(path):
    doc = read(path)
    bad = []
    words = 0
    for pi, page in enumerate(re.findall(r"<page (.*?)</page>", doc, re.S), 1):
        if pi == 1:
            continue  # the cover is laid out freely
        # Each page's own size: the action plan's pages are landscape.
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        pw, ph = (float(size.group(1)), float(size.group(2))) if size \
            else (595.28, 841.89)
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                             r'xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            x0, y0, x1, y1 = (float(m.group(k)) for k in range(1, 5))
            words += 1
            header = y1 <= 42.0
            body = y0 >= 60.0 and y1 <= ph - 56.89
            footer = y0 >= ph - 44.89 and y1 <= ph
            # Footnotes end 6 pt above the footer's rule (layout
            # footnote.c): below the body's band, clear of the footer.
            notes = y0 >= ph - 71.89 and y1 <= ph - 49.89
            inside = x0 >= 49.0 and x1 <= pw - 49.0
            if not ((header or body or notes or footer) and inside):
                bad.append("page %d: %r at (%.1f, %.1f)-(%.1f, %.1f)" %
                           (pi, html.unescape(m.group(5)), x0, y0, x1, y1))
    if bad:
        fail("layout bounds", "%d words outside the text area, e.g. %s" %
             (len(bad), "; ".join(bad[:3])))
    else:
        ok("layout bounds: %d words within the margins and bands" % words)


def cmd_outlines(path, titles):
    data = json.loads(read(path))
    seen = []

    def walk(items):
        for it in items:
            seen.append(norm(it.get("title", "")))
            walk(it.get("kids", []))

    walk(data.get("outlines", []))
    missing = [t for t in titles if norm(t) not in seen]
    if missing:
        fail("bookmarks", "missing %s (have %s)" % (missing, seen[:20]))
    else:
        ok("bookmarks: %d of %d sections found" % (len(titles), len(seen)))


def page_text(pdf, k):
    return subprocess.run(["pdftotext", "-raw", "-f", str(k), "-l", str(k),
                           pdf, "-"], capture_output=True, check=True,
                          text=True).stdout


def cmd_toc(pdf, js, first, last):
    data = json.loads(read(js))
    marks = {}  # title -> the pages of its bookmarks, in document order

    def walk(items):
        for it in items:
            marks.setdefault(norm(it.get("title", "")), []).append(
                it.get("destpageposfrom1"))
            walk(it.get("kids", []))

    walk(data.get("outlines", []))
    entries = 0
    for k in range(int(first), int(last) + 1):
        for line in page_text(pdf, k).splitlines():
            m = re.match(r"^(.*\S) (\d+)$", norm(line))
            if not m or not marks.get(m.group(1)):
                continue
            title, num = m.group(1), int(m.group(2))
            want = marks[title].pop(0)
            entries += 1
            if num != want:
                fail("contents: %s" % title, "page %d, bookmark says %s" %
                     (num, want))
                return
            bare = re.sub(r"^\d+\. ", "", title)
            whole = norm(page_text(pdf, num))
            if title not in whole and bare not in whole:
                fail("contents: %s" % title, "not on page %d" % num)
                return
    if entries == 0:
        fail("contents", "no entries found on pages %s-%s" % (first, last))
    else:
        ok("contents: %d entries with the right page numbers" % entries)


def cmd_gen_sections(src, dst, n):
    t = read(src)
    at = t.index('<section id="action-plan-intro"')
    extra = "".join(
        '<section id="extra-%d" title="Extra section %d"><p>Text of extra '
        'section %d.</p></section>\n  ' % (k, k, k)
        for k in range(1, int(n) + 1))
    with open(dst, "w", encoding="utf-8") as f:
        f.write(t[:at] + extra + t[at:])


def cmd_gen_template(src, dst, n):
    n = int(n)
    t = read(src)
    total = len(re.findall(r"<action ref=", t))
    have3 = len(re.findall(r'<action ref="3\.', t))
    extra = []
    for k in range(have3 + 1, have3 + 1 + n - total):
        extra.append(
            '        <action ref="3.%d" groups="csus" groups-label="CSUs" '
            'priorities="asb" priorities-label="ASB">Stress action number '
            '%d: to coordinate item%d with partner agencies, reviewing '
            'progress quarterly (check%d).</action>\n' % (k, k, k, k))
    end = t.rfind("</actions>")
    t = t[:end] + "".join(extra) + "      " + t[end:]
    with open(dst, "w", encoding="utf-8") as f:
        f.write(t)


def cmd_gen_progress(dst, n):
    n = int(n)
    words = []
    for i in range(1, n + 1):
        if i % 97 == 0:
            words.append("Zo\u00eb\u2019s")
        elif i % 89 == 0:
            words.append("\u00a3%d" % i)
        elif i % 83 == 0:
            words.append("caf\u00e9\u2013bar")
        elif i % 500 == 0:
            words.append("\n\n")
        else:
            words.append("w%d" % i)
    text = " ".join(words)
    with open(dst + ".words", "w", encoding="utf-8") as f:
        f.write(text)
    with open(dst, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<submission xmlns="urn:csppack:submission:1" '
                'strategy="dg-csp-2016-19" agency="kcc" '
                'submitted="2016-12-01T09:00:00Z">\n'
                '  <submitter name="Zo\u00eb Stress" '
                'email="zoe@kcc.example"/>\n'
                '  <actions>\n'
                '    <update ref="1.1" status="at-risk" as-of="2016-09-30">' +
                html.escape(text, quote=False) + '</update>\n'
                '  </actions>\n'
                '</submission>\n')


def cmd_gen_word(dst, n):
    with open(dst, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<submission xmlns="urn:csppack:submission:1" '
                'strategy="dg-csp-2016-19" agency="kcc" '
                'submitted="2016-12-01T09:00:00Z">\n'
                '  <submitter name="Z" email="z@kcc.example"/>\n'
                '  <actions><update ref="1.1" status="at-risk" '
                'as-of="2016-09-30">' + "\u0436" * int(n) +
                '</update></actions>\n</submission>\n')


def month_periods(n):
    """n distinct periods, all within the strategy's years and ending by
    30 September 2016, before the files' submitted times: so that they
    raise no W410, W411 or W412 of their own (doc/diagnostics.md).  Each
    starts one day later than the one before from 1 January 2013, a
    thousand at a time, each thousand ending a day earlier."""
    start, end = datetime.date(2013, 1, 1), datetime.date(2016, 9, 30)
    one = datetime.timedelta(days=1)
    return ["%s/%s" % (start + (i % 1000) * one, end - (i // 1000) * one)
            for i in range(n)]


def submission(agency, submitted, obs):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<submission xmlns="urn:csppack:submission:1" '
            'strategy="dg-csp-2016-19" agency="%s" submitted="%s">\n'
            '  <submitter name="Test" email="test@example.org"/>\n'
            '  <observations>\n%s  </observations>\n</submission>\n'
            % (agency, submitted, "".join(
                '    <obs indicator="%s" area="%s" period="%s" '
                'value="%d"/>\n' % o for o in obs)))


def cmd_gen_discrepancies(dst, warnings, disputes):
    """An inbox with exactly WARNINGS W405 (Kent County Council's violent
    crimes differ from Kent Police's, the owner's, month by month),
    2 x DISPUTES E407 (MEAM referrals, which no agency owns, disputed by
    Kent County Council and the CCG month by month: one E407 for each
    claim) and one I401 (a file sent twice)."""
    w, e = int(warnings), int(disputes)
    pw, pe = month_periods(w), month_periods(e)
    police = submission("kent-police", "2016-10-21T11:40:00+01:00",
                        [("violent-crime", "dartford", p, 100 + i)
                         for i, p in enumerate(pw)])
    kcc = submission("kcc", "2016-10-24T09:00:00+01:00",
                     [("violent-crime", "dartford", p, 200 + i)
                      for i, p in enumerate(pw)] +
                     [("meam-referrals", "dartford", p, 10)
                      for p in pe])
    ccg = submission("dgs-ccg", "2016-10-25T09:00:00+01:00",
                     [("meam-referrals", "dartford", p, 20) for p in pe])
    for name, text in [("police.xml", police), ("police-again.xml", police),
                       ("kcc.xml", kcc), ("ccg.xml", ccg)]:
        with open("%s/%s" % (dst, name), "w", encoding="utf-8") as f:
            f.write(text)


def cmd_count(text, n):
    have = read(text).count("\u0436")
    if have == int(n):
        ok("one word of %s letters: every letter drawn" % n)
    else:
        fail("one long word", "%d of %s letters in the text" % (have, n))


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    cmd, args = argv[1], argv[2:]
    {
        "order": lambda: cmd_order(args[0], args[1:]),
        "contains": lambda: cmd_contains(args[0], args[1:]),
        "absent": lambda: cmd_absent(args[0], args[1:]),
        "listed": lambda: cmd_listed(args[0], args[1], args[2]),
        "actions": lambda: cmd_actions(args[0], args[1]),
        "subseq": lambda: cmd_subseq(args[0], args[1], args[2]),
        "pages": lambda: cmd_pages(args[0], args[1]),
        "bbox": lambda: cmd_bbox(args[0]),
        "outlines": lambda: cmd_outlines(args[0], args[1:]),
        "gen-word": lambda: cmd_gen_word(args[0], args[1]),
        "count": lambda: cmd_count(args[0], args[1]),
        "exceptions": lambda: cmd_exceptions(args[0], args[1], args[2]),
        "seepage": lambda: cmd_seepage(args[0], args[1], args[2], args[3]),
        "toc": lambda: cmd_toc(args[0], args[1], args[2], args[3]),
        "gen-sections": lambda: cmd_gen_sections(args[0], args[1], args[2]),
        "gen-template": lambda: cmd_gen_template(args[0], args[1], args[2]),
        "gen-progress": lambda: cmd_gen_progress(args[0], args[1]),
        "gen-discrepancies": lambda: cmd_gen_discrepancies(args[0], args[1],
                                                           args[2]),
    }[cmd]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
