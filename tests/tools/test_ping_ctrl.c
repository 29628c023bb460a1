/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping's TWAMP-Control client messages (ping_ctrl_msg.h): every
 * message it sends byte for byte (the digest §7 vectors where they exist),
 * every answer it reads, including the lenient readings of RFC 4656 §3.3
 * (an Accept above 6 is a failure, not a parse error).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"

#include "ping_ctrl_msg.h"

/* Unix 1700000010 (digest §7.6) as NTP. */
#define NTP_1700000010 0xe8fe6f8a00000000ull

static void
addr4(struct twr_ping_addr *a, const char *ip, uint16_t port)
{
	struct sockaddr_in *s = (struct sockaddr_in *)&a->ss;

	memset(a, 0, sizeof(*a));
	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &s->sin_addr), 1);
	a->len = sizeof(*s);
}

static void
addr6(struct twr_ping_addr *a, const char *ip, uint16_t port)
{
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&a->ss;

	memset(a, 0, sizeof(*a));
	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &s->sin6_addr), 1);
	a->len = sizeof(*s);
}

/*
 * Digest §7.6: Sender 192.0.2.1:50000, Receiver 198.51.100.2:5000, padding
 * 27, Start Time Unix 1700000010, Timeout 3 s, DSCP EF; rows as printed there.
 */
static const char REQUEST_7_6_HEX[] = "050400000000000000000000c3501388"
				      "c0000201000000000000000000000000"
				      "c6336402000000000000000000000000"
				      "00000000000000000000000000000000"
				      "0000001be8fe6f8a0000000000000003"
				      "000000002e0000000000000000000000"
				      "00000000000000000000000000000000";

static void
unhex(const char *hex, uint8_t *out, size_t len)
{
	size_t i;
	unsigned int v;

	ck_assert_uint_eq(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void
request_7_6(struct twr_ping_request *r, struct twr_ping_addr *snd, struct twr_ping_addr *rcv)
{
	addr4(snd, "192.0.2.1", 50000);
	addr4(rcv, "198.51.100.2", 862); /* the control port: not what the request carries */
	memset(r, 0, sizeof(*r));
	r->sender = snd;
	r->receiver = rcv;
	r->receiver_port = 5000;
	r->padding_length = 27;
	r->start_time = NTP_1700000010;
	r->timeout_ns = 3000000000ull;
	r->dscp = 46;
}

START_TEST(test_request_vector)
{
	struct twr_ping_addr snd, rcv;
	struct twr_ping_request r;
	uint8_t buf[112], want[112];

	unhex(REQUEST_7_6_HEX, want, sizeof(want));
	request_7_6(&r, &snd, &rcv);
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, want, 112);
}
END_TEST

START_TEST(test_request_zero_addresses)
{
	struct twr_ping_addr snd, rcv;
	struct twr_ping_request r;
	uint8_t buf[112], want[112];

	request_7_6(&r, &snd, &rcv);
	r.zero_addresses = true;
	unhex(REQUEST_7_6_HEX, want, sizeof(want));
	memset(want + 16, 0, 32); /* both addresses; IPVN 4 and the ports stay */
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, want, 112);
	ck_assert_uint_eq(buf[1], 4);
	ck_assert_uint_eq(buf[12], 0xc3);
}
END_TEST

START_TEST(test_request_ipv6)
{
	static const uint8_t snd6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
	static const uint8_t rcv6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 0x02};
	struct twr_ping_addr snd, rcv;
	struct twr_ping_request r;
	uint8_t buf[112], want[112];

	addr6(&snd, "2001:db8::1", 40000);
	addr6(&rcv, "2001:db8::ab02", 862);
	memset(&r, 0, sizeof(r));
	r.sender = &snd;
	r.receiver = &rcv;
	r.receiver_port = 40000; /* twping: ask for our own port */
	r.padding_length = 1386;
	r.timeout_ns = 2500000000ull; /* 2.5 s: fraction 0x80000000 */
	r.dscp = -1;
	memset(want, 0, sizeof(want));
	want[0] = 5;
	want[1] = 6;
	want[12] = 0x9c;
	want[13] = 0x40;
	want[14] = 0x9c;
	want[15] = 0x40;
	memcpy(want + 16, snd6, 16);
	memcpy(want + 32, rcv6, 16);
	want[66] = 0x05; /* 1386 = 0x056a */
	want[67] = 0x6a;
	want[79] = 0x02;
	want[80] = 0x80;
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, want, 112);

	r.zero_addresses = true;
	memset(want + 16, 0, 32);
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), 112);
	ck_assert_bytes(buf, want, 112);
	ck_assert_uint_eq(buf[1], 6);
}
END_TEST

START_TEST(test_request_refusals)
{
	struct twr_ping_addr snd, rcv, rcv6;
	struct twr_ping_request r;
	uint8_t buf[112];

	request_7_6(&r, &snd, &rcv);
	addr6(&rcv6, "::1", 862);
	r.receiver = &rcv6;
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), -EAFNOSUPPORT);
	r.receiver = &rcv;
	r.dscp = 64;
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), -ERANGE);
	r.dscp = 0;
	ck_assert_int_eq(twr_ping_request_build(&r, buf, 111), -ENOBUFS);
	ck_assert_int_eq(twr_ping_request_build(NULL, buf, sizeof(buf)), -EINVAL);
	r.sender = NULL;
	ck_assert_int_eq(twr_ping_request_build(&r, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_setup_response)
{
	uint8_t buf[164], want[164];

	/* Digest §7.4: Mode 1 and 160 zero octets. */
	memset(want, 0, sizeof(want));
	want[3] = 1;
	ck_assert_int_eq(twr_ping_setup_response_build(1, buf, sizeof(buf)), 164);
	ck_assert_bytes(buf, want, 164);
	want[3] = 0x11;
	ck_assert_int_eq(twr_ping_setup_response_build(0x11, buf, sizeof(buf)), 164);
	ck_assert_bytes(buf, want, 164);
	ck_assert_int_eq(twr_ping_setup_response_build(1, buf, 163), -ENOBUFS);

	/* Only offered bits; no feature twamp-ping does not use. */
	ck_assert_uint_eq(twr_ping_setup_mode(0x171, true), 0x11);
	ck_assert_uint_eq(twr_ping_setup_mode(0x171, false), 0x1);
	ck_assert_uint_eq(twr_ping_setup_mode(0x1, true), 0x1);
	ck_assert_uint_eq(twr_ping_setup_mode(0x7, true), 0x1);
}
END_TEST

/* Digest §7.3 greeting with the given Modes and Count. */
static void
greeting(uint8_t *buf, uint32_t modes, uint32_t count)
{
	unsigned int i;

	memset(buf, 0, 64);
	for (i = 0; i < 32; i++)
		buf[16 + i] = (uint8_t)i;
	buf[12] = (uint8_t)(modes >> 24);
	buf[13] = (uint8_t)(modes >> 16);
	buf[14] = (uint8_t)(modes >> 8);
	buf[15] = (uint8_t)modes;
	buf[48] = (uint8_t)(count >> 24);
	buf[49] = (uint8_t)(count >> 16);
	buf[50] = (uint8_t)(count >> 8);
	buf[51] = (uint8_t)count;
}

START_TEST(test_greeting)
{
	struct twr_ping_greeting g;
	uint8_t buf[64];

	greeting(buf, 1, 1024);
	ck_assert_uint_eq(buf[50], 0x04); /* the §7.3 octets */
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), 0);
	ck_assert_uint_eq(g.modes, 1);
	ck_assert_uint_eq(g.count, 1024);
	ck_assert(g.count_valid);

	greeting(buf, 0x17f, 32768);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), 0);
	ck_assert_uint_eq(g.modes, 0x17f);

	/* RFC 5357 §6: above 32768, hang up. */
	greeting(buf, 1, 65536);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), -ERANGE);
	ck_assert_uint_eq(g.count, 65536);

	/* Not a power of two: unused in unauthenticated mode, noted, accepted. */
	greeting(buf, 1, 1000);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), 0);
	ck_assert(!g.count_valid);
	ck_assert_uint_eq(g.modes, 1);

	greeting(buf, 0, 1024);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), -ECONNREFUSED);
	greeting(buf, 0x6, 1024);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 64, &g), -ENOTSUP);
	ck_assert_uint_eq(g.modes, 0x6);
	ck_assert_int_eq(twr_ping_greeting_parse(buf, 63, &g), -EINVAL);
}
END_TEST

START_TEST(test_server_start)
{
	uint8_t buf[48];
	uint64_t t;
	uint8_t accept;

	/* Digest §7.5. */
	memset(buf, 0, sizeof(buf));
	buf[32] = 0xe8;
	buf[33] = 0xfe;
	buf[34] = 0x6f;
	buf[35] = 0x80;
	ck_assert_int_eq(twr_ping_server_start_parse(buf, 48, &accept, &t), 0);
	ck_assert_uint_eq(accept, 0);
	ck_assert_uint_eq(t, 0xe8fe6f8000000000ull);
	buf[15] = 9; /* unknown: kept, read as failure */
	ck_assert_int_eq(twr_ping_server_start_parse(buf, 48, &accept, &t), 0);
	ck_assert_uint_eq(accept, 9);
	ck_assert_int_eq(twr_ping_server_start_parse(buf, 47, &accept, &t), -EINVAL);
}
END_TEST

START_TEST(test_accept_session)
{
	/* Digest §7.7. */
	static const uint8_t vec[48] = {0x00, 0x00, 0x13, 0x88, 0xc6, 0x33, 0x64, 0x02, 0xe8, 0xfe,
					0x6f, 0x85, 0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef};
	uint8_t buf[48];
	struct twr_ping_accept a;
	char hex[33];

	ck_assert_int_eq(twr_ping_accept_parse(vec, 48, &a), 0);
	ck_assert_uint_eq(a.accept, 0);
	ck_assert_uint_eq(a.port, 5000);
	ck_assert_bytes(a.sid, vec + 4, 16);
	ck_assert_str_eq(twr_ping_sid_hex(a.sid, hex, sizeof(hex)),
			 "c6336402e8fe6f8500000000deadbeef");
	memcpy(buf, vec, sizeof(buf));
	buf[0] = 5;
	buf[2] = buf[3] = 0;
	ck_assert_int_eq(twr_ping_accept_parse(buf, 48, &a), 0);
	ck_assert_uint_eq(a.accept, 5);
	ck_assert_uint_eq(a.port, 0);
	ck_assert_str_eq(twr_ping_accept_key(a.accept), "temporary_limit");
	ck_assert_str_eq(twr_ping_accept_name(a.accept),
			 "cannot perform the request due to temporary resource limitations");
	buf[0] = 200;
	ck_assert_int_eq(twr_ping_accept_parse(buf, 48, &a), 0);
	ck_assert_uint_eq(a.accept, 200);
	ck_assert_str_eq(twr_ping_accept_key(200), "unknown");
	ck_assert_ptr_nonnull(strstr(twr_ping_accept_name(200), "failure"));
	ck_assert_int_eq(twr_ping_accept_parse(buf, 32, &a), -EINVAL);
}
END_TEST

START_TEST(test_start_stop)
{
	uint8_t buf[32], want[32];
	uint8_t accept = 99;

	/* Digest §7.8. */
	memset(want, 0, sizeof(want));
	want[0] = 2;
	ck_assert_int_eq(twr_ping_start_sessions_build(buf, sizeof(buf)), 32);
	ck_assert_bytes(buf, want, 32);
	want[0] = 3;
	want[7] = 1;
	ck_assert_int_eq(twr_ping_stop_sessions_build(1, buf, sizeof(buf)), 32);
	ck_assert_bytes(buf, want, 32);
	want[6] = 0x01;
	want[7] = 0x00;
	ck_assert_int_eq(twr_ping_stop_sessions_build(256, buf, sizeof(buf)), 32);
	ck_assert_bytes(buf, want, 32);

	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(twr_ping_start_ack_parse(buf, 32, &accept), 0);
	ck_assert_uint_eq(accept, 0);
	buf[0] = 2;
	ck_assert_int_eq(twr_ping_start_ack_parse(buf, 32, &accept), 0);
	ck_assert_uint_eq(accept, 2);
	ck_assert_int_eq(twr_ping_start_ack_parse(buf, 31, &accept), -EINVAL);
}
END_TEST

static void
three_sids(uint8_t sids[48])
{
	unsigned int i;

	for (i = 0; i < 48; i++)
		sids[i] = (uint8_t)(0xa0 + i);
}

START_TEST(test_start_n_three)
{
	uint8_t sids[48], buf[80], want[80];

	three_sids(sids);
	/* RFC 5938 §3.2: command 7, MBZ, N at 12, the SIDs, HMAC. */
	memset(want, 0, sizeof(want));
	want[0] = 7;
	want[15] = 3;
	memcpy(want + 16, sids, 48);
	ck_assert_int_eq(twr_ping_sid_list_build(TWR_CMD_START_N_SESSIONS, sids, 3, buf, 80), 80);
	ck_assert_bytes(buf, want, 80);
	want[0] = 9;
	ck_assert_int_eq(twr_ping_sid_list_build(TWR_CMD_STOP_N_SESSIONS, sids, 3, buf, 80), 80);
	ck_assert_bytes(buf, want, 80);
	ck_assert_int_eq(twr_ping_sid_list_build(TWR_CMD_START_N_SESSIONS, sids, 3, buf, 79),
			 -ENOBUFS);
	ck_assert_int_eq(twr_ping_sid_list_build(TWR_CMD_START_N_ACK, sids, 3, buf, 80), -EINVAL);
	ck_assert_int_eq(twr_ping_sid_list_build(TWR_CMD_START_N_SESSIONS, sids, 0, buf, 80),
			 -EINVAL);
}
END_TEST

START_TEST(test_sid_acks)
{
	struct twr_sid_list_msg m;
	uint8_t sids[48], buf[64];

	three_sids(sids);
	/* A Start-N-Ack, Accept 1, for the second and third SIDs. */
	memset(buf, 0, sizeof(buf));
	buf[0] = TWR_CMD_START_N_ACK;
	buf[1] = 1;
	buf[15] = 2;
	memcpy(buf + 16, sids + 16, 32);
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 16, TWR_CMD_START_N_ACK, 3), 64);
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 16, TWR_CMD_START_N_ACK, 1), -ERANGE);
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 16, TWR_CMD_STOP_N_ACK, 3), -EBADMSG);
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 15, TWR_CMD_START_N_ACK, 3), -EINVAL);
	ck_assert_int_eq(twr_ping_sid_ack_parse(buf, 64, TWR_CMD_START_N_ACK, &m), 0);
	ck_assert_uint_eq(m.accept, 1);
	ck_assert_uint_eq(m.nb_sessions, 2);
	ck_assert_bytes(m.sids, sids + 16, 32);
	ck_assert_int_eq(twr_ping_sid_ack_parse(buf, 48, TWR_CMD_START_N_ACK, &m), -EMSGSIZE);
	/* An Accept above 6 is a failure to report, not a broken message. */
	buf[1] = 42;
	ck_assert_int_eq(twr_ping_sid_ack_parse(buf, 64, TWR_CMD_START_N_ACK, &m), 0);
	ck_assert_uint_eq(m.accept, 42);
	ck_assert_uint_eq(m.nb_sessions, 2);
	ck_assert_int_eq(twr_ping_sid_ack_parse(buf, 48, TWR_CMD_START_N_ACK, &m), -EMSGSIZE);
	buf[15] = 0;
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 16, TWR_CMD_START_N_ACK, 3), -ERANGE);
	ck_assert_int_eq(twr_ping_sid_ack_length(buf, 16, TWR_CMD_START_N_ACK, 3), -ERANGE);
}
END_TEST

START_TEST(test_names)
{
	char buf[256];

	ck_assert_str_eq(twr_ping_modes_str(0x171, buf, sizeof(buf)),
			 "unauthenticated, individual_session_control, reflect_octets, "
			 "symmetrical_size, dscp_ecn_monitoring");
	ck_assert_str_eq(twr_ping_modes_str(0x401, buf, sizeof(buf)), "unauthenticated, 0x400");
	ck_assert_str_eq(twr_ping_modes_str(0, buf, sizeof(buf)), "none");
	ck_assert_str_eq(twr_ping_accept_key(0), "ok");
	ck_assert_str_eq(twr_ping_accept_name(3), "some aspect of the request is not supported");
	ck_assert_str_eq(twr_ping_mode_bit_name(4), "individual_session_control");
	ck_assert_ptr_null(twr_ping_mode_bit_name(10));
}
END_TEST

static Suite *
ctrl_suite(void)
{
	Suite *s = suite_create("ping_ctrl");
	TCase *tc = tcase_create("messages");

	tcase_add_test(tc, test_request_vector);
	tcase_add_test(tc, test_request_zero_addresses);
	tcase_add_test(tc, test_request_ipv6);
	tcase_add_test(tc, test_request_refusals);
	tcase_add_test(tc, test_setup_response);
	tcase_add_test(tc, test_greeting);
	tcase_add_test(tc, test_server_start);
	tcase_add_test(tc, test_accept_session);
	tcase_add_test(tc, test_start_stop);
	tcase_add_test(tc, test_start_n_three);
	tcase_add_test(tc, test_sid_acks);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(ctrl_suite)
