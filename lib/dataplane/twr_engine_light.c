/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Light (RFC 5357 Appendix I, digest §4.1): the TWAMP reflector
 * format on a configured port, without TWAMP-Control. Stateless, the
 * reply carries the sender's Sequence Number (the Appendix's MUST);
 * stateful (TWR_SESSION_F_STATEFUL, one entry per flow), the flow's own
 * counter. RFC 6038 and RFC 7750 layouts apply when configured in modes.
 * The reply's DSCP follows the port's policy (copy by default).
 */

#include <stdint.h>

#include <rte_branch_prediction.h>

#include "twr_engine.h"
#include "twr_engine_twamp.h"

static inline int
light_reflect_one(struct twr_dp_pkt *pkt, struct twr_session *s,
		  const struct twr_reflect_conf *conf)
{
	struct twr_twamp_plan pl;
	uint32_t seq;
	int ret;

	if (unlikely(s->modes & (TWR_MODE_AUTHENTICATED | TWR_MODE_ENCRYPTED)))
		return TWR_DP_REASON_MODE_UNSUPPORTED;
	ret = twr_twamp_plan(pkt, s, conf, &pl);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	/* A stateless entry may be shared by all lcores: never written. */
	if (s->flags & TWR_SESSION_F_STATEFUL)
		seq = s->tx_seq++;
	else
		seq = twr_get_be32(pkt->frame + pkt->info.payload_off + TWR_TS_SEQ);
	twr_twamp_write(pkt, s, conf, &pl, seq, twr_engine_light_tos(s, pkt->info.tos));
	return TWR_DP_OK;
}

static int
light_reflect(struct twr_dp_pkt *pkt, struct twr_session *s, const struct twr_reflect_conf *conf)
{
	return light_reflect_one(pkt, s, conf);
}

const struct twr_engine twr_engine_light = {
	.name = "light",
	.reflect = light_reflect,
};
