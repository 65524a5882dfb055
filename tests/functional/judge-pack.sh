#!/bin/sh
# The test partnership with targets (tests/data/judge: its template and
# returns, every judgement worked out by hand in EXPECTED.md) built into
# a whole pack: the board pack's summary counts the directions of travel
# and the ratings, its dashboard shows each rating and target, and the
# workbook's Data sheet carries the same rating and direction for every
# figure of the pack's quarter, as EXPECTED.md says.
#
# Environment: CSPPACK, TEST_DATA_DIR.

. "$(dirname "$0")/lib.sh"
test_setup judge-pack
PY=/usr/bin/python3

judge="$TEST_DATA_DIR/judge"
run build --template "$judge/template.xml" --out "$tmp/pack" "$judge"
expect "build: the test partnership's pack" 0

if ! command -v pdftotext >/dev/null 2>&1; then
    missing "the board pack's text" pdftotext
else
    pdftotext -f 1 -l 1 "$tmp/pack/board-report.pdf" - 2>/dev/null |
        tr -s ' \n' '  ' >"$tmp/page1"
    for want in \
        "Quarterly board pack – Q2 2017/18" \
        "Burglaries fell 6.0% in Northmoor and 1.0% in Eastwick in the year ending September 2017" \
        "The 12 latest figures of the 6 measures" \
        "5 improving" "2 worsening" "3 no real change" \
        "1 up (neither way is better)" "1 down (neither way is better)" \
        "3 green" "3 amber" "3 red" \
        "All returns received for July to September 2017."; do
        if grep -qF "$want" "$tmp/page1"; then
            ok "page 1: $want"
        else
            fail "page 1: $want" "not on the first page"
        fi
    done
    pdftotext -layout "$tmp/pack/board-report.pdf" - 2>/dev/null \
        >"$tmp/all"
    # Each rated row: the figure, its comparator, its rating and target.
    for want in \
        "Violent crimes Northmoor 114 120 -5.0% Green" \
        "Eastwick 210 180 +16.7% Amber" \
        "Burglaries Northmoor 376 400 -6.0% Green" \
        "Eastwick 297 300 -1.0% Amber"; do
        if tr -s ' \n' '  ' <"$tmp/all" | grep -qF "$want"; then
            ok "dashboard: $want"
        else
            fail "dashboard: $want" "no such row"
        fi
    done
fi

if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    missing "the workbook's Data sheet" openpyxl
else
    cat >"$tmp/data.py" <<'PYEOF'
import sys
import openpyxl

# (indicator id, area id): (rating, direction, target), EXPECTED.md.
WANT = {
    ("violent-crime", "northmoor"): ("Green", "Better", 120),
    ("violent-crime", "eastwick"): ("Amber", "Worse", 200),
    ("burglary", "northmoor"): ("Green", "Better", 380),
    ("burglary", "eastwick"): ("Amber", "No real change", 285),
    ("asb-reports", "northmoor"): ("Red", "No real change", 216),
    ("asb-reports", "eastwick"): ("Green", "Better", 135),
    ("victims-supported", "northmoor"): ("Amber", "Better", 50),
    ("victims-supported", "eastwick"): ("Red", "Worse", 50),
    ("noise-complaints", "northmoor"): ("Grey", "Down", None),
    ("noise-complaints", "eastwick"): ("Grey", "Up", None),
    ("repeat-victims", "northmoor"): ("Grey", "No real change", None),
    ("repeat-victims", "eastwick"): ("Red", "Better", 25),
}
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Data"]
rows = ws.iter_rows(values_only=True)
head = None
for row in rows:
    if row and row[0] == "Indicator":
        head = list(row)
        break
col = {name: head.index(name) for name in head if name}
got = {}
for row in rows:
    end = row[col["Period end"]]
    if end is None or end.strftime("%Y-%m-%d") != "2017-09-30":
        continue
    key = (row[col["Indicator id"]], row[col["Area id"]])
    got[key] = (row[col["Rating"]], (row[col["Direction"]] or "").capitalize()
                if row[col["Direction"]] else None, row[col["Target"]])
for key, want in sorted(WANT.items()):
    have = got.get(key)
    if have == want:
        print("ok - Data: %s %s: %s" % (key + (want,)))
    else:
        print("FAIL - Data: %s %s: got %r, expected %r" % (key + (have, want)))
PYEOF
    checker "$tmp/data.py" "$tmp/pack/workbook.xlsx" ||
        fail "the Data sheet's checker" "exit $prc: $(tail -3 "$tmp/py.out")"
fi

test_finish
