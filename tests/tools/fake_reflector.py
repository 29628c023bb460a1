#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""A tiny TWAMP-Light / STAMP Session-Reflector for the twamp-ping tests.

It answers per digest §3.3 (TWAMP-Light, reply length max(received, 41))
or §4.2 (STAMP, max(received, 44), SSID and TLVs copied, U cleared on the
Extra Padding TLVs it understands), stateless (copies the sender's
sequence number) or stateful (its own counter per peer, from 0). T3 is
T2 plus a fixed residence time, so a test knows the exact residence
twamp-ping must report: 1 ms is 4294967 units of 2^-32 s, which
twr_ntp_diff_ns() turns back into exactly 1000000 ns. The reply leaves
no earlier than T3, so the RTT twamp-ping computes is the true one.

It can also misbehave on purpose: drop a request before counting it
(forward loss), drop a reply after counting it (backward loss), delay a
reply, or surround a reply with garbage, a truncated copy, a duplicate,
a reply with a foreign timestamp and one for a sequence number never sent.

Loopback only: it binds 127.0.0.1 or ::1 and answers whoever sent the
request, which can only be a local process. Standard library only.

Standalone: fake_reflector.py [-6] [--port N] [--mode stamp] [--stateful]
"""

import argparse
import socket
import struct
import sys
import threading
import time

NTP_UNIX_OFFSET = 2208988800
IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)
IP_RECVTOS = getattr(socket, "IP_RECVTOS", 13)
IPV6_RECVHOPLIMIT = getattr(socket, "IPV6_RECVHOPLIMIT", 51)
IPV6_HOPLIMIT = getattr(socket, "IPV6_HOPLIMIT", 52)
IPV6_RECVTCLASS = getattr(socket, "IPV6_RECVTCLASS", 66)
IPV6_TCLASS = getattr(socket, "IPV6_TCLASS", 67)
TLV_FLAG_U = 0x80
TLV_EXTRA_PADDING = 1


def ntp_from_unix_ns(ns):
    """Unix ns to a 64-bit NTP timestamp, fraction rounded to nearest."""
    sec, rem = divmod(ns, 10**9)
    frac = ((rem << 32) + 10**9 // 2) // 10**9
    if frac == 1 << 32:
        sec, frac = sec + 1, 0
    return ((sec + NTP_UNIX_OFFSET) % (1 << 32)) << 32 | frac


def ntp_units_to_ns(units):
    """A non-negative NTP duration to ns, as twr_ntp_diff_ns() rounds it."""
    return (units >> 32) * 10**9 + (((units & 0xFFFFFFFF) * 10**9 + (1 << 31)) >> 32)


def clear_extra_padding_u(tlvs):
    """Clear U on the Extra Padding TLVs; leave anything else (and a malformed tail) as is."""
    out = bytearray(tlvs)
    off = 0
    while off + 4 <= len(out):
        length = struct.unpack_from("!H", out, off + 2)[0]
        if off + 4 + length > len(out):
            break
        if out[off + 1] == TLV_EXTRA_PADDING:
            out[off] &= ~TLV_FLAG_U & 0xFF
        off += 4 + length
    return bytes(out)


class FakeReflector:
    """A reflector thread on 127.0.0.1 or ::1. log: one dict per request it reflected."""

    def __init__(self, family=socket.AF_INET, mode="light", stateful=False,
                 residence_ns=1000000, error_estimate=0x8587, drop_fwd=(), drop_back=(),
                 delay=None, garbage_seq=None, port=0):
        self.family = family
        self.mode = mode
        self.stateful = stateful
        self.residence_units = (residence_ns * (1 << 32) + 10**9 // 2) // 10**9
        self.residence_ns = ntp_units_to_ns(self.residence_units)
        self.error_estimate = error_estimate
        self.drop_fwd = set(drop_fwd)
        self.drop_back = set(drop_back)
        self.delay = dict(delay or {})
        self.garbage_seq = garbage_seq
        self.log = []
        self.requests = []
        self.counters = {}
        self.timers = []
        self.stopping = threading.Event()
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        v6 = family == socket.AF_INET6
        self.sock.bind(("::1" if v6 else "127.0.0.1", port))
        if v6:
            self.sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
            self.sock.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)
            self.sock.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVTCLASS, 1)
        else:
            self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 255)
            self.sock.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
            self.sock.setsockopt(socket.IPPROTO_IP, IP_RECVTOS, 1)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join()
        for t in self.timers:
            t.cancel()
        self.sock.close()

    def _ancillary(self, anc):
        ttl, tos = 255, None
        for level, kind, data in anc:
            if (level, kind) in ((socket.IPPROTO_IP, socket.IP_TTL),
                                 (socket.IPPROTO_IPV6, IPV6_HOPLIMIT)):
                ttl = int.from_bytes(data[:4], sys.byteorder)
            elif (level, kind) == (socket.IPPROTO_IP, socket.IP_TOS):
                tos = data[0]
            elif (level, kind) == (socket.IPPROTO_IPV6, IPV6_TCLASS):
                tos = int.from_bytes(data[:4], sys.byteorder)
        return ttl, tos

    def _run(self):
        while not self.stopping.is_set():
            try:
                data, anc, _, peer = self.sock.recvmsg(65535, 256)
            except socket.timeout:
                continue
            except OSError:
                break
            t2_ns = time.time_ns()
            ttl, tos = self._ancillary(anc)
            self._handle(data, ttl, tos, peer, t2_ns)

    def _reply(self, data, rseq, t2, ttl):
        base = 44 if self.mode == "stamp" else 41
        out = bytearray(max(len(data), base))
        t3 = (t2 + self.residence_units) % (1 << 64)
        struct.pack_into("!IQH", out, 0, rseq, t3, self.error_estimate)
        struct.pack_into("!Q", out, 16, t2)
        out[24:38] = data[0:14]
        out[40] = ttl
        if self.mode == "stamp":
            out[14:16] = data[14:16] if len(data) >= 16 else b"\0\0"
            out[44:] = clear_extra_padding_u(data[44:])
        else:
            # RFC 5357 §4.2.1: reuse the sender's padding, truncated by 27 octets.
            pad = data[14:14 + len(out) - 41]
            out[41:41 + len(pad)] = pad
        return bytes(out)

    def _handle(self, data, ttl, tos, peer, t2_ns):
        t2 = ntp_from_unix_ns(t2_ns)
        if len(data) < 14:
            return
        sseq = struct.unpack_from("!I", data, 0)[0]
        self.requests.append({"seq": sseq, "len": len(data), "ttl": ttl, "tos": tos,
                              "peer": peer, "data": data})
        if sseq in self.drop_fwd:
            return
        if self.stateful:
            rseq = self.counters.get(peer, 0)
            self.counters[peer] = rseq + 1
        else:
            rseq = sseq
        reply = self._reply(data, rseq, t2, ttl)
        self.log.append({"sender_seq": sseq, "reflector_seq": rseq, "len": len(reply),
                         "sender_ttl": ttl, "residence_ns": self.residence_ns})
        if sseq in self.drop_back:
            return
        # T3 = T2 + residence must not be a lie: hold the reply until then,
        # so that twamp-ping's RTT, (T4 - T1) - (T3 - T2), stays >= 0.
        while time.time_ns() < t2_ns + self.residence_ns:
            time.sleep((t2_ns + self.residence_ns - time.time_ns()) / 1e9)
        if sseq == self.garbage_seq:
            self._send_garbage(reply, peer)
        if sseq in self.delay:
            timer = threading.Timer(self.delay[sseq], self.sock.sendto, (reply, peer))
            self.timers.append(timer)
            timer.start()
            return
        self.sock.sendto(reply, peer)
        if sseq == self.garbage_seq:
            self.sock.sendto(reply, peer)  # a duplicate

    def _send_garbage(self, reply, peer):
        self.sock.sendto(b"\xde\xad\xbe\xef\x00", peer)  # malformed: 5 octets
        self.sock.sendto(reply[:40], peer)  # malformed: one octet short of a reply
        foreign = bytearray(reply)
        foreign[35] ^= 0x01  # a Sender Timestamp we never sent
        self.sock.sendto(bytes(foreign), peer)
        unknown = bytearray(reply)
        struct.pack_into("!I", unknown, 24, 999999)  # a sequence number never sent
        self.sock.sendto(bytes(unknown), peer)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-6", dest="v6", action="store_true", help="bind ::1 instead of 127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mode", choices=("light", "stamp"), default="light")
    ap.add_argument("--stateful", action="store_true")
    args = ap.parse_args()
    family = socket.AF_INET6 if args.v6 else socket.AF_INET
    with FakeReflector(family, args.mode, args.stateful, port=args.port) as refl:
        print(f"fake {args.mode} reflector on port {refl.port}; Ctrl-C stops it", flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
