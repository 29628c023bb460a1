/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_WORKER_H
#define TWR_WORKER_H

/**
 * @file
 * The worker lcore: the one canonical burst loop (STYLE.md habit 2).
 *
 * Per RX queue it owns: RX burst; early out on zero; T2 once per burst
 * (or per packet from the NIC's RX timestamp); parse every frame; look
 * the burst up in the session table in bulk; run each packet's engine;
 * hand exception-kind frames to the control lcore's ring in one enqueue;
 * free drops in one call; stamp T3 and fix checksums for the whole burst
 * just before the TX burst; count and free the unsent tail. Counters are
 * the lcore's own (twr_dp_stats), plain increments. Once per loop the
 * worker reports a quiescent state to the session table's RCU.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "twr_dp_reasons.h"
#include "twr_flow_cache.h"
#include "twr_reflect.h"

#define TWR_BURST	      32
#define TWR_WORKER_MAX_QUEUES 8
#define TWR_WORKER_MAX_ADDRS  16
/** Flows of stateful Light/STAMP ports per worker, by default. */
#define TWR_WORKER_FLOWS_DEFAULT 65536
/** Idle time after which such a flow is forgotten, by default (seconds). */
#define TWR_WORKER_FLOW_IDLE_S 60
/** Flow-table entries the expiry scan looks at each time. */
#define TWR_WORKER_FLOW_SCAN 64
/**
 * Expiry scans a second: 64 x 1000 entries/s walk a full table of 65536
 * in about a second, far within the idle timeout.
 */
#define TWR_WORKER_FLOW_SCANS_PER_S 1000

struct twr_session_table;
struct twr_clock;
struct rte_rcu_qsbr;

/** One RX queue a worker polls, with the TX queue its replies leave by. */
struct twr_worker_queue {
	uint16_t port_id;
	uint16_t rxq;
	uint16_t txq;
	uint16_t tx_cksum; /**< TWR_TX_*_CKSUM_OFFLOAD of the port */
	bool rx_cksum;	   /**< the port verifies checksums: trust mbuf ol_flags */
};

/** A worker's state; one cache-aligned struct per worker lcore. */
struct twr_worker {
	/** Counters. dp: wo (this lcore), ctl: ro (summed on read). */
	struct twr_dp_stats stats;
	/** TSC spent in bursts that carried packets / that were empty. dp: wo, ctl: ro. */
	uint64_t busy_tsc;
	uint64_t idle_tsc;
	/** Loops run. dp: wo, ctl: ro. */
	uint64_t loops;
	/** Frames of tx_ring sent / refused by the TX queue (freed). dp: wo, ctl: ro. */
	uint64_t tx_ring_sent;
	uint64_t tx_ring_full;
	/**
	 * Packets a stateless Light/STAMP port reflected without per-flow
	 * counters (the flow table was full). dp: wo, ctl: ro.
	 */
	uint64_t flow_untracked;

	/* Set up by the control lcore before launch; dp: ro afterwards. */
	unsigned int lcore_id;
	unsigned int qsbr_id; /**< thread id in the table's QSBR */
	uint16_t nb_queues;
	struct twr_worker_queue queues[TWR_WORKER_MAX_QUEUES];
	struct twr_session_table *table;
	const struct twr_clock *clock;
	/** Reflection settings. dp: ro (read per burst), ctl: rw (single 16/32-bit stores). */
	const struct twr_reflect_conf *conf;
	/** To the control lcore (exception path). dp: enqueue (multi-producer), ctl: dequeue. */
	struct rte_ring *exc_ring;
	/**
	 * From the control lcore: frames (the kernel's, from the TAP) to send
	 * on queues[tx_ring_queue].txq, for a port where the control lcore has
	 * no TX queue of its own. NULL on every worker but one.
	 * ctl: enqueue (single producer), dp: dequeue (single consumer).
	 */
	struct rte_ring *tx_ring;
	uint16_t tx_ring_queue; /**< index into queues[] */
	/** The reflector's addresses (IPv4-mapped for IPv4): tells not_for_us from unknown_session.
	 */
	uint8_t addrs[TWR_WORKER_MAX_ADDRS][16];
	unsigned int nb_addrs;
	/** RX timestamp dynamic field (-1: none) and its flag; unit: Unix µs (net_pcap). */
	int rx_ts_offset;
	uint64_t rx_ts_flag;
	/** Flows of Light/STAMP ports (per-flow counters; stateful: sequence); set before init. */
	struct twr_flow_cache flows;
	uint32_t flow_cap;	/**< 0: TWR_WORKER_FLOWS_DEFAULT */
	uint64_t flow_idle_tsc; /**< 0: TWR_WORKER_FLOW_IDLE_S seconds */
	/** Stop request. dp: ro (relaxed load per loop), ctl: wo. */
	const volatile bool *quit;
} __rte_cache_aligned;

/**
 * Prepare @p w: zero counters, look up the RX timestamp dynamic field,
 * create its flow table, register with the session table's QSBR. Call on
 * the control lcore before launching; undo with twr_worker_fini().
 * @return 0 or a negative errno.
 */
int twr_worker_init(struct twr_worker *w);

/**
 * Sum the counters of @p n workers (any thread: each value at most a burst
 * old).
 */
void twr_worker_stats_sum(const struct twr_worker *workers, unsigned int n,
			  struct twr_dp_stats *sum);

/** Release what twr_worker_init() allocated. */
void twr_worker_fini(struct twr_worker *w);

/**
 * Handle one received burst of queue @p q: everything from parse to TX.
 * Exposed for in-process tests; twr_worker_main() calls it.
 *
 * @param w       the worker (its lcore's own).
 * @param q       the queue the burst came from.
 * @param pkts    the frames; all are consumed (sent, queued or freed).
 * @param n       how many.
 * @param rx_tsc  TSC read right after the RX burst returned.
 */
void twr_worker_burst(struct twr_worker *w, const struct twr_worker_queue *q,
		      struct rte_mbuf **pkts, uint16_t n, uint64_t rx_tsc);

/**
 * Send one burst of what the control lcore queued on @p w's tx_ring (if
 * any) on the TX queue of queues[tx_ring_queue]; count what the queue
 * takes (tx_ring_sent) and free and count what it refuses (tx_ring_full).
 * twr_worker_main() calls it once per loop; exposed for in-process tests.
 * @return frames dequeued from the ring.
 */
unsigned int twr_worker_tx_ring(struct twr_worker *w);

/**
 * The lcore function: poll every queue of @p arg (a struct twr_worker)
 * until *quit. Goes offline in the QSBR before returning.
 * @return 0.
 */
int twr_worker_main(void *arg);

#endif /* TWR_WORKER_H */
