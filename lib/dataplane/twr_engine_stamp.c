/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * STAMP (RFC 8762) with the RFC 8972 SSID and TLVs, unauthenticated
 * (digest §4.2-4.4).
 *
 * The reply is max(received, 44) octets: a short packet (14-43 octets,
 * e.g. from a TWAMP-Light sender) gets the 44-octet base reply with the
 * missing fields as zero; a longer one keeps its length, the TLV area
 * staying in place at 44 in both directions. TLVs understood get U
 * cleared and are answered: Extra Padding, Location (the ports and
 * addresses this reflector saw, which reveal NAT: RFC 8972 §4.2.2),
 * Timestamp Information, Class of Service. Others keep the flags they
 * came with. A malformed TLV gets M and ends the walk; the rest is copied
 * as is. The walk stops after STAMP_TLV_MAX TLVs so that a large packet
 * of tiny TLVs (or zero padding, which parses as empty TLVs of type 0)
 * costs bounded time; what follows is copied untouched, as a reflector
 * without TLV support would (RFC 8972 §4).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ether.h>

#include "twr_engine.h"
#include "twr_errest.h"
#include "twr_proto.h"
#include "twr_stamp.h"
#include "twr_test_pkt.h"
#include "twr_wire.h"

/** TLVs (and Location sub-TLVs) examined per packet. */
#define STAMP_TLV_MAX 16

/* Value lengths (RFC 8972 §4.2-4.4). */
#define LOC_PORTS_LEN	   4
#define LOC_MAC_LEN	   8
#define LOC_IP_LEN	   16
#define TS_INFO_LEN	   4
#define COS_LEN		   4
#define COS_RP_NOT_USED	   0x1 /* RP: DSCP1 not applied to the reply */
#define STAMP_R_MBZ_TTL_TO 44  /* Sender TTL at 40, MBZ 41-43 */

/* What the TLV walk needs, and the reply TOS it may change. */
struct stamp_ctx {
	const struct twr_dp_pkt *pkt;
	const struct twr_session *s;
	const struct twr_reflect_conf *conf;
	uint8_t tos;
};

/* Fill an address answer sub-TLV: IPv4 as 4 octets + 12 MBZ, or IPv6. */
static void
stamp_loc_addr(uint8_t *sub, const uint8_t addr[16], bool v4, uint8_t type_v4, uint8_t type_v6)
{
	uint8_t *v = sub + TWR_TLV_HDR_LEN;

	if (v4) {
		sub[1] = type_v4;
		memcpy(v, addr + 12, 4);
		memset(v + 4, 0, LOC_IP_LEN - 4);
	} else {
		sub[1] = type_v6;
		memcpy(v, addr, LOC_IP_LEN);
	}
}

/*
 * Location TLV (RFC 8972 §4.2): ports as received, then the requested
 * sub-TLVs answered in place (the TLV keeps its length).
 * @return false when malformed.
 */
static bool
stamp_location(uint8_t *v, uint16_t len, const struct stamp_ctx *c)
{
	const struct twr_pkt_info *in = &c->pkt->info;
	bool v4 = in->ip_version == 4;
	struct twr_tlv_iter it;
	struct twr_tlv t;
	uint8_t *area, *sub;
	int n, ret;

	if (len < LOC_PORTS_LEN)
		return false;
	twr_put_be16(v, in->dst_port);
	twr_put_be16(v + 2, in->src_port);

	area = v + LOC_PORTS_LEN;
	twr_tlv_iter_init(&it, area, len - LOC_PORTS_LEN);
	for (n = 0; n < STAMP_TLV_MAX; n++) {
		ret = twr_tlv_next(&it, &t);
		if (ret == 0)
			break;
		sub = area + t.offset;
		if (ret < 0) {
			sub[0] |= TWR_TLV_FLAG_M;
			return false;
		}
		switch (t.type) {
		case TWR_LOC_SRC_MAC:
			if (t.length != LOC_MAC_LEN)
				goto malformed;
			/* The frame's source, read before the headers are turned around. */
			sub[1] = TWR_LOC_SRC_EUI48;
			memcpy(sub + TWR_TLV_HDR_LEN, c->pkt->frame + RTE_ETHER_ADDR_LEN,
			       RTE_ETHER_ADDR_LEN);
			memset(sub + TWR_TLV_HDR_LEN + RTE_ETHER_ADDR_LEN, 0,
			       LOC_MAC_LEN - RTE_ETHER_ADDR_LEN);
			break;
		case TWR_LOC_DST_IP:
			if (t.length != LOC_IP_LEN)
				goto malformed;
			stamp_loc_addr(sub, in->dst_addr, v4, TWR_LOC_DST_IPV4, TWR_LOC_DST_IPV6);
			break;
		case TWR_LOC_SRC_IP:
			if (t.length != LOC_IP_LEN)
				goto malformed;
			stamp_loc_addr(sub, in->src_addr, v4, TWR_LOC_SRC_IPV4, TWR_LOC_SRC_IPV6);
			break;
		default:
			continue;
		}
		sub[0] &= (uint8_t)~TWR_TLV_FLAG_U;
	}
	return true;

malformed:
	sub[0] |= TWR_TLV_FLAG_M;
	return false;
}

/*
 * Class of Service TLV (RFC 8972 §4.4): DSCP2 and ECN report what was
 * received; the reply takes DSCP1 if the policy permits (RP 0), else the
 * received DSCP (RP 1).
 */
static void
stamp_cos(uint8_t *v, struct stamp_ctx *c)
{
	uint8_t rx_dscp = (uint8_t)(c->pkt->info.tos >> 2);
	uint8_t rx_ecn = c->pkt->info.tos & 0x3;
	uint8_t dscp1 = (uint8_t)(v[0] >> 2);
	bool permit = (c->s->flags & TWR_SESSION_F_COS_PERMIT) != 0;

	v[0] = (uint8_t)((v[0] & 0xfc) | rx_dscp >> 4);
	v[1] = (uint8_t)((rx_dscp & 0x0f) << 4 | rx_ecn << 2 | (permit ? 0 : COS_RP_NOT_USED));
	c->tos = (uint8_t)((permit ? dscp1 : rx_dscp) << 2);
}

/* Walk the TLV area (RFC 8972 §4); see the file comment. */
static void
stamp_tlvs(uint8_t *area, uint16_t len, struct stamp_ctx *c)
{
	struct twr_tlv_iter it;
	struct twr_tlv t;
	uint8_t *tlv, *v;
	bool ok;
	int n, ret;

	twr_tlv_iter_init(&it, area, len);
	for (n = 0; n < STAMP_TLV_MAX; n++) {
		ret = twr_tlv_next(&it, &t);
		if (ret == 0)
			return;
		tlv = area + t.offset;
		if (ret < 0) {
			/* At least the Flags octet exists: the area is not empty. */
			tlv[0] |= TWR_TLV_FLAG_M;
			return;
		}
		v = tlv + TWR_TLV_HDR_LEN;
		switch (t.type) {
		case TWR_TLV_EXTRA_PADDING:
			ok = true;
			break;
		case TWR_TLV_LOCATION:
			ok = stamp_location(v, t.length, c);
			break;
		case TWR_TLV_TIMESTAMP_INFO:
			ok = t.length >= TS_INFO_LEN;
			if (ok)
				memcpy(v, c->conf->ts_info, TS_INFO_LEN);
			break;
		case TWR_TLV_CLASS_OF_SERVICE:
			ok = t.length >= COS_LEN;
			if (ok)
				stamp_cos(v, c);
			break;
		default:
			/* Not understood: flags as sent (U from a conforming sender). */
			continue;
		}
		if (!ok) {
			tlv[0] |= TWR_TLV_FLAG_M;
			return;
		}
		tlv[0] &= (uint8_t)~TWR_TLV_FLAG_U;
	}
}

static inline int
stamp_reflect_one(struct twr_dp_pkt *pkt, struct twr_session *s,
		  const struct twr_reflect_conf *conf)
{
	uint8_t *p = pkt->frame + pkt->info.payload_off;
	uint16_t rx_len = pkt->info.payload_len;
	uint16_t reply_len, ssid;
	bool ptp = (s->flags & TWR_SESSION_F_PTP) != 0;
	struct stamp_ctx c;
	uint32_t seq;
	int ret;

	/* Authenticated STAMP (HMAC-SHA-256) arrives with the crypto issue. */
	if (unlikely(s->modes & (TWR_MODE_AUTHENTICATED | TWR_MODE_ENCRYPTED)))
		return TWR_DP_REASON_MODE_UNSUPPORTED;
	ret = twr_reflect_check_source(&pkt->info);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	/* Below 14 there is not even a sender Error Estimate to copy. */
	if (unlikely(rx_len < TWR_TS_MIN_LEN))
		return TWR_DP_REASON_TEST_TOO_SHORT;
	/* Missing octets read as zero (RFC 8762 §4.6). */
	if (rx_len >= TWR_STAMP_S_SSID + 2)
		ssid = twr_get_be16(p + TWR_STAMP_S_SSID);
	else
		ssid = rx_len > TWR_STAMP_S_SSID ? (uint16_t)(p[TWR_STAMP_S_SSID] << 8) : 0;
	if (unlikely(s->ssid != 0 && ssid != s->ssid))
		return TWR_DP_REASON_SSID_MISMATCH;
	ret = twr_reflect_check_errest(conf, p + TWR_STAMP_S_ERREST);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	reply_len = RTE_MAX(rx_len, (uint16_t)TWR_STAMP_BASE_LEN);
	ret = twr_reflect_check_room(pkt, reply_len);
	if (unlikely(ret != TWR_DP_OK))
		return ret;

	/* A stateless entry may be shared by all lcores: never written. */
	if (s->flags & TWR_SESSION_F_STATEFUL)
		seq = s->tx_seq++;
	else
		seq = twr_get_be32(p + TWR_STAMP_S_SEQ);
	if (rx_len < TWR_STAMP_BASE_LEN)
		memset(p + rx_len, 0, TWR_STAMP_BASE_LEN - rx_len);

	c.pkt = pkt;
	c.s = s;
	c.conf = conf;
	c.tos = twr_engine_light_tos(s, pkt->info.tos);
	if (rx_len > TWR_STAMP_BASE_LEN)
		stamp_tlvs(p + TWR_STAMP_R_TLV, (uint16_t)(rx_len - TWR_STAMP_BASE_LEN), &c);

	/* Sender fields 0-13 to 24-37; the SSID stays at 14-15. */
	memcpy(p + TWR_STAMP_R_SENDER_SEQ, p + TWR_STAMP_S_SEQ, TWR_STAMP_S_SSID);
	memset(p + TWR_STAMP_R_SENDER_ERREST + 2, 0, 2);
	p[TWR_STAMP_R_SENDER_TTL] = pkt->info.ttl;
	memset(p + TWR_STAMP_R_SENDER_TTL + 1, 0, STAMP_R_MBZ_TTL_TO - TWR_STAMP_R_SENDER_TTL - 1);
	twr_put_be32(p + TWR_STAMP_R_SEQ, seq);
	memset(p + TWR_STAMP_R_TIMESTAMP, 0, 8); /* T3: twr_reflect_finalize() */
	twr_put_be16(p + TWR_STAMP_R_ERREST, (uint16_t)(conf->errest | (ptp ? TWR_ERREST_Z : 0)));
	twr_put_be64(p + TWR_STAMP_R_RX_TIMESTAMP, ptp ? pkt->t2.ptp : pkt->t2.ntp);

	twr_reflect_headers(pkt, reply_len, c.tos, TWR_STAMP_R_TIMESTAMP, ptp);
	return TWR_DP_OK;
}

static int
stamp_reflect(struct twr_dp_pkt *pkt, struct twr_session *s, const struct twr_reflect_conf *conf)
{
	return stamp_reflect_one(pkt, s, conf);
}

const struct twr_engine twr_engine_stamp = {
	.name = "stamp",
	.reflect = stamp_reflect,
};
