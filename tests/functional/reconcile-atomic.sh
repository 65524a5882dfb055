#!/bin/sh
# `csppack reconcile` writes its pack all or nothing.  A run that cannot
# write (a folder under a regular file, a file where the receipts folder
# goes, a failing fsync, fclose or rename, SIGINT or SIGTERM half-way)
# leaves the output folder exactly as it was (an unrelated file and an old
# dataset.xml included), leaves no temporary folder, exits 3 with exactly
# one "csppack: error:" line (or dies of the signal), and a later good run
# replaces only what it writes.
#
# Failures are injected with tests/functional/failshim.so (LD_PRELOAD),
# built by `make check`; without it those cases are skipped.
#
# Environment: CSPPACK, SAMPLES_DIR; FAILSHIM (default: beside csppack).

. "$(dirname "$0")/lib.sh"
test_setup reconcile-atomic
# A case makes a folder read-only: let the cleanup remove it all the same.
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
: "${FAILSHIM:=$(dirname "$CSPPACK")/tests/functional/failshim.so}"
fail_lines=10
skipped=0

# snapshot DIR: every path, its type, size, mode and (files) content.
snapshot() {
    if [ ! -e "$1" ]; then
        echo "absent"
        return
    fi
    (cd "$1" && find . -printf '%p %y %s %m\n' | sort &&
        find . -type f -exec sha256sum {} + | sort)
}

# run_fail NAME WANT_RC DIR [VAR=VALUE...]: run reconcile into DIR with
# the environment given, expect WANT_RC, DIR unchanged, no temporary folder,
# and for exit 3 exactly one "csppack: error:" line on stderr.
run_fail() {
    name=$1 want=$2 dir=$3
    shift 3
    snapshot "$dir" >"$tmp/before"
    env "$@" "$CSPPACK" reconcile -q --out "$dir" "$SAMPLES_DIR" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    snapshot "$dir" >"$tmp/after"
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "exit status $rc, expected $want"
    elif ! cmp -s "$tmp/before" "$tmp/after"; then
        fail "$name" "the output folder changed"
        diff "$tmp/before" "$tmp/after" | head -10 | sed 's/^/    /'
    elif [ "$want" -eq 3 ] &&
        { [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
            ! grep -q '^csppack: error: ' "$tmp/err"; }; then
        fail "$name" "expected one \"csppack: error:\" line on stderr"
    else
        ok "$name"
    fi
}

# A folder with a pack from an earlier run, an old dataset.xml that is
# not the one this run would write, and an unrelated file.
make_dir() {
    rm -rf "$1"
    "$CSPPACK" reconcile -q --out "$1" "$SAMPLES_DIR" || return 1
    printf 'old\n' >"$1/dataset.xml"
    printf 'old\n' >>"$1/observations.csv"
    printf 'old\n' >"$1/receipts/kcc.txt"
    printf 'my own notes\n' >"$1/notes.txt"
}

# --- realistic failures, no injection ----------------------------------

printf 'a regular file\n' >"$tmp/file"
run_fail "DIR under a regular file: exit 3, nothing written" 3 \
    "$tmp/file/pack"
if grep -q "$tmp/file/pack" "$tmp/err" && [ "$(cat "$tmp/file")" = "a regular file" ]; then
    ok "the error names the folder; the file is untouched"
else
    fail "the error names the folder; the file is untouched" "unexpected"
fi

dir=$tmp/pack
make_dir "$dir" || fail "set up an existing pack" "reconcile failed"
rm -rf "$dir/receipts"
printf 'not a folder\n' >"$dir/receipts"
run_fail "DIR/receipts is a regular file: exit 3, DIR untouched" 3 "$dir"
grep -q 'receipts' "$tmp/err" && ok "the error names receipts" ||
    fail "the error names receipts" "unexpected"
rm -f "$dir/receipts"
mkdir "$dir/receipts"

mkdir "$dir/actions.csv.d" 2>/dev/null
rm -f "$dir/actions.csv"
mkdir "$dir/actions.csv"
run_fail "DIR/actions.csv is a folder: exit 3, DIR untouched" 3 "$dir"
rmdir "$dir/actions.csv" "$dir/actions.csv.d"

if [ "$(id -u)" -ne 0 ]; then
    chmod a-w "$dir"
    run_fail "read-only DIR: exit 3, DIR untouched" 3 "$dir"
    chmod u+w "$dir"
else
    skip "read-only DIR" "running as root, permissions do not stop us"
fi

# --- injected failures ---------------------------------------------------

if [ ! -f "$FAILSHIM" ]; then
    missing "injected failures" "$FAILSHIM (make check builds it)"
else
    # ASan must let the shim come first in the library list.
    asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    make_dir "$dir" || fail "set up an existing pack" "reconcile failed"
    # 20 fsyncs (5 files, 7 receipts and their 7 reply drafts, the
    # manifest); notes.txt is linked into the new pack, then one
    # renameat2 swaps the folders.
    for spec in fsync:1:eio fsync:4:eio fsync:7:eio fsync:11:eio \
        fsync:18:eio fsync:20:eio fclose:1:enospc fclose:5:enospc \
        renameat2:1:eio renameat2:1:exdev linkat:1:eio linkat:1:exdev; do
        run_fail "injected $spec: exit 3, DIR untouched" 3 "$dir" \
            LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM="$spec" ASAN_OPTIONS="$asan"
    done
    # Interrupted: the process dies of the signal, DIR untouched.
    run_fail "SIGINT while writing: DIR untouched" 130 "$dir" \
        LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM=fsync:3:sigint ASAN_OPTIONS="$asan"
    run_fail "SIGTERM while writing receipts: DIR untouched" 143 "$dir" \
        LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM=fsync:8:sigterm ASAN_OPTIONS="$asan"
    # A DIR the run would have created does not appear.
    run_fail "failure in a new DIR: no DIR left" 3 "$tmp/new" \
        LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM=fsync:2:eio ASAN_OPTIONS="$asan"
    run_fail "SIGINT in a new DIR: no DIR left" 130 "$tmp/new2" \
        LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM=fsync:2:sigint ASAN_OPTIONS="$asan"
    # Refused at the commit, the old pack as it was, with a line that says
    # why: without RENAME_EXCHANGE a pack cannot replace another in one
    # step; a user's file that cannot be linked into the new pack.
    p=$tmp/pack
    for case in "renameat2:*:einval|cannot replace $p in one step: the file system cannot swap two folders (Invalid argument)" \
        "linkat:1:exdev|cannot keep $p/notes.txt in the new pack: Invalid cross-device link; move it out of $p first"; do
        spec=${case%%|*} why=${case#*|}
        run_fail "refused at the commit ($spec): exit 3, DIR untouched" 3 "$p" \
            LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM="$spec" ASAN_OPTIONS="$asan"
        [ "$(cat "$tmp/err")" = "csppack: error: $why; $p was left as it was" ] &&
            ok "refused at the commit ($spec): the error says why" ||
            fail "refused at the commit ($spec): the error says why" "$(cat "$tmp/err")"
    done
    # Into a new DIR, without RENAME_NOREPLACE either, the pack is the same.
    env LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM='renameat2:*:einval' \
        ASAN_OPTIONS="$asan" "$CSPPACK" reconcile -q --out "$tmp/portable" \
        "$SAMPLES_DIR" >"$tmp/out" 2>"$tmp/err" &&
        "$CSPPACK" reconcile -q --out "$tmp/plain" "$SAMPLES_DIR" &&
        diff -r "$tmp/plain" "$tmp/portable" >/dev/null 2>&1 &&
        ok "a new DIR without renameat2 flags: the same pack" ||
        fail "a new DIR without renameat2 flags: the same pack" "differs"
fi

# --- then a good run replaces exactly what it writes --------------------

# Over a pack of every sample, a run of the k* ones: the receipts of the
# others are replaced by ones that say nothing was received (they owe
# their returns), the coordinator's files (in receipts/ too) stay.
make_dir "$dir" || fail "set up an existing pack" "reconcile failed"
printf 'mine\n' >"$dir/receipts/old-agency.txt"
"$CSPPACK" reconcile -q --out "$dir" "$SAMPLES_DIR"/k*.xml >"$tmp/out" 2>"$tmp/err"
rc=$?
"$CSPPACK" reconcile -q --out "$tmp/fresh" "$SAMPLES_DIR"/k*.xml
if [ "$rc" -ne 0 ]; then
    fail "a good run over the old pack" "exit status $rc"
elif [ "$(cat "$dir/notes.txt")" != "my own notes" ] ||
    [ "$(cat "$dir/receipts/old-agency.txt")" != mine ]; then
    fail "a good run over the old pack" "notes.txt or receipts/old-agency.txt changed"
elif ! grep -q '^We have received no submission from you' \
    "$dir/receipts/dartford-bc.txt"; then
    fail "a good run over the old pack" "an old receipt survived"
elif ! diff -r -x notes.txt -x old-agency.txt "$tmp/fresh" "$dir" >/dev/null 2>&1; then
    fail "a good run over the old pack" "the pack differs from a fresh one"
elif [ -n "$(private_folders "$dir")" ]; then
    fail "a good run over the old pack" "a temporary folder was left"
else
    ok "a good run replaces the pack, keeps the coordinator's files, replaces old receipts"
fi

[ "$skipped" -gt 0 ] && echo "$skipped skipped"
test_finish
