/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Test packets. Both formats of each packet carry the same fields at
 * different offsets, so one table per format drives a single decode and a
 * single encode body instead of four near-copies.
 *
 * Encoders move the padding into place before they write the header: a
 * reply can then be built in the buffer that holds the request, with
 * padding pointing at the request's padding (octet 14 moves to 41) that
 * the header would otherwise overwrite.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "twr_test_pkt.h"
#include "twr_wire.h"

struct sender_layout {
	uint8_t seq;
	uint8_t timestamp;
	uint8_t erest;
	uint8_t hmac; /* 0: no HMAC in this format */
	uint8_t padding;
};

static const struct sender_layout sender_unauth = {
	.seq = TWR_TS_SEQ,
	.timestamp = TWR_TS_TIMESTAMP,
	.erest = TWR_TS_ERREST,
	.hmac = 0,
	.padding = TWR_TS_PADDING,
};

static const struct sender_layout sender_auth = {
	.seq = TWR_TS_AUTH_SEQ,
	.timestamp = TWR_TS_AUTH_TIMESTAMP,
	.erest = TWR_TS_AUTH_ERREST,
	.hmac = TWR_TS_AUTH_HMAC,
	.padding = TWR_TS_AUTH_PADDING,
};

struct reflector_layout {
	uint8_t seq;
	uint8_t timestamp;
	uint8_t erest;
	uint8_t rx_timestamp;
	uint8_t sender_seq;
	uint8_t sender_timestamp;
	uint8_t sender_erest;
	uint8_t sender_ttl;
	uint8_t dscp_ecn;
	uint8_t hmac;		  /* 0: no HMAC in this format */
	uint8_t padding;	  /* without RFC 7750 */
	uint8_t padding_dscp_ecn; /* with RFC 7750 */
};

static const struct reflector_layout reflector_unauth = {
	.seq = TWR_TR_SEQ,
	.timestamp = TWR_TR_TIMESTAMP,
	.erest = TWR_TR_ERREST,
	.rx_timestamp = TWR_TR_RX_TIMESTAMP,
	.sender_seq = TWR_TR_SENDER_SEQ,
	.sender_timestamp = TWR_TR_SENDER_TIMESTAMP,
	.sender_erest = TWR_TR_SENDER_ERREST,
	.sender_ttl = TWR_TR_SENDER_TTL,
	.dscp_ecn = TWR_TR_DSCP_ECN,
	.hmac = 0,
	.padding = TWR_TR_PADDING,
	.padding_dscp_ecn = TWR_TR_DSCP_ECN_PADDING,
};

/* RFC 7750 fits in the MBZ run 81-95, so the padding does not move. */
static const struct reflector_layout reflector_auth = {
	.seq = TWR_TR_AUTH_SEQ,
	.timestamp = TWR_TR_AUTH_TIMESTAMP,
	.erest = TWR_TR_AUTH_ERREST,
	.rx_timestamp = TWR_TR_AUTH_RX_TIMESTAMP,
	.sender_seq = TWR_TR_AUTH_SENDER_SEQ,
	.sender_timestamp = TWR_TR_AUTH_SENDER_TIMESTAMP,
	.sender_erest = TWR_TR_AUTH_SENDER_ERREST,
	.sender_ttl = TWR_TR_AUTH_SENDER_TTL,
	.dscp_ecn = TWR_TR_AUTH_DSCP_ECN,
	.hmac = TWR_TR_AUTH_HMAC,
	.padding = TWR_TR_AUTH_PADDING,
	.padding_dscp_ecn = TWR_TR_AUTH_PADDING,
};

/*
 * Common encoder checks. The length must fit the ssize_t the encoders
 * return; a padding_len that large can only be a caller's mistake.
 */
static int
check_encode(size_t hdr, size_t padding_len, size_t cap)
{
	if (padding_len > (size_t)SSIZE_MAX - hdr)
		return -EINVAL;
	if (cap < hdr || padding_len > cap - hdr)
		return -ENOBUFS;
	return 0;
}

/* Padding before header: see the file comment. */
static void
put_padding(uint8_t *buf, size_t hdr, const uint8_t *padding, size_t padding_len)
{
	if (padding_len == 0)
		return;
	if (padding == NULL)
		memset(buf + hdr, 0, padding_len);
	else
		memmove(buf + hdr, padding, padding_len);
}

int
twr_test_sender_decode(const uint8_t *buf, size_t len, bool auth, struct twr_test_sender *m)
{
	const struct sender_layout *l = auth ? &sender_auth : &sender_unauth;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	if (len < l->padding)
		return -EMSGSIZE;
	memset(m, 0, sizeof(*m));
	m->seq = twr_get_be32(buf + l->seq);
	m->timestamp = twr_get_be64(buf + l->timestamp);
	m->error_estimate = twr_get_be16(buf + l->erest);
	if (l->hmac != 0)
		memcpy(m->hmac, buf + l->hmac, TWR_HMAC_LEN);
	m->padding = buf + l->padding;
	m->padding_len = len - l->padding;
	return 0;
}

ssize_t
twr_test_sender_encode(const struct twr_test_sender *m, bool auth, uint8_t *buf, size_t cap)
{
	const struct sender_layout *l = auth ? &sender_auth : &sender_unauth;
	int ret;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	ret = check_encode(l->padding, m->padding_len, cap);
	if (ret < 0)
		return ret;
	put_padding(buf, l->padding, m->padding, m->padding_len);
	memset(buf, 0, l->padding);
	twr_put_be32(buf + l->seq, m->seq);
	twr_put_be64(buf + l->timestamp, m->timestamp);
	twr_put_be16(buf + l->erest, m->error_estimate);
	if (l->hmac != 0)
		memcpy(buf + l->hmac, m->hmac, TWR_HMAC_LEN);
	return (ssize_t)(l->padding + m->padding_len);
}

int
twr_test_reflector_decode(const uint8_t *buf, size_t len, bool auth, bool dscp_ecn,
			  struct twr_test_reflector *m)
{
	const struct reflector_layout *l = auth ? &reflector_auth : &reflector_unauth;
	size_t hdr = dscp_ecn ? l->padding_dscp_ecn : l->padding;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	if (len < hdr)
		return -EMSGSIZE;
	memset(m, 0, sizeof(*m));
	m->seq = twr_get_be32(buf + l->seq);
	m->timestamp = twr_get_be64(buf + l->timestamp);
	m->error_estimate = twr_get_be16(buf + l->erest);
	m->receive_timestamp = twr_get_be64(buf + l->rx_timestamp);
	m->sender_seq = twr_get_be32(buf + l->sender_seq);
	m->sender_timestamp = twr_get_be64(buf + l->sender_timestamp);
	m->sender_error_estimate = twr_get_be16(buf + l->sender_erest);
	m->sender_ttl = buf[l->sender_ttl];
	/* Without RFC 7750 octet 41 is padding, not a DSCP report. */
	if (dscp_ecn)
		m->sender_dscp_ecn = buf[l->dscp_ecn];
	if (l->hmac != 0)
		memcpy(m->hmac, buf + l->hmac, TWR_HMAC_LEN);
	m->padding = buf + hdr;
	m->padding_len = len - hdr;
	return 0;
}

ssize_t
twr_test_reflector_encode(const struct twr_test_reflector *m, bool auth, bool dscp_ecn,
			  uint8_t *buf, size_t cap)
{
	const struct reflector_layout *l = auth ? &reflector_auth : &reflector_unauth;
	size_t hdr = dscp_ecn ? l->padding_dscp_ecn : l->padding;
	int ret;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	ret = check_encode(hdr, m->padding_len, cap);
	if (ret < 0)
		return ret;
	put_padding(buf, hdr, m->padding, m->padding_len);
	memset(buf, 0, hdr);
	twr_put_be32(buf + l->seq, m->seq);
	twr_put_be64(buf + l->timestamp, m->timestamp);
	twr_put_be16(buf + l->erest, m->error_estimate);
	twr_put_be64(buf + l->rx_timestamp, m->receive_timestamp);
	twr_put_be32(buf + l->sender_seq, m->sender_seq);
	twr_put_be64(buf + l->sender_timestamp, m->sender_timestamp);
	twr_put_be16(buf + l->sender_erest, m->sender_error_estimate);
	buf[l->sender_ttl] = m->sender_ttl;
	if (dscp_ecn)
		buf[l->dscp_ecn] = m->sender_dscp_ecn;
	if (l->hmac != 0)
		memcpy(buf + l->hmac, m->hmac, TWR_HMAC_LEN);
	return (ssize_t)(hdr + m->padding_len);
}
