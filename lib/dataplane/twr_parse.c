/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The out-of-line part of the parser: IPv6 extension headers. Test
 * packets almost never carry them, so the walk stays out of the inlined
 * fast path; it is bounded (TWR_PARSE_IPV6_EXT_MAX headers) so that a
 * crafted chain cannot make a packet expensive.
 */

#include <stdint.h>
#include <netinet/in.h>

#include "twr_parse.h"

/* Protocol numbers <netinet/in.h> may lack (IANA "IPv6 Extension Header Types"). */
#define TWR_IPPROTO_MOBILITY 135
#define TWR_IPPROTO_HIP	     139
#define TWR_IPPROTO_SHIM6    140
#define TWR_IPPROTO_EXP1     253
#define TWR_IPPROTO_EXP2     254

/* Generic extension header: Next Header, Hdr Ext Len (8-octet units, minus one). */
#define EXT_HDR_MIN_LEN 8
/* Routing header: Segments Left at octet 3. */
#define ROUTING_SEGMENTS_LEFT 3
/* Fragment header: 8 octets, Fragment Offset (13 bits) and M flag in octets 2-3. */
#define FRAG_HDR_LEN   8
#define FRAG_DATA_MASK 0xfff9u /* offset and M; the two reserved bits ignored */

int
twr_parse_ipv6_ext(const uint8_t *frame, uint32_t *off, uint32_t end, uint8_t *nh)
{
	const uint8_t *p;
	uint32_t hlen;
	unsigned int n;

	for (n = 0;; n++) {
		switch (*nh) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_FRAGMENT:
			break;
		case IPPROTO_AH:
		case TWR_IPPROTO_MOBILITY:
		case TWR_IPPROTO_HIP:
		case TWR_IPPROTO_SHIM6:
		case TWR_IPPROTO_EXP1:
		case TWR_IPPROTO_EXP2:
			return TWR_DP_REASON_IPV6_EXT_HEADER;
		default:
			/* An upper-layer protocol (UDP or not), ESP, No Next Header. */
			return TWR_DP_OK;
		}
		if (n == TWR_PARSE_IPV6_EXT_MAX)
			return TWR_DP_REASON_IPV6_EXT_HEADER;
		if (end - *off < EXT_HDR_MIN_LEN)
			return TWR_DP_REASON_TRUNCATED;
		p = frame + *off;
		if (*nh == IPPROTO_FRAGMENT) {
			/*
			 * An atomic fragment (offset 0, M 0) is a whole packet
			 * (RFC 6946); anything else would need reassembly.
			 */
			if (twr_get_be16(p + 2) & FRAG_DATA_MASK)
				return TWR_DP_REASON_IPV6_FRAGMENT;
			hlen = FRAG_HDR_LEN;
		} else {
			hlen = ((uint32_t)p[1] + 1) * 8;
			if (end - *off < hlen)
				return TWR_DP_REASON_TRUNCATED;
			/* Segments left: we are not the final destination. */
			if (*nh == IPPROTO_ROUTING && p[ROUTING_SEGMENTS_LEFT] != 0)
				return TWR_DP_REASON_IPV6_EXT_HEADER;
		}
		*nh = p[0];
		*off += hlen;
	}
}
