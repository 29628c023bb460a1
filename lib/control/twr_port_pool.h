/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PORT_POOL_H
#define TWR_PORT_POOL_H

/**
 * @file
 * The test-port pool of the session manager: the UDP ports of one range
 * (`--test-ports LO-HI`), given out per local address, so that each of the
 * reflector's addresses has the whole range. One bitmap per address,
 * allocated on the address's first port. Control lcore only.
 */

#include <stdbool.h>
#include <stdint.h>

/** Local addresses a pool keeps bitmaps for, at most. */
#define TWR_PORT_POOL_MAX_ADDRS 64

struct twr_port_pool;

/** Tells twr_port_pool_find() whether a port the pool has not given is usable. */
typedef bool (*twr_port_pool_usable_t)(uint16_t port, void *arg);

/**
 * Create a pool of the ports @p lo .. @p hi.
 *
 * @return the pool, or NULL with rte_errno: EINVAL (@p lo 0 or above
 *   @p hi), ENOMEM.
 */
struct twr_port_pool *twr_port_pool_create(uint16_t lo, uint16_t hi);

/** Free a pool; NULL does nothing. */
void twr_port_pool_free(struct twr_port_pool *p);

/** Is @p port in the pool's range? */
bool twr_port_pool_contains(const struct twr_port_pool *p, uint16_t port);

/** Has the pool given @p port on @p addr (IPv6 or IPv4-mapped)? False outside the range. */
bool twr_port_pool_taken(const struct twr_port_pool *p, const uint8_t addr[16], uint16_t port);

/**
 * Give @p port on @p addr.
 *
 * @return 0; -ERANGE (not in the range); -EEXIST (given already);
 *   -ENOSPC (TWR_PORT_POOL_MAX_ADDRS addresses have ports already);
 *   -ENOMEM.
 */
int twr_port_pool_take(struct twr_port_pool *p, const uint8_t addr[16], uint16_t port);

/** Take @p port on @p addr back (nothing when it was not given). */
void twr_port_pool_give(struct twr_port_pool *p, const uint8_t addr[16], uint16_t port);

/**
 * Find a port of the range not given on @p addr that @p usable accepts
 * (NULL: any), looking from the @p start-th port of the range onwards and
 * wrapping around. Nothing is taken.
 *
 * @return the port; 0 when there is none.
 */
uint16_t twr_port_pool_find(const struct twr_port_pool *p, const uint8_t addr[16], uint32_t start,
			    twr_port_pool_usable_t usable, void *arg);

/** Number of ports in the range. */
uint32_t twr_port_pool_size(const struct twr_port_pool *p);

/** Ports given, over every address. */
uint32_t twr_port_pool_used(const struct twr_port_pool *p);

#endif /* TWR_PORT_POOL_H */
