#!/usr/bin/env bash
# Builds actiond and its tests with clang++-14, AddressSanitizer + UndefinedBehaviorSanitizer
# (-DACTIOND_SANITIZE=ON: -fsanitize=address,undefined -fno-sanitize-recover=undefined) in a
# second build directory and runs the whole ctest suite there: unit tests, golden and
# differential tests, and the black-box tests against the sanitized actiond. Any sanitizer report
# (memory error, leak, undefined behaviour) fails the test that triggered it; the black-box
# harness (tests/blackbox/server.py) fails a test module whose servers reported one.
# The same build also has -DACTIOND_FUZZ=ON and builds the libFuzzer targets (fuzz_targets), so
# `tools/fuzz.sh --build-dir build-asan` (as CI runs it) fuzzes without a third build.
# Ends with ctest's summary line; the exit code is ctest's.
#
# Usage: tools/sanitize.sh [--build-dir DIR] [ctest arguments...]
#   Environment: SANITIZE_BUILD_DIR (default build-asan).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${SANITIZE_BUILD_DIR:-build-asan}
if [[ "${1:-}" == "--build-dir" ]]; then
  build=$2
  shift 2
fi

tools/install-deps.sh --with-node --with-browser --with-fuzz
if [[ -f tests/client/package.json ]]; then
  (cd tests/client && npm ci --no-audit --no-fund --loglevel=error)
fi
# The web page's libraries, which the install test needs (CI's test stage has installed them
# already; a fresh clone has not).
(cd web && npm ci --no-audit --no-fund --loglevel=error)
# -O1 keeps the sanitized suite quick without hiding bugs behind optimisation; assertions stay on
# (no NDEBUG). The benchmarks are not built here: they measure the Release build, and compiling
# them sanitized cost CI minutes for no test (the load generator's smoke test runs in Release).
# clang rather than gcc because libFuzzer needs it: one build then serves the tests and the
# fuzz targets (part of `all`), which CI used to build twice, in a gcc and a clang tree.
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" -DACTIOND_SANITIZE=ON -DACTIOND_FUZZ=ON -DACTIOND_WERROR=ON \
  -DACTIOND_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
ctest -j"$(nproc)" --output-on-failure --timeout 900 "$@"
