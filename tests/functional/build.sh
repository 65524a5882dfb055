#!/bin/sh
# `csppack build`, end to end (issue 6):
#
#   - the samples: every output of the pack present and nothing else (no
#     temporary folder), the summary lines, dataset.xml valid; the same
#     figures in observations.csv, the workbook (read back with openpyxl)
#     and the PDF text (pdftotext); the pack is byte for byte what
#     reconcile, workbook and report write one by one;
#   - --period: the quarter the board pack is about, and a quarter with no
#     figures; a bad period is a usage error;
#   - output: -q prints nothing; progress on stderr with -v, or when stderr
#     is a terminal (faked with script(1)), and not otherwise;
#   - all or nothing: an output folder under a regular file, failures
#     injected mid-pack with failshim.so into a folder holding a previous
#     pack and an unrelated file, a full tmpfs, a missing template: exit 3,
#     one "csppack: error:" line, the folder byte for byte as it was, no
#     .csppack-tmp-* left;
#   - identical packs from reordered copies of the inbox; renamed copies
#     change nothing but the file names; a duplicate file adds only its
#     I401 lines;
#   - the inputs are byte for byte untouched after every run.
#
# The round trip (blank, filled in, built) is in blank.sh.
#
# Environment: CSPPACK, SAMPLES_DIR, TEMPLATES_DIR; FAILSHIM (default:
# tests/functional/failshim.so beside csppack, built by make check).
# Checks that need pdftotext, /usr/bin/python3 with openpyxl, script(1),
# the failure shim or mount(8) are skipped when they are missing.

. "$(dirname "$0")/lib.sh"
test_setup build
unset SOURCE_DATE_EPOCH
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
: "${FAILSHIM:=$(dirname "$CSPPACK")/tests/functional/failshim.so}"
PY=/usr/bin/python3
checkpack=$here/check_pack.py
checkreport=$here/check_report.py
tpl=$TEMPLATES_DIR/dg-csp-2016-19.xml
fail_lines=10
period_line="csppack: board pack period: Q2 2016/17 (the quarter 1 July to \
30 September 2016), the latest quarter with figures from most of the \
partners expected (7 of 7)"
skipped=0
mnt=""

cleanup() {
    [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

have_pdf=no
command -v pdftotext >/dev/null 2>&1 && have_pdf=yes
[ $have_pdf = yes ] ||
    echo "note: no pdftotext (Debian: poppler-utils); PDF text checks skipped"
have_py=no
"$PY" -c 'import openpyxl' 2>/dev/null && have_py=yes
[ $have_py = yes ] ||
    echo "note: $PY cannot import openpyxl; workbook checks skipped"

# py SCRIPT ARGS...: run a checker and count its verdicts.
py() {
    if [ $have_py = no ]; then
        missing "$(basename "$1") $2" openpyxl
        return
    fi
    "$PY" "$@" >"$tmp/py.out" 2>&1
    prc=$?
    sed 's/^/  /' "$tmp/py.out"
    p=$(grep -c '^ok - ' "$tmp/py.out")
    f=$(grep -c '^FAIL - ' "$tmp/py.out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ $prc -ne 0 ] && [ "$f" -eq 0 ]; then
        fail "$(basename "$1") $2" "exit status $prc"
    fi
}

# pdftext PDF: its text (pdftotext -raw) in $tmp/txt/PDF (slashes made
# dashes), not beside it; prints that name.
mkdir "$tmp/txt"
pdftext() {
    pt_out=$tmp/txt/$(printf '%s' "$1" | tr / -).txt
    pdftotext -raw "$1" "$pt_out" 2>/dev/null
    echo "$pt_out"
}

# contains NAME TEXT STRING...: the strings occur in the text (whitespace
# normalised), with check_report.py.
contains() {
    if [ $have_pdf = no ]; then
        missing "$1" pdftotext
        return
    fi
    name=$1
    shift
    "$PY" "$checkreport" contains "$@" >"$tmp/py.out" 2>&1
    if grep -q '^FAIL' "$tmp/py.out" || ! grep -q '^ok' "$tmp/py.out"; then
        fail "$name" "$(grep '^FAIL' "$tmp/py.out" | head -3)"
    else
        ok "$name"
    fi
}

# --- the inputs never change ------------------------------------------------

# sums DIR: the SHA-256 of every file under DIR.
sums() {
    (cd "$1" && find . -type f -exec sha256sum {} + | sort -k2)
}

# watch DIR: from now on, check after every run that DIR is unchanged.
watched=""
watch() {
    # shellcheck disable=SC2086
    w_n=$(printf '%s\n' $watched | grep -c .)
    sums "$1" >"$tmp/sums.$w_n"
    watched="$watched $1"
}

nruns=0
changed=0
# inputs_unchanged: compare every watched folder with its checksums.
inputs_unchanged() {
    iu_i=0
    for iu_dir in $watched; do
        if ! sums "$iu_dir" | cmp -s - "$tmp/sums.$iu_i"; then
            changed=$((changed + 1))
            fail "the inputs are untouched (run $nruns)" "$iu_dir changed"
            sums "$iu_dir" >"$tmp/sums.$iu_i"
        fi
        iu_i=$((iu_i + 1))
    done
}

# run_env [VAR=VALUE...] PROGRAM ARGS...: leaves $rc, $tmp/out, $tmp/err;
# then checks the inputs.  build ARGS...: csppack build.
run_env() {
    env "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    nruns=$((nruns + 1))
    inputs_unchanged
}
build() {
    run_env "$CSPPACK" build "$@"
}
# build_in DIR ARGS...: csppack build run in DIR.
build_in() {
    bi_dir=$1
    shift
    (cd "$bi_dir" && exec "$CSPPACK" build "$@") >"$tmp/out" 2>"$tmp/err"
    rc=$?
    nruns=$((nruns + 1))
    inputs_unchanged
}

watch "$SAMPLES_DIR"

# --- helpers for packs ------------------------------------------------------------

# snapshot DIR: every path, its type, size and mode, and every file's
# SHA-256; "absent" when DIR does not exist.
snapshot() {
    if [ ! -e "$1" ]; then
        echo "absent"
        return
    fi
    (cd "$1" && find . -printf '%p %y %s %m\n' | sort &&
        find . -type f -exec sha256sum {} + | sort -k2)
}

# one_error NAME: stderr is exactly one "csppack: error:" line.
one_error() {
    if [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
        grep -q '^csppack: error: ' "$tmp/err"; then
        ok "$1"
    else
        fail "$1" "stderr is not one \"csppack: error:\" line"
    fi
}

# quiet NAME: nothing on stdout or stderr.
quiet() {
    if [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
        fail "$1" "something was printed"
    else
        ok "$1"
    fi
}

# same_pack NAME A B: the same files with the same bytes.
same_pack() {
    if diff -r "$2" "$3" >"$tmp/diff" 2>&1; then
        ok "$1"
    else
        fail "$1" "$(head -5 "$tmp/diff")"
    fi
}

pack_files='.
./.csppack-files
./actions.csv
./board-report.html
./board-report.pdf
./dataset.xml
./dataset.xsd
./discrepancies.csv
./observations.csv
./receipts
./receipts/dartford-bc.eml
./receipts/dartford-bc.txt
./receipts/dgs-ccg.eml
./receipts/dgs-ccg.txt
./receipts/gravesham-bc.eml
./receipts/gravesham-bc.txt
./receipts/kcc.eml
./receipts/kcc.txt
./receipts/kent-police.eml
./receipts/kent-police.txt
./receipts/kfrs.eml
./receipts/kfrs.txt
./receipts/kss-crc.eml
./receipts/kss-crc.txt
./strategy-report.html
./strategy-report.pdf
./workbook.xlsx'

# ===========================================================================
# The samples, end to end.
mkdir "$tmp/e2e" && cd "$tmp/e2e" || exit 99
build --out pack "$SAMPLES_DIR"
expect "samples: exit 0 (one warning, no error)" 0
cat >"$tmp/want" <<'EOF'
files: 7 read, 0 refused, 0 partly refused, 0 duplicates
figures: 217 stand (19 computed), 0 disputed
action plan: 37 of 37 items updated, 45 updates
discrepancies: 0 errors, 1 warning, 0 info
wrote pack: workbook.xlsx, board-report.pdf, strategy-report.pdf, board-report.html, strategy-report.html, dataset.xml, dataset.xsd, 3 CSV files, receipts/ (14 files)
EOF
# Then the returns outstanding (returns.sh tests them).
if sed -n '2,6p' "$tmp/out" | cmp -s - "$tmp/want" &&
    [ "$(grep -c ': warning: W409: ' "$tmp/out")" -eq 1 ] &&
    sed -n '7p' "$tmp/out" | grep -q '^returns outstanding for Q2 2016/17: ' &&
    [ "$(sed -n '8,$p' "$tmp/out" | grep -vc '^  ')" -eq 0 ]; then
    ok "samples: the warning, the summary lines, the returns outstanding"
else
    fail "samples: the warning, the summary lines, the returns outstanding" \
        "unexpected stdout"
fi
# Not a terminal: no progress, only the board pack's period (period.sh
# tests its choice).
if [ "$(cat "$tmp/err")" = "$period_line" ]; then
    ok "samples: no progress when stderr is not a terminal, the period line"
else
    fail "samples: no progress when stderr is not a terminal" \
        "stderr: $(head -3 "$tmp/err")"
fi
if [ "$(cd pack && find . | sort)" = "$pack_files" ]; then
    ok "samples: every output present, nothing else"
else
    fail "samples: every output present, nothing else" \
        "$(cd pack && find . | sort | tr '\n' ' ')"
fi
[ "$(ls -A)" = "pack" ] && ok "samples: no temporary folder beside the pack" ||
    fail "samples: no temporary folder beside the pack" "$(ls -A | tr '\n' ' ')"
kinds_ok=yes
for f in board-report.pdf strategy-report.pdf; do
    [ "$(head -c 5 "pack/$f")" = "%PDF-" ] || kinds_ok="$f is not a PDF"
done
[ "$(head -c 2 pack/workbook.xlsx)" = "PK" ] || kinds_ok="workbook.xlsx is not a zip"
for f in $(cd pack && find . -type f); do
    [ -s "pack/$f" ] || kinds_ok="$f is empty"
done
[ "$kinds_ok" = yes ] && ok "samples: PDFs, a zip, no empty file" ||
    fail "samples: PDFs, a zip, no empty file" "$kinds_ok"
run_env "$CSPPACK" validate pack/dataset.xml
if [ "$rc" -eq 0 ] && grep -qx 'pack/dataset.xml: valid dataset' "$tmp/out"; then
    ok "dataset.xml is valid (csppack validate)"
else
    fail "dataset.xml is valid (csppack validate)" "exit status $rc"
fi
same "dataset.xsd is the schema csppack ships" pack/dataset.xsd \
    "$TEMPLATES_DIR/dataset.xsd"

# The same figures everywhere: the CSV ...
if grep -q '^victim-based-crime,dartford,2015-10-01,2016-09-30,8388,final,kent-police,' pack/observations.csv &&
    grep -q '^victim-based-crime,dartford,2014-10-01,2015-09-30,7522,' pack/observations.csv &&
    grep -q '^victim-based-crime-rate,dartford,2015-10-01,2016-09-30,80.7,final,kent-police,' pack/observations.csv; then
    ok "observations.csv: Dartford victim-based crime 7522, 8388, 80.7 per 1,000"
else
    fail "observations.csv: Dartford victim-based crime" "rows missing"
fi
# A joint action: both councils' updates of 3.4 are current.
if grep -q '^3\.4,yes,2016-09-30,on-track,dartford-bc,2016-11-04T10:15:00Z,"Seven Community Protection Warnings and two' pack/actions.csv &&
    grep -q '^3\.4,yes,2016-09-30,on-track,gravesham-bc,2016-10-31T14:20:00Z,Three Community Protection Notices and one civil injunction were secured' pack/actions.csv &&
    [ "$(grep '^[0-9.]*,no,' pack/actions.csv | cut -d, -f1,3,5 | tr '\n' ' ')" = \
        "1.9,2016-09-30,kcc 3.1,2016-09-22,kcc " ]; then
    ok "actions.csv: both councils' updates of 3.4 current; only updates of an earlier as-of are not"
else
    fail "actions.csv: both councils' updates of 3.4 current" \
        "$(grep '^3\.4,' pack/actions.csv | cut -c1-60)"
fi
# ... the workbook (every figure of the CSV; the key findings with 8,388 and
# the % change 11.5) ...
py "$checkpack" workbook-figures pack "$tpl"
py "$here/check_workbook.py" consistent pack/workbook.xlsx pack
# ... and the PDFs.
if [ $have_pdf = yes ]; then
    board=$(pdftext pack/board-report.pdf)
    # shellcheck disable=SC2034 # read through eval below
    strategy=$(pdftext pack/strategy-report.pdf)
    for k in board strategy; do
        eval "text=\$$k"
        contains "$k-report.pdf: the key findings as in the CSV, thousands separated" "$text" \
            "Victim-based crime 7,795 7,522 8,388 +11.5 80.7" \
            "Crimes against society 523 464 619 +33.4 6.0" \
            "Total crime 8,318 7,986 9,007 +12.8 86.7" \
            "Victim-based crime 7,180 6,783 7,697 +13.5 72.4"
    done
    # A joint action: both councils' updates of 3.4, each with its
    # agency and status.
    for k in board strategy; do
        eval "text=\$$k"
        contains "$k-report.pdf: the joint action 3.4 shows both councils" \
            "$text" \
            "Seven Community Protection Warnings and two Community Protection Notices were issued this quarter" \
            "As of 30 Sept 2016 · Dartford Borough Council" \
            "On track Three Community Protection Notices and one civil injunction were secured this quarter" \
            "As of 30 Sept 2016 · Gravesham Borough Council"
    done
    contains "board-report.pdf: about the latest quarter, Q2 2016/17" \
        "$board" "Quarterly board pack – Q2 2016/17" \
        "July to September 2016."
    py "$checkpack" pdf-figures "$board" pack "$tpl"
else
    missing "the figures in the PDF text" pdftotext
fi

# The pack is what the commands that write one part each write: the
# HTML reports byte for byte; the PDFs but for the line that names the
# HTML version, which only the pack's have (build always writes the
# strategy report as PDF/A-2b: report --archive).
run_env "$CSPPACK" reconcile -q --out data "$SAMPLES_DIR"
run_env "$CSPPACK" workbook -q -o one.xlsx "$SAMPLES_DIR"
run_env "$CSPPACK" report -q -o board.pdf "$SAMPLES_DIR"
run_env "$CSPPACK" report -q --kind strategy --archive -o strategy.pdf "$SAMPLES_DIR"
run_env "$CSPPACK" report -q -o board.html "$SAMPLES_DIR"
run_env "$CSPPACK" report -q --kind strategy -o strategy.html "$SAMPLES_DIR"
same_pdf_text() {
    [ $have_pdf = no ] && return 0
    pdftotext -raw "$1" - 2>/dev/null | grep -v 'published as HTML' >"$tmp/a.txt"
    pdftotext -raw "$2" - 2>/dev/null | grep -v 'published as HTML' \
        >"$tmp/b.txt"
    cmp -s "$tmp/a.txt" "$tmp/b.txt" &&
        pdftotext -raw "$2" - 2>/dev/null | grep -q 'published as HTML'
}
if diff -r -x workbook.xlsx -x '*-report.pdf' -x '*-report.html' \
    -x .csppack-files data pack >/dev/null 2>&1 &&
    cmp -s one.xlsx pack/workbook.xlsx &&
    cmp -s board.html pack/board-report.html &&
    cmp -s strategy.html pack/strategy-report.html &&
    same_pdf_text board.pdf pack/board-report.pdf &&
    same_pdf_text strategy.pdf pack/strategy-report.pdf; then
    ok "the pack holds what reconcile, workbook and report write"
else
    fail "the pack holds what reconcile, workbook and report write" \
        "differs"
fi

# The manifest lists every file the pack holds, and nothing else.
if [ "$(grep -v '^#' pack/.csppack-files)" = \
    "$(cd pack && find . -type f ! -name .csppack-files | sed 's|^\./||' | sort)" ]; then
    ok "the pack's .csppack-files lists its files"
else
    fail "the pack's .csppack-files lists its files" "$(cat pack/.csppack-files)"
fi

# Again over the same folder, with a file of the coordinator's in it.  The
# pack there was built from the same files, so the run is that pack built
# again: compared with what it was compared with (nothing), every file is
# the same bytes (doc/reconciliation.md, "What changed since the last
# pack").
printf 'my own notes\n' >pack/notes.txt
snapshot pack >"$tmp/before"
build -q --out pack "$SAMPLES_DIR"
expect "a second run over the pack" 0
snapshot pack >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
    ok "a second run: the same bytes, notes.txt kept, nothing left over"
else
    fail "a second run: the same bytes, notes.txt kept, nothing left over" \
        "$(diff "$tmp/before" "$tmp/after" | head -5)"
fi
if grep -q '<revisions' pack/dataset.xml; then
    fail "a second run: still compared with nothing" "it has <revisions>"
else
    ok "a second run: still compared with nothing"
fi
rm pack/notes.txt

# ===========================================================================
# --period.
nmeasures=$(grep -c '<measure indicator=' "$tpl")
build -q --period 2016-10-01/2016-12-31 --out q3 "$SAMPLES_DIR"
expect "--period Q3 2016/17: exit 0" 0
quiet "--period Q3 2016/17 -q: nothing printed"
if [ $have_pdf = yes ] && [ -f q3/board-report.pdf ]; then
    text=$(pdftext q3/board-report.pdf)
    contains "--period Q3 2016/17: the cover says it" "$text" \
        "Quarterly board pack – Q3 2016/17" \
        "October to December 2016."
    # Each measure shows its latest figure ending by the period's end: Q2.
    py "$checkpack" pdf-figures "$text" q3 "$tpl"
fi
# Q1 2015/16: before every figure of the measures.
build -q --period 2015-04-01/2015-06-30 --out q1 "$SAMPLES_DIR"
expect "--period Q1 2015/16 (no figures for it): still exit 0" 0
quiet "--period Q1 2015/16 -q: nothing printed"
if [ "$(cd q1 && find . | sort)" = "$pack_files" ]; then
    ok "--period with no figures: the whole pack"
else
    fail "--period with no figures: the whole pack" "$(cd q1 && find . | sort | tr '\n' ' ')"
fi
if [ $have_pdf = yes ] && [ -f q1/board-report.pdf ]; then
    text=$(pdftext q1/board-report.pdf)
    contains "--period Q1 2015/16: the cover says it" "$text" \
        "Quarterly board pack – Q1 2015/16" \
        "April to June 2015."
    # report.c: a measure with no figure ending by the period's end is one
    # row "No data", "No figures received."; the key findings show the
    # years that end by then (YE Sept 14 only).
    nnone=$(grep -c 'No data No figures received\.$' "$text")
    if [ "$nnone" -eq "$nmeasures" ] && ! grep -q 'Q2 201[56]/1[67]' "$text"; then
        ok "--period with no figures: all $nmeasures measures say \"No figures received.\""
    else
        fail "--period with no figures: the measures say so" \
            "$nnone of $nmeasures say \"No figures received.\""
    fi
    contains "--period with no figures: the key findings of the years by its end" \
        "$text" "Victim-based crime 7,795 – 76.5 †"
    if grep -q '7,795 7,522' "$text"; then
        fail "--period with no figures: no figure of YE Sept 15" \
            "$(grep -n '7,795 7,522' "$text" | head -2)"
    else
        ok "--period with no figures: no figure of YE Sept 15"
    fi
fi
# The period changes the reports, the workbook (about the board pack's
# period) and what the receipts say is still needed, nothing else: against
# a pack built afresh, as q1 was (over an old pack, dataset.xml would also
# list what was revised since it).
build -q --out fresh "$SAMPLES_DIR"
if diff -r -x '*-report.pdf' -x '*-report.html' -x workbook.xlsx \
    -x receipts fresh q1 >/dev/null 2>&1 &&
    ! cmp -s fresh/board-report.pdf q1/board-report.pdf; then
    ok "--period changes the reports and the workbook, nothing else"
else
    fail "--period changes the reports and the workbook, nothing else" \
        "$(diff -rq -x '*-report.pdf' -x '*-report.html' \
            -x workbook.xlsx -x receipts fresh q1 2>&1 | head -3)"
fi
rc_same=yes
for r in fresh/receipts/*.txt; do
    q=q1/receipts/${r##*/}
    sed '/^\(Still needed\|Nothing more\)/,$d' "$r" >"$tmp/r.pack"
    sed '/^\(Still needed\|Nothing more\)/,$d' "$q" >"$tmp/r.q1"
    cmp -s "$tmp/r.pack" "$tmp/r.q1" || rc_same=no
done
if [ $rc_same = yes ] && grep -q '^Still needed from you for April to June 2015 (' \
    q1/receipts/kfrs.txt && grep -q '^Nothing more is needed for July to September 2016\.$' \
    fresh/receipts/kfrs.txt; then
    ok "--period: the receipts' still needed is for its quarter, the rest the same"
else
    fail "--period: the receipts' still needed is for its quarter, the rest the same" \
        "$(tail -n 4 q1/receipts/kfrs.txt | tr '\n' '|')"
fi
for p in 2016-09-30/2016-07-01 2016-07-01 2016-02-30/2016-03-31 ""; do
    build --period "$p" --out badperiod "$SAMPLES_DIR"
    if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && [ ! -e badperiod ] &&
        grep -q '^csppack: error: ' "$tmp/err"; then
        ok "--period \"$p\": usage error, exit 2, nothing written"
    else
        fail "--period \"$p\": usage error" "exit status $rc"
    fi
done

# ===========================================================================
# What is printed.
build -q --out quiet "$SAMPLES_DIR"
expect "-q: exit 0" 0
quiet "-q: nothing printed on success"
build -v --out verbose "$SAMPLES_DIR"
expect "-v: exit 0" 0
cat >"$tmp/want" <<'EOF'
csppack: reading 7 files
csppack: reconciling
csppack: writing dataset.xml
csppack: writing dataset.xsd
csppack: writing observations.csv
csppack: writing discrepancies.csv
csppack: writing actions.csv
csppack: writing receipts/
csppack: writing workbook.xlsx
csppack: writing board-report.pdf
csppack: writing board-report.html
csppack: writing strategy-report.pdf
csppack: writing strategy-report.html
csppack: moving the pack into place
EOF
echo "$period_line" >>"$tmp/want"
grep -v '^csppack: reading /' "$tmp/err" >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got" &&
    [ "$(grep -c '^csppack: reading /.*\.xml$' "$tmp/err")" -eq 7 ]; then
    ok "-v: progress on stderr: each file read, reconciling, each output"
else
    fail "-v: progress on stderr" "$(diff "$tmp/want" "$tmp/got" | head -5)"
fi
grep -q '^wrote verbose: ' "$tmp/out" && ! grep -q '^csppack: ' "$tmp/out" &&
    ok "-v: the summary on stdout, no progress there" ||
    fail "-v: the summary on stdout, no progress there" "unexpected stdout"
same_pack "-v: the same pack as -q" quiet verbose

# A terminal on stderr (script(1) makes one): progress without -v.
if script -qec true /dev/null >/dev/null 2>&1; then
    script -qec "'$CSPPACK' build --out tty '$SAMPLES_DIR' >tty.out" \
        /dev/null >tty.log 2>&1
    rc=$?
    nruns=$((nruns + 1))
    inputs_unchanged
    tr -d '\r' <tty.log >tty.txt
    if [ "$rc" -eq 0 ] && grep -qx 'csppack: reading 7 files' tty.txt &&
        grep -qx 'csppack: writing strategy-report.pdf' tty.txt &&
        grep -qx 'csppack: moving the pack into place' tty.txt &&
        ! grep -q '^csppack: reading /' tty.txt &&
        grep -q '^wrote tty: ' tty.out && ! grep -q '^csppack:' tty.out; then
        ok "stderr a terminal: progress there, the summary on stdout"
    else
        fail "stderr a terminal: progress there" "exit $rc: $(head -3 tty.txt)"
    fi
    script -qec "'$CSPPACK' build -q --out ttyq '$SAMPLES_DIR' >ttyq.out" \
        /dev/null >ttyq.log 2>&1
    rc=$?
    nruns=$((nruns + 1))
    inputs_unchanged
    if [ "$rc" -eq 0 ] && [ ! -s ttyq.log ] && [ ! -s ttyq.out ]; then
        ok "stderr a terminal, -q: nothing at all"
    else
        fail "stderr a terminal, -q: nothing at all" "exit $rc: $(head -3 ttyq.log)"
    fi
else
    skip "progress on a terminal" "script(1) cannot make one here"
fi

# ===========================================================================
# All or nothing.
cd "$tmp" || exit 99

# (a) A folder that cannot be created: under a regular file.
printf 'a regular file\n' >afile
ls -A "$tmp" >"$tmp/ls.before"
build --out afile/pack "$SAMPLES_DIR"
expect "--out under a regular file: exit 3" 3
one_error "--out under a regular file: one error line"
grep -q 'afile/pack' "$tmp/err" && ! grep -q '^wrote\|^files:' "$tmp/out" &&
    ok "--out under a regular file: the error names the folder; no summary" ||
    fail "--out under a regular file: the error names the folder" "$(cat "$tmp/err")"
if [ "$(cat afile)" = "a regular file" ] && ls -A "$tmp" | cmp -s - "$tmp/ls.before"; then
    ok "--out under a regular file: nothing created"
else
    fail "--out under a regular file: nothing created" "$(ls -A "$tmp" | tr '\n' ' ')"
fi

# A folder holding a previous, complete pack (of an older inbox, so not
# what this run would write) and a file of the coordinator's.
mkdir old-inbox
cp "$SAMPLES_DIR"/*.xml old-inbox/
rm old-inbox/kss-crc-2016q2.xml
watch "$tmp/old-inbox"
build -q --out dir old-inbox
expect "a previous pack (six agencies)" 0
printf 'my own notes\n' >dir/notes.txt

# run_fail NAME WANT DIR [VAR=VALUE...]: build into DIR (with the options
# in $extra, if any) with the environment given, expect exit WANT, DIR
# unchanged (no temporary folder either) and, for 3, one error line.
extra=""
run_fail() {
    rf_name=$1 rf_want=$2 rf_dir=$3
    shift 3
    snapshot "$rf_dir" >"$tmp/before"
    # shellcheck disable=SC2086
    run_env "$@" "$CSPPACK" build -q $extra --out "$rf_dir" "$SAMPLES_DIR"
    snapshot "$rf_dir" >"$tmp/after"
    if [ "$rc" -ne "$rf_want" ]; then
        fail "$rf_name" "exit status $rc, expected $rf_want"
    elif ! cmp -s "$tmp/before" "$tmp/after"; then
        fail "$rf_name" "$rf_dir changed: $(diff "$tmp/before" "$tmp/after" | head -4 | tr '\n' ' ')"
    elif [ "$rf_want" -eq 3 ] && { [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
        ! grep -q '^csppack: error: ' "$tmp/err"; }; then
        fail "$rf_name" "expected one \"csppack: error:\" line"
    else
        ok "$rf_name"
    fi
}

# (d) A missing template.
extra="--template no-such-template.xml"
run_fail "a missing template: exit 3, the pack as it was" 3 dir
extra=""
grep -q 'no-such-template.xml' "$tmp/err" &&
    ok "a missing template: the error names it" ||
    fail "a missing template: the error names it" "$(cat "$tmp/err")"
build -q --template no-such-template.xml --out newdir "$SAMPLES_DIR"
[ "$rc" -eq 3 ] && [ ! -e newdir ] &&
    ok "a missing template: no folder created" ||
    fail "a missing template: no folder created" "exit $rc"

# (b) Failures injected mid-pack.  Over an existing pack: 19 files of the
# data part synced (dataset.xml, dataset.xsd, 3 CSV, 7 receipts and their 7
# reply drafts), then the workbook reserved (20) and synced (21), the board
# pack (22), the strategy report (23), the manifest (24); the commit links notes.txt into the new
# pack (linkat) and swaps the folders (renameat2), and refuses where the
# file system cannot swap them (RENAME_EXCHANGE fails with EINVAL).
if [ ! -f "$FAILSHIM" ]; then
    missing "failures injected mid-pack" "$FAILSHIM (make check builds it)"
else
    asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    shim="LD_PRELOAD=$FAILSHIM"
    for spec in fsync:1:eio fsync:9:eio fsync:20:eio fsync:21:eio \
        fsync:22:enospc fsync:23:eio fsync:24:eio fclose:1:enospc \
        renameat2:1:eio renameat2:1:einval linkat:1:eio linkat:1:exdev; do
        run_fail "injected $spec: exit 3, the previous pack intact" 3 dir \
            "$shim" CSP_FAILSHIM="$spec" ASAN_OPTIONS="$asan"
    done
    run_fail "the strategy report's fsync fails: exit 3, the pack intact" 3 dir \
        "$shim" CSP_FAILSHIM=fsync:1:eio CSP_FAILSHIM_FILE=strategy-report.pdf \
        ASAN_OPTIONS="$asan"
    grep -q 'syncing dir/strategy-report.pdf failed: Input/output error; dir was left as it was$' "$tmp/err" &&
        ok "the strategy report's fsync fails: the error says which file and why" ||
        fail "the strategy report's fsync fails: the error says which file" "$(cat "$tmp/err")"
    for spec in fwrite:1:enospc fwrite:3:eio; do
        run_fail "the strategy report's $spec: exit 3, the pack intact" 3 dir \
            "$shim" CSP_FAILSHIM=$spec CSP_FAILSHIM_FILE=strategy-report.pdf \
            ASAN_OPTIONS="$asan"
    done
    grep -q 'strategy-report.pdf' "$tmp/err" &&
        ok "a failed write: the error names strategy-report.pdf" ||
        fail "a failed write: the error names strategy-report.pdf" "$(cat "$tmp/err")"
    run_fail "the board pack's fwrite:2:enospc: exit 3, the pack intact" 3 dir \
        "$shim" CSP_FAILSHIM=fwrite:2:enospc CSP_FAILSHIM_FILE=board-report.pdf \
        ASAN_OPTIONS="$asan"
    run_fail "the board pack's HTML fwrite:1:enospc: exit 3, the pack intact" 3 \
        dir "$shim" CSP_FAILSHIM=fwrite:1:enospc \
        CSP_FAILSHIM_FILE=board-report.html ASAN_OPTIONS="$asan"
    grep -qx 'csppack: error: build: writing dir/board-report.html failed: No space left on device; dir was left as it was' "$tmp/err" &&
        ok "a failed HTML write: the error says which file and why" ||
        fail "a failed HTML write: the error says which file and why" \
            "$(cat "$tmp/err")"
    run_fail "SIGINT while writing the strategy report: the pack intact" 130 dir \
        "$shim" CSP_FAILSHIM=fwrite:2:sigint CSP_FAILSHIM_FILE=strategy-report.pdf \
        ASAN_OPTIONS="$asan"
    run_fail "SIGTERM at the workbook's fsync: the pack intact" 143 dir \
        "$shim" CSP_FAILSHIM=fsync:2:sigterm CSP_FAILSHIM_FILE=workbook.xlsx \
        ASAN_OPTIONS="$asan"
    # The signal comes just after receipts/ is made, before csppack could
    # note it: the folder is made and noted with the signals held off, so
    # the clean-up still knows it and removes the private folder.
    run_fail "SIGTERM just after receipts/ is made: the pack as it was, no private folder" \
        143 dir "$shim" CSP_FAILSHIM=mkdir:1:sigterm ASAN_OPTIONS="$asan"
    run_fail "a failure in a new folder: no folder left" 3 "$tmp/new" \
        "$shim" CSP_FAILSHIM=fsync:23:eio ASAN_OPTIONS="$asan"
fi

# The workbook is written on a thread of its own beside the other parts
# (two processors or --jobs 2), or after them (--jobs 1).  Either way a
# failure gives one error line, and when two parts fail the reason is the
# one of the first part in the order data, workbook, reports.
: "${WBSHIM:=$(dirname "$CSPPACK")/tests/functional/wbshim.so}"
if [ ! -f "$WBSHIM" ] || [ ! -f "$FAILSHIM" ]; then
    missing "the workbook fails beside the other parts" "$WBSHIM and $FAILSHIM"
else
    asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    wb_why="csppack: error: build: writing the workbook failed: cannot add \
the sheet \"Data\": cannot create its temporary file \
(libxlsxwriter: Memory allocation failed.); dir was left as it was"
    # said NAME WANT: the error line is exactly WANT.
    said() {
        if [ "$(cat "$tmp/err")" = "$2" ]; then ok "$1"; else fail "$1" "$(cat "$tmp/err")"; fi
    }
    ds_why="csppack: error: build: writing dir/dataset.xml failed: No space \
left on device; dir was left as it was"
    for jobs in 1 2; do
        extra="--jobs $jobs"
        run_fail "--jobs $jobs, the workbook fails: exit 3, the pack intact" \
            3 dir LD_PRELOAD="$WBSHIM" CSP_WBSHIM=tmpfile ASAN_OPTIONS="$asan"
        said "--jobs $jobs, the workbook fails: the workbook's reason" "$wb_why"
        run_fail "--jobs $jobs, the workbook's fsync fails: exit 3" 3 dir \
            LD_PRELOAD="$FAILSHIM" CSP_FAILSHIM=fsync:2:eio \
            CSP_FAILSHIM_FILE=workbook.xlsx ASAN_OPTIONS="$asan"
        said "--jobs $jobs, the workbook's fsync fails: the error says which file" \
            "csppack: error: build: syncing dir/workbook.xlsx failed: Input/output error; dir was left as it was"
        for also in dataset.xml board-report.pdf; do
            run_fail "--jobs $jobs, the workbook and $also fail: exit 3" 3 dir \
                LD_PRELOAD="$FAILSHIM:$WBSHIM" CSP_WBSHIM=tmpfile \
                CSP_FAILSHIM=fwrite:1:enospc CSP_FAILSHIM_FILE=$also \
                ASAN_OPTIONS="$asan"
            if [ $also = dataset.xml ]; then
                said "--jobs $jobs, dataset.xml and the workbook fail: dataset.xml's reason" "$ds_why"
            else
                said "--jobs $jobs, the workbook and the board pack fail: the workbook's reason" "$wb_why"
            fi
        done
    done
    extra=""
fi

# (c) A full disk: a small tmpfs, where mounting one is allowed.
mkdir "$tmp/mnt"
if mount -t tmpfs -o size=200k tmpfs "$tmp/mnt" 2>/dev/null; then
    mnt=$tmp/mnt
    printf 'my own notes\n' >"$mnt/notes.txt"
    run_fail "a 200k tmpfs (ENOSPC): exit 3, no folder left" 3 "$mnt/pack"
    grep -q 'No space left on device' "$tmp/err" &&
        ok "a full disk: the error says so" ||
        fail "a full disk: the error says so" "$(cat "$tmp/err")"
    [ "$(ls -A "$mnt")" = notes.txt ] &&
        ok "a full disk: nothing left beside notes.txt" ||
        fail "a full disk: nothing left" "$(ls -A "$mnt" | tr '\n' ' ')"
    umount "$mnt"
    # A mount point cannot be swapped with a folder beside it: refused.
    mount -t tmpfs -o size=20m tmpfs "$mnt"
    printf 'my own notes\n' >"$mnt/notes.txt"
    run_fail "the pack folder a mount point: exit 3, as it was" 3 "$mnt"
    [ "$(cat "$tmp/err")" = "csppack: error: build: cannot replace $mnt in one step: it is a mount point, or on another file system than the folder that holds it; name a folder inside it" ] &&
        ok "the pack folder a mount point: the error says so" ||
        fail "the pack folder a mount point: the error says so" "$(cat "$tmp/err")"
    umount "$mnt"
    # Room for one pack and a half: the previous pack fits, the new one
    # runs out of space while it is written beside it.
    kb=$(du -sk "$tmp/e2e/pack" | cut -f1)
    if mount -t tmpfs -o size=$((kb * 3 / 2))k tmpfs "$mnt" 2>/dev/null; then
        run_env "$CSPPACK" build -q --out "$mnt/pack" old-inbox
        if [ "$rc" -ne 0 ]; then
            skip "a disk that fills up mid-pack" "the previous pack does not fit in $((kb * 3 / 2))k"
        else
            printf 'my own notes\n' >"$mnt/pack/notes.txt"
            run_fail "a disk that fills up mid-pack: exit 3, the previous pack intact" \
                3 "$mnt/pack"
            grep -q 'No space left on device' "$tmp/err" &&
                ok "a disk that fills up mid-pack: the error says so" ||
                fail "a disk that fills up mid-pack: the error says so" "$(cat "$tmp/err")"
        fi
        umount "$mnt"
    fi
    mnt=""
else
    skip "a full disk (tmpfs)" "mount -t tmpfs is not permitted here"
fi

# ===========================================================================
# Identical packs from reordered copies; renamed copies; a duplicate.
mkdir -p id/a/inbox id/b/inbox id/c/other-box id/r/inbox id/d/inbox
cp "$SAMPLES_DIR"/*.xml id/a/inbox/
# b: copied in reverse order, and named one by one in reverse order.
set --
for f in "$SAMPLES_DIR"/*.xml; do set -- "$f" "$@"; done
for f in "$@"; do
    cp "$f" id/b/inbox/
    cp "$f" id/c/other-box/
done
# r: every file renamed (same length, other order of the name's parts).
: >"$tmp/map.sed"
maps=""
for f in "$SAMPLES_DIR"/*.xml; do
    base=$(basename "$f" .xml)
    new="2016q2-${base%-2016q2}.xml"
    cp "$f" "id/r/inbox/$new"
    echo "s|$new|$base.xml|g" >>"$tmp/map.sed"
    maps="$maps $new=$base.xml"
done
# d: with a byte-identical copy of one file.
cp "$SAMPLES_DIR"/*.xml id/d/inbox/
cp "$SAMPLES_DIR/kcc-2016q2.xml" id/d/inbox/zz-copy.xml
for x in a/inbox b/inbox c/other-box r/inbox d/inbox; do watch "$tmp/id/$x"; done

build_in id/a -q --out pack inbox
rc_a=$rc
set --
for f in id/b/inbox/*.xml; do set -- "inbox/${f##*/}" "$@"; done
build_in id/b -q --out pack "$@"
rc_b=$rc
build_in id/c -q --out pack other-box
rc_c=$rc
build_in id/r -q --out pack inbox
rc_r=$rc
build_in id/d --out pack inbox
rc_d=$rc
cp "$tmp/out" "$tmp/dup.out"
if [ "$rc_a$rc_b$rc_c$rc_r$rc_d" = 00000 ]; then
    ok "copies, reordered, renamed, with a duplicate: all exit 0"
else
    fail "copies: all exit 0" "exit statuses $rc_a $rc_b $rc_c $rc_r $rc_d"
fi
same_pack "reordered copy, files named one by one in reverse: the same bytes" \
    id/a/pack id/b/pack

# Another folder name: the data part and the workbook name files by their
# base names and are the same bytes.
if diff -r -x board-report.pdf -x strategy-report.pdf id/a/pack id/c/pack \
    >/dev/null 2>&1; then
    ok "a copy in another folder: all but the PDFs the same bytes"
else
    fail "a copy in another folder: all but the PDFs the same bytes" "differ"
fi
# The PDFs name files by their base name, like every other output.
if cmp -s id/a/pack/board-report.pdf id/c/pack/board-report.pdf &&
    cmp -s id/a/pack/strategy-report.pdf id/c/pack/strategy-report.pdf; then
    ok "a copy in another folder: the PDFs the same bytes"
else
    fail "a copy in another folder: the PDFs the same bytes" "differ"
fi

# Renamed: the text outputs are the same once the names are mapped back,
# dataset.xsd and actions.csv (which name no file) the same bytes.
renamed_ok=yes
for f in dataset.xml observations.csv discrepancies.csv $(cd id/a/pack && ls receipts/*); do
    sed -f "$tmp/map.sed" "id/r/pack/$f" | cmp -s - "id/a/pack/$f" ||
        renamed_ok="$f differs"
done
cmp -s id/a/pack/actions.csv id/r/pack/actions.csv || renamed_ok="actions.csv differs"
cmp -s id/a/pack/dataset.xsd id/r/pack/dataset.xsd || renamed_ok="dataset.xsd differs"
[ "$(cd id/r/pack && find . | sort)" = "$pack_files" ] || renamed_ok="other files"
[ "$renamed_ok" = yes ] &&
    ok "renamed copies: the text outputs differ only in the file names" ||
    fail "renamed copies: the text outputs differ only in the file names" "$renamed_ok"
# shellcheck disable=SC2086
py "$checkpack" same-cells id/a/pack/workbook.xlsx id/r/pack/workbook.xlsx $maps
if [ $have_pdf = yes ]; then
    for k in board strategy; do
        pdftotext -raw "id/a/pack/$k-report.pdf" - 2>/dev/null |
            tr -d ' \n\t\f' >"$tmp/a.$k"
        pdftotext -raw "id/r/pack/$k-report.pdf" - 2>/dev/null |
            tr -d ' \n\t\f' | sed -f "$tmp/map.sed" >"$tmp/r.$k"
        if [ -s "$tmp/a.$k" ] && cmp -s "$tmp/a.$k" "$tmp/r.$k"; then
            ok "renamed copies: $k-report.pdf says the same but for the names"
        else
            fail "renamed copies: $k-report.pdf says the same but for the names" "differs"
        fi
    done
fi

# A duplicate adds its I401 lines and nothing else.
if grep -qx 'files: 8 read, 0 refused, 0 partly refused, 1 duplicate' "$tmp/dup.out" &&
    grep -qx 'discrepancies: 0 errors, 1 warning, 1 info' "$tmp/dup.out" &&
    ! grep -q I401 "$tmp/dup.out"; then
    ok "a duplicate: counted in the summary (I401 is information: not printed without -v)"
else
    fail "a duplicate: counted in the summary" "unexpected stdout"
fi
dup_ok=yes
for f in observations.csv actions.csv dataset.xsd receipts/dartford-bc.txt \
    receipts/dgs-ccg.txt receipts/gravesham-bc.txt receipts/kent-police.txt \
    receipts/kfrs.txt receipts/kss-crc.txt; do
    cmp -s "id/a/pack/$f" "id/d/pack/$f" || dup_ok="$f differs"
done
[ "$dup_ok" = yes ] &&
    ok "a duplicate: figures, actions and the other agencies' receipts the same bytes" ||
    fail "a duplicate: figures, actions and other receipts the same bytes" "$dup_ok"
diff id/a/pack/discrepancies.csv id/d/pack/discrepancies.csv | grep '^[<>]' >"$tmp/diff"
if [ "$(wc -l <"$tmp/diff")" -eq 1 ] &&
    grep -q '^> I401,info,duplicate-file,zz-copy.xml,,kcc,' "$tmp/diff"; then
    ok "a duplicate: discrepancies.csv gains one I401 line, nothing else"
else
    fail "a duplicate: discrepancies.csv gains one I401 line" "$(head -3 "$tmp/diff")"
fi
# dataset.xml: the duplicate's <file> and its I401 <diagnostic>, and the
# counts that include them.
norm='s/<files count="[0-9]*">/<files>/; s/<diagnostics count="[^>]*>/<diagnostics>/'
sed -e '/<file path="zz-copy.xml"/,/<\/file>/d' -e '/<diagnostic code="I401"/d' \
    -e "$norm" id/d/pack/dataset.xml >"$tmp/d.xml"
sed -e "$norm" id/a/pack/dataset.xml >"$tmp/a.xml"
if cmp -s "$tmp/a.xml" "$tmp/d.xml" &&
    grep -q '<file path="zz-copy.xml".* duplicate-of="kcc-2016q2.xml">' id/d/pack/dataset.xml; then
    ok "a duplicate: dataset.xml gains its <file> (duplicate-of) and I401, nothing else"
else
    fail "a duplicate: dataset.xml gains its file and I401 only" "$(diff "$tmp/a.xml" "$tmp/d.xml" | head -4)"
fi
if grep -q '^File 2 of 2: zz-copy.xml$' id/d/pack/receipts/kcc.txt &&
    grep -q 'Duplicate: the same bytes as kcc-2016q2.xml, which is counted instead;$' id/d/pack/receipts/kcc.txt &&
    grep -q '^    - About zz-copy.xml: zz-copy.xml is byte-identical to$' id/d/pack/receipts/kcc.txt; then
    ok "a duplicate: KCC's receipt lists it with I401"
else
    fail "a duplicate: KCC's receipt lists it with I401" "not found"
fi
py "$checkpack" rows-added id/a/pack/workbook.xlsx id/d/pack/workbook.xlsx \
    Submissions=1 Discrepancies=1
if [ $have_pdf = yes ]; then
    text=$(pdftext id/d/pack/board-report.pdf)
    contains "a duplicate: the board pack lists it, in words" "$text" \
        "A copy of a file already received; counted once." \
        "1 figure or file replaced by a later return of the same partner, withdrawn, or received twice; nothing to act on."
    py "$checkpack" pdf-figures "$text" id/d/pack "$tpl"
fi

# ===========================================================================
# Usage.
build --help
expect "--help: exit 0" 0
grep -q '^Usage: csppack build ' "$tmp/out" && [ ! -s "$tmp/err" ] &&
    ok "--help: the usage on stdout" || fail "--help: the usage on stdout" "no usage"
build --out nothing
[ "$rc" -eq 2 ] && [ ! -e nothing ] && ok "no inbox: exit 2, nothing written" ||
    fail "no inbox: exit 2" "exit $rc"
build --frobnicate --out nothing "$SAMPLES_DIR"
[ "$rc" -eq 2 ] && [ ! -e nothing ] && ok "an unknown option: exit 2" ||
    fail "an unknown option: exit 2" "exit $rc"

if [ "$changed" -eq 0 ]; then
    ok "the inputs byte for byte untouched after each of $nruns runs"
fi
[ "$skipped" -gt 0 ] && echo "$skipped skipped"
test_finish
