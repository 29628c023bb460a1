/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * TWAMP-Control message layouts (digest §2). Every function checks in the
 * same order, so that a message with several faults always gets the same
 * answer: NULL pointers, then the length (or the encoder's capacity), then
 * the command number, then field ranges. A decoder fills the struct only
 * once every check has passed, so a refused message leaves it untouched.
 * Encoders refuse what the matching decoder would refuse: whatever they
 * write decodes.
 */

#include <errno.h>
#include <string.h>

#include "twr_ctrl_msg.h"
#include "twr_wire.h"

/* Server-Greeting, digest §2.2 (octets 0-11 unused, 52-63 MBZ) */
#define GREETING_MODES	   12
#define GREETING_CHALLENGE 16
#define GREETING_SALT	   32
#define GREETING_COUNT	   48
/* RFC 4656 §3.1: Count is a power of two no smaller than 1024 */
#define GREETING_COUNT_MIN 1024u

/* Set-Up-Response, digest §2.3 (no MBZ octets) */
#define SETUP_MODE	0
#define SETUP_KEY_ID	4
#define SETUP_TOKEN	84
#define SETUP_CLIENT_IV 148

/* Server-Start, digest §2.5 (octets 0-14 and 40-47 MBZ) */
#define START_ACCEPT	15
#define START_SERVER_IV 16
#define START_TIME	32

/* Request-TW-Session, digest §2.6 (high nibble of octet 1 and 92-95 MBZ) */
#define REQ_COMMAND	     0
#define REQ_IPVN	     1
#define REQ_IPVN_MASK	     0x0f
#define REQ_CONF_SENDER	     2
#define REQ_CONF_RECEIVER    3
#define REQ_SLOTS	     4
#define REQ_PACKETS	     8
#define REQ_SENDER_PORT	     12
#define REQ_RECEIVER_PORT    14
#define REQ_SENDER_ADDR	     16
#define REQ_RECEIVER_ADDR    32
#define REQ_SID		     48
#define REQ_PADDING	     64
#define REQ_START_TIME	     68
#define REQ_TIMEOUT	     76
#define REQ_TYPE_P	     84
#define REQ_OCTETS_REFLECTED 88
#define REQ_PADDING_REFLECT  90
#define REQ_HMAC	     96
#define REQ_ADDR_LEN	     16
#define REQ_ADDR4_LEN	     4

/* Accept-Session, digest §2.7 (octets 1 and 24-31 MBZ) */
#define ACCEPT_ACCEPT	     0
#define ACCEPT_PORT	     2
#define ACCEPT_SID	     4
#define ACCEPT_REFLECTED     20
#define ACCEPT_SERVER_OCTETS 22
#define ACCEPT_HMAC	     32

/* Start-Sessions, Start-Ack, Stop-Sessions, digest §2.9-2.10: HMAC in block 2 */
#define SHORT_COMMAND	 0
#define SHORT_ACCEPT	 0
#define SHORT_HMAC	 16
#define STOP_ACCEPT	 1
#define STOP_NB_SESSIONS 4

/* SID-list messages, digest §2.11: header block, N SIDs, HMAC block */
#define SIDLIST_COMMAND	    0
#define SIDLIST_ACCEPT	    1 /* acks only; MBZ in Start-N and Stop-N */
#define SIDLIST_NB_SESSIONS 12
#define SIDLIST_SIDS	    16

static int
check_len(size_t len, size_t want)
{
	if (len < want)
		return -EMSGSIZE;
	if (len > want)
		return -E2BIG;
	return 0;
}

static int
accept_valid(uint8_t accept)
{
	return accept <= TWR_ACCEPT_NO_SA;
}

static int
count_valid(uint32_t count)
{
	return count >= GREETING_COUNT_MIN && (count & (count - 1)) == 0;
}

static int
ipvn_valid(uint8_t ipvn)
{
	return ipvn == 4 || ipvn == 6;
}

static int
sid_list_command_valid(uint8_t command)
{
	return command >= TWR_CMD_START_N_SESSIONS && command <= TWR_CMD_STOP_N_ACK;
}

static int
sid_list_is_ack(uint8_t command)
{
	return command == TWR_CMD_START_N_ACK || command == TWR_CMD_STOP_N_ACK;
}

static int
sid_list_nb_valid(uint32_t nb_sessions)
{
	return nb_sessions != 0 && nb_sessions <= TWR_SID_LIST_MAX;
}

ssize_t
twr_server_greeting_encode(const struct twr_server_greeting *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_SERVER_GREETING_LEN)
		return -ENOBUFS;
	if (!count_valid(m->count))
		return -ERANGE;

	memset(buf, 0, TWR_SERVER_GREETING_LEN);
	twr_put_be32(buf + GREETING_MODES, m->modes);
	memcpy(buf + GREETING_CHALLENGE, m->challenge, sizeof(m->challenge));
	memcpy(buf + GREETING_SALT, m->salt, sizeof(m->salt));
	twr_put_be32(buf + GREETING_COUNT, m->count);
	return TWR_SERVER_GREETING_LEN;
}

int
twr_server_greeting_decode(const uint8_t *buf, size_t len, struct twr_server_greeting *m)
{
	uint32_t count;
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_SERVER_GREETING_LEN);
	if (ret < 0)
		return ret;
	count = twr_get_be32(buf + GREETING_COUNT);
	if (!count_valid(count))
		return -ERANGE;

	m->modes = twr_get_be32(buf + GREETING_MODES);
	memcpy(m->challenge, buf + GREETING_CHALLENGE, sizeof(m->challenge));
	memcpy(m->salt, buf + GREETING_SALT, sizeof(m->salt));
	m->count = count;
	return 0;
}

ssize_t
twr_setup_response_encode(const struct twr_setup_response *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_SETUP_RESPONSE_LEN)
		return -ENOBUFS;

	twr_put_be32(buf + SETUP_MODE, m->mode);
	memcpy(buf + SETUP_KEY_ID, m->key_id, sizeof(m->key_id));
	memcpy(buf + SETUP_TOKEN, m->token, sizeof(m->token));
	memcpy(buf + SETUP_CLIENT_IV, m->client_iv, sizeof(m->client_iv));
	return TWR_SETUP_RESPONSE_LEN;
}

int
twr_setup_response_decode(const uint8_t *buf, size_t len, struct twr_setup_response *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_SETUP_RESPONSE_LEN);
	if (ret < 0)
		return ret;

	/* Mode is not range-checked: only the server knows what it offered. */
	m->mode = twr_get_be32(buf + SETUP_MODE);
	memcpy(m->key_id, buf + SETUP_KEY_ID, sizeof(m->key_id));
	memcpy(m->token, buf + SETUP_TOKEN, sizeof(m->token));
	memcpy(m->client_iv, buf + SETUP_CLIENT_IV, sizeof(m->client_iv));
	return 0;
}

ssize_t
twr_server_start_encode(const struct twr_server_start *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_SERVER_START_LEN)
		return -ENOBUFS;
	if (!accept_valid(m->accept))
		return -ERANGE;

	memset(buf, 0, TWR_SERVER_START_LEN);
	buf[START_ACCEPT] = m->accept;
	memcpy(buf + START_SERVER_IV, m->server_iv, sizeof(m->server_iv));
	twr_put_be64(buf + START_TIME, m->start_time);
	return TWR_SERVER_START_LEN;
}

int
twr_server_start_decode(const uint8_t *buf, size_t len, struct twr_server_start *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_SERVER_START_LEN);
	if (ret < 0)
		return ret;
	if (!accept_valid(buf[START_ACCEPT]))
		return -ERANGE;

	m->accept = buf[START_ACCEPT];
	memcpy(m->server_iv, buf + START_SERVER_IV, sizeof(m->server_iv));
	m->start_time = twr_get_be64(buf + START_TIME);
	return 0;
}

ssize_t
twr_request_session_encode(const struct twr_request_session *m, uint8_t *buf, size_t cap)
{
	size_t addr_len;

	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_REQUEST_TW_SESSION_LEN)
		return -ENOBUFS;
	if (!ipvn_valid(m->ipvn))
		return -EAFNOSUPPORT;

	/* IPv4 addresses: octets 4-15 of each field are MBZ, whatever the struct holds. */
	addr_len = m->ipvn == 4 ? REQ_ADDR4_LEN : REQ_ADDR_LEN;
	memset(buf, 0, TWR_REQUEST_TW_SESSION_LEN);
	buf[REQ_COMMAND] = TWR_CMD_REQUEST_TW_SESSION;
	buf[REQ_IPVN] = m->ipvn;
	buf[REQ_CONF_SENDER] = m->conf_sender;
	buf[REQ_CONF_RECEIVER] = m->conf_receiver;
	twr_put_be32(buf + REQ_SLOTS, m->schedule_slots);
	twr_put_be32(buf + REQ_PACKETS, m->packets);
	twr_put_be16(buf + REQ_SENDER_PORT, m->sender_port);
	twr_put_be16(buf + REQ_RECEIVER_PORT, m->receiver_port);
	memcpy(buf + REQ_SENDER_ADDR, m->sender_addr, addr_len);
	memcpy(buf + REQ_RECEIVER_ADDR, m->receiver_addr, addr_len);
	memcpy(buf + REQ_SID, m->sid, sizeof(m->sid));
	twr_put_be32(buf + REQ_PADDING, m->padding_length);
	twr_put_be64(buf + REQ_START_TIME, m->start_time);
	twr_put_be64(buf + REQ_TIMEOUT, m->timeout);
	twr_put_be32(buf + REQ_TYPE_P, m->type_p);
	twr_put_be16(buf + REQ_OCTETS_REFLECTED, m->octets_reflected);
	twr_put_be16(buf + REQ_PADDING_REFLECT, m->padding_reflect_len);
	memcpy(buf + REQ_HMAC, m->hmac, sizeof(m->hmac));
	return TWR_REQUEST_TW_SESSION_LEN;
}

int
twr_request_session_decode(const uint8_t *buf, size_t len, struct twr_request_session *m)
{
	size_t addr_len;
	uint8_t ipvn;
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_REQUEST_TW_SESSION_LEN);
	if (ret < 0)
		return ret;
	if (buf[REQ_COMMAND] != TWR_CMD_REQUEST_TW_SESSION)
		return -EBADMSG;
	/* the high nibble of the IPVN octet is MBZ: ignored, not refused */
	ipvn = buf[REQ_IPVN] & REQ_IPVN_MASK;
	if (!ipvn_valid(ipvn))
		return -EAFNOSUPPORT;

	addr_len = ipvn == 4 ? REQ_ADDR4_LEN : REQ_ADDR_LEN;
	m->ipvn = ipvn;
	m->conf_sender = buf[REQ_CONF_SENDER];
	m->conf_receiver = buf[REQ_CONF_RECEIVER];
	m->schedule_slots = twr_get_be32(buf + REQ_SLOTS);
	m->packets = twr_get_be32(buf + REQ_PACKETS);
	m->sender_port = twr_get_be16(buf + REQ_SENDER_PORT);
	m->receiver_port = twr_get_be16(buf + REQ_RECEIVER_PORT);
	/* IPv4: the 12 MBZ octets after each address stay zero in the struct */
	memset(m->sender_addr, 0, sizeof(m->sender_addr));
	memset(m->receiver_addr, 0, sizeof(m->receiver_addr));
	memcpy(m->sender_addr, buf + REQ_SENDER_ADDR, addr_len);
	memcpy(m->receiver_addr, buf + REQ_RECEIVER_ADDR, addr_len);
	memcpy(m->sid, buf + REQ_SID, sizeof(m->sid));
	m->padding_length = twr_get_be32(buf + REQ_PADDING);
	m->start_time = twr_get_be64(buf + REQ_START_TIME);
	m->timeout = twr_get_be64(buf + REQ_TIMEOUT);
	m->type_p = twr_get_be32(buf + REQ_TYPE_P);
	m->octets_reflected = twr_get_be16(buf + REQ_OCTETS_REFLECTED);
	m->padding_reflect_len = twr_get_be16(buf + REQ_PADDING_REFLECT);
	memcpy(m->hmac, buf + REQ_HMAC, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_accept_session_encode(const struct twr_accept_session *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_ACCEPT_SESSION_LEN)
		return -ENOBUFS;
	if (!accept_valid(m->accept))
		return -ERANGE;

	memset(buf, 0, TWR_ACCEPT_SESSION_LEN);
	buf[ACCEPT_ACCEPT] = m->accept;
	twr_put_be16(buf + ACCEPT_PORT, m->port);
	memcpy(buf + ACCEPT_SID, m->sid, sizeof(m->sid));
	twr_put_be16(buf + ACCEPT_REFLECTED, m->reflected_octets);
	twr_put_be16(buf + ACCEPT_SERVER_OCTETS, m->server_octets);
	memcpy(buf + ACCEPT_HMAC, m->hmac, sizeof(m->hmac));
	return TWR_ACCEPT_SESSION_LEN;
}

int
twr_accept_session_decode(const uint8_t *buf, size_t len, struct twr_accept_session *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_ACCEPT_SESSION_LEN);
	if (ret < 0)
		return ret;
	if (!accept_valid(buf[ACCEPT_ACCEPT]))
		return -ERANGE;

	m->accept = buf[ACCEPT_ACCEPT];
	m->port = twr_get_be16(buf + ACCEPT_PORT);
	memcpy(m->sid, buf + ACCEPT_SID, sizeof(m->sid));
	m->reflected_octets = twr_get_be16(buf + ACCEPT_REFLECTED);
	m->server_octets = twr_get_be16(buf + ACCEPT_SERVER_OCTETS);
	memcpy(m->hmac, buf + ACCEPT_HMAC, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_start_sessions_encode(const struct twr_start_sessions *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_START_SESSIONS_LEN)
		return -ENOBUFS;

	memset(buf, 0, TWR_START_SESSIONS_LEN);
	buf[SHORT_COMMAND] = TWR_CMD_START_SESSIONS;
	memcpy(buf + SHORT_HMAC, m->hmac, sizeof(m->hmac));
	return TWR_START_SESSIONS_LEN;
}

int
twr_start_sessions_decode(const uint8_t *buf, size_t len, struct twr_start_sessions *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_START_SESSIONS_LEN);
	if (ret < 0)
		return ret;
	if (buf[SHORT_COMMAND] != TWR_CMD_START_SESSIONS)
		return -EBADMSG;

	memcpy(m->hmac, buf + SHORT_HMAC, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_start_ack_encode(const struct twr_start_ack *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_START_ACK_LEN)
		return -ENOBUFS;
	if (!accept_valid(m->accept))
		return -ERANGE;

	memset(buf, 0, TWR_START_ACK_LEN);
	buf[SHORT_ACCEPT] = m->accept;
	memcpy(buf + SHORT_HMAC, m->hmac, sizeof(m->hmac));
	return TWR_START_ACK_LEN;
}

int
twr_start_ack_decode(const uint8_t *buf, size_t len, struct twr_start_ack *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_START_ACK_LEN);
	if (ret < 0)
		return ret;
	if (!accept_valid(buf[SHORT_ACCEPT]))
		return -ERANGE;

	m->accept = buf[SHORT_ACCEPT];
	memcpy(m->hmac, buf + SHORT_HMAC, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_stop_sessions_encode(const struct twr_stop_sessions *m, uint8_t *buf, size_t cap)
{
	if (m == NULL || buf == NULL)
		return -EINVAL;
	if (cap < TWR_STOP_SESSIONS_LEN)
		return -ENOBUFS;
	if (!accept_valid(m->accept))
		return -ERANGE;

	memset(buf, 0, TWR_STOP_SESSIONS_LEN);
	buf[SHORT_COMMAND] = TWR_CMD_STOP_SESSIONS;
	buf[STOP_ACCEPT] = m->accept;
	twr_put_be32(buf + STOP_NB_SESSIONS, m->nb_sessions);
	memcpy(buf + SHORT_HMAC, m->hmac, sizeof(m->hmac));
	return TWR_STOP_SESSIONS_LEN;
}

int
twr_stop_sessions_decode(const uint8_t *buf, size_t len, struct twr_stop_sessions *m)
{
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = check_len(len, TWR_STOP_SESSIONS_LEN);
	if (ret < 0)
		return ret;
	if (buf[SHORT_COMMAND] != TWR_CMD_STOP_SESSIONS)
		return -EBADMSG;
	if (!accept_valid(buf[STOP_ACCEPT]))
		return -ERANGE;

	/* Number of Sessions is not checked here: only the server knows how many run. */
	m->accept = buf[STOP_ACCEPT];
	m->nb_sessions = twr_get_be32(buf + STOP_NB_SESSIONS);
	memcpy(m->hmac, buf + SHORT_HMAC, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_sid_list_msg_encode(const struct twr_sid_list_msg *m, uint8_t *buf, size_t cap)
{
	size_t sids_len, msg_len;

	if (m == NULL || buf == NULL || m->sids == NULL)
		return -EINVAL;
	if (!sid_list_command_valid(m->command))
		return -EINVAL;
	/* N decides the length, so it is checked before the capacity */
	if (!sid_list_nb_valid(m->nb_sessions))
		return -ERANGE;
	msg_len = TWR_SID_LIST_MSG_LEN(m->nb_sessions);
	if (cap < msg_len)
		return -ENOBUFS;
	if (sid_list_is_ack(m->command) && !accept_valid(m->accept))
		return -ERANGE;

	/*
	 * SIDs first, with memmove: a message decoded from buf and encoded
	 * back into it has m->sids == buf + 16, and the header written below
	 * does not reach that far.
	 */
	sids_len = (size_t)m->nb_sessions * TWR_SID_LEN;
	memmove(buf + SIDLIST_SIDS, m->sids, sids_len);
	memset(buf, 0, SIDLIST_SIDS);
	buf[SIDLIST_COMMAND] = m->command;
	if (sid_list_is_ack(m->command))
		buf[SIDLIST_ACCEPT] = m->accept;
	twr_put_be32(buf + SIDLIST_NB_SESSIONS, m->nb_sessions);
	memcpy(buf + SIDLIST_SIDS + sids_len, m->hmac, sizeof(m->hmac));
	return (ssize_t)msg_len;
}

int
twr_sid_list_msg_decode(const uint8_t *buf, size_t len, uint8_t command, struct twr_sid_list_msg *m)
{
	uint32_t nb_sessions;
	size_t sids_len;
	uint8_t accept;
	int ret;

	if (buf == NULL || m == NULL || !sid_list_command_valid(command))
		return -EINVAL;
	/* the length is only known once the header block is there */
	if (len < TWR_BLOCK_LEN)
		return -EMSGSIZE;
	if (buf[SIDLIST_COMMAND] != command)
		return -EBADMSG;
	/* no valid length exists for an N out of range: refuse before comparing */
	nb_sessions = twr_get_be32(buf + SIDLIST_NB_SESSIONS);
	if (!sid_list_nb_valid(nb_sessions))
		return -ERANGE;
	ret = check_len(len, TWR_SID_LIST_MSG_LEN(nb_sessions));
	if (ret < 0)
		return ret;
	/* Accept is MBZ in Start-N and Stop-N: ignored there, decoded as 0 */
	accept = sid_list_is_ack(command) ? buf[SIDLIST_ACCEPT] : 0;
	if (!accept_valid(accept))
		return -ERANGE;

	sids_len = (size_t)nb_sessions * TWR_SID_LEN;
	m->command = command;
	m->accept = accept;
	m->nb_sessions = nb_sessions;
	m->sids = buf + SIDLIST_SIDS;
	memcpy(m->hmac, buf + SIDLIST_SIDS + sids_len, sizeof(m->hmac));
	return 0;
}

ssize_t
twr_ctrl_cmd_length(const uint8_t *block, size_t len, uint32_t max_sessions)
{
	uint32_t nb_sessions, limit;

	if (block == NULL)
		return -EINVAL;
	if (len < TWR_BLOCK_LEN)
		return -EMSGSIZE;

	switch (block[0]) {
	case TWR_CMD_START_SESSIONS:
		return TWR_START_SESSIONS_LEN;
	case TWR_CMD_STOP_SESSIONS:
		return TWR_STOP_SESSIONS_LEN;
	case TWR_CMD_REQUEST_TW_SESSION:
		return TWR_REQUEST_TW_SESSION_LEN;
	case TWR_CMD_START_N_SESSIONS:
	case TWR_CMD_STOP_N_SESSIONS:
		/* a caller's limit cannot lift N past what keeps the length in 32 bits */
		limit = max_sessions < TWR_SID_LIST_MAX ? max_sessions : TWR_SID_LIST_MAX;
		nb_sessions = twr_get_be32(block + SIDLIST_NB_SESSIONS);
		if (nb_sessions == 0 || nb_sessions > limit)
			return -ERANGE;
		return (ssize_t)TWR_SID_LIST_MSG_LEN(nb_sessions);
	default:
		/* 8 and 10 are server replies; 11 and the rest have no length we know */
		return -EBADMSG;
	}
}
