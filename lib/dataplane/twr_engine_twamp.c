/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Managed TWAMP sessions (RFC 5357 §4.2, RFC 6038, RFC 7750), in the
 * unauthenticated and mixed modes: the reflector Sequence Number is the
 * session's own counter, the reply carries the Type-P DSCP with ECN
 * Not-ECT (RFC 7750 §2.2.1), and only the negotiated Session-Sender is
 * answered (or, latched, the latched one). A packet from any other source
 * on the session's Receiver Port is the NAT signature: twr_nat.h.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "twr_engine.h"
#include "twr_engine_twamp.h"
#include "twr_nat.h"

static inline int
twamp_reflect_one(struct twr_dp_pkt *pkt, struct twr_session *s,
		  const struct twr_reflect_conf *conf)
{
	struct twr_twamp_plan pl;
	bool latch = false;
	int ret;

	/* Another source than the answered one: NAT detection and latching (twr_nat.h). */
	if (likely(twr_nat_source_ok(s, &pkt->info))) {
		ret = twr_session_check_run(s, pkt->rx_tsc);
		if (unlikely(ret != TWR_DP_OK))
			return ret;
	} else {
		ret = twr_nat_foreign(pkt, s);
		if (ret != TWR_DP_OK)
			return ret;
		latch = true;
	}
	/* Authenticated/encrypted test packets need the crypto of a later issue. */
	if (unlikely(s->modes & (TWR_MODE_AUTHENTICATED | TWR_MODE_ENCRYPTED)))
		return TWR_DP_REASON_MODE_UNSUPPORTED;
	ret = twr_twamp_plan(pkt, s, conf, &pl);
	if (unlikely(ret != TWR_DP_OK))
		return ret;
	/* Only a well-formed test packet latches (digest §6.3 step 3). */
	if (unlikely(latch)) {
		ret = twr_nat_latch(pkt, s);
		if (ret != TWR_DP_OK)
			return ret;
	}
	/* Spent once the reply exists: a TX drop is backward loss (twr_dp_reasons.h). */
	twr_twamp_write(pkt, s, conf, &pl, s->tx_seq++, (uint8_t)(s->dscp << 2));
	return TWR_DP_OK;
}

static int
twamp_reflect(struct twr_dp_pkt *pkt, struct twr_session *s, const struct twr_reflect_conf *conf)
{
	return twamp_reflect_one(pkt, s, conf);
}

const struct twr_engine twr_engine_twamp = {
	.name = "twamp",
	.reflect = twamp_reflect,
};
