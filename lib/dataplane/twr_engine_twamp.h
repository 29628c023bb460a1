/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_ENGINE_TWAMP_H
#define TWR_ENGINE_TWAMP_H

/**
 * @file
 * The unauthenticated (and mixed) TWAMP Session-Reflector format, shared
 * by the managed TWAMP engine and the TWAMP-Light engine, which differ
 * only in where the reflector Sequence Number comes from and in the
 * checks before it (digest §3.3, §3.6-3.8, §4.1).
 *
 * Layout, with the session's modes (offsets into the UDP payload):
 *
 *   sender padding from   s_pad = 14; 41 with Symmetrical Size (27 MBZ);
 *                         42 with Symmetrical Size + RFC 7750 (28 MBZ,
 *                         RFC 7750 §2.2.2, digest §3.8)
 *   reply padding from    r_pad = 41; 44 with RFC 7750 (S-DSCP-ECN at 41,
 *                         42-43 MBZ; docs/decisions.md #4)
 *   reply length          max(received, r_pad); with Symmetrical Size the
 *                         received length (at least 41, 42 with RFC 7750:
 *                         the header must hold Sender TTL / S-DSCP-ECN);
 *                         with Reflect Octets at least r_pad + L.
 *
 * The reply's padding is the first (reply length - r_pad) octets of the
 * sender's padding from s_pad, so Reflect Octets' L octets land at r_pad
 * and what does not fit is cut from the highest-numbered octets (RFC 5357
 * §4.2.1, RFC 6038 §5.2); a reply longer than what the sender gave is
 * zero-filled. Never larger than that: no amplification beyond the 27 (30)
 * octets the format itself adds.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "twr_dp_reasons.h"
#include "twr_errest.h"
#include "twr_proto.h"
#include "twr_reflect.h"
#include "twr_session.h"
#include "twr_test_pkt.h"
#include "twr_wire.h"

/** Sender padding offset under Symmetrical Size + RFC 7750 (14 + 28 MBZ). */
#define TWR_TS_SYM_DSCP_ECN_PADDING 42

/** Sizes of one reply, from twr_twamp_plan(). */
struct twr_twamp_plan {
	uint16_t rx_len;    /**< received test packet length */
	uint16_t reply_len; /**< reply test packet length */
	uint16_t s_pad;	    /**< sender padding offset */
	uint16_t r_pad;	    /**< reply padding offset */
	bool dscp_ecn;	    /**< RFC 7750 */
};

/**
 * Check a TWAMP sender packet and size its reply.
 *
 * @return TWR_DP_OK; TWR_DP_REASON_BAD_SOURCE, TEST_TOO_SHORT (below 14,
 *   or below s_pad + L with Reflect Octets), ERREST_ZERO_MULTIPLIER,
 *   REPLY_TOO_BIG.
 */
static inline int
twr_twamp_plan(const struct twr_dp_pkt *pkt, const struct twr_session *s,
	       const struct twr_reflect_conf *conf, struct twr_twamp_plan *pl)
{
	const uint8_t *p = pkt->frame + pkt->info.payload_off;
	uint32_t modes = s->modes;
	bool sym = (modes & TWR_MODE_SYMMETRICAL) != 0;
	uint16_t refl = (modes & TWR_MODE_REFLECT_OCTETS) ? s->reflect_len : 0;
	/* Symmetrical Size: the header up to Sender TTL (S-DSCP-ECN) must fit. */
	uint16_t sym_min;
	uint32_t reply_len;
	int ret;

	ret = twr_reflect_check_source(&pkt->info);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	pl->rx_len = pkt->info.payload_len;
	pl->dscp_ecn = (modes & TWR_MODE_DSCP_ECN) != 0;
	pl->r_pad = pl->dscp_ecn ? TWR_TR_DSCP_ECN_PADDING : TWR_TR_PADDING;
	if (!sym)
		pl->s_pad = TWR_TS_PADDING;
	else
		pl->s_pad = pl->dscp_ecn ? TWR_TS_SYM_DSCP_ECN_PADDING : TWR_TR_PADDING;
	sym_min = pl->dscp_ecn ? TWR_TR_DSCP_ECN + 1 : TWR_TR_MIN_LEN;

	if (unlikely(pl->rx_len < TWR_TS_MIN_LEN))
		return TWR_DP_REASON_TEST_TOO_SHORT;
	/* The sender must carry the octets it asked to get back (RFC 6038 §4.2). */
	if (unlikely(refl != 0 && pl->rx_len < (uint32_t)pl->s_pad + refl))
		return TWR_DP_REASON_TEST_TOO_SHORT;
	ret = twr_reflect_check_errest(conf, p + TWR_TS_ERREST);
	if (unlikely(ret != TWR_DP_OK))
		return ret;

	if (sym)
		reply_len = RTE_MAX(pl->rx_len, sym_min);
	else
		reply_len = RTE_MAX(pl->rx_len, pl->r_pad);
	reply_len = RTE_MAX(reply_len, (uint32_t)pl->r_pad + refl);
	ret = twr_reflect_check_room(pkt, reply_len);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	pl->reply_len = (uint16_t)reply_len;
	return TWR_DP_OK;
}

/**
 * Write the reply planned by twr_twamp_plan() and turn the headers around.
 *
 * @param pkt  the packet.
 * @param s    its session (flags: PTP).
 * @param conf reflection settings (Error Estimate).
 * @param pl   the plan.
 * @param seq  reflector Sequence Number.
 * @param tos  reply TOS / Traffic Class.
 */
static inline void
twr_twamp_write(struct twr_dp_pkt *pkt, const struct twr_session *s,
		const struct twr_reflect_conf *conf, const struct twr_twamp_plan *pl, uint32_t seq,
		uint8_t tos)
{
	uint8_t *p = pkt->frame + pkt->info.payload_off;
	bool ptp = (s->flags & TWR_SESSION_F_PTP) != 0;
	uint16_t errest = (uint16_t)(conf->errest | (ptp ? TWR_ERREST_Z : 0));
	uint16_t n = 0;

	/* Padding first: its source overlaps the header being written. */
	if (pl->reply_len > pl->r_pad) {
		if (pl->rx_len > pl->s_pad)
			n = RTE_MIN((uint16_t)(pl->reply_len - pl->r_pad),
				    (uint16_t)(pl->rx_len - pl->s_pad));
		if (n != 0 && pl->r_pad != pl->s_pad)
			memmove(p + pl->r_pad, p + pl->s_pad, n);
		memset(p + pl->r_pad + n, 0, pl->reply_len - pl->r_pad - n);
	}

	/* Sender Sequence Number, Timestamp, Error Estimate: octets 0-13 as received. */
	memcpy(p + TWR_TR_SENDER_SEQ, p + TWR_TS_SEQ, TWR_TS_PADDING);
	p[TWR_TR_SENDER_ERREST + 2] = 0;
	p[TWR_TR_SENDER_ERREST + 3] = 0;
	p[TWR_TR_SENDER_TTL] = pkt->info.ttl;
	if (pl->dscp_ecn) {
		/* With Symmetrical Size the header may end before 44 (see file comment). */
		p[TWR_TR_DSCP_ECN] = pkt->info.tos;
		memset(p + TWR_TR_DSCP_ECN + 1, 0,
		       RTE_MIN(pl->reply_len, (uint16_t)TWR_TR_DSCP_ECN_PADDING) -
			       (TWR_TR_DSCP_ECN + 1));
	}
	twr_put_be32(p + TWR_TR_SEQ, seq);
	memset(p + TWR_TR_TIMESTAMP, 0, 8); /* T3: twr_reflect_finalize() */
	twr_put_be16(p + TWR_TR_ERREST, errest);
	p[TWR_TR_ERREST + 2] = 0;
	p[TWR_TR_ERREST + 3] = 0;
	twr_put_be64(p + TWR_TR_RX_TIMESTAMP, ptp ? pkt->t2.ptp : pkt->t2.ntp);

	twr_reflect_headers(pkt, pl->reply_len, tos, TWR_TR_TIMESTAMP, ptp);
}

#endif /* TWR_ENGINE_TWAMP_H */
