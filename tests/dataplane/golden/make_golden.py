#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Write the golden pcaps of tests/dataplane/golden_pcap.py (python3 stdlib only).

    python3 tests/dataplane/golden/make_golden.py [OUTDIR]

OUTDIR defaults to this script's directory. It writes:

- in.pcap: what the reflector receives through net_pcap (rx_pcap=): TWAMP-Light
  and STAMP over IPv4 and IPv6, untagged, 802.1Q and QinQ, stateless and
  stateful ports, plus frames the reflector must not answer (ARP, ICMP,
  ICMPv6, TCP, UDP to another port or address, a bad checksum, a spoofed
  source, a fragment).
- expected-<run>.pcap: the replies the reflector must send (tx_pcap=), one
  file per run of the binary over in.pcap, in input order. The Transmit
  Timestamp (T3) and the reflector Error Estimate depend on the host (TSC
  clock, kernel NTP state) and are written as zero here, the UDP checksum
  over those zeros: the test masks these octets and checks them otherwise.
  Every other octet, the Receive Timestamp (T2) included, is exact: T2 is
  the pcap record time of the request (net_pcap's RX timestamp).
- runs.json: per run, the application's options, the expected pcap, the
  exact FINAL counters and where the masked octets lie in each reply.

The frames are built with gen_dp_vectors.py's helpers (the data plane's
independent oracle); the replies are spelled out from the RFCs here (RFC
5357 §4.2.1 and Appendix I, RFC 8762 §4.3, RFC 8972 §4), not taken from
the C code.
"""

import contextlib
import importlib
import io
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
with contextlib.redirect_stdout(io.StringIO()):  # it prints dp_vectors.h when imported
    v = importlib.import_module("gen_dp_vectors")

MAC_S, MAC_R = v.MAC_S, v.MAC_R
IP4_S, IP4_R, IP6_S, IP6_R = v.IP4_S, v.IP4_R, v.IP6_S, v.IP6_R
IP4_OTHER = bytes([198, 18, 0, 77])  # on the link, not the reflector's
SPORT = v.SPORT
LIGHT, STAMP, STATEFUL = 862, 863, 864
T1 = v.T1
EE_SENDER = v.EE

# Record times: Unix 1700000010.5 + i/64 s, exact in NTP (fraction i * 2^26).
BASE_SEC, BASE_USEC, STEP_USEC = 1700000010, 500000, 15625
NTP_UNIX = 2208988800

# Masked in each reply (offsets from the frame start): T3, reflector Error
# Estimate, UDP checksum.
APP_ARGS = ["--address", "198.18.0.2/24", "--address", "2001:2::2/64",
            "--light-port", str(LIGHT), "--light-port", "%d,stamp" % STAMP,
            "--light-port", "%d,stateful" % STATEFUL,
            # No TAP: the golden runs are not in a namespace of their own,
            # and the kernel's answers would add frames to the output.
            "--no-tap"]
RUNS = {"untagged": APP_ARGS, "vlan100": APP_ARGS + ["--vlan", "100"]}


def record_time(i):
    usec = BASE_USEC + i * STEP_USEC
    return BASE_SEC + usec // 1000000, usec % 1000000


def ntp_of(sec, usec):
    frac = (usec * (1 << 32) + 500000) // 1000000
    assert (usec * (1 << 32)) % 1000000 == 0, "record times are exact in NTP"
    return struct.pack("!II", sec + NTP_UNIX, frac)


def sender(seq, length=41, pad=b""):
    """TWAMP(-Light) sender packet: seq, T1, Error Estimate, then zeros or pad."""
    body = struct.pack("!I", seq) + T1 + EE_SENDER + pad
    return body + bytes(length - len(body))


def light_reply(snd, seq, t2, ttl=64):
    """Unauthenticated reflector packet, RFC 5357 §4.2.1: T3 and EE zero here.

    Reply length max(received, 41); padding = the sender's from 14 (no RFC
    6038 mode on a plain Light port), cut to fit.
    """
    n = max(len(snd), 41)
    r = (struct.pack("!I", seq) + bytes(8) + bytes(2) + b"\0\0" + t2 + snd[0:14] + b"\0\0" +
         bytes([ttl]))
    return r + snd[14:14 + n - 41] + bytes(n - 41 - len(snd[14:14 + n - 41]))


def stamp_sender(seq, ssid, tlvs=b""):
    return struct.pack("!I", seq) + T1 + EE_SENDER + struct.pack("!H", ssid) + bytes(28) + tlvs


def stamp_reply(snd, seq, t2, tlvs=b"", ttl=64):
    """Unauthenticated STAMP reflector packet, RFC 8762 §4.3.1 / RFC 8972: at least 44."""
    snd = snd + bytes(max(0, 44 - len(snd)))
    return (struct.pack("!I", seq) + bytes(8) + bytes(2) + snd[14:16] + t2 + snd[0:14] +
            b"\0\0" + bytes([ttl]) + b"\0\0\0" + tlvs)


def tlv(flags, typ, value):
    return struct.pack("!BBH", flags, typ, len(value)) + value


def v4(payload, dport, src=IP4_S, dst=IP4_R, sport=SPORT, vlans=(), reply=False, **kw):
    if reply:
        kw.setdefault("ttl", 255)
        return v.eth(MAC_S, MAC_R, 0x0800,
                     v.ipv4(dst, src, v.udp(dst, src, dport, sport, payload), **kw), vlans)
    return v.eth(MAC_R, MAC_S, 0x0800, v.ipv4(src, dst, v.udp(src, dst, sport, dport, payload),
                                              **kw), vlans)


def v6(payload, dport, vlans=(), reply=False, **kw):
    if reply:
        kw.setdefault("hlim", 255)
        return v.eth(MAC_S, MAC_R, 0x86DD,
                     v.ipv6(IP6_R, IP6_S, v.udp(IP6_R, IP6_S, dport, SPORT, payload), **kw),
                     vlans)
    return v.eth(MAC_R, MAC_S, 0x86DD,
                 v.ipv6(IP6_S, IP6_R, v.udp(IP6_S, IP6_R, SPORT, dport, payload), **kw), vlans)


def build():
    """The input frames, each with what every run must do with it.

    An expectation is ("reply", function of T2 -> reply frame) or
    ("reason", counter name).
    """
    frames = []

    def add(comment, frame, untagged, vlan100):
        frames.append({"comment": comment, "frame": frame,
                       "expect": {"untagged": untagged, "vlan100": vlan100}})

    unknown = ("reason", "unknown_session")
    q100 = [(0x8100, 0x0064)]

    s = sender(7)
    add("IPv4 TWAMP-Light 41 octets, seq 7, TOS 0x29 (AF11, ECT(1))", v4(s, LIGHT, tos=0x29),
        ("reply", lambda t2, s=s: v4(light_reply(s, 7, t2), LIGHT, reply=True, tos=0x28)),
        unknown)
    s = sender(8)
    add("IPv6 TWAMP-Light 41 octets, seq 8", v6(s, LIGHT),
        ("reply", lambda t2, s=s: v6(light_reply(s, 8, t2), LIGHT, reply=True)), unknown)
    s = sender(9, 14)
    add("IPv4 TWAMP-Light 14-octet sender (routers), Ethernet padding 0xee",
        v4(s, LIGHT),
        ("reply", lambda t2, s=s: v4(light_reply(s, 9, t2), LIGHT, reply=True)), unknown)
    s = sender(10, 60, v.pattern(0x30, 46))
    add("IPv4 TWAMP-Light 60 octets, padding 30..5d: the reply keeps 30..42 (cut at the end)",
        v4(s, LIGHT),
        ("reply", lambda t2, s=s: v4(light_reply(s, 10, t2), LIGHT, reply=True)), unknown)

    s = stamp_sender(1, 0x1234, tlv(0x80, 1, bytes(8)))
    add("IPv4 STAMP seq 1, SSID 0x1234, Extra Padding TLV (U set)", v4(s, STAMP),
        ("reply", lambda t2, s=s: v4(stamp_reply(s, 1, t2, tlv(0x00, 1, bytes(8))), STAMP,
                                     reply=True)), unknown)
    loc_req = (struct.pack("!HH", 0, 0) + tlv(0x80, 1, bytes(8)) + tlv(0x80, 4, bytes(16)) +
               tlv(0x80, 7, bytes(16)))
    cos_req = tlv(0x80, 4, bytes([46 << 2, 0, 0, 0]))
    s = stamp_sender(2, 0, tlv(0x80, 2, loc_req) + cos_req)
    loc_ans = (struct.pack("!HH", STAMP, SPORT) + tlv(0x00, 2, MAC_S + b"\0\0") +
               tlv(0x00, 6, IP6_R) + tlv(0x00, 9, IP6_S))
    # CoS: DSCP2 = received 10 (AF11), ECN 1, RP 1 (the app does not permit DSCP1).
    cos_ans = tlv(0x00, 4, bytes([0xB8 | (10 >> 4), (10 & 0xF) << 4 | 1 << 2 | 1, 0, 0]))
    add("IPv6 STAMP seq 2, Location (MAC, dst IP, src IP) + Class of Service DSCP1 EF, TC 0x29",
        v6(s, STAMP, tc=0x29),
        ("reply", lambda t2, s=s: v6(stamp_reply(s, 2, t2, tlv(0x00, 2, loc_ans) + cos_ans),
                                     STAMP, reply=True, tc=0x28)), unknown)
    s = sender(3, 14)
    add("IPv4 STAMP 14-octet packet: the 44-octet base reply, SSID 0", v4(s, STAMP),
        ("reply", lambda t2, s=s: v4(stamp_reply(s, 3, t2), STAMP, reply=True)), unknown)

    s = sender(100)
    add("IPv4 TWAMP-Light to the stateful port, sender seq 100", v4(s, STATEFUL),
        ("reply", lambda t2, s=s: v4(light_reply(s, 0, t2), STATEFUL, reply=True)), unknown)
    s = sender(101)
    add("the next one, sender seq 101: the port's own counter gives 1", v4(s, STATEFUL),
        ("reply", lambda t2, s=s: v4(light_reply(s, 1, t2), STATEFUL, reply=True)), unknown)

    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + MAC_S + IP4_S + bytes(6) + IP4_R
    add("ARP request for 198.18.0.2", v.eth(b"\xff" * 6, MAC_S, 0x0806, arp),
        ("reason", "not_ip"), ("reason", "not_ip"))
    icmp = bytes.fromhex("0800f7ff00000000")
    add("ICMP echo request", v.eth(MAC_R, MAC_S, 0x0800, v.ipv4(IP4_S, IP4_R, icmp, proto=1)),
        ("reason", "not_udp"), ("reason", "not_udp"))
    ns = bytes.fromhex("8700000000000000") + IP6_R
    add("ICMPv6 Neighbor Solicitation (checksum not checked: not UDP)",
        v.eth(MAC_R, MAC_S, 0x86DD, v.ipv6(IP6_S, IP6_R, ns, nh=58, hlim=255)),
        ("reason", "not_udp"), ("reason", "not_udp"))
    syn = struct.pack("!HHIIBBHHH", 40000, LIGHT, 1, 0, 5 << 4, 0x02, 65535, 0, 0)
    tcp_sum = ~v.csum(IP4_S + IP4_R + struct.pack("!HH", 6, len(syn)) + syn) & 0xFFFF
    syn = syn[:16] + struct.pack("!H", tcp_sum) + syn[18:]
    add("TCP SYN to port 862 (TWAMP-Control)",
        v.eth(MAC_R, MAC_S, 0x0800, v.ipv4(IP4_S, IP4_R, syn, proto=6)),
        ("reason", "not_udp"), ("reason", "not_udp"))
    add("UDP to 198.18.0.2:7777, no reflector there", v4(sender(11), 7777), unknown, unknown)
    add("TWAMP-Light to 198.18.0.77 (not ours)", v4(sender(12), LIGHT, dst=IP4_OTHER),
        ("reason", "not_for_us"), ("reason", "not_for_us"))
    bad = bytearray(v4(sender(13), LIGHT))
    bad[40] ^= 0x01
    add("TWAMP-Light with a wrong UDP checksum", bytes(bad),
        ("reason", "udp_bad_checksum"), ("reason", "udp_bad_checksum"))
    add("TWAMP-Light from 224.0.0.1 (spoofed multicast source)",
        v4(sender(14), LIGHT, src=bytes([224, 0, 0, 1])), ("reason", "bad_source"), unknown)

    s = sender(20)
    add("802.1Q VID 100 IPv4 TWAMP-Light seq 20", v4(s, LIGHT, vlans=q100), unknown,
        ("reply", lambda t2, s=s: v4(light_reply(s, 20, t2), LIGHT, reply=True, vlans=q100)))
    s = stamp_sender(21, 0x0021)
    add("802.1Q VID 100 IPv6 STAMP seq 21, SSID 0x0021", v6(s, STAMP, vlans=q100), unknown,
        ("reply", lambda t2, s=s: v6(stamp_reply(s, 21, t2), STAMP, reply=True, vlans=q100)))
    qinq = [(0x88A8, 0x0064), (0x8100, 0x00C8)]
    s = sender(22)
    add("QinQ 0x88a8 VID 100 / 0x8100 VID 200 IPv4 TWAMP-Light seq 22", v4(s, LIGHT, vlans=qinq),
        unknown,
        ("reply", lambda t2, s=s: v4(light_reply(s, 22, t2), LIGHT, reply=True, vlans=qinq)))
    add("802.1Q VID 200 IPv4 TWAMP-Light (no reflector on that VLAN)",
        v4(sender(23), LIGHT, vlans=[(0x8100, 0x00C8)]), unknown, unknown)
    add("IPv4 TWAMP-Light first fragment (MF)", v4(sender(24), LIGHT, frag=0x2000),
        ("reason", "ipv4_fragment"), ("reason", "ipv4_fragment"))
    s = sender(5)
    add("802.1Q VID 100 TWAMP-Light to the stateful port, sender seq 5",
        v4(s, STATEFUL, vlans=q100), unknown,
        ("reply", lambda t2, s=s: v4(light_reply(s, 0, t2), STATEFUL, reply=True, vlans=q100)))
    return frames


def pcap_write(path, records):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for (sec, usec), data in records:
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)


# Counters the application prints (FINAL line), all of them: every one not
# listed must be 0.
EXCEPTION_REASONS = {"not_ip", "ipv6_ext_header", "not_udp", "not_for_us", "unknown_session"}


def masks(frame):
    """Offsets of T3, the reflector Error Estimate and the UDP checksum in a reply."""
    off = 12
    while struct.unpack("!H", frame[off:off + 2])[0] in (0x8100, 0x88A8):
        off += 4
    l3 = off + 2
    l4 = l3 + (20 if frame[l3] >> 4 == 4 else 40)
    payload = l4 + 8
    return {"t3": payload + 4, "errest": payload + 12, "udp_cksum": l4 + 6}


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else HERE
    frames = build()
    pcap_write(os.path.join(outdir, "in.pcap"),
               [(record_time(i), f["frame"]) for i, f in enumerate(frames)])
    runs = []
    for run, args in RUNS.items():
        replies, counters = [], {"rx": len(frames), "reflected": 0, "to_exception": 0}
        for i, f in enumerate(frames):
            kind, what = f["expect"][run]
            if kind == "reply":
                t = record_time(i)
                replies.append((t, what(ntp_of(*t))))
                counters["reflected"] += 1
                continue
            counters[what] = counters.get(what, 0) + 1
            if what in EXCEPTION_REASONS:
                counters["to_exception"] += 1
        name = "expected-%s.pcap" % run
        pcap_write(os.path.join(outdir, name), replies)
        runs.append({"name": run, "args": args, "expected": name, "counters": counters,
                     "masks": [masks(r) for _, r in replies],
                     "frames": [f["comment"] for f in frames]})
    with open(os.path.join(outdir, "runs.json"), "w") as f:
        json.dump({"input": "in.pcap", "light_ports": [LIGHT, STATEFUL], "stamp_ports": [STAMP],
                   "runs": runs}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
