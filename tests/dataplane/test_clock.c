/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TSC clock with EAL: measured rate, accuracy against CLOCK_REALTIME,
 * monotonic conversions, slew and step, the Error Estimate against the
 * kernel's NTP state, and lock-free snapshots under a busy writer. The
 * system clock is only read, never set: offsets are simulated by pinning.
 */

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memory.h>

#include "check_eal_main.h"
#include "twr_clock.h"
#include "twr_errest.h"
#include "twr_time.h"

#define ACCURACY_NS 50000 /* tsc_to_unix_ns() vs clock_gettime(CLOCK_REALTIME) */
#define RATE_PPM    100.0 /* measured rate vs our own CLOCK_MONOTONIC_RAW measurement */

static unsigned int other_lcore = RTE_MAX_LCORE;

static uint64_t
ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

/* Tightest of 16 (tsc, clock, tsc) brackets: the middle TSC and the clock. */
static void
bracket(clockid_t id, uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	unsigned int i;

	/* The first round always sets both; gcc -O3 cannot see it. */
	*tsc = 0;
	*ns = 0;
	for (i = 0; i < 16; i++) {
		struct timespec ts;
		uint64_t t1 = rte_rdtsc_precise(), t2;

		clock_gettime(id, &ts);
		t2 = rte_rdtsc_precise();
		if (t2 - t1 < best) {
			best = t2 - t1;
			*tsc = t1 + (t2 - t1) / 2;
			*ns = ts_ns(&ts);
		}
	}
}

/* Our conversion minus CLOCK_REALTIME, ns. */
static int64_t
realtime_error(const struct twr_clock *c)
{
	uint64_t tsc, ns;

	bracket(CLOCK_REALTIME, &tsc, &ns);
	return (int64_t)(twr_clock_tsc_to_unix_ns(c, tsc) - ns);
}

static void
sleep_ms(unsigned int ms)
{
	const struct timespec d = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&d, NULL);
}

static struct twr_clock *
clock_new(void)
{
	struct twr_clock *c = twr_clock_create(SOCKET_ID_ANY);

	ck_assert_msg(c != NULL, "twr_clock_create: %s", rte_strerror(rte_errno));
	return c;
}

START_TEST(test_rate)
{
	struct twr_clock *c = clock_new();
	struct twr_clock_info info;
	uint64_t tsc0, raw0, tsc1, raw1;
	double hz, ppm;

	bracket(CLOCK_MONOTONIC_RAW, &tsc0, &raw0);
	sleep_ms(200);
	bracket(CLOCK_MONOTONIC_RAW, &tsc1, &raw1);
	hz = (double)(tsc1 - tsc0) * 1e9 / (double)(raw1 - raw0);

	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	ppm = ((double)info.tsc_hz / hz - 1) * 1e6;
	printf("clock: TSC %" PRIu64 " Hz measured at creation (%.1f ppm from a 200 ms "
	       "measurement, %.1f ppm from nominal %" PRIu64 " Hz)\n",
	       info.tsc_hz, ppm, info.tsc_hz_ppm, info.tsc_hz_nominal);
	ck_assert_msg(ppm < RATE_PPM && ppm > -RATE_PPM, "calibration %.1f ppm off", ppm);
	ck_assert_uint_eq(info.tsc_hz_nominal, rte_get_tsc_hz());
	ck_assert_uint_eq(twr_clock_tsc_hz(c), info.tsc_hz);

	/* Refined over the longer baseline. */
	ck_assert_int_eq(twr_clock_update(c), 0);
	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	ppm = ((double)info.tsc_hz / hz - 1) * 1e6;
	ck_assert_msg(ppm < RATE_PPM && ppm > -RATE_PPM, "after update %.1f ppm off", ppm);
	ck_assert_uint_eq(info.updates, 1);
	twr_clock_free(c);
}
END_TEST

START_TEST(test_accuracy)
{
	struct twr_clock *c = clock_new();
	struct twr_clock_info info;
	int64_t err, worst = 0;
	unsigned int i;

	for (i = 0; i < 6; i++) {
		if (i > 0) {
			sleep_ms(200);
			ck_assert_int_eq(twr_clock_update(c), 0);
		}
		err = realtime_error(c);
		ck_assert_msg(err < ACCURACY_NS && err > -ACCURACY_NS, "round %u: %" PRId64 " ns",
			      i, err);
		worst = RTE_MAX(worst, err < 0 ? -err : err);
	}
	/* Between updates too: 900 ms after the last one. */
	sleep_ms(900);
	err = realtime_error(c);
	ck_assert_msg(err < ACCURACY_NS && err > -ACCURACY_NS, "900 ms on: %" PRId64 " ns", err);
	worst = RTE_MAX(worst, err < 0 ? -err : err);
	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	ck_assert_uint_eq(info.steps, 0);
	printf("clock: worst |tsc_to_unix_ns - CLOCK_REALTIME| %" PRId64 " ns; last offset "
	       "%" PRId64 " ns; bracket %" PRIu64 " ns; REALTIME vs RAW %.2f ppm\n",
	       worst, info.last_offset_ns, info.bracket_ns, info.realtime_ppm);
	twr_clock_free(c);
}
END_TEST

START_TEST(test_monotonic)
{
	struct twr_clock *c = clock_new();
	struct twr_clock_snapshot s;
	uint64_t prev_ntp = 0, prev_ns = 0, tsc, ntp, ns;
	unsigned int i;

	for (i = 0; i < 2000000; i++) {
		if (i % 200000 == 100000)
			ck_assert_int_eq(twr_clock_update(c), 0);
		tsc = rte_rdtsc();
		ntp = twr_clock_tsc_to_ntp(c, tsc);
		ns = twr_clock_tsc_to_unix_ns(c, tsc);
		ck_assert_msg(ntp >= prev_ntp, "NTP went back at %u: %" PRIx64 " < %" PRIx64, i,
			      ntp, prev_ntp);
		ck_assert_msg(ns >= prev_ns, "ns went back at %u", i);
		prev_ntp = ntp;
		prev_ns = ns;
	}
	/* The NTP conversion agrees with converting the ns (within rounding). */
	ck_assert_uint_le(
		RTE_MAX(ntp, twr_ntp_from_unix_ns(ns)) - RTE_MIN(ntp, twr_ntp_from_unix_ns(ns)), 8);
	/* Across the anchor, readings older than the snapshot included. */
	twr_clock_read(c, &s);
	prev_ntp = 0;
	for (tsc = s.base_tsc - 100000; tsc < s.base_tsc + 100000; tsc += 7) {
		ntp = twr_clock_snap_to_ntp(&s, tsc);
		ck_assert_uint_ge(ntp, prev_ntp);
		prev_ntp = ntp;
	}
	ck_assert_uint_eq(twr_clock_snap_to_ntp(&s, s.base_tsc), s.base_ntp);
	ck_assert_uint_eq(twr_clock_snap_to_unix_ns(&s, s.base_tsc), s.base_unix_ns);
	twr_clock_free(c);
}
END_TEST

START_TEST(test_errest)
{
	struct twr_clock *c = clock_new();
	struct twr_clock_info info;
	struct twr_errest e;
	struct timex tx;
	bool synced;
	int state;

	ck_assert_int_eq(twr_clock_update(c), 0);
	memset(&tx, 0, sizeof(tx));
	state = ntp_adjtime(&tx);
	synced = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC) &&
		 tx.maxerror < TWR_CLOCK_SYNC_MAXERROR_US;
	ck_assert_int_eq(twr_errest_decode(twr_clock_errest(c), &e), 0);
	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	printf("clock: ntp_adjtime state %d status 0x%x maxerror %ld us -> Error Estimate "
	       "0x%04x (S=%d, %" PRIu64 " ns)\n",
	       state, tx.status, tx.maxerror, twr_clock_errest(c), e.synchronized, e.error_ns);
	ck_assert_int_eq(e.synchronized, synced);
	ck_assert_int_eq(info.synchronized, synced);
	ck_assert(!e.ptp);
	/* Never below the kernel's own bound (maxerror may grow a little in between). */
	if (state >= 0)
		ck_assert_uint_ge(e.error_ns, (uint64_t)RTE_MAX(tx.maxerror - 1000, 0L) * 1000u);
	/* Nor below the stamping uncertainty. */
	ck_assert_uint_ge(e.error_ns, TWR_CLOCK_STAMP_ERROR_NS);
	ck_assert_uint_eq(info.errest, twr_clock_errest(c));
	twr_clock_free(c);
}
END_TEST

START_TEST(test_pin_slew_step)
{
	struct twr_clock *c = clock_new();
	struct twr_clock_info info;
	uint64_t hz = twr_clock_tsc_hz(c), base = 1000000, t0 = 1700000000123456789ull;
	uint64_t tsc, ns, prev;
	int64_t err;
	unsigned int i;

	/* Pinned: exact, and updates leave it alone. */
	ck_assert_int_eq(twr_clock_pin(c, base, t0, 1000000000, 0x0001), 0);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(c, base + 5), t0 + 5);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(c, base - 1), t0 - 1);
	ck_assert_uint_eq(twr_clock_tsc_to_ntp(c, base), twr_ntp_from_unix_ns(t0));
	ck_assert_uint_eq(twr_clock_tsc_to_ptp(c, base),
			  twr_ptp_from_unix_ns(t0, TWR_CLOCK_TAI_UTC));
	ck_assert_uint_eq(twr_clock_errest(c), 0x0001);
	ck_assert_int_eq(twr_clock_update(c), 0);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(c, base + 5), t0 + 5);
	ck_assert_int_eq(twr_clock_pin(c, base, t0, 0, 0), -EINVAL);
	/* A frozen clock (golden files): every TSC gives the same time, in both formats. */
	ck_assert_int_eq(twr_clock_pin(c, 0, t0, UINT64_MAX, 0), 0);
	ck_assert_uint_eq(twr_clock_tsc_to_unix_ns(c, UINT64_MAX), t0);
	ck_assert_uint_eq(twr_clock_tsc_to_ntp(c, UINT64_MAX), twr_ntp_from_unix_ns(t0));
	ck_assert_uint_eq(twr_clock_tsc_to_ntp(c, rte_rdtsc()), twr_ntp_from_unix_ns(t0));

	/* 300 us off, at the right rate: slewed away within a second, no jump. */
	bracket(CLOCK_REALTIME, &tsc, &ns);
	ck_assert_int_eq(twr_clock_pin(c, tsc, ns + 300000, hz, 0), 0);
	ck_assert_int_eq(twr_clock_unpin(c), 0);
	ck_assert_int_eq(twr_clock_update(c), 0);
	err = realtime_error(c);
	ck_assert_msg(err > 250000 && err < 350000, "no jump expected: %" PRId64 " ns", err);
	prev = twr_clock_tsc_to_unix_ns(c, rte_rdtsc());
	for (i = 0; i < 10; i++) {
		sleep_ms(105);
		ns = twr_clock_tsc_to_unix_ns(c, rte_rdtsc());
		ck_assert_uint_gt(ns, prev); /* slewing never goes back */
		prev = ns;
	}
	ck_assert_int_eq(twr_clock_update(c), 0);
	err = realtime_error(c);
	ck_assert_msg(err < ACCURACY_NS && err > -ACCURACY_NS, "after the slew: %" PRId64 " ns",
		      err);
	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	ck_assert_uint_eq(info.steps, 0);
	ck_assert(!info.pinned);

	/* 5 ms off: stepped at the next update. */
	bracket(CLOCK_REALTIME, &tsc, &ns);
	ck_assert_int_eq(twr_clock_pin(c, tsc, ns - 5000000, hz, 0), 0);
	ck_assert_int_eq(twr_clock_unpin(c), 0);
	ck_assert_int_eq(twr_clock_update(c), 0);
	err = realtime_error(c);
	ck_assert_msg(err < ACCURACY_NS && err > -ACCURACY_NS, "after the step: %" PRId64 " ns",
		      err);
	ck_assert_int_eq(twr_clock_info_get(c, &info), 0);
	ck_assert_uint_eq(info.steps, 1);
	ck_assert_int_gt(info.last_offset_ns, 4900000);
	twr_clock_free(c);
}
END_TEST

/* Seqlock: a reader lcore checks every snapshot is one publication, not a mix. */
struct snap_ctx {
	const struct twr_clock *c;
	int stop;	   /* ctl: wo, reader: ro */
	uint64_t reads;	   /* reader: wo, ctl: ro */
	uint64_t torn;	   /* reader: wo, ctl: ro */
	uint64_t backward; /* reader: wo, ctl: ro */
	uint64_t gens;	   /* reader: wo, ctl: ro: distinct generations seen */
};

static int
snapshot_consistent(const struct twr_clock_snapshot *s)
{
	double want_ntp_mult = (double)s->mult_ns * (4294967296.0 / 1e9);
	double d = (double)s->mult_ntp - want_ntp_mult;

	/* Every writer derives base_ntp and mult_ntp from base_unix_ns and the rate. */
	return s->base_ntp == twr_ntp_from_unix_ns(s->base_unix_ns) && d < 3 && d > -3 &&
	       s->tai_utc > 0;
}

static int
snap_reader(void *arg)
{
	struct snap_ctx *x = arg;
	uint64_t last_gen = 0;

	while (!__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
		struct twr_clock_snapshot s;

		twr_clock_read(x->c, &s);
		if (!snapshot_consistent(&s))
			__atomic_fetch_add(&x->torn, 1, __ATOMIC_RELAXED);
		if (s.gen < last_gen)
			__atomic_fetch_add(&x->backward, 1, __ATOMIC_RELAXED);
		if (s.gen != last_gen)
			__atomic_fetch_add(&x->gens, 1, __ATOMIC_RELAXED);
		last_gen = s.gen;
		__atomic_fetch_add(&x->reads, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

START_TEST(test_seqlock)
{
	static struct snap_ctx x;
	struct twr_clock *c = clock_new();
	uint64_t end, writes = 0, hz = twr_clock_tsc_hz(c);
	int64_t err;

	if (other_lcore == RTE_MAX_LCORE) {
		fprintf(stderr, "no second lcore: seqlock test skipped\n");
		twr_clock_free(c);
		return;
	}
	memset(&x, 0, sizeof(x));
	x.c = c;
	ck_assert_int_eq(rte_eal_remote_launch(snap_reader, &x, other_lcore), 0);
	/* 200 ms of real updates, then 200 ms of pins with changing values. */
	end = rte_get_timer_cycles() + rte_get_timer_hz() / 5;
	while (rte_get_timer_cycles() < end) {
		ck_assert_int_eq(twr_clock_update(c), 0);
		writes++;
	}
	end = rte_get_timer_cycles() + rte_get_timer_hz() / 5;
	while (rte_get_timer_cycles() < end) {
		ck_assert_int_eq(twr_clock_pin(c, writes * 977, writes * 1000003,
					       hz + (writes % 1000) * 1000, (uint16_t)writes),
				 0);
		writes++;
	}
	__atomic_store_n(&x.stop, 1, __ATOMIC_RELEASE);
	ck_assert_int_eq(rte_eal_wait_lcore(other_lcore), 0);
	printf("clock: %" PRIu64 " publications, %" PRIu64 " reads (%" PRIu64
	       " generations seen), %" PRIu64 " torn\n",
	       writes, x.reads, x.gens, x.torn);
	ck_assert_uint_eq(x.torn, 0);
	ck_assert_uint_eq(x.backward, 0);
	ck_assert_uint_gt(x.reads, 1000);
	ck_assert_uint_gt(x.gens, 10);

	/* Still a good clock after all that (unpin steps back to CLOCK_REALTIME). */
	ck_assert_int_eq(twr_clock_unpin(c), 0);
	ck_assert_int_eq(twr_clock_update(c), 0);
	err = realtime_error(c);
	ck_assert_msg(err < ACCURACY_NS && err > -ACCURACY_NS, "%" PRId64 " ns", err);
	twr_clock_free(c);
}
END_TEST

START_TEST(test_args)
{
	struct twr_clock_info info;

	ck_assert_int_eq(twr_clock_update(NULL), -EINVAL);
	ck_assert_int_eq(twr_clock_pin(NULL, 0, 0, 1, 0), -EINVAL);
	ck_assert_int_eq(twr_clock_unpin(NULL), -EINVAL);
	ck_assert_int_eq(twr_clock_info_get(NULL, &info), -EINVAL);
	ck_assert_uint_eq(twr_clock_tsc_hz(NULL), 0);
	twr_clock_free(NULL);
}
END_TEST

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_args);
	tcase_add_test(tc, test_rate);
	tcase_add_test(tc, test_accuracy);
	tcase_add_test(tc, test_monotonic);
	tcase_add_test(tc, test_errest);
	tcase_add_test(tc, test_pin_slew_step);
	tcase_add_test(tc, test_seqlock);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	char *eal_args[] = {
		(char *)(uintptr_t) "test-dp-clock", (char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",     (char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "128",	     (char *)(uintptr_t) "--lcores",
		(char *)(uintptr_t) "0@0,1@1",	     (char *)(uintptr_t) "--file-prefix",
		(char *)(uintptr_t) "twr-dp-clock",  (char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",   (char *)(uintptr_t) "lib.eal:error",
	};

	return twr_check_eal_run((int)RTE_DIM(eal_args), eal_args, clock_suite, NULL);
}
