#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# End to end, TWAMP-Light and STAMP: twamp-ping on kernel UDP sockets in one
# network namespace, twamp-reflector on net_af_packet (veth dut0) in the
# other (tools/testbed/netns-up.sh, TESTBED.md). Each case gets its own test
# bed and reflector, sends 10,000 packets at 10 kpps and checks:
#   - twamp-ping's JSON: all sent, all answered, no loss, duplicates or
#     reordering, residence 0..10 ms, reply TTL and Sender TTL 255, the
#     reflector's sequence number of every packet;
#   - a capture of the replies on the client's veth end: MACs swapped, VLAN
#     tag, checksums, TTL 255, T1 <= T2 <= T3 <= T4 on one clock;
#   - the reflector's FINAL counters after SIGINT: reflected == sent, no
#     drop reason, only the exception reasons the case explains (printed).
#
# Cases: v4-light v6-light v4-stamp-stateful vlan rxq2 (default: all).
#
# usage: e2e_light.sh TWAMP_REFLECTOR TWAMP_PING [CASE...]
# Exit 0 all passed, 1 a failure, 77 skipped (not root, no `ip netns`).
# E2E_KEEP=1 keeps the logs directory (it is kept on failure anyway).
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=e2e_lib.sh source-path=SCRIPTDIR
. "$here/e2e_lib.sh"
e2e_args "v4-light v6-light v4-stamp-stateful vlan rxq2 qpairs-mismatch" "$@"
e2e_require "network namespaces, af_packet" python3 ethtool
e2e_workdir e2e
have_tcpdump=0
command -v tcpdump >/dev/null && have_tcpdump=1

COUNT=10000       # packets per session
INTERVAL=0.0001   # 10 kpps
CAP_COUNT=200     # the captured session: 200 packets, 1 ms apart
CAP_INTERVAL=0.001

# cap_run LABEL SEQ_BASE MODE ADDRESS PORT VID [twamp-ping options]
# A short, slow session (200 packets, 1 ms apart) captured on cli0, then the
# capture checked. Separate from the 10 kpps run: tcpdump's load on these 2
# CPUs stalls the veth path for milliseconds and would distort it.
cap_run() {
	local label=$1 base=$2 mode=$3 addr=$4 port=$5 vid=$6
	shift 6
	cap_start "$label"
	ping_run "$label" $CAP_COUNT $CAP_INTERVAL "$base" "$mode" "$addr" "$port" "$@"
	cap_check "$port" "$vid"
}

# cap_start NAME: capture on cli0 (replies and requests) until cap_check.
cap_start() {
	CAP_PID=""
	CAP_FILE="$work/$1.pcap"
	[ "$have_tcpdump" = 1 ] || return 0
	ip netns exec "$CLI_NS" tcpdump -i cli0 -n -U -Z root -c 400 \
		--time-stamp-precision=nano -w "$CAP_FILE" udp or vlan >"$work/$1.tcpdump.log" 2>&1 &
	CAP_PID=$!
	pids+=("$CAP_PID")
	for _ in $(seq 50); do
		grep -qs 'listening on' "$work/$1.tcpdump.log" && return 0
		sleep 0.1
	done
	note_fail "tcpdump did not start: $(tail -1 "$work/$1.tcpdump.log")"
}

# cap_check PORT [VID]
cap_check() {
	[ -n "$CAP_PID" ] || { echo "  capture: skipped (no tcpdump)"; return 0; }
	for _ in $(seq 30); do
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -INT "$CAP_PID" 2>/dev/null
	wait "$CAP_PID" 2>/dev/null
	forget_pid "$CAP_PID"
	$check pcap --pcap "$CAP_FILE" --port "$1" --vlan "${2:-0}" \
		--reflector-mac "$DUT_MAC" --client-mac "$CLI_MAC" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# ping_run LABEL COUNT INTERVAL SEQ_BASE MODE ADDRESS PORT [twamp-ping options]
# Runs twamp-ping and checks its JSON; adds COUNT to SENT_TOTAL.
ping_run() {
	local label=$1 count=$2 interval=$3 base=$4 mode=$5 addr=$6 port=$7 p rc
	shift 7
	local json="$work/$label.json"
	ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode "$mode" -c "$count" \
		-i "$interval" --json --per-packet "$@" "$addr" -p "$port" \
		>"$json" 2>"$work/$label.stderr" &
	p=$!
	pids+=("$p")
	wait "$p"
	rc=$?
	forget_pid "$p"
	SENT_TOTAL=$((SENT_TOTAL + count))
	printf '  %-28s ' "$label:"
	$check ping --json "$json" --count "$count" --mode "$mode" --seq-base "$base" |
		sed '2,$s/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
	if [ "$rc" -ne 0 ]; then
		note_fail "twamp-ping exit status $rc $(head -c 300 "$work/$label.stderr")"
		# Replies the client's own kernel dropped (socket buffer full while
		# twamp-ping was not scheduled) are not the reflector's doing.
		echo "  client kernel (netns since set-up):" \
			"$(ip netns exec "$CLI_NS" nstat -asz 2>/dev/null |
				awk '/RcvbufErrors|InErrors/ { printf "%s=%s ", $1, $2 }')"
	fi
}

# final_check ALLOWED_REASONS: the FINAL line against SENT_TOTAL.
final_check() {
	$check final --log "$REFL_LOG" --reflected "$SENT_TOTAL" --allow "$1" \
		--reasons-header "$reasons_h" | sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] || case_ok=0
}

# Frames the client's kernel sends by itself with IPv6 on (DAD, MLD reports):
# not UDP, or not to one of our addresses: counted and handed to the
# exception ring, not reflected.
IPV6_STRAYS="not_udp,not_for_us"

case_v4_light() {
	case_begin v4-light "IPv4 TWAMP-Light, stateless, port 862"
	bed_up v4 || { note_fail "test bed"; case_end v4-light; return; }
	if refl_start v4 "$AFP" "$ONE_WORKER" \
		--address $V4/24 --light-port 862; then
		ping_run v4-light $COUNT $INTERVAL 0 light $V4 862 -4
		cap_run v4-light-captured 0 light $V4 862 0 -4
		refl_stop
		final_check ""
	else
		note_fail "reflector start"
	fi
	bed_down v4
	case_end v4-light
}

case_v6_light() {
	case_begin v6-light "IPv6 TWAMP-Light, stateless, port 862"
	bed_up v6 --ipv6 || { note_fail "test bed"; case_end v6-light; return; }
	if refl_start v6 "$AFP" "$ONE_WORKER" \
		--address $V4/24 --address $V6/64 --light-port 862; then
		ping_run v6-light $COUNT $INTERVAL 0 light $V6 862 -6
		cap_run v6-light-captured 0 light $V6 862 0 -6
		refl_stop
		final_check "$IPV6_STRAYS"
	else
		note_fail "reflector start"
	fi
	bed_down v6
	case_end v6-light
}

# STAMP stateful (RFC 8762 sec. 4): the reflector keeps a counter per
# session (the 4-tuple). A fresh session starts at 0 (replies equal ours
# when nothing is lost); the same session resumed continues the count; a
# new session from another source port starts at 0 again.
case_v4_stamp_stateful() {
	local n2=1000
	case_begin v4-stamp-stateful "IPv4 STAMP, stateful, port 863"
	bed_up st || { note_fail "test bed"; case_end v4-stamp-stateful; return; }
	if refl_start st "$AFP" "$ONE_WORKER" \
		--address $V4/24 --light-port 863,stamp,stateful; then
		ping_run stamp-session-A $COUNT $INTERVAL 0 stamp $V4 863 -4 --source-port 40001
		ping_run stamp-session-A-again $n2 $INTERVAL $COUNT stamp $V4 863 -4 \
			--source-port 40001
		ping_run stamp-session-B $n2 $INTERVAL 0 stamp $V4 863 -4 --source-port 40002
		cap_run stamp-session-C-captured 0 stamp $V4 863 0 -4 --source-port 40003
		refl_stop
		final_check ""
	else
		note_fail "reflector start"
	fi
	bed_down st
	case_end v4-stamp-stateful
}

# 802.1Q: the reflector's addresses live on VLAN 100 (--vlan 100); the
# client sends from its VLAN interface (cli0.100, or cli0 with the tc
# emulation on kernels without 802.1Q). IPv4 and IPv6.
case_vlan() {
	case_begin vlan "802.1Q VLAN 100, TWAMP-Light, IPv4 and IPv6"
	bed_up vl --vlan 100 --ipv6 || { note_fail "test bed"; case_end vlan; return; }
	echo "  client VLAN interface: $CLI_IF ($VLAN_MODE)"
	if refl_start vl "$AFP" "$ONE_WORKER" \
		--vlan 100 --address 198.18.1.2/24 --address 2001:db8:1::2/64 --light-port 862; then
		ping_run vlan100-v4 $COUNT $INTERVAL 0 light 198.18.1.2 862 -4
		ping_run vlan100-v6 $COUNT $INTERVAL 0 light 2001:db8:1::2 862 -6
		cap_run vlan100-v4-captured 0 light 198.18.1.2 862 100 -4
		cap_run vlan100-v6-captured 0 light 2001:db8:1::2 862 100 -6
		refl_stop
		# Untagged IPv6 housekeeping of the client (DAD, MLD) is not on
		# the reflector's VLAN: not_for_us / not_udp.
		final_check "$IPV6_STRAYS"
	else
		note_fail "reflector start"
	fi
	bed_down vl
	case_end vlan
}

# Two RX queues: af_packet qpairs=2 (a PACKET_FANOUT_HASH group: flows are
# spread by their 4-tuple, and every queue must be polled), two workers.
# TWAMP-Light flows from several source ports until both queues have had
# traffic (telemetry's per-queue counters), then stateful STAMP flows, each
# with its own counter from 0 whichever worker owns it.
case_rxq2() {
	local sp n=0
	case_begin rxq2 "2 RX queues (qpairs=2), 2 workers, TWAMP-Light IPv4, several flows"
	bed_up q2 --qpairs 2 || { note_fail "test bed"; case_end rxq2; return; }
	if refl_start q2 "$AFP,qpairs=2" "0@0,1@1,2@0" \
		--workers 2 --address $V4/24 --light-port 862 --light-port 863,stamp,stateful; then
		for sp in 41001 41002 41003 41004 41005 41006 41007 41008; do
			ping_run "rxq2-light-sport-$sp" $COUNT $INTERVAL 0 light $V4 862 -4 \
				--source-port $sp
			n=$((n + 1))
			[ $n -ge 3 ] && $check queues --prefix "$REFL_PREFIX" --nb 2 >/dev/null 2>&1 &&
				break
		done
		$check queues --prefix "$REFL_PREFIX" --nb 2 | sed 's/^/  /'
		[ "${PIPESTATUS[0]}" -eq 0 ] || note_fail "a queue saw no traffic after $n flows"
		for sp in 42001 42002 42003; do
			ping_run "rxq2-stamp-sport-$sp" 1000 $INTERVAL 0 stamp $V4 863 -4 --source-port $sp
		done
		$check queues --prefix "$REFL_PREFIX" --nb 2 | sed 's/^/  /'
		refl_stop
		# Per-worker lines, where the reflector prints them.
		grep '^WORKER' "$REFL_LOG" | cut -d' ' -f1-4 | sed 's/^/  /'
		final_check ""
	else
		note_fail "reflector start"
	fi
	bed_down q2
	case_end rxq2
}

# af_packet spreads frames over every qpair socket: more qpairs than workers
# would leave a queue unpolled and its frames lost without a counter, so the
# reflector must refuse to start, naming the fix.
case_qpairs_mismatch() {
	local log="$work/qm.reflector.log" rc
	case_begin qpairs-mismatch "qpairs=2 with 1 worker is refused at start"
	bed_up qm --qpairs 2 || { note_fail "test bed"; case_end qpairs-mismatch; return; }
	timeout 30 ip netns exec "$DUT_NS" "$refl_bin" --no-pci --no-huge -m 512 \
		--file-prefix "$tag-qm" --lcores "$ONE_WORKER" --vdev "$AFP,qpairs=2" -- \
		--address $V4/24 --light-port 862 >"$log" 2>&1
	rc=$?
	rm -rf "/var/run/dpdk/$tag-qm"
	[ "$rc" -ne 0 ] || note_fail "reflector started with qpairs=2 and 1 worker"
	grep -q 'has qpairs=2 but 1 worker(s).*use qpairs=1 or --workers 2' "$log" ||
		{ note_fail "no message naming the fix"; sed 's/^/    | /' "$log" | tail -5; }
	grep -q '^READY' "$log" && note_fail "reflector printed READY"
	bed_down qm
	case_end qpairs-mismatch
}

e2e_main e2e-light
