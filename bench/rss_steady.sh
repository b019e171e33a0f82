#!/usr/bin/env bash
# Does memory stay flat under steady ingest? Runs bench/load_run.sh (a fresh server, the load
# generator for DURATION seconds) and samples the server's resident set size every 10 s; prints
# the samples, then RSS after 1 minute and at the end and their ratio. The target
# (docs/performance.md "Memory under steady ingest") is an end RSS within 10% of the 1-minute one.
#
#   bench/rss_steady.sh BUILD_DIR [DURATION_S] [load_generator flags...]
#   bench/rss_steady.sh build 600 --connections 4 --distinct-ids 100000
set -euo pipefail

build=${1:?usage: bench/rss_steady.sh BUILD_DIR [DURATION_S] [load_generator flags...]}
duration=${2:-600}
shift $(($# >= 2 ? 2 : 1))
here=$(cd "$(dirname "$0")" && pwd)

samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
"$here/load_run.sh" "$build" --duration "$duration" --quiet "$@" &
runner=$!

# load_run.sh starts actiond as its own child.
server=
for _ in $(seq 300); do
  server=$(pgrep -P "$runner" -x actiond || true)
  [[ -n $server ]] && break
  sleep 0.1
done
[[ -n $server ]] || { echo "rss_steady: no actiond under load_run.sh" >&2; wait "$runner"; exit 1; }

start=$SECONDS
# Only while the load runs: the generator's verification afterwards is not steady ingest.
while ((SECONDS - start <= duration)) && kill -0 "$server" 2>/dev/null; do
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$server/status" 2>/dev/null || true)
  [[ -n $rss_kb ]] && echo "$((SECONDS - start)) $rss_kb" >>"$samples"
  sleep 10
done
status=0
wait "$runner" || status=$?

echo "RSS samples (seconds since start, MiB):"
awk '{printf "  %4d s  %7.1f MiB\n", $1, $2 / 1024}' "$samples"
# The first sample at or after 60 s, and the last one taken while the load still ran.
awk '$1 >= 60 && !one {one = $2; t1 = $1} {last = $2; tl = $1}
     END {
       if (!one) { print "rss_steady: the run was shorter than a minute"; exit 1 }
       printf "RSS at %d s: %.1f MiB; at %d s: %.1f MiB; ratio %.3f (target <= 1.10)\n",
              t1, one / 1024, tl, last / 1024, last / one
     }' "$samples"
exit $status
