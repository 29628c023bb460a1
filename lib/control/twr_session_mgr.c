/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Session manager: test-port pools, limits and policy (the reserve
 * callback), and the session table writes the control connections' actions
 * call for. See twr_session_mgr.h for the choices.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_random.h>

#include "twr_addr.h"
#include "twr_engine.h"
#include "twr_nat.h"
#include "twr_nat_diag.h"
#include "twr_port_pool.h"
#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_session_mgr_priv.h"
#include "twr_session_table.h"

RTE_LOG_REGISTER(twr_session_mgr_logtype, user.twamp.session, INFO);

#define MGR_LOG(level, fmt, ...)                                                                   \
	rte_log(RTE_LOG_##level, twr_session_mgr_logtype, "session manager: " fmt "\n",            \
		##__VA_ARGS__)

/* Ports below this are never granted outside the pool (well-known services). */
#define MGR_MIN_FREE_PORT 1024
/* twr_session_mgr_free(): how long to wait for the last grace period. */
#define MGR_FREE_SYNC_MS     1000
#define DEFAULT_PORT_LO	     20000
#define DEFAULT_PORT_HI	     20999
#define DEFAULT_MAX_SESSIONS 4096
#define DEFAULT_MAX_CONNS    256
#define DEFAULT_MAX_PER_SRC  64
#define DEFAULT_LATCH_WINDOW (10 * MGR_NS_PER_S)

static const struct {
	const char *name;
	uint8_t accept;
} refusals[] = {
#define REFUSAL_ROW(n, s, a) [TWR_MGR_REFUSE_##n] = {s, a},
	TWR_SESSION_MGR_REFUSALS(REFUSAL_ROW)
#undef REFUSAL_ROW
};

static const char *const conn_refusals[] = {
#define CONN_REFUSAL_ROW(n, s) [TWR_MGR_CONN_REFUSE_##n] = s,
	TWR_SESSION_MGR_CONN_REFUSALS(CONN_REFUSAL_ROW)
#undef CONN_REFUSAL_ROW
};

const char *
twr_session_mgr_refusal_name(enum twr_session_mgr_refusal r)
{
	return (unsigned int)r < TWR_MGR_REFUSE_MAX ? refusals[r].name : "unknown";
}

uint8_t
twr_session_mgr_refusal_accept(enum twr_session_mgr_refusal r)
{
	return (unsigned int)r < TWR_MGR_REFUSE_MAX ? refusals[r].accept : TWR_ACCEPT_FAILURE;
}

const char *
twr_session_mgr_conn_refusal_name(enum twr_session_mgr_conn_refusal r)
{
	return (unsigned int)r < TWR_MGR_CONN_REFUSE_MAX ? conn_refusals[r] : "unknown";
}

void
twr_session_mgr_config_defaults(struct twr_session_mgr_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->port_lo = DEFAULT_PORT_LO;
	cfg->port_hi = DEFAULT_PORT_HI;
	cfg->max_sessions = DEFAULT_MAX_SESSIONS;
	cfg->max_conns = DEFAULT_MAX_CONNS;
	cfg->max_conns_per_source = DEFAULT_MAX_PER_SRC;
	cfg->nat_policy = TWR_NAT_STRICT;
	cfg->latch_window_ns = DEFAULT_LATCH_WINDOW;
	cfg->latch_len4 = 32;
	cfg->latch_len6 = 128;
}

/* ---- addresses and ports ---- */

static bool
addr_is_local(const struct twr_session_mgr *m, const uint8_t a[16])
{
	unsigned int i;

	if (m->cfg.nb_addrs == 0)
		return true;
	for (i = 0; i < m->cfg.nb_addrs; i++)
		if (memcmp(m->cfg.addrs[i], a, 16) == 0)
			return true;
	return false;
}

/* A candidate Receiver Port: its listen key, and the table to look it up in. */
struct port_probe {
	struct twr_session_key k;
	const struct twr_session_table *t;
};

/* No listen entry holds the port (Light/STAMP ports, grants outside the pool). */
static bool
port_unlistened(uint16_t port, void *arg)
{
	struct port_probe *pr = arg;

	pr->k.local_port = port;
	return twr_session_table_find_listen(pr->t, &pr->k) == NULL;
}

/*
 * The requested port when allowed and free; else a free pool port from a
 * random place (RFC 8545 §5.1; unpredictable ports make hijacking harder,
 * digest §6.4); 0 when the pool is exhausted.
 */
static uint16_t
port_pick(const struct twr_session_mgr *m, const uint8_t local[16], uint16_t requested)
{
	uint32_t start = (uint32_t)rte_rand_max(twr_port_pool_size(m->pool));
	struct port_probe pr;

	memset(&pr, 0, sizeof(pr));
	memcpy(pr.k.local_addr, local, 16);
	pr.k.vlan = m->cfg.vlan;
	pr.t = m->t;
	if (requested != 0 &&
	    (twr_port_pool_contains(m->pool, requested) ||
	     (m->cfg.any_requested_port && requested >= MGR_MIN_FREE_PORT)) &&
	    !twr_port_pool_taken(m->pool, local, requested) && port_unlistened(requested, &pr))
		return requested;
	return twr_port_pool_find(m->pool, local, start, port_unlistened, &pr);
}

/* ---- entries ---- */

static uint64_t
ns_to_tsc(const struct twr_session_mgr *m, uint64_t ns)
{
	__extension__ typedef unsigned __int128 u128;
	u128 t = (u128)ns * m->tsc_hz / MGR_NS_PER_S;

	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

static uint64_t
tsc_to_ns(const struct twr_session_mgr *m, uint64_t tsc)
{
	__extension__ typedef unsigned __int128 u128;
	u128 t = (u128)tsc * MGR_NS_PER_S / m->tsc_hz;

	return t > UINT64_MAX ? UINT64_MAX : (uint64_t)t;
}

void
twr_session_mgr_entry_publish(struct mgr_entry *e, enum twr_session_run run)
{
	e->run = (uint8_t)run;
	/* pairs with the workers' acquire load in twr_session_check_run() */
	__atomic_store_n(&e->s->run_state, (uint8_t)run, __ATOMIC_RELEASE);
}

static int
table_del(struct twr_session_mgr *m, struct mgr_entry *e, bool listen)
{
	struct twr_session_key lk;
	int ret;

	if (listen) {
		twr_session_key_to_listen(&e->key, &lk);
		ret = twr_session_table_del_listen(m->t, &lk);
	} else {
		ret = twr_session_table_del_exact(m->t, &e->key);
	}
	if (ret == -EBUSY)
		return ret; /* nothing removed: readers stalled, retried by twr_session_mgr_poll()
			     */
	if (ret < 0)
		m->st.table_errors++;
	return 0;
}

/* Take both keys out of the table. -EBUSY: try again later (the keys left are kept). */
static int
entry_unpublish(struct twr_session_mgr *m, struct mgr_entry *e)
{
	if (e->run != TWR_SESSION_DEAD)
		twr_session_mgr_entry_publish(e, TWR_SESSION_DEAD);
	if (e->latch_keyed) {
		int ret = twr_session_table_del_exact(m->t, &e->latch_key);

		if (ret == -EBUSY)
			return ret;
		if (ret < 0)
			m->st.table_errors++;
		e->latch_keyed = false;
	}
	if (e->in_exact) {
		if (table_del(m, e, false) < 0)
			return -EBUSY;
		e->in_exact = false;
	}
	if (e->in_listen) {
		if (table_del(m, e, true) < 0)
			return -EBUSY;
		e->in_listen = false;
	}
	return 0;
}

/* The keys are gone: give the port and our reference back. */
static void
entry_free(struct twr_session_mgr *m, struct mgr_entry *e)
{
	twr_session_mgr_nat_ended(m, e);
	if (e->in_pool)
		twr_port_pool_give(m->pool, e->key.local_addr, e->key.local_port);
	twr_session_table_session_put(m->t, e->s);
	m->nb_sessions--;
	free(e);
}

static struct mgr_entry *
entry_find(const struct twr_session_mgr_conn *mc, const uint8_t sid[TWR_SID_LEN])
{
	struct mgr_entry *e;

	for (e = TAILQ_FIRST(&mc->entries); e != NULL; e = TAILQ_NEXT(e, next))
		if (memcmp(e->sid, sid, TWR_SID_LEN) == 0)
			return e;
	return NULL;
}

/*
 * Take @p e from its connection and remove it: now, or at its drain
 * deadline when it is stopped and @p drain (its connection ended before
 * the Timeout after Stop-Sessions did: in-flight packets still deserve
 * their reply, RFC 5357 §3.8).
 */
static void
entry_remove(struct twr_session_mgr *m, struct mgr_entry *e, bool drain)
{
	uint64_t now_tsc = rte_rdtsc();

	TAILQ_REMOVE(&e->mc->entries, e, next);
	e->mc->nb_entries--;
	e->mc = NULL;
	if (drain && e->run == TWR_SESSION_STOPPING && e->s->expire_tsc > now_tsc) {
		e->remove_at_tsc = e->s->expire_tsc;
	} else {
		if (entry_unpublish(m, e) == 0) {
			entry_free(m, e);
			return;
		}
		e->remove_at_tsc = 0;
	}
	TAILQ_INSERT_TAIL(&m->deferred, e, next);
}

/* ---- the reserve callback ---- */

static uint8_t
refuse(struct twr_session_mgr *m, enum twr_session_mgr_refusal r)
{
	m->st.refused_by[r]++;
	return refusals[r].accept;
}

/* Resolve our side of the session: one of our addresses (see the file comment). */
static int
local_addr(struct twr_session_mgr_conn *mc, struct twr_session_params *p, uint8_t local[16])
{
	twr_addr_map(p->ipvn, p->receiver_addr, local);
	if (addr_is_local(mc->m, local))
		return 0;
	if (p->ipvn != mc->addrs.ipvn)
		return -EAFNOSUPPORT;
	memcpy(p->receiver_addr, mc->addrs.local, sizeof(p->receiver_addr));
	twr_addr_map(p->ipvn, p->receiver_addr, local);
	mc->m->st.receiver_not_local++;
	return 0;
}

uint8_t
twr_session_mgr_nat_policy_for(const struct twr_session_mgr *m, const uint8_t peer[16])
{
	int best = -1;
	unsigned int i;

	for (i = 0; i < m->cfg.nb_nat_rules; i++) {
		const struct twr_nat_rule *r = &m->cfg.nat_rules[i];

		if (twr_addr_prefix_match(peer, r->prefix, r->plen) && (int)r->plen > best)
			best = (int)i;
	}
	return best < 0 ? m->cfg.nat_policy : m->cfg.nat_rules[best].policy;
}

/* Latch policy: the sources the control peer @p peer vouches for (twr_nat.h). */
static void
session_fill_latch(const struct twr_session_mgr *m, struct twr_session *s, uint8_t ipvn,
		   const uint8_t peer[16])
{
	unsigned int i;

	twr_addr_mask(ipvn == 4 ? 96u + m->cfg.latch_len4 : m->cfg.latch_len6, s->nat.allow_mask);
	for (i = 0; i < 16; i++)
		s->nat.allow_addr[i] = peer[i] & s->nat.allow_mask[i];
	/* No window before Start-Sessions sets it (twr_session_mgr_apply()). */
	s->nat.latch_deadline_tsc = 0;
	s->latch_state = TWR_LATCH_PENDING;
}

static void
session_fill(struct twr_session *s, const struct twr_session_params *p,
	     const struct twr_session_key *k)
{
	s->engine = TWR_ENGINE_TWAMP;
	s->modes = p->modes;
	s->dscp_policy = TWR_DSCP_FIXED;
	s->dscp = p->dscp;
	s->run_state = TWR_SESSION_PENDING;
	s->reflect_len = p->padding_reflect_len;
	s->padding_len = p->padding_length > UINT16_MAX ? UINT16_MAX : (uint16_t)p->padding_length;
	s->peer_port = k->remote_port;
	memcpy(s->peer_addr, k->remote_addr, sizeof(s->peer_addr));
}

/* Insert both keys; on failure, nothing stays in the table. */
static int
entry_publish_keys(struct twr_session_mgr *m, struct mgr_entry *e)
{
	struct twr_session_key lk;
	int ret;

	ret = twr_session_table_add_exact(m->t, &e->key, e->s);
	if (ret < 0)
		return ret;
	e->in_exact = true;
	twr_session_key_to_listen(&e->key, &lk);
	ret = twr_session_table_add_listen(m->t, &lk, e->s);
	if (ret < 0) {
		if (twr_session_table_del_exact(m->t, &e->key) == 0)
			e->in_exact = false;
		return ret;
	}
	e->in_listen = true;
	return 0;
}

/* Allocate and install the session of @p p on @p local:@p port. */
static int
entry_install(struct twr_session_mgr_conn *mc, const struct twr_session_params *p,
	      const uint8_t local[16], uint16_t port, struct mgr_entry **out)
{
	struct twr_session_mgr *m = mc->m;
	struct mgr_entry *e;
	int ret;

	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->s = twr_session_table_session_alloc(m->t);
	if (e->s == NULL) {
		free(e);
		return -ENOMEM;
	}
	memcpy(e->sid, p->sid, TWR_SID_LEN);
	memcpy(e->key.local_addr, local, 16);
	twr_addr_map(p->ipvn, p->sender_addr, e->key.remote_addr);
	e->key.local_port = port;
	e->key.remote_port = p->sender_port;
	e->key.vlan = m->cfg.vlan;
	session_fill(e->s, p, &e->key);
	e->id = ++m->next_id;
	memcpy(e->peer, mc->peer, 16);
	e->sender_not_peer = p->sender_not_peer;
	e->policy = twr_session_mgr_nat_policy_for(m, mc->peer);
	if (e->policy == TWR_NAT_LATCH)
		session_fill_latch(m, e->s, mc->addrs.ipvn, mc->peer);
	e->run = TWR_SESSION_PENDING;
	/* the configuration fields above are published by the adds */
	ret = entry_publish_keys(m, e);
	if (ret < 0) {
		/* an exact entry that could not be undone keeps the object (DEAD) alive */
		if (e->in_exact)
			twr_session_mgr_entry_publish(e, TWR_SESSION_DEAD);
		twr_session_table_session_put(m->t, e->s);
		free(e);
		return ret;
	}
	*out = e;
	return 0;
}

static uint8_t
mgr_reserve(void *ctx, struct twr_session_params *p)
{
	struct twr_session_mgr_conn *mc = ctx;
	struct twr_session_mgr *m = mc->m;
	struct mgr_entry *e = NULL;
	bool in_pool;
	uint8_t local[16];
	uint16_t port;
	int ret;

	if (p->sender_not_peer && m->cfg.sender_peer_only)
		return refuse(m, TWR_MGR_REFUSE_SENDER_NOT_PEER);
	if (m->nb_sessions >= m->cfg.max_sessions)
		return refuse(m, TWR_MGR_REFUSE_SESSION_LIMIT);
	if (local_addr(mc, p, local) < 0)
		return refuse(m, TWR_MGR_REFUSE_RECEIVER_NOT_LOCAL);
	port = port_pick(m, local, p->requested_port);
	if (port == 0)
		return refuse(m, TWR_MGR_REFUSE_PORTS_EXHAUSTED);
	in_pool = twr_port_pool_contains(m->pool, port);
	if (in_pool && twr_port_pool_take(m->pool, local, port) < 0)
		return refuse(m, TWR_MGR_REFUSE_NO_MEMORY); /* too many local addresses */
	ret = entry_install(mc, p, local, port, &e);
	if (ret < 0) {
		if (in_pool)
			twr_port_pool_give(m->pool, local, port);
		if (ret == -ENOMEM)
			return refuse(m, TWR_MGR_REFUSE_NO_MEMORY);
		if (ret == -ENOSPC)
			return refuse(m, TWR_MGR_REFUSE_TABLE_FULL);
		m->st.table_errors++;
		return refuse(m, TWR_MGR_REFUSE_TABLE_ERROR);
	}
	e->in_pool = in_pool;
	e->mc = mc;
	TAILQ_INSERT_TAIL(&mc->entries, e, next);
	mc->nb_entries++;
	m->nb_sessions++;
	m->st.sessions_added++;
	p->port = port;
	return TWR_ACCEPT_OK;
}

static int
mgr_random(void *ctx, void *buf, size_t len)
{
	uint8_t *b = buf;
	ssize_t n;

	(void)ctx;
	while (len > 0) {
		n = getrandom(b, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static const struct twr_server_ops mgr_ops = {
	.random = mgr_random,
	.reserve = mgr_reserve,
};

const struct twr_server_ops *
twr_session_mgr_server_ops(void)
{
	return &mgr_ops;
}

/* ---- actions ---- */

int
twr_session_mgr_apply(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
		      const struct twr_server_action *a, uint64_t now_ns)
{
	struct mgr_entry *e;
	uint64_t left;

	if (m == NULL || mc == NULL || a == NULL)
		return -EINVAL;
	if (a->type == TWR_ACT_TIMER || a->type == TWR_ACT_CLOSE)
		return 0;
	e = entry_find(mc, a->params.sid);
	if (e == NULL) {
		m->st.unknown_sid++;
		return -ENOENT;
	}
	switch (a->type) {
	case TWR_ACT_SESSION_ADD:
		break; /* installed by the reserve callback */
	case TWR_ACT_SESSION_START:
		/* REFWAIT counts packets from here on */
		e->seen_rx_tsc = __atomic_load_n(&e->s->stats.last_rx_tsc, __ATOMIC_RELAXED);
		/* The latch window opens now; read by the workers after the release below. */
		if (e->policy == TWR_NAT_LATCH)
			__atomic_store_n(&e->s->nat.latch_deadline_tsc,
					 rte_rdtsc() + ns_to_tsc(m, m->cfg.latch_window_ns),
					 __ATOMIC_RELAXED);
		twr_session_mgr_entry_publish(e, TWR_SESSION_STARTED);
		m->st.sessions_started++;
		break;
	case TWR_ACT_SESSION_STOP:
		left = a->deadline_ns > now_ns ? a->deadline_ns - now_ns : 0;
		/* read by the workers only after the release store of STOPPING */
		__atomic_store_n(&e->s->expire_tsc, rte_rdtsc() + ns_to_tsc(m, left),
				 __ATOMIC_RELAXED);
		twr_session_mgr_entry_publish(e, TWR_SESSION_STOPPING);
		m->st.sessions_stopped++;
		break;
	case TWR_ACT_SESSION_REMOVE:
		if ((unsigned int)a->reason < TWR_REASON_MAX)
			m->st.sessions_removed[a->reason]++;
		entry_remove(m, e, a->reason != TWR_REASON_DRAINED);
		break;
	default:
		break;
	}
	return 0;
}

int
twr_session_mgr_conn_refwait(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
			     uint64_t now_ns)
{
	uint64_t now_tsc = rte_rdtsc(), cur, age;
	struct mgr_entry *e;
	int n = 0;

	if (m == NULL || mc == NULL)
		return -EINVAL;
	if (mc->c == NULL)
		return 0;
	for (e = TAILQ_FIRST(&mc->entries); e != NULL; e = TAILQ_NEXT(e, next)) {
		if (e->run != TWR_SESSION_STARTED)
			continue;
		cur = __atomic_load_n(&e->s->stats.last_rx_tsc, __ATOMIC_RELAXED);
		if (cur == e->seen_rx_tsc)
			continue;
		e->seen_rx_tsc = cur;
		/* the time of that packet, not of this sweep: REFWAIT runs from it */
		age = now_tsc > cur ? tsc_to_ns(m, now_tsc - cur) : 0;
		twr_server_conn_test_activity(mc->c, e->sid, now_ns > age ? now_ns - age : 0);
		m->st.refwait_reports++;
		n++;
	}
	return n;
}

/* ---- connections ---- */

int
twr_session_mgr_conn_open(struct twr_session_mgr *m, const struct twr_conn_addrs *addrs,
			  struct twr_session_mgr_conn **out)
{
	struct twr_session_mgr_conn *mc, *o;
	uint8_t peer[16];
	uint32_t same = 0;

	if (m == NULL || addrs == NULL || out == NULL)
		return -EINVAL;
	if (m->st.conns_open >= m->cfg.max_conns) {
		m->st.conns_refused[TWR_MGR_CONN_REFUSE_CONN_LIMIT]++;
		return -ENOSPC;
	}
	twr_addr_map(addrs->ipvn, addrs->peer, peer);
	for (o = TAILQ_FIRST(&m->conns); o != NULL; o = TAILQ_NEXT(o, next))
		if (memcmp(o->peer, peer, 16) == 0)
			same++;
	if (same >= m->cfg.max_conns_per_source) {
		m->st.conns_refused[TWR_MGR_CONN_REFUSE_SOURCE_LIMIT]++;
		return -EUSERS;
	}
	mc = calloc(1, sizeof(*mc));
	if (mc == NULL) {
		m->st.conns_refused[TWR_MGR_CONN_REFUSE_NO_MEMORY]++;
		return -ENOMEM;
	}
	mc->m = m;
	mc->addrs = *addrs;
	memcpy(mc->peer, peer, 16);
	TAILQ_INIT(&mc->entries);
	TAILQ_INSERT_TAIL(&m->conns, mc, next);
	m->st.conns_open++;
	m->st.conns_opened++;
	*out = mc;
	return 0;
}

void
twr_session_mgr_conn_attach(struct twr_session_mgr_conn *mc, struct twr_server_conn *c)
{
	if (mc != NULL)
		mc->c = c;
}

/* Add a state machine's request counters to @p st. */
static void
fold_conn_stats(struct twr_session_mgr_stats *st, const struct twr_server_conn_stats *cs)
{
	unsigned int i;

	st->requests += cs->requests;
	st->accepted += cs->accepted;
	st->alternate_port += cs->alternate_port;
	for (i = 0; i < RTE_DIM(st->refused); i++)
		st->refused[i] += cs->refused[i];
	st->sender_not_peer += cs->sender_not_peer;
}

void
twr_session_mgr_conn_close(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
			   enum twr_server_reason reason)
{
	struct mgr_entry *e;
	uint32_t held;

	if (m == NULL || mc == NULL)
		return;
	/* the state machine removes its sessions before its CLOSE: only a bug leaves some */
	held = mc->nb_entries;
	if (held > 0 && mc->c != NULL)
		MGR_LOG(WARNING, "connection closed holding %u sessions: removed", held);
	while ((e = TAILQ_FIRST(&mc->entries)) != NULL) {
		m->st.sessions_removed[TWR_REASON_LOCAL_CLOSE]++;
		entry_remove(m, e, true);
	}
	if (mc->c != NULL && twr_server_conn_stats(mc->c) != NULL)
		fold_conn_stats(&m->st, twr_server_conn_stats(mc->c));
	m->st.conns_closed[(unsigned int)reason < TWR_REASON_MAX ? reason
								 : TWR_REASON_LOCAL_CLOSE]++;
	m->st.conns_open--;
	TAILQ_REMOVE(&m->conns, mc, next);
	free(mc);
}

uint32_t
twr_session_mgr_conn_nb_sessions(const struct twr_session_mgr_conn *mc)
{
	return mc == NULL ? 0 : mc->nb_entries;
}

struct twr_session *
twr_session_mgr_conn_find(const struct twr_session_mgr_conn *mc, const uint8_t sid[TWR_SID_LEN])
{
	struct mgr_entry *e;

	if (mc == NULL || sid == NULL)
		return NULL;
	e = entry_find(mc, sid);
	return e == NULL ? NULL : e->s;
}

/* ---- lifecycle ---- */

int
twr_session_mgr_poll(struct twr_session_mgr *m)
{
	struct mgr_entry *e, *nx;
	uint64_t now_tsc;
	int n = 0;

	if (m == NULL)
		return -EINVAL;
	if (TAILQ_EMPTY(&m->deferred))
		return 0;
	now_tsc = rte_rdtsc();
	for (e = TAILQ_FIRST(&m->deferred); e != NULL; e = nx) {
		nx = TAILQ_NEXT(e, next);
		if (now_tsc < e->remove_at_tsc || entry_unpublish(m, e) < 0)
			continue;
		TAILQ_REMOVE(&m->deferred, e, next);
		entry_free(m, e);
		n++;
	}
	return n;
}

int
twr_session_mgr_stats_get(const struct twr_session_mgr *m, struct twr_session_mgr_stats *st)
{
	const struct twr_session_mgr_conn *mc;
	const struct mgr_entry *e;

	if (m == NULL || st == NULL)
		return -EINVAL;
	*st = m->st;
	for (mc = TAILQ_FIRST(&m->conns); mc != NULL; mc = TAILQ_NEXT(mc, next))
		if (mc->c != NULL && twr_server_conn_stats(mc->c) != NULL)
			fold_conn_stats(st, twr_server_conn_stats(mc->c));
	st->sessions_active = m->nb_sessions;
	st->sessions_deferred = 0;
	for (e = TAILQ_FIRST(&m->deferred); e != NULL; e = TAILQ_NEXT(e, next))
		st->sessions_deferred++;
	st->ports_in_use = twr_port_pool_used(m->pool);
	return 0;
}

static bool
nat_rules_valid(const struct twr_session_mgr_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_nat_rules && i < TWR_SESSION_MGR_MAX_NAT_RULES; i++)
		if (cfg->nat_rules[i].plen > 128 || cfg->nat_rules[i].policy > TWR_NAT_LATCH)
			return false;
	return true;
}

struct twr_session_mgr *
twr_session_mgr_create(const struct twr_session_mgr_config *cfg, struct twr_session_table *table)
{
	struct twr_session_mgr *m;

	if (cfg == NULL || table == NULL || cfg->port_lo == 0 || cfg->port_hi < cfg->port_lo ||
	    cfg->max_sessions == 0 || cfg->max_conns == 0 || cfg->max_conns_per_source == 0 ||
	    cfg->nb_addrs > TWR_SESSION_MGR_MAX_ADDRS ||
	    cfg->nb_nat_rules > TWR_SESSION_MGR_MAX_NAT_RULES || cfg->nat_policy > TWR_NAT_LATCH ||
	    cfg->latch_len4 > 32 || cfg->latch_len6 > 128 || !nat_rules_valid(cfg)) {
		rte_errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	m->cfg = *cfg;
	m->t = table;
	m->tsc_hz = cfg->tsc_hz != 0 ? cfg->tsc_hz : rte_get_tsc_hz();
	m->pool = twr_port_pool_create(cfg->port_lo, cfg->port_hi);
	if (m->pool == NULL) {
		free(m);
		return NULL; /* rte_errno set */
	}
	TAILQ_INIT(&m->conns);
	TAILQ_INIT(&m->deferred);
	twr_ratelimit_init(&m->nat_rl, NAT_LOG_RATE, NAT_LOG_BURST, m->tsc_hz);
	return m;
}

void
twr_session_mgr_free(struct twr_session_mgr *m)
{
	struct twr_session_mgr_conn *mc;
	struct mgr_entry *e;

	if (m == NULL)
		return;
	while ((mc = TAILQ_FIRST(&m->conns)) != NULL) {
		mc->c = NULL; /* its state machine may be gone already */
		twr_session_mgr_conn_close(m, mc, TWR_REASON_LOCAL_CLOSE);
	}
	while ((e = TAILQ_FIRST(&m->deferred)) != NULL) {
		if (entry_unpublish(m, e) < 0 &&
		    twr_session_table_synchronize(m->t, MGR_FREE_SYNC_MS) < 0 &&
		    entry_unpublish(m, e) < 0) {
			/* a reader is stuck online: leave the rest to twr_session_table_free() */
			MGR_LOG(ERR, "session table busy: %u sessions left to the table",
				m->nb_sessions);
			break;
		}
		TAILQ_REMOVE(&m->deferred, e, next);
		entry_free(m, e);
	}
	/* the table frees their objects (twr_session_table_free()); only ours go */
	while ((e = TAILQ_FIRST(&m->deferred)) != NULL) {
		TAILQ_REMOVE(&m->deferred, e, next);
		free(e);
	}
	twr_session_table_synchronize(m->t, MGR_FREE_SYNC_MS);
	twr_port_pool_free(m->pool);
	free(m);
}
