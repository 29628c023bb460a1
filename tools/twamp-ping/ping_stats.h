/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_STATS_H
#define TWR_PING_STATS_H

/**
 * @file
 * twamp-ping statistics: match each reply to the packet it answers (by
 * the Sender Sequence Number the reflector copied), classify it, and at
 * the end reduce the per-packet records to the figures of the report.
 *
 * Definitions (also in README.md):
 * - received: first reply to a sent packet, arriving within the timeout
 *   of that packet's T1 (T4 - T1 <= timeout, both our clock);
 * - late: first reply arriving after that; counted as lost, like OWAMP's
 *   Timeout (RFC 4656 §4.2), and excluded from the delay figures;
 * - lost = sent - received; loss % = lost / sent;
 * - out of order: a received reply whose sender sequence number is below
 *   one received before it;
 * - median of an even count: the mean of the two middle values, rounded
 *   down to the ns; p99: nearest rank, the ceil(0.99 n)-th smallest;
 * - jitter: mean of |RTT(i) - RTT(j)| over consecutive received packets
 *   taken in sender sequence order (lost ones skipped), rounded to the ns;
 *   the plain mean absolute difference, not RFC 3550's 1/16 smoothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "twr_errest.h"

#include "ping_format.h"

/** Largest --count: the per-packet records are allocated up front (32 octets each). */
#define TWR_PING_MAX_COUNT 10000000u

/**
 * Replies that do not count as received, each under its reason:
 * _(enum suffix, JSON key, text for people).
 */
#define TWR_PING_REASONS(_)                                                                        \
	_(MALFORMED, "malformed", "malformed (too short or unparsable)")                           \
	_(UNKNOWN_SEQ, "unknown_seq", "replies for a sequence number never sent")                  \
	_(FOREIGN, "foreign", "replies with a Sender Timestamp we did not send")                   \
	_(SSID_MISMATCH, "ssid_mismatch", "replies for another SSID")                              \
	_(DUPLICATE, "duplicates", "duplicates")                                                   \
	_(LATE, "late", "late (after the timeout)")

/** Verdict on a reply: received, or why not. */
enum twr_ping_verdict {
	TWR_PING_RECEIVED = -1,
#define TWR_PING_REASON_ENUM(e, key, text) TWR_PING_##e,
	TWR_PING_REASONS(TWR_PING_REASON_ENUM)
#undef TWR_PING_REASON_ENUM
		TWR_PING_REASON_MAX
};

/** Per-packet record flags. */
#define TWR_PING_REC_SENT     0x01
#define TWR_PING_REC_RECEIVED 0x02
#define TWR_PING_REC_LATE     0x04
#define TWR_PING_REC_TTL      0x08 /**< ttl is known */

/** What is known about one sent packet. */
struct twr_ping_record {
	uint64_t t1; /**< NTP, as sent */
	int64_t rtt_ns;
	int64_t residence_ns;
	uint32_t reflector_seq;
	uint8_t ttl;	    /**< of the reply */
	uint8_t sender_ttl; /**< of our packet, at the reflector */
	uint8_t flags;	    /**< TWR_PING_REC_* */
};

/** A session's running statistics. Single-threaded: the sender loop owns it. */
struct twr_ping_stats {
	struct twr_ping_record *rec; /**< indexed by sender sequence number */
	uint32_t capacity;	     /**< records: the packets the session may send */
	uint64_t timeout_ns;
	uint16_t ssid; /**< sent in every packet; 0 = none */
	uint32_t sent;
	uint32_t received;
	uint64_t reason[TWR_PING_REASON_MAX];
	uint64_t out_of_order;
	uint64_t send_errors;
	uint64_t icmp_errors;	   /**< ICMP errors (port unreachable...) reported by the socket */
	uint64_t ssid_zero;	   /**< replies with SSID 0 to packets carrying one */
	uint64_t tlv_unrecognized; /**< replies with a TLV the reflector left U=1 */
	uint64_t tlv_malformed;	   /**< replies with M set or an unparsable TLV area */
	int64_t highest_received;  /**< sender sequence number, -1 before the first */
	bool own_seq;		   /**< some reply's seq differs from its sender seq */
	uint32_t max_reflector_seq;
	bool errest_seen;
	uint16_t errest;    /**< the reflector's, from the last matched reply */
	uint16_t ssid_seen; /**< from the last matched reply */
};

/** min/median/p99/max/mean of a set of values, in ns. */
struct twr_ping_dist {
	uint32_t n; /**< 0: the other fields are 0 and meaningless */
	int64_t min;
	int64_t median;
	int64_t p99;
	int64_t max;
	int64_t mean;
};

/** How the reflector fills its Sequence Number (RFC 8762 §4). */
enum twr_ping_seq_kind {
	TWR_PING_SEQ_UNKNOWN, /**< no reply */
	TWR_PING_SEQ_COPIED,  /**< equals ours: stateless, or stateful with no forward loss */
	TWR_PING_SEQ_OWN,     /**< its own counter: stateful */
};

/** The figures of the report. */
struct twr_ping_summary {
	uint32_t sent;
	uint32_t received;
	uint32_t lost;
	double loss_pct;
	struct twr_ping_dist rtt;
	struct twr_ping_dist residence;
	bool jitter_valid; /**< at least two received packets */
	int64_t jitter_ns;
	enum twr_ping_seq_kind seq_kind;
	bool split_valid; /**< forward/backward below are known */
	uint32_t forward_lost;
	uint32_t backward_lost;
	int reply_ttl_min; /**< -1: none seen */
	int reply_ttl_max;
	int sender_ttl_min; /**< -1: no reply */
	int sender_ttl_max;
};

/**
 * Set up statistics for a session of up to @p count packets.
 * @param ssid  the SSID the session sends (STAMP), 0 for none.
 * @return 0; -EINVAL for NULL or a count of 0 or above TWR_PING_MAX_COUNT;
 *   -ENOMEM.
 */
int twr_ping_stats_init(struct twr_ping_stats *st, uint32_t count, uint64_t timeout_ns,
			uint16_t ssid);

/** Release what twr_ping_stats_init() allocated; NULL is ignored. */
void twr_ping_stats_free(struct twr_ping_stats *st);

/** Record that packet @p seq left with timestamp @p t1. Out-of-range seq is ignored. */
void twr_ping_stats_sent(struct twr_ping_stats *st, uint32_t seq, uint64_t t1);

/**
 * Match a parsed reply to its packet and account for it.
 * @return TWR_PING_RECEIVED, or the reason it is not counted as received
 *   (that reason's counter has been incremented).
 */
enum twr_ping_verdict twr_ping_stats_reply(struct twr_ping_stats *st,
					   const struct twr_ping_reply *r);

/** Count a reply that could not be parsed (or another @p reason). */
void twr_ping_stats_count(struct twr_ping_stats *st, enum twr_ping_verdict reason);

/** True once every sent packet has its reply (received or late): no need to wait. */
bool twr_ping_stats_complete(const struct twr_ping_stats *st);

/**
 * Reduce the records to the report's figures.
 * @return 0; -ENOMEM; -EINVAL for NULL.
 */
int twr_ping_stats_summarize(const struct twr_ping_stats *st, struct twr_ping_summary *sum);

/**
 * Totals over @p n sessions (full mode). @p total receives the summed
 * counters (reasons, out of order, send and ICMP errors, SSID and TLV
 * counts; the Error Estimate of the last session that saw one) and no
 * per-packet records; @p sum the figures over every received packet of
 * every session: pooled RTT and residence distributions and TTL ranges;
 * jitter over consecutive received packets of the same session (a pair
 * never spans two sessions); reflector sequence "own" when some session's
 * is, "copied" when every one that had replies shows copies; the loss
 * split summed when every session that sent has one. For one session the
 * figures equal twr_ping_stats_summarize()'s.
 * @return 0; -ENOMEM; -EINVAL for NULL or n 0.
 */
int twr_ping_stats_total(const struct twr_ping_stats *const *st, unsigned int n,
			 struct twr_ping_stats *total, struct twr_ping_summary *sum);

/**
 * Fill @p d from @p n values, sorting @p values in place.
 * @return 0; -EINVAL for NULL values with n > 0 or NULL d.
 */
int twr_ping_dist_compute(int64_t *values, size_t n, struct twr_ping_dist *d);

/**
 * Nearest-rank percentile of @p n sorted values: the ceil(pct n / 100)-th
 * smallest. @p pct in 1..100. @return the value; 0 when n is 0.
 */
int64_t twr_ping_percentile(const int64_t *sorted, size_t n, unsigned int pct);

/** Median of @p n sorted values (even n: mean of the middle two, rounded down); 0 when n is 0. */
int64_t twr_ping_median(const int64_t *sorted, size_t n);

/**
 * Jitter of @p n RTTs in sender sequence order: mean |rtt[i] - rtt[i-1]|,
 * rounded to the nearest ns. @return it; 0 when n < 2.
 */
int64_t twr_ping_jitter(const int64_t *rtt, size_t n);

/** JSON key of a reason ("malformed", ...); "?" for an unknown value. */
const char *twr_ping_reason_key(enum twr_ping_verdict reason);

/** Text of a reason for people; "?" for an unknown value. */
const char *twr_ping_reason_text(enum twr_ping_verdict reason);

#endif /* TWR_PING_STATS_H */
