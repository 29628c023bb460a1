/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TELEMETRY_NAT_H
#define TWR_TELEMETRY_NAT_H

/**
 * @file
 * The NAT telemetry endpoints, on DPDK's telemetry socket (read them with
 * the stock usertools/dpdk-telemetry.py):
 *
 * - `/twamp/nat`: the totals of twr_session_mgr_nat_totals() and
 *   `sessions`, the ids of the sessions with NAT activity (installed, then
 *   ended ones; at most 512);
 * - `/twamp/nat,ID`: one session's NAT picture (struct twr_nat_info): the
 *   negotiated (requested) and latched tuples side by side, the first and
 *   last mismatching sources with their times, the counters, the cause.
 *
 * The schema is in docs/nat.md. The handlers run on the telemetry thread
 * and read the session manager under @p lock, which the control lcore
 * holds while it works on the manager; never a worker's lock.
 */

#include <pthread.h>

struct twr_session_mgr;

/**
 * Register the endpoints (EAL must be initialised with telemetry); a
 * second call only changes the manager: NULL detaches it before it is
 * freed (call it holding @p lock).
 *
 * @param m     the manager (NULL: the endpoints answer with zeros / nothing).
 * @param lock  taken around every read of @p m.
 * @return 0; a negative errno from rte_telemetry_register_cmd().
 */
int twr_telemetry_nat_register(struct twr_session_mgr *m, pthread_mutex_t *lock);

#endif /* TWR_TELEMETRY_NAT_H */
