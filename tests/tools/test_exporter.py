#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""tools/prometheus/twamp-exporter.py against a fake DPDK telemetry socket.

Usage: test_exporter.py [PATH/TO/twamp-exporter.py]

A FakeTelemetry server speaks DPDK 22.11's telemetry v2 protocol on a
unix SOCK_SEQPACKET socket in a temporary directory (JSON greeting, then
one JSON reply per command, null for the commands it does not know) with
replies recorded from a running reflector. The exporter runs against it
with --socket, once (--once) and as an HTTP server on a free 127.0.0.1
port; its exposition is parsed by a strict parser of the text format
0.0.4 written here, and values are checked exactly. Also: the reflector
down (no socket, a dead socket, a mute one, null answers), label
escaping, truncated tables, reasons a newer reflector adds, and the
exporter's copy of the reason list against lib/dataplane/twr_dp_reasons.h.
Prints "N passed, N failed"; exits non-zero on any failure.
"""

import http.client
import importlib.util
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

# Replies of a running reflector (the /twamp/control one completed with
# every key the reflector sends, in its order).
SAMPLES = {
    "/twamp/info": {
        "version": "0.1.0", "pid": 5289, "uptime_s": 4, "start_unix_ns": 1795864911659138473,
        "modes": 369, "control": "on", "tap": "twr0", "vlan": 0, "ports": 1, "workers": 1,
        "main_lcore": 0, "addresses/address": ["198.18.0.2/24"], "addresses/rows": 1,
        "light_ports/port": [862], "light_ports/engine": ["light"],
        "light_ports/stateful": [0], "light_ports/rows": 1},
    "/twamp/stats": {
        "rx": 51, "reflected": 20, "to_exception": 11, "truncated": 0, "l2_unsupported": 0,
        "not_ip": 1, "ipv4_bad_header": 0, "ipv4_bad_checksum": 0, "ipv4_fragment": 0,
        "ipv6_bad_header": 0, "ipv6_ext_header": 0, "ipv6_fragment": 0, "udp_bad_length": 0,
        "udp_bad_checksum": 0, "not_udp": 10, "not_for_us": 0, "unknown_session": 0,
        "bad_source": 0, "test_too_short": 0, "errest_zero_multiplier": 0,
        "mode_unsupported": 0, "session_not_started": 0, "session_expired": 0,
        "source_mismatch": 20, "ssid_mismatch": 0, "reply_too_big": 0,
        "exception_ring_full": 0, "tx_full": 0, "flow_table_full": 0, "latch_refused": 0,
        "latch_late": 0, "source_not_allowed": 0, "flow_untracked": 0,
        "exception_consumed": 11, "tap_tx": 11, "tap_tx_full": 0, "tap_tx_too_big": 0,
        "tap_unmapped": 0, "tap_rx": 8, "tap_rx_invalid": 0, "to_wire": 8, "to_wire_ring": 8,
        "to_wire_tx_full": 0, "to_wire_ring_full": 0, "to_wire_flushed": 0},
    "/twamp/lcores": {
        "lcores/lcore": [1], "lcores/rx": [51], "lcores/reflected": [20],
        "lcores/to_exception": [11], "lcores/dropped": [20], "lcores/busy_cycles": [181192460],
        "lcores/idle_cycles": [11566606400], "lcores/loops": [154453826], "lcores/flows": [1],
        "lcores/flows_created": [1], "lcores/flows_expired": [0], "lcores/flow_untracked": [0],
        "lcores/rows": 1},
    "/twamp/ports": {
        "ports/port": [0], "ports/name": ["net_af_packet0"], "ports/ipackets": [51],
        "ports/opackets": [28], "ports/ibytes": [4370], "ports/obytes": [2364],
        "ports/imissed": [0], "ports/ierrors": [0], "ports/oerrors": [0],
        "ports/rx_nombuf": [0], "ports/rows": 1},
    "/twamp/sessions": {
        "sessions/id": [1], "sessions/sid": ["c6120002eeb537cfb6b174bec6a55978"],
        "sessions/state": ["stopping"], "sessions/policy": ["strict"], "sessions/nat": ["none"],
        "sessions/receiver": ["198.18.0.2:20854"], "sessions/requested": ["198.18.2.1:53077"],
        "sessions/latched": ["-"], "sessions/rx": [20], "sessions/reflected": [0],
        "sessions/dropped": [20], "sessions/rows": 1},
    "/twamp/nat": {
        "sessions_mismatch": 1, "mismatch_addr": 0, "mismatch_port": 0, "mismatch_both": 20,
        "latched": 0, "latch_refused": 0, "latch_late": 0, "sender_not_peer": 1,
        "sessions/id": [1], "sessions/live": [1], "sessions/policy": ["strict"],
        "sessions/nat_state": ["none"], "sessions/cause": ["port-rewriting-nat"],
        "sessions/requested": ["198.18.2.1:53077"], "sessions/latched": ["-"],
        "sessions/first": ["198.18.0.1:40287"], "sessions/last": ["198.18.0.1:40287"],
        "sessions/mismatch_addr": [0], "sessions/mismatch_port": [0],
        "sessions/mismatch_both": [20], "sessions/latch_refused": [0],
        "sessions/latch_late": [0], "sessions/rx": [20], "sessions/reflected": [0],
        "sessions/rows": 1},
    "/twamp/clock": {
        "tsc_hz": 2600000155, "tsc_hz_nominal": 2600000000, "tsc_ppm": "0.060",
        "realtime_ppm": "0.001", "offset_ns": 0, "max_abs_offset_ns": 3, "bracket_ns": 36,
        "updates": 5, "steps": 0, "last_update_unix_ns": 1795864916659541064,
        "synchronized": "no", "ntp_state": 5, "maxerror_us": 16000000,
        "esterror_us": 16000000, "tai_utc": 37, "error_estimate": "0x1d81",
        "error_bound_ns": 16000001018, "pinned": "no"},
    "/twamp/flows": {
        "flows/lcore": [1], "flows/engine": ["light"], "flows/local": ["198.18.0.2:862"],
        "flows/remote": ["198.18.0.1:40284"], "flows/vlan": [0], "flows/rx": [20],
        "flows/reflected": [20], "flows/dropped": [0], "flows/rows": 1},
}

SERVER_REASON_KEYS = ("drained", "refwait", "peer_closed", "peer_closed_mid_message",
                      "setup_abandoned", "setup_refused", "service_refused",
                      "handshake_timeout", "servwait", "unknown_command", "unexpected_command",
                      "stop_count_mismatch", "bad_message", "tx_overflow", "local_close",
                      "no_memory")


def control_sample():
    d = {"control": "on"}
    for k, v in (("listeners", 1), ("listen_errors", 0), ("accepted", 1), ("refused", 0),
                 ("accept_errors", 0), ("conns", 0), ("closed", 1), ("drain_timeouts", 0),
                 ("io_errors", 0), ("bytes_in", 340), ("bytes_out", 192), ("conns_opened", 1),
                 ("conns_open", 0), ("conn_refused_connection_limit", 0),
                 ("conn_refused_source_limit", 0), ("conn_refused_no_memory", 0),
                 ("requests", 1), ("accepted_sessions", 1), ("alternate_port", 1)):
        d[k] = v
    for i in range(1, 7):
        d[f"refused_accept_{i}"] = 0
    for r in ("ports_exhausted", "session_limit", "table_full", "sender_not_peer",
              "receiver_not_local", "no_memory", "table_error"):
        d["refused_" + r] = 0
    for k, v in (("sender_not_peer", 1), ("receiver_not_local", 0), ("sessions_added", 1),
                 ("sessions_started", 1), ("sessions_stopped", 1),
                 ("sessions_stopped_by_operator", 0), ("sessions_active", 1),
                 ("sessions_deferred", 0), ("ports_in_use", 1), ("refwait_reports", 3),
                 ("table_errors", 0), ("unknown_sid", 0)):
        d[k] = v
    for r in SERVER_REASON_KEYS:
        d["removed_" + r] = 0
    for r in SERVER_REASON_KEYS:
        d["closed_" + r] = 0
    d["closed_peer_closed"] = 1
    return d


SAMPLES["/twamp/control"] = control_sample()


def samples():
    return json.loads(json.dumps(SAMPLES))  # a deep copy


class FakeTelemetry:
    """A DPDK 22.11 telemetry v2 server on a unix SOCK_SEQPACKET socket.

    mode: "ok" answers; "mute" accepts and never greets; "close" closes at once."""

    def __init__(self, path, replies, mode="ok"):
        self.path = path
        self.replies = replies
        self.mode = mode
        self.opened = 0
        self.closed = 0
        self.commands = []
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.bind(path)
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.stopping = False
        self.conns = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.opened += 1
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            if self.mode == "close":
                return
            if self.mode == "mute":
                conn.recv(1024)  # until the client gives up
                return
            conn.send(json.dumps({"version": "DPDK 22.11.4", "pid": os.getpid(),
                                  "max_output_len": 16384}).encode())
            while True:
                data = conn.recv(1024)
                if not data:
                    return
                text = data.decode()
                cmd = text.split(",", 1)[0]
                with self.lock:
                    self.commands.append(text)
                conn.send(json.dumps({cmd: self.replies.get(text)}).encode())
        except OSError:
            pass
        finally:
            conn.close()
            with self.lock:
                self.closed += 1

    def wait_closed(self, timeout=5.0):
        """True when every connection opened so far was closed by the client."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if self.closed == self.opened:
                    return True
            time.sleep(0.01)
        return False

    def stop(self):
        self.stopping = True
        self.sock.close()
        self.thread.join()
        with self.lock:
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        if os.path.exists(self.path):
            os.unlink(self.path)


# --- a strict parser of the Prometheus text exposition format 0.0.4 ---

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")


class ParseError(Exception):
    pass


def unescape(s, allowed, lineno):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            if i + 1 >= len(s) or s[i + 1] not in allowed:
                raise ParseError(f"line {lineno}: bad escape in {s!r}")
            out.append("\n" if s[i + 1] == "n" else s[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_value(s, lineno):
    if s in ("NaN", "+Inf", "-Inf", "Inf"):
        return float(s)
    if not FLOAT_RE.match(s):
        raise ParseError(f"line {lineno}: bad value {s!r}")
    return float(s)


def parse_labels(line, i, lineno):
    """Labels from line[i] == '{': (dict, index after '}')."""
    labels = {}
    i += 1
    if line[i:i + 1] == "}":
        return labels, i + 1
    while True:
        m = LABEL_RE.match(line, i)
        if not m:
            raise ParseError(f"line {lineno}: bad label name at {line[i:]!r}")
        name = m.group(0)
        if name.startswith("__"):
            raise ParseError(f"line {lineno}: reserved label name {name}")
        if name in labels:
            raise ParseError(f"line {lineno}: label {name} twice")
        i = m.end()
        if line[i:i + 2] != '="':
            raise ParseError(f"line {lineno}: expected =\" after {name}")
        i += 2
        j = i
        while j < len(line) and line[j] != '"':
            j += 2 if line[j] == "\\" else 1
        if j >= len(line):
            raise ParseError(f"line {lineno}: unterminated label value")
        labels[name] = unescape(line[i:j], '\\"n', lineno)
        i = j + 1
        if line[i:i + 1] == ",":
            i += 1
            continue
        if line[i:i + 1] == "}":
            return labels, i + 1
        raise ParseError(f"line {lineno}: expected , or }} at {line[i:]!r}")


def parse_exposition(text):
    """{family: {"help", "type", "samples": {frozenset(labels): value}}}, in order.

    Strict: every line a HELP, a TYPE or a sample; HELP and TYPE once per
    family and before its samples; a family's lines contiguous; sample
    names equal to their family's (counters and gauges only here); no
    series twice; no empty lines; a final newline."""
    if not text.endswith("\n"):
        raise ParseError("no final newline")
    fams = {}
    current = None
    for lineno, line in enumerate(text[:-1].split("\n"), 1):
        if line == "":
            raise ParseError(f"line {lineno}: empty line")
        if line.startswith("#"):
            m = re.match(r"^# (HELP|TYPE) ([^ ]+) (.*)$", line)
            if not m or not NAME_RE.fullmatch(m.group(2)):
                raise ParseError(f"line {lineno}: not a HELP or TYPE line: {line!r}")
            kind, name, rest = m.groups()
        else:
            m = NAME_RE.match(line)
            if not m:
                raise ParseError(f"line {lineno}: bad metric name: {line!r}")
            kind, name = "sample", m.group(0)
        if name != current:
            if name in fams:
                raise ParseError(f"line {lineno}: family {name} not contiguous")
            fams[name] = {"help": None, "type": None, "samples": {}}
            current = name
        fam = fams[name]
        if kind == "HELP":
            if fam["help"] is not None or fam["samples"]:
                raise ParseError(f"line {lineno}: HELP twice or after samples for {name}")
            fam["help"] = unescape(rest, "\\n", lineno)
            continue
        if kind == "TYPE":
            if fam["type"] is not None or fam["samples"]:
                raise ParseError(f"line {lineno}: TYPE twice or after samples for {name}")
            if rest not in TYPES:
                raise ParseError(f"line {lineno}: bad type {rest!r}")
            fam["type"] = rest
            continue
        if fam["type"] is None or fam["help"] is None:
            raise ParseError(f"line {lineno}: sample of {name} before its HELP and TYPE")
        if fam["type"] not in ("counter", "gauge"):
            raise ParseError(f"line {lineno}: unexpected type {fam['type']}")
        i = len(name)
        labels = {}
        if line[i:i + 1] == "{":
            labels, i = parse_labels(line, i, lineno)
        if line[i:i + 1] != " ":
            raise ParseError(f"line {lineno}: expected a space before the value")
        parts = line[i + 1:].split(" ")
        if len(parts) not in (1, 2) or (len(parts) == 2 and not re.fullmatch(r"-?\d+", parts[1])):
            raise ParseError(f"line {lineno}: bad value or timestamp: {line[i:]!r}")
        value = parse_value(parts[0], lineno)
        key = frozenset(labels.items())
        if key in fam["samples"]:
            raise ParseError(f"line {lineno}: duplicate series {line!r}")
        fam["samples"][key] = value
    return fams


# --- checks ---


def series(fams, name, /, **labels):
    """The value of one series; None when absent."""
    fam = fams.get(name)
    if fam is None:
        return None
    return fam["samples"].get(frozenset(labels.items()))


def parse(ck, what, text):
    try:
        fams = parse_exposition(text)
    except ParseError as e:
        ck.true(f"{what} parses", False, str(e))
        return {}
    ck.true(f"{what} parses", True)
    return fams


def check_conventions(ck, fams):
    """Names, units, types and HELP texts of every family."""
    for name, fam in fams.items():
        ck.true(f"{name} prefixed", name.startswith("twamp_reflector_"))
        ck.true(f"{name} has a HELP text", bool(fam["help"]))
        ck.true(f"{name} has no non-base unit",
                not re.search(r"_(ns|us|ms|ppm|hz|percent|bytes_in|bytes_out)(_|$)", name))
        ck.true(f"{name} has samples", len(fam["samples"]) > 0)
        if fam["type"] == "counter":
            ck.true(f"counter {name} ends in _total", name.endswith("_total"))
            ck.true(f"counter {name} values >= 0",
                    all(v >= 0 for v in fam["samples"].values()))
        else:
            ck.true(f"gauge {name} does not end in _total", not name.endswith("_total"))


def run_once(exporter, args, timeout=30):
    return subprocess.run([sys.executable, exporter, "--once"] + args, capture_output=True,
                          text=True, timeout=timeout, check=False)


def header_reasons():
    """(name, kind, description) of TWR_DP_REASONS in lib/dataplane/twr_dp_reasons.h."""
    with open(os.path.join(TOP, "lib", "dataplane", "twr_dp_reasons.h"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("#define TWR_DP_REASONS(_)")
    end = text.index("\n\n", start)
    body = text[start:end].replace("\\\n", " ")
    out = []
    for m in re.finditer(r'_\(\s*\w+\s*,\s*"([^"]*)"\s*,\s*(DROP|EXCEPTION)\s*,\s*'
                         r'((?:"(?:[^"\\]|\\.)*"\s*)+)\)', body):
        desc = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(3)))
        out.append((m.group(1), m.group(2).lower(), desc))
    return out


def header_tap_counters():
    with open(os.path.join(TOP, "lib", "control", "twr_tap.h"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("#define TWR_TAP_COUNTERS(_)")
    end = text.index("\n\n", start)
    body = text[start:end].replace("\\\n", " ")
    out = []
    for m in re.finditer(r'_\(\s*\w+\s*,\s*"([^"]*)"\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)', body):
        out.append((m.group(1), "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2)))))
    return out


def header_server_reasons():
    with open(os.path.join(TOP, "lib", "proto", "twr_server.h"), encoding="utf-8") as f:
        text = f.read()
    start = text.index("#define TWR_SERVER_REASONS(_)")
    end = text.index("\n\n", start)
    body = text[start:end].replace("\\\n", " ")
    return {m.group(1).lower(): m.group(2)
            for m in re.finditer(r'_\(\s*(\w+)\s*,\s*"([^"]*)"\s*\)', body)}


GOOD = ("# HELP a_total Help with \\\\ and \\n.\n# TYPE a_total counter\n"
        'a_total{x="1",y="q\\"\\\\\\n"} 1\na_total{x="2"} 2.5e-3\na_total 7 1700000000000\n'
        "# HELP b b.\n# TYPE b gauge\nb NaN\nb{s=\"\"} -Inf\n")
BAD = {
    "no final newline": "# HELP a a.\n# TYPE a gauge\na 1",
    "empty line": "# HELP a a.\n# TYPE a gauge\n\na 1\n",
    "sample before TYPE": "# HELP a a.\na 1\n# TYPE a gauge\n",
    "no HELP": "# TYPE a gauge\na 1\n",
    "TYPE twice": "# HELP a a.\n# TYPE a gauge\n# TYPE a gauge\na 1\n",
    "bad type": "# HELP a a.\n# TYPE a meter\na 1\n",
    "other comment": "# HELP a a.\n# TYPE a gauge\n# hello\na 1\n",
    "duplicate series": "# HELP a a.\n# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n",
    "duplicate, labels reordered": "# HELP a a.\n# TYPE a gauge\n"
                                   "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n",
    "not contiguous": "# HELP a a.\n# TYPE a gauge\na 1\n# HELP b b.\n# TYPE b gauge\n"
                      "b 1\na{x=\"1\"} 1\n",
    "bad metric name": "# HELP 1a a.\n# TYPE 1a gauge\n1a 1\n",
    "bad label name": "# HELP a a.\n# TYPE a gauge\na{1x=\"1\"} 1\n",
    "reserved label": "# HELP a a.\n# TYPE a gauge\na{__x=\"1\"} 1\n",
    "label twice": "# HELP a a.\n# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n",
    "bad escape": "# HELP a a.\n# TYPE a gauge\na{x=\"\\t\"} 1\n",
    "unquoted label": "# HELP a a.\n# TYPE a gauge\na{x=1} 1\n",
    "unterminated label": "# HELP a a.\n# TYPE a gauge\na{x=\"1} 1\n",
    "trailing comma": "# HELP a a.\n# TYPE a gauge\na{x=\"1\",} 1\n",
    "bad value": "# HELP a a.\n# TYPE a gauge\na 0x10\n",
    "no value": "# HELP a a.\n# TYPE a gauge\na\n",
    "two spaces": "# HELP a a.\n# TYPE a gauge\na  1\n",
    "bad timestamp": "# HELP a a.\n# TYPE a gauge\na 1 1.5\n",
    "histogram sample": "# HELP a a.\n# TYPE a histogram\na_bucket{le=\"1\"} 1\n",
}


def scenario_parser(ck):
    """The strict parser accepts the format and refuses what it must."""
    ck.scenario = "parser"
    try:
        fams = parse_exposition(GOOD)
    except ParseError as e:
        ck.true("good exposition", False, str(e))
        return
    ck.eq("good: families", list(fams), ["a_total", "b"])
    ck.eq("good: help unescaped", fams["a_total"]["help"], "Help with \\ and \n.")
    ck.eq("good: label unescaped", series(fams, "a_total", x="1", y='q"\\\n'), 1)
    ck.eq("good: float", series(fams, "a_total", x="2"), 0.0025)
    ck.eq("good: timestamp", series(fams, "a_total"), 7)
    ck.eq("good: -Inf", series(fams, "b", s=""), float("-inf"))
    for what, text in BAD.items():
        try:
            parse_exposition(text)
            ck.true(f"refuses {what}", False)
        except ParseError:
            ck.true(f"refuses {what}", True)

def load_exporter(path):
    spec = importlib.util.spec_from_file_location("twamp_exporter", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


NR = "twamp_reflector_not_reflected_packets_total"


def scenario_lists(ck, exporter):
    """The exporter's copies of the reflector's lists match its headers."""
    ck.scenario = "lists"
    mod = load_exporter(exporter)
    reasons = header_reasons()
    ck.true("header reasons found", len(reasons) >= 28, f"({len(reasons)})")
    ck.eq("REASONS == TWR_DP_REASONS", list(mod.REASONS), reasons)
    taps = header_tap_counters()
    ck.true("header TAP counters found", len(taps) >= 12, f"({len(taps)})")
    ck.eq("TAP_COUNTERS == TWR_TAP_COUNTERS", list(mod.TAP_COUNTERS), taps)
    ck.eq("SERVER_REASONS == TWR_SERVER_REASONS", mod.SERVER_REASONS, header_server_reasons())
    with open(os.path.join(os.path.dirname(exporter), "README.md"), encoding="utf-8") as f:
        readme = f.read()
    missing = [n for n, _, _ in reasons if f"`{n}`" not in readme]
    ck.eq("README lists every reason", missing, [])


def check_sample(ck, fams):
    """The exposition of SAMPLES."""
    check_conventions(ck, fams)
    R = "twamp_reflector_"
    ck.eq("up", series(fams, R + "up"), 1)
    ck.eq("info", series(fams, R + "info", version="0.1.0", tap="twr0", control="on",
                         vlan="0", main_lcore="0"), 1)
    ck.eq("uptime", series(fams, R + "uptime_seconds"), 4)
    ck.eq("start time", series(fams, R + "start_time_seconds"),
          1795864911659138473 / 10**9)
    ck.eq("modes", series(fams, R + "modes_offered"), 369)
    ck.eq("workers", series(fams, R + "workers"), 1)
    ck.eq("address", series(fams, R + "address_info", address="198.18.0.2/24"), 1)
    ck.eq("light port", series(fams, R + "light_port_info", port="862", engine="light",
                               stateful="0"), 1)
    # /twamp/stats
    ck.eq("rx", series(fams, R + "rx_packets_total"), 51)
    ck.eq("reflected", series(fams, R + "reflected_packets_total"), 20)
    ck.eq("exception", series(fams, R + "exception_packets_total"), 11)
    ck.eq("source_mismatch", series(fams, NR, kind="drop", reason="source_mismatch"), 20)
    ck.eq("not_ip", series(fams, NR, kind="exception", reason="not_ip"), 1)
    ck.eq("not_udp", series(fams, NR, kind="exception", reason="not_udp"), 10)
    reasons = header_reasons()
    nr = fams.get(NR, {"samples": {}})["samples"]
    ck.eq("one series per reason", len(nr), len(reasons))
    for name, kind, _ in reasons:
        ck.true(f"reason {name} kind {kind}",
                frozenset({("reason", name), ("kind", kind)}) in nr)
        ck.true(f"HELP describes {name}", f"{name} ({kind}):" in fams[NR]["help"])
    drops = sum(v for k, v in nr.items() if ("kind", "drop") in k)
    excs = sum(v for k, v in nr.items() if ("kind", "exception") in k)
    ring_full = series(fams, NR, kind="drop", reason="exception_ring_full")
    ck.eq("rx = reflected + to_exception + drops", 51, 20 + 11 + drops)
    ck.eq("exception reasons = to_exception + ring full", excs, 11 + ring_full)
    ep = R + "exception_path_packets_total"
    ck.eq("tap_tx", series(fams, ep, counter="tap_tx"), 11)
    ck.eq("tap_rx", series(fams, ep, counter="tap_rx"), 8)
    ck.eq("to_wire", series(fams, ep, counter="to_wire"), 8)
    ck.eq("exception path counters", len(fams[ep]["samples"]), 12)
    ck.eq("flow_untracked", series(fams, R + "flow_untracked_packets_total"), 0)
    ck.true("no unknown stats", R + "stats_other_total" not in fams)
    # /twamp/lcores
    ck.eq("lcore rx", series(fams, R + "lcore_rx_packets_total", lcore="1"), 51)
    ck.eq("lcore busy", series(fams, R + "lcore_busy_cycles_total", lcore="1"), 181192460)
    ck.eq("lcore idle", series(fams, R + "lcore_idle_cycles_total", lcore="1"), 11566606400)
    ck.eq("lcore dropped", series(fams, R + "lcore_dropped_packets_total", lcore="1"), 20)
    ck.eq("lcore loops", series(fams, R + "lcore_loops_total", lcore="1"), 154453826)
    ck.eq("lcore flows", series(fams, R + "lcore_flows", lcore="1"), 1)
    ck.eq("lcore flows type", fams.get(R + "lcore_flows", {}).get("type"), "gauge")
    # /twamp/ports
    port = {"port": "0", "name": "net_af_packet0"}
    ck.eq("port rx", series(fams, R + "port_rx_packets_total", **port), 51)
    ck.eq("port tx", series(fams, R + "port_tx_packets_total", **port), 28)
    ck.eq("port rx bytes", series(fams, R + "port_rx_bytes_total", **port), 4370)
    ck.eq("port tx bytes", series(fams, R + "port_tx_bytes_total", **port), 2364)
    ck.eq("port missed", series(fams, R + "port_rx_missed_packets_total", **port), 0)
    # /twamp/sessions
    sess = {"id": "1", "sid": "c6120002eeb537cfb6b174bec6a55978",
            "receiver": "198.18.0.2:20854", "requested": "198.18.2.1:53077", "policy": "strict"}
    ck.eq("session info", series(fams, R + "session_info", state="stopping", nat="none",
                                 latched="-", **sess), 1)
    ck.eq("session rx", series(fams, R + "session_rx_packets_total", **sess), 20)
    ck.eq("session reflected", series(fams, R + "session_reflected_packets_total", **sess), 0)
    ck.eq("session dropped", series(fams, R + "session_dropped_packets_total", **sess), 20)
    # /twamp/nat
    ck.eq("nat sessions mismatch", series(fams, R + "nat_mismatch_sessions_total"), 1)
    ck.eq("nat mismatch both",
          series(fams, R + "nat_mismatch_packets_total", mismatch="both"), 20)
    ck.eq("nat mismatch addr",
          series(fams, R + "nat_mismatch_packets_total", mismatch="addr"), 0)
    ck.eq("nat sender_not_peer", series(fams, R + "nat_sender_not_peer_sessions_total"), 1)
    nid = {"id": "1", "requested": "198.18.2.1:53077"}
    ck.eq("nat session info", series(
        fams, R + "nat_session_info", policy="strict", nat_state="none",
        cause="port-rewriting-nat", first="198.18.0.1:40287", last="198.18.0.1:40287",
        latched="-", **nid), 1)
    ck.eq("nat session live", series(fams, R + "nat_session_live", **nid), 1)
    ck.eq("nat session mismatch both", series(
        fams, R + "nat_session_mismatch_packets_total", mismatch="both", **nid), 20)
    ck.eq("nat session rx", series(fams, R + "nat_session_rx_packets_total", **nid), 20)
    # /twamp/control
    ck.eq("control accepted", series(fams, R + "control_accepted_total"), 1)
    ck.eq("control listeners", series(fams, R + "control_listeners"), 1)
    ck.eq("control conns", series(fams, R + "control_conns"), 0)
    ck.eq("control sessions_active", series(fams, R + "control_sessions_active"), 1)
    ck.eq("control ports_in_use", series(fams, R + "control_ports_in_use"), 1)
    for g in ("conns", "conns_open", "listeners", "sessions_active", "sessions_deferred",
              "ports_in_use"):
        ck.eq(f"control {g} is a gauge", fams.get(R + "control_" + g, {}).get("type"), "gauge")
    ck.eq("control bytes in", series(fams, R + "control_received_bytes_total"), 340)
    ck.eq("control bytes out", series(fams, R + "control_sent_bytes_total"), 192)
    ck.eq("control refwait reports", series(fams, R + "control_refwait_reports_total"), 3)
    ck.eq("control closed peer", series(fams, R + "control_closed_peer_closed_total"), 1)
    ck.true("control removed HELP", "stop timeout elapsed" in
            fams.get(R + "control_removed_drained_total", {}).get("help", ""))
    ck.eq("control families", len([n for n in fams if n.startswith(R + "control_")]),
          len(SAMPLES["/twamp/control"]) - 1)
    # /twamp/clock
    ck.eq("tsc hertz", series(fams, R + "clock_tsc_hertz"), 2600000155)
    ck.eq("tsc nominal", series(fams, R + "clock_tsc_nominal_hertz"), 2600000000)
    ck.eq("tsc deviation", series(fams, R + "clock_tsc_deviation_ratio"), 0.060 / 10**6)
    ck.eq("offset", series(fams, R + "clock_offset_seconds"), 0)
    ck.eq("bracket", series(fams, R + "clock_bracket_seconds"), 36e-9)
    ck.eq("max abs offset", series(fams, R + "clock_max_abs_offset_seconds"), 3e-9)
    ck.eq("updates", series(fams, R + "clock_updates_total"), 5)
    ck.eq("last update", series(fams, R + "clock_last_update_timestamp_seconds"),
          1795864916659541064 / 10**9)
    ck.eq("synchronized", series(fams, R + "clock_synchronized"), 0)
    ck.eq("ntp maxerror", series(fams, R + "clock_ntp_max_error_seconds"), 16.0)
    ck.eq("error bound", series(fams, R + "clock_error_bound_seconds"), 16.000001018)
    ck.eq("error estimate", series(fams, R + "clock_info", error_estimate="0x1d81"), 1)
    ck.eq("pinned", series(fams, R + "clock_pinned"), 0)
    # /twamp/flows
    flow = {"lcore": "1", "engine": "light", "local": "198.18.0.2:862",
            "remote": "198.18.0.1:40284", "vlan": "0"}
    ck.eq("flow rx", series(fams, R + "flow_rx_packets_total", **flow), 20)
    ck.eq("flow reflected", series(fams, R + "flow_reflected_packets_total", **flow), 20)
    ck.eq("flow dropped", series(fams, R + "flow_dropped_packets_total", **flow), 0)
    # the exporter's own
    for e in SAMPLES:
        ck.eq(f"endpoint {e} ok", series(fams, R + "telemetry_endpoint_ok", endpoint=e), 1)
    tr = fams.get(R + "telemetry_table_truncated", {"samples": {}})["samples"]
    ck.eq("tables", len(tr), 7)
    ck.true("no table truncated", all(v == 0 for v in tr.values()))
    ck.eq("nat table rows", series(fams, R + "telemetry_table_rows", endpoint="/twamp/nat",
                                   table="sessions"), 1)
    ck.true("scrape duration", (series(fams, R + "scrape_duration_seconds") or -1) >= 0)


def scenario_once(ck, exporter, tmp):
    ck.scenario = "once"
    path = os.path.join(tmp, "dpdk_telemetry.v2")
    srv = FakeTelemetry(path, samples())
    try:
        proc = run_once(exporter, ["--socket", path])
        ck.eq("exit status", proc.returncode, 0)
        ck.eq("stderr", proc.stderr, "")
        check_sample(ck, parse(ck, "--once", proc.stdout))
        ck.true("connection closed", srv.wait_closed())
        ck.eq("one connection", srv.opened, 1)
        ck.eq("commands", sorted(srv.commands), sorted(SAMPLES))
    finally:
        srv.stop()
    # --file-prefix: DPDK's runtime directory, here $RUNTIME_DIRECTORY.
    ck.scenario = "file-prefix"
    os.makedirs(os.path.join(tmp, "run", "dpdk", "twr-x"))
    path = os.path.join(tmp, "run", "dpdk", "twr-x", "dpdk_telemetry.v2")
    srv = FakeTelemetry(path, samples())
    try:
        env = dict(os.environ, RUNTIME_DIRECTORY=os.path.join(tmp, "run"))
        proc = subprocess.run([sys.executable, exporter, "--once", "--file-prefix", "twr-x"],
                              capture_output=True, text=True, timeout=30, check=False, env=env)
        fams = parse(ck, "--file-prefix", proc.stdout)
        ck.eq("up", series(fams, "twamp_reflector_up"), 1)
    finally:
        srv.stop()


def check_down(ck, what, text):
    fams = parse(ck, what, text)
    ck.eq(f"{what}: only up", list(fams), ["twamp_reflector_up"])
    ck.eq(f"{what}: up 0", series(fams, "twamp_reflector_up"), 0)
    ck.eq(f"{what}: up is a gauge", fams.get("twamp_reflector_up", {}).get("type"), "gauge")


def scenario_down(ck, exporter, tmp):
    ck.scenario = "down"
    missing = os.path.join(tmp, "nothing", "dpdk_telemetry.v2")
    proc = run_once(exporter, ["--socket", missing])
    ck.eq("no socket: exit status", proc.returncode, 0)
    ck.true("no socket: reason on stderr", missing in proc.stderr, proc.stderr)
    check_down(ck, "no socket", proc.stdout)
    # A socket file nobody listens on (the reflector died).
    dead = os.path.join(tmp, "dead.v2")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(dead)
    try:
        check_down(ck, "dead socket", run_once(exporter, ["--socket", dead]).stdout)
    finally:
        s.close()
        os.unlink(dead)
    for mode in ("mute", "close"):
        path = os.path.join(tmp, mode + ".v2")
        srv = FakeTelemetry(path, samples(), mode=mode)
        try:
            t0 = time.monotonic()
            proc = run_once(exporter, ["--socket", path, "--timeout", "0.5"])
            check_down(ck, mode, proc.stdout)
            ck.true(f"{mode}: within the timeout", time.monotonic() - t0 < 10)
        finally:
            srv.stop()
    # A reflector that answers null (not ready): down.
    path = os.path.join(tmp, "null.v2")
    srv = FakeTelemetry(path, {})
    try:
        check_down(ck, "null answers", run_once(exporter, ["--socket", path]).stdout)
    finally:
        srv.stop()


def scenario_partial(ck, exporter, tmp):
    """Null endpoints, escaping, truncated tables, newer reflectors."""
    ck.scenario = "partial"
    R = "twamp_reflector_"
    r = samples()
    del r["/twamp/flows"]  # answers null
    r["/twamp/ports"]["ports/name"] = ['net_"q\\b\nz']
    r["/twamp/sessions"]["sessions/rows"] = 3  # only one row arrived
    r["/twamp/clock"]["offset_ns"] = "-3000000000"  # beyond 32 bits: a string
    st = {}
    for k, v in r["/twamp/stats"].items():
        if k == "flow_untracked":
            st["brand_new_reason"] = 7
        st[k] = v
    st["brand_new_counter"] = 5
    r["/twamp/stats"] = st
    path = os.path.join(tmp, "partial.v2")
    srv = FakeTelemetry(path, r)
    try:
        proc = run_once(exporter, ["--socket", path])
        fams = parse(ck, "partial", proc.stdout)
    finally:
        srv.stop()
    check_conventions(ck, fams)
    ck.eq("up", series(fams, R + "up"), 1)
    ck.eq("flows null", series(fams, R + "telemetry_endpoint_ok", endpoint="/twamp/flows"), 0)
    ck.true("no flow series", R + "flow_rx_packets_total" not in fams)
    ck.eq("escaped port name round trip",
          series(fams, R + "port_rx_packets_total", port="0", name='net_"q\\b\nz'), 51)
    ck.true("escaped on the wire", 'name="net_\\"q\\\\b\\nz"' in proc.stdout)
    ck.eq("sessions truncated", series(fams, R + "telemetry_table_truncated",
                                       endpoint="/twamp/sessions", table="sessions"), 1)
    ck.eq("sessions rows", series(fams, R + "telemetry_table_rows",
                                  endpoint="/twamp/sessions", table="sessions"), 3)
    ck.eq("string offset", series(fams, R + "clock_offset_seconds"), -3.0)
    ck.eq("newer reason", series(fams, NR, reason="brand_new_reason", kind="unknown"), 7)
    ck.eq("newer counter", series(fams, R + "stats_other_total", counter="brand_new_counter"), 5)
    ck.eq("known reasons intact", series(fams, NR, kind="drop", reason="source_mismatch"), 20)


def http_get(conn, path, method="GET"):
    conn.request(method, path)
    resp = conn.getresponse()
    return resp.status, resp.getheader("Content-Type"), resp.read().decode("utf-8")


def start_http(exporter, args):
    """The exporter on 127.0.0.1, a free port: (process, port)."""
    proc = subprocess.Popen([sys.executable, exporter, "--listen", "127.0.0.1:0"] + args,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stderr], [], [], 20)
    line = proc.stderr.readline() if ready else ""
    m = re.search(r"http://127\.0\.0\.1:(\d+)/metrics", line)
    if not m:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"exporter did not start: {line!r}")
    return proc, int(m.group(1))


def stop_http(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.stderr.read()


def scenario_http(ck, exporter, tmp):
    ck.scenario = "http"
    path = os.path.join(tmp, "http.v2")
    srv = FakeTelemetry(path, samples())
    proc = None
    try:
        proc, port = start_http(exporter, ["--socket", path])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        status, ctype, body = http_get(conn, "/metrics")
        ck.eq("status", status, 200)
        ck.eq("content type", ctype, CONTENT_TYPE)
        fams = parse(ck, "http", body)
        check_sample(ck, fams)
        once = parse(ck, "once", run_once(exporter, ["--socket", path]).stdout)
        volatile = "twamp_reflector_scrape_duration_seconds"
        ck.eq("same families as --once", [n for n in fams if n != volatile],
              [n for n in once if n != volatile])
        ck.true("same series as --once",
                all(fams[n]["samples"] == once[n]["samples"] for n in once if n != volatile))
        # keep-alive: a second scrape on the same connection, a new socket connection
        status, _, body = http_get(conn, "/metrics?x=1")
        ck.eq("second scrape", status, 200)
        ck.eq("second scrape up", series(parse(ck, "second", body), "twamp_reflector_up"), 1)
        ck.true("telemetry connections closed", srv.wait_closed())
        ck.eq("one telemetry connection per scrape", srv.opened, 3)
        status, ctype, body = http_get(conn, "/metrics", "HEAD")
        ck.eq("HEAD", (status, ctype, body), (200, CONTENT_TYPE, ""))
        status, _, _ = http_get(conn, "/")
        ck.eq("index", status, 200)
        status, _, _ = http_get(conn, "/nope")
        ck.eq("404", status, 404)
        # the reflector goes away: still 200, up 0
        srv.stop()
        srv = None
        status, ctype, body = http_get(conn, "/metrics")
        ck.eq("down status", status, 200)
        ck.eq("down content type", ctype, CONTENT_TYPE)
        check_down(ck, "http down", body)
        # and comes back
        srv = FakeTelemetry(path, samples())
        status, _, body = http_get(conn, "/metrics")
        ck.eq("back up", series(parse(ck, "back", body), "twamp_reflector_up"), 1)
        conn.close()
    finally:
        if proc is not None:
            err = stop_http(proc)
            ck.true("down logged once", err.count("reflector down") == 1, repr(err))
        if srv is not None:
            srv.stop()


def scenario_usage(ck, exporter):
    ck.scenario = "usage"
    proc = subprocess.run([sys.executable, exporter, "--listen", "nonsense"],
                          capture_output=True, text=True, timeout=30, check=False)
    ck.eq("bad --listen", proc.returncode, 2)
    proc = subprocess.run([sys.executable, exporter, "--socket", "a", "--file-prefix", "b"],
                          capture_output=True, text=True, timeout=30, check=False)
    ck.eq("--socket and --file-prefix", proc.returncode, 2)
    proc = subprocess.run([sys.executable, exporter, "--help"],
                          capture_output=True, text=True, timeout=30, check=False)
    ck.eq("--help", proc.returncode, 0)
    ck.true("executable", os.access(exporter, os.X_OK))
    with open(exporter, encoding="utf-8") as f:
        ck.eq("shebang", f.readline().rstrip("\n"), "#!/usr/bin/env python3")


def main():
    if len(sys.argv) > 2:
        print(__doc__)
        return 2
    exporter = sys.argv[1] if len(sys.argv) == 2 else os.path.join(
        TOP, "tools", "prometheus", "twamp-exporter.py")
    exporter = os.path.abspath(exporter)
    ck = Checks()
    tmp = tempfile.mkdtemp(prefix="twr-exporter-")
    try:
        scenario_parser(ck)
        scenario_lists(ck, exporter)
        scenario_once(ck, exporter, tmp)
        scenario_down(ck, exporter, tmp)
        scenario_partial(ck, exporter, tmp)
        scenario_http(ck, exporter, tmp)
        scenario_usage(ck, exporter)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{ck.passed} passed, {ck.failed} failed")
    return 0 if ck.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
