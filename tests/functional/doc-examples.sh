#!/bin/sh
# Every example diagnostic in doc/diagnostics.md that names a test file
# must be exactly what csppack prints for that file (tests/data/.../*.expected).
. "$(dirname "$0")/lib.sh"
test_setup doc-examples
doc=$top/doc/diagnostics.md
bad=$TEST_DATA_DIR/submissions/bad
lines=$(grep -E '^    (e[0-9]+|several)[a-z0-9-]*\.xml:[0-9]+: (error|warning|info): [EWI][0-9]+:' "$doc" | sed 's/^    //')
[ -n "$lines" ] || fail "examples" "none found in $doc"
echo "$lines" >"$tmp/examples"
while IFS= read -r line; do
    file=${line%%:*}
    exp=$bad/${file%.xml}.expected
    if [ -f "$exp" ] && grep -qxF "$line" "$exp"; then
        ok "$file"
    else
        fail "$file" "doc example is not what csppack prints: $line"
    fi
done <"$tmp/examples"
test_finish
