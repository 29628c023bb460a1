/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Session-scaling micro-benchmark of the session table (issue 3, point 9):
 * bursts of 32 keys looked up with 1, 1k, 100k and 1M sessions installed,
 * the keys drawn uniformly over the installed sessions, so that with many
 * sessions most buckets, key slots and session objects come from DRAM, as
 * they would under traffic spread over that many flows.
 *
 * Timed (TSC): the lookup call and the first read of each session found,
 * which the engine does next (so the session's cache miss is counted where
 * the worker pays it); the keys of a burst are built beforehand in a stack
 * array, as the worker builds them from the parsed frames. Rates use the TSC rate measured by
 * twr_clock, not rte_get_tsc_hz(). Informative, not a test.
 *
 *     bench-session-table [EAL args]     (default: --no-pci --no-huge -m 1024)
 *
 * With --no-huge, EAL's memory is 4 KiB pages (a memfd): with a million
 * sessions nearly every bucket, key slot and session access is also a TLB
 * miss, which production on hugepages does not pay. For production-like
 * figures give it hugepages, e.g. in a private mount namespace:
 *     echo 512 > /proc/sys/vm/nr_hugepages
 *     unshare -m sh -c 'mount -t hugetlbfs none /mnt/h && \
 *         bench-session-table --no-pci --huge-dir /mnt/h -m 1024 --file-prefix b'
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "twr_clock.h"
#include "twr_session_table.h"

#define BURST 32
/* Lookups per measurement: long enough to leave the caches' warm-up behind. */
#define LOOKUPS (32u * 1000 * 1000)

enum kind {
	KIND_EXACT,  /* every key a managed session's tuple */
	KIND_LISTEN, /* every key an unknown sender on a Receiver Port (NAT signature) */
};

static void
v4mapped(uint8_t a[16], uint32_t host)
{
	memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

/*
 * Session i: sender 198.18/15 host (i mod 2^17), port 10000 + i / 2^17, to
 * 198.18.0.1, Receiver Port 20000 + i mod 4096 (so the listen table holds
 * up to 4096 Receiver Ports, as a busy reflector would).
 */
static void
make_key(struct twr_session_key *k, uint32_t i, enum kind kind)
{
	memset(k, 0, sizeof(*k));
	v4mapped(k->local_addr, 0xc6120001u);
	k->local_port = (uint16_t)(20000 + i % 4096);
	if (kind == KIND_LISTEN) {
		/* A sender no session names: 198.19.255.255, whatever port. */
		v4mapped(k->remote_addr, 0xc613ffffu);
		k->remote_port = (uint16_t)(1024 + i % 50000);
		return;
	}
	v4mapped(k->remote_addr, 0xc6120000u + (i & 0x1ffffu));
	k->remote_port = (uint16_t)(10000 + (i >> 17));
}

/* xorshift64*: cheap, and no pattern the hash could favour. */
static inline uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

struct result {
	double insert_per_s;
	double lookups_per_s;
	double cycles;
	unsigned int found;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
run(uint32_t n, enum kind kind, uint64_t tsc_hz, struct result *r)
{
	struct twr_session_table *t;
	struct twr_session_key k;
	uint64_t seed = 88172645463325252ull, cycles = 0, found = 0, sink = 0;
	uint32_t i, b;
	double t0;
	char name[TWR_SESSION_TABLE_NAMESIZE];

	snprintf(name, sizeof(name), "bench_%" PRIu32, n);
	t = twr_session_table_create(name, n, 1, SOCKET_ID_ANY);
	if (t == NULL) {
		fprintf(stderr, "create %" PRIu32 ": %s\n", n, rte_strerror(rte_errno));
		return -1;
	}
	t0 = now_s();
	for (i = 0; i < n; i++) {
		struct twr_session *s = twr_session_table_session_alloc(t);
		struct twr_session_key lk;

		make_key(&k, i, KIND_EXACT);
		if (s == NULL || twr_session_table_add_exact(t, &k, s) != 0) {
			fprintf(stderr, "insert %" PRIu32 " of %" PRIu32 " failed\n", i, n);
			twr_session_table_free(t);
			return -1;
		}
		/* Its Receiver Port, shared by every 4096th session. */
		twr_session_key_to_listen(&k, &lk);
		if (twr_session_table_find_listen(t, &lk) == NULL &&
		    twr_session_table_add_listen(t, &lk, s) != 0) {
			twr_session_table_free(t);
			return -1;
		}
		/* The table holds it now. */
		twr_session_table_session_put(t, s);
	}
	r->insert_per_s = n / (now_s() - t0);

	for (b = 0; b < 2 * LOOKUPS / BURST; b++) {
		struct twr_session_key keys[BURST];
		const struct twr_session_key *kp[BURST];
		struct twr_session *out[BURST];
		uint8_t how[BURST];
		uint64_t c0;
		unsigned int j, got;

		for (j = 0; j < BURST; j++) {
			make_key(&keys[j], (uint32_t)(rnd(&seed) % n), kind);
			kp[j] = &keys[j];
		}
		c0 = rte_rdtsc_precise();
		got = twr_session_table_lookup_burst(t, kp, BURST, out, how);
		/* The engine's first read of each session: part of the cost of a lookup. */
		for (j = 0; j < BURST; j++)
			sink += out[j]->engine;
		/* First half: warm-up (caches, TLB), not counted. */
		if (b >= LOOKUPS / BURST) {
			cycles += rte_rdtsc_precise() - c0;
			found += got;
		}
	}
	r->cycles = (double)cycles / LOOKUPS;
	r->lookups_per_s = (double)LOOKUPS * (double)tsc_hz / (double)cycles;
	r->found = (unsigned int)(found * 100 / LOOKUPS);
	/* Keeps the session reads; every session's engine is 0. */
	if (sink != 0)
		r->found = 0;
	twr_session_table_free(t);
	return 0;
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = {1, 1000, 100000, 1000000};
	char *defaults[] = {
		argv[0],
		(char *)(uintptr_t)"--no-pci",
		(char *)(uintptr_t)"--no-huge",
		(char *)(uintptr_t)"-m",
		(char *)(uintptr_t)"1024",
		(char *)(uintptr_t)"--file-prefix",
		(char *)(uintptr_t)"twr-bench-table",
		(char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level",
		(char *)(uintptr_t)"lib.eal:error",
	};
	struct result res[RTE_DIM(sizes)], lres[RTE_DIM(sizes)];
	struct twr_clock *clk;
	unsigned int i;
	uint64_t hz;

	if (argc > 1 ? rte_eal_init(argc, argv) < 0
		     : rte_eal_init((int)RTE_DIM(defaults), defaults) < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	clk = twr_clock_create(SOCKET_ID_ANY);
	if (clk == NULL) {
		fprintf(stderr, "clock: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	hz = twr_clock_tsc_hz(clk);
	twr_clock_free(clk);
	printf("session table lookup, bursts of %d, %u M lookups per row, TSC %.3f GHz "
	       "(measured)\n",
	       BURST, LOOKUPS / 1000000, (double)hz / 1e9);
	printf("%10s %12s | %14s %12s %6s | %14s %12s %6s\n", "sessions", "inserts/s",
	       "exact Mlook/s", "cyc/lookup", "hit%", "listen Mlook/s", "cyc/lookup", "hit%");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		if (run(sizes[i], KIND_EXACT, hz, &res[i]) < 0 ||
		    run(sizes[i], KIND_LISTEN, hz, &lres[i]) < 0)
			return 1;
		printf("%10" PRIu32 " %12.0f | %14.2f %12.1f %5u%% | %14.2f %12.1f %5u%%\n",
		       sizes[i], res[i].insert_per_s, res[i].lookups_per_s / 1e6, res[i].cycles,
		       res[i].found, lres[i].lookups_per_s / 1e6, lres[i].cycles, lres[i].found);
		fflush(stdout);
	}
	printf("1M / 1 session exact lookup rate: %.2f\n",
	       res[RTE_DIM(sizes) - 1].lookups_per_s / res[0].lookups_per_s);
	rte_eal_cleanup();
	return 0;
}
