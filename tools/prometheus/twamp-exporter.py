#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Prometheus exporter for twamp-reflector.

Reads the reflector's DPDK telemetry socket (the v2 protocol of DPDK 22.11:
a unix SOCK_SEQPACKET socket, a JSON greeting, then one JSON reply per
command) and serves the /twamp/... endpoints in the Prometheus text
exposition format 0.0.4, on GET /metrics or once on stdout (--once).

Every scrape opens the socket, asks /twamp/info, stats, lcores, ports,
sessions, nat, control, clock and flows, and closes it. When the
reflector cannot be reached, or does not answer /twamp/info, the
exposition is `twamp_reflector_up 0` alone (still HTTP 200).

Python 3 standard library only. See README.md beside this file.
"""

import argparse
import http.server
import json
import math
import os
import re
import socket
import sys
import time

PREFIX = "twamp_reflector_"
SOCKET_NAME = "dpdk_telemetry.v2"
DEFAULT_PREFIX = "rte"
DEFAULT_LISTEN = "127.0.0.1:9862"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
RECV_LEN = 1 << 20  # larger than any reply (DPDK 22.11 caps them at 16 KiB)

ENDPOINTS = ("/twamp/info", "/twamp/stats", "/twamp/lcores", "/twamp/ports",
             "/twamp/sessions", "/twamp/nat", "/twamp/control", "/twamp/clock",
             "/twamp/flows")

COUNTER = "counter"
GAUGE = "gauge"

# The data plane's reasons for not reflecting a frame, in their order:
# (name, kind, description), as in lib/dataplane/twr_dp_reasons.h
# (TWR_DP_REASONS). The names are stable and only ever appended to;
# tests/tools/test_exporter.py checks this copy against the header.
REASONS = (
    ("truncated", "drop",
     "frame shorter than its Ethernet, VLAN, IP or extension headers announce"),
    ("l2_unsupported", "drop", "more than two VLAN tags"),
    ("not_ip", "exception", "EtherType other than IPv4 or IPv6 (ARP, LLDP, ...)"),
    ("ipv4_bad_header", "drop",
     "IPv4 version not 4, IHL below 5, or total length below the header length"),
    ("ipv4_bad_checksum", "drop", "IPv4 header checksum wrong"),
    ("ipv4_fragment", "drop", "IPv4 fragment (MF set or offset non-zero): not reassembled"),
    ("ipv6_bad_header", "drop", "IPv6 version not 6, or payload length 0 (jumbogram)"),
    ("ipv6_ext_header", "exception",
     "IPv6 extension header not skipped: AH, Mobility, HIP, Shim6, 253/254, "
     "Routing with Segments Left, more than four"),
    ("ipv6_fragment", "drop", "IPv6 Fragment header (not atomic): not reassembled"),
    ("udp_bad_length", "drop",
     "UDP length below 8 or beyond the IP payload, or IP payload shorter than a UDP header"),
    ("udp_bad_checksum", "drop", "UDP checksum wrong, or zero over IPv6 (RFC 8200 sec. 8.1)"),
    ("not_udp", "exception", "IP but not UDP (ICMP, ND, TCP, ESP, ...)"),
    ("not_for_us", "exception", "destination address is not one of the reflector's addresses"),
    ("unknown_session", "exception",
     "UDP to one of our addresses on neither a reflector port nor a session's Receiver Port"),
    ("bad_source", "drop",
     "source address unspecified, loopback, multicast, broadcast, IPv4-mapped or our own "
     "destination, or source port 0: never answered (reflection)"),
    ("test_too_short", "drop",
     "test packet shorter than its format's minimum (14 octets, or 14 + L with Reflect "
     "Octets)"),
    ("errest_zero_multiplier", "drop",
     "sender Error Estimate Multiplier 0 under the strict policy (RFC 4656 sec. 4.1.2)"),
    ("mode_unsupported", "drop",
     "session in a mode this data plane does not reflect yet (authenticated, encrypted)"),
    ("session_not_started", "drop", "packet for an accepted session before Start-Sessions"),
    ("session_expired", "drop",
     "packet for a stopped session after Stop-Sessions + Timeout (RFC 5357 sec. 3.8)"),
    ("source_mismatch", "drop",
     "source address or port differs from the negotiated Session-Sender: the NAT signature"),
    ("ssid_mismatch", "drop",
     "STAMP SSID differs from the one provisioned for the session (RFC 8972 sec. 3)"),
    ("reply_too_big", "drop",
     "reply does not fit the buffer's tailroom or a 16-bit length field"),
    ("exception_ring_full", "drop",
     "exception-path frame dropped: ring to the control lcore full"),
    ("tx_full", "drop", "reply built but refused by the full TX queue"),
    ("flow_table_full", "drop",
     "new flow of a stateful Light/STAMP port refused: the lcore's flow table is full"),
    ("latch_refused", "drop",
     "latch policy: session not latched yet, source neither the negotiated one nor allowed "
     "by the control connection's peer address (docs/nat.md)"),
    ("latch_late", "drop",
     "latch policy: allowed source, but the session's latch window had closed"),
    ("source_not_allowed", "drop",
     "TWAMP-Light/STAMP port with an allow-list: source in none of its prefixes"),
)

# The exception path's counters of /twamp/stats (TWR_TAP_COUNTERS, lib/control/twr_tap.h).
TAP_COUNTERS = (
    ("exception_consumed", "frames taken off the exception ring"),
    ("tap_tx", "exception frames written to the TAP (to the kernel)"),
    ("tap_tx_full", "exception frames the TAP refused (kernel queue full): dropped"),
    ("tap_tx_too_big", "exception frames longer than the TAP's MTU allows: dropped"),
    ("tap_unmapped", "exception frames of a port or VLAN not mapped to the TAP: dropped"),
    ("tap_rx", "frames the kernel sent on the TAP"),
    ("tap_rx_invalid",
     "TAP frames not sendable (chained, or no headroom for the VLAN tag): dropped"),
    ("to_wire", "TAP frames accepted by the wire port's TX queue"),
    ("to_wire_ring", "TAP frames queued to the worker that sends them"),
    ("to_wire_tx_full", "TAP frames refused by the full wire TX queue: dropped"),
    ("to_wire_ring_full", "TAP frames refused by the full ring to the worker: dropped"),
    ("to_wire_flushed", "TAP frames left in the ring to the worker at exit: dropped"),
)

# Why a TWAMP-Control session was removed or a connection closed
# (TWR_SERVER_REASONS, lib/proto/twr_server.h), for the HELP texts.
SERVER_REASONS = {
    "none": "none",
    "drained": "stop timeout elapsed",
    "refwait": "no test packet for REFWAIT",
    "peer_closed": "control connection closed by peer",
    "peer_closed_mid_message": "peer closed in the middle of a message",
    "setup_abandoned": "client sent Mode 0",
    "setup_refused": "mode not offered or not exactly one security mode",
    "service_refused": "server offers no mode",
    "handshake_timeout": "no Set-Up-Response in time",
    "servwait": "control connection idle for SERVWAIT",
    "unknown_command": "unknown or forbidden command",
    "unexpected_command": "command not valid in this state",
    "stop_count_mismatch": "Stop-Sessions count does not match",
    "bad_message": "malformed message",
    "tx_overflow": "peer does not read its responses",
    "local_close": "closed locally",
    "no_memory": "out of memory",
}

# /twamp/control: the keys that are current values (gauges); every other
# u64 key is a counter, twamp_reflector_control_<key>_total.
CONTROL_GAUGES = frozenset(("conns", "conns_open", "listeners", "sessions_active",
                            "sessions_deferred", "ports_in_use"))
# Keys renamed to carry their unit where Prometheus wants it.
CONTROL_RENAMES = {"bytes_in": "received_bytes", "bytes_out": "sent_bytes"}
CONTROL_HELP = {
    "listeners": "TWAMP-Control listening sockets open.",
    "listen_errors": "TWAMP-Control addresses that could not be listened on.",
    "accepted": "TWAMP-Control connections accepted by the kernel.",
    "refused": "TWAMP-Control connections accepted, then closed at once (limits).",
    "accept_errors": "accept() failures on the TWAMP-Control listeners (EMFILE, ...).",
    "conns": "TWAMP-Control connections open now.",
    "closed": "TWAMP-Control connections closed.",
    "drain_timeouts": "Closed TWAMP-Control connections whose queue did not drain in time.",
    "io_errors": "Send or receive errors on TWAMP-Control connections (reset by peer, ...).",
    "bytes_in": "Octets received on TWAMP-Control connections.",
    "bytes_out": "Octets sent on TWAMP-Control connections.",
    "conns_opened": "TWAMP-Control connections admitted by the session manager.",
    "conns_open": "TWAMP-Control connections open in the session manager now.",
    "requests": "Request-TW-Session messages received.",
    "accepted_sessions": "Request-TW-Session messages answered Accept 0.",
    "alternate_port": "Accepted sessions given a Receiver Port other than the one requested.",
    "sender_not_peer": "Requests whose Sender Address is not the control peer's "
                       "(a NAT indication).",
    "receiver_not_local": "Requests whose Receiver Address was replaced by the "
                          "connection's local address.",
    "sessions_added": "Sessions installed in the session table.",
    "sessions_started": "Sessions started (Start-Sessions).",
    "sessions_stopped": "Sessions stopped (Stop-Sessions).",
    "sessions_stopped_by_operator": "Sessions stopped by the operator.",
    "sessions_active": "Sessions in the session table now, draining ones included.",
    "sessions_deferred": "Removed sessions waiting for their removal (drain, busy table).",
    "ports_in_use": "Receiver Ports held by sessions now.",
    "refwait_reports": "Session activity reports to the REFWAIT timers.",
    "table_errors": "Unexpected session table errors.",
    "unknown_sid": "Session actions naming a SID the session manager does not know.",
}

METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def num(v):
    """A telemetry value as an int or a float; None when it is not a number.

    Signed values beyond 32 bits and the ppm figures travel as strings."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return int(v, 10)
        except ValueError:
            pass
        try:
            f = float(v)
        except ValueError:
            return None
        return f if math.isfinite(f) else None
    return None


def ns_to_s(v):
    """Nanoseconds (int or numeric string) to seconds, correctly rounded."""
    v = num(v)
    if v is None:
        return None
    return v / 1_000_000_000


def us_to_s(v):
    v = num(v)
    return None if v is None else v / 1_000_000


def ppm_to_ratio(v):
    v = num(v)
    return None if v is None else v / 1_000_000


def yes_no(v):
    if v in ("yes", "on", 1, True):
        return 1
    if v in ("no", "off", 0, False):
        return 0
    return None


def fmt_value(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    return repr(v)


def escape_label(v):
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def escape_help(v):
    return v.replace("\\", "\\\\").replace("\n", "\\n")


def metric_key(key):
    """A telemetry key as a metric-name fragment."""
    return re.sub(r"[^a-zA-Z0-9_]", "_", key).lower()


class Exposition:
    """Metric families in first-added order; each family's samples together."""

    def __init__(self):
        self.families = {}

    def add(self, name, mtype, help_text, value, /, **labels):
        """One sample of twamp_reflector_<name>; None values are skipped.

        A second sample with the same labels is dropped (the first wins)."""
        if value is None:
            return
        name = PREFIX + name
        if not METRIC_NAME.match(name):
            raise ValueError(f"bad metric name {name!r}")
        if mtype == COUNTER and not name.endswith("_total"):
            raise ValueError(f"counter {name} does not end in _total")
        fam = self.families.get(name)
        if fam is None:
            fam = self.families[name] = {"type": mtype, "help": help_text, "samples": {}}
        elif fam["type"] != mtype:
            raise ValueError(f"{name} added as {mtype} and {fam['type']}")
        for k in labels:
            if not LABEL_NAME.match(k) or k.startswith("__"):
                raise ValueError(f"bad label name {k!r}")
        key = tuple(sorted((k, str(v)) for k, v in labels.items()))
        fam["samples"].setdefault(key, value)

    def counter(self, name, help_text, value, /, **labels):
        self.add(name, COUNTER, help_text, value, **labels)

    def gauge(self, name, help_text, value, /, **labels):
        self.add(name, GAUGE, help_text, value, **labels)

    def render(self):
        out = []
        for name, fam in self.families.items():
            out.append(f"# HELP {name} {escape_help(fam['help'])}\n")
            out.append(f"# TYPE {name} {fam['type']}\n")
            for key, value in fam["samples"].items():
                if key:
                    labels = ",".join(f'{k}="{escape_label(v)}"' for k, v in key)
                    out.append(f"{name}{{{labels}}} {fmt_value(value)}\n")
                else:
                    out.append(f"{name} {fmt_value(value)}\n")
        return "".join(out)


class Telemetry:
    """One connection to a DPDK 22.11 telemetry v2 socket."""

    def __init__(self, path, timeout):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.sock.settimeout(timeout)
            self.sock.connect(path)
            greeting = self._recv()
        except BaseException:
            self.sock.close()
            raise
        if not isinstance(greeting, dict) or "max_output_len" not in greeting:
            self.sock.close()
            raise ValueError(f"not a DPDK telemetry v2 greeting: {greeting!r}")
        self.greeting = greeting

    def _recv(self):
        data = self.sock.recv(RECV_LEN)
        if not data:
            raise ConnectionError("telemetry socket closed")
        return json.loads(data.decode("utf-8", errors="replace"))

    def query(self, cmd):
        """The value of the reply to @cmd; None when the reflector answers null."""
        self.sock.send(cmd.encode())
        reply = self._recv()
        if not isinstance(reply, dict):
            raise ValueError(f"{cmd}: reply is not an object: {reply!r}")
        return reply.get(cmd.split(",", 1)[0])

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def table(x, endpoint, d, name):
    """Rows of the table @name of reply @d, as dicts of column -> value.

    Also exports the row count the reflector reports and whether fewer rows
    arrived (telemetry arrays hold 512 entries, replies 16 KiB)."""
    prefix = name + "/"
    cols = {k[len(prefix):]: v for k, v in d.items()
            if k.startswith(prefix) and isinstance(v, list)}
    n = min((len(v) for v in cols.values()), default=0)
    reported = num(d.get(prefix + "rows"))
    if reported is None:
        reported = n
    x.gauge("telemetry_table_rows",
            "Rows of a telemetry table, as the reflector counts them.",
            reported, endpoint=endpoint, table=name)
    x.gauge("telemetry_table_truncated",
            "1 when a telemetry table arrived with fewer rows than the reflector counts "
            "(array or reply size limits): its per-row series are incomplete.",
            1 if n < reported else 0, endpoint=endpoint, table=name)
    return [{c: v[i] for c, v in cols.items()} for i in range(n)]


def label(v):
    return "" if v is None else str(v)


def do_info(x, d):
    x.gauge("info", "The reflector's version and configuration (always 1).", 1,
            version=label(d.get("version")), tap=label(d.get("tap")),
            control=label(d.get("control")), vlan=label(d.get("vlan")),
            main_lcore=label(d.get("main_lcore")))
    x.gauge("uptime_seconds", "Seconds since the reflector became ready.",
            num(d.get("uptime_s")))
    x.gauge("start_time_seconds",
            "When the reflector became ready, seconds since the Unix epoch.",
            ns_to_s(d.get("start_unix_ns")))
    x.gauge("modes_offered", "TWAMP-Control Modes offered (the Server Greeting's bit mask).",
            num(d.get("modes")))
    x.gauge("ports", "Ethernet ports the reflector serves.", num(d.get("ports")))
    x.gauge("workers", "Worker lcores.", num(d.get("workers")))
    for row in table(x, "/twamp/info", d, "addresses"):
        x.gauge("address_info", "An address of the reflector, with its prefix length (1).",
                1, address=label(row.get("address")))
    for row in table(x, "/twamp/info", d, "light_ports"):
        x.gauge("light_port_info",
                "A TWAMP-Light or STAMP reflector port: its engine, and whether it keeps "
                "per-flow state (1).",
                1, port=label(row.get("port")), engine=label(row.get("engine")),
                stateful=label(row.get("stateful")))


REASON_HELP = ("Frames received and not reflected, by reason. kind=drop: freed; "
               "kind=exception: handed to the kernel through the TAP. Reasons: " +
               "; ".join(f"{n} ({k}): {desc}" for n, k, desc in REASONS) + ".")
TAP_HELP = ("Frames on the exception path (between the data plane, the TAP and the "
            "kernel), by counter: " +
            "; ".join(f"{n}: {desc}" for n, desc in TAP_COUNTERS) + ".")


def do_stats(x, d):
    reasons = {n: k for n, k, _ in REASONS}
    taps = {n for n, _ in TAP_COUNTERS}
    x.counter("rx_packets_total", "Frames received by the workers.", num(d.get("rx")))
    x.counter("reflected_packets_total", "Replies accepted by the TX queues.",
              num(d.get("reflected")))
    x.counter("exception_packets_total",
              "Frames queued to the control lcore's exception ring (for the kernel).",
              num(d.get("to_exception")))
    # Reasons are appended to the list, and their keys come before
    # flow_untracked and the exception path's: a key this exporter does not
    # know in that position is a newer reason (kind "unknown").
    past_reasons = False
    for key, v in d.items():
        if key in ("rx", "reflected", "to_exception"):
            continue
        if key == "flow_untracked":
            past_reasons = True
            x.counter("flow_untracked_packets_total",
                      "Test packets of stateless Light/STAMP ports answered without a flow "
                      "entry (the lcore's flow table was full).", num(v))
        elif key in reasons:
            x.counter("not_reflected_packets_total", REASON_HELP, num(v),
                      reason=key, kind=reasons[key])
        elif key in taps:
            past_reasons = True
            x.counter("exception_path_packets_total", TAP_HELP, num(v), counter=key)
        elif not past_reasons:
            x.counter("not_reflected_packets_total", REASON_HELP, num(v),
                      reason=key, kind="unknown")
        else:
            x.counter("stats_other_total",
                      "Counters of /twamp/stats this exporter does not know (a newer "
                      "reflector).", num(v), counter=key)


LCORE_COLUMNS = (
    ("rx", "lcore_rx_packets_total", COUNTER, "Frames received, per worker lcore."),
    ("reflected", "lcore_reflected_packets_total", COUNTER,
     "Replies accepted by the TX queue, per worker lcore."),
    ("to_exception", "lcore_exception_packets_total", COUNTER,
     "Frames queued to the exception ring, per worker lcore."),
    ("dropped", "lcore_dropped_packets_total", COUNTER,
     "Frames dropped (every reason of kind drop), per worker lcore."),
    ("busy_cycles", "lcore_busy_cycles_total", COUNTER,
     "TSC cycles spent in loops that received frames, per worker lcore."),
    ("idle_cycles", "lcore_idle_cycles_total", COUNTER,
     "TSC cycles spent in loops that received nothing, per worker lcore."),
    ("loops", "lcore_loops_total", COUNTER, "Polling loops, per worker lcore."),
    ("flows", "lcore_flows", GAUGE,
     "TWAMP-Light/STAMP flows in the lcore's flow table now."),
    ("flows_created", "lcore_flows_created_total", COUNTER,
     "TWAMP-Light/STAMP flows created, per worker lcore."),
    ("flows_expired", "lcore_flows_expired_total", COUNTER,
     "TWAMP-Light/STAMP flows expired (idle), per worker lcore."),
    ("flow_untracked", "lcore_flow_untracked_packets_total", COUNTER,
     "Test packets of stateless Light/STAMP ports answered without a flow entry, "
     "per worker lcore."),
)

PORT_COLUMNS = (
    ("ipackets", "port_rx_packets_total", "Packets received by the Ethernet port."),
    ("opackets", "port_tx_packets_total", "Packets sent by the Ethernet port."),
    ("ibytes", "port_rx_bytes_total", "Octets received by the Ethernet port."),
    ("obytes", "port_tx_bytes_total", "Octets sent by the Ethernet port."),
    ("imissed", "port_rx_missed_packets_total",
     "Packets the Ethernet port dropped because its RX queues were full."),
    ("ierrors", "port_rx_errors_total", "Erroneous packets received by the Ethernet port."),
    ("oerrors", "port_tx_errors_total", "Packets the Ethernet port failed to send."),
    ("rx_nombuf", "port_rx_nombuf_total",
     "RX mbuf allocation failures of the Ethernet port."),
)


def do_lcores(x, d):
    for row in table(x, "/twamp/lcores", d, "lcores"):
        lcore = label(row.get("lcore"))
        for col, name, mtype, help_text in LCORE_COLUMNS:
            x.add(name, mtype, help_text, num(row.get(col)), lcore=lcore)


def do_ports(x, d):
    for row in table(x, "/twamp/ports", d, "ports"):
        labels = {"port": label(row.get("port")), "name": label(row.get("name"))}
        for col, name, help_text in PORT_COLUMNS:
            x.counter(name, help_text, num(row.get(col)), **labels)


def do_sessions(x, d):
    for row in table(x, "/twamp/sessions", d, "sessions"):
        ident = {k: label(row.get(k)) for k in ("id", "sid", "receiver", "requested", "policy")}
        x.gauge("session_info",
                "A TWAMP session installed by TWAMP-Control (1): its run state, NAT policy "
                "and state, Receiver and requested and latched Sender (ADDR:PORT, - absent).",
                1, state=label(row.get("state")), nat=label(row.get("nat")),
                latched=label(row.get("latched")), **ident)
        x.counter("session_rx_packets_total",
                  "Test packets received on the session's Receiver Port, from any source.",
                  num(row.get("rx")), **ident)
        x.counter("session_reflected_packets_total", "Test packets of the session answered.",
                  num(row.get("reflected")), **ident)
        x.counter("session_dropped_packets_total", "Test packets of the session dropped.",
                  num(row.get("dropped")), **ident)


NAT_MISMATCH_HELP = ("Test packets from a source other than the negotiated Session-Sender, "
                     "by what differed (addr, port, both).")


def do_nat(x, d):
    x.counter("nat_mismatch_sessions_total",
              "Sessions that received test packets from a source other than the "
              "negotiated Session-Sender.", num(d.get("sessions_mismatch")))
    for m in ("addr", "port", "both"):
        x.counter("nat_mismatch_packets_total", NAT_MISMATCH_HELP,
                  num(d.get("mismatch_" + m)), mismatch=m)
    x.counter("nat_latched_sessions_total",
              "Sessions that latched onto an observed source (latch policy).",
              num(d.get("latched")))
    x.counter("nat_latch_refused_packets_total",
              "Packets refused by the latch policy (source not allowed, session not latched).",
              num(d.get("latch_refused")))
    x.counter("nat_latch_late_packets_total",
              "Packets from an allowed source after the latch window closed.",
              num(d.get("latch_late")))
    x.counter("nat_sender_not_peer_sessions_total",
              "Sessions requested with a Sender Address other than the control peer's.",
              num(d.get("sender_not_peer")))
    for row in table(x, "/twamp/nat", d, "sessions"):
        ident = {"id": label(row.get("id")), "requested": label(row.get("requested"))}
        x.gauge("nat_session_info",
                "A session with NAT activity or under the latch policy (1): policy, NAT "
                "state, likely cause, first, last and latched source (ADDR:PORT, - absent).",
                1, policy=label(row.get("policy")), nat_state=label(row.get("nat_state")),
                cause=label(row.get("cause")), first=label(row.get("first")),
                last=label(row.get("last")), latched=label(row.get("latched")), **ident)
        x.gauge("nat_session_live", "1 while the session is installed, 0 once it ended.",
                num(row.get("live")), **ident)
        for m in ("addr", "port", "both"):
            x.counter("nat_session_mismatch_packets_total", NAT_MISMATCH_HELP + " Per session.",
                      num(row.get("mismatch_" + m)), mismatch=m, **ident)
        x.counter("nat_session_latch_refused_packets_total",
                  "Packets refused by the latch policy, per session.",
                  num(row.get("latch_refused")), **ident)
        x.counter("nat_session_latch_late_packets_total",
                  "Packets from an allowed source after the latch window closed, per session.",
                  num(row.get("latch_late")), **ident)
        x.counter("nat_session_rx_packets_total",
                  "Test packets received on the session's Receiver Port, from any source.",
                  num(row.get("rx")), **ident)
        x.counter("nat_session_reflected_packets_total", "Test packets of the session answered.",
                  num(row.get("reflected")), **ident)


def control_help(key):
    if key in CONTROL_HELP:
        return CONTROL_HELP[key]
    for prefix, text in (("conn_refused_", "TWAMP-Control connections refused: "),
                         ("refused_accept_", "Request-TW-Session messages answered Accept "),
                         ("refused_", "Request-TW-Session messages refused by the session "
                                      "manager: "),
                         ("removed_", "Sessions removed: "),
                         ("closed_", "TWAMP-Control connections closed: ")):
        if key.startswith(prefix):
            rest = key[len(prefix):]
            if prefix in ("removed_", "closed_"):
                rest = SERVER_REASONS.get(rest, rest)
            else:
                rest = rest.replace("_", " ")
            return text + rest + "."
    return f"TWAMP-Control counter {key} of /twamp/control."


def do_control(x, d):
    for key, v in d.items():
        if "/" in key:
            continue  # the connections table: per-connection detail, not counters
        v = num(v)
        if v is None or isinstance(v, float):
            continue  # "control": on/off is in twamp_reflector_info
        name = "control_" + metric_key(CONTROL_RENAMES.get(key, key))
        if key in CONTROL_GAUGES:
            x.gauge(name, control_help(key), v)
        else:
            x.counter(name + "_total", control_help(key), v)


def do_clock(x, d):
    x.gauge("clock_tsc_hertz", "TSC rate measured against CLOCK_MONOTONIC_RAW.",
            num(d.get("tsc_hz")))
    x.gauge("clock_tsc_nominal_hertz", "TSC rate DPDK announces (rte_get_tsc_hz()).",
            num(d.get("tsc_hz_nominal")))
    x.gauge("clock_tsc_deviation_ratio",
            "(measured - nominal) / nominal TSC rate (1e-6 is 1 ppm).",
            ppm_to_ratio(d.get("tsc_ppm")))
    x.gauge("clock_realtime_deviation_ratio",
            "CLOCK_REALTIME's rate against CLOCK_MONOTONIC_RAW, minus 1: NTP's frequency "
            "correction (1e-6 is 1 ppm).", ppm_to_ratio(d.get("realtime_ppm")))
    x.gauge("clock_offset_seconds",
            "CLOCK_REALTIME minus the reflector's TSC mapping at its last update.",
            ns_to_s(d.get("offset_ns")))
    x.gauge("clock_max_abs_offset_seconds",
            "Largest absolute offset since start, steps excluded.",
            ns_to_s(d.get("max_abs_offset_ns")))
    x.gauge("clock_bracket_seconds",
            "Width of the tightest TSC/CLOCK_REALTIME bracket at the last update.",
            ns_to_s(d.get("bracket_ns")))
    x.counter("clock_updates_total", "Clock mapping updates published.",
              num(d.get("updates")))
    x.counter("clock_steps_total", "Clock updates that were steps (large offsets).",
              num(d.get("steps")))
    x.gauge("clock_last_update_timestamp_seconds",
            "When the clock mapping was last updated, seconds since the Unix epoch.",
            ns_to_s(d.get("last_update_unix_ns")))
    x.gauge("clock_synchronized",
            "1 when the clock is synchronized (the Error Estimate's S bit).",
            yes_no(d.get("synchronized")))
    x.gauge("clock_ntp_state",
            "ntp_adjtime() return: 0 TIME_OK .. 5 TIME_ERROR, -1 when it failed.",
            num(d.get("ntp_state")))
    x.gauge("clock_ntp_max_error_seconds", "ntp_adjtime() maximum error.",
            us_to_s(d.get("maxerror_us")))
    x.gauge("clock_ntp_estimated_error_seconds", "ntp_adjtime() estimated error.",
            us_to_s(d.get("esterror_us")))
    x.gauge("clock_tai_offset_seconds", "TAI - UTC in use.", num(d.get("tai_utc")))
    x.gauge("clock_error_bound_seconds",
            "The clock error bound the published Error Estimate encodes.",
            ns_to_s(d.get("error_bound_ns")))
    x.gauge("clock_pinned", "1 when the clock mapping is pinned (not updated).",
            yes_no(d.get("pinned")))
    if d.get("error_estimate") is not None:
        x.gauge("clock_info",
                "The Error Estimate the reflector publishes in its test replies, "
                "as 16-bit hex (1).", 1, error_estimate=label(d.get("error_estimate")))


def do_flows(x, d):
    for row in table(x, "/twamp/flows", d, "flows"):
        labels = {k: label(row.get(k)) for k in ("lcore", "engine", "local", "remote", "vlan")}
        x.counter("flow_rx_packets_total",
                  "Test packets of a TWAMP-Light/STAMP flow (approximate).",
                  num(row.get("rx")), **labels)
        x.counter("flow_reflected_packets_total",
                  "Test packets of a TWAMP-Light/STAMP flow answered (approximate).",
                  num(row.get("reflected")), **labels)
        x.counter("flow_dropped_packets_total",
                  "Test packets of a TWAMP-Light/STAMP flow dropped (approximate).",
                  num(row.get("dropped")), **labels)


HANDLERS = {
    "/twamp/info": do_info,
    "/twamp/stats": do_stats,
    "/twamp/lcores": do_lcores,
    "/twamp/ports": do_ports,
    "/twamp/sessions": do_sessions,
    "/twamp/nat": do_nat,
    "/twamp/control": do_control,
    "/twamp/clock": do_clock,
    "/twamp/flows": do_flows,
}

UP_HELP = "1 when the reflector's telemetry socket answered /twamp/info, else 0."


def collect(path, timeout):
    """One scrape: (exposition text, error message or None)."""
    start = time.monotonic()
    x = Exposition()
    replies = {}
    error = None
    try:
        with Telemetry(path, timeout) as tel:
            for ep in ENDPOINTS:
                replies[ep] = tel.query(ep)
    except (OSError, ValueError) as e:
        error = f"{path}: {e}"
    if error is None and not isinstance(replies.get("/twamp/info"), dict):
        error = f"{path}: /twamp/info answered {replies.get('/twamp/info')!r}"
    if error is not None:
        x.gauge("up", UP_HELP, 0)
        return x.render(), error
    x.gauge("up", UP_HELP, 1)
    for ep in ENDPOINTS:
        x.gauge("telemetry_endpoint_ok",
                "1 when the telemetry endpoint answered an object, 0 when it answered null.",
                1 if isinstance(replies[ep], dict) else 0, endpoint=ep)
    for ep in ENDPOINTS:
        if isinstance(replies[ep], dict):
            HANDLERS[ep](x, replies[ep])
    x.gauge("scrape_duration_seconds", "Seconds this scrape of the telemetry socket took.",
            time.monotonic() - start)
    return x.render(), None


def runtime_dirs():
    """Where DPDK's EAL puts its runtime directory (eal_create_runtime_dir()):
    $RUNTIME_DIRECTORY, else /var/run for root, else $XDG_RUNTIME_DIR or /tmp.
    The reflector usually runs as root, so /var/run is tried first."""
    dirs = []
    if os.environ.get("RUNTIME_DIRECTORY"):
        dirs.append(os.environ["RUNTIME_DIRECTORY"])
    dirs.append("/var/run")
    dirs.append(os.environ.get("XDG_RUNTIME_DIR") or "/tmp")
    return dirs


def socket_path(args):
    if args.socket:
        return args.socket
    paths = [os.path.join(d, "dpdk", args.file_prefix, SOCKET_NAME) for d in runtime_dirs()]
    for p in paths:
        if os.path.exists(p):
            return p
    return paths[0]


def parse_listen(text):
    """ADDR:PORT, [V6ADDR]:PORT or :PORT (every address) -> (host, port, family)."""
    m = re.match(r"^\[([^\]]+)\]:(\d+)$", text) or re.match(r"^([^:]*):(\d+)$", text)
    if not m:
        raise argparse.ArgumentTypeError(f"not ADDR:PORT: {text!r}")
    host, port = m.group(1), int(m.group(2))
    if port > 65535:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return (host or "0.0.0.0"), port, family


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "twamp-exporter/1"
    timeout = 60  # idle keep-alive connections

    def _send(self, code, ctype, body, head=False):
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _get(self, head):
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            try:
                text, error = collect(socket_path(self.server.args), self.server.args.timeout)
            except Exception as e:  # a reply this exporter cannot render: say so
                self._send(500, "text/plain; charset=utf-8", f"exporter error: {e!r}\n", head)
                return
            self.server.note(error)
            self._send(200, CONTENT_TYPE, text, head)
        elif path == "/":
            self._send(200, "text/html; charset=utf-8",
                       "<html><head><title>twamp-reflector exporter</title></head><body>"
                       '<h1>twamp-reflector exporter</h1><p><a href="/metrics">Metrics</a>'
                       "</p></body></html>\n", head)
        else:
            self._send(404, "text/plain; charset=utf-8", "not found; see /metrics\n", head)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._get(False)

    def do_HEAD(self):  # noqa: N802
        self._get(True)

    def log_message(self, format, *args):  # noqa: A002 (the base class's signature)
        if self.server.args.verbose:
            sys.stderr.write(f"twamp-exporter: {self.address_string()} {format % args}\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, args, host, port, family):
        self.address_family = family
        self.args = args
        self.last_error = None
        super().__init__((host, port), Handler)

    def note(self, error):
        """Log a scrape's failure when it changes (not on every scrape)."""
        if error != self.last_error:
            if error is not None:
                sys.stderr.write(f"twamp-exporter: reflector down: {error}\n")
            elif self.last_error is not None:
                sys.stderr.write("twamp-exporter: reflector up\n")
            sys.stderr.flush()
            self.last_error = error


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Serve twamp-reflector's DPDK telemetry as Prometheus metrics.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--file-prefix", default=DEFAULT_PREFIX,
                     help="the reflector's EAL --file-prefix (default %(default)s); its "
                          "socket is <runtime dir>/dpdk/PREFIX/" + SOCKET_NAME)
    src.add_argument("--socket", metavar="PATH", help="the telemetry socket's path")
    p.add_argument("--listen", default=DEFAULT_LISTEN, type=parse_listen,
                   metavar="ADDR:PORT",
                   help="HTTP address (default %(default)s; [::1]:PORT for IPv6, "
                        ":PORT for every IPv4 address, port 0 for any free port)")
    p.add_argument("--once", action="store_true",
                   help="print one exposition on stdout and exit (textfile collectors)")
    p.add_argument("--timeout", type=float, default=2.0, metavar="SECONDS",
                   help="telemetry socket timeout per operation (default %(default)s)")
    p.add_argument("-v", "--verbose", action="store_true", help="log every HTTP request")
    args = p.parse_args(argv)
    if not args.timeout > 0:
        p.error("--timeout must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.once:
        text, error = collect(socket_path(args), args.timeout)
        if error is not None:
            sys.stderr.write(f"twamp-exporter: reflector down: {error}\n")
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    host, port, family = args.listen
    try:
        server = Server(args, host, port, family)
    except OSError as e:
        sys.stderr.write(f"twamp-exporter: cannot listen on {host}:{port}: {e}\n")
        return 1
    bound = server.server_address
    shown = f"[{bound[0]}]" if family == socket.AF_INET6 else bound[0]
    sys.stderr.write(f"twamp-exporter: listening on http://{shown}:{bound[1]}/metrics\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
