/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SESSION_MGR_PRIV_H
#define TWR_SESSION_MGR_PRIV_H

/*
 * The session manager's own structures, shared by its files:
 * twr_session_mgr.c (pools, limits, actions, connections) and
 * twr_session_mgr_nat.c (the NAT diagnosis). Not an interface.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include "twr_nat_diag.h"
#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"

/* One installed session. ctl only. */
struct mgr_entry {
	TAILQ_ENTRY(mgr_entry) next;	 /* in its connection's list, or in the deferred list */
	struct twr_session_mgr_conn *mc; /* NULL once deferred */
	uint8_t sid[TWR_SID_LEN];
	struct twr_session_key key; /* exact key; its listen key is derived */
	struct twr_session *s;	    /* our reference */
	bool in_pool;		    /* the port came from the pool */
	uint8_t run;		    /* enum twr_session_run last published */
	bool in_exact;
	bool in_listen;
	uint64_t seen_rx_tsc;	/* last_rx_tsc at the previous REFWAIT report */
	uint64_t remove_at_tsc; /* deferred: delete once the TSC passes it */
	/* NAT */
	uint32_t id;	      /* session number, from 1 (logs, telemetry) */
	uint8_t policy;	      /* enum twr_nat_policy */
	bool sender_not_peer; /* the request named a Sender Address other than the peer */
	uint8_t peer[16];     /* the control connection's peer address */
	struct twr_session_key latch_key; /* exact key of the latched tuple */
	bool latch_keyed;		  /* latch_key is in the exact table */
	bool latch_seen;		  /* the latch was handled (key added, logged) */
	bool nat_logged;		  /* the first NAT activity was logged */
	bool operator_stopped;		  /* twr_session_mgr_session_stop() */
};

TAILQ_HEAD(mgr_entry_list, mgr_entry);

struct twr_session_mgr_conn {
	TAILQ_ENTRY(twr_session_mgr_conn) next;
	struct twr_session_mgr *m;
	struct twr_server_conn *c; /* the state machine, once attached */
	struct twr_conn_addrs addrs;
	uint8_t peer[16]; /* IPv6 or IPv4-mapped: the per-source limit's key */
	struct mgr_entry_list entries;
	uint32_t nb_entries;
};

TAILQ_HEAD(mgr_conn_list, twr_session_mgr_conn);

struct twr_session_mgr {
	struct twr_session_mgr_config cfg;
	struct twr_session_table *t;
	uint64_t tsc_hz;
	struct twr_port_pool *pool;
	struct mgr_conn_list conns;
	struct mgr_entry_list deferred;
	uint32_t nb_sessions; /* entries installed, deferred included */
	/* Own counters, plus the folded counters of closed connections. */
	struct twr_session_mgr_stats st;
	/* NAT */
	uint32_t next_id;
	struct twr_ratelimit nat_rl;
	struct twr_nat_totals nat_ended; /* sums over the sessions removed */
	struct twr_nat_info nat_hist[TWR_SESSION_MGR_NAT_HISTORY]; /* ring of ended sessions */
	uint32_t nat_hist_next;					   /* next slot to write */
	uint32_t nat_hist_count;
};

/* Nanoseconds in a second; TSC <-> ns conversions of the manager. */
#define MGR_NS_PER_S 1000000000ull

/* NAT log lines: at most NAT_LOG_RATE a second, NAT_LOG_BURST at once. */
#define NAT_LOG_RATE  10
#define NAT_LOG_BURST 20

/*
 * The installed entries, each once: the connections' in order, then the
 * deferred ones (drains). @p e NULL gives the first; NULL at the end.
 * Adding or removing entries during the walk is not allowed.
 */
static inline struct mgr_entry *
twr_session_mgr_entry_next(const struct twr_session_mgr *m, const struct mgr_entry *e)
{
	const struct twr_session_mgr_conn *mc;

	if (e != NULL) {
		if (TAILQ_NEXT(e, next) != NULL)
			return TAILQ_NEXT(e, next);
		if (e->mc == NULL)
			return NULL; /* the end of the deferred list */
		mc = TAILQ_NEXT(e->mc, next);
	} else {
		mc = TAILQ_FIRST(&m->conns);
	}
	for (; mc != NULL; mc = TAILQ_NEXT(mc, next))
		if (!TAILQ_EMPTY(&mc->entries))
			return TAILQ_FIRST(&mc->entries);
	return TAILQ_FIRST(&m->deferred);
}

#define TWR_SESSION_MGR_FOREACH_ENTRY(m, e)                                                        \
	for ((e) = twr_session_mgr_entry_next((m), NULL); (e) != NULL;                             \
	     (e) = twr_session_mgr_entry_next((m), (e)))

/* twr_session_mgr_nat.c: the NAT picture of @p e now. */
void twr_session_mgr_nat_info_of(const struct twr_session_mgr *m, const struct mgr_entry *e,
				 struct twr_nat_info *info, uint64_t now_tsc, uint64_t now_unix);

/* twr_session_mgr.c: publish a run state (release store) and remember it. */
void twr_session_mgr_entry_publish(struct mgr_entry *e, enum twr_session_run run);

/* twr_session_mgr_nat.c: fold an ended session into the NAT totals and history. */
void twr_session_mgr_nat_ended(struct twr_session_mgr *m, struct mgr_entry *e);

#endif /* TWR_SESSION_MGR_PRIV_H */
