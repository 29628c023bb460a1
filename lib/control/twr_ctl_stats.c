/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control counters as named pairs (twr_ctl_stats.h).
 */

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "twr_ctl_server.h"
#include "twr_ctl_stats.h"
#include "twr_session_mgr.h"

/* Reason keys: the enum names of TWR_SERVER_REASONS, lowercased at use. */
static const char *const reason_keys[] = {
#define REASON_KEY(n, s) [TWR_REASON_##n] = #n,
	TWR_SERVER_REASONS(REASON_KEY)
#undef REASON_KEY
};

static void
visit_reason(twr_ctl_stats_cb_t cb, void *arg, const char *prefix, unsigned int r, uint64_t v)
{
	char name[64];
	size_t i, p;

	p = (size_t)snprintf(name, sizeof(name), "%s", prefix);
	for (i = 0; reason_keys[r][i] != '\0' && p + i < sizeof(name) - 1; i++)
		name[p + i] = (char)tolower((unsigned char)reason_keys[r][i]);
	name[p + i] = '\0';
	cb(name, v, arg);
}

static void
visit_server(const struct twr_ctl_server *srv, twr_ctl_stats_cb_t cb, void *arg)
{
	struct twr_ctl_server_stats s;

	memset(&s, 0, sizeof(s));
	if (srv != NULL)
		twr_ctl_server_stats_get(srv, &s);
	cb("listeners", s.listeners, arg);
	cb("listen_errors", s.listen_errors, arg);
	cb("accepted", s.accepted, arg);
	cb("refused", s.refused, arg);
	cb("accept_errors", s.accept_errors, arg);
	cb("conns", s.conns, arg);
	cb("closed", s.closed, arg);
	cb("drain_timeouts", s.drain_timeouts, arg);
	cb("io_errors", s.io_errors, arg);
	cb("bytes_in", s.bytes_in, arg);
	cb("bytes_out", s.bytes_out, arg);
}

void
twr_ctl_stats_foreach(const struct twr_session_mgr *m, const struct twr_ctl_server *srv,
		      twr_ctl_stats_cb_t cb, void *arg)
{
	struct twr_session_mgr_stats s;
	char name[64];
	unsigned int i;

	if (cb == NULL)
		return;
	visit_server(srv, cb, arg);
	memset(&s, 0, sizeof(s));
	if (m != NULL)
		twr_session_mgr_stats_get(m, &s);
	cb("conns_opened", s.conns_opened, arg);
	cb("conns_open", s.conns_open, arg);
	for (i = 0; i < TWR_MGR_CONN_REFUSE_MAX; i++) {
		snprintf(name, sizeof(name), "conn_refused_%s",
			 twr_session_mgr_conn_refusal_name(i));
		cb(name, s.conns_refused[i], arg);
	}
	cb("requests", s.requests, arg);
	cb("accepted_sessions", s.accepted, arg);
	cb("alternate_port", s.alternate_port, arg);
	for (i = 1; i < RTE_DIM(s.refused); i++) {
		snprintf(name, sizeof(name), "refused_accept_%u", i);
		cb(name, s.refused[i], arg);
	}
	for (i = 0; i < TWR_MGR_REFUSE_MAX; i++) {
		snprintf(name, sizeof(name), "refused_%s", twr_session_mgr_refusal_name(i));
		cb(name, s.refused_by[i], arg);
	}
	cb("sender_not_peer", s.sender_not_peer, arg);
	cb("receiver_not_local", s.receiver_not_local, arg);
	cb("sessions_added", s.sessions_added, arg);
	cb("sessions_started", s.sessions_started, arg);
	cb("sessions_stopped", s.sessions_stopped, arg);
	cb("sessions_stopped_by_operator", s.sessions_stopped_by_operator, arg);
	cb("sessions_active", s.sessions_active, arg);
	cb("sessions_deferred", s.sessions_deferred, arg);
	cb("ports_in_use", s.ports_in_use, arg);
	cb("refwait_reports", s.refwait_reports, arg);
	cb("table_errors", s.table_errors, arg);
	cb("unknown_sid", s.unknown_sid, arg);
	for (i = 1; i < TWR_REASON_MAX; i++)
		visit_reason(cb, arg, "removed_", i, s.sessions_removed[i]);
	for (i = 1; i < TWR_REASON_MAX; i++)
		visit_reason(cb, arg, "closed_", i, s.conns_closed[i]);
}

static void
print_one(const char *name, uint64_t value, void *arg)
{
	fprintf(arg, " %s=%" PRIu64, name, value);
}

void
twr_ctl_stats_print(FILE *f, const struct twr_session_mgr *m, const struct twr_ctl_server *srv)
{
	if (f != NULL)
		twr_ctl_stats_foreach(m, srv, print_one, f);
}
