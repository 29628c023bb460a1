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

#include <stdint.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

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

/** Per-session counters, on their own cache line. */
struct twr_session_stats {
	uint64_t rx;		  /**< dp: wo (owner lcore), ctl: ro */
	uint64_t reflected;	  /**< dp: wo (owner lcore), ctl: ro */
	uint64_t dropped;	  /**< dp: wo (owner lcore), ctl: ro; all DROP reasons */
	uint64_t source_mismatch; /**< dp: wo (owner lcore), ctl: ro; the NAT signature */
	uint64_t last_rx_tsc;	  /**< dp: wo (owner lcore), ctl: ro; last reflected (REFWAIT) */
	/** Source of the last mismatching packet (diagnosis of NAT). */
	uint8_t mismatch_addr[16]; /**< dp: wo (owner lcore), ctl: ro */
	uint16_t mismatch_port;	   /**< dp: wo (owner lcore), ctl: ro; host order */
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
	uint8_t reserved;
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
	 * Negotiated (or latched) Session-Sender port, host order, and address
	 * (IPv4-mapped for IPv4). Managed TWAMP only. dp: ro, ctl: rw (latching).
	 */
	uint16_t peer_port;
	uint8_t peer_addr[16];
	/** While STOPPING: reflect while rx tsc < this. dp: ro, ctl: wo before the release. */
	uint64_t expire_tsc;

	struct twr_session_stats stats __rte_cache_aligned;
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
 * Account one packet of the session, on its owner lcore, after the engine
 * (and, for reflected packets, before TX: a TX refusal is counted per
 * lcore under tx_full only).
 *
 * @param s       the session (not a shared stateless port entry).
 * @param reason  what the engine returned.
 * @param tsc     receive TSC.
 * @param src_addr, src_port  the packet's source (kept on source_mismatch).
 */
static inline void
twr_session_account(struct twr_session *s, int reason, uint64_t tsc, const uint8_t src_addr[16],
		    uint16_t src_port)
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
	if (reason == TWR_DP_REASON_SOURCE_MISMATCH) {
		st->source_mismatch++;
		memcpy(st->mismatch_addr, src_addr, sizeof(st->mismatch_addr));
		st->mismatch_port = src_port;
	}
}

#endif /* TWR_SESSION_H */
