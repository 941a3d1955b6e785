#!/usr/bin/env python3
"""Calibration (issue 6): replays a simulator scenario's workload against the real relay, and compares.

    calibrate_load.py run SCENARIO --port P --out client.json [--host 127.0.0.1] [--warmup N]
                     [--recipients a@x,b@x] [--seed S] [--arrivals-out arrivals.csv]
    calibrate_load.py compare --client client.json --logs DATA/logs --sim report.json
                     [--sim-seeds r1.json r2.json ...] [--sim-trace report.json]

`run` is the sending MTA of the simulator's Sender / ClientConnection (simulator/.../model), on
asyncio and the wall clock: messages arrive per the workload's Arrival process into the sender's
queue; it opens up to Connections connections while messages wait and no idle connection is left;
each connection sends up to MessagesPerConnection messages (one command per round trip, no
PIPELINING: it waits RoundTrip after each reply before the next command, as the simulator charges
one RoundTrip per command), keeps an idle connection IdleTimeout for a new message, then QUITs; a
421 banner (or any 4xx) is followed per OnRefusal (RetryAfter: the same message on a new
connection after Delay). It records every connection attempt's banner and every message's
arrival (wall clock) and 250. With --arrivals-out it writes each message's arrival offset (seconds
since the run's start, as the message entered the sender's queue) in the simulator's Trace format,
for `mailflow simulate --arrivals` to replay the same messages.

`compare` reads the relay's message tracking log (RECEIVE / DELIVER rows by Message-ID), the
simulator's report.json (and, with --sim-trace, the report of the simulator run on the real run's
own arrivals), and prints the table. Python 3 standard library only.
"""
import argparse
import asyncio
import base64
import collections
import csv
import glob
import json
import math
import os
import random
import re
import ssl
import sys
import time


# ---- scenario ---------------------------------------------------------------------------------

def duration(text):
    """HH:MM:SS[.fff] (the scenarios' TimeSpan form) in seconds."""
    m = re.fullmatch(r"\s*(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)\s*", text)
    if not m:
        raise ValueError("not a duration: %r" % text)
    days = int(m.group(1) or 0)
    return days * 86400 + int(m.group(2)) * 3600 + int(m.group(3)) * 60 + float(m.group(4))


def scenario_workload(path):
    """The one workload of a calibration scenario. Not a HOCON parser: each key must appear once,
    as `Key = value` (the calibration scenario is written that way); anything else is an error."""
    text = re.sub(r"(?m)#.*$", "", open(path).read())

    def find(key, default=None, quoted=None):
        hits = re.findall(r"(?<![A-Za-z])%s\s*=\s*(\"[^\"]*\"|[^,\s}\]]+)" % key, text)
        if len(hits) > 1:
            sys.exit("calibrate: %s appears %d times in %s; one workload only" % (key, len(hits), path))
        if not hits:
            if default is None:
                sys.exit("calibrate: %s is missing from %s" % (key, path))
            return default
        return hits[0].strip('"')

    w = {
        "duration": duration(find("Duration")),
        "drain": duration(find("Drain", "00:00:00")),
        "connections": int(find("Connections")),
        "messages_per_connection": int(find("MessagesPerConnection", "1")),
        "arrival": find("Type"),
        "rate": float(find("RatePerMinute")) / 60.0,
        "recipients_per_message": int(find("RecipientsPerMessage", "1")),
        "size": int(find("SizeBytes", "10240")),
        "round_trip": duration(find("RoundTrip", "00:00:00.001")),
        "idle_timeout": duration(find("IdleTimeout", "00:00:02")),
        "mail_from": find("MailFrom", "sender@example.com"),
        "on_refusal": find("Action", "RetryAfter"),
        "delay": duration(find("Delay", "00:01:00")),
        "start": duration(find("Start", "00:00:00")),
        "authenticated": find("Authenticated", "false").lstrip("$").lower() == "true",
    }
    if w["authenticated"]:
        w["user"] = find("User", w["mail_from"])
        w["password"] = find("Password")
    w["stop"] = duration(find("Stop", find("Duration")))
    if w["arrival"] == "Bursts":
        w["burst_rate"] = float(find("BurstRatePerMinute", str(w["rate"] * 600))) / 60.0
        w["every"] = duration(find("Every", "01:00:00"))
        w["length"] = duration(find("Length", "00:05:00"))
        w["first_burst"] = duration(find("FirstBurst", find("Every", "01:00:00")))
    elif w["arrival"] not in ("Constant", "Poisson"):
        sys.exit("calibrate: Arrival Type %s is not supported by the load generator" % w["arrival"])
    if w["on_refusal"] not in ("RetryAfter", "GiveUp"):
        sys.exit("calibrate: OnRefusal %s is not supported by the load generator" % w["on_refusal"])
    for unsupported in ("UnknownRecipientRate", "ExternalRecipientRate", "Faults"):
        if re.search(r"(?<![A-Za-z])%s\s*=" % unsupported, text):
            sys.exit("calibrate: %s is not supported by the load generator" % unsupported)
    return w


class ArrivalProcess:
    """simulator/.../scenario/Arrival.java: Constant, Poisson, Bursts (thinning), in seconds."""

    def __init__(self, w, rng):
        self.w, self.rng = w, rng

    def gap(self, rate):
        return max(1e-9, -math.log(1.0 - self.rng.random()) / rate)

    def rate_at(self, t):
        w = self.w
        if t >= w["first_burst"] and (t - w["first_burst"]) % w["every"] < w["length"]:
            return w["burst_rate"]
        return w["rate"]

    def next(self, now):
        w = self.w
        if w["arrival"] == "Constant":
            return now + 1.0 / w["rate"]
        if w["arrival"] == "Poisson":
            return now + self.gap(w["rate"])
        peak = max(w["rate"], w["burst_rate"])
        t = now
        while True:
            t += self.gap(peak)
            if self.rng.random() * peak <= self.rate_at(t):
                return t


# ---- the sending MTA ------------------------------------------------------------------------

class Message:
    __slots__ = ("mid", "created", "recipients", "deferred", "acked", "eod", "reply250")

    def __init__(self, mid, created, recipients):
        self.mid, self.created, self.recipients = mid, created, recipients
        self.deferred = 0
        self.acked = None
        self.eod = None


class ProtocolError(Exception):
    pass


async def read_reply(reader, lines=None):
    """One SMTP reply (multi-line joined): (code, first line); each line's text also goes to `lines`."""
    first = None
    while True:
        line = await reader.readline()
        if not line:
            raise ProtocolError("connection closed by the relay")
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if lines is not None:
            lines.append(text[4:])
        if first is None:
            first = text
        if len(text) < 4 or text[3] != "-":
            return int(text[:3]), first


class Sender:
    def __init__(self, w, host, port, recipients, seed, limit, warmup=False):
        self.w, self.host, self.port = w, host, port
        self.rng = random.Random(seed)
        self.recipient_list = recipients
        self.limit = limit
        self.queue = collections.deque()
        self.idle = collections.deque()        # futures of idle connections waiting for a message
        self.active = 0
        self.open_now = 0                      # admitted and not yet closed by the relay
        self.counter = 0
        self.messages = []
        self.arrival_offsets = []              # (actual, drawn) seconds since the start, per message
        self.tasks = set()
        self.prefix = "warmup" if warmup else "calib"
        self.stats = collections.Counter()
        self.refused_by_reply = collections.Counter()
        self.session_replies = collections.Counter()
        self.errors = []
        self.think_overshoot = []              # how late each RoundTrip wait ended (s)
        self.late_ema = 0.0                    # recent mean lateness of asyncio.sleep (s), subtracted
        self.refusal_times = []                # offsets (s since the run's start) of the 421 banners
        self.start_mono = None
        self.busy_cycles = []                  # MAIL to next MAIL on a connection that did not wait (s)
        self.mail_to_250 = []                  # MAIL sent to its 250 (3 round trips + the relay) (s)
        # The relay's certificate is its own self-signed one, as on a fresh Exchange server.
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE
        pad = "x" * 74 + "\r\n"
        self.body_lines = pad * max(0, (w["size"] - 200) // len(pad))

    def content(self, m):
        return ("From: <%s>\r\nTo: <%s>\r\nSubject: calibration\r\nMessage-ID: %s\r\n\r\n%s"
                % (self.w["mail_from"], m.recipients[0], m.mid, self.body_lines)).encode()

    def new_message(self):
        self.counter += 1
        rcpts = [self.rng.choice(self.recipient_list) for _ in range(self.w["recipients_per_message"])]
        m = Message("<%s-%d@calibration.example>" % (self.prefix, self.counter), time.time(), rcpts)
        self.messages.append(m)
        self.stats["submitted"] += 1
        return m

    def arrive(self, m):
        self.queue.append(m)
        self.dispatch()

    def dispatch(self):
        while self.queue:
            if self.idle:
                fut = self.idle.popleft()
                if not fut.done():
                    fut.set_result(self.queue.popleft())
            elif self.active < self.w["connections"]:
                self.active += 1
                self.spawn(self.connection(self.queue.popleft()))
            else:
                break

    def spawn(self, coro):
        t = asyncio.ensure_future(coro)
        self.tasks.add(t)
        t.add_done_callback(self.tasks.discard)

    def connection_ended(self):
        self.active -= 1
        self.dispatch()

    async def think(self):
        """The round trip the simulator charges per command: wait it out after each reply. asyncio's
        sleep ends late (about 0.7 ms here, more when the loop is busy), which would make every round
        trip longer than the simulator's; so each wait is shortened by the recent mean lateness
        (an exponential moving average), and what is recorded is the wait's error against RoundTrip."""
        rt = self.w["round_trip"]
        if rt <= 0:
            return
        t0 = time.monotonic()
        await asyncio.sleep(max(0.0, rt - self.late_ema))
        waited = time.monotonic() - t0
        self.late_ema += 0.05 * ((waited - (rt - self.late_ema)) - self.late_ema)
        self.think_overshoot.append(waited - rt)

    async def command(self, reader, writer, line, lines=None):
        writer.write(line.encode() + b"\r\n")
        return await read_reply(reader, lines)

    async def sign_in(self, reader, writer, keywords, think=True):
        """The simulator's ClientConnection.signIn: STARTTLS first when AUTH is offered only over TLS
        (BasicAuthRequireTLS), then EHLO again, then AUTH PLAIN with its initial response. One
        RoundTrip after each reply, and one more for the TLS handshake."""
        w = self.w
        pause = self.think if think else self.no_think
        secured = False
        if not any(k.upper().startswith("AUTH") for k in keywords) and "STARTTLS" in (k.upper() for k in keywords):
            code, text = await self.command(reader, writer, "STARTTLS")
            if code != 220:
                raise ProtocolError("STARTTLS: " + text)
            await pause()
            await writer.start_tls(self.tls)
            secured = True
            await pause()
            keywords = []
            code, text = await self.command(reader, writer, "EHLO calibration.example", keywords)
            if code != 250:
                raise ProtocolError("EHLO after STARTTLS: " + text)
            await pause()
        plain = base64.b64encode(("\0%s\0%s" % (w["user"], w["password"])).encode()).decode()
        code, text = await self.command(reader, writer, "AUTH PLAIN " + plain)
        if code != 235:
            raise ProtocolError("AUTH: " + text)
        self.stats["signed_in"] += 1
        await pause()
        return secured

    async def no_think(self):
        return None

    async def connection(self, msg):
        try:
            await self._connection(msg)
        except Exception as e:  # noqa: BLE001 - reported, and the run fails
            self.errors.append("%s: %s" % (type(e).__name__, e))
            self.connection_ended()

    async def _connection(self, msg):
        w = self.w
        while True:
            self.stats["attempted"] += 1
            reader, writer = await asyncio.open_connection(self.host, self.port)
            code, text = await read_reply(reader)
            if code == 220:
                self.stats["accepted"] += 1
                break
            self.refused_by_reply[text] += 1
            if self.start_mono is not None:
                self.refusal_times.append(asyncio.get_running_loop().time() - self.start_mono)
            if self.open_now < self.limit:
                # The relay still counted a connection the generator had already seen closed.
                self.stats["refused_below_limit"] += 1
            writer.close()
            if code >= 500 or w["on_refusal"] == "GiveUp":
                self.stats["given_up"] += 1
                self.connection_ended()
                return
            msg.deferred += 1
            await asyncio.sleep(w["delay"])
        self.open_now += 1
        sent = 0
        last_mail = None
        try:
            await self.think()
            keywords = []
            code, text = await self.command(reader, writer, "EHLO calibration.example", keywords)
            if code != 250:
                raise ProtocolError("EHLO: " + text)
            await self.think()
            secured = w["authenticated"] and await self.sign_in(reader, writer, keywords)
            while True:
                if msg is None:
                    if sent >= w["messages_per_connection"]:
                        break
                    if self.queue:
                        msg = self.queue.popleft()
                    elif w["idle_timeout"] > 0:
                        fut = asyncio.get_running_loop().create_future()
                        self.idle.append(fut)
                        last_mail = None     # the next cycle includes an idle wait: not a busy one
                        try:
                            msg = await asyncio.wait_for(asyncio.shield(fut), w["idle_timeout"])
                        except asyncio.TimeoutError:
                            if fut in self.idle:
                                self.idle.remove(fut)
                                break
                            msg = fut.result()   # handed over as the timer fired
                    else:
                        break
                t_mail = time.monotonic()
                if last_mail is not None:
                    self.busy_cycles.append(t_mail - last_mail)
                last_mail = t_mail
                code, text = await self.command(reader, writer, "MAIL FROM:<%s> SIZE=%d" % (w["mail_from"], w["size"]))
                if code != 250:
                    raise ProtocolError("MAIL: " + text)
                for r in msg.recipients:
                    await self.think()
                    code, text = await self.command(reader, writer, "RCPT TO:<%s>" % r)
                    if code != 250:
                        raise ProtocolError("RCPT: " + text)
                await self.think()
                code, text = await self.command(reader, writer, "DATA")
                if code != 354:
                    raise ProtocolError("DATA: " + text)
                await self.think()
                data = self.content(msg).replace(b"\r\n.", b"\r\n..") + b"\r\n.\r\n"
                msg.eod = time.time()
                writer.write(data)
                code, text = await read_reply(reader)
                if code != 250:
                    raise ProtocolError("end of data: " + text)
                msg.acked = time.time()
                self.mail_to_250.append(time.monotonic() - t_mail)
                self.stats["acknowledged"] += 1
                sent += 1
                msg = None
                await self.think()
            await self.command(reader, writer, "QUIT")
            # The relay closes after 221; the simulator frees the place at QUIT, so wait for the close.
            await reader.read()
            if secured:
                # Over TLS the relay waits for the client's close_notify, which a real network delivers
                # a round trip after QUIT; the simulator frees the place then.
                await self.think()
        finally:
            writer.close()
            self.open_now -= 1
            if msg is not None:
                self.queue.appendleft(msg)
        self.connection_ended()

    async def run_arrivals(self, process, start_mono):
        self.start_mono = start_mono
        t = self.w["start"]
        loop = asyncio.get_running_loop()
        t = process.next(t)
        while t < self.w["stop"]:
            delay = start_mono + t - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            # The offset the message really entered the queue at (the sleep may end late): latency
            # runs from there, so that is what the simulator replays.
            self.arrival_offsets.append((loop.time() - start_mono, t))
            self.arrive(self.new_message())
            t = process.next(t)

    async def drain(self, deadline):
        while (self.queue or self.active) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    async def warm_up(self, count, connections):
        """Back-to-back messages on `connections` connections, no think time (JIT warm-up)."""
        per = max(1, count // connections)

        async def one():
            reader, writer = await asyncio.open_connection(self.host, self.port)
            code, text = await read_reply(reader)
            if code != 220:
                raise ProtocolError("warm-up banner: " + text)
            keywords = []
            await self.command(reader, writer, "EHLO warmup.example", keywords)
            if self.w["authenticated"]:
                await self.sign_in(reader, writer, keywords, think=False)
            for _ in range(per):
                m = self.new_message()
                await self.command(reader, writer, "MAIL FROM:<%s>" % self.w["mail_from"])
                await self.command(reader, writer, "RCPT TO:<%s>" % m.recipients[0])
                await self.command(reader, writer, "DATA")
                writer.write(self.content(m) + b"\r\n.\r\n")
                code, text = await read_reply(reader)
                if code != 250:
                    raise ProtocolError("warm-up end of data: " + text)
            await self.command(reader, writer, "QUIT")
            await reader.read()
            writer.close()
        await asyncio.gather(*(one() for _ in range(connections)))
        return per * connections


async def run(args):
    w = scenario_workload(args.scenario)
    recipients = [r for r in args.recipients.split(",") if r]
    out = {"workload": w, "warmup": 0, "scenario": args.scenario}
    if args.warmup > 0:
        warm = Sender(w, args.host, args.port, recipients, args.seed, args.limit, warmup=True)
        t0 = time.monotonic()
        out["warmup"] = await warm.warm_up(args.warmup, min(10, args.limit))
        print("calibrate: warm-up %d messages in %.1f s" % (out["warmup"], time.monotonic() - t0), file=sys.stderr)
        await asyncio.sleep(3)   # let the relay close them and deliver the warm-up
    s = Sender(w, args.host, args.port, recipients, args.seed, args.limit)
    loop = asyncio.get_running_loop()
    start_mono = loop.time()
    start_wall = time.time()
    arrivals = asyncio.ensure_future(s.run_arrivals(ArrivalProcess(w, random.Random(args.seed)), start_mono))

    async def progress():
        while True:
            await asyncio.sleep(30)
            print("calibrate: %3.0f s: %d arrived, %d acknowledged, %d queued, %d connections (%d open), %d refused"
                  % (loop.time() - start_mono, s.stats["submitted"], s.stats["acknowledged"], len(s.queue),
                     s.active, s.open_now, sum(s.refused_by_reply.values())), file=sys.stderr)
    prog = asyncio.ensure_future(progress())
    await arrivals
    await s.drain(time.monotonic() + max(w["drain"], 5.0))
    prog.cancel()
    if s.tasks:
        s.errors.append("%d connections still open at the end of the drain" % len(s.tasks))
        for t in list(s.tasks):
            t.cancel()
        await asyncio.gather(*s.tasks, return_exceptions=True)
    over = sorted(s.think_overshoot)
    out.update({
        "start": start_wall,
        "end": time.time(),
        "stats": dict(s.stats),
        "refusedByReply": dict(s.refused_by_reply),
        "errors": s.errors,
        "queuedAtEnd": len(s.queue),
        "thinkOvershootMs": {"count": len(over),
                             "mean": 1000 * sum(over) / len(over) if over else 0,
                             "p1": 1000 * pct(over, 1) if over else 0,
                             "p99": 1000 * pct(over, 99) if over else 0},
        "refusedPerMinute": per_minute(s.refusal_times, w["duration"] + w["drain"]),
        "busyCycleMs": summary(s.busy_cycles),
        "mailTo250Ms": summary(s.mail_to_250),
        "messages": [[m.mid, m.created, m.eod, m.acked, m.deferred] for m in s.messages],
    })
    late = sorted(a - d for a, d in s.arrival_offsets)
    out["arrivalLateMs"] = summary(late)
    with open(args.out, "w") as f:
        json.dump(out, f)
    if args.arrivals_out:
        write_trace(args.arrivals_out, [a for a, _ in s.arrival_offsets], args)
    print("calibrate: %d arrived, %d acknowledged, %d attempts, %d refused, %d errors"
          % (s.stats["submitted"], s.stats["acknowledged"], s.stats["attempted"],
             sum(s.refused_by_reply.values()), len(s.errors)), file=sys.stderr)
    for e in s.errors[:5]:
        print("calibrate: error: " + e, file=sys.stderr)
    return 1 if s.errors else 0


def write_trace(path, offsets, args):
    """The simulator's Trace arrival file (scenarios/README.md): one offset in seconds a line."""
    with open(path, "w") as f:
        f.write("# Arrivals of a real calibration run (bench/calibrate_load.py, load seed %d): seconds since\n"
                "# the start at which each message entered the sender's queue. Replay with\n"
                "#   ./mailflow simulate %s --arrivals %s\n" % (args.seed, args.scenario, path))
        previous = 0.0
        for o in offsets:
            o = max(o, previous)     # monotonic clock: in order already; guard the rounding
            f.write("%.6f\n" % o)
            previous = o


def per_minute(offsets, span):
    out = [0] * int(math.ceil(span / 60.0))
    for o in offsets:
        if 0 <= o < 60 * len(out):
            out[int(o // 60)] += 1
    return out


def summary(values):
    v = sorted(values)
    return {"count": len(v), "mean": 1000 * sum(v) / len(v) if v else 0,
            "p50": 1000 * pct(v, 50), "p99": 1000 * pct(v, 99)}


# ---- comparison -------------------------------------------------------------------------------

def pct(sorted_values, p):
    """Nearest rank, as the simulator's LongList.percentile."""
    if not sorted_values:
        return 0.0
    rank = int(math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[max(0, min(len(sorted_values) - 1, rank - 1))]


def log_time(text):
    # 2024-05-01T12:34:56.789Z, UTC
    import calendar
    main, _, frac = text.strip().rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(main, "%Y-%m-%dT%H:%M:%S")) + (float("0." + frac) if frac else 0.0)


def tracking(logs):
    receive, deliver = {}, {}
    files = sorted(glob.glob(os.path.join(logs, "MessageTracking", "MSGTRK*.LOG")))
    for path in files:
        fields = None
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("#Fields:"):
                    fields = line[len("#Fields:"):].strip().split(",")
                    continue
                if line.startswith("#") or not fields:
                    continue
                row = dict(zip(fields, next(csv.reader([line]))))
                mid, ev = row.get("message-id", ""), row.get("event-id", "")
                if ev == "RECEIVE":
                    receive.setdefault(mid, log_time(row["date-time"]))
                elif ev == "DELIVER":
                    # The last recipient delivered: the latest DELIVER row of the message.
                    deliver[mid] = max(deliver.get(mid, 0.0), log_time(row["date-time"]))
    return files, receive, deliver


def sim_figures(path):
    run = json.load(open(path))["runs"][0]
    wl = run["workloads"][0]
    c, m, l = wl["connections"], wl["messages"], wl["latencyMs"]
    return {
        "seed": run["seed"],
        "attempted": c["attempted"], "accepted": c["accepted"], "refused": c["refused"],
        "refusedByReply": c["refusedByReply"],
        "signIns": c.get("signIns", 0),
        "submitted": m["submitted"], "acknowledged": m["acknowledged"], "delivered": m["delivered"],
        "p50": l["p50"], "p95": l["p95"], "p99": l["p99"],
        "serviceTimes": run.get("serviceTimes", {}),
        "refusedPerMinute": wl.get("perMinute", {}).get("deferred", []),
    }


ROWS = [("connections attempted", "attempted", "%d"), ("connections accepted (220)", "accepted", "%d"),
        ("connections refused (421)", "refused", "%d"), ("messages submitted", "submitted", "%d"),
        ("messages acknowledged (250)", "acknowledged", "%d"), ("messages delivered", "delivered", "%d"),
        ("latency p50 (ms)", "p50", "%.1f"), ("latency p95 (ms)", "p95", "%.1f"),
        ("latency p99 (ms)", "p99", "%.1f")]


def compare(args):
    client = json.load(open(args.client))
    w = client["workload"]
    files, receive, deliver = tracking(args.logs)
    if not files:
        print("calibrate: no message tracking log under %s" % args.logs, file=sys.stderr)
        return 1
    cutoff = client["start"] + w["duration"] + w["drain"]
    latencies, ack_lat, eod_250, rcv_dlv = [], [], [], []
    delivered = 0
    for mid, created, eod, acked, _deferred in client["messages"]:
        if acked is not None:
            ack_lat.append(1000 * (acked - created))
            eod_250.append(1000 * (acked - eod))
        d = deliver.get(mid)
        if d is not None and d <= cutoff:
            delivered += 1
            latencies.append(1000 * (d - created))
            if mid in receive:
                rcv_dlv.append(1000 * (d - receive[mid]))
    latencies.sort(); ack_lat.sort(); eod_250.sort(); rcv_dlv.sort()
    st = client["stats"]
    real = {
        "attempted": st.get("attempted", 0), "accepted": st.get("accepted", 0),
        "refused": sum(client["refusedByReply"].values()), "refusedByReply": client["refusedByReply"],
        "signIns": st.get("signed_in", 0),
        "submitted": st.get("submitted", 0), "acknowledged": st.get("acknowledged", 0), "delivered": delivered,
        "p50": pct(latencies, 50), "p95": pct(latencies, 95), "p99": pct(latencies, 99),
    }
    sim = sim_figures(args.sim)
    seeds = [sim_figures(p) for p in args.sim_seeds]
    traces = [sim_figures(p) for p in args.sim_trace]
    trace = None
    if traces:
        # On the same arrivals the seeds vary only service times and recipients; compare with their mean.
        trace = {k: sum(t[k] for t in traces) / len(traces) for _, k, _ in ROWS + [("", "signIns", "")]}
        trace["refusedPerMinute"] = traces[0]["refusedPerMinute"]

    rows = ROWS + ([("sessions signed in (235)", "signIns", "%d")] if w.get("authenticated") else [])
    print()
    print("Calibration: %s, %s arrivals, %d s + %d s drain, real relay on loopback vs simulator (seed %s)"
          % (os.path.basename(client.get("scenario", "scenario")), w["arrival"], w["duration"], w["drain"], sim["seed"]))
    header = "  %-29s %10s %10s %8s %5s" % ("", "real", "simulated", "diff", "±5 %")
    if trace:
        header += "  | %10s %8s %5s  %-21s %s" % ("same arr.", "diff", "±5 %", "same arr. min-max", "in")
    if seeds:
        header += "  | %-21s %s" % ("sim seeds min-max", "real in range")
    print(header)
    within = within_trace = 0
    compared = 0

    def rel(r, s):
        return (r - s) / s * 100 if s else (0.0 if r == 0 else float("inf"))
    for label, key, fmt in rows:
        r, s = real[key], sim[key]
        diff = rel(r, s)
        ok = abs(diff) <= 5.0
        line = "  %-29s %10s %10s %+7.1f%% %5s" % (label, fmt % r, fmt % s, diff, "yes" if ok else "NO")
        if key != "submitted":
            compared += 1
            within += ok
        if trace:
            t = trace[key]
            tdiff = rel(r, t)
            tok = abs(tdiff) <= 5.0
            lo, hi = min(x[key] for x in traces), max(x[key] for x in traces)
            tfmt = "%.1f" if key in ("attempted", "accepted", "refused") else fmt
            line += "  | %10s %+7.1f%% %5s  %-21s %s" % (tfmt % t, tdiff, "yes" if tok else "NO",
                                                     (fmt + "-" + fmt) % (lo, hi), "yes" if lo <= r <= hi else "no")
            if key != "submitted":
                within_trace += tok
        if seeds:
            lo, hi = min(x[key] for x in seeds), max(x[key] for x in seeds)
            line += "  | %-21s %s" % ((fmt + "-" + fmt) % (lo, hi), "yes" if lo <= r <= hi else "no")
        print(line)
    print("  %d of %d figures within 5 %% against the simulator's own draw (messages submitted is the arrival"
          " process, not compared)" % (within, compared))
    if trace:
        print("  %d of %d figures within 5 %% against the simulator on the same arrivals (mailflow simulate"
              " --arrivals: the real run's %d arrival offsets; the mean of seeds %s, which vary only the service"
              " times and recipients)" % (within_trace, compared, real["submitted"],
                                          ", ".join(str(x["seed"]) for x in traces)))
        for x in traces:
            if x["submitted"] != real["submitted"]:
                print("  note: the trace run with seed %s submitted %d messages, the real run %d"
                      % (x["seed"], x["submitted"], real["submitted"]))
    if seeds:
        print("  sim seeds: %s (the seed-to-seed spread is the noise a single real run carries)"
              % ", ".join(str(x["seed"]) for x in seeds))
    print()
    print("Where the time goes on the real relay (the simulator's ServiceTimes in brackets):")
    print("  end of data -> 250 (client side): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms  [SpoolSync %s]"
          % (pct(eod_250, 50), pct(eod_250, 95), pct(eod_250, 99), sim["serviceTimes"].get("SpoolSync", "?")))
    print("  RECEIVE -> DELIVER (tracking log, 1 ms): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms  [Categorizer %s + MailboxDelivery %s]"
          % (pct(rcv_dlv, 50), pct(rcv_dlv, 95), pct(rcv_dlv, 99), sim["serviceTimes"].get("Categorizer", "?"),
             sim["serviceTimes"].get("MailboxDelivery", "?")))
    print("  arrival -> 250: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms" % (pct(ack_lat, 50), pct(ack_lat, 95), pct(ack_lat, 99)))
    ov = client["thinkOvershootMs"]
    print("  generator: %d RoundTrip waits of %.0f ms, error against it: mean %+.2f ms, p1 %+.2f ms, p99 %+.2f ms"
          " (each wait is shortened by the recent mean lateness of asyncio's sleep)"
          % (ov["count"], 1000 * w["round_trip"], ov["mean"], ov.get("p1", 0), ov["p99"]))
    if client.get("refusedPerMinute"):
        line = "  refusals per minute: real %s, simulated %s" % (client["refusedPerMinute"], sim["refusedPerMinute"])
        if trace:
            line += ", on the same arrivals %s" % trace["refusedPerMinute"]
        print(line)
    rt = 1000 * w["round_trip"]
    bc, m2 = client.get("busyCycleMs"), client.get("mailTo250Ms")
    if bc and m2:
        print("  MAIL -> 250: mean %.1f ms, p50 %.1f ms (the simulator: 3 x %.0f ms + SpoolSync = %.0f ms + ~4.6 ms mean)"
              % (m2["mean"], m2["p50"], rt, 3 * rt))
        print("  one message on a busy connection (MAIL to next MAIL): mean %.1f ms, p50 %.1f ms, %d cycles"
              " (the simulator: 4 x %.0f ms + SpoolSync, ~%.1f ms mean); %d connections carry %.1f msg/s (simulator ~%.1f)"
              % (bc["mean"], bc["p50"], bc["count"], rt, 4 * rt + 4.6,
                 args.limit, 1000.0 * args.limit / bc["mean"] if bc["mean"] else 0, 1000.0 * args.limit / (4 * rt + 4.6)))
    print("  refused while the generator held fewer than %d open connections: %d (the relay frees a place when"
          " the closed connection's stream terminates, the simulator at QUIT)"
          % (args.limit, client["stats"].get("refused_below_limit", 0)))
    al = client.get("arrivalLateMs")
    if al:
        print("  generator: arrivals entered the queue %.2f ms after their drawn time on average (p99 %.2f ms);"
              " the trace holds the actual times" % (al["mean"], al["p99"]))
    if client.get("warmup"):
        print("  warm-up before the run: %d messages (not counted)" % client["warmup"])
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"real": real, "simulated": sim, "simulatedSameArrivals": trace,
                       "sameArrivalsSeeds": traces, "seeds": seeds}, f, indent=1)
    missing = real["acknowledged"] - len([1 for m in client["messages"] if deliver.get(m[0])])
    if missing > 0:
        print("  note: %d acknowledged messages have no DELIVER row" % missing)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("scenario")
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--warmup", type=int, default=0)
    r.add_argument("--limit", type=int, default=20, help="the connector's MaxInboundConnectionPerSource")
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--arrivals-out", help="write the arrival offsets used (the simulator's Trace format)")
    r.add_argument("--recipients", default="administrator@contoso.test,kate@contoso.test,chris@contoso.test,"
                   "david@contoso.test,lisa@contoso.test,helpdesk@contoso.test")
    c = sub.add_parser("compare")
    c.add_argument("--client", required=True)
    c.add_argument("--logs", required=True)
    c.add_argument("--sim", required=True)
    c.add_argument("--sim-seeds", nargs="*", default=[])
    c.add_argument("--sim-trace", nargs="*", default=[],
                   help="report.json of the simulator runs on the real run's arrivals (--arrivals), one per seed")
    c.add_argument("--limit", type=int, default=20)
    c.add_argument("--json-out")
    args = p.parse_args()
    if args.cmd == "run":
        rc = asyncio.run(run(args))
        return rc
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
