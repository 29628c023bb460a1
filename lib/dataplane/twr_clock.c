/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The control lcore's half of the TSC clock: measuring, anchoring,
 * publishing (twr_clock.h says how and why).
 *
 * Rates are kept as doubles in ns per TSC tick: 53 bits of mantissa are
 * 1e-16 relative, far below what the brackets resolve (~1e-8 over 1 s).
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_spinlock.h>

#include "twr_clock.h"
#include "twr_errest.h"
#include "twr_time.h"

RTE_LOG_REGISTER(twr_clock_logtype, user.twamp.clock, INFO);

#define CLOCK_LOG(level, fmt, ...)                                                                 \
	rte_log(RTE_LOG_##level, twr_clock_logtype, "clock: " fmt "\n", ##__VA_ARGS__)

/* Brackets tried per reading; the tightest is kept (preemption widens some). */
#define BRACKET_TRIES 8
/* Readings of the calibration, evenly spread over TWR_CLOCK_CALIBRATION_MS. */
#define CALIBRATION_SAMPLES 11
/* Shortest baseline a rate is estimated over: shorter, the brackets' noise dominates. */
#define RATE_MIN_BASELINE_NS 100000000.0
/* The offset is slewed away over this horizon (the nominal update period). */
#define SLEW_HORIZON_NS 1000000000.0
/*
 * CLOCK_REALTIME may run faster or slower than CLOCK_MONOTONIC_RAW by the
 * NTP frequency (<= 500 ppm) plus the offset slew (<= 500 ppm): beyond
 * this a measured ratio is an artefact (a step inside the baseline).
 */
#define REALTIME_RATIO_MAX_PPM 1000.0
/* Kernel's bound when it knows nothing (NTP_PHASE_LIMIT): used if ntp_adjtime fails. */
#define UNSYNC_MAXERROR_US 16000000L

/* 2^32 as a double, and NTP units (2^-32 s) per ns. */
#define TWO_POW_32 4294967296.0
#define NTP_PER_NS (TWO_POW_32 / 1e9)

/* One bracketed reading of a clock against the TSC. */
struct reading {
	uint64_t tsc;	/* middle of the bracket */
	uint64_t ns;	/* the clock */
	uint64_t width; /* bracket width, ticks */
};

struct twr_clock_ctl {
	/* Protects info for readers on other threads (telemetry). ctl: rw, telemetry: ro. */
	rte_spinlock_t lock;
	struct twr_clock_info info;

	/* Everything below: ctl only. */
	uint64_t nominal_hz;
	/* TSC against CLOCK_MONOTONIC_RAW: a reference point on the fitted line, the rate. */
	uint64_t raw_ref_tsc;
	uint64_t raw_ref_ns;
	double raw_slope;
	/* TSC against CLOCK_REALTIME: the reading the next rate is measured from, the rate. */
	struct reading rt_ref;
	double rt_slope;
	/* Last published mapping (what the workers convert with). */
	struct twr_clock_snapshot cur;
	bool pinned;
};

static inline uint64_t
timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

/* Round to nearest (no libm for one function). */
static inline int64_t
round_i64(double x)
{
	return (int64_t)(x >= 0 ? x + 0.5 : x - 0.5);
}

/* The tightest of BRACKET_TRIES (tsc, clock_gettime, tsc) brackets. */
static int
read_clock(clockid_t id, struct reading *r)
{
	unsigned int i;

	*r = (struct reading){.width = UINT64_MAX};
	for (i = 0; i < BRACKET_TRIES; i++) {
		struct timespec ts;
		uint64_t t1, t2;

		/* Fenced reads: the TSC read may not drift into the clock read. */
		t1 = rte_rdtsc_precise();
		if (clock_gettime(id, &ts) != 0)
			return -EIO;
		t2 = rte_rdtsc_precise();
		if (t2 - t1 < r->width) {
			r->width = t2 - t1;
			r->tsc = t1 + (t2 - t1) / 2;
			r->ns = timespec_ns(&ts);
		}
	}
	return 0;
}

/* Least-squares slope (ns per tick) and centroid of readings. */
static double
fit(const struct reading *r, unsigned int n, uint64_t *ref_tsc, uint64_t *ref_ns)
{
	double mx = 0, my = 0, sxy = 0, sxx = 0;
	unsigned int i;

	/* Relative to the first reading: absolute values would lose precision in doubles. */
	for (i = 0; i < n; i++) {
		mx += (double)(r[i].tsc - r[0].tsc);
		my += (double)(int64_t)(r[i].ns - r[0].ns);
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		double dx = (double)(r[i].tsc - r[0].tsc) - mx;
		double dy = (double)(int64_t)(r[i].ns - r[0].ns) - my;

		sxy += dx * dy;
		sxx += dx * dx;
	}
	*ref_tsc = r[0].tsc + (uint64_t)round_i64(mx);
	*ref_ns = r[0].ns + (uint64_t)round_i64(my);
	return sxx > 0 ? sxy / sxx : 0;
}

/* ratio - 1, in ppm. */
static inline double
ppm_of(double ratio)
{
	return (ratio - 1.0) * 1e6;
}

/* Kernel NTP state -> Error Estimate and info fields. */
static void
read_ntp_state(struct twr_clock_info *info, uint64_t own_error_ns)
{
	struct timex tx;
	int state;

	memset(&tx, 0, sizeof(tx));
	/* modes 0: read only, needs no privilege. */
	state = ntp_adjtime(&tx);
	info->ntp_state = state;
	if (state < 0) {
		info->ntp_status = STA_UNSYNC;
		info->maxerror_us = UNSYNC_MAXERROR_US;
		info->esterror_us = UNSYNC_MAXERROR_US;
		info->tai_utc = TWR_CLOCK_TAI_UTC;
	} else {
		info->ntp_status = tx.status;
		info->maxerror_us = tx.maxerror;
		info->esterror_us = tx.esterror;
		info->tai_utc = tx.tai > 0 ? tx.tai : TWR_CLOCK_TAI_UTC;
	}
	info->synchronized = state >= 0 && state != TIME_ERROR &&
			     !(info->ntp_status & STA_UNSYNC) && info->maxerror_us >= 0 &&
			     info->maxerror_us < TWR_CLOCK_SYNC_MAXERROR_US;
	/*
	 * maxerror is the kernel's bound on |CLOCK_REALTIME - UTC| (esterror
	 * only an estimate): the Error Estimate is meant as a bound.
	 */
	info->error_bound_ns = (uint64_t)RTE_MAX(info->maxerror_us, 0L) * 1000u + own_error_ns;
	info->errest = twr_errest_encode(info->error_bound_ns, info->synchronized, false);
}

/* Write the mapping into the slot readers are not using, then switch to it. */
static void
publish(struct twr_clock *c, struct twr_clock_snapshot *snap)
{
	uint64_t next = c->gen + 1;
	struct twr_clock_slot *sl = &c->slot[next & 1];

	snap->gen = next;
	__atomic_store_n(&sl->seq, sl->seq + 1, __ATOMIC_RELAXED);
	/* The odd count is visible before any field changes. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&sl->snap.base_tsc, snap->base_tsc, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.base_unix_ns, snap->base_unix_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.base_ntp, snap->base_ntp, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.mult_ns, snap->mult_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.mult_ntp, snap->mult_ntp, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.gen, snap->gen, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.errest, snap->errest, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->snap.tai_utc, snap->tai_utc, __ATOMIC_RELAXED);
	__atomic_store_n(&sl->seq, sl->seq + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->gen, next, __ATOMIC_RELEASE);
	c->ctl->cur = *snap;
}

/* Fill the fixed-point fields of a mapping from a rate in ns per tick. */
static void
snapshot_set_rate(struct twr_clock_snapshot *s, double ns_per_tick)
{
	s->mult_ns = (uint64_t)round_i64(ns_per_tick * TWO_POW_32);
	/* From mult_ns, not the rate: both conversions then stop together on a frozen pin. */
	s->mult_ntp = (uint64_t)round_i64((double)s->mult_ns * NTP_PER_NS);
	s->base_ntp = twr_ntp_from_unix_ns(s->base_unix_ns);
}

static int
calibrate(struct twr_clock_ctl *k, struct reading *rt_last)
{
	struct reading raw[CALIBRATION_SAMPLES], rt[CALIBRATION_SAMPLES];
	const struct timespec gap = {
		.tv_sec = 0,
		.tv_nsec = TWR_CLOCK_CALIBRATION_MS * 1000000L / (CALIBRATION_SAMPLES - 1),
	};
	uint64_t rt_ref_tsc, rt_ref_ns;
	double rt_slope;
	unsigned int i;

	for (i = 0; i < CALIBRATION_SAMPLES; i++) {
		if (i > 0)
			nanosleep(&gap, NULL);
		if (read_clock(CLOCK_MONOTONIC_RAW, &raw[i]) < 0 ||
		    read_clock(CLOCK_REALTIME, &rt[i]) < 0)
			return -EIO;
	}
	k->raw_slope = fit(raw, CALIBRATION_SAMPLES, &k->raw_ref_tsc, &k->raw_ref_ns);
	if (!(k->raw_slope > 0))
		return -ERANGE;
	rt_slope = fit(rt, CALIBRATION_SAMPLES, &rt_ref_tsc, &rt_ref_ns);
	*rt_last = rt[CALIBRATION_SAMPLES - 1];
	if (ppm_of(rt_slope / k->raw_slope) <= REALTIME_RATIO_MAX_PPM &&
	    ppm_of(rt_slope / k->raw_slope) >= -REALTIME_RATIO_MAX_PPM) {
		k->rt_slope = rt_slope;
		/* Anchor on the fitted line: less noise than one reading. */
		rt_last->ns = rt_ref_ns +
			      (uint64_t)round_i64(rt_slope *
						  (double)(int64_t)(rt_last->tsc - rt_ref_tsc));
	} else {
		/* CLOCK_REALTIME was stepped meanwhile: its rate is unknown; RAW's is close. */
		k->rt_slope = k->raw_slope;
	}
	k->rt_ref = *rt_last;
	return 0;
}

struct twr_clock *
twr_clock_create(int socket_id)
{
	struct twr_clock_snapshot snap;
	struct twr_clock_ctl *k;
	struct twr_clock *c;
	struct reading rt;
	int ret;

	c = rte_zmalloc_socket("twr_clock", sizeof(*c), RTE_CACHE_LINE_SIZE, socket_id);
	k = rte_zmalloc_socket("twr_clock_ctl", sizeof(*k), RTE_CACHE_LINE_SIZE, socket_id);
	if (c == NULL || k == NULL) {
		rte_free(c);
		rte_free(k);
		rte_errno = ENOMEM;
		return NULL;
	}
	c->ctl = k;
	rte_spinlock_init(&k->lock);
	k->nominal_hz = rte_get_tsc_hz();
	ret = calibrate(k, &rt);
	if (ret < 0) {
		rte_free(k);
		rte_free(c);
		rte_errno = -ret;
		return NULL;
	}

	memset(&snap, 0, sizeof(snap));
	snap.base_tsc = rt.tsc;
	snap.base_unix_ns = rt.ns;
	snapshot_set_rate(&snap, k->rt_slope);
	read_ntp_state(&k->info, (uint64_t)round_i64((double)rt.width * k->raw_slope / 2) +
					 TWR_CLOCK_STAMP_ERROR_NS);
	snap.errest = k->info.errest;
	snap.tai_utc = (int16_t)k->info.tai_utc;
	publish(c, &snap);

	k->info.tsc_hz = (uint64_t)round_i64(1e9 / k->raw_slope);
	k->info.tsc_hz_nominal = k->nominal_hz;
	k->info.tsc_hz_ppm =
		k->nominal_hz != 0 ? ppm_of((double)k->info.tsc_hz / (double)k->nominal_hz) : 0;
	k->info.realtime_ppm = ppm_of(k->raw_slope / k->rt_slope);
	k->info.bracket_ns = (uint64_t)round_i64((double)rt.width * k->raw_slope);
	k->info.last_update_unix_ns = rt.ns;
	CLOCK_LOG(INFO, "TSC %" PRIu64 " Hz measured, %" PRIu64 " Hz nominal (%+.1f ppm)",
		  k->info.tsc_hz, k->info.tsc_hz_nominal, k->info.tsc_hz_ppm);
	return c;
}

void
twr_clock_free(struct twr_clock *c)
{
	if (c == NULL)
		return;
	rte_free(c->ctl);
	rte_free(c);
}

int
twr_clock_update(struct twr_clock *c)
{
	struct twr_clock_info info;
	struct twr_clock_snapshot snap;
	struct twr_clock_ctl *k;
	struct reading raw, rt;
	double baseline_ns, slope, corr;
	uint64_t predicted;
	int64_t offset;
	bool step;

	if (c == NULL)
		return -EINVAL;
	k = c->ctl;
	if (k->pinned)
		return 0;
	if (read_clock(CLOCK_MONOTONIC_RAW, &raw) < 0 || read_clock(CLOCK_REALTIME, &rt) < 0)
		return -EIO;

	/* TSC rate: RAW is never adjusted, so the longest baseline is the best. */
	if (raw.tsc > k->raw_ref_tsc &&
	    (double)(raw.tsc - k->raw_ref_tsc) * k->raw_slope >= RATE_MIN_BASELINE_NS)
		k->raw_slope = (double)(int64_t)(raw.ns - k->raw_ref_ns) /
			       (double)(raw.tsc - k->raw_ref_tsc);

	predicted = twr_clock_snap_to_unix_ns(&k->cur, rt.tsc);
	offset = (int64_t)(rt.ns - predicted);
	step = offset > TWR_CLOCK_STEP_NS || offset < -TWR_CLOCK_STEP_NS;

	/*
	 * CLOCK_REALTIME's rate over the last baseline: NTP slews it, and
	 * the next second is best predicted by the last one.
	 */
	baseline_ns = (double)(rt.tsc - k->rt_ref.tsc) * k->raw_slope;
	if (step) {
		k->rt_ref = rt;
	} else if (rt.tsc > k->rt_ref.tsc && baseline_ns >= RATE_MIN_BASELINE_NS) {
		double obs =
			(double)(int64_t)(rt.ns - k->rt_ref.ns) / (double)(rt.tsc - k->rt_ref.tsc);
		double lim = REALTIME_RATIO_MAX_PPM * 1e-6;

		k->rt_slope =
			RTE_MIN(RTE_MAX(obs, k->raw_slope * (1 - lim)), k->raw_slope * (1 + lim));
		k->rt_ref = rt;
	}

	memset(&snap, 0, sizeof(snap));
	snap.base_tsc = rt.tsc;
	if (step) {
		snap.base_unix_ns = rt.ns;
		slope = k->rt_slope;
	} else {
		/* Start where the workers' mapping stands: no jump, never backwards. */
		snap.base_unix_ns = predicted;
		corr = (double)offset / SLEW_HORIZON_NS;
		corr = RTE_MIN(RTE_MAX(corr, -TWR_CLOCK_SLEW_MAX_PPM * 1e-6),
			       TWR_CLOCK_SLEW_MAX_PPM * 1e-6);
		slope = k->rt_slope * (1 + corr);
	}
	snapshot_set_rate(&snap, slope);

	rte_spinlock_lock(&k->lock);
	info = k->info;
	rte_spinlock_unlock(&k->lock);
	/* Our share of the error: the bracket, the offset not yet slewed away, the stamping. */
	read_ntp_state(&info, (uint64_t)round_i64((double)rt.width * k->raw_slope / 2) +
				      (uint64_t)(offset < 0 ? -offset : offset) +
				      TWR_CLOCK_STAMP_ERROR_NS);
	snap.errest = info.errest;
	snap.tai_utc = (int16_t)info.tai_utc;
	publish(c, &snap);

	info.tsc_hz = (uint64_t)round_i64(1e9 / k->raw_slope);
	info.tsc_hz_ppm =
		k->nominal_hz != 0 ? ppm_of((double)info.tsc_hz / (double)k->nominal_hz) : 0;
	info.realtime_ppm = ppm_of(k->raw_slope / k->rt_slope);
	info.last_offset_ns = offset;
	if (!step && (uint64_t)(offset < 0 ? -offset : offset) > info.max_abs_offset_ns)
		info.max_abs_offset_ns = (uint64_t)(offset < 0 ? -offset : offset);
	info.bracket_ns = (uint64_t)round_i64((double)rt.width * k->raw_slope);
	info.updates++;
	info.steps += step;
	info.last_update_unix_ns = rt.ns;
	if (step)
		CLOCK_LOG(NOTICE, "CLOCK_REALTIME stepped by %" PRId64 " ns: followed", offset);
	rte_spinlock_lock(&k->lock);
	k->info = info;
	rte_spinlock_unlock(&k->lock);
	return 0;
}

int
twr_clock_pin(struct twr_clock *c, uint64_t tsc, uint64_t unix_ns, uint64_t tsc_hz, uint16_t errest)
{
	struct twr_clock_snapshot snap;
	struct twr_clock_ctl *k;

	if (c == NULL || tsc_hz == 0)
		return -EINVAL;
	k = c->ctl;
	memset(&snap, 0, sizeof(snap));
	snap.base_tsc = tsc;
	snap.base_unix_ns = unix_ns;
	snapshot_set_rate(&snap, 1e9 / (double)tsc_hz);
	snap.errest = errest;
	snap.tai_utc = TWR_CLOCK_TAI_UTC;
	k->pinned = true;
	publish(c, &snap);
	rte_spinlock_lock(&k->lock);
	k->info.pinned = true;
	k->info.errest = errest;
	rte_spinlock_unlock(&k->lock);
	return 0;
}

int
twr_clock_unpin(struct twr_clock *c)
{
	if (c == NULL)
		return -EINVAL;
	c->ctl->pinned = false;
	rte_spinlock_lock(&c->ctl->lock);
	c->ctl->info.pinned = false;
	rte_spinlock_unlock(&c->ctl->lock);
	return 0;
}

int
twr_clock_info_get(const struct twr_clock *c, struct twr_clock_info *info)
{
	if (c == NULL || info == NULL)
		return -EINVAL;
	rte_spinlock_lock(&c->ctl->lock);
	*info = c->ctl->info;
	rte_spinlock_unlock(&c->ctl->lock);
	return 0;
}

uint64_t
twr_clock_tsc_hz(const struct twr_clock *c)
{
	if (c == NULL)
		return 0;
	return (uint64_t)round_i64(1e9 / c->ctl->raw_slope);
}
