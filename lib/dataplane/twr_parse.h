/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PARSE_H
#define TWR_PARSE_H

/**
 * @file
 * Frame parser of the data plane: Ethernet, 802.1Q and QinQ, IPv4, IPv6,
 * UDP, on a plain contiguous buffer (one mbuf segment), into a struct of
 * offsets and copied fields that fits one cache line.
 *
 * It validates what the reflector relies on (lengths, IPv4 header,
 * checksums unless the NIC already did) and classifies what it cannot use
 * into a reason of twr_dp_reasons.h. It does not decide whether a packet
 * is for us: the classifier does, from the addresses and ports here.
 * Destination MAC addresses are left to the NIC's filter.
 *
 * Decisions (IPv4 options, IPv6 extension headers, fragments) are
 * described in twr_dp_reasons.h.
 */

#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "twr_cksum.h"
#include "twr_dp_reasons.h"
#include "twr_wire.h"

/** @name Flags of twr_parse(): what the NIC already verified. */
/**@{*/
#define TWR_PARSE_IP_CKSUM_GOOD 0x1u /**< IPv4 header checksum verified good */
#define TWR_PARSE_IP_CKSUM_BAD	0x2u /**< IPv4 header checksum verified bad */
#define TWR_PARSE_L4_CKSUM_GOOD 0x4u /**< UDP checksum verified good */
#define TWR_PARSE_L4_CKSUM_BAD	0x8u /**< UDP checksum verified bad */
/**@}*/

/** Extension headers skipped before giving up (bounds work per packet). */
#define TWR_PARSE_IPV6_EXT_MAX 4

#define TWR_IPV4_HDR_LEN       20
#define TWR_IPV6_HDR_LEN       40
#define TWR_UDP_HDR_LEN	       8
#define TWR_VLAN_TAG_LEN       4

/**
 * What the parser found. Offsets are from the start of the frame.
 * Addresses are copied (not pointers into the frame) because the reply is
 * built over the request: the classifier, the STAMP Location TLV and the
 * NAT diagnostics still need what was received after the swap.
 */
struct twr_pkt_info {
	/** Source address: IPv6, or IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d). */
	uint8_t src_addr[16];
	uint8_t dst_addr[16]; /**< destination, same form */
	uint16_t l3_off;      /**< IP header */
	uint16_t l4_off;      /**< UDP header (after IPv4 options / IPv6 extension headers) */
	uint16_t payload_off; /**< UDP payload (the test packet) */
	uint16_t payload_len; /**< UDP length - 8: trailing Ethernet padding excluded */
	uint16_t src_port;    /**< host order */
	uint16_t dst_port;    /**< host order */
	uint16_t outer_vid;   /**< first VLAN ID (0 without tags) */
	uint16_t inner_vid;   /**< second VLAN ID (QinQ; 0 otherwise) */
	uint8_t ip_version;   /**< 4 or 6 */
	uint8_t vlan_count;   /**< 0, 1 or 2 */
	uint8_t ttl;	      /**< IPv4 TTL / IPv6 Hop Limit as received */
	uint8_t tos;	      /**< IPv4 TOS / IPv6 Traffic Class as received (DSCP + ECN) */
};

/**
 * Skip IPv6 extension headers (the rare path, out of line).
 *
 * @param frame  the frame.
 * @param off    in: offset of the first extension header; out: of the
 *               upper-layer header.
 * @param end    end of the IPv6 payload (offset in the frame).
 * @param nh     in: Next Header of the IPv6 header; out: the upper-layer
 *               protocol.
 * @return 0; TWR_DP_REASON_TRUNCATED when a header runs past @p end;
 *   TWR_DP_REASON_IPV6_FRAGMENT; TWR_DP_REASON_IPV6_EXT_HEADER.
 */
int twr_parse_ipv6_ext(const uint8_t *frame, uint32_t *off, uint32_t end, uint8_t *nh);

/** Write @p v4 (4 octets, network order) as an IPv4-mapped IPv6 address. */
static inline void
twr_addr_set_v4mapped(uint8_t addr[16], const void *v4)
{
	memset(addr, 0, 10);
	addr[10] = 0xff;
	addr[11] = 0xff;
	memcpy(addr + 12, v4, 4);
}

/* IPv4 header from l3_off; sets l4_off and the L4 length. */
static inline int
twr_parse_ipv4(const uint8_t *frame, uint32_t len, unsigned int flags, struct twr_pkt_info *info,
	       uint32_t *l4_len)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + info->l3_off);
	uint32_t avail = len - info->l3_off;
	uint32_t hlen, total;

	if (unlikely(avail < TWR_IPV4_HDR_LEN))
		return TWR_DP_REASON_TRUNCATED;
	if (unlikely((ip->version_ihl >> 4) != 4))
		return TWR_DP_REASON_IPV4_BAD_HEADER;
	hlen = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	total = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(hlen < TWR_IPV4_HDR_LEN || total < hlen))
		return TWR_DP_REASON_IPV4_BAD_HEADER;
	/* total >= hlen, so this also covers options running past the frame. */
	if (unlikely(total > avail))
		return TWR_DP_REASON_TRUNCATED;
	if (unlikely(flags & TWR_PARSE_IP_CKSUM_BAD))
		return TWR_DP_REASON_IPV4_BAD_CHECKSUM;
	if (!(flags & TWR_PARSE_IP_CKSUM_GOOD) && unlikely(twr_cksum_raw(ip, hlen) != 0xffff))
		return TWR_DP_REASON_IPV4_BAD_CHECKSUM;
	if (unlikely(ip->fragment_offset &
		     rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return TWR_DP_REASON_IPV4_FRAGMENT;
	if (unlikely(ip->next_proto_id != IPPROTO_UDP))
		return TWR_DP_REASON_NOT_UDP;

	info->ip_version = 4;
	info->ttl = ip->time_to_live;
	info->tos = ip->type_of_service;
	twr_addr_set_v4mapped(info->src_addr, &ip->src_addr);
	twr_addr_set_v4mapped(info->dst_addr, &ip->dst_addr);
	info->l4_off = (uint16_t)(info->l3_off + hlen);
	*l4_len = total - hlen;
	return TWR_DP_OK;
}

/* IPv6 header from l3_off; sets l4_off and the L4 length. */
static inline int
twr_parse_ipv6(const uint8_t *frame, uint32_t len, struct twr_pkt_info *info, uint32_t *l4_len)
{
	const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)(frame + info->l3_off);
	uint32_t avail = len - info->l3_off;
	uint32_t plen, off, end, vtc;
	uint8_t nh;
	int ret;

	if (unlikely(avail < TWR_IPV6_HDR_LEN))
		return TWR_DP_REASON_TRUNCATED;
	vtc = rte_be_to_cpu_32(ip->vtc_flow);
	if (unlikely((vtc >> 28) != 6))
		return TWR_DP_REASON_IPV6_BAD_HEADER;
	plen = rte_be_to_cpu_16(ip->payload_len);
	/* 0 announces a Jumbo Payload option (RFC 2675): not supported. */
	if (unlikely(plen == 0))
		return TWR_DP_REASON_IPV6_BAD_HEADER;
	if (unlikely(plen > avail - TWR_IPV6_HDR_LEN))
		return TWR_DP_REASON_TRUNCATED;

	off = info->l3_off + TWR_IPV6_HDR_LEN;
	end = off + plen;
	nh = ip->proto;
	if (unlikely(nh != IPPROTO_UDP)) {
		ret = twr_parse_ipv6_ext(frame, &off, end, &nh);
		if (ret != TWR_DP_OK)
			return ret;
		if (nh != IPPROTO_UDP)
			return TWR_DP_REASON_NOT_UDP;
	}

	info->ip_version = 6;
	info->ttl = ip->hop_limits;
	info->tos = (uint8_t)(vtc >> RTE_IPV6_HDR_TC_SHIFT);
	memcpy(info->src_addr, ip->src_addr, 16);
	memcpy(info->dst_addr, ip->dst_addr, 16);
	info->l4_off = (uint16_t)off;
	*l4_len = end - off;
	return TWR_DP_OK;
}

/* UDP header at l4_off, @p l4_len octets of IP payload from there. */
static inline int
twr_parse_udp(const uint8_t *frame, unsigned int flags, struct twr_pkt_info *info, uint32_t l4_len)
{
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(frame + info->l4_off);
	const uint8_t *l3 = frame + info->l3_off;
	uint32_t ulen;

	if (unlikely(l4_len < TWR_UDP_HDR_LEN))
		return TWR_DP_REASON_UDP_BAD_LENGTH;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	/* Shorter than the IP payload is legal (the rest is ignored). */
	if (unlikely(ulen < TWR_UDP_HDR_LEN || ulen > l4_len))
		return TWR_DP_REASON_UDP_BAD_LENGTH;
	if (udp->dgram_cksum == 0) {
		/* No checksum: allowed over IPv4 only. */
		if (unlikely(info->ip_version == 6))
			return TWR_DP_REASON_UDP_BAD_CHECKSUM;
	} else if (unlikely(flags & TWR_PARSE_L4_CKSUM_BAD)) {
		return TWR_DP_REASON_UDP_BAD_CHECKSUM;
	} else if (!(flags & TWR_PARSE_L4_CKSUM_GOOD)) {
		uint16_t sum = info->ip_version == 4
				       ? twr_cksum_udp_sum(l3 + 12, 8, udp, (uint16_t)ulen)
				       : twr_cksum_udp_sum(l3 + 8, 32, udp, (uint16_t)ulen);

		if (unlikely(sum != 0xffff))
			return TWR_DP_REASON_UDP_BAD_CHECKSUM;
	}

	info->src_port = rte_be_to_cpu_16(udp->src_port);
	info->dst_port = rte_be_to_cpu_16(udp->dst_port);
	info->payload_off = (uint16_t)(info->l4_off + TWR_UDP_HDR_LEN);
	info->payload_len = (uint16_t)(ulen - TWR_UDP_HDR_LEN);
	return TWR_DP_OK;
}

/**
 * Parse a frame down to the UDP payload.
 *
 * The reasons are checked in this order, outermost first: truncated and
 * l2_unsupported (L2), not_ip, then per IP version the header checks,
 * checksum, fragment and protocol (not_udp), then the UDP length and
 * checksum. Software checksums are skipped for what @p flags say the NIC
 * verified. On a non-zero return @p info is partly filled and must not be
 * used, except l3_off and the VLAN fields once past L2 (the exception path
 * does not need them).
 *
 * @param frame  the frame, from its Ethernet header; one contiguous buffer.
 * @param len    octets in @p frame (may include Ethernet padding).
 * @param flags  TWR_PARSE_* (0: verify everything in software).
 * @param info   filled.
 * @return TWR_DP_OK (0) or a TWR_DP_REASON_* of twr_dp_reasons.h.
 */
static inline int
twr_parse(const uint8_t *frame, uint16_t len, unsigned int flags, struct twr_pkt_info *info)
{
	uint32_t off = RTE_ETHER_HDR_LEN;
	uint32_t l4_len = 0;
	uint16_t type, vid;
	int ret;

	if (unlikely(len < RTE_ETHER_HDR_LEN))
		return TWR_DP_REASON_TRUNCATED;
	info->vlan_count = 0;
	info->outer_vid = 0;
	info->inner_vid = 0;
	type = twr_get_be16(frame + 12);
	while (type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ) {
		if (unlikely(info->vlan_count == 2))
			return TWR_DP_REASON_L2_UNSUPPORTED;
		if (unlikely(len < off + TWR_VLAN_TAG_LEN))
			return TWR_DP_REASON_TRUNCATED;
		vid = twr_get_be16(frame + off) & 0x0fff;
		if (info->vlan_count == 0)
			info->outer_vid = vid;
		else
			info->inner_vid = vid;
		info->vlan_count++;
		type = twr_get_be16(frame + off + 2);
		off += TWR_VLAN_TAG_LEN;
	}
	info->l3_off = (uint16_t)off;

	if (likely(type == RTE_ETHER_TYPE_IPV4))
		ret = twr_parse_ipv4(frame, len, flags, info, &l4_len);
	else if (type == RTE_ETHER_TYPE_IPV6)
		ret = twr_parse_ipv6(frame, len, info, &l4_len);
	else
		return TWR_DP_REASON_NOT_IP;
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	return twr_parse_udp(frame, flags, info, l4_len);
}

#endif /* TWR_PARSE_H */
