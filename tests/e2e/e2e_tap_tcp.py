#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""TCP echo through the reflector's TAP (e2e_tap.sh); python3 standard library only.

  e2e_tap_tcp.py server ADDRESS PORT [--connections K] [--timeout S]
      listen on ADDRESS:PORT, print "LISTENING" once bound; for each of K
      connections (default 1), one after the other, echo what it sends
      until it closes and print "ECHOED N"; exit 0.
  e2e_tap_tcp.py client ADDRESS PORT [--bytes N] [--rate R] [--timeout S]
      connect, send N pseudo-random octets (default 1 MiB; at most R octets
      per second with --rate) while reading the echo, half-close, read to
      EOF; exit 0 when exactly the octets sent came back, in order
      ("OK N bytes echoed in T s"), 1 otherwise.
"""

import argparse
import hashlib
import random
import selectors
import socket
import sys
import time

CHUNK = 65536  # octets per write


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def server(a):
    s = socket.socket(family_of(a.address), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.address, a.port))
    s.listen(1)
    s.settimeout(a.timeout)
    print("LISTENING", flush=True)
    for _ in range(a.connections):
        try:
            c, _ = s.accept()
        except socket.timeout:
            print("no connection in %.0f s" % a.timeout, flush=True)
            return 1
        c.settimeout(a.timeout)
        n = 0
        while True:
            b = c.recv(65536)
            if not b:
                break
            c.sendall(b)
            n += len(b)
        c.close()
        print("ECHOED %d" % n, flush=True)
    s.close()
    return 0


def client(a):
    data = random.Random(862).randbytes(a.bytes)
    want = hashlib.sha256(data).digest()
    t0 = time.monotonic()
    c = socket.create_connection((a.address, a.port), timeout=a.timeout)
    c.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(c, selectors.EVENT_READ)
    sent, nrecv, got, closed_w, writing = 0, 0, hashlib.sha256(), False, False
    deadline = t0 + a.timeout
    while True:
        now = time.monotonic()
        if now >= deadline:
            print("FAIL: timed out after %d sent, %d echoed" % (sent, nrecv))
            return 1
        # --rate paces the sender in chunks of CHUNK octets: the next chunk
        # goes once rate * elapsed covers it (few, full-sized writes).
        wait = 1.0
        if a.rate <= 0:
            allowed = len(data)
        else:
            nxt = min(len(data), sent + CHUNK)
            due = t0 + nxt / a.rate
            allowed = nxt if now >= due else sent
            wait = max(0.0, min(1.0, due - now))
        want_write = not closed_w and sent < allowed
        if want_write != writing:
            sel.modify(c, selectors.EVENT_READ | (selectors.EVENT_WRITE if want_write else 0))
            writing = want_write
        for _key, ev in sel.select(min(deadline - now, 1.0 if want_write else wait)):
            if ev & selectors.EVENT_WRITE:
                try:
                    sent += c.send(data[sent:min(allowed, sent + CHUNK)])
                except BlockingIOError:
                    pass
                if sent == len(data):
                    c.shutdown(socket.SHUT_WR)
                    closed_w = True
            if ev & selectors.EVENT_READ:
                try:
                    b = c.recv(65536)
                except BlockingIOError:
                    continue
                if b:
                    got.update(b)
                    nrecv += len(b)
                    continue
                c.close()
                dt = time.monotonic() - t0
                if nrecv == len(data) and got.digest() == want:
                    print("OK %d bytes echoed in %.2f s" % (nrecv, dt))
                    return 0
                print("FAIL: sent %d, echoed %d, digest %s" %
                      (sent, nrecv, "equal" if got.digest() == want else "differs"))
                return 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=("server", "client"))
    p.add_argument("address")
    p.add_argument("port", type=int)
    p.add_argument("--bytes", type=int, default=1 << 20)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--rate", type=float, default=0, help="octets per second (0: no limit)")
    p.add_argument("--timeout", type=float, default=30.0)
    a = p.parse_args()
    return server(a) if a.mode == "server" else client(a)


if __name__ == "__main__":
    sys.exit(main())
