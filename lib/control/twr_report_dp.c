/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The data plane's reports: info, stats, lcores, ports, clock (twr_report.h). */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "twr_addr.h"
#include "twr_clock.h"
#include "twr_dp_reasons.h"
#include "twr_engine.h"
#include "twr_light_ports.h"
#include "twr_nat_diag.h"
#include "twr_report.h"
#include "twr_tap.h"
#include "twr_time.h"
#include "twr_worker.h"

/* "198.18.0.2/24": @p prefix in the address's family. */
static void
prefix_fmt(char *buf, size_t len, const uint8_t addr[16], unsigned int prefix)
{
	char a[INET6_ADDRSTRLEN];

	twr_addr_fmt(a, sizeof(a), addr);
	snprintf(buf, len, "%s/%u", a, prefix);
}

void
twr_report_info(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	static const char *const cols[] = {"address"};
	static const enum twr_report_type types[] = {TWR_REPORT_STR};
	static const char *const lcols[] = {"port", "engine", "stateful", "allow"};
	static const enum twr_report_type ltypes[] = {TWR_REPORT_U64, TWR_REPORT_STR,
						      TWR_REPORT_U64, TWR_REPORT_STR};
	uint64_t now = twr_clock_ns(CLOCK_REALTIME);
	char buf[96];
	unsigned int i;

	s->str(s->arg, "version", ctx->version != NULL ? ctx->version : "?");
	s->u64(s->arg, "pid", (uint64_t)getpid());
	s->u64(s->arg, "uptime_s",
	       now > ctx->start_unix_ns ? (now - ctx->start_unix_ns) / 1000000000ull : 0);
	s->u64(s->arg, "start_unix_ns", ctx->start_unix_ns);
	s->u64(s->arg, "modes", ctx->modes);
	s->str(s->arg, "control", ctx->srv != NULL ? "on" : "off");
	s->str(s->arg, "tap",
	       ctx->tap != NULL && twr_tap_ifname(ctx->tap) != NULL ? twr_tap_ifname(ctx->tap)
								    : "off");
	s->u64(s->arg, "vlan", ctx->vlan);
	s->u64(s->arg, "ports", ctx->nb_ports);
	s->u64(s->arg, "workers", ctx->nb_workers);
	s->u64(s->arg, "main_lcore", rte_get_main_lcore());
	s->table_begin(s->arg, "addresses", 1, cols, types);
	for (i = 0; i < ctx->nb_addrs; i++) {
		prefix_fmt(buf, sizeof(buf), ctx->addrs[i], ctx->prefixes[i]);
		s->cell_str(s->arg, buf);
	}
	s->table_end(s->arg);
	s->table_begin(s->arg, "light_ports", RTE_DIM(lcols), lcols, ltypes);
	for (i = 0; i < twr_light_ports_count(ctx->light_ports); i++) {
		struct twr_light_port_info li;
		char allow[512];
		size_t n = 0;
		unsigned int k;

		if (twr_light_ports_get(ctx->light_ports, i, &li) < 0)
			break;
		allow[0] = '\0';
		for (k = 0; k < li.nb_allow && n < sizeof(allow) - 64; k++) {
			bool v4 = li.allow_len[k] >= 96 && twr_addr_is_v4(li.allow_addr[k]);

			prefix_fmt(buf, sizeof(buf), li.allow_addr[k],
				   v4 ? li.allow_len[k] - 96u : li.allow_len[k]);
			n += (size_t)snprintf(allow + n, sizeof(allow) - n, "%s%s", k ? " " : "",
					      buf);
		}
		s->cell_u64(s->arg, li.port);
		s->cell_str(s->arg,
			    li.engine < TWR_ENGINE_COUNT ? twr_engines[li.engine]->name : "?");
		s->cell_u64(s->arg, li.stateful);
		s->cell_str(s->arg, li.nb_allow ? allow : "any");
	}
	s->table_end(s->arg);
}

void
twr_report_stats(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	struct twr_dp_stats sum;
	struct twr_tap_stats tap;
	uint64_t untracked = 0;
	unsigned int i;

	twr_worker_stats_sum(ctx->workers, ctx->nb_workers, &sum);
	for (i = 0; i < TWR_DP_COUNTER_MAX; i++)
		s->u64(s->arg, twr_dp_counter_name(i), sum.counter[i]);
	for (i = 1; i < TWR_DP_REASON_MAX; i++)
		s->u64(s->arg, twr_dp_reason_name(i), sum.reason[i]);
	for (i = 0; i < ctx->nb_workers; i++)
		untracked += ctx->workers[i].flow_untracked;
	s->u64(s->arg, "flow_untracked", untracked);
	twr_tap_stats_get(ctx->tap, ctx->workers, ctx->nb_workers, &tap);
	for (i = 0; i < TWR_TAP_COUNTER_MAX; i++)
		s->u64(s->arg, twr_tap_counter_name(i), tap.counter[i]);
}

void
twr_report_lcores(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	static const char *const cols[] = {"lcore",	    "rx",
					   "reflected",	    "to_exception",
					   "dropped",	    "busy_cycles",
					   "idle_cycles",   "loops",
					   "flows",	    "flows_created",
					   "flows_expired", "flow_untracked"};
	static const enum twr_report_type types[RTE_DIM(cols)] = {TWR_REPORT_U64};
	unsigned int w, r;

	s->table_begin(s->arg, "lcores", RTE_DIM(cols), cols, types);
	for (w = 0; w < ctx->nb_workers; w++) {
		const struct twr_worker *wk = &ctx->workers[w];
		uint64_t dropped = 0;

		for (r = 1; r < TWR_DP_REASON_MAX; r++)
			if (twr_dp_reason_kind(r) == TWR_DP_KIND_DROP)
				dropped += wk->stats.reason[r];
		s->cell_u64(s->arg, wk->lcore_id);
		s->cell_u64(s->arg, wk->stats.counter[TWR_DP_COUNTER_RX]);
		s->cell_u64(s->arg, wk->stats.counter[TWR_DP_COUNTER_REFLECTED]);
		s->cell_u64(s->arg, wk->stats.counter[TWR_DP_COUNTER_TO_EXCEPTION]);
		s->cell_u64(s->arg, dropped);
		s->cell_u64(s->arg, wk->busy_tsc);
		s->cell_u64(s->arg, wk->idle_tsc);
		s->cell_u64(s->arg, wk->loops);
		s->cell_u64(s->arg, wk->flows.cap - wk->flows.nb_free);
		s->cell_u64(s->arg, wk->flows.created);
		s->cell_u64(s->arg, wk->flows.expired);
		s->cell_u64(s->arg, wk->flow_untracked);
	}
	s->table_end(s->arg);
}

void
twr_report_ports(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	static const char *const cols[] = {"port",    "name",	  "ipackets", "opackets",
					   "ibytes",  "obytes",	  "imissed",  "ierrors",
					   "oerrors", "rx_nombuf"};
	static const enum twr_report_type types[] = {
		TWR_REPORT_U64, TWR_REPORT_STR, TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64,
		TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64, TWR_REPORT_U64};
	char name[RTE_ETH_NAME_MAX_LEN];
	unsigned int p;

	s->table_begin(s->arg, "ports", RTE_DIM(cols), cols, types);
	for (p = 0; p < ctx->nb_ports; p++) {
		struct rte_eth_stats st;

		memset(&st, 0, sizeof(st));
		rte_eth_stats_get(ctx->ports[p], &st);
		if (rte_eth_dev_get_name_by_port(ctx->ports[p], name) != 0)
			snprintf(name, sizeof(name), "?");
		s->cell_u64(s->arg, ctx->ports[p]);
		s->cell_str(s->arg, name);
		s->cell_u64(s->arg, st.ipackets);
		s->cell_u64(s->arg, st.opackets);
		s->cell_u64(s->arg, st.ibytes);
		s->cell_u64(s->arg, st.obytes);
		s->cell_u64(s->arg, st.imissed);
		s->cell_u64(s->arg, st.ierrors);
		s->cell_u64(s->arg, st.oerrors);
		s->cell_u64(s->arg, st.rx_nombuf);
	}
	s->table_end(s->arg);
}

void
twr_report_clock(const struct twr_report_ctx *ctx, const struct twr_report_sink *s)
{
	struct twr_clock_info ci;
	char buf[32];

	memset(&ci, 0, sizeof(ci));
	twr_clock_info_get(ctx->clock, &ci);
	s->u64(s->arg, "tsc_hz", ci.tsc_hz);
	s->u64(s->arg, "tsc_hz_nominal", ci.tsc_hz_nominal);
	snprintf(buf, sizeof(buf), "%.3f", ci.tsc_hz_ppm);
	s->str(s->arg, "tsc_ppm", buf);
	snprintf(buf, sizeof(buf), "%.3f", ci.realtime_ppm);
	s->str(s->arg, "realtime_ppm", buf);
	s->i64(s->arg, "offset_ns", ci.last_offset_ns);
	s->u64(s->arg, "max_abs_offset_ns", ci.max_abs_offset_ns);
	s->u64(s->arg, "bracket_ns", ci.bracket_ns);
	s->u64(s->arg, "updates", ci.updates);
	s->u64(s->arg, "steps", ci.steps);
	s->u64(s->arg, "last_update_unix_ns", ci.last_update_unix_ns);
	s->str(s->arg, "synchronized", ci.synchronized ? "yes" : "no");
	s->i64(s->arg, "ntp_state", ci.ntp_state);
	s->i64(s->arg, "maxerror_us", ci.maxerror_us);
	s->i64(s->arg, "esterror_us", ci.esterror_us);
	s->i64(s->arg, "tai_utc", ci.tai_utc);
	snprintf(buf, sizeof(buf), "0x%04x", ci.errest);
	s->str(s->arg, "error_estimate", buf);
	s->u64(s->arg, "error_bound_ns", ci.error_bound_ns);
	s->str(s->arg, "pinned", ci.pinned ? "yes" : "no");
}
