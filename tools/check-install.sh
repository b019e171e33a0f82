#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary DESTDIR (as `cmake --install` would into
# /usr/local) and checks what a package needs: the binary runs (--help), the systemd unit is
# there and systemd accepts it (systemd-analyze verify, with ExecStart pointed at the installed
# binary), the docs are there. Registered with ctest as `install`.
set -euo pipefail
build=${1:?usage: tools/check-install.sh BUILD_DIR}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root cmake --install "$build" --prefix /usr/local >/dev/null
bin=$root/usr/local/bin/actiond
unit=$root/usr/local/lib/systemd/system/actiond.service
for f in "$bin" "$unit" "$root/usr/local/share/doc/actiond/operations.md" \
         "$root/usr/local/share/doc/actiond/webhooks.md"; do
  [[ -e $f ]] || { echo "install: missing $f"; exit 1; }
done
"$bin" --help >/dev/null
grep -q '^DynamicUser=yes' "$unit" && grep -q '^StateDirectory=actiond' "$unit" &&
  grep -q '^ProtectSystem=strict' "$unit" && grep -q '^NoNewPrivileges=yes' "$unit" ||
  { echo "install: the unit lacks its sandboxing"; exit 1; }
command -v systemd-analyze >/dev/null 2>&1 ||
  { echo "install: no systemd-analyze (tools/install-deps.sh installs systemd)"; exit 1; }
sed "s|/usr/local/bin/actiond|$bin|" "$unit" >"$root/actiond.service"
# verify exits 0 on most findings and prints them: any output is a failure.
out=$(systemd-analyze verify "$root/actiond.service" 2>&1) || {
  echo "install: systemd-analyze verify: $out"; exit 1; }
if [[ -n $out ]]; then echo "install: systemd-analyze verify says: $out"; exit 1; fi
echo "install: binary, unit and docs in place; the unit verifies"
