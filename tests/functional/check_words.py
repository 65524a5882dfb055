#!/usr/bin/python3
"""check_words.py TEXT TEMPLATE...: print each name the templates declare
(partnership, areas, agencies, delivery groups, themes: no-partnership.py's
list) that the text holds, one per line; exit 1 when any.  For a pack of
one partnership, given the other partnerships' templates."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location(
    "nop", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "no-partnership.py"))
nop = importlib.util.module_from_spec(spec)
spec.loader.exec_module(nop)


def main():
    text = open(sys.argv[1], encoding="utf-8", errors="replace").read().lower()
    found = 0
    for t in sys.argv[2:]:
        for w in nop.names(t):
            if w.lower() in text:
                print(f"{os.path.basename(sys.argv[1])}: names \"{w}\" "
                      f"of {os.path.basename(t)}")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
