#!/bin/sh
# Run the fuzz targets: fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds nothing: run `make fuzz` first.  Seeds the corpora (fuzz/seed.sh),
# then runs each TARGET (default: submission template mail) for SECONDS
# (default 1800) at the same time, one process each, in libFuzzer's fork
# mode so that the run goes on after a finding: every crash, leak, UBSan
# report, timeout (over 20 s for one input) or out-of-memory (over
# 1 GB resident, or one allocation over 256 MB) is saved as
# fuzz/artifacts/TARGET/{crash,leak,timeout,oom}-SHA1 and the run
# continues.  Logs are fuzz/logs/TARGET.log.
#
# Each artifact is a bug: fix it, then add the input to tests/data/fuzz/
# (tests/functional/fuzz-regressions.sh feeds every file there to
# `csppack validate`) and rerun the target on it:
#     fuzz/fuzz_submission fuzz/artifacts/submission/crash-...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-1800}
[ $# -gt 0 ] && shift
targets=${*:-submission template mail}

"$here/seed.sh"
mkdir -p "$here/logs"
pids=
for t in $targets; do
    bin=$here/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "run: no $bin: run make fuzz first" >&2
        exit 1
    fi
    mkdir -p "$here/artifacts/$t" "$here/corpus-$t"
    echo "run: fuzz_$t for ${seconds}s, log in $here/logs/$t.log"
    (
        cd "$here/artifacts/$t" &&
            exec "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
                -ignore_ooms=1 -max_total_time="$seconds" -timeout=20 \
                -rss_limit_mb=1024 -malloc_limit_mb=256 \
                -dict="$here/xml.dict" -artifact_prefix="$here/artifacts/$t/" \
                "$here/corpus-$t"
    ) >"$here/logs/$t.log" 2>&1 &
    pids="$pids $!"
done
status=0
for p in $pids; do
    wait "$p" || status=1
done
for t in $targets; do
    n=$(find "$here/artifacts/$t" -type f | wc -l)
    echo "run: fuzz_$t: $n finding(s) in $here/artifacts/$t"
    tail -n 3 "$here/logs/$t.log" | sed 's/^/    /'
done
exit $status
