#!/bin/sh
# The action plan on landscape pages (issue 19, item 2), in the strategy
# report of the samples (Dartford and Gravesham):
#
#   - the action-plan pages (its bookmark's page up to the next part's)
#     are A4 landscape, 841.89 x 595.28 pt as pdfinfo -f N -l N prints
#     each page's own size, and every other page A4 portrait: the flow
#     after the plan returns to portrait;
#   - the header row (the first word of each column's title) is at the
#     top of every page the plan's tables run onto, above the items, on
#     two lines at most;
#   - no action ref is on two pages (an item that fits on a page is
#     never split), and all 37 are there;
#   - the board pack's action-plan status stays portrait, every page.
#
# tests/functional/check_action_plan.py does the checks.  Environment:
# CSPPACK, SAMPLES_DIR.  pdfinfo, pdftotext, qpdf and /usr/bin/python3
# are needed (bootstrap installs them).

. "$(dirname "$0")/lib.sh"
test_setup action-plan
PY=/usr/bin/python3
for tool in pdfinfo pdftotext qpdf $PY; do
    if ! command -v $tool >/dev/null 2>&1; then
        missing "action-plan" "$tool"
        test_finish
    fi
done

run report --kind strategy -o "$tmp/s.pdf" "$SAMPLES_DIR"
expect "strategy report written" 0
checked "$here/check_action_plan.py" "$tmp/s.pdf" "Action Plan" 37 \
    Ref Action Coordinating Strategic Status Latest

run report --kind board -o "$tmp/b.pdf" "$SAMPLES_DIR"
expect "board pack written" 0
checked "$here/check_action_plan.py" --portrait "$tmp/b.pdf"

test_finish
