#!/bin/sh
# Nothing off the page: every word of every PDF of a pack lies inside
# its page's media box less 4 points (pdftotext -bbox-layout, poppler;
# tests/functional/check_fits.py).  Run on the samples' pack and on packs
# of a stress template (tests/data/fits/gen.py, built here): 12 areas
# with long names (and 1, and 6), 6 themes with long titles, long
# delivery-group, agency, priority and indicator names.  Long table and
# chart titles wrap, column headers keep their words, running headers
# are shortened.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR (default relative to
# this script).  Prints "N passed, M failed" last; exits 1 when any
# failed, 77 (skip) without pdftotext or /usr/bin/python3.

. "$(dirname "$0")/lib.sh"
test_setup fits
SOURCE_DATE_EPOCH=1477044000
export SOURCE_DATE_EPOCH
PY=/usr/bin/python3
need_tools "Debian: poppler-utils, python3" pdftotext pdfinfo "$PY"

# fits LABEL PACK: every PDF of PACK (at least one) on its pages.
fits() {
    n=0
    for pdf in "$2"/*.pdf; do
        [ -f "$pdf" ] || continue
        n=$((n + 1))
        if ! pdftotext -bbox-layout "$pdf" "$pdf.html" 2>/dev/null; then
            fail "$1: $(basename "$pdf")" "pdftotext could not read it"
            continue
        fi
        checker "$here/check_fits.py" "$pdf.html" "$1: $(basename "$pdf")"
    done
    [ "$n" -ge 2 ] && ok "$1: $n PDF files checked" ||
        fail "$1: PDF files" "$n found in $2, expected the board pack and the strategy"
}

# build_pack LABEL OUT ARGS...: csppack build, exit status 0.
build_pack() {
    label=$1 out=$2
    shift 2
    "$CSPPACK" build -q --out "$out" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        ok "$label: built"
    else
        fail "$label: built" "exit status $rc: $(head -3 "$tmp/err")"
    fi
}

build_pack samples "$tmp/samples" "$SAMPLES_DIR"
fits samples "$tmp/samples"

for n in 12 6 1; do
    "$PY" "$TEST_DATA_DIR/fits/gen.py" "$tmp/fits$n" "$n" ||
        fail "fits $n areas: generated" "gen.py failed"
    build_pack "$n areas" "$tmp/fits$n/pack" \
        --template "$tmp/fits$n/template.xml" "$tmp/fits$n/inbox"
    fits "$n areas" "$tmp/fits$n/pack"
done

# A third partnership, written only as a template and submissions
# (tests/data/judge: its template is found among its submissions): on
# its pages, and with no name of the other shipped partnerships in any
# PDF, sheet or receipt.
build_pack "third partnership" "$tmp/third" "$TEST_DATA_DIR/judge"
fits "third partnership" "$tmp/third"
: >"$tmp/third.txt"
for pdf in "$tmp"/third/*.pdf; do
    pdftotext -enc UTF-8 "$pdf" - 2>/dev/null >>"$tmp/third.txt"
done
if command -v unzip >/dev/null 2>&1; then
    unzip -p "$tmp/third/workbook.xlsx" 'xl/*.xml' 'xl/worksheets/*.xml' \
        >>"$tmp/third.txt" 2>/dev/null
fi
cat "$tmp"/third/receipts/* >>"$tmp/third.txt" 2>/dev/null
others="$top/templates/dg-csp-2016-19.xml"
for t in "$top"/samples/*/strategy.xml; do
    [ -f "$t" ] && others="$others $t"
done
# shellcheck disable=SC2086 # the templates are words
if "$PY" "$here/check_words.py" "$tmp/third.txt" $others >"$tmp/words" 2>&1; then
    ok "third partnership: no name of another partnership in its pack"
else
    fail "third partnership: no name of another partnership in its pack" \
        "$(head -5 "$tmp/words" | tr '\n' '|')"
fi

# The long titles are there, wrapped, not cut (words in order).
pdftotext -raw "$tmp/fits12/pack/strategy-report.pdf" "$tmp/s12.txt" 2>/dev/null
for want in \
    "Protecting Vulnerable Children, Young People and Adults from Exploitation, Abuse and Neglect in Every Community" \
    "Ravensworth-under-Edge, Coldstream Bridge and Harrowgate Fell"
do
    if tr '\n' ' ' <"$tmp/s12.txt" | grep -qF "$want"; then
        ok "12 areas: whole: ${want%%,*}"
    else
        fail "12 areas: whole: ${want%%,*}" "not found as one run of words"
    fi
done

# Column headers keep their words when twelve long area names squeeze
# the dashboard ("Compared with", not "Compare" / "d with").
pdftotext -raw "$tmp/fits12/pack/board-report.pdf" "$tmp/b12.txt" 2>/dev/null
if grep -q '^Measure Area Figure Compared$' "$tmp/b12.txt" &&
    ! grep -q '^d with' "$tmp/b12.txt"; then
    ok "12 areas: dashboard headers keep their words"
else
    fail "12 areas: dashboard headers keep their words" \
        "$(grep -m1 '^Measure Area' "$tmp/b12.txt")"
fi

# A measure's rows kept together that cannot fit on one page flow on,
# many to a page: no page holds a single row (the last row never goes
# alone), as when every row broke the page.
alone=
np=$(pdfinfo "$tmp/fits12/pack/strategy-report.pdf" 2>/dev/null |
    sed -n 's/^Pages: *//p')
k=1
while [ "$k" -le "${np:-0}" ]; do
    c=$(pdftotext -raw -f "$k" -l "$k" "$tmp/fits12/pack/strategy-report.pdf" - 2>/dev/null |
        grep -c 'Q2 2016/17')
    [ "$c" -eq 1 ] && alone="$alone $k"
    k=$((k + 1))
done
if [ -n "$np" ] && [ -z "$alone" ]; then
    ok "12 areas: measures flow, no page with a single row"
else
    fail "12 areas: measures flow" "pages with a single row:$alone"
fi

test_finish
