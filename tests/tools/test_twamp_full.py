#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""twamp-ping --mode full against a fake TWAMP server on loopback.

Usage: test_twamp_full.py PATH/TO/twamp-ping PATH/TO/fake-twamp-server

fake-twamp-server (fake_twamp_server.c, beside this file) runs lib/proto's
TWAMP-Control state machine behind a TCP socket on 127.0.0.1 or ::1 and
reflects each accepted session on its own UDP port. It logs every client
message and every session event as JSON lines; each scenario runs
twamp-ping against it and compares twamp-ping's JSON report with what the
server saw: the requests octet by octet, the SIDs and ports, Start and
Stop (their exact session counts and SID lists), and the packets each
session reflected. Prints "N passed, N failed"; exits non-zero on any
failure. Traffic goes to loopback addresses only.
"""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

V4, V6 = socket.AF_INET, socket.AF_INET6
LOOPBACK = {V4: "127.0.0.1", V6: "::1"}
NTP_UNIX_OFFSET = 2208988800
CMD_START, CMD_STOP, CMD_REQUEST, CMD_START_N, CMD_STOP_N = 2, 3, 5, 7, 9
TEMPORARY = "cannot perform the request due to temporary resource limitations"


class FakeServer:
    """fake-twamp-server for one control connection (--once); its events once it ended."""

    def __init__(self, binary, family=V4, args=()):
        cmd = [binary, "--once"] + (["-6"] if family == V6 else []) + list(args)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        first = json.loads(self.proc.stdout.readline())
        assert first["event"] == "listening", first
        self.port = first["port"]
        self.events = []

    def finish(self, timeout=10):
        """Wait for the server to end (the client has closed) and read its log."""
        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        self.events = [json.loads(line) for line in out.splitlines() if line.strip()]
        return self.events

    def of(self, kind):
        return [e for e in self.events if e["event"] == kind]

    def commands(self, number):
        return [bytes.fromhex(e["hex"]) for e in self.of("command") if e["command"] == number]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run(binary, args, timeout=60):
    start = time.monotonic()
    proc = subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout,
                          check=False)
    return proc, time.monotonic() - start


def run_json(ck, binary, server, args, family=V4):
    proc, elapsed = run(binary, ["--mode", "full", "--control-port", str(server.port),
                                 "--json"] + args + [LOOPBACK[family]])
    server.finish()
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        ck.true("stdout is one JSON object", False, f"({e}): {proc.stdout[:500]!r} "
                f"stderr {proc.stderr[:500]!r}")
        doc = None
    return proc, doc, elapsed


def check_sessions_ran(ck, doc, server, count):
    """Every session: what the server accepted, and every packet reflected and received."""
    adds = {e["sid"]: e for e in server.of("add")}
    removes = {e["sid"]: e for e in server.of("remove")}
    for s in doc["sessions"]:
        if s["status"] != "ran":
            continue
        idx = s["index"]
        add = adds.get(s["sid"])
        ck.true(f"session {idx}: SID {s['sid']} is one the server issued", add is not None)
        if add is None:
            continue
        ck.eq(f"session {idx}: port is the Accept-Session port", s["port"], add["port"])
        ck.eq(f"session {idx}: destination port", s["destination"]["port"], add["port"])
        ck.eq(f"session {idx}: Sender Port = our socket", (add["sender_port"],
                                                           s["source"]["port"]),
              (s["sender_port"], s["sender_port"]))
        ck.eq(f"session {idx}: Receiver Port asked", add["requested_port"], s["requested_port"])
        ck.eq(f"session {idx}: Padding Length", add["padding"], s["size"] - 14)
        ck.eq(f"session {idx}: sent/received/lost", (s["sent"], s["received"], s["lost"]),
              (count, count, 0))
        rm = removes.get(s["sid"], {})
        ck.eq(f"session {idx}: reflected by the server", (rm.get("received"),
                                                          rm.get("reflected"),
                                                          rm.get("foreign")), (count, count, 0))


def check_clean_end(ck, server):
    """Sessions removed because we closed, never for a bad Stop count or message."""
    ck.eq("server closed because we did", [e["reason"] for e in server.of("close")],
          ["control connection closed by peer"])


def scenario_one(ck, tp, srv):
    ck.scenario = "IPv4, 1 session, 100 packets, default Start Time"
    with FakeServer(srv) as server:
        proc, doc, elapsed = run_json(ck, tp, server, ["-c", "100", "-i", "0.002"])
    ck.eq("exit status", proc.returncode, 0)
    if doc is None:
        return
    ck.eq("mode", doc["mode"], "full")
    ck.eq("totals", (doc["sent"], doc["received"], doc["lost"]), (100, 100, 0))
    ck.eq("one session: the total's destination port is the session's",
          doc["destination"]["port"], doc["sessions"][0]["port"])
    ctl = doc["control"]
    ck.eq("control facts", (ctl["server"]["port"], ctl["server_modes"], ctl["mode"],
                            ctl["individual"], ctl["count"], ctl["sessions_requested"],
                            ctl["sessions_accepted"], ctl["start"], ctl["start_ack"],
                            ctl["stop"], ctl["stop_count"]),
          (server.port, 0x171, 1, False, 1024, 1, 1, "Start-Sessions", 0, "Stop-Sessions", 1))
    ck.eq("Set-Up-Response Mode", [e["mode"] for e in server.of("setup")], [1])
    check_sessions_ran(ck, doc, server, 100)
    reqs = server.commands(CMD_REQUEST)
    ck.eq("one Request-TW-Session", len(reqs), 1)
    if reqs:
        r = reqs[0]
        ck.eq("IPVN, Conf-Sender, Conf-Receiver, slots, packets", (r[1], r[2], r[3], r[4:12]),
              (4, 0, 0, bytes(8)))
        ck.eq("Sender Address", r[16:32], socket.inet_aton("127.0.0.1") + bytes(12))
        ck.eq("Receiver Address", r[32:48], socket.inet_aton("127.0.0.1") + bytes(12))
        ck.eq("SID, HMAC zero", (r[48:64], r[96:112]), (bytes(16), bytes(16)))
        ck.eq("Timeout 2 s", r[76:84], struct.pack(">II", 2, 0))
        ck.eq("Type-P 0", r[84:88], bytes(4))
        start = struct.unpack(">I", r[68:72])[0] - NTP_UNIX_OFFSET
        ck.eq("Start Time = the report's (s)", start, ctl["start_time_unix_ns"] // 10**9)
    ck.true("waited for the Start Time (about 1 s)", elapsed >= 1.0, f"{elapsed:.3f} s")
    ck.eq("Start-Sessions", len(server.commands(CMD_START)), 1)
    stops = server.commands(CMD_STOP)
    ck.eq("Stop-Sessions: exactly 1 session", [s[4:8] for s in stops], [b"\0\0\0\1"])
    check_clean_end(ck, server)


def scenario_three_v6(ck, tp, srv):
    ck.scenario = "IPv6, 3 sessions, 100 packets each, DSCP 46"
    with FakeServer(srv, V6) as server:
        proc, doc, _ = run_json(ck, tp, server, ["--sessions", "3", "-c", "100", "-i", "0.002",
                                                 "--dscp", "46", "--start-delay", "0"], V6)
    ck.eq("exit status", proc.returncode, 0)
    if doc is None:
        return
    ck.eq("totals", (doc["sent"], doc["received"], doc["lost"], doc["loss_pct"]),
          (300, 300, 0, 0))
    ck.eq("several sessions: no single port in the totals",
          (doc["destination"]["port"], doc["source"]["port"]), (None, None))
    ck.eq("sessions ran", [s["status"] for s in doc["sessions"]], ["ran"] * 3)
    ck.eq("3 distinct SIDs", len({s["sid"] for s in doc["sessions"]}), 3)
    check_sessions_ran(ck, doc, server, 100)
    # On loopback the port we ask for (our own) is taken by us: the server offers others.
    ck.eq("alternate ports", [s["alternate_port"] for s in doc["sessions"]], [True] * 3)
    ck.eq("control: alternate ports counted", doc["control"]["sessions_alternate_port"], 3)
    ck.eq("Type-P DSCP 46 in the requests", {r[84:88] for r in server.commands(CMD_REQUEST)},
          {b"\x2e\0\0\0"})
    ck.eq("IPVN 6 and our ::1", {(r[1], r[16:32]) for r in server.commands(CMD_REQUEST)},
          {(6, socket.inet_pton(V6, "::1"))})
    ck.eq("DSCP on the wire", {e["tos"] for e in server.of("remove")}, {46 << 2})
    ck.eq("Stop-Sessions: exactly 3 sessions", [s[4:8] for s in server.commands(CMD_STOP)],
          [b"\0\0\0\3"])
    ck.eq("server stopped 3", len(server.of("stop")), 3)
    check_clean_end(ck, server)


def free_udp_port(family):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((LOOPBACK[family], 0))
    port = s.getsockname()[1]
    s.close()
    return port


def scenario_ports(ck, tp, srv):
    ck.scenario = "--receiver-port honoured, and an alternate port honoured"
    want = free_udp_port(V4)
    with FakeServer(srv) as server:
        proc, doc, _ = run_json(ck, tp, server, ["-c", "20", "-i", "0.002", "--start-delay", "0",
                                                 "--receiver-port", str(want)])
    ck.eq("exit status", proc.returncode, 0)
    if doc is not None:
        s = doc["sessions"][0]
        ck.eq("the port asked for, given", (s["requested_port"], s["port"], s["alternate_port"]),
              (want, want, False))
        check_sessions_ran(ck, doc, server, 20)
    want = free_udp_port(V4)
    with FakeServer(srv, args=["--alt-port"]) as server:
        proc, doc, _ = run_json(ck, tp, server, ["-c", "20", "-i", "0.002", "--start-delay", "0",
                                                 "--receiver-port", str(want)])
    ck.eq("exit status (alternate)", proc.returncode, 0)
    if doc is None:
        return
    s = doc["sessions"][0]
    ck.eq("asked for", s["requested_port"], want)
    ck.true("another port given", s["port"] not in (None, want), str(s["port"]))
    ck.eq("alternate", s["alternate_port"], True)
    # 0 loss and the server's count prove the packets went to the port it gave.
    check_sessions_ran(ck, doc, server, 20)

    ck.scenario = "--port-range picks our ports"
    lo = free_udp_port(V4)
    with FakeServer(srv) as server:
        proc, doc, _ = run_json(ck, tp, server, ["--sessions", "2", "-c", "5", "-i", "0.002",
                                                 "--start-delay", "0", "--port-range",
                                                 f"{lo}-{lo + 50}"])
    ck.eq("exit status", proc.returncode, 0)
    if doc is not None:
        ports = [s["sender_port"] for s in doc["sessions"]]
        ck.true("sender ports from the range", all(lo <= p <= lo + 50 for p in ports) and
                ports[0] != ports[1], str(ports))
        check_sessions_ran(ck, doc, server, 5)


def scenario_refused(ck, tp, srv):
    ck.scenario = "the only request refused with Accept 5"
    with FakeServer(srv, args=["--refuse", "1:5"]) as server:
        proc, doc, _ = run_json(ck, tp, server, ["-c", "5", "-i", "0.01", "--start-delay", "0"])
    ck.eq("exit status (nothing measured)", proc.returncode, 2)
    ck.true("stderr names the refusal", "session 1 refused: Accept 5 (" + TEMPORARY + ")"
            in proc.stderr, proc.stderr)
    if doc is not None:
        s = doc["sessions"][0]
        ck.eq("session", (s["status"], s["accept"], s["accept_name"], s["accept_text"],
                          s["sid"], s["port"]),
              ("refused", 5, "temporary_limit", TEMPORARY, None, None))
        ck.eq("no totals without a session", "sent" in doc, False)
        ck.eq("control", (doc["control"]["sessions_refused"], doc["control"]["start"],
                          doc["control"]["stop"]), (1, None, None))
    ck.eq("no Start-Sessions, no Stop-Sessions",
          (server.commands(CMD_START), server.commands(CMD_STOP)), ([], []))

    ck.scenario = "the second of three refused with Accept 5: the others run"
    with FakeServer(srv, args=["--refuse", "2:5"]) as server:
        proc, doc, _ = run_json(ck, tp, server, ["--sessions", "3", "-c", "100", "-i", "0.002",
                                                 "--start-delay", "0"])
    ck.eq("exit status (a session missing)", proc.returncode, 1)
    if doc is None:
        return
    ck.eq("statuses", [s["status"] for s in doc["sessions"]], ["ran", "refused", "ran"])
    ck.eq("refusal by name", doc["sessions"][1]["accept_text"], TEMPORARY)
    ck.eq("totals", (doc["sent"], doc["received"]), (200, 200))
    check_sessions_ran(ck, doc, server, 100)
    ck.eq("Stop-Sessions counts the 2 started", [s[4:8] for s in server.commands(CMD_STOP)],
          [b"\0\0\0\2"])
    check_clean_end(ck, server)


def sid_list(msg):
    n = struct.unpack(">I", msg[12:16])[0]
    return n, [msg[16 + 16 * i:32 + 16 * i].hex() for i in range(n)]


def scenario_individual(ck, tp, srv):
    ck.scenario = "--individual: Start-N-Sessions and Stop-N-Sessions"
    with FakeServer(srv) as server:
        proc, doc, _ = run_json(ck, tp, server, ["--sessions", "3", "-c", "100", "-i", "0.002",
                                                 "--start-delay", "0", "--individual"])
    ck.eq("exit status", proc.returncode, 0)
    if doc is None:
        return
    sids = [s["sid"] for s in doc["sessions"]]
    ctl = doc["control"]
    ck.eq("control", (ctl["mode"], ctl["individual"], ctl["start"], ctl["stop"],
                      ctl["stop_count"], ctl["start_ack"]),
          (0x11, True, "Start-N-Sessions", "Stop-N-Sessions", 3, None))
    ck.eq("Set-Up-Response Mode 17", [e["mode"] for e in server.of("setup")], [0x11])
    starts = server.commands(CMD_START_N)
    stops = server.commands(CMD_STOP_N)
    ck.eq("one Start-N-Sessions with the 3 SIDs", [sid_list(m) for m in starts], [(3, sids)])
    ck.eq("one Stop-N-Sessions with the 3 SIDs", [sid_list(m) for m in stops], [(3, sids)])
    ck.eq("Start-N / Stop-N lengths", [len(m) for m in starts + stops], [80, 80])
    ck.eq("no base Start/Stop", (server.commands(CMD_START), server.commands(CMD_STOP)),
          ([], []))
    ck.eq("acks", [(s["start_accept"], s["stop_accept"]) for s in doc["sessions"]],
          [(0, 0)] * 3)
    check_sessions_ran(ck, doc, server, 100)
    check_clean_end(ck, server)

    ck.scenario = "--individual, server without mode 16: base Start/Stop"
    with FakeServer(srv, args=["--modes", "0x1"]) as server:
        proc, doc, _ = run_json(ck, tp, server, ["-c", "5", "-i", "0.002", "--start-delay", "0",
                                                 "--individual"])
    ck.eq("exit status", proc.returncode, 0)
    ck.true("stderr notes the fallback", "Individual Session Control" in proc.stderr,
            proc.stderr)
    ck.eq("Mode 1 only (never a bit not offered)", [e["mode"] for e in server.of("setup")], [1])
    if doc is not None:
        ck.eq("base start and stop", (doc["control"]["start"], doc["control"]["stop"]),
              ("Start-Sessions", "Stop-Sessions"))
    check_clean_end(ck, server)


def scenario_zero(ck, tp, srv):
    for family in (V4, V6):
        ck.scenario = f"-Z zero addresses {LOOPBACK[family]}"
        with FakeServer(srv, family) as server:
            proc, doc, _ = run_json(ck, tp, server, ["-Z", "-c", "20", "-i", "0.002",
                                                     "--start-delay", "0"], family)
        ck.eq("exit status", proc.returncode, 0)
        reqs = server.commands(CMD_REQUEST)
        ck.eq("addresses zero, IPVN kept", [(r[1], r[16:48]) for r in reqs],
              [(4 if family == V4 else 6, bytes(32))])
        ck.eq("server resolved them", [(e["sender_addr_zero"], e["receiver_addr_zero"])
                                       for e in server.of("add")], [(True, True)])
        if doc is not None:
            ck.eq("control zero_addresses", doc["control"]["zero_addresses"], True)
            check_sessions_ran(ck, doc, server, 20)


def scenario_silent(ck, tp, srv):
    cases = [
        ("0", [], "no Server-Greeting from the server within 0.5 s"),
        ("5", [], "no Accept-Session of session 1 from the server within 0.5 s"),
        ("2", [], "no Start-Ack from the server within 0.5 s"),
        ("7", ["--individual"], "no Start-N-Ack from the server within 0.5 s"),
    ]
    for mute, extra, needle in cases:
        ck.scenario = f"server silent from command {mute}"
        with FakeServer(srv, args=["--mute-at", mute]) as server:
            proc, elapsed = run(tp, ["--mode", "full", "--control-port", str(server.port),
                                     "--control-timeout", "0.5", "--start-delay", "0", "-c",
                                     "2", "-i", "0.01", "-q"] + extra + ["127.0.0.1"])
            server.finish()
        ck.eq("exit status", proc.returncode, 2)
        ck.true(f"stderr says {needle!r}", needle in proc.stderr, proc.stderr)
        ck.true("gave up after the timeout, not before nor much after", 0.45 <= elapsed < 3,
                f"{elapsed:.3f} s")

    ck.scenario = "server silent on Stop-N-Ack: a warning, results kept"
    with FakeServer(srv, args=["--mute-at", "9"]) as server:
        proc, doc, _ = run_json(ck, tp, server, ["--control-timeout", "0.5", "--start-delay",
                                                 "0", "-c", "5", "-i", "0.002",
                                                 "--individual"])
    ck.eq("exit status", proc.returncode, 0)
    ck.true("warning names Stop-N-Ack", "no Stop-N-Ack" in proc.stderr, proc.stderr)
    if doc is not None:
        ck.eq("received", doc["received"], 5)
        ck.true("stop_error in the report", "Stop-N-Ack" in (doc["control"]["stop_error"] or ""))


def scenario_greeting(ck, tp, srv):
    ck.scenario = "Server-Greeting Count 65536: hang up"
    with FakeServer(srv, args=["--count", "65536"]) as server:
        proc, _ = run(tp, ["--mode", "full", "--control-port", str(server.port), "127.0.0.1"])
        server.finish()
    ck.eq("exit status", proc.returncode, 2)
    ck.true("stderr says why", "Count 65536 is above 32768: hanging up" in proc.stderr,
            proc.stderr)
    ck.eq("no Set-Up-Response", server.of("setup"), [])
    ck.eq("nothing on stdout", proc.stdout, "")

    ck.scenario = "Server-Greeting without the unauthenticated mode"
    with FakeServer(srv, args=["--greeting-modes", "0x6"]) as server:
        proc, _ = run(tp, ["--mode", "full", "--control-port", str(server.port), "127.0.0.1"])
        server.finish()
    ck.eq("exit status", proc.returncode, 2)
    ck.true("stderr says why", "offers no unauthenticated mode (Modes 0x6: authenticated, "
            "encrypted)" in proc.stderr, proc.stderr)
    ck.eq("we gave up with Mode 0", [e["mode"] for e in server.of("setup")], [0])

    ck.scenario = "Server-Greeting Modes 0"
    with FakeServer(srv, args=["--modes", "0"]) as server:
        proc, _ = run(tp, ["--mode", "full", "--control-port", str(server.port), "127.0.0.1"])
        server.finish()
    ck.eq("exit status", proc.returncode, 2)
    ck.true("stderr says why", "refuses service (Server-Greeting Modes 0)" in proc.stderr,
            proc.stderr)

    for close_at, needle in (("0", "while we waited for Server-Start (0 of 48 octets"),
                             ("5", "while we waited for Accept-Session of session 1")):
        ck.scenario = f"server closes at command {close_at}"
        with FakeServer(srv, args=["--close-at", close_at]) as server:
            proc, _ = run(tp, ["--mode", "full", "--control-port", str(server.port),
                               "--start-delay", "0", "127.0.0.1"])
            server.finish()
        ck.eq("exit status", proc.returncode, 2)
        ck.true(f"stderr says {needle!r}", "the server closed the control connection " + needle
                in proc.stderr, proc.stderr)

    ck.scenario = "nobody listening"
    with socket.socket(V4, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc, _ = run(tp, ["--mode", "full", "--control-port", str(port), "127.0.0.1"])
    ck.eq("exit status", proc.returncode, 2)
    ck.true("stderr: cannot connect", "cannot connect" in proc.stderr, proc.stderr)


def scenario_text(ck, tp, srv):
    ck.scenario = "text report, 2 sessions"
    with FakeServer(srv) as server:
        proc, _ = run(tp, ["--mode", "full", "--control-port", str(server.port), "--sessions",
                           "2", "-c", "3", "-i", "0.01", "--start-delay", "0", "127.0.0.1"])
        server.finish()
    out = proc.stdout
    ck.eq("exit status", proc.returncode, 0)
    sids = [e["sid"] for e in server.of("add")]
    needles = ["[1] TWAMP-PING 127.0.0.1 port", "[2] TWAMP-PING 127.0.0.1 port",
               "[1] 41 octets from 127.0.0.1: seq=0", f"--- TWAMP-Control 127.0.0.1 port "
               f"{server.port} ---", "server modes 0x171 (unauthenticated, "
               "individual_session_control", "selected 0x1 (unauthenticated)",
               "the server offered another",
               "started with Start-Sessions, stopped with Stop-Sessions, 2 sessions",
               "--- session 1: 127.0.0.1 port", "--- session 2: 127.0.0.1 port",
               "--- 127.0.0.1 TWAMP statistics, total of 2 sessions ---",
               "6 packets sent, 6 received, 0.00% loss"]
    needles += [f"SID {sid}, port" for sid in sids]
    for needle in needles:
        ck.true(f"text has {needle!r}", needle in out, f"in:\n{out}")


def scenario_interrupt(ck, tp, srv):
    ck.scenario = "SIGINT mid-run: Stop-Sessions all the same, then the report"
    with FakeServer(srv) as server:
        proc = subprocess.Popen([tp, "--mode", "full", "--control-port", str(server.port),
                                 "--sessions", "2", "-c", "1000", "-i", "0.01", "--start-delay",
                                 "0", "--json", "127.0.0.1"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(0.6)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        server.finish()
    try:
        doc = json.loads(out)
    except json.JSONDecodeError:
        ck.true("JSON after SIGINT", False, f"{out[:300]!r} {err[:300]!r}")
        return
    ck.true("stopped early", 0 < doc["sent"] < 2000, str(doc["sent"]))
    ck.eq("every packet sent answered", doc["received"], doc["sent"])
    ck.eq("exit status", proc.returncode, 0)
    ck.eq("Stop-Sessions: exactly 2", [s[4:8] for s in server.commands(CMD_STOP)],
          [b"\0\0\0\2"])
    ck.eq("server stopped both", len(server.of("stop")), 2)
    check_clean_end(ck, server)


def scenario_usage(ck, tp):
    ck.scenario = "usage"
    for args, needle in [(["--mode", "full", "-p", "5", "127.0.0.1"], "-p/--port"),
                         (["--sessions", "2", "127.0.0.1"], "--sessions"),
                         (["--mode", "full", "-4", "::1"], "ADDRESS")]:
        proc, _ = run(tp, args)
        ck.eq(f"{args} exit status", proc.returncode, 2)
        ck.true(f"{args} names {needle!r}", needle in proc.stderr, proc.stderr)
        ck.eq(f"{args} stdout empty", proc.stdout, "")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tp, srv = sys.argv[1], sys.argv[2]
    ck = Checks()
    scenario_one(ck, tp, srv)
    scenario_three_v6(ck, tp, srv)
    scenario_ports(ck, tp, srv)
    scenario_refused(ck, tp, srv)
    scenario_individual(ck, tp, srv)
    scenario_zero(ck, tp, srv)
    scenario_silent(ck, tp, srv)
    scenario_greeting(ck, tp, srv)
    scenario_text(ck, tp, srv)
    scenario_interrupt(ck, tp, srv)
    scenario_usage(ck, tp)
    print(f"{ck.passed} passed, {ck.failed} failed")
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
