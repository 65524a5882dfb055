#!/bin/sh
# The command line: usage errors exit 2 with a message on stderr, help and
# version exit 0 on stdout, an unreadable template exits 3.
#
# Environment: CSPPACK (the program), SAMPLES_DIR (a valid submission to
# name on command lines); both default relative to this script.

. "$(dirname "$0")/lib.sh"
test_setup cli-usage
sample=$SAMPLES_DIR/kent-police-2016q2.xml

# usage_error NAME PATTERN ARGS...: exit 2, nothing on stdout, and stderr
# matches PATTERN (a grep regular expression).
usage_error() {
    name=$1 pattern=$2
    shift 2
    run "$@"
    if [ "$rc" -ne 2 ]; then
        fail "$name" "exit status $rc, expected 2"
    elif [ -s "$tmp/out" ]; then
        fail "$name" "output on stdout; usage errors go to stderr"
    elif ! grep -q -- "$pattern" "$tmp/err"; then
        fail "$name" "stderr does not match /$pattern/"
    else
        ok "$name"
    fi
}

# help NAME PATTERN ARGS...: exit 0, stdout matches PATTERN, stderr empty.
help() {
    name=$1 pattern=$2
    shift 2
    run "$@"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit status $rc, expected 0"
    elif [ -s "$tmp/err" ]; then
        fail "$name" "unexpected output on stderr"
    elif ! grep -q -- "$pattern" "$tmp/out"; then
        fail "$name" "stdout does not match /$pattern/"
    else
        ok "$name"
    fi
}

usage_error "no arguments" '^Usage: csppack '
usage_error "unknown command" 'csppack: error: .*frobnicate' frobnicate
usage_error "validate without files" '^csppack: error: ' validate
usage_error "unknown option" 'csppack: error: .*--no-such-option' \
    validate --no-such-option "$sample"
usage_error "--max-size abc" 'csppack: error: .*--max-size.*abc' \
    validate --max-size abc "$sample"
usage_error "--max-size without value" 'csppack: error: .*--max-size' \
    validate --max-size
usage_error "--template without value" 'csppack: error: .*--template' \
    validate --template

help "--help" '^Usage: csppack ' --help
help "validate --help" '^Usage: csppack validate' validate --help
help "validate --help lists --max-size" '--max-size' validate --help
help "--version" '^csppack [0-9][0-9.]*' --version
run --version
if [ "$(wc -l <"$tmp/out" | tr -d ' ')" -eq 1 ]; then
    ok "--version prints one line"
else
    fail "--version prints one line" "$(wc -l <"$tmp/out") lines"
fi

# Options take "--opt VALUE" and "--opt=VALUE"; "--" ends the options.
help "--max-size=64M" ': valid' validate --max-size=64M "$sample"
help "-- before files" ': valid' validate -- "$sample"

# A template that does not exist: exit 3 and one line on stderr that
# names it.
missing=$tmp/no-such-template.xml
run validate --template "$missing" "$sample"
if [ "$rc" -ne 3 ]; then
    fail "missing --template" "exit status $rc, expected 3"
elif [ -s "$tmp/out" ]; then
    fail "missing --template" "output on stdout"
elif ! grep -q "no-such-template.xml" "$tmp/err"; then
    fail "missing --template" "stderr does not name the template"
elif [ "$(wc -l <"$tmp/err" | tr -d ' ')" -ne 1 ]; then
    fail "missing --template" "$(wc -l <"$tmp/err" | tr -d ' ') lines on stderr, expected one"
else
    ok "missing --template"
fi

test_finish
