#!/bin/sh
# `csppack reconcile` depends on the set of input files, never on their
# order, on how the folder is named (inbox, ./inbox/, /abs/inbox), on a
# file named twice, on the clock, time zone or locale: every variant below
# gives byte-identical outputs (dataset.xml, the CSV files, receipts).
# Renamed copies give the same bytes once the new names are mapped back to
# the old ones: names appear in `file` columns, never in the order of rows.
#
# Inboxes: the shipped samples, and tests/data/reconcile/mixed (every
# reconciliation rule fires there, with diagnostics in several files).
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR (defaults relative to
# this script).

. "$(dirname "$0")/lib.sh"
test_setup reconcile-order
unset SOURCE_DATE_EPOCH
MIXED_DIR=$TEST_DATA_DIR/reconcile/mixed

# reconcile OUT ARGS...: run in the current folder; exit 0 or 1 is fine
# (the mixed inbox has errors by design), anything else is a failure.
reconcile() {
    out=$1
    shift
    "$CSPPACK" reconcile -q --out "$out" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
    rc=$?
    if [ "$rc" -gt 1 ] || [ -s "$tmp/stderr" ]; then
        echo "    csppack exited $rc:"
        sed 's/^/    /' "$tmp/stderr"
        return 1
    fi
}

# identical NAME BASE OTHER: the two packs are byte-identical.
identical() {
    if diff -r "$2" "$3" >"$tmp/diff" 2>&1; then
        ok "$1"
    else
        fail "$1" "outputs differ"
        head -30 "$tmp/diff" | sed 's/^/    /'
    fi
}

# fields12 FILE: discrepancies.csv without its message column (the only
# column that may hold a comma outside quotes is the message).
fields12() {
    cut -d, -f1-12 "$1"
}

# compare_pack NAME BASE OTHER: the CSV files must be identical (their rows
# are ordered by us, by keys that never involve names); discrepancies.csv
# apart from the message text, then with it; dataset.xml and the receipts.
compare_pack() {
    for f in observations.csv actions.csv; do
        identical "$1, $f" "$2/$f" "$3/$f"
    done
    fields12 "$2/discrepancies.csv" >"$tmp/d1"
    fields12 "$3/discrepancies.csv" >"$tmp/d2"
    identical "$1, discrepancies.csv (all but messages)" "$tmp/d1" "$tmp/d2"
    identical "$1, discrepancies.csv messages" "$2/discrepancies.csv" \
        "$3/discrepancies.csv"
    identical "$1, dataset.xml" "$2/dataset.xml" "$3/dataset.xml"
    identical "$1, receipts" "$2/receipts" "$3/receipts"
}

# Copy the .xml files of folder $1 into a new folder $2.
copy_inbox() {
    mkdir -p "$2"
    for f in "$1"/*.xml; do
        cp "$f" "$2/"
    done
}

check_inbox() {
    label=$1 src=$2
    w=$tmp/$label
    mkdir -p "$w"
    copy_inbox "$src" "$w/inbox"
    (cd "$w" && ls inbox) >"$w/names"

    # The copy holds only the .xml files: a folder's other entries are
    # listed as skipped (I116), which files named one by one have none of.
    reconcile "$w/base" "$w/inbox" || fail "$label: baseline run" "failed"

    # The same inbox named three ways.
    (cd "$w" && reconcile "$w/rel" inbox) &&
        identical "$label: relative folder name" "$w/base" "$w/rel"
    (cd "$w" && reconcile "$w/dot" ./inbox/) &&
        identical "$label: ./inbox/ with a trailing slash" "$w/base" "$w/dot"
    (cd "$w" && reconcile "$w/abs" "$w/inbox") &&
        identical "$label: absolute folder name" "$w/base" "$w/abs"

    # Every file named, in reverse order; then shuffled, with the folder and
    # one file named twice.
    rev=$(sort -r "$w/names" | sed 's|^|inbox/|' | tr '\n' ' ')
    # shellcheck disable=SC2086
    (cd "$w" && reconcile "$w/rev" $rev) &&
        identical "$label: files named one by one in reverse order" "$w/base" "$w/rev"
    shuf=$(awk 'NR % 2 == 0' "$w/names"; awk 'NR % 2 == 1' "$w/names")
    shuf=$(echo "$shuf" | sed 's|^|inbox/|' | tr '\n' ' ')
    first=$(head -n 1 "$w/names")
    # shellcheck disable=SC2086
    (cd "$w" && reconcile "$w/shuf" $shuf "inbox/$first" inbox "inbox/$first") &&
        identical "$label: shuffled, with a file and the folder named again" \
            "$w/base" "$w/shuf"

    # The files split over two folders, same base names.
    mkdir -p "$w/split/one" "$w/split/two"
    n=0
    while read -r f; do
        n=$((n + 1))
        if [ $((n % 2)) -eq 0 ]; then
            cp "$w/inbox/$f" "$w/split/one/"
        else
            cp "$w/inbox/$f" "$w/split/two/"
        fi
    done <"$w/names"
    (cd "$w/split" && reconcile "$w/splitout" two one) &&
        compare_pack "$label: files split over two folders" "$w/base" \
            "$w/splitout"

    # Nothing from the clock, the time zone or the locale.
    loc=C.UTF-8
    locale -a 2>/dev/null | grep -qi '^de_DE.utf8$' && loc=de_DE.UTF-8
    (cd "$w" && TZ=Asia/Kathmandu LC_ALL=$loc SOURCE_DATE_EPOCH=1 \
        reconcile "$w/env" inbox) &&
        identical "$label: TZ, LC_ALL=$loc and SOURCE_DATE_EPOCH change nothing" \
            "$w/base" "$w/env"

    # Renamed copies whose names sort in the opposite order; map the new
    # names back to the old and compare.
    mkdir -p "$w/renamed"
    n=100
    : >"$w/map.sed"
    while read -r f; do
        n=$((n - 1))
        new="z$n-${f%.xml}-renamed.xml"
        cp "$w/inbox/$f" "$w/renamed/$new"
        # Names hold only [a-z0-9.-]: the dots need escaping.
        printf 's/%s/%s/g\n' "$(echo "$new" | sed 's/\./\\./g')" "$f" >>"$w/map.sed"
    done <"$w/names"
    if reconcile "$w/ren" "$w/renamed"; then
        find "$w/ren" -type f | while read -r f; do
            sed -f "$w/map.sed" "$f" >"$f.mapped" && mv "$f.mapped" "$f"
        done
        # Longer names wrap a receipt's prose at other words: compare the
        # receipts' words. The reply drafts are left out (quoted-printable
        # may break a name across lines; receipts.sh checks that each
        # draft's body is its receipt).
        rm -rf "$w/base-words"
        cp -R "$w/base" "$w/base-words"
        rm -f "$w/base-words"/receipts/*.eml "$w/ren"/receipts/*.eml
        for f in "$w/base-words"/receipts/* "$w/ren"/receipts/*; do
            tr -s ' \n' '  ' <"$f" >"$f.words" && mv "$f.words" "$f"
        done
        compare_pack "$label: renamed inputs" "$w/base-words" "$w/ren"
    else
        fail "$label: renamed inputs" "run failed"
    fi
}

check_inbox samples "$SAMPLES_DIR"
check_inbox mixed "$MIXED_DIR"

test_finish
