/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 twamp-reflector authors
 */

/* placeholder: being written */
#include "check_main.h"

static Suite *
placeholder_suite(void)
{
	return suite_create("placeholder");
}

TWR_CHECK_MAIN(placeholder_suite)
