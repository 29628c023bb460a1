#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# Remove the test bed netns-up.sh created: namespaces P-cli and P-dut, and
# P-nat and P-atk of a --nat bed (the veth pairs, the VLAN and the NAT
# router's nftables table go with them). Idempotent: a missing namespace is
# not an error. It kills nothing: stop the processes you started inside
# first (a namespace with processes left lives on, unnamed, until they exit).
#
# usage: netns-down.sh [--prefix P]   (default twr-$PPID, as netns-up.sh)
set -u

prefix="twr-$PPID"
while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) prefix=${2:?--prefix needs a value}; shift 2 ;;
	-h | --help) awk 'NR >= 5 && !/^#/ { exit } NR >= 5 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) echo "netns-down: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
case "$prefix" in '' | *[!A-Za-z0-9_-]*)
	echo "netns-down: --prefix: letters, digits, - and _ only" >&2; exit 2 ;;
esac

rc=0
for ns in "$prefix-cli" "$prefix-dut" "$prefix-nat" "$prefix-atk"; do
	ip netns list 2>/dev/null | grep -qE "^$ns( |\$)" || continue
	pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
	[ -n "$pids" ] && echo "netns-down: $ns still has processes: $pids" >&2
	ip netns del "$ns" || rc=1
done
exit $rc
