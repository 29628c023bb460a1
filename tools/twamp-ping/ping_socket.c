/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The kernel side of a test session. The socket is connected: the kernel
 * then drops datagrams from anyone but the reflector's address and port,
 * and reports ICMP errors (port unreachable) on it, which a ping user
 * wants to see rather than plain loss.
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ping_socket.h"

/* RFC 4656 §4.1.2: test packets leave with TTL / Hop Limit 255. */
#define SEND_TTL 255

int
twr_ping_resolve(const char *host, uint16_t port, int family, const char *what,
		 struct twr_ping_addr *out, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL;
	char service[8];
	int ret;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_protocol = IPPROTO_UDP;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(service, sizeof(service), "%u", port);
	ret = getaddrinfo(host, service, &hints, &res);
	if (ret != 0 || res == NULL) {
		snprintf(err, errlen, "%s %s: %s%s", what, host,
			 ret != 0 ? gai_strerror(ret) : "no address",
			 family == AF_INET    ? " (an IPv4 address is needed)"
			 : family == AF_INET6 ? " (an IPv6 address is needed)"
					      : "");
		if (res != NULL)
			freeaddrinfo(res);
		return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	memcpy(&out->ss, res->ai_addr, res->ai_addrlen);
	out->len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

const char *
twr_ping_addr_str(const struct twr_ping_addr *a, char *buf, size_t len)
{
	if (a == NULL || a->len == 0 ||
	    getnameinfo((const struct sockaddr *)&a->ss, a->len, buf, (socklen_t)len, NULL, 0,
			NI_NUMERICHOST) != 0)
		snprintf(buf, len, "?");
	return buf;
}

uint16_t
twr_ping_addr_port(const struct twr_ping_addr *a)
{
	if (a == NULL)
		return 0;
	if (a->ss.ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	if (a->ss.ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return 0;
}

/* Receive buffer asked for: room for ~0.5 s of replies at 10 kpps. */
#define RCVBUF_BYTES (4 << 20)

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

/* The IP-level options; on failure the message names what could not be set. */
static int
set_ip_options(int fd, int family, int dscp, char *err, size_t errlen)
{
	bool v6 = family == AF_INET6;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	const char *ttl_name = v6 ? "Hop Limit" : "TTL";
	int e;

	if (set_int(fd, level, v6 ? IPV6_UNICAST_HOPS : IP_TTL, SEND_TTL) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot set the %s to %d: %s", ttl_name, SEND_TTL,
			 strerror(e));
		return -e;
	}
	if (set_int(fd, level, v6 ? IPV6_RECVHOPLIMIT : IP_RECVTTL, 1) < 0) {
		e = errno;
		snprintf(err, errlen, "cannot ask for the replies' %s: %s", ttl_name, strerror(e));
		return -e;
	}
	/* The DSCP is the upper six bits of the TOS / Traffic Class octet; ECN stays 0. */
	if (dscp >= 0 && set_int(fd, level, v6 ? IPV6_TCLASS : IP_TOS, dscp << 2) < 0) {
		e = errno;
		snprintf(err, errlen, "--dscp %d: %s", dscp, strerror(e));
		return -e;
	}
	return 0;
}

void
twr_ping_addr_set_port(struct twr_ping_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
}

/*
 * --port-range: the first port of the range nobody holds, as twping's -P
 * does. Ports taken by our own earlier sessions are busy too, so several
 * sessions walk up the range.
 */
static int
bind_in_range(int fd, int family, const struct twr_ping_socket_cfg *cfg, char *err, size_t errlen)
{
	struct twr_ping_addr a;
	uint32_t port;

	if (cfg->src.len != 0) {
		a = cfg->src;
	} else {
		memset(&a, 0, sizeof(a));
		a.ss.ss_family = (sa_family_t)family;
		a.len = family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in);
	}
	for (port = cfg->port_lo; port <= cfg->port_hi; port++) {
		twr_ping_addr_set_port(&a, (uint16_t)port);
		if (bind(fd, (const struct sockaddr *)&a.ss, a.len) == 0)
			return 0;
		if (errno != EADDRINUSE && errno != EACCES) {
			snprintf(err, errlen, "--port-range: cannot bind port %u: %s", port,
				 strerror(errno));
			return -errno;
		}
	}
	snprintf(err, errlen, "--port-range %u-%u: no free port left", cfg->port_lo, cfg->port_hi);
	return -EADDRINUSE;
}

static int
bind_source(int fd, int family, const struct twr_ping_socket_cfg *cfg, char *err, size_t errlen)
{
	if (cfg->port_lo != 0)
		return bind_in_range(fd, family, cfg, err, errlen);
	if (cfg->src.len != 0 &&
	    bind(fd, (const struct sockaddr *)&cfg->src.ss, cfg->src.len) < 0) {
		snprintf(err, errlen, "--source/--source-port: cannot bind: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int
twr_ping_socket_connect(int fd, const struct twr_ping_addr *dst, struct twr_ping_addr *local,
			char *err, size_t errlen)
{
	int ret;

	if (connect(fd, (const struct sockaddr *)&dst->ss, dst->len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "ADDRESS: cannot reach it: %s", strerror(errno));
		return ret;
	}
	local->len = sizeof(local->ss);
	if (getsockname(fd, (struct sockaddr *)&local->ss, &local->len) < 0)
		local->len = 0;
	return 0;
}

int
twr_ping_socket_open(const struct twr_ping_socket_cfg *cfg, bool *kernel_ts,
		     struct twr_ping_addr *local, char *err, size_t errlen)
{
	int family = cfg->dst.len != 0 ? cfg->dst.ss.ss_family : cfg->src.ss.ss_family;
	int fd, ret, flags;

	if (cfg->dst.len == 0 && cfg->src.len == 0) {
		snprintf(err, errlen, "a test socket needs a destination or a source address");
		return -EINVAL;
	}

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open a UDP socket: %s", strerror(errno));
		return ret;
	}
	ret = set_ip_options(fd, family, cfg->dscp, err, errlen);
	if (ret < 0)
		goto fail;
	/*
	 * Replies queue up while this process is descheduled: at 10 kpps a
	 * 35 ms stall overflows the default 212 KB buffer, and that loss would
	 * be ours, not the network's. Best effort: the kernel caps it at
	 * rmem_max (SO_RCVBUFFORCE needs CAP_NET_ADMIN, tried first).
	 */
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, RCVBUF_BYTES) < 0)
		(void)set_int(fd, SOL_SOCKET, SO_RCVBUF, RCVBUF_BYTES);
	/* Without kernel stamps T4 includes our wake-up latency: say so in the report. */
	*kernel_ts = set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1) == 0;
	ret = bind_source(fd, family, cfg, err, errlen);
	if (ret < 0)
		goto fail;
	if (cfg->dst.len != 0) {
		ret = twr_ping_socket_connect(fd, &cfg->dst, local, err, errlen);
		if (ret < 0)
			goto fail;
	} else {
		/* Bound, not connected: the port to put in a Request-TW-Session is known. */
		local->len = sizeof(local->ss);
		if (getsockname(fd, (struct sockaddr *)&local->ss, &local->len) < 0)
			local->len = 0;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot make the socket non-blocking: %s", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}

/* Ancillary data of one datagram: a timestamp and a TTL, with room to spare. */
union cmsg_space {
	char buf[CMSG_SPACE(sizeof(struct timespec)) + 2 * CMSG_SPACE(sizeof(int)) + 64];
	struct cmsghdr align;
};

static void
read_cmsgs(struct msghdr *msg, struct timespec *t4, bool *have_t4, int *ttl)
{
	struct cmsghdr *c;
	int v;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(*t4))) {
			memcpy(t4, CMSG_DATA(c), sizeof(*t4));
			*have_t4 = true;
		} else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
			    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) &&
			   c->cmsg_len >= CMSG_LEN(sizeof(v))) {
			memcpy(&v, CMSG_DATA(c), sizeof(v));
			*ttl = v;
		}
	}
}

ssize_t
twr_ping_socket_recv(int fd, uint8_t *buf, size_t cap, struct timespec *t4, int *ttl)
{
	union cmsg_space cbuf;
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	struct msghdr msg;
	bool have_t4 = false;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	n = recvmsg(fd, &msg, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	*ttl = -1;
	read_cmsgs(&msg, t4, &have_t4, ttl);
	if (!have_t4)
		clock_gettime(CLOCK_REALTIME, t4);
	return n > (ssize_t)cap ? (ssize_t)cap : n;
}
