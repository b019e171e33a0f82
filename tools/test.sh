#!/usr/bin/env bash
# Builds actiond and runs every test: unit, golden, differential, black-box server tests, the
# conformance runner and the real posthog-node client. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh --with-node
if [[ -f tests/client/package.json ]]; then
  # posthog-node for the real-client test; npm's cache makes a repeat run cheap.
  (cd tests/client && npm install --no-audit --no-fund --loglevel=error)
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest -j"$(nproc)" --output-on-failure --timeout 900
