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

# check_line NAME FILE WANT [ARGS...]: validate [ARGS] FILE (as check
# does); its first line of output must be WANT exactly.
check_line() {
    name=$1 file=$2 want=$3
    shift 3
    (
        # shellcheck disable=SC3045
        if [ -n "$use_ulimit" ]; then ulimit -v "$MEM_LIMIT_KB" || exit 98; fi
        exec timeout "$TIME_LIMIT" "$CSPPACK" validate "$@" "$file"
    ) >"$tmp/out" 2>"$tmp/err"
    rc=$?
    got=$(head -n 1 "$tmp/out")
    if [ "$rc" -eq 124 ]; then
        fail "$name" "still running after ${TIME_LIMIT}s (killed)"
    elif [ "$rc" -ne 1 ]; then
        fail "$name" "exit status $rc, expected 1"
    elif [ "$got" != "$want" ]; then
        fail "$name" "printed: $got"
        echo "    wanted:  $want"
    else
        ok "$name"
    fi
}

# Markup that libxml2 2.9 takes quadratic time or much memory over is
# bounded on the bytes, before any parser sees them.
head_lines() {
    echo "$head_xml"
    echo "$root_open"
}
{
    head_lines
    printf '  <submitter name="A" email="a@b.c"'
    awk 'BEGIN { for (i = 0; i < 300000; i++) printf " a%d=\"1\"", i }'
    echo '/>'
    echo '</submission>'
} >attrs.xml
check_line many-attributes attrs.xml "attrs.xml:3: error: E120: an element here has more than 256 attributes and namespace declarations; no submission element has more than a few: correct the export that made the file"
{
    head_lines
    printf '  <submitter name="A" email="a@b.c"\n'
    awk 'BEGIN { for (i = 0; i < 400000; i++) printf " xmlns:p%d=\"u\"", i }'
    echo '/>'
    echo '</submission>'
} >namespaces.xml
check_line many-namespaces namespaces.xml "namespaces.xml:4: error: E120: an element here has more than 256 attributes and namespace declarations; no submission element has more than a few: correct the export that made the file"
{
    head_lines
    echo "  $submitter"
    echo '  <actions>'
    printf '    <update ref="1.1" status="on-track" as-of="2016-09-30">'
    awk 'BEGIN { for (i = 0; i < 3200000; i++) printf "&amp;" }'
    echo '</update>'
    echo '  </actions>'
    echo '</submission>'
} >amps.xml
check_line text-references amps.xml "amps.xml:5: error: E121: the text of an element here is in more than 10000 pieces (references such as &amp;, CDATA sections, text between comments); write the characters themselves, in UTF-8"
{
    head_lines
    echo "  $submitter"
    printf '  <comment>\n'
    awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "<![CDATA[x]]>" }'
    echo '</comment>'
    echo '</submission>'
} >cdata.xml
check_line cdata-sections cdata.xml "cdata.xml:5: error: E121: the text of an element here is in more than 10000 pieces (references such as &amp;, CDATA sections, text between comments); write the characters themselves, in UTF-8"
{
    head_lines
    echo "  $submitter"
    awk 'BEGIN { for (i = 0; i < 12000000; i++) printf "<?p?>" }'
    echo '</submission>'
} >pis.xml
check_line processing-instructions pis.xml "pis.xml:4: error: E122: the file holds more than 100000 comments and processing instructions (the limit was passed here); remove them: a submission needs none"
{
    head_lines
    echo "  $submitter"
    awk 'BEGIN { for (i = 0; i < 8000000; i++) printf "<!---->" }'
    echo '</submission>'
} >comments.xml
check_line comments comments.xml "comments.xml:4: error: E122: the file holds more than 100000 comments and processing instructions (the limit was passed here); remove them: a submission needs none"

# At the bounds exactly, nothing is refused: 256 attributes and namespace
# declarations on <submitter>, 10,000 pieces in the comment's text.
{
    head_lines
    printf '  <submitter name="A" email="a@b.c"'
    awk 'BEGIN { for (i = 0; i < 254; i++) printf " xmlns:p%d=\"u\"", i }'
    echo '/>'
    echo '</submission>'
} >attrs-256.xml
check attrs-at-the-bound attrs-256.xml 0
{
    head_lines
    echo "  $submitter"
    printf '  <comment>'
    awk 'BEGIN { for (i = 0; i < 5000; i++) printf "a&amp;" }'
    echo '</comment>'
    echo '</submission>'
} >pieces-10000.xml
check pieces-at-the-bound pieces-10000.xml 0

# Texts and attribute values longer than --max-text are refused before
# the streaming validator, whose time grows with the square of a text's
# length, sees them; beyond libxml2's own limit of 10,000,000 bytes (with
# --max-text raised) the message names that limit, whether csppack sees
# it first or libxml2 (which calls it out of memory, or a "Huge input
# lookup": 2.6 million references of 10 bytes, each one character).
{
    head_lines
    echo "  $submitter"
    printf '  <comment>'
    head -c 11000000 /dev/zero | tr '\000' x
    echo '</comment>'
    echo '</submission>'
} >huge-text.xml
check_line long-text huge-text.xml "huge-text.xml:4: error: E114: the comment here is longer than 4194304 bytes; shorten it or raise --max-text"
check_line huge-text huge-text.xml "huge-text.xml:4: error: E114: a text or attribute value here is longer than 10,000,000 bytes, the most the XML parser takes in one piece; shorten it" --max-text 20M
{
    head_lines
    printf '  <submitter email="a@b.c" name="'
    head -c 5000000 /dev/zero | tr '\000' x
    echo '"/>'
    echo '</submission>'
} >long-attribute.xml
check_line long-attribute long-attribute.xml "long-attribute.xml:3: error: E114: the name attribute here is longer than 4194304 bytes; shorten it or raise --max-text"
{
    head_lines
    printf '  <submitter email="a@b.c" name="'
    awk 'BEGIN { for (i = 0; i < 2600000; i++) printf "&#x1F600;" }'
    echo '"/>'
    echo '</submission>'
} >huge-references.xml
check_line huge-references huge-references.xml "huge-references.xml:3: error: E114: a text or attribute value here is longer than 10,000,000 bytes, the most the XML parser takes in one piece; shorten it" --max-text 20M
# Three progress statements of 3.9 MB: each within --max-text, together
# more than twice it (they would take 8 s to validate).
{
    head_lines
    echo "  $submitter"
    echo '  <actions>'
    for ref in 1.1 1.2 1.3; do
        printf '    <update ref="%s" status="on-track" as-of="2016-09-30">' "$ref"
        head -c 3900000 /dev/zero | tr '\000' x
        echo '</update>'
    done
    echo '  </actions>'
    echo '</submission>'
} >long-texts.xml
check_line long-texts long-texts.xml "long-texts.xml:7: error: E114: the texts of this file longer than 65536 bytes add up to more than 8388608 bytes (twice --max-text) by here; shorten them, split the file, or raise --max-text"

# Encodings csppack does not read, or that contradict themselves.
if command -v iconv >/dev/null 2>&1 &&
    iconv -f UTF-8 -t UTF-32 "$sample" >utf32.xml 2>/dev/null; then
    check_line utf32 utf32.xml "utf32.xml:1: error: E106: the file is in UTF-32, which csppack does not read; save it as UTF-8 and send it again"
else
    echo "# skipped utf32: no iconv"
fi
{
    printf '\357\273\277<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    echo "$root_open"
    printf '  <submitter name="caf\303\251" email="a@b.c"/>\n'
    echo '</submission>'
} >bom-latin1.xml
check_line bom-contradicts-declaration bom-latin1.xml "bom-latin1.xml:1: error: E106: the file starts with a UTF-8 byte order mark but declares encoding=\"ISO-8859-1\"; save it as UTF-8, write encoding=\"UTF-8\", and send it again"
{
    echo '<?xml version="1.0" encoding="UTF-7"?>'
    echo "$root_open"
    echo "  $submitter"
    echo '</submission>'
} >utf7.xml
check_line utf7 utf7.xml "utf7.xml:1: error: E106: the file declares encoding=\"UTF-7\", which csppack does not read; save it as UTF-8 and send it again"
{
    echo '<?xml version="1.0" encoding="UNICODE-1-1-UTF-7"?>'
    echo "$root_open"
    echo '  <submitter name="A+AOk-" email="a@b.c"/>'
    echo '</submission>'
} >utf7-alias.xml
check_line utf7-alias utf7-alias.xml "utf7-alias.xml:1: error: E106: the file is not valid text in its declared encoding (bytes 0x3A 0x30 0x30 0x22); save it as UTF-8 and send it again"
# An unpaired surrogate (0xD800 before "Priya") in UTF-16.
if command -v iconv >/dev/null 2>&1 &&
    iconv -f UTF-8 -t UTF-16BE "$sample" >utf16be.xml 2>/dev/null; then
    {
        printf '\376\377'
        sed -n '1,5p' "$sample" | iconv -f UTF-8 -t UTF-16BE
        printf '  <submitter name="' | iconv -f UTF-8 -t UTF-16BE
        printf '\330\000'
        sed -n '6,$p' "$sample" | sed '1s/^.*name="//' | iconv -f UTF-8 -t UTF-16BE
    } >surrogate.xml
    check_line utf16-lone-surrogate surrogate.xml "surrogate.xml:6: error: E106: the file is not valid UTF-16 (a lone surrogate, 0xD800); save it as UTF-8 and send it again"
else
    echo "# skipped utf16-lone-surrogate: no iconv"
fi

# UTF-16 with a byte-order mark is a valid encoding: accepted.
if command -v iconv >/dev/null 2>&1 &&
    iconv -f UTF-8 -t UTF-16 "$sample" >utf16.xml 2>/dev/null; then
    check utf16-with-bom utf16.xml 0
else
    echo "# skipped utf16-with-bom: no iconv"
fi

test_finish
