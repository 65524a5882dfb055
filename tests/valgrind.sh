#!/bin/sh
# make valgrind: csppack under valgrind's memcheck, on the samples' pack
# and on every hostile and refused input the tests know.  Any invalid
# access, use of uninitialised memory, or definitely or indirectly lost
# block fails the run (valgrind exits 99).
#
#   1. `csppack $PACK_COMMAND --out DIR samples/` (PACK_COMMAND is
#      "build", the whole pack; the Makefile sets it), and when it is
#      reconcile, the workbook and the reports of the samples too;
#   2. `csppack validate` of each sample, each file of
#      tests/data/submissions/bad, tests/data/fuzz and tests/data/template;
#   3. tests/functional/validate-bad.sh, validate-hostile.sh,
#      fuzz-regressions.sh and diag-bounds.sh with csppack run under
#      valgrind (their checks of messages, exit statuses, time and
#      untouched inputs all apply).
#
# The program is copied first, so that a rebuild during the run cannot
# change what is checked.
#
# tests/functional/build-faults.sh and build-kill.sh are not run here:
# their hundreds of builds and eighty builds (several seconds each under
# memcheck) would take an hour and ten minutes or more.  The sanitizer build
# runs both (configure --enable-asan --enable-ubsan; make check).
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR, TEMPLATES_DIR (as for
# the functional tests; default relative to this script), PACK_COMMAND,
# VALGRIND (default: valgrind).
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${CSPPACK:=$top/csppack}"
: "${SAMPLES_DIR:=$top/samples/dartford-gravesham}"
: "${TEST_DATA_DIR:=$top/tests/data}"
: "${TEMPLATES_DIR:=$top/templates}"
: "${PACK_COMMAND:=build}"
: "${VALGRIND:=valgrind}"
case $CSPPACK in /*) ;; *) CSPPACK=$(pwd)/$CSPPACK ;; esac
export SAMPLES_DIR TEST_DATA_DIR TEMPLATES_DIR

if ! command -v "$VALGRIND" >/dev/null 2>&1; then
    echo "valgrind: no $VALGRIND: install the Debian package valgrind" >&2
    exit 1
fi
if [ ! -x "$CSPPACK" ]; then
    echo "valgrind: no csppack program at $CSPPACK (run make)" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/csppack-valgrind.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' HUP INT TERM

cp "$CSPPACK" "$tmp/csppack.bin" || exit 1
CSPPACK=$tmp/csppack.bin

# The wrapper the functional scripts run as $CSPPACK.  valgrind's own
# report goes to a log per process, so stdout and stderr stay what the
# scripts compare.
mkdir "$tmp/logs"
cat >"$tmp/csppack" <<WRAP
#!/bin/sh
exec "$VALGRIND" --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
    --track-origins=yes --quiet --log-file="$tmp/logs/vg.%p.log" \\
    "$CSPPACK" "\$@"
WRAP
chmod +x "$tmp/csppack"
vg=$tmp/csppack

runs=0
bad=0
# run NAME CMD...: run under valgrind; a valgrind error or a crash fails.
run() {
    name=$1
    shift
    runs=$((runs + 1))
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 99 ] || [ "$rc" -ge 124 ]; then
        bad=$((bad + 1))
        echo "FAIL - $name: exit status $rc"
    fi
}

echo "valgrind: the samples' pack (csppack $PACK_COMMAND)"
run "$PACK_COMMAND samples" "$vg" "$PACK_COMMAND" --out "$tmp/pack" "$SAMPLES_DIR"
if [ "$PACK_COMMAND" = reconcile ]; then
    run "workbook samples" "$vg" workbook -o "$tmp/pack.xlsx" "$SAMPLES_DIR"
    run "report samples" "$vg" report -o "$tmp/pack.pdf" "$SAMPLES_DIR"
    run "report strategy" "$vg" report --kind strategy -o "$tmp/strategy.pdf" \
        "$SAMPLES_DIR"
fi

echo "valgrind: validate, file by file"
for f in "$SAMPLES_DIR"/*.xml "$TEST_DATA_DIR"/submissions/bad/*.xml \
    "$TEST_DATA_DIR"/fuzz/*.xml "$TEMPLATES_DIR"/*.xml \
    "$TEST_DATA_DIR"/template/*.xml; do
    [ -f "$f" ] || continue
    run "validate $f" "$vg" validate "$f"
done

for t in validate-bad validate-hostile fuzz-regressions diag-bounds; do
    echo "valgrind: tests/functional/$t.sh"
    runs=$((runs + 1))
    if ! CSPPACK=$vg CSPPACK_VALGRIND=1 sh "$top/tests/functional/$t.sh" \
        >"$tmp/$t.out" 2>&1; then
        bad=$((bad + 1))
        echo "FAIL - $t.sh under valgrind:"
        grep -v '^ok ' "$tmp/$t.out" | sed 's/^/    /'
    fi
done

# Every report valgrind wrote, whatever the exit status said.
for l in "$tmp"/logs/vg.*.log; do
    [ -s "$l" ] || continue
    echo "valgrind report ($l):"
    sed 's/^/    /' "$l"
    bad=$((bad + 1))
done
nprocs=$(find "$tmp/logs" -name 'vg.*.log' | wc -l)
echo "valgrind: $runs runs ($nprocs processes under memcheck), $bad failed"
[ "$bad" -eq 0 ]
