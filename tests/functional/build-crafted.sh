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
if [ "$out_size" -gt $((in_size * 10)) ]; then
    fail "conflicts-linear" "a pack of $out_size bytes for $in_size bytes of input"
else
    ok "conflicts-linear"
fi

test_finish
