/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control Server, session half: Request-TW-Session checks and the
 * Accept codes (RFC 5357 §3.5, RFC 6038 §4.2–4.3), SID construction
 * (RFC 4656 §3.5), Start/Stop (RFC 4656 §3.7, RFC 5357 §3.8), Start-N/Stop-N
 * (RFC 5938 §3.2–3.5), and the per-connection session table with its
 * REFWAIT and drain timers (digest §2.12).
 */

#include <errno.h>
#include <string.h>

#include "twr_server_priv.h"
#include "twr_time.h"
#include "twr_wire.h"

/* RFC 6038 §4.2: the unauthenticated reflector header is 27 octets longer than the sender's. */
#define REFLECT_GROWTH_UNAUTH 27u
/* RFC 4656 §3.5: top two bits 00 and a 6-bit DSCP; everything else is unsupported. */
#define TYPE_P_DSCP_MASK 0x3f000000u
/* Re-draws of the SID's random part when it collides inside the connection. */
#define SID_TRIES 4
/* Offset of "Octets to be reflected" in Request-TW-Session (RFC 6038 §4.2). */
#define REQ_OCTETS_REFLECTED_OFF 88

static bool
sess_held(enum twr_srv_sess_state st)
{
	return st == TWR_SRV_SESS_ACCEPTED || st == TWR_SRV_SESS_STARTED ||
	       st == TWR_SRV_SESS_STOPPED;
}

/*
 * Every state change goes through here so that the three counters the
 * connection relies on (slots used, sessions held by the manager, live
 * sessions suspending SERVWAIT) cannot drift.
 */
static void
sess_set_state(struct twr_server_conn *c, struct twr_srv_session *s, enum twr_srv_sess_state st,
	       uint64_t now_ns)
{
	if (s->state == TWR_SRV_SESS_STARTED) {
		c->nb_live--;
		/*
		 * The last live session ended: SERVWAIT monitoring resumes
		 * (RFC 5938 §3.6) and counts from now, not from the last
		 * control octet, which may be older than SERVWAIT already.
		 */
		if (c->nb_live == 0 && now_ns > c->servwait_ref_ns)
			c->servwait_ref_ns = now_ns;
	}
	if (st == TWR_SRV_SESS_STARTED)
		c->nb_live++;
	c->nb_held += (uint32_t)sess_held(st) - (uint32_t)sess_held(s->state);
	c->nb_used +=
		(uint32_t)(st != TWR_SRV_SESS_FREE) - (uint32_t)(s->state != TWR_SRV_SESS_FREE);
	s->state = st;
}

struct twr_srv_session *
twr_srv_session_find(struct twr_server_conn *c, const uint8_t sid[TWR_SID_LEN])
{
	uint32_t i;

	for (i = 0; i < c->cfg->max_sessions; i++)
		if (c->sess[i].state != TWR_SRV_SESS_FREE &&
		    memcmp(c->sess[i].p.sid, sid, TWR_SID_LEN) == 0)
			return &c->sess[i];
	return NULL;
}

static struct twr_srv_session *
slot_alloc(struct twr_server_conn *c)
{
	uint32_t i;

	for (i = 0; i < c->cfg->max_sessions; i++)
		if (c->sess[i].state == TWR_SRV_SESS_FREE)
			return &c->sess[i];
	return NULL;
}

/* Encode an Accept-Session at @p out (reserved by the caller, or NULL: reserve now) and send. */
int
twr_srv_send_accept_session(struct twr_server_conn *c, uint8_t *out,
			    const struct twr_accept_session *m)
{
	if (out == NULL)
		out = twr_srv_tx_reserve(c, TWR_ACCEPT_SESSION_LEN);
	if (out == NULL)
		return -ENOBUFS;
	if (twr_accept_session_encode(m, out, TWR_ACCEPT_SESSION_LEN) < 0) {
		twr_srv_close(c, TWR_REASON_LOCAL_CLOSE);
		return -EINVAL;
	}
	return twr_srv_tx_commit(c, TWR_ACCEPT_SESSION_LEN, 0, true);
}

static void
refuse(struct twr_server_conn *c, uint8_t *out, uint8_t accept, uint16_t cookie)
{
	struct twr_accept_session m;

	/* RFC 4656 §3.3: any code we do not know is read as 1 by the peer anyway */
	if (accept > TWR_ACCEPT_NO_SA)
		accept = TWR_ACCEPT_FAILURE;
	c->stats.refused[accept]++;
	memset(&m, 0, sizeof(m));
	m.accept = accept;
	/* Port 0: a refusal never offers a port (RFC 5357 §3.5, erratum 1587) */
	/* the RFC 6038 cookie lets a pipelining client match even a refusal */
	m.reflected_octets = cookie;
	twr_srv_send_accept_session(c, out, &m);
}

/* The checks of RFC 5357 §3.5 and RFC 6038 §4.2; returns the Accept value. */
static uint8_t
request_check(const struct twr_server_conn *c, const uint8_t *msg, struct twr_request_session *r)
{
	size_t alen;

	if (twr_request_session_decode(msg, TWR_REQUEST_TW_SESSION_LEN, r) < 0)
		return TWR_ACCEPT_NOT_SUPPORTED; /* IPVN not 4 or 6 */
	/* TWAMP has no confidential Session-Sender/Receiver and no schedule */
	if (r->conf_sender != 0 || r->conf_receiver != 0)
		return TWR_ACCEPT_NOT_SUPPORTED;
	if (r->schedule_slots != 0 || r->packets != 0)
		return TWR_ACCEPT_NOT_SUPPORTED;
	/* PHB-ID form and stray bits: TWAMP can only set a DSCP */
	if ((r->type_p & ~TYPE_P_DSCP_MASK) != 0)
		return TWR_ACCEPT_NOT_SUPPORTED;
	/* "use the control connection's address" only works in its family */
	alen = r->ipvn == 4 ? 4 : 16;
	if ((twr_is_zero(r->sender_addr, alen) || twr_is_zero(r->receiver_addr, alen)) &&
	    r->ipvn != c->addrs.ipvn)
		return TWR_ACCEPT_NOT_SUPPORTED;
	/* RFC 6038 §4.3: the sizes cannot be equalised, so the request cannot be met */
	if ((c->mode & TWR_MODE_REFLECT_OCTETS) != 0 && r->padding_reflect_len > 0 &&
	    r->padding_length < REFLECT_GROWTH_UNAUTH + r->padding_reflect_len)
		return TWR_ACCEPT_NOT_SUPPORTED;
	if (r->padding_length > c->cfg->max_padding)
		return TWR_ACCEPT_PERMANENT;
	return TWR_ACCEPT_OK;
}

/*
 * SID (RFC 4656 §3.5, digest §2.8): an IPv4 address of ours, the NTP time,
 * 4 random octets. The random part makes it unpredictable (it is an access
 * token and keys test-packet crypto); a collision inside the connection
 * would make a session unaddressable by Start-N/Stop-N, so redraw.
 */
static int
sid_build(struct twr_server_conn *c, uint8_t sid[TWR_SID_LEN], uint64_t now_ntp)
{
	int i, ret;

	if (c->addrs.ipvn == 4)
		memcpy(sid, c->addrs.local, 4);
	else if (!twr_is_zero(c->cfg->sid_ipv4, 4))
		memcpy(sid, c->cfg->sid_ipv4, 4);
	else
		memcpy(sid, c->addrs.local + 12, 4); /* as owamp does without IPv4 */
	twr_put_be64(sid + 4, now_ntp);
	for (i = 0; i < SID_TRIES; i++) {
		ret = c->ops->random(c->ctx, sid + 12, 4);
		if (ret < 0)
			return ret;
		if (twr_srv_session_find(c, sid) == NULL)
			return 0;
	}
	return -EEXIST;
}

static void
params_build(const struct twr_server_conn *c, const struct twr_request_session *r,
	     struct twr_session_params *p)
{
	size_t alen = r->ipvn == 4 ? 4 : 16;
	uint64_t timeout_ns;

	memset(p, 0, sizeof(*p));
	p->ipvn = r->ipvn;
	/* zero addresses mean the control connection's (RFC 5357 §3.5): NAT-friendly */
	if (twr_is_zero(r->sender_addr, alen)) {
		memcpy(p->sender_addr, c->addrs.peer, alen);
		p->sender_addr_zero = true;
	} else {
		memcpy(p->sender_addr, r->sender_addr, alen);
		p->sender_not_peer = r->ipvn != c->addrs.ipvn ||
				     memcmp(r->sender_addr, c->addrs.peer, alen) != 0;
	}
	if (twr_is_zero(r->receiver_addr, alen)) {
		memcpy(p->receiver_addr, c->addrs.local, alen);
		p->receiver_addr_zero = true;
	} else {
		memcpy(p->receiver_addr, r->receiver_addr, alen);
	}
	p->sender_port = r->sender_port;
	p->requested_port = r->receiver_port;
	p->port = r->receiver_port;
	p->padding_length = r->padding_length;
	p->start_time = r->start_time;
	/* the grace after Stop keeps a port busy: a client must not pick it freely */
	timeout_ns = twr_ntp_duration_to_ns(r->timeout);
	p->timeout_ns = timeout_ns < c->cfg->max_timeout_ns ? timeout_ns : c->cfg->max_timeout_ns;
	p->dscp = (uint8_t)((r->type_p >> 24) & 0x3f);
	p->modes = c->mode;
	/* octets 88–91 are MBZ unless Reflect Octets was negotiated */
	if ((c->mode & TWR_MODE_REFLECT_OCTETS) != 0) {
		p->octets_reflected = r->octets_reflected;
		p->padding_reflect_len = r->padding_reflect_len;
	}
}

void
twr_srv_request_session(struct twr_server_conn *c, const uint8_t *msg, uint64_t now_ns,
			uint64_t now_ntp)
{
	bool reflect = (c->mode & TWR_MODE_REFLECT_OCTETS) != 0;
	/* read raw: even a request that does not decode gets its cookie echoed */
	uint16_t cookie = reflect ? twr_get_be16(msg + REQ_OCTETS_REFLECTED_OFF) : 0;
	struct twr_request_session r;
	struct twr_session_params p;
	struct twr_accept_session m;
	struct twr_srv_session *s;
	uint8_t accept;
	uint8_t *out;

	c->stats.requests++;
	accept = request_check(c, msg, &r);
	/* the limit counts slots, so REFWAIT-expired sessions the client still counts too */
	if (accept == TWR_ACCEPT_OK && c->nb_used >= c->cfg->max_sessions)
		accept = TWR_ACCEPT_TEMPORARY;
	if (accept != TWR_ACCEPT_OK) {
		refuse(c, NULL, accept, cookie);
		return;
	}
	/*
	 * Make sure the answer and the SESSION_ADD can be queued before the
	 * manager reserves anything: otherwise a reservation could leak.
	 */
	out = twr_srv_tx_reserve(c, TWR_ACCEPT_SESSION_LEN);
	if (out == NULL || twr_srv_action_ensure(c) < 0)
		return;
	s = slot_alloc(c);
	params_build(c, &r, &p);
	if (s == NULL || sid_build(c, p.sid, now_ntp) < 0) {
		refuse(c, out, TWR_ACCEPT_INTERNAL, cookie);
		return;
	}
	accept = c->ops->reserve(c->ctx, &p);
	if (accept != TWR_ACCEPT_OK) {
		refuse(c, out, accept, cookie);
		return;
	}
	/* The request's SID field is ignored: it MUST be 0, and ignoring interoperates best. */
	s->p = p;
	twr_srv_session_action(c, TWR_ACT_SESSION_ADD, s, TWR_REASON_NONE, 0);
	sess_set_state(c, s, TWR_SRV_SESS_ACCEPTED, now_ns);
	c->stats.accepted++;
	if (p.port != p.requested_port)
		c->stats.alternate_port++; /* RFC 8545 §5.1: an alternate port with Accept 0 */
	if (p.sender_not_peer)
		c->stats.sender_not_peer++;
	memset(&m, 0, sizeof(m));
	m.accept = TWR_ACCEPT_OK;
	m.port = p.port;
	memcpy(m.sid, p.sid, TWR_SID_LEN);
	m.reflected_octets = cookie;
	if (reflect)
		m.server_octets = p.server_octets;
	twr_srv_send_accept_session(c, out, &m);
}

static int
session_start(struct twr_server_conn *c, struct twr_srv_session *s, uint64_t now_ns)
{
	if (twr_srv_session_action(c, TWR_ACT_SESSION_START, s, TWR_REASON_NONE, 0) < 0)
		return -ENOMEM;
	/* REFWAIT runs from the start: a session nobody tests is reclaimed */
	s->activity_ns = now_ns;
	sess_set_state(c, s, TWR_SRV_SESS_STARTED, now_ns);
	c->stats.started++;
	return 0;
}

static int
session_stop(struct twr_server_conn *c, struct twr_srv_session *s, uint64_t now_ns)
{
	/* keep reflecting in-flight packets for the session's Timeout (RFC 5357 §3.8, §4.2) */
	uint64_t drain = twr_srv_add_sat(now_ns, s->p.timeout_ns);

	if (twr_srv_session_action(c, TWR_ACT_SESSION_STOP, s, TWR_REASON_NONE, drain) < 0)
		return -ENOMEM;
	s->drain_ns = drain;
	sess_set_state(c, s, TWR_SRV_SESS_STOPPED, now_ns);
	c->stats.stopped++;
	return 0;
}

void
twr_srv_start_sessions(struct twr_server_conn *c, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	struct twr_start_sessions m;
	struct twr_start_ack ack;
	uint8_t *out;
	uint32_t i;

	if (twr_start_sessions_decode(msg, len, &m) < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	out = twr_srv_tx_reserve(c, TWR_START_ACK_LEN);
	if (out == NULL)
		return;
	/* queued before the ack goes out: the reflector must be ready when it leaves */
	for (i = 0; i < c->cfg->max_sessions; i++)
		if (c->sess[i].state == TWR_SRV_SESS_ACCEPTED &&
		    session_start(c, &c->sess[i], now_ns) < 0)
			return;
	memset(&ack, 0, sizeof(ack));
	ack.accept = TWR_ACCEPT_OK;
	if (twr_start_ack_encode(&ack, out, TWR_START_ACK_LEN) < 0) {
		twr_srv_close(c, TWR_REASON_LOCAL_CLOSE);
		return;
	}
	if (twr_srv_tx_commit(c, TWR_START_ACK_LEN, 0, true) < 0)
		return;
	/* even with no session: the client now believes it is testing */
	c->state = TWR_SRV_TESTING;
}

void
twr_srv_stop_sessions(struct twr_server_conn *c, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	struct twr_stop_sessions m;
	uint32_t i, count = 0;

	if (twr_stop_sessions_decode(msg, len, &m) < 0) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	/* the client counts what it started: REFWAIT-expired sessions included */
	for (i = 0; i < c->cfg->max_sessions; i++)
		if (c->sess[i].state == TWR_SRV_SESS_STARTED ||
		    c->sess[i].state == TWR_SRV_SESS_EXPIRED)
			count++;
	if (m.nb_sessions != count) {
		/* RFC 5357 §3.8: the message is invalid, the results too: close */
		twr_srv_close(c, TWR_REASON_STOP_COUNT_MISMATCH);
		return;
	}
	for (i = 0; i < c->cfg->max_sessions; i++) {
		struct twr_srv_session *s = &c->sess[i];

		if (s->state == TWR_SRV_SESS_EXPIRED)
			sess_set_state(c, s, TWR_SRV_SESS_FREE, now_ns); /* REMOVE already sent */
		else if (s->state == TWR_SRV_SESS_STARTED && session_stop(c, s, now_ns) < 0)
			return;
	}
	c->state = TWR_SRV_IDLE;
}

/* Send the acks of a Start-N/Stop-N: one per distinct Accept, in order of first appearance. */
static void
sid_list_acks(struct twr_server_conn *c, const struct twr_sid_list_msg *req)
{
	const uint8_t *acc = c->scratch_accept;
	bool done[256] = {false};
	struct twr_sid_list_msg ack;
	uint32_t i, j, n;
	size_t len;
	uint8_t *out;

	for (i = 0; i < req->nb_sessions; i++) {
		if (done[acc[i]])
			continue;
		done[acc[i]] = true;
		n = 0;
		for (j = i; j < req->nb_sessions; j++)
			if (acc[j] == acc[i])
				memcpy(c->scratch_sids + TWR_SID_LEN * n++,
				       req->sids + TWR_SID_LEN * (size_t)j, TWR_SID_LEN);
		memset(&ack, 0, sizeof(ack));
		ack.command = (uint8_t)(req->command + 1); /* 7 -> 8, 9 -> 10 */
		ack.accept = acc[i];
		ack.nb_sessions = n;
		ack.sids = c->scratch_sids;
		len = TWR_SID_LIST_MSG_LEN(n);
		out = twr_srv_tx_reserve(c, len);
		if (out == NULL)
			return;
		if (twr_sid_list_msg_encode(&ack, out, len) < 0) {
			twr_srv_close(c, TWR_REASON_LOCAL_CLOSE);
			return;
		}
		if (twr_srv_tx_commit(c, len, 0, true) < 0)
			return;
	}
}

void
twr_srv_sid_list_cmd(struct twr_server_conn *c, const uint8_t *msg, size_t len, uint64_t now_ns)
{
	struct twr_sid_list_msg m;
	struct twr_srv_session *s;
	bool start = msg[0] == TWR_CMD_START_N_SESSIONS;
	uint32_t i;
	int ret;

	if (twr_sid_list_msg_decode(msg, len, msg[0], &m) < 0 || m.nb_sessions == 0 ||
	    m.nb_sessions > c->cfg->max_sessions) {
		twr_srv_close(c, TWR_REASON_BAD_MESSAGE);
		return;
	}
	for (i = 0; i < m.nb_sessions; i++) {
		s = twr_srv_session_find(c, m.sids + TWR_SID_LEN * (size_t)i);
		ret = -ENOENT; /* unknown, or not in a state the command applies to */
		if (s != NULL && start && s->state == TWR_SRV_SESS_ACCEPTED) {
			ret = session_start(c, s, now_ns);
		} else if (s != NULL && !start && s->state == TWR_SRV_SESS_STARTED) {
			ret = session_stop(c, s, now_ns);
		} else if (s != NULL && !start && s->state == TWR_SRV_SESS_EXPIRED) {
			/* stopped after REFWAIT removed it: nothing left to drain */
			sess_set_state(c, s, TWR_SRV_SESS_FREE, now_ns);
			ret = 0;
		}
		if (c->state == TWR_SRV_CLOSED)
			return;
		c->scratch_accept[i] = ret == 0 ? TWR_ACCEPT_OK : TWR_ACCEPT_FAILURE;
	}
	sid_list_acks(c, &m);
}

void
twr_srv_sessions_timer(struct twr_server_conn *c, uint64_t now_ns)
{
	uint32_t i;

	for (i = 0; i < c->cfg->max_sessions && c->state != TWR_SRV_CLOSED; i++) {
		struct twr_srv_session *s = &c->sess[i];

		if (s->state == TWR_SRV_SESS_STOPPED && now_ns >= s->drain_ns) {
			if (twr_srv_session_action(c, TWR_ACT_SESSION_REMOVE, s, TWR_REASON_DRAINED,
						   0) == 0)
				sess_set_state(c, s, TWR_SRV_SESS_FREE, now_ns);
		} else if (s->state == TWR_SRV_SESS_STARTED &&
			   now_ns >= twr_srv_add_sat(s->activity_ns, c->cfg->refwait_ns)) {
			if (twr_srv_session_action(c, TWR_ACT_SESSION_REMOVE, s, TWR_REASON_REFWAIT,
						   0) == 0)
				sess_set_state(c, s, TWR_SRV_SESS_EXPIRED, now_ns);
		}
	}
}

uint64_t
twr_srv_sessions_deadline(const struct twr_server_conn *c)
{
	uint64_t d = UINT64_MAX, t;
	uint32_t i;

	for (i = 0; i < c->cfg->max_sessions; i++) {
		const struct twr_srv_session *s = &c->sess[i];

		if (s->state == TWR_SRV_SESS_STARTED)
			t = twr_srv_add_sat(s->activity_ns, c->cfg->refwait_ns);
		else if (s->state == TWR_SRV_SESS_STOPPED)
			t = s->drain_ns;
		else
			continue;
		if (t < d)
			d = t;
	}
	return d;
}

void
twr_srv_sessions_remove_all(struct twr_server_conn *c, enum twr_server_reason reason)
{
	uint32_t i;

	for (i = 0; i < c->cfg->max_sessions; i++) {
		struct twr_srv_session *s = &c->sess[i];

		if (sess_held(s->state))
			twr_srv_session_action(c, TWR_ACT_SESSION_REMOVE, s, reason, 0);
		if (s->state != TWR_SRV_SESS_FREE)
			sess_set_state(c, s, TWR_SRV_SESS_FREE, 0);
	}
}
