#!/usr/bin/env python3
"""Idle-connection benchmark (issue 3): one relay holds N concurrent idle SMTP sessions.

Starts the relay on a private data directory with Default Frontend's connection limits lifted
(MaxInboundConnection, MaxInboundConnectionPerSource unlimited, timeouts one day), opens N
connections from 127.0.0.1 and waits for each banner, then reports:
  - the heap used after a full GC with N sessions open (jcmd GC.heap_info),
  - the accept latency (connect -> 220 banner) of connection N+1, median of several tries,
  - the latency percentiles of the N accepts themselves.
A figure, not a test. Usage: bench/idle-connections.py [--connections 10000] [--heap 1g]
"""
import argparse
import asyncio
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXCHANGE_PORTS = (25, 587, 717, 2525, 465, 475)


def free_offset(start):
    for offset in range(start, start + 5000, 100):
        ok = True
        for p in EXCHANGE_PORTS:
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p + offset))
                except OSError:
                    ok = False
                    break
        if ok:
            return offset
    sys.exit("no free port range")


def write_config(directory, offset):
    with open(os.path.join(ROOT, "transport-core/src/main/resources/mailflow/demo-organization.conf")) as f:
        demo = f.read()
    entry = ('{ Name = "Default Frontend EX01", Server = EX01, MaxInboundConnection = unlimited, '
             'MaxInboundConnectionPerSource = unlimited, MaxInboundConnectionPercentagePerSource = 100, '
             'ConnectionTimeout = "1.00:00:00", ConnectionInactivityTimeout = "23:59:59", '
             'ProtocolLoggingLevel = None }')
    config = demo.replace("PortOffset = 10000", "PortOffset = %d" % offset) \
        .replace("  Connectors = [", "  Connectors = [\n    " + entry)
    path = os.path.join(directory, "organization.conf")
    with open(path, "w") as f:
        f.write(config)
    return path


async def open_session(port):
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    line = await reader.readline()
    if not line.startswith(b"220 "):
        raise RuntimeError("unexpected greeting %r" % line)
    return (reader, writer), time.perf_counter() - t0


async def hold(port, n, batch):
    sessions, latencies = [], []
    for i in range(0, n, batch):
        results = await asyncio.gather(*[open_session(port) for _ in range(min(batch, n - i))])
        for s, lat in results:
            sessions.append(s)
            latencies.append(lat)
    return sessions, latencies


def heap_used_mb(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, check=True)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"used (\d+)K", out)
    return int(m.group(1)) / 1024 if m else float("nan")


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def main_async(args, port, pid):
    baseline = heap_used_mb(pid)
    sessions, latencies = await hold(port, args.connections, args.batch)
    heap = heap_used_mb(pid) - baseline
    rss = rss_mb(pid)
    extra = []
    for _ in range(args.tries):
        (r, w), lat = await open_session(port)
        extra.append(lat)
        w.close()
    for r, w in sessions:
        w.close()
    return heap, rss, latencies, extra


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--tries", type=int, default=9)
    ap.add_argument("--heap", default="1g")
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = args.connections * 2 + 1000
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(want, hard)), hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < args.connections + 100:
        sys.exit("the open-files limit is too low for %d connections" % args.connections)
    tmp = tempfile.mkdtemp(prefix="mailflow-idle.")
    offset = free_offset(31000)
    config = write_config(tmp, offset)
    port = 25 + offset
    env = dict(os.environ, MAILFLOW_JAVA_OPTS="-Xms%s -Xmx%s" % (args.heap, args.heap))
    out = open(os.path.join(tmp, "relay.out"), "w")
    relay = subprocess.Popen([os.path.join(ROOT, "mailflow"), "relay", "--config", config, "--data-dir",
                              os.path.join(tmp, "data"), "--admin-port", "0"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.time() + 300
        while "Ready." not in open(os.path.join(tmp, "relay.out")).read():
            if relay.poll() is not None or time.time() > deadline:
                sys.exit("relay did not start:\n" + open(os.path.join(tmp, "relay.out")).read())
            time.sleep(0.2)
        t0 = time.perf_counter()
        heap, rss, latencies, extra = asyncio.run(main_async(args, port, relay.pid))
        wall = time.perf_counter() - t0
        print("idle connections held      : %d (opened in %.1f s)" % (args.connections, wall))
        print("heap for the sessions      : %.1f MB after a full GC, over the idle relay's (%.1f KB per connection)"
              % (heap, heap * 1024 / args.connections))
        print("relay RSS                  : %.1f MB" % rss)
        print("accept latency of the N    : p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (
            pct(latencies, 50) * 1000, pct(latencies, 99) * 1000, max(latencies) * 1000))
        print("accept latency of N+1      : median %.2f ms of %d tries (%s)" % (
            statistics.median(extra) * 1000, len(extra), ", ".join("%.2f" % (x * 1000) for x in extra)))
    finally:
        relay.send_signal(signal.SIGTERM)
        try:
            relay.wait(60)
        except subprocess.TimeoutExpired:
            relay.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
