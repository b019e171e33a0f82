# shellcheck shell=bash disable=SC2154  # $work and $actiond are the caller's
# Shared by bench/*.sh (sourced, not run): start actiond on a fresh data dir and a free loopback
# port, and stop it. Needs $actiond (the server binary) and $work (a temp dir the caller removes).
#
#   start_server NAME [actiond flags...]   sets server_pid, port, token, key, data_dir
#   stop_server                            SIGTERM, then waits (a graceful close flushes)

server_pid=
start_server() {
  local name=$1
  shift
  data_dir=$work/$name
  token=phc_load_$RANDOM$RANDOM
  key=phx_load_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')  # 32+ characters after phx_
  ACTIOND_PROJECT_TOKEN=$token ACTIOND_PERSONAL_API_KEY=$key \
    "$actiond" --listen 127.0.0.1:0 --data-dir "$data_dir" "$@" >"$work/$name.log" 2>&1 &
  server_pid=$!
  port=
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on .*(port \([0-9]*\)).*/\1/p' "$work/$name.log" | head -1)
    [[ -n $port ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.log" >&2; return 1; }
    sleep 0.1
  done
  echo "actiond did not start" >&2
  cat "$work/$name.log" >&2
  return 1
}

stop_server() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  server_pid=
}
