/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <inttypes.h>
#include <string.h>

#include <rte_mbuf.h>

#include "stats.h"
#include "twr_ctl_stats.h"
#include "twr_nat_diag.h"
#include "twr_report.h"
#include "twr_session_mgr.h"

/* The exception path, for its counters. ctl: rw (set once before the workers start). */
static const struct twr_tap *stats_tap;

void
twr_app_stats_set_tap(const struct twr_tap *tap)
{
	stats_tap = tap;
}

void
twr_app_stats_sum(const struct twr_worker *workers, unsigned int n, struct twr_dp_stats *sum)
{
	twr_worker_stats_sum(workers, n, sum);
}

void
twr_app_stats_print(FILE *f, const char *tag, const struct twr_worker *workers, unsigned int n)
{
	struct twr_dp_stats sum;
	unsigned int i;

	twr_app_stats_sum(workers, n, &sum);
	fprintf(f, "%s", tag);
	for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
		fprintf(f, " %s=%" PRIu64, twr_dp_counter_name(i), sum.counter[i]);
	for (i = 1; i < TWR_DP_REASON_MAX; i++)
		fprintf(f, " %s=%" PRIu64, twr_dp_reason_name(i), sum.reason[i]);
	twr_tap_stats_print(f, stats_tap, workers, n);
	fputc('\n', f);
	fflush(f);
}

void
twr_app_stats_print_workers(FILE *f, const struct twr_worker *workers, unsigned int n,
			    uint64_t tsc_hz)
{
	unsigned int w;

	for (w = 0; w < n; w++) {
		const struct twr_worker *wk = &workers[w];
		uint64_t rx = wk->stats.counter[TWR_DP_COUNTER_RX];
		uint64_t cycles = wk->busy_tsc + wk->idle_tsc;

		fprintf(f,
			"WORKER lcore=%u rx=%" PRIu64 " reflected=%" PRIu64 " busy_cycles=%" PRIu64
			" idle_cycles=%" PRIu64 " loops=%" PRIu64
			" cycles_per_pkt=%.2f mpps=%.3f\n",
			wk->lcore_id, rx, wk->stats.counter[TWR_DP_COUNTER_REFLECTED], wk->busy_tsc,
			wk->idle_tsc, wk->loops, rx != 0 ? (double)wk->busy_tsc / (double)rx : 0.0,
			cycles != 0 ? (double)rx * (double)tsc_hz / (double)cycles / 1e6 : 0.0);
	}
	fflush(f);
}

void
twr_app_stats_print_control(FILE *f, const char *tag, const struct twr_session_mgr *m,
			    const struct twr_ctl_server *srv)
{
	fprintf(f, "%s", tag);
	twr_ctl_stats_print(f, m, srv);
	fputc('\n', f);
	fflush(f);
}

static int
nat_line(const struct twr_nat_info *info, void *arg)
{
	twr_nat_info_print(arg, info);
	return 0;
}

void
twr_app_stats_print_nat(FILE *f, const char *tag, struct twr_session_mgr *m)
{
	struct twr_nat_totals t;

	memset(&t, 0, sizeof(t));
	if (m != NULL)
		twr_session_mgr_nat_totals(m, &t);
	twr_nat_totals_print(f, tag, &t);
	if (m != NULL)
		twr_session_mgr_nat_foreach(m, false, nat_line, f);
	fflush(f);
}

/* Rows of a report table as "TAG col=value ..." lines, at most max of them. */
struct line_sink {
	FILE *f;
	const char *tag;
	uint64_t max;
	uint64_t rows, printed;
	unsigned int ncols, col;
	const char *cols[TWR_REPORT_MAX_COLS];
};

static void
line_cell_begin(struct line_sink *l)
{
	if (l->col == 0) {
		l->rows++;
		if (l->rows <= l->max) {
			l->printed++;
			fputs(l->tag, l->f);
		}
	}
}

static void
line_cell_end(struct line_sink *l)
{
	if (++l->col == l->ncols) {
		l->col = 0;
		if (l->rows <= l->max)
			fputc('\n', l->f);
	}
}

static void
line_cell_u64(void *arg, uint64_t v)
{
	struct line_sink *l = arg;

	line_cell_begin(l);
	if (l->rows <= l->max)
		fprintf(l->f, " %s=%" PRIu64, l->cols[l->col], v);
	line_cell_end(l);
}

static void
line_cell_str(void *arg, const char *v)
{
	struct line_sink *l = arg;

	line_cell_begin(l);
	if (l->rows <= l->max)
		fprintf(l->f, " %s=%s", l->cols[l->col], v);
	line_cell_end(l);
}

static void
line_table_begin(void *arg, const char *name, unsigned int ncols, const char *const cols[],
		 const enum twr_report_type types[])
{
	struct line_sink *l = arg;
	unsigned int i;

	RTE_SET_USED(name);
	RTE_SET_USED(types);
	l->ncols = RTE_MIN(ncols, (unsigned int)TWR_REPORT_MAX_COLS);
	for (i = 0; i < l->ncols; i++)
		l->cols[i] = cols[i];
	l->col = 0;
}

static void
line_table_end(void *arg)
{
	RTE_SET_USED(arg);
}

void
twr_app_stats_print_flows(FILE *f, struct twr_worker *workers, unsigned int n)
{
	struct line_sink l = {.f = f, .tag = "FLOW", .max = TWR_APP_STATS_MAX_FLOWS};
	const struct twr_report_sink s = {
		.table_begin = line_table_begin,
		.cell_u64 = line_cell_u64,
		.cell_str = line_cell_str,
		.table_end = line_table_end,
		.arg = &l,
	};
	struct twr_report_ctx ctx = {.workers = workers, .nb_workers = n};
	uint64_t untracked = 0;
	unsigned int w;

	/* the flows report of telemetry and the CLI, one line a flow */
	twr_report_flows(&ctx, &s);
	for (w = 0; w < n; w++)
		untracked += workers[w].flow_untracked;
	fprintf(f, "FLOWS flows=%" PRIu64 " printed=%" PRIu64 " untracked_packets=%" PRIu64 "\n",
		l.rows, l.printed, untracked);
	fflush(f);
}
