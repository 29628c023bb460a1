/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Session table: two lock-free rte_hash tables, one writer, RCU-deferred
 * reclamation through one rte_rcu_qsbr_dq of our own.
 *
 * Why our own defer queue rather than rte_hash_rcu_qsbr_add(): a session
 * object may be the data of two entries (its exact tuple and its Receiver
 * Port), so freeing it from the hash's per-entry callback would need the
 * same reference count anyway; and DPDK 22.11 offers no call to reclaim the
 * hash's internal queue on demand, so the last deletions would wait for
 * the next one. With our queue the control lcore reclaims when it likes
 * (twr_session_table_reclaim()) and one queue serves both tables.
 *
 * Why the hash tables hold max_sessions + the defer queue's size: a deleted
 * key keeps its slot until its grace period ends. With that headroom an add
 * never fails for want of a slot while the table holds fewer than
 * max_sessions live keys, and never has to wait for readers.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>
#include <rte_string_fns.h>

#include "twr_session_table.h"

RTE_LOG_REGISTER(twr_session_table_logtype, user.twamp.table, INFO);

#define TABLE_LOG(level, fmt, ...)                                                                 \
	rte_log(RTE_LOG_##level, twr_session_table_logtype, "session table: " fmt "\n",            \
		##__VA_ARGS__)

/* Largest table rte_hash accepts once the defer queue's headroom is added. */
#define TABLE_MAX_SESSIONS (1u << 29)
/* Defer queue size: deletions in flight before a writer has to wait. */
#define TABLE_DQ_MAX (1u << 16)
#define TABLE_DQ_MIN 64u
/* Reclaim at most this many per deletion (bounds the work of one delete). */
#define TABLE_DQ_RECLAIM_BATCH 64u

#define SESSION_MAGIC	       0x7477736eu /* "twsn": catches pointers not from this table */

enum table_which {
	TABLE_EXACT = 0,
	TABLE_LISTEN = 1,
};

/*
 * A session object as allocated: what the readers see first, then the
 * control lcore's bookkeeping, which no reader touches (its own cache
 * line: the session is cache-aligned).
 */
struct session_obj {
	struct twr_session s;
	TAILQ_ENTRY(session_obj) next; /* ctl only: every object of the table */
	uint32_t refs;		       /* ctl only: caller + entries + deletions in grace */
	uint32_t magic;		       /* ctl only */
};

TAILQ_HEAD(session_obj_list, session_obj);

/* One deletion waiting for its grace period (a defer queue element). */
struct deferred_del {
	struct session_obj *obj;
	int32_t position; /* key slot in the hash, from rte_hash_del_key(); -1: replaced, kept */
	uint32_t which;	  /* enum table_which */
};

_Static_assert(sizeof(struct deferred_del) % 4 == 0, "defer queue elements are 4-byte multiples");

struct twr_session_table {
	/* Read by every lookup. */
	struct rte_hash *hash[2]; /* dp: ro (lock-free lookups), ctl: rw (set at create) */
	/* Entries per table. dp: ro (relaxed; skips an empty listen table), ctl: rw. */
	uint32_t count[2];

	/* The control lcore's, on their own cache line. */
	struct rte_rcu_qsbr *qsbr __rte_cache_aligned; /* dp: quiescent reports, ctl: owns */
	struct rte_rcu_qsbr_dq *dq;		       /* ctl only */
	struct session_obj_list objs;		       /* ctl only */
	twr_session_release_t release_fn;	       /* ctl only */
	void *release_arg;			       /* ctl only */
	uint32_t max_sessions;			       /* ctl only, constant */
	uint32_t max_readers;			       /* ctl only, constant */
	uint32_t dq_size;			       /* ctl only, constant */
	int socket_id;				       /* ctl only, constant */
	/* Counters: ctl: rw (relaxed atomic stores), telemetry: ro (relaxed loads). */
	uint32_t sessions;
	uint32_t deferred;
	uint64_t adds;
	uint64_t add_failures;
	uint64_t deletes;
	uint64_t reclaimed;
	uint64_t sessions_freed;
	uint64_t grace_waits;
	char name[TWR_SESSION_TABLE_NAMESIZE];
};

/* Counters are written by the control lcore only, read by telemetry threads. */
#define STAT_ADD(field, v) __atomic_store_n(&(field), (field) + (v), __ATOMIC_RELAXED)
#define STAT_GET(field)	   __atomic_load_n(&(field), __ATOMIC_RELAXED)

static inline struct session_obj *
obj_of(struct twr_session *s)
{
	/* struct twr_session is the first member. */
	return (struct session_obj *)s;
}

static void
obj_free(struct twr_session_table *t, struct session_obj *o)
{
	if (t->release_fn != NULL)
		t->release_fn(&o->s, t->release_arg);
	TAILQ_REMOVE(&t->objs, o, next);
	o->magic = 0;
	rte_free(o);
	STAT_ADD(t->sessions, -1u);
	STAT_ADD(t->sessions_freed, 1);
}

static void
obj_unref(struct twr_session_table *t, struct session_obj *o)
{
	RTE_ASSERT(o->refs > 0);
	if (--o->refs == 0)
		obj_free(t, o);
}

/* Defer queue callback: the grace period of these deletions is over. */
static void
deferred_free(void *p, void *e, unsigned int n)
{
	struct twr_session_table *t = p;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct deferred_del d;

		/* The element sits in a char buffer of the defer queue: copy, do not cast. */
		memcpy(&d, (char *)e + i * sizeof(d), sizeof(d));
		if (d.position >= 0)
			rte_hash_free_key_with_position(t->hash[d.which], d.position);
		obj_unref(t, d.obj);
		STAT_ADD(t->deferred, -1u);
		STAT_ADD(t->reclaimed, 1);
	}
}

static struct rte_hash *
hash_create(const char *table_name, const char *suffix, uint32_t entries, int socket_id)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash *h;
	struct rte_hash_parameters p = {
		.name = name,
		.entries = entries,
		.key_len = sizeof(struct twr_session_key),
		.socket_id = socket_id,
		/*
		 * LF: readers never lock, one writer. EXT_TABLE: overflow
		 * buckets, so that every slot can be filled whatever the
		 * hashes (plain cuckoo gives up before 100% load).
		 */
		.extra_flag =
			RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};

	/* No custom key compare: one for the 40-byte key measured no faster than memcmp. */
	snprintf(name, sizeof(name), "%s_%s", table_name, suffix);
	/*
	 * rte_hash_create() may fail without setting rte_errno, and its own
	 * lookups leave ENOENT behind: neither means anything but "no memory".
	 */
	rte_errno = 0;
	h = rte_hash_create(&p);
	if (h == NULL && (rte_errno == 0 || rte_errno == ENOENT))
		rte_errno = ENOMEM;
	return h;
}

struct twr_session_table *
twr_session_table_create(const char *name, uint32_t max_sessions, uint32_t max_readers,
			 int socket_id)
{
	struct rte_rcu_qsbr_dq_parameters dqp;
	struct twr_session_table *t;
	char dq_name[RTE_RCU_QSBR_DQ_NAMESIZE];
	uint32_t entries;
	size_t qsbr_size;
	int err;

	if (name == NULL || name[0] == '\0' || strlen(name) >= TWR_SESSION_TABLE_NAMESIZE ||
	    max_sessions == 0 || max_sessions > TABLE_MAX_SESSIONS || max_readers == 0 ||
	    max_readers > RTE_MAX_LCORE) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc_socket("twr_session_table", sizeof(*t), RTE_CACHE_LINE_SIZE, socket_id);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	TAILQ_INIT(&t->objs);
	t->max_sessions = max_sessions;
	t->max_readers = max_readers;
	t->socket_id = socket_id;
	t->dq_size = RTE_MAX(RTE_MIN(max_sessions * 2, TABLE_DQ_MAX), TABLE_DQ_MIN);

	qsbr_size = rte_rcu_qsbr_get_memsize(max_readers);
	t->qsbr = rte_zmalloc_socket("twr_session_qsbr", qsbr_size, RTE_CACHE_LINE_SIZE, socket_id);
	if (t->qsbr == NULL) {
		err = ENOMEM;
		goto fail;
	}
	if (rte_rcu_qsbr_init(t->qsbr, max_readers) != 0) {
		err = rte_errno;
		goto fail;
	}

	/* rte_hash wants at least one bucket's worth of entries. */
	entries = RTE_MAX(max_sessions + t->dq_size, 8u);
	t->hash[TABLE_EXACT] = hash_create(name, "x", entries, socket_id);
	if (t->hash[TABLE_EXACT] == NULL) {
		err = rte_errno;
		goto fail;
	}
	t->hash[TABLE_LISTEN] = hash_create(name, "l", entries, socket_id);
	if (t->hash[TABLE_LISTEN] == NULL) {
		err = rte_errno;
		goto fail;
	}

	snprintf(dq_name, sizeof(dq_name), "%s_dq", name);
	memset(&dqp, 0, sizeof(dqp));
	dqp.name = dq_name;
	/* Single writer: no multi-producer ring needed. */
	dqp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
	dqp.size = t->dq_size;
	dqp.esize = sizeof(struct deferred_del);
	/* Reclaim on every deletion: memory comes back as soon as readers let it. */
	dqp.trigger_reclaim_limit = 0;
	dqp.max_reclaim_size = TABLE_DQ_RECLAIM_BATCH;
	dqp.free_fn = deferred_free;
	dqp.p = t;
	dqp.v = t->qsbr;
	t->dq = rte_rcu_qsbr_dq_create(&dqp);
	if (t->dq == NULL) {
		err = rte_errno;
		goto fail;
	}
	return t;

fail:
	rte_hash_free(t->hash[TABLE_LISTEN]);
	rte_hash_free(t->hash[TABLE_EXACT]);
	rte_free(t->qsbr);
	rte_free(t);
	/* rte_hash_create() leaves rte_errno unset on some allocation failures. */
	rte_errno = err != 0 ? err : ENOMEM;
	return NULL;
}

struct rte_rcu_qsbr *
twr_session_table_qsbr(const struct twr_session_table *t)
{
	return t == NULL ? NULL : t->qsbr;
}

/* Wait (sleeping, readers may share our CPU) for a grace period started now. */
static int
grace_wait(struct twr_session_table *t, unsigned int timeout_ms)
{
	uint64_t token = rte_rcu_qsbr_start(t->qsbr);
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;

	STAT_ADD(t->grace_waits, 1);
	while (rte_rcu_qsbr_check(t->qsbr, token, false) != 1) {
		if (rte_get_timer_cycles() > deadline)
			return -ETIMEDOUT;
		rte_delay_us_sleep(10);
	}
	return 0;
}

int
twr_session_table_reclaim(struct twr_session_table *t)
{
	unsigned int freed = 0;

	if (t == NULL)
		return -EINVAL;
	if (t->deferred == 0)
		return 0;
	/* Fails only on bad arguments; freed says what was done. */
	rte_rcu_qsbr_dq_reclaim(t->dq, t->dq_size, &freed, NULL, NULL);
	return (int)freed;
}

int
twr_session_table_synchronize(struct twr_session_table *t, unsigned int timeout_ms)
{
	int ret;

	if (t == NULL)
		return -EINVAL;
	if (t->deferred == 0)
		return 0;
	ret = grace_wait(t, timeout_ms);
	/* Even after a timeout, complete what did pass its grace period. */
	twr_session_table_reclaim(t);
	return ret;
}

void
twr_session_table_free(struct twr_session_table *t)
{
	struct session_obj *o;
	unsigned int w;

	if (t == NULL)
		return;
	if (twr_session_table_synchronize(t, TWR_SESSION_TABLE_GRACE_WAIT_MS) < 0 ||
	    rte_rcu_qsbr_dq_delete(t->dq) != 0) {
		/* A reader is still online: leaking beats freeing under it. */
		TABLE_LOG(ERR, "%s: readers still online, %u deletions leaked", t->name,
			  t->deferred);
		return;
	}
	for (w = 0; w < RTE_DIM(t->hash); w++)
		rte_hash_free(t->hash[w]);
	/* Entries and caller references alike: the objects go with the table. */
	while ((o = TAILQ_FIRST(&t->objs)) != NULL) {
		TAILQ_REMOVE(&t->objs, o, next);
		if (t->release_fn != NULL)
			t->release_fn(&o->s, t->release_arg);
		o->magic = 0;
		rte_free(o);
	}
	rte_free(t->qsbr);
	rte_free(t);
}

struct twr_session *
twr_session_table_session_alloc(struct twr_session_table *t)
{
	struct session_obj *o;

	if (t == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	o = rte_zmalloc_socket("twr_session", sizeof(*o), RTE_CACHE_LINE_SIZE, t->socket_id);
	if (o == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	o->refs = 1;
	o->magic = SESSION_MAGIC;
	TAILQ_INSERT_TAIL(&t->objs, o, next);
	STAT_ADD(t->sessions, 1);
	return &o->s;
}

void
twr_session_table_session_put(struct twr_session_table *t, struct twr_session *s)
{
	struct session_obj *o;

	if (t == NULL || s == NULL)
		return;
	o = obj_of(s);
	if (o->magic != SESSION_MAGIC) {
		TABLE_LOG(ERR, "%s: put of a session not from this table", t->name);
		return;
	}
	/* Entries and deletions in grace hold their own references: safe to free at 0. */
	obj_unref(t, o);
}

void
twr_session_table_set_release_cb(struct twr_session_table *t, twr_session_release_t fn, void *arg)
{
	if (t == NULL)
		return;
	t->release_fn = fn;
	t->release_arg = arg;
}

static bool
key_remote_is_zero(const struct twr_session_key *key)
{
	static const uint8_t zero[16];

	return key->remote_port == 0 && memcmp(key->remote_addr, zero, sizeof(zero)) == 0;
}

static int
table_add(struct twr_session_table *t, enum table_which w, const struct twr_session_key *key,
	  struct twr_session *s)
{
	struct session_obj *o;
	int ret;

	if (t == NULL)
		return -EINVAL;
	if (key == NULL || s == NULL || key->reserved != 0)
		goto fail_inval;
	if (w == TABLE_LISTEN && !key_remote_is_zero(key))
		goto fail_inval;
	o = obj_of(s);
	if (o->magic != SESSION_MAGIC || o->refs == 0)
		goto fail_inval;
	/* rte_hash_add_key_data() would silently replace the data of a present key. */
	if (rte_hash_lookup(t->hash[w], key) >= 0) {
		ret = -EEXIST;
		goto fail;
	}
	if (t->count[w] >= t->max_sessions) {
		ret = -ENOSPC;
		goto fail;
	}
	/*
	 * The release ordering readers rely on (the session's fields written
	 * before this call are visible to whoever finds it) is the hash's:
	 * its LF insert publishes the key slot and its data with release
	 * stores, and the lookup reads them with acquire loads.
	 */
	ret = rte_hash_add_key_data(t->hash[w], key, s);
	if (ret < 0)
		goto fail;
	o->refs++;
	__atomic_store_n(&t->count[w], t->count[w] + 1, __ATOMIC_RELAXED);
	STAT_ADD(t->adds, 1);
	return 0;

fail_inval:
	ret = -EINVAL;
fail:
	STAT_ADD(t->add_failures, 1);
	return ret;
}

/* Make room in the defer queue (waiting for readers if need be): 0 or -EBUSY. */
static int
dq_room(struct twr_session_table *t)
{
	if (t->deferred < t->dq_size)
		return 0;
	twr_session_table_reclaim(t);
	if (t->deferred >= t->dq_size &&
	    twr_session_table_synchronize(t, TWR_SESSION_TABLE_GRACE_WAIT_MS) < 0 &&
	    t->deferred >= t->dq_size)
		return -EBUSY;
	return 0;
}

/* Queue the reference of @p o (and the key slot @p pos, or -1) for after the grace period. */
static void
dq_defer(struct twr_session_table *t, enum table_which w, struct session_obj *o, int32_t pos)
{
	struct deferred_del d;

	d.obj = o;
	d.position = pos;
	d.which = w;
	STAT_ADD(t->deferred, 1);
	/* Cannot fail: dq_room() made room, and we are the only producer. */
	if (rte_rcu_qsbr_dq_enqueue(t->dq, &d) != 0) {
		TABLE_LOG(ERR, "%s: defer queue refused a deletion (%s), leaking it", t->name,
			  rte_strerror(rte_errno));
		STAT_ADD(t->deferred, -1u);
	}
}

static int
table_del(struct twr_session_table *t, enum table_which w, const struct twr_session_key *key)
{
	void *data;
	int32_t pos;

	if (t == NULL || key == NULL)
		return -EINVAL;
	if (rte_hash_lookup_data(t->hash[w], key, &data) < 0)
		return -ENOENT;
	/* Room first, so that a removed key always has its deferred free queued. */
	if (dq_room(t) < 0)
		return -EBUSY;
	pos = rte_hash_del_key(t->hash[w], key);
	if (pos < 0)
		return pos;
	__atomic_store_n(&t->count[w], t->count[w] - 1, __ATOMIC_RELAXED);
	STAT_ADD(t->deletes, 1);
	dq_defer(t, w, obj_of(data), pos);
	return 0;
}

int
twr_session_table_add_exact(struct twr_session_table *t, const struct twr_session_key *key,
			    struct twr_session *s)
{
	return table_add(t, TABLE_EXACT, key, s);
}

int
twr_session_table_add_listen(struct twr_session_table *t, const struct twr_session_key *key,
			     struct twr_session *s)
{
	return table_add(t, TABLE_LISTEN, key, s);
}

int
twr_session_table_del_exact(struct twr_session_table *t, const struct twr_session_key *key)
{
	return table_del(t, TABLE_EXACT, key);
}

int
twr_session_table_del_listen(struct twr_session_table *t, const struct twr_session_key *key)
{
	return table_del(t, TABLE_LISTEN, key);
}

int
twr_session_table_replace_listen(struct twr_session_table *t, const struct twr_session_key *key,
				 struct twr_session *s)
{
	struct session_obj *o;
	void *old;
	int ret;

	if (t == NULL || key == NULL || s == NULL || key->reserved != 0 || !key_remote_is_zero(key))
		return -EINVAL;
	o = obj_of(s);
	if (o->magic != SESSION_MAGIC || o->refs == 0)
		return -EINVAL;
	if (rte_hash_lookup_data(t->hash[TABLE_LISTEN], key, &old) < 0)
		return -ENOENT;
	if (old == s)
		return 0;
	if (dq_room(t) < 0)
		return -EBUSY;
	/*
	 * An existing key's data is replaced in place with a release store
	 * (rte_hash, lock-free mode): a reader finds the old session or the
	 * new one, never none. The old one's reference goes after the grace.
	 */
	ret = rte_hash_add_key_data(t->hash[TABLE_LISTEN], key, s);
	if (ret < 0)
		return ret;
	o->refs++;
	STAT_ADD(t->adds, 1);
	dq_defer(t, TABLE_LISTEN, obj_of(old), -1);
	return 0;
}

struct twr_session *
twr_session_table_find_exact(const struct twr_session_table *t, const struct twr_session_key *key)
{
	void *data;

	if (t == NULL || key == NULL || rte_hash_lookup_data(t->hash[TABLE_EXACT], key, &data) < 0)
		return NULL;
	return data;
}

struct twr_session *
twr_session_table_find_listen(const struct twr_session_table *t, const struct twr_session_key *key)
{
	struct twr_session_key lkey;
	void *data;

	if (t == NULL || key == NULL)
		return NULL;
	twr_session_key_to_listen(key, &lkey);
	if (rte_hash_lookup_data(t->hash[TABLE_LISTEN], &lkey, &data) < 0)
		return NULL;
	return data;
}

/* Up to RTE_HASH_LOOKUP_BULK_MAX keys. */
static inline unsigned int
lookup_chunk(const struct twr_session_table *t, const struct twr_session_key *const keys[],
	     unsigned int n, struct twr_session *out[], uint8_t how[])
{
	struct twr_session_key lkey[RTE_HASH_LOOKUP_BULK_MAX];
	const void *kp[RTE_HASH_LOOKUP_BULK_MAX];
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	uint8_t lidx[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;
	unsigned int i, nl = 0, found;

	/* Copies rather than casts: rte_hash takes void pointer arrays. */
	for (i = 0; i < n; i++)
		kp[i] = keys[i];
	/*
	 * No managed session (TWAMP-Light/STAMP only): the exact table cannot
	 * hit, skip it (about 190 instructions a packet). Relaxed, as below.
	 */
	if (__atomic_load_n(&t->count[TABLE_EXACT], __ATOMIC_RELAXED) == 0 ||
	    unlikely(rte_hash_lookup_bulk_data(t->hash[TABLE_EXACT], kp, n, &hits, data) < 0))
		hits = 0;
	found = (unsigned int)__builtin_popcountll(hits);
	for (i = 0; i < n; i++) {
		if (likely(hits & (1ull << i))) {
			out[i] = data[i];
			how[i] = TWR_SESSION_LOOKUP_EXACT;
			/* The engine reads the session next: start the miss now. */
			rte_prefetch0(data[i]);
			continue;
		}
		out[i] = NULL;
		how[i] = TWR_SESSION_LOOKUP_MISS;
		twr_session_key_to_listen(keys[i], &lkey[nl]);
		kp[nl] = &lkey[nl];
		lidx[nl++] = (uint8_t)i;
	}
	/* Relaxed: an entry being added may be missed once, as with any lookup. */
	if (nl == 0 || __atomic_load_n(&t->count[TABLE_LISTEN], __ATOMIC_RELAXED) == 0)
		return found;
	hits = 0;
	if (unlikely(rte_hash_lookup_bulk_data(t->hash[TABLE_LISTEN], kp, nl, &hits, data) < 0))
		return found;
	for (i = 0; i < nl; i++) {
		if (!(hits & (1ull << i)))
			continue;
		out[lidx[i]] = data[i];
		how[lidx[i]] = TWR_SESSION_LOOKUP_LISTEN;
		rte_prefetch0(data[i]);
		found++;
	}
	return found;
}

unsigned int
twr_session_table_lookup_burst(const struct twr_session_table *t,
			       const struct twr_session_key *const keys[], unsigned int n,
			       struct twr_session *out[], uint8_t how[])
{
	unsigned int done = 0, found = 0;

	while (done < n) {
		unsigned int m = RTE_MIN(n - done, (unsigned int)RTE_HASH_LOOKUP_BULK_MAX);

		found += lookup_chunk(t, keys + done, m, out + done, how + done);
		done += m;
	}
	return found;
}

uint32_t
twr_session_table_count(const struct twr_session_table *t)
{
	if (t == NULL)
		return 0;
	return STAT_GET(t->count[TABLE_EXACT]) + STAT_GET(t->count[TABLE_LISTEN]);
}

int
twr_session_table_stats_get(const struct twr_session_table *t,
			    struct twr_session_table_stats *stats)
{
	if (t == NULL || stats == NULL)
		return -EINVAL;
	stats->max_sessions = t->max_sessions;
	stats->max_readers = t->max_readers;
	stats->exact = STAT_GET(t->count[TABLE_EXACT]);
	stats->listen = STAT_GET(t->count[TABLE_LISTEN]);
	stats->sessions = STAT_GET(t->sessions);
	stats->deferred = STAT_GET(t->deferred);
	stats->adds = STAT_GET(t->adds);
	stats->add_failures = STAT_GET(t->add_failures);
	stats->deletes = STAT_GET(t->deletes);
	stats->reclaimed = STAT_GET(t->reclaimed);
	stats->sessions_freed = STAT_GET(t->sessions_freed);
	stats->grace_waits = STAT_GET(t->grace_waits);
	return 0;
}

int
twr_session_table_iterate(const struct twr_session_table *t, bool listen, uint32_t *next,
			  const struct twr_session_key **key, struct twr_session **s)
{
	const void *k;
	void *data;
	int32_t ret;

	if (t == NULL || next == NULL || key == NULL || s == NULL)
		return -EINVAL;
	ret = rte_hash_iterate(t->hash[listen ? TABLE_LISTEN : TABLE_EXACT], &k, &data, next);
	if (ret < 0)
		return ret;
	*key = k;
	*s = data;
	return 0;
}
