/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_SESSION_H
#define TWR_PING_SESSION_H

/**
 * @file
 * The Session-Sender: one test session is a socket, a packet engine, a
 * schedule and its statistics; twr_ping_sender_run() drives any number of
 * sessions in one loop. It knows nothing of the command line or of the
 * report: the light and STAMP modes fill a twr_ping_session_cfg from the
 * options; the full TWAMP mode (ping_full.h) opens each session unconnected
 * (its local port goes into the Request-TW-Session), connects it to the
 * port the Accept-Session gave, and runs them all between Start-Sessions
 * and Stop-Sessions.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ping_format.h"
#include "ping_socket.h"
#include "ping_stats.h"

struct twr_ping_session;

/**
 * Called for every reply that matched a sent packet (received, late or
 * duplicate), after it was accounted; not for malformed ones.
 */
typedef void (*twr_ping_reply_cb)(const struct twr_ping_session *s, const struct twr_ping_reply *r,
				  enum twr_ping_verdict verdict, void *arg);

/** What a test session sends, where, and how often. */
struct twr_ping_session_cfg {
	const struct twr_ping_format *format;
	struct twr_ping_socket_cfg sock;
	uint32_t count;
	uint64_t interval_ns;
	uint64_t timeout_ns;	    /**< a reply later than this after its packet is late */
	uint64_t start_unix_ns;	    /**< no packet before this CLOCK_REALTIME instant; 0: at once */
	size_t size;		    /**< UDP payload of a sender packet */
	uint16_t ssid;		    /**< STAMP SSID, 0: none */
	twr_ping_reply_cb on_reply; /**< may be NULL */
	void *cb_arg;
};

/** A test session. Owned by the thread that runs twr_ping_sender_run(). */
struct twr_ping_session {
	struct twr_ping_session_cfg cfg;
	int fd;
	struct twr_ping_addr local;
	bool kernel_ts;		 /**< T4 from SO_TIMESTAMPNS */
	uint16_t error_estimate; /**< ours, sent with every packet */
	uint32_t next_seq;
	uint64_t next_send_ns; /**< CLOCK_MONOTONIC */
	uint64_t last_send_ns; /**< CLOCK_MONOTONIC */
	uint8_t *txbuf;
	struct twr_ping_stats stats;
};

/**
 * Open a session: socket, statistics, transmit buffer.
 * @param err  receives a message naming the option at fault.
 * @return 0; -errno (message in @p err).
 */
int twr_ping_session_open(struct twr_ping_session *s, const struct twr_ping_session_cfg *cfg,
			  char *err, size_t errlen);

/**
 * Connect a session opened without a destination (cfg.sock.dst.len 0) to
 * @p dst, before twr_ping_sender_run(). Updates cfg.sock.dst and local.
 * @return 0; -errno (message in @p err).
 */
int twr_ping_session_connect(struct twr_ping_session *s, const struct twr_ping_addr *dst, char *err,
			     size_t errlen);

/** Close the socket and free the buffers; the statistics are kept until free. */
void twr_ping_session_close(struct twr_ping_session *s);

/** Free the statistics (after the report). */
void twr_ping_session_free(struct twr_ping_session *s);

/**
 * Run sessions to completion: send each session's packets on its own
 * schedule (first at once or at its start_unix_ns, then every interval,
 * from a fixed origin so
 * the rate does not drift), account every reply, and return when every
 * session has sent all its packets and either has all its replies or has
 * waited its timeout after its last packet; or when *@p stop becomes
 * non-zero (a signal handler).
 *
 * @return 0; -EINVAL for bad arguments; -errno when polling fails.
 */
int twr_ping_sender_run(struct twr_ping_session *const *sessions, unsigned int n,
			const volatile sig_atomic_t *stop);

/**
 * Our clock's Error Estimate (digest §1.2): S from the kernel's NTP
 * synchronisation status, the bound from its estimated (synchronised) or
 * maximum (unsynchronised) error.
 */
uint16_t twr_ping_local_error_estimate(void);

#endif /* TWR_PING_SESSION_H */
