/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Session manager with EAL and a real session table: the test-port pool
 * (requested, alternate, exhausted), limits and policy, what ADD, START,
 * STOP and REMOVE leave in the table, REFWAIT reports, drains that outlive
 * their connection. One process (CK_NOFORK): EAL does not survive fork().
 */

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "check_main.h"
#include "twr_engine.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"
#include "twr_wire.h"

#include "mgr_fixture.h"

START_TEST(test_create_args)
{
	struct twr_session_table *t = twr_session_table_create("mgrargs", 8, 1, SOCKET_ID_ANY);

	ck_assert_ptr_nonnull(t);
	cfg_reset();
	ck_assert_ptr_null(twr_session_mgr_create(NULL, t));
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, NULL));
	mcfg.port_lo = 0;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, t));
	ck_assert_int_eq(rte_errno, EINVAL);
	cfg_reset();
	mcfg.port_hi = 19999;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, t));
	cfg_reset();
	mcfg.max_sessions = 0;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, t));
	twr_session_mgr_config_defaults(&mcfg);
	ck_assert_uint_eq(mcfg.port_lo, 20000);
	ck_assert_uint_eq(mcfg.port_hi, 20999);
	twr_session_table_free(t);
}
END_TEST

START_TEST(test_port_requested)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p;
	struct twr_session *s;
	uint8_t peer[16];

	cfg_reset();
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 20005);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_uint_eq(p.port, 20005);
	/* installed at once, PENDING, both keys */
	s = twr_session_mgr_conn_find(mc, p.sid);
	ck_assert_ptr_nonnull(s);
	expect_keys(&p, s);
	ck_assert_uint_eq(s->run_state, TWR_SESSION_PENDING);
	ck_assert_uint_eq(s->engine, TWR_ENGINE_TWAMP);
	ck_assert_uint_eq(s->dscp_policy, TWR_DSCP_FIXED);
	ck_assert_uint_eq(s->dscp, 46);
	ck_assert_uint_eq(s->padding_len, 27);
	ck_assert_uint_eq(s->modes, TWR_MODE_UNAUTHENTICATED);
	ck_assert_uint_eq(s->peer_port, 50000);
	v4mapped(peer, PEER4);
	ck_assert_bytes(s->peer_addr, peer, 16);
	ck_assert_uint_eq(twr_session_mgr_conn_nb_sessions(mc), 1);
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_ADD, &p, TWR_REASON_NONE, 0), 0);
	ck_assert_uint_eq(stats().sessions_added, 1);
	ck_assert_uint_eq(stats().ports_in_use, 1);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();
}
END_TEST

START_TEST(test_port_alternate_exhausted)
{
	struct twr_session_params p[12], q;
	struct twr_session_mgr_conn *mc;
	struct twr_session_key lk;
	struct twr_session *light;
	bool seen[10] = {false};
	unsigned int i;

	cfg_reset();
	mgr_start();
	/* a TWAMP-Light port inside the pool: never given */
	light = twr_session_table_session_alloc(tbl);
	memset(&lk, 0, sizeof(lk));
	v4mapped(lk.local_addr, LOCAL4);
	lk.local_port = 20003;
	ck_assert_int_eq(twr_session_table_add_listen(tbl, &lk, light), 0);
	twr_session_table_session_put(tbl, light);
	mc = conn_open4(PEER4);

	params4(&p[0], 50000, 20005);
	ck_assert_uint_eq(reserve(mc, &p[0]), TWR_ACCEPT_OK);
	ck_assert_uint_eq(p[0].port, 20005);
	seen[5] = true;
	/* busy: an alternate from the pool with Accept 0 */
	params4(&p[1], 50001, 20005);
	ck_assert_uint_eq(reserve(mc, &p[1]), TWR_ACCEPT_OK);
	ck_assert_uint_ne(p[1].port, 20005);
	/* outside the pool (twping asks for its own port), 862, 0: alternates */
	params4(&p[2], 50002, 8760);
	ck_assert_uint_eq(reserve(mc, &p[2]), TWR_ACCEPT_OK);
	params4(&p[3], 50003, 862);
	ck_assert_uint_eq(reserve(mc, &p[3]), TWR_ACCEPT_OK);
	params4(&p[4], 50004, 0);
	ck_assert_uint_eq(reserve(mc, &p[4]), TWR_ACCEPT_OK);
	/* the light port requested: busy */
	params4(&p[5], 50005, 20003);
	ck_assert_uint_eq(reserve(mc, &p[5]), TWR_ACCEPT_OK);
	for (i = 6; i < 9; i++) {
		params4(&p[i], (uint16_t)(50000 + i), 0);
		ck_assert_uint_eq(reserve(mc, &p[i]), TWR_ACCEPT_OK);
	}
	/* 9 sessions, 9 distinct pool ports, 20003 never */
	for (i = 1; i < 9; i++) {
		ck_assert_uint_ge(p[i].port, 20000);
		ck_assert_uint_le(p[i].port, 20009);
		ck_assert_uint_ne(p[i].port, 20003);
		ck_assert(!seen[p[i].port - 20000]);
		seen[p[i].port - 20000] = true;
	}
	ck_assert_uint_eq(stats().ports_in_use, 9);
	/* exhausted: Accept 5, nothing installed */
	params4(&q, 50100, 20001);
	ck_assert_uint_eq(reserve(mc, &q), TWR_ACCEPT_TEMPORARY);
	ck_assert_ptr_null(twr_session_mgr_conn_find(mc, q.sid));
	ck_assert_uint_eq(stats().refused_by[TWR_MGR_REFUSE_PORTS_EXHAUSTED], 1);
	ck_assert_uint_eq(twr_session_mgr_conn_nb_sessions(mc), 9);
	/* a removal gives its port back */
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_REMOVE, &p[0], TWR_REASON_REFWAIT, 0), 0);
	ck_assert_uint_eq(reserve(mc, &q), TWR_ACCEPT_OK);
	ck_assert_uint_eq(q.port, 20005);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();
}
END_TEST

START_TEST(test_any_requested_port)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p;

	cfg_reset();
	mcfg.any_requested_port = true;
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 8760);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_uint_eq(p.port, 8760);
	expect_keys(&p, twr_session_mgr_conn_find(mc, p.sid));
	/* taken now: the next request for it gets a pool port */
	params4(&p, 50001, 8760);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_uint_ge(p.port, 20000);
	/* well-known ports never */
	params4(&p, 50002, 862);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_uint_ge(p.port, 20000);
	ck_assert_uint_eq(stats().ports_in_use, 2); /* 8760 is outside the pool */
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	ck_assert_uint_eq(stats().sessions_active, 0);
	mgr_stop();
}
END_TEST

START_TEST(test_limits)
{
	struct twr_session_mgr_conn *a, *b, *c, *d = NULL;
	static const uint8_t peer2[4] = {192, 0, 2, 2};
	static const uint8_t peer3[4] = {192, 0, 2, 3};
	struct twr_session_mgr_stats st;
	struct twr_session_params p;
	struct twr_conn_addrs ca;

	cfg_reset();
	mcfg.max_sessions = 2;
	mcfg.max_conns = 3;
	mcfg.max_conns_per_source = 2;
	mgr_start();
	a = conn_open4(PEER4);
	b = conn_open4(PEER4);
	memset(&ca, 0, sizeof(ca));
	ca.ipvn = 4;
	memcpy(ca.peer, PEER4, 4);
	memcpy(ca.local, LOCAL4, 4);
	ck_assert_int_eq(twr_session_mgr_conn_open(mgr, &ca, &d), -EUSERS);
	c = conn_open4(peer2);
	memcpy(ca.peer, peer3, 4);
	ck_assert_int_eq(twr_session_mgr_conn_open(mgr, &ca, &d), -ENOSPC);
	st = stats();
	ck_assert_uint_eq(st.conns_refused[TWR_MGR_CONN_REFUSE_SOURCE_LIMIT], 1);
	ck_assert_uint_eq(st.conns_refused[TWR_MGR_CONN_REFUSE_CONN_LIMIT], 1);
	ck_assert_uint_eq(st.conns_open, 3);
	/* sessions in total, over connections */
	params4(&p, 50000, 0);
	ck_assert_uint_eq(reserve(a, &p), TWR_ACCEPT_OK);
	params4(&p, 50001, 0);
	ck_assert_uint_eq(reserve(c, &p), TWR_ACCEPT_OK);
	params4(&p, 50002, 0);
	ck_assert_uint_eq(reserve(b, &p), TWR_ACCEPT_TEMPORARY);
	ck_assert_uint_eq(stats().refused_by[TWR_MGR_REFUSE_SESSION_LIMIT], 1);
	/* a closed connection frees its place (and its sessions) */
	twr_session_mgr_conn_close(mgr, a, TWR_REASON_PEER_CLOSED);
	ck_assert_int_eq(twr_session_mgr_conn_open(mgr, &ca, &d), 0);
	ck_assert_uint_eq(reserve(b, &p), TWR_ACCEPT_OK);
	st = stats();
	ck_assert_uint_eq(st.conns_opened, 4);
	ck_assert_uint_eq(st.conns_closed[TWR_REASON_PEER_CLOSED], 1);
	/* a's session was still held: removed by the close, counted */
	ck_assert_uint_eq(st.sessions_removed[TWR_REASON_LOCAL_CLOSE], 1);
	twr_session_mgr_conn_close(mgr, b, TWR_REASON_PEER_CLOSED);
	twr_session_mgr_conn_close(mgr, c, TWR_REASON_PEER_CLOSED);
	twr_session_mgr_conn_close(mgr, d, TWR_REASON_PEER_CLOSED);
	ck_assert_uint_eq(stats().conns_open, 0);
	ck_assert_uint_eq(stats().sessions_active, 0);
	mgr_stop();
}
END_TEST

START_TEST(test_policy)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p;
	struct twr_session_key k;
	struct twr_session *s;

	cfg_reset();
	mcfg.sender_peer_only = true;
	v4mapped(mcfg.addrs[0], LOCAL4);
	mcfg.nb_addrs = 1;
	mgr_start();
	mc = conn_open4(PEER4);
	/* a Sender Address other than the control peer: refused by policy */
	params4(&p, 50000, 0);
	memcpy(p.sender_addr, OTHER4, 4);
	p.sender_not_peer = true;
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_FAILURE);
	ck_assert_uint_eq(stats().refused_by[TWR_MGR_REFUSE_SENDER_NOT_PEER], 1);
	/* a Receiver Address not ours (DNAT in front): the connection's local address */
	params4(&p, 50001, 20001);
	memcpy(p.receiver_addr, OTHER4, 4);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_bytes(p.receiver_addr, LOCAL4, 4);
	s = twr_session_mgr_conn_find(mc, p.sid);
	exact_key(&k, &p);
	ck_assert_ptr_eq(twr_session_table_find_exact(tbl, &k), s);
	ck_assert_uint_eq(stats().receiver_not_local, 1);
	/* ... but not across families */
	params4(&p, 50002, 0);
	p.ipvn = 6;
	memset(p.receiver_addr, 0x20, 16);
	memset(p.sender_addr, 0, 16);
	memcpy(p.sender_addr, PEER4, 4);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_FAILURE);
	ck_assert_uint_eq(stats().refused_by[TWR_MGR_REFUSE_RECEIVER_NOT_LOCAL], 1);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();

	/* the default: accepted, the data plane then sees the NAT signature */
	cfg_reset();
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 0);
	memcpy(p.sender_addr, OTHER4, 4);
	p.sender_not_peer = true;
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();
}
END_TEST

START_TEST(test_actions)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_mgr_stats st;
	struct twr_session_params p;
	struct twr_session *s;
	uint64_t hz = rte_get_tsc_hz(), t0, t1, now;

	cfg_reset();
	mcfg.vlan = 100;
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 20002);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	s = twr_session_mgr_conn_find(mc, p.sid);
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_ADD, &p, TWR_REASON_NONE, 0), 0);
	expect_keys(&p, s);
	ck_assert_uint_eq(s->run_state, TWR_SESSION_PENDING);
	ck_assert_int_eq(twr_session_check_run(s, rte_rdtsc()), TWR_DP_REASON_SESSION_NOT_STARTED);
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_START, &p, TWR_REASON_NONE, 0), 0);
	ck_assert_uint_eq(s->run_state, TWR_SESSION_STARTED);
	ck_assert_int_eq(twr_session_check_run(s, rte_rdtsc()), TWR_DP_OK);
	/* STOP: reflect until the deadline, converted to TSC ticks */
	now = mono_ns();
	t0 = rte_rdtsc();
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_STOP, &p, TWR_REASON_NONE, now + 2 * S), 0);
	t1 = rte_rdtsc();
	ck_assert_uint_eq(s->run_state, TWR_SESSION_STOPPING);
	ck_assert_uint_ge(s->expire_tsc, t0 + 2 * hz - hz / 100);
	ck_assert_uint_le(s->expire_tsc, t1 + 2 * hz + hz / 100);
	ck_assert_int_eq(twr_session_check_run(s, s->expire_tsc - 1), TWR_DP_OK);
	ck_assert_int_eq(twr_session_check_run(s, s->expire_tsc), TWR_DP_REASON_SESSION_EXPIRED);
	/* REMOVE after the drain: both keys gone, the port free */
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_REMOVE, &p, TWR_REASON_DRAINED, 0), 0);
	expect_keys(&p, NULL);
	ck_assert_ptr_null(twr_session_mgr_conn_find(mc, p.sid));
	st = stats();
	ck_assert_uint_eq(st.sessions_started, 1);
	ck_assert_uint_eq(st.sessions_stopped, 1);
	ck_assert_uint_eq(st.sessions_removed[TWR_REASON_DRAINED], 1);
	ck_assert_uint_eq(st.sessions_active, 0);
	ck_assert_uint_eq(st.ports_in_use, 0);
	/* an action for a SID the connection does not hold */
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_START, &p, TWR_REASON_NONE, 0), -ENOENT);
	ck_assert_uint_eq(stats().unknown_sid, 1);
	ck_assert_int_eq(act(mc, TWR_ACT_TIMER, &p, TWR_REASON_NONE, 0), 0);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();
}
END_TEST

START_TEST(test_drain_outlives_connection)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p, q;
	struct twr_session *s;

	cfg_reset();
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 20001);
	params4(&q, 50001, 20002);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	ck_assert_uint_eq(reserve(mc, &q), TWR_ACCEPT_OK);
	act(mc, TWR_ACT_SESSION_START, &p, TWR_REASON_NONE, 0);
	act(mc, TWR_ACT_SESSION_START, &q, TWR_REASON_NONE, 0);
	act(mc, TWR_ACT_SESSION_STOP, &p, TWR_REASON_NONE, mono_ns() + 200 * MS);
	s = twr_session_mgr_conn_find(mc, p.sid);
	/* the connection ends: the started session goes now, the stopped one drains */
	act(mc, TWR_ACT_SESSION_REMOVE, &p, TWR_REASON_PEER_CLOSED, 0);
	act(mc, TWR_ACT_SESSION_REMOVE, &q, TWR_REASON_PEER_CLOSED, 0);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	expect_keys(&q, NULL);
	expect_keys(&p, s);
	ck_assert_uint_eq(s->run_state, TWR_SESSION_STOPPING);
	ck_assert_int_eq(twr_session_mgr_poll(mgr), 0);
	ck_assert_uint_eq(stats().sessions_deferred, 1);
	ck_assert_uint_eq(stats().ports_in_use, 1);
	ck_assert_uint_eq(stats().sessions_removed[TWR_REASON_PEER_CLOSED], 2);
	rte_delay_us_sleep(250 * 1000);
	ck_assert_int_eq(twr_session_mgr_poll(mgr), 1);
	expect_keys(&p, NULL);
	ck_assert_uint_eq(stats().sessions_deferred, 0);
	ck_assert_uint_eq(stats().ports_in_use, 0);
	mgr_stop();
}
END_TEST

/* ---- with the real state machine ---- */

static void
drain_actions(struct twr_session_mgr_conn *mc, struct twr_server_conn *c, uint64_t now)
{
	struct twr_server_action a;

	while (twr_server_conn_action_pop(c, &a) == 0)
		twr_session_mgr_apply(mgr, mc, &a, now);
}

static void
feed(struct twr_server_conn *c, const uint8_t *m, size_t len, uint64_t now)
{
	ck_assert_int_eq(twr_server_conn_input(c, m, len, now, 0xe8fe6f8500000000ull), 0);
}

START_TEST(test_refwait)
{
	struct twr_server_config scfg;
	struct twr_session_mgr_conn *mc;
	struct twr_server_conn *c;
	struct twr_request_session r;
	struct twr_accept_session acc;
	struct twr_conn_addrs a;
	struct twr_session *s;
	const uint8_t *out;
	uint8_t m[TWR_SETUP_RESPONSE_LEN] = {0};
	uint8_t req[TWR_REQUEST_TW_SESSION_LEN], start[32] = {TWR_CMD_START_SESSIONS};
	uint64_t now = mono_ns(), hz = rte_get_tsc_hz();
	size_t n;

	cfg_reset();
	mgr_start();
	twr_server_config_defaults(&scfg);
	scfg.refwait_ns = 10 * S;
	memset(&a, 0, sizeof(a));
	a.ipvn = 4;
	memcpy(a.peer, PEER4, 4);
	memcpy(a.local, LOCAL4, 4);
	ck_assert_int_eq(twr_session_mgr_conn_open(mgr, &a, &mc), 0);
	c = twr_server_conn_create(&scfg, twr_session_mgr_server_ops(), mc, &a, now);
	ck_assert_ptr_nonnull(c);
	twr_session_mgr_conn_attach(mc, c);
	twr_put_be32(m, TWR_MODE_UNAUTHENTICATED);
	feed(c, m, sizeof(m), now);
	/* Sender and Receiver Address 0 (twping -Z): the connection's */
	memset(&r, 0, sizeof(r));
	r.ipvn = 4;
	r.sender_port = 50000;
	r.receiver_port = 20004;
	r.padding_length = 27;
	r.timeout = 1ull << 32;
	ck_assert_int_eq(twr_request_session_encode(&r, req, sizeof(req)), 112);
	feed(c, req, sizeof(req), now);
	drain_actions(mc, c, now);
	n = twr_server_conn_tx_peek(c, &out);
	ck_assert_uint_eq(n, 64 + 48 + 48);
	ck_assert_int_eq(twr_accept_session_decode(out + 112, 48, &acc), 0);
	ck_assert_uint_eq(acc.accept, 0);
	ck_assert_uint_eq(acc.port, 20004);
	twr_server_conn_tx_consume(c, n);
	s = twr_session_mgr_conn_find(mc, acc.sid);
	ck_assert_ptr_nonnull(s);
	feed(c, start, sizeof(start), now);
	drain_actions(mc, c, now);
	ck_assert_uint_eq(s->run_state, TWR_SESSION_STARTED);
	ck_assert_uint_eq(twr_server_conn_deadline(c), now + 10 * S);
	/* no packet: nothing to report */
	ck_assert_int_eq(twr_session_mgr_conn_refwait(mgr, mc, now + 3 * S), 0);
	/* a packet reflected "now" (3 s later): REFWAIT runs from it */
	s->stats.last_rx_tsc = rte_rdtsc();
	ck_assert_int_eq(twr_session_mgr_conn_refwait(mgr, mc, now + 3 * S), 1);
	drain_actions(mc, c, now + 3 * S);
	ck_assert_uint_ge(twr_server_conn_deadline(c), now + 13 * S - 10 * MS);
	ck_assert_uint_le(twr_server_conn_deadline(c), now + 13 * S);
	ck_assert_int_eq(twr_session_mgr_conn_refwait(mgr, mc, now + 4 * S), 0);
	/* a packet 2 s before the report: its own time counts */
	s->stats.last_rx_tsc = rte_rdtsc() - 2 * hz;
	ck_assert_int_eq(twr_session_mgr_conn_refwait(mgr, mc, now + 6 * S), 1);
	ck_assert_uint_ge(twr_server_conn_deadline(c), now + 14 * S - 10 * MS);
	ck_assert_uint_le(twr_server_conn_deadline(c), now + 14 * S + 10 * MS);
	ck_assert_uint_eq(stats().refwait_reports, 2);
	/* silence: REFWAIT removes it */
	twr_server_conn_timer(c, now + 30 * S);
	drain_actions(mc, c, now + 30 * S);
	ck_assert_ptr_null(twr_session_mgr_conn_find(mc, acc.sid));
	ck_assert_uint_eq(stats().sessions_removed[TWR_REASON_REFWAIT], 1);
	ck_assert_uint_eq(stats().sessions_active, 0);
	ck_assert_uint_eq(stats().requests, 1);
	ck_assert_uint_eq(stats().accepted, 1);
	twr_server_conn_eof(c, now + 31 * S);
	drain_actions(mc, c, now + 31 * S);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	twr_server_conn_destroy(c);
	/* folded into the totals after the close */
	ck_assert_uint_eq(stats().requests, 1);
	mgr_stop();
}
END_TEST

static Suite *
session_mgr_suite(void)
{
	Suite *s = suite_create("session_mgr");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_args);
	tcase_add_test(tc, test_port_requested);
	tcase_add_test(tc, test_port_alternate_exhausted);
	tcase_add_test(tc, test_any_requested_port);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_actions);
	tcase_add_test(tc, test_drain_outlives_connection);
	tcase_add_test(tc, test_refwait);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return mgr_fixture_main(session_mgr_suite, "twr-ctl-session-mgr");
}
