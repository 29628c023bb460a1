/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * A small TWAMP server for the twamp-ping full-mode tests: lib/proto's
 * TWAMP-Control state machine (twr_server.h) behind a kernel TCP socket on
 * 127.0.0.1 or ::1, and a UDP Session-Reflector per accepted session
 * (digest §3.3: own sequence number, T2 from the kernel, the sender's
 * sequence number, timestamp and Error Estimate copied, its TTL read from
 * the IP header, reply length max(received, 41), the Type-P DSCP, TTL 255).
 * It reflects only what comes from the negotiated Sender Address and Port,
 * as twampd does, so a wrong Sender Port in a request shows up as loss.
 *
 * It can misbehave on purpose: offer an alternate port for every request,
 * refuse the k-th request with an Accept code, announce other Modes or a
 * huge Count, and fall silent from a given client command on.
 *
 * Everything it sees is written to stdout as one JSON object per line
 * (events: listening, setup, command, add, start, stop, remove, close,
 * end), which the test script compares with twamp-ping's report.
 * Loopback only: it binds 127.0.0.1 or ::1, and answers test packets only
 * from the address of the control connection's peer, itself local.
 *
 * Usage: fake-twamp-server [-6] [--modes HEX] [--greeting-modes HEX]
 *   [--count N] [--alt-port] [--refuse K:CODE] [--mute-at CMD] [--close-at CMD]
 *   [--once]
 * --mute-at 0 sends nothing at all; 5, 2, 7, 9: nothing from that command on.
 * --close-at CMD closes the connection, unanswered, when command CMD arrives
 * (0: the Set-Up-Response).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "twr_ctrl_msg.h"
#include "twr_errest.h"
#include "twr_server.h"
#include "twr_test_pkt.h"
#include "twr_time.h"
#include "twr_wire.h"

#define MAX_SESSIONS 64
#define PKT_MAX	     65536
/* The fake reflector's Error Estimate: synchronised, 1 us (digest §7.2). */
#define FAKE_ERREST 0x8587

struct fake_session {
	bool used;
	bool reflecting;
	int fd;
	struct twr_session_params p;
	uint32_t seq; /* the reflector's own counter */
	uint64_t received, reflected, foreign;
	int tos; /* of the first packet reflected, -1: none */
};

struct fake {
	int family;
	uint32_t greeting_modes; /* 0: as the state machine says */
	bool alt_port;
	unsigned int refuse_k; /* 1-based request number, 0: none */
	uint8_t refuse_code;
	int mute_at; /* -1: never */
	bool muted;
	int close_at; /* -1: never */
	bool hang_up;
	bool once;
	unsigned int requests;
	struct fake_session sess[MAX_SESSIONS];
	/* Client octets, re-split into messages for the log. */
	uint8_t in[TWR_SID_LIST_MSG_LEN(MAX_SESSIONS) + TWR_SETUP_RESPONSE_LEN];
	size_t in_len;
	bool setup_seen;
	uint64_t out_total; /* octets the state machine produced */
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * TWR_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static uint64_t
now_ntp(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return twr_ntp_from_timespec(&ts);
}

static void
hex(const uint8_t *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * len] = '\0';
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int
fake_random(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -EIO;
}

static int
udp_bind(int family, const uint8_t *addr, uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (family == AF_INET6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &on, sizeof(on));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
		setsockopt(fd, IPPROTO_IP, IP_RECVTOS, &on, sizeof(on));
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*bound = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					  : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* Ports: the requested one when free (and not --alt-port), else any: Accept 0 either way. */
static uint8_t
fake_reserve(void *ctx, struct twr_session_params *p)
{
	struct fake *f = ctx;
	int family = p->ipvn == 6 ? AF_INET6 : AF_INET;
	struct fake_session *s = NULL;
	uint16_t bound = 0;
	unsigned int i;
	int fd = -1;

	f->requests++;
	if (f->refuse_k == f->requests)
		return f->refuse_code;
	for (i = 0; i < MAX_SESSIONS && s == NULL; i++)
		if (!f->sess[i].used)
			s = &f->sess[i];
	if (s == NULL)
		return TWR_ACCEPT_TEMPORARY;
	if (!f->alt_port)
		fd = udp_bind(family, p->receiver_addr, p->requested_port, &bound);
	if (fd < 0)
		fd = udp_bind(family, p->receiver_addr, 0, &bound);
	if (fd < 0)
		return TWR_ACCEPT_INTERNAL;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->fd = fd;
	s->tos = -1;
	p->port = bound;
	s->p = *p;
	return TWR_ACCEPT_OK;
}

static struct fake_session *
find(struct fake *f, const uint8_t *sid)
{
	unsigned int i;

	for (i = 0; i < MAX_SESSIONS; i++)
		if (f->sess[i].used && memcmp(f->sess[i].p.sid, sid, TWR_SID_LEN) == 0)
			return &f->sess[i];
	return NULL;
}

/* Reflect one datagram (digest §3.3). */
static void
reflect(struct fake_session *s, int family)
{
	uint8_t buf[PKT_MAX], reply[PKT_MAX];
	union {
		char c[512];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_storage from;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg = {.msg_name = &from,
			     .msg_namelen = sizeof(from),
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf.c,
			     .msg_controllen = sizeof(cbuf.c)};
	struct twr_test_reflector r;
	struct timespec t2, t3;
	struct cmsghdr *c;
	int ttl = 255, tos = 0, v;
	ssize_t n, len;
	const uint8_t *src;
	uint16_t sport;

	n = recvmsg(s->fd, &msg, 0);
	if (n < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &t2);
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&t2, CMSG_DATA(c), sizeof(t2));
			continue;
		}
		/* IP_TOS comes as one octet, the others as an int. */
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TOS) {
			tos = *(const uint8_t *)CMSG_DATA(c);
			continue;
		}
		if (c->cmsg_len < CMSG_LEN(sizeof(int)))
			continue;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT))
			ttl = v;
		else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_TCLASS)
			tos = v;
	}
	s->received++;
	src = family == AF_INET6 ? (const uint8_t *)&((struct sockaddr_in6 *)&from)->sin6_addr
				 : (const uint8_t *)&((struct sockaddr_in *)&from)->sin_addr;
	sport = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&from)->sin6_port
					 : ((struct sockaddr_in *)&from)->sin_port);
	/* Only the negotiated Session-Sender is answered (twampd does the same). */
	if (!s->reflecting || n < TWR_TS_MIN_LEN || sport != s->p.sender_port ||
	    memcmp(src, s->p.sender_addr, family == AF_INET6 ? 16 : 4) != 0) {
		s->foreign++;
		return;
	}
	memset(&r, 0, sizeof(r));
	r.seq = s->seq++;
	r.error_estimate = FAKE_ERREST;
	r.receive_timestamp = twr_ntp_from_timespec(&t2);
	r.sender_seq = twr_get_be32(buf + TWR_TS_SEQ);
	r.sender_timestamp = twr_get_be64(buf + TWR_TS_TIMESTAMP);
	r.sender_error_estimate = twr_get_be16(buf + TWR_TS_ERREST);
	r.sender_ttl = (uint8_t)ttl;
	/* Reply as long as the request, at least 41: the first 27 padding octets are truncated. */
	r.padding_len = n > TWR_TR_MIN_LEN ? (size_t)n - TWR_TR_MIN_LEN : 0;
	r.padding = NULL;
	clock_gettime(CLOCK_REALTIME, &t3);
	r.timestamp = twr_ntp_from_timespec(&t3);
	len = twr_test_reflector_encode(&r, false, false, reply, sizeof(reply));
	if (len < 0)
		return;
	if (sendto(s->fd, reply, (size_t)len, 0, (struct sockaddr *)&from, msg.msg_namelen) == len)
		s->reflected++;
	if (s->tos < 0)
		s->tos = tos;
}

static void
session_opts(struct fake_session *s, int family)
{
	int ttl = 255, tos = s->p.dscp << 2;

	if (family == AF_INET6) {
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	} else {
		setsockopt(s->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
		setsockopt(s->fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	}
}

static void
log_add(const struct twr_session_params *p)
{
	char sid[40];

	hex(p->sid, TWR_SID_LEN, sid);
	emit("{\"event\": \"add\", \"sid\": \"%s\", \"port\": %u, \"requested_port\": %u, "
	     "\"sender_port\": %u, \"sender_addr_zero\": %s, \"receiver_addr_zero\": %s, "
	     "\"padding\": %u, \"dscp\": %u, \"timeout_ns\": %" PRIu64 ", \"start_time\": %" PRIu64
	     ", \"ipvn\": %u}",
	     sid, p->port, p->requested_port, p->sender_port,
	     p->sender_addr_zero ? "true" : "false", p->receiver_addr_zero ? "true" : "false",
	     p->padding_length, p->dscp, p->timeout_ns, p->start_time, p->ipvn);
}

static void
session_remove(struct fake_session *s, const char *reason)
{
	char sid[40];

	hex(s->p.sid, TWR_SID_LEN, sid);
	emit("{\"event\": \"remove\", \"sid\": \"%s\", \"reason\": \"%s\", \"received\": %" PRIu64
	     ", \"reflected\": %" PRIu64 ", \"foreign\": %" PRIu64 ", \"tos\": %d}",
	     sid, reason, s->received, s->reflected, s->foreign, s->tos);
	close(s->fd);
	s->used = false;
}

/* Apply the state machine's actions. @return true when the connection must close. */
static bool
actions(struct fake *f, struct twr_server_conn *c)
{
	struct twr_server_action a;
	struct fake_session *s;
	bool closing = false;
	char sid[40];

	while (twr_server_conn_action_pop(c, &a) == 0) {
		hex(a.params.sid, TWR_SID_LEN, sid);
		s = find(f, a.params.sid);
		switch (a.type) {
		case TWR_ACT_SESSION_ADD:
			log_add(&a.params);
			if (s != NULL)
				session_opts(s, f->family);
			break;
		case TWR_ACT_SESSION_START:
			emit("{\"event\": \"start\", \"sid\": \"%s\"}", sid);
			if (s != NULL)
				s->reflecting = true;
			break;
		case TWR_ACT_SESSION_STOP:
			emit("{\"event\": \"stop\", \"sid\": \"%s\"}", sid);
			break;
		case TWR_ACT_SESSION_REMOVE:
			if (s != NULL)
				session_remove(s, twr_server_reason_str(a.reason));
			break;
		case TWR_ACT_CLOSE:
			emit("{\"event\": \"close\", \"reason\": \"%s\"}",
			     twr_server_reason_str(a.reason));
			closing = true;
			break;
		case TWR_ACT_TIMER:
			break;
		}
	}
	return closing;
}

/* Log each client message whole, and note when the one to fall silent at arrives. */
static void
log_input(struct fake *f, const uint8_t *data, size_t len)
{
	char text[2 * sizeof(f->in) + 1];
	size_t want;
	ssize_t n;

	if (len > sizeof(f->in) - f->in_len)
		len = sizeof(f->in) - f->in_len;
	memcpy(f->in + f->in_len, data, len);
	f->in_len += len;
	for (;;) {
		if (!f->setup_seen) {
			if (f->in_len < TWR_SETUP_RESPONSE_LEN)
				return;
			want = TWR_SETUP_RESPONSE_LEN;
			emit("{\"event\": \"setup\", \"mode\": %u}", twr_get_be32(f->in));
			f->setup_seen = true;
			if (f->close_at == 0)
				f->hang_up = f->muted = true;
		} else {
			if (f->in_len < TWR_BLOCK_LEN)
				return;
			n = twr_ctrl_cmd_length(f->in, f->in_len, MAX_SESSIONS);
			want = n < 0 ? f->in_len : (size_t)n;
			if (f->in_len < want)
				return;
			hex(f->in, want, text);
			emit("{\"event\": \"command\", \"command\": %u, \"hex\": \"%s\"}", f->in[0],
			     text);
			if (f->mute_at == f->in[0])
				f->muted = true;
			if (f->close_at == f->in[0])
				f->hang_up = f->muted = true;
		}
		memmove(f->in, f->in + want, f->in_len - want);
		f->in_len -= want;
	}
}

/* Send what the state machine queued, unless muted; the greeting gets --greeting-modes. */
static void
flush_out(struct fake *f, struct twr_server_conn *c, int fd)
{
	const uint8_t *d;
	uint8_t tmp[TWR_SERVER_GREETING_LEN];
	size_t n;
	ssize_t w;

	while ((n = twr_server_conn_tx_peek(c, &d)) > 0) {
		if (f->muted) {
			twr_server_conn_tx_consume(c, n);
			continue;
		}
		if (f->out_total == 0 && f->greeting_modes != 0 && n >= sizeof(tmp)) {
			memcpy(tmp, d, sizeof(tmp));
			twr_put_be32(tmp + 12, f->greeting_modes);
			d = tmp;
			n = sizeof(tmp);
		}
		w = send(fd, d, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		f->out_total += (uint64_t)w;
		twr_server_conn_tx_consume(c, (size_t)w);
	}
}

static int
listen_socket(int family, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
		len = sizeof(struct sockaddr_in6);
	} else {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(struct sockaddr_in);
	}
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 4) < 0) {
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					 : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static void
conn_addrs(int fd, int family, struct twr_conn_addrs *a)
{
	struct sockaddr_storage l, p;
	socklen_t ll = sizeof(l), pl = sizeof(p);

	memset(a, 0, sizeof(*a));
	getsockname(fd, (struct sockaddr *)&l, &ll);
	getpeername(fd, (struct sockaddr *)&p, &pl);
	a->ipvn = family == AF_INET6 ? 6 : 4;
	if (family == AF_INET6) {
		memcpy(a->local, &((struct sockaddr_in6 *)&l)->sin6_addr, 16);
		memcpy(a->peer, &((struct sockaddr_in6 *)&p)->sin6_addr, 16);
		a->local_port = ntohs(((struct sockaddr_in6 *)&l)->sin6_port);
		a->peer_port = ntohs(((struct sockaddr_in6 *)&p)->sin6_port);
	} else {
		memcpy(a->local, &((struct sockaddr_in *)&l)->sin_addr, 4);
		memcpy(a->peer, &((struct sockaddr_in *)&p)->sin_addr, 4);
		a->local_port = ntohs(((struct sockaddr_in *)&l)->sin_port);
		a->peer_port = ntohs(((struct sockaddr_in *)&p)->sin_port);
	}
}

/* One control connection, to its end. */
static void
serve(struct fake *f, const struct twr_server_config *cfg, int fd)
{
	static const struct twr_server_ops ops = {.random = fake_random, .reserve = fake_reserve};
	struct pollfd pfd[1 + MAX_SESSIONS];
	struct fake_session *map[1 + MAX_SESSIONS];
	struct twr_server_conn *c;
	struct twr_conn_addrs a;
	uint8_t buf[4096];
	bool closing = false;
	unsigned int i, n;
	uint64_t dl, now;
	ssize_t r;
	int timeout;

	conn_addrs(fd, f->family, &a);
	f->in_len = 0;
	f->setup_seen = false;
	f->out_total = 0;
	f->muted = f->mute_at == 0;
	f->hang_up = false;
	c = twr_server_conn_create(cfg, &ops, f, &a, mono_ns());
	if (c == NULL) {
		emit("{\"event\": \"error\", \"what\": \"conn_create\"}");
		close(fd);
		return;
	}
	closing = actions(f, c);
	flush_out(f, c, fd);
	while (!closing) {
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		n = 1;
		for (i = 0; i < MAX_SESSIONS; i++)
			if (f->sess[i].used) {
				pfd[n].fd = f->sess[i].fd;
				pfd[n].events = POLLIN;
				map[n++] = &f->sess[i];
			}
		dl = twr_server_conn_deadline(c);
		now = mono_ns();
		timeout = dl == UINT64_MAX ? 200 : dl <= now ? 0 : (int)((dl - now) / 1000000 + 1);
		if (timeout > 200)
			timeout = 200;
		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			break;
		for (i = 1; i < n; i++)
			if (pfd[i].revents & POLLIN)
				reflect(map[i], f->family);
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(fd, buf, sizeof(buf), 0);
			if (r > 0) {
				log_input(f, buf, (size_t)r);
				twr_server_conn_input(c, buf, (size_t)r, mono_ns(), now_ntp());
			} else {
				twr_server_conn_eof(c, mono_ns());
			}
		}
		twr_server_conn_timer(c, mono_ns());
		closing = actions(f, c);
		flush_out(f, c, fd);
		/* Like twampd on a Mode it does not like: close without a word. */
		if (f->hang_up && !closing) {
			twr_server_conn_close(c, TWR_REASON_LOCAL_CLOSE);
			closing = actions(f, c);
		}
	}
	/* Whatever the state machine did not remove (it always does on close). */
	for (i = 0; i < MAX_SESSIONS; i++)
		if (f->sess[i].used)
			session_remove(&f->sess[i], "leftover");
	twr_server_conn_destroy(c);
	close(fd);
}

static int
parse_args(int argc, char **argv, struct fake *f, struct twr_server_config *cfg)
{
	static const struct option opts[] = {
		{"modes", required_argument, NULL, 'm'},
		{"greeting-modes", required_argument, NULL, 'g'},
		{"count", required_argument, NULL, 'n'},
		{"alt-port", no_argument, NULL, 'a'},
		{"refuse", required_argument, NULL, 'r'},
		{"mute-at", required_argument, NULL, 'M'},
		{"close-at", required_argument, NULL, 'C'},
		{"once", no_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	unsigned int k, code;
	int ch;

	while ((ch = getopt_long(argc, argv, "6", opts, NULL)) != -1) {
		switch (ch) {
		case '6':
			f->family = AF_INET6;
			break;
		case 'm':
			cfg->modes = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'g':
			f->greeting_modes = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			cfg->count = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'a':
			f->alt_port = true;
			break;
		case 'r':
			if (sscanf(optarg, "%u:%u", &k, &code) != 2 || code > 255)
				return -1;
			f->refuse_k = k;
			f->refuse_code = (uint8_t)code;
			break;
		case 'M':
			f->mute_at = atoi(optarg);
			break;
		case 'C':
			f->close_at = atoi(optarg);
			break;
		case 'o':
			f->once = true;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct fake f;
	struct twr_server_config cfg;
	uint16_t port;
	int lfd, fd;

	f.family = AF_INET;
	f.mute_at = -1;
	f.close_at = -1;
	twr_server_config_defaults(&cfg);
	cfg.modes = TWR_MODE_UNAUTHENTICATED | TWR_SERVER_FEATURES;
	cfg.start_time = now_ntp();
	cfg.max_sessions = MAX_SESSIONS;
	cfg.handshake_ns = 30 * TWR_NS_PER_SEC;
	if (parse_args(argc, argv, &f, &cfg) < 0 || twr_server_config_check(&cfg) < 0) {
		fprintf(stderr, "fake-twamp-server: bad arguments or configuration\n");
		return 2;
	}
	lfd = listen_socket(f.family, &port);
	if (lfd < 0) {
		perror("fake-twamp-server: listen");
		return 2;
	}
	emit("{\"event\": \"listening\", \"port\": %u}", port);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		serve(&f, &cfg, fd);
		if (f.once)
			break;
	}
	emit("{\"event\": \"end\"}");
	close(lfd);
	return 0;
}
