#!/usr/bin/python3
"""Read a csppack workbook back with openpyxl (an independent reader, as
an analyst's tool would) and check it; compare its XML parts with golden
copies.  Used by workbook.sh.  Run with /usr/bin/python3: Debian's
python3-openpyxl is installed for that interpreter.

    check_workbook.py samples FILE.xlsx SAMPLES_DIR TEMPLATE.xml
    check_workbook.py extra FILE.xlsx
    check_workbook.py returns-missing FILE.xlsx AGENCY-NAME
    check_workbook.py period FILE.xlsx PHRASE LABEL
    check_workbook.py marking FILE.xlsx MARKING
    check_workbook.py revisions FILE.xlsx AGAIN.xlsx
    check_workbook.py continued FILE.xlsx ONE-SHEET.xlsx ROWS
    check_workbook.py consistent FILE.xlsx PACK_DIR
    check_workbook.py golden FILE.xlsx GOLDEN_DIR [--regen]
    check_workbook.py parts-differ A.xlsx B.xlsx PART...
    check_workbook.py text-cells FILE.xlsx SHEET TEXT...
        each TEXT (formula-like payloads) is a text cell of SHEET, and no
        sheet holds a formula

Each check prints "ok - WHAT" or "FAIL - WHAT: WHY"; the exit status is 1
when any failed.
"""

import csv
import datetime
import difflib
import hashlib
import os
import re
import struct
import sys
import zipfile
import zlib

FAILED = 0

SHEETS = ["About", "Key findings", "Indicators", "Data", "Action plan",
          "Action history", "Returns", "Revisions", "Submissions",
          "Discrepancies", "Trends"]
HEADERS = {
    "Indicators": None,  # depends on the periods; checked separately
    "Action plan": ["Ref", "Action", "Coordinating delivery group",
                    "Strategic assessment priority", "Status", "As of",
                    "Latest progress", "Updated by", "Theme"],
    "Data": ["Indicator", "Area", "Period start", "Period end", "Period",
             "Value", "Unit", "Data status", "Rating", "Direction",
             "Comparator", "Comparator period", "Target", "Revised", "Owner",
             "Source agency", "Origin", "Note", "Indicator id", "Area id"],
    "Action history": ["Ref", "As of", "Status", "Agency", "Submitted (UTC)",
                       "Progress", "Current", "File"],
    "Returns": ["Agency", "Sent nothing", "Due", "Item", "Area", "Period",
                "Status", "Indicator or ref"],
    "Revisions": ["Kind", "Indicator or action", "Area", "Period", "Old",
                  "New", "Old from", "New from", "Submitted (UTC)", "Note",
                  "Indicator id or ref"],
    "Submissions": ["File", "Agency", "Submitted (UTC)", "Submitter",
                    "Figures accepted", "Figures standing",
                    "Figures superseded", "Items refused", "Updates accepted",
                    "Refused", "Duplicate of", "Bytes", "Comment", "SHA-256"],
    "Discrepancies": ["Code", "Severity", "Kind", "Agency", "Indicator",
                      "Area", "Period", "Ref", "Values", "Message", "File",
                      "Line"],
}
# Audit columns (ids, paths, hashes): last, and outside the print area.
AUDIT = {"Indicators": ["Indicator id"], "Data": ["Indicator id", "Area id"],
         "Action history": ["File"], "Returns": ["Indicator or ref"],
         "Revisions": ["Indicator id or ref"], "Submissions": ["SHA-256"],
         "Discrepancies": ["File", "Line"]}
# Indicators: the columns before the periods.
IND_FIXED = ["Theme", "Indicator", "Area", "Unit", "Rating", "Direction",
             "Comparator", "Comparator period", "Revised"]
# Sheets that grow with the inbox, written in libxlsxwriter's
# constant-memory mode: a header row and an autofilter, not an Excel table.
STREAMED = ["Data", "Action history", "Revisions", "Submissions",
            "Discrepancies"]
STATUSES = ["\u25cf On track", "\u25b2 At risk", "\u2716 Off track",
            "\u2714 Complete", "\u25cb Not started"]
MARK = "\u2026 [truncated: full text in dataset.xml]"
HDR = 3  # the header row of a data sheet (1-based)


def check(what, cond, why=""):
    global FAILED
    if cond:
        print("ok - %s" % what)
    else:
        FAILED += 1
        print("FAIL - %s%s" % (what, ": " + str(why) if why != "" else ""))
    return cond


def load(path, data_only=False):
    import openpyxl
    return openpyxl.load_workbook(path, data_only=data_only)


def headers(ws, row=HDR):
    out = []
    for c in ws[row]:
        if c.value is None:
            break
        out.append(c.value)
    return out


def rows(ws, first=HDR + 1):
    """Data rows as lists of cells, up to the first empty row."""
    out = []
    for r in ws.iter_rows(min_row=first):
        if all(c.value is None for c in r):
            break
        out.append(list(r))
    return out


def column(ws, name):
    return headers(ws).index(name)


def kf_block(ws, area):
    """{label: [cells...]} of an area's table on the Key findings sheet."""
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == area:
            hdr = [c.value for c in ws[r + 1] if c.value is not None]
            block = {}
            rr = r + 2
            while (ws.cell(rr, 1).value not in (None, "")
                   and not str(ws.cell(rr, 1).value).startswith("\u2020")):
                block[ws.cell(rr, 1).value] = [ws.cell(rr, k)
                                               for k in range(1, len(hdr) + 1)]
                rr += 1
            return hdr, block
    return None, {}


def print_columns(ws):
    """The printed columns' letters: the print area's, else every column
    with a width."""
    from openpyxl.utils import get_column_letter, column_index_from_string
    area = ws.print_area
    if area:
        ref = area[0] if isinstance(area, list) else area
        last = re.sub(r"[$\d]", "", ref.split(":")[1].split("!")[-1])
        n = column_index_from_string(last)
    else:
        n = max([column_index_from_string(k)
                 for k in ws.column_dimensions] or [1])
    return [get_column_letter(i) for i in range(1, n + 1)]


# An A4 page's width between 0.5-inch margins, in points, and the
# smallest scale that keeps 11-point text at 8 points.
PAGE_POINTS = {"landscape": 769.7, "portrait": 523.4}
MIN_SCALE = 73


def fits_8pt(ws, orientation):
    """Fitted to the page width only when the printed columns (Excel
    measures a column w characters wide as 7w + 5 pixels of 0.75 points)
    are narrow enough that the body text stays at 8 points or more; else
    printed at 73 %, over pages across."""
    ps = ws.page_setup
    fit = (ws.sheet_properties.pageSetUpPr is not None
           and ws.sheet_properties.pageSetUpPr.fitToPage)
    width = sum((7 * (ws.column_dimensions[L].width or 8.43) + 5) * 0.75
                for L in print_columns(ws))
    if fit:
        return (int(ps.fitToHeight or 0) == 0
                and int(ps.fitToWidth if ps.fitToWidth is not None else 1)
                == 1
                and width * MIN_SCALE / 100 <= PAGE_POINTS[orientation] + 8)
    return int(ps.scale or 100) == MIN_SCALE and width > PAGE_POINTS[
        orientation] * 100 / MIN_SCALE - 8


def print_setup(ws, repeat, orientation="landscape"):
    ps = ws.page_setup
    ok = (ps.orientation == orientation and str(ps.paperSize) == "9"
          and fits_8pt(ws, orientation)
          and ws.oddFooter.center.text == "Page &P of &N")
    if repeat:
        ok = ok and ws.print_title_rows == "$3:$3"
    return ok


def check_data_sheet(ws, name, expect_headers=None):
    base = re.sub(r" \(\d+\)$", "", ws.title)
    check("%s: frozen header row" % ws.title, ws.freeze_panes == "A4",
          ws.freeze_panes)
    check("%s: print setup (A4 landscape, fit to width, header row "
          "repeated, page numbers)" % ws.title, print_setup(ws, True))
    tables = list(ws.tables.values())
    if base in STREAMED:
        from openpyxl.utils import get_column_letter
        want = "A3:%s%d" % (get_column_letter(len(headers(ws))),
                            HDR + len(rows(ws)))
        check("%s: streamed: no table, a filter over the header and the "
              "rows" % ws.title,
              not tables and ws.auto_filter.ref == want,
              ([t.ref for t in tables], ws.auto_filter.ref, want))
        hdr = [c for c in ws[HDR] if c.value is not None]
        check("%s: header cells bold and shaded, as a table's" % ws.title,
              hdr and all(c.font.b and c.fill.fgColor.rgb.endswith("D9E1F2")
                          for c in hdr),
              [(c.font.b, c.fill.fgColor.rgb) for c in hdr])
    else:
        check("%s: one Excel table from A3" % ws.title,
              len(tables) == 1 and tables[0].ref.startswith("A3:"),
              [t.ref for t in tables])
    if expect_headers is None:
        expect_headers = HEADERS.get(base)
    if expect_headers:
        check("%s: headers" % ws.title, headers(ws) == expect_headers,
              headers(ws))
    if tables:
        t = tables[0]
        names = [c.name for c in t.tableColumns]
        check("%s: table columns are the headers" % ws.title,
              names == headers(ws), names)
    audit = AUDIT.get(base, [])
    h = headers(ws)
    from openpyxl.utils import get_column_letter
    want = get_column_letter(len(h) - len(audit))
    check("%s: audit columns %s last, outside the print area (A:%s)"
          % (ws.title, audit, want),
          h[len(h) - len(audit):] == audit
          and print_columns(ws)[-1] == want,
          (ws.print_area, h[len(h) - len(audit):]))
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    ncols = len(headers(ws))
    letters = [chr(ord("A") + i) for i in range(min(ncols, 26))]
    check("%s: every column has a width" % ws.title,
          all(widths.get(L, 0) > 4 for L in letters), widths)


def check_deflate(path):
    """Every part is deflated by libxlsxwriter itself, through minizip and
    zlib at the library's fixed level (zlib's default, 6; doc/workbook.md,
    "Compression"): minizip leaves bits 1-2 of a part's flags 0 for that
    level, and deflating a part's contents again with the same zlib at
    level 6 gives exactly the bytes stored.  Every part inflates to the
    size and CRC its headers give."""
    with open(path, "rb") as f:
        raw = f.read()
    with zipfile.ZipFile(path) as z:
        got = sorted({(i.compress_type, i.flag_bits & 6)
                      for i in z.infolist()})
        check("every part deflated at the default level",
              got == [(zipfile.ZIP_DEFLATED, 0)], got)
        other = []
        for i in z.infolist():
            name_len, extra_len = struct.unpack(
                "<HH", raw[i.header_offset + 26:i.header_offset + 30])
            start = i.header_offset + 30 + name_len + extra_len
            stored = raw[start:start + i.compress_size]
            d = zlib.compressobj(6, zlib.DEFLATED, -15, 8,
                                 zlib.Z_DEFAULT_STRATEGY)
            if d.compress(z.read(i)) + d.flush() != stored:
                other.append(i.filename)
        check("every part is zlib's level 6 of its contents", not other,
              other[:5])
        bad = z.testzip()
        check("every part inflates to its CRC-32", bad is None, bad)
        sizes = [(i.filename, i.file_size, len(z.read(i)))
                 for i in z.infolist() if i.file_size != len(z.read(i))]
        check("every part inflates to its size", not sizes, sizes)


def about(ws):
    """{label: value} of the About sheet's column A and B."""
    return {ws.cell(r, 1).value: ws.cell(r, 2).value
            for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def check_about(ws):
    a = about(ws)
    check("About: first sheet, printed A4 portrait within the page",
          ws.parent.sheetnames[0] == "About"
          and print_setup(ws, False, "portrait"))
    check("About: the partnership and the strategy",
          a.get("Partnership") == "Dartford and Gravesham Community Safety "
          "Partnership"
          and a.get("Strategy") == "Dartford and Gravesham Community Safety "
          "Strategy 2016-19", (a.get("Partnership"), a.get("Strategy")))
    check("About: the board pack's period in words",
          a.get("Board pack period") == "The quarter 1 July to 30 September "
          "2016 (Q2 2016/17)", a.get("Board pack period"))
    r = [c for c in ws["A"] if c.value == "Produced"]
    cell = r and ws.cell(r[0].row, 2)
    check("About: produced on the date of the latest submission, as a date "
          "in words",
          cell and cell.value == datetime.datetime(2016, 11, 18)
          and cell.number_format == "d mmmm yyyy",
          cell and (cell.value, cell.number_format))
    check("About: no protective marking",
          str(a.get("Protective marking", "")).startswith("None."),
          a.get("Protective marking"))
    for mark in ("final", "p  provisional", "e  estimated",
                 "\u2013  missing", "disputed", "\u2020  computed",
                 "\u2020  replaced", "Revised", "Better", "Worse",
                 "No real change", "Up, Down", "Green", "Amber", "Red",
                 "Grey", "count", "rate per 1,000 population", "per cent"):
        check("About: says what %s means" % mark, a.get(mark), a.get(mark))
    amber = a.get("Amber") or ""
    check("About: the amber threshold from the template",
          re.fullmatch(r"Worse than target by [0-9.]+% of the target or "
                       r"less\.", amber), amber)


def check_data(ws, wv):
    """Data: one row per figure, long format, real dates and numbers."""
    h = headers(ws)
    data = rows(ws)
    col = {n: h.index(n) for n in h}
    by = {(r[col["Indicator id"]].value, r[col["Area id"]].value,
           r[col["Period"]].value): r for r in data}
    vio = by.get(("violent-crime", "dartford", "Q2 2016/17"))
    check("Data: a row's value, status, owner, source, origin and dates",
          vio and vio[col["Value"]].value == 652
          and vio[col["Indicator"]].value == "Number of violent crimes"
          and vio[col["Area"]].value == "Dartford"
          and vio[col["Data status"]].value == "final"
          and vio[col["Owner"]].value == "Kent Police"
          and vio[col["Source agency"]].value == "Kent Police"
          and vio[col["Origin"]].value == "partner"
          and vio[col["Unit"]].value == "count"
          and vio[col["Period start"]].value == datetime.datetime(2016, 7, 1)
          and vio[col["Period end"]].value == datetime.datetime(2016, 9, 30)
          and vio[col["Revised"]].value == "no",
          vio and [c.value for c in vio])
    check("Data: its direction against the same quarter a year earlier",
          vio and vio[col["Comparator"]].value == 548
          and vio[col["Comparator period"]].value == "Q2 2015/16"
          and vio[col["Direction"]].value in ("Better", "Worse",
                                              "No real change", "Up",
                                              "Down")
          and vio[col["Rating"]].value in ("Green", "Amber", "Red", "Grey"),
          vio and [c.value for c in vio])
    ae = by.get(("ae-violence", "gravesham", "Q2 2016/17"))
    check("Data: a missing figure has no value, its status and note",
          ae and ae[col["Value"]].value is None
          and ae[col["Data status"]].value == "missing"
          and "Not available" in (ae[col["Note"]].value or ""),
          ae and [c.value for c in ae])
    cas = by.get(("crimes-against-society-rate", "dartford", "YE Sept 16"))
    check("Data: csppack's 6.0 in place of Kent Police's 5.9 is "
          "\"replaced\", from csppack",
          cas and cas[col["Value"]].value == 6.0
          and cas[col["Origin"]].value == "replaced"
          and cas[col["Source agency"]].value == "csppack (computed)"
          and cas[col["Owner"]].value == "Kent Police",
          cas and [c.value for c in cas])
    check("Data: values are numbers, dates are dates",
          all(r[col["Value"]].value is None
              or isinstance(r[col["Value"]].value, (int, float))
              for r in data)
          and all(isinstance(r[col["Period start"]].value,
                             datetime.datetime) for r in data))
    check("Data: the header row frozen, a filter over every row",
          ws.freeze_panes == "A4"
          and ws.auto_filter.ref == "A3:T%d" % (3 + len(data)),
          (ws.freeze_panes, ws.auto_filter.ref))


def check_returns(ws):
    """Returns: the chase list of the samples' quarter."""
    data = rows(ws)
    intro = ws["A2"].value or ""
    check("Returns: the explanation names the period",
          "Q2 2016/17" in intro, intro)
    check("Returns: one row or more per agency that owes a return, every "
          "row an agency, a period and a status",
          data and all(r[0].value and r[5].value and r[6].value
                       in ("not received", "sent as missing",
                           "nothing outstanding") for r in data),
          [[c.value for c in r] for r in data[:3]])
    check("Returns: no agency of the samples sent nothing",
          all(r[1].value == "no" for r in data)
          and "Sent nothing at all" not in intro, intro)


def check_revisions_none(ws):
    check("Revisions: says there is no previous pack, no rows",
          ws["A2"].value == "No previous board pack to compare with: "
          "nothing is marked as revised." and rows(ws) == [],
          ws["A2"].value)


def mode_returns_missing(path, agency_name):
    """The samples without one agency's file: that agency is named as
    having sent nothing, each thing it owes not received."""
    wb = load(path)
    ws = wb["Returns"]
    data = rows(ws)
    intro = ws["A2"].value or ""
    check("Returns: the explanation names %s as sending nothing"
          % agency_name,
          ("Sent nothing at all: %s." % agency_name) in intro, intro)
    mine = [r for r in data if r[0].value == agency_name]
    check("Returns: %s's rows say it sent nothing, each not received"
          % agency_name,
          mine and all(r[1].value == "yes" and r[6].value == "not received"
                       and r[5].value == "Q2 2016/17" for r in mine),
          [[c.value for c in r] for r in mine[:3]])
    others = [r for r in data if r[0].value != agency_name]
    check("Returns: the other agencies did send something",
          all(r[1].value == "no" for r in others))
    a = about(wb["About"])
    check("About: produced on the latest submission that was read",
          isinstance(a.get("Produced"), datetime.datetime), a.get("Produced"))


def mode_revisions(path, nothing_path):
    """A pack built again after the CCG's file and Kent Police's
    resubmission (tests/data/since): the Revisions sheet lists both
    revised figures and the five status changes exactly; Data and
    Indicators mark the revised ones; after a resubmission with nothing
    new, nothing changed."""
    wb = load(path)
    ws = wb["Revisions"]
    check("Revisions: says what it compares with",
          ws["A2"].value == "Changed since the previous board pack "
          "(Q2 2016/17): 2 figures revised (old and new value, who sent "
          "each, when and why) and 5 actions whose status changed.",
          ws["A2"].value)
    got = [[c.value for c in r] for r in rows(ws)]
    want = [
        ["figure", "Number of hate crimes recorded", "Gravesham",
         "Q2 2016/17", 47, "no figure", "Kent Police", None, None, None,
         "hate-crimes"],
        ["figure", "Number of violent crimes", "Dartford", "Q2 2016/17",
         652, 671, "Kent Police", "Kent Police",
         datetime.datetime(2016, 11, 18, 10, 0),
         "Refreshed from the crime recording system in November.",
         "violent-crime"],
    ]
    check("Revisions: the two figures, old and new, who, when and why",
          got[:2] == want, got[:2])
    acts = [(r[10], r[4], r[5], r[7]) for r in got[2:]]
    check("Revisions: the five status changes, old and new",
          [a[0] for a in acts] == ["1.14", "1.15", "2.4", "2.10", "3.7"]
          and acts[3] == ("2.10", STATUSES[1], STATUSES[2], "Kent Police")
          and acts[0][1:3] == ("no update", STATUSES[0])
          and all(r[0] == "action status"
                  and r[1].startswith("Action %s: " % r[10])
                  for r in got[2:]), acts)
    ws = wb["Data"]
    h = headers(ws)
    marked = [(r[h.index("Indicator id")].value, r[h.index("Area id")].value,
               r[h.index("Period")].value, r[h.index("Value")].value)
              for r in rows(ws) if r[h.index("Revised")].value == "yes"]
    check("Data: the revised figure marked Revised",
          marked == [("violent-crime", "dartford", "Q2 2016/17", 671)],
          marked)
    ws = wb["Indicators"]
    h = headers(ws)
    marked = sorted((r[h.index("Indicator id")].value, r[2].value)
                    for r in rows(ws) if r[h.index("Revised")].value == "yes")
    check("Indicators: the rows of both revised keys marked Revised",
          marked == [("hate-crimes", "Gravesham"),
                     ("violent-crime", "Dartford")], marked)
    ws = load(nothing_path)["Revisions"]
    check("Revisions: nothing new since, and it says so",
          ws["A2"].value == "Nothing changed since the previous board pack "
          "(Q2 2016/17): no figure was revised and no action's status "
          "changed." and rows(ws) == [], ws["A2"].value)


def mode_marking(path, marking):
    """--marking: in the middle of every sheet's print header, and on the
    About sheet."""
    wb = load(path)
    got = [wb[n].oddHeader.center.text for n in wb.sheetnames]
    # openpyxl gives the header's codes as written: "&" doubled.
    check("the marking in every sheet's print header, in bold",
          all(g == marking.replace("&", "&&") for g in got)
          and all(wb[n].oddHeader.center.font == "-,Bold"
                  for n in wb.sheetnames)
          and all(wb[n].oddHeader.left.text for n in wb.sheetnames), got)
    a = about(wb["About"])
    check("About: the protective marking", a.get("Protective marking")
          == marking, a.get("Protective marking"))


def mode_period(path, phrase, label):
    """The workbook of `csppack build --period`: About and Returns are
    about that period, not the dataset's."""
    wb = load(path)
    a = about(wb["About"])
    check("About: the period given (%s)" % label,
          a.get("Board pack period") == "%s (%s)" % (phrase, label),
          a.get("Board pack period"))
    intro = wb["Returns"]["A2"].value or ""
    check("Returns: the period given (%s)" % label,
          ("for %s and has not sent" % label) in intro
          or ("due for %s" % label) in intro, intro)


def mode_samples(path, samples_dir, template):
    wb = load(path)
    check_deflate(path)
    wbv = load(path, data_only=True)
    check("sheet names", wb.sheetnames == SHEETS, wb.sheetnames)
    sizes = sorted({f.sz for f in wb._fonts if f.sz is not None})
    check("every font 8 points or larger", sizes and sizes[0] >= 8, sizes)
    check("no print header has a marking (none given)",
          all(not wb[n].oddHeader.center.text for n in SHEETS),
          [wb[n].oddHeader.center.text for n in SHEETS])
    check_about(wb["About"])
    check_data(wb["Data"], wbv["Data"])
    check_returns(wb["Returns"])
    check_revisions_none(wb["Revisions"])

    # Document properties.
    p = wb.properties
    check("title is the strategy's",
          p.title == "Dartford and Gravesham Community Safety Strategy "
          "2016-19", p.title)
    check("author is the partnership",
          p.creator == "Dartford and Gravesham Community Safety Partnership",
          p.creator)
    check("subject names the period",
          p.subject and "Q2 2016/17" in p.subject, p.subject)
    check("created from the data (the latest submission)",
          p.created == datetime.datetime(2016, 11, 18, 12, 0), p.created)
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
    check("company is the partnership",
          "<Company>Dartford and Gravesham Community Safety Partnership"
          "</Company>" in app)

    # Key findings, as the strategy prints them.
    ws, wv = wb["Key findings"], wbv["Key findings"]
    check("Key findings: print setup", print_setup(ws, False))
    expect = {
        "Dartford": {
            "Victim-based crime": (7795, 7522, 8388, 11.5, 80.7),
            "Crimes against society": (523, 464, 619, 33.4, 6.0),
            "Total crime": (8318, 7986, 9007, 12.8, 86.7)},
        "Gravesham": {
            "Victim-based crime": (7180, 6783, 7697, 13.5, 72.4),
            "Crimes against society": (521, 460, 612, 33.0, 5.8),
            "Total crime": (7701, 7243, 8309, 14.7, 78.2)},
    }
    for area, lines in expect.items():
        hdr, block = kf_block(ws, area)
        _, vblock = kf_block(wv, area)
        check("Key findings %s: headers" % area,
              hdr == ["Category", "YE Sept 14", "YE Sept 15", "YE Sept 16",
                      "% change (15 to 16)", "Per 1,000 pop."], hdr)
        check("Key findings %s: rows in the strategy's order" % area,
              list(block) == list(lines), list(block))
        for label, want in lines.items():
            cells = block.get(label)
            vcells = vblock.get(label)
            if not check("Key findings %s %s present" % (area, label),
                         cells is not None):
                continue
            got = tuple(c.value for c in vcells[1:6])
            check("Key findings %s %s = %s" % (area, label, want),
                  got[:3] == want[:3] and abs(got[3] - want[3]) < 1e-9
                  and abs(got[4] - want[4]) < 1e-9, got)
            # csppack's 6.0 (in place of Kent Police's 5.9) is marked.
            mine = (area, label) == ("Dartford", "Crimes against society")
            check("Key findings %s %s: formats" % (area, label),
                  [c.number_format for c in cells[1:6]]
                  == ["#,##0", "#,##0", "#,##0", "+0.0;-0.0;0.0",
                      '#,##0.0" \u2020"' if mine else "#,##0.0"],
                  [c.number_format for c in cells[1:6]])
            f = cells[4].value
            check("Key findings %s %s: %% change is a formula with its "
                  "value stored" % (area, label),
                  isinstance(f, str) and f.startswith("=ROUND((D")
                  and vcells[4].value is not None, f)
            check("Key findings %s %s: every figure has its source in a "
                  "comment" % (area, label),
                  all(c.comment is not None for c in cells[1:4] + [cells[5]]))
    hdr, block = kf_block(ws, "Dartford")
    cm = block["Victim-based crime"][3].comment.text
    check("Key findings: comment names agency, file and line",
          "Kent Police" in cm and re.search(r"kent-police-2016q2\.xml line "
                                            r"\d+", cm), cm)
    cm = block["Crimes against society"][5].comment.text
    check("Key findings: a computed rate says so, with the refused claim",
          "computed by csppack" in cm and "5.9 (check-failed)" in cm, cm)
    check("Key findings: the marks line explains \u2020",
          "\u2020 worked out by csppack" in (ws["A3"].value or ""),
          ws["A3"].value)
    legends = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)
               if str(ws.cell(r, 1).value or "").startswith("\u2020")]
    check("Key findings: a legend under Dartford's table only, with what "
          "Kent Police sent",
          legends == ["\u2020 worked out by csppack from the partnership's "
                      "figures under the strategy's rule. Kent Police sent "
                      "5.9 for Crimes against society per 1,000 population, "
                      "Dartford, YE Sept 16, which does not agree with them "
                      "(W409; see Data quality)."]
          and [ws.cell(r + 5, 1).value for r in range(1, ws.max_row + 1)
               if ws.cell(r, 1).value == "Dartford"] == legends, legends)

    # Data sheets.
    for name in SHEETS[2:10]:
        check_data_sheet(wb[name], name)

    # Indicators.
    ws = wb["Indicators"]
    h = headers(ws)
    check("Indicators: headers", h[:9] == IND_FIXED
          and h[-1] == "Indicator id"
          and h[9:-1] == ["YE Sept 14", "YE Sept 15", "Q2 2015/16",
                          "YE Sept 16", "Q1 2016/17", "Q2 2016/17"], h)
    data = rows(ws)
    themes = [r[0].value for r in data]
    check("Indicators: grouped by theme, in order",
          themes == sorted(themes, key=lambda t: (t == "Other indicators",
                                                  t)), set(themes))
    by = {(r[h.index("Indicator id")].value, r[2].value): r for r in data}
    q2 = h.index("Q2 2016/17")
    dvpo = by.get(("dvpo-issued", "Gravesham"))
    check("Indicators: provisional figure marked p",
          dvpo and dvpo[q2].value == 4
          and dvpo[q2].number_format == '#,##0" p"',
          dvpo and dvpo[q2].number_format)
    asb = by.get(("asb-rate", "Dartford"))
    check("Indicators: a figure csppack worked out is marked \u2020",
          asb and asb[q2].value == 10.0
          and asb[q2].number_format == '#,##0.0" \u2020"',
          asb and asb[q2].number_format)
    vio = by.get(("violent-crime", "Dartford"))
    check("Indicators: the samples' earlier quarters in their columns",
          vio and [vio[h.index(p)].value for p in
                   ("Q2 2015/16", "Q1 2016/17", "Q2 2016/17")]
          == [548, 611, 652],
          vio and [c.value for c in vio])
    ye16 = h.index("YE Sept 16")
    cas = by.get(("crimes-against-society-rate", "Dartford"))
    vbc = by.get(("victim-based-crime-rate", "Dartford"))
    check("Indicators: csppack's 6.0 for Kent Police's 5.9 marked \u2020, "
          "the partner's 80.7 not",
          cas and cas[ye16].number_format == '#,##0.0" \u2020"'
          and vbc and vbc[ye16].number_format == "#,##0.0",
          (cas and cas[ye16].number_format, vbc and vbc[ye16].number_format))
    check("Indicators: the explanation says what \u2020 means",
          "\u2020 worked out by csppack" in (ws["A2"].value or ""),
          ws["A2"].value)
    ae = by.get(("ae-violence", "Gravesham"))
    check("Indicators: missing figure shown as \u2013 with its note",
          ae and ae[q2].value == "\u2013" and ae[q2].comment
          and "Not available" in ae[q2].comment.text)
    meam = by.get(("meam-referrals", "All areas"))
    check("Indicators: \"all\" only where figures exist",
          meam is not None and ("dvpo-issued", "All areas") not in by)
    figure_cells = [c for r in data for c in r[9:-1] if c.value is not None]
    check("Indicators: every figure has a comment with its source",
          figure_cells and all(c.comment is not None for c in figure_cells))
    check("Indicators: long names wrap",
          data[0][1].alignment.wrap_text)

    # Action plan.
    ws = wb["Action plan"]
    data = rows(ws)
    refs = [r[0].value for r in data]
    with open(template, encoding="utf-8") as f:
        want = re.findall(r'<action ref="([^"]+)"', f.read())
    check("Action plan: every item of the template, in its order",
          [v for i, v in enumerate(refs) if i == 0 or refs[i - 1] != v]
          == want, (refs, want))
    joint = [(r[4].value, r[7].value, r[6].value) for r in data
             if r[0].value == "3.4"]
    check("Action plan: the joint action 3.4, one row per council, the "
          "one that decides first",
          len(joint) == 2
          and joint[0][:2] == (STATUSES[0], "Dartford Borough Council")
          and joint[0][2].startswith("Seven Community Protection Warnings")
          and joint[1][:2] == (STATUSES[0], "Gravesham Borough Council")
          and joint[1][2].startswith("Three Community Protection Notices "
                                     "and one civil injunction"), joint)
    st = {r[0].value: r[4].value for r in data}
    check("Action plan: statuses with their shape",
          st.get("1.1") == STATUSES[0] and st.get("1.3") == STATUSES[1]
          and st.get("1.16") == STATUSES[2] and st.get("1.6") == STATUSES[3]
          and st.get("1.8") == STATUSES[4], st)
    check("Action plan: only the five statuses",
          all(v in STATUSES or v is None for v in st.values()))
    dvs = ws.data_validations.dataValidation
    ok = any(dv.type == "list" and str(dv.sqref) == "E4:E%d" % (3 + len(data))
             and all(s in dv.formula1 for s in STATUSES) for dv in dvs)
    check("Action plan: Status offers the five statuses as a list", ok,
          [(dv.type, str(dv.sqref), dv.formula1) for dv in dvs])
    cf = ws.conditional_formatting
    rules = [r for rng in cf for r in rng.rules]
    check("Action plan: statuses coloured (conditional formats)",
          len(rules) == 5 and all(r.type == "containsText" for r in rules),
          [(r.type, r.text) for r in rules])
    r11 = data[0]
    check("Action plan: 1.1 groups, priority, as-of, updated by",
          r11[2].value == "DA Forum"
          and r11[3].value == "Domestic abuse, violent crime"
          and r11[5].value == datetime.datetime(2016, 9, 30)
          and r11[5].number_format == "yyyy-mm-dd"
          and r11[7].value == "Kent County Council",
          [c.value for c in r11])
    check("Action plan: progress wraps", r11[6].alignment.wrap_text)
    w = ws.column_dimensions
    check("Action plan: widths fit (action and progress wide, ref narrow)",
          w["A"].width < 10 and 30 <= w["B"].width <= 61
          and w["G"].width >= 40, (w["A"].width, w["B"].width,
                                   w["G"].width))

    # Action history.
    ws = wb["Action history"]
    data = rows(ws)
    sub = wb["Submissions"]
    updates = sum(r[column(sub, "Updates accepted")].value
                  for r in rows(sub))
    check("Action history: one row per update", len(data) == updates,
          (len(data), updates))
    check("Action history: Current is yes or no",
          all(r[6].value in ("yes", "no") for r in data))
    check("Action history: submitted is a date and time",
          all(isinstance(r[4].value, datetime.datetime) for r in data))

    # Submissions.
    ws = wb["Submissions"]
    data = rows(ws)
    files = sorted(f for f in os.listdir(samples_dir) if f.endswith(".xml"))
    check("Submissions: one row per file",
          sorted(r[0].value for r in data) == files,
          [r[0].value for r in data])
    sha = column(ws, "SHA-256")
    good = True
    for r in data:
        with open(os.path.join(samples_dir, r[0].value), "rb") as f:
            good &= r[sha].value == hashlib.sha256(f.read()).hexdigest()
    check("Submissions: SHA-256 of each file", good)
    check("Submissions: counts are numbers, with separators",
          all(isinstance(r[4].value, int) and r[4].number_format == "#,##0"
              for r in data))

    # Discrepancies.
    ws = wb["Discrepancies"]
    data = rows(ws)
    check("Discrepancies: the one check failure of the samples",
          [r[0].value for r in data] == ["W409"]
          and all(r[column(ws, "File")].value == "kent-police-2016q2.xml"
                  for r in data),
          [r[0].value for r in data])
    check("Discrepancies: messages name files by base name",
          all(samples_dir not in (r[column(ws, "Message")].value or "")
              for r in data)
          and any("kent-police-2016q2.xml"
                  in (r[column(ws, "Message")].value or "") for r in data))

    # The sheets that grow with the inbox are streamed (their strings are
    # inline, written row by row); the others use the shared strings.
    with zipfile.ZipFile(path) as z:
        inline = [name for i, name in enumerate(SHEETS)
                  if 't="inlineStr"' in z.read("xl/worksheets/sheet%d.xml"
                                               % (i + 1)).decode()]
    check("streamed sheets: %s" % ", ".join(STREAMED),
          inline == STREAMED, inline)

    # Trends: one chart per key-findings row, each with its own axis, a
    # line per area, reading the chart data on the Trends sheet.
    charts = trend_charts(path, wbv)
    check("Trends: one chart per key-findings row",
          [c["title"] for c in charts]
          == ["Victim-based crime", "Crimes against society", "Total crime"],
          [c["title"] for c in charts])
    # (libxlsxwriter leaves out <c:dispBlanksAs val="gap"/>, the default
    # of Excel and of LibreOffice for its files; zero or span would be
    # written.)
    check("Trends: a missing figure is a gap, not zero (dispBlanksAs gap)",
          charts and all(c["blanks"] in (None, "gap") for c in charts),
          [c["blanks"] for c in charts])
    want = {"Victim-based crime": {"Dartford": [7795, 7522, 8388],
                                   "Gravesham": [7180, 6783, 7697]},
            "Crimes against society": {"Dartford": [523, 464, 619],
                                       "Gravesham": [521, 460, 612]},
            "Total crime": {"Dartford": [8318, 7986, 9007],
                            "Gravesham": [7701, 7243, 8309]}}
    got = {c["title"]: {n: v for n, v in c["series"]} for c in charts}
    check("Trends: each chart's lines are the areas' figures", got == want,
          got)
    check("Trends: print setup", wb["Trends"].page_setup.paperSize
          in (9, "9"))


def trend_charts(path, wbv):
    """The Trends sheet's charts in order: title, how blanks are shown, and
    each series' name and values, read from the cells they refer to."""
    def cells(ref):
        m = re.match(r"'?([^'!]+)'?!\$([A-Z]+)\$(\d+)(?::\$([A-Z]+)\$(\d+))?$",
                     ref)
        ws = wbv[m.group(1)]
        if not m.group(4):
            return ws["%s%s" % (m.group(2), m.group(3))].value
        return [c.value for row in ws["%s%s:%s%s" % m.group(2, 3, 4, 5)]
                for c in row]
    out = []
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist()
                        if re.match(r"xl/charts/chart\d+\.xml$", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        for n in names:
            x = z.read(n).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>",
                                       x.split("</c:title>")[0]))
            blanks = re.search(r'<c:dispBlanksAs val="([a-z]+)"/>', x)
            series = []
            for ser in re.findall(r"<c:ser>(.*?)</c:ser>", x, re.S):
                name = re.search(r"<c:tx><c:strRef><c:f>([^<]+)</c:f>", ser)
                vals = re.search(r"<c:val><c:numRef><c:f>([^<]+)</c:f>", ser)
                series.append((cells(name.group(1)) if name else None,
                               cells(vals.group(1)) if vals else None))
            out.append({"title": title,
                        "blanks": blanks.group(1) if blanks else None,
                        "series": series})
    return out


def mode_gaps(path):
    """Dartford's victim-based crime for YE Sept 15 reported missing: its
    cell in the chart data is empty and the chart shows blanks as gaps."""
    wbv = load(path, data_only=True)
    charts = {c["title"]: c for c in trend_charts(path, wbv)}
    vbc = charts.get("Victim-based crime")
    series = dict(vbc["series"]) if vbc else {}
    check("gaps: Dartford's line is 7795, a blank cell, 8388",
          series.get("Dartford") == [7795, None, 8388], series)
    check("gaps: Gravesham's line is whole",
          series.get("Gravesham") == [7180, 6783, 7697], series)
    check("gaps: blanks are shown as gaps",
          vbc and vbc["blanks"] in (None, "gap"), vbc and vbc["blanks"])
    ws = wbv["Trends"]
    check("gaps: the Trends sheet says what a break in a line means",
          any("break in a line" in str(c.value or "")
              for row in ws.iter_rows() for c in row))


def mode_extra(path):
    wb = load(path)
    check("no year-ending figures: Key findings says so, no table",
          wb["Key findings"]["A2"].value.startswith("No year-ending")
          and not wb["Key findings"].tables)
    check("no year-ending figures: Trends says so",
          wb["Trends"]["A2"].value == "No key-findings figures to chart.")
    ws = wb["Indicators"]
    h = headers(ws)
    data = rows(ws)
    by = {(r[h.index("Indicator id")].value, r[2].value): r for r in data}
    q2 = h.index("Q2 2016/17")
    meam = by[("meam-referrals", "Dartford")][q2]
    check("disputed key shown as disputed", meam.value == "disputed",
          meam.value)
    check("disputed key: comment lists every claim",
          meam.comment and "Kent County Council" in meam.comment.text
          and "Dartford, Gravesham" in meam.comment.text
          and "\u2022 6 " in meam.comment.text
          and "\u2022 9 " in meam.comment.text,
          meam.comment and meam.comment.text)
    fire = by[("deliberate-fires-primary", "Dartford")][q2]
    check("estimated figure marked e",
          fire.value == 12 and fire.number_format == '#,##0" e"',
          (fire.value, fire.number_format))
    hate = by[("hate-crimes", "Dartford")][q2]
    check("withdrawn key: empty, with the story in its comment",
          hate.value is None and hate.comment
          and "No figure stands" in hate.comment.text,
          hate.comment and hate.comment.text)
    hg = by[("hate-crimes", "Gravesham")][q2]
    check("a note that looks like a formula stays text in the comment",
          hg.comment and "=HYPERLINK(" in hg.comment.text)

    ws = wb["Action plan"]
    data = {r[0].value: r for r in rows(ws)}
    p = data["3.9"][6].value
    check("40,000-character progress cut to fit a cell, visibly",
          isinstance(p, str) and len(p) <= 32767 and p.endswith(MARK)
          and p.startswith("abcdefghij"), p and len(p))
    p = data["1.1"][6]
    check("progress that looks like a formula is stored as text",
          p.data_type == "s" and p.value.startswith("=SUM(A1:A2)"),
          (p.data_type, p.value))
    check("_xHHHH_ in text is read back as written",
          "_x0041_" in p.value, p.value)
    ws = wb["Action history"]
    long = [r[5].value for r in rows(ws) if r[0].value == "3.9"]
    check("Action history: the long statement cut too",
          long and len(long[0]) <= 32767 and long[0].endswith(MARK))

    ws = wb["Submissions"]
    data = {r[0].value: r for r in rows(ws)}
    h = headers(ws)
    check("refused file listed as refused",
          "d-junk.xml" in data
          and data["d-junk.xml"][h.index("Refused")].value == "yes")
    check("duplicate file names the one that counts (first by path)",
          data.get("a-kcc.xml")
          and data["a-kcc.xml"][h.index("Duplicate of")].value
          == "a-copy.xml")
    ws = wb["Discrepancies"]
    found = [(r[0].value, r[1].value, r[column(ws, "File")].value)
             for r in rows(ws)]
    codes = {c for c, _, _ in found}
    check("Discrepancies: disputed, duplicate, superseded, withdrawn",
          {"E407", "I401", "I402", "I403"} <= codes, codes)
    check("Discrepancies: the refused file, as an error",
          any(f == "d-junk.xml" and sev == "error" for _, sev, f in found),
          found)
    with zipfile.ZipFile(path) as z:
        formulas = [n for n in z.namelist()
                    if n.startswith("xl/worksheets/sheet")
                    and "<f>" in z.read(n).decode()]
    check("no formula anywhere but the key findings' % change",
          formulas == [], formulas)


def mode_continued(path, one_path, max_rows):
    wb, one = load(path), load(one_path)
    per = max_rows - HDR
    for base in ["Indicators", "Data", "Action plan", "Action history",
                 "Returns", "Submissions", "Discrepancies"]:
        parts = [n for n in wb.sheetnames
                 if n == base or re.fullmatch(re.escape(base) + r" \(\d+\)",
                                              n)]
        expect = [base] + ["%s (%d)" % (base, i)
                           for i in range(2, len(parts) + 1)]
        check("%s: continuation sheets named in order" % base,
              parts == expect, parts)
        got = []
        for n in parts:
            ws = wb[n]
            check_data_sheet(ws, n)
            r = rows(ws)
            check("%s: at most %d data rows" % (n, per), len(r) <= per,
                  len(r))
            if n != base:
                check("%s: title says continued" % n,
                      str(ws["A1"].value).endswith("(continued)"))
            got += [[c.value for c in row] for row in r]
        want = [[c.value for c in row] for row in rows(one[base])]
        check("%s: every row kept, in order, across the sheets" % base,
              got == want, (len(got), len(want)))
        if base == "Action plan":
            ok = all(any(dv.type == "list"
                         for dv in wb[n].data_validations.dataValidation)
                     for n in parts)
            check("Action plan: every part offers the status list", ok)
    check("the sheets stay in order",
          [re.sub(r" \(\d+\)$", "", n) for n in wb.sheetnames]
          == sorted([re.sub(r" \(\d+\)$", "", n) for n in wb.sheetnames],
                    key=SHEETS.index))


def mode_consistent(path, pack):
    """The workbook and the CSV files of `csppack reconcile` agree."""
    wb = load(path)
    check_deflate(path)
    with open(os.path.join(pack, "discrepancies.csv"), newline="") as f:
        disc = list(csv.DictReader(f))
    ws = wb["Discrepancies"]
    got = sorted((r[0].value, r[column(ws, "File")].value or "",
                  str(r[column(ws, "Line")].value or ""))
                 for r in rows(ws))
    want = sorted((d["code"], d["file"], d["line"]) for d in disc)
    check("Discrepancies match discrepancies.csv", got == want, (got, want))
    with open(os.path.join(pack, "actions.csv"), newline="") as f:
        acts = list(csv.DictReader(f))
    got = sorted((r[0].value, r[6].value) for r in rows(wb["Action history"]))
    want = sorted((a["ref"], a["current"]) for a in acts)
    check("Action history matches actions.csv", got == want)
    plan = sorted((r[0].value, r[4].value, r[5].value, r[7].value,
                   r[6].value) for r in rows(wb["Action plan"])
                  if r[4].value is not None)
    cur = sorted((r[0].value, r[2].value, r[1].value, r[3].value,
                  r[5].value) for r in rows(wb["Action history"])
                 if r[6].value == "yes")
    check("Action plan: every current update, with its agency and status",
          plan == cur and len(cur) == sum(a["current"] == "yes"
                                          for a in acts),
          (len(plan), len(cur)))
    with open(os.path.join(pack, "observations.csv"), newline="") as f:
        obs = list(csv.DictReader(f))
    ws = wb["Indicators"]
    h = headers(ws)
    cells = 0
    for r in rows(ws):
        cells += sum(1 for c in r[9:-1]
                     if c.value is not None or c.comment is not None)
    check("every observation has its cell on the Indicators sheet",
          cells == len(obs), (cells, len(obs)))
    ws = load(path, data_only=True)["Data"]
    h = headers(ws)
    got = sorted((r[h.index("Indicator id")].value,
                  r[h.index("Area id")].value,
                  r[h.index("Period start")].value.strftime("%Y-%m-%d"),
                  r[h.index("Data status")].value,
                  "" if r[h.index("Value")].value is None
                  else "%g" % r[h.index("Value")].value)
                 for r in rows(ws))
    want = sorted((o["indicator"], o["area"], o["start"],
                   o["status"],
                   "%g" % float(o["value"]) if o["value"] else "")
                  for o in obs)
    check("Data: a row per row of observations.csv, the same values",
          got == want, [(a, b) for a, b in zip(got, want) if a != b][:3])


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def mode_golden(path, golden, regen):
    got = parts(path)
    if regen:
        for root, _, names in os.walk(golden, topdown=False):
            for n in names:
                os.remove(os.path.join(root, n))
        for name, data in got.items():
            dest = os.path.join(golden, name)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
        print("ok - golden parts regenerated in %s (%d parts)"
              % (golden, len(got)))
        return
    want = {}
    for root, _, names in os.walk(golden):
        for n in names:
            full = os.path.join(root, n)
            with open(full, "rb") as f:
                want[os.path.relpath(full, golden)] = f.read()
    check("golden: the same parts", sorted(got) == sorted(want),
          sorted(set(got) ^ set(want)))
    shown = False
    for name in sorted(set(got) & set(want)):
        same = got[name] == want[name]
        check("golden: %s" % name, same,
              "differs (REGEN=1 to accept after review)")
        if not same and not shown:
            shown = True
            split = lambda b: b.decode("utf-8", "replace").replace(
                "><", ">\n<").splitlines()
            diff = difflib.unified_diff(split(want[name]), split(got[name]),
                                        "golden/" + name, "new/" + name,
                                        lineterm="", n=1)
            for line in list(diff)[:40]:
                print("    " + line[:200])


def mode_no_comments(path):
    """Past --comments-max: Indicators streams, no figure has a comment,
    the explanation says where the sources are; the figures are those of
    the commented workbook."""
    wb = load(path)
    ws = wb["Indicators"]
    cells = [c for row in ws.iter_rows(min_row=HDR + 1) for c in row]
    check("Indicators: no comments past --comments-max",
          cells and all(c.comment is None for c in cells),
          [c.coordinate for c in cells if c.comment is not None][:5])
    check("Indicators: streamed, no table, a filter",
          not ws.tables and ws.auto_filter.ref
          and ws.auto_filter.ref.startswith("A3:"),
          (list(ws.tables), ws.auto_filter.ref))
    intro = ws.cell(row=2, column=1).value or ""
    check("Indicators: the explanation points to observations.csv",
          "observations.csv" in intro and "dataset.xml" in intro, intro)
    kf = wb["Key findings"]
    check("Key findings keeps its comments",
          any(c.comment is not None for row in kf.iter_rows() for c in row))


def mode_same_values(a, b, sheet):
    """Sheet @sheet holds the same values in both workbooks."""
    va = [tuple(r) for r in load(a, True)[sheet].iter_rows(values_only=True)]
    vb = [tuple(r) for r in load(b, True)[sheet].iter_rows(values_only=True)]
    check("%s: the same values, bar the explanation" % sheet,
          va[:1] == vb[:1] and va[2:] == vb[2:],
          [(x, y) for x, y in zip(va, vb) if x != y][:3])


def mode_parts_differ(a, b, expected):
    pa, pb = parts(a), parts(b)
    diff = sorted(n for n in set(pa) | set(pb) if pa.get(n) != pb.get(n))
    check("only %s differ" % ", ".join(expected), diff == sorted(expected),
          diff)


def mode_text_cells(path, sheet, texts):
    wb = load(path)
    cells = {c.value: c for row in wb[sheet].iter_rows() for c in row
             if isinstance(c.value, str)}
    for t in texts:
        c = cells.get(t)
        check("%s: %s is a text cell" % (sheet, t),
              c is not None and c.data_type == "s",
              c and (c.data_type, c.value))
    with zipfile.ZipFile(path) as z:
        formulas = [n for n in z.namelist()
                    if n.startswith("xl/worksheets/sheet")
                    and "<f>" in z.read(n).decode()]
    check("no formula in any sheet", formulas == [], formulas)


EXCERPT = 200
EXCERPT_MARK = " \u2026 [excerpt: full text in actions.csv and dataset.xml]"


def mode_budget(path, whole_path, pack, budget, noted):
    """The Action history past its progress budget (--progress-budget):
    statements are whole, in the sheet's order, while they fit in the
    budget; from the first that does not, every statement longer than 200
    bytes is its first 200 bytes (cut back to a character) and the
    excerpt mark.  The explanation and the summary give the count;
    actions.csv and the Action plan keep every word."""
    wb, whole = load(path), load(whole_path)
    got = [r[5].value or "" for r in rows(wb["Action history"])]
    full = [r[5].value or "" for r in rows(whole["Action history"])]
    check("budget: the same rows as the whole workbook",
          len(got) == len(full), (len(got), len(full)))
    want, used, spent = [], 0, False
    for text in full:
        n = len(text.encode("utf-8"))
        if not spent and used + n <= budget:
            used += n
            want.append(text)
            continue
        spent = True
        if n <= EXCERPT:
            want.append(text)
        else:
            cut = text.encode("utf-8")[:EXCERPT].decode("utf-8", "ignore")
            want.append(cut + EXCERPT_MARK)
    bad = [i for i, (a, b) in enumerate(zip(got, want)) if a != b]
    check("budget: whole within it, then excerpts of 200 bytes, marked",
          not bad, [(got[i][:60], want[i][:60]) for i in bad[:2]])
    count = sum(t.endswith(EXCERPT_MARK) for t in got)
    check("budget: some statements are excerpts", count > 0, count)
    check("budget: the summary gives the count", count == noted,
          (count, noted))
    intro = wb["Action history"]["A2"].value or ""
    check("budget: the explanation gives the count and the budget",
          ("first %d bytes: %d of the %d statements" % (budget, count,
                                                        len(got))) in intro
          and "full text is in actions.csv and dataset.xml" in intro, intro)
    with open(os.path.join(pack, "actions.csv"), newline="") as f:
        csv_texts = sorted(a["progress"] for a in csv.DictReader(f))
    check("budget: actions.csv keeps every statement whole",
          csv_texts == sorted(full), len(csv_texts))
    plan = [[c.value for c in r] for r in rows(wb["Action plan"])]
    plan_whole = [[c.value for c in r] for r in rows(whole["Action plan"])]
    check("budget: the Action plan is unchanged", plan == plan_whole)


def main(argv):
    mode = argv[1]
    if mode == "samples":
        mode_samples(argv[2], argv[3], argv[4])
    elif mode == "revisions":
        mode_revisions(argv[2], argv[3])
    elif mode == "marking":
        mode_marking(argv[2], argv[3])
    elif mode == "period":
        mode_period(argv[2], argv[3], argv[4])
    elif mode == "returns-missing":
        mode_returns_missing(argv[2], argv[3])
    elif mode == "extra":
        mode_extra(argv[2])
    elif mode == "gaps":
        mode_gaps(argv[2])
    elif mode == "continued":
        mode_continued(argv[2], argv[3], int(argv[4]))
    elif mode == "consistent":
        mode_consistent(argv[2], argv[3])
    elif mode == "golden":
        mode_golden(argv[2], argv[3], len(argv) > 4 and argv[4] == "--regen")
    elif mode == "budget":
        mode_budget(argv[2], argv[3], argv[4], int(argv[5]), int(argv[6]))
    elif mode == "no-comments":
        mode_no_comments(argv[2])
    elif mode == "same-values":
        mode_same_values(argv[2], argv[3], argv[4])
    elif mode == "parts-differ":
        mode_parts_differ(argv[2], argv[3], argv[4:])
    elif mode == "text-cells":
        mode_text_cells(argv[2], argv[3], argv[4:])
    else:
        print("FAIL - unknown mode %s" % mode)
        return 1
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
