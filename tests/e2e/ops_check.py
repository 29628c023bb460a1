#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
"""Checks of e2e_ops.sh: the reflector's telemetry endpoints read with the
stock dpdk-telemetry.py, and the Prometheus exporter's exposition.

  telemetry --prefix P --pid N --full F.json --light L.json --stamp S.json
            --meson meson.build --reasons-header H --t0-ns NS
      case telemetry: every endpoint, values against the known traffic
      (one full TWAMP session of 100 packets still draining, 50 TWAMP-Light
      packets to 862, 40 STAMP packets to 863), bad parameters answer null;
      with --recheck, the session's last_rx_unix_ns read again once silent
      for longer than 2^64 / 1e9 TSC cycles (7.1 s at 2.6 GHz; its client
      ended at --full-end-ns) is the same.
  expect --prefix P ENDPOINT KEY=JSON...
      one endpoint's keys equal the JSON values given ("TABLE/COL" keys too).
  get --prefix P ENDPOINT KEY
      print one value (for the script's waits).
  cli-vs-tel --prefix P --transcript FILE [--ignore KEY] "COMMAND=ENDPOINT"...
      the last output of each CLI command in the transcript and the
      endpoint's answer: the same keys, in the same order, the same values,
      the same tables (columns and rows).
  prom --prefix P --exporter twamp-exporter.py --reasons-header H
       [--source-mismatch N]
      run the exporter once, parse the text exposition (format 0.0.4),
      check it against /twamp/stats and /twamp/nat read right after.

Every check prints "ok: ..." or "FAIL: ..."; exit status 1 when one failed,
2 on usage errors. Python 3 standard library only.
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

TELEMETRY = os.environ.get("DPDK_TELEMETRY", "dpdk-telemetry.py")
V4 = "198.18.0.2"
CLI = "198.18.0.1"
ENDPOINTS = ("/twamp/info", "/twamp/stats", "/twamp/lcores", "/twamp/ports",
             "/twamp/sessions", "/twamp/session", "/twamp/nat", "/twamp/control",
             "/twamp/clock", "/twamp/flows")


class Checker:
    def __init__(self):
        self.failed = 0

    def ok(self, what):
        print("ok: " + what)

    def fail(self, what):
        print("FAIL: " + what)
        self.failed += 1

    def group(self, name):
        return Group(self, name)


class Group:
    """Checks of one endpoint: a FAIL line per mismatch, one ok line if none."""

    def __init__(self, c, name):
        self.c, self.name, self.bad, self.shown = c, name, 0, []

    def expect(self, cond, what, show=None):
        if not cond:
            self.c.fail("%s: %s" % (self.name, what))
            self.bad += 1
        elif show:
            self.shown.append(show)
        return cond

    def eq(self, d, key, want):
        got = d.get(key, "<missing>") if isinstance(d, dict) else "<no dict>"
        return self.expect(got == want, "%s=%s, expected %s" % (key, js(got), js(want)),
                           "%s=%s" % (key, js(got)))

    def done(self):
        if self.bad == 0:
            self.c.ok("%s: %s" % (self.name, " ".join(self.shown) or "as expected"))


def js(v):
    return json.dumps(v, separators=(",", ":"))


def query(prefix, cmds):
    """Ask dpdk-telemetry.py the commands, in one connection -> [answer...]."""
    p = subprocess.run([TELEMETRY, "-f", prefix], input="".join(c + "\n" for c in cmds),
                       capture_output=True, text=True, timeout=30)
    answers = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            answers.append(json.loads(line))
        except ValueError:
            answers.append({"<unparsable>": line})
    if len(answers) != len(cmds):
        raise RuntimeError("%s -f %s: %d answers to %d commands (exit %d): %s %s" %
                           (TELEMETRY, prefix, len(answers), len(cmds), p.returncode,
                            p.stdout[-300:], p.stderr[-300:]))
    out = []
    for cmd, a in zip(cmds, answers):
        key = cmd.split(",")[0]
        if list(a) != [key]:
            raise RuntimeError("answer to %s is %s" % (cmd, js(a)[:200]))
        out.append(a[key])
    return out


def load_json(path):
    with open(path) as f:
        return json.load(f)


def load_reasons(header):
    """-> {name: "DROP"|"EXCEPTION"}, in order, from twr_dp_reasons.h."""
    with open(header) as f:
        text = f.read()
    return dict(re.findall(r'_\(\s*[A-Z0-9_]+\s*,\s*"([a-z0-9_]+)"\s*,\s*(DROP|EXCEPTION)\s*,',
                           text))


def meson_version(path):
    with open(path) as f:
        m = re.search(r"project\([^)]*?version:\s*'([^']+)'", f.read(), re.S)
    return m.group(1) if m else None


def cpuinfo_hz():
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"^cpu MHz\s*:\s*([0-9.]+)", f.read(), re.M)
        return float(m.group(1)) * 1e6 if m else None
    except OSError:
        return None


def rows(d, table):
    """A telemetry table -> [{col: value}], checking the columns' lengths."""
    n = d.get(table + "/rows")
    cols = {k.split("/", 1)[1]: v for k, v in d.items()
            if k.startswith(table + "/") and k != table + "/rows"}
    if not isinstance(n, int) or any(len(v) != n for v in cols.values()):
        raise RuntimeError("table %s: rows %r, column lengths %s" %
                           (table, n, {k: len(v) for k, v in cols.items()}))
    return [{k: v[i] for k, v in cols.items()} for i in range(n)]


# ---------------------------------------------------------------- telemetry


def cmd_telemetry(a):
    c = Checker()
    full, light, stamp = load_json(a.full), load_json(a.light), load_json(a.stamp)
    sess = (full.get("sessions") or [{}])[0]
    reasons = load_reasons(a.reasons_header)
    try:
        listing = query(a.prefix, ["/"])[0]
        names = ["/twamp/info", "/twamp/stats", "/twamp/lcores", "/twamp/ports",
                 "/twamp/sessions", "/twamp/nat", "/twamp/control", "/twamp/clock",
                 "/twamp/flows"]
        ans = dict(zip(names, query(a.prefix, names)))
        sid_id = None
        try:
            srows = rows(ans["/twamp/sessions"], "sessions")
            sid_id = srows[0]["id"] if len(srows) == 1 else None
        except (RuntimeError, KeyError):
            srows = None
        ids = [sid_id or 1]
        more = ["/twamp/session,%d" % ids[0], "/twamp/nat,%d" % ids[0], "/twamp/session,0",
                "/twamp/session,abc", "/twamp/session,999", "/twamp/session",
                "/twamp/nat,0", "/twamp/nat,abc", "/twamp/nat,999", "/twamp/session,-1",
                "/twamp/session,4294967296"]
        extra = dict(zip(more, query(a.prefix, more)))
        helps = query(a.prefix, ["/help," + e for e in ENDPOINTS])
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        c.fail("telemetry: %s" % e)
        return 1

    g = c.group("/ (the command list)")
    missing = [e for e in ENDPOINTS if e not in (listing or [])]
    g.expect(not missing, "endpoints not registered: %s" % missing,
             "%d /twamp endpoints registered" % len([x for x in listing if x.startswith("/twamp")]))
    nohelp = [e for e, h in zip(ENDPOINTS, helps)
              if not isinstance(h, dict) or not str(h.get(e, "")).strip()]
    g.expect(not nohelp, "no help text for %s" % nohelp, "each has a /help text")
    g.done()

    # /twamp/info
    d = ans["/twamp/info"]
    g = c.group("/twamp/info")
    g.eq(d, "version", meson_version(a.meson))
    g.eq(d, "pid", a.pid)
    now = time.time_ns()
    st = d.get("start_unix_ns", 0)
    g.expect(a.t0_ns <= st <= now, "start_unix_ns %r not within the case's run" % st)
    ago = (now - a.t0_ns) / 1e9
    g.expect(0 <= d.get("uptime_s", -1) <= ago + 1,
             "uptime_s %r, the case started %.1f s ago" % (d.get("uptime_s"), ago))
    for k, v in (("control", "on"), ("tap", "twr0"), ("vlan", 0), ("ports", 1), ("workers", 1),
                 ("main_lcore", 0), ("addresses/address", [V4 + "/24"]), ("addresses/rows", 1),
                 ("light_ports/port", [862, 863]), ("light_ports/engine", ["light", "stamp"]),
                 ("light_ports/stateful", [0, 1]), ("light_ports/allow", ["any", "any"]),
                 ("light_ports/rows", 2)):
        g.eq(d, k, v)
    g.expect(isinstance(d.get("modes"), int) and d["modes"] & 1,
             "modes %r lacks unauthenticated (1)" % d.get("modes"))
    g.done()

    # /twamp/stats
    d = ans["/twamp/stats"]
    g = c.group("/twamp/stats")
    sent = sum(x.get("sent", 0) for x in (full, light, stamp))
    g.expect(sent == 190, "the clients sent %d packets, expected 100 + 50 + 40" % sent)
    g.eq(d, "reflected", 190)
    missing = [r for r in reasons if r not in d]
    g.expect(not missing, "reasons missing: %s" % missing)
    drops = {r: d.get(r) for r, k in reasons.items() if k == "DROP" and d.get(r)}
    g.expect(not drops, "frames dropped: %s" % drops, "no frame dropped")
    excs = sum(d.get(r, 0) for r, k in reasons.items() if k == "EXCEPTION")
    g.expect(d.get("rx") == d.get("reflected", 0) + d.get("to_exception", 0),
             "rx %r != reflected %r + to_exception %r" %
             (d.get("rx"), d.get("reflected"), d.get("to_exception")),
             "rx=%r=reflected+to_exception" % d.get("rx"))
    g.expect(excs == d.get("to_exception"), "exception reasons sum %d != to_exception %r" %
             (excs, d.get("to_exception")))
    g.expect(d.get("exception_consumed") == d.get("to_exception"),
             "exception_consumed %r != to_exception %r" %
             (d.get("exception_consumed"), d.get("to_exception")))
    g.expect(d.get("not_udp", 0) > 0 and d.get("tap_tx", 0) > 0 and d.get("to_wire", 0) > 0,
             "TWAMP-Control through the TAP not counted: not_udp %r tap_tx %r to_wire %r" %
             (d.get("not_udp"), d.get("tap_tx"), d.get("to_wire")),
             "not_udp=%r tap_tx=%r to_wire=%r" % (d.get("not_udp"), d.get("tap_tx"),
                                                  d.get("to_wire")))
    g.done()
    stats = d

    # /twamp/lcores
    d = ans["/twamp/lcores"]
    g = c.group("/twamp/lcores")
    try:
        lr = rows(d, "lcores")
    except RuntimeError as e:
        lr = []
        g.expect(False, str(e))
    g.expect(len(lr) == 1, "rows %d, expected 1 (one worker)" % len(lr), "rows=1")
    for k in ("rx", "reflected", "to_exception"):
        s = sum(r.get(k, 0) for r in lr)
        g.expect(s == stats.get(k), "sum of %s %d != /twamp/stats %s %r" % (k, s, k, stats.get(k)),
                 "sum(%s)=%d" % (k, s))
    if lr:
        g.eq(lr[0], "lcore", 1)
        g.eq(lr[0], "dropped", 0)
        g.eq(lr[0], "flows", 2)
        g.eq(lr[0], "flows_created", 2)
        g.expect(lr[0].get("busy_cycles", 0) > 0 and lr[0].get("loops", 0) > 0,
                 "busy_cycles %r loops %r" % (lr[0].get("busy_cycles"), lr[0].get("loops")))
    g.done()

    # /twamp/ports
    d = ans["/twamp/ports"]
    g = c.group("/twamp/ports")
    try:
        pr = rows(d, "ports")
    except RuntimeError as e:
        pr = []
        g.expect(False, str(e))
    g.expect(len(pr) == 1, "rows %d, expected 1" % len(pr))
    if pr:
        p = pr[0]
        g.eq(p, "name", "net_af_packet0")
        g.expect(p.get("ipackets", 0) >= 190, "ipackets %r < 190" % p.get("ipackets"),
                 "ipackets=%r" % p.get("ipackets"))
        g.expect(p.get("ipackets") == stats.get("rx"),
                 "ipackets %r != the workers' rx %r" % (p.get("ipackets"), stats.get("rx")))
        want = stats.get("reflected", 0) + stats.get("to_wire", 0)
        g.expect(p.get("opackets") == want, "opackets %r != reflected + to_wire %d" %
                 (p.get("opackets"), want), "opackets=%r=reflected+to_wire" % p.get("opackets"))
        for k in ("imissed", "ierrors", "oerrors", "rx_nombuf"):
            g.eq(p, k, 0)
    g.done()

    # /twamp/sessions
    d = ans["/twamp/sessions"]
    g = c.group("/twamp/sessions")
    requested = "%s:%s" % (CLI, sess.get("sender_port"))
    receiver = "%s:%s" % (V4, sess.get("port"))
    g.expect(srows is not None and len(srows) == 1,
             "rows %r, expected 1" % (None if srows is None else len(srows)), "rows=1")
    if srows:
        r = srows[0]
        for k, v in (("sid", str(sess.get("sid", "")).lower()), ("state", "stopping"),
                     ("policy", "strict"), ("nat", "none"), ("receiver", receiver),
                     ("requested", requested), ("latched", "-"), ("rx", 100),
                     ("reflected", 100), ("dropped", 0)):
            g.eq(r, k, v)
    g.done()

    # /twamp/session,ID
    sid = sid_id or 1
    d = extra["/twamp/session,%d" % sid]
    g = c.group("/twamp/session,%d" % sid)
    g.expect(isinstance(d, dict), "answer %s" % js(d))
    if isinstance(d, dict):
        for k, v in (("id", sid), ("sid", str(sess.get("sid", "")).lower()),
                     ("control_peer", CLI), ("receiver", receiver), ("state", "stopping"),
                     ("stopped_by_operator", 0), ("modes", "0x1"),
                     ("padding_length", sess.get("size", 41) - 14), ("rx", 100),
                     ("reflected", 100), ("dropped", 0), ("next_seq", 100), ("policy", "strict"),
                     ("nat_state", "none"), ("cause", "none"), ("sender_not_peer", 0),
                     ("requested", requested), ("latched", "-"), ("mismatch_addr", 0),
                     ("mismatch_port", 0), ("mismatch_both", 0), ("latch_refused", 0),
                     ("latch_late", 0)):
            g.eq(d, k, v)
        lr_ns = d.get("last_rx_unix_ns", 0)
        g.expect(a.t0_ns <= lr_ns <= now, "last_rx_unix_ns %r not within the case's run" % lr_ns)
    g.done()

    # /twamp/nat, /twamp/nat,ID
    d = ans["/twamp/nat"]
    g = c.group("/twamp/nat")
    for k in ("sessions_mismatch", "mismatch_addr", "mismatch_port", "mismatch_both", "latched",
              "latch_refused", "latch_late", "sender_not_peer", "sessions/rows"):
        g.eq(d, k, 0)
    g.done()
    d = extra["/twamp/nat,%d" % sid]
    g = c.group("/twamp/nat,%d" % sid)
    g.expect(isinstance(d, dict), "answer %s" % js(d))
    if isinstance(d, dict):
        for k, v in (("id", sid), ("sid", str(sess.get("sid", "")).lower()), ("live", 1),
                     ("policy", "strict"), ("nat_state", "none"), ("requested", requested),
                     ("rx", 100), ("reflected", 100), ("mismatch_port", 0)):
            g.eq(d, k, v)
    g.done()

    # /twamp/control
    d = ans["/twamp/control"]
    g = c.group("/twamp/control")
    # bytes: Set-Up-Response 164 + Request-TW-Session 112 + Start-Sessions 32 +
    # Stop-Sessions 32 in; Server-Greeting 64 + Server-Start 48 + Accept-Session
    # 48 + Start-Ack 32 out.
    for k, v in (("control", "on"), ("listeners", 1), ("accepted", 1), ("refused", 0),
                 ("conns_opened", 1), ("conns_open", 0), ("closed", 1), ("closed_peer_closed", 1),
                 ("requests", 1), ("accepted_sessions", 1), ("sessions_added", 1),
                 ("sessions_started", 1), ("sessions_stopped", 1),
                 ("sessions_stopped_by_operator", 0), ("sessions_active", 1),
                 ("ports_in_use", 1), ("table_errors", 0), ("unknown_sid", 0),
                 ("bytes_in", 340), ("bytes_out", 192)):
        g.eq(d, k, v)
    g.eq(d, "connections/rows", 0)  # the client has closed its connection
    refused = {k: v for k, v in d.items() if k.startswith("refused_") and v}
    g.expect(not refused, "refusals counted: %s" % refused)
    g.done()

    # /twamp/clock
    d = ans["/twamp/clock"]
    g = c.group("/twamp/clock")
    hz, nom, cpu = d.get("tsc_hz", 0), d.get("tsc_hz_nominal", 0), cpuinfo_hz()
    near = [ref for ref in (nom, cpu) if ref and abs(hz - ref) <= ref / 100]
    g.expect(bool(near), "tsc_hz %r not within 1%% of tsc_hz_nominal %r nor /proc/cpuinfo %r" %
             (hz, nom, cpu), "tsc_hz=%r (nominal %r, cpuinfo %r)" % (hz, nom, cpu))
    ee = d.get("error_estimate", "")
    g.expect(bool(re.fullmatch(r"0x[0-9a-f]{4}", str(ee))), "error_estimate %r" % ee,
             "error_estimate=%s" % ee)
    seen = (((sess.get("reflector") or {}).get("error_estimate") or {}).get("raw") or "").lower()
    g.expect(seen == str(ee).lower(), "error_estimate %r, the replies carried %r" % (ee, seen),
             "as in the replies")
    g.expect(d.get("synchronized") in ("yes", "no"), "synchronized %r" % d.get("synchronized"))
    g.expect(d.get("updates", 0) >= 1, "updates %r" % d.get("updates"))
    for k in ("tsc_ppm", "realtime_ppm"):
        g.expect(bool(re.fullmatch(r"-?[0-9]+\.[0-9]{3}", str(d.get(k)))), "%s %r" % (k, d.get(k)))
    g.done()

    # /twamp/flows
    d = ans["/twamp/flows"]
    g = c.group("/twamp/flows")
    try:
        fr = rows(d, "flows")
    except RuntimeError as e:
        fr = []
        g.expect(False, str(e))
    got = sorted((r.get("engine"), r.get("local"), r.get("remote"), r.get("rx"),
                  r.get("reflected"), r.get("dropped"), r.get("lcore"), r.get("vlan")) for r in fr)
    want = sorted([("light", V4 + ":862", "%s:%s" % (CLI, (light.get("source") or {}).get("port")),
                    50, 50, 0, 1, 0),
                   ("stamp", V4 + ":863", "%s:%s" % (CLI, (stamp.get("source") or {}).get("port")),
                    40, 40, 0, 1, 0)])
    g.expect(got == want, "rows %s, expected %s" % (js(got), js(want)),
             "rows=2: " + ", ".join("%s %s rx=%s" % (x[0], x[2], x[3]) for x in got))
    g.done()

    # A past packet's time does not move: last_rx_unix_ns read again once
    # the session has been silent longer than 2^64 ns of TSC cycles / tsc_hz
    # (7.1 s at 2.6 GHz: an overflow there shifts it by that much).
    hz = ans["/twamp/clock"].get("tsc_hz") or 0
    if a.recheck and hz > 0 and isinstance(extra["/twamp/session,%d" % sid], dict):
        first = extra["/twamp/session,%d" % sid].get("last_rx_unix_ns", 0)
        g = c.group("/twamp/session,%d again" % sid)
        wait_s = min(2 ** 64 / 1e9 / hz + 1, 25.0)
        time.sleep(max(0.0, (a.full_end_ns + wait_s * 1e9 - time.time_ns()) / 1e9))
        try:
            again = query(a.prefix, ["/twamp/session,%d" % sid])[0] or {}
        except (RuntimeError, subprocess.SubprocessError, OSError) as e:
            again = {}
            g.expect(False, str(e))
        t = again.get("last_rx_unix_ns", 0)
        silent = (time.time_ns() - a.full_end_ns) / 1e9
        g.expect(abs(t - first) <= 1000000 and t <= a.full_end_ns,
                 "last_rx_unix_ns %r after %.1f s without packets, %r before; the client's "
                 "last packet was before %r (moved by %.3f s)" %
                 (t, silent, first, a.full_end_ns, (t - first) / 1e9),
                 "last_rx_unix_ns unchanged after %.1f s without packets" % silent)
        g.done()

    # bad parameters
    g = c.group("bad parameters")
    for q in ("/twamp/session,0", "/twamp/session,abc", "/twamp/session,999", "/twamp/session",
              "/twamp/nat,0", "/twamp/nat,abc", "/twamp/nat,999", "/twamp/session,-1",
              "/twamp/session,4294967296"):
        g.expect(extra[q] is None, "%s answered %s, expected null" % (q, js(extra[q])[:120]))
    if g.bad == 0:
        g.shown.append("9 queries answered null")
    g.done()
    return 1 if c.failed else 0


# ---------------------------------------------------------------- expect, get


def cmd_expect(a):
    c = Checker()
    try:
        d = query(a.prefix, [a.endpoint])[0]
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        c.fail("%s: %s" % (a.endpoint, e))
        return 1
    g = c.group(a.endpoint)
    g.expect(isinstance(d, dict), "answer %s" % js(d))
    if isinstance(d, dict):
        for kv in a.pairs:
            k, _, v = kv.partition("=")
            try:
                want = json.loads(v)
            except ValueError:
                want = v
            g.eq(d, k, want)
    g.done()
    return 1 if c.failed else 0


def cmd_get(a):
    try:
        d = query(a.prefix, [a.endpoint])[0]
    except (RuntimeError, subprocess.SubprocessError, OSError):
        return 1
    v = d.get(a.key) if isinstance(d, dict) else None
    print(js(v) if isinstance(v, (list, dict)) or v is None else v)
    return 0


# ---------------------------------------------------------------- cli-vs-tel


def cli_block(path, command):
    """The output of the last COMMAND of a CLI transcript (-i), as lines."""
    with open(path, errors="replace") as f:
        lines = [ln.rstrip("\n").rstrip("\r") for ln in f]
    starts = [i for i, ln in enumerate(lines) if ln == "twamp> " + command]
    if not starts:
        return None
    out = []
    for ln in lines[starts[-1] + 1:]:
        if ln.startswith("twamp> "):
            break
        out.append(ln)
    return out


def parse_cli(lines):
    """CLI report lines -> (scalars {key: text}, tables {name: (cols, rows)})."""
    scalars, tables, cur = {}, {}, None
    for ln in lines:
        m = re.fullmatch(r"([a-z_]+):", ln)
        if m:
            cur = tables[m.group(1)] = [None, []]
            continue
        if cur is None:
            m = re.fullmatch(r"  ([a-z0-9_]+) +(.*)", ln)
            if m:
                scalars[m.group(1)] = m.group(2)
            continue
        if cur[0] is None:
            cur[0] = ln.split()
        elif ln.strip() != "(none)":
            cur[1].append(ln.split(None, len(cur[0]) - 1))
    return scalars, {k: (v[0], v[1]) for k, v in tables.items()}


def cmd_cli_vs_tel(a):
    """Telemetry and the CLI print the same keys with the same values."""
    c = Checker()
    try:
        answers = query(a.prefix, [ep for _, ep in a.pairs])
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        c.fail("telemetry: %s" % e)
        return 1
    for (command, ep), d in zip(a.pairs, answers):
        g = c.group('"%s" = %s' % (command, ep))
        lines = cli_block(a.transcript, command)
        if not g.expect(lines is not None, "no \"%s\" in the transcript" % command) or \
                not g.expect(isinstance(d, dict), "telemetry answered %s" % js(d)):
            g.done()
            continue
        scalars, tables = parse_cli(lines)
        tel_scalars = {k: v for k, v in d.items() if "/" not in k}
        g.expect(list(scalars) == list(tel_scalars),
                 "keys differ: CLI only %s, telemetry only %s, or in another order" %
                 ([k for k in scalars if k not in tel_scalars],
                  [k for k in tel_scalars if k not in scalars]))
        diff = ["%s: CLI %r, telemetry %s" % (k, v, js(tel_scalars[k]))
                for k, v in scalars.items()
                if k in tel_scalars and k not in a.ignore and v != str(tel_scalars[k])]
        g.expect(not diff, "values differ: " + "; ".join(diff[:5]))
        names = [k[:-5] for k in d if k.endswith("/rows")]
        g.expect(sorted(names) == sorted(tables), "tables: CLI %s, telemetry %s" %
                 (sorted(tables), sorted(names)))
        for t in names:
            if t not in tables:
                continue
            cols = [k.split("/", 1)[1] for k in d if k.startswith(t + "/") and k != t + "/rows"]
            ccols, crows = tables[t]
            g.expect(ccols == cols, "table %s: CLI columns %s, telemetry %s" % (t, ccols, cols))
            trows = [[str(d[t + "/" + col][i]) for col in cols] for i in range(d[t + "/rows"])]
            skip = [i for i, col in enumerate(cols) if col in a.ignore]
            for r in crows + trows:
                for i in skip:
                    if i < len(r):
                        r[i] = "*"
            g.expect(crows == trows, "table %s: CLI rows %s, telemetry %s" %
                     (t, js(crows)[:200], js(trows)[:200]))
        if g.bad == 0:
            g.shown.append("%d keys, %d table(s), same values" % (len(scalars), len(tables)))
        g.done()
    return 1 if c.failed else 0


# ---------------------------------------------------------------- prom

NAME_RE = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE_RE = re.compile(r"(%s)(\{(.*)\})? (\S+)( -?[0-9]+)?$" % NAME_RE)
LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"\s*(,|$)')


def parse_labels(s):
    out, pos = {}, 0
    while pos < len(s):
        m = LABEL_RE.match(s, pos)
        if not m or m.end() == pos:
            raise ValueError("labels {%s}" % s)
        if m.group(1) in out:
            raise ValueError("label %s twice" % m.group(1))
        out[m.group(1)] = m.group(2)
        pos = m.end()
    return out


def parse_exposition(text):
    """-> (families {name: {"type", "help", "samples": [(name, labels, value)]}},
    problems): the text format 0.0.4, strictly."""
    fam, problems, seen = {}, [], set()
    current = None
    if not text.endswith("\n"):
        problems.append("exposition does not end with a newline")
    for n, line in enumerate(text.splitlines(), 1):
        if line == "":
            continue
        if line.startswith("#"):
            m = re.match(r"# (HELP|TYPE) (%s) ?(.*)$" % NAME_RE, line)
            if not m:
                if re.match(r"#\s*(HELP|TYPE)", line):
                    problems.append("line %d: bad %s" % (n, line[:80]))
                continue
            kind, name, rest = m.groups()
            f = fam.setdefault(name, {"type": None, "help": None, "samples": []})
            key = "help" if kind == "HELP" else "type"
            if f[key] is not None:
                problems.append("line %d: second %s for %s" % (n, kind, name))
            if f["samples"]:
                problems.append("line %d: %s for %s after its samples" % (n, kind, name))
            if kind == "TYPE" and rest not in ("counter", "gauge", "histogram", "summary",
                                               "untyped"):
                problems.append("line %d: type %r" % (n, rest))
            f[key] = rest
            current = name
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            problems.append("line %d: not a sample: %s" % (n, line[:100]))
            continue
        name, _, labels, value = m.group(1), m.group(2), m.group(3), m.group(4)
        base = name
        if base not in fam:
            for suf in ("_bucket", "_sum", "_count"):
                if name.endswith(suf) and name[:-len(suf)] in fam:
                    base = name[:-len(suf)]
        if base not in fam or fam[base]["type"] is None:
            problems.append("line %d: sample %s without a TYPE line" % (n, name))
            fam.setdefault(base, {"type": None, "help": None, "samples": []})
        elif base != current:
            problems.append("line %d: sample of %s away from its family's block" % (n, name))
        try:
            lab = parse_labels(labels or "")
        except ValueError as e:
            problems.append("line %d: %s" % (n, e))
            lab = {}
        try:
            v = float(value)
        except ValueError:
            problems.append("line %d: value %r" % (n, value))
            continue
        ident = (name, tuple(sorted(lab.items())))
        if ident in seen:
            problems.append("line %d: series %s%s twice" % (n, name, labels and "{%s}" % labels))
        seen.add(ident)
        if fam[base]["type"] == "counter" and (v < 0 or math.isnan(v)):
            problems.append("line %d: counter %s = %s" % (n, name, value))
        fam[base]["samples"].append((name, lab, v))
    for name, f in fam.items():
        if f["help"] is None:
            problems.append("%s has no HELP" % name)
    return fam, problems


def sample(fam, name, **labels):
    for n, lab, v in (fam.get(name) or {}).get("samples", []):
        if n == name and all(lab.get(k) == w for k, w in labels.items()):
            return v
    return None


def cmd_prom(a):
    c = Checker()
    p = subprocess.run([sys.executable, a.exporter, "--once", "--file-prefix", a.prefix],
                       capture_output=True, text=True, timeout=30)
    with open(a.out, "w") as f:
        f.write(p.stdout)
    try:
        stats, nat = query(a.prefix, ["/twamp/stats", "/twamp/nat"])
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        c.fail("telemetry: %s" % e)
        return 1
    g = c.group("exporter --once")
    g.expect(p.returncode == 0, "exit status %d: %s" % (p.returncode, p.stderr[-300:]),
             "exit 0")
    fam, problems = parse_exposition(p.stdout)
    nsamples = sum(len(f["samples"]) for f in fam.values())
    g.expect(not problems, "exposition: " + "; ".join(problems[:10]),
             "%d families, %d samples, every one with HELP and TYPE" % (len(fam), nsamples))
    g.done()

    g = c.group("metrics")
    up = sample(fam, "twamp_reflector_up")
    g.expect(up == 1, "twamp_reflector_up %r, expected 1" % up, "twamp_reflector_up=1")
    refl = sample(fam, "twamp_reflector_reflected_packets_total")
    g.expect(refl is not None and refl == stats.get("reflected"),
             "twamp_reflector_reflected_packets_total %r != /twamp/stats reflected %r" %
             (refl, stats.get("reflected")), "reflected_packets_total=%r (= /twamp/stats)" % refl)
    g.expect((fam.get("twamp_reflector_reflected_packets_total") or {}).get("type") == "counter",
             "reflected_packets_total is not a counter")
    reasons = load_reasons(a.reasons_header)
    per = {}
    for n, lab, v in (fam.get("twamp_reflector_not_reflected_packets_total") or {}).get(
            "samples", []):
        per[lab.get("reason")] = (lab.get("kind"), v)
    missing = [r for r in reasons if r not in per]
    g.expect(not missing, "no not_reflected_packets_total series for %s" % missing,
             "a not_reflected_packets_total series per reason (%d)" % len(per))
    wrong = ["%s %s=%r (kind %s), /twamp/stats %r" % (r, k, v, reasons.get(r), stats.get(r))
             for r, (k, v) in per.items()
             if r in reasons and (v != stats.get(r) or k != reasons[r].lower())]
    g.expect(not wrong, "per-reason series differ: " + "; ".join(wrong[:5]),
             "each equal to /twamp/stats with its kind")
    sm = per.get("source_mismatch", (None, None))[1]
    g.expect(sm is not None and (a.source_mismatch is None or sm == a.source_mismatch),
             "source_mismatch series %r, expected %r" % (sm, a.source_mismatch),
             "not_reflected_packets_total{reason=\"source_mismatch\"}=%r" % sm)
    g.done()

    g = c.group("metrics (NAT)")
    v = sample(fam, "twamp_reflector_nat_mismatch_sessions_total")
    g.expect(v == nat.get("sessions_mismatch"), "nat_mismatch_sessions_total %r != /twamp/nat "
             "sessions_mismatch %r" % (v, nat.get("sessions_mismatch")),
             "nat_mismatch_sessions_total=%r" % v)
    # one series per kind of mismatch, whatever the label's name
    kinds = {"".join(v for v in lab.values() if v in ("addr", "port", "both")): val
             for n, lab, val in
             (fam.get("twamp_reflector_nat_mismatch_packets_total") or {}).get("samples", [])}
    want = {k: nat.get("mismatch_" + k) for k in ("addr", "port", "both")}
    g.expect(kinds == want, "nat_mismatch_packets_total %r, /twamp/nat %r" % (kinds, want),
             "nat_mismatch_packets_total=%s" % js(kinds))
    g.done()

    # A prefix with no reflector: twamp_reflector_up 0, alone, exit 0.
    p = subprocess.run([sys.executable, a.exporter, "--once", "--file-prefix",
                        a.prefix + "-none", "--timeout", "1"],
                       capture_output=True, text=True, timeout=30)
    fam, problems = parse_exposition(p.stdout)
    g = c.group("exporter --once, no reflector")
    g.expect(p.returncode == 0, "exit status %d" % p.returncode, "exit 0")
    g.expect(not problems, "exposition: " + "; ".join(problems[:5]))
    g.expect(sample(fam, "twamp_reflector_up") == 0 and
             [n for n, f in fam.items() if f["samples"]] == ["twamp_reflector_up"],
             "expected twamp_reflector_up 0 alone, got: %s" % p.stdout[:200].replace("\n", " | "),
             "twamp_reflector_up 0 alone")
    g.done()
    return 1 if c.failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("telemetry")
    t.add_argument("--prefix", required=True)
    t.add_argument("--pid", type=int, required=True)
    t.add_argument("--full", required=True)
    t.add_argument("--light", required=True)
    t.add_argument("--stamp", required=True)
    t.add_argument("--meson", required=True)
    t.add_argument("--reasons-header", required=True)
    t.add_argument("--t0-ns", type=int, required=True)
    t.add_argument("--full-end-ns", type=int, default=0,
                   help="when the full session's client ended")
    t.add_argument("--recheck", action="store_true",
                   help="read the session again 2^64 ns-cycles / tsc_hz + 1 s "
                   "(at most 25 s) after --full-end-ns")
    e = sub.add_parser("expect")
    e.add_argument("--prefix", required=True)
    e.add_argument("endpoint")
    e.add_argument("pairs", nargs="+")
    q = sub.add_parser("get")
    q.add_argument("--prefix", required=True)
    q.add_argument("endpoint")
    q.add_argument("key")
    v = sub.add_parser("cli-vs-tel")
    v.add_argument("--prefix", required=True)
    v.add_argument("--transcript", required=True)
    v.add_argument("--ignore", action="append", default=[],
                   help="a key or column whose value may differ between the two reads")
    v.add_argument("pairs", nargs="+", metavar="COMMAND=ENDPOINT",
                   type=lambda x: tuple(x.split("=", 1)))
    p = sub.add_parser("prom")
    p.add_argument("--prefix", required=True)
    p.add_argument("--exporter", required=True)
    p.add_argument("--reasons-header", required=True)
    p.add_argument("--out", required=True, help="where to keep the exposition")
    p.add_argument("--source-mismatch", type=int)
    a = ap.parse_args()
    return {"telemetry": cmd_telemetry, "expect": cmd_expect, "get": cmd_get,
            "cli-vs-tel": cmd_cli_vs_tel, "prom": cmd_prom}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
