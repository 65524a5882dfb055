#!/bin/sh
# `csppack build` killed with SIGKILL anywhere (issues 7 and 13): the
# previous pack is never damaged, the inputs are untouched, and the next
# run writes the good pack and removes what the killed run left.
#
# tests/functional/failshim.so (LD_PRELOAD, built by make check) kills
# the process (CSP_FAILSHIM="fsync:3:sigkill") at every fsync, at fclose
# and fwrite calls spread over the run, and at the swap (renameat2); a
# good run is counted first (CSP_FAILSHIM=count).  Then a few kills at
# moments spread over a run on a larger inbox (bench/gen.py, when python3
# is there), and SIGTERM and SIGINT at such moments, which csppack
# catches.  The folder holds a previous pack (of fewer files) and a file
# of the coordinator's.  After each kill:
#
#   - the folder is exactly the previous pack or exactly the new one (the
#     pack is replaced whole, in one renameat2 RENAME_EXCHANGE, as
#     include/csppack/outdir.h says): the previous one when killed before
#     the swap, the new one after it; the coordinator's file is kept;
#   - the inputs are byte for byte untouched;
#   - a normal run then writes the good pack, byte for byte, and removes
#     the private folders (.csppack-tmp-*, beside the pack) killed runs
#     left behind; while another run holds the lock (played by flock(1))
#     it waits, and goes on when that run has gone.
#
# tests/functional/pack-swap.sh kills at every other step (link, mkdir,
# unlink, rmdir) with the renames slowed down.
#
# Environment: CSPPACK, SAMPLES_DIR; FAILSHIM (default: beside csppack).

. "$(dirname "$0")/lib.sh"
test_setup build-kill
unset SOURCE_DATE_EPOCH
: "${FAILSHIM:=$(dirname "$CSPPACK")/tests/functional/failshim.so}"
here_top=$(cd "$(dirname "$0")/../.." && pwd)
fail_lines=6

if [ ! -f "$FAILSHIM" ]; then
    missing "kills" "$FAILSHIM (make check builds it)"
    test_finish
fi
# ASan must let the shim come first in the library list.
asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

file_sums "$SAMPLES_DIR" >"$tmp/inputs"
changed=0
nruns=0

# inputs_unchanged DIR SUMS: check (and count) that DIR still has SUMS.
inputs_unchanged() {
    if ! file_sums "$1" | cmp -s - "$2"; then
        changed=$((changed + 1))
        fail "the inputs are untouched (run $nruns)" "$1 changed"
        file_sums "$1" >"$2"
    fi
}

# What every run but the first compares with is pinned ($pin: --since the
# previous pack, which no run writes to): the good pack is then one pack,
# whether a killed run left the old pack or the new one in the folder.
pin=

# build DIR INBOX [VAR=VALUE...]: csppack build -q INBOX into DIR (under
# the shim when a CSP_FAILSHIM is given); leaves $rc.
build() {
    b_dir=$1 b_in=$2
    shift 2
    # shellcheck disable=SC2086
    env LD_PRELOAD="$FAILSHIM" ASAN_OPTIONS="$asan" "$@" \
        "$CSPPACK" build -q $pin --out "$b_dir" "$b_in" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    nruns=$((nruns + 1))
    inputs_unchanged "$SAMPLES_DIR" "$tmp/inputs"
}

# entry_sums PATH: a file's SHA-256, a folder's tree_sums, or "absent".
entry_sums() {
    if [ -d "$1" ]; then
        tree_sums "$1"
    elif [ -e "$1" ]; then
        sha256sum <"$1"
    else
        echo absent
    fi
}

# whole CASE DIR OLD NEW WANT: DIR is exactly OLD or exactly NEW; WANT is
# "old", "new" or "any".  True when so ($w_which says which).
whole() {
    w_case=$1 w_got=$(tree_sums "$2") w_want=$5
    if [ "$w_got" = "$(tree_sums "$3")" ]; then
        w_which=old
    elif [ "$w_got" = "$(tree_sums "$4")" ]; then
        w_which=new
    else
        fail "$w_case: exactly the old pack or the new one" \
            "$(printf '%s\n' "$w_got" | diff - "$(mktemp_sums "$3")" | head -4 | tr '\n' ' ')"
        return 1
    fi
    if [ "$w_want" != any ] && [ "$w_want" != "$w_which" ]; then
        fail "$w_case: the $w_want pack" "it is the $w_which one"
        return 1
    fi
}
# mktemp_sums DIR: tree_sums DIR in a file; its name.
mktemp_sums() {
    tree_sums "$1" >"$tmp/sums.tmp"
    echo "$tmp/sums.tmp"
}

# recovers CASE DIR INBOX GOOD_SUMS [RC]: a normal run exits RC (0) and
# writes the good pack and removes the private folders left.
recovers() {
    build "$2" "$3"
    if [ "$rc" -ne "${5:-0}" ]; then
        fail "$1, then a normal run" "exit status $rc, expected ${5:-0}"
    elif ! tree_sums "$2" | cmp -s - "$4"; then
        fail "$1, then a normal run writes the good pack" \
            "$(tree_sums "$2" | diff "$4" - | head -4)"
    elif [ -n "$(private_folders "$2")" ]; then
        fail "$1, then a normal run removes the private folders left" \
            "$(private_folders "$2" | tr '\n' ' ')"
    else
        return 0
    fi
    return 1
}

# The good pack, and a previous one (of four files), each with notes.
mkdir "$tmp/old-inbox" "$tmp/w" || exit 99
cp "$SAMPLES_DIR"/k*.xml "$tmp/old-inbox/"
build "$tmp/prev" "$tmp/old-inbox"
prev_rc=$rc
pin="--since $tmp/prev"
build "$tmp/good" "$SAMPLES_DIR"
good_rc=$rc
rc=$prev_rc
if [ "$good_rc" -ne 0 ] || [ "$rc" -ne 0 ]; then
    fail "the good and the previous pack" "exit status $good_rc, $rc"
    test_finish
fi
printf 'my own notes\n' >"$tmp/prev/notes.txt"
cp "$tmp/prev/notes.txt" "$tmp/good/"
tree_sums "$tmp/good" >"$tmp/good.sums"
out=$tmp/w/pack
restore() {
    rm -rf "$out"
    cp -a "$tmp/prev" "$out"
}

# How often each function is called over a previous pack.
restore
build "$out" "$SAMPLES_DIR" CSP_FAILSHIM=count
counts=$(grep '^failshim:' "$tmp/err")
count_of() { # FUNCTION LINE
    printf '%s\n' "$2" | sed -n "s/.*[:,] $1 \\([0-9][0-9]*\\).*/\\1/p"
}
nfsync=$(count_of fsync "$counts")
nrenameat2=$(count_of renameat2 "$counts")
nfclose=$(count_of fclose "$counts")
nfwrite=$(count_of fwrite "$counts")
if [ -z "$nfsync" ] || [ "$nfsync" -lt 2 ] || [ "$nrenameat2" != 1 ]; then
    fail "counting a good run's calls (one renameat2)" "${counts:-nothing}"
    test_finish
fi
echo "# a good run: $counts"

# killed SPEC WANT: a run killed at SPEC (nothing else is checked or
# restored here).  True when it was killed and the folder is whole.
killed() {
    build "$out" "$SAMPLES_DIR" CSP_FAILSHIM="$1"
    if [ "$rc" -ne 137 ]; then
        fail "killed at $1" "exit status $rc, expected 137 (SIGKILL)"
        return 1
    fi
    whole "killed at $1" "$out" "$tmp/prev" "$tmp/good" "$2"
}

# --- before the commit: the folder as it was ----------------------------
# Each run removes the private folder the kill before it left; the last
# fsync is the parent folder's own, after the swap, and leaves the new
# pack.
restore
n_ok=0 n_all=0
spread() { # COUNT HOW_MANY: that many calls spread over 1..COUNT
    awk -v c="$1" -v n="$2" 'BEGIN {
        if (n > c) n = c
        for (i = 1; i <= n; i++) print int((i * c + n - 1) / n) }' | uniq
}
for spec in $(spread "$nfclose" 5 | sed 's/^/fclose:/; s/$/:sigkill/') \
    $(spread "$nfwrite" 6 | sed 's/^/fwrite:/; s/$/:sigkill/') \
    $(seq 1 $((nfsync - 1)) | sed 's/^/fsync:/; s/$/:sigkill/'); do
    n_all=$((n_all + 1))
    killed "$spec" old && n_ok=$((n_ok + 1))
done
[ "$n_ok" -eq "$n_all" ] &&
    ok "killed at $n_all points before the commit (fclose, fwrite, fsync): the previous pack exactly"
if killed "fsync:$nfsync:sigkill" new; then
    ok "killed at the last fsync (the parent folder's, after the swap): the new pack"
fi
if recovers "killed $((n_all + 1)) times" "$out" "$SAMPLES_DIR" "$tmp/good.sums"; then
    ok "then a normal run writes the good pack and removes the private folder left"
fi

# --- at the swap, and without RENAME_EXCHANGE ---------------------------
restore
killed "renameat2:1:sigkill" old &&
    recovers "killed at the swap" "$out" "$SAMPLES_DIR" "$tmp/good.sums" &&
    ok "killed at the swap (renameat2): the previous pack exactly; the next run repairs"
restore
tree_sums "$out" >"$tmp/before.sums"
build "$out" "$SAMPLES_DIR" CSP_FAILSHIM='renameat2:*:einval'
if [ "$rc" -eq 3 ] && tree_sums "$out" | cmp -s - "$tmp/before.sums" &&
    [ -z "$(private_folders "$out")" ]; then
    ok "without RENAME_EXCHANGE: refused (exit 3), the previous pack exactly, nothing left"
else
    fail "without RENAME_EXCHANGE: refused, the previous pack exactly" "exit status $rc"
fi

# --- a run that holds the lock ---------------------------------------------
# A run holds an exclusive lock on the folder its pack is in (outdir.h)
# from its start to its end; a subshell with flock(1) plays that run,
# keeping the locked descriptor until it reads a line.  The build waits,
# touching nothing, then writes the pack and removes the private folder
# a killed run left.
restore
mkdir "$tmp/w/.csppack-tmp-LeFtBy"
printf 'half written\n' >"$tmp/w/.csppack-tmp-LeFtBy/dataset.xml"
tree_sums "$out" >"$tmp/before.sums"
mkfifo "$tmp/release"
(command -v flock >/dev/null && flock --exclusive 9 && : >"$tmp/locked" &&
    read -r _ <"$tmp/release") 9<"$tmp/w" &
holder=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ -e "$tmp/locked" ] && break
    kill -0 "$holder" 2>/dev/null || break
    sleep 0.5
done
if [ ! -e "$tmp/locked" ]; then
    kill "$holder" 2>/dev/null
    echo "skip - a run that holds the lock: flock(1) cannot lock here"
else
    # shellcheck disable=SC2086
    "$CSPPACK" build $pin --out "$out" "$SAMPLES_DIR" >/dev/null 2>"$tmp/wait.err" &
    waiter=$!
    sleep 2
    if kill -0 "$waiter" 2>/dev/null && tree_sums "$out" | cmp -s - "$tmp/before.sums" &&
        [ -f "$tmp/w/.csppack-tmp-LeFtBy/dataset.xml" ]; then
        ok "while another run holds the lock, a build waits and touches nothing"
    else
        fail "while another run holds the lock, a build waits" "it did not wait"
    fi
    [ "$(cat "$tmp/wait.err")" = "csppack: waiting for another csppack run writing into or beside $out to finish" ] &&
        ok "a build that waits says so" ||
        fail "a build that waits says so" "$(cat "$tmp/wait.err")"
    echo >"$tmp/release"
    wait "$holder"
    wait "$waiter"
    wrc=$?
    if [ "$wrc" -eq 0 ] && tree_sums "$out" | cmp -s - "$tmp/good.sums" &&
        [ -z "$(private_folders "$out")" ]; then
        ok "once that run has gone, the build writes the pack and removes the private folder left"
    else
        fail "once that run has gone, the build writes the pack" \
            "exit status $wrc; $(private_folders "$out" | tr '\n' ' ')"
    fi
fi
wait "$holder" 2>/dev/null

# --- a folder the run creates ---------------------------------------------
new=$tmp/new/pack
mkdir "$tmp/new"
build "$new" "$SAMPLES_DIR" CSP_FAILSHIM=fsync:3:sigkill
if [ "$rc" -ne 137 ]; then
    fail "killed in a new folder" "exit status $rc"
elif [ -e "$new" ]; then
    fail "killed in a new folder: no folder" "$(ls -A "$new")"
else
    rm "$tmp/good/notes.txt"
    tree_sums "$tmp/good" >"$tmp/good-new.sums"
    cp "$tmp/prev/notes.txt" "$tmp/good/"
    recovers "killed in a new folder" "$new" "$SAMPLES_DIR" "$tmp/good-new.sums" &&
        ok "killed in a new folder: no folder; the next run writes the pack and removes the private folder"
fi

# --- kills at moments spread over a longer run -----------------------------
if /usr/bin/python3 -c 'import xml' 2>/dev/null &&
    [ -f "$here_top/bench/gen.py" ]; then
    big=$tmp/big
    /usr/bin/python3 "$here_top/bench/gen.py" --out "$big" --size 1M >/dev/null
    file_sums "$big" >"$tmp/big.inputs"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    "$CSPPACK" build -q $pin --out "$tmp/biggood" "$big" >/dev/null 2>&1
    big_rc=$?
    t1=$(date +%s%N)
    ms=$(((t1 - t0) / 1000000))
    cp "$tmp/prev/notes.txt" "$tmp/biggood/"
    tree_sums "$tmp/biggood" >"$tmp/biggood.sums"
    for pct in 15 40 65 90; do
        restore
        # shellcheck disable=SC2086
        "$CSPPACK" build -q $pin --out "$out" "$big" >/dev/null 2>&1 &
        pid=$!
        sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null # (the shell's "Killed")
        krc=$?
        nruns=$((nruns + 1))
        inputs_unchanged "$big" "$tmp/big.inputs"
        what="killed at $pct% of a ${ms} ms run"
        [ "$krc" -ne 137 ] && what="$what (it had finished: exit $krc)"
        if [ "$krc" -ne 137 ] && [ "$krc" -ne "$big_rc" ]; then
            fail "$what" "exit status $krc"
        elif whole "$what" "$out" "$tmp/prev" "$tmp/biggood" any &&
            recovers "$what" "$out" "$big" "$tmp/biggood.sums" "$big_rc"; then
            ok "$what: exactly the $w_which pack; the next run repairs"
        fi
    done
    # SIGTERM and SIGINT are caught: the run removes its private folder
    # and dies of the signal, leaving exactly the previous pack (or, once
    # the commit has begun, which holds them off, exactly the new one).
    # The workbook's thread takes no signals, so the handler never runs
    # beside the main thread's changes to the folder's records.
    tree_sums "$tmp/prev" >"$tmp/prev.sums"
    for sp in TERM:143:20 INT:130:45 TERM:143:70 INT:130:95; do
        sig=${sp%%:*} pct=${sp##*:} want=${sp#*:}
        want=${want%%:*}
        restore
        # shellcheck disable=SC2086
        "$CSPPACK" build -q $pin --out "$out" "$big" >/dev/null 2>&1 &
        pid=$!
        sleep "$(awk -v ms="$ms" -v p="$pct" 'BEGIN { printf "%.3f", ms * p / 100000 }')"
        kill -"$sig" "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        krc=$?
        nruns=$((nruns + 1))
        inputs_unchanged "$big" "$tmp/big.inputs"
        what="SIG$sig at $pct% of a ${ms} ms run"
        [ "$krc" -ne "$want" ] && what="$what (it had finished: exit $krc)"
        sums=$(tree_sums "$out")
        if [ "$krc" -ne "$want" ] && [ "$krc" -ne "$big_rc" ]; then
            fail "$what" "exit status $krc"
        elif [ -n "$(private_folders "$out")" ]; then
            fail "$what: no private folder left" "$(private_folders "$out")"
        elif [ "$sums" = "$(cat "$tmp/prev.sums")" ]; then
            ok "$what: the previous pack exactly, nothing left"
        elif [ "$sums" = "$(cat "$tmp/biggood.sums")" ]; then
            ok "$what: the new pack exactly, nothing left"
        else
            fail "$what: the previous pack or the new one" \
                "$(printf '%s\n' "$sums" | diff "$tmp/prev.sums" - | head -4 | tr '\n' ' ')"
        fi
    done
else
    missing "kills at moments in a longer run" "/usr/bin/python3 for bench/gen.py"
fi

[ "$changed" -eq 0 ] &&
    ok "the inputs byte for byte untouched after each of $nruns runs"
test_finish
