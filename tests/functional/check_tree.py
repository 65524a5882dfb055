#!/usr/bin/python3
"""Check that the source tree keeps the layers doc/design.md draws.

    check_tree.py TOP

Prints one "ok - CASE" or "FAIL - CASE: why" line per case (the form
lib.sh's checker counts).  The cases:

- every file under src/LAYER/ and include/csppack/LAYER/ includes only
  headers of its own layer or of layers below it (base, model, read,
  reconcile, write, pack, cli, bottom to top);
- inside write/, a writer (a file or a folder directly under write/)
  includes only its own headers and write/common.h: no writer uses
  another;
- the headers' include graph has no cycle;
- every quoted include names a header the tree holds, under csppack/;
- no source file but the generated ones in src/embedded/ is over
  MAX_LINES lines;
- no file uses processor-specific intrinsics.
"""
import os
import re
import sys

LAYERS = ["base", "model", "read", "reconcile", "write", "pack", "cli"]
MAX_LINES = 1200
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
INTRINSICS = re.compile(
    r'#\s*include\s*<(\w*intrin\.h|arm_neon\.h|cpuid\.h)>|__builtin_ia32_|'
    r'\b_mm\d*_\w+\s*\(')

results = []


def case(name, problems):
    if problems:
        shown = "; ".join(problems[:8])
        more = len(problems) - 8
        if more > 0:
            shown += "; and %d more" % more
        results.append("FAIL - %s: %s" % (name, shown))
    else:
        results.append("ok - %s" % name)


def files_under(top, sub, exts):
    out = []
    root = os.path.join(top, sub)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in sorted(filenames):
            if f.endswith(exts):
                out.append(os.path.relpath(os.path.join(dirpath, f), top))
    return out


def place(rel):
    """(layer, writer) of a file given relative to the top, or None."""
    parts = rel.split("/")
    if parts[0] == "src":
        parts = parts[1:]
    elif parts[:2] == ["include", "csppack"]:
        parts = parts[2:]
    else:
        return None
    if parts[0] not in LAYERS:
        return None
    writer = None
    if parts[0] == "write" and len(parts) > 1:
        writer = parts[1]
        if writer.endswith((".c", ".h")):
            writer = writer[:-2]
    return parts[0], writer


def main():
    top = sys.argv[1]
    sources = [f for f in files_under(top, "src", (".c", ".h"))
               if not f.startswith("src/embedded/")]
    headers = files_under(top, "include/csppack", (".h",))
    header_set = set(h[len("include/"):] for h in headers)

    layer_problems, writer_problems, missing, stray = [], [], [], []
    graph = {}
    for f in sources + headers:
        where = place(f)
        if where is None:
            stray.append(f + " is in no layer")
            continue
        layer, writer = where
        with open(os.path.join(top, f), encoding="utf-8") as fh:
            text = fh.read()
        incs = INCLUDE.findall(text)
        if f.startswith("include/"):
            graph[f[len("include/"):]] = [i for i in incs if i in header_set]
        for inc in incs:
            if inc == "config.h":
                continue
            if inc not in header_set:
                missing.append("%s includes \"%s\"" % (f, inc))
                continue
            target = place("include/" + inc)
            if target is None:
                continue
            tlayer, twriter = target
            if LAYERS.index(tlayer) > LAYERS.index(layer):
                layer_problems.append("%s (%s) includes %s (%s)" %
                                      (f, layer, inc, tlayer))
            if (layer == "write" and tlayer == "write" and
                    writer != twriter and twriter != "common"):
                writer_problems.append("%s (writer %s) includes %s" %
                                       (f, writer, inc))
    case("every file sits in a layer", stray)
    case("every include names a header in include/csppack", missing)
    case("no layer includes a header of a layer above it", layer_problems)
    case("no writer includes another writer's header", writer_problems)

    # Cycles in the headers' include graph (depth-first search).
    cycles = []
    state = {}

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif state.get(nxt) is None:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if state.get(node) is None:
            visit(node, [node])
    case("the headers include each other in no cycle", cycles)

    # Each module's .c may be paired with its header; the pairs' uses must
    # not form a cycle either: a .c including b.h and b.c including a.h.
    uses = {}
    for f in sources:
        if not f.endswith(".c"):
            continue
        mod = f[len("src/"):-2]
        with open(os.path.join(top, f), encoding="utf-8") as fh:
            incs = INCLUDE.findall(fh.read())
        uses[mod] = set(i[len("csppack/"):-2] for i in incs
                        if i.startswith("csppack/") and
                        i[len("csppack/"):-2] != mod)
    mutual = sorted("%s <-> %s" % (a, b) for a in uses for b in uses[a]
                    if a < b and b in uses and a in uses[b])
    case("no two modules use each other", mutual)

    long_files = []
    for f in sources + headers:
        with open(os.path.join(top, f), encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        if n > MAX_LINES:
            long_files.append("%s has %d lines" % (f, n))
    case("no source file is over %d lines" % MAX_LINES, long_files)

    intr = []
    for f in sources + headers:
        with open(os.path.join(top, f), encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if INTRINSICS.search(line):
                    intr.append("%s:%d" % (f, no))
    case("no processor-specific intrinsics", intr)

    for r in results:
        print(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
