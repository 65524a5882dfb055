#!/bin/sh
# csppack blank: every agency's skeleton is a valid submission; filled in,
# it reconciles (the round trip a partner makes); bad arguments exit 2.

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
    ! grep -q 'area="gravesham"' "$tmp/dartford-bc.xml"; then
    ok "per-area owner gets only its own borough"
else
    fail "per-area owner gets only its own borough" "wrong areas"
fi

# Round trip: fill in the KF&RS skeleton as a partner would (a value for
# every figure, the commented updates switched on), then reconcile it.
sed -e 's|status="missing">Not yet available.</obs>|value="7"/>|' \
    -e 's|<update ref="\([0-9.]*\)" status="on-track"|<update ref="\1" status="at-risk"|' \
    -e '/^    <update /{s/^    /    -->\n    /;n;d;}' \
    "$tmp/kfrs.xml" >"$tmp/kfrs-filled.xml"
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
