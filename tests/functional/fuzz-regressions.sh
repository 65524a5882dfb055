#!/bin/sh
# Inputs the fuzz targets (fuzz/, `make fuzz`) found crashing, leaking,
# hanging or eating memory, kept so that the bug never comes back.
#
# Every tests/data/fuzz/NAME.xml is one case:
#
#   sub-*.xml   a submission: `csppack validate NAME.xml` must end with
#               exit status 0 (accepted) or 1 (refused, with diagnostics
#               on stdout and nothing on stderr); then `csppack reconcile`
#               of it with two samples (as fuzz_submission does) must end
#               with 0 or 1 and write the pack;
#   tpl-*.xml   a strategy template: `csppack validate --template
#               NAME.xml` must end with 0 (usable) or 1 (refused, with
#               the diagnostics on stderr).
#
# Each run is limited to 20 seconds and, where the program can start
# under it (not with ASan), about 1 GB of memory; an exit status of 124
# or more is a crash, a hang or running out of memory.  NAME.expected,
# when present, is the exact stdout (validate) or stderr (template) the
# case must give; NAME.args holds extra arguments.
#
# Environment: CSPPACK, TEST_DATA_DIR, SAMPLES_DIR (see lib.sh).

. "$(dirname "$0")/lib.sh"
dir=$TEST_DATA_DIR/fuzz
TIME_LIMIT=20
MEM_LIMIT_KB=1000000
if [ ! -d "$dir" ]; then
    echo "fuzz-regressions: no folder $dir (set TEST_DATA_DIR)" >&2
    exit 99
fi
test_setup fuzz-regressions

use_ulimit=yes
if [ -n "${CSPPACK_ASAN:-}" ] || [ -n "${CSPPACK_VALGRIND:-}" ] ||
    ! sh -c 'ulimit -v "$1" && "$2" --version' sh "$MEM_LIMIT_KB" "$CSPPACK" \
        >/dev/null 2>&1; then
    use_ulimit=
    echo "# not limiting memory (ASan, valgrind, or no ulimit -v)"
fi

# limited CMD...: run CMD (in $dir) within the time and memory limits.
limited() {
    (
        cd "$dir" || exit 99
        # shellcheck disable=SC3045
        if [ -n "$use_ulimit" ]; then ulimit -v "$MEM_LIMIT_KB" || exit 98; fi
        exec timeout "$TIME_LIMIT" "$@"
    ) >"$tmp/out" 2>"$tmp/err"
}

# verdict CASE RC STREAM: 0 or 1 and (with NAME.expected) the exact text.
verdict() {
    case_name=$1 rc=$2 stream=$3
    if [ "$rc" -eq 124 ]; then
        fail "$case_name" "still running after ${TIME_LIMIT}s (killed)"
    elif [ "$rc" -gt 1 ]; then
        fail "$case_name" "exit status $rc: crashed, ran out of memory or failed"
    elif [ -f "$dir/$name.expected" ] && [ "$stream" != - ] &&
        ! cmp -s "$dir/$name.expected" "$tmp/$stream"; then
        fail "$case_name" "$stream differs from $name.expected"
        diff -u "$dir/$name.expected" "$tmp/$stream" | sed 's/^/    /'
    else
        ok "$case_name"
    fi
}

n=0
for f in "$dir"/*.xml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    name=${f##*/}
    name=${name%.xml}
    args=
    [ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
    case $name in
    tpl-*)
        # shellcheck disable=SC2086
        limited "$CSPPACK" validate $args --template "$name.xml"
        verdict "$name" $? err
        ;;
    *)
        # shellcheck disable=SC2086
        limited "$CSPPACK" validate $args "$name.xml"
        rc=$?
        if [ "$rc" -le 1 ] && [ -s "$tmp/err" ]; then
            fail "$name" "unexpected output on stderr"
            sed 's/^/    /' "$tmp/err"
        else
            verdict "$name" "$rc" out
        fi
        rm -rf "$tmp/pack"
        # shellcheck disable=SC2086
        limited "$CSPPACK" reconcile -q $args --out "$tmp/pack" "$name.xml" \
            "$SAMPLES_DIR/kfrs-2016q2.xml" "$SAMPLES_DIR/kent-police-2016q2.xml"
        rc=$?
        if [ "$rc" -le 1 ] && [ ! -f "$tmp/pack/dataset.xml" ]; then
            fail "$name reconciled" "exit status $rc but no pack written"
        else
            verdict "$name reconciled" "$rc" -
        fi
        ;;
    esac
done
[ "$n" -gt 0 ] || echo "# no regression inputs in $dir yet"
test_finish
