/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_CTRL_MSG_H
#define TWR_PING_CTRL_MSG_H

/**
 * @file
 * The Control-Client's side of the TWAMP-Control messages (RFC 4656 §3,
 * RFC 5357 §3, RFC 5938 §3; digest §2): what twamp-ping puts in the
 * messages it sends and what it takes from those it reads. lib/proto's
 * codecs do the octets; this layer adds the client's rules (which Mode to
 * pick, which Count to refuse, how to fill a Request-TW-Session from the
 * sockets) and reads the server's answers leniently where RFC 4656 asks
 * (an unknown Accept value is read as 1, "failure"). No I/O: unit-tested
 * byte for byte.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "twr_ctrl_msg.h"
#include "twr_proto.h"

#include "ping_socket.h"

/**
 * Largest PBKDF2 Count accepted in a Server-Greeting: RFC 5357 §6 asks
 * for a configurable maximum, default 32768, and to hang up beyond it.
 */
#define TWR_PING_MAX_PBKDF2_COUNT 32768u

/** What the client keeps of a Server-Greeting. */
struct twr_ping_greeting {
	uint32_t modes;
	uint32_t count;
	/** Count is a power of two >= 1024 (RFC 4656 §3.1); unused in unauthenticated mode. */
	bool count_valid;
};

/**
 * Read and judge a 64-octet Server-Greeting.
 * @return 0; -ECONNREFUSED when Modes is 0 (the server refuses service);
 *   -ENOTSUP when it does not offer the unauthenticated mode (the only one
 *   twamp-ping speaks); -ERANGE when Count exceeds TWR_PING_MAX_PBKDF2_COUNT
 *   (RFC 5357 §6: hang up); -EINVAL for NULL or a length other than 64.
 *   @p g is filled in every case but -EINVAL, for the report.
 */
int twr_ping_greeting_parse(const uint8_t *buf, size_t len, struct twr_ping_greeting *g);

/**
 * The Mode to answer with: unauthenticated (1), plus Individual Session
 * Control (16) when @p individual is asked and the server offers it.
 * No other feature bit: twamp-ping uses none of them.
 */
uint32_t twr_ping_setup_mode(uint32_t server_modes, bool individual);

/**
 * Build the 164-octet unauthenticated Set-Up-Response (KeyID, Token and
 * Client-IV zero: digest §7.4). Mode 0 tells the server we give up.
 * @return 164; -ENOBUFS; -EINVAL for NULL.
 */
ssize_t twr_ping_setup_response_build(uint32_t mode, uint8_t *buf, size_t cap);

/**
 * Read a 48-octet Server-Start. An Accept value above 6 is returned as it
 * is (twr_ping_accept_name() reads it as a failure).
 * @return 0; -EINVAL for NULL or a length other than 48.
 */
int twr_ping_server_start_parse(const uint8_t *buf, size_t len, uint8_t *accept,
				uint64_t *start_time);

/** What one Request-TW-Session asks for. */
struct twr_ping_request {
	/** Our test socket, bound: its address is the Sender Address, its port the Sender Port. */
	const struct twr_ping_addr *sender;
	/** The server as the control connection reaches it: the Receiver Address. */
	const struct twr_ping_addr *receiver;
	uint16_t receiver_port; /**< the Receiver Port asked for */
	/** Send both addresses as zero: "the control connection's" (RFC 5357 §3.5, twping -Z). */
	bool zero_addresses;
	uint32_t padding_length;
	uint64_t start_time; /**< NTP; 0: as soon as Start-Sessions */
	uint64_t timeout_ns; /**< how long the reflector keeps reflecting after Stop */
	int dscp;	     /**< Type-P DSCP, 0-63; -1: 0 (default forwarding) */
};

/**
 * Build a 112-octet Request-TW-Session (command 5; digest §2.6): IPVN
 * from the sender's family, Conf-Sender/Conf-Receiver, Schedule Slots,
 * Number of Packets, SID and the RFC 6038 octets zero, Type-P = DSCP << 24.
 * @return 112; -EAFNOSUPPORT when the two addresses are not both IPv4 or
 *   both IPv6; -ERANGE for a DSCP above 63; -ENOBUFS; -EINVAL for NULL.
 */
ssize_t twr_ping_request_build(const struct twr_ping_request *r, uint8_t *buf, size_t cap);

/** What the client keeps of an Accept-Session. */
struct twr_ping_accept {
	uint8_t accept; /**< as sent; above 6 reads as 1 */
	uint16_t port;	/**< the port to send to, exactly (RFC 5357 §3.5, erratum 1587) */
	uint8_t sid[TWR_SID_LEN];
};

/**
 * Read a 48-octet Accept-Session. Accept values above 6 are kept as sent.
 * @return 0; -EINVAL for NULL or a length other than 48.
 */
int twr_ping_accept_parse(const uint8_t *buf, size_t len, struct twr_ping_accept *a);

/** Build Start-Sessions (32 octets, command 2). @return 32; -ENOBUFS; -EINVAL. */
ssize_t twr_ping_start_sessions_build(uint8_t *buf, size_t cap);

/**
 * Read a 32-octet Start-Ack. @return 0 and its Accept in @p accept (as sent);
 * -EINVAL for NULL or a length other than 32.
 */
int twr_ping_start_ack_parse(const uint8_t *buf, size_t len, uint8_t *accept);

/**
 * Build Stop-Sessions (32 octets, command 3, Accept 0) carrying the number
 * of sessions started and not yet stopped (RFC 5357 §3.8).
 * @return 32; -ENOBUFS; -EINVAL.
 */
ssize_t twr_ping_stop_sessions_build(uint32_t nb_sessions, uint8_t *buf, size_t cap);

/**
 * Build Start-N-Sessions (7) or Stop-N-Sessions (9) for @p n SIDs
 * (RFC 5938 §3.2, §3.4): 32 + 16 n octets.
 * @return the length; -EINVAL for another command, n 0 or NULL; -ENOBUFS.
 */
ssize_t twr_ping_sid_list_build(uint8_t command, const uint8_t *sids, uint32_t n, uint8_t *buf,
				size_t cap);

/**
 * Length of a Start-N-Ack (8) or Stop-N-Ack (10) from its first 16 octets.
 * @param command  the ack expected.
 * @param max_n    the most SIDs it may carry (those we sent).
 * @return 32 + 16 N; -EBADMSG when the command is another; -ERANGE when N
 *   is 0 or above @p max_n; -EINVAL for NULL or @p len < 16.
 */
ssize_t twr_ping_sid_ack_length(const uint8_t *block, size_t len, uint8_t command, uint32_t max_n);

/**
 * Read a whole Start-N-Ack or Stop-N-Ack whose length
 * twr_ping_sid_ack_length() gave. An Accept above 6 is kept as sent.
 * @param m  filled; m->sids points into @p buf.
 * @return 0; -EBADMSG (command), -ERANGE (N), -EMSGSIZE/-E2BIG (length); -EINVAL.
 */
int twr_ping_sid_ack_parse(const uint8_t *buf, size_t len, uint8_t command,
			   struct twr_sid_list_msg *m);

/** RFC 4656 §3.3 meaning of an Accept value, for people; unknown values read as 1. */
const char *twr_ping_accept_name(uint8_t accept);

/** Stable JSON name of an Accept value ("ok", "temporary_limit", ...; "unknown" above 6). */
const char *twr_ping_accept_key(uint8_t accept);

/** Name of Modes bit @p bit (0-31): "unauthenticated", ...; NULL when unassigned. */
const char *twr_ping_mode_bit_name(unsigned int bit);

/**
 * Write the names of the bits of @p modes, comma-separated, unassigned
 * bits as hex, into @p buf. @return @p buf.
 */
const char *twr_ping_modes_str(uint32_t modes, char *buf, size_t len);

/** Lowercase hex of a SID, 32 characters; @p buf holds at least 33. @return @p buf. */
const char *twr_ping_sid_hex(const uint8_t sid[TWR_SID_LEN], char *buf, size_t len);

#endif /* TWR_PING_CTRL_MSG_H */
