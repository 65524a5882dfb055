#!/bin/sh
# The pack is replaced in one atomic step, never at the expense of an
# input or of a file the coordinator put in the pack folder (issue 13):
#
#   - an output folder that is, or holds, an input is refused (exit 2,
#     nothing written, the inputs byte for byte as they were), and so is
#     `workbook -o FILE` or `report -o FILE` where FILE is an input (by
#     device and inode, so under any name);
#   - files and folders the coordinator put anywhere in the pack folder
#     (receipts/ too) survive a build; a receipt of an agency that sent
#     nothing this time goes;
#   - with every rename slowed down (failshim.so "sleep"), a run killed
#     with SIGKILL at every step of the swap (each fsync, mkdir, link,
#     rename, unlink and rmdir a good run makes, 90 or so) leaves exactly the old
#     pack or exactly the new one, with the coordinator's files, and the
#     next run writes the good pack and removes what was left;
#   - two builds at once into one folder, and into a folder that does not
#     exist yet, both exit 0 and leave exactly one of the two packs;
#   - signals ignored when csppack starts (nohup) stay ignored.
#
# Environment: CSPPACK, SAMPLES_DIR; FAILSHIM (default: beside csppack).

. "$(dirname "$0")/lib.sh"
test_setup pack-swap
unset SOURCE_DATE_EPOCH
: "${FAILSHIM:=$(dirname "$CSPPACK")/tests/functional/failshim.so}"
fail_lines=6
asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# --- an output that is, or holds, an input ---------------------------------
# refused CASE WANT_LINE DIR_TO_KEEP: the last run exited 2 with exactly
# WANT_LINE on stderr, nothing on stdout, and DIR_TO_KEEP is as it was.
refused() {
    if [ "$rc" -ne 2 ]; then
        fail "$1" "exit status $rc, expected 2"
    elif [ "$(cat "$tmp/err")" != "$2" ]; then
        fail "$1" "stderr is not: $2"
    elif [ -s "$tmp/out" ]; then
        fail "$1" "something on stdout"
    elif ! tree_sums "$3" | cmp -s - "$tmp/keep.sums"; then
        fail "$1" "$3 changed: $(tree_sums "$3" | diff "$tmp/keep.sums" - | head -3 | tr '\n' ' ')"
    else
        ok "$1"
    fi
}

in=$tmp/in
cp -r "$SAMPLES_DIR" "$in"
mv "$in/kcc-2016q2.xml" "$in/dataset.xml"
tree_sums "$in" >"$tmp/keep.sums"
(cd "$in" && "$CSPPACK" reconcile -q --out . . >"$tmp/out" 2>"$tmp/err")
rc=$?
refused "cd in; reconcile --out . . (an input named dataset.xml) is refused" \
    "csppack: error: reconcile: the output folder . is the input folder .; csppack never writes where it reads: name another folder with --out" \
    "$in"

# reconcile's default output folder is ./pack, as build's: run inside the
# inbox, it writes pack/ there and touches no input (and a second run
# skips the pack's own files).
for run in first second; do
    (cd "$in" && "$CSPPACK" reconcile -q . >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "$rc" -le 1 ] && [ -f "$in/pack/dataset.xml" ] &&
        tree_sums "$in" | grep -v -e ' \./pack\(/\| \)' -e '^\./pack[/ ]' |
        cmp -s - "$tmp/keep.sums"; then
        ok "cd in; reconcile . ($run run): pack/ written, the inputs untouched"
    else
        fail "cd in; reconcile . ($run run): pack/ written, the inputs untouched" \
            "exit status $rc; $(head -3 "$tmp/err")"
    fi
done
rm -rf "$in/pack"

run build -q --out "$in" "$in"
refused "build --out inbox inbox is refused" \
    "csppack: error: build: the output folder $in is the input folder $in; csppack never writes where it reads: name another folder with --out" \
    "$in"

# An input below the output folder, named by a file or by a folder.
mkdir "$tmp/top"
cp -r "$in" "$tmp/top/inbox"
tree_sums "$tmp/top" >"$tmp/keep.sums"
(cd "$tmp/top" && "$CSPPACK" build -q --out . inbox >"$tmp/out" 2>"$tmp/err")
rc=$?
refused "build --out . inbox, the inbox inside the output folder, is refused" \
    "csppack: error: build: the output folder . holds the input folder inbox; csppack never writes where it reads: name another folder with --out" \
    "$tmp/top"
run reconcile -q --out "$tmp/top" "$tmp/top/inbox/kfrs-2016q2.xml"
refused "reconcile --out DIR DIR/inbox/FILE is refused" \
    "csppack: error: reconcile: the output folder $tmp/top holds the input $tmp/top/inbox/kfrs-2016q2.xml; csppack never writes where it reads: name another folder with --out" \
    "$tmp/top"

# A name found in a folder (here a link into the output folder, whose
# name carries a carriage return and an escape sequence) is shown in its
# display form in the error line, which it cannot forge or clear.
mkdir -p "$tmp/evil/in" "$tmp/evil/o"
cp "$SAMPLES_DIR/kfrs-2016q2.xml" "$tmp/evil/o/real.xml"
ln -s ../o/real.xml "$tmp/evil/in/$(printf 'a\r\033[2Jfake.xml')"
tree_sums "$tmp/evil" >"$tmp/keep.sums"
(cd "$tmp/evil" && "$CSPPACK" reconcile -q --out o in >"$tmp/out" 2>"$tmp/err")
rc=$?
refused "an input's name from a folder is shown escaped in the error line" \
    'csppack: error: reconcile: the output folder o holds the input in/a\x0D\x1B[2Jfake.xml; csppack never writes where it reads: name another folder with --out' \
    "$tmp/evil"

tree_sums "$in" >"$tmp/keep.sums"
for cmd in workbook report; do
    run "$cmd" -q -o "$in/kfrs-2016q2.xml" "$in"
    refused "$cmd -o INPUT is refused" \
        "csppack: error: $cmd: the output file $in/kfrs-2016q2.xml is the input $in/kfrs-2016q2.xml; csppack never writes over what it reads: name another file with -o" \
        "$in"
    # The same file under another name (a hard link) is the same input.
    ln "$in/kfrs-2016q2.xml" "$tmp/alias.xml"
    run "$cmd" -q -o "$tmp/alias.xml" "$in"
    refused "$cmd -o (a hard link to an input) is refused" \
        "csppack: error: $cmd: the output file $tmp/alias.xml is the input $in/kfrs-2016q2.xml; csppack never writes over what it reads: name another file with -o" \
        "$in"
    rm "$tmp/alias.xml"
done
# Beside an input is fine.
run report -q -o "$in/board.pdf" "$in/kfrs-2016q2.xml"
if [ "$rc" -le 1 ] && [ -s "$in/board.pdf" ]; then
    ok "report -o beside its input is written"
else
    fail "report -o beside its input is written" "exit status $rc"
fi
rm -f "$in/board.pdf"

# --- the coordinator's files in the pack folder ----------------------------
mkdir "$tmp/few"
cp "$SAMPLES_DIR"/k*.xml "$SAMPLES_DIR"/dartford-bc-2016q2.xml "$tmp/few/"
pack=$tmp/p/pack
mkdir "$tmp/p"
run build -q --out "$pack" "$tmp/few"
[ "$rc" -eq 0 ] || fail "a first pack" "exit status $rc"
printf 'phoned KFRS on Monday\n' >"$pack/receipts/notes.txt"
mkdir -p "$pack/receipts/sent/2016" "$pack/minutes"
printf 'emailed\n' >"$pack/receipts/sent/2016/kcc.txt"
printf 'board minutes\n' >"$pack/minutes/q2.txt"
printf 'mine\n' >"$pack/todo.txt"
ln -s todo.txt "$pack/todo-link"
chmod 0750 "$pack/minutes"
# Every sample and a file that is not XML: a receipts/unknown.txt too.
mkdir "$tmp/all"
cp "$SAMPLES_DIR"/*.xml "$tmp/all/"
printf 'not xml\n' >"$tmp/all/broken.xml"
run build -q --out "$pack" "$tmp/all"
[ "$rc" -eq 1 ] || fail "a second pack" "exit status $rc, expected 1"
[ -f "$pack/receipts/unknown.txt" ] || fail "a second pack" "no unknown.txt"
kept=0
for f in receipts/notes.txt receipts/sent/2016/kcc.txt minutes/q2.txt \
    todo.txt; do
    [ -f "$pack/$f" ] && kept=$((kept + 1))
done
if [ "$kept" -eq 4 ] && [ "$(readlink "$pack/todo-link")" = todo.txt ] &&
    [ "$(stat -c %a "$pack/minutes")" = 750 ] &&
    [ "$(cat "$pack/receipts/notes.txt")" = "phoned KFRS on Monday" ]; then
    ok "the coordinator's files and folders in the pack and in receipts/ are kept"
else
    fail "the coordinator's files and folders are kept" \
        "$kept of 4 files; $(ls -R "$pack" | tr '\n' ' ')"
fi
# Back to the smaller inbox: a receipt the new pack does not write
# (unknown.txt) goes; an agency that sent nothing and owes something gets
# a new receipt saying so; the coordinator's files stay.
run build -q --out "$pack" "$tmp/few"
if [ ! -e "$pack/receipts/unknown.txt" ] &&
    grep -q '^We have received no submission from you' \
        "$pack/receipts/gravesham-bc.txt" &&
    [ -f "$pack/receipts/dartford-bc.txt" ] &&
    [ -f "$pack/receipts/notes.txt" ] && [ -f "$pack/todo.txt" ]; then
    ok "an old receipt goes, one that owes gets a new one; the notes stay"
else
    fail "an old receipt goes, one that owes gets a new one; the notes stay" \
        "$(ls "$pack/receipts" | tr '\n' ' ')"
fi

if [ ! -f "$FAILSHIM" ]; then
    missing "kills and concurrent runs" "$FAILSHIM (make check builds it)"
    test_finish
fi

# --- killed at every step ---------------------------------------------------
# shimmed DIR INBOX [VAR=VALUE...]: csppack build -q under the shim.  What
# the pack compares with is pinned (--since the previous pack, which no
# run writes to): the good pack is then one pack, whether a killed run
# left the old pack or the new one in the folder.
shimmed() {
    b_dir=$1 b_in=$2
    shift 2
    env LD_PRELOAD="$FAILSHIM" ASAN_OPTIONS="$asan" "$@" \
        "$CSPPACK" build -q --since "$prev" --out "$b_dir" "$b_in" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
# siblings DIR: csppack's private folders beside DIR and inside it.
siblings() {
    private_folders "$1"
}

prev=$tmp/prev
cp -a "$pack" "$prev"
tree_sums "$prev" >"$tmp/prev.sums"
w=$tmp/w
mkdir "$w"
out=$w/pack
restore() {
    rm -rf "$out"
    cp -a "$prev" "$out"
}
restore
shimmed "$out" "$SAMPLES_DIR"
tree_sums "$out" >"$tmp/good.sums"
restore
shimmed "$out" "$SAMPLES_DIR" CSP_FAILSHIM=count
counts=$(grep '^failshim:' "$tmp/err")
echo "# a good run over the previous pack: $counts"
if ! tree_sums "$out" | cmp -s - "$tmp/good.sums"; then
    fail "the good pack is the same bytes run after run" "it differs"
fi
nsteps=0 nok=0
for fn in fsync mkdir mkdirat link linkat rename renameat renameat2 \
    unlink unlinkat rmdir; do
    n=$(printf '%s\n' "$counts" | sed -n "s/.*[:,] $fn \\([0-9][0-9]*\\).*/\\1/p")
    [ -n "$n" ] || n=0
    k=1
    while [ "$k" -le "$n" ]; do
        restore
        # (one rule per function: the renames not killed at are slowed)
        slowed=$(for r in rename renameat renameat2; do
            [ "$r" = "$fn" ] || printf ',%s:*:sleep' "$r"
        done)
        shimmed "$out" "$SAMPLES_DIR" CSP_FAILSHIM="$fn:$k:sigkill$slowed" \
            CSP_FAILSHIM_SLEEP_MS=20
        nsteps=$((nsteps + 1))
        got=$(tree_sums "$out")
        if [ "$rc" -ne 137 ]; then
            fail "killed at $fn $k" "exit status $rc, expected 137"
        elif [ "$got" != "$(cat "$tmp/prev.sums")" ] &&
            [ "$got" != "$(cat "$tmp/good.sums")" ]; then
            fail "killed at $fn $k: exactly the old pack or the new one" \
                "against the new: $(printf '%s\n' "$got" | diff "$tmp/good.sums" - | head -6 | tr '\n' ' ')"
        else
            shimmed "$out" "$SAMPLES_DIR"
            if [ "$rc" -ne 0 ]; then
                fail "killed at $fn $k, then a normal run" "exit status $rc"
            elif ! tree_sums "$out" | cmp -s - "$tmp/good.sums"; then
                fail "killed at $fn $k, then a normal run writes the good pack" \
                    "$(tree_sums "$out" | diff "$tmp/good.sums" - | head -4 | tr '\n' ' ')"
            elif [ -n "$(siblings "$out")" ]; then
                fail "killed at $fn $k, then a normal run cleans up" \
                    "$(siblings "$out" | tr '\n' ' ')"
            else
                nok=$((nok + 1))
            fi
        fi
        k=$((k + 1))
    done
done
if [ "$nsteps" -ge 10 ] && [ "$nok" -eq "$nsteps" ]; then
    ok "killed at each of $nsteps steps (renames slowed): exactly the old pack or the new one, then the next run writes the good pack and cleans up"
else
    fail "killed at every step" "$nok of $nsteps steps fine"
fi

# --- two runs at once --------------------------------------------------------
# Two inboxes give two different packs, A and B.
rm -rf "$w"
mkdir "$w"
shimmed "$w/a" "$SAMPLES_DIR"
tree_sums "$w/a" >"$tmp/a.sums"
shimmed "$w/b" "$tmp/few"
tree_sums "$w/b" >"$tmp/b.sums"
slow="rename:*:sleep,renameat:*:sleep,renameat2:*:sleep,mkdir:*:sleep,linkat:*:sleep"
# together DIR: two builds into DIR at once; true when both exit 0 and
# DIR is exactly A or exactly B.
together() {
    env LD_PRELOAD="$FAILSHIM" ASAN_OPTIONS="$asan" CSP_FAILSHIM="$slow" \
        CSP_FAILSHIM_SLEEP_MS=15 \
        "$CSPPACK" build -q --since "$prev" --out "$1" "$SAMPLES_DIR" \
        >"$tmp/out1" 2>"$tmp/err1" &
    p1=$!
    env LD_PRELOAD="$FAILSHIM" ASAN_OPTIONS="$asan" CSP_FAILSHIM="$slow" \
        CSP_FAILSHIM_SLEEP_MS=15 \
        "$CSPPACK" build -q --since "$prev" --out "$1" "$tmp/few" \
        >"$tmp/out2" 2>"$tmp/err2" &
    p2=$!
    wait "$p1"
    r1=$?
    wait "$p2"
    r2=$?
    t_got=$(tree_sums "$1")
    if [ "$r1" -ne 0 ] || [ "$r2" -ne 0 ]; then
        t_why="exit status $r1 and $r2: $(cat "$tmp/err1" "$tmp/err2" | head -2 | tr '\n' ' ')"
        return 1
    elif [ "$t_got" != "$(cat "$tmp/a.sums")" ] &&
        [ "$t_got" != "$(cat "$tmp/b.sums")" ]; then
        t_why="neither pack: $(printf '%s\n' "$t_got" | diff "$tmp/a.sums" - | head -4 | tr '\n' ' ')"
        return 1
    elif [ -n "$(siblings "$1")" ]; then
        t_why="left $(siblings "$1" | tr '\n' ' ')"
        return 1
    fi
}
n=0 bad=""
while [ "$n" -lt 8 ]; do
    together "$w/one" || bad="${bad:-$t_why}"
    n=$((n + 1))
done
if [ -z "$bad" ]; then
    ok "two builds at once into one folder, $n times: both exit 0, one whole pack"
else
    fail "two builds at once into one folder" "$bad"
fi
n=0 bad=""
while [ "$n" -lt 12 ]; do
    rm -rf "$w/fresh"
    together "$w/fresh" || bad="${bad:-$t_why}"
    n=$((n + 1))
done
if [ -z "$bad" ]; then
    ok "two builds at once into a folder that did not exist, $n times: both exit 0, one whole pack"
else
    fail "two builds at once into a new folder" "$bad"
fi

# --- nohup: an ignored SIGHUP stays ignored --------------------------------
for cmd in build reconcile report workbook; do
    case $cmd in
    build | reconcile) o="--out $w/hup-$cmd" ;;
    report) o="-o $w/hup.pdf" ;;
    workbook) o="-o $w/hup.xlsx" ;;
    esac
    # shellcheck disable=SC2086
    (trap '' HUP && exec env LD_PRELOAD="$FAILSHIM" ASAN_OPTIONS="$asan" \
        CSP_FAILSHIM=fsync:1:sighup "$CSPPACK" "$cmd" -q $o "$SAMPLES_DIR" \
        >"$tmp/out" 2>"$tmp/err")
    rc=$?
    if [ "$rc" -eq 0 ]; then
        ok "$cmd with SIGHUP ignored (nohup) carries on through a hangup"
    else
        fail "$cmd with SIGHUP ignored (nohup) carries on through a hangup" \
            "exit status $rc"
    fi
done
# Not ignored, a hangup still ends the run and leaves nothing.
rm -rf "$w/hup-build"
shimmed "$w/hup-build" "$SAMPLES_DIR" CSP_FAILSHIM=fsync:1:sighup
if [ "$rc" -eq 129 ] && [ ! -e "$w/hup-build" ] && [ -z "$(siblings "$w/hup-build")" ]; then
    ok "a hangup not ignored ends the run and leaves nothing"
else
    fail "a hangup not ignored ends the run and leaves nothing" \
        "exit status $rc; $(ls -A "$w" | tr '\n' ' ')"
fi

test_finish
