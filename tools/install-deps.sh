#!/usr/bin/env bash
# Installs what building and testing actiond needs, from Debian 12's packages only.
# Idempotent: packages already present are not fetched again. Run as root.
# Usage: tools/install-deps.sh [--server-only] [--with-node] [--with-browser] [--with-fuzz] [--with-lint]
#   --server-only  what building the server needs (tools/run.sh, the Dockerfile), no test tools
set -euo pipefail

# Building actiond.
packages=(build-essential cmake pkg-config ca-certificates git
          libboost-dev libre2-dev libsimdjson-dev librocksdb-dev zlib1g-dev libcli11-dev
          libssl-dev ccache prometheus-cpp-dev libspdlog-dev librdkafka-dev)
# Testing it: unit tests, benchmarks, the black-box tests (Python), the format check, the
# webhook tests' private CA (openssl), the systemd unit's check (systemd-analyze).
test_packages=(python3 clang-format libgtest-dev libgmock-dev libbenchmark-dev openssl systemd)
server_only=0
for option in "$@"; do
  [[ $option == --server-only ]] && server_only=1
done
((server_only)) || packages+=("${test_packages[@]}")
for option in "$@"; do
  case "$option" in
    --server-only) ;;
    --with-node)
      # npm installs the web page's libraries (tools/run.sh, docs/web.md) and the real-client
      # tests' posthog-node; a machine may already have Node.js from elsewhere.
      command -v node >/dev/null 2>&1 || packages+=(nodejs)
      command -v npm >/dev/null 2>&1 || packages+=(npm)
      ;;
    --with-browser)
      # The browser tests drive Debian's chromium headless through npm's playwright-core, which
      # downloads no browser of its own.
      packages+=(chromium)
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
