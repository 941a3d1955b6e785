#!/usr/bin/env python3
"""Stand-in for Postfix's postlogd that stamps each log record with the time it arrived, in
microseconds (Python 3 standard library only). Used by head-to-head.sh.

Postfix (>= 3.4) programs format a complete log line themselves ("Nov 22 14:12:09 host
postfix/smtpd[123]: ...", whole seconds only) and send it as one datagram to the postlog
service socket, $queue_directory/public/postlog; postlogd only appends it to maillog_file.
This program binds that socket in place of postlogd (the Postfix instance's master.cf then has
no postlog entry) and writes every record as

    <unix time with microseconds> <the record as Postfix formatted it>

Records are sent synchronously when the event happens and received here in arrival order, so the
stamp is the event time to within the socket's queueing delay (microseconds unless this process
falls behind; it does nothing else).

    postlog_stamp.py SOCKET_PATH OUTPUT_FILE

Runs until SIGTERM or SIGINT, then flushes and removes the socket. Prints "listening" on stdout
once the socket is bound.
"""
import os
import signal
import socket
import sys
import time


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, out_path = sys.argv[1], sys.argv[2]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(path)
    os.chmod(path, 0o666)   # Postfix's programs run as the postfix user
    sock.settimeout(0.5)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    print("listening", flush=True)
    with open(out_path, "a", encoding="utf-8", errors="replace", buffering=1 << 20) as out:
        last_flush = time.monotonic()
        while not stop:
            try:
                data = sock.recv(65536)
            except socket.timeout:
                out.flush()
                last_flush = time.monotonic()
                continue
            except InterruptedError:
                continue
            now = time.time()
            out.write("%.6f %s\n" % (now, data.decode("utf-8", "replace").rstrip("\n")))
            if time.monotonic() - last_flush > 1.0:
                out.flush()
                last_flush = time.monotonic()
        # drain what is already queued
        sock.setblocking(False)
        while True:
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            out.write("%.6f %s\n" % (time.time(), data.decode("utf-8", "replace").rstrip("\n")))
    sock.close()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


if __name__ == "__main__":
    main()
