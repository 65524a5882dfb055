#!/bin/sh
# Template format 2's units and areas (issue 16), on the template
# tests/data/template/tpl-units.xml (districts with wards, rates per
# 100,000 and per household, money, averages, derived totals) and one
# partner's return, tests/data/units/police-2016q2.xml:
#
#   - dataset.xml records a derived total as rule kind "areas" with its
#     areas as inputs, and a rate per household with its households;
#   - the workbook names each unit ("rate per 100,000 population", "rate
#     per 1,000 households", "money", "average"), on the Data sheet and
#     the About sheet, and says a derived total is the sum of its areas;
#   - the board report prints money with its currency and thousands
#     separators and its tables show the top-level areas, not the wards;
#   - the chase list does not ask for derived totals.
#
# Environment: CSPPACK, TEST_DATA_DIR.  The workbook and PDF checks
# need openpyxl (for /usr/bin/python3) and pdftotext.

. "$(dirname "$0")/lib.sh"
test_setup units
PY=/usr/bin/python3
tpl=$TEST_DATA_DIR/template/tpl-units.xml
mkdir "$tmp/in" && cp "$TEST_DATA_DIR/units/police-2016q2.xml" "$tmp/in/" ||
    exit 99

run build --template "$tpl" --out "$tmp/pack" "$tmp/in"
expect "build with the units template" 0
pack=$tmp/pack

# dataset.xml: the derived total of North is the sum of its wards.
if grep -A3 'area="north" start="2016-07-01"' "$pack/dataset.xml" |
    grep -q '<rule kind="areas" exact="7">'; then
    ok "derived total in dataset.xml"
else
    fail "derived total in dataset.xml" "no rule kind=areas for north"
fi
if grep -q '<rule kind="rate" exact="100/9" households="90">' \
    "$pack/dataset.xml"; then
    ok "rate per household in dataset.xml"
else
    fail "rate per household in dataset.xml" "no households=\"90\""
fi
if grep -q "Thefts, North" "$tmp/out"; then
    fail "derived totals not chased" "Thefts, North is chased"
else
    ok "derived totals not chased"
fi

if "$PY" -c 'import openpyxl' 2>/dev/null; then
    cat >"$tmp/wb.py" <<'PYEOF'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def check(name, cond):
    print(("ok - " if cond else "FAIL - ") + name)
units = {}
for row in wb["Data"].iter_rows(min_row=3, values_only=True):
    if row and row[0]:
        units[row[0]] = row[6]
check("Data: rate per 100,000",
      units.get("Thefts per 100,000") == "rate per 100,000 population")
check("Data: rate per household", units.get(
    "Burglaries per 1,000 households") == "rate per 1,000 households")
check("Data: money", units.get("Spend") == "money")
check("Data: average", units.get("Mean wait in days") == "average")
about = [r[0] for r in wb["About"].iter_rows(values_only=True) if r]
for u in ("rate per 1,000 population", "rate per 100,000 population",
          "rate per 1,000 households", "money", "average"):
    check("About: " + u, u in about)
comments = [c.comment.text for r in wb["Indicators"].iter_rows()
            for c in r if c.comment]
check("comment: derived total", any(
    "computed by csppack as the sum of its areas (North + South + East)"
    in t for t in comments))
PYEOF
    checker "$tmp/wb.py" "$pack/workbook.xlsx" ||
        fail "workbook checks" "the checker failed (exit $prc)"
else
    missing "workbook checks" openpyxl
fi

if command -v pdftotext >/dev/null 2>&1; then
    pdftotext -layout "$pack/board-report.pdf" "$tmp/board.txt" 2>/dev/null
    if grep -q 'Funding  *All areas  *€13,345\.50' "$tmp/board.txt"; then
        ok "money in the board report, in the template's currency"
    else
        fail "money in the board report" "no €13,345.50 (the template's currency)"
    fi
    # A ward as a table's area (the chase list names what is owed).
    if grep -Eq '  (North|East) (One|Two)  ' "$tmp/board.txt"; then
        fail "top-level areas in the board report" "a ward is shown"
    else
        ok "top-level areas in the board report"
    fi
else
    missing "board report checks" pdftotext
fi
test_finish
