/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The control plane's reports: control, sessions, one session, NAT, flows (twr_report.h). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>

#include "twr_addr.h"
#include "twr_ctl_server.h"
#include "twr_ctl_stats.h"
#include "twr_engine.h"
#include "twr_flow_cache.h"
#include "twr_nat_diag.h"
#include "twr_report.h"
#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_time.h"
#include "twr_worker.h"

static const char *const run_names[] = {
	[TWR_SESSION_PENDING] = "pending",
	[TWR_SESSION_STARTED] = "started",
	[TWR_SESSION_STOPPING] = "stopping",
	[TWR_SESSION_DEAD] = "dead",
};

static const char *
run_name(unsigned int run)
{
	return run < RTE_DIM(run_names) ? run_names[run] : "?";
}

static void
ctl_pair(const char *name, uint64_t value, void *arg)
{
	const struct twr_report_sink *s = arg;

	s->u64(s->arg, name, value);
}

static const char *const conn_cols[] = {
	"id",	    "peer",    "local",		  "state", "sessions", "requests",
	"accepted", "refused", "sender_not_peer", "age_s", "dscp"};
static const enum twr_report_type conn_types[] = {TWR_REPORT_U64, TWR_REPORT_STR, TWR_REPORT_STR,
						  TWR_REPORT_STR, TWR_REPORT_U64, TWR_REPORT_U64,
						  TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64,
						  TWR_REPORT_U64, TWR_REPORT_STR};

/* A TWAMP-Control address (IPv4 in the first 4 octets) in the tables' form. */
static void
conn_addr(char *buf, size_t len, uint8_t ipvn, const uint8_t *a, uint16_t port)
{
	uint8_t m[16];

	twr_addr_map(ipvn, a, m);
	twr_nat_tuple_fmt(buf, len, m, port);
}

static int
conn_row(const struct twr_ctl_conn_info *c, void *arg)
{
	const struct twr_report_sink *s = arg;
	char buf[64];

	s->cell_u64(s->arg, c->id);
	conn_addr(buf, sizeof(buf), c->addrs.ipvn, c->addrs.peer, c->addrs.peer_port);
	s->cell_str(s->arg, buf);
	conn_addr(buf, sizeof(buf), c->addrs.ipvn, c->addrs.local, c->addrs.local_port);
	s->cell_str(s->arg, buf);
	s->cell_str(s->arg, c->state);
	s->cell_u64(s->arg, c->sessions);
	s->cell_u64(s->arg, c->requests);
	s->cell_u64(s->arg, c->accepted);
	s->cell_u64(s->arg, c->refused);
	s->cell_u64(s->arg, c->sender_not_peer);
	s->cell_u64(s->arg, c->age_ns / 1000000000ull);
	snprintf(buf, sizeof(buf), "%d", c->dscp);
	s->cell_str(s->arg, c->dscp >= 0 ? buf : "-");
	return 0;
}

void
twr_report_control(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	s->str(s->arg, "control", ctx->mgr != NULL ? "on" : "off");
	twr_ctl_stats_foreach(ctx->mgr, ctx->srv, ctl_pair, (void *)(uintptr_t)s);
	s->table_begin(s->arg, "connections", RTE_DIM(conn_cols), conn_cols, conn_types);
	if (ctx->srv != NULL)
		twr_ctl_server_conn_foreach(ctx->srv, twr_clock_ns(CLOCK_MONOTONIC), conn_row,
					    (void *)(uintptr_t)s);
	s->table_end(s->arg);
}

static void
tuple_str(char *buf, size_t len, const struct twr_nat_seen *t, bool always)
{
	if (!always && t->unix_ns == 0)
		snprintf(buf, len, "-");
	else
		twr_nat_tuple_fmt(buf, len, t->addr, t->port);
}

static void
sid_str(char *buf, const uint8_t sid[TWR_SID_LEN])
{
	unsigned int k;

	for (k = 0; k < TWR_SID_LEN; k++)
		snprintf(buf + 2 * k, 3, "%02x", sid[k]);
}

static const char *const session_cols[] = {"id",  "sid",       "state",	    "policy",
					   "nat", "receiver",  "requested", "latched",
					   "rx",  "reflected", "dropped"};
static const enum twr_report_type session_types[] = {TWR_REPORT_U64, TWR_REPORT_STR, TWR_REPORT_STR,
						     TWR_REPORT_STR, TWR_REPORT_STR, TWR_REPORT_STR,
						     TWR_REPORT_STR, TWR_REPORT_STR, TWR_REPORT_U64,
						     TWR_REPORT_U64, TWR_REPORT_U64};

static int
session_row(const struct twr_session_view *v, void *arg)
{
	const struct twr_report_sink *s = arg;
	char buf[64];

	s->cell_u64(s->arg, v->nat.id);
	sid_str(buf, v->nat.sid);
	s->cell_str(s->arg, buf);
	s->cell_str(s->arg, run_name(v->run));
	s->cell_str(s->arg, twr_nat_policy_name(v->nat.policy));
	s->cell_str(s->arg, twr_nat_state_name(v->nat.state));
	twr_nat_tuple_fmt(buf, sizeof(buf), v->nat.local, v->nat.local_port);
	s->cell_str(s->arg, buf);
	tuple_str(buf, sizeof(buf), &v->nat.requested, true);
	s->cell_str(s->arg, buf);
	tuple_str(buf, sizeof(buf), &v->nat.latched, false);
	s->cell_str(s->arg, buf);
	s->cell_u64(s->arg, v->nat.rx);
	s->cell_u64(s->arg, v->nat.reflected);
	s->cell_u64(s->arg, v->dropped);
	return 0;
}

void
twr_report_sessions(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	s->table_begin(s->arg, "sessions", RTE_DIM(session_cols), session_cols, session_types);
	if (ctx->mgr != NULL)
		twr_session_mgr_session_foreach(ctx->mgr, session_row, (void *)(uintptr_t)s);
	s->table_end(s->arg);
}

/* The NAT picture of one session, under the names of its NAT-SESSION line. */
static void
nat_fields(const struct twr_nat_info *i, const struct twr_report_sink *s)
{
	char buf[64];

	s->str(s->arg, "policy", twr_nat_policy_name(i->policy));
	s->str(s->arg, "nat_state", twr_nat_state_name(i->state));
	s->str(s->arg, "cause", twr_nat_cause_name(i->cause));
	s->u64(s->arg, "sender_not_peer", i->sender_not_peer);
	tuple_str(buf, sizeof(buf), &i->requested, true);
	s->str(s->arg, "requested", buf);
	tuple_str(buf, sizeof(buf), &i->latched, false);
	s->str(s->arg, "latched", buf);
	s->u64(s->arg, "latched_unix_ns", i->latched.unix_ns);
	tuple_str(buf, sizeof(buf), &i->first, false);
	s->str(s->arg, "first", buf);
	s->u64(s->arg, "first_unix_ns", i->first.unix_ns);
	tuple_str(buf, sizeof(buf), &i->last, false);
	s->str(s->arg, "last", buf);
	s->u64(s->arg, "last_unix_ns", i->last.unix_ns);
	s->u64(s->arg, "mismatch_addr", i->mismatch[TWR_NAT_KIND_ADDR]);
	s->u64(s->arg, "mismatch_port", i->mismatch[TWR_NAT_KIND_PORT]);
	s->u64(s->arg, "mismatch_both", i->mismatch[TWR_NAT_KIND_BOTH]);
	s->u64(s->arg, "latch_refused", i->latch_refused);
	s->u64(s->arg, "latch_late", i->latch_late);
}

static void
ident_fields(const struct twr_nat_info *i, const struct twr_report_sink *s)
{
	char buf[64];

	s->u64(s->arg, "id", i->id);
	sid_str(buf, i->sid);
	s->str(s->arg, "sid", buf);
	twr_addr_fmt(buf, sizeof(buf), i->peer);
	s->str(s->arg, "control_peer", buf);
	twr_nat_tuple_fmt(buf, sizeof(buf), i->local, i->local_port);
	s->str(s->arg, "receiver", buf);
}

int
twr_report_session(const struct twr_report_ctx *ctx, uint32_t id, const struct twr_report_sink *s)
{
	struct twr_session_view v;
	char buf[16];

	if (ctx->mgr == NULL || twr_session_mgr_session_get(ctx->mgr, id, &v) < 0)
		return -ENOENT;
	ident_fields(&v.nat, s);
	s->str(s->arg, "state", run_name(v.run));
	s->u64(s->arg, "stopped_by_operator", v.stopped_by_operator);
	snprintf(buf, sizeof(buf), "0x%" PRIx32, v.modes);
	s->str(s->arg, "modes", buf);
	s->u64(s->arg, "dscp", v.dscp);
	s->u64(s->arg, "padding_length", v.padding_len);
	s->u64(s->arg, "rx", v.nat.rx);
	s->u64(s->arg, "reflected", v.nat.reflected);
	s->u64(s->arg, "dropped", v.dropped);
	s->u64(s->arg, "next_seq", v.tx_seq);
	s->u64(s->arg, "last_rx_unix_ns", v.last_rx_unix_ns);
	nat_fields(&v.nat, s);
	return 0;
}

static const char *const nat_cols[] = {"id",
				       "live",
				       "policy",
				       "nat_state",
				       "cause",
				       "requested",
				       "latched",
				       "first",
				       "last",
				       "mismatch_addr",
				       "mismatch_port",
				       "mismatch_both",
				       "latch_refused",
				       "latch_late",
				       "rx",
				       "reflected"};
static const enum twr_report_type nat_types[] = {
	TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_STR, TWR_REPORT_STR,
	TWR_REPORT_STR, TWR_REPORT_STR, TWR_REPORT_STR, TWR_REPORT_STR,
	TWR_REPORT_STR, TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64,
	TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64};

static int
nat_row(const struct twr_nat_info *i, void *arg)
{
	const struct twr_report_sink *s = arg;
	char buf[64];

	s->cell_u64(s->arg, i->id);
	s->cell_u64(s->arg, i->live);
	s->cell_str(s->arg, twr_nat_policy_name(i->policy));
	s->cell_str(s->arg, twr_nat_state_name(i->state));
	s->cell_str(s->arg, twr_nat_cause_name(i->cause));
	tuple_str(buf, sizeof(buf), &i->requested, true);
	s->cell_str(s->arg, buf);
	tuple_str(buf, sizeof(buf), &i->latched, false);
	s->cell_str(s->arg, buf);
	tuple_str(buf, sizeof(buf), &i->first, false);
	s->cell_str(s->arg, buf);
	tuple_str(buf, sizeof(buf), &i->last, false);
	s->cell_str(s->arg, buf);
	s->cell_u64(s->arg, i->mismatch[TWR_NAT_KIND_ADDR]);
	s->cell_u64(s->arg, i->mismatch[TWR_NAT_KIND_PORT]);
	s->cell_u64(s->arg, i->mismatch[TWR_NAT_KIND_BOTH]);
	s->cell_u64(s->arg, i->latch_refused);
	s->cell_u64(s->arg, i->latch_late);
	s->cell_u64(s->arg, i->rx);
	s->cell_u64(s->arg, i->reflected);
	return 0;
}

void
twr_report_nat(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	struct twr_nat_totals t;

	memset(&t, 0, sizeof(t));
	if (ctx->mgr != NULL)
		twr_session_mgr_nat_totals(ctx->mgr, &t);
	s->u64(s->arg, "sessions_mismatch", t.sessions_mismatch);
	s->u64(s->arg, "mismatch_addr", t.mismatch[TWR_NAT_KIND_ADDR]);
	s->u64(s->arg, "mismatch_port", t.mismatch[TWR_NAT_KIND_PORT]);
	s->u64(s->arg, "mismatch_both", t.mismatch[TWR_NAT_KIND_BOTH]);
	s->u64(s->arg, "latched", t.latched);
	s->u64(s->arg, "latch_refused", t.latch_refused);
	s->u64(s->arg, "latch_late", t.latch_late);
	s->u64(s->arg, "sender_not_peer", t.sender_not_peer);
	s->table_begin(s->arg, "sessions", RTE_DIM(nat_cols), nat_cols, nat_types);
	if (ctx->mgr != NULL)
		twr_session_mgr_nat_foreach(ctx->mgr, false, nat_row, (void *)(uintptr_t)s);
	s->table_end(s->arg);
}

struct nat_find {
	uint32_t id;
	struct twr_nat_info info;
	bool found;
};

static int
nat_find_cb(const struct twr_nat_info *info, void *arg)
{
	struct nat_find *f = arg;

	if (info->id != f->id)
		return 0;
	f->info = *info;
	f->found = true;
	return 1;
}

int
twr_report_session_nat(const struct twr_report_ctx *ctx, uint32_t id,
		       const struct twr_report_sink *s)
{
	struct nat_find f = {.id = id};

	if (ctx->mgr == NULL)
		return -ENOENT;
	twr_session_mgr_nat_foreach(ctx->mgr, true, nat_find_cb, &f);
	if (!f.found)
		return -ENOENT;
	ident_fields(&f.info, s);
	s->u64(s->arg, "live", f.info.live);
	nat_fields(&f.info, s);
	s->u64(s->arg, "rx", f.info.rx);
	s->u64(s->arg, "reflected", f.info.reflected);
	return 0;
}

static const char *const flow_cols[] = {"lcore", "engine", "local",	"remote",
					"vlan",	 "rx",	   "reflected", "dropped"};
static const enum twr_report_type flow_types[] = {TWR_REPORT_U64, TWR_REPORT_STR, TWR_REPORT_STR,
						  TWR_REPORT_STR, TWR_REPORT_U64, TWR_REPORT_U64,
						  TWR_REPORT_U64, TWR_REPORT_U64};

struct flow_walk {
	const struct twr_report_sink *s;
	unsigned int lcore;
};

static int
flow_row(const struct twr_session_key *k, const struct twr_session *f, void *arg)
{
	const struct flow_walk *fw = arg;
	const struct twr_report_sink *s = fw->s;
	char buf[64];

	s->cell_u64(s->arg, fw->lcore);
	s->cell_str(s->arg, f->engine < TWR_ENGINE_COUNT ? twr_engines[f->engine]->name : "?");
	twr_nat_tuple_fmt(buf, sizeof(buf), k->local_addr, k->local_port);
	s->cell_str(s->arg, buf);
	twr_nat_tuple_fmt(buf, sizeof(buf), k->remote_addr, k->remote_port);
	s->cell_str(s->arg, buf);
	s->cell_u64(s->arg, k->vlan);
	s->cell_u64(s->arg, f->stats.rx);
	s->cell_u64(s->arg, f->stats.reflected);
	s->cell_u64(s->arg, f->stats.dropped);
	return 0;
}

void
twr_report_flows(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	struct flow_walk fw = {.s = s};
	unsigned int w;

	s->table_begin(s->arg, "flows", RTE_DIM(flow_cols), flow_cols, flow_types);
	for (w = 0; w < ctx->nb_workers; w++) {
		fw.lcore = ctx->workers[w].lcore_id;
		twr_flow_cache_foreach(&ctx->workers[w].flows, flow_row, &fw);
	}
	s->table_end(s->arg);
}
