#!/bin/sh
# The template's diagrams, drawn where the text introduces them: the
# strategy report of the samples (the bundled template: the priorities
# aligned with the themes, the partnership's structure, the planning
# cycle) and of a template with one diagram of each kind
# (tests/data/template/tpl-diagrams.xml).  With pdftotext -bbox-layout
# (poppler), each diagram's box labels are found on the page of the
# paragraph that introduces it, below it, inside the page, at 8 pt or
# more (tests/functional/check_diagrams.py).  The HTML report holds each
# diagram as a figure with its caption and its boxes as text.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR (default relative to
# this script).  Prints "N passed, M failed" last; exits 1 when any
# failed, 77 (skip) without pdftotext or /usr/bin/python3.

. "$(dirname "$0")/lib.sh"
test_setup diagrams
SOURCE_DATE_EPOCH=1477044000
export SOURCE_DATE_EPOCH
PY=/usr/bin/python3
need_tools "Debian: poppler-utils, python3" pdftotext "$PY"
top=$(cd "$here/../.." && pwd)

# drawn LABEL TEMPLATE ARGS...: the strategy report of ARGS drawn with
# TEMPLATE's diagrams where its text puts them.
drawn() {
    label=$1 tpl=$2
    shift 2
    run report --kind strategy -o "$tmp/$label.pdf" "$@"
    if [ "$rc" -ne 0 ]; then
        fail "$label: report" "exit status $rc"
        return
    fi
    pdftotext -bbox-layout "$tmp/$label.pdf" "$tmp/$label.bbox" ||
        fail "$label: pdftotext" "could not read $tmp/$label.pdf"
    checked "$here/check_diagrams.py" "$tmp/$label.bbox" "$tpl" "$label"
}

drawn samples "$top/templates/dg-csp-2016-19.xml" "$SAMPLES_DIR"
# A template of one diagram of each kind, with a blank submission.
kinds=$TEST_DATA_DIR/template/tpl-diagrams.xml
mkdir "$tmp/kinds"
"$CSPPACK" blank --template "$kinds" --agency police \
    --period 2016-04-01/2016-06-30 >"$tmp/kinds/police.xml" 2>"$tmp/err" ||
    fail "kinds: blank" "$(cat "$tmp/err")"
drawn kinds "$kinds" --template "$kinds" "$tmp/kinds"

# Long labels and many boxes: labels wrap in their boxes (a word too
# long for one is broken), no word lies on another or off its page, and
# a cycle too tall for a circle is drawn as a column, every step of it
# on the page (poppler drops words wholly off the page).
long=$TEST_DATA_DIR/template/tpl-diagrams-long.xml
run report --kind strategy --template "$long" -o "$tmp/long.pdf" "$tmp/kinds"
if [ "$rc" -eq 0 ] && pdftotext -bbox-layout "$tmp/long.pdf" "$tmp/long.bbox"
then
    checked "$here/check_fits.py" "$tmp/long.bbox" "long labels"
    pdftotext -raw "$tmp/long.pdf" "$tmp/long.txt"
    n=$(grep -c '^Step [0-6]:$' "$tmp/long.txt")
    [ "$n" -eq 7 ] && ok "long labels: the 7 long steps of the cycle drawn" ||
        fail "long labels: cycle" "$n of the 7 long steps on a page"
else
    fail "long labels: report" "exit status $rc"
fi

# The HTML: a figure per diagram, captioned, with its boxes as text.
run report --kind strategy -o "$tmp/s.html" "$SAMPLES_DIR"
n=$(grep -c '<figure class="diagram"' "$tmp/s.html")
[ "$n" -eq 3 ] && ok "html: 3 diagram figures" ||
    fail "html: diagram figures" "$n, expected 3"
for want in \
    '<figcaption>Partnership Organisational Structure</figcaption>' \
    '<li><strong>Substance Misuse</strong>: linked to 1. Protecting Vulnerable People from Harm; 3. Protecting and Strengthening Communities.</li>' \
    '<li>CSP Key Delivery Groups (also under Dartford Community Safety Unit)<ul>' \
    '<li>The Strategic Assessment process carried out in December</li>'; do
    if grep -qF "$want" "$tmp/s.html"; then
        ok "html: $want"
    else
        fail "html: text alternative" "no $want"
    fi
done
test_finish
