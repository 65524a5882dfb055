#!/usr/bin/python3
"""Check that the source tree keeps the layers doc/design.md draws.

    check_tree.py TOP [BUILDDIR]

Prints one "ok - CASE" or "FAIL - CASE: why" line per case (the form
lib.sh's checker counts).  The cases:

- every file under src/LAYER/ and include/csppack/LAYER/ includes only
  headers of its own layer or of layers below it (base, model, read,
  reconcile, write, pack, cli, bottom to top);
- inside write/, a writer (a file or a folder directly under write/)
  includes only its own headers, write/common.h and write/doc.h: no
  writer uses another;
- the headers' include graph has no cycle;
- every quoted include names a header the tree holds, under csppack/;
- no source file but the generated ones in src/embedded/ is over
  MAX_LINES lines;
- no file uses processor-specific intrinsics;
- with BUILDDIR (where make left src/LAYER/NAME.o), the same at the level
  of calls: from nm, file A uses file B when A needs a symbol B defines;
  no file uses one of a higher layer or another writer's, and no files
  use each other round a loop.
"""
import subprocess
import os
import re
import sys

LAYERS = ["base", "model", "read", "reconcile", "write", "pack", "cli"]
# The parts of write/ every writer may use: the display of values
# (common) and a report's content as a document (doc).
SHARED_WRITERS = ("common", "doc")
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
                    writer != twriter and twriter not in SHARED_WRITERS):
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

    if len(sys.argv) > 2:
        calls(sys.argv[2])

    for r in results:
        print(r)
    return 0


def nm(args, obj):
    out = subprocess.run(["nm"] + args + [obj], capture_output=True,
                         text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def calls(build):
    """The layer and loop checks over the objects' symbols."""
    objs = [o for o in files_under(build, "src", (".o",))
            if not o.startswith("src/embedded/")]
    if not objs:
        case("the objects were built (make)", ["no src/LAYER/NAME.o in " +
                                               build])
        return
    defined, needed = {}, {}
    for o in objs:
        src = o[:-2] + ".c"
        path = os.path.join(build, o)
        for sym in nm(["--defined-only", "--extern-only"], path):
            defined.setdefault(sym, set()).add(src)
        needed[src] = set(nm(["--undefined-only"], path))
    uses = {}
    for src, syms in needed.items():
        uses[src] = sorted(set(d for sym in syms for d in
                               defined.get(sym, ()) if d != src))
    upward, across = [], []
    for src, targets in sorted(uses.items()):
        layer, writer = place(src)
        for t in targets:
            tlayer, twriter = place(t)
            if LAYERS.index(tlayer) > LAYERS.index(layer):
                upward.append("%s calls into %s" % (src, t))
            if (layer == "write" and tlayer == "write" and
                    writer != twriter and twriter not in SHARED_WRITERS):
                across.append("%s calls into %s" % (src, t))
    case("no file calls into a layer above it", upward)
    case("no writer calls into another writer", across)

    # Loops: strongly connected components of more than one file (Tarjan).
    index, low, stack, on, loops = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in uses.get(v, []):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                loops.append(" <-> ".join(sorted(comp)))

    sys.setrecursionlimit(10000)
    for v in sorted(uses):
        if v not in index:
            strong(v)
    case("no files call each other round a loop", loops)


if __name__ == "__main__":
    sys.exit(main())
