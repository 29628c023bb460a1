/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * libFuzzer harness for the RFC 8972 TLV iterator and emitter.
 *
 * The input is a TLV area. Every TLV found is emitted again at the same
 * offset of an exact-size copy buffer and must reproduce its input octets;
 * a Location TLV's sub-TLVs get the same treatment on its value after the
 * 4 octets of ports. Where iteration stops, the iterator must be right:
 * the exact end, or a header or value that really does not fit.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "twr_stamp.h"
#include "twr_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal must be for a real reason: fewer than 4 octets, or a value past the end. */
static void
check_malformed(const uint8_t *area, size_t len, const struct twr_tlv *tlv)
{
	size_t left;

	if (tlv->offset >= len || tlv->value != NULL)
		abort();
	left = len - tlv->offset;
	if (left < TWR_TLV_HDR_LEN)
		return;
	if (TWR_TLV_HDR_LEN + (size_t)twr_get_be16(area + tlv->offset + 2) <= left)
		abort();
}

/*
 * Iterate @p area, re-emitting each TLV into @p copy (same size as the
 * area); with @p nested, descend into Location TLVs.
 * @return the octets covered by well-formed TLVs.
 */
static size_t
walk(const uint8_t *area, size_t len, uint8_t *copy, int nested)
{
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	size_t end = 0;
	ssize_t n;
	int ret;

	twr_tlv_iter_init(&it, area, len);
	while ((ret = twr_tlv_next(&it, &tlv)) == 1) {
		if (tlv.offset != end || tlv.value != area + end + TWR_TLV_HDR_LEN)
			abort();
		if (TWR_TLV_HDR_LEN + (size_t)tlv.length > len - end)
			abort();
		/* One octet short must be refused, the exact size accepted. */
		n = twr_tlv_emit(copy + end, TWR_TLV_HDR_LEN + (size_t)tlv.length - 1, tlv.flags,
				 tlv.type, tlv.value, tlv.length);
		if (n != -ENOBUFS)
			abort();
		n = twr_tlv_emit(copy + end, len - end, tlv.flags, tlv.type, tlv.value, tlv.length);
		if (n != (ssize_t)(TWR_TLV_HDR_LEN + (size_t)tlv.length))
			abort();
		if (memcmp(copy + end, area + end, (size_t)n) != 0)
			abort();
		if (nested && tlv.type == TWR_TLV_LOCATION && tlv.length >= 4) {
			uint8_t *sub = malloc(tlv.length > 4 ? tlv.length - 4u : 1);

			if (sub != NULL) {
				size_t covered = walk(tlv.value + 4, tlv.length - 4u, sub, 0);

				if (memcmp(sub, tlv.value + 4, covered) != 0)
					abort();
				free(sub);
			}
		}
		end += (size_t)n;
	}
	if (ret == 0) {
		if (end != len)
			abort();
	} else {
		if (ret != -EMSGSIZE || tlv.offset != end || it.off != end)
			abort();
		check_malformed(area, len, &tlv);
		/* It stays there. */
		if (twr_tlv_next(&it, &tlv) != -EMSGSIZE || tlv.offset != end)
			abort();
	}
	return end;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size > 0 ? size : 1);
	size_t covered;

	if (copy == NULL)
		return 0;
	covered = walk(data, size, copy, 1);
	if (memcmp(copy, data, covered) != 0)
		abort();
	free(copy);
	return 0;
}
