#!/usr/bin/env bash
# 1 node against 2 nodes of a cluster on tools/mock-kafka, 8 projects: events/s and the delay
# from an acknowledged capture to the event being readable, in one run (bench/cluster_run.py).
#
#   bench/cluster_run.sh BUILD_DIR [--duration S] [--connections N]
set -euo pipefail
exec python3 "$(dirname "$0")/cluster_run.py" "$@"
