/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* Per-lcore flows of stateful Light/STAMP ports: creation, reuse, full, expiry. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "check_eal_main.h"
#include "check_main.h"
#include "twr_engine.h"
#include "twr_flow_cache.h"

#define IDLE 1000u

static struct twr_session port_entry;

static void
make_key(struct twr_session_key *k, uint16_t sport)
{
	memset(k, 0, sizeof(*k));
	k->local_addr[10] = 0xff;
	k->local_addr[11] = 0xff;
	k->local_addr[12] = 198;
	k->local_addr[13] = 18;
	k->local_addr[15] = 2;
	memcpy(k->remote_addr, k->local_addr, 16);
	k->remote_addr[15] = 1;
	k->local_port = 862;
	k->remote_port = sport;
}

static void
setup_port(void)
{
	memset(&port_entry, 0, sizeof(port_entry));
	port_entry.engine = TWR_ENGINE_STAMP;
	port_entry.flags = TWR_SESSION_F_STATEFUL;
	port_entry.dscp = 10;
	port_entry.tx_seq = 77; /* never copied: a flow starts at 0 */
	port_entry.run_state = TWR_SESSION_STARTED;
}

START_TEST(flow_created_from_port_and_reused)
{
	struct twr_flow_cache fc;
	struct twr_session_key k;
	struct twr_session *f, *g;

	setup_port();
	ck_assert_int_eq(twr_flow_cache_init(&fc, "fc_reuse", 8, IDLE, SOCKET_ID_ANY), 0);
	make_key(&k, 40000);
	f = twr_flow_cache_get(&fc, &k, &port_entry);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->tx_seq, 0);
	ck_assert_uint_eq(f->engine, TWR_ENGINE_STAMP);
	ck_assert_uint_eq(f->dscp, 10);
	ck_assert_uint_eq(f->peer_port, 40000);
	ck_assert_mem_eq(f->peer_addr, k.remote_addr, 16);
	f->tx_seq = 5;
	g = twr_flow_cache_get(&fc, &k, &port_entry);
	ck_assert_ptr_eq(f, g);
	ck_assert_uint_eq(g->tx_seq, 5);
	ck_assert_uint_eq(fc.created, 1);
	twr_flow_cache_fini(&fc);
}
END_TEST

START_TEST(flow_table_full_refuses_new_flows)
{
	struct twr_flow_cache fc;
	struct twr_session_key k;
	uint16_t i;

	setup_port();
	ck_assert_int_eq(twr_flow_cache_init(&fc, "fc_full", 8, IDLE, SOCKET_ID_ANY), 0);
	for (i = 0; i < 8; i++) {
		make_key(&k, (uint16_t)(40000 + i));
		ck_assert_ptr_nonnull(twr_flow_cache_get(&fc, &k, &port_entry));
	}
	make_key(&k, 40008);
	ck_assert_ptr_null(twr_flow_cache_get(&fc, &k, &port_entry));
	/* Existing flows are still found. */
	make_key(&k, 40003);
	ck_assert_ptr_nonnull(twr_flow_cache_get(&fc, &k, &port_entry));
	ck_assert_uint_eq(fc.created, 8);
	twr_flow_cache_fini(&fc);
}
END_TEST

START_TEST(idle_flows_expire_and_restart_at_zero)
{
	struct twr_flow_cache fc;
	struct twr_session_key k1, k2;
	struct twr_session *f1, *f2;

	setup_port();
	ck_assert_int_eq(twr_flow_cache_init(&fc, "fc_expire", 8, IDLE, SOCKET_ID_ANY), 0);
	make_key(&k1, 40000);
	make_key(&k2, 40001);
	f1 = twr_flow_cache_get(&fc, &k1, &port_entry);
	f2 = twr_flow_cache_get(&fc, &k2, &port_entry);
	f1->stats.last_rx_tsc = 10000;
	f2->stats.last_rx_tsc = 10900;
	f1->tx_seq = 3;
	/* At 11000: f1 idle 1000 (not more than IDLE), f2 idle 100: both kept. */
	ck_assert_uint_eq(twr_flow_cache_expire(&fc, 11000, 8), 0);
	/* At 11001, a scan of 8 entries reclaims f1 only. */
	ck_assert_uint_eq(twr_flow_cache_expire(&fc, 11001, 8), 1);
	ck_assert_uint_eq(fc.expired, 1);
	f1 = twr_flow_cache_get(&fc, &k1, &port_entry);
	ck_assert_uint_eq(f1->tx_seq, 0);
	ck_assert_uint_eq(f1->stats.last_rx_tsc, 0);
	ck_assert_uint_eq(fc.created, 3);
	/* The scan is bounded: a budget of 1 looks at one entry. */
	f2->stats.last_rx_tsc = 0;
	f1->stats.last_rx_tsc = 0;
	ck_assert_uint_le(twr_flow_cache_expire(&fc, 1000000, 1), 1);
	twr_flow_cache_fini(&fc);
}
END_TEST

START_TEST(init_refuses_bad_arguments)
{
	struct twr_flow_cache fc;

	ck_assert_int_eq(twr_flow_cache_init(&fc, "fc_bad", 7, IDLE, SOCKET_ID_ANY), -EINVAL);
	ck_assert_int_eq(twr_flow_cache_init(NULL, "fc_bad", 8, IDLE, SOCKET_ID_ANY), -EINVAL);
}
END_TEST

static Suite *
flow_cache_suite(void)
{
	Suite *s = suite_create("flow_cache");
	TCase *tc = tcase_create("flow_cache");

	tcase_add_test(tc, flow_created_from_port_and_reused);
	tcase_add_test(tc, flow_table_full_refuses_new_flows);
	tcase_add_test(tc, idle_flows_expire_and_restart_at_zero);
	tcase_add_test(tc, init_refuses_bad_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	char prefix[64];
	char *eal_args[] = {
		(char *)(uintptr_t) "test-dp-flow-cache",
		(char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",
		(char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "256",
		(char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",
		(char *)(uintptr_t) "lib.eal:error",
		prefix,
	};

	snprintf(prefix, sizeof(prefix), "--file-prefix=twr-flow-%d", (int)getpid());
	return twr_check_eal_run((int)RTE_DIM(eal_args), eal_args, flow_cache_suite, NULL);
}
