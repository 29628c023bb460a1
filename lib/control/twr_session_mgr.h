/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SESSION_MGR_H
#define TWR_SESSION_MGR_H

/**
 * @file
 * The session manager: the only writer of the session table (DESIGN.md).
 *
 * It turns what the TWAMP-Control state machines (lib/proto/twr_server.h)
 * decide into data-plane state:
 * - the reserve callback (twr_session_mgr_server_ops()) applies policy and
 *   the global limits, picks the Receiver Port from the test-port pool of
 *   the local address, and installs the session in the table at once,
 *   PENDING (exact key: local address and granted port, remote Sender
 *   Address and Port, --vlan; listen key: local address, port and VLAN, so
 *   that a packet from any other source on that port is counted as a
 *   source mismatch, the NAT signature). Installing before the
 *   Accept-Session leaves means the Accept carries the table's real answer;
 * - the actions of the connection (twr_session_mgr_apply()): START
 *   publishes STARTED with a release store; STOP sets expire_tsc to the
 *   drain deadline in measured TSC ticks, then publishes STOPPING; REMOVE
 *   publishes DEAD, deletes both keys (RCU: the object is freed after the
 *   grace period), gives the port back;
 * - REFWAIT: twr_session_mgr_conn_refwait() reports to the state machine
 *   each started session whose last reflected packet is newer than at the
 *   previous call (call it about once a second per connection).
 *
 * Single-threaded: every function runs on the control lcore. Counters are
 * read with twr_session_mgr_stats_get() (the CLI and telemetry call it).
 *
 * Choices (docs/decisions.md):
 * - the pool is per local address; the requested Receiver Port is granted
 *   when in the pool and free (else an alternate from the pool, Accept 0;
 *   pool exhausted: Accept 5). With any_requested_port, a free requested
 *   port >= 1024 outside the pool is granted too, for clients that send to
 *   the port they asked for whatever the Accept-Session says;
 * - a port is free when the pool has not given it and the listen table has
 *   no entry for it (TWAMP-Light/STAMP ports, synthetic sessions);
 * - a Receiver Address that is not one of ours (DNAT in front of the
 *   reflector) is replaced by the control connection's local address in
 *   the same family (counted, receiver_not_local), refused (Accept 1) in
 *   another family;
 * - a Sender Address other than the control peer is accepted and counted
 *   (the data plane then counts the NAT signature), unless
 *   sender_peer_only (RFC 4656 §6.2 anti-DoS default) refuses it (Accept 1);
 * - Start Time is not waited for: a session reflects from Start-Ack
 *   (RFC 4656 §3.7 only requires being ready by then);
 * - a stopped session removed because its connection ended keeps
 *   reflecting until its Stop + Timeout deadline (the data plane stops at
 *   expire_tsc anyway); its port is released then.
 */

#include <stdbool.h>
#include <stdint.h>

#include "twr_nat_diag.h"
#include "twr_server.h"

struct twr_session_table;
struct twr_session_mgr;
struct twr_session_mgr_conn;

/** Local addresses a manager knows (beyond: any address is local). */
#define TWR_SESSION_MGR_MAX_ADDRS 64
/** NAT policy rules (per client prefix) a manager holds. */
#define TWR_SESSION_MGR_MAX_NAT_RULES 64
/** Ended sessions whose NAT picture is kept (twr_session_mgr_nat_foreach()). */
#define TWR_SESSION_MGR_NAT_HISTORY 256

/** The NAT policy of the control clients within a prefix. */
struct twr_nat_rule {
	uint8_t prefix[16]; /**< IPv6 or IPv4-mapped; bits beyond plen are ignored */
	uint8_t plen;	    /**< prefix length over the 128 bits (IPv4 /n: 96 + n) */
	uint8_t policy;	    /**< enum twr_nat_policy */
};

/** Refusals of a Request-TW-Session by the manager, with their Accept value. */
#define TWR_SESSION_MGR_REFUSALS(_)                                                                \
	_(PORTS_EXHAUSTED, "ports_exhausted", TWR_ACCEPT_TEMPORARY)                                \
	_(SESSION_LIMIT, "session_limit", TWR_ACCEPT_TEMPORARY)                                    \
	_(TABLE_FULL, "table_full", TWR_ACCEPT_TEMPORARY)                                          \
	_(SENDER_NOT_PEER, "sender_not_peer", TWR_ACCEPT_FAILURE)                                  \
	_(RECEIVER_NOT_LOCAL, "receiver_not_local", TWR_ACCEPT_FAILURE)                            \
	_(NO_MEMORY, "no_memory", TWR_ACCEPT_INTERNAL)                                             \
	_(TABLE_ERROR, "table_error", TWR_ACCEPT_INTERNAL)

#define TWR_SESSION_MGR_REFUSAL_ENUM(n, s, a) TWR_MGR_REFUSE_##n,
enum twr_session_mgr_refusal {
	TWR_SESSION_MGR_REFUSALS(TWR_SESSION_MGR_REFUSAL_ENUM) TWR_MGR_REFUSE_MAX
};
#undef TWR_SESSION_MGR_REFUSAL_ENUM

/** Refusals of a control connection (accepted, then closed at once). */
#define TWR_SESSION_MGR_CONN_REFUSALS(_)                                                           \
	_(CONN_LIMIT, "connection_limit")                                                          \
	_(SOURCE_LIMIT, "source_limit")                                                            \
	_(NO_MEMORY, "no_memory")

#define TWR_SESSION_MGR_CONN_REFUSAL_ENUM(n, s) TWR_MGR_CONN_REFUSE_##n,
enum twr_session_mgr_conn_refusal {
	TWR_SESSION_MGR_CONN_REFUSALS(TWR_SESSION_MGR_CONN_REFUSAL_ENUM) TWR_MGR_CONN_REFUSE_MAX
};
#undef TWR_SESSION_MGR_CONN_REFUSAL_ENUM

/** Configuration of a manager. */
struct twr_session_mgr_config {
	uint16_t port_lo; /**< test-port pool, first port (>= 1) */
	uint16_t port_hi; /**< test-port pool, last port (>= port_lo) */
	/** Grant a free requested port >= 1024 outside the pool (see the file comment). */
	bool any_requested_port;
	/** Refuse (Accept 1) a Sender Address other than the control peer. */
	bool sender_peer_only;
	uint16_t vlan;		       /**< VLAN of the sessions' keys (0: untagged) */
	uint32_t max_sessions;	       /**< managed sessions in total; beyond: Accept 5 */
	uint32_t max_conns;	       /**< control connections in total */
	uint32_t max_conns_per_source; /**< control connections per peer address */
	/** TSC rate to turn durations into ticks (twr_clock_tsc_hz()); 0: rte_get_tsc_hz(). */
	uint64_t tsc_hz;
	/** Our addresses, IPv6 or IPv4-mapped; nb_addrs 0: every address is ours. */
	uint8_t addrs[TWR_SESSION_MGR_MAX_ADDRS][16];
	unsigned int nb_addrs;
	/** NAT policy of a control client no rule matches (enum twr_nat_policy). */
	uint8_t nat_policy;
	/** Per client prefix: the longest prefix holding the control peer decides. */
	struct twr_nat_rule nat_rules[TWR_SESSION_MGR_MAX_NAT_RULES];
	unsigned int nb_nat_rules;
	/** Latch policy: how long after Start-Sessions a session may latch. */
	uint64_t latch_window_ns;
	/** Latch policy: leading bits of the control peer's address a source must share. */
	uint8_t latch_len4; /**< 0-32 (32: that address only) */
	uint8_t latch_len6; /**< 0-128 */
};

/** Counters of a manager (twr_session_mgr_stats_get()). */
struct twr_session_mgr_stats {
	/* control connections */
	uint64_t conns_opened;				 /**< admitted */
	uint32_t conns_open;				 /**< now */
	uint64_t conns_closed[TWR_REASON_MAX];		 /**< by the reason of their CLOSE */
	uint64_t conns_refused[TWR_MGR_CONN_REFUSE_MAX]; /**< by reason */
	/* Request-TW-Session, over every connection ever opened */
	uint64_t requests;	 /**< received */
	uint64_t accepted;	 /**< answered Accept 0 */
	uint64_t alternate_port; /**< ... with a port other than the one requested */
	uint64_t refused[7];	 /**< answered Accept n (index n) */
	uint64_t refused_by[TWR_MGR_REFUSE_MAX]; /**< the manager's own refusals, by reason */
	uint64_t sender_not_peer;		 /**< control-path NAT indications */
	uint64_t receiver_not_local; /**< Receiver Address replaced by the connection's */
	/* sessions */
	uint64_t sessions_added;		   /**< installed in the table */
	uint64_t sessions_started;		   /**< published STARTED */
	uint64_t sessions_stopped;		   /**< published STOPPING */
	uint64_t sessions_stopped_by_operator;	   /**< twr_session_mgr_session_stop() */
	uint64_t sessions_removed[TWR_REASON_MAX]; /**< REMOVE actions, by reason */
	uint32_t sessions_active;		   /**< in the table now (draining ones included) */
	uint32_t sessions_deferred;		   /**< removed, waiting (drain, busy table) */
	uint32_t ports_in_use;			   /**< Receiver Ports held */
	uint64_t refwait_reports;		   /**< activity reported to REFWAIT */
	uint64_t table_errors;			   /**< unexpected session table errors */
	uint64_t unknown_sid;			   /**< actions naming a SID the manager lacks */
};

/**
 * Fill @p cfg with defaults: pool 20000-20999, 4096 sessions, 256
 * connections, 64 per source; NAT policy strict, latch window 10 s, latch
 * source the control peer's address (/32, /128).
 */
void twr_session_mgr_config_defaults(struct twr_session_mgr_config *cfg);

/**
 * Create a manager of @p table.
 *
 * @param cfg    copied.
 * @param table  the session table; must outlive the manager.
 * @return the manager, or NULL with rte_errno: EINVAL (NULL argument, empty
 *   or inverted pool, port_lo 0, max_sessions/max_conns/max_conns_per_source
 *   0, nb_addrs too large), ENOMEM.
 */
struct twr_session_mgr *twr_session_mgr_create(const struct twr_session_mgr_config *cfg,
					       struct twr_session_table *table);

/**
 * Remove every session still installed (immediately, drains included),
 * wait for their grace period (at most 1 s) and free the manager. Every
 * connection must have been closed (twr_session_mgr_conn_close()) first.
 *
 * @param m  the manager; NULL does nothing.
 */
void twr_session_mgr_free(struct twr_session_mgr *m);

/**
 * The callbacks of twr_server_conn_create() for a connection of this
 * manager: random (getrandom()) and reserve. Pass the connection's
 * twr_session_mgr_conn as their context.
 */
const struct twr_server_ops *twr_session_mgr_server_ops(void);

/**
 * Admit a new control connection, applying the connection limits.
 *
 * @param m      the manager.
 * @param addrs  the TCP connection's addresses (copied).
 * @param out    set to the connection's manager state on success.
 * @return 0; -ENOSPC (max_conns reached), -EUSERS (max_conns_per_source
 *   reached for the peer address), -ENOMEM; each refusal is counted in
 *   conns_refused. -EINVAL for NULL arguments.
 */
int twr_session_mgr_conn_open(struct twr_session_mgr *m, const struct twr_conn_addrs *addrs,
			      struct twr_session_mgr_conn **out);

/**
 * Tell the manager which state machine drives @p mc (for REFWAIT reports
 * and counters). Call right after twr_server_conn_create().
 */
void twr_session_mgr_conn_attach(struct twr_session_mgr_conn *mc, struct twr_server_conn *c);

/**
 * Apply one action popped from the connection's state machine. TIMER and
 * CLOSE are the caller's (they return 0 and do nothing here).
 *
 * @param m       the manager.
 * @param mc      the connection the action came from.
 * @param a       the action.
 * @param now_ns  CLOCK_MONOTONIC ns, the time base of a->deadline_ns.
 * @return 0; -ENOENT when the action names a SID this connection does not
 *   hold (counted as unknown_sid); -EINVAL for NULL arguments.
 */
int twr_session_mgr_apply(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
			  const struct twr_server_action *a, uint64_t now_ns);

/**
 * Report REFWAIT activity: for every started session of @p mc whose last
 * reflected packet (stats.last_rx_tsc) changed since the previous call,
 * call twr_server_conn_test_activity() with that packet's time. The state
 * machine may then queue a TIMER: the caller handles the actions after.
 *
 * @return the number of sessions reported (>= 0); -EINVAL.
 */
int twr_session_mgr_conn_refwait(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
				 uint64_t now_ns);

/**
 * The control connection is gone (its socket closed). Folds its state
 * machine's counters into the totals and counts the close under
 * @p reason; sessions it still holds (there should be none: the state
 * machine removes them before its CLOSE) are removed with LOCAL_CLOSE.
 * Call before twr_server_conn_destroy(); @p mc is freed.
 *
 * @param m       the manager.
 * @param mc      the connection; NULL does nothing.
 * @param reason  why it closed.
 */
void twr_session_mgr_conn_close(struct twr_session_mgr *m, struct twr_session_mgr_conn *mc,
				enum twr_server_reason reason);

/**
 * Periodic work, on the control loop: remove drained sessions of closed
 * connections whose deadline passed, retry deletions the table refused
 * (-EBUSY). Does not wait.
 *
 * @return sessions removed (>= 0); -EINVAL.
 */
int twr_session_mgr_poll(struct twr_session_mgr *m);

/**
 * Read the counters (sums over open and closed connections).
 *
 * @return 0; -EINVAL for NULL arguments.
 */
int twr_session_mgr_stats_get(const struct twr_session_mgr *m, struct twr_session_mgr_stats *st);

/**
 * NAT work, on the control loop (about every 100 ms): for each session
 * that latched, add its latched tuple to the exact table (its packets then
 * take the one-lookup path) and log it; for each session whose first
 * mismatch, refusal or late packet appeared, log one line naming the
 * session, the negotiated and observed tuples and the likely cause (at
 * most 10 lines a second, bursts of 20; suppressed lines are counted in
 * the next one).
 *
 * @return sessions newly reported (>= 0); -EINVAL.
 */
int twr_session_mgr_nat_poll(struct twr_session_mgr *m);

/** Called for each session by twr_session_mgr_nat_foreach(); non-zero stops the walk. */
typedef int (*twr_nat_info_cb)(const struct twr_nat_info *info, void *arg);

/**
 * The NAT picture of sessions: installed ones first, then the last
 * TWR_SESSION_MGR_NAT_HISTORY ended ones that had NAT activity.
 *
 * @param m    the manager.
 * @param all  true: every installed session; false: only those with NAT
 *             activity (twr_nat_info_active()) or under the latch policy.
 * @param cb   called for each; its non-zero return ends the walk.
 * @return 0, the callback's non-zero return, or -EINVAL.
 */
int twr_session_mgr_nat_foreach(struct twr_session_mgr *m, bool all, twr_nat_info_cb cb, void *arg);

/**
 * NAT totals: every session ever installed (live ones read now) and the
 * control-path indications (sender_not_peer).
 *
 * @return 0; -EINVAL.
 */
int twr_session_mgr_nat_totals(struct twr_session_mgr *m, struct twr_nat_totals *t);

/**
 * Change the NAT policy of clients no rule matches (the CLI's "set
 * nat-policy"); sessions already installed keep theirs.
 * @return 0; -EINVAL.
 */
int twr_session_mgr_nat_policy_set(struct twr_session_mgr *m, uint8_t policy);

/**
 * Set the policy of the clients within @p prefix/@p plen (over 128 bits):
 * replaces the rule of that exact prefix, or adds one.
 * @return 0; -ENOSPC (TWR_SESSION_MGR_MAX_NAT_RULES); -EINVAL.
 */
int twr_session_mgr_nat_rule_set(struct twr_session_mgr *m, const uint8_t prefix[16], uint8_t plen,
				 uint8_t policy);

/** The NAT policy a control client at @p peer (IPv6 or IPv4-mapped) gets. */
uint8_t twr_session_mgr_nat_policy_for(const struct twr_session_mgr *m, const uint8_t peer[16]);

/** One installed session as operators see it (twr_session_mgr_session_foreach()). */
struct twr_session_view {
	struct twr_nat_info
		nat; /**< id, SID, peer, tuples, NAT state and counters, rx, reflected */
	uint8_t run; /**< enum twr_session_run */
	bool stopped_by_operator; /**< twr_session_mgr_session_stop() */
	uint32_t modes;		  /**< TWR_MODE_* negotiated */
	uint8_t dscp;		  /**< Type-P DSCP of the replies */
	uint16_t padding_len;	  /**< negotiated Padding Length */
	uint32_t tx_seq;	  /**< next reflector Sequence Number */
	uint64_t dropped;	  /**< packets of the session not answered, any source */
	uint64_t last_rx_unix_ns; /**< last answered packet; 0: none */
};

/** Called by twr_session_mgr_session_foreach(); non-zero stops the walk. */
typedef int (*twr_session_view_cb)(const struct twr_session_view *v, void *arg);

/**
 * Walk the installed sessions (draining ones included), in installation
 * order per connection.
 *
 * @return 0, the callback's non-zero return, or -EINVAL.
 */
int twr_session_mgr_session_foreach(struct twr_session_mgr *m, twr_session_view_cb cb, void *arg);

/**
 * The view of the installed session @p id.
 *
 * @return 0; -ENOENT (no such session installed); -EINVAL.
 */
int twr_session_mgr_session_get(struct twr_session_mgr *m, uint32_t id, struct twr_session_view *v);

/**
 * The operator stops session @p id: the data plane stops answering it at
 * once (STOPPING with a deadline of now, counted under session_expired);
 * the control connection and its Stop-Sessions are left as they are, and
 * REFWAIT ends the session if the client does not. Counted in
 * sessions_stopped_by_operator.
 *
 * @return 0; -ENOENT; -EALREADY (stopped already); -EINVAL.
 */
int twr_session_mgr_session_stop(struct twr_session_mgr *m, uint32_t id);

/** Name of a manager refusal reason ("ports_exhausted", ...), "unknown" out of range. */
const char *twr_session_mgr_refusal_name(enum twr_session_mgr_refusal r);

/** Accept value sent for a manager refusal reason. */
uint8_t twr_session_mgr_refusal_accept(enum twr_session_mgr_refusal r);

/** Name of a connection refusal reason ("connection_limit", ...), "unknown" out of range. */
const char *twr_session_mgr_conn_refusal_name(enum twr_session_mgr_conn_refusal r);

/** Sessions the connection has installed (added, not yet removed). */
uint32_t twr_session_mgr_conn_nb_sessions(const struct twr_session_mgr_conn *mc);

/**
 * The data-plane session of SID @p sid held by @p mc (tests, CLI): valid
 * until the next call that may remove it.
 *
 * @return the session, or NULL.
 */
struct twr_session *twr_session_mgr_conn_find(const struct twr_session_mgr_conn *mc,
					      const uint8_t sid[TWR_SID_LEN]);

#endif /* TWR_SESSION_MGR_H */
