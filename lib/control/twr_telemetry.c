/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The /twamp/... telemetry endpoints: twr_report.h reports as telemetry dictionaries. */

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "twr_report.h"
#include "twr_telemetry.h"

/* The telemetry callbacks of DPDK 22.11 carry no argument. Guarded by tel_lock. */
static const struct twr_report_ctx *tel_ctx;
static pthread_mutex_t *tel_lock;

/* A report being written into one telemetry dictionary. */
struct tel_sink {
	struct rte_tel_data *d;
	/* the table being written */
	char table[32];
	unsigned int ncols, col;
	uint64_t rows;
	bool full;
	struct rte_tel_data *cols[TWR_REPORT_MAX_COLS];
	const char *names[TWR_REPORT_MAX_COLS];
};

static void
tel_u64(void *arg, const char *key, uint64_t v)
{
	struct tel_sink *t = arg;

	rte_tel_data_add_dict_u64(t->d, key, v);
}

static void
tel_i64(void *arg, const char *key, int64_t v)
{
	struct tel_sink *t = arg;
	char buf[24];

	/* 22.11's telemetry ints are 32-bit: larger values travel as strings. */
	if (v >= INT_MIN && v <= INT_MAX) {
		rte_tel_data_add_dict_int(t->d, key, (int)v);
		return;
	}
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	rte_tel_data_add_dict_string(t->d, key, buf);
}

static void
tel_str(void *arg, const char *key, const char *v)
{
	struct tel_sink *t = arg;

	rte_tel_data_add_dict_string(t->d, key, v);
}

static void
tel_table_begin(void *arg, const char *name, unsigned int ncols, const char *const cols[],
		const enum twr_report_type types[])
{
	struct tel_sink *t = arg;
	unsigned int i;

	snprintf(t->table, sizeof(t->table), "%s", name);
	t->ncols = RTE_MIN(ncols, (unsigned int)TWR_REPORT_MAX_COLS);
	t->col = 0;
	t->rows = 0;
	t->full = false;
	for (i = 0; i < t->ncols; i++) {
		t->names[i] = cols[i];
		t->cols[i] = rte_tel_data_alloc();
		if (t->cols[i] != NULL)
			rte_tel_data_start_array(t->cols[i], types[i] == TWR_REPORT_STR
								     ? RTE_TEL_STRING_VAL
								     : RTE_TEL_U64_VAL);
	}
}

/* Next cell's column; counts rows, notices the 512-entry limit of arrays. */
static struct rte_tel_data *
tel_cell(struct tel_sink *t)
{
	unsigned int c = t->col;

	t->col = c + 1 == t->ncols ? 0 : c + 1;
	if (c == 0) {
		t->rows++;
		if (t->rows > RTE_TEL_MAX_ARRAY_ENTRIES)
			t->full = true;
	}
	return t->full ? NULL : t->cols[c];
}

static void
tel_cell_u64(void *arg, uint64_t v)
{
	struct rte_tel_data *c = tel_cell(arg);

	if (c != NULL)
		rte_tel_data_add_array_u64(c, v);
}

static void
tel_cell_str(void *arg, const char *v)
{
	struct rte_tel_data *c = tel_cell(arg);

	if (c != NULL)
		rte_tel_data_add_array_string(c, v);
}

static void
tel_table_end(void *arg)
{
	struct tel_sink *t = arg;
	char key[64];
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		if (t->cols[i] == NULL)
			continue;
		snprintf(key, sizeof(key), "%s/%s", t->table, t->names[i]);
		if (rte_tel_data_add_dict_container(t->d, key, t->cols[i], 0) < 0)
			rte_tel_data_free(t->cols[i]);
		t->cols[i] = NULL;
	}
	snprintf(key, sizeof(key), "%s/rows", t->table);
	rte_tel_data_add_dict_u64(t->d, key, t->rows);
}

enum endpoint {
	EP_INFO,
	EP_STATS,
	EP_LCORES,
	EP_PORTS,
	EP_SESSIONS,
	EP_SESSION,
	EP_NAT,
	EP_CONTROL,
	EP_CLOCK,
	EP_FLOWS,
};

/* An id parameter: 1..UINT32_MAX. */
static int
param_id(const char *params, uint32_t *id)
{
	char *end;
	unsigned long v;

	if (params == NULL || *params == '\0')
		return -ENOENT;
	errno = 0;
	v = strtoul(params, &end, 10);
	if (errno != 0 || end == params || *end != '\0' || v == 0 || v > UINT32_MAX)
		return -EINVAL;
	*id = (uint32_t)v;
	return 0;
}

static int
serve(enum endpoint ep, const char *params, struct rte_tel_data *d)
{
	struct tel_sink t = {.d = d};
	const struct twr_report_sink s = {
		.u64 = tel_u64,
		.i64 = tel_i64,
		.str = tel_str,
		.table_begin = tel_table_begin,
		.cell_u64 = tel_cell_u64,
		.cell_str = tel_cell_str,
		.table_end = tel_table_end,
		.arg = &t,
	};
	uint32_t id = 0;
	int ret = 0, pid;

	pid = param_id(params, &id);
	if (pid == -EINVAL || (ep == EP_SESSION && pid < 0))
		return -EINVAL; /* the socket answers null */
	if (tel_lock == NULL)
		return -ENODEV;
	pthread_mutex_lock(tel_lock);
	if (tel_ctx == NULL) {
		pthread_mutex_unlock(tel_lock);
		return -ENODEV;
	}
	rte_tel_data_start_dict(d);
	switch (ep) {
	case EP_INFO:
		twr_report_info(tel_ctx, &s);
		break;
	case EP_STATS:
		twr_report_stats(tel_ctx, &s);
		break;
	case EP_LCORES:
		twr_report_lcores(tel_ctx, &s);
		break;
	case EP_PORTS:
		twr_report_ports(tel_ctx, &s);
		break;
	case EP_SESSIONS:
		twr_report_sessions(tel_ctx, &s);
		break;
	case EP_SESSION:
		ret = twr_report_session(tel_ctx, id, &s);
		break;
	case EP_NAT:
		if (pid == 0)
			ret = twr_report_session_nat(tel_ctx, id, &s);
		else
			twr_report_nat(tel_ctx, &s);
		break;
	case EP_CONTROL:
		twr_report_control(tel_ctx, &s);
		break;
	case EP_CLOCK:
		twr_report_clock(tel_ctx, &s);
		break;
	case EP_FLOWS:
		twr_report_flows(tel_ctx, &s);
		break;
	}
	pthread_mutex_unlock(tel_lock);
	return ret;
}

#define HANDLER(fn, ep)                                                                            \
	static int fn(const char *cmd, const char *params, struct rte_tel_data *d)                 \
	{                                                                                          \
		RTE_SET_USED(cmd);                                                                 \
		return serve(ep, params, d);                                                       \
	}

HANDLER(h_info, EP_INFO)
HANDLER(h_stats, EP_STATS)
HANDLER(h_lcores, EP_LCORES)
HANDLER(h_ports, EP_PORTS)
HANDLER(h_sessions, EP_SESSIONS)
HANDLER(h_session, EP_SESSION)
HANDLER(h_nat, EP_NAT)
HANDLER(h_control, EP_CONTROL)
HANDLER(h_clock, EP_CLOCK)
HANDLER(h_flows, EP_FLOWS)

/* Help texts: at most RTE_TEL_MAX_STRING_LEN - 1 octets, else registration fails. */
static const struct {
	const char *cmd;
	telemetry_cb fn;
	const char *help;
} endpoints[] = {
	{"/twamp/info", h_info, "Version, TWAMP modes, addresses, ports, lcores, uptime."},
	{"/twamp/stats", h_stats, "Data-plane totals, every drop reason, the exception path."},
	{"/twamp/lcores", h_lcores, "Per worker lcore: counters, busy/idle cycles, flows."},
	{"/twamp/ports", h_ports, "Per ethdev port: packets, bytes, misses, errors."},
	{"/twamp/sessions", h_sessions, "Installed TWAMP sessions, one row each."},
	{"/twamp/session", h_session, "One session. Parameter: its id (see /twamp/sessions)."},
	{"/twamp/nat", h_nat,
	 "NAT totals and sessions with NAT activity. Parameter: a session id."},
	{"/twamp/control", h_control, "TWAMP-Control: connections, requests, refusals by reason."},
	{"/twamp/clock", h_clock, "TSC rate, clock offset, sync state, Error Estimate."},
	{"/twamp/flows", h_flows, "TWAMP-Light/STAMP flows by observed 5-tuple."},
};

int
twr_telemetry_register(const struct twr_report_ctx *ctx)
{
	static bool registered;
	unsigned int i;
	int ret;

	if (ctx != NULL)
		tel_lock = ctx->lock;
	tel_ctx = ctx;
	if (registered)
		return 0;
	for (i = 0; i < RTE_DIM(endpoints); i++) {
		ret = rte_telemetry_register_cmd(endpoints[i].cmd, endpoints[i].fn,
						 endpoints[i].help);
		if (ret < 0)
			return ret;
	}
	registered = true;
	return 0;
}
