/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_STATS_H
#define TWR_APP_STATS_H

/**
 * @file
 * Counters summed over the worker lcores and the exception path
 * (lib/control/twr_tap.h), printed as one line.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_ring.h>

#include "twr_dp_reasons.h"
#include "twr_tap.h"
#include "twr_worker.h"

/** Sum of every worker's counters into @p sum. */
void twr_app_stats_sum(const struct twr_worker *workers, unsigned int n, struct twr_dp_stats *sum);

/**
 * Print "TAG rx=N reflected=N to_exception=N <reason>=N ..." (every reason,
 * zero or not, so that scripts can rely on the keys), then every counter
 * of the exception path ("exception_consumed=N tap_tx=N ...", zeros
 * before twr_app_stats_set_tap()).
 */
void twr_app_stats_print(FILE *f, const char *tag, const struct twr_worker *workers,
			 unsigned int n);

/**
 * Print one line per worker (benchmark figures):
 * "WORKER lcore=N rx=N reflected=N busy_cycles=N idle_cycles=N loops=N
 * cycles_per_pkt=X mpps=X", where busy/idle are the TSC cycles of loops
 * that did / did not receive a packet, cycles_per_pkt = busy_cycles / rx,
 * and mpps = rx over the worker's run time (busy + idle cycles at
 * @p tsc_hz, the measured TSC rate).
 */
void twr_app_stats_print_workers(FILE *f, const struct twr_worker *workers, unsigned int n,
				 uint64_t tsc_hz);

/** The exception path whose counters twr_app_stats_print() adds (NULL: zeros). */
void twr_app_stats_set_tap(const struct twr_tap *tap);

struct twr_session_mgr;
struct twr_ctl_server;

/**
 * Print "TAG" and every TWAMP-Control counter (lib/control/twr_ctl_stats.h
 * names, zeros included; all zeros under --no-control) as one line.
 */
void twr_app_stats_print_control(FILE *f, const char *tag, const struct twr_session_mgr *m,
				 const struct twr_ctl_server *srv);

/**
 * Print the NAT totals after @p tag (FINAL-NAT, STATS-NAT: all zeros under
 * --no-control), then one NAT-SESSION line per session with NAT activity,
 * ended ones included (twr_session_mgr_nat_foreach()).
 */
void twr_app_stats_print_nat(FILE *f, const char *tag, struct twr_session_mgr *m);

/** Most FLOW lines twr_app_stats_print_flows() prints. */
#define TWR_APP_STATS_MAX_FLOWS 1000

/**
 * Print one FLOW line per live TWAMP-Light/STAMP flow of each worker (the
 * /twamp/flows report, its columns as key=value), at most
 * TWR_APP_STATS_MAX_FLOWS, then a FLOWS line with the totals.
 */
void twr_app_stats_print_flows(FILE *f, struct twr_worker *workers, unsigned int n);

#endif /* TWR_APP_STATS_H */
