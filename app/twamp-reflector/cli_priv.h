/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_CLI_PRIV_H
#define TWR_APP_CLI_PRIV_H

/* Shared by the CLI's files (cli.h): the context, printing, the command lists. */

#include <cmdline.h>
#include <cmdline_parse.h>

#include "cli.h"

/* The context of the running CLI (cmdline callbacks carry none). ctl only. */
extern struct twr_cli_ctx *twr_cli;

/* A sink that prints a report on @p cl: "key: value" lines, tables aligned. */
void twr_cli_sink(struct cmdline *cl, struct twr_report_sink *s);
/* Print a report through twr_cli_sink(), then flush its table buffers. */
void twr_cli_print(struct cmdline *cl,
		   void (*report)(const struct twr_report_ctx *, const struct twr_report_sink *));

/* "clear stats": the values "show stats" and "show control" subtract from now on. */
uint64_t twr_cli_baseline(const char *key);
void twr_cli_baseline_take(void);

/* NULL-terminated lists of the instructions of each file. */
extern cmdline_parse_inst_t *const twr_cli_show_cmds[];
extern cmdline_parse_inst_t *const twr_cli_change_cmds[];

#endif /* TWR_APP_CLI_PRIV_H */
