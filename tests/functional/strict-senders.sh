#!/bin/sh
# --strict-senders is taken by every command that reads submissions and
# changes nothing for bare files, which did not come by mail: the same
# pack, workbook, report and lines as without it.  `blank`, which reads
# none, does not take it.  (What it does to mail: tests/unit/test_sender.c
# and doc/senders.md.)
#
# Inputs: the shipped samples and tests/data/submissions/bad (refusals).
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR (defaults relative to
# this script).

. "$(dirname "$0")/lib.sh"
test_setup strict-senders
unset SOURCE_DATE_EPOCH
inputs="$SAMPLES_DIR $TEST_DATA_DIR/submissions/bad"

# both NAME COMMAND ARGS...: run without and with --strict-senders, the
# outputs in $tmp/NAME-{plain,strict}.{out,err} and the exit statuses
# compared; OUT in the arguments is the output's name for each run.
both() {
    name=$1
    shift
    for how in plain strict; do
        flag=
        [ $how = strict ] && flag=--strict-senders
        # shellcheck disable=SC2046,SC2086
        "$CSPPACK" $(echo "$@" | sed "s|OUT|$tmp/$name-$how|g") $flag \
            $inputs >"$tmp/$name-$how.out" 2>"$tmp/$name-$how.err"
        eval "rc_$how=\$?"
    done
    # 1: the bad inputs are refused; 2 would be a usage error.
    if [ "$rc_plain" -le 1 ] && [ "$rc_plain" -eq "$rc_strict" ]; then
        ok "$name --strict-senders: accepted, the same exit status"
    else
        fail "$name --strict-senders" \
            "exit status $rc_strict, without it $rc_plain"
        sed 's/^/    /' "$tmp/$name-strict.err" | head -10
    fi
    for s in out err; do
        sed "s|$tmp/$name-[a-z]*|OUT|g" "$tmp/$name-plain.$s" >"$tmp/a"
        sed "s|$tmp/$name-[a-z]*|OUT|g" "$tmp/$name-strict.$s" >"$tmp/b"
        same "$name --strict-senders: the same standard $s" "$tmp/a" "$tmp/b"
    done
    if [ -e "$tmp/$name-plain" ]; then
        if diff -r "$tmp/$name-plain" "$tmp/$name-strict" >"$tmp/diff" 2>&1
        then
            ok "$name --strict-senders: the same bytes written"
        else
            fail "$name --strict-senders" "what it wrote differs"
            head -10 "$tmp/diff" | sed 's/^/    /'
        fi
    fi
}

both validate validate -v
both reconcile reconcile --out OUT
both workbook workbook -o OUT
both report report -o OUT
both build build --out OUT

run blank --agency kent-police --strict-senders
expect "blank does not take --strict-senders" 2
head -n 1 "$tmp/err" >"$tmp/first"
exactly "blank --strict-senders: the error" "$tmp/first" \
    "csppack: error: blank: unexpected argument \"--strict-senders\""

test_finish
