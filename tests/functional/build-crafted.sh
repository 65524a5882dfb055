#!/bin/sh
# Crafted inboxes that `csppack build` must turn into a pack of a sensible
# size, in a few seconds, with every output valid: many conflicting files,
# ids of any length, file names in any bytes.
#
# Environment: CSPPACK (the program), SAMPLES_DIR; both default relative
# to this script.

. "$(dirname "$0")/lib.sh"
test_setup build-crafted
cd "$tmp" || exit 99
fail_lines=20

head_xml='<?xml version="1.0" encoding="UTF-8"?>'
root_open='<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19" agency="kent-police" submitted="2016-10-14T09:30:00+01:00">'
submitter='<submitter name="Crime Analyst" email="analyst@example.org"/>'

# size_of PATH: bytes in a file or folder.
size_of() {
    du -sb "$1" | cut -f1
}

# build_in NAME INBOX [ARGS...]: build INBOX into $tmp/NAME-pack under
# `timeout 20`; leaves $rc, $tmp/out, $tmp/err.
build_in() {
    pack=$tmp/$1-pack inbox=$2
    shift 2
    rm -rf "$pack"
    timeout 20 "$CSPPACK" build -q "$@" --out "$pack" "$inbox" \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# --- 300 files of one agency and instant, each with another value for one
# key: one E404 for the key, listing five claims and counting the rest; the
# pack grows linearly with the inbox.
mkdir conflicts
i=1
while [ $i -le 300 ]; do
    {
        echo "$head_xml"
        echo "$root_open"
        echo "  $submitter"
        echo '  <observations>'
        echo "    <obs indicator=\"victim-based-crime\" area=\"dartford\" period=\"2015-10-01/2016-09-30\" value=\"$i\"/>"
        echo '  </observations>'
        echo '</submission>'
    } >"conflicts/k$(printf %03d $i).xml"
    i=$((i + 1))
done
build_in conflicts conflicts
in_size=$(size_of conflicts)
if [ "$rc" -ne 1 ]; then
    fail "conflicts-exit" "exit status $rc, expected 1"
else
    ok "conflicts-exit"
fi
n=$(grep -c 'E404' "$pack/discrepancies.csv")
if [ "$n" -ne 1 ]; then
    fail "conflicts-one-diagnostic" "$n E404 rows in discrepancies.csv, expected 1"
else
    ok "conflicts-one-diagnostic"
fi
# The claims are listed in the dataset's order of files (by SHA-256 for one
# agency and instant), so count them rather than name them.
msg=$(grep E404 "$pack/discrepancies.csv")
listed=$(echo "$msg" | grep -o 'Kent Police [0-9]* (k[0-9]*\.xml:5)' | wc -l)
if [ "$listed" -eq 5 ] && echo "$msg" | grep -q ') and 295 more; none of them is used'; then
    ok "conflicts-five-and-a-count"
else
    fail "conflicts-five-and-a-count" "the E404 does not list five claims and count 295 more"
    echo "$msg" | cut -c1-600
fi
for f in dataset.xml discrepancies.csv receipts/kent-police.txt; do
    s=$(size_of "$pack/$f")
    if [ "$s" -gt $((in_size * 3)) ]; then
        fail "conflicts-size-$f" "$s bytes for $in_size bytes of input"
    else
        ok "conflicts-size-$f"
    fi
done
out_size=$(size_of "$pack")
# Each receipt is written twice, as text and as its reply draft.
if [ "$out_size" -gt $((in_size * 12)) ]; then
    fail "conflicts-linear" "a pack of $out_size bytes for $in_size bytes of input"
else
    ok "conflicts-linear"
fi

# --- Ids of 65,536 bytes (an indicator, an area, an action ref): each is
# one refused item, quoted shortened to 40 characters and "…"; the rest of
# the pack is built.
long_id=$(head -c 65536 /dev/zero | tr '\000' x)
x40=$(head -c 40 /dev/zero | tr '\000' x)
mkdir long-ids
sed "0,/indicator=\"victim-based-crime\"/s//indicator=\"$long_id\"/" \
    "$SAMPLES_DIR/kent-police-2016q2.xml" >long-ids/kent-police.xml
sed "0,/area=\"dartford\"/s//area=\"$long_id\"/" \
    "$SAMPLES_DIR/kfrs-2016q2.xml" >long-ids/kfrs.xml
sed "0,/ref=\"[0-9.]*\"/s//ref=\"$long_id\"/" \
    "$SAMPLES_DIR/dartford-bc-2016q2.xml" >long-ids/dartford-bc.xml
build_in long-ids long-ids
if [ "$rc" -ne 1 ]; then
    fail "long-ids-built" "exit status $rc, expected 1"
elif [ ! -f "$pack/board-report.pdf" ] || [ ! -f "$pack/workbook.xlsx" ]; then
    fail "long-ids-built" "no board pack or workbook"
else
    ok "long-ids-built"
fi
# Each receipt item is one paragraph wrapped at 72 columns: joined, it
# says where, and the id cut at 40 characters.
awk '/^    - /{if (p) print p; p=substr($0, 7); next}
     /^      /{if (p) {sub(/^ +/, ""); p=p " " $0; next}}
     {if (p) print p; p=""}
     END{if (p) print p}' "$pack"/receipts/*.txt >"$tmp/items"
for want in \
    "The item at line 11 of kent-police.xml was refused: indicator \"$x40…\" is not in the strategy template." \
    "Deliberate primary fires, July to September 2016 (line 11 of kfrs.xml) was refused: area \"$x40…\" is not in the strategy template (use \"all\" for the partnership as a whole)." \
    "The item at line 59 of dartford-bc.xml was refused: action \"$x40…\" is not in the strategy's action plan."
do
    if grep -qF "$want" "$tmp/items"; then
        ok "long-id ${want%% was refused*}"
    else
        fail "long-id ${want%% was refused*}" "no receipt item: $want"
    fi
done

# --- File names in any bytes: Latin-1 (as unzip gives from some Windows
# zips), and control characters, an escape sequence and U+202E (which
# would forge a diagnostic line, colour the terminal, reverse the text).
# Every output names them in their display form and stays valid.
mkdir names
cp "$SAMPLES_DIR/kent-police-2016q2.xml" "names/$(printf 'caf\351.xml')"
forged=$(printf 'x\033[31m\nevil.xml:1: error: E999: forged\342\200\256lmx.xml')
sed '0,/value="[0-9]*"/s//value="1,0"/' "$SAMPLES_DIR/kfrs-2016q2.xml" \
    >"names/$forged"
cafe_shown='caf\xE9.xml'
forged_shown='x\x1B[31m\x0Aevil.xml:1: error: E999: forged\u202Elmx.xml'
(cd names && exec timeout 20 "$CSPPACK" validate .) >"$tmp/out" 2>"$tmp/err"
if grep -qxF "./$cafe_shown: valid: 76 figures and 5 updates" "$tmp/out" &&
    grep -qF "./$forged_shown:11: error: E210: value \"1,0\" is not a number; write 10" "$tmp/out" &&
    grep -qF "./$cafe_shown:31: warning: W409: " "$tmp/out" &&
    [ "$(grep -c . "$tmp/out")" -eq 4 ]; then
    ok "names-validate-shown"
else
    fail "names-validate-shown" "the names are not shown escaped, one line each"
fi
build_in names names -v
if [ "$rc" -ne 1 ]; then
    fail "names-built" "exit status $rc, expected 1"
elif ! grep -qxF "csppack: reading names/$cafe_shown" "$tmp/err" ||
    ! grep -qxF "csppack: reading names/$forged_shown" "$tmp/err"; then
    fail "names-built" "the progress lines do not show the names escaped"
else
    ok "names-built"
fi
PY=/usr/bin/python3
checker "$here/check_shown.py" "$pack" "$cafe_shown" "$forged_shown" ||
    fail "check_shown.py" "it failed"

test_finish
