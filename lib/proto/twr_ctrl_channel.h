/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CTRL_CHANNEL_H
#define TWR_CTRL_CHANNEL_H

/**
 * @file
 * The TWAMP-Control channel security seam (RFC 4656 §3.1–3.4, RFC 5357
 * §3.1–3.2; digest §2.4): everything the authenticated, encrypted and
 * mixed modes do to control octets, behind a small table of operations,
 * so that the server state machine (twr_server.c) never changes when a
 * mode is added.
 *
 * What the modes need, and how the state machine calls the channel so
 * that it gets it:
 *
 * - Each direction is one continuous AES-128-CBC stream: the chaining
 *   value carries over from message to message. The channel therefore
 *   keeps its own stream state and must see every protected octet of a
 *   direction exactly once, in order. The server never opens or seals
 *   the same octets twice.
 * - Received commands: the length of a command is known only from its
 *   first 16-octet block (command number, and Number of Sessions for the
 *   RFC 5938 messages), which is encrypted. The server calls
 *   twr_ctrl_channel_rx_open() on the first block as soon as it has
 *   arrived, reads the length from the plaintext (twr_ctrl_cmd_length()),
 *   then, once the whole command has arrived, opens the rest with
 *   @p hmac_last set: the last 16 octets of that call are the HMAC, which
 *   covers the plaintext of every octet opened since the previous HMAC
 *   (i.e. also the first block opened earlier). A failed HMAC is
 *   reported as -EBADMSG and the server closes before acting on the
 *   command.
 * - Set-Up-Response travels in clear and is never given to rx_open; it is
 *   given to twr_ctrl_channel_setup() instead, which (in the secure modes)
 *   finds the key by KeyID, decrypts the Token, checks the Challenge,
 *   installs the session keys and Client-IV, and picks the Server-IV.
 * - Sent messages: the server encodes each message with a zero HMAC and
 *   calls twr_ctrl_channel_tx_seal() once per message. @p clear_len
 *   leading octets travel in clear and are not covered by any HMAC
 *   (Server-Greeting: all 64; Server-Start: octets 0–31, the Accept and
 *   the Server-IV). The octets after them are encrypted; with
 *   @p hmac_last the last 16 octets receive the HMAC over the plaintext
 *   sent since the previous HMAC. Server-Start has no HMAC of its own:
 *   its octets 32–47 are encrypted (when Accept is 0) and fed into the
 *   HMAC of the first Accept-Session, as owamp/twping do (digest §2.4,
 *   §9 item 3). A channel implements that by simply not resetting its
 *   HMAC context after a seal without @p hmac_last.
 * - Server-Start with a non-zero Accept is sent entirely in clear
 *   (RFC 4656 §3.1): the server passes clear_len = 48.
 *
 * The unauthenticated mode is the identity: nothing is encrypted, the
 * HMAC is sent as zeros and ignored on receipt (RFC 4656 §3.2).
 *
 * No OpenSSL in this file: the secure channels will live in their own
 * file and register their ops through twr_ctrl_channel_init().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "twr_ctrl_msg.h"

/** Operations of one control channel kind; @p st is the channel's private state. */
struct twr_ctrl_channel_ops {
	/** Name for logs ("unauthenticated", ...). */
	const char *name;
	/**
	 * Accept a Set-Up-Response for the greeting @p g: verify the Token,
	 * install keys and the Client-IV, write the Server-IV to @p server_iv.
	 * @return a twr_accept value (TWR_ACCEPT_OK, or the Server-Start Accept).
	 */
	uint8_t (*setup)(void *st, const struct twr_server_greeting *g,
			 const struct twr_setup_response *r, uint8_t server_iv[TWR_IV_LEN]);
	/**
	 * Open @p len received octets in place (decrypt, continuing the
	 * stream). With @p hmac_last, the last TWR_HMAC_LEN octets are the
	 * HMAC of everything opened since the previous HMAC: verify it.
	 * @return 0; -EBADMSG on HMAC failure.
	 */
	int (*rx_open)(void *st, uint8_t *buf, size_t len, bool hmac_last);
	/**
	 * Seal one outgoing message of @p len octets in place: the first
	 * @p clear_len octets stay clear and uncovered; with @p hmac_last,
	 * write the HMAC into the last TWR_HMAC_LEN octets; then encrypt
	 * octets clear_len..len-1, continuing the stream.
	 * @return 0, or a negative errno (the connection is then closed).
	 */
	int (*tx_seal)(void *st, uint8_t *msg, size_t len, size_t clear_len, bool hmac_last);
	/** Free @p st (may be NULL for stateless channels). */
	void (*free)(void *st);
};

/** A control channel: its kind and its state. */
struct twr_ctrl_channel {
	const struct twr_ctrl_channel_ops *ops;
	void *st;
};

/** The unauthenticated channel: identity, zero HMAC sent, HMAC ignored. */
extern const struct twr_ctrl_channel_ops twr_ctrl_channel_unauth_ops;

/**
 * Set up @p ch for the security mode @p mode (one security bit of a
 * Set-Up-Response; feature bits are ignored here).
 *
 * @return 0; -ENOTSUP for a security mode this build does not implement
 *   (authenticated, encrypted, mixed); -EINVAL for NULL or a mode without
 *   exactly one security bit.
 */
int twr_ctrl_channel_init(struct twr_ctrl_channel *ch, uint32_t mode);

/** Release the state of @p ch (safe on a zeroed or already released channel). */
void twr_ctrl_channel_release(struct twr_ctrl_channel *ch);

/**
 * Accept a Set-Up-Response (see twr_ctrl_channel_ops.setup).
 * @return a twr_accept value.
 */
static inline uint8_t
twr_ctrl_channel_setup(struct twr_ctrl_channel *ch, const struct twr_server_greeting *g,
		       const struct twr_setup_response *r, uint8_t server_iv[TWR_IV_LEN])
{
	return ch->ops->setup(ch->st, g, r, server_iv);
}

/**
 * Open received octets in place (see twr_ctrl_channel_ops.rx_open).
 * @return 0; -EBADMSG when the HMAC does not verify.
 */
static inline int
twr_ctrl_channel_rx_open(struct twr_ctrl_channel *ch, uint8_t *buf, size_t len, bool hmac_last)
{
	return ch->ops->rx_open(ch->st, buf, len, hmac_last);
}

/**
 * Seal one outgoing message in place (see twr_ctrl_channel_ops.tx_seal).
 * @return 0, or a negative errno.
 */
static inline int
twr_ctrl_channel_tx_seal(struct twr_ctrl_channel *ch, uint8_t *msg, size_t len, size_t clear_len,
			 bool hmac_last)
{
	return ch->ops->tx_seal(ch->st, msg, len, clear_len, hmac_last);
}

#endif /* TWR_CTRL_CHANNEL_H */
