#!/usr/bin/python3
"""How a PDF report is typeset (tests/functional/page-fill.sh).

Usage: check_pages.py CHECK REPORT.pdf LABEL [TEMPLATE.xml [TITLE...]]

CHECK is one of:
  fill     no page is below half full (the share of the text area, the
           page less a 50 pt band at the top and the bottom, above the
           lowest word, from `pdftotext -bbox`), unless it is the
           document's last page or the last page of a chapter: the next
           page starts a level-0 bookmark.  With TITLEs, only a chapter
           of one of those titles (or any, for "*") excuses the page
           before it: the others follow on a short page, unless the
           page turns (portrait after landscape, or the reverse): a
           chapter on a page of the other orientation starts it.  The
           cover and the contents (the first two level-0 bookmarks) end
           their pages: the chapter after them always starts one.
  type     no text is set below 8 pt (every Tf operator of every content
           stream, from `qpdf --qdf`), and most of the text (the size
           that sets the most characters) is at 9 pt or more.
  headers  every running header is whole: the text in the header band,
           its lines joined, is the document's title at the left and, at
           the right, a level-0 bookmark's title or a short title of
           TEMPLATE (a theme's numbered as its title is), never cut.
  outline  the bookmarks nest as the headings do (a bookmark whose title
           is drawn as a heading where it points is set smaller than its
           parent's), and the contents lists every section: each
           bookmark of the top two levels but the cover's, its own and
           a sub-heading's (drawn at 10.5 pt or less).
Prints "ok - ..." or "FAIL - ..." lines.
"""
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HEADER_BAND = 800.0  # PDF y above which the running header lies
FILL_MIN = 0.5
TYPE_MIN = 8.0
BODY_MIN = 9.0
INK = (0.13, 0.13, 0.13)
SUBHEAD_MAX = 10.5  # a level-2 heading's size: not a section  # body and table text's colour


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def outline(pdf):
    """[(depth, title, page (1 first), y, parent index or None)], in order."""
    data = json.loads(run("qpdf", "--json", "--json-key=outlines", pdf))
    out = []

    def walk(items, depth, parent):
        for o in items:
            dest = o.get("dest") or []
            y = dest[2] if len(dest) > 2 and isinstance(dest[2], (int, float)) \
                else None
            out.append((depth, o["title"], o.get("destpageposfrom1"), y,
                        parent))
            walk(o.get("kids", []), depth + 1, len(out) - 1)

    walk(data.get("outlines", []), 0, None)
    return out


def runs(pdf):
    """Per page (0 first): [(size, x, y, text, colour)] of every text
    run drawn as libharu draws them (BT /F Tf rg x y Td <hex> Tj ET), and
    every font size set on the page (all Tf operators)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as q:
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", pdf,
                        q.name], check=True)
        data = open(q.name, "rb").read().decode("latin-1")
    pages = {}
    for m in re.finditer(r"%% Contents for page (\d+)\n.*?stream\n(.*?)"
                         r"endstream", data, re.S):
        pages.setdefault(int(m.group(1)) - 1, []).append(m.group(2))
    texts, sizes = [], []
    for i in range(len(pages)):
        body = "\n".join(pages.get(i, []))
        sizes.append([float(s) for s in
                      re.findall(r"/\S+\s+([-\d.]+)\s+Tf\b", body)])
        page = []
        for m in re.finditer(r"/\S+\s+([\d.]+)\s+Tf\s+(?:([-\d. ]+)rg\s+)?"
                             r"([-\d.]+)\s+([-\d.]+)\s+Td\s*<([0-9a-fA-F]*)>"
                             r"\s*Tj", body):
            raw = bytes.fromhex(m.group(5))
            page.append((float(m.group(1)), float(m.group(3)),
                         float(m.group(4)), raw.decode("utf-16-be", "replace"),
                         tuple(float(v) for v in (m.group(2) or "").split())))
        texts.append(page)
    return texts, sizes


def squash(s):
    return " ".join(s.split())


def check_fill(pdf, label, titles):
    html = run("pdftotext", "-bbox", pdf, "-").decode("utf-8")
    pages = re.split(r"<page ", html)[1:]
    chapters = [(t, p) for d, t, p, _, _ in outline(pdf) if d == 0]
    widths = [float(re.search(r'width="([0-9.]+)"', page).group(1))
              for page in pages]
    starts = {p for i, (t, p) in enumerate(chapters)
              if not titles or "*" in titles or squash(t) in titles or i == 2
              or (1 < p <= len(widths) and widths[p - 1] != widths[p - 2])}
    bad = 0
    for n, page in enumerate(pages, 1):
        height = float(re.search(r'height="([0-9.]+)"', page).group(1))
        top, bottom = 50.0, height - 50.0
        lows = [float(y) for y in re.findall(r'yMax="([0-9.]+)"', page)
                if top < float(y) < bottom]
        fill = (max(lows) - top) / (bottom - top) if lows else 0.0
        if fill >= FILL_MIN or n == len(pages) or n + 1 in starts:
            continue
        bad += 1
        print("FAIL - %s: page %d of %d is %.0f%% full and no chapter that "
              "starts a page follows it" % (label, n, len(pages), fill * 100))
    if not bad:
        print("ok - %s: every page but a chapter's last is at least half "
              "full (%d pages)" % (label, len(pages)))


def check_type(pdf, label):
    texts, sizes = runs(pdf)
    small = sorted({s for page in sizes for s in page if s < TYPE_MIN})
    if small:
        print("FAIL - %s: text set at %s pt, under %g pt" %
              (label, ", ".join("%g" % s for s in small), TYPE_MIN))
    else:
        print("ok - %s: no text under %g pt (%d font settings)" %
              (label, TYPE_MIN, sum(len(p) for p in sizes)))
    # Body and table text is set in the ink colour; small print (notes,
    # captions, furniture) in grey.  Ink under 9 pt is a legend's or a
    # key's few words at most.
    chars = {}
    for page in texts:
        for size, _, y, text, colour in page:
            if colour == INK and 40 < y < HEADER_BAND:
                chars[size] = chars.get(size, 0) + len(text.strip())
    body = max(chars, key=chars.get) if chars else 0
    under = sum(n for s, n in chars.items() if s < BODY_MIN)
    share = under / max(1, sum(chars.values()))
    if body < BODY_MIN or share > 0.03:
        print("FAIL - %s: body text at %g pt, %.1f%% of the body and table "
              "text under %g pt" % (label, body, share * 100, BODY_MIN))
    else:
        print("ok - %s: body text at %g pt, %.1f%% of the body and table "
              "text (keys) under %g pt" % (label, body, share * 100, BODY_MIN))


def header_blocks(page):
    """The running header's left and right text, lines joined."""
    band = [r for r in page if r[2] > HEADER_BAND]
    left = [r for r in band if abs(r[1] - 51.0) < 0.5]
    right = [r for r in band if abs(r[1] - 51.0) >= 0.5]
    join = lambda rs: squash(" ".join(r[3] for r in
                                      sorted(rs, key=lambda r: -r[2])))
    return join(left), join(right)


def short_titles(template):
    if not template:
        return set()
    root = ET.parse(template).getroot()
    names = set()
    for el in root.iter():
        st = el.get("short-title")
        if st is None:
            continue
        if el.tag.endswith("}theme") or el.tag == "theme":
            names.add("%s. %s" % (el.get("number"), squash(st)))
        else:
            names.add(squash(st))
    return names


def check_headers(pdf, label, template):
    texts, _ = runs(pdf)
    known = {squash(t) for d, t, _, _, _ in outline(pdf) if d == 0}
    known |= short_titles(template)
    titles = set()
    bad = 0
    for n, page in enumerate(texts, 1):
        left, right = header_blocks(page)
        if not left and not right:
            continue  # a cover
        titles.add(left)
        if "\u2026" in left + right or (right and right not in known):
            bad += 1
            print("FAIL - %s: page %d's running header \"%s\" is not a "
                  "heading or a short title" % (label, n, right))
    if len(titles) > 1:
        bad += 1
        print("FAIL - %s: running titles differ: %s" % (label, sorted(titles)))
    if not bad:
        print("ok - %s: every running header is whole (%d pages)" %
              (label, len(texts)))


def drawn_size(texts, title, page, y):
    """The size of the heading a bookmark points at: a run just below its
    destination that starts its title."""
    if not page or y is None or page > len(texts):
        return None
    title = squash(title)
    best = None
    for size, _, ry, text, _ in texts[page - 1]:
        t = squash(text)
        if (t and y - 70 < ry <= y and title.startswith(t) and
                len(t) >= min(len(title), 6)):
            if best is None or ry > best[0]:
                best = (ry, size)
    return best[1] if best else None


def contents_title(template):
    """The contents' heading: the template's "contents" label, else
    "Contents"."""
    if template:
        for lab in ET.parse(template).getroot().iter():
            if lab.tag.endswith("}label") and lab.get("key") == "contents":
                return squash(lab.text or "")
    return "Contents"


def check_outline(pdf, label, template=None):
    texts, _ = runs(pdf)
    marks = outline(pdf)
    size = [drawn_size(texts, t, p, y) for _, t, p, y, _ in marks]
    bad = 0
    for i, (d, t, p, y, parent) in enumerate(marks):
        if parent is None or size[i] is None or size[parent] is None:
            continue
        if size[i] >= size[parent]:
            bad += 1
            print("FAIL - %s: bookmark \"%s\" (a %g pt heading) is nested "
                  "under \"%s\" (%g pt)" % (label, t, size[i],
                                            marks[parent][1], size[parent]))
    if not bad:
        print("ok - %s: the bookmarks nest as the headings do (%d)" %
              (label, len(marks)))
    # The contents: from the page its own bookmark (a level-0 one that
    # the contents does not list) points at, to the next one's.
    # Sections: bookmarks of the top two levels but a level-2 heading's
    # (set at 10.5 pt or less: a sub-heading in a section's text).
    listed = [m for i, m in enumerate(marks) if m[0] <= 1 and
              (size[i] is None or size[i] > SUBHEAD_MAX)]
    own = [m for m in marks if m[0] == 0 and m[1] in
           (contents_title(template), "In this pack")]
    if not own:
        print("FAIL - %s: no contents bookmark" % label)
        return
    first = own[0][2]
    nxt = min([m[2] for m in marks if m[0] == 0 and m[2] > first] or
              [first + 1])
    text = squash(run("pdftotext", "-f", str(first), "-l", str(nxt - 1),
                      "-layout", pdf, "-").decode("utf-8"))
    missing = [m[1] for m in listed if m[1] not in ("Cover", own[0][1]) and
               squash(m[1]) not in text]
    if missing:
        print("FAIL - %s: the contents omit %s" %
              (label, "; ".join('"%s"' % m for m in missing)))
    else:
        print("ok - %s: the contents list every section (%d)" %
              (label, len(listed) - 1))


def main():
    check, pdf, label = sys.argv[1:4]
    template = sys.argv[4] if len(sys.argv) > 4 else None
    titles = {squash(t) for t in sys.argv[5:]}
    if check == "fill":
        check_fill(pdf, label, titles)
    elif check == "type":
        check_type(pdf, label)
    elif check == "headers":
        check_headers(pdf, label, template)
    elif check == "outline":
        check_outline(pdf, label, template)
    else:
        print("FAIL - %s: no check %s" % (label, check))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
