#!/usr/bin/python3
"""Checks of csppack's HTML reports (write/html), for html.sh.

  check_html.py HTML [OUTLINES_JSON]

Parses HTML with html5lib in strict mode (any parse error fails), then
checks what doc/accessibility.md promises: lang en-GB, one h1, headings
that skip no level, the skip link first among what takes focus and
pointing at <main id="main">, unique ids and links that resolve, a
caption on every table and a scope on every th, a title and a desc on
every chart image, a word beside every status mark, no script and
nothing fetched.  With OUTLINES_JSON (qpdf --json --json-key=outlines of
the PDF), every bookmark of the PDF is a heading of the HTML (but the
cover's, the first on page 1, which the h1 stands for).

Every check prints "ok - NAME" or "FAIL - NAME: why".
"""
import json
import re
import sys

import html5lib

NAME = ""


def verdict(case, good, why=""):
    if good:
        print(f"ok - {NAME}: {case}")
    else:
        print(f"FAIL - {NAME}: {case}: {why}")


def local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text(el):
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


def walk(el):
    yield el
    for c in el:
        yield from walk(c)


def outline_titles(items):
    for o in items:
        yield o["title"]
        yield from outline_titles(o.get("kids", []))


def main():
    global NAME
    path = sys.argv[1]
    NAME = "/".join(path.split("/")[-2:])
    data = open(path, "rb").read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        root = parser.parse(data)
    except html5lib.html5parser.ParseError as e:
        verdict("parses without error (html5lib, strict)", False, str(e))
        return
    verdict("parses without error (html5lib, strict)", not parser.errors,
            str(parser.errors[:3]))
    verdict("starts <!DOCTYPE html>", data.startswith(b"<!DOCTYPE html>\n"),
            data[:40])
    verdict("lang en-GB", root.get("lang") == "en-GB", root.get("lang"))
    els = list(walk(root))
    tags = [local(e.tag) for e in els]

    heads = [(int(local(e.tag)[1]), text(e)) for e in els
             if re.fullmatch(r"h[1-6]", local(e.tag))]
    verdict("one h1", sum(1 for lv, _ in heads if lv == 1) == 1,
            [t for lv, t in heads if lv == 1])
    skips = [f"h{a} then h{b} ({t})"
             for (a, _), (b, t) in zip(heads, heads[1:]) if b > a + 1]
    verdict("no heading level skipped", heads and heads[0][0] == 1
            and not skips, skips[:3] or heads[:1])

    body = next(e for e in els if local(e.tag) == "body")
    focusable = [e for e in walk(body)
                 if (local(e.tag) == "a" and e.get("href") is not None)
                 or e.get("tabindex") is not None
                 or local(e.tag) in ("button", "input", "select",
                                     "textarea")]
    first = focusable[0] if focusable else None
    main_el = [e for e in els if local(e.tag) == "main"]
    verdict("the skip link is the first focusable element",
            first is not None and first.get("href") == "#main"
            and text(first) == "Skip to main content",
            first is not None and (first.get("href"), text(first)))
    verdict("one <main id=\"main\">", len(main_el) == 1
            and main_el[0].get("id") == "main", len(main_el))

    ids = [e.get("id") for e in els if e.get("id") is not None]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    verdict("ids unique", not dup, dup[:5])
    idset = set(ids)
    bad = [e.get("href") for e in els if local(e.tag) == "a"
           and e.get("href") is not None
           and e.get("href")[1:] not in idset]
    verdict("every link goes to an id of the page", not bad, bad[:5])
    refs = [r for e in els
            for a in ("aria-labelledby", "aria-describedby")
            for r in (e.get(a) or "").split() if r not in idset]
    verdict("every aria reference names an id", not refs, refs[:5])

    tables = [e for e in els if local(e.tag) == "table"]
    nocap = [i for i, t in enumerate(tables)
             if not len(t) or local(t[0].tag) != "caption" or not text(t[0])]
    verdict(f"every table ({len(tables)}) has a caption first", not nocap,
            nocap[:5])
    ths = [e for e in els if local(e.tag) == "th"]
    noscope = [text(e) for e in ths if e.get("scope") not in ("col", "row")]
    verdict(f"every th ({len(ths)}) has a scope", not noscope, noscope[:5])
    wraps = [e for e in els if "table-wrap" in (e.get("class") or "")]
    verdict("every table sits in a labelled region that takes focus",
            len(wraps) == len(tables) and all(
                w.get("role") == "region" and w.get("tabindex") == "0"
                and w.get("aria-labelledby") for w in wraps),
            f"{len(wraps)} regions, {len(tables)} tables")

    charts = [e for e in els if local(e.tag) == "svg"
              and e.get("role") == "img"]
    badchart = [i for i, c in enumerate(charts)
                if not any(local(k.tag) == "title" and text(k) for k in c)
                or not any(local(k.tag) == "desc" and text(k) for k in c)]
    verdict(f"every chart ({len(charts)}) has a title and a desc",
            not badchart, badchart[:5])
    figs = [e for e in els if local(e.tag) == "figure"
            and "diagram" not in (e.get("class") or "").split()]
    diagrams = [e for e in els if local(e.tag) == "figure"
                and "diagram" in (e.get("class") or "").split()]
    verdict(f"every diagram ({len(diagrams)}) is a figure with a caption "
            "first and its boxes as a list",
            all(len(f) and local(f[0].tag) == "figcaption" and text(f[0])
                and any(local(x.tag) in ("ul", "ol") and text(x)
                        for x in walk(f)) for f in diagrams),
            len(diagrams))
    verdict("every chart is a figure with a caption first and its "
            "figures as a table", len(figs) == len(charts) and all(
                any(local(x.tag) == "table" for x in walk(f))
                and local(f[0].tag) == "figcaption" for f in figs),
            f"{len(figs)} figures, {len(charts)} charts")

    # A mark is an aria-hidden svg; a word must follow it in its parent.
    parent = {c: p for p in els for c in p}
    marks = [e for e in els if local(e.tag) == "svg"
             and "mark" in (e.get("class") or "").split()]
    wordless = []
    for m in marks:
        p = parent[m]
        if m.get("aria-hidden") != "true" or not text(p):
            wordless.append(text(p) or "(empty)")
    verdict(f"every status mark ({len(marks)}) is hidden and has a word",
            not wordless, wordless[:5])

    forbidden = sorted({t for t in tags if t in (
        "script", "link", "img", "iframe", "object", "embed", "base",
        "video", "audio", "source", "form")})
    verdict("no script, nothing embedded or linked", not forbidden,
            forbidden)
    ext = [(local(e.tag), k, v) for e in els for k, v in e.attrib.items()
           if local(k) in ("href", "src", "srcset", "action", "data")
           and not v.startswith("#")]
    styles = " ".join(text(e) for e in els
                      if local(e.tag) == "style") + " ".join(
        e.get("style") or "" for e in els)
    verdict("nothing fetched (only #fragment links, no url() or @import)",
            not ext and "url(" not in styles and "@import" not in styles,
            ext[:3])

    if len(sys.argv) > 2:
        outlines = json.load(open(sys.argv[2], encoding="utf-8"))["outlines"]
        titles = list(outline_titles(outlines))
        htexts = {t for _, t in heads}
        # The cover's bookmark (the first, on page 1, when it is no
        # heading) stands for the page's title, the h1.
        cover = (outlines[0]["title"] if outlines
                 and outlines[0].get("destpageposfrom1") == 1 else None)
        lost = [t for t in titles
                if re.sub(r"\s+", " ", t).strip() not in htexts
                and t != cover]
        verdict(f"every PDF bookmark ({len(titles)}) is a heading",
                titles and not lost, lost[:5])


if __name__ == "__main__":
    main()
