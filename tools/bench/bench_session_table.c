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
#include <stdbool.h>
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
/*
 * The counted lookups are timed in this many slices; the median slice
 * gives the figures, the fastest one the cost undisturbed by whatever
 * else runs on the machine (2 shared CPUs here).
 */
#define SLICES 16

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

/* One measurement: rate and cost per lookup (median slice), fastest slice. */
struct result {
	double lookups_per_s;
	double cycles;
	double cycles_min;
	unsigned int hit_pct;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Install @p n sessions, each with its Receiver Port. @return inserts per second, < 0 on error. */
static double
populate(struct twr_session_table *t, uint32_t n)
{
	double t0 = now_s();
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct twr_session *s = twr_session_table_session_alloc(t);
		struct twr_session_key k, lk;

		make_key(&k, i, KIND_EXACT);
		if (s == NULL || twr_session_table_add_exact(t, &k, s) != 0) {
			fprintf(stderr, "insert %" PRIu32 " of %" PRIu32 " failed\n", i, n);
			return -1;
		}
		/* Its Receiver Port, shared by every 4096th session. */
		twr_session_key_to_listen(&k, &lk);
		if (twr_session_table_find_listen(t, &lk) == NULL &&
		    twr_session_table_add_listen(t, &lk, s) != 0)
			return -1;
		/* The table holds it now. */
		twr_session_table_session_put(t, s);
	}
	return n / (now_s() - t0);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * LOOKUPS lookups in bursts of BURST, keys uniform over the @p n sessions,
 * after as many for warm-up (caches, TLB). With @p read, each session
 * found is read once, as the engine does next.
 */
static void
measure(const struct twr_session_table *t, uint32_t n, enum kind kind, bool read, uint64_t tsc_hz,
	struct result *r)
{
	const uint32_t per_slice = LOOKUPS / BURST / SLICES;
	uint64_t seed = 88172645463325252ull, found = 0, sink = 0;
	uint64_t slice[SLICES] = {0};
	uint32_t b;

	for (b = 0; b < 2 * LOOKUPS / BURST; b++) {
		struct twr_session_key keys[BURST];
		const struct twr_session_key *kp[BURST];
		struct twr_session *out[BURST];
		uint8_t how[BURST];
		uint64_t c0, c1;
		unsigned int j, got;

		for (j = 0; j < BURST; j++) {
			make_key(&keys[j], (uint32_t)(rnd(&seed) % n), kind);
			kp[j] = &keys[j];
		}
		c0 = rte_rdtsc_precise();
		got = twr_session_table_lookup_burst(t, kp, BURST, out, how);
		if (read)
			for (j = 0; j < BURST; j++)
				sink += out[j] != NULL ? out[j]->engine : 1;
		c1 = rte_rdtsc_precise();
		if (b >= LOOKUPS / BURST) {
			slice[(b - LOOKUPS / BURST) / per_slice] += c1 - c0;
			found += got;
		}
	}
	qsort(slice, SLICES, sizeof(slice[0]), cmp_u64);
	r->cycles = (double)slice[SLICES / 2] / (per_slice * BURST);
	r->cycles_min = (double)slice[0] / (per_slice * BURST);
	r->lookups_per_s = (double)tsc_hz / r->cycles;
	/* sink is 0 when every key was found (engine 0): a miss shows in both. */
	r->hit_pct = sink != 0 ? 0 : (unsigned int)(found * 100 / LOOKUPS);
}

int
main(int argc, char **argv)
{
	static const uint32_t sizes[] = {1, 1000, 100000, 1000000};
	char *defaults[] = {
		argv[0],
		(char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",
		(char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "1024",
		(char *)(uintptr_t) "--file-prefix",
		(char *)(uintptr_t) "twr-bench-table",
		(char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",
		(char *)(uintptr_t) "lib.eal:error",
	};
	struct result only[RTE_DIM(sizes)], read[RTE_DIM(sizes)], listen[RTE_DIM(sizes)];
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
	printf("session table, bursts of %d keys, %u M lookups per figure, TSC %.3f GHz "
	       "(measured)\n"
	       "Ml/s: million lookups/s and cyc: TSC cycles per lookup, median of %d slices; "
	       "min: fastest slice\n",
	       BURST, LOOKUPS / 1000000, (double)hz / 1e9, SLICES);
	printf("%9s %10s | %-23s | %-23s | %-23s\n", "", "", "exact, lookup only",
	       "exact + session read", "listen + session read");
	printf("%9s %10s | %7s %7s %7s | %7s %7s %7s | %7s %7s %7s\n", "sessions", "inserts/s",
	       "Ml/s", "cyc", "min", "Ml/s", "cyc", "min", "Ml/s", "cyc", "min");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		char name[TWR_SESSION_TABLE_NAMESIZE];
		struct twr_session_table *t;
		double ins;

		snprintf(name, sizeof(name), "bench_%" PRIu32, sizes[i]);
		t = twr_session_table_create(name, sizes[i], 1, SOCKET_ID_ANY);
		if (t == NULL) {
			fprintf(stderr, "create %" PRIu32 ": %s\n", sizes[i],
				rte_strerror(rte_errno));
			return 1;
		}
		ins = populate(t, sizes[i]);
		if (ins < 0)
			return 1;
		measure(t, sizes[i], KIND_EXACT, false, hz, &only[i]);
		measure(t, sizes[i], KIND_EXACT, true, hz, &read[i]);
		measure(t, sizes[i], KIND_LISTEN, true, hz, &listen[i]);
		twr_session_table_free(t);
		if (only[i].hit_pct != 100 || read[i].hit_pct != 100 || listen[i].hit_pct != 100) {
			fprintf(stderr, "%" PRIu32 " sessions: lookups missed\n", sizes[i]);
			return 1;
		}
		/* One insert says nothing about a rate. */
		if (sizes[i] < 1000)
			printf("%9" PRIu32 " %10s", sizes[i], "-");
		else
			printf("%9" PRIu32 " %10.0f", sizes[i], ins);
		printf(" | %7.2f %7.1f %7.1f | %7.2f %7.1f %7.1f | %7.2f %7.1f %7.1f\n",
		       only[i].lookups_per_s / 1e6, only[i].cycles, only[i].cycles_min,
		       read[i].lookups_per_s / 1e6, read[i].cycles, read[i].cycles_min,
		       listen[i].lookups_per_s / 1e6, listen[i].cycles, listen[i].cycles_min);
		fflush(stdout);
	}
	printf("1M / 1 session rate (median; fastest slices): lookup only %.2f (%.2f), "
	       "lookup + session read %.2f (%.2f)\n",
	       only[RTE_DIM(sizes) - 1].lookups_per_s / only[0].lookups_per_s,
	       only[0].cycles_min / only[RTE_DIM(sizes) - 1].cycles_min,
	       read[RTE_DIM(sizes) - 1].lookups_per_s / read[0].lookups_per_s,
	       read[0].cycles_min / read[RTE_DIM(sizes) - 1].cycles_min);
	rte_eal_cleanup();
	return 0;
}
