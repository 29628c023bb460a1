/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PROTO_H
#define TWR_PROTO_H

/**
 * @file
 * Protocol constants shared by every part of lib/proto: mode bits, Accept
 * values, command numbers, and the error convention.
 *
 * Error convention (all of lib/proto). Functions return 0 (or a length)
 * on success and a negative errno on failure. Decoders use a distinct code
 * for each kind of refusal, so that callers and tests can tell them apart:
 *
 * - -EINVAL       a NULL pointer or an argument the caller got wrong
 * - -EMSGSIZE     input truncated: fewer octets than the layout needs
 * - -E2BIG        input oversized: more octets than a fixed-size message has
 * - -EBADMSG      wrong command number for the message being decoded
 * - -ERANGE       a field holds a value outside its defined range
 * - -EAFNOSUPPORT an IPVN other than 4 or 6
 * - -ENOBUFS      encoder: output buffer too small
 * - -ENOTSUP      a mode or feature this build does not implement
 *
 * MBZ fields are never a reason to refuse (RFC 4656 §3.1): receivers ignore
 * them, senders write zeros.
 */

#include <stdint.h>

/** TWAMP-Modes bits (IANA registry, digest §1.3). */
#define TWR_MODE_UNAUTHENTICATED 0x001u
#define TWR_MODE_AUTHENTICATED	 0x002u
#define TWR_MODE_ENCRYPTED	 0x004u
#define TWR_MODE_MIXED		 0x008u /**< RFC 5618 */
#define TWR_MODE_INDIVIDUAL	 0x010u /**< RFC 5938 Individual Session Control */
#define TWR_MODE_REFLECT_OCTETS	 0x020u /**< RFC 6038 */
#define TWR_MODE_SYMMETRICAL	 0x040u /**< RFC 6038 Symmetrical Size */
#define TWR_MODE_IKEV2		 0x080u /**< RFC 7717 */
#define TWR_MODE_DSCP_ECN	 0x100u /**< RFC 7750 */
#define TWR_MODE_PTP		 0x200u /**< RFC 8186 */

/** The four security bits: a Set-Up-Response carries exactly one. */
#define TWR_MODE_SECURITY_MASK                                                                     \
	(TWR_MODE_UNAUTHENTICATED | TWR_MODE_AUTHENTICATED | TWR_MODE_ENCRYPTED | TWR_MODE_MIXED)

/** Accept field values (RFC 4656 §3.3, RFC 7717 §5.3; digest §1.4). */
enum twr_accept {
	TWR_ACCEPT_OK = 0,
	TWR_ACCEPT_FAILURE = 1,	      /**< reason unspecified, policy refusal */
	TWR_ACCEPT_INTERNAL = 2,      /**< internal error */
	TWR_ACCEPT_NOT_SUPPORTED = 3, /**< some aspect of the request not supported */
	TWR_ACCEPT_PERMANENT = 4,     /**< permanent resource limitation */
	TWR_ACCEPT_TEMPORARY = 5,     /**< temporary resource limitation */
	TWR_ACCEPT_NO_SA = 6,	      /**< RFC 7717: no IKEv2 SA for the SPIs */
};

/** TWAMP-Control command numbers (IANA; digest §1.5). */
enum twr_cmd {
	TWR_CMD_FORBIDDEN = 1,
	TWR_CMD_START_SESSIONS = 2,
	TWR_CMD_STOP_SESSIONS = 3,
	TWR_CMD_FETCH_SESSION = 4,
	TWR_CMD_REQUEST_TW_SESSION = 5,
	TWR_CMD_EXPERIMENTATION = 6,
	TWR_CMD_START_N_SESSIONS = 7,
	TWR_CMD_START_N_ACK = 8,
	TWR_CMD_STOP_N_SESSIONS = 9,
	TWR_CMD_STOP_N_ACK = 10,
	TWR_CMD_REQUEST_TW_MICRO = 11,
};

/** Length of a SID (RFC 4656 §3.5). */
#define TWR_SID_LEN 16
/** Length of the HMAC block that ends every control message and auth test packet. */
#define TWR_HMAC_LEN 16
/** AES block: every control message is a whole number of these. */
#define TWR_BLOCK_LEN 16

#endif /* TWR_PROTO_H */
