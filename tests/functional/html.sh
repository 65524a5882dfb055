#!/bin/sh
# The HTML reports (doc/accessibility.md), of the samples and of the
# second partnership (samples/wyvern-vale):
#   - build writes board-report.html and strategy-report.html;
#   - each parses with html5lib in strict mode without error and has
#     the structure doc/accessibility.md promises (check_html.py): lang
#     en-GB, one h1, no heading level skipped, the skip link first, every
#     table captioned and every th scoped, every chart with a title and a
#     description, a word beside every status mark, no script, nothing
#     fetched; every bookmark of its PDF (qpdf --json) is a heading;
#   - the checker fails a page that breaks those promises;
#   - the same inputs give the same HTML bytes.
#
# Environment: CSPPACK, SAMPLES_DIR.  Needs /usr/bin/python3 with html5lib
# (python3-html5lib) and qpdf.

. "$(dirname "$0")/lib.sh"
test_setup html
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
check=$here/check_html.py
wv=$(dirname "$SAMPLES_DIR")/wyvern-vale
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

if ! "$PY" -c 'import html5lib' 2>/dev/null; then
    missing "the HTML reports parse and have their structure" html5lib
    test_finish
fi
if ! command -v qpdf >/dev/null 2>&1; then
    missing "the HTML reports have the PDFs' bookmarks as headings" qpdf
    test_finish
fi

# build_pack DIR ARGS...: a pack into $tmp/DIR.
build_pack() {
    out=$1
    shift
    "$CSPPACK" build -q --out "$tmp/$out" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

build_pack dg "$SAMPLES_DIR"
expect "samples: build exit 0" 0
build_pack dg2 "$SAMPLES_DIR"
build_pack wv --template "$wv/strategy.xml" "$wv"
expect "wyvern-vale: build exit 0" 0

# (checker sets $p and $f: the loops use other names.)
for pk in dg wv; do
    for kind in board strategy; do
        html=$tmp/$pk/$kind-report.html
        if [ ! -s "$html" ]; then
            fail "$pk: $kind-report.html written" "missing or empty"
            continue
        fi
        qpdf --json --json-key=outlines "$tmp/$pk/$kind-report.pdf" \
            >"$tmp/$pk-$kind.json" 2>/dev/null
        checker "$check" "$html" "$tmp/$pk-$kind.json" ||
            fail "$pk: $kind-report.html checked" "check_html.py: exit $prc"
    done
done

# The board pack's summary cuts a long list short with "and N more (see
# page P)" in the PDF; the HTML has no pages, so it says "and N more.".
if pdftotext "$tmp/wv/board-report.pdf" - 2>/dev/null |
    grep -q 'more (see page [0-9]*)' &&
    grep -q 'and [0-9]* more\.<' "$tmp/wv/board-report.html" &&
    ! grep -q 'see page' "$tmp/wv/board-report.html"; then
    ok "wyvern-vale: the HTML summary names no page number"
else
    fail "wyvern-vale: the HTML summary names no page number" \
        "$(grep -o 'and [0-9]* more[^<]*' "$tmp/wv/board-report.html")"
fi

for k in board strategy; do
    same "samples: the same inputs, the same $k-report.html bytes" \
        "$tmp/dg/$k-report.html" "$tmp/dg2/$k-report.html"
done

# The checker can fail: a copy with a skipped heading level, a th with no
# scope, a mark with no word, an image fetched and a parse error.
sed -e '0,/<h3 id="\([^"]*\)">\([^<]*\)<\/h3>/s//<h5 id="\1">\2<\/h5>/' \
    -e '0,/<th scope="col">/s//<th>/' \
    -e 's|<main id="main">|<main id="main"><img src="http://example.org/a.png" alt="">|' \
    -e '0,/<\/svg>[^<]*<\/td>/s//<\/svg><\/td>/' \
    "$tmp/dg/board-report.html" >"$tmp/bad.html"
"$PY" "$check" "$tmp/bad.html" >"$tmp/bad.out" 2>&1
bad_ok=yes
for want in "no heading level skipped" "has a scope" "has a word" \
    "nothing embedded" "nothing fetched"; do
    grep -q "^FAIL - .*bad.html: .*$want" "$tmp/bad.out" || bad_ok="$want"
done
[ "$bad_ok" = yes ] && ok "the checker fails a broken page" ||
    fail "the checker fails a broken page" "not failed: $bad_ok"
sed 's|<main id="main">|<main id="main"><p>a</b>|' \
    "$tmp/dg/board-report.html" >"$tmp/bad2.html"
"$PY" "$check" "$tmp/bad2.html" >"$tmp/bad.out" 2>&1
grep -q "^FAIL - .*bad2.html: parses without error" "$tmp/bad.out" &&
    ok "the checker fails a page with a parse error" ||
    fail "the checker fails a page with a parse error" "$(head -3 "$tmp/bad.out")"

test_finish
