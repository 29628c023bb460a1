/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control over a kernel TCP socket, without threads: a non-blocking
 * socket and poll() with the time left until the deadline of the whole
 * message, so that a server trickling octets cannot stretch a timeout.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "twr_time.h"

#include "ping_ctrl_io.h"

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * TWR_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static double
seconds(uint64_t ns)
{
	return (double)ns / 1e9;
}

/*
 * Wait for @p events until @p deadline (monotonic ns).
 * @return 1 ready; 0 timed out; -errno.
 */
static int
wait_until(int fd, short events, uint64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	uint64_t now, left_ms;
	int ret;

	for (;;) {
		now = mono_ns();
		if (now >= deadline)
			return 0;
		/* Round up: a 0 ms poll would spin through the last millisecond. */
		left_ms = (deadline - now + 999999) / 1000000;
		ret = poll(&p, 1, left_ms > 60000 ? 60000 : (int)left_ms);
		if (ret > 0)
			return 1;
		if (ret < 0 && errno != EINTR)
			return -errno;
	}
}

int
twr_ping_ctrl_connect(const struct twr_ping_addr *server, const struct twr_ping_addr *source,
		      uint64_t timeout_ns, struct twr_ping_addr *local, char *err, size_t errlen)
{
	int fd, ret, soerr = 0;
	socklen_t len = sizeof(soerr);

	fd = socket(server->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "cannot open a TCP socket: %s", strerror(errno));
		return ret;
	}
	if (source != NULL && source->len != 0 &&
	    bind(fd, (const struct sockaddr *)&source->ss, source->len) < 0) {
		ret = -errno;
		snprintf(err, errlen, "--source: cannot bind the control connection: %s",
			 strerror(errno));
		goto fail;
	}
	if (connect(fd, (const struct sockaddr *)&server->ss, server->len) < 0 &&
	    errno != EINPROGRESS) {
		ret = -errno;
		snprintf(err, errlen, "cannot connect: %s", strerror(errno));
		goto fail;
	}
	ret = wait_until(fd, POLLOUT, mono_ns() + timeout_ns);
	if (ret == 0) {
		ret = -ETIMEDOUT;
		snprintf(err, errlen,
			 "no answer to the connection within %.3g s (--control-timeout)",
			 seconds(timeout_ns));
		goto fail;
	}
	if (ret > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr != 0)
		ret = -soerr;
	if (ret < 0) {
		snprintf(err, errlen, "cannot connect: %s", strerror(-ret));
		goto fail;
	}
	local->len = sizeof(local->ss);
	if (getsockname(fd, (struct sockaddr *)&local->ss, &local->len) < 0)
		local->len = 0;
	return fd;
fail:
	close(fd);
	return ret;
}

int
twr_ping_ctrl_read(int fd, uint8_t *buf, size_t len, uint64_t timeout_ns, const char *what,
		   char *err, size_t errlen)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	size_t got = 0;
	ssize_t n;
	int ret;

	while (got < len) {
		n = recv(fd, buf + got, len - got, 0);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0) {
			snprintf(err, errlen,
				 "the server closed the control connection while we waited for "
				 "%s (%zu of %zu octets received)",
				 what, got, len);
			return -ECONNRESET;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			ret = -errno;
			snprintf(err, errlen, "reading %s: %s", what, strerror(errno));
			return ret;
		}
		ret = wait_until(fd, POLLIN, deadline);
		if (ret < 0) {
			snprintf(err, errlen, "waiting for %s: %s", what, strerror(-ret));
			return ret;
		}
		if (ret == 0) {
			if (got == 0)
				snprintf(err, errlen,
					 "no %s from the server within %.3g s "
					 "(--control-timeout)",
					 what, seconds(timeout_ns));
			else
				snprintf(err, errlen,
					 "only %zu of the %zu octets of %s arrived "
					 "within %.3g s (--control-timeout)",
					 got, len, what, seconds(timeout_ns));
			return -ETIMEDOUT;
		}
	}
	return 0;
}

int
twr_ping_ctrl_write(int fd, const uint8_t *buf, size_t len, uint64_t timeout_ns, const char *what,
		    char *err, size_t errlen)
{
	uint64_t deadline = mono_ns() + timeout_ns;
	size_t sent = 0;
	ssize_t n;
	int ret;

	while (sent < len) {
		/* MSG_NOSIGNAL: a server that closed gives EPIPE here, not a SIGPIPE. */
		n = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);
		if (n >= 0) {
			sent += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			ret = -errno;
			snprintf(err, errlen, "sending %s: %s", what, strerror(errno));
			return ret;
		}
		ret = wait_until(fd, POLLOUT, deadline);
		if (ret <= 0) {
			snprintf(err, errlen, "sending %s: %s", what,
				 ret == 0 ? "the server does not read (--control-timeout)"
					  : strerror(-ret));
			return ret == 0 ? -ETIMEDOUT : ret;
		}
	}
	return 0;
}
