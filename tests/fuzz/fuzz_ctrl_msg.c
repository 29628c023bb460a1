/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * libFuzzer harness for twr_ctrl_msg: the input goes to every decoder and
 * to twr_ctrl_cmd_length. Whatever decodes must re-encode to a message of
 * the same length that decodes to the same struct and re-encodes to the
 * same octets (MBZ octets are the only ones allowed to differ from the
 * input, since the encoder zeroes them). A decoder that accepts a message
 * its encoder refuses, or two views of one message that disagree, abort().
 *
 * Every output buffer is malloc'ed at exactly the size the encoder may
 * use, so that AddressSanitizer sees any write past it.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "twr_ctrl_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define SAME(a, b)	    CHECK((a) == (b))
#define SAME_BYTES(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

/*
 * Re-encode: into exactly len octets (must give len), into len - 1 (must
 * give -ENOBUFS and write nothing ASan would catch), then decode the copy.
 */
#define REENCODE(encode, m, len, out)                                                              \
	do {                                                                                       \
		uint8_t *small_ = malloc((len)-1);                                                 \
		CHECK(small_ != NULL);                                                             \
		SAME(encode((m), small_, (len)-1), -ENOBUFS);                                      \
		free(small_);                                                                      \
		(out) = malloc(len);                                                               \
		CHECK((out) != NULL);                                                              \
		SAME(encode((m), (out), (len)), (ssize_t)(len));                                   \
	} while (0)

static void
fuzz_server_greeting(const uint8_t *data, size_t size)
{
	struct twr_server_greeting a, b;
	uint8_t *out, again[TWR_SERVER_GREETING_LEN];

	if (twr_server_greeting_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_server_greeting_encode, &a, size, out);
	SAME(twr_server_greeting_decode(out, size, &b), 0);
	SAME(a.modes, b.modes);
	SAME_BYTES(a.challenge, b.challenge, sizeof(a.challenge));
	SAME_BYTES(a.salt, b.salt, sizeof(a.salt));
	SAME(a.count, b.count);
	SAME(twr_server_greeting_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_setup_response(const uint8_t *data, size_t size)
{
	struct twr_setup_response a, b;
	uint8_t *out;

	if (twr_setup_response_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_setup_response_encode, &a, size, out);
	/* no MBZ octet: the re-encoded message is the input */
	SAME_BYTES(out, data, size);
	SAME(twr_setup_response_decode(out, size, &b), 0);
	SAME(a.mode, b.mode);
	SAME_BYTES(a.key_id, b.key_id, sizeof(a.key_id));
	SAME_BYTES(a.token, b.token, sizeof(a.token));
	SAME_BYTES(a.client_iv, b.client_iv, sizeof(a.client_iv));
	free(out);
}

static void
fuzz_server_start(const uint8_t *data, size_t size)
{
	struct twr_server_start a, b;
	uint8_t *out, again[TWR_SERVER_START_LEN];

	if (twr_server_start_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_server_start_encode, &a, size, out);
	SAME(twr_server_start_decode(out, size, &b), 0);
	SAME(a.accept, b.accept);
	SAME_BYTES(a.server_iv, b.server_iv, sizeof(a.server_iv));
	SAME(a.start_time, b.start_time);
	SAME(twr_server_start_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_request_session(const uint8_t *data, size_t size)
{
	struct twr_request_session a, b;
	uint8_t *out, again[TWR_REQUEST_TW_SESSION_LEN];

	if (twr_request_session_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_request_session_encode, &a, size, out);
	SAME(twr_request_session_decode(out, size, &b), 0);
	SAME(a.ipvn, b.ipvn);
	SAME(a.conf_sender, b.conf_sender);
	SAME(a.conf_receiver, b.conf_receiver);
	SAME(a.schedule_slots, b.schedule_slots);
	SAME(a.packets, b.packets);
	SAME(a.sender_port, b.sender_port);
	SAME(a.receiver_port, b.receiver_port);
	SAME_BYTES(a.sender_addr, b.sender_addr, sizeof(a.sender_addr));
	SAME_BYTES(a.receiver_addr, b.receiver_addr, sizeof(a.receiver_addr));
	SAME_BYTES(a.sid, b.sid, sizeof(a.sid));
	SAME(a.padding_length, b.padding_length);
	SAME(a.start_time, b.start_time);
	SAME(a.timeout, b.timeout);
	SAME(a.type_p, b.type_p);
	SAME(a.octets_reflected, b.octets_reflected);
	SAME(a.padding_reflect_len, b.padding_reflect_len);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	SAME(twr_request_session_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_accept_session(const uint8_t *data, size_t size)
{
	struct twr_accept_session a, b;
	uint8_t *out, again[TWR_ACCEPT_SESSION_LEN];

	if (twr_accept_session_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_accept_session_encode, &a, size, out);
	SAME(twr_accept_session_decode(out, size, &b), 0);
	SAME(a.accept, b.accept);
	SAME(a.port, b.port);
	SAME_BYTES(a.sid, b.sid, sizeof(a.sid));
	SAME(a.reflected_octets, b.reflected_octets);
	SAME(a.server_octets, b.server_octets);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	SAME(twr_accept_session_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_start_sessions(const uint8_t *data, size_t size)
{
	struct twr_start_sessions a, b;
	uint8_t *out, again[TWR_START_SESSIONS_LEN];

	if (twr_start_sessions_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_start_sessions_encode, &a, size, out);
	SAME(twr_start_sessions_decode(out, size, &b), 0);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	SAME(twr_start_sessions_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_start_ack(const uint8_t *data, size_t size)
{
	struct twr_start_ack a, b;
	uint8_t *out, again[TWR_START_ACK_LEN];

	if (twr_start_ack_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_start_ack_encode, &a, size, out);
	SAME(twr_start_ack_decode(out, size, &b), 0);
	SAME(a.accept, b.accept);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	SAME(twr_start_ack_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

static void
fuzz_stop_sessions(const uint8_t *data, size_t size)
{
	struct twr_stop_sessions a, b;
	uint8_t *out, again[TWR_STOP_SESSIONS_LEN];

	if (twr_stop_sessions_decode(data, size, &a) != 0)
		return;
	REENCODE(twr_stop_sessions_encode, &a, size, out);
	SAME(twr_stop_sessions_decode(out, size, &b), 0);
	SAME(a.accept, b.accept);
	SAME(a.nb_sessions, b.nb_sessions);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	SAME(twr_stop_sessions_encode(&b, again, sizeof(again)), (ssize_t)sizeof(again));
	SAME_BYTES(out, again, sizeof(again));
	free(out);
}

/* Returns whether the input decoded as a SID-list message of @p command. */
static int
fuzz_sid_list(const uint8_t *data, size_t size, uint8_t command)
{
	struct twr_sid_list_msg a, b;
	uint8_t *out, *again;

	if (twr_sid_list_msg_decode(data, size, command, &a) != 0)
		return 0;
	SAME(a.command, command);
	SAME(size, (size_t)TWR_SID_LIST_MSG_LEN(a.nb_sessions));
	CHECK(a.sids == data + 16);
	REENCODE(twr_sid_list_msg_encode, &a, size, out);
	SAME(twr_sid_list_msg_decode(out, size, command, &b), 0);
	SAME(a.command, b.command);
	SAME(a.accept, b.accept);
	SAME(a.nb_sessions, b.nb_sessions);
	SAME_BYTES(a.sids, b.sids, (size_t)a.nb_sessions * TWR_SID_LEN);
	SAME_BYTES(a.hmac, b.hmac, sizeof(a.hmac));
	again = malloc(size);
	CHECK(again != NULL);
	SAME(twr_sid_list_msg_encode(&b, again, size), (ssize_t)size);
	SAME_BYTES(out, again, size);
	/* in place: b.sids points into out */
	SAME(twr_sid_list_msg_encode(&b, out, size), (ssize_t)size);
	SAME_BYTES(out, again, size);
	free(again);
	free(out);
	return 1;
}

/*
 * twr_ctrl_cmd_length against the decoders: a length it gives must be one
 * the matching decoder agrees with once the whole message is there.
 */
static void
fuzz_cmd_length(const uint8_t *data, size_t size, int start_n_ok, int stop_n_ok)
{
	static const uint32_t limits[] = {0, 1, 64, TWR_SID_LIST_MAX, UINT32_MAX};
	struct twr_start_sessions ss;
	struct twr_stop_sessions st;
	struct twr_request_session rq;
	ssize_t len;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		len = twr_ctrl_cmd_length(data, size, limits[i]);
		if (size < TWR_BLOCK_LEN) {
			SAME(len, -EMSGSIZE);
			continue;
		}
		if (len < 0) {
			CHECK(len == -ERANGE || len == -EBADMSG);
			continue;
		}
		CHECK(len >= 32 && len % TWR_BLOCK_LEN == 0);
		if ((size_t)len != size)
			continue;
		switch (data[0]) {
		case TWR_CMD_START_SESSIONS:
			SAME(twr_start_sessions_decode(data, size, &ss), 0);
			break;
		case TWR_CMD_STOP_SESSIONS:
			/* Accept > 6 is the only way to refuse a well-sized Stop-Sessions */
			ret = twr_stop_sessions_decode(data, size, &st);
			CHECK(ret == 0 || (ret == -ERANGE && data[1] > TWR_ACCEPT_NO_SA));
			break;
		case TWR_CMD_REQUEST_TW_SESSION:
			ret = twr_request_session_decode(data, size, &rq);
			CHECK(ret == 0 || ret == -EAFNOSUPPORT);
			break;
		case TWR_CMD_START_N_SESSIONS:
			CHECK(start_n_ok);
			break;
		case TWR_CMD_STOP_N_SESSIONS:
			CHECK(stop_n_ok);
			break;
		default:
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int start_n_ok, stop_n_ok;

	if (data == NULL)
		return 0;
	fuzz_server_greeting(data, size);
	fuzz_setup_response(data, size);
	fuzz_server_start(data, size);
	fuzz_request_session(data, size);
	fuzz_accept_session(data, size);
	fuzz_start_sessions(data, size);
	fuzz_start_ack(data, size);
	fuzz_stop_sessions(data, size);
	start_n_ok = fuzz_sid_list(data, size, TWR_CMD_START_N_SESSIONS);
	fuzz_sid_list(data, size, TWR_CMD_START_N_ACK);
	stop_n_ok = fuzz_sid_list(data, size, TWR_CMD_STOP_N_SESSIONS);
	fuzz_sid_list(data, size, TWR_CMD_STOP_N_ACK);
	fuzz_cmd_length(data, size, start_n_ok, stop_n_ok);
	return 0;
}
