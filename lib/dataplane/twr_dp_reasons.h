/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_DP_REASONS_H
#define TWR_DP_REASONS_H

/**
 * @file
 * Every reason the data plane does not reflect a frame, declared once.
 *
 * The CLI, telemetry and the documentation all read this list, so the
 * names are a stable interface: snake_case, never renamed, new reasons
 * appended. Each reason has a kind:
 *
 * - DROP: the frame is freed.
 * - EXCEPTION: the frame is not a test packet we answer, but the host
 *   stack may want it (ARP, ND, ICMP, TCP to the control port, UDP to a
 *   port we do not reflect on): it goes to the exception ring for the
 *   control lcore, which hands it to the kernel through the TAP.
 *
 * Accounting, per lcore (summed on read). Every received frame is counted
 * once in rx and ends in exactly one of: reflected, to_exception, or a
 * DROP-kind reason. A frame with an EXCEPTION-kind reason is counted under
 * that reason too, and then either in to_exception or, when the ring is
 * full, under exception_ring_full (a DROP reason). Hence:
 *
 *     rx = reflected + to_exception + sum(reason[r], r of kind DROP)
 *     sum(reason[r], r of kind EXCEPTION) = to_exception + reason[exception_ring_full]
 *
 * A reply that the TX queue refuses is counted under tx_full, not under
 * reflected; its reflector sequence number is spent (RFC 5357 §4.2.1: the
 * counter advances per reply generated, and a reply lost at our TX queue
 * is backward-path loss, which is what the sender will see).
 *
 * Decisions recorded here because the counters are where operators see
 * them (also in docs/decisions.md once the lead merges them):
 *
 * - IPv4 options: parsed past (IHL honoured); a test packet carrying them
 *   is answered without them (the reply's IHL is 5; echoing Record Route
 *   or a source route back would be wrong). Not a drop, so no counter.
 * - IPv6 extension headers: Hop-by-Hop, Destination Options, a Routing
 *   header with Segments Left 0 and an atomic Fragment header (offset 0,
 *   M 0; RFC 6946) are skipped, at most four, and are not echoed in the
 *   reply. Any other extension header (AH, Mobility, HIP, Shim6, the
 *   experimental 253/254), a Routing header with Segments Left > 0 or a
 *   fifth header: ipv6_ext_header, to the exception path (the kernel may
 *   hold the IPsec SA or route the packet on). ESP or No Next Header end
 *   the chain: not_udp.
 * - Fragments (IPv4 MF or offset, IPv6 Fragment header other than atomic)
 *   are dropped and counted, not reassembled: a reassembled test packet
 *   would carry the arrival time of its last fragment, reassembly costs
 *   memory on the hot path, and TWAMP-Control (TCP, DF with PMTU
 *   discovery) does not need it. Fragmented ICMP to our addresses is
 *   therefore not answered either.
 * - Error Estimate with Multiplier 0 (RFC 4656 §4.1.2 "SHOULD be
 *   considered corrupt and discarded"): reflected by default, as twampd
 *   does (the sender's estimate is only copied back, and a silent drop is
 *   what this product exists to avoid); TWR_REFLECT_F_STRICT_ERREST drops
 *   such packets under errest_zero_multiplier.
 */

#include <stddef.h>
#include <stdint.h>

/** What happens to a frame counted under a reason. */
enum twr_dp_kind {
	TWR_DP_KIND_DROP = 0,	   /**< freed */
	TWR_DP_KIND_EXCEPTION = 1, /**< to the exception ring (the kernel) */
};

/**
 * The reasons: _(ID, "name", KIND, "description"). Order is the enum
 * order; append only.
 */
#define TWR_DP_REASONS(_)                                                                          \
	_(TRUNCATED, "truncated", DROP,                                                            \
	  "frame shorter than its Ethernet, VLAN, IP or extension headers announce")               \
	_(L2_UNSUPPORTED, "l2_unsupported", DROP, "more than two VLAN tags")                       \
	_(NOT_IP, "not_ip", EXCEPTION, "EtherType other than IPv4 or IPv6 (ARP, LLDP, ...)")       \
	_(IPV4_BAD_HEADER, "ipv4_bad_header", DROP,                                                \
	  "IPv4 version not 4, IHL below 5, or total length below the header length")              \
	_(IPV4_BAD_CHECKSUM, "ipv4_bad_checksum", DROP, "IPv4 header checksum wrong")              \
	_(IPV4_FRAGMENT, "ipv4_fragment", DROP,                                                    \
	  "IPv4 fragment (MF set or offset non-zero): not reassembled")                            \
	_(IPV6_BAD_HEADER, "ipv6_bad_header", DROP,                                                \
	  "IPv6 version not 6, or payload length 0 (jumbogram)")                                   \
	_(IPV6_EXT_HEADER, "ipv6_ext_header", EXCEPTION,                                           \
	  "IPv6 extension header not skipped: AH, Mobility, HIP, Shim6, 253/254, "                 \
	  "Routing with Segments Left, more than four")                                            \
	_(IPV6_FRAGMENT, "ipv6_fragment", DROP,                                                    \
	  "IPv6 Fragment header (not atomic): not reassembled")                                    \
	_(UDP_BAD_LENGTH, "udp_bad_length", DROP,                                                  \
	  "UDP length below 8 or beyond the IP payload, or IP payload shorter than a UDP header")  \
	_(UDP_BAD_CHECKSUM, "udp_bad_checksum", DROP,                                              \
	  "UDP checksum wrong, or zero over IPv6 (RFC 8200 sec. 8.1)")                             \
	_(NOT_UDP, "not_udp", EXCEPTION, "IP but not UDP (ICMP, ND, TCP, ESP, ...)")               \
	_(NOT_FOR_US, "not_for_us", EXCEPTION,                                                     \
	  "destination address is not one of the reflector's addresses")                           \
	_(UNKNOWN_SESSION, "unknown_session", EXCEPTION,                                           \
	  "UDP to one of our addresses on neither a reflector port nor a session's Receiver Port") \
	_(BAD_SOURCE, "bad_source", DROP,                                                          \
	  "source address unspecified, loopback, multicast, broadcast, IPv4-mapped or our own "    \
	  "destination, or source port 0: never answered (reflection)")                            \
	_(TEST_TOO_SHORT, "test_too_short", DROP,                                                  \
	  "test packet shorter than its format's minimum (14 octets, or 14 + L with Reflect "      \
	  "Octets)")                                                                               \
	_(ERREST_ZERO_MULTIPLIER, "errest_zero_multiplier", DROP,                                  \
	  "sender Error Estimate Multiplier 0 under the strict policy (RFC 4656 sec. 4.1.2)")      \
	_(MODE_UNSUPPORTED, "mode_unsupported", DROP,                                              \
	  "session in a mode this data plane does not reflect yet (authenticated, encrypted)")     \
	_(SESSION_NOT_STARTED, "session_not_started", DROP,                                        \
	  "packet for an accepted session before Start-Sessions")                                  \
	_(SESSION_EXPIRED, "session_expired", DROP,                                                \
	  "packet for a stopped session after Stop-Sessions + Timeout (RFC 5357 sec. 3.8)")        \
	_(SOURCE_MISMATCH, "source_mismatch", DROP,                                                \
	  "source address or port differs from the negotiated Session-Sender: the NAT signature")  \
	_(SSID_MISMATCH, "ssid_mismatch", DROP,                                                    \
	  "STAMP SSID differs from the one provisioned for the session (RFC 8972 sec. 3)")         \
	_(REPLY_TOO_BIG, "reply_too_big", DROP,                                                    \
	  "reply does not fit the buffer's tailroom or a 16-bit length field")                     \
	_(EXCEPTION_RING_FULL, "exception_ring_full", DROP,                                        \
	  "exception-path frame dropped: ring to the control lcore full")                          \
	_(TX_FULL, "tx_full", DROP, "reply built but refused by the full TX queue")                \
	_(FLOW_TABLE_FULL, "flow_table_full", DROP,                                                \
	  "new flow of a stateful Light/STAMP port refused: the lcore's flow table is full")       \
	_(LATCH_REFUSED, "latch_refused", DROP,                                                    \
	  "latch policy: session not latched yet, source neither the negotiated one nor allowed "  \
	  "by the control connection's peer address (docs/nat.md)")                                \
	_(LATCH_LATE, "latch_late", DROP,                                                          \
	  "latch policy: allowed source, but the session's latch window had closed")               \
	_(SOURCE_NOT_ALLOWED, "source_not_allowed", DROP,                                          \
	  "TWAMP-Light/STAMP port with an allow-list: source in none of its prefixes")

/* X-macro expansions below: clang-format would indent them as continuations. */
/* clang-format off */

/** Reasons; 0 means "no reason" (the frame goes on). */
enum twr_dp_reason {
	TWR_DP_OK = 0,
#define TWR_DP_REASON_ENUM_(id, name, kind, desc) TWR_DP_REASON_##id,
	TWR_DP_REASONS(TWR_DP_REASON_ENUM_)
#undef TWR_DP_REASON_ENUM_
	TWR_DP_REASON_MAX /**< number of reasons + 1 (index 0 unused) */
};

/** The counters that are not reasons: _(ID, "name", "description"). */
#define TWR_DP_COUNTERS(_)                                                                         \
	_(RX, "rx", "frames received")                                                             \
	_(REFLECTED, "reflected", "replies accepted by the TX queue")                              \
	_(TO_EXCEPTION, "to_exception", "frames queued to the control lcore's exception ring")

/** Indices of the non-reason counters. */
enum twr_dp_counter {
#define TWR_DP_COUNTER_ENUM_(id, name, desc) TWR_DP_COUNTER_##id,
	TWR_DP_COUNTERS(TWR_DP_COUNTER_ENUM_)
#undef TWR_DP_COUNTER_ENUM_
	TWR_DP_COUNTER_MAX
};

/**
 * One lcore's counters. Written only by the owning lcore, plain
 * increments (no atomics); readers sum over lcores and may see a value
 * one burst old. Embed it in the cache-aligned per-lcore struct.
 */
struct twr_dp_stats {
	uint64_t counter[TWR_DP_COUNTER_MAX]; /* dp: wo (owner lcore), ctl: ro */
	uint64_t reason[TWR_DP_REASON_MAX];   /* dp: wo (owner lcore), ctl: ro */
};

/**
 * Stable name of a reason ("truncated", ...).
 * @return the name; "ok" for TWR_DP_OK; NULL for an out-of-range value.
 */
static inline const char *
twr_dp_reason_name(unsigned int reason)
{
	static const char *const names[TWR_DP_REASON_MAX] = {
		[TWR_DP_OK] = "ok",
#define TWR_DP_REASON_NAME_(id, name, kind, desc) [TWR_DP_REASON_##id] = name,
		TWR_DP_REASONS(TWR_DP_REASON_NAME_)
#undef TWR_DP_REASON_NAME_
	};

	return reason < TWR_DP_REASON_MAX ? names[reason] : NULL;
}

/**
 * One-line description of a reason, for help texts and documentation.
 * @return the description; NULL for TWR_DP_OK or an out-of-range value.
 */
static inline const char *
twr_dp_reason_desc(unsigned int reason)
{
	static const char *const descs[TWR_DP_REASON_MAX] = {
#define TWR_DP_REASON_DESC_(id, name, kind, desc) [TWR_DP_REASON_##id] = desc,
		TWR_DP_REASONS(TWR_DP_REASON_DESC_)
#undef TWR_DP_REASON_DESC_
	};

	return reason < TWR_DP_REASON_MAX ? descs[reason] : NULL;
}

/**
 * Kind of a reason: what the burst loop does with the frame.
 * @return TWR_DP_KIND_DROP or TWR_DP_KIND_EXCEPTION; DROP for TWR_DP_OK
 *   and out-of-range values.
 */
static inline enum twr_dp_kind
twr_dp_reason_kind(unsigned int reason)
{
	static const uint8_t kinds[TWR_DP_REASON_MAX] = {
#define TWR_DP_REASON_KIND_(id, name, kind, desc) [TWR_DP_REASON_##id] = TWR_DP_KIND_##kind,
		TWR_DP_REASONS(TWR_DP_REASON_KIND_)
#undef TWR_DP_REASON_KIND_
	};

	return reason < TWR_DP_REASON_MAX ? (enum twr_dp_kind)kinds[reason] : TWR_DP_KIND_DROP;
}

/**
 * Stable name of a non-reason counter ("rx", "reflected", "to_exception").
 * @return the name; NULL for an out-of-range value.
 */
static inline const char *
twr_dp_counter_name(unsigned int counter)
{
	static const char *const names[TWR_DP_COUNTER_MAX] = {
#define TWR_DP_COUNTER_NAME_(id, name, desc) [TWR_DP_COUNTER_##id] = name,
		TWR_DP_COUNTERS(TWR_DP_COUNTER_NAME_)
#undef TWR_DP_COUNTER_NAME_
	};

	return counter < TWR_DP_COUNTER_MAX ? names[counter] : NULL;
}

/* clang-format on */

#endif /* TWR_DP_REASONS_H */
