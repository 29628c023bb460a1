#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Checks of the exception path for e2e_tap.sh; python3 standard library only.

Each subcommand prints one summary line and, on failure, one line per
problem ("  FAIL: ..."); exit status 0 (pass) or 1 (fail).

  final --log FILE --path ring|ctl|off [--allow-unmapped]
      The exception path's counters on the reflector's FINAL line
      (lib/control/twr_tap.h):
      - ring / ctl (a TAP): both directions carried frames (tap_tx, tap_rx,
        to_wire > 0); every frame taken is accounted for:
          exception_consumed = to_exception
                             = tap_tx + tap_tx_full + tap_tx_too_big + tap_unmapped
          tap_rx = to_wire + to_wire_tx_full + to_wire_ring_full
                   + to_wire_flushed + tap_rx_invalid
        no drop (tap_tx_full, tap_tx_too_big, tap_rx_invalid,
        to_wire_tx_full, to_wire_ring_full; tap_unmapped only with
        --allow-unmapped; to_wire_flushed, frames the kernel sent in the
        last moment before exit, is shown, not judged);
        ring: every frame to the wire went through the worker
        (to_wire_ring = to_wire + to_wire_tx_full + to_wire_flushed > 0);
        ctl: none did (to_wire_ring = 0).
      - off (--no-tap): exception_consumed = to_exception, every TAP
        counter 0.
  twping --json FILE --count N --imissed M
      twamp-ping's --json report on a wire device that drops frames
      before the reflector sees them (net_pcap live: its capture ring,
      reported as the port's imissed): all N sent, no duplicates,
      reordering or malformed replies, and every lost packet within the
      port's M missed frames; prints the losses as the harness's.
  imissed --prefix FILE_PREFIX [--port P]
      print port P's imissed from the reflector's telemetry (/ethdev/stats).
  vlan --pcap FILE --mac MAC --vid VID [--min-echo N]
      A capture on the client's veth end: every frame from MAC (the
      reflector's wire port, i.e. its TAP) carries exactly one 802.1Q tag
      with VID; counts ARP replies, ICMP/ICMPv6 echo replies and Neighbor
      Advertisements among them; at least N echo replies (default 1).
"""

import argparse
import json
import re
import socket
import struct
import sys

TAP_COUNTERS = ("exception_consumed", "tap_tx", "tap_tx_full", "tap_tx_too_big", "tap_unmapped",
                "tap_rx", "tap_rx_invalid", "to_wire", "to_wire_ring", "to_wire_tx_full",
                "to_wire_ring_full", "to_wire_flushed")
DROPS = ("tap_tx_full", "tap_tx_too_big", "tap_rx_invalid", "to_wire_tx_full",
         "to_wire_ring_full")


class Checker:
    def __init__(self):
        self.problems = []

    def expect(self, cond, what):
        if not cond:
            self.problems.append(what)
        return cond

    def finish(self, summary):
        print(summary)
        for p in self.problems:
            print("  FAIL: %s" % p)
        return 1 if self.problems else 0


def final_line(path):
    line = None
    with open(path, errors="replace") as f:
        for ln in f:
            if ln.startswith("FINAL "):
                line = ln
    if line is None:
        return None
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


def cmd_final(a):
    c = Checker()
    try:
        v = final_line(a.log)
    except OSError as e:
        print("reflector log unreadable: %s" % e)
        return 1
    if v is None:
        print("reflector printed no FINAL line")
        return 1
    missing = [k for k in TAP_COUNTERS if k not in v]
    if missing:
        c.expect(False, "FINAL lacks %s" % ", ".join(missing))
        return c.finish("exception path counters missing")
    exc = v.get("to_exception", -1)
    c.expect(v["exception_consumed"] == exc,
             "exception_consumed %d != to_exception %d" % (v["exception_consumed"], exc))
    if a.path == "off":
        nz = ["%s=%d" % (k, v[k]) for k in TAP_COUNTERS[1:] if v[k]]
        c.expect(not nz, "TAP counters without a TAP: %s" % ", ".join(nz))
        return c.finish("exception path off: %d frames consumed and freed" % exc)
    c.expect(v["tap_tx"] > 0, "nothing went to the TAP (tap_tx 0)")
    c.expect(v["tap_rx"] > 0, "the kernel sent nothing on the TAP (tap_rx 0)")
    c.expect(v["to_wire"] > 0, "nothing from the TAP reached the wire (to_wire 0)")
    into = v["tap_tx"] + v["tap_tx_full"] + v["tap_tx_too_big"] + v["tap_unmapped"]
    c.expect(v["exception_consumed"] == into,
             "exception_consumed %d != tap_tx + tap_tx_full + tap_tx_too_big + tap_unmapped %d"
             % (v["exception_consumed"], into))
    out = (v["to_wire"] + v["to_wire_tx_full"] + v["to_wire_ring_full"] + v["to_wire_flushed"] +
           v["tap_rx_invalid"])
    c.expect(v["tap_rx"] == out,
             "tap_rx %d != to_wire + to_wire_tx_full + to_wire_ring_full + to_wire_flushed + "
             "tap_rx_invalid %d" % (v["tap_rx"], out))
    for k in DROPS:
        c.expect(v[k] == 0, "drop %s = %d" % (k, v[k]))
    if not a.allow_unmapped:
        c.expect(v["tap_unmapped"] == 0, "drop tap_unmapped = %d" % v["tap_unmapped"])
    via = v["to_wire"] + v["to_wire_tx_full"] + v["to_wire_flushed"]
    if a.path == "ring":
        c.expect(v["to_wire_ring"] > 0 and v["to_wire_ring"] == via,
                 "to_wire_ring %d: not every frame to the wire went through the worker (%d)" %
                 (v["to_wire_ring"], via))
    else:
        c.expect(v["to_wire_ring"] == 0,
                 "to_wire_ring %d with a control TX queue" % v["to_wire_ring"])
    shown = ", ".join("%s=%d" % (k, v[k]) for k in TAP_COUNTERS)
    return c.finish("exception path (%s): %s" % (
        "through worker 0's TX queue" if a.path == "ring" else "on the control TX queue", shown))


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return []
    for e in ("<", ">"):
        magic = struct.unpack(e + "I", data[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            break
    else:
        raise ValueError("not a pcap file")
    off, out = 24, []
    while off + 16 <= len(data):
        _s, _f, incl, _o = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        out.append(data[off:off + incl])
        off += incl
    return out


def mac(b):
    return ":".join("%02x" % x for x in b)


def cmd_vlan(a):
    c = Checker()
    try:
        frames = read_pcap(a.pcap)
    except (OSError, ValueError) as e:
        print("capture unreadable: %s" % e)
        return 1
    want = a.mac.lower()
    n = arp = echo = na = 0
    for fr in frames:
        if len(fr) < 14 or mac(fr[6:12]) != want:
            continue
        n += 1
        tags, off = [], 12
        et = struct.unpack("!H", fr[off:off + 2])[0]
        while et in (0x8100, 0x88A8) and len(fr) >= off + 6:
            tags.append(struct.unpack("!H", fr[off + 2:off + 4])[0] & 0x0FFF)
            off += 4
            et = struct.unpack("!H", fr[off:off + 2])[0]
        c.expect(tags == [a.vid], "frame %d from the reflector: VLAN tags %r, expected [%d]" %
                 (n, tags, a.vid))
        l3 = fr[off + 2:]
        if et == 0x0806 and len(l3) >= 8 and l3[7] == 2:
            arp += 1
        elif et == 0x0800 and len(l3) >= 20 and l3[9] == 1:
            ihl = (l3[0] & 0x0F) * 4
            echo += len(l3) > ihl and l3[ihl] == 0
        elif et == 0x86DD and len(l3) >= 41 and l3[6] == 58:
            echo += l3[40] == 129
            na += l3[40] == 136
    c.expect(n > 0, "no frame from %s captured" % want)
    c.expect(echo >= a.min_echo, "%d echo replies from the reflector, expected at least %d" %
             (echo, a.min_echo))
    return c.finish("capture: %d frames from the reflector, all tagged VID %d: %d ARP replies, "
                    "%d echo replies, %d Neighbor Advertisements" % (n, a.vid, arp, echo, na))


def cmd_twping(a):
    c = Checker()
    try:
        with open(a.json) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        print("twamp-ping report unreadable: %s" % e)
        return 1
    c.expect(d.get("sent") == a.count, "sent %r, expected %d" % (d.get("sent"), a.count))
    for k in ("duplicates", "out_of_order", "malformed", "unknown_seq", "foreign", "send_errors"):
        c.expect(d.get(k) == 0, "%s = %r" % (k, d.get(k)))
    lost = d.get("lost", -1)
    c.expect(0 <= lost <= a.imissed,
             "lost %d > %d frames the device missed: lost by the reflector" % (lost, a.imissed))
    return c.finish("sent=%s received=%s lost=%s (the device missed %d frames before the "
                    "reflector: net_pcap's capture ring)" % (d.get("sent"), d.get("received"),
                                                            lost, a.imissed))


def cmd_imissed(a):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % a.prefix
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(5)
        s.connect(path)
        info = json.loads(s.recv(1024))
        s.send(("/ethdev/stats,%d" % a.port).encode())
        st = json.loads(s.recv(info.get("max_output_len", 16384)))["/ethdev/stats"]
        s.close()
    except (OSError, ValueError, KeyError, TypeError) as e:
        print("telemetry %s: %s" % (path, e), file=sys.stderr)
        return 1
    print(st.get("imissed", 0))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("final")
    p.add_argument("--log", required=True)
    p.add_argument("--path", choices=("ring", "ctl", "off"), required=True)
    p.add_argument("--allow-unmapped", action="store_true")
    p = sub.add_parser("twping")
    p.add_argument("--json", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--imissed", type=int, required=True)
    p = sub.add_parser("imissed")
    p.add_argument("--prefix", required=True)
    p.add_argument("--port", type=int, default=0)
    p = sub.add_parser("vlan")
    p.add_argument("--pcap", required=True)
    p.add_argument("--mac", required=True)
    p.add_argument("--vid", type=int, required=True)
    p.add_argument("--min-echo", type=int, default=1)
    a = ap.parse_args()
    return {"final": cmd_final, "twping": cmd_twping, "imissed": cmd_imissed,
            "vlan": cmd_vlan}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
