#!/usr/bin/python3
"""Checks that every label of include/csppack/model/labels.h is template
text (tests/functional/labels.sh).  Prints "ok - NAME" or "FAIL - NAME: why".

  check_labels.py HEADER TEMPLATE DEFAULTS LABELS [PENDING...]

HEADER is labels.h, whose CSP_LABELS list gives every key and its default
wording.  TEMPLATE must give a <label> for every key, each with its own
wording.  DEFAULTS is the pack built from TEMPLATE without its <labels>,
LABELS the pack built from TEMPLATE.  For each key: the default wording is
in at least one output of DEFAULTS (strategy report, board pack, workbook,
receipts); the template's wording is in each of those outputs of LABELS;
and the default wording is in no output of LABELS.  PENDING keys are not
checked (printed as a note): keys whose writer is another change's.
"""
import glob
import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "{urn:csppack:strategy:1}"


def header_labels(path):
    """The (key, default) pairs of CSP_LABELS, in order."""
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    body = text.split("#define CSP_LABELS(X)", 1)[1].split("\n", 1)[0]
    pairs = re.findall(r'X\(\s*\w+,\s*"([^"]*)",\s*"((?:[^"\\]|\\.)*)"\s*\)',
                       body)
    return [(k, d.replace('\\"', '"')) for k, d in pairs]


def template_labels(path):
    """The template's <label> texts by key, whitespace collapsed."""
    root = ET.parse(path).getroot()
    out = {}
    for lab in root.iter(NS + "label"):
        out[lab.get("key")] = " ".join((lab.text or "").split())
    return out


def pdf_text(path):
    """The PDF's text (content order) and its document information."""
    text = subprocess.run(["pdftotext", "-raw", path, "-"],
                          capture_output=True, check=True).stdout
    info = subprocess.run(["pdfinfo", path], capture_output=True,
                          check=True).stdout
    return text.decode("utf-8") + "\n" + info.decode("utf-8")


def workbook_text(path):
    """Every XML part of the workbook, markup turned to spaces."""
    import zipfile
    parts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.endswith(".xml") or name.endswith(".rels"):
                xml = z.read(name).decode("utf-8")
                parts.append(html.unescape(re.sub(r"<[^>]*>", " ", xml)))
    return "\n".join(parts)


def outputs(pack):
    """Each output of the pack as normalised text, by name."""
    out = {
        "strategy report": pdf_text(os.path.join(pack, "strategy-report.pdf")),
        "board pack": pdf_text(os.path.join(pack, "board-report.pdf")),
        "workbook": workbook_text(os.path.join(pack, "workbook.xlsx")),
    }
    rec = []
    for f in sorted(glob.glob(os.path.join(pack, "receipts", "*"))):
        with open(f, encoding="utf-8") as fh:
            rec.append(fh.read())
    out["receipts"] = "\n".join(rec)
    return {k: " ".join(v.split()) for k, v in out.items()}


def holds(text, phrase):
    """True when PHRASE (whitespace normalised) is in TEXT as whole words."""
    p = re.escape(" ".join(phrase.split()))
    return re.search(r"(?<![A-Za-z0-9])" + p + r"(?![A-Za-z0-9])",
                     text) is not None


def main(argv):
    header, template, dpack, lpack = argv[1:5]
    pending = set(argv[5:])
    labels = header_labels(header)
    if not labels:
        print("FAIL - keys: no CSP_LABELS entries in %s" % header)
        return 1
    given = template_labels(template)
    keys = {k for k, _ in labels}
    for k in sorted(set(given) - keys):
        print("FAIL - %s: the template labels a key labels.h does not have"
              % k)
    dflt = outputs(dpack)
    lab = outputs(lpack)
    for key, default in labels:
        if key not in given:
            print("FAIL - %s: %s gives it no <label>; add one" %
                  (key, template))
            continue
        mine = given[key]
        if key in pending:
            print("note - %s: not checked here (pending)" % key)
            continue
        if holds(mine, default) or holds(default, mine):
            print("FAIL - %s: the template's wording %r is not distinct "
                  "from the default %r" % (key, mine, default))
            continue
        where = [n for n in dflt if holds(dflt[n], default)]
        if not where:
            print("FAIL - %s: the default %r is printed in no output of the "
                  "pack without labels; make the test template show it" %
                  (key, default))
            continue
        bad = [n for n in where if not holds(lab[n], mine)]
        left = [n for n in lab if holds(lab[n], default)]
        if bad:
            print("FAIL - %s: %s shows the default %r but not the "
                  "template's %r" % (key, ", ".join(bad), default, mine))
        elif left:
            print("FAIL - %s: %s still says %r with the template's own "
                  "wording %r" % (key, ", ".join(left), default, mine))
        else:
            print("ok - %s: %r in place of %r (%s)" %
                  (key, mine, default, ", ".join(where)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
