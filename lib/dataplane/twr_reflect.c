/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The out-of-line parts of the reply builder (header stripping, the burst
 * finalize loop) and the engine table.
 */

#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "twr_engine.h"
#include "twr_reflect.h"

void
twr_reflect_strip(uint8_t *frame, const struct twr_pkt_info *info, uint16_t head)
{
	uint16_t base = info->ip_version == 4 ? TWR_IPV4_HDR_LEN : TWR_IPV6_HDR_LEN;
	uint8_t *l3;

	/*
	 * Moving the (short) headers forward rather than the payload back
	 * keeps the payload where the engine wrote it; the caller trims the
	 * front of the buffer by head.
	 */
	memmove(frame + head, frame, (size_t)info->l3_off + base);
	l3 = frame + head + info->l3_off;
	if (info->ip_version == 4)
		l3[0] = (uint8_t)(4 << 4 | TWR_IPV4_HDR_LEN / RTE_IPV4_IHL_MULTIPLIER);
	else
		l3[6] = IPPROTO_UDP; /* Next Header */
}

void
twr_reflect_finalize_burst(uint8_t *const frames[], const struct twr_reply replies[], uint16_t n,
			   const struct twr_dp_ts *t3, unsigned int flags)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		twr_reflect_finalize(frames[i], &replies[i], t3, flags);
}

const struct twr_engine *const twr_engines[TWR_ENGINE_COUNT] = {
	[TWR_ENGINE_TWAMP] = &twr_engine_twamp,
	[TWR_ENGINE_LIGHT] = &twr_engine_light,
	[TWR_ENGINE_STAMP] = &twr_engine_stamp,
};
