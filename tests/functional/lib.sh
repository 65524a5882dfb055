# Shared by the functional test scripts: sourced, not run.
#
#   . "$(dirname "$0")/lib.sh"
#   test_setup NAME            # checks $CSPPACK, makes $tmp (removed on exit)
#   ok "case" / fail "case" "why"
#   run ARGS... / expect "case" RC / same "case" FILE1 FILE2
#   has_line "case" FILE LINE  # FILE holds LINE, whole
#   checker SCRIPT ARGS...     # a Python checker's verdicts, counted
#   tree_sums DIR / private_folders DIR / file_sums DIR   # see below
#   test_finish                # prints "N passed, M failed", exits 0 or 1
#
# Environment (all default relative to this folder, so scripts run by hand):
# CSPPACK (the program), SAMPLES_DIR, TEMPLATES_DIR, TEST_DATA_DIR.

set -u
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${CSPPACK:=$top/csppack}"
: "${SAMPLES_DIR:=$top/samples}"
: "${TEMPLATES_DIR:=$top/templates}"
: "${TEST_DATA_DIR:=$top/tests/data}"
# abs PATH: PATH made absolute, so a script may change folder.
abs() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
    esac
}
CSPPACK=$(abs "$CSPPACK")
SAMPLES_DIR=$(abs "${SAMPLES_DIR%/}")
TEMPLATES_DIR=$(abs "$TEMPLATES_DIR")
TEST_DATA_DIR=$(abs "$TEST_DATA_DIR")
passed=0
failed=0

# test_setup NAME: check the program and make the temporary folder $tmp.
test_setup() {
    test_name=$1
    if [ ! -x "$CSPPACK" ]; then
        echo "$test_name: no csppack program at $CSPPACK (set CSPPACK)" >&2
        exit 99
    fi
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/csppack-$test_name.XXXXXX") || exit 99
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' HUP INT TERM
}

# ok CASE
ok() {
    passed=$((passed + 1))
    echo "ok - $1"
}

# fail CASE WHY: also shows $tmp/out and $tmp/err when they hold anything
# (at most $fail_lines lines of each, when the script sets fail_lines).
fail() {
    failed=$((failed + 1))
    echo "FAIL - $1: $2"
    for f in out err; do
        [ -s "$tmp/$f" ] || continue
        echo "    $f:"
        if [ -n "${fail_lines:-}" ]; then
            sed 's/^/    /' "$tmp/$f" | head -n "$fail_lines"
        else
            sed 's/^/    /' "$tmp/$f"
        fi
    done
}

# run ARGS...: csppack, leaving $rc, $tmp/out, $tmp/err.
run() {
    "$CSPPACK" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# skip WHAT [WHY]: a check that could not run here (counted in $skipped).
skipped=0
skip() {
    skipped=$((skipped + 1))
    echo "skip - $1${2:+: $2}"
}

# missing CASE TOOL: a check that needs TOOL (openpyxl, pdftotext, a shim
# make check builds...), which is not here.  A skip on a developer's
# machine that set CSPPACK_REQUIRE_TOOLS=0; otherwise a failure (make
# check sets it to 1 unless told): bootstrap installs every tool, and a
# check that did not run must not pass.
missing() {
    if [ "${CSPPACK_REQUIRE_TOOLS:-}" = 1 ]; then
        fail "$1" "needs $2, which is missing"
    else
        skip "$1" "no $2"
    fi
}

# need_tools HINT TOOL...: every TOOL is on PATH (a path or a name), or
# the whole script stops: skipped (77) on a developer's machine that set
# CSPPACK_REQUIRE_TOOLS=0, failed (1) otherwise, as missing does.  HINT
# says where they come from ("Debian: poppler-utils, python3").
need_tools() {
    nt_hint=$1
    shift
    for nt_tool in "$@"; do
        command -v "$nt_tool" >/dev/null 2>&1 && continue
        echo "$test_name: $nt_tool is needed ($nt_hint)" >&2
        if [ "${CSPPACK_REQUIRE_TOOLS:-}" = 1 ]; then
            exit 1
        fi
        exit 77
    done
}

# run_env [VAR=VALUE...] PROGRAM ARGS...: as run, with variables set for
# the program (LD_PRELOAD for a shim, say).
run_env() {
    env "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# expect NAME RC: the last run exited RC.
expect() {
    if [ "$rc" -eq "$2" ]; then
        ok "$1"
    else
        fail "$1" "exit status $rc, expected $2"
    fi
}

# exactly NAME FILE WANT: FILE's bytes are WANT and a newline.
exactly() {
    printf '%s\n' "$3" >"$tmp/want"
    if cmp -s "$tmp/want" "$2"; then
        ok "$1"
    else
        fail "$1" "$(diff "$tmp/want" "$2" | head -20 | tr '\n' '|')"
    fi
}

# has_line NAME FILE LINE: FILE holds LINE exactly, as a whole line.
has_line() {
    if grep -qxF -- "$3" "$2"; then
        ok "$1"
    else
        fail "$1" "no line \"$3\" in ${2##*/}"
    fi
}

# same NAME A B: two files have the same bytes.
same() {
    if cmp -s "$2" "$3"; then
        ok "$1"
    else
        fail "$1" "$2 and $3 differ"
    fi
}

# checker SCRIPT ARGS...: run a checker with $PY, show its lines indented
# and count its "ok - " and "FAIL - " verdicts.  False when it exited
# non-zero without a FAIL verdict (its status in $prc, its output in
# $tmp/py.out): the caller says so in its own words.
checker() {
    ck_script=$1
    shift
    "$PY" "$ck_script" "$@" >"$tmp/py.out" 2>&1
    prc=$?
    sed 's/^/  /' "$tmp/py.out"
    p=$(grep -c '^ok - ' "$tmp/py.out")
    f=$(grep -c '^FAIL - ' "$tmp/py.out")
    passed=$((passed + p))
    failed=$((failed + f))
    [ $prc -eq 0 ] || [ "$f" -ne 0 ]
}

# checked SCRIPT ARGS...: checker, and one failure more, named, when the
# script itself failed (a crash, a traceback) besides its FAIL lines.
checked() {
    checker "$@" && return
    failed=$((failed + 1))
    echo "FAIL - $(basename "$1") $2 exited $prc"
}

# tree_sums DIR: every path under DIR, its type and mode, and every
# file's SHA-256, leaving out csppack's private folders (.csppack-tmp-*,
# which a killed run leaves behind; folder sizes are left out too, as on
# tmpfs they count the entries); "absent" when DIR does not exist.
tree_sums() {
    if [ ! -e "$1" ]; then
        echo "absent"
        return
    fi
    (cd "$1" && find . -path './.csppack-tmp-*' -prune -o \
        -printf '%p %y %m\n' | sort &&
        find . -path './.csppack-tmp-*' -prune -o -type f \
            -exec sha256sum {} + | sort -k2)
}

# private_folders DIR: the names of csppack's private folders in DIR
# (where `report` and `workbook` write a file) and beside it, in its
# parent folder (where a pack is written before it replaces DIR whole).
private_folders() {
    { ls -A "$1" 2>/dev/null; ls -A "$(dirname "$1")" 2>/dev/null; } |
        grep '^\.csppack-tmp-'
}

# file_sums DIR: the SHA-256 of every file under DIR (inputs).
file_sums() {
    (cd "$1" && find . -type f -exec sha256sum {} + | sort -k2)
}

# blank_finished SUBMITTED [FILE...]: a blank's header and comment filled
# in as its instructions say (doc/submission-format.md, "Placeholders"),
# sent at SUBMITTED, and every optional figure deleted whole; its figures
# and updates are left for the caller.
blank_finished() {
    bf_sent=$1
    shift
    sed -e 's|name="Your name" email="you@example.org"|name="Ann Example" email="ann@example.org"|' \
        -e 's|submitted="YYYY-MM-DDThh:mm:ss+hh:mm"|submitted="'"$bf_sent"'"|' \
        -e '/^  <comment>Anything the coordinator should know.<\/comment>$/d' \
        -e '/^    <obs /{N;/>Optional: give its value, or delete this figure.<\/obs>$/d;}' "$@"
}

# test_finish: the closing line, and the exit status.
test_finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
