"""How full each page of a PDF report is: a typesetter's first look.

    page_fill.py REPORT.pdf [--header PT] [--footer PT] [--below FRACTION]

For each page, the share of the text area (the page less a running
header band at the top and a footer band at the bottom, in points) that
lies above the lowest word on it, from `pdftotext -bbox` (poppler-utils).
Only words are seen: a chart's axis labels mark its extent, its bars do
not, so a page ending in a chart reads a little emptier than it is.
Pages below FRACTION (default 0.5) are marked; a chapter's last page may
rightly be one of them.  A measuring aid for the layout of the strategy
report, not a test.
"""
import re
import subprocess
import sys


def main():
    args = sys.argv[1:]
    path = args[0]
    opts = dict(zip(args[1::2], args[2::2]))
    header = float(opts.get("--header", 50))
    footer = float(opts.get("--footer", 50))
    below = float(opts.get("--below", 0.5))
    html = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = re.split(r"<page ", html)[1:]
    short = 0
    for n, page in enumerate(pages, 1):
        height = float(re.search(r'height="([0-9.]+)"', page).group(1))
        top, bottom = header, height - footer
        lows = [float(y) for y in re.findall(r'yMax="([0-9.]+)"', page)
                if top < float(y) < bottom]
        fill = (max(lows) - top) / (bottom - top) if lows else 0.0
        mark = "  <- below %d%%" % (below * 100) if fill < below else ""
        short += fill < below
        print("page %2d: %3.0f%%%s" % (n, fill * 100, mark))
    print("%d of %d pages below %d%%" % (short, len(pages), below * 100))


if __name__ == "__main__":
    main()
