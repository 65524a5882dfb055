#!/bin/sh
# Route csppack's own allocations through the seam (include/csppack/base/alloc.h):
#
#     build-aux/alloc-seam.sh [DIR...]          convert
#     build-aux/alloc-seam.sh --check [DIR...]  list what is left; exit 1 if any
#
# DIR defaults to the src/ and include/ folders beside this script's folder.  In every
# .c and .h file under DIR but alloc.c and alloc.h, a call of malloc,
# calloc, realloc, strdup or strndup becomes one of csp_malloc,
# csp_calloc, csp_realloc, csp_strdup or csp_strndup (the same
# arguments), and a file that then uses them and does not include
# "csppack/base/alloc.h" gets the line: before its last group of quoted includes, or,
# when it has none but its own header's, in a group of its own after its
# includes.  Purely mechanical and idempotent: run it again after a merge
# brings new calls.  tests/functional/alloc-seam.sh runs --check over
# src/, so make check fails while a plain call is left.
#
# A call is the name, not preceded by a letter, digit, "_", "." or "->",
# then "(" (spaces between allowed); a name in a comment followed by "("
# counts too, so write "malloc'd", not "malloc()", in comments.
set -eu
LC_ALL=C
export LC_ALL

check=no
if [ "${1:-}" = --check ]; then
    check=yes
    shift
fi
if [ "$#" -eq 0 ]; then
    root=$(cd "$(dirname "$0")/.." && pwd)
    set -- "$root/src" "$root/include"
fi
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "alloc-seam.sh: no folder $dir" >&2
        exit 2
    fi
done

names='malloc|calloc|realloc|strdup|strndup'
call="(^|[^A-Za-z0-9_.>])($names)[[:space:]]*\\("

clang_format=$(command -v clang-format || true)

files=$(find "$@" -type f \( -name '*.c' -o -name '*.h' \) \
    ! -name alloc.c ! -name alloc.h | sort)

if [ "$check" = yes ]; then
    left=0
    for f in $files; do
        if grep -nE "$call" "$f" >/dev/null; then
            grep -nE "$call" "$f" | sed "s|^|$f:|; s|\$|  <- not through base/alloc.h|"
            left=1
        fi
    done
    if [ "$left" -ne 0 ]; then
        echo "alloc-seam.sh: run build-aux/alloc-seam.sh to convert these" >&2
    fi
    exit "$left"
fi

for f in $files; do
    # Until none is left: in "strdup(strdup(" one pass sees the second
    # call's "(" as part of the first.
    while grep -qE "$call" "$f"; do
        sed -E "s/$call/\\1csp_\\2(/g" "$f" >"$f.seam"
        cat "$f.seam" >"$f" && rm -f "$f.seam"
    done
    grep -qE "(^|[^A-Za-z0-9_])csp_($names)[[:space:]]*\\(" "$f" || continue
    # A call the four letters took past 80 columns: clang-format (the
    # project's .clang-format) breaks that statement, and only it.
    long=$(awk -v re="csp_($names)[[:space:]]*[(]" \
        'length > 80 && $0 ~ re { printf " --lines=%d:%d", NR, NR }' "$f")
    if [ -n "$long" ] && [ -n "$clang_format" ]; then
        # shellcheck disable=SC2086 # $long is the list of options
        "$clang_format" -i --style=file $long "$f"
    elif [ -n "$long" ]; then
        echo "alloc-seam.sh: $f: lines over 80 columns (no clang-format to break them):$long" >&2
    fi
    grep -q '^#include "csppack/base/alloc.h"' "$f" && continue
    # The top: the lines before the first line of code (not blank, not a
    # preprocessor line, not a comment).
    awk '
        function code(line) {
            if (incomment) {
                if (line ~ /\*\//) { incomment = 0 }
                return 0
            }
            if (line ~ /^[[:space:]]*$/ || line ~ /^#/ || line ~ /^[[:space:]]*\/\//)
                return 0
            if (line ~ /^[[:space:]]*\/\*/) {
                if (line !~ /\*\//) incomment = 1
                return 0
            }
            return 1
        }
        { lines[NR] = $0 }
        !done && code($0) { done = 1; top = NR - 1 }
        END {
            if (!done) top = NR
            first_inc = 0; last_inc = 0; last_q = 0
            for (i = 1; i <= top; i++) {
                if (lines[i] ~ /^#include/) {
                    if (!first_inc) first_inc = i
                    last_inc = i
                    if (lines[i] ~ /^#include "/) last_q = i
                }
            }
            # The first line of the last group of quoted includes.
            start = last_q
            while (start > 1 && lines[start - 1] ~ /^#include "/) start--
            before = 0; after = 0
            if (last_q && start != first_inc)
                before = start
            else {
                # After the includes (and an #endif closing one of them).
                after = last_inc
                if (lines[after + 1] ~ /^#endif/) after++
                if (!after) after = top
            }
            for (i = 1; i <= NR; i++) {
                if (i == before) print "#include \"csppack/base/alloc.h\""
                print lines[i]
                if (i == after) { print ""; print "#include \"csppack/base/alloc.h\"" }
            }
        }' "$f" >"$f.seam"
    cat "$f.seam" >"$f" && rm -f "$f.seam"
done
