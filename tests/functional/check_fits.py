#!/usr/bin/python3
"""Every word of a PDF lies on its page (tests/functional/fits.sh).

Usage: check_fits.py BBOX.html LABEL [MARGIN]

BBOX.html is `pdftotext -bbox-layout` output.  A word passes when its box
lies inside the page's media box less MARGIN points (default 4) on every
side.  poppler drops characters wholly outside the page, so a line that
runs off keeps the character across the edge, whose box then fails.
Nor may two words lie on each other (more than a quarter of the smaller
box): text run into its neighbour, as titles side by side did.
Prints "ok - ..." or "FAIL - ..." lines, one per page that fails.
"""
import html
import re
import sys


def main():
    path, label = sys.argv[1], sys.argv[2]
    margin = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                       doc, re.S)
    if not pages:
        print("FAIL - %s: no pages in %s" % (label, path))
        return 1
    words = 0
    failed = 0
    for pi, (pw, ph, body) in enumerate(pages, 1):
        pw, ph = float(pw), float(ph)
        bad = []
        for m in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" '
                             r'xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>',
                             body):
            x0, y0, x1, y1 = (float(m.group(k)) for k in range(1, 5))
            words += 1
            if (x0 < margin or y0 < margin or x1 > pw - margin or
                    y1 > ph - margin):
                bad.append("%r at (%.1f, %.1f)-(%.1f, %.1f)" %
                           (html.unescape(m.group(5)), x0, y0, x1, y1))
        boxes = [(float(m.group(1)), float(m.group(2)), float(m.group(3)),
                  float(m.group(4)), html.unescape(m.group(5)))
                 for m in re.finditer(r'<word xMin="([-\d.]+)" '
                                      r'yMin="([-\d.]+)" xMax="([-\d.]+)" '
                                      r'yMax="([-\d.]+)">(.*?)</word>', body)]
        boxes.sort()
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if b[0] >= a[2]:
                    break
                w = min(a[2], b[2]) - max(a[0], b[0])
                h = min(a[3], b[3]) - max(a[1], b[1])
                small = min((a[2] - a[0]) * (a[3] - a[1]),
                            (b[2] - b[0]) * (b[3] - b[1]))
                if w > 0 and h > 0 and w * h > 0.25 * small:
                    bad.append("%r on %r at (%.1f, %.1f)" %
                               (a[4], b[4], b[0], b[1]))
        if bad:
            failed += 1
            print("FAIL - %s page %d: %d words off the page or on each "
                  "other, e.g. %s" %
                  (label, pi, len(bad), "; ".join(bad[:3])))
    if not failed:
        print("ok - %s: all %d words of %d pages on the page, none on "
              "another" %
              (label, words, len(pages)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
