#!/bin/sh
# `csppack build` when the libraries' own allocations fail: a report of
# what they do, run by `make check-alloc-libs`, not by make check.
# (csppack's own allocations are failed, the same way on every host, by
# tests/functional/build-faults.sh, which make check runs.)
#
# Here every allocation of the process counts, the libraries' too, so N
# falls elsewhere from host to host: the count moves with the fonts
# fontconfig finds, the paths, the library versions, and whether the
# output folder exists.  The verdict is this host's.  It fails on
# csppack's own faults (a crash in csppack's code after a library's
# allocation failed, a second error line, a folder not left as it was)
# and lists the libraries' as "skip" lines.
#
# tests/functional/allocshim.so (LD_PRELOAD, built by make
# check-alloc-libs) makes the Nth allocation fail.  A good run is counted first
# (CSP_ALLOCSHIM=count); then, into a folder holding a previous pack (of
# fewer files) and a file of the coordinator's, allocation N fails for the
# first 40 N, for 120 N spread evenly over the whole run, and from N on
# ("N:every", memory gone for good) for 16 N spread likewise; fewer under
# the sanitizers.  For each run:
#
#   - it exits 3 with exactly one "csppack: error:" line, which says "out
#     of memory" when the allocation was csppack's own; or it succeeds
#     (a failure that was worked round) and the pack is byte for byte the
#     good run's;
#   - it does not crash: no signal, no sanitizer report;
#   - the folder is as it was (every file's SHA-256), with no private
#     folder left in it and nothing new beside it;
#   - the inputs are byte for byte untouched.
#
# Then a normal run over the same folder writes the good pack.
#
# Not csppack's bugs, reported as "skip" lines rather than failures (each
# names the library, and the N): the libraries that crash or hang when
# their own allocation fails (libxlsxwriter 1.1 writes through unchecked
# malloc results in its XML writers, cell and string tables; libharu 2.3
# in its text encoder; fontconfig 2.14 while it reads its configuration
# and caches, where it also deadlocks; libxml2 2.9 in its parser, reader
# and schema code, where it also corrupts the heap, which glibc then
# finds in the next malloc), and libxlsxwriter's leaving a string out of
# the workbook when it cannot copy it, and reporting success.  The shim's
# log (CSP_ALLOCSHIM_LOG) says where the failed allocation was made and
# where a crash happened: a crash is a library's only when both are (the
# allocation may be made for libxml2 by csppack's counting allocator, and
# glibc's abort on a corrupted heap is blamed on the library that called
# malloc); a crash in csppack's own code is a failure.  Crashes and hangs
# still must leave the folder as it was (the killed run's private folder
# aside, which the next good run removes).  fontconfig prints its own
# "Fontconfig error: ... out of memory" lines, which csppack cannot stop;
# they are the only other lines allowed on stderr.
#
# Environment: CSPPACK, SAMPLES_DIR; ALLOCSHIM (default: beside csppack);
# BUILD_FAULTS_FIRST, BUILD_FAULTS_SPREAD, BUILD_FAULTS_EVERY (how many N
# of each kind).

. "$(dirname "$0")/lib.sh"
test_setup alloc-libs
unset SOURCE_DATE_EPOCH
: "${ALLOCSHIM:=$(dirname "$CSPPACK")/tests/functional/allocshim.so}"
fail_lines=6
skipped=0

if [ ! -f "$ALLOCSHIM" ]; then
    fail "allocation failures" "no $ALLOCSHIM (run make check-alloc-libs)"
    test_finish
fi
if ! command -v timeout >/dev/null 2>&1; then
    fail "allocation failures" "no timeout(1) to stop a hung run"
    test_finish
fi

# Under AddressSanitizer the shim must come first in the library list, and
# catch fatal signals itself (to say where they happened); leaks on the
# way out of a failed run are not this test's concern.
asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0:detect_leaks=0"
asan="$asan:handle_segv=0:handle_sigbus=0:handle_abort=0:handle_sigfpe=0"
asan="$asan:handle_sigill=0"
if ldd "$CSPPACK" 2>/dev/null | grep -q -e libasan -e libubsan; then
    sanitized=yes
    : "${BUILD_FAULTS_FIRST:=20}" "${BUILD_FAULTS_SPREAD:=40}"
    : "${BUILD_FAULTS_EVERY:=8}"
else
    sanitized=no
    : "${BUILD_FAULTS_FIRST:=40}" "${BUILD_FAULTS_SPREAD:=120}"
    : "${BUILD_FAULTS_EVERY:=16}"
fi

file_sums "$SAMPLES_DIR" >"$tmp/inputs"
changed=0
nruns=0

# build DIR [VAR=VALUE...]: csppack build -q of the samples into DIR under
# the allocation shim, stopped after 60 s (a library may hang); leaves $rc,
# $tmp/out, $tmp/err.  Checks the inputs.  One reading thread (--jobs 1),
# so that the Nth allocation is the same one from run to run: on two
# threads the order of the workers' allocations varies (a sweep on two
# threads found libxml2's "xmlNewTextReader : malloc failed" printed by a
# worker, whose error handlers are now set on every thread that reads).
build() {
    b_dir=$1
    shift
    timeout -s KILL 60 env LD_PRELOAD="$ALLOCSHIM" ASAN_OPTIONS="$asan" "$@" \
        "$CSPPACK" build -q --jobs 1 --out "$b_dir" "$SAMPLES_DIR" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    nruns=$((nruns + 1))
    if ! file_sums "$SAMPLES_DIR" | cmp -s - "$tmp/inputs"; then
        changed=$((changed + 1))
        fail "the inputs are untouched (run $nruns)" "$SAMPLES_DIR changed"
        file_sums "$SAMPLES_DIR" >"$tmp/inputs"
    fi
}

# The good pack, and a previous one (of four files) with notes beside it.
mkdir "$tmp/good" "$tmp/old-inbox" "$tmp/w" || exit 99
build "$tmp/good/pack"
if [ "$rc" -ne 0 ]; then
    fail "a good run" "exit status $rc"
    test_finish
fi
good_rc=$rc
cp "$SAMPLES_DIR"/k*.xml "$tmp/old-inbox/"
"$CSPPACK" build -q --out "$tmp/prev" "$tmp/old-inbox" >/dev/null 2>&1
printf 'my own notes\n' >"$tmp/prev/notes.txt"
tree_sums "$tmp/prev" >"$tmp/prev.sums"
out=$tmp/w/pack
cp -a "$tmp/prev" "$out"
cp "$tmp/prev/notes.txt" "$tmp/good/pack/"
tree_sums "$tmp/good/pack" >"$tmp/good.sums"

# The count, over a previous pack as in the runs below.
build "$out" CSP_ALLOCSHIM=count
total=$(sed -n 's/^allocshim: \([0-9][0-9]*\) allocations$/\1/p' "$tmp/err")
rm -rf "$out"
cp -a "$tmp/prev" "$out"
if [ "$rc" -ne 0 ] || [ -z "$total" ] || [ "$total" -lt 1000 ]; then
    fail "counting the allocations of a good run" "exit status $rc"
    test_finish
fi
echo "# a good run makes $total allocations (after main starts)"

# The N to try: "N" or "N:every".
first=$BUILD_FAULTS_FIRST
{
    seq 1 "$first"
    awk -v f="$first" -v t="$total" -v n="$BUILD_FAULTS_SPREAD" \
        'BEGIN { for (i = 1; i <= n; i++) print f + int(i * (t - f) / (n + 1)) }'
    awk -v t="$total" -v n="$BUILD_FAULTS_EVERY" \
        'BEGIN { for (i = 1; i <= n; i++) print int(i * t / (n + 1)) ":every" }'
} >"$tmp/specs"

# is_lib MODULE: a library, not the program.
is_lib() {
    [ "$1" != "$(basename "$CSPPACK")" ] && [ "$1" != "?" ]
}

# library_skip WHY: note a library's bug for this N (grouped at the end).
library_skip() {
    skipped=$((skipped + 1))
    printf '%s\t%s\n' "$1" "$spec" >>"$tmp/skips"
}

# folder_intact: the previous pack is there, nothing else: no private
# folder (beside the pack, where a pack is made) but those crashed runs
# left before ($tmp/private; a run that gets as far as taking the lock
# removes them), unless $1 is "killed" (this run crashed, and left its
# own).
folder_intact() {
    if ! tree_sums "$out" | cmp -s - "$tmp/prev.sums"; then
        fail "N=$spec: the folder is as it was" \
            "$(tree_sums "$out" | diff "$tmp/prev.sums" - | head -5)"
        return 1
    fi
    if [ "${1:-}" != killed ] &&
        [ -n "$(private_folders "$out" | sort | comm -13 "$tmp/private" -)" ]; then
        fail "N=$spec: no private folder left" \
            "$(private_folders "$out" | sort | comm -13 "$tmp/private" - | tr '\n' ' ')"
        return 1
    fi
    if [ "$(ls -A "$tmp/w" | grep -v '^\.csppack-tmp-')" != pack ]; then
        fail "N=$spec: nothing beside the folder" "$(ls -A "$tmp/w")"
        return 1
    fi
    return 0
}

good=0
survived=0
bad=0
while read -r spec; do
    f_before=$failed
    rm -f "$tmp/log"
    private_folders "$out" | sort >"$tmp/private"
    build "$out" CSP_ALLOCSHIM="$spec" CSP_ALLOCSHIM_LOG="$tmp/log"
    # "MODULE SYMBOL [via MODULE SYMBOL]" of the failed allocation, and of
    # the crash.
    failed_at=$(sed -n 's/^failed [0-9]* in //p' "$tmp/log" 2>/dev/null)
    crashed_at=$(sed -n 's/^crashed (signal [0-9]*) in //p' "$tmp/log" 2>/dev/null)
    f_mod=${failed_at%% *}
    f_via=$(printf '%s' "$failed_at" | sed -n 's/.* via \([^ ]*\) .*/\1/p')
    c_mod=${crashed_at%% *}
    c_via=$(printf '%s' "$crashed_at" | sed -n 's/.* via \([^ ]*\) .*/\1/p')
    # The library the allocation was for, and the one that crashed (glibc
    # aborts in malloc on a heap a library has corrupted: that one is the
    # library that called malloc, through csppack's allocator).
    f_lib=""
    is_lib "$f_mod" && f_lib=$f_mod
    [ -z "$f_lib" ] && f_lib=$f_via
    c_lib=""
    is_lib "$c_mod" && c_lib=$c_mod
    if [ -z "$c_lib" ] && [ "$rc" -eq 134 ] &&
        grep -q -e '^malloc' -e '^free' -e '^corrupted' -e '^double free' \
            "$tmp/err"; then
        c_lib=$c_via
    fi
    # libxml2 2.9 corrupts the heap when one of its allocations fails in
    # xmlSchemaParse (seen under gdb: a realloc in the schema compiler,
    # reached from csp_schema_get for the built-in template's schema);
    # glibc then aborts, or the process faults, in whatever csppack frees
    # or allocates next (csp_input_free in csp_template_read).  So a
    # crash in csppack's own code after an allocation *for libxml2*
    # failed is put down to libxml2; one after any other allocation
    # failed is still a failure.
    if [ -z "$c_lib" ] && [ "$f_lib" = libxml2.so.2 ] &&
        { [ "$rc" -eq 134 ] || [ "$rc" -eq 139 ]; }; then
        c_lib=$f_lib
    fi
    if grep -q -e 'AddressSanitizer' -e 'runtime error' -e 'LeakSanitizer' \
        "$tmp/err"; then
        fail "N=$spec: no sanitizer report" "$(grep -m1 -e ERROR -e 'runtime error' "$tmp/err")"
    elif [ "$rc" -ge 128 ]; then
        # Crashed (or hung, and stopped): a library's doing only when the
        # failed allocation was a library's and so is the crash site.
        if [ -n "$c_lib" ] && [ -n "$f_lib" ]; then
            library_skip "$c_lib crashed (signal $((rc - 128))) after an allocation for $f_lib failed"
            folder_intact killed
        elif [ "$rc" -eq 137 ] && [ -z "$crashed_at" ] && [ -n "$f_lib" ]; then
            library_skip "hung (stopped after 60 s) after an allocation for $f_lib failed"
            folder_intact killed
        else
            fail "N=$spec: no crash" "signal $((rc - 128)); failed in ${failed_at:-?}; crashed in ${crashed_at:-?}"
        fi
    elif [ "$rc" -eq 3 ]; then
        # fontconfig prints its own complaints on stderr ("Fontconfig
        # error: ...: out of memory"), and csppack cannot stop it.
        if [ "$f_lib" = libfontconfig.so.1 ] || [ "$f_lib" = libexpat.so.1 ]; then
            grep -v '^Fontconfig ' "$tmp/err" >"$tmp/err.own"
        else
            cp "$tmp/err" "$tmp/err.own"
        fi
        if [ "$(wc -l <"$tmp/err.own")" -ne 1 ] ||
            ! grep -q '^csppack: error: ' "$tmp/err.own"; then
            fail "N=$spec: one \"csppack: error:\" line" "failed in ${failed_at:-?}"
        elif [ -z "$f_lib" ] &&
            ! grep -q -e 'out of memory' -e 'Cannot allocate memory' \
                "$tmp/err"; then
            fail "N=$spec: the error says \"out of memory\"" "$(cat "$tmp/err")"
        elif folder_intact; then
            good=$((good + 1))
        fi
    elif [ "$rc" -eq "$good_rc" ]; then
        # Worked round: the same pack as a good run.
        tree_sums "$out" >"$tmp/got.sums"
        if cmp -s "$tmp/got.sums" "$tmp/good.sums"; then
            survived=$((survived + 1))
        elif [ "$f_mod" = libxlsxwriter.so.4 ] &&
            [ "$(diff "$tmp/good.sums" "$tmp/got.sums" | grep '^>' |
                grep -cv ' \./workbook\.xlsx$')" -eq 0 ]; then
            library_skip "libxlsxwriter left out of the workbook what it could not allocate, and reported success"
        else
            fail "N=$spec: a run that succeeds writes the good pack" \
                "failed in ${failed_at:-?}; $(diff "$tmp/good.sums" "$tmp/got.sums" | grep '^>' | head -3)"
        fi
        rm -rf "$out"
        cp -a "$tmp/prev" "$out"
    else
        fail "N=$spec: exit status 3 (or $good_rc)" "exit status $rc; failed in ${failed_at:-?}"
    fi
    [ "$failed" -ne "$f_before" ] && bad=$((bad + 1))
done <"$tmp/specs"

nspecs=$(wc -l <"$tmp/specs")
if [ "$bad" -eq 0 ]; then
    ok "none of $nspecs runs failed csppack's way: $good failed cleanly (exit 3, one error line, the folder as it was), $survived worked round the failure and wrote the good pack, $skipped met a library's bug"
fi
if [ -s "$tmp/skips" ]; then
    sort -t "$(printf '\t')" -k1,1 -k2,2n "$tmp/skips" | awk -F '\t' '
        $1 != why { if (why != "") print "skip - " why " (N=" ns ")"; why = $1; ns = $2; next }
        { ns = ns " " $2 }
        END { if (why != "") print "skip - " why " (N=" ns ")" }'
fi

# A normal run over the folder (with whatever private folders the crashed
# runs left) writes the good pack and removes them.
build "$out"
tree_sums "$out" >"$tmp/got.sums"
if [ "$rc" -ne 0 ]; then
    fail "then a normal run" "exit status $rc"
elif ! cmp -s "$tmp/got.sums" "$tmp/good.sums"; then
    fail "then a normal run writes the good pack" "$(diff "$tmp/good.sums" "$tmp/got.sums" | head -5)"
elif [ -n "$(private_folders "$out")" ]; then
    fail "then a normal run removes the private folders left" \
        "$(ls -A "$out" | tr '\n' ' ')"
else
    ok "then a normal run writes the good pack, keeps notes.txt, removes what crashed runs left"
fi

[ "$changed" -eq 0 ] &&
    ok "the inputs byte for byte untouched after each of $nruns runs"
[ "$skipped" -gt 0 ] && echo "$skipped skipped (libraries' bugs, listed above)"
test_finish
