/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CTL_SERVER_H
#define TWR_CTL_SERVER_H

/**
 * @file
 * The TWAMP-Control server's I/O: kernel TCP sockets (the kernel reaches
 * the reflector's addresses through the TAP), non-blocking, one epoll set,
 * polled from the control loop without ever blocking.
 *
 * Each accepted connection is admitted by the session manager (connection
 * limits), then driven by a lib/proto state machine (twr_server.h): the
 * octets received are fed to it, its actions are applied through the
 * session manager before what it queued is sent (a START is published
 * before its Start-Ack leaves), its send queue is written with
 * non-blocking sends (short writes kept for later, EPOLLOUT while
 * something waits), its timers run at twr_server_conn_deadline(). A CLOSE
 * is honoured once the queue has drained (at most drain_ms), then the
 * write side is shut and the peer's FIN awaited (at most linger_ms) so
 * that our last message is not destroyed by a reset.
 *
 * A connection over a limit is accepted, sent a Server-Greeting with
 * Modes 0 ("no service", RFC 4656 §3.1) with one non-blocking send, and
 * closed at once; the refusal is counted by the manager.
 *
 * Logs one line per connection opened or closed (logtype user.twamp.ctl).
 * Single-threaded: the control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

#include "twr_server.h"

struct twr_session_mgr;
struct twr_ctl_server;

/** Listening addresses, at most. */
#define TWR_CTL_SERVER_MAX_BINDS 16

/** Configuration of a control server. */
struct twr_ctl_server_config {
	/** TCP port to listen on (0: an ephemeral port, see twr_ctl_server_port()). */
	uint16_t port;
	/**
	 * Addresses to listen on, IPv6 or IPv4-mapped (IP_FREEBIND: they may
	 * appear on the TAP later). nb_binds 0: the wildcard of both families.
	 */
	uint8_t binds[TWR_CTL_SERVER_MAX_BINDS][16];
	unsigned int nb_binds;
	/** The protocol's configuration (timers, sessions per connection); copied. */
	struct twr_server_config proto;
	/** Bound on the wait for the send queue to drain after a CLOSE. */
	uint32_t drain_ms;
	/** Bound on the wait for the peer's FIN after our shutdown. */
	uint32_t linger_ms;
	/** Interval of the REFWAIT activity reports (twr_session_mgr_conn_refwait()). */
	uint32_t refwait_report_ms;
};

/** Counters of a control server (twr_ctl_server_stats_get()). */
struct twr_ctl_server_stats {
	uint32_t listeners;	 /**< listening sockets open */
	uint64_t listen_errors;	 /**< addresses that could not be listened on */
	uint64_t accepted;	 /**< connections accepted by the kernel */
	uint64_t refused;	 /**< ... of which closed at once (limits) */
	uint64_t accept_errors;	 /**< accept() failures (EMFILE, ...) */
	uint32_t conns;		 /**< connections open now */
	uint64_t closed;	 /**< connections closed */
	uint64_t drain_timeouts; /**< ... whose queue did not drain in drain_ms */
	uint64_t io_errors;	 /**< send/recv errors (reset by peer, ...) */
	uint64_t bytes_in;
	uint64_t bytes_out;
};

/**
 * Fill @p cfg with defaults: port 862, wildcard, twr_server_config_defaults(),
 * drain 2 s, linger 1 s, REFWAIT reports every second.
 */
void twr_ctl_server_config_defaults(struct twr_ctl_server_config *cfg);

/**
 * Create the server and its listening sockets (SO_REUSEADDR, IP_FREEBIND,
 * IPV6_V6ONLY for IPv6). An address that cannot be listened on is logged
 * and counted (listen_errors), and the others are kept, so that a busy
 * port does not stop the data plane; check twr_ctl_server_stats_get()'s
 * listeners.
 *
 * @param cfg  copied.
 * @param mgr  the session manager; must outlive the server.
 * @return the server, or NULL with rte_errno: EINVAL (bad argument, proto
 *   config refused by twr_server_config_check()), ENOMEM, or the errno of
 *   epoll_create1().
 */
struct twr_ctl_server *twr_ctl_server_create(const struct twr_ctl_server_config *cfg,
					     struct twr_session_mgr *mgr);

/**
 * Close every connection (their sessions removed with LOCAL_CLOSE; what
 * they had queued is sent if the socket takes it at once) and the
 * listening sockets. The counters stay readable; polling does nothing more.
 *
 * @param srv  the server; NULL does nothing.
 */
void twr_ctl_server_shutdown(struct twr_ctl_server *srv);

/**
 * twr_ctl_server_shutdown(), then free the server. The manager is left to
 * its owner.
 *
 * @param srv  the server; NULL does nothing.
 */
void twr_ctl_server_free(struct twr_ctl_server *srv);

/**
 * Do what is ready, never blocking (epoll_wait with timeout 0): accept,
 * receive, run the state machines and apply their actions, send, close,
 * run due timers and the REFWAIT reports, then twr_session_mgr_poll().
 *
 * @param srv     the server.
 * @param now_ns  CLOCK_MONOTONIC, ns.
 * @return a measure of the work done (0: nothing happened, the caller may
 *   sleep); -EINVAL.
 */
int twr_ctl_server_poll(struct twr_ctl_server *srv, uint64_t now_ns);

/**
 * The port a listening socket of family @p ipvn (4 or 6) is bound to (the
 * ephemeral one when configured 0).
 *
 * @return the port; 0 when there is no listener of that family.
 */
uint16_t twr_ctl_server_port(const struct twr_ctl_server *srv, uint8_t ipvn);

/**
 * Read the counters.
 * @return 0; -EINVAL for NULL arguments.
 */
int twr_ctl_server_stats_get(const struct twr_ctl_server *srv, struct twr_ctl_server_stats *st);

/** One open control connection (twr_ctl_server_conn_foreach()). */
struct twr_ctl_conn_info {
	uint64_t id;		     /**< connection number, from 1 */
	struct twr_conn_addrs addrs; /**< peer and local address and port */
	const char *state;	     /**< setup, idle, testing, closed, draining, linger */
	uint32_t sessions;	     /**< sessions it holds in the table */
	uint64_t requests;	     /**< Request-TW-Session received */
	uint64_t accepted;	     /**< ... accepted */
	uint64_t refused;	     /**< ... refused (any Accept value but 0) */
	uint64_t sender_not_peer;    /**< control-path NAT indications */
	uint64_t age_ns;	     /**< since the connection was accepted */
	/** DSCP of the client\'s SYN, used on the connection (RFC 5357 §3.1); -1: unknown. */
	int dscp;
};

/** Called by twr_ctl_server_conn_foreach(); non-zero stops the walk. */
typedef int (*twr_ctl_conn_cb)(const struct twr_ctl_conn_info *info, void *arg);

/**
 * Walk the open control connections, oldest first. Control lcore.
 * @return 0, the callback's non-zero return, or -EINVAL.
 */
int twr_ctl_server_conn_foreach(const struct twr_ctl_server *srv, uint64_t now_ns,
				twr_ctl_conn_cb cb, void *arg);

#endif /* TWR_CTL_SERVER_H */
