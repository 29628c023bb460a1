/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Stand-in for an 802.1Q subinterface on kernels built without
 * CONFIG_VLAN_8021Q (no "ip link add ... type vlan"), used by netns-up.sh
 * --vlan: two tc clsact programs on the client's veth end.
 *
 * - egress: frames to 198.18.1.0/24 or 2001:db8:1::/64 (the VLAN's
 *   prefixes), ARP whose target address is in 198.18.1.0/24 and IPv6
 *   Neighbor Solicitations / Advertisements whose target is in
 *   2001:db8:1::/64 (address resolution on the VLAN, sent to multicast or
 *   broadcast) get an 802.1Q tag with VID; everything else leaves
 *   untagged.
 * - ingress: a frame tagged VID loses its tag, so the client's IP stack
 *   sees it as if it had arrived on cli0.VID.
 *
 * Build: clang -O2 -target bpf -DVID=100 -c vlan-emul.bpf.c -o vlan-emul.o
 * Load:  tc qdisc add dev cli0 clsact
 *        tc filter add dev cli0 egress bpf da obj vlan-emul.o sec tc/egress
 *        tc filter add dev cli0 ingress bpf da obj vlan-emul.o sec tc/ingress
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>

#ifndef VID
#define VID 100
#endif

#define SEC(name) __attribute__((section(name), used))

/* Address resolution: ARP, and ICMPv6 Neighbor Solicitation / Advertisement. */
#define ETH_P_ARP_ 0x0806
#define ICMPV6_NS  135
#define ICMPV6_NA  136
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BE16(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define BE32(x) ((__u32)__builtin_bswap32((__u32)(x)))
#else
#define BE16(x) ((__u16)(x))
#define BE32(x) ((__u32)(x))
#endif

static long (*skb_vlan_push)(struct __sk_buff *skb, __be16 proto,
			     __u16 tci) = (void *)BPF_FUNC_skb_vlan_push;
static long (*skb_vlan_pop)(struct __sk_buff *skb) = (void *)BPF_FUNC_skb_vlan_pop;

SEC("tc/egress")
int
vlan_egress(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == BE16(ETH_P_ARP_)) {
		/* Ethernet/IPv4 ARP: the target protocol address at octet 24. */
		__u8 *arp = (void *)(eth + 1);

		if ((void *)(arp + 28) > end || arp[4] != 6 || arp[5] != 4)
			return TC_ACT_OK;
		if (arp[24] != 198 || arp[25] != 18 || arp[26] != 1)
			return TC_ACT_OK;
	} else if (eth->h_proto == BE16(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end)
			return TC_ACT_OK;
		/* 198.18.1.0/24 */
		if ((ip->daddr & BE32(0xffffff00)) != BE32(0xc6120100))
			return TC_ACT_OK;
	} else if (eth->h_proto == BE16(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return TC_ACT_OK;
		/* 2001:db8:1::/64 */
		if (ip6->daddr.in6_u.u6_addr32[0] != BE32(0x20010db8) ||
		    ip6->daddr.in6_u.u6_addr32[1] != BE32(0x00010000)) {
			/* NS / NA: ICMPv6 type, code, checksum, 4 octets, target. */
			__u8 *nd = (void *)(ip6 + 1);
			__u32 *target = (void *)(nd + 8);

			if (ip6->nexthdr != 58 || (void *)(nd + 24) > end)
				return TC_ACT_OK;
			if (nd[0] != ICMPV6_NS && nd[0] != ICMPV6_NA)
				return TC_ACT_OK;
			if (target[0] != BE32(0x20010db8) || target[1] != BE32(0x00010000))
				return TC_ACT_OK;
		}
	} else {
		return TC_ACT_OK;
	}
	skb_vlan_push(skb, BE16(ETH_P_8021Q), VID);
	return TC_ACT_OK;
}

SEC("tc/ingress")
int
vlan_ingress(struct __sk_buff *skb)
{
	/* The stack moved an in-line tag into skb metadata before tc ingress. */
	if ((skb->vlan_tci & 0x0fff) == VID)
		skb_vlan_pop(skb);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "Dual BSD/GPL";
