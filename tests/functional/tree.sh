#!/bin/sh
# The tree is the architecture (doc/design.md): each layer includes only
# the layers below it, no writer uses another, no cycles, no file over
# 1,200 lines, no intrinsics, no files calling each other round a loop
# (check_tree.py); and the program defines no
# other library's function, so every library runs its own code.
. "$(dirname "$0")/lib.sh"
test_setup tree
: "${PY:=/usr/bin/python3}"

# The objects beside the program (make leaves src/LAYER/NAME.o there, in
# the build folder) give the same checks at the level of calls.
checker "$here/check_tree.py" "$top" "$(dirname "$CSPPACK")"

# nm -D lists what the program exports to the libraries it loads.  Only
# the linker's markers and copy-relocated library data (stdout@GLIBC...)
# may be there: a function another library calls would replace its own.
if command -v nm >/dev/null 2>&1; then
    nm -D --defined-only "$CSPPACK" >"$tmp/syms" 2>&1
    # (A sanitizer build also exports its runtime's __asan_/__ubsan_ names,
    # which the compiler put there, not csppack.)
    awk '$3 !~ /@/ && $3 !~ /^(_edata|_end|__bss_start|_IO_stdin_used|__data_start|data_start|_init|_fini)$/ && $3 !~ /^__(asan|ubsan|lsan|sanitizer)_/ { print $3 }' \
        "$tmp/syms" >"$tmp/foreign"
    if [ ! -s "$tmp/foreign" ]; then
        ok "csppack defines no other library's function (nm -D)"
    else
        fail "csppack defines no other library's function (nm -D)" \
            "it exports $(tr '\n' ' ' <"$tmp/foreign")"
    fi
else
    missing "csppack defines no other library's function" "nm (binutils)"
fi
test_finish
