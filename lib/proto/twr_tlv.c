/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * RFC 8972 §4 TLV framing: Flags(1) Type(1) Length(2) Value(Length).
 * Framing only; what a Value means is up to the caller, which is also why
 * a Location TLV's sub-TLVs (same header) are walked with this iterator on
 * the Value after its 4 octets of ports.
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "twr_stamp.h"
#include "twr_wire.h"

void
twr_tlv_iter_init(struct twr_tlv_iter *it, const uint8_t *buf, size_t len)
{
	if (it == NULL)
		return;
	/* NULL with a length is kept, for twr_tlv_next() to refuse: init cannot. */
	it->buf = buf;
	it->len = len;
	it->off = 0;
}

int
twr_tlv_next(struct twr_tlv_iter *it, struct twr_tlv *tlv)
{
	const uint8_t *p;
	size_t left;

	if (it == NULL || tlv == NULL)
		return -EINVAL;
	/* NULL area with a length, or fields written by hand past the end. */
	if ((it->buf == NULL && it->len != 0) || it->off > it->len)
		return -EINVAL;
	if (it->off == it->len)
		return 0;

	memset(tlv, 0, sizeof(*tlv));
	tlv->offset = it->off;
	left = it->len - it->off;
	p = it->buf + it->off;
	/*
	 * On a malformed TLV the iterator does not move, and the offset stays
	 * reported: the reflector sets the M flag there and copies the rest
	 * unparsed (RFC 8972 §4).
	 */
	if (left < TWR_TLV_HDR_LEN)
		return -EMSGSIZE;
	tlv->flags = p[0];
	tlv->type = p[1];
	tlv->length = twr_get_be16(p + 2);
	if (tlv->length > left - TWR_TLV_HDR_LEN)
		return -EMSGSIZE;
	tlv->value = p + TWR_TLV_HDR_LEN;
	it->off += TWR_TLV_HDR_LEN + tlv->length;
	return 1;
}

ssize_t
twr_tlv_emit(uint8_t *buf, size_t cap, uint8_t flags, uint8_t type, const void *value,
	     uint16_t length)
{
	if (buf == NULL)
		return -EINVAL;
	if (cap < (size_t)TWR_TLV_HDR_LEN + length)
		return -ENOBUFS;
	/* Value before header, so that value may alias buf (in-place rewrite). */
	if (length != 0) {
		if (value == NULL)
			memset(buf + TWR_TLV_HDR_LEN, 0, length);
		else
			memmove(buf + TWR_TLV_HDR_LEN, value, length);
	}
	buf[0] = flags;
	buf[1] = type;
	twr_put_be16(buf + 2, length);
	return (ssize_t)(TWR_TLV_HDR_LEN + length);
}
