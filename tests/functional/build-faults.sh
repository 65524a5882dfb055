#!/bin/sh
# csppack out of memory: whichever of csppack's own allocations fails,
# `build`, `reconcile` and `validate` fail cleanly, and a previous pack is
# left byte for byte as it was (doc/design.md, "Running out of memory").
#
# tests/csppack-torture (built by make check) is csppack with its
# allocation seam compiled for tests (src/alloc.c): CSP_TORTURE=N makes
# csppack's Nth allocation fail, N:every the Nth and every later one,
# and CSP_TORTURE=count with CSP_TORTURE_LOG lists where each allocation
# is made ("src/file.c:123").  Only csppack's own allocations are counted,
# never the libraries', and the runs use relative paths and one thread
# (--jobs 1), so allocation N is the same call on every host: the verdict
# does not depend on fonts, paths or library versions.  (What happens
# when a library's own allocation fails is `make check-alloc-libs`,
# tests/functional/alloc-libs.sh, not run by make check.)
#
# For each command, a good run is counted first, and the list of its
# allocations' sites (file and line) chooses the N to try, so that every
# place csppack allocates is tried on every host:
#
#   - N alone: the first allocation made at each site; and, unless the
#     program was built with a sanitizer (three times slower), the last
#     one at each site and BUILD_FAULTS_SPREAD (default 50) more spread
#     evenly over the run;
#   - N:every (memory gone for good): the first allocation at each site.
#
# `build` is tried at each of its sites (about 150 of them, of some
# 10,600 allocations over the samples: about 300 runs under the
# sanitizers, 450 without); `reconcile` and `validate` run the same code
# on the same inputs, so they are tried at the sites `build` does not
# reach, and at 10 N spread over each run.  BUILD_FAULTS_ALL=1 tries every N, alone and from N on, of
# all three: some 28,000 runs, for a thorough check by hand.
#
# `build` and `reconcile` write into a folder that holds a previous pack
# (of fewer files) and a file of the coordinator's.  Every run must:
#
#   - exit 3 with exactly one line on stderr, "csppack: error: ... out of
#     memory"; or succeed (a failure worked round) with the good run's
#     exit status and, for build and reconcile, its pack byte for byte;
#   - not crash or hang, and raise no sanitizer report (leaks included);
#   - leave the folder as it was (every file's SHA-256), with no private
#     folder in it and nothing new beside it;
#   - leave the inputs byte for byte untouched.
#
# Also checked: the list of sites is the same when the files are in a
# folder with a longer path; csppack itself ignores CSP_TORTURE; a
# CSP_TORTURE that means nothing stops the test build (exit 99).
#
# Environment: CSPPACK, SAMPLES_DIR; CSPPACK_TORTURE (default:
# tests/csppack-torture beside csppack); BUILD_FAULTS_ALL=1;
# BUILD_FAULTS_SPREAD; BUILD_FAULTS_ONLY="N N:every ..." tries only those
# (to see one failure again).

. "$(dirname "$0")/lib.sh"
test_setup build-faults
unset SOURCE_DATE_EPOCH CSP_TORTURE CSP_TORTURE_LOG
: "${CSPPACK_TORTURE:=$(dirname "$CSPPACK")/tests/csppack-torture}"
: "${BUILD_FAULTS_ALL:=0}" "${BUILD_FAULTS_ONLY:=}"
fail_lines=6
torture=$CSPPACK_TORTURE
case $torture in
/*) ;;
*) torture=$(pwd)/$torture ;;
esac

if [ ! -x "$torture" ]; then
    fail "the test build of csppack" "no $torture (make check builds it)"
    test_finish
fi
if ldd "$torture" 2>/dev/null | grep -q -e libasan -e libubsan; then
    : "${BUILD_FAULTS_SPREAD:=0}"
    last=no
else
    : "${BUILD_FAULTS_SPREAD:=50}"
    last=yes
fi
# A hung run is stopped (and fails) rather than hang make check.
if command -v timeout >/dev/null 2>&1; then
    stop_after="timeout -s KILL 120"
else
    stop_after=""
fi

# Relative paths from here: the same allocations on every host.
cd "$tmp" || exit 99
mkdir in old-inbox w || exit 99
cp -R "$SAMPLES_DIR"/. in/ || exit 99
cp in/k*.xml old-inbox/ || exit 99
file_sums in >inputs

# tort SPEC ARGS...: the test build (no CSP_TORTURE when SPEC is ""),
# leaving $rc, out, err and, for a SPEC, log.  Checks the inputs.
nruns=0
changed=0
tort() {
    t_spec=$1
    shift
    rm -f log
    if [ -n "$t_spec" ]; then
        $stop_after env CSP_TORTURE="$t_spec" CSP_TORTURE_LOG=log \
            "$torture" "$@" >out 2>err
    else
        $stop_after "$torture" "$@" >out 2>err
    fi
    rc=$?
    nruns=$((nruns + 1))
    if ! file_sums in | cmp -s - inputs; then
        changed=$((changed + 1))
        fail "the inputs are untouched (run $nruns: $*)" "in/ changed"
        file_sums in >inputs
    fi
}

# A previous pack of four files, with the coordinator's notes in it; and
# the previous output of reconcile likewise.
"$CSPPACK" build -q --jobs 1 --out prev old-inbox >/dev/null 2>&1 &&
    "$CSPPACK" reconcile -q --jobs 1 --out prev-rec old-inbox >/dev/null 2>&1
if [ $? -ne 0 ]; then
    fail "the previous packs" "csppack failed on old-inbox/"
    test_finish
fi
printf 'my own notes\n' >prev/notes.txt
printf 'my own notes\n' >prev-rec/notes.txt
tree_sums prev >prev.sums
tree_sums prev-rec >prev-rec.sums

# The good runs, by the test build and by csppack (with CSP_TORTURE set,
# which only the test build obeys), each over a copy of the previous pack,
# as every run of the sweep is: the new pack says what changed since it.
cp -a prev good
tort "" build -q --jobs 1 --out good in
good_build_rc=$rc
tree_sums good >good.sums
cp -a prev good2
env CSP_TORTURE=1 "$CSPPACK" build -q --jobs 1 --out good2 in >/dev/null 2>err
rc2=$?
if [ "$good_build_rc" -ne 0 ]; then
    fail "a good run of the test build" "exit status $good_build_rc"
    test_finish
elif [ "$rc2" -ne 0 ] || ! tree_sums good2 | cmp -s - good.sums; then
    fail "csppack ignores CSP_TORTURE and writes the test build's pack" \
        "exit status $rc2"
else
    ok "csppack ignores CSP_TORTURE and writes the test build's pack"
fi
cp -a prev-rec good-rec
tort "" reconcile -q --jobs 1 --out good-rec in
good_rec_rc=$rc
tree_sums good-rec >good-rec.sums
tort "" validate --jobs 1 in
good_val_rc=$rc
cp out good-val.out

# A value that means nothing stops the test build, rather than fail no
# allocation and pass.
for bad in 0 12x 3:evry; do
    tort "$bad" validate --jobs 1 in
    if [ "$rc" -eq 99 ] && [ ! -s out ] && [ "$(cat err)" = \
        "csppack-torture: CSP_TORTURE is not count, N or N:every" ]; then
        ok "CSP_TORTURE=$bad stops the test build (exit 99, one line)"
    else
        fail "CSP_TORTURE=$bad stops the test build (exit 99, one line)" \
            "exit status $rc"
    fi
done

# count NAME ARGS...: count the allocations of a good run into NAME.sites;
# false (and a failure) when it does not count.
count() {
    c_name=$1
    shift
    tort count "$@"
    mv log "$c_name.sites" 2>/dev/null
    c_total=$(sed -n 's/^csppack-torture: \([0-9][0-9]*\) allocations$/\1/p' err)
    if [ ! -s "$c_name.sites" ] || [ -z "$c_total" ] ||
        [ "$(wc -l <"$c_name.sites")" -ne "$c_total" ]; then
        fail "counting the allocations of $c_name" \
            "exit status $rc; ${c_total:-no} count"
        return 1
    fi
    return 0
}

# The same sequence from a folder with a longer path.
deep=deep/$(printf 'a-long-folder-name%.0s' 1 2 3 4 5 6)/x
mkdir -p "$deep/w" || exit 99
cp -R in "$deep/in" || exit 99
cp -a prev w/pack
cp -a prev "$deep/w/pack"
count build build -q --jobs 1 --out w/pack in || test_finish
(cd "$deep" && CSP_TORTURE=count CSP_TORTURE_LOG=sites \
    "$torture" build -q --jobs 1 --out w/pack in >/dev/null 2>&1)
if cmp -s build.sites "$deep/sites"; then
    ok "csppack's allocations are the same calls from a longer path ($(wc -l <build.sites) of them)"
else
    fail "csppack's allocations are the same calls from a longer path" \
        "$(diff build.sites "$deep/sites" | head -3 | tr '\n' ' ')"
fi
rm -rf deep

# specs NAME SPREAD [SEEN]: the N to try for NAME, from NAME.sites, one a
# line; only at the sites that are not in the file SEEN, when given.
specs() {
    if [ -n "$BUILD_FAULTS_ONLY" ]; then
        printf '%s\n' $BUILD_FAULTS_ONLY
        return
    fi
    if [ "$BUILD_FAULTS_ALL" = 1 ]; then
        awk '{ print NR; print NR ":every" }' "$1.sites"
        return
    fi
    awk -v spread="$2" -v seen="${3:-}" -v last="$last" '
        BEGIN {
            if (seen != "")
                while ((getline line < seen) > 0)
                    skip[line] = 1
        }
        !($0 in first) { first[$0] = NR; order[++k] = $0 }
        { final[$0] = NR }
        END {
            for (i = 1; i <= k; i++) {
                if (order[i] in skip)
                    continue
                print first[order[i]]
                if (last == "yes")
                    print final[order[i]]
                print first[order[i]] ":every"
            }
            for (i = 1; i <= spread; i++)
                print int(i * NR / (spread + 1)) + 1
        }' "$1.sites" | sort -t: -k1,1n -k2 -u
}

# intact DIR SUMS: DIR is as it was, with no private folder and nothing
# new beside it; else a failure for $spec.
intact() {
    if ! tree_sums "$1" | cmp -s - "$2"; then
        fail "$what: the folder is as it was" \
            "$(tree_sums "$1" | diff "$2" - | head -5 | tr '\n' ' ')"
        return 1
    fi
    if [ -n "$(private_folders "$1")" ]; then
        fail "$what: no private folder left" "$(private_folders "$1")"
        return 1
    fi
    if [ "$(ls -A w)" != "$(basename "$1")" ]; then
        fail "$what: nothing beside the folder" "$(ls -A w | tr '\n' ' ')"
        return 1
    fi
    return 0
}

# sweep NAME GOOD_RC PREV GOOD ARGS...: run ARGS with each N of NAME's
# specs (specs NAME $s_spread $s_seen), each time into w/pack, a copy of
# the folder PREV (whose sums are in PREV.sums); GOOD holds the sums of
# the folder after a good run.  PREV and GOOD are "" for validate, which
# writes nothing.  One verdict line, when no run failed.
sweep() {
    s_name=$1 s_good_rc=$2 s_prev=$3 s_good=$4
    shift 4
    s_one=0 s_every=0 s_bad=0 s_survived=0 s_fresh=no
    specs "$s_name" "$s_spread" "$s_seen" >"$s_name.specs"
    while read -r spec; do
        n=${spec%%:*}
        what="$s_name N=$spec ($(sed -n "${n}p" "$s_name.sites"))"
        case $spec in
        *:every) s_every=$((s_every + 1)) ;;
        *) s_one=$((s_one + 1)) ;;
        esac
        # A run that failed cleanly left the folder as it was.
        if [ -n "$s_prev" ] && [ "$s_fresh" = no ]; then
            rm -rf w/pack
            cp -a "$s_prev" w/pack
        fi
        s_fresh=no
        f_before=$failed
        tort "$spec" "$@"
        if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' \
            -e 'runtime error' err; then
            fail "$what: no sanitizer report" \
                "$(grep -m1 -e ERROR -e 'runtime error' err)"
        elif [ "$rc" -ge 124 ]; then
            fail "$what: no crash or hang" "exit status $rc"
        elif [ "$rc" -eq 3 ]; then
            if [ "$(wc -l <err)" -ne 1 ] ||
                ! grep -q '^csppack: error: .*out of memory' err; then
                fail "$what: one \"csppack: error: ... out of memory\" line" \
                    "exit status 3"
            elif [ -n "$s_prev" ] && intact w/pack "$s_prev.sums"; then
                s_fresh=yes
            fi
        elif [ "$rc" -eq "$s_good_rc" ] && [ ! -s err ]; then
            # Worked round: what a good run writes.
            if [ -n "$s_prev" ] &&
                ! tree_sums w/pack | cmp -s - "$s_good"; then
                fail "$what: a run that succeeds writes the good pack" \
                    "$(tree_sums w/pack | diff "$s_good" - | grep '^[<>]' | head -4 | tr '\n' ' ')"
            elif [ -z "$s_prev" ] && ! cmp -s out good-val.out; then
                fail "$what: a run that succeeds prints what a good run does" \
                    "$(diff good-val.out out | head -3 | tr '\n' ' ')"
            else
                s_survived=$((s_survived + 1))
            fi
        else
            fail "$what: exit status 3 (or $s_good_rc)" "exit status $rc"
        fi
        [ "$failed" -ne "$f_before" ] && s_bad=$((s_bad + 1))
    done <"$s_name.specs"
    s_sites=$(awk -F: 'NR == FNR { want[$1] = 1; next } FNR in want' \
        "$s_name.specs" "$s_name.sites" | sort -u | wc -l)
    if [ -z "$BUILD_FAULTS_ONLY" ] && { [ "$s_one" -eq 0 ] ||
        { [ "$s_every" -eq 0 ] && [ -z "$s_seen" ]; }; }; then
        fail "$s_name: runs to try" "$s_one with one allocation failing, $s_every with every one from N on"
    elif [ "$s_bad" -eq 0 ]; then
        ok "$s_name: each of $s_one runs with one allocation failing and $s_every with every one from N on (at $s_sites sites, of $(wc -l <"$s_name.sites") allocations) failed cleanly${s_prev:+, the folder as it was}, or worked round it ($s_survived)"
    fi
}

# build: into the previous pack.
s_spread=$BUILD_FAULTS_SPREAD s_seen=""
sweep build "$good_build_rc" prev good.sums build -q --jobs 1 --out w/pack in

# reconcile and validate: at the sites build did not reach (the others
# were tried above, on the same inputs), and at 10 N spread over each
# run, for their own ways of failing.
s_spread=10 s_seen=build.sites
rm -rf w/pack
cp -a prev-rec w/pack
if count reconcile reconcile -q --jobs 1 --out w/pack in; then
    sweep reconcile "$good_rec_rc" prev-rec good-rec.sums \
        reconcile -q --jobs 1 --out w/pack in
fi

# validate: writes nothing.
cat reconcile.sites >>build.sites
rm -rf w/pack
if count validate validate --jobs 1 in; then
    sweep validate "$good_val_rc" "" "" validate --jobs 1 in
fi

[ "$changed" -eq 0 ] &&
    ok "the inputs byte for byte untouched after each of $nruns runs"
test_finish
