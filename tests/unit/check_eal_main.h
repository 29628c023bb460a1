/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_TEST_CHECK_EAL_MAIN_H
#define TWR_TEST_CHECK_EAL_MAIN_H

/*
 * main() of a check test that needs EAL (no hugepages, no PCI, one lcore,
 * its own --file-prefix so that tests run in parallel): runs @p suite in
 * one process (CK_NOFORK: EAL does not survive fork()), prints
 * "N passed, N failed"; 77 (skipped) when EAL cannot start.
 */

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

/*
 * Initialise EAL with @p argv (@p argc entries), call @p after_init (may
 * be NULL), run @p suite; the generic form of twr_check_eal_main().
 */
static inline int
twr_check_eal_run(int argc, char **argv, Suite *(*suite)(void), void (*after_init)(void))
{
	SRunner *sr;
	int run, failed;

	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "EAL unavailable (%s): skipped\n", rte_strerror(rte_errno));
		return 77;
	}
	if (after_init != NULL)
		after_init();
	sr = srunner_create(suite());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	rte_eal_cleanup();
	printf("%d passed, %d failed\n", run - failed, failed);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static inline int
twr_check_eal_main(Suite *(*suite)(void), const char *file_prefix)
{
	char *eal_args[] = {
		(char *)(uintptr_t) "test",	   (char *)(uintptr_t) "--no-pci",
		(char *)(uintptr_t) "--no-huge",   (char *)(uintptr_t) "-m",
		(char *)(uintptr_t) "256",	   (char *)(uintptr_t) "--lcores",
		(char *)(uintptr_t) "0@0",	   (char *)(uintptr_t) "--file-prefix",
		(char *)(uintptr_t)file_prefix,	   (char *)(uintptr_t) "--no-telemetry",
		(char *)(uintptr_t) "--log-level", (char *)(uintptr_t) "lib.eal:error",
	};

	return twr_check_eal_run((int)RTE_DIM(eal_args), eal_args, suite, NULL);
}

#endif /* TWR_TEST_CHECK_EAL_MAIN_H */
