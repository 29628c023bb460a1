/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The TWAMP-Control conversation of a Control-Client, unauthenticated
 * (digest §2.1). Strictly sequential: one message out, its answer in,
 * which is all RFC 5357 needs and keeps the client's reading of the
 * stream in step with the server's writing. What the server answered is
 * kept per session for the report.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "twr_wire.h"

#include "ping_control.h"
#include "ping_ctrl_io.h"

bool
twr_ping_control_individual(const struct twr_ping_control *c)
{
	return (c->mode & TWR_MODE_INDIVIDUAL) != 0;
}

unsigned int
twr_ping_control_count_accepted(const struct twr_ping_control *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nb_sessions; i++)
		n += c->sess[i].answered && c->sess[i].accept == TWR_ACCEPT_OK;
	return n;
}

unsigned int
twr_ping_control_count_started(const struct twr_ping_control *c)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nb_sessions; i++)
		n += c->sess[i].started;
	return n;
}

static int
send_msg(struct twr_ping_control *c, const uint8_t *buf, ssize_t len, const char *what, char *err,
	 size_t errlen)
{
	if (len < 0) {
		snprintf(err, errlen, "cannot build %s: %s", what, strerror((int)-len));
		return (int)len;
	}
	return twr_ping_ctrl_write(c->fd, buf, (size_t)len, c->timeout_ns, what, err, errlen);
}

static int
read_greeting(struct twr_ping_control *c, char *err, size_t errlen)
{
	uint8_t buf[TWR_SETUP_RESPONSE_LEN];
	char modes[256];
	int ret;

	ret = twr_ping_ctrl_read(c->fd, buf, TWR_SERVER_GREETING_LEN, c->timeout_ns,
				 "Server-Greeting", err, errlen);
	if (ret < 0)
		return ret;
	ret = twr_ping_greeting_parse(buf, TWR_SERVER_GREETING_LEN, &c->greeting);
	twr_ping_modes_str(c->greeting.modes, modes, sizeof(modes));
	switch (ret) {
	case 0:
		return 0;
	case -ECONNREFUSED:
		snprintf(err, errlen, "the server refuses service (Server-Greeting Modes 0)");
		return ret;
	case -ERANGE:
		snprintf(err, errlen,
			 "Server-Greeting Count %u is above %u: hanging up (RFC 5357 §6)",
			 c->greeting.count, TWR_PING_MAX_PBKDF2_COUNT);
		return ret;
	default:
		/* Mode 0 tells the server we give up rather than leave it waiting. */
		(void)send_msg(c, buf, twr_ping_setup_response_build(0, buf, sizeof(buf)),
			       "Set-Up-Response", err, errlen);
		snprintf(err, errlen,
			 "the server offers no unauthenticated mode (Modes 0x%x: %s); twamp-ping "
			 "speaks only that one",
			 c->greeting.modes, modes);
		return -ENOTSUP;
	}
}

int
twr_ping_control_open(struct twr_ping_control *c, const struct twr_ping_addr *server,
		      const struct twr_ping_addr *source, uint64_t timeout_ns, bool individual,
		      unsigned int nb_sessions, char *err, size_t errlen)
{
	uint8_t buf[TWR_SETUP_RESPONSE_LEN];
	int ret;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->timeout_ns = timeout_ns;
	c->server = *server;
	c->individual_asked = individual;
	c->sess = calloc(nb_sessions, sizeof(*c->sess));
	if (c->sess == NULL) {
		snprintf(err, errlen, "--sessions %u: out of memory", nb_sessions);
		return -ENOMEM;
	}
	c->nb_sessions = nb_sessions;
	ret = twr_ping_ctrl_connect(server, source, timeout_ns, &c->local, err, errlen);
	if (ret < 0)
		return ret;
	c->fd = ret;
	ret = read_greeting(c, err, errlen);
	if (ret < 0)
		goto fail;
	c->mode = twr_ping_setup_mode(c->greeting.modes, individual);
	ret = send_msg(c, buf, twr_ping_setup_response_build(c->mode, buf, sizeof(buf)),
		       "Set-Up-Response", err, errlen);
	if (ret < 0)
		goto fail;
	ret = twr_ping_ctrl_read(c->fd, buf, TWR_SERVER_START_LEN, c->timeout_ns, "Server-Start",
				 err, errlen);
	if (ret < 0)
		goto fail;
	twr_ping_server_start_parse(buf, TWR_SERVER_START_LEN, &c->server_start_accept,
				    &c->server_start_time);
	if (c->server_start_accept != TWR_ACCEPT_OK) {
		snprintf(err, errlen,
			 "the server refused the connection: Server-Start Accept %u (%s)",
			 c->server_start_accept, twr_ping_accept_name(c->server_start_accept));
		ret = -ECONNREFUSED;
		goto fail;
	}
	return 0;
fail:
	close(c->fd);
	c->fd = -1;
	return ret;
}

int
twr_ping_control_request(struct twr_ping_control *c, unsigned int i,
			 const struct twr_ping_request *r, char *err, size_t errlen)
{
	struct twr_ping_ctrl_session *s;
	uint8_t buf[TWR_REQUEST_TW_SESSION_LEN];
	struct twr_ping_accept a;
	char what[64];
	int ret;

	if (i >= c->nb_sessions || c->fd < 0) {
		snprintf(err, errlen, "no session %u", i + 1);
		return -EINVAL;
	}
	s = &c->sess[i];
	snprintf(what, sizeof(what), "Request-TW-Session of session %u", i + 1);
	ret = send_msg(c, buf, twr_ping_request_build(r, buf, sizeof(buf)), what, err, errlen);
	if (ret < 0)
		return ret;
	s->requested = true;
	s->sender_port = twr_ping_addr_port(r->sender);
	s->requested_port = r->receiver_port;
	snprintf(what, sizeof(what), "Accept-Session of session %u", i + 1);
	ret = twr_ping_ctrl_read(c->fd, buf, TWR_ACCEPT_SESSION_LEN, c->timeout_ns, what, err,
				 errlen);
	if (ret < 0)
		return ret;
	twr_ping_accept_parse(buf, TWR_ACCEPT_SESSION_LEN, &a);
	s->answered = true;
	s->accept = a.accept;
	s->port = a.port;
	memcpy(s->sid, a.sid, TWR_SID_LEN);
	return 0;
}

static int
start_all(struct twr_ping_control *c, char *err, size_t errlen)
{
	uint8_t buf[TWR_START_SESSIONS_LEN];
	unsigned int i;
	int ret;

	ret = send_msg(c, buf, twr_ping_start_sessions_build(buf, sizeof(buf)), "Start-Sessions",
		       err, errlen);
	if (ret < 0)
		return ret;
	c->start_sent = true;
	ret = twr_ping_ctrl_read(c->fd, buf, TWR_START_ACK_LEN, c->timeout_ns, "Start-Ack", err,
				 errlen);
	if (ret < 0)
		return ret;
	twr_ping_start_ack_parse(buf, TWR_START_ACK_LEN, &c->start_accept);
	if (c->start_accept != TWR_ACCEPT_OK) {
		snprintf(err, errlen, "the server refused Start-Sessions: Start-Ack Accept %u (%s)",
			 c->start_accept, twr_ping_accept_name(c->start_accept));
		return -ECONNREFUSED;
	}
	/* Start-Sessions starts every accepted session, used or not: Stop must count them all. */
	for (i = 0; i < c->nb_sessions; i++)
		c->sess[i].started = c->sess[i].answered && c->sess[i].accept == TWR_ACCEPT_OK;
	return 0;
}

/* Sessions selected for a Start-N (run) or a Stop-N (started), their SIDs in @p sids. */
static uint32_t
collect_sids(const struct twr_ping_control *c, bool stopping, uint8_t *sids)
{
	uint32_t n = 0;
	unsigned int i;

	for (i = 0; i < c->nb_sessions; i++)
		if (stopping ? c->sess[i].started : c->sess[i].run)
			memcpy(sids + TWR_SID_LEN * (size_t)n++, c->sess[i].sid, TWR_SID_LEN);
	return n;
}

/* The session a Start-N-Ack / Stop-N-Ack names, among those listed and not yet answered. */
static struct twr_ping_ctrl_session *
find_listed(struct twr_ping_control *c, const uint8_t *sid, bool stopping)
{
	unsigned int i;

	for (i = 0; i < c->nb_sessions; i++) {
		struct twr_ping_ctrl_session *s = &c->sess[i];

		if (stopping ? !s->started || s->stop_answered : !s->run || s->start_answered)
			continue;
		if (memcmp(s->sid, sid, TWR_SID_LEN) == 0)
			return s;
	}
	return NULL;
}

/*
 * Read acks until each of the @p n listed SIDs has its Accept: RFC 5938
 * §3.3 lets the server send one ack per distinct Accept value.
 */
static int
read_sid_acks(struct twr_ping_control *c, bool stopping, uint32_t n, uint8_t *buf, char *err,
	      size_t errlen)
{
	uint8_t command = stopping ? TWR_CMD_STOP_N_ACK : TWR_CMD_START_N_ACK;
	const char *what = stopping ? "Stop-N-Ack" : "Start-N-Ack";
	struct twr_sid_list_msg m;
	uint32_t left = n, k;
	ssize_t len;
	int ret;

	while (left > 0) {
		ret = twr_ping_ctrl_read(c->fd, buf, TWR_BLOCK_LEN, c->timeout_ns, what, err,
					 errlen);
		if (ret < 0)
			return ret;
		len = twr_ping_sid_ack_length(buf, TWR_BLOCK_LEN, command, left);
		if (len < 0) {
			snprintf(err, errlen,
				 "expected %s for %u sessions, got command %u with Number of "
				 "Sessions %u",
				 what, left, buf[0], twr_get_be32(buf + 12));
			return -EBADMSG;
		}
		ret = twr_ping_ctrl_read(c->fd, buf + TWR_BLOCK_LEN, (size_t)len - TWR_BLOCK_LEN,
					 c->timeout_ns, what, err, errlen);
		if (ret < 0)
			return ret;
		ret = twr_ping_sid_ack_parse(buf, (size_t)len, command, &m);
		if (ret < 0) {
			snprintf(err, errlen, "malformed %s: %s", what, strerror(-ret));
			return ret;
		}
		for (k = 0; k < m.nb_sessions; k++) {
			struct twr_ping_ctrl_session *s =
				find_listed(c, m.sids + TWR_SID_LEN * (size_t)k, stopping);

			if (s == NULL) {
				snprintf(err, errlen, "%s names a SID we did not list, or twice",
					 what);
				return -EBADMSG;
			}
			if (stopping) {
				s->stop_answered = true;
				s->stop_accept = m.accept;
			} else {
				s->start_answered = true;
				s->start_accept = m.accept;
				s->started = m.accept == TWR_ACCEPT_OK;
			}
		}
		left -= m.nb_sessions;
	}
	return 0;
}

/* Start-N-Sessions or Stop-N-Sessions and their acks (RFC 5938 §3.2–3.5). */
static int
sid_list_exchange(struct twr_ping_control *c, bool stopping, char *err, size_t errlen)
{
	uint8_t command = stopping ? TWR_CMD_STOP_N_SESSIONS : TWR_CMD_START_N_SESSIONS;
	const char *what = stopping ? "Stop-N-Sessions" : "Start-N-Sessions";
	size_t cap = TWR_SID_LIST_MSG_LEN(c->nb_sessions);
	uint8_t *buf, *sids;
	uint32_t n;
	int ret;

	buf = malloc(cap);
	sids = malloc(TWR_SID_LEN * (size_t)c->nb_sessions);
	if (buf == NULL || sids == NULL) {
		free(buf);
		free(sids);
		snprintf(err, errlen, "%s: out of memory", what);
		return -ENOMEM;
	}
	n = collect_sids(c, stopping, sids);
	ret = send_msg(c, buf, twr_ping_sid_list_build(command, sids, n, buf, cap), what, err,
		       errlen);
	free(sids);
	if (ret == 0) {
		if (stopping) {
			c->stop_sent = true;
			c->stop_count = n;
		} else {
			c->start_sent = true;
		}
		ret = read_sid_acks(c, stopping, n, buf, err, errlen);
	}
	free(buf);
	return ret;
}

int
twr_ping_control_start(struct twr_ping_control *c, char *err, size_t errlen)
{
	unsigned int i, n = 0;

	for (i = 0; i < c->nb_sessions; i++)
		n += c->sess[i].run;
	if (c->fd < 0 || n == 0) {
		snprintf(err, errlen, "no session to start");
		return -EINVAL;
	}
	if (twr_ping_control_individual(c))
		return sid_list_exchange(c, false, err, errlen);
	return start_all(c, err, errlen);
}

int
twr_ping_control_stop(struct twr_ping_control *c, char *err, size_t errlen)
{
	uint8_t buf[TWR_STOP_SESSIONS_LEN];
	uint32_t n = twr_ping_control_count_started(c);
	int ret;

	if (c->fd < 0 || n == 0)
		return 0;
	if (twr_ping_control_individual(c))
		return sid_list_exchange(c, true, err, errlen);
	/* RFC 5357 §3.8: a count other than the sessions started makes the server close. */
	ret = send_msg(c, buf, twr_ping_stop_sessions_build(n, buf, sizeof(buf)), "Stop-Sessions",
		       err, errlen);
	if (ret == 0) {
		c->stop_sent = true;
		c->stop_count = n;
	}
	return ret;
}

void
twr_ping_control_close(struct twr_ping_control *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

void
twr_ping_control_free(struct twr_ping_control *c)
{
	if (c == NULL)
		return;
	twr_ping_control_close(c);
	free(c->sess);
	c->sess = NULL;
	c->nb_sessions = 0;
}
