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
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* Leading ':' : getopt reports a missing argument as ':' and stays silent. */
static const char short_options[] = ":p:c:i:s:W:46qhV";

void
twr_ping_options_usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [options] ADDRESS\n"
		"TWAMP-Light / STAMP Session-Sender: sends test packets to the reflector at\n"
		"ADDRESS and reports loss, round-trip time, jitter and reflector residence time.\n"
		"\n"
		"  --mode light|stamp   packet format (default light; full: not implemented yet)\n"
		"  -p, --port PORT      reflector UDP port (default 862)\n"
		"  -c, --count N        packets to send (default 10, at most %u)\n"
		"  -i, --interval S     seconds between packets (default 1, at least %g)\n"
		"  -s, --size OCTETS    UDP payload of a sender packet (default 41 light, 44 "
		"stamp;\n"
		"                       at least 14 light, 44 stamp; at most %d)\n"
		"      --padding N      instead of -s: octets after the sender header\n"
		"      --dscp N         DSCP of the sent packets, 0-63\n"
		"      --source ADDR    local address to send from\n"
		"      --source-port P  local UDP port (default: any)\n"
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
		"Exit status: 0 every packet answered, 1 loss, 2 usage or setup error.\n",
		TWR_PING_MAX_COUNT, MIN_INTERVAL_S, TWR_PING_MAX_SIZE);
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

static int
parse_mode(const char *arg, struct twr_ping_options *o)
{
	if (strcmp(arg, "full") == 0) {
		fprintf(stderr, PROG ": --mode full: the TWAMP-Control client is not implemented "
				     "yet; use --mode light or --mode stamp\n");
		return -1;
	}
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
	p->size = -1;
	p->padding = -1;
	p->ssid_set = false;
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
		break;
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
	if (resolve_size(o, &p) < 0)
		return TWR_PING_PARSE_ERROR;
	return TWR_PING_PARSE_OK;
}
