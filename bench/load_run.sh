#!/usr/bin/env bash
# One end-to-end load measurement: starts actiond on a fresh temporary data dir and a free
# loopback port, runs load_generator against it (with --verify-url, so stored == acknowledged is
# checked), stops the server with SIGTERM and removes the data dir.
#
#   bench/load_run.sh BUILD_DIR [load_generator flags...]
#   SERVER_ARGS="--fsync" bench/load_run.sh build-rel --connections 64 --duration 60
#   ACTIOND_BIN=other/actiond bench/load_run.sh build-rel ...   (another server binary)
#   bench/load_run.sh BUILD_DIR --ceiling [ingest_ceiling_run.sh flags...]
#
# Prints the machine (nproc, CPU model, load average before the run), the commit, and the
# generator's report. Exit status: the generator's (non-zero on any error or mismatch).
#
# --ceiling runs bench/ingest_ceiling_run.sh instead: the HTTP ingest, the RocksDB ceiling of
# the same bytes, and 1 against 4 projects, in one run, with their ratios.
set -euo pipefail

build=${1:?usage: bench/load_run.sh BUILD_DIR [load_generator flags...]}
shift
if [[ ${1:-} == --ceiling ]]; then
  shift
  exec "$(dirname "$0")/ingest_ceiling_run.sh" "$build" "$@"
fi
actiond=${ACTIOND_BIN:-$build/actiond}
loadgen=${LOADGEN_BIN:-$build/load_generator}
[[ -x $actiond && -x $loadgen ]] || { echo "need $actiond and $loadgen" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/actiond-load.XXXXXX")
# shellcheck source=bench/server_lib.sh
source "$(dirname "$0")/server_lib.sh"
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
start_server data ${SERVER_ARGS:-}

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $actiond ${SERVER_ARGS:-}"
status=0
"$loadgen" --target "127.0.0.1:$port" --token "$token" --verify-url "http://127.0.0.1:$port" \
  --key "$key" --server-pid "$server_pid" "$@" || status=$?
echo "data dir after the run: $(du -sh "$data_dir" | cut -f1)"
exit $status
