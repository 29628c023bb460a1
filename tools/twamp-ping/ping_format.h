/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_FORMAT_H
#define TWR_PING_FORMAT_H

/**
 * @file
 * twamp-ping test packet formats: one small engine per mode (TWAMP-Light,
 * STAMP) that builds the Session-Sender packet and decodes the
 * Session-Reflector reply into one format-independent struct, plus the
 * delay arithmetic every mode shares (digest §3.1, §3.3, §4).
 *
 * The full TWAMP mode (TWAMP-Control client, ping_control.h) sends the
 * unauthenticated TWAMP-Test packets of the light engine with the
 * negotiated padding: its engine is the light one under another name.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/** Largest UDP payload twamp-ping sends (IPv4: 65535 - 20 - 8). */
#define TWR_PING_MAX_SIZE 65507

/** Test modes, as named by --mode. */
enum twr_ping_mode {
	TWR_PING_MODE_LIGHT, /**< TWAMP-Light (RFC 5357 App. I): unauthenticated TWAMP-Test */
	TWR_PING_MODE_STAMP, /**< STAMP (RFC 8762) with the RFC 8972 SSID and TLVs */
	TWR_PING_MODE_FULL,  /**< TWAMP with TWAMP-Control (RFC 5357): light packets, negotiated */
};

/** What a Session-Sender packet carries; every other octet is zero. */
struct twr_ping_probe {
	uint32_t seq;
	uint64_t t1; /**< NTP, taken just before send */
	uint16_t error_estimate;
	uint16_t ssid; /**< STAMP only; 0 = no SSID (docs/decisions.md 7) */
};

/** A Session-Reflector reply: its fields, the receive-side facts, the derived delays. */
struct twr_ping_reply {
	size_t len;		 /**< UDP payload octets */
	uint32_t seq;		 /**< reflector's sequence number (stateless: the sender's) */
	uint32_t sender_seq;	 /**< copied from our packet: the match key (offset 24) */
	uint64_t t1;		 /**< Sender Timestamp, copied from our packet */
	uint64_t t2;		 /**< reflector receive time, NTP or PTP per error_estimate Z */
	uint64_t t3;		 /**< reflector transmit time, same format as t2 */
	uint64_t t4;		 /**< our receive time, NTP */
	uint16_t error_estimate; /**< the reflector's, for T2 and T3 */
	uint16_t sender_error_estimate;
	uint8_t sender_ttl;   /**< TTL/Hop Limit our packet had at the reflector */
	int ttl;	      /**< TTL/Hop Limit of this reply; -1 when unknown */
	uint16_t ssid;	      /**< STAMP: octets 14-15 (0 from a TWAMP or pre-RFC 8972 reflector) */
	uint8_t tlv_flags;    /**< STAMP: OR of the flags of every reply TLV */
	bool tlv_malformed;   /**< STAMP: the TLV area does not parse */
	int64_t rtt_ns;	      /**< (T4 - T1) - (T3 - T2) */
	int64_t residence_ns; /**< T3 - T2 */
};

/** One mode's packet engine. */
struct twr_ping_format {
	enum twr_ping_mode mode;
	const char *name;    /**< the --mode value */
	const char *label;   /**< for people: "TWAMP-Light", "STAMP" */
	size_t header_len;   /**< smallest sender packet; --padding counts from here */
	size_t default_size; /**< sender packet size without -s or --padding */
	/**
	 * Check a sender packet size (already within header_len..TWR_PING_MAX_SIZE).
	 * @return NULL when usable, else a sentence saying why not.
	 */
	const char *(*size_error)(size_t size);
	/**
	 * Write a sender packet of exactly @p len octets at @p buf.
	 * @return @p len; a negative errno from lib/proto on a size it cannot build.
	 */
	ssize_t (*encode)(const struct twr_ping_probe *probe, uint8_t *buf, size_t len);
	/**
	 * Fill the packet fields of @p r (len, seq ... tlv_malformed).
	 * @return 0; -EMSGSIZE when shorter than a reflector header.
	 */
	int (*decode)(const uint8_t *buf, size_t len, struct twr_ping_reply *r);
};

/**
 * The engine of a mode.
 * @return the engine; NULL for unknown values.
 */
const struct twr_ping_format *twr_ping_format_get(enum twr_ping_mode mode);

/**
 * The engine named @p name ("light", "stamp", "full").
 * @return the engine; NULL for any other name.
 */
const struct twr_ping_format *twr_ping_format_find(const char *name);

/**
 * Decode a reply and derive its delays: RTT = (T4 - T1) - (T3 - T2) and
 * residence = T3 - T2, each difference taken modulo 2^64 (digest §1.1) in
 * the format the reflector's Error Estimate Z bit announces (RFC 8186).
 * Any octets are safe input.
 *
 * @param f    the session's engine.
 * @param buf  the UDP payload.
 * @param len  its length.
 * @param t4   our receive time, NTP.
 * @param ttl  the reply's TTL/Hop Limit, -1 when unknown.
 * @param r    filled on success; left unspecified on failure.
 * @return 0; -EMSGSIZE when too short; -ERANGE for a PTP timestamp whose
 *   nanoseconds field is 10^9 or more; -EINVAL for a NULL argument.
 */
int twr_ping_reply_parse(const struct twr_ping_format *f, const uint8_t *buf, size_t len,
			 uint64_t t4, int ttl, struct twr_ping_reply *r);

#endif /* TWR_PING_FORMAT_H */
