/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CTL_STATS_H
#define TWR_CTL_STATS_H

/**
 * @file
 * The TWAMP-Control counters as (name, value) pairs, one list for every
 * reader: the application's STATS/FINAL lines, the CLI and telemetry
 * (DESIGN.md: one source of truth). Names are stable snake_case keys:
 *
 *   listeners listen_errors accepted refused accept_errors conns closed
 *   drain_timeouts io_errors bytes_in bytes_out          (control server)
 *   conns_opened conns_open conn_refused_<reason>        (connections)
 *   requests accepted_sessions alternate_port refused_accept_<1..6>
 *   refused_<reason> sender_not_peer receiver_not_local   (requests)
 *   sessions_added sessions_started sessions_stopped sessions_active
 *   sessions_deferred ports_in_use refwait_reports table_errors unknown_sid
 *   removed_<reason> closed_<reason>                      (by twr_server reason)
 *
 * Every key is always listed (zeros included) so scripts can rely on them.
 */

#include <stdint.h>
#include <stdio.h>

struct twr_session_mgr;
struct twr_ctl_server;

/** Called once per counter. */
typedef void (*twr_ctl_stats_cb_t)(const char *name, uint64_t value, void *arg);

/**
 * Visit every TWAMP-Control counter.
 *
 * @param m    the session manager; NULL: its counters are listed as 0.
 * @param srv  the control server; NULL: its counters are listed as 0.
 * @param cb   called for each counter, in a fixed order.
 * @param arg  passed to @p cb.
 */
void twr_ctl_stats_foreach(const struct twr_session_mgr *m, const struct twr_ctl_server *srv,
			   twr_ctl_stats_cb_t cb, void *arg);

/**
 * Print every counter as " name=value" (a leading space each, no newline),
 * to append to a line.
 *
 * @param f    the stream; NULL does nothing.
 * @param m    as twr_ctl_stats_foreach().
 * @param srv  as twr_ctl_stats_foreach().
 */
void twr_ctl_stats_print(FILE *f, const struct twr_session_mgr *m,
			 const struct twr_ctl_server *srv);

#endif /* TWR_CTL_STATS_H */
