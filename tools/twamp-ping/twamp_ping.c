/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping: a TWAMP-Light / STAMP / TWAMP Session-Sender on kernel UDP
 * sockets. This file only wires the parts together: options -> session
 * configuration -> sender loop -> statistics -> report. The full TWAMP
 * mode (ping_full.h) puts its TWAMP-Control client between the options
 * and the sessions and keeps the rest.
 *
 * Exit status: 0 every packet sent was answered in time, 1 some were
 * not, 2 a usage or setup error (the message names the option).
 */

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ping_full.h"
#include "ping_options.h"
#include "ping_report.h"
#include "ping_session.h"

#define EXIT_LOSS  1
#define EXIT_USAGE 2

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* No SA_RESTART: the sender's ppoll() returns at once and the report follows. */
static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void
print_reply(const struct twr_ping_session *s, const struct twr_ping_reply *r,
	    enum twr_ping_verdict verdict, void *arg)
{
	(void)arg;
	twr_ping_report_reply(stdout, s, r, verdict);
}

/* --source-port without --source: the wildcard address of the destination's family. */
static void
wildcard_source(int family, uint16_t port, struct twr_ping_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&a->ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons(port);
		a->len = sizeof(*sin6);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&a->ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons(port);
		a->len = sizeof(*sin);
	}
}

static int
build_config(const struct twr_ping_options *o, struct twr_ping_session_cfg *cfg, char *err,
	     size_t errlen)
{
	int family;

	memset(cfg, 0, sizeof(*cfg));
	cfg->format = o->format;
	if (twr_ping_resolve(o->address, o->port, o->family, "ADDRESS", &cfg->sock.dst, err,
			     errlen) < 0)
		return -EINVAL;
	family = cfg->sock.dst.ss.ss_family;
	if (o->source != NULL) {
		if (twr_ping_resolve(o->source, o->source_port, family, "--source", &cfg->sock.src,
				     err, errlen) < 0)
			return -EINVAL;
	} else if (o->source_port != 0) {
		wildcard_source(family, o->source_port, &cfg->sock.src);
	}
	cfg->sock.port_lo = o->port_lo;
	cfg->sock.port_hi = o->port_hi;
	cfg->sock.dscp = o->dscp;
	cfg->count = o->count;
	cfg->interval_ns = o->interval_ns;
	cfg->timeout_ns = o->timeout_ns;
	cfg->size = o->size;
	cfg->ssid = o->ssid;
	if (!o->quiet && !o->json)
		cfg->on_reply = print_reply;
	return 0;
}

int
main(int argc, char **argv)
{
	struct twr_ping_session *sessions[1];
	struct twr_ping_session_cfg cfg;
	struct twr_ping_options o;
	struct twr_ping_summary sum;
	struct twr_ping_session s;
	char err[512];
	int ret, status;

	ret = twr_ping_options_parse(argc, argv, &o);
	if (ret == TWR_PING_PARSE_EXIT)
		return EXIT_SUCCESS;
	if (ret != TWR_PING_PARSE_OK)
		return EXIT_USAGE;
	if (o.mode == TWR_PING_MODE_FULL)
		return twr_ping_full_main(&o, &stop_requested, install_signals);
	if (build_config(&o, &cfg, err, sizeof(err)) < 0 ||
	    twr_ping_session_open(&s, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "twamp-ping: %s\n", err);
		return EXIT_USAGE;
	}
	install_signals();
	if (!o.quiet && !o.json)
		twr_ping_report_banner(stdout, &s);
	sessions[0] = &s;
	ret = twr_ping_sender_run(sessions, 1, &stop_requested);
	twr_ping_session_close(&s);
	status = EXIT_SUCCESS;
	if (ret < 0) {
		fprintf(stderr, "twamp-ping: the sender stopped: %s\n", strerror(-ret));
		status = EXIT_USAGE;
	}
	if (twr_ping_stats_summarize(&s.stats, &sum) < 0) {
		fprintf(stderr, "twamp-ping: out of memory for the report\n");
		twr_ping_session_free(&s);
		return EXIT_USAGE;
	}
	if (o.json) {
		twr_ping_report_json(stdout, &s, &sum, o.per_packet);
	} else {
		if (!o.quiet)
			fputc('\n', stdout);
		twr_ping_report_text(stdout, &s, &sum);
	}
	if (status == EXIT_SUCCESS &&
	    (sum.sent == 0 || sum.received != sum.sent || s.stats.send_errors != 0))
		status = EXIT_LOSS;
	twr_ping_session_free(&s);
	return status;
}
