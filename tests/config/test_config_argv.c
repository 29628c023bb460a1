/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/*
 * The argument vector a configuration file becomes
 * (app/twamp-reflector/config.h), exactly, and what the option parser
 * makes of it. No EAL: the vector is what main() hands to rte_eal_init().
 * The messages are tested on the binary (test_config_check.py).
 */

#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "config.h"
#include "options.h"
#include "twr_engine.h"

#define CONFIG_DIR TWR_SOURCE_ROOT "/config/"

/* A temporary file holding @p text; its name in @p path (PATH_MAX). */
static void
file_write(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/twr-config-test.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
}

/* twr_app_config_argv() on the NULL-terminated @p in; 0 or its error. */
static int
expand(const char *const *in, int *argc, char ***argv, bool *check)
{
	int n = 0;

	while (in[n] != NULL)
		n++;
	return twr_app_config_argv(n, (char **)(uintptr_t)in, argc, argv, check);
}

static void
assert_argv(int argc, char **argv, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		ck_assert_int_lt(i, argc);
		ck_assert_msg(strcmp(argv[i], want[i]) == 0, "argv[%d] is '%s', want '%s'", i,
			      argv[i], want[i]);
	}
	ck_assert_int_eq(argc, i);
	ck_assert_ptr_null(argv[argc]);
}

/* The application's options from the arguments after "--". */
static void
app_parse(int argc, char **argv, struct twr_app_options *o)
{
	int i = 0;

	while (i < argc && strcmp(argv[i], "--") != 0)
		i++;
	ck_assert_int_lt(i, argc);
	/* the option parser reads from argv[1]: "--" stands in for argv[0] */
	ck_assert_int_eq(twr_app_options_parse(argc - i, argv + i, o), 0);
}

static void
quiet(void)
{
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
}

START_TEST(no_config_is_the_command_line)
{
	const char *in[] = {"twamp-reflector", "--no-pci",	"--",
			    "--address",       "198.18.0.2/24", NULL};
	char **argv;
	int argc;
	bool check = true;

	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	ck_assert_ptr_eq(argv, in);
	ck_assert_int_eq(argc, 5);
	ck_assert(!check);
}
END_TEST

START_TEST(demo_ini)
{
	const char *in[] = {"twamp-reflector", "--config", CONFIG_DIR "demo.ini", NULL};
	const char *want[] = {"twamp-reflector",
			      "--no-pci",
			      "--no-huge",
			      "-m",
			      "512",
			      "--lcores=0@0,1@1",
			      "--vdev=net_af_packet0,iface=dut0",
			      "--",
			      "--address=198.18.0.2/24",
			      "--address=2001:db8::2/64",
			      "--light-port=862",
			      "--light-port=863,stamp,stateful",
			      NULL};
	char **argv;
	int argc;
	bool check = true;

	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	assert_argv(argc, argv, want);
	ck_assert(!check);
	ck_assert_int_eq(twr_app_config_check(argc, argv), 0);
	twr_app_config_free();
}
END_TEST

/* demo.ini means what tools/demo.sh gives on the command line. */
START_TEST(demo_ini_is_demo_sh)
{
	const char *in[] = {"twamp-reflector", "--config", CONFIG_DIR "demo.ini", NULL};
	const char *demo_sh[] = {
		"twamp-reflector", "--address",	     "198.18.0.2/24", "--light-port",	    "862",
		"--address",	   "2001:db8::2/64", "--light-port",  "863,stamp,stateful", NULL};
	static struct twr_app_options from_file, from_sh;
	char **argv;
	int argc;
	bool check;

	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	app_parse(argc, argv, &from_file);
	ck_assert_int_eq(twr_app_options_parse(9, (char **)(uintptr_t)demo_sh, &from_sh), 0);
	ck_assert_uint_eq(from_file.nb_addrs, 2);
	ck_assert_uint_eq(from_file.nb_light, 2);
	ck_assert_uint_eq(from_file.light[1].engine, TWR_ENGINE_STAMP);
	ck_assert(from_file.light[1].stateful);
	ck_assert_mem_eq(&from_file, &from_sh, sizeof(from_sh));
	twr_app_config_free();
}
END_TEST

/* The file first, then the command line: EAL's before "--", the application's after. */
START_TEST(command_line_after_the_file)
{
	const char *in[] = {"prog",
			    "--file-prefix",
			    "x",
			    "--config",
			    CONFIG_DIR "demo.ini",
			    "--log-level=8",
			    "--",
			    "--rxd",
			    "512",
			    "--no-tap",
			    NULL};
	const char *want[] = {"prog",
			      "--no-pci",
			      "--no-huge",
			      "-m",
			      "512",
			      "--lcores=0@0,1@1",
			      "--vdev=net_af_packet0,iface=dut0",
			      "--file-prefix",
			      "x",
			      "--log-level=8",
			      "--",
			      "--address=198.18.0.2/24",
			      "--address=2001:db8::2/64",
			      "--light-port=862",
			      "--light-port=863,stamp,stateful",
			      "--rxd",
			      "512",
			      "--no-tap",
			      NULL};
	static struct twr_app_options o;
	char **argv;
	int argc;
	bool check;

	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	assert_argv(argc, argv, want);
	app_parse(argc, argv, &o);
	ck_assert_uint_eq(o.rxd, 512);
	ck_assert_ptr_null(o.tap_name);
	twr_app_config_free();
}
END_TEST

/* --config[=] and --check-config anywhere, also after "--". */
START_TEST(option_forms)
{
	const char *after[] = {"prog", "--", "--rxd", "512", "--config=" CONFIG_DIR "demo.ini",
			       NULL};
	const char *check_form[] = {"prog", "--check-config", CONFIG_DIR "demo.ini", NULL};
	char **argv;
	int argc;
	bool check;

	ck_assert_int_eq(expand(after, &argc, &argv, &check), 0);
	ck_assert(!check);
	ck_assert_int_eq(argc, 14);
	ck_assert_str_eq(argv[argc - 2], "--rxd");
	ck_assert_str_eq(argv[argc - 1], "512");
	ck_assert_int_eq(expand(check_form, &argc, &argv, &check), 0);
	ck_assert(check);
	ck_assert_int_eq(argc, 12);
	twr_app_config_free();
}
END_TEST

START_TEST(every_kind_of_key)
{
	char path[64];
	const char *in[] = {"prog", "--config", path, NULL};
	const char *want[] = {"prog",
			      "--lcores=0-2",
			      "--allow=0000:3b:00.0",
			      "--allow=0000:3b:00.1",
			      "-m",
			      "1024",
			      "--in-memory",
			      "--log-level=lib.eal:debug",
			      "--log-level=pmd.net.*:info",
			      "--",
			      "--address=198.18.0.2/24",
			      "--no-tap",
			      "--strict-errest",
			      "--no-control",
			      "--control-port=8620",
			      "--any-requested-port",
			      "--nat-policy=latch",
			      "--nat-policy-for=198.19.0.0/16=strict",
			      "--nat-policy-for=2001:db8:1::/48=latch",
			      "--light-port=862,stateful",
			      "--light-allow=862=198.18.0.0/15",
			      "--light-allow=862=2001:db8::/32",
			      "--light-port=863,stamp",
			      NULL};
	static struct twr_app_options o;
	char **argv;
	int argc;
	bool check;

	file_write(path, "[eal]\n"
			 "lcores = 0-2\n"
			 "allow = 0000:3b:00.0\n"
			 "allow = 0000:3b:00.1\n"
			 "m = 1024\n"
			 "no-huge = off     # false: nothing\n"
			 "in-memory = YES\n"
			 "log-level = lib.eal:debug\n"
			 "log-level = pmd.net.*:info\n"
			 "[reflector]\n"
			 "address = 198.18.0.2/24\n"
			 "tap = off\n"
			 "strict-errest = 1\n"
			 "[control]\n"
			 "enabled = false\n"
			 "port = 8620\n"
			 "any-requested-port = on\n"
			 "sender-peer-only = 0\n"
			 "[nat]\n"
			 "policy = latch\n"
			 "policy-for = 198.19.0.0/16=strict\n"
			 "policy-for = 2001:db8:1::/48=latch\n"
			 "[light-port 862]\n"
			 "allow = 198.18.0.0/15\n"
			 "stateful = yes\n"
			 "allow = 2001:db8::/32\n"
			 "[light-port 863]\n"
			 "engine = stamp\n");
	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	unlink(path);
	assert_argv(argc, argv, want);
	app_parse(argc, argv, &o);
	ck_assert(o.control.off);
	ck_assert_uint_eq(o.control.port, 8620);
	ck_assert_uint_eq(o.nat.nb_rules, 2);
	ck_assert_uint_eq(o.nb_light_allow, 2);
	ck_assert_uint_eq(o.light_allow[1].port, 862);
	twr_app_config_free();
}
END_TEST

/* The example of a compute node: what the option parser makes of it. */
START_TEST(compute_node_ini)
{
	const char *in[] = {"twamp-reflector", "--config", CONFIG_DIR "twamp-reflector.ini", NULL};
	static struct twr_app_options o;
	char **argv;
	int argc;
	bool check;

	ck_assert_int_eq(expand(in, &argc, &argv, &check), 0);
	ck_assert_str_eq(argv[1], "--lcores=0-4");
	app_parse(argc, argv, &o);
	ck_assert_uint_eq(o.nb_addrs, 2);
	ck_assert_uint_eq(o.addrs[0].ip_version, 4);
	ck_assert_uint_eq(o.addrs[1].ip_version, 6);
	ck_assert_uint_eq(o.vlan, 100);
	ck_assert_uint_eq(o.workers, 4);
	ck_assert_uint_eq(o.rxd, 2048);
	ck_assert_str_eq(o.tap_name, "twr0");
	ck_assert(!o.control.off);
	ck_assert_uint_eq(o.control.test_port_lo, 20000);
	ck_assert_uint_eq(o.nat.nb_rules, 1);
	ck_assert_uint_eq(o.nb_light, 2);
	ck_assert_uint_eq(o.light[0].engine, TWR_ENGINE_LIGHT);
	ck_assert(!o.light[0].stateful);
	ck_assert_uint_eq(o.light[1].engine, TWR_ENGINE_STAMP);
	ck_assert(o.light[1].stateful);
	ck_assert_uint_eq(o.nb_light_allow, 2);
	twr_app_config_free();
}
END_TEST

START_TEST(errors_refuse)
{
	char path[64];
	const char *missing[] = {"prog", "--config", "/nonexistent/twr.ini", NULL};
	const char *two[] = {
		"prog", "--config", CONFIG_DIR "demo.ini", "--check-config", CONFIG_DIR "demo.ini",
		NULL};
	const char *no_file[] = {"prog", "--", "--config", NULL};
	const char *bad[] = {"prog", "--check-config", path, NULL};
	const char *bad_cmdline[] = {"prog", "--config", CONFIG_DIR "demo.ini", "--", "--vlan",
				     "0",    NULL};
	char **argv = NULL;
	int argc = -1;
	bool check;

	quiet();
	ck_assert_int_eq(expand(missing, &argc, &argv, &check), -EINVAL);
	ck_assert_int_eq(expand(two, &argc, &argv, &check), -EINVAL);
	ck_assert_int_eq(expand(no_file, &argc, &argv, &check), -EINVAL);
	ck_assert_int_eq(expand(bad_cmdline, &argc, &argv, &check), -EINVAL);
	file_write(path, "[reflector]\naddress = 198.18.0.2/24\nrxd = 10\n");
	ck_assert_int_eq(expand(bad, &argc, &argv, &check), -EINVAL);
	unlink(path);
	/* nothing handed out */
	ck_assert_ptr_null(argv);
	ck_assert_int_eq(argc, -1);
}
END_TEST

/* twr_app_config_check() on a vector of its own: the command line alone. */
START_TEST(check_without_file)
{
	const char *ok[] = {"prog", "--no-pci", "--", "--address", "198.18.0.2/24", NULL};
	const char *none[] = {"prog", "--no-pci", NULL};

	ck_assert_int_eq(twr_app_config_check(5, (char **)(uintptr_t)ok), 0);
	quiet();
	ck_assert_int_eq(twr_app_config_check(2, (char **)(uintptr_t)none), -EINVAL);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, no_config_is_the_command_line);
	tcase_add_test(tc, demo_ini);
	tcase_add_test(tc, demo_ini_is_demo_sh);
	tcase_add_test(tc, command_line_after_the_file);
	tcase_add_test(tc, option_forms);
	tcase_add_test(tc, every_kind_of_key);
	tcase_add_test(tc, compute_node_ini);
	tcase_add_test(tc, errors_refuse);
	tcase_add_test(tc, check_without_file);
	suite_add_tcase(s, tc);
	return s;
}

TWR_CHECK_MAIN(config_suite)
