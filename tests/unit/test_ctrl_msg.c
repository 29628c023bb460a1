/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control messages: the digest §7 vectors byte for byte, hand-built
 * IPv6 and SID-list vectors, round trips, and every refusal with its exact
 * error code (the convention of twr_proto.h).
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "twr_ctrl_msg.h"

/* clang-format off */

/* digest §7.3: Modes 1, Challenge 00..0f, Salt 10..1f, Count 1024 */
static const uint8_t vec_greeting[TWR_SERVER_GREETING_LEN] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* digest §7.3, same greeting advertising 1|2|4|8|16|32|64|256 = 0x17f */
static const uint8_t vec_greeting_17f[TWR_SERVER_GREETING_LEN] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x7f,
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* digest §7.4: Mode 1, then 160 zero octets */
static const uint8_t vec_setup[TWR_SETUP_RESPONSE_LEN] = { 0x00, 0x00, 0x00, 0x01 };

/* digest §7.5: Accept 0, Server-IV 0, Start-Time Unix 1700000000 */
static const uint8_t vec_server_start[TWR_SERVER_START_LEN] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xe8, 0xfe, 0x6f, 0x80, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * digest §7.6: 192.0.2.1:50000 -> 198.51.100.2:5000, Padding 27, Start Unix
 * 1700000010, Timeout 3.0 s, DSCP EF, RFC 6038 fields 0, HMAC 0
 */
static const uint8_t vec_request_v4[TWR_REQUEST_TW_SESSION_LEN] = {
	0x05, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xc3, 0x50, 0x13, 0x88,
	0xc0, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xc6, 0x33, 0x64, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x1b, 0xe8, 0xfe, 0x6f, 0x8a,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	0x00, 0x00, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Built by hand from digest §2.6 (RFC 5357 §3.5, RFC 6038 §4.2):
 * IPVN 6, Sender [2001:db8::1]:50000, Receiver [2001:db8::2]:5000, SID 0,
 * Padding Length 64, Start Time Unix 1700000010, Timeout 2.5 s
 * (00000002 80000000), Type-P DSCP AF41 (34 << 24 = 0x22000000),
 * Octets to be reflected 0x0102, Length of padding to reflect 16,
 * HMAC a0..af (placement check only).
 *
 * 0000: 05 06 00 00 00 00 00 00 00 00 00 00 c3 50 13 88  cmd, IPVN, ports
 * 0010: 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01  sender address
 * 0020: 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02  receiver address
 * 0030: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  SID
 * 0040: 00 00 00 40 e8 fe 6f 8a 00 00 00 00 00 00 00 02  padding, start, timeout
 * 0050: 80 00 00 00 22 00 00 00 01 02 00 10 00 00 00 00  timeout, Type-P, 6038, MBZ
 * 0060: a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af  HMAC
 */
static const uint8_t vec_request_v6[TWR_REQUEST_TW_SESSION_LEN] = {
	0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xc3, 0x50, 0x13, 0x88,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x40, 0xe8, 0xfe, 0x6f, 0x8a,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x80, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00,
	0x01, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
};

/* digest §7.7: SID = 198.51.100.2 | NTP(Unix 1700000005) | deadbeef */
#define SID_A \
	0xc6, 0x33, 0x64, 0x02, 0xe8, 0xfe, 0x6f, 0x85, \
	0x00, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef
/* two more SIDs of the same construction, one and two seconds later */
#define SID_B \
	0xc6, 0x33, 0x64, 0x02, 0xe8, 0xfe, 0x6f, 0x86, \
	0x00, 0x00, 0x00, 0x00, 0xca, 0xfe, 0xba, 0xbe
#define SID_C \
	0xc6, 0x33, 0x64, 0x02, 0xe8, 0xfe, 0x6f, 0x87, \
	0x00, 0x00, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67
#define ZERO_BLOCK \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, \
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define HMAC_F0 \
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, \
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff

static const uint8_t sid_a[TWR_SID_LEN] = { SID_A };
static const uint8_t sids_abc[3 * TWR_SID_LEN] = { SID_A, SID_B, SID_C };

/* digest §7.7: Accept 0, Port 5000, SID as above */
static const uint8_t vec_accept_session[TWR_ACCEPT_SESSION_LEN] = {
	0x00, 0x00, 0x13, 0x88, 0xc6, 0x33, 0x64, 0x02,
	0xe8, 0xfe, 0x6f, 0x85, 0x00, 0x00, 0x00, 0x00,
	0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* digest §7.8 */
static const uint8_t vec_start_sessions[TWR_START_SESSIONS_LEN] = { 0x02 };
static const uint8_t vec_start_ack[TWR_START_ACK_LEN] = { 0x00 };
static const uint8_t vec_stop_sessions[TWR_STOP_SESSIONS_LEN] = {
	0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

/*
 * RFC 5938 §3.2-3.5 (digest §2.11), built by hand. Requests: command, 11
 * MBZ, N at octet 12. Acks: command, Accept, 10 MBZ, N at octet 12.
 */
static const uint8_t vec_start_n1[TWR_SID_LIST_MSG_LEN(1)] = {
	0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	SID_A,
	ZERO_BLOCK,
};
static const uint8_t vec_start_n3[TWR_SID_LIST_MSG_LEN(3)] = {
	0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	SID_A,
	SID_B,
	SID_C,
	ZERO_BLOCK,
};
/* Accept 0 */
static const uint8_t vec_start_n_ack1[TWR_SID_LIST_MSG_LEN(1)] = {
	0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	SID_A,
	ZERO_BLOCK,
};
/* Accept 5 (temporary resource limitation) for all three */
static const uint8_t vec_start_n_ack3[TWR_SID_LIST_MSG_LEN(3)] = {
	0x08, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	SID_A,
	SID_B,
	SID_C,
	ZERO_BLOCK,
};
static const uint8_t vec_stop_n1[TWR_SID_LIST_MSG_LEN(1)] = {
	0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	SID_A,
	ZERO_BLOCK,
};
/* HMAC f0..ff: checks the HMAC lands after the third SID */
static const uint8_t vec_stop_n3[TWR_SID_LIST_MSG_LEN(3)] = {
	0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	SID_A,
	SID_B,
	SID_C,
	HMAC_F0,
};
/* Accept 1 */
static const uint8_t vec_stop_n_ack1[TWR_SID_LIST_MSG_LEN(1)] = {
	0x0a, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	SID_A,
	ZERO_BLOCK,
};
static const uint8_t vec_stop_n_ack3[TWR_SID_LIST_MSG_LEN(3)] = {
	0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
	SID_A,
	SID_B,
	SID_C,
	ZERO_BLOCK,
};

/* clang-format on */

static const uint8_t hmac_f0[TWR_HMAC_LEN] = {HMAC_F0};

/* Unix 1700000000 / 1700000010 in NTP format (digest §7.1) */
#define NTP_1700000000 0xe8fe6f8000000000ull
#define NTP_1700000010 0xe8fe6f8a00000000ull

/* Larger than any message below, for oversize and sentinel checks. */
#define BUF_LEN	 256
#define SENTINEL 0xa5

static void
fill_range(uint8_t *p, size_t len, uint8_t first)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(first + i);
}

static void
assert_untouched(const uint8_t *buf, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		ck_assert_msg(buf[i] == SENTINEL, "octet %zu written: %02x", i, buf[i]);
}

/* The inputs of each vector, as structs. */

static void
greeting_vector(struct twr_server_greeting *m)
{
	memset(m, 0, sizeof(*m));
	m->modes = TWR_MODE_UNAUTHENTICATED;
	fill_range(m->challenge, sizeof(m->challenge), 0x00);
	fill_range(m->salt, sizeof(m->salt), 0x10);
	m->count = 1024;
}

static void
setup_vector(struct twr_setup_response *m)
{
	memset(m, 0, sizeof(*m));
	m->mode = TWR_MODE_UNAUTHENTICATED;
}

static void
server_start_vector(struct twr_server_start *m)
{
	memset(m, 0, sizeof(*m));
	m->accept = TWR_ACCEPT_OK;
	m->start_time = NTP_1700000000;
}

static void
request_v4_vector(struct twr_request_session *m)
{
	static const uint8_t snd[4] = {192, 0, 2, 1};
	static const uint8_t rcv[4] = {198, 51, 100, 2};

	memset(m, 0, sizeof(*m));
	m->ipvn = 4;
	m->sender_port = 50000;
	m->receiver_port = 5000;
	memcpy(m->sender_addr, snd, sizeof(snd));
	memcpy(m->receiver_addr, rcv, sizeof(rcv));
	m->padding_length = 27;
	m->start_time = NTP_1700000010;
	m->timeout = 3ull << 32;
	m->type_p = 46u << 24;
}

static void
request_v6_vector(struct twr_request_session *m)
{
	static const uint8_t snd[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
	static const uint8_t rcv[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x02};

	memset(m, 0, sizeof(*m));
	m->ipvn = 6;
	m->sender_port = 50000;
	m->receiver_port = 5000;
	memcpy(m->sender_addr, snd, sizeof(snd));
	memcpy(m->receiver_addr, rcv, sizeof(rcv));
	m->padding_length = 64;
	m->start_time = NTP_1700000010;
	m->timeout = 2ull << 32 | 0x80000000u;
	m->type_p = 34u << 24;
	m->octets_reflected = 0x0102;
	m->padding_reflect_len = 16;
	fill_range(m->hmac, sizeof(m->hmac), 0xa0);
}

static void
accept_session_vector(struct twr_accept_session *m)
{
	memset(m, 0, sizeof(*m));
	m->accept = TWR_ACCEPT_OK;
	m->port = 5000;
	memcpy(m->sid, sid_a, sizeof(m->sid));
}

static void
stop_sessions_vector(struct twr_stop_sessions *m)
{
	memset(m, 0, sizeof(*m));
	m->accept = TWR_ACCEPT_OK;
	m->nb_sessions = 1;
}

/* Field-by-field comparisons: structs have padding, so no memcmp. */

static void
assert_greeting_eq(const struct twr_server_greeting *a, const struct twr_server_greeting *b)
{
	ck_assert_uint_eq(a->modes, b->modes);
	ck_assert_bytes(a->challenge, b->challenge, sizeof(a->challenge));
	ck_assert_bytes(a->salt, b->salt, sizeof(a->salt));
	ck_assert_uint_eq(a->count, b->count);
}

static void
assert_setup_eq(const struct twr_setup_response *a, const struct twr_setup_response *b)
{
	ck_assert_uint_eq(a->mode, b->mode);
	ck_assert_bytes(a->key_id, b->key_id, sizeof(a->key_id));
	ck_assert_bytes(a->token, b->token, sizeof(a->token));
	ck_assert_bytes(a->client_iv, b->client_iv, sizeof(a->client_iv));
}

static void
assert_server_start_eq(const struct twr_server_start *a, const struct twr_server_start *b)
{
	ck_assert_uint_eq(a->accept, b->accept);
	ck_assert_bytes(a->server_iv, b->server_iv, sizeof(a->server_iv));
	ck_assert_uint_eq(a->start_time, b->start_time);
}

static void
assert_request_eq(const struct twr_request_session *a, const struct twr_request_session *b)
{
	ck_assert_uint_eq(a->ipvn, b->ipvn);
	ck_assert_uint_eq(a->conf_sender, b->conf_sender);
	ck_assert_uint_eq(a->conf_receiver, b->conf_receiver);
	ck_assert_uint_eq(a->schedule_slots, b->schedule_slots);
	ck_assert_uint_eq(a->packets, b->packets);
	ck_assert_uint_eq(a->sender_port, b->sender_port);
	ck_assert_uint_eq(a->receiver_port, b->receiver_port);
	ck_assert_bytes(a->sender_addr, b->sender_addr, sizeof(a->sender_addr));
	ck_assert_bytes(a->receiver_addr, b->receiver_addr, sizeof(a->receiver_addr));
	ck_assert_bytes(a->sid, b->sid, sizeof(a->sid));
	ck_assert_uint_eq(a->padding_length, b->padding_length);
	ck_assert_uint_eq(a->start_time, b->start_time);
	ck_assert_uint_eq(a->timeout, b->timeout);
	ck_assert_uint_eq(a->type_p, b->type_p);
	ck_assert_uint_eq(a->octets_reflected, b->octets_reflected);
	ck_assert_uint_eq(a->padding_reflect_len, b->padding_reflect_len);
	ck_assert_bytes(a->hmac, b->hmac, sizeof(a->hmac));
}

static void
assert_accept_session_eq(const struct twr_accept_session *a, const struct twr_accept_session *b)
{
	ck_assert_uint_eq(a->accept, b->accept);
	ck_assert_uint_eq(a->port, b->port);
	ck_assert_bytes(a->sid, b->sid, sizeof(a->sid));
	ck_assert_uint_eq(a->reflected_octets, b->reflected_octets);
	ck_assert_uint_eq(a->server_octets, b->server_octets);
	ck_assert_bytes(a->hmac, b->hmac, sizeof(a->hmac));
}

static void
assert_stop_sessions_eq(const struct twr_stop_sessions *a, const struct twr_stop_sessions *b)
{
	ck_assert_uint_eq(a->accept, b->accept);
	ck_assert_uint_eq(a->nb_sessions, b->nb_sessions);
	ck_assert_bytes(a->hmac, b->hmac, sizeof(a->hmac));
}

static void
assert_sid_list_eq(const struct twr_sid_list_msg *a, const struct twr_sid_list_msg *b)
{
	ck_assert_uint_eq(a->command, b->command);
	ck_assert_uint_eq(a->accept, b->accept);
	ck_assert_uint_eq(a->nb_sessions, b->nb_sessions);
	ck_assert_bytes(a->sids, b->sids, (size_t)a->nb_sessions * TWR_SID_LEN);
	ck_assert_bytes(a->hmac, b->hmac, sizeof(a->hmac));
}

/*
 * The SID-list vectors, each with the struct it encodes. Loop tests index
 * this table.
 */
struct sid_list_vector {
	const char *name;
	const uint8_t *bytes;
	size_t len;
	uint8_t command;
	uint8_t accept;
	uint32_t nb_sessions;
	const uint8_t *hmac; /* NULL: zeros */
};

static const struct sid_list_vector sid_list_vectors[] = {
	{"Start-N N=1", vec_start_n1, sizeof(vec_start_n1), TWR_CMD_START_N_SESSIONS, 0, 1, NULL},
	{"Start-N N=3", vec_start_n3, sizeof(vec_start_n3), TWR_CMD_START_N_SESSIONS, 0, 3, NULL},
	{"Start-N-Ack N=1", vec_start_n_ack1, sizeof(vec_start_n_ack1), TWR_CMD_START_N_ACK, 0, 1,
	 NULL},
	{"Start-N-Ack N=3", vec_start_n_ack3, sizeof(vec_start_n_ack3), TWR_CMD_START_N_ACK,
	 TWR_ACCEPT_TEMPORARY, 3, NULL},
	{"Stop-N N=1", vec_stop_n1, sizeof(vec_stop_n1), TWR_CMD_STOP_N_SESSIONS, 0, 1, NULL},
	{"Stop-N N=3", vec_stop_n3, sizeof(vec_stop_n3), TWR_CMD_STOP_N_SESSIONS, 0, 3, hmac_f0},
	{"Stop-N-Ack N=1", vec_stop_n_ack1, sizeof(vec_stop_n_ack1), TWR_CMD_STOP_N_ACK,
	 TWR_ACCEPT_FAILURE, 1, NULL},
	{"Stop-N-Ack N=3", vec_stop_n_ack3, sizeof(vec_stop_n_ack3), TWR_CMD_STOP_N_ACK, 0, 3,
	 NULL},
};

#define NB_SID_LIST_VECTORS ((int)(sizeof(sid_list_vectors) / sizeof(sid_list_vectors[0])))

static void
sid_list_from_vector(const struct sid_list_vector *v, struct twr_sid_list_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->command = v->command;
	m->accept = v->accept;
	m->nb_sessions = v->nb_sessions;
	m->sids = sids_abc;
	if (v->hmac != NULL)
		memcpy(m->hmac, v->hmac, sizeof(m->hmac));
}

/*
 * Every decoder behind one signature, so that the length and NULL checks run
 * as loop tests over this table. null_out passes a NULL struct pointer.
 */
typedef int (*decode_fn)(const uint8_t *buf, size_t len, int null_out);

static int
dec_greeting(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_server_greeting m;

	return twr_server_greeting_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_setup(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_setup_response m;

	return twr_setup_response_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_server_start(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_server_start m;

	return twr_server_start_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_request(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_request_session m;

	return twr_request_session_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_accept_session(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_accept_session m;

	return twr_accept_session_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_start_sessions(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_start_sessions m;

	return twr_start_sessions_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_start_ack(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_start_ack m;

	return twr_start_ack_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_stop_sessions(const uint8_t *buf, size_t len, int null_out)
{
	struct twr_stop_sessions m;

	return twr_stop_sessions_decode(buf, len, null_out ? NULL : &m);
}

static int
dec_sid_list(const uint8_t *buf, size_t len, int null_out, uint8_t command)
{
	struct twr_sid_list_msg m;

	return twr_sid_list_msg_decode(buf, len, command, null_out ? NULL : &m);
}

static int
dec_start_n(const uint8_t *buf, size_t len, int null_out)
{
	return dec_sid_list(buf, len, null_out, TWR_CMD_START_N_SESSIONS);
}

static int
dec_start_n_ack(const uint8_t *buf, size_t len, int null_out)
{
	return dec_sid_list(buf, len, null_out, TWR_CMD_START_N_ACK);
}

static int
dec_stop_n(const uint8_t *buf, size_t len, int null_out)
{
	return dec_sid_list(buf, len, null_out, TWR_CMD_STOP_N_SESSIONS);
}

static int
dec_stop_n_ack(const uint8_t *buf, size_t len, int null_out)
{
	return dec_sid_list(buf, len, null_out, TWR_CMD_STOP_N_ACK);
}

struct decoder_case {
	const char *name;
	decode_fn decode;
	const uint8_t *vec; /* a valid message */
	size_t len;
	int command; /* the command octet 0 must hold; -1: the message has none */
};

static const struct decoder_case decoders[] = {
	{"Server-Greeting", dec_greeting, vec_greeting, sizeof(vec_greeting), -1},
	{"Set-Up-Response", dec_setup, vec_setup, sizeof(vec_setup), -1},
	{"Server-Start", dec_server_start, vec_server_start, sizeof(vec_server_start), -1},
	{"Request-TW-Session IPv4", dec_request, vec_request_v4, sizeof(vec_request_v4),
	 TWR_CMD_REQUEST_TW_SESSION},
	{"Request-TW-Session IPv6", dec_request, vec_request_v6, sizeof(vec_request_v6),
	 TWR_CMD_REQUEST_TW_SESSION},
	{"Accept-Session", dec_accept_session, vec_accept_session, sizeof(vec_accept_session), -1},
	{"Start-Sessions", dec_start_sessions, vec_start_sessions, sizeof(vec_start_sessions),
	 TWR_CMD_START_SESSIONS},
	{"Start-Ack", dec_start_ack, vec_start_ack, sizeof(vec_start_ack), -1},
	{"Stop-Sessions", dec_stop_sessions, vec_stop_sessions, sizeof(vec_stop_sessions),
	 TWR_CMD_STOP_SESSIONS},
	{"Start-N N=1", dec_start_n, vec_start_n1, sizeof(vec_start_n1), TWR_CMD_START_N_SESSIONS},
	{"Start-N N=3", dec_start_n, vec_start_n3, sizeof(vec_start_n3), TWR_CMD_START_N_SESSIONS},
	{"Start-N-Ack N=1", dec_start_n_ack, vec_start_n_ack1, sizeof(vec_start_n_ack1),
	 TWR_CMD_START_N_ACK},
	{"Start-N-Ack N=3", dec_start_n_ack, vec_start_n_ack3, sizeof(vec_start_n_ack3),
	 TWR_CMD_START_N_ACK},
	{"Stop-N N=1", dec_stop_n, vec_stop_n1, sizeof(vec_stop_n1), TWR_CMD_STOP_N_SESSIONS},
	{"Stop-N N=3", dec_stop_n, vec_stop_n3, sizeof(vec_stop_n3), TWR_CMD_STOP_N_SESSIONS},
	{"Stop-N-Ack N=1", dec_stop_n_ack, vec_stop_n_ack1, sizeof(vec_stop_n_ack1),
	 TWR_CMD_STOP_N_ACK},
	{"Stop-N-Ack N=3", dec_stop_n_ack, vec_stop_n_ack3, sizeof(vec_stop_n_ack3),
	 TWR_CMD_STOP_N_ACK},
};

#define NB_DECODERS ((int)(sizeof(decoders) / sizeof(decoders[0])))

/* Every encoder behind one signature, encoding the vector's struct. */
typedef ssize_t (*encode_fn)(uint8_t *buf, size_t cap);

static ssize_t
enc_greeting(uint8_t *buf, size_t cap)
{
	struct twr_server_greeting m;

	greeting_vector(&m);
	return twr_server_greeting_encode(&m, buf, cap);
}

static ssize_t
enc_setup(uint8_t *buf, size_t cap)
{
	struct twr_setup_response m;

	setup_vector(&m);
	return twr_setup_response_encode(&m, buf, cap);
}

static ssize_t
enc_server_start(uint8_t *buf, size_t cap)
{
	struct twr_server_start m;

	server_start_vector(&m);
	return twr_server_start_encode(&m, buf, cap);
}

static ssize_t
enc_request_v4(uint8_t *buf, size_t cap)
{
	struct twr_request_session m;

	request_v4_vector(&m);
	return twr_request_session_encode(&m, buf, cap);
}

static ssize_t
enc_request_v6(uint8_t *buf, size_t cap)
{
	struct twr_request_session m;

	request_v6_vector(&m);
	return twr_request_session_encode(&m, buf, cap);
}

static ssize_t
enc_accept_session(uint8_t *buf, size_t cap)
{
	struct twr_accept_session m;

	accept_session_vector(&m);
	return twr_accept_session_encode(&m, buf, cap);
}

static ssize_t
enc_start_sessions(uint8_t *buf, size_t cap)
{
	struct twr_start_sessions m;

	memset(&m, 0, sizeof(m));
	return twr_start_sessions_encode(&m, buf, cap);
}

static ssize_t
enc_start_ack(uint8_t *buf, size_t cap)
{
	struct twr_start_ack m;

	memset(&m, 0, sizeof(m));
	return twr_start_ack_encode(&m, buf, cap);
}

static ssize_t
enc_stop_sessions(uint8_t *buf, size_t cap)
{
	struct twr_stop_sessions m;

	stop_sessions_vector(&m);
	return twr_stop_sessions_encode(&m, buf, cap);
}

static ssize_t
enc_start_n3(uint8_t *buf, size_t cap)
{
	struct twr_sid_list_msg m;

	sid_list_from_vector(&sid_list_vectors[1], &m);
	return twr_sid_list_msg_encode(&m, buf, cap);
}

static ssize_t
enc_stop_n_ack1(uint8_t *buf, size_t cap)
{
	struct twr_sid_list_msg m;

	sid_list_from_vector(&sid_list_vectors[6], &m);
	return twr_sid_list_msg_encode(&m, buf, cap);
}

struct encoder_case {
	const char *name;
	encode_fn encode;
	const uint8_t *vec; /* what it must write */
	size_t len;
};

static const struct encoder_case encoders[] = {
	{"Server-Greeting", enc_greeting, vec_greeting, sizeof(vec_greeting)},
	{"Set-Up-Response", enc_setup, vec_setup, sizeof(vec_setup)},
	{"Server-Start", enc_server_start, vec_server_start, sizeof(vec_server_start)},
	{"Request-TW-Session IPv4", enc_request_v4, vec_request_v4, sizeof(vec_request_v4)},
	{"Request-TW-Session IPv6", enc_request_v6, vec_request_v6, sizeof(vec_request_v6)},
	{"Accept-Session", enc_accept_session, vec_accept_session, sizeof(vec_accept_session)},
	{"Start-Sessions", enc_start_sessions, vec_start_sessions, sizeof(vec_start_sessions)},
	{"Start-Ack", enc_start_ack, vec_start_ack, sizeof(vec_start_ack)},
	{"Stop-Sessions", enc_stop_sessions, vec_stop_sessions, sizeof(vec_stop_sessions)},
	{"Start-N N=3", enc_start_n3, vec_start_n3, sizeof(vec_start_n3)},
	{"Stop-N-Ack N=1", enc_stop_n_ack1, vec_stop_n_ack1, sizeof(vec_stop_n_ack1)},
};

#define NB_ENCODERS ((int)(sizeof(encoders) / sizeof(encoders[0])))

/*
 * Digest §7 vectors, encode side: the buffer starts full of SENTINEL so
 * that MBZ octets left unwritten would show, and nothing past the message
 * may change.
 */

START_TEST(test_vectors_encode_byte_exact)
{
	const struct encoder_case *c = &encoders[_i];
	uint8_t buf[BUF_LEN];
	ssize_t ret;

	memset(buf, SENTINEL, sizeof(buf));
	ret = c->encode(buf, sizeof(buf));
	ck_assert_msg(ret == (ssize_t)c->len, "%s: returned %zd", c->name, ret);
	ck_assert_bytes(buf, c->vec, c->len);
	assert_untouched(buf, c->len, sizeof(buf));
}
END_TEST

START_TEST(test_vectors_encode_into_exact_capacity)
{
	const struct encoder_case *c = &encoders[_i];
	uint8_t buf[BUF_LEN];

	ck_assert_int_eq(c->encode(buf, c->len), (ssize_t)c->len);
	ck_assert_bytes(buf, c->vec, c->len);
}
END_TEST

START_TEST(test_server_greeting_decode_vector_7_3)
{
	struct twr_server_greeting m, want;

	greeting_vector(&want);
	ck_assert_int_eq(twr_server_greeting_decode(vec_greeting, sizeof(vec_greeting), &m), 0);
	assert_greeting_eq(&m, &want);
}
END_TEST

START_TEST(test_server_greeting_modes_0x17f_vector_7_3)
{
	struct twr_server_greeting m;
	uint8_t buf[TWR_SERVER_GREETING_LEN];

	greeting_vector(&m);
	m.modes = TWR_MODE_UNAUTHENTICATED | TWR_MODE_AUTHENTICATED | TWR_MODE_ENCRYPTED |
		  TWR_MODE_MIXED | TWR_MODE_INDIVIDUAL | TWR_MODE_REFLECT_OCTETS |
		  TWR_MODE_SYMMETRICAL | TWR_MODE_DSCP_ECN;
	ck_assert_uint_eq(m.modes, 0x17f);
	ck_assert_int_eq(twr_server_greeting_encode(&m, buf, sizeof(buf)), TWR_SERVER_GREETING_LEN);
	ck_assert_bytes(buf, vec_greeting_17f, sizeof(buf));

	memset(&m, 0, sizeof(m));
	ck_assert_int_eq(twr_server_greeting_decode(vec_greeting_17f, sizeof(vec_greeting_17f), &m),
			 0);
	ck_assert_uint_eq(m.modes, 0x17f);
	ck_assert_uint_eq(m.count, 1024);
}
END_TEST

START_TEST(test_setup_response_decode_vector_7_4)
{
	struct twr_setup_response m, want;

	setup_vector(&want);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(twr_setup_response_decode(vec_setup, sizeof(vec_setup), &m), 0);
	assert_setup_eq(&m, &want);
}
END_TEST

START_TEST(test_setup_response_fields_at_their_offsets)
{
	struct twr_setup_response m, back;
	uint8_t buf[TWR_SETUP_RESPONSE_LEN];

	/* KeyID at 4, Token at 84, Client-IV at 148 (digest §2.3) */
	m.mode = TWR_MODE_AUTHENTICATED | TWR_MODE_REFLECT_OCTETS;
	fill_range(m.key_id, sizeof(m.key_id), 0x01);
	fill_range(m.token, sizeof(m.token), 0x80);
	fill_range(m.client_iv, sizeof(m.client_iv), 0xe0);
	ck_assert_int_eq(twr_setup_response_encode(&m, buf, sizeof(buf)), TWR_SETUP_RESPONSE_LEN);
	ck_assert_uint_eq(buf[3], 0x22);
	ck_assert_uint_eq(buf[4], 0x01);
	ck_assert_uint_eq(buf[83], 0x50);
	ck_assert_uint_eq(buf[84], 0x80);
	ck_assert_uint_eq(buf[147], 0xbf);
	ck_assert_uint_eq(buf[148], 0xe0);
	ck_assert_uint_eq(buf[163], 0xef);
	ck_assert_int_eq(twr_setup_response_decode(buf, sizeof(buf), &back), 0);
	assert_setup_eq(&back, &m);
}
END_TEST

START_TEST(test_server_start_decode_vector_7_5)
{
	struct twr_server_start m, want;

	server_start_vector(&want);
	ck_assert_int_eq(twr_server_start_decode(vec_server_start, sizeof(vec_server_start), &m),
			 0);
	assert_server_start_eq(&m, &want);
}
END_TEST

START_TEST(test_request_session_ipv4_decode_vector_7_6)
{
	struct twr_request_session m, want;

	request_v4_vector(&want);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(twr_request_session_decode(vec_request_v4, sizeof(vec_request_v4), &m), 0);
	assert_request_eq(&m, &want);
	ck_assert_uint_eq(m.type_p >> 24 & 0x3f, 46);
}
END_TEST

START_TEST(test_request_session_ipv6_decode_handmade_vector)
{
	struct twr_request_session m, want;

	request_v6_vector(&want);
	ck_assert_int_eq(twr_request_session_decode(vec_request_v6, sizeof(vec_request_v6), &m), 0);
	assert_request_eq(&m, &want);
}
END_TEST

START_TEST(test_request_session_ipv4_decode_leaves_address_tail_zero)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];
	static const uint8_t zero[12];

	/* octets 20-31 and 36-47 are MBZ for IPv4: not refused, not copied */
	memcpy(buf, vec_request_v4, sizeof(buf));
	memset(buf + 20, 0xee, 12);
	memset(buf + 36, 0xdd, 12);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.sender_addr[0], 192);
	ck_assert_uint_eq(m.receiver_addr[3], 2);
	ck_assert_bytes(m.sender_addr + 4, zero, sizeof(zero));
	ck_assert_bytes(m.receiver_addr + 4, zero, sizeof(zero));
}
END_TEST

START_TEST(test_request_session_ipv4_encode_writes_four_address_octets)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];

	request_v4_vector(&m);
	memset(m.sender_addr + 4, 0x77, 12);
	memset(m.receiver_addr + 4, 0x66, 12);
	memset(buf, SENTINEL, sizeof(buf));
	ck_assert_int_eq(twr_request_session_encode(&m, buf, sizeof(buf)),
			 TWR_REQUEST_TW_SESSION_LEN);
	ck_assert_bytes(buf, vec_request_v4, sizeof(buf));
}
END_TEST

START_TEST(test_accept_session_decode_vector_7_7_with_sid)
{
	struct twr_accept_session m, want;

	accept_session_vector(&want);
	ck_assert_int_eq(
		twr_accept_session_decode(vec_accept_session, sizeof(vec_accept_session), &m), 0);
	assert_accept_session_eq(&m, &want);
	ck_assert_bytes(m.sid, sid_a, TWR_SID_LEN);
}
END_TEST

START_TEST(test_accept_session_rfc6038_fields_at_20_and_22)
{
	struct twr_accept_session m, back;
	uint8_t buf[TWR_ACCEPT_SESSION_LEN];

	accept_session_vector(&m);
	m.accept = TWR_ACCEPT_NOT_SUPPORTED;
	m.reflected_octets = 0x0102;
	m.server_octets = 0xa1b2;
	fill_range(m.hmac, sizeof(m.hmac), 0x30);
	ck_assert_int_eq(twr_accept_session_encode(&m, buf, sizeof(buf)), TWR_ACCEPT_SESSION_LEN);
	ck_assert_uint_eq(buf[0], 3);
	ck_assert_uint_eq(buf[20], 0x01);
	ck_assert_uint_eq(buf[21], 0x02);
	ck_assert_uint_eq(buf[22], 0xa1);
	ck_assert_uint_eq(buf[23], 0xb2);
	ck_assert_uint_eq(buf[32], 0x30);
	ck_assert_uint_eq(buf[47], 0x3f);
	ck_assert_int_eq(twr_accept_session_decode(buf, sizeof(buf), &back), 0);
	assert_accept_session_eq(&back, &m);
}
END_TEST

START_TEST(test_start_sessions_decode_vector_7_8)
{
	struct twr_start_sessions m;
	static const uint8_t zero[TWR_HMAC_LEN];

	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(
		twr_start_sessions_decode(vec_start_sessions, sizeof(vec_start_sessions), &m), 0);
	ck_assert_bytes(m.hmac, zero, sizeof(zero));
}
END_TEST

START_TEST(test_start_ack_decode_vector_7_8)
{
	struct twr_start_ack m;
	static const uint8_t zero[TWR_HMAC_LEN];

	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(twr_start_ack_decode(vec_start_ack, sizeof(vec_start_ack), &m), 0);
	ck_assert_uint_eq(m.accept, TWR_ACCEPT_OK);
	ck_assert_bytes(m.hmac, zero, sizeof(zero));
}
END_TEST

START_TEST(test_stop_sessions_decode_vector_7_8)
{
	struct twr_stop_sessions m, want;

	stop_sessions_vector(&want);
	ck_assert_int_eq(twr_stop_sessions_decode(vec_stop_sessions, sizeof(vec_stop_sessions), &m),
			 0);
	assert_stop_sessions_eq(&m, &want);
}
END_TEST

START_TEST(test_short_messages_hmac_in_second_block)
{
	uint8_t buf[32];
	struct twr_start_sessions ss, ss_back;
	struct twr_start_ack sa, sa_back;
	struct twr_stop_sessions st, st_back;

	fill_range(ss.hmac, sizeof(ss.hmac), 0x40);
	ck_assert_int_eq(twr_start_sessions_encode(&ss, buf, sizeof(buf)), 32);
	ck_assert_uint_eq(buf[0], 2);
	ck_assert_uint_eq(buf[16], 0x40);
	ck_assert_int_eq(twr_start_sessions_decode(buf, sizeof(buf), &ss_back), 0);
	ck_assert_bytes(ss_back.hmac, ss.hmac, TWR_HMAC_LEN);

	sa.accept = TWR_ACCEPT_PERMANENT;
	fill_range(sa.hmac, sizeof(sa.hmac), 0x50);
	ck_assert_int_eq(twr_start_ack_encode(&sa, buf, sizeof(buf)), 32);
	ck_assert_uint_eq(buf[0], 4);
	ck_assert_uint_eq(buf[31], 0x5f);
	ck_assert_int_eq(twr_start_ack_decode(buf, sizeof(buf), &sa_back), 0);
	ck_assert_uint_eq(sa_back.accept, 4);
	ck_assert_bytes(sa_back.hmac, sa.hmac, TWR_HMAC_LEN);

	st.accept = TWR_ACCEPT_FAILURE;
	st.nb_sessions = 0x01020304;
	fill_range(st.hmac, sizeof(st.hmac), 0x60);
	ck_assert_int_eq(twr_stop_sessions_encode(&st, buf, sizeof(buf)), 32);
	ck_assert_uint_eq(buf[1], 1);
	ck_assert_uint_eq(buf[4], 0x01);
	ck_assert_uint_eq(buf[7], 0x04);
	ck_assert_uint_eq(buf[16], 0x60);
	ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(buf), &st_back), 0);
	assert_stop_sessions_eq(&st_back, &st);
}
END_TEST

/* SID-list messages, N = 1 and N = 3, both directions. */

START_TEST(test_sid_list_encode_byte_exact)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];

	sid_list_from_vector(v, &m);
	memset(buf, SENTINEL, sizeof(buf));
	ck_assert_msg(twr_sid_list_msg_encode(&m, buf, sizeof(buf)) == (ssize_t)v->len, "%s",
		      v->name);
	ck_assert_bytes(buf, v->bytes, v->len);
	assert_untouched(buf, v->len, sizeof(buf));
}
END_TEST

START_TEST(test_sid_list_decode_vector)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m, want;

	sid_list_from_vector(v, &want);
	memset(&m, 0xff, sizeof(m));
	ck_assert_int_eq(twr_sid_list_msg_decode(v->bytes, v->len, v->command, &m), 0);
	assert_sid_list_eq(&m, &want);
	/* the SIDs are not copied: they point into the decoded buffer */
	ck_assert_ptr_eq(m.sids, v->bytes + 16);
}
END_TEST

START_TEST(test_sid_list_encode_in_place_over_decoded_buffer)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];

	memcpy(buf, v->bytes, v->len);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), 0);
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), (ssize_t)v->len);
	ck_assert_bytes(buf, v->bytes, v->len);
}
END_TEST

START_TEST(test_sid_list_msg_len_macro)
{
	ck_assert_uint_eq(TWR_SID_LIST_MSG_LEN(1), 48);
	ck_assert_uint_eq(TWR_SID_LIST_MSG_LEN(3), 80);
	/* the largest N still has a 32-bit length that does not wrap */
	ck_assert_uint_eq(TWR_SID_LIST_MSG_LEN(TWR_SID_LIST_MAX), 0xfffffff0u);
	ck_assert_uint_eq((uint64_t)32 + 16 * (uint64_t)(TWR_SID_LIST_MAX + 1), 0x100000000ull);
}
END_TEST

/* Round trips: encode, decode, encode again; structs and bytes must match. */

START_TEST(test_round_trip_server_greeting)
{
	struct twr_server_greeting m, back;
	uint8_t a[TWR_SERVER_GREETING_LEN], b[TWR_SERVER_GREETING_LEN];

	m.modes = 0xfffffc00u | TWR_MODE_SECURITY_MASK | TWR_MODE_PTP;
	fill_range(m.challenge, sizeof(m.challenge), 0x91);
	fill_range(m.salt, sizeof(m.salt), 0x3c);
	m.count = 0x80000000u;
	ck_assert_int_eq(twr_server_greeting_encode(&m, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_server_greeting_decode(a, sizeof(a), &back), 0);
	assert_greeting_eq(&back, &m);
	ck_assert_int_eq(twr_server_greeting_encode(&back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_setup_response)
{
	struct twr_setup_response m, back;
	uint8_t a[TWR_SETUP_RESPONSE_LEN], b[TWR_SETUP_RESPONSE_LEN];

	m.mode = TWR_MODE_ENCRYPTED | TWR_MODE_INDIVIDUAL;
	fill_range(m.key_id, sizeof(m.key_id), 0x61);
	fill_range(m.token, sizeof(m.token), 0xb0);
	fill_range(m.client_iv, sizeof(m.client_iv), 0x0f);
	ck_assert_int_eq(twr_setup_response_encode(&m, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_setup_response_decode(a, sizeof(a), &back), 0);
	assert_setup_eq(&back, &m);
	ck_assert_int_eq(twr_setup_response_encode(&back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_server_start)
{
	struct twr_server_start m, back;
	uint8_t a[TWR_SERVER_START_LEN], b[TWR_SERVER_START_LEN];

	m.accept = TWR_ACCEPT_NO_SA;
	fill_range(m.server_iv, sizeof(m.server_iv), 0xc8);
	m.start_time = 0x0123456789abcdefull;
	ck_assert_int_eq(twr_server_start_encode(&m, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_server_start_decode(a, sizeof(a), &back), 0);
	assert_server_start_eq(&back, &m);
	ck_assert_int_eq(twr_server_start_encode(&back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_request_session_ipv4_and_ipv6)
{
	struct twr_request_session m, back;
	uint8_t a[TWR_REQUEST_TW_SESSION_LEN], b[TWR_REQUEST_TW_SESSION_LEN];
	int ipvn;

	for (ipvn = 4; ipvn <= 6; ipvn += 2) {
		memset(&m, 0, sizeof(m));
		m.ipvn = (uint8_t)ipvn;
		m.conf_sender = 1;
		m.conf_receiver = 2;
		m.schedule_slots = 0x11223344;
		m.packets = 0x55667788;
		m.sender_port = 0xfedc;
		m.receiver_port = 862;
		fill_range(m.sender_addr, ipvn == 4 ? 4 : 16, 0x10);
		fill_range(m.receiver_addr, ipvn == 4 ? 4 : 16, 0x20);
		fill_range(m.sid, sizeof(m.sid), 0x30);
		m.padding_length = 0xdeadbeef;
		m.start_time = 0x8877665544332211ull;
		m.timeout = 0x0000000a40000000ull;
		m.type_p = 0x3f000000;
		m.octets_reflected = 0xabcd;
		m.padding_reflect_len = 0x1234;
		fill_range(m.hmac, sizeof(m.hmac), 0x40);
		ck_assert_int_eq(twr_request_session_encode(&m, a, sizeof(a)), sizeof(a));
		ck_assert_int_eq(twr_request_session_decode(a, sizeof(a), &back), 0);
		assert_request_eq(&back, &m);
		ck_assert_int_eq(twr_request_session_encode(&back, b, sizeof(b)), sizeof(b));
		ck_assert_bytes(b, a, sizeof(a));
	}
}
END_TEST

START_TEST(test_round_trip_accept_session)
{
	struct twr_accept_session m, back;
	uint8_t a[TWR_ACCEPT_SESSION_LEN], b[TWR_ACCEPT_SESSION_LEN];

	m.accept = TWR_ACCEPT_TEMPORARY;
	m.port = 0xc350;
	fill_range(m.sid, sizeof(m.sid), 0x71);
	m.reflected_octets = 0x0bad;
	m.server_octets = 0xf00d;
	fill_range(m.hmac, sizeof(m.hmac), 0xe1);
	ck_assert_int_eq(twr_accept_session_encode(&m, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_accept_session_decode(a, sizeof(a), &back), 0);
	assert_accept_session_eq(&back, &m);
	ck_assert_int_eq(twr_accept_session_encode(&back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_start_sessions_and_start_ack)
{
	struct twr_start_sessions ss, ss_back;
	struct twr_start_ack sa, sa_back;
	uint8_t a[32], b[32];

	fill_range(ss.hmac, sizeof(ss.hmac), 0x99);
	ck_assert_int_eq(twr_start_sessions_encode(&ss, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_start_sessions_decode(a, sizeof(a), &ss_back), 0);
	ck_assert_bytes(ss_back.hmac, ss.hmac, TWR_HMAC_LEN);
	ck_assert_int_eq(twr_start_sessions_encode(&ss_back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));

	sa.accept = TWR_ACCEPT_INTERNAL;
	fill_range(sa.hmac, sizeof(sa.hmac), 0x88);
	ck_assert_int_eq(twr_start_ack_encode(&sa, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_start_ack_decode(a, sizeof(a), &sa_back), 0);
	ck_assert_uint_eq(sa_back.accept, sa.accept);
	ck_assert_bytes(sa_back.hmac, sa.hmac, TWR_HMAC_LEN);
	ck_assert_int_eq(twr_start_ack_encode(&sa_back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_stop_sessions)
{
	struct twr_stop_sessions m, back;
	uint8_t a[TWR_STOP_SESSIONS_LEN], b[TWR_STOP_SESSIONS_LEN];

	m.accept = TWR_ACCEPT_INTERNAL;
	m.nb_sessions = 0xffffffffu;
	fill_range(m.hmac, sizeof(m.hmac), 0x77);
	ck_assert_int_eq(twr_stop_sessions_encode(&m, a, sizeof(a)), sizeof(a));
	ck_assert_int_eq(twr_stop_sessions_decode(a, sizeof(a), &back), 0);
	assert_stop_sessions_eq(&back, &m);
	ck_assert_int_eq(twr_stop_sessions_encode(&back, b, sizeof(b)), sizeof(b));
	ck_assert_bytes(b, a, sizeof(a));
}
END_TEST

START_TEST(test_round_trip_sid_list_all_four_commands)
{
	struct twr_sid_list_msg m, back;
	uint8_t sids[5 * TWR_SID_LEN];
	uint8_t a[TWR_SID_LIST_MSG_LEN(5)], b[TWR_SID_LIST_MSG_LEN(5)];
	uint8_t cmd;

	fill_range(sids, sizeof(sids), 0x01);
	for (cmd = TWR_CMD_START_N_SESSIONS; cmd <= TWR_CMD_STOP_N_ACK; cmd++) {
		memset(&m, 0, sizeof(m));
		m.command = cmd;
		/* Accept is MBZ in the requests: only the acks carry it */
		m.accept = (cmd == TWR_CMD_START_N_ACK || cmd == TWR_CMD_STOP_N_ACK) ? 3 : 0;
		m.nb_sessions = 5;
		m.sids = sids;
		fill_range(m.hmac, sizeof(m.hmac), (uint8_t)(0x10 * cmd));
		ck_assert_int_eq(twr_sid_list_msg_encode(&m, a, sizeof(a)), sizeof(a));
		ck_assert_int_eq(twr_sid_list_msg_decode(a, sizeof(a), cmd, &back), 0);
		assert_sid_list_eq(&back, &m);
		ck_assert_int_eq(twr_sid_list_msg_encode(&back, b, sizeof(b)), sizeof(b));
		ck_assert_bytes(b, a, sizeof(a));
	}
}
END_TEST

/* Decoders: length and NULL, over the whole table. */

START_TEST(test_decode_accepts_vector)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(c->vec, c->len, 0) == 0, "%s", c->name);
}
END_TEST

START_TEST(test_decode_truncated_by_one_is_emsgsize)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(c->vec, c->len - 1, 0) == -EMSGSIZE, "%s", c->name);
}
END_TEST

START_TEST(test_decode_truncated_by_one_block_is_emsgsize)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(c->vec, c->len - 16, 0) == -EMSGSIZE, "%s", c->name);
}
END_TEST

START_TEST(test_decode_empty_is_emsgsize)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(c->vec, 0, 0) == -EMSGSIZE, "%s", c->name);
}
END_TEST

START_TEST(test_decode_oversized_by_one_is_e2big)
{
	const struct decoder_case *c = &decoders[_i];
	uint8_t buf[BUF_LEN] = {0};

	memcpy(buf, c->vec, c->len);
	ck_assert_msg(c->decode(buf, c->len + 1, 0) == -E2BIG, "%s", c->name);
}
END_TEST

START_TEST(test_decode_oversized_by_one_block_is_e2big)
{
	const struct decoder_case *c = &decoders[_i];
	uint8_t buf[BUF_LEN] = {0};

	memcpy(buf, c->vec, c->len);
	ck_assert_msg(c->decode(buf, c->len + 16, 0) == -E2BIG, "%s", c->name);
}
END_TEST

START_TEST(test_decode_null_buffer_is_einval)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(NULL, c->len, 0) == -EINVAL, "%s", c->name);
	/* NULL comes before the length check */
	ck_assert_msg(c->decode(NULL, 0, 0) == -EINVAL, "%s", c->name);
}
END_TEST

START_TEST(test_decode_null_struct_is_einval)
{
	const struct decoder_case *c = &decoders[_i];

	ck_assert_msg(c->decode(c->vec, c->len, 1) == -EINVAL, "%s", c->name);
	ck_assert_msg(c->decode(c->vec, 1, 1) == -EINVAL, "%s", c->name);
}
END_TEST

START_TEST(test_decode_every_wrong_command_is_ebadmsg)
{
	const struct decoder_case *c = &decoders[_i];
	uint8_t buf[BUF_LEN];
	int cmd;

	if (c->command < 0)
		return; /* this message has no command number */
	memcpy(buf, c->vec, c->len);
	for (cmd = 0; cmd <= 255; cmd++) {
		if (cmd == c->command)
			continue;
		buf[0] = (uint8_t)cmd;
		ck_assert_msg(c->decode(buf, c->len, 0) == -EBADMSG, "%s, command %d", c->name,
			      cmd);
	}
}
END_TEST

START_TEST(test_decode_length_checked_before_command)
{
	const struct decoder_case *c = &decoders[_i];
	uint8_t buf[BUF_LEN] = {0};

	if (c->command < 0)
		return;
	memcpy(buf, c->vec, c->len);
	buf[0] = (uint8_t)(c->command + 1);
	ck_assert_msg(c->decode(buf, 15, 0) == -EMSGSIZE, "%s", c->name);
	if (c->command >= TWR_CMD_START_N_SESSIONS) {
		/*
		 * SID-list messages: the length is only known from the header
		 * block, so past 16 octets the command is checked first.
		 */
		ck_assert_msg(c->decode(buf, c->len - 16, 0) == -EBADMSG, "%s", c->name);
		ck_assert_msg(c->decode(buf, c->len + 1, 0) == -EBADMSG, "%s", c->name);
		return;
	}
	ck_assert_msg(c->decode(buf, c->len - 1, 0) == -EMSGSIZE, "%s", c->name);
	ck_assert_msg(c->decode(buf, c->len + 1, 0) == -E2BIG, "%s", c->name);
}
END_TEST

/* Decoders: out-of-range fields and the order of checks. */

START_TEST(test_server_greeting_count_out_of_range_is_erange)
{
	static const uint32_t bad[] = {0, 1, 512, 1023, 1025, 1536, 3072, 0x80000001u, 0xffffffffu};
	static const uint32_t good[] = {1024, 2048, 32768, 0x80000000u};
	struct twr_server_greeting m;
	uint8_t buf[TWR_SERVER_GREETING_LEN];
	size_t i;

	memcpy(buf, vec_greeting, sizeof(buf));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf[48] = (uint8_t)(bad[i] >> 24);
		buf[49] = (uint8_t)(bad[i] >> 16);
		buf[50] = (uint8_t)(bad[i] >> 8);
		buf[51] = (uint8_t)bad[i];
		ck_assert_msg(twr_server_greeting_decode(buf, sizeof(buf), &m) == -ERANGE,
			      "Count %u", bad[i]);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		buf[48] = (uint8_t)(good[i] >> 24);
		buf[49] = (uint8_t)(good[i] >> 16);
		buf[50] = (uint8_t)(good[i] >> 8);
		buf[51] = (uint8_t)good[i];
		ck_assert_int_eq(twr_server_greeting_decode(buf, sizeof(buf), &m), 0);
		ck_assert_uint_eq(m.count, good[i]);
	}
}
END_TEST

START_TEST(test_server_greeting_length_checked_before_count)
{
	struct twr_server_greeting m;
	uint8_t buf[TWR_SERVER_GREETING_LEN + 1] = {0}; /* Count 0 */

	ck_assert_int_eq(twr_server_greeting_decode(buf, TWR_SERVER_GREETING_LEN - 1, &m),
			 -EMSGSIZE);
	ck_assert_int_eq(twr_server_greeting_decode(buf, TWR_SERVER_GREETING_LEN + 1, &m), -E2BIG);
	ck_assert_int_eq(twr_server_greeting_decode(buf, TWR_SERVER_GREETING_LEN, &m), -ERANGE);
}
END_TEST

START_TEST(test_server_start_accept_above_6_is_erange)
{
	struct twr_server_start m;
	uint8_t buf[TWR_SERVER_START_LEN];
	int a;

	memcpy(buf, vec_server_start, sizeof(buf));
	for (a = 0; a <= 255; a++) {
		buf[15] = (uint8_t)a;
		ck_assert_int_eq(twr_server_start_decode(buf, sizeof(buf), &m),
				 a <= 6 ? 0 : -ERANGE);
	}
	ck_assert_int_eq(twr_server_start_decode(buf, sizeof(buf) - 1, &m), -EMSGSIZE);
}
END_TEST

START_TEST(test_request_session_ipvn_not_4_or_6_is_eafnosupport)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];
	int v;

	memcpy(buf, vec_request_v4, sizeof(buf));
	for (v = 0; v <= 15; v++) {
		buf[1] = (uint8_t)v;
		ck_assert_msg(twr_request_session_decode(buf, sizeof(buf), &m) ==
				      (v == 4 || v == 6 ? 0 : -EAFNOSUPPORT),
			      "IPVN %d", v);
	}
}
END_TEST

START_TEST(test_request_session_ipvn_high_nibble_is_mbz)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];

	memcpy(buf, vec_request_v4, sizeof(buf));
	buf[1] = 0xf4;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.ipvn, 4);
	memcpy(buf, vec_request_v6, sizeof(buf));
	buf[1] = 0x56;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.ipvn, 6);
	/* a high nibble does not turn a bad IPVN into a good one */
	buf[1] = 0x40;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), -EAFNOSUPPORT);
}
END_TEST

START_TEST(test_request_session_command_checked_before_ipvn)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];

	memcpy(buf, vec_request_v4, sizeof(buf));
	buf[0] = TWR_CMD_FORBIDDEN;
	buf[1] = 5;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), -EBADMSG);
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf) - 1, &m), -EMSGSIZE);
}
END_TEST

START_TEST(test_request_session_conf_and_sid_decoded_as_is)
{
	struct twr_request_session m;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];

	/* the server refuses these with Accept 3; the decoder only reports them */
	memcpy(buf, vec_request_v4, sizeof(buf));
	buf[2] = 1;
	buf[3] = 1;
	buf[7] = 9;
	buf[11] = 7;
	buf[48] = 0x5a;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.conf_sender, 1);
	ck_assert_uint_eq(m.conf_receiver, 1);
	ck_assert_uint_eq(m.schedule_slots, 9);
	ck_assert_uint_eq(m.packets, 7);
	ck_assert_uint_eq(m.sid[0], 0x5a);
}
END_TEST

START_TEST(test_accept_session_accept_above_6_is_erange)
{
	struct twr_accept_session m;
	uint8_t buf[TWR_ACCEPT_SESSION_LEN];
	int a;

	memcpy(buf, vec_accept_session, sizeof(buf));
	for (a = 0; a <= 255; a++) {
		buf[0] = (uint8_t)a;
		ck_assert_int_eq(twr_accept_session_decode(buf, sizeof(buf), &m),
				 a <= 6 ? 0 : -ERANGE);
	}
	ck_assert_int_eq(twr_accept_session_decode(buf, sizeof(buf) - 1, &m), -EMSGSIZE);
}
END_TEST

START_TEST(test_start_ack_accept_above_6_is_erange)
{
	struct twr_start_ack m;
	uint8_t buf[TWR_START_ACK_LEN];
	int a;

	memcpy(buf, vec_start_ack, sizeof(buf));
	for (a = 0; a <= 255; a++) {
		buf[0] = (uint8_t)a;
		ck_assert_int_eq(twr_start_ack_decode(buf, sizeof(buf), &m), a <= 6 ? 0 : -ERANGE);
	}
}
END_TEST

START_TEST(test_stop_sessions_accept_above_6_is_erange)
{
	struct twr_stop_sessions m;
	uint8_t buf[TWR_STOP_SESSIONS_LEN];
	int a;

	memcpy(buf, vec_stop_sessions, sizeof(buf));
	for (a = 0; a <= 255; a++) {
		buf[1] = (uint8_t)a;
		ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(buf), &m),
				 a <= 6 ? 0 : -ERANGE);
	}
	/* the command is checked first */
	buf[0] = TWR_CMD_START_SESSIONS;
	ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(buf), &m), -EBADMSG);
}
END_TEST

START_TEST(test_stop_sessions_any_count_decodes)
{
	struct twr_stop_sessions m;
	uint8_t buf[TWR_STOP_SESSIONS_LEN];

	/* matching the count to the running sessions is the server's job */
	memcpy(buf, vec_stop_sessions, sizeof(buf));
	buf[7] = 0;
	ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.nb_sessions, 0);
	memset(buf + 4, 0xff, 4);
	ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(buf), &m), 0);
	ck_assert_uint_eq(m.nb_sessions, 0xffffffffu);
}
END_TEST

static void
put_n(uint8_t *buf, uint32_t n)
{
	buf[12] = (uint8_t)(n >> 24);
	buf[13] = (uint8_t)(n >> 16);
	buf[14] = (uint8_t)(n >> 8);
	buf[15] = (uint8_t)n;
}

START_TEST(test_sid_list_n_zero_is_erange)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN] = {0};

	/* N = 0 would make a 32-octet message: header and HMAC */
	memcpy(buf, v->bytes, 16);
	put_n(buf, 0);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, 32, v->command, &m), -ERANGE);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, 16, v->command, &m), -ERANGE);
}
END_TEST

START_TEST(test_sid_list_n_above_limit_is_erange)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];

	memcpy(buf, v->bytes, v->len);
	put_n(buf, TWR_SID_LIST_MAX + 1);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), -ERANGE);
	put_n(buf, 0xffffffffu);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), -ERANGE);
	/* N at the limit is in range; the length then decides */
	put_n(buf, TWR_SID_LIST_MAX);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), -EMSGSIZE);
}
END_TEST

START_TEST(test_sid_list_n_disagreeing_with_length)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN] = {0};

	memcpy(buf, v->bytes, v->len);
	put_n(buf, v->nb_sessions + 1);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), -EMSGSIZE);
	if (v->nb_sessions > 1) {
		put_n(buf, v->nb_sessions - 1);
		ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), -E2BIG);
	}
}
END_TEST

START_TEST(test_sid_list_ack_accept_above_6_is_erange)
{
	struct twr_sid_list_msg m;
	uint8_t buf[TWR_SID_LIST_MSG_LEN(3)];
	int a;

	memcpy(buf, vec_start_n_ack3, sizeof(buf));
	for (a = 0; a <= 255; a++) {
		buf[1] = (uint8_t)a;
		ck_assert_int_eq(twr_sid_list_msg_decode(buf, sizeof(buf), TWR_CMD_START_N_ACK, &m),
				 a <= 6 ? 0 : -ERANGE);
	}
	memcpy(buf, vec_stop_n_ack3, sizeof(buf));
	buf[1] = 7;
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, sizeof(buf), TWR_CMD_STOP_N_ACK, &m),
			 -ERANGE);
	/* the length is checked before Accept */
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, sizeof(buf) - 1, TWR_CMD_STOP_N_ACK, &m),
			 -EMSGSIZE);
}
END_TEST

START_TEST(test_sid_list_request_accept_octet_is_mbz)
{
	struct twr_sid_list_msg m;
	uint8_t buf[TWR_SID_LIST_MSG_LEN(3)];

	memcpy(buf, vec_start_n3, sizeof(buf));
	buf[1] = 0xff;
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, sizeof(buf), TWR_CMD_START_N_SESSIONS, &m),
			 0);
	ck_assert_uint_eq(m.accept, 0);
	memcpy(buf, vec_stop_n3, sizeof(buf));
	buf[1] = 0x07;
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, sizeof(buf), TWR_CMD_STOP_N_SESSIONS, &m), 0);
	ck_assert_uint_eq(m.accept, 0);
}
END_TEST

START_TEST(test_sid_list_order_of_checks)
{
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN] = {0};

	memcpy(buf, vec_start_n3, sizeof(vec_start_n3));
	/* header shorter than a block, wrong command: the length wins */
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, 15, TWR_CMD_STOP_N_SESSIONS, &m), -EMSGSIZE);
	/* wrong command and N = 0: the command wins */
	put_n(buf, 0);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, 32, TWR_CMD_STOP_N_SESSIONS, &m), -EBADMSG);
	/* N = 0 and a length that fits no N: the range wins */
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, 33, TWR_CMD_START_N_SESSIONS, &m), -ERANGE);
	/* a decoder asked for a command that is not a SID-list one: caller error */
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n3, sizeof(vec_start_n3),
						 TWR_CMD_START_SESSIONS, &m),
			 -EINVAL);
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n3, sizeof(vec_start_n3), 11, &m),
			 -EINVAL);
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n3, sizeof(vec_start_n3), 6, &m),
			 -EINVAL);
}
END_TEST

START_TEST(test_sid_list_sibling_command_is_ebadmsg)
{
	struct twr_sid_list_msg m;

	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n1, sizeof(vec_start_n1),
						 TWR_CMD_STOP_N_SESSIONS, &m),
			 -EBADMSG);
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n_ack1, sizeof(vec_start_n_ack1),
						 TWR_CMD_START_N_SESSIONS, &m),
			 -EBADMSG);
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_stop_n_ack1, sizeof(vec_stop_n_ack1),
						 TWR_CMD_START_N_ACK, &m),
			 -EBADMSG);
}
END_TEST

START_TEST(test_decode_refusal_leaves_struct_untouched)
{
	struct twr_request_session m, before;
	struct twr_sid_list_msg sl, sl_before;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];

	memset(&m, 0x5a, sizeof(m));
	before = m;
	memcpy(buf, vec_request_v4, sizeof(buf));
	buf[1] = 5;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(buf), &m), -EAFNOSUPPORT);
	ck_assert_int_eq(memcmp(&m, &before, sizeof(m)), 0);

	memset(&sl, 0x5a, sizeof(sl));
	sl_before = sl;
	ck_assert_int_eq(twr_sid_list_msg_decode(vec_start_n3, sizeof(vec_start_n3) - 1,
						 TWR_CMD_START_N_SESSIONS, &sl),
			 -EMSGSIZE);
	ck_assert_int_eq(memcmp(&sl, &sl_before, sizeof(sl)), 0);
}
END_TEST

/*
 * MBZ octets set to 0xff: every decoder accepts them, and re-encoding gives
 * the clean vector back.
 */

struct mbz_range {
	size_t off, len;
};

static void
set_mbz(uint8_t *buf, const struct mbz_range *r, size_t nb)
{
	size_t i;

	for (i = 0; i < nb; i++)
		memset(buf + r[i].off, 0xff, r[i].len);
}

START_TEST(test_mbz_ignored_fixed_messages)
{
	static const struct mbz_range greeting_mbz[] = {{0, 12}, {52, 12}};
	static const struct mbz_range start_mbz[] = {{0, 15}, {40, 8}};
	static const struct mbz_range req4_mbz[] = {{20, 12}, {36, 12}, {92, 4}};
	static const struct mbz_range req6_mbz[] = {{92, 4}};
	static const struct mbz_range accept_mbz[] = {{1, 1}, {24, 8}};
	static const struct mbz_range short_mbz[] = {{1, 15}};
	static const struct mbz_range stop_mbz[] = {{2, 2}, {8, 8}};
	uint8_t buf[BUF_LEN], out[BUF_LEN];
	struct twr_server_greeting g;
	struct twr_server_start s;
	struct twr_request_session r;
	struct twr_accept_session a;
	struct twr_start_sessions ss;
	struct twr_start_ack sa;
	struct twr_stop_sessions st;

	memcpy(buf, vec_greeting, sizeof(vec_greeting));
	set_mbz(buf, greeting_mbz, 2);
	ck_assert_int_eq(twr_server_greeting_decode(buf, sizeof(vec_greeting), &g), 0);
	ck_assert_int_eq(twr_server_greeting_encode(&g, out, sizeof(out)), sizeof(vec_greeting));
	ck_assert_bytes(out, vec_greeting, sizeof(vec_greeting));

	memcpy(buf, vec_server_start, sizeof(vec_server_start));
	set_mbz(buf, start_mbz, 2);
	ck_assert_int_eq(twr_server_start_decode(buf, sizeof(vec_server_start), &s), 0);
	ck_assert_int_eq(twr_server_start_encode(&s, out, sizeof(out)), sizeof(vec_server_start));
	ck_assert_bytes(out, vec_server_start, sizeof(vec_server_start));

	memcpy(buf, vec_request_v4, sizeof(vec_request_v4));
	set_mbz(buf, req4_mbz, 3);
	buf[1] |= 0xf0;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(vec_request_v4), &r), 0);
	ck_assert_int_eq(twr_request_session_encode(&r, out, sizeof(out)), sizeof(vec_request_v4));
	ck_assert_bytes(out, vec_request_v4, sizeof(vec_request_v4));

	memcpy(buf, vec_request_v6, sizeof(vec_request_v6));
	set_mbz(buf, req6_mbz, 1);
	buf[1] |= 0xf0;
	ck_assert_int_eq(twr_request_session_decode(buf, sizeof(vec_request_v6), &r), 0);
	ck_assert_int_eq(twr_request_session_encode(&r, out, sizeof(out)), sizeof(vec_request_v6));
	ck_assert_bytes(out, vec_request_v6, sizeof(vec_request_v6));

	memcpy(buf, vec_accept_session, sizeof(vec_accept_session));
	set_mbz(buf, accept_mbz, 2);
	ck_assert_int_eq(twr_accept_session_decode(buf, sizeof(vec_accept_session), &a), 0);
	ck_assert_int_eq(twr_accept_session_encode(&a, out, sizeof(out)),
			 sizeof(vec_accept_session));
	ck_assert_bytes(out, vec_accept_session, sizeof(vec_accept_session));

	memcpy(buf, vec_start_sessions, sizeof(vec_start_sessions));
	set_mbz(buf, short_mbz, 1);
	ck_assert_int_eq(twr_start_sessions_decode(buf, sizeof(vec_start_sessions), &ss), 0);
	ck_assert_int_eq(twr_start_sessions_encode(&ss, out, sizeof(out)),
			 sizeof(vec_start_sessions));
	ck_assert_bytes(out, vec_start_sessions, sizeof(vec_start_sessions));

	memcpy(buf, vec_start_ack, sizeof(vec_start_ack));
	set_mbz(buf, short_mbz, 1);
	ck_assert_int_eq(twr_start_ack_decode(buf, sizeof(vec_start_ack), &sa), 0);
	ck_assert_int_eq(twr_start_ack_encode(&sa, out, sizeof(out)), sizeof(vec_start_ack));
	ck_assert_bytes(out, vec_start_ack, sizeof(vec_start_ack));

	memcpy(buf, vec_stop_sessions, sizeof(vec_stop_sessions));
	set_mbz(buf, stop_mbz, 2);
	ck_assert_int_eq(twr_stop_sessions_decode(buf, sizeof(vec_stop_sessions), &st), 0);
	ck_assert_int_eq(twr_stop_sessions_encode(&st, out, sizeof(out)),
			 sizeof(vec_stop_sessions));
	ck_assert_bytes(out, vec_stop_sessions, sizeof(vec_stop_sessions));
}
END_TEST

START_TEST(test_mbz_ignored_sid_list)
{
	const struct sid_list_vector *v = &sid_list_vectors[_i];
	int ack = v->command == TWR_CMD_START_N_ACK || v->command == TWR_CMD_STOP_N_ACK;
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN], out[BUF_LEN];

	/* requests: octets 1-11 MBZ; acks: octets 2-11 (octet 1 is Accept) */
	memcpy(buf, v->bytes, v->len);
	memset(buf + (ack ? 2 : 1), 0xff, ack ? 10 : 11);
	ck_assert_int_eq(twr_sid_list_msg_decode(buf, v->len, v->command, &m), 0);
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, out, sizeof(out)), (ssize_t)v->len);
	ck_assert_bytes(out, v->bytes, v->len);
}
END_TEST

/* Encoders: capacity, NULL, unencodable fields. */

START_TEST(test_encode_cap_too_small_is_enobufs)
{
	const struct encoder_case *c = &encoders[_i];
	uint8_t buf[BUF_LEN];

	memset(buf, SENTINEL, sizeof(buf));
	ck_assert_msg(c->encode(buf, c->len - 1) == -ENOBUFS, "%s", c->name);
	ck_assert_msg(c->encode(buf, 16) == -ENOBUFS, "%s", c->name);
	ck_assert_msg(c->encode(buf, 0) == -ENOBUFS, "%s", c->name);
	assert_untouched(buf, 0, sizeof(buf));
}
END_TEST

START_TEST(test_encode_null_is_einval)
{
	uint8_t buf[BUF_LEN];
	struct twr_server_greeting g;
	struct twr_setup_response su;
	struct twr_server_start s;
	struct twr_request_session r;
	struct twr_accept_session a;
	struct twr_start_sessions ss;
	struct twr_start_ack sa;
	struct twr_stop_sessions st;
	struct twr_sid_list_msg sl;

	greeting_vector(&g);
	setup_vector(&su);
	server_start_vector(&s);
	request_v4_vector(&r);
	accept_session_vector(&a);
	memset(&ss, 0, sizeof(ss));
	memset(&sa, 0, sizeof(sa));
	stop_sessions_vector(&st);
	sid_list_from_vector(&sid_list_vectors[0], &sl);

	/* NULL is checked before the capacity: cap 0 still gives -EINVAL */
	ck_assert_int_eq(twr_server_greeting_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_server_greeting_encode(&g, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_setup_response_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_setup_response_encode(&su, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_server_start_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_server_start_encode(&s, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_request_session_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_request_session_encode(&r, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_accept_session_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_accept_session_encode(&a, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_start_sessions_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_start_sessions_encode(&ss, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_start_ack_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_start_ack_encode(&sa, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_stop_sessions_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_stop_sessions_encode(&st, NULL, 0), -EINVAL);
	ck_assert_int_eq(twr_sid_list_msg_encode(NULL, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(twr_sid_list_msg_encode(&sl, NULL, 0), -EINVAL);
	sl.sids = NULL;
	ck_assert_int_eq(twr_sid_list_msg_encode(&sl, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_encode_accept_above_6_is_erange)
{
	uint8_t buf[BUF_LEN];
	struct twr_server_start s;
	struct twr_accept_session a;
	struct twr_start_ack sa;
	struct twr_stop_sessions st;
	struct twr_sid_list_msg sl;

	server_start_vector(&s);
	accept_session_vector(&a);
	memset(&sa, 0, sizeof(sa));
	stop_sessions_vector(&st);
	sid_list_from_vector(&sid_list_vectors[2], &sl); /* Start-N-Ack */
	s.accept = a.accept = sa.accept = st.accept = sl.accept = 7;

	memset(buf, SENTINEL, sizeof(buf));
	ck_assert_int_eq(twr_server_start_encode(&s, buf, sizeof(buf)), -ERANGE);
	ck_assert_int_eq(twr_accept_session_encode(&a, buf, sizeof(buf)), -ERANGE);
	ck_assert_int_eq(twr_start_ack_encode(&sa, buf, sizeof(buf)), -ERANGE);
	ck_assert_int_eq(twr_stop_sessions_encode(&st, buf, sizeof(buf)), -ERANGE);
	ck_assert_int_eq(twr_sid_list_msg_encode(&sl, buf, sizeof(buf)), -ERANGE);
	sl.command = TWR_CMD_STOP_N_ACK;
	ck_assert_int_eq(twr_sid_list_msg_encode(&sl, buf, sizeof(buf)), -ERANGE);
	assert_untouched(buf, 0, sizeof(buf));

	/* the capacity is checked before the range */
	ck_assert_int_eq(twr_server_start_encode(&s, buf, 47), -ENOBUFS);
	ck_assert_int_eq(twr_accept_session_encode(&a, buf, 47), -ENOBUFS);
	ck_assert_int_eq(twr_start_ack_encode(&sa, buf, 31), -ENOBUFS);
	ck_assert_int_eq(twr_stop_sessions_encode(&st, buf, 31), -ENOBUFS);
	ck_assert_int_eq(twr_sid_list_msg_encode(&sl, buf, 47), -ENOBUFS);
}
END_TEST

START_TEST(test_encode_sid_list_request_writes_accept_as_zero)
{
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];

	sid_list_from_vector(&sid_list_vectors[1], &m); /* Start-N N=3 */
	m.accept = 200;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), sizeof(vec_start_n3));
	ck_assert_bytes(buf, vec_start_n3, sizeof(vec_start_n3));
}
END_TEST

START_TEST(test_encode_server_greeting_bad_count_is_erange)
{
	static const uint32_t bad[] = {0, 512, 1023, 1025, 3000, 0xffffffffu};
	struct twr_server_greeting m;
	uint8_t buf[BUF_LEN];
	size_t i;

	greeting_vector(&m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.count = bad[i];
		ck_assert_msg(twr_server_greeting_encode(&m, buf, sizeof(buf)) == -ERANGE,
			      "Count %u", bad[i]);
	}
	ck_assert_int_eq(twr_server_greeting_encode(&m, buf, 63), -ENOBUFS);
}
END_TEST

START_TEST(test_encode_request_session_bad_ipvn_is_eafnosupport)
{
	static const uint8_t bad[] = {0, 1, 5, 7, 15, 0x14, 0x46, 255};
	struct twr_request_session m;
	uint8_t buf[BUF_LEN];
	size_t i;

	request_v4_vector(&m);
	for (i = 0; i < sizeof(bad); i++) {
		m.ipvn = bad[i];
		ck_assert_msg(twr_request_session_encode(&m, buf, sizeof(buf)) == -EAFNOSUPPORT,
			      "IPVN %u", bad[i]);
	}
	ck_assert_int_eq(twr_request_session_encode(&m, buf, 111), -ENOBUFS);
}
END_TEST

START_TEST(test_encode_sid_list_bad_command_is_einval)
{
	static const uint8_t bad[] = {0, 1, 2, 3, 5, 6, 11, 12, 255};
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];
	size_t i;

	sid_list_from_vector(&sid_list_vectors[0], &m);
	for (i = 0; i < sizeof(bad); i++) {
		m.command = bad[i];
		ck_assert_msg(twr_sid_list_msg_encode(&m, buf, sizeof(buf)) == -EINVAL,
			      "command %u", bad[i]);
	}
	/* command before N */
	m.nb_sessions = 0;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), -EINVAL);
}
END_TEST

START_TEST(test_encode_sid_list_n_out_of_range_is_erange)
{
	struct twr_sid_list_msg m;
	uint8_t buf[BUF_LEN];

	sid_list_from_vector(&sid_list_vectors[0], &m);
	m.nb_sessions = 0;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), -ERANGE);
	/* N decides the length, so it is checked before the capacity */
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, 0), -ERANGE);
	m.nb_sessions = TWR_SID_LIST_MAX + 1;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), -ERANGE);
	m.nb_sessions = 0xffffffffu;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), -ERANGE);
	/* in range but far larger than the buffer */
	m.nb_sessions = TWR_SID_LIST_MAX;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), -ENOBUFS);
	m.nb_sessions = 4;
	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, TWR_SID_LIST_MSG_LEN(4) - 1), -ENOBUFS);
}
END_TEST

/* twr_ctrl_cmd_length */

#define MAX_SESSIONS 64

static ssize_t
cmd_length(uint8_t command, uint32_t n, uint32_t max_sessions)
{
	uint8_t block[TWR_BLOCK_LEN] = {0};

	block[0] = command;
	put_n(block, n);
	return twr_ctrl_cmd_length(block, sizeof(block), max_sessions);
}

START_TEST(test_cmd_length_fixed_commands)
{
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_sessions, 16, MAX_SESSIONS), 32);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_stop_sessions, 16, MAX_SESSIONS), 32);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_request_v4, 16, MAX_SESSIONS), 112);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_request_v6, 16, MAX_SESSIONS), 112);
	/* whatever follows the first block is not looked at */
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_request_v4, sizeof(vec_request_v4), 0), 112);
	/* octets 12-15 are not N for these: no N check even with max 0 */
	ck_assert_int_eq(cmd_length(TWR_CMD_START_SESSIONS, 0xffffffffu, 0), 32);
	ck_assert_int_eq(cmd_length(TWR_CMD_STOP_SESSIONS, 0, 0), 32);
}
END_TEST

START_TEST(test_cmd_length_sid_list_commands)
{
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_n1, 16, MAX_SESSIONS), 48);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_n3, 16, MAX_SESSIONS), 80);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_stop_n1, 16, MAX_SESSIONS), 48);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_stop_n3, 16, MAX_SESSIONS), 80);
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, MAX_SESSIONS, MAX_SESSIONS),
			 32 + 16 * MAX_SESSIONS);
	ck_assert_int_eq(cmd_length(TWR_CMD_STOP_N_SESSIONS, 1, 1), 48);
}
END_TEST

START_TEST(test_cmd_length_n_zero_is_erange)
{
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, 0, MAX_SESSIONS), -ERANGE);
	ck_assert_int_eq(cmd_length(TWR_CMD_STOP_N_SESSIONS, 0, MAX_SESSIONS), -ERANGE);
}
END_TEST

START_TEST(test_cmd_length_n_over_limit_is_erange)
{
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, MAX_SESSIONS + 1, MAX_SESSIONS),
			 -ERANGE);
	ck_assert_int_eq(cmd_length(TWR_CMD_STOP_N_SESSIONS, MAX_SESSIONS + 1, MAX_SESSIONS),
			 -ERANGE);
	ck_assert_int_eq(cmd_length(TWR_CMD_STOP_N_SESSIONS, 1, 0), -ERANGE);
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, 0xffffffffu, 0xffffffffu), -ERANGE);
	/* a caller's limit above TWR_SID_LIST_MAX is capped at it */
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, TWR_SID_LIST_MAX + 1, 0xffffffffu),
			 -ERANGE);
	ck_assert_int_eq(cmd_length(TWR_CMD_START_N_SESSIONS, TWR_SID_LIST_MAX, 0xffffffffu),
			 (ssize_t)0xfffffff0u);
}
END_TEST

START_TEST(test_cmd_length_unknown_commands_are_ebadmsg)
{
	static const uint8_t unknown[] = {0, 1, 4, 6, 8, 10, 11, 12, 255};
	size_t i;
	int cmd, known;

	for (i = 0; i < sizeof(unknown); i++)
		ck_assert_msg(cmd_length(unknown[i], 1, MAX_SESSIONS) == -EBADMSG, "command %u",
			      unknown[i]);
	/* and exactly 2, 3, 5, 7 and 9 have a length */
	for (cmd = 0; cmd <= 255; cmd++) {
		known = cmd == 2 || cmd == 3 || cmd == 5 || cmd == 7 || cmd == 9;
		ck_assert_msg((cmd_length((uint8_t)cmd, 1, MAX_SESSIONS) > 0) == known,
			      "command %d", cmd);
	}
}
END_TEST

START_TEST(test_cmd_length_short_block_is_emsgsize)
{
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_sessions, 15, MAX_SESSIONS), -EMSGSIZE);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_n3, 15, MAX_SESSIONS), -EMSGSIZE);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_request_v4, 1, MAX_SESSIONS), -EMSGSIZE);
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_request_v4, 0, MAX_SESSIONS), -EMSGSIZE);
	/* short wins over an unknown command */
	ck_assert_int_eq(twr_ctrl_cmd_length(vec_start_ack, 15, MAX_SESSIONS), -EMSGSIZE);
}
END_TEST

START_TEST(test_cmd_length_null_is_einval)
{
	ck_assert_int_eq(twr_ctrl_cmd_length(NULL, 16, MAX_SESSIONS), -EINVAL);
	ck_assert_int_eq(twr_ctrl_cmd_length(NULL, 0, MAX_SESSIONS), -EINVAL);
}
END_TEST

static Suite *
ctrl_msg_suite(void)
{
	Suite *s = suite_create("ctrl_msg");
	TCase *tc;

	tc = tcase_create("vectors");
	tcase_add_loop_test(tc, test_vectors_encode_byte_exact, 0, NB_ENCODERS);
	tcase_add_loop_test(tc, test_vectors_encode_into_exact_capacity, 0, NB_ENCODERS);
	tcase_add_test(tc, test_server_greeting_decode_vector_7_3);
	tcase_add_test(tc, test_server_greeting_modes_0x17f_vector_7_3);
	tcase_add_test(tc, test_setup_response_decode_vector_7_4);
	tcase_add_test(tc, test_setup_response_fields_at_their_offsets);
	tcase_add_test(tc, test_server_start_decode_vector_7_5);
	tcase_add_test(tc, test_request_session_ipv4_decode_vector_7_6);
	tcase_add_test(tc, test_request_session_ipv6_decode_handmade_vector);
	tcase_add_test(tc, test_request_session_ipv4_decode_leaves_address_tail_zero);
	tcase_add_test(tc, test_request_session_ipv4_encode_writes_four_address_octets);
	tcase_add_test(tc, test_accept_session_decode_vector_7_7_with_sid);
	tcase_add_test(tc, test_accept_session_rfc6038_fields_at_20_and_22);
	tcase_add_test(tc, test_start_sessions_decode_vector_7_8);
	tcase_add_test(tc, test_start_ack_decode_vector_7_8);
	tcase_add_test(tc, test_stop_sessions_decode_vector_7_8);
	tcase_add_test(tc, test_short_messages_hmac_in_second_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("sid_list");
	tcase_add_loop_test(tc, test_sid_list_encode_byte_exact, 0, NB_SID_LIST_VECTORS);
	tcase_add_loop_test(tc, test_sid_list_decode_vector, 0, NB_SID_LIST_VECTORS);
	tcase_add_loop_test(tc, test_sid_list_encode_in_place_over_decoded_buffer, 0,
			    NB_SID_LIST_VECTORS);
	tcase_add_test(tc, test_sid_list_msg_len_macro);
	suite_add_tcase(s, tc);

	tc = tcase_create("round_trip");
	tcase_add_test(tc, test_round_trip_server_greeting);
	tcase_add_test(tc, test_round_trip_setup_response);
	tcase_add_test(tc, test_round_trip_server_start);
	tcase_add_test(tc, test_round_trip_request_session_ipv4_and_ipv6);
	tcase_add_test(tc, test_round_trip_accept_session);
	tcase_add_test(tc, test_round_trip_start_sessions_and_start_ack);
	tcase_add_test(tc, test_round_trip_stop_sessions);
	tcase_add_test(tc, test_round_trip_sid_list_all_four_commands);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode_length");
	tcase_add_loop_test(tc, test_decode_accepts_vector, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_truncated_by_one_is_emsgsize, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_truncated_by_one_block_is_emsgsize, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_empty_is_emsgsize, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_oversized_by_one_is_e2big, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_oversized_by_one_block_is_e2big, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_null_buffer_is_einval, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_null_struct_is_einval, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_every_wrong_command_is_ebadmsg, 0, NB_DECODERS);
	tcase_add_loop_test(tc, test_decode_length_checked_before_command, 0, NB_DECODERS);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode_range");
	tcase_add_test(tc, test_server_greeting_count_out_of_range_is_erange);
	tcase_add_test(tc, test_server_greeting_length_checked_before_count);
	tcase_add_test(tc, test_server_start_accept_above_6_is_erange);
	tcase_add_test(tc, test_request_session_ipvn_not_4_or_6_is_eafnosupport);
	tcase_add_test(tc, test_request_session_ipvn_high_nibble_is_mbz);
	tcase_add_test(tc, test_request_session_command_checked_before_ipvn);
	tcase_add_test(tc, test_request_session_conf_and_sid_decoded_as_is);
	tcase_add_test(tc, test_accept_session_accept_above_6_is_erange);
	tcase_add_test(tc, test_start_ack_accept_above_6_is_erange);
	tcase_add_test(tc, test_stop_sessions_accept_above_6_is_erange);
	tcase_add_test(tc, test_stop_sessions_any_count_decodes);
	tcase_add_loop_test(tc, test_sid_list_n_zero_is_erange, 0, NB_SID_LIST_VECTORS);
	tcase_add_loop_test(tc, test_sid_list_n_above_limit_is_erange, 0, NB_SID_LIST_VECTORS);
	tcase_add_loop_test(tc, test_sid_list_n_disagreeing_with_length, 0, NB_SID_LIST_VECTORS);
	tcase_add_test(tc, test_sid_list_ack_accept_above_6_is_erange);
	tcase_add_test(tc, test_sid_list_request_accept_octet_is_mbz);
	tcase_add_test(tc, test_sid_list_order_of_checks);
	tcase_add_test(tc, test_sid_list_sibling_command_is_ebadmsg);
	tcase_add_test(tc, test_decode_refusal_leaves_struct_untouched);
	suite_add_tcase(s, tc);

	tc = tcase_create("mbz");
	tcase_add_test(tc, test_mbz_ignored_fixed_messages);
	tcase_add_loop_test(tc, test_mbz_ignored_sid_list, 0, NB_SID_LIST_VECTORS);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode_errors");
	tcase_add_loop_test(tc, test_encode_cap_too_small_is_enobufs, 0, NB_ENCODERS);
	tcase_add_test(tc, test_encode_null_is_einval);
	tcase_add_test(tc, test_encode_accept_above_6_is_erange);
	tcase_add_test(tc, test_encode_sid_list_request_writes_accept_as_zero);
	tcase_add_test(tc, test_encode_server_greeting_bad_count_is_erange);
	tcase_add_test(tc, test_encode_request_session_bad_ipvn_is_eafnosupport);
	tcase_add_test(tc, test_encode_sid_list_bad_command_is_einval);
	tcase_add_test(tc, test_encode_sid_list_n_out_of_range_is_erange);
	suite_add_tcase(s, tc);

	tc = tcase_create("cmd_length");
	tcase_add_test(tc, test_cmd_length_fixed_commands);
	tcase_add_test(tc, test_cmd_length_sid_list_commands);
	tcase_add_test(tc, test_cmd_length_n_zero_is_erange);
	tcase_add_test(tc, test_cmd_length_n_over_limit_is_erange);
	tcase_add_test(tc, test_cmd_length_unknown_commands_are_ebadmsg);
	tcase_add_test(tc, test_cmd_length_short_block_is_emsgsize);
	tcase_add_test(tc, test_cmd_length_null_is_einval);
	suite_add_tcase(s, tc);

	return s;
}

TWR_CHECK_MAIN(ctrl_msg_suite)
