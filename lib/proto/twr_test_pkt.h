/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TEST_PKT_H
#define TWR_TEST_PKT_H

/**
 * @file
 * TWAMP-Test packet layouts (RFC 4656 §4.1.2, RFC 5357 §4, RFC 6038,
 * RFC 7750; digest §3): Session-Sender and Session-Reflector, in the
 * unauthenticated (also mixed) and the authenticated/encrypted formats.
 *
 * The offsets are public because the data plane rewrites packets in place
 * with them. The encode/decode functions serve the sender tool, the tests
 * and the fuzzers; they are bounds-checked and follow the error convention
 * of twr_proto.h. Decoders accept any length from the minimum up (the rest
 * is padding); encoders write header + padding and zero every MBZ octet.
 * Authenticated and encrypted packets share one layout; the cryptography
 * (HMAC, AES) is applied by the caller on the encoded bytes.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "twr_proto.h"

/* Session-Sender, unauthenticated (digest §3.1). */
#define TWR_TS_SEQ	 0
#define TWR_TS_TIMESTAMP 4
#define TWR_TS_ERREST	 12
#define TWR_TS_PADDING	 14
#define TWR_TS_MIN_LEN	 14

/* Session-Sender, authenticated/encrypted (digest §3.2). */
#define TWR_TS_AUTH_SEQ	      0
#define TWR_TS_AUTH_TIMESTAMP 16
#define TWR_TS_AUTH_ERREST    24
#define TWR_TS_AUTH_HMAC      32
#define TWR_TS_AUTH_PADDING   48
#define TWR_TS_AUTH_MIN_LEN   48

/* Session-Reflector, unauthenticated (digest §3.3, §3.8). */
#define TWR_TR_SEQ		0
#define TWR_TR_TIMESTAMP	4
#define TWR_TR_ERREST		12
#define TWR_TR_RX_TIMESTAMP	16
#define TWR_TR_SENDER_SEQ	24
#define TWR_TR_SENDER_TIMESTAMP 28
#define TWR_TR_SENDER_ERREST	36
#define TWR_TR_SENDER_TTL	40
#define TWR_TR_DSCP_ECN		41 /**< RFC 7750 S-DSCP-ECN (digest §9.4: octet 41) */
#define TWR_TR_PADDING		41
#define TWR_TR_MIN_LEN		41
/** With RFC 7750: S-DSCP-ECN at 41, MBZ 42-43, padding from 44 (digest §3.8). */
#define TWR_TR_DSCP_ECN_PADDING 44
#define TWR_TR_DSCP_ECN_MIN_LEN 44

/* Session-Reflector, authenticated/encrypted (digest §3.4; 112, erratum 5045). */
#define TWR_TR_AUTH_SEQ		     0
#define TWR_TR_AUTH_TIMESTAMP	     16
#define TWR_TR_AUTH_ERREST	     24
#define TWR_TR_AUTH_RX_TIMESTAMP     32
#define TWR_TR_AUTH_SENDER_SEQ	     48
#define TWR_TR_AUTH_SENDER_TIMESTAMP 64
#define TWR_TR_AUTH_SENDER_ERREST    72
#define TWR_TR_AUTH_SENDER_TTL	     80
#define TWR_TR_AUTH_DSCP_ECN	     81
#define TWR_TR_AUTH_HMAC	     96
#define TWR_TR_AUTH_PADDING	     112
#define TWR_TR_AUTH_MIN_LEN	     112

/** Octets a reflector header is longer than the sender's (truncation, digest §3.6). */
#define TWR_TRUNCATE_UNAUTH (TWR_TR_MIN_LEN - TWR_TS_MIN_LEN)		/* 27 */
#define TWR_TRUNCATE_AUTH   (TWR_TR_AUTH_MIN_LEN - TWR_TS_AUTH_MIN_LEN) /* 64 */

/** Session-Sender packet, either format. */
struct twr_test_sender {
	uint32_t seq;
	uint64_t timestamp; /**< T1, NTP or PTP per the Z bit of error_estimate */
	uint16_t error_estimate;
	uint8_t hmac[TWR_HMAC_LEN]; /**< authenticated format only */
	/** Padding: decode points into the buffer; encode copies from here (NULL: zeros). */
	const uint8_t *padding;
	size_t padding_len;
};

/** Session-Reflector packet, either format. */
struct twr_test_reflector {
	uint32_t seq;	    /**< the reflector's own counter (stateless: the sender's) */
	uint64_t timestamp; /**< T3 */
	uint16_t error_estimate;
	uint64_t receive_timestamp; /**< T2 */
	uint32_t sender_seq;
	uint64_t sender_timestamp;
	uint16_t sender_error_estimate;
	uint8_t sender_ttl;
	/** RFC 7750 S-DSCP-ECN; meaningful when the dscp_ecn argument is true. */
	uint8_t sender_dscp_ecn;
	uint8_t hmac[TWR_HMAC_LEN]; /**< authenticated format only */
	const uint8_t *padding;
	size_t padding_len;
};

/**
 * Decode a Session-Sender packet.
 * @param auth  authenticated/encrypted layout (min 48) instead of unauthenticated (min 14).
 * @return 0; -EMSGSIZE when shorter than the minimum; -EINVAL for NULL.
 */
int twr_test_sender_decode(const uint8_t *buf, size_t len, bool auth, struct twr_test_sender *m);

/**
 * Encode a Session-Sender packet. @p m->padding may point into @p buf: it
 * is moved into place before the header is written.
 * @return its length (header + padding_len); -ENOBUFS when @p cap is too
 *   small; -EINVAL for NULL, or a length that does not fit ssize_t.
 */
ssize_t twr_test_sender_encode(const struct twr_test_sender *m, bool auth, uint8_t *buf,
			       size_t cap);

/**
 * Decode a Session-Reflector packet.
 * @param dscp_ecn  RFC 7750 negotiated: the padding starts after the
 *   S-DSCP-ECN octet and two MBZ octets (offset 44 unauthenticated), and
 *   sender_dscp_ecn is filled.
 * @return 0; -EMSGSIZE when shorter than the minimum (41/112, 44 with
 *   @p dscp_ecn in the unauthenticated layout); -EINVAL for NULL.
 */
int twr_test_reflector_decode(const uint8_t *buf, size_t len, bool auth, bool dscp_ecn,
			      struct twr_test_reflector *m);

/**
 * Encode a Session-Reflector packet. @p m->padding may point into @p buf
 * (a reply built over its request): it is moved into place before the
 * header is written.
 * @return its length (header + padding_len); -ENOBUFS when @p cap is too
 *   small; -EINVAL for NULL, or a length that does not fit ssize_t.
 */
ssize_t twr_test_reflector_encode(const struct twr_test_reflector *m, bool auth, bool dscp_ecn,
				  uint8_t *buf, size_t cap);

#endif /* TWR_TEST_PKT_H */
