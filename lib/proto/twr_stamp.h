/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_STAMP_H
#define TWR_STAMP_H

/**
 * @file
 * STAMP packets (RFC 8762) with the RFC 8972 SSID, and RFC 8972 TLV
 * framing (digest §4.2–4.4). Bounds-checked; the error convention of
 * twr_proto.h applies.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "twr_proto.h"

/* Session-Sender, unauthenticated: 44 octets then TLVs. */
#define TWR_STAMP_S_SEQ	      0
#define TWR_STAMP_S_TIMESTAMP 4
#define TWR_STAMP_S_ERREST    12
#define TWR_STAMP_S_SSID      14
#define TWR_STAMP_S_TLV	      44
#define TWR_STAMP_BASE_LEN    44

/* Session-Sender, authenticated: 112 octets then TLVs. */
#define TWR_STAMP_S_AUTH_SEQ	   0
#define TWR_STAMP_S_AUTH_TIMESTAMP 16
#define TWR_STAMP_S_AUTH_ERREST	   24
#define TWR_STAMP_S_AUTH_SSID	   26
#define TWR_STAMP_S_AUTH_HMAC	   96
#define TWR_STAMP_S_AUTH_TLV	   112
#define TWR_STAMP_AUTH_BASE_LEN	   112

/* Session-Reflector, unauthenticated (common with TWAMP up to octet 40). */
#define TWR_STAMP_R_SEQ		     0
#define TWR_STAMP_R_TIMESTAMP	     4
#define TWR_STAMP_R_ERREST	     12
#define TWR_STAMP_R_SSID	     14
#define TWR_STAMP_R_RX_TIMESTAMP     16
#define TWR_STAMP_R_SENDER_SEQ	     24
#define TWR_STAMP_R_SENDER_TIMESTAMP 28
#define TWR_STAMP_R_SENDER_ERREST    36
#define TWR_STAMP_R_SENDER_TTL	     40
#define TWR_STAMP_R_TLV		     44

/* Session-Reflector, authenticated (TWAMP auth layout, SSID at 26). */
#define TWR_STAMP_R_AUTH_SEQ		  0
#define TWR_STAMP_R_AUTH_TIMESTAMP	  16
#define TWR_STAMP_R_AUTH_ERREST		  24
#define TWR_STAMP_R_AUTH_SSID		  26
#define TWR_STAMP_R_AUTH_RX_TIMESTAMP	  32
#define TWR_STAMP_R_AUTH_SENDER_SEQ	  48
#define TWR_STAMP_R_AUTH_SENDER_TIMESTAMP 64
#define TWR_STAMP_R_AUTH_SENDER_ERREST	  72
#define TWR_STAMP_R_AUTH_SENDER_TTL	  80
#define TWR_STAMP_R_AUTH_HMAC		  96
#define TWR_STAMP_R_AUTH_TLV		  112

/** STAMP Session-Sender packet. */
struct twr_stamp_sender {
	uint32_t seq;
	uint64_t timestamp;
	uint16_t error_estimate;
	uint16_t ssid;		    /**< RFC 8972; 0 = not used */
	uint8_t hmac[TWR_HMAC_LEN]; /**< authenticated only */
	/** TLV area: decode points into the buffer; encode copies from here. */
	const uint8_t *tlvs;
	size_t tlv_len;
};

/** STAMP Session-Reflector packet. */
struct twr_stamp_reflector {
	uint32_t seq;
	uint64_t timestamp; /**< T3 */
	uint16_t error_estimate;
	uint16_t ssid;
	uint64_t receive_timestamp; /**< T2 */
	uint32_t sender_seq;
	uint64_t sender_timestamp;
	uint16_t sender_error_estimate;
	uint8_t sender_ttl;
	uint8_t hmac[TWR_HMAC_LEN];
	const uint8_t *tlvs;
	size_t tlv_len;
};

/** @return 0; -EMSGSIZE when shorter than 44 (112 authenticated); -EINVAL for NULL. */
int twr_stamp_sender_decode(const uint8_t *buf, size_t len, bool auth, struct twr_stamp_sender *m);
/**
 * Encode a STAMP Session-Sender packet. @p m->tlvs may point into @p buf.
 * @return the packet length (base + tlv_len); -ENOBUFS when @p cap is too
 *   small; -EINVAL for NULL, or a length that does not fit ssize_t.
 */
ssize_t twr_stamp_sender_encode(const struct twr_stamp_sender *m, bool auth, uint8_t *buf,
				size_t cap);
/** @return 0; -EMSGSIZE when shorter than 44 (112 authenticated); -EINVAL for NULL. */
int twr_stamp_reflector_decode(const uint8_t *buf, size_t len, bool auth,
			       struct twr_stamp_reflector *m);
/**
 * Encode a STAMP Session-Reflector packet. @p m->tlvs may point into
 * @p buf (a reply built over its request).
 * @return the packet length (base + tlv_len); -ENOBUFS when @p cap is too
 *   small; -EINVAL for NULL, or a length that does not fit ssize_t.
 */
ssize_t twr_stamp_reflector_encode(const struct twr_stamp_reflector *m, bool auth, uint8_t *buf,
				   size_t cap);

/* RFC 8972 TLVs (digest §4.3). */
#define TWR_TLV_HDR_LEN 4
#define TWR_TLV_FLAG_U	0x80 /**< unrecognized */
#define TWR_TLV_FLAG_M	0x40 /**< malformed */
#define TWR_TLV_FLAG_I	0x20 /**< integrity check failed */

enum twr_tlv_type {
	TWR_TLV_EXTRA_PADDING = 1,
	TWR_TLV_LOCATION = 2,
	TWR_TLV_TIMESTAMP_INFO = 3,
	TWR_TLV_CLASS_OF_SERVICE = 4,
	TWR_TLV_DIRECT_MEASUREMENT = 5,
	TWR_TLV_ACCESS_REPORT = 6,
	TWR_TLV_FOLLOW_UP_TELEMETRY = 7,
	TWR_TLV_HMAC = 8,
	TWR_TLV_DEST_NODE_ADDR = 9,
	TWR_TLV_RETURN_PATH = 10,
	TWR_TLV_MICRO_SESSION_ID = 11,
};

/** Location sub-TLV types (RFC 8972 Table 5). */
enum twr_location_sub {
	TWR_LOC_SRC_MAC = 1,
	TWR_LOC_SRC_EUI48 = 2,
	TWR_LOC_SRC_EUI64 = 3,
	TWR_LOC_DST_IP = 4,
	TWR_LOC_DST_IPV4 = 5,
	TWR_LOC_DST_IPV6 = 6,
	TWR_LOC_SRC_IP = 7,
	TWR_LOC_SRC_IPV4 = 8,
	TWR_LOC_SRC_IPV6 = 9,
};

/** One TLV, as found in a buffer. */
struct twr_tlv {
	uint8_t flags;
	uint8_t type;
	uint16_t length;      /**< of the value */
	const uint8_t *value; /**< points into the iterated buffer */
	size_t offset;	      /**< of the TLV header within the iterated area */
};

/** Iterator over a TLV area (or a Location TLV's sub-TLV area). */
struct twr_tlv_iter {
	const uint8_t *buf;
	size_t len;
	size_t off;
};

/**
 * Start iterating over @p len octets of TLVs at @p buf (NULL with
 * @p len 0: an empty area). A NULL @p it is ignored.
 */
void twr_tlv_iter_init(struct twr_tlv_iter *it, const uint8_t *buf, size_t len);

/**
 * Next TLV.
 * @return 1 and @p tlv filled; 0 at the exact end of the area; -EMSGSIZE
 *   when a header or value runs past the end (malformed: the iterator stays
 *   at that TLV, whose offset is in @p tlv->offset; flags, type and length
 *   are filled when the 4-octet header is complete, value is NULL);
 *   -EINVAL for a NULL @p it or @p tlv, or a NULL area of non-zero length.
 */
int twr_tlv_next(struct twr_tlv_iter *it, struct twr_tlv *tlv);

/**
 * Emit one TLV at @p buf: header, then @p length octets from @p value
 * (NULL: zeros; may alias @p buf + 4, to rewrite the flags in place).
 * @return 4 + length; -ENOBUFS when @p cap is too small; -EINVAL for NULL buf.
 */
ssize_t twr_tlv_emit(uint8_t *buf, size_t cap, uint8_t flags, uint8_t type, const void *value,
		     uint16_t length);

#endif /* TWR_STAMP_H */
