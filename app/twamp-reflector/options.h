/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_OPTIONS_H
#define TWR_APP_OPTIONS_H

/**
 * @file
 * The application's options, after EAL's and `--`, testpmd-style.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "twr_session_mgr.h"
#include "twr_tap.h"

#define TWR_APP_MAX_ADDRS	16
#define TWR_APP_MAX_LIGHT_PORTS 16

/** One of the reflector's own addresses. */
struct twr_app_addr {
	uint8_t addr[16]; /**< IPv6, or IPv4-mapped IPv6 for IPv4 */
	uint8_t prefix;	  /**< prefix length as given (IPv4: 0..32) */
	uint8_t ip_version;
};

struct twr_app_options;

/** Most --tap-route routes. */
#define TWR_APP_MAX_TAP_ROUTES 32

/** Most --light-allow prefixes. */
#define TWR_APP_MAX_LIGHT_ALLOW 256

/** One prefix of a light port's allow-list (--light-allow PORT=PREFIX). */
struct twr_app_light_allow {
	uint16_t port;
	uint8_t addr[16]; /**< IPv6 or IPv4-mapped */
	uint8_t len;	  /**< over 128 bits (IPv4 /n: 96 + n) */
};

/** NAT handling of managed TWAMP sessions (docs/nat.md). */
struct twr_app_nat_options {
	uint8_t policy; /**< --nat-policy strict|latch (enum twr_nat_policy) */
	/** --nat-policy-for PREFIX=POLICY (repeatable). */
	struct twr_nat_rule rules[TWR_SESSION_MGR_MAX_NAT_RULES];
	unsigned int nb_rules;
	double latch_window; /**< --latch-window SECONDS (10) */
	uint8_t latch_len4;  /**< --latch-source-len V4[,V6] (32) */
	uint8_t latch_len6;  /**< (128) */
};

/**
 * Parse one of the NAT options (options_nat.c).
 *
 * @param name  the long option without "--": "nat-policy", "nat-policy-for",
 *              "latch-window", "latch-source-len".
 * @param arg   its argument.
 * @param n     updated.
 * @return 0; -EINVAL with a message naming the option.
 */
int twr_app_options_nat(const char *name, const char *arg, struct twr_app_nat_options *n);

/**
 * Parse --light-allow PORT=PREFIX into @p o (options_light.c); the port
 * must be a --light-port (checked when the ports are installed).
 * @return 0; -EINVAL with a message.
 */
int twr_app_options_light_allow(const char *arg, struct twr_app_options *o);

/**
 * Parse --tap-route PREFIX,GATEWAY into @p o (options_light.c).
 * @return 0; -EINVAL with a message.
 */
int twr_app_options_tap_route(const char *arg, struct twr_app_options *o);

/**
 * Parse PREFIX ("198.18.0.0/15", "2001:db8::/32") into an IPv6 or
 * IPv4-mapped address and a length over 128 bits.
 * @return 0; -ERANGE (the address parsed, its length did not: @p addr is
 *   set); -EINVAL (anything else).
 */
int twr_app_prefix_parse(const char *s, uint8_t addr[16], uint8_t *len);

/** Set @p n to the defaults (strict, 10 s, /32, /128). */
void twr_app_options_nat_defaults(struct twr_app_nat_options *n);

/** A TWAMP-Light or STAMP reflector port. */
struct twr_app_light_port {
	uint16_t port;
	uint8_t engine; /**< enum twr_engine_id: LIGHT or STAMP */
	bool stateful;
};

struct twr_app_options {
	struct twr_app_addr addrs[TWR_APP_MAX_ADDRS];
	unsigned int nb_addrs;
	struct twr_app_light_port light[TWR_APP_MAX_LIGHT_PORTS];
	unsigned int nb_light;
	unsigned int workers;  /**< 0: every worker lcore */
	uint32_t max_sessions; /**< session table size */
	uint32_t mbufs;	       /**< per port; 0: sized from queues */
	uint16_t rxd;	       /**< RX descriptors per queue */
	uint16_t txd;	       /**< TX descriptors per queue */
	uint16_t vlan;	       /**< VLAN of the addresses (0: untagged) */
	bool strict_errest;    /**< drop Multiplier 0 */
	double stats_period;   /**< seconds between counter lines; 0: none */
	double run_time;       /**< seconds, then stop; 0: until a signal */
	/** TWAMP-Control (lib/control/twr_ctl_server.h, twr_session_mgr.h). */
	struct {
		bool off;		    /**< --no-control */
		uint16_t port;		    /**< --control-port (862) */
		uint16_t test_port_lo;	    /**< --test-ports LO-HI (20000-20999) */
		uint16_t test_port_hi;	    /**< (inclusive) */
		bool any_requested_port;    /**< --any-requested-port */
		bool sender_peer_only;	    /**< --sender-peer-only */
		uint32_t max_sessions;	    /**< --max-control-sessions (4096) */
		uint32_t max_per_conn;	    /**< --max-sessions-per-connection (64) */
		uint32_t max_conns;	    /**< --max-connections (256) */
		uint32_t max_conns_per_src; /**< --max-connections-per-source (64) */
		double servwait;	    /**< --servwait SECONDS (900) */
		double refwait;		    /**< --refwait SECONDS (900) */
	} control;
	struct twr_app_nat_options nat;
	bool interactive;	  /**< -i: the CLI on stdin */
	const char *cmdline_file; /**< --cmdline-file FILE */
	struct twr_app_light_allow light_allow[TWR_APP_MAX_LIGHT_ALLOW];
	unsigned int nb_light_allow;
	struct twr_tap_route tap_routes[TWR_APP_MAX_TAP_ROUTES]; /**< --tap-route */
	unsigned int nb_tap_routes;
	/** Exception-path TAP interface name (default "twr0"); NULL: --no-tap. */
	const char *tap_name;
	/** Synthetic managed TWAMP sessions to install (benchmark aid, see --help). */
	uint32_t bench_sessions;
};

/**
 * Parse the application's arguments (argv[0] is the program name).
 * Prints a message naming the bad option on error.
 * @return 0; -EINVAL on a bad option; 1 when --help was printed.
 */
int twr_app_options_parse(int argc, char **argv, struct twr_app_options *o);

/**
 * Where the arguments twr_app_options_parse() reads come from, for its
 * messages: a line of the configuration file (config.c).
 */
struct twr_app_options_source {
	const char *file;    /**< NULL: the command line */
	unsigned int line;   /**< 0: the file as a whole */
	const char *section; /**< "reflector", "light-port 862", ...; NULL: none */
	const char *key;     /**< NULL: the section header line */
	const char *value;   /**< as written in the file, shown instead of the argument */
	bool partial;	     /**< only a part of the arguments: skip the checks of the whole set */
	bool reported;	     /**< set when a message named this source */
};

/**
 * Make twr_app_options_parse() (and its helpers) report errors against
 * @p src until the next call, as "twamp-reflector: FILE:LINE: [SECTION] KEY:
 * VALUE: WHY". NULL (the default): name the option, check the whole set.
 */
void twr_app_options_source_set(struct twr_app_options_source *src);

/**
 * Print why `--OPT ARG` is refused, naming the option, or the current
 * source's file, line, section and key (twr_app_options_source_set()).
 * @return -EINVAL.
 */
int twr_app_options_bad(const char *opt, const char *arg, const char *why);

/**
 * Print "twamp-reflector: FILE[:LINE]: [SECTION] KEY: [VALUE: ]WHY" for
 * @p src on @p out, leaving out what it does not have.
 */
void twr_app_options_source_print(FILE *out, const struct twr_app_options_source *src,
				  const char *why);

/** Format an address of @p a into @p buf (INET6_ADDRSTRLEN). */
const char *twr_app_addr_str(const struct twr_app_addr *a, char *buf, unsigned int len);

#endif /* TWR_APP_OPTIONS_H */
