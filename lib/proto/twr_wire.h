/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_WIRE_H
#define TWR_WIRE_H

/**
 * @file
 * Big-endian loads and stores on unaligned byte buffers.
 *
 * Every wire format in lib/proto goes through these, so that no code casts
 * a packet pointer to a wider type (unaligned access, strict aliasing).
 * They compile to a single move plus bswap on x86-64.
 */

#include <stdint.h>
#include <string.h>

static inline uint16_t
twr_get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t
twr_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t
twr_get_be64(const uint8_t *p)
{
	return (uint64_t)twr_get_be32(p) << 32 | twr_get_be32(p + 4);
}

static inline void
twr_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
twr_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void
twr_put_be64(uint8_t *p, uint64_t v)
{
	twr_put_be32(p, (uint32_t)(v >> 32));
	twr_put_be32(p + 4, (uint32_t)v);
}

/** True when all @p len octets at @p p are zero. */
static inline int
twr_is_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

#endif /* TWR_WIRE_H */
