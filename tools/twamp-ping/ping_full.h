/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_FULL_H
#define TWR_PING_FULL_H

/**
 * @file
 * twamp-ping --mode full: the TWAMP-Control client negotiates the test
 * sessions (ping_control.h), the Session-Sender runs them all at once
 * (ping_session.h), and the report shows each session, their total and
 * what the control connection learnt (ping_report_full.h).
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "ping_control.h"
#include "ping_options.h"
#include "ping_session.h"
#include "ping_stats.h"

/** How far a session got, for the report. */
enum twr_ping_full_status {
	TWR_PING_FULL_NOT_REQUESTED, /**< the conversation ended before its request */
	TWR_PING_FULL_NOT_ANSWERED,  /**< ... before its Accept-Session */
	TWR_PING_FULL_REFUSED,	     /**< Accept-Session with Accept != 0 */
	TWR_PING_FULL_UNUSABLE,	     /**< accepted, but no port or the socket cannot reach it */
	TWR_PING_FULL_NOT_STARTED,   /**< accepted, the conversation ended before the start */
	TWR_PING_FULL_START_REFUSED, /**< a Start-N-Ack with Accept != 0 named it */
	TWR_PING_FULL_RAN,	     /**< tested */
};

/** One test session of the full mode. */
struct twr_ping_full_session {
	struct twr_ping_session s; /**< valid when opened */
	bool opened;
	enum twr_ping_full_status status;
	struct twr_ping_summary sum; /**< when status is RAN */
};

/** A full-mode run. */
struct twr_ping_full {
	const struct twr_ping_options *o;
	struct twr_ping_control ctrl; /**< ctrl.sess[i] goes with sess[i] */
	struct twr_ping_full_session *sess;
	unsigned int nb_sessions;
	unsigned int nb_ran;
	uint64_t start_time;	/**< NTP Start Time sent in every request, 0: none */
	uint64_t start_unix_ns; /**< the same instant in Unix ns, 0: none */
	/** Totals of the sessions that ran: counters, and a session to report them with. */
	struct twr_ping_session total;
	struct twr_ping_summary total_sum;
	bool sender_failed; /**< the sender loop ended on an error (exit 2, as in light mode) */
	bool stop_failed;   /**< Stop-Sessions / Stop-N could not be sent or acknowledged */
	char stop_error[512];
};

/**
 * Run the full mode: negotiate, test, stop, report on stdout.
 * @param stop        set by a signal handler: stop sending, then Stop and report.
 * @param before_run  called just before the test packets start (installs that handler).
 * @return the exit status: 0 every packet answered; 1 loss, or a session
 *   refused or not run; 2 a setup error or no session run.
 */
int twr_ping_full_main(const struct twr_ping_options *o, const volatile sig_atomic_t *stop,
		       void (*before_run)(void));

#endif /* TWR_PING_FULL_H */
