#!/bin/sh
# Returns outstanding (the chase list) on the terminal and in the
# receipts, for the board pack's period (doc/reconciliation.md, "Returns
# outstanding"; doc/receipts.md):
#
#   - `build` and `reconcile` print it after their summary lines: one
#     line with the period and how many agencies, then one per agency by
#     name, with the figures (indicator, area) and action updates (refs)
#     not received, or "sent nothing"; nothing with -q; none for a
#     --period that is not a quarter;
#   - every agency's receipt ends with what is still needed from it for
#     the period in words, or says nothing more is; an agency that owes
#     something and sent nothing gets a receipt too.
#
# On copies of the samples: as they are (the CCG sent Gravesham's A&E
# figure as missing; the fire service owes nothing more), without the
# fire service's file, without Kent Police's update on action 2.10
# (coordinated by the CSUs: both councils and Kent Police owe it), and
# without one of its year-ending figures.
#
# Environment: CSPPACK, SAMPLES_DIR.

. "$(dirname "$0")/lib.sh"
test_setup returns
unset SOURCE_DATE_EPOCH

# inbox NAME: $tmp/NAME holds a copy of the samples.
inbox() {
    rm -rf "$tmp/$1"
    mkdir "$tmp/$1" && cp "$SAMPLES_DIR"/*.xml "$tmp/$1/" || exit 99
}

# chase FILE: the lines of FILE from "returns outstanding" on, into
# $tmp/chase.
chase() {
    sed -n '/^returns outstanding for /,$p' "$1" >"$tmp/chase"
}

# has NAME FILE LINE: FILE holds the line LINE.
has() {
    if grep -qxF "$3" "$2"; then
        ok "$1"
    else
        fail "$1" "no line: $3"
    fi
}

# section FILE: the receipt's part from "Still needed" or "Nothing more"
# to its end, into $tmp/section.
section() {
    sed -n '/^\(Still needed\|Nothing more\|We have received no\)/,$p' \
        "$1" >"$tmp/section"
}

ccg_line='  Dartford, Gravesham and Swanley Clinical Commissioning Group: 1 figure (Number of A&E attendances as a result of violence, Gravesham, sent as not yet available)'
# Kent Police sends the key Wards' criminal damage rate in no sample; its
# year-ending counts are owed for the year ending with the quarter, sent.
police_line='  Kent Police: 2 figures (Number of criminal damage offences per 1,000 population in key Wards, Dartford; Number of criminal damage offences per 1,000 population in key Wards, Gravesham)'
correct='To correct a figure, send a new submission with a later submitted time:
it replaces the figures it repeats and leaves the others as they are. To
retract a figure, send it with status "withdrawn".

Dartford and Gravesham Community Safety Partnership'

# ===========================================================================
# The samples as they are.
inbox full
run build --out "$tmp/full.pack" "$tmp/full"
expect "samples: build exit 0" 0
chase "$tmp/out"
exactly "samples: the chase list, exactly" "$tmp/chase" \
    "returns outstanding for Q2 2016/17: 2 agencies
$police_line
$ccg_line"
if [ "$(sed -n '$p' "$tmp/out")" = "$ccg_line" ] &&
    [ "$(grep -c '^  ' "$tmp/chase")" -eq 2 ] &&
    grep -q '^wrote ' "$tmp/out" &&
    [ "$(sed -n '/^wrote /{n;p;}' "$tmp/out")" = \
        'returns outstanding for Q2 2016/17: 2 agencies' ]; then
    ok "samples: the chase list follows the summary lines, 2 agencies"
else
    fail "samples: the chase list follows the summary lines, 2 agencies" \
        "$(tr '\n' '|' <"$tmp/chase")"
fi
if grep -q -e 'kfrs' -e 'dgs-ccg' -e 'ae-violence' -e '2016-07-01' \
    "$tmp/chase"; then
    fail "samples: the chase list names, no ids" "$(tr '\n' '|' <"$tmp/chase")"
else
    ok "samples: the chase list names, no ids"
fi
cp "$tmp/chase" "$tmp/chase.build"
run reconcile --out "$tmp/full.data" "$tmp/full"
expect "samples: reconcile exit 0" 0
chase "$tmp/out"
same "samples: reconcile prints the same chase list" "$tmp/chase.build" \
    "$tmp/chase"
same "samples: reconcile and build write the same receipts" \
    "$tmp/full.pack/receipts/dgs-ccg.txt" "$tmp/full.data/receipts/dgs-ccg.txt"
run build -q --out "$tmp/full.quiet" "$tmp/full"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "samples: build -q prints no chase list"
else
    fail "samples: build -q prints no chase list" "exit status $rc"
fi

section "$tmp/full.pack/receipts/dgs-ccg.txt"
exactly "samples: the CCG's receipt ends with what is still needed" \
    "$tmp/section" "Still needed from you for July to September 2016 (1):
  Number of A&E attendances as a result of violence, Gravesham, July to
    September 2016: you sent it as not yet available

$correct"
section "$tmp/full.pack/receipts/kfrs.txt"
exactly "samples: the fire service's receipt: nothing more is needed" \
    "$tmp/section" "Nothing more is needed for July to September 2016.

$correct"
if [ "$(ls "$tmp/full.pack/receipts" | tr '\n' ' ')" = \
    'dartford-bc.eml dartford-bc.txt dgs-ccg.eml dgs-ccg.txt gravesham-bc.eml gravesham-bc.txt kcc.eml kcc.txt kent-police.eml kent-police.txt kfrs.eml kfrs.txt kss-crc.eml kss-crc.txt ' ]; then
    ok "samples: one receipt and reply draft per agency that sent a file"
else
    fail "samples: one receipt and reply draft per agency that sent a file" \
        "$(ls "$tmp/full.pack/receipts" | tr '\n' ' ')"
fi

# A year is no quarter: no chase list, and the receipts say nothing of it.
run build --period 2015-10-01/2016-09-30 --out "$tmp/year.pack" "$tmp/full"
expect "--period a year: build exit 0" 0
if grep -q '^returns outstanding' "$tmp/out" ||
    grep -q -e '^Still needed' -e '^Nothing more' \
        "$tmp/year.pack"/receipts/*.txt; then
    fail "--period a year: no chase list" "$(grep -h -e '^returns' -e '^Still' -e '^Nothing' "$tmp/out" "$tmp/year.pack"/receipts/*.txt | head -3 | tr '\n' '|')"
else
    ok "--period a year: no chase list"
fi

# ===========================================================================
# Without the fire service's file: it sent nothing and is named.
inbox nokfrs
rm "$tmp/nokfrs/kfrs-2016q2.xml"
run build --out "$tmp/nokfrs.pack" "$tmp/nokfrs"
expect "without KFRS: build exit 0" 0
if grep -q '^csppack: board pack period: Q2 2016/17 (the quarter 1 July to 30 September 2016), the latest quarter with figures from most of the partners expected (6 of 7)$' \
    "$tmp/err"; then
    ok "without KFRS: the pack is still about Q2 2016/17"
else
    fail "without KFRS: the pack is still about Q2 2016/17" "$(cat "$tmp/err")"
fi
chase "$tmp/out"
exactly "without KFRS: the chase list names it, in the template's order" \
    "$tmp/chase" "returns outstanding for Q2 2016/17: 3 agencies
$police_line
  Kent Fire and Rescue Service: sent nothing (owes 6 figures)
$ccg_line"
if [ -f "$tmp/nokfrs.pack/receipts/kfrs.txt" ] &&
    grep -q '^wrote .* receipts/ (14 files)$' "$tmp/out"; then
    ok "without KFRS: it gets a receipt"
else
    fail "without KFRS: it gets a receipt" "$(ls "$tmp/nokfrs.pack/receipts" | tr '\n' ' ')"
fi
# Its draft has no To (the coordinator fills it in) and asks for them
# (its header unfolded: a line that starts with a space continues one).
draft=$tmp/nokfrs.pack/receipts/kfrs.eml
if [ -f "$draft" ] && ! grep -q '^To:' "$draft" &&
    sed -n '1,/^$/p' "$draft" | tr -d '\n' |
    grep -q 'Subject: [^|]*: still needed from you for July to September 2016X-Unsent'; then
    ok "without KFRS: its reply draft has no To and says what is needed"
else
    fail "without KFRS: its reply draft has no To and says what is needed" \
        "$(sed -n '1,/^$/p' "$draft" 2>/dev/null | tr '\n' '|')"
fi
exactly "without KFRS: its receipt says nothing arrived and what is needed" \
    "$tmp/nokfrs.pack/receipts/kfrs.txt" \
    "Dear colleagues at Kent Fire and Rescue Service,

We have received no submission from you to the Dartford and Gravesham
Community Safety Partnership for the Dartford and Gravesham Community
Safety Strategy 2016-19 for July to September 2016. This receipt lists
what is still needed from you.

Still needed from you for July to September 2016 (6):
  Deliberate primary fires, Dartford, July to September 2016
  Deliberate primary fires, Gravesham, July to September 2016
  Deliberate secondary fires, Dartford, July to September 2016
  Deliberate secondary fires, Gravesham, July to September 2016
  Number of young people referred to KF&RS Intervention courses (e.g.
    Climbing Fit, Fighting Fit), Dartford, July to September 2016
  Number of young people referred to KF&RS Intervention courses (e.g.
    Climbing Fit, Fighting Fit), Gravesham, July to September 2016

Please send them in one submission as soon as you can.

Dartford and Gravesham Community Safety Partnership"
run reconcile --out "$tmp/nokfrs.data" "$tmp/nokfrs"
same "without KFRS: reconcile writes the same receipt" \
    "$tmp/nokfrs.pack/receipts/kfrs.txt" "$tmp/nokfrs.data/receipts/kfrs.txt"

# ===========================================================================
# Without Kent Police's update on action 2.10: every agency of the CSUs
# owes it.
inbox no210
sed '/<update ref="2.10"/,/<\/update>/d' "$SAMPLES_DIR/kent-police-2016q2.xml" \
    >"$tmp/no210/kent-police-2016q2.xml" || exit 99
run reconcile --out "$tmp/no210.data" "$tmp/no210"
expect "without 2.10: reconcile exit 0" 0
chase "$tmp/out"
has "without 2.10: Dartford owes the update" "$tmp/chase" \
    '  Dartford Borough Council: 1 action update (2.10)'
has "without 2.10: Gravesham owes the update" "$tmp/chase" \
    '  Gravesham Borough Council: 1 action update (2.10)'
has "without 2.10: Kent Police owes it after its figures" "$tmp/chase" \
    "$police_line, 1 action update (2.10)"
section "$tmp/no210.data/receipts/dartford-bc.txt"
exactly "without 2.10: Dartford's receipt names the action, shortened" \
    "$tmp/section" "Still needed from you for July to September 2016 (1):
  An update on action 2.10: Kent Police to share intelligence regarding
    commodity based…

$correct"

# ===========================================================================
# Without Kent Police's victim-based crime in Dartford for the year ending
# September 2016: a year-ending figure is owed for its year, said so.
inbox noye
sed '/indicator="victim-based-crime" area="dartford"/{N;/2015-10-01\/2016-09-30/d;}' \
    "$SAMPLES_DIR/kent-police-2016q2.xml" >"$tmp/noye/kent-police-2016q2.xml" ||
    exit 99
run reconcile --out "$tmp/noye.data" "$tmp/noye"
chase "$tmp/out"
has "without a year's figure: the chase list names its year" "$tmp/chase" \
    "  Kent Police: 3 figures (Victim-based crime, Dartford, YE Sept 16; Number of criminal damage offences per 1,000 population in key Wards, Dartford; Number of criminal damage offences per 1,000 population in key Wards, Gravesham)"
section "$tmp/noye.data/receipts/kent-police.txt"
exactly "without a year's figure: the receipt names the year in words" \
    "$tmp/section" "Still needed from you for July to September 2016 (3):
  Victim-based crime, Dartford, October 2015 to September 2016
  Number of criminal damage offences per 1,000 population in key Wards,
    Dartford, July to September 2016
  Number of criminal damage offences per 1,000 population in key Wards,
    Gravesham, July to September 2016

$correct"

test_finish
