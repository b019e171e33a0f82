#!/usr/bin/env bash
# Fails, naming file and line, when an #include crosses the floors of docs/architecture.md §2:
#   engine/   includes only engine/ (and RE2, simdjson, the standard library)
#   storage/  includes only engine/ and storage/ (and RocksDB)
#   service/  includes only engine/, storage/ and service/ (never RocksDB, RE2, simdjson, Boost)
#   api/      includes only engine/, service/ and api/ (never storage/, RocksDB, RE2 or simdjson;
#             it alone uses prometheus-cpp and spdlog)
# and when a third-party header appears outside the floor that owns it. The build cannot enforce
# this by itself: every header is included by its path from the repository root
# ("engine/status.h"), and Debian installs every third-party header under /usr/include, where
# any target finds it. Registered with ctest as `layering`.
set -euo pipefail
cd "$(dirname "$0")/.."

# floor → extended regex of the includes it may not use.
declare -A forbidden=(
  [engine]='^#include ["<](storage|service|api)/|^#include <(rocksdb|boost|prometheus|spdlog)/'
  [storage]='^#include ["<](service|api)/|^#include <(boost|prometheus|spdlog)/'
  [service]='^#include ["<]api/|^#include <(rocksdb|re2|simdjson|boost|prometheus|spdlog)[/.]'
  [api]='^#include ["<]storage/|^#include <(rocksdb|re2|simdjson)[/.]'
)

violations=0
for floor in engine storage service api; do
  [[ -d $floor ]] || continue
  while IFS= read -r hit; do
    echo "layering: $hit"
    violations=$((violations + 1))
  done < <(git ls-files "$floor/*.cc" "$floor/*.h" | xargs -r grep -nE "${forbidden[$floor]}" || true)
done
if ((violations > 0)); then
  echo "$violations include(s) cross a floor (docs/architecture.md §2)"
  exit 1
fi
echo "every include stays on its floor or below"
