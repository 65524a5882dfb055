#!/usr/bin/python3
"""Checks that every file of a pack of `csppack build` is valid whatever
the names and values of its inputs.  Used by build-crafted.sh.

    check_shown.py PACK [TEXT...]
        every CSV, text and XML file of PACK is valid UTF-8 with no
        control character but tab and line ends, and no bidirectional
        control; every XML file, and every XML part of workbook.xlsx, is
        well-formed; each TEXT (a display form, such as caf\\xE9.xml)
        appears in discrepancies.csv or observations.csv, in
        receipts/, and in the workbook's sheets

Each check prints "ok - WHAT" or "FAIL - WHAT: WHY"; the exit status is 1
when any failed.
"""

import os
import re
import sys
import xml.dom.minidom
import zipfile

# C0 but tab and line ends, DEL, C1, and the bidirectional controls and
# separators csp_text_show escapes.
CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f'
                     '\u2028-\u202e\u2066-\u2069]')


def main():
    pack, texts = sys.argv[1], sys.argv[2:]
    failed = 0
    every = {}

    def verdict(what, why):
        nonlocal failed
        if why:
            failed += 1
            print(f"FAIL - {what}: {why}")
        else:
            print(f"ok - {what}")

    for root, _, files in os.walk(pack):
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, pack)
            if name.endswith('.xlsx'):
                why = None
                parts = []
                with zipfile.ZipFile(path) as z:
                    for part in z.namelist():
                        if not part.endswith(('.xml', '.rels')):
                            continue
                        data = z.read(part)
                        parts.append(data.decode('utf-8', 'replace'))
                        try:
                            xml.dom.minidom.parseString(data)
                        except Exception as e:  # pylint: disable=broad-except
                            why = why or f"{part} is not well-formed ({e})"
                every[rel] = '\n'.join(parts)
                m = CONTROL.search(every[rel])
                if m and not why:
                    why = f"control character U+{ord(m.group()):04X}"
                verdict(f"{rel} well-formed", why)
                continue
            if not name.endswith(('.csv', '.txt', '.xml', '.xsd')):
                continue
            with open(path, 'rb') as f:
                data = f.read()
            try:
                text = data.decode('utf-8')
            except UnicodeDecodeError as e:
                verdict(f"{rel} valid", f"not UTF-8 ({e})")
                continue
            every[rel] = text
            m = CONTROL.search(text)
            why = f"control character U+{ord(m.group()):04X}" if m else None
            if not why and name.endswith(('.xml', '.xsd')):
                try:
                    xml.dom.minidom.parseString(data)
                except Exception as e:  # pylint: disable=broad-except
                    why = f"not well-formed ({e})"
            verdict(f"{rel} valid", why)
    for text in texts:
        # XML files write a backslash as itself, and so does the workbook.
        for group in (('discrepancies.csv', 'observations.csv'),
                      tuple(k for k in every if k.startswith('receipts')),
                      ('workbook.xlsx',)):
            found = any(text in every.get(k, '') for k in group)
            verdict(f"{text} shown in {group[0]}",
                    None if found else "not found")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
