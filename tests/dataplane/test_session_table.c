/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Session table with EAL: exact and listen lookups, errors, bulk lookups
 * of mixed bursts, deletion under RCU with a reader lcore, one million
 * sessions. Runs in one process (CK_NOFORK): EAL's lcore threads do not
 * survive fork().
 */

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "check_eal_main.h"
#include "twr_session_table.h"

#define POISON 0xa5

static unsigned int reader_lcore = RTE_MAX_LCORE;

/* Release callback: count, and poison so that a use after free shows. */
struct release_log {
	unsigned int calls;
	struct twr_session *last;
};

static void
on_release(struct twr_session *s, void *arg)
{
	struct release_log *log = arg;

	__atomic_fetch_add(&log->calls, 1, __ATOMIC_RELAXED);
	log->last = s;
	memset(s, POISON, sizeof(*s));
}

static unsigned int
released(const struct release_log *log)
{
	return __atomic_load_n(&log->calls, __ATOMIC_RELAXED);
}

static void
v4mapped(uint8_t a[16], uint32_t host)
{
	memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

/* Key number @p i: 198.18.0.1:862x <- 198.18/15 host i, port by i. */
static void
make_key(struct twr_session_key *k, uint32_t i, uint16_t vlan)
{
	memset(k, 0, sizeof(*k));
	v4mapped(k->local_addr, 0xc6120001u);
	v4mapped(k->remote_addr, 0xc6120000u + (i & 0x1ffffu));
	k->local_port = 8620;
	k->remote_port = (uint16_t)(10000 + (i >> 17));
	k->vlan = vlan;
}

static struct twr_session *
new_session(struct twr_session_table *t, uint16_t tag)
{
	struct twr_session *s = twr_session_table_session_alloc(t);

	ck_assert_ptr_nonnull(s);
	s->ssid = tag;
	s->padding_len = (uint16_t)~tag;
	s->run_state = TWR_SESSION_STARTED;
	return s;
}

static struct twr_session_table *
table_new(const char *name, uint32_t max, struct release_log *log)
{
	struct twr_session_table *t = twr_session_table_create(name, max, 2, SOCKET_ID_ANY);

	ck_assert_msg(t != NULL, "create %s: %s", name, rte_strerror(rte_errno));
	if (log != NULL) {
		memset(log, 0, sizeof(*log));
		twr_session_table_set_release_cb(t, on_release, log);
	}
	return t;
}

START_TEST(test_create_args)
{
	struct twr_session_table *t, *t2;

	rte_errno = 0;
	ck_assert_ptr_null(twr_session_table_create(NULL, 16, 1, SOCKET_ID_ANY));
	ck_assert_int_eq(rte_errno, EINVAL);
	rte_errno = 0;
	ck_assert_ptr_null(twr_session_table_create("0123456789abcdef", 16, 1, SOCKET_ID_ANY));
	ck_assert_int_eq(rte_errno, EINVAL);
	rte_errno = 0;
	ck_assert_ptr_null(twr_session_table_create("st_zero", 0, 1, SOCKET_ID_ANY));
	ck_assert_int_eq(rte_errno, EINVAL);
	rte_errno = 0;
	ck_assert_ptr_null(twr_session_table_create("st_noread", 16, 0, SOCKET_ID_ANY));
	ck_assert_int_eq(rte_errno, EINVAL);

	t = table_new("st_dup", 16, NULL);
	rte_errno = 0;
	/* rte_ring and rte_hash log the refused name as an allocation failure: expected. */
	rte_log_set_level_pattern("lib.ring", RTE_LOG_CRIT);
	rte_log_set_level_pattern("lib.hash", RTE_LOG_CRIT);
	t2 = twr_session_table_create("st_dup", 16, 1, SOCKET_ID_ANY);
	rte_log_set_level_pattern("lib.ring", RTE_LOG_INFO);
	rte_log_set_level_pattern("lib.hash", RTE_LOG_INFO);
	ck_assert_ptr_null(t2);
	ck_assert_int_eq(rte_errno, EEXIST);
	ck_assert_ptr_nonnull(twr_session_table_qsbr(t));
	ck_assert_ptr_null(twr_session_table_qsbr(NULL));
	twr_session_table_free(t);
	/* The name is free again. */
	t = table_new("st_dup", 16, NULL);
	twr_session_table_free(t);
	twr_session_table_free(NULL);
}
END_TEST

START_TEST(test_exact_and_listen)
{
	struct release_log log;
	struct twr_session_table *t = table_new("st_basic", 16, &log);
	struct twr_session *a = new_session(t, 1), *l = new_session(t, 2), *out[5];
	struct twr_session_key ka, kb, kl, kport, kvlan, k6;
	const struct twr_session_key *keys[5];
	uint8_t how[5];

	make_key(&ka, 1, 0);
	make_key(&kb, 2, 0); /* same local address and port, another sender */
	twr_session_key_to_listen(&ka, &kl);
	kport = ka;
	kport.local_port = 8621;
	kvlan = ka;
	kvlan.vlan = 100;
	memset(&k6, 0, sizeof(k6));
	k6.local_addr[0] = 0x20;
	k6.local_addr[1] = 0x01;
	k6.local_addr[15] = 1;
	k6.remote_addr[0] = 0x20;
	k6.remote_addr[1] = 0x01;
	k6.remote_addr[15] = 2;
	k6.local_port = 8620;
	k6.remote_port = 10001;

	ck_assert_int_eq(twr_session_table_add_exact(t, &ka, a), 0);
	ck_assert_int_eq(twr_session_table_add_listen(t, &kl, l), 0);
	ck_assert_int_eq(twr_session_table_add_exact(t, &k6, a), 0);
	ck_assert_uint_eq(twr_session_table_count(t), 3);

	keys[0] = &ka;
	keys[1] = &kb;
	keys[2] = &kport;
	keys[3] = &kvlan;
	keys[4] = &k6;
	memset(out, 0xff, sizeof(out));
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, keys, 5, out, how), 3);
	ck_assert_ptr_eq(out[0], a);
	ck_assert_uint_eq(how[0], TWR_SESSION_LOOKUP_EXACT);
	ck_assert_ptr_eq(out[1], l); /* the NAT signature: found on the Receiver Port */
	ck_assert_uint_eq(how[1], TWR_SESSION_LOOKUP_LISTEN);
	ck_assert_ptr_null(out[2]);
	ck_assert_uint_eq(how[2], TWR_SESSION_LOOKUP_MISS);
	ck_assert_ptr_null(out[3]); /* another VLAN is another key */
	ck_assert_uint_eq(how[3], TWR_SESSION_LOOKUP_MISS);
	ck_assert_ptr_eq(out[4], a);
	ck_assert_uint_eq(how[4], TWR_SESSION_LOOKUP_EXACT);

	ck_assert_ptr_eq(twr_session_table_find_exact(t, &ka), a);
	ck_assert_ptr_null(twr_session_table_find_exact(t, &kb));
	ck_assert_ptr_eq(twr_session_table_find_listen(t, &kb), l); /* remote part ignored */
	ck_assert_ptr_null(twr_session_table_find_listen(t, &kport));

	/* After deleting the exact entry, the sender is found on the listen entry. */
	ck_assert_int_eq(twr_session_table_del_exact(t, &ka), 0);
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, keys, 1, out, how), 1);
	ck_assert_ptr_eq(out[0], l);
	ck_assert_uint_eq(how[0], TWR_SESSION_LOOKUP_LISTEN);
	ck_assert_int_eq(twr_session_table_del_listen(t, &kl), 0);
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, keys, 2, out, how), 0);
	ck_assert_uint_eq(how[0], TWR_SESSION_LOOKUP_MISS);
	ck_assert_uint_eq(how[1], TWR_SESSION_LOOKUP_MISS);

	twr_session_table_session_put(t, a);
	twr_session_table_session_put(t, l);
	/* No reader registered: the grace period is over at once. */
	ck_assert_int_eq(twr_session_table_synchronize(t, 100), 0);
	ck_assert_uint_eq(released(&log), 1); /* l; a is still in the table under k6 */
	ck_assert_ptr_eq(log.last, l);
	twr_session_table_free(t);
	ck_assert_uint_eq(released(&log), 2);
}
END_TEST

START_TEST(test_errors)
{
	/* Room for the table's bookkeeping behind the session: all zero, no magic. */
	static struct twr_session fake[4];
	struct twr_session_table_stats st;
	struct twr_session_table *t = table_new("st_err", 4, NULL);
	struct twr_session *s[5], *out[1];
	struct twr_session_key k[5], bad;
	const struct twr_session_key *kp[1];
	uint8_t how[1];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		make_key(&k[i], i, 0);
		s[i] = new_session(t, (uint16_t)i);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(twr_session_table_add_exact(t, &k[i], s[i]), 0);
	/* Present: refused, and the entry keeps its session. */
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[0], s[4]), -EEXIST);
	ck_assert_ptr_eq(twr_session_table_find_exact(t, &k[0]), s[0]);
	/* Full. */
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[4], s[4]), -ENOSPC);
	/* The listen table has its own capacity. */
	twr_session_key_to_listen(&k[0], &bad);
	ck_assert_int_eq(twr_session_table_add_listen(t, &bad, s[4]), 0);
	ck_assert_int_eq(twr_session_table_add_listen(t, &bad, s[4]), -EEXIST);
	/* Deleting makes room at once, even before the grace period ends. */
	ck_assert_int_eq(twr_session_table_del_exact(t, &k[3]), 0);
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[4], s[4]), 0);
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[3], s[3]), -ENOSPC);

	ck_assert_int_eq(twr_session_table_del_exact(t, &k[3]), -ENOENT);
	ck_assert_int_eq(twr_session_table_del_listen(t, &k[1]), -ENOENT);
	ck_assert_int_eq(twr_session_table_del_exact(NULL, &k[1]), -EINVAL);
	ck_assert_int_eq(twr_session_table_del_exact(t, NULL), -EINVAL);
	ck_assert_int_eq(twr_session_table_add_exact(t, NULL, s[0]), -EINVAL);
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[3], NULL), -EINVAL);
	/* A listen key has no remote part; reserved is 0. */
	ck_assert_int_eq(twr_session_table_add_listen(t, &k[2], s[2]), -EINVAL);
	bad = k[3];
	bad.reserved = 1;
	ck_assert_int_eq(twr_session_table_add_exact(t, &bad, s[3]), -EINVAL);
	/* A pointer that is not a session of the table. */
	ck_assert_int_eq(twr_session_table_add_exact(t, &k[3], &fake[0]), -EINVAL);

	/* Not in exact any more: found on the listen entry of the same local port. */
	kp[0] = &k[3];
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, kp, 1, out, how), 1);
	ck_assert_ptr_eq(out[0], s[4]);
	ck_assert_uint_eq(how[0], TWR_SESSION_LOOKUP_LISTEN);

	ck_assert_int_eq(twr_session_table_stats_get(t, &st), 0);
	ck_assert_uint_eq(st.max_sessions, 4);
	ck_assert_uint_eq(st.exact, 4);
	ck_assert_uint_eq(st.listen, 1);
	ck_assert_uint_eq(st.sessions, 5);
	ck_assert_uint_eq(st.adds, 6);
	ck_assert_uint_eq(st.deletes, 1);
	ck_assert_uint_eq(st.add_failures, 9);
	ck_assert_int_eq(twr_session_table_stats_get(t, NULL), -EINVAL);
	twr_session_table_free(t);
}
END_TEST

/* A burst of 100 (two rte_hash bulk lookups) over exact, listen and missing keys. */
START_TEST(test_mixed_burst)
{
	enum { NX = 60, NB = 100 };
	struct twr_session_table *t = table_new("st_mixed", 256, NULL);
	struct twr_session *xs[NX], *ls[4], *out[NB];
	struct twr_session_key xk[NX], lk[4], bk[NB];
	const struct twr_session_key *kp[NB];
	struct twr_session *want[NB];
	uint8_t how[NB], want_how[NB];
	unsigned int i, want_found = 0;
	uint32_t it = 0;
	const struct twr_session_key *ik;
	struct twr_session *is;

	for (i = 0; i < NX; i++) {
		make_key(&xk[i], i, (uint16_t)(i % 3));
		xs[i] = new_session(t, (uint16_t)i);
		ck_assert_int_eq(twr_session_table_add_exact(t, &xk[i], xs[i]), 0);
	}
	/* Receiver ports on VLAN 0 and 1 only. */
	for (i = 0; i < 4; i++) {
		make_key(&lk[i], 0, (uint16_t)(i % 2));
		memset(lk[i].remote_addr, 0, 16);
		lk[i].remote_port = 0;
		lk[i].local_port = (uint16_t)(8620 + i / 2);
		ls[i] = new_session(t, (uint16_t)(1000 + i));
		ck_assert_int_eq(twr_session_table_add_listen(t, &lk[i], ls[i]), 0);
	}
	srand(1);
	for (i = 0; i < NB; i++) {
		unsigned int r = (unsigned int)rand();

		switch (r % 4) {
		case 0: /* exact */
		case 1:
			bk[i] = xk[r / 4 % NX];
			want[i] = xs[r / 4 % NX];
			want_how[i] = TWR_SESSION_LOOKUP_EXACT;
			break;
		case 2: /* unknown sender on a Receiver Port */
			make_key(&bk[i], 5000 + i, (uint16_t)(r / 4 % 2));
			bk[i].local_port = (uint16_t)(8620 + r / 8 % 2);
			want[i] = ls[(r / 8 % 2) * 2 + r / 4 % 2];
			want_how[i] = TWR_SESSION_LOOKUP_LISTEN;
			break;
		default: /* VLAN 2 has no listen entry */
			make_key(&bk[i], 5000 + i, 2);
			want[i] = NULL;
			want_how[i] = TWR_SESSION_LOOKUP_MISS;
			break;
		}
		want_found += want[i] != NULL;
		kp[i] = &bk[i];
	}
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, kp, NB, out, how), want_found);
	for (i = 0; i < NB; i++) {
		ck_assert_msg(out[i] == want[i], "key %u: session %p, want %p", i, (void *)out[i],
			      (void *)want[i]);
		ck_assert_uint_eq(how[i], want_how[i]);
	}
	ck_assert_uint_eq(twr_session_table_lookup_burst(t, kp, 0, out, how), 0);

	/* The walk sees every exact entry once. */
	i = 0;
	while (twr_session_table_iterate(t, false, &it, &ik, &is) == 0) {
		ck_assert_ptr_eq(twr_session_table_find_exact(t, ik), is);
		i++;
	}
	ck_assert_uint_eq(i, NX);
	twr_session_table_free(t);
}
END_TEST

/* One object in both tables: freed once, after both entries and the caller's reference. */
START_TEST(test_refcount)
{
	struct release_log log;
	struct twr_session_table *t = table_new("st_ref", 16, &log);
	struct twr_session *s = new_session(t, 7), *n;
	struct twr_session_key k, kl;
	struct twr_session_table_stats st;

	make_key(&k, 7, 0);
	twr_session_key_to_listen(&k, &kl);
	ck_assert_int_eq(twr_session_table_add_exact(t, &k, s), 0);
	ck_assert_int_eq(twr_session_table_add_listen(t, &kl, s), 0);
	twr_session_table_session_put(t, s);
	ck_assert_int_eq(twr_session_table_del_exact(t, &k), 0);
	ck_assert_int_eq(twr_session_table_synchronize(t, 100), 0);
	ck_assert_uint_eq(released(&log), 0);
	ck_assert_uint_eq(s->ssid, 7); /* still referenced by the listen entry */
	ck_assert_int_eq(twr_session_table_del_listen(t, &kl), 0);
	ck_assert_int_eq(twr_session_table_synchronize(t, 100), 0);
	ck_assert_uint_eq(released(&log), 1);
	ck_assert_ptr_eq(log.last, s);

	/* Never inserted: freed by the put itself. */
	n = new_session(t, 8);
	twr_session_table_session_put(t, n);
	ck_assert_uint_eq(released(&log), 2);
	ck_assert_int_eq(twr_session_table_stats_get(t, &st), 0);
	ck_assert_uint_eq(st.sessions, 0);
	ck_assert_uint_eq(st.sessions_freed, 2);
	ck_assert_uint_eq(st.deferred, 0);
	ck_assert_uint_eq(st.reclaimed, 2);
	twr_session_table_free(t);
}
END_TEST

START_TEST(test_replace_listen)
{
	struct release_log log;
	struct twr_session_table *t = table_new("st_repl", 16, &log);
	struct twr_session *a = new_session(t, 1), *b = new_session(t, 2);
	struct twr_session_table_stats st;
	struct twr_session_key k, kl;

	make_key(&k, 3, 0);
	twr_session_key_to_listen(&k, &kl);
	ck_assert_int_eq(twr_session_table_replace_listen(t, &kl, b), -ENOENT);
	ck_assert_int_eq(twr_session_table_replace_listen(t, &k, b),
			 -EINVAL); /* not a listen key */
	ck_assert_int_eq(twr_session_table_add_listen(t, &kl, a), 0);
	twr_session_table_session_put(t, a);
	/* in place: the key leads to b at once, a lives until the grace period */
	ck_assert_int_eq(twr_session_table_replace_listen(t, &kl, b), 0);
	ck_assert_ptr_eq(twr_session_table_find_listen(t, &kl), b);
	ck_assert_int_eq(twr_session_table_replace_listen(t, &kl, b), 0); /* no-op */
	ck_assert_uint_eq(twr_session_table_count(t), 1);
	ck_assert_uint_eq(released(&log), 0);
	ck_assert_int_eq(twr_session_table_synchronize(t, 100), 0);
	ck_assert_uint_eq(released(&log), 1);
	ck_assert_ptr_eq(log.last, a);
	/* b: the caller's reference and the entry's */
	twr_session_table_session_put(t, b);
	ck_assert_uint_eq(b->ssid, 2);
	ck_assert_int_eq(twr_session_table_del_listen(t, &kl), 0);
	ck_assert_int_eq(twr_session_table_synchronize(t, 100), 0);
	ck_assert_uint_eq(released(&log), 2);
	ck_assert_int_eq(twr_session_table_stats_get(t, &st), 0);
	ck_assert_uint_eq(st.sessions, 0);
	ck_assert_uint_eq(st.listen, 0);
	ck_assert_uint_eq(st.deferred, 0);
	twr_session_table_free(t);
}
END_TEST

/*
 * The reader lcore. Phase "hold": find the session of key 0 and keep the
 * pointer without reporting quiescent until released, checking the
 * object stays intact. Phase "stress": look every key up in bursts,
 * check each session found is the one of its key and not poisoned,
 * report quiescent once per loop.
 */
enum { RD_NKEYS = 64 };

struct reader_ctx {
	struct twr_session_table *t;
	struct twr_session_key keys[RD_NKEYS];
	/* ctl: wo, reader: ro */
	int hold;
	int release;
	int stop;
	/* reader: wo, ctl: ro */
	int holding;
	uint64_t loops;
	uint64_t found;
	uint64_t bad;
	uint64_t hold_checks;
};

static int
session_ok(const struct twr_session *s, unsigned int i)
{
	return s->ssid == i && s->padding_len == (uint16_t)~i &&
	       s->run_state == TWR_SESSION_STARTED;
}

static int
reader_main(void *arg)
{
	struct reader_ctx *c = arg;
	struct rte_rcu_qsbr *v = twr_session_table_qsbr(c->t);
	const struct twr_session_key *kp[RD_NKEYS];
	struct twr_session *out[RD_NKEYS];
	uint8_t how[RD_NKEYS];
	unsigned int i;

	for (i = 0; i < RD_NKEYS; i++)
		kp[i] = &c->keys[i];
	if (rte_rcu_qsbr_thread_register(v, 0) != 0)
		return -1;
	rte_rcu_qsbr_thread_online(v, 0);
	while (!__atomic_load_n(&c->stop, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&c->hold, __ATOMIC_ACQUIRE)) {
			struct twr_session *s;

			twr_session_table_lookup_burst(c->t, kp, 1, out, how);
			s = out[0];
			if (s == NULL) {
				__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
			} else {
				__atomic_store_n(&c->holding, 1, __ATOMIC_RELEASE);
				/* No quiescent report while the pointer is held. */
				while (!__atomic_load_n(&c->release, __ATOMIC_ACQUIRE)) {
					if (!session_ok(s, 0))
						__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
					__atomic_fetch_add(&c->hold_checks, 1, __ATOMIC_RELAXED);
					rte_pause();
				}
				if (!session_ok(s, 0))
					__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
			}
			__atomic_store_n(&c->hold, 0, __ATOMIC_RELEASE);
			__atomic_store_n(&c->holding, 0, __ATOMIC_RELEASE);
		} else {
			unsigned int n =
				twr_session_table_lookup_burst(c->t, kp, RD_NKEYS, out, how);

			for (i = 0; i < RD_NKEYS; i++)
				if (out[i] != NULL && !session_ok(out[i], i))
					__atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
			__atomic_fetch_add(&c->found, n, __ATOMIC_RELAXED);
		}
		__atomic_fetch_add(&c->loops, 1, __ATOMIC_RELAXED);
		rte_rcu_qsbr_quiescent(v, 0);
	}
	rte_rcu_qsbr_thread_offline(v, 0);
	rte_rcu_qsbr_thread_unregister(v, 0);
	return 0;
}

static void
wait_flag(const int *flag, int value, unsigned int timeout_ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;

	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != value && rte_get_timer_cycles() < end)
		rte_delay_us_sleep(100);
}

static void
sleep_ms(unsigned int ms)
{
	rte_delay_us_sleep(ms * 1000);
}

START_TEST(test_rcu_delete)
{
	static struct reader_ctx ctx;
	struct release_log log;
	struct twr_session *s[RD_NKEYS], *held;
	struct twr_session_table_stats st;
	unsigned int i, freed_while_held, replaced = 0, busy = 0;
	int sync_while_held, holding, reader_ret;
	uint64_t end, loops_before;

	if (reader_lcore == RTE_MAX_LCORE) {
		fprintf(stderr, "no second lcore: RCU test skipped\n");
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.t = table_new("st_rcu", 1024, &log);
	for (i = 0; i < RD_NKEYS; i++) {
		make_key(&ctx.keys[i], i, 0);
		s[i] = new_session(ctx.t, (uint16_t)i);
		ck_assert_int_eq(twr_session_table_add_exact(ctx.t, &ctx.keys[i], s[i]), 0);
	}
	ck_assert_int_eq(rte_eal_remote_launch(reader_main, &ctx, reader_lcore), 0);

	/* Hold: the reader keeps key 0's session without a quiescent report. */
	__atomic_store_n(&ctx.hold, 1, __ATOMIC_RELEASE);
	wait_flag(&ctx.holding, 1, 5000);
	holding = __atomic_load_n(&ctx.holding, __ATOMIC_ACQUIRE);
	held = s[0];
	if (holding) {
		ck_assert_int_eq(twr_session_table_del_exact(ctx.t, &ctx.keys[0]), 0);
		twr_session_table_session_put(ctx.t, held);
		for (i = 0; i < 50; i++) {
			twr_session_table_reclaim(ctx.t);
			sleep_ms(1);
		}
	}
	sync_while_held = twr_session_table_synchronize(ctx.t, 20);
	freed_while_held = released(&log);
	__atomic_store_n(&ctx.release, 1, __ATOMIC_RELEASE);
	wait_flag(&ctx.holding, 0, 5000);
	/* Now the reader reports quiescent: the object goes. */
	ck_assert_int_eq(twr_session_table_synchronize(ctx.t, 5000), 0);
	ck_assert_uint_eq(released(&log), 1);
	ck_assert_ptr_eq(log.last, held);

	/* Stress: replace sessions under the reader's lookups for 300 ms. */
	loops_before = __atomic_load_n(&ctx.loops, __ATOMIC_RELAXED);
	s[0] = NULL;
	srand(2);
	end = rte_get_timer_cycles() + rte_get_timer_hz() * 3 / 10;
	while (rte_get_timer_cycles() < end) {
		unsigned int k = (unsigned int)rand() % RD_NKEYS;
		int ret;

		if (s[k] != NULL) {
			ret = twr_session_table_del_exact(ctx.t, &ctx.keys[k]);
			if (ret == -EBUSY) {
				busy++;
				continue;
			}
			ck_assert_int_eq(ret, 0);
			twr_session_table_session_put(ctx.t, s[k]);
			replaced++;
		}
		s[k] = new_session(ctx.t, (uint16_t)k);
		ck_assert_int_eq(twr_session_table_add_exact(ctx.t, &ctx.keys[k], s[k]), 0);
		if (replaced % 256 == 0)
			twr_session_table_reclaim(ctx.t);
	}
	__atomic_store_n(&ctx.stop, 1, __ATOMIC_RELEASE);
	reader_ret = rte_eal_wait_lcore(reader_lcore);
	ck_assert_int_eq(twr_session_table_synchronize(ctx.t, 1000), 0);

	ck_assert_msg(holding, "the reader never found key 0");
	ck_assert_int_eq(reader_ret, 0);
	ck_assert_uint_eq(freed_while_held, 0);
	ck_assert_int_eq(sync_while_held, -ETIMEDOUT);
	ck_assert_uint_gt(__atomic_load_n(&ctx.hold_checks, __ATOMIC_RELAXED), 0);
	ck_assert_uint_eq(__atomic_load_n(&ctx.bad, __ATOMIC_RELAXED), 0);
	ck_assert_uint_gt(__atomic_load_n(&ctx.loops, __ATOMIC_RELAXED) - loops_before, 100);
	ck_assert_uint_gt(replaced, 100);
	ck_assert_int_eq(twr_session_table_stats_get(ctx.t, &st), 0);
	/* Every replaced session, and the held one, freed; none before its time. */
	ck_assert_uint_eq(released(&log), replaced + 1);
	ck_assert_uint_eq(st.deferred, 0);
	printf("rcu: %u sessions replaced under %" PRIu64 " reader loops (%" PRIu64
	       " lookups hit), %u EBUSY, %" PRIu64 " grace waits\n",
	       replaced, __atomic_load_n(&ctx.loops, __ATOMIC_RELAXED) - loops_before,
	       __atomic_load_n(&ctx.found, __ATOMIC_RELAXED), busy, st.grace_waits);
	twr_session_table_free(ctx.t);
}
END_TEST

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

START_TEST(test_million)
{
	enum { N = 1000000, BURST = 32 };
	struct twr_session_table *t = table_new("st_1m", N, NULL);
	struct twr_session **want = malloc(sizeof(*want) * N);
	struct twr_session_key *keys = malloc(sizeof(*keys) * N);
	struct twr_session_table_stats st;
	struct twr_session_key extra;
	unsigned int i, j, found = 0, wrong = 0;
	double t0, t1, t2;

	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(keys);
	for (i = 0; i < N; i++)
		make_key(&keys[i], i, 0);
	t0 = now_s();
	for (i = 0; i < N; i++) {
		int ret;

		want[i] = twr_session_table_session_alloc(t);
		ck_assert_ptr_nonnull(want[i]);
		want[i]->ssid = (uint16_t)i;
		ret = twr_session_table_add_exact(t, &keys[i], want[i]);
		ck_assert_msg(ret == 0, "add %u: %d", i, ret);
	}
	t1 = now_s();
	for (i = 0; i < N; i += BURST) {
		const struct twr_session_key *kp[BURST];
		struct twr_session *out[BURST];
		uint8_t how[BURST];
		unsigned int n = RTE_MIN((unsigned int)BURST, N - i);

		for (j = 0; j < n; j++)
			kp[j] = &keys[i + j];
		found += twr_session_table_lookup_burst(t, kp, n, out, how);
		for (j = 0; j < n; j++)
			wrong += out[j] != want[i + j] || how[j] != TWR_SESSION_LOOKUP_EXACT;
	}
	t2 = now_s();
	ck_assert_uint_eq(found, N);
	ck_assert_uint_eq(wrong, 0);
	make_key(&extra, N, 0);
	ck_assert_int_eq(twr_session_table_add_exact(t, &extra, want[0]), -ENOSPC);
	ck_assert_int_eq(twr_session_table_stats_get(t, &st), 0);
	ck_assert_uint_eq(st.exact, N);
	ck_assert_uint_eq(st.sessions, N);
	printf("1M sessions: insert (alloc + add) %.2f s, %.0f/s; lookup in bursts of %d "
	       "%.3f s, %.1f M/s\n",
	       t1 - t0, N / (t1 - t0), BURST, t2 - t1, N / (t2 - t1) / 1e6);
	twr_session_table_free(t);
	free(keys);
	free(want);
}
END_TEST

static Suite *
session_table_suite(void)
{
	Suite *s = suite_create("session_table");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_create_args);
	tcase_add_test(tc, test_exact_and_listen);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_mixed_burst);
	tcase_add_test(tc, test_refcount);
	tcase_add_test(tc, test_replace_listen);
	tcase_add_test(tc, test_rcu_delete);
	tcase_add_test(tc, test_million);
	suite_add_tcase(s, tc);
	return s;
}

/* The reader lcore of the RCU tests, once EAL knows its lcores. */
static void
pick_reader(void)
{
	reader_lcore = rte_get_next_lcore(-1, 1, 0);
}

int
main(void)
{
	/* Two lcores on two CPUs: the RCU reader really runs beside the writer. */
	char *eal_args[] = {
		(char *)(uintptr_t) "test-dp-session-table",
		(char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",
		(char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "1024",
		(char *)(uintptr_t) "--lcores",
		(char *)(uintptr_t) "0@0,1@1",
		(char *)(uintptr_t) "--file-prefix",
		(char *)(uintptr_t) "twr-dp-session-table",
		(char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",
		(char *)(uintptr_t) "lib.eal:error",
	};

	return twr_check_eal_run((int)RTE_DIM(eal_args), eal_args, session_table_suite,
				 pick_reader);
}
