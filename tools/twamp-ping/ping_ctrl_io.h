/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_CTRL_IO_H
#define TWR_PING_CTRL_IO_H

/**
 * @file
 * The TCP side of the TWAMP-Control client: connect, read exactly one
 * message, write one message, each bounded by a timeout. A server may
 * stay silent (twampd sends nothing for some refused requests, digest
 * §8), so no call may block without a bound; the messages name what was
 * waited for, so that an operator sees which step of the conversation
 * the server did not take.
 */

#include <stddef.h>
#include <stdint.h>

#include "ping_socket.h"

/**
 * Open a TCP connection to @p server, from @p source when its len is not 0
 * (its port 0: any), within @p timeout_ns.
 * @param local  receives our end of the connection.
 * @return the non-blocking descriptor; -ETIMEDOUT or another
 *   -errno with a message in @p err.
 */
int twr_ping_ctrl_connect(const struct twr_ping_addr *server, const struct twr_ping_addr *source,
			  uint64_t timeout_ns, struct twr_ping_addr *local, char *err,
			  size_t errlen);

/**
 * Read exactly @p len octets within @p timeout_ns.
 * @param what  the message waited for ("Server-Greeting"), for the error.
 * @return 0; -ETIMEDOUT (nothing, or only part, arrived in time);
 *   -ECONNRESET (the server closed the connection); another -errno.
 *   The message in @p err names @p what.
 */
int twr_ping_ctrl_read(int fd, uint8_t *buf, size_t len, uint64_t timeout_ns, const char *what,
		       char *err, size_t errlen);

/**
 * Write all @p len octets within @p timeout_ns (the server may stop reading).
 * @return 0; -ETIMEDOUT; -EPIPE or another -errno (message in @p err).
 */
int twr_ping_ctrl_write(int fd, const uint8_t *buf, size_t len, uint64_t timeout_ns,
			const char *what, char *err, size_t errlen);

#endif /* TWR_PING_CTRL_IO_H */
