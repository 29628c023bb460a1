/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <stddef.h>

#include "twr_time.h"

#define TWO32 (1ull << 32)

/* ns (< 10^9) to a 2^-32 s fraction, rounded to nearest; may return 2^32. */
static uint64_t
frac_from_ns(uint64_t ns)
{
	return (ns * TWO32 + TWR_NS_PER_SEC / 2) / TWR_NS_PER_SEC;
}

/* 2^-32 s fraction to ns, rounded to nearest, so that a round trip is exact. */
static uint64_t
frac_to_ns(uint32_t frac)
{
	return ((uint64_t)frac * TWR_NS_PER_SEC + TWO32 / 2) >> 32;
}

/* ns to (seconds << 32 | fraction), the seconds kept modulo 2^32. */
static uint64_t
ntp_split_ns(uint64_t ns)
{
	uint64_t sec = ns / TWR_NS_PER_SEC;
	uint64_t frac = frac_from_ns(ns % TWR_NS_PER_SEC);

	if (frac == TWO32) {
		sec++;
		frac = 0;
	}
	return sec << 32 | frac;
}

uint64_t
twr_ntp_duration_from_ns(uint64_t ns)
{
	if (ns / TWR_NS_PER_SEC >= UINT32_MAX)
		return UINT64_MAX;
	return ntp_split_ns(ns);
}

uint64_t
twr_ntp_duration_to_ns(uint64_t ntp)
{
	uint64_t sec = ntp >> 32;

	/* 2^32 s is 1.8e19 ns: saturate rather than wrap. */
	if (sec > (UINT64_MAX - TWR_NS_PER_SEC) / TWR_NS_PER_SEC)
		return UINT64_MAX;
	return sec * TWR_NS_PER_SEC + frac_to_ns((uint32_t)ntp);
}

uint64_t
twr_ntp_from_unix_ns(uint64_t unix_ns)
{
	/*
	 * Seconds since 1900 modulo 2^32: after 2036-02-07 the field wraps
	 * into NTP era 1, which is what goes on the wire.
	 */
	return ntp_split_ns(unix_ns) + ((uint64_t)TWR_NTP_UNIX_OFFSET << 32);
}

uint64_t
twr_ntp_from_timespec(const struct timespec *ts)
{
	return twr_ntp_from_unix_ns((uint64_t)ts->tv_sec * TWR_NS_PER_SEC + (uint64_t)ts->tv_nsec);
}

int64_t
twr_ntp_diff_ns(uint64_t a, uint64_t b)
{
	/* Two's complement of the 64-bit difference: right across the wrap. */
	int64_t d = (int64_t)(a - b);
	uint64_t mag = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	uint64_t ns = (mag >> 32) * TWR_NS_PER_SEC + frac_to_ns((uint32_t)mag);

	return d < 0 ? -(int64_t)ns : (int64_t)ns;
}

uint64_t
twr_ntp_to_unix_ns(uint64_t ntp, uint64_t pivot_unix_ns)
{
	uint64_t pivot = twr_ntp_from_unix_ns(pivot_unix_ns);
	int64_t delta = twr_ntp_diff_ns(ntp, pivot);

	/* The instant closest to the pivot: the difference is taken mod 2^64. */
	if (delta < 0 && (uint64_t)-delta > pivot_unix_ns)
		return 0;
	return pivot_unix_ns + (uint64_t)delta;
}

void
twr_ntp_to_timespec(uint64_t ntp, uint64_t pivot_unix_ns, struct timespec *ts)
{
	uint64_t ns = twr_ntp_to_unix_ns(ntp, pivot_unix_ns);

	ts->tv_sec = (time_t)(ns / TWR_NS_PER_SEC);
	ts->tv_nsec = (long)(ns % TWR_NS_PER_SEC);
}

uint64_t
twr_ptp_from_unix_ns(uint64_t unix_ns, int tai_utc)
{
	uint64_t sec = unix_ns / TWR_NS_PER_SEC + (uint64_t)(int64_t)tai_utc;

	return (sec & 0xffffffffu) << 32 | unix_ns % TWR_NS_PER_SEC;
}

int
twr_ptp_to_unix_ns(uint64_t ptp, int tai_utc, uint64_t *unix_ns)
{
	uint32_t ns = (uint32_t)ptp;
	int64_t sec = (int64_t)(ptp >> 32) - tai_utc;

	if (unix_ns == NULL)
		return -EINVAL;
	if (ns >= TWR_NS_PER_SEC)
		return -ERANGE;
	if (sec < 0)
		return -ERANGE;
	*unix_ns = (uint64_t)sec * TWR_NS_PER_SEC + ns;
	return 0;
}

int
twr_ptp_to_ntp(uint64_t ptp, int tai_utc, uint64_t *ntp)
{
	uint64_t ns;
	int ret;

	if (ntp == NULL)
		return -EINVAL;
	ret = twr_ptp_to_unix_ns(ptp, tai_utc, &ns);
	if (ret < 0)
		return ret;
	*ntp = twr_ntp_from_unix_ns(ns);
	return 0;
}

int64_t
twr_ptp_diff_ns(uint64_t a, uint64_t b)
{
	/* The seconds field wraps in 2106; subtract it as a signed 32-bit delta. */
	int64_t dsec = (int32_t)((uint32_t)(a >> 32) - (uint32_t)(b >> 32));

	return dsec * (int64_t)TWR_NS_PER_SEC + (int64_t)(uint32_t)a - (int64_t)(uint32_t)b;
}
