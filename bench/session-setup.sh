#!/usr/bin/env bash
# What a signed-in client's session setup costs on the real relay: STARTTLS, the TLS handshake and
# AUTH PLAIN (remembered, and a wrong password's full PBKDF2 check), each step's median and p99 on
# loopback with a NOOP's round trip beside them (bench/session_setup.py). The simulator's
# ServiceTimes TlsHandshake, Logon and PasswordHashCheck default to these figures. A measurement,
# not a test: see bench/README.md.
#
#   bench/session-setup.sh [--sessions 200] [--port-offset P] [--heap 1g] [--keep]
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
SESSIONS="${SESSIONS:-200}"
PORT_OFFSET="${PORT_OFFSET:-34000}"
HEAP="${HEAP:-1g}"
KEEP="${KEEP:-0}"
START_TIMEOUT="${START_TIMEOUT:-300}"

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) SESSIONS="$2"; shift 2 ;;
    --port-offset) PORT_OFFSET="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "session-setup: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_NAME=session-setup
. "$here/lib.sh"
command -v python3 >/dev/null || die "python3 is needed"
PORT_OFFSET=$(free_port_offset "$PORT_OFFSET") || exit 1
bench_workdir mailflow-session-setup

# The demo organization; Client Frontend answers a wrong password at once and never closes for it,
# so each failed sign-in measures the hash check alone.
cat >"$tmp/organization.conf" <<CONF
include file("$root/transport-core/src/main/resources/mailflow/demo-organization.conf")
ReceiveConnectors.PortOffset = $PORT_OFFSET
ReceiveConnectors.Connectors += { Name = "Client Frontend EX01", Server = EX01, AuthTarpitInterval = "00:00:00",
  MaxLogonFailures = 0, MessageRateLimit = unlimited }
CONF

log "building if needed"
(cd "$root" && ./mailflow --version >/dev/null) || die "build failed"
start_relay "$tmp/organization.conf" "$tmp/data" "$tmp/relay.out" $(( 25 + PORT_OFFSET ))
echo "Mailflow session setup: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), relay heap $HEAP"
python3 "$here/session_setup.py" --port $(( 587 + PORT_OFFSET )) --sessions "$SESSIONS" || die "the client failed"
