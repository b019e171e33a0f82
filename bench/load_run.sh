#!/usr/bin/env bash
# One end-to-end load measurement: starts actiond on a fresh temporary data dir and a free
# loopback port, runs load_generator against it (with --verify-url, so stored == acknowledged is
# checked), stops the server with SIGTERM and removes the data dir.
#
#   bench/load_run.sh BUILD_DIR [load_generator flags...]
#   SERVER_ARGS="--fsync" bench/load_run.sh build-rel --connections 64 --duration 60
#   ACTIOND_BIN=other/actiond bench/load_run.sh build-rel ...   (another server binary)
#
# Prints the machine (nproc, CPU model, load average before the run), the commit, and the
# generator's report. Exit status: the generator's (non-zero on any error or mismatch).
set -euo pipefail

build=${1:?usage: bench/load_run.sh BUILD_DIR [load_generator flags...]}
shift
actiond=${ACTIOND_BIN:-$build/actiond}
loadgen=${LOADGEN_BIN:-$build/load_generator}
[[ -x $actiond && -x $loadgen ]] || { echo "need $actiond and $loadgen" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/actiond-load.XXXXXX")
token=phc_load_$RANDOM$RANDOM
key=phx_load_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')  # actiond wants 32+ chars after phx_
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086  # SERVER_ARGS is a list of flags
ACTIOND_PROJECT_TOKEN=$token ACTIOND_PERSONAL_API_KEY=$key \
  "$actiond" --listen 127.0.0.1:0 --data-dir "$work/data" ${SERVER_ARGS:-} \
  >"$work/server.log" 2>&1 &
server_pid=$!

port=
for _ in $(seq 300); do
  port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$work/server.log" | head -1)
  [[ -n $port ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
[[ -n $port ]] || { echo "actiond did not start" >&2; cat "$work/server.log" >&2; exit 1; }

echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server: $actiond ${SERVER_ARGS:-}"
status=0
"$loadgen" --target "127.0.0.1:$port" --token "$token" --verify-url "http://127.0.0.1:$port" \
  --key "$key" --server-pid "$server_pid" "$@" || status=$?
echo "data dir after the run: $(du -sh "$work/data" | cut -f1)"
exit $status
