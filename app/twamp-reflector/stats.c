/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <inttypes.h>
#include <string.h>

#include <rte_mbuf.h>

#include "stats.h"
#include "twr_ctl_stats.h"
#include "twr_engine.h"
#include "twr_flow_cache.h"
#include "twr_nat_diag.h"
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

struct flow_walk {
	FILE *f;
	unsigned int lcore;
	uint64_t flows;
	uint64_t printed;
};

static int
flow_line(const struct twr_session_key *k, const struct twr_session *s, void *arg)
{
	struct flow_walk *fw = arg;
	char local[64], remote[64];

	fw->flows++;
	if (fw->printed >= TWR_APP_STATS_MAX_FLOWS)
		return 0;
	fw->printed++;
	twr_nat_tuple_fmt(local, sizeof(local), k->local_addr, k->local_port);
	twr_nat_tuple_fmt(remote, sizeof(remote), k->remote_addr, k->remote_port);
	fprintf(fw->f,
		"FLOW lcore=%u engine=%s local=%s remote=%s vlan=%u rx=%" PRIu64
		" reflected=%" PRIu64 " dropped=%" PRIu64 "\n",
		fw->lcore, s->engine < TWR_ENGINE_COUNT ? twr_engines[s->engine]->name : "?", local,
		remote, k->vlan, s->stats.rx, s->stats.reflected, s->stats.dropped);
	return 0;
}

void
twr_app_stats_print_flows(FILE *f, const struct twr_worker *workers, unsigned int n)
{
	struct flow_walk fw = {.f = f};
	uint64_t untracked = 0;
	unsigned int w;

	for (w = 0; w < n; w++) {
		fw.lcore = workers[w].lcore_id;
		twr_flow_cache_foreach(&workers[w].flows, flow_line, &fw);
		untracked += workers[w].flow_untracked;
	}
	fprintf(f, "FLOWS flows=%" PRIu64 " printed=%" PRIu64 " untracked_packets=%" PRIu64 "\n",
		fw.flows, fw.printed, untracked);
	fflush(f);
}
