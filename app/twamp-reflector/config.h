/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_APP_CONFIG_H
#define TWR_APP_CONFIG_H

/**
 * @file
 * The configuration file (config/twamp-reflector.ini explains every
 * section and key). Its keys become command-line arguments, EAL's before
 * `--` and the application's after it, so that EAL and the option parser
 * (options.h) remain the only judges of values; each argument remembers
 * its file line, and every message reads
 * "twamp-reflector: FILE:LINE: [SECTION] KEY: MESSAGE".
 *
 * Called from main() before rte_eal_init():
 *
 *     bool check_only;
 *
 *     if (twr_app_config_argv(argc, argv, &argc, &argv, &check_only) < 0)
 *             return EXIT_FAILURE;
 *     if (check_only)
 *             return twr_app_config_check(argc, argv) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
 *     ret = rte_eal_init(argc, argv);
 */

#include <stdbool.h>

/**
 * Expand `--config FILE` or `--check-config FILE` (or `--config=FILE`),
 * found anywhere in @p argv, into a new argument vector: argv[0], the
 * [eal] section's arguments, the command line's EAL arguments (those before
 * `--`), `--`, the file's application arguments, then the command line's
 * application arguments (after `--`), so that the command line overrides
 * or adds to the file. --config and --check-config themselves are left
 * out. The file's application arguments are checked one by one with
 * twr_app_options_parse(), and as a whole (at least one address).
 *
 * @param argc, argv  main()'s.
 * @param out_argc, out_argv  the vector to hand to rte_eal_init(), NULL
 *                  terminated; without either option, @p argc and @p argv
 *                  themselves. It and its strings live until exit (the
 *                  parsed options point into them). May be @p argc and @p argv.
 * @param check_only  set when the option was --check-config.
 * @return 0; -EINVAL when the file cannot be read or is wrong, every error
 *         printed on stderr, naming the file, line, section and key;
 *         -ENOMEM.
 */
int twr_app_config_argv(int argc, char **argv, int *out_argc, char ***out_argv, bool *check_only);

/**
 * Check the application's arguments of @p argv (those after `--`) with
 * twr_app_options_parse(), naming the file's lines when @p argv is the
 * vector twr_app_config_argv() returned, and print "FILE: OK" on stdout.
 * Starts nothing and needs no EAL (EAL's values are only checked at start).
 *
 * @return 0; -EINVAL after printing the errors.
 */
int twr_app_config_check(int argc, char **argv);

/** Free what twr_app_config_argv() allocated (tests; the app keeps it until exit). */
void twr_app_config_free(void);

#endif /* TWR_APP_CONFIG_H */
