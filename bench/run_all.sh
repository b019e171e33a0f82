#!/usr/bin/env bash
# Every figure of issue #11 in one run, on the shared workload, with one summary table:
# figure | ceiling or baseline | ratio | target (docs/performance.md "All benchmarks in one run").
#
#   bench/run_all.sh BUILD_DIR [--quick] [--workload DIR]
#
#   matching     bench/match_bench: BM_MatchOnly/1000 (1,000 actions) beside BM_Read (reading
#                a stored record), CPU ns per event, the workload's first 50,000 events
#   counts       bench/count_latency.py: count p99 while 8 connections ingest, beside idle
#   ingest       bench/ingest_ceiling_run.sh: HTTP ingest (4 connections) beside the RocksDB
#                ceiling of the same bytes; 4 projects beside 1
#   backfill     bench/backfill_bench: one action's backfill beside a bare scan of the events
#
# The workload (bench/gen_workload.py: 1,000 actions, 200,000 events) is generated into DIR
# when DIR has none (default /tmp/actiond-workload; --quick: 20,000 events in DIR-quick).
# --quick shortens every part (about a minute instead of about five) for a smoke run; its
# figures are noisier. Needs a Release build with actiond, load_generator, ingest_ceiling,
# match_bench and backfill_bench. Not part of CI: timing belongs in benchmarks, not tests.
set -euo pipefail

build=${1:?usage: bench/run_all.sh BUILD_DIR [--quick] [--workload DIR]}
shift
quick=0
workload=/tmp/actiond-workload
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) quick=1; shift ;;
    --workload) workload=$2; shift 2 ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
for bin in actiond load_generator ingest_ceiling bench/match_bench bench/backfill_bench; do
  [[ -x $build/$bin ]] || { echo "need $build/$bin (cmake --build $build --target ...)" >&2; exit 2; }
done

if ((quick)); then
  workload=$workload-quick
  events=20000 min_time=0.3 batches=500 backfill_events=20000
else
  events=200000 min_time=1 batches=3000 backfill_events=200000
fi
if [[ ! -s $workload/events.jsonl ]]; then
  mkdir -p "$workload"
  echo "== generating the workload ($events events) into $workload"
  python3 "$here/gen_workload.py" --actions-out "$workload" --events-out "$workload" \
    --events "$events"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/actiond-run-all.XXXXXX")
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "== run_all: $started, commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)," \
  "nproc $(nproc), load average before: $load_before"

echo "== 1/4 matching (bench/match_bench)"
ACTIOND_WORKLOAD_DIR=$workload "$build/bench/match_bench" \
  --benchmark_filter='^BM_Read$|^BM_MatchOnly/1000$' --benchmark_min_time="$min_time" \
  --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$work/match.json" --benchmark_out_format=json

echo "== 2/4 count latency, idle and under 8 ingesting connections (bench/count_latency.py)"
python3 "$here/count_latency.py" --actiond "$build/actiond" --events 1000 --load-connections 8 |
  tee "$work/count.txt"

echo "== 3/4 ingest against its ceiling, 1 and 4 projects (bench/ingest_ceiling_run.sh)"
"$here/ingest_ceiling_run.sh" "$build" --batches "$batches" --connections 4 --projects 4 \
  --report-json "$work/ingest.json"

echo "== 4/4 backfill against a bare scan (bench/backfill_bench)"
ACTIOND_WORKLOAD_DIR=$workload ACTIOND_BACKFILL_EVENTS=$backfill_events \
  "$build/bench/backfill_bench" --benchmark_out="$work/backfill.json" \
  --benchmark_out_format=json

python3 - "$work" "$started" "$load_before" <<'PY'
import json, re, sys
work, started, load_before = sys.argv[1:4]

def bench(path, name, field="cpu_time", aggregate="median"):
    for b in json.load(open(path))["benchmarks"]:
        run = b["run_name"]  # with modifiers: "BM_Scan_Bare/min_time:2.000/real_time"
        if (run == name or run.startswith(name + "/")) and \
                b.get("aggregate_name", aggregate) == aggregate:
            return b[field]
    raise SystemExit(f"no {name} in {path}")

rows = []
read_ns = bench(f"{work}/match.json", "BM_Read")
match_ns = bench(f"{work}/match.json", "BM_MatchOnly/1000")
rows.append(("match, 1,000 actions (CPU per event)", f"{match_ns / 1000:.2f} µs",
             f"read a record: {read_ns / 1000:.2f} µs", f"{match_ns / read_ns:.2f}", "—"))

text = open(f"{work}/count.txt").read()
# The all-time count's p99 in a phase: end to end, and inside the server (router to answer,
# from its access log). What the second leaves of the first is waiting for a CPU, in the
# server's I/O threads and in the client.
def count_p99s(phase):
    line = re.search(r"count \(all time\)\s+p50\s+[\d.]+ ms\s+p99\s+([\d.]+) ms.*?"
                     r"in the server: p50 [\d.]+ ms\s+p99 ([\d.]+) ms",
                     text.split(phase, 1)[1])
    return float(line[1]), float(line[2])
(idle, idle_own) = count_p99s("after a restart")
(loaded, loaded_own) = count_p99s("while 8 connections")
rows.append(("count p99, 8 connections ingesting", f"{loaded:.2f} ms", f"idle: {idle:.2f} ms",
             f"{loaded / idle:.2f}", "≤ 3"))
rows.append(("  of which in the server (router to answer)", f"{loaded_own:.3f} ms",
             f"idle: {idle_own:.3f} ms", f"{loaded_own / idle_own:.2f}", "—"))

ingest = json.load(open(f"{work}/ingest.json"))
http, ceiling, many = ingest["http"], ingest["ceiling"], ingest["projects"]
rows.append(("HTTP ingest, 4 connections, 1 project", f"{http['events_per_s']:,.0f} events/s",
             f"RocksDB ceiling: {ceiling['events_per_s']:,.0f} events/s",
             f"{ingest['http_ratio']:.2f}", "≥ 0.70"))
rows.append((f"HTTP ingest, {ingest['project_count']} projects at once",
             f"{many['events_per_s']:,.0f} events/s",
             f"1 project: {http['events_per_s']:,.0f} events/s",
             f"{ingest['projects_ratio']:.2f}", "≥ 1.6"))

scan = bench(f"{work}/backfill.json", "BM_Scan_Bare", "items_per_second")
backfill = bench(f"{work}/backfill.json", "BM_Backfill_OneAction", "items_per_second")
rows.append(("backfill of one action", f"{backfill:,.0f} events/s",
             f"bare scan: {scan:,.0f} events/s", f"{backfill / scan:.2f}", "≥ 0.50"))

print()
print(f"Summary ({started}; load average before {load_before}, "
      f"after {open('/proc/loadavg').read().split()[0]})")
print()
print("| figure | value | ceiling or baseline | ratio | target |")
print("|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PY
