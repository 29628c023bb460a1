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
	struct twr_ping_addr dst;
	struct twr_ping_addr src; /**< len 0: the kernel picks address and port */
	int dscp;		  /**< 0-63, -1: leave the socket's default */
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
 * the source if any, connect to the destination (so that only the
 * reflector's replies and ICMP errors reach it), and make it non-blocking.
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

#endif /* TWR_PING_SOCKET_H */
