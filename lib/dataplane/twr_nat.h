/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_NAT_H
#define TWR_NAT_H

/**
 * @file
 * NAT on the data plane: the packets of a managed TWAMP session that do
 * not come from the tuple the session answers (docs/nat.md).
 *
 * A Session-Sender behind a NAT negotiates with its private address and
 * port; its test packets arrive from the translated ones. Such a packet
 * reaches its session through the listen table (the Receiver Port), and
 * twr_nat_source_ok() sends it here, off the fast path:
 *
 * - strict policy (the default, RFC 5357): it is dropped under
 *   source_mismatch and counted per session by what the NAT changed
 *   (address, port, both), with the first and last source observed;
 * - latch policy, restricted latching (spec digest §6.3-6.4): once the
 *   session has started and until its latch window closes, the first
 *   well-formed packet from the negotiated tuple or from an address the
 *   control connection's peer address allows (the same address, or the
 *   same prefix with --latch-source-len) latches the session: from then
 *   on the session answers that tuple and only that one. Other sources
 *   are refused (latch_refused), allowed sources after the window are late
 *   (latch_late), and there is no re-latch (source_mismatch afterwards):
 *   in the unauthenticated modes nothing could tell a NAT re-binding from
 *   a hijack.
 *
 * Threads: those packets may land on any worker (RSS hashes their own
 * 5-tuple), so their counters are atomic adds on struct twr_session_nat
 * and the observed tuples are written under a try-lock (a worker never
 * waits; a busy lock only skips one update). The latch itself is one
 * compare-and-swap of twr_session::latch_state: PENDING -> BUSY by the
 * winner, which writes the latched tuple and publishes DONE with a release
 * store; readers acquire latch_state before reading the tuple. The worker
 * that receives the latched tuple owns the session's plain counters from
 * then on (before it, only not-started packets of the negotiated tuple can
 * have been counted there, by the worker of that tuple).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include "twr_reflect.h"
#include "twr_session.h"

/**
 * Does the packet come from the tuple the session answers? The fast-path
 * check of a managed session. A session pending a latch answers nothing
 * here: every packet goes through twr_nat_foreign().
 */
static inline bool
twr_nat_source_ok(const struct twr_session *s, const struct twr_pkt_info *info)
{
	/* Pairs with the release store of DONE in twr_nat_latch(). */
	uint8_t st = __atomic_load_n(&s->latch_state, __ATOMIC_ACQUIRE);

	if (likely(st == TWR_LATCH_NONE))
		return info->src_port == s->peer_port &&
		       memcmp(info->src_addr, s->peer_addr, sizeof(s->peer_addr)) == 0;
	if (st == TWR_LATCH_DONE)
		return info->src_port == s->nat.latched.port &&
		       memcmp(info->src_addr, s->nat.latched.addr, sizeof(s->nat.latched.addr)) ==
			       0;
	return false;
}

/**
 * How @p addr:@p port differs from the negotiated @p neg_addr:@p neg_port.
 *
 * @return enum twr_nat_kind, or -1 when they are the same.
 */
static inline int
twr_nat_kind(const uint8_t neg_addr[16], uint16_t neg_port, const uint8_t addr[16], uint16_t port)
{
	bool a = memcmp(neg_addr, addr, 16) != 0;
	bool p = neg_port != port;

	if (a && p)
		return TWR_NAT_KIND_BOTH;
	if (a)
		return TWR_NAT_KIND_ADDR;
	return p ? TWR_NAT_KIND_PORT : -1;
}

/**
 * Decide about a packet twr_nat_source_ok() refused; marks it foreign
 * (twr_dp_pkt::foreign) so that it is counted with twr_nat_account().
 *
 * @param pkt  the packet.
 * @param s    its managed session.
 * @return TWR_DP_OK when the packet may latch the session: check that it
 *   is a well-formed test packet, then call twr_nat_latch(). Otherwise the
 *   reason: session_not_started / session_expired, source_mismatch
 *   (strict, or latched already), latch_refused, latch_late.
 */
int twr_nat_foreign(struct twr_dp_pkt *pkt, struct twr_session *s);

/**
 * Latch the session to the packet's source, if no other worker did first.
 *
 * @return TWR_DP_OK: latched, the packet is the session's own now (its
 *   foreign mark cleared); TWR_DP_REASON_SOURCE_MISMATCH: another worker
 *   latched another tuple first.
 */
int twr_nat_latch(struct twr_dp_pkt *pkt, struct twr_session *s);

/**
 * Count a foreign packet of @p s under @p reason (never TWR_DP_OK: a
 * latched packet is not foreign any more). Any worker.
 */
void twr_nat_account(struct twr_session *s, int reason, const struct twr_dp_pkt *pkt);

#endif /* TWR_NAT_H */
