/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_SESSION_TABLE_H
#define TWR_SESSION_TABLE_H

/**
 * @file
 * The session table: which struct twr_session a received test packet
 * belongs to.
 *
 * Two rte_hash tables behind one object, both keyed by struct
 * twr_session_key:
 * - exact: the full 5-tuple plus VLAN of a managed TWAMP session (or of a
 *   stateful flow), as negotiated;
 * - listen: the same key with remote_addr and remote_port zero: the
 *   Receiver Port of every managed session, so that a packet from another
 *   source on that port is still found and counted as a source mismatch
 *   (the NAT signature), and the TWAMP-Light / STAMP reflector ports.
 * twr_session_table_lookup_burst() looks a burst up in exact, then the
 * misses in listen.
 *
 * Concurrency. One writer, the control lcore, through the functions
 * marked "control only" (they are not thread-safe among themselves).
 * Any number of readers (the worker lcores) look up lock-free
 * (RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF). Deletion is made safe by RCU
 * (QSBR): a deleted entry's key slot, and the session object once no
 * entry refers to it any more, are reclaimed only after every reader has
 * reported a quiescent state.
 *
 * The reader's duty (twr_worker_main() does it):
 *
 *     struct rte_rcu_qsbr *v = twr_session_table_qsbr(t);
 *     rte_rcu_qsbr_thread_register(v, id);     once, id < max_readers
 *     rte_rcu_qsbr_thread_online(v, id);       before the first lookup
 *     loop:
 *         rx, twr_session_table_lookup_burst(), reflect, tx
 *         rte_rcu_qsbr_quiescent(v, id);       once per loop, holding no
 *                                              session pointer across it
 *     rte_rcu_qsbr_thread_offline(v, id);      before sleeping or leaving
 *     rte_rcu_qsbr_thread_unregister(v, id);   when the lcore stops for good
 *
 * A reader that stays online without reporting quiescent stalls the
 * reclamation of memory (never a lookup, never a packet): a worker that
 * blocks or sleeps must go offline first.
 *
 * Session objects. twr_session_table_session_alloc() returns a zeroed,
 * cache-aligned struct twr_session holding one reference, the caller's.
 * Every table entry that points to it holds one more; a deleted entry
 * gives its reference back only after the grace period. The object is
 * freed when the last reference goes: the caller gives its own with
 * twr_session_table_session_put(). So the session manager may keep its
 * pointer (to read counters, to move an entry) for as long as it holds
 * its reference, and a session found through both tables (exact and
 * listen) is freed once, after both entries are gone.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_rcu_qsbr.h>

#include "twr_session.h"

/** Longest table name, NUL included (rte_hash and ring names derive from it). */
#define TWR_SESSION_TABLE_NAMESIZE 16

/**
 * Lookup key of both tables. Addresses are IPv6, or IPv4 as IPv4-mapped
 * IPv6 (::ffff:a.b.c.d), as in struct twr_pkt_info. "local" is the
 * reflector's side (the packet's destination), "remote" the
 * Session-Sender's (its source). A listen key has remote_addr and
 * remote_port zero. Padding-free, so the whole struct is hashed.
 */
struct twr_session_key {
	uint8_t local_addr[16];
	uint8_t remote_addr[16];
	uint16_t local_port;  /**< host order */
	uint16_t remote_port; /**< host order */
	uint16_t vlan;	      /**< outer VID, 0 untagged */
	uint16_t reserved;    /**< 0 */
};

_Static_assert(sizeof(struct twr_session_key) == 40, "twr_session_key must have no padding");

/** How a key was found: twr_session_table_lookup_burst() @p how values. */
enum twr_session_lookup {
	TWR_SESSION_LOOKUP_MISS = 0,   /**< in neither table */
	TWR_SESSION_LOOKUP_EXACT = 1,  /**< full 5-tuple + VLAN */
	TWR_SESSION_LOOKUP_LISTEN = 2, /**< only the local address, port and VLAN */
};

/** Counters of a table. Read with twr_session_table_stats_get(). */
struct twr_session_table_stats {
	uint32_t max_sessions;	 /**< capacity of each of the two tables */
	uint32_t max_readers;	 /**< QSBR thread ids 0 .. max_readers - 1 */
	uint32_t exact;		 /**< entries in the exact table */
	uint32_t listen;	 /**< entries in the listen table */
	uint32_t sessions;	 /**< session objects allocated and not yet freed */
	uint32_t deferred;	 /**< deletions waiting for their grace period */
	uint64_t adds;		 /**< successful add_exact + add_listen */
	uint64_t add_failures;	 /**< adds refused (-EEXIST, -ENOSPC, ...) */
	uint64_t deletes;	 /**< successful del_exact + del_listen */
	uint64_t reclaimed;	 /**< deletions whose grace period ended */
	uint64_t sessions_freed; /**< session objects freed */
	uint64_t grace_waits;	 /**< times a writer had to wait for a grace period */
};

struct twr_session_table;

/**
 * Called just before a session object's memory is freed (on the control
 * lcore, from a table function): the session manager's last look at it.
 */
typedef void (*twr_session_release_t)(struct twr_session *s, void *arg);

/**
 * Create a session table and the QSBR variable its readers report to.
 * Control only.
 *
 * Both hash tables are sized for @p max_sessions keys each, plus room for
 * deletions still in their grace period, with extendable buckets so that
 * every one of the @p max_sessions keys fits whatever their hashes.
 * Session objects are allocated on demand.
 *
 * @param name          unique name, at most TWR_SESSION_TABLE_NAMESIZE - 1 chars.
 * @param max_sessions  keys per table, 1 .. 2^29.
 * @param max_readers   reader thread ids the QSBR accepts (worker lcores), >= 1.
 * @param socket_id     NUMA socket of the memory, or SOCKET_ID_ANY.
 * @return the table, or NULL with rte_errno: EINVAL (bad argument or name
 *   too long), EEXIST (name in use), ENOMEM.
 */
struct twr_session_table *twr_session_table_create(const char *name, uint32_t max_sessions,
						   uint32_t max_readers, int socket_id);

/**
 * Free the table, every entry and every session object allocated from it
 * (references still held included). Control only. The readers must have
 * stopped: offline or unregistered (deferred objects are reclaimed first;
 * were a reader still online, they are leaked rather than freed under
 * it, with an error logged).
 *
 * @param t  the table; NULL does nothing.
 */
void twr_session_table_free(struct twr_session_table *t);

/**
 * The QSBR variable the readers of @p t register with (see the file
 * comment for the reader's duty).
 *
 * @return the variable; NULL when @p t is NULL.
 */
struct rte_rcu_qsbr *twr_session_table_qsbr(const struct twr_session_table *t);

/**
 * Allocate a zeroed session object (cache-aligned, on the table's socket),
 * holding one reference: the caller's. Fill its configuration fields
 * before the first add (twr_session.h: they are published by the add).
 * Control only.
 *
 * @return the session, or NULL with rte_errno = ENOMEM (EINVAL when @p t
 *   is NULL).
 */
struct twr_session *twr_session_table_session_alloc(struct twr_session_table *t);

/**
 * Give back the caller's reference of @p s. The object is freed now if no
 * table entry refers to it and no deletion is in its grace period, else
 * when the last of those ends. @p s must not be used afterwards. Control
 * only.
 *
 * @param t  the table @p s was allocated from.
 * @param s  the session; NULL does nothing.
 */
void twr_session_table_session_put(struct twr_session_table *t, struct twr_session *s);

/**
 * Register a function called before each session object is freed
 * (replaces the previous one; NULL removes it). Control only.
 */
void twr_session_table_set_release_cb(struct twr_session_table *t, twr_session_release_t fn,
				      void *arg);

/**
 * Insert @p key -> @p s in the exact table. Readers see @p s (and every
 * field written before this call) from their next lookup. Control only.
 *
 * @param t    the table.
 * @param key  the full 5-tuple + VLAN; reserved must be 0.
 * @param s    a session of this table, holding a reference (caller's or an entry's).
 * @return 0; -EINVAL (NULL argument, reserved not 0); -EEXIST (the key is
 *   already in the table: the entry is left as it was); -ENOSPC
 *   (max_sessions entries already).
 */
int twr_session_table_add_exact(struct twr_session_table *t, const struct twr_session_key *key,
				struct twr_session *s);

/**
 * Insert @p key -> @p s in the listen table. As twr_session_table_add_exact().
 *
 * @param key  local address, port and VLAN; remote_addr, remote_port and
 *             reserved must be 0 (-EINVAL otherwise).
 */
int twr_session_table_add_listen(struct twr_session_table *t, const struct twr_session_key *key,
				 struct twr_session *s);

/**
 * Remove @p key from the exact table. Readers stop finding it at once;
 * those that found it before may use the session until their next
 * quiescent state, after which the entry's reference is given back (the
 * object freed if it was the last). Control only.
 *
 * @return 0; -EINVAL (NULL argument); -ENOENT (not in the table); -EBUSY
 *   (the queue of deletions in their grace period is full and a reader
 *   did not report quiescent within TWR_SESSION_TABLE_GRACE_WAIT_MS:
 *   nothing was removed, try again).
 */
int twr_session_table_del_exact(struct twr_session_table *t, const struct twr_session_key *key);

/** Remove @p key from the listen table. As twr_session_table_del_exact(). */
int twr_session_table_del_listen(struct twr_session_table *t, const struct twr_session_key *key);

/**
 * Point the listen key @p key at @p s instead of its current session,
 * atomically: a reader finds the old session or the new one, never
 * neither (a TWAMP-Light port's new configuration). The old session's
 * reference is given back after the grace period. Control only.
 *
 * @return 0; -ENOENT (no such key); -EINVAL; -EBUSY (as
 *   twr_session_table_del_exact()).
 */
int twr_session_table_replace_listen(struct twr_session_table *t, const struct twr_session_key *key,
				     struct twr_session *s);

/** How long a writer waits for readers when its queue of deletions is full. */
#define TWR_SESSION_TABLE_GRACE_WAIT_MS 100

/**
 * Find the session of an exact key (control plane: the session manager's
 * own checks). Safe from a reader too, under the reader's duty.
 *
 * @return the session, or NULL.
 */
struct twr_session *twr_session_table_find_exact(const struct twr_session_table *t,
						 const struct twr_session_key *key);

/** Find the session of a listen key (remote part ignored). As twr_session_table_find_exact(). */
struct twr_session *twr_session_table_find_listen(const struct twr_session_table *t,
						  const struct twr_session_key *key);

/**
 * Look a burst of keys up: in the exact table first, then the misses in
 * the listen table (with their remote part zeroed). The data-plane lookup,
 * lock-free, for registered and online readers. Each found session's
 * first cache line is prefetched.
 *
 * @param t     the table.
 * @param keys  @p n keys (any n; looked up 64 at a time).
 * @param n     number of keys.
 * @param out   filled: the session of each key, NULL on a miss.
 * @param how   filled: enum twr_session_lookup of each key.
 * @return the number of keys found (exact + listen).
 */
unsigned int twr_session_table_lookup_burst(const struct twr_session_table *t,
					    const struct twr_session_key *const keys[],
					    unsigned int n, struct twr_session *out[],
					    uint8_t how[]);

/**
 * Complete the deletions whose grace period has ended: free their key
 * slots and give back their references. Never waits. The control lcore
 * calls it periodically (deletions also do it as they go). Control only.
 *
 * @return the number completed (>= 0), or -EINVAL.
 */
int twr_session_table_reclaim(struct twr_session_table *t);

/**
 * Wait until every deletion made so far has passed its grace period, at
 * most @p timeout_ms, and complete them. Control only.
 *
 * @return 0; -ETIMEDOUT (a reader stayed online without reporting
 *   quiescent); -EINVAL.
 */
int twr_session_table_synchronize(struct twr_session_table *t, unsigned int timeout_ms);

/**
 * Entries in both tables (exact + listen). Any thread.
 *
 * @return the count; 0 when @p t is NULL.
 */
uint32_t twr_session_table_count(const struct twr_session_table *t);

/**
 * Read the table's counters. Any thread (telemetry): each field is read
 * atomically, the set is not a single snapshot.
 *
 * @return 0; -EINVAL on a NULL argument.
 */
int twr_session_table_stats_get(const struct twr_session_table *t,
				struct twr_session_table_stats *stats);

/**
 * Walk one of the tables (CLI, telemetry listings). Control only.
 *
 * @param t       the table.
 * @param listen  false: the exact table; true: the listen table.
 * @param next    iterator: 0 to start, advanced by each call.
 * @param key     out: the entry's key (points into the table: copy it
 *                before the next table change).
 * @param s       out: the entry's session.
 * @return 0 with an entry; -ENOENT at the end; -EINVAL.
 */
int twr_session_table_iterate(const struct twr_session_table *t, bool listen, uint32_t *next,
			      const struct twr_session_key **key, struct twr_session **s);

/**
 * Make the listen key of @p key: a copy with remote_addr and remote_port
 * zeroed.
 */
static inline void
twr_session_key_to_listen(const struct twr_session_key *key, struct twr_session_key *listen)
{
	*listen = *key;
	memset(listen->remote_addr, 0, sizeof(listen->remote_addr));
	listen->remote_port = 0;
}

#endif /* TWR_SESSION_TABLE_H */
