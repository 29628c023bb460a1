/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The Control-Client's half of the TWAMP-Control messages. lib/proto's
 * decoders are strict, as a server must be; a client that has to work
 * with other vendors' servers reads their answers as RFC 4656 §3.3 asks:
 * an Accept value it does not know means "failure", and a Count it will
 * not use (unauthenticated mode derives no key) is only noted. Where the
 * strict decoder refuses for such a reason, the field is read raw.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "twr_time.h"
#include "twr_wire.h"

#include "ping_ctrl_msg.h"

/* Raw offsets, for the fields the strict decoders refuse to hand over. */
#define GREETING_MODES	    12 /* digest §2.2 */
#define GREETING_COUNT	    48
#define SERVER_START_ACCEPT 15 /* digest §2.5 */
#define SERVER_START_TIME   32
#define ACCEPT_PORT	    2 /* digest §2.7 */
#define ACCEPT_SID	    4
#define SIDLIST_ACCEPT	    1 /* digest §2.11 */
#define SIDLIST_NB	    12
#define SIDLIST_SIDS	    16

/* RFC 4656 §3.1: Count is a power of two no smaller than 1024. */
#define COUNT_MIN 1024u

int
twr_ping_greeting_parse(const uint8_t *buf, size_t len, struct twr_ping_greeting *g)
{
	struct twr_server_greeting m;

	if (buf == NULL || g == NULL || len != TWR_SERVER_GREETING_LEN)
		return -EINVAL;
	memset(g, 0, sizeof(*g));
	if (twr_server_greeting_decode(buf, len, &m) == 0) {
		g->modes = m.modes;
		g->count = m.count;
	} else {
		g->modes = twr_get_be32(buf + GREETING_MODES);
		g->count = twr_get_be32(buf + GREETING_COUNT);
	}
	g->count_valid = g->count >= COUNT_MIN && (g->count & (g->count - 1)) == 0;
	if (g->modes == 0)
		return -ECONNREFUSED;
	/* A huge Count is a lever to make the client burn CPU: refuse it in any mode. */
	if (g->count > TWR_PING_MAX_PBKDF2_COUNT)
		return -ERANGE;
	if ((g->modes & TWR_MODE_UNAUTHENTICATED) == 0)
		return -ENOTSUP;
	return 0;
}

uint32_t
twr_ping_setup_mode(uint32_t server_modes, bool individual)
{
	uint32_t mode = TWR_MODE_UNAUTHENTICATED;

	/* Only offered bits may be selected (RFC 4656 §3.1): twampd closes otherwise. */
	if (individual && (server_modes & TWR_MODE_INDIVIDUAL) != 0)
		mode |= TWR_MODE_INDIVIDUAL;
	return mode;
}

ssize_t
twr_ping_setup_response_build(uint32_t mode, uint8_t *buf, size_t cap)
{
	struct twr_setup_response m;

	memset(&m, 0, sizeof(m));
	m.mode = mode;
	return twr_setup_response_encode(&m, buf, cap);
}

int
twr_ping_server_start_parse(const uint8_t *buf, size_t len, uint8_t *accept, uint64_t *start_time)
{
	struct twr_server_start m;

	if (buf == NULL || accept == NULL || start_time == NULL || len != TWR_SERVER_START_LEN)
		return -EINVAL;
	if (twr_server_start_decode(buf, len, &m) == 0) {
		*accept = m.accept;
		*start_time = m.start_time;
	} else {
		*accept = buf[SERVER_START_ACCEPT];
		*start_time = twr_get_be64(buf + SERVER_START_TIME);
	}
	return 0;
}

/* The address octets of a socket address as the request carries them; its IPVN. */
static int
addr_octets(const struct twr_ping_addr *a, uint8_t out[16], uint8_t *ipvn)
{
	memset(out, 0, 16);
	if (a->ss.ss_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)&a->ss)->sin_addr, 4);
		*ipvn = 4;
		return 0;
	}
	if (a->ss.ss_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)&a->ss)->sin6_addr, 16);
		*ipvn = 6;
		return 0;
	}
	return -EAFNOSUPPORT;
}

ssize_t
twr_ping_request_build(const struct twr_ping_request *r, uint8_t *buf, size_t cap)
{
	struct twr_request_session m;
	uint8_t ipvn_r;

	if (r == NULL || r->sender == NULL || r->receiver == NULL || buf == NULL)
		return -EINVAL;
	if (r->dscp > 63)
		return -ERANGE;
	memset(&m, 0, sizeof(m));
	if (addr_octets(r->sender, m.sender_addr, &m.ipvn) < 0 ||
	    addr_octets(r->receiver, m.receiver_addr, &ipvn_r) < 0 || ipvn_r != m.ipvn)
		return -EAFNOSUPPORT;
	/*
	 * Zero addresses: the server uses the control connection's, which is
	 * what a client behind NAT needs (RFC 5357 §3.5, twping -Z). The IPVN
	 * still says which family.
	 */
	if (r->zero_addresses) {
		memset(m.sender_addr, 0, sizeof(m.sender_addr));
		memset(m.receiver_addr, 0, sizeof(m.receiver_addr));
	}
	m.sender_port = twr_ping_addr_port(r->sender);
	m.receiver_port = r->receiver_port;
	m.padding_length = r->padding_length;
	m.start_time = r->start_time;
	m.timeout = twr_ntp_duration_from_ns(r->timeout_ns);
	/* RFC 4656 §3.5: top bits 00, then the DSCP: (dscp << 24), never the low octet. */
	m.type_p = r->dscp > 0 ? (uint32_t)r->dscp << 24 : 0;
	return twr_request_session_encode(&m, buf, cap);
}

int
twr_ping_accept_parse(const uint8_t *buf, size_t len, struct twr_ping_accept *a)
{
	struct twr_accept_session m;

	if (buf == NULL || a == NULL || len != TWR_ACCEPT_SESSION_LEN)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	if (twr_accept_session_decode(buf, len, &m) == 0) {
		a->accept = m.accept;
		a->port = m.port;
		memcpy(a->sid, m.sid, TWR_SID_LEN);
	} else {
		a->accept = buf[0];
		a->port = twr_get_be16(buf + ACCEPT_PORT);
		memcpy(a->sid, buf + ACCEPT_SID, TWR_SID_LEN);
	}
	return 0;
}

ssize_t
twr_ping_start_sessions_build(uint8_t *buf, size_t cap)
{
	struct twr_start_sessions m;

	memset(&m, 0, sizeof(m));
	return twr_start_sessions_encode(&m, buf, cap);
}

int
twr_ping_start_ack_parse(const uint8_t *buf, size_t len, uint8_t *accept)
{
	if (buf == NULL || accept == NULL || len != TWR_START_ACK_LEN)
		return -EINVAL;
	/* Octet 0 is the whole message in unauthenticated mode; any value is an answer. */
	*accept = buf[0];
	return 0;
}

ssize_t
twr_ping_stop_sessions_build(uint32_t nb_sessions, uint8_t *buf, size_t cap)
{
	struct twr_stop_sessions m;

	memset(&m, 0, sizeof(m));
	m.accept = TWR_ACCEPT_OK; /* a normal end: the results are valid */
	m.nb_sessions = nb_sessions;
	return twr_stop_sessions_encode(&m, buf, cap);
}

ssize_t
twr_ping_sid_list_build(uint8_t command, const uint8_t *sids, uint32_t n, uint8_t *buf, size_t cap)
{
	struct twr_sid_list_msg m;

	if ((command != TWR_CMD_START_N_SESSIONS && command != TWR_CMD_STOP_N_SESSIONS) ||
	    sids == NULL || n == 0)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	m.command = command;
	m.nb_sessions = n;
	m.sids = sids;
	return twr_sid_list_msg_encode(&m, buf, cap);
}

ssize_t
twr_ping_sid_ack_length(const uint8_t *block, size_t len, uint8_t command, uint32_t max_n)
{
	uint32_t n;

	if (block == NULL || len < TWR_BLOCK_LEN)
		return -EINVAL;
	if (block[0] != command)
		return -EBADMSG;
	n = twr_get_be32(block + SIDLIST_NB);
	/* Never more than we asked about: bounds what a server can make us read. */
	if (n == 0 || n > max_n || n > TWR_SID_LIST_MAX)
		return -ERANGE;
	return (ssize_t)TWR_SID_LIST_MSG_LEN(n);
}

int
twr_ping_sid_ack_parse(const uint8_t *buf, size_t len, uint8_t command, struct twr_sid_list_msg *m)
{
	ssize_t want;
	int ret;

	if (buf == NULL || m == NULL)
		return -EINVAL;
	ret = twr_sid_list_msg_decode(buf, len, command, m);
	if (ret != -ERANGE || len < TWR_BLOCK_LEN || buf[SIDLIST_ACCEPT] <= TWR_ACCEPT_NO_SA)
		return ret;
	/* Refused only for an Accept above 6: keep it, it reads as a failure. */
	want = twr_ping_sid_ack_length(buf, len, command, TWR_SID_LIST_MAX);
	if (want < 0)
		return (int)want;
	if ((size_t)want != len)
		return len < (size_t)want ? -EMSGSIZE : -E2BIG;
	memset(m, 0, sizeof(*m));
	m->command = command;
	m->accept = buf[SIDLIST_ACCEPT];
	m->nb_sessions = twr_get_be32(buf + SIDLIST_NB);
	m->sids = buf + SIDLIST_SIDS;
	return 0;
}

static const char *const accept_names[] = {
	"OK",
	"failure, reason unspecified",
	"internal error",
	"some aspect of the request is not supported",
	"cannot perform the request due to permanent resource limitations",
	"cannot perform the request due to temporary resource limitations",
	"no IKEv2 SA matches the SPIs",
};

static const char *const accept_keys[] = {
	"ok",	 "failure", "internal_error", "not_supported", "permanent_limit", "temporary_limit",
	"no_sa",
};

const char *
twr_ping_accept_name(uint8_t accept)
{
	if (accept >= sizeof(accept_names) / sizeof(accept_names[0]))
		return "unknown value, read as failure (RFC 4656 §3.3)";
	return accept_names[accept];
}

const char *
twr_ping_accept_key(uint8_t accept)
{
	if (accept >= sizeof(accept_keys) / sizeof(accept_keys[0]))
		return "unknown";
	return accept_keys[accept];
}

/* IANA TWAMP-Modes, digest §1.3. */
static const char *const mode_names[] = {
	"unauthenticated",
	"authenticated",
	"encrypted",
	"mixed",
	"individual_session_control",
	"reflect_octets",
	"symmetrical_size",
	"ikev2_derived",
	"dscp_ecn_monitoring",
	"ptpv2_timestamps",
};

const char *
twr_ping_mode_bit_name(unsigned int bit)
{
	if (bit >= sizeof(mode_names) / sizeof(mode_names[0]))
		return NULL;
	return mode_names[bit];
}

const char *
twr_ping_modes_str(uint32_t modes, char *buf, size_t len)
{
	const char *name;
	size_t used = 0;
	unsigned int bit;
	int n;

	if (buf == NULL || len == 0)
		return buf;
	buf[0] = '\0';
	for (bit = 0; bit < 32 && used < len; bit++) {
		if ((modes & (1u << bit)) == 0)
			continue;
		name = twr_ping_mode_bit_name(bit);
		if (name != NULL)
			n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
		else
			n = snprintf(buf + used, len - used, "%s0x%x", used ? ", " : "", 1u << bit);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	if (modes == 0)
		snprintf(buf, len, "none");
	return buf;
}

const char *
twr_ping_sid_hex(const uint8_t sid[TWR_SID_LEN], char *buf, size_t len)
{
	size_t i;

	if (buf == NULL || len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < TWR_SID_LEN && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, len - 2 * i, "%02x", sid[i]);
	return buf;
}
