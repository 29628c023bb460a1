/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_REFLECT_H
#define TWR_REFLECT_H

/**
 * @file
 * The reply builder common to all engines, in place, on plain buffers.
 *
 * A reply is built over its request in three steps:
 *
 * 1. The engine checks the request (twr_reflect_check_source(),
 *    twr_reflect_check_errest(), twr_reflect_check_room()) and writes the
 *    reply's test packet at info.payload_off (the payload does not move).
 * 2. twr_reflect_headers() turns the L2/L3/L4 headers around: MACs, IP
 *    addresses and UDP ports swapped (VLAN tags kept), TTL / Hop Limit
 *    255, TOS / Traffic Class as the engine chose, lengths for the new
 *    payload; IPv4 options and IPv6 extension headers are dropped by
 *    moving the headers forward (reply.head says by how much). It fills
 *    pkt->reply, all the finalize step needs.
 * 3. twr_reflect_finalize(), in the burst loop just before TX for the
 *    whole burst: writes T3, then the IPv4 header checksum and the UDP
 *    checksum in software, or what the NIC offload expects.
 *
 * Nothing here touches an mbuf: the burst loop maps reply.head to
 * rte_pktmbuf_adj(), reply.len to the data/packet length, reply.l3_off and
 * l4_off to l2_len/l3_len for checksum offload.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "twr_cksum.h"
#include "twr_dp_reasons.h"
#include "twr_parse.h"
#include "twr_wire.h"

/** A timestamp in the two formats a session may use (twr_time.h). */
struct twr_dp_ts {
	uint64_t ntp; /**< NTP 64-bit */
	uint64_t ptp; /**< PTPv2 truncated (RFC 8186) */
};

/** @name twr_reflect_conf::flags */
/**@{*/
/** Drop sender packets whose Error Estimate Multiplier is 0 (default: reflect). */
#define TWR_REFLECT_F_STRICT_ERREST 0x1u
/**@}*/

/**
 * Reflection settings shared by all sessions. Published by the control
 * lcore (a new copy and a pointer switch, or an RCU generation); workers
 * read one pointer per burst. dp: ro, ctl: rw.
 */
struct twr_reflect_conf {
	/**
	 * Error Estimate of the reflector clock for T2 and T3 (S, Scale,
	 * Multiplier; twr_errest_encode()), Z clear: the engines set Z for
	 * sessions in PTP format.
	 */
	uint16_t errest;
	/**
	 * STAMP Timestamp Information TLV answer (RFC 8972 §4.3): Sync Src In,
	 * Timestamp In, Sync Src Out, Timestamp Out.
	 */
	uint8_t ts_info[4];
	uint32_t flags; /**< TWR_REFLECT_F_* */
};

/** What the finalize step needs of a reply; offsets from the reply's start. */
struct twr_reply {
	uint16_t head;	    /**< octets the reply starts after the received frame's start */
	uint16_t len;	    /**< reply frame length */
	uint16_t l3_off;    /**< IP header */
	uint16_t l4_off;    /**< UDP header */
	uint16_t ts_off;    /**< the 8-octet Timestamp (T3); 0: none */
	uint8_t ip_version; /**< 4 or 6 */
	uint8_t ts_ptp;	    /**< write T3 in PTPv2 format */
};

/** One packet on its way through an engine. */
struct twr_dp_pkt {
	uint8_t *frame;		  /**< in: the received frame (Ethernet header) */
	uint16_t len;		  /**< in: its length, Ethernet padding included */
	uint16_t room;		  /**< in: octets writable after frame + len */
	uint64_t rx_tsc;	  /**< in: receive TSC (session expiry) */
	struct twr_dp_ts t2;	  /**< in: Receive Timestamp, both formats */
	struct twr_pkt_info info; /**< in: from twr_parse() */
	struct twr_reply reply;	  /**< out: filled by twr_reflect_headers() */
	/** in: 0; out: 1 when not from the session's answered tuple (twr_nat.h). */
	uint8_t foreign;
};

/** @name Flags of twr_reflect_finalize() */
/**@{*/
/** The NIC computes the IPv4 header checksum (RTE_MBUF_F_TX_IP_CKSUM): leave 0. */
#define TWR_TX_IP_CKSUM_OFFLOAD 0x1u
/** The NIC computes the UDP checksum (RTE_MBUF_F_TX_UDP_CKSUM): write the pseudo-header sum. */
#define TWR_TX_L4_CKSUM_OFFLOAD 0x2u
/**@}*/

/**
 * Move the Ethernet and fixed IP headers forward over IPv4 options or IPv6
 * extension headers, so that the reply carries none (out of line: rare).
 *
 * @param frame  the received frame.
 * @param info   its parse result.
 * @param head   octets of options / extension headers (l4_off - l3_off
 *               - fixed header length), > 0.
 */
void twr_reflect_strip(uint8_t *frame, const struct twr_pkt_info *info, uint16_t head);

/**
 * Refuse to answer sources a reply must never go to: unspecified,
 * loopback, multicast, IPv4 class E and limited broadcast, IPv4-mapped
 * over IPv6 (they would alias IPv4 keys), our own destination address, or
 * source port 0. Such packets are spoofed or broken, and answering them
 * makes the reflector an amplifier (digest §6.4).
 *
 * @return TWR_DP_OK or TWR_DP_REASON_BAD_SOURCE.
 */
static inline int
twr_reflect_check_source(const struct twr_pkt_info *info)
{
	const uint8_t *a = info->src_addr;

	if (unlikely(info->src_port == 0))
		return TWR_DP_REASON_BAD_SOURCE;
	if (unlikely(memcmp(info->src_addr, info->dst_addr, sizeof(info->src_addr)) == 0))
		return TWR_DP_REASON_BAD_SOURCE;
	if (info->ip_version == 4) {
		/* 0/8, 127/8, 224/4 multicast, 240/4 reserved and broadcast. */
		if (unlikely(a[12] == 0 || a[12] == 127 || a[12] >= 224))
			return TWR_DP_REASON_BAD_SOURCE;
		return TWR_DP_OK;
	}
	if (unlikely(a[0] == 0xff))
		return TWR_DP_REASON_BAD_SOURCE;
	if (unlikely(twr_is_zero(a, 10))) {
		/* ::ffff:0:0/96, ::, ::1 */
		if (a[10] == 0xff && a[11] == 0xff)
			return TWR_DP_REASON_BAD_SOURCE;
		if (twr_is_zero(a + 10, 5) && a[15] <= 1)
			return TWR_DP_REASON_BAD_SOURCE;
	}
	return TWR_DP_OK;
}

/**
 * Error Estimate policy on a sender's packet (RFC 4656 §4.1.2; see
 * twr_dp_reasons.h for the default).
 *
 * @param conf    reflection settings.
 * @param errest  the sender's Error Estimate field (2 octets).
 * @return TWR_DP_OK or TWR_DP_REASON_ERREST_ZERO_MULTIPLIER.
 */
static inline int
twr_reflect_check_errest(const struct twr_reflect_conf *conf, const uint8_t *errest)
{
	if (unlikely(errest[1] == 0) && (conf->flags & TWR_REFLECT_F_STRICT_ERREST))
		return TWR_DP_REASON_ERREST_ZERO_MULTIPLIER;
	return TWR_DP_OK;
}

/**
 * Does a reply with a UDP payload of @p reply_len octets fit? The reply
 * ends at info.payload_off + reply_len in the buffer (it never moves
 * back), which must lie within len + room, and its UDP and IP lengths
 * must fit their 16-bit fields.
 *
 * @return TWR_DP_OK or TWR_DP_REASON_REPLY_TOO_BIG.
 */
static inline int
twr_reflect_check_room(const struct twr_dp_pkt *pkt, uint32_t reply_len)
{
	uint32_t end = (uint32_t)pkt->info.payload_off + reply_len;
	uint32_t ip_hdr = pkt->info.ip_version == 4 ? TWR_IPV4_HDR_LEN : 0;

	if (unlikely(end > (uint32_t)pkt->len + pkt->room || end > UINT16_MAX ||
		     reply_len + TWR_UDP_HDR_LEN + ip_hdr > UINT16_MAX))
		return TWR_DP_REASON_REPLY_TOO_BIG;
	return TWR_DP_OK;
}

/**
 * Turn the headers around for a reply whose UDP payload, already written
 * at info.payload_off, is @p reply_len octets (checked by
 * twr_reflect_check_room()). Checksums are left 0 for the finalize step.
 *
 * @param pkt        the packet; pkt->reply is filled.
 * @param reply_len  UDP payload length of the reply.
 * @param tos        IPv4 TOS / IPv6 Traffic Class of the reply.
 * @param ts_off     offset of the T3 Timestamp in the payload.
 * @param ptp        T3 in PTPv2 format.
 */
static inline void
twr_reflect_headers(struct twr_dp_pkt *pkt, uint16_t reply_len, uint8_t tos, uint16_t ts_off,
		    bool ptp)
{
	const struct twr_pkt_info *in = &pkt->info;
	struct twr_reply *r = &pkt->reply;
	uint16_t base = in->ip_version == 4 ? TWR_IPV4_HDR_LEN : TWR_IPV6_HDR_LEN;
	uint16_t head = (uint16_t)(in->l4_off - in->l3_off - base);
	uint16_t udp_len = (uint16_t)(TWR_UDP_HDR_LEN + reply_len);
	struct rte_udp_hdr *udp;
	uint8_t mac[RTE_ETHER_ADDR_LEN];
	uint8_t *f, *l3;
	rte_be16_t port;

	if (unlikely(head != 0))
		twr_reflect_strip(pkt->frame, in, head);
	f = pkt->frame + head;
	l3 = f + in->l3_off;

	memcpy(mac, f, RTE_ETHER_ADDR_LEN);
	memcpy(f, f + RTE_ETHER_ADDR_LEN, RTE_ETHER_ADDR_LEN);
	memcpy(f + RTE_ETHER_ADDR_LEN, mac, RTE_ETHER_ADDR_LEN);

	if (in->ip_version == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;
		rte_be32_t a = ip->src_addr;

		ip->src_addr = ip->dst_addr;
		ip->dst_addr = a;
		ip->type_of_service = tos;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(base + udp_len));
		ip->time_to_live = 255;
		ip->hdr_checksum = 0;
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)l3;
		uint32_t vtc = rte_be_to_cpu_32(ip->vtc_flow);
		uint32_t tc = (uint32_t)tos << RTE_IPV6_HDR_TC_SHIFT;
		uint8_t a[16];

		memcpy(a, ip->src_addr, sizeof(a));
		memcpy(ip->src_addr, ip->dst_addr, sizeof(a));
		memcpy(ip->dst_addr, a, sizeof(a));
		/* Version and flow label kept. */
		vtc = (vtc & ~(uint32_t)RTE_IPV6_HDR_TC_MASK) | tc;
		ip->vtc_flow = rte_cpu_to_be_32(vtc);
		ip->payload_len = rte_cpu_to_be_16(udp_len);
		ip->hop_limits = 255;
	}

	udp = (struct rte_udp_hdr *)(l3 + base);
	port = udp->src_port;
	udp->src_port = udp->dst_port;
	udp->dst_port = port;
	udp->dgram_len = rte_cpu_to_be_16(udp_len);
	udp->dgram_cksum = 0;

	r->head = head;
	r->l3_off = in->l3_off;
	r->l4_off = (uint16_t)(in->l3_off + base);
	r->len = (uint16_t)(r->l4_off + udp_len);
	r->ts_off = (uint16_t)(r->l4_off + TWR_UDP_HDR_LEN + ts_off);
	r->ip_version = in->ip_version;
	r->ts_ptp = ptp;
}

/**
 * Last step before TX: write T3, then the checksums.
 *
 * @param frame  the reply, from its start (received frame + reply->head).
 * @param r      from twr_reflect_headers().
 * @param t3     Transmit Timestamp, both formats.
 * @param flags  TWR_TX_*_CKSUM_OFFLOAD: what the NIC computes. With
 *   L4 offload the UDP checksum field holds the pseudo-header sum, as
 *   DPDK drivers expect (rte_ipv4_phdr_cksum() convention).
 */
static inline void
twr_reflect_finalize(uint8_t *frame, const struct twr_reply *r, const struct twr_dp_ts *t3,
		     unsigned int flags)
{
	uint8_t *l3 = frame + r->l3_off;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(frame + r->l4_off);
	uint16_t udp_len = (uint16_t)(r->len - r->l4_off);
	uint16_t sum;

	if (r->ts_off != 0)
		twr_put_be64(frame + r->ts_off, r->ts_ptp ? t3->ptp : t3->ntp);

	/*
	 * The checksum fields are summed as they are and then taken out
	 * (adding the complement subtracts), instead of being zeroed first:
	 * a 2-octet store just before the 4-octet loads that cover it would
	 * defeat store-to-load forwarding.
	 */
	if (r->ip_version == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		if (flags & TWR_TX_IP_CKSUM_OFFLOAD) {
			ip->hdr_checksum = 0;
		} else {
			sum = twr_cksum_fold((uint32_t)twr_cksum_raw(ip, TWR_IPV4_HDR_LEN) +
					     (uint16_t)~ip->hdr_checksum);
			ip->hdr_checksum = (uint16_t)~sum;
		}
		sum = twr_cksum_udp_pseudo(l3 + 12, 8, udp_len);
	} else {
		sum = twr_cksum_udp_pseudo(l3 + 8, 32, udp_len);
	}
	if (flags & TWR_TX_L4_CKSUM_OFFLOAD) {
		udp->dgram_cksum = sum;
		return;
	}
	sum = (uint16_t)~twr_cksum_fold((uint32_t)sum + twr_cksum_raw(udp, udp_len) +
					(uint16_t)~udp->dgram_cksum);
	/* RFC 768: a computed 0 is sent as all ones (0 means "none"). */
	udp->dgram_cksum = sum == 0 ? 0xffff : sum;
}

/**
 * twr_reflect_finalize() for a burst, with one T3 for all (the time just
 * before the TX burst).
 *
 * @param frames   the replies, each from its start.
 * @param replies  their twr_reply, same order.
 * @param n        number of replies.
 * @param t3       Transmit Timestamp.
 * @param flags    TWR_TX_*_CKSUM_OFFLOAD.
 */
void twr_reflect_finalize_burst(uint8_t *const frames[], const struct twr_reply replies[],
				uint16_t n, const struct twr_dp_ts *t3, unsigned int flags);

#endif /* TWR_REFLECT_H */
