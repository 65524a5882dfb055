#!/bin/sh
# Every allocation of csppack's own code goes through the one seam,
# src/alloc.h, so that tests/functional/build-faults.sh can make any of
# them fail: no plain malloc, calloc, realloc, strdup or strndup call is
# left in src/ (build-aux/alloc-seam.sh --check).  The script that finds
# and converts them is checked too, on a file of its own: it lists each
# plain call, converts them all, adds the #include, and changes nothing
# when run again.

. "$(dirname "$0")/lib.sh"
test_setup alloc-seam
seam=$top/build-aux/alloc-seam.sh

# The source tree.
sh "$seam" --check "$top/src" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ]; then
    ok "no plain allocation call in src/ outside src/alloc.c"
else
    fail "no plain allocation call in src/ outside src/alloc.c" \
        "exit status $rc (run build-aux/alloc-seam.sh)"
fi

# The script, on a file with every kind of call.
mkdir "$tmp/src" || exit 99
cat >"$tmp/src/t.c" <<'EOF'
/* csppack: a file to convert. */
#include "t.h"

#include <stdlib.h>

#include "strbuf.h"

/* Its result is malloc'd. */
static char *f(const char *s, struct x *x)
{
    char *a = malloc(4), *b = calloc (2, 3);
    a = realloc(a, 8);
    char *c = strdup(strndup(s, 2));
    x->malloc(1);
    counted_malloc(2);
    return csp_strdup(s);
}
EOF
cat >"$tmp/expected" <<'EOF'
/* csppack: a file to convert. */
#include "t.h"

#include <stdlib.h>

#include "csppack/base/alloc.h"
#include "strbuf.h"

/* Its result is malloc'd. */
static char *f(const char *s, struct x *x)
{
    char *a = csp_malloc(4), *b = csp_calloc(2, 3);
    a = csp_realloc(a, 8);
    char *c = csp_strdup(csp_strndup(s, 2));
    x->malloc(1);
    counted_malloc(2);
    return csp_strdup(s);
}
EOF
printf '/* none */\nint g(void);\n' >"$tmp/src/alloc.c"
cp "$tmp/src/alloc.c" "$tmp/alloc.c.before"

sh "$seam" --check "$tmp/src" >"$tmp/out" 2>"$tmp/err"
rc=$?
printf '%s\n' "$tmp/src/t.c:11:    char *a = malloc(4), *b = calloc (2, 3);  <- not through base/alloc.h" \
    "$tmp/src/t.c:12:    a = realloc(a, 8);  <- not through base/alloc.h" \
    "$tmp/src/t.c:13:    char *c = strdup(strndup(s, 2));  <- not through base/alloc.h" \
    >"$tmp/want"
if [ "$rc" -eq 1 ] && cmp -s "$tmp/out" "$tmp/want"; then
    ok "--check lists each line with a plain call, and fails"
else
    fail "--check lists each line with a plain call, and fails" \
        "exit status $rc; $(diff "$tmp/want" "$tmp/out" | head -4 | tr '\n' ' ')"
fi

sh "$seam" "$tmp/src" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$tmp/src/t.c" "$tmp/expected" &&
    cmp -s "$tmp/src/alloc.c" "$tmp/alloc.c.before"; then
    ok "the script converts every call and includes alloc.h, and leaves alloc.c alone"
else
    fail "the script converts every call and includes alloc.h, and leaves alloc.c alone" \
        "exit status $rc; $(diff "$tmp/expected" "$tmp/src/t.c" | head -4 | tr '\n' ' ')"
fi

cp "$tmp/src/t.c" "$tmp/once"
sh "$seam" "$tmp/src" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] && cmp -s "$tmp/src/t.c" "$tmp/once" &&
    sh "$seam" --check "$tmp/src" >/dev/null 2>&1; then
    ok "run again, it changes nothing, and --check passes"
else
    fail "run again, it changes nothing, and --check passes" "exit status $rc"
fi

test_finish
