/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_ADDR_H
#define TWR_ADDR_H

/**
 * @file
 * Addresses as the reflector keeps them: 16 octets, IPv6, or IPv4 as
 * IPv4-mapped IPv6 (::ffff:a.b.c.d); prefixes as a length over those 128
 * bits (an IPv4 /n is 96 + n). One set of helpers for the session
 * manager, the light ports, the TAP, the reports and the options.
 */

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/** Is @p a IPv4 (IPv4-mapped)? */
static inline bool
twr_addr_is_v4(const uint8_t a[16])
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/**
 * An address of TWAMP-Control's form (IPv4 in the first 4 octets when
 * @p ipvn is 4, else IPv6) as a 16-octet address.
 */
static inline void
twr_addr_map(uint8_t ipvn, const uint8_t *in, uint8_t out[16])
{
	if (ipvn == 6) {
		memcpy(out, in, 16);
		return;
	}
	memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	memcpy(out + 12, in, 4);
}

/** The mask of a prefix of @p len bits (0..128) over 16 octets. */
static inline void
twr_addr_mask(unsigned int len, uint8_t mask[16])
{
	unsigned int i;

	for (i = 0; i<16; i++, len = len> 8 ? len - 8 : 0)
		mask[i] = len >= 8 ? 0xff : (uint8_t)(0xff00u >> len);
}

/** Do @p a and @p b share their first @p len bits? */
static inline bool
twr_addr_prefix_match(const uint8_t a[16], const uint8_t b[16], unsigned int len)
{
	uint8_t mask[16];
	unsigned int i;

	twr_addr_mask(len, mask);
	for (i = 0; i < 16; i++)
		if ((a[i] & mask[i]) != (b[i] & mask[i]))
			return false;
	return true;
}

/** Format @p a: "198.18.0.1", "2001:db8::1" ("?" if it cannot be). */
static inline void
twr_addr_fmt(char *buf, size_t len, const uint8_t a[16])
{
	bool v4 = twr_addr_is_v4(a);

	if (inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a + 12 : a, buf, (socklen_t)len) == NULL)
		snprintf(buf, len, "?");
}

#endif /* TWR_ADDR_H */
