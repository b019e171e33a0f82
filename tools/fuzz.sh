#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cc) with clang++-14, AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs each for a bounded time over its corpus
# (tests/fuzz/corpus/<name>/). A crash, leak, timeout (-timeout per input) or sanitizer report
# fails the target; its log tail and reproducer are printed. One line per target, then
# `N passed, N failed`; the exit code is non-zero when any target failed.
#
# A build directory already configured with -DACTIOND_FUZZ=ON is used as it is: CI passes
# tools/sanitize.sh's build-asan (clang, Debug -O1, ASan + UBSan, tests and fuzz targets in one
# tree), whose fuzz targets are then already built. A new directory gets a fuzz-only build
# (RelWithDebInfo, no tests).
#
# The corpus is copied to a temporary directory, so a run does not add files to the repository;
# with --update-corpus the new inputs that add coverage are merged back (libFuzzer -merge=1).
#
# Usage: tools/fuzz.sh [--time SECONDS] [--build-dir DIR] [--update-corpus] [TARGET...]
#   TARGET: capture, elements_chain, selector, action, property_filter, matcher_differential
#   (default: all)
#   Environment: FUZZ_SECONDS (default 30), FUZZ_BUILD_DIR (default build-fuzz).
#   CI: tools/fuzz.sh --build-dir build-asan, after tools/sanitize.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:-build-fuzz}
update_corpus=0
targets=()
while (($#)); do
  case "$1" in
    --time) seconds=$2; shift 2 ;;
    --build-dir) build=$2; shift 2 ;;
    --update-corpus) update_corpus=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("${1%_fuzz}"); shift ;;
  esac
done
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/*_fuzz.cc; do
    name=$(basename "$source" .cc)
    targets+=("${name%_fuzz}")
  done
fi

tools/install-deps.sh --with-fuzz
# Configuring the sanitizer build with this script's flags would change its build type, drop its
# tests and so rebuild it all: an existing fuzz build is reused as it is configured.
if grep -qs '^ACTIOND_FUZZ:BOOL=ON$' "$build/CMakeCache.txt"; then
  echo "fuzz.sh: using the fuzz build configured in $build"
elif [[ -f "$build/CMakeCache.txt" ]]; then
  echo "fuzz.sh: $build is a build without -DACTIOND_FUZZ=ON; give another --build-dir" >&2
  exit 2
else
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DACTIOND_FUZZ=ON -DACTIOND_BUILD_TESTS=OFF -DACTIOND_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target fuzz_targets

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

# Leaks are checked after each input (-detect_leaks=1); UBSan findings abort (the build uses
# -fno-sanitize-recover=undefined) and print their stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# One target: prints "PASS …" or "FAIL …" (with its log tail) and returns non-zero on failure.
fuzz_one() {
  local name=$1
  local bin="$build/fuzz/${name}_fuzz" corpus="tests/fuzz/corpus/$name" log="$work/$name.log"
  if [[ ! -x "$bin" ]]; then
    echo "FAIL $name: no fuzz target $bin"
    return 1
  fi
  mkdir -p "$work/$name" "$artifacts/$name"
  [[ -d "$corpus" ]] && cp -R "$corpus/." "$work/$name/"
  local seeds status=0 runs cov total report
  seeds=$(find "$work/$name" -type f | wc -l)
  # The outer timeout only guards against libFuzzer itself hanging (it stops on its own).
  timeout --signal=KILL $((seconds + 120)) "$bin" -max_total_time="$seconds" -timeout=5 \
    -rss_limit_mb=2048 -detect_leaks=1 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$name/" "$work/$name" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  total=$(find "$work/$name" -type f | wc -l)
  report=$(grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: |ALARM: working on|==ERROR|out-of-memory' "$log" || true)
  if ((status == 0)) && [[ -z "$report" ]]; then
    echo "PASS $name: ${seconds}s, ${runs:-?} runs, cov ${cov:-?}, corpus $seeds -> $total"
    if ((update_corpus)); then
      "$bin" -merge=1 "$repo/$corpus" "$work/$name" >"$work/$name.merge.log" 2>&1 || {
        echo "fuzz.sh: merging into $corpus failed (see $work/$name.merge.log)" >&2; }
    fi
    return 0
  fi
  echo "FAIL $name: exit $status after ${runs:-?} runs; reproducer(s) in $artifacts/$name/"
  echo "---- $name: last lines of the libFuzzer log"
  tail -n 60 "$log" | sed 's/^/  /'
  echo "----"
  return 1
}

# Each libFuzzer process uses one core: run as many targets at once as there are cores, each
# for its full time, and print their results in target order.
for name in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do wait -n || true; done
  (fuzz_one "$name" >"$work/$name.result" 2>&1; echo $? >"$work/$name.status") &
done
wait
passed=0
failed=0
for name in "${targets[@]}"; do
  cat "$work/$name.result"
  if [[ "$(cat "$work/$name.status" 2>/dev/null)" == 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
((failed == 0))
