#!/bin/sh
# The shipped samples and templates are valid: every sample on its own and
# the samples folder as a whole, and each bundled strategy template.
#
# Environment: CSPPACK (the program), SAMPLES_DIR (samples/), TEMPLATES_DIR
# (templates/); all default relative to this script.

. "$(dirname "$0")/lib.sh"
test_setup validate-samples

# expect_valid NAME WANT_LINES ARGS...: exit 0, nothing on stderr (but
# the line $want_err, when set), and stdout is exactly WANT_LINES summary
# lines, each saying "valid".
want_err=
expect_valid() {
    name=$1 want=$2
    shift 2
    "$CSPPACK" validate "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -n "$want_err" ] && [ "$(cat "$tmp/err")" = "$want_err" ]; then
        : >"$tmp/err"
    fi
    # The one check build makes of a sample on its own (below).
    lines=$(grep -cv ': warning: W409: ' "$tmp/out")
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit status $rc, expected 0"
    elif [ -s "$tmp/err" ]; then
        fail "$name" "unexpected output on stderr"
    elif [ "$lines" -ne "$want" ]; then
        fail "$name" "$lines lines of output, expected $want summary lines"
    elif grep ': error: ' "$tmp/out" >/dev/null ||
        grep -v ': valid[: ]' "$tmp/out" | grep -v ': warning: W409: ' >/dev/null; then
        fail "$name" "a line that is not a \"valid\" summary"
    else
        ok "$name"
    fi
}

n=0
for f in "$SAMPLES_DIR"/*.xml; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    expect_valid "sample ${f##*/}" 1 "$f"
done
if [ "$n" -eq 0 ]; then
    fail "samples" "no .xml file in $SAMPLES_DIR"
else
    expect_valid "samples folder ($n files)" "$n" "$SAMPLES_DIR"
    # Each file named once in the folder's output, in name order.
    for f in "$SAMPLES_DIR"/*.xml; do
        echo "$SAMPLES_DIR/${f##*/}"
    done >"$tmp/want"
    grep -v ': warning: W409: ' "$tmp/out" | sed 's/: valid.*//' >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then
        ok "samples folder lists every file in name order"
    else
        fail "samples folder lists every file in name order" "differs"
        diff -u "$tmp/want" "$tmp/got" | sed 's/^/    /'
    fi
fi

# validate makes the checks build makes of each file on its own: the
# police sample's printed rate that does not match its counts is W409,
# in the very words build prints (doc/diagnostics.md, W409).
"$CSPPACK" validate "$SAMPLES_DIR/kent-police-2016q2.xml" >"$tmp/out" 2>&1
exactly "validate: the police sample's W409, as build prints it" "$tmp/out" \
"$SAMPLES_DIR/kent-police-2016q2.xml:31: warning: W409: Kent Police's crimes-against-society-rate for dartford, 2015-10-01/2016-09-30 is 5.9 (kent-police-2016q2.xml:31), but crimes-against-society 619 per 1,000 of 103900 population is about 5.9577 (rule: rate per 1,000); 5.9 is not within rounding of it, so csppack's 6.0 is used
$SAMPLES_DIR/kent-police-2016q2.xml: valid: 76 figures and 5 updates"

# The built-in template is the bundled one: samples pass with either.
tpl=$TEMPLATES_DIR/dg-csp-2016-19.xml
if [ -f "$tpl" ]; then
    expect_valid "template dg-csp-2016-19.xml" 1 --template "$tpl"
    if [ "$n" -gt 0 ]; then
        want_err="csppack: template: $tpl, as --template names it"
        expect_valid "samples against --template dg-csp-2016-19.xml" "$n" \
            --template "$tpl" "$SAMPLES_DIR"
        want_err=
    fi
else
    fail "template dg-csp-2016-19.xml" "missing from $TEMPLATES_DIR"
fi
if [ -f "$TEMPLATES_DIR/example-minimal.xml" ]; then
    expect_valid "template example-minimal.xml" 1 \
        --template "$TEMPLATES_DIR/example-minimal.xml"
fi

test_finish
