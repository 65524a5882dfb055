#!/bin/sh
# The strategy report words the bundled strategy as the published
# strategy does (issue 19):
#   - every measure of "How will we measure our impact?", transcribed
#     below from the published Dartford and Gravesham Community Safety
#     Strategy 2016-19, is printed whole in the strategy report
#     (pdftotext -raw, whitespace collapsed), and so is every item of
#     the three "Key Delivery Groups" lists;
#   - words the published text does not use are not printed ("A&E
#     attendances", a "G-Safe Board" item, "2017 Refresh:");
#   - the three themes are numbered (PDF "1.", HTML <ol>);
#   - the footnote of "Cross Border Intelligence Sharing" is a footnote
#     (check_footnote.py: a raised, smaller mark; the note at the foot of
#     the same page, its title in an italic face, 8 pt or more), and in
#     HTML a linked mark and a note that links back.
#
# Environment: CSPPACK, SAMPLES_DIR.  Needs pdftotext and pdffonts
# (poppler-utils), mutool (mupdf-tools), /usr/bin/python3.

. "$(dirname "$0")/lib.sh"
test_setup wording
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

if ! command -v pdftotext >/dev/null 2>&1; then
    missing "the strategy report's wording" pdftotext
    test_finish
fi

run report --kind strategy -o "$tmp/s.pdf" "$SAMPLES_DIR"
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/s.pdf" ]; then
    fail "the strategy report" "exit $rc"
    test_finish
fi
# One line of text: cells wrapped over lines join up again.
pdftotext -raw "$tmp/s.pdf" - | tr '\n' ' ' | tr -s ' ' >"$tmp/text"

# printed CASE PHRASE...: each phrase is in the report's text.
printed() {
    what=$1
    shift
    missing_phrases=
    for p in "$@"; do
        grep -qF -- "$p" "$tmp/text" || missing_phrases="$missing_phrases
    $p"
    done
    if [ -z "$missing_phrases" ]; then
        ok "$what"
    else
        fail "$what" "not printed:$missing_phrases"
    fi
}

# absent CASE PHRASE...: no phrase is in the report's text.
absent() {
    what=$1
    shift
    found=
    for p in "$@"; do
        grep -qF -- "$p" "$tmp/text" && found="$found
    $p"
    done
    if [ -z "$found" ]; then
        ok "$what"
    else
        fail "$what" "printed:$found"
    fi
}

# Theme 1, "Protecting Vulnerable People from Harm".
printed "the measures of theme 1 as published" \
    "Number of Domestic Violence Protection Orders issued" \
    "Number of Early Help cases in which domestic abuse is a key issue" \
    "Number of victims accessing One Stop Shop services" \
    "Number of victims assisted through the Sanctuary Scheme" \
    "Measure of repeat victimisation rate for victims of domestic abuse" \
    "Number of missing children receiving a return interview" \
    "Number of licensed premises meeting criteria for the Safer Socialising Award" \
    "Number of violent crimes" \
    "Number of clients engaging with CGL treatment and recovery programmes" \
    "Number of Accident and Emergency attendances as a result of violence" \
    "Number of G-Safe and D-TAC Exclusions"

# Theme 2, "Disrupting and Preventing Organised Acquisitive Crime".
printed "the measures of theme 2 as published" \
    "Number of Organised Crime Groups operating in our area" \
    "Number of prolific offenders (IOM cohort) re-offending" \
    "Number of acquisitive crimes recorded (shoplifting, burglary, burglary other than dwelling)" \
    "Number of drug offences (supply)" \
    "Number of Trading Standards/Immigration visits made to disrupt groups/individuals involved in the sale of counterfeit and illegal tobacco and alcohol"

# Theme 3, "Protecting and Strengthening Communities".
printed "the measures of theme 3 as published" \
    "Number of Prevent/Channel training sessions provided" \
    "Number of Channel referrals made" \
    "Number of criminal damage offences per 1,000 population in key Wards" \
    "Number of deliberate fires by type" \
    "Number of ASB incidents per 1,000 population" \
    "Use of ASB tools and powers (number of CBOs, CPNs and injunction applications)" \
    "Number of Licensing Reviews completed" \
    "Number of noise complaints received by Environmental Health officers" \
    "Number of Deter Young Offenders" \
    "Number of families ‘turned around’ (Troubled Families)" \
    "Number of referrals to the MEAM process" \
    "Number of young people referred to KF&RS Intervention courses (e.g. Climbing Fit, Fighting Fit)" \
    "Number of hate crimes recorded"

# The Key Delivery Groups lists, each item as a bullet.
printed "the key delivery groups as published" \
    "• North Kent Domestic Abuse Forum • G-Safe and D-TAC Boards • Reducing Re-offending Group • Community Cohesion Group (Gravesham) • Drug and Alcohol Action Group • Integrated Offender Management Groups • Dartford Vulnerability Forum" \
    "• Reducing Re-offending Group • Integrated Offender Management (IOM) Group • G-Safe and D-TAC Boards • Dartford Vulnerability Forum" \
    "• Community Cohesion Group (Gravesham) • Drug and Alcohol Action Group • Reducing Re-offending Group • Local ASB Groups • G-Safe and D-TAC Boards"

absent "no wording the published strategy does not use" \
    "A&E attendances" "Number of deliberate fires Dartford" \
    "• ASB incidents per 1,000" "• G-Safe Board" "• D-TAC Board" \
    "2017 Refresh:"

printed "the 2017 refresh is a heading without its colon" "2017 Refresh The Strategic"

# The footnote, in the PDF.
if command -v mutool >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1; then
    checked "$here/check_footnote.py" "$tmp/s.pdf"
else
    missing "the footnote's mark and note" mupdf-tools
fi

printed "the three themes numbered as published (<ol>)" \
    "1. Protecting vulnerable people from harm; 2. Disrupting and preventing organised acquisitive crime; 3. Protecting and strengthening communities."
absent "the three themes not bulleted" "• Protecting vulnerable people from harm"

# The HTML version: the same list as an <ol>.
run report --kind strategy -o "$tmp/s.html" "$SAMPLES_DIR"
if [ "$rc" -ne 0 ] || [ ! -s "$tmp/s.html" ]; then
    fail "the strategy report in HTML" "exit $rc"
    test_finish
fi
tr -d '\n' <"$tmp/s.html" >"$tmp/html"
if grep -qF '<ol><li>Protecting vulnerable people from harm;</li><li>Disrupting and preventing organised acquisitive crime;</li><li>Protecting and strengthening communities.</li></ol>' "$tmp/html"; then
    ok "HTML: the three themes are an <ol>"
else
    fail "HTML: the three themes are an <ol>" "$(grep -o '<[ou]l><li>Protecting vulnerable.\{0,80\}' "$tmp/html")"
fi
if grep -qF '<ul><li>Violent Crime and Domestic Abuse</li>' "$tmp/html"; then
    ok "HTML: a bulleted list stays a <ul>"
else
    fail "HTML: a bulleted list stays a <ul>" "no <ul> for the priorities"
fi

# The footnote, in HTML: the mark links to the note, the note back.
if grep -qF 'similar gangs.’<sup><a href="#fn1" id="fnref1" class="footnote-ref">1</a></sup></p>' "$tmp/html"; then
    ok "HTML: the mark is a superscript link to its note"
else
    fail "HTML: the mark is a superscript link to its note" "$(grep -o 'similar gangs.\{0,120\}' "$tmp/html")"
fi
if grep -qF '<div class="footnotes" role="doc-endnotes"><ol start="1"><li id="fn1">Definition adopted by HM Government, as taken from the Centre for Social Justice’s 2009 report, <cite>Dying to Belong</cite> <a href="#fnref1" aria-label="Back to the text of note 1" class="footnote-back">' "$tmp/html"; then
    ok "HTML: the note follows its section, its title a <cite>, linked back"
else
    fail "HTML: the note follows its section, its title a <cite>, linked back" "$(grep -o '<div class="footnotes".\{0,300\}' "$tmp/html")"
fi

test_finish
