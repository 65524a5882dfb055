#!/bin/sh
# PDFs that read right (issue 17, item 3): the text of every PDF csppack
# writes comes out whole, through its ToUnicode maps, in poppler and in
# mupdf, with no warning.  For the board pack and the strategy report of
# the samples (Dartford and Gravesham) and of the second partnership
# (Wyvern Vale), and for a board pack whose marking holds "café":
#
#   - pdftotext prints nothing on stderr (libharu's own ToUnicode made
#     poppler print "Invalid 'begincidrange' operator" on every page);
#   - the text holds the characters the document prints: ’ and – in all,
#     £ in Wyvern Vale's, é in the marked one;
#   - mutool draw -F txt prints no warning but "ICC support is not
#     available" (Debian's mupdf-tools says so for every file) and
#     extracts the same characters as pdftotext (whitespace and hyphens
#     aside: poppler joins words hyphenated at line ends);
#   - qpdf --check passes;
#   - a bad case: the strategy report with its ToUnicode map written as
#     libharu wrote it (begincidrange) makes pdftotext warn.
#
# Environment: CSPPACK, SAMPLES_DIR.  pdftotext, mutool, qpdf and
# /usr/bin/python3 are needed (bootstrap installs them).

. "$(dirname "$0")/lib.sh"
test_setup pdf-reading
PY=/usr/bin/python3
wv=$(dirname "$SAMPLES_DIR")/wyvern-vale
for tool in pdftotext mutool qpdf fix-qdf; do
    if ! command -v $tool >/dev/null 2>&1; then
        missing "pdf-reading" "$tool"
        test_finish
    fi
done

"$CSPPACK" build --out "$tmp/dg" "$SAMPLES_DIR" >/dev/null 2>"$tmp/err" ||
    fail "build the samples" "$(head -2 "$tmp/err" | tr '\n' '|')"
"$CSPPACK" build --template "$wv/strategy.xml" --out "$tmp/wv" "$wv" \
    >/dev/null 2>"$tmp/err" ||
    fail "build wyvern-vale" "$(head -2 "$tmp/err" | tr '\n' '|')"
# "café" is nowhere in the samples: the board pack's marking brings it.
"$CSPPACK" report --marking "OFFICIAL – café" -o "$tmp/marked.pdf" \
    "$SAMPLES_DIR" >/dev/null 2>"$tmp/err" ||
    fail "report --marking café" "$(head -2 "$tmp/err" | tr '\n' '|')"
: >"$tmp/err"

# reads NAME FILE CHARS...: the checks above on FILE.
reads() {
    name=$1
    pdf=$2
    shift 2
    if [ ! -f "$pdf" ]; then
        fail "$name: written" "no $pdf"
        return
    fi
    pdftotext -enc UTF-8 "$pdf" "$tmp/p.txt" 2>"$tmp/p.err"
    if [ -s "$tmp/p.err" ]; then
        fail "$name: pdftotext prints no warning" \
            "$(sort "$tmp/p.err" | uniq -c | head -3 | tr '\n' '|')"
    else
        ok "$name: pdftotext prints no warning"
    fi
    for c in "$@"; do
        if grep -qF "$c" "$tmp/p.txt"; then
            ok "$name: pdftotext extracts $c"
        else
            fail "$name: pdftotext extracts $c" "not in the text"
        fi
    done
    mutool draw -F txt -o "$tmp/m.txt" "$pdf" >"$tmp/m.out" 2>"$tmp/m.err"
    mrc=$?
    grep -v -e '^warning: ICC support is not available$' -e '^page ' \
        "$tmp/m.out" "$tmp/m.err" | sed 's/^[^:]*://' >"$tmp/m.warn"
    if [ $mrc -eq 0 ] && [ ! -s "$tmp/m.warn" ]; then
        ok "$name: mutool prints no warning"
    else
        fail "$name: mutool prints no warning" \
            "exit $mrc: $(head -3 "$tmp/m.warn" | tr '\n' '|')"
    fi
    if "$PY" - "$tmp/p.txt" "$tmp/m.txt" >"$tmp/cmp.out" 2>&1 <<'PYEOF'
import collections, sys
def chars(path):
    with open(path, encoding="utf-8") as f:
        t = f.read()
    return collections.Counter(c for c in t if not c.isspace() and c != "-")
a, b = chars(sys.argv[1]), chars(sys.argv[2])
if a != b:
    print("pdftotext only %r; mutool only %r" %
          (dict(list((a - b).items())[:8]), dict(list((b - a).items())[:8])))
    sys.exit(1)
PYEOF
    then
        ok "$name: mutool extracts the same text"
    else
        fail "$name: mutool extracts the same text" "$(head -c 300 "$tmp/cmp.out")"
    fi
    for c in "$@"; do
        if grep -qF "$c" "$tmp/m.txt"; then
            ok "$name: mutool extracts $c"
        else
            fail "$name: mutool extracts $c" "not in the text"
        fi
    done
    if qpdf --check "$pdf" >"$tmp/q.out" 2>&1; then
        ok "$name: qpdf --check"
    else
        fail "$name: qpdf --check" "$(tail -3 "$tmp/q.out" | tr '\n' '|')"
    fi
}

reads "samples board pack" "$tmp/dg/board-report.pdf" "’" "–"
reads "samples strategy report" "$tmp/dg/strategy-report.pdf" "’" "–"
reads "wyvern-vale board pack" "$tmp/wv/board-report.pdf" "’" "–" "£"
reads "wyvern-vale strategy report" "$tmp/wv/strategy-report.pdf" "’" "–" "£"
reads "marked board pack" "$tmp/marked.pdf" "’" "–" "café"

# The bad case: libharu's begincidrange map in place of ours.
if "$PY" "$here/break_pdf.py" tounicode "$tmp/dg/strategy-report.pdf" \
    "$tmp/bad.pdf" 2>"$tmp/err"; then
    pdftotext "$tmp/bad.pdf" /dev/null 2>"$tmp/p.err"
    if grep -q "begincidrange" "$tmp/p.err"; then
        ok "bad case: a begincidrange ToUnicode map makes pdftotext warn"
    else
        fail "bad case: a begincidrange ToUnicode map makes pdftotext warn" \
            "no warning"
    fi
else
    fail "bad case: break_pdf.py tounicode" "$(head -2 "$tmp/err")"
fi
test_finish
