#!/bin/sh
# Every heading and label the reports print is template text: a pack built
# from tests/data/labels/template.xml (example-minimal with a <label> of
# its own wording for every key) shows that wording wherever the same
# template without its <labels> shows the default, and the default nowhere
# (check_labels.py).  The keys and defaults are read from
# include/csppack/model/labels.h, so a new label is checked as soon as it
# is added there, and the test template must label it.
. "$(dirname "$0")/lib.sh"
test_setup labels
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
PY=/usr/bin/python3
data=$TEST_DATA_DIR/labels
header=$top/include/csppack/model/labels.h

# The workbook chart's axis titles: this pack has one year, so no chart;
# test_keyfindings checks the template's wording of all three.
# html-version: printed when the pack writes the HTML versions (issue 17).
pending="chart-years chart-financial-years chart-calendar-years html-version"

for tool in pdftotext pdfinfo; do
    if ! command -v $tool >/dev/null 2>&1; then
        missing "labels" "$tool"
        test_finish
    fi
done

# The same template without its <labels>: every key's default.
sed '/<labels>/,/<\/labels>/d' "$data/template.xml" >"$tmp/defaults.xml"
if grep -q '<label ' "$tmp/defaults.xml"; then
    fail "defaults template" "a <label> is left in it"
fi

run build --template "$tmp/defaults.xml" --out "$tmp/defaults" "$data/inbox"
expect "build with the default wording" 0
run build --template "$data/template.xml" --out "$tmp/labels" "$data/inbox"
expect "build with the template's wording" 0

# shellcheck disable=SC2086 # the pending keys are words
if ! checker "$here/check_labels.py" "$header" "$data/template.xml" \
    "$tmp/defaults" "$tmp/labels" $pending; then
    fail "check_labels.py" "exited $prc"
fi

# The bundled template draws the priorities diagram where its text
# introduces it (tests/functional/diagrams.sh), which stands for the
# priority matrix: its title is not printed.
run build --out "$tmp/builtin" "$SAMPLES_DIR"
if pdftotext -raw "$tmp/builtin/strategy-report.pdf" - 2>/dev/null |
    grep -q 'How the Strategic Assessment priorities feed the three themes'; then
    fail "the bundled template's priority matrix" "printed beside its diagram"
else
    ok "the bundled template's priority matrix: its diagram stands for it"
fi
if pdftotext -raw "$tmp/defaults/strategy-report.pdf" - 2>/dev/null |
    grep -q 'priorities feed the three themes'; then
    fail "no number of themes in code" "one theme, and the default says three"
else
    ok "no number of themes in code"
fi
test_finish
