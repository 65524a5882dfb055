#!/bin/sh
# The number of diagnostics one file can draw is bounded, so that a
# small hostile file cannot make csppack print, or hold in memory,
# millions of them (issue 7: a bound on every input-driven size).
#
#   - schema problems (E109): at most 100 listed, then one more E109
#     saying there are more, and the reader stops;
#   - problems with single figures and updates (E2xx, E240 included):
#     at most 10,000 listed, then the file is refused whole with E113;
#   - the number of files one run reads (--max-files, default 100,000):
#     more is E115 and nothing is read or written.
#
# The files are made in a temporary folder; each run is limited to 20
# seconds and, unless the program cannot start under it (ASan), 1 GB.
# Before the bounds, the first file below (2.6 MB) made 800,000
# diagnostics.
#
# Environment: CSPPACK (the program); see lib.sh.

. "$(dirname "$0")/lib.sh"
TIME_LIMIT=20
MEM_LIMIT_KB=1000000
test_setup diag-bounds
cd "$tmp" || exit 99

use_ulimit=yes
if [ -n "${CSPPACK_ASAN:-}" ] || [ -n "${CSPPACK_VALGRIND:-}" ] ||
    ! sh -c 'ulimit -v "$1" && "$2" --version' sh "$MEM_LIMIT_KB" "$CSPPACK" \
        >/dev/null 2>&1; then
    use_ulimit=
    echo "# not limiting memory (ASan, valgrind, or no ulimit -v)"
fi

# run ARGS...: csppack within the limits; stdout in out, stderr in err.
run() {
    (
        # shellcheck disable=SC3045
        if [ -n "$use_ulimit" ]; then ulimit -v "$MEM_LIMIT_KB" || exit 98; fi
        exec timeout "$TIME_LIMIT" "$CSPPACK" "$@"
    ) >"$tmp/out" 2>"$tmp/err"
}

# submission FILE N LINE: a submission whose observations are LINE
# repeated N times.
submission() {
    {
        echo '<?xml version="1.0" encoding="UTF-8"?>'
        echo '<submission xmlns="urn:csppack:submission:1"' \
            'strategy="dg-csp-2016-19" agency="kent-police"' \
            'submitted="2016-10-14T09:30:00+01:00">'
        echo '  <submitter name="Crime Analyst" email="analyst@example.org"/>'
        echo '  <observations>'
        awk -v n="$2" -v line="$3" 'BEGIN { for (i = 0; i < n; i++) print line }'
        echo '  </observations>'
        echo '</submission>'
    } >"$1"
}

# count CODE: how many CODE diagnostics are in out.
count() {
    grep -c ": error: $1: " "$tmp/out"
}

# check NAME RC: the run ended in time, with exit status 1 and nothing on
# stderr; the caller checks the rest.
ended() {
    if [ "$2" -eq 124 ]; then
        fail "$1" "still running after ${TIME_LIMIT}s (killed)"
    elif [ "$2" -ne 1 ]; then
        fail "$1" "exit status $2, expected 1"
    elif [ -s "$tmp/err" ]; then
        fail "$1" "unexpected output on stderr"
    else
        return 0
    fi
    return 1
}

# 200,000 elements that each break the schema four ways.
submission schema-flood.xml 200000 '    <obs x="1"/>'
run validate schema-flood.xml
rc=$?
if ended "schema-flood" "$rc"; then
    n=$(count E109)
    if [ "$n" -ne 101 ]; then
        fail "schema-flood" "$n E109 diagnostics, expected 100 and one more"
    elif ! grep -q 'E109: the file has more than 100 problems with the submission format' "$tmp/out"; then
        fail "schema-flood" "no E109 saying that more problems were not listed"
    else
        ok "schema-flood"
    fi
fi

# 12,000 figures with an unknown area: the first 10,000 listed, then E113.
submission item-flood.xml 12000 \
    '    <obs indicator="victim-based-crime" area="dartfrd" period="2016-07-01/2016-09-30" value="1"/>'
run validate item-flood.xml
rc=$?
if ended "item-flood" "$rc"; then
    n=$(count E202)
    if [ "$n" -ne 10000 ]; then
        fail "item-flood" "$n E202 diagnostics, expected 10000"
    elif [ "$(count E113)" -ne 1 ] ||
        ! grep -q 'E113: the file has more than 10000 problems with its figures and updates' "$tmp/out"; then
        fail "item-flood" "no single E113 refusing the file"
    elif ! grep -q '^item-flood.xml: refused: ' "$tmp/out"; then
        fail "item-flood" "the file is not refused whole"
    else
        ok "item-flood"
    fi
fi

# The same figure 10,001 times (E240 for each) is refused the same way.
submission repeat-flood.xml 10001 \
    '    <obs indicator="victim-based-crime" area="dartford" period="2016-07-01/2016-09-30" value="1"/>'
run validate repeat-flood.xml
rc=$?
if ended "repeat-flood" "$rc"; then
    if [ "$(count E240)" -ne 10000 ] || [ "$(count E113)" -ne 1 ]; then
        fail "repeat-flood" "$(count E240) E240 and $(count E113) E113, expected 10000 and 1"
    else
        ok "repeat-flood"
    fi
fi

# Just under the bound: 10,000 problems are all listed, and the good
# figure in the file is still used.
submission under.xml 10000 \
    '    <obs indicator="victim-based-crime" area="dartfrd" period="2016-07-01/2016-09-30" value="1"/>'
sed 's|  </observations>|    <obs indicator="victim-based-crime" area="dartford" period="2016-07-01/2016-09-30" value="1"/>\n  </observations>|' \
    under.xml >under2.xml
run validate under2.xml
rc=$?
if ended "under-the-bound" "$rc"; then
    if [ "$(count E202)" -ne 10000 ] || [ "$(count E113)" -ne 0 ]; then
        fail "under-the-bound" "$(count E202) E202 and $(count E113) E113, expected 10000 and 0"
    elif ! grep -q '^under2.xml: partly refused: 1 figure' "$tmp/out"; then
        fail "under-the-bound" "the good figure was not accepted"
    else
        ok "under-the-bound"
    fi
fi

# reconcile refuses the flooded file and still writes the pack.
run reconcile -q --out pack item-flood.xml
rc=$?
if ended "reconcile-item-flood" "$rc"; then
    if [ ! -f pack/dataset.xml ]; then
        fail "reconcile-item-flood" "no pack written"
    else
        ok "reconcile-item-flood"
    fi
fi

# More files than --max-files: E115, exactly, and nothing read or written;
# for validate, reconcile and build alike.
mkdir many
for i in 1 2 3 4; do
    submission "many/f$i.xml" 1 \
        '    <obs indicator="victim-based-crime" area="dartford" period="2016-07-01/2016-09-30" value="1"/>'
done
want_e115='many:1: error: E115: more than 3 files are named for one run (the count passed it here); nothing was read: split the submissions into smaller runs or raise --max-files'
for cmd in validate "reconcile --out packs" "build --out packb"; do
    # shellcheck disable=SC2086
    run $cmd --max-files 3 many
    rc=$?
    name="max-files ($cmd)"
    if [ "$rc" -ne 1 ]; then
        fail "$name" "exit status $rc, expected 1"
    elif [ "$(cat "$tmp/out")" != "$want_e115" ]; then
        fail "$name" "stdout is not the one E115 line: $(head -c 300 "$tmp/out")"
    elif [ "$(grep -c '^csppack: error: .*too many files: nothing was read' "$tmp/err")" -ne 1 ] ||
        [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
        fail "$name" "stderr is not one error line: $(head -c 300 "$tmp/err")"
    elif [ -e packs ] || [ -e packb ]; then
        fail "$name" "an output folder was written"
    else
        ok "$name"
    fi
done
# The same files named twice (folder and its files) count once: 4 <= 4.
run validate --max-files 4 many many/ many/f1.xml
rc=$?
if [ "$rc" -ne 0 ] || [ "$(grep -c ': valid: ' "$tmp/out")" -ne 4 ]; then
    fail "max-files counts each file once" "exit $rc: $(head -c 300 "$tmp/out")"
else
    ok "max-files counts each file once"
fi

test_finish
