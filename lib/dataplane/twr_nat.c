/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* NAT detection and restricted latching off the fast path: see twr_nat.h. */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_spinlock.h>

#include "twr_nat.h"

/* Is @p addr within the allowed prefix (the control peer, masked)? */
static bool
latch_allowed(const struct twr_session_nat *n, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		if ((addr[i] & n->allow_mask[i]) != n->allow_addr[i])
			return false;
	return true;
}

int
twr_nat_foreign(struct twr_dp_pkt *pkt, struct twr_session *s)
{
	const struct twr_pkt_info *in = &pkt->info;
	int ret;

	pkt->foreign = 1;
	ret = twr_session_check_run(s, pkt->rx_tsc);
	if (ret != TWR_DP_OK)
		return ret;
	/* NONE: strict. DONE: latched elsewhere, no re-latch. BUSY: being latched elsewhere. */
	if (__atomic_load_n(&s->latch_state, __ATOMIC_ACQUIRE) != TWR_LATCH_PENDING)
		return TWR_DP_REASON_SOURCE_MISMATCH;
	/* The negotiated tuple itself may latch: else a co-located host could take the session. */
	if (twr_nat_kind(s->peer_addr, s->peer_port, in->src_addr, in->src_port) >= 0 &&
	    !latch_allowed(&s->nat, in->src_addr))
		return TWR_DP_REASON_LATCH_REFUSED;
	/* Written before the release store of STARTED, which check_run acquired. */
	if (pkt->rx_tsc > s->nat.latch_deadline_tsc)
		return TWR_DP_REASON_LATCH_LATE;
	return TWR_DP_OK;
}

int
twr_nat_latch(struct twr_dp_pkt *pkt, struct twr_session *s)
{
	uint8_t expected = TWR_LATCH_PENDING;

	if (!__atomic_compare_exchange_n(&s->latch_state, &expected, TWR_LATCH_BUSY, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return TWR_DP_REASON_SOURCE_MISMATCH;
	memcpy(s->nat.latched.addr, pkt->info.src_addr, sizeof(s->nat.latched.addr));
	s->nat.latched.port = pkt->info.src_port;
	s->nat.latched.tsc = pkt->rx_tsc;
	__atomic_store_n(&s->latch_state, TWR_LATCH_DONE, __ATOMIC_RELEASE);
	pkt->foreign = 0;
	return TWR_DP_OK;
}

static void
observe(struct twr_nat_tuple *t, const struct twr_pkt_info *in, uint64_t tsc)
{
	memcpy(t->addr, in->src_addr, sizeof(t->addr));
	t->port = in->src_port;
	t->tsc = tsc;
}

void
twr_nat_account(struct twr_session *s, int reason, const struct twr_dp_pkt *pkt)
{
	struct twr_session_nat *n = &s->nat;
	const struct twr_pkt_info *in = &pkt->info;
	int kind = twr_nat_kind(s->peer_addr, s->peer_port, in->src_addr, in->src_port);

	__atomic_fetch_add(&n->other_rx, 1, __ATOMIC_RELAXED);
	if (reason == TWR_DP_REASON_LATCH_REFUSED)
		__atomic_fetch_add(&n->latch_refused, 1, __ATOMIC_RELAXED);
	else if (reason == TWR_DP_REASON_LATCH_LATE)
		__atomic_fetch_add(&n->latch_late, 1, __ATOMIC_RELAXED);
	if (kind < 0)
		return; /* the negotiated tuple, refused under latch: not a NAT signature */
	__atomic_fetch_add(&n->mismatch[kind], 1, __ATOMIC_RELAXED);
	/* Never wait for another worker: a busy lock only skips this update. */
	if (!rte_spinlock_trylock(&n->lock))
		return;
	if (n->first.tsc == 0)
		observe(&n->first, in, pkt->rx_tsc);
	observe(&n->last, in, pkt->rx_tsc);
	rte_spinlock_unlock(&n->lock);
}
