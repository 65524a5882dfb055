#!/bin/sh
# Hostile and broken inputs: each must be refused with the right code,
# quickly, in bounded memory, without reading anything it points at and
# without touching the input file.
#
# The files are built in a temporary folder (removed on exit).  Each is
# validated under `timeout 20` and, unless the program cannot start under
# it (ASan builds reserve terabytes of address space), `ulimit -v 1000000`
# (about 1 GB).  Each input's SHA-256 is compared before and after.
#
# Environment: CSPPACK (the program), SAMPLES_DIR (valid submissions used
# as raw material); both default relative to this script.

. "$(dirname "$0")/lib.sh"
sample=$SAMPLES_DIR/kent-police-2016q2.xml
TIME_LIMIT=20
MEM_LIMIT_KB=1000000

if [ ! -f "$sample" ]; then
    echo "validate-hostile: no sample $sample (set SAMPLES_DIR)" >&2
    exit 99
fi

test_setup validate-hostile
cd "$tmp" || exit 99

# Can the program run under the memory limit at all?  (ulimit -v is not
# POSIX but dash, bash and busybox have it; where it fails, no limit.)
# The probe runs in its own shell so that no "Aborted" message escapes.
use_ulimit=yes
if [ -n "${CSPPACK_ASAN:-}" ] ||
    ! sh -c 'ulimit -v "$1" && "$2" --version' sh "$MEM_LIMIT_KB" "$CSPPACK" \
        >/dev/null 2>&1; then
    use_ulimit=
    echo "# not limiting memory (CSPPACK_ASAN set, or no ulimit -v for $CSPPACK)"
fi

hash_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum <"$1"
    else
        cksum <"$1"
    fi
}


# check NAME FILE WANT_EXIT [CODE]: validate FILE, expect the exit status
# and (when given) a diagnostic "FILE:LINE: error: CODE:".
check() {
    name=$1 file=$2 want_rc=$3 code=${4:-}
    before=$(hash_of "$file")
    (
        # shellcheck disable=SC3045
        if [ -n "$use_ulimit" ]; then ulimit -v "$MEM_LIMIT_KB" || exit 98; fi
        exec timeout "$TIME_LIMIT" "$CSPPACK" validate "$file"
    ) >"$tmp/out" 2>"$tmp/err"
    rc=$?
    after=$(hash_of "$file")
    if [ "$rc" -eq 124 ]; then
        fail "$name" "still running after ${TIME_LIMIT}s (killed)"
    elif [ "$rc" -ge 125 ]; then
        fail "$name" "crashed or ran out of memory (exit status $rc)"
    elif grep -q 'root:' "$tmp/out" "$tmp/err"; then
        fail "$name" "the output shows the contents of /etc/passwd"
    elif [ "$rc" -ne "$want_rc" ]; then
        fail "$name" "exit status $rc, expected $want_rc"
    elif [ -n "$code" ] && ! grep -q "^$file:[0-9]*: error: $code: " "$tmp/out"; then
        fail "$name" "no $code diagnostic"
    elif [ -z "$code" ] && ! grep -q "^$file: valid" "$tmp/out"; then
        fail "$name" "no \"$file: valid\" summary"
    elif [ "$before" != "$after" ]; then
        fail "$name" "the input file was changed"
    else
        ok "$name"
    fi
}

head_xml='<?xml version="1.0" encoding="UTF-8"?>'
root_open='<submission xmlns="urn:csppack:submission:1" strategy="dg-csp-2016-19" agency="kent-police" submitted="2016-10-14T09:30:00+01:00">'
submitter='<submitter name="Crime Analyst" email="analyst@example.org"/>'

# An external entity that names a local file (XXE).
cat >xxe-file.xml <<EOF
$head_xml
<!DOCTYPE submission [ <!ENTITY leak SYSTEM "file:///etc/passwd"> ]>
$root_open
  $submitter
  <comment>&leak;</comment>
</submission>
EOF
check xxe-local-file xxe-file.xml 1 E107

# A parameter entity that pulls a local file into the DTD.
cat >xxe-param.xml <<EOF
$head_xml
<!DOCTYPE submission [ <!ENTITY % p SYSTEM "file:///etc/passwd"> %p; ]>
$root_open
  $submitter
</submission>
EOF
check xxe-parameter-entity xxe-param.xml 1 E107

# An external DTD on the network (TEST-NET-1: never answers).
cat >net-dtd.xml <<EOF
$head_xml
<!DOCTYPE submission SYSTEM "http://192.0.2.1/x.dtd">
$root_open
  $submitter
</submission>
EOF
check network-dtd net-dtd.xml 1 E107

# Billion laughs: ten levels of ten references.
{
    echo "$head_xml"
    echo '<!DOCTYPE submission ['
    echo '  <!ENTITY lol0 "lol">'
    i=1
    while [ $i -le 10 ]; do
        printf '  <!ENTITY lol%d "' $i
        j=0
        while [ $j -lt 10 ]; do
            printf '&lol%d;' $((i - 1))
            j=$((j + 1))
        done
        echo '">'
        i=$((i + 1))
    done
    echo ']>'
    echo "$root_open"
    echo "  $submitter"
    echo '  <comment>&lol10;</comment>'
    echo '</submission>'
} >laughs.xml
check billion-laughs laughs.xml 1 E107

# Quadratic blow-up: one 50 KB entity used 50,000 times (2.5 GB expanded).
{
    echo "$head_xml"
    printf '<!DOCTYPE submission [ <!ENTITY big "'
    awk 'BEGIN { for (i = 0; i < 51200; i++) printf "A" }'
    echo '"> ]>'
    echo "$root_open"
    echo "  $submitter"
    printf '  <comment>'
    awk 'BEGIN { for (i = 0; i < 50000; i++) printf "&big;" }'
    echo '</comment>'
    echo '</submission>'
} >quadratic.xml
check quadratic-blowup quadratic.xml 1 E107

# An entity reference with no DOCTYPE to declare it.
cat >undeclared-entity.xml <<EOF
$head_xml
$root_open
  $submitter
  <comment>&leak;</comment>
</submission>
EOF
check undeclared-entity undeclared-entity.xml 1 E105

# XInclude is not processed: the include is just an element out of place.
cat >xinclude.xml <<EOF
$head_xml
$root_open
  $submitter
  <comment><xi:include xmlns:xi="http://www.w3.org/2001/XInclude"
    href="file:///etc/passwd" parse="text"/></comment>
</submission>
EOF
check xinclude xinclude.xml 1 E109

# A schema location on the network is ignored (the schema is built in):
# the file is valid and nothing is fetched.
cat >schema-location.xml <<EOF
$head_xml
<submission xmlns="urn:csppack:submission:1"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="urn:csppack:submission:1 http://192.0.2.1/s.xsd"
    strategy="dg-csp-2016-19" agency="kent-police"
    submitted="2016-10-14T09:30:00+01:00">
  $submitter
</submission>
EOF
check network-schema-location schema-location.xml 0

# 100,000 nested elements.
{
    echo "$head_xml"
    echo "$root_open"
    echo "  $submitter"
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<a>";
                 for (i = 0; i < 100000; i++) printf "</a>"; print "" }'
    echo '</submission>'
} >deep.xml
check deep-nesting deep.xml 1 E105

# Bytes that are not UTF-8 (Latin-1 "é" in a text).
{
    echo "$head_xml"
    echo "$root_open"
    echo "  $submitter"
    printf '  <comment>Figures checked by the caf\351 team.</comment>\n'
    echo '</submission>'
} >latin1.xml
check invalid-utf8 latin1.xml 1 E106

# A NUL byte inside an attribute.
{
    echo "$head_xml"
    echo "$root_open"
    printf '  <submitter name="Crime\000Analyst" email="analyst@example.org"/>\n'
    echo '</submission>'
} >nul.xml
check nul-byte nul.xml 1 E106

# An empty file.
: >empty.xml
check empty empty.xml 1 E104

# A valid sample cut in half.
size=$(wc -c <"$sample")
head -c $((size / 2)) "$sample" >truncated.xml
check truncated truncated.xml 1 E105

# A gzip-compressed sample, and a decompression bomb (100 MB of XML text
# in about 100 KB): neither is ever decompressed.
gzip -n -c "$sample" >gzipped.xml
check gzip gzipped.xml 1 E103
{
    echo "$head_xml"
    echo "$root_open"
    echo "  $submitter"
    echo '  <comment>'
    head -c 100000000 /dev/zero | tr '\000' 'x'
    echo '</comment>'
    echo '</submission>'
} | gzip -n -1 >gzip-bomb.xml
check gzip-bomb gzip-bomb.xml 1 E103

# Larger than the 64 MiB default limit (a sparse file: cheap to make).
head -c 1 "$sample" >oversized.xml
dd if=/dev/null of=oversized.xml bs=1 seek=$((64 * 1024 * 1024 + 1)) \
    2>/dev/null
check oversized oversized.xml 1 E102

# Documents whose root is a strategy template go through the template
# reader (a whole-document parse): it must refuse the same way.
{
    echo "$head_xml"
    echo '<strategy xmlns="urn:csppack:strategy:1" id="dg-csp-2016-19">'
    printf '  <title>Dartford and Gravesham Community Saf'
} >truncated-template.xml
check truncated-template truncated-template.xml 1 E105
{
    echo "$head_xml"
    echo '<strategy xmlns="urn:csppack:strategy:1" id="dg-csp-2016-19">'
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<a>";
                 for (i = 0; i < 100000; i++) printf "</a>"; print "" }'
    echo '</strategy>'
} >deep-template.xml
check deep-nesting-template deep-template.xml 1 E105

# The same template named with --template: refused on stderr, exit 1.
before=$(hash_of truncated-template.xml)
(
    # shellcheck disable=SC3045
    if [ -n "$use_ulimit" ]; then ulimit -v "$MEM_LIMIT_KB" || exit 98; fi
    exec timeout "$TIME_LIMIT" "$CSPPACK" validate \
        --template truncated-template.xml "$sample"
) >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ge 124 ]; then
    fail "--template truncated" "crashed, hung or ran out of memory (exit status $rc)"
elif [ "$rc" -ne 1 ]; then
    fail "--template truncated" "exit status $rc, expected 1"
elif ! grep -q '^truncated-template.xml:[0-9]*: error: E105: ' "$tmp/err"; then
    fail "--template truncated" "no E105 diagnostic on stderr"
elif [ "$before" != "$(hash_of truncated-template.xml)" ]; then
    fail "--template truncated" "the template file was changed"
else
    ok "--template truncated"
fi

# UTF-16 with a byte-order mark is a valid encoding: accepted.
if command -v iconv >/dev/null 2>&1 &&
    iconv -f UTF-8 -t UTF-16 "$sample" >utf16.xml 2>/dev/null; then
    check utf16-with-bom utf16.xml 0
else
    echo "# skipped utf16-with-bom: no iconv"
fi

test_finish
