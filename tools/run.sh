#!/usr/bin/env bash
# Builds a Release actiond and starts it on an embedded RocksDB under ./data, listening on
# 127.0.0.1:8000 (override with ACTIOND_LISTEN). Extra arguments go to actiond.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh --server-only  # the server alone: no test tools
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DACTIOND_BUILD_TESTS=OFF \
      -DACTIOND_BUILD_BENCH=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target actiond
mkdir -p data
exec build-release/actiond --listen "${ACTIOND_LISTEN:-127.0.0.1:8000}" --data-dir ./data "$@"
