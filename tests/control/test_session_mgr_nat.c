/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The session manager's NAT work with a real table: the policy per client
 * prefix, what a latch-policy session carries to the data plane, the
 * latched tuple added to the exact table and removed with the session,
 * the diagnosis (twr_nat_diag.h: its words, its rate limit), the NAT
 * history of ended sessions and the totals. The data plane's side is
 * played with twr_nat_foreign()/twr_nat_latch()/twr_nat_account() on
 * hand-made packets (tests/dataplane/test_worker.c runs the real loop).
 */

#include "mgr_fixture.h"
#include "twr_engine.h"
#include "twr_nat.h"
#include "twr_nat_diag.h"

/* A packet of the session's data plane, from @p src:@p port, received now. */
static void
pkt_from(struct twr_dp_pkt *pkt, const uint8_t src[4], uint16_t port)
{
	memset(pkt, 0, sizeof(*pkt));
	v4mapped(pkt->info.src_addr, src);
	pkt->info.src_port = port;
	pkt->rx_tsc = rte_rdtsc();
}

struct collect {
	struct twr_nat_info info[8];
	unsigned int n;
};

static int
collect_cb(const struct twr_nat_info *info, void *arg)
{
	struct collect *c = arg;

	if (c->n < RTE_DIM(c->info))
		c->info[c->n] = *info;
	c->n++;
	return 0;
}

START_TEST(test_nat_policy_per_prefix)
{
	static const uint8_t inside[4] = {192, 0, 2, 7};
	uint8_t a[16];

	cfg_reset();
	/* 192.0.2.0/24 latch, but 192.0.2.1/32 strict: the longest prefix wins */
	v4mapped(mcfg.nat_rules[0].prefix, inside);
	mcfg.nat_rules[0].plen = 96 + 24;
	mcfg.nat_rules[0].policy = TWR_NAT_LATCH;
	v4mapped(mcfg.nat_rules[1].prefix, PEER4);
	mcfg.nat_rules[1].plen = 96 + 32;
	mcfg.nat_rules[1].policy = TWR_NAT_STRICT;
	mcfg.nb_nat_rules = 2;
	mgr_start();
	v4mapped(a, PEER4);
	ck_assert_uint_eq(twr_session_mgr_nat_policy_for(mgr, a), TWR_NAT_STRICT);
	v4mapped(a, inside);
	ck_assert_uint_eq(twr_session_mgr_nat_policy_for(mgr, a), TWR_NAT_LATCH);
	v4mapped(a, OTHER4);
	ck_assert_uint_eq(twr_session_mgr_nat_policy_for(mgr, a), TWR_NAT_STRICT);
	mgr_stop();

	/* bad NAT configuration is refused */
	cfg_reset();
	mgr_start();
	mcfg.latch_len4 = 33;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, tbl));
	ck_assert_int_eq(rte_errno, EINVAL);
	cfg_reset();
	mcfg.nb_nat_rules = 1;
	mcfg.nat_rules[0].plen = 129;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, tbl));
	cfg_reset();
	mcfg.nat_policy = 2;
	ck_assert_ptr_null(twr_session_mgr_create(&mcfg, tbl));
	mgr_stop();
}
END_TEST

START_TEST(test_nat_latch_session_lifecycle)
{
	static const uint8_t mask24[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	static const uint8_t neighbour[4] = {192, 0, 2, 77}; /* same /24 as the peer */
	static const uint8_t stranger[4] = {198, 18, 3, 1};
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p;
	struct twr_session_key k;
	struct twr_nat_totals t;
	struct twr_dp_pkt pkt;
	struct twr_session *s;
	struct collect c;
	char line[512];
	uint64_t hz = rte_get_tsc_hz(), t0, t1;
	uint8_t allow[16];

	cfg_reset();
	mcfg.nat_policy = TWR_NAT_LATCH;
	mcfg.latch_len4 = 24;
	mcfg.latch_window_ns = 2 * S;
	mgr_start();
	mc = conn_open4(PEER4);
	/* the client behind the NAT names its private address */
	params4(&p, 50000, 20003);
	memcpy(p.sender_addr, OTHER4, 4);
	p.sender_not_peer = true;
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	s = twr_session_mgr_conn_find(mc, p.sid);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_PENDING);
	v4mapped(allow, PEER4);
	allow[15] = 0;
	ck_assert_bytes(s->nat.allow_addr, allow, 16);
	ck_assert_bytes(s->nat.allow_mask, mask24, 16);
	ck_assert_uint_eq(s->nat.latch_deadline_tsc, 0);
	/* before Start-Sessions: not started, no latch */
	pkt_from(&pkt, PEER4, 40001);
	ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_REASON_SESSION_NOT_STARTED);
	ck_assert_uint_eq(pkt.foreign, 1);
	/* START opens the window: now + 2 s in TSC ticks */
	t0 = rte_rdtsc();
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_START, &p, TWR_REASON_NONE, 0), 0);
	t1 = rte_rdtsc();
	ck_assert_uint_ge(s->nat.latch_deadline_tsc, t0 + 2 * hz - hz / 100);
	ck_assert_uint_le(s->nat.latch_deadline_tsc, t1 + 2 * hz + hz / 100);
	/* a stranger is refused; the peer's /24 neighbour would be allowed ... */
	pkt_from(&pkt, stranger, 5000);
	ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_REASON_LATCH_REFUSED);
	twr_nat_account(s, TWR_DP_REASON_LATCH_REFUSED, &pkt);
	/* diagnosed as another host, not as the client's NAT */
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 1);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(twr_session_mgr_nat_foreach(mgr, false, collect_cb, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.info[0].state, TWR_NAT_STATE_PENDING);
	ck_assert_uint_eq(c.info[0].cause, TWR_NAT_CAUSE_OTHER_HOST);
	twr_nat_info_explain(line, sizeof(line), &c.info[0]);
	ck_assert_str_eq(line, "NAT: session 1 (control peer 192.0.2.1): requested sender "
			       "203.0.113.9:50000, observed 198.18.3.1:5000 (address and port "
			       "changed): neither the requested sender nor the control peer: "
			       "another host, or a NAT pool; policy latch: not latched, packets "
			       "dropped");
	pkt_from(&pkt, neighbour, 5000);
	ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_OK);
	/* ... but is late after the window */
	pkt.rx_tsc = s->nat.latch_deadline_tsc + 1;
	ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_REASON_LATCH_LATE);
	/* the NAT's tuple latches */
	pkt_from(&pkt, PEER4, 40001);
	ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_OK);
	ck_assert_int_eq(twr_nat_latch(&pkt, s), TWR_DP_OK);
	ck_assert_uint_eq(pkt.foreign, 0);
	ck_assert_int_eq(twr_nat_latch(&pkt, s), TWR_DP_REASON_SOURCE_MISMATCH); /* once */
	ck_assert(twr_nat_source_ok(s, &pkt.info));
	/* the control loop sees it: logged once, the latched tuple in the exact table */
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 1);
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 0);
	exact_key(&k, &p);
	v4mapped(k.remote_addr, PEER4);
	k.remote_port = 40001;
	ck_assert_ptr_eq(twr_session_table_find_exact(tbl, &k), s);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(twr_session_mgr_nat_foreach(mgr, false, collect_cb, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.info[0].state, TWR_NAT_STATE_LATCHED);
	ck_assert_uint_eq(c.info[0].cause, TWR_NAT_CAUSE_PORT_REWRITING);
	ck_assert_uint_eq(c.info[0].policy, TWR_NAT_LATCH);
	ck_assert(c.info[0].live);
	ck_assert(c.info[0].sender_not_peer);
	ck_assert_uint_eq(c.info[0].latched.port, 40001);
	ck_assert_uint_eq(c.info[0].requested.port, 50000);
	ck_assert_uint_eq(c.info[0].latch_refused, 1);
	ck_assert_uint_ne(c.info[0].latched.unix_ns, 0);
	ck_assert_uint_eq(c.info[0].id, 1);
	/* REMOVE takes the latched key too; the session goes to the history */
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_REMOVE, &p, TWR_REASON_PEER_CLOSED, 0), 0);
	ck_assert_ptr_null(twr_session_table_find_exact(tbl, &k));
	expect_keys(&p, NULL);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(twr_session_mgr_nat_foreach(mgr, true, collect_cb, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert(!c.info[0].live);
	ck_assert_uint_eq(c.info[0].state, TWR_NAT_STATE_LATCHED);
	ck_assert_int_eq(twr_session_mgr_nat_totals(mgr, &t), 0);
	ck_assert_uint_eq(t.latched, 1);
	ck_assert_uint_eq(t.latch_refused, 1);
	ck_assert_uint_eq(t.sessions_mismatch, 1); /* the stranger, not answered */
	ck_assert_uint_eq(t.mismatch[TWR_NAT_KIND_BOTH], 1);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	mgr_stop();
}
END_TEST

START_TEST(test_nat_strict_mismatch_diagnosis)
{
	struct twr_session_mgr_conn *mc;
	struct twr_session_params p;
	struct twr_nat_totals t;
	struct twr_dp_pkt pkt;
	struct twr_session *s;
	struct collect c;
	char line[512];
	unsigned int i;

	cfg_reset();
	mgr_start();
	mc = conn_open4(PEER4);
	params4(&p, 50000, 20004);
	memcpy(p.sender_addr, OTHER4, 4);
	ck_assert_uint_eq(reserve(mc, &p), TWR_ACCEPT_OK);
	s = twr_session_mgr_conn_find(mc, p.sid);
	ck_assert_uint_eq(s->latch_state, TWR_LATCH_NONE);
	ck_assert_int_eq(act(mc, TWR_ACT_SESSION_START, &p, TWR_REASON_NONE, 0), 0);
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 0); /* nothing seen yet */
	/* an address-only NAT: the port kept, the address the peer's */
	for (i = 0; i < 3; i++) {
		pkt_from(&pkt, PEER4, 50000);
		ck_assert(!twr_nat_source_ok(s, &pkt.info));
		ck_assert_int_eq(twr_nat_foreign(&pkt, s), TWR_DP_REASON_SOURCE_MISMATCH);
		twr_nat_account(s, TWR_DP_REASON_SOURCE_MISMATCH, &pkt);
	}
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 1);
	ck_assert_int_eq(twr_session_mgr_nat_poll(mgr), 0); /* one line per session */
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(twr_session_mgr_nat_foreach(mgr, false, collect_cb, &c), 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.info[0].state, TWR_NAT_STATE_NONE);
	ck_assert_uint_eq(c.info[0].cause, TWR_NAT_CAUSE_ADDRESS_ONLY);
	ck_assert_uint_eq(c.info[0].mismatch[TWR_NAT_KIND_ADDR], 3);
	ck_assert_uint_eq(c.info[0].rx, 3);
	ck_assert_uint_eq(c.info[0].reflected, 0);
	ck_assert_uint_le(c.info[0].first.unix_ns, c.info[0].last.unix_ns);
	twr_nat_info_explain(line, sizeof(line), &c.info[0]);
	ck_assert_str_eq(line, "NAT: session 1 (control peer 192.0.2.1): requested sender "
			       "203.0.113.9:50000, observed 192.0.2.1:50000 (address changed): "
			       "likely address-only NAT; policy strict: packets dropped (see "
			       "docs/nat.md)");
	ck_assert_int_eq(twr_session_mgr_nat_totals(mgr, &t), 0);
	ck_assert_uint_eq(t.sessions_mismatch, 1);
	ck_assert_uint_eq(t.mismatch[TWR_NAT_KIND_ADDR], 3);
	ck_assert_uint_eq(t.latched, 0);
	twr_session_mgr_conn_close(mgr, mc, TWR_REASON_PEER_CLOSED);
	/* the totals survive the session */
	ck_assert_int_eq(twr_session_mgr_nat_totals(mgr, &t), 0);
	ck_assert_uint_eq(t.mismatch[TWR_NAT_KIND_ADDR], 3);
	mgr_stop();
}
END_TEST

START_TEST(test_nat_diag_words_and_rate_limit)
{
	struct twr_ratelimit rl;
	uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8};
	uint64_t sup = 99, hz = 1000;
	char buf[64];

	v4mapped(a, PEER4);
	twr_nat_tuple_fmt(buf, sizeof(buf), a, 40001);
	ck_assert_str_eq(buf, "192.0.2.1:40001");
	memset(a, 0, sizeof(a));
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[15] = 1;
	twr_nat_tuple_fmt(buf, sizeof(buf), a, 862);
	ck_assert_str_eq(buf, "[2001:db8::1]:862");
	ck_assert_str_eq(twr_nat_policy_name(TWR_NAT_LATCH), "latch");
	ck_assert_str_eq(twr_nat_state_name(TWR_NAT_STATE_EXPIRED), "expired");
	ck_assert_str_eq(twr_nat_cause_name(TWR_NAT_CAUSE_PORT_REWRITING), "port-rewriting-nat");
	ck_assert_str_eq(twr_nat_cause_name(9), "unknown");
	ck_assert_int_eq(twr_nat_policy_parse("strict"), TWR_NAT_STRICT);
	ck_assert_int_eq(twr_nat_policy_parse("loose"), -EINVAL);
	/* 1 line a second, bursts of 2 (a 1000 Hz "TSC") */
	twr_ratelimit_init(&rl, 1, 2, hz);
	ck_assert(twr_ratelimit_allow(&rl, 5000, &sup));
	ck_assert_uint_eq(sup, 0);
	ck_assert(twr_ratelimit_allow(&rl, 5000, &sup));
	ck_assert(!twr_ratelimit_allow(&rl, 5001, &sup));
	ck_assert(!twr_ratelimit_allow(&rl, 5999, &sup));
	ck_assert(twr_ratelimit_allow(&rl, 6000, &sup));
	ck_assert_uint_eq(sup, 2);
	ck_assert(!twr_ratelimit_allow(&rl, 6000, &sup));
}
END_TEST

static Suite *
session_mgr_nat_suite(void)
{
	Suite *s = suite_create("session_mgr_nat");
	TCase *tc = tcase_create("nat");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_nat_policy_per_prefix);
	tcase_add_test(tc, test_nat_latch_session_lifecycle);
	tcase_add_test(tc, test_nat_strict_mismatch_diagnosis);
	tcase_add_test(tc, test_nat_diag_words_and_rate_limit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return mgr_fixture_main(session_mgr_nat_suite, "twr-ctl-session-mgr-nat");
}
