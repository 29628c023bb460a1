/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_ERREST_H
#define TWR_ERREST_H

/**
 * @file
 * Error Estimate (RFC 4656 §4.1.2, Z bit from RFC 8186 §2.3; digest §1.2).
 *
 *     S | Z | Scale (6 bits) | Multiplier (8 bits)
 *     value = Multiplier * 2^Scale * 2^-32 seconds
 */

#include <stdbool.h>
#include <stdint.h>

#define TWR_ERREST_S 0x8000u /**< clock synchronised to UTC */
#define TWR_ERREST_Z 0x4000u /**< timestamp is PTPv2 truncated */

/** A decoded Error Estimate. */
struct twr_errest {
	bool synchronized;  /**< S bit */
	bool ptp;	    /**< Z bit */
	uint8_t scale;	    /**< 0..63 */
	uint8_t multiplier; /**< 1..255 */
	uint64_t error_ns;  /**< the bound in ns, rounded up, saturating */
};

/**
 * Encode an error bound. Picks the smallest Scale whose Multiplier fits in
 * 8 bits, rounding up, so the encoded value is never below the true bound.
 * A bound of 0 encodes Scale 0, Multiplier 1 (Multiplier 0 is forbidden).
 *
 * @param error_ns      the bound in nanoseconds (every uint64_t value fits).
 * @param synchronized  sets S.
 * @param ptp           sets Z (timestamps in PTPv2 format).
 * @return the 16-bit field in host order.
 */
uint16_t twr_errest_encode(uint64_t error_ns, bool synchronized, bool ptp);

/**
 * Decode an Error Estimate.
 *
 * @return 0; -ERANGE when Multiplier is 0 (RFC 4656: the packet is to be
 *   treated as corrupt; out is still filled so a lenient caller may go on);
 *   -EINVAL when @p out is NULL.
 */
int twr_errest_decode(uint16_t field, struct twr_errest *out);

#endif /* TWR_ERREST_H */
