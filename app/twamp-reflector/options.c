/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
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
	"  -i, --interactive       a testpmd-style prompt on stdin (help lists the commands;\n"
	"                          end of input or quit stops the reflector)\n"
	"  --cmdline-file FILE     run the CLI commands of FILE once the reflector is ready\n"
	"  --light-allow PORT=PREFIX  answer only sources in PREFIX on light port PORT\n"
	"                          (repeatable: an allow-list; default any source)\n"
	"  --vlan VID              the addresses live on this 802.1Q VLAN (default untagged)\n"
	"  --tap NAME              kernel TAP interface of the exception path (default twr0):\n"
	"                          created by the reflector with the wire port's MAC and every\n"
	"                          --address; the kernel answers ARP, ND, ICMP and TCP through it\n"
	"  --tap-route PREFIX,GATEWAY  a route on the TAP: Control-Clients in PREFIX are\n"
	"                          reached via GATEWAY (repeatable)\n"
	"  --no-tap                no TAP: what the workers do not reflect is counted and freed\n"
	"  --control-port PORT     TWAMP-Control TCP port on every --address (default 862)\n"
	"  --no-control            no TWAMP-Control server (TWAMP-Light/STAMP only)\n"
	"  --test-ports LO-HI      Receiver Ports of TWAMP sessions (default 20000-20999): the\n"
	"                          requested one when in range and free, else another\n"
	"  --any-requested-port    also grant a free requested Receiver Port >= 1024 outside\n"
	"                          --test-ports (clients that ignore the Accept-Session port)\n"
	"  --sender-peer-only      refuse sessions whose Sender Address is not the control\n"
	"                          connection's peer (RFC 4656 6.2; default: accept, count)\n"
	"  --max-control-sessions N  TWAMP sessions in total (default 4096)\n"
	"  --max-sessions-per-connection N  (default 64)\n"
	"  --max-connections N     TWAMP-Control connections in total (default 256)\n"
	"  --max-connections-per-source N  ... from one address (default 64)\n"
	"  --servwait SECONDS      close an idle control connection (default 900)\n"
	"  --refwait SECONDS       end a session with no test packet (default 900)\n"
	"  --nat-policy strict|latch  Session-Senders behind NAT (docs/nat.md): strict\n"
	"                          (default) counts and drops test packets from another\n"
	"                          source than negotiated; latch answers the first one from\n"
	"                          the control connection's address (restricted latching)\n"
	"  --nat-policy-for PREFIX=strict|latch  the policy for control clients in PREFIX\n"
	"                          (repeatable; the longest matching prefix wins)\n"
	"  --latch-window SECONDS  latch only this long after Start-Sessions (default 10)\n"
	"  --latch-source-len V4[,V6]  a latching source shares this many leading bits\n"
	"                          with the control peer's address (default 32,128)\n"
	"  --workers N             worker lcores to use (default: every lcore but the main one)\n"
	"  --max-sessions N        session table size (default 65536)\n"
	"  --mbufs N               mbufs per port (default: sized from the queues)\n"
	"  --rxd N, --txd N        descriptors per queue (default 1024)\n"
	"  --strict-errest         drop sender packets whose Error Estimate Multiplier is 0\n"
	"  --stats-period SECONDS  print counters periodically\n"
	"  --run-time SECONDS      stop after this long (default: at SIGINT/SIGTERM)\n"
	"  --config FILE           read the options from FILE (config/twamp-reflector.ini)\n"
	"  --check-config FILE     check FILE, print FILE: OK or its errors, start nothing\n"
	"  --bench-sessions N      benchmark aid: install N synthetic managed TWAMP sessions\n"
	"                          (unauthenticated, started, exact + listen entries), session\n"
	"                          i = 0..N-1 with local 198.18.0.2+i/50000 port 10000+i%50000,\n"
	"                          remote 198.19.0.0+i%65536 port 20000+i%40000 (IPv4, --vlan);\n"
	"                          tools/bench/mkpcap.py writes traffic to them. Needs\n"
	"                          --max-sessions >= N + the light ports' entries\n"
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
	OPT_BENCH_SESSIONS,
	OPT_TAP,
	OPT_NO_TAP,
	OPT_CONTROL_PORT,
	OPT_NO_CONTROL,
	OPT_TEST_PORTS,
	OPT_ANY_REQUESTED_PORT,
	OPT_SENDER_PEER_ONLY,
	OPT_MAX_CONTROL_SESSIONS,
	OPT_MAX_SESSIONS_PER_CONN,
	OPT_MAX_CONNS,
	OPT_MAX_CONNS_PER_SRC,
	OPT_SERVWAIT,
	OPT_REFWAIT,
	OPT_NAT,
	OPT_LIGHT_ALLOW,
	OPT_TAP_ROUTE,
	OPT_CMDLINE_FILE,
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
	{"check-config", required_argument, NULL, OPT_CONFIG},
	{"help", no_argument, NULL, OPT_HELP},
	{"bench-sessions", required_argument, NULL, OPT_BENCH_SESSIONS},
	{"tap", required_argument, NULL, OPT_TAP},
	{"no-tap", no_argument, NULL, OPT_NO_TAP},
	{"control-port", required_argument, NULL, OPT_CONTROL_PORT},
	{"no-control", no_argument, NULL, OPT_NO_CONTROL},
	{"test-ports", required_argument, NULL, OPT_TEST_PORTS},
	{"any-requested-port", no_argument, NULL, OPT_ANY_REQUESTED_PORT},
	{"sender-peer-only", no_argument, NULL, OPT_SENDER_PEER_ONLY},
	{"max-control-sessions", required_argument, NULL, OPT_MAX_CONTROL_SESSIONS},
	{"max-sessions-per-connection", required_argument, NULL, OPT_MAX_SESSIONS_PER_CONN},
	{"max-connections", required_argument, NULL, OPT_MAX_CONNS},
	{"max-connections-per-source", required_argument, NULL, OPT_MAX_CONNS_PER_SRC},
	{"servwait", required_argument, NULL, OPT_SERVWAIT},
	{"refwait", required_argument, NULL, OPT_REFWAIT},
	{"nat-policy", required_argument, NULL, OPT_NAT},
	{"nat-policy-for", required_argument, NULL, OPT_NAT},
	{"latch-window", required_argument, NULL, OPT_NAT},
	{"latch-source-len", required_argument, NULL, OPT_NAT},
	{"light-allow", required_argument, NULL, OPT_LIGHT_ALLOW},
	{"tap-route", required_argument, NULL, OPT_TAP_ROUTE},
	{"interactive", no_argument, NULL, 'i'},
	{"cmdline-file", required_argument, NULL, OPT_CMDLINE_FILE},
	{NULL, 0, NULL, 0},
};

/* Where the arguments come from (config.c); NULL: the command line. */
static struct twr_app_options_source *source;

void
twr_app_options_source_set(struct twr_app_options_source *src)
{
	source = src;
}

void
twr_app_options_source_print(FILE *out, const struct twr_app_options_source *src, const char *why)
{
	fprintf(out, "twamp-reflector: %s", src->file);
	if (src->line != 0)
		fprintf(out, ":%u", src->line);
	fputs(": ", out);
	if (src->section != NULL)
		fprintf(out, "[%s]%s", src->section, src->key != NULL ? " " : ": ");
	if (src->key != NULL)
		fprintf(out, "%s: ", src->key);
	if (src->value != NULL)
		fprintf(out, "%s: ", src->value);
	fprintf(out, "%s\n", why);
}

int
twr_app_options_bad(const char *opt, const char *arg, const char *why)
{
	if (source == NULL || source->file == NULL) {
		fprintf(stderr, "twamp-reflector: --%s %s: %s\n", opt, arg, why);
		return -EINVAL;
	}
	source->reported = true;
	twr_app_options_source_print(stderr, source, why);
	return -EINVAL;
}

static int
bad(const char *opt, const char *arg, const char *why)
{
	return twr_app_options_bad(opt, arg, why);
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

/* A kernel interface name that net_tap's "iface=" argument carries safely. */
static bool
tap_name_valid(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len >= IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && strchr("-_.", name[i]) == NULL)
			return false;
	return true;
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

/* TWAMP-Control defaults: lib/control's, repeated here for --help's sake. */
static void
control_defaults(struct twr_app_options *o)
{
	o->control.port = 862;
	o->control.test_port_lo = 20000;
	o->control.test_port_hi = 20999;
	o->control.max_sessions = 4096;
	o->control.max_per_conn = 64;
	o->control.max_conns = 256;
	o->control.max_conns_per_src = 64;
	o->control.servwait = 900;
	o->control.refwait = 900;
}

static int
parse_port_range(const char *arg, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	char *dash;
	unsigned long a, b;

	if (strlcpy(buf, arg, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	dash = strchr(buf, '-');
	if (dash == NULL)
		return -EINVAL;
	*dash++ = '\0';
	if (parse_uint(buf, 1, 65535, &a) < 0 || parse_uint(dash, a, 65535, &b) < 0)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int
parse_control(int opt, const char *arg, struct twr_app_options *o)
{
	unsigned long v;

	switch (opt) {
	case OPT_CONTROL_PORT:
		if (parse_uint(arg, 1, 65535, &v) < 0)
			return bad("control-port", arg, "must be 1..65535");
		o->control.port = (uint16_t)v;
		break;
	case OPT_NO_CONTROL:
		o->control.off = true;
		break;
	case OPT_TEST_PORTS:
		if (parse_port_range(arg, &o->control.test_port_lo, &o->control.test_port_hi) < 0)
			return bad("test-ports", arg, "must be LO-HI, 1 <= LO <= HI <= 65535");
		break;
	case OPT_ANY_REQUESTED_PORT:
		o->control.any_requested_port = true;
		break;
	case OPT_SENDER_PEER_ONLY:
		o->control.sender_peer_only = true;
		break;
	case OPT_SERVWAIT:
	case OPT_REFWAIT:
		if (parse_seconds(arg, opt == OPT_SERVWAIT ? &o->control.servwait
							   : &o->control.refwait) < 0 ||
		    (opt == OPT_SERVWAIT ? o->control.servwait : o->control.refwait) < 0.001)
			return bad(opt == OPT_SERVWAIT ? "servwait" : "refwait", arg,
				   "must be at least 0.001 seconds");
		break;
	case OPT_MAX_SESSIONS_PER_CONN:
		/* the protocol's own bound (twr_server.h: TWR_SERVER_MAX_SESSIONS) */
		if (parse_uint(arg, 1, 65535, &v) < 0)
			return bad("max-sessions-per-connection", arg, "must be 1..65535");
		o->control.max_per_conn = (uint32_t)v;
		break;
	default:
		/* the other three limits */
		if (parse_uint(arg, 1, 16u << 20, &v) < 0)
			return bad(opt == OPT_MAX_CONTROL_SESSIONS ? "max-control-sessions"
				   : opt == OPT_MAX_CONNS	   ? "max-connections"
								   : "max-connections-per-source",
				   arg, "must be 1..16777216");
		if (opt == OPT_MAX_CONTROL_SESSIONS)
			o->control.max_sessions = (uint32_t)v;
		else if (opt == OPT_MAX_CONNS)
			o->control.max_conns = (uint32_t)v;
		else
			o->control.max_conns_per_src = (uint32_t)v;
		break;
	}
	return 0;
}

int
twr_app_options_parse(int argc, char **argv, struct twr_app_options *o)
{
	unsigned long v;
	int opt, ret, idx;

	memset(o, 0, sizeof(*o));
	o->max_sessions = 65536;
	o->rxd = 1024;
	o->txd = 1024;
	o->tap_name = "twr0";
	control_defaults(o);
	twr_app_options_nat_defaults(&o->nat);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "i", long_options, &idx)) != -1) {
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
			/* --config, --check-config: config.c has read the file */
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			return 1;
		case OPT_BENCH_SESSIONS:
			if (parse_uint(optarg, 1, 16u << 20, &v) < 0)
				return bad("bench-sessions", optarg, "must be 1..16777216");
			o->bench_sessions = (uint32_t)v;
			break;
		case OPT_TAP:
			if (!tap_name_valid(optarg))
				return bad("tap", optarg,
					   "an interface name: 1..15 of A-Z a-z 0-9 - _ .");
			o->tap_name = optarg;
			break;
		case OPT_NO_TAP:
			o->tap_name = NULL;
			break;
		case OPT_CONTROL_PORT:
		case OPT_NO_CONTROL:
		case OPT_TEST_PORTS:
		case OPT_ANY_REQUESTED_PORT:
		case OPT_SENDER_PEER_ONLY:
		case OPT_MAX_CONTROL_SESSIONS:
		case OPT_MAX_SESSIONS_PER_CONN:
		case OPT_MAX_CONNS:
		case OPT_MAX_CONNS_PER_SRC:
		case OPT_SERVWAIT:
		case OPT_REFWAIT:
			ret = parse_control(opt, optarg, o);
			if (ret < 0)
				return ret;
			break;
		case 'i':
			o->interactive = true;
			break;
		case OPT_CMDLINE_FILE:
			o->cmdline_file = optarg;
			break;
		case OPT_TAP_ROUTE:
			ret = twr_app_options_tap_route(optarg, o);
			if (ret < 0)
				return ret;
			break;
		case OPT_LIGHT_ALLOW:
			ret = twr_app_options_light_allow(optarg, o);
			if (ret < 0)
				return ret;
			break;
		case OPT_NAT:
			ret = twr_app_options_nat(long_options[idx].name, optarg, &o->nat);
			if (ret < 0)
				return ret;
			break;
		default:
			if (source == NULL || source->file == NULL)
				fputs(usage_text, stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "twamp-reflector: unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	if (source != NULL && source->partial)
		return 0;
	if (o->nb_addrs == 0) {
		if (source != NULL && source->file != NULL)
			return twr_app_options_bad("address", "", "at least one address is needed");
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
