#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Golden pcap test: the real twamp-reflector binary, net_pcap in and out.

    golden_pcap.py PATH/TO/twamp-reflector [--keep DIR]

For every run of golden/runs.json (written by golden/make_golden.py with
golden/in.pcap and the expected pcaps) the binary replays golden/in.pcap
through --vdev net_pcap0,rx_pcap=IN,tx_pcap=OUT and stops after one second.
Then, per run:

- the exit status and the FINAL counter line: every counter exactly as
  expected (those runs.json does not list are 0), and exception_consumed
  equal to to_exception;
- OUT holds as many frames as the expected pcap, in the same order, and
  each frame equals its expected frame octet for octet except the masked
  octets: the Transmit Timestamp (T3, the TSC clock's), the reflector
  Error Estimate (the host's NTP state) and the UDP checksum (it covers
  both). The Receive Timestamp (T2) is not masked: net_pcap stamps each
  frame with its pcap record time, so T2 is exact;
- the masked octets checked otherwise: T3 lies within the run's wall-clock
  interval and never goes back; every reply carries the same Error
  Estimate, Z clear, Multiplier non-zero; the UDP checksum is right
  (computed here over the pseudo-header);
- tshark decodes OUT with the TWAMP-Test dissector on the reflector ports
  (-d udp.port==N,twamp.test; STAMP has no dissector in tshark 4.0, its
  unauthenticated reply shares TWAMP's first 41 octets) with checksum
  validation on: no malformed packet, no expert warning or error, IP and
  UDP checksums "good", and the sequence numbers it reads equal the
  expected ones.

Prints "N passed, N failed"; exit status 0, 1 on a failure, 77 (skipped)
when EAL cannot start here.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden")
NTP_UNIX = 2208988800
SKIP = 77
# Slack around the run's wall-clock interval for T3 (the clock is
# calibrated against CLOCK_REALTIME at start; it is never this far off).
T3_SLACK_S = 1.0
# tshark expert severities (epan/proto.h): warnings and errors fail.
PI_WARN = 0x00600000

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s" % what)
    return ok


def pcap_read(path):
    """Frames of a classic pcap file, microsecond or nanosecond."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise ValueError("%s: not a pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError("%s: link type %d, not Ethernet" % (path, linktype))
    off, frames = 24, []
    while off < len(data):
        _, _, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def udp_cksum_ok(frame):
    """RFC 768 / RFC 8200 §8.1 over the UDP length of the datagram."""
    off = 12
    while struct.unpack("!H", frame[off:off + 2])[0] in (0x8100, 0x88A8):
        off += 4
    l3 = off + 2
    if frame[l3] >> 4 == 4:
        addrs, l4 = frame[l3 + 12:l3 + 20], l3 + (frame[l3] & 0xF) * 4
    else:
        addrs, l4 = frame[l3 + 8:l3 + 40], l3 + 40
    ulen = struct.unpack("!H", frame[l4 + 4:l4 + 6])[0]
    pseudo = addrs + struct.pack("!HH", 17, ulen)
    return ulen >= 8 and csum(pseudo + frame[l4:l4 + ulen]) == 0xFFFF


def ntp_to_unix(b):
    sec, frac = struct.unpack("!II", b)
    return sec - NTP_UNIX + frac / 2.0 ** 32


def first_diff(got, want, masked):
    for i in range(max(len(got), len(want))):
        if i in masked:
            continue
        if i >= len(got) or i >= len(want) or got[i] != want[i]:
            return i
    return None


def parse_final(out):
    for line in out.splitlines():
        if line.startswith("FINAL "):
            return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
    return None


def cleanup_runtime_dir(prefix):
    for base in ("/var/run/dpdk", os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
                                                 "dpdk")):
        shutil.rmtree(os.path.join(base, prefix), ignore_errors=True)


def run_binary(binary, run, inp, out):
    prefix = "golden-%d" % os.getpid()
    cmd = [binary, "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, out),
           "--no-huge", "-m", "512", "--no-pci", "--lcores", "0@0,1@1",
           "--file-prefix", prefix, "--"] + run["args"] + ["--run-time", "1"]
    print("run %s: %s" % (run["name"], " ".join(cmd)))
    start = time.time()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=60)
    finally:
        cleanup_runtime_dir(prefix)
    end = time.time()
    return p, start, end


def check_counters(run, out):
    final = parse_final(out)
    if not check(final is not None, "%s: no FINAL counter line" % run["name"]):
        return
    want = dict.fromkeys(final, 0)
    want.update(run["counters"])
    want["exception_consumed"] = run["counters"].get("to_exception", 0)
    for name in sorted(want):
        check(final.get(name) == want[name],
              "%s: counter %s = %s, want %d" % (run["name"], name, final.get(name), want[name]))
    # The accounting identity of twr_dp_reasons.h, on what the binary printed.
    drops = sum(final[k] for k in final
                if k not in ("rx", "reflected", "to_exception", "exception_consumed",
                             "not_ip", "ipv6_ext_header", "not_udp", "not_for_us",
                             "unknown_session"))
    check(final["rx"] == final["reflected"] + final["to_exception"] + drops,
          "%s: rx != reflected + to_exception + drops" % run["name"])


def check_frames(run, got, want, start, end):
    name = run["name"]
    check(len(got) == len(want), "%s: %d frames out, want %d" % (name, len(got), len(want)))
    errests, last_t3 = set(), 0.0
    for i, (g, w) in enumerate(zip(got, want)):
        m = run["masks"][i]
        masked = set(range(m["t3"], m["t3"] + 8)) | {m["errest"], m["errest"] + 1,
                                                     m["udp_cksum"], m["udp_cksum"] + 1}
        d = first_diff(g, w, masked)
        check(d is None, "%s: reply %d differs at octet %s (got %s, want %s)" % (
            name, i, d, g[d:d + 1].hex() if d is not None else "",
            w[d:d + 1].hex() if d is not None else ""))
        if len(g) < m["errest"] + 2:
            continue
        t3 = ntp_to_unix(g[m["t3"]:m["t3"] + 8])
        check(start - T3_SLACK_S <= t3 <= end + T3_SLACK_S and t3 >= last_t3,
              "%s: reply %d T3 %.6f outside the run [%.6f, %.6f] or before %.6f" % (
                  name, i, t3, start, end, last_t3))
        last_t3 = t3
        ee = struct.unpack("!H", g[m["errest"]:m["errest"] + 2])[0]
        errests.add(ee)
        check(ee & 0x4000 == 0 and ee & 0xFF != 0,
              "%s: reply %d Error Estimate %04x: Z set or Multiplier 0" % (name, i, ee))
        check(udp_cksum_ok(g), "%s: reply %d UDP checksum wrong" % (name, i))
    check(len(errests) <= 1, "%s: Error Estimates differ: %s" % (name, sorted(errests)))


def check_tshark(run, out, want, ports):
    name = run["name"]
    tshark = shutil.which("tshark")
    if not check(tshark is not None, "%s: tshark not found" % name):
        return
    base = [tshark, "-n", "-r", out, "-o", "udp.check_checksum:TRUE",
            "-o", "ip.check_checksum:TRUE"]
    for port in ports:
        base += ["-d", "udp.port==%d,twamp.test" % port]
    p = subprocess.run(base + ["-T", "fields", "-E", "separator=|", "-e", "frame.protocols",
                               "-e", "ip.checksum.status", "-e", "udp.checksum.status",
                               "-e", "_ws.malformed", "-e", "_ws.expert.severity",
                               "-e", "twamp.test.seq_number",
                               "-e", "twamp.test.sender_seq_number"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       universal_newlines=True, timeout=60)
    check(p.returncode == 0, "%s: tshark exit status %d" % (name, p.returncode))
    lines = p.stdout.splitlines()
    check(len(lines) == len(want), "%s: tshark read %d frames, want %d" % (
        name, len(lines), len(want)))
    for i, (line, w) in enumerate(zip(lines, want)):
        protos, ip_ck, udp_ck, malformed, severity, seq, sseq = line.split("|")
        m = run["masks"][i]
        payload = m["t3"] - 4
        check(protos.endswith(":udp:twamp.test") and "malformed" not in protos,
              "%s: reply %d decoded as %s" % (name, i, protos))
        check(ip_ck in ("", "1"), "%s: reply %d IPv4 checksum status %s" % (name, i, ip_ck))
        check(udp_ck == "1", "%s: reply %d UDP checksum status %s" % (name, i, udp_ck))
        check(malformed == "", "%s: reply %d malformed" % (name, i))
        sev = [int(s, 0) for s in severity.split(",") if s]
        check(all(s < PI_WARN for s in sev),
              "%s: reply %d expert severities %s" % (name, i, severity))
        want_seq, want_sseq = struct.unpack("!I", w[payload:payload + 4])[0], struct.unpack(
            "!I", w[payload + 24:payload + 28])[0]
        check(seq == str(want_seq) and sseq == str(want_sseq),
              "%s: reply %d tshark seq %s/%s, want %d/%d" % (name, i, seq, sseq, want_seq,
                                                             want_sseq))
    # The expert summary as well: nothing malformed, no warning or error group.
    p = subprocess.run(base + ["-q", "-z", "expert"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True, timeout=60)
    check(p.returncode == 0 and not re.search(r"Malformed|^Errors|^Warnings", p.stdout, re.M),
          "%s: tshark expert info:\n%s" % (name, p.stdout))


def main():
    if len(sys.argv) < 2:
        print("usage: %s TWAMP-REFLECTOR [--keep DIR]" % sys.argv[0])
        return 2
    binary = sys.argv[1]
    keep = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--keep" else None
    with open(os.path.join(GOLDEN, "runs.json")) as f:
        spec = json.load(f)
    inp = os.path.join(GOLDEN, spec["input"])
    ports = spec["light_ports"] + spec["stamp_ports"]
    workdir = keep or tempfile.mkdtemp(prefix="twr-golden-")
    try:
        for run in spec["runs"]:
            out = os.path.join(workdir, "out-%s.pcap" % run["name"])
            p, start, end = run_binary(binary, run, inp, out)
            if p.returncode != 0 and "EAL" in p.stdout and "fail" in p.stdout.lower() and \
                    "READY" not in p.stdout:
                print(p.stdout)
                print("EAL cannot start here: skipped")
                return SKIP
            if not check(p.returncode == 0 and "READY" in p.stdout,
                         "%s: exit status %d\n%s" % (run["name"], p.returncode, p.stdout)):
                continue
            check_counters(run, p.stdout)
            if not check(os.path.exists(out), "%s: no %s" % (run["name"], out)):
                continue
            want = pcap_read(os.path.join(GOLDEN, run["expected"]))
            got = pcap_read(out)
            check_frames(run, got, want, start, end)
            check_tshark(run, out, want, ports)
    finally:
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
