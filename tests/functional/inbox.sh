#!/bin/sh
# What a folder stands for, and what a run does when there is nothing to
# read (issue 13):
#
#   - folders are read recursively: .xml in any letter case, in subfolders;
#     every other entry is listed as skipped, with why (I116 on stderr,
#     the workbook's Submissions sheet, the board pack's data quality,
#     discrepancies.csv); a dangling or looping .xml link is refused
#     (E117); a link back to a folder already read is not followed; a
#     folder too deep is not read (E118);
#   - files found in subfolders are named by their path relative to the
#     folder named, and the pack is the same bytes whether the inbox is
#     named "inbox" or "/abs/inbox/";
#   - a FIFO, socket or other special file is refused (E116) without
#     being opened: validate and build do not hang (run under timeout);
#   - a pack's own files (its dataset.xml, its receipts/, a template) in
#     a folder are skipped, not refused as submissions (no E108);
#   - nothing to read (an empty folder, only skipped entries: exit 4) or
#     nothing readable (a missing path, only broken links: exit 3): build,
#     reconcile, workbook and report write nothing, leave the previous
#     pack as it was, and say so in one line.

. "$(dirname "$0")/lib.sh"
test_setup inbox
unset SOURCE_DATE_EPOCH
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
PY=/usr/bin/python3
fail_lines=20
T="timeout 60"

# has NAME FILE LINE: FILE holds LINE exactly, as a whole line.
has() {
    if grep -qxF -- "$3" "$2"; then
        ok "$1"
    else
        fail "$1" "no line \"$3\" in ${2##*/}"
    fi
}

# lacks NAME FILE TEXT: FILE holds no line with TEXT.
lacks() {
    if grep -qF -- "$3" "$2"; then
        fail "$1" "\"$3\" in ${2##*/}"
    else
        ok "$1"
    fi
}

# ---- a folder per agency, and everything that is not a submission
cd "$tmp" || exit 99
mkdir -p inbox/police inbox/fire/deep inbox/.git
cp "$SAMPLES_DIR/dartford-bc-2016q2.xml" inbox/police/DARTFORD-BC.XML
cp "$SAMPLES_DIR/gravesham-bc-2016q2.xml" inbox/fire/deep/gravesham.Xml
cp "$SAMPLES_DIR/dgs-ccg-2016q2.xml" inbox/dgs-ccg-2016q2.xml
: >inbox/.git/config
echo notes >inbox/README.txt
cp "$SAMPLES_DIR/dgs-ccg-2016q2.xml" inbox/.hidden.xml
ln -s nowhere.xml inbox/gone.xml
ln -s loop inbox/loop
ln -s .. inbox/police/up
mkfifo inbox/fire/pipe
sums_in=$(file_sums inbox)

$T "$CSPPACK" build -v --jobs 1 --out pack inbox >out 2>err
rc=$?
expect "scan-exit-1" 1
has "scan-reads-3-and-a-link" err "csppack: reading 4 files"
has "scan-hidden-file" err "inbox/.hidden.xml: info: I116: skipped: hidden (the name starts with a dot)"
has "scan-hidden-folder" err "inbox/.git: info: I116: skipped: hidden (the name starts with a dot)"
has "scan-not-xml" err "inbox/README.txt: info: I116: skipped: not a .xml or mail file"
has "scan-fifo-not-xml" err "inbox/fire/pipe: info: I116: skipped: not a .xml or mail file (a named pipe)"
has "scan-link-loop" err "inbox/loop: info: I116: skipped: not a .xml or mail file (a symbolic link that loops)"
has "scan-folder-loop" err "inbox/police/up: info: I116: skipped: a link to a folder read already (inbox)"
has "scan-dangling-xml" out "inbox/gone.xml:1: error: E117: a symbolic link to nothing (its target does not exist); save the submission itself in the folder"
lacks "scan-no-info-on-stdout" out "I116"
has "scan-summary" out "files: 4 read, 1 refused, 0 partly refused, 0 duplicates"
if [ "$(file_sums inbox)" = "$sums_in" ]; then
    ok "scan-inputs-untouched"
else
    fail "scan-inputs-untouched" "the inbox changed"
fi
# Names relative to the folder named, in every output.
for n in 'path="police/DARTFORD-BC.XML"' 'path="fire/deep/gravesham.Xml"' \
    'path="dgs-ccg-2016q2.xml"' 'path="gone.xml"'; do
    if grep -qF "$n" pack/dataset.xml; then
        ok "name-dataset $n"
    else
        fail "name-dataset $n" "not in dataset.xml"
    fi
done
tr -d '\r' <pack/discrepancies.csv >csv.txt
has "skipped-in-csv" csv.txt \
    "I116,info,skipped,README.txt,,,,,,,,,skipped: not a .xml or mail file"
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
    "$PY" - pack/workbook.xlsx >py.out 2>&1 <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Submissions"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
head = next(i for i, r in enumerate(rows) if r[0] == "File")
cols = rows[head]
for r in rows[head + 1:]:
    if r[0] is None:
        continue
    refused = r[cols.index("Refused")]
    print("%s|%s|%s" % (r[0], refused,
                        r[cols.index("Comment")] if refused == "not read"
                        else ""))
EOF
    for want in "police/DARTFORD-BC.XML|no|" \
        "fire/deep/gravesham.Xml|no|" \
        "gone.xml|yes|" \
        "README.txt|not read|skipped: not a .xml or mail file" \
        ".git|not read|skipped: hidden (the name starts with a dot)" \
        "police/up|not read|skipped: a link to a folder read already (inbox)"; do
        has "workbook-submissions $want" py.out "$want"
    done
else
    missing "workbook-submissions" "python3 with openpyxl"
fi
if command -v pdftotext >/dev/null 2>&1; then
    # The strategy document names them; the board pack counts them in a
    # sentence and leaves the names to the workbook.
    pdftotext -layout pack/strategy-report.pdf strategy.txt
    pdftotext -layout pack/board-report.pdf board.txt
    if grep -q "Not read from the folders named" strategy.txt &&
        grep -q "README.txt" strategy.txt &&
        grep -q "police/DARTFORD-" strategy.txt && # (BC.XML wraps at 9 pt)
        tr -s ' \n' '  ' <board.txt |
        grep -q "of the folders named are not a submission and were not read; the Submissions sheet of the workbook names them." &&
        ! grep -q "README.txt" board.txt; then
        ok "report-lists-skipped"
    else
        fail "report-lists-skipped" "no skipped entries in the data quality"
    fi
else
    missing "report-lists-skipped" pdftotext
fi

# The same pack whether the inbox is named relatively or absolutely.
$T "$CSPPACK" build -q --jobs 1 --out pack-abs "$tmp/inbox/" >out 2>err
rc=$?
expect "abs-exit-1" 1
if [ "$(file_sums pack)" = "$(file_sums pack-abs)" ]; then
    ok "abs-same-pack"
else
    fail "abs-same-pack" "pack and pack-abs differ"
fi

# Two files of one name in two agency folders stay two names.
mkdir -p twin/a twin/b
cp "$SAMPLES_DIR/dartford-bc-2016q2.xml" twin/a/kfrs.xml
cp "$SAMPLES_DIR/dartford-bc-2016q2.xml" twin/b/kfrs.xml
$T "$CSPPACK" reconcile -v --out twin-out twin >out 2>err
rc=$?
expect "twin-exit-0" 0
if grep -q '^twin/b/kfrs.xml: info: I401: b/kfrs.xml is byte-identical to a/kfrs.xml (SHA-256 [0-9a-f]*\.\.\.); it is counted once, as a/kfrs.xml$' out; then
    ok "twin-duplicate-named"
else
    fail "twin-duplicate-named" "no I401 naming b/kfrs.xml and a/kfrs.xml"
fi

# A folder deeper than 16 below the folder named is not read.
d=deepbox
i=0
while [ $i -lt 17 ]; do
    d=$d/d$i
    i=$((i + 1))
done
mkdir -p "$d"
cp "$SAMPLES_DIR/dgs-ccg-2016q2.xml" deepbox/ok.xml
cp "$SAMPLES_DIR/dartford-bc-2016q2.xml" "$d/lost.xml"
$T "$CSPPACK" reconcile --out deep-out deepbox >out 2>err
rc=$?
expect "deep-exit-1" 1
has "deep-e118" out "$d:1: error: E118: the folder is more than 16 folders below the folder named; it was not read: move its files up"

# Bounds: past --max-files skipped entries are counted, not listed; a
# folder of more than twice --max-files entries is refused (E115).
mkdir bounded
cp "$SAMPLES_DIR/kfrs-2016q2.xml" bounded/
for n in 1 2 3 4 5; do echo x >bounded/note$n.txt; done
$T "$CSPPACK" reconcile --max-files 3 --out bounded-out bounded >out 2>err
rc=$?
expect "bound-listed-exit-0" 0
if [ "$(grep -c ': info: I116: skipped: not a .xml or mail file$' err)" -eq 3 ]; then
    ok "bound-listed-3"
else
    fail "bound-listed-3" "not 3 entries listed"
fi
has "bound-counted" err "bounded: info: I116: skipped: 2 more entries of the folders named, not listed one by one"
echo x >bounded/note6.txt
echo x >bounded/note7.txt
$T "$CSPPACK" reconcile --max-files 3 --out bounded-out2 bounded >out 2>err
rc=$?
expect "bound-folder-exit-1" 1
has "bound-folder-e115" out "bounded:1: error: E115: the folder holds more than 6 entries (twice --max-files); nothing was read: split the submissions into smaller runs or raise --max-files"
if [ -e bounded-out2 ]; then
    fail "bound-folder-nothing-written" "bounded-out2 was written"
else
    ok "bound-folder-nothing-written"
fi

# ---- special files named or found: refused, never opened
mkfifo y.xml
$T "$CSPPACK" validate y.xml >out 2>err
rc=$?
expect "fifo-validate-exit-3" 3
has "fifo-validate-e116" out "y.xml:1: error: E116: this is a named pipe, not a regular file; csppack reads only regular files, and did not open it"
mkdir fifobox
mkfifo fifobox/z.xml
cp "$SAMPLES_DIR/dgs-ccg-2016q2.xml" fifobox/
$T "$CSPPACK" build --jobs 2 --out fifo-pack fifobox >out 2>err
rc=$?
expect "fifo-build-exit-1" 1
has "fifo-build-e116" out "fifobox/z.xml:1: error: E116: this is a named pipe, not a regular file; csppack reads only regular files, and did not open it"
$T "$CSPPACK" reconcile --template fifobox --out x "$SAMPLES_DIR" >out 2>err
rc=$?
expect "folder-template-exit-1" 1
has "folder-template-e116" err "fifobox:1: error: E116: this is a folder, not a regular file; csppack reads only regular files, and did not open it"
$T "$CSPPACK" validate /dev/null >out 2>err
rc=$?
expect "device-validate-exit-3" 3
has "device-validate-e116" out "/dev/null:1: error: E116: this is a character device, not a regular file; csppack reads only regular files, and did not open it"

# ---- a pack's own files are not submissions
mkdir work
cp "$SAMPLES_DIR"/*.xml work/
# (A pack is never written into its own inbox: copy one there.)
$T "$CSPPACK" build -q --out work-pack work >/dev/null 2>&1
cp -R work-pack/dataset.xml work-pack/dataset.xsd work-pack/receipts work/
cp "$TEMPLATES_DIR/dg-csp-2016-19.xml" work/template.xml
$T "$CSPPACK" reconcile --out again work >out 2>err
rc=$?
expect "own-pack-exit-0" 0
has "own-dataset-skipped" err "work/dataset.xml: info: I116: skipped: a dataset written by csppack, not a submission"
has "own-receipts-skipped" err "work/receipts: info: I116: skipped: the receipts of the csppack pack in this folder"
has "own-template-skipped" err "work/template.xml: info: I116: skipped: the strategy template this run uses, not a submission"
has "own-template-used" err "csppack: template: work/template.xml, found among the inputs"
lacks "own-no-e108" out "E108"
has "own-summary" out "files: 7 read, 0 refused, 0 partly refused, 0 duplicates"
# Named on the command line, a dataset is still read (and refused).
$T "$CSPPACK" reconcile --out again2 work/dataset.xml "$SAMPLES_DIR" >out 2>err
rc=$?
expect "own-named-exit-1" 1
# A pack written inside the inbox (reconcile's and build's default, pack/,
# when run there) is skipped whole the next time the inbox is read.
mkdir work2
cp "$SAMPLES_DIR"/*.xml work2/
$T "$CSPPACK" reconcile -q --out work2/pack work2 >/dev/null 2>&1
$T "$CSPPACK" reconcile --out again3 work2 >out 2>err
rc=$?
expect "pack-inside-exit-0" 0
has "pack-inside-skipped" err "work2/pack: info: I116: skipped: a pack csppack wrote (it holds .csppack-files); its files are not submissions"
lacks "pack-inside-no-dataset" err "work2/pack/dataset.xml"
has "pack-inside-summary" out "files: 7 read, 0 refused, 0 partly refused, 0 duplicates"

# ---- nothing to read, nothing readable: nothing written
mkdir empty only-skipped broken
echo notes >only-skipped/notes.txt
ln -s nowhere.xml broken/a.xml
$T "$CSPPACK" build -q --out good "$SAMPLES_DIR" >/dev/null 2>&1
before=$(tree_sums good)
# refused CMD OPTION FOLDER CASE RC DIAG [LINE]: csppack CMD refuses
# FOLDER with exit RC, the diagnostic DIAG on stdout and one error line
# (LINE, default: nothing could be read) on stderr; good/ is untouched.
refused() {
    # shellcheck disable=SC2086
    $T "$CSPPACK" "$1" $2 "$3" >out 2>err
    rc=$?
    expect "$1-$4-exit-$5" "$5"
    has "$1-$4-diag" out "$6"
    has "$1-$4-line" err \
        "csppack: error: $1: ${7:-no file could be read}; nothing was written"
    if [ "$(tree_sums good)" = "$before" ]; then
        ok "$1-$4-previous-pack-untouched"
    else
        fail "$1-$4-previous-pack-untouched" "good/ changed"
    fi
}
nothing="nothing to read in the folders named"
for cmd in build reconcile workbook report; do
    case $cmd in
    build | reconcile) o="--out good" ;;
    workbook) o="-o good/workbook.xlsx" ;;
    report) o="-o good/board-report.pdf" ;;
    esac
    refused $cmd "$o" nosuch/ nosuch 3 \
        "nosuch/:1: error: E101: cannot open the file: No such file or directory"
    refused $cmd "$o" empty empty 4 \
        "empty:1: error: E119: the folder is empty; name the folder the submissions were saved in" \
        "$nothing"
    refused $cmd "$o" only-skipped skipped 4 \
        "only-skipped:1: error: E119: the folder holds no .xml or mail file, only 1 entry skipped (listed); name the folder the submissions were saved in" \
        "$nothing"
    has "$cmd-skipped-listed" err "only-skipped/notes.txt: info: I116: skipped: not a .xml or mail file"
    refused $cmd "$o" broken broken 3 \
        "broken/a.xml:1: error: E117: a symbolic link to nothing (its target does not exist); save the submission itself in the folder"
done
# A folder with nothing to read beside one with submissions: the pack is
# written and the empty folder is an error (exit 1).
$T "$CSPPACK" build --out mixed "$SAMPLES_DIR" empty >out 2>err
rc=$?
expect "mixed-exit-1" 1
has "mixed-diag" out "empty:1: error: E119: the folder is empty; name the folder the submissions were saved in"
$T "$CSPPACK" validate empty >out 2>err
rc=$?
expect "validate-empty-exit-4" 4

test_finish
