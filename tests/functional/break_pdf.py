#!/usr/bin/python3
"""Make a deliberately broken copy of a PDF, for check_pdfa.py's bad cases.

    break_pdf.py CASE IN.pdf OUT.pdf

The copy is qpdf's QDF form of IN (objects and streams in plain text),
edited as CASE says, its /ID made two equal strings again (qpdf writes a
new second one) and its offsets and lengths repaired with fix-qdf.  CASE
"none" only rewrites: check_pdfa.py must pass that copy, so a failure
of the others is the edit's.  Cases (and the check each must fail):

  none          nothing
  header        %PDF-1.3                                  header
  lang          /Lang (fr-FR)                             lang
  doctitle      /DisplayDocTitle false                    doctitle
  metadata      the XMP is not well-formed XML             metadata
  xmp-title     dc:title differs from Info's /Title        xmp-info
  xmp-date      xmp:CreateDate in another zone             xmp-info
  pdfaid        pdfaid:part 1                             pdfaid
  intent        /S /GTS_PDFX                              outputintent
  icc           the ICC profile's /N 4                    outputintent
  font          FontFile2 renamed (not embedded)          fonts
  tounicode     the ToUnicode map as begincidrange        fonts
  smask         an ExtGState with a soft mask             transparency
  alpha         an ExtGState with /ca 0.5                 transparency
  javascript    a JavaScript /OpenAction                  actions
  annot         a link annotation without the print flag  annotations
  id            two different /ID strings                 id
  encrypt       encrypted (qpdf, empty passwords)         encrypt
"""
import re
import subprocess
import sys
import tempfile
import os


def sub1(pattern, repl, data, case):
    new, n = re.subn(pattern, repl, data, count=1)
    if n != 1:
        sys.exit("break_pdf: %s: %r not found" % (case, pattern))
    return new


EDITS = {
    "lang": (rb"/Lang \(en-GB\)", rb"/Lang (fr-FR)"),
    "doctitle": (rb"/DisplayDocTitle true", rb"/DisplayDocTitle false"),
    "metadata": (rb"</x:xmpmeta>", rb"</x:xmpmetb>"),
    "xmp-title": (rb"(<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>)",
                  rb"\1Not the title: "),
    "xmp-date": (rb"Z</xmp:CreateDate>", rb"+01:00</xmp:CreateDate>"),
    "pdfaid": (rb"<pdfaid:part>2<", rb"<pdfaid:part>1<"),
    "intent": (rb"/S /GTS_PDFA1", rb"/S /GTS_PDFX"),
    "icc": (rb"/N 3\b", rb"/N 4"),
    "font": (rb"/FontFile2", rb"/FontFileX"),
    "tounicode": (rb"beginbfrange", rb"begincidrange"),
    "smask": (rb"/Resources <<",
              rb"/Resources << /ExtGState << /GS9 << /Type /ExtGState "
              rb"/SMask << /Type /Mask /S /Alpha /G 5 0 R >> >> >>"),
    "alpha": (rb"/Resources <<",
              rb"/Resources << /ExtGState << /GS9 << /Type /ExtGState "
              rb"/ca 0.5 >> >>"),
    "javascript": (rb"/Type /Catalog",
                   rb"/Type /Catalog /OpenAction << /S /JavaScript "
                   rb"/JS (app.alert\\(1\\)) >>"),
    "annot": (rb"/Resources <<",
              rb"/Annots [ << /Type /Annot /Subtype /Link "
              rb"/Rect [ 0 0 10 10 ] /Border [ 0 0 0 ] /A << /S /URI "
              rb"/URI (https://example.org/) >> >> ] /Resources <<"),
}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[2])
    case, src, out = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        qdf = os.path.join(tmp, "q.pdf")
        subprocess.run(["qpdf", "--qdf", "--object-streams=disable", src,
                        qdf], check=True)
        with open(qdf, "rb") as f:
            data = f.read()
        if case in EDITS:
            pat, repl = EDITS[case]
            data = sub1(pat, repl, data, case)
        elif case not in ("none", "header", "id", "encrypt"):
            sys.exit("break_pdf: no case %s" % case)
        if case != "id":
            data = sub1(rb"/ID \[<([0-9a-f]{32})><[0-9a-f]{32}>\]",
                        rb"/ID [<\1><\1>]", data, case)
        edited = os.path.join(tmp, "e.pdf")
        with open(edited, "wb") as f:
            f.write(data)
        fixed = subprocess.run(["fix-qdf", edited], check=True,
                               capture_output=True).stdout
        if case == "header":
            fixed = fixed.replace(b"%PDF-1.4", b"%PDF-1.3", 1)
        with open(out, "wb") as f:
            f.write(fixed)
        if case == "encrypt":
            enc = os.path.join(tmp, "x.pdf")
            os.replace(out, enc)
            subprocess.run(["qpdf", "--encrypt", "", "", "256", "--", enc,
                            out], check=True)


if __name__ == "__main__":
    main()
