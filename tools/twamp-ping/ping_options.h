/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_PING_OPTIONS_H
#define TWR_PING_OPTIONS_H

/**
 * @file
 * twamp-ping command line. Parsing checks every value and names the bad
 * option in its message; what it cannot check without the network
 * (addresses) is left to the session setup.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ping_format.h"

/** Parsed command line. */
struct twr_ping_options {
	enum twr_ping_mode mode;
	const struct twr_ping_format *format; /**< engine of mode */
	const char *address;		      /**< reflector (ADDRESS operand) */
	const char *source;		      /**< --source, NULL: the kernel's choice */
	uint16_t port;			      /**< -p, reflector UDP port */
	uint16_t source_port;		      /**< --source-port, 0: ephemeral */
	uint32_t count;			      /**< -c */
	uint64_t interval_ns;		      /**< -i */
	uint64_t timeout_ns;		      /**< -W */
	size_t size;			      /**< UDP payload of a sender packet */
	int dscp;			      /**< --dscp, -1: the socket's default */
	uint16_t ssid;			      /**< --ssid (STAMP), 0: none */
	int family;			      /**< AF_UNSPEC, or AF_INET (-4) / AF_INET6 (-6) */
	bool json;			      /**< --json */
	bool quiet;			      /**< -q: no per-reply lines */
	bool per_packet;		      /**< --per-packet: packets array in the JSON */
	uint16_t port_lo;		      /**< --port-range LO, 0: none */
	uint16_t port_hi;		      /**< --port-range HI */
	/* Full mode (TWAMP-Control) only; refused with another mode. */
	uint16_t control_port;	     /**< --control-port, TCP */
	uint64_t control_timeout_ns; /**< --control-timeout: connect and every control read */
	unsigned int sessions;	     /**< --sessions */
	bool individual;	     /**< --individual: RFC 5938 Start-N/Stop-N if offered */
	bool zero_addresses;	     /**< -Z: Sender/Receiver Address 0 in the requests */
	uint16_t receiver_port;	     /**< --receiver-port, 0: each session's own port */
	uint64_t stop_timeout_ns;    /**< --stop-timeout: the request's Timeout */
	uint64_t start_delay_ns;     /**< --start-delay: Start Time = now + this; 0: Start Time 0 */
};

/** Largest --sessions. */
#define TWR_PING_MAX_SESSIONS 1024u

/** Return values of twr_ping_options_parse(). */
enum twr_ping_parse_result {
	TWR_PING_PARSE_OK = 0,	  /**< run */
	TWR_PING_PARSE_EXIT = 1,  /**< --help or --version printed: exit 0 */
	TWR_PING_PARSE_ERROR = -1 /**< message printed on stderr: exit 2 */
};

/**
 * Parse the command line into @p o. Messages go to stderr, --help and
 * --version to stdout. Uses getopt_long(): resets optind first, so it can
 * be called again (tests).
 * @return a twr_ping_parse_result.
 */
int twr_ping_options_parse(int argc, char *const argv[], struct twr_ping_options *o);

/** Print the usage text to @p f. */
void twr_ping_options_usage(FILE *f);

#endif /* TWR_PING_OPTIONS_H */
