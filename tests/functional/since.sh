#!/bin/sh
# What changed since the last pack (issue 15, item 5), on the samples:
#
#   - a first build of the quarter into pack/ from the samples without
#     the CCG's file: dataset.xml names its pack's period and has no
#     <revisions>;
#   - then the CCG's file and a resubmission from Kent Police
#     (tests/data/since: violent crime in Dartford 652 -> 671 with a
#     note, Gravesham's 618 sent again as 618.0, hate crimes in Gravesham
#     withdrawn, action 2.10 at risk -> off track), built into the same
#     pack/: the exact lines on the terminal, the exact <revisions>, the
#     superseded claims kept in dataset.xml with value, agency, file,
#     submitted and note;
#   - --since DIR gives the same pack as the one found in pack/, and the
#     same bytes twice; build, report, workbook and reconcile take it;
#   - a --since that cannot be read (missing, another strategy's, not
#     XML, a DOCTYPE, a submission) stops the run with the exact
#     diagnostic and exit 2; another strategy's dataset found in pack/ is
#     a warning, and the pack is built without comparing.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR.

. "$(dirname "$0")/lib.sh"
test_setup since
unset SOURCE_DATE_EPOCH
data=$TEST_DATA_DIR/since

# csp ARGS...: csppack in $tmp (so that paths in messages are short).
csp() {
    (cd "$tmp" && exec "$CSPPACK" "$@") >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# revisions FILE: the <revisions> element of a dataset.xml.
revisions() {
    awk '/^  <revisions.*\/>$/ { print; next }
         /^  <revisions/ { on = 1 }
         on { print }
         /^  <\/revisions>/ { on = 0 }' "$1"
}

mkdir "$tmp/in" && cp "$SAMPLES_DIR"/*.xml "$tmp/in/" || exit 99
ccg=$(cd "$tmp/in" && ls dgs-ccg-*.xml)
mv "$tmp/in/$ccg" "$tmp/" || exit 99

# --- the first pack ------------------------------------------------------
csp build --out pack in
expect "first build" 0
if grep -q '^<dataset [^>]* pack-period="2016-07-01/2016-09-30">$' \
    "$tmp/pack/dataset.xml"; then
    ok "dataset.xml names its pack's period"
else
    fail "dataset.xml names its pack's period" "$(sed -n 2p "$tmp/pack/dataset.xml")"
fi
if grep -q '<revisions' "$tmp/pack/dataset.xml" ||
    grep -q 'revised since' "$tmp/err"; then
    fail "no previous pack, no revisions" "found some"
else
    ok "no previous pack, no revisions"
fi
cp -R "$tmp/pack" "$tmp/first" && cp -R "$tmp/in" "$tmp/in.first" || exit 99

# --- the resubmission, built into the same folder ------------------------
cp "$tmp/$ccg" "$data/kent-police-2016q2-revised.xml" "$tmp/in/" || exit 99
csp build --out pack in
expect "second build into the same folder" 0
sed -n '/^csppack: revised since/,$p' "$tmp/err" >"$tmp/said"
exactly "the terminal says what changed" "$tmp/said" \
"csppack: revised since the last pack (July to September 2016): 2 figures, 5 action statuses
  Number of hate crimes recorded, Gravesham, July to September 2016: 47 -> nothing stands
  Number of violent crimes, Dartford, July to September 2016: 652 -> 671 (Kent Police, submitted 18 November 2016; Refreshed from the crime recording system in November.)
  action 1.14: not updated -> on track (Dartford, Gravesham and Swanley Clinical Commissioning Group, as of 30 September 2016)
  action 1.15: not updated -> at risk (Dartford, Gravesham and Swanley Clinical Commissioning Group, as of 30 September 2016)
  action 2.4: not updated -> on track (Dartford, Gravesham and Swanley Clinical Commissioning Group, as of 30 September 2016)
  action 2.10: at risk -> off track (Kent Police, as of 30 September 2016)
  action 3.7: not updated -> on track (Dartford, Gravesham and Swanley Clinical Commissioning Group, as of 30 September 2016)"
revisions "$tmp/pack/dataset.xml" >"$tmp/said"
exactly "dataset.xml lists the revisions and status changes" "$tmp/said" \
'  <revisions previous-period="2016-07-01/2016-09-30" figures="2" statuses="5">
    <revision indicator="hate-crimes" area="gravesham" start="2016-07-01" end="2016-09-30" old-status="final" old-value="47" old-decimals="0" old-agency="kent-police" status="none"/>
    <revision indicator="violent-crime" area="dartford" start="2016-07-01" end="2016-09-30" old-status="final" old-value="652" old-decimals="0" old-agency="kent-police" status="final" value="671" decimals="0" agency="kent-police" submitted="2016-11-18T10:00:00Z">
      <note>Refreshed from the crime recording system in November.</note>
    </revision>
    <status-change ref="1.14" status="on-track" as-of="2016-09-30"/>
    <status-change ref="1.15" status="at-risk" as-of="2016-09-30"/>
    <status-change ref="2.4" status="on-track" as-of="2016-09-30"/>
    <status-change ref="2.10" old-status="at-risk" old-as-of="2016-09-30" status="off-track" as-of="2016-09-30"/>
    <status-change ref="3.7" status="on-track" as-of="2016-09-30"/>
  </revisions>'

# The superseded claims, without the hash and line of the sample file
# (which the samples' history moves).
grep -A1 'role="superseded"' "$tmp/pack/dataset.xml" |
    sed 's/ sha256="[0-9a-f]*"//; s/ line="[0-9]*"//' >"$tmp/said"
exactly "superseded claims are kept with value, agency, file, submitted" \
    "$tmp/said" \
'      <claim agency="kent-police" value="47" decimals="0" status="final" submitted="2016-10-21T11:40:00+01:00" file="kent-police-2016q2.xml" role="superseded">
        <note>Includes the rise in reports in the weeks following the EU referendum.</note>
--
      <claim agency="kent-police" value="652" decimals="0" status="final" submitted="2016-10-21T11:40:00+01:00" file="kent-police-2016q2.xml" role="superseded"/>
    </figure>'
# Gravesham's 618 sent again as 618.0 is a restatement: counted (I402),
# not kept.
if grep -q 'value="618" decimals="0" status="final" submitted="2016-10-21T11:40:00+01:00" file="kent-police-2016q2.xml"[^>]*role="superseded"' \
    "$tmp/pack/dataset.xml"; then
    fail "a restatement is not kept" "618 is kept as superseded"
else
    ok "a restatement is not kept"
fi

# --- --since gives the same, and the same bytes twice ---------------------
csp build --out pack2 --since first in
expect "build --since" 0
cp "$tmp/err" "$tmp/err.since"
same "--since gives the dataset of the previous pack found in the folder" \
    "$tmp/pack/dataset.xml" "$tmp/pack2/dataset.xml"
file_sums "$tmp/pack" >"$tmp/sums1"
file_sums "$tmp/pack2" >"$tmp/sums2"
same "--since gives the same pack" "$tmp/sums1" "$tmp/sums2"
csp build --out pack3 --since first/ in
file_sums "$tmp/pack3" >"$tmp/sums3"
same "the same inputs and previous pack give the same bytes" \
    "$tmp/sums2" "$tmp/sums3"
same "the same terminal lines" "$tmp/err.since" "$tmp/err"

csp reconcile --out data --since first in
expect "reconcile --since" 0
revisions "$tmp/data/dataset.xml" >"$tmp/r1"
revisions "$tmp/pack/dataset.xml" >"$tmp/r2"
same "reconcile --since lists the same revisions" "$tmp/r1" "$tmp/r2"
for cmd in "report -o r.pdf" "workbook -o w.xlsx" "reconcile --out data"; do
    # shellcheck disable=SC2086
    csp $cmd --since first in
    sed -n '/^csppack: revised since/,$p' "$tmp/err" >"$tmp/said"
    sed -n '/^csppack: revised since/,$p' "$tmp/err.since" >"$tmp/want2"
    if [ "$rc" -eq 0 ] && cmp -s "$tmp/said" "$tmp/want2"; then
        ok "${cmd%% *} --since prints what changed"
    else
        fail "${cmd%% *} --since prints what changed" "exit $rc"
    fi
done

# A version 1 dataset (an older csppack's: no pack-period, no superseded
# claims) is read as a previous pack too; its period is not known.
mkdir "$tmp/v1" || exit 99
sed '2s/ version="[0-9]*"/ version="1"/; 2s/ pack-period="[^"]*"//' \
    "$tmp/first/dataset.xml" >"$tmp/v1/dataset.xml"
csp build --out pack4 --since v1 in
expect "build --since a version 1 dataset" 0
sed -n '/^csppack: revised since/,$p' "$tmp/err.since" |
    sed '1s/ (July to September 2016)//' >"$tmp/want2"
sed -n '/^csppack: revised since/,$p' "$tmp/err" >"$tmp/said"
same "a version 1 dataset gives the same revisions" "$tmp/want2" "$tmp/said"

# --- the same files built again: the same pack, the same revisions ------
# (the pack in the folder was built from exactly these files, so the run
# is compared with what that pack was compared with, not with itself)
cp -R "$tmp/pack" "$tmp/second" || exit 99
cp "$tmp/err.since" "$tmp/err.second"
csp build --out pack in
expect "third build into the same folder, from the same files" 0
file_sums "$tmp/pack" >"$tmp/sums1"
file_sums "$tmp/second" >"$tmp/sums2"
same "building again gives the same bytes, revisions and all" \
    "$tmp/sums2" "$tmp/sums1"
same "and the same terminal lines" "$tmp/err.second" "$tmp/err"
# The first pack built again: it was compared with nothing, so again.
csp build --out first in.first
expect "the first pack built again" 0
if grep -q '<revisions' "$tmp/first/dataset.xml" ||
    grep -q 'revised since' "$tmp/err"; then
    fail "a first pack built again still has no revisions" "found some"
else
    ok "a first pack built again still has no revisions"
fi
# One more file: compared with the second pack itself.
sed 's/value="671"/value="672"/; s/2016-11-18T10:00:00Z/2016-11-19T10:00:00Z/' \
    "$data/kent-police-2016q2-revised.xml" >"$tmp/in/kp-again.xml" || exit 99
csp build --out pack in
sed -n '/^csppack: revised since/,$p' "$tmp/err" >"$tmp/said"
exactly "a new file: compared with the pack before it" "$tmp/said" \
"csppack: revised since the last pack (July to September 2016): 1 figure, 0 action statuses
  Number of violent crimes, Dartford, July to September 2016: 671 -> 672 (Kent Police, submitted 19 November 2016; Refreshed from the crime recording system in November.)"
rm -f "$tmp/in/kp-again.xml"

# --- a --since that cannot be read ----------------------------------------
# refused CASE DIR MESSAGE: build --since DIR exits 2 with MESSAGE alone,
# writing nothing.
refused() {
    rm -rf "$tmp/none"
    csp build --out none --since "$2" in
    printf '%s\n' "$3" >"$tmp/want"
    if [ "$rc" -eq 2 ] && cmp -s "$tmp/want" "$tmp/err" &&
        [ ! -e "$tmp/none" ]; then
        ok "$1"
    else
        fail "$1" "exit $rc; $(cat "$tmp/err")"
    fi
}
refused "--since a missing folder" nowhere \
    'nowhere/dataset.xml: error: cannot open the file: No such file or directory'
mkdir "$tmp/foreign" "$tmp/broken" "$tmp/dtd" "$tmp/sub" || exit 99
sed 's/ strategy="dg-csp-2016-19"/ strategy="other-csp"/' \
    "$tmp/first/dataset.xml" >"$tmp/foreign/dataset.xml"
refused "--since another strategy's pack" foreign \
    'foreign/dataset.xml: error: it is the pack of another strategy ("other-csp"), not of dg-csp-2016-19'
printf '<?xml version="1.0"?>\n<dataset xmlns="urn:csppack:dataset:1" version="1" strategy="dg-csp-2016-19">\n  <title>A pack cut short</title>\n' \
    >"$tmp/broken/dataset.xml"
refused "--since a dataset cut short" broken \
    'broken/dataset.xml: error: it is not a dataset csppack wrote: line 3: the file is not well-formed XML: the file ends before <dataset> is closed: add </dataset> at its end (or the file was cut short: send it whole)'
printf '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY e "x">]>\n<dataset xmlns="urn:csppack:dataset:1" version="1" strategy="dg-csp-2016-19">&e;</dataset>\n' \
    >"$tmp/dtd/dataset.xml"
refused "--since a dataset with entities" dtd \
    'dtd/dataset.xml: error: it is not a dataset csppack wrote: line 2: the file has a DOCTYPE declaration; csppack refuses DTDs and entities: remove the <!DOCTYPE ...> line'
cp "$tmp/in/$ccg" "$tmp/sub/dataset.xml" || exit 99
refused "--since a submission" sub \
    'sub/dataset.xml: error: it is not a dataset csppack wrote: line 5: the root element is <submission> in namespace "urn:csppack:submission:1"; a dataset starts with <dataset xmlns="urn:csppack:dataset:1">'
for cmd in "report -o r.pdf" "workbook -o w.xlsx" "reconcile --out data"; do
    # shellcheck disable=SC2086
    csp $cmd --since nowhere in
    if [ "$rc" -eq 2 ] && [ "$(cat "$tmp/err")" = \
        'nowhere/dataset.xml: error: cannot open the file: No such file or directory' ]; then
        ok "${cmd%% *} --since a missing folder"
    else
        fail "${cmd%% *} --since a missing folder" "exit $rc"
    fi
done
csp build --out none --since= in
expect "--since with no folder" 2
exactly "--since with no folder: the message" "$tmp/err" \
    'csppack: error: build: --since needs a folder name'
csp validate --since first in
expect "validate has no --since" 2

# --- another strategy's pack in the output folder: a warning --------------
cp "$tmp/foreign/dataset.xml" "$tmp/pack/dataset.xml" || exit 99
csp build --out pack in
expect "build over another strategy's pack" 0
grep -v '^csppack: board pack period' "$tmp/err" >"$tmp/said"
exactly "another strategy's pack in the folder is not compared" "$tmp/said" \
    'pack/dataset.xml: warning: it is the pack of another strategy ("other-csp"), not of dg-csp-2016-19; the new pack is not compared with it'
if grep -q '<revisions' "$tmp/pack/dataset.xml" ||
    ! grep -q 'strategy="dg-csp-2016-19"' "$tmp/pack/dataset.xml"; then
    fail "the pack is built without comparing" "revisions, or not replaced"
else
    ok "the pack is built without comparing"
fi

# --- --marking -------------------------------------------------------------
csp build --out none --marking "" in
expect "--marking with no text" 2
exactly "--marking with no text: the message" "$tmp/err" \
    'csppack: error: build: --marking needs a value'

test_finish
