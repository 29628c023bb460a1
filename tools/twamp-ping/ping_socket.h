/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_SOCKET_H
#define TWR_PING_SOCKET_H

/**
 * @file
 * The kernel UDP socket of a test session: address resolution, the
 * socket options a Session-Sender needs (TTL 255, DSCP, receive TTL,
 * kernel receive timestamps), and a receive that returns the payload
 * with its T4 and TTL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

/** A socket address with its length. */
struct twr_ping_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/** How to open a test socket. */
struct twr_ping_socket_cfg {
	/** len 0: connected later by twr_ping_socket_connect() (the port is negotiated) */
	struct twr_ping_addr dst;
	struct twr_ping_addr src; /**< len 0: the kernel picks address and port */
	/**
	 * Non-zero: bind to the first free port of port_lo..port_hi, on src's
	 * address (the wildcard when src.len is 0); src's port is then ignored.
	 */
	uint16_t port_lo;
	uint16_t port_hi;
	int dscp; /**< 0-63, -1: leave the socket's default */
};

/**
 * Resolve @p host (name or literal) and @p port into @p out.
 * @param family  AF_UNSPEC, AF_INET or AF_INET6.
 * @param what    the option or operand named in messages ("ADDRESS", "--source").
 * @param err     receives a message on failure.
 * @return 0; -EINVAL (message in @p err).
 */
int twr_ping_resolve(const char *host, uint16_t port, int family, const char *what,
		     struct twr_ping_addr *out, char *err, size_t errlen);

/**
 * Open a UDP socket, set TTL/Hop Limit 255 (RFC 4656 §4.1.2), the DSCP,
 * reception of the reply's TTL and of kernel receive timestamps, bind to
 * the source or the port range if any, connect to the destination when
 * there is one (so that only the reflector's replies and ICMP errors reach
 * it), and make it non-blocking. The family is the destination's, or the
 * source's when the destination is not known yet (one of the two is
 * needed: -EINVAL).
 *
 * @param kernel_ts  set when the kernel stamps received packets
 *   (SO_TIMESTAMPNS); otherwise T4 is read after recvmsg().
 * @param local      the bound local address, for the report.
 * @param err        receives a message naming the option at fault.
 * @return the descriptor; -errno (message in @p err).
 */
int twr_ping_socket_open(const struct twr_ping_socket_cfg *cfg, bool *kernel_ts,
			 struct twr_ping_addr *local, char *err, size_t errlen);

/**
 * Connect an open socket to @p dst (the port a TWAMP server accepted) and
 * read back the local address, which the kernel may only now fix.
 * @return 0; -errno (message in @p err).
 */
int twr_ping_socket_connect(int fd, const struct twr_ping_addr *dst, struct twr_ping_addr *local,
			    char *err, size_t errlen);

/**
 * Receive one datagram without blocking.
 * @param t4   its receive time (CLOCK_REALTIME, from the kernel when it stamped it).
 * @param ttl  its TTL/Hop Limit, -1 when the kernel did not say.
 * @return its length (octets beyond @p cap are dropped); -EAGAIN when
 *   none is queued; another -errno (-ECONNREFUSED: an ICMP error arrived).
 */
ssize_t twr_ping_socket_recv(int fd, uint8_t *buf, size_t cap, struct timespec *t4, int *ttl);

/**
 * Format the address of @p a as text, without the port (numeric, IPv6 scope kept).
 * @return @p buf; "?" in it when the address cannot be formatted.
 */
const char *twr_ping_addr_str(const struct twr_ping_addr *a, char *buf, size_t len);

/** The port of @p a in host order; 0 for an unknown family. */
uint16_t twr_ping_addr_port(const struct twr_ping_addr *a);

/** Set the port of an IPv4 or IPv6 @p a (host order @p port). */
void twr_ping_addr_set_port(struct twr_ping_addr *a, uint16_t port);

#endif /* TWR_PING_SOCKET_H */
