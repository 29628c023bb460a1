/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-reflector: EAL, options, ports, the session table, the clock, the
 * worker lcores; the main lcore is the control lcore. rte_exit lives here
 * and nowhere else.
 */

#include <errno.h>
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
#include <rte_ring.h>

#include "options.h"
#include "ports.h"
#include "stats.h"
#include "twr_clock.h"
#include "twr_engine.h"
#include "twr_session.h"
#include "twr_session_table.h"
#include "twr_worker.h"

#define EXC_RING_SIZE	4096
#define CTL_POLL_US	100 /* idle control lcore sleeps this long (TESTBED.md) */
#define CLOCK_PERIOD_NS 1000000000ull

/* Stop request. dp: ro, ctl: wo (signal handler, run time). */
static volatile bool quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = true;
}

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Install every TWAMP-Light / STAMP port on every address as a listen entry. */
static void
install_light_ports(const struct twr_app_options *o, struct twr_session_table *t)
{
	unsigned int a, l;

	for (a = 0; a < o->nb_addrs; a++) {
		for (l = 0; l < o->nb_light; l++) {
			struct twr_session_key key;
			struct twr_session *s = twr_session_table_session_alloc(t);
			int ret;

			if (s == NULL)
				rte_exit(EXIT_FAILURE, "light port: %s\n", rte_strerror(rte_errno));
			s->engine = o->light[l].engine;
			s->flags = o->light[l].stateful ? TWR_SESSION_F_STATEFUL : 0;
			s->dscp_policy = TWR_DSCP_COPY;
			s->run_state = TWR_SESSION_STARTED;
			memset(&key, 0, sizeof(key));
			memcpy(key.local_addr, o->addrs[a].addr, 16);
			key.local_port = o->light[l].port;
			key.vlan = o->vlan;
			ret = twr_session_table_add_listen(t, &key, s);
			if (ret < 0)
				rte_exit(EXIT_FAILURE, "light port %u: %s\n", o->light[l].port,
					 strerror(-ret));
		}
	}
}

int
main(int argc, char **argv)
{
	struct twr_app_options opts;
	struct twr_app_port ports[TWR_APP_MAX_PORTS];
	struct twr_reflect_conf *conf;
	struct twr_session_table *table;
	struct twr_worker *workers;
	struct twr_clock *clock;
	struct rte_ring *exc_ring;
	unsigned int nb_workers, lcore, w, a;
	uint16_t nb_ports, p;
	uint64_t start, next_clock, next_stats, deadline;
	int ret;

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
	install_light_ports(&opts, table);
	exc_ring = rte_ring_create("twr_exception", EXC_RING_SIZE, (int)rte_socket_id(),
				   RING_F_SC_DEQ);
	if (exc_ring == NULL)
		rte_exit(EXIT_FAILURE, "exception ring: %s\n", rte_strerror(rte_errno));

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

	/* The control lcore: exception ring, clock, periodic counters. */
	start = mono_ns();
	next_clock = start + CLOCK_PERIOD_NS;
	next_stats =
		opts.stats_period > 0 ? start + (uint64_t)(opts.stats_period * 1e9) : UINT64_MAX;
	deadline = opts.run_time > 0 ? start + (uint64_t)(opts.run_time * 1e9) : UINT64_MAX;
	while (!quit) {
		uint64_t now = mono_ns();
		unsigned int n = twr_app_exception_drain(exc_ring);

		if (now >= deadline)
			quit = true;
		if (now >= next_clock) {
			twr_clock_update(clock);
			conf->errest = twr_clock_errest(clock);
			next_clock = now + CLOCK_PERIOD_NS;
		}
		if (now >= next_stats) {
			twr_app_stats_print(stdout, "STATS", workers, nb_workers);
			next_stats = now + (uint64_t)(opts.stats_period * 1e9);
		}
		if (n == 0)
			rte_delay_us_sleep(CTL_POLL_US);
	}

	rte_eal_mp_wait_lcore();
	for (w = 0; w < nb_workers; w++)
		twr_worker_fini(&workers[w]);
	twr_app_exception_drain(exc_ring);
	twr_app_stats_print(stdout, "FINAL", workers, nb_workers);
	twr_app_ports_close(ports, nb_ports);
	rte_eal_cleanup();
	return 0;
}
