/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <string.h>
#include <time.h>

#include <rte_common.h>

#include "report_ctx.h"
#include "twr_proto.h"
#include "twr_server.h"
#include "twr_time.h"

void
twr_app_report_ctx_fill(struct twr_report_ctx *ctx, const struct twr_app_options *o,
			const struct twr_app_port *ports, unsigned int nb_ports, uint16_t *port_ids,
			struct twr_worker *workers, unsigned int nb_workers, pthread_mutex_t *lock)
{
	unsigned int i;

	/* the objects (table, manager, server, TAP, clock) are set by the caller */
	ctx->lock = lock;
	ctx->version = TWR_VERSION;
	ctx->start_unix_ns = twr_clock_ns(CLOCK_REALTIME);
	ctx->workers = workers;
	ctx->nb_workers = nb_workers;
	for (i = 0; i < nb_ports; i++)
		port_ids[i] = ports[i].port_id;
	ctx->ports = port_ids;
	ctx->nb_ports = nb_ports;
	ctx->modes = o->control.off ? 0 : TWR_MODE_UNAUTHENTICATED | TWR_SERVER_FEATURES;
	ctx->nb_addrs = RTE_MIN(o->nb_addrs, (unsigned int)TWR_REPORT_MAX_ADDRS);
	for (i = 0; i < ctx->nb_addrs; i++) {
		memcpy(ctx->addrs[i], o->addrs[i].addr, 16);
		ctx->prefixes[i] = o->addrs[i].prefix;
	}
	ctx->vlan = o->vlan;
}
