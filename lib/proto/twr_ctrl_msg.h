/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CTRL_MSG_H
#define TWR_CTRL_MSG_H

/**
 * @file
 * TWAMP-Control messages (RFC 4656 §3, RFC 5357 §3, RFC 5938 §3,
 * RFC 6038 §4; digest §2): encoders and decoders.
 *
 * Structs hold fields in host order. Decoders take the exact message
 * (-EMSGSIZE when shorter, -E2BIG when longer), check the command number
 * where the message has one (-EBADMSG) and range-check fields (-ERANGE,
 * -EAFNOSUPPORT); they never reject a message for non-zero MBZ octets.
 * Encoders write the whole message, MBZ octets zeroed, and return its
 * length, or -ENOBUFS when @p cap is too small, -ERANGE/-EAFNOSUPPORT for a
 * field that cannot be encoded, -EINVAL for NULL pointers.
 *
 * The HMAC octets are carried as they are on the wire: the unauthenticated
 * mode sends zeros; the authenticated modes (a later issue) compute and
 * verify them in the control channel layer, not here.
 */

#include <stdint.h>
#include <sys/types.h>

#include "twr_proto.h"

#define TWR_SERVER_GREETING_LEN	   64
#define TWR_SETUP_RESPONSE_LEN	   164
#define TWR_SERVER_START_LEN	   48
#define TWR_REQUEST_TW_SESSION_LEN 112
#define TWR_ACCEPT_SESSION_LEN	   48
#define TWR_START_SESSIONS_LEN	   32
#define TWR_START_ACK_LEN	   32
#define TWR_STOP_SESSIONS_LEN	   32
/** Length of Start-N / Start-N-Ack / Stop-N / Stop-N-Ack carrying @p n SIDs. */
#define TWR_SID_LIST_MSG_LEN(n) (32u + 16u * (uint32_t)(n))
/**
 * Largest Number of Sessions a SID-list message may carry: the largest N for
 * which TWR_SID_LIST_MSG_LEN(N) = 32 + 16 N still fits in 32 bits (0xfffffff0).
 */
#define TWR_SID_LIST_MAX 0x0ffffffdu

#define TWR_KEYID_LEN	 80
#define TWR_TOKEN_LEN	 64
#define TWR_IV_LEN	 16

/** Server-Greeting (64 octets, digest §2.2). */
struct twr_server_greeting {
	uint32_t modes;
	uint8_t challenge[16];
	uint8_t salt[16];
	/** PBKDF2 iterations: a power of two >= 1024 (decode: -ERANGE otherwise). */
	uint32_t count;
};

/** Set-Up-Response (164 octets, digest §2.3). */
struct twr_setup_response {
	uint32_t mode;
	uint8_t key_id[TWR_KEYID_LEN];
	uint8_t token[TWR_TOKEN_LEN];
	uint8_t client_iv[TWR_IV_LEN];
};

/** Server-Start (48 octets, digest §2.5). */
struct twr_server_start {
	uint8_t accept; /**< decode: > 6 is -ERANGE */
	uint8_t server_iv[TWR_IV_LEN];
	uint64_t start_time; /**< NTP */
};

/** Request-TW-Session (112 octets, command 5, digest §2.6). */
struct twr_request_session {
	uint8_t ipvn;	       /**< 4 or 6, else -EAFNOSUPPORT */
	uint8_t conf_sender;   /**< decoded as is; the server refuses non-zero */
	uint8_t conf_receiver; /**< decoded as is; the server refuses non-zero */
	uint32_t schedule_slots;
	uint32_t packets;
	uint16_t sender_port;
	uint16_t receiver_port;
	/** IPv4: first 4 octets, the rest zero. All zero: "the control connection's address". */
	uint8_t sender_addr[16];
	uint8_t receiver_addr[16];
	uint8_t sid[TWR_SID_LEN];
	uint32_t padding_length;
	uint64_t start_time;	      /**< NTP */
	uint64_t timeout;	      /**< NTP-format duration */
	uint32_t type_p;	      /**< raw Type-P Descriptor */
	uint16_t octets_reflected;    /**< RFC 6038 "Octets to be reflected" */
	uint16_t padding_reflect_len; /**< RFC 6038 "Length of padding to reflect" */
	uint8_t hmac[TWR_HMAC_LEN];
};

/** Accept-Session (48 octets, digest §2.7). */
struct twr_accept_session {
	uint8_t accept; /**< decode: > 6 is -ERANGE */
	uint16_t port;
	uint8_t sid[TWR_SID_LEN];
	uint16_t reflected_octets; /**< RFC 6038 */
	uint16_t server_octets;	   /**< RFC 6038 */
	uint8_t hmac[TWR_HMAC_LEN];
};

/** Start-Sessions (32 octets, command 2). */
struct twr_start_sessions {
	uint8_t hmac[TWR_HMAC_LEN];
};

/** Start-Ack (32 octets). */
struct twr_start_ack {
	uint8_t accept; /**< decode: > 6 is -ERANGE */
	uint8_t hmac[TWR_HMAC_LEN];
};

/**
 * Stop-Sessions, TWAMP form (32 octets, command 3, RFC 5357 §3.8): the
 * Number of Sessions is the whole session description TWAMP keeps; the
 * OWAMP per-session records and skip ranges do not exist in TWAMP.
 */
struct twr_stop_sessions {
	uint8_t accept; /**< decode: > 6 is -ERANGE */
	uint32_t nb_sessions;
	uint8_t hmac[TWR_HMAC_LEN];
};

/**
 * Start-N-Sessions (7), Start-N-Ack (8), Stop-N-Sessions (9), Stop-N-Ack (10)
 * (RFC 5938 §3.2–3.5): 16-octet header, N SIDs, HMAC; length 32 + 16 N.
 */
struct twr_sid_list_msg {
	uint8_t command;      /**< one of the four above */
	uint8_t accept;	      /**< acks only; MBZ in the requests */
	uint32_t nb_sessions; /**< N >= 1 (decode: 0 or > TWR_SID_LIST_MAX is -ERANGE) */
	/**
	 * N SIDs, 16 octets each, contiguous. Decode: points into the
	 * decoded buffer (valid while it is). Encode: read from here.
	 */
	const uint8_t *sids;
	uint8_t hmac[TWR_HMAC_LEN];
};

ssize_t twr_server_greeting_encode(const struct twr_server_greeting *m, uint8_t *buf, size_t cap);
int twr_server_greeting_decode(const uint8_t *buf, size_t len, struct twr_server_greeting *m);

ssize_t twr_setup_response_encode(const struct twr_setup_response *m, uint8_t *buf, size_t cap);
int twr_setup_response_decode(const uint8_t *buf, size_t len, struct twr_setup_response *m);

ssize_t twr_server_start_encode(const struct twr_server_start *m, uint8_t *buf, size_t cap);
int twr_server_start_decode(const uint8_t *buf, size_t len, struct twr_server_start *m);

ssize_t twr_request_session_encode(const struct twr_request_session *m, uint8_t *buf, size_t cap);
int twr_request_session_decode(const uint8_t *buf, size_t len, struct twr_request_session *m);

ssize_t twr_accept_session_encode(const struct twr_accept_session *m, uint8_t *buf, size_t cap);
int twr_accept_session_decode(const uint8_t *buf, size_t len, struct twr_accept_session *m);

ssize_t twr_start_sessions_encode(const struct twr_start_sessions *m, uint8_t *buf, size_t cap);
int twr_start_sessions_decode(const uint8_t *buf, size_t len, struct twr_start_sessions *m);

ssize_t twr_start_ack_encode(const struct twr_start_ack *m, uint8_t *buf, size_t cap);
int twr_start_ack_decode(const uint8_t *buf, size_t len, struct twr_start_ack *m);

ssize_t twr_stop_sessions_encode(const struct twr_stop_sessions *m, uint8_t *buf, size_t cap);
int twr_stop_sessions_decode(const uint8_t *buf, size_t len, struct twr_stop_sessions *m);

/**
 * Encode any of the four SID-list messages (m->command says which; -EINVAL
 * when it is not 7-10, or when m->sids is NULL). Checks N (-ERANGE) before
 * @p cap, since N decides the length. m->sids may point into @p buf (a
 * message re-encoded in place).
 */
ssize_t twr_sid_list_msg_encode(const struct twr_sid_list_msg *m, uint8_t *buf, size_t cap);
/**
 * Decode a SID-list message whose command must be @p command
 * (-EBADMSG otherwise; -EINVAL when @p command is not 7-10). Length must be
 * exactly 32 + 16 N. Order of checks: NULL, header block (-EMSGSIZE below
 * 16 octets), command, N (-ERANGE), length against 32 + 16 N (-EMSGSIZE,
 * -E2BIG), Accept of the acks (-ERANGE when > 6).
 */
int twr_sid_list_msg_decode(const uint8_t *buf, size_t len, uint8_t command,
			    struct twr_sid_list_msg *m);

/**
 * Length of the client command whose first 16-octet block is @p block
 * (already decrypted in the authenticated modes): 32 for commands 2 and 3,
 * 112 for 5, 32 + 16 N for 7 and 9 (N read at offset 12).
 *
 * @param max_sessions  largest N accepted for 7 and 9 (capped at
 *   TWR_SID_LIST_MAX).
 * @return the length; -EINVAL when @p block is NULL; -EMSGSIZE when
 *   @p len < 16; -ERANGE when N is 0 or above @p max_sessions; -EBADMSG for
 *   any other command number (the length of an unknown command cannot be
 *   known; 8 and 10 are server replies, not client commands).
 */
ssize_t twr_ctrl_cmd_length(const uint8_t *block, size_t len, uint32_t max_sessions);

#endif /* TWR_CTRL_MSG_H */
