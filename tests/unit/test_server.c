/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * Unit tests of the TWAMP-Control Server state machine (twr_server.h):
 * whole conversations against a fake ops, asserting every octet sent and
 * every action emitted.
 */

#include <errno.h>
#include <string.h>

#include "check_main.h"
#include "twr_server.h"
#include "twr_wire.h"

#define S  (1000000000ull)
#define T0 (1000 * S)
/* NTP for Unix 1700000005 (digest §7.7) and 1700000000 (§7.5) */
#define NTP_NOW	  0xe8fe6f8500000000ull
#define NTP_START 0xe8fe6f8000000000ull
#define NTP_1S	  (1ull << 32)

struct fake {
	uint8_t next;	       /* random: counter octets */
	int random_err;	       /* random returns this when non-zero */
	unsigned int reserves; /* calls to reserve */
	struct twr_session_params last;
	uint8_t code;	   /* reserve returns this */
	uint16_t alt_port; /* reserve grants this port when non-zero */
	uint16_t server_octets;
};

static int
fake_random(void *ctx, void *buf, size_t len)
{
	struct fake *f = ctx;
	uint8_t *b = buf;
	size_t i;

	if (f->random_err != 0)
		return f->random_err;
	for (i = 0; i < len; i++)
		b[i] = f->next++;
	return 0;
}

static uint8_t
fake_reserve(void *ctx, struct twr_session_params *p)
{
	struct fake *f = ctx;

	f->reserves++;
	f->last = *p;
	if (f->code != 0)
		return f->code;
	if (f->alt_port != 0)
		p->port = f->alt_port;
	p->server_octets = f->server_octets;
	return 0;
}

static const struct twr_server_ops fake_ops = {.random = fake_random, .reserve = fake_reserve};

static struct twr_server_config cfg;
static struct fake fk;
static const uint8_t PEER4[4] = {192, 0, 2, 1};
static const uint8_t LOCAL4[4] = {198, 51, 100, 2};
static const uint8_t PEER6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t LOCAL6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0xab, [15] = 2};

static void
setup(void)
{
	twr_server_config_defaults(&cfg);
	cfg.start_time = NTP_START;
	memset(&fk, 0, sizeof(fk));
}

static struct twr_server_conn *
conn_new_af(uint8_t ipvn)
{
	struct twr_conn_addrs a;
	struct twr_server_conn *c;

	memset(&a, 0, sizeof(a));
	a.ipvn = ipvn;
	memcpy(a.peer, ipvn == 4 ? PEER4 : PEER6, ipvn == 4 ? 4 : 16);
	memcpy(a.local, ipvn == 4 ? LOCAL4 : LOCAL6, ipvn == 4 ? 4 : 16);
	a.peer_port = 40000;
	a.local_port = 862;
	c = twr_server_conn_create(&cfg, &fake_ops, &fk, &a, T0);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* ---- expectations ---- */

/* The send queue starts with @p want; consume it. */
static void
expect_tx_head(struct twr_server_conn *c, const uint8_t *want, size_t len)
{
	const uint8_t *d;
	size_t n = twr_server_conn_tx_peek(c, &d);

	ck_assert_uint_ge(n, len);
	ck_assert_bytes(d, want, len);
	twr_server_conn_tx_consume(c, len);
}

/* The send queue holds exactly @p want; consume it. */
static void
expect_tx(struct twr_server_conn *c, const uint8_t *want, size_t len)
{
	const uint8_t *d;

	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), len);
	expect_tx_head(c, want, len);
}

static void
expect_no_tx(struct twr_server_conn *c)
{
	const uint8_t *d;

	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), 0);
}

static struct twr_server_action
expect_act(struct twr_server_conn *c, enum twr_server_action_type t, int reason, uint64_t dl)
{
	struct twr_server_action a;

	ck_assert_int_eq(twr_server_conn_action_pop(c, &a), 0);
	ck_assert_int_eq(a.type, t);
	if (reason >= 0)
		ck_assert_int_eq(a.reason, reason);
	if (t == TWR_ACT_TIMER || t == TWR_ACT_SESSION_STOP)
		ck_assert_uint_eq(a.deadline_ns, dl);
	return a;
}

static void
expect_no_act(struct twr_server_conn *c)
{
	struct twr_server_action a;

	ck_assert_int_eq(twr_server_conn_action_pop(c, &a), -ENOENT);
}

static void
expect_sid_act(struct twr_server_conn *c, enum twr_server_action_type t, int reason, uint64_t dl,
	       const uint8_t *sid)
{
	struct twr_server_action a = expect_act(c, t, reason, dl);

	ck_assert_bytes(a.params.sid, sid, TWR_SID_LEN);
}

/* ---- client messages ---- */

static void
feed(struct twr_server_conn *c, const uint8_t *m, size_t len, uint64_t now)
{
	ck_assert_int_eq(twr_server_conn_input(c, m, len, now, NTP_NOW), 0);
}

static void
send_setup(struct twr_server_conn *c, uint32_t mode, uint64_t now)
{
	uint8_t m[TWR_SETUP_RESPONSE_LEN] = {0};

	twr_put_be32(m, mode);
	feed(c, m, sizeof(m), now);
}

static void
req_init(struct twr_request_session *r, uint16_t port, uint64_t timeout_s)
{
	memset(r, 0, sizeof(*r));
	r->ipvn = 4;
	memcpy(r->sender_addr, PEER4, 4);
	memcpy(r->receiver_addr, LOCAL4, 4);
	r->sender_port = 50000;
	r->receiver_port = port;
	r->padding_length = 27;
	r->start_time = NTP_NOW + 5 * NTP_1S;
	r->timeout = timeout_s * NTP_1S;
	r->type_p = 0x2e000000;
}

static void
req_put(uint8_t *buf, const struct twr_request_session *r)
{
	ck_assert_int_eq(twr_request_session_encode(r, buf, TWR_REQUEST_TW_SESSION_LEN), 112);
}

static void
send_req(struct twr_server_conn *c, const struct twr_request_session *r, uint64_t now)
{
	uint8_t m[TWR_REQUEST_TW_SESSION_LEN];

	req_put(m, r);
	feed(c, m, sizeof(m), now);
}

static void
send_cmd32(struct twr_server_conn *c, uint8_t cmd, uint32_t nb, uint64_t now)
{
	uint8_t m[32] = {cmd};

	if (cmd == TWR_CMD_STOP_SESSIONS)
		twr_put_be32(m + 4, nb);
	feed(c, m, sizeof(m), now);
}

static void
send_sid_list(struct twr_server_conn *c, uint8_t cmd, const uint8_t *sids, uint32_t n, uint64_t now)
{
	struct twr_sid_list_msg m = {.command = cmd, .nb_sessions = n, .sids = sids};
	uint8_t buf[32 + 16 * 8];
	size_t len = TWR_SID_LIST_MSG_LEN(n);

	ck_assert_int_eq(twr_sid_list_msg_encode(&m, buf, sizeof(buf)), len);
	feed(c, buf, len, now);
}

/* ---- expected server messages ---- */

static void
make_sid(uint8_t *sid, const uint8_t ip[4], uint8_t r0)
{
	memcpy(sid, ip, 4);
	twr_put_be64(sid + 4, NTP_NOW);
	sid[12] = r0;
	sid[13] = (uint8_t)(r0 + 1);
	sid[14] = (uint8_t)(r0 + 2);
	sid[15] = (uint8_t)(r0 + 3);
}

static void
expect_accept(struct twr_server_conn *c, uint8_t accept, uint16_t port, const uint8_t *sid,
	      uint16_t refl, uint16_t srv)
{
	struct twr_accept_session m = {.accept = accept, .port = port};
	uint8_t want[48];

	if (sid != NULL)
		memcpy(m.sid, sid, TWR_SID_LEN);
	m.reflected_octets = refl;
	m.server_octets = srv;
	ck_assert_int_eq(twr_accept_session_encode(&m, want, sizeof(want)), 48);
	expect_tx(c, want, sizeof(want));
}

static void
expect_server_start_ok(struct twr_server_conn *c)
{
	uint8_t want[48] = {0};

	twr_put_be64(want + 32, NTP_START); /* digest §7.5: e8 fe 6f 80 at 32 */
	expect_tx(c, want, sizeof(want));
}

static void
expect_sid_ack(struct twr_server_conn *c, uint8_t cmd, uint8_t accept, const uint8_t *sids,
	       uint32_t n)
{
	struct twr_sid_list_msg m = {
		.command = cmd, .accept = accept, .nb_sessions = n, .sids = sids};
	uint8_t want[32 + 16 * 8];
	size_t len = TWR_SID_LIST_MSG_LEN(n);

	ck_assert_int_eq(twr_sid_list_msg_encode(&m, want, sizeof(want)), len);
	expect_tx_head(c, want, len);
}

/*
 * Greeting and Set-Up-Response done at T0 + 1 ms, queues drained: the
 * common start of a conversation. Returns the time SERVWAIT runs from.
 */
static uint64_t
handshake(struct twr_server_conn *c, uint32_t mode)
{
	const uint8_t *d;

	twr_server_conn_tx_consume(c, twr_server_conn_tx_peek(c, &d));
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	send_setup(c, mode, T0 + 1000000);
	expect_server_start_ok(c);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 1000000 + 900 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);
	ck_assert_uint_eq(twr_server_conn_mode(c), mode);
	return T0 + 1000000;
}

/* Request a session on @p port at @p now and expect its Accept 0 and ADD. */
static void
accept_one(struct twr_server_conn *c, uint16_t port, uint64_t timeout_s, uint64_t now, uint8_t *sid)
{
	struct twr_request_session r;

	req_init(&r, port, timeout_s);
	make_sid(sid, LOCAL4, fk.next);
	send_req(c, &r, now);
	expect_accept(c, 0, port, sid, 0, 0);
	expect_sid_act(c, TWR_ACT_SESSION_ADD, -1, 0, sid);
	expect_act(c, TWR_ACT_TIMER, -1, now + 900 * S);
	expect_no_act(c);
}

/* ---- handshake ---- */

/* Hex dump rows of 16 octets, as the digest prints them, to octets. */
static void
unhex(const char *const *rows, size_t nb_rows, uint8_t *out)
{
	size_t r, i;
	unsigned int v;

	for (r = 0; r < nb_rows; r++)
		for (i = 0; i < 16; i++) {
			ck_assert_int_eq(sscanf(rows[r] + 2 * i, "%2x", &v), 1);
			*out++ = (uint8_t)v;
		}
}

START_TEST(test_greeting_vector)
{
	/* digest §7.3 */
	static const char *const rows[4] = {
		"00000000000000000000000000000001",
		"000102030405060708090a0b0c0d0e0f",
		"101112131415161718191a1b1c1d1e1f",
		"00000400000000000000000000000000",
	};
	uint8_t want[64];
	struct twr_server_conn *c;
	const uint8_t *d;

	unhex(rows, 4, want);
	cfg.modes = TWR_MODE_UNAUTHENTICATED;
	c = conn_new_af(4);
	expect_tx(c, want, sizeof(want));
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_WAIT_SETUP);
	ck_assert_uint_eq(twr_server_conn_deadline(c), T0 + 30 * S);
	twr_server_conn_destroy(c);

	/* default modes: 1|16|32|64|256 */
	setup();
	c = conn_new_af(4);
	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), 64);
	ck_assert_uint_eq(twr_get_be32(d + 12), 0x171);
	ck_assert_uint_eq(twr_server_conn_stats(c)->bytes_out, 64);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_modes_zero)
{
	uint8_t want[64] = {0};
	struct twr_server_conn *c;
	uint8_t b = 0;
	int i;

	cfg.modes = 0;
	c = conn_new_af(4);
	for (i = 0; i < 16; i++) {
		want[16 + i] = (uint8_t)i;
		want[32 + i] = (uint8_t)(16 + i);
	}
	want[50] = 0x04;
	expect_tx(c, want, sizeof(want));
	expect_act(c, TWR_ACT_CLOSE, TWR_REASON_SERVICE_REFUSED, 0);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_CLOSED);
	ck_assert_int_eq(twr_server_conn_input(c, &b, 1, T0, NTP_NOW), -ENOTCONN);
	ck_assert_uint_eq(twr_server_conn_deadline(c), UINT64_MAX);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_setup_refusals)
{
	static const uint32_t modes[] = {0, 0x3, 0x5, 0x9, 0x30, 0x11, 0x80000001};
	static const int reasons[] = {TWR_REASON_SETUP_ABANDONED, TWR_REASON_SETUP_REFUSED};
	uint8_t refused[48] = {[15] = 1};
	const uint8_t *d;
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct twr_server_conn *c;

		setup();
		/* offer only 1|32: 0x11 asks for an unoffered bit */
		cfg.modes = TWR_MODE_UNAUTHENTICATED | TWR_MODE_REFLECT_OCTETS;
		c = conn_new_af(4);
		twr_server_conn_tx_consume(c, twr_server_conn_tx_peek(c, &d));
		expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
		send_setup(c, modes[i], T0 + 1);
		if (modes[i] == 0)
			expect_no_tx(c); /* the client gave up: nothing to say */
		else
			expect_tx(c, refused, sizeof(refused));
		expect_act(c, TWR_ACT_CLOSE, reasons[modes[i] != 0], 0);
		expect_no_act(c);
		ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_CLOSED);
		ck_assert_uint_eq(twr_server_conn_mode(c), 0);
		twr_server_conn_destroy(c);
	}
}
END_TEST

/* ---- the whole conversation ---- */

START_TEST(test_happy_path)
{
	struct twr_server_conn *c = conn_new_af(4);
	const struct twr_server_conn_stats *st = twr_server_conn_stats(c);
	uint8_t sid[3][16];
	uint64_t t3 = T0 + 10 * S, t4 = T0 + 100 * S;
	int i;

	handshake(c, TWR_MODE_UNAUTHENTICATED);
	for (i = 0; i < 3; i++)
		accept_one(c, (uint16_t)(5000 + i), (uint64_t)i + 1, T0 + (uint64_t)(2 + i) * S,
			   sid[i]);
	/* digest §7.7 layout: 198.51.100.2 | NTP | random (counter after greeting: 0x20) */
	ck_assert_uint_eq(sid[0][0], 0xc6);
	ck_assert_uint_eq(sid[0][12], 0x20);
	ck_assert_uint_eq(sid[2][12], 0x28);
	ck_assert_uint_eq(fk.last.port, 5002);
	ck_assert_uint_eq(fk.last.dscp, 46);
	ck_assert_uint_eq(fk.last.timeout_ns, 3 * S);
	ck_assert_uint_eq(fk.last.modes, TWR_MODE_UNAUTHENTICATED);
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 3);

	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, t3);
	{
		static const uint8_t ack[32] = {0};

		expect_tx(c, ack, sizeof(ack));
	}
	for (i = 0; i < 3; i++)
		expect_sid_act(c, TWR_ACT_SESSION_START, -1, 0, sid[i]);
	/* SERVWAIT suspended: the deadline is REFWAIT's */
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 900 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_TESTING);

	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 3, t4);
	expect_no_tx(c);
	for (i = 0; i < 3; i++)
		expect_sid_act(c, TWR_ACT_SESSION_STOP, -1, t4 + (uint64_t)(i + 1) * S, sid[i]);
	expect_act(c, TWR_ACT_TIMER, -1, t4 + 1 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);

	twr_server_conn_timer(c, t4 + S - 1); /* early: nothing */
	expect_no_act(c);
	for (i = 0; i < 3; i++) {
		twr_server_conn_timer(c, t4 + (uint64_t)(i + 1) * S);
		expect_sid_act(c, TWR_ACT_SESSION_REMOVE, TWR_REASON_DRAINED, 0, sid[i]);
		expect_act(c, TWR_ACT_TIMER, -1, i < 2 ? t4 + (uint64_t)(i + 2) * S : t4 + 900 * S);
		expect_no_act(c);
	}
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 0);
	twr_server_conn_eof(c, t4 + 10 * S);
	expect_act(c, TWR_ACT_CLOSE, TWR_REASON_PEER_CLOSED, 0);
	expect_no_act(c);

	ck_assert_uint_eq(st->requests, 3);
	ck_assert_uint_eq(st->accepted, 3);
	ck_assert_uint_eq(st->started, 3);
	ck_assert_uint_eq(st->stopped, 3);
	ck_assert_uint_eq(st->removed[TWR_REASON_DRAINED], 3);
	ck_assert_uint_eq(st->bytes_in, 164 + 3 * 112 + 32 + 32);
	ck_assert_uint_eq(st->bytes_out, 64 + 48 + 3 * 48 + 32);
	ck_assert_uint_eq(st->alternate_port, 0);
	twr_server_conn_destroy(c);
}
END_TEST

/* The client bytes of a 3-session conversation (Set-Up-Response to Stop). */
static size_t
conversation(uint8_t *buf)
{
	struct twr_request_session r;
	size_t n = 0;
	int i;

	memset(buf, 0, 164 + 3 * 112 + 64);
	twr_put_be32(buf, TWR_MODE_UNAUTHENTICATED);
	n = 164;
	for (i = 0; i < 3; i++) {
		req_init(&r, (uint16_t)(5000 + i), 1);
		req_put(buf + n, &r);
		n += 112;
	}
	buf[n] = TWR_CMD_START_SESSIONS;
	n += 32;
	buf[n] = TWR_CMD_STOP_SESSIONS;
	twr_put_be32(buf + n + 4, 3);
	return n + 32;
}

/* Same conversation, one input of everything, then one octet per input. */
START_TEST(test_chunking)
{
	uint8_t conv[164 + 3 * 112 + 64], tx_whole[400];
	size_t len = conversation(conv), n, i;
	struct twr_server_conn *c;
	const uint8_t *d;
	uint8_t sid[16];
	int pass, k;

	for (pass = 0; pass < 2; pass++) {
		setup();
		c = conn_new_af(4);
		expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
		if (pass == 0) {
			feed(c, conv, len, T0 + S);
		} else {
			for (i = 0; i < len; i++)
				feed(c, conv + i, 1, T0 + S);
			/* one TIMER: set when Server-Start left, unchanged until Stop */
			expect_act(c, TWR_ACT_TIMER, -1, T0 + 901 * S);
		}
		for (k = 0; k < 3; k++) {
			make_sid(sid, LOCAL4, (uint8_t)(0x20 + 4 * k));
			expect_sid_act(c, TWR_ACT_SESSION_ADD, -1, 0, sid);
		}
		for (k = 0; k < 3; k++)
			expect_act(c, TWR_ACT_SESSION_START, -1, 0);
		for (k = 0; k < 3; k++)
			expect_act(c, TWR_ACT_SESSION_STOP, -1, T0 + 2 * S);
		expect_act(c, TWR_ACT_TIMER, -1, T0 + 2 * S);
		expect_no_act(c);
		n = twr_server_conn_tx_peek(c, &d);
		ck_assert_uint_eq(n, 64 + 48 + 3 * 48 + 32);
		if (pass == 0)
			memcpy(tx_whole, d, n);
		else
			ck_assert_bytes(d, tx_whole, n);
		ck_assert_uint_eq(twr_server_conn_stats(c)->bytes_in, len);
		twr_server_conn_eof(c, T0 + 2 * S);
		for (k = 0; k < 3; k++)
			expect_act(c, TWR_ACT_SESSION_REMOVE, TWR_REASON_PEER_CLOSED, 0);
		expect_act(c, TWR_ACT_CLOSE, TWR_REASON_PEER_CLOSED, 0);
		twr_server_conn_destroy(c);
	}
}
END_TEST

/* ---- Request-TW-Session ---- */

START_TEST(test_request_ipv6)
{
	struct twr_request_session r;
	struct twr_server_conn *c;
	uint8_t sid[16];
	int pass;

	for (pass = 0; pass < 2; pass++) {
		setup();
		/* with a configured IPv4 the SID carries it, else the v6 tail (as owamp) */
		if (pass == 1)
			memcpy(cfg.sid_ipv4, PEER4, 4);
		c = conn_new_af(6);
		handshake(c, TWR_MODE_UNAUTHENTICATED);
		req_init(&r, 5000, 1);
		r.ipvn = 6;
		memcpy(r.sender_addr, PEER6, 16);
		memcpy(r.receiver_addr, LOCAL6, 16);
		send_req(c, &r, T0 + 2 * S);
		make_sid(sid, pass == 1 ? PEER4 : LOCAL6 + 12, 0x20);
		expect_accept(c, 0, 5000, sid, 0, 0);
		expect_sid_act(c, TWR_ACT_SESSION_ADD, -1, 0, sid);
		ck_assert_uint_eq(fk.last.ipvn, 6);
		ck_assert_bytes(fk.last.sender_addr, PEER6, 16);
		ck_assert_bytes(fk.last.receiver_addr, LOCAL6, 16);
		ck_assert(!fk.last.sender_not_peer && !fk.last.sender_addr_zero);
		twr_server_conn_destroy(c);
	}
}
END_TEST

START_TEST(test_request_addresses)
{
	static const uint8_t other[4] = {203, 0, 113, 9};
	struct twr_server_conn *c = conn_new_af(4);
	struct twr_request_session r;
	uint8_t sid[16];

	handshake(c, TWR_MODE_UNAUTHENTICATED);
	/* zero addresses: resolved to the control connection's, flagged */
	req_init(&r, 5000, 1);
	memset(r.sender_addr, 0, 16);
	memset(r.receiver_addr, 0, 16);
	make_sid(sid, LOCAL4, 0x20);
	send_req(c, &r, T0 + 2 * S);
	expect_accept(c, 0, 5000, sid, 0, 0);
	ck_assert_bytes(fk.last.sender_addr, PEER4, 4);
	ck_assert_bytes(fk.last.receiver_addr, LOCAL4, 4);
	ck_assert(fk.last.sender_addr_zero && fk.last.receiver_addr_zero);
	ck_assert(!fk.last.sender_not_peer);
	ck_assert_uint_eq(fk.last.sender_port, 50000);
	ck_assert_uint_eq(fk.last.requested_port, 5000);
	/* a Sender Address that is not the TCP peer: accepted, flagged, counted */
	req_init(&r, 5001, 1);
	memset(r.sid, 0x77, 16); /* MUST be 0; ignored rather than refused */
	memcpy(r.sender_addr, other, 4);
	send_req(c, &r, T0 + 3 * S);
	ck_assert_uint_eq(fk.last.sender_addr[0], 203);
	ck_assert_uint_eq(fk.last.sid[0], 198); /* ours, not the request's */
	ck_assert(fk.last.sender_not_peer && !fk.last.sender_addr_zero);
	ck_assert_uint_eq(twr_server_conn_stats(c)->sender_not_peer, 1);
	ck_assert_uint_eq(twr_server_conn_stats(c)->accepted, 2);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_request_alternate_port)
{
	struct twr_server_conn *c = conn_new_af(4);
	struct twr_request_session r;
	uint8_t sid[16];

	handshake(c, TWR_MODE_UNAUTHENTICATED);
	fk.alt_port = 6000;
	req_init(&r, 5000, 1);
	send_req(c, &r, T0 + 2 * S);
	make_sid(sid, LOCAL4, 0x20);
	/* RFC 8545 §5.1: another port, with Accept 0 */
	expect_accept(c, 0, 6000, sid, 0, 0);
	{
		struct twr_server_action a = expect_act(c, TWR_ACT_SESSION_ADD, -1, 0);

		ck_assert_uint_eq(a.params.port, 6000);
		ck_assert_uint_eq(a.params.requested_port, 5000);
	}
	ck_assert_uint_eq(twr_server_conn_stats(c)->alternate_port, 1);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_request_reserve_refusals)
{
	struct twr_server_conn *c = conn_new_af(4);
	struct twr_request_session r;
	uint8_t code;

	handshake(c, TWR_MODE_UNAUTHENTICATED);
	for (code = 1; code <= 5; code++) {
		fk.code = code;
		req_init(&r, 5000, 1);
		send_req(c, &r, T0 + (2 + code) * S);
		expect_accept(c, code, 0, NULL, 0, 0);
		expect_act(c, TWR_ACT_TIMER, -1, T0 + (902 + code) * S);
		expect_no_act(c); /* nothing reserved, nothing added */
		ck_assert_uint_eq(twr_server_conn_stats(c)->refused[code], 1);
	}
	ck_assert_uint_eq(fk.reserves, 5);
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 0);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);
	twr_server_conn_destroy(c);
}
END_TEST

/* Each protocol check answers Accept 3, Port 0, before asking reserve. */
START_TEST(test_request_not_supported)
{
	struct twr_server_conn *c;
	struct twr_request_session r;
	uint8_t m[112];
	int i;

	for (i = 0; i < 11; i++) {
		setup();
		c = conn_new_af(4);
		handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_REFLECT_OCTETS);
		req_init(&r, 5000, 1);
		switch (i) {
		case 0:
			r.conf_sender = 1;
			break;
		case 1:
			r.conf_receiver = 1;
			break;
		case 2:
			r.schedule_slots = 1;
			break;
		case 3:
			r.packets = 10;
			break;
		case 4:
			r.type_p = 0x40000000; /* PHB-ID form */
			break;
		case 5:
			r.type_p = 0x2e000001; /* stray bit */
			break;
		case 6:
			r.ipvn = 6; /* zero Sender Address in another family */
			memset(r.sender_addr, 0, 16);
			memset(r.receiver_addr, 0xaa, 16);
			break;
		case 7:
			r.ipvn = 6; /* zero Receiver Address in another family */
			memset(r.sender_addr, 0xaa, 16);
			memset(r.receiver_addr, 0, 16);
			break;
		case 8: /* RFC 6038: 27 + L octets cannot fit in 40 */
			r.padding_reflect_len = 14;
			r.padding_length = 40;
			break;
		default:
			break;
		}
		req_put(m, &r);
		if (i == 9)
			m[1] = 5; /* IPVN 5 */
		if (i == 10)
			m[1] = 0; /* IPVN 0 */
		r.octets_reflected = 0;
		twr_put_be16(m + 88, 0xbeef); /* the cookie is echoed even in a refusal */
		feed(c, m, sizeof(m), T0 + 2 * S);
		expect_accept(c, 3, 0, NULL, 0xbeef, 0);
		expect_act(c, TWR_ACT_TIMER, -1, T0 + 902 * S);
		expect_no_act(c);
		ck_assert_uint_eq(fk.reserves, 0);
		ck_assert_uint_eq(twr_server_conn_stats(c)->refused[3], 1);
		twr_server_conn_destroy(c);
	}
	/* the boundary itself passes: 27 + 13 = 40 */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_REFLECT_OCTETS);
	fk.server_octets = 0x1234;
	req_init(&r, 5000, 1);
	r.padding_reflect_len = 13;
	r.padding_length = 40;
	r.octets_reflected = 0xbeef;
	send_req(c, &r, T0 + 2 * S);
	{
		uint8_t sid[16];

		make_sid(sid, LOCAL4, 0x20);
		expect_accept(c, 0, 5000, sid, 0xbeef, 0x1234);
	}
	ck_assert_uint_eq(fk.last.padding_reflect_len, 13);
	ck_assert_uint_eq(fk.last.octets_reflected, 0xbeef);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_request_limits)
{
	struct twr_server_conn *c;
	struct twr_request_session r;
	uint8_t sid[16];

	cfg.max_sessions = 2;
	cfg.max_padding = 100;
	cfg.max_timeout_ns = 2 * S;
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	/* Padding Length above the limit: permanent (4) */
	req_init(&r, 5000, 1);
	r.padding_length = 101;
	send_req(c, &r, T0 + 2 * S);
	expect_accept(c, 4, 0, NULL, 0, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 902 * S);
	expect_no_act(c);
	/* at the limit: fine; Timeout 10 s clamped to 2 s */
	r.padding_length = 100;
	r.timeout = 10 * NTP_1S;
	make_sid(sid, LOCAL4, 0x20);
	send_req(c, &r, T0 + 3 * S);
	expect_accept(c, 0, 5000, sid, 0, 0);
	expect_act(c, TWR_ACT_SESSION_ADD, -1, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 903 * S);
	ck_assert_uint_eq(fk.last.timeout_ns, 2 * S);
	accept_one(c, 5001, 1, T0 + 4 * S, sid);
	/* third: the per-connection table is full, temporary (5) */
	req_init(&r, 5002, 1);
	send_req(c, &r, T0 + 5 * S);
	expect_accept(c, 5, 0, NULL, 0, 0);
	ck_assert_uint_eq(fk.reserves, 2);
	ck_assert_uint_eq(twr_server_conn_stats(c)->refused[4], 1);
	ck_assert_uint_eq(twr_server_conn_stats(c)->refused[5], 1);
	ck_assert_uint_eq(twr_server_conn_stats(c)->requests, 4);
	twr_server_conn_destroy(c);
}
END_TEST

/* ---- commands in the wrong state ---- */

/* Expect @p n REMOVE(reason) then CLOSE(reason), and nothing more. */
static void
expect_close(struct twr_server_conn *c, int n, enum twr_server_reason reason)
{
	uint8_t b = 0;
	int i;

	for (i = 0; i < n; i++)
		expect_act(c, TWR_ACT_SESSION_REMOVE, (int)reason, 0);
	expect_act(c, TWR_ACT_CLOSE, (int)reason, 0);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_CLOSED);
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 0);
	ck_assert_int_eq(twr_server_conn_input(c, &b, 1, T0 + 1000 * S, NTP_NOW), -ENOTCONN);
	twr_server_conn_timer(c, UINT64_MAX - 1);
	twr_server_conn_eof(c, T0);
	expect_no_act(c);
}

/* A base-mode connection with one started session, queues drained. */
static struct twr_server_conn *
testing_conn(uint8_t *sid)
{
	struct twr_server_conn *c = conn_new_af(4);
	const uint8_t *d;

	handshake(c, TWR_MODE_UNAUTHENTICATED);
	accept_one(c, 5000, 1, T0 + 2 * S, sid);
	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, T0 + 3 * S);
	twr_server_conn_tx_consume(c, twr_server_conn_tx_peek(c, &d));
	expect_act(c, TWR_ACT_SESSION_START, -1, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 903 * S);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_TESTING);
	return c;
}

START_TEST(test_wrong_state)
{
	struct twr_request_session r;
	struct twr_server_conn *c;
	uint8_t sid[16];

	/* RFC 4656 §3.4: only Stop-Sessions while testing */
	c = testing_conn(sid);
	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, T0 + 4 * S);
	expect_no_tx(c);
	expect_close(c, 1, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);

	c = testing_conn(sid);
	req_init(&r, 5001, 1);
	send_req(c, &r, T0 + 4 * S);
	expect_no_tx(c);
	expect_close(c, 1, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);

	/* RFC 5357 §3.8: a count that does not match closes */
	c = testing_conn(sid);
	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 2, T0 + 4 * S);
	expect_close(c, 1, TWR_REASON_STOP_COUNT_MISMATCH);
	twr_server_conn_destroy(c);

	/* Stop-Sessions while idle */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	accept_one(c, 5000, 1, T0 + 2 * S, sid);
	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 0, T0 + 4 * S);
	expect_close(c, 1, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);

	/* RFC 5938 §3.1: 2 and 3 are not used with Individual Session Control */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_INDIVIDUAL);
	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, T0 + 4 * S);
	expect_close(c, 0, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_INDIVIDUAL);
	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 0, T0 + 4 * S);
	expect_close(c, 0, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);

	/* and 7 and 9 exist only with it */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	send_sid_list(c, TWR_CMD_START_N_SESSIONS, sid, 1, T0 + 4 * S);
	expect_close(c, 0, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);
	c = testing_conn(sid);
	send_sid_list(c, TWR_CMD_STOP_N_SESSIONS, sid, 1, T0 + 4 * S);
	expect_close(c, 1, TWR_REASON_UNEXPECTED_COMMAND);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_unknown_command)
{
	static const uint8_t cmds[] = {0, 1, 4, 6, 8, 10, 11, 12, 200, 255};
	uint8_t block[16] = {0};
	struct twr_server_conn *c;
	uint8_t sid[16];
	size_t i;

	for (i = 0; i < sizeof(cmds); i++) {
		setup();
		/* half of them while testing: the answer is the same */
		if (i % 2 == 0) {
			c = conn_new_af(4);
			handshake(c, TWR_MODE_UNAUTHENTICATED);
		} else {
			c = testing_conn(sid);
		}
		block[0] = cmds[i];
		/* the first block suffices: its length is unknown, nothing more is read */
		feed(c, block, sizeof(block), T0 + 5 * S);
		expect_accept(c, 3, 0, NULL, 0, 0);
		expect_close(c, i % 2, TWR_REASON_UNKNOWN_COMMAND);
		/* not a Request-TW-Session: not counted as one */
		ck_assert_uint_eq(twr_server_conn_stats(c)->requests, i % 2);
		twr_server_conn_destroy(c);
	}
}
END_TEST

START_TEST(test_eof)
{
	struct twr_request_session r;
	struct twr_server_conn *c;
	uint8_t sid[16], m[112];

	/* between messages */
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	accept_one(c, 5000, 1, T0 + 2 * S, sid);
	accept_one(c, 5001, 1, T0 + 3 * S, sid);
	twr_server_conn_eof(c, T0 + 4 * S);
	expect_close(c, 2, TWR_REASON_PEER_CLOSED);
	twr_server_conn_destroy(c);

	/* in the middle of a request (past its first block, then within it) */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	accept_one(c, 5000, 1, T0 + 2 * S, sid);
	accept_one(c, 5001, 1, T0 + 3 * S, sid);
	req_init(&r, 5002, 1);
	req_put(m, &r);
	feed(c, m, 20, T0 + 4 * S);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 904 * S);
	twr_server_conn_eof(c, T0 + 5 * S);
	expect_close(c, 2, TWR_REASON_PEER_CLOSED_MID_MESSAGE);
	twr_server_conn_destroy(c);

	/* closed from our side: every session removed with our reason */
	setup();
	c = conn_new_af(4);
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	accept_one(c, 5000, 1, T0 + 2 * S, sid);
	accept_one(c, 5001, 1, T0 + 3 * S, sid);
	twr_server_conn_close(c, TWR_REASON_LOCAL_CLOSE);
	expect_close(c, 2, TWR_REASON_LOCAL_CLOSE);
	twr_server_conn_destroy(c);

	setup();
	c = conn_new_af(4);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	feed(c, m, 3, T0 + 1); /* part of a Set-Up-Response */
	twr_server_conn_eof(c, T0 + 2);
	expect_close(c, 0, TWR_REASON_PEER_CLOSED_MID_MESSAGE);
	twr_server_conn_destroy(c);
}
END_TEST

/* ---- timers ---- */

START_TEST(test_handshake_timeout)
{
	struct twr_server_conn *c = conn_new_af(4);

	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	twr_server_conn_timer(c, T0 + 30 * S - 1);
	expect_no_act(c);
	twr_server_conn_timer(c, T0 + 30 * S);
	expect_close(c, 0, TWR_REASON_HANDSHAKE_TIMEOUT);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_servwait)
{
	uint8_t part[10] = {TWR_CMD_REQUEST_TW_SESSION};
	struct twr_server_conn *c = conn_new_af(4);
	uint64_t t1 = handshake(c, TWR_MODE_UNAUTHENTICATED);

	twr_server_conn_timer(c, t1 + 900 * S - 1);
	expect_no_act(c);
	/* any octet, even of an unfinished message, is "something arrived" */
	feed(c, part, sizeof(part), t1 + 500 * S);
	expect_act(c, TWR_ACT_TIMER, -1, t1 + 1400 * S);
	twr_server_conn_timer(c, t1 + 900 * S);
	expect_no_act(c);
	ck_assert_uint_eq(twr_server_conn_deadline(c), t1 + 1400 * S);
	twr_server_conn_timer(c, t1 + 1400 * S);
	expect_close(c, 0, TWR_REASON_SERVWAIT);
	twr_server_conn_destroy(c);
}
END_TEST

/* SERVWAIT is suspended while testing and resumes once every session hit REFWAIT. */
START_TEST(test_servwait_suspended)
{
	struct twr_server_conn *c;
	uint64_t t3 = T0 + 3 * S;
	uint8_t sid[16];

	cfg.servwait_ns = 600 * S;
	cfg.refwait_ns = 900 * S;
	c = conn_new_af(4);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	send_setup(c, TWR_MODE_UNAUTHENTICATED, T0 + S);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 601 * S);
	make_sid(sid, LOCAL4, 0x20);
	{
		struct twr_request_session r;

		req_init(&r, 5000, 1);
		send_req(c, &r, T0 + 2 * S);
	}
	expect_act(c, TWR_ACT_SESSION_ADD, -1, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 602 * S);
	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, t3);
	expect_act(c, TWR_ACT_SESSION_START, -1, 0);
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 900 * S);
	/* past SERVWAIT: nothing, the session is live */
	twr_server_conn_timer(c, t3 + 700 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_TESTING);
	/* REFWAIT: removed; SERVWAIT resumes from now */
	twr_server_conn_timer(c, t3 + 900 * S);
	expect_sid_act(c, TWR_ACT_SESSION_REMOVE, TWR_REASON_REFWAIT, 0, sid);
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 1500 * S);
	expect_no_act(c);
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 0);
	ck_assert_int_eq(twr_server_conn_test_activity(c, sid, t3 + 901 * S), -ENOENT);
	twr_server_conn_timer(c, t3 + 1500 * S);
	expect_close(c, 0, TWR_REASON_SERVWAIT); /* no second REMOVE for it */
	ck_assert_uint_eq(twr_server_conn_stats(c)->removed[TWR_REASON_REFWAIT], 1);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_refwait)
{
	uint8_t sid[16], unknown[16] = {1};
	struct twr_server_conn *c = testing_conn(sid);
	uint64_t t3 = T0 + 3 * S;

	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_test_activity(c, unknown, t3 + 5 * S), -ENOENT);
	ck_assert_int_eq(twr_server_conn_test_activity(c, sid, t3 + 100 * S), 0);
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 1000 * S);
	twr_server_conn_timer(c, t3 + 900 * S);
	expect_no_act(c);
	twr_server_conn_timer(c, t3 + 1000 * S);
	expect_sid_act(c, TWR_ACT_SESSION_REMOVE, TWR_REASON_REFWAIT, 0, sid);
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 1900 * S);
	expect_no_act(c);
	/* the client still counts it: Stop-Sessions 1 is right, frees it, no STOP */
	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 1, t3 + 1001 * S);
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 1901 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);
	/* Start with no session: Start-Ack, testing; Stop 0 ends it */
	send_cmd32(c, TWR_CMD_START_SESSIONS, 0, t3 + 1002 * S);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_TESTING);
	send_cmd32(c, TWR_CMD_STOP_SESSIONS, 0, t3 + 1003 * S);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);
	twr_server_conn_close(c, TWR_REASON_LOCAL_CLOSE);
	/* two deadlines (Start, Stop) but one TIMER: an unread one is updated in place */
	expect_act(c, TWR_ACT_TIMER, -1, t3 + 1903 * S);
	expect_close(c, 0, TWR_REASON_LOCAL_CLOSE);
	twr_server_conn_destroy(c);
}
END_TEST

/* ---- Individual Session Control ---- */

START_TEST(test_individual)
{
	uint8_t sid[3][16], list[4 * 16], unknown[16] = {0xee};
	struct twr_server_conn *c = conn_new_af(4);
	uint64_t t = T0 + 10 * S;
	int i;

	handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_INDIVIDUAL);
	for (i = 0; i < 3; i++)
		accept_one(c, (uint16_t)(5000 + i), (uint64_t)i + 1, T0 + (uint64_t)(2 + i) * S,
			   sid[i]);
	/* Start-N of sid0, unknown, sid1: two acks grouped by Accept (RFC 5938 §3.3) */
	memcpy(list, sid[0], 16);
	memcpy(list + 16, unknown, 16);
	memcpy(list + 32, sid[1], 16);
	send_sid_list(c, TWR_CMD_START_N_SESSIONS, list, 3, t);
	memcpy(list + 16, sid[1], 16);
	expect_sid_ack(c, TWR_CMD_START_N_ACK, 0, list, 2);
	expect_sid_ack(c, TWR_CMD_START_N_ACK, 1, unknown, 1);
	expect_sid_act(c, TWR_ACT_SESSION_START, -1, 0, sid[0]);
	expect_sid_act(c, TWR_ACT_SESSION_START, -1, 0, sid[1]);
	expect_act(c, TWR_ACT_TIMER, -1, t + 900 * S);
	expect_no_act(c);
	ck_assert_int_eq(twr_server_conn_state(c), TWR_SRV_IDLE);

	/* order of first appearance: a refused SID first gives the Accept 1 ack first */
	memcpy(list, sid[0], 16); /* already started */
	memcpy(list + 16, sid[2], 16);
	send_sid_list(c, TWR_CMD_START_N_SESSIONS, list, 2, t + S);
	expect_sid_ack(c, TWR_CMD_START_N_ACK, 1, sid[0], 1);
	expect_sid_ack(c, TWR_CMD_START_N_ACK, 0, sid[2], 1);
	expect_sid_act(c, TWR_ACT_SESSION_START, -1, 0, sid[2]);
	expect_no_act(c);

	/* a request while sessions run is fine in this mode; SERVWAIT stays suspended */
	{
		struct twr_request_session r;
		uint8_t s4[16];

		req_init(&r, 5003, 1);
		make_sid(s4, LOCAL4, fk.next);
		send_req(c, &r, t + 2 * S);
		expect_accept(c, 0, 5003, s4, 0, 0);
		expect_sid_act(c, TWR_ACT_SESSION_ADD, -1, 0, s4);
		expect_no_act(c);
	}

	/* Stop-N of sid1 and the unknown: one STOP, two acks */
	memcpy(list, sid[1], 16);
	memcpy(list + 16, unknown, 16);
	send_sid_list(c, TWR_CMD_STOP_N_SESSIONS, list, 2, t + 3 * S);
	expect_sid_ack(c, TWR_CMD_STOP_N_ACK, 0, sid[1], 1);
	expect_sid_ack(c, TWR_CMD_STOP_N_ACK, 1, unknown, 1);
	expect_sid_act(c, TWR_ACT_SESSION_STOP, -1, t + 5 * S, sid[1]);
	expect_act(c, TWR_ACT_TIMER, -1, t + 5 * S); /* the drain comes before any REFWAIT */
	expect_no_act(c);
	/* stopping it again: Accept 1 */
	send_sid_list(c, TWR_CMD_STOP_N_SESSIONS, sid[1], 1, t + 4 * S);
	expect_sid_ack(c, TWR_CMD_STOP_N_ACK, 1, sid[1], 1);
	expect_no_act(c);
	twr_server_conn_timer(c, t + 5 * S);
	expect_sid_act(c, TWR_ACT_SESSION_REMOVE, TWR_REASON_DRAINED, 0, sid[1]);
	expect_act(c, TWR_ACT_TIMER, -1, t + 900 * S); /* sid0's REFWAIT */
	expect_no_act(c);
	ck_assert_uint_eq(twr_server_conn_nb_sessions(c), 3);
	twr_server_conn_eof(c, t + 6 * S);
	expect_close(c, 3, TWR_REASON_PEER_CLOSED);
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_individual_bad_count)
{
	uint8_t m[32] = {TWR_CMD_START_N_SESSIONS};
	struct twr_server_conn *c;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		setup();
		c = conn_new_af(4);
		handshake(c, TWR_MODE_UNAUTHENTICATED | TWR_MODE_INDIVIDUAL);
		/* N = 0, or N above max_sessions: the length cannot be trusted */
		twr_put_be32(m + 12, pass == 0 ? 0 : cfg.max_sessions + 1);
		feed(c, m, 16, T0 + 2 * S);
		expect_no_tx(c);
		expect_close(c, 0, TWR_REASON_BAD_MESSAGE);
		twr_server_conn_destroy(c);
	}
}
END_TEST

/* ---- send queue ---- */

START_TEST(test_tx_overflow)
{
	struct twr_request_session r;
	struct twr_server_conn *c;
	uint8_t sid[16];

	cfg.max_sessions = 2;
	cfg.max_tx_queue = 64 + 48 + 48; /* greeting, Server-Start, one Accept-Session */
	c = conn_new_af(4);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 30 * S);
	send_setup(c, TWR_MODE_UNAUTHENTICATED, T0 + S);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 901 * S);
	req_init(&r, 5000, 1);
	send_req(c, &r, T0 + 2 * S);
	expect_act(c, TWR_ACT_SESSION_ADD, -1, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 902 * S);
	/* the peer never reads: the next answer does not fit; nothing is reserved for it */
	send_req(c, &r, T0 + 3 * S);
	expect_close(c, 1, TWR_REASON_TX_OVERFLOW);
	ck_assert_uint_eq(fk.reserves, 1);
	ck_assert_uint_eq(twr_server_conn_stats(c)->bytes_out, 160);
	(void)sid;
	twr_server_conn_destroy(c);
}
END_TEST

START_TEST(test_tx_partial)
{
	struct twr_server_conn *c = conn_new_af(4);
	const uint8_t *d, *start;
	uint8_t greeting[64];

	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &start), 64);
	memcpy(greeting, start, 64);
	twr_server_conn_tx_consume(c, 10);
	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), 54);
	ck_assert_bytes(d, greeting + 10, 54);
	/* more data queued behind a partly written message keeps its order */
	send_setup(c, TWR_MODE_UNAUTHENTICATED, T0 + S);
	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), 54 + 48);
	ck_assert_bytes(d, greeting + 10, 54);
	ck_assert_uint_eq(twr_get_be32(d + 54 + 32), NTP_START >> 32);
	twr_server_conn_tx_consume(c, 1000); /* more than queued: clamped */
	ck_assert_uint_eq(twr_server_conn_tx_peek(c, &d), 0);
	twr_server_conn_destroy(c);
}
END_TEST

/* ---- configuration and arguments ---- */

START_TEST(test_config)
{
	struct twr_server_config k;
	struct twr_conn_addrs a = {.ipvn = 4};

	twr_server_config_defaults(&k);
	ck_assert_int_eq(twr_server_config_check(&k), 0);
	ck_assert_uint_eq(k.modes, 0x171);
	ck_assert_uint_eq(k.servwait_ns, 900 * S);
	ck_assert_uint_eq(k.refwait_ns, 900 * S);
	ck_assert_uint_eq(k.handshake_ns, 30 * S);
	ck_assert_uint_eq(k.max_sessions, 64);
	ck_assert_uint_eq(k.max_tx_queue, 16384);
	ck_assert_int_eq(twr_server_config_check(NULL), -EINVAL);
#define REFUSE(field, value, err)                                                                  \
	do {                                                                                       \
		twr_server_config_defaults(&k);                                                    \
		k.field = value;                                                                   \
		ck_assert_int_eq(twr_server_config_check(&k), err);                                \
	} while (0)
	REFUSE(modes, TWR_MODE_UNAUTHENTICATED | TWR_MODE_AUTHENTICATED, -ENOTSUP);
	REFUSE(modes, TWR_MODE_UNAUTHENTICATED | TWR_MODE_PTP, -ENOTSUP);
	REFUSE(modes, TWR_MODE_UNAUTHENTICATED | 0x400, -ENOTSUP);
	REFUSE(modes, TWR_MODE_INDIVIDUAL, -ERANGE);
	REFUSE(count, 512, -ERANGE);
	REFUSE(count, 3072, -ERANGE);
	REFUSE(count, 0, -ERANGE);
	REFUSE(max_sessions, 0, -ERANGE);
	REFUSE(max_sessions, TWR_SERVER_MAX_SESSIONS + 1, -ERANGE);
	REFUSE(max_sessions, 2000, -ERANGE); /* acks of 2000 SIDs exceed 16 KiB */
	REFUSE(servwait_ns, 0, -ERANGE);
	REFUSE(refwait_ns, 0, -ERANGE);
	REFUSE(handshake_ns, 0, -ERANGE);
	REFUSE(max_tx_queue, 111, -ERANGE);
	REFUSE(modes, 0, 0);
	REFUSE(count, 32768, 0);
#undef REFUSE
	k.count = 1000;
	errno = 0;
	ck_assert_ptr_null(twr_server_conn_create(&k, &fake_ops, &fk, &a, T0));
	ck_assert_int_eq(errno, ERANGE);
	twr_server_config_defaults(&k);
	a.ipvn = 5;
	ck_assert_ptr_null(twr_server_conn_create(&k, &fake_ops, &fk, &a, T0));
	ck_assert_int_eq(errno, EINVAL);
	a.ipvn = 4;
	ck_assert_ptr_null(twr_server_conn_create(&k, NULL, &fk, &a, T0));
	ck_assert_int_eq(errno, EINVAL);
	fk.random_err = -EIO;
	ck_assert_ptr_null(twr_server_conn_create(&k, &fake_ops, &fk, &a, T0));
	ck_assert_int_eq(errno, EIO);
}
END_TEST

START_TEST(test_misc_api)
{
	struct twr_server_conn *c = conn_new_af(4);
	struct twr_server_action a;
	uint8_t sid[16] = {0};

	ck_assert_str_eq(twr_server_reason_str(TWR_REASON_DRAINED), "stop timeout elapsed");
	ck_assert_str_eq(twr_server_reason_str(TWR_REASON_NO_MEMORY), "out of memory");
	ck_assert_str_eq(twr_server_reason_str(TWR_REASON_MAX), "unknown");
	ck_assert_int_eq(twr_server_conn_input(NULL, sid, 1, 0, 0), -EINVAL);
	ck_assert_int_eq(twr_server_conn_input(c, NULL, 1, 0, 0), -EINVAL);
	ck_assert_int_eq(twr_server_conn_input(c, NULL, 0, 0, 0), 0);
	ck_assert_int_eq(twr_server_conn_action_pop(c, NULL), -EINVAL);
	ck_assert_int_eq(twr_server_conn_action_pop(NULL, &a), -EINVAL);
	ck_assert_int_eq(twr_server_conn_test_activity(NULL, sid, 0), -EINVAL);
	ck_assert_uint_eq(twr_server_conn_deadline(NULL), UINT64_MAX);
	ck_assert_int_eq(twr_server_conn_state(NULL), TWR_SRV_CLOSED);
	ck_assert_ptr_null(twr_server_conn_stats(NULL));
	/* random failing when a SID is built: Accept 2 (internal), nothing added */
	handshake(c, TWR_MODE_UNAUTHENTICATED);
	fk.random_err = -EIO;
	{
		struct twr_request_session r;

		req_init(&r, 5000, 1);
		send_req(c, &r, T0 + 2 * S);
	}
	expect_accept(c, 2, 0, NULL, 0, 0);
	expect_act(c, TWR_ACT_TIMER, -1, T0 + 902 * S);
	expect_no_act(c);
	ck_assert_uint_eq(fk.reserves, 0);
	twr_server_conn_destroy(c);
	twr_server_conn_destroy(NULL);
}
END_TEST

static Suite *
server_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = tcase_create("server");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_greeting_vector);
	tcase_add_test(tc, test_modes_zero);
	tcase_add_test(tc, test_setup_refusals);
	tcase_add_test(tc, test_happy_path);
	tcase_add_test(tc, test_chunking);
	tcase_add_test(tc, test_request_ipv6);
	tcase_add_test(tc, test_request_addresses);
	tcase_add_test(tc, test_request_alternate_port);
	tcase_add_test(tc, test_request_reserve_refusals);
	tcase_add_test(tc, test_request_not_supported);
	tcase_add_test(tc, test_request_limits);
	tcase_add_test(tc, test_wrong_state);
	tcase_add_test(tc, test_unknown_command);
	tcase_add_test(tc, test_eof);
	tcase_add_test(tc, test_handshake_timeout);
	tcase_add_test(tc, test_servwait);
	tcase_add_test(tc, test_servwait_suspended);
	tcase_add_test(tc, test_refwait);
	tcase_add_test(tc, test_individual);
	tcase_add_test(tc, test_individual_bad_count);
	tcase_add_test(tc, test_tx_overflow);
	tcase_add_test(tc, test_tx_partial);
	tcase_add_test(tc, test_config);
	tcase_add_test(tc, test_misc_api);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(server_suite)
