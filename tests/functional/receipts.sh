#!/bin/sh
# Receipts as a partner's data officer reads them, and their reply drafts
# (doc/receipts.md): for both sample partnerships and for the mixed
# reconciliation inputs (every rule fires there), every receipt line is
# at most 72 columns, with no SHA-256, no template id and no program
# name; each agency's receipts/AGENCY.eml parses with Python's email
# package as a draft (X-Unsent: 1, text/plain; charset utf-8, no Date or
# Message-ID) whose body is the receipt (check_receipts.py).  A refused
# item is told by its indicator, area and period in words, where, why and
# what to send instead.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR, TEMPLATES_DIR.

. "$(dirname "$0")/lib.sh"
test_setup receipts
PY=/usr/bin/python3
here=$(dirname "$0")
wyvern=$SAMPLES_DIR/../wyvern-vale

# The mixed inputs have refusals: reconcile exits 1 and writes the pack.
"$CSPPACK" reconcile -q --out "$tmp/mx" "$TEST_DATA_DIR/reconcile/mixed" \
    >/dev/null 2>&1
if "$CSPPACK" build -q --out "$tmp/dg" "$SAMPLES_DIR" >"$tmp/out" 2>"$tmp/err" &&
    "$CSPPACK" build -q --out "$tmp/wv" --template "$wyvern/strategy.xml" \
        "$wyvern" >"$tmp/out" 2>"$tmp/err" && [ -d "$tmp/mx/receipts" ]; then
    ok "the packs build"
else
    fail "the packs build" "exit status $?"
fi
rm -f "$tmp/out" "$tmp/err"

checked "$here/check_receipts.py" dartford-gravesham "$tmp/dg" \
    "$TEMPLATES_DIR/dg-csp-2016-19.xml"
checked "$here/check_receipts.py" wyvern-vale "$tmp/wv" "$wyvern/strategy.xml"
checked "$here/check_receipts.py" mixed "$tmp/mx" \
    "$TEMPLATES_DIR/dg-csp-2016-19.xml"

# para FILE: the receipt with each list item's lines joined into one.
para() {
    awk '/^    - /{if (p) print p; p=substr($0, 7); next}
         /^      /{if (p) {sub(/^ +/, ""); p=p " " $0; next}}
         {if (p) print p; p=""; print}
         END{if (p) print p}' "$1"
}

# The mixed inputs' police-a.xml writes "1,385" at line 16.
want='Criminal damage offences, Dartford, October 2015 to September 2016 (line 16 of police-a.xml) was refused: value "1,385" is not a number; write 1385. Please send it again, corrected, in a new submission with a later submitted time.'
if para "$tmp/mx/receipts/kent-police.txt" | grep -qxF "$want"; then
    ok "a refused item: indicator, area, period, line, why, what to send"
else
    fail "a refused item: indicator, area, period, line, why, what to send" \
        "no item: $want"
fi

# The sample rate that fails its check is said without csppack's words.
want="Your figure for Crimes against society per 1,000 population, Dartford, October 2015 to September 2016 is 5.9 (line 31 of kent-police-2016q2.xml), but the partnership's calculation from the figures it depends on gives 6.0, and 5.9 is not within rounding of it; 6.0 is used. If your figure is right, please check the figures it is calculated from."
if para "$tmp/dg/receipts/kent-police.txt" | grep -qxF "$want"; then
    ok "a failed check: the partnership's calculation, names, period in words"
else
    fail "a failed check: the partnership's calculation, names, period in words" \
        "no item: $want"
fi

# The drafts are the same bytes run to run (no Date, no Message-ID).
"$CSPPACK" build -q --out "$tmp/dg2" "$SAMPLES_DIR" >/dev/null 2>&1
if cmp -s "$tmp/dg/receipts/kcc.eml" "$tmp/dg2/receipts/kcc.eml"; then
    ok "a reply draft: the same bytes twice"
else
    fail "a reply draft: the same bytes twice" "differs"
fi

test_finish
