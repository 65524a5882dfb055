#!/bin/sh
# Any partnership: the code names nothing a shipped template declares
# (its partnership, areas, agencies, delivery groups, themes).  Every name is the template's to say.
. "$(dirname "$0")/lib.sh"
test_setup no-partnership
: "${PY:=/usr/bin/python3}"

set -- "$top"/templates/*.xml
for t in "$top"/samples/*/strategy.xml "$top"/tests/data/judge/template.xml; do
    [ -f "$t" ] && set -- "$@" "$t"
done
if "$PY" "$here/no-partnership.py" "$top" "$@" >"$tmp/found" 2>&1; then
    ok "src/ and include/ name nothing of the $# shipped templates"
else
    fail "src/ and include/ name nothing of the $# shipped templates" \
        "$(head -20 "$tmp/found")"
fi

# The check itself finds a name: a copy of one file with an area's name.
mkdir -p "$tmp/top/src"
printf '/* rose in Dartford */\n' >"$tmp/top/src/x.c"
if "$PY" "$here/no-partnership.py" "$tmp/top" "$top/templates/dg-csp-2016-19.xml" \
    >"$tmp/out" 2>&1; then
    fail "the check finds an area's name in a comment" "it found nothing"
else
    exactly "the check finds an area's name in a comment" "$tmp/out" \
        'src/x.c:1: names "Dartford"'
fi
test_finish
