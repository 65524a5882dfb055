#!/bin/sh
# Archival PDF/A-2b (issue 17, item 4), checked requirement by requirement
# over qpdf's JSON view of the file (check_pdfa.py says what each check
# looks at; doc/pdf.md what is and is not verified).  No open PDF/A
# validator works offline, so this is what is checked:
#
#   - build's strategy report, `report --archive` of the board pack and of
#     a strategy report whose date is in another zone (+01:00), and
#     Wyvern Vale's strategy report pass every check as PDF/A-2b;
#   - the board pack of build and `report --kind strategy` without
#     --archive are not PDF/A (no output intent, no pdfaid) but carry
#     /Lang, DisplayDocTitle, the XMP and the ID all the same;
#   - the same input gives the same bytes twice, and the ID is the first
#     16 bytes of the SHA-256 of the file with its placeholder in place
#     (so it is derived from the content);
#   - each check fails on a copy broken for it (break_pdf.py), and a copy
#     only rewritten the same way passes them all.
#
# Environment: CSPPACK, SAMPLES_DIR.  qpdf, fix-qdf and /usr/bin/python3
# are needed (bootstrap installs them).

. "$(dirname "$0")/lib.sh"
test_setup pdf-a
PY=/usr/bin/python3
fail_lines=3
wv=$(dirname "$SAMPLES_DIR")/wyvern-vale
for tool in qpdf fix-qdf $PY; do
    if ! command -v $tool >/dev/null 2>&1; then
        missing "pdf-a" "$tool"
        test_finish
    fi
done

# pdfa NAME MODE FILE: every check of check_pdfa.py passes.
pdfa() {
    echo "# $1"
    if [ ! -f "$3" ]; then
        fail "$1: written" "no $3"
        return
    fi
    checker "$here/check_pdfa.py" "$2" "$3" ||
        fail "$1: check_pdfa.py" "exit status $prc"
}

run build --out "$tmp/a" "$SAMPLES_DIR"
expect "build the samples" 0
run build --out "$tmp/b" "$SAMPLES_DIR"
expect "build the samples again" 0
run report --archive -o "$tmp/board-a.pdf" "$SAMPLES_DIR"
expect "report --archive" 0
run report --archive -o "$tmp/board-b.pdf" "$SAMPLES_DIR"
expect "report --archive again" 0
run report --kind strategy -o "$tmp/strategy-plain.pdf" "$SAMPLES_DIR"
expect "report --kind strategy" 0
# The latest submission's time, in +01:00: the document's dates keep it.
mkdir "$tmp/zone"
cp "$SAMPLES_DIR"/*.xml "$tmp/zone/"
sed -i 's/submitted="2016-11-18T12:00:00+00:00"/submitted="2016-11-18T12:00:00+01:00"/' \
    "$tmp/zone/dgs-ccg-2016q2.xml"
run report --archive --kind strategy -o "$tmp/zone.pdf" "$tmp/zone"
expect "report --archive --kind strategy, dated +01:00" 0
if grep -aq "CreationDate (D:20161118120000+01'00')" "$tmp/zone.pdf"; then
    ok "the +01:00 document's Info date is in +01:00"
else
    fail "the +01:00 document's Info date is in +01:00" \
        "$(grep -ao "CreationDate ([^)]*)" "$tmp/zone.pdf")"
fi
"$CSPPACK" build --template "$wv/strategy.xml" --out "$tmp/wv" "$wv" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "build wyvern-vale" 0
: >"$tmp/out"
: >"$tmp/err"

pdfa "build: strategy report" --archive "$tmp/a/strategy-report.pdf"
pdfa "report --archive: board pack" --archive "$tmp/board-a.pdf"
pdfa "report --archive: strategy dated +01:00" --archive "$tmp/zone.pdf"
pdfa "wyvern-vale: strategy report" --archive "$tmp/wv/strategy-report.pdf"
pdfa "build: board pack (not archival)" --no-archive "$tmp/a/board-report.pdf"
pdfa "report --kind strategy (not archival)" --no-archive \
    "$tmp/strategy-plain.pdf"
pdfa "wyvern-vale: board pack (not archival)" --no-archive \
    "$tmp/wv/board-report.pdf"

same "the same input, the same strategy report" "$tmp/a/strategy-report.pdf" \
    "$tmp/b/strategy-report.pdf"
same "the same input, the same board pack" "$tmp/a/board-report.pdf" \
    "$tmp/b/board-report.pdf"
same "report --archive twice: the same bytes" "$tmp/board-a.pdf" \
    "$tmp/board-b.pdf"

# The ID is a digest of the file as saved with the placeholder ID.
for f in "$tmp/a/strategy-report.pdf" "$tmp/a/board-report.pdf"; do
    if "$PY" - "$f" >"$tmp/py.out" 2>&1 <<'PYEOF'
import hashlib, re, sys
data = open(sys.argv[1], "rb").read()
t = data.rindex(b"trailer")
m = re.compile(rb"/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \]").search(data, t)
if not m or m.group(1) != m.group(2):
    sys.exit("no ID of two equal strings in the trailer")
ph = b"11" * 16
orig = data[:t] + data[t:].replace(m.group(1), ph)
want = hashlib.sha256(orig).hexdigest()[:32].upper().encode()
if want != m.group(1):
    sys.exit("ID %s, digest %s" % (m.group(1), want))
PYEOF
    then
        ok "the ID of $(basename "$f") is the digest of its content"
    else
        fail "the ID of $(basename "$f") is the digest of its content" \
            "$(cat "$tmp/py.out")"
    fi
done

# The checker's own test: a copy only rewritten passes; each broken copy
# fails the check named, and exits 1.
src=$tmp/a/strategy-report.pdf
if "$PY" "$here/break_pdf.py" none "$src" "$tmp/none.pdf" 2>"$tmp/err" &&
    "$PY" "$here/check_pdfa.py" --archive "$tmp/none.pdf" >"$tmp/out" 2>&1; then
    ok "a copy rewritten through QDF passes every check"
else
    fail "a copy rewritten through QDF passes every check" "see below"
fi
while read -r case check; do
    if ! "$PY" "$here/break_pdf.py" "$case" "$src" "$tmp/bad.pdf" \
        >"$tmp/out" 2>"$tmp/err"; then
        fail "bad case $case: made" "break_pdf.py failed"
        continue
    fi
    "$PY" "$here/check_pdfa.py" --archive "$tmp/bad.pdf" >"$tmp/out" 2>&1
    prc=$?
    if [ $prc -eq 1 ] && grep -q "^FAIL - $check: " "$tmp/out"; then
        ok "bad case $case: the $check check fails"
    else
        fail "bad case $case: the $check check fails" \
            "exit $prc: $(grep FAIL "$tmp/out" | head -3 | tr '\n' '|')"
    fi
done <<'CASES'
header header
lang lang
doctitle doctitle
metadata metadata
xmp-title xmp-info
xmp-date xmp-info
pdfaid pdfaid
intent outputintent
icc outputintent
font fonts
tounicode fonts
smask transparency
alpha transparency
javascript actions
annot annotations
id id
encrypt encrypt
CASES
: >"$tmp/out"
: >"$tmp/err"
# The modes are not interchangeable: a board pack is not PDF/A, a PDF/A
# file is not a plain one.
"$PY" "$here/check_pdfa.py" --archive "$tmp/a/board-report.pdf" >"$tmp/py.out" 2>&1
if [ $? -eq 1 ] && grep -q "^FAIL - outputintent: " "$tmp/py.out" &&
    grep -q "^FAIL - pdfaid: " "$tmp/py.out"; then
    ok "bad case: the board pack is not PDF/A-2b"
else
    fail "bad case: the board pack is not PDF/A-2b" "$(grep -c FAIL "$tmp/py.out") failures"
fi
"$PY" "$here/check_pdfa.py" --no-archive "$src" >"$tmp/py.out" 2>&1
if [ $? -eq 1 ] && grep -q "^FAIL - outputintent: " "$tmp/py.out"; then
    ok "bad case: the strategy report is not a plain PDF"
else
    fail "bad case: the strategy report is not a plain PDF" "no failure"
fi
test_finish
