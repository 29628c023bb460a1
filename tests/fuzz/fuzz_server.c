/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * libFuzzer harness for the TWAMP-Control Server state machine.
 *
 * Input: one configuration octet, then records of one op octet each:
 *   op % 4 == 0  data: the next octet + 1 octets (or what is left) are fed
 *   op % 4 == 1  time passes by (op >> 2) * 10 s, then the timer runs
 *   op % 4 == 2  a test packet for the (op >> 2)-th session added so far
 *   op % 4 == 3  the socket writes (op >> 2) * 4 octets of the send queue
 * The input always ends with EOF. Configuration octet: bit 0 offers
 * Individual Session Control, bit 1 Reflect Octets, bit 2 a small send queue
 * that only op 3 drains (else it is drained after every op), bit 3 Modes 0,
 * bit 4 IPv6 control connection; bits 5-7 pick the reserve behaviour.
 *
 * Invariants (abort on violation): the output is whole 16-octet blocks;
 * every SESSION_ADD is followed by exactly one REMOVE of that SID and
 * nothing is said about a SID that is not held; nothing after CLOSE; the
 * last TIMER equals twr_server_conn_deadline(); the count of held sessions
 * agrees with twr_server_conn_nb_sessions(); nothing is held after EOF.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twr_server.h"

#define S	 1000000000ull
#define MAX_HELD 64

struct fz {
	uint32_t ctr;
	uint8_t policy;
	uint8_t held[MAX_HELD][TWR_SID_LEN];
	unsigned int nb_held;
	uint8_t seen[MAX_HELD][TWR_SID_LEN]; /* every SID ever added, for test packets */
	unsigned int nb_seen;
	uint64_t consumed; /* octets the "socket" took */
	uint64_t timer;	   /* deadline of the last TIMER */
	int closed;
};

static int
fz_random(void *ctx, void *buf, size_t len)
{
	struct fz *f = ctx;
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(f->ctr++ * 131u + 7u);
	return 0;
}

static uint8_t
fz_reserve(void *ctx, struct twr_session_params *p)
{
	struct fz *f = ctx;

	switch ((f->policy + p->requested_port) % 8) {
	case 0:
		return 5;
	case 1:
		return 2;
	case 2:
		p->port = (uint16_t)(p->requested_port + 1); /* alternate port */
		return 0;
	default:
		p->server_octets = 0x1234;
		return 0;
	}
}

static int
held_index(const struct fz *f, const uint8_t *sid)
{
	unsigned int i;

	for (i = 0; i < f->nb_held; i++)
		if (memcmp(f->held[i], sid, TWR_SID_LEN) == 0)
			return (int)i;
	return -1;
}

static void
drain_actions(struct twr_server_conn *c, struct fz *f)
{
	struct twr_server_action a;
	int i;

	while (twr_server_conn_action_pop(c, &a) == 0) {
#ifdef FUZZ_SERVER_TRACE
		/* -DFUZZ_SERVER_TRACE: see what a seed reaches */
		fprintf(stderr, "act %d reason %s deadline %llu sid %02x%02x\n", (int)a.type,
			twr_server_reason_str(a.reason), (unsigned long long)a.deadline_ns,
			a.params.sid[14], a.params.sid[15]);
#endif
		if (f->closed)
			abort(); /* nothing after CLOSE */
		i = held_index(f, a.params.sid);
		switch (a.type) {
		case TWR_ACT_SESSION_ADD:
			if (i >= 0 || f->nb_held == MAX_HELD)
				abort();
			memcpy(f->held[f->nb_held++], a.params.sid, TWR_SID_LEN);
			if (f->nb_seen < MAX_HELD)
				memcpy(f->seen[f->nb_seen++], a.params.sid, TWR_SID_LEN);
			break;
		case TWR_ACT_SESSION_REMOVE:
			if (i < 0)
				abort();
			memcpy(f->held[i], f->held[--f->nb_held], TWR_SID_LEN);
			break;
		case TWR_ACT_SESSION_START:
		case TWR_ACT_SESSION_STOP:
			if (i < 0)
				abort();
			break;
		case TWR_ACT_CLOSE:
			f->closed = 1;
			break;
		case TWR_ACT_TIMER:
			f->timer = a.deadline_ns;
			break;
		}
	}
	if (twr_server_conn_nb_sessions(c) != f->nb_held)
		abort();
	if (!f->closed && f->timer != twr_server_conn_deadline(c))
		abort();
}

static void
check_tx(struct twr_server_conn *c, struct fz *f, size_t take)
{
	const struct twr_server_conn_stats *st = twr_server_conn_stats(c);
	const uint8_t *d;
	size_t n = twr_server_conn_tx_peek(c, &d);

	/* every message is whole blocks, and the queue is exactly what was not written */
	if (st->bytes_out % 16 != 0 || f->consumed + n != st->bytes_out)
		abort();
	if (take > n)
		take = n;
	twr_server_conn_tx_consume(c, take);
	f->consumed += take;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t local4[4] = {198, 51, 100, 2}, peer4[4] = {192, 0, 2, 1};
	struct twr_server_config cfg;
	struct twr_conn_addrs addrs;
	struct twr_server_conn *c;
	uint64_t now = 1000 * S;
	struct fz f;
	size_t i = 1, n;
	uint8_t conf, op;
	bool auto_drain;

	if (size < 1)
		return 0;
	conf = data[0];
	memset(&f, 0, sizeof(f));
	f.policy = conf >> 5;
	twr_server_config_defaults(&cfg);
	cfg.max_sessions = 4;
	cfg.servwait_ns = 600 * S;
	cfg.refwait_ns = 300 * S;
	cfg.max_timeout_ns = 100 * S;
	cfg.max_padding = 1000;
	cfg.modes = TWR_MODE_UNAUTHENTICATED | TWR_MODE_SYMMETRICAL | TWR_MODE_DSCP_ECN;
	if (conf & 1)
		cfg.modes |= TWR_MODE_INDIVIDUAL;
	if (conf & 2)
		cfg.modes |= TWR_MODE_REFLECT_OCTETS;
	auto_drain = (conf & 4) == 0;
	if (!auto_drain)
		cfg.max_tx_queue = 256;
	if (conf & 8)
		cfg.modes = 0;
	memset(&addrs, 0, sizeof(addrs));
	addrs.ipvn = (conf & 16) ? 6 : 4;
	memcpy(addrs.local + (addrs.ipvn == 6 ? 12 : 0), local4, 4);
	memcpy(addrs.peer + (addrs.ipvn == 6 ? 12 : 0), peer4, 4);
	f.timer = UINT64_MAX;

	c = twr_server_conn_create(&cfg, &(struct twr_server_ops){fz_random, fz_reserve}, &f,
				   &addrs, now);
	if (c == NULL)
		abort();
	drain_actions(c, &f);
	check_tx(c, &f, auto_drain ? SIZE_MAX : 0);
	while (i < size) {
		op = data[i++];
		switch (op % 4) {
		case 0:
			n = i < size ? (size_t)data[i++] + 1 : 0;
			if (n > size - i)
				n = size - i;
			if (twr_server_conn_input(c, data + i, n, now, 0xe8fe6f8500000000ull) ==
				    -ENOTCONN &&
			    !f.closed)
				abort();
			i += n;
			now += 1000;
			break;
		case 1:
			now += (uint64_t)(op >> 2) * 10 * S;
			twr_server_conn_timer(c, now);
			break;
		case 2:
			if (f.nb_seen > 0)
				twr_server_conn_test_activity(c, f.seen[(op >> 2) % f.nb_seen],
							      now);
			now += 1000;
			break;
		default:
			check_tx(c, &f, (size_t)(op >> 2) * 4);
			break;
		}
		drain_actions(c, &f);
		check_tx(c, &f, auto_drain ? SIZE_MAX : 0);
	}
	twr_server_conn_eof(c, now);
	drain_actions(c, &f);
	check_tx(c, &f, SIZE_MAX);
	if (!f.closed || f.nb_held != 0 || twr_server_conn_state(c) != TWR_SRV_CLOSED)
		abort();
	twr_server_conn_destroy(c);
	return 0;
}
