#!/usr/bin/python3
"""Each diagram of a template is drawn where its text introduces it
(tests/functional/diagrams.sh).

Usage: check_diagrams.py BBOX.html TEMPLATE.xml LABEL

BBOX.html is `pdftotext -bbox-layout` output of the strategy report.
For every <diagram> of TEMPLATE.xml, the text that introduces it is the
last paragraph before it (diagrams in between are passed over), or the
title of its section when no paragraph comes before it.  That text is found on a page; each box label of the diagram
(its nodes' labels, or for of="priorities" the priorities' names and
the numbered themes' titles) must then be found on the same page as a
run of words below the introducing text, every word inside the page
less 4 points, and set at 8 points or more (poppler makes a word's box
1.163 times as high as its type in csppack's font: 10.47 at 9 pt,
8.72 at 7.5 pt).  Prints "ok - ..." or "FAIL - ..." lines.
"""
import html
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:csppack:strategy:1}"
MARGIN = 4.0
MIN_SIZE = 8.0
BOX_PER_POINT = 1.163


def words_of(text):
    return text.split()


def pages_of(path):
    """[(width, height, [(word, xmin, ymin, xmax, ymax)])] in reading order."""
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    out = []
    for w, h, body in re.findall(
            r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', doc,
            re.S):
        ws = [(html.unescape(t), float(a), float(b), float(c), float(d))
              for a, b, c, d, t in re.findall(
                  r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                  r'yMax="([\d.]+)">([^<]*)</word>', body)]
        out.append((float(w), float(h), ws))
    return out


def find_run(ws, want, below=None):
    """Start indices of the runs of ws whose words are want, in order."""
    n = len(want)
    hits = []
    for i in range(len(ws) - n + 1):
        if all(ws[i + k][0] == want[k] for k in range(n)):
            if below is None or all(ws[i + k][2] > below for k in range(n)):
                hits.append(i)
    return hits


def diagrams(tpl_path):
    """[(id, intro text, [labels])] of the template's diagrams."""
    root = ET.parse(tpl_path).getroot()
    first = int(root.get("first-year", "0").split("/")[0])
    prios = []
    for p in root.iter(NS + "priority"):
        name = " ".join(p.get("name").split())
        since = p.get("since")
        if since and int(since.split("/")[0]) > first:
            name += " (from %s)" % since
        prios.append(name)
    themes = ["%s. %s" % (t.get("number"), " ".join(t.get("title").split()))
              for t in root.iter(NS + "theme")]
    out = []

    def walk(section):
        prev = None
        for child in section:
            if child.tag == NS + "diagram":
                intro = ("".join(prev.itertext()) if prev is not None
                         else section.get("title"))
                if child.get("of") == "priorities":
                    labels = prios + themes
                else:
                    labels = [n.get("label") for n in child.iter(NS + "node")]
                out.append((child.get("id"), " ".join(intro.split()),
                            [" ".join(l.split()) for l in labels]))
            elif child.tag == NS + "section":
                walk(child)
            if child.tag == NS + "p":
                prev = child
            elif child.tag != NS + "diagram" and \
                    not isinstance(child.tag, type(ET.Comment)):
                prev = None
    for s in root.iter(NS + "section"):
        if s.get("id"):
            walk(s)
    return out


def main():
    bbox, tpl, label = sys.argv[1], sys.argv[2], sys.argv[3]
    pages = pages_of(bbox)
    found = diagrams(tpl)
    if not found:
        print("FAIL - %s: no <diagram> in %s" % (label, tpl))
        return 1
    failed = 0
    for did, intro, labels in found:
        iw = words_of(intro)
        where = None
        # The last page that has it: a sub-section's title, introducing
        # its diagram, is in the contents too.
        for pno in reversed(range(len(pages))):
            pw, ph, ws = pages[pno]
            hits = find_run(ws, iw[-6:])
            if hits and find_run(ws, iw[:6]):
                # The introducing text ends at the bottom of its last word.
                end = hits[0] + min(6, len(iw)) - 1
                where = (pno, ws[end][4])
                break
        if where is None:
            print("FAIL - %s: %s: its introducing text (%s...) is on no "
                  "page" % (label, did, " ".join(iw[:6])))
            failed += 1
            continue
        pno, bottom = where
        pw, ph, ws = pages[pno]
        bad = []
        for lab in labels:
            hits = find_run(ws, words_of(lab), below=bottom)
            if not hits:
                bad.append("%r not found below the text on page %d"
                           % (lab, pno + 1))
                continue
            i = hits[0]
            for k in range(len(words_of(lab))):
                t, x0, y0, x1, y1 = ws[i + k]
                if x0 < MARGIN or y0 < MARGIN or x1 > pw - MARGIN or \
                        y1 > ph - MARGIN:
                    bad.append("%r runs off page %d" % (t, pno + 1))
                size = (y1 - y0) / BOX_PER_POINT
                if size < MIN_SIZE - 0.05:
                    bad.append("%r is set at %.1f pt, under %g pt"
                               % (t, size, MIN_SIZE))
        if bad:
            failed += 1
            print("FAIL - %s: %s: %s" % (label, did, "; ".join(bad[:6])))
        else:
            print("ok - %s: %s: %d boxes on page %d below \"...%s\""
                  % (label, did, len(labels), pno + 1, " ".join(iw[-4:])))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
