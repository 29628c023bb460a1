/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * STAMP packets (RFC 8762, RFC 8972 SSID) and RFC 8972 TLV framing: the
 * digest §7.13 vectors, hand-built vectors, round trips, refusals and the
 * TLV iterator's edge cases. Encoders write into DIRTY-filled buffers so
 * that a forgotten MBZ octet shows up as a byte mismatch.
 */

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "check_main.h"
#include "twr_stamp.h"

#define DIRTY 0xaa

/* Unix 1700000010, and .25 / .50 / .75 past it, as NTP. */
#define T0 UINT64_C(0xe8fe6f8a00000000)
#define T1 UINT64_C(0xe8fe6f8a40000000)
#define T2 UINT64_C(0xe8fe6f8a80000000)
#define T3 UINT64_C(0xe8fe6f8ac0000000)

/* Digest §7.13: unauthenticated sender, seq 1, T0, EE 8587, SSID 0x1234. */
static const uint8_t vec_sender[44] = {
	0x00, 0x00, 0x00, 0x01, 0xe8, 0xfe, 0x6f, 0x8a, 0x00, 0x00, 0x00, 0x00, 0x85, 0x87, 0x12,
	0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Digest §7.13: Extra Padding TLV, 8 zero octets, as sent (U=1). */
static const uint8_t vec_extra_padding[12] = {
	0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Unauthenticated reflector answering vec_sender + vec_extra_padding:
 * seq 1, T3, EE 8587, SSID copied, T2, sender seq 1, T0, EE 8587, TTL 64,
 * MBZ 41-43, then the Extra Padding TLV with U cleared (understood).
 */
static const uint8_t vec_reflector[56] = {
	/* 0x00 */ 0x00, 0x00, 0x00, 0x01, 0xe8, 0xfe, 0x6f, 0x8a,
	/* 0x08 */ 0xc0, 0x00, 0x00, 0x00, 0x85, 0x87, 0x12, 0x34,
	/* 0x10 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00,
	/* 0x18 */ 0x00, 0x00, 0x00, 0x01, 0xe8, 0xfe, 0x6f, 0x8a,
	/* 0x20 */ 0x00, 0x00, 0x00, 0x00, 0x85, 0x87, 0x00, 0x00,
	/* 0x28 */ 0x40, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08,
	/* 0x30 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Authenticated sender, 112: seq 2, T1, EE 8587, SSID 0xbeef, HMAC a0..af, no TLVs. */
static const uint8_t vec_auth_sender[112] = {
	/* 0x00 */ 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	/* 0x08 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x10 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00,
	/* 0x18 */ 0x85, 0x87, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
	/* 0x20 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x28 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x30 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x38 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x40 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x48 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x50 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x58 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x60 */ 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	/* 0x68 */ 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

/*
 * Authenticated reflector, 112 + 8: seq 2, T3, EE 8f84, SSID 0xbeef, T2,
 * sender seq 2, T1, sender EE 8587, TTL 255, HMAC b0..bf, then an Extra
 * Padding TLV (U cleared) with value 01 02 03 04.
 */
static const uint8_t vec_auth_reflector[120] = {
	/* 0x00 */ 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	/* 0x08 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x10 */ 0xe8, 0xfe, 0x6f, 0x8a, 0xc0, 0x00, 0x00, 0x00,
	/* 0x18 */ 0x8f, 0x84, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
	/* 0x20 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00,
	/* 0x28 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x30 */ 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	/* 0x38 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x40 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00,
	/* 0x48 */ 0x85, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x50 */ 0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x58 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x60 */ 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	/* 0x68 */ 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	/* 0x70 */ 0x00, 0x01, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04,
};

/*
 * Location TLV as a sender requests it (RFC 8972 §4.2): U=1, ports 0,
 * sub-TLVs Source MAC (1, 8 MBZ), Destination IP (4, 16 MBZ), Source IP
 * (7, 16 MBZ).
 */
/* clang-format off */
static const uint8_t vec_location_request[60] = {
	0x80, 0x02, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x04, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x07, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/*
 * The reflector's answer, same length: Destination Port 862, Source Port
 * 50000, Source EUI-48 02:00:5e:00:53:01 (+2 MBZ), Destination IPv4
 * 198.51.100.2 (+12 MBZ), Source IPv4 192.0.2.1 (+12 MBZ).
 */
/* clang-format off */
static const uint8_t vec_location_reply[60] = {
	0x00, 0x02, 0x00, 0x38, 0x03, 0x5e, 0xc3, 0x50,
	0x00, 0x02, 0x00, 0x08, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00,
	0x00, 0x05, 0x00, 0x10, 0xc6, 0x33, 0x64, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x08, 0x00, 0x10, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};
/* clang-format on */

/*
 * Class of Service (RFC 8972 §4.4): the sender asks for DSCP1 = EF (46);
 * the reflector reports DSCP2 = AF11 (10) and ECN = ECT(1) as received,
 * RP = 0. Value bits: DSCP1(6) DSCP2(6) ECN(2) RP(2) Reserved(16).
 */
static const uint8_t vec_cos_request[8] = {0x80, 0x04, 0x00, 0x04, 0xb8, 0x00, 0x00, 0x00};
static const uint8_t vec_cos_reply[8] = {0x00, 0x04, 0x00, 0x04, 0xb8, 0xa4, 0x00, 0x00};

static const uint8_t hmac_a0[16] = {
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

static const uint8_t hmac_b0[16] = {
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7,
	0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
};

/* --- STAMP packets ------------------------------------------------------------------------ */

START_TEST(test_vector_sender)
{
	struct twr_stamp_sender m = {
		.seq = 1,
		.timestamp = T0,
		.error_estimate = 0x8587,
		.ssid = 0x1234,
	};
	struct twr_stamp_sender d;
	uint8_t buf[64];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_sender_encode(&m, false, buf, sizeof(buf)), 44);
	ck_assert_bytes(buf, vec_sender, sizeof(vec_sender));
	ck_assert_uint_eq(buf[44], DIRTY);

	ck_assert_int_eq(twr_stamp_sender_decode(vec_sender, sizeof(vec_sender), false, &d), 0);
	ck_assert_uint_eq(d.seq, 1);
	ck_assert_uint_eq(d.timestamp, T0);
	ck_assert_uint_eq(d.error_estimate, 0x8587);
	ck_assert_uint_eq(d.ssid, 0x1234);
	ck_assert_uint_eq(d.tlv_len, 0);
}
END_TEST

START_TEST(test_vector_sender_with_tlv)
{
	struct twr_stamp_sender m = {
		.seq = 1,
		.timestamp = T0,
		.error_estimate = 0x8587,
		.ssid = 0x1234,
	};
	struct twr_stamp_sender d;
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	uint8_t tlvs[12], buf[56];

	/* The TLV as the digest gives it, NULL value meaning zeros. */
	memset(tlvs, DIRTY, sizeof(tlvs));
	ck_assert_int_eq(
		twr_tlv_emit(tlvs, sizeof(tlvs), TWR_TLV_FLAG_U, TWR_TLV_EXTRA_PADDING, NULL, 8),
		12);
	ck_assert_bytes(tlvs, vec_extra_padding, sizeof(vec_extra_padding));

	m.tlvs = tlvs;
	m.tlv_len = sizeof(tlvs);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_sender_encode(&m, false, buf, sizeof(buf)), 56);
	ck_assert_bytes(buf, vec_sender, 44);
	ck_assert_bytes(buf + 44, vec_extra_padding, 12);

	ck_assert_int_eq(twr_stamp_sender_decode(buf, sizeof(buf), false, &d), 0);
	ck_assert_ptr_eq(d.tlvs, buf + 44);
	ck_assert_uint_eq(d.tlv_len, 12);
	twr_tlv_iter_init(&it, d.tlvs, d.tlv_len);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.flags, TWR_TLV_FLAG_U);
	ck_assert_uint_eq(tlv.type, TWR_TLV_EXTRA_PADDING);
	ck_assert_uint_eq(tlv.length, 8);
	ck_assert_uint_eq(tlv.offset, 0);
	ck_assert_ptr_eq(tlv.value, buf + 48);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
}
END_TEST

START_TEST(test_reflector_bytes)
{
	struct twr_stamp_reflector m = {
		.seq = 1,
		.timestamp = T3,
		.error_estimate = 0x8587,
		.ssid = 0x1234,
		.receive_timestamp = T2,
		.sender_seq = 1,
		.sender_timestamp = T0,
		.sender_error_estimate = 0x8587,
		.sender_ttl = 64,
		.tlvs = vec_reflector + 44,
		.tlv_len = 12,
	};
	struct twr_stamp_reflector d;
	uint8_t buf[56];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_reflector_encode(&m, false, buf, sizeof(buf)), 56);
	ck_assert_bytes(buf, vec_reflector, sizeof(vec_reflector));

	ck_assert_int_eq(
		twr_stamp_reflector_decode(vec_reflector, sizeof(vec_reflector), false, &d), 0);
	ck_assert_uint_eq(d.seq, 1);
	ck_assert_uint_eq(d.timestamp, T3);
	ck_assert_uint_eq(d.error_estimate, 0x8587);
	ck_assert_uint_eq(d.ssid, 0x1234);
	ck_assert_uint_eq(d.receive_timestamp, T2);
	ck_assert_uint_eq(d.sender_seq, 1);
	ck_assert_uint_eq(d.sender_timestamp, T0);
	ck_assert_uint_eq(d.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(d.sender_ttl, 64);
	ck_assert_ptr_eq(d.tlvs, vec_reflector + 44);
	ck_assert_uint_eq(d.tlv_len, 12);
}
END_TEST

START_TEST(test_auth_sender_bytes)
{
	struct twr_stamp_sender m = {
		.seq = 2,
		.timestamp = T1,
		.error_estimate = 0x8587,
		.ssid = 0xbeef,
	};
	struct twr_stamp_sender d;
	uint8_t buf[112];

	memcpy(m.hmac, hmac_a0, sizeof(m.hmac));
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_sender_encode(&m, true, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, vec_auth_sender, sizeof(vec_auth_sender));

	ck_assert_int_eq(
		twr_stamp_sender_decode(vec_auth_sender, sizeof(vec_auth_sender), true, &d), 0);
	ck_assert_uint_eq(d.seq, 2);
	ck_assert_uint_eq(d.timestamp, T1);
	ck_assert_uint_eq(d.error_estimate, 0x8587);
	ck_assert_uint_eq(d.ssid, 0xbeef);
	ck_assert_bytes(d.hmac, hmac_a0, 16);
	ck_assert_uint_eq(d.tlv_len, 0);
}
END_TEST

START_TEST(test_auth_reflector_bytes)
{
	static const uint8_t value[4] = {0x01, 0x02, 0x03, 0x04};
	struct twr_stamp_reflector m = {
		.seq = 2,
		.timestamp = T3,
		.error_estimate = 0x8f84,
		.ssid = 0xbeef,
		.receive_timestamp = T2,
		.sender_seq = 2,
		.sender_timestamp = T1,
		.sender_error_estimate = 0x8587,
		.sender_ttl = 255,
	};
	struct twr_stamp_reflector d;
	uint8_t tlv[8], buf[120];

	ck_assert_int_eq(twr_tlv_emit(tlv, sizeof(tlv), 0, TWR_TLV_EXTRA_PADDING, value, 4), 8);
	memcpy(m.hmac, hmac_b0, sizeof(m.hmac));
	m.tlvs = tlv;
	m.tlv_len = sizeof(tlv);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_reflector_encode(&m, true, buf, sizeof(buf)), 120);
	ck_assert_bytes(buf, vec_auth_reflector, sizeof(vec_auth_reflector));

	ck_assert_int_eq(twr_stamp_reflector_decode(vec_auth_reflector, sizeof(vec_auth_reflector),
						    true, &d),
			 0);
	ck_assert_uint_eq(d.seq, 2);
	ck_assert_uint_eq(d.timestamp, T3);
	ck_assert_uint_eq(d.error_estimate, 0x8f84);
	ck_assert_uint_eq(d.ssid, 0xbeef);
	ck_assert_uint_eq(d.receive_timestamp, T2);
	ck_assert_uint_eq(d.sender_seq, 2);
	ck_assert_uint_eq(d.sender_timestamp, T1);
	ck_assert_uint_eq(d.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(d.sender_ttl, 255);
	ck_assert_bytes(d.hmac, hmac_b0, 16);
	ck_assert_ptr_eq(d.tlvs, vec_auth_reflector + 112);
	ck_assert_uint_eq(d.tlv_len, 8);
}
END_TEST

static uint32_t
next_rand(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state;
}

static uint64_t
next_rand64(uint32_t *state)
{
	uint64_t hi = next_rand(state);

	return hi << 32 | next_rand(state);
}

START_TEST(test_roundtrip)
{
	static const size_t tlv_lens[] = {0, 1, 12, 1000};
	uint8_t tlvs[1000], buf[1200];
	uint32_t st = 3;
	size_t i, j;
	int auth;

	for (i = 0; i < sizeof(tlvs); i++)
		tlvs[i] = (uint8_t)next_rand(&st);
	for (auth = 0; auth <= 1; auth++) {
		size_t base = auth ? TWR_STAMP_AUTH_BASE_LEN : TWR_STAMP_BASE_LEN;

		for (i = 0; i < sizeof(tlv_lens) / sizeof(tlv_lens[0]); i++) {
			struct twr_stamp_sender s, sd;
			struct twr_stamp_reflector r, rd;
			ssize_t n;

			memset(&s, 0, sizeof(s));
			s.seq = next_rand(&st);
			s.timestamp = next_rand64(&st);
			s.error_estimate = (uint16_t)next_rand(&st);
			s.ssid = (uint16_t)next_rand(&st);
			if (auth)
				for (j = 0; j < TWR_HMAC_LEN; j++)
					s.hmac[j] = (uint8_t)next_rand(&st);
			s.tlvs = tlvs;
			s.tlv_len = tlv_lens[i];
			n = twr_stamp_sender_encode(&s, auth, buf, sizeof(buf));
			ck_assert_int_eq(n, (ssize_t)(base + tlv_lens[i]));
			ck_assert_int_eq(twr_stamp_sender_decode(buf, (size_t)n, auth, &sd), 0);
			ck_assert_uint_eq(sd.seq, s.seq);
			ck_assert_uint_eq(sd.timestamp, s.timestamp);
			ck_assert_uint_eq(sd.error_estimate, s.error_estimate);
			ck_assert_uint_eq(sd.ssid, s.ssid);
			ck_assert_bytes(sd.hmac, s.hmac, TWR_HMAC_LEN);
			ck_assert_uint_eq(sd.tlv_len, tlv_lens[i]);
			ck_assert_bytes(sd.tlvs, tlvs, tlv_lens[i]);

			memset(&r, 0, sizeof(r));
			r.seq = next_rand(&st);
			r.timestamp = next_rand64(&st);
			r.error_estimate = (uint16_t)next_rand(&st);
			r.ssid = (uint16_t)next_rand(&st);
			r.receive_timestamp = next_rand64(&st);
			r.sender_seq = next_rand(&st);
			r.sender_timestamp = next_rand64(&st);
			r.sender_error_estimate = (uint16_t)next_rand(&st);
			r.sender_ttl = (uint8_t)next_rand(&st);
			if (auth)
				for (j = 0; j < TWR_HMAC_LEN; j++)
					r.hmac[j] = (uint8_t)next_rand(&st);
			r.tlvs = tlvs;
			r.tlv_len = tlv_lens[i];
			n = twr_stamp_reflector_encode(&r, auth, buf, sizeof(buf));
			ck_assert_int_eq(n, (ssize_t)(base + tlv_lens[i]));
			ck_assert_int_eq(twr_stamp_reflector_decode(buf, (size_t)n, auth, &rd), 0);
			ck_assert_uint_eq(rd.seq, r.seq);
			ck_assert_uint_eq(rd.timestamp, r.timestamp);
			ck_assert_uint_eq(rd.error_estimate, r.error_estimate);
			ck_assert_uint_eq(rd.ssid, r.ssid);
			ck_assert_uint_eq(rd.receive_timestamp, r.receive_timestamp);
			ck_assert_uint_eq(rd.sender_seq, r.sender_seq);
			ck_assert_uint_eq(rd.sender_timestamp, r.sender_timestamp);
			ck_assert_uint_eq(rd.sender_error_estimate, r.sender_error_estimate);
			ck_assert_uint_eq(rd.sender_ttl, r.sender_ttl);
			ck_assert_bytes(rd.hmac, r.hmac, TWR_HMAC_LEN);
			ck_assert_ptr_eq(rd.tlvs, buf + base);
			ck_assert_uint_eq(rd.tlv_len, tlv_lens[i]);
			ck_assert_bytes(rd.tlvs, tlvs, tlv_lens[i]);
		}
	}
}
END_TEST

/* MBZ octets are never a reason to refuse, nor leak into fields. */
START_TEST(test_mbz_ignored)
{
	struct twr_stamp_sender s;
	struct twr_stamp_reflector r;
	uint8_t in[120];
	size_t i;

	memcpy(in, vec_sender, 44);
	memset(in + 16, 0xff, 28);
	ck_assert_int_eq(twr_stamp_sender_decode(in, 44, false, &s), 0);
	ck_assert_uint_eq(s.ssid, 0x1234);
	ck_assert_uint_eq(s.error_estimate, 0x8587);
	ck_assert_uint_eq(s.tlv_len, 0);

	memcpy(in, vec_auth_sender, 112);
	memset(in + 4, 0xff, 12);
	memset(in + 28, 0xff, 68);
	ck_assert_int_eq(twr_stamp_sender_decode(in, 112, true, &s), 0);
	ck_assert_uint_eq(s.seq, 2);
	ck_assert_uint_eq(s.timestamp, T1);
	ck_assert_uint_eq(s.ssid, 0xbeef);
	ck_assert_bytes(s.hmac, hmac_a0, 16);

	memcpy(in, vec_reflector, 56);
	in[38] = in[39] = in[41] = in[42] = in[43] = 0xff;
	ck_assert_int_eq(twr_stamp_reflector_decode(in, 56, false, &r), 0);
	ck_assert_uint_eq(r.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(r.sender_ttl, 64);
	ck_assert_uint_eq(r.tlv_len, 12);

	memcpy(in, vec_auth_reflector, 120);
	for (i = 0; i < 96; i++)
		if ((i >= 4 && i < 16) || (i >= 28 && i < 32) || (i >= 40 && i < 48) ||
		    (i >= 52 && i < 64) || (i >= 74 && i < 80) || i >= 81)
			in[i] = 0xff;
	ck_assert_int_eq(twr_stamp_reflector_decode(in, 120, true, &r), 0);
	ck_assert_uint_eq(r.seq, 2);
	ck_assert_uint_eq(r.timestamp, T3);
	ck_assert_uint_eq(r.error_estimate, 0x8f84);
	ck_assert_uint_eq(r.ssid, 0xbeef);
	ck_assert_uint_eq(r.receive_timestamp, T2);
	ck_assert_uint_eq(r.sender_seq, 2);
	ck_assert_uint_eq(r.sender_timestamp, T1);
	ck_assert_uint_eq(r.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(r.sender_ttl, 255);
	ck_assert_bytes(r.hmac, hmac_b0, 16);
}
END_TEST

START_TEST(test_tlvs_null_means_zeros)
{
	struct twr_stamp_reflector r = {.tlvs = NULL, .tlv_len = 5};
	struct twr_stamp_sender s = {.tlvs = NULL, .tlv_len = 5};
	static const uint8_t zeros[117];
	uint8_t buf[120];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, buf, sizeof(buf)), 117);
	ck_assert_bytes(buf, zeros, 117);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, sizeof(buf)), 49);
	ck_assert_bytes(buf, zeros, 49);
	ck_assert_uint_eq(buf[49], DIRTY);
}
END_TEST

START_TEST(test_decode_short)
{
	uint8_t buf[112] = {0};
	struct twr_stamp_sender s;
	struct twr_stamp_reflector r;

	ck_assert_int_eq(twr_stamp_sender_decode(buf, 43, false, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 0, false, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 44, false, &s), 0);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 111, true, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 0, true, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 112, true, &s), 0);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 43, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 0, false, &r), -EMSGSIZE);
	/* A 41-octet TWAMP reply is not a STAMP reflector packet. */
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 41, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 44, false, &r), 0);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 111, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 0, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 112, true, &r), 0);
}
END_TEST

START_TEST(test_encode_nobufs)
{
	struct twr_stamp_sender s = {.tlv_len = 12};
	struct twr_stamp_reflector r = {.tlv_len = 12};
	uint8_t buf[200];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, 55), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, 43), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, 0), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, true, buf, 123), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, true, buf, 111), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, false, buf, 55), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, false, buf, 0), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, buf, 123), -ENOBUFS);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, buf, 111), -ENOBUFS);
	ck_assert_uint_eq(buf[0], DIRTY);
	ck_assert_uint_eq(buf[123], DIRTY);

	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, 56), 56);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, true, buf, 124), 124);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, false, buf, 56), 56);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, buf, 124), 124);

	s.tlv_len = (size_t)SSIZE_MAX;
	ck_assert_int_eq(twr_stamp_sender_encode(&s, false, buf, SIZE_MAX), -EINVAL);
	r.tlv_len = SIZE_MAX;
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, buf, SIZE_MAX), -EINVAL);
}
END_TEST

START_TEST(test_null)
{
	struct twr_stamp_sender s = {0};
	struct twr_stamp_reflector r = {0};
	uint8_t buf[200] = {0};

	ck_assert_int_eq(twr_stamp_sender_decode(NULL, 44, false, &s), -EINVAL);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, 112, true, NULL), -EINVAL);
	ck_assert_int_eq(twr_stamp_sender_encode(NULL, false, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_stamp_sender_encode(&s, true, NULL, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_stamp_reflector_decode(NULL, 112, true, &r), -EINVAL);
	ck_assert_int_eq(twr_stamp_reflector_decode(buf, 44, false, NULL), -EINVAL);
	ck_assert_int_eq(twr_stamp_reflector_encode(NULL, false, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, true, NULL, sizeof(buf)), -EINVAL);
}
END_TEST

/* A stateless reply written over its request: TLVs stay at 44, the header is rewritten. */
START_TEST(test_in_place_reflect)
{
	struct twr_stamp_sender s;
	struct twr_stamp_reflector r;
	uint8_t buf[56];

	memcpy(buf, vec_sender, 44);
	memcpy(buf + 44, vec_extra_padding, 12);
	ck_assert_int_eq(twr_stamp_sender_decode(buf, sizeof(buf), false, &s), 0);
	memset(&r, 0, sizeof(r));
	r.seq = s.seq;
	r.timestamp = T3;
	r.error_estimate = 0x8587;
	r.ssid = s.ssid;
	r.receive_timestamp = T2;
	r.sender_seq = s.seq;
	r.sender_timestamp = s.timestamp;
	r.sender_error_estimate = s.error_estimate;
	r.sender_ttl = 64;
	r.tlvs = s.tlvs;
	r.tlv_len = s.tlv_len;
	ck_assert_int_eq(twr_stamp_reflector_encode(&r, false, buf, sizeof(buf)), 56);
	buf[44] &= (uint8_t)~TWR_TLV_FLAG_U; /* understood */
	ck_assert_bytes(buf, vec_reflector, sizeof(vec_reflector));
}
END_TEST

/* --- TLVs --------------------------------------------------------------------------------- */

START_TEST(test_tlv_empty)
{
	static const uint8_t area[4] = {0x80, 0x01, 0x00, 0x00};
	struct twr_tlv_iter it;
	struct twr_tlv tlv;

	twr_tlv_iter_init(&it, NULL, 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
	twr_tlv_iter_init(&it, area, 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
}
END_TEST

START_TEST(test_tlv_exact_end_and_chain)
{
	/* Extra Padding (3), CoS (4), zero-length Extra Padding, HMAC (16). */
	/* clang-format off */
	static const uint8_t area[] = {
		0x80, 0x01, 0x00, 0x03, 0x11, 0x22, 0x33,
		0x80, 0x04, 0x00, 0x04, 0xb8, 0x00, 0x00, 0x00,
		0x80, 0x01, 0x00, 0x00,
		0x80, 0x08, 0x00, 0x10, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	/* clang-format on */
	static const struct {
		uint8_t type;
		uint16_t length;
		size_t offset;
	} want[] = {
		{TWR_TLV_EXTRA_PADDING, 3, 0},
		{TWR_TLV_CLASS_OF_SERVICE, 4, 7},
		{TWR_TLV_EXTRA_PADDING, 0, 15},
		{TWR_TLV_HMAC, 16, 19},
	};
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	size_t i;

	ck_assert_uint_eq(sizeof(area), 39);
	twr_tlv_iter_init(&it, area, sizeof(area));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
		ck_assert_uint_eq(tlv.flags, TWR_TLV_FLAG_U);
		ck_assert_uint_eq(tlv.type, want[i].type);
		ck_assert_uint_eq(tlv.length, want[i].length);
		ck_assert_uint_eq(tlv.offset, want[i].offset);
		ck_assert_ptr_eq(tlv.value, area + want[i].offset + 4);
	}
	/* Exact end: 0, and it stays 0. */
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
}
END_TEST

START_TEST(test_tlv_zero_length_value)
{
	static const uint8_t area[4] = {0x00, 0xfe, 0x00, 0x00};
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	uint8_t buf[4];

	twr_tlv_iter_init(&it, area, sizeof(area));
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.type, 0xfe);
	ck_assert_uint_eq(tlv.length, 0);
	ck_assert_ptr_eq(tlv.value, area + 4);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_tlv_emit(buf, sizeof(buf), 0, 0xfe, NULL, 0), 4);
	ck_assert_bytes(buf, area, 4);
}
END_TEST

START_TEST(test_tlv_truncated_header)
{
	/* One good zero-length TLV, then 1, 2 or 3 octets of a header. */
	static const uint8_t area[7] = {0x80, 0x01, 0x00, 0x00, 0x80, 0x01, 0x00};
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	size_t tail;

	for (tail = 1; tail <= 3; tail++) {
		twr_tlv_iter_init(&it, area, 4 + tail);
		ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
		ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
		ck_assert_uint_eq(tlv.offset, 4);
		ck_assert_ptr_null(tlv.value);
		/* The iterator stays on the malformed TLV. */
		ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
		ck_assert_uint_eq(tlv.offset, 4);
		ck_assert_uint_eq(it.off, 4);
	}
	/* Truncated at the very start. */
	twr_tlv_iter_init(&it, area, 2);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
	ck_assert_uint_eq(tlv.offset, 0);
}
END_TEST

START_TEST(test_tlv_length_past_end)
{
	/* CoS (good), then Extra Padding claiming 9 octets with 8 left. */
	/* clang-format off */
	static const uint8_t area[] = {
		0x80, 0x04, 0x00, 0x04, 0xb8, 0x00, 0x00, 0x00,
		0x80, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	/* clang-format on */
	struct twr_tlv_iter it;
	struct twr_tlv tlv;

	twr_tlv_iter_init(&it, area, sizeof(area));
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
	ck_assert_uint_eq(tlv.offset, 8);
	ck_assert_uint_eq(tlv.flags, TWR_TLV_FLAG_U);
	ck_assert_uint_eq(tlv.type, TWR_TLV_EXTRA_PADDING);
	ck_assert_uint_eq(tlv.length, 9);
	ck_assert_ptr_null(tlv.value);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
	ck_assert_uint_eq(tlv.offset, 8);

	/* One octet shorter claim: exact fit. */
	twr_tlv_iter_init(&it, area, sizeof(area) - 1);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
	ck_assert_uint_eq(tlv.offset, 8);

	/* A length of 0xffff in a short area. */
	{
		static const uint8_t huge[6] = {0x80, 0x01, 0xff, 0xff, 0x00, 0x00};

		twr_tlv_iter_init(&it, huge, sizeof(huge));
		ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
		ck_assert_uint_eq(tlv.offset, 0);
		ck_assert_uint_eq(tlv.length, 0xffff);
	}
}
END_TEST

static uint8_t big[4 + 65535 + 4 + 1];

START_TEST(test_tlv_max_length)
{
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	size_t i;

	memset(big, DIRTY, sizeof(big));
	ck_assert_int_eq(twr_tlv_emit(big, 4 + 65534, TWR_TLV_FLAG_U, 1, NULL, 65535), -ENOBUFS);
	ck_assert_int_eq(twr_tlv_emit(big, sizeof(big), TWR_TLV_FLAG_U, 1, NULL, 65535), 65539);
	ck_assert_uint_eq(big[2], 0xff);
	ck_assert_uint_eq(big[3], 0xff);
	for (i = 4; i < 65539; i++)
		if (big[i] != 0)
			ck_abort_msg("octet %zu not zero", i);
	ck_assert_int_eq(twr_tlv_emit(big + 65539, 4, 0, 9, NULL, 0), 4);

	twr_tlv_iter_init(&it, big, 65539 + 4);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.length, 65535);
	ck_assert_uint_eq(tlv.offset, 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.type, 9);
	ck_assert_uint_eq(tlv.offset, 65539);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);

	/* One octet short of the maximum value. */
	twr_tlv_iter_init(&it, big, 65538);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EMSGSIZE);
}
END_TEST

START_TEST(test_tlv_emit_refusals)
{
	static const uint8_t value[3] = {1, 2, 3};
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	uint8_t buf[8];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_tlv_emit(buf, 6, 0x80, 1, value, 3), -ENOBUFS);
	ck_assert_int_eq(twr_tlv_emit(buf, 3, 0x80, 1, NULL, 0), -ENOBUFS);
	ck_assert_int_eq(twr_tlv_emit(buf, 0, 0x80, 1, NULL, 0), -ENOBUFS);
	ck_assert_uint_eq(buf[0], DIRTY);
	ck_assert_int_eq(twr_tlv_emit(NULL, 8, 0x80, 1, value, 3), -EINVAL);
	ck_assert_int_eq(twr_tlv_emit(buf, 7, 0x80, 1, value, 3), 7);

	ck_assert_int_eq(twr_tlv_next(NULL, &tlv), -EINVAL);
	twr_tlv_iter_init(&it, buf, 7);
	ck_assert_int_eq(twr_tlv_next(&it, NULL), -EINVAL);
	twr_tlv_iter_init(&it, NULL, 7);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), -EINVAL);
	twr_tlv_iter_init(NULL, buf, 7); /* must not crash */
}
END_TEST

START_TEST(test_tlv_location)
{
	static const uint8_t eui48[8] = {0x02, 0x00, 0x5e, 0x00, 0x53, 0x01, 0x00, 0x00};
	static const uint8_t dst4[16] = {198, 51, 100, 2};
	static const uint8_t src4[16] = {192, 0, 2, 1};
	static const struct {
		uint8_t type;
		uint16_t length;
		const uint8_t *value;
	} sub[] = {
		{TWR_LOC_SRC_EUI48, 8, eui48},
		{TWR_LOC_DST_IPV4, 16, dst4},
		{TWR_LOC_SRC_IPV4, 16, src4},
	};
	static const uint8_t req_types[3] = {TWR_LOC_SRC_MAC, TWR_LOC_DST_IP, TWR_LOC_SRC_IP};
	uint8_t value[56], buf[64];
	struct twr_tlv_iter it, sit;
	struct twr_tlv tlv, st;
	size_t off, i;
	ssize_t n;

	/* The sender's request: zero ports, MBZ sub-TLV values, U=1. */
	memset(value, 0, 4);
	off = 4;
	for (i = 0; i < 3; i++) {
		n = twr_tlv_emit(value + off, sizeof(value) - off, TWR_TLV_FLAG_U, req_types[i],
				 NULL, sub[i].length);
		ck_assert_int_eq(n, 4 + sub[i].length);
		off += (size_t)n;
	}
	ck_assert_uint_eq(off, 56);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_tlv_emit(buf, sizeof(buf), TWR_TLV_FLAG_U, TWR_TLV_LOCATION, value,
				      (uint16_t)off),
			 60);
	ck_assert_bytes(buf, vec_location_request, sizeof(vec_location_request));

	/* The reflector's answer. */
	value[0] = 0x03;
	value[1] = 0x5e;
	value[2] = 0xc3;
	value[3] = 0x50;
	off = 4;
	for (i = 0; i < 3; i++) {
		n = twr_tlv_emit(value + off, sizeof(value) - off, 0, sub[i].type, sub[i].value,
				 sub[i].length);
		ck_assert_int_eq(n, 4 + sub[i].length);
		off += (size_t)n;
	}
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_tlv_emit(buf, sizeof(buf), 0, TWR_TLV_LOCATION, value, (uint16_t)off),
			 60);
	ck_assert_bytes(buf, vec_location_reply, sizeof(vec_location_reply));

	/* Parse it back: the sub-TLVs sit after the 4 octets of ports. */
	twr_tlv_iter_init(&it, vec_location_reply, sizeof(vec_location_reply));
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.type, TWR_TLV_LOCATION);
	ck_assert_uint_eq(tlv.flags, 0);
	ck_assert_uint_eq(tlv.length, 56);
	ck_assert_uint_eq((unsigned int)(tlv.value[0] << 8 | tlv.value[1]), 862);
	ck_assert_uint_eq((unsigned int)(tlv.value[2] << 8 | tlv.value[3]), 50000);
	twr_tlv_iter_init(&sit, tlv.value + 4, tlv.length - 4u);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(twr_tlv_next(&sit, &st), 1);
		ck_assert_uint_eq(st.flags, 0);
		ck_assert_uint_eq(st.type, sub[i].type);
		ck_assert_uint_eq(st.length, sub[i].length);
		ck_assert_bytes(st.value, sub[i].value, sub[i].length);
	}
	ck_assert_int_eq(twr_tlv_next(&sit, &st), 0);
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);

	/*
	 * A sub-TLV running past its Location TLV is malformed there. EUI-48
	 * claiming 9 octets still fits, but lands the next header inside the
	 * Destination IPv4 sub-TLV, whose bogus length then runs past the end.
	 */
	memcpy(buf, vec_location_reply, sizeof(vec_location_reply));
	buf[11] = 0x09;
	twr_tlv_iter_init(&it, buf, sizeof(vec_location_reply));
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	twr_tlv_iter_init(&sit, tlv.value + 4, tlv.length - 4u);
	ck_assert_int_eq(twr_tlv_next(&sit, &st), 1);
	ck_assert_uint_eq(st.length, 9);
	ck_assert_int_eq(twr_tlv_next(&sit, &st), -EMSGSIZE);
	ck_assert_uint_eq(st.offset, 13);
	buf[11] = 0xff;
	twr_tlv_iter_init(&sit, tlv.value + 4, tlv.length - 4u);
	ck_assert_int_eq(twr_tlv_next(&sit, &st), -EMSGSIZE);
	ck_assert_uint_eq(st.offset, 0);
}
END_TEST

START_TEST(test_tlv_class_of_service)
{
	uint8_t buf[8], value[4];
	struct twr_tlv_iter it;
	struct twr_tlv tlv;
	uint32_t v;

	/* Sender: DSCP1 = EF, everything else 0. */
	v = (uint32_t)46 << 26;
	value[0] = (uint8_t)(v >> 24);
	value[1] = (uint8_t)(v >> 16);
	value[2] = (uint8_t)(v >> 8);
	value[3] = (uint8_t)v;
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(
		twr_tlv_emit(buf, sizeof(buf), TWR_TLV_FLAG_U, TWR_TLV_CLASS_OF_SERVICE, value, 4),
		8);
	ck_assert_bytes(buf, vec_cos_request, sizeof(vec_cos_request));

	/* Reflector: DSCP2 = AF11 (10), ECN = ECT(1), RP = 0, U cleared. */
	v |= (uint32_t)10 << 20 | (uint32_t)1 << 18 | (uint32_t)0 << 16;
	value[0] = (uint8_t)(v >> 24);
	value[1] = (uint8_t)(v >> 16);
	value[2] = (uint8_t)(v >> 8);
	value[3] = (uint8_t)v;
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_tlv_emit(buf, sizeof(buf), 0, TWR_TLV_CLASS_OF_SERVICE, value, 4), 8);
	ck_assert_bytes(buf, vec_cos_reply, sizeof(vec_cos_reply));

	twr_tlv_iter_init(&it, vec_cos_reply, sizeof(vec_cos_reply));
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 1);
	ck_assert_uint_eq(tlv.type, TWR_TLV_CLASS_OF_SERVICE);
	ck_assert_uint_eq(tlv.length, 4);
	v = (uint32_t)tlv.value[0] << 24 | (uint32_t)tlv.value[1] << 16;
	ck_assert_uint_eq(v >> 26, 46);		 /* DSCP1 */
	ck_assert_uint_eq((v >> 20) & 0x3f, 10); /* DSCP2 */
	ck_assert_uint_eq((v >> 18) & 0x3, 1);	 /* ECN */
	ck_assert_uint_eq((v >> 16) & 0x3, 0);	 /* RP */
	ck_assert_int_eq(twr_tlv_next(&it, &tlv), 0);
}
END_TEST

/* Flags are rewritten in place on a reflected TLV: emit over itself. */
START_TEST(test_tlv_emit_in_place)
{
	uint8_t buf[12];

	memcpy(buf, vec_extra_padding, sizeof(buf));
	buf[4] = 0x42;
	ck_assert_int_eq(twr_tlv_emit(buf, sizeof(buf), 0, TWR_TLV_EXTRA_PADDING, buf + 4, 8), 12);
	ck_assert_uint_eq(buf[0], 0);
	ck_assert_uint_eq(buf[4], 0x42);
	ck_assert_bytes(buf + 5, vec_extra_padding + 5, 7);
}
END_TEST

static Suite *
stamp_suite(void)
{
	Suite *s = suite_create("stamp");
	TCase *tc;

	tc = tcase_create("packets");
	tcase_add_test(tc, test_vector_sender);
	tcase_add_test(tc, test_vector_sender_with_tlv);
	tcase_add_test(tc, test_reflector_bytes);
	tcase_add_test(tc, test_auth_sender_bytes);
	tcase_add_test(tc, test_auth_reflector_bytes);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_mbz_ignored);
	tcase_add_test(tc, test_tlvs_null_means_zeros);
	tcase_add_test(tc, test_in_place_reflect);
	suite_add_tcase(s, tc);

	tc = tcase_create("packet-refusals");
	tcase_add_test(tc, test_decode_short);
	tcase_add_test(tc, test_encode_nobufs);
	tcase_add_test(tc, test_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("tlv");
	tcase_add_test(tc, test_tlv_empty);
	tcase_add_test(tc, test_tlv_exact_end_and_chain);
	tcase_add_test(tc, test_tlv_zero_length_value);
	tcase_add_test(tc, test_tlv_truncated_header);
	tcase_add_test(tc, test_tlv_length_past_end);
	tcase_add_test(tc, test_tlv_max_length);
	tcase_add_test(tc, test_tlv_emit_refusals);
	tcase_add_test(tc, test_tlv_location);
	tcase_add_test(tc, test_tlv_class_of_service);
	tcase_add_test(tc, test_tlv_emit_in_place);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(stamp_suite)
