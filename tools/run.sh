#!/usr/bin/env bash
# Builds a Release actiond and starts it on an embedded RocksDB under ./data, listening on
# 127.0.0.1:8000 (override with ACTIOND_LISTEN), with its web page at / (docs/web.md). Extra
# arguments go to actiond.
set -euo pipefail
cd "$(dirname "$0")/.."

# The server alone, no test tools; Node.js's npm installs the web page's libraries (web/'s lock
# file), which are served as they are: nothing is built with Node.
tools/install-deps.sh --server-only --with-node
(cd web && npm ci --no-audit --no-fund --loglevel=error)
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DACTIOND_BUILD_TESTS=OFF \
      -DACTIOND_BUILD_BENCH=OFF >/dev/null
cmake --build build-release -j"$(nproc)" --target actiond
mkdir -p data
exec build-release/actiond --listen "${ACTIOND_LISTEN:-127.0.0.1:8000}" --data-dir ./data "$@"
