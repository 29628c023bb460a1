/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The full TWAMP mode (RFC 5357): the control client and the
 * Session-Sender glued together. Each test socket is bound before its
 * request, on the control connection's local address, because its port is
 * the Sender Port the reflector will answer to; it is connected only once
 * the Accept-Session names the port to use, exactly as given (the
 * requested one or an alternate, RFC 5357 §3.5 with erratum 1587).
 *
 * Once the control connection is up, a report is always printed, so that
 * a refusal or a silent server is seen with everything learnt before it.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "twr_test_pkt.h"
#include "twr_time.h"

#include "ping_full.h"
#include "ping_report.h"
#include "ping_report_full.h"

#define PROG	   "twamp-ping"

#define EXIT_LOSS  1
#define EXIT_USAGE 2

static void
print_reply(const struct twr_ping_session *s, const struct twr_ping_reply *r,
	    enum twr_ping_verdict verdict, void *arg)
{
	unsigned int index = (unsigned int)(uintptr_t)arg;

	/* Several sessions interleave their lines: say whose each one is. */
	if (index != 0)
		printf("[%u] ", index);
	twr_ping_report_reply(stdout, s, r, verdict);
}

static void
addr_with_port(const struct twr_ping_addr *a, uint16_t port, struct twr_ping_addr *out)
{
	*out = *a;
	twr_ping_addr_set_port(out, port);
}

/* Every session's socket sits on the control connection's local address. */
static void
session_config(const struct twr_ping_full *f, unsigned int i, struct twr_ping_session_cfg *cfg)
{
	const struct twr_ping_options *o = f->o;

	memset(cfg, 0, sizeof(*cfg));
	cfg->format = twr_ping_format_get(TWR_PING_MODE_FULL);
	addr_with_port(&f->ctrl.local, o->source_port, &cfg->sock.src);
	cfg->sock.port_lo = o->port_lo;
	cfg->sock.port_hi = o->port_hi;
	cfg->sock.dscp = o->dscp;
	cfg->count = o->count;
	cfg->interval_ns = o->interval_ns;
	cfg->timeout_ns = o->timeout_ns;
	cfg->size = o->size;
	cfg->start_unix_ns = f->start_unix_ns;
	if (!o->quiet && !o->json) {
		cfg->on_reply = print_reply;
		cfg->cb_arg = (void *)(uintptr_t)(o->sessions > 1 ? i + 1 : 0);
	}
}

/*
 * Open session @p i, request it, and connect it to the accepted port.
 * @return 0 whatever the server answered; -1 when the conversation or
 *   the setup cannot go on (message printed).
 */
static int
negotiate_one(struct twr_ping_full *f, unsigned int i)
{
	const struct twr_ping_options *o = f->o;
	struct twr_ping_full_session *fs = &f->sess[i];
	struct twr_ping_ctrl_session *cs = &f->ctrl.sess[i];
	struct twr_ping_session_cfg cfg;
	struct twr_ping_request req;
	struct twr_ping_addr dst;
	char err[512];

	session_config(f, i, &cfg);
	if (twr_ping_session_open(&fs->s, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": session %u: %s\n", i + 1, err);
		return -1;
	}
	fs->opened = true;
	memset(&req, 0, sizeof(req));
	req.sender = &fs->s.local;
	req.receiver = &f->ctrl.server;
	/* Like twping: ask for our own port unless told otherwise; the answer decides. */
	req.receiver_port =
		o->receiver_port != 0 ? o->receiver_port : twr_ping_addr_port(&fs->s.local);
	req.zero_addresses = o->zero_addresses;
	req.padding_length = (uint32_t)(o->size - TWR_TS_MIN_LEN);
	req.start_time = f->start_time;
	req.timeout_ns = o->stop_timeout_ns;
	req.dscp = o->dscp;
	fs->status = TWR_PING_FULL_NOT_ANSWERED;
	if (twr_ping_control_request(&f->ctrl, i, &req, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": TWAMP-Control: %s\n", err);
		return -1;
	}
	if (cs->accept != TWR_ACCEPT_OK) {
		fs->status = TWR_PING_FULL_REFUSED;
		fprintf(stderr, PROG ": session %u refused: Accept %u (%s)\n", i + 1, cs->accept,
			twr_ping_accept_name(cs->accept));
		twr_ping_session_close(&fs->s);
		return 0;
	}
	fs->status = TWR_PING_FULL_UNUSABLE;
	if (cs->port == 0) {
		fprintf(stderr, PROG ": session %u: Accept-Session accepts with Port 0: unusable\n",
			i + 1);
		return 0;
	}
	addr_with_port(&f->ctrl.server, cs->port, &dst);
	if (twr_ping_session_connect(&fs->s, &dst, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": session %u: port %u: %s\n", i + 1, cs->port, err);
		return 0;
	}
	fs->status = TWR_PING_FULL_NOT_STARTED;
	cs->run = true;
	return 0;
}

static int
negotiate(struct twr_ping_full *f)
{
	const struct twr_ping_options *o = f->o;
	struct twr_ping_addr server, source;
	struct timespec now;
	char err[512];
	unsigned int i;
	int ret;

	memset(&source, 0, sizeof(source));
	if (twr_ping_resolve(o->address, o->control_port, o->family, "ADDRESS", &server, err,
			     sizeof(err)) < 0 ||
	    (o->source != NULL && twr_ping_resolve(o->source, 0, server.ss.ss_family, "--source",
						   &source, err, sizeof(err)) < 0)) {
		fprintf(stderr, PROG ": %s\n", err);
		return -2;
	}
	ret = twr_ping_control_open(&f->ctrl, &server, &source, o->control_timeout_ns,
				    o->individual, o->sessions, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, PROG ": TWAMP-Control %s port %u: %s\n", o->address,
			o->control_port, err);
		return -2; /* nothing to report */
	}
	if (o->individual && !twr_ping_control_individual(&f->ctrl))
		fprintf(stderr,
			PROG ": note: the server does not offer Individual Session "
			     "Control (RFC 5938): using Start-Sessions and Stop-Sessions\n");
	if (o->start_delay_ns != 0) {
		clock_gettime(CLOCK_REALTIME, &now);
		f->start_unix_ns = (uint64_t)now.tv_sec * TWR_NS_PER_SEC + (uint64_t)now.tv_nsec +
				   o->start_delay_ns;
		f->start_time = twr_ntp_from_unix_ns(f->start_unix_ns);
	}
	for (i = 0; i < f->nb_sessions; i++)
		if (negotiate_one(f, i) < 0)
			return -1;
	return 0;
}

static void
start_failed_sessions_note(struct twr_ping_full *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_sessions; i++) {
		const struct twr_ping_ctrl_session *cs = &f->ctrl.sess[i];

		if (!cs->run || cs->started)
			continue;
		if (cs->start_answered) {
			f->sess[i].status = TWR_PING_FULL_START_REFUSED;
			fprintf(stderr, PROG ": session %u: Start-N-Ack Accept %u (%s)\n", i + 1,
				cs->start_accept, twr_ping_accept_name(cs->start_accept));
		}
	}
}

/* Start, send, stop. @return 0, or -1 when nothing could run (message printed). */
static int
run(struct twr_ping_full *f, const volatile sig_atomic_t *stop, void (*before_run)(void))
{
	struct twr_ping_session **list;
	char err[512];
	unsigned int i, n = 0;
	int ret;

	if (twr_ping_control_start(&f->ctrl, err, sizeof(err)) < 0) {
		fprintf(stderr, PROG ": TWAMP-Control: %s\n", err);
		return -1;
	}
	start_failed_sessions_note(f);
	list = calloc(f->nb_sessions, sizeof(*list));
	if (list == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		return -1;
	}
	for (i = 0; i < f->nb_sessions; i++)
		if (f->ctrl.sess[i].run && f->ctrl.sess[i].started) {
			f->sess[i].status = TWR_PING_FULL_RAN;
			list[n++] = &f->sess[i].s;
		}
	f->nb_ran = n;
	if (n > 0) {
		if (before_run != NULL)
			before_run();
		if (!f->o->quiet && !f->o->json)
			twr_ping_report_full_banners(stdout, f);
		ret = twr_ping_sender_run(list, n, stop);
		if (ret < 0) {
			f->sender_failed = true;
			fprintf(stderr, PROG ": the sender stopped: %s\n", strerror(-ret));
		}
	}
	free(list);
	/* Stop what the server started, even what we did not use: it counts them. */
	if (twr_ping_control_stop(&f->ctrl, f->stop_error, sizeof(f->stop_error)) < 0) {
		f->stop_failed = true;
		fprintf(stderr, PROG ": warning: TWAMP-Control: %s\n", f->stop_error);
	}
	return n > 0 ? 0 : -1;
}

static int
summarize(struct twr_ping_full *f)
{
	const struct twr_ping_stats **st;
	unsigned int i, n = 0, first = 0;
	int ret = 0;

	st = calloc(f->nb_sessions, sizeof(*st));
	if (st == NULL)
		return -ENOMEM;
	for (i = 0; i < f->nb_sessions && ret == 0; i++) {
		if (f->sess[i].status != TWR_PING_FULL_RAN)
			continue;
		if (n == 0)
			first = i;
		st[n++] = &f->sess[i].s.stats;
		ret = twr_ping_stats_summarize(&f->sess[i].s.stats, &f->sess[i].sum);
	}
	if (ret == 0 && n > 0) {
		/* The totals are reported like a session: the first one's settings. */
		f->total = f->sess[first].s;
		ret = twr_ping_stats_total(st, n, &f->total.stats, &f->total_sum);
		if (n > 1) {
			addr_with_port(&f->total.cfg.sock.dst, 0, &f->total.cfg.sock.dst);
			addr_with_port(&f->total.local, 0, &f->total.local);
		}
		for (i = 0; i < f->nb_sessions; i++)
			if (f->sess[i].status == TWR_PING_FULL_RAN && !f->sess[i].s.kernel_ts)
				f->total.kernel_ts = false;
	}
	free(st);
	return ret;
}

static bool
any_to_run(const struct twr_ping_full *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_sessions; i++)
		if (f->ctrl.sess[i].run)
			return true;
	return false;
}

static int
exit_status(const struct twr_ping_full *f)
{
	unsigned int i;

	if (f->nb_ran == 0 || f->sender_failed)
		return EXIT_USAGE;
	if (f->total_sum.sent == 0 || f->total_sum.received != f->total_sum.sent ||
	    f->total.stats.send_errors != 0)
		return EXIT_LOSS;
	/* Asked for N sessions, measured fewer: not a clean result. */
	for (i = 0; i < f->nb_sessions; i++)
		if (f->sess[i].status != TWR_PING_FULL_RAN)
			return EXIT_LOSS;
	return EXIT_SUCCESS;
}

static void
full_free(struct twr_ping_full *f)
{
	unsigned int i;

	for (i = 0; i < f->nb_sessions; i++)
		if (f->sess[i].opened)
			twr_ping_session_free(&f->sess[i].s);
	free(f->sess);
	twr_ping_control_free(&f->ctrl);
}

int
twr_ping_full_main(const struct twr_ping_options *o, const volatile sig_atomic_t *stop,
		   void (*before_run)(void))
{
	struct twr_ping_full f;
	int ret, status;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	f.ctrl.fd = -1;
	f.o = o;
	f.nb_sessions = o->sessions;
	f.sess = calloc(o->sessions, sizeof(*f.sess));
	if (f.sess == NULL) {
		fprintf(stderr, PROG ": --sessions %u: out of memory\n", o->sessions);
		return EXIT_USAGE;
	}
	ret = negotiate(&f);
	if (ret == -2) {
		full_free(&f);
		return EXIT_USAGE;
	}
	if (ret == 0 && any_to_run(&f))
		(void)run(&f, stop, before_run);
	twr_ping_control_close(&f.ctrl);
	for (i = 0; i < f.nb_sessions; i++)
		if (f.sess[i].opened)
			twr_ping_session_close(&f.sess[i].s);
	if (summarize(&f) < 0) {
		fprintf(stderr, PROG ": out of memory for the report\n");
		full_free(&f);
		return EXIT_USAGE;
	}
	if (o->json) {
		twr_ping_report_full_json(stdout, &f);
	} else {
		if (!o->quiet && f.nb_ran > 0)
			fputc('\n', stdout);
		twr_ping_report_full_text(stdout, &f);
	}
	status = exit_status(&f);
	full_free(&f);
	return status;
}
