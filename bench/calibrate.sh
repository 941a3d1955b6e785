#!/usr/bin/env bash
# Calibration (issue 6, "Trust"): one small scenario run both ways, against the real relay on loopback
# (bench/calibrate_load.py replays the scenario's workload) and with `./mailflow simulate`; prints
# accepted / refused / delivered counts and latency percentiles side by side with the relative
# difference (aim: within 5 %). Then the simulator runs again on the real run's own arrivals
# (`mailflow simulate --arrivals`, the offsets calibrate_load.py recorded), so that comparison measures
# the model, not the dice. A measurement, not a test: see bench/README.md, "Calibration".
#
#   bench/calibrate.sh [--scenario scenarios/calibration/calibration.conf] [--seeds "1 2 3 4 5"]
#                      [--trace-seeds "1 2 3 4 5 6 7 8"] [--warmup 3000] [--load-seed 42] [--port-offset P]
#                      [--heap 1g] [--keep]
#
# Every option can also be given as an environment variable: SCENARIO, SEEDS (extra simulator seeds
# for the noise band; "" for none), TRACE_SEEDS (seeds for the runs on the real arrivals, besides the
# scenario's own: with the arrivals fixed they vary only the service times and recipients), WARMUP (messages sent before the run, not counted), LOAD_SEED
# (the load generator's arrival and recipient draws; Python's, so not the simulator's sequence),
# PORT_OFFSET, HEAP, KEEP=1. The relay runs the organization.conf next to the scenario. Exits 0
# when both sides ran (whatever the differences), non-zero when anything failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

SCENARIO="${SCENARIO:-$root/scenarios/calibration/calibration.conf}"
SEEDS="${SEEDS-1 2 3 4 5}"
TRACE_SEEDS="${TRACE_SEEDS-1 2 3 4 5 6 7 8}"
WARMUP="${WARMUP:-3000}"
LOAD_SEED="${LOAD_SEED:-42}"
PORT_OFFSET="${PORT_OFFSET:-32000}"
HEAP="${HEAP:-1g}"
KEEP="${KEEP:-0}"
START_TIMEOUT="${START_TIMEOUT:-300}"   # includes the first build

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --scenario) SCENARIO="$2"; shift 2 ;;
    --seeds) SEEDS="$2"; shift 2 ;;
    --trace-seeds) TRACE_SEEDS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --load-seed) LOAD_SEED="$2"; shift 2 ;;
    --port-offset) PORT_OFFSET="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "calibrate: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

BENCH_NAME=calibrate
. "$here/lib.sh"

command -v python3 >/dev/null || die "python3 is needed"
SCENARIO="$(cd "$(dirname "$SCENARIO")" && pwd)/$(basename "$SCENARIO")"
[ -f "$SCENARIO" ] || die "no scenario $SCENARIO"
ORG="$(dirname "$SCENARIO")/organization.conf"
[ -f "$ORG" ] || die "the relay needs $ORG (the scenario's organization, without the simulator's sections)"

# Ports: the six default connectors at Exchange's port + offset, all free.
PORT_OFFSET=$(free_port_offset "$PORT_OFFSET") || exit 1
PORT=$(( 25 + PORT_OFFSET ))
# The workload's connector: Default Frontend (25) or Client Frontend (587, signed-in clients).
connector=$(grep -Eo 'Connector[[:space:]]*=[[:space:]]*"[^"]+"' "$SCENARIO" | head -1 | sed -E 's/.*"([^"]+)"/\1/')
case "$connector" in
  "Default Frontend "*) LOAD_PORT=$PORT ;;
  "Client Frontend "*) LOAD_PORT=$(( 587 + PORT_OFFSET )) ;;
  *) die "the load generator knows Default Frontend and Client Frontend, not '$connector'" ;;
esac

bench_workdir mailflow-calibrate
data="$tmp/data"

log "building if needed"
(cd "$root" && ./mailflow --version >/dev/null) || die "build failed"

# 1. The simulator first (seconds), so that it does not share the CPU with the real run.
log "simulating $(basename "$SCENARIO") (its own seed, then seeds: ${SEEDS:-none})"
(cd "$root" && ./mailflow simulate "$SCENARIO" --out "$tmp/sim" >"$tmp/sim.out" 2>&1) \
  || { cat "$tmp/sim.out" >&2; die "the simulator failed"; }
seed_reports=()
for s in $SEEDS; do
  (cd "$root" && ./mailflow simulate "$SCENARIO" --seed "$s" --out "$tmp/sim-seed$s" >"$tmp/sim-seed$s.out" 2>&1) \
    || { cat "$tmp/sim-seed$s.out" >&2; die "the simulator failed with seed $s"; }
  seed_reports+=("$tmp/sim-seed$s/report.json")
done

# 2. The real relay: the same organization, on free ports.
limit=$(grep -Eo 'MaxInboundConnectionPerSource[[:space:]]*=[[:space:]]*[0-9]+' "$ORG" | grep -Eo '[0-9]+$' | tail -1)
limit=${limit:-20}
printf 'include file("%s")\nReceiveConnectors.PortOffset = %d\n' "$ORG" "$PORT_OFFSET" >"$tmp/organization.conf"
start_relay "$tmp/organization.conf" "$data" "$tmp/relay.out" "$PORT"
log "MaxInboundConnectionPerSource $limit"

# 3. The same workload against it, in real time.
log "replaying the workload (warm-up $WARMUP messages first)"
python3 "$here/calibrate_load.py" run "$SCENARIO" --port "$LOAD_PORT" --out "$tmp/client.json" \
  --warmup "$WARMUP" --limit "$limit" --seed "$LOAD_SEED" --arrivals-out "$tmp/arrivals.csv"
load_rc=$?
kill -0 "$relay_pid" 2>/dev/null || { relay_pid=""; die "the relay died during the run"; }
sleep 2   # the last deliveries

# 4. A clean stop: the logs are flushed on close.
log "stopping relay (SIGTERM)"
kill -TERM "$relay_pid"
stopped=0
for _ in $(seq 1 120); do kill -0 "$relay_pid" 2>/dev/null || { stopped=1; break; }; sleep 0.5; done
wait "$relay_pid" 2>/dev/null; relay_rc=$?
relay_pid=""
[ "$stopped" = 1 ] || die "relay did not stop within 60 s"
[ "$relay_rc" -ne 0 ] && [ "$relay_rc" -ne 143 ] && die "relay exited $relay_rc"
[ "$load_rc" -eq 0 ] || die "the load generator failed (exit $load_rc)"

# 5. The simulator again, on the arrivals the real run used (after the relay stopped: no shared CPU),
#    with the scenario's seed and TRACE_SEEDS: the comparison is against their mean.
log "simulating on the real run's $(grep -vc '^#' "$tmp/arrivals.csv") arrivals (--arrivals; seeds: own ${TRACE_SEEDS})"
(cd "$root" && ./mailflow simulate "$SCENARIO" --arrivals "$tmp/arrivals.csv" --out "$tmp/sim-trace" >"$tmp/sim-trace.out" 2>&1) \
  || { cat "$tmp/sim-trace.out" >&2; die "the simulator failed on the recorded arrivals"; }
trace_reports=("$tmp/sim-trace/report.json")
for s in $TRACE_SEEDS; do
  (cd "$root" && ./mailflow simulate "$SCENARIO" --arrivals "$tmp/arrivals.csv" --seed "$s" --out "$tmp/sim-trace-seed$s" \
      >"$tmp/sim-trace-seed$s.out" 2>&1) \
    || { cat "$tmp/sim-trace-seed$s.out" >&2; die "the simulator failed on the recorded arrivals with seed $s"; }
  trace_reports+=("$tmp/sim-trace-seed$s/report.json")
done

echo "Mailflow calibration: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), relay heap $HEAP"
python3 "$here/calibrate_load.py" compare --client "$tmp/client.json" --logs "$data/logs" \
  --sim "$tmp/sim/report.json" --sim-trace "${trace_reports[@]}" --sim-seeds "${seed_reports[@]}" --limit "$limit" --json-out "$tmp/calibration.json" \
  || die "the comparison failed"
echo "RESULT: OK (a measurement: the differences are the finding)"
