/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

#ifndef TWR_CHECK_MAIN_H
#define TWR_CHECK_MAIN_H

/**
 * @file
 * The main() every unit test shares: run one suite, print the line CI
 * reads ("N passed, N failed"), exit non-zero on any failure.
 * A single case runs with CK_RUN_CASE="name" (check's own variable).
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#define TWR_CHECK_MAIN(suite_fn)                                                                   \
	int main(void)                                                                             \
	{                                                                                          \
		SRunner *sr = srunner_create(suite_fn());                                          \
		int run, failed;                                                                   \
                                                                                                   \
		srunner_run_all(sr, CK_NORMAL);                                                    \
		run = srunner_ntests_run(sr);                                                      \
		failed = srunner_ntests_failed(sr);                                                \
		srunner_free(sr);                                                                  \
		printf("%d passed, %d failed\n", run - failed, failed);                            \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                                  \
	}

/** Assert @p len octets at @p got equal @p want, printing the first difference. */
#define ck_assert_bytes(got, want, len)                                                            \
	do {                                                                                       \
		const unsigned char *g_ = (const unsigned char *)(got);                            \
		const unsigned char *w_ = (const unsigned char *)(want);                           \
		size_t i_, n_ = (len);                                                             \
		for (i_ = 0; i_ < n_; i_++)                                                        \
			ck_assert_msg(g_[i_] == w_[i_], "octet %zu: got %02x, want %02x", i_,      \
				      g_[i_], w_[i_]);                                             \
	} while (0)

#endif /* TWR_CHECK_MAIN_H */
