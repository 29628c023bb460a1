/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Light/STAMP ports at run time (twr_light_ports.h) on a real
 * session table: one listen entry per address, the port entry's
 * configuration, allow-lists republished as new entries, refusals.
 */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "check_eal_main.h"
#include "check_main.h"
#include "twr_engine.h"
#include "twr_light_ports.h"
#include "twr_session.h"
#include "twr_session_table.h"

static const uint8_t A4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2};
static const uint8_t A6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t NET4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 7, 0};
static const uint8_t IN4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 7, 9};
static const uint8_t OUT4[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 8, 9};

static struct twr_session_table *t;
static struct twr_light_ports *lp;

static struct twr_session *
listen_of(const uint8_t addr[16], uint16_t port)
{
	struct twr_session_key k;

	memset(&k, 0, sizeof(k));
	memcpy(k.local_addr, addr, 16);
	k.local_port = port;
	k.vlan = 7;
	return twr_session_table_find_listen(t, &k);
}

static void
setup(void)
{
	const uint8_t addrs[2][16] = {
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 18, 0, 2},
		{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
	};

	t = twr_session_table_create("lports", 64, 1, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(t);
	lp = twr_light_ports_create(t, addrs, 2, 7);
	ck_assert_ptr_nonnull(lp);
}

static void
teardown(void)
{
	twr_light_ports_free(lp);
	twr_session_table_free(t);
}

START_TEST(add_lists_every_address_and_refuses_duplicates)
{
	struct twr_light_port_info li;
	struct twr_session *s4, *s6;

	setup();
	ck_assert_int_eq(twr_light_ports_add(lp, 862, TWR_ENGINE_LIGHT, false), 0);
	ck_assert_int_eq(twr_light_ports_add(lp, 863, TWR_ENGINE_STAMP, true), 0);
	s4 = listen_of(A4, 863);
	s6 = listen_of(A6, 863);
	ck_assert_ptr_nonnull(s4);
	ck_assert_ptr_eq(s4, s6); /* one entry for every address */
	ck_assert_uint_eq(s4->engine, TWR_ENGINE_STAMP);
	ck_assert_uint_eq(s4->flags, TWR_SESSION_F_STATEFUL);
	ck_assert_uint_eq(s4->run_state, TWR_SESSION_STARTED);
	ck_assert_ptr_null(s4->allow);
	ck_assert_int_eq(twr_light_ports_add(lp, 863, TWR_ENGINE_LIGHT, false), -EEXIST);
	ck_assert_int_eq(twr_light_ports_add(lp, 0, TWR_ENGINE_LIGHT, false), -EINVAL);
	ck_assert_int_eq(twr_light_ports_add(lp, 864, TWR_ENGINE_TWAMP, false), -EINVAL);
	ck_assert_uint_eq(twr_light_ports_count(lp), 2);
	ck_assert_int_eq(twr_light_ports_get(lp, 1, &li), 0);
	ck_assert_uint_eq(li.port, 863);
	ck_assert(li.stateful);
	ck_assert_int_eq(twr_light_ports_get(lp, 2, &li), -ENOENT);
	/* removed: its keys are gone at once */
	ck_assert_int_eq(twr_light_ports_del(lp, 862), 0);
	ck_assert_ptr_null(listen_of(A4, 862));
	ck_assert_ptr_null(listen_of(A6, 862));
	ck_assert_int_eq(twr_light_ports_del(lp, 862), -ENOENT);
	ck_assert_uint_eq(twr_light_ports_count(lp), 1);
	teardown();
}
END_TEST

START_TEST(a_session_port_is_busy)
{
	struct twr_session_key k;
	struct twr_session *s;

	setup();
	s = twr_session_table_session_alloc(t);
	ck_assert_ptr_nonnull(s);
	memset(&k, 0, sizeof(k));
	memcpy(k.local_addr, A6, 16);
	k.local_port = 20000;
	k.vlan = 7;
	ck_assert_int_eq(twr_session_table_add_listen(t, &k, s), 0);
	ck_assert_int_eq(twr_light_ports_add(lp, 20000, TWR_ENGINE_LIGHT, false), -EBUSY);
	ck_assert_ptr_null(listen_of(A4, 20000));
	teardown();
}
END_TEST

START_TEST(allow_list_republishes_the_port)
{
	struct twr_light_port_info li;
	struct twr_session *before, *after;

	setup();
	ck_assert_int_eq(twr_light_ports_add(lp, 862, TWR_ENGINE_LIGHT, true), 0);
	ck_assert_int_eq(twr_light_ports_allow_add(lp, 999, NET4, 96 + 24), -ENOENT);
	before = listen_of(A4, 862);
	ck_assert_int_eq(twr_light_ports_allow_add(lp, 862, NET4, 96 + 24), 0);
	after = listen_of(A4, 862);
	ck_assert_ptr_ne(after, before); /* a new entry, the old one retired */
	ck_assert_ptr_eq(listen_of(A6, 862), after);
	ck_assert_uint_eq(after->flags, TWR_SESSION_F_STATEFUL);
	ck_assert_ptr_nonnull(after->allow);
	ck_assert_uint_eq(after->allow->n, 1);
	ck_assert(twr_allow_match(after->allow, IN4));
	ck_assert(!twr_allow_match(after->allow, OUT4));
	ck_assert(!twr_allow_match(after->allow, A6));
	ck_assert_int_eq(twr_light_ports_allow_add(lp, 862, NET4, 96 + 24), -EEXIST);
	ck_assert_int_eq(twr_light_ports_allow_add(lp, 862, A6, 129), -EINVAL);
	ck_assert_int_eq(twr_light_ports_get(lp, 0, &li), 0);
	ck_assert_uint_eq(li.nb_allow, 1);
	ck_assert_uint_eq(li.allow_len[0], 96 + 24);
	/* the last prefix removed: any source again */
	ck_assert_int_eq(twr_light_ports_allow_del(lp, 862, OUT4, 96 + 24), -ENXIO);
	ck_assert_int_eq(twr_light_ports_allow_del(lp, 862, NET4, 96 + 24), 0);
	ck_assert_ptr_null(listen_of(A4, 862)->allow);
	ck_assert_int_eq(twr_light_ports_get(lp, 0, &li), 0);
	ck_assert_uint_eq(li.nb_allow, 0);
	teardown();
}
END_TEST

static Suite *
light_ports_suite(void)
{
	Suite *s = suite_create("light_ports");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, add_lists_every_address_and_refuses_duplicates);
	tcase_add_test(tc, a_session_port_is_busy);
	tcase_add_test(tc, allow_list_republishes_the_port);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return twr_check_eal_main(light_ports_suite, "twr-ctl-light-ports");
}
