#!/usr/bin/env bash
# Issue #11 item 4 in one run: the HTTP ingest against its RocksDB ceiling, and one project
# against several ingesting at once (docs/performance.md "Ingest against its ceiling").
#
#   bench/ingest_ceiling_run.sh BUILD_DIR [--batches N] [--connections C] [--projects P]
#                               [--distinct-ids D] [--report-json FILE]
#                               [-- load_generator flags...]
#
# 1. HTTP, one project: actiond --keep-wal on a fresh data dir; load_generator posts N gzip
#    batches of 100 events (all built and compressed before the clock starts) over C
#    connections; the server is stopped.
# 2. Ceiling: ingest_ceiling reads back every batch that server committed and times writing
#    exactly those batches into a fresh store opened with the same options; it also checks
#    the server stored exactly the acknowledged events.
# 3. HTTP, P projects: a fresh server, the same N batches over the same C connections, spread
#    over P projects (connection i posts to project i mod P), verified per project. Each
#    project gets D/P distinct ids (default D 10,000), so that both runs create the same number
#    of persons: with D ids in every project the P-project run would create up to P times as
#    many, and measure that rather than the projects' parallelism.
# Prints each rate, the server's and the generator's CPU, and the two ratios against their
# targets (HTTP >= 70% of the ceiling; P projects >= 1.6x one). Exit 1 on any error or
# mismatch; the ratios themselves are reported, not enforced (timing belongs in benchmarks).
set -euo pipefail

build=${1:?usage: bench/ingest_ceiling_run.sh BUILD_DIR [flags...]}
shift
batches=3000
connections=4
projects=4
distinct_ids=10000
report_json=
while [[ $# -gt 0 ]]; do
  case $1 in
    --batches) batches=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --projects) projects=$2; shift 2 ;;
    --distinct-ids) distinct_ids=$2; shift 2 ;;
    --report-json) report_json=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown flag $1" >&2; exit 2 ;;
  esac
done
actiond=${ACTIOND_BIN:-$build/actiond}
loadgen=${LOADGEN_BIN:-$build/load_generator}
ceiling=${CEILING_BIN:-$build/ingest_ceiling}
for bin in "$actiond" "$loadgen" "$ceiling"; do
  [[ -x $bin ]] || { echo "need $bin" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/actiond-ceiling.XXXXXX")
# shellcheck source=bench/server_lib.sh
source "$(dirname "$0")/server_lib.sh"
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

field() {  # field FILE KEY: a number from a one-line JSON report
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "commit: $(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "== 1. HTTP, 1 project, $connections connections, $batches batches of 100 (--keep-wal)"
start_server one --keep-wal
"$loadgen" --target "127.0.0.1:$port" --token "$token" --key "$key" --server-pid "$server_pid" \
  --connections "$connections" --batches "$batches" --prebuild "$batches" --quiet \
  --distinct-ids "$distinct_ids" --report-json "$work/one.json" "$@"
stop_server

echo "== 2. ceiling: the same committed batches into a fresh store, RocksDB only"
"$ceiling" --source "$work/one" --expect-events "$(field "$work/one.json" events_acked)" \
  --scratch "$work/ceiling" --report-json "$work/ceiling.json"
rm -rf "$work/one" "$work/ceiling"

echo "== 3. HTTP, $projects projects, $connections connections, $batches batches of 100," \
  "$((distinct_ids / projects)) distinct ids per project"
start_server many --keep-wal
"$loadgen" --target "127.0.0.1:$port" --token "$token" --key "$key" --server-pid "$server_pid" \
  --verify-url "http://127.0.0.1:$port" --projects "$projects" \
  --connections "$connections" --batches "$batches" --prebuild "$batches" --quiet \
  --distinct-ids "$((distinct_ids / projects))" --report-json "$work/many.json" "$@"
stop_server

python3 - "$work" "$projects" "$report_json" <<'PY'
import json, sys
work, projects, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
one = json.load(open(f"{work}/one.json"))
ceiling = json.load(open(f"{work}/ceiling.json"))
many = json.load(open(f"{work}/many.json"))
http_ratio = one["events_per_s"] / ceiling["events_per_s"]
projects_ratio = many["events_per_s"] / one["events_per_s"]
print("== summary")
print(f"HTTP ingest, 1 project   {one['events_per_s']:>10,.0f} events/s")
print(f"RocksDB ceiling          {ceiling['events_per_s']:>10,.0f} events/s")
print(f"  ratio                  {http_ratio:10.2f}   (target >= 0.70)")
print(f"HTTP ingest, {projects} projects  {many['events_per_s']:>10,.0f} events/s")
print(f"  ratio to 1 project     {projects_ratio:10.2f}   (target >= 1.6)")
if out:
    json.dump({"http": one, "ceiling": ceiling, "projects": many, "project_count": projects,
               "http_ratio": http_ratio, "projects_ratio": projects_ratio}, open(out, "w"))
PY
