/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Packet engines of twamp-ping. lib/proto owns the layouts; this file only
 * decides what a sender puts in them and how a reply becomes delays, so a
 * reply is parsed the same way whichever mode sent the request.
 *
 * Replies are parsed leniently (digest §4.4): a STAMP sender accepts a
 * 41-octet TWAMP reply, since unauthenticated layouts coincide up to the
 * Sender TTL at octet 40; a TWAMP reflector answering a STAMP packet then
 * shows up as SSID 0.
 */

#include <errno.h>
#include <string.h>

#include "twr_errest.h"
#include "twr_stamp.h"
#include "twr_test_pkt.h"
#include "twr_time.h"

#include "ping_format.h"

/* TWAMP-Light ---------------------------------------------------------- */

static const char *
light_size_error(size_t size)
{
	(void)size;
	return NULL;
}

static ssize_t
light_encode(const struct twr_ping_probe *probe, uint8_t *buf, size_t len)
{
	struct twr_test_sender m = {
		.seq = probe->seq,
		.timestamp = probe->t1,
		.error_estimate = probe->error_estimate,
		.padding = NULL, /* all-zero padding, which RFC 4656 requires be offered */
		.padding_len = len - TWR_TS_MIN_LEN,
	};

	return twr_test_sender_encode(&m, false, buf, len);
}

static int
light_decode(const uint8_t *buf, size_t len, struct twr_ping_reply *r)
{
	struct twr_test_reflector m;
	int ret;

	ret = twr_test_reflector_decode(buf, len, false, false, &m);
	if (ret < 0)
		return ret;
	r->len = len;
	r->seq = m.seq;
	r->t3 = m.timestamp;
	r->error_estimate = m.error_estimate;
	r->t2 = m.receive_timestamp;
	r->sender_seq = m.sender_seq;
	r->t1 = m.sender_timestamp;
	r->sender_error_estimate = m.sender_error_estimate;
	r->sender_ttl = m.sender_ttl;
	r->ssid = 0;
	r->tlv_flags = 0;
	r->tlv_malformed = false;
	return 0;
}

/* STAMP ------------------------------------------------------------------ */

/*
 * Octets beyond the 44-octet base are one Extra Padding TLV (RFC 8972
 * §4.1, the recommended way to grow a STAMP packet); 1 to 3 octets cannot
 * hold a TLV header and would be a malformed TLV area at the reflector.
 */
static const char *
stamp_size_error(size_t size)
{
	if (size > TWR_STAMP_BASE_LEN && size < TWR_STAMP_BASE_LEN + TWR_TLV_HDR_LEN)
		return "STAMP sizes 45 to 47 cannot carry an Extra Padding TLV (use 44 or >= 48)";
	return NULL;
}

static ssize_t
stamp_encode(const struct twr_ping_probe *probe, uint8_t *buf, size_t len)
{
	struct twr_stamp_sender m = {
		.seq = probe->seq,
		.timestamp = probe->t1,
		.error_estimate = probe->error_estimate,
		.ssid = probe->ssid,
		.tlvs = NULL,
		.tlv_len = 0,
	};
	ssize_t ret;

	if (stamp_size_error(len) != NULL || len > TWR_PING_MAX_SIZE)
		return -EINVAL;
	ret = twr_stamp_sender_encode(&m, false, buf, len);
	if (ret < 0 || len == TWR_STAMP_BASE_LEN)
		return ret;
	/* A sender sends its TLVs with U set (RFC 8972 §4); the reflector clears it. */
	ret = twr_tlv_emit(buf + TWR_STAMP_BASE_LEN, len - TWR_STAMP_BASE_LEN, TWR_TLV_FLAG_U,
			   TWR_TLV_EXTRA_PADDING, NULL,
			   (uint16_t)(len - TWR_STAMP_BASE_LEN - TWR_TLV_HDR_LEN));
	if (ret < 0)
		return ret;
	return (ssize_t)len;
}

static void
stamp_scan_tlvs(const uint8_t *tlvs, size_t tlv_len, struct twr_ping_reply *r)
{
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	int ret;

	twr_tlv_iter_init(&it, tlvs, tlv_len);
	while ((ret = twr_tlv_next(&it, &tlv)) > 0)
		r->tlv_flags |= tlv.flags;
	if (ret < 0)
		r->tlv_malformed = true;
}

static int
stamp_decode(const uint8_t *buf, size_t len, struct twr_ping_reply *r)
{
	struct twr_stamp_reflector m;
	int ret;

	/* A TWAMP reflector's 41..43-octet reply to a STAMP packet (digest §4.4). */
	if (len < TWR_STAMP_BASE_LEN)
		return light_decode(buf, len, r);
	ret = twr_stamp_reflector_decode(buf, len, false, &m);
	if (ret < 0)
		return ret;
	r->len = len;
	r->seq = m.seq;
	r->t3 = m.timestamp;
	r->error_estimate = m.error_estimate;
	r->ssid = m.ssid;
	r->t2 = m.receive_timestamp;
	r->sender_seq = m.sender_seq;
	r->t1 = m.sender_timestamp;
	r->sender_error_estimate = m.sender_error_estimate;
	r->sender_ttl = m.sender_ttl;
	r->tlv_flags = 0;
	r->tlv_malformed = false;
	stamp_scan_tlvs(m.tlvs, m.tlv_len, r);
	return 0;
}

/* Engine table ----------------------------------------------------------- */

static const struct twr_ping_format formats[] = {
	{
		.mode = TWR_PING_MODE_LIGHT,
		.name = "light",
		.label = "TWAMP-Light",
		.header_len = TWR_TS_MIN_LEN,
		/* 27 octets of padding make the reply as long as the request (RFC 5357 §4.1.2). */
		.default_size = TWR_TS_MIN_LEN + TWR_TRUNCATE_UNAUTH,
		.size_error = light_size_error,
		.encode = light_encode,
		.decode = light_decode,
	},
	{
		.mode = TWR_PING_MODE_STAMP,
		.name = "stamp",
		.label = "STAMP",
		.header_len = TWR_STAMP_BASE_LEN,
		.default_size = TWR_STAMP_BASE_LEN,
		.size_error = stamp_size_error,
		.encode = stamp_encode,
		.decode = stamp_decode,
	},
	{
		/*
		 * Managed TWAMP sends the same unauthenticated TWAMP-Test
		 * packets as TWAMP-Light (digest §3.1, §3.3): the same engine,
		 * named for the report. Its size is the negotiated Padding
		 * Length plus the 14-octet header.
		 */
		.mode = TWR_PING_MODE_FULL,
		.name = "full",
		.label = "TWAMP",
		.header_len = TWR_TS_MIN_LEN,
		.default_size = TWR_TS_MIN_LEN + TWR_TRUNCATE_UNAUTH,
		.size_error = light_size_error,
		.encode = light_encode,
		.decode = light_decode,
	},
};

const struct twr_ping_format *
twr_ping_format_get(enum twr_ping_mode mode)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].mode == mode)
			return &formats[i];
	return NULL;
}

const struct twr_ping_format *
twr_ping_format_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

/* Delays ----------------------------------------------------------------- */

int
twr_ping_reply_parse(const struct twr_ping_format *f, const uint8_t *buf, size_t len, uint64_t t4,
		     int ttl, struct twr_ping_reply *r)
{
	int64_t out_and_back;
	int ret;

	if (f == NULL || buf == NULL || r == NULL)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	ret = f->decode(buf, len, r);
	if (ret < 0)
		return ret;
	r->t4 = t4;
	r->ttl = ttl;
	/*
	 * T2 and T3 come from the reflector's clock, T1 and T4 from ours: only
	 * differences within one clock mean anything, so the RTT never mixes
	 * them. The Z bit says which format the reflector's pair is in.
	 */
	if (r->error_estimate & TWR_ERREST_Z) {
		if ((uint32_t)r->t2 >= TWR_NS_PER_SEC || (uint32_t)r->t3 >= TWR_NS_PER_SEC)
			return -ERANGE;
		r->residence_ns = twr_ptp_diff_ns(r->t3, r->t2);
	} else {
		r->residence_ns = twr_ntp_diff_ns(r->t3, r->t2);
	}
	out_and_back = twr_ntp_diff_ns(r->t4, r->t1);
	r->rtt_ns = out_and_back - r->residence_ns;
	return 0;
}
