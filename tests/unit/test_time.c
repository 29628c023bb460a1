/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* NTP and PTPv2 timestamps: digest §7.1 and §7.12 vectors, the 2036 wrap. */

#include <errno.h>
#include <stdint.h>

#include "check_main.h"
#include "twr_time.h"
#include "twr_wire.h"

#define NS(s, frac_ns) ((uint64_t)(s)*TWR_NS_PER_SEC + (frac_ns))
/* 2036-02-07 06:28:16 UTC: the NTP seconds field wraps to 0. */
#define ERA1_UNIX 2085978496ull

START_TEST(ntp_vectors_7_1)
{
	static const uint8_t v0[8] = {0x83, 0xaa, 0x7e, 0x80, 0, 0, 0, 0};
	static const uint8_t v1[8] = {0xe8, 0xfe, 0x6f, 0x80, 0x80, 0, 0, 0};
	static const uint8_t v2[8] = {0xe8, 0xfe, 0x6f, 0x80, 0x1f, 0x9a, 0xdd, 0x37};
	uint8_t out[8];

	twr_put_be64(out, twr_ntp_from_unix_ns(0));
	ck_assert_bytes(out, v0, 8);
	twr_put_be64(out, twr_ntp_from_unix_ns(NS(1700000000, 500000000)));
	ck_assert_bytes(out, v1, 8);
	twr_put_be64(out, twr_ntp_from_unix_ns(NS(1700000000, 123456789)));
	ck_assert_bytes(out, v2, 8);
}
END_TEST

START_TEST(ntp_timespec_round_trip)
{
	struct timespec ts = {.tv_sec = 1700000000, .tv_nsec = 123456789}, back;
	uint64_t ntp = twr_ntp_from_timespec(&ts);

	ck_assert_uint_eq(ntp, 0xe8fe6f801f9add37ull);
	twr_ntp_to_timespec(ntp, NS(1700000000, 0), &back);
	ck_assert_int_eq(back.tv_sec, 1700000000);
	ck_assert_int_eq(back.tv_nsec, 123456789);
}
END_TEST

START_TEST(ntp_round_trip_every_ns_pattern)
{
	/* Rounding to nearest both ways makes ns -> NTP -> ns exact (2^-32 s < 1 ns). */
	uint64_t ns;

	for (ns = 0; ns < TWR_NS_PER_SEC; ns += 999983)
		ck_assert_uint_eq(twr_ntp_to_unix_ns(twr_ntp_from_unix_ns(NS(1700000000, ns)),
						     NS(1700000000, 0)),
				  NS(1700000000, ns));
	ck_assert_uint_eq(twr_ntp_to_unix_ns(twr_ntp_from_unix_ns(NS(1700000000, 999999999)),
					     NS(1700000000, 0)),
			  NS(1700000000, 999999999));
}
END_TEST

START_TEST(ntp_fraction_of_last_ns)
{
	/* 999999999 ns = 4294967291.7 units, rounded to nearest; never carries. */
	ck_assert_uint_eq(twr_ntp_duration_from_ns(NS(1, 999999999)), 0x00000001fffffffcull);
	ck_assert_uint_eq(twr_ntp_from_unix_ns(NS(0, 999999999)), 0x83aa7e80fffffffcull);
	ck_assert_uint_eq(twr_ntp_duration_to_ns(0x00000001ffffffffull), NS(2, 0));
}
END_TEST

START_TEST(ntp_era_wrap_2036)
{
	uint64_t before = twr_ntp_from_unix_ns(NS(ERA1_UNIX - 1, 250000000));
	uint64_t after = twr_ntp_from_unix_ns(NS(ERA1_UNIX, 500000000));

	ck_assert_uint_eq(before, 0xffffffff40000000ull);
	ck_assert_uint_eq(after, 0x0000000080000000ull);
	ck_assert_int_eq(twr_ntp_diff_ns(after, before), 1250000000);
	ck_assert_int_eq(twr_ntp_diff_ns(before, after), -1250000000);
	/* Absolute conversion picks the era closest to the pivot. */
	ck_assert_uint_eq(twr_ntp_to_unix_ns(after, NS(ERA1_UNIX - 10, 0)),
			  NS(ERA1_UNIX, 500000000));
	ck_assert_uint_eq(twr_ntp_to_unix_ns(before, NS(ERA1_UNIX + 10, 0)),
			  NS(ERA1_UNIX - 1, 250000000));
	/* ...and era 0 for a 1970-era pivot. */
	ck_assert_uint_eq(twr_ntp_to_unix_ns(0x83aa7e8000000000ull, NS(1700000000, 0)), 0);
}
END_TEST

START_TEST(ntp_diff_small_and_sub_ns)
{
	uint64_t t1 = twr_ntp_from_unix_ns(NS(1700000010, 250000000));
	uint64_t t4 = twr_ntp_from_unix_ns(NS(1700000010, 250001234));

	ck_assert_int_eq(twr_ntp_diff_ns(t4, t1), 1234);
	ck_assert_int_eq(twr_ntp_diff_ns(t1, t4), -1234);
	ck_assert_int_eq(twr_ntp_diff_ns(t1, t1), 0);
}
END_TEST

START_TEST(ntp_before_1970_clamps_to_zero)
{
	/* 100 s before 1970, with a pivot 10 s after: not representable. */
	ck_assert_uint_eq(twr_ntp_to_unix_ns(0x83aa7e1c00000000ull, NS(10, 0)), 0);
	/* NTP 0 is 1900 in era 0 but 2036 in era 1: the latter is closer. */
	ck_assert_uint_eq(twr_ntp_to_unix_ns(0, NS(10, 0)), NS(ERA1_UNIX, 0));
}
END_TEST

START_TEST(ntp_duration)
{
	/* Request-TW-Session Timeout of digest §7.6: 3.0 s. */
	ck_assert_uint_eq(twr_ntp_duration_from_ns(NS(3, 0)), 0x0000000300000000ull);
	ck_assert_uint_eq(twr_ntp_duration_to_ns(0x0000000300000000ull), NS(3, 0));
	ck_assert_uint_eq(twr_ntp_duration_to_ns(0x0000000080000000ull), 500000000);
	/* Saturation instead of wrap: 2^32 - 1 s is 4.29e18 ns, representable. */
	ck_assert_uint_eq(twr_ntp_duration_to_ns(0xffffffff00000000ull),
			  4294967295ull * 1000000000ull);
	ck_assert_uint_eq(twr_ntp_duration_from_ns(UINT64_MAX), UINT64_MAX);
}
END_TEST

START_TEST(ptp_vector_7_12)
{
	static const uint8_t want[8] = {0x65, 0x53, 0xf1, 0x25, 0x1d, 0xcd, 0x65, 0x00};
	uint8_t out[8];
	uint64_t ptp = twr_ptp_from_unix_ns(NS(1700000000, 500000000), 37);
	uint64_t ns, ntp;

	twr_put_be64(out, ptp);
	ck_assert_bytes(out, want, 8);
	ck_assert_int_eq(twr_ptp_to_unix_ns(ptp, 37, &ns), 0);
	ck_assert_uint_eq(ns, NS(1700000000, 500000000));
	ck_assert_int_eq(twr_ptp_to_ntp(ptp, 37, &ntp), 0);
	ck_assert_uint_eq(ntp, 0xe8fe6f8080000000ull);
}
END_TEST

START_TEST(ptp_refuses_bad_nanoseconds)
{
	uint64_t ns = 7, ntp = 7;

	ck_assert_int_eq(twr_ptp_to_unix_ns(0x6553f1253b9aca00ull, 37, &ns), -ERANGE);
	ck_assert_uint_eq(ns, 7);
	ck_assert_int_eq(twr_ptp_to_ntp(0x6553f125ffffffffull, 37, &ntp), -ERANGE);
	ck_assert_int_eq(twr_ptp_to_unix_ns(0, 37, &ns), -ERANGE); /* before 1970 UTC */
	ck_assert_int_eq(twr_ptp_to_unix_ns(0, 37, NULL), -EINVAL);
	ck_assert_int_eq(twr_ptp_to_ntp(0, 37, NULL), -EINVAL);
}
END_TEST

START_TEST(ptp_diff)
{
	uint64_t a = twr_ptp_from_unix_ns(NS(1700000000, 100), 37);
	uint64_t b = twr_ptp_from_unix_ns(NS(1699999999, 999999900), 37);

	ck_assert_int_eq(twr_ptp_diff_ns(a, b), 200);
	ck_assert_int_eq(twr_ptp_diff_ns(b, a), -200);
	/* Across the 2106 wrap of the 32-bit seconds. */
	ck_assert_int_eq(twr_ptp_diff_ns(0x0000000000000064ull, 0xffffffff3b9ac9ffull), 101);
}
END_TEST

static Suite *
time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("ntp_ptp");

	tcase_add_test(tc, ntp_vectors_7_1);
	tcase_add_test(tc, ntp_timespec_round_trip);
	tcase_add_test(tc, ntp_round_trip_every_ns_pattern);
	tcase_add_test(tc, ntp_fraction_of_last_ns);
	tcase_add_test(tc, ntp_era_wrap_2036);
	tcase_add_test(tc, ntp_diff_small_and_sub_ns);
	tcase_add_test(tc, ntp_before_1970_clamps_to_zero);
	tcase_add_test(tc, ntp_duration);
	tcase_add_test(tc, ptp_vector_7_12);
	tcase_add_test(tc, ptp_refuses_bad_nanoseconds);
	tcase_add_test(tc, ptp_diff);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(time_suite)
