#!/bin/sh
# The HTML reports in a real browser (issue 17, item 2): headless
# Chromium loads board-report.html and strategy-report.html of the
# samples' pack and of the second partnership's (samples/wyvern-vale),
# at 1280 and 320 px wide, and tests/browser/axe-check.js reports every
# axe-core violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules, any
# sideways scrolling at 320 px and anything the page fetches: there must
# be none.  Full-page screenshots go to tests/functional/html-browser.out/
# under the build folder, PARTNERSHIP/NAME-WIDTH.png, to look at, with
# violations.txt and review.txt (what axe-core could not decide).
#
# The check is itself checked: tests/data/html/clean.html passes, and
# each other page there fails with exactly the violations of its
# NAME.expected; without axe-core, or with a browser that never answers,
# axe-check.js stops with status 2 and says why (and kills the browser).
#
# Needs node, Debian's chromium and axe-core (tests/browser/node_modules,
# or CSPPACK_AXE=/abs/path/axe.min.js): ./bootstrap installs them.  Any
# missing is a failure, never a skip: CI must run this.
#
# Environment: CSPPACK, SAMPLES_DIR, TEST_DATA_DIR, CSPPACK_AXE,
# CSPPACK_CHROMIUM (default /usr/bin/chromium).

. "$(dirname "$0")/lib.sh"
test_setup html-browser
SOURCE_DATE_EPOCH=1477044000
export SOURCE_DATE_EPOCH
wv=$(dirname "$SAMPLES_DIR")/wyvern-vale
CHECK=$here/../browser/axe-check.js
: "${CSPPACK_AXE:=$here/../browser/node_modules/axe-core/axe.min.js}"
: "${CSPPACK_CHROMIUM:=/usr/bin/chromium}"
export CSPPACK_AXE CSPPACK_CHROMIUM
shots=$(pwd)/tests/functional/html-browser.out
fail_lines=40

# --- what the check needs: a failure, with what to do, when missing -----
need=""
command -v node >/dev/null 2>&1 || need="$need node (Debian: nodejs)"
[ -x "$CSPPACK_CHROMIUM" ] || need="$need $CSPPACK_CHROMIUM (Debian: chromium)"
[ -f "$CSPPACK_AXE" ] || need="$need $CSPPACK_AXE (npm axe-core: tests/browser/package.json)"
if [ -n "$need" ]; then
    fail "browser check" "missing:$need; run ./bootstrap (as root), or set CSPPACK_AXE and CSPPACK_CHROMIUM"
    test_finish
fi

# axe LABEL ARGS...: axe-check.js, leaving $rc, $tmp/out and $tmp/err;
# coreutils' timeout only in case its own time-outs fail.
axe() {
    timeout 900 node "$CHECK" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# found: the violations in $tmp/out as "WIDTH RULE SELECTOR", one a line.
found() {
    sed -n 's/^violation: [^ ]* \([0-9]*\) \([^ ]*\) [^ ]* \([^|]*\) | .*$/\1 \2 \3/p' "$tmp/out"
}

# png_width FILE: the width in pixels a PNG file's header gives.
png_width() {
    od -An -tu1 -j16 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'
}

# --- the check is checked: a clean page, and one page per fault ---------
axe "$TEST_DATA_DIR/html/clean.html"
expect "clean.html: no violation, exit 0" 0
exactly "clean.html: the summary line" "$tmp/out" \
    "axe-check: 1 pages at 1280 and 320 px: no violation"
n=0
for want in "$TEST_DATA_DIR"/html/*.expected; do
    page=${want%.expected}.html
    name=$(basename "$page")
    n=$((n + 1))
    axe "$page"
    expect "$name: violations, exit 1" 1
    found >"$tmp/found"
    if cmp -s "$want" "$tmp/found"; then
        ok "$name: exactly $(tr '\n' ';' <"$want")"
    else
        fail "$name: the violations" "$(diff "$want" "$tmp/found" | tr '\n' '|')"
    fi
done
[ "$n" -ge 5 ] && ok "$n faulty pages checked" || fail "faulty pages" "$n found, expected 5"

axe --axe "$tmp/no-axe.js" "$TEST_DATA_DIR/html/clean.html"
expect "no axe-core: exit 2" 2
exactly "no axe-core: says to run bootstrap" "$tmp/err" \
    "axe-check: error: no axe-core at $tmp/no-axe.js (ENOENT): run ./bootstrap, or set CSPPACK_AXE to axe.min.js"

# A browser that never answers: a time-out, and the browser is killed.
printf '#!/bin/sh\necho $$ >"%s"\nexec sleep 300\n' "$tmp/hung.pid" >"$tmp/hung"
chmod +x "$tmp/hung"
axe --chromium "$tmp/hung" --timeout 2 "$TEST_DATA_DIR/html/clean.html"
expect "hung browser: exit 2" 2
exactly "hung browser: a time-out" "$tmp/err" \
    "axe-check: error: starting $tmp/hung: no answer in 2 s"
sleep 1
if [ -s "$tmp/hung.pid" ] && ! kill -0 "$(cat "$tmp/hung.pid")" 2>/dev/null; then
    ok "hung browser: killed"
else
    fail "hung browser: killed" "process $(cat "$tmp/hung.pid" 2>/dev/null) still there"
    kill "$(cat "$tmp/hung.pid" 2>/dev/null)" 2>/dev/null
fi

# --- the reports of both partnerships -----------------------------------
rm -rf "$shots"
for p in "$SAMPLES_DIR" "$wv"; do
    label=$(basename "$p")
    run build --out "$tmp/$label" "$p"
    expect "$label: build exit 0" 0
    : >"$tmp/out"
    : >"$tmp/err"
    pages=""
    for f in board-report.html strategy-report.html; do
        if [ -f "$tmp/$label/$f" ]; then
            pages="$pages $tmp/$label/$f"
        else
            fail "$label: $f" "build wrote no $f"
        fi
    done
    [ -n "$pages" ] || continue
    mkdir -p "$shots/$label"
    # shellcheck disable=SC2086
    axe --out "$shots/$label" $pages
    expect "$label: no violation at 1280 and 320 px, nothing fetched" 0
    cp "$tmp/out" "$shots/$label/violations.txt"
    grep '^review: ' "$tmp/err" >"$shots/$label/review.txt"
    for f in $pages; do
        name=$(basename "$f" .html)
        for w in 1280 320; do
            png=$shots/$label/$name-$w.png
            if [ -f "$png" ] && [ "$(png_width "$png")" = "$w" ]; then
                ok "$label: $name-$w.png, $w px wide"
            else
                fail "$label: $name-$w.png" "no screenshot $w px wide in $shots/$label"
            fi
        done
    done
done

test_finish
