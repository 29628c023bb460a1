/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping packet engines: sender packets byte for byte against the
 * digest's vectors (§7.9, §7.13), replies parsed into exact RTT and
 * residence times, and every kind of bad reply refused without a crash.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "twr_stamp.h"
#include "twr_test_pkt.h"

#include "ping_format.h"

/* Unix 1700000010.25 / .50 / .75 and 1700000011.0 as NTP (digest §7.1, §7.9). */
#define T1 UINT64_C(0xe8fe6f8a40000000)
#define T2 UINT64_C(0xe8fe6f8a80000000)
#define T3 UINT64_C(0xe8fe6f8ac0000000)
#define T4 UINT64_C(0xe8fe6f8b00000000)

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

/* Digest §7.13: STAMP sender, seq 1, T1 = Unix 1700000010, EE 8587, SSID 0x1234. */
static const uint8_t vec_stamp_sender[44] = {
	0x00, 0x00, 0x00, 0x01, 0xe8, 0xfe, 0x6f, 0x8a, 0x00, 0x00, 0x00, 0x00, 0x85, 0x87, 0x12,
	0x34, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const struct twr_ping_format *
light(void)
{
	return twr_ping_format_get(TWR_PING_MODE_LIGHT);
}

static const struct twr_ping_format *
stamp(void)
{
	return twr_ping_format_get(TWR_PING_MODE_STAMP);
}

START_TEST(test_engine_table)
{
	ck_assert_ptr_nonnull(light());
	ck_assert_ptr_nonnull(stamp());
	ck_assert_ptr_eq(twr_ping_format_find("light"), light());
	ck_assert_ptr_eq(twr_ping_format_find("stamp"), stamp());
	/* Managed TWAMP: the light engine's packets under its own name. */
	ck_assert_ptr_nonnull(twr_ping_format_get(TWR_PING_MODE_FULL));
	ck_assert_ptr_eq(twr_ping_format_find("full"), twr_ping_format_get(TWR_PING_MODE_FULL));
	ck_assert_str_eq(twr_ping_format_find("full")->label, "TWAMP");
	ck_assert_ptr_eq(twr_ping_format_find("full")->encode, light()->encode);
	ck_assert_ptr_eq(twr_ping_format_find("full")->decode, light()->decode);
	ck_assert_uint_eq(twr_ping_format_find("full")->default_size, 41);
	ck_assert_ptr_null(twr_ping_format_find("twamp"));
	ck_assert_ptr_null(twr_ping_format_find(NULL));
	ck_assert_uint_eq(light()->default_size, 41);
	ck_assert_uint_eq(light()->header_len, 14);
	ck_assert_uint_eq(stamp()->default_size, 44);
	ck_assert_uint_eq(stamp()->header_len, 44);
}
END_TEST

START_TEST(test_light_sender_vector)
{
	struct twr_ping_probe p = {.seq = 0, .t1 = T1, .error_estimate = 0x8587};
	uint8_t buf[41];

	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(light()->encode(&p, buf, sizeof(buf)), 41);
	ck_assert_bytes(buf, vec_sender, sizeof(vec_sender));
	/* The smallest sender packet: header only. */
	ck_assert_int_eq(light()->encode(&p, buf, 14), 14);
	ck_assert_bytes(buf, vec_sender, 14);
}
END_TEST

START_TEST(test_stamp_sender_vector)
{
	struct twr_ping_probe p = {.seq = 1,
				   .t1 = UINT64_C(0xe8fe6f8a00000000),
				   .error_estimate = 0x8587,
				   .ssid = 0x1234};
	static const uint8_t tlv[12] = {0x80, 0x01, 0x00, 0x08};
	uint8_t buf[56];

	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(stamp()->encode(&p, buf, 44), 44);
	ck_assert_bytes(buf, vec_stamp_sender, 44);
	/* Grown with one Extra Padding TLV, U set, as digest §7.13 shows it. */
	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(stamp()->encode(&p, buf, 56), 56);
	ck_assert_bytes(buf, vec_stamp_sender, 44);
	ck_assert_bytes(buf + 44, tlv, sizeof(tlv));
}
END_TEST

START_TEST(test_stamp_sizes)
{
	struct twr_ping_probe p = {.seq = 1};
	uint8_t buf[48];
	size_t len;

	ck_assert_ptr_null(stamp()->size_error(44));
	ck_assert_ptr_null(stamp()->size_error(48));
	for (len = 45; len < 48; len++) {
		ck_assert_ptr_nonnull(stamp()->size_error(len));
		ck_assert_int_eq(stamp()->encode(&p, buf, len), -EINVAL);
	}
	ck_assert_ptr_null(light()->size_error(15));
}
END_TEST

/* The digest's reply with T4 one second after T1's second: exact delays. */
START_TEST(test_light_reply_vector)
{
	struct twr_ping_reply r;

	ck_assert_int_eq(twr_ping_reply_parse(light(), vec_reflector, 41, T4, 61, &r), 0);
	ck_assert_uint_eq(r.len, 41);
	ck_assert_uint_eq(r.seq, 0);
	ck_assert_uint_eq(r.sender_seq, 0);
	ck_assert_uint_eq(r.t1, T1);
	ck_assert_uint_eq(r.t2, T2);
	ck_assert_uint_eq(r.t3, T3);
	ck_assert_uint_eq(r.t4, T4);
	ck_assert_uint_eq(r.error_estimate, 0x8587);
	ck_assert_uint_eq(r.sender_error_estimate, 0x8587);
	ck_assert_uint_eq(r.sender_ttl, 64);
	ck_assert_int_eq(r.ttl, 61);
	/* (11.00 - 10.25) - (10.75 - 10.50) = 0.5 s; residence 0.25 s. */
	ck_assert_int_eq(r.residence_ns, 250000000);
	ck_assert_int_eq(r.rtt_ns, 500000000);
	/* The same octets through the STAMP engine: a TWAMP reply, SSID 0. */
	ck_assert_int_eq(twr_ping_reply_parse(stamp(), vec_reflector, 41, T4, -1, &r), 0);
	ck_assert_int_eq(r.rtt_ns, 500000000);
	ck_assert_uint_eq(r.ssid, 0);
	ck_assert_int_eq(r.ttl, -1);
}
END_TEST

/* 1 ms as 4294967 units of 2^-32 s: the fake reflector of the loopback test. */
START_TEST(test_residence_one_ms)
{
	struct twr_test_reflector m = {.seq = 9,
				       .timestamp = T2 + 4294967u,
				       .receive_timestamp = T2,
				       .sender_seq = 9,
				       .sender_timestamp = T1,
				       .sender_ttl = 255};
	struct twr_ping_reply r;
	uint8_t buf[41];

	ck_assert_int_eq(twr_test_reflector_encode(&m, false, false, buf, sizeof(buf)), 41);
	ck_assert_int_eq(twr_ping_reply_parse(light(), buf, 41, T4, 255, &r), 0);
	ck_assert_int_eq(r.residence_ns, 1000000);
	ck_assert_int_eq(r.rtt_ns, 750000000 - 1000000);
}
END_TEST

/* T1 just before the 2036 NTP era wrap, T4 just after: still 1 s. */
START_TEST(test_era_wrap)
{
	struct twr_test_reflector m = {.timestamp = UINT64_C(0x0000000010000000),
				       .receive_timestamp = UINT64_C(0xfffffffff0000000),
				       .sender_timestamp = UINT64_C(0xffffffff80000000)};
	struct twr_ping_reply r;
	uint8_t buf[41];

	ck_assert_int_eq(twr_test_reflector_encode(&m, false, false, buf, sizeof(buf)), 41);
	ck_assert_int_eq(
		twr_ping_reply_parse(light(), buf, 41, UINT64_C(0x0000000080000000), -1, &r), 0);
	ck_assert_int_eq(r.residence_ns, 125000000);
	ck_assert_int_eq(r.rtt_ns, 1000000000 - 125000000);
}
END_TEST

/* Z = 1: the reflector's pair is PTPv2 truncated (RFC 8186). */
START_TEST(test_ptp_residence)
{
	struct twr_test_reflector m = {.error_estimate = 0x4001,
				       .receive_timestamp = UINT64_C(1700000010) << 32 | 999000000u,
				       .timestamp = UINT64_C(1700000011) << 32 | 1000000u,
				       .sender_timestamp = T1};
	struct twr_ping_reply r;
	uint8_t buf[41];

	ck_assert_int_eq(twr_test_reflector_encode(&m, false, false, buf, sizeof(buf)), 41);
	ck_assert_int_eq(twr_ping_reply_parse(light(), buf, 41, T4, -1, &r), 0);
	ck_assert_int_eq(r.residence_ns, 2000000);
	ck_assert_int_eq(r.rtt_ns, 750000000 - 2000000);
	/* A nanoseconds field of 10^9 is no PTP timestamp. */
	m.timestamp = UINT64_C(1700000011) << 32 | 1000000000u;
	ck_assert_int_eq(twr_test_reflector_encode(&m, false, false, buf, sizeof(buf)), 41);
	ck_assert_int_eq(twr_ping_reply_parse(light(), buf, 41, T4, -1, &r), -ERANGE);
}
END_TEST

START_TEST(test_stamp_reply_tlvs)
{
	uint8_t tlvs[12], buf[64];
	struct twr_stamp_reflector m = {.seq = 3,
					.timestamp = T3,
					.error_estimate = 0x8587,
					.ssid = 0x1234,
					.receive_timestamp = T2,
					.sender_seq = 5,
					.sender_timestamp = T1,
					.sender_error_estimate = 0x8587,
					.sender_ttl = 255,
					.tlvs = tlvs,
					.tlv_len = sizeof(tlvs)};
	struct twr_ping_reply r;

	/* Extra Padding understood: U cleared. */
	ck_assert_int_eq(twr_tlv_emit(tlvs, sizeof(tlvs), 0, TWR_TLV_EXTRA_PADDING, NULL, 8), 12);
	ck_assert_int_eq(twr_stamp_reflector_encode(&m, false, buf, sizeof(buf)), 56);
	ck_assert_int_eq(twr_ping_reply_parse(stamp(), buf, 56, T4, 64, &r), 0);
	ck_assert_uint_eq(r.seq, 3);
	ck_assert_uint_eq(r.sender_seq, 5);
	ck_assert_uint_eq(r.ssid, 0x1234);
	ck_assert_uint_eq(r.sender_ttl, 255);
	ck_assert_uint_eq(r.tlv_flags, 0);
	ck_assert(!r.tlv_malformed);
	ck_assert_int_eq(r.rtt_ns, 500000000);
	/* A reflector without TLV support leaves U set. */
	buf[44] = TWR_TLV_FLAG_U;
	ck_assert_int_eq(twr_ping_reply_parse(stamp(), buf, 56, T4, 64, &r), 0);
	ck_assert_uint_eq(r.tlv_flags, TWR_TLV_FLAG_U);
	/* A TLV longer than the packet: malformed area, the reply still counts. */
	buf[47] = 9;
	ck_assert_int_eq(twr_ping_reply_parse(stamp(), buf, 56, T4, 64, &r), 0);
	ck_assert(r.tlv_malformed);
	/* Three octets after the base: no room for a TLV header. */
	ck_assert_int_eq(twr_ping_reply_parse(stamp(), buf, 47, T4, 64, &r), 0);
	ck_assert(r.tlv_malformed);
}
END_TEST

START_TEST(test_short_replies)
{
	uint8_t buf[41];
	struct twr_ping_reply r;
	size_t len;

	memcpy(buf, vec_reflector, sizeof(buf));
	for (len = 0; len < 41; len++) {
		ck_assert_int_eq(twr_ping_reply_parse(light(), buf, len, T4, -1, &r), -EMSGSIZE);
		ck_assert_int_eq(twr_ping_reply_parse(stamp(), buf, len, T4, -1, &r), -EMSGSIZE);
	}
	ck_assert_int_eq(twr_ping_reply_parse(NULL, buf, 41, T4, -1, &r), -EINVAL);
	ck_assert_int_eq(twr_ping_reply_parse(light(), NULL, 41, T4, -1, &r), -EINVAL);
	ck_assert_int_eq(twr_ping_reply_parse(light(), buf, 41, T4, -1, NULL), -EINVAL);
}
END_TEST

/* Any octets, any length: a result or a refusal, never a crash (run under ASan too). */
START_TEST(test_garbage)
{
	static uint8_t buf[2048];
	struct twr_ping_reply r;
	unsigned int seed = 12345, i, round;
	size_t len;
	int ret;

	for (round = 0; round < 20000; round++) {
		len = (size_t)(rand_r(&seed) % 200);
		if (round % 100 == 0)
			len = sizeof(buf);
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)rand_r(&seed);
		ret = twr_ping_reply_parse(round & 1 ? stamp() : light(), buf, len, T4, -1, &r);
		ck_assert(ret == 0 || ret == -EMSGSIZE || ret == -ERANGE);
		if (len < 41)
			ck_assert_int_eq(ret, -EMSGSIZE);
	}
}
END_TEST

static Suite *
reply_suite(void)
{
	Suite *s = suite_create("ping-reply");
	TCase *tc = tcase_create("senders");

	tcase_add_test(tc, test_engine_table);
	tcase_add_test(tc, test_light_sender_vector);
	tcase_add_test(tc, test_stamp_sender_vector);
	tcase_add_test(tc, test_stamp_sizes);
	suite_add_tcase(s, tc);

	tc = tcase_create("replies");
	tcase_add_test(tc, test_light_reply_vector);
	tcase_add_test(tc, test_residence_one_ms);
	tcase_add_test(tc, test_era_wrap);
	tcase_add_test(tc, test_ptp_residence);
	tcase_add_test(tc, test_stamp_reply_tlvs);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_short_replies);
	tcase_add_test(tc, test_garbage);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(reply_suite)
