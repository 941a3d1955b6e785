#!/usr/bin/env python3
"""What a signed-in client's session costs the relay, step by step (bench/session-setup.sh).

    session_setup.py --port P [--sessions N] [--user kate@contoso.test] [--password P@ssw0rd]

Opens N sessions one after another to Client Frontend: EHLO, STARTTLS, the TLS handshake, EHLO,
AUTH PLAIN, NOOP, QUIT, and times each step on the client's monotonic clock. The first AUTH of a
user runs the relay's PBKDF2 check; later ones are remembered. Then N more sessions sign in with a
wrong password (each one a full hash check; the connector must have AuthTarpitInterval 00:00:00).
A NOOP's time is the loopback round trip plus the relay's handling of one command: subtracting it
from a step leaves what the step itself costs. Prints medians and p99s in ms, and a JSON line.
Python 3.11 standard library only.
"""
import argparse
import asyncio
import base64
import json
import math
import ssl
import sys
import time


async def reply(reader):
    while True:
        line = await reader.readline()
        if not line:
            raise RuntimeError("the relay closed the connection")
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]), line.decode().strip()


async def timed(reader, writer, command):
    t0 = time.monotonic()
    writer.write(command.encode() + b"\r\n")
    code, text = await reply(reader)
    return code, text, time.monotonic() - t0


async def session(port, user, password, tls):
    steps = {}
    t0 = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    code, text = await reply(reader)
    steps["connect"] = time.monotonic() - t0
    assert code == 220, text
    code, text, steps["ehlo"] = await timed(reader, writer, "EHLO bench.example")
    code, text, steps["starttls"] = await timed(reader, writer, "STARTTLS")
    assert code == 220, text
    t0 = time.monotonic()
    await writer.start_tls(tls)
    steps["handshake"] = time.monotonic() - t0
    code, text, steps["ehlo_tls"] = await timed(reader, writer, "EHLO bench.example")
    plain = base64.b64encode(("\0%s\0%s" % (user, password)).encode()).decode()
    code, text, steps["auth"] = await timed(reader, writer, "AUTH PLAIN " + plain)
    steps["auth_code"] = code
    code, text, steps["noop"] = await timed(reader, writer, "NOOP")
    await timed(reader, writer, "QUIT")
    writer.close()
    return steps


def pct(values, p):
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(math.ceil(p / 100.0 * len(v))) - 1))] if v else 0.0


async def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--sessions", type=int, default=200)
    p.add_argument("--user", default="kate@contoso.test")
    p.add_argument("--password", default="P@ssw0rd")
    a = p.parse_args()
    tls = ssl.create_default_context()
    tls.check_hostname = False
    tls.verify_mode = ssl.CERT_NONE      # the relay's own self-signed certificate
    first = await session(a.port, a.user, a.password, tls)
    assert first["auth_code"] == 235, first
    right = [await session(a.port, a.user, a.password, tls) for _ in range(a.sessions)]
    wrong = [await session(a.port, a.user, a.password + "-wrong", tls) for _ in range(a.sessions)]
    assert all(s["auth_code"] == 235 for s in right) and all(s["auth_code"] == 535 for s in wrong)
    ms = lambda xs, q: 1000 * pct(xs, q)
    noop = [s["noop"] for s in right]
    rows = [("connect -> 220 banner", [s["connect"] for s in right]),
            ("EHLO", [s["ehlo"] for s in right]),
            ("STARTTLS -> 220", [s["starttls"] for s in right]),
            ("TLS handshake", [s["handshake"] for s in right]),
            ("EHLO over TLS", [s["ehlo_tls"] for s in right]),
            ("AUTH PLAIN, remembered user", [s["auth"] for s in right]),
            ("AUTH PLAIN, wrong password (PBKDF2)", [s["auth"] for s in wrong]),
            ("NOOP over TLS (round trip)", noop)]
    print("%d sessions each; one first sign-in: AUTH %.1f ms (PBKDF2 and the directory lookup)"
          % (a.sessions, 1000 * first["auth"]))
    print("  %-38s %9s %9s %9s" % ("step", "p50 ms", "p99 ms", "- NOOP"))
    out = {"firstAuthMs": 1000 * first["auth"]}
    for label, xs in rows:
        print("  %-38s %9.2f %9.2f %9.2f" % (label, ms(xs, 50), ms(xs, 99), ms(xs, 50) - ms(noop, 50)))
        out[label] = {"p50": ms(xs, 50), "p99": ms(xs, 99)}
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
