#!/bin/sh
# A blank filled in by a script exactly as its comments instruct
# (blank-fill.py) validates with no warning; left unfilled, or half
# filled, it draws exactly the W601 lines of tests/data/blank/*.expected.
. "$(dirname "$0")/lib.sh"
test_setup blank-fill
: "${PY:=/usr/bin/python3}"
if "$PY" "$here/blank-fill.py" "$CSPPACK" "$tmp" "$TEST_DATA_DIR/blank" >"$tmp/out" 2>&1; then
    ok "blank-fill.py: $(grep -c '^ok' "$tmp/out") checks"
else
    fail "blank-fill.py" "$(cat "$tmp/out")"
fi
test_finish
