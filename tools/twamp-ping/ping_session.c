/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The Session-Sender loop: one thread, ppoll() on every session's socket
 * with a timeout that ends at the next send or the end of the wait for
 * replies. The schedule is absolute (origin + k * interval) so that a
 * slow iteration delays one packet, not every later one.
 *
 * T1 is read from CLOCK_REALTIME immediately before send(), T4 is the
 * kernel's receive timestamp of the reply (SO_TIMESTAMPNS, same clock):
 * the RTT then leaves out our own scheduling delays on receive.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "twr_errest.h"
#include "twr_time.h"

#include "ping_session.h"

/* Any UDP payload fits: a longer reply is still matched, never truncated mid-header. */
#define RX_BUF_LEN 65536

/* Error Estimate when the kernel says nothing of its clock: unsynchronised, 1 s. */
#define UNKNOWN_CLOCK_ERROR_NS 1000000000ull

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * TWR_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint16_t
twr_ping_local_error_estimate(void)
{
	struct timespec res;
	struct timex tx;
	uint64_t error_ns;
	bool synced;
	long us;
	int state;

	/* modes 0: read only, allowed without privileges. */
	memset(&tx, 0, sizeof(tx));
	state = adjtimex(&tx);
	if (state < 0)
		return twr_errest_encode(UNKNOWN_CLOCK_ERROR_NS, false, false);
	synced = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	us = synced ? tx.esterror : tx.maxerror;
	error_ns = us > 0 ? (uint64_t)us * 1000u : 0;
	/* Plus the clock's resolution: a timestamp is no finer than that. */
	if (clock_getres(CLOCK_REALTIME, &res) == 0)
		error_ns += (uint64_t)res.tv_sec * TWR_NS_PER_SEC + (uint64_t)res.tv_nsec;
	return twr_errest_encode(error_ns, synced, false);
}

int
twr_ping_session_open(struct twr_ping_session *s, const struct twr_ping_session_cfg *cfg, char *err,
		      size_t errlen)
{
	int ret;

	if (s == NULL || cfg == NULL || cfg->format == NULL || cfg->count == 0 ||
	    cfg->size < cfg->format->header_len || cfg->size > TWR_PING_MAX_SIZE) {
		snprintf(err, errlen, "invalid session configuration");
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->cfg = *cfg;
	ret = twr_ping_stats_init(&s->stats, cfg->count, cfg->timeout_ns, cfg->ssid);
	if (ret < 0) {
		snprintf(err, errlen, "-c/--count %u: cannot allocate the per-packet records",
			 cfg->count);
		return ret;
	}
	s->txbuf = malloc(cfg->size);
	if (s->txbuf == NULL) {
		snprintf(err, errlen, "-s/--size %zu: out of memory", cfg->size);
		twr_ping_stats_free(&s->stats);
		return -ENOMEM;
	}
	ret = twr_ping_socket_open(&cfg->sock, &s->kernel_ts, &s->local, err, errlen);
	if (ret < 0) {
		twr_ping_session_close(s);
		twr_ping_stats_free(&s->stats);
		return ret;
	}
	s->fd = ret;
	s->error_estimate = twr_ping_local_error_estimate();
	return 0;
}

int
twr_ping_session_connect(struct twr_ping_session *s, const struct twr_ping_addr *dst, char *err,
			 size_t errlen)
{
	int ret;

	if (s == NULL || dst == NULL || s->fd < 0) {
		snprintf(err, errlen, "invalid session");
		return -EINVAL;
	}
	ret = twr_ping_socket_connect(s->fd, dst, &s->local, err, errlen);
	if (ret < 0)
		return ret;
	s->cfg.sock.dst = *dst;
	return 0;
}

void
twr_ping_session_close(struct twr_ping_session *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->txbuf);
	s->txbuf = NULL;
}

void
twr_ping_session_free(struct twr_ping_session *s)
{
	if (s == NULL)
		return;
	twr_ping_session_close(s);
	twr_ping_stats_free(&s->stats);
}

static void
send_one(struct twr_ping_session *s)
{
	struct twr_ping_probe probe = {
		.seq = s->next_seq,
		.error_estimate = s->error_estimate,
		.ssid = s->cfg.ssid,
	};
	struct timespec ts;
	ssize_t len, n = -1;
	int attempt;

	s->next_seq++;
	clock_gettime(CLOCK_REALTIME, &ts);
	probe.t1 = twr_ntp_from_timespec(&ts);
	len = s->cfg.format->encode(&probe, s->txbuf, s->cfg.size);
	if (len < 0) {
		s->stats.send_errors++;
		return;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		n = send(s->fd, s->txbuf, (size_t)len, 0);
		if (n >= 0 || errno != ECONNREFUSED)
			break;
		/*
		 * An ICMP error for an earlier packet is reported on the next
		 * call, this one; the packet itself was not sent: once more.
		 */
		s->stats.icmp_errors++;
	}
	s->last_send_ns = mono_ns();
	if (n != len) {
		s->stats.send_errors++;
		return;
	}
	twr_ping_stats_sent(&s->stats, probe.seq, probe.t1);
}

static void
handle_datagram(struct twr_ping_session *s, const uint8_t *buf, size_t len,
		const struct timespec *t4, int ttl)
{
	struct twr_ping_reply r;
	enum twr_ping_verdict v;

	if (twr_ping_reply_parse(s->cfg.format, buf, len, twr_ntp_from_timespec(t4), ttl, &r) < 0) {
		twr_ping_stats_count(&s->stats, TWR_PING_MALFORMED);
		return;
	}
	v = twr_ping_stats_reply(&s->stats, &r);
	if (s->cfg.on_reply != NULL &&
	    (v == TWR_PING_RECEIVED || v == TWR_PING_LATE || v == TWR_PING_DUPLICATE))
		s->cfg.on_reply(s, &r, v, s->cfg.cb_arg);
}

/* Errors the kernel reports on a connected UDP socket after an ICMP message. */
static bool
is_icmp_error(ssize_t err)
{
	return err == -ECONNREFUSED || err == -EHOSTUNREACH || err == -ENETUNREACH ||
	       err == -EHOSTDOWN || err == -ENONET || err == -EPROTO || err == -EMSGSIZE;
}

/* Read every queued datagram. */
static int
drain(struct twr_ping_session *s, uint8_t *rx)
{
	struct timespec t4;
	ssize_t n;
	int ttl;

	for (;;) {
		n = twr_ping_socket_recv(s->fd, rx, RX_BUF_LEN, &t4, &ttl);
		if (n == -EAGAIN || n == -EINTR)
			return 0;
		if (is_icmp_error(n)) {
			s->stats.icmp_errors++;
			continue;
		}
		if (n < 0)
			return (int)n;
		handle_datagram(s, rx, (size_t)n, &t4, ttl);
	}
}

/*
 * Send what is due and return when the session next needs attention
 * (UINT64_MAX: it is finished).
 */
static uint64_t
session_step(struct twr_ping_session *s, uint64_t now)
{
	uint64_t end;

	while (s->next_seq < s->cfg.count && now >= s->next_send_ns) {
		send_one(s);
		s->next_send_ns += s->cfg.interval_ns;
	}
	if (s->next_seq < s->cfg.count)
		return s->next_send_ns;
	if (twr_ping_stats_complete(&s->stats))
		return UINT64_MAX;
	end = s->last_send_ns + s->cfg.timeout_ns;
	return now < end ? end : UINT64_MAX;
}

/*
 * The monotonic schedule starts when the wall clock reaches the session's
 * Start Time: the reflector may discard what arrives before it.
 */
static uint64_t
start_delay_ns(uint64_t start_unix_ns)
{
	struct timespec ts;
	uint64_t now;

	if (start_unix_ns == 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	now = (uint64_t)ts.tv_sec * TWR_NS_PER_SEC + (uint64_t)ts.tv_nsec;
	return start_unix_ns > now ? start_unix_ns - now : 0;
}

int
twr_ping_sender_run(struct twr_ping_session *const *sessions, unsigned int n,
		    const volatile sig_atomic_t *stop)
{
	struct pollfd *pfd;
	struct timespec ts;
	uint64_t now, next, wait;
	uint8_t *rx;
	unsigned int i;
	int ret = 0;

	if (sessions == NULL || n == 0)
		return -EINVAL;
	pfd = calloc(n, sizeof(*pfd));
	rx = malloc(RX_BUF_LEN);
	if (pfd == NULL || rx == NULL) {
		free(pfd);
		free(rx);
		return -ENOMEM;
	}
	now = mono_ns();
	for (i = 0; i < n; i++) {
		sessions[i]->next_send_ns = now + start_delay_ns(sessions[i]->cfg.start_unix_ns);
		pfd[i].fd = sessions[i]->fd;
		pfd[i].events = POLLIN;
	}
	while (stop == NULL || *stop == 0) {
		now = mono_ns();
		next = UINT64_MAX;
		for (i = 0; i < n; i++) {
			uint64_t t = session_step(sessions[i], now);

			next = t < next ? t : next;
		}
		if (next == UINT64_MAX)
			break;
		wait = next > now ? next - now : 0;
		ts.tv_sec = (time_t)(wait / TWR_NS_PER_SEC);
		ts.tv_nsec = (long)(wait % TWR_NS_PER_SEC);
		if (ppoll(pfd, n, &ts, NULL) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		for (i = 0; i < n && ret == 0; i++)
			if (pfd[i].revents != 0)
				ret = drain(sessions[i], rx);
		if (ret < 0)
			break;
	}
	/* What arrived while the last timeout expired is still in time. */
	for (i = 0; i < n && ret == 0; i++)
		ret = drain(sessions[i], rx);
	free(pfd);
	free(rx);
	return ret;
}
