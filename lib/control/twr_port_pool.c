/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Test-port pool: per local address, a bitmap of the range (bit i: port
 * lo + i given).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>

#include "twr_port_pool.h"

struct pool_addr {
	uint8_t addr[16];
	uint64_t *bits;
	uint32_t used;
};

struct twr_port_pool {
	uint16_t lo;
	uint16_t hi;
	uint32_t size;	/* hi - lo + 1 */
	uint32_t words; /* 64-bit words of a bitmap */
	unsigned int nb_addrs;
	struct pool_addr addrs[TWR_PORT_POOL_MAX_ADDRS];
};

struct twr_port_pool *
twr_port_pool_create(uint16_t lo, uint16_t hi)
{
	struct twr_port_pool *p;

	if (lo == 0 || hi < lo) {
		rte_errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	p->lo = lo;
	p->hi = hi;
	p->size = (uint32_t)(hi - lo) + 1;
	p->words = (p->size + 63) / 64;
	return p;
}

void
twr_port_pool_free(struct twr_port_pool *p)
{
	unsigned int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nb_addrs; i++)
		free(p->addrs[i].bits);
	free(p);
}

static struct pool_addr *
addr_find(const struct twr_port_pool *p, const uint8_t addr[16])
{
	unsigned int i;

	for (i = 0; i < p->nb_addrs; i++)
		if (memcmp(p->addrs[i].addr, addr, 16) == 0)
			return (struct pool_addr *)(uintptr_t)&p->addrs[i];
	return NULL;
}

bool
twr_port_pool_contains(const struct twr_port_pool *p, uint16_t port)
{
	return p != NULL && port >= p->lo && port <= p->hi;
}

static bool
bit_get(const struct pool_addr *a, uint32_t i)
{
	return (a->bits[i / 64] >> (i % 64)) & 1;
}

bool
twr_port_pool_taken(const struct twr_port_pool *p, const uint8_t addr[16], uint16_t port)
{
	const struct pool_addr *a;

	if (!twr_port_pool_contains(p, port))
		return false;
	a = addr_find(p, addr);
	return a != NULL && bit_get(a, (uint32_t)(port - p->lo));
}

int
twr_port_pool_take(struct twr_port_pool *p, const uint8_t addr[16], uint16_t port)
{
	struct pool_addr *a;
	uint32_t i;

	if (!twr_port_pool_contains(p, port))
		return -ERANGE;
	a = addr_find(p, addr);
	if (a == NULL) {
		if (p->nb_addrs == TWR_PORT_POOL_MAX_ADDRS)
			return -ENOSPC;
		a = &p->addrs[p->nb_addrs];
		a->bits = calloc(p->words, sizeof(*a->bits));
		if (a->bits == NULL)
			return -ENOMEM;
		memcpy(a->addr, addr, 16);
		a->used = 0;
		p->nb_addrs++;
	}
	i = (uint32_t)(port - p->lo);
	if (bit_get(a, i))
		return -EEXIST;
	a->bits[i / 64] |= 1ull << (i % 64);
	a->used++;
	return 0;
}

void
twr_port_pool_give(struct twr_port_pool *p, const uint8_t addr[16], uint16_t port)
{
	struct pool_addr *a;
	uint32_t i;

	if (!twr_port_pool_contains(p, port))
		return;
	a = addr_find(p, addr);
	i = (uint32_t)(port - p->lo);
	if (a == NULL || !bit_get(a, i))
		return;
	a->bits[i / 64] &= ~(1ull << (i % 64));
	a->used--;
}

uint16_t
twr_port_pool_find(const struct twr_port_pool *p, const uint8_t addr[16], uint32_t start,
		   twr_port_pool_usable_t usable, void *arg)
{
	const struct pool_addr *a;
	uint32_t n, i;
	uint16_t port;

	if (p == NULL)
		return 0;
	a = addr_find(p, addr);
	if (a != NULL && a->used >= p->size)
		return 0;
	for (n = 0; n < p->size; n++) {
		i = (start + n) % p->size;
		/* a full word is skipped at once (start may sit inside one) */
		if (a != NULL && i % 64 == 0 && a->bits[i / 64] == UINT64_MAX &&
		    n + 64 <= p->size) {
			n += 63;
			continue;
		}
		if (a != NULL && bit_get(a, i))
			continue;
		port = (uint16_t)(p->lo + i);
		if (usable == NULL || usable(port, arg))
			return port;
	}
	return 0;
}

uint32_t
twr_port_pool_size(const struct twr_port_pool *p)
{
	return p == NULL ? 0 : p->size;
}

uint32_t
twr_port_pool_used(const struct twr_port_pool *p)
{
	uint32_t n = 0;
	unsigned int i;

	if (p == NULL)
		return 0;
	for (i = 0; i < p->nb_addrs; i++)
		n += p->addrs[i].used;
	return n;
}
