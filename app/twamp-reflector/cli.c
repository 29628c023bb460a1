/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* The CLI's frame: start-up, polling, help, quit, and the sink that prints reports (cli.h). */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>
#include <cmdline_socket.h>
#include <rte_common.h>

#include "cli_priv.h"

#define CLI_PROMPT    "twamp> "
#define CLI_MAX_CMDS  64
#define CLI_KEY_WIDTH 26

struct twr_cli_ctx *twr_cli;
static struct cmdline *cli_stdin;

/* ---- printing reports ---- */

/* A table being printed: cells kept until its end, to align the columns. */
struct cli_sink {
	struct cmdline *cl;
	unsigned int ncols;
	const char *cols[TWR_REPORT_MAX_COLS];
	char **cells;
	size_t ncells, cap;
};

static void
sink_u64(void *arg, const char *key, uint64_t v)
{
	struct cli_sink *k = arg;

	cmdline_printf(k->cl, "  %-*s %" PRIu64 "\n", CLI_KEY_WIDTH, key, v);
}

static void
sink_i64(void *arg, const char *key, int64_t v)
{
	struct cli_sink *k = arg;

	cmdline_printf(k->cl, "  %-*s %" PRId64 "\n", CLI_KEY_WIDTH, key, v);
}

static void
sink_str(void *arg, const char *key, const char *v)
{
	struct cli_sink *k = arg;

	cmdline_printf(k->cl, "  %-*s %s\n", CLI_KEY_WIDTH, key, v);
}

static void
sink_table_begin(void *arg, const char *name, unsigned int ncols, const char *const cols[],
		 const enum twr_report_type types[])
{
	struct cli_sink *k = arg;
	unsigned int i;

	RTE_SET_USED(types);
	cmdline_printf(k->cl, "%s:\n", name);
	k->ncols = RTE_MIN(ncols, (unsigned int)TWR_REPORT_MAX_COLS);
	for (i = 0; i < k->ncols; i++)
		k->cols[i] = cols[i];
	k->ncells = 0;
}

static void
sink_cell(struct cli_sink *k, const char *v)
{
	char *c;

	if (k->ncells == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 256;
		char **n = realloc(k->cells, cap * sizeof(*n));

		if (n == NULL)
			return; /* the row prints short; nothing else to do */
		k->cells = n;
		k->cap = cap;
	}
	c = strdup(v);
	if (c != NULL)
		k->cells[k->ncells++] = c;
}

static void
sink_cell_u64(void *arg, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	sink_cell(arg, buf);
}

static void
sink_cell_str(void *arg, const char *v)
{
	sink_cell(arg, v);
}

static void
sink_table_end(void *arg)
{
	struct cli_sink *k = arg;
	size_t width[TWR_REPORT_MAX_COLS], i;
	unsigned int c;

	for (c = 0; c < k->ncols; c++)
		width[c] = strlen(k->cols[c]);
	for (i = 0; i < k->ncells; i++)
		width[i % k->ncols] = RTE_MAX(width[i % k->ncols], strlen(k->cells[i]));
	/* the last column unpadded: no trailing blanks */
	cmdline_printf(k->cl, " ");
	for (c = 0; c < k->ncols; c++)
		cmdline_printf(k->cl, " %-*s", c + 1 < k->ncols ? (int)width[c] : 0, k->cols[c]);
	cmdline_printf(k->cl, "\n");
	for (i = 0; i < k->ncells; i++) {
		c = (unsigned int)(i % k->ncols);
		if (c == 0)
			cmdline_printf(k->cl, " ");
		cmdline_printf(k->cl, " %-*s", c + 1 < k->ncols ? (int)width[c] : 0, k->cells[i]);
		if (i % k->ncols == k->ncols - 1 || i + 1 == k->ncells)
			cmdline_printf(k->cl, "\n");
		free(k->cells[i]);
	}
	if (k->ncells == 0)
		cmdline_printf(k->cl, "  (none)\n");
	k->ncells = 0;
}

static struct cli_sink sink_state;

void
twr_cli_sink(struct cmdline *cl, struct twr_report_sink *s)
{
	sink_state.cl = cl;
	s->u64 = sink_u64;
	s->i64 = sink_i64;
	s->str = sink_str;
	s->table_begin = sink_table_begin;
	s->cell_u64 = sink_cell_u64;
	s->cell_str = sink_cell_str;
	s->table_end = sink_table_end;
	s->arg = &sink_state;
}

void
twr_cli_print(struct cmdline *cl,
	      void (*report)(const struct twr_report_ctx *, const struct twr_report_sink *))
{
	struct twr_report_sink s;

	twr_cli_sink(cl, &s);
	report(twr_cli->report, &s);
}

/* ---- help and quit ---- */

struct cmd_word {
	cmdline_fixed_string_t word;
};

static void
cmd_help_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(data);
	cmdline_printf(
		cl,
		"show info | stats | lcores | ports | sessions | nat | control | clock | flows\n"
		"show stats rates             packets per second since the last \"show stats "
		"rates\"\n"
		"show session ID              one TWAMP session: tuples, counters, NAT state\n"
		"show nat ID                  one session's NAT picture (ended sessions too)\n"
		"clear stats                  \"show stats\" and \"show control\" count from now\n"
		"stop session ID              stop answering a TWAMP session now\n"
		"add light-port PORT light|stamp stateless|stateful\n"
		"del light-port PORT\n"
		"add allow PORT PREFIX        answer only PREFIX on a light port (an allow-list)\n"
		"del allow PORT PREFIX\n"
		"set nat-policy strict|latch [PREFIX]   for new sessions (docs/nat.md)\n"
		"quit                         stop the reflector (counters printed)\n"
		"TAB completes, ? lists what fits here.\n");
}

static cmdline_parse_token_string_t cmd_help_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word, word, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: the commands",
	.tokens = {(void *)&cmd_help_tok, NULL},
};

static void
cmd_quit_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(data);
	*twr_cli->quit = true;
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t cmd_quit_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_word, word, "quit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop the reflector",
	.tokens = {(void *)&cmd_quit_tok, NULL},
};

/* ---- the command list and start-up ---- */

static cmdline_parse_ctx_t cli_cmds[CLI_MAX_CMDS];

static void
cmds_build(void)
{
	unsigned int n = 0, i;

	cli_cmds[n++] = &cmd_help;
	cli_cmds[n++] = &cmd_quit;
	for (i = 0; twr_cli_show_cmds[i] != NULL && n < CLI_MAX_CMDS - 1; i++)
		cli_cmds[n++] = twr_cli_show_cmds[i];
	for (i = 0; twr_cli_change_cmds[i] != NULL && n < CLI_MAX_CMDS - 1; i++)
		cli_cmds[n++] = twr_cli_change_cmds[i];
	cli_cmds[n] = NULL;
}

int
twr_cli_run_file(struct twr_cli_ctx *ctx, const char *path)
{
	struct cmdline *cl;
	int fd;

	twr_cli = ctx;
	cmds_build();
	/* cmdline_file_new() would send the output nowhere: ours goes to stdout. */
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	fflush(stdout);
	cl = cmdline_new(cli_cmds, "", fd, STDOUT_FILENO);
	if (cl == NULL) {
		close(fd);
		return -ENOMEM;
	}
	cmdline_interact(cl);
	cmdline_free(cl);
	close(fd);
	return 0;
}

int
twr_cli_start(struct twr_cli_ctx *ctx)
{
	twr_cli = ctx;
	cmds_build();
	cli_stdin = cmdline_stdin_new(cli_cmds, CLI_PROMPT);
	return cli_stdin == NULL ? -ENOMEM : 0;
}

int
twr_cli_poll(void)
{
	int ret;

	if (cli_stdin == NULL)
		return 1;
	ret = cmdline_poll(cli_stdin);
	/* cmdline_poll() answers enum rdline_status: EXITED on quit and at end of input. */
	if (ret == RDLINE_EXITED || ret < 0) {
		*twr_cli->quit = true;
		return 1;
	}
	return 0;
}

void
twr_cli_stop(void)
{
	if (cli_stdin == NULL)
		return;
	cmdline_stdin_exit(cli_stdin);
	cli_stdin = NULL;
}
