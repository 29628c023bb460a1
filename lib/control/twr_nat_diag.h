/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_NAT_DIAG_H
#define TWR_NAT_DIAG_H

/**
 * @file
 * The NAT diagnosis of a managed session, as operators read it: in the
 * log, in the stats output, in telemetry and the CLI (docs/nat.md).
 *
 * struct twr_nat_info is one session's NAT picture, read from the data
 * plane's struct twr_session_nat (twr_nat.h) plus what the session
 * manager knows (id, SID, control peer, policy). The session manager
 * fills it (twr_session_mgr_nat_foreach()); the functions here name, format
 * and rate-limit. Control lcore only.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "twr_proto.h"
#include "twr_session.h"

/** What the NAT state of a session looks like from outside. */
enum twr_nat_state {
	TWR_NAT_STATE_NONE = 0,	   /**< strict policy: nothing to latch */
	TWR_NAT_STATE_PENDING = 1, /**< latch policy, window open, nothing latched yet */
	TWR_NAT_STATE_LATCHED = 2, /**< latch policy, latched */
	TWR_NAT_STATE_EXPIRED = 3, /**< latch policy, window closed without a latch */
};

/** The likely cause of a mismatch, from the first source observed. */
enum twr_nat_cause {
	TWR_NAT_CAUSE_NONE = 0,		  /**< no mismatch seen */
	TWR_NAT_CAUSE_ADDRESS_ONLY = 1,	  /**< address changed, port kept */
	TWR_NAT_CAUSE_PORT_REWRITING = 2, /**< port changed (NAPT), address changed or not */
	/**
	 * The address is neither the negotiated one nor the control peer's: a
	 * third host (or a NAT that uses another public address for UDP).
	 */
	TWR_NAT_CAUSE_OTHER_HOST = 3,
};

/** A tuple with its wall-clock time. */
struct twr_nat_seen {
	uint8_t addr[16]; /**< IPv6 or IPv4-mapped */
	uint16_t port;
	uint64_t unix_ns; /**< 0: never */
};

/** One session's NAT picture. */
struct twr_nat_info {
	uint32_t id;		  /**< the session manager's session number, from 1 */
	uint8_t sid[TWR_SID_LEN]; /**< the TWAMP SID */
	uint8_t peer[16];	  /**< the control connection's peer address */
	uint8_t policy;		  /**< enum twr_nat_policy */
	uint8_t state;		  /**< enum twr_nat_state */
	uint8_t cause;		  /**< enum twr_nat_cause */
	bool live;		  /**< still installed (else: history of an ended session) */
	bool sender_not_peer;	  /**< the request named a Sender Address other than the peer */
	uint8_t local[16];	  /**< our address (Receiver Address) */
	uint16_t local_port;	  /**< the Receiver Port */
	struct twr_nat_seen requested;	     /**< negotiated Sender Address and Port (unix_ns 0) */
	struct twr_nat_seen latched;	     /**< unix_ns 0: not latched */
	struct twr_nat_seen first;	     /**< first mismatching source */
	struct twr_nat_seen last;	     /**< last mismatching source */
	uint64_t mismatch[TWR_NAT_KIND_MAX]; /**< not answered, by what differs */
	uint64_t latch_refused;
	uint64_t latch_late;
	uint64_t rx;	    /**< every packet on the Receiver Port for this session */
	uint64_t reflected; /**< answered */
};

/** Totals over sessions (live and history) and the control path. */
struct twr_nat_totals {
	uint64_t sessions_mismatch; /**< sessions that saw at least one mismatch */
	uint64_t mismatch[TWR_NAT_KIND_MAX];
	uint64_t latched; /**< sessions latched */
	uint64_t latch_refused;
	uint64_t latch_late;
	uint64_t sender_not_peer; /**< control-path NAT indications (Request-TW-Session) */
};

/**
 * Read the data-plane part of @p info from @p s (the counters, the latch
 * and the observed tuples; first and last under their lock).
 *
 * @param info     filled: state, cause, latched, first, last, counters.
 *                 requested must be set before the call (the cause needs it).
 * @param s        the session.
 * @param now_tsc  rte_rdtsc() now, and @p now_unix_ns CLOCK_REALTIME now
 *                 (to turn the data plane's TSC times into wall-clock).
 * @param tsc_hz   TSC rate.
 */
void twr_nat_info_read(struct twr_nat_info *info, struct twr_session *s, uint64_t now_tsc,
		       uint64_t now_unix_ns, uint64_t tsc_hz);

/** Has this session anything to say about NAT (a mismatch, a latch, a refusal)? */
bool twr_nat_info_active(const struct twr_nat_info *info);

/** Add @p info to @p t. */
void twr_nat_totals_add(struct twr_nat_totals *t, const struct twr_nat_info *info);

/** "strict", "latch". */
const char *twr_nat_policy_name(unsigned int policy);
/** "none", "pending", "latched", "expired". */
const char *twr_nat_state_name(unsigned int state);
/** "none", "address-only-nat", "port-rewriting-nat", "other-host". */
const char *twr_nat_cause_name(unsigned int cause);

/**
 * Parse a policy name.
 * @return enum twr_nat_policy, or -EINVAL.
 */
int twr_nat_policy_parse(const char *name);

/**
 * Format @p addr (IPv6 or IPv4-mapped) and @p port: "198.18.0.1:40001",
 * "[2001:db8::1]:40001".
 */
void twr_nat_tuple_fmt(char *buf, size_t len, const uint8_t addr[16], uint16_t port);

/**
 * The log line of a session's first mismatch (or latch, or refusal): the
 * session, the negotiated and observed tuples, the likely cause and what
 * the policy did about it. No newline.
 */
void twr_nat_info_explain(char *buf, size_t len, const struct twr_nat_info *info);

/** Print the NAT-SESSION line of @p info (key=value, newline). */
void twr_nat_info_print(FILE *f, const struct twr_nat_info *info);

/** Print the FINAL-NAT-style totals after @p tag (newline). */
void twr_nat_totals_print(FILE *f, const char *tag, const struct twr_nat_totals *t);

/** A token bucket for log lines: at most burst at once, rate per second. */
struct twr_ratelimit {
	uint64_t tsc_hz;
	uint64_t last_tsc;
	uint32_t rate;
	uint32_t burst;
	uint32_t tokens;
	uint64_t suppressed; /**< refused since the last allowed line */
};

/** Set up @p rl: @p rate lines per second, @p burst at once. */
void twr_ratelimit_init(struct twr_ratelimit *rl, uint32_t rate, uint32_t burst, uint64_t tsc_hz);

/**
 * May a line be logged now? Counts the refusal otherwise.
 *
 * @param rl        the bucket.
 * @param now_tsc   rte_rdtsc().
 * @param suppressed  set, when allowed, to the lines refused since the
 *                  previous allowed one (then reset): say so in the log.
 */
bool twr_ratelimit_allow(struct twr_ratelimit *rl, uint64_t now_tsc, uint64_t *suppressed);

#endif /* TWR_NAT_DIAG_H */
