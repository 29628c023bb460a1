/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The CLI's "show" commands: the twr_report.h reports, printed (cli.h). */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_common.h>

#include "cli_priv.h"
#include "twr_time.h"

/* ---- counters since "clear stats", and rates ---- */

/* A report's scalar counters, by name. */
#define SNAP_MAX 160

struct snap {
	char key[SNAP_MAX][48];
	uint64_t v[SNAP_MAX];
	unsigned int n;
	uint64_t ns; /* CLOCK_MONOTONIC when taken */
};

static void
snap_u64(void *arg, const char *key, uint64_t v)
{
	struct snap *s = arg;

	if (s->n == SNAP_MAX)
		return;
	snprintf(s->key[s->n], sizeof(s->key[0]), "%s", key);
	s->v[s->n++] = v;
}

static void
snap_ignore_str(void *arg, const char *key, const char *v)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(key);
	RTE_SET_USED(v);
}

static void
snap_ignore_i64(void *arg, const char *key, int64_t v)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(key);
	RTE_SET_USED(v);
}

static void
snap_ignore_table(void *arg, const char *name, unsigned int ncols, const char *const cols[],
		  const enum twr_report_type types[])
{
	RTE_SET_USED(arg);
	RTE_SET_USED(name);
	RTE_SET_USED(ncols);
	RTE_SET_USED(cols);
	RTE_SET_USED(types);
}

static void
snap_ignore_u64(void *arg, uint64_t v)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(v);
}

static void
snap_ignore_cell(void *arg, const char *v)
{
	RTE_SET_USED(arg);
	RTE_SET_USED(v);
}

static void
snap_ignore_end(void *arg)
{
	RTE_SET_USED(arg);
}

/* Take the scalar counters of @p report (reports with tables are not snapped). */
static void
snap_take(struct snap *s,
	  void (*report)(const struct twr_report_ctx *, const struct twr_report_sink *))
{
	const struct twr_report_sink k = {
		.u64 = snap_u64,
		.i64 = snap_ignore_i64,
		.str = snap_ignore_str,
		.table_begin = snap_ignore_table,
		.cell_u64 = snap_ignore_u64,
		.cell_str = snap_ignore_cell,
		.table_end = snap_ignore_end,
		.arg = s,
	};

	s->n = 0;
	s->ns = twr_clock_ns(CLOCK_MONOTONIC);
	report(twr_cli->report, &k);
}

static uint64_t
snap_get(const struct snap *s, const char *key)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->key[i], key) == 0)
			return s->v[i];
	return 0;
}

/* "clear stats": the baseline of "show stats" and "show control". */
static struct snap base_stats, base_control;

uint64_t
twr_cli_baseline(const char *key)
{
	return snap_get(&base_stats, key) + snap_get(&base_control, key);
}

void
twr_cli_baseline_take(void)
{
	snap_take(&base_stats, twr_report_stats);
	snap_take(&base_control, twr_report_control);
}

/* Prints through the CLI sink, less the baseline. */
static struct twr_report_sink inner;
static const struct snap *minus;

/* Current values, not counters: "clear stats" leaves them alone. */
static bool
is_gauge(const char *key)
{
	static const char *const gauges[] = {"listeners",	  "conns",
					     "conns_open",	  "sessions_active",
					     "sessions_deferred", "ports_in_use"};
	unsigned int i;

	for (i = 0; i < RTE_DIM(gauges); i++)
		if (strcmp(key, gauges[i]) == 0)
			return true;
	return false;
}

static void
minus_u64(void *arg, const char *key, uint64_t v)
{
	uint64_t b = is_gauge(key) ? 0 : snap_get(minus, key);

	inner.u64(arg, key, v >= b ? v - b : v);
}

static void
print_since_clear(struct cmdline *cl, const struct snap *base,
		  void (*report)(const struct twr_report_ctx *, const struct twr_report_sink *))
{
	struct twr_report_sink s;

	twr_cli_sink(cl, &inner);
	s = inner;
	s.u64 = minus_u64;
	minus = base;
	if (base->n != 0)
		cmdline_printf(cl, "  (since \"clear stats\")\n");
	report(twr_cli->report, &s);
}

/* ---- show WHAT ---- */

struct cmd_show_what {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
cmd_show_what_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_show_what *r = parsed;
	static const struct {
		const char *what;
		void (*report)(const struct twr_report_ctx *, const struct twr_report_sink *);
	} reports[] = {
		{"info", twr_report_info},   {"lcores", twr_report_lcores},
		{"ports", twr_report_ports}, {"sessions", twr_report_sessions},
		{"nat", twr_report_nat},     {"clock", twr_report_clock},
		{"flows", twr_report_flows},
	};
	unsigned int i;

	RTE_SET_USED(data);
	if (strcmp(r->what, "stats") == 0) {
		print_since_clear(cl, &base_stats, twr_report_stats);
		return;
	}
	if (strcmp(r->what, "control") == 0) {
		print_since_clear(cl, &base_control, twr_report_control);
		return;
	}
	for (i = 0; i < RTE_DIM(reports); i++)
		if (strcmp(r->what, reports[i].what) == 0)
			twr_cli_print(cl, reports[i].report);
}

static cmdline_parse_token_string_t cmd_show_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_what, show, "show");
static cmdline_parse_token_string_t cmd_show_what_tok = TOKEN_STRING_INITIALIZER(
	struct cmd_show_what, what, "info#stats#lcores#ports#sessions#nat#control#clock#flows");

static cmdline_parse_inst_t cmd_show_what = {
	.f = cmd_show_what_parsed,
	.help_str = "show info|stats|lcores|ports|sessions|nat|control|clock|flows",
	.tokens = {(void *)&cmd_show_tok, (void *)&cmd_show_what_tok, NULL},
};

/* ---- show stats rates ---- */

struct cmd_show_rates {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t stats;
	cmdline_fixed_string_t rates;
};

static struct snap rates_prev;

static void
cmd_show_rates_parsed(void *parsed, struct cmdline *cl, void *data)
{
	static struct snap now;
	double dt;
	unsigned int i;

	RTE_SET_USED(parsed);
	RTE_SET_USED(data);
	snap_take(&now, twr_report_stats);
	if (rates_prev.n == 0) {
		cmdline_printf(cl, "  rates from the next \"show stats rates\" on\n");
		rates_prev = now;
		return;
	}
	dt = (double)(now.ns - rates_prev.ns) / 1e9;
	cmdline_printf(cl, "  over %.3f s:\n", dt);
	for (i = 0; i < now.n; i++) {
		uint64_t was = snap_get(&rates_prev, now.key[i]);

		if (now.v[i] == was)
			continue;
		cmdline_printf(cl, "  %-26s %.1f/s\n", now.key[i],
			       dt > 0 ? (double)(now.v[i] - was) / dt : 0.0);
	}
	rates_prev = now;
}

static cmdline_parse_token_string_t cmd_rates_show_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_rates, show, "show");
static cmdline_parse_token_string_t cmd_rates_stats_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_rates, stats, "stats");
static cmdline_parse_token_string_t cmd_rates_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_rates, rates, "rates");

static cmdline_parse_inst_t cmd_show_rates = {
	.f = cmd_show_rates_parsed,
	.help_str = "show stats rates: per second since the previous call",
	.tokens = {(void *)&cmd_rates_show_tok, (void *)&cmd_rates_stats_tok,
		   (void *)&cmd_rates_tok, NULL},
};

/* ---- show session ID, show nat ID ---- */

struct cmd_show_id {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
	uint32_t id;
};

static void
cmd_show_id_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_show_id *r = parsed;
	struct twr_report_sink s;
	int ret;

	RTE_SET_USED(data);
	twr_cli_sink(cl, &s);
	if (strcmp(r->what, "session") == 0)
		ret = twr_report_session(twr_cli->report, r->id, &s);
	else
		ret = twr_report_session_nat(twr_cli->report, r->id, &s);
	if (ret < 0)
		cmdline_printf(cl, "no session %" PRIu32 " (see \"show sessions\")\n", r->id);
}

static cmdline_parse_token_string_t cmd_id_show_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_id, show, "show");
static cmdline_parse_token_string_t cmd_id_what_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_show_id, what, "session#nat");
static cmdline_parse_token_num_t cmd_id_tok =
	TOKEN_NUM_INITIALIZER(struct cmd_show_id, id, RTE_UINT32);

static cmdline_parse_inst_t cmd_show_id = {
	.f = cmd_show_id_parsed,
	.help_str = "show session|nat ID: one session",
	.tokens = {(void *)&cmd_id_show_tok, (void *)&cmd_id_what_tok, (void *)&cmd_id_tok, NULL},
};

cmdline_parse_inst_t *const twr_cli_show_cmds[] = {
	&cmd_show_what,
	&cmd_show_rates,
	&cmd_show_id,
	NULL,
};
