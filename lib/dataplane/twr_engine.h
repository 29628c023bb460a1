/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_ENGINE_H
#define TWR_ENGINE_H

/**
 * @file
 * Reflect engines: one small file per mode behind a table, as testpmd's
 * forwarding engines. An engine turns one parsed request into its reply in
 * place (twr_reflect.h) or returns the reason it does not.
 *
 * Every engine, on TWR_DP_OK, has written the reply's test packet and
 * turned the headers around (pkt->reply filled); T3 and checksums are left
 * to twr_reflect_finalize(). On a reason, the frame may have been left
 * unchanged or partly rewritten: it is to be dropped, never forwarded to
 * the exception path (no engine returns an EXCEPTION-kind reason).
 */

#include <stdint.h>

#include <rte_branch_prediction.h>

#include "twr_dp_reasons.h"
#include "twr_reflect.h"
#include "twr_session.h"

/** Index of an engine in twr_engines[] (twr_session::engine). */
enum twr_engine_id {
	TWR_ENGINE_TWAMP = 0, /**< managed TWAMP session (RFC 5357, 6038, 7750) */
	TWR_ENGINE_LIGHT = 1, /**< TWAMP-Light (RFC 5357 Appendix I) */
	TWR_ENGINE_STAMP = 2, /**< STAMP (RFC 8762, RFC 8972 TLVs) */
	TWR_ENGINE_COUNT
};

/**
 * Reflect one packet.
 *
 * @param pkt   the packet, parsed (pkt->info) and stamped (pkt->t2, rx_tsc).
 * @param s     its session, flow or reflector-port entry; never NULL. The
 *              engine writes s->tx_seq only (managed or STATEFUL), on the
 *              owner lcore, and, for a managed session, the NAT state
 *              (twr_nat.h); per-session counters are the caller's
 *              (twr_session_account(), twr_nat_account() when the engine
 *              marked the packet foreign).
 * @param conf  reflection settings.
 * @return TWR_DP_OK or a DROP-kind TWR_DP_REASON_*.
 */
typedef int (*twr_engine_reflect_t)(struct twr_dp_pkt *pkt, struct twr_session *s,
				    const struct twr_reflect_conf *conf);

/** An engine. */
struct twr_engine {
	const char *name;	      /**< "twamp", "light", "stamp" */
	twr_engine_reflect_t reflect; /**< per-packet handler */
};

extern const struct twr_engine twr_engine_twamp;
extern const struct twr_engine twr_engine_light;
extern const struct twr_engine twr_engine_stamp;

/** The table, indexed by enum twr_engine_id. */
extern const struct twr_engine *const twr_engines[TWR_ENGINE_COUNT];

/**
 * Reflect one packet with the session's engine.
 * @return as twr_engine_reflect_t; TWR_DP_REASON_MODE_UNSUPPORTED for an
 *   engine index out of range.
 */
static inline int
twr_engine_reflect(struct twr_dp_pkt *pkt, struct twr_session *s,
		   const struct twr_reflect_conf *conf)
{
	if (unlikely(s->engine >= TWR_ENGINE_COUNT))
		return TWR_DP_REASON_MODE_UNSUPPORTED;
	return twr_engines[s->engine]->reflect(pkt, s, conf);
}

/**
 * Reply TOS of TWAMP-Light and STAMP: the policy's DSCP, ECN Not-ECT
 * (RFC 7750 §2.2.1: ECN is not reflected unless provisioned).
 */
static inline uint8_t
twr_engine_light_tos(const struct twr_session *s, uint8_t rx_tos)
{
	uint8_t dscp = s->dscp_policy == TWR_DSCP_FIXED ? s->dscp : (uint8_t)(rx_tos >> 2);

	return (uint8_t)(dscp << 2);
}

#endif /* TWR_ENGINE_H */
