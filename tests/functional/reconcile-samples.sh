#!/bin/sh
# `csppack reconcile` on the shipped samples: the pack it writes is
# byte-for-byte the checked-in golden pack (tests/data/golden/samples/:
# dataset.xml, the three CSV files and the receipts), the dataset is valid
# against dataset.xsd, the CSV files are RFC 4180 with CRLF, and the
# command's exit codes and printing follow its contract.  The same for
# tests/data/reconcile/mixed (every reconciliation rule fires there),
# against tests/data/golden/mixed/. Formula payloads (=HYPERLINK, +cmd,
# @SUM, a leading -) in progress statements and file names come out of
# the CSV files as text (a leading '), exact lines, and as text cells in
# the workbook.  actions.csv lists refs in plan order, also for refs of
# a template's own pattern (SP1.2a: tests/data/action-refs).
#
# Regenerate the golden files (then READ them before committing) with
#     UPDATE_GOLDEN=1 tests/functional/reconcile-samples.sh
#
# Environment: CSPPACK (the program), SAMPLES_DIR (samples/), TEST_DATA_DIR
# (tests/data/), TEMPLATES_DIR (templates/); all default relative to this
# script.

. "$(dirname "$0")/lib.sh"
test_setup reconcile-samples
unset SOURCE_DATE_EPOCH
fail_lines=20
golden=$TEST_DATA_DIR/golden/samples

# run_reconcile WANT_RC NAME ARGS...: run csppack reconcile, check the exit
# status.
run_reconcile() {
    want=$1 name=$2
    shift 2
    "$CSPPACK" reconcile "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
        return 1
    fi
    ok "$name"
}

pack=$tmp/pack
files="dataset.xml observations.csv discrepancies.csv actions.csv"

# golden_pack LABEL PACK GOLDEN: PACK is exactly GOLDEN, file for file
# (with UPDATE_GOLDEN=1, GOLDEN is rewritten from PACK first).
golden_pack() {
    label=$1 got=$2 want=$3
    if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
        rm -rf "$want"
        mkdir -p "$want"
        cp -R "$got/." "$want/"
        echo "golden files written to $want: read them before committing"
    fi
    for f in $files; do
        if [ ! -f "$want/$f" ]; then
            fail "$label: golden $f" "missing: run with UPDATE_GOLDEN=1"
        elif cmp -s "$want/$f" "$got/$f"; then
            ok "$label: golden $f"
        else
            fail "$label: golden $f" "differs"
            diff -u "$want/$f" "$got/$f" | head -40 | sed 's/^/    /'
        fi
    done
    if diff -r "$want/receipts" "$got/receipts" >"$tmp/diff" 2>&1; then
        ok "$label: golden receipts/ ($(ls "$got/receipts" | wc -l | tr -d ' ') files)"
    else
        fail "$label: golden receipts/" "differs"
        head -40 "$tmp/diff" | sed 's/^/    /'
    fi
}

run_reconcile 0 "reconcile the samples folder" --out "$pack" "$SAMPLES_DIR"
golden_pack samples "$pack" "$golden"

# actions.csv in the action plan's order (the template's action-refs):
# each theme's items by number, 1.9 before 1.10, not byte order.
refs=$(cut -d, -f1 "$pack/actions.csv" | grep -x '[0-9]*\.[0-9]*' | uniq | tr '\n' ' ')
want=$(printf '%s\n' $refs | sort -t. -k1,1n -k2,2n | uniq | tr '\n' ' ')
case $refs in
*" 1.9 1.10 "*)
    if [ "$refs" = "$want" ]; then
        ok "actions.csv: refs in plan order (1.9 before 1.10)"
    else
        fail "actions.csv: refs in plan order" "got $refs"
    fi ;;
*) fail "actions.csv: refs in plan order (1.9 before 1.10)" "got $refs" ;;
esac

# Nothing else in the pack (but the list of its files, .csppack-files):
# no temporary folder left behind, in it or beside it.
names=$(cd "$pack" && ls -A | tr '\n' ' ')
if [ "$names" = ".csppack-files actions.csv dataset.xml dataset.xsd discrepancies.csv observations.csv receipts " ] &&
    [ -z "$(private_folders "$pack")" ]; then
    ok "the pack holds exactly the six outputs (dataset, its schema, three CSVs, receipts)"
else
    fail "the pack holds exactly the six outputs (dataset, its schema, three CSVs, receipts)" "found: $names $(private_folders "$pack")"
fi

# The summary names what was read and what stands.
if grep -q '^files: 7 read, 0 refused, 0 partly refused, 0 duplicates$' "$tmp/out" &&
    grep -q '^discrepancies: 0 errors, 1 warning, 0 info$' "$tmp/out" &&
    grep -q '^figures: [0-9]* stand ([0-9]* computed), 0 disputed$' "$tmp/out"; then
    ok "summary on stdout"
else
    fail "summary on stdout" "unexpected"
fi
# The criminal-damage shares are shares of total crime: the partner's 15.4
# and 16.9 stand, and only Dartford's crimes-against-society rate is W409.
if grep -q '^criminal-damage-share,dartford,2015-10-01,2016-09-30,15.4,final,kent-police,' "$pack/observations.csv" &&
    grep -q '^criminal-damage-share,gravesham,2015-10-01,2016-09-30,16.9,final,kent-police,' "$pack/observations.csv" &&
    ! grep -q 'W409: .*criminal-damage-share' "$tmp/out"; then
    ok "the partner's criminal-damage shares of total crime stand"
else
    fail "the partner's criminal-damage shares of total crime stand" "$(grep criminal-damage-share "$pack/observations.csv")"
fi
# dataset.xml says the same, in the figure's origin attribute.
if grep -q '<figure indicator="crimes-against-society-rate" area="dartford" start="2015-10-01" end="2016-09-30" state="stands" status="final" value="6.0" decimals="1" computed="true" origin="replaced" agency="csppack">' "$pack/dataset.xml" &&
    grep -q '<figure indicator="crimes-against-society-rate" area="dartford" start="2014-10-01" .* computed="true" origin="computed" agency="csppack">' "$pack/dataset.xml" &&
    grep -q '<figure indicator="victim-based-crime" area="dartford" start="2015-10-01" .* origin="partner" agency="kent-police"' "$pack/dataset.xml"; then
    ok "dataset.xml: origin replaced, computed, partner"
else
    fail "dataset.xml: origin replaced, computed, partner" "$(grep 'figure indicator="crimes-against-society-rate" area="dartford"' "$pack/dataset.xml")"
fi
# Where each figure came from: csppack's 6.0 replaced Kent Police's 5.9;
# the earlier years' rates csppack worked out; the rest is the partner's.
if grep -q '^crimes-against-society-rate,dartford,2015-10-01,2016-09-30,6.0,final,csppack,,,replaced' "$pack/observations.csv" &&
    grep -q '^crimes-against-society-rate,dartford,2014-10-01,2015-09-30,4.5,final,csppack,,,computed' "$pack/observations.csv" &&
    grep -q '^crimes-against-society-rate,gravesham,2015-10-01,2016-09-30,5.8,final,kent-police,.*,kent-police-2016q2.xml,partner' "$pack/observations.csv"; then
    ok "observations.csv: origin replaced, computed, partner"
else
    fail "observations.csv: origin replaced, computed, partner" "$(grep crimes-against-society-rate "$pack/observations.csv")"
fi
if [ "$(grep -c ': warning: W409: ' "$tmp/out")" -eq 1 ] && [ ! -s "$tmp/err" ]; then
    ok "warnings printed, nothing on stderr"
else
    fail "warnings printed, nothing on stderr" "unexpected"
fi

# The dataset is valid: csppack's own validate (the embedded XSD), and
# xmllint against templates/dataset.xsd where xmllint is installed.
if "$CSPPACK" validate "$pack/dataset.xml" >"$tmp/out" 2>"$tmp/err" &&
    grep -q 'valid dataset' "$tmp/out"; then
    ok "csppack validate dataset.xml"
else
    fail "csppack validate dataset.xml" "refused"
fi
if command -v xmllint >/dev/null 2>&1; then
    if xmllint --noout --nonet --schema "$TEMPLATES_DIR/dataset.xsd" \
        "$pack/dataset.xml" >"$tmp/out" 2>"$tmp/err"; then
        ok "xmllint --schema dataset.xsd"
    else
        fail "xmllint --schema dataset.xsd" "invalid"
    fi
fi

# CSV: every record ends in CRLF (no field of these files holds a line
# break), UTF-8 without BOM, the header row exactly as outputs.md says.
for f in observations.csv discrepancies.csv; do
    if LC_ALL=C grep -q "$(printf '[^\r]$')" "$pack/$f" ||
        [ "$(tail -c 2 "$pack/$f" | od -An -c | tr -d ' ')" != '\r\n' ]; then
        fail "$f: CRLF line endings" "a line without CR"
    else
        ok "$f: CRLF line endings"
    fi
done
check_header() {
    got=$(head -n 1 "$pack/$1" | tr -d '\r')
    if [ "$got" = "$2" ]; then
        ok "$1: header"
    else
        fail "$1: header" "got $got"
    fi
}
check_header observations.csv \
    "indicator,area,start,end,value,status,agency,submitted,file,origin"
check_header discrepancies.csv \
    "code,severity,kind,file,line,agency,indicator,area,start,end,ref,values,message"
check_header actions.csv "ref,current,as_of,status,agency,submitted,progress"
if head -c 3 "$pack/observations.csv" | od -An -tx1 | grep -q 'ef bb bf'; then
    fail "no byte-order mark" "found one"
else
    ok "no byte-order mark"
fi

# Twice the same run: the same bytes (nothing from the clock).
run_reconcile 0 "reconcile again into another folder" --out "$tmp/again" "$SAMPLES_DIR"
if diff -r "$pack" "$tmp/again" >/dev/null 2>&1; then
    ok "a second run gives identical bytes"
else
    fail "a second run gives identical bytes" "differs"
fi
# ... and over an existing pack, replacing it in place.
run_reconcile 0 "reconcile over the existing pack" --out "$pack" "$SAMPLES_DIR"
if diff -r "$tmp/again" "$pack" >/dev/null 2>&1; then
    ok "rerun over an existing pack gives identical bytes"
else
    fail "rerun over an existing pack gives identical bytes" "differs"
fi

# Exit codes: --strict turns the warnings into exit 1; -q prints nothing.
run_reconcile 1 "--strict with warnings exits 1" --strict --out "$tmp/strict" "$SAMPLES_DIR"
run_reconcile 0 "-q" -q --out "$tmp/quiet" "$SAMPLES_DIR"
if [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
    fail "-q prints nothing" "output found"
else
    ok "-q prints nothing"
fi
run_reconcile 0 "--help" --help
grep -q '^Usage: csppack reconcile' "$tmp/out" && ok "--help prints usage" ||
    fail "--help prints usage" "no usage line"
run_reconcile 2 "no files is a usage error" --out "$tmp/x"
run_reconcile 2 "unknown option is a usage error" --bogus "$SAMPLES_DIR"
run_reconcile 2 "--out without a value is a usage error" "$SAMPLES_DIR" --out
if [ -e "$tmp/x" ]; then
    fail "a usage error writes nothing" "$tmp/x exists"
else
    ok "a usage error writes nothing"
fi
# An unreadable submission is refused, listed, and makes the exit 1.
run_reconcile 1 "a missing input file exits 1" --out "$tmp/missing" \
    "$SAMPLES_DIR/kcc-2016q2.xml" "$tmp/no-such-file.xml"
if grep -q '^E101,error,unreadable,no-such-file.xml,' "$tmp/missing/discrepancies.csv" &&
    [ -f "$tmp/missing/receipts/unknown.txt" ] && [ -f "$tmp/missing/receipts/kcc.txt" ]; then
    ok "a missing input is in discrepancies.csv and receipts/unknown.txt"
else
    fail "a missing input is in discrepancies.csv and receipts/unknown.txt" "not found"
fi

# A byte-identical copy counts once (I401, info): still exit 0, even with
# --strict, and the copy is named in discrepancies.csv and the receipt.
mkdir -p "$tmp/dup"
cp "$SAMPLES_DIR/kcc-2016q2.xml" "$tmp/dup/"
cp "$SAMPLES_DIR/kcc-2016q2.xml" "$tmp/dup/kcc-again.xml"
run_reconcile 0 "a duplicate file is information only" --strict --out "$tmp/dupout" "$tmp/dup"
if grep -q '^I401,info,duplicate-file,kcc-again.xml,,kcc,' "$tmp/dupout/discrepancies.csv" &&
    grep -q '^  Duplicate: the same bytes as kcc-2016q2.xml, which is counted' "$tmp/dupout/receipts/kcc.txt" &&
    grep -q 'duplicate-of="kcc-2016q2.xml"' "$tmp/dupout/dataset.xml"; then
    ok "the duplicate is reported in every output"
else
    fail "the duplicate is reported in every output" "not found"
fi

# The mixed inbox: errors by design, so exit 1; its pack is golden too.
mixed=$TEST_DATA_DIR/reconcile/mixed
run_reconcile 1 "reconcile the mixed inbox (errors: exit 1)" --out "$tmp/mixed" "$mixed"
golden_pack mixed "$tmp/mixed" "$TEST_DATA_DIR/golden/mixed"
if "$CSPPACK" validate "$tmp/mixed/dataset.xml" >/dev/null 2>&1; then
    ok "mixed: csppack validate dataset.xml"
else
    fail "mixed: csppack validate dataset.xml" "refused"
fi

# CSV files people double-click: a text field that a spreadsheet would run
# as a formula (starting with = + - @, a tab or a CR) starts with "'";
# figures and dates are as they stand. Payloads in progress statements,
# a note and file names; the exact lines.
inj=$tmp/inject
mkdir -p "$inj"
cat >"$inj/=kcc.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19" agency="kcc" submitted="2016-10-28T16:05:00+01:00">
  <submitter name="Analyst" email="a@example.org"/>
  <observations>
    <obs indicator="meam-referrals" area="all" period="2016-07-01/2016-09-30" value="6">=HYPERLINK("http://example.org/x","click")</obs>
    <obs indicator="dvpo-issued" area="dartford" period="2016-07-01/2016-09-30" value="-3"/>
  </observations>
  <actions>
    <update ref="1.1" status="on-track" as-of="2016-09-30">=HYPERLINK("http://example.org/x","click")</update>
    <update ref="1.2" status="on-track" as-of="2016-09-30">+cmd|' /C calc'!A0</update>
    <update ref="1.3" status="at-risk" as-of="2016-09-30">@SUM(1+1)</update>
    <update ref="1.4" status="on-track" as-of="2016-09-30">-2+3 victims were helped.</update>
    <update ref="1.5" status="on-track" as-of="2016-09-30">Plain, with a = inside.</update>
  </actions>
</submission>
EOF
printf 'not XML at all\n' >"$inj/+junk.xml"
cp "$inj/=kcc.xml" "$inj/@copy.xml"
run_reconcile 1 "formula payloads: reconciled (refusals: exit 1)" \
    --out "$tmp/injout" "$inj"
sha=$(sha256sum "$inj/=kcc.xml" | cut -c1-12)
# csv_is NAME FILE: FILE is exactly the lines on stdin (CRLF added).
csv_is() {
    sed 's/$/\r/' >"$tmp/want.csv"
    if cmp -s "$tmp/want.csv" "$tmp/injout/$1"; then
        ok "$1: formula payloads written as text, figures and dates as they stand"
    else
        fail "$1: formula payloads written as text" \
            "$(diff "$tmp/want.csv" "$tmp/injout/$1" | tr -d '\r' | head -8)"
    fi
}
csv_is actions.csv <<'EOF'
ref,current,as_of,status,agency,submitted,progress
1.1,yes,2016-09-30,on-track,kcc,2016-10-28T16:05:00+01:00,"'=HYPERLINK(""http://example.org/x"",""click"")"
1.2,yes,2016-09-30,on-track,kcc,2016-10-28T16:05:00+01:00,'+cmd|' /C calc'!A0
1.3,yes,2016-09-30,at-risk,kcc,2016-10-28T16:05:00+01:00,'@SUM(1+1)
1.4,yes,2016-09-30,on-track,kcc,2016-10-28T16:05:00+01:00,'-2+3 victims were helped.
1.5,yes,2016-09-30,on-track,kcc,2016-10-28T16:05:00+01:00,"Plain, with a = inside."
EOF
csv_is observations.csv <<'EOF'
indicator,area,start,end,value,status,agency,submitted,file,origin
meam-referrals,all,2016-07-01,2016-09-30,6,final,kcc,2016-10-28T16:05:00+01:00,'=kcc.xml,partner
EOF
csv_is discrepancies.csv <<EOF
code,severity,kind,file,line,agency,indicator,area,start,end,ref,values,message
E104,error,empty,'+junk.xml,1,,,,,,,,the file holds no XML document; send the submission again
E212,error,negative,'=kcc.xml,6,kcc,dvpo-issued,dartford,2016-07-01,2016-09-30,,,"value ""-3"" is negative; a count is never below zero, so check the sign"
I401,info,duplicate-file,'@copy.xml,,kcc,,,,,,,"'@copy.xml is byte-identical to =kcc.xml (SHA-256 $sha...); it is counted once, as =kcc.xml"
EOF
# The workbook stores them as text (libxlsxwriter's strings), no formula.
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
    "$CSPPACK" workbook -q -o "$tmp/inject.xlsx" "$inj" >/dev/null 2>&1
    /usr/bin/python3 "$(dirname "$0")/check_workbook.py" text-cells \
        "$tmp/inject.xlsx" "Action plan" \
        '=HYPERLINK("http://example.org/x","click")' "+cmd|' /C calc'!A0" \
        "@SUM(1+1)" "-2+3 victims were helped." >"$tmp/py.out" 2>&1
    if grep -q '^FAIL' "$tmp/py.out" || ! grep -q '^ok' "$tmp/py.out"; then
        fail "workbook: formula payloads are text cells" \
            "$(grep '^FAIL' "$tmp/py.out" | head -3)"
    else
        ok "workbook: formula payloads are text cells, no formula"
    fi
else
    missing "workbook: formula payloads are text cells" openpyxl
fi

# Refs of a template's own pattern (SP{theme}.{item}{letter}): a
# submission's updates validate, reconcile, and sort in plan order.
run_reconcile 0 "action refs SP1.2a: reconciled" \
    --template "$TEST_DATA_DIR/template/tpl-action-refs.xml" \
    --out "$tmp/sp" "$TEST_DATA_DIR/action-refs"
got=$(cut -d, -f1,4 "$tmp/sp/actions.csv" | tr '\n' ' ')
want="ref,status SP1.2,on-track SP1.2a,at-risk SP1.9,complete SP1.10,on-track SP2.1,on-track "
if [ "$got" = "$want" ]; then
    ok "action refs SP1.2a: every update, in plan order"
else
    fail "action refs SP1.2a: every update, in plan order" "got $got"
fi

test_finish
