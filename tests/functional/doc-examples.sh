#!/bin/sh
# Every example diagnostic in doc/diagnostics.md that names a test file
# must be exactly what csppack prints for that file (tests/data/.../*.expected).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=${srcdir:-$here/../..}
doc=$top/doc/diagnostics.md
bad=${TEST_DATA_DIR:-$top/tests/data}/submissions/bad
pass=0
fail=0
lines=$(grep -E '^    (e[0-9]+|several)[a-z0-9-]*\.xml:[0-9]+: (error|warning|info): [EWI][0-9]+:' "$doc" | sed 's/^    //')
[ -n "$lines" ] || { echo "FAIL - no examples found in $doc"; echo "0 passed, 1 failed"; exit 1; }
echo "$lines" > "${TMPDIR:-/tmp}/csppack-doc-ex.$$"
while IFS= read -r line; do
    file=${line%%:*}
    exp=$bad/${file%.xml}.expected
    if [ -f "$exp" ] && grep -qxF "$line" "$exp"; then
        pass=$((pass + 1))
    else
        echo "FAIL - doc example not printed for $file: $line"
        fail=$((fail + 1))
    fi
done < "${TMPDIR:-/tmp}/csppack-doc-ex.$$"
rm -f "${TMPDIR:-/tmp}/csppack-doc-ex.$$"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
