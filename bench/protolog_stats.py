#!/usr/bin/env python3
"""Summarise a relay-throughput.sh run (Python 3 standard library only).

Reads the runs file written by relay-throughput.sh (tab-separated: label, size, messages,
start_ms, end_ms, wall_s, rc, settle_s, cpu_s) and the SMTP receive protocol logs
(RECV*.LOG), and prints one row per run plus a summary per message size.

Latency: for every session, the "*" info line "Received N octets of message data" (logged when
the end-of-data dot arrives) is paired with the next ">" line of the same session-id, which must
be "250 2.6.0 ... Queued mail for delivery" (logged after the spool's synced write). The
difference of the two date-time fields is the server-side end-of-data -> 250 latency; the log
has millisecond resolution, so every figure is +/- 1 ms. Each pair is attributed to the run
whose wall-clock window contains its "Received" line.

Exit status 1 when a run's acknowledged count in the log differs from the messages sent, or a
reply other than 250 2.6.0 followed an end-of-data.
"""
import argparse
import glob
import os
import statistics
import sys
from datetime import datetime, timezone


def parse_ms(stamp):
    # 2026-11-22T13:14:30.212Z
    dt = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return dt.timestamp() * 1000.0


def read_runs(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            label, size, msgs, start, end, wall, rc, settle, cpu = line.split("\t")
            runs.append(dict(label=label, size=int(size), msgs=int(msgs), start=int(start), end=int(end),
                             wall=float(wall), rc=int(rc), settle=settle, cpu=float(cpu),
                             lat=[], bad=0))
    return runs


def pairs(log_dir):
    """Yield (received_ms, latency_ms or None when the reply was not 250 2.6.0)."""
    files = sorted(glob.glob(os.path.join(log_dir, "RECV*.LOG")),
                   key=lambda p: (os.path.basename(p).split("-")[0],
                                  int(os.path.basename(p).split("-")[1].split(".")[0])))
    pending = {}
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                # date-time,connector-id,session-id,sequence-number,local,remote,event,data,context
                fields = line.split(",", 7)
                if len(fields) < 8:
                    continue
                event, session = fields[6], fields[2]
                data = fields[7].lstrip('"')
                if event == "*" and data.startswith("Received ") and " octets of message data" in data:
                    pending[session] = parse_ms(fields[0])
                elif event == ">" and session in pending:
                    received = pending.pop(session)
                    if data.startswith("250 2.6.0"):
                        yield received, parse_ms(fields[0]) - received
                    else:
                        yield received, None


def pct(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def human_size(n):
    return f"{n // 1024} KB" if n % 1024 == 0 else f"{n} B"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True)
    ap.add_argument("--logs", required=True, help="DATA/logs/ProtocolLog/SmtpReceive")
    args = ap.parse_args()

    runs = read_runs(args.runs)
    unattributed = 0
    for received, latency in pairs(args.logs):
        for r in runs:
            if r["start"] - 5 <= received <= r["end"] + 5:
                if latency is None:
                    r["bad"] += 1
                else:
                    r["lat"].append(latency)
                break
        else:
            unattributed += 1

    ok = True
    hdr = ("size", "run", "msgs", "wall s", "msg/s", "MB/s", "250s", "p50 ms", "p99 ms", "max ms",
           "settle s", "relay CPU s")
    fmt = "{:>7} {:>7} {:>6} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6} {:>6} {:>8} {:>11}"
    print(fmt.format(*hdr))
    for r in runs:
        lat = sorted(r["lat"])
        rate = r["msgs"] / r["wall"] if r["wall"] > 0 else 0.0
        r["rate"] = rate
        mbs = rate * r["size"] / 1e6
        print(fmt.format(human_size(r["size"]), r["label"], r["msgs"], f"{r['wall']:.2f}", f"{rate:.0f}",
                         f"{mbs:.1f}", len(lat), f"{pct(lat, 50):.0f}", f"{pct(lat, 99):.0f}",
                         f"{lat[-1]:.0f}" if lat else "-", r["settle"], f"{r['cpu']:.1f}"))
        if r["rc"] != 0:
            print(f"  FAIL: smtp-source exited {r['rc']} in run {r['label']} of {human_size(r['size'])}")
            ok = False
        if r["bad"]:
            print(f"  FAIL: {r['bad']} end-of-data answered with something other than 250 2.6.0")
            ok = False
        if len(lat) != r["msgs"]:
            print(f"  FAIL: {len(lat)} messages acknowledged in the protocol log, {r['msgs']} sent")
            ok = False
    if unattributed:
        print(f"  note: {unattributed} end-of-data lines outside every run window")

    print()
    print("Summary (measured runs only; warm-up excluded):")
    for size in sorted({r["size"] for r in runs}):
        measured = [r for r in runs if r["size"] == size and r["label"] != "warm-up"]
        if not measured:
            continue
        rates = [r["rate"] for r in measured]
        lat = sorted(x for r in measured for x in r["lat"])
        print(f"  {human_size(size):>7}: median {statistics.median(rates):.0f} msg/s "
              f"(runs: {', '.join(f'{x:.0f}' for x in rates)}); "
              f"end-of-data -> 250 over {len(lat)} messages: p50 {pct(lat, 50):.0f} ms, "
              f"p99 {pct(lat, 99):.0f} ms, max {lat[-1] if lat else float('nan'):.0f} ms "
              f"(log resolution 1 ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
