/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_FLOW_CACHE_H
#define TWR_FLOW_CACHE_H

/**
 * @file
 * Per-lcore flows of TWAMP-Light and STAMP reflector ports: per-flow
 * counters keyed by the 5-tuple as observed (after any NAT on the path,
 * which is what an operator needs to see), and for a stateful port the
 * flow's own Sequence Number.
 *
 * A stateful reflector keeps its own Sequence Number per session (RFC 8762
 * §4), and for Light/STAMP a session is the sender's 5-tuple (+ VLAN).
 * Those flows are not negotiated, so the control lcore cannot install
 * them; the worker that receives a flow creates it. RSS on the UDP
 * 5-tuple keeps a flow on one worker, so each worker owns a private table:
 * one writer, one reader, no atomics and no RCU. The configuration of a
 * new flow is copied from its reflector-port entry.
 *
 * Flows idle for longer than the idle timeout are reclaimed a few per
 * loop (twr_flow_cache_expire()), so a new flow from the same tuple starts
 * again at Sequence Number 0, as a sender restarting a session expects
 * (nokia/twampy resets after 30 s idle). When the table is full, a new
 * flow of a stateful port is refused under the reason flow_table_full; a
 * stateless port answers it anyway, counted per lcore (flow_untracked).
 */

#include <stdint.h>

#include <rte_seqcount.h>

#include "twr_session.h"
#include "twr_session_table.h"

struct rte_hash;

/** One lcore's flows. dp: rw (owner lcore only), ctl: ro (counters, approximate). */
struct twr_flow_cache {
	struct rte_hash *hash;	      /**< key -> index into flows */
	struct twr_session *flows;    /**< cap entries */
	struct twr_session_key *keys; /**< the key of each used entry */
	/** Per entry: odd while the worker rewrites it (twr_flow_cache_foreach()). */
	rte_seqcount_t *seq;
	uint32_t *free_idx; /**< stack of free indices */
	uint32_t nb_free;
	uint32_t cap;
	uint32_t scan; /**< next index the expiry scan looks at */
	/** 1 + the highest index ever handed out: the scan wraps there. */
	uint32_t hw;
	uint64_t idle_tsc; /**< idle timeout in TSC cycles */
	uint64_t created;  /**< flows created. dp: wo, ctl: ro */
	uint64_t expired;  /**< flows reclaimed idle. dp: wo, ctl: ro */
};

/**
 * Create the flow table of one lcore.
 * @param name      unique name (for rte_hash).
 * @param cap       flows, >= 8.
 * @param idle_tsc  idle timeout, TSC cycles.
 * @param socket_id NUMA socket.
 * @return 0, or -ENOMEM / -EINVAL / the rte_hash error.
 */
int twr_flow_cache_init(struct twr_flow_cache *fc, const char *name, uint32_t cap,
			uint64_t idle_tsc, int socket_id);

/** Free what twr_flow_cache_init() allocated. */
void twr_flow_cache_fini(struct twr_flow_cache *fc);

/**
 * The flow of @p key, created from the reflector-port entry @p port when
 * new (Sequence Number 0, counters zero).
 * @return the flow, or NULL when the table is full.
 */
struct twr_session *twr_flow_cache_get(struct twr_flow_cache *fc, const struct twr_session_key *key,
				       const struct twr_session *port);

/**
 * Look up to RTE_HASH_LOOKUP_BULK_MAX flows at once (the worker's burst):
 * @p out[i] is the flow of @p keys[i], or NULL when it does not exist yet
 * (twr_flow_cache_get() then creates it). Never creates.
 */
void twr_flow_cache_lookup_bulk(struct twr_flow_cache *fc,
				const struct twr_session_key *const keys[], unsigned int n,
				struct twr_session *out[]);

/** Called by twr_flow_cache_foreach() for each flow; non-zero stops the walk. */
typedef int (*twr_flow_cb)(const struct twr_session_key *key, const struct twr_session *flow,
			   void *arg);

/**
 * Walk the live flows: any thread, while the worker runs. Each entry is
 * copied under its sequence count (the worker bumps it when it creates or
 * reclaims the entry, never per packet), so a key is never torn; the
 * counters are each at most a packet old. An entry rewritten during the
 * copy is read again (a few times, then skipped).
 *
 * @p flow points to a copy of the entry's first two cache lines
 * (configuration and counters).
 *
 * @return 0, or the callback's non-zero return.
 */
int twr_flow_cache_foreach(const struct twr_flow_cache *fc, twr_flow_cb cb, void *arg);

/**
 * Reclaim flows idle since before @p now_tsc - idle timeout, looking at
 * no more than @p budget entries (bounded work per loop).
 * @return flows reclaimed.
 */
unsigned int twr_flow_cache_expire(struct twr_flow_cache *fc, uint64_t now_tsc,
				   unsigned int budget);

#endif /* TWR_FLOW_CACHE_H */
