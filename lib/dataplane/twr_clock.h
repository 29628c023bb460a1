/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CLOCK_H
#define TWR_CLOCK_H

/**
 * @file
 * The TSC clock: wall-clock time (CLOCK_REALTIME) from a TSC reading, for
 * the Receive and Transmit Timestamps, with no system call on the data
 * plane.
 *
 * The control lcore owns the clock:
 * - at creation it measures the TSC rate against CLOCK_MONOTONIC_RAW and
 *   CLOCK_REALTIME by linear regression over bracketed readings (tsc,
 *   clock_gettime, tsc; the tightest of several brackets) spread over
 *   TWR_CLOCK_CALIBRATION_MS, never trusting rte_get_tsc_hz() (1494 ppm
 *   off on the project's machines);
 * - twr_clock_update(), about once a second, takes a new bracketed
 *   reading, refines the rates over the longer baseline, measures how far
 *   CLOCK_REALTIME is from the published mapping and publishes a new
 *   mapping that starts where the old one stands (no jump) and slews the
 *   offset away over the next second, so that NTP's slewing is followed
 *   and the time given to the workers never goes back; a CLOCK_REALTIME
 *   step (offset above TWR_CLOCK_STEP_NS) is followed by a step;
 * - it computes the Error Estimate from the kernel's NTP state
 *   (ntp_adjtime): S only when the system clock is synchronised and its
 *   maximum error below TWR_CLOCK_SYNC_MAXERROR_US; the bound is that
 *   maximum error plus our own conversion and stamping uncertainty.
 *
 * Publication (STYLE.md habit 4): two slots and a generation number. The
 * writer fills the slot readers are not using, under that slot's sequence
 * count, then switches the generation. A reader copies the current slot
 * and checks the slot's sequence count; it retries only if the writer
 * rewrote that very slot meanwhile, i.e. if the reader stalled for a whole
 * update period. Workers never wait for the writer.
 *
 * Worker side: twr_clock_tsc_to_unix_ns(), twr_clock_tsc_to_ntp(),
 * twr_clock_tsc_to_ptp(), twr_clock_errest(); or twr_clock_read() once
 * per burst and the twr_clock_snap_*() conversions of that snapshot.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

/** TAI - UTC (s) since 2017-01-01, used when the kernel does not know it (timex.tai 0). */
#define TWR_CLOCK_TAI_UTC 37
/** Fixed-point shift of the published multipliers. */
#define TWR_CLOCK_SHIFT 32
/** Length of the rate measurement in twr_clock_create(). */
#define TWR_CLOCK_CALIBRATION_MS 100
/** An offset above this is stepped rather than slewed (someone set the clock). */
#define TWR_CLOCK_STEP_NS 1000000
/** Largest rate change used to slew an offset away (the kernel's own limit is 500 ppm). */
#define TWR_CLOCK_SLEW_MAX_PPM 500
/** S (synchronised) only while the kernel's maximum error is below this. */
#define TWR_CLOCK_SYNC_MAXERROR_US 100000
/**
 * Stamping uncertainty added to the Error Estimate: T2 is read after
 * rte_eth_rx_burst() returns, not when the frame arrived; T3 before the
 * TX burst, not on the wire.
 */
#define TWR_CLOCK_STAMP_ERROR_NS 1000

/** One published mapping from TSC to wall-clock time. */
struct twr_clock_snapshot {
	uint64_t base_tsc;     /**< TSC at which the mapping is anchored */
	uint64_t base_unix_ns; /**< CLOCK_REALTIME (ns since 1970) at base_tsc */
	uint64_t base_ntp;     /**< the same instant as an NTP timestamp */
	uint64_t mult_ns;      /**< ns per TSC tick << TWR_CLOCK_SHIFT */
	uint64_t mult_ntp;     /**< NTP units (2^-32 s) per tick << TWR_CLOCK_SHIFT */
	uint64_t gen;	       /**< publication number */
	uint16_t errest;       /**< Error Estimate, host order, Z clear */
	int16_t tai_utc;       /**< TAI - UTC, seconds */
};

/** A publication slot, on its own cache line. */
struct twr_clock_slot {
	/** Odd while the writer rewrites the slot. dp: ro (acquire), ctl: rw (release). */
	uint64_t seq;
	/** dp: ro (relaxed loads between the seq checks), ctl: rw (relaxed stores). */
	struct twr_clock_snapshot snap;
} __rte_cache_aligned;

struct twr_clock_ctl;

/** The clock. Create with twr_clock_create(); workers only read it. */
struct twr_clock {
	/** slot[gen & 1] is current. dp: ro (acquire), ctl: rw (release). */
	uint64_t gen;
	/** The control lcore's state (estimator, telemetry). ctl only; constant pointer. */
	struct twr_clock_ctl *ctl;
	struct twr_clock_slot slot[2]; /**< see struct twr_clock_slot */
};

/** What telemetry shows of the clock (twr_clock_info_get()). */
struct twr_clock_info {
	uint64_t tsc_hz;	 /**< TSC rate measured against CLOCK_MONOTONIC_RAW */
	uint64_t tsc_hz_nominal; /**< rte_get_tsc_hz() */
	double tsc_hz_ppm;	 /**< (tsc_hz - tsc_hz_nominal) / tsc_hz_nominal, in ppm */
	/** CLOCK_REALTIME's rate against CLOCK_MONOTONIC_RAW (NTP's frequency correction), ppm. */
	double realtime_ppm;
	/** CLOCK_REALTIME minus the mapping at the last update: what is slewed (or stepped). */
	int64_t last_offset_ns;
	uint64_t max_abs_offset_ns; /**< largest |last_offset_ns| since creation, steps excluded */
	uint64_t bracket_ns;	    /**< width of the tightest bracket at the last update */
	uint64_t updates;	    /**< twr_clock_update() calls that published */
	uint64_t steps;		    /**< of those, steps (offset above TWR_CLOCK_STEP_NS) */
	uint64_t last_update_unix_ns;
	uint64_t error_bound_ns; /**< the bound the Error Estimate encodes */
	long maxerror_us;	 /**< ntp_adjtime(): maximum error */
	long esterror_us;	 /**< ntp_adjtime(): estimated error */
	int ntp_state;		 /**< ntp_adjtime() return (TIME_OK .. TIME_ERROR), -1 on failure */
	int ntp_status;		 /**< ntp_adjtime(): STA_* flags */
	int tai_utc;		 /**< TAI - UTC in use */
	uint16_t errest;	 /**< the Error Estimate published */
	bool synchronized;	 /**< its S bit */
	bool pinned;		 /**< twr_clock_pin() in force */
};

/**
 * Create a clock: measure the TSC rate for TWR_CLOCK_CALIBRATION_MS
 * (the call sleeps that long), anchor to CLOCK_REALTIME, read the NTP state
 * and publish. Control lcore.
 *
 * @param socket_id  NUMA socket of the memory the workers read.
 * @return the clock, or NULL with rte_errno: ENOMEM; EIO (clock_gettime
 *   failed); ERANGE (the TSC does not advance).
 */
struct twr_clock *twr_clock_create(int socket_id);

/**
 * Free a clock. No worker may use it any more.
 * @param c  the clock; NULL does nothing.
 */
void twr_clock_free(struct twr_clock *c);

/**
 * Re-anchor to CLOCK_REALTIME, refine the rates, refresh the Error
 * Estimate and publish. The control lcore calls it about once a second
 * (more often is harmless; the rate estimates use baselines of at least
 * 100 ms whatever the call rate). Does nothing while pinned.
 *
 * @return 0; -EINVAL (NULL); -EIO (clock_gettime failed: nothing published).
 */
int twr_clock_update(struct twr_clock *c);

/**
 * Publish a fixed mapping and stop following CLOCK_REALTIME (deterministic
 * timestamps for golden-file tests and replays) until twr_clock_unpin().
 * Control lcore.
 *
 * @param c        the clock.
 * @param tsc      TSC of the anchor.
 * @param unix_ns  wall-clock time at @p tsc.
 * @param tsc_hz   TSC rate to convert with; UINT64_MAX stops the clock at
 *                 @p unix_ns (both conversions round the rate to 0).
 * @param errest   Error Estimate to publish (Z clear).
 * @return 0; -EINVAL (NULL clock, zero rate).
 */
int twr_clock_pin(struct twr_clock *c, uint64_t tsc, uint64_t unix_ns, uint64_t tsc_hz,
		  uint16_t errest);

/**
 * Follow CLOCK_REALTIME again: the next twr_clock_update() steps to it.
 * @return 0; -EINVAL.
 */
int twr_clock_unpin(struct twr_clock *c);

/**
 * Telemetry view of the clock. Any thread (a lock taken briefly by the
 * control lcore's update too; never by workers).
 *
 * @return 0; -EINVAL on a NULL argument.
 */
int twr_clock_info_get(const struct twr_clock *c, struct twr_clock_info *info);

/**
 * The TSC rate measured against CLOCK_MONOTONIC_RAW, in Hz: use it, not
 * rte_get_tsc_hz(), to turn durations into TSC ticks. Control lcore.
 *
 * @return the rate; 0 when @p c is NULL.
 */
uint64_t twr_clock_tsc_hz(const struct twr_clock *c);

/* (delta * mult) >> TWR_CLOCK_SHIFT without overflow for any delta. */
static inline uint64_t
twr_clock_scale(uint64_t delta, uint64_t mult)
{
	__extension__ typedef unsigned __int128 u128;

	return (uint64_t)(((u128)delta * mult) >> TWR_CLOCK_SHIFT);
}

/**
 * Copy the current mapping. Worker side: lock-free, wait-free unless this
 * thread stalls for a whole update period (then it retries once).
 */
static inline void
twr_clock_read(const struct twr_clock *c, struct twr_clock_snapshot *snap)
{
	for (;;) {
		uint64_t gen = __atomic_load_n(&c->gen, __ATOMIC_ACQUIRE);
		const struct twr_clock_slot *sl = &c->slot[gen & 1];
		uint64_t seq = __atomic_load_n(&sl->seq, __ATOMIC_ACQUIRE);

		snap->base_tsc = __atomic_load_n(&sl->snap.base_tsc, __ATOMIC_RELAXED);
		snap->base_unix_ns = __atomic_load_n(&sl->snap.base_unix_ns, __ATOMIC_RELAXED);
		snap->base_ntp = __atomic_load_n(&sl->snap.base_ntp, __ATOMIC_RELAXED);
		snap->mult_ns = __atomic_load_n(&sl->snap.mult_ns, __ATOMIC_RELAXED);
		snap->mult_ntp = __atomic_load_n(&sl->snap.mult_ntp, __ATOMIC_RELAXED);
		snap->gen = __atomic_load_n(&sl->snap.gen, __ATOMIC_RELAXED);
		snap->errest = __atomic_load_n(&sl->snap.errest, __ATOMIC_RELAXED);
		snap->tai_utc = __atomic_load_n(&sl->snap.tai_utc, __ATOMIC_RELAXED);
		/* The field loads above may not move below the re-check. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (likely((seq & 1) == 0 && __atomic_load_n(&sl->seq, __ATOMIC_RELAXED) == seq))
			return;
	}
}

/** Wall-clock ns (since 1970) at @p tsc, by snapshot @p s; @p tsc may precede its anchor. */
static inline uint64_t
twr_clock_snap_to_unix_ns(const struct twr_clock_snapshot *s, uint64_t tsc)
{
	if (likely(tsc >= s->base_tsc))
		return s->base_unix_ns + twr_clock_scale(tsc - s->base_tsc, s->mult_ns);
	return s->base_unix_ns - twr_clock_scale(s->base_tsc - tsc, s->mult_ns);
}

/** NTP timestamp (twr_time.h layout) at @p tsc, by snapshot @p s; wraps with the NTP era. */
static inline uint64_t
twr_clock_snap_to_ntp(const struct twr_clock_snapshot *s, uint64_t tsc)
{
	if (likely(tsc >= s->base_tsc))
		return s->base_ntp + twr_clock_scale(tsc - s->base_tsc, s->mult_ntp);
	return s->base_ntp - twr_clock_scale(s->base_tsc - tsc, s->mult_ntp);
}

/** PTPv2 truncated timestamp (TAI; RFC 8186) at @p tsc, by snapshot @p s. */
static inline uint64_t
twr_clock_snap_to_ptp(const struct twr_clock_snapshot *s, uint64_t tsc)
{
	uint64_t ns = twr_clock_snap_to_unix_ns(s, tsc);
	uint64_t sec = ns / 1000000000u + (uint64_t)(int64_t)s->tai_utc;

	return ((sec & 0xffffffffu) << 32) | (ns % 1000000000u);
}

/** Wall-clock ns (since 1970) at @p tsc. Worker side. */
static inline uint64_t
twr_clock_tsc_to_unix_ns(const struct twr_clock *c, uint64_t tsc)
{
	struct twr_clock_snapshot s;

	twr_clock_read(c, &s);
	return twr_clock_snap_to_unix_ns(&s, tsc);
}

/** NTP timestamp at @p tsc. Worker side. */
static inline uint64_t
twr_clock_tsc_to_ntp(const struct twr_clock *c, uint64_t tsc)
{
	struct twr_clock_snapshot s;

	twr_clock_read(c, &s);
	return twr_clock_snap_to_ntp(&s, tsc);
}

/** PTPv2 truncated timestamp at @p tsc. Worker side. */
static inline uint64_t
twr_clock_tsc_to_ptp(const struct twr_clock *c, uint64_t tsc)
{
	struct twr_clock_snapshot s;

	twr_clock_read(c, &s);
	return twr_clock_snap_to_ptp(&s, tsc);
}

/**
 * The current Error Estimate (host order; S per the kernel's NTP state,
 * Z clear: OR TWR_ERREST_Z in for PTP timestamps). Worker side.
 */
static inline uint16_t
twr_clock_errest(const struct twr_clock *c)
{
	struct twr_clock_snapshot s;

	twr_clock_read(c, &s);
	return s.errest;
}

#endif /* TWR_CLOCK_H */
