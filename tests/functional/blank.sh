#!/bin/sh
# csppack blank: every agency's skeleton is a valid submission; filled in,
# it reconciles (the round trip a partner makes); bad arguments exit 2.
# The round trip of the whole partnership: every statutory agency's
# skeleton filled in (a value for every figure, every update switched on)
# and built together with csppack build; the figures are in
# observations.csv, the workbook and the board pack's text, the updates in
# actions.csv and the board pack (pdftotext, /usr/bin/python3 with
# openpyxl: those checks are skipped without them).

. "$(dirname "$0")/lib.sh"
test_setup blank
period=2016-07-01/2016-09-30

agencies="kcc dartford-bc gravesham-bc kent-police kfrs dgs-ccg kss-crc kent-pcc"
for a in $agencies; do
    if ! "$CSPPACK" blank --agency "$a" --period $period >"$tmp/$a.xml" 2>"$tmp/err"; then
        fail "blank $a" "exit status not 0"
    elif ! "$CSPPACK" validate "$tmp/$a.xml" >"$tmp/out" 2>>"$tmp/err"; then
        fail "blank $a validates" "csppack validate refused it"
    elif ! grep -q ': valid: ' "$tmp/out"; then
        fail "blank $a validates" "no valid summary"
    else
        ok "blank $a is valid"
    fi
done

# The police skeleton lists the figures Kent Police owns and reports, not
# those the template computes, and no other agency's.
if grep -q 'indicator="victim-based-crime" area="dartford"' "$tmp/kent-police.xml" &&
    ! grep -q 'indicator="total-crime"' "$tmp/kent-police.xml" &&
    ! grep -q 'indicator="ae-violence"' "$tmp/kent-police.xml"; then
    ok "police skeleton lists its own reported indicators"
else
    fail "police skeleton lists its own reported indicators" "wrong set"
fi
if grep -q 'indicator="noise-complaints" area="dartford"' "$tmp/dartford-bc.xml" &&
    ! grep -q 'indicator="noise-complaints" area="gravesham"' "$tmp/dartford-bc.xml" &&
    ! grep -q 'indicator="noise-complaints" area="all"' "$tmp/dartford-bc.xml"; then
    ok "per-area owner gets only its own borough"
else
    fail "per-area owner gets only its own borough" "wrong areas"
fi

# fill SKELETON FIRST STEP STATUS AGENCY: the skeleton filled in as a
# partner would: the figures valued FIRST, FIRST+STEP, ... in order, but a
# count for the whole partnership ("all", after its areas) the sum of its
# areas'; the optional figures deleted whole; every update given STATUS
# and the progress "Progress on REF from AGENCY."
fill() {
    blank_finished 2016-10-01T09:00:00Z "$1" |
    sed -e "s|<update ref=\"\\([0-9.]*\\)\" status=\"choose\"\\(.*\\)>What has been done.<|<update ref=\"\\1\" status=\"$4\"\\2>Progress on \\1 from $5.<|" |
        awk -v v="$2" -v step="$3" '
            /^    <!-- .* \(count\), .* -->$/ { count = 1 }
            /^    <!-- .* \([a-z]*\), .* -->$/ && !/\(count\)/ { count = 0 }
            /^    <obs / {
                ind = $0; sub(/.*indicator="/, "", ind); sub(/".*/, "", ind)
                area = $0; sub(/.*area="/, "", area); sub(/".*/, "", area)
            }
            /status="missing">Not yet available.<\/obs>/ {
                x = v
                if (area == "all" && count) x = sum[ind]
                else sum[ind] += v
                sub(/status="missing">Not yet available.<\/obs>/,
                    "value=\"" x "\"/>")
                v += step
            }
            { print }'
}

# Round trip: fill in the KF&RS skeleton as a partner would (a value for
# every figure, every update filled in), then reconcile it.
fill "$tmp/kfrs.xml" 7 0 at-risk kfrs >"$tmp/kfrs-filled.xml"
mkdir "$tmp/inbox" && cp "$tmp/kfrs-filled.xml" "$tmp/inbox/"
if "$CSPPACK" validate "$tmp/inbox" >"$tmp/out" 2>"$tmp/err" &&
    grep -q 'valid: 6 figures and 4 updates' "$tmp/out"; then
    ok "filled-in skeleton validates with its figures and updates"
else
    fail "filled-in skeleton validates with its figures and updates" "see output"
fi
if "$CSPPACK" reconcile -q --out "$tmp/pack" "$tmp/inbox" >"$tmp/out" 2>"$tmp/err" &&
    grep -q '^deliberate-fires,dartford,2016-07-01,2016-09-30,14,final,csppack,' "$tmp/pack/observations.csv" &&
    grep -q '^3.8,yes,2016-09-30,at-risk,kfrs,' "$tmp/pack/actions.csv"; then
    ok "filled-in skeleton reconciles (computed sum, current update)"
else
    fail "filled-in skeleton reconciles (computed sum, current update)" "see output"
fi

# The round trip of the whole partnership: each statutory agency's
# skeleton filled in with figures of its own (11, 12, ... across them
# all), every update switched on, all built together into one pack.
statutory="kcc dartford-bc gravesham-bc kent-police kfrs dgs-ccg kss-crc"
mkdir "$tmp/all"
v=11
: >"$tmp/want.csv"
: >"$tmp/want-actions"
for a in $statutory; do
    fill "$tmp/$a.xml" $v 1 on-track "$a" >"$tmp/all/$a-q2.xml"
    v=$((v + $(grep -c '^         value="' "$tmp/all/$a-q2.xml")))
    # What observations.csv must say of each figure.
    sed -n '/<obs indicator=/{N;s|.*indicator="\([^"]*\)" area="\([^"]*\)" period="\([^/]*\)/\([^"]*\)"[^v]*value="\([^"]*\)"/>.*|\1,\2,\3,\4,\5,final,'"$a"',2016-10-01T09:00:00Z,'"$a"'-q2.xml,partner|p;}' \
        "$tmp/all/$a-q2.xml" >>"$tmp/want.csv"
    sed -n 's|.*<update ref="\([0-9.]*\)" status="on-track" as-of="\([^"]*\)">\(.*\)</update>|\1,\2,on-track,'"$a"',2016-10-01T09:00:00Z,\3|p' \
        "$tmp/all/$a-q2.xml" >>"$tmp/want-actions"
done
nfig=$(wc -l <"$tmp/want.csv")
nupd=$(wc -l <"$tmp/want-actions")
(cd "$tmp/all" && sha256sum ./*) >"$tmp/all.sum"
"$CSPPACK" build --out "$tmp/all-pack" "$tmp/all" >"$tmp/out" 2>"$tmp/err"
rc=$?
(cd "$tmp/all" && sha256sum ./*) | cmp -s - "$tmp/all.sum" ||
    fail "the filled-in submissions are untouched by the build" "changed"
if [ "$rc" -eq 0 ] && [ "$nfig" -eq $((v - 11)) ] &&
    grep -qx 'files: 7 read, 0 refused, 0 partly refused, 0 duplicates' "$tmp/out" &&
    grep -qx "action plan: 37 of 37 items updated, $nupd updates" "$tmp/out" &&
    grep -qx 'discrepancies: 0 errors, 0 warnings, 0 info' "$tmp/out"; then
    ok "every statutory agency's skeleton, filled in: built, $nfig figures, $nupd updates, no discrepancy"
else
    fail "every statutory agency's skeleton, filled in: built" "exit status $rc"
fi
# (The CSV files end their lines with CR LF.)
obs=$tmp/obs.csv
tr -d '\r' <"$tmp/all-pack/observations.csv" >"$obs"
missing=$(grep -cvxF -f "$obs" "$tmp/want.csv")
[ "$missing" -eq 0 ] &&
    ok "observations.csv: each of the $nfig figures as filled in, from its file" ||
    fail "observations.csv: each figure as filled in" "$missing missing: $(grep -vxF -f "$obs" "$tmp/want.csv" | head -3)"
# KF&RS's two kinds of deliberate fires make the template's sum.
sum=0
for x in $(grep '^deliberate-fires-[ps][a-z]*,dartford,' "$tmp/want.csv" | cut -d, -f5); do
    sum=$((sum + x))
done
grep -q "^deliberate-fires,dartford,2016-07-01,2016-09-30,$sum,final,csppack," "$obs" &&
    ok "observations.csv: deliberate fires in Dartford computed, $sum" ||
    fail "observations.csv: deliberate fires computed" "no row with $sum"
acts=$tmp/actions.csv
tr -d '\r' <"$tmp/all-pack/actions.csv" >"$acts"
# Each update as filled in (the "current" column aside), every one
# current: all are as of the same date, so each agency's counts, on the
# actions several agencies lead too.
n=$(cut -d, -f1,3- "$acts" | grep -cvxF -f - "$tmp/want-actions")
[ "$n" -eq 0 ] && [ "$(grep -c '^[0-9.]*,yes,' "$acts")" -eq "$nupd" ] &&
    ok "actions.csv: each of the $nupd updates, each agency's current" ||
    fail "actions.csv: each update, each agency's current" "$n missing"
if command -v pdftotext >/dev/null 2>&1 && [ -f "$tmp/all-pack/board-report.pdf" ]; then
    pdftotext -raw "$tmp/all-pack/board-report.pdf" "$tmp/board.txt" 2>/dev/null
    if /usr/bin/python3 "$here/check_pack.py" pdf-figures "$tmp/board.txt" \
        "$tmp/all-pack" "$TEMPLATES_DIR/dg-csp-2016-19.xml" >"$tmp/py.out" 2>&1; then
        ok "board pack: every measure's figure as filled in"
    else
        fail "board pack: every measure's figure as filled in" "$(grep FAIL "$tmp/py.out")"
    fi
    # The progress of every current update, as the board pack shows it.
    grep '^[0-9.]*,yes,' "$acts" | sed 's/.*,//' >"$tmp/current"
    set --
    while IFS= read -r t; do set -- "$@" "$t"; done <"$tmp/current"
    if /usr/bin/python3 "$here/check_report.py" contains "$tmp/board.txt" "$@" \
        >"$tmp/py.out" 2>&1 && ! grep -q '^FAIL' "$tmp/py.out"; then
        ok "board pack: the progress of every current update"
    else
        fail "board pack: the progress of every current update" "$(grep FAIL "$tmp/py.out" | head -3)"
    fi
else
    missing "the board pack's text" pdftotext
fi
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
    if /usr/bin/python3 "$here/check_pack.py" workbook-figures "$tmp/all-pack" \
        "$TEMPLATES_DIR/dg-csp-2016-19.xml" >"$tmp/py.out" 2>&1 &&
        grep -q '^ok - the [0-9]* figures of observations.csv' "$tmp/py.out"; then
        ok "workbook: every figure as in observations.csv"
    else
        fail "workbook: every figure as in observations.csv" "$(grep FAIL "$tmp/py.out" | head -3)"
    fi
else
    missing "the workbook" "openpyxl for /usr/bin/python3"
fi

# Usage errors.
for args in "" "--agency" "--agency nobody --period $period" \
    "--agency kfrs --period 2016-09-30/2016-07-01" "--agency kfrs --bogus"; do
    # shellcheck disable=SC2086
    "$CSPPACK" blank $args >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q 'csppack: error: blank:' "$tmp/err"; then
        ok "blank $args: usage error"
    else
        fail "blank $args: usage error" "exit $rc"
    fi
done
test_finish
