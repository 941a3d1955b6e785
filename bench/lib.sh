# shellcheck shell=bash
# Shared by the bench scripts (relay-throughput.sh, head-to-head.sh, calibrate.sh): logging, a free
# block of loopback ports for the relay's six default connectors, and stopping what they started.
# A script sets BENCH_NAME (the log prefix) and sources this file.

log() { printf '[%s %s] %s\n' "${BENCH_NAME:-bench}" "$(date +%T)" "$*" >&2; }
die() { log "FAIL: $*"; exit 1; }
now_ms() { date +%s%3N; }

# True when something listens on, or holds, the loopback port.
port_busy() { ss -Htan "sport = :$1" 2>/dev/null | grep -q .; }

# The first PortOffset from $1 (in steps of 100) at which Exchange's six ports + offset are all free.
free_port_offset() {
  local start=$1 try offset p busy
  for try in $(seq 0 20); do
    offset=$(( start + try * 100 )) busy=0
    for p in 25 587 717 2525 465 475; do port_busy $(( p + offset )) && { busy=1; break; }; done
    [ "$busy" -eq 0 ] && { echo "$offset"; return 0; }
  done
  die "no free port range near offset $start"
}

# bench_workdir PREFIX: a private work directory in $tmp (kept with KEEP=1), and traps that stop the
# relay ($relay_pid, if started) and remove the directory however the script ends.
bench_workdir() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  relay_pid=""
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  stop_pid "$relay_pid" 30
  if [ "${KEEP:-0}" = 1 ]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}

# SIGTERM, then SIGKILL after $2 seconds. Returns 1 when it had to kill.
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 $(( $2 * 5 ))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null; return 1
}

# start_relay CONFIG DATA_DIR OUTPUT PORT: starts `./mailflow relay` (heap $HEAP) in the background,
# sets relay_pid (the launcher execs java, so it is the JVM's pid) and waits up to $START_TIMEOUT s
# for "Ready." with Default Frontend listening on 127.0.0.1:PORT.
start_relay() {
  local config=$1 data=$2 out=$3 port=$4 t0
  log "starting relay: Default Frontend 127.0.0.1:$port, -Xmx$HEAP, data $data"
  MAILFLOW_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP" "$root/mailflow" relay --config "$config" \
    --data-dir "$data" --admin-port 0 >"$out" 2>&1 &
  relay_pid=$!
  t0=$(now_ms)
  until grep -q '^Ready\.' "$out" 2>/dev/null; do
    kill -0 "$relay_pid" 2>/dev/null || { cat "$out" >&2; relay_pid=""; die "relay exited before Ready."; }
    [ $(( $(now_ms) - t0 )) -gt $(( START_TIMEOUT * 1000 )) ] && { cat "$out" >&2; die "relay not ready after ${START_TIMEOUT}s"; }
    sleep 0.2
  done
  grep -Eq "127\.0\.0\.1:$port +Default Frontend" "$out" \
    || { cat "$out" >&2; die "Default Frontend is not listening on 127.0.0.1:$port"; }
  log "relay ready in $(( $(now_ms) - t0 )) ms (pid $relay_pid)"
}
