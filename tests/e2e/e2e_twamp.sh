#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# End to end, full TWAMP: twamp-ping --mode full (TWAMP-Control client and
# Session-Sender) in the client namespace of tools/testbed negotiates over
# TCP 862 with the reflector's TWAMP-Control server, reached through the
# reflector's TAP (the client resolves the reflector with ARP/ND through
# it: netns-up.sh --no-neigh), and its test packets are reflected by the
# DPDK worker. Each case gets its own test bed and reflector.
#
# Cases:
#   v4          10,000 packets at 10 kpps, 0 loss; a capture of a whole
#               conversation decodes in tshark (TWAMP-Control, no malformed
#               field); the data plane's FINAL line (reflected == sent) and
#               the control counters (FINAL-CONTROL).
#   v6-zero     IPv6, Sender/Receiver Address 0 (twping -Z), RFC 5938
#               Start-N/Stop-N (--individual), 2 sessions, 0 loss.
#   concurrent  3 control connections at once, 2 sessions each, 0 loss.
#   killed      a client killed mid-session: its sessions are removed at
#               once (removed_peer_closed) and counted.
#   refwait     --refwait 2: a session with no packet for 2 s is removed
#               (removed_refwait), later packets are not reflected, and the
#               client's Stop-Sessions (which still counts it) is accepted.
#   refusals    per-source connection limit (Server-Greeting Modes 0),
#               session limit (Accept 5), busy Receiver Port (alternate,
#               Accept 0), unsupported mode (Server-Start Accept 1) and
#               request (Accept 3), each counted.
#   interop     digest §8, with a crafted client: twping's Receiver Port
#               request (its own port) honoured with --any-requested-port,
#               for clients that ignore the Accept-Session port; zero
#               addresses; 14-octet sender packets answered with 41.
#
# usage: e2e_twamp.sh TWAMP_REFLECTOR TWAMP_PING [CASE...]
# Exit 0 all passed, 1 a failure, 77 skipped (not root, no `ip netns`, no TUN).
# E2E_KEEP=1 keeps the logs directory (it is kept on failure anyway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=e2e_lib.sh source-path=SCRIPTDIR
. "$here/e2e_lib.sh"
e2e_args "v4 v6-zero concurrent killed refwait refusals interop" "$@"
e2e_require "network namespaces, af_packet, TAP" tun python3 ethtool
e2e_workdir e2e-twamp
have_tcpdump=0
command -v tcpdump >/dev/null && command -v tshark >/dev/null && have_tcpdump=1
bed_opts=(--no-neigh)

# What reaches the kernel through the TAP: ARP (not_ip), TCP and ICMP
# (not_udp), IPv6 ND/MLD to multicast (not_for_us).
EXC_REASONS="not_ip,not_udp,not_for_us"

# refl_start NAME [reflector options]: one worker on net_af_packet, control
# counters every 0.5 s (STATS-CONTROL). Sets REFL_PID REFL_LOG REFL_PREFIX.
refl_start() {
	local name=$1
	shift
	e2e_refl_start "$name" "$AFP" "$ONE_WORKER" --stats-period 0.5 "$@"
}

# ctl_expect NAME OP VALUE: a FINAL-CONTROL counter (OP: -eq or -ge).
ctl_expect() {
	counter_expect FINAL-CONTROL "$@"
}

# ctl_wait NAME VALUE: wait (10 s) until the STATS-CONTROL counter NAME is VALUE.
ctl_wait() {
	local v
	for _ in $(seq 100); do
		v=$(counter_get STATS-CONTROL "$1")
		[ "$v" = "$2" ] && { note_ok "STATS-CONTROL $1=$v"; return 0; }
		sleep 0.1
	done
	note_fail "STATS-CONTROL $1=${v:-missing}, waited for $2"
	return 1
}

# twping_check LABEL SESSIONS COUNT: every session accepted and run, COUNT
# packets each, all answered, no loss, duplicate or reordering.
twping_check() {
	local out
	if out=$(python3 - "$work/$1.json" "$2" "$3" <<'EOF'
import json, sys
path, nsess, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
bad = []
try:
    d = json.load(open(path))
except (OSError, ValueError) as e:
    print("report unreadable: %s" % e); sys.exit(1)
c = d.get("control") or {}
if c.get("sessions_accepted") != nsess:
    bad.append("sessions_accepted %r, expected %d" % (c.get("sessions_accepted"), nsess))
for s in d.get("sessions") or []:
    if s.get("status") != "ran" or s.get("sent") != count or s.get("received") != count:
        bad.append("session %r: status %r sent %r received %r" %
                   (s.get("index"), s.get("status"), s.get("sent"), s.get("received")))
n = nsess * count
for k, want in (("sent", n), ("received", n), ("lost", 0), ("duplicates", 0),
                ("out_of_order", 0), ("malformed", 0), ("icmp_errors", 0)):
    if d.get(k) != want:
        bad.append("%s %r, expected %d" % (k, d.get(k), want))
for t in ("reply_ttl", "sender_ttl"):
    v = d.get(t) or {}
    if v.get("min") != 255 or v.get("max") != 255:
        bad.append("%s %r" % (t, v))
print("%d session(s), %s/%s answered, rtt median %.3f ms%s" % (
    len(d.get("sessions") or []), d.get("received"), d.get("sent"),
    ((d.get("rtt_ns") or {}).get("median") or 0) / 1e6,
    "" if not bad else ": " + "; ".join(bad)))
sys.exit(1 if bad else 0)
EOF
	); then
		note_ok "$1: $out"
	else
		note_fail "$1: $out (twamp-ping exit $TWP_RC: $(head -c 300 "$work/$1.stderr"))"
	fi
}

# final_check: the data plane's FINAL line, reflected == SENT_TOTAL.
final_check() {
	$check final --log "$REFL_LOG" --reflected "$SENT_TOTAL" --allow "$EXC_REASONS${1:+,$1}" \
		--reasons-header "$reasons_h" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# The crafted client (digest §8 and refusal paths): python3, standard library.
cat >"$work/client.py" <<'EOF'
import socket, struct, sys, time

def recv_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise EOFError("EOF after %d of %d octets" % (len(b), n))
        b += c
    return b

def connect(addr, mode):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.create_connection((addr, 862), timeout=5)
    g = recv_exact(s, 64)
    modes = struct.unpack("!I", g[12:16])[0]
    s.sendall(struct.pack("!I", mode) + bytes(160))
    st = recv_exact(s, 48)
    return s, fam, modes, st[15]

def request(s, ipvn, sender_port, receiver_port, conf_sender=0):
    m = bytearray(112)
    m[0], m[1], m[2] = 5, ipvn, conf_sender
    struct.pack_into("!HH", m, 12, sender_port, receiver_port)
    struct.pack_into("!I", m, 64, 27)                  # Padding Length
    struct.pack_into("!Q", m, 76, 2 << 32)             # Timeout 2 s
    s.sendall(bytes(m))
    a = recv_exact(s, 48)
    return a[0], struct.unpack("!H", a[2:4])[0]

def main():
    cmd, addr = sys.argv[1], sys.argv[2]
    if cmd == "bad-mode":
        # Mode 2 (authenticated) is not offered: Server-Start Accept 1, then close.
        s, _, modes, acc = connect(addr, 2)
        eof = s.recv(1) == b""
        print("modes 0x%x, Server-Start Accept %d, then %s" %
              (modes, acc, "EOF" if eof else "data"))
        return 0 if acc == 1 and eof else 1
    if cmd == "conf-sender":
        s, fam, _, acc = connect(addr, 1)
        a, port = request(s, 4 if fam == socket.AF_INET else 6, 40000, 0, conf_sender=1)
        print("Conf-Sender 1: Accept %d, Port %d" % (a, port))
        return 0 if a == 3 and port == 0 else 1
    if cmd == "own-port":
        # twping: Receiver Port = its own test port, zero addresses; then send to the
        # port it asked for whatever the answer (clients that ignore it), 14-octet packets.
        s, fam, _, acc = connect(addr, 1)
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind(("", 0))
        u.settimeout(2)
        port = u.getsockname()[1]
        a, granted = request(s, 4 if fam == socket.AF_INET else 6, port, port)
        s.sendall(bytes([2]) + bytes(31))                  # Start-Sessions
        ack = recv_exact(s, 32)
        got = 0
        for seq in range(10):
            u.sendto(struct.pack("!IQH", seq, 0, 0x0001), (addr, port))
            try:
                r, src = u.recvfrom(2048)
                if src[1] == port and len(r) == 41 and struct.unpack("!I", r[24:28])[0] == seq:
                    got += 1
            except socket.timeout:
                pass
        s.sendall(bytes([3, 0, 0, 0]) + struct.pack("!I", 1) + bytes(24))  # Stop-Sessions
        time.sleep(0.2)
        s.close()
        print("asked for port %d: Accept %d port %d; Start-Ack %d; %d/10 14-octet packets "
              "answered with 41 octets from that port" % (port, a, granted, ack[0], got))
        return 0 if a == 0 and granted == port and ack[0] == 0 and got == 10 else 1
    return 2

sys.exit(main())
EOF

client() {
	local label=$1 out
	shift
	if out=$(ip netns exec "$CLI_NS" python3 "$work/client.py" "$@" 2>&1); then
		note_ok "$label: $out"
	else
		note_fail "$label: $out"
	fi
}

# A whole conversation captured on the client's veth end decodes as
# TWAMP-Control, every message, no malformed field.
capture_start() {
	CAP_FILE="$work/$1.pcap"
	ip netns exec "$CLI_NS" tcpdump -i cli0 -n -U -Z root -w "$CAP_FILE" tcp port 862 \
		>"$work/$1.tcpdump.log" 2>&1 &
	CAP_PID=$!
	pids+=("$CAP_PID")
	for _ in $(seq 50); do
		grep -qs 'listening on' "$work/$1.tcpdump.log" && return 0
		sleep 0.1
	done
	note_fail "tcpdump did not start"
}

capture_check() {
	local msgs malformed
	# tcpdump may lag behind on a loaded machine: wait (at most ~5 s) until
	# the file holds the whole conversation, Stop-Sessions included.
	for _ in $(seq 10); do
		msgs=$(tshark -r "$CAP_FILE" -Y twamp.control -T fields -e frame.number 2>/dev/null |
			wc -l)
		[ "$msgs" -ge 8 ] && break
		sleep 0.5
	done
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	forget_pid "$CAP_PID"
	msgs=$(tshark -r "$CAP_FILE" -Y twamp.control -T fields -e frame.number 2>/dev/null | wc -l)
	malformed=$(tshark -r "$CAP_FILE" -Y '_ws.malformed || _ws.expert.severity >= error' \
		2>/dev/null | wc -l)
	# greeting, set-up, server-start, request, accept, start, ack, stop: 8 at least
	if [ "$msgs" -ge 8 ] && [ "$malformed" -eq 0 ]; then
		note_ok "tshark: $msgs TWAMP-Control frames, none malformed"
	else
		note_fail "tshark: $msgs TWAMP-Control frames, $malformed malformed or in error"
		tshark -r "$CAP_FILE" 2>&1 | head -20 | sed 's/^/    | /'
	fi
}

case_v4() {
	case_begin v4 "IPv4, one session, 10,000 packets at 10 kpps, tshark decode"
	bed_up v4 || { note_fail "test bed"; case_end v4; return; }
	if refl_start v4 --address $V4/24; then
		if [ "$have_tcpdump" = 1 ]; then
			capture_start v4-conversation
			twping v4-captured 20 0.01 -4 $V4
			twping_check v4-captured 1 20
			capture_check
		fi
		twping v4-10k 10000 0.0001 -4 $V4
		twping_check v4-10k 1 10000
		sleep 2.5 # the sessions' Timeout after Stop-Sessions
		refl_stop
		final_check
		ctl_expect sessions_active -eq 0
		ctl_expect closed_peer_closed -ge 1
		ctl_expect refused -eq 0
		ctl_expect table_errors -eq 0
	else
		note_fail "reflector start"
	fi
	bed_down v4
	case_end v4
}

case_v6_zero() {
	case_begin v6-zero "IPv6, zero addresses (-Z), Start-N/Stop-N, 2 sessions"
	bed_up v6 --ipv6 || { note_fail "test bed"; case_end v6-zero; return; }
	if refl_start v6 --address $V4/24 --address $V6/64; then
		twping v6-zero 5000 0.0002 -6 -Z --individual --sessions 2 $V6
		twping_check v6-zero 2 5000
		[ "$(json_get v6-zero individual)" = true ] || note_fail "Start-N/Stop-N not used"
		refl_stop
		final_check
		ctl_expect sessions_started -eq 2
	else
		note_fail "reflector start"
	fi
	bed_down v6
	case_end v6-zero
}

case_concurrent() {
	local i p ps=() opt
	case_begin concurrent "3 control connections at once, 2 sessions each"
	bed_up cc || { note_fail "test bed"; case_end concurrent; return; }
	if refl_start cc --address $V4/24; then
		for i in 1 2 3; do
			opt=--sessions=2
			[ $i = 2 ] && opt=--individual # one connection with RFC 5938
			ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode full -c 3000 \
				-i 0.0005 --json --sessions 2 "$opt" $V4 \
				>"$work/cc-$i.json" 2>"$work/cc-$i.stderr" &
			ps+=($!)
			pids+=($!)
		done
		for i in 1 2 3; do
			p=${ps[$((i - 1))]}
			wait "$p"
			TWP_RC=$?
			forget_pid "$p"
			SENT_TOTAL=$((SENT_TOTAL + $(json_get "cc-$i" sent 0)))
			twping_check "cc-$i" 2 3000
		done
		refl_stop
		final_check
		ctl_expect conns_opened -eq 3
		ctl_expect sessions_started -eq 6
	else
		note_fail "reflector start"
	fi
	bed_down cc
	case_end concurrent
}

case_killed() {
	local p
	case_begin killed "a control connection killed mid-session"
	bed_up kl || { note_fail "test bed"; case_end killed; return; }
	if refl_start kl --address $V4/24; then
		ip netns exec "$CLI_NS" "$ping_bin" --mode full -c 1000000 -i 0.001 -q --sessions 2 \
			$V4 >"$work/killed.out" 2>&1 &
		p=$!
		pids+=("$p")
		ctl_wait sessions_started 2
		sleep 1
		kill -KILL "$p"
		wait "$p" 2>/dev/null
		forget_pid "$p"
		ctl_wait sessions_active 0
		refl_stop
		ctl_expect removed_peer_closed -eq 2
		ctl_expect closed_peer_closed -eq 1
		ctl_expect sessions_stopped -eq 0
		if grep -q "closed: control connection closed by peer" "$REFL_LOG"; then
			note_ok "log: $(grep -m1 'closed: control connection' "$REFL_LOG")"
		else
			note_fail "no close line in the log"
		fi
	else
		note_fail "reflector start"
	fi
	bed_down kl
	case_end killed
}

case_refwait() {
	case_begin refwait "--refwait 2: a silent session is removed"
	bed_up rw || { note_fail "test bed"; case_end refwait; return; }
	if refl_start rw --address $V4/24 --refwait 2; then
		# packets at 0, 3.5 and 7 s after the start: the 2nd and 3rd after REFWAIT
		twping rw 3 3.5 -4 -W 1 $V4
		if [ "$(json_get rw received)" = 1 ] && [ "$TWP_RC" = 1 ]; then
			note_ok "1 of 3 answered: the session ended after 2 s without a packet"
		else
			note_fail "received $(json_get rw received) of 3, twamp-ping exit $TWP_RC"
		fi
		refl_stop
		ctl_expect removed_refwait -eq 1
		ctl_expect closed_peer_closed -eq 1
		ctl_expect closed_stop_count_mismatch -eq 0
		SENT_TOTAL=1
		final_check unknown_session
	else
		note_fail "reflector start"
	fi
	bed_down rw
	case_end refwait
}

case_refusals() {
	local p v
	case_begin refusals "connection and session limits, busy port, unsupported mode"
	bed_up rf || { note_fail "test bed"; case_end refusals; return; }
	if refl_start rf --address $V4/24 --max-connections-per-source 1 \
		--max-control-sessions 2 --test-ports 20000-20003; then
		ip netns exec "$CLI_NS" "$ping_bin" --mode full -c 3000 -i 0.001 -q $V4 \
			>"$work/rf-first.out" 2>&1 &
		p=$!
		pids+=("$p")
		ctl_wait conns_open 1
		twping rf-second 1 0.1 -4 $V4
		if [ "$TWP_RC" = 2 ]; then
			note_ok "second connection from the same source refused (exit 2:" \
				"$(head -c 120 "$work/rf-second.stderr" | tr '\n' ' '))"
		else
			note_fail "second connection: twamp-ping exit $TWP_RC"
		fi
		wait "$p"
		forget_pid "$p"
		ctl_wait conns_open 0
		ctl_wait sessions_active 0 # its Timeout after Stop-Sessions
		# 3 sessions asked for the same port: 20000, an alternate, then the session limit
		twping rf-three 5 0.01 -4 --sessions 3 --receiver-port 20000 $V4
		v=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(" ".join("%s/%s" % (s.get("accept"), s.get("port") or 0) for s in d["sessions"]))' \
			"$work/rf-three.json" 2>/dev/null)
		case "$v" in
		"0/20000 0/2000"[1-3]" 5/0") note_ok "Accept/Port of the 3 requests: $v" ;;
		*) note_fail "Accept/Port of the 3 requests: '$v', expected 0/20000 0/2000x 5/0" ;;
		esac
		sleep 2.5 # drains
		client bad-mode bad-mode $V4
		client conf-sender conf-sender $V4
		refl_stop
		ctl_expect conn_refused_source_limit -eq 1
		ctl_expect refused_session_limit -eq 1
		ctl_expect refused_accept_5 -eq 1
		ctl_expect refused_accept_3 -eq 1
		ctl_expect alternate_port -ge 2
		ctl_expect closed_setup_refused -eq 1
		SENT_TOTAL=$((SENT_TOTAL + 3000))
		final_check
	else
		note_fail "reflector start"
	fi
	bed_down rf
	case_end refusals
}

case_interop() {
	case_begin interop "digest §8: twping's port request, ignored Accept port, 14-octet packets"
	bed_up io || { note_fail "test bed"; case_end interop; return; }
	if refl_start io --address $V4/24 --any-requested-port; then
		client own-port own-port $V4
		SENT_TOTAL=10
		sleep 2.5
		refl_stop
		ctl_expect alternate_port -eq 0
		final_check
	else
		note_fail "reflector start"
	fi
	bed_down io
	case_end interop
}

e2e_main e2e-twamp
