/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping command line. Every message names the option at fault, as
 * ping and twping users expect, and the whole line is checked before any
 * socket is opened, so a typo never sends a packet.
 */

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ping_options.h"
#include "ping_stats.h"

#ifndef TWR_PING_VERSION
#define TWR_PING_VERSION "unknown"
#endif

#define PROG "twamp-ping"

/* Bounds that protect the reflector and ourselves, not protocol limits. */
#define MIN_INTERVAL_S 0.0001
#define MAX_SECONDS    3600.0

/* Long-only options. */
enum {
	OPT_MODE = 256,
	OPT_PADDING,
	OPT_DSCP,
	OPT_SOURCE_PORT,
	OPT_SOURCE,
	OPT_SSID,
	OPT_JSON,
	OPT_PER_PACKET,
	OPT_PORT_RANGE,
	OPT_CONTROL_PORT,
	OPT_CONTROL_TIMEOUT,
	OPT_SESSIONS,
	OPT_INDIVIDUAL,
	OPT_RECEIVER_PORT,
	OPT_STOP_TIMEOUT,
	OPT_START_DELAY,
};

static const struct option long_options[] = {
	{"mode", required_argument, NULL, OPT_MODE},
	{"port", required_argument, NULL, 'p'},
	{"count", required_argument, NULL, 'c'},
	{"interval", required_argument, NULL, 'i'},
	{"size", required_argument, NULL, 's'},
	{"padding", required_argument, NULL, OPT_PADDING},
	{"dscp", required_argument, NULL, OPT_DSCP},
	{"source-port", required_argument, NULL, OPT_SOURCE_PORT},
	{"source", required_argument, NULL, OPT_SOURCE},
	{"ssid", required_argument, NULL, OPT_SSID},
	{"timeout", required_argument, NULL, 'W'},
	{"json", no_argument, NULL, OPT_JSON},
	{"per-packet", no_argument, NULL, OPT_PER_PACKET},
	{"port-range", required_argument, NULL, OPT_PORT_RANGE},
	{"control-port", required_argument, NULL, OPT_CONTROL_PORT},
	{"control-timeout", required_argument, NULL, OPT_CONTROL_TIMEOUT},
	{"sessions", required_argument, NULL, OPT_SESSIONS},
	{"individual", no_argument, NULL, OPT_INDIVIDUAL},
	{"zero-addresses", no_argument, NULL, 'Z'},
	{"receiver-port", required_argument, NULL, OPT_RECEIVER_PORT},
	{"stop-timeout", required_argument, NULL, OPT_STOP_TIMEOUT},
	{"start-delay", required_argument, NULL, OPT_START_DELAY},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* Leading ':' : getopt reports a missing argument as ':' and stays silent. */
static const char short_options[] = ":p:c:i:s:W:46ZqhV";

void
twr_ping_options_usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [options] ADDRESS\n"
		"TWAMP-Light / STAMP / TWAMP Session-Sender: sends test packets to the reflector\n"
		"at ADDRESS and reports loss, round-trip time, jitter and reflector residence\n"
		"time. --mode full first negotiates the sessions over TWAMP-Control (TCP).\n"
		"\n"
		"  --mode light|stamp|full\n"
		"                       TWAMP-Light (default), STAMP, or TWAMP with its\n"
		"                       TWAMP-Control client (RFC 5357, unauthenticated)\n"
		"  -p, --port PORT      reflector UDP port (default 862; light and stamp)\n"
		"  -c, --count N        packets to send (default 10, at most %u)\n"
		"  -i, --interval S     seconds between packets (default 1, at least %g)\n"
		"  -s, --size OCTETS    UDP payload of a sender packet (default 41 light, 44 "
		"stamp;\n"
		"                       at least 14 light, 44 stamp; at most %d)\n"
		"      --padding N      instead of -s: octets after the sender header\n"
		"      --dscp N         DSCP of the sent packets, 0-63\n"
		"      --source ADDR    local address to send from\n"
		"      --source-port P  local UDP port (default: any)\n"
		"      --port-range LO-HI\n"
		"                       local UDP ports: the first free ones of the range\n"
		"      --ssid N         STAMP Session Identifier, 1-65535 (default: none)\n"
		"  -W, --timeout S      seconds to wait for a reply after its packet (default 2);\n"
		"                       replies later than that are counted late and lost\n"
		"  -4, -6               use IPv4 / IPv6 only\n"
		"      --json           print the report as one JSON object (keys: README.md)\n"
		"      --per-packet     with --json: add a packets array\n"
		"  -q, --quiet          no line per reply, only the report\n"
		"  -h, --help           this text\n"
		"  -V, --version        version\n"
		"\n"
		"Full mode (--mode full) only:\n"
		"      --control-port P TWAMP-Control TCP port of the server (default 862)\n"
		"      --control-timeout S\n"
		"                       wait at most S seconds for the connection and for\n"
		"                       each control message (default 5)\n"
		"      --sessions N     test sessions, run at once (default 1, at most %u);\n"
		"                       -c and -i apply to each\n"
		"      --individual     start and stop them with Start-N/Stop-N-Sessions\n"
		"                       (RFC 5938) when the server offers it\n"
		"  -Z, --zero-addresses send Sender and Receiver Address 0 (the control\n"
		"                       connection's addresses; for NAT, as twping -Z)\n"
		"      --receiver-port P\n"
		"                       Receiver Port to ask for (default: the session's own\n"
		"                       port, as twping); the server's answer is what is used\n"
		"      --stop-timeout S reflector keeps reflecting S seconds after Stop (2)\n"
		"      --start-delay S  Start Time now + S (default 1); 0: Start Time 0\n"
		"\n"
		"Exit status: 0 every packet answered, 1 loss (or a session refused),\n"
		"2 usage or setup error (TWAMP-Control failure, no session accepted).\n",
		TWR_PING_MAX_COUNT, MIN_INTERVAL_S, TWR_PING_MAX_SIZE, TWR_PING_MAX_SESSIONS);
}

static const char *
option_name(int c)
{
	switch (c) {
	case OPT_MODE:
		return "--mode";
	case 'p':
		return "-p/--port";
	case 'c':
		return "-c/--count";
	case 'i':
		return "-i/--interval";
	case 's':
		return "-s/--size";
	case OPT_PADDING:
		return "--padding";
	case OPT_DSCP:
		return "--dscp";
	case OPT_SOURCE_PORT:
		return "--source-port";
	case OPT_SSID:
		return "--ssid";
	case 'W':
		return "-W/--timeout";
	case OPT_PORT_RANGE:
		return "--port-range";
	case OPT_CONTROL_PORT:
		return "--control-port";
	case OPT_CONTROL_TIMEOUT:
		return "--control-timeout";
	case OPT_SESSIONS:
		return "--sessions";
	case OPT_INDIVIDUAL:
		return "--individual";
	case 'Z':
		return "-Z/--zero-addresses";
	case OPT_RECEIVER_PORT:
		return "--receiver-port";
	case OPT_STOP_TIMEOUT:
		return "--stop-timeout";
	case OPT_START_DELAY:
		return "--start-delay";
	default:
		return "option";
	}
}

/* A decimal (or 0x hexadecimal) whole number in [min, max], nothing after it. */
static int
parse_uint(int opt, const char *arg, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (arg[0] == '-' || arg[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
		fprintf(stderr, PROG ": %s: '%s' is not a whole number from %lu to %lu\n",
			option_name(opt), arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Seconds as a decimal fraction in [min, max], to whole nanoseconds. */
static int
parse_seconds(int opt, const char *arg, double min, double max, uint64_t *ns)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(arg, &end);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < min || v > max) {
		fprintf(stderr, PROG ": %s: '%s' is not a number of seconds from %g to %g\n",
			option_name(opt), arg, min, max);
		return -1;
	}
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}

/* LO-HI, 1 <= LO <= HI <= 65535. */
static int
parse_port_range(const char *arg, struct twr_ping_options *o)
{
	unsigned long lo, hi;
	char *end;

	errno = 0;
	lo = strtoul(arg, &end, 10);
	if (errno == 0 && end != arg && *end == '-' && arg[0] != '-') {
		const char *h = end + 1;

		hi = strtoul(h, &end, 10);
		if (errno == 0 && end != h && *end == '\0' && h[0] != '-' && lo >= 1 && lo <= hi &&
		    hi <= 65535) {
			o->port_lo = (uint16_t)lo;
			o->port_hi = (uint16_t)hi;
			return 0;
		}
	}
	fprintf(stderr, PROG ": --port-range: '%s' is not LO-HI with 1 <= LO <= HI <= 65535\n",
		arg);
	return -1;
}

static int
parse_mode(const char *arg, struct twr_ping_options *o)
{
	o->format = twr_ping_format_find(arg);
	if (o->format == NULL) {
		fprintf(stderr, PROG ": --mode: '%s' is not light, stamp or full\n", arg);
		return -1;
	}
	o->mode = o->format->mode;
	return 0;
}

/* Settings whose validity depends on the mode: checked once all are known. */
struct pending {
	long size;    /* -1: not given */
	long padding; /* -1: not given */
	bool ssid_set;
	bool port_set;
	int full_only; /* the first full-mode option given, 0: none */
};

static int
resolve_size(struct twr_ping_options *o, const struct pending *p)
{
	const struct twr_ping_format *f = o->format;
	const char *why;
	unsigned long size;
	const char *opt = p->padding >= 0 ? "--padding" : "-s/--size";

	if (p->size >= 0 && p->padding >= 0) {
		fprintf(stderr, PROG ": -s/--size and --padding are alternatives: give one\n");
		return -1;
	}
	if (p->size >= 0)
		size = (unsigned long)p->size;
	else if (p->padding >= 0)
		size = f->header_len + (unsigned long)p->padding;
	else
		size = f->default_size;
	if (size < f->header_len || size > TWR_PING_MAX_SIZE) {
		fprintf(stderr, PROG ": %s: a %s sender packet is %zu to %d octets, not %lu\n", opt,
			f->label, f->header_len, TWR_PING_MAX_SIZE, size);
		return -1;
	}
	why = f->size_error(size);
	if (why != NULL) {
		fprintf(stderr, PROG ": %s: %s\n", opt, why);
		return -1;
	}
	o->size = size;
	return 0;
}

static void
set_defaults(struct twr_ping_options *o, struct pending *p)
{
	memset(o, 0, sizeof(*o));
	o->mode = TWR_PING_MODE_LIGHT;
	o->format = twr_ping_format_get(TWR_PING_MODE_LIGHT);
	o->port = 862; /* RFC 8545 / RFC 8762 §4.1: the TWAMP-Test and STAMP default */
	o->count = 10;
	o->interval_ns = 1000000000ull;
	o->timeout_ns = 2000000000ull;
	o->dscp = -1;
	o->family = AF_UNSPEC;
	o->control_port = 862; /* RFC 5357 §3.1: the TWAMP-Control well-known port */
	o->control_timeout_ns = 5000000000ull;
	o->sessions = 1;
	o->stop_timeout_ns = 2000000000ull;
	/* twping's habit: a Start Time a second ahead, when both sides are surely ready. */
	o->start_delay_ns = 1000000000ull;
	p->size = -1;
	p->padding = -1;
	p->ssid_set = false;
	p->port_set = false;
	p->full_only = 0;
}

/* The options that only the full mode understands: noted, checked at the end. */
static int
parse_full(int c, const char *arg, struct twr_ping_options *o, struct pending *p)
{
	unsigned long v;
	int ret = 0;

	if (p->full_only == 0)
		p->full_only = c;
	switch (c) {
	case OPT_CONTROL_PORT:
		ret = parse_uint(c, arg, 1, 65535, &v);
		o->control_port = (uint16_t)v;
		break;
	case OPT_CONTROL_TIMEOUT:
		return parse_seconds(c, arg, 0.001, MAX_SECONDS, &o->control_timeout_ns);
	case OPT_SESSIONS:
		ret = parse_uint(c, arg, 1, TWR_PING_MAX_SESSIONS, &v);
		o->sessions = (unsigned int)v;
		break;
	case OPT_INDIVIDUAL:
		o->individual = true;
		break;
	case 'Z':
		o->zero_addresses = true;
		break;
	case OPT_RECEIVER_PORT:
		ret = parse_uint(c, arg, 1, 65535, &v);
		o->receiver_port = (uint16_t)v;
		break;
	case OPT_STOP_TIMEOUT:
		return parse_seconds(c, arg, 0, MAX_SECONDS, &o->stop_timeout_ns);
	case OPT_START_DELAY:
		return parse_seconds(c, arg, 0, MAX_SECONDS, &o->start_delay_ns);
	default:
		return -1;
	}
	return ret;
}

/* One option; -1 on a bad value (message printed). */
static int
parse_one(int c, const char *arg, struct twr_ping_options *o, struct pending *p)
{
	unsigned long v;
	int ret = 0;

	switch (c) {
	case OPT_MODE:
		return parse_mode(arg, o);
	case 'p':
		ret = parse_uint(c, arg, 1, 65535, &v);
		o->port = (uint16_t)v;
		p->port_set = true;
		break;
	case OPT_PORT_RANGE:
		return parse_port_range(arg, o);
	case OPT_CONTROL_PORT:
	case OPT_CONTROL_TIMEOUT:
	case OPT_SESSIONS:
	case OPT_INDIVIDUAL:
	case 'Z':
	case OPT_RECEIVER_PORT:
	case OPT_STOP_TIMEOUT:
	case OPT_START_DELAY:
		return parse_full(c, arg, o, p);
	case 'c':
		ret = parse_uint(c, arg, 1, TWR_PING_MAX_COUNT, &v);
		o->count = (uint32_t)v;
		break;
	case 'i':
		return parse_seconds(c, arg, MIN_INTERVAL_S, MAX_SECONDS, &o->interval_ns);
	case 'W':
		return parse_seconds(c, arg, 0, MAX_SECONDS, &o->timeout_ns);
	case 's':
		ret = parse_uint(c, arg, 0, TWR_PING_MAX_SIZE, &v);
		p->size = (long)v;
		break;
	case OPT_PADDING:
		ret = parse_uint(c, arg, 0, TWR_PING_MAX_SIZE, &v);
		p->padding = (long)v;
		break;
	case OPT_DSCP:
		ret = parse_uint(c, arg, 0, 63, &v);
		o->dscp = (int)v;
		break;
	case OPT_SOURCE_PORT:
		ret = parse_uint(c, arg, 0, 65535, &v);
		o->source_port = (uint16_t)v;
		break;
	case OPT_SOURCE:
		o->source = arg;
		break;
	case OPT_SSID:
		ret = parse_uint(c, arg, 0, 65535, &v);
		o->ssid = (uint16_t)v;
		p->ssid_set = true;
		break;
	case '4':
	case '6':
		if (o->family != AF_UNSPEC && o->family != (c == '4' ? AF_INET : AF_INET6)) {
			fprintf(stderr, PROG ": -4 and -6 exclude each other\n");
			return -1;
		}
		o->family = c == '4' ? AF_INET : AF_INET6;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_PER_PACKET:
		o->per_packet = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	default:
		return -1;
	}
	return ret;
}

/* Options that exclude each other or need another mode. */
static int
check_combinations(const struct twr_ping_options *o, const struct pending *p)
{
	bool full = o->mode == TWR_PING_MODE_FULL;

	if (!full && p->full_only != 0) {
		fprintf(stderr, PROG ": %s: only with --mode full (TWAMP-Control)\n",
			option_name(p->full_only));
		return -1;
	}
	if (full && p->port_set) {
		fprintf(stderr, PROG ": -p/--port: in full mode the server assigns the test port; "
				     "the control port is --control-port, a wish for the test "
				     "port --receiver-port\n");
		return -1;
	}
	if (o->port_lo != 0 && o->source_port != 0) {
		fprintf(stderr,
			PROG ": --source-port and --port-range are alternatives: give one\n");
		return -1;
	}
	if (o->sessions > 1 && o->source_port != 0) {
		fprintf(stderr,
			PROG ": --source-port: %u sessions need %u ports; give --port-range\n",
			o->sessions, o->sessions);
		return -1;
	}
	if (o->port_lo != 0 && (unsigned int)(o->port_hi - o->port_lo) + 1 < o->sessions) {
		fprintf(stderr, PROG ": --port-range %u-%u: fewer ports than the %u sessions\n",
			o->port_lo, o->port_hi, o->sessions);
		return -1;
	}
	return 0;
}

static void
report_getopt_error(int c, char *const argv[])
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		fprintf(stderr, PROG ": option '%s' needs a value\n", arg);
	else if (optopt != 0)
		fprintf(stderr, PROG ": unknown option '-%c'\n", optopt);
	else
		fprintf(stderr, PROG ": unknown option '%s'\n", arg);
	fprintf(stderr, "Try '" PROG " --help'.\n");
}

int
twr_ping_options_parse(int argc, char *const argv[], struct twr_ping_options *o)
{
	struct pending p;
	int c;

	set_defaults(o, &p);
	optind = 0; /* glibc: full re-initialisation, so that tests may parse again */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (c == 'h') {
			twr_ping_options_usage(stdout);
			return TWR_PING_PARSE_EXIT;
		}
		if (c == 'V') {
			printf(PROG " (twamp-reflector) " TWR_PING_VERSION "\n");
			return TWR_PING_PARSE_EXIT;
		}
		if (c == '?' || c == ':') {
			report_getopt_error(c, argv);
			return TWR_PING_PARSE_ERROR;
		}
		if (parse_one(c, optarg, o, &p) < 0)
			return TWR_PING_PARSE_ERROR;
	}
	if (optind >= argc) {
		fprintf(stderr, PROG ": missing ADDRESS (the reflector)\nTry '" PROG " --help'.\n");
		return TWR_PING_PARSE_ERROR;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s' after ADDRESS\n",
			argv[optind + 1]);
		return TWR_PING_PARSE_ERROR;
	}
	o->address = argv[optind];
	if (p.ssid_set && o->mode != TWR_PING_MODE_STAMP) {
		fprintf(stderr, PROG ": --ssid: only STAMP packets carry an SSID (--mode stamp)\n");
		return TWR_PING_PARSE_ERROR;
	}
	if (o->per_packet && !o->json) {
		fprintf(stderr, PROG ": --per-packet: only with --json (the text lists replies)\n");
		return TWR_PING_PARSE_ERROR;
	}
	if (check_combinations(o, &p) < 0 || resolve_size(o, &p) < 0)
		return TWR_PING_PARSE_ERROR;
	return TWR_PING_PARSE_OK;
}
