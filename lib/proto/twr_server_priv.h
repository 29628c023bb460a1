/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SERVER_PRIV_H
#define TWR_SERVER_PRIV_H

/**
 * @file
 * Internals shared by the two halves of the TWAMP-Control server:
 * twr_server.c (connection lifecycle, framing, queues, timers) and
 * twr_server_session.c (the per-session commands and the session table).
 * Not installed, not part of the API.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "twr_ctrl_channel.h"
#include "twr_server.h"

/**
 * Life of one slot of the per-connection session table. Every state but
 * FREE and EXPIRED means the session manager holds the session (a
 * SESSION_ADD was emitted and its REMOVE was not).
 */
enum twr_srv_sess_state {
	TWR_SRV_SESS_FREE = 0,
	TWR_SRV_SESS_ACCEPTED, /**< Accept-Session 0 sent, not started */
	TWR_SRV_SESS_STARTED,  /**< reflecting; REFWAIT runs */
	/**
	 * REFWAIT expired: removed from the manager, but the client does not
	 * know and still counts it in Stop-Sessions, so the slot stays taken
	 * until Stop-Sessions, Stop-N-Sessions or close.
	 */
	TWR_SRV_SESS_EXPIRED,
	TWR_SRV_SESS_STOPPED, /**< stopped by the client: reflecting until drain_ns */
};

/** One slot of the session table. */
struct twr_srv_session {
	enum twr_srv_sess_state state;
	uint64_t activity_ns; /**< STARTED: REFWAIT runs from here */
	uint64_t drain_ns;    /**< STOPPED: REMOVE(DRAINED) at this time */
	struct twr_session_params p;
};

/** One control connection. Single-threaded: owned by the control lcore. */
struct twr_server_conn {
	const struct twr_server_config *cfg;
	const struct twr_server_ops *ops;
	void *ctx;
	struct twr_conn_addrs addrs;
	enum twr_server_state state;
	uint32_t mode; /**< negotiated Mode, 0 before Set-Up-Response */
	struct twr_ctrl_channel chan;
	/** Kept for the secure channels: the Token proves knowledge of its Challenge. */
	struct twr_server_greeting greeting;

	/* Input reassembly: one message at a time. */
	uint8_t *rx_buf;
	size_t rx_cap;	   /**< largest acceptable message */
	size_t rx_len;	   /**< octets of the current message received */
	size_t rx_need;	   /**< octets to have before the next step */
	bool rx_head_open; /**< first block of the current command opened */

	/* Send queue: octets [tx_head, tx_tail) of tx_buf wait for the socket. */
	uint8_t *tx_buf;
	size_t tx_cap;
	size_t tx_head;
	size_t tx_tail;

	/* Action FIFO: a ring of act_cap entries. */
	struct twr_server_action *act;
	uint32_t act_cap;
	uint32_t act_head;
	uint32_t act_count;

	/* Timers (monotonic ns). */
	uint64_t handshake_ns;	  /**< WAIT_SETUP: close at this time */
	uint64_t servwait_ref_ns; /**< SERVWAIT runs from here: last octet in, or resume */
	uint64_t armed_ns;	  /**< deadline of the last TIMER action (UINT64_MAX: none) */

	/* Session table: cfg->max_sessions slots, fixed at create. */
	struct twr_srv_session *sess;
	uint32_t nb_used; /**< slots not FREE (limit for Accept 5) */
	uint32_t nb_held; /**< slots the manager holds (ADD without REMOVE) */
	uint32_t nb_live; /**< STARTED slots: SERVWAIT is suspended while > 0 */
	/** Start-N/Stop-N scratch: per-SID Accept and a SID list, max_sessions entries each. */
	uint8_t *scratch_accept;
	uint8_t *scratch_sids;

	struct twr_server_conn_stats stats;
};

/** Saturating a + b, so that huge configured intervals mean "never". */
static inline uint64_t
twr_srv_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* twr_server.c */

/**
 * Reserve @p len octets at the tail of the send queue for a message.
 * @return the place to encode it, or NULL after closing the connection
 *   (TX_OVERFLOW, NO_MEMORY).
 */
uint8_t *twr_srv_tx_reserve(struct twr_server_conn *c, size_t len);

/**
 * Seal (control channel) and commit the message encoded at the reserved
 * place. @return 0, or a negative errno after closing the connection.
 */
int twr_srv_tx_commit(struct twr_server_conn *c, size_t len, size_t clear_len, bool hmac_last);

/**
 * Make sure the action ring can take one more action (possibly a
 * SESSION_ADD) while keeping room for the REMOVE of every held session and
 * the CLOSE. Call it before a side effect that must be followed by an
 * action, e.g. before ops->reserve().
 * @return 0; -ENOMEM after closing the connection with NO_MEMORY.
 */
int twr_srv_action_ensure(struct twr_server_conn *c);

/**
 * Queue an action. Session actions and TIMER are refused (-ENOMEM, after
 * closing with NO_MEMORY) when the ring cannot keep room for the REMOVE of
 * every held session plus the CLOSE, so that a close is always possible.
 * An unread TIMER at the tail is updated in place rather than followed by
 * another.
 */
int twr_srv_action_push(struct twr_server_conn *c, const struct twr_server_action *a);

/** Queue a session action of @p type for @p s (reason for REMOVE, deadline for STOP). */
int twr_srv_session_action(struct twr_server_conn *c, enum twr_server_action_type type,
			   const struct twr_srv_session *s, enum twr_server_reason reason,
			   uint64_t deadline_ns);

/** Remove every session with @p reason, queue CLOSE, enter CLOSED. No-op when closed. */
void twr_srv_close(struct twr_server_conn *c, enum twr_server_reason reason);

/* twr_server_session.c */

/**
 * Encode Accept-Session @p m at @p out (a place reserved with
 * twr_srv_tx_reserve(), or NULL to reserve one now), seal and queue it.
 * @return 0, or a negative errno after closing the connection.
 */
int twr_srv_send_accept_session(struct twr_server_conn *c, uint8_t *out,
				const struct twr_accept_session *m);

/** Handle a whole Request-TW-Session (112 octets, opened). */
void twr_srv_request_session(struct twr_server_conn *c, const uint8_t *msg, uint64_t now_ns,
			     uint64_t now_ntp);

/** Base mode Start-Sessions (state IDLE checked by the caller). */
void twr_srv_start_sessions(struct twr_server_conn *c, const uint8_t *msg, size_t len,
			    uint64_t now_ns);

/** Base mode Stop-Sessions (state TESTING checked by the caller). */
void twr_srv_stop_sessions(struct twr_server_conn *c, const uint8_t *msg, size_t len,
			   uint64_t now_ns);

/** Individual mode Start-N-Sessions (7) or Stop-N-Sessions (9). */
void twr_srv_sid_list_cmd(struct twr_server_conn *c, const uint8_t *msg, size_t len,
			  uint64_t now_ns);

/** Expire drains (REMOVE DRAINED) and REFWAITs (REMOVE REFWAIT) due at @p now_ns. */
void twr_srv_sessions_timer(struct twr_server_conn *c, uint64_t now_ns);

/** Earliest session deadline (REFWAIT of live sessions, drains), UINT64_MAX when none. */
uint64_t twr_srv_sessions_deadline(const struct twr_server_conn *c);

/** REMOVE every held session with @p reason and free every slot. */
void twr_srv_sessions_remove_all(struct twr_server_conn *c, enum twr_server_reason reason);

/** Find the slot holding @p sid (any state but FREE), or NULL. */
struct twr_srv_session *twr_srv_session_find(struct twr_server_conn *c,
					     const uint8_t sid[TWR_SID_LEN]);

#endif /* TWR_SERVER_PRIV_H */
