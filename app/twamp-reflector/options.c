/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "options.h"
#include "twr_engine.h"

static const char usage_text[] =
	"usage: twamp-reflector [EAL options] -- [options]\n"
	"  --address ADDR/PREFIX   one of the reflector's addresses, IPv4 or IPv6 (repeatable)\n"
	"  --light-port PORT[,stamp][,stateful]\n"
	"                          a TWAMP-Light (default) or STAMP reflector UDP port on\n"
	"                          every address (repeatable)\n"
	"  --vlan VID              the addresses live on this 802.1Q VLAN (default untagged)\n"
	"  --workers N             worker lcores to use (default: every lcore but the main one)\n"
	"  --max-sessions N        session table size (default 65536)\n"
	"  --mbufs N               mbufs per port (default: sized from the queues)\n"
	"  --rxd N, --txd N        descriptors per queue (default 1024)\n"
	"  --strict-errest         drop sender packets whose Error Estimate Multiplier is 0\n"
	"  --stats-period SECONDS  print counters periodically\n"
	"  --run-time SECONDS      stop after this long (default: at SIGINT/SIGTERM)\n"
	"  --config FILE           configuration file (not yet supported)\n"
	"  --help\n";

enum {
	OPT_ADDRESS = 256,
	OPT_LIGHT_PORT,
	OPT_VLAN,
	OPT_WORKERS,
	OPT_MAX_SESSIONS,
	OPT_MBUFS,
	OPT_RXD,
	OPT_TXD,
	OPT_STRICT_ERREST,
	OPT_STATS_PERIOD,
	OPT_RUN_TIME,
	OPT_CONFIG,
	OPT_HELP,
};

static const struct option long_options[] = {
	{"address", required_argument, NULL, OPT_ADDRESS},
	{"light-port", required_argument, NULL, OPT_LIGHT_PORT},
	{"vlan", required_argument, NULL, OPT_VLAN},
	{"workers", required_argument, NULL, OPT_WORKERS},
	{"max-sessions", required_argument, NULL, OPT_MAX_SESSIONS},
	{"mbufs", required_argument, NULL, OPT_MBUFS},
	{"rxd", required_argument, NULL, OPT_RXD},
	{"txd", required_argument, NULL, OPT_TXD},
	{"strict-errest", no_argument, NULL, OPT_STRICT_ERREST},
	{"stats-period", required_argument, NULL, OPT_STATS_PERIOD},
	{"run-time", required_argument, NULL, OPT_RUN_TIME},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static int
bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "twamp-reflector: --%s %s: %s\n", opt, arg, why);
	return -EINVAL;
}

static int
parse_uint(const char *arg, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_seconds(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v >= 0) || v > 1e9)
		return -EINVAL;
	*out = v;
	return 0;
}

static int
parse_address(const char *arg, struct twr_app_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned long prefix;
	uint8_t v4[4];

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		return bad("address", arg, "too long");
	slash = strchr(buf, '/');
	if (slash == NULL)
		return bad("address", arg, "expected ADDR/PREFIX");
	*slash++ = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, v4) == 1) {
		if (parse_uint(slash, 1, 32, &prefix) < 0)
			return bad("address", arg, "IPv4 prefix must be 1..32");
		a->addr[10] = 0xff;
		a->addr[11] = 0xff;
		memcpy(a->addr + 12, v4, 4);
		a->ip_version = 4;
	} else if (inet_pton(AF_INET6, buf, a->addr) == 1) {
		if (parse_uint(slash, 1, 128, &prefix) < 0)
			return bad("address", arg, "IPv6 prefix must be 1..128");
		a->ip_version = 6;
	} else {
		return bad("address", arg, "not an IPv4 or IPv6 address");
	}
	a->prefix = (uint8_t)prefix;
	return 0;
}

static int
parse_light_port(const char *arg, struct twr_app_light_port *lp)
{
	char buf[64];
	char *tok, *save = NULL;
	unsigned long port;

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		return bad("light-port", arg, "too long");
	tok = strtok_r(buf, ",", &save);
	if (tok == NULL || parse_uint(tok, 1, 65535, &port) < 0)
		return bad("light-port", arg, "port must be 1..65535");
	lp->port = (uint16_t)port;
	lp->engine = TWR_ENGINE_LIGHT;
	lp->stateful = false;
	while ((tok = strtok_r(NULL, ",", &save)) != NULL) {
		if (strcmp(tok, "stamp") == 0)
			lp->engine = TWR_ENGINE_STAMP;
		else if (strcmp(tok, "light") == 0)
			lp->engine = TWR_ENGINE_LIGHT;
		else if (strcmp(tok, "stateful") == 0)
			lp->stateful = true;
		else if (strcmp(tok, "stateless") == 0)
			lp->stateful = false;
		else
			return bad("light-port", arg,
				   "flags are stamp, light, stateful, stateless");
	}
	return 0;
}

int
twr_app_options_parse(int argc, char **argv, struct twr_app_options *o)
{
	unsigned long v;
	int opt, ret;

	memset(o, 0, sizeof(*o));
	o->max_sessions = 65536;
	o->rxd = 1024;
	o->txd = 1024;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_ADDRESS:
			if (o->nb_addrs == TWR_APP_MAX_ADDRS)
				return bad("address", optarg, "too many addresses");
			ret = parse_address(optarg, &o->addrs[o->nb_addrs]);
			if (ret < 0)
				return ret;
			o->nb_addrs++;
			break;
		case OPT_LIGHT_PORT:
			if (o->nb_light == TWR_APP_MAX_LIGHT_PORTS)
				return bad("light-port", optarg, "too many ports");
			ret = parse_light_port(optarg, &o->light[o->nb_light]);
			if (ret < 0)
				return ret;
			o->nb_light++;
			break;
		case OPT_VLAN:
			if (parse_uint(optarg, 1, 4094, &v) < 0)
				return bad("vlan", optarg, "must be 1..4094");
			o->vlan = (uint16_t)v;
			break;
		case OPT_WORKERS:
			if (parse_uint(optarg, 1, 1024, &v) < 0)
				return bad("workers", optarg, "must be 1..1024");
			o->workers = (unsigned int)v;
			break;
		case OPT_MAX_SESSIONS:
			if (parse_uint(optarg, 1, 16u << 20, &v) < 0)
				return bad("max-sessions", optarg, "must be 1..16777216");
			o->max_sessions = (uint32_t)v;
			break;
		case OPT_MBUFS:
			if (parse_uint(optarg, 512, 1u << 24, &v) < 0)
				return bad("mbufs", optarg, "must be 512..16777216");
			o->mbufs = (uint32_t)v;
			break;
		case OPT_RXD:
		case OPT_TXD:
			if (parse_uint(optarg, 64, 16384, &v) < 0)
				return bad(opt == OPT_RXD ? "rxd" : "txd", optarg,
					   "must be 64..16384");
			if (opt == OPT_RXD)
				o->rxd = (uint16_t)v;
			else
				o->txd = (uint16_t)v;
			break;
		case OPT_STRICT_ERREST:
			o->strict_errest = true;
			break;
		case OPT_STATS_PERIOD:
			if (parse_seconds(optarg, &o->stats_period) < 0)
				return bad("stats-period", optarg, "must be a number of seconds");
			break;
		case OPT_RUN_TIME:
			if (parse_seconds(optarg, &o->run_time) < 0)
				return bad("run-time", optarg, "must be a number of seconds");
			break;
		case OPT_CONFIG:
			return bad("config", optarg,
				   "configuration files arrive with the operations issue; use "
				   "options");
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		default:
			fputs(usage_text, stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "twamp-reflector: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (o->nb_addrs == 0) {
		fprintf(stderr, "twamp-reflector: at least one --address is needed\n");
		return -EINVAL;
	}
	return 0;
}

const char *
twr_app_addr_str(const struct twr_app_addr *a, char *buf, unsigned int len)
{
	if (a->ip_version == 4)
		return inet_ntop(AF_INET, a->addr + 12, buf, len);
	return inet_ntop(AF_INET6, a->addr, buf, len);
}
