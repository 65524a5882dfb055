#!/usr/bin/python3
"""Nothing of one partnership in the code: no name that a shipped
template declares (partnership, areas, agencies, delivery groups, themes) appears in src/ or include/.  The templates say those; the
code prints what a template says.  Prints one line per finding.

Usage: no-partnership.py TOP TEMPLATE..."""
import os
import sys
import xml.etree.ElementTree as ET

NS = "{urn:csppack:strategy:1}"


def names(path):
    """The distinctive names a template declares."""
    root = ET.parse(path).getroot()
    out = set()
    p = root.find(NS + "partnership")
    if p is not None:
        out.add(p.get("name"))
    for tag, attrs in (("area", ("name",)), ("agency", ("name", "short-name")),
                       ("group", ("name", "short-name")),
                       ("theme", ("title",))):
        for el in root.iter(NS + tag):
            for a in attrs:
                v = el.get(a)
                # Short words ("CSP", "Drugs") are ordinary English.
                if v and (len(v) >= 8 or (a == "name" and tag == "area")):
                    out.add(v)
    return sorted(out)


def main():
    top, templates = sys.argv[1], sys.argv[2:]
    wanted = set()
    for t in templates:
        wanted.update(names(t))
    found = 0
    for d in ("src", "include"):
        for dirpath, dirnames, files in os.walk(os.path.join(top, d)):
            # src/embedded is generated from templates/ by the build.
            dirnames[:] = [x for x in dirnames if x != "embedded"]
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8") as fh:
                    for no, line in enumerate(fh, 1):
                        low = line.lower()
                        for w in sorted(wanted):
                            if w.lower() in low:
                                rel = os.path.relpath(path, top)
                                print(f"{rel}:{no}: names \"{w}\"")
                                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
