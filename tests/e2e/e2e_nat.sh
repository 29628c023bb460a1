#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# End to end, the client behind a NAT (tools/testbed/netns-up.sh --nat): the
# reflector's NAT diagnosis and latching. The client (198.18.2.1) reaches
# the reflector (198.18.0.2) through a router that source-NATs it to
# 198.18.0.1, keeping ports (--nat addr) or rewriting them into
# 40000-40999 (--nat port); a third host (198.18.3.1) is routed without
# NAT. TWAMP-Control goes through the reflector's TAP (--no-neigh). Each
# case gets its own test bed and reflector.
#
# Cases:
#   bed          the NAT bed alone, kernel only (a throw-away address on
#                dut0, a UDP echo server): addr keeps the client's port,
#                port rewrites it into 40000-40999, the third host is not
#                NATed; --nat with --ipv6 is refused.
#   strict-addr  --nat addr, default policy (strict): the Request names
#                198.18.2.1, packets come from 198.18.0.1 with the same
#                port: all dropped (source_mismatch), diagnosed as
#                address-only NAT (NAT-SESSION, log line, sender_not_peer).
#   strict-port  --nat port: all dropped, port-rewriting NAT.
#   zero-addr    --nat addr, the client's -Z (zero addresses): 0 loss under
#                strict, no mismatch.
#   latch        --nat port, --nat-policy latch: 1,000 packets, 0 loss, the
#                session latched to 198.18.0.1:4xxxx.
#   latch-third  as latch, while the third host sends TWAMP-sized packets
#                to the session's port from before Start-Sessions on: 0
#                loss, latched to the NAT's address (not the third host's),
#                latch_refused counted, the third host never answered.
#   latch-late   --latch-window 1, Start Time 3 s after Start-Sessions: no
#                latching (latch_late), all lost.
#   prefix       --nat-policy-for: the control peer's prefix picks latch
#                (0 loss), another prefix leaves the default strict (all
#                lost).
#   light        --nat port, TWAMP-Light: 0 loss and a FLOW line with the
#                NAT's address and rewritten port (also seen in a capture on
#                the router).
#   routed       --tap-route 198.18.3.0/24,198.18.0.1: a Control-Client
#                beyond the router, not NATed (the third host), runs a full
#                TWAMP session with 0 loss; without the route its control
#                connection never completes (the kernel cannot answer it).
#
# usage: e2e_nat.sh TWAMP_REFLECTOR TWAMP_PING [CASE...]
# Exit 0 all passed, 1 a failure, 77 skipped (not root, no `ip netns`, no
# TUN, no nft). E2E_KEEP=1 keeps the logs directory (kept on failure anyway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=e2e_lib.sh source-path=SCRIPTDIR
. "$here/e2e_lib.sh"
e2e_args "bed strict-addr strict-port zero-addr latch latch-third latch-late prefix light routed" "$@"
e2e_require "network namespaces, af_packet, TAP, nftables" tun python3 ethtool nft
e2e_workdir e2e-nat
have_tcpdump=0
command -v tcpdump >/dev/null && have_tcpdump=1

# What reaches the kernel through the TAP: ARP (not_ip), TCP and ICMP
# (not_udp), and test packets for no session yet (unknown_session).
EXC_REASONS="not_ip,not_udp,unknown_session"
NAT_ADDR_RE='198\.18\.0\.1'
PORT_RANGE_RE='40[0-9]{3}' # --nat port: 40000-40999
TEST_PORT=20000

# refl_start NAME [reflector options]: one worker, 198.18.0.2/24.
refl_start() {
	local name=$1
	shift
	e2e_refl_start "$name" "$AFP" "$ONE_WORKER" --address $V4/24 "$@"
}

# nat_bed NAME addr|port: a NAT bed, the router resolving 198.18.0.2 with ARP.
nat_bed() {
	bed_up "$1" --nat "$2" --no-neigh
}

# field_match TAG NAME REGEX: NAME of the last "TAG ..." line matches REGEX.
field_match() {
	local v
	v=$(counter_get "$1" "$2")
	if [[ "$v" =~ ^($3)$ ]]; then
		note_ok "$1 $2=$v"
	else
		note_fail "$1 $2=${v:-missing}, expected /$3/"
	fi
}

# full_expect LABEL RECEIVED RC: one session accepted, COUNT sent, RECEIVED
# answered, twamp-ping exit status RC.
full_expect() {
	local acc sent got
	acc=$(json_get "$1" sessions_accepted)
	sent=$(json_get "$1" sent)
	got=$(json_get "$1" received)
	if [ "$acc" = 1 ] && [ "$got" = "$2" ] && [ "$TWP_RC" = "$3" ]; then
		note_ok "$1: session accepted, $got/$sent answered, exit $TWP_RC"
	else
		note_fail "$1: sessions_accepted ${acc:-?}, $got/$sent answered (expected $2)," \
			"exit $TWP_RC (expected $3): $(head -c 300 "$work/$1.stderr")"
	fi
}

# session_get LABEL KEY: KEY of the report's first session.
session_get() {
	python3 - "$work/$1.json" "$2" <<'EOF'
import json, sys
try:
    s = (json.load(open(sys.argv[1])).get("sessions") or [{}])[0]
except (OSError, ValueError):
    s = {}
print(s.get(sys.argv[2], ""))
EOF
}

# sid_match LABEL: the NAT-SESSION line is the session of the report.
sid_match() {
	local want got
	want=$(session_get "$1" sid)
	got=$(counter_get NAT-SESSION sid)
	if [ -n "$want" ] && [ "${got,,}" = "${want,,}" ]; then
		note_ok "NAT-SESSION sid=$got (the client's session)"
	else
		note_fail "NAT-SESSION sid=${got:-missing}, the client's is ${want:-unknown}"
	fi
}

# log_expect REGEX WHAT: a line of the reflector's log matches REGEX.
log_expect() {
	local l
	l=$(grep -a -m1 -E "$1" "$REFL_LOG")
	if [ -n "$l" ]; then
		note_ok "log: $l"
	else
		note_fail "no log line for $2 (/$1/)"
	fi
}

# final_check ALLOWED: the FINAL line, reflected == SENT_TOTAL.
final_check() {
	$check final --log "$REFL_LOG" --reflected "$SENT_TOTAL" --allow "$EXC_REASONS${1:+,$1}" \
		--reasons-header "$reasons_h" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# The third host's sender: TWAMP-sized (41-octet) packets to the reflector
# every 10 ms for DURATION seconds; prints what it sent and how many UDP
# replies it got (from anyone).
cat >"$work/third.py" <<'EOF'
import select, socket, struct, sys, time
addr, port, duration = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 0))
end = time.monotonic() + duration
sent = replies = seq = 0
nxt = time.monotonic()
while time.monotonic() < end:
    now = time.monotonic()
    if now >= nxt:
        s.sendto(struct.pack("!IQH", seq, 0, 1) + bytes(27), (addr, port))
        seq += 1
        sent += 1
        nxt += 0.01
    r, _, _ = select.select([s], [], [], max(0.0, min(nxt, end) - time.monotonic()))
    if r:
        try:
            s.recvfrom(2048)
            replies += 1
        except OSError:
            pass
# late replies
r, _, _ = select.select([s], [], [], 0.5)
if r:
    replies += 1
print("third host %s:%d: %d packets sent, %d replies" % ("198.18.3.1", s.getsockname()[1],
                                                          sent, replies))
sys.exit(0 if replies == 0 else 1)
EOF

# The bed check's echo server (in the dut namespace) and client.
cat >"$work/echo.py" <<'EOF'
import socket, sys
if sys.argv[1] == "server":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("198.18.0.2", 7000))
    s.settimeout(10)
    print("LISTENING", flush=True)
    for _ in range(int(sys.argv[2])):
        d, a = s.recvfrom(2048)
        print("%s %s:%d" % (d.decode(), a[0], a[1]), flush=True)
        s.sendto(d, a)
else:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 0))
    s.settimeout(3)
    s.sendto(sys.argv[2].encode(), ("198.18.0.2", 7000))
    d, a = s.recvfrom(2048)
    print("%s %s:%d" % (d.decode(), s.getsockname()[0], s.getsockname()[1]))
EOF

# bed_nat_check MODE: through the bed's router, as a UDP server on dut0 sees it.
bed_nat_check() {
	local mode=$1 srv out cli_port atk_port seen_cli seen_atk p
	# Throw-away: the kernel owns dut0 here (no reflector). The router
	# reaches 198.18.0.2 through netns-up's neighbour entry (dut0 ignores
	# ARP); the way back to the third host is through the router.
	if ! ip -n "$DUT_NS" addr add $V4/24 dev dut0 ||
		! ip -n "$DUT_NS" route add 198.18.3.0/24 via "$NAT_ADDR"; then
		note_fail "$mode: cannot address dut0"
		return
	fi
	ip netns exec "$DUT_NS" python3 "$work/echo.py" server 2 >"$work/bed-$mode.echo" 2>&1 &
	srv=$!
	pids+=("$srv")
	for _ in $(seq 50); do
		grep -qs LISTENING "$work/bed-$mode.echo" && break
		sleep 0.1
	done
	out=$(ip netns exec "$CLI_NS" python3 "$work/echo.py" client cli 2>&1) ||
		note_fail "$mode: client: $out"
	cli_port=${out##*:}
	out=$(ip netns exec "$ATK_NS" python3 "$work/echo.py" client atk 2>&1) ||
		note_fail "$mode: third host: $out"
	atk_port=${out##*:}
	wait "$srv"
	forget_pid "$srv"
	seen_cli=$(sed -n 's/^cli //p' "$work/bed-$mode.echo")
	seen_atk=$(sed -n 's/^atk //p' "$work/bed-$mode.echo")
	p=${seen_cli##*:}
	if [ "$mode" = addr ] && [ "$seen_cli" = "$NAT_ADDR:$cli_port" ]; then
		note_ok "addr: client $CLI_ADDR:$cli_port seen as $seen_cli (port kept)"
	elif [ "$mode" = port ] && [ "${seen_cli%:*}" = "$NAT_ADDR" ] && [ -n "$p" ] &&
		[ "$p" -ge 40000 ] && [ "$p" -le 40999 ] && [ "$p" != "$cli_port" ]; then
		note_ok "port: client $CLI_ADDR:$cli_port seen as $seen_cli (port rewritten)"
	else
		note_fail "$mode: client $CLI_ADDR:${cli_port:-?} seen as '${seen_cli:-nothing}'"
	fi
	if [ -n "$atk_port" ] && [ "$seen_atk" = "$ATK_ADDR:$atk_port" ]; then
		note_ok "$mode: third host seen as $seen_atk (not NATed)"
	else
		note_fail "$mode: third host $ATK_ADDR:${atk_port:-?} seen as '${seen_atk:-none}'"
	fi
}

case_bed() {
	local m out
	case_begin bed "the NAT test bed alone (kernel only)"
	for m in addr port; do
		bed_up "bed-$m" --nat "$m" || { note_fail "test bed --nat $m"; continue; }
		if [ "$NAT_MODE" = "$m" ] && [ "$CLI_ADDR" = 198.18.2.1 ] &&
			[ "$NAT_ADDR" = 198.18.0.1 ] && [ "$ATK_ADDR" = 198.18.3.1 ] &&
			[ "$NAT_NS" = "$tag-bed-$m-nat" ] && [ "$ATK_NS" = "$tag-bed-$m-atk" ]; then
			note_ok "netns-up --nat $m: NAT_MODE=$NAT_MODE CLI_ADDR=$CLI_ADDR" \
				"NAT_ADDR=$NAT_ADDR ATK_ADDR=$ATK_ADDR"
		else
			note_fail "netns-up --nat $m printed NAT_MODE=$NAT_MODE" \
				"CLI_ADDR=$CLI_ADDR NAT_ADDR=$NAT_ADDR ATK_ADDR=$ATK_ADDR" \
				"NAT_NS=$NAT_NS ATK_NS=$ATK_NS"
		fi
		bed_nat_check "$m"
		bed_down "bed-$m"
	done
	if out=$("$testbed/netns-up.sh" --prefix "$tag-bed-v6" --nat addr --ipv6 2>&1); then
		note_fail "--nat with --ipv6 accepted"
		"$testbed/netns-down.sh" --prefix "$tag-bed-v6"
	elif ip netns list | grep -q "^$tag-bed-v6-"; then
		note_fail "--nat with --ipv6 refused but left namespaces"
		"$testbed/netns-down.sh" --prefix "$tag-bed-v6"
	else
		note_ok "--nat with --ipv6 refused: $out"
	fi
	case_end bed
}

# strict NAME MODE CAUSE MISMATCH_FIELD: the default policy drops every
# packet of a session whose Request names the client's private address.
strict_case() {
	local name=$1 mode=$2 cause=$3 field=$4 label="$1-200" sport first_re
	case_begin "$name" "--nat $mode, --nat-policy strict (default): all lost, $cause"
	nat_bed "$name" "$mode" || { note_fail "test bed"; case_end "$name"; return; }
	if refl_start "$name"; then
		twping "$label" 200 0.01 -W 1 --receiver-port $TEST_PORT $V4
		full_expect "$label" 0 1
		sport=$(session_get "$label" sender_port)
		refl_stop
		SENT_TOTAL=0 # reflected
		counter_expect FINAL source_mismatch -eq 200
		final_check source_mismatch
		counter_expect FINAL-NAT sender_not_peer -eq 1
		counter_expect FINAL-NAT sessions_mismatch -eq 1
		counter_expect FINAL-NAT "$field" -eq 200
		sid_match "$label"
		field_match NAT-SESSION peer "$NAT_ADDR_RE(:[0-9]+)?"
		field_match NAT-SESSION policy strict
		field_match NAT-SESSION requested "198\\.18\\.2\\.1:$sport"
		field_match NAT-SESSION latched -
		counter_expect NAT-SESSION "$field" -eq 200
		counter_expect NAT-SESSION rx -eq 200
		counter_expect NAT-SESSION reflected -eq 0
		if [ "$mode" = addr ]; then
			first_re="$NAT_ADDR_RE:$sport"
			log_expect "NAT: session [0-9]+.*address-only NAT" "the first mismatch"
		else
			first_re="$NAT_ADDR_RE:$PORT_RANGE_RE"
			log_expect "NAT: session [0-9]+.*port-rewriting NAT" "the first mismatch"
		fi
		field_match NAT-SESSION first "$first_re"
		field_match NAT-SESSION last "$first_re"
		field_match NAT-SESSION cause "$cause"
	else
		note_fail "reflector start"
	fi
	bed_down "$name"
	case_end "$name"
}

case_strict_addr() {
	strict_case strict-addr addr address-only-nat mismatch_addr
}

case_strict_port() {
	strict_case strict-port port port-rewriting-nat mismatch_both
}

case_zero_addr() {
	case_begin zero-addr "--nat addr, -Z (zero addresses): 0 loss under strict"
	nat_bed za addr || { note_fail "test bed"; case_end zero-addr; return; }
	if refl_start za; then
		twping za-200 200 0.005 -Z --receiver-port $TEST_PORT $V4
		full_expect za-200 200 0
		refl_stop
		final_check ""
		counter_expect FINAL source_mismatch -eq 0
		counter_expect FINAL-NAT sessions_mismatch -eq 0
		counter_expect FINAL-NAT sender_not_peer -eq 0
		if grep -qa '^NAT-SESSION ' "$REFL_LOG"; then
			note_fail "a NAT-SESSION line without NAT activity:" \
				"$(grep -a -m1 '^NAT-SESSION ' "$REFL_LOG")"
		else
			note_ok "no NAT-SESSION line"
		fi
	else
		note_fail "reflector start"
	fi
	bed_down za
	case_end zero-addr
}

# latched_checks LABEL: the session's NAT-SESSION line after latching.
latched_checks() {
	local sport tuple
	sport=$(session_get "$1" sender_port)
	sid_match "$1"
	field_match NAT-SESSION policy latch
	field_match NAT-SESSION state latched
	field_match NAT-SESSION requested "198\\.18\\.2\\.1:$sport"
	field_match NAT-SESSION latched "$NAT_ADDR_RE:$PORT_RANGE_RE"
	field_match NAT-SESSION cause port-rewriting-nat
	counter_expect FINAL-NAT latched -eq 1
	# The latching line names the latched tuple ("not latched" lines for a
	# refused source do not).
	tuple=$(counter_get NAT-SESSION latched)
	log_expect "NAT: session [0-9]+.*latched.*${tuple//./\\.}([^0-9]|\$)" "latching"
}

case_latch() {
	case_begin latch "--nat port, --nat-policy latch: 1,000 packets at 1 ms, 0 loss"
	nat_bed la port || { note_fail "test bed"; case_end latch; return; }
	if refl_start la --nat-policy latch; then
		twping la-1000 1000 0.001 --receiver-port $TEST_PORT $V4
		full_expect la-1000 1000 0
		refl_stop
		final_check ""
		latched_checks la-1000
		counter_expect NAT-SESSION reflected -eq 1000
	else
		note_fail "reflector start"
	fi
	bed_down la
	case_end latch
}

case_latch_third() {
	local p out rc
	case_begin latch-third "--nat port, latch, a third host sending to the session's port"
	nat_bed lt port || { note_fail "test bed"; case_end latch-third; return; }
	if refl_start lt --nat-policy latch; then
		# From before Start-Sessions (the client's Start Time is 2 s after
		# it) to after the last test packet (about 1 + 2 + 3 s).
		ip netns exec "$ATK_NS" python3 "$work/third.py" $V4 $TEST_PORT 7.5 \
			>"$work/lt-third.out" 2>&1 &
		p=$!
		pids+=("$p")
		sleep 1
		twping lt-300 300 0.01 --start-delay 2 --receiver-port $TEST_PORT $V4
		full_expect lt-300 300 0
		wait "$p"
		rc=$?
		forget_pid "$p"
		out=$(cat "$work/lt-third.out")
		if [ "$rc" -eq 0 ]; then
			note_ok "$out"
		else
			note_fail "$out"
		fi
		refl_stop
		final_check "latch_refused,session_not_started,session_expired,source_mismatch"
		latched_checks lt-300
		# The stranger is diagnosed as such, not as the client's NAT.
		log_expect "NAT: session [0-9]+.*observed 198\\.18\\.3\\.1:[0-9]+.*another host" \
			"the third host's line"
		counter_expect NAT-SESSION latch_refused -ge 1
		counter_expect FINAL latch_refused -ge 1
		counter_expect FINAL-NAT latch_refused -ge 1
		counter_expect NAT-SESSION reflected -eq 300
	else
		note_fail "reflector start"
	fi
	bed_down lt
	case_end latch-third
}

case_latch_late() {
	case_begin latch-late "--nat port, latch, --latch-window 1, Start Time 3 s later: all lost"
	nat_bed ll port || { note_fail "test bed"; case_end latch-late; return; }
	if refl_start ll --nat-policy latch --latch-window 1; then
		twping ll-100 100 0.01 -W 1 --start-delay 3 --receiver-port $TEST_PORT $V4
		full_expect ll-100 0 1
		refl_stop
		SENT_TOTAL=0 # reflected
		final_check "latch_late,source_mismatch"
		counter_expect FINAL latch_late -ge 1
		counter_expect FINAL-NAT latch_late -ge 1
		counter_expect FINAL-NAT latched -eq 0
		counter_expect NAT-SESSION latch_late -ge 1
		field_match NAT-SESSION policy latch
		field_match NAT-SESSION state "expired|pending"
		field_match NAT-SESSION latched -
	else
		note_fail "reflector start"
	fi
	bed_down ll
	case_end latch-late
}

case_prefix() {
	case_begin prefix "--nat port, --nat-policy-for: the control peer's prefix picks the policy"
	nat_bed pf port || { note_fail "test bed"; case_end prefix; return; }
	if refl_start pf-match --nat-policy strict --nat-policy-for 198.18.0.0/24=latch; then
		twping pf-match 200 0.005 --receiver-port $TEST_PORT $V4
		full_expect pf-match 200 0
		refl_stop
		final_check ""
		field_match NAT-SESSION policy latch
		field_match NAT-SESSION state latched
	else
		note_fail "reflector start (198.18.0.0/24=latch)"
	fi
	SENT_TOTAL=0
	REFL_LOG=""
	if refl_start pf-other --nat-policy-for 198.18.9.0/24=latch; then
		twping pf-other 200 0.005 -W 1 --receiver-port $TEST_PORT $V4
		full_expect pf-other 0 1
		refl_stop
		SENT_TOTAL=0 # reflected
		final_check source_mismatch
		counter_expect FINAL source_mismatch -eq 200
		field_match NAT-SESSION policy strict
		field_match NAT-SESSION latched -
	else
		note_fail "reflector start (198.18.9.0/24=latch)"
	fi
	bed_down pf
	case_end prefix
}

case_light() {
	local cap="" capp="" seen="" rc
	case_begin light "--nat port, TWAMP-Light: 0 loss, the flow from the NAT's address"
	nat_bed li port || { note_fail "test bed"; case_end light; return; }
	if refl_start li --light-port 862; then
		if [ "$have_tcpdump" = 1 ]; then
			cap="$work/light-nat1.pcap"
			# The requests as they leave the router: 200, then it exits.
			ip netns exec "$NAT_NS" tcpdump -i nat1 -n -U --immediate-mode -Z root \
				-c 200 -w "$cap" udp dst port 862 >"$work/light-tcpdump.log" 2>&1 &
			capp=$!
			pids+=("$capp")
			for _ in $(seq 50); do
				grep -qs 'listening on' "$work/light-tcpdump.log" && break
				sleep 0.1
			done
		fi
		ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode light -c 200 \
			-i 0.005 --json $V4 -p 862 >"$work/light.json" 2>"$work/light.stderr"
		rc=$?
		SENT_TOTAL=200
		TWP_RC=$rc
		if [ "$(json_get light received)" = 200 ] && [ "$rc" = 0 ]; then
			note_ok "light: 200/200 answered"
		else
			note_fail "light: $(json_get light received)/200 answered, exit $rc"
		fi
		if [ -n "$capp" ]; then
			for _ in $(seq 30); do
				kill -0 "$capp" 2>/dev/null || break
				sleep 0.1
			done
			kill -INT "$capp" 2>/dev/null
			wait "$capp" 2>/dev/null
			forget_pid "$capp"
			seen=$(tcpdump -r "$cap" -n 2>/dev/null |
				sed -n 's/.* IP \([0-9.]*\)\.\([0-9]*\) > [0-9.]*\.862:.*/\1:\2/p' |
				sort | uniq -c | sed 's/^ *//')
			if [[ "$seen" =~ ^200\ ($NAT_ADDR_RE:$PORT_RANGE_RE)$ ]]; then
				note_ok "capture on nat1: 200 requests from ${BASH_REMATCH[1]}"
			else
				note_fail "capture on nat1: requests by source: '${seen:-none}'"
			fi
		fi
		refl_stop
		final_check ""
		field_match FLOW engine light
		field_match FLOW local "198\\.18\\.0\\.2:862"
		if [[ "$seen" =~ ^200\ (.*)$ ]]; then
			field_match FLOW remote "${BASH_REMATCH[1]//./\\.}"
		else
			field_match FLOW remote "$NAT_ADDR_RE:$PORT_RANGE_RE"
		fi
		counter_expect FLOW rx -eq 200
		counter_expect FLOW reflected -eq 200
		counter_expect FLOW dropped -eq 0
	else
		note_fail "reflector start"
	fi
	bed_down li
	case_end light
}

case_routed() {
	local cli
	case_begin routed "--tap-route: a Control-Client beyond a router reaches TWAMP-Control"
	nat_bed rt addr || { note_fail "test bed"; case_end routed; return; }
	if refl_start rt --tap-route 198.18.3.0/24,198.18.0.1; then
		cli=$CLI_NS
		CLI_NS=$ATK_NS
		twping rt-100 100 0.01 $V4
		CLI_NS=$cli
		full_expect rt-100 100 0
		refl_stop
		final_check ""
	else
		note_fail "reflector start"
	fi
	bed_down rt
	nat_bed rn addr || { note_fail "test bed"; case_end routed; return; }
	if refl_start rn; then
		cli=$CLI_NS
		CLI_NS=$ATK_NS
		twping rn-10 10 0.01 --control-timeout 2 $V4
		CLI_NS=$cli
		if [ "$TWP_RC" = 2 ]; then
			note_ok "without --tap-route: no TWAMP-Control (twamp-ping exit 2)"
		else
			note_fail "without --tap-route: twamp-ping exit $TWP_RC, expected 2"
		fi
		refl_stop
	else
		note_fail "reflector start"
	fi
	bed_down rn
	case_end routed
}

e2e_main e2e-nat
