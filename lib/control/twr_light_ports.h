/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_LIGHT_PORTS_H
#define TWR_LIGHT_PORTS_H

/**
 * @file
 * The TWAMP-Light and STAMP reflector ports, and their allow-lists: added
 * and removed while the reflector runs (--light-port, --light-allow, the
 * configuration file and the CLI all come here).
 *
 * A port listens on every address of the reflector: one listen entry per
 * address, all pointing to one port entry (struct twr_session, engine
 * LIGHT or STAMP) that the workers only read. A change of the allow-list
 * publishes a new port entry with a new, immutable struct twr_allow,
 * swapped in place key by key (twr_session_table_replace_listen(): a
 * packet finds the old entry or the new one, never none), and retires the
 * old one: its references go after the RCU grace period, and its list is
 * freed once
 * twr_session_table_synchronize() has seen every worker quiescent (at most
 * TWR_LIGHT_PORTS_SYNC_MS; a busy reader makes the change fail cleanly
 * with -EBUSY, nothing changed).
 *
 * Control lcore only (the session table's single writer).
 */

#include <stdbool.h>
#include <stdint.h>

struct twr_session_table;
struct twr_light_ports;

/** Most ports, and prefixes per allow-list. */
#define TWR_LIGHT_PORTS_MAX	  64
#define TWR_LIGHT_PORTS_MAX_ALLOW 64
/** How long a change waits for the workers' grace period. */
#define TWR_LIGHT_PORTS_SYNC_MS 100

/** One port as configured (twr_light_ports_get()). */
struct twr_light_port_info {
	uint16_t port;
	uint8_t engine; /**< enum twr_engine_id: LIGHT or STAMP */
	bool stateful;
	unsigned int nb_allow; /**< 0: any source */
	uint8_t allow_addr[TWR_LIGHT_PORTS_MAX_ALLOW][16];
	uint8_t allow_len[TWR_LIGHT_PORTS_MAX_ALLOW]; /**< over 128 bits (IPv4 /n: 96 + n) */
};

/**
 * Create the manager of the ports of @p t on @p nb_addrs addresses (IPv6
 * or IPv4-mapped, copied) and @p vlan.
 * @return the manager, or NULL (ENOMEM, EINVAL in rte_errno).
 */
struct twr_light_ports *twr_light_ports_create(struct twr_session_table *t,
					       const uint8_t (*addrs)[16], unsigned int nb_addrs,
					       uint16_t vlan);

/** Forget the manager (the table keeps and frees its entries). */
void twr_light_ports_free(struct twr_light_ports *lp);

/**
 * Reflect TWAMP-Light (or STAMP) on UDP @p port of every address.
 * @return 0; -EEXIST (already a Light/STAMP port); -EBUSY (a managed
 *   session's Receiver Port); -ENOSPC (TWR_LIGHT_PORTS_MAX, or the table);
 *   -EINVAL; -ENOMEM.
 */
int twr_light_ports_add(struct twr_light_ports *lp, uint16_t port, uint8_t engine, bool stateful);

/** Stop reflecting on @p port. @return 0; -ENOENT; -EBUSY (grace period). */
int twr_light_ports_del(struct twr_light_ports *lp, uint16_t port);

/**
 * Add the prefix @p addr/@p len (len over 128 bits; IPv4: 96 + n) to the
 * allow-list of @p port: from then on only sources within its prefixes
 * are answered (others counted under source_not_allowed).
 * @return 0; -ENOENT (no such port); -EEXIST; -ENOSPC; -EINVAL; -EBUSY.
 */
int twr_light_ports_allow_add(struct twr_light_ports *lp, uint16_t port, const uint8_t addr[16],
			      uint8_t len);

/**
 * Remove a prefix (the last one: any source again).
 * @return 0; -ENOENT (no such port); -ENXIO (not in its list); -EBUSY.
 */
int twr_light_ports_allow_del(struct twr_light_ports *lp, uint16_t port, const uint8_t addr[16],
			      uint8_t len);

/** Ports configured. */
unsigned int twr_light_ports_count(const struct twr_light_ports *lp);

/** The @p i-th port (0 .. count - 1). @return 0; -ENOENT. */
int twr_light_ports_get(const struct twr_light_ports *lp, unsigned int i,
			struct twr_light_port_info *info);

#endif /* TWR_LIGHT_PORTS_H */
