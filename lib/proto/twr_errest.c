/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#include <errno.h>
#include <stddef.h>

#include "twr_errest.h"
#include "twr_time.h"

uint16_t
twr_errest_encode(uint64_t error_ns, bool synchronized, bool ptp)
{
	/*
	 * The bound in 2^-32 s units, rounded up; 128-bit because a bound
	 * above ~4.3 s overflows 64 bits once multiplied by 2^32.
	 */
	unsigned __int128 units = ((unsigned __int128)error_ns << 32) + (TWR_NS_PER_SEC - 1);
	unsigned int scale = 0;
	uint64_t mult;

	units /= TWR_NS_PER_SEC;
	/* Smallest Scale whose rounded-up Multiplier fits in 8 bits. */
	while (scale < 63 && (units + (((unsigned __int128)1 << scale) - 1)) >> scale > 255)
		scale++;
	mult = (uint64_t)((units + (((unsigned __int128)1 << scale) - 1)) >> scale);
	if (mult == 0)
		mult = 1; /* Multiplier 0 is forbidden (RFC 4656 §4.1.2). */
	if (mult > 255)
		mult = 255; /* unreachable: 255 * 2^63 * 2^-32 s exceeds any uint64_t ns */
	return (uint16_t)((synchronized ? TWR_ERREST_S : 0) | (ptp ? TWR_ERREST_Z : 0) |
			  scale << 8 | mult);
}

int
twr_errest_decode(uint16_t field, struct twr_errest *out)
{
	unsigned __int128 ns;

	if (out == NULL)
		return -EINVAL;
	out->synchronized = (field & TWR_ERREST_S) != 0;
	out->ptp = (field & TWR_ERREST_Z) != 0;
	out->scale = (uint8_t)((field >> 8) & 0x3f);
	out->multiplier = (uint8_t)field;
	/* Rounded up so that the decoded bound is never below the encoded one. */
	ns = ((unsigned __int128)out->multiplier << out->scale) * TWR_NS_PER_SEC;
	ns = (ns + ((1ull << 32) - 1)) >> 32;
	out->error_ns = ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
	return out->multiplier == 0 ? -ERANGE : 0;
}
