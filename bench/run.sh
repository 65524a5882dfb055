#!/bin/sh
# make bench: time csppack on synthetic inboxes, against xmllint.
#
# For each workload (the samples, then synthetic inboxes made by
# bench/gen.py) this prints the wall time, the CPU time (user + system)
# and the peak memory (maximum resident set size), from GNU time, of
#
#     csppack $PACK_COMMAND -q --out DIR INBOX
#
# and of `xmllint --noout --stream --schema templates/submission.xsd` over
# the same files, the ratio of the two wall times, and at the end the
# growth of csppack's time and memory from one synthetic size to the next
# (twice the input should take at most 2.2 times as long).  It is a
# benchmark, not a test: it always exits 0 when it could measure, and
# marks the targets of issue 7 that are missed (the ratio target is for
# inboxes of 200 MiB and more; smaller ones show theirs for information).
#
# Environment:
#   CSPPACK        the program (default ../csppack); copied first, so a
#                  rebuild during the run cannot change what is timed
#   PACK_COMMAND   the command that makes the pack: "build" (the whole
#                  pack; set by make bench), or "reconcile" (its data part)
#   BENCH_SIZES    synthetic inbox sizes (default "20M 100M 200M"; 100M
#                  and 200M give the linear-growth check; empty: samples
#                  only, as in make bench BENCH_SIZES=); SIZE-Ny is an
#                  inbox of N years sent again and again up to SIZE
#                  (gen.py --years N)
#   BENCH_LARGE    1: add the 1G and 1G-3y inboxes when the disk has room
#   BENCH_DIR      where inboxes and packs go (default /tmp/csppack-bench;
#                  inboxes are kept and reused while gen.py is unchanged)
#   BENCH_REPEAT   runs per measurement, the fastest counts (default 3)
#   BENCH_REPEAT_LARGE  the same for inboxes of 1G and more (default 1:
#                  a run takes half a minute; one run can be 10 % off)
#   BENCH_TIMEOUT  seconds one run may take (default 3600); a run stopped
#                  shows its time as the limit and "timed-out"
#   SAMPLES_DIR, TEMPLATES_DIR  as for the tests
set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${CSPPACK:=$top/csppack}"
: "${PACK_COMMAND:=build}"
BENCH_SIZES=${BENCH_SIZES-20M 100M 200M}
: "${BENCH_LARGE:=}"
: "${BENCH_DIR:=${TMPDIR:-/tmp}/csppack-bench}"
: "${BENCH_REPEAT:=3}"
: "${BENCH_REPEAT_LARGE:=1}"
: "${BENCH_TIMEOUT:=3600}"
: "${SAMPLES_DIR:=$top/samples}"
: "${TEMPLATES_DIR:=$top/templates}"
: "${PYTHON:=python3}"
TIME=/usr/bin/time
xsd=$TEMPLATES_DIR/submission.xsd

for tool in "$TIME" xmllint "$PYTHON"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "bench: $tool not found (Debian packages: time, libxml2-utils," \
            "python3)" >&2
        exit 1
    fi
done
if [ ! -x "$CSPPACK" ]; then
    echo "bench: no csppack program at $CSPPACK (run make)" >&2
    exit 1
fi
mkdir -p "$BENCH_DIR" || exit 1
cp "$CSPPACK" "$BENCH_DIR/csppack" || exit 1
prog=$BENCH_DIR/csppack

# The machine, for doc/performance.md.
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
echo "bench: $(nproc) CPUs ($cpu), $mem memory; $($prog --version | head -n 1);"
echo "bench: $(xmllint --version 2>&1 | head -n 1)"
echo "bench: timing \`csppack $PACK_COMMAND\`, best of $BENCH_REPEAT"

# now: nanoseconds since the epoch.
now() {
    date +%s%N
}

# measure OUTVAR_PREFIX CMD...: run CMD under GNU time; sets
# ${prefix}_wall (seconds, 3 decimals), ${prefix}_cpu (user + system
# seconds: on a machine other work shares, it holds better than the wall
# time), ${prefix}_rss (MiB) and ${prefix}_rc.  The fastest of $reps runs
# counts (its CPU time and memory too).
measure() {
    prefix=$1
    shift
    best_ns= best_rss= best_rc= best_cpu=
    r=0
    while [ "$r" -lt "$reps" ]; do
        t0=$(now)
        "$TIME" -v -o "$BENCH_DIR/time.txt" timeout "$BENCH_TIMEOUT" "$@" \
            >"$BENCH_DIR/out.txt" 2>"$BENCH_DIR/err.txt"
        rc=$?
        t1=$(now)
        ns=$((t1 - t0))
        kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' \
            "$BENCH_DIR/time.txt")
        cpu=$(awk -F': ' '/User time|System time/ { t += $2 }
            END { printf "%.2f", t }' "$BENCH_DIR/time.txt")
        if [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ]; then
            best_ns=$ns best_rss=$kb best_rc=$rc best_cpu=$cpu
        fi
        r=$((r + 1))
    done
    eval "${prefix}_wall=\$(awk -v n=$best_ns 'BEGIN { printf \"%.3f\", n / 1e9 }')"
    eval "${prefix}_rss=\$(awk -v k=${best_rss:-0} 'BEGIN { printf \"%.1f\", k / 1024 }')"
    eval "${prefix}_rc=$best_rc"
    eval "${prefix}_cpu=$best_cpu"
}

# Inboxes: made once, kept while gen.py and the template are unchanged.
stamp=$(cat "$here/gen.py" "$TEMPLATES_DIR/dg-csp-2016-19.xml" | cksum | cut -d' ' -f1)
# A workload is a size (20M, 1G) or a size and a span of years (1G-3y:
# gen.py --years 3, the same years sent again until the size is reached).
make_inbox() {
    w=$1
    dir=$BENCH_DIR/inbox-$w
    if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
        return 0
    fi
    rm -rf "$dir"
    case $w in
    *-*y) years=${w##*-} set -- --size "${w%-*}" --years "${years%y}" ;;
    *) set -- --size "$w" ;;
    esac
    "$PYTHON" "$here/gen.py" --out "$dir" "$@" \
        --template "$TEMPLATES_DIR/dg-csp-2016-19.xml" >&2 || return 1
    echo "$stamp" >"$dir/.stamp"
}

# Room for a 1G inbox and its pack (about 1.5 GiB), with a margin.
sizes=$BENCH_SIZES
if [ -n "$BENCH_LARGE" ]; then
    avail=$(df -Pk "$BENCH_DIR" | awk 'NR == 2 { print $4 }')
    if [ "${avail:-0}" -gt $((3 * 1024 * 1024)) ]; then
        sizes="$sizes 1G 1G-3y"
    else
        echo "bench: skipping the 1G inbox: under 3 GiB free in $BENCH_DIR"
    fi
fi

printf '\n%-10s %6s %8s | %9s %7s %9s | %9s %7s %9s | %6s %s\n' workload \
    files MiB "csppack s" "cpu s" "peak MiB" "xmllint s" "cpu s" "peak MiB" \
    ratio notes
misses=
prev_size= prev_mib= prev_wall= prev_rss=
growth=
for w in samples $sizes; do
    if [ "$w" = samples ]; then
        inbox=$SAMPLES_DIR
        reps=$((BENCH_REPEAT > 5 ? BENCH_REPEAT : 5))
    else
        make_inbox "$w" || { echo "bench: cannot make the $w inbox" >&2; exit 1; }
        inbox=$BENCH_DIR/inbox-$w
        reps=$BENCH_REPEAT
        case $w in *G | *G-*) reps=$BENCH_REPEAT_LARGE ;; esac
    fi
    files=$(find "$inbox" -maxdepth 1 -name '*.xml' -type f | wc -l)
    mib=$(find "$inbox" -maxdepth 1 -name '*.xml' -type f -exec cat {} + |
        wc -c | awk '{ printf "%.1f", $1 / 1048576 }')
    # Warm the page cache, so that both programs read from memory.
    find "$inbox" -maxdepth 1 -name '*.xml' -type f -exec cat {} + >/dev/null
    rm -rf "$BENCH_DIR/pack"
    measure c "$prog" "$PACK_COMMAND" -q --out "$BENCH_DIR/pack" "$inbox"
    rm -rf "$BENCH_DIR/pack"
    # xmllint over the same files (they sort the same; one process).
    measure x sh -c 'find "$1" -maxdepth 1 -name "*.xml" -type f | sort |
        xargs xmllint --noout --stream --schema "$2"' sh "$inbox" "$xsd"
    ratio=$(awk -v a="$c_wall" -v b="$x_wall" \
        'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    notes=
    if [ "$c_rc" -eq 124 ]; then
        notes="$notes timed-out"
    elif [ "$c_rc" -gt 1 ]; then
        notes="$notes csppack-exit-$c_rc"
    fi
    [ "$x_rc" -eq 0 ] || notes="$notes xmllint-exit-$x_rc"
    if [ "$w" = samples ]; then
        if awk -v t="$c_wall" 'BEGIN { exit !(t >= 0.5) }'; then
            notes="$notes MISS(<0.5s)"
            misses="$misses samples-time"
        fi
    elif awk -v r="$ratio" -v m="$mib" 'BEGIN { exit !(m >= 199 && r > 1.5) }'; then
        # Issue 7's target is for 200 MiB and more: below that the fixed
        # cost of a pack (the PDFs' layout and fonts, about 0.1 s) counts
        # for more than reading, and the ratio is shown for information.
        notes="$notes MISS(ratio>1.5)"
        misses="$misses $w-ratio"
    fi
    if awk -v m="$c_rss" 'BEGIN { exit !(m >= 256) }'; then
        notes="$notes MISS(peak>=256MB)"
        misses="$misses $w-memory"
    fi
    printf '%-10s %6s %8s | %9s %7s %9s | %9s %7s %9s | %6s %s\n' "$w" \
        "$files" "$mib" "$c_wall" "$c_cpu" "$c_rss" "$x_wall" "$x_cpu" \
        "$x_rss" "$ratio" "$notes"
    # Growth from one size to the next (a span of years is another shape).
    span=; case $w in *-*y) span=1 ;; esac
    if [ "$w" != samples ] && [ -z "$span" ] && [ -n "$prev_size" ]; then
        growth="$growth$(awk -v a="$prev_size" -v b="$w" -v ma="$prev_mib" \
            -v mb="$mib" -v ta="$prev_wall" -v tb="$c_wall" -v ra="$prev_rss" \
            -v rb="$c_rss" 'BEGIN {
                inr = mb / ma; tr = tb / ta; 
                printf "  %s -> %s: input x%.2f, time x%.2f (per input x%.2f), peak memory x%.2f%s\n",
                    a, b, inr, tr, tr / inr, rb / ra,
                    (tr / inr > 1.1 ? "  MISS(not linear)" : "")
            }')
"
    fi
    if [ "$w" != samples ] && [ -z "$span" ]; then
        prev_size=$w prev_mib=$mib prev_wall=$c_wall prev_rss=$c_rss
    fi
done
if [ -n "$growth" ]; then
    echo
    echo "growth of csppack $PACK_COMMAND (linear: time per input x1.0;" \
        "target: 2x input in at most 2.2x the time):"
    printf '%s' "$growth"
fi
echo
if [ -n "$misses" ]; then
    echo "bench: targets missed:$misses"
else
    echo "bench: every target met"
fi
exit 0
