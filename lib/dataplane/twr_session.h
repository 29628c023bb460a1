/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SESSION_H
#define TWR_SESSION_H

/**
 * @file
 * The per-session (or per-flow) state a reflect engine reads and writes.
 *
 * One struct serves the three engines:
 * - a managed TWAMP session (engine TWAMP): installed by the session
 *   manager from an accepted Request-TW-Session;
 * - a stateful TWAMP-Light or STAMP flow (TWR_SESSION_F_STATEFUL): its own
 *   reflector sequence counter;
 * - a stateless TWAMP-Light or STAMP reflector port: the same struct holds
 *   the port's configuration; the engines never write it (no flag
 *   STATEFUL), so it may be shared by every lcore.
 *
 * Concurrency (DESIGN.md): the control lcore fills the configuration
 * fields before it publishes the struct (session table insert, RCU) and
 * changes only run_state/expire_tsc and peer_* afterwards. Fields marked
 * "owner lcore" are written by the one worker that receives the session's
 * packets (RSS on the received 5-tuple keeps them on one queue), with
 * plain stores: no atomics on the hot path. The control lcore reads them
 * for telemetry and may see a value one packet old; 64-bit loads and
 * stores are not torn on the 64-bit targets DPDK supports.
 *
 * The session table (lookup key, RCU) is not here: it hands a pointer to
 * this struct to the engine.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_spinlock.h>

#include "twr_dp_reasons.h"

/** Life of a managed session (RFC 5357 §3.7-3.8, RFC 5938). */
enum twr_session_run {
	TWR_SESSION_PENDING = 0,  /**< accepted, Start-Sessions not received: ignore packets */
	TWR_SESSION_STARTED = 1,  /**< reflect */
	TWR_SESSION_STOPPING = 2, /**< stopped: reflect until expire_tsc (Stop + Timeout) */
	TWR_SESSION_DEAD = 3,	  /**< past expire_tsc or being removed: ignore packets */
};

/** How the reply's DSCP is chosen (TWAMP-Light and STAMP; RFC 7750 §2.2.1). */
enum twr_dscp_policy {
	/** Copy the received DSCP (default: the reply rides the class being measured). */
	TWR_DSCP_COPY = 0,
	/** Use twr_session::dscp (0: CS0). Managed TWAMP always does (Type-P). */
	TWR_DSCP_FIXED = 1,
};

/** @name twr_session::flags */
/**@{*/
/** Own reflector sequence counter (Light/STAMP stateful; managed TWAMP ignores it). */
#define TWR_SESSION_F_STATEFUL 0x01u
/** Timestamps in PTPv2 truncated format, Z bit set (RFC 8186). */
#define TWR_SESSION_F_PTP 0x02u
/** STAMP: honour DSCP1 of a Class of Service TLV (RFC 8972 §4.4). */
#define TWR_SESSION_F_COS_PERMIT 0x04u
/**@}*/

/** NAT policy of a managed session (docs/nat.md). */
enum twr_nat_policy {
	TWR_NAT_STRICT = 0, /**< answer the negotiated Session-Sender only (RFC 5357) */
	TWR_NAT_LATCH = 1,  /**< restricted latching (digest §6.3-6.4, twr_nat.h) */
};

/** twr_session::latch_state. */
enum twr_latch_state {
	TWR_LATCH_NONE = 0,    /**< strict: the negotiated tuple is answered */
	TWR_LATCH_PENDING = 1, /**< latch policy, nothing latched yet: every packet takes twr_nat */
	TWR_LATCH_BUSY = 2,    /**< one worker is writing the latched tuple */
	TWR_LATCH_DONE = 3,    /**< the latched tuple (twr_session_nat) is answered */
};

/** How an observed source differs from the negotiated one (twr_session_nat::mismatch). */
enum twr_nat_kind {
	TWR_NAT_KIND_ADDR = 0, /**< address changed, port kept: address-only NAT */
	TWR_NAT_KIND_PORT = 1, /**< port changed, address kept */
	TWR_NAT_KIND_BOTH = 2, /**< both changed: port-rewriting NAT (NAPT) */
	TWR_NAT_KIND_MAX
};

/**
 * The sources a TWAMP-Light or STAMP port answers: its allow-list (RFC 8545
 * §6: operators restrict reflector ports). Immutable once published: a
 * change publishes a new port entry with a new list (lib/control's
 * twr_light_ports), and the old list is freed after an RCU grace period.
 */
struct twr_allow {
	uint32_t n; /**< prefixes */
	struct {
		uint8_t addr[16]; /**< masked; IPv6 or IPv4-mapped */
		uint8_t mask[16];
	} prefix[];
};

/** Is @p addr (IPv6 or IPv4-mapped) within one of the prefixes of @p a? */
static inline bool
twr_allow_match(const struct twr_allow *a, const uint8_t addr[16])
{
	uint32_t i;
	unsigned int k;

	for (i = 0; i < a->n; i++) {
		for (k = 0; k < 16; k++)
			if ((addr[k] & a->prefix[i].mask[k]) != a->prefix[i].addr[k])
				break;
		if (k == 16)
			return true;
	}
	return false;
}

/**
 * Per-session counters of the owner lcore, on their own cache line: the
 * packets from the tuple the session answers (the negotiated one, or the
 * latched one). Packets from any other source are counted in struct
 * twr_session_nat instead (they may arrive on any lcore).
 */
struct twr_session_stats {
	uint64_t rx;	      /**< dp: wo (owner lcore), ctl: ro */
	uint64_t reflected;   /**< dp: wo (owner lcore), ctl: ro */
	uint64_t dropped;     /**< dp: wo (owner lcore), ctl: ro; all DROP reasons */
	uint64_t last_rx_tsc; /**< dp: wo (owner lcore), ctl: ro; last reflected (REFWAIT) */
};

/** A source as observed on the wire, with its time. */
struct twr_nat_tuple {
	uint8_t addr[16]; /**< IPv6 or IPv4-mapped */
	uint16_t port;	  /**< host order */
	uint64_t tsc;	  /**< when (TSC); 0: never */
};

/**
 * The NAT state of a managed session (twr_nat.h). Packets that do not come
 * from the answered tuple may land on any worker (RSS hashes their own
 * 5-tuple), so its counters are atomic adds and the observed tuples are
 * written under a try-lock: a worker never waits for another.
 */
struct twr_session_nat {
	/** Latch policy: the allowed source (control peer, masked). ctl: wo before publish. */
	uint8_t allow_addr[16];
	uint8_t allow_mask[16]; /**< ctl: wo before publish */
	/** No latching after this TSC. ctl: wo before the release store of STARTED. */
	uint64_t latch_deadline_tsc;
	/** dp: wo once (the worker that moved latch_state to BUSY), ro after DONE. */
	struct twr_nat_tuple latched;
	/** Packets from another source, not answered, by what differs from the negotiated. */
	uint64_t mismatch[TWR_NAT_KIND_MAX]; /**< dp: atomic add (any lcore), ctl: ro */
	uint64_t other_rx;		     /**< all not answered (incl. the negotiated tuple
						  refused under latch). dp: atomic add, ctl: ro */
	uint64_t latch_refused; /**< latch pending, source not allowed. dp: atomic add, ctl: ro */
	uint64_t latch_late;	/**< allowed source after the window. dp: atomic add, ctl: ro */
	rte_spinlock_t lock;	/**< guards first and last; dp: trylock only */
	struct twr_nat_tuple first; /**< first mismatching source. dp: wo (lock), ctl: ro */
	struct twr_nat_tuple last;  /**< last mismatching source. dp: wo (lock), ctl: ro */
};

/** A session or flow, as the engines see it. */
struct twr_session {
	/* First cache line: what the per-packet handler reads. */
	/** Next reflector Sequence Number. dp: rw (owner lcore), ctl: ro. */
	uint32_t tx_seq;
	/** TWR_MODE_* negotiated (Light/STAMP: configured). dp: ro, ctl: wo before publish. */
	uint32_t modes;
	uint8_t engine;	     /**< enum twr_engine_id. dp: ro, ctl: wo before publish */
	uint8_t flags;	     /**< TWR_SESSION_F_*. dp: ro, ctl: wo before publish */
	uint8_t dscp_policy; /**< enum twr_dscp_policy. dp: ro, ctl: wo before publish */
	uint8_t dscp;	     /**< reply DSCP (Type-P for TWAMP). dp: ro, ctl: wo before publish */
	/** enum twr_session_run. dp: ro (acquire), ctl: rw (release). */
	uint8_t run_state;
	/**
	 * enum twr_latch_state. ctl: wo before publish (NONE or PENDING);
	 * dp: PENDING -> BUSY by CAS (one worker), BUSY -> DONE (release).
	 */
	uint8_t latch_state;
	/** RFC 6038 Length of padding to reflect (L). dp: ro, ctl: wo before publish. */
	uint16_t reflect_len;
	/**
	 * Negotiated Padding Length. Informational: the reply is sized from
	 * the received length (docs/decisions.md). dp: ro, ctl: wo before publish.
	 */
	uint16_t padding_len;
	/** STAMP SSID provisioned (0: any). dp: ro, ctl: wo before publish. */
	uint16_t ssid;
	/**
	 * Negotiated Session-Sender port, host order, and address (IPv4-mapped
	 * for IPv4); a latched session answers twr_session_nat::latched
	 * instead. Managed TWAMP, and the sender of a Light/STAMP flow.
	 * dp: ro, ctl: wo before publish.
	 */
	uint16_t peer_port;
	uint8_t peer_addr[16];
	/** While STOPPING: reflect while rx tsc < this. dp: ro, ctl: wo before the release. */
	uint64_t expire_tsc;
	/** Light/STAMP port: its allow-list, NULL: any source. dp: ro, ctl: wo before publish. */
	const struct twr_allow *allow;

	struct twr_session_stats stats __rte_cache_aligned;
	/** Managed TWAMP only: NAT detection and latching. */
	struct twr_session_nat nat __rte_cache_aligned;
} __rte_cache_aligned;

/**
 * May packets of this session be reflected now?
 *
 * @param s    the session.
 * @param tsc  TSC at which the packet was received.
 * @return TWR_DP_OK; TWR_DP_REASON_SESSION_NOT_STARTED;
 *   TWR_DP_REASON_SESSION_EXPIRED.
 */
static inline int
twr_session_check_run(const struct twr_session *s, uint64_t tsc)
{
	/* Pairs with the control lcore's release store after expire_tsc. */
	uint8_t st = __atomic_load_n(&s->run_state, __ATOMIC_ACQUIRE);

	if (likely(st == TWR_SESSION_STARTED))
		return TWR_DP_OK;
	if (st == TWR_SESSION_STOPPING && tsc < s->expire_tsc)
		return TWR_DP_OK;
	if (st == TWR_SESSION_PENDING)
		return TWR_DP_REASON_SESSION_NOT_STARTED;
	return TWR_DP_REASON_SESSION_EXPIRED;
}

/**
 * Account one packet of the session's answered tuple, on its owner lcore,
 * after the engine (and, for reflected packets, before TX: a TX refusal is
 * counted per lcore under tx_full only). A packet the engine marked
 * foreign (twr_dp_pkt::foreign) goes to twr_nat_account() instead.
 *
 * @param s       the session (not a shared stateless port entry).
 * @param reason  what the engine returned.
 * @param tsc     receive TSC.
 */
static inline void
twr_session_account(struct twr_session *s, int reason, uint64_t tsc)
{
	struct twr_session_stats *st = &s->stats;

	st->rx++;
	if (likely(reason == TWR_DP_OK)) {
		/* Only answered packets keep a session alive. */
		st->reflected++;
		st->last_rx_tsc = tsc;
		return;
	}
	st->dropped++;
}

#endif /* TWR_SESSION_H */
