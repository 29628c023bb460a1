/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_REPORT_CTX_H
#define TWR_APP_REPORT_CTX_H

/**
 * @file
 * The report context (lib/control/twr_report.h) of the running app: what
 * telemetry and the CLI read.
 */

#include "options.h"
#include "ports.h"
#include "twr_report.h"

/**
 * Fill @p ctx from the options and the objects the app created (the
 * pointers are kept; @p lock must outlive the context).
 */
void twr_app_report_ctx_fill(struct twr_report_ctx *ctx, const struct twr_app_options *o,
			     const struct twr_app_port *ports, unsigned int nb_ports,
			     uint16_t *port_ids, struct twr_worker *workers,
			     unsigned int nb_workers, pthread_mutex_t *lock);

#endif /* TWR_APP_REPORT_CTX_H */
