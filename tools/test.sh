#!/usr/bin/env bash
# Builds actiond and runs every test: unit, golden, differential, black-box server tests, the
# conformance runner and the real posthog-node client. Ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh --with-node --with-browser
if [[ -f tests/client/package.json ]]; then
  # Real clients for the tests: posthog-node, posthog-js and playwright-core (which drives the
  # system's chromium). The lock file pins them; npm's cache makes a repeat run cheap.
  (cd tests/client && npm ci --no-audit --no-fund --loglevel=error)
fi
# The web page's libraries (docs/web.md), which the browser test and the install test need.
(cd web && npm ci --no-audit --no-fund --loglevel=error)
# Release, as tools/run.sh builds the server users run, with every warning an error (GCC 12 warns
# about some things only when it inlines at -O3). ccache, when present, shares object files
# between this build, the lint stage's compile commands and earlier runs.
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DACTIOND_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest -j"$(nproc)" --output-on-failure --timeout 900 "$@"
