/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_REPORT_H
#define TWR_REPORT_H

/**
 * @file
 * What the reflector tells its operators, once: the reports that the
 * telemetry endpoints (twr_telemetry.h) and the CLI both render. Each
 * report writes keys and values to a sink; the telemetry sink makes a
 * telemetry dictionary of them, the CLI's prints lines. So a counter has
 * one name, one meaning and one value whichever way it is read
 * (docs/operations.md lists every report's keys).
 *
 * Shapes, within what DPDK 22.11's telemetry can carry (a dictionary of
 * scalars and of arrays of scalars, no deeper): scalars (u64, signed,
 * string), and tables: named columns of equal length, one entry per row,
 * rendered by telemetry as one array per column ("lcore": [1, 2],
 * "rx": [..]) and by the CLI as an aligned table.
 *
 * Threads: a report reads the session manager, the TAP and the clock,
 * which the control lcore writes: call it on the control lcore, or hold
 * ctx->lock (the control loop holds it while it works). Worker counters
 * are read as they are (each value at most a burst old); no report ever
 * waits for a worker.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "twr_proto.h"

struct twr_worker;
struct twr_session_table;
struct twr_session_mgr;
struct twr_ctl_server;
struct twr_tap;
struct twr_clock;
struct twr_light_ports;

/** Column types of a table. */
enum twr_report_type {
	TWR_REPORT_U64 = 0,
	TWR_REPORT_STR = 1,
};

/** Most columns of a table. */
#define TWR_REPORT_MAX_COLS 24

/** Where a report writes. */
struct twr_report_sink {
	void (*u64)(void *arg, const char *key, uint64_t v);
	void (*i64)(void *arg, const char *key, int64_t v);
	void (*str)(void *arg, const char *key, const char *v);
	/** A table of @p ncols columns follows, row by row (cells in column order). */
	void (*table_begin)(void *arg, const char *name, unsigned int ncols,
			    const char *const cols[], const enum twr_report_type types[]);
	void (*cell_u64)(void *arg, uint64_t v);
	void (*cell_str)(void *arg, const char *v);
	void (*table_end)(void *arg);
	void *arg;
};

/** Most addresses and light ports a context lists. */
#define TWR_REPORT_MAX_ADDRS 16

/** Everything the reports read; the app fills it once the objects exist. */
struct twr_report_ctx {
	pthread_mutex_t *lock; /**< held by the control loop; taken by telemetry */
	const char *version;
	uint64_t start_unix_ns; /**< when the reflector became ready */
	struct twr_worker *workers;
	unsigned int nb_workers;
	const uint16_t *ports; /**< ethdev port ids */
	unsigned int nb_ports;
	struct twr_session_table *table;
	struct twr_session_mgr *mgr; /**< NULL: --no-control */
	struct twr_ctl_server *srv;  /**< NULL: --no-control */
	const struct twr_tap *tap;   /**< NULL: --no-tap */
	struct twr_clock *clock;
	uint32_t modes; /**< TWAMP-Control modes offered */
	uint8_t addrs[TWR_REPORT_MAX_ADDRS][16];
	uint8_t prefixes[TWR_REPORT_MAX_ADDRS];
	unsigned int nb_addrs;
	struct twr_light_ports *light_ports; /**< the Light/STAMP ports, or NULL */
	uint16_t vlan;
};

/** /twamp/info, "show info": version, modes, addresses, ports, lcores, uptime. */
void twr_report_info(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** /twamp/stats, "show stats": the data plane's totals, every reason, the exception path. */
void twr_report_stats(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** /twamp/lcores, "show lcores": per worker counters, busy and idle cycles. */
void twr_report_lcores(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** "show ports": per ethdev port, its stats (ipackets, opackets, imissed, errors). */
void twr_report_ports(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** /twamp/clock, "show clock": TSC rate, offset, sync state, Error Estimate. */
void twr_report_clock(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** /twamp/control, "show control": connections, requests, refusals by reason. */
void twr_report_control(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/** /twamp/sessions, "show sessions": one row per installed managed session. */
void twr_report_sessions(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/**
 * /twamp/session,ID, "show session ID": everything about one session.
 * @return 0; -ENOENT when no session has that id.
 */
int twr_report_session(const struct twr_report_ctx *ctx, uint32_t id,
		       const struct twr_report_sink *s);

/** /twamp/nat, "show nat": the NAT totals and a row per session with NAT activity. */
void twr_report_nat(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

/**
 * /twamp/nat,ID, "show nat ID": one session's NAT picture, ended sessions
 * of the NAT history included.
 * @return 0; -ENOENT.
 */
int twr_report_session_nat(const struct twr_report_ctx *ctx, uint32_t id,
			   const struct twr_report_sink *s);

/** /twamp/flows, "show flows": Light/STAMP flows (twr_flow_cache_foreach(): safe while running). */
void twr_report_flows(const struct twr_report_ctx *ctx, const struct twr_report_sink *s);

#endif /* TWR_REPORT_H */
