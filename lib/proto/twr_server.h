/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SERVER_H
#define TWR_SERVER_H

/**
 * @file
 * The TWAMP-Control Server state machine for one control connection, as a
 * pure component (digest §2.12): no sockets, no clock, no threads.
 *
 * The caller (lib/control) feeds it what the TCP socket received, the EOF,
 * and the passing of time; it produces the octets to send (a byte queue the
 * caller drains at its own pace, which also absorbs short writes) and a
 * queue of actions for the session manager (a session was accepted and
 * must be installed, started, stopped, removed; the connection must close;
 * the timer must be re-armed).
 *
 * Resources outside the connection (test ports, global limits, policy) are
 * asked for through one synchronous callback, twr_server_ops.reserve, so
 * that the Accept-Session can carry the answer. Everything is deterministic
 * given the inputs and the random callback, which the tests replace.
 *
 * Modes: unauthenticated, plus Individual Session Control (16), Reflect
 * Octets (32), Symmetrical Size (64) and DSCP/ECN (256). The
 * authenticated, encrypted and mixed modes slot in behind the control
 * channel layer (twr_ctrl_channel.h: open received blocks, seal sent
 * messages, HMAC), which is the identity in unauthenticated mode.
 *
 * Times: @p now_ns arguments are CLOCK_MONOTONIC nanoseconds (timers);
 * @p now_ntp is the wall clock as an NTP timestamp (SIDs only).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "twr_ctrl_msg.h"
#include "twr_proto.h"

/** Feature bits this implementation can negotiate besides a security mode. */
#define TWR_SERVER_FEATURES                                                                        \
	(TWR_MODE_INDIVIDUAL | TWR_MODE_REFLECT_OCTETS | TWR_MODE_SYMMETRICAL | TWR_MODE_DSCP_ECN)

/** Server configuration; shared read-only by all connections. */
struct twr_server_config {
	/** Modes advertised in Server-Greeting; 0 refuses service. Only unauthenticated + features.
	 */
	uint32_t modes;
	/** PBKDF2 Count advertised (power of two >= 1024). */
	uint32_t count;
	/** Start-Time in Server-Start: when this server instance started (NTP). */
	uint64_t start_time;
	/** Sessions per connection (accepted and not yet removed); beyond it Accept = 5. */
	uint32_t max_sessions;
	/** Largest Padding Length accepted; beyond it Accept = 4. */
	uint32_t max_padding;
	/** Largest session Timeout accepted, ns; larger requests are clamped to it. */
	uint64_t max_timeout_ns;
	/** SERVWAIT: idle control connection is closed after this, ns (RFC 5357 §3.1). */
	uint64_t servwait_ns;
	/** REFWAIT: started session with no test packet for this long is removed, ns. */
	uint64_t refwait_ns;
	/** From accept to a valid Set-Up-Response, ns. */
	uint64_t handshake_ns;
	/** Bytes that may wait in the send queue before the peer is deemed not reading. */
	uint32_t max_tx_queue;
	/** IPv4 address (network order octets) for SIDs when the connection is IPv6; 0: use v6
	 * tail. */
	uint8_t sid_ipv4[4];
};

/** Fill @p cfg with the defaults: 900 s timers, 30 s handshake, 64 sessions, 16 KiB queue. */
void twr_server_config_defaults(struct twr_server_config *cfg);

/** Largest max_sessions accepted (bounds the per-connection buffers). */
#define TWR_SERVER_MAX_SESSIONS 65535u

/**
 * Check a configuration.
 * @return 0; -ENOTSUP when modes offers a security mode other than
 *   unauthenticated or an unknown feature bit; -ERANGE when count is not a
 *   power of two >= 1024, or max_sessions is 0 or above
 *   TWR_SERVER_MAX_SESSIONS, or modes is non-zero without the
 *   unauthenticated bit, or a timer (servwait_ns, refwait_ns,
 *   handshake_ns) is 0, or max_tx_queue cannot hold what one exchange
 *   queues at once (Server-Greeting + Server-Start, and the acks of a
 *   Start-N/Stop-N of max_sessions SIDs); -EINVAL for NULL.
 */
int twr_server_config_check(const struct twr_server_config *cfg);

/** The two ends of a control connection. */
struct twr_conn_addrs {
	uint8_t ipvn;	   /**< 4 or 6 */
	uint8_t peer[16];  /**< the Control-Client as the TCP socket sees it */
	uint8_t local[16]; /**< our address the connection arrived on */
	uint16_t peer_port;
	uint16_t local_port;
};

/** A session as negotiated, with the zero addresses already resolved. */
struct twr_session_params {
	uint8_t sid[TWR_SID_LEN];
	uint8_t ipvn;
	uint8_t sender_addr[16];   /**< where replies go (0 in the request: control peer) */
	uint8_t receiver_addr[16]; /**< our address (0 in the request: control local address) */
	uint16_t sender_port;
	uint16_t requested_port; /**< Receiver Port as requested */
	uint16_t port;		 /**< Receiver Port granted (set by reserve) */
	uint32_t padding_length;
	uint64_t start_time;	      /**< NTP, as requested */
	uint64_t timeout_ns;	      /**< Stop-Sessions grace, clamped to max_timeout_ns */
	uint8_t dscp;		      /**< from Type-P */
	uint32_t modes;		      /**< the connection's negotiated Mode */
	uint16_t octets_reflected;    /**< RFC 6038, echoed */
	uint16_t padding_reflect_len; /**< RFC 6038 */
	uint16_t server_octets;	      /**< RFC 6038, set by reserve (default 0) */
	bool sender_addr_zero;	      /**< the request carried Sender Address 0 */
	bool receiver_addr_zero;      /**< the request carried Receiver Address 0 */
	/** Non-zero Sender Address different from the TCP peer: control-path NAT indication. */
	bool sender_not_peer;
};

/** Callbacks into the caller. */
struct twr_server_ops {
	/** Fill @p buf with @p len cryptographically random octets; 0 or negative errno. */
	int (*random)(void *ctx, void *buf, size_t len);
	/**
	 * Reserve resources for a session that passed every protocol check:
	 * pick the Receiver Port (the requested one if free, else an alternate
	 * with Accept 0), apply policy and global limits. Set p->port (and
	 * p->server_octets if wanted). Return a twr_accept value; anything
	 * but TWR_ACCEPT_OK means nothing was reserved. An accepted session
	 * is later released by a TWR_ACT_SESSION_REMOVE action.
	 */
	uint8_t (*reserve)(void *ctx, struct twr_session_params *p);
};

/** Connection states (digest §2.12). */
enum twr_server_state {
	TWR_SRV_WAIT_SETUP, /**< greeting queued, waiting for Set-Up-Response */
	TWR_SRV_IDLE,	    /**< Server-Start sent; requests accepted */
	TWR_SRV_TESTING,    /**< base mode: Start-Ack sent, only Stop-Sessions valid */
	TWR_SRV_CLOSED,	    /**< a CLOSE action was emitted; input is ignored */
};

enum twr_server_action_type {
	TWR_ACT_SESSION_ADD,	/**< accepted: install (not yet reflecting); params valid */
	TWR_ACT_SESSION_START,	/**< reflect from now (or params.start_time if later) */
	TWR_ACT_SESSION_STOP,	/**< keep reflecting until deadline_ns, then it is removed */
	TWR_ACT_SESSION_REMOVE, /**< stop reflecting, release resources; reason says why */
	TWR_ACT_CLOSE,		/**< close the connection once the send queue is drained */
	TWR_ACT_TIMER, /**< call twr_server_conn_timer() at deadline_ns (UINT64_MAX: none) */
};

/** Why a session was removed or a connection closed; names for counters. */
#define TWR_SERVER_REASONS(_)                                                                      \
	_(NONE, "none")                                                                            \
	_(DRAINED, "stop timeout elapsed")                                                         \
	_(REFWAIT, "no test packet for REFWAIT")                                                   \
	_(PEER_CLOSED, "control connection closed by peer")                                        \
	_(PEER_CLOSED_MID_MESSAGE, "peer closed in the middle of a message")                       \
	_(SETUP_ABANDONED, "client sent Mode 0")                                                   \
	_(SETUP_REFUSED, "mode not offered or not exactly one security mode")                      \
	_(SERVICE_REFUSED, "server offers no mode")                                                \
	_(HANDSHAKE_TIMEOUT, "no Set-Up-Response in time")                                         \
	_(SERVWAIT, "control connection idle for SERVWAIT")                                        \
	_(UNKNOWN_COMMAND, "unknown or forbidden command")                                         \
	_(UNEXPECTED_COMMAND, "command not valid in this state")                                   \
	_(STOP_COUNT_MISMATCH, "Stop-Sessions count does not match")                               \
	_(BAD_MESSAGE, "malformed message")                                                        \
	_(TX_OVERFLOW, "peer does not read its responses")                                         \
	_(LOCAL_CLOSE, "closed locally")                                                           \
	_(NO_MEMORY, "out of memory")

#define TWR_SERVER_REASON_ENUM(n, s) TWR_REASON_##n,
enum twr_server_reason { TWR_SERVER_REASONS(TWR_SERVER_REASON_ENUM) TWR_REASON_MAX };
#undef TWR_SERVER_REASON_ENUM

/** Name of a reason, for logs and counters. */
const char *twr_server_reason_str(enum twr_server_reason r);

/** One action for the session manager. */
struct twr_server_action {
	enum twr_server_action_type type;
	enum twr_server_reason reason;	  /**< REMOVE and CLOSE */
	uint64_t deadline_ns;		  /**< STOP: reflect until; TIMER: when to call back */
	struct twr_session_params params; /**< session actions: params.sid names the session */
};

/** Per-connection counters (read by lib/control for telemetry). */
struct twr_server_conn_stats {
	uint64_t requests;		  /**< Request-TW-Session received */
	uint64_t accepted;		  /**< ... answered Accept 0 */
	uint64_t alternate_port;	  /**< ... of which with a port other than requested */
	uint64_t refused[7];		  /**< ... answered Accept n (index n, 1..6) */
	uint64_t sender_not_peer;	  /**< control-path NAT indications */
	uint64_t started;		  /**< sessions started */
	uint64_t stopped;		  /**< sessions stopped by the client */
	uint64_t removed[TWR_REASON_MAX]; /**< sessions removed, by reason */
	uint64_t bytes_in;
	uint64_t bytes_out;
};

struct twr_server_conn;

/**
 * Create the state machine of a new control connection and queue the
 * Server-Greeting (with Modes 0 and a CLOSE action when cfg->modes is 0).
 *
 * @param cfg    must outlive the connection; checked with twr_server_config_check().
 * @param ops    callbacks; @p ctx is passed to them.
 * @param addrs  the TCP connection's addresses.
 * @param now_ns monotonic time.
 * @return the connection, or NULL with errno set (EINVAL, ENOTSUP, ERANGE, ENOMEM,
 *   or the errno of a failed random callback).
 */
struct twr_server_conn *twr_server_conn_create(const struct twr_server_config *cfg,
					       const struct twr_server_ops *ops, void *ctx,
					       const struct twr_conn_addrs *addrs, uint64_t now_ns);

/** Free a connection. Emits nothing: call twr_server_conn_close() first to get REMOVE actions. */
void twr_server_conn_destroy(struct twr_server_conn *c);

/**
 * Feed octets received on the TCP connection. Handles partial messages and
 * several messages in one call.
 * @return 0; -ENOTCONN when the connection is already closed (input dropped);
 *   -EINVAL for NULL.
 */
int twr_server_conn_input(struct twr_server_conn *c, const uint8_t *data, size_t len,
			  uint64_t now_ns, uint64_t now_ntp);

/**
 * The peer closed its side (FIN/RST). Removes every session (reason
 * PEER_CLOSED, or PEER_CLOSED_MID_MESSAGE when part of a message was
 * pending) and emits CLOSE.
 */
void twr_server_conn_eof(struct twr_server_conn *c, uint64_t now_ns);

/** Close from our side (shutdown, admin): removes every session with @p reason, emits CLOSE. */
void twr_server_conn_close(struct twr_server_conn *c, enum twr_server_reason reason);

/** Process timers due at @p now_ns (handshake, SERVWAIT, REFWAIT, stop drains). */
void twr_server_conn_timer(struct twr_server_conn *c, uint64_t now_ns);

/**
 * A test packet of session @p sid passed validation at @p now_ns: refreshes
 * its REFWAIT (and emits a TIMER when that moves the deadline, so callers
 * should report activity at most every second or so, not per packet).
 * @return 0, or -ENOENT for an unknown SID or one already removed by
 *   REFWAIT; -EINVAL for NULL.
 */
int twr_server_conn_test_activity(struct twr_server_conn *c, const uint8_t sid[TWR_SID_LEN],
				  uint64_t now_ns);

/** Next timer deadline (monotonic ns), UINT64_MAX when none. */
uint64_t twr_server_conn_deadline(const struct twr_server_conn *c);

/** Pointer to the queued octets to send; returns their count (0: nothing). */
size_t twr_server_conn_tx_peek(const struct twr_server_conn *c, const uint8_t **data);

/** @p n octets of the send queue were written to the socket. */
void twr_server_conn_tx_consume(struct twr_server_conn *c, size_t n);

/**
 * Pop the oldest action. A TIMER not yet popped is updated in place when
 * the deadline moves again, so the queue holds at most one pending TIMER
 * per run of other actions. Pop the actions of a call before sending what
 * it queued: a START must be applied before its Start-Ack leaves.
 * @return 0, or -ENOENT when the queue is empty; -EINVAL for NULL.
 */
int twr_server_conn_action_pop(struct twr_server_conn *c, struct twr_server_action *a);

enum twr_server_state twr_server_conn_state(const struct twr_server_conn *c);

/** The Mode the client selected (0 before Set-Up-Response). */
uint32_t twr_server_conn_mode(const struct twr_server_conn *c);

/**
 * Number of sessions the connection holds (accepted, started or draining):
 * SESSION_ADD emitted, REMOVE not yet. A session removed by REFWAIT is no
 * longer held, though it keeps its table slot (and counts against
 * max_sessions) until the client stops it, because the client still
 * counts it in Stop-Sessions.
 */
uint32_t twr_server_conn_nb_sessions(const struct twr_server_conn *c);

const struct twr_server_conn_stats *twr_server_conn_stats(const struct twr_server_conn *c);

#endif /* TWR_SERVER_H */
