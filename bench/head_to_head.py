#!/usr/bin/env python3
"""Helpers of head-to-head.sh (Python 3 standard library only).

    head_to_head.py sample ROOT_PID OUT_FILE
        Every second, sums the resident set (VmRSS) and the proportional set (Pss, from
        /proc/PID/smaps_rollup) of ROOT_PID and all its descendants, and keeps the peak of each
        sum in OUT_FILE ("peak_rss_kb peak_pss_kb processes_at_peak"). Stops when ROOT_PID exits
        or on SIGTERM.

    head_to_head.py summary --runs RUNS --mailflow-logs DIR --postfix-log FILE
                            [--mailflow-mem TEXT] [--postfix-mem TEXT]
        Prints the per-run table and the per-size comparison, exit status 1 when a run lost or
        duplicated a message according to the relays' own logs.

Runs file (tab-separated, written by head-to-head.sh):
    relay size label msgs start_ms accepted_ms sunk_ms rc cpu_s sink_delta

Latency, per message, from each relay's own log (no timestamp can be put into smtp-source's
messages):
  * Mailflow: message tracking log (MessageTracking/MSGTRK*.LOG), RECEIVE -> SEND of the same
    internal-message-id. RECEIVE is written after the spool's synced write, just before the 250
    reply; SEND after the downstream's 250. Millisecond timestamps: +/- 1 ms.
  * Postfix: the instance's log records stamped on arrival by postlog_stamp.py (microseconds),
    cleanup "message-id=" (written when cleanup reads the message header, before the end of the
    data and before the queue file's fsync) -> smtp "status=sent" (after the downstream's 250),
    per queue id. Postfix's own timestamps have whole seconds only.
  So the Postfix figure starts slightly earlier in the message's life (body transfer, fsync) than
  the Mailflow figure: a small bias against Postfix.
A message belongs to the run whose window [start, sunk] contains its start event.
"""
import argparse
import glob
import os
import re
import signal
import statistics
import sys
import time
from datetime import datetime, timezone


# --------------------------------------------------------------------------- memory sampling

def descendants(root):
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        ppid = int(s[s.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def rss_pss_kb(pid):
    rss = pss = 0
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    break
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    except OSError:
        pass
    return rss, pss


def sample(root, out_path):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    peak_rss = peak_pss = nproc = 0
    while not stop and os.path.exists("/proc/%d" % root):
        pids = descendants(root)
        rss = pss = 0
        for p in pids:
            r, s = rss_pss_kb(p)
            rss += r
            pss += s
        if rss > peak_rss or pss > peak_pss:
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            nproc = len(pids)
            tmp = out_path + ".tmp"
            with open(tmp, "w") as f:
                f.write("%d %d %d\n" % (peak_rss, peak_pss, nproc))
            os.replace(tmp, out_path)
        time.sleep(1.0)


# --------------------------------------------------------------------------- latency

def iso_ms(stamp):
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000.0


def mailflow_messages(log_dir):
    """(start_ms, end_ms or None) per message; and the count of FAIL/DEFER events."""
    recv, send, trouble = {}, {}, 0
    for path in sorted(glob.glob(os.path.join(log_dir, "MessageTracking", "MSGTRK*.LOG"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                fields = line.split(",", 10)
                if len(fields) < 10:
                    continue
                event, iid = fields[8], fields[9]
                if event == "RECEIVE":
                    recv.setdefault(iid, iso_ms(fields[0]))
                elif event == "SEND":
                    send.setdefault(iid, iso_ms(fields[0]))
                elif event in ("FAIL", "DSN"):
                    trouble += 1
                elif event == "DEFER":
                    print("warning: Mailflow deferred a delivery: " + line.strip()[:200], file=sys.stderr)
    return [(t, send.get(i)) for i, t in recv.items()], trouble


PF_LINE = re.compile(r"^(\d+\.\d+) .*? postfix[^/]*/(\w+)\[\d+\]: ([0-9A-Za-z]+): (.*)$")


def postfix_messages(log_path):
    """Queue ids are paired in log order (a short queue id can come back later)."""
    open_, done, trouble = {}, [], 0
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = PF_LINE.match(line)
            if not m:
                continue
            t, prog, qid, text = float(m.group(1)) * 1000.0, m.group(2), m.group(3), m.group(4)
            if prog == "cleanup" and text.startswith("message-id="):
                if qid in open_:
                    done.append((open_.pop(qid), None))
                open_[qid] = t
            elif prog in ("smtp", "relay", "error", "retry", "bounce", "local") and " status=" in text:
                if " status=sent " in text and qid in open_:
                    done.append((open_.pop(qid), t))
                elif " status=deferred " in text:
                    print("warning: Postfix deferred a delivery: " + line.strip()[:200], file=sys.stderr)
                elif " status=sent " not in text:
                    trouble += 1
    done.extend((t, None) for t in open_.values())
    return done, trouble


def pct(values, p):
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    v = sorted(values)
    k = max(1, -(-len(v) * p // 100))
    return v[int(k) - 1]


def read_runs(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            relay, size, label, msgs, start, acc, sunk, rc, cpu, delta = line.split("\t")
            runs.append(dict(relay=relay, size=int(size), label=label, msgs=int(msgs), start=int(start),
                             acc=int(acc), sunk=int(sunk) if sunk not in ("", "-") else None, rc=int(rc),
                             cpu=float(cpu), delta=int(delta), lat=[], logged=0, undelivered=0))
    return runs


def attribute(runs, relay, messages):
    mine = [r for r in runs if r["relay"] == relay]
    for start, end in messages:
        for r in mine:
            hi = r["sunk"] if r["sunk"] is not None else r["acc"] + 600000
            if r["start"] - 5 <= start <= hi + 5:
                r["logged"] += 1
                if end is None:
                    r["undelivered"] += 1
                else:
                    r["lat"].append(end - start)
                break


def summary(a):
    runs = read_runs(a.runs)
    failed = False
    mf, mf_trouble = mailflow_messages(a.mailflow_logs)
    pf, pf_trouble = postfix_messages(a.postfix_log)
    attribute(runs, "mailflow", mf)
    attribute(runs, "postfix", pf)

    hdr = ("relay     size     run      msgs  accept s  acc msg/s  e2e s  e2e msg/s  logged  p50 ms  p99 ms"
           "   max ms  CPU s  CPU ms/msg")
    print(hdr)
    print("-" * len(hdr))
    for r in runs:
        acc_s = (r["acc"] - r["start"]) / 1000.0
        e2e_s = (r["sunk"] - r["start"]) / 1000.0 if r["sunk"] is not None else float("nan")
        r["acc_rate"] = r["msgs"] / acc_s if acc_s > 0 else float("nan")
        r["e2e_rate"] = r["msgs"] / e2e_s if r["sunk"] is not None and e2e_s > 0 else float("nan")
        lat = r["lat"]
        print("%-8s %6d  %-7s %6d  %8.2f  %9.0f  %5.2f  %9.0f  %6d  %6.1f  %6.1f  %7.1f  %5.1f  %10.2f" % (
            r["relay"], r["size"], r["label"], r["msgs"], acc_s, r["acc_rate"], e2e_s, r["e2e_rate"],
            r["logged"], pct(lat, 50), pct(lat, 99), max(lat) if lat else float("nan"), r["cpu"],
            1000.0 * r["cpu"] / r["msgs"]))
        problems = []
        if r["rc"] != 0:
            problems.append("smtp-source failed")
        if r["sunk"] is None:
            problems.append("the sink did not receive every message")
        if r["delta"] != r["msgs"] and r["sunk"] is not None:
            problems.append("sink counted %d messages, %d sent" % (r["delta"], r["msgs"]))
        if r["logged"] != r["msgs"]:
            problems.append("%d messages in the relay's log, %d sent" % (r["logged"], r["msgs"]))
        if r["undelivered"]:
            problems.append("%d without a delivery (SEND / status=sent) in the log" % r["undelivered"])
        if problems:
            failed = True
            print("   FAIL: " + "; ".join(problems))
    if mf_trouble:
        print("FAIL: %d FAIL/DSN events in Mailflow's tracking log" % mf_trouble)
        failed = True
    if pf_trouble:
        print("FAIL: %d deliveries with a status other than sent in Postfix's log" % pf_trouble)
        failed = True

    print()
    print("Medians of the measured runs (warm-up excluded); latency pooled over the measured runs")
    hdr = ("size      relay      accepted msg/s (runs)              end-to-end msg/s (runs)            "
           "p50 ms  p99 ms  CPU ms/msg")
    print(hdr)
    print("-" * len(hdr))
    for size in sorted({r["size"] for r in runs}):
        med = {}
        for relay in ("mailflow", "postfix"):
            rs = [r for r in runs if r["size"] == size and r["relay"] == relay and r["label"] != "warm-up"]
            if not rs:
                continue
            acc = [r["acc_rate"] for r in rs]
            e2e = [r["e2e_rate"] for r in rs]
            lat = [x for r in rs for x in r["lat"]]
            med[relay] = (statistics.median(acc), statistics.median(e2e))
            print("%-8s  %-9s  %6.0f (%-24s)  %6.0f (%-24s)  %6.1f  %6.1f  %10.2f" % (
                "%d B" % size if size < 10240 else "%d KB" % (size // 1024), relay,
                med[relay][0], " ".join("%.0f" % x for x in acc), med[relay][1], " ".join("%.0f" % x for x in e2e),
                pct(lat, 50), pct(lat, 99),
                1000.0 * sum(r["cpu"] for r in rs) / sum(r["msgs"] for r in rs)))
        if "mailflow" in med and "postfix" in med:
            print("%-8s  %-9s  %6.2fx %-25s %6.2fx" % ("", "MF/PF", med["mailflow"][0] / med["postfix"][0], "",
                                                        med["mailflow"][1] / med["postfix"][1]))
    print()
    if a.mailflow_mem:
        print("peak memory, Mailflow:  " + a.mailflow_mem)
    if a.postfix_mem:
        print("peak memory, Postfix:   " + a.postfix_mem)
    return 1 if failed else 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "sample":
        if len(sys.argv) != 4:
            sys.exit(__doc__)
        sample(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) >= 2 and sys.argv[1] == "summary":
        p = argparse.ArgumentParser(prog="head_to_head.py summary")
        p.add_argument("--runs", required=True)
        p.add_argument("--mailflow-logs", required=True)
        p.add_argument("--postfix-log", required=True)
        p.add_argument("--mailflow-mem", default="")
        p.add_argument("--postfix-mem", default="")
        return summary(p.parse_args(sys.argv[2:]))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
