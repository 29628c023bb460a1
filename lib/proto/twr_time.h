/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TIME_H
#define TWR_TIME_H

/**
 * @file
 * NTP 64-bit and PTPv2-truncated timestamps (RFC 4656 §4.1.2, RFC 8186,
 * RFC 8877; digest §1.1, §5.1).
 *
 * A timestamp is held in host order in a uint64_t: seconds in the upper
 * 32 bits, fraction (NTP, units of 2^-32 s) or nanoseconds (PTP) in the
 * lower 32. Differences are taken modulo 2^64 so that they stay right
 * across the NTP era wrap of 2036-02-07.
 */

#include <stdint.h>
#include <time.h>

/** Seconds from 1900-01-01 to 1970-01-01. */
#define TWR_NTP_UNIX_OFFSET 2208988800u
#define TWR_NS_PER_SEC	    1000000000ull

/**
 * Clock @p id now, in nanoseconds (CLOCK_MONOTONIC for time spans,
 * CLOCK_REALTIME for Unix time).
 */
static inline uint64_t
twr_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * TWR_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/**
 * Convert Unix time in nanoseconds to an NTP timestamp.
 * The fraction is rounded to nearest; the seconds wrap into NTP era 1 after
 * 2036 as the wire format requires.
 */
uint64_t twr_ntp_from_unix_ns(uint64_t unix_ns);

/** Convert a struct timespec (Unix time) to an NTP timestamp, see twr_ntp_from_unix_ns(). */
uint64_t twr_ntp_from_timespec(const struct timespec *ts);

/**
 * Convert an NTP timestamp to Unix nanoseconds.
 *
 * The 32-bit seconds field is ambiguous across eras; the result is the
 * instant closest to @p pivot_unix_ns (within ±68 years), typically "now".
 *
 * @return Unix time in ns; 0 when the result would precede 1970.
 */
uint64_t twr_ntp_to_unix_ns(uint64_t ntp, uint64_t pivot_unix_ns);

/**
 * Convert an NTP timestamp to a struct timespec (see twr_ntp_to_unix_ns()).
 */
void twr_ntp_to_timespec(uint64_t ntp, uint64_t pivot_unix_ns, struct timespec *ts);

/**
 * Signed difference @p a - @p b of two NTP timestamps in nanoseconds,
 * computed modulo 2^64 so that it is right across the 2036 wrap, provided
 * the true difference is within ±68 years.
 */
int64_t twr_ntp_diff_ns(uint64_t a, uint64_t b);

/** NTP-format duration (e.g. Request-TW-Session Timeout) to ns, saturating. */
uint64_t twr_ntp_duration_to_ns(uint64_t ntp_duration);

/** Duration in ns to NTP format (fraction rounded to nearest). */
uint64_t twr_ntp_duration_from_ns(uint64_t ns);

/**
 * Convert Unix (UTC) nanoseconds to a PTPv2-truncated timestamp
 * (seconds since 1970 TAI, nanoseconds).
 *
 * @param unix_ns  UTC time in ns.
 * @param tai_utc  TAI - UTC in seconds (37 since 2017).
 */
uint64_t twr_ptp_from_unix_ns(uint64_t unix_ns, int tai_utc);

/**
 * Convert a PTPv2-truncated timestamp to Unix (UTC) nanoseconds.
 *
 * @return 0 on success; -ERANGE when the nanoseconds field is >= 10^9
 *   (not a valid PTP timestamp); -EINVAL when @p unix_ns is NULL.
 */
int twr_ptp_to_unix_ns(uint64_t ptp, int tai_utc, uint64_t *unix_ns);

/**
 * Convert a PTPv2-truncated timestamp to NTP format (RFC 8186 §5.1),
 * so that delays mixing both formats are computed in one.
 *
 * @return 0, or -ERANGE for an invalid nanoseconds field, -EINVAL for NULL.
 */
int twr_ptp_to_ntp(uint64_t ptp, int tai_utc, uint64_t *ntp);

/**
 * Signed difference @p a - @p b of two PTP timestamps in ns (modulo the
 * 32-bit seconds field, like twr_ntp_diff_ns()). Nanoseconds fields are
 * assumed valid.
 */
int64_t twr_ptp_diff_ns(uint64_t a, uint64_t b);

#endif /* TWR_TIME_H */
