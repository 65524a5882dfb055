#!/bin/sh
# make bench: time csppack on synthetic inboxes, against xmllint.
#
# For each workload (the samples, then synthetic inboxes made by
# bench/gen.py: 200M, and 1G with BENCH_LARGE=1) this prints the wall
# time, the CPU time (user + system) and the peak memory (maximum resident
# set size), from GNU time, of
#
#     csppack $PACK_COMMAND -q --out DIR INBOX
#
# and of `xmllint --noout --stream --schema templates/submission.xsd` over
# the same files, the ratio of the two wall times, the growth of
# csppack's time and memory from one synthetic size to the next, and at
# the end the targets of issue 14, each marked pass, MISS or not measured:
#
#   - the samples' pack in under 0.15 s;
#   - at 200 MiB and 1 GiB: peak memory under 256 MB (10^6 bytes), the
#     time within 4 times xmllint's, and the time linear in the input
#     (from one size to the next, e.g. 200M -> 1G: the time per MiB at
#     most 1.1 times that of the smaller).
#
# It is a benchmark, not a test: it exits 0 whenever it could measure.
# With BENCH_PHASES=1 it also times, on each synthetic inbox, the commands
# that do a part of the pack each (validate: reading; reconcile: reading,
# folding and the data files; workbook; report --kind board and
# --kind strategy), which shows where the time goes.
#
# Environment:
#   CSPPACK        the program (default ../csppack); copied first, so a
#                  rebuild during the run cannot change what is timed
#   PACK_COMMAND   the command that makes the pack: "build" (the whole
#                  pack; set by make bench), or "reconcile" (its data part)
#   BENCH_SIZES    synthetic inbox sizes (default "200M"; empty: the
#                  samples only, as in make bench BENCH_SIZES=); SIZE-Ny
#                  is an inbox of N years sent again and again up to SIZE
#                  (gen.py --years N)
#   BENCH_LARGE    1: add the 1G inbox when the disk has room (3 GiB)
#   BENCH_PHASES   1: time the commands of each part too (above)
#   BENCH_DIR      where inboxes and packs go (default /tmp/csppack-bench;
#                  inboxes are kept and reused while gen.py is unchanged)
#   BENCH_REPEAT   runs per measurement, the fastest counts (default 3;
#                  the samples get at least 5)
#   BENCH_REPEAT_LARGE  the same for inboxes of 1G and more (default 1)
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
BENCH_SIZES=${BENCH_SIZES-200M}
: "${BENCH_LARGE:=}"
: "${BENCH_PHASES:=}"
: "${BENCH_DIR:=${TMPDIR:-/tmp}/csppack-bench}"
: "${BENCH_REPEAT:=3}"
: "${BENCH_REPEAT_LARGE:=1}"
: "${BENCH_TIMEOUT:=3600}"
: "${SAMPLES_DIR:=$top/samples/dartford-gravesham}"
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
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
xlsx=$(dpkg-query -W -f '${Version}' libxlsxwriter-dev 2>/dev/null ||
    pkg-config --modversion xlsxwriter 2>/dev/null)
echo "bench: $(nproc) CPUs ($cpu), $mem memory, ${os:-unknown system};" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the start"
echo "bench: $($prog --version | head -n 1); libxlsxwriter ${xlsx:-unknown};" \
    "$(xmllint --version 2>&1 | head -n 1)"
echo "bench: timing \`csppack $PACK_COMMAND\`, best of $BENCH_REPEAT" \
    "(of $BENCH_REPEAT_LARGE at 1G and more); CPU is user + system"

# now: nanoseconds since the epoch.
now() {
    date +%s%N
}

# measure OUTVAR_PREFIX CMD...: run CMD under GNU time; sets
# ${prefix}_wall (seconds, 3 decimals), ${prefix}_cpu (user + system
# seconds: on a machine other work shares, it holds better than the wall
# time), ${prefix}_rss (MB of 10^6 bytes, as the target is) and
# ${prefix}_rc.  The fastest of $reps runs
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
    eval "${prefix}_rss=\$(awk -v k=${best_rss:-0} 'BEGIN { printf \"%.1f\", k * 1024 / 1e6 }')"
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
    *-*y)
        years=${w##*-}
        set -- --size "${w%-*}" --years "${years%y}"
        ;;
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
        sizes="$sizes 1G"
    else
        echo "bench: skipping the 1G inbox: under 3 GiB free in $BENCH_DIR"
    fi
fi

# The targets of issue 14, one line each: "pass", "MISS" or "--" (not
# measured), then what was measured.
targets=
misses=
# target STATUS TEXT: add a line to the targets.
target() {
    targets="$targets$(printf '  %-4s  %s' "$1" "$2")
"
    [ "$1" = MISS ] && misses=$((${misses:-0} + 1))
    return 0
}
# big MIB: true when an inbox of MIB MiB is one the targets are for.
big() {
    awk -v m="$1" 'BEGIN { exit !(m >= 199) }'
}
# phase NAME CMD...: time one command of a part of the pack (BENCH_PHASES).
phase() {
    p_name=$1
    shift
    measure p "$@"
    printf '    %-26s %9s %7s %9s\n' "$p_name" "$p_wall" "$p_cpu" "$p_rss"
}

printf '\n%-10s %6s %8s | %9s %7s %8s | %9s %7s %8s | %6s %s\n' workload \
    files MiB "csppack s" "cpu s" "peak MB" "xmllint s" "cpu s" "peak MB" \
    ratio notes
prev_size= prev_mib= prev_wall= prev_rss=
growth=
samples_wall=
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
        wc -c | awk '{ m = $1 / 1048576; printf (m < 10 ? "%.2f" : "%.1f"), m }')
    # Warm the page cache, so that both programs read from memory.
    find "$inbox" -maxdepth 1 -name '*.xml' -type f -exec cat {} + >/dev/null
    rm -rf "$BENCH_DIR/pack"
    measure c "$prog" "$PACK_COMMAND" -q --out "$BENCH_DIR/pack" "$inbox"
    rm -rf "$BENCH_DIR/pack"
    # xmllint over the same files, sorted, in as few processes as the
    # command line allows (each loads the schema once: a few ms).
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
    printf '%-10s %6s %8s | %9s %7s %8s | %9s %7s %8s | %6s %s\n' "$w" \
        "$files" "$mib" "$c_wall" "$c_cpu" "$c_rss" "$x_wall" "$x_cpu" \
        "$x_rss" "$ratio" "$notes"
    if [ "$w" = samples ]; then
        samples_wall=$c_wall
        if awk -v t="$c_wall" 'BEGIN { exit !(t < 0.15) }'; then
            target pass "samples: the pack in under 0.15 s ($c_wall s)"
        else
            target MISS "samples: the pack in under 0.15 s ($c_wall s)"
        fi
    elif big "$mib"; then
        if awk -v m="$c_rss" 'BEGIN { exit !(m < 256) }'; then
            target pass "$w: peak memory under 256 MB ($c_rss MB)"
        else
            target MISS "$w: peak memory under 256 MB ($c_rss MB)"
        fi
        if awk -v r="$ratio" 'BEGIN { exit !(r <= 4) }'; then
            target pass "$w: within 4x xmllint (${ratio}x: $c_wall s, xmllint $x_wall s)"
        else
            target MISS "$w: within 4x xmllint (${ratio}x: $c_wall s, xmllint $x_wall s)"
        fi
    fi
    if [ -n "$BENCH_PHASES" ] && [ "$w" != samples ]; then
        echo "  the parts, each command on its own (wall s, cpu s, peak MB):"
        phase "validate" "$prog" validate -q "$inbox"
        phase "reconcile" "$prog" reconcile -q --out "$BENCH_DIR/pack" "$inbox"
        rm -rf "$BENCH_DIR/pack"
        phase "workbook" "$prog" workbook -q -o "$BENCH_DIR/bench.xlsx" "$inbox"
        phase "report --kind board" "$prog" report -q --kind board \
            -o "$BENCH_DIR/bench.pdf" "$inbox"
        phase "report --kind strategy" "$prog" report -q --kind strategy \
            -o "$BENCH_DIR/bench.pdf" "$inbox"
        rm -f "$BENCH_DIR/bench.xlsx" "$BENCH_DIR/bench.pdf"
    fi
    # Growth from one size to the next (a span of years is another shape).
    span=; case $w in *-*y) span=1 ;; esac
    if [ "$w" != samples ] && [ -z "$span" ] && [ -n "$prev_size" ]; then
        per=$(awk -v ma="$prev_mib" -v mb="$mib" -v ta="$prev_wall" \
            -v tb="$c_wall" 'BEGIN { printf "%.2f", (tb / ta) / (mb / ma) }')
        growth="$growth$(awk -v a="$prev_size" -v b="$w" -v ma="$prev_mib" \
            -v mb="$mib" -v ta="$prev_wall" -v tb="$c_wall" -v ra="$prev_rss" \
            -v rb="$c_rss" -v per="$per" 'BEGIN {
                printf "  %s -> %s: input x%.2f, time x%.2f (per input x%s), peak memory x%.2f",
                    a, b, mb / ma, tb / ta, per, rb / ra
            }')
"
        if big "$mib"; then
            text="$prev_size -> $w: time linear in the input (per input x$per; at most x1.10)"
            if awk -v p="$per" 'BEGIN { exit !(p <= 1.1) }'; then
                target pass "$text"
            else
                target MISS "$text"
            fi
            linear=1
        fi
    fi
    if [ "$w" != samples ] && [ -z "$span" ]; then
        prev_size=$w prev_mib=$mib prev_wall=$c_wall prev_rss=$c_rss
    fi
done
if [ -n "$growth" ]; then
    echo
    echo "growth of csppack $PACK_COMMAND (linear: time per input x1.00):"
    printf '%s' "$growth"
fi
# What was not measured, so that a missing line is never read as a pass.
[ -n "$samples_wall" ] || target -- "samples: not measured"
case " $sizes " in
*" 200M "*) ;;
*) target -- "200M: not measured (BENCH_SIZES=200M)" ;;
esac
case " $sizes " in
*" 1G "*) ;;
*) target -- "1G: not measured (make bench BENCH_LARGE=1)" ;;
esac
[ -n "${linear:-}" ] ||
    target -- "linear time: not measured (two sizes of 200M or more: BENCH_LARGE=1)"
echo
echo "targets of issue 14 (csppack $PACK_COMMAND):"
printf '%s' "$targets"
echo
if [ -n "$misses" ]; then
    echo "bench: targets missed: $misses"
else
    echo "bench: no target missed"
fi
exit 0
