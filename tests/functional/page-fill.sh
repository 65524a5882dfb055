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

# The chapters that always start a page (doc/report.md, "Pagination"):
# the strategy's action plan; every part of the board pack.  Others
# follow on a page the chapter before left short.
for kind in strategy board; do
    pdf="$tmp/$kind.pdf"
    starts="Action Plan"
    [ "$kind" = board ] && starts="*"
    run report --kind "$kind" -o "$pdf" "$SAMPLES_DIR"
    if [ ! -s "$pdf" ]; then
        fail "$kind: report written" "exit status $rc"
        continue
    fi
    for check in fill type headers outline; do
        checked "$here/check_pages.py" "$check" "$pdf" "$kind" \
            "$TEMPLATES_DIR/dg-csp-2016-19.xml" "$starts"
    done
done

test_finish
