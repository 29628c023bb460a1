/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The session manager's test fixture, shared by test_session_mgr.c and
 * test_session_mgr_nat.c: a real session table and manager under EAL,
 * IPv4 connections and requests, the table's view of a session.
 */

#ifndef TWR_TEST_MGR_FIXTURE_H
#define TWR_TEST_MGR_FIXTURE_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "check_eal_main.h"
#include "check_main.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"

#define S  1000000000ull
#define MS 1000000ull

static const uint8_t PEER4[4] = {192, 0, 2, 1};
static const uint8_t LOCAL4[4] = {198, 51, 100, 2};
static const uint8_t OTHER4[4] = {203, 0, 113, 9};

static struct twr_session_table *tbl;
static struct twr_session_mgr *mgr;
static struct twr_session_mgr_config mcfg;
static unsigned int table_seq;
static uint8_t sid_seq;

static inline uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * S + (uint64_t)ts.tv_nsec;
}

static inline void
v4mapped(uint8_t a[16], const uint8_t v4[4])
{
	memset(a, 0, 16);
	a[10] = 0xff;
	a[11] = 0xff;
	memcpy(a + 12, v4, 4);
}

/* A fresh table and manager with cfg changed by the test before mgr_start(). */
static inline void
cfg_reset(void)
{
	twr_session_mgr_config_defaults(&mcfg);
	mcfg.port_lo = 20000;
	mcfg.port_hi = 20009;
	mcfg.tsc_hz = rte_get_tsc_hz();
}

static inline void
mgr_start(void)
{
	char name[16];

	snprintf(name, sizeof(name), "mgr%u", table_seq++);
	tbl = twr_session_table_create(name, 64, 1, SOCKET_ID_ANY);
	ck_assert_msg(tbl != NULL, "table: %s", rte_strerror(rte_errno));
	mgr = twr_session_mgr_create(&mcfg, tbl);
	ck_assert_ptr_nonnull(mgr);
}

static inline void
mgr_stop(void)
{
	twr_session_mgr_free(mgr);
	twr_session_table_free(tbl);
	mgr = NULL;
	tbl = NULL;
}

static inline struct twr_session_mgr_conn *
conn_open4(const uint8_t peer[4])
{
	struct twr_session_mgr_conn *mc = NULL;
	struct twr_conn_addrs a;

	memset(&a, 0, sizeof(a));
	a.ipvn = 4;
	memcpy(a.peer, peer, 4);
	memcpy(a.local, LOCAL4, 4);
	a.peer_port = 40000;
	a.local_port = 862;
	ck_assert_int_eq(twr_session_mgr_conn_open(mgr, &a, &mc), 0);
	return mc;
}

static inline void
params4(struct twr_session_params *p, uint16_t sender_port, uint16_t requested)
{
	memset(p, 0, sizeof(*p));
	p->sid[0] = 0x5a;
	p->sid[15] = ++sid_seq;
	p->ipvn = 4;
	memcpy(p->sender_addr, PEER4, 4);
	memcpy(p->receiver_addr, LOCAL4, 4);
	p->sender_port = sender_port;
	p->requested_port = requested;
	p->port = requested;
	p->padding_length = 27;
	p->timeout_ns = 2 * S;
	p->dscp = 46;
	p->modes = TWR_MODE_UNAUTHENTICATED;
}

static inline uint8_t
reserve(struct twr_session_mgr_conn *mc, struct twr_session_params *p)
{
	return twr_session_mgr_server_ops()->reserve(mc, p);
}

static inline void
exact_key(struct twr_session_key *k, const struct twr_session_params *p)
{
	memset(k, 0, sizeof(*k));
	v4mapped(k->local_addr, p->receiver_addr);
	v4mapped(k->remote_addr, p->sender_addr);
	k->local_port = p->port;
	k->remote_port = p->sender_port;
	k->vlan = mcfg.vlan;
}

/* Both keys of @p p lead to @p s (or are absent when s is NULL). */
static inline void
expect_keys(const struct twr_session_params *p, const struct twr_session *s)
{
	struct twr_session_key k, lk;

	exact_key(&k, p);
	twr_session_key_to_listen(&k, &lk);
	ck_assert_ptr_eq(twr_session_table_find_exact(tbl, &k), s);
	ck_assert_ptr_eq(twr_session_table_find_listen(tbl, &lk), s);
}

static inline int
act(struct twr_session_mgr_conn *mc, enum twr_server_action_type type,
    const struct twr_session_params *p, enum twr_server_reason reason, uint64_t deadline_ns)
{
	struct twr_server_action a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.reason = reason;
	a.deadline_ns = deadline_ns;
	a.params = *p;
	return twr_session_mgr_apply(mgr, mc, &a, mono_ns());
}

static inline struct twr_session_mgr_stats
stats(void)
{
	struct twr_session_mgr_stats st;

	ck_assert_int_eq(twr_session_mgr_stats_get(mgr, &st), 0);
	return st;
}

static inline int
mgr_fixture_main(Suite *(*suite)(void), const char *file_prefix)
{
	return twr_check_eal_main(suite, file_prefix);
}

#endif /* TWR_TEST_MGR_FIXTURE_H */
