#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary DESTDIR (as `cmake --install` would into
# /usr/local) and checks what a package needs: the binary runs (--help), the systemd unit is
# there and systemd accepts it (systemd-analyze verify, with ExecStart pointed at the installed
# binary), the docs are there, and the web page with its libraries is in share/actiond/web, where
# the installed binary finds it without --web-dir (it is started once to see it serve `/`).
# Registered with ctest as `install`.
set -euo pipefail
build=${1:?usage: tools/check-install.sh BUILD_DIR}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
DESTDIR=$root cmake --install "$build" --prefix /usr/local >/dev/null
bin=$root/usr/local/bin/actiond
unit=$root/usr/local/lib/systemd/system/actiond.service
web=$root/usr/local/share/actiond/web
for f in "$bin" "$unit" "$root/usr/local/share/doc/actiond/operations.md" \
         "$root/usr/local/share/doc/actiond/webhooks.md" "$root/usr/local/share/doc/actiond/web.md" \
         "$web/index.html" "$web/app.js" "$web/node_modules/htm/preact/standalone.module.js" \
         "$web/node_modules/uplot/dist/uPlot.esm.js"; do
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
# The installed binary serves the installed page by default (api/web_mounts.h): port 0 picks a
# free port, which the log names.
"$bin" --listen 127.0.0.1:0 --data-dir "$root/data" --threads 1 >"$root/out.log" 2>"$root/err.log" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$root/err.log")
  [[ -n $port ]] && break
  sleep 0.1
done
page=$(exec 3<>"/dev/tcp/127.0.0.1/${port:-1}" &&
       printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&3 && cat <&3) || true
kill "$pid"; wait "$pid" || true
grep -q "serving the web page from $web" "$root/err.log" && [[ $page == *"HTTP/1.1 200"* ]] &&
  [[ $page == *'src="app.js"'* ]] ||
  { echo "install: the installed actiond does not serve the installed page"; cat "$root/err.log"; exit 1; }
echo "install: binary, unit, docs and web page in place; the unit verifies; / serves the page"
