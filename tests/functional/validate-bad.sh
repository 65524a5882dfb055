#!/bin/sh
# Data-driven tests of refused submissions: one file per diagnostic code.
#
# Every tests/data/submissions/bad/NAME.expected is one case.  The script
# changes into that folder and runs
#
#     "$CSPPACK" validate [ARGS] INPUT
#
# and compares stdout byte for byte with NAME.expected, checks that stderr
# is empty and that the exit status is 1.  Beside NAME.expected:
#
#   NAME.xml    the input (the usual case)
#   NAME.args   extra arguments, one line, split on blanks (e.g. --max-size 1K)
#   NAME.input  the path to validate instead of NAME.xml (e.g. a missing file)
#   NAME.plain  a valid submission that the script gzips (gzip -n) into a
#               temporary folder as NAME.xml and validates there
#   NAME.exit   the expected exit status when it is not 1
#
# Arguments, if any, name the cases to run (e.g. e210-exponent).
#
# REGEN=1 rewrites NAME.expected from the current output instead of
# comparing (every case, or those named).  Review the diff before
# committing: each message must be one a partner's data officer can act on
# (see doc/diagnostics.md), and each file must draw exactly the diagnostic
# it is named after.  The .expected files hold what csppack should print,
# not whatever it printed last.
#
# Environment: CSPPACK (the program), TEST_DATA_DIR (tests/data); both
# default to paths relative to this script so that it can be run by hand.

. "$(dirname "$0")/lib.sh"
bad=$TEST_DATA_DIR/submissions/bad
if [ ! -d "$bad" ]; then
    echo "validate-bad: no folder $bad (set TEST_DATA_DIR)" >&2
    exit 99
fi
test_setup validate-bad

# One golden-file case.
run_case() {
    name=$1
    dir=$bad
    input=$name.xml
    args=
    want_rc=1
    [ -f "$bad/$name.args" ] && args=$(cat "$bad/$name.args")
    [ -f "$bad/$name.input" ] && input=$(cat "$bad/$name.input")
    [ -f "$bad/$name.exit" ] && want_rc=$(cat "$bad/$name.exit")
    if [ -f "$bad/$name.plain" ]; then
        dir=$tmp/gen
        rm -rf "$dir"
        mkdir "$dir" || return
        gzip -n -c <"$bad/$name.plain" >"$dir/$input" || {
            fail "$name" "cannot gzip $name.plain"
            return
        }
    elif [ ! -f "$bad/$name.input" ] && [ ! -f "$bad/$name.xml" ]; then
        fail "$name" "no input: add $name.xml, $name.input or $name.plain"
        return
    fi
    # $args is split on blanks on purpose.
    # shellcheck disable=SC2086
    (cd "$dir" && exec "$CSPPACK" validate $args "$input") \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -n "${REGEN:-}" ]; then
        cp "$tmp/out" "$bad/$name.expected"
        echo "regenerated - $name (exit $rc)"
        return
    fi
    if ! cmp -s "$bad/$name.expected" "$tmp/out"; then
        fail "$name" "stdout differs from $name.expected"
        diff -u "$bad/$name.expected" "$tmp/out" | sed 's/^/    /'
        if [ -s "$tmp/err" ]; then
            echo "    stderr:"
            sed 's/^/    /' "$tmp/err"
        fi
    elif [ -s "$tmp/err" ]; then
        fail "$name" "unexpected output on stderr"
        sed 's/^/    /' "$tmp/err"
    elif [ "$rc" -ne "$want_rc" ]; then
        fail "$name" "exit status $rc, expected $want_rc"
    else
        ok "$name"
    fi
}

# With arguments, run (or regenerate) only the cases named.
if [ $# -gt 0 ]; then
    for name in "$@"; do
        run_case "${name%.expected}"
    done
    [ -n "${REGEN:-}" ] && exit 0
    test_finish
fi

for exp in "$bad"/*.expected; do
    [ -f "$exp" ] || continue
    name=${exp##*/}
    run_case "${name%.expected}"
done
[ -n "${REGEN:-}" ] && exit 0

# Every input in the folder must be a case, so none is forgotten.
orphans=
for f in "$bad"/*.xml; do
    [ -f "$f" ] || continue
    name=${f##*/}
    name=${name%.xml}
    [ -f "$bad/$name.expected" ] || orphans="$orphans $name.xml"
done
if [ -n "$orphans" ]; then
    fail "every-input-has-expected" "no .expected file for$orphans"
else
    ok "every-input-has-expected"
fi

# A folder with no .xml file in it is a mistake (a wrong path, an empty
# download): it must be reported, never pass silently as "all valid".
mkdir "$tmp/no-submissions-here" && : >"$tmp/no-submissions-here/README.txt"
(cd "$tmp" && exec "$CSPPACK" validate no-submissions-here) \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 4 ]; then
    fail "e119-empty-folder" "exit status $rc, expected 4 (nothing to read)"
elif ! grep -qxF 'no-submissions-here:1: error: E119: the folder holds no .xml or mail file, only 1 entry skipped (listed); name the folder the submissions were saved in' "$tmp/out"; then
    fail "e119-empty-folder" "nothing says the folder holds no .xml file"
else
    ok "e119-empty-folder"
fi

# Validating the whole folder reports every .xml file in it, in name
# order, exactly as when each is validated alone.
(cd "$bad" && exec "$CSPPACK" validate .) >"$tmp/out" 2>"$tmp/err"
rc=$?
: >"$tmp/want"
for f in "$bad"/*.xml; do
    [ -f "$f" ] || continue
    (cd "$bad" && exec "$CSPPACK" validate "./${f##*/}") >>"$tmp/want" 2>/dev/null
done
if [ "$rc" -ne 1 ]; then
    fail "whole-folder" "exit status $rc, expected 1"
elif ! cmp -s "$tmp/want" "$tmp/out"; then
    fail "whole-folder" "output differs from the files validated one by one"
    diff -u "$tmp/want" "$tmp/out" | sed 's/^/    /'
else
    ok "whole-folder"
fi

test_finish
