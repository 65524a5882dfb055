#!/bin/sh
# The period the pack covers (issue 13), on small crafted inboxes in
# tests/data/period/ beside the samples:
#
#   - the board pack's default period: an early Q3 file of one partner, or
#     one year typed wrong, does not move a Q2 pack; with no quarter that
#     most partners sent, the quarter most of them sent; --period names
#     another; the one line on stderr that says which and why (none with
#     -q); the same from `report --kind board`;
#   - W410 (figures after the pack's period), W411 (outside the strategy's
#     years), W412 (a period not over when submitted), W413 (a submitted
#     time far after every other file's, which still wins), each exactly,
#     and in discrepancies.csv and the partner's receipt;
#   - the yearly strategy report of a financial-year strategy whose inbox
#     runs past the year's end (tests/data/period/fy): its year, and no
#     figure or progress dated after it.
#
# Environment: CSPPACK, SAMPLES_DIR, TEMPLATES_DIR, TEST_DATA_DIR.  The
# PDF checks need pdftotext (poppler-utils) and are skipped without it.

. "$(dirname "$0")/lib.sh"
test_setup period
unset SOURCE_DATE_EPOCH
data=$TEST_DATA_DIR/period
have_pdf=no
command -v pdftotext >/dev/null 2>&1 && have_pdf=yes

# inbox FILE...: $tmp/in holds the samples and the files of $data named.
inbox() {
    rm -rf "$tmp/in" "$tmp/pack"
    mkdir "$tmp/in" && cp "$SAMPLES_DIR"/*.xml "$tmp/in/" || exit 99
    for f in "$@"; do
        cp "$data/$f" "$tmp/in/" || exit 99
    done
}

# build ARGS...: csppack build in $tmp, into a new pack, from in.  Each
# case is a first pack, so that the lines on stderr are about the period
# alone (what changed since a previous pack is since.sh's).
build() {
    rm -rf "$tmp/pack"
    (cd "$tmp" && exec "$CSPPACK" build --out pack "$@") >"$tmp/out" \
        2>"$tmp/err"
    rc=$?
}

# said NAME FILE WANT: FILE is exactly the line WANT.
said() {
    if [ "$(cat "$2")" = "$3" ]; then
        ok "$1"
    else
        fail "$1" "got: $(cat "$2")"
    fi
}

# has NAME FILE LINE: FILE holds the line LINE.
has() {
    if grep -qxF "$3" "$2"; then
        ok "$1"
    else
        fail "$1" "no line: $3"
    fi
}

# cover NAME PDF WANT NOT: the first page of PDF says WANT, not NOT.
cover() {
    if [ $have_pdf = no ]; then
        missing "$1" pdftotext
        return
    fi
    pdftotext -l 1 "$2" "$tmp/cover.txt" 2>/dev/null
    if grep -qF "$3" "$tmp/cover.txt" && ! grep -qF "$4" "$tmp/cover.txt"; then
        ok "$1"
    else
        fail "$1" "cover: $(tr '\n' ' ' <"$tmp/cover.txt" | head -c 300)"
    fi
}

q2_line="csppack: board pack period: Q2 2016/17 (the quarter 1 July to 30 \
September 2016), the latest quarter with figures from most of the partners \
expected"

# --- the default period -----------------------------------------------
inbox
build in
expect "samples: exit 0" 0
said "samples: the period line on stderr, Q2 with 7 of 7" "$tmp/err" \
    "$q2_line (7 of 7)"
grep -q 'W41[0-3]' "$tmp/out" &&
    fail "samples: no W410 to W413" "$(grep 'W41' "$tmp/out")" ||
    ok "samples: no W410 to W413"

inbox kfrs-2016q3-early.xml
build in
expect "an early Q3 file: exit 0 (warnings)" 0
said "an early Q3 file: the pack stays Q2 (8 of 7 is not counted twice)" \
    "$tmp/err" "$q2_line (7 of 7)"
cover "an early Q3 file: the board pack's cover says Q2 2016/17" \
    "$tmp/pack/board-report.pdf" "Q2 2016/17" "Q3 2016/17"
has "an early Q3 file: W410 at its first figure" "$tmp/out" \
    "in/kfrs-2016q3-early.xml:11: warning: W410: 2 figures in kfrs-2016q3-early.xml are for periods after Q2 2016/17 (2016-07-01/2016-09-30), the latest quarter most partners sent figures for, the first at line 11 for 2016-10-01/2016-12-31; the board pack for that quarter leaves them out: if a period is wrong, send a corrected submission"
has "an early Q3 file: W412, the quarter was not over when it was sent" \
    "$tmp/out" \
    "in/kfrs-2016q3-early.xml:11: warning: W412: 2 figures in kfrs-2016q3-early.xml are for periods that had not ended when it was submitted at 2016-11-20T09:00:00Z, the first at line 11 for 2016-10-01/2016-12-31: check the period and the submitted time"
grep -q '^W410,warning,after-pack-period,kfrs-2016q3-early.xml,11,' \
    "$tmp/pack/discrepancies.csv" &&
    tr -s ' \n' '  ' <"$tmp/pack/receipts/kfrs.txt" |
        grep -qF 'About line 11 of kfrs-2016q3-early.xml: 2 figures in kfrs-2016q3-early.xml are for periods after Q2 2016/17 (July to September 2016),' &&
    ok "an early Q3 file: W410 in discrepancies.csv and kfrs's receipt" ||
    fail "an early Q3 file: W410 in discrepancies.csv and kfrs's receipt" \
        "$(grep W410 "$tmp/pack/discrepancies.csv")"
if [ $have_pdf = yes ]; then
    pdftotext -raw "$tmp/pack/board-report.pdf" - 2>/dev/null |
        tr -s ' \n' '  ' >"$tmp/board.txt"
    # The dashboard's row: the area, the figure, its period (Q2).
    if grep -q 'deliberate fires by type Dartford [0-9]* Q2 2016/17' "$tmp/board.txt" &&
        ! grep -q 'Q3 2016/17' "$tmp/board.txt"; then
        ok "an early Q3 file: the board pack shows no Q3 figure"
    else
        fail "an early Q3 file: the board pack shows no Q3 figure" \
            "$(grep -n 'Q3 2016/17' "$tmp/board.txt" | head -3)"
    fi
else
    missing "an early Q3 file: the board pack shows no Q3 figure" pdftotext
fi

inbox kcc-2017q3-typo.xml
build in
said "a year typed wrong: the pack stays Q2" "$tmp/err" "$q2_line (7 of 7)"
cover "a year typed wrong: the board pack's cover says Q2 2016/17" \
    "$tmp/pack/board-report.pdf" "Q2 2016/17" "2017/18"
has "a year typed wrong: W410" "$tmp/out" \
    "in/kcc-2017q3-typo.xml:10: warning: W410: 1 figure in kcc-2017q3-typo.xml is for a period after Q2 2016/17 (2016-07-01/2016-09-30), the latest quarter most partners sent figures for, at line 10 for 2017-10-01/2017-12-31; the board pack for that quarter leaves it out: if a period is wrong, send a corrected submission"
has "a year typed wrong: W412" "$tmp/out" \
    "in/kcc-2017q3-typo.xml:10: warning: W412: 1 figure in kcc-2017q3-typo.xml is for a period that had not ended when it was submitted at 2016-10-29T09:00:00+01:00, at line 10 for 2017-10-01/2017-12-31: check the period and the submitted time"

# Only two partners' Q2 files and one early Q3 file: no quarter has most,
# and Q2 has more partners than Q3.
rm -rf "$tmp/in" && mkdir "$tmp/in" &&
    cp "$SAMPLES_DIR/kent-police-2016q2.xml" "$SAMPLES_DIR/kcc-2016q2.xml" \
        "$data/kfrs-2016q3-early.xml" "$tmp/in/" || exit 99
build in
said "few returns: the quarter with the most partners, and why" "$tmp/err" \
    "csppack: board pack period: Q2 2016/17 (the quarter 1 July to 30 September 2016), the latest quarter with figures from the most partners (2 of the 7 expected; no quarter has figures from more than half)"

inbox kfrs-2016q3-early.xml
build -q in
if [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ]; then
    ok "-q: no period line"
else
    fail "-q: no period line" "output"
fi
build --period 2016-10-01/2016-12-31 in
said "--period: the line says so" "$tmp/err" \
    "csppack: board pack period: Q3 2016/17 (the quarter 1 October to 31 December 2016), as --period names it"
cover "--period: the cover says Q3 2016/17" "$tmp/pack/board-report.pdf" \
    "Q3 2016/17" "Q2 2016/17"
grep -q '^in/kfrs-2016q3-early.xml:11: warning: W410: .* after Q2 2016/17 ' \
    "$tmp/out" &&
    ok "--period: W410 is still about the default period, Q2" ||
    fail "--period: W410 is still about the default period, Q2" \
        "$(grep W410 "$tmp/out")"

(cd "$tmp" && exec "$CSPPACK" report -o board.pdf in) >"$tmp/out" 2>"$tmp/err"
said "report --kind board: the period line" "$tmp/err" "$q2_line (7 of 7)"
(cd "$tmp" && exec "$CSPPACK" report --kind strategy -o s.pdf in) \
    >"$tmp/out" 2>"$tmp/err"
[ -s "$tmp/err" ] && fail "report --kind strategy: no board pack line" \
    "$(cat "$tmp/err")" || ok "report --kind strategy: no board pack line"

# --- W411 and W413 -------------------------------------------------------
inbox kss-crc-outside.xml
build in
has "2061 and 2006: W411 at the first" "$tmp/out" \
    "in/kss-crc-outside.xml:11: warning: W411: 2 figures in kss-crc-outside.xml are for periods outside 2013-01-01 to 2019-12-31 (the strategy's years, 2016 to 2019, and the 3 before them that its key findings look back on), the first at line 11 for 2006-07-01/2006-09-30: check the year"
said "2061 and 2006: the pack stays Q2" "$tmp/err" "$q2_line (7 of 7)"

inbox kent-police-2061.xml kent-police-2016q2-rev1.xml
build in
has "submitted in 2061: W413 at the submission element" "$tmp/out" \
    "in/kent-police-2061.xml:7: warning: W413: kent-police-2061.xml was submitted at 2061-10-25T11:40:00+01:00, 16411 days after the latest of the other files (dgs-ccg-2016q2.xml, submitted at 2016-11-18T12:00:00Z); it still counts as the latest, so its figures replace those of every other submission of Kent Police, corrections included: if the time is wrong, remove the file and send it again with the right time"
grep -q '^asb-incidents,dartford,2016-07-01,2016-09-30,900,' \
    "$tmp/pack/observations.csv" &&
    ok "submitted in 2061: its figure still stands over the correction" ||
    fail "submitted in 2061: its figure still stands over the correction" \
        "$(grep '^asb-incidents,dartford,2016-07-01' "$tmp/pack/observations.csv")"

# --- the yearly report of a financial-year strategy ----------------------
rm -rf "$tmp/pack"
(cd "$tmp" && exec "$CSPPACK" build --template \
    "$TEMPLATES_DIR/example-minimal.xml" --out pack "$data/fy") \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
expect "financial year: exit 0" 0
has "financial year: the board pack is about Q2 2021/22" "$tmp/err" \
    "csppack: board pack period: Q2 2021/22 (the quarter 1 July to 30 September 2021), the latest quarter with figures from most of the partners expected (2 of 3)"
if [ $have_pdf = yes ]; then
    pdftotext -layout "$tmp/pack/strategy-report.pdf" "$tmp/s.txt" 2>/dev/null
    # Its key findings are financial years: the cover names the year as
    # their columns do.
    cover "financial year: the strategy report is about 2020/21" \
        "$tmp/pack/strategy-report.pdf" "2020/21" "2021/22"
    for word in "Q2 2021/22" 777 333 "Autumn 2021"; do
        if grep -qF "$word" "$tmp/s.txt"; then
            fail "financial year: the strategy report leaves out \"$word\"" \
                "$(grep -nF "$word" "$tmp/s.txt" | head -3)"
        else
            ok "financial year: the strategy report leaves out \"$word\""
        fi
    done
    if grep -q 'Year-end: the winter' "$tmp/s.txt" &&
        grep -q 'Riverside *2020/21 *389' "$tmp/s.txt" &&
        grep -q 'Riverside *Q4 2020/21 *38 ' "$tmp/s.txt"; then
        ok "financial year: the strategy report shows the year's figures and progress"
    else
        fail "financial year: the strategy report shows the year's figures and progress" \
            "$(grep -n 'Riverside\|Year-end' "$tmp/s.txt" | head -5)"
    fi
    pdftotext -raw "$tmp/pack/board-report.pdf" - 2>/dev/null |
        tr -s ' \n' '  ' >"$tmp/b.txt"
    grep -q 'Riverside 777 Q2 2021/22' "$tmp/b.txt" &&
        grep -q 'Autumn 2021: the' "$tmp/b.txt" &&
        ok "financial year: the board pack shows Q2 2021/22" ||
        fail "financial year: the board pack shows Q2 2021/22" \
            "$(grep -n 'Riverside' "$tmp/b.txt" | head -5)"
else
    missing "financial year: the strategy report's contents" pdftotext
fi

test_finish
