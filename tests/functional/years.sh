#!/bin/sh
# Kinds of year (template format 2): a partnership whose strategy and key
# findings run in financial years (tests/data/years/financial.xml, with a
# submission that also holds a rolling year ending September and a
# calendar year before the strategy's years):
#
#   - the strategy document's key findings have the columns 2018/19,
#     2019/20, 2020/21 and "% change 2019/20 to 2020/21", never the rolling
#     year, and its cover names the year "2020/21" (pdftotext);
#   - the workbook's Key findings sheet has the same headings, and the
#     Trends chart's axis says "Financial year" (openpyxl, the chart XML);
#   - twelve years of key findings, in two parts across the page;
#   - W411 bounds the figures by the strategy's financial years.
#
# Environment: CSPPACK, TEST_DATA_DIR (default relative to this script).
# Prints "N passed, M failed" last; exits 1 when any failed.

. "$(dirname "$0")/lib.sh"
test_setup years
LC_ALL=C.UTF-8
export LC_ALL
PYTHONIOENCODING=utf-8
export PYTHONIOENCODING
PY=/usr/bin/python3
check=$here/check_report.py
data=$TEST_DATA_DIR/years
tpl=$data/financial.xml

# py ARGS...: run the report checker and count its verdicts.
py() {
    checked "$check" "$@"
}

if ! command -v pdftotext >/dev/null 2>&1; then
    missing "strategy document's text" pdftotext
else
    run report --kind strategy --template "$tpl" -o "$tmp/strategy.pdf" \
        "$data/police.xml"
    expect "report --kind strategy, financial years" 0
    pdftotext -raw "$tmp/strategy.pdf" "$tmp/strategy.txt" 2>/dev/null
    py contains "$tmp/strategy.txt" \
        "Annual report on the strategy 2020/21 Prepared from" \
        "North Category 2018/19 2019/20 2020/21 % change 2019/20 to 2020/21 Per 1,000 pop." \
        "Thefts 900 1,000 1,100 +10.0 11.0 †" \
        "South Category 2018/19 2019/20 2020/21 % change 2019/20 to 2020/21" \
        "Thefts 450 500 400 -20.0 8.0 †"
    # The rolling year (1150, 420) and the calendar year (980) are not
    # key findings; nothing says "year ending".
    py absent "$tmp/strategy.txt" "YE Sept" "1150" "420" "980" \
        "(20 to 21)" "Year ending" "year ending"
fi

# Twelve years (the most a template may ask for): across the page in two
# parts, the earlier six years first, every year shown.
sed 's/years="3"/years="12"/' "$tpl" >"$tmp/twelve.xml"
{
    sed -n '1,/<observations>/p' "$data/police.xml"
    for y in 2009 2010 2011 2012 2013 2014 2015 2016 2017 2018 2019 2020; do
        echo "<obs indicator=\"thefts\" area=\"north\" period=\"$y-04-01/$((y + 1))-03-31\" value=\"$((y - 1000))\"/>"
    done
    echo "</observations></submission>"
} >"$tmp/twelve-police.xml"
if command -v pdftotext >/dev/null 2>&1; then
    run report --kind strategy --template "$tmp/twelve.xml" \
        -o "$tmp/twelve.pdf" "$tmp/twelve-police.xml"
    expect "report --kind strategy, twelve financial years" 0
    pdftotext -raw "$tmp/twelve.pdf" "$tmp/twelve.txt" 2>/dev/null
    py contains "$tmp/twelve.txt" \
        "North Category 2009/10 2010/11 2011/12 2012/13 2013/14 2014/15 Thefts 1,009 1,010 1,011 1,012 1,013 1,014 Category 2015/16 2016/17 2017/18 2018/19 2019/20 2020/21 % change 2019/20 to 2020/21 Per 1,000 pop. Thefts 1,015 1,016 1,017 1,018 1,019 1,020 +0.1"
fi

run workbook --template "$tpl" -o "$tmp/pack.xlsx" "$data/police.xml"
expect "workbook, financial years" 0
if ! "$PY" -c 'import openpyxl' 2>/dev/null; then
    missing "workbook's key findings" openpyxl
elif "$PY" - "$tmp/pack.xlsx" >"$tmp/out" 2>&1 <<'PYEOF'
import re, sys, zipfile
import openpyxl
path = sys.argv[1]
ws = openpyxl.load_workbook(path)["Key findings"]
rows = [r for r in ws.iter_rows(values_only=True)]
want = ("Category", "2018/19", "2019/20", "2020/21",
        "% change 2019/20 to 2020/21", "Per 1,000 pop.")
heads = [r[:6] for r in rows if r and r[0] == "Category"]
assert heads == [want, want], heads
z = zipfile.ZipFile(path)
axes = [re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode())
        for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
assert axes == [["Thefts", "Financial year"]], axes
PYEOF
then
    ok "workbook: financial-year headings and chart axis"
else
    fail "workbook: financial-year headings and chart axis" "see below"
fi

# W411: the strategy's years are 1 April 2019 to 31 March 2022, and the
# key findings look back three years before them.
run reconcile --template "$tpl" --out "$tmp/rec" "$data/police.xml"
expect "reconcile, financial years" 0
if grep -qF "police.xml:17: warning: W411: 1 figure in police.xml is for a period outside 2016-04-01 to 2022-03-31 (the strategy's years, 2019/20 to 2021/22, and the 3 before them that its key findings look back on), at line 17 for 2015-01-01/2015-12-31: check the year" "$tmp/out" &&
    [ "$(grep -c W411 "$tmp/out")" = 1 ]; then
    ok "W411 by the strategy's financial years"
else
    fail "W411 by the strategy's financial years" "not the one expected"
fi

test_finish
