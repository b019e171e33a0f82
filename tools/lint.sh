#!/usr/bin/env bash
# Runs clang-tidy (Debian's clang-tidy-14) with the checked-in .clang-tidy over every C++ source
# file of the project's own code (engine/ storage/ service/ api/ bench/ tools/; the headers they
# include through HeaderFilterRegex), using the compile commands of a configured build. Any
# finding fails the run: the configuration turns every enabled check into an error.
# Ends with `N passed, N failed` (files without and with findings); the exit code is non-zero
# when any file has a finding.
#
# Usage: tools/lint.sh [--build-dir DIR] [FILE...]
#   Environment: LINT_BUILD_DIR (default build; configured here when it has no
#   compile_commands.json).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${LINT_BUILD_DIR:-build}
if [[ "${1:-}" == "--build-dir" ]]; then
  build=$2
  shift 2
fi

tools/install-deps.sh --with-lint
if [[ ! -f "$build/compile_commands.json" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi

files=("$@")
if ((${#files[@]} == 0)); then
  mapfile -t files < <(git ls-files '*.cc' | grep -E '^(engine|storage|service|api|bench|tools)/')
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
export build logs
# One clang-tidy per file, as many at once as there are cores; each writes its own log so the
# findings of one file stay together.
printf '%s\n' "${files[@]}" |
  xargs -P"$(nproc)" -I{} sh -c \
    'clang-tidy-14 --quiet -p "$build" "$1" >"$logs/$(echo "$1" | tr / _).log" 2>&1 \
       || echo "$1" >>"$logs/failed"' _ {}

failed=0
if [[ -f "$logs/failed" ]]; then
  failed=$(sort -u "$logs/failed" | wc -l)
  while read -r file; do
    echo "---- clang-tidy: $file"
    grep -E 'warning:|error:' -A3 "$logs/$(echo "$file" | tr / _).log" | head -60
  done < <(sort -u "$logs/failed")
fi
echo "clang-tidy: ${#files[@]} files checked"
echo "$((${#files[@]} - failed)) passed, $failed failed"
((failed == 0))
