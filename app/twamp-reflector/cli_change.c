/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The CLI's commands that change something: clear stats, stop session,
 * add/del light-port, add/del allow, set nat-policy (cli.h). Each prints
 * one line saying what it did, or why not.
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_ipaddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <rte_common.h>

#include "cli_priv.h"
#include "twr_engine.h"
#include "twr_light_ports.h"
#include "twr_nat_diag.h"
#include "twr_session_mgr.h"

/* A cmdline prefix as an IPv6 or IPv4-mapped address and a length over 128 bits. */
static void
prefix_of(const cmdline_ipaddr_t *ip, uint8_t addr[16], uint8_t *len)
{
	memset(addr, 0, 16);
	if (ip->family == AF_INET) {
		addr[10] = 0xff;
		addr[11] = 0xff;
		memcpy(addr + 12, &ip->addr.ipv4, 4);
		*len = (uint8_t)(96 + ip->prefixlen);
	} else {
		memcpy(addr, &ip->addr.ipv6, 16);
		*len = (uint8_t)ip->prefixlen;
	}
}

/* ---- clear stats ---- */

struct cmd_clear {
	cmdline_fixed_string_t clear;
	cmdline_fixed_string_t stats;
};

static void
cmd_clear_parsed(void *parsed, struct cmdline *cl, void *data)
{
	RTE_SET_USED(parsed);
	RTE_SET_USED(data);
	twr_cli_baseline_take();
	cmdline_printf(cl, "stats cleared (telemetry keeps counting from start-up)\n");
}

static cmdline_parse_token_string_t cmd_clear_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_clear, clear, "clear");
static cmdline_parse_token_string_t cmd_clear_stats_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_clear, stats, "stats");

static cmdline_parse_inst_t cmd_clear = {
	.f = cmd_clear_parsed,
	.help_str = "clear stats: show stats and show control count from now",
	.tokens = {(void *)&cmd_clear_tok, (void *)&cmd_clear_stats_tok, NULL},
};

/* ---- stop session ID ---- */

struct cmd_stop {
	cmdline_fixed_string_t stop;
	cmdline_fixed_string_t session;
	uint32_t id;
};

static void
cmd_stop_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_stop *r = parsed;
	int ret;

	RTE_SET_USED(data);
	ret = twr_session_mgr_session_stop(twr_cli->report->mgr, r->id);
	if (ret == 0)
		cmdline_printf(cl, "session %" PRIu32 " stopped\n", r->id);
	else if (ret == -EALREADY)
		cmdline_printf(cl, "session %" PRIu32 " is stopped already\n", r->id);
	else
		cmdline_printf(cl, "no session %" PRIu32 " (see \"show sessions\")\n", r->id);
}

static cmdline_parse_token_string_t cmd_stop_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_stop, stop, "stop");
static cmdline_parse_token_string_t cmd_stop_session_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_stop, session, "session");
static cmdline_parse_token_num_t cmd_stop_id_tok =
	TOKEN_NUM_INITIALIZER(struct cmd_stop, id, RTE_UINT32);

static cmdline_parse_inst_t cmd_stop = {
	.f = cmd_stop_parsed,
	.help_str = "stop session ID: stop answering a TWAMP session now",
	.tokens = {(void *)&cmd_stop_tok, (void *)&cmd_stop_session_tok, (void *)&cmd_stop_id_tok,
		   NULL},
};

/* ---- add light-port PORT ENGINE STATE, del light-port PORT ---- */

struct cmd_lport {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t what;
	uint16_t port;
	cmdline_fixed_string_t engine;
	cmdline_fixed_string_t state;
};

static void
lport_result(struct cmdline *cl, const char *did, uint16_t port, int ret)
{
	if (ret == 0)
		cmdline_printf(cl, "light port %u %s\n", port, did);
	else
		cmdline_printf(cl, "light port %u: %s\n", port,
			       ret == -EEXIST	? "exists already"
			       : ret == -ENOENT ? "no such light port"
			       : ret == -EBUSY ? "busy (a TWAMP session's port, or readers stalled)"
					       : strerror(-ret));
}

static void
cmd_lport_add_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_lport *r = parsed;

	RTE_SET_USED(data);
	lport_result(cl, "added", r->port,
		     twr_light_ports_add(twr_cli->light_ports, r->port,
					 strcmp(r->engine, "stamp") == 0 ? TWR_ENGINE_STAMP
									 : TWR_ENGINE_LIGHT,
					 strcmp(r->state, "stateful") == 0));
}

static void
cmd_lport_del_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_lport *r = parsed;

	RTE_SET_USED(data);
	lport_result(cl, "removed", r->port, twr_light_ports_del(twr_cli->light_ports, r->port));
}

static cmdline_parse_token_string_t cmd_lport_add_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_lport, verb, "add");
static cmdline_parse_token_string_t cmd_lport_del_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_lport, verb, "del");
static cmdline_parse_token_string_t cmd_lport_what_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_lport, what, "light-port");
static cmdline_parse_token_num_t cmd_lport_port_tok =
	TOKEN_NUM_INITIALIZER(struct cmd_lport, port, RTE_UINT16);
static cmdline_parse_token_string_t cmd_lport_engine_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_lport, engine, "light#stamp");
static cmdline_parse_token_string_t cmd_lport_state_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_lport, state, "stateless#stateful");

static cmdline_parse_inst_t cmd_lport_add = {
	.f = cmd_lport_add_parsed,
	.help_str = "add light-port PORT light|stamp stateless|stateful",
	.tokens = {(void *)&cmd_lport_add_tok, (void *)&cmd_lport_what_tok,
		   (void *)&cmd_lport_port_tok, (void *)&cmd_lport_engine_tok,
		   (void *)&cmd_lport_state_tok, NULL},
};

static cmdline_parse_inst_t cmd_lport_del = {
	.f = cmd_lport_del_parsed,
	.help_str = "del light-port PORT",
	.tokens = {(void *)&cmd_lport_del_tok, (void *)&cmd_lport_what_tok,
		   (void *)&cmd_lport_port_tok, NULL},
};

/* ---- add allow PORT PREFIX, del allow PORT PREFIX ---- */

struct cmd_allow {
	cmdline_fixed_string_t verb;
	cmdline_fixed_string_t what;
	uint16_t port;
	cmdline_ipaddr_t prefix;
};

static void
cmd_allow_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_allow *r = parsed;
	bool add = strcmp(r->verb, "add") == 0;
	uint8_t addr[16], len;
	int ret;

	RTE_SET_USED(data);
	prefix_of(&r->prefix, addr, &len);
	ret = add ? twr_light_ports_allow_add(twr_cli->light_ports, r->port, addr, len)
		  : twr_light_ports_allow_del(twr_cli->light_ports, r->port, addr, len);
	if (ret == 0)
		cmdline_printf(cl, "light port %u: allow-list %s\n", r->port,
			       add ? "prefix added" : "prefix removed");
	else if (ret == -ENXIO)
		cmdline_printf(cl, "light port %u: prefix not in its allow-list\n", r->port);
	else
		lport_result(cl, "", r->port, ret);
}

static cmdline_parse_token_string_t cmd_allow_verb_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_allow, verb, "add#del");
static cmdline_parse_token_string_t cmd_allow_what_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_allow, what, "allow");
static cmdline_parse_token_num_t cmd_allow_port_tok =
	TOKEN_NUM_INITIALIZER(struct cmd_allow, port, RTE_UINT16);
static cmdline_parse_token_ipaddr_t cmd_allow_prefix_tok =
	TOKEN_IPNET_INITIALIZER(struct cmd_allow, prefix);

static cmdline_parse_inst_t cmd_allow = {
	.f = cmd_allow_parsed,
	.help_str = "add|del allow PORT PREFIX: a light port's allow-list",
	.tokens = {(void *)&cmd_allow_verb_tok, (void *)&cmd_allow_what_tok,
		   (void *)&cmd_allow_port_tok, (void *)&cmd_allow_prefix_tok, NULL},
};

/* ---- set nat-policy POLICY [PREFIX] ---- */

struct cmd_nat {
	cmdline_fixed_string_t set;
	cmdline_fixed_string_t what;
	cmdline_fixed_string_t policy;
	cmdline_ipaddr_t prefix;
};

static void
cmd_nat_parsed(void *parsed, struct cmdline *cl, void *data)
{
	struct cmd_nat *r = parsed;
	int policy = twr_nat_policy_parse(r->policy);
	uint8_t addr[16], len;
	int ret;

	if (twr_cli->report->mgr == NULL) {
		cmdline_printf(cl, "no TWAMP-Control (--no-control): no NAT policy to set\n");
		return;
	}
	if (data == NULL) {
		ret = twr_session_mgr_nat_policy_set(twr_cli->report->mgr, (uint8_t)policy);
		if (ret == 0)
			cmdline_printf(cl, "nat-policy %s for new sessions\n", r->policy);
		else
			cmdline_printf(cl, "nat-policy: %s\n", strerror(-ret));
		return;
	}
	prefix_of(&r->prefix, addr, &len);
	ret = twr_session_mgr_nat_rule_set(twr_cli->report->mgr, addr, len, (uint8_t)policy);
	if (ret == 0)
		cmdline_printf(cl, "nat-policy %s for new sessions of clients in the prefix\n",
			       r->policy);
	else
		cmdline_printf(cl, "nat-policy: %s\n",
			       ret == -ENOSPC ? "too many prefixes" : strerror(-ret));
}

static cmdline_parse_token_string_t cmd_nat_set_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_nat, set, "set");
static cmdline_parse_token_string_t cmd_nat_what_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_nat, what, "nat-policy");
static cmdline_parse_token_string_t cmd_nat_policy_tok =
	TOKEN_STRING_INITIALIZER(struct cmd_nat, policy, "strict#latch");
static cmdline_parse_token_ipaddr_t cmd_nat_prefix_tok =
	TOKEN_IPNET_INITIALIZER(struct cmd_nat, prefix);

static cmdline_parse_inst_t cmd_nat = {
	.f = cmd_nat_parsed,
	.data = NULL,
	.help_str = "set nat-policy strict|latch: for clients no prefix matches",
	.tokens = {(void *)&cmd_nat_set_tok, (void *)&cmd_nat_what_tok, (void *)&cmd_nat_policy_tok,
		   NULL},
};

static cmdline_parse_inst_t cmd_nat_prefix = {
	.f = cmd_nat_parsed,
	.data = (void *)1,
	.help_str = "set nat-policy strict|latch PREFIX: for clients within PREFIX",
	.tokens = {(void *)&cmd_nat_set_tok, (void *)&cmd_nat_what_tok, (void *)&cmd_nat_policy_tok,
		   (void *)&cmd_nat_prefix_tok, NULL},
};

cmdline_parse_inst_t *const twr_cli_change_cmds[] = {
	&cmd_clear, &cmd_stop, &cmd_lport_add,	&cmd_lport_del,
	&cmd_allow, &cmd_nat,  &cmd_nat_prefix, NULL,
};
