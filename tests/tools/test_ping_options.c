/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * twamp-ping command line: defaults, mode-dependent sizes, and for every
 * refusal the exit class and a message that names the option at fault.
 */

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check_main.h"

#include "ping_options.h"

#define MAX_ARGS 48

static char message[1024];

/*
 * Parse argv[] = {"twamp-ping", args..., NULL} with stderr captured into
 * message[]. The strings are copied: getopt wants writable ones.
 */
static int
parse_args(const char *const *args, struct twr_ping_options *o)
{
	static char store[MAX_ARGS][64];
	char *argv[MAX_ARGS + 1];
	FILE *tmp = tmpfile();
	int argc, saved, ret;
	size_t n;

	for (argc = 0; args[argc] != NULL; argc++) {
		ck_assert_int_lt(argc, MAX_ARGS);
		snprintf(store[argc], sizeof(store[argc]), "%s", args[argc]);
		argv[argc] = store[argc];
	}
	argv[argc] = NULL;
	ck_assert_ptr_nonnull(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	ret = twr_ping_options_parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(message, 1, sizeof(message) - 1, tmp);
	message[n] = '\0';
	fclose(tmp);
	return ret;
}

#define PARSE(o, ...) parse_args((const char *const[]){"twamp-ping", __VA_ARGS__, NULL}, (o))

/* Refused, exit class "usage", and the message mentions @p needle. */
#define ck_refused(needle, ...)                                                                    \
	do {                                                                                       \
		struct twr_ping_options o_;                                                        \
		ck_assert_int_eq(PARSE(&o_, __VA_ARGS__), TWR_PING_PARSE_ERROR);                   \
		ck_assert_msg(strstr(message, needle) != NULL, "'%s' not in: %s", needle,          \
			      message);                                                            \
	} while (0)

START_TEST(test_defaults)
{
	struct twr_ping_options o;

	ck_assert_int_eq(PARSE(&o, "127.0.0.1"), TWR_PING_PARSE_OK);
	ck_assert_int_eq(o.mode, TWR_PING_MODE_LIGHT);
	ck_assert_str_eq(o.format->name, "light");
	ck_assert_str_eq(o.address, "127.0.0.1");
	ck_assert_uint_eq(o.port, 862);
	ck_assert_uint_eq(o.count, 10);
	ck_assert_uint_eq(o.interval_ns, 1000000000ull);
	ck_assert_uint_eq(o.timeout_ns, 2000000000ull);
	ck_assert_uint_eq(o.size, 41);
	ck_assert_int_eq(o.dscp, -1);
	ck_assert_uint_eq(o.ssid, 0);
	ck_assert_int_eq(o.family, AF_UNSPEC);
	ck_assert(!o.json && !o.quiet && !o.per_packet);
	ck_assert_ptr_null(o.source);
}
END_TEST

START_TEST(test_values)
{
	struct twr_ping_options o;

	ck_assert_int_eq(PARSE(&o, "--mode", "stamp", "-p", "4000", "-c", "20", "-i", "0.0001",
			       "-W", "0.25", "--dscp", "46", "--ssid", "0x1234", "--source", "::1",
			       "--source-port", "5000", "-6", "--json", "--per-packet", "-q",
			       "::1"),
			 TWR_PING_PARSE_OK);
	ck_assert_int_eq(o.mode, TWR_PING_MODE_STAMP);
	ck_assert_uint_eq(o.size, 44);
	ck_assert_uint_eq(o.port, 4000);
	ck_assert_uint_eq(o.count, 20);
	ck_assert_uint_eq(o.interval_ns, 100000);
	ck_assert_uint_eq(o.timeout_ns, 250000000);
	ck_assert_int_eq(o.dscp, 46);
	ck_assert_uint_eq(o.ssid, 0x1234);
	ck_assert_str_eq(o.source, "::1");
	ck_assert_uint_eq(o.source_port, 5000);
	ck_assert_int_eq(o.family, AF_INET6);
	ck_assert(o.json && o.quiet && o.per_packet);
}
END_TEST

START_TEST(test_sizes)
{
	struct twr_ping_options o;

	ck_assert_int_eq(PARSE(&o, "-s", "14", "h"), TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.size, 14);
	ck_assert_int_eq(PARSE(&o, "--padding", "10", "h"), TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.size, 24);
	ck_assert_int_eq(PARSE(&o, "--mode", "stamp", "--padding", "12", "h"), TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.size, 56);
	ck_assert_int_eq(PARSE(&o, "--mode", "stamp", "-s", "1400", "h"), TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.size, 1400);
	/* The mode may come after the size: sizes are checked at the end. */
	ck_assert_int_eq(PARSE(&o, "-s", "44", "--mode", "stamp", "h"), TWR_PING_PARSE_OK);
	ck_assert_int_eq(PARSE(&o, "-s", "65507", "h"), TWR_PING_PARSE_OK);
}
END_TEST

START_TEST(test_refusals)
{
	ck_refused("--mode", "--mode", "twamp", "h");
	ck_refused("-s/--size", "-s", "13", "h");
	ck_refused("-s/--size", "--mode", "stamp", "-s", "43", "h");
	ck_refused("-s/--size", "--mode", "stamp", "-s", "46", "h");
	ck_refused("--padding", "--mode", "stamp", "--padding", "2", "h");
	ck_refused("-s/--size", "-s", "65508", "h");
	ck_refused("alternatives", "-s", "50", "--padding", "3", "h");
	ck_refused("--ssid", "--ssid", "5", "h");
	ck_refused("--ssid", "--mode", "stamp", "--ssid", "65536", "h");
	ck_refused("-c/--count", "-c", "0", "h");
	ck_refused("-c/--count", "-c", "-3", "h");
	ck_refused("-c/--count", "-c", "10x", "h");
	ck_refused("-p/--port", "-p", "70000", "h");
	ck_refused("-p/--port", "-p", "0", "h");
	ck_refused("--dscp", "--dscp", "64", "h");
	ck_refused("-i/--interval", "-i", "0.00001", "h");
	ck_refused("-i/--interval", "-i", "abc", "h");
	ck_refused("-i/--interval", "-i", "nan", "h");
	ck_refused("-W/--timeout", "-W", "-1", "h");
	ck_refused("--source-port", "--source-port", "65536", "h");
	ck_refused("-4 and -6", "-4", "-6", "h");
	ck_refused("ADDRESS", "-c", "3");
	ck_refused("unexpected argument 'b'", "a", "b");
	ck_refused("unknown option '--bogus'", "--bogus", "h");
	ck_refused("unknown option '-x'", "-x", "h");
	ck_refused("needs a value", "h", "-c");
	ck_refused("--per-packet", "--per-packet", "h");
}
END_TEST

START_TEST(test_full_defaults)
{
	struct twr_ping_options o;

	ck_assert_int_eq(PARSE(&o, "--mode", "full", "h"), TWR_PING_PARSE_OK);
	ck_assert_int_eq(o.mode, TWR_PING_MODE_FULL);
	ck_assert_str_eq(o.format->name, "full");
	ck_assert_uint_eq(o.size, 41); /* Padding Length 27, as twping */
	ck_assert_uint_eq(o.control_port, 862);
	ck_assert_uint_eq(o.control_timeout_ns, 5000000000ull);
	ck_assert_uint_eq(o.sessions, 1);
	ck_assert(!o.individual && !o.zero_addresses);
	ck_assert_uint_eq(o.receiver_port, 0);
	ck_assert_uint_eq(o.stop_timeout_ns, 2000000000ull);
	ck_assert_uint_eq(o.start_delay_ns, 1000000000ull);
	ck_assert_uint_eq(o.port_lo, 0);
	/* Light stays the default mode: existing invocations keep their meaning. */
	ck_assert_int_eq(PARSE(&o, "h"), TWR_PING_PARSE_OK);
	ck_assert_int_eq(o.mode, TWR_PING_MODE_LIGHT);
}
END_TEST

START_TEST(test_full_values)
{
	struct twr_ping_options o;

	ck_assert_int_eq(PARSE(&o, "--mode", "full", "--control-port", "8620", "--control-timeout",
			       "0.5", "--sessions", "3", "--individual", "-Z", "--receiver-port",
			       "5000", "--stop-timeout", "0", "--start-delay", "0", "--port-range",
			       "40000-40002", "--padding", "100", "h"),
			 TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.control_port, 8620);
	ck_assert_uint_eq(o.control_timeout_ns, 500000000ull);
	ck_assert_uint_eq(o.sessions, 3);
	ck_assert(o.individual && o.zero_addresses);
	ck_assert_uint_eq(o.receiver_port, 5000);
	ck_assert_uint_eq(o.stop_timeout_ns, 0);
	ck_assert_uint_eq(o.start_delay_ns, 0);
	ck_assert_uint_eq(o.port_lo, 40000);
	ck_assert_uint_eq(o.port_hi, 40002);
	ck_assert_uint_eq(o.size, 114);
	ck_assert_int_eq(PARSE(&o, "--zero-addresses", "--mode", "full", "h"), TWR_PING_PARSE_OK);
	ck_assert(o.zero_addresses);
	/* A port range serves the light mode too. */
	ck_assert_int_eq(PARSE(&o, "--port-range", "5-5", "h"), TWR_PING_PARSE_OK);
	ck_assert_uint_eq(o.port_lo, 5);
}
END_TEST

START_TEST(test_full_refusals)
{
	ck_refused("--sessions: only with --mode full", "--sessions", "2", "h");
	ck_refused("-Z/--zero-addresses: only with --mode full", "-Z", "h");
	ck_refused("--individual: only", "--mode", "stamp", "--individual", "h");
	ck_refused("--control-port: only", "--control-port", "862", "h");
	ck_refused("-p/--port: in full mode", "--mode", "full", "-p", "5000", "h");
	ck_refused("--sessions", "--mode", "full", "--sessions", "0", "h");
	ck_refused("--sessions", "--mode", "full", "--sessions", "1025", "h");
	ck_refused("--control-timeout", "--mode", "full", "--control-timeout", "0", "h");
	ck_refused("--receiver-port", "--mode", "full", "--receiver-port", "0", "h");
	ck_refused("--port-range", "--port-range", "10-9", "h");
	ck_refused("--port-range", "--port-range", "0-9", "h");
	ck_refused("--port-range", "--port-range", "10", "h");
	ck_refused("--port-range", "--port-range", "10-70000", "h");
	ck_refused("alternatives", "--port-range", "10-20", "--source-port", "5", "h");
	ck_refused("--source-port: 2 sessions", "--mode", "full", "--sessions", "2",
		   "--source-port", "5000", "h");
	ck_refused("fewer ports than the 3 sessions", "--mode", "full", "--sessions", "3",
		   "--port-range", "10-11", "h");
	ck_refused("-s/--size", "--mode", "full", "-s", "13", "h");
}
END_TEST

START_TEST(test_help)
{
	struct twr_ping_options o;
	FILE *saved = stdout;

	/* Usage goes to stdout; send it nowhere. */
	stdout = fopen("/dev/null", "w");
	ck_assert_int_eq(PARSE(&o, "--help"), TWR_PING_PARSE_EXIT);
	ck_assert_int_eq(PARSE(&o, "-V"), TWR_PING_PARSE_EXIT);
	fclose(stdout);
	stdout = saved;
}
END_TEST

static Suite *
options_suite(void)
{
	Suite *s = suite_create("ping-options");
	TCase *tc = tcase_create("options");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_full_defaults);
	tcase_add_test(tc, test_full_values);
	tcase_add_test(tc, test_full_refusals);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(options_suite)
