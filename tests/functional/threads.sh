#!/bin/sh
# The number of threads that read the files (--jobs) changes nothing a
# user can see: `reconcile` and `build` write byte-identical packs and
# print the same lines (progress included, in the same order), and
# `validate` prints the same report, with one thread, with four, and with
# the default (one per processor).  Bad values of --jobs are usage errors.
#
# Inputs: the shipped samples, tests/data/reconcile/mixed (every
# reconciliation rule fires) and tests/data/submissions/bad (one refusal
# a file, some refused whole); more files than four threads read ahead.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR (defaults relative to
# this script).

. "$(dirname "$0")/lib.sh"
test_setup threads
unset SOURCE_DATE_EPOCH
inputs="$SAMPLES_DIR $TEST_DATA_DIR/reconcile/mixed $TEST_DATA_DIR/submissions/bad"

# with JOBS NAME COMMAND ARGS...: run with --jobs JOBS (none: the
# default), outputs in $tmp/NAME.out and $tmp/NAME.err; exit 0 or 1 is
# fine (the inputs have errors by design).
with() {
    jobs=$1 name=$2
    shift 2
    if [ "$jobs" = default ]; then
        set -- "$@"
    else
        set -- "$@" --jobs "$jobs"
    fi
    # shellcheck disable=SC2086
    "$CSPPACK" "$@" $inputs >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    if [ "$rc" -gt 1 ]; then
        fail "$name" "exit status $rc"
        sed 's/^/    /' "$tmp/$name.err" | head -20
    fi
}

# alike NAME A B: two files, or two folders, have the same bytes, once
# the names of the packs (which differ on purpose) are the same.
alike() {
    if [ -d "$2" ]; then
        if diff -r "$2" "$3" >"$tmp/diff" 2>&1; then
            ok "$1"
        else
            fail "$1" "the packs differ"
            head -20 "$tmp/diff" | sed 's/^/    /'
        fi
        return
    fi
    sed "s|$tmp/[a-z0-9]*-pack|PACK|g" "$2" >"$tmp/a"
    sed "s|$tmp/[a-z0-9]*-pack|PACK|g" "$3" >"$tmp/b"
    if cmp -s "$tmp/a" "$tmp/b"; then
        ok "$1"
    else
        fail "$1" "they differ"
        diff "$tmp/a" "$tmp/b" | head -20 | sed 's/^/    /'
    fi
}

for j in 1 4 default; do
    with $j "r$j" reconcile -v --out "$tmp/r$j-pack"
    with $j "b$j" build -v --out "$tmp/b$j-pack"
    with $j "v$j" validate -v
done
for j in 4 default; do
    alike "reconcile --jobs $j: the same pack as --jobs 1" \
        "$tmp/r1-pack" "$tmp/r$j-pack"
    alike "reconcile --jobs $j: the same output" "$tmp/r1.out" "$tmp/r$j.out"
    alike "build --jobs $j: the same pack as --jobs 1" \
        "$tmp/b1-pack" "$tmp/b$j-pack"
    alike "build --jobs $j: the same output" "$tmp/b1.out" "$tmp/b$j.out"
    alike "build --jobs $j: the same progress lines, in the same order" \
        "$tmp/b1.err" "$tmp/b$j.err"
    alike "validate --jobs $j: the same report" "$tmp/v1.out" "$tmp/v$j.out"
done
if grep -q '^csppack: reading .*kfrs-2016q2.xml$' "$tmp/b4.err"; then
    ok "build -v names each file it reads"
else
    fail "build -v names each file it reads" "no progress line for kfrs"
fi

# Bad values are refused before anything is read.
for bad in 0 65 -1 two 4x ""; do
    run reconcile --jobs "$bad" --out "$tmp/bad" "$SAMPLES_DIR"
    expect "--jobs \"$bad\" is a usage error" 2
    if grep -q 'jobs wants a number of threads from 1 to 64' "$tmp/err" &&
        [ ! -e "$tmp/bad" ]; then
        ok "--jobs \"$bad\": says why, writes nothing"
    else
        fail "--jobs \"$bad\": says why, writes nothing" "unexpected"
    fi
done

test_finish
