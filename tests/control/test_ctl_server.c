/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The TWAMP-Control server on loopback, against TCP clients written here
 * with the lib/proto encoders: a whole conversation with byte-exact
 * answers, many connections at once, a connection killed mid-session,
 * connection limits, a refusal drained before the close, fragmented input,
 * IPv6. The server is polled in the test's thread: every client step
 * pumps it until the answer arrives.
 */

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "check_eal_main.h"
#include "check_main.h"
#include "twr_ctl_server.h"
#include "twr_session_mgr.h"
#include "twr_session_table.h"
#include "twr_time.h"
#include "twr_wire.h"

#define S	   1000000000ull
#define MS	   1000000ull
#define WAIT_MS	   3000 /* longest wait for an answer */
#define NTP_START  0xe8fe6f8000000000ull
#define NB_CLIENTS 8

static struct twr_session_table *tbl;
static struct twr_session_mgr *mgr;
static struct twr_ctl_server *srv;
static struct twr_session_mgr_config mcfg;
static struct twr_ctl_server_config scfg;
static unsigned int table_seq;

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * S + (uint64_t)ts.tv_nsec;
}

static void
v4mapped(uint8_t a[16], const char *ip)
{
	memset(a, 0, 16);
	a[10] = 0xff;
	a[11] = 0xff;
	ck_assert_int_eq(inet_pton(AF_INET, ip, a + 12), 1);
}

static void
cfg_reset(void)
{
	twr_session_mgr_config_defaults(&mcfg);
	mcfg.port_lo = 20000;
	mcfg.port_hi = 20099;
	twr_ctl_server_config_defaults(&scfg);
	scfg.port = 0;
	v4mapped(scfg.binds[0], "127.0.0.1");
	scfg.nb_binds = 1;
	scfg.proto.start_time = NTP_START;
	scfg.linger_ms = 200;
}

static void
srv_start(void)
{
	char name[16];

	snprintf(name, sizeof(name), "ctl%u", table_seq++);
	tbl = twr_session_table_create(name, 256, 1, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(tbl);
	mgr = twr_session_mgr_create(&mcfg, tbl);
	ck_assert_ptr_nonnull(mgr);
	srv = twr_ctl_server_create(&scfg, mgr);
	ck_assert_ptr_nonnull(srv);
	ck_assert_uint_ne(twr_ctl_server_port(srv, 4), 0);
}

static void
srv_stop(void)
{
	twr_ctl_server_free(srv);
	twr_session_mgr_free(mgr);
	twr_session_table_free(tbl);
	srv = NULL;
}

static void
pump(void)
{
	twr_ctl_server_poll(srv, mono_ns());
	twr_session_table_reclaim(tbl);
}

/* Poll the server for @p ms. */
static void
pump_for(unsigned int ms)
{
	uint64_t end = mono_ns() + ms * MS;

	while (mono_ns() < end) {
		pump();
		rte_delay_us_sleep(500);
	}
}

static struct twr_session_mgr_stats
mstats(void)
{
	struct twr_session_mgr_stats st;

	ck_assert_int_eq(twr_session_mgr_stats_get(mgr, &st), 0);
	return st;
}

static struct twr_ctl_server_stats
sstats(void)
{
	struct twr_ctl_server_stats st;

	ck_assert_int_eq(twr_ctl_server_stats_get(srv, &st), 0);
	return st;
}

/* Poll until @p cond holds, at most WAIT_MS. */
#define pump_until(cond)                                                                           \
	do {                                                                                       \
		uint64_t end_ = mono_ns() + WAIT_MS * MS;                                          \
		while (!(cond) && mono_ns() < end_) {                                              \
			pump();                                                                    \
			rte_delay_us_sleep(200);                                                   \
		}                                                                                  \
		ck_assert_msg(cond, "timed out waiting for " #cond);                               \
	} while (0)

/* ---- the client ---- */

static int
client_connect(int family, const char *src, const char *dst)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = family == AF_INET ? sizeof(*s4) : sizeof(*s6);
	int fd = socket(family, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	if (src != NULL) {
		memset(&ss, 0, sizeof(ss));
		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, src, &s4->sin_addr), 1);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	}
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		ck_assert_int_eq(inet_pton(AF_INET, dst, &s4->sin_addr), 1);
		s4->sin_port = htons(twr_ctl_server_port(srv, 4));
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, dst, &s6->sin6_addr), 1);
		s6->sin6_port = htons(twr_ctl_server_port(srv, 6));
	}
	/* the kernel completes the handshake before the server accepts */
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&ss, len), 0);
	return fd;
}

static void
client_send(int fd, const uint8_t *m, size_t len)
{
	ck_assert_int_eq(send(fd, m, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Read exactly @p len octets, pumping the server meanwhile. */
static void
client_read(int fd, uint8_t *buf, size_t len)
{
	uint64_t end = mono_ns() + WAIT_MS * MS;
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = recv(fd, buf + got, len - got, MSG_DONTWAIT);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		ck_assert_msg(r < 0 && errno == EAGAIN, "recv: %zd (%s) after %zu octets", r,
			      r < 0 ? strerror(errno) : "EOF", got);
		ck_assert_msg(mono_ns() < end, "timed out after %zu of %zu octets", got, len);
		pump();
		rte_delay_us_sleep(200);
	}
}

/* The server closed: EOF after nothing more. */
static void
client_expect_eof(int fd)
{
	uint64_t end = mono_ns() + WAIT_MS * MS;
	uint8_t b;
	ssize_t r;

	for (;;) {
		r = recv(fd, &b, 1, MSG_DONTWAIT);
		if (r == 0)
			return;
		ck_assert_msg(r < 0 && errno == EAGAIN, "expected EOF, got %zd", r);
		ck_assert_msg(mono_ns() < end, "no EOF");
		pump();
		rte_delay_us_sleep(200);
	}
}

static void
client_no_data(int fd)
{
	uint8_t b;

	pump_for(20);
	ck_assert_int_eq(recv(fd, &b, 1, MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
}

/* Greeting (checked byte-exact but for its random Challenge and Salt), Set-Up, Server-Start. */
static void
client_handshake(int fd, uint32_t mode)
{
	struct twr_server_greeting g;
	struct twr_server_start st;
	uint8_t buf[64], want[64], setup[TWR_SETUP_RESPONSE_LEN] = {0};

	client_read(fd, buf, 64);
	ck_assert_int_eq(twr_server_greeting_decode(buf, 64, &g), 0);
	ck_assert_uint_eq(g.modes, TWR_MODE_UNAUTHENTICATED | TWR_SERVER_FEATURES);
	ck_assert_uint_eq(g.count, 1024);
	ck_assert_int_eq(twr_server_greeting_encode(&g, want, sizeof(want)), 64);
	ck_assert_bytes(buf, want, 64);
	twr_put_be32(setup, mode);
	client_send(fd, setup, sizeof(setup));
	client_read(fd, buf, 48);
	memset(&st, 0, sizeof(st));
	st.start_time = NTP_START;
	ck_assert_int_eq(twr_server_start_encode(&st, want, sizeof(want)), 48);
	ck_assert_bytes(buf, want, 48);
}

static void
req4(struct twr_request_session *r, uint16_t sender_port, uint16_t port)
{
	memset(r, 0, sizeof(*r));
	r->ipvn = 4;
	r->sender_port = sender_port;
	r->receiver_port = port;
	r->padding_length = 27;
	r->timeout = 1ull << 32; /* 1 s */
	r->type_p = 0x2e000000;
}

static void
client_request(int fd, const struct twr_request_session *r)
{
	uint8_t m[TWR_REQUEST_TW_SESSION_LEN];

	ck_assert_int_eq(twr_request_session_encode(r, m, sizeof(m)), 112);
	client_send(fd, m, sizeof(m));
}

/*
 * Read an Accept-Session: byte-exact for @p accept and @p port, with a SID
 * of @p sid_ip, a time within 5 s of now and 4 random octets.
 */
static void
client_accept(int fd, uint8_t accept, uint16_t port, const uint8_t sid_ip[4], uint8_t *sid)
{
	struct twr_accept_session a;
	uint8_t buf[48], want[48];
	struct timespec ts;
	uint64_t now_ntp;
	int64_t d;

	client_read(fd, buf, 48);
	ck_assert_int_eq(twr_accept_session_decode(buf, 48, &a), 0);
	memset(&a, 0, sizeof(a));
	a.accept = accept;
	a.port = port;
	if (accept == TWR_ACCEPT_OK) {
		memcpy(a.sid, buf + 4, TWR_SID_LEN);
		ck_assert_bytes(a.sid, sid_ip, 4);
		clock_gettime(CLOCK_REALTIME, &ts);
		now_ntp = twr_ntp_from_timespec(&ts);
		d = twr_ntp_diff_ns(now_ntp, twr_get_be64(a.sid + 4));
		ck_assert_msg(d >= 0 && d < (int64_t)(5 * S), "SID time %lld ns ago", (long long)d);
	}
	ck_assert_int_eq(twr_accept_session_encode(&a, want, sizeof(want)), 48);
	ck_assert_bytes(buf, want, 48);
	if (sid != NULL)
		memcpy(sid, a.sid, TWR_SID_LEN);
}

/* The port of an Accept 0 whose port the test does not know. */
static uint16_t
client_accept_any(int fd, uint8_t *sid)
{
	struct twr_accept_session a;
	uint8_t buf[48];

	client_read(fd, buf, 48);
	ck_assert_int_eq(twr_accept_session_decode(buf, 48, &a), 0);
	ck_assert_uint_eq(a.accept, 0);
	if (sid != NULL)
		memcpy(sid, a.sid, TWR_SID_LEN);
	return a.port;
}

static void
client_start(int fd)
{
	static const uint8_t start[32] = {TWR_CMD_START_SESSIONS};
	static const uint8_t ack[32] = {0};
	uint8_t buf[32];

	client_send(fd, start, sizeof(start));
	client_read(fd, buf, 32);
	ck_assert_bytes(buf, ack, 32);
}

static void
client_stop(int fd, uint32_t n)
{
	uint8_t stop[32] = {TWR_CMD_STOP_SESSIONS};

	twr_put_be32(stop + 4, n);
	client_send(fd, stop, sizeof(stop));
}

static struct twr_session *
find4(const char *local, uint16_t port, const char *remote, uint16_t rport)
{
	struct twr_session_key k;

	memset(&k, 0, sizeof(k));
	v4mapped(k.local_addr, local);
	v4mapped(k.remote_addr, remote);
	k.local_port = port;
	k.remote_port = rport;
	return twr_session_table_find_exact(tbl, &k);
}

static uint8_t
run_state(const struct twr_session *s)
{
	return __atomic_load_n(&s->run_state, __ATOMIC_ACQUIRE);
}

static const uint8_t LO4[4] = {127, 0, 0, 1};

START_TEST(test_conversation)
{
	struct twr_request_session r;
	struct twr_session *s;
	uint64_t t0, hz = rte_get_tsc_hz();
	int fd;

	cfg_reset();
	srv_start();
	fd = client_connect(AF_INET, NULL, "127.0.0.1");
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	pump_until(mstats().conns_open == 1);
	/* explicit addresses; the Receiver Port requested is in the pool and free */
	req4(&r, 50000, 20005);
	memcpy(r.sender_addr, LO4, 4);
	memcpy(r.receiver_addr, LO4, 4);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20005, LO4, NULL);
	s = find4("127.0.0.1", 20005, "127.0.0.1", 50000);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(run_state(s), TWR_SESSION_PENDING);
	ck_assert_uint_eq(s->dscp, 46);
	/* published STARTED before the Start-Ack left */
	client_start(fd);
	ck_assert_uint_eq(run_state(s), TWR_SESSION_STARTED);
	/* Stop-Sessions: no answer, reflect for the 1 s Timeout */
	t0 = rte_rdtsc();
	client_stop(fd, 1);
	pump_until(run_state(s) == TWR_SESSION_STOPPING);
	ck_assert_uint_ge(s->expire_tsc, t0 + hz - hz / 10);
	ck_assert_uint_le(s->expire_tsc, rte_rdtsc() + hz);
	client_no_data(fd);
	/* then removed (DRAINED), the connection still open */
	pump_until(find4("127.0.0.1", 20005, "127.0.0.1", 50000) == NULL);
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_DRAINED], 1);
	ck_assert_uint_eq(mstats().ports_in_use, 0);
	ck_assert_uint_eq(sstats().conns, 1);
	close(fd);
	pump_until(sstats().conns == 0);
	ck_assert_uint_eq(mstats().conns_closed[TWR_REASON_PEER_CLOSED], 1);
	ck_assert_uint_eq(mstats().requests, 1);
	ck_assert_uint_eq(mstats().accepted, 1);
	ck_assert_uint_eq(mstats().sessions_started, 1);
	ck_assert_uint_eq(mstats().sessions_stopped, 1);
	srv_stop();
}
END_TEST

START_TEST(test_concurrent)
{
	int fd[NB_CLIENTS];
	uint16_t ports[NB_CLIENTS][2];
	struct twr_request_session r;
	struct twr_session *s;
	unsigned int i, j, k;

	cfg_reset();
	srv_start();
	for (i = 0; i < NB_CLIENTS; i++)
		fd[i] = client_connect(AF_INET, NULL, "127.0.0.1");
	for (i = 0; i < NB_CLIENTS; i++)
		client_handshake(fd[i], TWR_MODE_UNAUTHENTICATED | TWR_MODE_INDIVIDUAL);
	/* twping -Z: zero addresses, Receiver Port = the client's own port (outside the pool) */
	for (i = 0; i < NB_CLIENTS; i++)
		for (j = 0; j < 2; j++) {
			req4(&r, (uint16_t)(40000 + 2 * i + j), (uint16_t)(40000 + 2 * i + j));
			client_request(fd[i], &r);
		}
	for (i = 0; i < NB_CLIENTS; i++)
		for (j = 0; j < 2; j++)
			ports[i][j] = client_accept_any(fd[i], NULL);
	for (i = 0; i < NB_CLIENTS * 2; i++)
		for (k = i + 1; k < NB_CLIENTS * 2; k++)
			ck_assert_uint_ne(ports[i / 2][i % 2], ports[k / 2][k % 2]);
	for (i = 0; i < NB_CLIENTS; i++)
		for (j = 0; j < 2; j++) {
			ck_assert_uint_ge(ports[i][j], 20000);
			ck_assert_uint_le(ports[i][j], 20099);
			s = find4("127.0.0.1", ports[i][j], "127.0.0.1",
				  (uint16_t)(40000 + 2 * i + j));
			ck_assert_ptr_nonnull(s);
		}
	ck_assert_uint_eq(mstats().sessions_active, 2 * NB_CLIENTS);
	ck_assert_uint_eq(mstats().alternate_port, 2 * NB_CLIENTS);
	ck_assert_uint_eq(sstats().conns, NB_CLIENTS);
	for (i = 0; i < NB_CLIENTS; i++)
		close(fd[i]);
	pump_until(sstats().conns == 0);
	ck_assert_uint_eq(mstats().sessions_active, 0);
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_PEER_CLOSED], 2 * NB_CLIENTS);
	ck_assert_uint_eq(mstats().conns_opened, NB_CLIENTS);
	srv_stop();
}
END_TEST

START_TEST(test_killed_mid_session)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	struct twr_request_session r;
	int fd, fd2;

	cfg_reset();
	srv_start();
	fd = client_connect(AF_INET, NULL, "127.0.0.1");
	fd2 = client_connect(AF_INET, NULL, "127.0.0.1");
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	client_handshake(fd2, TWR_MODE_UNAUTHENTICATED);
	req4(&r, 50000, 20010);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20010, LO4, NULL);
	req4(&r, 50001, 20011);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20011, LO4, NULL);
	client_start(fd);
	req4(&r, 50002, 20012);
	client_request(fd2, &r);
	client_accept(fd2, TWR_ACCEPT_OK, 20012, LO4, NULL);
	client_start(fd2);
	ck_assert_uint_eq(mstats().sessions_active, 3);
	/* killed: a reset */
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0);
	close(fd);
	pump_until(mstats().sessions_active == 1);
	ck_assert_ptr_null(find4("127.0.0.1", 20010, "127.0.0.1", 50000));
	ck_assert_ptr_null(find4("127.0.0.1", 20011, "127.0.0.1", 50001));
	ck_assert_ptr_nonnull(find4("127.0.0.1", 20012, "127.0.0.1", 50002));
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_PEER_CLOSED], 2);
	ck_assert_uint_eq(sstats().conns, 1);
	/* closed in the middle of a message: removed too, under their own reason */
	client_send(fd2, (const uint8_t *)"\x05\x04", 2);
	pump_for(20);
	close(fd2);
	pump_until(mstats().sessions_active == 0);
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_PEER_CLOSED_MID_MESSAGE], 1);
	pump_until(sstats().conns == 0);
	ck_assert_uint_eq(mstats().conns_closed[TWR_REASON_PEER_CLOSED_MID_MESSAGE], 1);
	srv_stop();
}
END_TEST

/* A refused connection sees a Server-Greeting with Modes 0, then EOF. */
static void
client_expect_refused(int fd)
{
	struct twr_server_greeting g;
	uint8_t buf[64];

	client_read(fd, buf, 64);
	ck_assert_int_eq(twr_server_greeting_decode(buf, 64, &g), 0);
	ck_assert_uint_eq(g.modes, 0);
	client_expect_eof(fd);
}

START_TEST(test_conn_limits)
{
	int a, b, c, d, e, f;

	cfg_reset();
	mcfg.max_conns = 3;
	mcfg.max_conns_per_source = 2;
	srv_start();
	a = client_connect(AF_INET, "127.0.0.1", "127.0.0.1");
	b = client_connect(AF_INET, "127.0.0.1", "127.0.0.1");
	client_handshake(a, TWR_MODE_UNAUTHENTICATED);
	client_handshake(b, TWR_MODE_UNAUTHENTICATED);
	c = client_connect(AF_INET, "127.0.0.1", "127.0.0.1");
	client_expect_refused(c);
	ck_assert_uint_eq(mstats().conns_refused[TWR_MGR_CONN_REFUSE_SOURCE_LIMIT], 1);
	d = client_connect(AF_INET, "127.0.0.2", "127.0.0.1");
	client_handshake(d, TWR_MODE_UNAUTHENTICATED);
	e = client_connect(AF_INET, "127.0.0.3", "127.0.0.1");
	client_expect_refused(e);
	ck_assert_uint_eq(mstats().conns_refused[TWR_MGR_CONN_REFUSE_CONN_LIMIT], 1);
	ck_assert_uint_eq(sstats().refused, 2);
	ck_assert_uint_eq(sstats().conns, 3);
	/* a place freed is a place for the next */
	close(a);
	pump_until(sstats().conns == 2);
	f = client_connect(AF_INET, "127.0.0.3", "127.0.0.1");
	client_handshake(f, TWR_MODE_UNAUTHENTICATED);
	close(b);
	close(c);
	close(d);
	close(e);
	close(f);
	pump_until(sstats().conns == 0);
	srv_stop();
}
END_TEST

START_TEST(test_refusals_and_close)
{
	struct twr_request_session r;
	uint8_t unknown[32] = {TWR_CMD_FORBIDDEN};
	int fd;

	cfg_reset();
	mcfg.port_hi = 20000; /* a pool of one port */
	scfg.proto.max_sessions = 2;
	srv_start();
	fd = client_connect(AF_INET, NULL, "127.0.0.1");
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	req4(&r, 50000, 20000);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20000, LO4, NULL);
	/* pool exhausted: Accept 5, Port 0; the connection stays */
	req4(&r, 50001, 20000);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_TEMPORARY, 0, NULL, NULL);
	/* not supported (Conf-Sender): Accept 3 */
	req4(&r, 50002, 0);
	r.conf_sender = 1;
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_NOT_SUPPORTED, 0, NULL, NULL);
	ck_assert_uint_eq(mstats().refused[TWR_ACCEPT_TEMPORARY], 1);
	ck_assert_uint_eq(mstats().refused[TWR_ACCEPT_NOT_SUPPORTED], 1);
	ck_assert_uint_eq(mstats().refused_by[TWR_MGR_REFUSE_PORTS_EXHAUSTED], 1);
	/* an unknown command: Accept-Session 3 reaches the client before the close */
	client_send(fd, unknown, sizeof(unknown));
	client_accept(fd, TWR_ACCEPT_NOT_SUPPORTED, 0, NULL, NULL);
	client_expect_eof(fd);
	close(fd);
	pump_until(sstats().conns == 0);
	ck_assert_uint_eq(mstats().conns_closed[TWR_REASON_UNKNOWN_COMMAND], 1);
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_UNKNOWN_COMMAND], 1);
	ck_assert_uint_eq(mstats().sessions_active, 0);
	srv_stop();
}
END_TEST

START_TEST(test_fragmented_and_pipelined)
{
	struct twr_request_session r;
	uint8_t setup[TWR_SETUP_RESPONSE_LEN] = {0}, buf[64], two[224];
	size_t i;
	int fd;

	cfg_reset();
	srv_start();
	fd = client_connect(AF_INET, NULL, "127.0.0.1");
	client_read(fd, buf, 64);
	/* one octet at a time */
	twr_put_be32(setup, TWR_MODE_UNAUTHENTICATED);
	for (i = 0; i < sizeof(setup); i++) {
		client_send(fd, setup + i, 1);
		pump();
	}
	client_read(fd, buf, 48);
	ck_assert_uint_eq(buf[15], 0);
	/* two requests in one segment */
	req4(&r, 50000, 20001);
	ck_assert_int_eq(twr_request_session_encode(&r, two, 112), 112);
	req4(&r, 50001, 20002);
	ck_assert_int_eq(twr_request_session_encode(&r, two + 112, 112), 112);
	client_send(fd, two, sizeof(two));
	client_accept(fd, TWR_ACCEPT_OK, 20001, LO4, NULL);
	client_accept(fd, TWR_ACCEPT_OK, 20002, LO4, NULL);
	close(fd);
	pump_until(sstats().conns == 0);
	ck_assert_uint_eq(mstats().sessions_active, 0);
	srv_stop();
}
END_TEST

START_TEST(test_ipv6)
{
	static const uint8_t want_ip[4] = {0, 0, 0, 1}; /* SID: the tail of ::1 */
	struct twr_request_session r;
	struct twr_session_key k;
	int fd;

	cfg_reset();
	memset(scfg.binds[1], 0, 16);
	scfg.binds[1][15] = 1; /* ::1 */
	scfg.nb_binds = 2;
	srv_start();
	if (twr_ctl_server_port(srv, 6) == 0) {
		/* no IPv6 on this machine's loopback */
		fprintf(stderr, "test_ipv6: no IPv6 loopback, skipped\n");
		srv_stop();
		return;
	}
	fd = client_connect(AF_INET6, NULL, "::1");
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	memset(&r, 0, sizeof(r));
	r.ipvn = 6;
	r.sender_port = 50000;
	r.receiver_port = 20007;
	r.timeout = 1ull << 32;
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20007, want_ip, NULL);
	memset(&k, 0, sizeof(k));
	k.local_addr[15] = 1;
	k.remote_addr[15] = 1;
	k.local_port = 20007;
	k.remote_port = 50000;
	ck_assert_ptr_nonnull(twr_session_table_find_exact(tbl, &k));
	close(fd);
	pump_until(sstats().conns == 0);
	ck_assert_ptr_null(twr_session_table_find_exact(tbl, &k));
	srv_stop();
}
END_TEST

static int
conn_dscp_cb(const struct twr_ctl_conn_info *info, void *arg)
{
	*(int *)arg = info->dscp;
	return 1;
}

/* RFC 5357 §3.1: the server answers with the DSCP of the client's SYN. */
START_TEST(test_syn_dscp_mirrored)
{
	struct sockaddr_in dst;
	int fd, tos = 46 << 2, dscp = -2, got = 0;
	socklen_t len = sizeof(got);

	cfg_reset();
	srv_start();
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)), 0);
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	dst.sin_port = htons(twr_ctl_server_port(srv, 4));
	ck_assert_int_eq(inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr), 1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	pump_until(sstats().conns == 1);
	ck_assert_int_eq(twr_ctl_server_conn_foreach(srv, mono_ns(), conn_dscp_cb, &dscp), 1);
	ck_assert_int_eq(dscp, 46); /* EF */
	/* and the handshake still works on the marked connection */
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	ck_assert_int_eq(getsockopt(fd, IPPROTO_IP, IP_TOS, &got, &len), 0);
	ck_assert_int_eq(got, tos);
	close(fd);
	pump_until(sstats().conns == 0);
	srv_stop();
}
END_TEST

START_TEST(test_shutdown_with_sessions)
{
	struct twr_request_session r;
	int fd;

	cfg_reset();
	srv_start();
	fd = client_connect(AF_INET, NULL, "127.0.0.1");
	client_handshake(fd, TWR_MODE_UNAUTHENTICATED);
	req4(&r, 50000, 20001);
	client_request(fd, &r);
	client_accept(fd, TWR_ACCEPT_OK, 20001, LO4, NULL);
	client_start(fd);
	/* the application stops: sessions removed (LOCAL_CLOSE), the client sees EOF */
	twr_ctl_server_free(srv);
	ck_assert_uint_eq(mstats().sessions_active, 0);
	ck_assert_uint_eq(mstats().sessions_removed[TWR_REASON_LOCAL_CLOSE], 1);
	ck_assert_uint_eq(mstats().conns_closed[TWR_REASON_LOCAL_CLOSE], 1);
	close(fd);
	twr_session_mgr_free(mgr);
	twr_session_table_free(tbl);
}
END_TEST

/* The descriptor the next accept() gets: the lowest free one (inherited ones may leave gaps). */
static int
lowest_free_fd(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

START_TEST(test_out_of_descriptors)
{
	struct rlimit saved, low;
	int fd[3], i, work;
	uint64_t t0;

	cfg_reset();
	srv_start();
	for (i = 0; i < 3; i++)
		fd[i] = client_connect(AF_INET, NULL, "127.0.0.1");
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
	/* room for one accepted socket: the lowest free descriptor, and none above */
	low = saved;
	low.rlim_cur = (rlim_t)lowest_free_fd() + 1;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	pump_until(sstats().accept_errors >= 1);
	ck_assert_uint_eq(sstats().conns, 1);
	/* the listener is paused: polls find nothing to do (no spinning) */
	t0 = mono_ns();
	work = twr_ctl_server_poll(srv, t0);
	ck_assert_int_eq(work, 0);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
	/* resumed after the pause: the others come out of the backlog */
	pump_until(sstats().conns == 3);
	ck_assert_uint_ge(mono_ns() - t0, 50 * MS);
	for (i = 0; i < 3; i++) {
		client_handshake(fd[i], TWR_MODE_UNAUTHENTICATED);
		close(fd[i]);
	}
	pump_until(sstats().conns == 0);
	srv_stop();
}
END_TEST

static Suite *
ctl_server_suite(void)
{
	Suite *s = suite_create("ctl_server");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_conversation);
	tcase_add_test(tc, test_concurrent);
	tcase_add_test(tc, test_killed_mid_session);
	tcase_add_test(tc, test_conn_limits);
	tcase_add_test(tc, test_refusals_and_close);
	tcase_add_test(tc, test_fragmented_and_pipelined);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_syn_dscp_mirrored);
	tcase_add_test(tc, test_shutdown_with_sessions);
	tcase_add_test(tc, test_out_of_descriptors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	char *eal_args[] = {
		(char *)(uintptr_t) "test-ctl-ctl-server",
		(char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",
		(char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "256",
		(char *)(uintptr_t) "--lcores",
		(char *)(uintptr_t) "0@0",
		(char *)(uintptr_t) "--file-prefix",
		(char *)(uintptr_t) "twr-ctl-server",
		(char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level",
		(char *)(uintptr_t) "lib.eal:error",
	};

	return twr_check_eal_run((int)RTE_DIM(eal_args), eal_args, ctl_server_suite, NULL);
}
