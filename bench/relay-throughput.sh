#!/usr/bin/env bash
# Relay throughput benchmark: starts a Mailflow relay on a private data directory and drives its
# Default Frontend connector with Postfix's smtp-source. A figure, not a test: see bench/README.md.
#
#   bench/relay-throughput.sh [--messages "N1 N2"] [--sessions S] [--sizes "1024 102400"]
#                             [--repeats R] [--warmup "W1 W2"] [--port-offset P] [--heap 1g] [--keep]
#
# Every option can also be given as an environment variable: MESSAGES, SESSIONS, SIZES, REPEATS,
# WARMUP, PORT_OFFSET, HEAP, KEEP=1. MESSAGES and WARMUP are one count for every size or one count
# per size (in the order of SIZES). Exits non-zero when anything failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

SIZES="${SIZES:-1024 102400}"
MESSAGES="${MESSAGES:-20000 5000}"
WARMUP="${WARMUP:-30000 3000}"
SESSIONS="${SESSIONS:-20}"
REPEATS="${REPEATS:-3}"
PORT_OFFSET="${PORT_OFFSET:-30000}"
HEAP="${HEAP:-1g}"
KEEP="${KEEP:-0}"
SETTLE_TIMEOUT="${SETTLE_TIMEOUT:-180}"
START_TIMEOUT="${START_TIMEOUT:-300}"   # includes the first build
SENDER="${SENDER:-bench@example.com}"
RECIPIENT="${RECIPIENT:-kate@contoso.test}"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --sessions) SESSIONS="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --port-offset) PORT_OFFSET="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "relay-throughput: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done


BENCH_NAME=bench
. "$here/lib.sh"

read -r -a sizes <<<"$SIZES"
read -r -a counts <<<"$MESSAGES"
read -r -a warmups <<<"$WARMUP"
count_for() { local i=$1; shift; local a=("$@"); [ "${#a[@]}" -gt "$i" ] && echo "${a[$i]}" || echo "${a[0]}"; }

# 1. Postfix's smtp-source.
SMTP_SOURCE="$(command -v smtp-source || true)"
[ -z "$SMTP_SOURCE" ] && [ -x /usr/sbin/smtp-source ] && SMTP_SOURCE=/usr/sbin/smtp-source
if [ -z "$SMTP_SOURCE" ]; then
  log "smtp-source is missing: installing Postfix"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y postfix >&2 \
    || { DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get update >&2 \
         && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y postfix >&2; } \
    || die "could not install postfix"
  SMTP_SOURCE=/usr/sbin/smtp-source
  [ -x "$SMTP_SOURCE" ] || die "smtp-source not found after installing postfix"
fi
command -v python3 >/dev/null || die "python3 is needed for the summary"

# 2. Ports out of the way: the six default connectors sit at Exchange's port + offset.
PORT_OFFSET=$(free_port_offset "$PORT_OFFSET") || exit 1
PORT=$(( 25 + PORT_OFFSET ))

bench_workdir mailflow-bench
data="$tmp/data"

sed -E "s/^([[:space:]]*PortOffset[[:space:]]*=[[:space:]]*)[0-9]+/\1$PORT_OFFSET/" \
  "$root/transport-core/src/main/resources/mailflow/demo-organization.conf" >"$tmp/organization.conf"
grep -Eq "^[[:space:]]*PortOffset[[:space:]]*=[[:space:]]*$PORT_OFFSET\b" "$tmp/organization.conf" \
  || die "could not set PortOffset in the generated config"

# Build first (the launcher builds when sources changed), so that start-up is timed on its own.
log "building if needed"
(cd "$root" && ./mailflow --version >/dev/null) || die "build failed"

start_relay "$tmp/organization.conf" "$data" "$tmp/relay.out" "$PORT"

delivered() { find "$data"/mailboxes/*/kate/new -type f 2>/dev/null | wc -l; }
relay_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$relay_pid/stat"; }

runs="$tmp/runs.tsv"
: >"$runs"
sent=0
failed=0

# 3. One smtp-source run: -d keeps each of the SESSIONS connections open for its share of the
# messages (smtp-source has no "k messages per connection": without -d it reconnects every message).
run() {
  local label=$1 size=$2 msgs=$3 start end rc cpu0 cpu1 settle_start settle
  kill -0 "$relay_pid" 2>/dev/null || { log "relay is gone"; failed=1; return 1; }
  cpu0=$(relay_cpu)
  start=$(now_ms)
  "$SMTP_SOURCE" -d -s "$SESSIONS" -m "$msgs" -l "$size" -f "$SENDER" -t "$RECIPIENT" \
    "127.0.0.1:$PORT" >"$tmp/smtp-source.out" 2>&1
  rc=$?
  end=$(now_ms)
  cpu1=$(relay_cpu)
  if [ "$rc" -ne 0 ] || [ -s "$tmp/smtp-source.out" ]; then
    log "smtp-source ($label, $size B) exited $rc:"; sed 's/^/    /' "$tmp/smtp-source.out" >&2
    [ "$rc" -ne 0 ] || rc=1   # anything printed is a warning or error
    failed=1
  fi
  sent=$(( sent + msgs ))
  # Let delivery drain before the next run, so that runs do not overlap. Give up after
  # SETTLE_TIMEOUT seconds, or 30 s without progress; not at all when smtp-source failed.
  settle_start=$(now_ms); settle="timeout"
  local last=-1 last_change=$settle_start n
  while [ "$rc" -eq 0 ] && [ $(( $(now_ms) - settle_start )) -lt $(( SETTLE_TIMEOUT * 1000 )) ]; do
    n=$(delivered)
    if [ "$n" -ge "$sent" ]; then
      settle=$(awk -v ms=$(( $(now_ms) - settle_start )) 'BEGIN { printf "%.1f", ms / 1000 }'); break
    fi
    [ "$n" -ne "$last" ] && { last=$n; last_change=$(now_ms); }
    [ $(( $(now_ms) - last_change )) -gt 30000 ] && { settle="stalled"; break; }
    sleep 0.2
  done
  [ "$rc" -ne 0 ] && settle="-"
  local wall; wall=$(awk -v ms=$(( end - start )) 'BEGIN { printf "%.3f", ms / 1000 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$size" "$msgs" "$start" "$end" "$wall" "$rc" \
    "$settle" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')" >>"$runs"
  log "$(printf '%6s B %-7s %6d msgs in %7ss = %5.0f msg/s, mailboxes caught up after +%s s' "$size" "$label" \
    "$msgs" "$wall" "$(awk -v m="$msgs" -v w="$wall" 'BEGIN { print m / w }')" "$settle")"
  case "$settle" in timeout|stalled) log "delivery did not catch up ($settle)"; failed=1 ;; esac
  [ "$rc" -eq 0 ]
}

for i in "${!sizes[@]}"; do
  size=${sizes[$i]}
  run warm-up "$size" "$(count_for "$i" "${warmups[@]}")" || break
  for r in $(seq 1 "$REPEATS"); do
    run "$r" "$size" "$(count_for "$i" "${counts[@]}")" || break 2
  done
done
[ "$failed" -ne 0 ] && log "a run failed: the remaining runs are skipped"

# 5. Mailboxes and memory, then 6. a clean stop (SIGTERM; the logs are flushed on close).
final_delivered=$(delivered)
hwm=$(awk '/^VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$relay_pid/status" 2>/dev/null)
log "stopping relay (SIGTERM)"
kill -TERM "$relay_pid"
stopped=0
for _ in $(seq 1 120); do kill -0 "$relay_pid" 2>/dev/null || { stopped=1; break; }; sleep 0.5; done
wait "$relay_pid" 2>/dev/null; relay_rc=$?
[ "$stopped" = 1 ] || { log "relay did not stop within 60 s"; failed=1; }
[ "$stopped" = 1 ] && [ "$relay_rc" -ne 0 ] && [ "$relay_rc" -ne 143 ] && { log "relay exited $relay_rc"; failed=1; }
relay_pid=""

echo
echo "Mailflow relay throughput: $(nproc) CPUs, smtp-source -d -s $SESSIONS, Default Frontend 127.0.0.1:$PORT" \
  "(Verbose protocol log), heap $HEAP, data on $(df -P "$tmp" | awk 'NR==2 { print $1 }')"
python3 "$here/protolog_stats.py" --runs "$runs" --logs "$data/logs/ProtocolLog/SmtpReceive" || failed=1
echo "  delivered to mailboxes/*/kate/new: $final_delivered of $sent sent (warm-up included)"
echo "  relay peak RSS (VmHWM): ${hwm:-unknown}"
if [ "$final_delivered" -lt "$sent" ]; then echo "  FAIL: fewer messages delivered than sent"; failed=1; fi
if [ "$failed" -ne 0 ]; then echo "RESULT: FAILED"; exit 1; fi
echo "RESULT: OK"
