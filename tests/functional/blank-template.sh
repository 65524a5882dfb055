#!/bin/sh
# Which template a command uses (--template; else one found among the
# inputs; else CSPPACK_TEMPLATE; else the built-in one), the one line that
# names it, two different templates among the inputs refused; and blank
# for another partnership: the partnership-wide figure an agency owns,
# the indicators nobody owns offered to an agency that owns nothing, the
# default period within the strategy's years, blank --all --out DIR, and
# every skeleton checked with the very command it prints.

. "$(dirname "$0")/lib.sh"
test_setup blank-template
data=$TEST_DATA_DIR/blank
unset CSPPACK_TEMPLATE SOURCE_DATE_EPOCH
cd "$tmp" || exit 99
# empty NAME FILE: FILE is empty.
empty() {
    if [ ! -s "$2" ]; then
        ok "$1"
    else
        fail "$1" "$(head -3 "$2" | tr '\n' '|')"
    fi
}
# The skeletons' commands start "csppack": the program under test.
mkdir bin && ln -s "$CSPPACK" bin/csppack
PATH=$tmp/bin:$PATH
export PATH
cp "$data/strategy-2019-22.xml" strategy.xml
cp "$data/strategy-draft.xml" draft.xml
T=csppack
q2=2020-04-01/2020-06-30

# A submission for the 2019-22 strategy: Victim Care's skeleton, filled in.
$T blank --template strategy.xml --agency victim-care --period $q2 2>/dev/null |
    blank_finished 2020-07-01T09:00:00Z |
    sed 's|status="missing">Not yet available.</obs>|value="42"/>|' >vc.xml

# ---- a template in the inbox is the run's template
mkdir inbox
cp strategy.xml inbox/strategy.xml
cp vc.xml inbox/victim-care.xml
run validate inbox
expect "found: validate exit 0" 0
exactly "found: validate names it" "$tmp/err" \
    "csppack: template: inbox/strategy.xml, found among the inputs"
exactly "found: validate checks the submission against it" "$tmp/out" \
    "inbox/strategy.xml: valid strategy template
inbox/victim-care.xml: valid: 1 figure and 0 updates"
run reconcile --out pack inbox
expect "found: reconcile exit 0" 0
exactly "found: reconcile names it, and it is no submission (I116)" "$tmp/err" \
    "csppack: template: inbox/strategy.xml, found among the inputs
inbox/strategy.xml: info: I116: skipped: the strategy template this run uses, not a submission"
if grep -q '^victims-supported,all,2020-04-01,2020-06-30,42,final,victim-care,' pack/observations.csv; then
    ok "found: the partnership-wide figure reconciled"
else
    fail "found: the partnership-wide figure reconciled" "not in observations.csv"
fi
run reconcile -q --out pack-q inbox
empty "found: -q: no line" "$tmp/err"
# Without it, the built-in template refuses the submission.
run validate vc.xml
expect "built-in: the 2019-22 submission refused" 1
empty "built-in: no line names the built-in template" "$tmp/err"

# ---- CSPPACK_TEMPLATE
run_env CSPPACK_TEMPLATE=strategy.xml "$CSPPACK" validate vc.xml
expect "env: exit 0" 0
exactly "env: names it" "$tmp/err" \
    "csppack: template: strategy.xml, as CSPPACK_TEMPLATE names it"
exactly "env: the submission valid" "$tmp/out" "vc.xml: valid: 1 figure and 0 updates"
run_env CSPPACK_TEMPLATE= "$CSPPACK" validate vc.xml
expect "env: empty is the built-in template" 1
run_env CSPPACK_TEMPLATE=no-such.xml "$CSPPACK" validate vc.xml
expect "env: unreadable exit 3" 3
exactly "env: unreadable, said so" "$tmp/err" \
    "csppack: error: cannot read the template no-such.xml (as CSPPACK_TEMPLATE names it): cannot open the file: No such file or directory"

# ---- precedence: --template, then the inputs, then CSPPACK_TEMPLATE
run_env CSPPACK_TEMPLATE=draft.xml "$CSPPACK" reconcile --out pack2 inbox
expect "precedence: inputs over env, exit 0" 0
exactly "precedence: the inputs' template over CSPPACK_TEMPLATE" "$tmp/err" \
    "csppack: template: inbox/strategy.xml, found among the inputs
inbox/strategy.xml: info: I116: skipped: the strategy template this run uses, not a submission"
run_env CSPPACK_TEMPLATE=strategy.xml "$CSPPACK" reconcile --template draft.xml --out pack3 inbox
expect "precedence: --template first, exit 0" 0
exactly "precedence: --template over the inputs' template" "$tmp/err" \
    "csppack: template: draft.xml, as --template names it
inbox/strategy.xml: info: I116: skipped: a strategy template, not a submission (--template names the one this run uses)"

# ---- two templates among the inputs
mkdir two two/later
cp strategy.xml two/strategy.xml
cp draft.xml two/later/strategy.xml
cp vc.xml two/victim-care.xml
for cmd in validate build; do
    run $cmd two
    expect "two: $cmd exit 2" 2
    exactly "two: $cmd refuses them" "$tmp/err" \
        "csppack: error: $cmd: two different strategy templates among the inputs, two/later/strategy.xml and two/strategy.xml; keep one of them, or name the one to use with --template"
    empty "two: $cmd prints nothing else" "$tmp/out"
done
if [ -e pack ] && [ ! -e two/pack ] && [ ! -e pack/board-report.pdf ]; then
    ok "two: nothing written"
else
    fail "two: nothing written" "a pack appeared"
fi
run validate --template draft.xml two/victim-care.xml two/later
expect "two: with --template, exit 0" 0
# Copies of one template are one template.
mkdir copies copies/old
cp strategy.xml copies/a.xml
cp strategy.xml copies/old/a.xml
cp vc.xml copies/victim-care.xml
run reconcile --out pack4 copies
expect "copies: exit 0" 0
exactly "copies: the first used, the copy skipped" "$tmp/err" \
    "csppack: template: copies/a.xml, found among the inputs
copies/a.xml: info: I116: skipped: the strategy template this run uses, not a submission
copies/old/a.xml: info: I116: skipped: a copy of the strategy template this run uses, not a submission"

# A template found that cannot be used stops the run, as with --template.
mkdir broken
sed 's|<title>\(.*\)</title>|<titl>\1</titl>|' strategy.xml >broken/strategy.xml
cp vc.xml broken/victim-care.xml
run reconcile --out pack5 broken
expect "broken: exit 1" 1
exactly "broken: its diagnostic, nothing read" "$tmp/err" \
    "broken/strategy.xml:8: error: E109: the file does not follow the strategy template format: <titl> is not expected here, where the format expects <title>: check its name, its place, and that the element before it is closed
csppack: error: the strategy template broken/strategy.xml cannot be used; run 'csppack validate --template broken/strategy.xml' for details"
if [ ! -e pack5 ]; then ok "broken: nothing written"; else fail "broken: nothing written" "pack5 exists"; fi

# ---- skeletons for another partnership
run blank --template strategy.xml --agency victim-care --period $q2
expect "victim care: exit 0" 0
same "victim care: its partnership-wide figure, the optional ones" \
    "$tmp/out" "$data/victim-care.expected"
exactly "victim care: names the template" "$tmp/err" \
    "csppack: template: strategy.xml, as --template names it"
run_env SOURCE_DATE_EPOCH=1796558400 "$CSPPACK" blank --template strategy.xml --agency riverside-college
expect "college: exit 0" 0
same "college: owns nothing, offered the figures nobody owns, period Q4 2022" \
    "$tmp/out" "$data/riverside-college.expected"
# One optional figure filled in, the others deleted whole, is a valid
# figure.
awk '/Street drinking reports \(count\), Hillford \(optional\) -->/ { print; getline
        print; getline; sub(/status="missing">.*<\/obs>/, "value=\"3\"/>")
        print; next } { print }' "$tmp/out" |
    blank_finished 2023-01-01T09:00:00Z >college.xml
run validate --template strategy.xml college.xml
exactly "college: an optional figure sent" "$tmp/out" "college.xml: valid: 1 figure and 0 updates"

# ---- the default period: the latest quarter ended by today, within the
# strategy's years (2019 to 2022)
for c in "1796558400 2026-12-06 2022-10-01/2022-12-31" \
    "1525176000 2018-05-01 2019-01-01/2019-03-31" \
    "1597492800 2020-08-15 2020-04-01/2020-06-30" \
    "1593518400 2020-06-30 2020-04-01/2020-06-30" \
    "1593432000 2020-06-29 2020-01-01/2020-03-31"; do
    set -- $c
    run_env SOURCE_DATE_EPOCH=$1 "$CSPPACK" blank --template strategy.xml --agency county-police
    if grep -qx "<!-- Submission for County Police, period $3." "$tmp/out"; then
        ok "default period on $2: $3"
    else
        fail "default period on $2: $3" "$(sed -n 2p "$tmp/out")"
    fi
done
run_env SOURCE_DATE_EPOCH=1796558400 "$CSPPACK" blank --agency kfrs
if grep -qx "<!-- Submission for Kent Fire and Rescue Service, period 2019-10-01/2019-12-31." "$tmp/out"; then
    ok "default period of the built-in 2016-19 strategy in 2026: Q4 2019"
else
    fail "default period of the built-in 2016-19 strategy in 2026" "$(sed -n 2p "$tmp/out")"
fi

# ---- blank --all --out DIR
run blank --template strategy.xml --all --out skeletons --period $q2
expect "all: exit 0" 0
exactly "all: one line per file" "$tmp/out" \
    "skeletons/county-police-2020-04-01-2020-06-30.xml: County Police, 4 figures to send, 5 optional, 2 action updates
skeletons/riverside-bc-2020-04-01-2020-06-30.xml: Riverside Borough Council, 1 figure to send, 3 optional, 2 action updates
skeletons/hillford-dc-2020-04-01-2020-06-30.xml: Hillford District Council, 1 figure to send, 3 optional, 2 action updates
skeletons/victim-care-2020-04-01-2020-06-30.xml: Victim Care Riverside and Hillford, 1 figure to send, 3 optional, 0 action updates
skeletons/riverside-college-2020-04-01-2020-06-30.xml: Riverside College, 0 figures to send, 3 optional, 0 action updates"
exactly "all: the files" "$tmp/err" \
    "csppack: template: strategy.xml, as --template names it"
# The police own burglary everywhere (owner=), so they may send the
# partnership's figure, but only an <owner area="all"> makes it owed (as
# the chase list counts): it is among the optional figures.
if grep -B1 '<obs indicator="burglary" area="all"' \
        skeletons/county-police-2020-04-01-2020-06-30.xml |
        grep -q '^    <!-- Burglary offences (count), All areas (the whole partnership) (optional) -->$' &&
    grep -q 'Optional: your figures for the whole partnership' \
        skeletons/county-police-2020-04-01-2020-06-30.xml; then
    ok "all: an owner= agency's figure for the whole partnership is optional"
else
    fail "all: an owner= agency's figure for the whole partnership is optional" \
        "$(grep -B1 'area="all"' skeletons/county-police-2020-04-01-2020-06-30.xml | head -4 | tr '\n' '|')"
fi
if [ "$(ls skeletons | tr '\n' ' ')" = "county-police-2020-04-01-2020-06-30.xml hillford-dc-2020-04-01-2020-06-30.xml riverside-bc-2020-04-01-2020-06-30.xml riverside-college-2020-04-01-2020-06-30.xml victim-care-2020-04-01-2020-06-30.xml " ]; then
    ok "all: five files, nothing else"
else
    fail "all: five files, nothing else" "$(ls skeletons | tr '\n' ' ')"
fi
# The same as printed one by one, but for the file's name in the command.
sed 's|^<?command csppack validate --template strategy.xml FILE?>$|<?command csppack validate --template strategy.xml skeletons/victim-care-2020-04-01-2020-06-30.xml?>|' \
    "$data/victim-care.expected" >want.xml
same "all: victim care's file" skeletons/victim-care-2020-04-01-2020-06-30.xml want.xml
# A file there already: refused, nothing written.
rm skeletons/riverside-bc-2020-04-01-2020-06-30.xml
before=$(file_sums skeletons)
run blank --template strategy.xml --all --out skeletons --period $q2
expect "all: a file there already, exit 2" 2
exactly "all: a file there already, refused" "$tmp/err" \
    "csppack: template: strategy.xml, as --template names it
csppack: error: blank: skeletons/county-police-2020-04-01-2020-06-30.xml exists already; csppack does not write over it: move it away or name another folder with --out; nothing was written"
if [ "$(file_sums skeletons)" = "$before" ]; then
    ok "all: a file there already, nothing written"
else
    fail "all: a file there already, nothing written" "skeletons/ changed"
fi
run blank --all
expect "all: without --out, exit 2" 2
exactly "all: without --out, said so" "$tmp/err" \
    "csppack: error: blank: --all writes one file per agency: name the folder with --out DIR"
run blank --all --agency kfrs --out x
expect "all and --agency, exit 2" 2

# ---- every skeleton checked with the command it prints, run as written
# check NAME FILE: FILE's <?command ...?> line, run by the shell (FILE
# standing for the file), exits 0 and finds the file valid.
check() {
    cmd=$(sed -n 's/^<?command \(.*\)?>$/\1/p' "$2" | sed "s| FILE\$| $2|")
    sh -c "$cmd" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q "^$2: valid: " "$tmp/out"; then
        ok "$1: valid by its own command"
    else
        fail "$1: valid by its own command" "exit $rc: $cmd: $(cat "$tmp/out" "$tmp/err")"
    fi
}
for f in skeletons/*.xml; do
    check "$f" "$f"
done
$T blank --template strategy.xml --agency county-police --period $q2 >police.xml 2>/dev/null
check "printed, --template" police.xml
grep -qx '<?command csppack validate --template strategy.xml FILE?>' police.xml &&
    ok "printed, --template: the command" ||
    fail "printed, --template: the command" "$(grep '^<?command' police.xml)"
CSPPACK_TEMPLATE=strategy.xml $T blank --agency victim-care --period $q2 >vc2.xml 2>/dev/null
check "printed, CSPPACK_TEMPLATE" vc2.xml
$T blank --agency kfrs --period 2016-07-01/2016-09-30 >kfrs.xml 2>/dev/null
check "printed, built-in" kfrs.xml
grep -qx '<?command csppack validate FILE?>' kfrs.xml &&
    ok "printed, built-in: the command names no template" ||
    fail "printed, built-in: the command names no template" "$(grep '^<?command' kfrs.xml)"
# A template path the shell must be told as one word, quote and all.
mkdir "Partner's templates"
cp strategy.xml "Partner's templates/rh 2019-22.xml"
$T blank --template "Partner's templates/rh 2019-22.xml" --agency hillford-dc --period $q2 >hdc.xml 2>/dev/null
grep -qx "<?command csppack validate --template 'Partner'\\\\''s templates/rh 2019-22.xml' FILE?>" hdc.xml &&
    ok "quoted: the command" || fail "quoted: the command" "$(grep '^<?command' hdc.xml)"
check "quoted" hdc.xml
test_finish
