#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# The harness the end-to-end scripts share (e2e_light.sh, e2e_tap.sh,
# e2e_twamp.sh, e2e_nat.sh): sourced, not run. It gives them
#   - e2e_args, e2e_require, e2e_workdir: arguments, the checks that skip a
#     run (exit 77) and the work directory, with a trap that stops every
#     process started (by PID), removes the test beds and the EAL runtime
#     directories, and keeps the logs on failure or with E2E_KEEP=1;
#   - bed_up / bed_down (tools/testbed), refl_start / refl_stop (the
#     reflector on net_af_packet in the bed's dut namespace);
#   - case_begin / case_end, note_ok / note_fail: a case fails when any of
#     its checks does; e2e_main runs the cases by name and prints the
#     "N passed, N failed" line CI reads;
#   - counter_get / counter_expect (the reflector's "TAG name=N ..." lines),
#     twping and json_get (twamp-ping --mode full and its JSON report).
# A script defines case_NAME for every case (dashes become underscores)
# and calls, in this order:
#   . "$here/e2e_lib.sh"
#   e2e_args "CASE..." "$@"
#   e2e_require "WHY ROOT" [tun] TOOL...
#   e2e_workdir TAG_PREFIX
#   ... its own settings and functions ...
#   e2e_main LABEL
# Most variables set here are for the sourcing scripts to read:
# shellcheck disable=SC2034

# Two CPUs, busy-polling workers: the sender runs at a higher priority so
# that it reads its replies in time (else, at 10 kpps, its socket buffer
# overflows while a worker holds the CPU: UdpRcvbufErrors, seen here).
PING_NICE=-10
# af_packet ring of 4096 frames per queue (default 512): a worker that the
# scheduler parks for ~40 ms no longer fills its ring, which with qpairs
# makes the kernel's fanout roll frames over to the other queue (reordering
# a flow) or drop them (tp_drops, which the PMD does not report).
AFP="net_af_packet0,iface=dut0,framecnt=4096"
ONE_WORKER="0@0,1@1" # control lcore (sleeps when idle) on CPU 0, worker on CPU 1
# The reflector's addresses on the test bed (netns-up.sh).
V4=198.18.0.2
V6=2001:db8::2

bed_opts=() # netns-up.sh options every bed_up of the script adds (--no-neigh)
pids=()     # every process this script started and may still have to stop
beds=()     # namespace prefixes to tear down
passed=0
failed=0
failed_names=""
case_ok=1
REFL_LOG=""

# e2e_args "CASE..." TWAMP_REFLECTOR TWAMP_PING [CASE...]: sets refl_bin
# ping_bin cases (default: all); usage and exit 2 without both binaries.
e2e_args() {
	all_cases=$1
	shift
	refl_bin=${1:-}
	ping_bin=${2:-}
	[ $# -ge 2 ] && shift 2
	if [ -z "$refl_bin" ] || [ -z "$ping_bin" ]; then
		echo "usage: $0 TWAMP_REFLECTOR TWAMP_PING [CASE...]" >&2
		exit 2
	fi
	cases=${*:-$all_cases}
}

# e2e_require WHY [tun] TOOL...: exit 77 (skipped) unless root (WHY says
# what for), `ip netns`, /dev/net/tun (with tun) and every TOOL; exit 1
# when a binary of e2e_args is not executable.
e2e_require() {
	local why=$1 t b
	shift
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root ($why)"
		exit 77
	fi
	if ! ip netns list >/dev/null 2>&1; then
		echo "SKIP: 'ip netns' unavailable"
		exit 77
	fi
	if [ "${1:-}" = tun ]; then
		shift
		if [ ! -c /dev/net/tun ]; then
			echo "SKIP: no /dev/net/tun"
			exit 77
		fi
	fi
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "SKIP: $t not installed"; exit 77; }
	done
	for b in "$refl_bin" "$ping_bin"; do
		[ -x "$b" ] || { echo "FAIL: $b is not an executable" >&2; exit 1; }
	done
}

# e2e_workdir TAG_PREFIX: sets here testbed check reasons_h tag (PREFIX-PID,
# also the namespaces' and EAL file prefixes' stem) and work (the logs),
# and installs the cleanup trap.
e2e_workdir() {
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	testbed=$(cd "$here/../../tools/testbed" && pwd)
	check="python3 $here/e2e_check.py"
	reasons_h="$here/../../lib/dataplane/twr_dp_reasons.h"
	tag="$1-$$"
	work=$(mktemp -d "/tmp/twr-$tag.XXXXXX") || exit 1
	trap cleanup EXIT
	trap 'echo "interrupted"; failed=$((failed + 1)); exit 130' INT
	trap 'echo "terminated"; failed=$((failed + 1)); exit 143' TERM
}

# Stop what we started, by PID; remove our namespaces and EAL runtime dirs.
cleanup() {
	local p b
	trap - EXIT INT TERM
	for p in "${pids[@]}"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -INT "$p" 2>/dev/null
		for _ in $(seq 20); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for b in "${beds[@]}"; do
		"$testbed/netns-down.sh" --prefix "$b"
	done
	rm -rf /var/run/dpdk/"$tag"-* 2>/dev/null
	if [ "$failed" -eq 0 ] && [ -z "${E2E_KEEP:-}" ]; then
		rm -rf "$work"
	else
		echo "logs kept in $work"
	fi
}

forget_pid() {
	local p keep=()
	for p in "${pids[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
	pids=("${keep[@]}")
}

note_fail() {
	echo "  FAIL: $*"
	case_ok=0
}

note_ok() {
	echo "  ok: $*"
}

# bed_up NAME [netns-up options]: the bed_opts and these. Sets what
# netns-up.sh prints (CLI_NS DUT_NS DUT_MAC CLI_IF VLAN_MODE CLI_ADDR, and
# NAT_NS ATK_NS NAT_ADDR ATK_ADDR NAT_MODE) and CLI_MAC.
bed_up() {
	local name=$1 out rc
	shift
	beds+=("$tag-$name")
	out=$("$testbed/netns-up.sh" --prefix "$tag-$name" "${bed_opts[@]}" "$@" \
		2>"$work/$name.bed.log")
	rc=$?
	sed 's/^/  /' "$work/$name.bed.log"
	[ "$rc" -eq 0 ] || return 1
	eval "$out"
	CLI_MAC=$(ip netns exec "$CLI_NS" cat /sys/class/net/cli0/address)
}

bed_down() {
	local keep=() b
	"$testbed/netns-down.sh" --prefix "$tag-$1"
	for b in "${beds[@]}"; do [ "$b" != "$tag-$1" ] && keep+=("$b"); done
	beds=("${keep[@]}")
}

# e2e_refl_start NAME VDEV LCORES [reflector options]: the reflector in
# DUT_NS, waited for (READY, 15 s). Sets REFL_PID REFL_LOG REFL_PREFIX.
e2e_refl_start() {
	local name=$1 vdev=$2 lcores=$3
	shift 3
	REFL_PREFIX="$tag-$name"
	REFL_LOG="$work/$name.reflector.log"
	ip netns exec "$DUT_NS" "$refl_bin" --no-pci --no-huge -m 512 \
		--file-prefix "$REFL_PREFIX" --lcores "$lcores" --vdev "$vdev" -- "$@" \
		>"$REFL_LOG" 2>&1 &
	REFL_PID=$!
	pids+=("$REFL_PID")
	for _ in $(seq 150); do
		grep -qs '^READY' "$REFL_LOG" && return 0
		kill -0 "$REFL_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "  reflector did not become ready:"
	sed 's/^/    | /' "$REFL_LOG" | tail -15
	return 1
}

# refl_start NAME VDEV LCORES [reflector options]: a script may redefine it
# with fixed arguments of its own.
refl_start() {
	e2e_refl_start "$@"
}

# refl_stop: SIGINT, wait for its exit (10 s), check its status.
refl_stop() {
	local rc
	kill -INT "$REFL_PID" 2>/dev/null
	for _ in $(seq 100); do
		kill -0 "$REFL_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$REFL_PID" 2>/dev/null; then
		note_fail "reflector ignored SIGINT for 10 s; killed"
		kill -KILL "$REFL_PID" 2>/dev/null
	fi
	wait "$REFL_PID"
	rc=$?
	forget_pid "$REFL_PID"
	[ "$rc" -eq 0 ] || note_fail "reflector exit status $rc"
}

# counter_get TAG NAME: NAME from the last "TAG ..." counters line of the log.
counter_get() {
	grep -a "^$1 " "$REFL_LOG" | tail -1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# counter_expect TAG NAME OP VALUE: a counter of the last TAG line (OP: -eq
# or -ge).
counter_expect() {
	local v
	local ok=1
	v=$(counter_get "$1" "$2")
	case "$3" in
	-eq) [ -n "$v" ] && [ "$v" -eq "$4" ] && ok=0 ;;
	-ge) [ -n "$v" ] && [ "$v" -ge "$4" ] && ok=0 ;;
	esac
	if [ "$ok" = 0 ]; then
		note_ok "$1 $2=$v ($3 $4)"
	else
		note_fail "$1 $2=${v:-missing}, expected $3 $4"
	fi
}

# twping LABEL COUNT INTERVAL [twamp-ping options] ADDRESS: full mode, JSON in
# $work/LABEL.json. Sets TWP_RC. Adds the packets sent to SENT_TOTAL.
twping() {
	local label=$1 count=$2 interval=$3
	shift 3
	ip netns exec "$CLI_NS" nice -n "$PING_NICE" "$ping_bin" --mode full -c "$count" \
		-i "$interval" --json "$@" >"$work/$label.json" 2>"$work/$label.stderr"
	TWP_RC=$?
	SENT_TOTAL=$((SENT_TOTAL + $(json_get "$label" sent 0)))
}

# json_get LABEL KEY [DEFAULT]: a top-level or control.KEY value of the report.
json_get() {
	python3 - "$work/$1.json" "$2" "${3:-}" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except (OSError, ValueError):
    print(sys.argv[3]); sys.exit(0)
k = sys.argv[2]
v = d.get(k, (d.get("control") or {}).get(k, sys.argv[3]))
print(json.dumps(v) if isinstance(v, (list, dict, bool)) else v)
EOF
}

case_begin() {
	echo "=== $1: $2"
	case_ok=1
	SENT_TOTAL=0
	REFL_LOG=""
	case_t0=$(date +%s.%N)
}

case_end() {
	local dt
	dt=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" \
		"$case_t0" "$(date +%s.%N)")
	if [ "$case_ok" = 1 ]; then
		passed=$((passed + 1))
		echo "--- $1: PASS (${dt}s)"
	else
		failed=$((failed + 1))
		failed_names="$failed_names $1"
		echo "--- $1: FAIL (${dt}s), reflector log: ${REFL_LOG:-none}"
	fi
}

# e2e_main LABEL: run the cases (case_NAME, dashes as underscores), then the
# summary: the time, the failed cases and "N passed, N failed". Exit status
# 0 when none failed.
e2e_main() {
	local c t0
	echo "$1: $refl_bin, $ping_bin; logs in $work"
	t0=$(date +%s)
	for c in $cases; do
		if [[ " $all_cases " == *" $c "* ]]; then
			"case_${c//-/_}"
		else
			echo "unknown case '$c' (cases: $all_cases)"
			failed=$((failed + 1))
		fi
	done
	echo "$1: $(($(date +%s) - t0)) s${failed_names:+; failed:$failed_names}"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
