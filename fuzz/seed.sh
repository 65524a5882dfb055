#!/bin/sh
# Make the seed corpora of the fuzz targets from the test data:
#
#   fuzz/corpus-submission/  samples/*.xml, tests/data/submissions/**,
#                            tests/data/reconcile/**, tests/data/fuzz/*
#                            (earlier crashes) and the datasets in
#                            tests/data/golden/*/dataset.xml
#   fuzz/corpus-template/    templates/*.xml, tests/data/template/*.xml
#   fuzz/corpus-mail/        the messages tests/functional/make_mail.py
#                            builds from the samples (every kind it makes)
#
# Run from anywhere; the corpora go beside this script unless FUZZ_DIR
# says otherwise.  Files are named by their SHA-1 (as libFuzzer names
# what it finds), so running it again adds nothing twice.  The corpora
# are working files: never commit them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${FUZZ_DIR:-$here}

# seed DIR FILE...: copy each regular file into DIR under its SHA-1.
seed() {
    dir=$1
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] || continue
        sum=$(sha1sum <"$f" | cut -c1-40)
        [ -f "$dir/$sum" ] || cp "$f" "$dir/$sum"
    done
}

sub=$out/corpus-submission
tpl=$out/corpus-template
# shellcheck disable=SC2046
seed "$sub" "$top"/samples/*/*.xml \
    $(find "$top/tests/data/submissions" "$top/tests/data/reconcile" \
        -type f \( -name '*.xml' -o -name '*.plain' \) 2>/dev/null | sort) \
    $(find "$top/tests/data/fuzz" -type f -name '*.xml' ! -name 'tpl-*' 2>/dev/null | sort) \
    $(find "$top/tests/data/golden" -type f -name 'dataset.xml' 2>/dev/null |
        sort)
# Inputs of several files (fuzz_submission splits at <!--next-file-->):
# each sample followed by a resubmission of the same agency made later,
# with one figure changed, and by another sample.
multi=$(mktemp -d)
trap 'rm -rf "$multi"' EXIT
prev=
for f in "$top"/samples/*/*.xml; do
    b=$(basename "$f" .xml)
    {
        cat "$f"
        printf '<!--next-file-->'
        sed -e 's/submitted="2016-\([0-9-]*\)T/submitted="2017-\1T/' \
            -e '0,/value="[0-9]/s/value="\([0-9]\)/value="1\1/' "$f"
        if [ -n "$prev" ]; then
            printf '<!--next-file-->'
            cat "$prev"
        fi
    } >"$multi/$b-multi.xml"
    prev=$f
done
seed "$sub" "$multi"/*.xml
seed "$tpl" "$top"/templates/*.xml "$top"/tests/data/template/*.xml \
    $(find "$top/tests/data/fuzz" -type f -name 'tpl-*.xml' 2>/dev/null | sort)
echo "seed: $(ls "$sub" | wc -l) submission seeds in $sub," \
    "$(ls "$tpl" | wc -l) template seeds in $tpl"

# Mail (fuzz_mail): the test suite's messages, built from the samples.
mail=$(mktemp -d)
trap 'rm -rf "$multi" "$mail"' EXIT
if /usr/bin/python3 "$top/tests/functional/make_mail.py" \
    "$top/samples/dartford-gravesham" "$mail/m" >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    seed "$out/corpus-mail" $(find "$mail/m" -type f | sort)
else
    echo "seed: make_mail.py failed: no mail seeds" >&2
fi
