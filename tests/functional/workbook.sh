#!/bin/sh
# The Excel workbook (`csppack workbook`), read back with openpyxl by
# check_workbook.py:
#
#   - the samples: sheet names, headers, the strategy's key figures, number
#     formats, statuses and the Status list, frozen panes, print setup,
#     comments with sources, document properties, charts; the sheets that
#     grow with the inbox streamed (filters, no table), and no temporary
#     file left beside the workbook; the About sheet (period, date, marks,
#     units), the Data sheet's rows, the Returns and Revisions sheets;
#     print areas without the audit columns, text at 8 points or more;
#   - the samples without one agency's file: Returns names it;
#   - a pack built again after a resubmission: the Revisions sheet's rows,
#     the Revised marks, and "nothing changed" the time after;
#   - golden: every XML part of the samples' workbook byte for byte against
#     tests/data/golden/workbook/ (REGEN=1 rewrites them: review the diff,
#     then commit them with the change that explains it);
#   - reproducible: the same bytes twice, with the inputs in another order
#     or named another way, under a comma-decimal locale (generated with
#     localedef when the system has none; skipped when impossible);
#     SOURCE_DATE_EPOCH changes the creation date only;
#   - an inbox of awkward cases: disputed, estimated, withdrawn, refused,
#     duplicate, text that looks like a formula, a 40,000-character
#     progress statement;
#   - continuation sheets (--sheet-rows), the Action history's progress
#     budget (--progress-budget), consistency with the CSV files of
#     `csppack reconcile`, and failures that must leave no partial file.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR, TEMPLATES_DIR (default
# relative to this script).  Prints "N passed, M failed" last; exits 1 when any failed.

. "$(dirname "$0")/lib.sh"
test_setup workbook
unset SOURCE_DATE_EPOCH
LC_ALL=C.UTF-8
export LC_ALL
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
PY=/usr/bin/python3
check=$here/check_workbook.py
golden=$TEST_DATA_DIR/golden/workbook
builddir=$(dirname "$CSPPACK")
fail_lines=20


# leftovers NAME DIR: no temporary file left in DIR.
leftovers() {
    if ls "$2" | grep -q '\.tmp-'; then
        fail "$1" "temporary files left: $(ls "$2" | grep '\.tmp-')"
    else
        ok "$1"
    fi
}

have_py=no
if "$PY" -c 'import openpyxl' 2>/dev/null; then
    have_py=yes
else
    echo "note: $PY cannot import openpyxl (Debian: python3-openpyxl);" \
        "the checks that read workbooks are skipped"
fi

# py MODE ARGS...: run the checker and count its verdicts.
py() {
    if [ $have_py = no ]; then
        missing "check_workbook.py $1" openpyxl
        return
    fi
    checker "$check" "$@" ||
        fail "check_workbook.py $1" "exit status $prc: $(tail -3 "$tmp/py.out")"
}

# ---------------------------------------------------------------------------
# The samples.
run workbook -o "$tmp/s.xlsx" "$SAMPLES_DIR"
expect "samples: workbook written" 0
if grep -q "^wrote $tmp/s.xlsx: 11 sheets" "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok "samples: summary on stdout, nothing on stderr"
else
    fail "samples: summary on stdout, nothing on stderr" "unexpected output"
fi
leftovers "samples: no temporary file left" "$tmp"
[ -f "$tmp/s.xlsx" ] || { echo "no workbook; giving up"; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
py samples "$tmp/s.xlsx" "$SAMPLES_DIR" "$TEMPLATES_DIR/dg-csp-2016-19.xml"

if [ "${REGEN:-}" = 1 ]; then
    mkdir -p "$golden"
    py golden "$tmp/s.xlsx" "$golden" --regen
else
    py golden "$tmp/s.xlsx" "$golden"
fi

# only_workbook NAME DIR: the run wrote DIR/w.xlsx, and DIR holds nothing
# else.
only_workbook() {
    if [ "$rc" -eq 0 ] && [ "$(ls -A "$2")" = "w.xlsx" ]; then
        ok "$1"
    else
        fail "$1" "exit status $rc; the folder holds: $(ls -A "$2" | tr '\n' ' ')"
    fi
}

# libxlsxwriter's temporary files (the streamed sheets' rows, the parts it
# assembles) are made in the workbook's folder and removed at once: the
# folder holds the workbook and nothing else.
mkdir -p "$tmp/alone"
run workbook -q -o "$tmp/alone/w.xlsx" "$SAMPLES_DIR"
only_workbook "samples: nothing but the workbook left in its folder" "$tmp/alone"

# The workbook is made in a private folder inside its folder (outdir.h):
# one that a killed run left there is removed by the next run.
mkdir -p "$tmp/left/.csppack-tmp-Ab12Cd"
printf 'half a workbook\n' >"$tmp/left/.csppack-tmp-Ab12Cd/w.xlsx"
run workbook -q -o "$tmp/left/w.xlsx" "$SAMPLES_DIR"
only_workbook "a private folder a killed run left is removed" "$tmp/left"

# ---------------------------------------------------------------------------
# The samples without Kent Fire and Rescue Service's file: the Returns
# sheet names it as having sent nothing, each thing it owes not received.
mkdir -p "$tmp/nokfrs"
cp "$SAMPLES_DIR"/*.xml "$tmp/nokfrs/"
rm "$tmp/nokfrs/kfrs-2016q2.xml"
run workbook -q -o "$tmp/nokfrs.xlsx" "$tmp/nokfrs"
expect "without one agency's file: workbook written" 0
py returns-missing "$tmp/nokfrs.xlsx" "Kent Fire and Rescue Service"

# --marking: in every sheet's print header, '&' and all.
run workbook -q --marking "OFFICIAL-SENSITIVE & PERSONAL" \
    -o "$tmp/marked.xlsx" "$SAMPLES_DIR"
expect "--marking: workbook written" 0
py marking "$tmp/marked.xlsx" "OFFICIAL-SENSITIVE & PERSONAL"

# `csppack build --period`: the pack's workbook is about the board pack's
# period, as the board report is.
run build -q --period 2016-04-01/2016-06-30 --out "$tmp/q1pack" "$SAMPLES_DIR"
expect "build --period: pack written" 0
py period "$tmp/q1pack/workbook.xlsx" \
    "The quarter 1 April to 30 June 2016" "Q1 2016/17"

# What changed since the last pack: a quarter without the CCG's file,
# then the CCG's file and Kent Police's resubmission (tests/data/since)
# built into the same folder; then the same files again (the same
# workbook: it is the same pack); then Kent Police's resubmission sent
# once more, a day later, with nothing new in it.
mkdir -p "$tmp/since/in"
cp "$SAMPLES_DIR"/*.xml "$tmp/since/in/"
rm "$tmp/since/in/dgs-ccg-2016q2.xml"
run build -q --out "$tmp/since/pack" "$tmp/since/in"
expect "since: the first pack" 0
cp "$SAMPLES_DIR/dgs-ccg-2016q2.xml" "$TEST_DATA_DIR"/since/*.xml \
    "$tmp/since/in/"
run build -q --out "$tmp/since/pack" "$tmp/since/in"
expect "since: the second pack" 0
cp "$tmp/since/pack/workbook.xlsx" "$tmp/since/second.xlsx"
run build -q --out "$tmp/since/pack" "$tmp/since/in"
expect "since: the same files again" 0
same "since: the same files again give the same workbook" \
    "$tmp/since/second.xlsx" "$tmp/since/pack/workbook.xlsx"
sed 's/2016-11-18T10:00:00Z/2016-11-19T10:00:00Z/' \
    "$TEST_DATA_DIR/since/kent-police-2016q2-revised.xml" \
    >"$tmp/since/in/kent-police-again.xml" || exit 99
run build -q --out "$tmp/since/pack" "$tmp/since/in"
expect "since: a resubmission with nothing new" 0
py revisions "$tmp/since/second.xlsx" "$tmp/since/pack/workbook.xlsx"

# ---------------------------------------------------------------------------
# A figure reported missing is a gap in its Trends line, not a zero.
mkdir -p "$tmp/gaps"
cp "$SAMPLES_DIR"/*.xml "$tmp/gaps/"
cat >"$tmp/gaps/police-late.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"
            agency="kent-police" submitted="2016-12-02T10:00:00Z">
  <submitter name="Priya Nandakumar" email="p.nandakumar@kent.police.example"/>
  <observations>
    <obs indicator="victim-based-crime" area="dartford" period="2014-10-01/2015-09-30" status="missing"/>
  </observations>
</submission>
EOF
run workbook -q -o "$tmp/gaps.xlsx" "$tmp/gaps"
expect "gaps: workbook written" 0
py gaps "$tmp/gaps.xlsx"

# ---------------------------------------------------------------------------
# Reproducible.
run workbook -o "$tmp/s2.xlsx" "$SAMPLES_DIR"
same "reproducible: the same bytes twice" "$tmp/s.xlsx" "$tmp/s2.xlsx"

set -- "$SAMPLES_DIR"/*.xml
reversed=""
for f in "$@"; do
    reversed="$f
$reversed"
done
# shellcheck disable=SC2086
(IFS='
'; "$CSPPACK" workbook -q -o "$tmp/rev.xlsx" $reversed) >/dev/null 2>&1
same "reproducible: files named one by one, in reverse order" \
    "$tmp/s.xlsx" "$tmp/rev.xlsx"

mkdir -p "$tmp/elsewhere/inbox"
cp "$SAMPLES_DIR"/*.xml "$tmp/elsewhere/inbox/"
(cd "$tmp/elsewhere" && "$CSPPACK" workbook -q ./inbox >/dev/null 2>&1)
same "reproducible: another folder, relative path, default name csppack.xlsx" \
    "$tmp/s.xlsx" "$tmp/elsewhere/csppack.xlsx"

SOURCE_DATE_EPOCH=1500000000 "$CSPPACK" workbook -q -o "$tmp/epoch.xlsx" \
    "$SAMPLES_DIR" >/dev/null 2>&1
if unzip -p "$tmp/epoch.xlsx" docProps/core.xml 2>/dev/null |
    grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2017-07-14T02:40:00Z'; then
    ok "SOURCE_DATE_EPOCH dates the workbook"
else
    fail "SOURCE_DATE_EPOCH dates the workbook" "created is not 2017-07-14T02:40:00Z"
fi
py parts-differ "$tmp/s.xlsx" "$tmp/epoch.xlsx" docProps/core.xml

# A comma-decimal locale: the system's, or one generated with localedef.
locpath=""
if [ "$(LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" = "," ]; then
    locpath=system
elif command -v localedef >/dev/null 2>&1; then
    mkdir -p "$tmp/loc"
    localedef -i de_DE -f UTF-8 "$tmp/loc/de_DE.UTF-8" >/dev/null 2>&1
    if [ "$(LOCPATH=$tmp/loc LC_ALL=de_DE.UTF-8 locale decimal_point 2>/dev/null)" = "," ]; then
        locpath=$tmp/loc
    fi
fi
if [ -z "$locpath" ]; then
    skip "comma-decimal locale: none installed and localedef cannot make one"
else
    if [ "$locpath" = system ]; then
        LC_ALL=de_DE.UTF-8 "$CSPPACK" workbook -q -o "$tmp/de.xlsx" \
            "$SAMPLES_DIR" >/dev/null 2>&1
    else
        LOCPATH=$locpath LC_ALL=de_DE.UTF-8 "$CSPPACK" workbook -q \
            -o "$tmp/de.xlsx" "$SAMPLES_DIR" >/dev/null 2>&1
    fi
    same "reproducible: the same bytes under LC_ALL=de_DE.UTF-8" \
        "$tmp/s.xlsx" "$tmp/de.xlsx"
fi

# ---------------------------------------------------------------------------
# Consistent with the other outputs of the same inputs.
run reconcile -q --out "$tmp/pack" "$SAMPLES_DIR"
if [ "$rc" -eq 0 ] && [ -f "$tmp/pack/discrepancies.csv" ]; then
    py consistent "$tmp/s.xlsx" "$tmp/pack"
else
    fail "csppack reconcile for the consistency check" "exit status $rc"
fi

# ---------------------------------------------------------------------------
# The Action history's progress budget (doc/workbook.md): past it a long
# statement is an excerpt, counted in the sheet and in the summary.
run workbook --progress-budget 3000 -o "$tmp/budget.xlsx" "$SAMPLES_DIR"
expect "budget: workbook written" 0
noted=$(sed -n 's/^note: the Action history.s progress text passed its budget: \([0-9]*\) statements are shown as an excerpt.*/\1/p' "$tmp/out")
if [ -n "$noted" ]; then
    ok "budget: the summary says how many are excerpts"
    if [ -f "$tmp/pack/actions.csv" ]; then
        py budget "$tmp/budget.xlsx" "$tmp/s.xlsx" "$tmp/pack" 3000 "$noted"
    fi
else
    fail "budget: the summary says how many are excerpts" \
        "$(cat "$tmp/out")"
fi
run workbook -o "$tmp/nobudget.xlsx" "$SAMPLES_DIR"
if grep -q "excerpt" "$tmp/out"; then
    fail "budget: the samples are within the default budget" \
        "$(cat "$tmp/out")"
else
    ok "budget: the samples are within the default budget"
fi

# ---------------------------------------------------------------------------
# Awkward cases.
x=$tmp/extra
mkdir -p "$x"
head='<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"'
q2='period="2016-07-01/2016-09-30"'
cat >"$x/a-kcc.xml" <<EOF
$head agency="kcc" submitted="2016-10-28T16:05:00+01:00">
  <submitter name="A" email="a@example.org"/>
  <observations>
    <obs indicator="meam-referrals" area="dartford" $q2 value="6"/>
  </observations>
  <actions>
    <update ref="1.1" status="on-track" as-of="2016-09-30">=SUM(A1:A2) and _x0041_ stay as written.</update>
  </actions>
</submission>
EOF
cp "$x/a-kcc.xml" "$x/a-copy.xml"
cat >"$x/b-ccg.xml" <<EOF
$head agency="dgs-ccg" submitted="2016-11-18T12:00:00Z">
  <submitter name="B" email="b@example.org"/>
  <observations>
    <obs indicator="meam-referrals" area="dartford" $q2 value="9"/>
  </observations>
</submission>
EOF
{
    cat <<EOF
$head agency="kfrs" submitted="2016-10-12T08:55:00+01:00">
  <submitter name="C" email="c@example.org"/>
  <observations>
    <obs indicator="deliberate-fires-primary" area="dartford" $q2 value="12" status="estimated"/>
  </observations>
  <actions>
    <update ref="3.9" status="not-started" as-of="2016-09-30">
EOF
    i=0
    while [ $i -lt 4000 ]; do
        printf 'abcdefghij'
        i=$((i + 1))
    done
    cat <<EOF
</update>
  </actions>
</submission>
EOF
} >"$x/c-kfrs.xml"
printf 'this is not XML\n' >"$x/d-junk.xml"
cat >"$x/e-police.xml" <<EOF
$head agency="kent-police" submitted="2016-10-14T09:30:00+01:00">
  <submitter name="E" email="e@example.org"/>
  <observations>
    <obs indicator="hate-crimes" area="dartford" $q2 value="41"/>
    <obs indicator="hate-crimes" area="gravesham" $q2 value="47">=HYPERLINK("http://example.org")</obs>
  </observations>
</submission>
EOF
cat >"$x/f-police.xml" <<EOF
$head agency="kent-police" submitted="2016-10-20T09:30:00+01:00">
  <submitter name="E" email="e@example.org"/>
  <observations>
    <obs indicator="hate-crimes" area="dartford" $q2 status="withdrawn"/>
  </observations>
</submission>
EOF
run workbook -o "$tmp/x.xlsx" "$x"
expect "awkward inbox: written, exit 1 for the errors in it" 1
if grep -q 'E407' "$tmp/out" && grep -q 'note: 2 texts were longer' "$tmp/out"; then
    ok "awkward inbox: the dispute and the cut texts reported"
else
    fail "awkward inbox: the dispute and the cut texts reported" "not in stdout"
fi
[ -f "$tmp/x.xlsx" ] && py extra "$tmp/x.xlsx"

# ---------------------------------------------------------------------------
# Continuation sheets.
run workbook --sheet-rows 10 -o "$tmp/c.xlsx" "$SAMPLES_DIR"
expect "--sheet-rows 10: written" 0
if grep -q 'note: .* sheets were continued' "$tmp/out"; then
    ok "--sheet-rows 10: the continuation reported"
else
    fail "--sheet-rows 10: the continuation reported" "no note on stdout"
fi
[ -f "$tmp/c.xlsx" ] && py continued "$tmp/c.xlsx" "$tmp/s.xlsx" 10

# ---------------------------------------------------------------------------
# Past --comments-max figures, Indicators streams without comments (the
# default, 20,000, is passed by long histories: see doc/workbook.md).
run workbook --comments-max 5 -o "$tmp/nc.xlsx" "$SAMPLES_DIR"
expect "--comments-max 5: written" 0
if [ -f "$tmp/nc.xlsx" ]; then
    py no-comments "$tmp/nc.xlsx"
    py same-values "$tmp/nc.xlsx" "$tmp/s.xlsx" Indicators
fi

# ---------------------------------------------------------------------------
# Usage errors.
run workbook --sheet-rows 3 "$SAMPLES_DIR"
expect "--sheet-rows 3 refused" 2
run workbook --comments-max -1 "$SAMPLES_DIR"
expect "--comments-max -1 refused" 2
run workbook --frobnicate "$SAMPLES_DIR"
expect "unknown option refused" 2
run workbook -o "$tmp/u.xlsx"
expect "no inputs refused" 2
run workbook --help
expect "--help" 0

# ---------------------------------------------------------------------------
# Failures leave no partial file, and say so in one line.

# one_error NAME: stderr is exactly one "csppack: error:" line.
one_error() {
    if [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
        grep -q '^csppack: error: cannot write' "$tmp/err"; then
        ok "$1"
    else
        fail "$1" "stderr is not one error line"
    fi
}

# exact NAME LINE: stderr is exactly LINE.
exact() {
    if [ "$(cat "$tmp/err")" = "$2" ]; then
        ok "$1"
    else
        fail "$1" "stderr: $(cat "$tmp/err")"
    fi
}

run workbook -q -o "$tmp/no/such/dir/x.xlsx" "$SAMPLES_DIR"
expect "missing folder: exit 3" 3
one_error "missing folder: one error line"
exact "missing folder: the system's reason" \
    "csppack: error: cannot write $tmp/no/such/dir/x.xlsx: No such file or directory"
[ ! -e "$tmp/no" ] && ok "missing folder: nothing created" ||
    fail "missing folder: nothing created" "$(ls -R "$tmp/no")"

mkdir -p "$tmp/adir"
run workbook -q -o "$tmp/adir" "$SAMPLES_DIR"
expect "a folder as the output: exit 3" 3
one_error "a folder as the output: one error line"
exact "a folder as the output: says so" \
    "csppack: error: cannot write $tmp/adir: it is a folder"
leftovers "a folder as the output: nothing left" "$tmp/adir"

# With a shim that makes system calls fail (built without sanitizers, so
# tell ASan not to insist on coming first).
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
export ASAN_OPTIONS
failshim=$builddir/tests/functional/failshim.so
wbshim=$builddir/tests/functional/wbshim.so
mkdir -p "$tmp/keep"
printf 'the old workbook\n' >"$tmp/keep/w.xlsx"

# kept NAME: the old file is untouched and nothing else is left.
kept() {
    if [ "$(cat "$tmp/keep/w.xlsx")" = "the old workbook" ] &&
        [ "$(ls "$tmp/keep")" = "w.xlsx" ]; then
        ok "$1"
    else
        fail "$1" "the folder holds: $(ls "$tmp/keep" | tr '\n' ' ')"
    fi
}

if [ -f "$failshim" ]; then
    for rule in fsync:1:eio rename:1:eio; do
        run_env CSP_FAILSHIM="$rule" LD_PRELOAD="$failshim" "$CSPPACK" \
            workbook -q -o "$tmp/keep/w.xlsx" "$SAMPLES_DIR"
        expect "$rule: exit 3" 3
        one_error "$rule: one error line"
        kept "$rule: the old workbook kept, no temporary file"
    done
    run_env CSP_FAILSHIM=fsync:1:sigint LD_PRELOAD="$failshim" "$CSPPACK" \
        workbook -q -o "$tmp/keep/w.xlsx" "$SAMPLES_DIR"
    if [ "$rc" -eq 130 ] || [ "$rc" -eq $((128 + 2)) ]; then
        ok "interrupted: dies of SIGINT"
    else
        fail "interrupted: dies of SIGINT" "exit status $rc"
    fi
    kept "interrupted: the old workbook kept, no temporary file"
else
    missing "failures injected with failshim.so" "failshim.so (make check builds it)"
fi
if [ -f "$wbshim" ]; then
    run_env CSP_WBSHIM=tmpfile LD_PRELOAD="$wbshim" "$CSPPACK" \
        workbook -q -o "$tmp/keep/w.xlsx" "$SAMPLES_DIR"
    expect "libxlsxwriter fails (no temporary files): exit 3" 3
    one_error "libxlsxwriter fails: one error line, its own lines folded in"
    if grep -q '(libxlsxwriter: ' "$tmp/err"; then
        ok "libxlsxwriter fails: its reason is given"
    else
        fail "libxlsxwriter fails: its reason is given" "not in the error line"
    fi
    kept "libxlsxwriter fails: the old workbook kept, no temporary file"
else
    missing "libxlsxwriter failure injected with wbshim.so" "wbshim.so (make check builds it)"
fi

test_finish
