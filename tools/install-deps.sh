#!/usr/bin/env bash
# Installs what building and testing actiond needs, from Debian 12's packages only.
# Idempotent: packages already present are not fetched again. Run as root.
# Usage: tools/install-deps.sh [--with-node] [--with-fuzz] [--with-lint]
set -euo pipefail

packages=(build-essential cmake pkg-config ca-certificates python3 git clang-format
          libboost-dev libre2-dev libsimdjson-dev librocksdb-dev zlib1g-dev libcli11-dev
          libgtest-dev libgmock-dev libbenchmark-dev ccache libssl-dev openssl
          prometheus-cpp-dev libspdlog-dev)
for option in "$@"; do
  case "$option" in
    --with-node)
      # The real-client tests run posthog-node; a machine may already have Node.js from elsewhere.
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    --with-lint)
      # tools/lint.sh: clang-tidy-14 with the checked-in .clang-tidy.
      packages+=(clang-tidy-14)
      ;;
    --with-fuzz)
      # tools/fuzz.sh: clang++-14 and its runtimes (libFuzzer, ASan, UBSan).
      packages+=(clang-14 libclang-rt-14-dev)
      ;;
    *) echo "install-deps: unknown option $option" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
