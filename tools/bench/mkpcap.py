#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Write a pcap of TWAMP-Test Session-Sender packets for the data-plane benchmark.

Every frame: Ethernet (untagged), IPv4 (TTL 64, no options), UDP with a
valid checksum, a 41-octet unauthenticated Session-Sender packet (sequence
number, NTP timestamp, Error Estimate S=1 multiplier 1, 27 octets of zero
padding): 83-octet frames (above the 60-octet minimum: no Ethernet
padding).

Two kinds of traffic:

  --light PORT      every packet from 198.18.0.1:41000 to 198.18.0.2:PORT
                    (a TWAMP-Light reflector port: --light-port PORT)
  --sessions N      packets spread over the N synthetic managed sessions of
                    twamp-reflector's --bench-sessions N. Session i, 0 <= i < N:
                      local  198.18.0.2 + i // 50000 (as a 32-bit address),
                             port 10000 + i % 50000
                      remote 198.19.0.0 + i % 65536, port 20000 + i % 40000
                    (the same generator as install_bench_sessions() in
                    app/twamp-reflector/main.c: keep the two in step). The
                    packet goes from remote to local. Packet k goes to
                    session order[k % N], where order is a permutation of
                    0..N-1 drawn anew (seeded, deterministic) for every lap
                    over the sessions, so that neither the session objects
                    nor the hash buckets are visited in address order (no
                    help from the hardware prefetcher).

--count K sets the number of packets (default: N, at least 1024). Keep K
the same across a scaling series: net_pcap's infinite_rx keeps every packet
of the file in an mbuf and copies from it, and the cost of that copy grows
with the file.
"""

import argparse
import random
import struct
import sys

ETH_DST = bytes.fromhex("020000000002")
ETH_SRC = bytes.fromhex("020000000001")
LIGHT_SRC = (0xC6120001, 41000)  # 198.18.0.1
LIGHT_DST = 0xC6120002  # 198.18.0.2
BENCH_LOCAL_ADDR = 0xC6120002  # 198.18.0.2
BENCH_REMOTE_ADDR = 0xC6130000  # 198.19.0.0
PAYLOAD_LEN = 41
NTP_EPOCH_OFFSET = 2208988800
PCAP_TS = 1700000000


def bench_session(i):
    """(local addr, local port, remote addr, remote port) of synthetic session i."""
    return (BENCH_LOCAL_ADDR + i // 50000, 10000 + i % 50000,
            BENCH_REMOTE_ADDR + i % 65536, 20000 + i % 40000)


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def words(b):
    """One's complement sum of big-endian 16-bit words of b (even length)."""
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def frame(src, sport, dst, dport, seq):
    ts = ((PCAP_TS + NTP_EPOCH_OFFSET) << 32) | (seq & 0xFFFFFFFF)
    data = struct.pack("!IQH", seq & 0xFFFFFFFF, ts, 0x8001) + bytes(PAYLOAD_LEN - 14)
    ulen = 8 + len(data)
    sip, dip = struct.pack("!I", src), struct.pack("!I", dst)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + data
    pseudo = sip + dip + struct.pack("!BBH", 0, 17, ulen)
    c = ~fold(words(pseudo) + words(udp + b"\0")) & 0xFFFF or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, seq & 0xFFFF, 0, 64, 17, 0, sip, dip)
    ip = ip[:10] + struct.pack("!H", ~fold(words(ip)) & 0xFFFF) + ip[12:]
    return ETH_DST + ETH_SRC + b"\x08\x00" + ip + udp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="pcap file to write")
    kind = ap.add_mutually_exclusive_group(required=True)
    kind.add_argument("--light", type=int, metavar="PORT", help="TWAMP-Light reflector port")
    kind.add_argument("--sessions", type=int, metavar="N",
                      help="spread over the N sessions of --bench-sessions N")
    ap.add_argument("--count", type=int, metavar="K", help="packets (default max(N, 1024))")
    ap.add_argument("--seed", type=int, default=1, help="permutation seed (default 1)")
    a = ap.parse_args()
    n = a.sessions if a.sessions is not None else 1
    if n < 1 or n > 16 << 20:
        ap.error("--sessions must be 1..16777216")
    if a.light is not None and not 1 <= a.light <= 65535:
        ap.error("--light must be 1..65535")
    count = a.count if a.count is not None else max(n, 1024)
    if count < 1:
        ap.error("--count must be >= 1")

    rng = random.Random(a.seed)
    order = list(range(n))
    with open(a.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for k in range(count):
            if a.light is not None:
                fr = frame(LIGHT_SRC[0], LIGHT_SRC[1], LIGHT_DST, a.light, k)
            else:
                if k % n == 0 and n > 1:
                    rng.shuffle(order)
                laddr, lport, raddr, rport = bench_session(order[k % n])
                fr = frame(raddr, rport, laddr, lport, k)
            f.write(struct.pack("<IIII", PCAP_TS + k // 1000000, k % 1000000, len(fr), len(fr)))
            f.write(fr)
    what = "port %d" % a.light if a.light is not None else "%d sessions" % n
    print("mkpcap: wrote %d packets (%s) to %s" % (count, what, a.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
