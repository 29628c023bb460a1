/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-reflector: EAL, options, ports, the session table, the clock, the
 * worker lcores; the main lcore is the control lcore. rte_exit lives here
 * and nowhere else.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pdump.h>
#include <rte_ring.h>

#include "cli.h"
#include "config.h"
#include "options.h"
#include "ports.h"
#include "report_ctx.h"
#include "stats.h"
#include "twr_clock.h"
#include "twr_ctl_server.h"
#include "twr_engine.h"
#include "twr_light_ports.h"
#include "twr_proto.h"
#include "twr_session.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"
#include "twr_tap.h"
#include "twr_telemetry.h"
#include "twr_time.h"
#include "twr_worker.h"

#define EXC_RING_SIZE	4096
#define CTL_POLL_US	100 /* idle control lcore sleeps this long (TESTBED.md) */
#define CLOCK_PERIOD_NS 1000000000ull
/* How often the NAT state of the sessions is looked at (latches, diagnosis lines). */
#define NAT_PERIOD_NS 100000000ull

/* Stop request. dp: ro, ctl: wo (signal handler, run time). */
static volatile bool quit;
/* Held by the control loop while it works on the session manager, and by telemetry. */
static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;
/* What telemetry and the CLI read (twr_report.h). ctl: wo before registration. */
static struct twr_report_ctx report_ctx;
static uint16_t report_port_ids[TWR_APP_MAX_PORTS];
/* What the CLI acts on. ctl only. */
static struct twr_cli_ctx cli_ctx;

static void
on_signal(int sig)
{
	(void)sig;
	quit = true;
}

/* Install every TWAMP-Light / STAMP port on every address as a listen entry. */
/* The --light-port ports on every address, with their --light-allow lists. */
static struct twr_light_ports *
install_light_ports(const struct twr_app_options *o, struct twr_session_table *t)
{
	uint8_t addrs[TWR_APP_MAX_ADDRS][16];
	struct twr_light_ports *lp;
	unsigned int a, l;
	int ret;

	for (a = 0; a < o->nb_addrs; a++)
		memcpy(addrs[a], o->addrs[a].addr, 16);
	lp = twr_light_ports_create(t, (const uint8_t(*)[16])addrs, o->nb_addrs, o->vlan);
	if (lp == NULL)
		rte_exit(EXIT_FAILURE, "light ports: %s\n", rte_strerror(rte_errno));
	for (l = 0; l < o->nb_light; l++) {
		ret = twr_light_ports_add(lp, o->light[l].port, o->light[l].engine,
					  o->light[l].stateful);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "light port %u: %s\n", o->light[l].port,
				 strerror(-ret));
	}
	for (l = 0; l < o->nb_light_allow; l++) {
		ret = twr_light_ports_allow_add(lp, o->light_allow[l].port, o->light_allow[l].addr,
						o->light_allow[l].len);
		if (ret == -ENOENT)
			rte_exit(EXIT_FAILURE, "--light-allow %u=...: no --light-port %u\n",
				 o->light_allow[l].port, o->light_allow[l].port);
		if (ret < 0 && ret != -EEXIST)
			rte_exit(EXIT_FAILURE, "--light-allow %u: %s\n", o->light_allow[l].port,
				 strerror(-ret));
	}
	return lp;
}

/*
 * --bench-sessions N: synthetic managed TWAMP sessions for the data-plane
 * benchmark. tools/bench/mkpcap.py generates traffic to the same tuples:
 * keep the two in step. Session i, 0 <= i < N (IPv4, --vlan):
 *   local  198.18.0.2 + i / 50000 (as a 32-bit address), port 10000 + i % 50000
 *   remote 198.19.0.0 + i % 65536,                        port 20000 + i % 40000
 * Unauthenticated, STARTED, DSCP 0, one exact and one listen entry each.
 */
#define BENCH_LOCAL_ADDR  0xc6120002u /* 198.18.0.2 */
#define BENCH_REMOTE_ADDR 0xc6130000u /* 198.19.0.0 */

static void
bench_v4mapped(uint8_t a[16], uint32_t host)
{
	memset(a, 0, 10);
	a[10] = 0xff;
	a[11] = 0xff;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

static void
install_bench_sessions(const struct twr_app_options *o, struct twr_session_table *t)
{
	uint64_t need = (uint64_t)o->bench_sessions + (uint64_t)o->nb_addrs * o->nb_light;
	uint64_t t0 = twr_clock_ns(CLOCK_MONOTONIC);
	uint32_t i;

	if (need > o->max_sessions)
		rte_exit(EXIT_FAILURE, "--bench-sessions %u needs --max-sessions >= %" PRIu64 "\n",
			 o->bench_sessions, need);
	for (i = 0; i < o->bench_sessions; i++) {
		struct twr_session_key key, listen;
		struct twr_session *s = twr_session_table_session_alloc(t);
		int ret;

		if (s == NULL)
			rte_exit(EXIT_FAILURE, "bench session %u: %s\n", i,
				 rte_strerror(rte_errno));
		memset(&key, 0, sizeof(key));
		bench_v4mapped(key.local_addr, BENCH_LOCAL_ADDR + i / 50000);
		bench_v4mapped(key.remote_addr, BENCH_REMOTE_ADDR + i % 65536);
		key.local_port = (uint16_t)(10000 + i % 50000);
		key.remote_port = (uint16_t)(20000 + i % 40000);
		key.vlan = o->vlan;
		s->engine = TWR_ENGINE_TWAMP;
		s->modes = TWR_MODE_UNAUTHENTICATED;
		s->dscp_policy = TWR_DSCP_FIXED;
		s->run_state = TWR_SESSION_STARTED;
		s->peer_port = key.remote_port;
		memcpy(s->peer_addr, key.remote_addr, 16);
		twr_session_key_to_listen(&key, &listen);
		ret = twr_session_table_add_exact(t, &key, s);
		if (ret == 0)
			ret = twr_session_table_add_listen(t, &listen, s);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "bench session %u: %s\n", i, strerror(-ret));
		/* The entries hold their references. */
		twr_session_table_session_put(t, s);
	}
	if (o->bench_sessions > 0)
		printf("bench: %u synthetic TWAMP sessions installed in %.1f s\n",
		       o->bench_sessions, (double)(twr_clock_ns(CLOCK_MONOTONIC) - t0) / 1e9);
}

/* The exception path: a TAP for port 0, the mapping of lib/control/twr_tap.h. */
static struct twr_tap *
tap_init(const struct twr_app_options *o, const struct twr_app_port *wire,
	 struct rte_ring *exc_ring)
{
	struct twr_tap_addr addrs[TWR_APP_MAX_ADDRS];
	struct twr_tap_conf c;
	struct twr_tap *tap;
	unsigned int a;

	memset(&c, 0, sizeof(c));
	for (a = 0; a < o->nb_addrs; a++) {
		memcpy(addrs[a].addr, o->addrs[a].addr, 16);
		addrs[a].prefix = o->addrs[a].prefix;
	}
	c.ifname = o->tap_name;
	c.exc_ring = exc_ring;
	c.wire_port = wire->port_id;
	c.wire_txq = wire->ctl_txq == TWR_APP_NO_QUEUE ? TWR_TAP_NO_QUEUE : wire->ctl_txq;
	c.pool = wire->pool;
	c.vlan = o->vlan;
	c.addrs = addrs;
	c.nb_addrs = o->nb_addrs;
	c.routes = o->tap_routes;
	c.nb_routes = o->nb_tap_routes;
	tap = twr_tap_create(&c);
	if (tap == NULL)
		rte_exit(EXIT_FAILURE, "exception path (--tap %s): %s\n",
			 o->tap_name != NULL ? o->tap_name : "off", rte_strerror(rte_errno));
	return tap;
}

/* TWAMP-Control: the session manager and the server on every --address (issue 4). */
static struct twr_ctl_server *
control_init(const struct twr_app_options *o, struct twr_session_table *t,
	     const struct twr_clock *clock, struct twr_session_mgr **mgr)
{
	struct twr_session_mgr_config mc;
	struct twr_ctl_server_config sc;
	struct twr_ctl_server_stats st;
	struct twr_ctl_server *srv;
	unsigned int a, v4 = 0;

	*mgr = NULL;
	if (o->control.off)
		return NULL;
	twr_session_mgr_config_defaults(&mc);
	mc.port_lo = o->control.test_port_lo;
	mc.port_hi = o->control.test_port_hi;
	mc.any_requested_port = o->control.any_requested_port;
	mc.sender_peer_only = o->control.sender_peer_only;
	mc.vlan = o->vlan;
	mc.max_sessions = o->control.max_sessions;
	mc.max_conns = o->control.max_conns;
	mc.max_conns_per_source = o->control.max_conns_per_src;
	mc.tsc_hz = twr_clock_tsc_hz(clock);
	mc.nat_policy = o->nat.policy;
	memcpy(mc.nat_rules, o->nat.rules, sizeof(mc.nat_rules));
	mc.nb_nat_rules = o->nat.nb_rules;
	mc.latch_window_ns = (uint64_t)(o->nat.latch_window * 1e9);
	mc.latch_len4 = o->nat.latch_len4;
	mc.latch_len6 = o->nat.latch_len6;
	twr_ctl_server_config_defaults(&sc);
	sc.port = o->control.port;
	for (a = 0; a < o->nb_addrs && a < TWR_CTL_SERVER_MAX_BINDS; a++) {
		memcpy(mc.addrs[a], o->addrs[a].addr, 16);
		memcpy(sc.binds[a], o->addrs[a].addr, 16);
		/* SIDs of IPv6 sessions carry an IPv4 address of ours (RFC 4656 3.5) */
		if (o->addrs[a].ip_version == 4 && v4++ == 0)
			memcpy(sc.proto.sid_ipv4, o->addrs[a].addr + 12, 4);
	}
	mc.nb_addrs = a;
	sc.nb_binds = a;
	sc.proto.max_sessions = o->control.max_per_conn;
	sc.proto.servwait_ns = (uint64_t)(o->control.servwait * 1e9);
	sc.proto.refwait_ns = (uint64_t)(o->control.refwait * 1e9);
	/* room for the acks of a Start-N-Sessions naming every session */
	if (sc.proto.max_tx_queue < 64 + 16 * (uint64_t)sc.proto.max_sessions)
		sc.proto.max_tx_queue = 64 + 16 * sc.proto.max_sessions;
	*mgr = twr_session_mgr_create(&mc, t);
	if (*mgr == NULL)
		rte_exit(EXIT_FAILURE, "session manager: %s\n", rte_strerror(rte_errno));
	srv = twr_ctl_server_create(&sc, *mgr);
	if (srv == NULL)
		rte_exit(EXIT_FAILURE, "TWAMP-Control server: %s\n", rte_strerror(rte_errno));
	twr_ctl_server_stats_get(srv, &st);
	printf("control: TWAMP-Control on TCP port %u (%u listener(s)), test ports %u-%u\n",
	       o->control.port, st.listeners, mc.port_lo, mc.port_hi);
	return srv;
}

int
main(int argc, char **argv)
{
	struct twr_app_options opts;
	struct twr_app_port ports[TWR_APP_MAX_PORTS];
	struct twr_reflect_conf *conf;
	struct twr_session_table *table;
	struct twr_light_ports *light_ports;
	struct twr_worker *workers;
	struct twr_clock *clock;
	struct rte_ring *exc_ring;
	struct twr_tap *tap;
	struct twr_session_mgr *ctl_mgr;
	struct twr_ctl_server *ctl_srv;
	unsigned int nb_workers, lcore, w, a;
	uint16_t nb_ports, p;
	uint64_t start, next_clock, next_stats, next_nat, deadline;
	bool check_only;
	int ret;

	/* --config FILE / --check-config FILE: the file becomes arguments (config.h). */
	if (twr_app_config_argv(argc, argv, &argc, &argv, &check_only) < 0)
		return EXIT_FAILURE; /* every error printed, with its file, line and key */
	if (check_only)
		return twr_app_config_check(argc, argv) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n", rte_strerror(rte_errno));
	argc -= ret;
	argv += ret;
	argv[0] = (char *)(uintptr_t) "twamp-reflector";
	ret = twr_app_options_parse(argc, argv, &opts);
	if (ret == 1) {
		rte_eal_cleanup();
		return 0;
	}
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "bad options (see --help)\n");

	nb_workers = rte_lcore_count() - 1;
	if (nb_workers == 0)
		rte_exit(EXIT_FAILURE, "need a worker lcore besides the main (control) lcore, "
				       "e.g. --lcores '0@0,1@1'\n");
	if (opts.workers != 0) {
		if (opts.workers > nb_workers)
			rte_exit(EXIT_FAILURE, "--workers %u: only %u worker lcores\n",
				 opts.workers, nb_workers);
		nb_workers = opts.workers;
	}
	if (nb_workers > RTE_MAX_LCORE)
		rte_exit(EXIT_FAILURE, "too many workers\n");

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	ret = twr_app_ports_init(&opts, nb_workers, ports, &nb_ports);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "port setup failed\n");

	clock = twr_clock_create(rte_socket_id());
	if (clock == NULL)
		rte_exit(EXIT_FAILURE, "clock: %s\n", rte_strerror(rte_errno));
	table = twr_session_table_create("twr_sessions", opts.max_sessions, nb_workers,
					 (int)rte_socket_id());
	if (table == NULL)
		rte_exit(EXIT_FAILURE, "session table: %s\n", rte_strerror(rte_errno));
	light_ports = install_light_ports(&opts, table);
	install_bench_sessions(&opts, table);
	exc_ring = rte_ring_create("twr_exception", EXC_RING_SIZE, (int)rte_socket_id(),
				   RING_F_SC_DEQ);
	if (exc_ring == NULL)
		rte_exit(EXIT_FAILURE, "exception ring: %s\n", rte_strerror(rte_errno));
	tap = tap_init(&opts, &ports[0], exc_ring);
	twr_app_stats_set_tap(tap);
	ctl_srv = control_init(&opts, table, clock, &ctl_mgr);

	conf = rte_zmalloc("twr_reflect_conf", sizeof(*conf), RTE_CACHE_LINE_SIZE);
	workers = rte_zmalloc("twr_workers", sizeof(*workers) * nb_workers, RTE_CACHE_LINE_SIZE);
	if (conf == NULL || workers == NULL)
		rte_exit(EXIT_FAILURE, "out of memory\n");
	conf->errest = twr_clock_errest(clock);
	conf->flags = opts.strict_errest ? TWR_REFLECT_F_STRICT_ERREST : 0;

	w = 0;
	RTE_LCORE_FOREACH_WORKER (lcore) {
		struct twr_worker *wk = &workers[w];

		if (w == nb_workers)
			break;
		wk->lcore_id = lcore;
		wk->qsbr_id = w;
		wk->table = table;
		wk->clock = clock;
		wk->conf = conf;
		wk->exc_ring = exc_ring;
		/* Worker 0 sends the kernel's frames when port 0 has no control TX queue. */
		wk->tx_ring = w == 0 ? twr_tap_worker_ring(tap) : NULL;
		wk->tx_ring_queue = 0; /* queues[0] is port 0, the TAP's wire port */
		wk->quit = &quit;
		for (a = 0; a < opts.nb_addrs && a < TWR_WORKER_MAX_ADDRS; a++)
			memcpy(wk->addrs[a], opts.addrs[a].addr, 16);
		wk->nb_addrs = a;
		for (p = 0; p < nb_ports && p < TWR_WORKER_MAX_QUEUES; p++) {
			wk->queues[p].port_id = ports[p].port_id;
			wk->queues[p].rxq = (uint16_t)w;
			wk->queues[p].txq = (uint16_t)w;
			wk->queues[p].tx_cksum = (uint16_t)ports[p].tx_cksum;
			wk->queues[p].rx_cksum = ports[p].rx_cksum;
		}
		wk->nb_queues = p;
		ret = twr_worker_init(wk);
		if (ret < 0)
			rte_exit(EXIT_FAILURE, "worker %u: %s\n", w, strerror(-ret));
		w++;
	}
	for (w = 0; w < nb_workers; w++)
		rte_eal_remote_launch(twr_worker_main, &workers[w], workers[w].lcore_id);
	for (a = 0; a < opts.nb_addrs; a++) {
		char buf[64];

		printf("address %s/%u\n", twr_app_addr_str(&opts.addrs[a], buf, sizeof(buf)),
		       opts.addrs[a].prefix);
	}
	printf("READY: %u worker(s), %u port(s), %u light/stamp port(s)\n", nb_workers, nb_ports,
	       opts.nb_light);
	fflush(stdout);

	/* The control lcore: exception path (ring <-> TAP <-> wire), clock, counters. */
	start = twr_clock_ns(CLOCK_MONOTONIC);
	next_clock = start + CLOCK_PERIOD_NS;
	next_nat = start + NAT_PERIOD_NS;
	next_stats =
		opts.stats_period > 0 ? start + (uint64_t)(opts.stats_period * 1e9) : UINT64_MAX;
	deadline = opts.run_time > 0 ? start + (uint64_t)(opts.run_time * 1e9) : UINT64_MAX;
	twr_app_report_ctx_fill(&report_ctx, &opts, ports, nb_ports, report_port_ids, workers,
				nb_workers, &ctl_lock);
	report_ctx.table = table;
	report_ctx.mgr = ctl_mgr;
	report_ctx.srv = ctl_srv;
	report_ctx.tap = tap;
	report_ctx.clock = clock;
	report_ctx.light_ports = light_ports;
	/* dpdk-dumpcap / dpdk-pdump capture live traffic through this process. */
	ret = rte_pdump_init();
	if (ret < 0)
		printf("pdump: not available (%s): no live capture\n", rte_strerror(rte_errno));
	ret = twr_telemetry_register(&report_ctx);
	if (ret < 0)
		printf("telemetry: endpoints not registered: %s\n", strerror(-ret));
	cli_ctx.report = &report_ctx;
	cli_ctx.light_ports = light_ports;
	cli_ctx.quit = &quit;
	if (opts.cmdline_file != NULL) {
		pthread_mutex_lock(&ctl_lock);
		ret = twr_cli_run_file(&cli_ctx, opts.cmdline_file);
		pthread_mutex_unlock(&ctl_lock);
		if (ret < 0)
			printf("--cmdline-file %s: %s\n", opts.cmdline_file, strerror(-ret));
	}
	if (opts.interactive && twr_cli_start(&cli_ctx) < 0)
		rte_exit(EXIT_FAILURE, "-i: cannot start the command line\n");
	while (!quit) {
		uint64_t now = twr_clock_ns(CLOCK_MONOTONIC);
		unsigned int n;

		/* The telemetry thread reads the session manager under this lock. */
		pthread_mutex_lock(&ctl_lock);
		n = twr_tap_poll(tap);
		if (opts.interactive && twr_cli_poll() != 0)
			quit = true;
		if (ctl_srv != NULL)
			n += (unsigned int)RTE_MAX(twr_ctl_server_poll(ctl_srv, now), 0);
		twr_session_table_reclaim(table);
		if (now >= deadline)
			quit = true;
		if (now >= next_clock) {
			twr_clock_update(clock);
			conf->errest = twr_clock_errest(clock);
			next_clock = now + CLOCK_PERIOD_NS;
		}
		if (now >= next_nat) {
			twr_session_mgr_nat_poll(ctl_mgr);
			next_nat = now + NAT_PERIOD_NS;
		}
		if (now >= next_stats) {
			twr_app_stats_print(stdout, "STATS", workers, nb_workers);
			twr_app_stats_print_control(stdout, "STATS-CONTROL", ctl_mgr, ctl_srv);
			twr_app_stats_print_nat(stdout, "STATS-NAT", ctl_mgr);
			next_stats = now + (uint64_t)(opts.stats_period * 1e9);
		}
		pthread_mutex_unlock(&ctl_lock);
		if (n == 0)
			rte_delay_us_sleep(CTL_POLL_US);
	}

	/* Telemetry answers nothing from here on: the manager is about to go. */
	pthread_mutex_lock(&ctl_lock);
	twr_telemetry_register(NULL); /* detach */
	twr_cli_stop();
	rte_eal_mp_wait_lcore();
	/* the flows are the stopped workers' own: read them before they go */
	twr_app_stats_print_flows(stdout, workers, nb_workers);
	for (w = 0; w < nb_workers; w++)
		twr_worker_fini(&workers[w]);
	twr_tap_flush(tap);
	twr_app_stats_print(stdout, "FINAL", workers, nb_workers);
	/* control connections closed, their sessions removed (LOCAL_CLOSE), then counted */
	twr_session_mgr_nat_poll(ctl_mgr);
	twr_ctl_server_shutdown(ctl_srv);
	twr_app_stats_print_control(stdout, "FINAL-CONTROL", ctl_mgr, ctl_srv);
	twr_app_stats_print_nat(stdout, "FINAL-NAT", ctl_mgr);
	twr_ctl_server_free(ctl_srv);
	twr_session_mgr_free(ctl_mgr);
	pthread_mutex_unlock(&ctl_lock);
	twr_app_stats_print_workers(stdout, workers, nb_workers, twr_clock_tsc_hz(clock));
	twr_app_stats_set_tap(NULL);
	twr_tap_destroy(tap);
	rte_pdump_uninit();
	twr_app_ports_close(ports, nb_ports);
	rte_eal_cleanup();
	return 0;
}
