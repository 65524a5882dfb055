#!/bin/sh
# The manual page doc/csppack.1:
#
#   - groff formats it without a warning (groff -man -Tutf8 -ww; or man
#     --warnings when only man is there; skipped when neither is);
#   - it has the usual sections and covers every command and every option
#     that the command's --help lists, SOURCE_DATE_EPOCH and every file of
#     the pack;
#   - every example of its EXAMPLES section runs: each line between .EX
#     and .EE that starts with "$ csppack" is run with sh, in page order,
#     in one temporary folder holding a copy of the samples as inbox/, and
#     must exit 0, or N when the line ends in "# exit status N".  The
#     copy of the samples is byte for byte unchanged afterwards.
#
# Environment: CSPPACK, SAMPLES_DIR (default relative to this script).

. "$(dirname "$0")/lib.sh"
test_setup man-examples
page=$top/doc/csppack.1
skipped=0

if [ ! -f "$page" ]; then
    fail "the manual page" "no $page"
    test_finish
fi

# --- it formats without a warning --------------------------------------------
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$page" >"$tmp/out" 2>"$tmp/err"
    if [ $? -eq 0 ] && [ ! -s "$tmp/err" ]; then
        ok "groff -man -Tutf8 -ww: no warning"
    else
        fail "groff -man -Tutf8 -ww: no warning" "see err"
    fi
elif command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/err"
    if [ $? -eq 0 ] && [ ! -s "$tmp/err" ] && [ -s "$tmp/out" ]; then
        ok "man --warnings -l: no warning"
    else
        fail "man --warnings -l: no warning" "see err"
    fi
else
    missing "formatting the page" "groff or man (Debian: groff-base, man-db)"
fi

# --- what it covers -------------------------------------------------------------
# The page's text with the roff escapes that matter here undone.
sed -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\%//g' -e 's/\\f[BIRP]//g' "$page" >"$tmp/page"

missing=""
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "COMMON OPTIONS" "THE PACK" \
    "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
    grep -q "^\.SH \"*$s\"*\$" "$tmp/page" || missing="$missing $s"
done
[ -z "$missing" ] && ok "the sections are there" ||
    fail "the sections are there" "missing:$missing"

# Every command, and every option its --help lists.
for cmd in build validate blank reconcile workbook report; do
    grep -q "^\.SS \"csppack $cmd " "$tmp/page" ||
        fail "csppack $cmd is described" "no .SS heading"
    "$CSPPACK" "$cmd" --help >"$tmp/help" 2>&1
    missing=""
    for opt in $(grep -o -- '--[a-z][a-z-]*\|^ *-[a-z],' "$tmp/help" |
        tr -d ' ,' | sort -u); do
        grep -q -- "$opt" "$tmp/page" || missing="$missing $opt"
    done
    [ -z "$missing" ] && ok "csppack $cmd: every option of --help is on the page" ||
        fail "csppack $cmd: every option of --help is on the page" "missing:$missing"
done
missing=""
for s in SOURCE_DATE_EPOCH workbook.xlsx board-report.pdf strategy-report.pdf \
    dataset.xml dataset.xsd observations.csv discrepancies.csv actions.csv \
    receipts/AGENCY.txt receipts/unknown.txt --version --help; do
    grep -qF -- "$s" "$tmp/page" || missing="$missing $s"
done
for code in 0 1 2 3; do
    sed -n '/^\.SH "*EXIT STATUS/,/^\.SH /p' "$tmp/page" | grep -qx "\.B $code" ||
        missing="$missing exit-$code"
done
[ -z "$missing" ] &&
    ok "the environment, the files of the pack, every exit status" ||
    fail "the environment, the files of the pack, every exit status" "missing:$missing"

# --- the examples run ---------------------------------------------------------------
sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$page" | sed -n '/^\.EX/,/^\.EE/p' |
    grep '^\$ csppack ' |
    sed -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\e/\\/g' >"$tmp/examples"
n=$(wc -l <"$tmp/examples")
if [ "$n" -ge 5 ]; then
    ok "$n examples found in EXAMPLES"
else
    fail "examples found in EXAMPLES" "only $n"
fi
if grep -q '\\' "$tmp/examples"; then
    fail "the examples are plain command lines" "a roff escape is left"
fi

work=$tmp/work
mkdir -p "$work/inbox" "$tmp/bin"
cp "$SAMPLES_DIR"/*.xml "$work/inbox/"
(cd "$work/inbox" && sha256sum ./*) >"$tmp/inbox.sum"
ln -s "$CSPPACK" "$tmp/bin/csppack"
while IFS= read -r line; do
    cmd=${line#\$ }
    want=0
    case $cmd in
    *"# exit status "[0-9]*) want=${cmd##*# exit status } ;;
    esac
    (cd "$work" && PATH="$tmp/bin:$PATH" sh -c "$cmd") >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "example: $cmd"
    else
        fail "example: $cmd" "exit status $rc, the page says $want"
    fi
done <"$tmp/examples"
(cd "$work/inbox" && sha256sum ./*) | cmp -s - "$tmp/inbox.sum" &&
    ok "the examples leave inbox/ as it was" ||
    fail "the examples leave inbox/ as it was" "inbox/ changed"

[ "$skipped" -gt 0 ] && echo "$skipped skipped"
test_finish
