/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * STAMP base packets (RFC 8762 §4.2-4.3) with the RFC 8972 SSID. As in
 * twr_test_pkt.c, one table per format drives one decode and one encode
 * body, and the encoders move the TLV area before writing the header so a
 * reply can be built over its request in place.
 *
 * The SSID is carried as is, zero included: whether a zero SSID from a
 * sender is acceptable (digest §9.7) is the session layer's decision.
 */

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "twr_stamp.h"
#include "twr_wire.h"

struct stamp_sender_layout {
	uint8_t seq;
	uint8_t timestamp;
	uint8_t erest;
	uint8_t ssid;
	uint8_t hmac; /* 0: no HMAC in this format */
	uint8_t tlv;
};

static const struct stamp_sender_layout sender_unauth = {
	.seq = TWR_STAMP_S_SEQ,
	.timestamp = TWR_STAMP_S_TIMESTAMP,
	.erest = TWR_STAMP_S_ERREST,
	.ssid = TWR_STAMP_S_SSID,
	.hmac = 0,
	.tlv = TWR_STAMP_S_TLV,
};

static const struct stamp_sender_layout sender_auth = {
	.seq = TWR_STAMP_S_AUTH_SEQ,
	.timestamp = TWR_STAMP_S_AUTH_TIMESTAMP,
	.erest = TWR_STAMP_S_AUTH_ERREST,
	.ssid = TWR_STAMP_S_AUTH_SSID,
	.hmac = TWR_STAMP_S_AUTH_HMAC,
	.tlv = TWR_STAMP_S_AUTH_TLV,
};

struct stamp_reflector_layout {
	uint8_t seq;
	uint8_t timestamp;
	uint8_t erest;
	uint8_t ssid;
	uint8_t rx_timestamp;
	uint8_t sender_seq;
	uint8_t sender_timestamp;
	uint8_t sender_erest;
	uint8_t sender_ttl;
	uint8_t hmac; /* 0: no HMAC in this format */
	uint8_t tlv;
};

static const struct stamp_reflector_layout reflector_unauth = {
	.seq = TWR_STAMP_R_SEQ,
	.timestamp = TWR_STAMP_R_TIMESTAMP,
	.erest = TWR_STAMP_R_ERREST,
	.ssid = TWR_STAMP_R_SSID,
	.rx_timestamp = TWR_STAMP_R_RX_TIMESTAMP,
	.sender_seq = TWR_STAMP_R_SENDER_SEQ,
	.sender_timestamp = TWR_STAMP_R_SENDER_TIMESTAMP,
	.sender_erest = TWR_STAMP_R_SENDER_ERREST,
	.sender_ttl = TWR_STAMP_R_SENDER_TTL,
	.hmac = 0,
	.tlv = TWR_STAMP_R_TLV,
};

static const struct stamp_reflector_layout reflector_auth = {
	.seq = TWR_STAMP_R_AUTH_SEQ,
	.timestamp = TWR_STAMP_R_AUTH_TIMESTAMP,
	.erest = TWR_STAMP_R_AUTH_ERREST,
	.ssid = TWR_STAMP_R_AUTH_SSID,
	.rx_timestamp = TWR_STAMP_R_AUTH_RX_TIMESTAMP,
	.sender_seq = TWR_STAMP_R_AUTH_SENDER_SEQ,
	.sender_timestamp = TWR_STAMP_R_AUTH_SENDER_TIMESTAMP,
	.sender_erest = TWR_STAMP_R_AUTH_SENDER_ERREST,
	.sender_ttl = TWR_STAMP_R_AUTH_SENDER_TTL,
	.hmac = TWR_STAMP_R_AUTH_HMAC,
	.tlv = TWR_STAMP_R_AUTH_TLV,
};

/* The length must also fit the ssize_t the encoders return. */
static int
check_encode(size_t base, size_t tlv_len, size_t cap)
{
	if (tlv_len > (size_t)SSIZE_MAX - base)
		return -EINVAL;
	if (cap < base || tlv_len > cap - base)
		return -ENOBUFS;
	return 0;
}

/* TLVs before header: see the file comment. */
static void
put_tlvs(uint8_t *buf, size_t base, const uint8_t *tlvs, size_t tlv_len)
{
	if (tlv_len == 0)
		return;
	if (tlvs == NULL)
		memset(buf + base, 0, tlv_len);
	else
		memmove(buf + base, tlvs, tlv_len);
}

int
twr_stamp_sender_decode(const uint8_t *buf, size_t len, bool auth, struct twr_stamp_sender *m)
{
	const struct stamp_sender_layout *l = auth ? &sender_auth : &sender_unauth;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	if (len < l->tlv)
		return -EMSGSIZE;
	memset(m, 0, sizeof(*m));
	m->seq = twr_get_be32(buf + l->seq);
	m->timestamp = twr_get_be64(buf + l->timestamp);
	m->error_estimate = twr_get_be16(buf + l->erest);
	m->ssid = twr_get_be16(buf + l->ssid);
	if (l->hmac != 0)
		memcpy(m->hmac, buf + l->hmac, TWR_HMAC_LEN);
	m->tlvs = buf + l->tlv;
	m->tlv_len = len - l->tlv;
	return 0;
}

ssize_t
twr_stamp_sender_encode(const struct twr_stamp_sender *m, bool auth, uint8_t *buf, size_t cap)
{
	const struct stamp_sender_layout *l = auth ? &sender_auth : &sender_unauth;
	int ret;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	ret = check_encode(l->tlv, m->tlv_len, cap);
	if (ret < 0)
		return ret;
	put_tlvs(buf, l->tlv, m->tlvs, m->tlv_len);
	memset(buf, 0, l->tlv);
	twr_put_be32(buf + l->seq, m->seq);
	twr_put_be64(buf + l->timestamp, m->timestamp);
	twr_put_be16(buf + l->erest, m->error_estimate);
	twr_put_be16(buf + l->ssid, m->ssid);
	if (l->hmac != 0)
		memcpy(buf + l->hmac, m->hmac, TWR_HMAC_LEN);
	return (ssize_t)(l->tlv + m->tlv_len);
}

int
twr_stamp_reflector_decode(const uint8_t *buf, size_t len, bool auth, struct twr_stamp_reflector *m)
{
	const struct stamp_reflector_layout *l = auth ? &reflector_auth : &reflector_unauth;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	if (len < l->tlv)
		return -EMSGSIZE;
	memset(m, 0, sizeof(*m));
	m->seq = twr_get_be32(buf + l->seq);
	m->timestamp = twr_get_be64(buf + l->timestamp);
	m->error_estimate = twr_get_be16(buf + l->erest);
	m->ssid = twr_get_be16(buf + l->ssid);
	m->receive_timestamp = twr_get_be64(buf + l->rx_timestamp);
	m->sender_seq = twr_get_be32(buf + l->sender_seq);
	m->sender_timestamp = twr_get_be64(buf + l->sender_timestamp);
	m->sender_error_estimate = twr_get_be16(buf + l->sender_erest);
	m->sender_ttl = buf[l->sender_ttl];
	if (l->hmac != 0)
		memcpy(m->hmac, buf + l->hmac, TWR_HMAC_LEN);
	m->tlvs = buf + l->tlv;
	m->tlv_len = len - l->tlv;
	return 0;
}

ssize_t
twr_stamp_reflector_encode(const struct twr_stamp_reflector *m, bool auth, uint8_t *buf, size_t cap)
{
	const struct stamp_reflector_layout *l = auth ? &reflector_auth : &reflector_unauth;
	int ret;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	ret = check_encode(l->tlv, m->tlv_len, cap);
	if (ret < 0)
		return ret;
	put_tlvs(buf, l->tlv, m->tlvs, m->tlv_len);
	memset(buf, 0, l->tlv);
	twr_put_be32(buf + l->seq, m->seq);
	twr_put_be64(buf + l->timestamp, m->timestamp);
	twr_put_be16(buf + l->erest, m->error_estimate);
	twr_put_be16(buf + l->ssid, m->ssid);
	twr_put_be64(buf + l->rx_timestamp, m->receive_timestamp);
	twr_put_be32(buf + l->sender_seq, m->sender_seq);
	twr_put_be64(buf + l->sender_timestamp, m->sender_timestamp);
	twr_put_be16(buf + l->sender_erest, m->sender_error_estimate);
	buf[l->sender_ttl] = m->sender_ttl;
	if (l->hmac != 0)
		memcpy(buf + l->hmac, m->hmac, TWR_HMAC_LEN);
	return (ssize_t)(l->tlv + m->tlv_len);
}
