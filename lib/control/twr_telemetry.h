/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TELEMETRY_H
#define TWR_TELEMETRY_H

/**
 * @file
 * The reflector's endpoints on DPDK's telemetry socket, read with the
 * stock usertools/dpdk-telemetry.py (`-f FILE_PREFIX`):
 *
 *     /twamp/info        version, modes, addresses, ports, lcores, uptime
 *     /twamp/stats       data-plane totals, every reason, the exception path
 *     /twamp/lcores      per worker: counters, busy and idle cycles, flows
 *     /twamp/ports       per ethdev port: packets, bytes, misses, errors
 *     /twamp/sessions    the installed managed sessions, a row each
 *     /twamp/session,ID  everything about one: tuples, counters, NAT state
 *     /twamp/nat         NAT totals and the sessions with NAT activity
 *     /twamp/nat,ID      one session's NAT picture
 *     /twamp/control     TWAMP-Control: connections, requests, refusals
 *     /twamp/clock       measured TSC rate, offset, sync state, Error Estimate
 *     /twamp/flows       TWAMP-Light/STAMP flows by observed 5-tuple
 *
 * Each is a twr_report.h report rendered as one dictionary: scalars under
 * their names, a table as one array per column under "TABLE/COLUMN" plus
 * "TABLE/rows" (the row count; arrays stop at 512 entries). The schema is
 * docs/operations.md. Handlers run on the telemetry thread and hold
 * ctx->lock while they read (the control loop holds it while it works);
 * they never touch a worker's lock or queue, so no query stalls packets.
 */

struct twr_report_ctx;

/**
 * Register the endpoints (EAL initialised with telemetry). A second call
 * only replaces the context: NULL detaches it (the endpoints then answer
 * null) before the objects it points to are freed; call it holding the
 * old context's lock.
 *
 * @return 0; a negative errno of rte_telemetry_register_cmd().
 */
int twr_telemetry_register(const struct twr_report_ctx *ctx);

#endif /* TWR_TELEMETRY_H */
