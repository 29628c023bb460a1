#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""twamp-ping against a fake reflector on loopback (127.0.0.1 and ::1).

Usage: test_twamp_ping.py PATH/TO/twamp-ping

Each scenario starts a FakeReflector (fake_reflector.py, beside this
file), runs twamp-ping, parses its JSON with the standard library and
compares it with what the fake reflector put on the wire: sequence
numbers, residence time (exactly 1 ms), TTLs, Error Estimate, loss and
its split. Prints "N passed, N failed"; exits non-zero on any failure.
Traffic goes to loopback addresses only.
"""

import json
import os
import socket
import subprocess
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from fake_reflector import FakeReflector  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
LOOPBACK = {V4: "127.0.0.1", V6: "::1"}


def run(binary, args, timeout=60):
    return subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout,
                          check=False)


def run_json(ck, binary, args):
    proc = run(binary, args + ["--json", "--per-packet"])
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        ck.true("stdout is one JSON object", False, f"({e}): {proc.stdout[:500]!r} "
                f"stderr {proc.stderr[:500]!r}")
        return proc.returncode, None
    ck.true("stdout is one JSON object", isinstance(doc, dict))
    return proc.returncode, doc


def free_udp_port(family):
    """A port nobody listens on (for the ICMP test); bound, read, released."""
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((LOOPBACK[family], 0))
    port = s.getsockname()[1]
    s.close()
    return port


def check_common(ck, doc, refl, count):
    """What every clean run must show, compared with the reflector's own log."""
    ck.eq("tool", doc["tool"], "twamp-ping")
    ck.eq("schema", doc["schema"], 1)
    ck.eq("sent", doc["sent"], count)
    ck.eq("received", doc["received"], count)
    ck.eq("lost", doc["lost"], 0)
    ck.eq("loss_pct", doc["loss_pct"], 0)
    for key in ("duplicates", "late", "out_of_order", "malformed", "unknown_seq", "foreign",
                "ssid_mismatch", "send_errors", "icmp_errors"):
        ck.eq(key, doc[key], 0)
    res = doc["residence_ns"]
    ck.eq("residence count", res["count"], count)
    for key in ("min", "median", "max"):
        ck.eq(f"residence {key}", res[key], refl.residence_ns)
    ck.eq("residence exactly 1 ms", refl.residence_ns, 1000000)
    rtt = doc["rtt_ns"]
    ck.eq("rtt count", rtt["count"], count)
    ck.true("0 <= rtt min <= median <= p99 <= max < 1 s",
            0 <= rtt["min"] <= rtt["median"] <= rtt["p99"] <= rtt["max"] < 10**9, str(rtt))
    ck.true("jitter >= 0", doc["jitter_ns"] is not None and doc["jitter_ns"] >= 0)
    ck.eq("reply_ttl", doc["reply_ttl"], {"min": 255, "max": 255})
    ck.eq("sender_ttl", doc["sender_ttl"], {"min": 255, "max": 255})
    ck.eq("forward_lost", doc["reflector"]["forward_lost"], 0)
    ck.eq("backward_lost", doc["reflector"]["backward_lost"], 0)
    ee = doc["reflector"]["error_estimate"]
    ck.eq("error estimate", (ee["raw"], ee["valid"], ee["synchronized"], ee["ptp"],
                             ee["scale"], ee["multiplier"], ee["bound_ns"]),
          ("0x8587", True, True, False, 5, 135, 1006))
    # The reflector saw our packets with TTL 255 (RFC 4656 §4.1.2), sequence 0, 1, 2...
    ck.eq("request seqs", [r["seq"] for r in refl.requests], list(range(count)))
    ck.eq("request TTLs", {r["ttl"] for r in refl.requests}, {255})
    ck.eq("request sizes", {r["len"] for r in refl.requests}, {doc["size"]})
    # Per packet: exactly what the reflector wrote.
    by_seq = {e["sender_seq"]: e for e in refl.log}
    packets = doc["packets"]
    ck.eq("packets", len(packets), count)
    for p in packets:
        e = by_seq.get(p["seq"])
        ck.true(f"packet {p['seq']} reflected", e is not None)
        if e is None:
            continue
        ck.eq(f"packet {p['seq']}", (p["status"], p["reflector_seq"], p["residence_ns"],
                                     p["sender_ttl"], p["reply_ttl"]),
              ("received", e["reflector_seq"], e["residence_ns"], e["sender_ttl"], 255))


def scenario_light(ck, binary, family, stateful):
    ck.scenario = f"light {LOOPBACK[family]} {'stateful' if stateful else 'stateless'}"
    with FakeReflector(family, "light", stateful) as refl:
        rc, doc = run_json(ck, binary, ["-c", "20", "-i", "0.01", "-p", str(refl.port),
                                        LOOPBACK[family]])
    ck.eq("exit status", rc, 0)
    if doc is None:
        return
    check_common(ck, doc, refl, 20)
    ck.eq("mode", doc["mode"], "light")
    ck.eq("size", doc["size"], 41)
    ck.eq("destination", doc["destination"], {"address": LOOPBACK[family], "port": refl.port})
    ck.eq("reply sizes", {e["len"] for e in refl.log}, {41})
    # No loss, so even a stateful reflector's counter equals ours.
    ck.eq("reflector sequence", doc["reflector"]["sequence"], "copied")
    ck.eq("reflector_seq", [p["reflector_seq"] for p in doc["packets"]], list(range(20)))


def scenario_stamp(ck, binary, family):
    ck.scenario = f"stamp {LOOPBACK[family]} ssid size 60"
    with FakeReflector(family, "stamp", stateful=True) as refl:
        rc, doc = run_json(ck, binary, ["--mode", "stamp", "--ssid", "77", "-s", "60", "-c",
                                        "20", "-i", "0.01", "-p", str(refl.port),
                                        LOOPBACK[family]])
    ck.eq("exit status", rc, 0)
    if doc is None:
        return
    check_common(ck, doc, refl, 20)
    ck.eq("mode", doc["mode"], "stamp")
    ck.eq("size", doc["size"], 60)
    ck.eq("ssid", doc["ssid"], 77)
    ck.eq("reflector ssid", doc["reflector"]["ssid"], 77)
    for key in ("ssid_zero", "tlv_unrecognized", "tlv_malformed"):
        ck.eq(key, doc["reflector"][key], 0)
    first = refl.requests[0]["data"]
    ck.eq("SSID on the wire", first[14:16], b"\x00\x4d")
    ck.eq("Extra Padding TLV, U set", first[44:48], b"\x80\x01\x00\x0c")
    ck.eq("reply sizes", {e["len"] for e in refl.log}, {60})


def scenario_stamp_default(ck, binary, family):
    ck.scenario = f"stamp {LOOPBACK[family]} defaults"
    with FakeReflector(family, "stamp") as refl:
        rc, doc = run_json(ck, binary, ["--mode", "stamp", "-c", "5", "-i", "0.01", "-p",
                                        str(refl.port), LOOPBACK[family]])
    ck.eq("exit status", rc, 0)
    if doc is None:
        return
    check_common(ck, doc, refl, 5)
    ck.eq("size", doc["size"], 44)
    ck.eq("ssid", doc["ssid"], None)
    ck.eq("reflector ssid", doc["reflector"]["ssid"], 0)


def scenario_garbage(ck, binary):
    ck.scenario = "garbage around seq 3"
    with FakeReflector(V4, "light", garbage_seq=3) as refl:
        rc, doc = run_json(ck, binary, ["-c", "20", "-i", "0.01", "-p", str(refl.port),
                                        "127.0.0.1"])
    ck.eq("exit status", rc, 0)
    if doc is None:
        return
    ck.eq("counts", {k: doc[k] for k in ("sent", "received", "lost", "malformed",
                                         "duplicates", "foreign", "unknown_seq", "late")},
          {"sent": 20, "received": 20, "lost": 0, "malformed": 2, "duplicates": 1,
           "foreign": 1, "unknown_seq": 1, "late": 0})
    ck.eq("residence", doc["residence_ns"]["max"], 1000000)


def scenario_split(ck, binary):
    ck.scenario = "stateful, forward loss at 7, backward loss at 12"
    with FakeReflector(V4, "light", stateful=True, drop_fwd={7}, drop_back={12}) as refl:
        rc, doc = run_json(ck, binary, ["-c", "20", "-i", "0.01", "-W", "0.3", "-p",
                                        str(refl.port), "127.0.0.1"])
    ck.eq("exit status (loss)", rc, 1)
    if doc is None:
        return
    ck.eq("counts", (doc["sent"], doc["received"], doc["lost"], doc["loss_pct"]),
          (20, 18, 2, 10.0))
    ck.eq("reflector sequence", doc["reflector"]["sequence"], "own")
    ck.eq("split", (doc["reflector"]["forward_lost"], doc["reflector"]["backward_lost"]),
          (1, 1))
    status = {p["seq"]: p["status"] for p in doc["packets"]}
    ck.eq("lost packets", sorted(s for s, v in status.items() if v != "received"), [7, 12])
    by_seq = {e["sender_seq"]: e["reflector_seq"] for e in refl.log}
    ck.eq("reflector_seq as sent", {p["seq"]: p["reflector_seq"] for p in doc["packets"]
                                    if p["status"] == "received"},
          {s: r for s, r in by_seq.items() if s != 12})


def scenario_late(ck, binary):
    ck.scenario = "reply to seq 2 delayed 0.4 s, timeout 0.1 s"
    with FakeReflector(V6, "light", delay={2: 0.4}) as refl:
        rc, doc = run_json(ck, binary, ["-c", "10", "-i", "0.06", "-W", "0.1", "-p",
                                        str(refl.port), "::1"])
    ck.eq("exit status (loss)", rc, 1)
    if doc is None:
        return
    ck.eq("counts", (doc["sent"], doc["received"], doc["lost"], doc["late"]), (10, 9, 1, 1))
    ck.eq("packet 2", doc["packets"][2]["status"], "late")
    ck.true("late rtt >= 0.4 s - residence", doc["packets"][2]["rtt_ns"] >= 399000000,
            str(doc["packets"][2]))


def scenario_icmp(ck, binary):
    ck.scenario = "nobody listening"
    port = free_udp_port(V4)
    rc, doc = run_json(ck, binary, ["-c", "3", "-i", "0.05", "-W", "0.2", "-p", str(port),
                                    "127.0.0.1"])
    ck.eq("exit status (loss)", rc, 1)
    if doc is None:
        return
    ck.eq("sent/received", (doc["sent"], doc["received"], doc["loss_pct"]), (3, 0, 100.0))
    ck.true("ICMP port unreachable seen", doc["icmp_errors"] >= 1, str(doc["icmp_errors"]))
    ck.eq("rtt", doc["rtt_ns"], None)
    ck.eq("reflector sequence", doc["reflector"]["sequence"], "unknown")


def scenario_socket_options(ck, binary):
    ck.scenario = "--dscp 46 --source --source-port"
    for family in (V4, V6):
        sport = free_udp_port(family)
        with FakeReflector(family, "light") as refl:
            rc, doc = run_json(ck, binary, ["-c", "3", "-i", "0.01", "--dscp", "46",
                                            "--source", LOOPBACK[family], "--source-port",
                                            str(sport), "-p", str(refl.port),
                                            LOOPBACK[family]])
        ck.eq("exit status", rc, 0)
        if doc is None:
            continue
        ck.eq("source", doc["source"], {"address": LOOPBACK[family], "port": sport})
        ck.eq("dscp", doc["dscp"], 46)
        ck.eq("TOS on the wire", {r["tos"] for r in refl.requests}, {46 << 2})
        ck.eq("source port on the wire", {r["peer"][1] for r in refl.requests}, {sport})


def scenario_text(ck, binary):
    ck.scenario = "text report"
    with FakeReflector(V4, "light", stateful=True) as refl:
        proc = run(binary, ["-c", "3", "-i", "0.01", "-p", str(refl.port), "127.0.0.1"])
    out = proc.stdout
    ck.eq("exit status", proc.returncode, 0)
    for needle in ("TWAMP-PING 127.0.0.1 port", "seq=0 rseq=0 ttl=255 sttl=255",
                   "seq=2 rseq=2", "3 packets sent, 3 received, 0.00% loss",
                   "reflector residence min/median/max = 1.000/1.000/1.000 ms",
                   "ttl: replies 255, ours at the reflector 255",
                   "reflector error estimate 0x8587: synchronized (S=1)"):
        ck.true(f"text has {needle!r}", needle in out, f"in:\n{out}")
    proc = run(binary, ["-q", "-c", "1", "-i", "0.01", "-p", str(free_udp_port(V4)),
                        "-W", "0.1", "127.0.0.1"])
    ck.true("-q: no banner", "TWAMP-PING" not in proc.stdout, proc.stdout)
    ck.eq("-q: exit status (loss)", proc.returncode, 1)


def scenario_usage(ck, binary):
    ck.scenario = "usage errors"
    cases = [
        (["--mode", "twamp", "127.0.0.1"], "--mode"),
        (["--sessions", "2", "127.0.0.1"], "--sessions"),
        (["-s", "13", "127.0.0.1"], "-s/--size"),
        (["--mode", "stamp", "-s", "46", "127.0.0.1"], "-s/--size"),
        (["--padding", "-1", "127.0.0.1"], "--padding"),
        (["--dscp", "99", "127.0.0.1"], "--dscp"),
        (["-c", "many", "127.0.0.1"], "-c/--count"),
        (["-6", "--source", "127.0.0.1", "::1"], "--source"),
        (["-4", "::1"], "ADDRESS"),
        ([], "ADDRESS"),
        (["--frobnicate", "127.0.0.1"], "--frobnicate"),
    ]
    for args, needle in cases:
        proc = run(binary, args)
        ck.eq(f"{args} exit status", proc.returncode, 2)
        ck.true(f"{args} message names {needle!r}", needle in proc.stderr, proc.stderr)
        ck.eq(f"{args} stdout empty", proc.stdout, "")
    proc = run(binary, ["--help"])
    ck.eq("--help exit status", proc.returncode, 0)
    ck.true("--help lists --mode", "--mode light|stamp" in proc.stdout)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    ck = Checks()
    scenario_light(ck, binary, V4, stateful=False)
    scenario_light(ck, binary, V6, stateful=True)
    scenario_stamp(ck, binary, V4)
    scenario_stamp(ck, binary, V6)
    scenario_stamp_default(ck, binary, V4)
    scenario_garbage(ck, binary)
    scenario_split(ck, binary)
    scenario_late(ck, binary)
    scenario_icmp(ck, binary)
    scenario_socket_options(ck, binary)
    scenario_text(ck, binary)
    scenario_usage(ck, binary)
    print(f"{ck.passed} passed, {ck.failed} failed")
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
