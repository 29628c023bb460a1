/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control server I/O: listening sockets, connections, epoll, the
 * glue between the sockets, the lib/proto state machines and the session
 * manager. See twr_ctl_server.h.
 */

/* accept4() */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_log.h>

#include "twr_ctl_server.h"
#include "twr_session_mgr.h"
#include "twr_time.h"

RTE_LOG_REGISTER(twr_ctl_server_logtype, user.twamp.ctl, INFO);

#define CTL_LOG(level, fmt, ...)                                                                   \
	rte_log(RTE_LOG_##level, twr_ctl_server_logtype, "ctl: " fmt "\n", ##__VA_ARGS__)

#define NS_PER_MS	  1000000ull
#define MAX_EVENTS	  64
#define ACCEPT_BATCH	  32	/* connections accepted per listener per poll */
#define RX_BUDGET	  65536 /* octets read per connection per poll: fairness */
#define LISTEN_BACKLOG	  128
#define REFUSAL_LOG_PER_S 10 /* refusal lines per second, at most (floods) */
#define KEEPALIVE_IDLE_S  60
#define KEEPALIVE_INTVL_S 10
#define KEEPALIVE_CNT	  6
#define ADDR_STR_LEN	  (INET6_ADDRSTRLEN + 8)
#define REFUSED_GREET_CNT 1024		    /* smallest legal Count, in the Modes 0 greeting */
#define ACCEPT_PAUSE_NS	  (100 * NS_PER_MS) /* after EMFILE/ENFILE/ENOBUFS/ENOMEM */

enum ctl_kind {
	KIND_LISTENER = 1,
	KIND_CONN = 2,
};

struct ctl_listener {
	uint8_t kind; /* first: the epoll data points here */
	int fd;
	uint8_t ipvn;
	uint16_t port;
	uint64_t paused_until_ns; /* out of descriptors: not polled until then (0: polled) */
};

enum conn_state {
	CONN_OPEN,     /* the state machine runs */
	CONN_DRAINING, /* CLOSE received: sending what is queued */
	CONN_LINGER,   /* write side shut: waiting for the peer's FIN */
};

struct ctl_conn {
	uint8_t kind; /* first: the epoll data points here */
	int fd;
	TAILQ_ENTRY(ctl_conn) next;
	uint64_t id;
	struct twr_server_conn *sc;
	struct twr_session_mgr_conn *mc;
	struct twr_conn_addrs addrs;
	enum conn_state state;
	enum twr_server_reason reason; /* of the CLOSE */
	uint32_t events;	       /* epoll interest registered */
	uint64_t timer_ns; /* OPEN: state machine deadline; else the drain/linger bound */
	uint64_t opened_ns;
	int dscp; /* of the client's SYN, mirrored (RFC 5357 §3.1); -1: unknown */
};

TAILQ_HEAD(ctl_conn_list, ctl_conn);

struct twr_ctl_server {
	struct twr_ctl_server_config cfg;
	struct twr_session_mgr *mgr;
	int epfd;
	unsigned int nb_listeners;
	struct ctl_listener listeners[TWR_CTL_SERVER_MAX_BINDS * 2];
	struct ctl_conn_list conns;
	uint64_t next_id;
	uint64_t next_timer_ns; /* no connection timer is earlier */
	uint64_t next_refwait_ns;
	uint64_t now_ntp; /* wall clock of this poll, for SIDs */
	uint64_t refusal_log_s;
	unsigned int refusal_logs;
	struct twr_ctl_server_stats st;
};

void
twr_ctl_server_config_defaults(struct twr_ctl_server_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->port = 862;
	twr_server_config_defaults(&cfg->proto);
	cfg->drain_ms = 2000;
	cfg->linger_ms = 1000;
	cfg->refwait_report_ms = 1000;
}

/* ---- addresses ---- */

static void
sockaddr_split(const struct sockaddr_storage *ss, uint8_t *ipvn, uint8_t addr[16], uint16_t *port)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};

	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		*ipvn = 4;
		memcpy(addr, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	} else if (memcmp(&s6->sin6_addr, mapped, 12) == 0) {
		*ipvn = 4; /* a dual-stack socket's IPv4 peer (not ours: V6ONLY) */
		memcpy(addr, (const uint8_t *)&s6->sin6_addr + 12, 4);
		*port = ntohs(s6->sin6_port);
	} else {
		*ipvn = 6;
		memcpy(addr, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	}
}

static const char *
addr_str(uint8_t ipvn, const uint8_t *a, uint16_t port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(ipvn == 4 ? AF_INET : AF_INET6, a, ip, sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, len, ipvn == 4 ? "%s:%u" : "[%s]:%u", ip, port);
	return buf;
}

/* ---- connections ---- */

static void
conn_interest(struct twr_ctl_server *srv, struct ctl_conn *c, uint32_t events)
{
	struct epoll_event ev;

	if (events == c->events)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.ptr = c;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = events;
}

static void
conn_finish(struct twr_ctl_server *srv, struct ctl_conn *c, uint64_t now_ns)
{
	const struct twr_server_conn_stats *cs = twr_server_conn_stats(c->sc);
	char peer[ADDR_STR_LEN];

	epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	CTL_LOG(INFO,
		"connection %" PRIu64 " from %s closed: %s (%.1f s, %" PRIu64 " requests, %" PRIu64
		" accepted, %" PRIu64 " started)",
		c->id,
		addr_str(c->addrs.ipvn, c->addrs.peer, c->addrs.peer_port, peer, sizeof(peer)),
		twr_server_reason_str(c->reason), (double)(now_ns - c->opened_ns) / 1e9,
		cs != NULL ? cs->requests : 0, cs != NULL ? cs->accepted : 0,
		cs != NULL ? cs->started : 0);
	twr_session_mgr_conn_close(srv->mgr, c->mc, c->reason);
	twr_server_conn_destroy(c->sc);
	TAILQ_REMOVE(&srv->conns, c, next);
	srv->st.conns--;
	srv->st.closed++;
	free(c);
}

/* Apply the state machine's actions; a CLOSE starts the drain. */
static void
conn_actions(struct twr_ctl_server *srv, struct ctl_conn *c, uint64_t now_ns)
{
	struct twr_server_action a;

	while (twr_server_conn_action_pop(c->sc, &a) == 0) {
		if (a.type == TWR_ACT_CLOSE) {
			if (c->state == CONN_OPEN) {
				c->state = CONN_DRAINING;
				c->reason = a.reason;
				c->timer_ns = now_ns + (uint64_t)srv->cfg.drain_ms * NS_PER_MS;
			}
		} else if (a.type != TWR_ACT_TIMER) {
			/* TIMER: the deadline is read back with twr_server_conn_deadline() */
			twr_session_mgr_apply(srv->mgr, c->mc, &a, now_ns);
		}
	}
}

/* Write the send queue. @return 0 all sent, 1 the socket is full, negative errno. */
static int
conn_flush(struct twr_ctl_server *srv, struct ctl_conn *c)
{
	const uint8_t *d;
	size_t n;
	ssize_t r;

	while ((n = twr_server_conn_tx_peek(c->sc, &d)) > 0) {
		r = send(c->fd, d, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r > 0) {
			twr_server_conn_tx_consume(c->sc, (size_t)r);
			srv->st.bytes_out += (uint64_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 1;
		return r < 0 ? -errno : -EIO;
	}
	return 0;
}

/*
 * After anything happened to @p c: actions first (a START is published
 * before its Start-Ack leaves), then send, then the state transitions.
 * @return false when the connection was closed and freed.
 */
static bool
conn_step(struct twr_ctl_server *srv, struct ctl_conn *c, uint64_t now_ns)
{
	int ret = 0;

	conn_actions(srv, c, now_ns);
	if (c->state != CONN_LINGER)
		ret = conn_flush(srv, c);
	if (ret < 0) {
		srv->st.io_errors++;
		if (c->state == CONN_OPEN) {
			/* nobody to talk to: sessions removed as when the peer closes */
			twr_server_conn_eof(c->sc, now_ns);
			conn_actions(srv, c, now_ns);
		}
		conn_finish(srv, c, now_ns);
		return false;
	}
	if (c->state == CONN_DRAINING && ret == 0) {
		/* FIN after our last octet; wait for the peer's so no reset destroys it */
		shutdown(c->fd, SHUT_WR);
		c->state = CONN_LINGER;
		c->timer_ns = now_ns + (uint64_t)srv->cfg.linger_ms * NS_PER_MS;
	}
	if (c->state == CONN_OPEN) {
		c->timer_ns = twr_server_conn_deadline(c->sc);
		conn_interest(srv, c, EPOLLIN | EPOLLRDHUP | (ret == 1 ? EPOLLOUT : 0));
	} else if (c->state == CONN_DRAINING) {
		conn_interest(srv, c, EPOLLOUT);
	} else {
		conn_interest(srv, c, EPOLLIN | EPOLLRDHUP);
	}
	if (c->timer_ns < srv->next_timer_ns)
		srv->next_timer_ns = c->timer_ns;
	return true;
}

/* Read what arrived and feed it to the state machine (OPEN), or discard it (LINGER). */
static bool
conn_read(struct twr_ctl_server *srv, struct ctl_conn *c, uint64_t now_ns)
{
	uint8_t buf[4096];
	size_t budget = RX_BUDGET;
	ssize_t r;

	while (budget > 0 && c->state != CONN_DRAINING) {
		r = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (r > 0)
			budget -= (size_t)r < budget ? (size_t)r : budget;
		if (c->state == CONN_LINGER) {
			if (r > 0)
				continue; /* too late: the connection is over */
			conn_finish(srv, c, now_ns);
			return false;
		}
		if (r <= 0) {
			if (r < 0)
				srv->st.io_errors++;
			twr_server_conn_eof(c->sc, now_ns);
			conn_actions(srv, c, now_ns);
			if (r < 0) {
				/* reset: nothing can be sent any more */
				conn_finish(srv, c, now_ns);
				return false;
			}
			break;
		}
		srv->st.bytes_in += (uint64_t)r;
		twr_server_conn_input(c->sc, buf, (size_t)r, now_ns, srv->now_ntp);
		conn_actions(srv, c, now_ns);
	}
	return true;
}

static bool
refusal_log_ok(struct twr_ctl_server *srv, uint64_t now_ns)
{
	uint64_t s = now_ns / 1000000000ull;

	if (s != srv->refusal_log_s) {
		srv->refusal_log_s = s;
		srv->refusal_logs = 0;
	}
	return srv->refusal_logs++ < REFUSAL_LOG_PER_S;
}

/* Over a limit: a Server-Greeting with Modes 0 (RFC 4656 §3.1: no service), then close. */
static void
conn_refuse(struct twr_ctl_server *srv, int fd, const struct twr_conn_addrs *a, int err,
	    uint64_t now_ns)
{
	struct twr_server_greeting g;
	uint8_t buf[TWR_SERVER_GREETING_LEN];
	char peer[ADDR_STR_LEN];

	memset(&g, 0, sizeof(g));
	g.count = REFUSED_GREET_CNT;
	if (twr_server_greeting_encode(&g, buf, sizeof(buf)) == (ssize_t)sizeof(buf) &&
	    send(fd, buf, sizeof(buf), MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
		srv->st.bytes_out += sizeof(buf);
	close(fd);
	srv->st.refused++;
	if (refusal_log_ok(srv, now_ns))
		CTL_LOG(NOTICE, "connection from %s refused: %s",
			addr_str(a->ipvn, a->peer, a->peer_port, peer, sizeof(peer)),
			err == -ENOSPC	 ? "connection limit"
			: err == -EUSERS ? "per-source connection limit"
					 : strerror(-err));
}

static void
sock_tune(int fd)
{
	int one = 1, idle = KEEPALIVE_IDLE_S, intvl = KEEPALIVE_INTVL_S, cnt = KEEPALIVE_CNT;

	/* control messages are small and answered at once: no Nagle delay on Start-Ack */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/*
	 * The connection is silent while sessions run (SERVWAIT suspended):
	 * keepalives find a vanished client, whose sessions are then removed,
	 * and keep a NAT's TCP mapping alive (digest §6.3).
	 */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
}

/*
 * RFC 5357 §3.1: the Server uses the DSCP of the Control-Client's SYN in
 * every packet of the connection after it. The listener saved the SYN's
 * headers (TCP_SAVE_SYN); read its IP header, set our TOS / Traffic
 * Class to its DSCP (ECN left to TCP).
 * @return the DSCP, or -1 when the kernel kept no SYN.
 */
static int
syn_dscp_mirror(int fd, uint8_t ipvn)
{
	uint8_t syn[256];
	socklen_t len = sizeof(syn);
	int dscp, tos;

	if (getsockopt(fd, IPPROTO_TCP, TCP_SAVED_SYN, syn, &len) < 0 || len < 2)
		return -1;
	if (ipvn == 4 && (syn[0] >> 4) == 4)
		dscp = syn[1] >> 2;
	else if (ipvn == 6 && (syn[0] >> 4) == 6)
		dscp = (((syn[0] & 0x0f) << 4) | (syn[1] >> 4)) >> 2;
	else
		return -1;
	tos = dscp << 2;
	if (ipvn == 4)
		setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	return dscp;
}

static void
conn_new(struct twr_ctl_server *srv, int fd, const struct sockaddr_storage *peer, uint64_t now_ns)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	struct twr_session_mgr_conn *mc;
	struct twr_conn_addrs a;
	struct epoll_event ev;
	struct ctl_conn *c;
	char ps[ADDR_STR_LEN], ls[ADDR_STR_LEN];
	int ret;

	memset(&a, 0, sizeof(a));
	if (getsockname(fd, (struct sockaddr *)&local, &len) < 0) {
		srv->st.accept_errors++;
		close(fd);
		return;
	}
	sockaddr_split(peer, &a.ipvn, a.peer, &a.peer_port);
	sockaddr_split(&local, &a.ipvn, a.local, &a.local_port);
	ret = twr_session_mgr_conn_open(srv->mgr, &a, &mc);
	if (ret < 0) {
		conn_refuse(srv, fd, &a, ret, now_ns);
		return;
	}
	sock_tune(fd);
	c = calloc(1, sizeof(*c));
	if (c != NULL)
		c->sc = twr_server_conn_create(&srv->cfg.proto, twr_session_mgr_server_ops(), mc,
					       &a, now_ns);
	if (c == NULL || c->sc == NULL) {
		CTL_LOG(ERR, "connection from %s: %s",
			addr_str(a.ipvn, a.peer, a.peer_port, ps, sizeof(ps)), strerror(errno));
		twr_session_mgr_conn_close(srv->mgr, mc, TWR_REASON_NO_MEMORY);
		free(c);
		close(fd);
		return;
	}
	twr_session_mgr_conn_attach(mc, c->sc);
	c->kind = KIND_CONN;
	c->fd = fd;
	c->mc = mc;
	c->addrs = a;
	c->state = CONN_OPEN;
	c->id = ++srv->next_id;
	c->opened_ns = now_ns;
	c->dscp = syn_dscp_mirror(fd, a.ipvn);
	c->events = EPOLLIN | EPOLLRDHUP;
	memset(&ev, 0, sizeof(ev));
	ev.events = c->events;
	ev.data.ptr = c;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		twr_session_mgr_conn_close(srv->mgr, mc, TWR_REASON_NO_MEMORY);
		twr_server_conn_destroy(c->sc);
		free(c);
		close(fd);
		srv->st.accept_errors++;
		return;
	}
	TAILQ_INSERT_TAIL(&srv->conns, c, next);
	srv->st.conns++;
	CTL_LOG(INFO, "connection %" PRIu64 " from %s to %s open", c->id,
		addr_str(a.ipvn, a.peer, a.peer_port, ps, sizeof(ps)),
		addr_str(a.ipvn, a.local, a.local_port, ls, sizeof(ls)));
	conn_step(srv, c, now_ns); /* the Server-Greeting */
}

/*
 * Out of descriptors (or memory): the pending connection stays readable, so
 * a level-triggered listener would wake every poll and keep the control
 * lcore from sleeping. Leave it out of the epoll set for a while; the
 * kernel keeps the connections in its backlog meanwhile.
 */
static void
listener_pause(struct twr_ctl_server *srv, struct ctl_listener *l, uint64_t now_ns)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.data.ptr = l;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, l->fd, &ev) == 0)
		l->paused_until_ns = now_ns + ACCEPT_PAUSE_NS;
}

static int
listeners_resume(struct twr_ctl_server *srv, uint64_t now_ns)
{
	struct epoll_event ev;
	unsigned int i;
	int n = 0;

	for (i = 0; i < srv->nb_listeners; i++) {
		struct ctl_listener *l = &srv->listeners[i];

		if (l->paused_until_ns == 0 || now_ns < l->paused_until_ns)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = l;
		if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, l->fd, &ev) == 0)
			l->paused_until_ns = 0;
		n++;
	}
	return n;
}

static int
listener_accept(struct twr_ctl_server *srv, struct ctl_listener *l, uint64_t now_ns)
{
	struct sockaddr_storage peer;
	socklen_t len;
	int fd, n;

	for (n = 0; n < ACCEPT_BATCH; n++) {
		len = sizeof(peer);
		fd = accept4(l->fd, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				srv->st.accept_errors++;
				listener_pause(srv, l, now_ns);
			}
			break;
		}
		srv->st.accepted++;
		conn_new(srv, fd, &peer, now_ns);
	}
	return n;
}

/* ---- timers ---- */

static int
timers_run(struct twr_ctl_server *srv, uint64_t now_ns)
{
	struct ctl_conn *c, *nx;
	int n = 0;

	if (now_ns < srv->next_timer_ns)
		return 0;
	srv->next_timer_ns = UINT64_MAX;
	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = nx) {
		nx = TAILQ_NEXT(c, next);
		if (c->timer_ns <= now_ns) {
			n++;
			if (c->state == CONN_OPEN) {
				twr_server_conn_timer(c->sc, now_ns);
				if (!conn_step(srv, c, now_ns))
					continue;
			} else {
				if (c->state == CONN_DRAINING)
					srv->st.drain_timeouts++;
				conn_finish(srv, c, now_ns);
				continue;
			}
		}
		if (c->timer_ns < srv->next_timer_ns)
			srv->next_timer_ns = c->timer_ns;
	}
	return n;
}

static int
refwait_run(struct twr_ctl_server *srv, uint64_t now_ns)
{
	struct ctl_conn *c, *nx;
	int n = 0;

	if (now_ns < srv->next_refwait_ns)
		return 0;
	srv->next_refwait_ns = now_ns + (uint64_t)srv->cfg.refwait_report_ms * NS_PER_MS;
	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = nx) {
		nx = TAILQ_NEXT(c, next);
		if (c->state == CONN_OPEN &&
		    twr_session_mgr_conn_refwait(srv->mgr, c->mc, now_ns) > 0) {
			n++;
			conn_step(srv, c, now_ns);
		}
	}
	return n;
}

/* ---- poll ---- */

static uint64_t
wall_ntp(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return twr_ntp_from_timespec(&ts);
}

int
twr_ctl_server_poll(struct twr_ctl_server *srv, uint64_t now_ns)
{
	struct epoll_event evs[MAX_EVENTS];
	int i, n, work;

	if (srv == NULL)
		return -EINVAL;
	n = epoll_wait(srv->epfd, evs, MAX_EVENTS, 0);
	work = n > 0 ? n : 0;
	if (n > 0)
		srv->now_ntp = wall_ntp();
	for (i = 0; i < n; i++) {
		uint8_t kind = *(const uint8_t *)evs[i].data.ptr;
		struct ctl_conn *c = evs[i].data.ptr;

		if (kind == KIND_LISTENER) {
			listener_accept(srv, evs[i].data.ptr, now_ns);
			continue;
		}
		if ((evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0 &&
		    !conn_read(srv, c, now_ns))
			continue;
		conn_step(srv, c, now_ns);
	}
	work += timers_run(srv, now_ns);
	work += refwait_run(srv, now_ns);
	work += listeners_resume(srv, now_ns);
	work += twr_session_mgr_poll(srv->mgr);
	return work;
}

/* ---- lifecycle ---- */

static int
listener_open(struct twr_ctl_server *srv, int family, const uint8_t *addr)
{
	struct ctl_listener *l = &srv->listeners[srv->nb_listeners];
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = family == AF_INET ? sizeof(*s4) : sizeof(*s6);
	struct epoll_event ev;
	int one = 1, fd, ret;
	char as[ADDR_STR_LEN];
	uint8_t ipvn;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		memcpy(&s4->sin_addr, addr, 4);
		s4->sin_port = htons(srv->cfg.port);
	} else {
		memcpy(&s6->sin6_addr, addr, 16);
		s6->sin6_port = htons(srv->cfg.port);
	}
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* our restarts must not wait for TIME_WAIT; FREEBIND: the TAP may get the address later */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_IP, IP_FREEBIND, &one, sizeof(one)) < 0 ||
	    (family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    /* keep each client's SYN: its DSCP is mirrored (syn_dscp_mirror()) */
	    setsockopt(fd, IPPROTO_TCP, TCP_SAVE_SYN, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, LISTEN_BACKLOG) < 0)
		goto fail;
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		goto fail;
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = l;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		goto fail;
	l->kind = KIND_LISTENER;
	l->fd = fd;
	l->ipvn = family == AF_INET ? 4 : 6;
	l->port = ntohs(family == AF_INET ? s4->sin_port : s6->sin6_port);
	srv->nb_listeners++;
	srv->st.listeners++;
	CTL_LOG(INFO, "TWAMP-Control listening on %s",
		addr_str(l->ipvn, addr, l->port, as, sizeof(as)));
	return 0;
fail:
	ret = -errno;
	if (fd >= 0)
		close(fd);
	ipvn = family == AF_INET ? 4 : 6;
	CTL_LOG(ERR, "cannot listen on %s: %s", addr_str(ipvn, addr, srv->cfg.port, as, sizeof(as)),
		strerror(-ret));
	srv->st.listen_errors++;
	return ret;
}

static void
listeners_open(struct twr_ctl_server *srv)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
	static const uint8_t any[16];
	unsigned int i;

	if (srv->cfg.nb_binds == 0) {
		listener_open(srv, AF_INET, any);
		listener_open(srv, AF_INET6, any);
		return;
	}
	for (i = 0; i < srv->cfg.nb_binds; i++) {
		const uint8_t *a = srv->cfg.binds[i];

		if (memcmp(a, mapped, 12) == 0)
			listener_open(srv, AF_INET, a + 12);
		else
			listener_open(srv, AF_INET6, a);
	}
}

struct twr_ctl_server *
twr_ctl_server_create(const struct twr_ctl_server_config *cfg, struct twr_session_mgr *mgr)
{
	struct twr_ctl_server *srv;

	if (cfg == NULL || mgr == NULL || cfg->nb_binds > TWR_CTL_SERVER_MAX_BINDS ||
	    twr_server_config_check(&cfg->proto) < 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	srv->cfg = *cfg;
	srv->mgr = mgr;
	if (srv->cfg.refwait_report_ms == 0)
		srv->cfg.refwait_report_ms = 1000;
	/* RFC 4656 §3.1: when this server instance started, the same for every client */
	if (srv->cfg.proto.start_time == 0)
		srv->cfg.proto.start_time = wall_ntp();
	srv->next_timer_ns = UINT64_MAX;
	TAILQ_INIT(&srv->conns);
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (srv->epfd < 0) {
		rte_errno = errno;
		free(srv);
		return NULL;
	}
	listeners_open(srv);
	return srv;
}

void
twr_ctl_server_shutdown(struct twr_ctl_server *srv)
{
	struct ctl_conn *c;
	uint64_t now_ns;
	unsigned int i;

	if (srv == NULL)
		return;
	now_ns = twr_clock_ns(CLOCK_MONOTONIC);
	while ((c = TAILQ_FIRST(&srv->conns)) != NULL) {
		if (c->state == CONN_OPEN)
			twr_server_conn_close(c->sc, TWR_REASON_LOCAL_CLOSE);
		conn_actions(srv, c, now_ns);
		conn_flush(srv, c); /* best effort: the last message may still leave */
		conn_finish(srv, c, now_ns);
	}
	for (i = 0; i < srv->nb_listeners; i++) {
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, srv->listeners[i].fd, NULL);
		close(srv->listeners[i].fd);
	}
	srv->nb_listeners = 0;
	srv->st.listeners = 0;
}

void
twr_ctl_server_free(struct twr_ctl_server *srv)
{
	if (srv == NULL)
		return;
	twr_ctl_server_shutdown(srv);
	close(srv->epfd);
	free(srv);
}

uint16_t
twr_ctl_server_port(const struct twr_ctl_server *srv, uint8_t ipvn)
{
	unsigned int i;

	if (srv == NULL)
		return 0;
	for (i = 0; i < srv->nb_listeners; i++)
		if (srv->listeners[i].ipvn == ipvn)
			return srv->listeners[i].port;
	return 0;
}

int
twr_ctl_server_stats_get(const struct twr_ctl_server *srv, struct twr_ctl_server_stats *st)
{
	if (srv == NULL || st == NULL)
		return -EINVAL;
	*st = srv->st;
	return 0;
}

int
twr_ctl_server_conn_foreach(const struct twr_ctl_server *srv, uint64_t now_ns, twr_ctl_conn_cb cb,
			    void *arg)
{
	static const char *const sm_states[] = {
		[TWR_SRV_WAIT_SETUP] = "setup",
		[TWR_SRV_IDLE] = "idle",
		[TWR_SRV_TESTING] = "testing",
		[TWR_SRV_CLOSED] = "closed",
	};
	const struct ctl_conn *c;
	struct twr_ctl_conn_info info;
	unsigned int i, st;
	int ret;

	if (srv == NULL || cb == NULL)
		return -EINVAL;
	for (c = TAILQ_FIRST(&srv->conns); c != NULL; c = TAILQ_NEXT(c, next)) {
		const struct twr_server_conn_stats *cs =
			c->sc != NULL ? twr_server_conn_stats(c->sc) : NULL;

		memset(&info, 0, sizeof(info));
		info.id = c->id;
		info.addrs = c->addrs;
		if (c->state == CONN_DRAINING)
			info.state = "draining";
		else if (c->state == CONN_LINGER)
			info.state = "linger";
		else if (c->sc == NULL)
			info.state = "closed";
		else {
			st = (unsigned int)twr_server_conn_state(c->sc);
			info.state = st < RTE_DIM(sm_states) ? sm_states[st] : "?";
		}
		info.sessions = twr_session_mgr_conn_nb_sessions(c->mc);
		if (cs != NULL) {
			info.requests = cs->requests;
			info.accepted = cs->accepted;
			for (i = 1; i < RTE_DIM(cs->refused); i++)
				info.refused += cs->refused[i];
			info.sender_not_peer = cs->sender_not_peer;
		}
		info.age_ns = now_ns > c->opened_ns ? now_ns - c->opened_ns : 0;
		info.dscp = c->dscp;
		ret = cb(&info, arg);
		if (ret != 0)
			return ret;
	}
	return 0;
}
