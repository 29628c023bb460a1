/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The test-port pool (no EAL): take, give, per-address ranges, search with
 * wrap-around and a usable() filter, full bitmap words skipped, exhaustion.
 */

#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "twr_port_pool.h"

static const uint8_t A1[16] = {[10] = 0xff, [11] = 0xff, 198, 51, 100, 2};
static const uint8_t A2[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

static bool
not_odd(uint16_t port, void *arg)
{
	unsigned int *calls = arg;

	(*calls)++;
	return port % 2 == 0;
}

START_TEST(test_create)
{
	struct twr_port_pool *p;

	ck_assert_ptr_null(twr_port_pool_create(0, 10));
	ck_assert_ptr_null(twr_port_pool_create(11, 10));
	p = twr_port_pool_create(65535, 65535);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(twr_port_pool_size(p), 1);
	ck_assert(twr_port_pool_contains(p, 65535));
	ck_assert(!twr_port_pool_contains(p, 65534));
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 0, NULL, NULL), 65535);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 65535), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 0, NULL, NULL), 0);
	twr_port_pool_free(p);
	twr_port_pool_free(NULL);
}
END_TEST

START_TEST(test_take_give)
{
	struct twr_port_pool *p = twr_port_pool_create(20000, 20009);

	ck_assert_int_eq(twr_port_pool_take(p, A1, 20005), 0);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 20005), -EEXIST);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 19999), -ERANGE);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 20010), -ERANGE);
	ck_assert(twr_port_pool_taken(p, A1, 20005));
	/* each address has the whole range */
	ck_assert(!twr_port_pool_taken(p, A2, 20005));
	ck_assert_int_eq(twr_port_pool_take(p, A2, 20005), 0);
	ck_assert_uint_eq(twr_port_pool_used(p), 2);
	twr_port_pool_give(p, A1, 20005);
	twr_port_pool_give(p, A1, 20005); /* twice: nothing */
	twr_port_pool_give(p, A1, 30000);
	ck_assert(!twr_port_pool_taken(p, A1, 20005));
	ck_assert_uint_eq(twr_port_pool_used(p), 1);
	twr_port_pool_free(p);
}
END_TEST

START_TEST(test_find)
{
	struct twr_port_pool *p = twr_port_pool_create(20000, 20009);
	unsigned int calls = 0, i;

	/* from the start-th port, wrapping */
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 7, NULL, NULL), 20007);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 20007), 0);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 20008), 0);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 20009), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 7, NULL, NULL), 20000);
	/* the filter is asked only about ports not given */
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 9, not_odd, &calls), 20000);
	ck_assert_uint_eq(calls, 1);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 1, not_odd, &calls), 20002);
	for (i = 0; i < 7; i++)
		twr_port_pool_take(p, A1, (uint16_t)(20000 + i));
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 3, NULL, NULL), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A2, 3, NULL, NULL), 20003);
	twr_port_pool_free(p);
}
END_TEST

START_TEST(test_find_full_words)
{
	/* 200 ports: three full words and a partial one */
	struct twr_port_pool *p = twr_port_pool_create(1000, 1199);
	unsigned int i;

	for (i = 0; i < 200; i++)
		if (i != 130 && i != 199)
			ck_assert_int_eq(twr_port_pool_take(p, A1, (uint16_t)(1000 + i)), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 0, NULL, NULL), 1130);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 131, NULL, NULL), 1199);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 199, NULL, NULL), 1199);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 1199), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 150, NULL, NULL), 1130);
	ck_assert_int_eq(twr_port_pool_take(p, A1, 1130), 0);
	ck_assert_uint_eq(twr_port_pool_find(p, A1, 64, NULL, NULL), 0);
	twr_port_pool_free(p);
}
END_TEST

START_TEST(test_max_addrs)
{
	struct twr_port_pool *p = twr_port_pool_create(20000, 20000);
	uint8_t a[16] = {0};
	unsigned int i;

	for (i = 0; i < TWR_PORT_POOL_MAX_ADDRS; i++) {
		a[15] = (uint8_t)i;
		ck_assert_int_eq(twr_port_pool_take(p, a, 20000), 0);
	}
	a[15] = 0xff;
	ck_assert_int_eq(twr_port_pool_take(p, a, 20000), -ENOSPC);
	/* a search on an address with no bitmap sees every port free */
	ck_assert_uint_eq(twr_port_pool_find(p, a, 0, NULL, NULL), 20000);
	twr_port_pool_free(p);
}
END_TEST

static Suite *
port_pool_suite(void)
{
	Suite *s = suite_create("port_pool");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_create);
	tcase_add_test(tc, test_take_give);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_find_full_words);
	tcase_add_test(tc, test_max_addrs);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(port_pool_suite)
