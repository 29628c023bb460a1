/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The control channel seam and its unauthenticated implementation.
 * The secure modes (authenticated, encrypted, mixed) share one channel
 * (RFC 4656 §3.4, RFC 5618 §3.1) and will be added as a second ops table
 * returned by twr_ctrl_channel_init(); the server does not change.
 */

#include <errno.h>
#include <string.h>

#include "twr_ctrl_channel.h"

static uint8_t
unauth_setup(void *st, const struct twr_server_greeting *g, const struct twr_setup_response *r,
	     uint8_t server_iv[TWR_IV_LEN])
{
	(void)st;
	(void)g;
	(void)r;
	/*
	 * KeyID, Token and Client-IV are ignored in unauthenticated mode
	 * (RFC 4656 §3.1); the Server-IV is unused, and zeros say so on the
	 * wire rather than leaking random octets nobody needs.
	 */
	memset(server_iv, 0, TWR_IV_LEN);
	return TWR_ACCEPT_OK;
}

static int
unauth_rx_open(void *st, uint8_t *buf, size_t len, bool hmac_last)
{
	(void)st;
	(void)buf;
	(void)len;
	/* The HMAC field is ignored on receipt in this mode (RFC 4656 §3.2). */
	(void)hmac_last;
	return 0;
}

static int
unauth_tx_seal(void *st, uint8_t *msg, size_t len, size_t clear_len, bool hmac_last)
{
	(void)st;
	(void)clear_len;
	/*
	 * Encoders already write a zero HMAC, but the channel owns the
	 * field: zeroing here keeps the wire right whatever the caller left.
	 */
	if (hmac_last && len >= TWR_HMAC_LEN)
		memset(msg + len - TWR_HMAC_LEN, 0, TWR_HMAC_LEN);
	return 0;
}

static void
unauth_free(void *st)
{
	(void)st;
}

const struct twr_ctrl_channel_ops twr_ctrl_channel_unauth_ops = {
	.name = "unauthenticated",
	.setup = unauth_setup,
	.rx_open = unauth_rx_open,
	.tx_seal = unauth_tx_seal,
	.free = unauth_free,
};

int
twr_ctrl_channel_init(struct twr_ctrl_channel *ch, uint32_t mode)
{
	uint32_t sec;

	if (ch == NULL)
		return -EINVAL;
	sec = mode & TWR_MODE_SECURITY_MASK;
	/* exactly one security bit: the state machine checked, but do not trust it */
	if (sec == 0 || (sec & (sec - 1)) != 0)
		return -EINVAL;
	if (sec != TWR_MODE_UNAUTHENTICATED)
		return -ENOTSUP;
	ch->ops = &twr_ctrl_channel_unauth_ops;
	ch->st = NULL;
	return 0;
}

void
twr_ctrl_channel_release(struct twr_ctrl_channel *ch)
{
	if (ch == NULL || ch->ops == NULL)
		return;
	ch->ops->free(ch->st);
	ch->ops = NULL;
	ch->st = NULL;
}
