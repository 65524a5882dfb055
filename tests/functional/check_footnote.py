#!/usr/bin/python3
"""The strategy report's footnote is a footnote (tests/functional/wording.sh).

Usage: check_footnote.py REPORT.pdf

In `pdftotext -bbox` (y grows downwards) the word ending the sentence
("gangs.'") is followed on its line by the mark "1": smaller than the
word, raised above it, right after it.  On the same page, below every
line of body text and above the footer, the note ("1 Definition ...")
starts within the foot of the page; `mutool draw -F stext` shows its
title "Dying to Belong" in an italic (oblique) face and the note at
8 pt or more.  Prints "ok - ..." / "FAIL - ..." lines; exits 1 on a
failure.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

failed = 0


def check(what, cond, detail=""):
    global failed
    if cond:
        print("ok - %s" % what)
    else:
        failed += 1
        print("FAIL - %s: %s" % (what, detail))


def words(pdf):
    """[(page number, page height, [(text, xmin, ymin, xmax, ymax)])]."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True,
                         capture_output=True).stdout
    root = ET.fromstring(out)
    pages = []
    for n, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"),
                             1):
        ws = [(w.text or "", float(w.get("xMin")), float(w.get("yMin")),
               float(w.get("xMax")), float(w.get("yMax")))
              for w in page.iter("{http://www.w3.org/1999/xhtml}word")]
        pages.append((n, float(page.get("height")), ws))
    return pages


def main():
    pdf = sys.argv[1]
    found = None
    for n, height, ws in words(pdf):
        for i in range(len(ws) - 1):
            if ws[i][0] == "gangs.\u2019" and ws[i + 1][0] == "1":
                found = (n, height, ws, i)
    check("the sentence's mark follows it", found is not None,
          "no 'gangs.\u2019' followed by '1'")
    if not found:
        return
    n, height, ws, i = found
    word, mark = ws[i], ws[i + 1]
    wh, mh = word[4] - word[2], mark[4] - mark[2]
    # 8 pt (the smallest type) beside 9.5 pt body text.
    check("the mark is smaller than the text", mh < 0.9 * wh,
          "mark %.1f pt high, word %.1f" % (mh, wh))
    check("the mark is raised (superscript)",
          mark[4] < word[4] - 2 and mark[2] <= word[2] + 0.5,
          "mark y %.1f-%.1f, word y %.1f-%.1f" % (mark[2], mark[4], word[2],
                                                 word[4]))
    check("the mark touches the word", abs(mark[1] - word[3]) < 1,
          "gap %.2f pt" % (mark[1] - word[3]))
    # The note: "1" then "Definition" on one line, on the same page.
    note = None
    for k in range(len(ws) - 1):
        if ws[k][0] == "1" and ws[k + 1][0] == "Definition" and \
                abs(ws[k][2] - ws[k + 1][2]) < 1:
            note = ws[k + 1]
    check("the note is on the page of its mark", note is not None,
          "no '1 Definition' on page %d" % n)
    if not note:
        return
    footer_top = height - 44  # the footer's rule (layout engine.h)
    body = [w for w in ws if w[4] < footer_top and w is not note and
            w[2] < note[2] - 1]
    lowest = max(w[4] for w in body)
    check("the note is below the text, at the foot of the page",
          note[2] > lowest and note[4] < footer_top and
          note[2] > height - 110,
          "note y %.1f-%.1f, lowest text %.1f, page %.1f" %
          (note[2], note[4], lowest, height))
    # Fonts: the title in italics, the note at 8 pt or more.
    st = subprocess.run(["mutool", "draw", "-F", "stext", "-o", "-", pdf,
                         str(n)], check=True, capture_output=True).stdout
    root = ET.fromstring(st)
    faces = {}
    sizes = {}
    for line in root.iter("line"):
        for font in line.iter("font"):
            text = "".join(c.get("c", "") for c in font.iter("char"))
            for w in ("Dying", "Belong", "Definition"):
                if w in text:
                    faces[w] = font.get("name")
                    sizes[w] = float(font.get("size"))
    italic = re.compile("Oblique|Italic", re.I)
    check("the title is in an italic face",
          all(italic.search(faces.get(w, "")) for w in ("Dying", "Belong")),
          faces)
    check("the note's words are upright", "Definition" in faces and
          not italic.search(faces["Definition"]), faces)
    check("the note is set at 8 pt or more",
          sizes and min(sizes.values()) >= 8, sizes)
    fonts = subprocess.run(["pdffonts", pdf], check=True,
                           capture_output=True, text=True).stdout
    check("pdffonts lists an italic font", italic.search(fonts) is not None,
          fonts)


main()
sys.exit(1 if failed else 0)
