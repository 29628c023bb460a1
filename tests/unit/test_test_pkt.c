/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Test packet layouts: the digest §7.9 vectors, hand-built vectors
 * for the formats the digest has none for, round trips, and refusals.
 * Encoders write into buffers pre-filled with DIRTY so that a forgotten
 * MBZ octet shows up as a byte mismatch.
 */

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "check_main.h"
#include "twr_test_pkt.h"

#define DIRTY 0xaa

/* Unix 1700000010.25 / .50 / .75 as NTP (digest §7.1, §7.9). */
#define T1 UINT64_C(0xe8fe6f8a40000000)
#define T2 UINT64_C(0xe8fe6f8a80000000)
#define T3 UINT64_C(0xe8fe6f8ac0000000)

/* Digest §7.9: sender, seq 0, T1, EE 8587, 27 zero octets of padding. */
static const uint8_t vec_sender[41] = {
	0x00, 0x00, 0x00, 0x00, 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00, 0x85, 0x87,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* Digest §7.9: reflector, seq 0, T3, EE 8587, T2, copies of the sender, TTL 64. */
static const uint8_t vec_reflector[41] = {
	0x00, 0x00, 0x00, 0x00, 0xe8, 0xfe, 0x6f, 0x8a, 0xc0, 0x00, 0x00, 0x00, 0x85, 0x87,
	0x00, 0x00, 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00, 0x85, 0x87, 0x00, 0x00, 0x40,
};

/* Authenticated sender, 48 + 8: seq 0x01020304, T1, EE 8587, HMAC f0..ff, padding 50..57. */
static const uint8_t vec_auth_sender[56] = {
	0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00, 0x85, 0x87, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9,
	0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
};

/*
 * Authenticated reflector, 112: seq 7, T3, EE 8587, T2, sender seq
 * 0x01020304, T1, sender EE 8f84, TTL 64, HMAC e0..ef.
 */
static const uint8_t vec_auth_reflector[112] = {
	/* 0x00 */ 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
	/* 0x08 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x10 */ 0xe8, 0xfe, 0x6f, 0x8a, 0xc0, 0x00, 0x00, 0x00,
	/* 0x18 */ 0x85, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x20 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00,
	/* 0x28 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x30 */ 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
	/* 0x38 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x40 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00,
	/* 0x48 */ 0x8f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x50 */ 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x58 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x60 */ 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
	/* 0x68 */ 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
};

/*
 * Unauthenticated reflector with RFC 7750: seq 1, T3, EE 8587, T2, sender
 * seq 5, T1, sender EE 8587, TTL 253, S-DSCP-ECN 0xb9 (EF, ECT(1)) at 41,
 * MBZ 42-43, padding 11 22 33 44 from 44.
 */
static const uint8_t vec_reflector_dscp[48] = {
	0x00, 0x00, 0x00, 0x01, 0xe8, 0xfe, 0x6f, 0x8a, 0xc0, 0x00, 0x00, 0x00,
	0x85, 0x87, 0x00, 0x00, 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x05, 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00,
	0x85, 0x87, 0x00, 0x00, 0xfd, 0xb9, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44,
};

/* Authenticated reflector with RFC 7750: as above, S-DSCP-ECN 0xb9 at 81, padding 5a 5b. */
static const uint8_t vec_auth_reflector_dscp[114] = {
	/* 0x00 */ 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
	/* 0x08 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x10 */ 0xe8, 0xfe, 0x6f, 0x8a, 0xc0, 0x00, 0x00, 0x00,
	/* 0x18 */ 0x85, 0x87, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x20 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x80, 0x00, 0x00, 0x00,
	/* 0x28 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x30 */ 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
	/* 0x38 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x40 */ 0xe8, 0xfe, 0x6f, 0x8a, 0x40, 0x00, 0x00, 0x00,
	/* 0x48 */ 0x8f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x50 */ 0x40, 0xb9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x58 */ 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	/* 0x60 */ 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
	/* 0x68 */ 0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
	/* 0x70 */ 0x5a, 0x5b,
};

static const uint8_t auth_sender_hmac[16] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

static const uint8_t auth_reflector_hmac[16] = {
	0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7,
	0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef,
};

static const uint8_t auth_sender_padding[8] = {0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57};
static const uint8_t dscp_padding[4] = {0x11, 0x22, 0x33, 0x44};

static void
fill_auth_reflector(struct twr_test_reflector *m)
{
	memset(m, 0, sizeof(*m));
	m->seq = 7;
	m->timestamp = T3;
	m->error_estimate = 0x8587;
	m->receive_timestamp = T2;
	m->sender_seq = 0x01020304;
	m->sender_timestamp = T1;
	m->sender_error_estimate = 0x8f84;
	m->sender_ttl = 64;
	memcpy(m->hmac, auth_reflector_hmac, sizeof(m->hmac));
}

START_TEST(test_vector_sender_decode)
{
	struct twr_test_sender m;

	ck_assert_int_eq(twr_test_sender_decode(vec_sender, sizeof(vec_sender), false, &m), 0);
	ck_assert_uint_eq(m.seq, 0);
	ck_assert_uint_eq(m.timestamp, T1);
	ck_assert_uint_eq(m.error_estimate, 0x8587);
	ck_assert_ptr_eq(m.padding, vec_sender + 14);
	ck_assert_uint_eq(m.padding_len, 27);
}
END_TEST

START_TEST(test_vector_sender_encode)
{
	static const uint8_t zeros[27];
	struct twr_test_sender m = {
		.seq = 0,
		.timestamp = T1,
		.error_estimate = 0x8587,
		.padding = NULL,
		.padding_len = 27,
	};
	uint8_t buf[64];

	/* NULL padding with a length: zeros. */
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_sender_encode(&m, false, buf, sizeof(buf)), 41);
	ck_assert_bytes(buf, vec_sender, sizeof(vec_sender));
	ck_assert_uint_eq(buf[41], DIRTY);

	/* Explicit padding, exact capacity. */
	m.padding = zeros;
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_sender_encode(&m, false, buf, 41), 41);
	ck_assert_bytes(buf, vec_sender, sizeof(vec_sender));
}
END_TEST

START_TEST(test_vector_reflector_decode)
{
	struct twr_test_reflector m;

	ck_assert_int_eq(
		twr_test_reflector_decode(vec_reflector, sizeof(vec_reflector), false, false, &m),
		0);
	ck_assert_uint_eq(m.seq, 0);
	ck_assert_uint_eq(m.timestamp, T3);
	ck_assert_uint_eq(m.error_estimate, 0x8587);
	ck_assert_uint_eq(m.receive_timestamp, T2);
	ck_assert_uint_eq(m.sender_seq, 0);
	ck_assert_uint_eq(m.sender_timestamp, T1);
	ck_assert_uint_eq(m.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(m.sender_ttl, 64);
	ck_assert_uint_eq(m.sender_dscp_ecn, 0);
	ck_assert_uint_eq(m.padding_len, 0);
}
END_TEST

START_TEST(test_vector_reflector_encode)
{
	struct twr_test_reflector m = {
		.seq = 0,
		.timestamp = T3,
		.error_estimate = 0x8587,
		.receive_timestamp = T2,
		.sender_seq = 0,
		.sender_timestamp = T1,
		.sender_error_estimate = 0x8587,
		.sender_ttl = 64,
	};
	uint8_t buf[41];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_reflector_encode(&m, false, false, buf, sizeof(buf)), 41);
	ck_assert_bytes(buf, vec_reflector, sizeof(vec_reflector));
}
END_TEST

START_TEST(test_auth_sender_bytes)
{
	struct twr_test_sender m = {
		.seq = 0x01020304,
		.timestamp = T1,
		.error_estimate = 0x8587,
		.padding = auth_sender_padding,
		.padding_len = sizeof(auth_sender_padding),
	};
	struct twr_test_sender d;
	uint8_t buf[56];

	memcpy(m.hmac, auth_sender_hmac, sizeof(m.hmac));
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_sender_encode(&m, true, buf, sizeof(buf)), 56);
	ck_assert_bytes(buf, vec_auth_sender, sizeof(vec_auth_sender));

	ck_assert_int_eq(twr_test_sender_decode(vec_auth_sender, sizeof(vec_auth_sender), true, &d),
			 0);
	ck_assert_uint_eq(d.seq, 0x01020304);
	ck_assert_uint_eq(d.timestamp, T1);
	ck_assert_uint_eq(d.error_estimate, 0x8587);
	ck_assert_bytes(d.hmac, auth_sender_hmac, 16);
	ck_assert_ptr_eq(d.padding, vec_auth_sender + 48);
	ck_assert_uint_eq(d.padding_len, 8);
}
END_TEST

START_TEST(test_auth_reflector_bytes)
{
	struct twr_test_reflector m, d;
	uint8_t buf[112];

	fill_auth_reflector(&m);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_reflector_encode(&m, true, false, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, vec_auth_reflector, sizeof(vec_auth_reflector));

	ck_assert_int_eq(twr_test_reflector_decode(vec_auth_reflector, sizeof(vec_auth_reflector),
						   true, false, &d),
			 0);
	ck_assert_uint_eq(d.seq, 7);
	ck_assert_uint_eq(d.timestamp, T3);
	ck_assert_uint_eq(d.error_estimate, 0x8587);
	ck_assert_uint_eq(d.receive_timestamp, T2);
	ck_assert_uint_eq(d.sender_seq, 0x01020304);
	ck_assert_uint_eq(d.sender_timestamp, T1);
	ck_assert_uint_eq(d.sender_error_estimate, 0x8f84);
	ck_assert_uint_eq(d.sender_ttl, 64);
	ck_assert_uint_eq(d.sender_dscp_ecn, 0);
	ck_assert_bytes(d.hmac, auth_reflector_hmac, 16);
	ck_assert_uint_eq(d.padding_len, 0);
}
END_TEST

START_TEST(test_reflector_dscp_ecn_bytes)
{
	struct twr_test_reflector m = {
		.seq = 1,
		.timestamp = T3,
		.error_estimate = 0x8587,
		.receive_timestamp = T2,
		.sender_seq = 5,
		.sender_timestamp = T1,
		.sender_error_estimate = 0x8587,
		.sender_ttl = 253,
		.sender_dscp_ecn = 0xb9,
		.padding = dscp_padding,
		.padding_len = sizeof(dscp_padding),
	};
	struct twr_test_reflector d;
	uint8_t buf[48];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_reflector_encode(&m, false, true, buf, sizeof(buf)), 48);
	ck_assert_bytes(buf, vec_reflector_dscp, sizeof(vec_reflector_dscp));

	ck_assert_int_eq(twr_test_reflector_decode(vec_reflector_dscp, sizeof(vec_reflector_dscp),
						   false, true, &d),
			 0);
	ck_assert_uint_eq(d.seq, 1);
	ck_assert_uint_eq(d.sender_seq, 5);
	ck_assert_uint_eq(d.sender_ttl, 253);
	ck_assert_uint_eq(d.sender_dscp_ecn, 0xb9);
	ck_assert_ptr_eq(d.padding, vec_reflector_dscp + 44);
	ck_assert_uint_eq(d.padding_len, 4);

	/* Without RFC 7750 the same octets are a 41-octet header and padding. */
	ck_assert_int_eq(twr_test_reflector_decode(vec_reflector_dscp, sizeof(vec_reflector_dscp),
						   false, false, &d),
			 0);
	ck_assert_uint_eq(d.sender_dscp_ecn, 0);
	ck_assert_ptr_eq(d.padding, vec_reflector_dscp + 41);
	ck_assert_uint_eq(d.padding_len, 7);
}
END_TEST

START_TEST(test_auth_reflector_dscp_ecn_bytes)
{
	static const uint8_t pad[2] = {0x5a, 0x5b};
	struct twr_test_reflector m, d;
	uint8_t buf[114];

	fill_auth_reflector(&m);
	m.sender_dscp_ecn = 0xb9;
	m.padding = pad;
	m.padding_len = sizeof(pad);
	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_reflector_encode(&m, true, true, buf, sizeof(buf)), 114);
	ck_assert_bytes(buf, vec_auth_reflector_dscp, sizeof(vec_auth_reflector_dscp));

	ck_assert_int_eq(twr_test_reflector_decode(vec_auth_reflector_dscp,
						   sizeof(vec_auth_reflector_dscp), true, true, &d),
			 0);
	ck_assert_uint_eq(d.sender_ttl, 64);
	ck_assert_uint_eq(d.sender_dscp_ecn, 0xb9);
	ck_assert_bytes(d.hmac, auth_reflector_hmac, 16);
	ck_assert_ptr_eq(d.padding, vec_auth_reflector_dscp + 112);
	ck_assert_uint_eq(d.padding_len, 2);

	/* Without RFC 7750, octet 81 is MBZ: ignored, and zeroed on re-encode. */
	ck_assert_int_eq(twr_test_reflector_decode(vec_auth_reflector_dscp,
						   sizeof(vec_auth_reflector_dscp), true, false,
						   &d),
			 0);
	ck_assert_uint_eq(d.sender_dscp_ecn, 0);
	ck_assert_int_eq(twr_test_reflector_encode(&d, true, false, buf, sizeof(buf)), 114);
	ck_assert_uint_eq(buf[81], 0);
}
END_TEST

/* Deterministic filler, so that a failing round trip is reproducible. */
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

START_TEST(test_roundtrip_sender)
{
	static const size_t pads[] = {0, 1, 27, 64, 1400};
	uint8_t padding[1400], buf[1500];
	uint32_t st = 1;
	size_t i, j;
	int auth;

	for (i = 0; i < sizeof(padding); i++)
		padding[i] = (uint8_t)next_rand(&st);
	for (auth = 0; auth <= 1; auth++) {
		for (i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
			struct twr_test_sender m, d;
			size_t hdr = auth ? TWR_TS_AUTH_MIN_LEN : TWR_TS_MIN_LEN;
			ssize_t n;

			memset(&m, 0, sizeof(m));
			m.seq = next_rand(&st);
			m.timestamp = next_rand64(&st);
			m.error_estimate = (uint16_t)next_rand(&st);
			if (auth)
				for (j = 0; j < TWR_HMAC_LEN; j++)
					m.hmac[j] = (uint8_t)next_rand(&st);
			m.padding = padding;
			m.padding_len = pads[i];
			n = twr_test_sender_encode(&m, auth, buf, sizeof(buf));
			ck_assert_int_eq(n, (ssize_t)(hdr + pads[i]));
			ck_assert_int_eq(twr_test_sender_decode(buf, (size_t)n, auth, &d), 0);
			ck_assert_uint_eq(d.seq, m.seq);
			ck_assert_uint_eq(d.timestamp, m.timestamp);
			ck_assert_uint_eq(d.error_estimate, m.error_estimate);
			ck_assert_bytes(d.hmac, m.hmac, TWR_HMAC_LEN);
			ck_assert_ptr_eq(d.padding, buf + hdr);
			ck_assert_uint_eq(d.padding_len, pads[i]);
			ck_assert_bytes(d.padding, padding, pads[i]);
		}
	}
}
END_TEST

START_TEST(test_roundtrip_reflector)
{
	static const size_t pads[] = {0, 1, 3, 64, 1400};
	uint8_t padding[1400], buf[1600];
	uint32_t st = 7;
	size_t i, j;
	int auth, dscp;

	for (i = 0; i < sizeof(padding); i++)
		padding[i] = (uint8_t)next_rand(&st);
	for (auth = 0; auth <= 1; auth++) {
		for (dscp = 0; dscp <= 1; dscp++) {
			for (i = 0; i < sizeof(pads) / sizeof(pads[0]); i++) {
				struct twr_test_reflector m, d;
				size_t hdr = auth ? 112 : dscp ? 44 : 41;
				ssize_t n;

				memset(&m, 0, sizeof(m));
				m.seq = next_rand(&st);
				m.timestamp = next_rand64(&st);
				m.error_estimate = (uint16_t)next_rand(&st);
				m.receive_timestamp = next_rand64(&st);
				m.sender_seq = next_rand(&st);
				m.sender_timestamp = next_rand64(&st);
				m.sender_error_estimate = (uint16_t)next_rand(&st);
				m.sender_ttl = (uint8_t)next_rand(&st);
				if (dscp)
					m.sender_dscp_ecn = (uint8_t)next_rand(&st);
				if (auth)
					for (j = 0; j < TWR_HMAC_LEN; j++)
						m.hmac[j] = (uint8_t)next_rand(&st);
				m.padding = padding;
				m.padding_len = pads[i];
				n = twr_test_reflector_encode(&m, auth, dscp, buf, sizeof(buf));
				ck_assert_int_eq(n, (ssize_t)(hdr + pads[i]));
				ck_assert_int_eq(
					twr_test_reflector_decode(buf, (size_t)n, auth, dscp, &d),
					0);
				ck_assert_uint_eq(d.seq, m.seq);
				ck_assert_uint_eq(d.timestamp, m.timestamp);
				ck_assert_uint_eq(d.error_estimate, m.error_estimate);
				ck_assert_uint_eq(d.receive_timestamp, m.receive_timestamp);
				ck_assert_uint_eq(d.sender_seq, m.sender_seq);
				ck_assert_uint_eq(d.sender_timestamp, m.sender_timestamp);
				ck_assert_uint_eq(d.sender_error_estimate, m.sender_error_estimate);
				ck_assert_uint_eq(d.sender_ttl, m.sender_ttl);
				ck_assert_uint_eq(d.sender_dscp_ecn, m.sender_dscp_ecn);
				ck_assert_bytes(d.hmac, m.hmac, TWR_HMAC_LEN);
				ck_assert_ptr_eq(d.padding, buf + hdr);
				ck_assert_uint_eq(d.padding_len, pads[i]);
				ck_assert_bytes(d.padding, padding, pads[i]);
			}
		}
	}
}
END_TEST

START_TEST(test_decode_short)
{
	uint8_t buf[112] = {0};
	struct twr_test_sender s;
	struct twr_test_reflector r;

	ck_assert_int_eq(twr_test_sender_decode(buf, 13, false, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_test_sender_decode(buf, 0, false, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_test_sender_decode(buf, 14, false, &s), 0);
	ck_assert_uint_eq(s.padding_len, 0);
	ck_assert_int_eq(twr_test_sender_decode(buf, 47, true, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_test_sender_decode(buf, 0, true, &s), -EMSGSIZE);
	ck_assert_int_eq(twr_test_sender_decode(buf, 48, true, &s), 0);

	ck_assert_int_eq(twr_test_reflector_decode(buf, 40, false, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 0, false, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 41, false, false, &r), 0);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 43, false, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 41, false, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 0, false, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 44, false, true, &r), 0);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 111, true, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 0, true, false, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 112, true, false, &r), 0);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 111, true, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 0, true, true, &r), -EMSGSIZE);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 112, true, true, &r), 0);
}
END_TEST

START_TEST(test_encode_nobufs)
{
	struct twr_test_sender s = {.padding_len = 10};
	struct twr_test_reflector r = {.padding_len = 10};
	uint8_t buf[200];

	memset(buf, DIRTY, sizeof(buf));
	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, 23), -ENOBUFS);
	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, 13), -ENOBUFS);
	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, 0), -ENOBUFS);
	ck_assert_int_eq(twr_test_sender_encode(&s, true, buf, 57), -ENOBUFS);
	ck_assert_int_eq(twr_test_sender_encode(&s, true, buf, 0), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, false, buf, 50), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, false, buf, 0), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, true, buf, 53), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, true, buf, 43), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, false, buf, 121), -ENOBUFS);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, true, buf, 111), -ENOBUFS);
	/* A refusal writes nothing. */
	ck_assert_uint_eq(buf[0], DIRTY);
	ck_assert_uint_eq(buf[120], DIRTY);

	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, 24), 24);
	ck_assert_int_eq(twr_test_sender_encode(&s, true, buf, 58), 58);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, false, buf, 51), 51);
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, true, buf, 54), 54);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, false, buf, 122), 122);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, true, buf, 122), 122);
}
END_TEST

START_TEST(test_null)
{
	struct twr_test_sender s = {0};
	struct twr_test_reflector r = {0};
	uint8_t buf[200] = {0};

	ck_assert_int_eq(twr_test_sender_decode(NULL, 41, false, &s), -EINVAL);
	ck_assert_int_eq(twr_test_sender_decode(buf, 41, false, NULL), -EINVAL);
	ck_assert_int_eq(twr_test_sender_decode(NULL, 0, true, &s), -EINVAL);
	ck_assert_int_eq(twr_test_sender_encode(NULL, false, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_test_sender_encode(&s, true, NULL, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_test_reflector_decode(NULL, 112, true, true, &r), -EINVAL);
	ck_assert_int_eq(twr_test_reflector_decode(buf, 112, false, false, NULL), -EINVAL);
	ck_assert_int_eq(twr_test_reflector_encode(NULL, false, true, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, false, NULL, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_padding_len_beyond_ssize)
{
	struct twr_test_sender s = {.padding_len = (size_t)SSIZE_MAX};
	struct twr_test_reflector r = {.padding_len = SIZE_MAX};
	uint8_t buf[1];

	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, SIZE_MAX), -EINVAL);
	ck_assert_int_eq(twr_test_reflector_encode(&r, true, false, buf, SIZE_MAX), -EINVAL);
	s.padding_len = SIZE_MAX - 10;
	ck_assert_int_eq(twr_test_sender_encode(&s, true, buf, sizeof(buf)), -EINVAL);
}
END_TEST

/* MBZ octets are never a reason to refuse (twr_proto.h), nor leak into fields. */
START_TEST(test_mbz_ignored)
{
	uint8_t in[112];
	struct twr_test_sender s;
	struct twr_test_reflector r;
	size_t i;

	memcpy(in, vec_auth_sender, 48);
	for (i = 4; i < 16; i++)
		in[i] = 0xff;
	for (i = 26; i < 32; i++)
		in[i] = 0xff;
	ck_assert_int_eq(twr_test_sender_decode(in, 48, true, &s), 0);
	ck_assert_uint_eq(s.seq, 0x01020304);
	ck_assert_uint_eq(s.timestamp, T1);
	ck_assert_uint_eq(s.error_estimate, 0x8587);

	memcpy(in, vec_reflector, 41);
	in[14] = in[15] = in[38] = in[39] = 0xff;
	ck_assert_int_eq(twr_test_reflector_decode(in, 41, false, false, &r), 0);
	ck_assert_uint_eq(r.error_estimate, 0x8587);
	ck_assert_uint_eq(r.receive_timestamp, T2);
	ck_assert_uint_eq(r.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(r.sender_ttl, 64);

	memcpy(in, vec_reflector_dscp, 44);
	in[42] = in[43] = 0xff;
	ck_assert_int_eq(twr_test_reflector_decode(in, 44, false, true, &r), 0);
	ck_assert_uint_eq(r.sender_dscp_ecn, 0xb9);
	ck_assert_uint_eq(r.padding_len, 0);

	memcpy(in, vec_auth_reflector, 112);
	for (i = 0; i < 96; i++)
		if ((i >= 4 && i < 16) || (i >= 26 && i < 32) || (i >= 40 && i < 48) ||
		    (i >= 52 && i < 64) || (i >= 74 && i < 80) || i >= 81)
			in[i] = 0xff;
	ck_assert_int_eq(twr_test_reflector_decode(in, 112, true, false, &r), 0);
	ck_assert_uint_eq(r.seq, 7);
	ck_assert_uint_eq(r.timestamp, T3);
	ck_assert_uint_eq(r.error_estimate, 0x8587);
	ck_assert_uint_eq(r.receive_timestamp, T2);
	ck_assert_uint_eq(r.sender_seq, 0x01020304);
	ck_assert_uint_eq(r.sender_timestamp, T1);
	ck_assert_uint_eq(r.sender_error_estimate, 0x8f84);
	ck_assert_uint_eq(r.sender_ttl, 64);
	ck_assert_bytes(r.hmac, auth_reflector_hmac, 16);
}
END_TEST

/*
 * The data plane reflects in place: the reply reuses the request's first
 * padding octets (RFC 5357 §4.2.1 truncation), which sit where the reply
 * header goes. Here a 41 + 27 + 5 octet sender packet becomes a reply of
 * the same length whose padding is the first 32 sender padding octets.
 */
START_TEST(test_in_place_reflect)
{
	uint8_t buf[82], pad[59];
	struct twr_test_sender s = {.seq = 0, .timestamp = T1, .error_estimate = 0x8587};
	struct twr_test_reflector r;
	size_t i;

	for (i = 0; i < sizeof(pad); i++)
		pad[i] = (uint8_t)(0x80 + i);
	s.padding = pad;
	s.padding_len = sizeof(pad);
	ck_assert_int_eq(twr_test_sender_encode(&s, false, buf, sizeof(buf)), 73);
	ck_assert_int_eq(twr_test_sender_decode(buf, 73, false, &s), 0);

	memset(&r, 0, sizeof(r));
	r.seq = 0;
	r.timestamp = T3;
	r.error_estimate = 0x8587;
	r.receive_timestamp = T2;
	r.sender_seq = s.seq;
	r.sender_timestamp = s.timestamp;
	r.sender_error_estimate = s.error_estimate;
	r.sender_ttl = 64;
	r.padding = s.padding; /* buf + 14 */
	r.padding_len = 73 - 41;
	ck_assert_int_eq(twr_test_reflector_encode(&r, false, false, buf, sizeof(buf)), 73);
	ck_assert_bytes(buf, vec_reflector, 41);
	ck_assert_bytes(buf + 41, pad, 32);
}
END_TEST

static Suite *
test_pkt_suite(void)
{
	Suite *s = suite_create("test_pkt");
	TCase *tc;

	tc = tcase_create("vectors");
	tcase_add_test(tc, test_vector_sender_decode);
	tcase_add_test(tc, test_vector_sender_encode);
	tcase_add_test(tc, test_vector_reflector_decode);
	tcase_add_test(tc, test_vector_reflector_encode);
	tcase_add_test(tc, test_auth_sender_bytes);
	tcase_add_test(tc, test_auth_reflector_bytes);
	tcase_add_test(tc, test_reflector_dscp_ecn_bytes);
	tcase_add_test(tc, test_auth_reflector_dscp_ecn_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("layouts");
	tcase_add_test(tc, test_roundtrip_sender);
	tcase_add_test(tc, test_roundtrip_reflector);
	tcase_add_test(tc, test_mbz_ignored);
	tcase_add_test(tc, test_in_place_reflect);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_test(tc, test_decode_short);
	tcase_add_test(tc, test_encode_nobufs);
	tcase_add_test(tc, test_null);
	tcase_add_test(tc, test_padding_len_beyond_ssize);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(test_pkt_suite)
