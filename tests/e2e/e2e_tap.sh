#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# End to end, the exception path: twamp-reflector creates its TAP (--tap,
# default twr0) in the dut namespace of tools/testbed, with the wire port's
# MAC and the reflector's addresses, and the kernel answers through it. The
# client has no static neighbour entries (netns-up.sh --no-neigh). Each case
# gets its own test bed and reflector and checks:
#   - the TAP: the kernel interface exists, has the wire port's MAC and the
#     addresses; which way its frames take to the wire (the reflector's
#     "tap:" line);
#   - ARP and ND: the client's neighbour entries for the reflector's
#     addresses carry the wire port's MAC;
#   - ping -c 5 (IPv4) and ping -6 -c 5, 0% loss;
#   - TCP to a python3 echo server on the TAP's address: 1 MiB echoed exactly;
#   - twamp-ping (TWAMP-Light, 20,000 packets at 10 kpps) with 0 loss while
#     pings and a TCP echo (2 MiB, paced at 1 MiB/s: the same 2 s) run
#     beside it;
#   - the FINAL line: the data plane's accounting (e2e_check.py final) and
#     the exception path's (e2e_tap_check.py final): both TAP directions
#     carried frames, every frame accounted for, no drop.
#
# Cases:
#   ring     net_af_packet, 1 worker: no spare TX queue (qpairs = workers),
#            so the kernel's frames reach the wire through the ring to
#            worker 0 and its TX queue. IPv4 and IPv6.
#   ctl-txq  net_pcap on dut0 (rx_iface_in=dut0, tx_iface=dut0 twice: 1 RX,
#            2 TX queues), 1 worker: the control lcore's own TX queue.
#            IPv4 and IPv6, TAP named twr-c0 (--tap). net_pcap's capture
#            ring is small and drops frames under load before the reflector
#            sees them (the port's imissed): TWAMP-Light runs at 2 kpps and
#            its losses must all be within imissed, TCP beside it at 1 MiB/s.
#   vlan     net_af_packet, --vlan 100: frames tagged 100 to the TAP
#            untagged, the kernel's frames tagged 100 on the wire (checked
#            in a capture on the client's veth end). IPv4 and IPv6.
#   rxq2     net_af_packet qpairs=2, 2 workers: exception frames from both
#            workers' queues, the kernel's frames through worker 0.
#   no-tap   --no-tap: no interface, ARP unanswered, exception frames
#            counted (exception_consumed) and freed.
#
# usage: e2e_tap.sh TWAMP_REFLECTOR TWAMP_PING [CASE...]
# Exit 0 all passed, 1 a failure, 77 skipped (not root, no `ip netns`).
# E2E_KEEP=1 keeps the logs directory (it is kept on failure anyway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=e2e_lib.sh source-path=SCRIPTDIR
. "$here/e2e_lib.sh"
e2e_args "ring ctl-txq vlan rxq2 no-tap" "$@"
e2e_require "network namespaces, af_packet, TAP" tun python3 ethtool ping
e2e_workdir e2e-tap
tapcheck="python3 $here/e2e_tap_check.py"
tcp_py="$here/e2e_tap_tcp.py"
have_tcpdump=0
command -v tcpdump >/dev/null && have_tcpdump=1
bed_opts=(--no-neigh)

# TWAMP-Light beside the exception traffic: 2 s at 10 kpps; TCP echo beside
# it, paced over the same 2 s. Lower for net_pcap (ctl-txq).
COUNT=20000
INTERVAL=0.0001
TCP_BESIDE_BYTES=2097152
TCP_BESIDE_RATE=1048576
LOSSY_WIRE=0 # 1: twamp-ping losses allowed within the port's imissed
TCP_PORT=8622
# net_pcap on the veth end: one RX queue (incoming frames only), two TX
# queues, so the control lcore has its own. Its port MAC is net_pcap's
# fixed 02:70:63:61:70:<port id>.
PCAP="net_pcap0,rx_iface_in=dut0,tx_iface=dut0,tx_iface=dut0"
PCAP_MAC="02:70:63:61:70:00"
# The client's traffic to the reflector that is not TWAMP-Light: ARP (not_ip),
# ICMP, ICMPv6, TCP (not_udp), IPv6 to multicast (ND, MLD: not_for_us).
EXC_REASONS="not_ip,not_udp,not_for_us"

# tap_check IFNAME WIRE_MAC PATH ADDR/PREFIX...: the kernel side of the TAP
# and the way its frames take (PATH ring or ctl), from the reflector's log.
tap_check() {
	local ifn=$1 mac=$2 path=$3 got a line want
	shift 3
	line=$(grep -m1 "^tap: $ifn " "$REFL_LOG")
	case "$path" in
	ring) want="through a worker's TX queue (ring)" ;;
	*) want="on the control TX queue" ;;
	esac
	if [[ "$line" == *"$want"* ]]; then
		note_ok "reflector: ${line#tap: }"
	else
		note_fail "expected a 'tap: $ifn ... to the wire $want' line, got '${line:-none}'"
	fi
	got=$(ip netns exec "$DUT_NS" cat "/sys/class/net/$ifn/address" 2>/dev/null)
	if [ "$got" = "$mac" ]; then
		note_ok "$ifn in $DUT_NS has the wire port's MAC $mac"
	else
		note_fail "$ifn MAC '${got:-no interface}', expected the wire port's $mac"
	fi
	got=$(ip -n "$DUT_NS" -o addr show dev "$ifn" 2>/dev/null)
	for a in "$@"; do
		if grep -q " $a " <<<"$got"; then
			note_ok "$ifn has $a"
		else
			note_fail "$ifn lacks $a"
		fi
	done
	if [[ "$got" == *tentative* ]]; then
		note_fail "$ifn has tentative addresses (DAD not off)"
	fi
}

# neigh_check ADDRESS MAC: the client resolved ADDRESS to MAC (ARP or ND).
neigh_check() {
	local e
	e=$(ip -n "$CLI_NS" neigh show "$1" dev "$CLI_IF" 2>/dev/null)
	if [[ "$e" == *"lladdr $2 "* ]] && [[ "$e" != *PERMANENT* ]] && [[ "$e" != *FAILED* ]]; then
		note_ok "client resolved $1: $e"
	else
		note_fail "client's neighbour entry for $1: '${e:-none}', expected lladdr $2 (learnt)"
	fi
}

# ping_check LABEL COUNT INTERVAL ADDRESS [ping options]: 0% loss.
ping_check() {
	local label=$1 count=$2 interval=$3 addr=$4 out
	shift 4
	out=$(ip netns exec "$CLI_NS" ping -n -c "$count" -i "$interval" -W 2 "$@" "$addr" 2>&1)
	echo "$out" >"$work/$label.ping.log"
	if grep -q " 0% packet loss" <<<"$out"; then
		note_ok "$label: $(grep 'packet loss' <<<"$out")"
	else
		note_fail "$label: $(grep 'packet loss' <<<"$out" || tail -1 <<<"$out")"
	fi
}

# tcp_server ADDRESS CONNECTIONS: the echo server in the dut namespace. Sets TCP_PID.
tcp_server() {
	TCP_LOG="$work/tcp-server-$1.log"
	ip netns exec "$DUT_NS" python3 "$tcp_py" server "$1" $TCP_PORT --connections "$2" --timeout 60 \
		>"$TCP_LOG" 2>&1 &
	TCP_PID=$!
	pids+=("$TCP_PID")
	for _ in $(seq 50); do
		grep -qs LISTENING "$TCP_LOG" && return 0
		sleep 0.1
	done
	note_fail "TCP server did not start: $(tail -1 "$TCP_LOG")"
	return 1
}

tcp_server_wait() {
	local rc
	wait "$TCP_PID"
	rc=$?
	forget_pid "$TCP_PID"
	[ "$rc" -eq 0 ] || note_fail "TCP server exit status $rc: $(tail -1 "$TCP_LOG")"
}

# tcp_client LABEL ADDRESS BYTES [RATE]: the echo came back exactly.
tcp_client() {
	local out
	out=$(ip netns exec "$CLI_NS" python3 "$tcp_py" client "$2" $TCP_PORT --bytes "$3" \
		--rate "${4:-0}" --timeout 60 2>&1)
	if [[ "$out" == OK* ]]; then
		note_ok "$1: TCP to $2:$TCP_PORT: $out"
	else
		note_fail "$1: TCP to $2:$TCP_PORT: $out"
	fi
}

# twping_start LABEL ADDRESS [twamp-ping options]: TWAMP-Light, COUNT at 10 kpps,
# in the background. Sets TWP_PID TWP_LABEL.
twping_start() {
	TWP_LABEL=$1
	local addr=$2
	shift 2
	ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode light -c "$COUNT" \
		-i "$INTERVAL" --json --per-packet "$@" "$addr" -p 862 \
		>"$work/$TWP_LABEL.json" 2>"$work/$TWP_LABEL.stderr" &
	TWP_PID=$!
	pids+=("$TWP_PID")
}

twping_wait() {
	local rc json="$work/$TWP_LABEL.json" imissed
	wait "$TWP_PID"
	rc=$?
	forget_pid "$TWP_PID"
	printf '  %s: ' "$TWP_LABEL"
	if [ "$LOSSY_WIRE" = 1 ]; then
		imissed=$($tapcheck imissed --prefix "$REFL_PREFIX") || imissed=0
		$tapcheck twping --json "$json" --count "$COUNT" --imissed "$imissed" |
			sed '2,$s/^/  /'
		[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
		# What the reflector got, it reflected: FINAL must say so.
		SENT_TOTAL=$((SENT_TOTAL + $(python3 -c \
			'import json, sys; print(json.load(open(sys.argv[1])).get("received", 0))' \
			"$json" 2>/dev/null || echo 0)))
		return
	fi
	SENT_TOTAL=$((SENT_TOTAL + COUNT))
	$check ping --json "$json" --count "$COUNT" --mode light \
		--residence-outliers 20 | sed '2,$s/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
	[ "$rc" -eq 0 ] || note_fail "twamp-ping exit status $rc $(head -c 300 "$work/$TWP_LABEL.stderr")"
}

# final_check PATH [--allow-unmapped]: the FINAL line, data plane and exception path.
final_check() {
	local path=$1
	shift
	$check final --log "$REFL_LOG" --reflected "$SENT_TOTAL" --allow "$EXC_REASONS" \
		--reasons-header "$reasons_h" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
	$tapcheck final --log "$REFL_LOG" --path "$path" "$@" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# The common sequence on a running reflector with TAP IFNAME, wire MAC MAC,
# addresses V4 and V6 (prefixes 24 and 64): resolution and ping, TCP alone,
# then twamp-ping beside pings and a long TCP echo.
exercise() {
	local v4=$1 v6=$2 label=$3
	shift 3
	ping_check "$label-ping" 5 0.2 "$v4"
	neigh_check "$v4" "$WIRE_MAC"
	ping_check "$label-ping6" 5 0.2 "$v6" -6
	neigh_check "$v6" "$WIRE_MAC"
	tcp_server "$v4" 2 || return
	tcp_client "$label-tcp-1MiB" "$v4" 1048576
	# In parallel: TWAMP-Light, pings, TCP echo (1 MiB/s). Paced: unpaced TCP
	# through the TAP saturates both CPUs of these machines (the control lcore
	# makes a system call per frame each way), and the workers, sharing a CPU
	# with it, then stall long enough for af_packet's ring to overflow.
	twping_start "$label-twamp-light" "$v4" -4 "$@"
	sleep 0.2
	ip netns exec "$CLI_NS" ping -n -c 20 -i 0.05 -W 2 "$v4" >"$work/$label-par-ping.log" 2>&1 &
	local p4=$!
	pids+=("$p4")
	ip netns exec "$CLI_NS" ping -n -6 -c 20 -i 0.05 -W 2 "$v6" >"$work/$label-par-ping6.log" \
		2>&1 &
	local p6=$!
	pids+=("$p6")
	tcp_client "$label-tcp-$((TCP_BESIDE_BYTES >> 20))MiB-beside-twamp" "$v4" \
		"$TCP_BESIDE_BYTES" "$TCP_BESIDE_RATE"
	wait "$p4" || note_fail "ping beside twamp-ping: $(tail -2 "$work/$label-par-ping.log")"
	forget_pid "$p4"
	wait "$p6" || note_fail "ping -6 beside twamp-ping: $(tail -2 "$work/$label-par-ping6.log")"
	forget_pid "$p6"
	local summary
	summary=$(grep -h 'packet loss' "$work/$label-par-ping.log" "$work/$label-par-ping6.log" |
		cut -d, -f1-3 | paste -sd ';')
	if [ -n "$summary" ] && { [ "$LOSSY_WIRE" = 1 ] ||
		! tr ';' '\n' <<<"$summary" | grep -qv ' 0% packet loss'; }; then
		note_ok "pings beside twamp-ping: $summary"
	else
		note_fail "pings beside twamp-ping: $summary"
	fi
	tcp_server_wait
	twping_wait
}

case_ring() {
	case_begin ring "net_af_packet, 1 worker: the kernel's frames through worker 0's TX queue"
	bed_up ring --ipv6 || { note_fail "test bed"; case_end ring; return; }
	WIRE_MAC=$DUT_MAC
	if refl_start ring "$AFP" "$ONE_WORKER" \
		--address 198.18.0.2/24 --address 2001:db8::2/64 --light-port 862; then
		tap_check twr0 "$WIRE_MAC" ring 198.18.0.2/24 2001:db8::2/64
		exercise 198.18.0.2 2001:db8::2 ring
		refl_stop
		final_check ring
	else
		note_fail "reflector start"
	fi
	bed_down ring
	case_end ring
}

case_ctl_txq() {
	case_begin ctl-txq "net_pcap, 1 RX / 2 TX queues: the control lcore's TX queue, --tap twr-c0"
	bed_up ctl --ipv6 || { note_fail "test bed"; case_end ctl-txq; return; }
	WIRE_MAC=$PCAP_MAC
	if refl_start ctl "$PCAP" "$ONE_WORKER" --tap twr-c0 \
		--address 198.18.0.2/24 --address 2001:db8::2/64 --light-port 862; then
		tap_check twr-c0 "$WIRE_MAC" ctl 198.18.0.2/24 2001:db8::2/64
		COUNT=4000 INTERVAL=0.0005 LOSSY_WIRE=1 exercise 198.18.0.2 2001:db8::2 ctl
		refl_stop
		final_check ctl
	else
		note_fail "reflector start"
	fi
	bed_down ctl
	case_end ctl-txq
}

# cap_start NAME FILTER: capture on cli0 until cap_stop. Sets CAP_PID CAP_FILE.
cap_start() {
	CAP_PID=""
	CAP_FILE="$work/$1.pcap"
	[ "$have_tcpdump" = 1 ] || return 0
	ip netns exec "$CLI_NS" tcpdump -i cli0 -n -U --immediate-mode -Z root -w "$CAP_FILE" "$2" \
		>"$work/$1.tcpdump.log" 2>&1 &
	CAP_PID=$!
	pids+=("$CAP_PID")
	for _ in $(seq 50); do
		grep -qs 'listening on' "$work/$1.tcpdump.log" && return 0
		sleep 0.1
	done
	note_fail "tcpdump did not start: $(tail -1 "$work/$1.tcpdump.log")"
}

cap_stop() {
	[ -n "$CAP_PID" ] || return 0
	sleep 0.2
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	forget_pid "$CAP_PID"
}

# 802.1Q: the addresses on VLAN 100. The client's interface for the VLAN is
# cli0.100, or cli0 with tc programs tagging the VLAN's traffic, ARP and ND
# included, where the kernel has no 802.1Q (netns-up.sh, vlan-emul.bpf.c).
# Untagged frames of the client's own (IPv6 MLD on cli0) are not on the
# reflector's VLAN: tap_unmapped.
case_vlan() {
	local v4=198.18.1.2 v6=2001:db8:1::2
	case_begin vlan "--vlan 100: tag removed towards the TAP, added towards the wire"
	bed_up vl --vlan 100 --ipv6 || { note_fail "test bed"; case_end vlan; return; }
	echo "  client VLAN interface: $CLI_IF ($VLAN_MODE)"
	WIRE_MAC=$DUT_MAC
	if refl_start vl "$AFP" "$ONE_WORKER" \
		--vlan 100 --address $v4/24 --address $v6/64 --light-port 862; then
		tap_check twr0 "$WIRE_MAC" ring $v4/24 $v6/64
		cap_start vlan-resolution "arp or icmp or icmp6 or vlan"
		ping_check vlan100-ping 5 0.2 $v4
		neigh_check $v4 "$WIRE_MAC"
		ping_check vlan100-ping6 5 0.2 $v6 -6
		neigh_check $v6 "$WIRE_MAC"
		cap_stop
		if [ -n "$CAP_PID" ]; then
			$tapcheck vlan --pcap "$CAP_FILE" --mac "$WIRE_MAC" --vid 100 --min-echo 10 |
				sed 's/^/  /'
			[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
		else
			echo "  capture: skipped (no tcpdump)"
		fi
		tcp_server $v4 1 && {
			tcp_client vlan100-tcp-1MiB $v4 1048576
			tcp_server_wait
		}
		twping_start vlan100-twamp-light $v4 -4
		ping_check vlan100-ping-beside-twamp 20 0.05 $v4
		twping_wait
		refl_stop
		final_check ring --allow-unmapped
	else
		note_fail "reflector start"
	fi
	bed_down vl
	case_end vlan
}

# Two workers on af_packet qpairs=2: exception frames arrive from both
# workers' queues, the kernel's frames leave through worker 0.
case_rxq2() {
	local sp
	case_begin rxq2 "net_af_packet qpairs=2, 2 workers"
	bed_up q2 --qpairs 2 --ipv6 || { note_fail "test bed"; case_end rxq2; return; }
	WIRE_MAC=$DUT_MAC
	if refl_start q2 "$AFP,qpairs=2" "0@0,1@1,2@0" --workers 2 \
		--address 198.18.0.2/24 --address 2001:db8::2/64 --light-port 862; then
		tap_check twr0 "$WIRE_MAC" ring 198.18.0.2/24 2001:db8::2/64
		ping_check q2-ping 5 0.2 198.18.0.2
		neigh_check 198.18.0.2 "$WIRE_MAC"
		ping_check q2-ping6 5 0.2 2001:db8::2 -6
		# Several TCP connections: their 4-tuples spread over both queues.
		tcp_server 198.18.0.2 4 && {
			for sp in 1 2 3 4; do
				tcp_client "q2-tcp-1MiB-$sp" 198.18.0.2 1048576
			done
			tcp_server_wait
		}
		twping_start q2-twamp-light 198.18.0.2 -4 --source-port 41001
		ping_check q2-ping-beside-twamp 20 0.05 198.18.0.2
		twping_wait
		$check queues --prefix "$tag-q2" --nb 2 2>/dev/null | sed 's/^/  /'
		refl_stop
		final_check ring
	else
		note_fail "reflector start"
	fi
	bed_down q2
	case_end rxq2
}

case_no_tap() {
	local out
	case_begin no-tap "--no-tap: no TAP, exception frames counted and freed"
	bed_up nt || { note_fail "test bed"; case_end no-tap; return; }
	if refl_start nt "$AFP" "$ONE_WORKER" --no-tap --address 198.18.0.2/24 \
		--light-port 862; then
		if ip -n "$DUT_NS" link show twr0 >/dev/null 2>&1; then
			note_fail "twr0 exists with --no-tap"
		else
			note_ok "no twr0 in $DUT_NS"
		fi
		out=$(ip netns exec "$CLI_NS" ping -n -c 2 -i 0.2 -W 1 198.18.0.2 2>&1)
		if grep -q " 100% packet loss" <<<"$out"; then
			note_ok "ping unanswered without a TAP"
		else
			note_fail "ping without a TAP: $(grep 'packet loss' <<<"$out")"
		fi
		refl_stop
		final_check off
	else
		note_fail "reflector start"
	fi
	bed_down nt
	case_end no-tap
}

e2e_main e2e-tap
