/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* Error Estimate: digest §7.2 vectors, never under-reporting, Multiplier 0. */

#include <errno.h>
#include <stdint.h>

#include "check_main.h"
#include "twr_errest.h"

START_TEST(errest_vectors_7_2)
{
	ck_assert_uint_eq(twr_errest_encode(1000, true, false), 0x8587);	/* 1 us */
	ck_assert_uint_eq(twr_errest_encode(1000000, true, false), 0x8f84);	/* 1 ms */
	ck_assert_uint_eq(twr_errest_encode(10000000, false, false), 0x12a4);	/* 10 ms */
	ck_assert_uint_eq(twr_errest_encode(1000000000, false, false), 0x1980); /* 1 s */
}
END_TEST

START_TEST(errest_z_bit)
{
	ck_assert_uint_eq(twr_errest_encode(1000, true, true), 0xc587);
	ck_assert_uint_eq(twr_errest_encode(1000, false, true), 0x4587);
}
END_TEST

START_TEST(errest_zero_bound_has_multiplier_one)
{
	ck_assert_uint_eq(twr_errest_encode(0, false, false), 0x0001);
}
END_TEST

START_TEST(errest_decode_fields)
{
	struct twr_errest e;

	ck_assert_int_eq(twr_errest_decode(0x8587, &e), 0);
	ck_assert(e.synchronized);
	ck_assert(!e.ptp);
	ck_assert_uint_eq(e.scale, 5);
	ck_assert_uint_eq(e.multiplier, 135);
	ck_assert_uint_eq(e.error_ns, 1006); /* 1005.83 ns rounded up */
	ck_assert_int_eq(twr_errest_decode(0x1980, &e), 0);
	ck_assert(!e.synchronized);
	ck_assert_uint_eq(e.error_ns, 1000000000);
	ck_assert_int_eq(twr_errest_decode(0x4001, &e), 0);
	ck_assert(e.ptp);
	ck_assert_uint_eq(e.error_ns, 1); /* 0.23 ns rounded up */
	/* Scale 63, Multiplier 255: far beyond 2^64 ns, saturates. */
	ck_assert_int_eq(twr_errest_decode(0x3fff, &e), 0);
	ck_assert_uint_eq(e.error_ns, UINT64_MAX);
}
END_TEST

START_TEST(errest_multiplier_zero_is_an_error)
{
	struct twr_errest e;

	ck_assert_int_eq(twr_errest_decode(0x8500, &e), -ERANGE);
	ck_assert_uint_eq(e.multiplier, 0);
	ck_assert_uint_eq(e.scale, 5);
	ck_assert_int_eq(twr_errest_decode(0x0000, &e), -ERANGE);
	ck_assert_int_eq(twr_errest_decode(0x8587, NULL), -EINVAL);
}
END_TEST

START_TEST(errest_never_under_reports)
{
	struct twr_errest e;
	uint64_t ns;

	/* Across 19 decades, and at every power of two boundary. */
	for (ns = 1; ns < UINT64_MAX / 3; ns = ns * 3 + 1) {
		uint16_t f = twr_errest_encode(ns, false, false);

		ck_assert_int_eq(twr_errest_decode(f, &e), 0);
		ck_assert_msg(e.error_ns >= ns, "%lu ns encoded as %04x = %lu ns",
			      (unsigned long)ns, f, (unsigned long)e.error_ns);
		/* Smallest Scale: one less would need a Multiplier > 255. */
		if (e.scale > 0)
			ck_assert_uint_gt(e.multiplier, 127);
	}
	ck_assert_int_eq(twr_errest_decode(twr_errest_encode(UINT64_MAX, false, false), &e), 0);
	ck_assert_uint_eq(e.error_ns, UINT64_MAX);
}
END_TEST

static Suite *
errest_suite(void)
{
	Suite *s = suite_create("errest");
	TCase *tc = tcase_create("errest");

	tcase_add_test(tc, errest_vectors_7_2);
	tcase_add_test(tc, errest_z_bit);
	tcase_add_test(tc, errest_zero_bound_has_multiplier_one);
	tcase_add_test(tc, errest_decode_fields);
	tcase_add_test(tc, errest_multiplier_zero_is_an_error);
	tcase_add_test(tc, errest_never_under_reports);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(errest_suite)
