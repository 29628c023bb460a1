#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 twamp-reflector authors
#
# Create the virtual test bed: two network namespaces joined by a veth pair.
#
#   netns PREFIX-cli:  cli0      198.18.0.1/24  2001:db8::1/64     (kernel client)
#                      cli0.VID  198.18.1.1/24  2001:db8:1::1/64   (with --vlan VID)
#        | veth
#   netns PREFIX-dut:  dut0      no address     (twamp-reflector: net_af_packet0,iface=dut0)
#
# The reflector's addresses are 198.18.0.2 and 2001:db8::2 (untagged) and
# 198.18.1.2 and 2001:db8:1::2 (VLAN VID). The client gets permanent
# neighbour entries for them pointing at dut0's MAC (the reflector answers
# to the MAC a request came from), unless --no-neigh: then ARP and ND go
# through the reflector's exception path (its TAP) as on a real network.
# Only 198.18.0.0/15 and 2001:db8::/32 are used, and every frame stays on
# the veth pairs inside the namespaces.
#
# With --nat MODE the client sits behind a NAT router instead (IPv4 only):
#
#   netns PREFIX-cli:  cli0  198.18.2.1/24    default via 198.18.2.254
#        | veth
#   netns PREFIX-nat:  nat0  198.18.2.254/24  the router: ip_forward=1, nftables
#                      nat1  198.18.0.1/24    "table ip twr_nat" source-NATs
#                      natx  198.18.3.254/24  198.18.2.0/24 leaving nat1
#        | veth (nat1)                 | veth (natx)
#   netns PREFIX-dut:  dut0 as above   netns PREFIX-atk:  atk0  198.18.3.1/24
#                                                         default via 198.18.3.254
#
#   --nat addr   address-only NAT: snat to 198.18.0.1 (the kernel keeps a
#                free source port: ports are preserved)
#   --nat port   port-rewriting NAT: snat to 198.18.0.1:40000-40999 (TCP
#                and UDP). The client's ephemeral ports are 50000-60999 in
#                both modes, so every port is rewritten (the kernel keeps a
#                port that is inside the range already).
# The third host (PREFIX-atk, "another address") is routed without NAT.
# The permanent neighbour entry for 198.18.0.2 is the router's (on nat1);
# with --no-neigh the router resolves it with ARP (the reflector's TAP).
#
# usage: netns-up.sh [--prefix P] [--qpairs N] [--vlan VID] [--ipv6] [--no-neigh]
#                    [--nat addr|port]
#   --prefix P   namespace names P-cli and P-dut (default twr-$PPID; give the
#                same --prefix to netns-down.sh), and P-nat, P-atk with --nat
#   --qpairs N   veth queue count, to match net_af_packet's qpairs=N (default 1)
#   --vlan VID   also create cli0.VID (802.1Q) on the client (see VLAN_MODE)
#   --ipv6       enable IPv6 on the client (off by default: no stray RS/MLD)
#   --no-neigh   no static neighbour entries on the client: it resolves the
#                reflector's addresses with ARP / ND (the reflector's TAP)
#   --nat MODE   the client behind a NAT router, MODE addr or port (above);
#                not with --vlan or --ipv6
#
# On success it prints shell assignments for eval:
#   CLI_NS=P-cli DUT_NS=P-dut DUT_MAC=xx:.. CLI_IF=cli0 DUT_IF=dut0 VLAN_MODE=none
#   CLI_ADDR=198.18.0.1 NAT_NS= ATK_NS= NAT_ADDR= ATK_ADDR= NAT_MODE=none
# (CLI_IF is the VLAN's interface with --vlan; VLAN_MODE none, 8021q or
# tc-bpf: a kernel without 802.1Q gets the tc emulation in vlan-emul.bpf.c.
# CLI_ADDR is cli0's IPv4 address. With --nat: CLI_ADDR=198.18.2.1
# NAT_NS=P-nat ATK_NS=P-atk NAT_ADDR=198.18.0.1 (the client's address as
# the reflector sees it) ATK_ADDR=198.18.3.1 NAT_MODE=addr|port; without
# --nat those are empty and NAT_MODE=none.)
# Needs root, iproute2 (ip netns) and ethtool, and nft for --nat. Tear down
# with netns-down.sh; on failure it tears down what it made.
set -u

prefix="twr-$PPID"
qpairs=1
vlan=""
ipv6=0
neigh=1
nat=""

die() {
	echo "netns-up: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--prefix) prefix=${2:?--prefix needs a value}; shift 2 ;;
	--qpairs) qpairs=${2:?--qpairs needs a value}; shift 2 ;;
	--vlan) vlan=${2:?--vlan needs a value}; shift 2 ;;
	--ipv6) ipv6=1; shift ;;
	--no-neigh) neigh=0; shift ;;
	--nat) nat=${2:?--nat needs a value}; shift 2 ;;
	-h | --help) awk 'NR >= 5 && !/^#/ { exit } NR >= 5 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$qpairs" in '' | *[!0-9]* | 0) die "--qpairs: a number 1..16, not '$qpairs'" ;; esac
[ "$qpairs" -le 16 ] || die "--qpairs: a number 1..16, not '$qpairs'"
if [ -n "$vlan" ]; then
	case "$vlan" in *[!0-9]*) die "--vlan: 1..4094, not '$vlan'" ;; esac
	{ [ "$vlan" -ge 1 ] && [ "$vlan" -le 4094 ]; } || die "--vlan: 1..4094, not '$vlan'"
fi
case "$prefix" in '' | *[!A-Za-z0-9_-]*) die "--prefix: letters, digits, - and _ only" ;; esac
if [ -n "$nat" ]; then
	case "$nat" in addr | port) ;; *) die "--nat: addr or port, not '$nat'" ;; esac
	[ -z "$vlan" ] || die "--nat with --vlan is not supported (the NAT bed is IPv4, untagged)"
	[ "$ipv6" = 0 ] || die "--nat with --ipv6 is not supported (the NAT bed is IPv4 only)"
fi
[ "$(id -u)" -eq 0 ] || die "needs root"
command -v ip >/dev/null || die "iproute2 (ip) not found"
[ -z "$nat" ] || command -v nft >/dev/null || die "--nat needs nft (nftables)"

cli="$prefix-cli"
dut="$prefix-dut"
natns="$prefix-nat"
atk="$prefix-atk"
here=$(cd "$(dirname "$0")" && pwd)

fail() {
	echo "netns-up: $*" >&2
	"$here/netns-down.sh" --prefix "$prefix" >&2
	exit 1
}

ip netns list 2>/dev/null | grep -qE "^($cli|$dut|$natns|$atk)( |\$)" &&
	die "namespace $cli, $dut, $natns or $atk exists already (netns-down.sh --prefix $prefix)"

ip netns add "$cli" || fail "cannot create namespace $cli"
ip netns add "$dut" || fail "cannot create namespace $dut"
ip -n "$cli" link set lo up
ip -n "$dut" link set lo up

# Namespace-wide defaults before the veth exists, so no interface ever runs
# IPv6 autoconfiguration in the dut namespace.
ip netns exec "$dut" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
	net.ipv6.conf.all.disable_ipv6=1 || fail "sysctl in $dut"
ip netns exec "$cli" sysctl -qw net.ipv6.conf.default.accept_ra=0 \
	net.ipv6.conf.default.router_solicitations=0 \
	net.ipv6.conf.default.disable_ipv6=$((1 - ipv6)) || fail "sysctl in $cli"

# The NAT bed's extra namespaces and veth pairs: cli0-nat0, nat1-dut0,
# atk0-natx, checksum offloads off on the ends made here. IPv6 off in the
# router and the third host before any of their interfaces exists.
nat_links() {
	local ns e
	ip netns add "$natns" && ip netns add "$atk" || return 1
	for ns in "$natns" "$atk"; do
		ip -n "$ns" link set lo up &&
			ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 \
				net.ipv6.conf.all.disable_ipv6=1 || return 1
	done
	ip link add cli0 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$cli" type veth \
		peer name nat0 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$natns" &&
		ip link add nat1 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$natns" type veth \
			peer name dut0 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$dut" &&
		ip link add atk0 netns "$atk" type veth peer name natx netns "$natns" || return 1
	for e in "$natns:nat0" "$natns:nat1" "$natns:natx" "$atk:atk0"; do
		ip netns exec "${e%%:*}" ethtool -K "${e#*:}" tx off tso off gso off gro off \
			>/dev/null 2>&1 || { echo "netns-up: ethtool -K ${e#*:}" >&2; return 1; }
	done
}

# The router: addresses, forwarding and the source NAT (nftables), the
# third host beside the client; the client's default route and port range.
nat_router() {
	local from='oifname "nat1" ip saddr 198.18.2.0/24' to=198.18.0.1 rules
	ip -n "$natns" addr add 198.18.2.254/24 dev nat0 &&
		ip -n "$natns" addr add 198.18.0.1/24 dev nat1 &&
		ip -n "$natns" addr add 198.18.3.254/24 dev natx &&
		ip -n "$atk" addr add 198.18.3.1/24 dev atk0 || return 1
	ip netns exec "$natns" sysctl -qw net.ipv4.ip_forward=1 || return 1
	# Client ports outside 40000-40999: given a range, the kernel keeps a
	# port that is in it already, and --nat port must rewrite every one.
	ip netns exec "$cli" sysctl -qw net.ipv4.ip_local_port_range="50000 60999" || return 1
	rules="$from counter snat to $to"
	# A port mapping needs a transport protocol match: TCP and UDP get ports
	# from the range, anything else (ICMP) the address alone.
	[ "$nat" = port ] && rules="$from meta l4proto { tcp, udp } counter snat to $to:40000-40999
		$rules"
	ip netns exec "$natns" nft -f - <<EOF || return 1
table ip twr_nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		$rules
	}
}
EOF
	ip -n "$natns" link set nat0 up && ip -n "$natns" link set nat1 up &&
		ip -n "$natns" link set natx up && ip -n "$atk" link set atk0 up || return 1
	ip -n "$cli" route add default via 198.18.2.254 dev cli0 &&
		ip -n "$atk" route add default via 198.18.3.254 dev atk0
}

if [ -z "$nat" ]; then
	ip link add cli0 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$cli" type veth \
		peer name dut0 numtxqueues "$qpairs" numrxqueues "$qpairs" netns "$dut" ||
		fail "cannot create the veth pair"
else
	nat_links || fail "cannot create the NAT router's namespaces and veth pairs"
fi

# Checksum offload off on both ends (TESTBED.md): else veth hands af_packet
# frames with a partial UDP checksum.
ip netns exec "$cli" ethtool -K cli0 tx off tso off gso off gro off >/dev/null 2>&1 ||
	fail "ethtool -K cli0 (is ethtool installed?)"
ip netns exec "$dut" ethtool -K dut0 rx off tx off tso off gso off gro off >/dev/null 2>&1 ||
	fail "ethtool -K dut0"

# The dut kernel sees every frame on dut0 too: keep it silent (TESTBED.md).
ip netns exec "$dut" sysctl -qw net.ipv4.conf.dut0.arp_ignore=8 \
	net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.dut0.rp_filter=1 \
	net.ipv6.conf.dut0.disable_ipv6=1 || fail "sysctl on dut0"

cli_addr=198.18.0.1
[ -n "$nat" ] && cli_addr=198.18.2.1
ip -n "$cli" addr add "$cli_addr/24" dev cli0 || fail "address on cli0"
if [ "$ipv6" = 1 ]; then
	ip netns exec "$cli" sysctl -qw net.ipv6.conf.cli0.accept_ra=0 \
		net.ipv6.conf.cli0.router_solicitations=0 || fail "sysctl on cli0"
	ip -n "$cli" addr add 2001:db8::1/64 dev cli0 nodad || fail "IPv6 address on cli0"
else
	ip netns exec "$cli" sysctl -qw net.ipv6.conf.cli0.disable_ipv6=1 || fail "sysctl on cli0"
fi
ip -n "$dut" link set dut0 up || fail "dut0 up"
ip -n "$cli" link set cli0 up || fail "cli0 up"
[ -z "$nat" ] || nat_router || fail "the NAT router"

# /sys shows the caller's namespace: read dut0's MAC from inside its own.
dut_mac=$(ip netns exec "$dut" cat /sys/class/net/dut0/address) || fail "dut0 MAC"

if [ "$neigh" = 1 ] && [ -n "$nat" ]; then
	ip -n "$natns" neigh replace 198.18.0.2 lladdr "$dut_mac" dev nat1 nud permanent ||
		fail "neighbour 198.18.0.2 on the router"
elif [ "$neigh" = 1 ]; then
	ip -n "$cli" neigh replace 198.18.0.2 lladdr "$dut_mac" dev cli0 nud permanent ||
		fail "neighbour 198.18.0.2"
	[ "$ipv6" = 1 ] && { ip -n "$cli" -6 neigh replace 2001:db8::2 lladdr "$dut_mac" \
		dev cli0 nud permanent || fail "neighbour 2001:db8::2"; }
fi

# The VLAN: a real 802.1Q subinterface cli0.VID when the kernel has 8021q;
# otherwise (e.g. CONFIG_VLAN_8021Q unset) cli0 itself plays it, with tc
# programs that tag frames to the VLAN's prefixes and untag frames with VID
# (vlan-emul.bpf.c). Either way the reflector sees 802.1Q frames with VID.
vlan_emulated() {
	local obj dir
	command -v clang >/dev/null || { echo "netns-up: no 802.1Q in this kernel and no clang to" \
		"build vlan-emul.bpf.c" >&2; return 1; }
	dir=$(mktemp -d) || return 1
	obj="$dir/vlan-emul.o"
	# <asm/types.h> lives in the multiarch include directory.
	clang -O2 -g0 -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -DVID="$vlan" \
		-c "$here/vlan-emul.bpf.c" -o "$obj" 2>"$dir/cc.log" ||
		{ cat "$dir/cc.log" >&2; rm -rf "$dir"; return 1; }
	ip netns exec "$cli" tc qdisc add dev cli0 clsact &&
		ip netns exec "$cli" tc filter add dev cli0 egress bpf da obj "$obj" sec tc/egress &&
		ip netns exec "$cli" tc filter add dev cli0 ingress bpf da obj "$obj" sec tc/ingress
	local rc=$?
	rm -rf "$dir"
	return $rc
}

cli_if=cli0
vlan_mode=none
if [ -n "$vlan" ]; then
	vif="cli0.$vlan"
	if ip -n "$cli" link add link cli0 name "$vif" type vlan id "$vlan" 2>/dev/null; then
		vlan_mode=8021q
		ip netns exec "$cli" ethtool -K "$vif" tx off tso off gso off gro off >/dev/null 2>&1 || true
		# /proc directly: sysctl's key syntax for a dotted name is awkward.
		if [ "$ipv6" = 1 ]; then
			ip netns exec "$cli" sh -c "echo 0 >/proc/sys/net/ipv6/conf/$vif/accept_ra &&
				echo 0 >/proc/sys/net/ipv6/conf/$vif/router_solicitations" ||
				fail "sysctl on $vif"
		else
			ip netns exec "$cli" sh -c "echo 1 >/proc/sys/net/ipv6/conf/$vif/disable_ipv6" ||
				fail "sysctl on $vif"
		fi
		ip -n "$cli" link set "$vif" up || fail "$vif up"
	else
		vlan_mode=tc-bpf
		vif=cli0
		vlan_emulated || fail "no 802.1Q support and the tc emulation failed"
		echo "netns-up: kernel without 802.1Q: cli0 tags 198.18.1.0/24 and" \
			"2001:db8:1::/64 with VID $vlan (tc, vlan-emul.bpf.c)" >&2
	fi
	ip -n "$cli" addr add 198.18.1.1/24 dev "$vif" || fail "address on $vif"
	[ "$ipv6" = 1 ] && { ip -n "$cli" addr add 2001:db8:1::1/64 dev "$vif" nodad ||
		fail "IPv6 on $vif"; }
	if [ "$neigh" = 1 ]; then
		ip -n "$cli" neigh replace 198.18.1.2 lladdr "$dut_mac" dev "$vif" nud permanent ||
			fail "neighbour 198.18.1.2"
		[ "$ipv6" = 1 ] && { ip -n "$cli" -6 neigh replace 2001:db8:1::2 lladdr "$dut_mac" \
			dev "$vif" nud permanent || fail "neighbour 2001:db8:1::2"; }
	fi
	cli_if=$vif
fi

nat_vars="NAT_NS= ATK_NS= NAT_ADDR= ATK_ADDR= NAT_MODE=none"
[ -n "$nat" ] && nat_vars="NAT_NS=$natns ATK_NS=$atk NAT_ADDR=198.18.0.1 ATK_ADDR=198.18.3.1" &&
	nat_vars="$nat_vars NAT_MODE=$nat"
echo "CLI_NS=$cli DUT_NS=$dut DUT_MAC=$dut_mac CLI_IF=$cli_if DUT_IF=dut0 VLAN_MODE=$vlan_mode" \
	"CLI_ADDR=$cli_addr $nat_vars"
