/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_CLI_H
#define TWR_APP_CLI_H

/**
 * @file
 * The testpmd-style command line (librte_cmdline): `-i` gives an
 * interactive prompt on stdin with completion and help, `--cmdline-file
 * FILE` runs a file of commands at start-up. It runs on the control lcore,
 * polled from its loop (cmdline_poll(), never blocking), and reads what
 * telemetry reads: the twr_report.h reports. Commands are split by area:
 * cli_show.c (show ...), cli_change.c (clear, stop, add, del, set),
 * cli.c (help, quit, the sink that prints reports, start-up).
 */

#include <stdbool.h>

#include "twr_report.h"

struct twr_light_ports;

/** What the commands act on; set once before the CLI starts. */
struct twr_cli_ctx {
	struct twr_report_ctx *report;
	struct twr_light_ports *light_ports;
	volatile bool *quit; /**< set by "quit" and at the end of stdin */
};

/**
 * Run the commands of @p path (output on stdout), then return.
 * @return 0; -ENOENT when the file cannot be opened.
 */
int twr_cli_run_file(struct twr_cli_ctx *ctx, const char *path);

/** Open the interactive prompt on stdin. @return 0; -ENOMEM. */
int twr_cli_start(struct twr_cli_ctx *ctx);

/**
 * Serve the prompt: read what stdin has, run complete lines. Never blocks.
 * @return 0; 1 when the CLI has ended ("quit" or end of input: *quit set).
 */
int twr_cli_poll(void);

/** Close the prompt, restore the terminal. */
void twr_cli_stop(void);

#endif /* TWR_APP_CLI_H */
