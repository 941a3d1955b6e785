#!/usr/bin/env bash
# Relay head-to-head (issue 5): the same smtp-source load through Mailflow and through Postfix,
# each relaying to the same Postfix smtp-sink, with equal durability (both sync the message to
# disk before their 250). A figure, not a test: see bench/README.md.
#
#   bench/head-to-head.sh [--messages "N1 N2"] [--sizes "1024 102400"] [--sessions S]
#                         [--repeats R] [--warmup "W1 W2"] [--pf-warmup "W1 W2"] [--heap 1g] [--keep]
#
# Every option can also be given as an environment variable: MESSAGES, SIZES, SESSIONS, REPEATS,
# WARMUP (Mailflow's JVM warm-up), PF_WARMUP, HEAP, KEEP=1. MESSAGES and the warm-ups are one count
# for every size or one count per size. Needs root (a private Postfix instance). Exits non-zero
# when anything failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

SIZES="${SIZES:-1024 102400}"
MESSAGES="${MESSAGES:-20000 3000}"
WARMUP="${WARMUP:-20000 1000}"
PF_WARMUP="${PF_WARMUP:-2000 300}"
SESSIONS="${SESSIONS:-20}"
REPEATS="${REPEATS:-3}"
PORT_OFFSET="${PORT_OFFSET:-31000}"
HEAP="${HEAP:-1g}"
KEEP="${KEEP:-0}"
SETTLE_TIMEOUT="${SETTLE_TIMEOUT:-180}"
STALL_TIMEOUT="${STALL_TIMEOUT:-30}"     # seconds without a message reaching the sink
START_TIMEOUT="${START_TIMEOUT:-300}"   # includes the first build
SENDER="${SENDER:-bench@example.com}"
RECIPIENT="${RECIPIENT:-bob@fabrikam.example}"

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --sizes) SIZES="$2"; shift 2 ;;
    --sessions) SESSIONS="$2"; shift 2 ;;
    --repeats) REPEATS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --pf-warmup) PF_WARMUP="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "head-to-head: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_NAME=h2h
. "$here/lib.sh"

read -r -a sizes <<<"$SIZES"
read -r -a counts <<<"$MESSAGES"
read -r -a warmups <<<"$WARMUP"
read -r -a pf_warmups <<<"$PF_WARMUP"
count_for() { local i=$1; shift; local a=("$@"); [ "${#a[@]}" -gt "$i" ] && echo "${a[$i]}" || echo "${a[0]}"; }

# Tools: Postfix (postfix, smtp-source, smtp-sink) and python3; root for the Postfix instance.
[ "$(id -u)" -eq 0 ] || die "run as root: the Postfix instance's master must start as root"
for t in postfix postconf smtp-source smtp-sink; do
  command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || die "$t not found (apt-get install postfix)"
done
PATH="$PATH:/usr/sbin"
command -v python3 >/dev/null || die "python3 is needed"
id postfix >/dev/null 2>&1 || die "the postfix user does not exist"
pf_version="$(postconf -d -h mail_version)"
case "$pf_version" in 2.*|3.[0-3].*) die "Postfix $pf_version: maillog_file needs Postfix 3.4 or later" ;; esac

# Ports: Mailflow's six connectors at Exchange's port + offset, then the sink and Postfix's smtpd.
PORT_OFFSET=$(free_port_offset "$PORT_OFFSET") || exit 1
MF_PORT=$(( 25 + PORT_OFFSET ))
free_port() { local p=$1; while port_busy "$p" || [ "$p" = "$MF_PORT" ] || [ "$p" = "${2:-0}" ]; do p=$(( p + 1 )); done; echo "$p"; }
SINK_PORT=$(free_port $(( PORT_OFFSET + 50 )))
PF_PORT=$(free_port $(( PORT_OFFSET + 60 )) "$SINK_PORT")

tmp="$(mktemp -d "${TMPDIR:-/tmp}/mailflow-h2h.XXXXXX")"
chmod 755 "$tmp"
mf_data="$tmp/mailflow"
pf="$tmp/postfix"
relay_pid="" sink_pid="" stamp_pid="" pf_started=0 mf_sampler="" pf_sampler=""

pf_master_pid() { tr -d ' \n' <"$pf/queue/pid/master.pid" 2>/dev/null; }
stop_postfix() {
  [ "$pf_started" = 1 ] || return 0
  local m; m=$(pf_master_pid)
  postfix -c "$pf/etc" stop >/dev/null 2>&1
  for _ in $(seq 1 100); do [ -n "$m" ] && kill -0 "$m" 2>/dev/null || break; sleep 0.2; done
  if [ -n "$m" ] && kill -0 "$m" 2>/dev/null; then
    postfix -c "$pf/etc" abort >/dev/null 2>&1; sleep 1; kill -KILL "$m" 2>/dev/null; pf_started=0; return 1
  fi
  pf_started=0
}
cleanup() {
  stop_pid "$mf_sampler" 5; stop_pid "$pf_sampler" 5
  stop_pid "$relay_pid" 30
  stop_postfix
  stop_pid "$stamp_pid" 5
  stop_pid "$sink_pid" 5
  if [ "$KEEP" = 1 ]; then log "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- The sink: Postfix's smtp-sink, -c prints "sess=N quit=N mesg=N" after every message.
log "starting smtp-sink on 127.0.0.1:$SINK_PORT"
smtp-sink -u postfix -c "127.0.0.1:$SINK_PORT" 256 >"$tmp/sink.out" 2>"$tmp/sink.err" &
sink_pid=$!
sleep 0.3
kill -0 "$sink_pid" 2>/dev/null || { cat "$tmp/sink.err" >&2; sink_pid=""; die "smtp-sink did not start"; }
sink_count() {
  local n; n=$(tail -c 96 "$tmp/sink.out" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1)
  echo "${n#mesg=}" | sed 's/^$/0/'
}

# --- Mailflow: the demo organization with a smart-host Send connector to the sink, and Default
# Frontend granted anonymous relay (Ms-Exch-SMTP-Accept-Any-Recipient) without a per-source limit.
log "building Mailflow if needed"
(cd "$root" && ./mailflow --version >/dev/null) || die "build failed"
mkdir -p "$mf_data"
PORT_OFFSET=$PORT_OFFSET SINK_PORT=$SINK_PORT python3 - "$root/transport-core/src/main/resources/mailflow/demo-organization.conf" \
  "$tmp/organization.conf" <<'PY' || die "could not write the Mailflow organization"
import os, re, sys
s = open(sys.argv[1]).read()
s, n1 = re.subn(r"(?m)^(\s*PortOffset\s*=\s*)\d+", r"\g<1>" + os.environ["PORT_OFFSET"], s)
s, n2 = re.subn(r"(?m)^SendConnectors\s*=\s*\[\]",
    'SendConnectors = [ { Name = "To Fabrikam", AddressSpaces = ["SMTP:fabrikam.example;1"], '
    'SmartHosts = ["[127.0.0.1]"], DNSRoutingEnabled = false, Port = %s } ]' % os.environ["SINK_PORT"], s)
s, n3 = re.subn(r"(?m)^(  Connectors = \[\n)",
    r'\g<1>    { Name = "Default Frontend EX01", Server = EX01, '
    r'AnonymousExtendedRights = ["Ms-Exch-SMTP-Accept-Any-Recipient"], MaxInboundConnectionPerSource = unlimited }\n', s, count=1)
if (n1, n2, n3) != (1, 1, 1):
    sys.exit("demo organization changed shape: PortOffset %d, SendConnectors %d, Connectors %d" % (n1, n2, n3))
open(sys.argv[2], "w").write(s)
PY
log "Mailflow relays to the smart host 127.0.0.1:$SINK_PORT"
start_relay "$tmp/organization.conf" "$mf_data" "$tmp/mailflow.out" "$MF_PORT"

# --- Postfix: a second instance with its own config, queue and data directories. Relay for
# 127.0.0.0/8 only, everything to the sink, no local delivery, no DNS. Its log records go to
# postlog_stamp.py (listening on the postlog socket under another service name), which stamps
# them with microseconds; Postfix's own maillog timestamps have whole seconds.
mkdir -p "$pf/etc" "$pf/queue" "$pf/data"
chown postfix "$pf/data"
cat >"$pf/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
syslog_name = postfix-h2h
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
postlog_service_name = h2hlog
myhostname = relay.h2h.test
mydomain = h2h.test
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = fabrikam.example
relayhost = [127.0.0.1]:$SINK_PORT
transport_maps =
local_transport = error:5.1.1 no local delivery here
local_recipient_maps =
alias_maps =
alias_database =
smtp_host_lookup = native
smtp_dns_support_level = disabled
smtpd_peername_lookup = no
enable_long_queue_ids = yes
biff = no
EOF
# Debian's services, chroot off (the instance has no chroot jail), smtpd on our port only.
cat >"$pf/etc/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
postfix -c "$pf/etc" check >"$tmp/postfix-check.out" 2>&1 || { cat "$tmp/postfix-check.out" >&2; die "postfix check failed"; }
mkdir -p "$pf/queue/public"
python3 "$here/postlog_stamp.py" "$pf/queue/public/h2hlog" "$pf/maillog.stamped" >"$tmp/stamp.out" 2>&1 &
stamp_pid=$!
for _ in $(seq 1 50); do grep -q listening "$tmp/stamp.out" && break; sleep 0.1; done
grep -q listening "$tmp/stamp.out" || die "postlog_stamp.py did not start: $(cat "$tmp/stamp.out")"
log "starting Postfix $pf_version instance: smtpd 127.0.0.1:$PF_PORT, relayhost [127.0.0.1]:$SINK_PORT, config $pf/etc"
postfix -c "$pf/etc" start >"$tmp/postfix-start.out" 2>&1 || { cat "$tmp/postfix-start.out" "$pf/maillog.stamped" >&2; die "postfix start failed"; }
pf_started=1
for _ in $(seq 1 50); do port_busy "$PF_PORT" && break; sleep 0.1; done
port_busy "$PF_PORT" || { sleep 1; cat "$pf/maillog.stamped" >&2; die "Postfix is not listening on 127.0.0.1:$PF_PORT"; }
pf_master=$(pf_master_pid)
log "Postfix ready (master pid $pf_master)"

# Memory: peak of the summed RSS and PSS of each relay's process tree, sampled every second.
python3 "$here/head_to_head.py" sample "$relay_pid" "$tmp/mem.mailflow" & mf_sampler=$!
python3 "$here/head_to_head.py" sample "$pf_master" "$tmp/mem.postfix" & pf_sampler=$!

# CPU seconds of a relay: Mailflow's JVM; Postfix's master with its reaped children (cutime,
# cstime) plus its live children (postfix daemons do not fork further here).
clk=$(getconf CLK_TCK)
mf_cpu() { awk -v hz="$clk" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$relay_pid/stat" 2>/dev/null; }
pf_cpu() {
  local p t=0 ticks
  for p in $pf_master $(pgrep -P "$pf_master"); do
    ticks=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null) && t=$(( t + ${ticks:-0} ))
  done
  awk -v t="$t" -v hz="$clk" 'BEGIN { printf "%.2f", t / hz }'
}
relay_cpu() { if [ "$1" = mailflow ]; then mf_cpu; else pf_cpu; fi; }
relay_alive() { if [ "$1" = mailflow ]; then kill -0 "$relay_pid" 2>/dev/null; else kill -0 "$(pf_master_pid)" 2>/dev/null; fi; }
relay_port() { if [ "$1" = mailflow ]; then echo "$MF_PORT"; else echo "$PF_PORT"; fi; }

runs="$tmp/runs.tsv"
: >"$runs"
failed=0
sunk_total=0

# Wait until the relay that just ran is idle (under 10 % of a CPU over 0.5 s, at most 15 s), so
# that its after-work (RocksDB compaction, GC, process exits) does not fall into the other's run.
quiesce() {
  local a b i
  for i in $(seq 1 30); do
    a=$(relay_cpu "$1"); sleep 0.5; b=$(relay_cpu "$1")
    awk -v a="$a" -v b="$b" 'BEGIN { exit !(b - a < 0.05) }' && return 0
  done
}

# One smtp-source run through one relay; wall time until smtp-source exits (every message had its
# 250: smtp-source stops at the first reply that isn't 2xx), then until the sink has counted them.
run() {
  local relay=$1 size=$2 label=$3 msgs=$4 port start acc sunk rc cpu0 cpu1 base target n last last_change
  port=$(relay_port "$relay")
  relay_alive "$relay" || { log "$relay is gone"; failed=1; return 1; }
  base=$(sink_count); target=$(( base + msgs ))
  cpu0=$(relay_cpu "$relay")
  start=$(now_ms)
  smtp-source -d -s "$SESSIONS" -m "$msgs" -l "$size" -f "$SENDER" -t "$RECIPIENT" "127.0.0.1:$port" \
    >"$tmp/smtp-source.out" 2>&1
  rc=$?
  acc=$(now_ms)
  if [ "$rc" -ne 0 ] || [ -s "$tmp/smtp-source.out" ]; then
    log "smtp-source ($relay, $size B, $label) exited $rc:"; sed 's/^/    /' "$tmp/smtp-source.out" | head -20 >&2
    [ "$rc" -ne 0 ] || rc=1
    failed=1
  fi
  sunk="-"; last=-1; last_change=$acc
  while [ "$rc" -eq 0 ]; do
    n=$(sink_count)
    if [ "$n" -ge "$target" ]; then sunk=$(now_ms); break; fi
    [ "$n" -ne "$last" ] && { last=$n; last_change=$(now_ms); }
    if [ $(( $(now_ms) - last_change )) -gt $(( STALL_TIMEOUT * 1000 )) ] || [ $(( $(now_ms) - acc )) -gt $(( SETTLE_TIMEOUT * 1000 )) ]; then
      log "$relay: the sink has $(( n - base )) of $msgs messages and no progress: giving up"; failed=1; break
    fi
    sleep 0.02
  done
  cpu1=$(relay_cpu "$relay")
  [ "$sunk" != "-" ] && sleep 0.3   # a duplicate would show up here
  n=$(sink_count)
  sunk_total=$(( sunk_total + msgs ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$relay" "$size" "$label" "$msgs" "$start" "$acc" "$sunk" "$rc" \
    "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')" "$(( n - base ))" >>"$runs"
  if [ "$sunk" != "-" ]; then
    log "$(printf '%-8s %6s B %-7s %6d msgs: accepted in %6.2f s (%5.0f msg/s), at the sink after %6.2f s (%5.0f msg/s)' \
      "$relay" "$size" "$label" "$msgs" "$(awk -v m=$(( acc - start )) 'BEGIN { print m / 1000 }')" \
      "$(awk -v n="$msgs" -v m=$(( acc - start )) 'BEGIN { print n * 1000 / m }')" \
      "$(awk -v m=$(( sunk - start )) 'BEGIN { print m / 1000 }')" \
      "$(awk -v n="$msgs" -v m=$(( sunk - start )) 'BEGIN { print n * 1000 / m }')")"
  fi
  [ "$n" -gt "$target" ] && { log "the sink counted $(( n - target )) more messages than were sent"; failed=1; }
  [ "$rc" -eq 0 ] && [ "$sunk" != "-" ] || return 1
  quiesce "$relay"
}

# Warm-up of each relay per size, then REPEATS measured rounds, alternating which relay goes first
# (M P, P M, M P, ...) so that slow drifts of the shared machine hit both alike.
for i in "${!sizes[@]}"; do
  size=${sizes[$i]}
  n=$(count_for "$i" "${counts[@]}")
  run mailflow "$size" warm-up "$(count_for "$i" "${warmups[@]}")" || break
  run postfix "$size" warm-up "$(count_for "$i" "${pf_warmups[@]}")" || break
  for r in $(seq 1 "$REPEATS"); do
    if [ $(( r % 2 )) -eq 1 ]; then order="mailflow postfix"; else order="postfix mailflow"; fi
    for relay in $order; do run "$relay" "$size" "$r" "$n" || break 3; done
  done
done
[ "$failed" -ne 0 ] && log "a run failed: the remaining runs are skipped"

# Memory, then a clean stop of both (their logs are complete after it).
mf_hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$relay_pid/status" 2>/dev/null)
pf_hwm=0
for p in $pf_master $(pgrep -P "$pf_master"); do
  k=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null); pf_hwm=$(( pf_hwm + ${k:-0} ))
done
pf_procs=$(( $(pgrep -P "$pf_master" | wc -l) + 1 ))
stop_pid "$mf_sampler" 5; stop_pid "$pf_sampler" 5; mf_sampler=""; pf_sampler=""
read -r mf_rss mf_pss _ 2>/dev/null <"$tmp/mem.mailflow"
read -r pf_rss pf_pss pf_nproc 2>/dev/null <"$tmp/mem.postfix"

log "stopping Mailflow (SIGTERM) and Postfix (postfix stop)"
kill -TERM "$relay_pid"
stopped=0
for _ in $(seq 1 300); do kill -0 "$relay_pid" 2>/dev/null || { stopped=1; break; }; sleep 0.2; done
wait "$relay_pid" 2>/dev/null; relay_rc=$?
[ "$stopped" = 1 ] || { log "Mailflow did not stop within 60 s"; failed=1; stop_pid "$relay_pid" 1; }
[ "$stopped" = 1 ] && [ "$relay_rc" -ne 0 ] && [ "$relay_rc" -ne 143 ] && { log "Mailflow exited $relay_rc"; failed=1; }
relay_pid=""
stop_postfix || { log "Postfix did not stop"; failed=1; }
stop_pid "$stamp_pid" 5; stamp_pid=""
final_sink=$(sink_count)
stop_pid "$sink_pid" 5; sink_pid=""

echo
echo "Relay head-to-head: $(nproc) CPUs, load average before the summary $(cut -d' ' -f1-3 /proc/loadavg)," \
  "smtp-source -d -s $SESSIONS, one smtp-sink; Mailflow $(cd "$root" && ./mailflow --version 2>/dev/null | head -1)" \
  "(-Xmx$HEAP), Postfix $pf_version; data on $(df -P "$tmp" | awk 'NR==2 { print $1 }')"
echo
python3 "$here/head_to_head.py" summary --runs "$runs" --mailflow-logs "$mf_data/logs" \
  --postfix-log "$pf/maillog.stamped" \
  --mailflow-mem "VmHWM $(printf '%s' "${mf_hwm:-?}") MB; sampled peak RSS $(( ${mf_rss:-0} / 1024 )) MB, PSS $(( ${mf_pss:-0} / 1024 )) MB (1 JVM)" \
  --postfix-mem "sampled peak of the sums over its processes: RSS $(( ${pf_rss:-0} / 1024 )) MB, PSS $(( ${pf_pss:-0} / 1024 )) MB (${pf_nproc:-?} processes); sum of VmHWM of the $pf_procs processes alive at the end $(( pf_hwm / 1024 )) MB" \
  || failed=1
echo "  sink: $final_sink messages received, $sunk_total sent (warm-ups included)"
[ "$final_sink" -eq "$sunk_total" ] || { echo "  FAIL: the sink count differs from the messages sent"; failed=1; }
if [ "$failed" -ne 0 ]; then echo "RESULT: FAILED"; exit 1; fi
echo "RESULT: OK"
