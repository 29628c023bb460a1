/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_branch_prediction.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "twr_flow_cache.h"

int
twr_flow_cache_init(struct twr_flow_cache *fc, const char *name, uint32_t cap, uint64_t idle_tsc,
		    int socket_id)
{
	struct rte_hash_parameters p = {
		.name = name,
		.entries = cap,
		.key_len = sizeof(struct twr_session_key),
		.hash_func = rte_hash_crc,
		.socket_id = socket_id,
		/* One thread reads and writes: no concurrency flags, no locks. */
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	uint32_t i;

	if (fc == NULL || name == NULL || cap < 8)
		return -EINVAL;
	memset(fc, 0, sizeof(*fc));
	fc->flows =
		rte_zmalloc_socket(name, sizeof(*fc->flows) * cap, RTE_CACHE_LINE_SIZE, socket_id);
	fc->keys = rte_zmalloc_socket(name, sizeof(*fc->keys) * cap, 0, socket_id);
	fc->free_idx = rte_malloc_socket(name, sizeof(*fc->free_idx) * cap, 0, socket_id);
	fc->seq = rte_zmalloc_socket(name, sizeof(*fc->seq) * cap, 0, socket_id);
	fc->hash = rte_hash_create(&p);
	if (fc->flows == NULL || fc->keys == NULL || fc->free_idx == NULL || fc->seq == NULL ||
	    fc->hash == NULL) {
		int ret = fc->hash == NULL && rte_errno != 0 ? -rte_errno : -ENOMEM;

		twr_flow_cache_fini(fc);
		return ret;
	}
	/* Hand out low indices first: the expiry scan then touches fewer lines. */
	for (i = 0; i < cap; i++)
		fc->free_idx[i] = cap - 1 - i;
	fc->nb_free = cap;
	fc->cap = cap;
	fc->idle_tsc = idle_tsc;
	return 0;
}

void
twr_flow_cache_fini(struct twr_flow_cache *fc)
{
	if (fc == NULL)
		return;
	rte_hash_free(fc->hash);
	rte_free(fc->flows);
	rte_free(fc->keys);
	rte_free(fc->free_idx);
	rte_free(fc->seq);
	memset(fc, 0, sizeof(*fc));
}

struct twr_session *
twr_flow_cache_get(struct twr_flow_cache *fc, const struct twr_session_key *key,
		   const struct twr_session *port)
{
	struct twr_session *f;
	void *data;
	uint32_t idx;

	if (likely(rte_hash_lookup_data(fc->hash, key, &data) >= 0))
		return data;
	if (unlikely(fc->nb_free == 0))
		return NULL;
	idx = fc->free_idx[fc->nb_free - 1];
	f = &fc->flows[idx];
	if (rte_hash_add_key_data(fc->hash, key, f) < 0)
		return NULL;
	/* Readers on other threads (telemetry) copy the entry under its count. */
	rte_seqcount_write_begin(&fc->seq[idx]);
	/* The port entry's configuration, a fresh sequence and fresh counters. */
	memcpy(f, port, offsetof(struct twr_session, stats));
	memset(&f->stats, 0, sizeof(f->stats));
	f->tx_seq = 0;
	f->allow = NULL; /* the port's: checked there, may be freed before the flow */
	memcpy(f->peer_addr, key->remote_addr, sizeof(f->peer_addr));
	f->peer_port = key->remote_port;
	fc->keys[idx] = *key;
	rte_seqcount_write_end(&fc->seq[idx]);
	if (idx >= fc->hw)
		__atomic_store_n(&fc->hw, idx + 1, __ATOMIC_RELEASE);
	fc->nb_free--;
	fc->created++;
	return f;
}

void
twr_flow_cache_lookup_bulk(struct twr_flow_cache *fc, const struct twr_session_key *const keys[],
			   unsigned int n, struct twr_session *out[])
{
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;
	unsigned int i;

	n = RTE_MIN(n, (unsigned int)RTE_HASH_LOOKUP_BULK_MAX);
	for (i = 0; i < n; i++)
		kp[i] = keys[i];
	if (fc->nb_free == fc->cap ||
	    unlikely(rte_hash_lookup_bulk_data(fc->hash, kp, n, &hits, data) < 0))
		hits = 0;
	for (i = 0; i < n; i++)
		out[i] = (hits & (1ull << i)) ? data[i] : NULL;
}

/* Tries at one entry the worker keeps rewriting, before it is skipped. */
#define FOREACH_TRIES 4

int
twr_flow_cache_foreach(const struct twr_flow_cache *fc, twr_flow_cb cb, void *arg)
{
	/* first two cache lines: configuration and the owner's counters */
	struct twr_session copy __rte_cache_aligned;
	struct twr_session_key key;
	uint32_t i, hw, sn;
	unsigned int tries;
	int ret;

	/* Entries are handed out low first: none is used at or above hw. */
	hw = __atomic_load_n(&fc->hw, __ATOMIC_ACQUIRE);
	for (i = 0; i < hw; i++) {
		for (tries = 0; tries < FOREACH_TRIES; tries++) {
			sn = rte_seqcount_read_begin(&fc->seq[i]);
			memcpy(&copy, &fc->flows[i], offsetof(struct twr_session, nat));
			key = fc->keys[i];
			if (!rte_seqcount_read_retry(&fc->seq[i], sn))
				break;
		}
		/* Used entries are STARTED (copied from their port); free ones are not. */
		if (tries == FOREACH_TRIES || copy.run_state != TWR_SESSION_STARTED)
			continue;
		ret = cb(&key, &copy, arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}

unsigned int
twr_flow_cache_expire(struct twr_flow_cache *fc, uint64_t now_tsc, unsigned int budget)
{
	unsigned int reclaimed = 0;

	if (fc->nb_free == fc->cap)
		return 0;
	/*
	 * Low indices are handed out first, so the used ones sit below hw:
	 * a few flows cost a few lines, not a walk over the whole table.
	 */
	budget = RTE_MIN(budget, fc->hw);
	while (budget-- > 0) {
		uint32_t idx = fc->scan < fc->hw ? fc->scan : 0;
		struct twr_session *f = &fc->flows[idx];

		fc->scan = idx + 1 >= fc->hw ? 0 : idx + 1;
		/*
		 * Free slots are not STARTED. A flow whose packets were all dropped
		 * has last_rx_tsc 0 and goes at the next scan: nothing to keep.
		 */
		if (f->run_state != TWR_SESSION_STARTED ||
		    now_tsc - f->stats.last_rx_tsc <= fc->idle_tsc)
			continue;
		rte_hash_del_key(fc->hash, &fc->keys[idx]);
		rte_seqcount_write_begin(&fc->seq[idx]);
		f->run_state = TWR_SESSION_DEAD;
		rte_seqcount_write_end(&fc->seq[idx]);
		fc->free_idx[fc->nb_free++] = idx;
		fc->expired++;
		reclaimed++;
	}
	return reclaimed;
}
