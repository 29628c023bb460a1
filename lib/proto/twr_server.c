/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control Server, connection half (digest §2.12): lifecycle, input
 * framing, send queue, action queue, timers. The commands that act on
 * sessions live in twr_server_session.c.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "twr_server_priv.h"
#include "twr_wire.h"

/* Defaults: RFC 5357 §3.1/§4.2 suggest 900 s for SERVWAIT and REFWAIT. */
#define DEFAULT_TIMER_NS     (900ull * 1000000000ull)
#define DEFAULT_HANDSHAKE_NS (30ull * 1000000000ull)
#define DEFAULT_MAX_SESSIONS 64u
#define DEFAULT_TX_QUEUE     16384u
/*
 * 1500-octet MTU, IPv6 (40) + UDP (8) + unauthenticated sender header
 * (14): the largest test packet that crosses a common path unfragmented
 * in both address families.
 */
#define DEFAULT_MAX_PADDING 1438u
#define MIN_COUNT	    1024u
#define ACT_INITIAL	    16u

static const char *const reason_names[] = {
#define TWR_REASON_NAME(n, s) [TWR_REASON_##n] = s,
	TWR_SERVER_REASONS(TWR_REASON_NAME)
#undef TWR_REASON_NAME
};

const char *
twr_server_reason_str(enum twr_server_reason r)
{
	if ((unsigned int)r >= TWR_REASON_MAX)
		return "unknown";
	return reason_names[r];
}

void
twr_server_config_defaults(struct twr_server_config *cfg)
{
	if (cfg == NULL)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->modes = TWR_MODE_UNAUTHENTICATED | TWR_SERVER_FEATURES;
	/* The smallest legal Count: it costs the client nothing in unauthenticated mode. */
	cfg->count = MIN_COUNT;
	cfg->max_sessions = DEFAULT_MAX_SESSIONS;
	cfg->max_padding = DEFAULT_MAX_PADDING;
	cfg->max_timeout_ns = DEFAULT_TIMER_NS;
	cfg->servwait_ns = DEFAULT_TIMER_NS;
	cfg->refwait_ns = DEFAULT_TIMER_NS;
	cfg->handshake_ns = DEFAULT_HANDSHAKE_NS;
	cfg->max_tx_queue = DEFAULT_TX_QUEUE;
}

/* The most one exchange queues before the peer can read: see twr_server_config_check(). */
static uint64_t
min_tx_queue(uint32_t max_sessions)
{
	uint64_t handshake = TWR_SERVER_GREETING_LEN + TWR_SERVER_START_LEN;
	/* one Start-N of N SIDs answers with at most two acks totalling 64 + 16 N */
	uint64_t acks = (uint64_t)TWR_SID_LIST_MSG_LEN(max_sessions) + 32;

	return handshake > acks ? handshake : acks;
}

int
twr_server_config_check(const struct twr_server_config *cfg)
{
	if (cfg == NULL)
		return -EINVAL;
	if ((cfg->modes & ~(TWR_MODE_UNAUTHENTICATED | TWR_SERVER_FEATURES)) != 0)
		return -ENOTSUP;
	if (cfg->modes != 0 && (cfg->modes & TWR_MODE_UNAUTHENTICATED) == 0)
		return -ERANGE;
	if (cfg->count < MIN_COUNT || (cfg->count & (cfg->count - 1)) != 0)
		return -ERANGE;
	if (cfg->max_sessions == 0 || cfg->max_sessions > TWR_SERVER_MAX_SESSIONS)
		return -ERANGE;
	if (cfg->servwait_ns == 0 || cfg->refwait_ns == 0 || cfg->handshake_ns == 0)
		return -ERANGE;
	if (cfg->max_tx_queue < min_tx_queue(cfg->max_sessions))
		return -ERANGE;
	return 0;
}

/* ---- action queue ---- */

static int
action_grow(struct twr_server_conn *c)
{
	struct twr_server_action *n;
	uint32_t cap = c->act_cap * 2, i;

	n = malloc(sizeof(*n) * cap);
	if (n == NULL)
		return -ENOMEM;
	/* unroll the ring so that the FIFO starts at 0 again */
	for (i = 0; i < c->act_count; i++)
		n[i] = c->act[(c->act_head + i) % c->act_cap];
	free(c->act);
	c->act = n;
	c->act_cap = cap;
	c->act_head = 0;
	return 0;
}

static void
action_append(struct twr_server_conn *c, const struct twr_server_action *a)
{
	c->act[(c->act_head + c->act_count) % c->act_cap] = *a;
	c->act_count++;
}

static int
action_room(struct twr_server_conn *c, uint32_t need)
{
	while (c->act_cap - c->act_count < need)
		if (action_grow(c) < 0)
			return -ENOMEM;
	return 0;
}

int
twr_srv_action_ensure(struct twr_server_conn *c)
{
	/*
	 * Room for one more action, a possible SESSION_ADD's future REMOVE,
	 * the REMOVE of every held session and the CLOSE: a failed
	 * allocation can then still end the connection without leaking a
	 * session in the manager.
	 */
	if (action_room(c, c->nb_held + 3) == 0)
		return 0;
	twr_srv_close(c, TWR_REASON_NO_MEMORY);
	return -ENOMEM;
}

int
twr_srv_action_push(struct twr_server_conn *c, const struct twr_server_action *a)
{
	bool terminal = a->type == TWR_ACT_CLOSE ||
			(a->type == TWR_ACT_SESSION_REMOVE && c->state == TWR_SRV_CLOSED);

	if (a->type == TWR_ACT_TIMER && c->act_count > 0) {
		struct twr_server_action *tail =
			&c->act[(c->act_head + c->act_count - 1) % c->act_cap];

		/* an unread TIMER is stale once a newer deadline exists: replace it */
		if (tail->type == TWR_ACT_TIMER) {
			tail->deadline_ns = a->deadline_ns;
			return 0;
		}
	}
	if (terminal) {
		/* the room was kept by twr_srv_action_ensure(): this cannot fail */
		if (action_room(c, 1) < 0)
			return -ENOMEM;
	} else if (twr_srv_action_ensure(c) < 0) {
		return -ENOMEM;
	}
	action_append(c, a);
	return 0;
}

int
twr_srv_session_action(struct twr_server_conn *c, enum twr_server_action_type type,
		       const struct twr_srv_session *s, enum twr_server_reason reason,
		       uint64_t deadline_ns)
{
	struct twr_server_action a;

	memset(&a, 0, sizeof(a));
	a.type = type;
	a.reason = reason;
	a.deadline_ns = deadline_ns;
	a.params = s->p;
	if (twr_srv_action_push(c, &a) < 0)
		return -ENOMEM;
	/* counted once emitted: a REMOVE lost to a failed push is redone by the close */
	if (type == TWR_ACT_SESSION_REMOVE && reason < TWR_REASON_MAX)
		c->stats.removed[reason]++;
	return 0;
}

int
twr_server_conn_action_pop(struct twr_server_conn *c, struct twr_server_action *a)
{
	if (c == NULL || a == NULL)
		return -EINVAL;
	if (c->act_count == 0)
		return -ENOENT;
	*a = c->act[c->act_head];
	c->act_head = (c->act_head + 1) % c->act_cap;
	c->act_count--;
	return 0;
}

void
twr_srv_close(struct twr_server_conn *c, enum twr_server_reason reason)
{
	struct twr_server_action a;

	if (c->state == TWR_SRV_CLOSED)
		return;
	/* CLOSED first: from here on REMOVE and CLOSE use the kept room */
	c->state = TWR_SRV_CLOSED;
	twr_srv_sessions_remove_all(c, reason);
	memset(&a, 0, sizeof(a));
	a.type = TWR_ACT_CLOSE;
	a.reason = reason;
	twr_srv_action_push(c, &a);
	c->armed_ns = UINT64_MAX;
}

/* ---- send queue ---- */

uint8_t *
twr_srv_tx_reserve(struct twr_server_conn *c, size_t len)
{
	size_t queued = c->tx_tail - c->tx_head;
	size_t cap;
	uint8_t *n;

	if (c->state == TWR_SRV_CLOSED)
		return NULL;
	if (queued + len > c->cfg->max_tx_queue) {
		/* the peer stopped reading: holding more would let it pin our memory */
		twr_srv_close(c, TWR_REASON_TX_OVERFLOW);
		return NULL;
	}
	if (c->tx_tail + len > c->tx_cap && c->tx_head > 0) {
		memmove(c->tx_buf, c->tx_buf + c->tx_head, queued);
		c->tx_head = 0;
		c->tx_tail = queued;
	}
	if (c->tx_tail + len > c->tx_cap) {
		cap = c->tx_cap;
		while (cap < c->tx_tail + len)
			cap *= 2;
		if (cap > c->cfg->max_tx_queue)
			cap = c->cfg->max_tx_queue;
		n = realloc(c->tx_buf, cap);
		if (n == NULL) {
			twr_srv_close(c, TWR_REASON_NO_MEMORY);
			return NULL;
		}
		c->tx_buf = n;
		c->tx_cap = cap;
	}
	return c->tx_buf + c->tx_tail;
}

int
twr_srv_tx_commit(struct twr_server_conn *c, size_t len, size_t clear_len, bool hmac_last)
{
	int ret;

	ret = twr_ctrl_channel_tx_seal(&c->chan, c->tx_buf + c->tx_tail, len, clear_len, hmac_last);
	if (ret < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return ret;
	}
	c->tx_tail += len;
	c->stats.bytes_out += len;
	return 0;
}

size_t
twr_server_conn_tx_peek(const struct twr_server_conn *c, const uint8_t **data)
{
	if (c == NULL || data == NULL)
		return 0;
	*data = c->tx_buf + c->tx_head;
	return c->tx_tail - c->tx_head;
}

void
twr_server_conn_tx_consume(struct twr_server_conn *c, size_t n)
{
	if (c == NULL)
		return;
	if (n > c->tx_tail - c->tx_head)
		n = c->tx_tail - c->tx_head;
	c->tx_head += n;
	if (c->tx_head == c->tx_tail)
		c->tx_head = c->tx_tail = 0;
}

/* ---- timers ---- */

static uint64_t
conn_deadline(const struct twr_server_conn *c)
{
	uint64_t d, s;

	if (c->state == TWR_SRV_CLOSED)
		return UINT64_MAX;
	if (c->state == TWR_SRV_WAIT_SETUP)
		return c->handshake_ns; /* no session can exist yet */
	d = UINT64_MAX;
	/* RFC 5357 §3.1, RFC 5938 §3.6: not while a session is started and live */
	if (c->nb_live == 0)
		d = twr_srv_add_sat(c->servwait_ref_ns, c->cfg->servwait_ns);
	s = twr_srv_sessions_deadline(c);
	return s < d ? s : d;
}

/* Tell the caller when the earliest deadline moved (one TIMER per change). */
static void
conn_timer_update(struct twr_server_conn *c)
{
	struct twr_server_action a;
	uint64_t d = conn_deadline(c);

	if (c->state == TWR_SRV_CLOSED || d == c->armed_ns)
		return;
	memset(&a, 0, sizeof(a));
	a.type = TWR_ACT_TIMER;
	a.deadline_ns = d;
	if (twr_srv_action_push(c, &a) == 0)
		c->armed_ns = d;
}

uint64_t
twr_server_conn_deadline(const struct twr_server_conn *c)
{
	if (c == NULL)
		return UINT64_MAX;
	return conn_deadline(c);
}

void
twr_server_conn_timer(struct twr_server_conn *c, uint64_t now_ns)
{
	if (c == NULL || c->state == TWR_SRV_CLOSED)
		return;
	if (c->state == TWR_SRV_WAIT_SETUP) {
		if (now_ns >= c->handshake_ns)
			twr_srv_close(c, TWR_REASON_HANDSHAKE_TIMEOUT);
		conn_timer_update(c);
		return;
	}
	/* sessions first: REFWAIT expiries may resume SERVWAIT (checked just after) */
	twr_srv_sessions_timer(c, now_ns);
	if (c->state != TWR_SRV_CLOSED && c->nb_live == 0 &&
	    now_ns >= twr_srv_add_sat(c->servwait_ref_ns, c->cfg->servwait_ns))
		twr_srv_close(c, TWR_REASON_SERVWAIT);
	conn_timer_update(c);
}

int
twr_server_conn_test_activity(struct twr_server_conn *c, const uint8_t sid[TWR_SID_LEN],
			      uint64_t now_ns)
{
	struct twr_srv_session *s;

	if (c == NULL || sid == NULL)
		return -EINVAL;
	s = twr_srv_session_find(c, sid);
	if (s == NULL || s->state == TWR_SRV_SESS_EXPIRED)
		return -ENOENT;
	/* only packets that passed validation get here: garbage cannot keep a session */
	if (s->state == TWR_SRV_SESS_STARTED && now_ns > s->activity_ns) {
		s->activity_ns = now_ns;
		conn_timer_update(c);
	}
	return 0;
}

/* ---- handshake ---- */

static void
send_server_start(struct twr_server_conn *c, uint8_t accept, const uint8_t *server_iv)
{
	struct twr_server_start m;
	uint8_t *out;

	memset(&m, 0, sizeof(m));
	m.accept = accept;
	/* RFC 4656 §3.1: all of Server-IV and Start-Time is zero when Accept is not 0 */
	if (accept == TWR_ACCEPT_OK) {
		memcpy(m.server_iv, server_iv, TWR_IV_LEN);
		m.start_time = c->cfg->start_time;
	}
	out = twr_srv_tx_reserve(c, TWR_SERVER_START_LEN);
	if (out == NULL)
		return;
	if (twr_server_start_encode(&m, out, TWR_SERVER_START_LEN) < 0) {
		twr_srv_close(c, TWR_REASON_LOCAL_CLOSE);
		return;
	}
	/*
	 * Octets 0-31 travel in clear; 32-47 are the first encrypted block
	 * and no HMAC of its own (it is covered by the first Accept-Session's),
	 * unless the setup is refused: then nothing is encrypted.
	 */
	twr_srv_tx_commit(c, TWR_SERVER_START_LEN,
			  accept == TWR_ACCEPT_OK ? 32 : TWR_SERVER_START_LEN, false);
}

static void
conn_setup_response(struct twr_server_conn *c)
{
	struct twr_setup_response r;
	uint8_t iv[TWR_IV_LEN];
	uint32_t sec;
	uint8_t accept;

	if (twr_setup_response_decode(c->rx_buf, TWR_SETUP_RESPONSE_LEN, &r) < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	if (r.mode == 0) {
		/* RFC 4656 §3.1: the client gives up; nothing to answer */
		twr_srv_close(c, TWR_REASON_SETUP_ABANDONED);
		return;
	}
	sec = r.mode & TWR_MODE_SECURITY_MASK;
	accept = TWR_ACCEPT_OK;
	if (sec == 0 || (sec & (sec - 1)) != 0 || (r.mode & ~c->cfg->modes) != 0) {
		/* RFC 4656 §3.1 asks for a Server-Start with Accept != 0 (twampd just closes) */
		accept = TWR_ACCEPT_FAILURE;
	} else {
		twr_ctrl_channel_release(&c->chan);
		if (twr_ctrl_channel_init(&c->chan, r.mode) < 0)
			accept = TWR_ACCEPT_NOT_SUPPORTED;
		else
			accept = twr_ctrl_channel_setup(&c->chan, &c->greeting, &r, iv);
	}
	if (accept != TWR_ACCEPT_OK) {
		if (c->chan.ops == NULL)
			twr_ctrl_channel_init(&c->chan, TWR_MODE_UNAUTHENTICATED);
		send_server_start(c, accept, NULL);
		twr_srv_close(c, TWR_REASON_SETUP_REFUSED);
		return;
	}
	c->mode = r.mode;
	c->state = TWR_SRV_IDLE;
	send_server_start(c, TWR_ACCEPT_OK, iv);
}

/* ---- commands ---- */

static void
rx_reset(struct twr_server_conn *c)
{
	c->rx_len = 0;
	c->rx_need = TWR_BLOCK_LEN;
	c->rx_head_open = false;
}

/* First block of a command: open it, learn the length (digest §2.4 "Sizes"). */
static void
conn_cmd_head(struct twr_server_conn *c)
{
	struct twr_accept_session m;
	ssize_t len;

	if (twr_ctrl_channel_rx_open(&c->chan, c->rx_buf, TWR_BLOCK_LEN, false) < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	c->rx_head_open = true;
	len = twr_ctrl_cmd_length(c->rx_buf, TWR_BLOCK_LEN, c->cfg->max_sessions);
	if (len == -EBADMSG) {
		/*
		 * Unknown, forbidden or reserved command: RFC 5357 §3.5 wants
		 * Accept-Session 3; then close, because the length of the
		 * message is unknown and the stream cannot be resynchronised
		 * (twampd keeps reading and misparses what follows).
		 */
		memset(&m, 0, sizeof(m));
		m.accept = TWR_ACCEPT_NOT_SUPPORTED;
		if (twr_srv_send_accept_session(c, NULL, &m) == 0)
			twr_srv_close(c, TWR_REASON_UNKNOWN_COMMAND);
		return;
	}
	if (len < 0 || (size_t)len > c->rx_cap || (size_t)len <= TWR_BLOCK_LEN) {
		/* Number of Sessions 0 or beyond our limit: the length cannot be trusted */
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	c->rx_need = (size_t)len;
}

/* A whole, opened and verified command: act on it if the state allows. */
static void
conn_dispatch(struct twr_server_conn *c, uint64_t now_ns, uint64_t now_ntp)
{
	const uint8_t *m = c->rx_buf;
	bool indiv = (c->mode & TWR_MODE_INDIVIDUAL) != 0;

	/*
	 * RFC 4656 §3.4: while testing, Stop-Sessions is the only command;
	 * RFC 5938 §3.1: with Individual Session Control, 2 and 3 must not be
	 * used, and 5, 7, 9 are valid at any time (the state stays IDLE).
	 */
	switch (m[0]) {
	case TWR_CMD_REQUEST_TW_SESSION:
		if (c->state == TWR_SRV_IDLE) {
			twr_srv_request_session(c, m, now_ns, now_ntp);
			return;
		}
		break;
	case TWR_CMD_START_SESSIONS:
		if (!indiv && c->state == TWR_SRV_IDLE) {
			twr_srv_start_sessions(c, m, c->rx_len, now_ns);
			return;
		}
		break;
	case TWR_CMD_STOP_SESSIONS:
		if (!indiv && c->state == TWR_SRV_TESTING) {
			twr_srv_stop_sessions(c, m, c->rx_len, now_ns);
			return;
		}
		break;
	case TWR_CMD_START_N_SESSIONS:
	case TWR_CMD_STOP_N_SESSIONS:
		if (indiv) {
			twr_srv_sid_list_cmd(c, m, c->rx_len, now_ns);
			return;
		}
		break;
	default:
		break;
	}
	twr_srv_close(c, TWR_REASON_UNEXPECTED_COMMAND);
}

/* rx_buf holds rx_need octets: take the next step. */
static void
conn_rx_step(struct twr_server_conn *c, uint64_t now_ns, uint64_t now_ntp)
{
	if (c->state == TWR_SRV_WAIT_SETUP) {
		/* Set-Up-Response is never stream-encrypted: no rx_open */
		conn_setup_response(c);
		rx_reset(c);
		return;
	}
	if (!c->rx_head_open) {
		conn_cmd_head(c);
		return;
	}
	/* the rest, HMAC last: verified before anything is acted on (RFC 4656 §3.4) */
	if (twr_ctrl_channel_rx_open(&c->chan, c->rx_buf + TWR_BLOCK_LEN, c->rx_len - TWR_BLOCK_LEN,
				     true) < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	conn_dispatch(c, now_ns, now_ntp);
	rx_reset(c);
}

int
twr_server_conn_input(struct twr_server_conn *c, const uint8_t *data, size_t len, uint64_t now_ns,
		      uint64_t now_ntp)
{
	size_t take;

	if (c == NULL || (data == NULL && len > 0))
		return -EINVAL;
	if (c->state == TWR_SRV_CLOSED)
		return -ENOTCONN;
	if (len == 0)
		return 0;
	c->stats.bytes_in += len;
	/* SERVWAIT means "nothing arrived": any octet, even of a partial message */
	if (now_ns > c->servwait_ref_ns)
		c->servwait_ref_ns = now_ns;
	while (len > 0 && c->state != TWR_SRV_CLOSED) {
		take = c->rx_need - c->rx_len;
		if (take > len)
			take = len;
		memcpy(c->rx_buf + c->rx_len, data, take);
		c->rx_len += take;
		data += take;
		len -= take;
		if (c->rx_len == c->rx_need)
			conn_rx_step(c, now_ns, now_ntp);
	}
	conn_timer_update(c);
	return 0;
}

void
twr_server_conn_eof(struct twr_server_conn *c, uint64_t now_ns)
{
	(void)now_ns;
	if (c == NULL)
		return;
	twr_srv_close(c,
		      c->rx_len > 0 ? TWR_REASON_PEER_CLOSED_MID_MESSAGE : TWR_REASON_PEER_CLOSED);
}

void
twr_server_conn_close(struct twr_server_conn *c, enum twr_server_reason reason)
{
	if (c == NULL)
		return;
	if ((unsigned int)reason >= TWR_REASON_MAX)
		reason = TWR_REASON_LOCAL_CLOSE;
	twr_srv_close(c, reason);
}

/* ---- lifecycle ---- */

void
twr_server_conn_destroy(struct twr_server_conn *c)
{
	if (c == NULL)
		return;
	twr_ctrl_channel_release(&c->chan);
	free(c->rx_buf);
	free(c->tx_buf);
	free(c->act);
	free(c->sess);
	free(c->scratch_accept);
	free(c->scratch_sids);
	free(c);
}

static int
conn_alloc(struct twr_server_conn *c)
{
	uint32_t n = c->cfg->max_sessions;

	/* the largest message we accept: Start-N/Stop-N of max_sessions SIDs */
	c->rx_cap = TWR_SID_LIST_MSG_LEN(n);
	if (c->rx_cap < TWR_SETUP_RESPONSE_LEN)
		c->rx_cap = TWR_SETUP_RESPONSE_LEN;
	if (c->rx_cap < TWR_REQUEST_TW_SESSION_LEN)
		c->rx_cap = TWR_REQUEST_TW_SESSION_LEN;
	c->rx_buf = malloc(c->rx_cap);
	/* greeting + Server-Start fit without growing */
	c->tx_cap = TWR_SERVER_GREETING_LEN + TWR_SERVER_START_LEN;
	c->tx_buf = malloc(c->tx_cap);
	c->act_cap = ACT_INITIAL;
	c->act = malloc(sizeof(*c->act) * c->act_cap);
	c->sess = calloc(n, sizeof(*c->sess));
	c->scratch_accept = malloc(n);
	c->scratch_sids = malloc((size_t)n * TWR_SID_LEN);
	if (c->rx_buf == NULL || c->tx_buf == NULL || c->act == NULL || c->sess == NULL ||
	    c->scratch_accept == NULL || c->scratch_sids == NULL)
		return -ENOMEM;
	return 0;
}

static int
send_greeting(struct twr_server_conn *c)
{
	struct twr_server_greeting *g = &c->greeting;
	uint8_t *out;
	int ret;

	memset(g, 0, sizeof(*g));
	g->modes = c->cfg->modes;
	g->count = c->cfg->count;
	/* random even in unauthenticated mode: one code path, nothing predictable */
	ret = c->ops->random(c->ctx, g->challenge, sizeof(g->challenge));
	if (ret == 0)
		ret = c->ops->random(c->ctx, g->salt, sizeof(g->salt));
	if (ret < 0)
		return ret;
	out = twr_srv_tx_reserve(c, TWR_SERVER_GREETING_LEN);
	if (out == NULL)
		return -ENOBUFS;
	ret = (int)twr_server_greeting_encode(g, out, TWR_SERVER_GREETING_LEN);
	if (ret < 0)
		return ret;
	/* never encrypted, no HMAC (RFC 4656 §3.1) */
	return twr_srv_tx_commit(c, TWR_SERVER_GREETING_LEN, TWR_SERVER_GREETING_LEN, false);
}

struct twr_server_conn *
twr_server_conn_create(const struct twr_server_config *cfg, const struct twr_server_ops *ops,
		       void *ctx, const struct twr_conn_addrs *addrs, uint64_t now_ns)
{
	struct twr_server_conn *c;
	int ret;

	if (cfg == NULL || ops == NULL || ops->random == NULL || ops->reserve == NULL ||
	    addrs == NULL || (addrs->ipvn != 4 && addrs->ipvn != 6)) {
		errno = EINVAL;
		return NULL;
	}
	ret = twr_server_config_check(cfg);
	if (ret < 0) {
		errno = -ret;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	c->cfg = cfg;
	c->ops = ops;
	c->ctx = ctx;
	c->addrs = *addrs;
	c->state = TWR_SRV_WAIT_SETUP;
	c->armed_ns = UINT64_MAX;
	c->handshake_ns = twr_srv_add_sat(now_ns, cfg->handshake_ns);
	c->servwait_ref_ns = now_ns;
	c->rx_need = TWR_SETUP_RESPONSE_LEN;
	ret = conn_alloc(c);
	if (ret == 0)
		ret = twr_ctrl_channel_init(&c->chan, TWR_MODE_UNAUTHENTICATED);
	if (ret == 0)
		ret = send_greeting(c);
	if (ret < 0) {
		twr_server_conn_destroy(c);
		errno = -ret;
		return NULL;
	}
	if (cfg->modes == 0)
		twr_srv_close(c, TWR_REASON_SERVICE_REFUSED); /* Modes 0 says it; then hang up */
	else
		conn_timer_update(c);
	return c;
}

/* ---- accessors ---- */

enum twr_server_state
twr_server_conn_state(const struct twr_server_conn *c)
{
	return c == NULL ? TWR_SRV_CLOSED : c->state;
}

uint32_t
twr_server_conn_mode(const struct twr_server_conn *c)
{
	return c == NULL ? 0 : c->mode;
}

uint32_t
twr_server_conn_nb_sessions(const struct twr_server_conn *c)
{
	return c == NULL ? 0 : c->nb_held;
}

const struct twr_server_conn_stats *
twr_server_conn_stats(const struct twr_server_conn *c)
{
	return c == NULL ? NULL : &c->stats;
}
