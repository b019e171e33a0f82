#!/usr/bin/env bash
# Fails, naming the files, when a tracked C++ file differs from what clang-format makes of it
# (.clang-format: Google style, 100 columns). Fix with:
#   git ls-files '*.cc' '*.h' | xargs clang-format -i
# Registered with ctest as `clang_format`.
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
report=$(git ls-files -z '*.cc' '*.h' | xargs -0 "$clang_format" --dry-run --Werror 2>&1) || true
unformatted=$(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' \
                <<<"$report" | sort -u)
if [[ -n $unformatted ]]; then
  echo "not clang-formatted:"
  sed 's/^/  /' <<<"$unformatted"
  exit 1
fi
if grep -q . <<<"$report"; then  # clang-format failed in another way
  echo "$report" | head -20
  exit 1
fi
echo "all C++ files are clang-formatted"
