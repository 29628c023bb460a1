/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_CONTROL_H
#define TWR_PING_CONTROL_H

/**
 * @file
 * The TWAMP-Control client (RFC 5357 §3, RFC 5938; digest §2.1): one
 * control connection in unauthenticated mode, driven step by step by the
 * full mode (ping_full.h): open (greeting, Set-Up-Response, Server-Start),
 * one request per test session, start, stop, close. It follows the
 * standard to the letter, since it must work against other vendors'
 * servers: the Accept-Session port is the port used, Stop-Sessions carries
 * the exact number of sessions started, only offered Mode bits are
 * selected, and every read has a timeout naming the message it waited for.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "twr_proto.h"

#include "ping_ctrl_msg.h"
#include "ping_socket.h"

/** One test session as the control connection knows it. */
struct twr_ping_ctrl_session {
	bool requested;		 /**< a Request-TW-Session was sent */
	uint16_t sender_port;	 /**< its Sender Port */
	uint16_t requested_port; /**< its Receiver Port */
	bool answered;		 /**< an Accept-Session was read */
	uint8_t accept;		 /**< its Accept (0: accepted) */
	uint16_t port;		 /**< its Port: where the test packets go */
	uint8_t sid[TWR_SID_LEN];
	/** Set by the caller before start: accepted and ready to send (socket connected). */
	bool run;
	bool started;	      /**< the server started it */
	bool start_answered;  /**< a Start-N-Ack named it */
	uint8_t start_accept; /**< ... with this Accept */
	bool stop_answered;   /**< a Stop-N-Ack named it */
	uint8_t stop_accept;  /**< ... with this Accept */
};

/** A control connection. */
struct twr_ping_control {
	int fd;
	uint64_t timeout_ns;	     /**< every read, write and the connect */
	struct twr_ping_addr server; /**< the TCP peer */
	struct twr_ping_addr local;  /**< our end */
	struct twr_ping_greeting greeting;
	uint32_t mode;	       /**< the Mode we selected */
	bool individual_asked; /**< --individual */
	uint8_t server_start_accept;
	uint64_t server_start_time; /**< NTP: when the server started */
	unsigned int nb_sessions;   /**< entries of sess */
	struct twr_ping_ctrl_session *sess;
	bool start_sent;      /**< Start-Sessions or Start-N-Sessions */
	uint8_t start_accept; /**< Start-Ack (base mode) */
	bool stop_sent;	      /**< Stop-Sessions or Stop-N-Sessions */
	uint32_t stop_count;  /**< Number of Sessions in it */
};

/** True when Individual Session Control (RFC 5938) was selected. */
bool twr_ping_control_individual(const struct twr_ping_control *c);

/**
 * Connect, read the Server-Greeting, answer it, read the Server-Start.
 * On a greeting without the unauthenticated mode we answer Mode 0 (giving
 * up, RFC 4656 §3.1); on Modes 0 or a Count above 32768 we hang up.
 * @param source      local address for the connection, len 0: the kernel's choice.
 * @param individual  select Individual Session Control if the server offers it.
 * @return 0; -errno with a message in @p err (the connection is closed,
 *   but c->greeting and c->server_start_accept say how far it went; call
 *   twr_ping_control_free() in every case).
 */
int twr_ping_control_open(struct twr_ping_control *c, const struct twr_ping_addr *server,
			  const struct twr_ping_addr *source, uint64_t timeout_ns, bool individual,
			  unsigned int nb_sessions, char *err, size_t errlen);

/**
 * Request test session @p i and read its Accept-Session into c->sess[i].
 * @return 0 when an answer was read, accepted or not; -errno when the
 *   conversation cannot go on (message in @p err).
 */
int twr_ping_control_request(struct twr_ping_control *c, unsigned int i,
			     const struct twr_ping_request *r, char *err, size_t errlen);

/**
 * Start the sessions marked run: Start-Sessions (which starts every
 * accepted session) and its Start-Ack, or with Individual Session Control
 * one Start-N-Sessions listing them and the Start-N-Acks until each is
 * answered (the server groups SIDs by Accept). Sets started.
 * @return 0 (with Start-N, some sessions may still have been refused:
 *   see start_accept); -ECONNREFUSED when the Start-Ack is not 0; another
 *   -errno (message in @p err).
 */
int twr_ping_control_start(struct twr_ping_control *c, char *err, size_t errlen);

/**
 * Stop what was started: Stop-Sessions carrying the exact number of
 * sessions started (RFC 5357 §3.8), or Stop-N-Sessions listing them and
 * the Stop-N-Acks. Nothing is sent when nothing was started.
 * @return 0; -errno (message in @p err).
 */
int twr_ping_control_stop(struct twr_ping_control *c, char *err, size_t errlen);

/** Close the connection; what it learnt stays for the report. */
void twr_ping_control_close(struct twr_ping_control *c);

/** Close the connection and free the session table (also after a failed open). */
void twr_ping_control_free(struct twr_ping_control *c);

/** Number of sessions accepted (Accept 0) / started by the server. */
unsigned int twr_ping_control_count_accepted(const struct twr_ping_control *c);
unsigned int twr_ping_control_count_started(const struct twr_ping_control *c);

#endif /* TWR_PING_CONTROL_H */
