/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The burst loop (twr_worker_burst(), twr_worker_main()) in process, on a
 * ring-backed ethdev (rte_eth_from_rings): crafted frames are copied into
 * mbufs and enqueued on the port's RX ring, rte_eth_rx_burst() takes them
 * as the worker would, twr_worker_burst() handles the burst, and the
 * test dequeues the port's TX ring and the exception ring.
 *
 * The worker is wired as app/twamp-reflector/main.c wires it: session
 * table, clock, reflection settings, exception ring, one queue of the
 * port with the port's checksum capabilities, the reflector's addresses,
 * twr_worker_init().
 *
 * Every octet is deterministic: the clock is pinned so that it stands
 * still at T3 = Unix 1700000010.75 (twr_clock_pin() with a rate so high
 * that its multiplier is 0: asserted in setup), and each frame carries an
 * RX timestamp (the dynamic field net_pcap fills) of 1700000010.50, the
 * T2 of dp_vectors.h. So the replies must equal the expected frames of
 * dp_vectors.h and test_worker_vectors.h (independent generators) octet
 * for octet, IP and UDP checksums included. One case checks the path
 * without an RX timestamp (T2 from the burst's TSC, T3 from the TSC at
 * TX) with a clock running at 1 GHz.
 *
 * Every case also asserts every counter of the worker exactly (a reason
 * not expected must stay 0), the accounting identity of twr_dp_reasons.h,
 * the exception ring's contents (frames handed over unchanged, in order),
 * and that no mbuf leaked or was freed twice (the pool, without a cache,
 * is full again at the end).
 *
 * One process, CK_NOFORK: EAL does not survive fork().
 */

#include <check.h>
#include <dirent.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "check_main.h"
#include "dp_vectors.h"
#include "test_worker_vectors.h"
#include "twr_clock.h"
#include "twr_engine.h"
#include "twr_flow_cache.h"
#include "twr_proto.h"
#include "twr_session.h"
#include "twr_session_table.h"
#include "twr_worker.h"

/*
 * Mempool without a per-lcore cache, so that its count is exact; TX ring
 * of exactly TX_RING_SIZE (tx_full is provoked by filling it).
 */
#define POOL_SIZE     2047
#define RX_RING_SIZE  1024
#define TX_RING_SIZE  64
#define EXC_RING_SIZE 64
#define MAX_SESSIONS  64

/*
 * The T2 (Unix 1700000010.50) and T3 (.75) of dp_vectors.h: in ns, as NTP
 * timestamps, and T2 in µs as net_pcap's RX timestamp field holds it.
 */
#define T2_NS	   UINT64_C(1700000010500000000)
#define T3_NS	   UINT64_C(1700000010750000000)
#define T2_NTP	   UINT64_C(0xe8fe6f8a80000000)
#define T3_NTP	   UINT64_C(0xe8fe6f8ac0000000)
#define T2_US	   UINT64_C(1700000010500000)
#define ERREST	   0x8587
#define RX_TSC	   UINT64_C(1000000) /* TSC given as the bursts' receive time */

#define TWAMP_PORT 5000
#define LIGHT_PORT 862
#define SPORT	   50000

/* 198.18.0.2 and 2001:2::2, the reflector's; 198.18.0.1 and 2001:2::1, the sender's. */
static const uint8_t ip4_r[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2};
static const uint8_t ip4_s[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 1};
static const uint8_t ip6_r[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t ip6_s[16] = {0x20, 0x01, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

/* Set once in main(). */
static struct rte_mempool *pool;
static struct rte_ring *rx_ring, *tx_ring;
static uint16_t port_id;
static unsigned int port_tx_cksum;
static bool port_rx_cksum;
static struct twr_clock *clk;
static int ts_offset;
static uint64_t ts_flag;
static unsigned int worker_lcore = RTE_MAX_LCORE;

/* Per case (setup / teardown). */
static struct twr_session_table *table;
static struct rte_ring *exc_ring;
static struct twr_reflect_conf conf;
static struct twr_worker w;
static volatile bool quit;
static unsigned int case_no;
static bool worker_ready;
/* mbufs in the pool when the case started (POOL_SIZE unless an earlier case failed). */
static unsigned int pool_baseline;
/* RX timestamp given to the next frames (0: none, T2 from the burst TSC). */
static uint64_t rx_ts_us;

/* ------------------------------------------------------------ helpers ---- */

static void
drain(struct rte_ring *r)
{
	void *obj;

	while (r != NULL && rte_ring_dequeue(r, &obj) == 0)
		rte_pktmbuf_free(obj);
}

/* Pin the clock so that it stands still at @p unix_ns. */
static void
clock_freeze(uint64_t unix_ns)
{
	ck_assert_int_eq(twr_clock_pin(clk, 0, unix_ns, UINT64_MAX, ERREST), 0);
	/* Multiplier 0: any TSC, before or after the anchor, reads unix_ns. */
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(clk, 0), unix_ns);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(clk, rte_rdtsc()), unix_ns);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(clk, UINT64_MAX), unix_ns);
}

static void
setup(void)
{
	char name[RTE_RING_NAMESIZE];
	int ret;

	drain(rx_ring);
	drain(tx_ring);
	case_no++;
	pool_baseline = rte_mempool_avail_count(pool);
	clock_freeze(T3_NS);
	rx_ts_us = T2_US;

	snprintf(name, sizeof(name), "tw%u", case_no);
	table = twr_session_table_create(name, MAX_SESSIONS, 1, SOCKET_ID_ANY);
	ck_assert_msg(table != NULL, "session table: %s", rte_strerror(rte_errno));
	/* As the app: single consumer (the control lcore), workers enqueue. */
	snprintf(name, sizeof(name), "twexc%u", case_no);
	exc_ring = rte_ring_create(name, EXC_RING_SIZE, SOCKET_ID_ANY, RING_F_SC_DEQ);
	ck_assert_ptr_nonnull(exc_ring);

	memset(&conf, 0, sizeof(conf));
	conf.errest = ERREST;
	conf.ts_info[0] = 1; /* Sync Src In: NTP */
	conf.ts_info[1] = 2; /* Timestamp In: SW local */
	conf.ts_info[2] = 1;
	conf.ts_info[3] = 2;

	memset(&w, 0, sizeof(w));
	quit = false;
	w.lcore_id = worker_lcore;
	w.qsbr_id = 0;
	w.table = table;
	w.clock = clk;
	w.conf = &conf;
	w.exc_ring = exc_ring;
	w.quit = &quit;
	memcpy(w.addrs[0], ip4_r, 16);
	memcpy(w.addrs[1], ip6_r, 16);
	w.nb_addrs = 2;
	w.queues[0].port_id = port_id;
	w.queues[0].rxq = 0;
	w.queues[0].txq = 0;
	w.queues[0].tx_cksum = (uint16_t)port_tx_cksum;
	w.queues[0].rx_cksum = port_rx_cksum;
	w.nb_queues = 1;
	ret = twr_worker_init(&w);
	ck_assert_msg(ret == 0, "twr_worker_init: %s", strerror(-ret));
	worker_ready = true;
	/* It found the RX timestamp field main() registered, as net_pcap's. */
	ck_assert_int_eq(w.rx_ts_offset, ts_offset);
	ck_assert_uint_eq(w.rx_ts_flag, ts_flag);
}

static void
teardown(void)
{
	drain(rx_ring);
	drain(tx_ring);
	drain(exc_ring);
	rte_ring_free(exc_ring);
	exc_ring = NULL;
	if (worker_ready)
		twr_worker_fini(&w);
	worker_ready = false;
	twr_session_table_free(table);
	table = NULL;
}

/*
 * A frame in a fresh mbuf, with the current RX timestamp, and @p tailroom
 * octets after it (UINT16_MAX: all the buffer leaves).
 */
static struct rte_mbuf *
mbuf_room(const uint8_t *frame, size_t len, uint16_t tailroom)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *data;

	ck_assert_ptr_nonnull(m);
	if (tailroom != UINT16_MAX)
		m->data_off = (uint16_t)(m->buf_len - len - tailroom);
	data = rte_pktmbuf_append(m, (uint16_t)len);
	ck_assert_ptr_nonnull(data);
	memcpy(data, frame, len);
	if (rx_ts_us != 0) {
		*RTE_MBUF_DYNFIELD(m, ts_offset, rte_mbuf_timestamp_t *) = rx_ts_us;
		m->ol_flags |= ts_flag;
	}
	if (tailroom != UINT16_MAX)
		ck_assert_uint_eq(rte_pktmbuf_tailroom(m), tailroom);
	return m;
}

static struct rte_mbuf *
mbuf_of(const uint8_t *frame, size_t len)
{
	return mbuf_room(frame, len, UINT16_MAX);
}

static void
rx_mbuf(struct rte_mbuf *m)
{
	ck_assert_int_eq(rte_ring_enqueue(rx_ring, m), 0);
}

static void
rx_put(const uint8_t *frame, size_t len)
{
	rx_mbuf(mbuf_of(frame, len));
}

#define RX(v) rx_put(v, sizeof(v))

/* What the worker loop does with one RX poll: rx burst, then the burst handler. */
static uint16_t
poll_at(uint64_t rx_tsc)
{
	struct rte_mbuf *pkts[TWR_BURST];
	uint16_t n = rte_eth_rx_burst(port_id, 0, pkts, TWR_BURST);

	if (n > 0)
		twr_worker_burst(&w, &w.queues[0], pkts, n, rx_tsc);
	return n;
}

static void
poll_n(uint16_t want)
{
	ck_assert_uint_eq(poll_at(RX_TSC), want);
}

/* VLAN tags before the EtherType of @p f. */
static unsigned int
vlan_tags(const uint8_t *f)
{
	unsigned int n = 0;

	while ((f[12 + 4 * n] == 0x81 && f[13 + 4 * n] == 0x00) ||
	       (f[12 + 4 * n] == 0x88 && f[13 + 4 * n] == 0xa8))
		n++;
	return n;
}

/*
 * The next reply on the TX ring must be @p want, octet for octet, in a sane
 * one-segment mbuf with the offload metadata of the reply (l2_len, l3_len,
 * ol_flags).
 */
static void
tx_expect(const char *name, const uint8_t *want, size_t len, uint64_t ol_flags)
{
	uint8_t got[256];
	const char *why = NULL;
	struct rte_mbuf *m;
	uint64_t flags;
	uint32_t pkt_len, data_len;
	uint16_t nb_segs, l2_len, l3_len;
	void *obj;
	int bad;

	ck_assert_uint_le(len, sizeof(got));
	ck_assert_msg(rte_ring_dequeue(tx_ring, &obj) == 0, "%s: no reply on the TX ring", name);
	m = obj;
	/* Read everything, free, then assert: a failure leaks nothing. */
	bad = rte_mbuf_check(m, 1, &why);
	nb_segs = m->nb_segs;
	pkt_len = rte_pktmbuf_pkt_len(m);
	data_len = rte_pktmbuf_data_len(m);
	flags = m->ol_flags;
	l2_len = (uint16_t)m->l2_len;
	l3_len = (uint16_t)m->l3_len;
	memcpy(got, rte_pktmbuf_mtod(m, uint8_t *), RTE_MIN((size_t)data_len, sizeof(got)));
	rte_pktmbuf_free(m);

	ck_assert_msg(bad == 0, "%s: bad mbuf: %s", name, why);
	ck_assert_msg(nb_segs == 1, "%s: %u segments", name, nb_segs);
	ck_assert_msg(pkt_len == len && data_len == len, "%s: length %u/%u, want %zu", name,
		      pkt_len, data_len, len);
	ck_assert_msg(flags == ol_flags, "%s: ol_flags %" PRIx64 ", want %" PRIx64, name, flags,
		      ol_flags);
	ck_assert_msg(l2_len == 14 + 4 * vlan_tags(want), "%s: l2_len %u", name, l2_len);
	ck_assert_msg(l3_len == (want[14 + 4 * vlan_tags(want)] >> 4 == 4 ? 20 : 40),
		      "%s: l3_len %u", name, l3_len);
	ck_assert_bytes(got, want, len);
}

#define TX_EQ(v) tx_expect(#v, v, sizeof(v), 0)

/* The next frame on the exception ring must be @p want, unchanged. */
static void
exc_expect(const char *name, const uint8_t *want, size_t len)
{
	uint8_t got[256];
	struct rte_mbuf *m;
	uint32_t data_len;
	void *obj;

	ck_assert_uint_le(len, sizeof(got));
	ck_assert_msg(rte_ring_dequeue(exc_ring, &obj) == 0, "%s: not on the exception ring", name);
	m = obj;
	data_len = rte_pktmbuf_data_len(m);
	memcpy(got, rte_pktmbuf_mtod(m, uint8_t *), RTE_MIN((size_t)data_len, sizeof(got)));
	rte_pktmbuf_free(m);
	ck_assert_msg(data_len == len, "%s: length %u, want %zu", name, data_len, len);
	ck_assert_bytes(got, want, len);
}

#define EXC_EQ(v) exc_expect(#v, v, sizeof(v))

/* rx = reflected + to_exception + drops; exceptions = to_exception + ring full. */
static void
check_identity(const struct twr_dp_stats *s)
{
	uint64_t drops = 0, exc = 0;
	unsigned int r;

	for (r = 1; r < TWR_DP_REASON_MAX; r++) {
		if (twr_dp_reason_kind(r) == TWR_DP_KIND_DROP)
			drops += s->reason[r];
		else
			exc += s->reason[r];
	}
	ck_assert_msg(s->counter[TWR_DP_COUNTER_RX] ==
			      s->counter[TWR_DP_COUNTER_REFLECTED] +
				      s->counter[TWR_DP_COUNTER_TO_EXCEPTION] + drops,
		      "identity: rx %" PRIu64 " != reflected %" PRIu64 " + to_exception %" PRIu64
		      " + drops %" PRIu64,
		      s->counter[TWR_DP_COUNTER_RX], s->counter[TWR_DP_COUNTER_REFLECTED],
		      s->counter[TWR_DP_COUNTER_TO_EXCEPTION], drops);
	ck_assert_msg(exc == s->counter[TWR_DP_COUNTER_TO_EXCEPTION] +
				      s->reason[TWR_DP_REASON_EXCEPTION_RING_FULL],
		      "identity: exceptions %" PRIu64 " != to_exception + exception_ring_full",
		      exc);
}

/* Reasons some case produced and asserted (the coverage case reads it). */
static bool reason_seen[TWR_DP_REASON_MAX];
static unsigned int stats_checked;

/* Every counter of the worker equals @p want's, and the identity holds. */
static void
check_stats(const struct twr_dp_stats *want)
{
	unsigned int i;

	stats_checked++;
	for (i = 1; i < TWR_DP_REASON_MAX; i++)
		if (want->reason[i] != 0 && w.stats.reason[i] == want->reason[i])
			reason_seen[i] = true;

	for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
		ck_assert_msg(w.stats.counter[i] == want->counter[i],
			      "counter %s = %" PRIu64 ", want %" PRIu64, twr_dp_counter_name(i),
			      w.stats.counter[i], want->counter[i]);
	for (i = 1; i < TWR_DP_REASON_MAX; i++)
		ck_assert_msg(w.stats.reason[i] == want->reason[i],
			      "reason %s = %" PRIu64 ", want %" PRIu64, twr_dp_reason_name(i),
			      w.stats.reason[i], want->reason[i]);
	ck_assert_uint_eq(w.stats.reason[TWR_DP_OK], 0);
	check_identity(&w.stats);
}

/* STATS(rx, reflected, to_exception, [TWR_DP_REASON_X] = n, ...) */
#define STATS(rx_, refl_, exc_, ...)                                                               \
	(&(const struct twr_dp_stats){                                                             \
		.counter = {[TWR_DP_COUNTER_RX] = (rx_),                                           \
			    [TWR_DP_COUNTER_REFLECTED] = (refl_),                                  \
			    [TWR_DP_COUNTER_TO_EXCEPTION] = (exc_)},                               \
		.reason = {[TWR_DP_OK] = 0, __VA_ARGS__},                                          \
	})

/* End of a case: nothing left anywhere, every mbuf back in the pool. */
static void
finish(void)
{
	ck_assert_uint_eq(rte_ring_count(rx_ring), 0);
	ck_assert_msg(rte_ring_count(tx_ring) == 0, "%u replies not expected",
		      rte_ring_count(tx_ring));
	ck_assert_msg(rte_ring_count(exc_ring) == 0, "%u exceptions not expected",
		      rte_ring_count(exc_ring));
	ck_assert_msg(rte_mempool_avail_count(pool) == pool_baseline, "%d mbufs leaked",
		      (int)pool_baseline - (int)rte_mempool_avail_count(pool));
}

/* Per-session counters. */
static void
check_session(const struct twr_session *s, uint64_t rx, uint64_t reflected, uint64_t dropped,
	      uint64_t mismatch)
{
	const struct twr_session_nat *n = &s->nat;

	/* The owner's counters plus the other sources' (twr_nat.h). */
	ck_assert_uint_eq(s->stats.rx + n->other_rx, rx);
	ck_assert_uint_eq(s->stats.reflected, reflected);
	ck_assert_uint_eq(s->stats.dropped + n->other_rx, dropped);
	ck_assert_uint_eq(n->mismatch[TWR_NAT_KIND_ADDR] + n->mismatch[TWR_NAT_KIND_PORT] +
				  n->mismatch[TWR_NAT_KIND_BOTH],
			  mismatch);
}

static void
key_of(struct twr_session_key *k, const uint8_t local[16], uint16_t local_port,
       const uint8_t remote[16], uint16_t remote_port, uint16_t vlan)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->local_addr, local, 16);
	if (remote != NULL)
		memcpy(k->remote_addr, remote, 16);
	k->local_port = local_port;
	k->remote_port = remote_port;
	k->vlan = vlan;
}

/*
 * A managed TWAMP session as the session manager installs it after
 * Start-Sessions: its exact 5-tuple + VLAN and its Receiver Port (listen),
 * unauthenticated, Type-P CS0.
 */
static struct twr_session *
managed_session(const uint8_t local[16], const uint8_t peer[16], uint16_t peer_port, uint16_t vlan,
		uint8_t run_state)
{
	struct twr_session_key k, lk;
	struct twr_session *s = twr_session_table_session_alloc(table);

	ck_assert_ptr_nonnull(s);
	s->engine = TWR_ENGINE_TWAMP;
	s->modes = TWR_MODE_UNAUTHENTICATED;
	s->dscp_policy = TWR_DSCP_FIXED;
	s->dscp = 0;
	s->peer_port = peer_port;
	memcpy(s->peer_addr, peer, 16);
	s->run_state = run_state;
	key_of(&k, local, TWAMP_PORT, peer, peer_port, vlan);
	ck_assert_int_eq(twr_session_table_add_exact(table, &k, s), 0);
	twr_session_key_to_listen(&k, &lk);
	ck_assert_int_eq(twr_session_table_add_listen(table, &lk, s), 0);
	return s;
}

#define MANAGED_V4(vlan) managed_session(ip4_r, ip4_s, SPORT, vlan, TWR_SESSION_STARTED)
#define MANAGED_V6(vlan) managed_session(ip6_r, ip6_s, SPORT, vlan, TWR_SESSION_STARTED)

/* A TWAMP-Light / STAMP reflector port, as the app installs it (listen, DSCP copied). */
static struct twr_session *
reflector_port(const uint8_t local[16], uint16_t port, uint16_t vlan, enum twr_engine_id engine,
	       uint8_t flags)
{
	struct twr_session_key k;
	struct twr_session *s = twr_session_table_session_alloc(table);

	ck_assert_ptr_nonnull(s);
	s->engine = (uint8_t)engine;
	s->flags = flags;
	s->dscp_policy = TWR_DSCP_COPY;
	s->run_state = TWR_SESSION_STARTED;
	key_of(&k, local, port, NULL, 0, vlan);
	ck_assert_int_eq(twr_session_table_add_listen(table, &k, s), 0);
	return s;
}

/* A stateful Light / STAMP flow installed by the control plane: its exact 5-tuple, own counter. */
static struct twr_session *
stateful_flow(const uint8_t local[16], const uint8_t remote[16], uint16_t remote_port,
	      enum twr_engine_id engine)
{
	struct twr_session_key k;
	struct twr_session *s = twr_session_table_session_alloc(table);

	ck_assert_ptr_nonnull(s);
	s->engine = (uint8_t)engine;
	s->flags = TWR_SESSION_F_STATEFUL;
	s->dscp_policy = TWR_DSCP_COPY;
	s->run_state = TWR_SESSION_STARTED;
	key_of(&k, local, LIGHT_PORT, remote, remote_port, 0);
	ck_assert_int_eq(twr_session_table_add_exact(table, &k, s), 0);
	return s;
}

/* RFC 1071 sum, independent of the library's. */
static uint16_t
sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* UDP checksum of an untagged IPv4 reply (no options) verifies. */
static bool
udp4_cksum_ok(const uint8_t *f)
{
	uint16_t ulen = (uint16_t)(f[38] << 8 | f[39]);
	uint8_t ph[12];

	memcpy(ph, f + 26, 8);
	ph[8] = 0;
	ph[9] = 17;
	ph[10] = f[38];
	ph[11] = f[39];
	return sum16(f + 34, ulen, sum16(ph, sizeof(ph), 0)) == 0xffff;
}

static uint64_t
get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* NTP timestamp of Unix ns, RFC 5905 (fraction truncated). */
static uint64_t
ntp_of(uint64_t unix_ns)
{
	uint64_t sec = unix_ns / 1000000000u, ns = unix_ns % 1000000000u;

	return (sec + 2208988800u) << 32 | ((ns << 32) / 1000000000u);
}

/* ------------------------------------------------------ managed TWAMP ---- */

START_TEST(managed_ipv4_41_and_14_octet_senders_get_consecutive_reflector_seq)
{
	struct twr_session *s = MANAGED_V4(0);

	RX(v4_twamp41_in);
	poll_n(1);
	TX_EQ(v4_twamp41_out);
	/* 14 octets (routers): a full 41-octet reply, the session's next number. */
	RX(v4_twamp14_in);
	poll_n(1);
	TX_EQ(w_v4_twamp14_seq1_out);
	RX(v4_twamp41_in);
	poll_n(1);
	TX_EQ(w_v4_twamp41_seq2_out);

	check_stats(STATS(3, 3, 0));
	check_session(s, 3, 3, 0, 0);
	ck_assert_uint_eq(s->stats.last_rx_tsc, RX_TSC);
	ck_assert_uint_eq(s->tx_seq, 3);
	finish();
}
END_TEST

START_TEST(managed_ipv4_14_octet_sender_grows_into_tailroom)
{
	struct twr_session *s = MANAGED_V4(0);

	/* 23 octets of tailroom are exactly what 60 -> 83 needs. */
	rx_mbuf(mbuf_room(v4_twamp14_in, sizeof(v4_twamp14_in), 23));
	poll_n(1);
	TX_EQ(v4_twamp14_out);
	check_stats(STATS(1, 1, 0));
	check_session(s, 1, 1, 0, 0);
	finish();
}
END_TEST

START_TEST(managed_ipv6_41_and_14_octet_senders)
{
	struct twr_session *s = MANAGED_V6(0);

	RX(w_v6_twamp14_in);
	RX(v6_twamp41_in);
	RX(v6_twamp41_in);
	poll_n(3);
	TX_EQ(w_v6_twamp14_out);
	TX_EQ(w_v6_twamp41_seq1_out);
	TX_EQ(w_v6_twamp41_seq2_out);
	check_stats(STATS(3, 3, 0));
	check_session(s, 3, 3, 0, 0);
	finish();
}
END_TEST

START_TEST(managed_ipv4_options_and_ipv6_ext_headers_not_echoed)
{
	struct twr_session *s4 = MANAGED_V4(0), *s6 = MANAGED_V6(0);
	struct rte_mbuf *m;
	void *obj;

	RX(v4_opts_in);
	poll_n(1);
	/* The reply starts 4 octets into the received frame (rte_pktmbuf_adj). */
	ck_assert_int_eq(rte_ring_dequeue(tx_ring, &obj), 0);
	m = obj;
	ck_assert_uint_eq(m->data_off, RTE_PKTMBUF_HEADROOM + 4);
	ck_assert_uint_eq(m->l2_len, 14);
	ck_assert_uint_eq(m->l3_len, 20);
	ck_assert_int_eq(rte_ring_enqueue(tx_ring, m), 0);
	TX_EQ(v4_opts_out);

	RX(v6_hbh_in);
	poll_n(1);
	TX_EQ(v6_hbh_out);
	check_stats(STATS(2, 2, 0));
	check_session(s4, 1, 1, 0, 0);
	check_session(s6, 1, 1, 0, 0);
	finish();
}
END_TEST

START_TEST(parse_accepts_short_udp_zero_cksum_and_skippable_ipv6_headers)
{
	struct twr_session *s4 = MANAGED_V4(0), *s6 = MANAGED_V6(0);

	/* UDP shorter than its IP payload (the 4 extra octets not echoed); checksum 0 (IPv4). */
	RX(p_v4_ushort);
	RX(p_v4_zero_ucksum);
	/* Routing header with Segments Left 0, four Destination Options, atomic fragment. */
	RX(p_v6_rh_sl0);
	RX(p_v6_4dst);
	RX(p_v6_afrag);
	poll_n(5);
	TX_EQ(v4_twamp41_out);
	TX_EQ(w_v4_twamp41_seq1_out);
	TX_EQ(v6_twamp41_out);
	TX_EQ(w_v6_twamp41_seq1_out);
	TX_EQ(w_v6_twamp41_seq2_out);
	check_stats(STATS(5, 5, 0));
	check_session(s4, 2, 2, 0, 0);
	check_session(s6, 3, 3, 0, 0);
	finish();
}
END_TEST

START_TEST(managed_stopping_session_reflects_until_timeout_then_expired)
{
	struct twr_session *s = MANAGED_V4(0);

	/* Stop-Sessions received: reflect while rx tsc < expire_tsc (RFC 5357 §3.8). */
	s->expire_tsc = RX_TSC + 1;
	__atomic_store_n(&s->run_state, TWR_SESSION_STOPPING, __ATOMIC_RELEASE);
	RX(v4_twamp41_in);
	poll_n(1);
	TX_EQ(v4_twamp41_out);
	RX(v4_twamp41_in);
	ck_assert_uint_eq(poll_at(RX_TSC + 1), 1);
	ck_assert_uint_eq(rte_ring_count(tx_ring), 0);
	/* Past the Timeout, or removed: expired. */
	__atomic_store_n(&s->run_state, TWR_SESSION_DEAD, __ATOMIC_RELEASE);
	RX(v4_twamp41_in);
	poll_n(1);
	check_stats(STATS(3, 1, 0, [TWR_DP_REASON_SESSION_EXPIRED] = 2));
	check_session(s, 3, 1, 2, 0);
	/* A dropped packet does not keep the session alive. */
	ck_assert_uint_eq(s->stats.last_rx_tsc, RX_TSC);
	ck_assert_uint_eq(s->tx_seq, 1);
	finish();
}
END_TEST

/* -------------------------------------------------------------- Light ---- */

START_TEST(light_stateless_port_copies_sender_seq_and_is_never_written)
{
	struct twr_session *port = reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);

	RX(v4_light_in);
	RX(w_v4_light_s2_in);
	RX(v4_light_in);
	poll_n(3);
	TX_EQ(v4_light_stateless_out);
	TX_EQ(w_v4_light_s2_out);
	TX_EQ(v4_light_stateless_out);
	check_stats(STATS(3, 3, 0));
	/* Shared by every lcore: neither its counter nor its stats move. */
	ck_assert_uint_eq(port->tx_seq, 0);
	check_session(port, 0, 0, 0, 0);
	finish();
}
END_TEST

START_TEST(light_stateful_exact_flow_has_own_counter_beside_stateless_port)
{
	struct twr_session *port = reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	struct twr_session *flow = stateful_flow(ip4_r, ip4_s, SPORT, TWR_ENGINE_LIGHT);

	RX(v4_light_in);
	RX(w_v4_light_s2_in); /* another sender: the stateless port */
	RX(v4_light2_in);
	poll_n(3);
	TX_EQ(v4_light_stateful0_out);
	TX_EQ(w_v4_light_s2_out);
	TX_EQ(v4_light_stateful1_out);
	check_stats(STATS(3, 3, 0));
	check_session(flow, 2, 2, 0, 0);
	ck_assert_uint_eq(flow->tx_seq, 2);
	check_session(port, 0, 0, 0, 0);
	finish();
}
END_TEST

/*
 * A stateful port (listen entry with TWR_SESSION_F_STATEFUL, as the app's
 * --light-port N,stateful): each sender's 5-tuple gets its own flow on
 * this lcore, Sequence Number from 0; the shared port entry is not written.
 */
START_TEST(light_stateful_port_gives_each_sender_its_own_flow)
{
	struct twr_session *port =
		reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, TWR_SESSION_F_STATEFUL);
	struct twr_session_key k;
	struct twr_session *flow;

	RX(v4_light_in);
	RX(w_v4_light_s2_in);
	RX(v4_light2_in);
	poll_n(3);
	TX_EQ(v4_light_stateful0_out);
	TX_EQ(w_v4_light_s2_stateful0_out);
	TX_EQ(v4_light_stateful1_out);
	check_stats(STATS(3, 3, 0));
	ck_assert_uint_eq(port->tx_seq, 0);
	check_session(port, 0, 0, 0, 0);
	ck_assert_uint_eq(w.flows.created, 2);
	key_of(&k, ip4_r, LIGHT_PORT, ip4_s, SPORT, 0);
	flow = twr_flow_cache_get(&w.flows, &k, port);
	ck_assert_ptr_nonnull(flow);
	ck_assert_uint_eq(w.flows.created, 2); /* found, not created */
	ck_assert_uint_eq(flow->tx_seq, 2);
	check_session(flow, 2, 2, 0, 0);
	finish();
}
END_TEST

/* -------------------------------------------------------------- STAMP ---- */

START_TEST(stamp_stateless_ipv4_ipv6_tlvs_and_short_packet)
{
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_STAMP, TWR_SESSION_F_COS_PERMIT);
	reflector_port(ip6_r, LIGHT_PORT, 0, TWR_ENGINE_STAMP, 0);

	RX(v4_stamp_in);
	RX(v4_stamp_loc_in);
	RX(v6_stamp_loc_in);
	RX(v4_stamp_unk_in);
	RX(v4_stamp_short_in); /* 60-octet frame answered with 86 */
	poll_n(5);
	TX_EQ(v4_stamp_out);
	TX_EQ(v4_stamp_loc_out);
	TX_EQ(v6_stamp_loc_out);
	TX_EQ(v4_stamp_unk_out);
	TX_EQ(v4_stamp_short_out);
	check_stats(STATS(5, 5, 0));
	finish();
}
END_TEST

START_TEST(stamp_stateful_port_flow_starts_at_zero)
{
	struct twr_session *port =
		reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_STAMP, TWR_SESSION_F_STATEFUL);

	RX(v4_stamp_in); /* sender seq 1 */
	poll_n(1);
	TX_EQ(w_v4_stamp_stateful0_out);
	ck_assert_uint_eq(port->tx_seq, 0);
	ck_assert_uint_eq(w.flows.created, 1);
	check_stats(STATS(1, 1, 0));
	finish();
}
END_TEST

START_TEST(stamp_stateful_exact_flow_counter)
{
	struct twr_session *flow = stateful_flow(ip4_r, ip4_s, SPORT, TWR_ENGINE_STAMP);

	flow->tx_seq = 100;
	RX(v4_stamp_in);
	poll_n(1);
	TX_EQ(v4_stamp_stateful_out);
	ck_assert_uint_eq(flow->tx_seq, 101);
	check_session(flow, 1, 1, 0, 0);
	check_stats(STATS(1, 1, 0));
	finish();
}
END_TEST

/* --------------------------------------------------------------- VLAN ---- */

START_TEST(vlan_and_qinq_sessions_keyed_by_outer_vid)
{
	struct twr_session *s100 = MANAGED_V4(100), *s10 = MANAGED_V4(10);

	RX(v4_vlan_in);
	RX(v4_qinq_in);
	/* Untagged, and IPv6 in QinQ VID 10: no session on those keys. */
	RX(v4_twamp41_in);
	RX(v6_qinq_in);
	poll_n(4);
	TX_EQ(v4_vlan_out); /* l2_len 18 */
	TX_EQ(v4_qinq_out); /* l2_len 22 */
	EXC_EQ(v4_twamp41_in);
	EXC_EQ(v6_qinq_in);
	check_stats(STATS(4, 2, 2, [TWR_DP_REASON_UNKNOWN_SESSION] = 2));
	check_session(s100, 1, 1, 0, 0);
	check_session(s10, 1, 1, 0, 0);
	finish();
}
END_TEST

/* ------------------------------------------------------- mixed burst ---- */

START_TEST(mixed_burst_of_32_replies_in_order_drops_and_exceptions_counted)
{
	struct twr_session *s4 = MANAGED_V4(0), *s6 = MANAGED_V6(0);
	struct twr_session *s100 = MANAGED_V4(100), *s10 = MANAGED_V4(10);

	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	reflector_port(ip6_r, LIGHT_PORT, 0, TWR_ENGINE_STAMP, 0);

	RX(v4_twamp41_in);    /*  0 reply, s4 seq 0 */
	RX(v4_light_in);      /*  1 reply */
	RX(p_arp);	      /*  2 not_ip */
	RX(v6_twamp41_in);    /*  3 reply, s6 seq 0 */
	RX(v6_stamp_loc_in);  /*  4 reply */
	RX(p_v4_bad_cksum);   /*  5 ipv4_bad_checksum */
	RX(v4_vlan_in);	      /*  6 reply, s100 */
	RX(v4_qinq_in);	      /*  7 reply, s10 */
	RX(p_v4_icmp);	      /*  8 not_udp */
	RX(v4_twamp14_in);    /*  9 reply, s4 seq 1 */
	RX(p_v6_frag);	      /* 10 ipv6_fragment */
	RX(v4_mcast_src_in);  /* 11 bad_source */
	RX(v4_twamp13_in);    /* 12 test_too_short, on s4 */
	RX(v6_qinq_in);	      /* 13 unknown_session */
	RX(p_v6_ah);	      /* 14 ipv6_ext_header */
	RX(w_v4_light_s2_in); /* 15 reply */
	RX(p_3tags);	      /* 16 l2_unsupported */
	RX(p_v4_total_big);   /* 17 truncated */
	RX(v6_twamp41_in);    /* 18 reply, s6 seq 1 */
	RX(p_v4_mf);	      /* 19 ipv4_fragment */
	RX(p_v6_version4);    /* 20 ipv6_bad_header */
	RX(w_v4_not_ours_in); /* 21 not_for_us */
	RX(p_v4_ulen7);	      /* 22 udp_bad_length */
	RX(p_v4_bad_ucksum);  /* 23 udp_bad_checksum */
	RX(v4_twamp41_in);    /* 24 reply, s4 seq 2 */
	RX(w_v4_udp7777_in);  /* 25 unknown_session */
	RX(p_v4_version5);    /* 26 ipv4_bad_header */
	RX(v4_light_in);      /* 27 reply */
	RX(p_v6_icmp);	      /* 28 not_udp */
	RX(v6_stamp_loc_in);  /* 29 reply */
	RX(v6_hbh_in);	      /* 30 reply, s6 seq 2, extension header stripped */
	RX(v4_light_in);      /* 31 reply */
	ck_assert_uint_eq(rte_ring_count(rx_ring), 32);
	poll_n(32);

	TX_EQ(v4_twamp41_out);
	TX_EQ(v4_light_stateless_out);
	TX_EQ(v6_twamp41_out);
	TX_EQ(v6_stamp_loc_out);
	TX_EQ(v4_vlan_out);
	TX_EQ(v4_qinq_out);
	TX_EQ(w_v4_twamp14_seq1_out);
	TX_EQ(w_v4_light_s2_out);
	TX_EQ(w_v6_twamp41_seq1_out);
	TX_EQ(w_v4_twamp41_seq2_out);
	TX_EQ(v4_light_stateless_out);
	TX_EQ(v6_stamp_loc_out);
	TX_EQ(w_v6_twamp41_seq2_out);
	TX_EQ(v4_light_stateless_out);

	EXC_EQ(p_arp);
	EXC_EQ(p_v4_icmp);
	EXC_EQ(v6_qinq_in);
	EXC_EQ(p_v6_ah);
	EXC_EQ(w_v4_not_ours_in);
	EXC_EQ(w_v4_udp7777_in);
	EXC_EQ(p_v6_icmp);

	check_stats(
		STATS(32, 14, 7, [TWR_DP_REASON_NOT_IP] = 1, [TWR_DP_REASON_NOT_UDP] = 2,
		      [TWR_DP_REASON_UNKNOWN_SESSION] = 2, [TWR_DP_REASON_IPV6_EXT_HEADER] = 1,
		      [TWR_DP_REASON_NOT_FOR_US] = 1, [TWR_DP_REASON_IPV4_BAD_CHECKSUM] = 1,
		      [TWR_DP_REASON_IPV6_FRAGMENT] = 1, [TWR_DP_REASON_BAD_SOURCE] = 1,
		      [TWR_DP_REASON_TEST_TOO_SHORT] = 1, [TWR_DP_REASON_L2_UNSUPPORTED] = 1,
		      [TWR_DP_REASON_TRUNCATED] = 1, [TWR_DP_REASON_IPV4_FRAGMENT] = 1,
		      [TWR_DP_REASON_IPV6_BAD_HEADER] = 1, [TWR_DP_REASON_UDP_BAD_LENGTH] = 1,
		      [TWR_DP_REASON_UDP_BAD_CHECKSUM] = 1, [TWR_DP_REASON_IPV4_BAD_HEADER] = 1));
	check_session(s4, 4, 3, 1, 0);
	ck_assert_uint_eq(s4->tx_seq, 3);
	check_session(s6, 3, 3, 0, 0);
	check_session(s100, 1, 1, 0, 0);
	check_session(s10, 1, 1, 0, 0);
	finish();
}
END_TEST

/* -------------------------------------------------------- parse reasons ---- */

/* Each frame alone: exactly its reason moves, exceptions reach the ring unchanged. */
START_TEST(every_parse_reason_counted_once_with_identity)
{
	static const struct {
		const char *name;
		const uint8_t *frame;
		size_t len;
		int reason;
	} cases[] = {
#define C(v, r) {#v, v, sizeof(v), TWR_DP_REASON_##r}
		C(p_v4_total_big, TRUNCATED),
		C(p_v6_plen_big, TRUNCATED),
		C(p_v6_ext_trunc, TRUNCATED),
		C(p_3tags, L2_UNSUPPORTED),
		C(p_arp, NOT_IP),
		C(p_v4_version5, IPV4_BAD_HEADER),
		C(p_v4_ihl4, IPV4_BAD_HEADER),
		C(p_v4_total19, IPV4_BAD_HEADER),
		C(p_v4_bad_cksum, IPV4_BAD_CHECKSUM),
		C(p_v4_mf, IPV4_FRAGMENT),
		C(p_v4_offset, IPV4_FRAGMENT),
		C(p_v6_version4, IPV6_BAD_HEADER),
		C(p_v6_plen0, IPV6_BAD_HEADER),
		C(p_v6_ah, IPV6_EXT_HEADER),
		C(p_v6_rh_sl1, IPV6_EXT_HEADER),
		C(p_v6_5dst, IPV6_EXT_HEADER),
		C(p_v6_frag, IPV6_FRAGMENT),
		C(p_v4_ulen7, UDP_BAD_LENGTH),
		C(p_v4_ulen_big, UDP_BAD_LENGTH),
		C(p_v4_l4short, UDP_BAD_LENGTH),
		C(p_v4_bad_ucksum, UDP_BAD_CHECKSUM),
		C(p_v6_bad_ucksum, UDP_BAD_CHECKSUM),
		C(p_v6_zero_ucksum, UDP_BAD_CHECKSUM),
		C(p_v4_icmp, NOT_UDP),
		C(p_v6_icmp, NOT_UDP),
		C(p_v6_hbh_tcp, NOT_UDP),
#undef C
	};
	struct twr_dp_stats want;
	size_t i;

	/* Sessions every well-formed variant of these frames would hit. */
	MANAGED_V4(0);
	MANAGED_V6(0);
	memset(&want, 0, sizeof(want));
	for (i = 0; i < RTE_DIM(cases); i++) {
		bool exc =
			twr_dp_reason_kind((unsigned int)cases[i].reason) == TWR_DP_KIND_EXCEPTION;

		rx_put(cases[i].frame, cases[i].len);
		poll_n(1);
		want.counter[TWR_DP_COUNTER_RX]++;
		want.reason[cases[i].reason]++;
		if (exc) {
			want.counter[TWR_DP_COUNTER_TO_EXCEPTION]++;
			exc_expect(cases[i].name, cases[i].frame, cases[i].len);
		}
		ck_assert_msg(w.stats.reason[cases[i].reason] == want.reason[cases[i].reason],
			      "%s: %s not counted", cases[i].name,
			      twr_dp_reason_name((unsigned int)cases[i].reason));
		check_stats(&want);
		ck_assert_msg(rte_ring_count(tx_ring) == 0, "%s reflected", cases[i].name);
	}
	finish();
}
END_TEST

/* ------------------------------------------------------ engine reasons ---- */

START_TEST(reason_bad_source_multicast_never_answered)
{
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	RX(v4_mcast_src_in);
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_BAD_SOURCE] = 1));
	finish();
}
END_TEST

START_TEST(reason_test_too_short_counted_on_session_seq_not_spent)
{
	struct twr_session *s = MANAGED_V4(0);

	RX(v4_twamp13_in);
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_TEST_TOO_SHORT] = 1));
	check_session(s, 1, 0, 1, 0);
	ck_assert_uint_eq(s->tx_seq, 0);
	RX(v4_twamp41_in);
	poll_n(1);
	TX_EQ(v4_twamp41_out);
	finish();
}
END_TEST

START_TEST(reason_errest_zero_multiplier_only_when_strict)
{
	struct twr_session *s = MANAGED_V4(0);

	/* Default: reflected, as twampd does. */
	RX(v4_ee0_in);
	poll_n(1);
	TX_EQ(v4_ee0_out);
	/* The control lcore switches the policy; the worker reads it per burst. */
	conf.flags = TWR_REFLECT_F_STRICT_ERREST;
	RX(v4_ee0_in);
	poll_n(1);
	check_stats(STATS(2, 1, 0, [TWR_DP_REASON_ERREST_ZERO_MULTIPLIER] = 1));
	check_session(s, 2, 1, 1, 0);
	finish();
}
END_TEST

START_TEST(reason_mode_unsupported_authenticated_session)
{
	struct twr_session *s = managed_session(ip4_r, ip4_s, SPORT, 0, TWR_SESSION_STARTED);

	s->modes = TWR_MODE_AUTHENTICATED;
	RX(v4_twamp41_in);
	poll_n(1);
	s->modes = TWR_MODE_ENCRYPTED;
	RX(v4_twamp41_in);
	poll_n(1);
	check_stats(STATS(2, 0, 0, [TWR_DP_REASON_MODE_UNSUPPORTED] = 2));
	check_session(s, 2, 0, 2, 0);
	finish();
}
END_TEST

START_TEST(reason_session_not_started_before_start_sessions)
{
	struct twr_session *s = managed_session(ip4_r, ip4_s, SPORT, 0, TWR_SESSION_PENDING);

	RX(v4_twamp41_in);
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_SESSION_NOT_STARTED] = 1));
	check_session(s, 1, 0, 1, 0);
	/* Start-Sessions: the next packet is answered with seq 0. */
	__atomic_store_n(&s->run_state, TWR_SESSION_STARTED, __ATOMIC_RELEASE);
	RX(v4_twamp41_in);
	poll_n(1);
	TX_EQ(v4_twamp41_out);
	finish();
}
END_TEST

/* Negotiated by a client behind a NAT: private 192.0.2.10:50000. */
static const uint8_t private4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 10};

START_TEST(reason_source_mismatch_nat_signature_on_session_stats)
{
	/* Negotiated from 192.0.2.10:50000 (behind a NAT); packets come from 198.18.0.1. */
	struct twr_session *nat = managed_session(ip4_r, private4, SPORT, 0, TWR_SESSION_STARTED);
	/* Negotiated port 50001, the NAPT rewrote it to 50000 (IPv6 session). */
	struct twr_session *napt = managed_session(ip6_r, ip6_s, SPORT + 1, 0, TWR_SESSION_STARTED);

	RX(v4_twamp41_in);
	RX(v6_twamp41_in);
	poll_n(2);
	check_stats(STATS(2, 0, 0, [TWR_DP_REASON_SOURCE_MISMATCH] = 2));
	check_session(nat, 1, 0, 1, 1);
	ck_assert_uint_eq(nat->nat.mismatch[TWR_NAT_KIND_ADDR], 1);
	ck_assert_bytes(nat->nat.first.addr, ip4_s, 16);
	ck_assert_uint_eq(nat->nat.first.port, SPORT);
	ck_assert_bytes(nat->nat.last.addr, ip4_s, 16);
	ck_assert_uint_eq(nat->tx_seq, 0);
	check_session(napt, 1, 0, 1, 1);
	ck_assert_uint_eq(napt->nat.mismatch[TWR_NAT_KIND_PORT], 1);
	ck_assert_bytes(napt->nat.first.addr, ip6_s, 16);
	ck_assert_uint_eq(napt->nat.first.port, SPORT);
	finish();
}
END_TEST

/* A started session under the latch policy, its control peer ip4_s (/32). */
static struct twr_session *
latch_session(const uint8_t peer[16], uint64_t deadline_tsc)
{
	struct twr_session *s = managed_session(ip4_r, peer, SPORT, 0, TWR_SESSION_STARTED);

	memcpy(s->nat.allow_addr, ip4_s, 16);
	memset(s->nat.allow_mask, 0xff, 16);
	s->nat.latch_deadline_tsc = deadline_tsc;
	s->latch_state = TWR_LATCH_PENDING;
	return s;
}

START_TEST(latch_port_rewriting_nat_first_allowed_packet_latches_once)
{
	struct twr_session *s = latch_session(private4, RX_TSC);

	/* A third host first: refused, not latched. */
	RX(w_v4_twamp41_s2_in);
	poll_n(1);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_PENDING);
	/* A malformed packet from the control peer does not latch either. */
	RX(v4_twamp13_in);
	poll_n(1);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_PENDING);
	/* The NAT's tuple, from the control peer's address: latched, answered, seq 0 then 1. */
	RX(w_v4_twamp41_napt_in);
	RX(w_v4_twamp41_napt_in);
	poll_n(2);
	TX_EQ(w_v4_twamp41_napt_seq0_out);
	TX_EQ(w_v4_twamp41_napt_seq1_out);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_DONE);
	ck_assert_bytes(s->nat.latched.addr, ip4_s, 16);
	ck_assert_uint_eq(s->nat.latched.port, 40001);
	ck_assert_uint_eq(s->nat.latched.tsc, RX_TSC);
	/* No re-latch: the same address from another port, and the third host. */
	RX(v4_twamp41_in);
	RX(w_v4_twamp41_s2_in);
	poll_n(2);
	check_stats(STATS(6, 2, 0, [TWR_DP_REASON_LATCH_REFUSED] = 1,
			  [TWR_DP_REASON_TEST_TOO_SHORT] = 1, [TWR_DP_REASON_SOURCE_MISMATCH] = 2));
	check_session(s, 6, 2, 4, 4);
	ck_assert_uint_eq(s->stats.rx, 2); /* the latched tuple's, on its owner lcore */
	ck_assert_uint_eq(s->nat.mismatch[TWR_NAT_KIND_BOTH], 2); /* 198.18.0.5:40000 twice */
	ck_assert_uint_eq(s->nat.mismatch[TWR_NAT_KIND_ADDR], 2); /* 198.18.0.1:50000 */
	ck_assert_uint_eq(s->nat.latch_refused, 1);
	ck_assert_uint_eq(s->nat.latch_late, 0);
	ck_assert_uint_eq(s->tx_seq, 2);
	finish();
}
END_TEST

START_TEST(latch_late_after_the_window_and_not_before_start)
{
	struct twr_session *s = latch_session(private4, RX_TSC - 1);

	RX(w_v4_twamp41_napt_in);
	poll_n(1);
	__atomic_store_n(&s->run_state, TWR_SESSION_PENDING, __ATOMIC_RELEASE);
	RX(w_v4_twamp41_napt_in);
	poll_n(1);
	check_stats(STATS(
		2, 0, 0, [TWR_DP_REASON_LATCH_LATE] = 1, [TWR_DP_REASON_SESSION_NOT_STARTED] = 1));
	check_session(s, 2, 0, 2, 2);
	ck_assert_uint_eq(s->nat.latch_late, 1);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_PENDING);
	ck_assert_uint_eq(s->stats.rx, 0);
	finish();
}
END_TEST

START_TEST(latch_negotiated_tuple_latches_itself_no_hijack_from_same_address)
{
	/* No NAT: the negotiated sender latches, so another port of its host cannot. */
	struct twr_session *s = latch_session(ip4_s, RX_TSC + 1);

	RX(v4_twamp41_in);
	RX(w_v4_twamp41_napt_in);
	poll_n(2);
	TX_EQ(v4_twamp41_out);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_DONE);
	ck_assert_uint_eq(s->nat.latched.port, SPORT);
	check_stats(STATS(2, 1, 0, [TWR_DP_REASON_SOURCE_MISMATCH] = 1));
	check_session(s, 2, 1, 1, 1);
	ck_assert_uint_eq(s->nat.mismatch[TWR_NAT_KIND_PORT], 1);
	ck_assert_uint_eq(s->nat.first.port, 40001);
	finish();
}
END_TEST

START_TEST(reason_ssid_mismatch_stamp_port)
{
	struct twr_session *port = reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_STAMP, 0);

	port->ssid = 0x4321;
	RX(v4_stamp_in); /* SSID 0x1234 */
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_SSID_MISMATCH] = 1));
	finish();
}
END_TEST

START_TEST(reason_reply_too_big_one_octet_short_of_tailroom)
{
	struct twr_session *s = MANAGED_V4(0);

	/* 60 -> 83 needs 23 octets after the frame: give 22. */
	rx_mbuf(mbuf_room(v4_twamp14_in, sizeof(v4_twamp14_in), 22));
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_REPLY_TOO_BIG] = 1));
	check_session(s, 1, 0, 1, 0);
	ck_assert_uint_eq(s->tx_seq, 0);
	finish();
}
END_TEST

START_TEST(reason_not_for_us_vs_unknown_session)
{
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	RX(w_v4_not_ours_in); /* Light port, but to 198.18.0.77 */
	RX(w_v4_udp7777_in);  /* ours, no reflector on 7777 */
	RX(v6_twamp41_in);    /* ours (IPv6), no session */
	poll_n(3);
	EXC_EQ(w_v4_not_ours_in);
	EXC_EQ(w_v4_udp7777_in);
	EXC_EQ(v6_twamp41_in);
	check_stats(STATS(3, 0,
			  3, [TWR_DP_REASON_NOT_FOR_US] = 1, [TWR_DP_REASON_UNKNOWN_SESSION] = 2));

	/* The same Light frame is not_for_us once 198.18.0.2 is no longer ours. */
	memcpy(w.addrs[0], w.addrs[1], 16);
	w.nb_addrs = 1;
	RX(w_v4_udp7777_in);
	poll_n(1);
	EXC_EQ(w_v4_udp7777_in);
	check_stats(STATS(4, 0,
			  4, [TWR_DP_REASON_NOT_FOR_US] = 2, [TWR_DP_REASON_UNKNOWN_SESSION] = 2));
	finish();
}
END_TEST

START_TEST(reason_exception_ring_full_drops_the_overflow)
{
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	/* A ring of exactly 2. */
	rte_ring_free(exc_ring);
	exc_ring = rte_ring_create("twexc_tiny", 2, SOCKET_ID_ANY, RING_F_SC_DEQ | RING_F_EXACT_SZ);
	ck_assert_ptr_nonnull(exc_ring);
	w.exc_ring = exc_ring;

	RX(p_arp);
	RX(p_v4_icmp);
	RX(v4_light_in);
	RX(p_v6_ah);
	RX(w_v4_udp7777_in);
	RX(w_v4_not_ours_in);
	poll_n(6);
	TX_EQ(v4_light_stateless_out);
	/* The first two in order; the other three freed under exception_ring_full. */
	EXC_EQ(p_arp);
	EXC_EQ(p_v4_icmp);
	check_stats(STATS(6, 1, 2, [TWR_DP_REASON_NOT_IP] = 1, [TWR_DP_REASON_NOT_UDP] = 1,
			  [TWR_DP_REASON_IPV6_EXT_HEADER] = 1, [TWR_DP_REASON_UNKNOWN_SESSION] = 1,
			  [TWR_DP_REASON_NOT_FOR_US] = 1, [TWR_DP_REASON_EXCEPTION_RING_FULL] = 3));
	finish();
}
END_TEST

/* twr_flow_cache_foreach() callback: the flows' remote ports and counters. */
struct flows_seen {
	unsigned int n;
	uint32_t port_mask; /* bit (remote port - 40001) */
	uint64_t rx, reflected;
};

static int
flow_seen(const struct twr_session_key *k, const struct twr_session *f, void *arg)
{
	struct flows_seen *fs = arg;

	fs->n++;
	if (k->remote_port >= 40001 && k->remote_port < 40001 + 32)
		fs->port_mask |= 1u << (k->remote_port - 40001);
	fs->rx += f->stats.rx;
	fs->reflected += f->stats.reflected;
	ck_assert_bytes(k->remote_addr, ip4_s, 16);
	ck_assert_uint_eq(k->local_port, LIGHT_PORT);
	return 0;
}

START_TEST(stateless_port_counts_per_flow_and_answers_when_the_table_is_full)
{
	struct flows_seen fs = {0};
	unsigned int i;

	twr_worker_fini(&w);
	worker_ready = false;
	w.flow_cap = 8;
	ck_assert_int_eq(twr_worker_init(&w), 0);
	worker_ready = true;
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);

	for (i = 0; i < RTE_DIM(w_v4_flows_in); i++)
		RX(w_v4_flows_in[i]);
	poll_n(RTE_DIM(w_v4_flows_in));
	/* All nine answered; the ninth without a flow of its own. */
	ck_assert_uint_eq(rte_ring_count(tx_ring), 9);
	check_stats(STATS(9, 9, 0));
	ck_assert_uint_eq(w.flows.created, 8);
	ck_assert_uint_eq(w.flow_untracked, 1);
	ck_assert_int_eq(twr_flow_cache_foreach(&w.flows, flow_seen, &fs), 0);
	ck_assert_uint_eq(fs.n, 8);
	ck_assert_uint_eq(fs.port_mask, 0xff); /* 40001..40008, as observed */
	ck_assert_uint_eq(fs.rx, 8);
	ck_assert_uint_eq(fs.reflected, 8);
	drain(tx_ring);
	finish();
}
END_TEST

START_TEST(reason_source_not_allowed_by_the_ports_allow_list)
{
	struct twr_session *port = reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	struct twr_allow *allow = calloc(1, sizeof(*allow) + sizeof(allow->prefix[0]));

	/* 198.18.0.1/32 only: the sender of v4_light_in, not 198.18.0.5 */
	ck_assert_ptr_nonnull(allow);
	allow->n = 1;
	memcpy(allow->prefix[0].addr, ip4_s, 16);
	memset(allow->prefix[0].mask, 0xff, 16);
	port->allow = allow;
	RX(w_v4_light_s2_in);
	RX(v4_light_in);
	poll_n(2);
	TX_EQ(v4_light_stateless_out);
	check_stats(STATS(2, 1, 0, [TWR_DP_REASON_SOURCE_NOT_ALLOWED] = 1));
	/* the refused source took no flow slot */
	ck_assert_uint_eq(w.flows.created, 1);
	port->allow = NULL;
	free(allow);
	finish();
}
END_TEST

START_TEST(reason_flow_table_full_refuses_new_flows_only)
{
	struct rte_mbuf *m;
	uint8_t *f;
	void *obj;
	unsigned int i;

	/* A flow table of 8 (its minimum), set before init as the app would. */
	twr_worker_fini(&w);
	worker_ready = false;
	w.flow_cap = 8;
	ck_assert_int_eq(twr_worker_init(&w), 0);
	worker_ready = true;
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, TWR_SESSION_F_STATEFUL);

	for (i = 0; i < RTE_DIM(w_v4_flows_in); i++)
		RX(w_v4_flows_in[i]);
	poll_n(RTE_DIM(w_v4_flows_in));
	for (i = 0; i < 8; i++)
		tx_expect("w_v4_flows_out[i]", w_v4_flows_out[i], sizeof(w_v4_flows_out[i]), 0);
	check_stats(STATS(9, 8, 0, [TWR_DP_REASON_FLOW_TABLE_FULL] = 1));
	ck_assert_uint_eq(w.flows.created, 8);

	/* A known flow is still answered: flow 0's second reply, seq 1. */
	RX(w_v4_flows_in[0]);
	poll_n(1);
	ck_assert_int_eq(rte_ring_dequeue(tx_ring, &obj), 0);
	m = obj;
	f = rte_pktmbuf_mtod(m, uint8_t *);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), sizeof(w_v4_flows_out[0]));
	ck_assert_bytes(f, w_v4_flows_out[0], 40);
	ck_assert_uint_eq(get_be64(f + 42) >> 32, 1);
	ck_assert_bytes(f + 46, w_v4_flows_out[0] + 46, sizeof(w_v4_flows_out[0]) - 46);
	ck_assert(udp4_cksum_ok(f));
	rte_pktmbuf_free(m);
	check_stats(STATS(10, 9, 0, [TWR_DP_REASON_FLOW_TABLE_FULL] = 1));
	finish();
}
END_TEST

/* Fill the TX ring but @p room slots with mbufs of the pool; returns how many. */
static unsigned int
tx_ring_fill(unsigned int room)
{
	unsigned int n = 0;

	while (rte_ring_free_count(tx_ring) > room) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(rte_ring_enqueue(tx_ring, m), 0);
		n++;
	}
	return n;
}

static void
tx_ring_drop(unsigned int n)
{
	void *obj;

	while (n-- > 0) {
		ck_assert_int_eq(rte_ring_dequeue(tx_ring, &obj), 0);
		rte_pktmbuf_free(obj);
	}
}

START_TEST(reason_tx_full_frees_the_refused_tail_and_spends_its_seq)
{
	struct twr_session *flow = stateful_flow(ip4_r, ip4_s, SPORT, TWR_ENGINE_LIGHT);
	unsigned int filler;

	/* Room for two replies out of three: the third is refused and freed. */
	filler = tx_ring_fill(2);
	ck_assert_uint_eq(filler, TX_RING_SIZE - 2);
	RX(v4_light_in);
	RX(v4_light2_in);
	RX(v4_light_in);
	poll_n(3);
	check_stats(STATS(3, 2, 0, [TWR_DP_REASON_TX_FULL] = 1));
	tx_ring_drop(filler);
	TX_EQ(v4_light_stateful0_out);
	TX_EQ(v4_light_stateful1_out);
	/*
	 * Seq 2 went with the refused reply (backward-path loss, twr_dp_reasons.h);
	 * the flow's own counters count it reflected (built), the lcore's tx_full.
	 */
	ck_assert_uint_eq(flow->tx_seq, 3);
	check_session(flow, 3, 3, 0, 0);
	RX(v4_light_in);
	poll_n(1);
	TX_EQ(w_v4_light_stateful3_out);

	/* A full ring refuses the whole burst. */
	filler = tx_ring_fill(0);
	RX(v4_light_in);
	RX(v4_light_in);
	poll_n(2);
	tx_ring_drop(filler);
	check_stats(STATS(6, 3, 0, [TWR_DP_REASON_TX_FULL] = 3));
	ck_assert_uint_eq(flow->tx_seq, 6);
	finish();
}
END_TEST

/* ------------------------------------------------------ multi-segment ---- */

START_TEST(multi_segment_frame_split_in_headers_is_truncated)
{
	struct rte_mbuf *a, *b;

	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	/* Ethernet, IP, UDP and 8 octets of payload in the first segment, the rest in the second.
	 */
	a = mbuf_of(v4_light_in, 50);
	b = mbuf_of(v4_light_in + 50, sizeof(v4_light_in) - 50);
	ck_assert_int_eq(rte_pktmbuf_chain(a, b), 0);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(a), sizeof(v4_light_in));
	rx_mbuf(a);
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_TRUNCATED] = 1));
	finish();
}
END_TEST

START_TEST(multi_segment_frame_has_no_tailroom_to_grow)
{
	struct twr_session *s = MANAGED_V4(0);
	struct rte_mbuf *a, *b;

	/* The 14-octet sender's 56 octets, then its 4 octets of Ethernet padding. */
	a = mbuf_of(v4_twamp14_in, 56);
	b = mbuf_of(v4_twamp14_in + 56, 4);
	ck_assert_int_eq(rte_pktmbuf_chain(a, b), 0);
	rx_mbuf(a);
	poll_n(1);
	check_stats(STATS(1, 0, 0, [TWR_DP_REASON_REPLY_TOO_BIG] = 1));
	check_session(s, 1, 0, 1, 0);
	finish();
}
END_TEST

/*
 * A whole test packet in the first segment and a trailer (Ethernet padding,
 * an FCS kept by the NIC) in a second: the same-size reply is built in the
 * first segment; the reply mbuf must be consistent (pkt_len the sum of its
 * segments) and carry the reply only.
 *
 * The reply is built in the first segment; the burst loop frees the
 * rest of the chain, so that the mbuf is consistent (rte_mbuf_check())
 * and no trailer follows the reply on the wire.
 */
START_TEST(multi_segment_frame_same_size_reply_is_a_consistent_mbuf)
{
	struct rte_mbuf *a, *b;
	static const uint8_t trailer[4] = {0xde, 0xad, 0xbe, 0xef};

	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	a = mbuf_of(v4_light_in, sizeof(v4_light_in));
	b = mbuf_of(trailer, sizeof(trailer));
	ck_assert_int_eq(rte_pktmbuf_chain(a, b), 0);
	rx_mbuf(a);
	poll_n(1);
	check_stats(STATS(1, 1, 0));
	TX_EQ(v4_light_stateless_out);
	finish();
}
END_TEST

/* ------------------------------------------------------- NIC offloads ---- */

START_TEST(rx_cksum_flags_of_the_nic_are_trusted)
{
	struct twr_session *s = MANAGED_V4(0);
	struct rte_mbuf *m;

	w.queues[0].rx_cksum = true;
	m = mbuf_of(v4_twamp41_in, sizeof(v4_twamp41_in));
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	rx_mbuf(m);
	m = mbuf_of(v4_twamp41_in, sizeof(v4_twamp41_in));
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_BAD;
	rx_mbuf(m);
	/* Wrong checksums the NIC says are good: not verified again, reflected. */
	m = mbuf_of(p_v4_bad_cksum, sizeof(p_v4_bad_cksum));
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	rx_mbuf(m);
	m = mbuf_of(p_v4_bad_ucksum, sizeof(p_v4_bad_ucksum));
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	rx_mbuf(m);
	/* Unknown (no flags): verified in software. */
	RX(p_v4_bad_cksum);
	poll_n(5);
	TX_EQ(v4_twamp41_out);
	TX_EQ(w_v4_twamp41_seq1_out);
	check_stats(STATS(
		5, 2,
		0, [TWR_DP_REASON_IPV4_BAD_CHECKSUM] = 2, [TWR_DP_REASON_UDP_BAD_CHECKSUM] = 1));
	check_session(s, 2, 2, 0, 0);
	finish();
}
END_TEST

START_TEST(tx_cksum_offload_sets_mbuf_flags_and_pseudo_header_sum)
{
	uint8_t want6[sizeof(v6_twamp41_out)];
	uint8_t ph[40];
	uint16_t sum;

	MANAGED_V4(0);
	MANAGED_V6(0);
	w.queues[0].tx_cksum = TWR_TX_IP_CKSUM_OFFLOAD | TWR_TX_L4_CKSUM_OFFLOAD;
	RX(v4_twamp41_in);
	RX(v6_twamp41_in);
	poll_n(2);
	tx_expect("v4_twamp41_offload_out", v4_twamp41_offload_out, sizeof(v4_twamp41_offload_out),
		  RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM);
	/* IPv6: the UDP checksum field holds the pseudo-header sum (not complemented). */
	memcpy(want6, v6_twamp41_out, sizeof(want6));
	memcpy(ph, want6 + 22, 32);
	memset(ph + 32, 0, 8);
	ph[35] = 49;
	ph[39] = 17;
	sum = sum16(ph, sizeof(ph), 0);
	want6[60] = (uint8_t)(sum >> 8);
	want6[61] = (uint8_t)sum;
	tx_expect("v6_twamp41_out, L4 offload", want6, sizeof(want6),
		  RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_UDP_CKSUM);
	check_stats(STATS(2, 2, 0));
	finish();
}
END_TEST

/* --------------------------------------------------------- timestamps ---- */

START_TEST(t2_per_packet_from_the_rx_timestamp_field)
{
	uint8_t *f;
	void *obj;

	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	RX(v4_light_in); /* .50 */
	rx_ts_us = T2_US + 250000;
	RX(v4_light_in); /* .75 */
	poll_n(2);
	TX_EQ(v4_light_stateless_out);
	ck_assert_int_eq(rte_ring_dequeue(tx_ring, &obj), 0);
	f = rte_pktmbuf_mtod((struct rte_mbuf *)obj, uint8_t *);
	/* T2 at payload + 16 = T3, .75; every other octet but the UDP checksum as before. */
	ck_assert_uint_eq(get_be64(f + 42 + 16), T3_NTP);
	ck_assert_bytes(f, v4_light_stateless_out, 40);
	ck_assert_bytes(f + 42, v4_light_stateless_out + 42, 16);
	ck_assert_bytes(f + 66, v4_light_stateless_out + 66, sizeof(v4_light_stateless_out) - 66);
	ck_assert(udp4_cksum_ok(f));
	rte_pktmbuf_free(obj);
	check_stats(STATS(2, 2, 0));
	finish();
}
END_TEST

/*
 * Without an RX timestamp: T2 is the clock at the TSC the loop read after
 * the RX burst, T3 the clock at the TSC read just before TX. A clock at 1
 * GHz anchored at a TSC reading: T2 exact, T3 between two readings.
 */
START_TEST(t2_from_burst_tsc_and_t3_at_tx_without_rx_timestamp)
{
	uint64_t base = rte_rdtsc(), before, after, t3;
	uint8_t *f;
	void *obj;
	int i;

	MANAGED_V4(0);
	ck_assert_int_eq(twr_clock_pin(clk, base, T2_NS, 1000000000u, ERREST), 0);
	rx_ts_us = 0;
	for (i = 0; i < 2; i++) {
		RX(v4_twamp41_in);
		before = rte_rdtsc();
		/* rx_tsc = base: T2 = .50; base + 0.25 s of 1 GHz ticks: T2 = .75. */
		ck_assert_uint_eq(poll_at(base + (uint64_t)i * 250000000u), 1);
		after = rte_rdtsc();
		ck_assert_int_eq(rte_ring_dequeue(tx_ring, &obj), 0);
		f = rte_pktmbuf_mtod((struct rte_mbuf *)obj, uint8_t *);
		ck_assert_uint_eq(get_be64(f + 42 + 16), i == 0 ? T2_NTP : T3_NTP);
		t3 = get_be64(f + 42 + 4);
		ck_assert_msg(t3 >= ntp_of(T2_NS + (before - base)) &&
				      t3 <= ntp_of(T2_NS + (after - base)) + 1,
			      "T3 %" PRIx64 " outside [%" PRIx64 ", %" PRIx64 "]", t3,
			      ntp_of(T2_NS + (before - base)), ntp_of(T2_NS + (after - base)));
		/* Seq, T3 and the UDP checksum aside, as v4_twamp41_out. */
		ck_assert_bytes(f, v4_twamp41_out, 40);
		ck_assert_uint_eq(f[42 + 3], i);
		ck_assert_bytes(f + 54, v4_twamp41_out + 54, 4);
		ck_assert_bytes(f + 66, v4_twamp41_out + 66, sizeof(v4_twamp41_out) - 66);
		ck_assert(udp4_cksum_ok(f));
		rte_pktmbuf_free(obj);
	}
	check_stats(STATS(2, 2, 0));
	finish();
}
END_TEST

/* ------------------------------------------------------- worker lcore ---- */

START_TEST(worker_main_polls_the_port_until_quit)
{
	struct twr_session *s = MANAGED_V4(0);
	uint64_t deadline;

	if (worker_lcore == RTE_MAX_LCORE) {
		printf("worker_main_polls_the_port_until_quit: no worker lcore, not run\n");
		return;
	}
	reflector_port(ip4_r, LIGHT_PORT, 0, TWR_ENGINE_LIGHT, 0);
	/* Queued first: no assertion can fail while the lcore runs. */
	RX(v4_twamp41_in);
	RX(v4_light_in);
	RX(p_arp);
	RX(v4_twamp41_in);
	ck_assert_int_eq(rte_eal_remote_launch(twr_worker_main, &w, worker_lcore), 0);
	deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
	while ((rte_ring_count(tx_ring) < 3 || rte_ring_count(exc_ring) < 1) &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(100);
	quit = true;
	ck_assert_int_eq(rte_eal_wait_lcore(worker_lcore), 0);

	TX_EQ(v4_twamp41_out);
	TX_EQ(v4_light_stateless_out);
	TX_EQ(w_v4_twamp41_seq1_out);
	EXC_EQ(p_arp);
	check_stats(STATS(4, 3, 1, [TWR_DP_REASON_NOT_IP] = 1));
	check_session(s, 2, 2, 0, 0);
	ck_assert_uint_gt(w.loops, 0);
	ck_assert_uint_gt(w.busy_tsc, 0);
	finish();
}
END_TEST

/*
 * Runs last: every reason of twr_dp_reasons.h was produced by the burst
 * loop and asserted by some case above (a reason appended later without a
 * case here fails this one).
 */
START_TEST(every_reason_of_twr_dp_reasons_h_is_exercised)
{
	unsigned int r;

	if (stats_checked == 0) {
		printf("every_reason_of_twr_dp_reasons_h_is_exercised: run alone, nothing to "
		       "check\n");
		return;
	}
	for (r = 1; r < TWR_DP_REASON_MAX; r++)
		ck_assert_msg(reason_seen[r], "reason %s: no case produces it",
			      twr_dp_reason_name(r));
}
END_TEST

static Suite *
worker_suite(void)
{
	Suite *s = suite_create("dp-worker");
	TCase *tc;

	tc = tcase_create("reflect");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, managed_ipv4_41_and_14_octet_senders_get_consecutive_reflector_seq);
	tcase_add_test(tc, managed_ipv4_14_octet_sender_grows_into_tailroom);
	tcase_add_test(tc, managed_ipv6_41_and_14_octet_senders);
	tcase_add_test(tc, managed_ipv4_options_and_ipv6_ext_headers_not_echoed);
	tcase_add_test(tc, parse_accepts_short_udp_zero_cksum_and_skippable_ipv6_headers);
	tcase_add_test(tc, managed_stopping_session_reflects_until_timeout_then_expired);
	tcase_add_test(tc, light_stateless_port_copies_sender_seq_and_is_never_written);
	tcase_add_test(tc, light_stateful_exact_flow_has_own_counter_beside_stateless_port);
	tcase_add_test(tc, light_stateful_port_gives_each_sender_its_own_flow);
	tcase_add_test(tc, stamp_stateless_ipv4_ipv6_tlvs_and_short_packet);
	tcase_add_test(tc, stamp_stateful_port_flow_starts_at_zero);
	tcase_add_test(tc, stamp_stateful_exact_flow_counter);
	tcase_add_test(tc, vlan_and_qinq_sessions_keyed_by_outer_vid);
	tcase_add_test(tc, mixed_burst_of_32_replies_in_order_drops_and_exceptions_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("reasons");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_parse_reason_counted_once_with_identity);
	tcase_add_test(tc, reason_bad_source_multicast_never_answered);
	tcase_add_test(tc, reason_test_too_short_counted_on_session_seq_not_spent);
	tcase_add_test(tc, reason_errest_zero_multiplier_only_when_strict);
	tcase_add_test(tc, reason_mode_unsupported_authenticated_session);
	tcase_add_test(tc, reason_session_not_started_before_start_sessions);
	tcase_add_test(tc, reason_source_mismatch_nat_signature_on_session_stats);
	tcase_add_test(tc, latch_port_rewriting_nat_first_allowed_packet_latches_once);
	tcase_add_test(tc, latch_late_after_the_window_and_not_before_start);
	tcase_add_test(tc, latch_negotiated_tuple_latches_itself_no_hijack_from_same_address);
	tcase_add_test(tc, reason_ssid_mismatch_stamp_port);
	tcase_add_test(tc, reason_reply_too_big_one_octet_short_of_tailroom);
	tcase_add_test(tc, reason_not_for_us_vs_unknown_session);
	tcase_add_test(tc, reason_exception_ring_full_drops_the_overflow);
	tcase_add_test(tc, reason_flow_table_full_refuses_new_flows_only);
	tcase_add_test(tc, reason_source_not_allowed_by_the_ports_allow_list);
	tcase_add_test(tc, stateless_port_counts_per_flow_and_answers_when_the_table_is_full);
	tcase_add_test(tc, reason_tx_full_frees_the_refused_tail_and_spends_its_seq);
	suite_add_tcase(s, tc);

	tc = tcase_create("mbuf");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, multi_segment_frame_split_in_headers_is_truncated);
	tcase_add_test(tc, multi_segment_frame_has_no_tailroom_to_grow);
	tcase_add_test(tc, multi_segment_frame_same_size_reply_is_a_consistent_mbuf);
	tcase_add_test(tc, rx_cksum_flags_of_the_nic_are_trusted);
	tcase_add_test(tc, tx_cksum_offload_sets_mbuf_flags_and_pseudo_header_sum);
	tcase_add_test(tc, t2_per_packet_from_the_rx_timestamp_field);
	tcase_add_test(tc, t2_from_burst_tsc_and_t3_at_tx_without_rx_timestamp);
	tcase_add_test(tc, worker_main_polls_the_port_until_quit);
	suite_add_tcase(s, tc);

	tc = tcase_create("coverage");
	tcase_add_test(tc, every_reason_of_twr_dp_reasons_h_is_exercised);
	suite_add_tcase(s, tc);
	return s;
}

/* The ring-backed port, configured as the app configures a port. */
static int
port_setup(void)
{
	struct rte_eth_conf pconf;
	struct rte_eth_dev_info info;
	int ret;

	rx_ring = rte_ring_create("twr_w_rx", RX_RING_SIZE, SOCKET_ID_ANY, 0);
	tx_ring = rte_ring_create("twr_w_tx", TX_RING_SIZE, SOCKET_ID_ANY, RING_F_EXACT_SZ);
	if (rx_ring == NULL || tx_ring == NULL)
		return -rte_errno;
	ret = rte_eth_from_rings("net_ring_twrw", &rx_ring, 1, &tx_ring, 1, SOCKET_ID_ANY);
	if (ret < 0)
		return -rte_errno;
	port_id = (uint16_t)ret;
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret < 0)
		return ret;
	memset(&pconf, 0, sizeof(pconf));
	if ((info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM) == RTE_ETH_RX_OFFLOAD_CHECKSUM) {
		pconf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
		port_rx_cksum = true;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) {
		pconf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_IPV4_CKSUM;
		port_tx_cksum |= TWR_TX_IP_CKSUM_OFFLOAD;
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_CKSUM) {
		pconf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_UDP_CKSUM;
		port_tx_cksum |= TWR_TX_L4_CKSUM_OFFLOAD;
	}
	ret = rte_eth_dev_configure(port_id, 1, 1, &pconf);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(port_id, 0, RX_RING_SIZE, SOCKET_ID_ANY, NULL, pool);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(port_id, 0, TX_RING_SIZE, SOCKET_ID_ANY, NULL);
	if (ret < 0)
		return ret;
	return rte_eth_dev_start(port_id);
}

/* Remove this process's EAL runtime directory (config, fbarrays): one per pid otherwise. */
static void
remove_runtime_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

int
main(void)
{
	char prefix[64], runtime_dir[PATH_MAX];
	char *eal_args[] = {
		(char *)(uintptr_t) "test-dp-worker",
		(char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",
		(char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "512",
		(char *)(uintptr_t) "--lcores",
		(char *)(uintptr_t) "0@0,1@1",
		(char *)(uintptr_t) "--file-prefix",
		prefix,
		(char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",
		(char *)(uintptr_t) "lib.eal:error",
	};
	SRunner *sr;
	int run, failed, ret;

	snprintf(prefix, sizeof(prefix), "twr-dp-worker-%d", (int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_args), eal_args) < 0) {
		fprintf(stderr, "EAL unavailable (%s): skipped\n", rte_strerror(rte_errno));
		return 77;
	}
	worker_lcore = rte_get_next_lcore(-1, 1, 0);
	/* The RX timestamp net_pcap (and NICs) fill, registered before the worker looks it up. */
	if (rte_mbuf_dyn_rx_timestamp_register(&ts_offset, &ts_flag) < 0) {
		fprintf(stderr, "RX timestamp field: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	pool = rte_pktmbuf_pool_create("twr_w_pool", POOL_SIZE, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				       SOCKET_ID_ANY);
	clk = twr_clock_create(SOCKET_ID_ANY);
	if (pool == NULL || clk == NULL) {
		fprintf(stderr, "pool or clock: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	ret = port_setup();
	if (ret < 0) {
		fprintf(stderr, "ring port: %s\n", strerror(-ret));
		return EXIT_FAILURE;
	}
	/* The expectations assume software checksums, as on every virtual device here. */
	if (port_tx_cksum != 0 || port_rx_cksum) {
		fprintf(stderr, "ring port offers checksum offloads: expectations do not hold\n");
		return EXIT_FAILURE;
	}

	sr = srunner_create(worker_suite());
	/* EAL's lcore threads do not survive fork(). */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);

	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
	twr_clock_free(clk);
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	remove_runtime_dir(runtime_dir);
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
