#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# The README's main-job command, for a fresh Debian 12 machine, as root:
# install the packages, build, create a virtual test bed (two network
# namespaces joined by a veth pair, tools/testbed/netns-up.sh), start
# twamp-reflector on it (net_af_packet, no hugepages; configured by
# config/demo.ini), measure it with three
# twamp-ping sessions (full TWAMP, TWAMP-Light, STAMP), print the results and the reflector's counters, and
# remove everything again, also on failure or Ctrl-C.
#
#   netns twr-demo-PID-cli: cli0 198.18.0.1/24 2001:db8::1/64   twamp-ping
#        | veth
#   netns twr-demo-PID-dut: dut0  twamp-reflector 198.18.0.2/24 2001:db8::2/64
#                           TWAMP-Light on UDP 862, STAMP stateful on UDP 863
#
# With --nat, the NAT case (docs/nat.md): the client sits behind a
# port-rewriting NAT router namespace (netns-up.sh --nat port); a full TWAMP
# session is measured twice, first with the reflector's default policy
# (strict: every test packet is lost, and the reflector says why), then
# with --nat-policy latch (restricted latching: 0 loss); TWAMP-Light goes
# through the NAT too and the reflector's per-flow line shows the
# translated tuple.
#
#   netns ...-cli: cli0 198.18.2.1/24 -> netns ...-nat: SNAT to 198.18.0.1:40000-40999
#        -> netns ...-dut: dut0 twamp-reflector 198.18.0.2/24
#
# Only 198.18.0.0/15 and 2001:db8::/32 addresses, only inside the
# namespaces. Logs of each step in a temporary directory, shown on failure.
# TWR_BUILD=DIR builds and runs in DIR instead of build/.
#
# usage: tools/demo.sh [--nat]
set -eu
nat=0
case "${1:-}" in
--nat) nat=1 ;;
"") ;;
*) echo "usage: $0 [--nat]" >&2; exit 2 ;;
esac
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

say() { echo "demo: $*"; }

if [ "$(id -u)" -ne 0 ]; then
	say "run me as root (packages, network namespaces, af_packet)" >&2
	exit 1
fi

logs=$(mktemp -d /tmp/twr-demo.XXXXXX)
prefix="twr-demo-$$"
file_prefix="twr-demo-$$"
refl_pid=""
bed=0
ok=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	trap - EXIT INT TERM
	if [ -n "$refl_pid" ] && kill -0 "$refl_pid" 2>/dev/null; then
		kill -INT "$refl_pid" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$refl_pid" 2>/dev/null || break
			sleep 0.3
		done
		kill -KILL "$refl_pid" 2>/dev/null || true
	fi
	if [ "$bed" = 1 ]; then
		tools/testbed/netns-down.sh --prefix "$prefix" || true
	fi
	rm -rf "/var/run/dpdk/$file_prefix"
	if [ "$ok" = 1 ]; then
		rm -rf "$logs"
		say "done: reflector stopped, test bed removed"
	else
		say "failed; logs in $logs"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# step NAME LOG CMD...: run quietly, show the log's tail if it fails.
step() {
	name=$1
	log=$2
	shift 2
	if ! "$@" >"$log" 2>&1; then
		say "$name failed:" >&2
		tail -n 20 "$log" >&2
		exit 1
	fi
}

say "checking packages (tools/install-deps.sh installs what is missing) ..."
step "install-deps" "$logs/install.log" tools/install-deps.sh
build=${TWR_BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
	say "configuring $build/ (meson setup $build -Dwerror=true) ..."
	step "meson setup" "$logs/setup.log" meson setup "$build" -Dwerror=true
fi
say "building (ninja -C $build) ..."
step "ninja" "$logs/build.log" ninja -C "$build"
refl=$build/app/twamp-reflector/twamp-reflector
ping=$build/tools/twamp-ping/twamp-ping
for b in "$refl" "$ping"; do
	[ -x "$b" ] || { say "$b was not built (is libdpdk-dev installed?)" >&2; exit 1; }
done

bed=1
if [ "$nat" = 1 ]; then
	say "creating the test bed behind a NAT (namespaces $prefix-cli, -nat, -atk, -dut) ..."
	bedargs="--nat port"
else
	say "creating the test bed (namespaces $prefix-cli and $prefix-dut, veth cli0 <-> dut0) ..."
	bedargs="--ipv6"
fi
# shellcheck disable=SC2086 # two words on purpose
bedvars=$(tools/testbed/netns-up.sh --prefix "$prefix" $bedargs 2>"$logs/netns.log") || {
	cat "$logs/netns.log" >&2
	exit 1
}
eval "$bedvars"

# One control lcore (it sleeps when idle) and one worker; on a single-CPU
# machine both share CPU 0.
if [ "$(nproc)" -ge 2 ]; then lcores="0@0,1@1"; else lcores="0@0,1@0"; fi

# reflector_start LOG [OPTION...]: start it on dut0, wait for READY.
reflector_start() {
	rlog=$1
	shift
	say "starting twamp-reflector on net_af_packet0,iface=dut0 (--no-huge -m 512, lcores $lcores) $*"
	ip netns exec "$DUT_NS" "$refl" --no-pci --no-huge -m 512 --file-prefix "$file_prefix" \
		--lcores "$lcores" --vdev net_af_packet0,iface=dut0 -- \
		--address 198.18.0.2/24 --light-port 862 "$@" >"$rlog" 2>&1 &
	refl_pid=$!
	wait_ready "$rlog"
}

# wait_ready LOG: until the reflector says READY (or fails).
wait_ready() {
	rlog=$1
	i=0
	until grep -qs '^READY' "$rlog"; do
		i=$((i + 1))
		if [ $i -gt 150 ] || ! kill -0 "$refl_pid" 2>/dev/null; then
			say "the reflector did not start:" >&2
			tail -n 20 "$rlog" >&2
			exit 1
		fi
		sleep 0.1
	done
	grep -E '^(READY|port )' "$rlog" | sed 's/^/  /'
}

# reflector_stop: SIGINT, it prints its counters and exits.
reflector_stop() {
	kill -INT "$refl_pid"
	wait "$refl_pid" || rc=1
	refl_pid=""
	rm -rf "/var/run/dpdk/$file_prefix"
}

# nat_report LOG: what the reflector said about NAT.
nat_report() {
	grep -E 'NAT: session' "$1" | sed -e 's/^[A-Z_]*: *//' -e 's/^/  log:   /' || true
	grep -E '^FINAL-NAT ' "$1" | sed 's/^/  /'
	grep -E '^NAT-SESSION ' "$1" | tr ' ' '\n' |
		grep -E '^(NAT-SESSION|(id|policy|state|requested|latched|mismatch_both|mismatch_addr|latch_refused|first|cause|rx|reflected)=)' |
		tr '\n' ' ' | sed 's/^/  /'
	echo
	grep -E '^FLOW ' "$1" | sed 's/^/  /' || true
}

rc=0
if [ "$nat" = 1 ]; then
	echo
	say "1. policy strict (the default): the request names 198.18.2.1, packets arrive from 198.18.0.1:4xxxx"
	reflector_start "$logs/strict.log"
	if ip netns exec "$CLI_NS" "$ping" -q --mode full -c 100 -i 0.01 198.18.0.2; then
		say "unexpected: the strict session measured without loss" >&2
		rc=1
	fi
	say "twamp-ping -c 100 -i 0.01 198.18.0.2 -p 862   (TWAMP-Light through the same NAT)"
	ip netns exec "$CLI_NS" "$ping" -q -c 100 -i 0.01 198.18.0.2 -p 862 || rc=1
	reflector_stop
	say "what the reflector saw (strict):"
	nat_report "$logs/strict.log"
	grep -q 'cause=port-rewriting-nat' "$logs/strict.log" || { say "no NAT diagnosis" >&2; rc=1; }
	echo
	say "2. policy latch (--nat-policy latch): the first packet from the control peer's address latches"
	reflector_start "$logs/latch.log" --nat-policy latch
	ip netns exec "$CLI_NS" "$ping" -q --mode full -c 100 -i 0.01 198.18.0.2 || rc=1
	reflector_stop
	say "what the reflector saw (latch):"
	nat_report "$logs/latch.log"
	grep -q 'state=latched' "$logs/latch.log" || { say "the session did not latch" >&2; rc=1; }
	echo
	say "see docs/nat.md for what each counter means and what to do"
	[ "$rc" -eq 0 ] && ok=1
	exit "$rc"
fi

if [ "$(nproc)" -ge 2 ]; then
	# The configuration file of the same reflector (config/demo.ini).
	say "starting twamp-reflector --config config/demo.ini (net_af_packet0,iface=dut0, --no-huge) ..."
	ip netns exec "$DUT_NS" "$refl" --config config/demo.ini --file-prefix "$file_prefix" \
		>"$logs/reflector.log" 2>&1 &
	refl_pid=$!
	wait_ready "$logs/reflector.log"
else
	reflector_start "$logs/reflector.log" --address 2001:db8::2/64 --light-port 863,stamp,stateful
fi
echo
say "twamp-ping --mode full -c 100 -i 0.01 198.18.0.2   (TWAMP: TWAMP-Control on TCP 862 via the TAP)"
ip netns exec "$CLI_NS" "$ping" -q --mode full -c 100 -i 0.01 198.18.0.2 || rc=1
echo
say "twamp-ping -c 100 -i 0.01 198.18.0.2 -p 862   (TWAMP-Light, IPv4)"
ip netns exec "$CLI_NS" "$ping" -q -c 100 -i 0.01 198.18.0.2 -p 862 || rc=1
echo
say "twamp-ping --mode stamp -c 100 -i 0.01 2001:db8::2 -p 863   (STAMP stateful, IPv6)"
ip netns exec "$CLI_NS" "$ping" -q --mode stamp -c 100 -i 0.01 2001:db8::2 -p 863 || rc=1
echo

reflector_stop
# The FINAL line lists every counter; show the totals and the non-zero reasons.
awk '/^FINAL / {
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "rx" || kv[1] == "reflected" || kv[1] == "to_exception")
			main = main " " $i
		else if (kv[2] != 0 && kv[1] != "exception_consumed" && kv[1] !~ /^(tap_|to_wire)/)
			other = other " " $i
	}
	print "demo: reflector counters:" main
	if (other != "")
		print "      not reflected:" other \
			" (frames that are no test packets, e.g. the client kernel'"'"'s IPv6" \
			" MLD/DAD: exception path)"
}' "$logs/reflector.log"
awk '/^FINAL-CONTROL / {
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] ~ /^(connections_accepted|sessions_added|sessions_started|sessions_stopped)$/)
			line = line " " $i
	}
	print "demo: control plane:" line
}' "$logs/reflector.log"
grep -q '^FINAL ' "$logs/reflector.log" || { say "the reflector printed no counters" >&2; rc=1; }

[ "$rc" -eq 0 ] && ok=1
exit "$rc"
