#!/bin/sh
# The PDF report (`csppack report`), read back with poppler's pdftotext,
# pdffonts and pdfinfo, and with qpdf:
#
#   - both kinds from the samples: the strategy's section order, every
#     action ref with its text, the key-findings figures, "Page N of M",
#     bookmarks, document information, embedded fonts, qpdf --check, every
#     word within the margins;
#   - reproducible: the same bytes twice and with the inputs in another
#     order; SOURCE_DATE_EPOCH sets the creation date;
#   - stress: a 20,000-word progress statement and a 200-item action plan
#     lay out without overflow or lost text (every word, in order);
#   - data quality at scale: discrepancies counted by code and agency, the
#     first 200 errors and warnings listed in the dataset's order, the
#     rest and information only counted: ten times the warnings, the same
#     pages;
#   - failures leave no partial file and say why in one line; usage errors.
#
# Environment: CSPPACK, SAMPLES_DIR, TEMPLATES_DIR (default relative to
# this script).  Prints "N passed, M failed" last; exits 1 when any failed.

. "$(dirname "$0")/lib.sh"
test_setup report
unset SOURCE_DATE_EPOCH
LC_ALL=C.UTF-8
export LC_ALL
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
PY=/usr/bin/python3
check=$here/check_report.py
for tool in pdftotext pdfinfo pdffonts qpdf; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "report: $tool is needed (Debian: poppler-utils, qpdf)" >&2
        exit 77
    fi
done
fail_lines=20

# py ARGS...: run the report checker and count its verdicts.
py() {
    checked "$check" "$@"
}

# text PDF: pdftotext -raw (content order) into PDF.txt.
text() {
    pdftotext -raw "$1" "$1.txt" 2>/dev/null
}

# pages PDF: the page count.
pages() {
    pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'
}

# pdf_checks NAME PDF: qpdf, fonts, layout bounds, page numbers.
pdf_checks() {
    if qpdf --check "$2" >"$tmp/out" 2>"$tmp/err"; then
        ok "$1: qpdf --check"
    else
        fail "$1: qpdf --check" "not clean"
    fi
    pdffonts "$2" >"$tmp/out" 2>/dev/null
    nf=$(tail -n +3 "$tmp/out" | wc -l)
    nemb=$(tail -n +3 "$tmp/out" | awk '$(NF-4) == "yes"' | wc -l)
    if [ "$nf" -ge 2 ] && [ "$nf" -eq "$nemb" ] &&
        grep -q 'DejaVuSans-Bold' "$tmp/out" &&
        grep -q 'DejaVuSans,Book\|DejaVuSans ' "$tmp/out"; then
        ok "$1: $nf fonts, all embedded (DejaVu Sans, Bold)"
    else
        fail "$1: fonts" "$nemb of $nf embedded"
    fi
    pdftotext -bbox "$2" "$2.html" 2>/dev/null
    py bbox "$2.html"
    py pages "$2.txt" "$(pages "$2")"
}

# --- both kinds from the samples -----------------------------------------
cd "$tmp" || exit 99
run report --kind strategy -o strategy.pdf "$SAMPLES_DIR"
expect "strategy from the samples: written (warnings only)" 0
if [ -s strategy.pdf ] && [ "$(head -c 5 strategy.pdf)" = "%PDF-" ]; then
    ok "strategy.pdf is a PDF"
else
    fail "strategy.pdf" "missing or not a PDF"
fi
grep -q '^wrote strategy.pdf' "$tmp/out" && ok "strategy: summary line" ||
    fail "strategy: summary line" "no 'wrote strategy.pdf'"
run report -o board.pdf "$SAMPLES_DIR"
expect "board pack (the default kind) from the samples" 0
text strategy.pdf
text board.pdf
pdf_checks strategy strategy.pdf
pdf_checks board board.pdf

# The strategy's sections in its order (lines of their own: the contents
# lines carry page numbers, the running headers the title).
py order strategy.pdf.txt \
    "Contents" "Foreword" "Introduction" "Our Partnership" \
    "The key findings of our Strategic Assessment*" "Dartford" "Gravesham" \
    "Our Priorities for 2016-19" "Key Policy Drivers" \
    "Delivering the Strategy" "Our Partnership Structure" \
    "Theme 1" "Protecting Vulnerable People from Harm" \
    "Why is this objective a priority?" "What are our challenges?" \
    "How will we measure our impact?" "Key Delivery Groups" \
    "Theme 2" "Why is this objective a priority?" \
    "How will we measure our impact?" "Key Delivery Groups" \
    "Theme 3" "How will we measure our impact?" "Key Delivery Groups" \
    "Action Plan" "1. Protecting Vulnerable People from Harm" \
    "2. Disrupting and Preventing Organised Acquisitive Crime" \
    "3. Protecting and Strengthening Communities" \
    "Data quality" "Submissions received" "Discrepancies" "Key Contacts"
py order board.pdf.txt \
    "Quarterly board pack – Q2 2016/17" "Summary" "Total crime" "Measures" \
    "Action plan" "Returns outstanding" "Changed since the last pack" \
    "Data problems" "In this pack" \
    "The key findings of our Strategic Assessment*" "Dartford" "Gravesham" \
    "Measures dashboard" "1. Protecting Vulnerable People from Harm" \
    "2. Disrupting and Preventing Organised Acquisitive Crime" \
    "3. Protecting and Strengthening Communities" \
    "Action plan status" "Items by status" \
    "1. Protecting Vulnerable People from Harm" \
    "Data quality" "Submissions received" "Problems to resolve"

# Every action ref with its text, from the template, in plan order.
py actions "$TEMPLATES_DIR/dg-csp-2016-19.xml" strategy.pdf.txt
py actions "$TEMPLATES_DIR/dg-csp-2016-19.xml" board.pdf.txt

# The key findings exactly as the strategy prints them (the crimes against
# society rate for Dartford is csppack's 6.0: Kent Police's 5.9 fails the
# rate rule, W409).
for f in strategy.pdf.txt board.pdf.txt; do
    py contains $f \
        "Dartford Category YE Sept 14 YE Sept 15 YE Sept 16 % change (15 to 16) Per 1,000 pop." \
        "Victim-based crime 7,795 7,522 8,388 +11.5 80.7" \
        "Crimes against society 523 464 619 +33.4 6.0 †" \
        "Total crime 8,318 7,986 9,007 +12.8 86.7" \
        "Gravesham Category YE Sept 14" \
        "Victim-based crime 7,180 6,783 7,697 +13.5 72.4" \
        "Crimes against society 521 460 612 +33.0 5.8" \
        "Total crime 7,701 7,243 8,309 +14.7 78.2"
done
# Each chart names every year under its axis: at 8 pt "YE Sept 15" does
# not fit its group on one line, so each label takes two.
py contains strategy.pdf.txt \
    "Victim-based crime 0 2,500 5,000 7,500 10,000 YE Sept 14 YE Sept 15 YE Sept 16"
# A figure csppack worked out carries a mark, and a legend under its table
# says so (with what the partner sent, when it replaced the partner's):
# the key findings (Dartford's table only), the measures (ASB rates).
py contains strategy.pdf.txt \
    "Total crime 8,318 7,986 9,007 +12.8 86.7 † the partnership's calculation from its own figures, under the strategy's rule. Kent Police sent 5.9 for Crimes against society per 1,000 population, Dartford, YE Sept 16, which does not agree with them (see Data quality)."
py contains board.pdf.txt \
    "Total crime 8,318 7,986 9,007 +12.8 86.7 † the partnership's calculation from its own figures, under the strategy's rule. Kent Police sent 5.9 for Crimes against society per 1,000 population, Dartford, YE Sept 16, which does not agree with them (see Data quality)."
py contains strategy.pdf.txt \
    "† the partnership's calculation from its own figures, under the strategy's rule." \
    "and so are figures the partnership calculated (†)"
# Both documents read the partnership's calculation, never the tool's
# name: they are published.
py contains board.pdf.txt \
    "† the partnership's calculation from its own figures, under the strategy's rule." \
    "and so are figures the partnership calculated (†)"
py absent board.pdf.txt "csppack"
py absent strategy.pdf.txt "worked out by csppack" "csppack (calculated)"
for doc in strategy.pdf.txt board.pdf.txt; do
    py absent "$doc" "78.2 †" "5.8 †" "80.7 †"
done
py contains strategy.pdf.txt "Dartford Q2 2016/17 10.0 †" "Gravesham Q2 2016/17 11.2 †"
# The dashboard: the figure and its period, what it is compared with and
# its period, the change with its direction, the rating, the data status.
py contains board.pdf.txt \
    "ASB incidents per 1,000 population Dartford 10.0 † Q2 2016/17 11.3 Q2 2015/16 -11.5% Better No target Final calculated" \
    "Gravesham 11.2 † Q2 2016/17 11.0 Q2 2015/16 +1.8% No real change No target Final calculated" \
    "Number of Licensing Reviews completed Dartford 1 Q2 2016/17 1 Q2 2015/16 0.0% No real change" \
    "Change went up went down no real change green: better; red: worse;" \
    "Rating Green Amber Red No target" \
    "Measure Area Figure Compared with Change Rating Data status Notes"
py absent board.pdf.txt "Status Notes"

# Narrative, measures, statuses, data quality, contacts; Unicode extracts.
py contains strategy.pdf.txt \
    "Welcome to the Dartford and Gravesham Community Safety Strategy for 2016-19" \
    "Councillor John Cubitt" "Leader, Dartford Borough Council" \
    "Partnership’s statutory agencies" \
    "Key Policy Drivers" "Troubled Families Programme" \
    "Number of violent crimes Dartford Q2 2016/17 652" \
    "Provisional" "Missing" "On track" "At risk" "Off track" "Complete" \
    "Not started" "As of 30 Sept 2016" \
    "450bdc17967397c596d6bf5a5b0821ec88d086b11fb474058888316b222573f6" \
    "W409" "Tel. 01474 337000" "www.kent-pcc.gov.uk" \
    "Year ending 30 September 2016"
py contains board.pdf.txt \
    "Quarterly board pack – Q2 2016/17 July to September 2016." \
    "Prepared from 7 partner submissions" \
    "All themes 2 25 5 2 3 0 37" \
    "Ref Action Plan Delivery group Status Latest progress" \
    "1.9 To establish how repeat/serial perpetrators of domestic abuse can be identified earlier to reduce their risk of offending/re-offending. DA Forum, IOM, Reducing Re-offending Group On track"
# The board pack's data quality in plain words: no codes, checksums,
# file lines or rule names.
py contains board.pdf.txt \
    "Agency Received What it held Outcome" \
    "Kent Police 21 October 2016 76 figures, 5 action updates Used in full." \
    "What is wrong Who must act" \
    "Kent Police's figure for crimes against society per 1,000 population in Dartford (the year ending September 2016) does not agree with the counts it is worked out from; the partnership's calculation, 6.0, is used. Kent Police to check it and send it again."
py absent board.pdf.txt "W409" "check-failed" "kent-police-2016q2.xml" \
    "450bdc17967397c596d6bf5a5b0821ec88d086b11fb474058888316b222573f6" \
    "csppack=6.0" "SHA-256" "crimes-against-society-rate"
# The summary on page 1, with the samples' figures: the key findings'
# total, the dashboard by direction, the actions by status with every
# off-track and at-risk item (checked against actions.csv), the returns
# outstanding, what changed (no earlier pack) and the data problems.
pdftotext -raw -f 1 -l 1 board.pdf page1.txt 2>/dev/null
py contains page1.txt \
    "Quarterly board pack – Q2 2016/17" "Summary" \
    "Total crime rose 12.8% in Dartford and 14.7% in Gravesham in the year ending September 2016, compared with the year before." \
    "The 53 latest figures of the 29 measures, by area" \
    "8 improving 6 worsening 10 no real change 22 up (neither way is better) 6 down (neither way is better) 1 without a comparator figure" \
    "No measure has a target, so none is rated green, amber or red." \
    "3 measures have no figure at all." \
    "27 of the 37 items (73%) are on track or complete." \
    "2 complete 25 on track 5 at risk 2 off track 3 not started 0 no update" \
    "Status Ref Action Delivery group Reported by" \
    "Off track 1.16 To raise awareness of the dangers of new psychoactive… DAAG Kent County Council" \
    "At risk 1.3 To continue local One Stop Shop provision. DA Forum Kent County Council" \
    "Kent Police: 2 of the 24 figures due not received: number of criminal damage offences per 1,000 population in key Wards, Dartford; number of criminal damage offences per 1,000 population in key Wards, Gravesham." \
    "Dartford, Gravesham and Swanley Clinical Commissioning Group: 1 of the 2 figures due not received: number of A&E attendances as a result of violence, Gravesham (sent as not available)." \
    "No earlier pack to compare with." \
    "Kent Police's figure for crimes against society per 1,000 population in Dartford (the year ending September 2016) does not agree with the counts it is worked out from; the partnership's calculation, 6.0, is used. Kent Police to check it and send it again."
run reconcile -q --out samples-pack "$SAMPLES_DIR"
py exceptions page1.txt samples-pack/actions.csv 7

# A protective marking (build --marking): centred in the header and the
# footer of every page of the board pack, none in the strategy document;
# none by default.
run build -q --marking OFFICIAL-SENSITIVE --out marked "$SAMPLES_DIR"
expect "build --marking: written" 0
n=$(pdftotext -raw marked/board-report.pdf - 2>/dev/null | grep -cx 'OFFICIAL-SENSITIVE')
np=$(pages marked/board-report.pdf)
if [ "$n" -eq $((2 * np)) ] &&
    ! pdftotext -raw marked/strategy-report.pdf - 2>/dev/null | grep -q OFFICIAL &&
    ! grep -q OFFICIAL board.pdf.txt; then
    ok "--marking: twice on each of the board pack's $np pages, nowhere else"
else
    fail "--marking: twice on each page of the board pack" "$n lines for $np pages"
fi

# The template's marking, when no --marking names one.
sed 's|<strategy xmlns="urn:csppack:strategy:1"|& marking="OFFICIAL"|' \
    "$TEMPLATES_DIR/dg-csp-2016-19.xml" >marked.xml
run report --template marked.xml -o tmarked.pdf "$SAMPLES_DIR"
expect "a template with a marking: written" 0
n=$(pdftotext -raw tmarked.pdf - 2>/dev/null | grep -cx 'OFFICIAL')
np=$(pages tmarked.pdf)
if [ "$n" -eq $((2 * np)) ]; then
    ok "the template's marking: twice on each of the $np pages"
else
    fail "the template's marking: twice on each page" "$n lines for $np pages"
fi

# The template's order: its own section before the introduction, the
# key contacts placed after it (format 1 printed both near the end); the
# parts it does not place stay where format 1 put them.
sed -e 's|^  <section id="introduction"|  <section id="our-area" title="About Our Area"><p>Local words.</p></section>\
  <place part="key-contacts"/>\
&|' "$TEMPLATES_DIR/dg-csp-2016-19.xml" >placed.xml
run report --kind strategy --template placed.xml -o placed.pdf "$SAMPLES_DIR"
expect "a template with <place>: written" 0
text placed.pdf
py order placed.pdf.txt \
    "Contents" "Foreword" "About Our Area" "Key Contacts" "Introduction" \
    "Our Partnership" "The key findings of our Strategic Assessment*" \
    "Our Priorities for 2016-19" "Key Policy Drivers" "Theme 1" \
    "Action Plan" "Data quality"

# What changed since the last pack: the samples' pack, then a
# resubmission (tests/data/since) built --since it; the summary says old
# to new, and the status change; the dashboard marks the revised row.
mkdir resub
cp "$SAMPLES_DIR"/*.xml "$TEST_DATA_DIR"/since/*.xml resub/
run build -q --since marked --out resub-pack resub
expect "build --since: written" 0
pdftotext -raw -f 1 -l 1 resub-pack/board-report.pdf resub-page1.txt 2>/dev/null
text resub-pack/board-report.pdf
py contains resub-page1.txt \
    "Changed since the last pack" \
    "Number of hate crimes recorded, Gravesham, July to September 2016: 47 to none." \
    "Number of violent crimes, Dartford, July to September 2016: 652 to 671 (Kent Police)." \
    "Action 2.10: was at risk, now off track."
py contains resub-pack/board-report.pdf.txt \
    "Number of violent crimes Dartford 671 Q2 2016/17 548 Q2 2015/16 +22.4% Worse No target Final Revised (was 652)"
py contains page1.txt "No earlier pack to compare with."

# Bookmarks for every section, document information.
qpdf --json=latest --json-key=outlines strategy.pdf >strategy.json 2>/dev/null
py outlines strategy.json "Foreword" "Introduction" "Our Partnership" \
    "The key findings of our Strategic Assessment 2016 – Progress and Achievements" \
    "Dartford" "Our Priorities for 2016-19" "Key Policy Drivers" \
    "Delivering the Strategy" "Our Partnership Structure" \
    "1. Protecting Vulnerable People from Harm" \
    "How will we measure our impact?" "Action Plan" "Data quality" \
    "Discrepancies" "Key Contacts"
qpdf --json=latest --json-key=outlines board.pdf >board.json 2>/dev/null
py toc strategy.pdf strategy.json 2 2
py toc board.pdf board.json 2 2
pdfinfo strategy.pdf >"$tmp/out" 2>/dev/null
if grep -q '^Title: *Dartford and Gravesham Community Safety Strategy 2016-19: Annual report' "$tmp/out" &&
    grep -q '^Author: *Dartford and Gravesham Community Safety Partnership$' "$tmp/out" &&
    grep -q '^Creator: *csppack$' "$tmp/out" &&
    grep -q '^Subject: *Annual report of the' "$tmp/out" &&
    grep -q '^Page size: *595.276 x 841.89 pts (A4)' "$tmp/out"; then
    ok "document information: title, author, subject, creator, A4"
else
    fail "document information" "$(cat "$tmp/out")"
fi
# The creation date is the latest submission's (no SOURCE_DATE_EPOCH).
pdftotext -bbox -l 1 strategy.pdf - 2>/dev/null | grep -q 'CreationDate" content="2016-11-18T12:00:00Z"' &&
    ok "creation date from the data" ||
    fail "creation date from the data" "not 2016-11-18T12:00:00Z"

# --- reproducible ------------------------------------------------------------
run report --kind strategy -o strategy2.pdf "$SAMPLES_DIR"
same "strategy: the same bytes twice" strategy.pdf strategy2.pdf
set -- "$SAMPLES_DIR"/*.xml
rev=""
for f in "$@"; do rev="$f $rev"; done
# shellcheck disable=SC2086
run report --kind strategy -o strategy3.pdf $rev
same "strategy: the same bytes with the files named in another order" \
    strategy.pdf strategy3.pdf
# shellcheck disable=SC2086
run report -o board2.pdf $rev
same "board: the same bytes with the files named in another order" \
    board.pdf board2.pdf
SOURCE_DATE_EPOCH=1500000000 "$CSPPACK" report -q -o board3.pdf "$SAMPLES_DIR" >/dev/null 2>&1
SOURCE_DATE_EPOCH=1500000000 "$CSPPACK" report -q -o board4.pdf "$SAMPLES_DIR" >/dev/null 2>&1
same "SOURCE_DATE_EPOCH: reproducible" board3.pdf board4.pdf
pdftotext -bbox -l 1 board3.pdf - 2>/dev/null | grep -q 'CreationDate" content="2017-07-14T02:40:00Z"' &&
    ok "SOURCE_DATE_EPOCH sets the creation date" ||
    fail "SOURCE_DATE_EPOCH sets the creation date" "not 2017-07-14T02:40:00Z"

# --- stress --------------------------------------------------------------------
mkdir inbox
cp "$SAMPLES_DIR"/*.xml inbox/
py gen-progress inbox/zz-stress.xml 20000
mv inbox/zz-stress.xml.words words.txt
py gen-template "$TEMPLATES_DIR/dg-csp-2016-19.xml" t200.xml 200
for kind in strategy board; do
    run report --kind $kind --template t200.xml -o stress-$kind.pdf inbox
    expect "stress $kind: written" 0
    text stress-$kind.pdf
    py actions t200.xml stress-$kind.pdf.txt
    pdf_checks "stress $kind" stress-$kind.pdf
done
# The strategy report, the year's record, prints all of it; the board
# pack its first 700 bytes or so, cut at a word, with "…".
py subseq words.txt stress-strategy.pdf.txt "stress strategy: 20,000-word progress"
py contains stress-strategy.pdf.txt "Zoë’s" "café–bar" "£89"
head -c 600 words.txt | sed 's/ [^ ]*$//' >words-head.txt
py subseq words-head.txt stress-board.pdf.txt "stress board: the progress's first 600 bytes"
py absent stress-board.pdf.txt "w19959"
py contains stress-board.pdf.txt "…"

# One word of 300,000 letters (no space to break at): broken between
# characters, every one of them drawn, in linear time.
mkdir word
py gen-word word/word.xml 300000
run report --kind strategy -o word.pdf word
expect "one long word: written" 0
text word.pdf
py count word.pdf.txt 300000
pdf_checks "one long word" word.pdf

# A contents too long for its page continues on inserted pages, and the
# page numbers count them.
py gen-sections "$TEMPLATES_DIR/dg-csp-2016-19.xml" t60.xml 60
run report --kind strategy --template t60.xml -o sections.pdf "$SAMPLES_DIR"
expect "60 more sections: written" 0
text sections.pdf
qpdf --json=latest --json-key=outlines sections.pdf >sections.json 2>/dev/null
py toc sections.pdf sections.json 2 4
py order sections.pdf.txt "Our Partnership Structure" "Extra section 1" \
    "Extra section 60" "Theme 1"
pdf_checks "60 more sections" sections.pdf

# Awkward figures: a change on the previous quarter (Kent Police's first
# quarter, sent in July and superseded by its October return, which
# repeats it), provisional and estimated figures, a disputed one (exit
# 1: E407).
mkdir awkward
cp "$SAMPLES_DIR"/*.xml awkward/
cat >awkward/police-q1.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"
            agency="kent-police" submitted="2016-07-20T10:00:00+01:00">
  <submitter name="Priya Nandakumar" email="p.nandakumar@kent.police.example"/>
  <observations>
    <obs indicator="violent-crime" area="dartford" period="2016-04-01/2016-06-30" value="600"/>
    <obs indicator="violent-crime" area="gravesham" period="2016-04-01/2016-06-30" value="640"/>
    <obs indicator="da-repeat-victimisation" area="dartford" period="2016-04-01/2016-06-30" value="26.5"/>
  </observations>
</submission>
EOF
cat >awkward/police-late.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"
            agency="kent-police" submitted="2016-12-02T10:00:00Z">
  <submitter name="Priya Nandakumar" email="p.nandakumar@kent.police.example"/>
  <observations>
    <obs indicator="victim-based-crime" area="gravesham" period="2015-10-01/2016-09-30" value="7697" status="provisional"/>
    <obs indicator="hate-crimes" area="dartford" period="2016-07-01/2016-09-30" value="40" status="estimated">Estimated pending a data-quality review.</obs>
    <obs indicator="victim-based-crime" area="dartford" period="2014-10-01/2015-09-30" status="missing"/>
  </observations>
</submission>
EOF
cat >awkward/ccg-meam.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"
            agency="dgs-ccg" submitted="2016-11-20T10:00:00Z">
  <submitter name="Zoë Adeyemi" email="zoe@ccg.example"/>
  <observations>
    <obs indicator="meam-referrals" area="dartford" period="2016-07-01/2016-09-30" value="11"/>
  </observations>
</submission>
EOF
run report --kind strategy -o awkward.pdf awkward
expect "awkward figures: written, exit 1 (a dispute)" 1
text awkward.pdf
py contains awkward.pdf.txt \
    "Victim-based crime 7,180 6,783 7,697 p +13.5 72.4" \
    "p provisional; e estimated" \
    "Number of violent crimes Dartford Q2 2016/17 652 +6.7% on Q1 2016/17" \
    "Gravesham Q2 2016/17 618 +3.5% on Q1 2016/17" \
    "27.8% -0.6 pts on Q1 2016/17" \
    "Dartford Q2 2016/17 40 +37.9% on Q1 2016/17 Estimated Estimated pending a data-quality review." \
    "Disputed Disputed: Kent County Council 6; Dartford, Gravesham and Swanley Clinical Commissioning Group 11." \
    "E407"
# A missing figure is a break in the Trends line (tests/unit/test_layout.c
# checks the geometry), said under the charts; the samples have none.
py contains awkward.pdf.txt \
    "Victim-based crime 7,795 missing 8,388 – 80.7" \
    "A break in a line: no figure stands for that year (missing, disputed or not received; see the tables above)."
py absent board.pdf.txt "A break in a line"
py absent strategy.pdf.txt "A break in a line"
pdf_checks awkward awkward.pdf

# --period: the board pack for the first quarter shows its figures.
run report --period 2016-04-01/2016-06-30 -o q1.pdf awkward
expect "--period: written, exit 1 (the dispute)" 1
text q1.pdf
py contains q1.pdf.txt "Quarterly board pack – Q1 2016/17" \
    "April to June 2016." \
    "Number of violent crimes Dartford 611 Q1 2016/17 None Q1 2015/16 – No target Final" \
    "Gravesham 597 Q1 2016/17 None Q1 2015/16 – No target Final"

# A refused file is listed and makes the exit status 1, the PDF is written.
printf 'not xml at all\n' >inbox/broken.xml
run report -o refused.pdf inbox
expect "a refused file: exit 1" 1
text refused.pdf
py contains refused.pdf.txt "Not known broken.xml – – Not used: it holds no submission." \
    "The file broken.xml could not be used: it holds no submission. The coordinator to find out who sent it."
py absent refused.pdf.txt "E104" "refused whole"

# Data quality at scale: errors and warnings beyond CSP_REPORT_LISTED_MAX
# (200) are counted, not listed, and information is only counted; so the
# report does not grow with the discrepancies.
mkdir many
py gen-discrepancies many 250 15
run reconcile -q --out many-pack many
expect "many discrepancies: reconciled, exit 1 (the disputes)" 1
run report --kind strategy -o many-strategy.pdf many
expect "many discrepancies, strategy: written, exit 1" 1
text many-strategy.pdf
py contains many-strategy.pdf.txt \
    "281 discrepancies: 30 errors (a file, figure or update refused, or a figure disputed), 250 warnings (a figure corrected or not from its owner), 1 for information." \
    "By code Code Kind What it means Count" \
    "E407 error disputed Partners' figures disagree and none is used. 30" \
    "W405 warning non-owner-differs A partner's figure differs from the owner's; the owner's is used. 250" \
    "I401 info duplicate-file A file received twice; it counts once. 1" \
    "All 281" \
    "By agency Agency Errors Warnings Information All" \
    "Kent County Council 15 250 0 265" "Kent Police 0 0 1 1" \
    "Dartford, Gravesham and Swanley Clinical Commissioning Group 15 0 0 15" \
    "All agencies 30 250 1 281" \
    "The first 200 of the 280 errors and warnings, by file and line (as on the Discrepancies sheet of the workbook)." \
    "80 more errors and warnings, and the 1 diagnostic for information, are not listed here: every diagnostic is in discrepancies.csv and on the Discrepancies sheet of the workbook."
py listed many-strategy.pdf.txt many-pack/dataset.xml 200
pdf_checks "many discrepancies, strategy" many-strategy.pdf
# The board pack tells each problem once in plain words (a dispute's two
# errors are one problem: 15 disputes and 250 warnings), the first 200,
# then how many more; the summary on page 1 the first few and the page
# of the rest.
run report --kind board -o many-board.pdf many
expect "many discrepancies, board: written, exit 1" 1
text many-board.pdf
py contains many-board.pdf.txt \
    "What is wrong Who must act" \
    "Partners disagree on the figure for number of referrals to the MEAM process in Dartford (January 2013 to September 2016) (Dartford, Gravesham and Swanley Clinical Commissioning Group 20 and Kent County Council 10), so no figure is shown. The partners to agree the figure." \
    "65 more problems are not listed here: every one is on the Discrepancies sheet of the workbook." \
    "Also, for information: 1 figure or file replaced by a later return of the same partner, withdrawn, or received twice; nothing to act on."
py absent many-board.pdf.txt "E407" "W405" "I401" "By code" "Errors and warnings"
pdftotext -raw -f 1 -l 1 many-board.pdf many-page1.txt 2>/dev/null
qpdf --json=latest --json-key=outlines many-board.pdf >many.json 2>/dev/null
py seepage many-page1.txt many.json "Data quality" 262
pdf_checks "many discrepancies, board" many-board.pdf
py outlines many.json "Data quality" "Submissions received" \
    "Problems to resolve"
# Ten times the warnings: the same pages.
mkdir more
py gen-discrepancies more 2500 15
run report -o more.pdf more
expect "ten times the warnings: written, exit 1" 1
text more.pdf
py contains more.pdf.txt \
    "2315 more problems are not listed here"
if [ "$(pages more.pdf)" = "$(pages many-board.pdf)" ]; then
    ok "ten times the warnings: the same $(pages more.pdf) pages"
else
    fail "ten times the warnings: the same pages" \
        "$(pages many-board.pdf) pages, then $(pages more.pdf)"
fi
# Under the cap, every error and warning is listed, with no sentence about
# more.
py contains strategy.pdf.txt "Every error and warning, by file and line." \
    "1 discrepancy: 0 errors" "W409 warning check-failed A figure breaks a rule of the template. 1"
py absent board.pdf.txt "not listed here" "The first 200" "more (see page"

# Submissions received at scale: at most CSP_REPORT_FILES_LISTED_MAX (500)
# files accepted whole are listed, every file with a problem (up to 500
# too), and one sentence counts the rest.  503 small files and a broken
# one.
mkdir files
i=0
while [ $i -lt 503 ]; do
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
        '<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19"' \
        "  agency=\"kent-police\" submitted=\"2016-10-14T09:30:$(printf %02d $((i % 60)))+01:00\">" \
        '  <submitter name="Crime Analyst" email="analyst@example.org"/>' \
        '  <observations>' \
        "    <obs indicator=\"hate-crimes\" area=\"dartford\" period=\"2016-07-01/2016-09-30\" value=\"$i\"/>" \
        '  </observations>' '</submission>' >"files/f$(printf %03d $i).xml"
    i=$((i + 1))
done
: >files/zz-broken.xml
run report -o files.pdf files
expect "504 files: written, exit 1 (refused and conflicting files)" 1
text files.pdf
py contains files.pdf.txt \
    "3 more files (3 used in full, 0 with a problem) are listed on the Submissions sheet of the workbook." \
    "Not known zz-broken.xml – – Not used: it holds no submission."
# (at 9 pt "What it held" wraps before "updates")
n=$(grep -c '^Kent Police 14 October 2016 1 figure, 0 action' files.pdf.txt)
if [ "$n" -eq 500 ]; then
    ok "500 of the 503 files accepted whole are listed"
else
    fail "500 of the 503 files accepted whole are listed" "$n listed"
fi

# --- failures --------------------------------------------------------------------
printf 'old\n' >keep.pdf
mkdir target.pdf
run report -o target.pdf "$SAMPLES_DIR"
expect "the target is a folder: exit 3" 3
if [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q '^csppack: error: report: cannot write target.pdf: ' "$tmp/err"; then
    ok "one clear error line"
else
    fail "one clear error line" "$(cat "$tmp/err")"
fi
[ -d target.pdf ] && [ -z "$(ls -A target.pdf)" ] && ok "the folder is untouched" ||
    fail "the folder is untouched" "$(ls -A target.pdf)"
run report -o no/such/dir/r.pdf "$SAMPLES_DIR"
expect "an impossible path: exit 3" 3
grep -qx 'csppack: error: report: cannot write no/such/dir/r.pdf: cannot create the output folder no/such/dir: No such file or directory' "$tmp/err" &&
    ok "an impossible path: the folder and the system's reason" ||
    fail "an impossible path: the folder and the system's reason" "$(cat "$tmp/err")"
run report -o out/ "$SAMPLES_DIR"
expect "a name ending in /: exit 3" 3
grep -qx 'csppack: error: report: cannot write out/: "out/" is not a file name' "$tmp/err" &&
    ok "a name ending in /: no file name" ||
    fail "a name ending in /: no file name" "$(cat "$tmp/err")"
[ ! -e no ] && ok "nothing created for an impossible path" ||
    fail "nothing created" "$(ls -R no)"
if ls -A | grep -q 'csppack-tmp\|\.tmp-'; then
    fail "no temporary files left" "$(ls -A)"
else
    ok "no temporary files left"
fi
run report -o keep.pdf "$SAMPLES_DIR"
expect "an existing file is replaced" 0
[ "$(head -c 5 keep.pdf)" = "%PDF-" ] && ok "replaced by the PDF" ||
    fail "replaced by the PDF" "still the old content"

# --- interrupted ---------------------------------------------------------------
# SIGINT or SIGTERM while the PDF is written (failshim.so, built by make
# check, raises it there): the run dies of the signal, FILE is as it was
# and no private folder is left beside it.
failshim=$(dirname "$CSPPACK")/tests/functional/failshim.so
if [ -f "$failshim" ]; then
    asan="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
    for spec in fwrite:2:sigint:130 fsync:1:sigterm:143; do
        want=${spec##*:} rule=${spec%:*}
        cp keep.pdf keep.before
        run_env LD_PRELOAD="$failshim" CSP_FAILSHIM="$rule" \
            CSP_FAILSHIM_FILE=keep.pdf ASAN_OPTIONS="$asan" \
            "$CSPPACK" report -q -o keep.pdf "$SAMPLES_DIR"
        expect "$rule: dies of the signal" "$want"
        if cmp -s keep.pdf keep.before && ! ls -A | grep -q 'csppack-tmp'; then
            ok "$rule: the file as it was, no private folder"
        else
            fail "$rule: the file as it was, no private folder" "$(ls -A | tr '\n' ' ')"
        fi
    done
    rm -f keep.before
else
    missing "interrupted" "$failshim (make check builds it)"
fi

# --- usage ---------------------------------------------------------------------
run report --kind leaflet "$SAMPLES_DIR"
expect "--kind leaflet: usage error" 2
run report
expect "no files: usage error" 2
run report -o "" "$SAMPLES_DIR"
expect "-o empty: usage error" 2
run report --period 2016-09-30/2016-07-01 "$SAMPLES_DIR"
expect "--period reversed: usage error" 2
run report --help
expect "--help" 0
grep -q '^Usage: csppack report' "$tmp/out" && ok "--help prints the usage" ||
    fail "--help prints the usage" "no usage line"

test_finish
