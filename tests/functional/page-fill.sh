#!/bin/sh
# How the two reports are typeset (tests/functional/check_pages.py): the
# strategy report and the board pack of the samples, each checked that
# no page is below half full unless a chapter (a level-0 bookmark) ends
# on it or it is the last; that no text is set under 8 pt and body and
# table text at 9 pt or more; that every running header is whole (a
# heading or a short title of the template, never cut); and that the
# bookmarks nest as the headings do and the contents list every section
# (doc/report.md, "Pagination" and "Type").
#
# Environment: CSPPACK, SAMPLES_DIR, TEMPLATES_DIR.  Prints "N passed,
# M failed" last; exits 1 when any failed, 77 (skip) without pdftotext,
# qpdf or /usr/bin/python3.

. "$(dirname "$0")/lib.sh"
test_setup page-fill
SOURCE_DATE_EPOCH=1477044000
export SOURCE_DATE_EPOCH
PY=/usr/bin/python3
need_tools "Debian: poppler-utils, qpdf, python3" pdftotext qpdf "$PY"

# report LABEL KIND TEMPLATE INBOX STARTS: the report KIND of INBOX,
# typeset as the checks say.  STARTS names the chapters that always
# start a page (doc/report.md, "Pagination"): the strategy's action plan
# (its title is the template's), every part of the board pack ("*").
# Others follow on a page the chapter before left short.
report() {
    pdf="$tmp/$1.pdf"
    run report --kind "$2" -o "$pdf" "$4"
    if [ ! -s "$pdf" ]; then
        fail "$1: report written" "exit status $rc"
        return
    fi
    for check in fill type headers outline; do
        checked "$here/check_pages.py" "$check" "$pdf" "$1" "$3" "$5"
    done
}

dg=$TEMPLATES_DIR/dg-csp-2016-19.xml
report strategy strategy "$dg" "$SAMPLES_DIR" "Action Plan"
report board board "$dg" "$SAMPLES_DIR" "*"
# Another partnership's template, its own words and lengths: the rules
# are the layout's, not one strategy's.
wv=$(dirname "$SAMPLES_DIR")/wyvern-vale
report wv-strategy strategy "$wv/strategy.xml" "$wv" \
    "Our Delivery Plan for 2021/22"
report wv-board board "$wv/strategy.xml" "$wv" "*"

test_finish
