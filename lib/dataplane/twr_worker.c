/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_hash.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "twr_clock.h"
#include "twr_engine.h"
#include "twr_nat.h"
#include "twr_parse.h"
#include "twr_session.h"
#include "twr_session_table.h"
#include "twr_time.h"
#include "twr_worker.h"

/* Frames to look ahead when prefetching (l3fwd's PREFETCH_OFFSET). */
#define PREFETCH_AHEAD 4

/* Per-burst scratch, on the worker's stack: one entry per received frame. */
struct burst {
	struct twr_dp_pkt pkt[TWR_BURST];
	struct twr_session_key key[TWR_BURST];
	const struct twr_session_key *keyp[TWR_BURST];
	struct twr_session *sess[TWR_BURST];
	uint8_t how[TWR_BURST]; /* enum twr_session_lookup, per frame */
	/* A Light/STAMP frame's flow, found in bulk (NULL: new, or not one). */
	struct twr_session *flow[TWR_BURST];
	int reason[TWR_BURST];
	uint8_t nlook; /* frames with a key, in the first nlook of lookidx */
	uint8_t lookidx[TWR_BURST];
};

int
twr_worker_init(struct twr_worker *w)
{
	struct rte_rcu_qsbr *qsbr;
	char name[RTE_HASH_NAMESIZE];
	int ret;

	memset(&w->stats, 0, sizeof(w->stats));
	w->busy_tsc = 0;
	w->idle_tsc = 0;
	w->loops = 0;
	w->tx_ring_sent = 0;
	w->tx_ring_full = 0;
	w->flow_untracked = 0;
	w->rx_ts_offset = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, NULL);
	w->rx_ts_flag = 0;
	if (w->rx_ts_offset >= 0) {
		int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, NULL);

		if (bit >= 0)
			w->rx_ts_flag = 1ull << bit;
		else
			w->rx_ts_offset = -1;
	}
	qsbr = twr_session_table_qsbr(w->table);
	if (qsbr == NULL)
		return -EINVAL;
	snprintf(name, sizeof(name), "twr_flows_%u", w->lcore_id);
	ret = twr_flow_cache_init(
		&w->flows, name, w->flow_cap != 0 ? w->flow_cap : TWR_WORKER_FLOWS_DEFAULT,
		w->flow_idle_tsc != 0 ? w->flow_idle_tsc
				      : TWR_WORKER_FLOW_IDLE_S * twr_clock_tsc_hz(w->clock),
		(int)rte_lcore_to_socket_id(w->lcore_id));
	if (ret < 0)
		return ret;
	ret = rte_rcu_qsbr_thread_register(qsbr, w->qsbr_id);
	if (ret < 0)
		twr_flow_cache_fini(&w->flows);
	return ret;
}

void
twr_worker_stats_sum(const struct twr_worker *workers, unsigned int n, struct twr_dp_stats *sum)
{
	unsigned int w, i;

	memset(sum, 0, sizeof(*sum));
	for (w = 0; w < n; w++) {
		const struct twr_dp_stats *s = &workers[w].stats;

		for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
			sum->counter[i] += s->counter[i];
		for (i = 1; i < TWR_DP_REASON_MAX; i++)
			sum->reason[i] += s->reason[i];
	}
}

void
twr_worker_fini(struct twr_worker *w)
{
	rte_rcu_qsbr_thread_unregister(twr_session_table_qsbr(w->table), w->qsbr_id);
	twr_flow_cache_fini(&w->flows);
}

/* What the NIC said about checksums, in twr_parse() flags. */
static inline unsigned int
rx_cksum_flags(const struct rte_mbuf *m)
{
	uint64_t f = m->ol_flags;
	unsigned int flags = 0;

	if ((f & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		flags |= TWR_PARSE_IP_CKSUM_GOOD;
	else if ((f & RTE_MBUF_F_RX_IP_CKSUM_MASK) == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		flags |= TWR_PARSE_IP_CKSUM_BAD;
	if ((f & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		flags |= TWR_PARSE_L4_CKSUM_GOOD;
	else if ((f & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		flags |= TWR_PARSE_L4_CKSUM_BAD;
	return flags;
}

static inline void
ts_from_unix_ns(struct twr_dp_ts *ts, uint64_t unix_ns)
{
	ts->ntp = twr_ntp_from_unix_ns(unix_ns);
	ts->ptp = twr_ptp_from_unix_ns(unix_ns, TWR_CLOCK_TAI_UTC);
}

static inline bool
is_our_addr(const struct twr_worker *w, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < w->nb_addrs; i++)
		if (memcmp(w->addrs[i], addr, 16) == 0)
			return true;
	return false;
}

/* Phase 1: parse one frame, stamp T2, build its lookup key. */
static inline void
parse_one(struct twr_worker *w, const struct twr_worker_queue *q, struct burst *b,
	  struct rte_mbuf *m, uint16_t i, const struct twr_dp_ts *t2, uint64_t rx_tsc)
{
	struct twr_dp_pkt *p = &b->pkt[i];
	struct twr_session_key *k;
	int reason;

	p->frame = rte_pktmbuf_mtod(m, uint8_t *);
	p->len = rte_pktmbuf_data_len(m);
	/* Multi-segment frames are never test packets we answer in place. */
	p->room = m->nb_segs == 1 ? (uint16_t)rte_pktmbuf_tailroom(m) : 0;
	p->rx_tsc = rx_tsc;
	p->foreign = 0;
	if (w->rx_ts_offset >= 0 && (m->ol_flags & w->rx_ts_flag))
		ts_from_unix_ns(&p->t2,
				*RTE_MBUF_DYNFIELD(m, w->rx_ts_offset, rte_mbuf_timestamp_t *) *
					1000);
	else
		p->t2 = *t2;

	reason = twr_parse(p->frame, p->len, q->rx_cksum ? rx_cksum_flags(m) : 0, &p->info);
	b->reason[i] = reason;
	if (reason != TWR_DP_OK)
		return;
	k = &b->key[i];
	memcpy(k->local_addr, p->info.dst_addr, 16);
	memcpy(k->remote_addr, p->info.src_addr, 16);
	k->local_port = p->info.dst_port;
	k->remote_port = p->info.src_port;
	k->vlan = p->info.outer_vid;
	k->reserved = 0;
	b->keyp[b->nlook] = k;
	b->lookidx[b->nlook++] = (uint8_t)i;
}

/* Phase 2b: the flows of the frames a Light/STAMP port found, in one bulk lookup. */
static inline void
flows_lookup(struct twr_worker *w, struct burst *b)
{
	const struct twr_session_key *keys[TWR_BURST];
	struct twr_session *found[TWR_BURST];
	uint8_t idx[TWR_BURST];
	unsigned int i, n = 0;

	for (i = 0; i < b->nlook; i++) {
		uint8_t k = b->lookidx[i];
		const struct twr_session *s = b->sess[k];

		b->flow[k] = NULL;
		if (b->how[k] == TWR_SESSION_LOOKUP_LISTEN && s->engine != TWR_ENGINE_TWAMP) {
			keys[n] = &b->key[k];
			idx[n++] = k;
		}
	}
	if (n == 0)
		return;
	twr_flow_cache_lookup_bulk(&w->flows, keys, n, found);
	for (i = 0; i < n; i++)
		b->flow[idx[i]] = found[i];
}

/* Phase 3: run the session's engine, or name why not. */
static inline int
reflect_one(struct twr_worker *w, struct burst *b, uint16_t i, const struct twr_reflect_conf *conf)
{
	struct twr_dp_pkt *p = &b->pkt[i];
	struct twr_session *s = b->sess[i];
	int reason;

	if (s == NULL)
		return is_our_addr(w, p->info.dst_addr) ? TWR_DP_REASON_UNKNOWN_SESSION
							: TWR_DP_REASON_NOT_FOR_US;
	/*
	 * A Light/STAMP port: the sender's own flow on this lcore, keyed by
	 * the 5-tuple as observed (after any NAT), for per-flow counters and,
	 * stateful, its own Sequence Number.
	 */
	if (b->how[i] == TWR_SESSION_LOOKUP_LISTEN && s->engine != TWR_ENGINE_TWAMP) {
		struct twr_session *f = b->flow[i];

		/* Before the flow table: a refused source never takes a flow slot. */
		if (unlikely(s->allow != NULL) && !twr_allow_match(s->allow, p->info.src_addr))
			return TWR_DP_REASON_SOURCE_NOT_ALLOWED;

		if (f == NULL)
			f = twr_flow_cache_get(&w->flows, &b->key[i], s);

		if (unlikely(f == NULL)) {
			if (s->flags & TWR_SESSION_F_STATEFUL)
				return TWR_DP_REASON_FLOW_TABLE_FULL;
			/* Stateless needs no state: answer, uncounted per flow. */
			w->flow_untracked++;
			return twr_engine_reflect(p, s, conf);
		}
		s = f;
	}
	reason = twr_engine_reflect(p, s, conf);
	if (unlikely(p->foreign))
		twr_nat_account(s, reason, p);
	else
		twr_session_account(s, reason, p->rx_tsc);
	return reason;
}

void
twr_worker_burst(struct twr_worker *w, const struct twr_worker_queue *q, struct rte_mbuf **pkts,
		 uint16_t n, uint64_t rx_tsc)
{
	const struct twr_reflect_conf *conf = w->conf;
	struct rte_mbuf *tx[TWR_BURST], *drop[TWR_BURST], *exc[TWR_BURST];
	uint8_t *tx_frame[TWR_BURST];
	struct twr_reply tx_reply[TWR_BURST];
	uint16_t ntx = 0, ndrop = 0, nexc = 0, sent, i;
	struct twr_clock_snapshot snap;
	struct twr_dp_ts t2, t3;
	struct burst b;
	uint64_t tsc;

	w->stats.counter[TWR_DP_COUNTER_RX] += n;
	/* One clock snapshot per burst; T2 in both formats, the engines pick. */
	twr_clock_read(w->clock, &snap);
	t2.ntp = twr_clock_snap_to_ntp(&snap, rx_tsc);
	t2.ptp = twr_clock_snap_to_ptp(&snap, rx_tsc);

	/* Phase 1: parse, with the l3fwd prefetch pattern. */
	b.nlook = 0;
	for (i = 0; i < PREFETCH_AHEAD && i < n; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD], void *));
		b.sess[i] = NULL;
		parse_one(w, q, &b, pkts[i], i, &t2, rx_tsc);
	}

	/* Phase 2: one bulk lookup for every frame that parsed. */
	if (b.nlook > 0) {
		struct twr_session *found[TWR_BURST];
		uint8_t how[TWR_BURST];

		twr_session_table_lookup_burst(w->table, b.keyp, b.nlook, found, how);
		for (i = 0; i < b.nlook; i++) {
			b.sess[b.lookidx[i]] = found[i];
			b.how[b.lookidx[i]] = how[i];
		}
		flows_lookup(w, &b);
	}

	/* Phase 3: engines; sort frames into TX, exception and drop. */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int reason = b.reason[i];

		if (reason == TWR_DP_OK)
			reason = reflect_one(w, &b, i, conf);
		if (likely(reason == TWR_DP_OK)) {
			const struct twr_reply *r = &b.pkt[i].reply;

			if (r->head != 0)
				rte_pktmbuf_adj(m, r->head);
			if (unlikely(m->nb_segs > 1)) {
				/* The reply lives in the first segment; the rest is trailer. */
				rte_pktmbuf_free(m->next);
				m->next = NULL;
				m->nb_segs = 1;
			}
			m->data_len = r->len;
			m->pkt_len = r->len;
			m->l2_len = r->l3_off;
			m->l3_len = (uint16_t)(r->l4_off - r->l3_off);
			m->ol_flags = 0;
			if (q->tx_cksum != 0) {
				m->ol_flags = r->ip_version == 4 ? RTE_MBUF_F_TX_IPV4
								 : RTE_MBUF_F_TX_IPV6;
				if ((q->tx_cksum & TWR_TX_IP_CKSUM_OFFLOAD) && r->ip_version == 4)
					m->ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
				if (q->tx_cksum & TWR_TX_L4_CKSUM_OFFLOAD)
					m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM;
			}
			tx_frame[ntx] = rte_pktmbuf_mtod(m, uint8_t *);
			tx_reply[ntx] = *r;
			tx[ntx++] = m;
			continue;
		}
		w->stats.reason[reason]++;
		if (twr_dp_reason_kind((unsigned int)reason) == TWR_DP_KIND_EXCEPTION)
			exc[nexc++] = m;
		else
			drop[ndrop++] = m;
	}

	if (nexc > 0) {
		unsigned int queued = rte_ring_enqueue_burst(w->exc_ring, (void **)exc, nexc, NULL);

		w->stats.counter[TWR_DP_COUNTER_TO_EXCEPTION] += queued;
		if (unlikely(queued < nexc)) {
			w->stats.reason[TWR_DP_REASON_EXCEPTION_RING_FULL] += nexc - queued;
			rte_pktmbuf_free_bulk(&exc[queued], nexc - queued);
		}
	}
	if (ndrop > 0)
		rte_pktmbuf_free_bulk(drop, ndrop);
	if (ntx == 0)
		return;

	/* T3 as late as possible: right before the TX burst. */
	tsc = rte_rdtsc();
	t3.ntp = twr_clock_snap_to_ntp(&snap, tsc);
	t3.ptp = twr_clock_snap_to_ptp(&snap, tsc);
	twr_reflect_finalize_burst(tx_frame, tx_reply, ntx, &t3, q->tx_cksum);
	sent = rte_eth_tx_burst(q->port_id, q->txq, tx, ntx);
	w->stats.counter[TWR_DP_COUNTER_REFLECTED] += sent;
	if (unlikely(sent < ntx)) {
		w->stats.reason[TWR_DP_REASON_TX_FULL] += ntx - sent;
		rte_pktmbuf_free_bulk(&tx[sent], ntx - sent);
	}
}

unsigned int
twr_worker_tx_ring(struct twr_worker *w)
{
	struct rte_mbuf *m[TWR_BURST];
	const struct twr_worker_queue *q;
	unsigned int n;
	uint16_t sent;

	if (w->tx_ring == NULL)
		return 0;
	n = rte_ring_dequeue_burst(w->tx_ring, (void **)m, TWR_BURST, NULL);
	if (n == 0)
		return 0;
	q = &w->queues[w->tx_ring_queue];
	sent = rte_eth_tx_burst(q->port_id, q->txq, m, (uint16_t)n);
	w->tx_ring_sent += sent;
	if (unlikely(sent < n)) {
		w->tx_ring_full += n - sent;
		rte_pktmbuf_free_bulk(&m[sent], n - sent);
	}
	return n;
}

int
twr_worker_main(void *arg)
{
	struct twr_worker *w = arg;
	struct rte_rcu_qsbr *qsbr = twr_session_table_qsbr(w->table);
	struct rte_mbuf *pkts[TWR_BURST];
	uint64_t prev = rte_rdtsc(), next_expire = prev;
	uint64_t expire_period = twr_clock_tsc_hz(w->clock) / TWR_WORKER_FLOW_SCANS_PER_S;

	rte_rcu_qsbr_thread_online(qsbr, w->qsbr_id);
	while (!*w->quit) {
		uint64_t now;
		bool busy = false;
		uint16_t qi;

		for (qi = 0; qi < w->nb_queues; qi++) {
			const struct twr_worker_queue *q = &w->queues[qi];
			uint16_t n = rte_eth_rx_burst(q->port_id, q->rxq, pkts, TWR_BURST);

			if (n == 0)
				continue;
			busy = true;
			twr_worker_burst(w, q, pkts, n, rte_rdtsc());
		}
		/* The kernel's frames, where the control lcore has no TX queue. */
		if (w->tx_ring != NULL)
			twr_worker_tx_ring(w);
		/* Nothing of the session table is held across this point. */
		rte_rcu_qsbr_quiescent(qsbr, w->qsbr_id);
		now = rte_rdtsc();
		/* Idle flows age in seconds: a scan a millisecond is plenty. */
		if (now >= next_expire) {
			twr_flow_cache_expire(&w->flows, now, TWR_WORKER_FLOW_SCAN);
			next_expire = now + expire_period;
		}
		if (busy)
			w->busy_tsc += now - prev;
		else
			w->idle_tsc += now - prev;
		prev = now;
		w->loops++;
	}
	rte_rcu_qsbr_thread_offline(qsbr, w->qsbr_id);
	return 0;
}
